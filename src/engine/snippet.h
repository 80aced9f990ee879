/*
 * Snippets for undefined steps: the Cucumber Expressions cucumber's
 * CucumberExpressionGenerator proposes for a step's text ("I have 5 cukes"
 * -> "I have {int} cukes", "I have {float} cukes"), and the ready-to-paste
 * C step definition in the format of step_api.md:
 *
 *     static int step_i_have_int_cukes(struct lb_step *s)
 *     {
 *         long long int1 = lb_step_arg_int(s, 0);
 *
 *         return lb_step_pending(s, "TODO: implement this step");
 *     }
 *     LB_STEP("I have {int} cukes", step_i_have_int_cukes);
 */
#ifndef LB_ENGINE_SNIPPET_H
#define LB_ENGINE_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/parameter_type.h"

struct lb_buf;
struct lb_error;

/* One generated Cucumber Expression. */
struct lb_generated_expr {
    char *source;                             /* "I have {int} cukes" */
    const struct lb_param_type **param_types; /* borrowed from the registry */
    size_t param_count;
};

/*
 * The candidate expressions for `text`, best first, at most 256 (as the
 * official generator: numbers -> {int} then {float}, quoted text ->
 * {string}, custom types with use_for_snippets; text escaped with "\(",
 * "\{", "\/"). Always at least one. A text over 4096 bytes gets no
 * parameters (the official search is quadratic). `*out` is an array of `*count`
 * entries owned by the caller (lb_generated_exprs_free). LB_ENOMEM on OOM.
 */
int lb_generate_expressions(const struct lb_param_registry *reg,
                            const char *text,
                            struct lb_generated_expr **out,
                            size_t *count);
void lb_generated_exprs_free(struct lb_generated_expr *exprs, size_t count);

/*
 * A set of snippets printed together (one run's undefined steps): it
 * remembers the function names used so each snippet's is unique ("_2",
 * "_3", ... appended) and the expressions already given, so the same
 * expression is not suggested twice. Zero-initialise with
 * LB_SNIPPET_SET_INIT; release with lb_snippet_set_release.
 */
struct lb_snippet_set {
    char **names; /* function names given, `count` of them */
    char **exprs; /* expressions given, `count` of them */
    size_t count;
    size_t cap;
};
#define LB_SNIPPET_SET_INIT \
    {                       \
        NULL, NULL, 0, 0    \
    }
void lb_snippet_set_release(struct lb_snippet_set *set);

/*
 * Appends to `out` the C snippet for the undefined step `text` (its first
 * candidate expression), with `has_table` / `has_doc_string` adding the
 * DataTable / DocString line. {int} {long} {short} {byte} -> `long long
 * intN = lb_step_arg_int`, {float}/{double} -> `double floatN =
 * lb_step_arg_double`, {string}/{word}/{}/{bigdecimal}/{biginteger} ->
 * `const char *stringN = lb_step_arg_str` ({} is named argN), custom
 * types -> `void *nameN = lb_step_arg_value` (N counts each name from 1); the
 * function name is "step_" and the expression's words, lowercase,
 * non-alphanumerics as "_". `set` may be NULL (no uniqueness across snippets).
 * The pattern is a C string literal (quotes and backslashes escaped).
 * The text ends with a newline (strip it for a `suggestion` message's
 * `code`). `*duplicate` (may be NULL) is set true when `set` already gave
 * this expression (nothing is appended then). Fails only for text that is
 * not valid UTF-8 (LB_EINVAL) or on OOM.
 */
int lb_snippet_build(const struct lb_param_registry *reg,
                     const char *text,
                     bool has_table,
                     bool has_doc_string,
                     struct lb_snippet_set *set,
                     struct lb_buf *out,
                     bool *duplicate,
                     struct lb_error *err);

#endif
