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
    hl_csv_preamble_inputs(fp, argc, argv, params, NULL, 0);
}

char *hl_format_number(char *buf, size_t size, const char *fmt, double v, const char *other)
{
    if (!size)
        return buf;
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
