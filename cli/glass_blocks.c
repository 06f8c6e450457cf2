/* SPDX-License-Identifier: GPL-3.0-or-later */
/* glass_blocks.c -- the chain and fixed liquid basin of the model of k
 * blocks for scan, kovacs and ageing (glass_blocks.h). */
#include "glass_blocks.h"

#include <stdlib.h>

#include "cli.h"
#include "hyperland/blocks_kinetics.h"

int cli_glass_blocks_chain(const char *cmd, const hl_blocks *b, double t_basin, const char *name,
                           hl_chain **chain, long **set, size_t *n, double **phi)
{
    *chain = NULL;
    *set = NULL;
    *n = 0;
    if (phi)
        *phi = NULL;
    if (hl_blocks_transmission_uses_t(b)) {
        cli_error(cmd, "--blocks with a transmission that depends on T is not supported here "
                       "(the chain path keeps one chain for every T; `relaxation --blocks` "
                       "rebuilds it at each T)");
        return 0;
    }
    long nc = hl_blocks_n_classes(b);
    long *s = malloc(sizeof(long) * (size_t)(nc > 0 ? nc : 1));
    double *f = phi ? malloc(sizeof(double) * (size_t)(nc > 0 ? nc : 1)) : NULL;
    if (!s || (phi && !f)) {
        cli_error(cmd, "out of memory (%ld classes)", nc);
        goto fail;
    }
    int st = hl_blocks_basin_classes(b, NULL, t_basin, name, s, n);
    if (st) {
        cli_lib_error(cmd, st);
        goto fail;
    }
    if (!*n) {
        cli_error(cmd, "no basin '%s' at T = %g (basins: liquid, crystal, b1, b2, ... or "
                       "m=v1,...,vk; see exact --blocks)",
                  cli_clip(name), t_basin);
        goto fail;
    }
    if (f) {
        double m[HL_BLOCKS_MAX];
        for (long i = 0; i < nc; i++) {
            hl_blocks_class(b, i, NULL, m);
            f[i] = hl_blocks_phi(b, m);
        }
    }
    /* beta = 1 / t_basin; B does not depend on T, so the chain's energy
     * parts (D phi) carry every other beta exactly */
    if ((st = hl_blocks_chain(b, 1.0 / t_basin, chain))) {
        cli_lib_error(cmd, st);
        goto fail;
    }
    *set = s;
    if (phi)
        *phi = f;
    return 1;
fail:
    free(s);
    free(f);
    *n = 0;
    return 0;
}
