/* SPDX-License-Identifier: GPL-3.0-or-later */
/* protocol.c -- temperature protocols (protocol.h): one opaque handle that
 * always owns its rows, its constructors (fixed beta, rows copied from the
 * caller, a file or stream), accessors, beta(t) and the checks. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct hl_protocol {
    int var;       /* HL_PROTOCOL_BETA or HL_PROTOCOL_T */
    size_t n;      /* rows, >= 1                        */
    double *t;     /* n times (units of 1/B), owned     */
    double *value; /* n values of var, owned            */
};

static int check_value(int var, double v)
{
    if (!isfinite(v) || !(v > 0))
        return 0;
    return var == HL_PROTOCOL_BETA ? v <= 1e6 : v >= 1e-6;
}

static const char *range_msg(int var)
{
    return var == HL_PROTOCOL_BETA ? "beta must be positive and at most 1e6"
                                   : "T must be finite and at least 1e-6";
}

/* the rows of a protocol under construction (HL_EDOM naming the bad row) */
static int check_rows(int var, size_t n, const double *t, const double *value)
{
    if (var != HL_PROTOCOL_BETA && var != HL_PROTOCOL_T)
        return hl_fail(HL_EINVAL, "unknown protocol variable %d", var);
    if (n < 1 || !t || !value)
        return hl_fail(HL_EINVAL, "empty protocol");
    const char *nm = var == HL_PROTOCOL_BETA ? "beta" : "T";
    if (t[0] != 0.0)
        return hl_fail(HL_EDOM, "the protocol must start at t = 0 (row 1 has t = %g)", t[0]);
    for (size_t k = 0; k < n; k++) {
        if (!isfinite(t[k]) || (k > 0 && !(t[k] > t[k - 1])))
            return hl_fail(HL_EDOM, "protocol row %zu: t = %g does not increase strictly",
                           k + 1, t[k]);
        if (!check_value(var, value[k]))
            return hl_fail(HL_EDOM, "protocol row %zu: %s = %g is out of range: %s", k + 1, nm,
                           value[k], range_msg(var));
    }
    return HL_OK;
}

/* a handle taking over the (checked) arrays t and value */
static int wrap(int var, size_t n, double *t, double *value, hl_protocol **out)
{
    hl_protocol *p = malloc(sizeof *p);
    if (!p) {
        free(t);
        free(value);
        return hl_fail(HL_ENOMEM, "out of memory for a protocol");
    }
    p->var = var;
    p->n = n;
    p->t = t;
    p->value = value;
    *out = p;
    return HL_OK;
}

int hl_protocol_create(int var, size_t n, const double *t, const double *value,
                       hl_protocol **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_protocol_create: NULL argument");
    *out = NULL;
    int st = check_rows(var, n, t, value);
    if (st)
        return st;
    double *tc = malloc(sizeof(double) * n), *vc = malloc(sizeof(double) * n);
    if (!tc || !vc) {
        free(tc);
        free(vc);
        return hl_fail(HL_ENOMEM, "out of memory for a protocol of %zu rows", n);
    }
    memcpy(tc, t, sizeof(double) * n);
    memcpy(vc, value, sizeof(double) * n);
    return wrap(var, n, tc, vc, out);
}

int hl_protocol_create_fixed(double beta, hl_protocol **out)
{
    double t0 = 0.0;
    return hl_protocol_create(HL_PROTOCOL_BETA, 1, &t0, &beta, out);
}

void hl_protocol_free(hl_protocol *p)
{
    if (!p)
        return;
    free(p->t);
    free(p->value);
    free(p);
}

int hl_protocol_check(const hl_protocol *p)
{
    if (!p)
        return hl_fail(HL_EINVAL, "the protocol is NULL");
    return HL_OK;
}

int hl_protocol_var(const hl_protocol *p) { return p->var; }
size_t hl_protocol_rows(const hl_protocol *p) { return p->n; }
double hl_protocol_time(const hl_protocol *p, size_t k) { return p->t[k]; }
double hl_protocol_value(const hl_protocol *p, size_t k) { return p->value[k]; }

/* ------------------------------------------------------------- reading */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

static int parse_num(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    /* an underflow (ERANGE with a tiny value) is a number: the range check
     * names it; an overflow is not finite */
    return *s && end != s && *end == 0 && isfinite(*v);
}

int hl_protocol_read(const char *path, hl_protocol **out)
{
    if (!path || !out)
        return hl_fail(HL_EINVAL, "hl_protocol_read: NULL argument");
    *out = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        char cp[HL_CLIP_BUF];
        return hl_fail(HL_EIO, "cannot read protocol '%s': %s", hl_clip(path, cp),
                       strerror(errno));
    }
    int st = hl_protocol_read_stream(fp, path, out);
    fclose(fp);
    return st;
}

int hl_protocol_read_stream(FILE *fp, const char *name, hl_protocol **out)
{
    if (!fp || !name || !out)
        return hl_fail(HL_EINVAL, "hl_protocol_read_stream: NULL argument");
    *out = NULL;
    char cp[HL_CLIP_BUF], c1[HL_CLIP_BUF], c2[HL_CLIP_BUF];
    hl_clip(name, cp); /* the name as messages show it */
    char line[1024];
    long ln = 0;
    int have_header = 0, st = HL_OK, var = HL_PROTOCOL_BETA;
    size_t cap = 0, n = 0;
    double *tv = NULL, *vv = NULL;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        if (!strchr(line, '\n') && !feof(fp)) {
            st = hl_fail(HL_EPARSE, "protocol '%s' line %ld: line too long", cp, ln);
            break;
        }
        char *s = line;
        if (ln == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
            s += 3; /* a UTF-8 byte-order mark, as spreadsheets write */
        s = trim(s);
        if (*s == 0 || *s == '#')
            continue;
        char *comma = strchr(s, ',');
        if (!comma || strchr(comma + 1, ',')) {
            st = hl_fail(HL_EPARSE, "protocol '%s' line %ld: expected two comma-separated "
                                    "fields", cp, ln);
            break;
        }
        *comma = 0;
        char *f1 = trim(s), *f2 = trim(comma + 1);
        if (!have_header) {
            if (strcmp(f1, "t") != 0 || (strcmp(f2, "T") != 0 && strcmp(f2, "beta") != 0)) {
                st = hl_fail(HL_EPARSE, "protocol '%s' line %ld: expected the header "
                                        "'t,T' or 't,beta'", cp, ln);
                break;
            }
            var = strcmp(f2, "T") == 0 ? HL_PROTOCOL_T : HL_PROTOCOL_BETA;
            have_header = 1;
            continue;
        }
        double t, v;
        if (!parse_num(f1, &t) || !parse_num(f2, &v)) {
            st = hl_fail(HL_EPARSE, "protocol '%s' line %ld: '%s,%s' is not two finite "
                                    "numbers", cp, ln, hl_clip(f1, c1), hl_clip(f2, c2));
            break;
        }
        if (n == 0 && t != 0.0) {
            st = hl_fail(HL_EPARSE, "protocol '%s' line %ld: the first row must have t = 0, "
                                    "not %g", cp, ln, t);
            break;
        }
        if (n > 0 && !(t > tv[n - 1])) {
            st = hl_fail(HL_EPARSE, "protocol '%s' line %ld: t = %g does not increase "
                                    "strictly (previous %g)", cp, ln, t, tv[n - 1]);
            break;
        }
        if (!check_value(var, v)) {
            st = hl_fail(HL_EPARSE, "protocol '%s' line %ld: %s = %g is out of range: %s",
                         cp, ln, var == HL_PROTOCOL_T ? "T" : "beta", v, range_msg(var));
            break;
        }
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            double *nt = realloc(tv, nc * sizeof(double));
            if (nt)
                tv = nt;
            double *nv = nt ? realloc(vv, nc * sizeof(double)) : NULL;
            if (nv)
                vv = nv;
            if (!nt || !nv) {
                st = hl_fail(HL_ENOMEM, "out of memory reading protocol '%s'", cp);
                break;
            }
            cap = nc;
        }
        tv[n] = t;
        vv[n] = v;
        n++;
    }
    if (!st && ferror(fp))
        st = hl_fail(HL_EIO, "error reading protocol '%s'", cp);
    if (!st && !have_header)
        st = hl_fail(HL_EPARSE, "protocol '%s': no header line 't,T' or 't,beta'", cp);
    else if (!st && n == 0)
        st = hl_fail(HL_EPARSE, "protocol '%s': no rows after the header", cp);
    if (st) {
        free(tv);
        free(vv);
        return st;
    }
    return wrap(var, n, tv, vv, out);
}

/* -------------------------------------------------------------- values */

int hl_protocol_check_transmission(const hl_model *m, const hl_protocol *p)
{
    if (!m || !p)
        return hl_fail(HL_EINVAL, "hl_protocol_check_transmission: NULL argument");
    /* T(t) (or beta(t), so T = 1/beta) is piecewise linear and continuous:
     * the temperatures visited fill [min, max] over the rows */
    double tlo = INFINITY, thi = 0;
    for (size_t k = 0; k < p->n; k++) {
        double T = p->var == HL_PROTOCOL_T ? p->value[k] : 1.0 / p->value[k];
        tlo = fmin(tlo, T);
        thi = fmax(thi, T);
    }
    return hl_model_check_transmission_range(m, tlo, thi);
}

double hl_protocol_beta(const hl_protocol *p, double t)
{
    size_t n = p->n;
    double v;
    if (n == 1 || t <= p->t[0]) {
        v = p->value[0];
    } else if (t >= p->t[n - 1]) {
        v = p->value[n - 1];
    } else {
        size_t lo = 0, hi = n - 1; /* t[lo] <= t < t[hi] */
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (p->t[mid] <= t)
                lo = mid;
            else
                hi = mid;
        }
        double u = (t - p->t[lo]) / (p->t[hi] - p->t[lo]);
        v = p->value[lo] + u * (p->value[hi] - p->value[lo]);
    }
    return p->var == HL_PROTOCOL_T ? 1.0 / v : v;
}

double hl_protocol_settle_time(const hl_protocol *p)
{
    size_t k = p->n - 1;
    while (k > 0 && p->value[k - 1] == p->value[p->n - 1])
        k--;
    return p->t[k];
}

double hl_protocol_beta_max(const hl_protocol *p)
{
    double bmax = 0;
    for (size_t k = 0; k < p->n; k++)
        bmax = fmax(bmax, p->var == HL_PROTOCOL_T ? 1.0 / p->value[k] : p->value[k]);
    return bmax;
}
