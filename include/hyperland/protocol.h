/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * protocol.h -- a temperature protocol: beta(t) or T(t), piecewise linear
 * between rows (t_k, value_k), constant after the last row.  It drives the
 * master equation (evolve.h, fokker_planck.h): the rates of eq 5.2 are
 * rebuilt at beta(t) whenever it changes, and integrators restart at each
 * row (a kink in beta(t)).
 *
 * Units: t in units of 1/B (the time of the master equation); beta and T in
 * the units of phi (k_B = 1), T = 1/beta.
 *
 * Ownership: hl_protocol is an opaque handle that ALWAYS owns its rows.
 * Every constructor copies what it is given (nothing points into the
 * caller's storage), and every protocol is released with hl_protocol_free,
 * whatever made it.  A protocol is immutable after construction: it may be
 * shared by any number of runs and threads, and must outlive every call
 * that is given it (no call keeps a reference after it returns).
 *
 * Rows (checked by every constructor): n >= 1; t_0 = 0; t strictly
 * increasing and finite; beta in (0, 1e6] or T in [1e-6, inf), finite.
 *
 * Errors: HL_EINVAL (NULL argument, unknown variable, n = 0), HL_EDOM (a
 * row out of range, naming it), HL_ENOMEM; the readers also HL_EIO (the
 * file cannot be read) and HL_EPARSE (naming file and line).  On error *out
 * is set to NULL and nothing needs freeing.
 */
#ifndef HYPERLAND_PROTOCOL_H
#define HYPERLAND_PROTOCOL_H

#include <stddef.h>
#include <stdio.h>
#include "hyperland/model.h"

/* The variable that is piecewise linear in t. */
enum { HL_PROTOCOL_BETA = 0, HL_PROTOCOL_T = 1 };

typedef struct hl_protocol hl_protocol;

/* ------------------------------------------------------------ construct */

/* A fixed inverse temperature: one row (0, beta), var HL_PROTOCOL_BETA.
 * HL_EDOM if beta is not in (0, 1e6]. */
int hl_protocol_create_fixed(double beta, hl_protocol **out);

/* n rows (t[k], value[k]) of var (HL_PROTOCOL_BETA or HL_PROTOCOL_T),
 * copied: t and value stay the caller's and may be freed right after. */
int hl_protocol_create(int var, size_t n, const double *t, const double *value,
                       hl_protocol **out);

/* Read a protocol file: '#' comment lines and blank lines, a header line
 * "t,T" or "t,beta", then rows "t,value" (a UTF-8 byte-order mark and CRLF
 * line ends are accepted).  HL_EIO if it cannot be opened or read,
 * HL_EPARSE naming file and line for anything else (a row out of range
 * included). */
int hl_protocol_read(const char *path, hl_protocol **out);

/* The same from an open stream (read to its end, not closed: the stream
 * stays the caller's); name is the file name that messages show.  For an
 * input that can be read only once (a pipe or FIFO) read its bytes once,
 * hash them, and parse them from memory (fmemopen). */
int hl_protocol_read_stream(FILE *fp, const char *name, hl_protocol **out);

/* Release p and its rows.  NULL is a no-op. */
void hl_protocol_free(hl_protocol *p);

/* --------------------------------------------------------------- access */

/* HL_OK for a protocol (made by a constructor above); HL_EINVAL for NULL. */
int hl_protocol_check(const hl_protocol *p);

/* HL_PROTOCOL_BETA or HL_PROTOCOL_T. */
int hl_protocol_var(const hl_protocol *p);
/* Number of rows (>= 1). */
size_t hl_protocol_rows(const hl_protocol *p);
/* Row k (k < rows): its time t_k and value (beta or T, as var says). */
double hl_protocol_time(const hl_protocol *p, size_t k);
double hl_protocol_value(const hl_protocol *p, size_t k);

/* beta at time t (t >= 0; before 0 the first row's): linear interpolation
 * of beta or of T between the rows around t (beta = 1/T(t) for a T
 * protocol), the last row's value after it. */
double hl_protocol_beta(const hl_protocol *p, double t);

/* The time from which beta stays constant: t of the first row of the run of
 * equal values that ends the protocol (0 for a fixed beta, or a protocol
 * whose rows all have the same value). */
double hl_protocol_settle_time(const hl_protocol *p);

/* The largest beta the protocol visits (beta(t) is piecewise monotone
 * between rows, so it is the largest over the rows). */
double hl_protocol_beta_max(const hl_protocol *p);

/* Check the model's transmission B(x, y, T) at every temperature the
 * protocol visits: T(t) (or 1/beta(t)) is continuous and piecewise linear,
 * so it fills [min, max] of its rows, and B must be positive and finite on
 * the whole square for every T there (hl_model_check_transmission_range).
 * HL_EDOM naming the point (x, y, T) and the value otherwise. */
int hl_protocol_check_transmission(const hl_model *m, const hl_protocol *p);

#endif
