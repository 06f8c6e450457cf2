/* SPDX-License-Identifier: GPL-3.0-or-later */
/* signals.c -- the termination signals of a run, taken by one thread.
 *
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked in every thread of the
 * process and taken by a thread of their own with sigwait(), which removes
 * the run's temporaries (cli_temps_cleanup), stops gnuplot and ends the
 * process by the signal, as it would have ended without hyperland's
 * clean-up.  A handler would not do: METIS (through CHOLMOD and UMFPACK)
 * installs its own SIGTERM handler for the length of each ordering, which
 * longjmp()s out of it, so a SIGTERM then was lost (the run went on and
 * exited 0) or handled in the wrong thread (a hang).  With the signals
 * blocked everywhere METIS's handler never runs; the thread waits for any
 * ordering to end (hl_orderings_hold) before it restores the default action
 * and raises the signal.
 *
 * Every thread: the signals are blocked in main() before any other thread
 * of the run starts (OpenMP's and MPI's threads inherit the mask), and
 * OpenBLAS's workers, started before main() when the library was loaded,
 * are started again (hl_blas_threads_respawn).  A signal ignored or blocked
 * when the run starts (nohup, a script's background job, a parent's mask)
 * stays so.  SIGPIPE is
 * directed at the thread that wrote and keeps its handler (cli/outputs.c).
 * If the thread cannot be started, handlers take all five signals. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const int taken_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NTAKEN (int)(sizeof taken_signals / sizeof taken_signals[0])

static sigset_t initial_mask; /* the mask the process started with */
static sigset_t taken;        /* the signals the thread waits for */
static int started;
static atomic_int caught; /* the signal the thread took, 0 before */

int cli_signals_taken(int sig) { return started && sigismember(&taken, sig) == 1; }

static void *signal_thread(void *arg)
{
    (void)arg;
    int sig = 0;
    while (sigwait(&taken, &sig) != 0)
        ;
    atomic_store(&caught, sig);
    /* no temporary is made, no child started, no rename done after this */
    cli_temps_lock();
    cli_temps_cleanup();
    /* no METIS handler is installed while the lock is held */
    hl_orderings_hold();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig); /* directed at this thread: the default action ends the process */
    _exit(128 + sig);
}

void cli_signals_start(void)
{
    sigemptyset(&taken);
    sigset_t start;
    if (pthread_sigmask(SIG_BLOCK, NULL, &start) != 0)
        sigemptyset(&start);
    for (int i = 0; i < NTAKEN; i++) {
        struct sigaction old;
        /* ignored (nohup, a script's background job) or blocked by the
         * parent: left as it is, as a program without the thread would */
        if (sigaction(taken_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN &&
            sigismember(&start, taken_signals[i]) != 1)
            sigaddset(&taken, taken_signals[i]);
    }
    if (pthread_sigmask(SIG_BLOCK, &taken, &initial_mask) != 0)
        return;
    pthread_t th;
    pthread_attr_t attr;
    int ok = pthread_attr_init(&attr) == 0;
    if (ok) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        ok = pthread_create(&th, &attr, signal_thread, NULL) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!ok) { /* handlers instead (cli/outputs.c) */
        pthread_sigmask(SIG_SETMASK, &initial_mask, NULL);
        return;
    }
    started = 1;
    /* OpenBLAS's workers began before main() with the initial mask */
    hl_blas_threads_respawn();
}

int cli_signals_child_reset(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
        struct sigaction sa;
        if (sigaction(sigs[k], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
            signal(sigs[k], SIG_DFL);
    }
    if (!started)
        return 0;
    sigprocmask(SIG_SETMASK, &initial_mask, NULL);
    return 1;
}

int cli_signals_caught(void) { return atomic_load(&caught); }

void cli_signals_await_end(void)
{
    if (!atomic_load(&caught))
        return;
    for (;;)
        pause(); /* the signal thread ends the process */
}

void cli_signals_stop(void)
{
    if (!started)
        return;
    /* the signal thread holds this lock for good once it has taken a
     * signal: wait for it to end the process rather than exit with the
     * code of a run it cut short */
    cli_temps_lock();
    cli_signals_await_end();
}
