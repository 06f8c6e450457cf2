/* SPDX-License-Identifier: GPL-3.0-or-later */
/* error.c -- status codes, messages, version. */
#include <pthread.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "core.h"

static _Thread_local char last_message[512];

const char *hl_strerror(int status)
{
    switch (status) {
#define HL_CASE(name, value, text) \
    case value:                    \
        return text;
        HL_STATUS_TABLE(HL_CASE)
#undef HL_CASE
    default:
        return "unknown status";
    }
}

const char *hl_errmsg(void) { return last_message; }

const char *hl_version(void) { return HL_VERSION_STRING; }

int hl_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return status;
}

static void gsl_quiet_once(void) { gsl_set_error_handler_off(); }

void hl_gsl_quiet(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, gsl_quiet_once);
}

const char *hl_msg_exact(double v, char *buf)
{
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, 32, "%.*g", p, v);
        if (p == 17 || strtod(buf, NULL) == v || v != v)
            break;
    }
    return buf;
}

const char *hl_msg_num(double v, char *buf)
{
    if (isnan(v))
        snprintf(buf, 32, "NaN");
    else if (isinf(v))
        snprintf(buf, 32, "%s", v > 0 ? "inf" : "-inf");
    else
        snprintf(buf, 32, "%.9g", v);
    return buf;
}
