/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_sets.c -- the sets A and B of a network (network.h): from ids,
 * from a list "1,2,5", from a file in PATHSAMPLE's min.A form (the count,
 * then the ids); every error names the set's file and line. */
#include "network_private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static const char *set_name(int which) { return which == HL_NETWORK_A ? "A" : "B"; }

typedef struct {
    long idx, line, pos;
} set_entry;

static int cmp_entry(const void *x, const void *y)
{
    const set_entry *a = x, *b = y;
    if (a->idx != b->idx)
        return (a->idx > b->idx) - (a->idx < b->idx);
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Sort, refuse repeats, store.  e is consumed (freed). where: "'min.A'"
 * with lines, or the list's text (lines 0: the repeat is named by its
 * position). */
static int store(hl_network *net, int which, set_entry *e, size_t n, const char *where,
                 int lines)
{
    if (n == 0) {
        free(e);
        return hl_fail(HL_EPARSE, "set %s (%s): a set needs at least one minimum",
                       set_name(which), where);
    }
    qsort(e, n, sizeof *e, cmp_entry);
    for (size_t i = 1; i < n; i++)
        if (e[i].idx == e[i - 1].idx) {
            long id = net->id[e[i].idx];
            int st = lines ? hl_fail(HL_EPARSE, "%s line %ld: id %ld is already listed on line "
                                                "%ld (set %s)", where, e[i].line, id,
                                     e[i - 1].line, set_name(which))
                           : hl_fail(HL_EPARSE, "set %s (%s): id %ld is listed twice (fields "
                                                "%ld and %ld)", set_name(which), where, id,
                                     e[i - 1].pos + 1, e[i].pos + 1);
            free(e);
            return st;
        }
    long *v = malloc(n * sizeof *v);
    if (!v) {
        free(e);
        return hl_fail(HL_ENOMEM, "out of memory for set %s", set_name(which));
    }
    for (size_t i = 0; i < n; i++)
        v[i] = e[i].idx;
    free(e);
    free(net->set[which]);
    net->set[which] = v;
    net->nset[which] = n;
    net->have_set[which] = 1;
    net->built = 0; /* the network may change: build again */
    return HL_OK;
}

static int check_which(const hl_network *net, int which, const char *fn)
{
    if (!net)
        return hl_fail(HL_EINVAL, "%s: NULL network", fn);
    if (which != HL_NETWORK_A && which != HL_NETWORK_B)
        return hl_fail(HL_EINVAL, "%s: which = %d is neither A (0) nor B (1)", fn, which);
    return HL_OK;
}

static int bad_id(const hl_network *net, long id, char *buf, size_t size)
{
    if (net->pathsample)
        return snprintf(buf, size, "%ld is not a minimum id of '%s' (1..%zu)", id,
                        net->min_name, net->n);
    return snprintf(buf, size, "%ld is not a state id of '%s'", id, net->min_name);
}

int hl_network_set_ids(hl_network *net, int which, const long *ids, size_t n,
                       const char *source)
{
    int st = check_which(net, which, "hl_network_set_ids");
    if (st)
        return st;
    if (!ids && n)
        return hl_fail(HL_EINVAL, "hl_network_set_ids: NULL ids");
    char where[HL_CLIP_BUF];
    hl_clip(source ? source : "ids", where);
    set_entry *e = malloc((n ? n : 1) * sizeof *e);
    if (!e)
        return hl_fail(HL_ENOMEM, "out of memory for set %s", set_name(which));
    for (size_t i = 0; i < n; i++) {
        long k = nw_index_of(net, ids[i]);
        if (k < 0) {
            char msg[256];
            bad_id(net, ids[i], msg, sizeof msg);
            free(e);
            return hl_fail(HL_EPARSE, "set %s (%s): %s", set_name(which), where, msg);
        }
        e[i] = (set_entry){k, 0, (long)i};
    }
    return store(net, which, e, n, where, 0);
}

int hl_network_set_list(hl_network *net, int which, const char *list)
{
    int st = check_which(net, which, "hl_network_set_list");
    if (st)
        return st;
    if (!list)
        return hl_fail(HL_EINVAL, "hl_network_set_list: NULL list");
    char where[HL_CLIP_BUF], cb[HL_CLIP_BUF];
    hl_clip(list, where);
    size_t len = strlen(list), n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    char *copy = malloc(len + 1);
    char **f = malloc(n * sizeof *f);
    long *ids = malloc(n * sizeof *ids);
    if (!copy || !f || !ids) {
        st = hl_fail(HL_ENOMEM, "out of memory for set %s", set_name(which));
        goto out;
    }
    memcpy(copy, list, len + 1);
    int k = nw_split(copy, 0, f, n > INT_MAX - 1 ? INT_MAX - 1 : (int)n);
    for (int i = 0; i < k; i++) {
        if (!nw_parse_long(f[i], &ids[i])) {
            st = hl_fail(HL_EPARSE, "set %s '%s': field %d ('%s') is not an integer id",
                         set_name(which), where, i + 1, hl_clip(f[i], cb));
            goto out;
        }
    }
    st = hl_network_set_ids(net, which, ids, (size_t)k, list);
out:
    free(copy);
    free(f);
    free(ids);
    return st;
}

int hl_network_read_set_stream(hl_network *net, int which, FILE *fp, const char *name)
{
    int st = check_which(net, which, "hl_network_read_set_stream");
    if (st)
        return st;
    if (!fp)
        return hl_fail(HL_EINVAL, "hl_network_read_set_stream: NULL stream");
    char nm[HL_CLIP_BUF], where[HL_CLIP_BUF + 2], cb[HL_CLIP_BUF];
    hl_clip(name ? name : "(stream)", nm);
    snprintf(where, sizeof where, "'%s'", nm);
    nw_reader r = {fp, nm, 0, NULL, 0};
    set_entry *e = NULL;
    size_t n = 0, cap = 0;
    long count = -1, count_line = 0;
    char *s;
    while (!st && (st = nw_read_line(&r, &s)) == 1) {
        st = HL_OK;
        for (char *p = s; *p && !st;) {
            p += strspn(p, " \t\r\v\f");
            if (!*p)
                break;
            char *tok = p;
            p += strcspn(p, " \t\r\v\f");
            if (*p)
                *p++ = 0;
            long v;
            if (!nw_parse_long(tok, &v)) {
                st = hl_fail(HL_EPARSE, "'%s' line %ld: '%s' is not an integer (set %s: the "
                                        "number of ids, then the ids)", nm, r.line,
                             hl_clip(tok, cb), set_name(which));
            } else if (count < 0) {
                if (v < 1)
                    st = hl_fail(HL_EPARSE, "'%s' line %ld: the number of ids is %ld (set %s "
                                            "needs at least one minimum)", nm, r.line, v,
                                 set_name(which));
                count = v;
                count_line = r.line;
            } else if ((long)n >= count) {
                st = hl_fail(HL_EPARSE, "'%s' line %ld: more ids than the %ld given on line %ld "
                                        "(set %s)", nm, r.line, count, count_line,
                             set_name(which));
            } else {
                long k = nw_index_of(net, v);
                if (k < 0) {
                    char msg[256];
                    bad_id(net, v, msg, sizeof msg);
                    st = hl_fail(HL_EPARSE, "'%s' line %ld: %s (set %s)", nm, r.line, msg,
                                 set_name(which));
                } else if (!(st = nw_grow((void **)&e, &cap, n + 1, sizeof *e))) {
                    e[n] = (set_entry){k, r.line, (long)n};
                    n++;
                }
            }
        }
    }
    nw_reader_free(&r);
    if (st < 0) {
        free(e);
        return st;
    }
    if (count < 0) {
        free(e);
        return hl_fail(HL_EPARSE, "'%s' line %ld: no number of ids (an empty file; set %s)", nm,
                       r.line + 1, set_name(which));
    }
    if ((long)n < count) {
        free(e);
        return hl_fail(HL_EPARSE, "'%s' line %ld: the file ends after %zu of the %ld ids given "
                                  "on line %ld (set %s)", nm, r.line, n, count, count_line,
                       set_name(which));
    }
    return store(net, which, e, n, where, 1);
}

int hl_network_read_set(hl_network *net, int which, const char *path)
{
    int st = check_which(net, which, "hl_network_read_set");
    if (st)
        return st;
    if (!path)
        return hl_fail(HL_EINVAL, "hl_network_read_set: NULL path");
    FILE *fp = fopen(path, "r");
    if (!fp) {
        char cb[HL_CLIP_BUF];
        return hl_fail(HL_EIO, "cannot read set %s '%s'", set_name(which), hl_clip(path, cb));
    }
    st = hl_network_read_set_stream(net, which, fp, path);
    fclose(fp);
    return st;
}
