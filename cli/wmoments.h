/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wmoments.h -- weighted first and second moments of k coordinates from
 * weights given as logs (the exact sums over classes streamed by a
 * visitor), rescaled as the largest log weight grows, for the exact
 * covariance within a basin (gaussian --exact, with or without --blocks). */
#ifndef HL_WMOMENTS_H
#define HL_WMOMENTS_H

#define CLI_WMOMENTS_MAX 64

typedef struct {
    int k;
    double lmax; /* the largest ln weight so far (the scale)          */
    double s0, s1[CLI_WMOMENTS_MAX], s2[CLI_WMOMENTS_MAX * CLI_WMOMENTS_MAX];
} cli_wmoments;

/* Empty moments of k (1 .. CLI_WMOMENTS_MAX) coordinates. */
void cli_wmoments_init(cli_wmoments *o, int k);
/* Add a point d[k] (a displacement from a reference) of weight exp(ln_w). */
void cli_wmoments_add(cli_wmoments *o, double ln_w, const double *d);
/* The mean displacement mean[k] and the covariance cov[k*k] (row-major);
 * 0 (NaN everywhere) when no weight was added. */
int cli_wmoments_get(const cli_wmoments *o, double *mean, double *cov);

#endif
