/*
 * output.h -- files written whole or not at all, and small JSON helpers.
 *
 * hl_atomic_open() writes to a temporary file beside the destination;
 * hl_atomic_commit() renames it into place; hl_atomic_abort() removes it.
 */
#ifndef HYPERLAND_OUTPUT_H
#define HYPERLAND_OUTPUT_H

#include <stdio.h>

typedef struct hl_atomic_file hl_atomic_file;

/* Open path for writing through a temporary file.  HL_EIO with a message
 * naming the path if it cannot be created. */
int hl_atomic_open(const char *path, hl_atomic_file **out);
/* The stream to write to (borrowed). */
FILE *hl_atomic_stream(hl_atomic_file *f);
/* Flush, close and rename into place; frees f.  HL_EIO on failure (the
 * temporary is removed). */
int hl_atomic_commit(hl_atomic_file *f);
/* Close and delete the temporary; frees f.  NULL is a no-op. */
void hl_atomic_abort(hl_atomic_file *f);

/* Write the commented CSV header: command line, version, parameters. */
void hl_csv_preamble(FILE *fp, int argc, char **argv, const char *params);

/* Print a double as JSON: finite numbers with 17 significant digits,
 * otherwise null (JSON has no inf/nan).  */
void hl_json_number(FILE *fp, double v);
/* Print a JSON string with escapes. */
void hl_json_string(FILE *fp, const char *s);

#endif
