/* fuzz_options.c -- fuzz target: the CLI's number and list parsers
 * (cli/options.c, cli/trajectory.c, cli/compare.c): cli_parse_double,
 * cli_parse_long, cli_parse_beta, cli_parse_rtol, cli_parse_times (--times)
 * and cli_compare_parse_dims (compare --dims), each on the whole input.
 * Properties: what is accepted is in the documented range (finite numbers;
 * beta in (0, 1e6]; rtol in [1e-14, 1e-2]; times finite, >= 0 and strictly
 * increasing; dims even, in [10, CLI_COMPARE_DIM_MAX] and increasing). */
#include <math.h>
#include <stdlib.h>

#include "cli.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = fuzz_cstring(data, size);
    if (!s)
        return 0;
    double v;
    long l;
    if (cli_parse_double("fuzz", "--x", s, &v))
        FUZZ_CHECK(isfinite(v));
    (void)cli_parse_long("fuzz", "--n", s, &l);
    if (cli_parse_beta("fuzz", "--beta", s, &v))
        FUZZ_CHECK(v > 0 && v <= 1e6);
    if (cli_parse_rtol("fuzz", s, &v))
        FUZZ_CHECK(v >= 1e-14 && v <= 1e-2);

    double *t = NULL;
    size_t n = 0;
    if (cli_parse_times("fuzz", s, &t, &n)) {
        FUZZ_CHECK(t != NULL && n >= 1);
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(isfinite(t[i]) && t[i] >= 0);
            FUZZ_CHECK(i == 0 || t[i] > t[i - 1]);
        }
        free(t);
    }

    cli_compare_opts o;
    cli_compare_defaults(&o);
    if (cli_compare_parse_dims("fuzz", s, &o)) {
        FUZZ_CHECK(o.nd >= 1 && o.nd <= CLI_COMPARE_MAX_DIMS);
        for (int i = 0; i < o.nd; i++) {
            FUZZ_CHECK(o.dims[i] >= 10 && o.dims[i] <= CLI_COMPARE_DIM_MAX);
            FUZZ_CHECK(o.dims[i] % 2 == 0);
            FUZZ_CHECK(i == 0 || o.dims[i] > o.dims[i - 1]);
        }
    }
    return 0;
}
