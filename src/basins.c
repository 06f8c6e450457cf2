/* basins.c -- the steepest-ascent basins of ln Q_eq used by exact, mfpt and
 * evolve: discrete ascent over the kinetic moves of eq 5.6 (ties a+1, a-1,
 * b+1, b-1), named after the nearest maximum of f = w - beta phi. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int hl_named_maxima_get(const hl_model *m, double beta, hl_named_maxima *c)
{
    int st = hl_maxima_at(m, beta, c->mx, HL_NAMED_MAX, &c->n);
    if (st)
        return st;
    if (c->n > HL_NAMED_MAX)
        c->n = HL_NAMED_MAX;
    return hl_name_maxima(m, beta, c->mx, c->n, c->names);
}

const char *hl_named_maxima_nearest(const hl_named_maxima *c, double x, double y)
{
    double best = INFINITY;
    const char *name = "none";
    for (size_t k = 0; k < c->n; k++) {
        double d = (c->mx[k].x - x) * (c->mx[k].x - x) + (c->mx[k].y - y) * (c->mx[k].y - y);
        if (d < best) {
            best = d;
            name = c->names[k];
        }
    }
    return name;
}

long hl_ascent_step_1d(const double *v, long h, long k)
{
    long nx = k;
    double best = v[k];
    if (k + 1 <= h && v[k + 1] > best) {
        best = v[k + 1];
        nx = k + 1;
    }
    if (k - 1 >= 0 && v[k - 1] > best)
        nx = k - 1;
    return nx;
}

void hl_ascent_1d(const double *v, long h, long *end)
{
    for (long k = 0; k <= h; k++)
        end[k] = -1;
    for (long k = 0; k <= h; k++) {
        long j = k;
        while (end[j] < 0) {
            long nx = hl_ascent_step_1d(v, h, j);
            if (nx == j) {
                end[j] = j;
                break;
            }
            j = nx;
        }
        for (long i = k; end[i] < 0; i = hl_ascent_step_1d(v, h, i))
            end[i] = end[j];
    }
}

/* the steepest-ascent neighbour of class i on the (h+1)^2 lattice */
static long step_2d(const double *lq, long h, long i)
{
    long w = h + 1, a = i / w, b = i % w, nx = i;
    double best = lq[i];
    if (a < h && lq[i + w] > best) {
        best = lq[i + w];
        nx = i + w;
    }
    if (a > 0 && lq[i - w] > best) {
        best = lq[i - w];
        nx = i - w;
    }
    if (b < h && lq[i + 1] > best) {
        best = lq[i + 1];
        nx = i + 1;
    }
    if (b > 0 && lq[i - 1] > best)
        nx = i - 1;
    return nx;
}

void hl_ascent_2d(const double *lq, long h, long *lab)
{
    long N = (h + 1) * (h + 1);
    for (long i = 0; i < N; i++)
        lab[i] = -1;
    for (long i0 = 0; i0 < N; i0++) {
        long i = i0;
        while (lab[i] < 0) {
            long nx = step_2d(lq, h, i);
            if (nx == i) {
                lab[i] = i;
                break;
            }
            i = nx;
        }
        for (long j = i0; lab[j] < 0; j = step_2d(lq, h, j))
            lab[j] = lab[i];
    }
}

int hl_basin_slot(hl_basin *basins, int *n, const char *name)
{
    for (int k = 0; k < *n; k++)
        if (strcmp(basins[k].name, name) == 0)
            return k;
    if (*n >= HL_MAX_BASINS)
        return -1;
    int k = (*n)++;
    memset(&basins[k], 0, sizeof basins[k]);
    snprintf(basins[k].name, sizeof basins[k].name, "%s", name);
    basins[k].ln_probability = -INFINITY;
    basins[k].x = NAN;
    basins[k].y = NAN;
    return k;
}

void hl_basins_init(hl_basin *basins, int *n, const hl_model *m, const hl_named_maxima *c)
{
    *n = 0;
    if (hl_model_is_default(m)) {
        hl_basin_slot(basins, n, "liquid");
        hl_basin_slot(basins, n, "crystal");
    }
    for (size_t k = 0; k < c->n; k++)
        hl_basin_slot(basins, n, c->names[k]);
}
