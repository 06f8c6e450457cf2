/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strbuf.c -- a growable string that printf appends to (the gnuplot
 * scripts and data blocks the figures are written from). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

void cli_strbuf_printf(cli_strbuf *s, const char *fmt, ...)
{
    if (s->bad)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(s->buf ? s->buf + s->len : NULL, s->buf ? s->cap - s->len : 0, fmt,
                          ap);
        va_end(ap);
        if (k < 0) {
            s->bad = 1;
            return;
        }
        if (s->buf && s->len + (size_t)k < s->cap) {
            s->len += (size_t)k;
            return;
        }
        size_t nc = s->cap ? 2 * s->cap : 65536;
        while (nc < s->len + (size_t)k + 1)
            nc *= 2;
        char *nb = realloc(s->buf, nc);
        if (!nb) {
            s->bad = 1;
            return;
        }
        s->buf = nb;
        s->cap = nc;
    }
}

int cli_strbuf_gnuplot(const char *cmd, cli_strbuf *s, const char *path, const char *tmp)
{
    int ok = 0;
    if (s->bad || !s->buf)
        cli_error(cmd, "out of memory drawing %s", cli_clip(path));
    else {
        const char *outs[1] = {path}, *tmps[1] = {tmp};
        ok = cli_gnuplot(cmd, s->buf, outs, tmps, 1);
    }
    free(s->buf);
    s->buf = NULL;
    s->len = s->cap = 0;
    return ok;
}
