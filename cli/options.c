/* options.c -- shared CLI helpers: strict parsing, errors, atomic files,
 * progress. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "hyperland %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_lib_error(const char *cmd, int status)
{
    const char *m = hl_errmsg();
    cli_error(cmd, "%s", (m && *m) ? m : hl_strerror(status));
    return EXIT_FAIL;
}

int cli_parse_double(const char *cmd, const char *opt, const char *s, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(x)) {
        cli_error(cmd, "%s '%s' is not a finite number", opt, s);
        return 0;
    }
    *v = x;
    return 1;
}

int cli_parse_long(const char *cmd, const char *opt, const char *s, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE) {
        cli_error(cmd, "%s '%s' is not an integer", opt, s);
        return 0;
    }
    *v = x;
    return 1;
}

int cli_parse_rtol(const char *cmd, const char *s, double *v)
{
    if (!cli_parse_double(cmd, "--rtol", s, v))
        return 0;
    if (!(*v >= 1e-14 && *v <= 1e-2)) {
        cli_error(cmd, "--rtol %g is not in [1e-14, 1e-2]", *v);
        return 0;
    }
    return 1;
}

int cli_parse_beta(const char *cmd, const char *opt, const char *s, double *v)
{
    if (!cli_parse_double(cmd, opt, s, v))
        return 0;
    if (!(*v > 0) || *v > 1e6) {
        cli_error(cmd, "%s %s is out of range: beta must be in (0, 1e6]", opt, s);
        return 0;
    }
    return 1;
}

void cli_progress(const char *what, double fraction)
{
    if (!isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\r%s: %3.0f%%", what, 100 * fraction);
    fflush(stderr);
}

void cli_progress_done(void)
{
    if (!isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\r\033[K");
    fflush(stderr);
}

int cli_write_atomic(const char *cmd, const char *path,
                     int (*writer)(FILE *fp, void *ctx), void *ctx)
{
    hl_atomic_file *f;
    int st = hl_atomic_open(path, &f);
    if (st)
        return cli_lib_error(cmd, st), 0;
    if (writer(hl_atomic_stream(f), ctx) != 0) {
        hl_atomic_abort(f);
        cli_error(cmd, "writing '%s' failed", path);
        return 0;
    }
    st = hl_atomic_commit(f);
    if (st)
        return cli_lib_error(cmd, st), 0;
    return 1;
}

int cli_make_dir(const char *cmd, const char *dir)
{
    char buf[4096];
    if (strlen(dir) >= sizeof buf) {
        cli_error(cmd, "directory name too long");
        return 0;
    }
    strcpy(buf, dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            cli_error(cmd, "cannot create directory '%s': %s", buf, strerror(errno));
            return 0;
        }
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
        cli_error(cmd, "cannot create directory '%s': %s", buf, strerror(errno));
        return 0;
    }
    struct stat sb;
    if (stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode) || access(buf, W_OK) != 0) {
        cli_error(cmd, "'%s' is not a writable directory", buf);
        return 0;
    }
    return 1;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    if (c == ':')
        cli_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    else
        cli_error(cmd, "unknown option '%s' (see --help)", argv[optind - 1]);
    return EXIT_USAGE;
}

int cli_no_extra_args(const char *cmd, int argc, char **argv)
{
    if (optind < argc) {
        cli_error(cmd, "unexpected argument '%s' (see --help)", argv[optind]);
        return 0;
    }
    return 1;
}

hl_model *cli_model(const char *cmd, const char *phi, const char *transmission)
{
    hl_model *m = NULL;
    int st = hl_model_create(phi, &m);
    if (!st && transmission)
        st = hl_model_set_transmission(m, transmission);
    if (st) {
        cli_lib_error(cmd, st);
        hl_model_free(m);
        return NULL;
    }
    return m;
}
