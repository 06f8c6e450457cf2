/* SPDX-License-Identifier: GPL-3.0-or-later */
/* provenance.c -- what produced an output: version, git commit, library
 * versions, sha256 of the input files; written into JSON and CSV headers. */
#include <dlfcn.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cholmod.h>
#include <gsl/gsl_version.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <sundials/sundials_config.h>

#include "hl_gitinfo.h"
#include "core.h"

#define HL_STR_(x) #x
#define HL_STR(x) HL_STR_(x)

const char *hl_git_commit(void) { return HL_GIT_COMMIT; }

/* The BLAS/LAPACK in use at run time: OpenBLAS reports itself through
 * openblas_get_config() when it is the library loaded; otherwise the
 * LAPACKE version known at configure time. */
static const char *lapack_version(void)
{
    void *self = dlopen(NULL, RTLD_LAZY);
    void *sym = self ? dlsym(self, "openblas_get_config") : NULL;
    if (self)
        dlclose(self);
    if (sym) {
        char *(*fn)(void);
        memcpy(&fn, &sym, sizeof fn); /* object -> function pointer, as POSIX allows */
        const char *s = fn();
        if (s && *s)
            return s;
    }
    return "lapacke " HL_LAPACKE_VERSION;
}

size_t hl_library_versions(hl_library_version *out, size_t max)
{
    const hl_library_version all[] = {
        {"gsl", GSL_VERSION},
        {"sundials", SUNDIALS_VERSION},
        {"suitesparse", HL_STR(SUITESPARSE_MAIN_VERSION) "." HL_STR(SUITESPARSE_SUB_VERSION) "." HL_STR(
                            SUITESPARSE_SUBSUB_VERSION)},
        {"cholmod", HL_STR(CHOLMOD_MAIN_VERSION) "." HL_STR(CHOLMOD_SUB_VERSION) "." HL_STR(
                        CHOLMOD_SUBSUB_VERSION)},
        {"lapack", lapack_version()},
        {"arpack", HL_ARPACK_VERSION},          /* no version API: pkg-config at configure time */
        {"openssl", OpenSSL_version(OPENSSL_VERSION)},
    };
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n && i < max; i++) {
        out[i] = all[i];
        if (!out[i].version || !*out[i].version)
            out[i].version = "unknown";
    }
    return n;
}

int hl_sha256_file(const char *path, char hex[65])
{
    hex[0] = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return hl_fail(HL_EIO, "cannot read '%s': %s", path, strerror(errno));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        fclose(fp);
        return hl_fail(HL_ENOMEM, "sha256: cannot initialise the digest");
    }
    unsigned char buf[65536];
    size_t got;
    int ok = 1;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        if (EVP_DigestUpdate(ctx, buf, got) != 1)
            ok = 0;
    if (ferror(fp))
        ok = 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (ok && EVP_DigestFinal_ex(ctx, md, &len) != 1)
        ok = 0;
    EVP_MD_CTX_free(ctx);
    fclose(fp);
    if (!ok || len != 32)
        return hl_fail(HL_EIO, "cannot read '%s' to hash it", path);
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return HL_OK;
}

int hl_sha256_bytes(const void *buf, size_t n, char hex[65])
{
    hex[0] = 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
             (n == 0 || EVP_DigestUpdate(ctx, buf, n) == 1) &&
             EVP_DigestFinal_ex(ctx, md, &len) == 1 && len == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return hl_fail(HL_ENOMEM, "sha256: cannot compute the digest");
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return HL_OK;
}

void hl_provenance_json(FILE *fp, const hl_input_file *inputs, size_t n)
{
    fprintf(fp, "{\"version\": ");
    hl_json_string(fp, HL_VERSION_STRING);
    fprintf(fp, ", \"git_commit\": ");
    if (*HL_GIT_COMMIT)
        hl_json_string(fp, HL_GIT_COMMIT);
    else
        fprintf(fp, "null");
    fprintf(fp, ", \"libraries\": {");
    hl_library_version lib[16];
    size_t nl = hl_library_versions(lib, 16);
    for (size_t i = 0; i < nl && i < 16; i++) {
        fprintf(fp, "%s", i ? ", " : "");
        hl_json_string(fp, lib[i].name);
        fprintf(fp, ": ");
        hl_json_string(fp, lib[i].version);
    }
    fprintf(fp, "}, \"inputs\": [");
    for (size_t i = 0; i < n; i++) {
        fprintf(fp, "%s{\"path\": ", i ? ", " : "");
        hl_json_string(fp, inputs[i].path);
        fprintf(fp, ", \"sha256\": ");
        hl_json_string(fp, inputs[i].sha256);
        fprintf(fp, "}");
    }
    fprintf(fp, "]}");
}

/* Text of a comment line: control characters (a newline would end the
 * comment) are written as \xNN. */
static void comment_text(FILE *fp, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            fprintf(fp, "\\x%02x", c);
        else
            fputc(c, fp);
    }
}

void hl_provenance_csv(FILE *fp, const hl_input_file *inputs, size_t n)
{
    fprintf(fp, "# provenance: hyperland %s, git commit %s\n", HL_VERSION_STRING,
            *HL_GIT_COMMIT ? HL_GIT_COMMIT : "none (not built from a git checkout)");
    fprintf(fp, "# provenance: libraries");
    hl_library_version lib[16];
    size_t nl = hl_library_versions(lib, 16);
    for (size_t i = 0; i < nl && i < 16; i++) {
        fprintf(fp, "%s %s ", i ? ";" : "", lib[i].name);
        comment_text(fp, lib[i].version);
    }
    fprintf(fp, "\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(fp, "# provenance: input ");
        comment_text(fp, inputs[i].path);
        fprintf(fp, " sha256 %s\n", inputs[i].sha256);
    }
}

/* One argument of the command line as a POSIX shell word, so that the
 * recorded line can be pasted back: as it is when every character is
 * plainly safe, else in single quotes (' as '\''), and with a control
 * character (which would break the comment line) in bash's $'...' form
 * with \xNN escapes. */
static void shell_word(FILE *fp, const char *s)
{
    int plain = *s != 0, control = 0;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f)
            control = 1;
        if (!(isalnum(c) || strchr("_@%+=:,./-", c)))
            plain = 0;
    }
    if (plain) {
        fputs(s, fp);
        return;
    }
    if (!control) {
        fputc('\'', fp);
        for (; *s; s++) {
            if (*s == '\'')
                fputs("'\\''", fp); /* close, a quoted quote, reopen */
            else
                fputc(*s, fp);
        }
        fputc('\'', fp);
        return;
    }
    fputs("$'", fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            fprintf(fp, "\\x%02x", c);
        else if (c == '\\' || c == '\'')
            fprintf(fp, "\\%c", c);
        else
            fputc(c, fp);
    }
    fputc('\'', fp);
}

void hl_csv_preamble_inputs(FILE *fp, int argc, char **argv, const char *params,
                            const hl_input_file *inputs, size_t n)
{
    fprintf(fp, "# hyperland %s\n# command:", HL_VERSION_STRING);
    for (int i = 0; i < argc; i++) {
        fputc(' ', fp);
        shell_word(fp, argv[i]);
    }
    fprintf(fp, "\n");
    if (params && *params) {
        fprintf(fp, "# ");
        comment_text(fp, params);
        fprintf(fp, "\n");
    }
    hl_provenance_csv(fp, inputs, n);
}
