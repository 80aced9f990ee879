/*
 * The index of a Cucumber Messages stream that the report formatters share:
 * every lookup a formatter makes per event is a hash lookup by id, so a run
 * of many thousands of scenarios costs time linear in the events.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "reports/internal.h"

static const char *const status_names[LB__ST_COUNT] = {"unknown",
                                                       "passed",
                                                       "skipped",
                                                       "pending",
                                                       "undefined",
                                                       "ambiguous",
                                                       "failed"};

int lb__status_parse(const char *s)
{
    int i;

    for (i = 1; i < LB__ST_COUNT; i++) {
        const char *n = status_names[i];
        size_t k = 0;

        while (n[k] && s[k] && (s[k] | 0x20) == n[k])
            k++;
        if (!n[k] && !s[k])
            return i;
    }
    return LB__ST_UNKNOWN;
}

const char *lb__status_name(int status)
{
    if (status < 0 || status >= LB__ST_COUNT)
        return "unknown";
    return status_names[status];
}

int64_t lb__ts_ns(const json_t *ts)
{
    json_t *s, *n;

    if (!json_is_object(ts))
        return 0;
    s = json_object_get(ts, "seconds");
    n = json_object_get(ts, "nanos");
    return (int64_t)(json_is_integer(s) ? json_integer_value(s) : 0) *
               1000000000 +
           (json_is_integer(n) ? json_integer_value(n) : 0);
}

const char *lb__str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    return s ? s : "";
}

long long lb__int(const json_t *obj, const char *key, long long def)
{
    json_t *v = json_object_get(obj, key);

    return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

long lb__line(const json_t *node)
{
    return (long)lb__int(json_object_get(node, "location"), "line", 0);
}

static json_t *xobject(void)
{
    json_t *o = json_object();

    if (!o)
        LB_BUG("out of memory indexing a report stream");
    return o;
}

struct lb__model *lb__model_new(void)
{
    struct lb__model *m = lb_xcalloc(1, sizeof(*m));

    m->refs = 1;
    /* Large blocks: the arena asks for huge pages for them, which saves
     * most of the page faults of a large run's index (measured). */
    lb_arena_init(&m->arena, 8 << 20);
    m->doc_order = json_array();
    m->doc_seq = xobject();
    m->def_names = xobject();
    m->stepdefs = xobject();
    m->hooks = xobject();
    m->suggestions = xobject();
    m->global_hook_messages = json_array();
    if (!m->doc_order || !m->global_hook_messages)
        LB_BUG("out of memory indexing a report stream");
    return m;
}

static void rstep_release(struct lb__rstep *s)
{
    lb_free(s->message);
    lb_free(s->detail);
    lb_free(s->exc_type);
    json_decref(s->attachments);
}

static void rcase_free(struct lb__rcase *rc)
{
    size_t i;

    if (!rc)
        return;
    for (i = 0; i < rc->nsteps; i++)
        rstep_release(&rc->steps[i]);
    lb_free(rc->steps);
    lb_free(rc->id);
    lb_free(rc->case_id);
    json_decref(rc->attachments);
    lb_free(rc);
}

void lb__model_unref(struct lb__model *m)
{
    size_t i;

    if (!m || --m->refs > 0)
        return;
    for (i = 0; i < m->nruns; i++)
        rcase_free(m->runs[i]);
    lb_free(m->runs);
    /* The case and pickle infos point into the arena. */
    lb_free(m->case_infos);
    lb_free(m->pickle_infos);
    lb_free(m->final);
    json_decref(m->def_names);
    json_decref(m->last_env);
    json_decref(m->doc_order);
    json_decref(m->doc_seq);
    json_decref(m->stepdefs);
    json_decref(m->hooks);
    json_decref(m->suggestions);
    json_decref(m->global_hook_messages);
    lb__idmap_release(&m->docs);
    lb__idmap_release(&m->ast);
    lb__idmap_release(&m->pickles_by_id);
    lb__idmap_release(&m->psteps);
    lb__idmap_release(&m->cases);
    lb__idmap_release(&m->case_seq);
    lb__idmap_release(&m->pickle_seq);
    lb__idmap_release(&m->run_idx);
    lb__idmap_release(&m->words);
    lb_arena_release(&m->arena);
    lb_free(m->run_message);
    lb_free(m);
}

const struct lb__pickle lb__no_pickle = {.id = "", .uri = "", .name = ""};

/* ---- The kept documents, pickles and test cases ---- */

static size_t id_hash(const char *s)
{
    size_t h = 1469598103934665603ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void *lb__idmap_get(const struct lb__idmap *map, const char *key)
{
    const struct lb__idmap_slot *sl;
    size_t i, h;

    if (!map->cap || !key)
        return NULL;
    h = id_hash(key);
    for (i = h & (map->cap - 1); (sl = &map->slots[i])->key;
         i = (i + 1) & (map->cap - 1))
        if (sl->hash == h && strcmp(sl->key, key) == 0)
            return sl->val;
    return NULL;
}

/* The slot of `key` (hash `h`): its own, or the free one it would take. */
static struct lb__idmap_slot *
idmap_slot(const struct lb__idmap *map, const char *key, size_t h)
{
    struct lb__idmap_slot *sl;
    size_t i;

    for (i = h & (map->cap - 1); (sl = &map->slots[i])->key;
         i = (i + 1) & (map->cap - 1))
        if (sl->hash == h && strcmp(sl->key, key) == 0)
            break;
    return sl;
}

static void idmap_grow(struct lb__idmap *map)
{
    struct lb__idmap bigger = {0};
    size_t i;

    bigger.cap = map->cap ? map->cap * 2 : 256;
    bigger.slots = lb_xcalloc(bigger.cap, sizeof(*bigger.slots));
    for (i = 0; i < map->cap; i++)
        if (map->slots[i].key) {
            size_t k = map->slots[i].hash & (bigger.cap - 1);

            while (bigger.slots[k].key)
                k = (k + 1) & (bigger.cap - 1);
            bigger.slots[k] = map->slots[i];
        }
    bigger.n = map->n;
    lb__idmap_release(map);
    *map = bigger;
}

void lb__idmap_put(struct lb__idmap *map, const char *key, void *val)
{
    struct lb__idmap_slot *sl;
    size_t h = id_hash(key);

    if ((map->n + 1) * 4 > map->cap * 3)
        idmap_grow(map);
    sl = idmap_slot(map, key, h);
    if (!sl->key)
        map->n++;
    sl->hash = h;
    sl->key = key;
    sl->val = val;
}

void lb__idmap_release(struct lb__idmap *map)
{
    lb_free(map->slots);
    memset(map, 0, sizeof(*map));
}

static void *kalloc(struct lb__model *m, size_t n, size_t size)
{
    static max_align_t none; /* what an empty array points at */
    void *p;

    if (n == 0 || size == 0)
        return &none;
    p = lb_arena_alloc(&m->arena, n * size);

    if (!p)
        LB_BUG("out of memory indexing a report stream");
    return p;
}

/* A kept copy of `len` bytes of `s`: strings are packed without alignment
 * in chunks of the arena. */
static const char *kdup(struct lb__model *m, const char *s, size_t len)
{
    char *p;

    if (len == 0)
        return "";
    if ((size_t)(m->str_end - m->str_cur) < len + 1) {
        if (len + 1 > 4096) {
            p = kalloc(m, 1, len + 1);
            memcpy(p, s, len);
            return p;
        }
        m->str_cur = kalloc(m, 1, 65536);
        m->str_end = m->str_cur + 65536;
    }
    p = m->str_cur;
    memcpy(p, s, len);
    p[len] = '\0';
    m->str_cur += len + 1;
    return p;
}

/* The kept copy of string `v`, or NULL when it is not a string. When `map`
 * already has that key, its key is the copy (ids repeat across envelopes:
 * a pickle names its AST nodes, a test case its pickle steps). */
static const char *kval_get(struct lb__model *m,
                            const struct lb__idmap *map,
                            const json_t *v,
                            const void **found)
{
    const char *s = json_string_value(v);

    if (found)
        *found = NULL;
    if (!s)
        return NULL;
    if (map && map->cap) {
        const struct lb__idmap_slot *sl = idmap_slot(map, s, id_hash(s));

        if (sl->key) {
            if (found)
                *found = sl->val;
            return sl->key;
        }
    }
    return kdup(m, s, json_string_length(v));
}

static const char *
kval(struct lb__model *m, const struct lb__idmap *map, const json_t *v)
{
    return kval_get(m, map, v, NULL);
}

static const char *
kstr_or_null(struct lb__model *m, const json_t *o, const char *key)
{
    return kval(m, NULL, json_object_get(o, key));
}

static const char *kstr(struct lb__model *m, const json_t *o, const char *key)
{
    const char *s = kstr_or_null(m, o, key);

    return s ? s : "";
}

/* A keyword: few distinct ones, kept once each. */
static const char *kword(struct lb__model *m, const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    const char *s = kval(m, &m->words, v);

    if (!s)
        return "";
    if (!lb__idmap_get(&m->words, s))
        lb__idmap_put(&m->words, s, (void *)s);
    return s;
}

static const char *intern_def(struct lb__model *m, json_t *v);

static struct lb__node *keep_node(struct lb__model *m,
                                  int kind,
                                  const json_t *j,
                                  struct lb__node *parent)
{
    struct lb__node *n = kalloc(m, 1, sizeof(*n));
    json_t *tags = json_object_get(j, "tags"), *tag;
    size_t i;

    n->kind = kind;
    n->id = kstr(m, j, "id");
    n->keyword = kword(m, j, "keyword");
    n->name = kstr(m, j, "name");
    n->description = kstr(m, j, "description");
    n->line = lb__line(j);
    n->parent = parent;
    n->ntags = json_array_size(tags);
    n->tags = kalloc(m, n->ntags, sizeof(*n->tags));
    json_array_foreach(tags, i, tag)
    {
        json_t *loc = json_object_get(tag, "location");

        n->tags[i].name = kstr(m, tag, "name");
        n->tags[i].line = (long)lb__int(loc, "line", 0);
        n->tags[i].column = (long)lb__int(loc, "column", 0);
    }
    /* Nodes without an id (the feature itself) are not looked up. */
    if (*n->id)
        lb__idmap_put(&m->ast, n->id, n);
    return n;
}

static void
keep_steps(struct lb__model *m, const json_t *owner, struct lb__node *parent)
{
    json_t *step;
    size_t i;

    json_array_foreach(json_object_get(owner, "steps"), i, step)
    {
        struct lb__node *n = keep_node(m, LB__N_STEP, step, parent);
        json_t *doc = json_object_get(step, "docString");

        if (doc) {
            n->has_doc_string = 1;
            n->doc_line = lb__line(doc);
        }
    }
}

static void
keep_children(struct lb__model *m, const json_t *owner, struct lb__node *parent)
{
    json_t *child, *node, *ex, *row;
    size_t i, k, r;

    json_array_foreach(json_object_get(owner, "children"), i, child)
    {
        struct lb__node *n;

        if ((node = json_object_get(child, "scenario")) != NULL) {
            n = keep_node(m, LB__N_SCENARIO, node, parent);
            keep_steps(m, node, n);
            json_array_foreach(json_object_get(node, "examples"), k, ex)
            {
                struct lb__node *e = keep_node(m, LB__N_EXAMPLES, ex, n);

                e->index = (int)k + 1;
                json_array_foreach(json_object_get(ex, "tableBody"), r, row)
                {
                    keep_node(m, LB__N_ROW, row, e)->index = (int)r + 1;
                }
            }
        } else if ((node = json_object_get(child, "background")) != NULL) {
            n = keep_node(m, LB__N_BACKGROUND, node, parent);
            keep_steps(m, node, n);
        } else if ((node = json_object_get(child, "rule")) != NULL) {
            n = keep_node(m, LB__N_RULE, node, parent);
            keep_children(m, node, n);
        }
    }
}

static void keep_doc(struct lb__model *m, const char *uri, const json_t *body)
{
    struct lb__doc *d = kalloc(m, 1, sizeof(*d));
    json_t *feature = json_object_get(body, "feature");

    d->uri = kdup(m, uri, strlen(uri));
    if (json_is_object(feature)) {
        d->feature = keep_node(m, LB__N_FEATURE, feature, NULL);
        keep_children(m, feature, d->feature);
    }
    lb__idmap_put(&m->docs, d->uri, d);
}

static struct lb__pickle *keep_pickle(struct lb__model *m, const json_t *body)
{
    struct lb__pickle *p = kalloc(m, 1, sizeof(*p));
    json_t *ids = json_object_get(body, "astNodeIds");
    json_t *tags = json_object_get(body, "tags");
    json_t *steps = json_object_get(body, "steps"), *v;
    size_t i, r, c;

    p->id = kstr(m, body, "id");
    p->uri = kval(m, &m->docs, json_object_get(body, "uri"));
    if (!p->uri)
        p->uri = "";
    p->name = kstr(m, body, "name");
    p->line = lb__line(body);
    p->scenario_id = kval_get(
        m, &m->ast, json_array_get(ids, 0), (const void **)&p->scenario);
    p->row_id =
        kval_get(m, &m->ast, json_array_get(ids, 1), (const void **)&p->row);
    p->ntags = json_array_size(tags);
    p->tags = kalloc(m, p->ntags, sizeof(*p->tags));
    json_array_foreach(tags, i, v)
    {
        p->tags[i] = kstr(m, v, "name");
    }
    p->nsteps = json_array_size(steps);
    p->steps = kalloc(m, p->nsteps, sizeof(*p->steps));
    json_array_foreach(steps, i, v)
    {
        struct lb__pstep *ps = &p->steps[i];
        json_t *arg = json_object_get(v, "argument");
        json_t *table = json_object_get(arg, "dataTable");
        json_t *doc = json_object_get(arg, "docString");

        ps->id = kstr(m, v, "id");
        ps->text = kstr(m, v, "text");
        ps->ast_id =
            kval_get(m,
                     &m->ast,
                     json_array_get(json_object_get(v, "astNodeIds"), 0),
                     (const void **)&ps->ast);
        if (table) {
            json_t *rows = json_object_get(table, "rows"), *row, *cell;

            ps->has_table = 1;
            ps->nrows = json_array_size(rows);
            ps->rows = kalloc(m, ps->nrows, sizeof(*ps->rows));
            json_array_foreach(rows, r, row)
            {
                json_t *cells = json_object_get(row, "cells");

                ps->rows[r].ncells = json_array_size(cells);
                ps->rows[r].cells =
                    kalloc(m, ps->rows[r].ncells, sizeof(char *));
                json_array_foreach(cells, c, cell)
                {
                    ps->rows[r].cells[c] = kstr(m, cell, "value");
                }
            }
        }
        if (doc) {
            ps->has_doc = 1;
            ps->doc_content = kstr(m, doc, "content");
            ps->doc_media_type = kstr_or_null(m, doc, "mediaType");
        }
        lb__idmap_put(&m->psteps, ps->id, ps);
    }
    lb__idmap_put(&m->pickles_by_id, p->id, p);
    return p;
}

/* The arguments of a test step's only match: value and start of each. */
static void
keep_match_args(struct lb__model *m, struct lb__tstep *ts, const json_t *args)
{
    const json_t *a;
    size_t k;

    ts->nargs = json_array_size(args);
    ts->args = kalloc(m, ts->nargs, sizeof(*ts->args));
    json_array_foreach(args, k, a)
    {
        json_t *g = json_object_get(a, "group");

        ts->args[k].value = kstr_or_null(m, g, "value");
        ts->args[k].start = (long)lb__int(g, "start", 0);
    }
}

static struct lb__case *keep_case(struct lb__model *m, const json_t *body)
{
    struct lb__case *tc = kalloc(m, 1, sizeof(*tc));
    json_t *steps = json_object_get(body, "testSteps"), *v;
    size_t i, k;

    tc->id = kstr(m, body, "id");
    tc->pickle_id =
        kval(m, &m->pickles_by_id, json_object_get(body, "pickleId"));
    if (!tc->pickle_id)
        tc->pickle_id = "";
    tc->nsteps = json_array_size(steps);
    tc->steps = kalloc(m, tc->nsteps, sizeof(*tc->steps));
    json_array_foreach(steps, i, v)
    {
        struct lb__tstep *ts = &tc->steps[i];
        json_t *defs = json_object_get(v, "stepDefinitionIds");
        json_t *lists = json_object_get(v, "stepMatchArgumentsLists");

        ts->id = kstr(m, v, "id");
        ts->pickle_step_id = kval_get(m,
                                      &m->psteps,
                                      json_object_get(v, "pickleStepId"),
                                      (const void **)&ts->pstep);
        ts->hook_id = kstr_or_null(m, v, "hookId");
        ts->ndefs = json_array_size(defs);
        ts->def_ids = kalloc(m, ts->ndefs, sizeof(char *));
        for (k = 0; k < ts->ndefs; k++) {
            const char *d = intern_def(m, json_array_get(defs, k));
            ts->def_ids[k] = d ? d : "";
        }
        ts->nlists = json_array_size(lists);
        if (ts->nlists == 1) {
            keep_match_args(m,
                            ts,
                            json_object_get(json_array_get(lists, 0),
                                            "stepMatchArguments"));
        }
    }
    lb__idmap_put(&m->cases, tc->id, tc);
    return tc;
}

const struct lb__doc *lb__model_doc(struct lb__model *m, const char *uri)
{
    return lb__idmap_get(&m->docs, uri);
}

int lb__model_open(struct lb__model *m, struct lb__rcase *rc)
{
    rc->test_case = lb__idmap_get(&m->cases, rc->case_id);
    rc->pickle = lb__idmap_get(&m->pickles_by_id, rc->pickle_id);
    return rc->test_case ? 0 : LB_EPARSE;
}

void lb__model_close(struct lb__model *m, struct lb__rcase *rc)
{
    (void)m;
    rc->test_case = NULL;
    rc->pickle = NULL;
}

struct lb__rcase *lb__model_run(struct lb__model *m, const char *id)
{
    return lb__idmap_get(&m->run_idx, id);
}

static struct lb__rcase *find_run(struct lb__model *m, const json_t *body)
{
    return lb__model_run(
        m, json_string_value(json_object_get(body, "testCaseStartedId")));
}

/* Steps report in order, so the search starts where the last one was
 * found: constant time per event for a well-ordered stream. */
static struct lb__rstep *find_step(struct lb__rcase *rc, const json_t *body)
{
    const char *id = json_string_value(json_object_get(body, "testStepId"));
    size_t k, i;

    if (!rc || !id || rc->nsteps == 0)
        return NULL;
    for (k = 0; k < rc->nsteps; k++) {
        i = (rc->cursor + k) % rc->nsteps;
        if (strcmp(rc->step_ids[i], id) == 0) {
            rc->cursor = i;
            return &rc->steps[i];
        }
    }
    return NULL;
}

long lb__rcase_step_index(struct lb__rcase *rc, const char *id)
{
    size_t k, i;

    if (!rc || !id)
        return -1;
    for (k = 0; k < rc->nsteps; k++) {
        i = (rc->cursor + k) % rc->nsteps;
        if (strcmp(rc->step_ids[i], id) == 0)
            return (long)i;
    }
    return -1;
}

static char *dup_or_null(const char *s)
{
    return s ? lb_xstrdup(s) : NULL;
}

static int
on_test_case_started(struct lb__model *m, json_t *body, struct lb_error *err)
{
    const char *id = json_string_value(json_object_get(body, "id"));
    const char *tcid = json_string_value(json_object_get(body, "testCaseId"));
    struct lb__rcase *rc;
    struct lb__case_info *ci;
    uintptr_t ix, px;

    if (!id || !tcid)
        return lb_error_set(err,
                            LB_EPARSE,
                            "testCaseStarted without %s",
                            id ? "testCaseId" : "id");
    ix = (uintptr_t)lb__idmap_get(&m->case_seq, tcid);
    if (!ix)
        return lb_error_set(
            err, LB_EPARSE, "testCaseStarted of unknown testCase '%s'", tcid);
    ci = &m->case_infos[ix - 1];
    if (m->nruns == m->runs_cap) {
        m->runs_cap = m->runs_cap ? m->runs_cap * 2 : 64;
        m->runs = lb_xrealloc(m->runs, m->runs_cap * sizeof(*m->runs));
    }
    rc = lb_xcalloc(1, sizeof(*rc));
    rc->id = lb_xstrdup(id);
    rc->case_id = lb_xstrdup(tcid);
    rc->pickle_id = ci->pickle_id;
    px = (uintptr_t)lb__idmap_get(&m->pickle_seq, ci->pickle_id);
    rc->uri = "";
    if (px) {
        rc->uri = m->pickle_infos[px - 1].uri;
        rc->line = m->pickle_infos[px - 1].line;
    }
    rc->start_ns = lb__ts_ns(json_object_get(body, "timestamp"));
    rc->attempt = (int)lb__int(body, "attempt", 0);
    rc->nsteps = ci->nsteps;
    rc->steps = lb_xcalloc(rc->nsteps ? rc->nsteps : 1, sizeof(*rc->steps));
    rc->step_ids = ci->step_ids;
    rc->is_hook = ci->is_hook;
    rc->def_ids = ci->def_ids;
    lb__idmap_put(&m->run_idx, rc->id, rc);
    m->runs[m->nruns++] = rc;
    return 0;
}

/* The step definition id `v` as a string that lives as long as the model
 * (a key of def_names: a run has few step definitions and many steps), or
 * NULL when it is not a string. */
/* The step definition id `id` interned: one copy of each id string. */
static const char *intern_def_s(struct lb__model *m, const char *id)
{
    void *it;

    if (!id)
        return NULL;
    it = json_object_iter_at(m->def_names, id);
    if (!it) {
        if (json_object_set_new(m->def_names, id, json_null()) != 0)
            LB_BUG("out of memory indexing a report stream");
        it = json_object_iter_at(m->def_names, id);
    }
    return it ? json_object_iter_key(it) : NULL;
}

static const char *intern_def(struct lb__model *m, json_t *v)
{
    return intern_def_s(m, json_string_value(v));
}

/* Records what the stream phase needs of a testCase (once per id). */
static void on_test_case(struct lb__model *m, const struct lb__case *tc)
{
    struct lb__case_info *ci;
    size_t i, n = tc->nsteps;

    if (lb__idmap_get(&m->case_seq, tc->id))
        return;
    if (m->ncases == m->cases_cap) {
        m->cases_cap = m->cases_cap ? m->cases_cap * 2 : 64;
        m->case_infos =
            lb_xrealloc(m->case_infos, m->cases_cap * sizeof(*m->case_infos));
    }
    ci = &m->case_infos[m->ncases];
    /* Everything points into the arena, as the test case itself. */
    ci->pickle_id = (char *)tc->pickle_id;
    ci->nsteps = n;
    ci->step_ids = kalloc(m, n, sizeof(*ci->step_ids));
    ci->is_hook = kalloc(m, n, 1);
    ci->def_ids = kalloc(m, n, sizeof(*ci->def_ids));
    for (i = 0; i < n; i++) {
        const struct lb__tstep *ts = &tc->steps[i];

        ci->step_ids[i] = (char *)ts->id;
        ci->is_hook[i] = ts->pickle_step_id == NULL;
        if (ts->ndefs == 1)
            ci->def_ids[i] = ts->def_ids[0];
    }
    m->ncases++;
    /* the map's value is a sequence number, not an address */
    /* NOLINTNEXTLINE(performance-no-int-to-ptr) */
    lb__idmap_put(&m->case_seq, tc->id, (void *)(uintptr_t)m->ncases);
}

static void add_attachment(json_t **list, json_t *body)
{
    if (!*list)
        *list = json_array();
    if (*list)
        (void)json_array_append(*list, body);
}

static int
on_step_finished(struct lb__model *m, json_t *body, struct lb_error *err)
{
    struct lb__rstep *st = find_step(find_run(m, body), body);
    json_t *res = json_object_get(body, "testStepResult");
    json_t *exc;
    const char *msg, *trace;

    if (!json_is_object(res))
        return lb_error_set(
            err, LB_EPARSE, "testStepFinished without testStepResult");
    if (!st)
        return lb_error_set(err,
                            LB_EPARSE,
                            "testStepFinished of unknown test step '%s'",
                            lb__str(body, "testStepId"));
    st->finished = 1;
    st->status = lb__status_parse(lb__str(res, "status"));
    st->duration_ns = lb__ts_ns(json_object_get(res, "duration"));
    exc = json_object_get(res, "exception");
    msg = json_string_value(json_object_get(res, "message"));
    if (!msg)
        msg = json_string_value(json_object_get(exc, "message"));
    trace = json_string_value(json_object_get(exc, "stackTrace"));
    lb_free(st->message);
    lb_free(st->detail);
    lb_free(st->exc_type);
    st->message = dup_or_null(msg);
    st->detail = dup_or_null(trace ? trace : msg);
    st->exc_type = dup_or_null(json_string_value(json_object_get(exc, "type")));
    return 0;
}

static void on_run_hook_finished(struct lb__model *m, json_t *body)
{
    json_t *res = json_object_get(body, "result");
    const char *msg;

    if (lb__status_parse(lb__str(res, "status")) != LB__ST_FAILED)
        return;
    m->global_hook_failures++;
    msg = json_string_value(json_object_get(res, "message"));
    (void)json_array_append_new(m->global_hook_messages,
                                json_string(msg ? msg : "hook failed"));
}

/* The arrival order of documents, for the reports' order. */
static void index_doc(struct lb__model *m, const char *uri)
{
    if (lb__model_doc(m, uri))
        return;
    (void)json_object_set_new(
        m->doc_seq,
        uri,
        json_integer((json_int_t)json_array_size(m->doc_order)));
    (void)json_array_append_new(m->doc_order, json_string(uri));
}

/* The arrival order and stream facts of a pickle (its first version). */
static void index_pickle(struct lb__model *m, const struct lb__pickle *p)
{
    if (lb__idmap_get(&m->pickle_seq, p->id))
        return;
    if (m->npickles == m->pickles_cap) {
        m->pickles_cap = m->pickles_cap ? m->pickles_cap * 2 : 64;
        m->pickle_infos = lb_xrealloc(
            m->pickle_infos, m->pickles_cap * sizeof(*m->pickle_infos));
    }
    m->pickle_infos[m->npickles].uri = (char *)p->uri;
    m->pickle_infos[m->npickles].line = p->line;
    m->npickles++;
    /* NOLINTNEXTLINE(performance-no-int-to-ptr): a sequence number */
    lb__idmap_put(&m->pickle_seq, p->id, (void *)(uintptr_t)m->npickles);
}

/* ---- The same from the Gherkin parser's structs ---- */

static const char *cstr(struct lb__model *m, const char *s)
{
    return s ? kdup(m, s, strlen(s)) : "";
}

/* A copy of a text of the document (not NUL-terminated there). */
static const char *cspan(struct lb__model *m,
                         const struct lb_gherkin_document *gd,
                         struct lb_gherkin_span sp)
{
    return kdup(m, lb_gherkin_text(gd, sp), sp.len);
}

/* An id as kept already as a key of `map` (then `*found` is its value),
 * else a new copy. */
static const char *cid(struct lb__model *m,
                       const struct lb__idmap *map,
                       const char *s,
                       const void **found)
{
    if (found)
        *found = NULL;
    if (!s)
        return NULL;
    if (map->cap) {
        const struct lb__idmap_slot *sl = idmap_slot(map, s, id_hash(s));

        if (sl->key) {
            if (found)
                *found = sl->val;
            return sl->key;
        }
    }
    return kdup(m, s, strlen(s));
}

static const char *cword(struct lb__model *m, const char *s)
{
    const char *k = lb__idmap_get(&m->words, s ? s : "");

    if (k)
        return k;
    k = cstr(m, s);
    if (*k)
        lb__idmap_put(&m->words, k, (void *)k);
    return k;
}

static struct lb__node *cnode(struct lb__model *m,
                              int kind,
                              const char *id,
                              struct lb_gherkin_location loc,
                              const struct lb_gherkin_tag *tags,
                              size_t ntags,
                              const char *keyword,
                              const char *name,
                              const char *description,
                              struct lb__node *parent)
{
    struct lb__node *n = kalloc(m, 1, sizeof(*n));
    size_t i;

    n->kind = kind;
    n->id = cstr(m, id);
    n->keyword = cword(m, keyword);
    /* the caller's copies (cstr, cspan) */
    n->name = name ? name : "";
    n->description = description ? description : "";
    n->line = loc.line;
    n->parent = parent;
    n->ntags = ntags;
    n->tags = kalloc(m, ntags, sizeof(*n->tags));
    for (i = 0; i < ntags; i++) {
        n->tags[i].name = cstr(m, tags[i].name);
        n->tags[i].line = tags[i].location.line;
        n->tags[i].column = tags[i].location.column;
    }
    if (*n->id)
        lb__idmap_put(&m->ast, n->id, n);
    return n;
}

/* The text of AST id `id` of `gd` in `buf`, for copying at once. */
static const char *
gid(const struct lb_gherkin_document *gd, uint32_t id, char buf[LB_ID_MAX])
{
    (void)lb_gherkin_id(gd, id, buf);
    return buf;
}

/* The steps of a scenario or background, kept in its node by position
 * rather than in the id map: 50,000 fewer map entries in a large run. */
static void csteps(struct lb__model *m,
                   const struct lb_gherkin_document *gd,
                   const struct lb_gherkin_step *steps,
                   size_t n,
                   struct lb__node *parent)
{
    size_t i;

    char buf[LB_ID_MAX];

    parent->nsteps = n;
    parent->steps = kalloc(m, n, sizeof(*parent->steps));
    for (i = 0; i < n; i++) {
        const struct lb_gherkin_step *st = &steps[i];
        struct lb__node *s = kalloc(m, 1, sizeof(*s));

        s->kind = LB__N_STEP;
        s->id = cstr(m, gid(gd, st->id, buf));
        s->keyword = cword(m, lb_gherkin_step_keyword(gd, st));
        s->name = "";
        s->description = "";
        s->line = st->location.line;
        s->parent = parent;
        s->tags = kalloc(m, 0, sizeof(*s->tags));
        if (lb_gherkin_step_doc_string(st)) {
            s->has_doc_string = 1;
            s->doc_line = lb_gherkin_step_doc_string(st)->location.line;
        }
        parent->steps[i] = s;
    }
}

/* The kept node of the AST step of pickle step `gs` of pickle `gp` (whose
 * scenario node is `sc`), found by its position in its scenario or
 * background; NULL when it cannot be. */
static struct lb__node *cstep_node(struct lb__model *m,
                                   const struct lb_gherkin_document *gd,
                                   const struct lb_gherkin_pickle *gp,
                                   const struct lb__node *sc,
                                   const struct lb_gherkin_pickle_step *gs)
{
    const struct lb_gherkin_scenario *gsc = gp->scenario;
    const struct lb_gherkin_background *bgs[2];
    const struct lb__node *owner = NULL;
    const struct lb_gherkin_step *first = NULL;
    size_t i, n = 0;

    if (!gs->step || !gsc)
        return NULL;
    if (!gs->from_background) {
        owner = sc;
        first = gsc->steps;
        n = gsc->n_steps;
    } else {
        bgs[0] = gp->rule ? lb_gherkin_rule_background(gp->rule) : NULL;
        bgs[1] = lb_gherkin_feature_background(gd->feature);
        for (i = 0; i < 2 && !owner; i++)
            if (bgs[i] && gs->step >= bgs[i]->steps &&
                gs->step < bgs[i]->steps + bgs[i]->n_steps)
            {
                char buf[LB_ID_MAX];

                owner = lb__idmap_get(&m->ast, gid(gd, bgs[i]->id, buf));
                first = bgs[i]->steps;
                n = bgs[i]->n_steps;
            }
    }
    if (!owner || !first || gs->step < first || gs->step >= first + n)
        return NULL;
    i = (size_t)(gs->step - first);
    return i < owner->nsteps ? owner->steps[i] : NULL;
}

static void cchildren(struct lb__model *m,
                      const struct lb_gherkin_document *gd,
                      const struct lb_gherkin_child *children,
                      size_t n,
                      struct lb__node *parent)
{
    size_t i, k, r;
    char buf[LB_ID_MAX];

    for (i = 0; i < n; i++) {
        const struct lb_gherkin_child *c = &children[i];
        struct lb__node *node;

        if (lb_gherkin_child_scenario(c)) {
            const struct lb_gherkin_scenario *sc = lb_gherkin_child_scenario(c);

            node = cnode(m,
                         LB__N_SCENARIO,
                         gid(gd, sc->id, buf),
                         sc->location,
                         lb_gherkin_scenario_tags(sc),
                         sc->n_tags,
                         sc->keyword,
                         cspan(m, gd, sc->name),
                         cspan(m, gd, sc->description),
                         parent);
            csteps(m, gd, sc->steps, sc->n_steps, node);
            for (k = 0; k < sc->n_examples; k++) {
                const struct lb_gherkin_examples *ex =
                    &lb_gherkin_scenario_examples(sc)[k];
                struct lb__node *e = cnode(m,
                                           LB__N_EXAMPLES,
                                           gid(gd, ex->id, buf),
                                           ex->location,
                                           ex->tags,
                                           ex->n_tags,
                                           ex->keyword,
                                           cspan(m, gd, ex->name),
                                           cspan(m, gd, ex->description),
                                           node);

                e->index = (int)k + 1;
                for (r = 0; r < ex->n_body; r++)
                    cnode(m,
                          LB__N_ROW,
                          gid(gd, lb_gherkin_examples_body(ex)[r].id, buf),
                          lb_gherkin_examples_body(ex)[r].location,
                          NULL,
                          0,
                          NULL,
                          NULL,
                          NULL,
                          e)
                        ->index = (int)r + 1;
            }
        } else if (lb_gherkin_child_background(c)) {
            const struct lb_gherkin_background *bg =
                lb_gherkin_child_background(c);

            node = cnode(m,
                         LB__N_BACKGROUND,
                         gid(gd, bg->id, buf),
                         bg->location,
                         NULL,
                         0,
                         bg->keyword,
                         cspan(m, gd, bg->name),
                         cspan(m, gd, bg->description),
                         parent);
            csteps(m, gd, bg->steps, bg->n_steps, node);
        } else if (lb_gherkin_child_rule(c)) {
            const struct lb_gherkin_rule *ru = lb_gherkin_child_rule(c);

            node = cnode(m,
                         LB__N_RULE,
                         gid(gd, ru->id, buf),
                         ru->location,
                         lb_gherkin_rule_tags(ru),
                         ru->n_tags,
                         ru->keyword,
                         cspan(m, gd, ru->name),
                         cspan(m, gd, ru->description),
                         parent);
            cchildren(m, gd, ru->children, ru->n_children, node);
        }
    }
}

static void cdoc(struct lb__model *m, const struct lb_gherkin_document *gd)
{
    struct lb__doc *d = kalloc(m, 1, sizeof(*d));
    const struct lb_gherkin_feature *f = gd->feature;

    d->uri = cstr(m, gd->uri);
    if (f) {
        d->feature = cnode(m,
                           LB__N_FEATURE,
                           NULL,
                           f->location,
                           f->tags,
                           f->n_tags,
                           f->keyword,
                           cstr(m, f->name),
                           cstr(m, f->description),
                           NULL);
        cchildren(m, gd, f->children, f->n_children, d->feature);
    }
    lb__idmap_put(&m->docs, d->uri, d);
}

static struct lb__pickle *cpickle(struct lb__model *m,
                                  const struct lb_gherkin_document *gd,
                                  const struct lb_gherkin_pickle *gp)
{
    struct lb__pickle *p = kalloc(m, 1, sizeof(*p));
    size_t i, r, c;

    p->id = cstr(m, gp->id);
    p->uri = cid(m, &m->docs, gp->uri ? gp->uri : "", NULL);
    p->name = cstr(m, gp->name);
    p->line = gp->location.line;
    if (gp->n_ast_node_ids > 0)
        p->scenario_id =
            cid(m, &m->ast, gp->ast_node_ids[0], (const void **)&p->scenario);
    if (gp->n_ast_node_ids > 1)
        p->row_id =
            cid(m, &m->ast, gp->ast_node_ids[1], (const void **)&p->row);
    p->ntags = gp->n_tags;
    p->tags = kalloc(m, p->ntags, sizeof(*p->tags));
    for (i = 0; i < p->ntags; i++)
        p->tags[i] = cstr(m, gp->tags[i].name);
    p->nsteps = gp->n_steps;
    p->steps = kalloc(m, p->nsteps, sizeof(*p->steps));
    for (i = 0; i < p->nsteps; i++) {
        const struct lb_gherkin_pickle_step *gs = &gp->steps[i];
        struct lb__pstep *ps = &p->steps[i];

        ps->id = cstr(m, gs->id);
        ps->text = cstr(m, gs->text);
        ps->ast = cstep_node(m, gd, gp, p->scenario, gs);
        /* The pickle step's first astNodeId is its AST step's id. */
        if (gs->step) {
            char buf[LB_ID_MAX];
            const char *sid = gid(gd, gs->step->id, buf);

            if (ps->ast && strcmp(ps->ast->id, sid) == 0)
                ps->ast_id = ps->ast->id;
            else
                ps->ast_id = cid(m, &m->ast, sid, (const void **)&ps->ast);
        }
        if (gs->data_table) {
            ps->has_table = 1;
            ps->nrows = gs->data_table->n_rows;
            ps->rows = kalloc(m, ps->nrows, sizeof(*ps->rows));
            for (r = 0; r < ps->nrows; r++) {
                const struct lb_gherkin_pickle_table_row *gr =
                    &gs->data_table->rows[r];

                ps->rows[r].ncells = gr->n_cells;
                ps->rows[r].cells = kalloc(m, gr->n_cells, sizeof(char *));
                for (c = 0; c < gr->n_cells; c++)
                    ps->rows[r].cells[c] = cstr(m, gr->cells[c].value);
            }
        }
        if (gs->doc_string) {
            ps->has_doc = 1;
            ps->doc_content =
                kdup(m, gs->doc_string->content, gs->doc_string->content_len);
            ps->doc_media_type = gs->doc_string->media_type
                                     ? cstr(m, gs->doc_string->media_type)
                                     : NULL;
        }
        lb__idmap_put(&m->psteps, ps->id, ps);
    }
    lb__idmap_put(&m->pickles_by_id, p->id, p);
    return p;
}

static struct lb__case *ccase(struct lb__model *m,
                              const struct lb_report_test_case *v)
{
    struct lb__case *tc = kalloc(m, 1, sizeof(*tc));
    size_t i, k;

    tc->id = cstr(m, v->id);
    tc->pickle_id = cid(m, &m->pickles_by_id, v->pickle_id, NULL);
    if (!tc->pickle_id)
        tc->pickle_id = "";
    tc->nsteps = v->nsteps;
    tc->steps = kalloc(m, tc->nsteps, sizeof(*tc->steps));
    for (i = 0; i < tc->nsteps; i++) {
        const struct lb_report_test_step *vs = &v->steps[i];
        struct lb__tstep *ts = &tc->steps[i];

        ts->id = cstr(m, vs->id);
        ts->pickle_step_id = vs->pickle_step_id ? cid(m,
                                                      &m->psteps,
                                                      vs->pickle_step_id,
                                                      (const void **)&ts->pstep)
                                                : NULL;
        ts->hook_id = vs->hook_id ? cstr(m, vs->hook_id) : NULL;
        ts->ndefs = vs->ndefs;
        ts->def_ids = kalloc(m, ts->ndefs, sizeof(char *));
        for (k = 0; k < ts->ndefs; k++) {
            const char *d = intern_def_s(m, vs->def_ids[k]);
            ts->def_ids[k] = d ? d : "";
        }
        /* One stepMatchArgumentsList per definition. */
        ts->nlists = vs->pickle_step_id ? vs->ndefs : 0;
        if (ts->nlists == 1) {
            keep_match_args(m, ts, vs->arguments[0]);
        }
    }
    lb__idmap_put(&m->cases, tc->id, tc);
    return tc;
}

void lb__model_test_case(struct lb__model *m,
                         const struct lb_report_test_case *tc)
{
    /* The engine's struct may sit at the same address for every test
     * case: the repeat is told by the id. */
    if (!m->last_env && m->last_key == (const void *)m &&
        strcmp(m->last_kind, tc->id ? tc->id : "") == 0)
        return;
    json_decref(m->last_env);
    m->last_env = NULL;
    m->last_key = m;
    (void)snprintf(
        m->last_kind, sizeof(m->last_kind), "%s", tc->id ? tc->id : "");
    m->gen++;
    if (tc->id)
        on_test_case(m, ccase(m, tc));
}

int lb__model_gherkin(struct lb__model *m,
                      const char *kind,
                      const struct lb_gherkin_document *doc,
                      const struct lb_gherkin_pickle *pickle)
{
    const void *key = doc;
    char what[sizeof(m->last_kind)];

    /* A pickle is a view the caller may remake in the same memory for the
     * next pickle: it is known by its id, not by its address. */
    (void)snprintf(what,
                   sizeof(what),
                   "%s%s%s",
                   kind,
                   pickle ? ":" : "",
                   pickle && pickle->id ? pickle->id : "");
    /* The same event again (the next formatter sharing the model). */
    if (!m->last_env && key == m->last_key && strcmp(what, m->last_kind) == 0)
        return 0;
    json_decref(m->last_env);
    m->last_env = NULL;
    m->last_key = key;
    (void)snprintf(m->last_kind, sizeof(m->last_kind), "%s", what);
    m->gen++;
    if (strcmp(kind, "gherkinDocument") == 0 && doc) {
        const char *uri = doc->uri ? doc->uri : "";

        index_doc(m, uri);
        cdoc(m, doc);
    } else if (strcmp(kind, "pickle") == 0 && pickle && doc) {
        index_pickle(m, cpickle(m, doc, pickle));
    }
    return 0;
}

static int on_document(struct lb__model *m, json_t *body, struct lb_error *err)
{
    const char *uri = json_string_value(json_object_get(body, "uri"));

    if (!uri)
        return lb_error_set(err, LB_EPARSE, "gherkinDocument without uri");
    index_doc(m, uri);
    /* A new version of a document replaces the old one. */
    keep_doc(m, uri, body);
    return 0;
}

static int
on_case_finished(struct lb__model *m, json_t *body, struct lb_error *err)
{
    struct lb__rcase *rc = find_run(m, body);

    if (!rc)
        return lb_error_set(err,
                            LB_EPARSE,
                            "testCaseFinished of unknown testCaseStarted '%s'",
                            lb__str(body, "testCaseStartedId"));
    rc->finished = 1;
    rc->end_ns = lb__ts_ns(json_object_get(body, "timestamp"));
    rc->will_be_retried = json_is_true(json_object_get(body, "willBeRetried"));
    return 0;
}

static void on_run_finished(struct lb__model *m, json_t *body)
{
    json_t *exc = json_object_get(body, "exception");
    const char *msg = json_string_value(json_object_get(body, "message"));

    if (!msg)
        msg = json_string_value(json_object_get(exc, "message"));
    m->run_finished = 1;
    m->run_end_ns = lb__ts_ns(json_object_get(body, "timestamp"));
    m->run_success = json_is_true(json_object_get(body, "success"));
    lb_free(m->run_message);
    m->run_message = dup_or_null(msg);
}

int lb__model_event(struct lb__model *m,
                    json_t *envelope,
                    const char *kind,
                    json_t *body,
                    struct lb_error *err)
{
    const char *id = json_string_value(json_object_get(body, "id"));

    /* Holding a reference to the last envelope keeps its address from
     * being reused, so "the same pointer again" means "the same event". */
    if (envelope && envelope == m->last_env)
        return 0;
    json_decref(m->last_env);
    m->last_env = json_incref(envelope);
    m->last_key = NULL;
    m->gen++;
    if (strcmp(kind, "gherkinDocument") == 0) {
        return on_document(m, body, err);
    } else if (strcmp(kind, "pickle") == 0) {
        if (!id)
            return lb_error_set(err, LB_EPARSE, "pickle without id");
        index_pickle(m, keep_pickle(m, body));
    } else if (strcmp(kind, "stepDefinition") == 0 || strcmp(kind, "hook") == 0)
    {
        if (!id)
            return lb_error_set(err, LB_EPARSE, "%s without id", kind);
        (void)json_object_set(
            kind[0] == 's' ? m->stepdefs : m->hooks, id, body);
    } else if (strcmp(kind, "testRunStarted") == 0) {
        m->run_started = 1;
        m->run_start_ns = lb__ts_ns(json_object_get(body, "timestamp"));
    } else if (strcmp(kind, "testCase") == 0) {
        if (!id)
            return lb_error_set(err, LB_EPARSE, "testCase without id");
        on_test_case(m, keep_case(m, body));
    } else if (strcmp(kind, "testCaseStarted") == 0) {
        return on_test_case_started(m, body, err);
    } else if (strcmp(kind, "testStepStarted") == 0) {
        struct lb__rstep *st = find_step(find_run(m, body), body);
        if (st)
            st->start_ns = lb__ts_ns(json_object_get(body, "timestamp"));
    } else if (strcmp(kind, "attachment") == 0) {
        struct lb__rcase *rc = find_run(m, body);
        struct lb__rstep *st = find_step(rc, body);
        if (st)
            add_attachment(&st->attachments, body);
        else if (rc)
            add_attachment(&rc->attachments, body);
    } else if (strcmp(kind, "testStepFinished") == 0) {
        return on_step_finished(m, body, err);
    } else if (strcmp(kind, "testCaseFinished") == 0) {
        return on_case_finished(m, body, err);
    } else if (strcmp(kind, "suggestion") == 0) {
        const char *ps =
            json_string_value(json_object_get(body, "pickleStepId"));
        if (ps)
            (void)json_object_set(m->suggestions, ps, body);
    } else if (strcmp(kind, "testRunHookFinished") == 0) {
        on_run_hook_finished(m, body);
    } else if (strcmp(kind, "testRunFinished") == 0) {
        on_run_finished(m, body);
    }
    return 0;
}

int lb__rcase_status(const struct lb__rcase *rc)
{
    int worst = LB__ST_UNKNOWN;
    size_t i;

    for (i = 0; i < rc->nsteps; i++)
        if (rc->steps[i].status > worst)
            worst = rc->steps[i].status;
    return worst;
}

long lb__rcase_find(const struct lb__rcase *rc, int status)
{
    size_t i;

    for (i = 0; i < rc->nsteps; i++)
        if (rc->steps[i].status == status)
            return (long)i;
    return -1;
}

int64_t lb__rcase_duration(const struct lb__rcase *rc)
{
    int64_t sum = 0;
    size_t i;

    for (i = 0; i < rc->nsteps; i++)
        sum += rc->steps[i].duration_ns;
    return sum;
}

int lb__rcase_is_final(const struct lb__rcase *rc)
{
    return rc->finished && !rc->will_be_retried;
}

const struct lb__tstep *lb__rcase_tstep(const struct lb__rcase *rc, size_t i)
{
    if (!rc->test_case || i >= rc->test_case->nsteps)
        return NULL;
    return &rc->test_case->steps[i];
}

const struct lb__pstep *lb__model_pstep(struct lb__model *m,
                                        const struct lb__tstep *tstep)
{
    if (!tstep || !tstep->pickle_step_id)
        return NULL;
    if (tstep->pstep)
        return tstep->pstep;
    return lb__idmap_get(&m->psteps, tstep->pickle_step_id);
}

const struct lb__node *lb__model_ast_step(struct lb__model *m,
                                          const struct lb__pstep *pstep)
{
    if (!pstep)
        return NULL;
    return pstep->ast ? pstep->ast : lb__idmap_get(&m->ast, pstep->ast_id);
}

const struct lb__node *lb__model_scenario(struct lb__model *m,
                                          const struct lb__pickle *pickle)
{
    if (!pickle)
        return NULL;
    return pickle->scenario ? pickle->scenario
                            : lb__idmap_get(&m->ast, pickle->scenario_id);
}

const struct lb__node *lb__model_feature(struct lb__model *m,
                                         const struct lb__pickle *pickle)
{
    const struct lb__doc *d = pickle ? lb__model_doc(m, pickle->uri) : NULL;

    return d ? d->feature : NULL;
}

const struct lb__node *lb__model_rule(struct lb__model *m,
                                      const struct lb__pickle *pickle)
{
    const struct lb__node *sc = lb__model_scenario(m, pickle);

    return sc && sc->parent && sc->parent->kind == LB__N_RULE ? sc->parent
                                                              : NULL;
}

const struct lb__node *lb__model_examples(struct lb__model *m,
                                          const struct lb__pickle *pickle,
                                          int *examples_index,
                                          int *row_index)
{
    const struct lb__node *row, *ex;

    row = !pickle       ? NULL
          : pickle->row ? pickle->row
                        : lb__idmap_get(&m->ast, pickle->row_id);
    if (!row || row->kind != LB__N_ROW)
        return NULL;
    ex = row->parent;
    if (!ex || !ex->parent)
        return NULL;
    *examples_index = ex->index;
    *row_index = row->index;
    return ex;
}

void lb__model_location(struct lb__model *m,
                        const struct lb__tstep *tstep,
                        struct lb_buf *out)
{
    json_t *def = NULL, *ref;
    long line;

    lb_buf_reset(out);
    if (!tstep)
        return;
    if (tstep->hook_id)
        def = json_object_get(m->hooks, tstep->hook_id);
    else if (tstep->ndefs == 1)
        def = json_object_get(m->stepdefs, tstep->def_ids[0]);
    ref = json_object_get(def, "sourceReference");
    if (!ref)
        return;
    if (json_object_get(ref, "uri")) {
        (void)lb_buf_adds(out, lb__str(ref, "uri"));
    } else if (json_object_get(ref, "javaMethod")) {
        json_t *jm = json_object_get(ref, "javaMethod");
        (void)lb_buf_addf(
            out, "%s.%s", lb__str(jm, "className"), lb__str(jm, "methodName"));
    }
    line = lb__line(ref);
    if (line > 0 && out->len)
        (void)lb_buf_addf(out, ":%ld", line);
}

struct lb__run_key {
    json_int_t doc, pickle;
    size_t seq;
    struct lb__rcase *rc;
};

/* Documents and pickles the stream never showed go last. */
#define UNSEEN ((json_int_t)1 << 62)

static int by_key(const void *a, const void *b)
{
    const struct lb__run_key *x = a, *y = b;

    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    if (x->pickle != y->pickle)
        return x->pickle < y->pickle ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts the final attempts once: the reports ask for them document by
 * document, and a scan of every attempt per document would cost
 * documents x attempts. */
static void sort_final(struct lb__model *m)
{
    size_t i, k = 0;

    if (m->final && m->final_gen == m->gen)
        return;
    lb_free(m->final);
    m->final = lb_xcalloc(m->nruns ? m->nruns : 1, sizeof(*m->final));
    for (i = 0; i < m->nruns; i++) {
        struct lb__rcase *rc = m->runs[i];
        json_t *d;
        uintptr_t p;

        if (rc->will_be_retried)
            continue;
        d = json_object_get(m->doc_seq, rc->uri);
        p = (uintptr_t)lb__idmap_get(&m->pickle_seq, rc->pickle_id);
        m->final[k].doc = d ? json_integer_value(d) : UNSEEN;
        m->final[k].pickle = p ? (json_int_t)(p - 1) : UNSEEN;
        m->final[k].seq = i;
        m->final[k].rc = rc;
        k++;
    }
    qsort(m->final, k, sizeof(*m->final), by_key);
    m->nfinal = k;
    m->final_gen = m->gen;
}

struct lb__rcase **
lb__model_final_runs(struct lb__model *m, const char *uri, size_t *n)
{
    struct lb__rcase **out;
    size_t lo = 0, hi, i, k = 0;
    json_t *d;
    json_int_t doc = UNSEEN;

    sort_final(m);
    out = lb_xcalloc(m->nfinal ? m->nfinal : 1, sizeof(*out));
    hi = m->nfinal;
    if (uri && (d = json_object_get(m->doc_seq, uri)) != NULL)
        doc = json_integer_value(d);
    if (uri) {
        /* The first key of that document (all unseen ones share a key). */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->final[mid].doc < doc)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    for (i = lo; i < m->nfinal; i++) {
        struct lb__rcase *rc = m->final[i].rc;

        if (uri && m->final[i].doc != doc)
            break;
        if (uri && strcmp(uri, rc->uri) != 0)
            continue;
        out[k++] = rc;
    }
    *n = k;
    return out;
}
