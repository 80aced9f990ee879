/*
 * Internals shared by the expression modules (parameter_type.c,
 * cucumber_expression.c, step_matcher.c, snippet.c): PCRE2 set up with the
 * project's allocator and the compile options every step pattern uses.
 * Not for the rest of the engine.
 */
#ifndef LB_ENGINE_EXPR_INTERNAL_H
#define LB_ENGINE_EXPR_INTERNAL_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <stddef.h>

/*
 * UTF mode (the text is UTF-8), and `$` only at the very end as in
 * JavaScript (PCRE2's default also matches before a final newline).
 */
#define LB__EXPR_PCRE2_OPTIONS (PCRE2_UTF | PCRE2_DOLLAR_ENDONLY)

/* A PCRE2 general context allocating through lb_malloc/lb_free. */
pcre2_general_context *lb__pcre2_gctx_new(void);

/*
 * Compiles `pattern` (`len` bytes) with LB__EXPR_PCRE2_OPTIONS and JIT (JIT
 * failure is not an error: the interpreter is used). Returns the code, or
 * NULL with PCRE2's message in `msg` and the offset in `*offset`
 * (`*offset` is SIZE_MAX and msg "out of memory" on OOM).
 */
pcre2_code *lb__pcre2_compile(const char *pattern,
                              size_t len,
                              pcre2_general_context *gctx,
                              char *msg,
                              size_t msg_size,
                              size_t *offset);

/* Number of UTF-16 code units of the valid UTF-8 `s` (`len` bytes). */
size_t lb__utf16_len(const char *s, size_t len);

struct lb_buf;
struct lb_error;
struct lb_expr;
struct lb_expr_problem;
struct lb_match;

/* A literal run of an expression's text. */
struct lb__literal {
    char *s; /* owned by the expression */
    size_t len;
};

/*
 * The literal text every match of `e` starts with (`*prefix`, `*plen`
 * bytes) and ends with (`*suffix`, `*slen`), and the other literal runs
 * every match contains somewhere after the prefix (`*runs`, `*nruns`,
 * longest first); lengths and counts are 0 when there are none (a leading
 * parameter, a top-level regex alternation, ...). Owned by `e`.
 */
void lb__expr_literals(const struct lb_expr *e,
                       const char **prefix,
                       size_t *plen,
                       const char **suffix,
                       size_t *slen,
                       const struct lb__literal **runs,
                       size_t *nruns);

/*
 * For tests: parses a Cucumber Expression and appends its AST, e.g.
 * EXPRESSION(0,5)[TEXT(0,1,"a"),OPTIONAL(1,4)[TEXT(2,3,"s")],...] with
 * start/end in code points as the official testdata gives them. Returns
 * 0, or LB_EINVAL with `problem` filled.
 */
int lb__cexpr_ast_dump(const char *expression,
                       struct lb_buf *out,
                       struct lb_expr_problem *problem);

/* lb_expr_match for a text already known to be valid UTF-8. */
int lb__expr_match_valid(struct lb_expr *e,
                         const char *text,
                         size_t len,
                         struct lb_match *m,
                         struct lb_error *err);

#endif
