/* output.c -- files written whole or not at all; CSV headers; JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>

#include "internal.h"

struct hl_atomic_file {
    FILE *fp;
    char *path, *tmp;
};

int hl_atomic_open(const char *path, hl_atomic_file **out)
{
    *out = NULL;
    if (!path || !*path)
        return hl_fail(HL_EIO, "empty output path");
    hl_atomic_file *f = calloc(1, sizeof *f);
    if (!f)
        return hl_fail(HL_ENOMEM, "out of memory");
    size_t n = strlen(path);
    f->path = strdup(path);
    f->tmp = malloc(n + 16);
    if (!f->path || !f->tmp) {
        free(f->path);
        free(f->tmp);
        free(f);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    snprintf(f->tmp, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(f->tmp);
    if (fd < 0 || !(f->fp = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(f->tmp);
        }
        free(f->path);
        free(f->tmp);
        free(f);
        return hl_fail(HL_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    *out = f;
    return HL_OK;
}

FILE *hl_atomic_stream(hl_atomic_file *f) { return f->fp; }

static void atomic_release(hl_atomic_file *f)
{
    free(f->path);
    free(f->tmp);
    free(f);
}

int hl_atomic_commit(hl_atomic_file *f)
{
    int bad = ferror(f->fp);
    if (fclose(f->fp) != 0)
        bad = 1;
    if (!bad && rename(f->tmp, f->path) != 0)
        bad = 1;
    int st = HL_OK;
    if (bad) {
        unlink(f->tmp);
        st = hl_fail(HL_EIO, "cannot write '%s': %s", f->path, strerror(errno));
    }
    atomic_release(f);
    return st;
}

void hl_atomic_abort(hl_atomic_file *f)
{
    if (!f)
        return;
    fclose(f->fp);
    unlink(f->tmp);
    atomic_release(f);
}

void hl_csv_preamble(FILE *fp, int argc, char **argv, const char *params)
{
    fprintf(fp, "# hyperland %s\n# command:", HL_VERSION_STRING);
    for (int i = 0; i < argc; i++)
        fprintf(fp, " %s", argv[i]);
    fprintf(fp, "\n");
    if (params && *params)
        fprintf(fp, "# %s\n", params);
}

void hl_json_number(FILE *fp, double v)
{
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
