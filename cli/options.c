/* SPDX-License-Identifier: GPL-3.0-or-later */
/* options.c -- shared CLI helpers: strict parsing, errors, directories,
 * progress. */
#include <errno.h>
#include <getopt.h>
#include <float.h>
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

#define CLI_RING 32

const char *cli_clip(const char *s)
{
    static char ring[CLI_RING][HL_CLIP_BUF];
    static int next;
    char *b = ring[next];
    next = (next + 1) % CLI_RING;
    return hl_clip(s ? s : "", b);
}

const char *cli_numx(const char *fmt, double v, const char *other)
{
    static char ring[CLI_RING][128];
    static int next;
    char *b = ring[next];
    next = (next + 1) % CLI_RING;
    return hl_format_number(b, sizeof ring[0], fmt, v, other);
}

const char *cli_num(const char *fmt, double v) { return cli_numx(fmt, v, "n/a"); }

const char *cli_heat_capacity_null_reason(double ln_c)
{
    return isfinite(ln_c) ? "c is below the double range (2.2e-308): ln_heat_capacity holds it"
                          : "singular Hessian (a fold)";
}

void cli_csv_text(FILE *fp, const char *prefix, const char *s)
{
    fputs(prefix, fp);
    if (!s[strcspn(s, ",\"\r\n")] && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

double cli_w_shown(double w, double ln_w) { return w < DBL_MIN && isfinite(ln_w) ? NAN : w; }

void cli_json_w(FILE *fp, double w, double ln_w)
{
    fprintf(fp, ", \"w\": ");
    hl_json_number(fp, cli_w_shown(w, ln_w));
    fprintf(fp, ", \"ln_w\": ");
    hl_json_number(fp, ln_w);
    if (isnan(cli_w_shown(w, ln_w)))
        fprintf(fp, ", \"w_null_reason\": \"w is below the double range (2.2e-308): ln_w "
                    "holds it\"");
}

void cli_json_probability(FILE *fp, const char *key, double p, double ln_p)
{
    fprintf(fp, ", \"%s\": ", key);
    hl_json_number(fp, cli_w_shown(p, ln_p));
    fprintf(fp, ", \"ln_%s\": ", key);
    hl_json_number(fp, ln_p);
    if (isnan(cli_w_shown(p, ln_p)))
        fprintf(fp, ", \"%s_null_reason\": \"below the double range (2.2e-308): ln_%s holds it\"",
                key, key);
}

const char *cli_p_text(double p, double ln_p)
{
    if (!isnan(cli_w_shown(p, ln_p)))
        return cli_num("%.12g", p);
    static char ring[4][40];
    static int next;
    char *b = ring[next];
    next = (next + 1) % 4;
    snprintf(b, sizeof ring[0], "e^%.7g", ln_p);
    return b;
}

/* The one list splitter: every comma-separated field non-empty, at most
 * cap; each field to parse(token, index) (0 after its message). */
static int split_list(const char *cmd, const char *opt, const char *s, size_t cap, size_t *n,
                      int (*parse)(const char *cmd, const char *opt, const char *tok, void *out,
                                   size_t i),
                      void *out)
{
    *n = 0;
    const char *p = s;
    for (;;) {
        size_t len = strcspn(p, ",");
        char tok[128];
        if (len == 0 || strspn(p, " \t") >= len) {
            cli_error(cmd, "%s '%s': field %zu is empty (two commas, or a comma at an end)",
                      opt, cli_clip(s), *n + 1);
            return 0;
        }
        if (*n >= cap) {
            cli_error(cmd, "%s: at most %zu values", opt, cap);
            return 0;
        }
        if (len >= sizeof tok) {
            cli_error(cmd, "%s: field %zu ('%s') is too long to be a number", opt, *n + 1,
                      cli_clip(p));
            return 0;
        }
        memcpy(tok, p, len);
        tok[len] = 0;
        if (!parse(cmd, opt, tok, out, *n))
            return 0;
        (*n)++;
        if (!p[len])
            break;
        p += len + 1;
    }
    return 1;
}

static int parse_double_at(const char *cmd, const char *opt, const char *tok, void *out,
                           size_t i)
{
    return cli_parse_double(cmd, opt, tok, (double *)out + i);
}

static int parse_long_at(const char *cmd, const char *opt, const char *tok, void *out, size_t i)
{
    return cli_parse_long(cmd, opt, tok, (long *)out + i);
}

static int parse_beta_at(const char *cmd, const char *opt, const char *tok, void *out, size_t i)
{
    return cli_parse_beta(cmd, opt, tok, (double *)out + i);
}

int cli_parse_list_beta(const char *cmd, const char *opt, const char *s, double *v, size_t cap,
                        size_t *n)
{
    return split_list(cmd, opt, s, cap, n, parse_beta_at, v);
}

int cli_parse_list(const char *cmd, const char *opt, const char *s, double *v, size_t cap,
                   size_t *n)
{
    return split_list(cmd, opt, s, cap, n, parse_double_at, v);
}

int cli_parse_list_long(const char *cmd, const char *opt, const char *s, long *v, size_t cap,
                        size_t *n)
{
    return split_list(cmd, opt, s, cap, n, parse_long_at, v);
}

int cli_parse_point(const char *cmd, const char *opt, const char *s, double *x, double *y)
{
    double v[2];
    size_t n = 0;
    if (strchr(s, ',') == NULL || strchr(strchr(s, ',') + 1, ',') != NULL) {
        cli_error(cmd, "%s '%s' is not X,Y (two numbers and one comma)", opt, cli_clip(s));
        return 0;
    }
    if (!cli_parse_list(cmd, opt, s, v, 2, &n))
        return 0;
    *x = v[0];
    *y = v[1];
    return 1;
}

#define CLI_MAX_INPUTS 16
static hl_input_file inputs[CLI_MAX_INPUTS];
static size_t n_inputs;

int cli_input_add(const char *cmd, const char *path)
{
    for (size_t i = 0; i < n_inputs; i++)
        if (!strcmp(inputs[i].path, path))
            return 1;
    if (n_inputs >= CLI_MAX_INPUTS) {
        cli_error(cmd, "more than %d input files", CLI_MAX_INPUTS);
        return 0;
    }
    int st = hl_sha256_file(path, inputs[n_inputs].sha256);
    if (st) {
        cli_lib_error(cmd, st);
        return 0;
    }
    inputs[n_inputs++].path = path;
    return 1;
}

/* The bytes of the inputs opened by cli_input_open, freed at exit (the
 * streams read from them may live until then). */
static char *input_bytes[CLI_MAX_INPUTS];
static size_t n_input_bytes;

static void input_bytes_free(void)
{
    for (size_t i = 0; i < n_input_bytes; i++)
        free(input_bytes[i]);
    n_input_bytes = 0;
}

FILE *cli_input_open(const char *cmd, const char *path)
{
    (void)cmd;
    if (n_inputs >= CLI_MAX_INPUTS || n_input_bytes >= CLI_MAX_INPUTS) {
        errno = EMFILE; /* more input files than the provenance records */
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL; /* errno from fopen */
    /* read every byte once: a pipe or FIFO cannot be read a second time,
     * and the hash must be of the bytes the parser reads */
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            if (cap > (size_t)1 << 30) { /* 1 GiB: not an input file of this program */
                free(buf);
                fclose(fp);
                errno = EFBIG;
                return NULL;
            }
            char *nb = realloc(buf, 2 * cap);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int rerr = ferror(fp), e = errno;
    fclose(fp);
    if (!buf || rerr) {
        free(buf);
        errno = buf ? (e ? e : EIO) : ENOMEM;
        return NULL;
    }
    if (hl_sha256_bytes(buf, n, inputs[n_inputs].sha256)) {
        free(buf);
        errno = ENOMEM;
        return NULL;
    }
    FILE *mf = fmemopen(buf, n, "r");
    if (!mf) {
        free(buf);
        return NULL;
    }
    static int registered;
    if (!registered) {
        atexit(input_bytes_free);
        registered = 1;
    }
    input_bytes[n_input_bytes++] = buf;
    int known = 0;
    for (size_t i = 0; i < n_inputs; i++)
        if (!strcmp(inputs[i].path, path)) {
            known = 1;
            memcpy(inputs[i].sha256, inputs[n_inputs].sha256, sizeof inputs[i].sha256);
        }
    if (!known)
        inputs[n_inputs++].path = path;
    return mf;
}

void cli_inputs_reset(void)
{
    input_bytes_free();
    n_inputs = 0;
}

void cli_csv_preamble(FILE *fp, const char *params)
{
    hl_csv_preamble_inputs(fp, cli_argc, cli_argv, params, inputs, n_inputs);
}

void cli_csv_stationary(FILE *fp, const char *branch, const hl_stationary *q)
{
    cli_csv_stationary_end(fp, branch, q, NULL);
}

void cli_csv_stationary_end(FILE *fp, const char *branch, const hl_stationary *q,
                            const char *end)
{
    fprintf(fp, "%s", branch);
    hl_csv_number(fp, ",%.12g", q->beta);
    hl_csv_number(fp, ",%.12g", 1 / q->beta);
    hl_csv_number(fp, ",%.15g", q->x);
    hl_csv_number(fp, ",%.15g", q->y);
    hl_csv_number(fp, ",%.15g", q->phi);
    hl_csv_number(fp, ",%.15g", cli_w_shown(q->w, q->ln_w));
    hl_csv_number(fp, ",%.15g", q->f);
    fprintf(fp, ",%d", q->stable);
    hl_csv_number(fp, ",%.15g", q->heat_capacity);
    if (end)
        fprintf(fp, ",%s", end);
    fputc('\n', fp);
}

void cli_json_begin(FILE *fp, const char *cmd)
{
    fprintf(fp, "{\"command\": ");
    hl_json_string(fp, cmd);
    fprintf(fp, ", \"schema_version\": %d, \"version\": ", HL_JSON_SCHEMA_VERSION);
    hl_json_string(fp, hl_version());
    fprintf(fp, ", \"provenance\": ");
    hl_provenance_json(fp, inputs, n_inputs);
}

int cli_lib_error(const char *cmd, int status)
{
    const char *m = hl_errmsg();
    cli_error(cmd, "%s", (m && *m) ? m : hl_strerror(status));
    return EXIT_FAIL;
}

/* strtod of the whole string: 0 a finite number, 1 not a number at all
 * (or NaN, or hexadecimal), 2 beyond the largest double, 3 nonzero but below
 * the smallest normal double (2.2e-308) in magnitude, 4 "inf"/"infinity" */
static int parse_real(const char *s, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end || isnan(x) || strpbrk(s, "xX"))
        return 1; /* not a number, NaN, or hexadecimal (read as 16 for "0x10") */
    if (isinf(x))
        return errno == ERANGE ? 2 : 4; /* beyond the largest double, or "inf" itself */
    *v = x;
    if (errno == ERANGE)
        return fabs(x) < 1 ? 3 : 2;
    return 0;
}

int cli_parse_double(const char *cmd, const char *opt, const char *s, double *v)
{
    switch (parse_real(s, v)) {
    case 0:
        return 1;
    case 2:
        cli_error(cmd, "%s '%s' is beyond the largest double (1.8e308)", opt, cli_clip(s));
        return 0;
    case 4:
        cli_error(cmd, "%s '%s' is not finite", opt, cli_clip(s));
        return 0;
    case 3:
        cli_error(cmd, "%s '%s' is below 2.2e-308 in magnitude (the smallest normal double): "
                       "give 0 or a larger number", opt, cli_clip(s));
        return 0;
    default:
        cli_error(cmd, "%s '%s' is not a number", opt, cli_clip(s));
        return 0;
    }
}

int cli_parse_long(const char *cmd, const char *opt, const char *s, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE) {
        cli_error(cmd, "%s '%s' is not an integer%s", opt, cli_clip(s),
                  errno == ERANGE ? " in range" : "");
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
        cli_error(cmd, "--rtol %s is out of range: it must be in [1e-14, 1e-2]", cli_clip(s));
        return 0;
    }
    return 1;
}

int cli_parse_beta(const char *cmd, const char *opt, const char *s, double *v)
{
    int k = parse_real(s, v);
    if (k == 1 || k == 2 || k == 4)
        return cli_parse_double(cmd, opt, s, v);
    if (k == 3 || !(*v >= CLI_BETA_MIN && *v <= CLI_BETA_MAX)) {
        cli_error(cmd, "%s %s is out of range: beta must be in [%g, %g]", opt, cli_clip(s),
                  CLI_BETA_MIN, CLI_BETA_MAX);
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

int cli_make_dir(const char *cmd, const char *dir)
{
    char buf[4096];
    if (!strcmp(dir, "-")) {
        cli_error(cmd, "'-' (stdout) cannot be a directory; write ./- for a directory "
                       "named '-'");
        return 0;
    }
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
        cli_error(cmd, "option '%s' needs a value", cli_clip(argv[optind - 1]));
    else
        cli_error(cmd, "unknown option '%s' (see --help)", cli_clip(argv[optind - 1]));
    return EXIT_USAGE;
}

int cli_no_extra_args(const char *cmd, int argc, char **argv)
{
    if (optind < argc) {
        cli_error(cmd, "unexpected argument '%s' (see --help)", cli_clip(argv[optind]));
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

void cli_json_model(FILE *fp, const char *cmd, const hl_model *m, long D, double beta)
{
    cli_json_begin(fp, cmd);
    fprintf(fp, ", \"phi\": ");
    hl_json_string(fp, hl_model_phi_formula(m));
    fprintf(fp, ", \"transmission\": ");
    hl_json_string(fp, hl_model_transmission_formula(m));
    fprintf(fp, ", \"dim\": %ld, \"beta\": ", D);
    hl_json_number(fp, beta);
}

int cli_read_protocol(const char *cmd, const char *path, hl_protocol **proto)
{
    FILE *pf = cli_input_open(cmd, path);
    if (!pf) {
        cli_error(cmd, "cannot read protocol '%s': %s", cli_clip(path), strerror(errno));
        return 0;
    }
    int st = hl_protocol_read_stream(pf, path, proto);
    fclose(pf);
    if (st) {
        cli_error(cmd, "%s", hl_errmsg());
        return 0;
    }
    return 1;
}

int cli_parse_seed(const char *cmd, const char *s, uint64_t *v)
{
    if (!*s || strspn(s, "0123456789") != strlen(s)) {
        cli_error(cmd, "--seed '%s' is not a whole number in 0 .. 2^64 - 1", cli_clip(s));
        return 0;
    }
    errno = 0;
    unsigned long long x = strtoull(s, NULL, 10);
    if (errno == ERANGE) {
        cli_error(cmd, "--seed '%s' is larger than 2^64 - 1", cli_clip(s));
        return 0;
    }
    *v = (uint64_t)x;
    return 1;
}

int cli_parse_threads(const char *cmd, const char *s)
{
    long n;
    if (!cli_parse_long(cmd, "--threads", s, &n))
        return 0;
    if (n < 1 || n > HL_THREADS_MAX) {
        cli_error(cmd, "--threads %ld is not in [1, %d]", n, HL_THREADS_MAX);
        return 0;
    }
    int blas_set = 0;
    int st = hl_set_threads((int)n, &blas_set);
    if (st) {
        cli_lib_error(cmd, st);
        return 0;
    }
    if (!blas_set)
        fprintf(stderr, "hyperland %s: note: --threads %ld: the BLAS in use is not OpenBLAS "
                        "(no openblas_set_num_threads); only OpenMP's threads are set\n",
                cmd, n);
    return 1;
}
