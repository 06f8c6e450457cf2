/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_private.h -- the inside of a network (network.h) and the line
 * reader its parsers share (private to src/network). */
#ifndef HL_NETWORK_PRIVATE_H
#define HL_NETWORK_PRIVATE_H

#include <stdio.h>

#include "hyperland/network.h"
#include "hyperland/output.h"

typedef struct {
    long a, b;       /* database indices (0-based), a != b */
    double E, S;     /* S_ts as the chain takes it         */
} nw_ts;

struct hl_network {
    int pathsample;             /* 1: PATHSAMPLE, 0: CSV                    */
    char min_name[HL_CLIP_BUF], ts_name[HL_CLIP_BUF]; /* as messages show them */
    /* minima (database order) */
    size_t n;
    long *id;                   /* database id (PATHSAMPLE: index + 1)       */
    double *E, *S;              /* energy and entropy (ln M = S - E/T), the
                                   entropies less s_ref (minima and transition
                                   states alike)                            */
    double s_ref;               /* PATHSAMPLE: -F/2 of the first minimum, taken
                                   out before rounding (F ~ 2.5e5 on collagen:
                                   -F/2 - ln o rounded at 1e-11, a relative
                                   error of every rate; F - F_1 is exact);
                                   CSV: 0.  Absolute outputs (ln Z, free
                                   energies) add it back                     */
    double *v;                  /* -F/2 (PATHSAMPLE) or S (CSV): outliers    */
    double *F, *o;              /* PATHSAMPLE only (else NULL)               */
    double (*mom)[3];           /* moments, PATHSAMPLE with 6 fields (NULL)  */
    long *by_id;                /* CSV: indices sorted by id (lookup)        */
    /* CSV: the '# valid-temperature: T' lines (network.h) of the states [0]
     * and transitions [1] files (NaN: none; line: the first), and the
     * network's: either file's (they must agree), NaN: right at any T */
    double valid_file_t[2];
    long valid_file_line[2];
    double valid_t;
    /* transition states (non-degenerate) */
    size_t m, n_ts_read, degenerate;
    nw_ts *ts;
    /* sets as given (database indices, ascending) */
    long *set[2];
    size_t nset[2];
    int have_set[2];
    /* after hl_network_build */
    int built;
    hl_chain *chain;
    long *net;                  /* network state -> database index           */
    long *state_of;             /* database index -> network state or -1     */
    size_t n_net, m_net;
    long components, isolated, root, pairs;
    long *net_set[2], *dropped[2];
    size_t n_net_set[2], n_dropped[2];
    hl_network_warning *warn;
    size_t n_warn;
};

/* HL_OK when the built network may be evaluated at k_B T (its valid
 * temperature, network.h: the check of its chain,
 * hl_chain_check_temperature), else HL_EDOM with a one-line message. */
int nw_check_temperature(const hl_network *net, double T);
/* The tolerance of two valid temperatures (HL_CHAIN_VALID_RTOL relative). */
int nw_same_temperature(double a, double b);

/* Database index of id (-1: none). */
long nw_index_of(const hl_network *net, long id);
/* fp itself, or, when it holds gzip data (first byte 0x1f), a stream over
 * its inflated contents in *mem (fclose it, then free *mem);
 * NULL with *st set on a corrupt or truncated stream (network_gunzip.c) */
FILE *nw_gunzip_stream(FILE *fp, const char *name, char **mem, int *st);

/* ---- the line reader of every file of the module ---- */
typedef struct {
    FILE *fp;
    const char *name;  /* clipped, for messages */
    long line;         /* physical line number of the last line read */
    char *buf;
    size_t cap;
} nw_reader;

/* The next line with its line end, trailing and leading blanks and (line
 * 1) a UTF-8 byte-order mark removed, into *s.  1: a line, 0: end of the
 * file, < 0: an error (message set: NUL byte, line too long, read error). */
int nw_read_line(nw_reader *r, char **s);
void nw_reader_free(nw_reader *r);

/* Split s at white space (ws = 1) or at commas (ws = 0, fields trimmed)
 * into at most max fields; returns the number found (max + 1 when there are
 * more). */
int nw_split(char *s, int ws, char **fields, int max);
/* A finite decimal number (Fortran D exponents allowed); 0 if not. */
int nw_parse_double(const char *s, double *v);
/* A decimal integer in range of long; 0 if not. */
int nw_parse_long(const char *s, long *v);

/* Grow *p (of *cap elements of size elem) to hold at least need; HL_OK or
 * HL_ENOMEM / HL_ERANGE (a count that would overflow). */
int nw_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
