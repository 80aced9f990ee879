/*
 * The index of a Cucumber Messages stream that the report formatters share:
 * every lookup a formatter makes per event is a hash lookup by id, so a run
 * of many thousands of scenarios costs time linear in the events.
 */
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
    m->docs = xobject();
    m->doc_order = json_array();
    m->doc_seq = xobject();
    m->pickles = xobject();
    m->pickle_seq = xobject();
    m->cases = xobject();
    m->case_seq = xobject();
    m->def_names = xobject();
    m->stepdefs = xobject();
    m->hooks = xobject();
    m->suggestions = xobject();
    m->run_idx = xobject();
    m->ast = xobject();
    m->parent = xobject();
    m->psteps = xobject();
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
    json_decref(rc->test_case);
    json_decref(rc->pickle);
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
    for (i = 0; i < m->ncases; i++) {
        struct lb__case_info *ci = &m->case_infos[i];
        size_t k;

        for (k = 0; k < ci->nsteps; k++)
            lb_free(ci->step_ids[k]);
        lb_free(ci->step_ids);
        lb_free(ci->is_hook);
        lb_free(ci->def_ids);
        lb_free(ci->pickle_id);
    }
    lb_free(m->case_infos);
    for (i = 0; i < m->npickles; i++)
        lb_free(m->pickle_infos[i].uri);
    lb_free(m->pickle_infos);
    lb_free(m->final);
    json_decref(m->case_seq);
    json_decref(m->def_names);
    json_decref(m->last_env);
    json_decref(m->docs);
    json_decref(m->doc_order);
    json_decref(m->doc_seq);
    json_decref(m->pickles);
    json_decref(m->pickle_seq);
    json_decref(m->cases);
    json_decref(m->stepdefs);
    json_decref(m->hooks);
    json_decref(m->suggestions);
    json_decref(m->run_idx);
    json_decref(m->cur_doc);
    json_decref(m->ast);
    json_decref(m->parent);
    json_decref(m->psteps);
    json_decref(m->global_hook_messages);
    lb_free(m->cur_uri);
    lb_free(m->run_message);
    lb_free(m);
}

static void index_tags(struct lb__model *m, json_t *node)
{
    size_t i;
    json_t *tag;

    json_array_foreach(json_object_get(node, "tags"), i, tag)
    {
        const char *id = json_string_value(json_object_get(tag, "id"));
        if (id)
            (void)json_object_set(m->ast, id, tag);
    }
}

/* Indexes one AST node by id, with its parent. Nodes without an id (the
 * feature itself) are skipped. */
static void index_node(struct lb__model *m, json_t *node, json_t *parent)
{
    const char *id = json_string_value(json_object_get(node, "id"));

    if (!id)
        return;
    index_tags(m, node);
    (void)json_object_set(m->ast, id, node);
    if (parent)
        (void)json_object_set(m->parent, id, parent);
}

static void index_steps(struct lb__model *m, json_t *owner)
{
    size_t i;
    json_t *step;

    json_array_foreach(json_object_get(owner, "steps"), i, step)
    {
        index_node(m, step, owner);
    }
}

static void index_scenario(struct lb__model *m, json_t *sc, json_t *parent)
{
    size_t i, j;
    json_t *ex, *row;

    index_node(m, sc, parent);
    index_steps(m, sc);
    json_array_foreach(json_object_get(sc, "examples"), i, ex)
    {
        index_node(m, ex, sc);
        json_array_foreach(json_object_get(ex, "tableBody"), j, row)
        {
            index_node(m, row, ex);
        }
    }
}

static void index_children(struct lb__model *m, json_t *owner)
{
    size_t i;
    json_t *child, *node;

    json_array_foreach(json_object_get(owner, "children"), i, child)
    {
        if ((node = json_object_get(child, "scenario")) != NULL) {
            index_scenario(m, node, owner);
        } else if ((node = json_object_get(child, "background")) != NULL) {
            index_node(m, node, owner);
            index_steps(m, node);
        } else if ((node = json_object_get(child, "rule")) != NULL) {
            index_node(m, node, owner);
            index_children(m, node);
        }
    }
}

/* Parses a kept serialised body (NULL when absent or broken). */
static json_t *thaw(json_t *kept)
{
    const char *s = json_string_value(kept);

    return s ? json_loadb(s, json_string_length(kept), 0, NULL) : NULL;
}

/* Keeps `body` serialised under `key` in `map`. */
static int freeze(json_t *map, const char *key, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_t *v;

    if (!s)
        return LB_ENOMEM;
    v = json_string(s);
    free(s);
    if (!v)
        return LB_ENOMEM;
    return json_object_set_new(map, key, v) == 0 ? 0 : LB_ENOMEM;
}

json_t *lb__model_doc(struct lb__model *m, const char *uri)
{
    json_t *feature;

    if (!uri)
        return NULL;
    if (m->cur_uri && strcmp(m->cur_uri, uri) == 0)
        return m->cur_doc;
    (void)json_object_clear(m->ast);
    (void)json_object_clear(m->parent);
    json_decref(m->cur_doc);
    lb_free(m->cur_uri);
    m->cur_uri = lb_xstrdup(uri);
    m->cur_doc = thaw(json_object_get(m->docs, uri));
    feature = json_object_get(m->cur_doc, "feature");
    if (json_is_object(feature)) {
        index_tags(m, feature);
        index_children(m, feature);
    }
    return m->cur_doc;
}

int lb__model_open(struct lb__model *m, struct lb__rcase *rc)
{
    size_t i;
    json_t *v;

    lb__model_close(m, rc);
    rc->test_case = thaw(json_object_get(m->cases, rc->case_id));
    rc->pickle = thaw(json_object_get(m->pickles, rc->pickle_id));
    if (!rc->test_case) {
        lb__model_close(m, rc);
        return LB_EPARSE;
    }
    json_array_foreach(json_object_get(rc->pickle, "steps"), i, v)
    {
        const char *sid = json_string_value(json_object_get(v, "id"));
        if (sid)
            (void)json_object_set(m->psteps, sid, v);
    }
    (void)lb__model_doc(m, rc->uri);
    return 0;
}

void lb__model_close(struct lb__model *m, struct lb__rcase *rc)
{
    (void)json_object_clear(m->psteps);
    json_decref(rc->test_case);
    json_decref(rc->pickle);
    rc->test_case = NULL;
    rc->pickle = NULL;
}

static struct lb__rcase *find_run(struct lb__model *m, const json_t *body)
{
    const char *id =
        json_string_value(json_object_get(body, "testCaseStartedId"));
    json_t *ix;

    if (!id)
        return NULL;
    ix = json_object_get(m->run_idx, id);
    if (!json_is_integer(ix))
        return NULL;
    return m->runs[json_integer_value(ix)];
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
    json_t *body = json_pack("{s:s}", "testStepId", id);
    struct lb__rstep *st = body ? find_step(rc, body) : NULL;

    json_decref(body);
    return st ? (long)(st - rc->steps) : -1;
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
    json_t *ix, *px;

    if (!id || !tcid)
        return lb_error_set(err,
                            LB_EPARSE,
                            "testCaseStarted without %s",
                            id ? "testCaseId" : "id");
    ix = json_object_get(m->case_seq, tcid);
    if (!json_is_integer(ix))
        return lb_error_set(
            err, LB_EPARSE, "testCaseStarted of unknown testCase '%s'", tcid);
    ci = &m->case_infos[json_integer_value(ix)];
    if (m->nruns == m->runs_cap) {
        m->runs_cap = m->runs_cap ? m->runs_cap * 2 : 64;
        m->runs = lb_xrealloc(m->runs, m->runs_cap * sizeof(*m->runs));
    }
    rc = lb_xcalloc(1, sizeof(*rc));
    rc->id = lb_xstrdup(id);
    rc->case_id = lb_xstrdup(tcid);
    rc->pickle_id = ci->pickle_id;
    px = json_object_get(m->pickle_seq, ci->pickle_id);
    rc->uri = "";
    if (json_is_integer(px)) {
        rc->uri = m->pickle_infos[json_integer_value(px)].uri;
        rc->line = m->pickle_infos[json_integer_value(px)].line;
    }
    rc->start_ns = lb__ts_ns(json_object_get(body, "timestamp"));
    rc->attempt = (int)lb__int(body, "attempt", 0);
    rc->nsteps = ci->nsteps;
    rc->steps = lb_xcalloc(rc->nsteps ? rc->nsteps : 1, sizeof(*rc->steps));
    rc->step_ids = ci->step_ids;
    rc->is_hook = ci->is_hook;
    rc->def_ids = ci->def_ids;
    (void)json_object_set_new(
        m->run_idx, id, json_integer((json_int_t)m->nruns));
    m->runs[m->nruns++] = rc;
    return 0;
}

/* The step definition id `v` as a string that lives as long as the model
 * (a key of def_names: a run has few step definitions and many steps), or
 * NULL when it is not a string. */
static const char *intern_def(struct lb__model *m, json_t *v)
{
    const char *id = json_string_value(v);
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

/* Records what the stream phase needs of a testCase (once per id). */
static void on_test_case(struct lb__model *m, const char *id, json_t *body)
{
    struct lb__case_info *ci;
    json_t *steps = json_object_get(body, "testSteps"), *v;
    size_t i, n = json_array_size(steps);

    if (json_object_get(m->case_seq, id))
        return;
    if (m->ncases == m->cases_cap) {
        m->cases_cap = m->cases_cap ? m->cases_cap * 2 : 64;
        m->case_infos =
            lb_xrealloc(m->case_infos, m->cases_cap * sizeof(*m->case_infos));
    }
    ci = &m->case_infos[m->ncases];
    ci->pickle_id = lb_xstrdup(lb__str(body, "pickleId"));
    ci->nsteps = n;
    ci->step_ids = lb_xcalloc(n ? n : 1, sizeof(*ci->step_ids));
    ci->is_hook = lb_xcalloc(n ? n : 1, 1);
    ci->def_ids = lb_xcalloc(n ? n : 1, sizeof(*ci->def_ids));
    json_array_foreach(steps, i, v)
    {
        json_t *defs = json_object_get(v, "stepDefinitionIds");

        ci->step_ids[i] = lb_xstrdup(lb__str(v, "id"));
        ci->is_hook[i] = json_object_get(v, "pickleStepId") == NULL;
        if (json_array_size(defs) == 1)
            ci->def_ids[i] = intern_def(m, json_array_get(defs, 0));
    }
    (void)json_object_set_new(
        m->case_seq, id, json_integer((json_int_t)m->ncases));
    m->ncases++;
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

static int on_document(struct lb__model *m, json_t *body, struct lb_error *err)
{
    const char *uri = json_string_value(json_object_get(body, "uri"));

    if (!uri)
        return lb_error_set(err, LB_EPARSE, "gherkinDocument without uri");
    if (!json_object_get(m->docs, uri)) {
        (void)json_object_set_new(
            m->doc_seq,
            uri,
            json_integer((json_int_t)json_array_size(m->doc_order)));
        (void)json_array_append_new(m->doc_order, json_string(uri));
    }
    /* A new version of the cached document must be parsed again. */
    if (m->cur_uri && strcmp(m->cur_uri, uri) == 0) {
        lb_free(m->cur_uri);
        m->cur_uri = NULL;
    }
    if (freeze(m->docs, uri, body) != 0)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    return 0;
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
    m->gen++;
    if (strcmp(kind, "gherkinDocument") == 0) {
        return on_document(m, body, err);
    } else if (strcmp(kind, "pickle") == 0) {
        if (!id)
            return lb_error_set(err, LB_EPARSE, "pickle without id");
        if (!json_object_get(m->pickle_seq, id)) {
            if (m->npickles == m->pickles_cap) {
                m->pickles_cap = m->pickles_cap ? m->pickles_cap * 2 : 64;
                m->pickle_infos = lb_xrealloc(
                    m->pickle_infos, m->pickles_cap * sizeof(*m->pickle_infos));
            }
            m->pickle_infos[m->npickles].uri = lb_xstrdup(lb__str(body, "uri"));
            m->pickle_infos[m->npickles].line = lb__line(body);
            (void)json_object_set_new(
                m->pickle_seq, id, json_integer((json_int_t)m->npickles));
            m->npickles++;
        }
        if (freeze(m->pickles, id, body) != 0)
            return lb_error_set(err, LB_ENOMEM, "out of memory");
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
        on_test_case(m, id, body);
        if (freeze(m->cases, id, body) != 0)
            return lb_error_set(err, LB_ENOMEM, "out of memory");
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
        struct lb__rcase *rc = find_run(m, body);
        if (!rc)
            return lb_error_set(err,
                                LB_EPARSE,
                                "testCaseFinished of unknown testCaseStarted "
                                "'%s'",
                                lb__str(body, "testCaseStartedId"));
        rc->finished = 1;
        rc->end_ns = lb__ts_ns(json_object_get(body, "timestamp"));
        rc->will_be_retried =
            json_is_true(json_object_get(body, "willBeRetried"));
    } else if (strcmp(kind, "suggestion") == 0) {
        const char *ps =
            json_string_value(json_object_get(body, "pickleStepId"));
        if (ps)
            (void)json_object_set(m->suggestions, ps, body);
    } else if (strcmp(kind, "testRunHookFinished") == 0) {
        on_run_hook_finished(m, body);
    } else if (strcmp(kind, "testRunFinished") == 0) {
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

json_t *lb__rcase_tstep(const struct lb__rcase *rc, size_t i)
{
    return json_array_get(json_object_get(rc->test_case, "testSteps"), i);
}

json_t *lb__model_pstep(struct lb__model *m, json_t *tstep)
{
    const char *id = json_string_value(json_object_get(tstep, "pickleStepId"));

    return id ? json_object_get(m->psteps, id) : NULL;
}

json_t *lb__model_ast_step(struct lb__model *m, json_t *pstep)
{
    const char *id = json_string_value(
        json_array_get(json_object_get(pstep, "astNodeIds"), 0));

    return id ? json_object_get(m->ast, id) : NULL;
}

json_t *lb__model_scenario(struct lb__model *m, json_t *pickle)
{
    const char *id = json_string_value(
        json_array_get(json_object_get(pickle, "astNodeIds"), 0));

    return id ? json_object_get(m->ast, id) : NULL;
}

json_t *lb__model_feature(struct lb__model *m, json_t *pickle)
{
    return json_object_get(lb__model_doc(m, lb__str(pickle, "uri")), "feature");
}

json_t *lb__model_rule(struct lb__model *m, json_t *pickle)
{
    json_t *sc = lb__model_scenario(m, pickle);
    json_t *p;

    if (!sc)
        return NULL;
    p = json_object_get(m->parent, lb__str(sc, "id"));
    /* A rule is the only enclosing node with an id; the feature has none. */
    return p && json_object_get(p, "id") ? p : NULL;
}

json_t *lb__model_examples(struct lb__model *m,
                           json_t *pickle,
                           int *examples_index,
                           int *row_index)
{
    json_t *ids = json_object_get(pickle, "astNodeIds");
    const char *rid = json_string_value(json_array_get(ids, 1));
    json_t *row, *ex, *sc, *v;
    size_t i;

    if (!rid || !(row = json_object_get(m->ast, rid)))
        return NULL;
    ex = json_object_get(m->parent, rid);
    sc = ex ? json_object_get(m->parent, lb__str(ex, "id")) : NULL;
    if (!ex || !sc)
        return NULL;
    *examples_index = 1;
    *row_index = 1;
    json_array_foreach(json_object_get(sc, "examples"), i, v)
    {
        if (v == ex)
            *examples_index = (int)i + 1;
    }
    json_array_foreach(json_object_get(ex, "tableBody"), i, v)
    {
        if (v == row)
            *row_index = (int)i + 1;
    }
    return ex;
}

void lb__model_location(struct lb__model *m, json_t *tstep, struct lb_buf *out)
{
    json_t *def = NULL, *ref, *ids;
    const char *hid = json_string_value(json_object_get(tstep, "hookId"));
    long line;

    lb_buf_reset(out);
    if (hid) {
        def = json_object_get(m->hooks, hid);
    } else {
        ids = json_object_get(tstep, "stepDefinitionIds");
        if (json_array_size(ids) == 1)
            def = json_object_get(m->stepdefs,
                                  json_string_value(json_array_get(ids, 0)));
    }
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
        json_t *d, *p;

        if (rc->will_be_retried)
            continue;
        d = json_object_get(m->doc_seq, rc->uri);
        p = json_object_get(m->pickle_seq, rc->pickle_id);
        m->final[k].doc = d ? json_integer_value(d) : UNSEEN;
        m->final[k].pickle = p ? json_integer_value(p) : UNSEEN;
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
