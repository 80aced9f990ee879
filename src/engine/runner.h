/*
 * The test run: turns pickles into test cases, runs them against the
 * registered step definitions and hooks, and emits the Cucumber Messages
 * envelopes of the run, in the official order, to one callback (the CLI
 * fans them out to the formatters).
 *
 *     lb_runner_new(&opts, lb_registry_global(), &ids, emit, ctx, &r, err);
 *     lb_runner_begin(r, err);            meta
 *     lb_runner_add(r, envelope, err);    source, gherkinDocument, pickle...
 *     lb_runner_run(r, &result, err);     definitions ... testRunFinished
 *     lb_runner_free(r);
 *
 * testRunFinished is always the last envelope, also when the run stops on
 * an error (lb_runner_abort) or an interrupt.
 */
#ifndef LB_ENGINE_RUNNER_H
#define LB_ENGINE_RUNNER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/registry.h"
#include "reports/formatter.h"

struct lb_buf;
struct lb_error;
struct lb_idgen;

enum lb_order { LB_ORDER_DEFINED = 0, LB_ORDER_REVERSE, LB_ORDER_RANDOM };

struct lb_run_options {
    bool dry_run;   /* match but do not run; hooks are skipped */
    bool no_strict; /* pending does not fail the run */
    bool fail_fast; /* stop after the first failing test case */
    int retry;      /* re-run a failed test case up to this many times */
    const char *retry_tag_filter; /* borrowed tag expression, NULL = all */
    enum lb_order order;
    uint64_t seed; /* for LB_ORDER_RANDOM */
    /* Meta: the implementation version (borrowed, may be NULL). */
    const char *version;
};

/*
 * Receives each envelope (borrowed for the call) and, for the frequent
 * ones, the same envelope as one line of compact JSON text (`text`, `len`
 * bytes, no newline, borrowed for the call; NULL when there is none), which
 * a message report can write as is instead of serialising `envelope`. A
 * non-zero return stops nothing: it is counted and lb_runner_run() reports
 * the first error.
 */
typedef int (*lb_event_cb)(void *ctx,
                           const json_t *envelope,
                           const char *text,
                           size_t len,
                           struct lb_error *err);

struct lb_gherkin_document;
struct lb_gherkin_pickle;

/*
 * Receives an envelope of the Gherkin parser passed on by
 * lb_runner_add_gherkin(): its kind, its text (as lb_event_cb) and the
 * parser's structs it was written from, all borrowed for the call.
 */
typedef int (*lb_gherkin_event_cb)(void *ctx,
                                   const char *kind,
                                   const char *text,
                                   size_t len,
                                   const struct lb_gherkin_document *doc,
                                   const struct lb_gherkin_pickle *pickle,
                                   struct lb_error *err);

/*
 * Receives the testCase envelopes when set (lb_runner_set_test_case_cb):
 * the reports' struct of it and its text, borrowed for the call, instead
 * of a jansson object through lb_event_cb.
 */
typedef int (*lb_test_case_event_cb)(void *ctx,
                                     const char *text,
                                     size_t len,
                                     const struct lb_report_test_case *tc,
                                     struct lb_error *err);

enum lb_status {
    LB_STATUS_UNKNOWN = 0,
    LB_STATUS_PASSED,
    LB_STATUS_SKIPPED,
    LB_STATUS_PENDING,
    LB_STATUS_UNDEFINED,
    LB_STATUS_AMBIGUOUS,
    LB_STATUS_FAILED,
    LB_STATUS_COUNT
};

/* "PASSED", "FAILED", ... as Cucumber Messages spell them. */
const char *lb_status_name(enum lb_status s);

struct lb_run_result {
    bool success;
    bool interrupted;
    size_t test_cases;                /* test cases that finished */
    size_t cases_by[LB_STATUS_COUNT]; /* by final status */
    size_t steps_by[LB_STATUS_COUNT]; /* pickle steps, final attempts */
    size_t undefined_or_ambiguous;    /* for --dry-run's exit code */
};

struct lb_runner;

/* `reg` and `ids` are borrowed and must outlive the runner. */
int lb_runner_new(const struct lb_run_options *opts,
                  struct lb_registry *reg,
                  struct lb_idgen *ids,
                  lb_event_cb cb,
                  void *ctx,
                  struct lb_runner **out,
                  struct lb_error *err);
void lb_runner_free(struct lb_runner *r);

/* Emits meta. */
int lb_runner_begin(struct lb_runner *r, struct lb_error *err);

/*
 * Passes an envelope of the parser on (source, gherkinDocument,
 * parseError); a pickle envelope is also kept (the runner takes a
 * reference) to become a test case. The caller filters pickles first.
 */
int lb_runner_add(struct lb_runner *r, json_t *envelope, struct lb_error *err);
/* The same, with the envelope's text as it was parsed (`len` bytes of
 * compact JSON, no newline), passed on to the callback. */
int lb_runner_add_text(struct lb_runner *r,
                       json_t *envelope,
                       const char *text,
                       size_t len,
                       struct lb_error *err);

/* Where lb_runner_add_gherkin() sends its envelopes (with the runner's
 * callback context). */
void lb_runner_set_gherkin_cb(struct lb_runner *r, lb_gherkin_event_cb cb);

/* Sends the testCase envelopes to `cb` (with the runner's callback
 * context) as structs and text instead of jansson objects. */
void lb_runner_set_test_case_cb(struct lb_runner *r, lb_test_case_event_cb cb);

/*
 * Passes on an envelope of the parser given as its text and structs, with
 * no jansson object (nothing parses the JSON just written): `kind`
 * "source", "gherkinDocument" (`doc`) or "pickle" (`pickle`, of `doc`,
 * which the runner copies to become a test case). Needs the Gherkin
 * callback; it fails with LB_ESTATE without one.
 */
int lb_runner_add_gherkin(struct lb_runner *r,
                          const char *kind,
                          const char *text,
                          size_t len,
                          const struct lb_gherkin_document *doc,
                          const struct lb_gherkin_pickle *pickle,
                          struct lb_error *err);

/*
 * Emits the definitions, runs every test case and emits testRunFinished.
 * Fails (after testRunFinished) when a definition does not compile or an
 * envelope callback failed.
 *
 * Test seam: when the environment variable LOGOS_BDD_INJECT_RUN_ERROR is
 * set and not empty, the run fails right after testRunStarted with that
 * message, as an error outside any step would make it (the CCK's
 * test-run-exception sample).
 */
int lb_runner_run(struct lb_runner *r,
                  struct lb_run_result *result,
                  struct lb_error *err);

/*
 * Ends a run that could not start (bad input found after lb_runner_begin):
 * emits testRunStarted and testRunFinished with `message`.
 */
int lb_runner_abort(struct lb_runner *r,
                    const char *message,
                    struct lb_error *err);

/*
 * Appends the C snippets of the run's undefined steps to `out`, each
 * expression once, function names unique. Call after lb_runner_run.
 */
void lb_runner_snippets(struct lb_runner *r, struct lb_buf *out);

/*
 * Appends, for each ambiguous step of the run, the step and every
 * definition it matches with its file:line. Empty when none.
 */
void lb_runner_ambiguities(struct lb_runner *r, struct lb_buf *out);

/* Signal handling: the flag lb_run_interrupted() reads. */
void lb_runner_install_signals(void);
/* Which signal stopped the run (0 = none). */
int lb_runner_signal(void);
/* Sets the interrupted flag (tests, and the CLI's own fatal paths). */
void lb_runner_interrupt(int signo);

/* Options steps read with lb_run_option() (name and value borrowed). */
void lb_run_option_set(const char *name, const char *value);

#endif
