/* test_output.c -- files written whole or not at all (hl_atomic_*), and the
 * small CSV / JSON helpers. */
#include <dirent.h>
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
    assert_string_equal(buf, "# hyperland " HL_VERSION_STRING
                             "\n# command: hyperland phases --beta-max 2\n"
                             "# D=100\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_atomic_commit, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_abort, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_open_fails, make_tmpdir, remove_tmpdir),
        cmocka_unit_test(test_json_and_csv_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
