/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plot.c -- figures with gnuplot (pngcairo).  Data travel inline as
 * gnuplot datablocks; gnuplot writes each PNG to the temporary of its
 * declared output (outputs.c), put in place with the run's other files. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

int cli_gnuplot(const char *cmd, const char *script, const char *const *outputs,
                const char *const *tmp_outputs, int n)
{
    (void)outputs;
    for (int i = 0; i < n; i++)
        if (!tmp_outputs[i])
            return 0; /* the output could not be made (message printed) */
    /* HYPERLAND_PLOT_SCRIPT=FILE: the scripts also appended to FILE (for
     * tests and for editing a figure by hand) */
    const char *keep = getenv("HYPERLAND_PLOT_SCRIPT");
    if (keep && *keep) {
        FILE *kf = fopen(keep, "a");
        if (kf) {
            fputs(script, kf);
            fclose(kf);
        }
    }
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    char sp[4096], ep[4096];
    snprintf(sp, sizeof sp, "%s/hyperland-plot-XXXXXX", base);
    snprintf(ep, sizeof ep, "%s/hyperland-plot-err-XXXXXX", base);
    int ss = cli_temp_make(sp);
    if (ss < 0) {
        cli_error(cmd, "cannot create a temporary gnuplot script: %s", strerror(errno));
        return 0;
    }
    FILE *fp = fopen(sp, "w");
    int ok = fp != NULL;
    if (fp) {
        fputs(script, fp);
        ok = !ferror(fp);
        ok = fclose(fp) == 0 && ok;
    }
    if (!ok) {
        unlink(sp);
        cli_temp_forget(ss);
        cli_error(cmd, "cannot write the gnuplot script: %s", strerror(errno));
        return 0;
    }
    int es = cli_temp_make(ep);
    /* gnuplot runs as a child the signal handler can stop (system() would
     * hide it and ignore SIGINT) */
    fflush(NULL);
    sigset_t all, old;
    sigfillset(&all);
    cli_temps_lock(); /* a signal's clean-up sees the child or none */
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        /* the parent's clean-up (handlers, blocked signals) is not the child's */
        if (!cli_signals_child_reset())
            sigprocmask(SIG_SETMASK, &old, NULL);
        int efd = open(es >= 0 ? ep : "/dev/null", O_WRONLY);
        if (efd >= 0) {
            dup2(efd, STDERR_FILENO);
            dup2(efd, STDOUT_FILENO);
        }
        execlp("gnuplot", "gnuplot", sp, (char *)NULL);
        _exit(127);
    }
    int rc = -1;
    if (pid > 0)
        cli_child_running((long)pid);
    sigprocmask(SIG_SETMASK, &old, NULL);
    cli_temps_unlock();
    if (pid > 0) {
        while (waitpid(pid, &rc, 0) < 0 && errno == EINTR)
            ;
        /* gnuplot stopped by a signal's clean-up: no "gnuplot failed" */
        cli_signals_await_end();
        cli_child_running(0);
    }
    unlink(sp);
    cli_temp_forget(ss);
    ok = pid > 0 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
    if (!ok) {
        char msg[512] = "";
        FILE *ef = es >= 0 ? fopen(ep, "r") : NULL;
        if (ef) {
            /* the last non-empty line is gnuplot's error */
            char buf[512];
            while (fgets(buf, sizeof buf, ef))
                if (buf[0] != '\n')
                    memcpy(msg, buf, sizeof buf);
            fclose(ef);
        }
        msg[strcspn(msg, "\n")] = 0;
        if (pid < 0)
            cli_error(cmd, "cannot start gnuplot: %s", strerror(errno));
        else if (WIFEXITED(rc) && WEXITSTATUS(rc) == 127)
            cli_error(cmd, "gnuplot is not installed (apt-get install gnuplot-nox)");
        else
            cli_error(cmd, "gnuplot failed%s%s", *msg ? ": " : "", msg);
    }
    if (es >= 0) {
        unlink(ep);
        cli_temp_forget(es);
    }
    return ok;
}

/* ---------------------------------------------------------- phases plots */

typedef cli_strbuf sbuf;

static const char *branch_color(const char *name)
{
    if (!strcmp(name, "liquid"))
        return "#1f5fbf";
    if (!strcmp(name, "crystal"))
        return "#c0392b";
    return "#2e8b57";
}

static void row(sbuf *s, double beta, double x, double y, double phi, double w)
{
    if (beta > 0)
        cli_strbuf_printf(s, "%.10g %.10g %.10g %.10g %.10g %.10g %.10g\n", beta, 1 / beta, x, y, phi,
                  w, w - beta * phi);
    else /* beta -> 0: T is infinite, f = w */
        cli_strbuf_printf(s, "0 NaN %.10g %.10g %.10g %.10g %.10g\n", x, y, phi, w, w);
}

static void row_q(sbuf *s, const hl_stationary *q)
{
    row(s, q->beta, q->x, q->y, q->phi, q->w);
}

/* What the data blocks hold, so that the plot commands name only
 * non-empty ones (gnuplot fails or crashes on empty or all-NaN data). */
#define PLOT_MAXB 64
typedef struct {
    int nb;
    unsigned char has[PLOT_MAXB][2]; /* [b][1]: stable run, [b][0]: metastable */
    unsigned char still[PLOT_MAXB];  /* the maximum does not move (x, y const) */
    int ext_branch;                  /* branch continued to beta -> 0, or -1 */
    int nmelt, nfold, narrow;
    int fold_stable[PLOT_MAXB];      /* the fold segment's style              */
    int fold_branch[PLOT_MAXB];
    int all_births;
    int all_folds;                   /* every end a fold (no pitchfork)      */
    double tmax;                     /* largest T of a fold or melting point */
} plot_info;

/* The path of the branch that exists at beta_min back to beta -> 0, where
 * the maximum of f = w - beta phi is the maximum of w, the centre (0, 0).
 * The maxima at 24 betas in (0, beta_min) are followed by nearest point;
 * 0 if the path cannot be followed (then no extension is drawn). */
static int beta0_path(sbuf *s, const hl_model *m, const hl_phases *p, int b)
{
    hl_stationary q;
    if (hl_phases_point(p, b, 0, &q) != HL_OK)
        return 0;
    enum { NX = 24 };
    double px[NX + 2], py[NX + 2], pphi[NX + 2], pw[NX + 2], pb[NX + 2];
    double bmin = hl_phases_beta(p, 0), cx = q.x, cy = q.y;
    int n = 0;
    pb[n] = q.beta, px[n] = q.x, py[n] = q.y, pphi[n] = q.phi, pw[n++] = q.w;
    for (int j = NX - 1; j >= 1; j--) {
        double beta = bmin * j / NX;
        hl_stationary mx[64];
        size_t cnt;
        if (hl_maxima_at(m, beta, mx, 64, &cnt) != HL_OK || cnt == 0)
            return 0;
        if (cnt > 64)
            cnt = 64;
        size_t best = 0;
        for (size_t k = 1; k < cnt; k++)
            if (hypot(mx[k].x - cx, mx[k].y - cy) < hypot(mx[best].x - cx, mx[best].y - cy))
                best = k;
        if (hypot(mx[best].x - cx, mx[best].y - cy) > 0.2)
            return 0;
        cx = mx[best].x;
        cy = mx[best].y;
        pb[n] = beta, px[n] = cx, py[n] = cy, pphi[n] = mx[best].phi, pw[n++] = mx[best].w;
    }
    if (hypot(cx, cy) > 0.2)
        return 0;
    pb[n] = 0, px[n] = 0, py[n] = 0, pphi[n] = hl_model_phi(m, 0, 0),
    pw[n++] = hl_entropy_w(0, 0);
    cli_strbuf_printf(s, "$X << EOD\n");
    for (int k = 0; k < n; k++)
        row(s, pb[k], px[k], py[k], pphi[k], pw[k]);
    cli_strbuf_printf(s, "EOD\n");
    return 1;
}

/* datablock $B<b><S|M>: rows beta T x y phi w f; runs separated by blank
 * lines; the boundary point is repeated so the curves join.  $X: the
 * branch at beta_min continued to beta -> 0; $F<k>: the last grid point of
 * a branch and its fold, so the curve reaches the fold. */
static void data_blocks(sbuf *s, const hl_model *m, const hl_phases *p, plot_info *in)
{
    int nb = hl_phases_branch_count(p), nbeta = hl_phases_beta_count(p);
    if (nb > PLOT_MAXB)
        nb = PLOT_MAXB;
    memset(in, 0, sizeof *in);
    in->nb = nb;
    for (int b = 0; b < nb; b++) {
        double x0 = NAN, y0 = NAN, ext = 0;
        for (int i = 0; i < nbeta; i++) {
            hl_stationary q;
            if (hl_phases_point(p, b, i, &q) != HL_OK)
                continue;
            if (isnan(x0))
                x0 = q.x, y0 = q.y;
            ext = fmax(ext, hypot(q.x - x0, q.y - y0));
        }
        in->still[b] = ext < 1e-9;
    }
    for (int b = 0; b < nb; b++)
        for (int want = 1; want >= 0; want--) {
            sbuf blk = {0};
            int prev_in = 0, wrote = 0;
            hl_stationary last = {0};
            int have_last = 0;
            for (int i = 0; i < nbeta; i++) {
                hl_stationary q;
                if (hl_phases_point(p, b, i, &q) != HL_OK) {
                    if (prev_in)
                        cli_strbuf_printf(&blk, "\n");
                    prev_in = 0;
                    have_last = 0;
                    continue;
                }
                int on = q.stable == want;
                if (on && !prev_in && have_last)
                    row_q(&blk, &last);
                if (on) {
                    row_q(&blk, &q);
                    wrote = 1;
                } else if (prev_in) {
                    row_q(&blk, &q);
                    cli_strbuf_printf(&blk, "\n");
                }
                prev_in = on;
                last = q;
                have_last = 1;
            }
            in->has[b][want] = (unsigned char)wrote;
            if (wrote && blk.buf)
                cli_strbuf_printf(s, "$B%d%c << EOD\n%sEOD\n", b, want ? 'S' : 'M', blk.buf);
            free(blk.buf);
        }
    in->ext_branch = beta0_path(s, m, p, 0) ? 0 : -1;
    /* melting points: beta T xa ya phia wa xb yb phib wb name_a name_b; the 'm' labels
     * sit towards the centre of the square */
    in->nmelt = hl_phases_melting_count(p);
    if (in->nmelt) {
        cli_strbuf_printf(s, "$MELT << EOD\n");
        for (int k = 0; k < in->nmelt; k++) {
            hl_melting ml;
            hl_phases_melting(p, k, &ml);
            cli_strbuf_printf(s, "%.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g %s %s\n",
                      ml.beta, 1 / ml.beta, ml.a.x, ml.a.y, ml.a.phi, ml.a.w, ml.b.x, ml.b.y,
                      ml.b.phi, ml.b.w, hl_phases_branch_name(p, ml.branch_a),
                      hl_phases_branch_name(p, ml.branch_b));
            if (1 / ml.beta > in->tmax)
                in->tmax = 1 / ml.beta;

        }
        cli_strbuf_printf(s, "EOD\n$MLAB << EOD\n");
        for (int k = 0; k < in->nmelt; k++) {
            hl_melting ml;
            hl_phases_melting(p, k, &ml);
            const hl_stationary *pt[2] = {&ml.a, &ml.b};
            for (int j = 0; j < 2; j++) {
                double r = hypot(pt[j]->x, pt[j]->y), ux = 0.7071, uy = 0.7071;
                if (r > 1e-3) {
                    ux = -pt[j]->x / r;
                    uy = -pt[j]->y / r;
                }
                cli_strbuf_printf(s, "%.8g %.8g\n", pt[j]->x + 0.09 * ux, pt[j]->y + 0.09 * uy);
            }
        }
        cli_strbuf_printf(s, "EOD\n");
    }
    /* one arrow per branch, at the middle of its path, pointing towards
     * larger beta (falling T) */
    sbuf arr = {0};
    for (int b = 0; b < nb; b++) {
        double len = 0, half, acc = 0;
        hl_stationary q0, q1;
        int have = 0;
        for (int i = 0; i < nbeta; i++)
            if (hl_phases_point(p, b, i, &q1) == HL_OK) {
                if (have)
                    len += hypot(q1.x - q0.x, q1.y - q0.y);
                q0 = q1;
                have = 1;
            }
        half = 0.45 * len;
        have = 0;
        for (int i = 0; i < nbeta; i++) {
            if (hl_phases_point(p, b, i, &q1) != HL_OK)
                continue;
            if (have) {
                double seg = hypot(q1.x - q0.x, q1.y - q0.y);
                acc += seg;
                if (acc >= half && seg > 0) {
                    double ux = (q1.x - q0.x) / seg, uy = (q1.y - q0.y) / seg;
                    cli_strbuf_printf(&arr, "%.8g %.8g %.8g %.8g\n", q1.x - 0.03 * ux,
                              q1.y - 0.03 * uy, 0.06 * ux, 0.06 * uy);
                    in->narrow++;
                    break;
                }
            }
            q0 = q1;
            have = 1;
        }
    }
    if (in->narrow)
        cli_strbuf_printf(s, "$ARROW << EOD\n%sEOD\n", arr.buf);
    free(arr.buf);
    /* folds: beta T x y phi w f, and the segment from the branch's nearest
     * grid point to the fold */
    int nf = hl_phases_fold_count(p);
    if (nf > PLOT_MAXB)
        nf = PLOT_MAXB;
    in->all_births = 1;
    in->all_folds = 1;
    if (nf) {
        cli_strbuf_printf(s, "$FOLD << EOD\n");
        for (int k = 0; k < nf; k++) {
            hl_fold f;
            hl_phases_fold(p, k, &f);
            row(s, f.beta, f.x, f.y, hl_model_phi(m, f.x, f.y), hl_entropy_w(f.x, f.y));
            if (1 / f.beta > in->tmax)
                in->tmax = 1 / f.beta;
            in->all_births &= f.birth;
            in->all_folds &= f.bifurcation == HL_BEND_FOLD;
        }
        cli_strbuf_printf(s, "EOD\n");
    }
    for (int k = 0; k < nf; k++) {
        hl_fold f;
        hl_phases_fold(p, k, &f);
        in->fold_branch[k] = -1;
        if (f.branch < 0 || f.branch >= nb)
            continue;
        /* the grid point of the branch next to the fold on its side */
        int near = -1;
        if (f.birth) {
            for (int i = 0; i < nbeta && near < 0; i++)
                if (hl_phases_beta(p, i) >= f.beta && hl_phases_point(p, f.branch, i, &(hl_stationary){0}) == HL_OK)
                    near = i;
        } else {
            for (int i = nbeta - 1; i >= 0 && near < 0; i--)
                if (hl_phases_beta(p, i) <= f.beta && hl_phases_point(p, f.branch, i, &(hl_stationary){0}) == HL_OK)
                    near = i;
        }
        hl_stationary q;
        if (near < 0 || hl_phases_point(p, f.branch, near, &q) != HL_OK)
            continue;
        cli_strbuf_printf(s, "$F%d << EOD\n", k);
        row_q(s, &q);
        row(s, f.beta, f.x, f.y, hl_model_phi(m, f.x, f.y), hl_entropy_w(f.x, f.y));
        cli_strbuf_printf(s, "EOD\n");
        in->fold_branch[k] = f.branch;
        in->fold_stable[k] = q.stable;
    }
    in->nfold = nf;
}

/* plot clause for all branches: columns xc, yc (gnuplot using spec);
 * with_ext: also the path to beta -> 0.  Returns the number of clauses. */
static int branch_curves(sbuf *s, const hl_phases *p, const plot_info *in, const char *using,
                         int with_ext)
{
    int n = 0;
    for (int b = 0; b < in->nb; b++) {
        const char *name = hl_phases_branch_name(p, b);
        const char *col = branch_color(name);
        /* in the (x, y) and (phi, w) planes a maximum that does not move
         * is a point */
        const char *with = with_ext && in->still[b] ? "points pt 7 ps 2" : "lines lw 2.5";
        const char *note = with_ext && in->still[b] ? ", does not move" : "";
        if (in->has[b][1])
            cli_strbuf_printf(s, "%s$B%dS using %s with %s lc rgb '%s' dt 1 title '%s (stable%s)'",
                      n++ ? ", " : "", b, using, with, col, name, note);
        if (in->has[b][0])
            cli_strbuf_printf(s, "%s$B%dM using %s with %s lc rgb '%s' dt (7,5) title '%s (metastable%s)'",
                      n++ ? ", " : "", b, using, with, col, name, note);
        if (with_ext && in->ext_branch == b)
            cli_strbuf_printf(s, "%s$X using %s with lines lw 2.5 lc rgb '%s' dt 1 notitle",
                      n++ ? ", " : "", using, col);
    }
    for (int k = 0; k < in->nfold; k++)
        if (in->fold_branch[k] >= 0)
            cli_strbuf_printf(s, "%s$F%d using %s with lines lw 2.5 lc rgb '%s' dt %s notitle",
                      n++ ? ", " : "", k, using,
                      branch_color(hl_phases_branch_name(p, in->fold_branch[k])),
                      in->fold_stable[k] ? "1" : "(7,5)");
    return n;
}

/* A second title line when a part of the figures is absent ("" if none). */
static const char *absent_note(const hl_phases *p, const plot_info *in)
{
    if (in->nmelt)
        return "";
    return in->nb < 2 ? "\\n{/*0.85 one branch of maxima only: no fold, no melting point}"
           : hl_phases_unresolved_count(p)
               ? "\\n{/*0.85 no melting point resolved (see the text results)}"
               : "\\n{/*0.85 no melting point in this range of {/Symbol b}}";
}

static const char *phase_figures[4] = {"fig1_paths.png", "fig2_phi_vs_T.png",
                                       "fig3_w_vs_T.png", "fig4_w_vs_phi.png"};

int cli_plot_phases_declare(const char *cmd, const char *opt, const char *dir)
{
    char out[4096];
    for (int i = 0; i < 4; i++) {
        snprintf(out, sizeof out, "%s/%s", dir, phase_figures[i]);
        if (!cli_output_declare(cmd, opt, out, 1))
            return 0;
    }
    return 1;
}

int cli_plot_phases(const char *cmd, const hl_model *m, const hl_phases *p, const char *dir)
{
    const char *const *names = phase_figures;
    char out[4][4096];
    const char *outs[4], *tmps[4];
    for (int i = 0; i < 4; i++) {
        snprintf(out[i], sizeof out[i], "%s/%s", dir, names[i]);
        outs[i] = out[i];
        tmps[i] = cli_output_temp(cmd, out[i]);
        if (!tmps[i])
            return 0;
    }
    sbuf s = {0};
    plot_info in;
    data_blocks(&s, m, p, &in);
    /* the T axis of Figures 2-3: up to T = 4 (the paper's range), further
     * when a fold or melting point lies beyond, never past 1/beta_min */
    double tmax = fmax(4.0, 1.15 * in.tmax), tcap = 1 / hl_phases_beta(p, 0);
    if (tmax > tcap)
        tmax = tcap;
    const char *fold_title = !in.all_folds    ? "branch end (fold, pitchfork, branch point)"
                             : in.all_births ? "branch appears (fold)"
                                             : "fold: a branch appears or ends";
    cli_strbuf_printf(&s, "set terminal pngcairo size 1000,700 font 'sans,12' enhanced\n"
                  "set grid lc rgb '#dddddd'\nset key box opaque\n");
    /* Figure 1: the square drawn behind the paths, with room around it */
    cli_strbuf_printf(&s, "set output '%s'\n"
                  "set title \"Figure 1: maxima of w - {/Symbol b}{/Symbol f} in the (x, y) square as T falls%s\"\n"
                  "set xlabel 'x (eq 4.6)'\nset ylabel 'y (eq 4.6)'\n"
                  "set size ratio -1\nset xrange [-1.12:1.12]\nset yrange [-1.12:1.12]\n"
                  "set object 1 polygon from 1,0 to 0,1 to -1,0 to 0,-1 to 1,0 behind fs empty border lc rgb '#9a9a9a' lw 1\n"
                  "set label 1 'perfect crystal (-1, 0)' at -1.0,-0.09 left font ',10'\n"
                  "set label 2 'amorphous vertex (0, -1)' at 0.06,-1.0 left font ',10'\n"
                  "set label 3 'T = {/Symbol \\245}: the centre (0, 0)' at 0.04,0.05 left font ',10'\n"
                  "set key %s font ',10' spacing 1.1\n",
              tmps[0], absent_note(p, &in), "outside right top");
    if (in.narrow)
        cli_strbuf_printf(&s, "set label 4 'arrows: direction of falling T' at graph 0.03,0.04 left font ',10'\n");
    cli_strbuf_printf(&s, "plot ");
    int nc = branch_curves(&s, p, &in, "3:4", 1);
    if (in.nfold)
        cli_strbuf_printf(&s, "%s$FOLD using 3:4 with points pt 2 ps 1.8 lw 2 lc rgb '#555555' title '%s'",
                  nc++ ? ", " : "", fold_title);
    if (in.nmelt)
        cli_strbuf_printf(&s, "%s$MELT using 3:4 with points pt 6 ps 2.2 lw 2 lc rgb 'black' title 'melting point (m)', "
                      "$MELT using 7:8 with points pt 6 ps 2.2 lw 2 lc rgb 'black' notitle, "
                      "$MLAB using 1:2:('m') with labels font ',12' notitle",
                  nc++ ? ", " : "");
    if (in.narrow)
        cli_strbuf_printf(&s, "%s$ARROW using 1:2:3:4 with vectors head filled size screen 0.018,25 lw 2 lc rgb 'black' notitle",
                  nc++ ? ", " : "");
    cli_strbuf_printf(&s, "%s'+' using (0):(0) every ::0::0 with points pt 7 ps 1.2 lc rgb 'black' notitle\n",
              nc++ ? ", " : "");
    cli_strbuf_printf(&s, "unset object 1\nunset label\nset size noratio\n");
    /* Figures 2 and 3 */
    static const char *fig23[2][4] = {
        {"Figure 2: packing energy per dimension {/Symbol f} vs T* = 1/{/Symbol b}",
         "{/Symbol f} (eq 4.11)", "*", "5"},
        {"Figure 3: combinatorial entropy per dimension w vs T* = 1/{/Symbol b}", "w (eq 4.10)",
         "0", "6"}};
    for (int f = 0; f < 2; f++) {
        char using[16];
        snprintf(using, sizeof using, "2:%s", fig23[f][3]);
        cli_strbuf_printf(&s, "set output '%s'\nset title \"%s%s\"\n"
                      "set xlabel 'T* = 1/{/Symbol b}'\nset ylabel '%s'\n"
                      "set xrange [0:%g]\nset yrange [%s:*]\nset key default\n"
                      "set key box opaque %s font ',11'\n",
                  tmps[1 + f], fig23[f][0], absent_note(p, &in), fig23[f][1], tmax, fig23[f][2],
                  in.nb > 3 ? "outside right top" : "bottom right");
        cli_strbuf_printf(&s, "plot ");
        nc = branch_curves(&s, p, &in, using, 0);
        if (in.nfold)
            cli_strbuf_printf(&s, "%s$FOLD using 2:%s with points pt 2 ps 1.8 lw 2 lc rgb '#555555' title '%s'",
                      nc++ ? ", " : "", fig23[f][3], fold_title);
        if (in.nmelt)
            cli_strbuf_printf(&s, "%s$MELT using 2:%d with points pt 6 ps 2 lw 2 lc rgb 'black' title 'melting T_m', "
                          "$MELT using 2:%d with points pt 6 ps 2 lw 2 lc rgb 'black' notitle",
                      nc++ ? ", " : "", f ? 6 : 5, f ? 10 : 9);
        cli_strbuf_printf(&s, "%s\nunset label\n", nc ? "" : "NaN notitle");
    }
    /* Figure 4 */
    cli_strbuf_printf(&s, "set output '%s'\n"
                  "set title \"Figure 4: w vs {/Symbol f} along the branches; dots: coexisting states at melting%s\"\n"
                  "set xlabel '{/Symbol f} (eq 4.11)'\nset ylabel 'w (eq 4.10)'\n"
                  "set xrange [*:*]\nset yrange [0:*]\nset key default\nset key box opaque %s font ',11'\n",
              tmps[3], absent_note(p, &in), in.nb > 3 ? "outside right top" : "top left");
    cli_strbuf_printf(&s, "plot ");
    nc = branch_curves(&s, p, &in, "5:6", 1);
    if (in.nfold)
        cli_strbuf_printf(&s, "%s$FOLD using 5:6 with points pt 2 ps 1.8 lw 2 lc rgb '#555555' title '%s'",
                  nc++ ? ", " : "", fold_title);
    if (in.nmelt)
        cli_strbuf_printf(&s, "%s$MELT using 5:6 with points pt 7 ps 1.5 lc rgb 'black' "
                      "title 'coexisting states at T_m', "
                      "$MELT using 9:10 with points pt 7 ps 1.5 lc rgb 'black' notitle, "
                      "$MELT using 5:6:(sprintf('%%s at T_m = %%.4g', stringcolumn(11), $2)) "
                      "with labels left offset 1.2,-0.6 font ',10' notitle, "
                      "$MELT using 9:10:(stringcolumn(12).' at T_m') with labels left "
                      "offset 1.2,-0.6 font ',10' notitle",
                  nc++ ? ", " : "");
    cli_strbuf_printf(&s, "%s\nunset label\nunset output\n", nc ? "" : "NaN notitle");
    int ok = s.buf && cli_gnuplot(cmd, s.buf, outs, tmps, 4);
    free(s.buf);
    return ok;
}
