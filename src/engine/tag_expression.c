/*
 * Tag expressions (see tag_expression.h): a port of the official parser of
 * cucumber/tag-expressions (Java), Dijkstra's shunting yard over the
 * tokens, with the messages of the official testdata.
 */
#include "engine/tag_expression.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/vec.h"

/* The most tokens an expression may have (its tree depth is below this). */
#define MAX_TOKENS 10000

enum node_kind { K_TRUE, K_LITERAL, K_AND, K_OR, K_NOT };

struct tnode {
    enum node_kind kind;
    int left;    /* K_AND, K_OR, K_NOT (operand) */
    int right;   /* K_AND, K_OR */
    char *value; /* K_LITERAL, unescaped */
};

struct lb_tag_expr {
    char *source;
    LB_VEC(struct tnode) nodes;
    int root;
};

enum tok_kind { TK_OPERAND, TK_AND, TK_OR, TK_NOT, TK_LPAREN, TK_RPAREN };

struct token {
    enum tok_kind kind;
    char *text; /* TK_OPERAND */
};

struct parser {
    const char *infix;
    LB_VEC(struct token) tokens;
    struct lb_error *err;
};

#define SYNTAX                                                     \
    "Tag expression \"%s\" could not be parsed because of syntax " \
    "error: "

static int syntax_error(struct parser *p, const char *what)
{
    return lb_error_set(p->err, LB_EPARSE, SYNTAX "%s", p->infix, what);
}

/* Java's Character.isWhitespace for the ASCII range. */
static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int end_token(struct parser *p, struct lb_buf *tok)
{
    struct token t;

    if (tok->len == 0)
        return 0;
    if (memchr(tok->ptr, ',', tok->len) != NULL)
        return syntax_error(
            p,
            "An invalid tag combination operator was detected. The use of "
            "a comma (\",\") to combine tags is not supported. Please "
            "replace it with either the \"or\" or \"and\" operators for tag "
            "combinations. For example, use \"@tag1 or @tag2\" or \"@tag1 "
            "and @tag2\"");
    t.text = NULL;
    if (strcmp(tok->ptr, "and") == 0)
        t.kind = TK_AND;
    else if (strcmp(tok->ptr, "or") == 0)
        t.kind = TK_OR;
    else if (strcmp(tok->ptr, "not") == 0)
        t.kind = TK_NOT;
    else
        t.kind = TK_OPERAND;
    if (t.kind == TK_OPERAND) {
        t.text = lb_strndup(tok->ptr, tok->len);
        if (t.text == NULL)
            return lb_error_set(p->err, LB_ENOMEM, "out of memory");
    }
    lb_buf_reset(tok);
    if (lb_vec_push(&p->tokens, t) != 0) {
        lb_free(t.text);
        return lb_error_set(p->err, LB_ENOMEM, "out of memory");
    }
    return 0;
}

static int tokenize(struct parser *p)
{
    struct lb_buf tok = LB_BUF_INIT;
    struct token paren = {TK_LPAREN, NULL};
    const char *s;
    bool escaped = false;
    char what[64];
    int rc = 0;

    for (s = p->infix; *s != '\0' && rc == 0; s++) {
        if (escaped) {
            if (*s == '(' || *s == ')' || *s == '\\' || is_space(*s)) {
                (void)lb_buf_addch(&tok, *s);
                escaped = false;
            } else {
                size_t n =
                    lb_utf8_decode((const unsigned char *)s, strlen(s), NULL);

                (void)snprintf(what,
                               sizeof(what),
                               "Illegal escape before \"%.*s\".",
                               (int)(n > 0 ? n : 1),
                               s);
                rc = syntax_error(p, what);
            }
        } else if (*s == '\\') {
            escaped = true;
        } else if (*s == '(' || *s == ')' || is_space(*s)) {
            rc = end_token(p, &tok);
            if (rc == 0 && !is_space(*s)) {
                paren.kind = *s == '(' ? TK_LPAREN : TK_RPAREN;
                if (lb_vec_push(&p->tokens, paren) != 0)
                    rc = lb_error_set(p->err, LB_ENOMEM, "out of memory");
            }
        } else {
            (void)lb_buf_addch(&tok, *s);
        }
    }
    if (rc == 0)
        rc = end_token(p, &tok);
    lb_buf_release(&tok);
    return rc;
}

static int new_node(struct lb_tag_expr *e,
                    enum node_kind kind,
                    int left,
                    int right,
                    char *value)
{
    struct tnode n = {kind, left, right, value};

    if (lb_vec_push(&e->nodes, n) != 0)
        return -1;
    return (int)e->nodes.len - 1;
}

/* pushExpr: pops operands off `stack` into a new node. */
static int push_expr(struct parser *p,
                     struct lb_tag_expr *e,
                     struct token *t,
                     int *stack,
                     size_t *depth)
{
    int l, r, n;

    if (t->kind == TK_OPERAND) {
        n = new_node(e, K_LITERAL, -1, -1, t->text);
        if (n >= 0)
            t->text = NULL; /* taken */
    } else if (t->kind == TK_NOT) {
        if (*depth < 1)
            goto empty;
        n = new_node(e, K_NOT, stack[--*depth], -1, NULL);
    } else {
        if (*depth < 2)
            goto empty;
        r = stack[--*depth];
        l = stack[--*depth];
        n = new_node(e, t->kind == TK_AND ? K_AND : K_OR, l, r, NULL);
    }
    if (n < 0)
        return lb_error_set(p->err, LB_ENOMEM, "out of memory");
    stack[(*depth)++] = n;
    return 0;
empty:
    return lb_error_set(p->err,
                        LB_EPARSE,
                        "Tag expression \"%s\" could not be parsed because "
                        "of an empty stack",
                        p->infix);
}

static int prec(enum tok_kind k)
{
    switch (k) {
    case TK_LPAREN:
        return -2;
    case TK_RPAREN:
        return -1;
    case TK_OR:
        return 0;
    case TK_AND:
        return 1;
    case TK_NOT:
        return 2;
    default:
        return -3;
    }
}

static bool is_op(enum tok_kind k)
{
    return k == TK_AND || k == TK_OR || k == TK_NOT;
}

/* The two stacks of the shunting yard. */
struct yard {
    struct token *ops;
    size_t nops;
    int *exprs;
    size_t nexprs;
};

/* A binary operator: pops operators that bind at least as tightly. */
static int binary(struct parser *p,
                  struct lb_tag_expr *e,
                  struct yard *y,
                  const struct token *t)
{
    int rc;

    /* both binary operators are left-associative */
    while (y->nops > 0 && is_op(y->ops[y->nops - 1].kind) &&
           prec(t->kind) <= prec(y->ops[y->nops - 1].kind))
    {
        rc = push_expr(p, e, &y->ops[--y->nops], y->exprs, &y->nexprs);
        if (rc != 0)
            return rc;
    }
    y->ops[y->nops++] = *t;
    return 0;
}

/* A ')': pops operators back to its '('. */
static int close_paren(struct parser *p, struct lb_tag_expr *e, struct yard *y)
{
    int rc;

    while (y->nops > 0 && y->ops[y->nops - 1].kind != TK_LPAREN) {
        rc = push_expr(p, e, &y->ops[--y->nops], y->exprs, &y->nexprs);
        if (rc != 0)
            return rc;
    }
    if (y->nops == 0)
        return syntax_error(p, "Unmatched ).");
    y->nops--;
    return 0;
}

static int shunting_yard(struct parser *p, struct lb_tag_expr *e)
{
    struct yard y = {NULL, 0, NULL, 0};
    struct token *t;
    size_t i, n = p->tokens.len;
    bool want_operand = true, operand;
    int rc = 0;

    y.ops = lb_calloc(n + 1, sizeof(*y.ops));
    y.exprs = lb_calloc(n + 1, sizeof(*y.exprs));
    if (y.ops == NULL || y.exprs == NULL) {
        rc = lb_error_set(p->err, LB_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < n && rc == 0; i++) {
        t = &p->tokens.items[i];
        /* "not", "(" and a tag come where an operand is expected */
        operand =
            t->kind == TK_NOT || t->kind == TK_LPAREN || t->kind == TK_OPERAND;
        if (want_operand != operand) {
            rc = syntax_error(
                p, want_operand ? "Expected operand." : "Expected operator.");
            break;
        }
        switch (t->kind) {
        case TK_NOT:
        case TK_LPAREN:
            y.ops[y.nops++] = *t;
            break;
        case TK_AND:
        case TK_OR:
            rc = binary(p, e, &y, t);
            want_operand = true;
            break;
        case TK_RPAREN:
            rc = close_paren(p, e, &y);
            break;
        case TK_OPERAND:
            rc = push_expr(p, e, t, y.exprs, &y.nexprs);
            want_operand = false;
            break;
        }
    }
    while (rc == 0 && y.nops > 0) {
        if (y.ops[y.nops - 1].kind == TK_LPAREN)
            rc = syntax_error(p, "Unmatched (.");
        else
            rc = push_expr(p, e, &y.ops[--y.nops], y.exprs, &y.nexprs);
    }
    /* e.g. "not" alone: the official parser fails on an empty stack */
    if (rc == 0 && y.nexprs != 1)
        rc = syntax_error(p, "Expected operand.");
    if (rc == 0)
        e->root = y.exprs[0];
out:
    lb_free(y.ops);
    lb_free(y.exprs);
    return rc;
}

void lb_tag_expr_free(struct lb_tag_expr *e)
{
    size_t i;

    if (e == NULL)
        return;
    for (i = 0; i < e->nodes.len; i++)
        lb_free(e->nodes.items[i].value);
    lb_vec_release(&e->nodes);
    lb_free(e->source);
    lb_free(e);
}

int lb_tag_expr_parse(struct lb_tag_expr **out,
                      const char *text,
                      struct lb_error *err)
{
    struct parser p;
    struct lb_tag_expr *e;
    size_t i;
    int rc;

    *out = NULL;
    memset(&p, 0, sizeof(p));
    p.infix = text;
    p.err = err;
    e = lb_calloc(1, sizeof(*e));
    if (e == NULL || (e->source = lb_strdup(text)) == NULL) {
        lb_free(e);
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    rc = tokenize(&p);
    /* not official: evaluation recurses, so the tree depth is bounded */
    if (rc == 0 && p.tokens.len > MAX_TOKENS)
        rc = lb_error_set(err,
                          LB_EPARSE,
                          "tag expression has more than %d tokens",
                          MAX_TOKENS);
    if (rc == 0 && p.tokens.len == 0) {
        e->root = new_node(e, K_TRUE, -1, -1, NULL);
        if (e->root < 0)
            rc = lb_error_set(err, LB_ENOMEM, "out of memory");
    } else if (rc == 0) {
        rc = shunting_yard(&p, e);
    }
    for (i = 0; i < p.tokens.len; i++)
        lb_free(p.tokens.items[i].text);
    lb_vec_release(&p.tokens);
    if (rc != 0) {
        lb_tag_expr_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

static bool
eval(const struct lb_tag_expr *e, int n, const char *const *tags, size_t count)
{
    const struct tnode *t = &e->nodes.items[n];
    size_t i;

    switch (t->kind) {
    case K_TRUE:
        return true;
    case K_LITERAL:
        for (i = 0; i < count; i++)
            if (strcmp(tags[i], t->value) == 0)
                return true;
        return false;
    case K_AND:
        return eval(e, t->left, tags, count) && eval(e, t->right, tags, count);
    case K_OR:
        return eval(e, t->left, tags, count) || eval(e, t->right, tags, count);
    case K_NOT:
        return !eval(e, t->left, tags, count);
    }
    return false;
}

bool lb_tag_expr_eval(const struct lb_tag_expr *e,
                      const char *const *tags,
                      size_t count)
{
    return eval(e, e->root, tags, count);
}

static int to_string(const struct lb_tag_expr *e, int n, struct lb_buf *out)
{
    const struct tnode *t = &e->nodes.items[n];
    const char *s;
    int rc = 0;

    switch (t->kind) {
    case K_TRUE:
        return lb_buf_adds(out, "true");
    case K_LITERAL:
        for (s = t->value; *s != '\0' && rc == 0; s++) {
            if (*s == '\\' || *s == '(' || *s == ')')
                rc = lb_buf_addch(out, '\\');
            if (rc == 0 && is_space(*s))
                rc = lb_buf_adds(out, "\\ ");
            else if (rc == 0)
                rc = lb_buf_addch(out, *s);
        }
        return rc;
    case K_AND:
    case K_OR:
        rc = lb_buf_adds(out, "( ");
        rc = rc != 0 ? rc : to_string(e, t->left, out);
        rc = rc != 0 ? rc
                     : lb_buf_adds(out, t->kind == K_AND ? " and " : " or ");
        rc = rc != 0 ? rc : to_string(e, t->right, out);
        return rc != 0 ? rc : lb_buf_adds(out, " )");
    case K_NOT:
        /* a binary operand already prints its own parentheses */
        if (e->nodes.items[t->left].kind == K_AND ||
            e->nodes.items[t->left].kind == K_OR)
        {
            rc = lb_buf_adds(out, "not ");
            return rc != 0 ? rc : to_string(e, t->left, out);
        }
        rc = lb_buf_adds(out, "not ( ");
        rc = rc != 0 ? rc : to_string(e, t->left, out);
        return rc != 0 ? rc : lb_buf_adds(out, " )");
    }
    return 0;
}

int lb_tag_expr_to_string(const struct lb_tag_expr *e, struct lb_buf *out)
{
    return to_string(e, e->root, out);
}

const char *lb_tag_expr_source(const struct lb_tag_expr *e)
{
    return e->source;
}
