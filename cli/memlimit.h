/* SPDX-License-Identifier: GPL-3.0-or-later */
/* memlimit.h -- the memory a class-lattice computation will need, estimated
 * from the class count and the method before anything is allocated, and
 * the limit it must fit: --max-memory SIZE where a command has it, else
 * the environment variable HYPERLAND_MAX_MEMORY, else half the physical
 * memory (sysconf).  SIZE: bytes, or a number with K, M, G or T (powers of
 * 1024), e.g. 4G, 500M, 1.5e9. */
#ifndef HL_MEMLIMIT_H
#define HL_MEMLIMIT_H

#include "hyperland/blocks.h"

/* The methods whose memory is estimated. */
enum {
    CLI_MEM_LINEAR = 0, /* a pass over the classes (exact sums, writing the
                           lattice): CLI_MEM_LINEAR_BYTES per class        */
    CLI_MEM_FACTOR = 1  /* the chain engine on the whole lattice: the chain,
                           count vectors and a sparse factor (graph
                           transformation / CHOLMOD, nested dissection)   */
};
#define CLI_MEM_LINEAR_BYTES 48.0

/* The --max-memory option of a command ("max-memory", required argument). */
#define CLI_MAX_MEMORY_CODE 0x6d6d
#define CLI_MAX_MEMORY_OPTION {"max-memory", required_argument, 0, CLI_MAX_MEMORY_CODE}
#define CLI_MAX_MEMORY_HELP                                                               \
    "  --max-memory SIZE    refuse up front when the estimated memory is above SIZE\n"    \
    "                       (bytes or with K/M/G/T; default HYPERLAND_MAX_MEMORY, else\n"  \
    "                       half the physical memory)\n"

/* Read --max-memory: 1, or 0 after a one-line error. */
int cli_max_memory_option(const char *cmd, const char *arg);

/* Handle one getopt code c with argument arg in a command's option loop
 * (every command that estimates memory takes CLI_MAX_MEMORY_OPTION and
 * CLI_MAX_MEMORY_HELP and calls this before its own switch): 1 if c was
 * --max-memory (read), 0 if not; -1 after a one-line error (exit
 * EXIT_USAGE). */
int cli_max_memory_handle(const char *cmd, int c, const char *arg);

/* The bytes estimated for method on n classes of a k-dimensional lattice
 * with count vectors (the rates or times wanted). */
double cli_mem_estimate(int method, int k, double n, int count);

/* 1 when method on the class lattice of b fits the limit, else 0 after a
 * one-line error naming the estimate, the limit and what to do (the
 * largest --dim that fits for equal blocks); what: the computation.
 * Also 0 (EXIT_USAGE) for a bad HYPERLAND_MAX_MEMORY. */
int cli_blocks_memory_ok(const char *cmd, const hl_blocks *b, int method, int count,
                         const char *what);

/* The same for a lattice of n classes in k dimensions described by desc
 * (e.g. "the contracted classes of D = 5000"); advice: what to do. */
int cli_memory_ok(const char *cmd, int method, int k, double n, int count, const char *desc,
                  const char *advice);

#endif
