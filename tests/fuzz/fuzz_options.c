/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_options.c -- fuzz target: the CLI's number and list parsers
 * (cli/options.c, cli/trajectory.c, cli/compare.c) and the clipping of
 * echoed arguments (hl_clip), each on the whole input: cli_parse_double,
 * cli_parse_long, cli_parse_beta, cli_parse_rtol, cli_parse_list (and its
 * _beta and _long forms), cli_parse_point, cli_parse_times (--times) and
 * cli_compare_parse_dims (compare --dims).  Properties: what is accepted is
 * in the documented range (finite numbers; beta in (0, 1e6]; rtol in
 * [1e-14, 1e-2]; one value per comma-separated field, no empty field; times
 * >= 0 and strictly increasing; dims even, in [10, CLI_COMPARE_DIM_MAX] and
 * increasing); a clipped text is a short string without control
 * characters. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

#define CAP 64

static size_t fields(const char *s)
{
    size_t n = 1;
    for (; *s; s++)
        n += *s == ',';
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = fuzz_cstring(data, size);
    if (!s)
        return 0;
    double v, list[CAP], x, y;
    long l, llist[CAP];
    size_t n = 0;
    if (cli_parse_double("fuzz", "--x", s, &v))
        FUZZ_CHECK(isfinite(v));
    (void)cli_parse_long("fuzz", "--n", s, &l);
    if (cli_parse_beta("fuzz", "--beta", s, &v))
        FUZZ_CHECK(v > 0 && v <= 1e6);
    if (cli_parse_rtol("fuzz", s, &v))
        FUZZ_CHECK(v >= 1e-14 && v <= 1e-2);

    if (cli_parse_list("fuzz", "--list", s, list, CAP, &n)) {
        FUZZ_CHECK(n >= 1 && n <= CAP && n == fields(s));
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(isfinite(list[i]));
    }
    if (cli_parse_list_beta("fuzz", "--betas", s, list, CAP, &n)) {
        FUZZ_CHECK(n >= 1 && n <= CAP && n == fields(s));
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(list[i] > 0 && list[i] <= 1e6);
    }
    if (cli_parse_list_long("fuzz", "--longs", s, llist, CAP, &n))
        FUZZ_CHECK(n >= 1 && n <= CAP && n == fields(s));
    if (cli_parse_point("fuzz", "--at", s, &x, &y))
        FUZZ_CHECK(isfinite(x) && isfinite(y) && fields(s) == 2);

    double *t = NULL;
    if (cli_parse_times("fuzz", s, &t, &n)) {
        FUZZ_CHECK(t != NULL && n >= 1 && n == fields(s));
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(isfinite(t[i]) && t[i] >= 0);
            FUZZ_CHECK(i == 0 || t[i] > t[i - 1]);
        }
        free(t);
    }

    cli_compare_opts o;
    cli_compare_defaults(&o);
    if (cli_compare_parse_dims("fuzz", s, &o)) {
        FUZZ_CHECK(o.nd >= 1 && o.nd <= CLI_COMPARE_MAX_DIMS && (size_t)o.nd == fields(s));
        for (int i = 0; i < o.nd; i++) {
            FUZZ_CHECK(o.dims[i] >= 10 && o.dims[i] <= CLI_COMPARE_DIM_MAX);
            FUZZ_CHECK(o.dims[i] % 2 == 0);
            FUZZ_CHECK(i == 0 || o.dims[i] > o.dims[i - 1]);
        }
    }

    char buf[HL_CLIP_BUF];
    const char *c = hl_clip(s, buf);
    FUZZ_CHECK(c == buf && strlen(c) < HL_CLIP_BUF);
    for (const char *p = c; *p; p++)
        FUZZ_CHECK(!iscntrl((unsigned char)*p));
    if (strlen(s) <= HL_CLIP_CHARS) {
        int plain = 1;
        for (const char *p = s; *p; p++)
            plain &= !iscntrl((unsigned char)*p);
        if (plain)
            FUZZ_CHECK(strcmp(c, s) == 0);
    }
    c = cli_clip(s);
    FUZZ_CHECK(strlen(c) < HL_CLIP_BUF);
    return 0;
}
