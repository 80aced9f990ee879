/*
 * The step matcher: holds every step definition (a Cucumber Expression or a
 * regular expression with the definer's pointer and location) and finds all
 * the definitions a step's text matches, with their arguments, so the
 * engine can tell passed/undefined/ambiguous apart.
 *
 * Matching is fast: the literal text each pattern requires is indexed
 * (its prefix in a trie; for patterns starting with a parameter, the
 * rarest 4-byte gram of their literal runs in a hash), so a step text is
 * only tried against the few definitions it can match; those are checked
 * against their required suffix and literal runs, and only the survivors
 * run PCRE2 JIT with match data reused. The hot path allocates nothing
 * once the scratch space has grown. bench/bench_step_matcher.c measures
 * it against the naive loop (lb_step_matcher_match_naive).
 *
 * Not thread-safe: matching writes the matcher's and the expressions'
 * scratch space. Use one matcher per thread (or a lock).
 *
 * Typical use (errors elided):
 *
 *     struct lb_param_registry *reg = lb_param_registry_new();
 *     lb_param_registry_define(reg, &flight_def, NULL, &err);
 *     struct lb_step_matcher *sm = lb_step_matcher_new(reg);
 *     lb_step_matcher_add(sm, LB_EXPR_AUTO, "I have {int} cukes", def,
 *                         "steps/a.c", 12, &problem, &err);
 *     ...
 *     const struct lb_match *m;
 *     int n = lb_step_matcher_match(sm, pickle_step_text, &m, &err);
 *     ...
 *     lb_step_matcher_free(sm);
 *     lb_param_registry_free(reg);
 *
 * n == 0: undefined (lb_snippet_build); n > 1: ambiguous (m[i].def_index,
 * m[i].user); n == 1: run m[0].user with lb_match_arg_int(&m[0], 0, &v,
 * &err), lb_match_arg_string(...), lb_match_arg_values(...) for a custom
 * type's transformer, and lb_match_args_json(&m[0], &buf) for the
 * testCase message.
 */
#ifndef LB_ENGINE_STEP_MATCHER_H
#define LB_ENGINE_STEP_MATCHER_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/cucumber_expression.h"

struct lb_error;

/* A registered step definition. Owned by the matcher. */
struct lb_step_def {
    size_t index;         /* registration order, 0-based */
    struct lb_expr *expr; /* compiled; kind via lb_expr_kind() */
    void *user;           /* the definer's pointer (borrowed) */
    const char *file;     /* copy of the definition's file ("" if none) */
    int line;
};

struct lb_step_matcher;

/*
 * A new, empty matcher using `reg` (borrowed; must outlive the matcher;
 * define custom parameter types before adding definitions that use them).
 * The caller owns the result (lb_step_matcher_free). NULL on OOM.
 */
struct lb_step_matcher *
lb_step_matcher_new(const struct lb_param_registry *reg);

/* Frees the matcher, its definitions and its scratch space. NULL: no-op. */
void lb_step_matcher_free(struct lb_step_matcher *sm);

/*
 * Compiles and adds a definition. `kind` LB_EXPR_AUTO picks regex for a
 * pattern starting with '^' or ending with '$' (step_api.md). `file` may
 * be NULL. Returns the definition's index (>= 0), or a negative code with
 * `err` and `problem` (may be NULL) as lb_expr_compile fills them; a
 * definition that does not compile is not added (for an undefined
 * parameter type the engine emits `undefinedParameterType` from
 * `problem->name` and goes on).
 */
int lb_step_matcher_add(struct lb_step_matcher *sm,
                        enum lb_expr_kind kind,
                        const char *pattern,
                        void *user,
                        const char *file,
                        int line,
                        struct lb_expr_problem *problem,
                        struct lb_error *err);

/* Number of definitions and the i-th (registration order). */
size_t lb_step_matcher_count(const struct lb_step_matcher *sm);
const struct lb_step_def *lb_step_matcher_def(const struct lb_step_matcher *sm,
                                              size_t i);

/*
 * Matches `text` (NUL-terminated UTF-8) against every definition. On
 * success returns the number of matching definitions (0 = undefined, 1 =
 * matched, > 1 = ambiguous) and points `*matches` at them, in registration
 * order. The array and the groups it points to belong to the matcher and
 * stay valid until the next lb_step_matcher_match or free (use
 * lb_match_dup to keep one); `text` must stay alive as long. A negative
 * return is an error in `err` (text not valid UTF-8, an ambiguous regex
 * parameter type).
 */
int lb_step_matcher_match(struct lb_step_matcher *sm,
                          const char *text,
                          const struct lb_match **matches,
                          struct lb_error *err);

/*
 * The same without the index: tries every definition in turn. For tests
 * and the benchmark's baseline; same results, same lifetime rules.
 */
int lb_step_matcher_match_naive(struct lb_step_matcher *sm,
                                const char *text,
                                const struct lb_match **matches,
                                struct lb_error *err);

#endif
