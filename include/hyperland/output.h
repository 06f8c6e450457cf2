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

/* ---- provenance ---- */

/* The version of the JSON outputs' layout: the integer "schema_version"
 * member of every top-level JSON object.  Raised when a key changes
 * meaning or disappears (new keys do not raise it). */
#define HL_JSON_SCHEMA_VERSION 1

/* An input file of a run and the sha256 of its bytes (64 hex digits). */
typedef struct {
    const char *path; /* borrowed */
    char sha256[65];
} hl_input_file;

/* A library linked into hyperland and its version (static strings). */
typedef struct {
    const char *name, *version;
} hl_library_version;

/* The git commit the library was built from: 40 hex digits, "-dirty"
 * appended when tracked files differed from it; "" when not built from a
 * git checkout.  Captured at build time. */
const char *hl_git_commit(void);
/* Fill out[0 .. min(n, max) - 1] with the versions of GSL, SUNDIALS,
 * SuiteSparse, CHOLMOD, BLAS/LAPACK (OpenBLAS's own string when it is the
 * one loaded), ARPACK and libmatheval (both have no version API: the
 * pkg-config version at configure time) and OpenSSL; returns n. */
size_t hl_library_versions(hl_library_version *out, size_t max);
/* sha256 of the bytes of the file at path, as 64 lower-case hex digits and
 * a NUL.  HL_EIO (message naming the path) if it cannot be read. */
int hl_sha256_file(const char *path, char hex[65]);
/* Write the JSON object {"version", "git_commit" (null when unknown),
 * "libraries": {name: version}, "inputs": [{"path", "sha256"}]}. */
void hl_provenance_json(FILE *fp, const hl_input_file *inputs, size_t n);
/* The same as CSV comment lines "# provenance: ...". */
void hl_provenance_csv(FILE *fp, const hl_input_file *inputs, size_t n);

/* ---- CSV ---- */

/* Write the commented CSV header: version, command line, parameters and
 * the provenance lines (inputs: the files the run read, may be NULL with
 * n = 0).  Control characters in the text are written as \xNN so that
 * every header line stays a comment. */
void hl_csv_preamble_inputs(FILE *fp, int argc, char **argv, const char *params,
                            const hl_input_file *inputs, size_t n);
/* The same without input files. */
void hl_csv_preamble(FILE *fp, int argc, char **argv, const char *params);

/* ---- messages ---- */

/* At most HL_CLIP_CHARS characters of a user-given text s (an option
 * value, formula, path) for an error message: s itself when short enough,
 * otherwise its first characters followed by "..." and the total length,
 * in buf (size >= HL_CLIP_BUF).  Control characters are shown as '?'.
 * Returns buf. */
#define HL_CLIP_CHARS 60
#define HL_CLIP_BUF 104
const char *hl_clip(const char *s, char *buf);

/* ---- numbers: the one guard against NaN and infinity in any output ---- */

/* Format v with fmt (a printf format with exactly one double conversion,
 * e.g. "%12.6g", with optional text around it) into buf when v is finite;
 * otherwise write the text `other` in place of the number, in the same
 * field width and alignment.  Returns buf. */
char *hl_format_number(char *buf, size_t size, const char *fmt, double v, const char *other);
/* A CSV field: v with fmt when finite, otherwise an empty field (CSV
 * readers read an empty field as missing). */
void hl_csv_number(FILE *fp, const char *fmt, double v);
/* Print a double as JSON: finite numbers with 17 significant digits,
 * otherwise null (JSON has no inf/nan).  */
void hl_json_number(FILE *fp, double v);
/* Print a JSON string with escapes. */
void hl_json_string(FILE *fp, const char *s);

#endif
