/* SPDX-License-Identifier: GPL-3.0-or-later */
/* timing.h -- stage timers for performance work (private to the library).
 *
 * With the environment variable HL_TIMING set (to anything but "0"), every
 * hl_stage_done call writes one line to stderr:
 *   hl-timing: <stage> <seconds> s (peak RSS <MB> MB)[ <note>]
 * Without it the timers cost one clock read each and print nothing.  The
 * output of a command (stdout, files) never changes. */
#ifndef HL_TIMING_H
#define HL_TIMING_H

/* Monotonic wall-clock time in seconds. */
double hl_now(void);

/* 1 if HL_TIMING is set (read once). */
int hl_timing_on(void);

/* Report the stage `name` that started at t0 (from hl_now); note may be
 * NULL.  Returns hl_now(), so that stages can be chained. */
double hl_stage_done(const char *name, double t0, const char *note);

#endif
