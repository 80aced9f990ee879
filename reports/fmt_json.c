/*
 * The `json` formatter: Cucumber JSON in the canonical Cucumber-JVM shape
 * (shared/schemas/cucumber-json/cucumber-jvm.json). Written as text at
 * finish, one feature at a time, straight from the index's C structs: no
 * JSON tree is built, so the extra memory is one feature's text.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/time.h"
#include "reports/internal.h"

/* A JSON string literal. */
static void jstr(struct lb_buf *b, const char *s)
{
    if (!s)
        s = "";
    (void)lb_buf_add_json_string(b, s, strlen(s));
}

/* ,"key": (the comma unless `first`). */
static void jkey(struct lb_buf *b, const char *key, int first)
{
    if (!first)
        (void)lb_buf_addch(b, ',');
    (void)lb_buf_addch(b, '"');
    (void)lb_buf_adds(b, key);
    (void)lb_buf_adds(b, "\":");
}

static void jint(struct lb_buf *b, long long v)
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
    (void)lb_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* A string with ANSI escapes removed and invalid UTF-8 replaced. */
static void jstr_clean(struct lb_buf *b, const char *s, size_t len)
{
    struct lb_buf clean = LB_BUF_INIT;

    lb__text_clean(&clean, s, len);
    (void)lb_buf_add_json_string(b, clean.ptr ? clean.ptr : "", clean.len);
    lb_buf_release(&clean);
}

/* The status of a step for Cucumber JSON, which has no "unknown": a step
 * that never finished (an interrupted run) did not run. */
static const char *json_status(const struct lb__rstep *st)
{
    return st->finished && st->status != LB__ST_UNKNOWN
               ? lb__status_name(st->status)
               : "skipped";
}

static void result(struct lb_buf *b, const struct lb__rstep *st)
{
    (void)lb_buf_adds(b, "{\"status\":");
    jstr(b, json_status(st));
    /* Cucumber-JVM leaves the duration out for steps that did not run. */
    if (st->duration_ns > 0) {
        jkey(b, "duration", 0);
        jint(b, st->duration_ns);
    }
    if (st->detail && (st->status == LB__ST_FAILED || st->message)) {
        jkey(b, "error_message", 0);
        jstr(b, st->detail);
    }
    (void)lb_buf_addch(b, '}');
}

/* ,"embeddings" (base64) and ,"output" (log text) of a step or hook. */
static void attachments(struct lb_buf *b, json_t *list)
{
    json_t *a;
    size_t i;
    int n = 0;

    json_array_foreach(list, i, a)
    {
        const char *mt = lb__str(a, "mediaType");
        const char *body = lb__str(a, "body");
        int b64 = strcmp(lb__str(a, "contentEncoding"), "BASE64") == 0;
        struct lb_buf data = LB_BUF_INIT;

        if (strcmp(mt, "text/x.cucumber.log+plain") == 0 && !b64)
            continue;
        (void)lb_buf_adds(b, n++ ? ",{" : ",\"embeddings\":[{");
        if (b64)
            (void)lb_buf_adds(&data, body);
        else
            lb__base64(&data, body, strlen(body));
        jkey(b, "mime_type", 1);
        jstr(b, mt);
        jkey(b, "data", 0);
        jstr(b, data.ptr);
        if (json_is_string(json_object_get(a, "fileName"))) {
            jkey(b, "name", 0);
            jstr(b, lb__str(a, "fileName"));
        }
        (void)lb_buf_addch(b, '}');
        lb_buf_release(&data);
    }
    if (n)
        (void)lb_buf_addch(b, ']');
    n = 0;
    json_array_foreach(list, i, a)
    {
        int b64 = strcmp(lb__str(a, "contentEncoding"), "BASE64") == 0;

        if (strcmp(lb__str(a, "mediaType"), "text/x.cucumber.log+plain") != 0 ||
            b64)
            continue;
        (void)lb_buf_adds(b, n++ ? "," : ",\"output\":[");
        jstr(b, lb__str(a, "body"));
    }
    if (n)
        (void)lb_buf_addch(b, ']');
}

static void match(struct lb_buf *b,
                  struct lb__model *m,
                  const struct lb__tstep *ts,
                  struct lb_buf *loc)
{
    size_t i;
    int first = 1;

    (void)lb_buf_addch(b, '{');
    lb__model_location(m, ts, loc);
    if (loc->len) {
        jkey(b, "location", 1);
        jstr(b, loc->ptr);
        first = 0;
    }
    if (ts && ts->nlists == 1 && ts->nargs) {
        jkey(b, "arguments", first);
        (void)lb_buf_addch(b, '[');
        for (i = 0; i < ts->nargs; i++) {
            if (i)
                (void)lb_buf_addch(b, ',');
            /* An optional group that did not match, as Cucumber-JVM. */
            if (!ts->args[i].value) {
                (void)lb_buf_adds(b, "{}");
                continue;
            }
            (void)lb_buf_adds(b, "{\"val\":");
            jstr(b, ts->args[i].value);
            jkey(b, "offset", 0);
            jint(b, ts->args[i].start);
            (void)lb_buf_addch(b, '}');
        }
        (void)lb_buf_addch(b, ']');
    }
    (void)lb_buf_addch(b, '}');
}

static void hook_entry(struct lb_buf *b,
                       struct lb__model *m,
                       const struct lb__rcase *rc,
                       size_t i,
                       struct lb_buf *loc)
{
    (void)lb_buf_adds(b, "{\"match\":");
    match(b, m, lb__rcase_tstep(rc, i), loc);
    jkey(b, "result", 0);
    result(b, &rc->steps[i]);
    attachments(b, rc->steps[i].attachments);
    (void)lb_buf_addch(b, '}');
}

/* The hooks of a list of test step indexes, as ,"key":[...]. */
static void hook_list(struct lb_buf *b,
                      const char *key,
                      struct lb__model *m,
                      const struct lb__rcase *rc,
                      const size_t *idx,
                      size_t n,
                      struct lb_buf *loc)
{
    size_t k;

    if (!n)
        return;
    jkey(b, key, 0);
    (void)lb_buf_addch(b, '[');
    for (k = 0; k < n; k++) {
        if (k)
            (void)lb_buf_addch(b, ',');
        hook_entry(b, m, rc, idx[k], loc);
    }
    (void)lb_buf_addch(b, ']');
}

/* Where each test step of an attempt goes in the Cucumber JSON. */
enum place {
    P_STEP,
    P_BG_STEP,
    P_BEFORE,
    P_AFTER,
    P_STEP_BEFORE,
    P_STEP_AFTER,
    P_NONE
};

struct plan {
    size_t n;
    unsigned char *place;      /* per test step: enum place */
    size_t *owner;             /* P_STEP_BEFORE/AFTER: the step it belongs to */
    const struct lb__node *bg; /* the background node, or NULL */
};

/* Decides the place of every test step, as the tree-building version
 * attached them: a before-step hook to the next step, an after-step hook
 * to the last step, other hooks to the scenario's before or after. */
static void plan_case(struct lb__model *m,
                      const struct lb__rcase *rc,
                      const struct lb__node *sc,
                      struct plan *p)
{
    size_t i, k, npending = 0;
    long last_step = -1;
    int any_step = 0;
    size_t *pending = lb_xcalloc(rc->nsteps + 1, sizeof(*pending));

    p->n = rc->nsteps;
    p->place = lb_xcalloc(rc->nsteps + 1, 1);
    p->owner = lb_xcalloc(rc->nsteps + 1, sizeof(*p->owner));
    p->bg = NULL;
    for (i = 0; i < rc->nsteps; i++) {
        const struct lb__tstep *ts = lb__rcase_tstep(rc, i);
        const struct lb__pstep *ps = lb__model_pstep(m, ts);

        if (!ps) {
            json_t *hook =
                json_object_get(m->hooks, ts && ts->hook_id ? ts->hook_id : "");
            const char *type = lb__str(hook, "type");

            if (strcmp(type, "BEFORE_TEST_STEP") == 0) {
                p->place[i] = P_STEP_BEFORE;
                pending[npending++] = i;
            } else if (strcmp(type, "AFTER_TEST_STEP") == 0 && last_step >= 0) {
                p->place[i] = P_STEP_AFTER;
                p->owner[i] = (size_t)last_step;
            } else if (strcmp(type, "AFTER_TEST_CASE") == 0 ||
                       (!*type && (last_step >= 0 || any_step)))
            {
                p->place[i] = P_AFTER;
            } else {
                p->place[i] = P_BEFORE;
            }
            continue;
        }
        {
            const struct lb__node *ast = lb__model_ast_step(m, ps);
            const struct lb__node *parent = ast ? ast->parent : NULL;

            for (k = 0; k < npending; k++)
                p->owner[pending[k]] = i;
            npending = 0;
            last_step = (long)i;
            any_step = 1;
            /* A background step's parent is a background node. */
            if (parent && parent->kind == LB__N_BACKGROUND && parent != sc) {
                p->place[i] = P_BG_STEP;
                if (!p->bg)
                    p->bg = parent;
            } else {
                p->place[i] = P_STEP;
            }
        }
    }
    /* Before-step hooks with no step after them are dropped. */
    for (k = 0; k < npending; k++)
        p->place[pending[k]] = P_NONE;
    lb_free(pending);
}

static void step_entry(struct lb_buf *b,
                       struct lb__model *m,
                       const struct lb__rcase *rc,
                       size_t i,
                       const struct plan *p,
                       size_t *scratch,
                       struct lb_buf *loc)
{
    const struct lb__tstep *ts = lb__rcase_tstep(rc, i);
    const struct lb__pstep *ps = lb__model_pstep(m, ts);
    const struct lb__node *ast = lb__model_ast_step(m, ps);
    size_t r, c, k, n;

    (void)lb_buf_adds(b, "{\"keyword\":");
    jstr(b, ast ? ast->keyword : "* ");
    jkey(b, "line", 0);
    jint(b, ast ? ast->line : 0);
    jkey(b, "name", 0);
    jstr(b, ps->text);
    jkey(b, "match", 0);
    match(b, m, ts, loc);
    jkey(b, "result", 0);
    result(b, &rc->steps[i]);
    if (ps->has_table) {
        jkey(b, "rows", 0);
        (void)lb_buf_addch(b, '[');
        for (r = 0; r < ps->nrows; r++) {
            (void)lb_buf_adds(b, r ? ",{\"cells\":[" : "{\"cells\":[");
            for (c = 0; c < ps->rows[r].ncells; c++) {
                if (c)
                    (void)lb_buf_addch(b, ',');
                jstr(b, ps->rows[r].cells[c]);
            }
            (void)lb_buf_adds(b, "]}");
        }
        (void)lb_buf_addch(b, ']');
    }
    if (ps->has_doc) {
        jkey(b, "doc_string", 0);
        (void)lb_buf_adds(b, "{\"line\":");
        jint(b, ast && ast->has_doc_string ? ast->doc_line : 0);
        jkey(b, "value", 0);
        jstr(b, ps->doc_content);
        if (ps->doc_media_type) {
            jkey(b, "content_type", 0);
            jstr(b, ps->doc_media_type);
        }
        (void)lb_buf_addch(b, '}');
    }
    attachments(b, rc->steps[i].attachments);
    for (k = n = 0; k < p->n; k++)
        if (p->place[k] == P_STEP_BEFORE && p->owner[k] == i)
            scratch[n++] = k;
    hook_list(b, "before", m, rc, scratch, n, loc);
    for (k = n = 0; k < p->n; k++)
        if (p->place[k] == P_STEP_AFTER && p->owner[k] == i)
            scratch[n++] = k;
    hook_list(b, "after", m, rc, scratch, n, loc);
    (void)lb_buf_addch(b, '}');
}

/* Scenario id: feature;[rule;]scenario[;examples;row+1]. */
static void element_id(struct lb_buf *b,
                       struct lb__model *m,
                       const struct lb__pickle *pickle,
                       const struct lb__node *feature)
{
    struct lb_buf id = LB_BUF_INIT;
    const struct lb__node *rule = lb__model_rule(m, pickle);
    const struct lb__node *sc = lb__model_scenario(m, pickle);
    const struct lb__node *ex;
    int ei = 0, ri = 0;

    lb__json_id(&id, feature->name);
    if (rule) {
        (void)lb_buf_addch(&id, ';');
        lb__json_id(&id, rule->name);
    }
    (void)lb_buf_addch(&id, ';');
    lb__json_id(&id, sc ? sc->name : pickle->name);
    ex = sc ? lb__model_examples(m, pickle, &ei, &ri) : NULL;
    if (ex) {
        (void)lb_buf_addch(&id, ';');
        lb__json_id(&id, ex->name);
        /* The header is row 1 of the table, so data rows start at 2. */
        (void)lb_buf_addf(&id, ";%d", ri + 1);
    }
    jstr_clean(b, id.ptr ? id.ptr : "", id.len);
    lb_buf_release(&id);
}

/* The steps of one place, as a JSON array. */
static void steps_of(struct lb_buf *b,
                     struct lb__model *m,
                     const struct lb__rcase *rc,
                     const struct plan *p,
                     int place,
                     size_t *scratch,
                     struct lb_buf *loc)
{
    size_t i;
    int n = 0;

    (void)lb_buf_addch(b, '[');
    for (i = 0; i < p->n; i++)
        if (p->place[i] == place) {
            if (n++)
                (void)lb_buf_addch(b, ',');
            step_entry(b, m, rc, i, p, scratch, loc);
        }
    (void)lb_buf_addch(b, ']');
}

/* The background element (if the pickle has background steps) and the
 * scenario element of one test case attempt, each preceded by a comma
 * unless `*first`. */
static void elements_of(struct lb_buf *b,
                        struct lb__model *m,
                        const struct lb__rcase *rc,
                        const struct lb__node *feature,
                        int *first)
{
    const struct lb__pickle *pk = rc->pickle ? rc->pickle : &lb__no_pickle;
    const struct lb__node *sc = lb__model_scenario(m, rc->pickle);
    struct lb_buf loc = LB_BUF_INIT;
    struct plan p;
    size_t *scratch = lb_xcalloc(rc->nsteps + 1, sizeof(*scratch));
    size_t i, n;
    char stamp[40];

    plan_case(m, rc, sc, &p);
    if (p.bg) {
        if (!*first)
            (void)lb_buf_addch(b, ',');
        *first = 0;
        (void)lb_buf_adds(b, "{\"line\":");
        jint(b, p.bg->line);
        (void)lb_buf_adds(b, ",\"type\":\"background\"");
        jkey(b, "keyword", 0);
        jstr(b, p.bg->keyword);
        jkey(b, "name", 0);
        jstr(b, p.bg->name);
        jkey(b, "description", 0);
        jstr(b, p.bg->description);
        jkey(b, "steps", 0);
        steps_of(b, m, rc, &p, P_BG_STEP, scratch, &loc);
        (void)lb_buf_addch(b, '}');
    }
    if (!*first)
        (void)lb_buf_addch(b, ',');
    *first = 0;
    lb_time_iso8601(rc->start_ns, stamp, sizeof(stamp));
    (void)lb_buf_adds(b, "{\"start_timestamp\":");
    jstr(b, stamp);
    /* The pickle's line: the scenario's, or an outline's examples row. */
    jkey(b, "line", 0);
    jint(b, pk->line);
    jkey(b, "id", 0);
    element_id(b, m, pk, feature);
    (void)lb_buf_adds(b, ",\"type\":\"scenario\"");
    jkey(b, "keyword", 0);
    jstr(b, sc ? sc->keyword : "Scenario");
    jkey(b, "name", 0);
    jstr(b, pk->name);
    jkey(b, "description", 0);
    jstr(b, sc ? sc->description : "");
    jkey(b, "steps", 0);
    steps_of(b, m, rc, &p, P_STEP, scratch, &loc);
    jkey(b, "tags", 0);
    (void)lb_buf_addch(b, '[');
    for (i = 0; i < pk->ntags; i++) {
        (void)lb_buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
        jstr(b, pk->tags[i]);
        (void)lb_buf_addch(b, '}');
    }
    (void)lb_buf_addch(b, ']');
    for (i = n = 0; i < p.n; i++)
        if (p.place[i] == P_BEFORE)
            scratch[n++] = i;
    hook_list(b, "before", m, rc, scratch, n, &loc);
    for (i = n = 0; i < p.n; i++)
        if (p.place[i] == P_AFTER)
            scratch[n++] = i;
    hook_list(b, "after", m, rc, scratch, n, &loc);
    (void)lb_buf_addch(b, '}');
    lb_free(scratch);
    lb_free(p.place);
    lb_free(p.owner);
    lb_buf_release(&loc);
}

static void feature_tags(struct lb_buf *b, const struct lb__node *feature)
{
    size_t i;

    (void)lb_buf_addch(b, '[');
    for (i = 0; i < feature->ntags; i++) {
        const struct lb__tag *t = &feature->tags[i];

        (void)lb_buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
        jstr(b, t->name);
        (void)lb_buf_adds(b, ",\"type\":\"Tag\",\"location\":{\"line\":");
        jint(b, t->line);
        (void)lb_buf_adds(b, ",\"column\":");
        jint(b, t->column);
        (void)lb_buf_adds(b, "}}");
    }
    (void)lb_buf_addch(b, ']');
}

static int json_finish(struct lb_formatter *f, struct lb_error *err)
{
    struct lb__model *m = f->model;
    struct lb_buf elements = LB_BUF_INIT;
    size_t d, i;
    int first = 1;

    (void)lb_buf_addch(&f->out, '[');
    for (d = 0; d < json_array_size(m->doc_order); d++) {
        const char *uri = json_string_value(json_array_get(m->doc_order, d));
        const struct lb__doc *doc = lb__model_doc(m, uri);
        const struct lb__node *feature = doc ? doc->feature : NULL;
        struct lb__rcase **runs;
        size_t n;
        struct lb_buf id = LB_BUF_INIT;
        struct lb_buf *b = &f->out;
        int efirst = 1, rc;

        /* A document without a feature (an empty file) has nothing to
         * report, as in Cucumber-JVM. */
        if (!feature)
            continue;
        lb_buf_reset(&elements);
        runs = lb__model_final_runs(m, uri, &n);
        for (i = 0; i < n; i++)
            if (lb__model_open(m, runs[i]) == 0) {
                elements_of(&elements, m, runs[i], feature, &efirst);
                lb__model_close(m, runs[i]);
            }
        lb_free(runs);
        /* Like Cucumber-JVM, a feature none of whose scenarios ran is left
         * out. */
        if (efirst)
            continue;
        lb__json_id(&id, feature->name);
        if (!first)
            (void)lb_buf_addch(b, ',');
        first = 0;
        (void)lb_buf_adds(b, "{\"uri\":");
        jstr(b, uri);
        jkey(b, "id", 0);
        jstr_clean(b, id.ptr ? id.ptr : "", id.len);
        jkey(b, "line", 0);
        jint(b, feature->line);
        jkey(b, "keyword", 0);
        jstr(b, feature->keyword);
        jkey(b, "name", 0);
        jstr(b, feature->name);
        jkey(b, "description", 0);
        jstr(b, feature->description);
        jkey(b, "elements", 0);
        (void)lb_buf_addch(b, '[');
        (void)lb_buf_add(b, elements.ptr, elements.len);
        (void)lb_buf_addch(b, ']');
        jkey(b, "tags", 0);
        feature_tags(b, feature);
        (void)lb_buf_addch(b, '}');
        lb_buf_release(&id);
        /* One feature at a time goes to the file. */
        if ((rc = lb__fmt_flush(f, err)) != 0) {
            lb_buf_release(&elements);
            return rc;
        }
    }
    lb_buf_release(&elements);
    (void)lb_buf_adds(&f->out, "]\n");
    return 0;
}

const struct lb__fmt_ops lb__fmt_json = {
    "json", 1, 0, NULL, NULL, json_finish, NULL};
