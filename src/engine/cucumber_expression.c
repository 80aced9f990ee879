/*
 * Cucumber Expressions and regular expressions (see cucumber_expression.h):
 * a port of the official tokenizer, parser and regex translation of
 * cucumber-expressions, its TreeRegexp group tree, and matching with PCRE2.
 */
#include "engine/cucumber_expression.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/vec.h"
#include "engine/expr_internal.h"
#include "engine/parameter_type.h"
#include "engine/snippet.h"

struct lb_expr {
    enum lb_expr_kind kind;
    char *source;
    char *regex;
    pcre2_general_context *gctx;
    pcre2_code *code;
    pcre2_match_data *md;
    size_t group_count;      /* 1 + capture groups */
    struct lb_group *tmpl;   /* the tree links, per group */
    struct lb_group *groups; /* scratch filled by each match */
    size_t arg_count;
    int *arg_groups; /* group index of each argument */
    const struct lb_param_type **arg_types;
    struct lb_param_type *synth; /* types of untyped regex groups */
    char **synth_regexps;        /* their regexps (group sources) */
    char *ambiguous; /* non-NULL: the ambiguity error's first part */
    const struct lb_param_registry *reg; /* for its suggestions */
    char *prefix;                        /* required literal prefix, or NULL */
    size_t prefix_len;
    char *suffix; /* required literal suffix, or NULL */
    size_t suffix_len;
    struct lb__literal *runs; /* other required literals, longest first */
    size_t nruns;
    bool jit; /* JIT-compiled: matched with pcre2_jit_match */
};

/* ------------------------------------------------------------------ */
/* Tokenizer and parser, after CucumberExpressionTokenizer / Parser.   */

enum tok_type {
    T_SOL,
    T_EOL,
    T_WS,
    T_BOPT,
    T_EOPT,
    T_BPARAM,
    T_EPARAM,
    T_ALT,
    T_TEXT
};

struct token {
    enum tok_type type;
    const char *text; /* arena, NUL-terminated */
    size_t text_len;
    int start; /* code point indices */
    int end;
};

enum node_type {
    N_TEXT,
    N_OPTIONAL,
    N_ALTERNATION,
    N_ALTERNATIVE,
    N_PARAMETER,
    N_EXPRESSION
};

struct node {
    enum node_type type;
    struct node **nodes; /* NULL for a token node */
    size_t n;
    const char *token; /* text and separator nodes */
    size_t token_len;
    int start;
    int end;
};

struct node_list {
    struct node **items;
    size_t n;
    size_t cap;
};

/* Deepest nesting of optionals the parser follows. */
#define MAX_DEPTH 100

struct pctx {
    const char *expr;
    struct lb_arena arena;
    struct token *tokens;
    size_t ntokens;
    struct lb_expr_problem *problem;
    char what[512]; /* the problem sentence, for the one-line error */
    int depth;      /* nesting of parse_between, bounded (recursion) */
    bool oom;
};

/*
 * How many bytes of `s` an error message quotes: all of it, or the first
 * 200 without cutting a UTF-8 sequence (the message then adds "...").
 */
static int quoted_len(const char *s, size_t n)
{
    if (n <= 200)
        return (int)n;
    n = 200;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

#define QUOTE_N(s, n) quoted_len((s), (n)), (s), (n) > 200 ? "..." : ""
#define QUOTE(s)      QUOTE_N(s, strlen(s))

/* Records an official error; returns -1 for the parse functions. */
static int problem_at(struct pctx *c,
                      enum lb_expr_problem_kind kind,
                      int index,
                      int ptr_start,
                      int ptr_end,
                      const char *what,
                      const char *solution)
{
    struct lb_buf b = LB_BUF_INIT;
    int i;

    if (c->problem->kind != LB_EXPR_OK)
        return -1;
    c->problem->kind = kind;
    c->problem->column = index + 1;
    (void)snprintf(c->what, sizeof(c->what), "%s", what);
    (void)lb_buf_addf(&b,
                      "This Cucumber Expression has a problem at column "
                      "%d:\n\n%s\n",
                      index + 1,
                      c->expr);
    /* pointAt / pointAtLocated */
    for (i = 0; i < ptr_start; i++)
        (void)lb_buf_addch(&b, ' ');
    (void)lb_buf_addch(&b, '^');
    if (ptr_end >= 0 && ptr_start + 1 < ptr_end) {
        for (i = ptr_start + 1; i < ptr_end - 1; i++)
            (void)lb_buf_addch(&b, '-');
        (void)lb_buf_addch(&b, '^');
    }
    (void)lb_buf_addf(&b, "\n%s.\n%s", what, solution);
    (void)snprintf(
        c->problem->official, sizeof(c->problem->official), "%s", b.ptr);
    lb_buf_release(&b);
    return -1;
}

static int problem_node(struct pctx *c,
                        const struct node *n,
                        const char *what,
                        const char *solution)
{
    return problem_at(
        c, LB_EXPR_E_SYNTAX, n->start, n->start, n->end, what, solution);
}

static int problem_token(struct pctx *c,
                         const struct token *t,
                         const char *what,
                         const char *solution)
{
    return problem_at(
        c, LB_EXPR_E_SYNTAX, t->start, t->start, t->end, what, solution);
}

static enum tok_type type_of(unsigned cp)
{
    switch (cp) {
    case ' ':
        return T_WS;
    case '/':
        return T_ALT;
    case '{':
        return T_BPARAM;
    case '}':
        return T_EPARAM;
    case '(':
        return T_BOPT;
    case ')':
        return T_EOPT;
    default:
        return T_TEXT;
    }
}

static bool can_escape(unsigned cp)
{
    return cp == ' ' || cp == '\\' || cp == '/' || cp == '{' || cp == '}' ||
           cp == '(' || cp == ')';
}

struct tokenizer {
    struct pctx *c;
    struct lb_buf buf; /* bytes of the pending token */
    int buf_cps;       /* code points in it */
    int buf_start;
    int escaped;
    size_t cap;
};

static int push_token(struct tokenizer *tz,
                      enum tok_type type,
                      const char *text,
                      size_t len,
                      int start,
                      int end)
{
    struct pctx *c = tz->c;
    struct token *nt;

    if (c->ntokens == tz->cap) {
        tz->cap = tz->cap ? 2 * tz->cap : 16;
        nt = lb_arena_alloc(&c->arena, tz->cap * sizeof(*nt));
        if (nt == NULL)
            return -1;
        if (c->ntokens > 0)
            memcpy(nt, c->tokens, c->ntokens * sizeof(*nt));
        c->tokens = nt;
    }
    nt = &c->tokens[c->ntokens++];
    nt->type = type;
    nt->text = lb_arena_strndup(&c->arena, text, len);
    nt->text_len = len;
    nt->start = start;
    nt->end = end;
    return nt->text == NULL ? -1 : 0;
}

/* convertBufferToToken */
static int flush_token(struct tokenizer *tz, enum tok_type type)
{
    int escape_tokens = 0;
    int consumed;
    int rc;

    if (type == T_TEXT) {
        escape_tokens = tz->escaped;
        tz->escaped = 0;
    }
    consumed = tz->buf_start + tz->buf_cps + escape_tokens;
    rc =
        push_token(tz, type, tz->buf.ptr, tz->buf.len, tz->buf_start, consumed);
    lb_buf_reset(&tz->buf);
    tz->buf_cps = 0;
    tz->buf_start = consumed;
    return rc;
}

static int tokenize(struct pctx *c)
{
    struct tokenizer tz;
    const unsigned char *p = (const unsigned char *)c->expr;
    size_t len = strlen(c->expr), i = 0, n;
    enum tok_type prev = T_SOL, cur;
    bool as_text = false;
    unsigned cp;
    int count = 0, rc = 0;

    memset(&tz, 0, sizeof(tz));
    tz.c = c;
    lb_buf_init(&tz.buf, 0);
    if (len == 0 && push_token(&tz, T_SOL, "", 0, 0, 0) != 0)
        goto oom;
    while (i < len) {
        n = lb_utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            rc = problem_at(c,
                            LB_EXPR_E_SYNTAX,
                            count,
                            count,
                            -1,
                            "Invalid UTF-8",
                            "Write the expression in UTF-8");
            goto out;
        }
        count++;
        if (!as_text && cp == '\\') {
            tz.escaped++;
            as_text = true;
            i += n;
            continue;
        }
        if (as_text) {
            if (!can_escape(cp)) {
                /* createCantEscaped */
                int at = tz.buf_start + tz.buf_cps + tz.escaped;
                rc = problem_at(c,
                                LB_EXPR_E_SYNTAX,
                                at,
                                at,
                                -1,
                                "Only the characters '{', '}', '(', ')', "
                                "'\\', '/' and whitespace can be escaped",
                                "If you did mean to use an '\\' you can use "
                                "'\\\\' to escape it");
                goto out;
            }
            cur = T_TEXT;
        } else {
            cur = type_of(cp);
        }
        as_text = false;
        if (cur != prev || (cur != T_WS && cur != T_TEXT)) {
            if (flush_token(&tz, prev) != 0)
                goto oom;
        }
        prev = cur;
        (void)lb_buf_add(&tz.buf, p + i, n);
        tz.buf_cps++;
        i += n;
    }
    if (tz.buf_cps > 0 && flush_token(&tz, prev) != 0)
        goto oom;
    if (as_text) {
        /* createTheEndOfLIneCanNotBeEscaped */
        rc = problem_at(c,
                        LB_EXPR_E_SYNTAX,
                        count - 1,
                        count - 1,
                        -1,
                        "The end of line can not be escaped",
                        "You can use '\\\\' to escape the '\\'");
        goto out;
    }
    if (push_token(&tz, T_EOL, "", 0, count, count) != 0)
        goto oom;
    goto out;
oom:
    c->oom = true;
    rc = -1;
out:
    lb_buf_release(&tz.buf);
    return rc;
}

static struct node *node_new(struct pctx *c,
                             enum node_type type,
                             struct node_list *children,
                             const struct token *t,
                             int start,
                             int end)
{
    struct node *n = lb_arena_alloc(&c->arena, sizeof(*n));

    if (n == NULL) {
        c->oom = true;
        return NULL;
    }
    n->type = type;
    if (children != NULL) {
        n->nodes = children->items;
        n->n = children->n;
    }
    if (t != NULL) {
        n->token = t->text;
        n->token_len = t->text_len;
    }
    n->start = start;
    n->end = end;
    return n;
}

static int list_push(struct pctx *c, struct node_list *l, struct node *n)
{
    struct node **items;

    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4;
        items = lb_arena_alloc(&c->arena, l->cap * sizeof(*items));
        if (items == NULL) {
            c->oom = true;
            return -1;
        }
        if (l->n > 0)
            memcpy(items, l->items, l->n * sizeof(*items));
        l->items = items;
    }
    l->items[l->n++] = n;
    return 0;
}

/* A parser: returns tokens consumed (0 = not applicable) or -1 (error). */
typedef int (*parse_fn)(struct pctx *c, size_t current, struct node **out);

static bool looking_at(const struct pctx *c, long at, enum tok_type type)
{
    if (at < 0)
        return type == T_SOL;
    if ((size_t)at >= c->ntokens)
        return type == T_EOL;
    return c->tokens[at].type == type;
}

static int parse_tokens_until(struct pctx *c,
                              const parse_fn *parsers,
                              size_t nparsers,
                              size_t start,
                              const enum tok_type *ends,
                              size_t nends,
                              struct node_list *ast);

static const char *symbol_of(enum tok_type t)
{
    switch (t) {
    case T_BOPT:
        return "(";
    case T_EOPT:
        return ")";
    case T_BPARAM:
        return "{";
    case T_EPARAM:
        return "}";
    case T_ALT:
        return "/";
    default:
        return "";
    }
}

static const char *purpose_of(enum tok_type t)
{
    switch (t) {
    case T_BOPT:
    case T_EOPT:
        return "optional text";
    case T_BPARAM:
    case T_EPARAM:
        return "a parameter";
    case T_ALT:
        return "alternation";
    default:
        return "";
    }
}

/* parseBetween */
static int parse_between(struct pctx *c,
                         size_t current,
                         struct node **out,
                         enum node_type type,
                         enum tok_type begin,
                         enum tok_type end,
                         const parse_fn *parsers,
                         size_t nparsers)
{
    struct node_list ast = {NULL, 0, 0};
    enum tok_type ends[2];
    char what[128], solution[192];
    size_t sub;
    int consumed;

    if (!looking_at(c, (long)current, begin))
        return 0;
    /* not official: a bound so "((((..." cannot exhaust the stack */
    if (c->depth >= MAX_DEPTH)
        return problem_token(c,
                             &c->tokens[current],
                             "Optional text is nested too deeply",
                             "Use a regular expression instead");
    ends[0] = end;
    ends[1] = T_EOL;
    sub = current + 1;
    c->depth++;
    consumed = parse_tokens_until(c, parsers, nparsers, sub, ends, 2, &ast);
    c->depth--;
    if (consumed < 0)
        return -1;
    sub += (size_t)consumed;
    if (!looking_at(c, (long)sub, end)) {
        /* createMissingEndToken */
        (void)snprintf(what,
                       sizeof(what),
                       "The '%s' does not have a matching '%s'",
                       symbol_of(begin),
                       symbol_of(end));
        (void)snprintf(solution,
                       sizeof(solution),
                       "If you did not intend to use %s you can use '\\%s' "
                       "to escape the %s",
                       purpose_of(begin),
                       symbol_of(begin),
                       purpose_of(begin));
        return problem_token(c, &c->tokens[current], what, solution);
    }
    *out = node_new(
        c, type, &ast, NULL, c->tokens[current].start, c->tokens[sub].end);
    if (*out == NULL)
        return -1;
    return (int)(sub + 1 - current);
}

/* text := whitespace | ')' | '}' | . */
static int parse_text(struct pctx *c, size_t current, struct node **out)
{
    const struct token *t = &c->tokens[current];

    switch (t->type) {
    case T_WS:
    case T_TEXT:
    case T_EPARAM:
    case T_EOPT:
        *out = node_new(c, N_TEXT, NULL, t, t->start, t->end);
        return *out == NULL ? -1 : 1;
    case T_ALT:
        return problem_token(
            c,
            t,
            "An alternation can not be used inside an "
            "optional",
            "If you did not mean to use an alternation you can use '\\/' to "
            "escape the '/'. Otherwise rephrase your expression or "
            "consider using a regular expression instead.");
    default:
        return 0;
    }
}

/* name := whitespace | . */
static int parse_name(struct pctx *c, size_t current, struct node **out)
{
    const struct token *t = &c->tokens[current];

    switch (t->type) {
    case T_WS:
    case T_TEXT:
        *out = node_new(c, N_TEXT, NULL, t, t->start, t->end);
        return *out == NULL ? -1 : 1;
    case T_BOPT:
    case T_EOPT:
    case T_BPARAM:
    case T_EPARAM:
    case T_ALT:
        return problem_token(c,
                             t,
                             "Parameter names may not contain '{', '}', '(', "
                             "')', '\\' or '/'",
                             "Did you mean to use a regular expression?");
    default:
        return 0;
    }
}

static int parse_parameter(struct pctx *c, size_t current, struct node **out)
{
    static const parse_fn parsers[] = {parse_name};

    return parse_between(
        c, current, out, N_PARAMETER, T_BPARAM, T_EPARAM, parsers, 1);
}

static int parse_optional(struct pctx *c, size_t current, struct node **out);

static const parse_fn optional_parsers[] = {
    parse_optional, parse_parameter, parse_text};

/* optional := '(' + option* + ')' */
static int parse_optional(struct pctx *c, size_t current, struct node **out)
{
    return parse_between(
        c, current, out, N_OPTIONAL, T_BOPT, T_EOPT, optional_parsers, 3);
}

static int
parse_alternative_separator(struct pctx *c, size_t current, struct node **out)
{
    const struct token *t;

    if (!looking_at(c, (long)current, T_ALT))
        return 0;
    t = &c->tokens[current];
    *out = node_new(c, N_ALTERNATIVE, NULL, t, t->start, t->end);
    return *out == NULL ? -1 : 1;
}

/* splitAlternatives + createAlternativeNodes */
static struct node *split_alternatives(struct pctx *c,
                                       int start,
                                       int end,
                                       const struct node_list *ast)
{
    struct node_list alternatives = {NULL, 0, 0};
    struct node_list cur = {NULL, 0, 0};
    const struct node *left = NULL;
    struct node *alt;
    size_t i;
    int astart, aend;

    for (i = 0; i <= ast->n; i++) {
        if (i < ast->n && ast->items[i]->type != N_ALTERNATIVE) {
            if (list_push(c, &cur, ast->items[i]) != 0)
                return NULL;
            continue;
        }
        /* a separator (or the end) closes the current alternative */
        astart = left != NULL ? left->end : start;
        aend = i < ast->n ? ast->items[i]->start : end;
        alt = node_new(c, N_ALTERNATIVE, &cur, NULL, astart, aend);
        if (alt == NULL || list_push(c, &alternatives, alt) != 0)
            return NULL;
        /* an empty alternative still needs a non-NULL list */
        if (alt->nodes == NULL)
            alt->n = 0;
        memset(&cur, 0, sizeof(cur));
        if (i < ast->n)
            left = ast->items[i];
    }
    return node_new(c, N_ALTERNATION, &alternatives, NULL, start, end);
}

static const parse_fn alternative_parsers[] = {
    parse_alternative_separator, parse_optional, parse_parameter, parse_text};

/*
 * alternation := (?<=left-boundary) + alternative* + ( '/' + alternative* )+
 *                + (?=right-boundary)
 */
static int parse_alternation(struct pctx *c, size_t current, struct node **out)
{
    static const enum tok_type ends[] = {T_WS, T_EOL, T_BPARAM};
    struct node_list ast = {NULL, 0, 0};
    long previous = (long)current - 1;
    size_t i, sub;
    int consumed;
    bool any = false;

    if (!looking_at(c, previous, T_SOL) && !looking_at(c, previous, T_WS) &&
        !looking_at(c, previous, T_EPARAM))
        return 0;
    consumed =
        parse_tokens_until(c, alternative_parsers, 4, current, ends, 3, &ast);
    if (consumed < 0)
        return -1;
    sub = current + (size_t)consumed;
    for (i = 0; i < ast.n; i++)
        if (ast.items[i]->type == N_ALTERNATIVE)
            any = true;
    if (!any)
        return 0;
    *out = split_alternatives(
        c, c->tokens[current].start, c->tokens[sub].start, &ast);
    if (*out == NULL)
        return -1;
    return consumed;
}

static int parse_token(struct pctx *c,
                       const parse_fn *parsers,
                       size_t nparsers,
                       size_t at,
                       struct node **out)
{
    size_t i;
    int consumed;

    for (i = 0; i < nparsers; i++) {
        consumed = parsers[i](c, at, out);
        if (consumed != 0)
            return consumed;
    }
    LB_BUG("no eligible parser for token %zu of '%s'", at, c->expr);
}

static int parse_tokens_until(struct pctx *c,
                              const parse_fn *parsers,
                              size_t nparsers,
                              size_t start,
                              const enum tok_type *ends,
                              size_t nends,
                              struct node_list *ast)
{
    struct node *n = NULL;
    size_t current = start, i;
    int consumed;

    while (current < c->ntokens) {
        for (i = 0; i < nends; i++)
            if (looking_at(c, (long)current, ends[i]))
                break;
        if (i < nends)
            break;
        consumed = parse_token(c, parsers, nparsers, current, &n);
        if (consumed < 0)
            return -1;
        current += (size_t)consumed;
        if (list_push(c, ast, n) != 0)
            return -1;
    }
    return (int)(current - start);
}

static const parse_fn expression_parsers[] = {
    parse_alternation, parse_optional, parse_parameter, parse_text};

/* cucumber-expression := ( alternation | optional | parameter | text )* */
static struct node *parse_expression(struct pctx *c)
{
    struct node *root = NULL;

    if (tokenize(c) != 0)
        return NULL;
    if (parse_between(
            c, 0, &root, N_EXPRESSION, T_SOL, T_EOL, expression_parsers, 4) < 0)
        return NULL;
    return root;
}

static void dump_node(const struct node *n, struct lb_buf *out)
{
    static const char *const names[] = {"TEXT",
                                        "OPTIONAL",
                                        "ALTERNATION",
                                        "ALTERNATIVE",
                                        "PARAMETER",
                                        "EXPRESSION"};
    size_t i;

    (void)lb_buf_addf(out, "%s(%d,%d", names[n->type], n->start, n->end);
    if (n->type == N_TEXT) {
        (void)lb_buf_addf(out, ",\"%s\")", n->token);
        return;
    }
    (void)lb_buf_adds(out, ")[");
    for (i = 0; i < n->n; i++) {
        if (i > 0)
            (void)lb_buf_addch(out, ',');
        dump_node(n->nodes[i], out);
    }
    (void)lb_buf_addch(out, ']');
}

int lb__cexpr_ast_dump(const char *expression,
                       struct lb_buf *out,
                       struct lb_expr_problem *problem)
{
    struct node *root;
    struct pctx c;

    memset(&c, 0, sizeof(c));
    memset(problem, 0, sizeof(*problem));
    c.expr = expression;
    c.problem = problem;
    lb_arena_init(&c.arena, 0);
    root = parse_expression(&c);
    if (root != NULL)
        dump_node(root, out);
    lb_arena_release(&c.arena);
    return root != NULL ? 0 : LB_EINVAL;
}

/* ------------------------------------------------------------------ */
/* Translation to a regex, after CucumberExpression.rewriteToRegex.    */

/* The parameter types of a Cucumber Expression, in order. */
struct type_list {
    const struct lb_param_type **items;
    size_t len;
    size_t cap;
};

struct rctx {
    struct pctx *p;
    const struct lb_param_registry *reg;
    struct lb_buf *re;
    struct type_list params;
};

static int node_text(const struct node *n, struct lb_buf *out)
{
    size_t i;

    if (n->nodes != NULL && n->n > 0) {
        for (i = 0; i < n->n; i++)
            if (node_text(n->nodes[i], out) != 0)
                return -1;
        return 0;
    }
    return n->token != NULL ? lb_buf_add(out, n->token, n->token_len) : 0;
}

static int escape_regex(struct lb_buf *re, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (strchr("\\^[({$.|?*+})]", s[i]) != NULL && s[i] != '\0' &&
            lb_buf_addch(re, '\\') != 0)
            return -1;
        if (lb_buf_addch(re, s[i]) != 0)
            return -1;
    }
    return 0;
}

static bool has_type(const struct node *n, enum node_type type, size_t *at)
{
    size_t i;

    for (i = 0; i < n->n; i++)
        if (n->nodes[i]->type == type) {
            if (at != NULL)
                *at = i;
            return true;
        }
    return false;
}

static int rewrite(struct rctx *r, const struct node *n);

static int rewrite_children(struct rctx *r, const struct node *n, char sep)
{
    size_t i;

    for (i = 0; i < n->n; i++) {
        if (i > 0 && sep != '\0' && lb_buf_addch(r->re, sep) != 0)
            return -1;
        if (rewrite(r, n->nodes[i]) != 0)
            return -1;
    }
    return 0;
}

static int rewrite_optional(struct rctx *r, const struct node *n)
{
    size_t at;

    if (has_type(n, N_PARAMETER, &at))
        return problem_node(r->p,
                            n->nodes[at],
                            "An optional may not contain a parameter type",
                            "If you did not mean to use an parameter type "
                            "you can use '\\{' to escape the '{'");
    if (has_type(n, N_OPTIONAL, &at))
        return problem_node(r->p,
                            n->nodes[at],
                            "An optional may not contain an other optional",
                            "If you did not mean to use an optional type you "
                            "can use '\\(' to escape the '('. For more "
                            "complicated expressions consider using a "
                            "regular expression instead.");
    if (!has_type(n, N_TEXT, NULL))
        return problem_node(r->p,
                            n,
                            "An optional must contain some text",
                            "If you did not mean to use an optional you can "
                            "use '\\(' to escape the '('");
    (void)lb_buf_adds(r->re, "(?:");
    if (rewrite_children(r, n, '\0') != 0)
        return -1;
    return lb_buf_adds(r->re, ")?");
}

static int rewrite_alternation(struct rctx *r, const struct node *n)
{
    const struct node *alt;
    size_t i;

    for (i = 0; i < n->n; i++) {
        alt = n->nodes[i];
        if (alt->n == 0)
            return problem_node(r->p,
                                alt,
                                "Alternative may not be empty",
                                "If you did not mean to use an alternative "
                                "you can use '\\/' to escape the '/'");
        if (!has_type(alt, N_TEXT, NULL))
            return problem_node(r->p,
                                alt,
                                "An alternative may not exclusively contain "
                                "optionals",
                                "If you did not mean to use an optional you "
                                "can use '\\(' to escape the '('");
    }
    (void)lb_buf_adds(r->re, "(?:");
    if (rewrite_children(r, n, '|') != 0)
        return -1;
    return lb_buf_addch(r->re, ')');
}

static int rewrite_parameter(struct rctx *r, const struct node *n)
{
    struct lb_buf name = LB_BUF_INIT;
    const struct lb_param_type *t;
    char what[512], solution[512];
    size_t i;

    (void)node_text(n, &name);
    t = lb_param_registry_lookup(r->reg, name.ptr);
    if (t == NULL) {
        (void)snprintf(
            r->p->problem->name, sizeof(r->p->problem->name), "%s", name.ptr);
        (void)snprintf(
            what, sizeof(what), "Undefined parameter type '%s'", name.ptr);
        (void)snprintf(solution,
                       sizeof(solution),
                       "Please register a ParameterType for '%s'",
                       name.ptr);
        lb_buf_release(&name);
        return problem_at(r->p,
                          LB_EXPR_E_UNDEFINED_PARAMETER_TYPE,
                          n->start,
                          n->start,
                          n->end,
                          what,
                          solution);
    }
    lb_buf_release(&name);
    if (lb_vec_push(&r->params, t) != 0) {
        r->p->oom = true;
        return -1;
    }
    if (t->regexp_count == 1)
        return lb_buf_addf(r->re, "(%s)", t->regexps[0]);
    (void)lb_buf_adds(r->re, "((?:");
    for (i = 0; i < t->regexp_count; i++)
        (void)lb_buf_addf(r->re, "%s%s", i > 0 ? ")|(?:" : "", t->regexps[i]);
    return lb_buf_adds(r->re, "))");
}

static int rewrite(struct rctx *r, const struct node *n)
{
    switch (n->type) {
    case N_TEXT:
        return escape_regex(r->re, n->token, n->token_len);
    case N_OPTIONAL:
        return rewrite_optional(r, n);
    case N_ALTERNATION:
        return rewrite_alternation(r, n);
    case N_ALTERNATIVE:
        return rewrite_children(r, n, '\0');
    case N_PARAMETER:
        return rewrite_parameter(r, n);
    case N_EXPRESSION:
        (void)lb_buf_addch(r->re, '^');
        if (rewrite_children(r, n, '\0') != 0)
            return -1;
        return lb_buf_addch(r->re, '$');
    }
    return -1;
}

/*
 * Adds a required literal run (taking `b`'s text), keeping the list
 * longest first; an empty run or no memory adds nothing (the filters only
 * get weaker).
 */
static void add_run(struct lb_expr *e, struct lb_buf *b)
{
    struct lb__literal *runs, lit;
    size_t i;

    if (b->len == 0)
        return;
    runs = lb_realloc(e->runs, (e->nruns + 1) * sizeof(*runs));
    if (runs == NULL)
        return;
    e->runs = runs;
    lit.len = b->len;
    lit.s = lb_buf_detach(b, NULL);
    for (i = e->nruns; i > 0 && runs[i - 1].len < lit.len; i--)
        runs[i] = runs[i - 1];
    runs[i] = lit;
    e->nruns++;
}

/* The leading / trailing text nodes of the expression, unescaped. */
static int cucumber_literals(struct lb_expr *e, const struct node *root)
{
    struct lb_buf b = LB_BUF_INIT;
    size_t i, j;

    for (i = 0; i < root->n && root->nodes[i]->type == N_TEXT; i++)
        (void)node_text(root->nodes[i], &b);
    e->prefix_len = b.len;
    e->prefix = lb_buf_detach(&b, NULL);
    for (j = root->n; j > 0 && root->nodes[j - 1]->type == N_TEXT; j--)
        ;
    for (; j < root->n; j++)
        (void)node_text(root->nodes[j], &b);
    e->suffix_len = b.len;
    e->suffix = lb_buf_detach(&b, NULL);
    /* the runs of text nodes after the prefix */
    while (i < root->n) {
        if (root->nodes[i]->type != N_TEXT) {
            i++;
            continue;
        }
        lb_buf_reset(&b);
        while (i < root->n && root->nodes[i]->type == N_TEXT)
            (void)node_text(root->nodes[i++], &b);
        add_run(e, &b);
    }
    lb_buf_release(&b);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Regular expressions: literals and the TreeRegexp group tree.        */

static bool is_meta(char c)
{
    return strchr("\\^$.|?*+()[]{}", c) != NULL;
}

static bool is_quantifier(char c)
{
    return c == '?' || c == '*' || c == '+' || c == '{';
}

/* True when the regex has a '|' outside any group and character class. */
static bool top_level_alternation(const char *s)
{
    bool esc = false, cls = false;
    int depth = 0;

    for (; *s != '\0'; s++) {
        if (esc) {
            esc = false;
            continue;
        }
        if (*s == '\\')
            esc = true;
        else if (cls)
            cls = *s != ']';
        else if (*s == '[')
            cls = true;
        else if (*s == '(')
            depth++;
        else if (*s == ')')
            depth--;
        else if (*s == '|' && depth == 0)
            return true;
    }
    return false;
}

/*
 * False when literal text in the regex may not mean itself: a top-level
 * alternation, inline options such as (?i) or (?x), \Q...\E quoting.
 */
static bool literals_safe(const char *s)
{
    const char *p;

    if (top_level_alternation(s) || strstr(s, "\\Q") != NULL)
        return false;
    for (p = strstr(s, "(?"); p != NULL; p = strstr(p + 2, "(?"))
        if (p[2] != '\0' && strchr("imnsxJU-^)", p[2]) != NULL)
            return false;
    return true;
}

/*
 * The literal text an anchored regex must start / end with. Conservative:
 * plain characters and escaped punctuation only, stopping at anything
 * that could repeat, branch or change case.
 */
static int regex_literals(struct lb_expr *e)
{
    struct lb_buf b = LB_BUF_INIT;
    const char *s = e->source;
    size_t len = strlen(s), i, last, j, k, bs;

    if (literals_safe(s) && s[0] == '^') {
        i = 1;
        while (i < len) {
            last = b.len;
            if (s[i] == '\\' && i + 1 < len &&
                strchr("\\^$.|?*+()[]{}/-\"' ", s[i + 1]) != NULL)
            {
                (void)lb_buf_addch(&b, s[i + 1]);
                i += 2;
            } else if (!is_meta(s[i])) {
                /* a whole UTF-8 sequence */
                j = i + 1;
                while (j < len && ((unsigned char)s[j] & 0xC0) == 0x80)
                    j++;
                (void)lb_buf_add(&b, s + i, j - i);
                i = j;
            } else {
                break;
            }
            if (i < len && is_quantifier(s[i])) {
                lb_buf_setlen(&b, last);
                break;
            }
        }
    }
    e->prefix_len = b.len;
    e->prefix = lb_buf_detach(&b, NULL);
    if (literals_safe(s) && len >= 2 && s[len - 1] == '$') {
        /* `$` itself must not be escaped */
        for (bs = 0, k = len - 1; k > 0 && s[k - 1] == '\\'; k--)
            bs++;
        if (bs % 2 == 0) {
            for (j = len - 1; j > 0; j--) {
                if (is_meta(s[j - 1]))
                    break;
                for (bs = 0, k = j - 1; k > 0 && s[k - 1] == '\\'; k--)
                    bs++;
                if (bs % 2 == 1)
                    break;
            }
            /* a leading '^' is not text */
            (void)lb_buf_add(&b, s + j, len - 1 - j);
        }
    }
    e->suffix_len = b.len;
    e->suffix = lb_buf_detach(&b, NULL);
    return 0;
}

/* Index just past the group or class opening at s[i] ('(' or '['). */
static size_t skip_nested(const char *s, size_t i)
{
    bool esc = false, cls = s[i] == '[';
    int depth = cls ? 0 : 1;

    /* a ']' right after '[' or '[^' is literal */
    i++;
    if (cls && s[i] == '^')
        i++;
    if (cls && s[i] == ']')
        i++;
    for (; s[i] != '\0'; i++) {
        if (esc) {
            esc = false;
        } else if (s[i] == '\\') {
            esc = true;
        } else if (cls) {
            if (s[i] == ']') {
                if (depth == 0)
                    return i + 1;
                cls = false;
            }
        } else if (s[i] == '[') {
            cls = true;
            if (s[i + 1] == '^')
                i++;
            if (s[i + 1] == ']')
                i++;
        } else if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')' && --depth == 0) {
            return i + 1;
        }
    }
    return i;
}

/* Keeps `run` (unless it is the prefix) among the required literals. */
static void keep_run(struct lb_expr *e, struct lb_buf *run, bool is_prefix)
{
    if (!is_prefix)
        add_run(e, run);
    lb_buf_reset(run);
}

/*
 * The literal runs at the top level of the regex (outside groups and
 * classes), after the prefix: text every match must contain. A
 * quantified last character is not part of its run.
 */
static void regex_runs(struct lb_expr *e)
{
    struct lb_buf run = LB_BUF_INIT;
    const char *s = e->source;
    size_t i = 0, last = 0, j;
    bool at_prefix = s[0] == '^';

    if (!literals_safe(s))
        return;
    if (at_prefix)
        i = 1;
    while (s[i] != '\0') {
        if (s[i] == '\\' && s[i + 1] != '\0' &&
            strchr("\\^$.|?*+()[]{}/-\"' ", s[i + 1]) != NULL)
        {
            last = run.len;
            (void)lb_buf_addch(&run, s[i + 1]);
            i += 2;
        } else if (!is_meta(s[i])) {
            last = run.len;
            j = i + 1;
            while (((unsigned char)s[j] & 0xC0) == 0x80)
                j++;
            (void)lb_buf_add(&run, s + i, j - i);
            i = j;
        } else {
            if (is_quantifier(s[i]) && run.len > 0)
                lb_buf_setlen(&run, last);
            keep_run(e, &run, at_prefix);
            at_prefix = false;
            if (s[i] == '(' || s[i] == '[')
                i = skip_nested(s, i);
            else if (s[i] == '{')
                i = strchr(s + i, '}') != NULL
                        ? (size_t)(strchr(s + i, '}') - s) + 1
                        : strlen(s);
            else if (s[i] == '\\' && s[i + 1] != '\0')
                i += 2;
            else
                i++;
        }
    }
    keep_run(e, &run, at_prefix);
    lb_buf_release(&run);
}

enum paren_kind { P_CAPTURE, P_NONCAPTURE, P_UNSUPPORTED };

/* TreeRegexp.isNonCapturing, plus the PCRE2-only named forms. */
static enum paren_kind paren_kind(const char *s, size_t i)
{
    if (s[i + 1] == '*')
        return P_NONCAPTURE; /* (*VERB) */
    if (s[i + 1] != '?')
        return P_CAPTURE;
    if (s[i + 2] == '|' || s[i + 2] == '(')
        return P_UNSUPPORTED; /* branch reset, conditional */
    if (s[i + 2] == '\'' || (s[i + 2] == 'P' && s[i + 3] == '<'))
        return P_CAPTURE;
    if (s[i + 2] != '<')
        return P_NONCAPTURE;
    return s[i + 3] == '=' || s[i + 3] == '!' ? P_NONCAPTURE : P_CAPTURE;
}

struct paren {
    int group; /* capture number, or -1 */
    size_t open;
};

/*
 * Builds the group tree from the regex source (createGroupBuilder): each
 * capture group's parent is the nearest enclosing capture group, so the
 * pre-order of the tree is the capture numbering. Checks the count
 * against PCRE2's. Fills e->tmpl and the argument list.
 */
/* The state of the scan that builds the group tree. */
struct tree_builder {
    struct lb_expr *e;
    struct paren *stack; /* open parentheses */
    size_t depth;
    int *last_child; /* per group, its last child so far, or -1 */
    int next;        /* the next capture number */
    char **sources;  /* per group, its regexp source */
};

/* A '(' at s[i]: a capture group becomes the last child of its parent. */
static int open_group(struct tree_builder *tb, const char *s, size_t i)
{
    enum paren_kind k = paren_kind(s, i);
    struct lb_group *tmpl = tb->e->tmpl;
    int g = -1, parent = 0;
    long d;

    if (k == P_UNSUPPORTED)
        return LB_EINVAL;
    if (k == P_CAPTURE) {
        g = tb->next++;
        if ((size_t)g >= tb->e->group_count)
            return LB_EINVAL;
        for (d = (long)tb->depth - 1; d >= 0; d--)
            if (tb->stack[d].group >= 0) {
                parent = tb->stack[d].group;
                break;
            }
        if (tb->last_child[parent] < 0)
            tmpl[parent].first_child = g;
        else
            tmpl[tb->last_child[parent]].next_sibling = g;
        tb->last_child[parent] = g;
        tmpl[parent].child_count++;
    }
    tb->stack[tb->depth].group = g;
    tb->stack[tb->depth].open = i;
    tb->depth++;
    return 0;
}

/* A ')' at s[i]: a capture group's source is what it encloses. */
static int close_group(struct tree_builder *tb, const char *s, size_t i)
{
    const struct paren *p;

    if (tb->depth == 0)
        return 0;
    p = &tb->stack[--tb->depth];
    if (p->group < 0)
        return 0;
    tb->sources[p->group] = lb_strndup(s + p->open + 1, i - p->open - 1);
    return tb->sources[p->group] == NULL ? LB_ENOMEM : 0;
}

static int build_tree(struct lb_expr *e,
                      uint32_t captures,
                      char ***sources,
                      struct lb_error *err)
{
    struct tree_builder tb;
    const char *s = e->regex;
    size_t len = strlen(s), i;
    bool esc = false, cls = false;
    int rc = LB_ENOMEM;

    memset(&tb, 0, sizeof(tb));
    tb.e = e;
    tb.next = 1;
    e->group_count = (size_t)captures + 1;
    e->tmpl = lb_calloc(e->group_count, sizeof(*e->tmpl));
    e->groups = lb_calloc(e->group_count, sizeof(*e->groups));
    tb.sources = *sources = lb_calloc(e->group_count, sizeof(char *));
    tb.stack = lb_calloc(len + 1, sizeof(*tb.stack));
    tb.last_child = lb_calloc(e->group_count, sizeof(int));
    if (e->tmpl == NULL || e->groups == NULL || tb.sources == NULL ||
        tb.stack == NULL || tb.last_child == NULL)
        goto out;
    for (i = 0; i < e->group_count; i++) {
        e->tmpl[i].first_child = e->tmpl[i].next_sibling = -1;
        tb.last_child[i] = -1;
    }
    rc = 0;
    for (i = 0; i < len && rc == 0; i++) {
        if (s[i] == '[' && !esc)
            cls = true;
        else if (s[i] == ']' && !esc)
            cls = false;
        else if (s[i] == '(' && !esc && !cls)
            rc = open_group(&tb, s, i);
        else if (s[i] == ')' && !esc && !cls)
            rc = close_group(&tb, s, i);
        esc = s[i] == '\\' && !esc;
    }
    if (rc == 0 && (size_t)tb.next != e->group_count)
        rc = LB_EINVAL;
out:
    if (rc == LB_EINVAL)
        (void)lb_error_set(err,
                           LB_EINVAL,
                           "step pattern '%.*s%s' uses a group construct "
                           "whose capture groups cannot be mapped to "
                           "arguments (branch reset, conditional or "
                           "\\Q...\\E)",
                           QUOTE(e->source));
    else if (rc != 0)
        (void)lb_error_set(err, LB_ENOMEM, "out of memory");
    lb_free(tb.stack);
    lb_free(tb.last_child);
    return rc;
}

/* The arguments: the root's children, with their parameter types. */
static int collect_args(struct lb_expr *e,
                        char **sources,
                        const struct lb_param_type *const *cucumber_params,
                        const struct lb_param_registry *reg,
                        struct lb_error *err)
{
    const struct lb_param_type *const *types;
    struct lb_buf b = LB_BUF_INIT;
    size_t n = 0, count, k;
    int g;

    e->arg_count = (size_t)e->tmpl[0].child_count;
    e->arg_groups = lb_calloc(e->arg_count + 1, sizeof(*e->arg_groups));
    e->arg_types = lb_calloc(e->arg_count + 1, sizeof(*e->arg_types));
    e->synth = lb_calloc(e->arg_count + 1, sizeof(*e->synth));
    e->synth_regexps = lb_calloc(e->arg_count + 1, sizeof(char *));
    if (e->arg_groups == NULL || e->arg_types == NULL || e->synth == NULL ||
        e->synth_regexps == NULL)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    for (g = e->tmpl[0].first_child; g >= 0; g = e->tmpl[g].next_sibling) {
        e->arg_groups[n] = g;
        if (cucumber_params != NULL) {
            e->arg_types[n] = cucumber_params[n];
            n++;
            continue;
        }
        /* RegularExpression.match: lookupByRegexp(group source) */
        types = lb_param_registry_lookup_by_regexp(reg, sources[g], &count);
        if (types != NULL && (count == 1 || types[0]->prefer_for_regexp_match))
        {
            e->arg_types[n++] = types[0];
            continue;
        }
        if (types != NULL && e->ambiguous == NULL) {
            (void)lb_buf_addf(&b,
                              "Your Regular Expression /%s/ matches multiple "
                              "parameter types with regexp /%s/:",
                              e->source,
                              sources[g]);
            for (k = 0; k < count; k++)
                (void)lb_buf_addf(&b, " {%s}", types[k]->name);
            e->ambiguous = lb_buf_detach(&b, NULL);
            e->reg = reg;
        }
        e->synth_regexps[n] = sources[g];
        sources[g] = NULL;
        e->synth[n].name = NULL;
        e->synth[n].regexps = (const char *const *)&e->synth_regexps[n];
        e->synth[n].regexp_count = 1;
        e->synth[n].kind = LB_PARAM_REGEX_GROUP;
        e->synth[n].file = "";
        e->synth[n].index = SIZE_MAX;
        e->arg_types[n] = &e->synth[n];
        n++;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Compile, match, free.                                               */

enum lb_expr_kind lb_expr_kind_of(const char *pattern, enum lb_expr_kind kind)
{
    size_t len;

    if (kind != LB_EXPR_AUTO)
        return kind;
    len = strlen(pattern);
    if (len > 0 && (pattern[0] == '^' || pattern[len - 1] == '$'))
        return LB_EXPR_REGEX;
    return LB_EXPR_CUCUMBER;
}

void lb_expr_free(struct lb_expr *e)
{
    size_t i;

    if (e == NULL)
        return;
    pcre2_match_data_free(e->md);
    pcre2_code_free(e->code);
    pcre2_general_context_free(e->gctx);
    if (e->synth_regexps != NULL)
        for (i = 0; i < e->arg_count; i++)
            lb_free(e->synth_regexps[i]);
    lb_free(e->synth_regexps);
    lb_free(e->synth);
    lb_free(e->arg_groups);
    lb_free((void *)e->arg_types);
    lb_free(e->tmpl);
    lb_free(e->groups);
    lb_free(e->ambiguous);
    lb_free(e->prefix);
    lb_free(e->suffix);
    for (i = 0; i < e->nruns; i++)
        lb_free(e->runs[i].s);
    lb_free(e->runs);
    lb_free(e->regex);
    lb_free(e->source);
    lb_free(e);
}

/* "Undefined parameter type 'x'" -> "undefined parameter type 'x'" */
static void one_line_problem(const char *what, char *out, size_t size)
{
    (void)snprintf(out, size, "%s", what);
    if (out[0] >= 'A' && out[0] <= 'Z')
        out[0] = (char)(out[0] - 'A' + 'a');
}

static int compile_cucumber(struct lb_expr *e,
                            const struct lb_param_registry *reg,
                            struct lb_expr_problem *problem,
                            struct type_list *params,
                            struct lb_error *err)
{
    struct lb_buf re = LB_BUF_INIT;
    struct pctx c;
    struct rctx r;
    struct node *root;
    char line[512];
    int rc = 0;

    memset(&c, 0, sizeof(c));
    c.expr = e->source;
    c.problem = problem;
    lb_arena_init(&c.arena, 0);
    memset(&r, 0, sizeof(r));
    r.p = &c;
    r.reg = reg;
    r.re = &re;
    root = parse_expression(&c);
    if (root != NULL && rewrite(&r, root) == 0 && !c.oom) {
        cucumber_literals(e, root);
        e->regex = lb_buf_detach(&re, NULL);
        *params = r.params;
        memset(&r.params, 0, sizeof(r.params));
    } else if (c.oom || problem->kind == LB_EXPR_OK) {
        problem->kind = LB_EXPR_E_OOM;
        rc = lb_error_set(err, LB_ENOMEM, "out of memory");
    } else {
        one_line_problem(c.what, line, sizeof(line));
        rc = lb_error_set(err,
                          LB_EINVAL,
                          "step pattern '%.*s%s' has a problem at column "
                          "%d: %s",
                          QUOTE(e->source),
                          problem->column,
                          line);
    }
    lb_vec_release(&r.params);
    lb_buf_release(&re);
    lb_arena_release(&c.arena);
    return rc;
}

/* Compiles e->regex with PCRE2; LB_EINVAL with the offset on failure. */
static int compile_pcre2(struct lb_expr *e,
                         struct lb_expr_problem *problem,
                         struct lb_error *err)
{
    size_t off = 0, jit_size = 0;
    char msg[256];

    e->gctx = lb__pcre2_gctx_new();
    if (e->gctx == NULL)
        return LB_ENOMEM;
    e->code = lb__pcre2_compile(
        e->regex, strlen(e->regex), e->gctx, msg, sizeof(msg), &off);
    if (e->code == NULL) {
        if (off == SIZE_MAX)
            return LB_ENOMEM;
        problem->kind = LB_EXPR_E_REGEX_COMPILE;
        problem->column = (int)off + 1;
        return lb_error_set(err,
                            LB_EINVAL,
                            "step pattern '%.*s%s' does not compile: %s at "
                            "offset %zu",
                            QUOTE(e->source),
                            msg,
                            off);
    }
    e->jit = pcre2_pattern_info(e->code, PCRE2_INFO_JITSIZE, &jit_size) == 0 &&
             jit_size > 0;
    e->md = pcre2_match_data_create_from_pattern(e->code, e->gctx);
    return e->md == NULL ? LB_ENOMEM : 0;
}

/* The group tree and the arguments with their parameter types. */
static int build_args(struct lb_expr *e,
                      const struct type_list *params,
                      const struct lb_param_registry *reg,
                      struct lb_expr_problem *problem,
                      struct lb_error *err)
{
    char **sources = NULL;
    uint32_t captures = 0;
    size_t i;
    int rc;

    if (pcre2_pattern_info(e->code, PCRE2_INFO_CAPTURECOUNT, &captures) != 0)
        return LB_ENOMEM;
    rc = build_tree(e, captures, &sources, err);
    if (rc == 0)
        rc = collect_args(e,
                          sources,
                          e->kind == LB_EXPR_CUCUMBER ? params->items : NULL,
                          reg,
                          err);
    if (rc != 0)
        problem->kind = rc == LB_ENOMEM ? LB_EXPR_E_OOM : LB_EXPR_E_UNSUPPORTED;
    else if (e->kind == LB_EXPR_CUCUMBER && e->arg_count != params->len)
        LB_BUG("cucumber expression '%s': %zu groups for %zu parameters",
               e->source,
               e->arg_count,
               params->len);
    if (sources != NULL) {
        for (i = 0; i < (size_t)captures + 1; i++)
            lb_free(sources[i]);
        lb_free(sources);
    }
    return rc;
}

int lb_expr_compile(struct lb_expr **out,
                    enum lb_expr_kind kind,
                    const char *source,
                    const struct lb_param_registry *reg,
                    const char *file,
                    int line,
                    struct lb_expr_problem *problem,
                    struct lb_error *err)
{
    struct type_list params = {NULL, 0, 0};
    struct lb_expr_problem local;
    struct lb_expr *e;
    int rc = LB_ENOMEM;

    LB_ASSERT(out != NULL && source != NULL && reg != NULL);
    *out = NULL;
    if (problem == NULL)
        problem = &local;
    memset(problem, 0, sizeof(*problem));
    e = lb_calloc(1, sizeof(*e));
    if (e == NULL || (e->source = lb_strdup(source)) == NULL) {
        lb_free(e);
        e = NULL;
        goto fail;
    }
    e->kind = lb_expr_kind_of(source, kind);
    if (e->kind == LB_EXPR_CUCUMBER) {
        rc = compile_cucumber(e, reg, problem, &params, err);
    } else if ((e->regex = lb_strdup(source)) != NULL) {
        regex_literals(e);
        regex_runs(e);
        rc = 0;
    }
    if (rc == 0 && (e->prefix == NULL || e->suffix == NULL))
        rc = LB_ENOMEM;
    if (rc == 0)
        rc = compile_pcre2(e, problem, err);
    if (rc == 0)
        rc = build_args(e, &params, reg, problem, err);
    if (rc == 0) {
        *out = e;
        e = NULL;
    }
fail:
    if (rc == LB_ENOMEM) {
        problem->kind = LB_EXPR_E_OOM;
        (void)lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    lb_expr_free(e);
    lb_vec_release(&params);
    if (rc != 0 && file != NULL && err != NULL && err->file[0] == '\0') {
        (void)snprintf(err->file, sizeof(err->file), "%s", file);
        err->line = line;
    }
    return rc;
}

enum lb_expr_kind lb_expr_kind(const struct lb_expr *e)
{
    return e->kind;
}

const char *lb_expr_source(const struct lb_expr *e)
{
    return e->source;
}

const char *lb_expr_regex(const struct lb_expr *e)
{
    return e->regex;
}

size_t lb_expr_arg_count(const struct lb_expr *e)
{
    return e->arg_count;
}

const struct lb_param_type *lb_expr_arg_type(const struct lb_expr *e, size_t i)
{
    return i < e->arg_count ? e->arg_types[i] : NULL;
}

void lb__expr_literals(const struct lb_expr *e,
                       const char **prefix,
                       size_t *plen,
                       const char **suffix,
                       size_t *slen,
                       const struct lb__literal **runs,
                       size_t *nruns)
{
    *prefix = e->prefix;
    *plen = e->prefix_len;
    *suffix = e->suffix;
    *slen = e->suffix_len;
    *runs = e->runs;
    *nruns = e->nruns;
}

/*
 * AmbiguousParameterTypeError, on one line: the official text with the
 * Cucumber Expressions generated from the step's text as suggestions.
 */
static int
ambiguous_error(const struct lb_expr *e, const char *text, struct lb_error *err)
{
    struct lb_generated_expr *g = NULL;
    struct lb_buf b = LB_BUF_INIT;
    size_t n = 0, i;
    int rc;

    (void)lb_buf_adds(&b, e->ambiguous);
    (void)lb_buf_adds(&b,
                      ". I couldn't decide which one to use. You have two "
                      "options: 1) Use a Cucumber Expression instead of a "
                      "Regular Expression. Try one of these:");
    if (lb_generate_expressions(e->reg, text, &g, &n) == 0)
        for (i = 0; i < n && i < 4; i++)
            (void)lb_buf_addf(&b, "%s %s", i > 0 ? "," : "", g[i].source);
    lb_generated_exprs_free(g, n);
    (void)lb_buf_adds(&b,
                      " 2) Make one of the parameter types preferential and "
                      "continue to use a Regular Expression.");
    rc = lb_error_set(err, LB_EINVAL, "%s", b.ptr);
    lb_buf_release(&b);
    return rc;
}

int lb__expr_match_valid(struct lb_expr *e,
                         const char *text,
                         size_t len,
                         struct lb_match *m,
                         struct lb_error *err)
{
    PCRE2_SIZE *ov;
    struct lb_group *g;
    size_t k;
    int rc;

    rc = pcre2_match(
        e->code, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK, e->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0) {
        char msg[256];

        (void)pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof(msg));
        return lb_error_set(err,
                            LB_EINVAL,
                            "step pattern '%.*s%s' failed on '%.*s%s': %s",
                            QUOTE(e->source),
                            QUOTE_N(text, len),
                            msg);
    }
    if (e->ambiguous != NULL)
        return ambiguous_error(e, text, err);
    ov = pcre2_get_ovector_pointer(e->md);
    for (k = 0; k < e->group_count; k++) {
        g = &e->groups[k];
        *g = e->tmpl[k];
        if (ov[2 * k] == PCRE2_UNSET) {
            g->matched = false;
            g->start = g->end = g->start_utf16 = 0;
            continue;
        }
        g->matched = true;
        g->start = ov[2 * k];
        g->end = ov[2 * k + 1];
        g->start_utf16 = lb__utf16_len(text, g->start);
    }
    memset(m, 0, sizeof(*m));
    m->expr = e;
    m->text = text;
    m->text_len = len;
    m->groups = e->groups;
    m->group_count = e->group_count;
    m->arg_count = e->arg_count;
    return 1;
}

int lb_expr_match(struct lb_expr *e,
                  const char *text,
                  size_t len,
                  struct lb_match *m,
                  struct lb_error *err)
{
    if (!lb_utf8_valid(text, len))
        return lb_error_set(err,
                            LB_EINVAL,
                            "step text '%.*s' is not valid UTF-8",
                            (int)(len > 200 ? 200 : len),
                            text);
    return lb__expr_match_valid(e, text, len, m, err);
}

int lb_match_arg_group(const struct lb_match *m, size_t i)
{
    LB_ASSERT(i < m->arg_count);
    return m->expr->arg_groups[i];
}

const struct lb_param_type *lb_match_arg_type(const struct lb_match *m,
                                              size_t i)
{
    LB_ASSERT(i < m->arg_count);
    return m->expr->arg_types[i];
}

const char *lb_match_arg_text(const struct lb_match *m, size_t i, size_t *len)
{
    const struct lb_group *g = &m->groups[lb_match_arg_group(m, i)];

    if (!g->matched) {
        *len = 0;
        return NULL;
    }
    *len = g->end - g->start;
    return m->text + g->start;
}

size_t lb_match_arg_values(const struct lb_match *m,
                           size_t i,
                           const char **ptrs,
                           size_t *lens,
                           size_t max)
{
    int gi = lb_match_arg_group(m, i);
    const struct lb_group *g = &m->groups[gi], *c;
    size_t n = 0;
    int ci;

    if (g->child_count == 0) {
        if (max > 0) {
            ptrs[0] = g->matched ? m->text + g->start : NULL;
            lens[0] = g->matched ? g->end - g->start : 0;
        }
        return 1;
    }
    for (ci = g->first_child; ci >= 0; ci = m->groups[ci].next_sibling) {
        c = &m->groups[ci];
        if (n < max) {
            ptrs[n] = c->matched ? m->text + c->start : NULL;
            lens[n] = c->matched ? c->end - c->start : 0;
        }
        n++;
    }
    return n;
}

static int arg_error(const struct lb_match *m, size_t i, struct lb_error *err)
{
    const struct lb_param_type *t = lb_match_arg_type(m, i);

    if (t->name != NULL)
        lb_error_prefix(
            err, "argument %zu ({%s}) of step '%s'", i + 1, t->name, m->text);
    else
        lb_error_prefix(
            err, "argument %zu (regex group) of step '%s'", i + 1, m->text);
    return LB_EINVAL;
}

/*
 * What a built-in transformer reads: the first of Group.values, i.e. the
 * group's first child when it has children (a regex group such as
 * `( named "([^"]*)")?` yields its inner value), else the group; NULL
 * when that did not participate.
 */
static const char *arg_input(const struct lb_match *m, size_t i, size_t *len)
{
    const char *ptr = NULL;

    *len = 0;
    (void)lb_match_arg_values(m, i, &ptr, len, 1);
    return ptr;
}

int lb_match_arg_int(const struct lb_match *m,
                     size_t i,
                     long long *out,
                     struct lb_error *err)
{
    const char *s;
    size_t len;

    s = arg_input(m, i, &len);
    *out = 0;
    if (s == NULL)
        return 1;
    if (lb_param_parse_int(s, len, out, err) != 0)
        return arg_error(m, i, err);
    return 0;
}

int lb_match_arg_double(const struct lb_match *m,
                        size_t i,
                        double *out,
                        struct lb_error *err)
{
    const char *s;
    size_t len;

    s = arg_input(m, i, &len);
    *out = 0;
    if (s == NULL)
        return 1;
    if (lb_param_parse_double(s, len, out, err) != 0)
        return arg_error(m, i, err);
    return 0;
}

int lb_match_arg_string(const struct lb_match *m,
                        size_t i,
                        struct lb_buf *out,
                        struct lb_error *err)
{
    const char *s;
    size_t len;

    if (lb_match_arg_type(m, i)->kind == LB_PARAM_STRING) {
        /* (s1 || s2 || ''): the whole "..." or '...' unquoted */
        s = lb_match_arg_text(m, i, &len);
        if (s == NULL)
            return 1;
        if (lb_param_unquote_string(s, len, out, err) != 0)
            return arg_error(m, i, err);
        return 0;
    }
    s = arg_input(m, i, &len);
    if (s == NULL)
        return 1;
    if (lb_buf_add(out, s, len) != 0)
        return lb_error_set(err, LB_ETOOBIG, "argument %zu too long", i + 1);
    return 0;
}

static int group_json(const struct lb_match *m, int gi, struct lb_buf *out)
{
    const struct lb_group *g = &m->groups[gi];
    int c, rc = lb_buf_addch(out, '{');

    if (rc == 0 && g->matched) {
        rc = lb_buf_addf(out, "\"start\":%zu,\"value\":", g->start_utf16);
        rc = rc != 0 ? rc
                     : lb_buf_add_json_string(
                           out, m->text + g->start, g->end - g->start);
    }
    if (rc == 0 && g->child_count > 0) {
        rc =
            lb_buf_adds(out, g->matched ? ",\"children\":[" : "\"children\":[");
        for (c = g->first_child; rc == 0 && c >= 0;
             c = m->groups[c].next_sibling) {
            if (c != g->first_child)
                rc = lb_buf_addch(out, ',');
            rc = rc != 0 ? rc : group_json(m, c, out);
        }
        rc = rc != 0 ? rc : lb_buf_addch(out, ']');
    }
    return rc != 0 ? rc : lb_buf_addch(out, '}');
}

int lb_match_args_json(const struct lb_match *m, struct lb_buf *out)
{
    const struct lb_param_type *t;
    size_t i;
    int rc = lb_buf_adds(out, "{\"stepMatchArguments\":[");

    for (i = 0; rc == 0 && i < m->arg_count; i++) {
        rc = lb_buf_adds(out, i > 0 ? ",{\"group\":" : "{\"group\":");
        rc = rc != 0 ? rc : group_json(m, lb_match_arg_group(m, i), out);
        t = lb_match_arg_type(m, i);
        if (rc == 0 && t->name != NULL) {
            rc = lb_buf_adds(out, ",\"parameterTypeName\":");
            rc = rc != 0
                     ? rc
                     : lb_buf_add_json_string(out, t->name, strlen(t->name));
        }
        rc = rc != 0 ? rc : lb_buf_addch(out, '}');
    }
    return rc != 0 ? rc : lb_buf_adds(out, "]}");
}

struct lb_match *lb_match_dup(const struct lb_match *m)
{
    struct lb_match *d;
    struct lb_group *g;

    d = lb_malloc(sizeof(*d) + m->group_count * sizeof(*g));
    if (d == NULL)
        return NULL;
    *d = *m;
    g = (struct lb_group *)(d + 1);
    memcpy(g, m->groups, m->group_count * sizeof(*g));
    d->groups = g;
    return d;
}

void lb_match_free(struct lb_match *m)
{
    lb_free(m);
}
