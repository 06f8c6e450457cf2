/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_glassfast.c -- issue 13 (glassfast): the scan's faster integration
 * against hl_evolve's own settings and the parallel rates against one rate
 * at a time; the basin-conditioned fictive temperature of a slow scan; the
 * relaxation time and lifetime of the liquid (relaxation.h) against an
 * independent dense computation and the exact scaling of a uniform
 * Arrhenius B; T_g and the fragility index against closed forms. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "test_util.h"

#define GLASS_B "exp(-3*y^2/T)"

static hl_model *model(const char *phi, const char *trans)
{
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(phi, &m));
    if (trans)
        CHECK_OK(hl_model_set_transmission(m, trans));
    return m;
}

typedef struct {
    double *q;
    long w;
} qstart;

static int visit_liquid(void *c, long nn, long n1, double x, double y, double lq, const char *b)
{
    (void)x;
    (void)y;
    qstart *ctx = c;
    if (!strcmp(b, "liquid"))
        ctx->q[n1 * ctx->w + (nn - n1)] = exp(lq);
    return 0;
}

/* The scan's settings (outputs from CVODE's interpolant, preconditioner
 * kept over 2% in beta, rtol 1e-8) against hl_evolve's own (a step ends at
 * every output, rtol 1e-10): <phi> within 1e-9 relative; and several rates
 * on two threads give the numbers of one rate at a time, bit for bit. */
static void test_scan_vs_evolve(void **state)
{
    (void)state;
    hl_model *m = model(NULL, GLASS_B);
    hl_scan_options o;
    memset(&o, 0, sizeof o);
    o.t_high = 2;
    o.t_low = 0.5;
    o.reheat = 1;
    o.n_points = 41;
    o.start = HL_SCAN_START_LIQUID;
    hl_scan *s = NULL;
    CHECK_OK(hl_scan_create(m, 30, &o, &s));
    size_t n = hl_scan_points(s);
    const double rates[3] = {1, 0.1, 0.01};
    hl_scan_point *pm = malloc(sizeof(hl_scan_point) * n * 3);
    hl_scan_point *p1 = malloc(sizeof(hl_scan_point) * n);
    hl_evolve_point *ev = malloc(sizeof(hl_evolve_point) * n);
    double *times = malloc(sizeof(double) * n);
    assert_true(pm && p1 && ev && times);
    hl_scan_summary sm[3], s1;
    int bs;
    CHECK_OK(hl_set_threads(2, &bs));
    CHECK_OK(hl_scan_run_many(s, 3, rates, pm, sm));
    CHECK_OK(hl_set_threads(1, &bs));
    /* the liquid start of the scan, for hl_evolve */
    for (int i = 0; i < 3; i++) {
        CHECK_OK(hl_scan_run(s, rates[i], p1, &s1));
        for (size_t k = 0; k < n; k++) {
            assert_true(p1[k].mean_phi == pm[i * n + k].mean_phi);
            assert_true(p1[k].c == pm[i * n + k].c);
            assert_true(p1[k].tf_liquid_cond == pm[i * n + k].tf_liquid_cond ||
                        (isnan(p1[k].tf_liquid_cond) && isnan(pm[i * n + k].tf_liquid_cond)));
        }
        assert_true(s1.tg_liquid == sm[i].tg_liquid);
        /* hl_evolve's own settings, from the same start */
        double tc = 1.5 / rates[i];
        double rt[3] = {0, tc, 2 * tc}, rv[3] = {2, 0.5, 2};
        hl_protocol *p = NULL;
        CHECK_OK(hl_protocol_create(HL_PROTOCOL_T, 3, rt, rv, &p));
        for (size_t k = 0; k < n; k++)
            times[k] = p1[k].t;
        long w = 16;
        double *q0 = calloc((size_t)(w * w), sizeof(double));
        assert_non_null(q0);
        /* liquid basin's part of the equilibrium at T = 2 (as the scan) */
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, 30, HL_EXACT_AUTO, &ex));
        qstart ctx = {q0, w};
        CHECK_OK(hl_exact_distribution(ex, 0.5, visit_liquid, &ctx));
        hl_exact_free(ex);
        hl_evolve_start st;
        memset(&st, 0, sizeof st);
        st.kind = HL_START_CLASSES;
        st.q = q0;
        hl_evolve_info info;
        CHECK_OK(hl_evolve(m, 30, p, &st, times, n, HL_EVOLVE_AUTO, 1e-10, ev, NULL, &info));
        double worst = 0;
        for (size_t k = 0; k < n; k++)
            worst = fmax(worst, fabs(ev[k].mean_phi - p1[k].mean_phi) / fabs(ev[k].mean_phi));
        assert_true(worst < 1e-9);
        free(q0);
        hl_protocol_free(p);
    }
    free(pm);
    free(p1);
    free(ev);
    free(times);
    hl_scan_free(s);
    hl_model_free(m);
}

/* A slow scan stays in equilibrium: the liquid part's conditioned mean is
 * the liquid basin's equilibrium <phi>, so tf_liquid_cond = T everywhere,
 * below the melting point too, where tf_liquid (the whole system's <phi>,
 * pulled down by the crystal, against the liquid's reference) is not T. */
static void test_tf_cond_slow(void **state)
{
    (void)state;
    hl_model *m = model(NULL, NULL);
    hl_scan_options o;
    memset(&o, 0, sizeof o);
    o.t_high = 2;
    o.t_low = 1;
    o.n_points = 21;
    hl_scan *s = NULL;
    CHECK_OK(hl_scan_create(m, 20, &o, &s));
    size_t n = hl_scan_points(s);
    hl_scan_point *p = malloc(sizeof(hl_scan_point) * n);
    assert_non_null(p);
    hl_scan_summary sum;
    CHECK_OK(hl_scan_run(s, 1e-12, p, &sum));
    int checked = 0, differs = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isfinite(p[k].phi_eq_liquid))
            continue;
        assert_true(isfinite(p[k].tf_liquid_cond));
        CHECK_REL(p[k].tf_liquid_cond, p[k].T, 1e-6);
        CHECK_ABS(p[k].phi_liquid, p[k].phi_eq_liquid, 1e-7);
        checked++;
        if (!(fabs(p[k].tf_liquid - p[k].T) < 1e-3))
            differs++;
    }
    assert_true(checked >= 15);
    assert_true(differs >= 3); /* below T_m = 1.29 at D = 20 */
    CHECK_REL(sum.tg_liquid_cond, 1.0, 1e-6);
    free(p);
    hl_scan_free(s);
    hl_model_free(m);
}

/* ------------------------------------------------------------ fragility */

typedef struct {
    double ln_tau0, E, T0; /* ln tau = ln tau0 + E / (T - T0) */
} vft;

static int vft_fn(void *ctx, double T, double *ln_tau)
{
    const vft *v = ctx;
    *ln_tau = T > v->T0 ? v->ln_tau0 + v->E / (T - v->T0) : NAN;
    return HL_OK;
}

static void test_fragility_closed_form(void **state)
{
    (void)state;
    const vft cases[] = {{log(0.5), 3.0, 0.0}, {log(2e-3), 10.0, 0.0}, {0.0, 2.0, 0.3},
                         {log(10.0), 1.0, 0.5}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const vft *v = &cases[c];
        double T[40], lt[40];
        for (int i = 0; i < 40; i++) {
            T[i] = v->T0 + 0.02 + 4.0 * i / 39.0;
            vft_fn((void *)v, T[i], &lt[i]);
        }
        for (double tg_tau = 1e3; tg_tau <= 1e9; tg_tau *= 1e3) {
            hl_fragility f;
            CHECK_OK(hl_fragility_find(vft_fn, (void *)v, T, lt, 40, tg_tau, &f));
            double L = log(tg_tau) - v->ln_tau0;
            double tg = v->T0 + v->E / L;
            /* m = (1/T_g) d log10 tau / d(1/T) = E T_g / (ln 10 (T_g - T0)^2) */
            double m = v->E * tg / (log(10.0) * (tg - v->T0) * (tg - v->T0));
            if (!(tg > T[39] || tg < T[0])) {
                CHECK_REL(f.tg, tg, 1e-11);
                CHECK_REL(f.m, m, 1e-3);
                assert_true(fabs(f.m - m) <= 3 * f.m_error + 1e-10 * m);
                if (v->T0 == 0) /* Arrhenius: m = log10(tau_g / tau0) */
                    CHECK_REL(f.m, L / log(10.0), 1e-8);
            } else {
                assert_true(isnan(f.tg) && isnan(f.m));
                assert_true(strlen(f.null_reason) > 10);
            }
        }
    }
    hl_fragility f;
    double T[2] = {1, 2}, lt[2] = {0, 1};
    assert_int_equal(hl_fragility_find(vft_fn, (void *)&cases[0], T, lt, 2, 0, &f), HL_EDOM);
    assert_int_equal(hl_fragility_find(NULL, NULL, T, lt, 2, 1, &f), HL_EINVAL);
}

/* ------------------------------------------------------------ relaxation */

/* A uniform B = exp(-E/T) multiplies every rate by exp(-E/T): tau and the
 * MFPT scale by exp(E/T) exactly. */
static void test_relaxation_uniform_b(void **state)
{
    (void)state;
    hl_model *m1 = model(NULL, NULL), *mE = model(NULL, "exp(-2.5/T)");
    hl_model *g1 = model("x+y-1.2*(x-y+0.1)^2+0.5*x*y", NULL);
    hl_model *gE = model("x+y-1.2*(x-y+0.1)^2+0.5*x*y", "exp(-0.7/T)");
    const double Ts[] = {1.5, 1.0, 0.6, 0.3};
    for (size_t i = 0; i < 4; i++) {
        hl_relax_point a, b;
        CHECK_OK(hl_relaxation_at(m1, 24, Ts[i], &a));
        CHECK_OK(hl_relaxation_at(mE, 24, Ts[i], &b));
        assert_true(isfinite(a.ln_tau) && isfinite(b.ln_tau));
        CHECK_ABS(b.ln_tau - a.ln_tau, 2.5 / Ts[i], 1e-9 * fabs(b.ln_tau) + 1e-11);
        if (isfinite(a.ln_mfpt))
            CHECK_ABS(b.ln_mfpt - a.ln_mfpt, 2.5 / Ts[i], 1e-9 * fabs(b.ln_mfpt) + 1e-11);
        CHECK_OK(hl_relaxation_at(g1, 16, Ts[i], &a));
        CHECK_OK(hl_relaxation_at(gE, 16, Ts[i], &b));
        if (isfinite(a.ln_tau))
            CHECK_ABS(b.ln_tau - a.ln_tau, 0.7 / Ts[i], 1e-9 * fabs(b.ln_tau) + 1e-11);
    }
    hl_relax_point p;
    assert_int_equal(hl_relaxation_at(m1, 23, 1.0, &p), HL_EDOM);
    assert_int_equal(hl_relaxation_at(m1, 20, 0.0, &p), HL_EDOM);
    assert_int_equal(hl_relaxation_at(m1, 20, NAN, &p), HL_EDOM);
    assert_int_equal(hl_relaxation_at(m1, 402, 1.0, &p), HL_EDOM);
    hl_model_free(m1);
    hl_model_free(mE);
    hl_model_free(g1);
    hl_model_free(gE);
}

typedef struct {
    long w;
    int *lab; /* 0 none, 1 liquid, 2 crystal, 3 other */
} labset;

static int visit_lab(void *c, long nn, long n1, double x, double y, double lq, const char *b)
{
    (void)x;
    (void)y;
    (void)lq;
    labset *l = c;
    l->lab[n1 * l->w + (nn - n1)] = !strcmp(b, "liquid") ? 1 : !strcmp(b, "crystal") ? 2 : 3;
    return 0;
}

static double lnchoose(long h, long k)
{
    return lgamma(h + 1.0) - lgamma(k + 1.0) - lgamma(h - k + 1.0);
}

/* eq 5.2 written out: the rate of class i = (a, b) -> j across the bond */
static double rate(const hl_model *m, long h, long a, long b, long a2, long b2, double T)
{
    double D = 2.0 * h;
    double x1 = (double)(a + b) / h - 1, y1 = (double)(a - b) / h;
    double x2 = (double)(a2 + b2) / h - 1, y2 = (double)(a2 - b2) / h;
    double count = a2 > a ? h - a : a2 < a ? a : b2 > b ? h - b : b;
    double B = hl_model_transmission(m, 0.5 * (x1 + x2), 0.5 * (y1 + y2), T);
    return count * B * exp((hl_model_phi(m, x1, y1) - hl_model_phi(m, x2, y2)) * D / (2 * T));
}

/* tau and the MFPT against a dense computation written out here: the
 * symmetrised generator of the liquid basin (LAPACK eigenvalues) and the
 * MFPT equations to the crystal (LAPACK solve), from eq 5.2's rates. */
static void test_relaxation_dense(void **state)
{
    (void)state;
    const char *Bs[] = {GLASS_B, NULL, "1+0.5*x*y"};
    const double Ts[] = {0.9, 0.6, 1.2};
    for (int c = 0; c < 3; c++) {
        hl_model *m = model(NULL, Bs[c]);
        long D = 12, h = 6, w = 7, N = 49;
        double T = Ts[c];
        int lab[49];
        memset(lab, 0, sizeof lab);
        labset L = {w, lab};
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, D, HL_EXACT_AUTO, &ex));
        CHECK_OK(hl_exact_distribution(ex, 1.0 / T, visit_lab, &L));
        hl_exact_free(ex);
        /* liquid states */
        long idx[49], nl = 0;
        for (long i = 0; i < N; i++)
            idx[i] = lab[i] == 1 ? nl++ : -1;
        assert_true(nl >= 2);
        double *S = calloc((size_t)(nl * nl), sizeof(double)), ev[49];
        assert_non_null(S);
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                long i = a * w + b;
                if (idx[i] < 0)
                    continue;
                const long nb[4][2] = {{a + 1, b}, {a - 1, b}, {a, b + 1}, {a, b - 1}};
                for (int k = 0; k < 4; k++) {
                    long a2 = nb[k][0], b2 = nb[k][1];
                    if (a2 < 0 || b2 < 0 || a2 > h || b2 > h || idx[a2 * w + b2] < 0)
                        continue;
                    double kf = rate(m, h, a, b, a2, b2, T), kb = rate(m, h, a2, b2, a, b, T);
                    S[idx[i] * nl + idx[i]] += kf;
                    S[idx[i] * nl + idx[a2 * w + b2]] = -sqrt(kf * kb);
                }
            }
        assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', nl, S, nl, ev), 0);
        hl_relax_point p;
        CHECK_OK(hl_relaxation_at(m, D, T, &p));
        assert_int_equal(p.liquid_classes, nl);
        CHECK_REL(exp(-p.ln_tau), ev[1], 1e-9);
        /* MFPT to the crystal: sum_j k_ij (t_j - t_i) = -1 off the crystal */
        double *A = calloc((size_t)(N * N), sizeof(double)), rhs[49], pi[49];
        assert_non_null(A);
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                long i = a * w + b;
                pi[i] = exp(lnchoose(h, a) + lnchoose(h, b) -
                            D * hl_model_phi(m, (double)(a + b) / h - 1, (double)(a - b) / h) / T);
                if (lab[i] == 2 || lab[i] == 0) {
                    A[i * N + i] = 1;
                    rhs[i] = 0;
                    continue;
                }
                rhs[i] = -1;
                const long nb[4][2] = {{a + 1, b}, {a - 1, b}, {a, b + 1}, {a, b - 1}};
                for (int k = 0; k < 4; k++) {
                    long a2 = nb[k][0], b2 = nb[k][1];
                    if (a2 < 0 || b2 < 0 || a2 > h || b2 > h || lab[a2 * w + b2] == 0)
                        continue;
                    double kf = rate(m, h, a, b, a2, b2, T);
                    A[i * N + i] -= kf;
                    A[i * N + a2 * w + b2] += kf;
                }
            }
        lapack_int ipiv[49];
        assert_int_equal(LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)N, 1, A, (lapack_int)N, ipiv,
                                       rhs, 1),
                         0);
        double num = 0, den = 0;
        for (long i = 0; i < N; i++)
            if (lab[i] == 1) {
                num += pi[i] * rhs[i];
                den += pi[i];
            }
        assert_true(isfinite(p.ln_mfpt));
        CHECK_REL(exp(p.ln_mfpt), num / den, 1e-8);
        free(S);
        free(A);
        hl_model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_vs_evolve),
        cmocka_unit_test(test_tf_cond_slow),
        cmocka_unit_test(test_fragility_closed_form),
        cmocka_unit_test(test_relaxation_uniform_b),
        cmocka_unit_test(test_relaxation_dense),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
