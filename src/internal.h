/* internal.h -- helpers shared by the library's sources (not installed). */
#ifndef HL_INTERNAL_H
#define HL_INTERNAL_H

#include <stddef.h>
#include "hyperland/hyperland.h"

/* Record a formatted message for hl_errmsg() and return status. */
int hl_fail(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* log(1 + exp(z)) without overflow. */
double hl_softplus(double z);

/* u ln u with 0 ln 0 = 0. */
double hl_xlogx(double u);

/* Position in the square from tanh-coordinates t = (atanh s, atanh d). */
typedef struct {
    double t1, t2;    /* atanh(s), atanh(d)                 */
    double s, d;      /* tanh t1, tanh t2                    */
    double x, y;      /* (s + d)/2, (s - d)/2                */
    double cs, cd;    /* 1 - s^2, 1 - d^2 (accurate)         */
} hl_tpoint;
void hl_tpoint_set(hl_tpoint *p, double t1, double t2);

/* w from tanh-coordinates, accurate near the edges. */
double hl_w_from_t(double t1, double t2);

/* ln C(h, k) */
double hl_lnchoose(long h, long k);

#endif
