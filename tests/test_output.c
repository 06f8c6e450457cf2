/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_output.c -- files written whole or not at all (hl_atomic_*), and the
 * small CSV / JSON helpers. */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

typedef struct {
    char dir[256];
} tmpdir_t;

static int make_tmpdir(void **state)
{
    tmpdir_t *t = malloc(sizeof *t);
    if (!t)
        return -1;
    const char *base = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/hl_test_output_XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

/* remove the (flat) directory and whatever is left in it */
static int remove_tmpdir(void **state)
{
    tmpdir_t *t = *state;
    DIR *d = opendir(t->dir);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", t->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(t->dir);
    free(t);
    return 0;
}

/* number of entries in dir; the first one's name into first */
static int list_dir(const char *dir, char *first, size_t cap)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (n == 0 && first)
            snprintf(first, cap, "%s", e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    return buf;
}

static void test_atomic_commit(void **state)
{
    tmpdir_t *t = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/out.csv", t->dir);
    hl_atomic_file *f = NULL;
    CHECK_OK(hl_atomic_open(path, &f));
    assert_non_null(f);
    FILE *fp = hl_atomic_stream(f);
    assert_non_null(fp);
    fprintf(fp, "beta,f\n0.5,1.25\n");
    /* nothing at the destination until the commit; one temporary beside it */
    struct stat sb;
    assert_int_equal(stat(path, &sb), -1);
    assert_int_equal(list_dir(t->dir, NULL, 0), 1);
    CHECK_OK(hl_atomic_commit(f));
    char name[256];
    assert_int_equal(list_dir(t->dir, name, sizeof name), 1);
    assert_string_equal(name, "out.csv");
    char *text = slurp(path);
    assert_non_null(text);
    assert_string_equal(text, "beta,f\n0.5,1.25\n");

    /* a second commit replaces the file whole */
    CHECK_OK(hl_atomic_open(path, &f));
    fprintf(hl_atomic_stream(f), "new\n");
    assert_string_equal(slurp(path), "beta,f\n0.5,1.25\n");
    CHECK_OK(hl_atomic_commit(f));
    assert_string_equal(slurp(path), "new\n");
    assert_int_equal(list_dir(t->dir, NULL, 0), 1);
}

static void test_atomic_abort(void **state)
{
    tmpdir_t *t = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/never.json", t->dir);
    hl_atomic_file *f = NULL;
    CHECK_OK(hl_atomic_open(path, &f));
    fprintf(hl_atomic_stream(f), "{\"partial\": ");
    hl_atomic_abort(f);
    struct stat sb;
    assert_int_equal(stat(path, &sb), -1);
    assert_int_equal(list_dir(t->dir, NULL, 0), 0);
    hl_atomic_abort(NULL); /* no-op */

    /* abort leaves an existing file untouched */
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("old\n", fp);
    fclose(fp);
    CHECK_OK(hl_atomic_open(path, &f));
    fprintf(hl_atomic_stream(f), "new\n");
    hl_atomic_abort(f);
    assert_string_equal(slurp(path), "old\n");
    assert_int_equal(list_dir(t->dir, NULL, 0), 1);
    unlink(path);
}

static void test_atomic_open_fails(void **state)
{
    tmpdir_t *t = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/no/such/dir/out.csv", t->dir);
    hl_atomic_file *f = (hl_atomic_file *)0x1;
    assert_int_equal(hl_atomic_open(path, &f), HL_EIO);
    assert_null(f);
    assert_non_null(strstr(hl_errmsg(), "no/such/dir/out.csv"));
    f = (hl_atomic_file *)0x1;
    assert_int_equal(hl_atomic_open("", &f), HL_EIO);
    assert_null(f);
    assert_true(strlen(hl_errmsg()) > 0);
    assert_int_equal(list_dir(t->dir, NULL, 0), 0);
}

static mode_t mode_of(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_mode & 07777;
}

/* an existing file keeps its mode; a new one gets 0666 & ~umask */
static void test_atomic_modes(void **state)
{
    tmpdir_t *t = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/keep.csv", t->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(chmod(path, 0640), 0);
    hl_atomic_file *f = NULL;
    CHECK_OK(hl_atomic_open(path, &f));
    fprintf(hl_atomic_stream(f), "x\n");
    CHECK_OK(hl_atomic_commit(f));
    assert_int_equal(mode_of(path), 0640);
    assert_string_equal(slurp(path), "x\n");
    unlink(path);
    static const mode_t masks[] = {022, 077, 002};
    for (int i = 0; i < 3; i++) {
        mode_t old = umask(masks[i]);
        CHECK_OK(hl_atomic_open(path, &f));
        CHECK_OK(hl_atomic_commit(f));
        umask(old);
        assert_int_equal(mode_of(path), 0666 & ~masks[i]);
        unlink(path);
    }
}

/* a symbolic link (and a chain, and a dangling one) stays; its target is
 * written */
static void test_atomic_symlink(void **state)
{
    tmpdir_t *t = *state;
    char real[512], link1[512], link2[512], dang[512], newt[512];
    snprintf(real, sizeof real, "%s/real.csv", t->dir);
    snprintf(link1, sizeof link1, "%s/link1", t->dir);
    snprintf(link2, sizeof link2, "%s/link2", t->dir);
    snprintf(dang, sizeof dang, "%s/dangling", t->dir);
    snprintf(newt, sizeof newt, "%s/new.csv", t->dir);
    FILE *fp = fopen(real, "w");
    assert_non_null(fp);
    fputs("old\n", fp);
    fclose(fp);
    assert_int_equal(symlink("real.csv", link1), 0);
    assert_int_equal(symlink(link1, link2), 0); /* absolute, to a link */
    assert_int_equal(symlink("new.csv", dang), 0);
    hl_atomic_file *f = NULL;
    CHECK_OK(hl_atomic_open(link2, &f));
    assert_string_equal(hl_atomic_target(f), real);
    assert_false(hl_atomic_writes_through(f));
    fprintf(hl_atomic_stream(f), "new\n");
    CHECK_OK(hl_atomic_commit(f));
    struct stat sb;
    assert_int_equal(lstat(link1, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_int_equal(lstat(link2, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_string_equal(slurp(real), "new\n");
    CHECK_OK(hl_atomic_open(dang, &f));
    fprintf(hl_atomic_stream(f), "created\n");
    CHECK_OK(hl_atomic_commit(f));
    assert_int_equal(lstat(dang, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_string_equal(slurp(newt), "created\n");
    unlink(real);
    unlink(link1);
    unlink(link2);
    unlink(dang);
    unlink(newt);
    assert_int_equal(list_dir(t->dir, NULL, 0), 0);
}

/* a FIFO and a descriptor are written through at the commit, not before,
 * and not replaced; a directory is refused */
static void test_atomic_write_through(void **state)
{
    tmpdir_t *t = *state;
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/pipe", t->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int rfd = open(fifo, O_RDONLY | O_NONBLOCK); /* a reader, so the commit can open it */
    assert_true(rfd >= 0);
    hl_atomic_file *f = NULL;
    CHECK_OK(hl_atomic_open(fifo, &f));
    assert_true(hl_atomic_writes_through(f));
    fprintf(hl_atomic_stream(f), "through the fifo\n");
    char buf[64] = {0};
    assert_true(read(rfd, buf, sizeof buf) <= 0); /* nothing before the commit */
    CHECK_OK(hl_atomic_commit(f));
    ssize_t n = read(rfd, buf, sizeof buf - 1);
    assert_int_equal(n, 17);
    assert_string_equal(buf, "through the fifo\n");
    close(rfd);
    struct stat sb;
    assert_int_equal(lstat(fifo, &sb), 0);
    assert_true(S_ISFIFO(sb.st_mode));
    unlink(fifo);

    int p[2];
    assert_int_equal(pipe(p), 0);
    CHECK_OK(hl_atomic_open_fd(p[1], "the pipe", &f));
    fprintf(hl_atomic_stream(f), "abc");
    CHECK_OK(hl_atomic_finish(f));
    CHECK_OK(hl_atomic_commit(f));
    memset(buf, 0, sizeof buf);
    assert_int_equal(read(p[0], buf, sizeof buf), 3);
    assert_string_equal(buf, "abc");
    close(p[0]);
    /* a closed pipe: the commit fails, naming it */
    CHECK_OK(hl_atomic_open_fd(p[1], "the pipe", &f));
    close(p[1]);
    fprintf(hl_atomic_stream(f), "lost");
    assert_int_equal(hl_atomic_commit(f), HL_EIO);
    assert_non_null(strstr(hl_errmsg(), "the pipe"));

    f = (hl_atomic_file *)0x1;
    assert_int_equal(hl_atomic_open(t->dir, &f), HL_EIO);
    assert_null(f);
    assert_non_null(strstr(hl_errmsg(), "directory"));
    assert_int_equal(list_dir(t->dir, NULL, 0), 0);
}

static void test_json_and_csv_helpers(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    hl_json_number(fp, 0.1);
    fputc(' ', fp);
    hl_json_number(fp, -2.5);
    fputc(' ', fp);
    hl_json_number(fp, NAN);
    fputc(' ', fp);
    hl_json_number(fp, -INFINITY);
    fputc(' ', fp);
    hl_json_string(fp, "a\"b\\c\nd\x01");
    fclose(fp);
    assert_string_equal(buf, "0.10000000000000001 -2.5 null null "
                             "\"a\\\"b\\\\c\\u000ad\\u0001\"");
    free(buf);

    /* 17 significant digits round-trip */
    fp = open_memstream(&buf, &len);
    double v = 0.773149934737075;
    hl_json_number(fp, v);
    fclose(fp);
    assert_true(strtod(buf, NULL) == v);
    free(buf);

    fp = open_memstream(&buf, &len);
    char *argv[] = {"hyperland", "phases", "--beta-max", "2"};
    hl_csv_preamble(fp, 4, argv, "D=100");
    fclose(fp);
    const char *head = "# hyperland " HL_VERSION_STRING
                       "\n# command: hyperland phases --beta-max 2\n"
                       "# D=100\n# provenance: hyperland " HL_VERSION_STRING ", git commit ";
    assert_memory_equal(buf, head, strlen(head));
    assert_non_null(strstr(buf, "\n# provenance: libraries gsl "));
    free(buf);
}

/* The one guard: non-finite numbers never reach any output as nan/inf. */
static void test_number_guard(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(hl_format_number(b, sizeof b, "%12.6g", 1.5, "n/a"), "         1.5");
    assert_string_equal(hl_format_number(b, sizeof b, "%12.6g", NAN, "n/a"), "         n/a");
    assert_string_equal(hl_format_number(b, sizeof b, "%-8.3f|", -INFINITY, "-"), "-       |");
    assert_string_equal(hl_format_number(b, sizeof b, "x = %.3e;", INFINITY, "n/a"), "x = n/a;");
    assert_string_equal(hl_format_number(b, sizeof b, "100%% %g", NAN, "?"), "100% ?");
    assert_string_equal(hl_format_number(b, sizeof b, "%g%%", NAN, "?"), "?%");
    assert_string_equal(hl_format_number(b, sizeof b, "%g%%", 3.0, "?"), "3%");
    assert_string_equal(hl_format_number(b, 6, "[%10g]", NAN, "n/a"), "[    ");
    assert_string_equal(hl_format_number(b, sizeof b, "%g", 0.25, "?"), "0.25");
    const double bad[] = {NAN, INFINITY, -INFINITY, -NAN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        hl_csv_number(fp, ",%.15g", bad[i]);
        fputc(' ', fp);
        hl_json_number(fp, bad[i]);
        fclose(fp);
        assert_string_equal(buf, ", null");
        free(buf);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    hl_csv_number(fp, "%.15g", 0.1);
    hl_csv_number(fp, ",%.3g\n", 2e-300);
    fclose(fp);
    assert_string_equal(buf, "0.1,2e-300\n");
    free(buf);
}

/* Echoed arguments are cut at HL_CLIP_CHARS characters. */
static void test_clip(void **state)
{
    (void)state;
    char b[HL_CLIP_BUF];
    assert_string_equal(hl_clip("--beta", b), "--beta");
    assert_string_equal(hl_clip("a\nb", b), "a?b");
    size_t n = 100000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'x', n);
    big[n] = 0;
    hl_clip(big, b);
    assert_int_equal(strspn(b, "x"), HL_CLIP_CHARS);
    assert_string_equal(b + HL_CLIP_CHARS, "... (100000 characters)");
    /* never a broken UTF-8 character: 2-byte characters across the cut */
    for (size_t i = 0; i + 1 < n; i += 2) {
        big[i] = (char)0xC3;
        big[i + 1] = (char)0xA9; /* e acute */
    }
    hl_clip(big + 1, b); /* starts on a continuation byte: cut stays on a boundary */
    size_t k = strcspn(b, ".");
    assert_true(k <= HL_CLIP_CHARS && k >= HL_CLIP_CHARS - 1);
    assert_true(((unsigned char)b[k - 1] & 0xC0) == 0x80 || (unsigned char)b[k - 1] < 0x80);
    assert_int_not_equal((unsigned char)b[k - 1], 0xC3);
    free(big);
}

/* sha256 against the FIPS 180-2 test vectors; provenance JSON and CSV. */
static void test_provenance(void **state)
{
    tmpdir_t *t = *state;
    char path[512], hex[65];
    snprintf(path, sizeof path, "%s/abc", t->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("abc", fp);
    fclose(fp);
    assert_int_equal(hl_sha256_file(path, hex), HL_OK);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 1000000; i++)
        fputc('a', fp); /* longer than one read buffer */
    fclose(fp);
    assert_int_equal(hl_sha256_file(path, hex), HL_OK);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* the same digest from bytes in memory (inputs read once: pipes, FIFOs) */
    assert_int_equal(hl_sha256_bytes("abc", 3, hex), HL_OK);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(hl_sha256_bytes(NULL, 0, hex), HL_OK);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    snprintf(path, sizeof path, "%s/missing", t->dir);
    assert_int_equal(hl_sha256_file(path, hex), HL_EIO);
    assert_non_null(strstr(hl_errmsg(), "missing"));

    hl_library_version lib[16];
    size_t n = hl_library_versions(lib, 16);
    assert_true(n >= 7 && n <= 16);
    for (size_t i = 0; i < n; i++)
        assert_true(lib[i].version && *lib[i].version);
    const char *c = hl_git_commit();
    assert_non_null(c);
    assert_true(!*c || strspn(c, "0123456789abcdef") == 40);

    hl_input_file in[2] = {{"p \"1\".csv", ""}, {"q\nr.csv", ""}};
    memset(in[0].sha256, 'a', 64);
    memset(in[1].sha256, 'b', 64);
    char *buf = NULL;
    size_t len = 0;
    fp = open_memstream(&buf, &len);
    hl_provenance_json(fp, in, 2);
    fclose(fp);
    assert_memory_equal(buf, "{\"version\": \"" HL_VERSION_STRING "\", \"git_commit\": ", 35);
    assert_non_null(strstr(buf, "\"libraries\": {\"gsl\": \""));
    assert_non_null(strstr(buf, "\"inputs\": [{\"path\": \"p \\\"1\\\".csv\", \"sha256\": \"aaaa"));
    assert_non_null(strstr(buf, "{\"path\": \"q\\u000ar.csv\""));
    free(buf);

    /* every header line stays a comment, whatever the arguments hold */
    char *argv[] = {"hyperland", "exact", "--phi", "x\n1,2"};
    fp = open_memstream(&buf, &len);
    hl_csv_preamble_inputs(fp, 4, argv, "p\rq", in, 2);
    fclose(fp);
    for (char *l = buf; *l; l = strchr(l, '\n') + 1)
        assert_int_equal(*l, '#');
    assert_non_null(strstr(buf, "--phi $'x\\x0a1,2'\n"));
    assert_non_null(strstr(buf, "# provenance: input q\\x0ar.csv sha256 bbbb"));
    free(buf);

    /* the command line can be pasted back into a shell: shell words */
    char *argv2[] = {"hyperland", "exact", "--phi", "m1 * m2", "--distribution", "it's.csv",
                     "--beta", "1e-3", "--x", "", "--y", "a\\b'\n"};
    fp = open_memstream(&buf, &len);
    hl_csv_preamble(fp, 12, argv2, NULL);
    fclose(fp);
    assert_non_null(strstr(buf, "# command: hyperland exact --phi 'm1 * m2' --distribution "
                                "'it'\\''s.csv' --beta 1e-3 --x '' --y $'a\\\\b\\'\\x0a'\n"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_atomic_commit, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_abort, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_open_fails, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_modes, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_symlink, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_write_through, make_tmpdir, remove_tmpdir),
        cmocka_unit_test(test_json_and_csv_helpers),
        cmocka_unit_test(test_number_guard),
        cmocka_unit_test(test_clip),
        cmocka_unit_test_setup_teardown(test_provenance, make_tmpdir, remove_tmpdir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
