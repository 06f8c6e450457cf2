/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_evolve_stiff.c -- the fixed-temperature evolution (hl_chain_evolve
 * through hl_network_evolve) on a stiff reversible chain: the 12-minimum
 * LJ38 path (tests/data/LJ38-tutorial-12), whose rates span ~40 decades at
 * k_B T = 0.1 and more below.  The Krylov exponential must run (method
 * "krylov", no BDF fallback) where the route takes it (at T = 0.05 the
 * slowest rate is below the eigensolver's resolution: CVODE), and every
 * probability must be right to about rtol/100 absolute against mpmath (tests/ref/network_evolve.py: eigendecomposition
 * of the symmetrised generator at 60 digits).  The Arnoldi small
 * exponential overflowed on this chain (BDF then ran, with errors about
 * rtol) or, at t = 1e9 alone, silently lost digits (1e-6). */
#include "test_util.h"
#include "hyperland/network.h"

#ifndef HL_TEST_DATA_DIR
#error "HL_TEST_DATA_DIR must be defined (tests/CMakeLists.txt)"
#endif

/* network_evolve.py tests/data/LJ38-tutorial-12 0.1 8 1 1e6 1e9 1e12 */
static const double ref_a[4][12] = {
    {1.0105863504630439472e-31, 2.9405568448645271592e-33, 1.4447009998866955427e-26, 5.4040238258496380288e-30, 3.4239821968206099402e-28, 2.8930674318813277895e-17, 1.9615618364771374284e-29, 0.99999999778504577055, 1.6712715339790151814e-9, 5.4368266654090218916e-10, 2.2811254174867478347e-24, 6.1532345744253109165e-25},
    {2.5917525745924188879e-17, 2.9223692391090250929e-12, 3.1036741804114318334e-15, 8.102765477672723117e-17, 5.2321477115840951381e-20, 5.9377261934018528348e-10, 1.8152161577059419471e-16, 0.9985195307633242224, 2.655572410057100029e-9, 0.0014804659843972942149, 4.1095142354367394016e-16, 7.281603888786761225e-15},
    {6.7245601176975755688e-15, 1.1498137605714306419e-6, 8.0526510233532143311e-13, 2.1023363495351365755e-14, 1.3653087758046708534e-17, 1.5402401681318624536e-7, 4.8003917821597229648e-14, 0.6159682485134028703, 3.6526078350176223705e-9, 0.38403044399333503412, 1.0660061044577748638e-13, 1.8892447399433034351e-12},
    {6.8855179548272703271e-15, 0.001549810761618999273, 8.2293349790106932162e-13, 2.1502302144718250563e-14, 1.3952414411010761391e-17, 1.5740071530746762188e-7, 4.9056400385826668248e-14, 0.60600041009947566849, 3.6704440889181772066e-9, 0.39244961806480591154, 1.0893763639409205769e-13, 1.9306950063366250665e-12},
};
/* network_evolve.py tests/data/LJ38-tutorial-12 0.05 8 1e6 1e12 */
static const double ref_b[2][12] = {
    {1.9931628249584647485e-45, 1.4736807805460685107e-40, 1.1737122218580068686e-41, 2.9966108355814749953e-45, 3.8019820236808397599e-50, 1.1864689865444807911e-28, 2.1922222087362622272e-45, 0.99999999999995444369, 4.1889347142933872368e-19, 4.5555888020970035909e-14, 5.1075215999065239035e-43, 7.3765859025468745542e-41},
    {2.0135225509564718813e-39, 1.5037881231856258575e-28, 1.1856813731555015042e-35, 3.0272051029750307203e-39, 6.749251347127699256e-44, 1.1864743825607966605e-22, 2.8832577925188006791e-36, 0.99999995444403186085, 4.1889414192190727569e-19, 4.5555968138734392092e-8, 5.107566439098728631e-37, 7.4517730292348585956e-35},
};
/* network_evolve.py tests/data/LJ38-tutorial-12 0.07 12 1e9 */
static const double ref_c[1][12] = {
    {5.0701712518095577068e-22, 0.077315450881630149359, 2.9806572040890362404e-19, 1.1249912330681497973e-21, 1.6219350916765862964e-25, 1.1460016066360972511e-10, 3.2113218578355025087e-20, 0.00033580510930303878173, 1.0832895543111080245e-12, 0.92234874389338336022, 2.4121645769179652928e-20, 1.0639317956448693613e-18},
};

static hl_network *open_path(void)
{
    hl_network *net = NULL;
    assert_int_equal(hl_network_read_pathsample_dir(HL_TEST_DATA_DIR "/LJ38-tutorial-12", &net),
                     HL_OK);
    assert_int_equal(hl_network_build(net, NULL), HL_OK);
    hl_network_info info;
    hl_network_get_info(net, &info);
    assert_int_equal(info.network_minima, 12);
    return net;
}

/* the evolution from minimum `start` at k_B T = T to the times against
 * ref (chain state k = database id k + 1: the path has no dropped minima) */
static void check_case(hl_network *net, double T, long start, const double *times, size_t nt,
                       const double (*ref)[12], double rtol, const char *want)
{
    double p0[12], out[4 * 12];
    assert_true(nt <= 4);
    assert_int_equal(hl_network_start(net, HL_NETWORK_START_MINIMUM, start, 0, p0), HL_OK);
    const char *method = NULL;
    assert_int_equal(hl_network_evolve(net, T, NULL, p0, times, nt, rtol, out, &method), HL_OK);
    assert_non_null(method);
    assert_string_equal(method, want);
    for (size_t k = 0; k < nt; k++) {
        double s = 0;
        for (int a = 0; a < 12; a++) {
            CHECK_ABS(out[k * 12 + a], ref[k][a], rtol / 100);
            s += out[k * 12 + a];
        }
        CHECK_ABS(s, 1.0, 1e-13);
    }
}

static void test_stiff_path(void **state)
{
    (void)state;
    hl_network *net = open_path();
    const double ta[] = {1, 1e6, 1e9, 1e12}, tb[] = {1e6, 1e12}, tc[] = {1e9};
    for (int r = 0; r < 2; r++) {
        double rtol = r ? 1e-10 : 1e-8;
        check_case(net, 0.1, 8, ta, 4, ref_a, rtol, "krylov");
        check_case(net, 0.1, 8, ta + 2, 1, ref_a + 2, rtol, "krylov"); /* t = 1e9 alone */
        /* the slowest rate below the eigensolver's resolution, from the
         * log-space fixed point (more than two basins): CVODE up to the
         * switch, as for a tunnelling rate (since 2026-12-03) */
        check_case(net, 0.05, 8, tb, 2, ref_b, rtol, "cvode");
        check_case(net, 0.07, 12, tc, 1, ref_c, rtol, "krylov");
    }
    hl_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stiff_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
