/*
 * The official Gherkin testdata ($LB_SHARED_DIR/conformance/gherkin): every
 * good file reproduces its .tokens (byte for byte), .source.ndjson,
 * .ast.ndjson and .pickles.ndjson (JSON compared by content), every bad
 * file its .errors.ndjson. Skipped when the folder is absent.
 */
#include "lb_test.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "gherkin/gherkin.h"

enum kind { TOKENS, SOURCE, AST, PICKLES, ERRORS };

static char data_dir[1024];
static struct lb_gherkin_dialects *dialects;

static int setup(void **state)
{
    const char *shared = getenv("LB_SHARED_DIR");
    char langs[1200];
    struct lb_error err;

    (void)state;
    if (shared == NULL)
        shared = "../shared";
    snprintf(data_dir, sizeof(data_dir), "%s/conformance/gherkin", shared);
    snprintf(langs, sizeof(langs), "%s/gherkin-languages.json", data_dir);
    lb_error_init(&err);
    if (lb_gherkin_dialects_new(&dialects, NULL, &err) != 0)
        return -1;
    /* without the testdata the tests skip; with it, all dialects load */
    if (access(langs, R_OK) == 0)
        return lb_gherkin_dialects_load_file(dialects, langs, &err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lb_gherkin_dialects_free(dialects);
    return 0;
}

static bool read_all(const char *path, struct lb_buf *b)
{
    struct lb_error err;

    lb_error_init(&err);
    lb_buf_reset(b);
    return lb_buf_read_file(b, path, &err) == 0;
}

/* Compares two NDJSON texts line by line, by JSON content. */
static bool same_ndjson(const char *want, const char *got, char *why, size_t n)
{
    int line = 0;

    for (;;) {
        const char *we = strchr(want, '\n');
        const char *ge = strchr(got, '\n');
        size_t wl = we ? (size_t)(we - want) : strlen(want);
        size_t gl = ge ? (size_t)(ge - got) : strlen(got);
        json_t *wj;
        json_t *gj;
        bool eq;

        line++;
        if (wl == 0 && gl == 0 && we == NULL && ge == NULL)
            return true;
        if (wl == 0 && we == NULL) {
            snprintf(why, n, "line %d: extra output '%.120s'", line, got);
            return false;
        }
        if (gl == 0 && ge == NULL) {
            snprintf(why, n, "line %d: missing '%.120s'", line, want);
            return false;
        }
        wj = json_loadb(want, wl, 0, NULL);
        gj = json_loadb(got, gl, 0, NULL);
        eq = wj != NULL && gj != NULL && json_equal(wj, gj);
        if (!eq)
            snprintf(why,
                     n,
                     "line %d differs:\n  want %.300s\n  got  %.300s",
                     line,
                     want,
                     got);
        json_decref(wj);
        json_decref(gj);
        if (!eq)
            return false;
        want = we ? we + 1 : want + wl;
        got = ge ? ge + 1 : got + gl;
    }
}

/* Output of one kind for `dir/name` with uri ../testdata/DIR/NAME. */
static void render(enum kind k,
                   const char *dir,
                   const char *name,
                   const struct lb_buf *src,
                   struct lb_buf *out)
{
    struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc = NULL;
    struct lb_idgen ids;
    struct lb_error err;
    char uri[600];
    size_t i;

    snprintf(uri, sizeof(uri), "../testdata/%s/%s", dir, name);
    lb_idgen_init(&ids, true);
    lb_error_init(&err);
    o.dialects = dialects;
    o.ids = &ids;
    lb_buf_reset(out);
    if (k == TOKENS) {
        (void)lb_gherkin_tokens(uri, src->ptr, src->len, &o, out, NULL, &err);
        return;
    }
    (void)lb_gherkin_parse(uri, src->ptr, src->len, &o, &doc, &err);
    assert_non_null(doc);
    if (k == SOURCE)
        lb_gherkin_write_source(out, doc);
    else if (k == ERRORS)
        lb_gherkin_write_errors(out, doc);
    else if (k == AST && doc->n_errors == 0)
        lb_gherkin_write_document(out, doc);
    else if (k == PICKLES && doc->n_errors == 0) {
        assert_int_equal(lb_gherkin_compile(doc, &err), 0);
        struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;

        for (i = 0; i < doc->n_pickles; i++)
            lb_gherkin_write_pickle(
                out, doc, lb_gherkin_pickle_at(doc, i, &ps));
        lb_gherkin_pickle_scratch_release(&ps);
    }
    lb_gherkin_document_free(doc);
}

static bool is_source(const char *name)
{
    size_t n = strlen(name);

    return (n > 8 && strcmp(name + n - 8, ".feature") == 0) ||
           (n > 11 && strcmp(name + n - 11, ".feature.md") == 0);
}

static void run_kind(enum kind k, const char *dir, int expected_files)
{
    static const char *const ext[] = {".tokens",
                                      ".source.ndjson",
                                      ".ast.ndjson",
                                      ".pickles.ndjson",
                                      ".errors.ndjson"};
    char path[1400];
    char why[1000];
    struct lb_buf src = LB_BUF_INIT;
    struct lb_buf want = LB_BUF_INIT;
    struct lb_buf got = LB_BUF_INIT;
    struct dirent *de;
    DIR *d;
    int files = 0;
    int failed = 0;

    snprintf(path, sizeof(path), "%s/%s", data_dir, dir);
    d = opendir(path);
    if (d == NULL) {
        print_message("no Gherkin testdata in %s: skipped\n", path);
        skip();
    }
    while ((de = readdir(d)) != NULL) {
        if (!is_source(de->d_name))
            continue;
        snprintf(path, sizeof(path), "%s/%s/%s", data_dir, dir, de->d_name);
        assert_true(read_all(path, &src));
        snprintf(path,
                 sizeof(path),
                 "%s/%s/%s%s",
                 data_dir,
                 dir,
                 de->d_name,
                 ext[k]);
        assert_true(read_all(path, &want));
        files++;
        render(k, dir, de->d_name, &src, &got);
        if (k == TOKENS ? strcmp(want.ptr, got.ptr) == 0
                        : same_ndjson(want.ptr, got.ptr, why, sizeof(why)))
            continue;
        if (k == TOKENS)
            snprintf(why, sizeof(why), "tokens differ:\n%.600s", got.ptr);
        print_error("%s/%s%s: %s\n", dir, de->d_name, ext[k], why);
        failed++;
    }
    closedir(d);
    lb_buf_release(&src);
    lb_buf_release(&want);
    lb_buf_release(&got);
    print_message(
        "%s %s: %d of %d files match\n", dir, ext[k], files - failed, files);
    assert_int_equal(failed, 0);
    assert_int_equal(files, expected_files);
}

static void test_gherkin_conformance_tokens(void **state)
{
    (void)state;
    run_kind(TOKENS, "good", 55);
}

static void test_gherkin_conformance_source(void **state)
{
    (void)state;
    run_kind(SOURCE, "good", 55);
}

static void test_gherkin_conformance_ast(void **state)
{
    (void)state;
    run_kind(AST, "good", 55);
}

static void test_gherkin_conformance_pickles(void **state)
{
    (void)state;
    run_kind(PICKLES, "good", 55);
}

static void test_gherkin_conformance_errors(void **state)
{
    (void)state;
    run_kind(ERRORS, "bad", 12);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gherkin_conformance_tokens),
        cmocka_unit_test(test_gherkin_conformance_source),
        cmocka_unit_test(test_gherkin_conformance_ast),
        cmocka_unit_test(test_gherkin_conformance_pickles),
        cmocka_unit_test(test_gherkin_conformance_errors),
    };

    return cmocka_run_group_tests_name(
        "gherkin_conformance", tests, setup, teardown);
}
