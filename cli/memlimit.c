/* SPDX-License-Identifier: GPL-3.0-or-later */
/* memlimit.c -- the memory estimate of the class-lattice methods and its
 * limit (memlimit.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "memlimit.h"

static double opt_limit = -1; /* --max-memory; -1: not given */

/* SIZE as bytes: > 0, or -1 when it is not a size */
static double parse_size(const char *s)
{
    if (!s || !*s)
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || end == s || !(v > 0) || !isfinite(v))
        return -1;
    double mul = 1;
    switch (*end) {
    case 0: break;
    case 'k': case 'K': mul = 1024.0; end++; break;
    case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
    case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
    case 't': case 'T': mul = 1024.0 * 1024 * 1024 * 1024; end++; break;
    default: return -1;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    return *end ? -1 : v * mul;
}

int cli_max_memory_option(const char *cmd, const char *arg)
{
    double v = parse_size(arg);
    if (!(v >= 1e6)) {
        cli_error(cmd, "--max-memory '%s' is not a size of at least 1M (bytes, or with K, M, G, "
                       "T)", cli_clip(arg));
        return 0;
    }
    opt_limit = v;
    return 1;
}

int cli_max_memory_handle(const char *cmd, int c, const char *arg)
{
    if (c != CLI_MAX_MEMORY_CODE)
        return 0;
    return cli_max_memory_option(cmd, arg) ? 1 : -1;
}

/* the limit and where it comes from; -1 after a one-line error */
static double mem_limit(const char *cmd, const char **from)
{
    if (opt_limit > 0) {
        *from = "--max-memory";
        return opt_limit;
    }
    const char *env = getenv("HYPERLAND_MAX_MEMORY");
    if (env && *env) {
        double v = parse_size(env);
        if (!(v >= 1e6)) {
            cli_error(cmd, "HYPERLAND_MAX_MEMORY='%s' is not a size of at least 1M (bytes, or "
                           "with K, M, G, T)", cli_clip(env));
            return -1;
        }
        *from = "HYPERLAND_MAX_MEMORY";
        return v;
    }
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    if (pages > 0 && psz > 0) {
        *from = "half the physical memory; --max-memory or HYPERLAND_MAX_MEMORY";
        return 0.5 * (double)pages * (double)psz;
    }
    *from = "the physical memory is unknown: 4 GiB; --max-memory or HYPERLAND_MAX_MEMORY";
    return 4.0 * 1024 * 1024 * 1024;
}

/* The factor of the chain engine on a k-dimensional grid of n classes:
 * nested dissection fills n log2 n (k = 2), n^(2 - 2/k) beyond (k = 3, 4:
 * 51^3 classes gave nnz(L) 4.1e7, about 6 n^(4/3); 16^4, 11^4 about 3.3
 * n^(3/2)), at most dense; 16 bytes an entry (value, index, the
 * supernodes' slack).  One dimension: a chain, no fill.  Measured peaks
 * (2 cores, /usr/bin/time): k = 2, 101^2: 26 MB (estimate 31 MB); k = 3,
 * 51^3: 664 MB (735 MB); k = 4, 16^4: 879 MB (990 MB). */
static double factor_entries(int k, double n)
{
    double f;
    if (k <= 1)
        f = 3 * n;
    else if (k == 2)
        f = 7 * n * log2(n > 2 ? n : 2);
    else
        f = (k == 3 ? 6.0 : 3.5) * pow(n, 2.0 - 2.0 / k);
    return fmin(f, 0.5 * n * n + n);
}

double cli_mem_estimate(int method, int k, double n, int count)
{
    if (method == CLI_MEM_LINEAR)
        return CLI_MEM_LINEAR_BYTES * n + 16e6;
    /* the chain (2k edges a class: the edge list, the merged chain and its
     * adjacency, ~120 bytes per edge), count + 2 vectors, ~25 more arrays of
     * n doubles, the factor, and the program's own ~16 MB */
    double lin = (120.0 * k + 8.0 * (count + 2) + 200.0) * n;
    return lin + 16.0 * factor_entries(k, n) + 16e6;
}

static void fmt_bytes(double v, char *buf, size_t len)
{
    const char *u[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
    int i = 0;
    while (v >= 1000 && i < 6) {
        v /= 1000;
        i++;
    }
    snprintf(buf, len, v < 10 ? "%.1f %s" : "%.0f %s", v, u[i]);
}

int cli_memory_ok(const char *cmd, int method, int k, double n, int count, const char *desc,
                  const char *advice)
{
    const char *from = "";
    double lim = mem_limit(cmd, &from);
    if (lim < 0)
        return 0;
    double need = cli_mem_estimate(method, k, n, count);
    if (need <= lim)
        return 1;
    char nb[32], lb[32];
    fmt_bytes(need, nb, sizeof nb);
    fmt_bytes(lim, lb, sizeof lb);
    cli_error(cmd, "%s (%.4g classes) would need about %s (estimated, %s), above the limit of "
                   "%s (%s): %s",
              desc, n, nb, method == CLI_MEM_LINEAR ? "a pass over the classes"
                                                    : "the chain and its sparse factor",
              lb, from, advice);
    return 0;
}

int cli_blocks_memory_ok(const char *cmd, const hl_blocks *b, int method, int count,
                         const char *what)
{
    int k = hl_blocks_k(b);
    long D = hl_blocks_dim(b);
    double n = 1;
    int equal = 1;
    for (int i = 0; i < k; i++) {
        n *= (double)hl_blocks_size(b, i) + 1;
        equal = equal && hl_blocks_size(b, i) == hl_blocks_size(b, 0);
    }
    char desc[200], adv[300];
    snprintf(desc, sizeof desc, "%s on D = %ld in %d block%s", what, D, k, k == 1 ? "" : "s");
    const char *from = "";
    double lim = mem_limit(cmd, &from);
    if (lim < 0)
        return 0;
    /* the largest multiple of k whose lattice fits, for equal blocks */
    long best = 0;
    if (equal) {
        long lo = 0, hi = D / k; /* block sizes: lo fits (or 0), hi does not */
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (cli_mem_estimate(method, k, pow((double)mid + 1, k), count) <= lim)
                lo = mid;
            else
                hi = mid;
        }
        best = lo * k;
    }
    /* the routes that need no lattice (two equal blocks, the paper's phi
     * and B = 1): spectrum's separable chains, mfpt's separable n2 chain */
    const char *route = "";
    if (k == 2 && equal && method == CLI_MEM_FACTOR && !strcmp(cmd, "spectrum"))
        route = " (or the paper's phi with B = 1: spectrum's separable chains)";
    else if (k == 2 && equal && method == CLI_MEM_FACTOR && !strcmp(cmd, "mfpt"))
        route = " (or the paper's phi with B = 1, one basin each way and no --method or "
                "--committor: the separable chain)";
    else if (k == 2 && equal && method == CLI_MEM_FACTOR && !strcmp(cmd, "evolve"))
        route = " (or the paper's phi with B = 1 from a product start: the product of the "
                "blocks' chains)";
    if (best > 0)
        snprintf(adv, sizeof adv, "use --dim %ld or less%s, or raise the limit if the machine has "
                                  "the memory",
                 best, route);
    else
        snprintf(adv, sizeof adv, "use smaller blocks or fewer of them, or raise the limit");
    return cli_memory_ok(cmd, method, k, n, count, desc, adv);
}
