/*
 * The `json` formatter: Cucumber JSON in the canonical Cucumber-JVM shape
 * (shared/schemas/cucumber-json/cucumber-jvm.json). Built one feature at a
 * time at finish, so the extra memory is one feature's tree.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/time.h"
#include "reports/internal.h"

/* A JSON string that never fails on odd input: strings from the stream are
 * valid UTF-8 already, the fallback only covers out of memory. */
static json_t *js(const char *s)
{
    json_t *v = json_string(s ? s : "");

    return v ? v : json_string("");
}

static json_t *js_buf(struct lb_buf *b)
{
    struct lb_buf clean = LB_BUF_INIT;
    json_t *v;

    lb__text_clean(&clean, b->ptr, b->len);
    v = json_stringn(clean.ptr, clean.len);
    lb_buf_release(&clean);
    return v ? v : json_string("");
}

static void set(json_t *obj, const char *key, json_t *value)
{
    (void)json_object_set_new(obj, key, value);
}

/* The status of a step for Cucumber JSON, which has no "unknown": a step
 * that never finished (an interrupted run) did not run. */
static const char *json_status(const struct lb__rstep *st)
{
    return st->finished && st->status != LB__ST_UNKNOWN
               ? lb__status_name(st->status)
               : "skipped";
}

static json_t *result(const struct lb__rstep *st)
{
    json_t *r = json_object();

    set(r, "status", js(json_status(st)));
    /* Cucumber-JVM leaves the duration out for steps that did not run. */
    if (st->duration_ns > 0)
        set(r, "duration", json_integer(st->duration_ns));
    if (st->detail && (st->status == LB__ST_FAILED || st->message))
        set(r, "error_message", js(st->detail));
    return r;
}

/* embeddings (base64) and output (log text) of a step or hook. */
static void attachments(json_t *target, json_t *list)
{
    json_t *emb = NULL, *out = NULL, *a;
    size_t i;

    json_array_foreach(list, i, a)
    {
        const char *mt = lb__str(a, "mediaType");
        const char *body = lb__str(a, "body");
        int b64 = strcmp(lb__str(a, "contentEncoding"), "BASE64") == 0;

        if (strcmp(mt, "text/x.cucumber.log+plain") == 0 && !b64) {
            if (!out)
                out = json_array();
            (void)json_array_append_new(out, js(body));
        } else {
            json_t *e = json_object();
            struct lb_buf data = LB_BUF_INIT;

            if (b64)
                (void)lb_buf_adds(&data, body);
            else
                lb__base64(&data, body, strlen(body));
            set(e, "mime_type", js(mt));
            set(e, "data", js(data.ptr));
            if (json_is_string(json_object_get(a, "fileName")))
                set(e, "name", js(lb__str(a, "fileName")));
            if (!emb)
                emb = json_array();
            (void)json_array_append_new(emb, e);
            lb_buf_release(&data);
        }
    }
    if (emb)
        set(target, "embeddings", emb);
    if (out)
        set(target, "output", out);
}

static json_t *match(struct lb__model *m, json_t *ts, struct lb_buf *loc)
{
    json_t *mt = json_object();
    json_t *lists = json_object_get(ts, "stepMatchArgumentsLists");
    json_t *args, *a;
    size_t i;

    lb__model_location(m, ts, loc);
    if (loc->len)
        set(mt, "location", js(loc->ptr));
    if (json_array_size(lists) != 1)
        return mt;
    args = json_array();
    json_array_foreach(
        json_object_get(json_array_get(lists, 0), "stepMatchArguments"), i, a)
    {
        json_t *g = json_object_get(a, "group");
        json_t *val = json_object_get(g, "value");

        if (!json_is_string(val)) {
            /* An optional group that did not match, as Cucumber-JVM. */
            (void)json_array_append_new(args, json_object());
            continue;
        }
        (void)json_array_append_new(
            args,
            json_pack("{s:O,s:I}",
                      "val",
                      val,
                      "offset",
                      (json_int_t)lb__int(g, "start", 0)));
    }
    if (json_array_size(args))
        set(mt, "arguments", args);
    else
        json_decref(args);
    return mt;
}

static json_t *hook_entry(struct lb__model *m,
                          const struct lb__rcase *rc,
                          size_t i,
                          struct lb_buf *loc)
{
    json_t *h = json_object();

    set(h, "match", match(m, lb__rcase_tstep(rc, i), loc));
    set(h, "result", result(&rc->steps[i]));
    attachments(h, rc->steps[i].attachments);
    return h;
}

static json_t *step_entry(struct lb__model *m,
                          const struct lb__rcase *rc,
                          size_t i,
                          json_t *ps,
                          struct lb_buf *loc)
{
    json_t *s = json_object();
    json_t *ast = lb__model_ast_step(m, ps);
    json_t *arg = json_object_get(ps, "argument");
    json_t *table = json_object_get(arg, "dataTable");
    json_t *doc = json_object_get(arg, "docString");
    json_t *row, *cell;
    size_t r, c;

    set(s, "keyword", js(ast ? lb__str(ast, "keyword") : "* "));
    set(s, "line", json_integer(ast ? lb__line(ast) : 0));
    set(s, "name", js(lb__str(ps, "text")));
    set(s, "match", match(m, lb__rcase_tstep(rc, i), loc));
    set(s, "result", result(&rc->steps[i]));
    if (table) {
        json_t *rows = json_array();

        json_array_foreach(json_object_get(table, "rows"), r, row)
        {
            json_t *cells = json_array();
            json_array_foreach(json_object_get(row, "cells"), c, cell)
            {
                (void)json_array_append_new(cells, js(lb__str(cell, "value")));
            }
            (void)json_array_append_new(rows,
                                        json_pack("{s:o}", "cells", cells));
        }
        set(s, "rows", rows);
    }
    if (doc) {
        json_t *d = json_object();
        json_t *adoc = json_object_get(ast, "docString");

        set(d, "line", json_integer(adoc ? lb__line(adoc) : 0));
        set(d, "value", js(lb__str(doc, "content")));
        if (json_is_string(json_object_get(doc, "mediaType")))
            set(d, "content_type", js(lb__str(doc, "mediaType")));
        set(s, "doc_string", d);
    }
    attachments(s, rc->steps[i].attachments);
    return s;
}

/* Scenario id: feature;[rule;]scenario[;examples;row+1]. */
static json_t *element_id(struct lb__model *m, json_t *pickle, json_t *feature)
{
    struct lb_buf id = LB_BUF_INIT;
    json_t *rule = lb__model_rule(m, pickle);
    json_t *sc = lb__model_scenario(m, pickle);
    json_t *ex;
    int ei = 0, ri = 0;
    json_t *v;

    lb__json_id(&id, lb__str(feature, "name"));
    if (rule) {
        (void)lb_buf_addch(&id, ';');
        lb__json_id(&id, lb__str(rule, "name"));
    }
    (void)lb_buf_addch(&id, ';');
    lb__json_id(&id, sc ? lb__str(sc, "name") : lb__str(pickle, "name"));
    ex = sc ? lb__model_examples(m, pickle, &ei, &ri) : NULL;
    if (ex) {
        (void)lb_buf_addch(&id, ';');
        lb__json_id(&id, lb__str(ex, "name"));
        /* The header is row 1 of the table, so data rows start at 2. */
        (void)lb_buf_addf(&id, ";%d", ri + 1);
    }
    v = js_buf(&id);
    lb_buf_release(&id);
    return v;
}

static void add_step_hook(json_t *step, const char *key, json_t *hook)
{
    json_t *list = json_object_get(step, key);

    if (!list) {
        list = json_array();
        set(step, key, list);
    }
    (void)json_array_append_new(list, hook);
}

/* The background element (if the pickle has background steps) and the
 * scenario element of one test case attempt, appended to `elements`. */
static void elements_of(struct lb__model *m,
                        const struct lb__rcase *rc,
                        json_t *feature,
                        json_t *elements)
{
    json_t *sc = lb__model_scenario(m, rc->pickle);
    json_t *bg = NULL, *bg_node = NULL;
    json_t *steps = json_array(), *before = json_array(), *after = json_array();
    json_t *el = json_object(), *tags = json_array();
    json_t *pending_before = NULL, *last_step = NULL, *tag;
    struct lb_buf loc = LB_BUF_INIT;
    char stamp[40];
    size_t i;

    for (i = 0; i < rc->nsteps; i++) {
        json_t *ts = lb__rcase_tstep(rc, i);
        json_t *ps = lb__model_pstep(m, ts);

        if (!ps) {
            json_t *hook = json_object_get(m->hooks, lb__str(ts, "hookId"));
            const char *type = lb__str(hook, "type");
            json_t *h = hook_entry(m, rc, i, &loc);

            if (strcmp(type, "BEFORE_TEST_STEP") == 0) {
                if (!pending_before)
                    pending_before = json_array();
                (void)json_array_append_new(pending_before, h);
            } else if (strcmp(type, "AFTER_TEST_STEP") == 0 && last_step) {
                add_step_hook(last_step, "after", h);
            } else if (strcmp(type, "AFTER_TEST_CASE") == 0 ||
                       (!*type && (last_step || json_array_size(steps))))
            {
                (void)json_array_append_new(after, h);
            } else {
                (void)json_array_append_new(before, h);
            }
            continue;
        }
        {
            json_t *ast = lb__model_ast_step(m, ps);
            json_t *parent =
                ast ? json_object_get(m->parent, lb__str(ast, "id")) : NULL;
            json_t *s = step_entry(m, rc, i, ps, &loc);

            if (pending_before) {
                set(s, "before", pending_before);
                pending_before = NULL;
            }
            last_step = s;
            /* A background step's parent is a background node, which has
             * no "examples" member (scenarios always do). */
            if (parent && !json_object_get(parent, "examples") && parent != sc)
            {
                if (!bg) {
                    bg = json_array();
                    bg_node = parent;
                }
                (void)json_array_append_new(bg, s);
            } else {
                (void)json_array_append_new(steps, s);
            }
        }
    }
    json_decref(pending_before);
    if (bg) {
        json_t *b = json_object();

        set(b, "line", json_integer(lb__line(bg_node)));
        set(b, "type", js("background"));
        set(b, "keyword", js(lb__str(bg_node, "keyword")));
        set(b, "name", js(lb__str(bg_node, "name")));
        set(b, "description", js(lb__str(bg_node, "description")));
        set(b, "steps", bg);
        (void)json_array_append_new(elements, b);
    }
    lb_time_iso8601(rc->start_ns, stamp, sizeof(stamp));
    set(el, "start_timestamp", js(stamp));
    /* The pickle's line: the scenario's, or an outline's examples row. */
    set(el, "line", json_integer(lb__line(rc->pickle)));
    set(el, "id", element_id(m, rc->pickle, feature));
    set(el, "type", js("scenario"));
    set(el, "keyword", js(sc ? lb__str(sc, "keyword") : "Scenario"));
    set(el, "name", js(lb__str(rc->pickle, "name")));
    set(el, "description", js(sc ? lb__str(sc, "description") : ""));
    set(el, "steps", steps);
    json_array_foreach(json_object_get(rc->pickle, "tags"), i, tag)
    {
        (void)json_array_append_new(
            tags, json_pack("{s:s}", "name", lb__str(tag, "name")));
    }
    set(el, "tags", tags);
    if (json_array_size(before))
        set(el, "before", before);
    else
        json_decref(before);
    if (json_array_size(after))
        set(el, "after", after);
    else
        json_decref(after);
    (void)json_array_append_new(elements, el);
    lb_buf_release(&loc);
}

static json_t *feature_tags(json_t *feature)
{
    json_t *tags = json_array(), *tag;
    size_t i;

    json_array_foreach(json_object_get(feature, "tags"), i, tag)
    {
        json_t *loc = json_object_get(tag, "location");
        (void)json_array_append_new(
            tags,
            json_pack("{s:s,s:s,s:{s:I,s:I}}",
                      "name",
                      lb__str(tag, "name"),
                      "type",
                      "Tag",
                      "location",
                      "line",
                      (json_int_t)lb__int(loc, "line", 0),
                      "column",
                      (json_int_t)lb__int(loc, "column", 0)));
    }
    return tags;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    return lb_buf_add(data, buffer, size) == 0 ? 0 : -1;
}

static int json_finish(struct lb_formatter *f, struct lb_error *err)
{
    struct lb__model *m = f->model;
    size_t d, i;
    int first = 1;

    (void)lb_buf_addch(&f->out, '[');
    for (d = 0; d < json_array_size(m->doc_order); d++) {
        const char *uri = json_string_value(json_array_get(m->doc_order, d));
        json_t *doc = lb__model_doc(m, uri);
        json_t *feature = json_object_get(doc, "feature");
        json_t *out, *elements;
        struct lb__rcase **runs;
        size_t n;
        struct lb_buf id = LB_BUF_INIT;
        int rc;

        /* A document without a feature (an empty file) has nothing to
         * report, as in Cucumber-JVM. */
        if (!json_is_object(feature))
            continue;
        elements = json_array();
        runs = lb__model_final_runs(m, uri, &n);
        for (i = 0; i < n; i++)
            if (lb__model_open(m, runs[i]) == 0) {
                elements_of(m, runs[i], feature, elements);
                lb__model_close(m, runs[i]);
            }
        lb_free(runs);
        /* Like Cucumber-JVM, a feature none of whose scenarios ran is left
         * out. */
        if (json_array_size(elements) == 0) {
            json_decref(elements);
            continue;
        }
        lb__json_id(&id, lb__str(feature, "name"));
        out = json_object();
        set(out, "uri", js(uri));
        set(out, "id", js_buf(&id));
        set(out, "line", json_integer(lb__line(feature)));
        set(out, "keyword", js(lb__str(feature, "keyword")));
        set(out, "name", js(lb__str(feature, "name")));
        set(out, "description", js(lb__str(feature, "description")));
        set(out, "elements", elements);
        set(out, "tags", feature_tags(feature));
        lb_buf_release(&id);
        if (!first)
            (void)lb_buf_addch(&f->out, ',');
        first = 0;
        rc = json_dump_callback(out, dump_cb, &f->out, JSON_COMPACT);
        json_decref(out);
        if (rc != 0)
            return lb_error_set(
                err, LB_ENOMEM, "cannot serialise feature '%s'", uri);
        /* One feature at a time goes to the file. */
        if ((rc = lb__fmt_flush(f, err)) != 0)
            return rc;
    }
    (void)lb_buf_adds(&f->out, "]\n");
    return 0;
}

const struct lb__fmt_ops lb__fmt_json = {
    "json", 1, 0, NULL, NULL, json_finish, NULL};
