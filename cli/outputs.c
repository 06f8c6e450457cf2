/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outputs.c -- the files of one run, written all or none.
 *
 * Every output path is declared when the options are read: its temporary
 * file is made then (so an unwritable path fails before any computation),
 * it is checked against the run's input files and the other outputs, and
 * '-' means standard output.  Writers fill the temporaries; cli_finish()
 * (called by main once the command returns) puts them all in place when
 * the command succeeded and removes them all otherwise.  SIGINT, SIGTERM,
 * SIGHUP, SIGQUIT (taken by the thread of cli/signals.c) and SIGPIPE (a
 * handler here) remove the temporaries (and stop gnuplot) before the
 * process dies of the signal as it would have. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

/* ------------------------------------------------------ temporaries */

#define MAX_TEMPS 48
#define TEMP_LEN 4096
static char temp_name[MAX_TEMPS][TEMP_LEN];
static volatile sig_atomic_t temp_used[MAX_TEMPS];
static volatile sig_atomic_t child_pid;
static int handlers_installed;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
#define NSIG_CLEAN (int)(sizeof cleanup_signals / sizeof cleanup_signals[0])

void cli_temps_cleanup(void)
{
    /* async-signal-safe: kill(2), waitpid(2), unlink(2) */
    pid_t c = (pid_t)child_pid;
    if (c > 0) {
        kill(c, SIGKILL);
        waitpid(c, NULL, 0);
    }
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temp_used[i])
            unlink(temp_name[i]);
}

/* SIGPIPE (and, when cli/signals.c could not start its thread, the other
 * cleanup signals): a handler in the thread that took the signal */
static void on_signal(int sig)
{
    cli_temps_cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    handlers_installed = 1;
    for (int i = 0; i < NSIG_CLEAN; i++) {
        struct sigaction old, sa;
        if (cli_signals_taken(cleanup_signals[i]))
            continue; /* cli/signals.c's thread takes it */
        if (sigaction(cleanup_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue; /* ignored (nohup, background): leave it so */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (int k = 0; k < NSIG_CLEAN; k++)
            sigaddset(&sa.sa_mask, cleanup_signals[k]);
        sigaction(cleanup_signals[i], &sa, NULL);
    }
}

/* The making and registering of a file, the start of a child and the
 * renames hold this lock (cli_temps_lock) with the handled signals blocked
 * in the thread: the signal thread's clean-up (cli/signals.c) takes the lock
 * and never gives it back, so nothing is made after it has looked. */
static pthread_mutex_t temps_mutex = PTHREAD_MUTEX_INITIALIZER;
static sigset_t temps_old_mask; /* the holder's mask before cli_temps_lock */

void cli_temps_lock(void)
{
    sigset_t s, old;
    sigemptyset(&s);
    for (int i = 0; i < NSIG_CLEAN; i++)
        sigaddset(&s, cleanup_signals[i]);
    pthread_sigmask(SIG_BLOCK, &s, &old);
    pthread_mutex_lock(&temps_mutex);
    temps_old_mask = old;
}

void cli_temps_unlock(void)
{
    sigset_t old = temps_old_mask;
    pthread_mutex_unlock(&temps_mutex);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int cli_temp_register(const char *path)
{
    install_handlers();
    if (strlen(path) >= TEMP_LEN)
        return -1;
    for (int i = 0; i < MAX_TEMPS; i++)
        if (!temp_used[i]) {
            strcpy(temp_name[i], path);
            temp_used[i] = 1;
            return i;
        }
    return -1;
}

void cli_temp_forget(int slot)
{
    if (slot >= 0 && slot < MAX_TEMPS)
        temp_used[slot] = 0;
}

void cli_child_running(long pid) { child_pid = (sig_atomic_t)pid; }

int cli_temp_make(char *templ)
{
    cli_temps_lock();
    int fd = mkstemp(templ);
    int slot = fd >= 0 ? cli_temp_register(templ) : -1;
    cli_temps_unlock();
    if (fd >= 0 && slot < 0) {
        close(fd);
        unlink(templ);
        errno = ENAMETOOLONG;
        return -1;
    }
    if (fd >= 0)
        close(fd);
    return fd >= 0 ? slot : -1;
}

/* ----------------------------------------------------------- outputs */

#define MAX_OUTPUTS 32
#define MAX_INPUTS 8

typedef struct {
    char *path;  /* as given */
    const char *opt;
    hl_atomic_file *f;
    int slot;    /* in the temporaries' registry */
    int written; /* a writer asked for it */
    int is_stdout, png;
    int exists, regular;
    dev_t dev;
    ino_t ino;
    char *canon; /* the target's directory, resolved, and its name */
} output;

typedef struct {
    const char *opt, *path;
    dev_t dev;
    ino_t ino;
} input;

static output outs[MAX_OUTPUTS];
static int nouts;
static input ins[MAX_INPUTS];
static int nins;
static const char *stdout_owner;
static int fail_code = EXIT_FAIL; /* of the last refusal */
static int saved_stdout = -1;

static void drop(output *o, int commit_failed)
{
    (void)commit_failed;
    cli_temp_forget(o->slot);
    free(o->path);
    free(o->canon);
    memset(o, 0, sizeof *o);
    o->slot = -1;
}

static char *canonical(const char *target)
{
    const char *s = strrchr(target, '/');
    char dir[4096];
    const char *base = s ? s + 1 : target;
    if (!s)
        strcpy(dir, ".");
    else if (s == target)
        strcpy(dir, "/");
    else {
        size_t n = (size_t)(s - target);
        if (n >= sizeof dir)
            return NULL;
        memcpy(dir, target, n);
        dir[n] = 0;
    }
    char *rd = realpath(dir, NULL);
    if (!rd)
        return NULL;
    size_t n = strlen(rd) + strlen(base) + 2;
    char *c = malloc(n);
    if (c)
        snprintf(c, n, "%s/%s", rd, base);
    free(rd);
    return c;
}

int cli_outputs_status(void) { return fail_code; }

int cli_stdout_claim(const char *cmd, const char *what)
{
    if (stdout_owner) {
        fail_code = EXIT_USAGE;
        cli_error(cmd, "%s and %s both write to stdout: give one of them a file", stdout_owner,
                  what);
        return 0;
    }
    /* a copy: the caller's string may be a buffer it reuses (the next
     * "OPT -" would otherwise rename this owner in the clash message) */
    static char owner[80];
    snprintf(owner, sizeof owner, "%s", what);
    stdout_owner = owner;
    return 1;
}

static const char *input_clash(const output *o)
{
    for (int i = 0; i < nins; i++)
        if (o->exists && o->regular && ins[i].dev == o->dev && ins[i].ino == o->ino)
            return ins[i].opt;
    return NULL;
}

int cli_output_declare(const char *cmd, const char *opt, const char *path, int png)
{
    fail_code = EXIT_FAIL;
    if (!path || !*path) {
        fail_code = EXIT_USAGE;
        cli_error(cmd, "%s needs a file name ('-' for stdout)", opt);
        return 0;
    }
    if (nouts == MAX_OUTPUTS) {
        cli_error(cmd, "too many output files");
        return 0;
    }
    output *o = &outs[nouts];
    memset(o, 0, sizeof *o);
    o->slot = -1;
    o->opt = opt;
    o->png = png;
    if (!(o->path = malloc(strlen(path) + 1))) {
        cli_error(cmd, "out of memory");
        return 0;
    }
    strcpy(o->path, path);
    int st;
    if (!strcmp(path, "-")) {
        char owner[64];
        snprintf(owner, sizeof owner, "%.60s -", opt);
        if (!cli_stdout_claim(cmd, owner)) {
            drop(o, 0);
            return 0;
        }
        /* stdout carries this file: the command's report goes to stderr */
        fflush(stdout);
        saved_stdout = dup(STDOUT_FILENO);
        if (saved_stdout < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
            cli_error(cmd, "%s -: cannot use stdout: %s", opt, strerror(errno));
            drop(o, 0);
            return 0;
        }
        o->is_stdout = 1;
        cli_temps_lock();
        st = hl_atomic_open_fd(saved_stdout, "stdout", &o->f);
    } else {
        cli_temps_lock();
        st = hl_atomic_open(path, &o->f);
    }
    if (st == HL_OK)
        o->slot = cli_temp_register(hl_atomic_temp_path(o->f));
    cli_temps_unlock();
    if (st != HL_OK) {
        cli_lib_error(cmd, st);
        drop(o, 0);
        return 0;
    }
    nouts++;
    if (o->slot < 0) {
        cli_error(cmd, "%s '%s': too many output files or too long a name", opt, path);
        return 0;
    }
    if (png && strchr(hl_atomic_temp_path(o->f), '\'')) {
        cli_error(cmd, "%s '%s': gnuplot cannot write a path with a single quote", opt, path);
        return 0;
    }
    if (o->is_stdout)
        return 1;
    const char *target = hl_atomic_target(o->f);
    struct stat sb;
    if (stat(target, &sb) == 0) {
        o->exists = 1;
        o->regular = S_ISREG(sb.st_mode);
        o->dev = sb.st_dev;
        o->ino = sb.st_ino;
    }
    o->canon = canonical(target);
    const char *in = input_clash(o);
    if (in) {
        fail_code = EXIT_USAGE;
        cli_error(cmd, "%s '%s' is the %s file of this run: refusing to overwrite an input",
                  opt, path, in);
        return 0;
    }
    if (o->exists && !o->regular)
        return 1; /* a device or FIFO twice is the user's business */
    for (int i = 0; i < nouts - 1; i++) {
        const output *p = &outs[i];
        if (p->is_stdout || (p->exists && !p->regular))
            continue;
        int same = (o->exists && p->exists && o->dev == p->dev && o->ino == p->ino) ||
                   (o->canon && p->canon && !strcmp(o->canon, p->canon));
        if (same) {
            fail_code = EXIT_USAGE;
            cli_error(cmd, "%s '%s' and %s '%s' are the same file", p->opt, p->path, opt, path);
            return 0;
        }
    }
    return 1;
}

int cli_input_declare(const char *cmd, const char *opt, const char *path)
{
    struct stat sb;
    if (!path || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 1; /* the reader reports what is wrong with it */
    if (nins < MAX_INPUTS) {
        ins[nins].opt = opt;
        ins[nins].path = path;
        ins[nins].dev = sb.st_dev;
        ins[nins].ino = sb.st_ino;
        nins++;
    }
    for (int i = 0; i < nouts; i++) {
        const output *o = &outs[i];
        if (o->exists && o->regular && o->dev == sb.st_dev && o->ino == sb.st_ino) {
            fail_code = EXIT_USAGE;
            cli_error(cmd, "%s '%s' is the %s file of this run: refusing to overwrite an input",
                      o->opt, o->path, opt);
            return 0;
        }
    }
    return 1;
}

static output *find(const char *cmd, const char *path, int png)
{
    /* a path declared twice (only a device or FIFO may be: /dev/null for
     * two outputs) is written once per declaration: the first not written */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < nouts; i++)
            if (outs[i].f && !strcmp(outs[i].path, path) && (pass || !outs[i].written))
                return &outs[i];
    /* not declared up front: declare it now */
    if (!cli_output_declare(cmd, "output", path, png))
        return NULL;
    return &outs[nouts - 1];
}

FILE *cli_output_stream(const char *cmd, const char *path)
{
    output *o = find(cmd, path, 0);
    if (!o)
        return NULL;
    o->written = 1;
    return hl_atomic_stream(o->f);
}

const char *cli_output_temp(const char *cmd, const char *path)
{
    output *o = find(cmd, path, 1);
    if (!o)
        return NULL;
    o->written = 1;
    return hl_atomic_temp_path(o->f);
}

int cli_write_atomic(const char *cmd, const char *path,
                     int (*writer)(FILE *fp, void *ctx), void *ctx)
{
    FILE *fp = cli_output_stream(cmd, path);
    if (!fp)
        return 0;
    if (writer(fp, ctx) != 0 || ferror(fp)) {
        cli_error(cmd, "writing '%s' failed", path);
        return 0;
    }
    return 1;
}

void cli_outputs_abort(void)
{
    for (int i = 0; i < nouts; i++)
        if (outs[i].f) {
            hl_atomic_abort(outs[i].f);
            drop(&outs[i], 0);
        }
    nouts = 0;
}

int cli_outputs_commit(const char *cmd)
{
    int ok = 1;
    for (int i = 0; i < nouts && ok; i++) {
        output *o = &outs[i];
        if (!o->f)
            continue;
        if (!o->written) {
            cli_error(cmd, "%s '%s' was not written", o->opt, o->path);
            ok = 0;
        } else if (hl_atomic_finish(o->f) != HL_OK) {
            cli_error(cmd, "%s", hl_errmsg());
            ok = 0;
        }
    }
    /* the write-through kinds first: they can fail half-way (a full device,
     * a closed pipe); then the renames, which do not */
    for (int pass = 0; pass < 2 && ok; pass++) {
        /* a termination signal during the renames waits for them (all the
         * files are then in place); not during the write-through, which can
         * wait for a FIFO's reader */
        if (pass == 1)
            cli_temps_lock();
        for (int i = 0; i < nouts && ok; i++) {
            output *o = &outs[i];
            if (!o->f || hl_atomic_writes_through(o->f) != (pass == 0))
                continue;
            int st = hl_atomic_commit(o->f);
            o->f = NULL;
            if (st != HL_OK) {
                const char *m = hl_errmsg();
                if (o->is_stdout)
                    cli_error(cmd, "writing to stdout: %s",
                              strstr(m, "': ") ? strstr(m, "': ") + 3 : m);
                else
                    cli_error(cmd, "%s", m);
                ok = 0;
            }
            drop(o, st != HL_OK);
        }
        if (pass == 1)
            cli_temps_unlock();
    }
    cli_outputs_abort();
    return ok;
}

static void stdout_error(const char *cmd, int e)
{
    if (cmd)
        cli_error(cmd, "writing to stdout: %s", strerror(e));
    else
        fprintf(stderr, "hyperland: writing to stdout: %s\n", strerror(e));
}

int cli_finish(const char *cmd, int rc)
{
    /* the report first (a file written through /dev/stdout comes after it),
     * then the files; a report that could not be written fails the run */
    errno = 0;
    int bad = fflush(stdout) != 0 ? (errno ? errno : EIO) : 0;
    if (ferror(stdout) && !bad)
        bad = EIO;
    if (bad) {
        stdout_error(cmd, bad);
        if (rc == EXIT_OK)
            rc = EXIT_FAIL;
    }
    if (rc == EXIT_OK) {
        if (!cli_outputs_commit(cmd))
            rc = EXIT_FAIL;
    } else {
        cli_outputs_abort();
    }
    if (saved_stdout >= 0) {
        if (close(saved_stdout) != 0 && errno != EINTR && rc == EXIT_OK) {
            stdout_error(cmd, errno);
            rc = EXIT_FAIL;
        }
        saved_stdout = -1;
    }
    if (fclose(stdout) != 0 && !bad) {
        stdout_error(cmd, errno ? errno : EIO);
        if (rc == EXIT_OK)
            rc = EXIT_FAIL;
    }
    return rc;
}
