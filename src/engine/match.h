/*
 * Matching step text against the registered step definitions: compiles
 * every definition's pattern once (a Cucumber Expression or a PCRE2
 * regular expression), then returns every definition that matches a step,
 * with its arguments (the C values steps read and the Cucumber Messages
 * `stepMatchArguments`), and writes the C snippet of an undefined step.
 */
#ifndef LB_ENGINE_MATCH_H
#define LB_ENGINE_MATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/vec.h"
#include "engine/registry.h"

struct lb_error;

/* One matched parameter. */
struct lb_arg {
    char *text; /* owned; NULL when its group did not take part ({string}:
                   unquoted) */
    const struct lb_paramdef *param; /* a custom parameter type, or NULL */
    char **groups; /* owned: the values its transformer receives */
    size_t ngroups;
};

/* One definition that matches a step. */
struct lb_step_match {
    size_t def;          /* index in the registry's steps */
    json_t *arguments;   /* owned: the stepMatchArguments array */
    struct lb_arg *args; /* owned */
    size_t nargs;
};

struct lb_matches {
    LB_VEC(struct lb_step_match) v;
};

struct lb_matcher;

/*
 * Compiles every step definition and parameter type of `reg` (borrowed; it
 * must outlive the matcher). A pattern that does not compile fails with its
 * definition's file:line and the pattern offset. An expression naming an
 * unknown parameter type is no error: the definition never matches and
 * lb_matcher_undefined() reports it.
 */
int lb_matcher_new(const struct lb_registry *reg,
                   struct lb_matcher **out,
                   struct lb_error *err);
void lb_matcher_free(struct lb_matcher *m);

/* The i-th expression naming an unknown parameter type (false past the end);
 * the strings are borrowed from the matcher. */
bool lb_matcher_undefined(const struct lb_matcher *m,
                          size_t i,
                          const char **name,
                          const char **expression);

/* True when definition `def` was compiled as a regular expression. */
bool lb_matcher_is_regex(const struct lb_matcher *m, size_t def);

/* Appends every matching definition, in registration order, to `out`. */
int lb_matcher_match(struct lb_matcher *m,
                     const char *text,
                     struct lb_matches *out,
                     struct lb_error *err);
/* Frees what the matches own and empties `ms`. */
void lb_matches_release(struct lb_matches *ms);

/*
 * Appends the C snippet of an undefined step to `out`. With `unique`,
 * function names are unique across the matcher's unique snippets and
 * `*duplicate` is set when this expression was already given (nothing
 * appended then).
 */
int lb_matcher_snippet(struct lb_matcher *m,
                       bool unique,
                       const char *text,
                       bool has_table,
                       bool has_doc_string,
                       struct lb_buf *out,
                       bool *duplicate,
                       struct lb_error *err);

/*
 * Appends the other Cucumber Expressions that would match `text` (after
 * the first, which lb_matcher_snippet uses), one comment line each
 * ("or: LB_STEP(...)"), as cucumber-js lists them under its snippet.
 */
void lb_matcher_snippet_alternatives(struct lb_matcher *m,
                                     const char *text,
                                     struct lb_buf *out);

/*
 * The snippets of an undefined step for a `suggestion` message: one per
 * candidate expression, as Cucumber gives them ("a list of {int} things",
 * then "... {float} ..."), appended to `snippets` as {language, code}.
 */
int lb_matcher_suggestions(struct lb_matcher *m,
                           const char *text,
                           bool has_table,
                           bool has_doc_string,
                           json_t *snippets,
                           struct lb_error *err);

/* The parameter type registry (built-ins and the registered custom ones). */
const struct lb_param_registry *lb_matcher_params(const struct lb_matcher *m);

#endif
