/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc_hypercube.c -- `hyperland kmc --hypercube`: exact kinetic Monte
 * Carlo on the 2^D vertices of the full hypercube with per-spin disorder
 * and vertex energies (hypercube_kmc.h): ensembles of trajectories and the
 * effective mobility tensor. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hyperland/hypercube_kmc.h"
#include "hyperland/kmc.h"

static const char *CMD = "kmc --hypercube";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland kmc --hypercube --dim D (--beta B | --temperature T |\n"
"                     --protocol FILE) [--times t1,t2,... | --mobility] [options]\n"
"\n"
"Exact kinetic Monte Carlo (Gillespie) on the 2^D vertices of the hypercube,\n"
"D spins.  Flipping spin i happens at f_i B(x_mid, y_mid, T)\n"
"exp(-beta (Phi' - Phi) / 2), Phi = D phi(x, y) + eps(vertex) (eq 5.2 at\n"
"the vertex level): with f_i = 1 and eps = 0 the classes (n, n1) follow the\n"
"class master equation of 'evolve' exactly.  f_i: each spin's transmission\n"
"factor (--disorder), eps: random vertex energies (--vertex-shift).  The\n"
"event is picked in O(1) expected time by composition-rejection (spins\n"
"binned by the binary exponent of f_i; --select tree: O(log D) partial-sum\n"
"trees; a trajectory is reproducible per method) (D up to 1e6); vertex\n"
"energies cost O(D) per event.  Under a protocol the event times are exact\n"
"(thinning with a rigorous bound; B must not depend on T).  Trajectory i\n"
"draws from the counter-based stream (seed, i): the same seed gives the\n"
"same numbers on any number of threads, and\n"
"--first-trajectory splits an ensemble over processes (concatenate the\n"
"--keep files in id order).\n"
"\n"
"Ensemble (--times): the means, standard errors and variances of s = x + y,\n"
"d = x - y, x, y over the trajectories at each time.\n"
"Mobility (--mobility, fixed beta): the tensor K of dQ/dt = div K (grad Q -\n"
"Q grad U) (mu = beta K) in (s, d) and (x, y), from short-time displacements\n"
"(the exact jump moments averaged over equilibrium trajectories) and from\n"
"the relaxation of the means (runs displaced by +-K standard deviations in s\n"
"and in d, common random numbers), beside the corrected eq 5.10 (4 B / D)\n"
"sqrt(1 - s^2), (4 B / D) sqrt(1 - d^2) (docs/fokker_planck.md).  Under\n"
"disorder the projection is not Markovian and the two measurements differ;\n"
"the printed tails are the displacement left at the end of --relax (a large\n"
"tail leaves K relax too large: lengthen --relax).\n"
"\n");
    fprintf(fp,
"options:\n"
"  --dim D              even dimension, 2 .. 1000000 (required)\n"
"  --beta B | --temperature T   fixed temperature\n"
"  --protocol FILE      T(t) or beta(t) as for 'evolve' (not with --mobility)\n"
"  --phi FORMULA        phi(x, y) (default eq 4.11)\n"
"  --transmission FORMULA  B(x, y, T) (default 1)\n"
"  --disorder SPEC      none (default) | lognormal:W (ln f = W z - W^2/2, E f = 1)\n"
"                       | lognormal:W1,lognormal:W2 (first half, second half)\n"
"                       | pair:W:R (width W, spin i of each half correlated by R)\n"
"                       | file:PATH (D positive factors, spin order)\n"
"  --vertex-shift W     Gaussian vertex energies of standard deviation W (units\n"
"                       of Phi = D phi), hashed from (seed, vertex)\n"
"  --select M          event selection of the factors: auto (= cr) |\n"
"                       cr (composition-rejection) | tree (written as\n"
"                       \"selection\" in --json)\n"
"  --seed S             0 <= S < 2^64 (default: drawn, printed on stderr and\n"
"                       written into every output)\n"
"  --trajectories N     trajectories (default 200)\n"
"  --first-trajectory I the first trajectory id (default 0)\n"
"  --from SPEC          random (a uniform vertex) | class:A,B (a uniform vertex\n"
"                       with A +1 spins in the first half, B in the second) |\n"
"                       liquid | crystal | basin:NAME (the class nearest to that\n"
"                       maximum of f at the first beta); default: the stable one\n"
"  --times t1,t2,...    output times (ensemble)\n"
"  --mobility           measure the mobility tensor instead\n"
"  --burn T --measure T --relax T --displacement K   the mobility's runs\n"
"                       (defaults 3, 2, 2.5, 4: equilibration, averaging,\n"
"                       relaxation length, start displacement in standard\n"
"                       deviations)\n"
"  --output FILE        CSV: the moments per time (ensemble) or the mobility\n"
"  --keep FILE          CSV: the class of every trajectory at every time\n"
"  --plot FILE.png      means against t (ensemble); the relaxation of the\n"
"                       displaced means beside the linear theory (mobility)\n"
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n");
    fputs(HL_FORMULA_HELP, fp);
}

typedef struct {
    const hl_model *m;
    const hl_hkmc *k;
    long D, N, first;
    uint64_t seed;
    double beta;
    const char *proto, *from;
    const hl_protocol *p;
    const double *times;
    size_t nt;
    const long *ab;
    const hl_hkmc_moments *mo;
    long long events, rejected;
    const hl_hkmc_mobility *mob;
    const double *curve;
    hl_hkmc_disorder_stats ds;
} run_t;

static void csv_params(FILE *fp, const run_t *r)
{
    char buf[1400];
    snprintf(buf, sizeof buf,
             "full hypercube KMC: dim=%ld seed=%" PRIu64 " disorder=%s vertex_shift=%.17g "
             "trajectories=%ld first_trajectory=%ld %s%s from=%s",
             r->D, r->seed, hl_hkmc_disorder(r->k), hl_hkmc_vertex_shift_width(r->k), r->N,
             r->first, r->proto ? "protocol=" : "beta=", r->proto ? r->proto : "", r->from);
    if (!r->proto) {
        size_t l = strlen(buf);
        char *at = strstr(buf, "beta=");
        if (at) {
            char rest[256];
            snprintf(rest, sizeof rest, "%s", at + 5);
            snprintf(at, sizeof buf - (size_t)(at - buf), "beta=%.17g%s", r->beta, rest);
        }
        (void)l;
    }
    cli_csv_preamble(fp, buf);
}

static int write_moments(FILE *fp, void *ctx)
{
    const run_t *r = ctx;
    csv_params(fp, r);
    fprintf(fp, "t,beta,mean_s,se_s,mean_d,se_d,mean_x,se_x,mean_y,se_y,var_s,var_d,var_x,var_y\n");
    for (size_t i = 0; i < r->nt; i++) {
        const hl_hkmc_moments *q = &r->mo[i];
        hl_csv_number(fp, "%.17g", q->t);
        fputc(',', fp);
        hl_csv_number(fp, "%.17g", hl_protocol_beta(r->p, q->t));
        for (int c = 0; c < 4; c++) {
            fputc(',', fp);
            hl_csv_number(fp, "%.17g", q->mean[c]);
            fputc(',', fp);
            hl_csv_number(fp, "%.17g", q->se[c]);
        }
        for (int c = 0; c < 4; c++) {
            fputc(',', fp);
            hl_csv_number(fp, "%.17g", q->var[c]);
        }
        fputc('\n', fp);
    }
    return ferror(fp);
}

static int write_keep(FILE *fp, void *ctx)
{
    const run_t *r = ctx;
    csv_params(fp, r);
    fprintf(fp, "trajectory,t,n,n1,x,y\n");
    long h = r->D / 2;
    for (long j = 0; j < r->N; j++)
        for (size_t i = 0; i < r->nt; i++) {
            const long *q = r->ab + 2 * ((size_t)j * r->nt + i);
            fprintf(fp, "%ld,%.17g,%ld,%ld,%.17g,%.17g\n", r->first + j, r->times[i], q[0] + q[1],
                    q[0], (double)(q[0] + q[1]) / (double)h - 1.0, (double)(q[0] - q[1]) / (double)h);
        }
    return ferror(fp);
}

static void json_num3(FILE *fp, const char *key, const double v[3])
{
    fprintf(fp, "\"%s\": [", key);
    for (int c = 0; c < 3; c++) {
        if (c)
            fprintf(fp, ", ");
        hl_json_number(fp, v[c]);
    }
    fprintf(fp, "]");
}

/* K in (s, d) and (x, y), and mu = beta K. */
static void json_tensor(FILE *fp, const char *key, const double k[3], double beta)
{
    double kx[3], mu[3], mux[3];
    hl_hkmc_tensor_xy(k, kx);
    for (int c = 0; c < 3; c++) {
        mu[c] = beta * k[c];
        mux[c] = beta * kx[c];
    }
    fprintf(fp, "\"%s\": {", key);
    json_num3(fp, "K_sd", k);
    fprintf(fp, ", ");
    json_num3(fp, "K_xy", kx);
    fprintf(fp, ", ");
    json_num3(fp, "mu_sd", mu);
    fprintf(fp, ", ");
    json_num3(fp, "mu_xy", mux);
    fprintf(fp, "}");
}

static void json_common(FILE *fp, const run_t *r)
{
    cli_json_model(fp, "kmc", r->m, r->D, r->proto ? NAN : r->beta);
    fprintf(fp, ", \"hypercube\": true, \"seed\": \"%" PRIu64 "\", \"disorder\": ", r->seed);
    hl_json_string(fp, hl_hkmc_disorder(r->k));
    fprintf(fp, ", \"disorder_stats\": {\"mean\": [");
    hl_json_number(fp, r->ds.mean[0]);
    fprintf(fp, ", ");
    hl_json_number(fp, r->ds.mean[1]);
    fprintf(fp, "], \"sd_ln\": [");
    hl_json_number(fp, r->ds.sd_ln[0]);
    fprintf(fp, ", ");
    hl_json_number(fp, r->ds.sd_ln[1]);
    fprintf(fp, "], \"corr_ln\": ");
    hl_json_number(fp, r->ds.corr_ln);
    fprintf(fp, "}, \"vertex_shift\": ");
    hl_json_number(fp, hl_hkmc_vertex_shift_width(r->k));
    fprintf(fp, ", \"protocol\": ");
    if (r->proto)
        hl_json_string(fp, r->proto);
    else
        fprintf(fp, "null");
    fprintf(fp, ", \"from\": ");
    hl_json_string(fp, r->from);
    fprintf(fp, ", \"selection\": ");
    hl_json_string(fp, hl_hkmc_select_name(r->k));
    fprintf(fp, ", \"trajectories\": %ld, \"first_trajectory\": %ld, \"events\": %lld",
            r->N, r->first, r->events);
}

static void json_ensemble(const run_t *r)
{
    json_common(stdout, r);
    fprintf(stdout, ", \"rejected\": %lld, \"method\": \"%s\", \"points\": [", r->rejected,
            hl_protocol_settle_time(r->p) > 0 ? "gillespie + thinning" : "gillespie");
    const char *nm[4] = {"s", "d", "x", "y"};
    for (size_t i = 0; i < r->nt; i++) {
        const hl_hkmc_moments *q = &r->mo[i];
        fprintf(stdout, "%s{\"t\": ", i ? ", " : "");
        hl_json_number(stdout, q->t);
        fprintf(stdout, ", \"beta\": ");
        hl_json_number(stdout, hl_protocol_beta(r->p, q->t));
        for (int c = 0; c < 4; c++) {
            fprintf(stdout, ", \"mean_%s\": ", nm[c]);
            hl_json_number(stdout, q->mean[c]);
            fprintf(stdout, ", \"se_%s\": ", nm[c]);
            hl_json_number(stdout, q->se[c]);
            fprintf(stdout, ", \"var_%s\": ", nm[c]);
            hl_json_number(stdout, q->var[c]);
        }
        fprintf(stdout, "}");
    }
    fprintf(stdout, "]}\n");
}

static void json_mobility(const run_t *r)
{
    const hl_hkmc_mobility *b = r->mob;
    json_common(stdout, r);
    fprintf(stdout, ", \"mobility\": {\"s_eq\": ");
    hl_json_number(stdout, b->s_eq);
    fprintf(stdout, ", \"d_eq\": ");
    hl_json_number(stdout, b->d_eq);
    fprintf(stdout, ", \"s_eq_se\": ");
    hl_json_number(stdout, b->s_eq_se);
    fprintf(stdout, ", \"d_eq_se\": ");
    hl_json_number(stdout, b->d_eq_se);
    fprintf(stdout, ", ");
    json_tensor(stdout, "jump", b->k_jump, r->beta);
    fprintf(stdout, ", ");
    json_num3(stdout, "jump_se_sd", b->k_jump_se);
    fprintf(stdout, ", ");
    json_tensor(stdout, "relax", b->k_relax, r->beta);
    fprintf(stdout, ", ");
    json_num3(stdout, "relax_se_sd", b->k_relax_se);
    fprintf(stdout, ", ");
    json_tensor(stdout, "formula", b->k_formula, r->beta);
    fprintf(stdout, ", \"relax_matrix\": [");
    for (int c = 0; c < 4; c++) {
        if (c)
            fprintf(stdout, ", ");
        hl_json_number(stdout, b->relax_a[c]);
    }
    fprintf(stdout, "], ");
    json_num3(stdout, "hessian_sd", b->hess);
    fprintf(stdout, ", \"tail\": [");
    hl_json_number(stdout, b->tail[0]);
    fprintf(stdout, ", ");
    hl_json_number(stdout, b->tail[1]);
    fprintf(stdout, "], \"start_class\": [%ld, %ld]}}\n", b->start_a, b->start_b);
}

static int write_mobility(FILE *fp, void *ctx)
{
    const run_t *r = ctx;
    const hl_hkmc_mobility *b = r->mob;
    csv_params(fp, r);
    fprintf(fp, "method,K_ss,K_sd,K_dd,K_xx,K_xy,K_yy,se_ss,se_dd\n");
    const char *nm[3] = {"jump", "relax", "formula"};
    const double *k[3] = {b->k_jump, b->k_relax, b->k_formula};
    const double *se[3] = {b->k_jump_se, b->k_relax_se, NULL};
    for (int i = 0; i < 3; i++) {
        double kx[3];
        hl_hkmc_tensor_xy(k[i], kx);
        fprintf(fp, "%s", nm[i]);
        for (int c = 0; c < 3; c++) {
            fputc(',', fp);
            hl_csv_number(fp, "%.10g", k[i][c]);
        }
        for (int c = 0; c < 3; c++) {
            fputc(',', fp);
            hl_csv_number(fp, "%.10g", kx[c]);
        }
        fputc(',', fp);
        hl_csv_number(fp, "%.4g", se[i] ? se[i][0] : 0.0);
        fputc(',', fp);
        hl_csv_number(fp, "%.4g", se[i] ? se[i][2] : 0.0);
        fputc('\n', fp);
    }
    return ferror(fp);
}

static int plot_run(const run_t *r, const char *path, double t_relax, size_t nrt)
{
    const char *tp = cli_output_temp(CMD, path);
    if (!tp)
        return 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", tp);
    cli_strbuf s = {0};
    char title[512];
    snprintf(title, sizeof title, "Full hypercube KMC, D = %ld, disorder %s%s, %ld trajectories",
             r->D, hl_hkmc_disorder(r->k),
             hl_hkmc_vertex_shift_width(r->k) > 0 ? ", vertex energies" : "", r->N);
    if (r->mob) {
        const hl_hkmc_mobility *b = r->mob;
        /* linear theory with K from the jumps: A = D K M, diagonal entries */
        double Ass = (double)r->D * (b->k_jump[0] * b->hess[0] + b->k_jump[1] * b->hess[1]);
        double Add = (double)r->D * (b->k_jump[1] * b->hess[1] + b->k_jump[2] * b->hess[2]);
        cli_strbuf_printf(&s, "$R << EOD\n");
        for (size_t i = 0; i < nrt; i++) {
            double t = t_relax * (double)i / (double)(nrt - 1);
            cli_strbuf_printf(&s, "%.8g %.8g %.8g %.8g %.8g\n", t, r->curve[i], r->curve[nrt + i],
                              exp(-Ass * t), exp(-Add * t));
        }
        cli_strbuf_printf(&s,
            "EOD\nset terminal pngcairo size 1100,560 font 'sans,12' enhanced\n"
            "set output '%s'\nset multiplot layout 1,2 title '%s, beta = %g' noenhanced\n"
            "set grid\nset logscale y\nset format y '10^{%%T}'\nset yrange [1e-3:1.5]\n"
            "set xlabel 't (units of 1/B)'\nset key bottom left box opaque\n"
            "set ylabel 'mean displacement / initial displacement'\n"
            "set title 's = x + y displaced (first-half spins)'\n"
            "set label 1 'K_{ss} x 10^3: jump %.4g, relax %.4g, eq 5.10 %.4g' at graph 0.97, graph 0.95 right front\n"
            "plot $R using 1:($2 > 0 ? $2 : NaN) with points pt 7 ps 0.5 lc rgb '#1f5fbf' title 'KMC <s>', "
            "$R using 1:4 with lines lw 2 dt 2 lc rgb '#333333' title 'exp(-D K_{jump} M t)'\n"
            "set title 'd = x - y displaced (second-half spins)'\n"
            "set label 1 'K_{dd} x 10^3: jump %.4g, relax %.4g, eq 5.10 %.4g' at graph 0.97, graph 0.95 right front\n"
            "plot $R using 1:($3 > 0 ? $3 : NaN) with points pt 7 ps 0.5 lc rgb '#c0392b' title 'KMC <d>', "
            "$R using 1:5 with lines lw 2 dt 2 lc rgb '#333333' title 'exp(-D K_{jump} M t)'\n"
            "unset multiplot\nunset output\n",
            tmp, title, r->beta, 1e3 * b->k_jump[0], 1e3 * b->k_relax[0], 1e3 * b->k_formula[0],
            1e3 * b->k_jump[2], 1e3 * b->k_relax[2], 1e3 * b->k_formula[2]);
    } else {
        cli_strbuf_printf(&s, "$E << EOD\n");
        for (size_t i = 0; i < r->nt; i++) {
            const hl_hkmc_moments *q = &r->mo[i];
            cli_strbuf_printf(&s, "%.10g %.10g %.10g %.10g %.10g\n", q->t, q->mean[2], q->se[2],
                              q->mean[3], q->se[3]);
        }
        cli_strbuf_printf(&s,
            "EOD\nset terminal pngcairo size 900,520 font 'sans,12' enhanced\n"
            "set output '%s'\nset title '%s' noenhanced\nset grid\n"
            "set xlabel 't (units of 1/B)'\nset ylabel 'order parameter (mean +- standard error)'\n"
            "set key outside right top\n"
            "plot $E using 1:2:3 with yerrorlines lw 2 pt 7 ps 0.6 lc rgb '#555555' title '<x>', "
            "$E using 1:4:5 with yerrorlines lw 2 pt 5 ps 0.6 lc rgb '#d08c00' title '<y>'\n"
            "unset output\n",
            tmp, title);
    }
    return cli_strbuf_gnuplot(CMD, &s, path, tmp);
}

/* --from: the start of the trajectories (class nearest to a maximum of f
 * at beta0 for a basin name). */
static int parse_from(const hl_model *m, long D, double beta0, const char *from,
                      hl_hkmc_start *st, double *x0, double *y0)
{
    long h = D / 2;
    memset(st, 0, sizeof *st);
    if (!strcmp(from, "random")) {
        st->kind = HL_HKMC_START_RANDOM;
        *x0 = *y0 = 0;
        return 1;
    }
    if (!strncmp(from, "class:", 6)) {
        long v[2];
        size_t n;
        if (!cli_parse_list_long(CMD, "--from class:A,B", from + 6, v, 2, &n))
            return 0;
        if (n != 2 || v[0] < 0 || v[0] > h || v[1] < 0 || v[1] > h) {
            cli_error(CMD, "--from class:A,B needs 0 <= A, B <= D/2 = %ld", h);
            return 0;
        }
        st->kind = HL_HKMC_START_CLASS;
        st->a = v[0];
        st->b = v[1];
        *x0 = (double)(v[0] + v[1]) / (double)h - 1.0;
        *y0 = (double)(v[0] - v[1]) / (double)h;
        return 1;
    }
    const char *want = !strncmp(from, "basin:", 6) ? from + 6 : from;
    hl_stationary mx[16];
    char names[16][16];
    size_t n = 0;
    int stt = hl_maxima_at(m, beta0, mx, 16, &n);
    if (n > 16)
        n = 16;
    if (!stt && n)
        stt = hl_name_maxima(m, beta0, mx, n, names);
    if (stt) {
        cli_lib_error(CMD, stt);
        return 0;
    }
    int pick = -1;
    for (size_t i = 0; i < n; i++)
        if ((!strcmp(want, "stable") && mx[i].stable) || !strcmp(want, names[i]))
            pick = (int)i;
    if (pick < 0) {
        cli_error(CMD, "--from '%s': no such maximum of f at beta = %g (random, class:A,B, "
                       "stable or a basin name)", cli_clip(from), beta0);
        return 0;
    }
    *x0 = mx[pick].x;
    *y0 = mx[pick].y;
    st->kind = HL_HKMC_START_CLASS;
    double s = mx[pick].x + mx[pick].y, d = mx[pick].x - mx[pick].y;
    st->a = lround((s + 1) * 0.5 * (double)h);
    st->b = lround((d + 1) * 0.5 * (double)h);
    st->a = st->a < 0 ? 0 : st->a > h ? h : st->a;
    st->b = st->b < 0 ? 0 : st->b > h ? h : st->b;
    return 1;
}

int cli_kmc_hypercube(int argc, char **argv)
{
    static const struct option opts[] = {
        {"hypercube", no_argument, 0, 'H'},        {"dim", required_argument, 0, 'D'},
        {"beta", required_argument, 0, 'b'},       {"temperature", required_argument, 0, 'T'},
        {"protocol", required_argument, 0, 'P'},   {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'}, {"disorder", required_argument, 0, 'd'},
        {"vertex-shift", required_argument, 0, 'v'}, {"seed", required_argument, 0, 's'},
        {"trajectories", required_argument, 0, 'n'}, {"first-trajectory", required_argument, 0, 'F'},
        {"from", required_argument, 0, 'f'},       {"times", required_argument, 0, 't'},
        {"mobility", no_argument, 0, 'M'},         {"burn", required_argument, 0, 1},
        {"measure", required_argument, 0, 2},      {"relax", required_argument, 0, 3},
        {"displacement", required_argument, 0, 4}, {"output", required_argument, 0, 'o'},
        {"keep", required_argument, 0, 'k'},       {"plot", required_argument, 0, 'g'},
        {"json", no_argument, 0, 'j'},             {"help", no_argument, 0, 'h'},
        {"select", required_argument, 0, 'S'},     CLI_THREADS_OPTION,                        {0, 0, 0, 0}};
    const char *proto_path = NULL, *phi = NULL, *trans = NULL, *dis = NULL, *from = "stable";
    const char *times_s = NULL, *output = NULL, *keep = NULL, *plot = NULL;
    long D = 0, N = 200, first = 0;
    double beta = 0, T = 0, vs = 0, burn = 3, meas = 2, relax = 2.5, disp = 4;
    uint64_t seed = 0;
    int have_dim = 0, have_beta = 0, have_T = 0, have_seed = 0, json = 0, mobility = 0, c;
    int sel = HL_HKMC_SELECT_AUTO;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'H': break;
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; have_dim = 1; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'T':
            if (!cli_parse_double(CMD, "--temperature", optarg, &T)) return EXIT_USAGE;
            if (!(T >= 1.0 / CLI_BETA_MAX)) {
                cli_error(CMD, "--temperature %s must be >= %g", cli_clip(optarg), 1.0 / CLI_BETA_MAX);
                return EXIT_USAGE;
            }
            have_T = 1;
            break;
        case 'P': proto_path = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'd': dis = optarg; break;
        case 'v':
            if (!cli_parse_double(CMD, "--vertex-shift", optarg, &vs)) return EXIT_USAGE;
            if (vs < 0) {
                cli_error(CMD, "--vertex-shift %s must be >= 0", cli_clip(optarg));
                return EXIT_USAGE;
            }
            break;
        case 's': if (!cli_parse_seed(CMD, optarg, &seed)) return EXIT_USAGE; have_seed = 1; break;
        case 'n':
            if (!cli_parse_long(CMD, "--trajectories", optarg, &N)) return EXIT_USAGE;
            if (N < 1 || N > 100000000) {
                cli_error(CMD, "--trajectories %s must be in 1 .. 1e8", cli_clip(optarg));
                return EXIT_USAGE;
            }
            break;
        case 'F':
            if (!cli_parse_long(CMD, "--first-trajectory", optarg, &first)) return EXIT_USAGE;
            if (first < 0) {
                cli_error(CMD, "--first-trajectory %s must be >= 0", cli_clip(optarg));
                return EXIT_USAGE;
            }
            break;
        case 'f': from = optarg; break;
        case 't': times_s = optarg; break;
        case 'M': mobility = 1; break;
        case 1: case 2: case 3: case 4: {
            static const char *nm[] = {"", "--burn", "--measure", "--relax", "--displacement"};
            double *dst[] = {NULL, &burn, &meas, &relax, &disp};
            if (!cli_parse_double(CMD, nm[c], optarg, dst[c])) return EXIT_USAGE;
            if (!(*dst[c] >= 0) || (c != 1 && !(*dst[c] > 0))) {
                cli_error(CMD, "%s %s must be %s", nm[c], cli_clip(optarg), c == 1 ? ">= 0" : "> 0");
                return EXIT_USAGE;
            }
            break;
        }
        case 'o': output = optarg; break;
        case 'k': keep = optarg; break;
        case 'g': plot = optarg; break;
        case 'j': json = 1; break;
        case 'S':
            if (hl_hkmc_select_parse(optarg, &sel)) {
                cli_error(CMD, "--select '%s' is not auto, cr or tree", cli_clip(optarg));
                return EXIT_USAGE;
            }
            break;
        case 'h': help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (!have_dim) {
        cli_error(CMD, "--dim D is required (see --help)");
        return EXIT_USAGE;
    }
    if (have_beta + have_T + (proto_path != NULL) != 1) {
        cli_error(CMD, "give exactly one of --beta B, --temperature T and --protocol FILE");
        return EXIT_USAGE;
    }
    if (mobility == (times_s != NULL)) {
        cli_error(CMD, "give exactly one of --times t1,t2,... and --mobility");
        return EXIT_USAGE;
    }
    if (mobility && proto_path) {
        cli_error(CMD, "--mobility runs at a fixed temperature (--beta or --temperature)");
        return EXIT_USAGE;
    }
    if (mobility && keep) {
        cli_error(CMD, "--keep records an ensemble (--times), not --mobility");
        return EXIT_USAGE;
    }
    if (mobility && (N < 16 || disp < 0.5)) {
        cli_error(CMD, "--mobility needs --trajectories >= 16 and --displacement >= 0.5");
        return EXIT_USAGE;
    }
    if (have_T)
        beta = 1.0 / T;
    if (hl_check_dim(D) != HL_OK) {
        cli_error(CMD, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if ((output && !cli_output_declare(CMD, "--output", output, 0)) ||
        (keep && !cli_output_declare(CMD, "--keep", keep, 0)) ||
        (plot && !cli_output_declare(CMD, "--plot", plot, 1)) ||
        (proto_path && !cli_input_declare(CMD, "--protocol", proto_path)))
        return cli_outputs_status();
    if (dis && !strncmp(dis, "file:", 5) &&
        (!cli_input_declare(CMD, "--disorder", dis + 5) || !cli_input_add(CMD, dis + 5)))
        return EXIT_USAGE;
    double *times = NULL;
    size_t nt = 0;
    if (times_s && !cli_parse_times(CMD, times_s, &times, &nt))
        return EXIT_USAGE;
    if (!have_seed)
        seed = hl_kmc_seed_draw(); /* printed once the run's set-up is accepted */
    hl_protocol *proto = NULL;
    hl_model *m = NULL;
    hl_hkmc *k = NULL;
    long *ab = NULL;
    hl_hkmc_moments *mo = NULL;
    hl_hkmc_traj_info *ti = NULL;
    double *curve = NULL;
    int rc = EXIT_FAIL, st;
    run_t r;
    memset(&r, 0, sizeof r);
    if (proto_path) {
        if (!cli_read_protocol(CMD, proto_path, &proto)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else if ((st = hl_protocol_create_fixed(beta, &proto))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (!(m = cli_model(CMD, phi, trans))) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (hl_protocol_settle_time(proto) > 0 && hl_model_transmission_uses_temperature(m)) {
        cli_error(CMD, "under a varying protocol B must not depend on T (the thinning bound needs "
                       "rates monotone in beta)");
        rc = EXIT_USAGE;
        goto done;
    }
    hl_hkmc_config cfg = {D, seed, dis, vs, sel};
    if ((st = hl_hkmc_create(m, &cfg, &k))) {
        rc = cli_lib_error(CMD, st);
        if (st == HL_EINVAL)
            rc = EXIT_USAGE;
        goto done;
    }
    hl_hkmc_start start;
    double x0, y0, beta0 = hl_protocol_beta(proto, 0.0);
    if (!parse_from(m, D, beta0, from, &start, &x0, &y0)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!have_seed)
        fprintf(stderr, "hyperland %s: seed %" PRIu64 " (drawn; --seed %" PRIu64
                        " repeats this run)\n", CMD, seed, seed);
    r.m = m;
    r.k = k;
    r.D = D;
    r.N = N;
    r.first = first;
    r.seed = seed;
    r.beta = beta;
    r.proto = proto_path;
    r.from = from;
    r.p = proto;
    hl_hkmc_disorder_summary(k, &r.ds);
    hl_hkmc_mobility mob;
    size_t nrt = 101;
    if (mobility) {
        curve = malloc(sizeof(double) * 4 * nrt);
        if (!curve) {
            cli_error(CMD, "out of memory");
            goto done;
        }
        hl_hkmc_mobility_opts mo_o = {beta, x0, y0, N, burn, meas, disp, relax, nrt, first, curve};
        if ((st = hl_hkmc_mobility_measure(k, &mo_o, &mob))) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        r.mob = &mob;
        r.curve = curve;
        r.events = mob.events;
        if (output && !cli_write_atomic(CMD, output, write_mobility, &r))
            goto done;
        if (plot && !plot_run(&r, plot, relax, nrt))
            goto done;
        if (json) {
            json_mobility(&r);
        } else {
            printf("full hypercube KMC mobility, D = %ld, beta = %g, disorder %s, vertex shift %g, "
                   "seed %" PRIu64 ", %ld trajectories per run, %lld events, selection %s\n",
                   D, beta, hl_hkmc_disorder(k), vs, seed, N, mob.events, hl_hkmc_select_name(k));
            printf("equilibrium: s = %.6f +- %.1e, d = %.6f +- %.1e (start class a = %ld, b = %ld)\n",
                   mob.s_eq, mob.s_eq_se, mob.d_eq, mob.d_eq_se, mob.start_a, mob.start_b);
            printf("%-8s %12s %12s %12s %12s %12s %12s\n", "K", "ss", "sd", "dd", "xx", "xy", "yy");
            const char *nm[3] = {"jump", "relax", "eq 5.10"};
            const double *kk[3] = {mob.k_jump, mob.k_relax, mob.k_formula};
            for (int i = 0; i < 3; i++) {
                double kx[3];
                hl_hkmc_tensor_xy(kk[i], kx);
                printf("%-8s %12s %12s %12s %12s %12s %12s\n", nm[i], cli_num("%.5g", kk[i][0]),
                       cli_num("%.5g", kk[i][1]), cli_num("%.5g", kk[i][2]), cli_num("%.5g", kx[0]),
                       cli_num("%.5g", kx[1]), cli_num("%.5g", kx[2]));
            }
            printf("standard errors: jump ss %s dd %s, relax ss %s dd %s; relaxation tails %.2g %.2g "
                   "(mu = beta K)\n", cli_num("%.2g", mob.k_jump_se[0]), cli_num("%.2g", mob.k_jump_se[2]),
                   cli_num("%.2g", mob.k_relax_se[0]), cli_num("%.2g", mob.k_relax_se[2]), mob.tail[0],
                   mob.tail[1]);
        }
        rc = EXIT_OK;
        goto done;
    }
    ab = malloc(sizeof(long) * 2 * nt * (size_t)N);
    mo = malloc(sizeof *mo * nt);
    ti = calloc((size_t)N, sizeof *ti);
    if (!ab || !mo || !ti) {
        cli_error(CMD, "out of memory (%ld trajectories x %zu times)", N, nt);
        goto done;
    }
    if ((st = hl_hkmc_sample(k, proto, &start, times, nt, first, N, ab, ti)) ||
        (st = hl_hkmc_moments_compute(D, times, nt, N, ab, mo))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    for (long j = 0; j < N; j++) {
        r.events += ti[j].events;
        r.rejected += ti[j].rejected;
    }
    r.times = times;
    r.nt = nt;
    r.ab = ab;
    r.mo = mo;
    if (output && !cli_write_atomic(CMD, output, write_moments, &r))
        goto done;
    if (keep && !cli_write_atomic(CMD, keep, write_keep, &r))
        goto done;
    if (plot && !plot_run(&r, plot, 0, 0))
        goto done;
    if (json) {
        json_ensemble(&r);
    } else {
        printf("full hypercube KMC, D = %ld, %s, disorder %s, vertex shift %g, seed %" PRIu64
               ", trajectories %ld .. %ld, %lld events, selection %s\n", D,
               proto_path ? "protocol" : "fixed beta", hl_hkmc_disorder(k), vs, seed, first,
               first + N - 1, r.events, hl_hkmc_select_name(k));
        printf("%12s %10s %10s %9s %10s %9s %10s %9s\n", "t", "beta", "<x>", "se", "<y>", "se",
               "<s>", "<d>");
        for (size_t i = 0; i < nt; i++)
            printf("%12.6g %10.5g %10.6f %9.2e %10.6f %9.2e %10.6f %10.6f\n", mo[i].t,
                   hl_protocol_beta(proto, mo[i].t), mo[i].mean[2], mo[i].se[2], mo[i].mean[3],
                   mo[i].se[3], mo[i].mean[0], mo[i].mean[1]);
    }
    rc = EXIT_OK;
done:
    free(curve);
    free(ab);
    free(mo);
    free(ti);
    free(times);
    hl_hkmc_free(k);
    hl_model_free(m);
    hl_protocol_free(proto);
    return rc;
}
