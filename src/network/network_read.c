/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_read.c -- the readers of network.h: PATHSAMPLE min.data/ts.data
 * and the CSV states/transitions, on one line reader that takes lines of
 * any length (up to 1 MiB), CRLF, blanks and a byte-order mark, with every
 * error naming the file and the line. */
#include "network_private.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#include "core.h"

#define NW_LINE_MAX (1L << 20) /* characters in one line */

/* ------------------------------------------------------------ lines */

int nw_read_line(nw_reader *r, char **s)
{
    errno = 0;
    ssize_t len = getline(&r->buf, &r->cap, r->fp);
    if (len < 0) {
        if (ferror(r->fp))
            return hl_fail(HL_EIO, "'%s' line %ld: read error", r->name, r->line + 1);
        if (errno == ENOMEM)
            return hl_fail(HL_ENOMEM, "'%s' line %ld: out of memory", r->name, r->line + 1);
        return 0;
    }
    if (r->line == LONG_MAX)
        return hl_fail(HL_ERANGE, "'%s': more than %ld lines", r->name, LONG_MAX);
    r->line++;
    if (len > NW_LINE_MAX)
        return hl_fail(HL_EPARSE, "'%s' line %ld: line longer than %ld characters", r->name,
                       r->line, NW_LINE_MAX);
    if (strlen(r->buf) != (size_t)len)
        return hl_fail(HL_EPARSE, "'%s' line %ld: NUL byte in a text file", r->name, r->line);
    char *p = r->buf;
    if (r->line == 1 && !strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    p += strspn(p, " \t\r\n\v\f");
    size_t n = strlen(p);
    while (n > 0 && strchr(" \t\r\n\v\f", p[n - 1]))
        p[--n] = 0;
    *s = p;
    return 1;
}

void nw_reader_free(nw_reader *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

int nw_split(char *s, int ws, char **f, int max)
{
    int k = 0;
    if (ws) {
        for (char *p = s;;) {
            p += strspn(p, " \t\r\v\f");
            if (!*p)
                break;
            if (k == max)
                return max + 1;
            f[k++] = p;
            p += strcspn(p, " \t\r\v\f");
            if (*p)
                *p++ = 0;
        }
        return k;
    }
    for (char *p = s;;) {
        if (k == max)
            return max + 1;
        char *c = strchr(p, ',');
        if (c)
            *c = 0;
        char *t = p + strspn(p, " \t");
        size_t n = strlen(t);
        while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
            t[--n] = 0;
        f[k++] = t;
        if (!c)
            break;
        p = c + 1;
    }
    return k;
}

int nw_parse_double(const char *s, double *v)
{
    char tmp[128];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof tmp || strpbrk(s, "xXnNiI"))
        return 0; /* empty, absurdly long, hexadecimal, inf, nan */
    memcpy(tmp, s, n + 1);
    for (size_t i = 0; i < n; i++)
        if (tmp[i] == 'D' || tmp[i] == 'd')
            tmp[i] = 'E'; /* Fortran's double-precision exponent */
    char *end;
    errno = 0;
    double x = strtod(tmp, &end);
    if (end == tmp || *end || !isfinite(x))
        return 0;
    *v = x; /* an underflow to 0 or a subnormal is still the number written */
    return 1;
}

int nw_parse_long(const char *s, long *v)
{
    if (!*s || strspn(s, "+-0123456789") != strlen(s))
        return 0;
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE)
        return 0;
    *v = x;
    return 1;
}

int nw_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return HL_OK;
    size_t nc = *cap ? *cap : 64;
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            return hl_fail(HL_ERANGE, "a count of %zu overflows", need);
        nc *= 2;
    }
    if (nc > SIZE_MAX / elem || nc > (size_t)LONG_MAX)
        return hl_fail(HL_ERANGE, "a count of %zu overflows", need);
    void *q = realloc(*p, nc * elem);
    if (!q)
        return hl_fail(HL_ENOMEM, "out of memory for %zu entries", need);
    *p = q;
    *cap = nc;
    return HL_OK;
}

/* ------------------------------------------------------ the network */

static hl_network *network_new(int pathsample, const char *n1, const char *n2)
{
    hl_network *net = calloc(1, sizeof *net);
    if (!net)
        return NULL;
    net->pathsample = pathsample;
    net->valid_t = net->valid_file_t[0] = net->valid_file_t[1] = NAN;
    hl_clip(n1 ? n1 : "(stream)", net->min_name);
    hl_clip(n2 ? n2 : "(stream)", net->ts_name);
    return net;
}

void hl_network_free(hl_network *net)
{
    if (!net)
        return;
    free(net->id);
    free(net->E);
    free(net->S);
    free(net->v);
    free(net->F);
    free(net->o);
    free(net->mom);
    free(net->by_id);
    free(net->ts);
    for (int w = 0; w < 2; w++) {
        free(net->set[w]);
        free(net->net_set[w]);
        free(net->dropped[w]);
    }
    hl_chain_free(net->chain);
    free(net->net);
    free(net->state_of);
    free(net->warn);
    free(net);
}

/* Storage for the minima: capacity cap. */
static int grow_minima(hl_network *net, size_t *cap, size_t need, int moments)
{
    if (need <= *cap)
        return HL_OK;
    size_t c = *cap;
    int st = nw_grow((void **)&net->E, &c, need, sizeof(double));
    c = *cap;
    if (!st)
        st = nw_grow((void **)&net->S, &c, need, sizeof(double));
    c = *cap;
    if (!st)
        st = nw_grow((void **)&net->v, &c, need, sizeof(double));
    c = *cap;
    if (!st)
        st = nw_grow((void **)&net->id, &c, need, sizeof(long));
    if (net->pathsample) {
        c = *cap;
        if (!st)
            st = nw_grow((void **)&net->F, &c, need, sizeof(double));
        c = *cap;
        if (!st)
            st = nw_grow((void **)&net->o, &c, need, sizeof(double));
        if (moments) {
            c = *cap;
            if (!st)
                st = nw_grow((void **)&net->mom, &c, need, sizeof *net->mom);
        }
    }
    if (!st)
        *cap = c;
    return st;
}

/* An order o: a positive integer (written as one, or as 48.0). */
static int parse_order(const char *s, double *o)
{
    return nw_parse_double(s, o) && *o >= 1 && *o <= 1e9 && *o == floor(*o);
}

static const char *number_problem(const char *s)
{
    double v;
    return nw_parse_double(s, &v) ? NULL : "is not a finite decimal number";
}

#define LN_2PI 1.8378770664093454835606594728112

/* min.data: E F o [Ix Iy Iz]. */
static int read_min(hl_network *net, FILE *fp)
{
    nw_reader r = {fp, net->min_name, 0, NULL, 0};
    size_t cap = 0;
    long blank_at = 0;
    int fields_per_line = 0, st = HL_OK;
    char *s, *f[8];
    const char *names[6] = {"E", "F", "o", "Ix", "Iy", "Iz"};
    while ((st = nw_read_line(&r, &s)) == 1) {
        st = HL_OK;
        if (!*s) {
            if (!blank_at)
                blank_at = r.line;
            continue;
        }
        if (blank_at) {
            st = hl_fail(HL_EPARSE, "'%s' line %ld: data after the blank line %ld (a minimum's "
                                    "id is its line number)", r.name, r.line, blank_at);
            break;
        }
        int k = nw_split(s, 1, f, 6);
        if (k != 3 && k != 6) {
            st = hl_fail(HL_EPARSE, "'%s' line %ld: expected 6 fields 'E F o Ix Iy Iz' (or 3, "
                                    "'E F o'), found %s%d", r.name, r.line, k > 6 ? "more than " : "",
                         k > 6 ? 6 : k);
            break;
        }
        if (fields_per_line && k != fields_per_line) {
            st = hl_fail(HL_EPARSE, "'%s' line %ld: %d fields, but the lines above have %d",
                         r.name, r.line, k, fields_per_line);
            break;
        }
        fields_per_line = k;
        double x[6];
        for (int i = 0; i < k && !st; i++) {
            char cb[HL_CLIP_BUF];
            if (i == 2) {
                if (!parse_order(f[2], &x[2]))
                    st = hl_fail(HL_EPARSE, "'%s' line %ld: the order o = '%s' is not a "
                                            "positive integer", r.name, r.line, hl_clip(f[2], cb));
            } else if (number_problem(f[i])) {
                st = hl_fail(HL_EPARSE, "'%s' line %ld: %s = '%s' %s", r.name, r.line, names[i],
                             hl_clip(f[i], cb), number_problem(f[i]));
            } else {
                nw_parse_double(f[i], &x[i]);
            }
        }
        if (st)
            break;
        if (net->n >= (size_t)LONG_MAX - 1) {
            st = hl_fail(HL_ERANGE, "'%s' line %ld: too many minima", r.name, r.line);
            break;
        }
        if ((st = grow_minima(net, &cap, net->n + 1, k == 6)) != HL_OK)
            break;
        size_t a = net->n++;
        net->id[a] = (long)a + 1;
        net->E[a] = x[0];
        net->F[a] = x[1];
        net->o[a] = x[2];
        /* S_min = -F/2 - ln o (see network.c), less s_ref = -F_1/2 */
        if (a == 0)
            net->s_ref = -0.5 * x[1];
        net->S[a] = -0.5 * (x[1] - net->F[0]) - log(x[2]);
        net->v[a] = -0.5 * x[1];
        if (k == 6)
            memcpy(net->mom[a], x + 3, sizeof net->mom[a]);
    }
    nw_reader_free(&r);
    if (st < 0)
        return st;
    if (net->n == 0)
        return hl_fail(HL_EPARSE, "'%s' line %ld: no minima (an empty file)", net->min_name,
                       r.line + 1);
    return HL_OK;
}

/* A minimum id of a PATHSAMPLE file: 1 .. n. */
static int parse_min_id(const hl_network *net, const char *s, long *idx)
{
    long v;
    if (!nw_parse_long(s, &v) || v < 1 || (size_t)v > net->n)
        return 0;
    *idx = v - 1;
    return 1;
}

static int add_ts(hl_network *net, const nw_reader *r, size_t *cap, long a, long b, double E,
                  double S)
{
    if (net->n_ts_read >= (size_t)LONG_MAX - 1)
        return hl_fail(HL_ERANGE, "'%s' line %ld: too many transition states", r->name, r->line);
    net->n_ts_read++;
    if (a == b) {
        net->degenerate++;
        return HL_OK;
    }
    int st = nw_grow((void **)&net->ts, cap, net->m + 1, sizeof *net->ts);
    if (st)
        return st;
    net->ts[net->m++] = (nw_ts){a, b, E, S};
    return HL_OK;
}

/* ts.data: E F o a b [Ix Iy Iz]. */
static int read_ts(hl_network *net, FILE *fp)
{
    nw_reader r = {fp, net->ts_name, 0, NULL, 0};
    size_t cap = 0;
    long blank_at = 0;
    int st = HL_OK;
    char *s, *f[9];
    const char *names[8] = {"E", "F", "o", "a", "b", "Ix", "Iy", "Iz"};
    while ((st = nw_read_line(&r, &s)) == 1) {
        st = HL_OK;
        if (!*s) {
            if (!blank_at)
                blank_at = r.line;
            continue;
        }
        if (blank_at) {
            st = hl_fail(HL_EPARSE, "'%s' line %ld: data after the blank line %ld", r.name,
                         r.line, blank_at);
            break;
        }
        int k = nw_split(s, 1, f, 8);
        if (k != 5 && k != 8) {
            st = hl_fail(HL_EPARSE, "'%s' line %ld: expected 8 fields 'E F o a b Ix Iy Iz' (or "
                                    "5, 'E F o a b'), found %s%d", r.name, r.line,
                         k > 8 ? "more than " : "", k > 8 ? 8 : k);
            break;
        }
        double x[8];
        long ab[2];
        char cb[HL_CLIP_BUF];
        for (int i = 0; i < k && !st; i++) {
            if (i == 2) {
                if (!parse_order(f[2], &x[2]))
                    st = hl_fail(HL_EPARSE, "'%s' line %ld: the order o = '%s' is not a "
                                            "positive integer", r.name, r.line, hl_clip(f[2], cb));
            } else if (i == 3 || i == 4) {
                if (!parse_min_id(net, f[i], &ab[i - 3]))
                    st = hl_fail(HL_EPARSE, "'%s' line %ld: %s = '%s' is not a minimum id of "
                                            "'%s' (1..%zu)", r.name, r.line, names[i],
                                 hl_clip(f[i], cb), net->min_name, net->n);
            } else if (number_problem(f[i])) {
                st = hl_fail(HL_EPARSE, "'%s' line %ld: %s = '%s' %s", r.name, r.line, names[i],
                             hl_clip(f[i], cb), number_problem(f[i]));
            } else {
                nw_parse_double(f[i], &x[i]);
            }
        }
        if (st)
            break;
        /* S_ts = -F_ts/2 - ln o_ts - ln(2 pi) (see network.c), less s_ref */
        st = add_ts(net, &r, &cap, ab[0], ab[1], x[0],
                    -0.5 * (x[1] - net->F[0]) - log(x[2]) - LN_2PI);
        if (st)
            break;
    }
    nw_reader_free(&r);
    if (st < 0)
        return st;
    if (net->n_ts_read == 0)
        return hl_fail(HL_EPARSE, "'%s' line %ld: no transition states (an empty file)",
                       net->ts_name, r.line + 1);
    return HL_OK;
}

int hl_network_read_pathsample_stream(FILE *min_fp, const char *min_name, FILE *ts_fp,
                                      const char *ts_name, hl_network **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_network_read_pathsample_stream: NULL out");
    *out = NULL;
    if (!min_fp || !ts_fp)
        return hl_fail(HL_EINVAL, "hl_network_read_pathsample_stream: NULL stream");
    hl_network *net = network_new(1, min_name, ts_name);
    if (!net)
        return hl_fail(HL_ENOMEM, "out of memory for a network");
    char *ma = NULL, *mb = NULL;
    int st = HL_OK;
    FILE *a = nw_gunzip_stream(min_fp, min_name ? min_name : "min.data", &ma, &st);
    FILE *b = a ? nw_gunzip_stream(ts_fp, ts_name ? ts_name : "ts.data", &mb, &st) : NULL;
    if (a && b) {
        st = read_min(net, a);
        if (!st)
            st = read_ts(net, b);
    }
    if (a && a != min_fp)
        fclose(a);
    if (b && b != ts_fp)
        fclose(b);
    free(ma);
    free(mb);
    if (st) {
        hl_network_free(net);
        return st;
    }
    *out = net;
    return HL_OK;
}

static FILE *open_input(const char *path, const char *what, int *st)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        char cb[HL_CLIP_BUF];
        *st = hl_fail(HL_EIO, "cannot read %s '%s': %s", what, hl_clip(path, cb),
                      strerror(errno));
    }
    return fp;
}

int hl_network_read_pathsample(const char *min_path, const char *ts_path, hl_network **out)
{
    if (out)
        *out = NULL;
    if (!min_path || !ts_path || !out)
        return hl_fail(HL_EINVAL, "hl_network_read_pathsample: NULL argument");
    int st = HL_OK;
    FILE *a = open_input(min_path, "minima", &st);
    if (!a)
        return st;
    FILE *b = open_input(ts_path, "transition states", &st);
    if (!b) {
        fclose(a);
        return st;
    }
    st = hl_network_read_pathsample_stream(a, min_path, b, ts_path, out);
    fclose(a);
    fclose(b);
    return st;
}

char *hl_network_db_file(const char *dir, const char *leaf)
{
    if (!dir || !leaf)
        return NULL;
    size_t n = strlen(dir) + strlen(leaf) + 5;
    char *p = malloc(n);
    if (!p)
        return NULL;
    struct stat sb;
    snprintf(p, n, "%s/%s.gz", dir, leaf);
    int gz = stat(p, &sb) == 0;
    snprintf(p, n, "%s/%s", dir, leaf);
    if (gz && stat(p, &sb) != 0 && errno == ENOENT)
        snprintf(p, n, "%s/%s.gz", dir, leaf);
    return p;
}

int hl_network_read_pathsample_dir(const char *dir, hl_network **out)
{
    if (out)
        *out = NULL;
    if (!dir || !out)
        return hl_fail(HL_EINVAL, "hl_network_read_pathsample_dir: NULL argument");
    char *p[4];
    const char *leaf[4] = {"min.data", "ts.data", "min.A", "min.B"};
    int st = HL_OK;
    for (int i = 0; i < 4; i++) { /* the sets are never gzipped */
        size_t n = strlen(dir) + strlen(leaf[i]) + 2;
        p[i] = i < 2 ? hl_network_db_file(dir, leaf[i]) : malloc(n);
        if (!p[i])
            st = hl_fail(HL_ENOMEM, "out of memory");
        else if (i >= 2)
            snprintf(p[i], n, "%s/%s", dir, leaf[i]);
    }
    if (!st)
        st = hl_network_read_pathsample(p[0], p[1], out);
    for (int w = 0; w < 2 && !st; w++) {
        FILE *fp = fopen(p[2 + w], "r");
        if (!fp) {
            if (errno != ENOENT) {
                char cb[HL_CLIP_BUF];
                st = hl_fail(HL_EIO, "cannot read '%s': %s", hl_clip(p[2 + w], cb),
                             strerror(errno));
            }
            continue;
        }
        st = hl_network_read_set_stream(*out, w, fp, p[2 + w]);
        fclose(fp);
    }
    if (st) {
        hl_network_free(*out);
        *out = NULL;
    }
    for (int i = 0; i < 4; i++)
        free(p[i]);
    return st;
}

/* ------------------------------------------------------------ CSV */

typedef struct {
    long id, idx;
} id_idx;

static int cmp_id_idx(const void *x, const void *y)
{
    const id_idx *a = x, *b = y;
    if (a->id != b->id)
        return (a->id > b->id) - (a->id < b->id);
    return (a->idx > b->idx) - (a->idx < b->idx);
}

long nw_index_of(const hl_network *net, long id)
{
    if (net->pathsample)
        return id >= 1 && (size_t)id <= net->n ? id - 1 : -1;
    size_t lo = 0, hi = net->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        long v = net->id[net->by_id[mid]];
        if (v == id)
            return net->by_id[mid];
        if (v < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* "a,b,c" header with exactly these names (case-insensitive). */
static int is_header(char **f, int k, const char *const *names, int n)
{
    if (k != n)
        return 0;
    for (int i = 0; i < n; i++)
        if (strcasecmp(f[i], names[i]) != 0)
            return 0;
    return 1;
}

int nw_same_temperature(double a, double b)
{
    return fabs(a - b) <= HL_CHAIN_VALID_RTOL * fmax(a, b);
}

/* A '#' line s of file w (0: states, 1: transitions): the machine-readable
 * '# valid-temperature: T' (network.h) -- a comment whose first word is
 * valid-temperature (followed by anything but a letter, digit, '-' or '_')
 * -- or any other comment.  HL_OK, or HL_EPARSE naming
 * the file and line for a malformed one or one that contradicts an
 * earlier line of the file. */
static int comment_line(hl_network *net, const nw_reader *r, int w, const char *s)
{
    static const char key[] = "valid-temperature";
    const size_t k = sizeof key - 1;
    const char *p = s + 1;
    p += strspn(p, " \t");
    if (strncmp(p, key, k) != 0 || isalnum((unsigned char)p[k]) || p[k] == '-' || p[k] == '_')
        return HL_OK; /* another comment (valid-temperatures ...) */
    p += k;
    p += strspn(p, " \t");
    if (*p != ':')
        return hl_fail(HL_EPARSE, "'%s' line %ld: expected '# valid-temperature: T' (a colon "
                                  "after valid-temperature)", r->name, r->line);
    p++;
    p += strspn(p, " \t");
    double T;
    char cb[HL_CLIP_BUF];
    if (!nw_parse_double(p, &T) || !(T > 0))
        return hl_fail(HL_EPARSE, "'%s' line %ld: valid-temperature '%s' is not a finite "
                                  "positive decimal number", r->name, r->line, hl_clip(p, cb));
    if (isnan(net->valid_file_t[w])) {
        net->valid_file_t[w] = T;
        net->valid_file_line[w] = r->line;
    } else if (!nw_same_temperature(net->valid_file_t[w], T)) {
        char a[32];
        return hl_fail(HL_EPARSE, "'%s' line %ld: valid-temperature %s contradicts %s on line "
                                  "%ld", r->name, r->line, hl_msg_exact(T, a),
                       hl_msg_exact(net->valid_file_t[w], cb), net->valid_file_line[w]);
    }
    return HL_OK;
}

static int read_states(hl_network *net, FILE *fp, long **lines)
{
    nw_reader r = {fp, net->min_name, 0, NULL, 0};
    static const char *const names[3] = {"id", "energy", "entropy"};
    size_t cap = 0, lcap = 0;
    int st = HL_OK, seen_data = 0;
    char *s, *f[4];
    while ((st = nw_read_line(&r, &s)) == 1) {
        st = HL_OK;
        if (*s == '#' && (st = comment_line(net, &r, 0, s)) != HL_OK)
            break;
        if (!*s || *s == '#')
            continue;
        int k = nw_split(s, 0, f, 3);
        if (!seen_data && is_header(f, k, names, 3)) {
            seen_data = 1;
            continue;
        }
        seen_data = 1;
        if (k != 3) {
            st = hl_fail(HL_EPARSE, "'%s' line %ld: expected 3 comma-separated fields "
                                    "'id,energy,entropy', found %s%d", r.name, r.line,
                         k > 3 ? "more than " : "", k > 3 ? 3 : k);
            break;
        }
        long id;
        double E, S;
        char cb[HL_CLIP_BUF];
        if (!nw_parse_long(f[0], &id)) {
            st = hl_fail(HL_EPARSE, "'%s' line %ld: id '%s' is not an integer", r.name, r.line,
                         hl_clip(f[0], cb));
            break;
        }
        if (!nw_parse_double(f[1], &E) || !nw_parse_double(f[2], &S)) {
            int bad = nw_parse_double(f[1], &E) ? 2 : 1;
            st = hl_fail(HL_EPARSE, "'%s' line %ld: %s = '%s' is not a finite decimal number",
                         r.name, r.line, names[bad], hl_clip(f[bad], cb));
            break;
        }
        if ((st = grow_minima(net, &cap, net->n + 1, 0)) != HL_OK)
            break;
        size_t lc = lcap;
        if ((st = nw_grow((void **)lines, &lc, net->n + 1, sizeof(long))) != HL_OK)
            break;
        lcap = lc;
        size_t a = net->n++;
        net->id[a] = id;
        net->E[a] = E;
        net->S[a] = S;
        net->v[a] = S;
        (*lines)[a] = r.line;
    }
    nw_reader_free(&r);
    if (st < 0)
        return st;
    if (net->n == 0)
        return hl_fail(HL_EPARSE, "'%s' line %ld: no states (an empty file)", net->min_name,
                       r.line + 1);
    /* ids distinct: sort indices by id */
    net->by_id = malloc(net->n * sizeof(long));
    id_idx *v = malloc(net->n * sizeof *v);
    if (!net->by_id || !v) {
        free(v);
        return hl_fail(HL_ENOMEM, "out of memory for %zu states", net->n);
    }
    for (size_t a = 0; a < net->n; a++)
        v[a] = (id_idx){net->id[a], (long)a};
    qsort(v, net->n, sizeof *v, cmp_id_idx);
    for (size_t a = 0; a < net->n; a++)
        net->by_id[a] = v[a].idx;
    free(v);
    for (size_t i = 1; i < net->n; i++) {
        long a = net->by_id[i - 1], b = net->by_id[i];
        if (net->id[a] == net->id[b])
            return hl_fail(HL_EPARSE, "'%s' line %ld: state id %ld is already on line %ld",
                           net->min_name, (*lines)[b], net->id[b], (*lines)[a]);
    }
    return HL_OK;
}

static int read_transitions(hl_network *net, FILE *fp)
{
    nw_reader r = {fp, net->ts_name, 0, NULL, 0};
    static const char *const names[4] = {"a", "b", "energy", "entropy"};
    size_t cap = 0;
    int st = HL_OK, seen_data = 0;
    char *s, *f[5];
    while ((st = nw_read_line(&r, &s)) == 1) {
        st = HL_OK;
        if (*s == '#' && (st = comment_line(net, &r, 1, s)) != HL_OK)
            break;
        if (!*s || *s == '#')
            continue;
        int k = nw_split(s, 0, f, 4);
        if (!seen_data && is_header(f, k, names, 4)) {
            seen_data = 1;
            continue;
        }
        seen_data = 1;
        if (k != 4) {
            st = hl_fail(HL_EPARSE, "'%s' line %ld: expected 4 comma-separated fields "
                                    "'a,b,energy,entropy', found %s%d", r.name, r.line,
                         k > 4 ? "more than " : "", k > 4 ? 4 : k);
            break;
        }
        long ab[2], id;
        double x[2];
        char cb[HL_CLIP_BUF];
        for (int i = 0; i < 2 && !st; i++) {
            if (!nw_parse_long(f[i], &id))
                st = hl_fail(HL_EPARSE, "'%s' line %ld: %s = '%s' is not an integer", r.name,
                             r.line, names[i], hl_clip(f[i], cb));
            else if ((ab[i] = nw_index_of(net, id)) < 0)
                st = hl_fail(HL_EPARSE, "'%s' line %ld: %s = %ld is not a state of '%s'",
                             r.name, r.line, names[i], id, net->min_name);
        }
        for (int i = 0; i < 2 && !st; i++)
            if (!nw_parse_double(f[2 + i], &x[i]))
                st = hl_fail(HL_EPARSE, "'%s' line %ld: %s = '%s' is not a finite decimal "
                                        "number", r.name, r.line, names[2 + i],
                             hl_clip(f[2 + i], cb));
        if (st)
            break;
        if ((st = add_ts(net, &r, &cap, ab[0], ab[1], x[0], x[1])) != HL_OK)
            break;
    }
    nw_reader_free(&r);
    if (st < 0)
        return st;
    if (net->n_ts_read == 0)
        return hl_fail(HL_EPARSE, "'%s' line %ld: no transitions (an empty file)",
                       net->ts_name, r.line + 1);
    return HL_OK;
}

/* The network's valid temperature from its two files': either (a states
 * file without T-dependent parts may go with any transitions), both when
 * they agree; HL_EPARSE naming both when they do not. */
static int combine_valid_temperatures(hl_network *net)
{
    const double *t = net->valid_file_t;
    char a[32], b[32];
    if (!isnan(t[0]) && !isnan(t[1]) && !nw_same_temperature(t[0], t[1]))
        return hl_fail(HL_EPARSE, "'%s' line %ld (valid-temperature %s) and '%s' line %ld (%s) "
                                  "disagree: the files are not one network",
                       net->min_name, net->valid_file_line[0], hl_msg_exact(t[0], a),
                       net->ts_name, net->valid_file_line[1], hl_msg_exact(t[1], b));
    net->valid_t = !isnan(t[0]) ? t[0] : t[1];
    return HL_OK;
}

int hl_network_read_csv_stream(FILE *states_fp, const char *states_name, FILE *trans_fp,
                               const char *trans_name, hl_network **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_network_read_csv_stream: NULL out");
    *out = NULL;
    if (!states_fp || !trans_fp)
        return hl_fail(HL_EINVAL, "hl_network_read_csv_stream: NULL stream");
    hl_network *net = network_new(0, states_name, trans_name);
    if (!net)
        return hl_fail(HL_ENOMEM, "out of memory for a network");
    long *lines = NULL;
    char *ma = NULL, *mb = NULL;
    int st = HL_OK;
    FILE *a = nw_gunzip_stream(states_fp, states_name ? states_name : "states", &ma, &st);
    FILE *b = a ? nw_gunzip_stream(trans_fp, trans_name ? trans_name : "transitions", &mb, &st)
                : NULL;
    if (a && b) {
        st = read_states(net, a, &lines);
        free(lines);
        if (!st)
            st = read_transitions(net, b);
        if (!st)
            st = combine_valid_temperatures(net);
    }
    if (a && a != states_fp)
        fclose(a);
    if (b && b != trans_fp)
        fclose(b);
    free(ma);
    free(mb);
    if (st) {
        hl_network_free(net);
        return st;
    }
    *out = net;
    return HL_OK;
}

int hl_network_read_csv(const char *states_path, const char *transitions_path,
                        hl_network **out)
{
    if (out)
        *out = NULL;
    if (!states_path || !transitions_path || !out)
        return hl_fail(HL_EINVAL, "hl_network_read_csv: NULL argument");
    int st = HL_OK;
    FILE *a = open_input(states_path, "states", &st);
    if (!a)
        return st;
    FILE *b = open_input(transitions_path, "transitions", &st);
    if (!b) {
        fclose(a);
        return st;
    }
    st = hl_network_read_csv_stream(a, states_path, b, transitions_path, out);
    fclose(a);
    fclose(b);
    return st;
}
