/* SPDX-License-Identifier: GPL-3.0-or-later */
/* output.c -- files written whole or not at all; CSV headers; JSON. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

/* How the temporary reaches the destination at the commit. */
enum { AT_RENAME = 0, AT_COPY = 1, AT_FD = 2 };

struct hl_atomic_file {
    FILE *fp;     /* on tmp; NULL once finished */
    char *path;   /* as given, for messages */
    char *target; /* path with its symbolic links followed */
    char *tmp;    /* the temporary file */
    int how;      /* AT_RENAME, AT_COPY or AT_FD */
    int fd;       /* AT_FD: the descriptor written to at the commit */
    int err;      /* errno of the first failure once finished; 0: none */
    int append;   /* AT_COPY through a descriptor path: append, never truncate */
};

static char *str_dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* dir part of p with its slash ("" if none) */
static size_t dir_len(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? (size_t)(s - p) + 1 : 0;
}

/* Paths that name an open descriptor (/dev/stdout, /dev/fd/N, /proc/...):
 * their links lead to pseudo-names, so they are opened as given. */
static int descriptor_path(const char *p)
{
    return !strncmp(p, "/proc/", 6) || !strncmp(p, "/dev/fd/", 8) ||
           !strcmp(p, "/dev/stdout") || !strcmp(p, "/dev/stderr") || !strcmp(p, "/dev/stdin");
}

/* Follow the symbolic links of path (the last component, as often as it is
 * a link) to the file that is written; malloc'd, NULL with errno.  *magic:
 * a link into /proc was met (see descriptor_path). */
static char *follow_links(const char *path, int *magic)
{
    *magic = descriptor_path(path);
    char *cur = str_dup(path);
    for (int depth = 0; cur; depth++) {
        struct stat sb;
        if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode))
            return cur;
        if (depth >= 40) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        char buf[PATH_MAX];
        ssize_t n = readlink(cur, buf, sizeof buf - 1);
        if (n < 0) {
            free(cur);
            return NULL;
        }
        buf[n] = 0;
        *magic |= descriptor_path(buf);
        size_t dl = buf[0] == '/' ? 0 : dir_len(cur);
        char *next = malloc(dl + (size_t)n + 1);
        if (next) {
            memcpy(next, cur, dl);
            memcpy(next + dl, buf, (size_t)n + 1);
        }
        free(cur);
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

static void atomic_release(hl_atomic_file *f)
{
    free(f->path);
    free(f->target);
    free(f->tmp);
    free(f);
}

/* A private temporary in $TMPDIR (or /tmp) for the write-through kinds. */
static int temp_in_tmpdir(hl_atomic_file *f)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t n = strlen(base) + 32;
    f->tmp = malloc(n);
    if (!f->tmp)
        return (errno = ENOMEM), -1;
    snprintf(f->tmp, n, "%s/hyperland-XXXXXX", base);
    return mkstemp(f->tmp);
}

static mode_t current_umask(void)
{
    mode_t u = umask(022);
    umask(u);
    return u;
}

static int atomic_stream(hl_atomic_file *f, int fd, hl_atomic_file **out)
{
    if (!(f->fp = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(f->tmp);
        int st = hl_fail(HL_EIO, "cannot write '%s': %s", f->path, strerror(e));
        atomic_release(f);
        return st;
    }
    *out = f;
    return HL_OK;
}

int hl_atomic_open(const char *path, hl_atomic_file **out)
{
    *out = NULL;
    if (!path || !*path)
        return hl_fail(HL_EIO, "empty output path");
    hl_atomic_file *f = calloc(1, sizeof *f);
    if (!f || !(f->path = str_dup(path))) {
        free(f);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    f->fd = -1;
    int magic;
    if (!(f->target = follow_links(path, &magic))) {
        int e = errno;
        atomic_release(f);
        return hl_fail(e == ENOMEM ? HL_ENOMEM : HL_EIO, "cannot write '%s': %s", path,
                       strerror(e));
    }
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    int e = errno;
    if (magic || (exists && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))) {
        /* an open descriptor, a device or a FIFO: opened as given */
        free(f->target);
        if (!(f->target = str_dup(path))) {
            atomic_release(f);
            return hl_fail(HL_ENOMEM, "out of memory");
        }
        if (magic)
            f->append = 1;
    }
    const char *t = f->target;
    size_t dl = dir_len(t);
    const char *base = t + dl;
    exists = stat(t, &sb) == 0;
    e = errno;
    if (!exists && (e != ENOENT || magic)) {
        atomic_release(f);
        return hl_fail(HL_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    if ((exists && S_ISDIR(sb.st_mode)) || !*base || !strcmp(base, ".") ||
        !strcmp(base, "..")) {
        atomic_release(f);
        return hl_fail(HL_EIO, "cannot write '%s': it is a directory", path);
    }
    if (magic || (exists && !S_ISREG(sb.st_mode))) {
        if (!S_ISCHR(sb.st_mode) && !S_ISFIFO(sb.st_mode) && !(magic && S_ISREG(sb.st_mode))) {
            atomic_release(f);
            return hl_fail(HL_EIO, "cannot write '%s': not a regular file, character "
                                   "device or FIFO", path);
        }
        if (access(t, W_OK) != 0) {
            e = errno;
            atomic_release(f);
            return hl_fail(HL_EIO, "cannot write '%s': %s", path, strerror(e));
        }
        /* a device, FIFO or descriptor is written through at the commit,
         * never replaced */
        f->how = AT_COPY;
        int fd = temp_in_tmpdir(f);
        if (fd < 0) {
            e = errno;
            atomic_release(f);
            return hl_fail(HL_EIO, "cannot write '%s': no temporary file: %s", path,
                           strerror(e));
        }
        return atomic_stream(f, fd, out);
    }
    /* a regular file or a new one: a temporary beside it, renamed onto it */
    size_t bl = strlen(base);
    f->tmp = malloc(dl + (bl <= 200 ? bl : 9) + 16);
    if (!f->tmp) {
        atomic_release(f);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    memcpy(f->tmp, t, dl);
    sprintf(f->tmp + dl, ".%s.tmpXXXXXX", bl <= 200 ? base : "hyperland");
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        e = errno;
        if (exists && (e == EACCES || e == EPERM || e == EROFS) && access(t, W_OK) == 0) {
            /* the directory is closed but the file is writable: overwrite it
             * in place at the commit */
            free(f->tmp);
            f->tmp = NULL;
            f->how = AT_COPY;
            if ((fd = temp_in_tmpdir(f)) >= 0)
                return atomic_stream(f, fd, out);
            e = errno;
        }
        atomic_release(f);
        return hl_fail(HL_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    /* an existing file keeps its mode (and owner, when allowed); a new one
     * gets the umask's */
    mode_t mode = exists ? (sb.st_mode & 07777) : (0666 & ~current_umask());
    if (fchmod(fd, mode) != 0) {
        e = errno;
        close(fd);
        unlink(f->tmp);
        atomic_release(f);
        return hl_fail(HL_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    if (exists && (sb.st_uid != geteuid() || sb.st_gid != getegid()) &&
        fchown(fd, sb.st_uid, sb.st_gid) != 0) {
        /* not allowed: the file becomes ours, as with any editor */
    }
    return atomic_stream(f, fd, out);
}

int hl_atomic_open_fd(int fd, const char *name, hl_atomic_file **out)
{
    *out = NULL;
    if (fd < 0)
        return hl_fail(HL_EIO, "cannot write '%s': bad file descriptor", name ? name : "");
    hl_atomic_file *f = calloc(1, sizeof *f);
    if (!f || !(f->path = str_dup(name ? name : "descriptor"))) {
        free(f);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    f->how = AT_FD;
    f->fd = fd;
    int tfd = temp_in_tmpdir(f);
    if (tfd < 0) {
        int e = errno;
        atomic_release(f);
        return hl_fail(HL_EIO, "cannot write '%s': no temporary file: %s",
                       name ? name : "", strerror(e));
    }
    return atomic_stream(f, tfd, out);
}

FILE *hl_atomic_stream(hl_atomic_file *f) { return f->fp; }

const char *hl_atomic_temp_path(const hl_atomic_file *f) { return f->tmp; }

const char *hl_atomic_target(const hl_atomic_file *f)
{
    return f->target ? f->target : f->path;
}

int hl_atomic_writes_through(const hl_atomic_file *f) { return f->how != AT_RENAME; }

int hl_atomic_finish(hl_atomic_file *f)
{
    if (f->fp) {
        int bad = ferror(f->fp) ? EIO : 0;
        if (fflush(f->fp) != 0 && !bad)
            bad = errno;
        if (!bad && f->how == AT_RENAME && fsync(fileno(f->fp)) != 0 && errno != EINVAL)
            bad = errno;
        if (fclose(f->fp) != 0 && !bad)
            bad = errno;
        f->fp = NULL;
        f->err = bad;
    }
    if (f->err)
        return hl_fail(HL_EIO, "cannot write '%s': %s", f->path, strerror(f->err));
    return HL_OK;
}

/* copy the temporary to fd; 0 or errno */
static int copy_to(const char *tmp, int fd)
{
    int in = open(tmp, O_RDONLY);
    if (in < 0)
        return errno;
    char buf[65536];
    int e = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            break;
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(fd, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                e = w < 0 ? errno : EIO;
                break;
            }
            off += w;
        }
        if (e)
            break;
    }
    close(in);
    return e;
}

int hl_atomic_commit(hl_atomic_file *f)
{
    int st = hl_atomic_finish(f);
    int e = 0;
    if (st == HL_OK) {
        if (f->how == AT_RENAME) {
            if (rename(f->tmp, f->target) != 0)
                e = errno;
        } else if (f->how == AT_FD) {
            e = copy_to(f->tmp, f->fd);
        } else {
            struct stat sb;
            int reg = stat(f->target, &sb) == 0 && S_ISREG(sb.st_mode);
            int fl = f->append ? O_APPEND : reg ? O_TRUNC : 0;
            int fd = open(f->target, O_WRONLY | O_NOCTTY | fl);
            if (fd < 0) {
                e = errno;
            } else {
                e = copy_to(f->tmp, fd);
                if (close(fd) != 0 && !e)
                    e = errno;
            }
        }
        if (e)
            st = hl_fail(HL_EIO, "cannot write '%s': %s", f->path, strerror(e));
    }
    if (f->how != AT_RENAME || st != HL_OK)
        unlink(f->tmp);
    atomic_release(f);
    return st;
}

void hl_atomic_abort(hl_atomic_file *f)
{
    if (!f)
        return;
    if (f->fp)
        fclose(f->fp);
    unlink(f->tmp);
    atomic_release(f);
}

void hl_csv_preamble(FILE *fp, int argc, char **argv, const char *params)
{
    hl_csv_preamble_inputs(fp, argc, argv, params, NULL, 0);
}

char *hl_format_number(char *buf, size_t size, const char *fmt, double v, const char *other)
{
    if (!size)
        return buf;
    if (v == 0)
        v = 0; /* -0 prints as 0: a zero has no sign to report */
    if (isfinite(v)) {
        snprintf(buf, size, fmt, v);
        return buf;
    }
    /* the conversion: '%' (not "%%"), flags, width, precision, letter */
    const char *p = fmt;
    while ((p = strchr(p, '%')) && p[1] == '%')
        p += 2;
    if (!p) {
        snprintf(buf, size, "%s", other);
        return buf;
    }
    const char *q = p + 1;
    int left = 0;
    while (*q && strchr("-+ #0'", *q))
        left |= *q++ == '-';
    int width = 0;
    while (*q >= '0' && *q <= '9')
        width = 10 * width + (*q++ - '0');
    if (*q == '.')
        for (q++; *q >= '0' && *q <= '9'; q++)
            ;
    while (*q == 'l' || *q == 'L')
        q++;
    if (*q)
        q++; /* the conversion letter */
    /* the text around the conversion as printf would write it ("%%" -> "%") */
    size_t k = 0;
    for (const char *c = fmt; *c && k + 1 < size; c++) {
        if (c == p) {
            int w = snprintf(buf + k, size - k, "%*s", left ? -width : width, other);
            k += w < 0 ? 0 : (size_t)w;
            if (k >= size) {
                k = size - 1;
                break;
            }
            c = q - 1;
            continue;
        }
        if (c[0] == '%' && c[1] == '%')
            c++;
        buf[k++] = *c;
    }
    buf[k] = 0;
    return buf;
}

void hl_csv_number(FILE *fp, const char *fmt, double v)
{
    char buf[128];
    fputs(hl_format_number(buf, sizeof buf, fmt, v, ""), fp);
}

const char *hl_clip(const char *s, char *buf)
{
    size_t n = strlen(s), k = 0;
    /* whole UTF-8 characters only: stop before a continuation byte */
    size_t keep = n <= HL_CLIP_CHARS ? n : HL_CLIP_CHARS;
    if (keep < n)
        while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
            keep--;
    for (; k < keep; k++)
        buf[k] = (unsigned char)s[k] < 0x20 || s[k] == 0x7f ? '?' : s[k];
    if (keep < n)
        snprintf(buf + k, HL_CLIP_BUF - k, "... (%zu characters)", n);
    else
        buf[k] = 0;
    return buf;
}

void hl_json_number(FILE *fp, double v)
{
    if (v == 0)
        v = 0; /* -0 as 0, as in hl_format_number */
    if (isfinite(v))
        fprintf(fp, "%.17g", v);
    else
        fprintf(fp, "null");
}

void hl_json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}
