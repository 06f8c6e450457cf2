/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_paper.c -- hyperland paper: reproduce the paper's printed numbers and
 * Figures 1-4 (section IV), plus the finite-D checks, into one directory. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *CMD = "paper";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland paper [--out DIR] [--json]\n"
"\n"
"Reproduces everything of Stillinger (1984) implemented so far, in one run:\n"
"the printed numbers (eqs 4.12, 4.14, 4.15, the crystal branch appearing\n"
"near beta = 0.34) beside the computed values, Figures 1-4, the branch\n"
"table, the finite-D melting point for growing D, and an exact class\n"
"distribution heat map.  Writes into DIR (default paper/):\n"
"  table.md, summary.json, branches.csv, finite_d_melting.csv,\n"
"  fig1_paths.png, fig2_phi_vs_T.png, fig3_w_vs_T.png, fig4_w_vs_phi.png,\n"
"  fig5_exact_distribution.png, fig6_lifetimes.png, fig7_quench.png,\n"
"  fig8_compare.png, compare.csv\n"
"Kinetics so far: the relaxation spectrum at beta_m for D = 100, 1000, 1e4\n"
"and the lifetime table of the liquid (mean first-passage times), and a\n"
"quench of the liquid below the melting point (evolve).  Section V: the\n"
"Gaussian equilibrium at beta = 0.5 (eqs 5.7, 5.8), barrier crossing (the\n"
"tunnelling rate of the master equation and of the full Fokker-Planck\n"
"equation, D = 40 ... 100), and the master equation against the Fokker-Planck\n"
"equation and the Ornstein-Uhlenbeck formulas for D = 50 ... 800 (eqs\n"
"5.9-5.11, 'compare').\n"
"\n"
"options:\n"
"  --out DIR   output directory (created if missing; default paper)\n"
"  --json      print summary.json on stdout instead of the table\n"
CLI_THREADS_HELP
"  --help      this text\n");
}

#define NDIMS 5
static const long DIMS[NDIMS] = {100, 1000, 10000, 100000, 1000000};

/* kinetics: spectrum at beta_m, lifetimes liquid -> crystal */
#define NSPEC 3
static const long SPEC_DIMS[NSPEC] = {100, 1000, 10000};
#define NRATES 5
#define NLD 6
static const long LIFE_DIMS[NLD] = {100, 200, 400, 800, 1600, 3200};
#define NLB 3
static const double LIFE_BETAS[NLB] = {0.5, 0.773, 1.2};

/* quench: the liquid started at its basin's most probable class and held at
 * beta = 0.9, below the melting temperature */
#define NQD 4
static const long QUENCH_DIMS[NQD] = {20, 40, 60, 100};
#define QUENCH_BETA 0.9
#define FP_BETA 0.5
#define FP_GAUSS_DIM 800
static const long FP_DIMS[] = {50, 100, 200, 400, 800};
#define NTUN 4
static const long TUN_DIMS[NTUN] = {40, 60, 80, 100};
#define TUN_GRID 240
#define NQT 57 /* times 10^-2 ... 10^12, 4 per decade */

typedef struct {
    double phi_crystal, phi_amorphous, pmin_x, pmin_y, pmin;
    double spinodal, beta_m, latent, dS, cc_resid, saddle_barrier_l, saddle_barrier_c;
    double sx, sy, sf;
    hl_stationary liq_hi, liq_lo, cry_lo;
    double bm_d[NDIMS];
    int ok_d[NDIMS];
    double spec[NSPEC][NRATES], spec_ln[NSPEC][NRATES];
    double life[NLB][NLD], barrier[NLB], slope_last[NLB];
    double qt[NQT], qliq[NQD][NQT];
    const hl_phases *p;
    hl_gaussian gs[8];
    size_t ngs;
    double tun_master[NTUN], tun_fp[NTUN], tun_barrier;
    cli_compare_result *cmp;
} results;

static int write_table(FILE *fp, void *vp)
{
    const results *r = vp;
    fprintf(fp, "# hyperland %s: Stillinger (1984), section IV\n\n", hl_version());
    fprintf(fp, "| quantity | paper | hyperland | note |\n|---|---|---|---|\n");
    fprintf(fp,
            "| phi(-1, 0), perfect crystal (eq 4.12) | -1.83456 | %s | global minimum of phi on "
            "the square at (%s, %s): %s |\n",
            cli_num("%.10f", r->phi_crystal), cli_num("%.6g", r->pmin_x),
            cli_num("%.6g", r->pmin_y), cli_num("%.10f", r->pmin));
    fprintf(fp, "| phi(0, -1), amorphous limit (eq 4.15) | -1.78336 | %s | |\n",
            cli_num("%.10f", r->phi_amorphous));
    fprintf(fp,
            "| beta where the crystal branch appears | 0.34 | %s | fold: Hessian of w - beta phi "
            "singular |\n",
            cli_num("%.10f", r->spinodal));
    fprintf(fp,
            "| melting point beta_m (eq 4.14) | 0.773 | %s | equal w - beta phi on both branches; "
            "T_m = %s |\n",
            cli_num("%.12f", r->beta_m), cli_num("%.10f", 1 / r->beta_m));
    fprintf(fp, "| latent heat per dimension at beta_m | - | %s | phi_liquid - phi_crystal |\n",
            cli_num("%.10f", r->latent));
    fprintf(fp, "| entropy jump w_liquid - w_crystal | - | %s | |\n", cli_num("%.10f", r->dS));
    fprintf(fp, "| Clausius-Clapeyron: jump - beta_m * latent heat | 0 | %s | |\n",
            cli_num("%.3e", r->cc_resid));
    fprintf(fp,
            "| saddle of f at beta_m (x, y) | - | (%s, %s) | barrier per dimension %s from liquid, "
            "%s from crystal |\n",
            cli_num("%.8f", r->sx), cli_num("%.8f", r->sy), cli_num("%.6g", r->saddle_barrier_l),
            cli_num("%.6g", r->saddle_barrier_c));
    fprintf(fp,
            "| liquid maximum at beta = %s | near (0, 0) | (%s, %s) | infinite-temperature end |\n",
            cli_num("%.3g", r->liq_hi.beta), cli_num("%.6f", r->liq_hi.x),
            cli_num("%.6f", r->liq_hi.y));
    fprintf(fp,
            "| liquid maximum at beta = %s | towards (0, -1) | (%s, %s) | supercooled liquid |\n",
            cli_num("%.3g", r->liq_lo.beta), cli_num("%.6f", r->liq_lo.x),
            cli_num("%.6f", r->liq_lo.y));
    fprintf(fp, "| crystal maximum at beta = %s | towards (-1, 0) | (%s, %s) | |\n",
            cli_num("%.3g", r->cry_lo.beta), cli_num("%.6f", r->cry_lo.x),
            cli_num("%.6f", r->cry_lo.y));
    fprintf(fp, "\n## Finite-D melting point (exact sums; beta where both basins are equally probable)\n\n");
    fprintf(fp, "| D | beta_m(D) | beta_m(D) - beta_m(inf) |\n|---|---|---|\n");
    for (int i = 0; i < NDIMS; i++)
        if (r->ok_d[i])
            fprintf(fp, "| %ld | %s | %s |\n", DIMS[i], cli_num("%.10f", r->bm_d[i]),
                    cli_num("%.3e", r->bm_d[i] - r->beta_m));
        else
            fprintf(fp, "| %ld | not found | |\n", DIMS[i]);
    fprintf(fp, "| inf | %s | 0 |\n", cli_num("%.10f", r->beta_m));
    fprintf(fp, "\n## Relaxation spectrum of the master equation at beta_m (eq 3.11, units of B)\n\n");
    fprintf(fp, "| D | slowest rates (0 first) | ln of the slowest nonzero |\n|---|---|---|\n");
    for (int i = 0; i < NSPEC; i++) {
        fprintf(fp, "| %ld |", SPEC_DIMS[i]);
        for (int q = 0; q < NRATES; q++)
            if (q > 0 && r->spec[i][q] == 0) /* below the smallest double */
                fprintf(fp, " exp(%s)", cli_num("%.8g", r->spec_ln[i][q]));
            else
                fprintf(fp, " %s", cli_num("%.6g", r->spec[i][q]));
        fprintf(fp, " | %s |\n", cli_num("%.10g", r->spec_ln[i][1]));
    }
    fprintf(fp, "\n## Lifetime of the liquid (mean first-passage time to the crystal basin, units of 1/B)\n\n");
    fprintf(fp, "| beta |");
    for (int j = 0; j < NLD; j++)
        fprintf(fp, " ln tau, D = %ld |", LIFE_DIMS[j]);
    fprintf(fp, " d ln tau / dD (last two) | barrier per dimension (phases) |\n|---|");
    for (int j = 0; j < NLD + 2; j++)
        fprintf(fp, "---|");
    fprintf(fp, "\n");
    for (int i = 0; i < NLB; i++) {
        fprintf(fp, "| %s |", cli_num("%g", LIFE_BETAS[i]));
        for (int j = 0; j < NLD; j++)
            fprintf(fp, " %s |", cli_num("%.6f", r->life[i][j]));
        fprintf(fp, " %s | %s |\n", cli_num("%.6f", r->slope_last[i]),
                cli_num("%.6f", r->barrier[i]));
    }
    fprintf(fp, "\n## Quench: the liquid held at beta = %s, below the melting point (evolve)\n\n",
            cli_num("%g", QUENCH_BETA));
    fprintf(fp, "| D | P(liquid), t = 1e2 | t = 1e6 | t = 1e10 |\n|---|---|---|---|\n");
    for (int i = 0; i < NQD; i++) {
        fprintf(fp, "| %ld |", QUENCH_DIMS[i]);
        for (int j = 0; j < NQT; j++)
            if (fabs(log10(r->qt[j]) - 2) < 1e-9 || fabs(log10(r->qt[j]) - 6) < 1e-9 ||
                fabs(log10(r->qt[j]) - 10) < 1e-9)
                fprintf(fp, " %s |", cli_num("%.6g", r->qliq[i][j]));
        fprintf(fp, "\n");
    }
    fprintf(fp, "\n## Section V: Gaussian equilibrium at beta = %s (eqs 5.7, 5.8)\n\n",
            cli_num("%g", FP_BETA));
    fprintf(fp, "| branch | (x_m, y_m) | E11 | E12 | E22 | D cov_xx | D cov_xy | D cov_yy | "
                "OU eigenvalues lambda1, lambda2 (units of B) |\n|---|---|---|---|---|---|---|---|---|\n");
    for (size_t k = 0; k < r->ngs; k++) {
        const hl_gaussian *g = &r->gs[k];
        double D = (double)g->dim;
        fprintf(fp, "| %s | (%s, %s) | %s | %s | %s | %s | %s | %s | %s, %s |\n", g->name,
                cli_num("%.6f", g->x), cli_num("%.6f", g->y), cli_num("%.6f", g->E11),
                cli_num("%.6f", g->E12), cli_num("%.6f", g->E22), cli_num("%.6f", D * g->cov_xx),
                cli_num("%.6f", D * g->cov_xy), cli_num("%.6f", D * g->cov_yy),
                cli_num("%.6f", g->lambda[0]), cli_num("%.6f", g->lambda[1]));
    }
    fprintf(fp, "\nMobility: mu = beta B D^-1 {...} (the paper's eq 5.10 prints D^-2; see "
                "docs/fokker_planck.md).\n");
    fprintf(fp,
            "\n## Section V: barrier crossing at beta = %s, master equation against the full "
            "Fokker-Planck equation (grid %d x %d)\n\n",
            cli_num("%g", FP_BETA), TUN_GRID, TUN_GRID);
    fprintf(fp, "| D | tunnelling rate, master (eq 5.6) | Fokker-Planck (eq 5.9) | ratio FP / master |\n"
                "|---|---|---|---|\n");
    for (int i = 0; i < NTUN; i++)
        fprintf(fp, "| %ld | %s | %s | %s |\n", TUN_DIMS[i], cli_num("%.6e", r->tun_master[i]),
                cli_num("%.6e", r->tun_fp[i]), cli_num("%.3f", r->tun_fp[i] / r->tun_master[i]));
    fprintf(fp,
            "\n-d ln(rate)/dD between D = %ld and %ld: master %s, Fokker-Planck %s; "
            "free-energy barrier of the crystal (phases) %s\n",
            TUN_DIMS[NTUN - 2], TUN_DIMS[NTUN - 1],
            cli_num("%.6f", -log(r->tun_master[NTUN - 1] / r->tun_master[NTUN - 2]) /
                                (double)(TUN_DIMS[NTUN - 1] - TUN_DIMS[NTUN - 2])),
            cli_num("%.6f", -log(r->tun_fp[NTUN - 1] / r->tun_fp[NTUN - 2]) /
                                (double)(TUN_DIMS[NTUN - 1] - TUN_DIMS[NTUN - 2])),
            cli_num("%.6f", r->tun_barrier));
    fprintf(fp, "\n## Section V: master equation against the continuum (compare)\n\n");
    if (r->cmp)
        cli_compare_table(fp, r->cmp);
    return ferror(fp) ? -1 : 0;
}

/* Figure 7: the liquid population after the quench, for growing D */
static int plot_quench(const results *r, const char *dir)
{
    char out[4096], tmp[4096], script[32768];
    snprintf(out, sizeof out, "%s/fig7_quench.png", dir);
    const char *tp = cli_output_temp(CMD, out);
    if (!tp)
        return 0;
    snprintf(tmp, sizeof tmp, "%s", tp);
    size_t len = 0;
    for (int i = 0; i < NQD; i++) {
        len += (size_t)snprintf(script + len, sizeof script - len, "$Q%d << EOD\n", i);
        for (int j = 0; j < NQT; j++)
            len += (size_t)snprintf(script + len, sizeof script - len, "%.6g %.10g\n",
                                    r->qt[j], r->qliq[i][j]);
        len += (size_t)snprintf(script + len, sizeof script - len, "EOD\n");
    }
    static const char *col[NQD] = {"#7f7f7f", "#2e8b57", "#1f5fbf", "#c0392b"};
    len += (size_t)snprintf(script + len, sizeof script - len,
        "set terminal pngcairo size 900,650 font 'sans,12' enhanced\nset output '%s'\n"
        "set title \"Supercooled liquid at {/Symbol b} = %g > {/Symbol b}_m: it lives longer as D grows\\n"
        "{/*0.85 each curve levels off at the equilibrium liquid population of its D}\"\n"
        "set xlabel 'time t (units of 1/B)'\nset ylabel 'population of the liquid basin'\n"
        "set logscale x\nset format x '10^{%%T}'\nset xrange [1e-2:1e12]\nset yrange [0:1.05]\n"
        "set grid lc rgb '#dddddd'\nset key bottom left box opaque\nplot ",
        tmp, QUENCH_BETA);
    for (int i = 0; i < NQD; i++)
        len += (size_t)snprintf(script + len, sizeof script - len,
                                "%s$Q%d using 1:2 with lines lw 2.5 lc rgb '%s' title 'D = %ld%s'",
                                i ? ", " : "", i, col[i], QUENCH_DIMS[i],
                                r->qliq[i][NQT - 1] > 0.99 ? " (still liquid at the last time)" : "");
    snprintf(script + len, sizeof script - len, "\nunset output\n");
    const char *outs[1] = {out}, *tmps[1] = {tmp};
    return cli_gnuplot(CMD, script, outs, tmps, 1);
}

/* Figure 6: ln tau against D with the barrier slope through the largest D */
static int plot_lifetimes(const results *r, const char *dir)
{
    char out[4096], tmp[4096], script[16384];
    snprintf(out, sizeof out, "%s/fig6_lifetimes.png", dir);
    const char *tp = cli_output_temp(CMD, out);
    if (!tp)
        return 0;
    snprintf(tmp, sizeof tmp, "%s", tp);
    size_t len = 0;
    for (int i = 0; i < NLB; i++) {
        len += (size_t)snprintf(script + len, sizeof script - len, "$L%d << EOD\n", i);
        for (int j = 0; j < NLD; j++)
            len += (size_t)snprintf(script + len, sizeof script - len, "%ld %.10g\n",
                                    LIFE_DIMS[j], r->life[i][j] / log(10.0));
        len += (size_t)snprintf(script + len, sizeof script - len, "EOD\n");
    }
    static const char *col[NLB] = {"#1f5fbf", "#2e8b57", "#c0392b"};
    /* room above the data for the key */
    double ymax = 0;
    for (int i = 0; i < NLB; i++)
        for (int j = 0; j < NLD; j++)
            if (isfinite(r->life[i][j]))
                ymax = fmax(ymax, r->life[i][j] / log(10.0));
    ymax = ymax > 0 ? 100 * ceil(1.4 * ymax / 100) : 10;
    len += (size_t)snprintf(script + len, sizeof script - len,
        "set terminal pngcairo size 900,650 font 'sans,12' enhanced\nset output '%s'\n"
        "set title \"Lifetime of the liquid: mean first-passage time to the crystal basin\\n"
        "{/*0.85 dashed: {/Symbol t} growing as e^{D {/Symbol D}f} through the largest D; {/Symbol D}f = f_{liquid} - f_{saddle} (eq 4.13), from phases}\"\n"
        "set xlabel 'dimension D'\nset ylabel 'log_{10} (mean first-passage time {/Symbol \264} B)'\n"
        "set xrange [0:3400]\nset yrange [0:%g]\nset grid lc rgb '#dddddd'\n"
        "set key top left box opaque\nplot ", tmp, ymax);
    for (int i = 0; i < NLB; i++) {
        double dl = (double)LIFE_DIMS[NLD - 1], ll = r->life[i][NLD - 1];
        len += (size_t)snprintf(script + len, sizeof script - len,
            "%s$L%d using 1:2 with linespoints pt 7 ps 1.3 lw 2 lc rgb '%s' title '{/Symbol b} = %g (exact chain)', "
            "(%.12g + %.12g * (x - %.12g)) / log(10) with lines dt 2 lw 1.5 lc rgb '%s' "
            "title '  slope {/Symbol D}f / ln 10, {/Symbol D}f = %.4f'",
            i ? ", " : "", i, col[i], LIFE_BETAS[i], ll, r->barrier[i], dl, col[i], r->barrier[i]);
    }
    snprintf(script + len, sizeof script - len, "\nunset output\n");
    const char *outs[1] = {out}, *tmps[1] = {tmp};
    return cli_gnuplot(CMD, script, outs, tmps, 1);
}

static int write_json(FILE *fp, void *vp)
{
    const results *r = vp;
    cli_json_begin(fp, "paper");
    fprintf(fp, ", \"rows\": [");
    struct {
        const char *name, *eq;
        double paper, value;
    } rows[] = {{"phi_crystal_vertex", "4.12", -1.83456, r->phi_crystal},
                {"phi_amorphous_vertex", "4.15", -1.78336, r->phi_amorphous},
                {"crystal_spinodal_beta", "text after 4.13", 0.34, r->spinodal},
                {"beta_m", "4.14", 0.773, r->beta_m}};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        fprintf(fp, "%s{\"name\": \"%s\", \"equation\": \"%s\", \"paper\": ", k ? ", " : "",
                rows[k].name, rows[k].eq);
        hl_json_number(fp, rows[k].paper);
        fprintf(fp, ", \"computed\": ");
        hl_json_number(fp, rows[k].value);
        fprintf(fp, "}");
    }
    fprintf(fp, "], \"latent_heat\": ");
    hl_json_number(fp, r->latent);
    fprintf(fp, ", \"entropy_jump\": ");
    hl_json_number(fp, r->dS);
    fprintf(fp, ", \"clausius_clapeyron_residual\": ");
    hl_json_number(fp, r->cc_resid);
    fprintf(fp, ", \"saddle\": {\"x\": ");
    hl_json_number(fp, r->sx);
    fprintf(fp, ", \"y\": ");
    hl_json_number(fp, r->sy);
    fprintf(fp, ", \"f\": ");
    hl_json_number(fp, r->sf);
    fprintf(fp, "}, \"finite_d_melting\": [");
    for (int i = 0; i < NDIMS; i++) {
        fprintf(fp, "%s{\"dim\": %ld, \"beta_m\": ", i ? ", " : "", DIMS[i]);
        hl_json_number(fp, r->ok_d[i] ? r->bm_d[i] : NAN);
        fprintf(fp, "}");
    }
    fprintf(fp, "], \"spectrum_at_beta_m\": [");
    for (int i = 0; i < NSPEC; i++) {
        fprintf(fp, "%s{\"dim\": %ld, \"rates\": [", i ? ", " : "", SPEC_DIMS[i]);
        for (int q = 0; q < NRATES; q++) {
            fprintf(fp, q ? ", " : "");
            hl_json_number(fp, r->spec[i][q]);
        }
        fprintf(fp, "], \"ln_slowest\": ");
        hl_json_number(fp, r->spec_ln[i][1]);
        fprintf(fp, "}");
    }
    fprintf(fp, "], \"lifetimes\": [");
    for (int i = 0; i < NLB; i++) {
        fprintf(fp, "%s{\"beta\": ", i ? ", " : "");
        hl_json_number(fp, LIFE_BETAS[i]);
        fprintf(fp, ", \"dims\": [");
        for (int j = 0; j < NLD; j++)
            fprintf(fp, "%s%ld", j ? ", " : "", LIFE_DIMS[j]);
        fprintf(fp, "], \"ln_mfpt\": [");
        for (int j = 0; j < NLD; j++) {
            fprintf(fp, j ? ", " : "");
            hl_json_number(fp, r->life[i][j]);
        }
        fprintf(fp, "], \"slope_last_two\": ");
        hl_json_number(fp, r->slope_last[i]);
        fprintf(fp, ", \"barrier_per_dim\": ");
        hl_json_number(fp, r->barrier[i]);
        fprintf(fp, "}");
    }
    fprintf(fp, "], \"gaussian\": [");
    for (size_t k = 0; k < r->ngs; k++) {
        const hl_gaussian *g = &r->gs[k];
        fprintf(fp, "%s{\"branch\": ", k ? ", " : "");
        hl_json_string(fp, g->name);
        fprintf(fp, ", \"dim\": %ld, \"beta\": ", g->dim);
        hl_json_number(fp, g->beta);
        const char *keys[] = {"x", "y", "E11", "E12", "E22", "cov_xx", "cov_xy", "cov_yy",
                              "lambda1", "lambda2"};
        double vals[] = {g->x, g->y, g->E11, g->E12, g->E22, g->cov_xx, g->cov_xy, g->cov_yy,
                         g->lambda[0], g->lambda[1]};
        for (int q = 0; q < 10; q++) {
            fprintf(fp, ", \"%s\": ", keys[q]);
            hl_json_number(fp, vals[q]);
        }
        fprintf(fp, "}");
    }
    fprintf(fp, "], \"tunnelling\": {\"beta\": ");
    hl_json_number(fp, FP_BETA);
    fprintf(fp, ", \"grid\": %d, \"rows\": [", TUN_GRID);
    for (int i = 0; i < NTUN; i++) {
        fprintf(fp, "%s{\"dim\": %ld, \"master\": ", i ? ", " : "", TUN_DIMS[i]);
        hl_json_number(fp, r->tun_master[i]);
        fprintf(fp, ", \"fokker_planck\": ");
        hl_json_number(fp, r->tun_fp[i]);
        fprintf(fp, "}");
    }
    fprintf(fp, "], \"barrier_per_dim\": ");
    hl_json_number(fp, r->tun_barrier);
    fprintf(fp, "}");
    if (r->cmp) {
        fprintf(fp, ", \"compare\": ");
        cli_compare_json(fp, r->cmp);
    }
    fprintf(fp, "}\n");
    return ferror(fp) ? -1 : 0;
}

static int write_melting_csv(FILE *fp, void *vp)
{
    const results *r = vp;
    cli_csv_preamble(fp, "finite-D melting point of the paper's phi (eq 4.11)");
    fprintf(fp, "dim,beta_m,difference_from_infinite_dim\n");
    for (int i = 0; i < NDIMS; i++)
        if (r->ok_d[i]) {
            fprintf(fp, "%ld", DIMS[i]);
            hl_csv_number(fp, ",%.15g", r->bm_d[i]);
            hl_csv_number(fp, ",%.6e\n", r->bm_d[i] - r->beta_m);
        }
    return ferror(fp) ? -1 : 0;
}

static int write_branches(FILE *fp, void *vp)
{
    const results *r = vp;
    cli_csv_preamble(fp, "phi = eq 4.11; beta in [0.05, 5], 2000 points");
    fprintf(fp, "branch,beta,T,x,y,phi,w,f,stable,heat_capacity\n");
    for (int b = 0; b < hl_phases_branch_count(r->p); b++)
        for (int i = 0; i < hl_phases_beta_count(r->p); i++) {
            hl_stationary q;
            if (hl_phases_point(r->p, b, i, &q) != HL_OK)
                continue;
            cli_csv_stationary(fp, hl_phases_branch_name(r->p, b), &q);
        }
    return ferror(fp) ? -1 : 0;
}

/* the files of --out besides Figures 1-4 */
static const char *const PAPER_FILES[] = {
    "compare.csv",      "fig8_compare.png", "branches.csv",       "finite_d_melting.csv",
    "table.md",         "summary.json",     "fig6_lifetimes.png", "fig7_quench.png",
    "fig5_exact_distribution.png"};

static int find_branch(const hl_phases *p, const char *name)
{
    for (int b = 0; b < hl_phases_branch_count(p); b++)
        if (!strcmp(hl_phases_branch_name(p, b), name))
            return b;
    return -1;
}

int cmd_paper(int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, 0, 'o'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION,
                                         {0, 0, 0, 0}};
    const char *out = "paper";
    int json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'j': json = 1; break;
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
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    /* every output is made before the work, so an unwritable path fails first */
    if (!cli_make_dir(CMD, out) || !cli_plot_phases_declare(CMD, "--out", out))
        return cli_outputs_status();
    for (size_t i = 0; i < sizeof PAPER_FILES / sizeof PAPER_FILES[0]; i++) {
        char f[4096];
        snprintf(f, sizeof f, "%s/%s", out, PAPER_FILES[i]);
        if (!cli_output_declare(CMD, "--out", f, strstr(f, ".png") != NULL))
            return cli_outputs_status();
    }
    hl_model *m;
    int st = hl_model_create(NULL, &m);
    if (st)
        return cli_lib_error(CMD, st);
    results r;
    memset(&r, 0, sizeof r);
    hl_phases *p = NULL;
    int rc = EXIT_FAIL;
    char path[4096];
    cli_progress("paper: branches", 0.0);
    st = hl_model_phi_min(m, &r.pmin_x, &r.pmin_y, &r.pmin);
    if (!st)
        st = hl_phases_compute(m, 0.05, 5.0, 2000, &p);
    if (st) {
        cli_progress_done();
        cli_lib_error(CMD, st);
        goto done;
    }
    r.p = p;
    r.phi_crystal = hl_model_phi(m, -1, 0);
    r.phi_amorphous = hl_model_phi(m, 0, -1);
    int bl = find_branch(p, "liquid"), bc = find_branch(p, "crystal");
    if (bl < 0 || bc < 0 || hl_phases_melting_count(p) < 1 || hl_phases_fold_count(p) < 1) {
        cli_error(CMD, "the paper's liquid and crystal branches were not both found");
        goto done;
    }
    for (int k = 0; k < hl_phases_fold_count(p); k++) {
        hl_fold f;
        hl_phases_fold(p, k, &f);
        if (f.branch == bc)
            r.spinodal = f.beta;
    }
    hl_melting ml;
    hl_phases_melting(p, 0, &ml);
    r.beta_m = ml.beta;
    r.latent = ml.latent_heat;
    r.dS = ml.entropy_jump;
    r.cc_resid = ml.entropy_jump - ml.beta * ml.latent_heat;
    r.sx = ml.saddle.x;
    r.sy = ml.saddle.y;
    r.sf = ml.saddle.f;
    r.saddle_barrier_l = ml.a.f - ml.saddle.f;
    r.saddle_barrier_c = ml.b.f - ml.saddle.f;
    int nb = hl_phases_beta_count(p);
    hl_phases_point(p, bl, 0, &r.liq_hi);
    hl_phases_point(p, bl, nb - 1, &r.liq_lo);
    hl_phases_point(p, bc, nb - 1, &r.cry_lo);
    for (int i = 0; i < NDIMS; i++) {
        cli_progress("paper: finite-D melting", (i + 1.0) / (NDIMS + 2));
        hl_exact *ex;
        if (hl_exact_create(m, DIMS[i], HL_EXACT_AUTO, &ex) == HL_OK) {
            r.ok_d[i] = hl_exact_melting(ex, r.beta_m / 2, r.beta_m * 2, &r.bm_d[i]) == HL_OK;
            hl_exact_free(ex);
        }
    }
    for (int i = 0; i < NSPEC; i++) {
        cli_progress("paper: relaxation spectra", (i + 1.0) / NSPEC);
        double rr[NRATES];
        hl_spectrum_info info;
        st = hl_spectrum(m, SPEC_DIMS[i], r.beta_m, HL_CONTRACTED, NRATES, rr,
                         r.spec_ln[i], NULL, &info);
        if (st) {
            cli_progress_done();
            cli_lib_error(CMD, st);
            goto done;
        }
        memcpy(r.spec[i], rr, sizeof rr);
    }
    for (int i = 0; i < NLB; i++) {
        cli_progress("paper: lifetimes", (i + 1.0) / NLB);
        r.barrier[i] = cli_barrier_at(m, LIFE_BETAS[i], "liquid", "crystal");
        for (int j = 0; j < NLD; j++) {
            hl_passage ps;
            st = hl_mfpt(m, LIFE_DIMS[j], LIFE_BETAS[i], "liquid", "crystal", &ps);
            if (st) {
                cli_progress_done();
                cli_lib_error(CMD, st);
                goto done;
            }
            r.life[i][j] = ps.ln_mfpt;
        }
        r.slope_last[i] = (r.life[i][NLD - 1] - r.life[i][NLD - 2]) /
                          (double)(LIFE_DIMS[NLD - 1] - LIFE_DIMS[NLD - 2]);
    }
    for (int j = 0; j < NQT; j++)
        r.qt[j] = pow(10.0, -2.0 + j / 4.0);
    for (int i = 0; i < NQD; i++) {
        cli_progress("paper: quench", (i + 1.0) / NQD);
        hl_protocol *prot = NULL;
        /* start: the class at the maximum of the liquid basin at beta */
        hl_evolve_start start = {HL_START_BASIN, "liquid", 0, NULL, {0, 0}};
        hl_evolve_point pts[NQT];
        hl_evolve_info einfo;
        st = hl_protocol_create_fixed(QUENCH_BETA, &prot);
        if (!st)
            st = hl_evolve(m, QUENCH_DIMS[i], prot, &start, r.qt, NQT,
                           HL_EVOLVE_AUTO | HL_EVOLVE_UNCHECKED, 0, pts, NULL, &einfo);
        hl_protocol_free(prot);
        if (st) {
            cli_progress_done();
            cli_lib_error(CMD, st);
            goto done;
        }
        for (int j = 0; j < NQT; j++) {
            r.qliq[i][j] = NAN;
            for (int k = 0; k < pts[j].n_basins; k++)
                if (!strcmp(pts[j].basins[k].name, "liquid"))
                    r.qliq[i][j] = pts[j].basins[k].probability;
        }
    }
    cli_progress_done();
    /* Section V: the Gaussian at FP_BETA and the master equation against the continuum */
    st = hl_gaussian_maxima(m, FP_GAUSS_DIM, FP_BETA, r.gs, 8, &r.ngs);
    if (st) {
        cli_lib_error(CMD, st);
        goto done;
    }
    if (r.ngs > 8)
        r.ngs = 8;
    {
        cli_compare_opts co;
        cli_compare_defaults(&co);
        co.beta = FP_BETA;
        co.nd = (int)(sizeof FP_DIMS / sizeof FP_DIMS[0]);
        memcpy(co.dims, FP_DIMS, sizeof FP_DIMS);
        if (!cli_compare_run(CMD, m, &co, &r.cmp))
            goto done;
    }
    /* barrier crossing: the tunnelling rate of the master equation and of the
     * full Fokker-Planck equation over the whole square */
    r.tun_barrier = cli_barrier_at(m, FP_BETA, "crystal", "liquid");
    for (int i = 0; i < NTUN; i++) {
        cli_progress("paper: barrier crossing", (i + 1.0) / NTUN);
        double rr[2], lr[2], fr[2];
        hl_spectrum_info si;
        st = hl_spectrum(m, TUN_DIMS[i], FP_BETA, HL_CONTRACTED, 2, rr, lr, NULL, &si);
        hl_fp_options fo;
        hl_fp_options_default(&fo);
        fo.grid = TUN_GRID;
        hl_fp *fp = NULL;
        if (!st)
            st = hl_fp_create(m, TUN_DIMS[i], FP_BETA, &fo, &fp);
        if (!st)
            st = hl_fp_spectrum(fp, 2, fr, NULL);
        hl_fp_free(fp);
        if (st) {
            cli_progress_done();
            cli_lib_error(CMD, st);
            goto done;
        }
        r.tun_master[i] = rr[1];
        r.tun_fp[i] = fr[1];
    }
    cli_progress_done();
    snprintf(path, sizeof path, "%s/compare.csv", out);
    if (!cli_write_atomic(CMD, path, cli_compare_csv, r.cmp))
        goto done;
    snprintf(path, sizeof path, "%s/fig8_compare.png", out);
    if (!cli_compare_plot(CMD, r.cmp, path))
        goto done;
    snprintf(path, sizeof path, "%s/branches.csv", out);
    if (!cli_write_atomic(CMD, path, write_branches, &r))
        goto done;
    snprintf(path, sizeof path, "%s/finite_d_melting.csv", out);
    if (!cli_write_atomic(CMD, path, write_melting_csv, &r))
        goto done;
    snprintf(path, sizeof path, "%s/table.md", out);
    if (!cli_write_atomic(CMD, path, write_table, &r))
        goto done;
    snprintf(path, sizeof path, "%s/summary.json", out);
    if (!cli_write_atomic(CMD, path, write_json, &r))
        goto done;
    if (!cli_plot_phases(CMD, m, p, out) || !plot_lifetimes(&r, out) || !plot_quench(&r, out))
        goto done;
    /* Figure 5: the exact class distribution near the finite-D melting
     * point, where both basins carry weight */
    {
        char fig[4096];
        snprintf(fig, sizeof fig, "%s/fig5_exact_distribution.png", out);
        if (!cli_exact_heatmap(m, 100, r.ok_d[0] ? r.bm_d[0] : r.beta_m, fig))
            goto done;
    }
    if (json)
        write_json(stdout, &r);
    else
        write_table(stdout, &r);
    rc = EXIT_OK;
done:
    cli_compare_free(r.cmp);
    hl_phases_free(p);
    hl_model_free(m);
    return rc;
}
