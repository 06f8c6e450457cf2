/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_plot.c -- the --plot figure of a k-block trajectory
 * (fokker-planck --blocks): <m_i> of every block (and <x>, <y> for two
 * equal blocks, as the 2-D figure of cli_trajectory_plot) and the basin
 * probabilities against t, on a log time axis when the times span two
 * decades or more. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"

static const char *m_color[] = {"#7b3294", "#008837", "#e66101"};
static const char *other_color[] = {"#2e8b57", "#8e44ad", "#d35400", "#16a085",
                                    "#7f8c8d", "#b7950b", "#1abc9c", "#e84393"};

static const char *basin_color(const char *name, int *other)
{
    if (!strcmp(name, "liquid"))
        return "#1f5fbf";
    if (!strcmp(name, "crystal"))
        return "#c0392b";
    return other_color[(*other)++ % (int)(sizeof other_color / sizeof other_color[0])];
}

/* curves a and b of the n x w table v coincide at the figure's
 * resolution tol (a NaN never coincides) */
static int same_curve(const double *v, size_t n, int w, int a, int b, double tol)
{
    for (size_t i = 0; i < n; i++)
        if (!(fabs(v[i * (size_t)w + (size_t)a] - v[i * (size_t)w + (size_t)b]) <= tol))
            return 0;
    return 1;
}

/* lead[q]: the first curve of v that q coincides with (q itself if none):
 * coinciding curves are drawn once, under their joined names */
static void group_curves(const double *v, size_t n, int w, double tol, int *lead)
{
    for (int q = 0; q < w; q++) {
        lead[q] = q;
        for (int p = 0; p < q && lead[q] == q; p++)
            if (lead[p] == p && same_curve(v, n, w, p, q, tol))
                lead[q] = p;
    }
}

int cli_blocks_traj_plot(const cli_blocks_plot_data *d, const char *path)
{
    int k = hl_blocks_k(d->b), pair = d->mean_x && d->mean_y;
    double tmin = INFINITY, tmax = 0, lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < d->n; i++)
        if (d->t[i] > 0) {
            tmin = fmin(tmin, d->t[i]);
            tmax = fmax(tmax, d->t[i]);
        }
    int logt = tmin < INFINITY && tmax / tmin >= 100;
    const char *tp = cli_output_temp(d->cmd, path);
    if (!tp)
        return 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", tp);
    cli_strbuf s = {0};
    /* $E: t m1 .. mk [x y] p_1 .. p_nb */
    size_t shown = 0;
    double t_lo = INFINITY, t_hi = -INFINITY;
    cli_strbuf_printf(&s, "$E << EOD\n");
    for (size_t i = 0; i < d->n; i++) {
        if (logt && d->t[i] <= 0)
            continue;
        shown++;
        t_lo = fmin(t_lo, d->t[i]);
        t_hi = fmax(t_hi, d->t[i]);
        cli_strbuf_printf(&s, "%.10g", d->t[i]);
        for (int q = 0; q < k; q++) {
            double v = d->mean_m[i * (size_t)k + (size_t)q];
            cli_strbuf_printf(&s, " %.10g", v);
            if (isfinite(v))
                lo = fmin(lo, v), hi = fmax(hi, v);
        }
        if (pair) {
            cli_strbuf_printf(&s, " %.10g %.10g", d->mean_x[i], d->mean_y[i]);
            if (isfinite(d->mean_x[i]))
                lo = fmin(lo, d->mean_x[i]), hi = fmax(hi, d->mean_x[i]);
            if (isfinite(d->mean_y[i]))
                lo = fmin(lo, d->mean_y[i]), hi = fmax(hi, d->mean_y[i]);
        }
        for (int q = 0; q < d->nb; q++)
            cli_strbuf_printf(&s, " %.10g", d->prob[i * (size_t)d->nb + (size_t)q]);
        cli_strbuf_printf(&s, "\n");
    }
    cli_strbuf_printf(&s, "EOD\n");
    /* the order-parameter range: the data with a margin, at least 0.05
     * wide (gnuplot cannot scale a flat curve), inside [-1.05, 1.05] */
    if (!(lo <= hi))
        lo = -1, hi = 1;
    double pad = fmax(0.06 * (hi - lo), 0.025);
    lo = fmax(lo - pad, -1.05);
    hi = fmin(hi + pad, 1.05);
    char cond[160], sizes[160] = "";
    if (d->proto)
        snprintf(cond, sizeof cond, "protocol %.60s", d->proto);
    else
        snprintf(cond, sizeof cond, "beta = %g", d->beta);
    for (int q = 0, l = 0; q < k && l < (int)sizeof sizes - 24; q++)
        l += snprintf(sizes + l, sizeof sizes - (size_t)l, "%s%ld", q ? ", " : "",
                      hl_blocks_size(d->b, q));
    /* the two panels' plot commands first: the key's width sets the right
     * margin.  Curves that coincide (within 1/500 of the panel's height)
     * are one curve named after all of them, so that none hides another. */
    cli_strbuf top = {0}, bot = {0};
    size_t keyw = 0;
    int *lead = malloc(sizeof(int) * (size_t)(k + d->nb + 1)), nc = 0, other = 0;
    if (!lead) {
        free(s.buf);
        cli_error(d->cmd, "out of memory drawing %s", path);
        return 0;
    }
    int *blead = lead + k;
    group_curves(d->mean_m, d->n, k, 2e-3 * (hi - lo), lead);
    for (int q = 0; q < k; q++) {
        if (lead[q] != q)
            continue;
        char name[256], sz[160], title[480];
        int ln = snprintf(name, sizeof name, "<m_%d>", q + 1), members = 1;
        int ls = snprintf(sz, sizeof sz, "D_%d = %ld", q + 1, hl_blocks_size(d->b, q));
        for (int r = q + 1; r < k; r++)
            if (lead[r] == q && ln < 200 && ls < 120) {
                members++;
                ln += snprintf(name + ln, sizeof name - (size_t)ln, ", <m_%d>", r + 1);
                ls += snprintf(sz + ls, sizeof sz - (size_t)ls, ", D_%d = %ld", r + 1,
                               hl_blocks_size(d->b, r));
            }
        if (members > 1)
            snprintf(title, sizeof title, "%s (coincide; %s)", name, sz);
        else
            snprintf(title, sizeof title, "<m_%d> (block %d, %s)", q + 1, q + 1, sz);
        size_t vis = 0; /* the visible characters: '_' is a subscript */
        for (const char *c = title; *c; c++)
            vis += *c != '_';
        keyw = vis > keyw ? vis : keyw;
        cli_strbuf_printf(&top,
            "%s$E using 1:%d with linespoints lw 2 pt %d ps 0.7 lc rgb '%s' title '%s'",
            nc++ ? ", " : "", q + 2, 7 + 2 * q, m_color[q % 3], title);
    }
    if (pair) {
        cli_strbuf_printf(&top,
            ", $E using 1:%d with linespoints lw 2 dt 2 pt 6 ps 0.7 lc rgb '#555555' "
            "title '<x> = (<m_1> + <m_2>)/2', "
            "$E using 1:%d with linespoints lw 2 dt 2 pt 4 ps 0.7 lc rgb '#d08c00' "
            "title '<y> = (<m_1> - <m_2>)/2'",
            k + 2, k + 3);
        keyw = keyw > 23 ? keyw : 23;
    }
    int col0 = k + 2 + 2 * pair;
    group_curves(d->prob, d->n, d->nb, 2e-3 * 1.04, blead);
    nc = 0;
    for (int q = 0; q < d->nb; q++) {
        if (blead[q] != q)
            continue;
        char title[512];
        int ln = snprintf(title, sizeof title, "%s", d->names[q]), members = 1;
        for (int r = q + 1; r < d->nb; r++)
            if (blead[r] == q && ln < (int)sizeof title - 40) {
                members++;
                ln += snprintf(title + ln, sizeof title - (size_t)ln, ", %s", d->names[r]);
            }
        if (members > 1)
            snprintf(title + ln, sizeof title - (size_t)ln, " (coincide)");
        keyw = strlen(title) > keyw ? strlen(title) : keyw;
        cli_strbuf_printf(&bot,
            "%s$E using 1:%d with linespoints lw 2 pt %d ps 0.7 lc rgb '%s' title '%s' "
            "noenhanced",
            nc++ ? ", " : "", col0 + q, 7 + 2 * (q % 3), basin_color(d->names[q], &other),
            title);
    }
    free(lead);
    if (!nc) /* no basin at any point (cannot happen: the cube has a maximum) */
        cli_strbuf_printf(&bot, "NaN title 'no basin'");
    /* the key: about 0.95 character widths per character and 11 for the
     * sample line; the plot keeps 640 pixels */
    int rmargin = (int)(0.95 * (double)(keyw > 120 ? 120 : keyw)) + 11;
    cli_strbuf_printf(&s,
        "set terminal pngcairo size %d,820 font 'sans,12' enhanced\n"
        "set output '%s'\n"
        "set multiplot layout 2,1 title \"%s in %d block%s%s%s, D = %ld,\\n%s, "
        "from %s\" noenhanced\n",
        80 + 640 + 9 * rmargin, tmp, d->title, k, k == 1 ? "" : "s of sizes (",
        k == 1 ? "" : sizes, k == 1 ? "" : ")", hl_blocks_dim(d->b), cond, d->from);
    if (logt)
        cli_strbuf_printf(&s, "set logscale x\nset format x '10^{%%T}'\n");
    if (shown && t_lo == t_hi) /* one time: a range around it */
        cli_strbuf_printf(&s, "set xrange [%.10g:%.10g]\n", logt ? t_lo / 2 : t_lo - 1,
                          logt ? t_lo * 2 : t_lo + 1);
    cli_strbuf_printf(&s,
        "unset xlabel\nset grid\nset key outside right top spacing 1.2\n"
        "set lmargin 10\nset rmargin %d\n"
        "set ylabel 'mean block magnetisation'\nset yrange [%.6g:%.6g]\nplot %s\n"
        "set xlabel 't (units of 1/B)%s'\nset ylabel 'basin probability'\n"
        "set yrange [-0.02:1.02]\nplot %s\nunset multiplot\nunset output\n",
        rmargin, lo, hi, top.buf ? top.buf : "", logt && shown < d->n ? " (t = 0 not shown)" : "",
        bot.buf ? bot.buf : "");
    s.bad |= top.bad || bot.bad;
    free(top.buf);
    free(bot.buf);
    return cli_strbuf_gnuplot(d->cmd, &s, path, tmp);
}
