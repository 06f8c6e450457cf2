/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_relaxation.c -- hyperland relaxation: the supercooled liquid's
 * relaxation time and lifetime against T, T_g where tau = tau_g, the Angell
 * plot and the fragility index (relaxation.h). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "blocks_cli.h"
#include "memlimit.h"
#include "hyperland/blocks_kinetics.h"

static const char *CMD = "relaxation";

#define RELAX_MAX_T 512
#define LN10 2.302585092994045684

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland relaxation --dim D (--temperatures T1,T2,... | --t-range LO:HI:N)\n"
"                            [--tau-g TAU] [--blocks K | --block-sizes LIST] [options]\n"
"\n"
"The relaxation time of the supercooled liquid against T, on the class\n"
"lattice (eq 5.6, rates of eq 5.2 with B(x, y, T); time in units of 1/B):\n"
"  tau  = 1 / (the slowest nonzero rate of the chain restricted to the liquid\n"
"         basin, reflecting walls): structural relaxation without crystal;\n"
"  mfpt = mean first-passage time from the liquid basin (local equilibrium)\n"
"         to the crystal basin: the supercooled liquid's lifetime.\n"
"Null with a reason where a basin does not exist at T.  T_g: tau(T_g) =\n"
"TAU (Brent in 1/T between the two listed temperatures around it); the\n"
"fragility index m = d log10 tau / d(T_g/T) at T_g (central differences in\n"
"1/T at steps 2%% and 1%% of 1/T_g, Richardson-extrapolated; m_error the\n"
"difference to the 1%% value).  Arrhenius tau = tau0 exp(E/T) gives m =\n"
"log10(TAU/tau0); super-Arrhenius (fragile) liquids have larger m.\n"
"\n"
"options:\n"
"  --dim D              even dimension, 4 <= D <= 400 (required)\n"
"  --temperatures LIST  T1,T2,... (each > 0; at most 512)\n"
"  --t-range LO:HI:N    N temperatures from LO to HI, evenly spaced in 1/T\n"
"  --tau-g TAU          tau defining T_g (default 1e6, units of 1/B)\n"
"  --phi FORMULA        phi(x, y) (default eq 4.11)\n"
"  --transmission FORMULA  B(x, y, T) (default 1)\n"
"  --output FILE        the table as CSV ('-': stdout)\n"
"  --plot FILE.png      the Angell plot: log10 tau (and log10 mfpt) against\n"
"                       T_g/T, with the tangent of slope m at T_g\n"
"  --json               machine-readable output on stdout\n");
    fprintf(fp,
CLI_BLOCKS_HELP
"                       relaxation then runs on the k-dimensional class lattice\n"
"                       (the chain of `spectrum --blocks`, built at each T: a B\n"
"                       that depends on T is right at every T), with the\n"
"                       steepest-ascent basins of `exact --blocks` at each T;\n"
"                       two equal blocks give the numbers above; D <= 1e9, the\n"
"                       classes prod (D_i + 1) bounded by memory and time\n"
"  --liquid NAME        with blocks: the basin whose tau is measured (default\n"
"                       liquid; b1, b2, ..., crystal, or m=v1,...,vk: the basin\n"
"                       nearest that point, as `exact --blocks`), named at the\n"
"                       first T of the list where it exists and then followed\n"
"                       in the list's order: at each next T the basin that the\n"
"                       last top ascends to, when its own top ascends back to\n"
"                       the last basin at the last T.  When not, the basin has\n"
"                       vanished (a fold): that row and all later ones are null\n"
"                       with the reason; the curve never jumps to a basin that\n"
"                       appears elsewhere.  liquid_basin, liquid_top: its name\n"
"                       and top at each T (T_g's root between two rows follows\n"
"                       it from the nearer row)\n"
"  --crystal NAME       with blocks: the target of the MFPT (default crystal)\n"
"                       A name given with --liquid/--crystal that is no basin at\n"
"                       any temperature of the run is an error (exit 1)\n"
CLI_MAX_MEMORY_HELP
CLI_THREADS_HELP
"  --help               this text\n" HL_FORMULA_HELP);
}

typedef struct {
    const hl_model *m;
    const hl_blocks *b;     /* the model of k blocks (m NULL)            */
    hl_blocks_exact *ex;
    const char *liquid, *crystal;
    long D;
    size_t nt;
    double T[RELAX_MAX_T];
    hl_relax_point pts[RELAX_MAX_T];
    hl_blocks_follow fol[RELAX_MAX_T]; /* with blocks: the followed basin after row i */
    double tau_g;
    hl_fragility fr;
} relax_run;

/* ln tau at T (T_g's root, the fragility's differences): with blocks the
 * basin followed from the row nearest in 1/T that followed one */
static int tau_fn(void *ctx, double T, double *ln_tau)
{
    const relax_run *c = ctx;
    hl_relax_point p;
    int st;
    if (c->b) {
        hl_blocks_follow f = {.top = -1};
        double best = INFINITY;
        for (size_t i = 0; i < c->nt; i++)
            if (c->fol[i].top >= 0 && !c->fol[i].lost && fabs(1 / c->T[i] - 1 / T) < best) {
                best = fabs(1 / c->T[i] - 1 / T);
                f = c->fol[i];
            }
        if (f.top < 0) {
            *ln_tau = NAN;
            return HL_OK;
        }
        st = hl_blocks_relaxation_follow(c->b, c->ex, T, c->liquid, c->crystal, &f, &p);
    } else {
        st = hl_relaxation_at(c->m, c->D, T, &p);
    }
    *ln_tau = st ? NAN : p.ln_tau;
    return st;
}

static const char *phi_text(const relax_run *r)
{
    return r->b ? hl_blocks_phi_formula(r->b) : hl_model_phi_formula(r->m);
}

static const char *b_text(const relax_run *r)
{
    return r->b ? hl_blocks_transmission_formula(r->b) : hl_model_transmission_formula(r->m);
}

static double tg_ratio(const relax_run *r, double T)
{
    return isfinite(r->fr.tg) ? r->fr.tg / T : NAN;
}

/* "m=v1,...,vk" of row i's followed top, "" where it has none */
static void top_text(const relax_run *r, size_t i, char *buf, size_t size)
{
    const hl_blocks_follow *f = &r->fol[i];
    buf[0] = '\0';
    if (!f->name[0])
        return;
    size_t n = (size_t)snprintf(buf, size, "m=");
    for (int j = 0; j < hl_blocks_k(r->b) && n < size; j++)
        n += (size_t)snprintf(buf + n, size - n, "%s%.10g", j ? "," : "", f->m[j]);
}

static int write_csv(FILE *fp, void *ctx)
{
    const relax_run *r = ctx;
    char params[1024];
    snprintf(params, sizeof params,
             "phi = %s; B = %s; D = %ld; tau = 1/(slowest rate of the liquid basin, reflecting "
             "walls); mfpt liquid -> crystal; T_g where tau = %g: %.12g; m = %.6g +- %.2g",
             phi_text(r), b_text(r), r->D, r->tau_g, r->fr.tg, r->fr.m, r->fr.m_error);
    cli_csv_preamble(fp, params);
    if (r->b) {
        cli_blocks_csv_comment(fp, r->b);
        fprintf(fp, "# liquid basin: %s at the first T where it exists, then followed (the "
                    "basin its top ascends to); crystal basin: %s at each T (steepest ascent)\n",
                r->liquid, r->crystal);
    }
    fprintf(fp, "T,tg_over_T,ln_tau,log10_tau,ln_mfpt,log10_mfpt,p_liquid,liquid_classes,"
                "tau_null,mfpt_null%s\n", r->b ? ",liquid_basin,liquid_top" : "");
    for (size_t i = 0; i < r->nt; i++) {
        const hl_relax_point *p = &r->pts[i];
        fprintf(fp, "%.15g", p->T);
        hl_csv_number(fp, ",%.15g", tg_ratio(r, p->T));
        hl_csv_number(fp, ",%.15g", p->ln_tau);
        hl_csv_number(fp, ",%.15g", p->ln_tau / LN10);
        hl_csv_number(fp, ",%.15g", p->ln_mfpt);
        hl_csv_number(fp, ",%.15g", p->ln_mfpt / LN10);
        hl_csv_number(fp, ",%.15g", p->p_liquid);
        fprintf(fp, ",%ld", p->liquid_classes);
        cli_csv_text(fp, ",", p->tau_null);
        cli_csv_text(fp, ",", p->mfpt_null);
        if (r->b) {
            char top[HL_BLOCKS_MAX * 24 + 8] = "";
            top_text(r, i, top, sizeof top);
            cli_csv_text(fp, ",", r->fol[i].name);
            cli_csv_text(fp, ",", top);
        }
        fputc('\n', fp);
    }
    return ferror(fp) ? -1 : 0;
}

static void write_json(const relax_run *r)
{
    cli_json_begin(stdout, CMD);
    if (r->b) {
        cli_blocks_json(stdout, r->b);
        printf(", \"liquid\": ");
        hl_json_string(stdout, r->liquid);
        printf(", \"crystal\": ");
        hl_json_string(stdout, r->crystal);
        printf(", \"basins\": \"steepest ascent at each T; the liquid basin followed from the "
               "first T where it exists\"");
    } else {
        printf(", \"phi\": ");
        hl_json_string(stdout, hl_model_phi_formula(r->m));
        printf(", \"transmission\": ");
        hl_json_string(stdout, hl_model_transmission_formula(r->m));
        printf(", \"dim\": %ld", r->D);
    }
    printf(", \"tau_g\": %.17g, \"tg\": ", r->tau_g);
    hl_json_number(stdout, r->fr.tg);
    printf(", \"fragility\": ");
    hl_json_number(stdout, r->fr.m);
    printf(", \"fragility_error\": ");
    hl_json_number(stdout, r->fr.m_error);
    printf(", \"activation_energy_at_tg\": ");
    hl_json_number(stdout, r->fr.slope_ev);
    if (r->fr.null_reason[0]) {
        printf(", \"null_reason\": ");
        hl_json_string(stdout, r->fr.null_reason);
    }
    printf(", \"points\": [");
    for (size_t i = 0; i < r->nt; i++) {
        const hl_relax_point *p = &r->pts[i];
        printf("%s{\"T\": %.17g, \"tg_over_T\": ", i ? ", " : "", p->T);
        hl_json_number(stdout, tg_ratio(r, p->T));
        printf(", \"ln_tau\": ");
        hl_json_number(stdout, p->ln_tau);
        printf(", \"log10_tau\": ");
        hl_json_number(stdout, p->ln_tau / LN10);
        printf(", \"ln_mfpt\": ");
        hl_json_number(stdout, p->ln_mfpt);
        printf(", \"log10_mfpt\": ");
        hl_json_number(stdout, p->ln_mfpt / LN10);
        printf(", \"p_liquid\": ");
        hl_json_number(stdout, p->p_liquid);
        printf(", \"liquid_classes\": %ld", p->liquid_classes);
        if (r->b) {
            const hl_blocks_follow *f = &r->fol[i];
            printf(", \"liquid_basin\": ");
            if (f->name[0]) {
                hl_json_string(stdout, f->name);
                printf(", \"liquid_top\": [");
                for (int j = 0; j < hl_blocks_k(r->b); j++)
                    printf("%s%.17g", j ? ", " : "", f->m[j]);
                printf("]");
            } else {
                printf("null, \"liquid_top\": null");
            }
        }
        if (p->tau_null[0]) {
            printf(", \"tau_null\": ");
            hl_json_string(stdout, p->tau_null);
        }
        if (p->mfpt_null[0]) {
            printf(", \"mfpt_null\": ");
            hl_json_string(stdout, p->mfpt_null);
        }
        printf("}");
    }
    printf("]}\n");
}

static void write_table(const relax_run *r)
{
    printf("D = %ld, phi = %s, B = %s\n", r->D, phi_text(r), b_text(r));
    if (r->b) {
        printf("blocks ");
        for (int i = 0; i < hl_blocks_k(r->b); i++)
            printf("%s%ld", i ? "," : "", hl_blocks_size(r->b, i));
        printf("; liquid basin '%s' at the first T, then followed; crystal basin '%s' at each "
               "T (steepest ascent)\n", r->liquid, r->crystal);
    }
    printf("tau: 1/(slowest rate of the liquid basin, reflecting walls); mfpt: liquid -> "
           "crystal (units of 1/B)\n");
    printf("%12s %10s %13s %13s %11s%s\n", "T", "Tg/T", "log10_tau", "log10_mfpt", "p_liquid",
           r->b ? "  liquid basin (top)" : "");
    for (size_t i = 0; i < r->nt; i++) {
        const hl_relax_point *p = &r->pts[i];
        printf("%12.6g %10s %13s %13s %11.4g", p->T, cli_numx("%10.5f", tg_ratio(r, p->T), "null"),
               cli_numx("%13.6f", p->ln_tau / LN10, "null"),
               cli_numx("%13.6f", p->ln_mfpt / LN10, "null"), p->p_liquid);
        if (r->b && r->fol[i].name[0]) {
            char top[HL_BLOCKS_MAX * 24 + 8];
            top_text(r, i, top, sizeof top);
            printf("  %s (%s)", r->fol[i].name, top);
        }
        putchar('\n');
    }
    for (size_t i = 0; i < r->nt; i++) {
        if (r->pts[i].tau_null[0])
            printf("T = %g: tau null: %s\n", r->pts[i].T, r->pts[i].tau_null);
        if (r->pts[i].mfpt_null[0])
            printf("T = %g: mfpt null: %s\n", r->pts[i].T, r->pts[i].mfpt_null);
    }
    if (isfinite(r->fr.tg))
        printf("T_g (tau = %g) = %.12g\n", r->tau_g, r->fr.tg);
    else
        printf("T_g (tau = %g) = null: %s\n", r->tau_g, r->fr.null_reason);
    if (isfinite(r->fr.m))
        printf("fragility m = d log10 tau / d(T_g/T) at T_g = %.6g +- %.2g (apparent activation "
               "energy %.6g)\n",
               r->fr.m, r->fr.m_error, r->fr.slope_ev);
    else if (isfinite(r->fr.tg))
        printf("fragility m = null: %s\n", r->fr.null_reason);
}

static int plot_angell(const relax_run *r, const char *path)
{
    if (!isfinite(r->fr.tg)) {
        cli_error(CMD, "--plot: no T_g (%s), no Angell plot", r->fr.null_reason);
        return 0;
    }
    cli_strbuf s = {0};
    const char *tp = cli_output_temp(CMD, path);
    if (!tp)
        return 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", tp);
    cli_strbuf_printf(&s, "$A << EOD\n");
    for (size_t i = 0; i < r->nt; i++) {
        const hl_relax_point *p = &r->pts[i];
        cli_strbuf_printf(&s, "%.10g %.10g %.10g\n", r->fr.tg / p->T,
                          isfinite(p->ln_tau) ? p->ln_tau / LN10 : NAN,
                          isfinite(p->ln_mfpt) ? p->ln_mfpt / LN10 : NAN);
    }
    double lg = log10(r->tau_g);
    char model[600], pb[100];
    const char *phi = phi_text(r);
    if (strlen(phi) > 90) {
        snprintf(pb, sizeof pb, "%.87s...", phi);
        phi = pb;
    }
    if (r->b)
        cli_blocks_describe(r->b, "\\n", model, sizeof model);
    else
        snprintf(model, sizeof model, "model of two order parameters (x, y), D = %ld, B = %s\\n"
                                      "phi = %s", r->D, b_text(r), phi);
    const char *lq = r->b ? r->liquid : "liquid", *cr = r->b ? r->crystal : "crystal";
    cli_strbuf_printf(&s,
        "EOD\nset terminal pngcairo size 900,760 font 'sans,12' enhanced\nset output '%s'\n"
        "set title \"Angell plot, %s\\nTg = %.5g (tau = %g), fragility m = %.4g\" "
        "noenhanced\n"
        "set xlabel 'T_g / T'\nset ylabel 'log_{10} tau (units of 1/B)'\n"
        "set y2label 'log_{10} MFPT %s -> %s (units of 1/B)' tc rgb '#c0392b'\n"
        "set ytics nomirror\nset y2tics tc rgb '#c0392b'\nset grid\n"
        "set key outside below box\n"
        "set label 1 'T_g' at first 1, first %.17g offset 1.2,-0.9 font ',11'\n"
        "plot $A using 1:2 with linespoints lw 2 pt 7 lc rgb '#1f5fbf' "
        "title 'tau: slowest relaxation in the %s basin' noenhanced, "
        "$A using 1:3 axes x1y2 with linespoints lw 1 pt 5 ps 0.6 dt 2 lc rgb '#c0392b' "
        "title 'MFPT %s -> %s (right axis)' noenhanced, "
        "(x > 0.85 && x < 1.15 ? %.17g + %.17g * (x - 1) : 1/0) with lines lw 2 lc rgb '#000000' "
        "title sprintf('slope m = %%.3g at T_g', %.17g), "
        "'+' using (1):(%.17g) with points pt 6 ps 2 lw 2 lc rgb '#000000' "
        "title 'T_g = %.5g: where tau = %g (T_g / T = 1, left axis)'\n"
        "unset output\n",
        tmp, model, r->fr.tg, r->tau_g, r->fr.m, lq, cr, lg, lq, lq, cr, lg,
        r->fr.m, r->fr.m, lg, r->fr.tg, r->tau_g);
    return cli_strbuf_gnuplot(CMD, &s, path, tmp);
}

static int parse_range(const char *s, double *lo, double *hi, long *n)
{
    char tail;
    if (sscanf(s, "%lf:%lf:%ld%c", lo, hi, n, &tail) != 3)
        return 0;
    return *lo > 0 && *hi > 0 && isfinite(*lo) && isfinite(*hi) && *lo != *hi && *n >= 2 &&
           *n <= RELAX_MAX_T;
}

int cmd_relaxation(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},       {"temperatures", required_argument, 0, 'T'},
        {"t-range", required_argument, 0, 'R'},   {"tau-g", required_argument, 0, 'g'},
        {"phi", required_argument, 0, 'p'},       {"transmission", required_argument, 0, 'B'},
        {"output", required_argument, 0, 'o'},    {"plot", required_argument, 0, 'P'},
        {"json", no_argument, 0, 'j'},            {"help", no_argument, 0, 'h'},
        {"liquid", required_argument, 0, 'L'},    {"crystal", required_argument, 0, 'C'},
        CLI_THREADS_OPTION,                       CLI_BLOCKS_OPTIONS, CLI_MAX_MEMORY_OPTION,
        {0, 0, 0, 0}};
    const char *phi = NULL, *trans = NULL, *output = NULL, *plot = NULL;
    const char *liquid = NULL, *crystal = NULL;
    cli_blocks_opts bo = {0};
    static relax_run r;
    memset(&r, 0, sizeof r);
    r.tau_g = 1e6;
    long D = 0;
    int have_dim = 0, json = 0, c, have_list = 0, have_range = 0;
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
        case 'T':
            if (!cli_parse_list(CMD, "--temperatures", optarg, r.T, RELAX_MAX_T, &r.nt))
                return EXIT_USAGE;
            have_list = 1;
            break;
        case 'R': {
            double lo, hi;
            long n;
            if (!parse_range(optarg, &lo, &hi, &n)) {
                cli_error(CMD, "--t-range must be LO:HI:N with LO, HI > 0, LO != HI and 2 <= N "
                               "<= %d (got '%s')", RELAX_MAX_T, cli_clip(optarg));
                return EXIT_USAGE;
            }
            r.nt = (size_t)n;
            for (long i = 0; i < n; i++) /* evenly spaced in 1/T */
                r.T[i] = 1.0 / (1.0 / lo + (1.0 / hi - 1.0 / lo) * (double)i / (double)(n - 1));
            have_range = 1;
            break;
        }
        case 'g': if (!cli_parse_double(CMD, "--tau-g", optarg, &r.tau_g)) return EXIT_USAGE; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'o': output = optarg; break;
        case 'P': plot = optarg; break;
        case 'j': json = 1; break;
        case 'L': liquid = optarg; break;
        case 'C': crystal = optarg; break;
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
    if ((!have_dim && !bo.from_sizes) || (!have_list && !have_range)) {
        cli_error(CMD, "--dim D and --temperatures or --t-range are required (see --help)");
        return EXIT_USAGE;
    }
    if (!bo.k && (liquid || crystal)) {
        cli_error(CMD, "--liquid and --crystal are for the model of k blocks (--blocks K or "
                       "--block-sizes LIST)");
        return EXIT_USAGE;
    }
    if (have_list && have_range) {
        cli_error(CMD, "give --temperatures or --t-range, not both");
        return EXIT_USAGE;
    }
    if (!bo.k && (D < 4 || D > HL_RELAX_DIM_MAX || D % 2)) {
        cli_error(CMD, "--dim must be even and in [4, %ld] (got %ld)", HL_RELAX_DIM_MAX, D);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < r.nt; i++)
        if (!(r.T[i] >= 1e-6) || !isfinite(r.T[i])) {
            cli_error(CMD, "every temperature must be finite and at least 1e-6 (got %g)", r.T[i]);
            return EXIT_USAGE;
        }
    if (!(r.tau_g > 0) || !isfinite(r.tau_g)) {
        cli_error(CMD, "--tau-g must be positive and finite (got %g)", r.tau_g);
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if ((output && !cli_output_declare(CMD, "--output", output, 0)) ||
        (plot && !cli_output_declare(CMD, "--plot", plot, 1)))
        return cli_outputs_status();
    hl_model *m = NULL;
    hl_blocks *b = NULL;
    int rc = EXIT_FAIL;
    int st = HL_OK;
    if (bo.k) {
        if (!cli_blocks_spec_ok(CMD, "--liquid", liquid, &bo) ||
            !cli_blocks_spec_ok(CMD, "--crystal", crystal, &bo)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (!(b = cli_blocks_model(CMD, &bo, have_dim ? D : 0, phi, trans))) {
            rc = cli_blocks_status();
            goto done;
        }
        if (!cli_blocks_classes_ok(CMD, b, HL_BLOCKS_EXACT_MAX_CLASSES, "the exact sums over classes") ||
            !cli_blocks_memory_ok(CMD, b, CLI_MEM_FACTOR, 2, "the class-lattice chain")) {
            rc = EXIT_USAGE;
            goto done;
        }
        if ((st = hl_blocks_exact_create(b, &r.ex))) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        r.b = b;
        r.liquid = liquid ? liquid : "liquid";
        r.crystal = crystal ? crystal : "crystal";
        if (cli_blocks_basin_args(CMD, "--liquid", r.liquid, "--crystal", r.crystal,
                                  hl_blocks_k(b), 0)) {
            rc = EXIT_USAGE;
            goto done;
        }
        D = hl_blocks_dim(b);
    } else {
        st = hl_model_create(phi, &m);
        if (!st && trans)
            st = hl_model_set_transmission(m, trans);
        if (st) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
    }
    r.m = m;
    r.D = D;
    double lt[RELAX_MAX_T];
    int seen_l = 0, seen_c = 0;
    hl_blocks_follow fol = {.top = -1};
    for (size_t i = 0; i < r.nt; i++) {
        st = b ? hl_blocks_relaxation_follow(b, r.ex, r.T[i], r.liquid, r.crystal, &fol, &r.pts[i])
               : hl_relaxation_at(m, D, r.T[i], &r.pts[i]);
        r.fol[i] = fol;
        if (st) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        lt[i] = r.pts[i].ln_tau;
        seen_l |= r.pts[i].liquid_classes > 0;
        char gone[64]; /* the reason hl_blocks_relaxation_at gives for no crystal */
        snprintf(gone, sizeof gone, "no basin '%.20s' at", r.crystal ? r.crystal : "");
        seen_c |= strncmp(r.pts[i].mfpt_null, gone, strlen(gone)) != 0;
    }
    if ((liquid && !seen_l) || (crystal && !seen_c)) {
        cli_error(CMD, "no basin '%s' at any temperature of the run (basins: liquid, crystal, "
                       "b1, b2, ... or m=v1,...,vk; see exact --blocks)",
                  cli_clip(liquid && !seen_l ? liquid : crystal));
        goto done;
    }
    if ((st = hl_fragility_find(tau_fn, &r, r.T, lt, r.nt, r.tau_g, &r.fr))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (output && !cli_write_atomic(CMD, output, write_csv, &r))
        goto done;
    if (plot && !plot_angell(&r, plot))
        goto done;
    if (json)
        write_json(&r);
    else
        write_table(&r);
    rc = EXIT_OK;
done:
    hl_blocks_exact_free(r.ex);
    r.ex = NULL;
    hl_blocks_free(b);
    hl_model_free(m);
    return rc;
}
