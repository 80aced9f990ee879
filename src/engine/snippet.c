/*
 * Snippets for undefined steps (see snippet.h): a port of the official
 * CucumberExpressionGenerator (ParameterTypeMatcher, the combinatorial
 * factory) and the C snippet writer.
 */
#include "engine/snippet.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/vec.h"
#include "engine/expr_internal.h"

/* As the official factory: "256 generated expressions ought to be enough" */
#define MAX_EXPRESSIONS 256
/* Longer step texts are snippets without parameters (see below). */
#define MAX_TEXT 4096

/* One regexp of one snippet parameter type, compiled as "(regexp)". */
struct ptm {
    const struct lb_param_type *type;
    pcre2_code *code;
    pcre2_match_data *md;
    bool found; /* after advance_to: a full-word, non-empty match */
    size_t start;
    size_t len;
};

struct gen {
    const char *text;
    size_t len;
    pcre2_general_context *gctx;
    pcre2_code *sep; /* \p{Z}|\p{P}|\p{S} */
    pcre2_match_data *sep_md;
    LB_VEC(struct ptm) matchers;
};

/* True when the code point ending just before `at` (or at `at`) is a
 * separator, punctuation or symbol, as /\p{Z}|\p{P}|\p{S}/u tests it. */
static bool is_boundary(struct gen *g, size_t at, bool before)
{
    size_t from = at, n;

    if (before) {
        from = at - 1;
        while (from > 0 && ((unsigned char)g->text[from] & 0xC0) == 0x80)
            from--;
    }
    n = lb_utf8_decode(
        (const unsigned char *)g->text + from, g->len - from, NULL);
    if (n == 0)
        return false;
    return pcre2_match(g->sep,
                       (PCRE2_SPTR)g->text + from,
                       n,
                       0,
                       PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK,
                       g->sep_md,
                       NULL) > 0;
}

/* ParameterTypeMatcher.advanceTo: the first full-word match from `pos`. */
static void advance_to(struct gen *g, struct ptm *m, size_t pos)
{
    PCRE2_SIZE *ov;
    size_t p, start, len;
    int rc;

    m->found = false;
    for (p = pos; p < g->len; p++) {
        if (((unsigned char)g->text[p] & 0xC0) == 0x80)
            continue; /* not a character start */
        /* the official matcher runs on text.slice(p) */
        rc = pcre2_match(m->code,
                         (PCRE2_SPTR)g->text + p,
                         g->len - p,
                         0,
                         PCRE2_NO_UTF_CHECK,
                         m->md,
                         NULL);
        if (rc <= 0)
            continue;
        ov = pcre2_get_ovector_pointer(m->md);
        start = p + ov[0];
        len = ov[1] - ov[0];
        if (len == 0)
            continue;
        if (start != 0 && !is_boundary(g, start, true))
            continue;
        if (start + len != g->len && !is_boundary(g, start + len, false))
            continue;
        m->found = true;
        m->start = start;
        m->len = len;
        return;
    }
}

static int ptm_compare(const struct ptm *a, const struct ptm *b)
{
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    return 0;
}

/* ParameterType.compare, as in the registry. */
static int type_compare(const struct lb_param_type *a,
                        const struct lb_param_type *b)
{
    if (a->prefer_for_regexp_match != b->prefer_for_regexp_match)
        return a->prefer_for_regexp_match ? -1 : 1;
    return strcmp(a->name, b->name);
}

static void gen_release(struct gen *g)
{
    size_t i;

    for (i = 0; i < g->matchers.len; i++) {
        pcre2_match_data_free(g->matchers.items[i].md);
        pcre2_code_free(g->matchers.items[i].code);
    }
    lb_vec_release(&g->matchers);
    pcre2_match_data_free(g->sep_md);
    pcre2_code_free(g->sep);
    pcre2_general_context_free(g->gctx);
}

static int
gen_init(struct gen *g, const struct lb_param_registry *reg, const char *text)
{
    const struct lb_param_type *t;
    struct lb_buf re = LB_BUF_INIT;
    struct ptm m;
    char msg[128];
    size_t i, j, off;
    static const char sep[] = "\\p{Z}|\\p{P}|\\p{S}";

    memset(g, 0, sizeof(*g));
    g->text = text;
    g->len = strlen(text);
    g->gctx = lb__pcre2_gctx_new();
    if (g->gctx == NULL)
        return LB_ENOMEM;
    g->sep =
        lb__pcre2_compile(sep, strlen(sep), g->gctx, msg, sizeof(msg), &off);
    if (g->sep == NULL)
        return LB_ENOMEM;
    g->sep_md = pcre2_match_data_create_from_pattern(g->sep, g->gctx);
    if (g->sep_md == NULL)
        return LB_ENOMEM;
    for (i = 0; i < lb_param_registry_count(reg); i++) {
        t = lb_param_registry_at(reg, i);
        if (!t->use_for_snippets)
            continue;
        for (j = 0; j < t->regexp_count; j++) {
            memset(&m, 0, sizeof(m));
            m.type = t;
            lb_buf_reset(&re);
            (void)lb_buf_addf(&re, "(%s)", t->regexps[j]);
            m.code = lb__pcre2_compile(
                re.ptr, re.len, g->gctx, msg, sizeof(msg), &off);
            if (m.code == NULL) {
                if (off == SIZE_MAX)
                    goto oom;
                continue; /* checked at definition: cannot happen */
            }
            m.md = pcre2_match_data_create_from_pattern(m.code, g->gctx);
            if (m.md == NULL || lb_vec_push(&g->matchers, m) != 0) {
                pcre2_match_data_free(m.md);
                pcre2_code_free(m.code);
                goto oom;
            }
        }
    }
    lb_buf_release(&re);
    return 0;
oom:
    lb_buf_release(&re);
    return LB_ENOMEM;
}

/* escapeText: "(" "{" "/" get a backslash. */
static void escape_text(struct lb_buf *b, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] == '(' || s[i] == '{' || s[i] == '/')
            (void)lb_buf_addch(b, '\\');
        (void)lb_buf_addch(b, s[i]);
    }
}

/* One slot of the template: the literal text before it and its types. */
struct slot {
    size_t text_start;
    size_t text_len; /* into the escaped template text `lits` */
    const struct lb_param_type **types;
    size_t ntypes;
};

struct combos {
    struct lb_buf lits;
    LB_VEC(struct slot) slots;
    size_t tail_start; /* the literal text after the last slot */
    size_t tail_len;
    LB_VEC(struct lb_generated_expr) out;
    const struct lb_param_type **current;
};

static int emit(struct combos *c)
{
    struct lb_generated_expr g;
    struct lb_buf b = LB_BUF_INIT;
    size_t i;

    memset(&g, 0, sizeof(g));
    for (i = 0; i < c->slots.len; i++) {
        (void)lb_buf_add(&b,
                         c->lits.ptr + c->slots.items[i].text_start,
                         c->slots.items[i].text_len);
        (void)lb_buf_addf(&b, "{%s}", c->current[i]->name);
    }
    (void)lb_buf_add(&b, c->lits.ptr + c->tail_start, c->tail_len);
    g.param_count = c->slots.len;
    g.param_types = lb_calloc(c->slots.len + 1, sizeof(*g.param_types));
    if (g.param_types == NULL) {
        lb_buf_release(&b);
        return LB_ENOMEM;
    }
    memcpy(g.param_types, c->current, c->slots.len * sizeof(*c->current));
    g.source = lb_buf_detach(&b, NULL);
    if (lb_vec_push(&c->out, g) != 0) {
        lb_free(g.source);
        lb_free(g.param_types);
        return LB_ENOMEM;
    }
    return 0;
}

/*
 * generatePermutations, as an odometer (the last slot turns fastest) so a
 * text with thousands of numbers cannot exhaust the stack.
 */
static int permute(struct combos *c)
{
    size_t *idx, k = c->slots.len, d;
    int rc = 0;

    idx = lb_calloc(k + 1, sizeof(*idx));
    if (idx == NULL)
        return LB_ENOMEM;
    while (rc == 0 && c->out.len < MAX_EXPRESSIONS) {
        for (d = 0; d < k; d++)
            c->current[d] = c->slots.items[d].types[idx[d]];
        rc = emit(c);
        for (d = k; d > 0; d--) {
            if (++idx[d - 1] < c->slots.items[d - 1].ntypes)
                break;
            idx[d - 1] = 0;
        }
        if (d == 0)
            break; /* every combination given */
    }
    lb_free(idx);
    return rc;
}

/* Fills the template slots (generateExpressions' main loop). */
static int find_slots(struct gen *g, struct combos *c)
{
    struct ptm *best, *m;
    struct slot s;
    size_t pos = 0, i, j, k;
    int rc = 0;

    for (;;) {
        best = NULL;
        for (i = 0; i < g->matchers.len; i++) {
            m = &g->matchers.items[i];
            advance_to(g, m, pos);
            if (m->found && (best == NULL || ptm_compare(m, best) < 0))
                best = m;
        }
        if (best == NULL)
            break;
        memset(&s, 0, sizeof(s));
        s.types = lb_calloc(g->matchers.len, sizeof(*s.types));
        if (s.types == NULL)
            return LB_ENOMEM;
        /* all the best matchers are candidates, without duplicates */
        for (i = 0; i < g->matchers.len; i++) {
            m = &g->matchers.items[i];
            if (!m->found || ptm_compare(m, best) != 0)
                continue;
            for (j = 0; j < s.ntypes && s.types[j] != m->type; j++)
                ;
            if (j < s.ntypes)
                continue;
            /* sorted insert: preferential first, then by name */
            for (k = s.ntypes;
                 k > 0 && type_compare(s.types[k - 1], m->type) > 0;
                 k--)
                s.types[k] = s.types[k - 1];
            s.types[k] = m->type;
            s.ntypes++;
        }
        s.text_start = c->lits.len;
        escape_text(&c->lits, g->text + pos, best->start - pos);
        s.text_len = c->lits.len - s.text_start;
        if (lb_vec_push(&c->slots, s) != 0) {
            lb_free((void *)s.types);
            return LB_ENOMEM;
        }
        pos = best->start + best->len;
        if (pos >= g->len)
            break;
    }
    c->tail_start = c->lits.len;
    escape_text(&c->lits, g->text + pos, g->len - pos);
    c->tail_len = c->lits.len - c->tail_start;
    return rc;
}

void lb_generated_exprs_free(struct lb_generated_expr *exprs, size_t count)
{
    size_t i;

    if (exprs == NULL)
        return;
    for (i = 0; i < count; i++) {
        lb_free(exprs[i].source);
        lb_free((void *)exprs[i].param_types);
    }
    lb_free(exprs);
}

int lb_generate_expressions(const struct lb_param_registry *reg,
                            const char *text,
                            struct lb_generated_expr **out,
                            size_t *count)
{
    struct gen g;
    struct combos c;
    size_t i;
    int rc;

    *out = NULL;
    *count = 0;
    memset(&c, 0, sizeof(c));
    lb_buf_init(&c.lits, 0);
    rc = gen_init(&g, reg, text);
    if (rc == 0 && !lb_utf8_valid(text, g.len))
        rc = LB_EINVAL;
    /* the search is quadratic: a huge text gets no parameters, not a hang */
    if (rc == 0 && g.len <= MAX_TEXT)
        rc = find_slots(&g, &c);
    else if (rc == 0) {
        escape_text(&c.lits, text, g.len);
        c.tail_len = c.lits.len;
    }
    if (rc == 0) {
        c.current = lb_calloc(c.slots.len + 1, sizeof(*c.current));
        rc = c.current == NULL ? LB_ENOMEM : permute(&c);
    }
    if (rc == 0) {
        *out = c.out.items;
        *count = c.out.len;
        c.out.items = NULL;
        c.out.len = 0;
    }
    lb_generated_exprs_free(c.out.items, c.out.len);
    for (i = 0; i < c.slots.len; i++)
        lb_free((void *)c.slots.items[i].types);
    lb_vec_release(&c.slots);
    lb_free((void *)c.current);
    lb_buf_release(&c.lits);
    gen_release(&g);
    return rc;
}

void lb_snippet_set_release(struct lb_snippet_set *set)
{
    size_t i;

    for (i = 0; i < set->count; i++) {
        lb_free(set->names[i]);
        lb_free(set->exprs[i]);
    }
    lb_free(set->names);
    lb_free(set->exprs);
    memset(set, 0, sizeof(*set));
}

static bool set_has(char *const *list, size_t count, const char *s)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static int
set_add(struct lb_snippet_set *set, const char *name, const char *expr)
{
    char **names, **exprs;
    size_t cap;

    if (set->count == set->cap) {
        cap = set->cap ? 2 * set->cap : 8;
        names = lb_realloc(set->names, cap * sizeof(*names));
        if (names == NULL)
            return LB_ENOMEM;
        set->names = names;
        exprs = lb_realloc(set->exprs, cap * sizeof(*exprs));
        if (exprs == NULL)
            return LB_ENOMEM;
        set->exprs = exprs;
        set->cap = cap;
    }
    set->names[set->count] = lb_strdup(name);
    set->exprs[set->count] = lb_strdup(expr);
    if (set->names[set->count] == NULL || set->exprs[set->count] == NULL) {
        lb_free(set->names[set->count]);
        lb_free(set->exprs[set->count]);
        return LB_ENOMEM;
    }
    set->count++;
    return 0;
}

/* "I have {int} cukes" -> "step_i_have_int_cukes" (at most ~64 chars). */
static void function_name(const char *expr, struct lb_buf *out)
{
    const char *p;
    bool sep = false;
    char ch;

    (void)lb_buf_adds(out, "step");
    for (p = expr; *p != '\0' && out->len < 64; p++) {
        ch = *p;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (sep || out->len == 4)
                (void)lb_buf_addch(out, '_');
            (void)lb_buf_addch(out, ch);
            sep = false;
        } else {
            sep = true;
        }
    }
    if (out->len == 4)
        (void)lb_buf_adds(out, "_undefined");
}

/* The C declaration of argument `i` of type `t`. */
static void
arg_line(struct lb_buf *b, const struct lb_param_type *t, size_t i, size_t n)
{
    struct lb_buf name = LB_BUF_INIT;
    const char *p;

    if (t->name[0] == '\0')
        (void)lb_buf_adds(&name, "arg");
    for (p = t->name; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9' && name.len > 0))
            (void)lb_buf_addch(&name, *p);
        else
            (void)lb_buf_addch(&name, '_');
    }
    switch (t->kind) {
    case LB_PARAM_INT:
        (void)lb_buf_addf(b,
                          "    long long %s%zu = lb_step_arg_int(s, %zu);\n",
                          name.ptr,
                          n,
                          i);
        break;
    case LB_PARAM_FLOAT:
        (void)lb_buf_addf(b,
                          "    double %s%zu = lb_step_arg_double(s, %zu);\n",
                          name.ptr,
                          n,
                          i);
        break;
    case LB_PARAM_CUSTOM:
        (void)lb_buf_addf(b,
                          "    void *%s%zu = lb_step_arg_value(s, %zu);\n",
                          name.ptr,
                          n,
                          i);
        break;
    default:
        (void)lb_buf_addf(b,
                          "    const char *%s%zu = lb_step_arg_str(s, %zu);\n",
                          name.ptr,
                          n,
                          i);
        break;
    }
    lb_buf_release(&name);
}

static void c_string(struct lb_buf *b, const char *s)
{
    (void)lb_buf_addch(b, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\')
            (void)lb_buf_addch(b, '\\');
        (void)lb_buf_addch(b, *s);
    }
    (void)lb_buf_addch(b, '"');
}

int lb_snippet_build(const struct lb_param_registry *reg,
                     const char *text,
                     bool has_table,
                     bool has_doc_string,
                     struct lb_snippet_set *set,
                     struct lb_buf *out,
                     bool *duplicate,
                     struct lb_error *err)
{
    struct lb_generated_expr *exprs = NULL;
    struct lb_buf base = LB_BUF_INIT, name = LB_BUF_INIT;
    const struct lb_generated_expr *g;
    size_t count = 0, i, j, n, suffix = 1;
    int rc;

    if (duplicate != NULL)
        *duplicate = false;
    rc = lb_generate_expressions(reg, text, &exprs, &count);
    if (rc != 0) {
        return rc == LB_ENOMEM
                   ? lb_error_set(err, LB_ENOMEM, "out of memory")
                   : lb_error_set(err,
                                  rc,
                                  "cannot make a snippet for step '%s': not "
                                  "valid UTF-8",
                                  text);
    }
    g = &exprs[0];
    if (set != NULL && set_has(set->exprs, set->count, g->source)) {
        if (duplicate != NULL)
            *duplicate = true;
        goto out;
    }
    function_name(g->source, &base);
    (void)lb_buf_add(&name, base.ptr, base.len);
    while (set != NULL && set_has(set->names, set->count, name.ptr)) {
        lb_buf_reset(&name);
        (void)lb_buf_addf(&name, "%s_%zu", base.ptr, ++suffix);
    }
    (void)lb_buf_addf(out, "static int %s(struct lb_step *s)\n{\n", name.ptr);
    for (i = 0; i < g->param_count; i++) {
        /* N counts the uses of each parameter type name, from 1 */
        for (n = 1, j = 0; j < i; j++)
            if (strcmp(g->param_types[j]->name, g->param_types[i]->name) == 0)
                n++;
        arg_line(out, g->param_types[i], i, n);
    }
    if (has_table)
        (void)lb_buf_adds(out,
                          "    const struct lb_table *table = "
                          "lb_step_table(s);\n");
    if (has_doc_string)
        (void)lb_buf_adds(out,
                          "    const char *doc_string = "
                          "lb_step_doc_string(s);\n");
    if (g->param_count > 0 || has_table || has_doc_string)
        (void)lb_buf_addch(out, '\n');
    (void)lb_buf_adds(out,
                      "    return lb_step_pending(s, \"TODO: implement this "
                      "step\");\n}\nLB_STEP(");
    c_string(out, g->source);
    (void)lb_buf_addf(out, ", %s);\n", name.ptr);
    if (set != NULL && set_add(set, name.ptr, g->source) != 0)
        rc = lb_error_set(err, LB_ENOMEM, "out of memory");
out:
    lb_buf_release(&base);
    lb_buf_release(&name);
    lb_generated_exprs_free(exprs, count);
    return rc;
}
