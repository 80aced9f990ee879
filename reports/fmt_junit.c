/*
 * The `junit` formatter, after the shared Cucumber junit-xml formatter: one
 * <testsuite> (or one per feature inside <testsuites>), one <testcase> per
 * final attempt of each test case, names unique per class, and XML that
 * stays legal whatever bytes a step message carries.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/time.h"
#include "reports/internal.h"

static const char log_media_type[] = "text/x.cucumber.log+plain";

static void attr(struct lb_buf *b, const char *name, const char *value)
{
    if (value == NULL) /* an empty lb_buf has no text yet */
        value = "";
    (void)lb_buf_addf(b, " %s=\"", name);
    lb__xml_escape(b, value, strlen(value), 1);
    (void)lb_buf_addch(b, '"');
}

/* "Keyword text" of test step `i`, or the hook's name. */
static void step_title(struct lb__model *m,
                       const struct lb__rcase *rc,
                       size_t i,
                       struct lb_buf *b)
{
    const struct lb__tstep *ts = lb__rcase_tstep(rc, i);
    const struct lb__pstep *ps = lb__model_pstep(m, ts);

    if (ps) {
        const struct lb__node *ast = lb__model_ast_step(m, ps);
        (void)lb_buf_adds(b, ast ? ast->keyword : "");
        (void)lb_buf_adds(b, ps->text);
    } else {
        json_t *hook =
            json_object_get(m->hooks, ts && ts->hook_id ? ts->hook_id : "");
        const char *type = lb__str(hook, "type");
        const char *name = lb__str(hook, "name");

        (void)lb_buf_adds(
            b, strncmp(type, "AFTER", 5) == 0 ? "After hook" : "Before hook");
        if (*name)
            (void)lb_buf_addf(b, " '%s'", name);
    }
}

/* Where the step is in the feature: "uri:line". */
static void step_where(struct lb__model *m,
                       const struct lb__rcase *rc,
                       size_t i,
                       struct lb_buf *b)
{
    const struct lb__pstep *ps = lb__model_pstep(m, lb__rcase_tstep(rc, i));
    const struct lb__node *ast = ps ? lb__model_ast_step(m, ps) : NULL;

    (void)lb_buf_adds(b, rc->pickle ? rc->pickle->uri : "");
    if (ast)
        (void)lb_buf_addf(b, ":%ld", ast->line);
    else if (rc->pickle)
        (void)lb_buf_addf(b, ":%ld", rc->pickle->line);
}

/* The message of a non-passing outcome, and the body text under it. */
static void failure_text(struct lb__model *m,
                         const struct lb__rcase *rc,
                         long i,
                         int status,
                         struct lb_buf *msg,
                         struct lb_buf *text)
{
    const struct lb__rstep *st = &rc->steps[i];
    const struct lb__tstep *ts = lb__rcase_tstep(rc, (size_t)i);
    struct lb_buf title = LB_BUF_INIT, where = LB_BUF_INIT, loc = LB_BUF_INIT;
    size_t k, ndefs = ts ? ts->ndefs : 0;

    step_title(m, rc, (size_t)i, &title);
    step_where(m, rc, (size_t)i, &where);
    lb__model_location(m, ts, &loc);
    switch (status) {
    case LB__ST_FAILED:
        (void)lb_buf_adds(msg, st->message ? st->message : "step failed");
        break;
    case LB__ST_PENDING:
        (void)lb_buf_addf(msg, "step is pending: %s", title.ptr);
        if (st->message)
            (void)lb_buf_addf(msg, ": %s", st->message);
        break;
    case LB__ST_UNDEFINED:
        (void)lb_buf_addf(msg, "step is undefined: %s", title.ptr);
        break;
    case LB__ST_AMBIGUOUS:
        (void)lb_buf_addf(msg,
                          "step is ambiguous: %s matches %zu step "
                          "definitions",
                          title.ptr,
                          ndefs);
        break;
    default:
        (void)lb_buf_addf(msg, "step %s", lb__status_name(status));
        break;
    }
    if (status == LB__ST_FAILED && st->detail)
        (void)lb_buf_addf(text, "%s\n", st->detail);
    else
        (void)lb_buf_addf(text, "%s\n", msg->ptr);
    (void)lb_buf_addf(text, "step: %s\nat: %s\n", title.ptr, where.ptr);
    if (status == LB__ST_AMBIGUOUS) {
        for (k = 0; k < ndefs; k++) {
            json_t *def = json_object_get(m->stepdefs, ts->def_ids[k]);
            json_t *ref = json_object_get(def, "sourceReference");
            (void)lb_buf_addf(text,
                              "candidate: %s:%ld\n",
                              lb__str(ref, "uri"),
                              lb__line(ref));
        }
    } else if (loc.len) {
        (void)lb_buf_addf(text, "step definition: %s\n", loc.ptr);
    }
    lb_buf_release(&title);
    lb_buf_release(&where);
    lb_buf_release(&loc);
}

static void add_logs(struct lb_buf *out, json_t *attachments)
{
    size_t k;
    json_t *a;

    json_array_foreach(attachments, k, a)
    {
        const char *body = lb__str(a, "body");
        if (strcmp(lb__str(a, "mediaType"), log_media_type) != 0 ||
            strcmp(lb__str(a, "contentEncoding"), "BASE64") == 0)
            continue;
        (void)lb_buf_adds(out, body);
        if (!*body || body[strlen(body) - 1] != '\n')
            (void)lb_buf_addch(out, '\n');
    }
}

static void
system_out(struct lb__model *m, const struct lb__rcase *rc, struct lb_buf *b)
{
    struct lb_buf text = LB_BUF_INIT, logs = LB_BUF_INIT;
    size_t i;

    (void)lb_buf_addch(&text, '\n');
    for (i = 0; i < rc->nsteps; i++) {
        const struct lb__pstep *ps = lb__model_pstep(m, lb__rcase_tstep(rc, i));
        const struct lb__node *ast = ps ? lb__model_ast_step(m, ps) : NULL;

        if (ps)
            lb__step_line(&text,
                          ast ? ast->keyword : "",
                          ps->text,
                          lb__status_name(rc->steps[i].finished
                                              ? rc->steps[i].status
                                              : LB__ST_SKIPPED));
        add_logs(&logs, rc->steps[i].attachments);
        if (rc->steps[i].status == LB__ST_SKIPPED && rc->steps[i].message)
            (void)lb_buf_addf(&logs, "skipped: %s\n", rc->steps[i].message);
    }
    add_logs(&logs, rc->attachments);
    if (logs.len) {
        (void)lb_buf_addch(&text, '\n');
        (void)lb_buf_add(&text, logs.ptr, logs.len);
    }
    (void)lb_buf_adds(b, "<system-out>");
    lb__xml_cdata(b, text.ptr, text.len);
    (void)lb_buf_adds(b, "</system-out>\n");
    lb_buf_release(&text);
    lb_buf_release(&logs);
}

/* Classname and (unique within it) name of a test case. */
static void case_names(struct lb__model *m,
                       const struct lb__rcase *rc,
                       json_t *seen,
                       struct lb_buf *cls,
                       struct lb_buf *name)
{
    const struct lb__pickle *pk = rc->pickle ? rc->pickle : &lb__no_pickle;
    const struct lb__node *feature = lb__model_feature(m, rc->pickle);
    const char *fname = feature ? feature->name : "";
    struct lb_buf key = LB_BUF_INIT;
    int k;

    (void)lb_buf_adds(cls, *fname ? fname : pk->uri);
    lb__junit_name(m, rc->pickle, name);
    if (name->len == 0)
        (void)lb_buf_addf(name, "%s:%ld", pk->uri, pk->line);
    /* Same-named scenarios would collide in CI tools: add the line, then a
     * counter (the same feature run twice). */
    for (k = 0;; k++) {
        lb_buf_reset(&key);
        (void)lb_buf_addf(&key, "%s\n%s", cls->ptr, name->ptr);
        if (!json_object_get(seen, key.ptr))
            break;
        if (k == 0)
            (void)lb_buf_addf(name, " (line %ld)", pk->line);
        else
            (void)lb_buf_addf(name, " (%d)", k + 1);
    }
    (void)json_object_set_new(seen, key.ptr, json_true());
    lb_buf_release(&key);
}

static void testcase(struct lb__model *m,
                     const struct lb__rcase *rc,
                     json_t *seen,
                     struct lb_buf *b)
{
    struct lb_buf cls = LB_BUF_INIT, name = LB_BUF_INIT, t = LB_BUF_INIT;
    int status = lb__rcase_status(rc);
    int64_t dur = rc->finished && rc->end_ns >= rc->start_ns
                      ? rc->end_ns - rc->start_ns
                      : lb__rcase_duration(rc);

    case_names(m, rc, seen, &cls, &name);
    lb__seconds(&t, dur);
    (void)lb_buf_adds(b, "<testcase");
    attr(b, "classname", cls.ptr);
    attr(b, "name", name.ptr);
    attr(b, "time", t.ptr);
    (void)lb_buf_adds(b, ">\n");
    if (!rc->finished && status <= LB__ST_SKIPPED) {
        /* Ctrl-C or a dead worker: what ran is reported, but a test case
         * that never finished must not look passed. */
        (void)lb_buf_adds(b, "<failure");
        attr(b, "type", "interrupted");
        attr(b, "message", "the run ended before this test case finished");
        (void)lb_buf_adds(b, "/>\n");
    } else if (status == LB__ST_SKIPPED) {
        /* Both XSDs reject attributes on <skipped>; the reason stays in
         * <system-out>. */
        (void)lb_buf_adds(b, "<skipped/>\n");
    } else if (status > LB__ST_SKIPPED) {
        struct lb_buf msg = LB_BUF_INIT, text = LB_BUF_INIT;
        long i = lb__rcase_find(rc, status);
        const char *type = lb__status_name(status);

        failure_text(m, rc, i, status, &msg, &text);
        if (status == LB__ST_FAILED && rc->steps[i].exc_type)
            type = rc->steps[i].exc_type;
        (void)lb_buf_adds(b, "<failure");
        attr(b, "type", type);
        attr(b, "message", msg.ptr);
        (void)lb_buf_adds(b, ">");
        lb__xml_cdata(b, text.ptr, text.len);
        (void)lb_buf_adds(b, "</failure>\n");
        lb_buf_release(&msg);
        lb_buf_release(&text);
    }
    system_out(m, rc, b);
    (void)lb_buf_adds(b, "</testcase>\n");
    lb_buf_release(&cls);
    lb_buf_release(&name);
    lb_buf_release(&t);
}

/* Writes one <testsuite> of the final attempts whose pickle uri is `uri`
 * (NULL = all): the counts first, then the test cases, each flushed to the
 * file as it is written so the report never sits whole in memory. */
static int suite(struct lb_formatter *f,
                 const char *name,
                 const char *uri,
                 json_t *seen,
                 struct lb_error *err)
{
    struct lb__model *m = f->model;
    struct lb_buf t = LB_BUF_INIT;
    long failures = 0, skipped = 0;
    int64_t sum = 0;
    char stamp[40];
    struct lb__rcase **runs;
    size_t i, n;
    int rc = 0;

    runs = lb__model_final_runs(m, uri, &n);
    for (i = 0; i < n; i++) {
        int st = lb__rcase_status(runs[i]);

        /* unfinished (interrupted) or worse than skipped: a failure */
        if (runs[i]->finished && st == LB__ST_SKIPPED)
            skipped++;
        else if (!runs[i]->finished || st > LB__ST_SKIPPED)
            failures++;
        sum += runs[i]->finished && runs[i]->end_ns >= runs[i]->start_ns
                   ? runs[i]->end_ns - runs[i]->start_ns
                   : lb__rcase_duration(runs[i]);
    }
    if (!uri && m->run_started && m->run_finished &&
        m->run_end_ns >= m->run_start_ns)
        sum = m->run_end_ns - m->run_start_ns;
    lb__seconds(&t, sum);
    lb_time_iso8601(m->run_started ? m->run_start_ns : lb_time_wall_ns(),
                    stamp,
                    sizeof(stamp));
    (void)lb_buf_adds(&f->out, "<testsuite");
    attr(&f->out, "name", name);
    (void)lb_buf_addf(&f->out,
                      " tests=\"%zu\" failures=\"%ld\" errors=\"0\" "
                      "skipped=\"%ld\" time=\"%s\" timestamp=\"%s\">\n",
                      n,
                      failures,
                      skipped,
                      t.ptr,
                      stamp);
    for (i = 0; i < n && rc == 0; i++) {
        if (lb__model_open(m, runs[i]) != 0) {
            rc = lb_error_set(err,
                              LB_EPARSE,
                              "junit: cannot read test case '%s'",
                              runs[i]->case_id);
            break;
        }
        testcase(m, runs[i], seen, &f->out);
        lb__model_close(m, runs[i]);
        rc = lb__fmt_flush(f, err);
    }
    (void)lb_buf_adds(&f->out, "</testsuite>\n");
    lb_free(runs);
    lb_buf_release(&t);
    return rc;
}

static int junit_finish(struct lb_formatter *f, struct lb_error *err)
{
    struct lb__model *m = f->model;
    const char *name = f->opts.suite_name ? f->opts.suite_name : "logos-bdd";
    json_t *seen = json_object();
    size_t i;
    int rc = 0;

    if (!seen)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    (void)lb_buf_adds(&f->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (!f->opts.junit_suite_per_feature) {
        rc = suite(f, name, NULL, seen, err);
    } else {
        (void)lb_buf_adds(&f->out, "<testsuites");
        attr(&f->out, "name", name);
        (void)lb_buf_adds(&f->out, ">\n");
        for (i = 0; i < json_array_size(m->doc_order); i++) {
            const char *uri =
                json_string_value(json_array_get(m->doc_order, i));
            const struct lb__doc *doc = lb__model_doc(m, uri);
            const char *fname = doc && doc->feature ? doc->feature->name : "";

            if (rc == 0)
                rc = suite(f, *fname ? fname : uri, uri, seen, err);
        }
        (void)lb_buf_adds(&f->out, "</testsuites>\n");
    }
    json_decref(seen);
    return rc;
}

const struct lb__fmt_ops lb__fmt_junit = {
    "junit", 1, 0, NULL, NULL, junit_finish, NULL};
