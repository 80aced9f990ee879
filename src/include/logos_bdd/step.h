/*
 * The public step API of logos-bdd: what steps/ and users' own step
 * libraries (loaded with --require) include.
 *
 *     #include <logos_bdd/step.h>
 *
 *     static int step_i_have_int_cukes(struct lb_step *s)
 *     {
 *         long long count = lb_step_arg_int(s, 0);
 *         if (count < 0)
 *             return lb_step_fail(s, "count %lld is negative", count);
 *         return 0;
 *     }
 *     LB_STEP("I have {int} cukes", step_i_have_int_cukes);
 *
 * Registration happens at load time (a constructor), in the executable and
 * in shared libraries alike; every registration records __FILE__/__LINE__,
 * the location reports show for the definition.
 *
 * A step (or hook) function returns 0 when it passed, or what
 * lb_step_fail(), lb_step_pending() or lb_step_skip() returned. Every
 * pointer this API hands out is borrowed: it lives until the step function
 * returns unless said otherwise. Step functions run on the runner's thread,
 * one at a time.
 */
#ifndef LOGOS_BDD_STEP_H
#define LOGOS_BDD_STEP_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The context of one running step or hook (opaque, owned by the runner). */
struct lb_step;
/* A step's DataTable (opaque, owned by the runner). */
struct lb_table;

/* A step or hook function: 0 = passed, else an LB_STEP_* outcome code. */
typedef int (*lb_step_fn)(struct lb_step *s);

/* The codes lb_step_fail/pending/skip return (0 is passed). */
enum lb_step_outcome {
    LB_STEP_PASSED = 0,
    LB_STEP_FAILED = 1,
    LB_STEP_PENDING = 2,
    LB_STEP_SKIPPED = 3
};

/* ---- Step definitions ---- */

/* How a pattern is read. */
enum lb_pattern_kind {
    LB_PATTERN_AUTO = 0,   /* a regex when it starts with ^ or ends with $ */
    LB_PATTERN_EXPRESSION, /* a Cucumber Expression */
    LB_PATTERN_REGEX       /* a PCRE2 regular expression */
};

/*
 * Registers a step definition; `pattern` and `file` must live as long as
 * the program (string literals). Called by the LB_STEP macros; an invalid
 * pattern is reported when the run starts, with `file:line`.
 */
void lb_step_register(const char *pattern,
                      enum lb_pattern_kind kind,
                      lb_step_fn fn,
                      const char *file,
                      int line);

#define LB__CAT3_(a, b, c) a##b##c
#define LB__CAT3(a, b, c)  LB__CAT3_(a, b, c)

#define LB__STEP(pattern, kind, fn)                                    \
    __attribute__((constructor)) static void LB__CAT3(                 \
        lb__register_, fn, __LINE__)(void)                             \
    {                                                                  \
        lb_step_register((pattern), (kind), (fn), __FILE__, __LINE__); \
    }                                                                  \
    struct lb__step_semicolon

/* A Cucumber Expression, or a regex when it starts with ^ or ends with $. */
#define LB_STEP(pattern, fn) LB__STEP(pattern, LB_PATTERN_AUTO, fn)
/* Always a Cucumber Expression. */
#define LB_STEP_EXPR(pattern, fn) LB__STEP(pattern, LB_PATTERN_EXPRESSION, fn)
/* Always a PCRE2 regular expression. */
#define LB_STEP_REGEX(pattern, fn) LB__STEP(pattern, LB_PATTERN_REGEX, fn)

/* ---- Arguments ---- */

/* The number of matched parameters (capture groups of a regex). */
size_t lb_step_arg_count(const struct lb_step *s);
/*
 * Parameter `i` (0-based) as a number: 0 when it is missing or not a
 * number. {int} and {bigint} give long long, {float}/{double} double.
 */
long long lb_step_arg_int(const struct lb_step *s, size_t i);
double lb_step_arg_double(const struct lb_step *s, size_t i);
/*
 * Parameter `i` as text (a {string} without its quotes), or NULL when
 * missing or when the group did not take part in the match.
 */
const char *lb_step_arg_str(const struct lb_step *s, size_t i);
/* A custom parameter type's transformed value (NULL for built-in types). */
void *lb_step_arg_value(const struct lb_step *s, size_t i);
/* The step's text, after the keyword. */
const char *lb_step_text(const struct lb_step *s);

/* ---- DataTable and DocString ---- */

/* The step's DataTable, or NULL when it has none. */
const struct lb_table *lb_step_table(const struct lb_step *s);
size_t lb_table_rows(const struct lb_table *t);
size_t lb_table_cols(const struct lb_table *t);
/* A cell's text ("" out of range). */
const char *lb_table_cell(const struct lb_table *t, size_t row, size_t col);
/* The DocString's content, or NULL when the step has none. */
const char *lb_step_doc_string(const struct lb_step *s);
/* The DocString's media type (```json → "json"), or NULL when none. */
const char *lb_step_doc_media_type(const struct lb_step *s);

/* ---- Outcomes ---- */

/*
 * Each records the formatted message (the first one wins) and returns the
 * code the step function must return:
 *     return lb_step_fail(s, "expected %d blocks, got %d", want, got);
 * Returning LB_STEP_PENDING or LB_STEP_SKIPPED directly gives the status
 * without a message (Cucumber's `return 'pending'`). A failure's report
 * names the feature line and the step definition's file:line.
 */
int lb_step_fail(struct lb_step *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int lb_step_pending(struct lb_step *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int lb_step_skip(struct lb_step *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- Attachments ---- */

/*
 * Attaches `len` bytes (copied) to the report, base64-encoded in the
 * messages. `media_type` NULL means application/octet-stream; `name` (may
 * be NULL) is the file name reports show.
 */
void lb_step_attach(struct lb_step *s,
                    const void *data,
                    size_t len,
                    const char *media_type,
                    const char *name);
/*
 * Attaches text (copied; NUL-terminated UTF-8), written as is in the
 * messages (invalid UTF-8 falls back to base64). `media_type` NULL means
 * text/plain.
 */
void lb_step_attach_text(struct lb_step *s,
                         const char *text,
                         const char *media_type,
                         const char *name);
/* Logs a line of text (a text/x.cucumber.log+plain attachment). */
void lb_step_log(struct lb_step *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Attaches a link (a text/uri-list attachment). */
void lb_step_link(struct lb_step *s, const char *uri);

/* ---- The world: per-scenario state shared by the steps ---- */

/* The slot `key`, or NULL when unset. */
void *lb_world_get(const struct lb_step *s, const char *key);
/*
 * Sets the slot `key` (copied) to `ptr`, taking it: `free_fn` (may be NULL)
 * is called on it after the scenario's after-hooks, or when the slot is set
 * again. Several libraries share one world through distinct keys.
 */
void lb_world_set(struct lb_step *s,
                  const char *key,
                  void *ptr,
                  void (*free_fn)(void *));

/* ---- Scenario information ---- */

/* The scenario's (pickle's) name; "" in before-all/after-all hooks. */
const char *lb_step_scenario_name(const struct lb_step *s);
/* True when the scenario has the tag (with its @, inherited ones too). */
bool lb_step_has_tag(const struct lb_step *s, const char *tag);
/* The feature file's path as given to the runner ("" in run hooks). */
const char *lb_step_uri(const struct lb_step *s);

/* ---- Hooks ---- */

enum lb_hook_kind {
    LB_HOOK_BEFORE = 0,  /* before each scenario */
    LB_HOOK_AFTER,       /* after each scenario, also when it failed */
    LB_HOOK_BEFORE_STEP, /* before each step */
    LB_HOOK_AFTER_STEP,  /* after each step */
    LB_HOOK_BEFORE_ALL,  /* once before the run */
    LB_HOOK_AFTER_ALL    /* once after the run */
};

/*
 * Options of a hook: a name shown in reports, a tag expression the
 * scenario must match ("@a and not @b"), and an order: before hooks run by
 * ascending order, after hooks by descending order; equal orders keep the
 * definition order for before hooks and its reverse for after hooks (as
 * Cucumber does).
 */
struct lb_hook_opts {
    int lb__first; /* keeps the initializer valid when no option is given */
    const char *name;
    const char *tags;
    int order;
};

/* Registers a hook; the strings must live as long as the program. */
void lb_hook_register(enum lb_hook_kind kind,
                      lb_step_fn fn,
                      const char *file,
                      int line,
                      const struct lb_hook_opts *opts);

/*
 *     LB_HOOK(LB_HOOK_BEFORE, fn, .name = "reset", .tags = "@db", .order = 10);
 */
#define LB_HOOK(kind, fn, ...)                                         \
    __attribute__((constructor)) static void LB__CAT3(                 \
        lb__hook_, fn, __LINE__)(void)                                 \
    {                                                                  \
        static const struct lb_hook_opts lb__opts = {.lb__first = 0,   \
                                                     __VA_ARGS__};     \
        lb_hook_register((kind), (fn), __FILE__, __LINE__, &lb__opts); \
    }                                                                  \
    struct lb__step_semicolon

#define LB_BEFORE(fn)      LB_HOOK(LB_HOOK_BEFORE, fn)
#define LB_AFTER(fn)       LB_HOOK(LB_HOOK_AFTER, fn)
#define LB_BEFORE_STEP(fn) LB_HOOK(LB_HOOK_BEFORE_STEP, fn)
#define LB_AFTER_STEP(fn)  LB_HOOK(LB_HOOK_AFTER_STEP, fn)
#define LB_BEFORE_ALL(fn)  LB_HOOK(LB_HOOK_BEFORE_ALL, fn)
#define LB_AFTER_ALL(fn)   LB_HOOK(LB_HOOK_AFTER_ALL, fn)

/* ---- Custom parameter types ---- */

/*
 * Turns the capture groups of one matched parameter (`groups[0..count)`,
 * an entry NULL when its group did not match; the whole match when the
 * regexp has no group) into a value. Returns the value and sets
 * `*free_fn` (initially NULL) when the runner must free it after the step;
 * returning NULL with `*error` set (a static or string-literal message)
 * fails the step with that message.
 */
typedef void *(*lb_param_transform_fn)(const char *const *groups,
                                       size_t count,
                                       void (**free_fn)(void *),
                                       const char **error);

struct lb_param_opts {
    int lb__first;    /* keeps the initializer valid when no option is given */
    bool no_snippets; /* never suggest this type in snippets */
    bool prefer_for_regexp_match; /* preferred when regexps overlap */
};

/* Registers a parameter type; the strings must live as long as the program. */
void lb_param_type_register(const char *name,
                            const char *regexp,
                            lb_param_transform_fn transform,
                            const char *file,
                            int line,
                            const struct lb_param_opts *opts);

/*
 *     LB_PARAMETER_TYPE("flight", "([A-Z]{3})-([A-Z]{3})", flight_new);
 *     LB_PARAMETER_TYPE("color", "red|blue", NULL, .no_snippets = true);
 * A NULL transformer gives the matched text as lb_step_arg_str().
 */
#define LB_PARAMETER_TYPE(name, regexp, transform, ...)                    \
    __attribute__((constructor)) static void LB__CAT3(                     \
        lb__param_, __LINE__, _)(void)                                     \
    {                                                                      \
        static const struct lb_param_opts lb__opts = {.lb__first = 0,      \
                                                      __VA_ARGS__};        \
        lb_param_type_register(                                            \
            (name), (regexp), (transform), __FILE__, __LINE__, &lb__opts); \
    }                                                                      \
    struct lb__step_semicolon

/* ---- Run-wide ---- */

/*
 * True once SIGINT or SIGTERM arrived: long steps poll it (e.g. from a
 * 50 ms timer) and tear down. Async-signal-safe to read.
 */
bool lb_run_interrupted(void);
/*
 * A command-line option steps need ("deployer" from --deployer), or NULL
 * when not given. The string lives for the run.
 */
const char *lb_run_option(const char *name);

#ifdef __cplusplus
}
#endif

#endif
