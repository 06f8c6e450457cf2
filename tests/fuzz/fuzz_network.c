/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_network.c -- fuzz target: the network readers of network.h
 * (PATHSAMPLE min.data/ts.data, the CSV states/transitions, sets in min.A
 * form and as lists), hl_network_build and the thermodynamics.
 *
 * Input: a mode byte, then up to four parts separated by form feeds (\f):
 * the minima (or states) file, the transition-state (or transitions) file,
 * a set A file (min.A form) and a set B list ("1,2,5").  Mode bit 0: CSV
 * instead of PATHSAMPLE; bit 1: use the set A file; bit 2: use the B list.
 *
 * Properties: a refused input leaves no network and a one-line message; an
 * accepted one has consistent counts (network within the database, every
 * network state mapping back to its id, the chain with one state per
 * network minimum and one edge per network transition state), sets inside
 * the network, and at T = 1 and T = 0.01 either a range error or a finite
 * ln Z, populations in [0, 1] with ln P <= 0, a heat capacity >= 0. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "hyperland/hyperland.h"

static FILE *part(const uint8_t *p, size_t n)
{
    static const char empty[1] = "";
    /* glibc's fmemopen reads a 0-byte buffer as empty */
    return fmemopen(n ? (void *)p : (void *)empty, n, "r");
}

static void check_message(void)
{
    const char *m = hl_errmsg();
    FUZZ_CHECK(m && *m && !strchr(m, '\n'));
}

static void check_thermo(const hl_network *net, double T)
{
    hl_network_thermo th;
    int st = hl_network_thermodynamics(net, T, 0, &th);
    if (st) {
        FUZZ_CHECK(st == HL_ERANGE);
        check_message();
        return;
    }
    FUZZ_CHECK(isfinite(th.ln_Z) && isfinite(th.mean_energy));
    FUZZ_CHECK(isnan(th.heat_capacity) || th.heat_capacity >= 0);
    for (int w = 0; w < 2; w++) {
        FUZZ_CHECK(isnan(th.ln_pop[w]) || th.ln_pop[w] <= 0);
        FUZZ_CHECK(isnan(th.pop[w]) || (th.pop[w] >= 0 && th.pop[w] <= 1));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int mode = data[0];
    const uint8_t *p = data + 1, *end = data + size;
    const uint8_t *seg[4] = {p, NULL, NULL, NULL};
    size_t len[4] = {0, 0, 0, 0};
    int k = 0;
    for (const uint8_t *q = p; k < 4; q++) {
        if (q == end || (*q == '\f' && k < 3)) {
            len[k] = (size_t)(q - seg[k]);
            if (q == end)
                break;
            seg[++k] = q + 1;
        }
    }
    if (!seg[1]) /* one part: the same bytes for both files */
        seg[1] = seg[0], len[1] = len[0];
    FILE *f1 = part(seg[0], len[0]), *f2 = part(seg[1], len[1]);
    if (!f1 || !f2) {
        if (f1)
            fclose(f1);
        if (f2)
            fclose(f2);
        return 0;
    }
    hl_network *net = NULL;
    int st = (mode & 1) ? hl_network_read_csv_stream(f1, "states", f2, "transitions", &net)
                        : hl_network_read_pathsample_stream(f1, "min.data", f2, "ts.data", &net);
    fclose(f1);
    fclose(f2);
    if (st) {
        FUZZ_CHECK(net == NULL);
        check_message();
        return 0;
    }
    FUZZ_CHECK(net != NULL);
    if ((mode & 2) && seg[2]) {
        FILE *fa = part(seg[2], len[2]);
        if (fa) {
            if (hl_network_read_set_stream(net, HL_NETWORK_A, fa, "min.A"))
                check_message();
            fclose(fa);
        }
    }
    if ((mode & 4) && seg[3] && len[3] < 4096) {
        char list[4096];
        memcpy(list, seg[3], len[3]);
        list[len[3]] = 0;
        if (hl_network_set_list(net, HL_NETWORK_B, list))
            check_message();
    }
    st = hl_network_build(net, NULL);
    if (st) {
        FUZZ_CHECK(st == HL_EPARSE || st == HL_ENOMEM);
        check_message();
        FUZZ_CHECK(hl_network_chain(net) == NULL);
        hl_network_free(net);
        return 0;
    }
    hl_network_info in;
    FUZZ_CHECK(hl_network_get_info(net, &in) == HL_OK);
    FUZZ_CHECK(in.minima >= 1 && in.network_minima >= 1 && in.network_minima <= in.minima);
    FUZZ_CHECK(in.degenerate_ts <= in.transition_states);
    FUZZ_CHECK(in.network_ts <= in.transition_states - in.degenerate_ts);
    FUZZ_CHECK(in.network_pairs <= in.network_ts);
    FUZZ_CHECK(in.components >= 1 && in.isolated <= in.components);
    FUZZ_CHECK(in.dropped_minima == in.minima - in.network_minima);
    hl_chain_info ci;
    hl_chain_get_info(hl_network_chain(net), &ci);
    FUZZ_CHECK(ci.states == in.network_minima && ci.edges == in.network_ts);
    for (long s = 0; s < in.network_minima; s++) {
        long id, back;
        FUZZ_CHECK(hl_network_id(net, s, &id) == HL_OK);
        FUZZ_CHECK(hl_network_state(net, id, &back) == HL_OK && back == s);
    }
    for (int w = 0; w < 2; w++) {
        const long *v;
        size_t n, nd;
        FUZZ_CHECK(hl_network_set_states(net, w, &v, &n) == HL_OK);
        FUZZ_CHECK((long)n == in.n_set[w]);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(v[i] >= 0 && v[i] < in.network_minima && (i == 0 || v[i] > v[i - 1]));
        FUZZ_CHECK(hl_network_dropped(net, w, &v, &nd) == HL_OK);
        FUZZ_CHECK((long)(n + nd) == in.n_set_given[w]);
    }
    const hl_network_warning *wv;
    size_t nw = hl_network_warnings(net, &wv);
    FUZZ_CHECK((long)nw == in.warnings);
    for (size_t i = 0; i < nw; i++)
        FUZZ_CHECK(wv[i].text[0] && !strchr(wv[i].text, '\n'));
    check_thermo(net, 1.0);
    check_thermo(net, 0.01);
    hl_network_free(net);
    return 0;
}
