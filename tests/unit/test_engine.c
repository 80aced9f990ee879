/*
 * Unit tests of the engine: registry, hook order, status rules, retry,
 * world, arguments, dry run, fail-fast and interrupts, through the runner
 * with a private registry and hand-written pickles, checking the envelopes
 * it emits.
 */
#include "lb_test.h"

#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/id.h"
#include "engine/registry.h"
#include "engine/runner.h"
#include <logos_bdd/step.h>

/* ---- Harness ---- */

static json_t *events;   /* every envelope emitted */
static char trace[1024]; /* what the step functions did, in order */

static void note(const char *what)
{
    strncat(trace, what, sizeof(trace) - strlen(trace) - 1);
    strncat(trace, " ", sizeof(trace) - strlen(trace) - 1);
}

static size_t texts_seen;

/* Keeps every envelope; an envelope given with its text must be that text
 * exactly, parsed. */
static int capture(void *ctx,
                   const json_t *env,
                   const char *text,
                   size_t len,
                   struct lb_error *err)
{
    if (text != NULL) {
        json_error_t je;
        json_t *parsed = json_loadb(text, len, 0, &je);
        assert_non_null(parsed);
        assert_true(json_equal(parsed, (json_t *)env));
        assert_null(memchr(text, '\n', len));
        json_decref(parsed);
        texts_seen++;
    }
    json_array_append_new(events, json_deep_copy(env));
    return 0;
}

static json_t *pickle(const char *name, const char *tags, ...)
{
    static int seq;
    char id[32];
    snprintf(id, sizeof(id), "p%d", seq++);
    json_t *steps = json_array();
    va_list ap;
    va_start(ap, tags);
    const char *text;
    while ((text = va_arg(ap, const char *)) != NULL) {
        char sid[32];
        snprintf(sid, sizeof(sid), "s%d", seq++);
        json_array_append_new(steps,
                              json_pack("{ssss}", "id", sid, "text", text));
    }
    va_end(ap);
    json_t *jt = json_array();
    if (tags != NULL) {
        char *copy = strdup(tags), *save = NULL;
        for (char *t = strtok_r(copy, " ", &save); t != NULL;
             t = strtok_r(NULL, " ", &save))
            json_array_append_new(
                jt, json_pack("{ssss}", "name", t, "astNodeId", "t"));
        free(copy);
    }
    return json_pack("{s{sssssssoso}}",
                     "pickle",
                     "id",
                     id,
                     "uri",
                     "features/x.feature",
                     "name",
                     name,
                     "tags",
                     jt,
                     "steps",
                     steps);
}

struct run {
    struct lb_registry reg;
    struct lb_run_options opts;
    struct lb_run_result res;
    int rc;
    struct lb_error err;
};

/* Runs `pickles` (taken) against `reg`. */
static void run(struct run *r, json_t **pickles, size_t n)
{
    struct lb_idgen ids;
    lb_idgen_init(&ids, true);
    struct lb_runner *runner = NULL;
    json_decref(events);
    events = json_array();
    lb_error_init(&r->err);
    assert_int_equal(
        lb_runner_new(&r->opts, &r->reg, &ids, capture, NULL, &runner, &r->err),
        0);
    lb_runner_begin(runner, &r->err);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(lb_runner_add(runner, pickles[i], &r->err), 0);
        json_decref(pickles[i]);
    }
    r->rc = lb_runner_run(runner, &r->res, &r->err);
    lb_runner_free(runner);
}

/* The statuses of every testStepFinished, space-separated. */
static const char *statuses(void)
{
    static char buf[1024];
    buf[0] = '\0';
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        json_t *f = json_object_get(e, "testStepFinished");
        if (f == NULL)
            continue;
        const char *st = json_string_value(
            json_object_get(json_object_get(f, "testStepResult"), "status"));
        strncat(buf, st, sizeof(buf) - strlen(buf) - 1);
        strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
    }
    return buf;
}

/* The envelope kinds in order, space-separated. */
static const char *kinds(void)
{
    static char buf[4096];
    buf[0] = '\0';
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        const char *k = json_object_iter_key(json_object_iter(e));
        strncat(buf, k, sizeof(buf) - strlen(buf) - 1);
        strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
    }
    return buf;
}

static json_t *find(const char *kind, size_t nth)
{
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        json_t *x = json_object_get(e, kind);
        if (x != NULL && nth-- == 0)
            return x;
    }
    return NULL;
}

static void
add_step(struct lb_registry *reg, const char *pattern, lb_step_fn fn, int line)
{
    struct lb_stepdef d = {
        pattern, LB_PATTERN_AUTO, fn, "steps/t.c", line, NULL};
    lb_registry_add_step(reg, &d);
}

static void add_hook(struct lb_registry *reg,
                     enum lb_hook_kind kind,
                     lb_step_fn fn,
                     const char *tags,
                     int order)
{
    struct lb_hookdef d = {kind, fn, "steps/h.c", 1, NULL, tags, order, NULL};
    lb_registry_add_hook(reg, &d);
}

static int setup(void **state)
{
    struct run *r = calloc(1, sizeof(*r));
    trace[0] = '\0';
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    struct run *r = *state;
    lb_registry_release(&r->reg);
    free(r);
    json_decref(events);
    events = NULL;
    return 0;
}

/* ---- Step functions ---- */

static int passes(struct lb_step *s)
{
    note(lb_step_text(s));
    return 0;
}

static int fails(struct lb_step *s)
{
    note("fail");
    return lb_step_fail(s, "expected %d, got %d", 3, 4);
}

static int pending(struct lb_step *s)
{
    return lb_step_pending(s, "not yet");
}

static int skips(struct lb_step *s)
{
    return LB_STEP_SKIPPED;
}

static int hook_a(struct lb_step *s)
{
    note("A");
    return 0;
}

static int hook_b(struct lb_step *s)
{
    note("B");
    return 0;
}

static int hook_c(struct lb_step *s)
{
    note("C");
    return 0;
}

static int hook_fail(struct lb_step *s)
{
    note("HF");
    return lb_step_fail(s, "hook broke");
}

static int adds(struct lb_step *s)
{
    long long *sum = lb_world_get(s, "sum");
    if (sum == NULL) {
        sum = calloc(1, sizeof(*sum));
        lb_world_set(s, "sum", sum, free);
    }
    *sum += lb_step_arg_int(s, 0);
    return 0;
}

static int sum_is(struct lb_step *s)
{
    long long *sum = lb_world_get(s, "sum");
    long long want = lb_step_arg_int(s, 0);
    if (sum == NULL || *sum != want)
        return lb_step_fail(s, "sum is %lld, want %lld", sum ? *sum : -1, want);
    return 0;
}

static int args(struct lb_step *s)
{
    if (lb_step_arg_count(s) != 3 ||
        strcmp(lb_step_arg_str(s, 0), "alice") != 0 ||
        lb_step_arg_double(s, 1) != 2.5 ||
        strcmp(lb_step_arg_str(s, 2), "two words") != 0)
        return lb_step_fail(s, "bad args");
    if (lb_step_has_tag(s, "@t") == false ||
        strcmp(lb_step_scenario_name(s), "args") != 0)
        return lb_step_fail(s, "bad scenario info");
    return 0;
}

static int flaky_calls;

static int flaky(struct lb_step *s)
{
    return ++flaky_calls < 3 ? lb_step_fail(s, "flaky %d", flaky_calls) : 0;
}

static int interrupts(struct lb_step *s)
{
    lb_runner_interrupt(SIGINT);
    return lb_run_interrupted() ? lb_step_fail(s, "interrupted") : 0;
}

/* ---- Tests ---- */

static void test_engine_passes_and_emits_in_order(void **state)
{
    struct run *r = *state;
    add_step(&r->reg, "a step", passes, 10);
    json_t *p[] = {pickle("one", NULL, "a step", "a step", NULL)};
    run(r, p, 1);
    assert_int_equal(r->rc, 0);
    assert_true(r->res.success);
    assert_string_equal(kinds(),
                        "meta pickle stepDefinition testRunStarted testCase "
                        "testCaseStarted testStepStarted testStepFinished "
                        "testStepStarted testStepFinished testCaseFinished "
                        "testRunFinished ");
    json_t *sd = find("stepDefinition", 0);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(sd, "pattern"), "type")),
                        "CUCUMBER_EXPRESSION");
    assert_int_equal(
        json_integer_value(json_object_get(
            json_object_get(json_object_get(sd, "sourceReference"), "location"),
            "line")),
        10);
    assert_string_equal(trace, "a step a step ");
}

/* The frequent envelopes come with their text (capture checks it parses
 * to the envelope), also for failures with messages and for retries. */
static void test_engine_envelope_text_matches(void **state)
{
    struct run *r = *state;
    add_step(&r->reg, "a step", passes, 10);
    add_step(&r->reg, "it fails", fails, 11);
    r->opts.retry = 1;
    json_t *p[] = {pickle("one", NULL, "a step", "it fails", NULL)};
    texts_seen = 0;
    run(r, p, 1);
    /* testCase, 2 x (testCaseStarted, 2 x 2 step events, testCaseFinished) */
    assert_int_equal(texts_seen, 13);
}

static void test_engine_meta_names_the_ci(void **state)
{
    struct run *r = *state;
    setenv("GITLAB_CI", "true", 1);
    setenv("CI_PIPELINE_URL", "https://gitlab.example/p/-/pipelines/7", 1);
    setenv("CI_PIPELINE_ID", "7", 1);
    setenv("CI_REPOSITORY_URL",
           "https://gitlab-ci-token:SECRET@gitlab.example/p.git",
           1);
    setenv("CI_COMMIT_SHA", "abc123", 1);
    run(r, NULL, 0);
    unsetenv("GITLAB_CI");
    json_t *ci = json_object_get(find("meta", 0), "ci");
    assert_string_equal(json_string_value(json_object_get(ci, "name")),
                        "GitLab");
    assert_string_equal(json_string_value(json_object_get(ci, "buildNumber")),
                        "7");
    json_t *git = json_object_get(ci, "git");
    /* the job token never reaches a report */
    assert_string_equal(json_string_value(json_object_get(git, "remote")),
                        "https://gitlab.example/p.git");
    assert_string_equal(json_string_value(json_object_get(git, "revision")),
                        "abc123");
    /* an empty run still ends with testRunFinished, and succeeds */
    assert_true(r->res.success);
    assert_non_null(find("testRunFinished", 0));
}

static void test_engine_status_rules(void **state)
{
    struct run *r = *state;
    add_step(&r->reg, "a step", passes, 1);
    add_step(&r->reg, "a failing step", fails, 2);
    add_step(&r->reg, "^a pending step$", pending, 3);
    add_step(&r->reg, "^an ambiguous (.*)$", passes, 4);
    add_step(&r->reg, "^(.*) ambiguous step$", passes, 5);
    add_step(&r->reg, "a skipping step", skips, 6);
    json_t *p[] = {
        pickle("f",
               NULL,
               "a failing step",
               "a step",
               "an undefined step",
               "an ambiguous step",
               NULL),
        pickle("p", NULL, "a pending step", "a step", NULL),
        pickle("s", NULL, "a skipping step", "an undefined step", NULL),
    };
    run(r, p, 3);
    assert_int_equal(r->rc, 0);
    assert_false(r->res.success);
    /* after a failure: defined steps are skipped, undefined and ambiguous
     * still show; after a self-skipped step everything is skipped */
    assert_string_equal(statuses(),
                        "FAILED SKIPPED UNDEFINED AMBIGUOUS "
                        "PENDING SKIPPED "
                        "SKIPPED SKIPPED ");
    assert_string_equal(trace, "fail ");
    json_t *res =
        json_object_get(find("testStepFinished", 0), "testStepResult");
    assert_string_equal(json_string_value(json_object_get(res, "message")),
                        "expected 3, got 4");
    /* the undefined step got a C snippet */
    json_t *sug = find("suggestion", 0);
    assert_non_null(sug);
    json_t *sn = json_array_get(json_object_get(sug, "snippets"), 0);
    assert_string_equal(json_string_value(json_object_get(sn, "language")),
                        "c");
    assert_non_null(strstr(json_string_value(json_object_get(sn, "code")),
                           "LB_STEP(\"an undefined step\""));
    /* ambiguity lists both definitions */
    json_t *tc = find("testCase", 0);
    json_t *ts = json_array_get(json_object_get(tc, "testSteps"), 3);
    assert_int_equal(json_array_size(json_object_get(ts, "stepDefinitionIds")),
                     2);
    assert_int_equal(r->res.cases_by[LB_STATUS_FAILED], 1);
    assert_int_equal(r->res.cases_by[LB_STATUS_PENDING], 1);
    assert_int_equal(r->res.cases_by[LB_STATUS_SKIPPED], 1);
    assert_int_equal(r->res.undefined_or_ambiguous, 2);
}

static void test_engine_pending_passes_when_not_strict(void **state)
{
    struct run *r = *state;
    add_step(&r->reg, "a pending step", pending, 3);
    r->opts.no_strict = true;
    json_t *p[] = {pickle("p", NULL, "a pending step", NULL)};
    run(r, p, 1);
    assert_true(r->res.success);
    assert_string_equal(statuses(), "PENDING ");
}

static void test_engine_hook_order_and_tags(void **state)
{
    struct run *r = *state;
    add_hook(&r->reg, LB_HOOK_BEFORE, hook_a, NULL, 0);
    add_hook(&r->reg, LB_HOOK_BEFORE, hook_b, "@b", 0);
    add_hook(&r->reg, LB_HOOK_BEFORE, hook_c, NULL, -1); /* runs first */
    add_hook(&r->reg, LB_HOOK_AFTER, hook_a, NULL, 0);
    add_hook(&r->reg, LB_HOOK_AFTER, hook_b, NULL, 0); /* after: reversed */
    add_hook(&r->reg, LB_HOOK_BEFORE_STEP, hook_c, "not @b", 0);
    add_step(&r->reg, "a step", passes, 1);
    json_t *p[] = {pickle("tagged", "@b", "a step", NULL),
                   pickle("plain", NULL, "a step", NULL)};
    run(r, p, 2);
    assert_true(r->res.success);
    assert_string_equal(trace,
                        "C A B a step B A "
                        "C A C a step B A ");
    /* hooks are test steps of their own; step hooks are not */
    json_t *tc = find("testCase", 1);
    assert_int_equal(json_array_size(json_object_get(tc, "testSteps")), 5);
    json_t *hook = find("hook", 1);
    assert_string_equal(
        json_string_value(json_object_get(hook, "tagExpression")), "@b");
}

static void test_engine_after_hooks_always_run(void **state)
{
    struct run *r = *state;
    add_hook(&r->reg, LB_HOOK_BEFORE, hook_fail, NULL, 0);
    add_hook(&r->reg, LB_HOOK_BEFORE, hook_a, NULL, 0);
    add_hook(&r->reg, LB_HOOK_AFTER, hook_b, NULL, 0);
    add_step(&r->reg, "a step", passes, 1);
    json_t *p[] = {pickle("x", NULL, "a step", NULL)};
    run(r, p, 1);
    assert_false(r->res.success);
    assert_string_equal(trace, "HF B ");
    assert_string_equal(statuses(), "FAILED SKIPPED SKIPPED PASSED ");
}

static void test_engine_world_and_arguments(void **state)
{
    struct run *r = *state;
    add_step(&r->reg, "I add {int}", adds, 1);
    add_step(&r->reg, "the sum is {int}", sum_is, 2);
    add_step(&r->reg, "{word} pays {float} for {string}", args, 3);
    json_t *p[] = {
        pickle("one", NULL, "I add 2", "I add 40", "the sum is 42", NULL),
        /* a new world per scenario */
        pickle("two", NULL, "I add 1", "the sum is 1", NULL),
        pickle("args", "@t", "alice pays 2.5 for \"two words\"", NULL),
    };
    run(r, p, 3);
    assert_true(r->res.success);
    assert_string_equal(statuses(),
                        "PASSED PASSED PASSED PASSED PASSED "
                        "PASSED ");
    json_t *tc = find("testCase", 2);
    json_t *ts = json_array_get(json_object_get(tc, "testSteps"), 0);
    json_t *args0 = json_array_get(
        json_object_get(
            json_array_get(json_object_get(ts, "stepMatchArgumentsLists"), 0),
            "stepMatchArguments"),
        1);
    assert_string_equal(
        json_string_value(json_object_get(args0, "parameterTypeName")),
        "float");
}

static void test_engine_retry_failed_only(void **state)
{
    struct run *r = *state;
    flaky_calls = 0;
    add_step(&r->reg, "a flaky step", flaky, 1);
    add_step(&r->reg, "a pending step", pending, 2);
    r->opts.retry = 2;
    json_t *p[] = {pickle("flaky", NULL, "a flaky step", NULL),
                   pickle("pending", NULL, "a pending step", NULL)};
    run(r, p, 2);
    assert_int_equal(flaky_calls, 3);
    assert_string_equal(statuses(), "FAILED FAILED PASSED PENDING ");
    json_t *f0 = find("testCaseFinished", 0);
    json_t *f2 = find("testCaseFinished", 2);
    json_t *f3 = find("testCaseFinished", 3);
    assert_true(json_is_true(json_object_get(f0, "willBeRetried")));
    assert_true(json_is_false(json_object_get(f2, "willBeRetried")));
    assert_true(json_is_false(json_object_get(f3, "willBeRetried")));
    assert_int_equal(json_integer_value(json_object_get(
                         find("testCaseStarted", 2), "attempt")),
                     2);
    /* the flaky scenario finally passed; the pending one fails the run */
    assert_int_equal(r->res.cases_by[LB_STATUS_PASSED], 1);
    assert_false(r->res.success);
}

static void test_engine_retry_tag_filter(void **state)
{
    struct run *r = *state;
    flaky_calls = 0;
    add_step(&r->reg, "a flaky step", flaky, 1);
    r->opts.retry = 5;
    r->opts.retry_tag_filter = "@flaky";
    json_t *p[] = {pickle("no tag", NULL, "a flaky step", NULL)};
    run(r, p, 1);
    assert_int_equal(flaky_calls, 1);
    assert_false(r->res.success);
}

static void test_engine_dry_run_and_fail_fast(void **state)
{
    struct run *r = *state;
    add_step(&r->reg, "a step", passes, 1);
    add_step(&r->reg, "a failing step", fails, 2);
    add_hook(&r->reg, LB_HOOK_BEFORE, hook_a, NULL, 0);
    r->opts.dry_run = true;
    json_t *p[] = {pickle("x", NULL, "a step", "a failing step", "nope", NULL)};
    run(r, p, 1);
    assert_string_equal(trace, "");
    assert_string_equal(statuses(), "SKIPPED SKIPPED SKIPPED UNDEFINED ");
    assert_int_equal(r->res.undefined_or_ambiguous, 1);

    r->opts.dry_run = false;
    r->opts.fail_fast = true;
    trace[0] = '\0';
    json_t *q[] = {pickle("1", NULL, "a failing step", NULL),
                   pickle("2", NULL, "a step", NULL)};
    run(r, q, 2);
    assert_string_equal(trace, "A fail ");
    assert_int_equal(r->res.test_cases, 1);
    assert_string_equal(json_object_iter_key(json_object_iter(json_array_get(
                            events, json_array_size(events) - 1))),
                        "testRunFinished");
}

static void test_engine_order_reverse_and_random(void **state)
{
    struct run *r = *state;
    add_step(&r->reg, "step {int}", passes, 1);
    r->opts.order = LB_ORDER_REVERSE;
    json_t *p[] = {pickle("1", NULL, "step 1", NULL),
                   pickle("2", NULL, "step 2", NULL),
                   pickle("3", NULL, "step 3", NULL)};
    run(r, p, 3);
    assert_string_equal(trace, "step 3 step 2 step 1 ");

    /* the same seed gives the same order */
    r->opts.order = LB_ORDER_RANDOM;
    r->opts.seed = 7;
    char first[256];
    trace[0] = '\0';
    json_t *q[] = {pickle("1", NULL, "step 1", NULL),
                   pickle("2", NULL, "step 2", NULL),
                   pickle("3", NULL, "step 3", NULL),
                   pickle("4", NULL, "step 4", NULL)};
    run(r, q, 4);
    strcpy(first, trace);
    trace[0] = '\0';
    json_t *q2[] = {pickle("1", NULL, "step 1", NULL),
                    pickle("2", NULL, "step 2", NULL),
                    pickle("3", NULL, "step 3", NULL),
                    pickle("4", NULL, "step 4", NULL)};
    run(r, q2, 4);
    assert_string_equal(trace, first);
}

static void test_engine_interrupt_finishes_the_run(void **state)
{
    struct run *r = *state;
    add_step(&r->reg, "a step", passes, 1);
    add_step(&r->reg, "Ctrl-C", interrupts, 2);
    add_hook(&r->reg, LB_HOOK_AFTER, hook_b, NULL, 0);
    json_t *p[] = {pickle("1", NULL, "Ctrl-C", "a step", NULL),
                   pickle("2", NULL, "a step", NULL)};
    run(r, p, 2);
    lb_runner_interrupt(0);
    assert_true(r->res.interrupted);
    assert_false(r->res.success);
    /* the after hook still ran; the second scenario did not start */
    assert_string_equal(trace, "B ");
    assert_int_equal(r->res.test_cases, 1);
    json_t *fin = find("testRunFinished", 0);
    assert_string_equal(json_string_value(json_object_get(fin, "message")),
                        "interrupted by SIGINT");
}

static void test_engine_bad_pattern_names_its_location(void **state)
{
    struct run *r = *state;
    add_step(&r->reg, "^a (broken$", passes, 77);
    json_t *p[] = {pickle("x", NULL, "a step", NULL)};
    run(r, p, 1);
    assert_int_not_equal(r->rc, 0);
    if (strstr(r->err.msg, "steps/t.c:77") == NULL &&
        strcmp(r->err.file, "steps/t.c") != 0)
        fail_msg("error names no location: %s:%d: %s",
                 r->err.file,
                 r->err.line,
                 r->err.msg);
    /* the stream still ends with testRunFinished, saying where */
    json_t *fin = find("testRunFinished", 0);
    assert_non_null(fin);
    assert_non_null(strstr(json_string_value(json_object_get(fin, "message")),
                           "steps/t.c:77"));
    assert_true(json_is_false(json_object_get(fin, "success")));
}

static int run_hook_fails(struct lb_step *s)
{
    note("BA");
    lb_step_log(s, "from before all");
    return lb_step_fail(s, "no cluster");
}

static void test_engine_before_all_failure_skips_scenarios(void **state)
{
    struct run *r = *state;
    add_hook(&r->reg, LB_HOOK_BEFORE_ALL, run_hook_fails, NULL, 0);
    add_hook(&r->reg, LB_HOOK_AFTER_ALL, hook_a, NULL, 0);
    add_step(&r->reg, "a step", passes, 1);
    json_t *p[] = {pickle("x", NULL, "a step", NULL)};
    run(r, p, 1);
    assert_string_equal(trace, "BA A ");
    assert_false(r->res.success);
    assert_null(find("testCase", 0));
    json_t *att = find("attachment", 0);
    assert_non_null(json_object_get(att, "testRunHookStartedId"));
    assert_string_equal(json_string_value(json_object_get(att, "mediaType")),
                        "text/x.cucumber.log+plain");
}

static void
test_engine_registration_macros_fill_the_global_registry(void **state)
{
    /* LB_STEP in this file registered at load time (see below) */
    struct lb_registry *g = lb_registry_global();
    bool found = false;
    for (size_t i = 0; i < g->steps.len; i++)
        if (strcmp(g->steps.items[i].pattern, "a registered {int}") == 0) {
            found = true;
            assert_non_null(strstr(g->steps.items[i].file, "test_engine.c"));
            assert_true(g->steps.items[i].line > 0);
        }
    assert_true(found);
    assert_true(g->hooks.len >= 1);
    assert_string_equal(g->hooks.items[0].name, "named");
    assert_int_equal(g->hooks.items[0].order, 5);
}

static int registered(struct lb_step *s)
{
    return 0;
}

/* Runs last: it empties the global registry of linked-in definitions. */
static void test_engine_drop_builtin_keeps_library_definitions(void **state)
{
    struct lb_registry *g = lb_registry_global();
    lb_registry_set_origin("libmine.so");
    lb_step_register(
        "a library step", LB_PATTERN_AUTO, registered, "mine.c", 3);
    lb_hook_register(LB_HOOK_AFTER, registered, "mine.c", 4, NULL);
    lb_registry_set_origin(NULL);
    size_t before = g->steps.len;
    assert_true(before >= 2);
    lb_registry_drop_builtin(g);
    assert_int_equal(g->steps.len, 1);
    assert_string_equal(g->steps.items[0].pattern, "a library step");
    assert_string_equal(g->steps.items[0].origin, "libmine.so");
    assert_int_equal(g->hooks.len, 1);
    assert_int_equal(g->hooks.items[0].line, 4);
    assert_int_equal(g->order.len, 2);
    assert_int_equal(g->order.items[0].type, LB_DEF_STEP);
    assert_int_equal(g->order.items[1].type, LB_DEF_HOOK);
}
LB_STEP("a registered {int}", registered);
LB_HOOK(LB_HOOK_BEFORE, registered, .name = "named", .order = 5);

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_engine_passes_and_emits_in_order),
        T(test_engine_envelope_text_matches),
        T(test_engine_meta_names_the_ci),
        T(test_engine_status_rules),
        T(test_engine_pending_passes_when_not_strict),
        T(test_engine_hook_order_and_tags),
        T(test_engine_after_hooks_always_run),
        T(test_engine_world_and_arguments),
        T(test_engine_retry_failed_only),
        T(test_engine_retry_tag_filter),
        T(test_engine_dry_run_and_fail_fast),
        T(test_engine_order_reverse_and_random),
        T(test_engine_interrupt_finishes_the_run),
        T(test_engine_bad_pattern_names_its_location),
        T(test_engine_before_all_failure_skips_scenarios),
        T(test_engine_registration_macros_fill_the_global_registry),
        T(test_engine_drop_builtin_keeps_library_definitions),
#undef T
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
