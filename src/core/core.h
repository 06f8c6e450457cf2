/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core.h -- the core layer's private helpers: error messages, GSL's error
 * handler, small numerics in log space (not installed). */
#ifndef HL_CORE_H
#define HL_CORE_H

#include <math.h>
#include <stddef.h>
#include "hyperland/hyperland.h"

/* Record a formatted message for hl_errmsg() and return status. */
int hl_fail(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A value for a message: "%.9g", or NaN / inf / -inf spelled as words
 * (never C's "-nan").  buf: at least 32 bytes; returns buf. */
const char *hl_msg_num(double v, char *buf);
/* v in the fewest digits (15 to 17, %g) that read back as v exactly, into
 * buf (>= 32 chars): 0.6, not 0.59999999999999998 */
const char *hl_msg_exact(double v, char *buf);

/* Turn GSL's default error handler (which aborts) off, once per process and
 * thread-safely; every GSL status is then checked by the caller.  Called by
 * hl_model_create and at the top of every function that calls GSL. */
void hl_gsl_quiet(void);

/* log(1 + exp(z)) without overflow. */
double hl_softplus(double z);

/* u ln u with 0 ln 0 = 0. */
double hl_xlogx(double u);

/* ln C(h, k) */
double hl_lnchoose(long h, long k);

/* ln(e^a + e^b) without overflow; -INFINITY is the log of 0. */
static inline double hl_lse(double a, double b)
{
    if (a == -INFINITY)
        return b;
    if (b == -INFINITY)
        return a;
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

#endif
