/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * output.h -- files written whole or not at all, and small JSON helpers.
 *
 * hl_atomic_open() writes to a temporary file; hl_atomic_commit() puts it
 * in place; hl_atomic_abort() removes it.  What "in place" means depends on
 * what the path names when it is opened:
 *  - a regular file, or nothing: the temporary is made beside it (same
 *    directory, named .NAME.tmpXXXXXX) and renamed onto it, so readers see
 *    the old file or the new one, never a part.  An existing file keeps its
 *    mode (and its owner and group where the caller may set them); a new one
 *    gets 0666 minus the umask.
 *  - a symbolic link: the links are followed and the file they lead to is
 *    written as above; the links stay.
 *  - a character device or a FIFO (/dev/null, /dev/stdout, a named pipe):
 *    never replaced; the temporary lives in $TMPDIR (or /tmp) and is copied
 *    into the device at the commit (opening a FIFO waits for a reader).
 *  - an existing regular file in a directory where no temporary can be made
 *    (but the file itself is writable): overwritten in place at the commit.
 *  - a directory, a socket or a block device: refused (HL_EIO).
 * The write-through kinds are not atomic: a failure in the middle of the
 * commit can leave part of the data written.
 */
#ifndef HYPERLAND_OUTPUT_H
#define HYPERLAND_OUTPUT_H

#include <stdio.h>

typedef struct hl_atomic_file hl_atomic_file;

/* Open path for writing through a temporary file (see above).  HL_EIO with
 * a message naming the path if it cannot be written, HL_ENOMEM. */
int hl_atomic_open(const char *path, hl_atomic_file **out);
/* The same for an open descriptor (e.g. standard output): the data are kept
 * in a temporary and written to fd at the commit; fd stays open and is the
 * caller's.  name is used in messages. */
int hl_atomic_open_fd(int fd, const char *name, hl_atomic_file **out);
/* The stream to write to (borrowed). */
FILE *hl_atomic_stream(hl_atomic_file *f);
/* The temporary's path (borrowed), for writers that need a file name (e.g.
 * gnuplot's 'set output'); do not use the stream as well then. */
const char *hl_atomic_temp_path(const hl_atomic_file *f);
/* The path that is written at the commit: the given one with its symbolic
 * links followed (borrowed). */
const char *hl_atomic_target(const hl_atomic_file *f);
/* 1 if the commit copies into the target instead of renaming onto it. */
int hl_atomic_writes_through(const hl_atomic_file *f);
/* Flush and close the stream and check that every write succeeded; f can
 * still be committed or aborted.  HL_EIO naming the path on failure.  Lets
 * a caller with several files check all before it commits any. */
int hl_atomic_finish(hl_atomic_file *f);
/* Finish, then rename into place or copy into the device / descriptor;
 * frees f.  HL_EIO on failure (the temporary is removed and a renamed-onto
 * file is left as it was). */
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
 * one loaded), ARPACK (no version API: the pkg-config version at
 * configure time) and OpenSSL; returns n. */
size_t hl_library_versions(hl_library_version *out, size_t max);
/* sha256 of the bytes of the file at path, as 64 lower-case hex digits and
 * a NUL.  HL_EIO (message naming the path) if it cannot be read. */
int hl_sha256_file(const char *path, char hex[65]);
/* sha256 of the n bytes at buf (buf may be NULL when n = 0), as above.
 * HL_ENOMEM if the digest cannot be set up. */
int hl_sha256_bytes(const void *buf, size_t n, char hex[65]);
/* Write the JSON object {"version", "git_commit" (null when unknown),
 * "libraries": {name: version}, "inputs": [{"path", "sha256"}]}. */
void hl_provenance_json(FILE *fp, const hl_input_file *inputs, size_t n);
/* The same as CSV comment lines "# provenance: ...". */
void hl_provenance_csv(FILE *fp, const hl_input_file *inputs, size_t n);

/* ---- CSV ---- */

/* Write the commented CSV header: version, command line, parameters and
 * the provenance lines (inputs: the files the run read, may be NULL with
 * n = 0).  The command line's arguments are POSIX shell words, so that the
 * line can be pasted back into a shell: quoted ('...', a ' as '\'') unless
 * made of letters, digits and _@%+=:,./- only, and an argument holding a
 * control character in bash's $'...' form with \xNN; control characters
 * elsewhere are written as \xNN.  Every header line stays a comment. */
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
 * field width and alignment.  A zero prints as 0, never -0.  Returns buf. */
char *hl_format_number(char *buf, size_t size, const char *fmt, double v, const char *other);
/* A CSV field: v with fmt when finite, otherwise an empty field (CSV
 * readers read an empty field as missing). */
void hl_csv_number(FILE *fp, const char *fmt, double v);
/* Print a double as JSON: finite numbers with 17 significant digits,
 * otherwise null (JSON has no inf/nan); a zero as 0, never -0.  */
void hl_json_number(FILE *fp, double v);
/* Print a JSON string with escapes. */
void hl_json_string(FILE *fp, const char *s);

#endif
