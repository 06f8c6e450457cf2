/*
 * hyperland -- the hypercube model of natural structures in condensed phases
 * (F. H. Stillinger, "Structural Equilibration in Condensed Phases",
 *  J. Phys. Chem. 88, 1984).
 *
 * Umbrella header: version, status codes and error messages.  Every public
 * function returns an int status: HL_OK (0) on success, a negative HL_E*
 * code on failure.  After a failure, hl_errmsg() gives a one-line sentence
 * naming the problem (per thread; valid until the next failing call in that
 * thread).  The library never prints and never aborts.
 *
 * GSL: the library uses GSL and turns GSL's default error handler (which
 * aborts the process) off with gsl_set_error_handler_off() the first time a
 * model is created (once per process, thread-safely); every GSL status is
 * checked and returned as an HL_E* code.  The handler is process-wide: a
 * program that installs its own GSL handler afterwards overrides this.
 */
#ifndef HYPERLAND_H
#define HYPERLAND_H

#define HL_VERSION_STRING "0.1.0"

/* X-macro: one table for codes and messages, so they never drift apart. */
#define HL_STATUS_TABLE(X)                                                   \
    X(HL_OK, 0, "success")                                                   \
    X(HL_EINVAL, -1, "invalid argument")                                     \
    X(HL_EDOM, -2, "value outside the model's domain")                       \
    X(HL_ENOMEM, -3, "out of memory")                                        \
    X(HL_EPARSE, -4, "formula could not be used")                            \
    X(HL_ENOCONV, -5, "numerical method did not converge")                   \
    X(HL_EIO, -6, "input/output error")                                      \
    X(HL_ERANGE, -7, "result or size out of range")                          \
    X(HL_ENOTFOUND, -8, "requested object does not exist")

enum hl_status {
#define HL_ENUM_ENTRY(name, value, text) name = value,
    HL_STATUS_TABLE(HL_ENUM_ENTRY)
#undef HL_ENUM_ENTRY
};

/* Static description of a status code (never NULL). */
const char *hl_strerror(int status);

/* The message of the last failing library call in this thread ("" if none).
 * Owned by the library; valid until the next failing call in this thread. */
const char *hl_errmsg(void);

/* Library version, e.g. "0.1.0". */
const char *hl_version(void);

#include "hyperland/model.h"
#include "hyperland/thermodynamics.h"
#include "hyperland/exact.h"
#include "hyperland/master.h"
#include "hyperland/sectors.h"
#include "hyperland/evolve.h"
#include "hyperland/gaussian.h"
#include "hyperland/fokker_planck.h"
#include "hyperland/output.h"
#include "hyperland/chain.h"

#endif
