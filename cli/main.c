/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c -- hyperland <command> [options] */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#ifdef HL_CLI_MPI
#include <mpi.h>
#endif

int cli_argc;
char **cli_argv;

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: hyperland <command> [options]\n"
            "\n"
            "Stillinger's hypercube model of natural structures (J. Phys. Chem. 1984).\n"
            "\n"
            "commands:\n"
            "  phases   maxima of f = w - beta phi over beta: branches, spinodals,\n"
            "           melting points, saddles; paper Figures 1-4 (eqs 4.11-4.15)\n"
            "  exact    exact thermodynamics at finite D: ln Z, moments, heat\n"
            "           capacity, basin probabilities, finite-D melting (eq 4.9)\n"
            "  spectrum the slowest relaxation rates of the master equation\n"
            "           (eqs 3.6, 3.11, 5.2-5.6)\n"
            "  mfpt     mean first-passage time between the liquid and crystal\n"
            "           basins of the master equation (eq 5.6)\n"
            "  evolve   time evolution of the class distribution Q(n, n1, t) at fixed\n"
            "           beta or under a T(t) protocol (eqs 5.2-5.6)\n"
            "  fokker-planck  the Fokker-Planck equation of the order parameters, full\n"
            "           or linearised: spectrum and evolution (eqs 5.9-5.11)\n"
            "  compare  master equation against Fokker-Planck and Ornstein-Uhlenbeck:\n"
            "           slow in-basin rates and mean relaxation over D (section V)\n"
            "  gaussian Gaussian equilibrium at the maxima: E11, E12, E22, covariance\n"
            "           (eqs 5.7, 5.8)\n"
            "  network  a real energy landscape (PATHSAMPLE database or CSV) as the\n"
            "           master equation of section III: bookkeeping, thermodynamics\n"
            "  lattice-network  the class lattice of eq 5.6 written as a network (CSV)\n"
            "  kmc      exact stochastic trajectories (kinetic Monte Carlo) on the class\n"
            "           lattice or a network: ensembles, populations, first passage\n"
            "  scan     calorimetry on the master equation: cooling (and reheating)\n"
            "           scans, apparent heat capacity, fictive temperature, T_g(q)\n"
            "  kovacs   the Kovacs memory experiment: quench, age, jump; the hump\n"
            "  ageing   two-time autocorrelations after a quench, per waiting time\n"
            "  relaxation  the supercooled liquid's relaxation time against T, T_g,\n"
            "           the Angell plot and the fragility index\n"
            "  paper    reproduce the paper's numbers and figures into a directory\n"
            "\n"
            "Run 'hyperland <command> --help' for the options of a command.\n"
            "  --version   print the version\n"
            "Every command takes --threads N (OpenMP and OpenBLAS threads) and --help.\n");
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(c, "--version")) {
        const char *git = hl_git_commit();
        printf("hyperland %s%s%s%s\n", hl_version(), *git ? " (git " : "", git, *git ? ")" : "");
        return EXIT_OK;
    }
    if (!strcmp(c, "phases"))
        return cmd_phases(argc - 1, argv + 1);
    if (!strcmp(c, "exact"))
        return cmd_exact(argc - 1, argv + 1);
    if (!strcmp(c, "spectrum"))
        return cmd_spectrum(argc - 1, argv + 1);
    if (!strcmp(c, "mfpt"))
        return cmd_mfpt(argc - 1, argv + 1);
    if (!strcmp(c, "evolve"))
        return cmd_evolve(argc - 1, argv + 1);
    if (!strcmp(c, "fokker-planck"))
        return cmd_fokker_planck(argc - 1, argv + 1);
    if (!strcmp(c, "compare"))
        return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(c, "gaussian"))
        return cmd_gaussian(argc - 1, argv + 1);
    if (!strcmp(c, "network"))
        return cmd_network(argc - 1, argv + 1);
    if (!strcmp(c, "lattice-network"))
        return cmd_lattice_network(argc - 1, argv + 1);
    if (!strcmp(c, "kmc"))
        return cmd_kmc(argc - 1, argv + 1);
    if (!strcmp(c, "scan"))
        return cmd_scan(argc - 1, argv + 1);
    if (!strcmp(c, "kovacs"))
        return cmd_kovacs(argc - 1, argv + 1);
    if (!strcmp(c, "ageing"))
        return cmd_ageing(argc - 1, argv + 1);
    if (!strcmp(c, "relaxation"))
        return cmd_relaxation(argc - 1, argv + 1);
    if (!strcmp(c, "paper"))
        return cmd_paper(argc - 1, argv + 1);
    fprintf(stderr, "hyperland: unknown command '%s' (try 'hyperland --help')\n", c);
    return EXIT_USAGE;
}

static int is_command(const char *c)
{
    static const char *cmds[] = {"phases", "exact", "spectrum", "mfpt", "evolve",
                                 "fokker-planck", "compare", "gaussian", "paper", "network",
                                 "lattice-network", "kmc", "scan", "kovacs", "ageing",
                                 "relaxation"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(c, cmds[i]))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    /* before any other thread starts: they all block the termination
     * signals, which one thread takes (cli/signals.c) */
    cli_signals_start();
    cli_argc = argc;
    cli_argv = argv;
#ifdef HL_CLI_MPI
    /* the MPI build (hyperland-mpi): kmc shares its trajectories among the
     * ranks; a rank that fails stops them all */
    MPI_Init(&argc, &argv);
    cli_argc = argc;
    cli_argv = argv;
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank != 0) { /* rank 0 speaks for the run (the ranks fail alike) */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            MPI_Abort(MPI_COMM_WORLD, EXIT_FAIL);
    }
#endif
    int rc = dispatch(argc, argv);
    /* the run's output files all in place, or none; stdout written whole */
    rc = cli_finish(argc >= 2 && is_command(argv[1]) ? argv[1] : NULL, rc);
    /* a termination signal taken during the run ends it by that signal */
    cli_signals_stop();
#ifdef HL_CLI_MPI
    if (rc != EXIT_OK)
        MPI_Abort(MPI_COMM_WORLD, rc);
    MPI_Finalize();
#endif
    return rc;
}
