/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_scan.c -- hyperland scan: calorimetry on the master equation
 * (scan.h): cooling (and reheating) at several rates, the apparent heat
 * capacity, the fictive temperature, T_g(q) and the overshoot. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "blocks_cli.h"
#include "memlimit.h"
#include "glass_blocks.h"
#include "network_input.h"

static const char *CMD = "scan";

#define SCAN_MAX_RATES 32

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland scan (--dim D [--blocks K] | --db DIR ...) --t-high TH --t-low TL\n"
"                      --cooling-rates q1,q2,... [--reheat] [options]\n"
"\n"
"Calorimetry on the master equation (eq 5.6, rates of eq 5.2; time in units\n"
"of 1/B): from the exact equilibrium at TH, cool linearly to TL at rate q\n"
"(T per unit time) and, with --reheat, heat back to TH at the same rate.\n"
"At N temperatures per leg, evenly spaced: <phi>, the apparent heat capacity\n"
"c = d<phi>/dT = (d<phi>/dt)/(dT/dt) (second-order differences of <phi> in T\n"
"on each leg; error estimated against the grid of twice the step), the\n"
"exact equilibrium c and <phi> at T (whole system and liquid basin), and the\n"
"fictive temperature T_f (the T whose equilibrium <phi> equals <phi>(t)),\n"
"against the liquid basin's metastable equilibrium (tf_liquid) and the whole\n"
"system's (tf_total), null with a reason where no T in [TL/4, 4 TH] matches;\n"
"tf_liquid_cond: the same for the mean over the liquid basin alone,\n"
"phi_liquid = <phi | liquid basin>(t) (the current distribution restricted\n"
"to the liquid basin, renormalised: crystal in the system does not pull it).\n"
"Per rate: T_g = T_f at the end of cooling, and on reheating the overshoot:\n"
"the largest excess of c over the equilibrium c inside the heating leg\n"
"(liquid basin's and whole system's), its height and T.\n"
"\n"
"options:\n"
"  --dim D              even dimension (the model)\n"
"  --t-high TH          start temperature (> TL, required)\n"
"  --t-low TL           lowest temperature (> 0, required)\n"
"  --cooling-rates LIST q1,q2,... (each > 0; at most 32; required)\n"
"  --reheat             heat back to TH at the same rate\n"
"  --start equilibrium|liquid  the exact equilibrium at TH (default), or its\n"
"                       liquid basin's part alone, renormalised (a glass\n"
"                       former without crystal nuclei)\n"
"  --points N           outputs per leg, 5 <= N <= 1e6 (default 201)\n"
"  --phi FORMULA        phi(x, y) (default eq 4.11)\n"
"  --transmission FORMULA  B(x, y, T) (default 1)\n"
"  --rtol R             relative tolerance of the integrator (default 1e-8)\n");
    fprintf(fp,
"\n"
"a network instead of the model (--db DIR | --min FILE --ts FILE | --states\n"
"FILE --transitions FILE, --A SET, --B SET: as `network`, the same rates): the\n"
"same scan of its master equation (the chain engine, BDF, rates rebuilt as T\n"
"changes; time in the unit of the network's rates, T = k_B T in its energy\n"
"unit).  The observable is E, the potential energy of the minima: mean_E =\n"
"<E>(t) = sum_a p_a(t) E_a (energy unit), c = d<E>/dT (units of k_B; the\n"
"configurational heat capacity: K harmonic modes would add K to c and c_eq\n"
"alike), against the equilibrium p_a ~ exp(-E_a/T - F_a/2 - ln o_a) (CSV:\n"
"exp(S - E/T)): E_eq = <E>_eq(T), c_eq = Var(E)/T^2 (as `network\n"
"--temperature`).  Without --liquid the whole network is the reference\n"
"(tf_total); the liquid columns are null ('no basin given').\n"
"  --liquid A|B         the set that plays the liquid basin: its conditioned\n"
"                       (metastable) equilibrium is the reference of tf_liquid\n"
"                       and tf_liquid_cond, c_eq_liquid and the overshoot;\n"
"                       --start liquid starts from its part of the\n"
"                       equilibrium at TH.  A T_f whose digits are lost (<E>\n"
"                       known to 100 rtol (max E - min E), c_eq tiny) is null\n"
"                       with the reason\n");
    fprintf(fp,
"\n"
"the model of k blocks (issue 12) instead of the 2-D lattice:\n"
CLI_BLOCKS_HELP
"                       the scan then runs on the k-dimensional class lattice\n"
"                       (the chain of `spectrum --blocks`) through the chain\n"
"                       path above (BDF, rates rebuilt as T changes), with\n"
"                       <phi> and c per dimension as for the 2-D model.  B must\n"
"                       not depend on T (refused: the chain keeps one B).  The\n"
"                       liquid basin is FIXED: the steepest-ascent basin at TL\n"
"                       (the 2-D model takes it at each T); two equal blocks\n"
"                       give the 2-D scan's numbers to the integrators'\n"
"                       tolerance where that basin does not change over the run\n"
"  --liquid NAME        with blocks: that basin (default liquid; b1, b2, ...,\n"
"                       crystal, or m=v1,...,vk: the basin nearest that point);\n"
"                       no such basin at TL is an error (exit 1)\n");
    fprintf(fp,
"  --output FILE        every point of every rate as CSV ('-': stdout)\n"
"  --plot FILE.png      c(T) of every rate beside the equilibrium c\n"
"  --plot-tg FILE.png   T_g against log10 q\n"
CLI_MAX_MEMORY_HELP
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n" HL_FORMULA_HELP);
}

typedef struct {
    const hl_model *m;
    const hl_blocks *b;          /* the model of k blocks (m NULL)        */
    int model;                   /* 1: the hypercube model (m or b)       */
    const char *basin;           /* blocks: the liquid basin's name        */
    long D;
    const hl_network *net;       /* a network (m NULL)                    */
    const cli_network_input *in;
    int liquid;                  /* -1, HL_NETWORK_A, HL_NETWORK_B        */
    long states;
    const char *obs;             /* "phi" or "E"                          */
    hl_scan_options o;
    size_t nr, np;
    double rates[SCAN_MAX_RATES];
    double seconds; /* wall time of the scans (all rates)         */
    hl_scan_point *pts; /* nr x np */
    hl_scan_summary sum[SCAN_MAX_RATES];
} scan_run;

static const char *phi_text(const scan_run *r)
{
    return r->b ? hl_blocks_phi_formula(r->b) : hl_model_phi_formula(r->m);
}

static const char *b_text(const scan_run *r)
{
    return r->b ? hl_blocks_transmission_formula(r->b) : hl_model_transmission_formula(r->m);
}

/* the blocks and the fixed liquid basin, one line ("" without blocks) */
static void describe_blocks(const scan_run *r, char *buf, size_t n)
{
    buf[0] = 0;
    if (!r->b)
        return;
    size_t u = 0;
    u += (size_t)snprintf(buf, n, "; blocks ");
    for (int i = 0; i < hl_blocks_k(r->b) && u < n; i++)
        u += (size_t)snprintf(buf + u, n - u, "%s%ld", i ? "," : "", hl_blocks_size(r->b, i));
    if (u < n)
        snprintf(buf + u, n - u, "; liquid basin '%s' at T_low = %g (fixed)", r->basin,
                 r->o.t_low);
}

/* The chain path averages the energy part E = D phi of each class: phi
 * and c per dimension are E / D and d<E>/dT / D (T's unchanged). */
static void per_dimension(scan_run *r)
{
    double d = (double)r->D;
    for (size_t i = 0; i < r->nr * r->np; i++) {
        hl_scan_point *p = &r->pts[i];
        p->mean_phi /= d;
        p->c /= d;
        p->c_eq /= d;
        p->c_eq_liquid /= d;
        p->phi_eq /= d;
        p->phi_eq_liquid /= d;
        p->phi_liquid /= d;
    }
    for (size_t i = 0; i < r->nr; i++) {
        hl_scan_summary *s = &r->sum[i];
        s->overshoot_excess /= d;
        s->overshoot_c /= d;
        s->overshoot_total_excess /= d;
        s->overshoot_total_c /= d;
        s->c_error_estimate /= d;
    }
}

/* the system, one line */
static void describe(const scan_run *r, char *buf, size_t n)
{
    char bl[400];
    describe_blocks(r, bl, sizeof bl);
    if (r->model)
        snprintf(buf, n, "phi = %s; B = %s; D = %ld%s", phi_text(r), b_text(r), r->D, bl);
    else
        snprintf(buf, n, "network %s (%s, %ld minima in the network); observable E, the "
                         "potential energy of the minima (energy unit; c in k_B, "
                         "configurational); equilibrium p ~ exp(S - E/T) (PATHSAMPLE: S = -F/2 - "
                         "ln o); liquid basin = %s",
                 cli_clip(r->in->db ? r->in->db : r->in->p1), r->in->form, r->states,
                 r->liquid < 0 ? "none" : r->liquid ? "set B" : "set A");
}

static int write_csv(FILE *fp, void *ctx)
{
    const scan_run *r = ctx;
    char params[1400], sys[700];
    describe(r, sys, sizeof sys);
    snprintf(params, sizeof params,
             "%s; cooling from T = %.17g to %.17g%s; %zu points per leg; "
             "rtol %g; c = d<%s>/dT by second-order differences in T; tf_*: fictive "
             "temperature against the liquid basin / the whole system (empty: see *_null); start %s",
             sys, r->o.t_high, r->o.t_low, r->o.reheat ? " and back" : "", r->o.n_points,
             r->o.rtol ? r->o.rtol : 1e-8, r->obs,
             r->o.start == HL_SCAN_START_LIQUID ? "liquid basin" : "equilibrium");
    cli_csv_preamble(fp, params);
    const char *o = r->obs;
    fprintf(fp, "rate,leg,t,T,mean_%s,c,c_eq,c_eq_liquid,%s_eq,%s_eq_liquid,tf_liquid,"
                "tf_total,p_liquid,tf_liquid_null,tf_total_null,%s_liquid,tf_liquid_cond,"
                "tf_liquid_cond_null\n", o, o, o, o);
    for (size_t i = 0; i < r->nr; i++)
        for (size_t k = 0; k < r->np; k++) {
            const hl_scan_point *p = &r->pts[i * r->np + k];
            fprintf(fp, "%.12g,%s", r->rates[i], p->leg == HL_SCAN_COOL ? "cool" : "heat");
            hl_csv_number(fp, ",%.12g", p->t);
            hl_csv_number(fp, ",%.15g", p->T);
            hl_csv_number(fp, ",%.15g", p->mean_phi);
            hl_csv_number(fp, ",%.12g", p->c);
            hl_csv_number(fp, ",%.12g", p->c_eq);
            hl_csv_number(fp, ",%.12g", p->c_eq_liquid);
            hl_csv_number(fp, ",%.15g", p->phi_eq);
            hl_csv_number(fp, ",%.15g", p->phi_eq_liquid);
            hl_csv_number(fp, ",%.13g", p->tf_liquid);
            hl_csv_number(fp, ",%.13g", p->tf_total);
            hl_csv_number(fp, ",%.12g", p->p_liquid);
            cli_csv_text(fp, ",", p->tf_liquid_null);
            cli_csv_text(fp, ",", p->tf_total_null);
            hl_csv_number(fp, ",%.15g", p->phi_liquid);
            hl_csv_number(fp, ",%.13g", p->tf_liquid_cond);
            cli_csv_text(fp, ",", p->tf_liquid_cond_null);
            fputc('\n', fp);
        }
    return ferror(fp) ? -1 : 0;
}

static void json_reason(const char *key, double v, const char *why)
{
    if (!isfinite(v)) {
        printf(", \"%s\": ", key);
        hl_json_string(stdout, why);
    }
}

static void json_overshoot(double excess, double c, double T, const char *why)
{
    printf("{\"excess\": ");
    hl_json_number(stdout, excess);
    printf(", \"c\": ");
    hl_json_number(stdout, c);
    printf(", \"T\": ");
    hl_json_number(stdout, T);
    if (why[0]) {
        printf(", \"null_reason\": ");
        hl_json_string(stdout, why);
    }
    printf("}");
}

static void write_json(const scan_run *r)
{
    cli_json_begin(stdout, CMD);
    if (r->b) {
        cli_blocks_json(stdout, r->b);
        printf(", \"liquid\": ");
        hl_json_string(stdout, r->basin);
        printf(", \"liquid_basin_T\": %.17g, \"liquid_basin\": \"the steepest-ascent basin "
               "at T_low, fixed for the whole scan\"", r->o.t_low);
    } else if (r->m) {
        printf(", \"phi\": ");
        hl_json_string(stdout, hl_model_phi_formula(r->m));
        printf(", \"transmission\": ");
        hl_json_string(stdout, hl_model_transmission_formula(r->m));
        printf(", \"dim\": %ld", r->D);
    } else {
        printf(", \"system\": \"network\", \"input\": ");
        hl_json_string(stdout, r->in->db ? r->in->db : r->in->p1);
        printf(", \"form\": \"%s\", \"states\": %ld, \"observable\": \"E\", \"basin\": ",
               r->in->form, r->states);
        if (r->liquid < 0)
            printf("null");
        else
            printf("\"%s\"", r->liquid ? "B" : "A");
    }
    printf(", \"t_high\": %.17g, \"t_low\": %.17g, \"reheat\": %s, "
           "\"points_per_leg\": %zu, \"start\": \"%s\", \"scans\": [",
           r->o.t_high, r->o.t_low, r->o.reheat ? "true" : "false", r->o.n_points,
           r->o.start == HL_SCAN_START_LIQUID ? "liquid" : "equilibrium");
    for (size_t i = 0; i < r->nr; i++) {
        const hl_scan_summary *s = &r->sum[i];
        const hl_scan_point *last = &r->pts[i * r->np + r->o.n_points - 1];
        printf("%s{\"rate\": %.17g, \"method\": \"%s\", \"steps\": %ld, \"tg_liquid\": ",
               i ? ", " : "", r->rates[i],
               !r->m ? "cvode" : s->method == HL_EVOLVE_PRODUCT ? "product" : "general",
               s->steps);
        hl_json_number(stdout, s->tg_liquid);
        json_reason("tg_liquid_null", s->tg_liquid, last->tf_liquid_null);
        printf(", \"tg_total\": ");
        hl_json_number(stdout, s->tg_total);
        json_reason("tg_total_null", s->tg_total, last->tf_total_null);
        printf(", \"tg_liquid_cond\": ");
        hl_json_number(stdout, s->tg_liquid_cond);
        json_reason("tg_liquid_cond_null", s->tg_liquid_cond, last->tf_liquid_cond_null);
        printf(", \"c_error_estimate\": ");
        hl_json_number(stdout, s->c_error_estimate);
        if (isnan(s->c_error_estimate))
            printf(", \"c_error_null_reason\": \"fewer than 7 points per leg: no grid of step "
                   "2h to estimate the error of c from (--points 7 or more)\"");
        printf(", \"overshoot\": ");
        json_overshoot(s->overshoot_excess, s->overshoot_c, s->overshoot_T, s->overshoot_null);
        printf(", \"overshoot_total\": ");
        json_overshoot(s->overshoot_total_excess, s->overshoot_total_c, s->overshoot_total_T,
                       s->overshoot_total_null);
        printf(", \"points\": [");
        for (size_t k = 0; k < r->np; k++) {
            const hl_scan_point *p = &r->pts[i * r->np + k];
            printf("%s{\"leg\": \"%s\", \"t\": ", k ? ", " : "",
                   p->leg == HL_SCAN_COOL ? "cool" : "heat");
            hl_json_number(stdout, p->t);
            const char *keys_phi[] = {"T", "mean_phi", "c", "c_eq", "c_eq_liquid", "phi_eq",
                                      "phi_eq_liquid", "tf_liquid", "tf_total", "p_liquid",
                                      "phi_liquid", "tf_liquid_cond"};
            const char *keys_e[] = {"T", "mean_E", "c", "c_eq", "c_eq_liquid", "E_eq",
                                    "E_eq_liquid", "tf_liquid", "tf_total", "p_liquid",
                                    "E_liquid", "tf_liquid_cond"};
            const char **keys = r->model ? keys_phi : keys_e;
            double v[] = {p->T, p->mean_phi, p->c, p->c_eq, p->c_eq_liquid, p->phi_eq,
                          p->phi_eq_liquid, p->tf_liquid, p->tf_total, p->p_liquid,
                          p->phi_liquid, p->tf_liquid_cond};
            for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
                printf(", \"%s\": ", keys[j]);
                hl_json_number(stdout, v[j]);
            }
            json_reason("tf_liquid_null", p->tf_liquid, p->tf_liquid_null);
            json_reason("tf_total_null", p->tf_total, p->tf_total_null);
            json_reason("tf_liquid_cond_null", p->tf_liquid_cond, p->tf_liquid_cond_null);
            printf("}");
        }
        printf("]}");
    }
    printf("], \"seconds\": %.3f}\n", r->seconds);
}

static void write_table(const scan_run *r)
{
    char sys[700];
    char bl[400];
    describe_blocks(r, bl, sizeof bl);
    if (r->model)
        snprintf(sys, sizeof sys, "D = %ld, phi = %s, B = %s%s", r->D, phi_text(r), b_text(r),
                 bl);
    else
        describe(r, sys, sizeof sys);
    printf("%s: from the %s at T = %g, cooling to %g%s, %zu points per leg\n", sys,
           r->o.start == HL_SCAN_START_LIQUID ? "liquid basin's equilibrium" : "equilibrium",
           r->o.t_high, r->o.t_low, r->o.reheat ? " and back" : "", r->o.n_points);
    printf("overshoot on reheating: the largest c - c_eq (liquid basin's / whole system's) "
           "inside the heating leg\n");
    printf("Tg_liq_cond: T_f of <%s | liquid basin> against the liquid basin's equilibrium\n",
           r->obs);
    printf("%10s %13s %13s %13s %11s %9s %11s %9s %10s\n", "rate", "Tg_liquid", "Tg_total",
           "Tg_liq_cond", "excess_liq", "T_peak", "excess_tot", "T_peak", "c_err_est");
    for (size_t i = 0; i < r->nr; i++) {
        const hl_scan_summary *s = &r->sum[i];
        printf("%10g %13s %13s %13s %11s %9s %11s %9s %10s\n", r->rates[i],
               cli_numx("%13.9f", s->tg_liquid, "null"), cli_numx("%13.9f", s->tg_total, "null"),
               cli_numx("%13.9f", s->tg_liquid_cond, "null"),
               cli_numx("%11.5g", s->overshoot_excess, "null"),
               cli_numx("%9.5g", s->overshoot_T, "null"),
               cli_numx("%11.5g", s->overshoot_total_excess, "null"),
               cli_numx("%9.5g", s->overshoot_total_T, "null"),
               cli_numx("%10.2g", s->c_error_estimate, "null"));
    }
    for (size_t i = 0; i < r->nr; i++) {
        const hl_scan_point *last = &r->pts[i * r->np + r->o.n_points - 1];
        if (!isfinite(r->sum[i].tg_liquid))
            printf("rate %g: Tg_liquid null: %s\n", r->rates[i], last->tf_liquid_null);
        if (!isfinite(r->sum[i].tg_total))
            printf("rate %g: Tg_total null: %s\n", r->rates[i], last->tf_total_null);
        if (!isfinite(r->sum[i].tg_liquid_cond))
            printf("rate %g: Tg_liq_cond null: %s\n", r->rates[i], last->tf_liquid_cond_null);
        if (r->sum[i].overshoot_null[0])
            printf("rate %g: overshoot (liquid): %s\n", r->rates[i], r->sum[i].overshoot_null);
        if (r->sum[i].overshoot_total_null[0])
            printf("rate %g: overshoot (total): %s\n", r->rates[i],
                   r->sum[i].overshoot_total_null);
    }
    printf("time: %.2f s for %zu rate%s (wall clock)\n", r->seconds, r->nr, r->nr > 1 ? "s" : "");
}

static const char *COLORS[] = {"#1f5fbf", "#c0392b", "#2e8b57", "#d08c00", "#7b3fa0", "#17a2b8",
                               "#555555", "#e377c2"};

/* the system in a figure's second title line */
static void subtitle(const scan_run *r, char *buf, size_t n)
{
    if (r->model && r->b) {
        char model[600];
        snprintf(buf, n, "%s; liquid basin '%s' at T_low", cli_blocks_describe(r->b, "\\n", model, sizeof model),
                 r->basin);
    } else if (r->model) {
        const char *phi = phi_text(r);
        snprintf(buf, n, "model of two order parameters (x, y), D = %ld, B = %s\\nphi = %.90s%s",
                 r->D, b_text(r), phi, strlen(phi) > 90 ? "..." : "");
    } else {
        /* the last component of the path: the figure's title stays short */
        const char *path = r->in->db ? r->in->db : r->in->p1, *leaf = path;
        size_t len = strlen(path);
        while (len > 1 && path[len - 1] == '/')
            len--;
        for (size_t i = 0; i + 1 < len; i++)
            if (path[i] == '/')
                leaf = path + i + 1;
        snprintf(buf, n, "network %.*s (%ld minima), liquid = %s", (int)(len - (size_t)(leaf - path)) > 60 ? 60 : (int)(len - (size_t)(leaf - path)),
                 leaf, r->states, r->liquid < 0 ? "none" : r->liquid ? "set B" : "set A");
    }
}

static int plot_c(const scan_run *r, const char *path)
{
    cli_strbuf s = {0};
    const char *tp = cli_output_temp(CMD, path);
    if (!tp)
        return 0;
    char tmp[4096], sub[700];
    snprintf(tmp, sizeof tmp, "%s", tp);
    subtitle(r, sub, sizeof sub);
    int have_liq = 0;
    for (size_t k = 0; k < r->np; k++)
        have_liq |= isfinite(r->pts[k].c_eq_liquid) != 0;
    for (size_t i = 0; i < r->nr; i++) {
        cli_strbuf_printf(&s, "$S%zu << EOD\n", i);
        for (size_t k = 0; k < r->np; k++) {
            const hl_scan_point *p = &r->pts[i * r->np + k];
            if (k == r->o.n_points)
                cli_strbuf_printf(&s, "\n\n"); /* heating leg: index 1 */
            cli_strbuf_printf(&s, "%.10g %.10g %.10g %.10g\n", p->T, p->c, p->c_eq,
                              isfinite(p->c_eq_liquid) ? p->c_eq_liquid : NAN);
        }
        cli_strbuf_printf(&s, "EOD\n");
    }
    cli_strbuf_printf(&s,
        "set terminal pngcairo size 1000,700 font 'sans,12' enhanced\nset output '%s'\n"
        "set title \"c = d<%s>/dT on cooling (lines)%s\\n%s\" noenhanced\n"
        "set xlabel '%s'\nset ylabel '%s'\nset grid\n"
        "set key outside right top\nset rmargin 28\n"
        "plot ",
        tmp, r->obs, r->o.reheat ? " and reheating (dots)" : "", sub,
        r->model ? "T" : "k_B T (energy unit of the network)",
        r->model ? "c per dimension (k_B = 1)" : "c = d<E>/dT (units of k_B)");
    for (size_t i = 0; i < r->nr; i++) {
        const char *col = COLORS[i % (sizeof COLORS / sizeof COLORS[0])];
        cli_strbuf_printf(&s, "%s$S%zu index 0 using 1:2 with lines lw 2 lc rgb '%s' "
                              "title 'q = %g cooling'", i ? ", " : "", i, col, r->rates[i]);
        if (r->o.reheat)
            cli_strbuf_printf(&s, ", $S%zu index 1 using 1:2 with linespoints lw 1 pt 7 ps 0.3 "
                                  "pi 6 lc rgb '%s' title 'q = %g heating'", i, col, r->rates[i]);
    }
    cli_strbuf_printf(&s, ", $S0 index 0 using 1:3 with lines lw 3 dt 2 lc rgb '#000000' "
                          "title '%s'", r->model ? "exact equilibrium" : "equilibrium, whole network");
    if (have_liq)
        cli_strbuf_printf(&s, ", $S0 index 0 using 1:4 with lines lw 2 lc rgb '#000000' "
                              "title '%s'", r->model ? "exact, liquid basin" : "equilibrium, liquid set");
    cli_strbuf_printf(&s, "\nunset output\n");
    return cli_strbuf_gnuplot(CMD, &s, path, tmp);
}

static int plot_tg(const scan_run *r, const char *path)
{
    cli_strbuf s = {0};
    const char *tp = cli_output_temp(CMD, path);
    if (!tp)
        return 0;
    char tmp[4096], sub[700];
    snprintf(tmp, sizeof tmp, "%s", tp);
    subtitle(r, sub, sizeof sub);
    int have_liq = 0, have_tot = 0, have_cond = 0;
    for (size_t i = 0; i < r->nr; i++) {
        have_liq |= isfinite(r->sum[i].tg_liquid) != 0;
        have_tot |= isfinite(r->sum[i].tg_total) != 0;
        have_cond |= isfinite(r->sum[i].tg_liquid_cond) != 0;
    }
    cli_strbuf_printf(&s, "$G << EOD\n");
    for (size_t i = 0; i < r->nr; i++)
        cli_strbuf_printf(&s, "%.10g %.10g %.10g %.10g\n", r->rates[i],
                          isfinite(r->sum[i].tg_liquid) ? r->sum[i].tg_liquid : NAN,
                          isfinite(r->sum[i].tg_total) ? r->sum[i].tg_total : NAN,
                          isfinite(r->sum[i].tg_liquid_cond) ? r->sum[i].tg_liquid_cond : NAN);
    cli_strbuf_printf(&s,
        "EOD\nset terminal pngcairo size %d,720 font 'sans,12' enhanced\nset output '%s'\n"
        "set title \"Glass transition temperature T_g(q) = T_f at the end of cooling (T = %g)\\n"
        "%s; a missing point is null\" noenhanced\n"
        "set xlabel 'cooling rate q = |dT/dt| (%s)'\nset ylabel 'T_g%s'\n"
        "set logscale x\nset format x '10^{%%T}'\nset grid\nset key %s box left Left reverse "
        "maxrows 4 spacing 1.15\nset xlabel offset 0,0.3\nset bmargin 9\n"
        "set offsets graph 0.05, graph 0.05, graph 0.1, 0\nset yrange [0:*]\n"
        "set arrow 1 from graph 0, first %.17g to graph 1, first %.17g nohead back dt 3 lw 2 "
        "lc rgb '#555555'\n"
        "set label 1 'T_{low} = %g (end of cooling)' at graph 0.99, first %.17g right "
        "offset 0,-0.8 font ',10' tc rgb '#555555'\n"
        "plot ",
        1000, tmp, r->o.t_low, sub,
        r->model ? "units of B" : "energy unit per time unit of the network rates",
        r->model ? "" : " (k_B T, energy unit)", "below",
        r->o.t_low, r->o.t_low, r->o.t_low, r->o.t_low);
    if (have_liq)
        cli_strbuf_printf(&s, "$G using 1:2 with linespoints lw 2 pt 7 ps 1.2 lc rgb '#1f5fbf' "
                              "title 'T_f against the liquid %s', ", r->model ? "basin" : "set");
    if (have_tot)
        cli_strbuf_printf(&s, "$G using 1:3 with linespoints lw 2 pt 5 ps 1 dt 2 lc rgb "
                              "'#c0392b' title 'T_f against the whole %s', ",
                          r->model ? "system" : "network");
    /* the basin-conditioned T_g (tg_liquid_cond): the liquid's own T_f,
     * which crystal elsewhere does not pull down */
    if (have_cond)
        cli_strbuf_printf(&s, "$G using 1:4 with linespoints lw 2 pt 9 ps 1.4 lc rgb '#2e8b57' "
                              "title 'T_f of %s against the liquid %s (tg\\_liquid\\_cond)', ",
                          r->model ? "<{/Symbol f} | liquid basin>" : "<E | liquid set>",
                          r->model ? "basin" : "set");
    /* T_low is where the cooling ends, a reference: T_f = T_low would mean
     * equilibrium there (q -> 0), not a bound the points must respect */
    cli_strbuf_printf(&s,
        "NaN with lines dt 3 lw 2 lc rgb '#555555' title 'T_{low} = %g: the end of the "
        "cooling (T_f equals it only in equilibrium)'\n"
        "unset output\n", r->o.t_low);
    return cli_strbuf_gnuplot(CMD, &s, path, tmp);
}

int cmd_scan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},       {"t-high", required_argument, 0, 'H'},
        {"t-low", required_argument, 0, 'L'},     {"cooling-rates", required_argument, 0, 'q'},
        {"reheat", no_argument, 0, 'R'},          {"points", required_argument, 0, 'n'},
        {"phi", required_argument, 0, 'p'},       {"transmission", required_argument, 0, 'B'},
        {"rtol", required_argument, 0, 'r'},      {"output", required_argument, 0, 'o'},
        {"plot", required_argument, 0, 'g'},      {"plot-tg", required_argument, 0, 'G'},
        {"json", no_argument, 0, 'j'},            {"help", no_argument, 0, 'h'},
        {"start", required_argument, 0, 's'},     {"liquid", required_argument, 0, 'l'},
        CLI_NETWORK_INPUT_OPTIONS,
        CLI_THREADS_OPTION,                       CLI_BLOCKS_OPTIONS, CLI_MAX_MEMORY_OPTION,
        {0, 0, 0, 0}};
    const char *phi = NULL, *trans = NULL, *output = NULL, *plot = NULL, *plot_tgp = NULL;
    const char *liquid = NULL;
    cli_blocks_opts bo = {0};
    scan_run r;
    memset(&r, 0, sizeof r);
    cli_network_input in;
    memset(&in, 0, sizeof in);
    r.liquid = -1;
    r.obs = "phi";
    long D = 0, npts = 201;
    int have_dim = 0, have_hi = 0, have_lo = 0, json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        int bk = cli_blocks_option(CMD, c, optarg, &bo);
        if (!bk)
            bk = cli_max_memory_handle(CMD, c, optarg);
        if (bk < 0)
            return EXIT_USAGE;
        if (bk)
            continue;
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; have_dim = 1; break;
        case 'H': if (!cli_parse_double(CMD, "--t-high", optarg, &r.o.t_high)) return EXIT_USAGE; have_hi = 1; break;
        case 'L': if (!cli_parse_double(CMD, "--t-low", optarg, &r.o.t_low)) return EXIT_USAGE; have_lo = 1; break;
        case 'q':
            if (!cli_parse_list(CMD, "--cooling-rates", optarg, r.rates, SCAN_MAX_RATES, &r.nr))
                return EXIT_USAGE;
            break;
        case 'R': r.o.reheat = 1; break;
        case 'n': if (!cli_parse_long(CMD, "--points", optarg, &npts)) return EXIT_USAGE; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'r': if (!cli_parse_rtol(CMD, optarg, &r.o.rtol)) return EXIT_USAGE; break;
        case 'o': output = optarg; break;
        case 'g': plot = optarg; break;
        case 'G': plot_tgp = optarg; break;
        case 'j': json = 1; break;
        case 's':
            if (!strcmp(optarg, "liquid"))
                r.o.start = HL_SCAN_START_LIQUID;
            else if (!strcmp(optarg, "equilibrium"))
                r.o.start = HL_SCAN_START_EQUILIBRIUM;
            else {
                cli_error(CMD, "--start must be equilibrium or liquid (got '%s')", cli_clip(optarg));
                return EXIT_USAGE;
            }
            break;
        case 'l': liquid = optarg; break;
        case 'h': help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default:
            if (cli_network_input_option(&in, c, optarg))
                break;
            return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    int network = cli_network_input_given(&in);
    if (liquid && !bo.k) {
        if (!strcmp(liquid, "A"))
            r.liquid = HL_NETWORK_A;
        else if (!strcmp(liquid, "B"))
            r.liquid = HL_NETWORK_B;
        else {
            cli_error(CMD, "--liquid must be A or B (got '%s')", cli_clip(liquid));
            return EXIT_USAGE;
        }
    }
    if (bo.k && network) {
        cli_error(CMD, "--blocks / --block-sizes are for the model, not a network");
        return EXIT_USAGE;
    }
    if (!network && (r.liquid >= 0 || in.spec[0] || in.spec[1])) {
        cli_error(CMD, "--liquid, --A and --B are for a network (--db DIR, ...), not the model");
        return EXIT_USAGE;
    }
    if (network && have_dim) {
        cli_error(CMD, "give one system: --dim D (the model) or a network (--db DIR, ...)");
        return EXIT_USAGE;
    }
    if (network && (phi || trans)) {
        cli_error(CMD, "--phi and --transmission are for the model (--dim), not a network");
        return EXIT_USAGE;
    }
    if (network && cli_network_input_check(CMD, &in) != EXIT_OK)
        return EXIT_USAGE;
    if ((!have_dim && !network && !bo.from_sizes) || !have_hi || !have_lo || !r.nr) {
        cli_error(CMD, "--dim D (or a network, --db DIR ...), --t-high TH, --t-low TL and "
                       "--cooling-rates q1,... are required (see --help)");
        return EXIT_USAGE;
    }
    if (network && r.o.start == HL_SCAN_START_LIQUID && r.liquid < 0) {
        cli_error(CMD, "--start liquid on a network needs --liquid A|B (the set to start in)");
        return EXIT_USAGE;
    }
    if (!network && !bo.k && hl_check_dim(D) != HL_OK) {
        cli_error(CMD, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    if (!(r.o.t_low > 0)) {
        cli_error(CMD, "--t-low must be positive (got %g)", r.o.t_low);
        return EXIT_USAGE;
    }
    if (!(r.o.t_low < r.o.t_high)) {
        cli_error(CMD, "--t-low %g must be below --t-high %g", r.o.t_low, r.o.t_high);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < r.nr; i++)
        if (!(r.rates[i] > 0)) {
            cli_error(CMD, "--cooling-rates: every rate must be positive (got %g)", r.rates[i]);
            return EXIT_USAGE;
        }
    if (npts < 5 || npts > 1000000) {
        cli_error(CMD, "--points must be in [5, 1000000] (got %ld)", npts);
        return EXIT_USAGE;
    }
    r.o.n_points = (size_t)npts;
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if ((output && !cli_output_declare(CMD, "--output", output, 0)) ||
        (plot && !cli_output_declare(CMD, "--plot", plot, 1)) ||
        (plot_tgp && !cli_output_declare(CMD, "--plot-tg", plot_tgp, 1)))
        return cli_outputs_status();
    hl_model *m = NULL;
    hl_network *net = NULL;
    hl_blocks *bm = NULL;
    hl_chain *bch = NULL;
    long *bset = NULL;
    hl_scan *sc = NULL;
    int rc = EXIT_FAIL;
    int st = HL_OK;
    if (network) {
        if ((rc = cli_network_input_load(CMD, &in, &net)) != EXIT_OK)
            goto done;
        rc = EXIT_FAIL;
        const long *set = NULL;
        size_t ns = 0;
        hl_network_info info;
        st = hl_network_get_info(net, &info);
        if (!st && r.liquid >= 0) {
            st = hl_network_set_states(net, r.liquid, &set, &ns);
            if (!st && !ns) {
                const char *w = r.liquid ? "B" : "A";
                cli_error(CMD, "--liquid %s: the set is not given (--%s SET or DIR/min.%s)", w, w,
                          w);
                goto done;
            }
        }
        if (!st)
            st = hl_scan_create_chain(hl_network_chain(net), set, ns, &r.o, &sc);
        r.net = net;
        r.in = &in;
        r.states = info.network_minima;
        r.obs = "E";
    } else if (bo.k) {
        /* the class-lattice chain (energy part D phi: every T with a B
         * without T) and the liquid basin fixed at T_low */
        size_t ns = 0;
        if (!cli_blocks_spec_ok(CMD, "--liquid", liquid, &bo)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (!(bm = cli_blocks_model(CMD, &bo, have_dim ? D : 0, phi, trans))) {
            rc = cli_blocks_status();
            goto done;
        }
        if (!cli_blocks_classes_ok(CMD, bm, HL_BLOCKS_EXACT_MAX_CLASSES, "the exact sums over classes") ||
            !cli_blocks_memory_ok(CMD, bm, CLI_MEM_FACTOR, 2, "the class-lattice chain")) {
            rc = EXIT_USAGE;
            goto done;
        }
        r.basin = liquid ? liquid : "liquid";
        if (!cli_glass_blocks_chain(CMD, bm, r.o.t_low, r.basin, &bch, &bset, &ns, NULL))
            goto done;
        st = hl_scan_create_chain(bch, bset, ns, &r.o, &sc);
        r.b = bm;
        r.model = 1;
        r.D = hl_blocks_dim(bm);
    } else {
        st = hl_model_create(phi, &m);
        if (!st && trans)
            st = hl_model_set_transmission(m, trans);
        if (!st)
            st = hl_scan_create(m, D, &r.o, &sc);
        r.m = m;
        r.model = 1;
        r.D = D;
    }
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    r.np = hl_scan_points(sc);
    r.pts = malloc(sizeof(hl_scan_point) * r.np * r.nr);
    if (!r.pts) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    st = hl_scan_run_many(sc, r.nr, r.rates, r.pts, r.sum);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r.seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (r.b)
        per_dimension(&r);
    if (output && !cli_write_atomic(CMD, output, write_csv, &r))
        goto done;
    if (plot && !plot_c(&r, plot))
        goto done;
    if (plot_tgp && !plot_tg(&r, plot_tgp))
        goto done;
    if (json)
        write_json(&r);
    else
        write_table(&r);
    rc = EXIT_OK;
done:
    free(r.pts);
    hl_scan_free(sc);
    hl_model_free(m);
    hl_network_free(net);
    free(bset);
    hl_chain_free(bch);
    hl_blocks_free(bm);
    return rc;
}
