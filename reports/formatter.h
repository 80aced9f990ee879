/*
 * Report formatters: consumers of the Cucumber Messages event stream.
 *
 * Every report of a run (pretty, progress, summary, junit, json, message,
 * rerun, usage) is built from one stream of envelopes (jansson objects such
 * as {"testStepFinished": {...}}) in the official order: meta, source,
 * gherkinDocument, pickle, stepDefinition, hook, parameterType,
 * undefinedParameterType, testRunStarted, testCase, testCaseStarted,
 * testStepStarted, attachment, testStepFinished, testCaseFinished,
 * suggestion, testRunHookStarted/Finished, and testRunFinished last.
 *
 * Usage, once per report the user asked for:
 *
 *     struct lb_formatter *f = NULL;
 *     struct lb_formatter_options opts = {0};
 *     opts.color = 1;
 *     if (lb_formatter_new("junit", "out/report.xml", &opts, &f, err) != 0)
 *         ...report err, exit 2...
 *     for each envelope: lb_formatter_event(f, envelope, err);
 *     lb_formatter_finish(f, err);        (writes the file)
 *     lb_formatter_free(f);
 *
 * Streaming formats (message, progress, pretty to stdout) write as events
 * arrive; the others keep what they need, indexed by id, and write at
 * finish. Files are always written at finish, atomically (temp file and
 * rename), so a report file is either complete or absent. Output is in the
 * C locale and valid UTF-8 whatever the envelopes contain (invalid UTF-8 is
 * written as U+FFFD).
 *
 * A formatter is not thread-safe; one thread feeds it.
 */
#ifndef LB_REPORTS_FORMATTER_H
#define LB_REPORTS_FORMATTER_H

#include <jansson.h>
#include <stdio.h>

struct lb_error;
struct lb_formatter;
struct lb_gherkin_document;
struct lb_gherkin_pickle;

/*
 * Options shared by all formatters. Zero-initialise it; every field has its
 * default at zero, and fields are only ever added.
 */
struct lb_formatter_options {
    /* ANSI colours for pretty/progress/summary (the engine decides it from
     * --color auto|always|never, NO_COLOR and FORCE_COLOR). */
    int color;
    /* junit: one <testsuites> with a <testsuite> per feature instead of
     * a single <testsuite name="logos-bdd">. */
    int junit_suite_per_feature;
    /* junit: the suite name; NULL = "logos-bdd". Borrowed, copied. */
    const char *suite_name;
    /* pretty/summary: print snippets of undefined steps (from suggestion
     * envelopes); 0 = on, 1 = off. */
    int no_snippets;
    /* Stream used for the path NULL or "-"; NULL = stdout. Borrowed: it
     * must outlive the formatter, which flushes but never closes it. Tests
     * use it to capture stdout output. */
    FILE *out;
    /* Another formatter of the same run (borrowed; it must outlive this
     * one's events, the index itself is refcounted) whose index of the
     * stream this one shares, so a run with several reports keeps one copy
     * of what they need. Then feed envelope-major: each envelope (the same
     * json_t) to every formatter of the group before the next envelope;
     * the index recognises the repeats and indexes it once. Formatters
     * without an index (message) ignore it, and may themselves be named
     * here: they then hold the index for the others, so a run can always
     * pass its first formatter. */
    struct lb_formatter *share_index;
};

/*
 * Creates formatter `name` writing to `path` (NULL or "-" = the options'
 * stream, stdout by default). `opts` may be NULL (all defaults); it is
 * copied. Unknown name: LB_EUSAGE and a message listing the known names.
 * On success `*out` owns a formatter the caller frees with
 * lb_formatter_free(). Nothing is written to `path` before finish.
 */
int lb_formatter_new(const char *name,
                     const char *path,
                     const struct lb_formatter_options *opts,
                     struct lb_formatter **out,
                     struct lb_error *err);

/*
 * The known formatter names, NULL-terminated, static storage:
 * "pretty", "progress", "summary", "junit", "json", "message", "rerun",
 * "usage".
 */
const char *const *lb_formatter_names(void);

/* True when `name` is a known formatter name. */
int lb_formatter_known(const char *name);

/*
 * Feeds one envelope (borrowed; the formatter takes its own references to
 * what it keeps). An envelope of an unknown kind is ignored, so newer
 * streams still work. A malformed envelope of a known kind (e.g. a
 * testStepFinished without a testStepResult) gives LB_EPARSE naming the
 * kind and the field; the formatter stays usable. Writing to a stream that
 * fails gives LB_EIO.
 */
int lb_formatter_event(struct lb_formatter *f,
                       const json_t *envelope,
                       struct lb_error *err);

/*
 * The same, with the envelope also as text: `len` bytes of JSON on one
 * line (no newline) that parse to `envelope`. A message report writes that
 * text as is instead of serialising the envelope (the engine writes the
 * text of its frequent envelopes directly, lb-report passes the lines it
 * read). `text` NULL is lb_formatter_event().
 */
int lb_formatter_event_text(struct lb_formatter *f,
                            const json_t *envelope,
                            const char *text,
                            size_t len,
                            struct lb_error *err);

/*
 * Feeds an envelope of the Gherkin parser without its jansson object: the
 * parser's structs (borrowed for the call) and the envelope's text (as
 * lb_formatter_event_text). `kind` is "source", "gherkinDocument" (from
 * `doc`), or "pickle" (`pickle`, one of doc's, a view of
 * lb_gherkin_pickle_at: known by its id, so a caller may remake the next
 * pickle in the same scratch); the result is the same as feeding the
 * parsed `text`. The CLI uses it so that a run never parses the
 * JSON it wrote; envelope-major feeding applies as for the others.
 */
int lb_formatter_event_gherkin(struct lb_formatter *f,
                               const char *kind,
                               const char *text,
                               size_t len,
                               const struct lb_gherkin_document *doc,
                               const struct lb_gherkin_pickle *pickle,
                               struct lb_error *err);

/* A testCase envelope as the engine has it (everything borrowed). */
struct lb_report_test_step {
    const char *id;
    const char *pickle_step_id; /* NULL: a hook step */
    const char *hook_id;        /* NULL: not a hook step */
    size_t ndefs;
    const char *const *def_ids; /* stepDefinitionIds, ndefs of them */
    /* Per definition, its stepMatchArguments array (ndefs of them). */
    const json_t *const *arguments;
};

struct lb_report_test_case {
    const char *id;
    const char *pickle_id;
    size_t nsteps;
    const struct lb_report_test_step *steps;
};

/*
 * Feeds a testCase envelope given as `tc` and its text (`len` bytes of
 * compact JSON, which must say the same): the engine's way of sending the
 * largest envelope of a run without building it in jansson.
 */
int lb_formatter_event_test_case(struct lb_formatter *f,
                                 const char *text,
                                 size_t len,
                                 const struct lb_report_test_case *tc,
                                 struct lb_error *err);

/*
 * Completes the report: writes the file atomically (or the rest of the
 * stdout output) and flushes. Call once; a second call gives LB_ESTATE. An
 * unwritable path gives LB_EIO with the path in the message. A stream that
 * never saw testRunFinished is still completed with what arrived.
 */
int lb_formatter_finish(struct lb_formatter *f, struct lb_error *err);

/* Frees the formatter (NULL is a no-op). Does not finish it. */
void lb_formatter_free(struct lb_formatter *f);

/*
 * Feeds every line of an NDJSON stream `text` (length `len`) to the `n`
 * formatters in `fs`. Blank lines are skipped; a line that is not a JSON
 * object gives LB_EPARSE with `source_name`:line. Used by lb-report and
 * the tests.
 */
int lb_formatter_feed_ndjson(struct lb_formatter **fs,
                             size_t n,
                             const char *text,
                             size_t len,
                             const char *source_name,
                             struct lb_error *err);

#endif
