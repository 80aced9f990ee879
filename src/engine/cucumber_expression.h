/*
 * Step expressions: Cucumber Expressions ("I have {int} cukes") and regular
 * expressions ("^I have (\d+) cukes$"), compiled to PCRE2 (UTF mode, JIT),
 * matched against a step's text into the argument group tree cucumber's
 * TreeRegexp builds.
 *
 * The behaviour is that of the official cucumber-expressions library: its
 * grammar (text, optional "(s)", alternation "a/b", parameters "{x}",
 * escapes "\(" "\{" "\/" "\\" "\ "), its regex translation and its error
 * messages.
 *
 * Offsets: a match reports each group's start both in bytes of the UTF-8
 * text (`start`, `end`, for C) and in UTF-16 code units (`start_utf16`),
 * which is what Cucumber Messages `group.start` carries (JavaScript string
 * indices). Error columns of Cucumber Expressions count code points, as
 * the official messages do.
 */
#ifndef LB_ENGINE_CUCUMBER_EXPRESSION_H
#define LB_ENGINE_CUCUMBER_EXPRESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/parameter_type.h"

struct lb_buf;
struct lb_error;

enum lb_expr_kind {
    LB_EXPR_AUTO = 0, /* regex when it starts with '^' or ends with '$' */
    LB_EXPR_CUCUMBER, /* a Cucumber Expression */
    LB_EXPR_REGEX     /* a PCRE2 regular expression */
};

/* What went wrong with an expression (besides the one-line lb_error). */
enum lb_expr_problem_kind {
    LB_EXPR_OK = 0,
    LB_EXPR_E_REGEX_COMPILE, /* PCRE2 refused the pattern */
    LB_EXPR_E_UNDEFINED_PARAMETER_TYPE,
    LB_EXPR_E_SYNTAX,      /* any other Cucumber Expression error */
    LB_EXPR_E_UNSUPPORTED, /* a regex construct we cannot map */
    LB_EXPR_E_OOM
};

/*
 * Details of a failed compile, for messages that need them: the CCK's
 * `undefinedParameterType {expression, name}` and the official multi-line
 * text that cucumber prints:
 *
 *     This Cucumber Expression has a problem at column 1:
 *
 *     {airport} is closed because of a strike
 *     ^-------^
 *     Undefined parameter type 'airport'.
 *     Please register a ParameterType for 'airport'
 */
struct lb_expr_problem {
    enum lb_expr_problem_kind kind;
    int column;     /* 1-based: code points (Cucumber) or bytes+1 (regex) */
    char name[256]; /* LB_EXPR_E_UNDEFINED_PARAMETER_TYPE: the type name */
    char official[2048]; /* the official message ("" for regex errors) */
};

struct lb_expr;

/* The kind LB_EXPR_AUTO resolves `pattern` to (never LB_EXPR_AUTO). */
enum lb_expr_kind lb_expr_kind_of(const char *pattern, enum lb_expr_kind kind);

/*
 * Compiles `source` as `kind`. `reg` is borrowed and must outlive the
 * expression (custom types defined later are not seen by it). On success
 * `*out` is owned by the caller (lb_expr_free). On failure returns LB_EINVAL
 * (LB_ENOMEM) with one line in `err` and, when `file` is not NULL,
 * err->file/err->line set to the definition's location, so lb_error_print
 * shows e.g.
 *   steps/x.c:88: error: step pattern '^I send (\d+ coins$' does not
 *   compile: missing closing parenthesis at offset 19
 *   steps/f.c:3: error: step pattern '{airport} is closed' has a problem at
 *   column 1: undefined parameter type 'airport'
 * (the offset is PCRE2's, in bytes) and the details in `problem` (may be
 * NULL). `reg` must not be NULL.
 */
int lb_expr_compile(struct lb_expr **out,
                    enum lb_expr_kind kind,
                    const char *source,
                    const struct lb_param_registry *reg,
                    const char *file,
                    int line,
                    struct lb_expr_problem *problem,
                    struct lb_error *err);

/* Frees an expression. NULL is a no-op. */
void lb_expr_free(struct lb_expr *e);

/* LB_EXPR_CUCUMBER or LB_EXPR_REGEX. */
enum lb_expr_kind lb_expr_kind(const struct lb_expr *e);

/* The expression as written; owned by `e`. */
const char *lb_expr_source(const struct lb_expr *e);

/*
 * The PCRE2 regex it compiled to: for a Cucumber Expression the official
 * translation, e.g. "^I have ((?:-?\d+)|(?:\d+)) cukes$"; for a regex its
 * source. Owned by `e`.
 */
const char *lb_expr_regex(const struct lb_expr *e);

/*
 * Number of arguments (top-level capture groups) and the parameter type of
 * the i-th. A regex group whose regexp is no registered type's gets a type
 * of kind LB_PARAM_REGEX_GROUP with `name` NULL (Cucumber Messages then
 * carry no parameterTypeName); "" is the anonymous type {}. Owned by `e`
 * or the registry.
 */
size_t lb_expr_arg_count(const struct lb_expr *e);
const struct lb_param_type *lb_expr_arg_type(const struct lb_expr *e, size_t i);

/*
 * One capture group of a match. Groups form a tree stored in pre-order in
 * `lb_match.groups`: groups[0] is the whole match, its children are the
 * arguments; `first_child` / `next_sibling` are indices into the same array
 * or -1. A group that did not participate has `matched` false and no
 * start or value (Cucumber Messages: `{}` / `{"children":[...]}`).
 */
struct lb_group {
    bool matched;
    size_t start;       /* byte offset in the text */
    size_t end;         /* byte offset just past the value */
    size_t start_utf16; /* offset in UTF-16 code units (messages) */
    int first_child;
    int next_sibling;
    int child_count;
};

/*
 * A successful match. `text` is borrowed from the caller of the match
 * function; `groups` belongs to whoever filled the match (see
 * lb_expr_match and step_matcher.h) and lives as long as they say.
 */
struct lb_match {
    const struct lb_expr *expr;
    const char *text; /* the step text, `text_len` bytes */
    size_t text_len;
    const struct lb_group *groups;
    size_t group_count; /* 1 + number of capture groups */
    size_t arg_count;   /* = lb_expr_arg_count(expr) */
    void *user;         /* step_matcher: the definition's pointer */
    size_t def_index;   /* step_matcher: the definition's index */
};

/*
 * Matches `text` (`len` bytes of UTF-8) against `e`. Returns 1 (matched,
 * `*m` filled, `m->groups` owned by `e`'s scratch space and valid until the
 * next lb_expr_match on `e` or lb_expr_free), 0 (no match), or a negative
 * code: LB_EINVAL for text that is not valid UTF-8, or for a regex group
 * whose regexp is shared by several non-preferential parameter types (the
 * official "Your Regular Expression /E/ matches multiple parameter types
 * with regexp /R/: ..." error on one line, with generated Cucumber
 * Expressions as suggestions). Not thread-safe per expression.
 */
int lb_expr_match(struct lb_expr *e,
                  const char *text,
                  size_t len,
                  struct lb_match *m,
                  struct lb_error *err);

/* The i-th argument's group index in m->groups (a child of groups[0]). */
int lb_match_arg_group(const struct lb_match *m, size_t i);

/* The i-th argument's parameter type (as lb_expr_arg_type). */
const struct lb_param_type *lb_match_arg_type(const struct lb_match *m,
                                              size_t i);

/*
 * The raw text of the i-th argument's group: `*len` bytes at the returned
 * pointer (into m->text), or NULL when the group did not participate.
 */
const char *lb_match_arg_text(const struct lb_match *m, size_t i, size_t *len);

/*
 * The values a transformer receives, as the official Group.values: the
 * texts of the argument group's children when it has any, else of the
 * group itself. Fills up to `max` entries of `ptrs`/`lens` (NULL/0 for a
 * group that did not participate) and returns how many there are.
 */
size_t lb_match_arg_values(const struct lb_match *m,
                           size_t i,
                           const char **ptrs,
                           size_t *lens,
                           size_t max);

/*
 * Converted values of the built-in transformers, which read the first of
 * the transformer values (lb_match_arg_values: the group's first child when
 * it has children, so `^a user( named "([^"]*)")?$` gives `Charlie`, not
 * ` named "Charlie"`, as the official RegularExpression does). Each
 * returns 0 with the value, 1 when that group did not participate
 * (JavaScript's null: `*out` is 0, nothing is appended), or LB_EINVAL
 * with an error naming the argument, its type, the step text and the
 * value, e.g. "argument 1 ({int}) of step 'I have 99999999999999999999
 * cukes': cannot convert '99999999999999999999' to int: out of range".
 * _int parses a decimal integer (any type: {int}, {long}, a regex group);
 * _double as JavaScript's parseFloat; _string appends to `out` the
 * unquoted, unescaped {string} value, or the text for any other type.
 */
int lb_match_arg_int(const struct lb_match *m,
                     size_t i,
                     long long *out,
                     struct lb_error *err);
int lb_match_arg_double(const struct lb_match *m,
                        size_t i,
                        double *out,
                        struct lb_error *err);
int lb_match_arg_string(const struct lb_match *m,
                        size_t i,
                        struct lb_buf *out,
                        struct lb_error *err);

/*
 * Appends the match's arguments as the Cucumber Messages
 * `StepMatchArgumentsList` JSON, in the CCK's shape and key order:
 *   {"stepMatchArguments":[{"group":{"start":11,"value":"\"hello\"",
 *    "children":[{"start":12,"value":"hello","children":[{}]},
 *    {"children":[{}]}]},"parameterTypeName":"string"}]}
 * (`start` in UTF-16 code units; a group that did not participate has no
 * start and value; no `children` when there are none; no
 * parameterTypeName for an untyped regex group). Returns 0 or
 * LB_ETOOBIG (the buffer's max).
 */
int lb_match_args_json(const struct lb_match *m, struct lb_buf *out);

/*
 * A copy of `m` with its own groups, so it survives the next match on the
 * same expression (the expression's scratch space). `expr` and `text` stay
 * borrowed: the lb_match_arg_* functions read the argument types from the
 * expression, which must outlive the copy. Owned by the caller
 * (lb_match_free). NULL on OOM.
 */
struct lb_match *lb_match_dup(const struct lb_match *m);
void lb_match_free(struct lb_match *m);

#endif
