/*
 * The engine's view of step matching, over the expr engineer's
 * step_matcher / cucumber_expression / parameter_type / snippet modules:
 * registry indices in, Cucumber Messages arguments and C values out.
 */
#include "engine/match.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "engine/cucumber_expression.h"
#include "engine/parameter_type.h"
#include "engine/snippet.h"
#include "engine/step_matcher.h"

struct lb_undefined_ptype {
    char *name;
    const char *expression; /* borrowed from the registry */
};

struct lb_matcher {
    const struct lb_registry *reg;
    struct lb_param_registry *params;
    struct lb_step_matcher *sm;
    LB_VEC(size_t) def_of; /* matcher def index -> registry index */
    LB_VEC(bool) is_regex; /* by registry index */
    LB_VEC(struct lb_undefined_ptype) undefined;
    struct lb_snippet_set snippets;
};

static int define_params(struct lb_matcher *m, struct lb_error *err)
{
    for (size_t i = 0; i < m->reg->params.len; i++) {
        const struct lb_paramdef *p = &m->reg->params.items[i];
        const char *regexps[1] = {p->regexp};
        struct lb_param_type_def d = {0};
        d.name = p->name;
        d.regexps = regexps;
        d.regexp_count = 1;
        d.prefer_for_regexp_match = p->prefer_for_regexp_match;
        d.use_for_snippets = p->use_for_snippets;
        d.user = (void *)p;
        d.file = p->file;
        d.line = p->line;
        int rc = lb_param_registry_define(m->params, &d, NULL, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int add_steps(struct lb_matcher *m, struct lb_error *err)
{
    for (size_t i = 0; i < m->reg->steps.len; i++) {
        const struct lb_stepdef *d = &m->reg->steps.items[i];
        enum lb_expr_kind kind = d->kind == LB_PATTERN_REGEX ? LB_EXPR_REGEX
                                 : d->kind == LB_PATTERN_EXPRESSION
                                     ? LB_EXPR_CUCUMBER
                                     : LB_EXPR_AUTO;
        kind = lb_expr_kind_of(d->pattern, kind);
        if (lb_vec_push(&m->is_regex, kind == LB_EXPR_REGEX) != 0)
            return lb_error_set(err, LB_ENOMEM, "out of memory");
        struct lb_expr_problem problem = {0};
        struct lb_error e;
        lb_error_init(&e);
        int rc = lb_step_matcher_add(
            m->sm, kind, d->pattern, (void *)d, d->file, d->line, &problem, &e);
        if (rc >= 0) {
            if (lb_vec_push(&m->def_of, i) != 0)
                return lb_error_set(err, LB_ENOMEM, "out of memory");
            continue;
        }
        if (problem.kind == LB_EXPR_E_UNDEFINED_PARAMETER_TYPE) {
            /* as Cucumber: reported, and the definition never matches */
            struct lb_undefined_ptype u = {lb_xstrdup(problem.name),
                                           d->pattern};
            if (lb_vec_push(&m->undefined, u) != 0)
                return lb_error_set(err, LB_ENOMEM, "out of memory");
            continue;
        }
        if (err != NULL && !lb_error_is_set(err))
            *err = e;
        return rc;
    }
    return 0;
}

int lb_matcher_new(const struct lb_registry *reg,
                   struct lb_matcher **out,
                   struct lb_error *err)
{
    struct lb_matcher *m = lb_xcalloc(1, sizeof(*m));
    int rc = LB_ENOMEM;
    m->reg = reg;
    m->params = lb_param_registry_new();
    if (m->params == NULL)
        goto fail;
    rc = define_params(m, err);
    if (rc != 0)
        goto fail;
    rc = LB_ENOMEM;
    m->sm = lb_step_matcher_new(m->params);
    if (m->sm == NULL)
        goto fail;
    rc = add_steps(m, err);
    if (rc != 0)
        goto fail;
    *out = m;
    return 0;
fail:
    if (rc == LB_ENOMEM)
        lb_error_set(err, LB_ENOMEM, "out of memory compiling step patterns");
    lb_matcher_free(m);
    *out = NULL;
    return rc;
}

void lb_matcher_free(struct lb_matcher *m)
{
    if (m == NULL)
        return;
    lb_step_matcher_free(m->sm);
    lb_param_registry_free(m->params);
    for (size_t i = 0; i < m->undefined.len; i++)
        lb_free(m->undefined.items[i].name);
    lb_vec_release(&m->undefined);
    lb_vec_release(&m->def_of);
    lb_vec_release(&m->is_regex);
    lb_snippet_set_release(&m->snippets);
    lb_free(m);
}

bool lb_matcher_undefined(const struct lb_matcher *m,
                          size_t i,
                          const char **name,
                          const char **expression)
{
    if (i >= m->undefined.len)
        return false;
    *name = m->undefined.items[i].name;
    *expression = m->undefined.items[i].expression;
    return true;
}

bool lb_matcher_is_regex(const struct lb_matcher *m, size_t def)
{
    return def < m->is_regex.len && m->is_regex.items[def];
}

const struct lb_param_registry *lb_matcher_params(const struct lb_matcher *m)
{
    return m->params;
}

/* A group of the tree as Cucumber Messages' Group (recursive). */
static json_t *group_json(const struct lb_match *mt, int gi)
{
    const struct lb_group *g = &mt->groups[gi];
    json_t *o = json_object();
    if (g->matched) {
        json_object_set_new(
            o, "start", json_integer((json_int_t)g->start_utf16));
        json_object_set_new(
            o, "value", json_stringn(mt->text + g->start, g->end - g->start));
    }
    if (g->child_count > 0) {
        json_t *children = json_array();
        for (int c = g->first_child; c >= 0; c = mt->groups[c].next_sibling)
            json_array_append_new(children, group_json(mt, c));
        json_object_set_new(o, "children", children);
    }
    return o;
}

static char *dup_text(const char *p, size_t len)
{
    return p != NULL ? lb_xstrndup(p, len) : NULL;
}

static int fill_arg(const struct lb_match *mt,
                    size_t i,
                    struct lb_arg *a,
                    json_t *args,
                    struct lb_error *err)
{
    const struct lb_param_type *pt = lb_match_arg_type(mt, i);
    int gi = lb_match_arg_group(mt, i);
    json_t *sma = json_object();
    json_object_set_new(sma, "group", group_json(mt, gi));
    if (pt != NULL && pt->name != NULL && pt->kind != LB_PARAM_REGEX_GROUP)
        json_object_set_new(sma, "parameterTypeName", json_string(pt->name));
    json_array_append_new(args, sma);

    size_t len = 0;
    const char *raw = lb_match_arg_text(mt, i, &len);
    if (pt != NULL && pt->kind == LB_PARAM_STRING && raw != NULL) {
        struct lb_buf b = LB_BUF_INIT;
        int rc = lb_match_arg_string(mt, i, &b, err);
        if (rc < 0) {
            lb_buf_release(&b);
            return rc;
        }
        a->text = lb_buf_detach(&b, NULL);
    } else {
        a->text = dup_text(raw, len);
    }
    if (pt != NULL && pt->kind == LB_PARAM_CUSTOM) {
        a->param = pt->user;
        const char *ptrs[32];
        size_t lens[32];
        size_t n = lb_match_arg_values(mt, i, ptrs, lens, 32);
        if (n > 32)
            n = 32;
        a->groups = lb_xcalloc(n + 1, sizeof(char *));
        a->ngroups = n;
        for (size_t k = 0; k < n; k++)
            a->groups[k] = dup_text(ptrs[k], lens[k]);
    }
    return 0;
}

static void step_match_release(struct lb_step_match *sm)
{
    json_decref(sm->arguments);
    for (size_t i = 0; i < sm->nargs; i++) {
        lb_free(sm->args[i].text);
        for (size_t k = 0; k < sm->args[i].ngroups; k++)
            lb_free(sm->args[i].groups[k]);
        lb_free(sm->args[i].groups);
    }
    lb_free(sm->args);
}

int lb_matcher_match(struct lb_matcher *m,
                     const char *text,
                     struct lb_matches *out,
                     struct lb_error *err)
{
    const struct lb_match *found = NULL;
    int n = lb_step_matcher_match(m->sm, text, &found, err);
    if (n < 0)
        return n;
    for (int k = 0; k < n; k++) {
        const struct lb_match *mt = &found[k];
        const struct lb_stepdef *d = mt->user;
        struct lb_step_match sm = {0};
        sm.def = (size_t)(d - m->reg->steps.items);
        sm.arguments = json_array();
        sm.nargs = mt->arg_count;
        sm.args = lb_xcalloc(mt->arg_count + 1, sizeof(struct lb_arg));
        for (size_t i = 0; i < mt->arg_count; i++) {
            int rc = fill_arg(mt, i, &sm.args[i], sm.arguments, err);
            if (rc < 0) {
                step_match_release(&sm);
                return rc;
            }
        }
        if (lb_vec_push(&out->v, sm) != 0) {
            step_match_release(&sm);
            return lb_error_set(err, LB_ENOMEM, "out of memory");
        }
    }
    return 0;
}

void lb_matches_release(struct lb_matches *ms)
{
    for (size_t i = 0; i < ms->v.len; i++)
        step_match_release(&ms->v.items[i]);
    lb_vec_release(&ms->v);
}

int lb_matcher_snippet(struct lb_matcher *m,
                       bool unique,
                       const char *text,
                       bool has_table,
                       bool has_doc_string,
                       struct lb_buf *out,
                       bool *duplicate,
                       struct lb_error *err)
{
    return lb_snippet_build(m->params,
                            text,
                            has_table,
                            has_doc_string,
                            unique ? &m->snippets : NULL,
                            out,
                            duplicate,
                            err);
}

/*
 * The snippet of one more candidate expression. snippet.h builds the first
 * candidate's only, so the others are written here in the same format
 * (step_api.md); the function name gets the candidate's number.
 */
static void snippet_variant(const struct lb_generated_expr *g,
                            size_t k,
                            bool has_table,
                            bool has_doc_string,
                            struct lb_buf *out)
{
    struct lb_buf fn = LB_BUF_INIT;
    lb_buf_adds(&fn, "step");
    bool sep = true;
    for (const char *p = g->source; *p != '\0' && fn.len < 64; p++) {
        char ch = *p;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (sep)
                lb_buf_addch(&fn, '_');
            lb_buf_addch(&fn, ch);
            sep = false;
        } else {
            sep = true;
        }
    }
    lb_buf_addf(&fn, "_%zu", k + 1);
    lb_buf_addf(out, "static int %s(struct lb_step *s)\n{\n", fn.ptr);
    for (size_t i = 0; i < g->param_count; i++) {
        const struct lb_param_type *t = g->param_types[i];
        const char *name = t->name[0] != '\0' ? t->name : "arg";
        switch (t->kind) {
        case LB_PARAM_INT:
            lb_buf_addf(out,
                        "    long long %s%zu = lb_step_arg_int(s, %zu);\n",
                        name,
                        i + 1,
                        i);
            break;
        case LB_PARAM_FLOAT:
            lb_buf_addf(out,
                        "    double %s%zu = lb_step_arg_double(s, %zu);\n",
                        name,
                        i + 1,
                        i);
            break;
        case LB_PARAM_CUSTOM:
            lb_buf_addf(out,
                        "    void *arg%zu = lb_step_arg_value(s, %zu);\n",
                        i + 1,
                        i);
            break;
        default:
            lb_buf_addf(out,
                        "    const char *%s%zu = lb_step_arg_str(s, %zu);\n",
                        name,
                        i + 1,
                        i);
            break;
        }
    }
    if (has_table)
        lb_buf_adds(out,
                    "    const struct lb_table *table = "
                    "lb_step_table(s);\n");
    if (has_doc_string)
        lb_buf_adds(out,
                    "    const char *doc_string = "
                    "lb_step_doc_string(s);\n");
    if (g->param_count > 0 || has_table || has_doc_string)
        lb_buf_addch(out, '\n');
    lb_buf_adds(out,
                "    return lb_step_pending(s, \"TODO: implement this "
                "step\");\n}\nLB_STEP(\"");
    for (const char *p = g->source; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            lb_buf_addch(out, '\\');
        lb_buf_addch(out, *p);
    }
    lb_buf_addf(out, "\", %s);\n", fn.ptr);
    lb_buf_release(&fn);
}

void lb_matcher_snippet_alternatives(struct lb_matcher *m,
                                     const char *text,
                                     struct lb_buf *out)
{
    struct lb_generated_expr *exprs = NULL;
    size_t count = 0;

    if (lb_generate_expressions(m->params, text, &exprs, &count) != 0)
        return;
    for (size_t k = 1; k < count; k++) {
        (void)lb_buf_adds(out, "/* or: LB_STEP(\"");
        for (const char *p = exprs[k].source; *p != '\0'; p++) {
            /* a comment must not end early */
            if (*p == '*' && p[1] == '/') {
                (void)lb_buf_adds(out, "*\\/");
                p++;
                continue;
            }
            if (*p == '"' || *p == '\\')
                (void)lb_buf_addch(out, '\\');
            (void)lb_buf_addch(out, *p);
        }
        (void)lb_buf_adds(out, "\", ...) */\n");
    }
    lb_generated_exprs_free(exprs, count);
}

int lb_matcher_suggestions(struct lb_matcher *m,
                           const char *text,
                           bool has_table,
                           bool has_doc_string,
                           json_t *snippets,
                           struct lb_error *err)
{
    struct lb_buf code = LB_BUF_INIT;
    bool dup = false;
    int rc = lb_snippet_build(
        m->params, text, has_table, has_doc_string, NULL, &code, &dup, err);
    if (rc != 0) {
        lb_buf_release(&code);
        return rc;
    }
    json_array_append_new(
        snippets, json_pack("{ssss}", "language", "c", "code", code.ptr));
    struct lb_generated_expr *exprs = NULL;
    size_t count = 0;
    if (lb_generate_expressions(m->params, text, &exprs, &count) == 0) {
        for (size_t k = 1; k < count; k++) {
            lb_buf_reset(&code);
            snippet_variant(&exprs[k], k, has_table, has_doc_string, &code);
            json_array_append_new(
                snippets,
                json_pack("{ssss}", "language", "c", "code", code.ptr));
        }
        lb_generated_exprs_free(exprs, count);
    }
    lb_buf_release(&code);
    return 0;
}
