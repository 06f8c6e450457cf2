/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_passage.c -- the kinetics of `hyperland network` at one
 * temperature: the rate constants and mean first-passage times between the
 * sets A and B in both directions, the slowest relaxation rates, and the
 * committor file (--committor).  A thin layer over the public chain
 * (chain.h) solved on the network's chain (network.h): every number comes
 * with its method and resolution, and a number that is not a double (or
 * whose digits were lost) is null with the reason. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "network_passage.h"

/* below this ln a value is not a normal double: null, its ln is given */
#define LN_DBL_MIN (-708.3964185322641)
#define LN_DBL_MAX 709.782712893384

static double as_double(double ln, const char **why)
{
    if (isnan(ln)) {
        *why = "not computed";
        return NAN;
    }
    if (ln == -INFINITY) { /* an exact 0 (the committor on A) */
        *why = NULL;
        return 0.0;
    }
    if (ln < LN_DBL_MIN) {
        *why = "below the smallest normal double: the ln_ key holds it";
        return NAN;
    }
    if (ln > LN_DBL_MAX) {
        *why = "above the largest double: the ln_ key holds it";
        return NAN;
    }
    *why = NULL;
    return exp(ln);
}

int cli_netpass_declare(const char *cmd, const char *committor)
{
    if (committor && !cli_output_declare(cmd, "--committor", committor, 0))
        return cli_outputs_status();
    return EXIT_OK;
}

static void copy_msg(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src);
}

/* The committor of every network minimum as CSV (the file was declared). */
static int write_committor(const char *cmd, const hl_network *net, const cli_netpass *k,
                           const double *lq, const double *lqm, const char *path,
                           const char *spec_a, const char *spec_b)
{
    FILE *fp = cli_output_stream(cmd, path);
    if (!fp)
        return 0;
    hl_network_info in;
    hl_network_get_info(net, &in);
    char params[1024];
    snprintf(params, sizeof params,
             "network of %ld minima (the component of %ld); T = %.17g (k_B T in the "
             "database's energy unit); A = %s; B = %s; committor q = P(reach B before A | "
             "start at the minimum), 1 on B, 0 on A; method %s, relative resolution %.3g",
             in.network_minima, in.root_id, k->T, spec_a ? spec_a : "(given)",
             spec_b ? spec_b : "(given)", k->committor_method, k->committor_resolution);
    cli_csv_preamble(fp, params);
    fprintf(fp, "id,set,committor,ln_committor,one_minus_committor,ln_one_minus_committor\n");
    unsigned char *set = calloc((size_t)in.network_minima, 1);
    if (!set) {
        cli_error(cmd, "out of memory");
        return 0;
    }
    for (int w = 0; w < 2; w++) {
        const long *st;
        size_t n;
        hl_network_set_states(net, w, &st, &n);
        for (size_t i = 0; i < n; i++)
            set[st[i]] = (unsigned char)(w + 1);
    }
    for (long s = 0; s < in.network_minima; s++) {
        long id = 0;
        hl_network_id(net, s, &id);
        const char *why;
        fprintf(fp, "%ld,%s", id, set[s] == 1 ? "A" : set[s] == 2 ? "B" : "");
        /* empty where the value is not a normal double (its ln is given) */
        hl_csv_number(fp, ",%.17g", as_double(lq[s], &why));
        hl_csv_number(fp, ",%.17g", lq[s]);
        hl_csv_number(fp, ",%.17g", as_double(lqm[s], &why));
        hl_csv_number(fp, ",%.17g\n", lqm[s]);
    }
    free(set);
    return 1;
}

int cli_netpass_run(const char *cmd, const hl_network *net, double T, int count,
                    const char *method, const char *committor, const char *spec_a,
                    const char *spec_b, cli_netpass *k)
{
    memset(k, 0, sizeof *k);
    k->T = T;
    k->count = count;
    hl_network_info in;
    int st = hl_network_get_info(net, &in);
    if (st)
        return cli_lib_error(cmd, st);
    hl_chain_plan *plan = NULL;
    if ((st = hl_chain_plan_create(hl_network_chain(net), 1.0 / T, &plan)))
        return cli_lib_error(cmd, st);
    int rc = EXIT_OK;
    long n = in.network_minima;
    k->network_minima = n;
    /* the slowest relaxation rates, in logs */
    k->rates = malloc(sizeof(double) * (size_t)count);
    k->ln_rates = malloc(sizeof(double) * (size_t)count);
    if (!k->rates || !k->ln_rates) {
        cli_error(cmd, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    hl_chain_result res;
    st = hl_chain_slow_rates(plan, count, k->ln_rates, k->rates_why, sizeof k->rates_why, &res);
    if (st == HL_ENOMEM) {
        rc = cli_lib_error(cmd, st);
        goto done;
    }
    if (st) {
        for (int q = 0; q < count; q++)
            k->ln_rates[q] = NAN;
        copy_msg(k->rates_error, sizeof k->rates_error, hl_errmsg());
        k->rates_method = "none";
        k->rates_resolution = NAN;
    } else {
        k->rates_method = res.method;
        k->rates_resolution = res.resolution;
    }
    for (int q = 0; q < count; q++) {
        const char *why;
        k->rates[q] = as_double(k->ln_rates[q], &why);
    }
    /* passage between the sets */
    const long *sa, *sb;
    size_t na, nb;
    hl_network_set_states(net, HL_NETWORK_A, &sa, &na);
    hl_network_set_states(net, HL_NETWORK_B, &sb, &nb);
    if (!na || !nb) {
        copy_msg(k->passage_reason, sizeof k->passage_reason,
                 "no sets: give both A and B (--A, --B, or min.A and min.B in --db)");
        goto done;
    }
    k->have_passage = 1;
    st = hl_chain_rate_constants(plan, na, sa, nb, sb, method, &k->ab, &k->ba, &res);
    if (st == HL_ENOMEM || (st == HL_EINVAL && method)) {
        rc = cli_lib_error(cmd, st);
        goto done;
    }
    if (st) {
        k->have_passage = 0;
        copy_msg(k->passage_reason, sizeof k->passage_reason, hl_errmsg());
    } else {
        k->passage_method = res.method;
        k->passage_resolution = res.resolution;
    }
    if (committor) {
        double *lq = malloc(sizeof(double) * (size_t)n), *lqm = malloc(sizeof(double) * (size_t)n);
        if (!lq || !lqm) {
            free(lq);
            free(lqm);
            cli_error(cmd, "out of memory");
            rc = EXIT_FAIL;
            goto done;
        }
        st = hl_chain_committor(plan, na, sa, nb, sb, method, lq, lqm, &res);
        if (st) {
            rc = cli_lib_error(cmd, st);
        } else {
            k->committor_method = res.method;
            k->committor_resolution = res.resolution;
            if (!write_committor(cmd, net, k, lq, lqm, committor, spec_a, spec_b))
                rc = EXIT_FAIL;
        }
        free(lq);
        free(lqm);
    }
done:
    hl_chain_plan_free(plan);
    return rc;
}

void cli_netpass_free(cli_netpass *k)
{
    free(k->rates);
    free(k->ln_rates);
    k->rates = k->ln_rates = NULL;
}

/* the reason rate q (ln: its ln) is null (NULL: it is not) */
static const char *rate_reason(const cli_netpass *k, int q, int ln)
{
    double l = k->ln_rates[q];
    if (k->rates_error[0])
        return k->rates_error;
    if (q >= k->network_minima)
        return "beyond the number of network minima";
    if (isnan(l))
        return k->rates_why[0] ? k->rates_why : "not resolved";
    if (ln && l == -INFINITY)
        return "the rate is exactly 0 (the equilibrium): ln 0 is not a number";
    const char *why = NULL;
    if (!ln)
        as_double(l, &why);
    return why;
}

static void json_dir(const hl_chain_direction *d, int from_b)
{
    struct {
        const char *key;
        double ln;
    } v[4] = {{"mfpt", d->ln_mfpt}, {"k_f", d->ln_k_f}, {"k_nss", d->ln_k_nss},
              {"k_ss", d->ln_k_ss}};
    printf("{\"from\": \"%c\", \"to\": \"%c\", \"pathsample\": \"%s\"", from_b ? 'B' : 'A',
           from_b ? 'A' : 'B', from_b ? "A<-B" : "B<-A");
    const char *why[4];
    for (int i = 0; i < 4; i++) {
        printf(", \"%s\": ", v[i].key);
        hl_json_number(stdout, as_double(v[i].ln, &why[i]));
        printf(", \"ln_%s\": ", v[i].key);
        hl_json_number(stdout, v[i].ln);
    }
    printf(", \"ln_p_source\": ");
    hl_json_number(stdout, d->ln_p_source);
    printf(", \"null_reasons\": {");
    for (int i = 0, first = 1; i < 4; i++)
        if (why[i]) {
            printf("%s\"%s\": ", first ? "" : ", ", v[i].key);
            hl_json_string(stdout, why[i]);
            first = 0;
        }
    printf("}}");
}

void cli_netpass_json(const cli_netpass *k)
{
    printf(", \"passage\": ");
    if (k->have_passage) {
        printf("[");
        json_dir(&k->ba, 1);
        printf(", ");
        json_dir(&k->ab, 0);
        printf("], \"passage_method\": ");
        hl_json_string(stdout, k->passage_method);
        printf(", \"passage_resolution\": ");
        hl_json_number(stdout, k->passage_resolution);
        printf(", \"passage_null_reason\": null");
    } else {
        printf("null, \"passage_method\": null, \"passage_resolution\": null, "
               "\"passage_null_reason\": ");
        hl_json_string(stdout, k->passage_reason);
    }
    printf(", \"count\": %d, \"rates\": [", k->count);
    for (int q = 0; q < k->count; q++) {
        printf("%s", q ? ", " : "");
        hl_json_number(stdout, k->rates[q]);
    }
    printf("], \"ln_rates\": [");
    for (int q = 0; q < k->count; q++) {
        printf("%s", q ? ", " : "");
        hl_json_number(stdout, k->ln_rates[q]);
    }
    printf("], \"rates_method\": ");
    hl_json_string(stdout, k->rates_method);
    printf(", \"rates_resolution\": ");
    hl_json_number(stdout, k->rates_resolution);
    printf(", \"rates_resolution_kind\": \"relative\"");
    for (int ln = 0; ln < 2; ln++) {
        printf(", \"%s\": [", ln ? "ln_rates_null_reasons" : "rates_null_reasons");
        for (int q = 0; q < k->count; q++) {
            const char *w = rate_reason(k, q, ln);
            printf("%s", q ? ", " : "");
            if (w)
                hl_json_string(stdout, w);
            else
                printf("null");
        }
        printf("]");
    }
}

static void text_dir(const hl_chain_direction *d, int from_b)
{
    const char *why;
    double t = as_double(d->ln_mfpt, &why);
    printf("  %c -> %c (PATHSAMPLE %s): MFPT = %s (ln %s)", from_b ? 'B' : 'A',
           from_b ? 'A' : 'B', from_b ? "A<-B" : "B<-A", cli_numx("%.10g", t, "(see ln)"),
           cli_num("%.12g", d->ln_mfpt));
    double kf = as_double(d->ln_k_f, &why), kn = as_double(d->ln_k_nss, &why),
           ks = as_double(d->ln_k_ss, &why);
    printf(", k_F = %s, k_NSS = %s, k_SS = %s\n", cli_numx("%.10g", kf, "(see ln)"),
           cli_numx("%.10g", kn, "(see ln)"), cli_numx("%.10g", ks, "(see ln)"));
    printf("      ln k_F = %s, ln k_NSS = %s, ln k_SS = %s\n", cli_num("%.12g", d->ln_k_f),
           cli_num("%.12g", d->ln_k_nss), cli_num("%.12g", d->ln_k_ss));
}

void cli_netpass_text(const cli_netpass *k)
{
    if (k->have_passage) {
        printf("passage at T = %s (%s, relative resolution %s; from local equilibrium in the "
               "source set, the target absorbing):\n",
               cli_num("%g", k->T), k->passage_method, cli_num("%.2g", k->passage_resolution));
        text_dir(&k->ba, 1);
        text_dir(&k->ab, 0);
    } else {
        printf("passage: not computed (%s)\n", k->passage_reason);
    }
    printf("slowest relaxation rates (%s, relative resolution %s):", k->rates_method,
           cli_num("%.2g", k->rates_resolution));
    for (int q = 0; q < k->count; q++)
        printf(" %s", cli_numx("%.10g", k->rates[q], "(see ln)"));
    printf("\n  ln:");
    for (int q = 0; q < k->count; q++)
        printf(" %s", cli_numx("%.12g", k->ln_rates[q], q == 0 ? "n/a (rate 0)" : "n/a"));
    printf("\n");
    for (int q = 0; q < k->count; q++) {
        const char *w = rate_reason(k, q, 0);
        if (w) {
            printf("  n/a: %s\n", w);
            break;
        }
    }
}
