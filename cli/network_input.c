/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_input.c -- reading a kinetic transition network from the command
 * line's input options (network_input.h), for `network` and `kmc`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "network_input.h"

/* Paths made from --db DIR: they stay recorded in the provenance (kept
 * until the program ends). */
static char *db_paths[4];

static void free_paths(void)
{
    for (int i = 0; i < 4; i++) {
        free(db_paths[i]);
        db_paths[i] = NULL;
    }
}

static char *join(const char *dir, const char *leaf)
{
    size_t n = strlen(dir) + strlen(leaf) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, leaf);
    return p;
}

/* set when an input is an output of the same run (EXIT_USAGE) */
static int input_clash;

/* Open an input through the provenance; NULL after a message.  It is
 * declared first, so that no output of the run can overwrite it (an output
 * named later is refused as well: cli_output_declare). */
static FILE *open_in(const char *cmd, const char *what, const char *path)
{
    if (!cli_input_declare(cmd, what, path)) {
        input_clash = 1;
        return NULL;
    }
    FILE *fp = cli_input_open(cmd, path);
    if (!fp)
        cli_error(cmd, "cannot read %s '%s': %s", what, cli_clip(path), strerror(errno));
    return fp;
}

static int read_set(const char *cmd, hl_network *net, int which, const char *spec)
{
    int st;
    if (spec[0] == '@') {
        FILE *fp = open_in(cmd, which ? "set B" : "set A", spec + 1);
        if (!fp)
            return 0;
        st = hl_network_read_set_stream(net, which, fp, spec + 1);
        fclose(fp);
    } else {
        st = hl_network_set_list(net, which, spec);
    }
    if (st) {
        cli_lib_error(cmd, st);
        return 0;
    }
    return 1;
}

int cli_network_input_option(cli_network_input *in, int c, const char *arg)
{
    switch (c) {
    case CLI_NETIN_DB: in->db = arg; return 1;
    case CLI_NETIN_MIN: in->minf = arg; return 1;
    case CLI_NETIN_TS: in->tsf = arg; return 1;
    case CLI_NETIN_STATES: in->states = arg; return 1;
    case CLI_NETIN_TRANSITIONS: in->trans = arg; return 1;
    case CLI_NETIN_A: in->spec[0] = arg; return 1;
    case CLI_NETIN_B: in->spec[1] = arg; return 1;
    default: return 0;
    }
}

int cli_network_input_given(const cli_network_input *in)
{
    return in->db || in->minf || in->tsf || in->states || in->trans;
}

int cli_network_input_check(const char *cmd, const cli_network_input *in)
{
    int forms = !!in->db + !!(in->minf || in->tsf) + !!(in->states || in->trans);
    if (forms != 1) {
        cli_error(cmd, "give one input: --db DIR, --min FILE --ts FILE, or --states FILE "
                       "--transitions FILE (see --help)");
        return EXIT_USAGE;
    }
    if ((in->minf || in->tsf) && !(in->minf && in->tsf)) {
        cli_error(cmd, "--min and --ts go together");
        return EXIT_USAGE;
    }
    if ((in->states || in->trans) && !(in->states && in->trans)) {
        cli_error(cmd, "--states and --transitions go together");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cli_network_input_load(const char *cmd, cli_network_input *in, hl_network **out)
{
    *out = NULL;
    int set_from_db[2] = {0, 0}, st;
    const char *minf = in->minf, *tsf = in->tsf;
    if (in->db) {
        struct stat sb;
        if (stat(in->db, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            cli_error(cmd, "--db '%s' is not a directory", cli_clip(in->db));
            return EXIT_FAIL;
        }
        const char *leaf[4] = {"min.data", "ts.data", "min.A", "min.B"};
        for (int i = 0; i < 4; i++)
            if (!(db_paths[i] = i < 2 ? hl_network_db_file(in->db, leaf[i]) : join(in->db, leaf[i]))) {
                free_paths();
                cli_error(cmd, "out of memory");
                return EXIT_FAIL;
            }
        minf = db_paths[0];
        tsf = db_paths[1];
        for (int w = 0; w < 2; w++)
            set_from_db[w] = !in->spec[w] && access(db_paths[2 + w], F_OK) == 0;
    }
    in->form = (minf && tsf) ? "PATHSAMPLE" : "CSV";
    in->p1 = minf ? minf : in->states;
    in->p2 = tsf ? tsf : in->trans;
    hl_network *net = NULL;
    FILE *f1 = open_in(cmd, minf ? "minima" : "states", in->p1);
    FILE *f2 = f1 ? open_in(cmd, tsf ? "transition states" : "transitions", in->p2) : NULL;
    if (!f1 || !f2) {
        if (f1)
            fclose(f1);
        return input_clash ? EXIT_USAGE : EXIT_FAIL;
    }
    st = minf ? hl_network_read_pathsample_stream(f1, in->p1, f2, in->p2, &net)
              : hl_network_read_csv_stream(f1, in->p1, f2, in->p2, &net);
    fclose(f1);
    fclose(f2);
    if (st) {
        cli_lib_error(cmd, st);
        return EXIT_FAIL;
    }
    for (int w = 0; w < 2; w++) {
        if (set_from_db[w]) {
            FILE *fp = open_in(cmd, w ? "set B" : "set A", db_paths[2 + w]);
            if (!fp)
                goto fail;
            st = hl_network_read_set_stream(net, w, fp, db_paths[2 + w]);
            fclose(fp);
            if (st) {
                cli_lib_error(cmd, st);
                goto fail;
            }
            in->spec[w] = db_paths[2 + w];
        } else if (in->spec[w] && !read_set(cmd, net, w, in->spec[w])) {
            goto fail;
        }
    }
    if ((st = hl_network_build(net, NULL)) != HL_OK) {
        cli_lib_error(cmd, st);
        goto fail;
    }
    *out = net;
    return EXIT_OK;
fail:
    hl_network_free(net);
    return input_clash ? EXIT_USAGE : EXIT_FAIL;
}
