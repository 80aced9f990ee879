/*
 * Unit tests of the formatters through their public interface: recorded
 * streams from tests/data/reports in, report text out.
 */
#include "lb_test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "gherkin/gherkin.h"
#include "reports/formatter.h"

/* Runs stream `name` (tests/data/reports) through formatter `format` to a
 * memory stream and returns what it wrote (caller frees). */
static char *run(const char *format,
                 const char *name,
                 const struct lb_formatter_options *base)
{
    struct lb_formatter_options opts = {0};
    struct lb_formatter *f = NULL;
    struct lb_buf path = LB_BUF_INIT, in = LB_BUF_INIT;
    struct lb_error err;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    const char *src = getenv("LB_SOURCE_DIR");

    assert_non_null(out);
    assert_non_null(src);
    lb_error_init(&err);
    if (base)
        opts = *base;
    opts.out = out;
    (void)lb_buf_addf(&path, "%s/tests/data/reports/%s", src, name);
    assert_int_equal(lb_buf_read_file(&in, path.ptr, &err), 0);
    assert_int_equal(lb_formatter_new(format, NULL, &opts, &f, &err), 0);
    assert_int_equal(
        lb_formatter_feed_ndjson(&f, 1, in.ptr, in.len, name, &err), 0);
    assert_int_equal(lb_formatter_finish(f, &err), 0);
    lb_formatter_free(f);
    assert_int_equal(fclose(out), 0);
    lb_buf_release(&path);
    lb_buf_release(&in);
    return text;
}

static void test_report_unknown_format_lists_names(void **state)
{
    struct lb_formatter *f = (struct lb_formatter *)1;
    struct lb_error err;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(lb_formatter_new("xunit", NULL, NULL, &f, &err),
                     LB_EUSAGE);
    assert_null(f);
    assert_non_null(strstr(err.msg, "'xunit'"));
    assert_non_null(strstr(err.msg, "junit"));
    assert_non_null(strstr(err.msg, "message"));
}

static void test_report_names_are_all_known(void **state)
{
    const char *const *n = lb_formatter_names();
    size_t count = 0;

    (void)state;
    for (; *n; n++, count++)
        assert_true(lb_formatter_known(*n));
    assert_int_equal(count, 8);
    assert_false(lb_formatter_known("html5"));
    assert_false(lb_formatter_known(NULL));
}

static void test_report_junit_names_are_unique(void **state)
{
    char *x = run("junit", "nasty-outlines.ndjson", NULL);

    (void)state;
    /* The retried attempt is not reported: 8 pickles, 9 attempts. */
    assert_non_null(strstr(x, "tests=\"8\" failures=\"0\""));
    assert_non_null(strstr(x, "name=\"Restart - same name - #1.1\""));
    assert_non_null(strstr(x, "name=\"Restart - same name - #1.2\""));
    assert_non_null(strstr(x, "name=\"Restart - same name - #2.1\""));
    assert_non_null(strstr(x, "name=\"Restart &lt;n&gt; - #1.2: Restart 1\""));
    assert_non_null(strstr(x, "name=\"Restart\""));
    assert_non_null(strstr(x, "name=\"Restart (line 25)\""));
    assert_non_null(strstr(x, "name=\"Same names inside a rule - Restart\""));
    free(x);
}

static void test_report_junit_stays_legal_xml(void **state)
{
    char *x = run("junit", "nasty-failures.ndjson", NULL);
    const unsigned char *p;
    const char *cdata;

    (void)state;
    for (p = (const unsigned char *)x; *p; p++)
        assert_true(*p >= 0x20 || *p == '\n' || *p == '\t');
    /* U+FFFE, illegal in XML, is made visible. */
    assert_null(strstr(x, "\xEF\xBF\xBE"));
    assert_non_null(strstr(x, "\\uFFFE"));
    assert_non_null(strstr(x, "type=\"LbAssertion\""));
    assert_non_null(strstr(x, "step definition: steps/nasty_steps.c:20"));
    assert_non_null(strstr(x, "at: features/nasty ünïcødé.feature:5"));
    assert_non_null(strstr(x, "step is pending: Given a pending step"));
    /* The run summary log attachment lands in system-out, "]]>" split. */
    cdata = strstr(x, "run summary: nodes=3");
    assert_non_null(cdata);
    assert_non_null(strstr(cdata, "ok ]]]]><![CDATA[> <xml/>"));
    free(x);
}

static void test_report_json_ids_and_backgrounds(void **state)
{
    char *x = run("json", "nasty-outlines.ndjson", NULL);
    json_error_t jerr;
    json_t *doc = json_loads(x, 0, &jerr);
    json_t *els, *el, *st;

    (void)state;
    assert_non_null(doc);
    assert_int_equal(json_array_size(doc), 1);
    els = json_object_get(json_array_get(doc, 0), "elements");
    /* 7 scenarios with the background step, 1 (in the rule) without. */
    assert_int_equal(json_array_size(els), 15);
    el = json_array_get(els, 0);
    assert_string_equal(json_string_value(json_object_get(el, "type")),
                        "background");
    el = json_array_get(els, 1);
    assert_string_equal(json_string_value(json_object_get(el, "id")),
                        "outlines-with-duplicate-names;restart;same-name;2");
    assert_int_equal(json_integer_value(json_object_get(el, "line")), 10);
    st = json_array_get(json_object_get(el, "steps"), 0);
    assert_string_equal(json_string_value(json_object_get(st, "keyword")),
                        "When ");
    assert_true(json_is_integer(
        json_object_get(json_object_get(st, "result"), "duration")));
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(st, "match"), "location")),
                        "steps/fault_steps.c:7");
    el = json_array_get(els, 14);
    assert_string_equal(
        json_string_value(json_object_get(el, "id")),
        "outlines-with-duplicate-names;same-names-inside-a-rule;restart");
    json_decref(doc);
    free(x);
}

static void test_report_json_embeddings_and_output(void **state)
{
    char *x = run("json", "nasty-failures.ndjson", NULL);
    json_t *doc = json_loads(x, 0, NULL);
    json_t *el =
        json_array_get(json_object_get(json_array_get(doc, 0), "elements"), 0);
    /* The attachments were made in the first step (after the hook). */
    json_t *st = json_array_get(json_object_get(el, "steps"), 0);
    json_t *emb = json_object_get(st, "embeddings");

    (void)state;
    assert_non_null(doc);
    assert_int_equal(json_array_size(json_object_get(el, "before")), 1);
    assert_int_equal(json_array_size(json_object_get(el, "after")), 1);
    assert_int_equal(json_array_size(emb), 2);
    /* IDENTITY bodies are base64-encoded, BASE64 ones kept. */
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(emb, 0), "data")),
        "eyJub2RlcyI6M30=");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(emb, 1), "name")),
        "heights.svg");
    assert_int_equal(json_array_size(json_object_get(st, "output")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(st, "result"), "status")),
                        "passed");
    json_decref(doc);
    free(x);
}

static void test_report_summary_counts(void **state)
{
    char *x = run("summary", "nasty-failures.ndjson", NULL);

    (void)state;
    assert_non_null(
        strstr(x, "3 scenarios (1 failed, 1 pending, 1 skipped)\n"));
    assert_non_null(
        strstr(x, "8 steps (1 failed, 1 pending, 4 skipped, 2 passed)\n"));
    assert_non_null(strstr(x, "(executing steps: 0m00.005s)"));
    assert_null(strchr(x, '\x1b'));
    free(x);
    x = run("summary", "nasty-outlines.ndjson", NULL);
    assert_non_null(strstr(x, "8 scenarios (8 passed)\n"));
    assert_non_null(strstr(x, "1 attempt retried\n"));
    free(x);
    x = run("summary", "nasty-zero-scenarios.ndjson", NULL);
    assert_non_null(strstr(x, "0 scenarios\n0 steps\n"));
    free(x);
}

static void test_report_colour_only_when_asked(void **state)
{
    struct lb_formatter_options opts = {0};
    char *x;

    (void)state;
    opts.color = 1;
    x = run("progress", "nasty-failures.ndjson", &opts);
    assert_non_null(strstr(x, "\x1b[31mF\x1b[0m"));
    free(x);
    x = run("progress", "nasty-failures.ndjson", NULL);
    assert_null(strchr(x, '\x1b'));
    /* Hooks passed: not shown. Steps: . F - . - P - - */
    assert_non_null(strstr(x, ".F-.-P--\n"));
    free(x);
}

static void test_report_rerun_lists_failed_scenarios(void **state)
{
    char *x = run("rerun", "nasty-failures.ndjson", NULL);

    (void)state;
    assert_string_equal(x,
                        "features/nasty ünïcødé.feature:3\n"
                        "features/nasty ünïcødé.feature:12\n");
    free(x);
}

static void test_report_usage_lists_unused(void **state)
{
    char *x = run("usage", "nasty-failures.ndjson", NULL);

    (void)state;
    assert_non_null(strstr(x, "Unused step definitions (3):"));
    assert_non_null(strstr(x, "never used  # steps/nasty_steps.c:40"));
    assert_non_null(strstr(x, "2 matches"));
    free(x);
}

static void test_report_message_ends_with_run_finished(void **state)
{
    char *x = run("message", "nasty-zero-scenarios.ndjson", NULL);
    struct lb_formatter *f = NULL;
    struct lb_formatter_options opts = {0};
    struct lb_error err;
    char *text = NULL;
    size_t len = 0;
    json_t *env;

    (void)state;
    assert_non_null(strstr(x, "{\"meta\":"));
    assert_non_null(strstr(x, "\n{\"testRunFinished\":"));
    free(x);
    /* A stream cut short still gets its testRunFinished. */
    opts.out = open_memstream(&text, &len);
    lb_error_init(&err);
    assert_int_equal(lb_formatter_new("message", "-", &opts, &f, &err), 0);
    env = json_pack("{s:{s:s}}", "testRunStarted", "id", "r1");
    assert_int_equal(lb_formatter_event(f, env, &err), 0);
    json_decref(env);
    assert_int_equal(lb_formatter_finish(f, &err), 0);
    assert_int_equal(lb_formatter_finish(f, &err), LB_ESTATE);
    lb_formatter_free(f);
    assert_int_equal(fclose(opts.out), 0);
    assert_non_null(strstr(text, "\"testRunStartedId\":\"r1\""));
    assert_non_null(strstr(text, "\"success\":false"));
    free(text);
}

static void test_report_interrupted_run_is_completed(void **state)
{
    char *x = run("junit", "nasty-interrupted.ndjson", NULL);
    const char *tcf, *trf;

    (void)state;
    assert_non_null(strstr(x, "tests=\"1\" failures=\"1\""));
    assert_non_null(strstr(x, "<failure type=\"interrupted\""));
    free(x);
    x = run("message", "nasty-interrupted.ndjson", NULL);
    tcf = strstr(x, "{\"testCaseFinished\":{\"testCaseStartedId\":\"8\"");
    trf = strstr(x, "{\"testRunFinished\":");
    assert_non_null(tcf);
    assert_non_null(trf);
    assert_true(tcf < trf);
    assert_string_equal(trf + strcspn(trf, "\n"), "\n");
    free(x);
}

static void test_report_bad_input_is_an_error(void **state)
{
    struct lb_formatter *f = NULL;
    struct lb_formatter_options opts = {0};
    struct lb_error err;
    char *text = NULL;
    size_t len = 0;
    const char *stream = "{\"meta\":{}}\n\n{\"testStepFinished\":{}}\n";
    json_t *env;

    (void)state;
    opts.out = open_memstream(&text, &len);
    lb_error_init(&err);
    assert_int_equal(lb_formatter_new("junit", NULL, &opts, &f, &err), 0);
    assert_int_equal(lb_formatter_feed_ndjson(
                         &f, 1, stream, strlen(stream), "s.ndjson", &err),
                     LB_EPARSE);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.file, "s.ndjson");
    assert_non_null(strstr(err.msg, "testStepResult"));
    lb_error_init(&err);
    assert_int_equal(lb_formatter_feed_ndjson(&f, 1, "{not json", 9, "t", &err),
                     LB_EPARSE);
    assert_int_equal(err.line, 1);
    lb_error_init(&err);
    env = json_pack("{s:i}", "testCase", 1);
    assert_int_equal(lb_formatter_event(f, env, &err), LB_EPARSE);
    json_decref(env);
    /* Still usable: finishes with an empty suite. */
    assert_int_equal(lb_formatter_finish(f, NULL), 0);
    lb_formatter_free(f);
    assert_int_equal(fclose(opts.out), 0);
    assert_non_null(strstr(text, "tests=\"0\""));
    free(text);
}

static void test_report_shared_index_counts_once(void **state)
{
    struct lb_formatter *fs[3] = {NULL, NULL, NULL};
    struct lb_formatter_options opts = {0};
    struct lb_buf path = LB_BUF_INIT, in = LB_BUF_INIT;
    struct lb_error err;
    char *text = NULL;
    size_t len = 0, i;

    (void)state;
    lb_error_init(&err);
    opts.out = open_memstream(&text, &len);
    (void)lb_buf_addf(&path,
                      "%s/tests/data/reports/nasty-outlines.ndjson",
                      getenv("LB_SOURCE_DIR"));
    assert_int_equal(lb_buf_read_file(&in, path.ptr, &err), 0);
    assert_int_equal(lb_formatter_new("summary", NULL, &opts, &fs[0], &err), 0);
    opts.share_index = fs[0];
    assert_int_equal(lb_formatter_new("rerun", "-", &opts, &fs[1], &err), 0);
    assert_int_equal(lb_formatter_new("message", "-", &opts, &fs[2], &err), 0);
    assert_int_equal(lb_formatter_feed_ndjson(fs, 3, in.ptr, in.len, "s", &err),
                     0);
    /* The summary's index is shared with rerun: freeing the first keeps
     * the index alive for the other. */
    assert_int_equal(lb_formatter_finish(fs[0], &err), 0);
    lb_formatter_free(fs[0]);
    for (i = 1; i < 3; i++) {
        assert_int_equal(lb_formatter_finish(fs[i], &err), 0);
        lb_formatter_free(fs[i]);
    }
    assert_int_equal(fclose(opts.out), 0);
    assert_non_null(strstr(text, "8 scenarios (8 passed)\n15 steps"));
    lb_buf_release(&path);
    lb_buf_release(&in);
    free(text);
}

/* A run names its first formatter as share_index whatever its kind: a
 * message formatter first holds the index for the others, and the shared
 * reports are the same as reports made alone. */
static void test_report_shared_through_message_matches_alone(void **state)
{
    static const char *const names[] = {"message", "junit", "json", "usage"};
    struct lb_formatter *fs[4] = {NULL, NULL, NULL, NULL};
    struct lb_formatter_options opts = {0};
    struct lb_buf path = LB_BUF_INIT, in = LB_BUF_INIT;
    struct lb_error err;
    char *text[4] = {NULL, NULL, NULL, NULL};
    size_t len[4] = {0, 0, 0, 0}, i;
    FILE *out[4];

    (void)state;
    lb_error_init(&err);
    (void)lb_buf_addf(&path,
                      "%s/tests/data/reports/nasty-failures.ndjson",
                      getenv("LB_SOURCE_DIR"));
    assert_int_equal(lb_buf_read_file(&in, path.ptr, &err), 0);
    for (i = 0; i < 4; i++) {
        out[i] = open_memstream(&text[i], &len[i]);
        assert_non_null(out[i]);
        opts.out = out[i];
        opts.share_index = i > 0 ? fs[0] : NULL;
        assert_int_equal(lb_formatter_new(names[i], NULL, &opts, &fs[i], &err),
                         0);
    }
    assert_int_equal(lb_formatter_feed_ndjson(fs, 4, in.ptr, in.len, "s", &err),
                     0);
    /* The message formatter goes first; the index outlives it. */
    for (i = 0; i < 4; i++) {
        assert_int_equal(lb_formatter_finish(fs[i], &err), 0);
        lb_formatter_free(fs[i]);
        assert_int_equal(fclose(out[i]), 0);
    }
    for (i = 1; i < 4; i++) {
        char *alone = run(names[i], "nasty-failures.ndjson", NULL);

        assert_string_equal(text[i], alone);
        assert_true(len[i] > 0);
        free(alone);
    }
    for (i = 0; i < 4; i++)
        free(text[i]);
    lb_buf_release(&path);
    lb_buf_release(&in);
}

static void test_report_unwritable_path_is_named(void **state)
{
    struct lb_formatter *f = NULL;
    struct lb_error err;
    char dir[] = "/tmp/lb-report-test.XXXXXX";
    struct lb_buf path = LB_BUF_INIT;
    struct stat sb;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(
        lb_formatter_new("junit", "/nonexistent-lb/r.xml", NULL, &f, &err),
        LB_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent-lb/r.xml"));
    /* The folder disappears during the run: finish fails, names the
     * report, and leaves nothing behind. */
    assert_non_null(mkdtemp(dir));
    (void)lb_buf_addf(&path, "%s/report.json", dir);
    lb_error_init(&err);
    assert_int_equal(lb_formatter_new("json", path.ptr, NULL, &f, &err), 0);
    assert_int_equal(rmdir(dir), 0);
    assert_int_equal(lb_formatter_finish(f, &err), LB_EIO);
    assert_non_null(strstr(err.msg, path.ptr));
    lb_formatter_free(f);
    assert_int_not_equal(stat(path.ptr, &sb), 0);
    /* The same for the streaming message formatter. */
    assert_non_null(mkdtemp(strcpy(dir, "/tmp/lb-report-test.XXXXXX")));
    lb_buf_reset(&path);
    (void)lb_buf_addf(&path, "%s/messages.ndjson", dir);
    lb_error_init(&err);
    assert_int_equal(lb_formatter_new("message", path.ptr, NULL, &f, &err), 0);
    assert_int_equal(lb_formatter_finish(f, &err), 0);
    lb_formatter_free(f);
    assert_int_equal(stat(path.ptr, &sb), 0);
    assert_true(sb.st_size > 0);
    assert_int_equal(unlink(path.ptr), 0);
    assert_int_equal(rmdir(dir), 0);
    lb_buf_release(&path);
}

/* ---- Structs in, the same reports out ---- */

static const char struct_feature[] = "@top\n"
                                     "Feature: structs\n"
                                     "  Background:\n"
                                     "    Given a base\n"
                                     "\n"
                                     "  Scenario: plain\n"
                                     "    When a table\n"
                                     "      | a | b |\n"
                                     "      | 1 | 2 |\n"
                                     "\n"
                                     "  Rule: a rule\n"
                                     "    @tagged\n"
                                     "    Scenario Outline: outline <x>\n"
                                     "      Then a doc <x>\n"
                                     "        ```json\n"
                                     "        {\"x\": <x>}\n"
                                     "        ```\n"
                                     "      Examples: first\n"
                                     "        | x |\n"
                                     "        | 1 |\n"
                                     "        | 2 |\n";

static const char *const struct_formats[] = {"junit",
                                             "json",
                                             "pretty",
                                             "progress",
                                             "summary",
                                             "rerun",
                                             "usage",
                                             "message"};
#define NFMT (sizeof(struct_formats) / sizeof(struct_formats[0]))

struct feed {
    struct lb_formatter *fs[NFMT];
    char *text[NFMT];
    size_t len[NFMT];
    FILE *out[NFMT];
};

static void feed_open(struct feed *fd)
{
    struct lb_formatter_options opts = {0};
    struct lb_error err;
    size_t i;

    lb_error_init(&err);
    for (i = 0; i < NFMT; i++) {
        fd->out[i] = open_memstream(&fd->text[i], &fd->len[i]);
        assert_non_null(fd->out[i]);
        opts.out = fd->out[i];
        opts.share_index = i > 0 ? fd->fs[0] : NULL;
        assert_int_equal(
            lb_formatter_new(struct_formats[i], NULL, &opts, &fd->fs[i], &err),
            0);
    }
}

/* One line of JSON to every formatter, parsed. */
static void feed_json(struct feed *fd, const char *line, size_t len)
{
    struct lb_error err;
    json_t *env = json_loadb(line, len, 0, NULL);
    size_t i;

    lb_error_init(&err);
    assert_non_null(env);
    for (i = 0; i < NFMT; i++)
        assert_int_equal(
            lb_formatter_event_text(fd->fs[i], env, line, len, &err), 0);
    json_decref(env);
}

static void feed_close(struct feed *fd)
{
    struct lb_error err;
    size_t i;

    lb_error_init(&err);
    for (i = 0; i < NFMT; i++) {
        assert_int_equal(lb_formatter_finish(fd->fs[i], &err), 0);
        lb_formatter_free(fd->fs[i]);
        assert_int_equal(fclose(fd->out[i]), 0);
    }
}

/* Feeds the run of `doc`'s pickles: each pickle step matched by "sd" with
 * one argument, every step passing but the last of the last pickle. The
 * testCase goes as JSON or, `as_struct`, as lb_report_test_case. */
static void
feed_run(struct feed *fd, const struct lb_gherkin_document *doc, int as_struct)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_error err;
    size_t p, k, i;

    lb_error_init(&err);
#define LINE(...)                           \
    do {                                    \
        lb_buf_reset(&b);                   \
        (void)lb_buf_addf(&b, __VA_ARGS__); \
        feed_json(fd, b.ptr, b.len);        \
    } while (0)
    LINE("{\"stepDefinition\":{\"id\":\"sd\",\"pattern\":{\"source\":\"x\","
         "\"type\":\"CUCUMBER_EXPRESSION\"},\"sourceReference\":{\"uri\":"
         "\"steps.c\",\"location\":{\"line\":3}}}}");
    LINE("{\"testRunStarted\":{\"id\":\"run\",\"timestamp\":{\"seconds\":1,"
         "\"nanos\":0}}}");
    for (p = 0; p < doc->n_pickles; p++) {
        const struct lb_gherkin_pickle *pk = lb_gherkin_pickle_at(doc, p, &ps);
        struct lb_report_test_step steps[8];
        const char *ids[8][1];
        const json_t *args[8][1];
        char sid[8][48];
        json_t *arg = json_loads("[{\"group\":{\"start\":2,\"value\":\"ab\"},"
                                 "\"parameterTypeName\":\"word\"}]",
                                 0,
                                 NULL);

        assert_true(pk->n_steps <= 8);
        lb_buf_reset(&b);
        (void)lb_buf_addf(&b,
                          "{\"testCase\":{\"id\":\"tc%zu\",\"pickleId\":\"%s\","
                          "\"testSteps\":[",
                          p,
                          pk->id);
        for (k = 0; k < pk->n_steps; k++) {
            (void)snprintf(sid[k], sizeof(sid[k]), "ts%zu.%zu", p, k);
            (void)lb_buf_addf(&b,
                              "%s{\"id\":\"%s\",\"pickleStepId\":\"%s\","
                              "\"stepDefinitionIds\":[\"sd\"],"
                              "\"stepMatchArgumentsLists\":[{"
                              "\"stepMatchArguments\":[{\"group\":{"
                              "\"start\":2,\"value\":\"ab\"},"
                              "\"parameterTypeName\":\"word\"}]}]}",
                              k ? "," : "",
                              sid[k],
                              pk->steps[k].id);
            ids[k][0] = "sd";
            args[k][0] = arg;
            steps[k].id = sid[k];
            steps[k].pickle_step_id = pk->steps[k].id;
            steps[k].hook_id = NULL;
            steps[k].ndefs = 1;
            steps[k].def_ids = ids[k];
            steps[k].arguments = args[k];
        }
        (void)lb_buf_adds(&b, "],\"testRunStartedId\":\"run\"}}");
        if (as_struct) {
            char tcid[32];
            struct lb_report_test_case tc = {tcid, pk->id, pk->n_steps, steps};

            (void)snprintf(tcid, sizeof(tcid), "tc%zu", p);
            for (i = 0; i < NFMT; i++)
                assert_int_equal(lb_formatter_event_test_case(
                                     fd->fs[i], b.ptr, b.len, &tc, &err),
                                 0);
        } else {
            feed_json(fd, b.ptr, b.len);
        }
        json_decref(arg);
    }
    for (p = 0; p < doc->n_pickles; p++) {
        const struct lb_gherkin_pickle *pk = lb_gherkin_pickle_at(doc, p, &ps);

        LINE("{\"testCaseStarted\":{\"id\":\"tcs%zu\",\"testCaseId\":\"tc%zu\","
             "\"timestamp\":{\"seconds\":2,\"nanos\":%zu},\"attempt\":0}}",
             p,
             p,
             p * 1000);
        for (k = 0; k < pk->n_steps; k++) {
            int fail = p + 1 == doc->n_pickles && k + 1 == pk->n_steps;

            LINE("{\"testStepStarted\":{\"testCaseStartedId\":\"tcs%zu\","
                 "\"testStepId\":\"ts%zu.%zu\",\"timestamp\":{\"seconds\":2,"
                 "\"nanos\":%zu}}}",
                 p,
                 p,
                 k,
                 p * 1000 + k);
            LINE(
                "{\"testStepFinished\":{\"testCaseStartedId\":\"tcs%zu\","
                "\"testStepId\":\"ts%zu.%zu\",\"testStepResult\":{"
                "\"status\":\"%s\",%s\"duration\":{\"seconds\":0,"
                "\"nanos\":%zu}},\"timestamp\":{\"seconds\":2,\"nanos\":%zu}}}",
                p,
                p,
                k,
                fail ? "FAILED" : "PASSED",
                fail ? "\"message\":\"boom\"," : "",
                100 + k,
                p * 1000 + k + 1);
        }
        LINE("{\"testCaseFinished\":{\"testCaseStartedId\":\"tcs%zu\","
             "\"timestamp\":{\"seconds\":2,\"nanos\":%zu},"
             "\"willBeRetried\":false}}",
             p,
             p * 1000 + 999);
    }
    LINE("{\"testRunFinished\":{\"testRunStartedId\":\"run\",\"timestamp\":{"
         "\"seconds\":3,\"nanos\":0},\"success\":false}}");
#undef LINE
    lb_gherkin_pickle_scratch_release(&ps);
    lb_buf_release(&b);
}

/* The Gherkin envelopes and the testCase given as structs
 * (lb_formatter_event_gherkin, lb_formatter_event_test_case) make every
 * report byte for byte the same as the same envelopes given as JSON. */
static void test_report_struct_feeding_matches_json(void **state)
{
    struct lb_gherkin_options go = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc = NULL;
    struct lb_idgen ids;
    struct lb_error err;
    struct lb_buf src = LB_BUF_INIT, ast = LB_BUF_INIT;
    struct feed a, b;
    size_t p, i;

    (void)state;
    lb_error_init(&err);
    lb_idgen_init(&ids, true);
    go.ids = &ids;
    assert_int_equal(lb_gherkin_parse("features/structs.feature",
                                      struct_feature,
                                      strlen(struct_feature),
                                      &go,
                                      &doc,
                                      &err),
                     0);
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    assert_int_equal(doc->n_pickles, 3);
    assert_int_equal(lb_gherkin_write_source(&src, doc), 0);
    assert_int_equal(lb_gherkin_write_document(&ast, doc), 0);

    feed_open(&a);
    feed_json(&a, src.ptr, src.len - 1);
    feed_json(&a, ast.ptr, ast.len - 1);
    feed_open(&b);
    for (i = 0; i < NFMT; i++) {
        assert_int_equal(
            lb_formatter_event_gherkin(
                b.fs[i], "source", src.ptr, src.len - 1, doc, NULL, &err),
            0);
        assert_int_equal(lb_formatter_event_gherkin(b.fs[i],
                                                    "gherkinDocument",
                                                    ast.ptr,
                                                    ast.len - 1,
                                                    doc,
                                                    NULL,
                                                    &err),
                         0);
    }
    for (p = 0; p < doc->n_pickles; p++) {
        struct lb_buf pl = LB_BUF_INIT;
        struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
        const struct lb_gherkin_pickle *pk = lb_gherkin_pickle_at(doc, p, &ps);

        assert_int_equal(lb_gherkin_write_pickle(&pl, doc, pk), 0);
        feed_json(&a, pl.ptr, pl.len - 1);
        for (i = 0; i < NFMT; i++)
            assert_int_equal(
                lb_formatter_event_gherkin(
                    b.fs[i], "pickle", pl.ptr, pl.len - 1, doc, pk, &err),
                0);
        lb_gherkin_pickle_scratch_release(&ps);
        lb_buf_release(&pl);
    }
    feed_run(&a, doc, 0);
    feed_run(&b, doc, 1);
    feed_close(&a);
    feed_close(&b);
    for (i = 0; i < NFMT; i++) {
        assert_true(a.len[i] > 0);
        if (a.len[i] != b.len[i] || memcmp(a.text[i], b.text[i], a.len[i]))
            fail_msg("%s differs:\n%s\n---\n%s",
                     struct_formats[i],
                     a.text[i],
                     b.text[i]);
        free(a.text[i]);
        free(b.text[i]);
    }
    lb_buf_release(&src);
    lb_buf_release(&ast);
    lb_gherkin_document_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_unknown_format_lists_names),
        cmocka_unit_test(test_report_names_are_all_known),
        cmocka_unit_test(test_report_junit_names_are_unique),
        cmocka_unit_test(test_report_junit_stays_legal_xml),
        cmocka_unit_test(test_report_json_ids_and_backgrounds),
        cmocka_unit_test(test_report_json_embeddings_and_output),
        cmocka_unit_test(test_report_summary_counts),
        cmocka_unit_test(test_report_colour_only_when_asked),
        cmocka_unit_test(test_report_rerun_lists_failed_scenarios),
        cmocka_unit_test(test_report_usage_lists_unused),
        cmocka_unit_test(test_report_message_ends_with_run_finished),
        cmocka_unit_test(test_report_interrupted_run_is_completed),
        cmocka_unit_test(test_report_bad_input_is_an_error),
        cmocka_unit_test(test_report_shared_index_counts_once),
        cmocka_unit_test(test_report_shared_through_message_matches_alone),
        cmocka_unit_test(test_report_unwritable_path_is_named),
        cmocka_unit_test(test_report_struct_feeding_matches_json),
    };

    return cmocka_run_group_tests_name("report_formatter", tests, NULL, NULL);
}
