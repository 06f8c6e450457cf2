/* SPDX-License-Identifier: GPL-3.0-or-later */
/* class_weights.c -- the weight column of a class distribution file
 * (--from FILE of evolve, kmc and fokker-planck, with or without --blocks):
 * Q, or ln Q for weights outside the double range, normalised over the
 * classes given (cli.h). */
#include <math.h>
#include <stdlib.h>

#include "cli.h"

int cli_weight_parse(const char *cmd, const char *path, long line, const char *s, int is_log,
                     double *v)
{
    char *end;
    double x = strtod(s, &end);
    int good = *s && !*end && !isnan(x) && (is_log ? x < INFINITY : x >= 0 && isfinite(x));
    if (!good) {
        cli_error(cmd, "'%s' line %ld: %s = '%s' is not a %s", cli_clip(path), line,
                  is_log ? "ln_Q" : "Q", cli_clip(s),
                  is_log ? "number below +inf" : "non-negative finite number");
        return 0;
    }
    *v = x;
    return 1;
}

int cli_weights_normalise(const char *cmd, const char *path, double *q, long n, int is_log,
                          long rows)
{
    double top = -INFINITY;
    if (is_log)
        for (long i = 0; i < n; i++)
            if (!isnan(q[i]) && q[i] > top)
                top = q[i];
    long double sum = 0;
    for (long i = 0; i < n; i++) {
        if (isnan(q[i]))
            q[i] = 0;
        else if (is_log)
            q[i] = top > -INFINITY ? exp(q[i] - top) : 0;
        sum += q[i];
    }
    if (!(sum > 0)) {
        cli_error(cmd, "'%s': the probabilities sum to 0 (%ld rows)", cli_clip(path), rows);
        return 0;
    }
    for (long i = 0; i < n; i++)
        q[i] = (double)(q[i] / sum);
    return 1;
}
