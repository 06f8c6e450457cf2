/* plot.c -- figures with gnuplot (pngcairo).  Data travel inline as
 * gnuplot datablocks; PNGs are written to temporary names and renamed into
 * place only when gnuplot succeeds. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

int cli_gnuplot(const char *cmd, const char *script, const char *const *outputs,
                const char *const *tmp_outputs, int n)
{
    char sp[] = "/tmp/hyperland-plot-XXXXXX";
    int fd = mkstemp(sp);
    if (fd < 0) {
        cli_error(cmd, "cannot create a temporary gnuplot script: %s", strerror(errno));
        return 0;
    }
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        unlink(sp);
        cli_error(cmd, "cannot write the gnuplot script");
        return 0;
    }
    fputs(script, fp);
    fclose(fp);
    char ep[] = "/tmp/hyperland-plot-err-XXXXXX";
    int efd = mkstemp(ep);
    if (efd >= 0)
        close(efd);
    char line[8192];
    snprintf(line, sizeof line, "gnuplot '%s' 2>'%s'", sp, efd >= 0 ? ep : "/dev/null");
    int rc = system(line);
    unlink(sp);
    int ok = rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
    if (!ok) {
        char msg[512] = "";
        FILE *ef = efd >= 0 ? fopen(ep, "r") : NULL;
        if (ef) {
            /* the last non-empty line is gnuplot's error */
            char buf[512];
            while (fgets(buf, sizeof buf, ef))
                if (buf[0] != '\n')
                    memcpy(msg, buf, sizeof buf);
            fclose(ef);
        }
        msg[strcspn(msg, "\n")] = 0;
        if (rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 127)
            cli_error(cmd, "gnuplot is not installed (apt-get install gnuplot-nox)");
        else
            cli_error(cmd, "gnuplot failed%s%s", *msg ? ": " : "", msg);
    }
    if (efd >= 0)
        unlink(ep);
    for (int i = 0; i < n; i++) {
        if (ok && rename(tmp_outputs[i], outputs[i]) != 0) {
            cli_error(cmd, "cannot write '%s': %s", outputs[i], strerror(errno));
            ok = 0;
        }
        unlink(tmp_outputs[i]);
    }
    return ok;
}

/* ---------------------------------------------------------- phases plots */

typedef struct {
    char *buf;
    size_t len, cap;
} sbuf;

static void sb_printf(sbuf *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#include <stdarg.h>
static void sb_printf(sbuf *s, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(s->buf ? s->buf + s->len : NULL,
                          s->buf ? s->cap - s->len : 0, fmt, ap);
        va_end(ap);
        if (k < 0)
            return;
        if (s->buf && s->len + (size_t)k < s->cap) {
            s->len += (size_t)k;
            return;
        }
        size_t nc = s->cap ? s->cap * 2 : 65536;
        while (nc < s->len + (size_t)k + 1)
            nc *= 2;
        char *nb = realloc(s->buf, nc);
        if (!nb)
            return;
        s->buf = nb;
        s->cap = nc;
    }
}

static const char *branch_color(const char *name)
{
    if (!strcmp(name, "liquid"))
        return "#1f5fbf";
    if (!strcmp(name, "crystal"))
        return "#c0392b";
    return "#2e8b57";
}

/* datablock $B<b><S|M>: rows beta T x y phi w f; runs separated by blank
 * lines; the boundary point is repeated so the curves join. */
static void data_blocks(sbuf *s, const hl_phases *p)
{
    int nb = hl_phases_branch_count(p), nbeta = hl_phases_beta_count(p);
    for (int b = 0; b < nb; b++)
        for (int want = 1; want >= 0; want--) {
            sb_printf(s, "$B%d%c << EOD\n", b, want ? 'S' : 'M');
            int prev_in = 0, wrote = 0;
            hl_stationary last = {0};
            int have_last = 0;
            for (int i = 0; i < nbeta; i++) {
                hl_stationary q;
                if (hl_phases_point(p, b, i, &q) != HL_OK) {
                    if (prev_in)
                        sb_printf(s, "\n");
                    prev_in = 0;
                    have_last = 0;
                    continue;
                }
                int in = q.stable == want;
                if (in && !prev_in && have_last) {
                    sb_printf(s, "%.10g %.10g %.10g %.10g %.10g %.10g %.10g\n", last.beta,
                              1 / last.beta, last.x, last.y, last.phi, last.w, last.f);
                }
                if (in) {
                    sb_printf(s, "%.10g %.10g %.10g %.10g %.10g %.10g %.10g\n", q.beta,
                              1 / q.beta, q.x, q.y, q.phi, q.w, q.f);
                    wrote = 1;
                } else if (prev_in) {
                    sb_printf(s, "%.10g %.10g %.10g %.10g %.10g %.10g %.10g\n\n", q.beta,
                              1 / q.beta, q.x, q.y, q.phi, q.w, q.f);
                }
                prev_in = in;
                last = q;
                have_last = 1;
            }
            if (!wrote)
                sb_printf(s, "NaN NaN NaN NaN NaN NaN NaN\n");
            sb_printf(s, "EOD\n");
        }
    /* melting points: beta T xa ya phia wa xb yb phib wb */
    sb_printf(s, "$MELT << EOD\n");
    for (int k = 0; k < hl_phases_melting_count(p); k++) {
        hl_melting m;
        hl_phases_melting(p, k, &m);
        sb_printf(s, "%.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g\n",
                  m.beta, 1 / m.beta, m.a.x, m.a.y, m.a.phi, m.a.w, m.b.x, m.b.y,
                  m.b.phi, m.b.w);
    }
    if (!hl_phases_melting_count(p))
        sb_printf(s, "NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN\n");
    sb_printf(s, "EOD\n");
    /* one arrow per branch, at the middle of its path, pointing towards
     * larger beta (falling T) */
    sb_printf(s, "$ARROW << EOD\n");
    int narrow = 0;
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
                    sb_printf(s, "%.8g %.8g %.8g %.8g\n", q1.x - 0.03 * ux, q1.y - 0.03 * uy, 0.06 * ux, 0.06 * uy);
                    narrow++;
                    break;
                }
            }
            q0 = q1;
            have = 1;
        }
    }
    if (!narrow)
        sb_printf(s, "NaN NaN NaN NaN\n");
    sb_printf(s, "EOD\n");
    sb_printf(s, "$FOLD << EOD\n");
    for (int k = 0; k < hl_phases_fold_count(p); k++) {
        hl_fold f;
        hl_phases_fold(p, k, &f);
        sb_printf(s, "%.10g %.10g %.10g %.10g\n", f.beta, 1 / f.beta, f.x, f.y);
    }
    if (!hl_phases_fold_count(p))
        sb_printf(s, "NaN NaN NaN NaN\n");
    sb_printf(s, "EOD\n");
}

/* plot clause for all branches: columns xc, yc (gnuplot using spec) */
static void branch_curves(sbuf *s, const hl_phases *p, const char *using)
{
    int nb = hl_phases_branch_count(p);
    for (int b = 0; b < nb; b++) {
        const char *name = hl_phases_branch_name(p, b);
        const char *col = branch_color(name);
        sb_printf(s, "%s$B%dS using %s with lines lw 2.5 lc rgb '%s' dt 1 title '%s (stable)', "
                     "$B%dM using %s with lines lw 2.5 lc rgb '%s' dt (7,5) title '%s (metastable)'",
                  b ? ", " : "", b, using, col, name, b, using, col, name);
    }
}

int cli_plot_phases(const char *cmd, const hl_phases *p, const char *dir)
{
    static const char *names[4] = {"fig1_paths.png", "fig2_phi_vs_T.png",
                                   "fig3_w_vs_T.png", "fig4_w_vs_phi.png"};
    char out[4][4096], tmp[4][4096];
    const char *outs[4], *tmps[4];
    for (int i = 0; i < 4; i++) {
        snprintf(out[i], sizeof out[i], "%s/%s", dir, names[i]);
        snprintf(tmp[i], sizeof tmp[i], "%s/.%s.tmp.png", dir, names[i]);
        outs[i] = out[i];
        tmps[i] = tmp[i];
    }
    sbuf s = {0};
    data_blocks(&s, p);
    double tmax = 4.0;
    sb_printf(&s, "set terminal pngcairo size 900,700 font 'sans,12' enhanced\n"
                  "set grid lc rgb '#dddddd'\nset key box opaque\n");
    /* Figure 1 */
    sb_printf(&s, "set output '%s'\n"
                  "set title 'Figure 1: maxima of w - {/Symbol b}{/Symbol f} in the (x, y) square as T falls'\n"
                  "set xlabel 'x (eq 4.6)'\nset ylabel 'y (eq 4.6)'\n"
                  "set size ratio -1\nset xrange [-1.1:1.1]\nset yrange [-1.1:1.1]\n"
                  "set key at graph 0.995,0.995 font ',10' spacing 0.9\n"
                  "set object 1 polygon from 1,0 to 0,1 to -1,0 to 0,-1 to 1,0 fs empty border lc rgb 'black' lw 1.5\n"
                  "set label 1 'perfect crystal (-1, 0)' at -1.0,-0.09 left font ',10'\n"
                  "set label 2 'amorphous vertex (0, -1)' at 0.06,-1.0 left font ',10'\n"
                  "set label 3 'T = {/Symbol \\245} (0, 0)' at 0.04,0.05 left font ',10'\n"
                  "set label 4 'arrows: direction of falling T' at graph 0.03,0.04 left font ',10'\n",
              tmps[0]);
    sb_printf(&s, "plot ");
    branch_curves(&s, p, "3:4");
    sb_printf(&s, ", $MELT using 3:4 with points pt 6 ps 2.2 lw 2 lc rgb 'black' title 'melting point (m)', "
                  "$MELT using 7:8 with points pt 6 ps 2.2 lw 2 lc rgb 'black' notitle, "
                  "$MELT using 3:4:('m') with labels offset 1.4,0.9 notitle, "
                  "$MELT using 7:8:('m') with labels offset 1.4,0.9 notitle, "
                  "$FOLD using 3:4 with points pt 2 ps 1.8 lw 2 lc rgb '#555555' title 'branch appears (fold)', "
                  "$ARROW using 1:2:3:4 with vectors head filled size screen 0.018,25 lw 2 lc rgb 'black' notitle, "
                  "'+' using (0):(0) every ::0::0 with points pt 7 ps 1.2 lc rgb 'black' notitle\n");
    sb_printf(&s, "unset object 1\nunset label 1\nunset label 2\nunset label 3\nunset label 4\nset size noratio\n");
    /* Figure 2 */
    sb_printf(&s, "set output '%s'\n"
                  "set title 'Figure 2: packing energy per dimension {/Symbol f} vs T* = 1/{/Symbol b}'\n"
                  "set xlabel 'T* = 1/{/Symbol b}'\nset ylabel '{/Symbol f} (eq 4.11)'\n"
                  "set xrange [0:%g]\nset yrange [*:*]\nset key default\nset key box opaque bottom right font ',11'\n"
                  "plot ",
              tmps[1], tmax);
    branch_curves(&s, p, "2:5");
    sb_printf(&s, ", $MELT using 2:5 with points pt 6 ps 2 lw 2 lc rgb 'black' title 'melting T_m', "
                  "$MELT using 2:9 with points pt 6 ps 2 lw 2 lc rgb 'black' notitle\n");
    /* Figure 3 */
    sb_printf(&s, "set output '%s'\n"
                  "set title 'Figure 3: combinatorial entropy per dimension w vs T* = 1/{/Symbol b}'\n"
                  "set xlabel 'T* = 1/{/Symbol b}'\nset ylabel 'w (eq 4.10)'\n"
                  "set xrange [0:%g]\nset yrange [0:*]\nset key default\nset key box opaque bottom right font ',11'\n"
                  "plot ",
              tmps[2], tmax);
    branch_curves(&s, p, "2:6");
    sb_printf(&s, ", $MELT using 2:6 with points pt 6 ps 2 lw 2 lc rgb 'black' title 'melting T_m', "
                  "$MELT using 2:10 with points pt 6 ps 2 lw 2 lc rgb 'black' notitle\n");
    /* Figure 4 */
    sb_printf(&s, "set output '%s'\n"
                  "set title 'Figure 4: w vs {/Symbol f} along the branches; arrows: coexisting states at melting'\n"
                  "set xlabel '{/Symbol f} (eq 4.11)'\nset ylabel 'w (eq 4.10)'\n"
                  "set xrange [*:*]\nset yrange [0:*]\nset key default\nset key box opaque top left font ',11'\n"
                  "plot ",
              tmps[3]);
    branch_curves(&s, p, "5:6");
    sb_printf(&s, ", $MELT using 5:($6+0.08):(0):(-0.07) with vectors head filled lw 2 lc rgb 'black' title 'coexisting at melting', "
                  "$MELT using 9:($10+0.08):(0):(-0.07) with vectors head filled lw 2 lc rgb 'black' notitle, "
                  "$MELT using 5:6 with points pt 6 ps 1.6 lw 2 lc rgb 'black' notitle, "
                  "$MELT using 9:10 with points pt 6 ps 1.6 lw 2 lc rgb 'black' notitle\n");
    sb_printf(&s, "unset output\n");
    int ok = s.buf && cli_gnuplot(cmd, s.buf, outs, tmps, 4);
    free(s.buf);
    return ok;
}
