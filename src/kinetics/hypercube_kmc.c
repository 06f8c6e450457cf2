/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hypercube_kmc.c -- the disordered hypercube (hypercube_kmc.h): the
 * disorder spec, the per-spin factors drawn from the seed, the vertex
 * energies by a hash of (seed, vertex). */
#include "hypercube_kmc_private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest of %.15g, %.16g, %.17g that reads back as v (the spec
 * recorded in the outputs gives the same factors when it is given again). */
static const char *num(char *buf, size_t n, double v)
{
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

/* "lognormal:W" -> *w; HL_OK or HL_EINVAL. */
static int parse_lognormal(const char *s, size_t len, double *w)
{
    const char *pre = "lognormal:";
    size_t pl = strlen(pre);
    char buf[64];
    if (len <= pl || len - pl >= sizeof buf || strncmp(s, pre, pl) != 0)
        return HL_EINVAL;
    memcpy(buf, s + pl, len - pl);
    buf[len - pl] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno || *end || end == buf || !isfinite(v) || v < 0 || v > 20)
        return HL_EINVAL;
    *w = v;
    return HL_OK;
}

static int read_factor_file(const char *path, long D, double *f)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return hl_fail(HL_EIO, "disorder file '%s' cannot be opened", path);
    long n = 0, line = 1;
    int c, st = HL_OK;
    char tok[128];
    size_t tl = 0;
    for (;;) {
        c = fgetc(fp);
        if (c == '#') {
            while (c != '\n' && c != EOF)
                c = fgetc(fp);
        }
        int sep = c == EOF || c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!sep) {
            if (tl + 1 >= sizeof tok) {
                st = hl_fail(HL_EDOM, "disorder file '%s', line %ld: token too long", path, line);
                break;
            }
            tok[tl++] = (char)c;
            continue;
        }
        if (tl) {
            tok[tl] = '\0';
            char *end;
            errno = 0;
            double v = strtod(tok, &end);
            if (errno || *end || !isfinite(v) || v <= 0) {
                st = hl_fail(HL_EDOM, "disorder file '%s', line %ld: '%s' is not a positive "
                                      "finite factor", path, line, tok);
                break;
            }
            if (n >= D) {
                st = hl_fail(HL_EDOM, "disorder file '%s' has more than D = %ld factors", path, D);
                break;
            }
            f[n++] = v;
            tl = 0;
        }
        if (c == '\n')
            line++;
        if (c == EOF)
            break;
    }
    if (!st && ferror(fp))
        st = hl_fail(HL_EIO, "disorder file '%s' could not be read", path);
    fclose(fp);
    if (!st && n != D)
        st = hl_fail(HL_EDOM, "disorder file '%s' has %ld factors, D = %ld needs one per spin",
                     path, n, D);
    return st;
}

static int bad_spec(const char *spec)
{
    return hl_fail(HL_EINVAL, "disorder spec '%.60s' not understood: use none, lognormal:W, "
                              "lognormal:W1,lognormal:W2, pair:W:R or file:PATH", spec);
}

/* Draw or read the factors; normalise the spec into k->spec. */
static int make_factors(hl_hkmc *k, const char *spec)
{
    long D = k->dim, h = k->h;
    for (long i = 0; i < D; i++)
        k->f[i] = 1.0;
    k->clean = 1;
    if (!spec || !*spec || !strcmp(spec, "none")) {
        snprintf(k->spec, sizeof k->spec, "none");
        return HL_OK;
    }
    if (strlen(spec) >= HL_HKMC_SPEC_MAX - 1)
        return hl_fail(HL_EINVAL, "disorder spec longer than %d characters", HL_HKMC_SPEC_MAX - 2);
    k->clean = 0;
    if (!strncmp(spec, "file:", 5)) {
        if (!spec[5])
            return bad_spec(spec);
        snprintf(k->spec, sizeof k->spec, "%s", spec);
        return read_factor_file(spec + 5, D, k->f);
    }
    double w[2], rho = 0.0;
    int pair = 0;
    if (!strncmp(spec, "pair:", 5)) {
        char *end;
        errno = 0;
        w[0] = strtod(spec + 5, &end);
        if (errno || *end != ':' || end == spec + 5 || !isfinite(w[0]) || w[0] < 0 || w[0] > 20)
            return bad_spec(spec);
        const char *r = end + 1;
        rho = strtod(r, &end);
        if (errno || *end || end == r || !(rho >= -1.0 && rho <= 1.0))
            return bad_spec(spec);
        w[1] = w[0];
        pair = 1;
        char b0[32], b1[32];
        snprintf(k->spec, sizeof k->spec, "pair:%s:%s", num(b0, sizeof b0, w[0]),
                 num(b1, sizeof b1, rho));
    } else {
        const char *comma = strchr(spec, ',');
        size_t l0 = comma ? (size_t)(comma - spec) : strlen(spec);
        if (parse_lognormal(spec, l0, &w[0]))
            return bad_spec(spec);
        w[1] = w[0];
        if (comma && parse_lognormal(comma + 1, strlen(comma + 1), &w[1]))
            return bad_spec(spec);
        char b0[32], b1[32];
        if (comma)
            snprintf(k->spec, sizeof k->spec, "lognormal:%s,lognormal:%s", num(b0, sizeof b0, w[0]),
                     num(b1, sizeof b1, w[1]));
        else
            snprintf(k->spec, sizeof k->spec, "lognormal:%s", num(b0, sizeof b0, w[0]));
    }
    hl_rng_stream rs;
    hl_rng_stream_init(&rs, k->seed, HL_HKMC_STREAM_DISORDER);
    double *z = malloc(sizeof(double) * (size_t)D);
    if (!z)
        return hl_fail(HL_ENOMEM, "out of memory (disorder of D = %ld)", D);
    for (long i = 0; i < D; i++)
        z[i] = hl_rng_stream_normal(&rs);
    if (pair) {
        double c = sqrt(fmax(0.0, 1.0 - rho * rho));
        for (long i = 0; i < h; i++)
            z[h + i] = rho * z[i] + c * z[h + i];
    }
    for (long i = 0; i < D; i++) {
        double wi = w[i >= h];
        k->f[i] = exp(wi * z[i] - 0.5 * wi * wi);
    }
    free(z);
    return HL_OK;
}

int hl_hkmc_create(const hl_model *model, const hl_hkmc_config *cfg, hl_hkmc **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_hkmc_create: out is NULL");
    *out = NULL;
    if (!model || !cfg)
        return hl_fail(HL_EINVAL, "hl_hkmc_create: model or config is NULL");
    int st = hl_check_dim(cfg->dim);
    if (st)
        return st;
    if (!isfinite(cfg->vertex_shift) || cfg->vertex_shift < 0)
        return hl_fail(HL_EINVAL, "vertex-shift width %g must be finite and >= 0",
                       cfg->vertex_shift);
    if (cfg->select != HL_HKMC_SELECT_AUTO && cfg->select != HL_HKMC_SELECT_TREE &&
        cfg->select != HL_HKMC_SELECT_CR)
        return hl_fail(HL_EINVAL, "hypercube KMC: unknown event selection %d", cfg->select);
    hl_hkmc *k = calloc(1, sizeof *k);
    if (!k)
        return hl_fail(HL_ENOMEM, "out of memory (hypercube KMC)");
    k->select = cfg->select == HL_HKMC_SELECT_AUTO ? HL_HKMC_SELECT_CR : cfg->select;
    k->model = model;
    k->dim = cfg->dim;
    k->h = cfg->dim / 2;
    k->seed = cfg->seed;
    k->vshift = cfg->vertex_shift;
    k->f = malloc(sizeof(double) * (size_t)k->dim);
    if (!k->f) {
        free(k);
        return hl_fail(HL_ENOMEM, "out of memory (factors of D = %ld)", cfg->dim);
    }
    st = make_factors(k, cfg->disorder);
    if (!st && k->vshift > 0 && k->dim > 64) {
        k->zobrist = malloc(sizeof(uint64_t) * (size_t)k->dim);
        if (!k->zobrist)
            st = hl_fail(HL_ENOMEM, "out of memory (Zobrist words of D = %ld)", k->dim);
        else {
            hl_rng_stream rs;
            hl_rng_stream_init(&rs, k->seed, HL_HKMC_STREAM_ZOBRIST);
            for (long i = 0; i < k->dim; i++)
                k->zobrist[i] = hl_rng_stream_u64(&rs);
        }
    }
    if (st) {
        hl_hkmc_free(k);
        return st;
    }
    *out = k;
    return HL_OK;
}

void hl_hkmc_free(hl_hkmc *k)
{
    if (!k)
        return;
    free(k->f);
    free(k->zobrist);
    free(k);
}

long hl_hkmc_dim(const hl_hkmc *k) { return k ? k->dim : 0; }
uint64_t hl_hkmc_seed(const hl_hkmc *k) { return k ? k->seed : 0; }
const char *hl_hkmc_disorder(const hl_hkmc *k) { return k ? k->spec : ""; }
double hl_hkmc_vertex_shift_width(const hl_hkmc *k) { return k ? k->vshift : 0.0; }

const char *hl_hkmc_select_name(const hl_hkmc *k)
{
    if (!k)
        return "";
    if (k->vshift > 0)
        return "scan";
    return k->select == HL_HKMC_SELECT_TREE ? "tree" : "composition-rejection";
}

int hl_hkmc_select_parse(const char *name, int *select)
{
    static const struct {
        const char *name;
        int v;
    } tab[] = {{"auto", HL_HKMC_SELECT_AUTO},
               {"cr", HL_HKMC_SELECT_CR},
               {"composition-rejection", HL_HKMC_SELECT_CR},
               {"tree", HL_HKMC_SELECT_TREE}};
    for (size_t i = 0; name && select && i < sizeof tab / sizeof *tab; i++)
        if (!strcmp(name, tab[i].name)) {
            *select = tab[i].v;
            return HL_OK;
        }
    return hl_fail(HL_EINVAL, "event selection '%.40s' not known: use auto, cr or tree",
                   name ? name : "(null)");
}

int hl_hkmc_factors(const hl_hkmc *k, double *f)
{
    if (!k || !f)
        return hl_fail(HL_EINVAL, "hl_hkmc_factors: NULL argument");
    memcpy(f, k->f, sizeof(double) * (size_t)k->dim);
    return HL_OK;
}

int hl_hkmc_disorder_summary(const hl_hkmc *k, hl_hkmc_disorder_stats *o)
{
    if (!k || !o)
        return hl_fail(HL_EINVAL, "hl_hkmc_disorder_summary: NULL argument");
    long h = k->h;
    double cov = 0.0;
    for (int half = 0; half < 2; half++) {
        double s = 0, sl = 0, sl2 = 0, mn = INFINITY, mx = 0;
        for (long i = 0; i < h; i++) {
            double v = k->f[half * h + i], l = log(v);
            s += v;
            sl += l;
            mn = fmin(mn, v);
            mx = fmax(mx, v);
        }
        double ml = sl / (double)h;
        for (long i = 0; i < h; i++) {
            double l = log(k->f[half * h + i]) - ml;
            sl2 += l * l;
        }
        o->mean[half] = s / (double)h;
        o->mean_ln[half] = ml;
        o->sd_ln[half] = sqrt(sl2 / (double)h);
        o->min[half] = mn;
        o->max[half] = mx;
    }
    for (long i = 0; i < h; i++)
        cov += (log(k->f[i]) - o->mean_ln[0]) * (log(k->f[h + i]) - o->mean_ln[1]);
    cov /= (double)h;
    double den = o->sd_ln[0] * o->sd_ln[1];
    o->corr_ln = den > 0 ? cov / den : 0.0; /* no spread: no correlation to speak of */
    return HL_OK;
}

double hl_hkmc_eps_of_key(const hl_hkmc *k, uint64_t key)
{
    return k->vshift * hl_rng_hash_normal(k->seed, HL_HKMC_STREAM_VERTEX, key);
}

int hl_hkmc_vertex_energy(const hl_hkmc *k, const signed char *sigma, double *eps)
{
    if (!k || !sigma || !eps)
        return hl_fail(HL_EINVAL, "hl_hkmc_vertex_energy: NULL argument");
    uint64_t key = 0;
    for (long i = 0; i < k->dim; i++) {
        if (sigma[i] != 1 && sigma[i] != -1)
            return hl_fail(HL_EINVAL, "spin %ld is %d, not +1 or -1", i, (int)sigma[i]);
        if (sigma[i] == 1 && k->vshift > 0)
            key ^= hl_hkmc_key_bit(k, i);
    }
    *eps = k->vshift > 0 ? hl_hkmc_eps_of_key(k, key) : 0.0;
    return HL_OK;
}

void hl_hkmc_vertex_class(long dim, long v, long *a, long *b)
{
    long h = dim / 2, na = 0, nb = 0;
    for (long i = 0; i < dim; i++)
        if ((v >> i) & 1) {
            if (i < h)
                na++;
            else
                nb++;
        }
    *a = na;
    *b = nb;
}

void hl_hkmc_tensor_xy(const double k[3], double o[3])
{
    o[0] = 0.25 * (k[0] + 2.0 * k[1] + k[2]);
    o[1] = 0.25 * (k[0] - k[2]);
    o[2] = 0.25 * (k[0] - 2.0 * k[1] + k[2]);
}

