/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_gunzip.c -- gzip-compressed database files (ts.data.gz): a stream
 * whose first byte is 0x1f (the gzip magic; no text database starts with
 * that control character) is inflated into memory with zlib (automatic
 * gzip/zlib header detection, concatenated members allowed) and read back
 * through fmemopen, so every reader of a stream (the PATHSAMPLE and CSV
 * readers, the CLI's standard input) takes a compressed file as it is.  A
 * truncated or corrupt stream is an error naming the file, never a shorter
 * database. */
#include "network_private.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core.h"

enum { CHUNK = 1 << 16 };

FILE *nw_gunzip_stream(FILE *fp, const char *name, char **mem, int *st)
{
    char cb[HL_CLIP_BUF];
    *mem = NULL;
    *st = HL_OK;
    int c = getc(fp);
    if (c == EOF || ungetc(c, fp) == EOF || c != 0x1f)
        return fp; /* as it is (an empty stream: the reader says so) */
    unsigned char *in = malloc(CHUNK);
    size_t cap = 4 * (size_t)CHUNK, len = 0;
    char *out = malloc(cap);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (!in || !out || inflateInit2(&zs, 15 + 32) != Z_OK) {
        free(in);
        free(out);
        *st = hl_fail(HL_ENOMEM, "out of memory decompressing '%s'", hl_clip(name, cb));
        return NULL;
    }
    int zr = Z_OK, ended = 0;
    for (;;) {
        if (zs.avail_in == 0) {
            size_t got = fread(in, 1, CHUNK, fp);
            if (got == 0)
                break;
            zs.next_in = in;
            zs.avail_in = (uInt)got;
        }
        if (ended) { /* another gzip member follows */
            if (inflateReset(&zs) != Z_OK)
                break;
            ended = 0;
        }
        if (len == cap) {
            char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(out, cap * 2);
            if (!nb) {
                zr = Z_MEM_ERROR;
                break;
            }
            out = nb;
            cap *= 2;
        }
        zs.next_out = (Bytef *)(out + len);
        zs.avail_out = (uInt)(cap - len);
        zr = inflate(&zs, Z_NO_FLUSH);
        len = cap - zs.avail_out;
        if (zr == Z_STREAM_END)
            ended = 1;
        else if (zr != Z_OK && zr != Z_BUF_ERROR)
            break;
    }
    int read_error = ferror(fp);
    inflateEnd(&zs);
    free(in);
    if (zr == Z_MEM_ERROR) {
        free(out);
        *st = hl_fail(HL_ENOMEM, "out of memory decompressing '%s'", hl_clip(name, cb));
        return NULL;
    }
    if (read_error || !ended) {
        free(out);
        *st = hl_fail(HL_EPARSE, "'%s': %s", hl_clip(name, cb),
                      read_error ? "read error"
                      : zr == Z_OK || zr == Z_BUF_ERROR
                          ? "truncated gzip data (the compressed file ends early)"
                          : "not valid gzip data");
        return NULL;
    }
    if (len == 0) { /* an empty file compressed: the reader reports it */
        out[0] = '\n';
        len = 1;
    }
    FILE *mf = fmemopen(out, len, "r");
    if (!mf) {
        free(out);
        *st = hl_fail(HL_ENOMEM, "cannot read the decompressed '%s'", hl_clip(name, cb));
        return NULL;
    }
    *mem = out;
    return mf;
}
