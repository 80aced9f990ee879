/*
 * The test run: see runner.h. Envelopes follow the order cucumber-js and
 * the Cucumber Compatibility Kit give: meta, sources, documents, pickles,
 * the definitions in their registration order, testRunStarted, the
 * before-all hooks, every testCase, then each test case attempt, the
 * after-all hooks, testRunFinished.
 */
#include "engine/runner.h"

#include <openssl/evp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "core/time.h"
#include "engine/match.h"
#include "engine/step_impl.h"
#include "engine/tag_expression.h"
#include "gherkin/gherkin.h"

/* ---- Signals and run options ---- */

static volatile sig_atomic_t interrupted_signal;

static void on_signal(int signo)
{
    if (interrupted_signal != 0) {
        /* a second Ctrl-C: the user does not want to wait for the
         * teardown (a step that never looks at lb_run_interrupted) */
        (void)signal(signo, SIG_DFL);
        (void)raise(signo);
        return;
    }
    interrupted_signal = signo;
}

void lb_runner_install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* no SA_RESTART: a blocking call in a step returns EINTR and the step
     * gets to look at lb_run_interrupted() */
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGTERM, &sa, NULL);
}

bool lb_run_interrupted(void)
{
    return interrupted_signal != 0;
}

int lb_runner_signal(void)
{
    return interrupted_signal;
}

void lb_runner_interrupt(int signo)
{
    interrupted_signal = signo;
}

#define MAX_RUN_OPTIONS 16
static struct {
    const char *name;
    const char *value;
} run_options[MAX_RUN_OPTIONS];

void lb_run_option_set(const char *name, const char *value)
{
    for (size_t i = 0; i < MAX_RUN_OPTIONS; i++) {
        if (run_options[i].name == NULL ||
            strcmp(run_options[i].name, name) == 0) {
            run_options[i].name = name;
            run_options[i].value = value;
            return;
        }
    }
    LB_BUG("too many run options");
}

const char *lb_run_option(const char *name)
{
    for (size_t i = 0; i < MAX_RUN_OPTIONS && run_options[i].name; i++)
        if (strcmp(run_options[i].name, name) == 0)
            return run_options[i].value;
    return NULL;
}

/* ---- Statuses ---- */

const char *lb_status_name(enum lb_status s)
{
    static const char *const names[] = {"UNKNOWN",
                                        "PASSED",
                                        "SKIPPED",
                                        "PENDING",
                                        "UNDEFINED",
                                        "AMBIGUOUS",
                                        "FAILED"};
    return (unsigned)s < LB_STATUS_COUNT ? names[s] : "UNKNOWN";
}

/* ---- The runner ---- */

enum tc_step_kind { TC_HOOK, TC_PICKLE };

struct tc_step {
    char id[LB_ID_MAX];
    enum tc_step_kind kind;
    size_t hook;                        /* registry index (TC_HOOK) */
    const struct lb_pickle_step *pstep; /* TC_PICKLE: borrowed */
    struct lb_matches matches;
};

struct test_case {
    struct lb_pickle *pickle; /* owned */
    char id[LB_ID_MAX];
    LB_VEC(struct tc_step) steps;
};

struct lb_runner {
    struct lb_run_options opts;
    struct lb_registry *reg;
    struct lb_idgen *ids;
    lb_event_cb cb;
    lb_gherkin_event_cb gcb;
    lb_test_case_event_cb tccb;
    void *ctx;
    struct lb_error cb_err; /* the first failure of the callback */

    LB_VEC(struct lb_pickle *) pickles; /* until they become test cases */
    LB_VEC(struct test_case) cases;
    struct lb_matcher *m;
    char (*step_ids)[LB_ID_MAX]; /* by registry step index ("" = none) */
    char (*hook_ids)[LB_ID_MAX]; /* by registry hook index */
    struct lb_tag_expr **hook_tags;
    struct lb_tag_expr *retry_filter;
    char run_id[LB_ID_MAX];
    bool began, finished;

    /* where attachments go: a test step or a run hook */
    const char *att_tcs_id;
    const char *att_step_id;
    const char *att_hook_started_id;

    struct lb_run_result res;
    struct lb_buf text;        /* the envelope being emitted, as JSON text */
    struct lb_buf ambiguities; /* what lb_runner_ambiguities() gives */
    json_t *step_lines;        /* AST step id -> line, of the last document */
};

/* json_pack, where a failure is a bug in the format (or out of memory). */
static json_t *pack(const char *fmt, ...)
{
    json_error_t je;
    va_list ap;
    va_start(ap, fmt);
    json_t *v = json_vpack_ex(&je, 0, fmt, ap);
    va_end(ap);
    if (v == NULL)
        LB_BUG("building an envelope: %s (format %s)", je.text, fmt);
    return v;
}

/* The hot envelopes are built with direct calls rather than json_pack,
 * whose format parsing showed in profiles; ids and statuses are ASCII, so
 * the UTF-8 checks are skipped for them. */
static json_t *jobj(void)
{
    json_t *o = json_object();
    if (o == NULL)
        LB_BUG("out of memory building an envelope");
    return o;
}

static void jset(json_t *o, const char *key, json_t *v)
{
    if (v == NULL || json_object_set_new_nocheck(o, key, v) != 0)
        LB_BUG("out of memory building an envelope");
}

/* An ASCII id or name. */
static void jset_id(json_t *o, const char *key, const char *id)
{
    jset(o, key, json_string_nocheck(id));
}

/* {kind: body}, body taken. */
static json_t *jwrap(const char *kind, json_t *body)
{
    json_t *env = jobj();
    jset(env, kind, body);
    return env;
}

static json_t *timestamp_json(int64_t ns)
{
    json_t *t = jobj();
    jset(t, "seconds", json_integer((json_int_t)(ns / 1000000000)));
    jset(t, "nanos", json_integer((json_int_t)(ns % 1000000000)));
    return t;
}

static json_t *duration_json(int64_t ns)
{
    return timestamp_json(ns < 0 ? 0 : ns);
}

static json_t *timestamp_now(void)
{
    return timestamp_json(lb_time_wall_ns());
}

/* ---- Envelope text ----
 * The frequent envelopes (testCase, testCaseStarted/Finished,
 * testStepStarted/Finished) are also written as JSON text, beside the
 * jansson object, straight from the runner's structs: a message report
 * then writes that text instead of serialising the object again, which
 * was the largest cost of a run with a message report. */

static void text_int(struct lb_buf *b, long long v)
{
    char tmp[24], *p = tmp + sizeof(tmp);
    unsigned long long u =
        v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    lb_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void text_str(struct lb_buf *b, const char *s)
{
    lb_buf_add_json_string(b, s, strlen(s));
}

/* ,"key": */
static void text_key(struct lb_buf *b, const char *key)
{
    lb_buf_adds(b, ",\"");
    lb_buf_adds(b, key);
    lb_buf_adds(b, "\":");
}

/* {"seconds":s,"nanos":n}, as timestamp_json and duration_json. */
static void text_time(struct lb_buf *b, int64_t ns)
{
    if (ns < 0)
        ns = 0;
    lb_buf_adds(b, "{\"seconds\":");
    text_int(b, (long long)(ns / 1000000000));
    lb_buf_adds(b, ",\"nanos\":");
    text_int(b, (long long)(ns % 1000000000));
    lb_buf_addch(b, '}');
}

static int text_dump_cb(const char *buffer, size_t size, void *data)
{
    return lb_buf_add(data, buffer, size) == 0 ? 0 : -1;
}

/* A jansson value as compact text, as json_dumps(JSON_COMPACT) writes it
 * (members in insertion order); walked here rather than through jansson's
 * callback-per-token dumper, which showed in profiles. */
static void text_json(struct lb_buf *b, const json_t *v)
{
    const char *key;
    json_t *x;
    size_t i;
    int first = 1;

    switch (json_typeof(v)) {
    case JSON_OBJECT:
        lb_buf_addch(b, '{');
        json_object_foreach((json_t *)v, key, x)
        {
            if (!first)
                lb_buf_addch(b, ',');
            first = 0;
            lb_buf_add_json_string(b, key, strlen(key));
            lb_buf_addch(b, ':');
            text_json(b, x);
        }
        lb_buf_addch(b, '}');
        return;
    case JSON_ARRAY:
        lb_buf_addch(b, '[');
        json_array_foreach(v, i, x)
        {
            if (i > 0)
                lb_buf_addch(b, ',');
            text_json(b, x);
        }
        lb_buf_addch(b, ']');
        return;
    case JSON_STRING:
        lb_buf_add_json_string(b, json_string_value(v), json_string_length(v));
        return;
    case JSON_INTEGER:
        text_int(b, (long long)json_integer_value(v));
        return;
    case JSON_TRUE:
        lb_buf_adds(b, "true");
        return;
    case JSON_FALSE:
        lb_buf_adds(b, "false");
        return;
    case JSON_NULL:
        lb_buf_adds(b, "null");
        return;
    default:
        /* reals: jansson's own formatting */
        if (json_dump_callback(
                v, text_dump_cb, b, JSON_COMPACT | JSON_ENCODE_ANY) != 0)
            LB_BUG("out of memory writing an envelope");
    }
}

/* Hands `env` (taken) and its text (NULL: none) to the callback. */
static void emit_text(struct lb_runner *r, json_t *env, const struct lb_buf *t)
{
    if (env == NULL)
        LB_BUG("out of memory building an envelope");
    struct lb_error e;
    lb_error_init(&e);
    if (r->cb(r->ctx, env, t ? t->ptr : NULL, t ? t->len : 0, &e) != 0 &&
        !lb_error_is_set(&r->cb_err))
    {
        r->cb_err = e;
        if (!lb_error_is_set(&r->cb_err))
            lb_error_set(&r->cb_err, LB_EIO, "a report could not be written");
    }
    json_decref(env);
}

static void emit(struct lb_runner *r, json_t *env)
{
    emit_text(r, env, NULL);
}

static void new_id(struct lb_runner *r, char out[LB_ID_MAX])
{
    lb_idgen_next(r->ids, out);
}

int lb_runner_new(const struct lb_run_options *opts,
                  struct lb_registry *reg,
                  struct lb_idgen *ids,
                  lb_event_cb cb,
                  void *ctx,
                  struct lb_runner **out,
                  struct lb_error *err)
{
    struct lb_runner *r = lb_xcalloc(1, sizeof(*r));
    r->opts = *opts;
    r->reg = reg;
    r->ids = ids;
    r->cb = cb;
    r->ctx = ctx;
    lb_buf_init(&r->ambiguities, 0);
    lb_buf_init(&r->text, 0);
    lb_error_init(&r->cb_err);
    if (opts->retry_tag_filter != NULL) {
        int rc =
            lb_tag_expr_parse(&r->retry_filter, opts->retry_tag_filter, err);
        if (rc != 0) {
            lb_error_prefix(
                err, "--retry-tag-filter '%s'", opts->retry_tag_filter);
            lb_free(r);
            return rc;
        }
    }
    *out = r;
    return 0;
}

static void pickle_free(struct lb_pickle *p)
{
    if (p == NULL)
        return;
    lb_free(p->id);
    lb_free(p->uri);
    lb_free(p->name);
    for (size_t i = 0; i < p->ntags; i++)
        lb_free(p->tags[i]);
    lb_free(p->tags);
    for (size_t i = 0; i < p->nsteps; i++) {
        lb_free(p->steps[i].id);
        lb_free(p->steps[i].text);
        json_decref(p->steps[i].argument);
    }
    lb_free(p->steps);
    lb_free(p);
}

static char *dup_field(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return lb_xstrdup(v != NULL ? v : "");
}

/* Remembers the line of every step of a gherkinDocument (pickle steps
 * name their AST step by id), for failure locations. */
static void index_step_lines(json_t *lines, const json_t *children)
{
    size_t i;
    json_t *c;
    json_array_foreach(children, i, c)
    {
        json_t *rule = json_object_get(c, "rule");
        if (rule != NULL) {
            index_step_lines(lines, json_object_get(rule, "children"));
            continue;
        }
        json_t *node = json_object_get(c, "scenario");
        if (node == NULL)
            node = json_object_get(c, "background");
        size_t k;
        json_t *st;
        json_array_foreach(json_object_get(node, "steps"), k, st)
        {
            const char *id = json_string_value(json_object_get(st, "id"));
            json_t *line =
                json_object_get(json_object_get(st, "location"), "line");
            if (id != NULL && line != NULL)
                json_object_set(lines, id, line);
        }
    }
}

/* The parts of a pickle envelope the run needs. */
static struct lb_pickle *pickle_from_json(const json_t *pj, const json_t *lines)
{
    struct lb_pickle *p = lb_xcalloc(1, sizeof(*p));
    p->id = dup_field(pj, "id");
    p->uri = dup_field(pj, "uri");
    p->name = dup_field(pj, "name");
    p->line = (int)json_integer_value(
        json_object_get(json_object_get(pj, "location"), "line"));
    json_t *tags = json_object_get(pj, "tags");
    p->ntags = json_array_size(tags);
    p->tags = lb_xcalloc(p->ntags + 1, sizeof(char *));
    for (size_t i = 0; i < p->ntags; i++)
        p->tags[i] = dup_field(json_array_get(tags, i), "name");
    json_t *steps = json_object_get(pj, "steps");
    p->nsteps = json_array_size(steps);
    p->steps = lb_xcalloc(p->nsteps + 1, sizeof(*p->steps));
    for (size_t i = 0; i < p->nsteps; i++) {
        json_t *ps = json_array_get(steps, i);
        p->steps[i].id = dup_field(ps, "id");
        p->steps[i].text = dup_field(ps, "text");
        json_t *arg = json_object_get(ps, "argument");
        p->steps[i].argument = arg != NULL ? json_incref(arg) : NULL;
        const char *ast = json_string_value(
            json_array_get(json_object_get(ps, "astNodeIds"), 0));
        if (ast != NULL)
            p->steps[i].line =
                (int)json_integer_value(json_object_get(lines, ast));
    }
    return p;
}

static void test_case_release(struct test_case *tc)
{
    for (size_t i = 0; i < tc->steps.len; i++)
        lb_matches_release(&tc->steps.items[i].matches);
    lb_vec_release(&tc->steps);
    pickle_free(tc->pickle);
}

void lb_runner_free(struct lb_runner *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->cases.len; i++)
        test_case_release(&r->cases.items[i]);
    lb_vec_release(&r->cases);
    for (size_t i = 0; i < r->pickles.len; i++)
        pickle_free(r->pickles.items[i]);
    lb_vec_release(&r->pickles);
    if (r->hook_tags != NULL)
        for (size_t i = 0; i < r->reg->hooks.len; i++)
            lb_tag_expr_free(r->hook_tags[i]);
    lb_free(r->hook_tags);
    lb_free(r->step_ids);
    lb_free(r->hook_ids);
    lb_tag_expr_free(r->retry_filter);
    lb_matcher_free(r->m);
    lb_buf_release(&r->ambiguities);
    lb_buf_release(&r->text);
    json_decref(r->step_lines);
    lb_free(r);
}

/* An environment variable, NULL when unset or empty. */
static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' ? v : NULL;
}

/* A remote URL without its credentials (GitLab puts a job token there). */
static json_t *remote_without_userinfo(const char *url)
{
    const char *scheme = strstr(url, "://");
    const char *host = scheme != NULL ? scheme + 3 : url;
    const char *at = strchr(host, '@');
    const char *slash = strchr(host, '/');
    if (scheme == NULL || at == NULL || (slash != NULL && at > slash))
        return json_string(url);
    struct lb_buf b = LB_BUF_INIT;
    lb_buf_add(&b, url, (size_t)(host - url));
    lb_buf_adds(&b, at + 1);
    json_t *v = json_string(b.ptr);
    lb_buf_release(&b);
    return v;
}

/* The meta.ci of Cucumber Messages, from the CI system's environment. */
static json_t *ci_json(void)
{
    const char *name = NULL, *url = NULL, *build = NULL, *remote = NULL,
               *rev = NULL, *branch = NULL;
    char gh_url[1024], gh_remote[1024];
    if (env("GITHUB_ACTIONS") != NULL) {
        const char *server = env("GITHUB_SERVER_URL"),
                   *repo = env("GITHUB_REPOSITORY"),
                   *run = env("GITHUB_RUN_ID");
        name = "GitHub Actions";
        if (server != NULL && repo != NULL && run != NULL) {
            (void)snprintf(gh_url,
                           sizeof(gh_url),
                           "%s/%s/actions/runs/%s",
                           server,
                           repo,
                           run);
            url = gh_url;
        }
        if (server != NULL && repo != NULL) {
            (void)snprintf(
                gh_remote, sizeof(gh_remote), "%s/%s.git", server, repo);
            remote = gh_remote;
        }
        build = env("GITHUB_RUN_NUMBER");
        rev = env("GITHUB_SHA");
        branch = env("GITHUB_HEAD_REF") != NULL ? env("GITHUB_HEAD_REF")
                                                : env("GITHUB_REF_NAME");
    } else if (env("GITLAB_CI") != NULL) {
        name = "GitLab";
        url = env("CI_PIPELINE_URL");
        build = env("CI_PIPELINE_ID");
        remote = env("CI_REPOSITORY_URL");
        rev = env("CI_COMMIT_SHA");
        branch = env("CI_COMMIT_BRANCH");
    } else if (env("JENKINS_URL") != NULL) {
        name = "Jenkins";
        url = env("BUILD_URL");
        build = env("BUILD_NUMBER");
        remote = env("GIT_URL");
        rev = env("GIT_COMMIT");
        branch = env("GIT_LOCAL_BRANCH");
    } else {
        return NULL;
    }
    json_t *ci = json_pack("{ss}", "name", name);
    if (url != NULL)
        json_object_set_new(ci, "url", json_string(url));
    if (build != NULL)
        json_object_set_new(ci, "buildNumber", json_string(build));
    if (remote != NULL && rev != NULL) {
        json_t *git = json_object();
        json_object_set_new(git, "remote", remote_without_userinfo(remote));
        json_object_set_new(git, "revision", json_string(rev));
        if (branch != NULL)
            json_object_set_new(git, "branch", json_string(branch));
        json_object_set_new(ci, "git", git);
    }
    return ci;
}

int lb_runner_begin(struct lb_runner *r, struct lb_error *err)
{
    struct utsname u;
    const char *os = "unknown", *os_version = "", *cpu = "unknown";
    if (uname(&u) == 0) {
        os = u.sysname;
        os_version = u.release;
        cpu = u.machine;
    }
    char runtime[32];
    (void)snprintf(runtime, sizeof(runtime), "%ld", (long)__STDC_VERSION__);
    json_t *meta = pack("{s{sss{ssss}s{ss}s{ssss}s{ssss}}}",
                        "meta",
                        "protocolVersion",
                        "34.2.1",
                        "implementation",
                        "name",
                        "logos-bdd",
                        "version",
                        r->opts.version != NULL ? r->opts.version : "0",
                        "cpu",
                        "name",
                        cpu,
                        "os",
                        "name",
                        os,
                        "version",
                        os_version,
                        "runtime",
                        "name",
                        "C",
                        "version",
                        runtime);
    json_t *ci = ci_json();
    if (ci != NULL)
        json_object_set_new(json_object_get(meta, "meta"), "ci", ci);
    emit(r, meta);
    r->began = true;
    return 0;
}

int lb_runner_add(struct lb_runner *r, json_t *envelope, struct lb_error *err)
{
    return lb_runner_add_text(r, envelope, NULL, 0, err);
}

int lb_runner_add_text(struct lb_runner *r,
                       json_t *envelope,
                       const char *text,
                       size_t len,
                       struct lb_error *err)
{
    json_t *doc = json_object_get(envelope, "gherkinDocument");
    if (doc != NULL) {
        json_decref(r->step_lines);
        r->step_lines = json_object();
        index_step_lines(
            r->step_lines,
            json_object_get(json_object_get(doc, "feature"), "children"));
    }
    json_t *pickle = json_object_get(envelope, "pickle");
    if (pickle != NULL) {
        struct lb_pickle *p = pickle_from_json(pickle, r->step_lines);
        if (lb_vec_push(&r->pickles, p) != 0) {
            pickle_free(p);
            return lb_error_set(err, LB_ENOMEM, "out of memory");
        }
    }
    if (text != NULL) {
        lb_buf_reset(&r->text);
        lb_buf_add(&r->text, text, len);
        emit_text(r, json_incref(envelope), &r->text);
        return 0;
    }
    emit(r, json_incref(envelope));
    return 0;
}

/* The argument of a pickle step as the pickle envelope has it (the same
 * members, in the Gherkin writer's order), for the step API. */
static json_t *argument_json(const struct lb_gherkin_pickle_step *gs)
{
    if (gs->doc_string == NULL && gs->data_table == NULL)
        return NULL;
    json_t *arg = jobj();
    if (gs->doc_string != NULL) {
        const struct lb_gherkin_pickle_doc_string *d = gs->doc_string;
        json_t *o = jobj();
        if (d->argument_index)
            jset(o, "argumentIndex", json_integer(d->argument_index));
        jset(o, "content", json_stringn(d->content, d->content_len));
        if (d->media_type != NULL)
            jset(o, "mediaType", json_string(d->media_type));
        jset(arg, "docString", o);
    }
    if (gs->data_table != NULL) {
        const struct lb_gherkin_pickle_table *t = gs->data_table;
        json_t *o = jobj();
        json_t *rows = json_array();
        if (t->argument_index)
            jset(o, "argumentIndex", json_integer(t->argument_index));
        for (size_t i = 0; i < t->n_rows; i++) {
            json_t *cells = json_array();
            for (size_t k = 0; k < t->rows[i].n_cells; k++) {
                json_t *c = jobj();
                jset(c, "value", json_string(t->rows[i].cells[k].value));
                json_array_append_new(cells, c);
            }
            json_t *row = jobj();
            jset(row, "cells", cells);
            json_array_append_new(rows, row);
        }
        jset(o, "rows", rows);
        jset(arg, "dataTable", o);
    }
    return arg;
}

static char *dup_or_empty(const char *s)
{
    return lb_xstrdup(s != NULL ? s : "");
}

/* pickle_from_json, from the parser's pickle. */
static struct lb_pickle *pickle_from_gherkin(const struct lb_gherkin_pickle *gp)
{
    struct lb_pickle *p = lb_xcalloc(1, sizeof(*p));
    p->id = dup_or_empty(gp->id);
    p->uri = dup_or_empty(gp->uri);
    p->name = dup_or_empty(gp->name);
    p->line = gp->location.line;
    p->ntags = gp->n_tags;
    p->tags = lb_xcalloc(p->ntags + 1, sizeof(char *));
    for (size_t i = 0; i < p->ntags; i++)
        p->tags[i] = dup_or_empty(gp->tags[i].name);
    p->nsteps = gp->n_steps;
    p->steps = lb_xcalloc(p->nsteps + 1, sizeof(*p->steps));
    for (size_t i = 0; i < p->nsteps; i++) {
        const struct lb_gherkin_pickle_step *gs = &gp->steps[i];
        p->steps[i].id = dup_or_empty(gs->id);
        p->steps[i].text = dup_or_empty(gs->text);
        p->steps[i].argument = argument_json(gs);
        if (gs->step != NULL)
            p->steps[i].line = gs->step->location.line;
    }
    return p;
}

void lb_runner_set_gherkin_cb(struct lb_runner *r, lb_gherkin_event_cb cb)
{
    r->gcb = cb;
}

int lb_runner_add_gherkin(struct lb_runner *r,
                          const char *kind,
                          const char *text,
                          size_t len,
                          const struct lb_gherkin_document *doc,
                          const struct lb_gherkin_pickle *pickle,
                          struct lb_error *err)
{
    if (r->gcb == NULL)
        return lb_error_set(
            err, LB_ESTATE, "runner: no callback for Gherkin envelopes");
    if (pickle != NULL) {
        struct lb_pickle *p = pickle_from_gherkin(pickle);
        if (lb_vec_push(&r->pickles, p) != 0) {
            pickle_free(p);
            return lb_error_set(err, LB_ENOMEM, "out of memory");
        }
    }
    struct lb_error e;
    lb_error_init(&e);
    if (r->gcb(r->ctx, kind, text, len, doc, pickle, &e) != 0 &&
        !lb_error_is_set(&r->cb_err))
    {
        r->cb_err = e;
        if (!lb_error_is_set(&r->cb_err))
            lb_error_set(&r->cb_err, LB_EIO, "a report could not be written");
    }
    return 0;
}

/* ---- Definitions ---- */

static const char *hook_type_name(enum lb_hook_kind k)
{
    switch (k) {
    case LB_HOOK_BEFORE:
        return "BEFORE_TEST_CASE";
    case LB_HOOK_AFTER:
        return "AFTER_TEST_CASE";
    case LB_HOOK_BEFORE_STEP:
        return "BEFORE_TEST_STEP";
    case LB_HOOK_AFTER_STEP:
        return "AFTER_TEST_STEP";
    case LB_HOOK_BEFORE_ALL:
        return "BEFORE_TEST_RUN";
    case LB_HOOK_AFTER_ALL:
        return "AFTER_TEST_RUN";
    }
    return "BEFORE_TEST_CASE";
}

static json_t *source_ref(const char *file, int line)
{
    return pack(
        "{sss{si}}", "uri", file != NULL ? file : "", "location", "line", line);
}

/* Compiles patterns and hook tag expressions; errors name file:line. */
static int compile_definitions(struct lb_runner *r, struct lb_error *err)
{
    int rc = lb_matcher_new(r->reg, &r->m, err);
    if (rc != 0)
        return rc;
    size_t nh = r->reg->hooks.len;
    r->hook_tags = lb_xcalloc(nh + 1, sizeof(*r->hook_tags));
    for (size_t i = 0; i < nh; i++) {
        const struct lb_hookdef *h = &r->reg->hooks.items[i];
        if (h->tags == NULL)
            continue;
        rc = lb_tag_expr_parse(&r->hook_tags[i], h->tags, err);
        if (rc != 0) {
            lb_error_prefix(
                err, "%s:%d: hook tag expression", h->file, h->line);
            return rc;
        }
    }
    return 0;
}

static void emit_definitions(struct lb_runner *r)
{
    r->step_ids = lb_xcalloc(r->reg->steps.len + 1, LB_ID_MAX);
    r->hook_ids = lb_xcalloc(r->reg->hooks.len + 1, LB_ID_MAX);
    size_t undefined_next = 0;
    for (size_t k = 0; k < r->reg->order.len; k++) {
        struct lb_def_ref ref = r->reg->order.items[k];
        if (ref.type == LB_DEF_PARAM) {
            const struct lb_paramdef *p = &r->reg->params.items[ref.index];
            char id[LB_ID_MAX];
            new_id(r, id);
            emit(r,
                 pack("{s{sssss[s]sbsbso}}",
                      "parameterType",
                      "id",
                      id,
                      "name",
                      p->name,
                      "regularExpressions",
                      p->regexp,
                      "preferForRegularExpressionMatch",
                      p->prefer_for_regexp_match,
                      "useForSnippets",
                      p->use_for_snippets,
                      "sourceReference",
                      source_ref(p->file, p->line)));
        } else if (ref.type == LB_DEF_HOOK) {
            const struct lb_hookdef *h = &r->reg->hooks.items[ref.index];
            new_id(r, r->hook_ids[ref.index]);
            json_t *o = pack("{ssss}",
                             "id",
                             r->hook_ids[ref.index],
                             "type",
                             hook_type_name(h->kind));
            if (h->name != NULL)
                json_object_set_new(o, "name", json_string(h->name));
            if (h->tags != NULL)
                json_object_set_new(o, "tagExpression", json_string(h->tags));
            json_object_set_new(
                o, "sourceReference", source_ref(h->file, h->line));
            emit(r, pack("{so}", "hook", o));
        } else {
            const struct lb_stepdef *d = &r->reg->steps.items[ref.index];
            const char *name, *expression;
            if (lb_matcher_undefined(
                    r->m, undefined_next, &name, &expression) &&
                expression == d->pattern)
            {
                undefined_next++;
                emit(r,
                     pack("{s{ssss}}",
                          "undefinedParameterType",
                          "name",
                          name,
                          "expression",
                          expression));
                continue;
            }
            new_id(r, r->step_ids[ref.index]);
            emit(r,
                 pack("{s{sss{ssss}so}}",
                      "stepDefinition",
                      "id",
                      r->step_ids[ref.index],
                      "pattern",
                      "source",
                      d->pattern,
                      "type",
                      lb_matcher_is_regex(r->m, ref.index)
                          ? "REGULAR_EXPRESSION"
                          : "CUCUMBER_EXPRESSION",
                      "sourceReference",
                      source_ref(d->file, d->line)));
        }
    }
}

/* ---- Test cases ---- */

static bool
hook_applies(struct lb_runner *r, size_t hook, const struct test_case *tc)
{
    if (r->hook_tags[hook] == NULL)
        return true;
    return lb_tag_expr_eval(r->hook_tags[hook],
                            (const char *const *)tc->pickle->tags,
                            tc->pickle->ntags);
}

/* Hooks of `kind` in running order: before hooks by ascending order then
 * definition, after hooks by descending order then reverse definition. */
static size_t
hooks_in_order(struct lb_runner *r, enum lb_hook_kind kind, size_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < r->reg->hooks.len; i++)
        if (r->reg->hooks.items[i].kind == kind)
            out[n++] = i;
    bool after = kind == LB_HOOK_AFTER || kind == LB_HOOK_AFTER_STEP ||
                 kind == LB_HOOK_AFTER_ALL;
    /* insertion sort: stable, and hook lists are short */
    for (size_t i = 1; i < n; i++) {
        size_t v = out[i], j = i;
        int ov = r->reg->hooks.items[v].order;
        while (j > 0 && r->reg->hooks.items[out[j - 1]].order > ov) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = v;
    }
    if (after)
        for (size_t i = 0; i < n / 2; i++) {
            size_t t = out[i];
            out[i] = out[n - 1 - i];
            out[n - 1 - i] = t;
        }
    return n;
}

static void add_hook_steps(struct lb_runner *r,
                           struct test_case *tc,
                           enum lb_hook_kind kind,
                           size_t *scratch)
{
    size_t n = hooks_in_order(r, kind, scratch);
    for (size_t i = 0; i < n; i++) {
        if (!hook_applies(r, scratch[i], tc))
            continue;
        struct tc_step st = {0};
        new_id(r, st.id);
        st.kind = TC_HOOK;
        st.hook = scratch[i];
        if (lb_vec_push(&tc->steps, st) != 0)
            LB_BUG("out of memory");
    }
}

static json_t *test_step_json(struct lb_runner *r, const struct tc_step *st)
{
    json_t *o = jobj();
    jset_id(o, "id", st->id);
    if (st->kind == TC_HOOK) {
        jset_id(o, "hookId", r->hook_ids[st->hook]);
        return o;
    }
    json_t *ids = json_array();
    json_t *lists = json_array();
    if (ids == NULL || lists == NULL)
        LB_BUG("out of memory building an envelope");
    for (size_t i = 0; i < st->matches.v.len; i++) {
        const struct lb_step_match *m = &st->matches.v.items[i];
        json_array_append_new(ids, json_string_nocheck(r->step_ids[m->def]));
        json_t *l = jobj();
        jset(l, "stepMatchArguments", json_incref(m->arguments));
        json_array_append_new(lists, l);
    }
    jset_id(o, "pickleStepId", st->pstep->id);
    jset(o, "stepDefinitionIds", ids);
    jset(o, "stepMatchArgumentsLists", lists);
    return o;
}

/* The text of test_step_json. */
static void
test_step_text(struct lb_runner *r, const struct tc_step *st, struct lb_buf *t)
{
    lb_buf_adds(t, "{\"id\":");
    text_str(t, st->id);
    if (st->kind == TC_HOOK) {
        text_key(t, "hookId");
        text_str(t, r->hook_ids[st->hook]);
        lb_buf_addch(t, '}');
        return;
    }
    text_key(t, "pickleStepId");
    text_str(t, st->pstep->id);
    text_key(t, "stepDefinitionIds");
    lb_buf_addch(t, '[');
    for (size_t i = 0; i < st->matches.v.len; i++) {
        if (i > 0)
            lb_buf_addch(t, ',');
        text_str(t, r->step_ids[st->matches.v.items[i].def]);
    }
    lb_buf_adds(t, "],\"stepMatchArgumentsLists\":[");
    for (size_t i = 0; i < st->matches.v.len; i++) {
        lb_buf_adds(t,
                    i > 0 ? ",{\"stepMatchArguments\":"
                          : "{\"stepMatchArguments\":");
        text_json(t, st->matches.v.items[i].arguments);
        lb_buf_addch(t, '}');
    }
    lb_buf_adds(t, "]}");
}

/* Hands the testCase as the reports' struct and its text `t` to the
 * test case callback: no jansson object for the largest envelope. */
static void emit_test_case(struct lb_runner *r,
                           const struct test_case *tc,
                           struct lb_buf *t)
{
    size_t n = tc->steps.len, ndefs = 0;
    for (size_t k = 0; k < n; k++)
        ndefs += tc->steps.items[k].matches.v.len;
    struct lb_report_test_step *vs = lb_xcalloc(n + 1, sizeof(*vs));
    const char **ids = lb_xcalloc(ndefs + 1, sizeof(*ids));
    const json_t **args = lb_xcalloc(ndefs + 1, sizeof(*args));
    size_t d = 0;
    for (size_t k = 0; k < n; k++) {
        const struct tc_step *st = &tc->steps.items[k];
        vs[k].id = st->id;
        if (st->kind == TC_HOOK) {
            vs[k].hook_id = r->hook_ids[st->hook];
            continue;
        }
        vs[k].pickle_step_id = st->pstep->id;
        vs[k].ndefs = st->matches.v.len;
        vs[k].def_ids = &ids[d];
        vs[k].arguments = &args[d];
        for (size_t i = 0; i < st->matches.v.len; i++, d++) {
            ids[d] = r->step_ids[st->matches.v.items[i].def];
            args[d] = st->matches.v.items[i].arguments;
        }
    }
    struct lb_report_test_case view = {tc->id, tc->pickle->id, n, vs};
    struct lb_error e;
    lb_error_init(&e);
    if (r->tccb(r->ctx, t->ptr, t->len, &view, &e) != 0 &&
        !lb_error_is_set(&r->cb_err))
    {
        r->cb_err = e;
        if (!lb_error_is_set(&r->cb_err))
            lb_error_set(&r->cb_err, LB_EIO, "a report could not be written");
    }
    lb_free(vs);
    lb_free(ids);
    lb_free(args);
}

void lb_runner_set_test_case_cb(struct lb_runner *r, lb_test_case_event_cb cb)
{
    r->tccb = cb;
}

/* Makes the test case of `pickle` (taken) and emits its testCase. */
static int build_test_case(struct lb_runner *r,
                           struct lb_pickle *pickle,
                           size_t *scratch,
                           struct lb_error *err)
{
    struct test_case tc = {0};
    tc.pickle = pickle;
    new_id(r, tc.id);
    add_hook_steps(r, &tc, LB_HOOK_BEFORE, scratch);
    for (size_t i = 0; i < pickle->nsteps; i++) {
        struct tc_step st = {0};
        new_id(r, st.id);
        st.kind = TC_PICKLE;
        st.pstep = &pickle->steps[i];
        int rc = lb_matcher_match(r->m, st.pstep->text, &st.matches, err);
        if (rc != 0) {
            lb_matches_release(&st.matches);
            lb_error_prefix(err, "%s: step '%s'", pickle->uri, st.pstep->text);
            test_case_release(&tc);
            return rc;
        }
        if (lb_vec_push(&tc.steps, st) != 0)
            LB_BUG("out of memory");
    }
    add_hook_steps(r, &tc, LB_HOOK_AFTER, scratch);

    struct lb_buf *t = &r->text;
    lb_buf_reset(t);
    lb_buf_adds(t, "{\"testCase\":{\"id\":");
    text_str(t, tc.id);
    text_key(t, "pickleId");
    text_str(t, pickle->id);
    text_key(t, "testSteps");
    lb_buf_addch(t, '[');
    for (size_t k = 0; k < tc.steps.len; k++) {
        if (k > 0)
            lb_buf_addch(t, ',');
        test_step_text(r, &tc.steps.items[k], t);
    }
    lb_buf_addch(t, ']');
    text_key(t, "testRunStartedId");
    text_str(t, r->run_id);
    lb_buf_adds(t, "}}");
    if (r->tccb != NULL) {
        emit_test_case(r, &tc, t);
    } else {
        json_t *jsteps = json_array();
        for (size_t k = 0; k < tc.steps.len; k++)
            json_array_append_new(jsteps,
                                  test_step_json(r, &tc.steps.items[k]));
        emit_text(r,
                  pack("{s{sssssoss}}",
                       "testCase",
                       "id",
                       tc.id,
                       "pickleId",
                       pickle->id,
                       "testSteps",
                       jsteps,
                       "testRunStartedId",
                       r->run_id),
                  t);
    }
    /* what the messages needed is sent: keep only what running needs */
    for (size_t k = 0; k < tc.steps.len; k++)
        for (size_t m = 0; m < tc.steps.items[k].matches.v.len; m++) {
            json_decref(tc.steps.items[k].matches.v.items[m].arguments);
            tc.steps.items[k].matches.v.items[m].arguments = NULL;
        }
    if (lb_vec_push(&r->cases, tc) != 0)
        LB_BUG("out of memory");
    return 0;
}

/* ---- Running steps and hooks ---- */

static void on_attach(void *ctx,
                      const void *data,
                      size_t len,
                      const char *media_type,
                      const char *name,
                      bool base64)
{
    struct lb_runner *r = ctx;
    json_t *a = json_object();
    if (r->att_hook_started_id != NULL) {
        json_object_set_new(
            a, "testRunHookStartedId", json_string(r->att_hook_started_id));
    } else {
        json_object_set_new(a, "testCaseStartedId", json_string(r->att_tcs_id));
        json_object_set_new(a, "testStepId", json_string(r->att_step_id));
    }
    if (base64) {
        size_t cap = 4 * ((len + 2) / 3) + 1;
        unsigned char *enc = lb_xmalloc(cap);
        int n = EVP_EncodeBlock(enc, data, (int)len);
        json_object_set_new(a, "body", json_stringn((char *)enc, (size_t)n));
        lb_free(enc);
    } else {
        json_object_set_new(a, "body", json_stringn(data, len));
    }
    json_object_set_new(
        a, "contentEncoding", json_string(base64 ? "BASE64" : "IDENTITY"));
    json_object_set_new(a, "mediaType", json_string(media_type));
    if (name != NULL)
        json_object_set_new(a, "fileName", json_string(name));
    json_object_set_new(a, "timestamp", timestamp_now());
    emit(r, pack("{so}", "attachment", a));
}

/* The outcome of one step or hook function. */
struct outcome {
    enum lb_status status;
    struct lb_buf message;
    const char *exception_type;
    /* where it happened, for the stack trace (formatted only when needed) */
    const char *loc_uri;  /* the feature, NULL for hooks */
    int loc_uri_line;     /* the step's line in it, 0 when unknown */
    const char *loc_file; /* the definition, NULL when none */
    int loc_line;
};

static void outcome_release(struct outcome *o)
{
    lb_buf_release(&o->message);
}

static json_t *result_json(const struct outcome *o, int64_t ns)
{
    json_t *res = json_object();
    if (o->message.len > 0) {
        json_object_set_new(res, "message", json_string(o->message.ptr));
        struct lb_buf trace = LB_BUF_INIT;
        lb_buf_addf(&trace, "%s: %s\n", o->exception_type, o->message.ptr);
        if (o->loc_uri != NULL)
            lb_buf_adds(&trace, o->loc_uri);
        if (o->loc_uri != NULL && o->loc_uri_line > 0)
            lb_buf_addf(&trace, ":%d", o->loc_uri_line);
        if (o->loc_file != NULL)
            lb_buf_addf(&trace,
                        o->loc_uri != NULL ? " (%s:%d)" : "%s:%d",
                        o->loc_file,
                        o->loc_line);
        json_object_set_new(res,
                            "exception",
                            pack("{ssssss}",
                                 "type",
                                 o->exception_type,
                                 "message",
                                 o->message.ptr,
                                 "stackTrace",
                                 trace.ptr));
        lb_buf_release(&trace);
    }
    jset_id(res, "status", lb_status_name(o->status));
    json_object_set_new(res, "duration", duration_json(ns));
    return res;
}

/* Calls a step or hook function and records its outcome in `o`. */
static void call_fn(struct lb_runner *r,
                    lb_step_fn fn,
                    struct lb_step *s,
                    struct outcome *o)
{
    s->attach = on_attach;
    s->attach_ctx = r;
    s->outcome = LB_STEP_PASSED;
    lb_buf_init(&s->message, 0);
    int rc = fn(s);
    if (rc != LB_STEP_PASSED && s->outcome == LB_STEP_PASSED)
        s->outcome = rc; /* returned a code without a message */
    switch (s->outcome) {
    case LB_STEP_PASSED:
        o->status = LB_STATUS_PASSED;
        break;
    case LB_STEP_PENDING:
        o->status = LB_STATUS_PENDING;
        o->exception_type = "PendingException";
        break;
    case LB_STEP_SKIPPED:
        o->status = LB_STATUS_SKIPPED;
        o->exception_type = "SkippedException";
        break;
    default:
        o->status = LB_STATUS_FAILED;
        o->exception_type = "Error";
        if (s->message.len == 0)
            lb_buf_addf(&s->message, "step returned %d", rc);
        break;
    }
    lb_buf_release(&o->message);
    o->message = s->message;
    lb_buf_init(&s->message, 0);
}

/* Runs custom parameter transformers; a failure fails the step. */
static bool transform_args(const struct lb_step_match *m,
                           void **values,
                           void (**frees)(void *),
                           struct outcome *o)
{
    for (size_t i = 0; i < m->nargs; i++) {
        const struct lb_arg *a = &m->args[i];
        if (a->param == NULL || a->param->transform == NULL)
            continue;
        const char *error = NULL;
        values[i] = a->param->transform(
            (const char *const *)a->groups, a->ngroups, &frees[i], &error);
        if (values[i] == NULL && error != NULL) {
            o->status = LB_STATUS_FAILED;
            o->exception_type = "Error";
            lb_buf_addf(
                &o->message, "parameter type '%s': %s", a->param->name, error);
            return false;
        }
    }
    return true;
}

struct attempt {
    struct test_case *tc;
    char tcs_id[LB_ID_MAX];
    struct lb_world world;
    bool skip_rest; /* a step or hook did not pass */
    bool skip_all;  /* one skipped itself */
    enum lb_status worst;
    size_t *scratch;
};

static void run_step_hooks(struct lb_runner *r,
                           struct attempt *at,
                           struct lb_step *ctx,
                           enum lb_hook_kind kind,
                           struct outcome *o)
{
    size_t n = hooks_in_order(r, kind, at->scratch);
    for (size_t i = 0; i < n; i++) {
        size_t h = at->scratch[i];
        if (!hook_applies(r, h, at->tc))
            continue;
        struct outcome ho = {0};
        lb_buf_init(&ho.message, 0);
        call_fn(r, r->reg->hooks.items[h].fn, ctx, &ho);
        if (ho.status > o->status) {
            lb_buf_release(&o->message);
            *o = ho;
        } else {
            outcome_release(&ho);
        }
    }
}

static void note_ambiguity(struct lb_runner *r,
                           const struct test_case *tc,
                           const struct tc_step *st)
{
    const char *text = st->pstep->text;
    struct lb_buf head = LB_BUF_INIT;
    lb_buf_addf(&head,
                "step '%s' (%s:%d, scenario '%s') matches %zu definitions:\n",
                text != NULL ? text : "",
                tc->pickle->uri,
                st->pstep->line,
                tc->pickle->name,
                st->matches.v.len);
    if (strstr(r->ambiguities.ptr, head.ptr) == NULL) {
        lb_buf_add(&r->ambiguities, head.ptr, head.len);
        for (size_t i = 0; i < st->matches.v.len; i++) {
            const struct lb_stepdef *d =
                &r->reg->steps.items[st->matches.v.items[i].def];
            lb_buf_addf(&r->ambiguities,
                        "    %s  (%s:%d)\n",
                        d->pattern,
                        d->file,
                        d->line);
        }
    }
    lb_buf_release(&head);
}

void lb_runner_ambiguities(struct lb_runner *r, struct lb_buf *out)
{
    lb_buf_add(out, r->ambiguities.ptr, r->ambiguities.len);
}

/* The step's DataTable or DocString, from the pickle step's argument. */
static void set_step_argument(struct lb_step *s, json_t *arg)
{
    json_t *dt = json_object_get(arg, "dataTable");
    json_t *ds = json_object_get(arg, "docString");

    if (dt != NULL) {
        s->has_table = true;
        s->table.rows = json_object_get(dt, "rows");
        s->table.nrows = json_array_size(s->table.rows);
        s->table.ncols = json_array_size(
            json_object_get(json_array_get(s->table.rows, 0), "cells"));
    }
    if (ds != NULL) {
        s->doc_string = json_string_value(json_object_get(ds, "content"));
        s->doc_media_type = json_string_value(json_object_get(ds, "mediaType"));
    }
}

/* `o` becomes `newer` (taken), keeping o's source locations. */
static void adopt_outcome(struct outcome *o, struct outcome *newer)
{
    lb_buf_release(&o->message);
    newer->loc_uri = o->loc_uri;
    newer->loc_uri_line = o->loc_uri_line;
    newer->loc_file = o->loc_file;
    newer->loc_line = o->loc_line;
    *o = *newer;
}

static void run_pickle_step(struct lb_runner *r,
                            struct attempt *at,
                            struct tc_step *st,
                            struct outcome *o)
{
    const struct lb_pickle_step *ps = st->pstep;
    size_t nm = st->matches.v.len;
    o->loc_uri = at->tc->pickle->uri;
    o->loc_uri_line = ps->line;
    if (at->skip_all) {
        /* after a step or hook that skipped itself nothing more is looked
         * at, not even whether the step is defined (as Cucumber); after
         * other failed-ish steps undefined and ambiguous still show */
        o->status = LB_STATUS_SKIPPED;
        return;
    }
    if (nm == 0) {
        o->status = LB_STATUS_UNDEFINED;
        return;
    }
    if (nm > 1) {
        /* Cucumber's messages carry no text for it; the CLI lists the
         * candidates (lb_runner_ambiguities) */
        o->status = LB_STATUS_AMBIGUOUS;
        note_ambiguity(r, at->tc, st);
        return;
    }
    if (r->opts.dry_run || at->skip_rest) {
        o->status = LB_STATUS_SKIPPED;
        return;
    }
    const struct lb_step_match *m = &st->matches.v.items[0];
    const struct lb_stepdef *d = &r->reg->steps.items[m->def];
    o->loc_file = d->file;
    o->loc_line = d->line;

    struct lb_step s = {0};
    s.text = ps->text;
    s.pickle = at->tc->pickle;
    s.match = m;
    s.world = &at->world;
    set_step_argument(&s, ps->argument);
    /* the usual few arguments need no allocation */
    void *values_small[8] = {0};
    void (*frees_small[8])(void *) = {0};
    void **values = values_small;
    void (**frees)(void *) = frees_small;
    if (m->nargs > 8) {
        values = lb_xcalloc(m->nargs, sizeof(void *));
        frees = lb_xcalloc(m->nargs, sizeof(*frees));
    }
    s.values = values;

    run_step_hooks(r, at, &s, LB_HOOK_BEFORE_STEP, o);
    if (o->status <= LB_STATUS_PASSED && transform_args(m, values, frees, o)) {
        struct outcome so = {0};
        lb_buf_init(&so.message, 0);
        call_fn(r, d->fn, &s, &so);
        adopt_outcome(o, &so);
    }
    struct outcome after = {0};
    lb_buf_init(&after.message, 0);
    run_step_hooks(r, at, &s, LB_HOOK_AFTER_STEP, &after);
    if (after.status > o->status) {
        adopt_outcome(o, &after);
    } else {
        outcome_release(&after);
    }
    for (size_t i = 0; i < m->nargs; i++)
        if (frees[i] != NULL)
            frees[i](values[i]);
    if (values != values_small) {
        lb_free(values);
        lb_free(frees);
    }
}

static void emit_suggestion(struct lb_runner *r,
                            const struct lb_pickle_step *ps)
{
    const char *text = ps->text;
    json_t *arg = ps->argument;
    json_t *snippets = json_array();
    struct lb_error e;
    lb_error_init(&e);
    if (lb_matcher_suggestions(r->m,
                               text != NULL ? text : "",
                               json_object_get(arg, "dataTable") != NULL,
                               json_object_get(arg, "docString") != NULL,
                               snippets,
                               &e) != 0)
    {
        json_array_clear(snippets);
        struct lb_buf code = LB_BUF_INIT;
        lb_buf_addf(&code, "/* no snippet: %s */", e.msg);
        json_array_append_new(
            snippets, pack("{ssss}", "language", "c", "code", code.ptr));
        lb_buf_release(&code);
    }
    char id[LB_ID_MAX];
    new_id(r, id);
    emit(r,
         pack("{s{ssssso}}",
              "suggestion",
              "id",
              id,
              "pickleStepId",
              ps->id,
              "snippets",
              snippets));
}

static void emit_step_started(struct lb_runner *r,
                              const struct attempt *at,
                              const struct tc_step *st)
{
    int64_t wall = lb_time_wall_ns();
    struct lb_buf *t = &r->text;
    json_t *body;

    lb_buf_reset(t);
    lb_buf_adds(t, "{\"testStepStarted\":{\"testCaseStartedId\":");
    text_str(t, at->tcs_id);
    text_key(t, "testStepId");
    text_str(t, st->id);
    text_key(t, "timestamp");
    text_time(t, wall);
    lb_buf_adds(t, "}}");
    body = jobj();
    jset_id(body, "testCaseStartedId", at->tcs_id);
    jset_id(body, "testStepId", st->id);
    jset(body, "timestamp", timestamp_json(wall));
    emit_text(r, jwrap("testStepStarted", body), t);
}

static void emit_step_finished(struct lb_runner *r,
                               const struct attempt *at,
                               const struct tc_step *st,
                               const struct outcome *o,
                               int64_t ns);

static void run_test_step(struct lb_runner *r,
                          struct attempt *at,
                          struct tc_step *st,
                          bool final_attempt)
{
    emit_step_started(r, at, st);
    r->att_tcs_id = at->tcs_id;
    r->att_step_id = st->id;
    r->att_hook_started_id = NULL;
    int64_t t0 = lb_time_mono_ns();
    struct outcome o = {0};
    lb_buf_init(&o.message, 0);
    bool ran = false;
    if (st->kind == TC_HOOK) {
        const struct lb_hookdef *h = &r->reg->hooks.items[st->hook];
        bool is_before = h->kind == LB_HOOK_BEFORE;
        if (r->opts.dry_run || (is_before && at->skip_rest)) {
            o.status = LB_STATUS_SKIPPED;
        } else {
            struct lb_step s = {0};
            s.text = "";
            s.pickle = at->tc->pickle;
            s.world = &at->world;
            o.loc_file = h->file;
            o.loc_line = h->line;
            call_fn(r, h->fn, &s, &o);
            ran = true;
        }
    } else {
        run_pickle_step(r, at, st, &o);
        ran = o.status != LB_STATUS_SKIPPED || !at->skip_rest;
        if (o.status == LB_STATUS_UNDEFINED)
            emit_suggestion(r, st->pstep);
    }
    int64_t ns = ran ? lb_time_mono_ns() - t0 : 0;
    if (o.status == LB_STATUS_UNDEFINED || o.status == LB_STATUS_AMBIGUOUS)
        ns = 0;
    if (o.status != LB_STATUS_PASSED)
        at->skip_rest = true;
    if (o.status == LB_STATUS_SKIPPED && ran && !r->opts.dry_run)
        at->skip_all = true;
    if (o.status > at->worst)
        at->worst = o.status;
    if (st->kind == TC_PICKLE && final_attempt)
        r->res.steps_by[o.status]++;
    emit_step_finished(r, at, st, &o, ns);
    outcome_release(&o);
}

static void emit_step_finished(struct lb_runner *r,
                               const struct attempt *at,
                               const struct tc_step *st,
                               const struct outcome *o,
                               int64_t ns)
{
    struct lb_buf *t = &r->text;
    json_t *res = result_json(o, ns);
    int64_t wall = lb_time_wall_ns();
    json_t *body;

    lb_buf_reset(t);
    lb_buf_adds(t, "{\"testStepFinished\":{\"testCaseStartedId\":");
    text_str(t, at->tcs_id);
    text_key(t, "testStepId");
    text_str(t, st->id);
    text_key(t, "testStepResult");
    if (o->message.len > 0) {
        text_json(t, res);
    } else {
        lb_buf_adds(t, "{\"status\":");
        text_str(t, lb_status_name(o->status));
        text_key(t, "duration");
        text_time(t, ns);
        lb_buf_addch(t, '}');
    }
    text_key(t, "timestamp");
    text_time(t, wall);
    lb_buf_adds(t, "}}");
    body = jobj();
    jset_id(body, "testCaseStartedId", at->tcs_id);
    jset_id(body, "testStepId", st->id);
    jset(body, "testStepResult", res);
    jset(body, "timestamp", timestamp_json(wall));
    emit_text(r, jwrap("testStepFinished", body), t);
}

static bool status_fails(const struct lb_runner *r, enum lb_status s)
{
    return s == LB_STATUS_FAILED || s == LB_STATUS_AMBIGUOUS ||
           s == LB_STATUS_UNDEFINED ||
           (s == LB_STATUS_PENDING && !r->opts.no_strict);
}

static bool may_retry(struct lb_runner *r, const struct test_case *tc)
{
    if (r->retry_filter == NULL)
        return true;
    return lb_tag_expr_eval(r->retry_filter,
                            (const char *const *)tc->pickle->tags,
                            tc->pickle->ntags);
}

/* Runs a test case with its retries; returns its final status. */
static enum lb_status
run_test_case(struct lb_runner *r, struct test_case *tc, size_t *scratch)
{
    enum lb_status final = LB_STATUS_PASSED;
    for (int attempt = 0;; attempt++) {
        struct attempt at = {0};
        at.tc = tc;
        at.worst = LB_STATUS_PASSED;
        at.scratch = scratch;
        new_id(r, at.tcs_id);
        int64_t wall = lb_time_wall_ns();
        struct lb_buf *t = &r->text;
        lb_buf_reset(t);
        lb_buf_adds(t, "{\"testCaseStarted\":{\"id\":");
        text_str(t, at.tcs_id);
        text_key(t, "testCaseId");
        text_str(t, tc->id);
        text_key(t, "timestamp");
        text_time(t, wall);
        text_key(t, "attempt");
        text_int(t, attempt);
        lb_buf_adds(t, "}}");
        json_t *body = jobj();
        jset_id(body, "id", at.tcs_id);
        jset_id(body, "testCaseId", tc->id);
        jset(body, "timestamp", timestamp_json(wall));
        jset(body, "attempt", json_integer(attempt));
        emit_text(r, jwrap("testCaseStarted", body), t);
        /* a retry is decided at the end; count steps on every attempt
         * but keep only the last one's */
        size_t saved[LB_STATUS_COUNT];
        memcpy(saved, r->res.steps_by, sizeof(saved));
        for (size_t i = 0; i < tc->steps.len; i++) {
            if (lb_run_interrupted())
                at.skip_rest = true;
            run_test_step(r, &at, &tc->steps.items[i], true);
        }
        lb_world_release(&at.world);
        bool retry = at.worst == LB_STATUS_FAILED && attempt < r->opts.retry &&
                     !lb_run_interrupted() && may_retry(r, tc);
        if (retry)
            memcpy(r->res.steps_by, saved, sizeof(saved));
        wall = lb_time_wall_ns();
        lb_buf_reset(t);
        lb_buf_adds(t, "{\"testCaseFinished\":{\"testCaseStartedId\":");
        text_str(t, at.tcs_id);
        text_key(t, "timestamp");
        text_time(t, wall);
        text_key(t, "willBeRetried");
        lb_buf_adds(t, retry ? "true}}" : "false}}");
        body = jobj();
        jset_id(body, "testCaseStartedId", at.tcs_id);
        jset(body, "timestamp", timestamp_json(wall));
        jset(body, "willBeRetried", json_boolean(retry));
        emit_text(r, jwrap("testCaseFinished", body), t);
        final = at.worst;
        if (!retry)
            break;
    }
    return final;
}

/* Runs the before-all or after-all hooks; false when one failed. */
static bool run_run_hooks(struct lb_runner *r, enum lb_hook_kind kind)
{
    size_t *order = lb_xcalloc(r->reg->hooks.len + 1, sizeof(size_t));
    size_t n = hooks_in_order(r, kind, order);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const struct lb_hookdef *h = &r->reg->hooks.items[order[i]];
        char id[LB_ID_MAX];
        new_id(r, id);
        emit(r,
             pack("{s{ssssssso}}",
                  "testRunHookStarted",
                  "testRunStartedId",
                  r->run_id,
                  "id",
                  id,
                  "hookId",
                  r->hook_ids[order[i]],
                  "timestamp",
                  timestamp_now()));
        r->att_hook_started_id = id;
        int64_t t0 = lb_time_mono_ns();
        struct outcome o = {0};
        lb_buf_init(&o.message, 0);
        o.loc_file = h->file;
        o.loc_line = h->line;
        if (r->opts.dry_run) {
            o.status = LB_STATUS_SKIPPED;
        } else {
            struct lb_step s = {0};
            s.text = "";
            call_fn(r, h->fn, &s, &o);
        }
        r->att_hook_started_id = NULL;
        if (o.status == LB_STATUS_FAILED)
            ok = false;
        emit(r,
             pack("{s{sssoso}}",
                  "testRunHookFinished",
                  "testRunHookStartedId",
                  id,
                  "timestamp",
                  timestamp_now(),
                  "result",
                  result_json(&o, lb_time_mono_ns() - t0)));
        outcome_release(&o);
    }
    lb_free(order);
    return ok;
}

static void order_pickles(struct lb_runner *r)
{
    size_t n = r->pickles.len;
    struct lb_pickle **p = r->pickles.items;
    if (r->opts.order == LB_ORDER_REVERSE) {
        for (size_t i = 0; i < n / 2; i++) {
            struct lb_pickle *t = p[i];
            p[i] = p[n - 1 - i];
            p[n - 1 - i] = t;
        }
    } else if (r->opts.order == LB_ORDER_RANDOM && n > 1) {
        /* Fisher-Yates with a splitmix64 stream: the same seed gives the
         * same order on every machine */
        uint64_t x = r->opts.seed;
        for (size_t i = n - 1; i > 0; i--) {
            x += 0x9e3779b97f4a7c15ULL;
            uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            z ^= z >> 31;
            size_t j = (size_t)(z % (uint64_t)(i + 1));
            struct lb_pickle *t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
    }
}

static void finish_run(struct lb_runner *r,
                       bool success,
                       const char *message,
                       bool is_error)
{
    json_t *o = pack("{sssosb}",
                     "testRunStartedId",
                     r->run_id,
                     "timestamp",
                     timestamp_now(),
                     "success",
                     success);
    if (message != NULL) {
        json_object_set_new(o, "message", json_string(message));
        if (is_error)
            json_object_set_new(
                o,
                "exception",
                pack("{ssss}", "type", "Error", "message", message));
    }
    emit(r, pack("{so}", "testRunFinished", o));
    r->finished = true;
}

static void start_run(struct lb_runner *r)
{
    new_id(r, r->run_id);
    emit(r,
         pack("{s{ssso}}",
              "testRunStarted",
              "id",
              r->run_id,
              "timestamp",
              timestamp_now()));
}

int lb_runner_abort(struct lb_runner *r,
                    const char *message,
                    struct lb_error *err)
{
    if (r->finished)
        return 0;
    if (r->run_id[0] == '\0')
        start_run(r);
    finish_run(r, false, message, true);
    if (lb_error_is_set(&r->cb_err)) {
        if (err != NULL && !lb_error_is_set(err))
            *err = r->cb_err;
        return r->cb_err.code;
    }
    return 0;
}

static void interrupted_message(char *buf, size_t size)
{
    int sig = lb_runner_signal();
    (void)snprintf(buf,
                   size,
                   "interrupted by %s",
                   sig == SIGINT    ? "SIGINT"
                   : sig == SIGTERM ? "SIGTERM"
                                    : "a signal");
}

int lb_runner_run(struct lb_runner *r,
                  struct lb_run_result *result,
                  struct lb_error *err)
{
    memset(&r->res, 0, sizeof(r->res));
    int rc = compile_definitions(r, err);
    if (rc != 0) {
        char msg[1700];
        if (err != NULL && err->file[0] != '\0')
            (void)snprintf(
                msg, sizeof(msg), "%s:%d: %s", err->file, err->line, err->msg);
        else
            (void)snprintf(msg, sizeof(msg), "%s", err != NULL ? err->msg : "");
        lb_runner_abort(r, msg, NULL);
        return rc;
    }
    emit_definitions(r);
    start_run(r);
    size_t *scratch = lb_xcalloc(r->reg->hooks.len + 1, sizeof(size_t));
    bool success = true;
    /* Fault injection for tests (the CCK's test-run-exception sample): the
     * run fails outside any step, as a broken environment would make it. */
    const char *inject = getenv("LOGOS_BDD_INJECT_RUN_ERROR");
    if (inject != NULL && *inject != '\0') {
        rc = lb_error_set(err, LB_ESTATE, "%s", inject);
        goto end;
    }
    success = run_run_hooks(r, LB_HOOK_BEFORE_ALL);
    if (success) {
        order_pickles(r);
        for (size_t i = 0; i < r->pickles.len; i++) {
            struct lb_pickle *p = r->pickles.items[i];
            r->pickles.items[i] = NULL; /* the test case owns it */
            rc = build_test_case(r, p, scratch, err);
            if (rc != 0)
                break;
        }
        for (size_t i = 0; rc == 0 && i < r->cases.len; i++) {
            if (lb_run_interrupted())
                break;
            enum lb_status st = run_test_case(r, &r->cases.items[i], scratch);
            r->res.test_cases++;
            r->res.cases_by[st]++;
            if (status_fails(r, st))
                success = false;
            if (r->opts.fail_fast && status_fails(r, st))
                break;
        }
    }
    if (!run_run_hooks(r, LB_HOOK_AFTER_ALL))
        success = false;
end:
    lb_free(scratch);
    r->res.undefined_or_ambiguous = r->res.steps_by[LB_STATUS_UNDEFINED] +
                                    r->res.steps_by[LB_STATUS_AMBIGUOUS];
    char msg[1100];
    const char *message = NULL;
    if (rc != 0) {
        (void)snprintf(
            msg, sizeof(msg), "%s", err != NULL ? err->msg : "error");
        message = msg;
        success = false;
    } else if (lb_run_interrupted()) {
        interrupted_message(msg, sizeof(msg));
        message = msg;
        success = false;
        r->res.interrupted = true;
    }
    finish_run(r, success, message, rc != 0);
    r->res.success = success;
    if (result != NULL)
        *result = r->res;
    if (rc == 0 && lb_error_is_set(&r->cb_err)) {
        if (err != NULL && !lb_error_is_set(err))
            *err = r->cb_err;
        rc = r->cb_err.code;
    }
    return rc;
}

void lb_runner_snippets(struct lb_runner *r, struct lb_buf *out)
{
    if (r->m == NULL)
        return;
    for (size_t i = 0; i < r->cases.len; i++) {
        struct test_case *tc = &r->cases.items[i];
        for (size_t k = 0; k < tc->steps.len; k++) {
            struct tc_step *st = &tc->steps.items[k];
            if (st->kind != TC_PICKLE || st->matches.v.len != 0)
                continue;
            const char *text = st->pstep->text;
            json_t *arg = st->pstep->argument;
            struct lb_buf code = LB_BUF_INIT;
            bool dup = false;
            if (lb_matcher_snippet(r->m,
                                   true,
                                   text != NULL ? text : "",
                                   json_object_get(arg, "dataTable") != NULL,
                                   json_object_get(arg, "docString") != NULL,
                                   &code,
                                   &dup,
                                   NULL) == 0 &&
                !dup)
            {
                lb_buf_add(out, code.ptr, code.len);
                lb_matcher_snippet_alternatives(
                    r->m, text != NULL ? text : "", out);
                lb_buf_addch(out, '\n');
            }
            lb_buf_release(&code);
        }
    }
}
