/* SPDX-License-Identifier: GPL-3.0-or-later */
/* replay.c -- main() of the replay executables: runs LLVMFuzzerTestOneInput
 * on every file given, and on every regular file of every directory given
 * (a corpus), in name order.  This is how CI replays the corpora with gcc,
 * which has no libFuzzer; a crash, a sanitizer report or a violated property
 * fails the test. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "replay: cannot read '%s'\n", path);
        return 1;
    }
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(fp);
            fprintf(stderr, "replay: out of memory\n");
            return 1;
        }
        n += fread(buf + n, 1, cap - n, fp);
        if (n < cap)
            break;
        unsigned char *nb = realloc(buf, 2 * cap);
        if (!nb)
            free(buf);
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        fprintf(stderr, "replay: error reading '%s'\n", path);
        return 1;
    }
    /* a copy of exactly n bytes, so that reading past the input is caught */
    unsigned char *data = malloc(n ? n : 1);
    if (!data) {
        free(buf);
        fprintf(stderr, "replay: out of memory\n");
        return 1;
    }
    memcpy(data, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(data, n);
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, long *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot open directory '%s'\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) {
                bad = 1;
                break;
            }
            names = nn;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            bad = 1;
            break;
        }
        snprintf(names[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (!bad && stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
            bad |= run_file(names[i]);
            (*count)++;
        }
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    long count = 0;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "replay: no such file or directory '%s'\n", argv[i]);
            bad = 1;
        } else if (S_ISDIR(sb.st_mode)) {
            bad |= run_dir(argv[i], &count);
        } else {
            bad |= run_file(argv[i]);
            count++;
        }
    }
    if (!bad && count == 0) {
        fprintf(stderr, "replay: no inputs\n");
        bad = 1;
    }
    fprintf(stderr, "replay: %ld inputs%s\n", count, bad ? ", with errors" : "");
    return bad ? 1 : 0;
}
