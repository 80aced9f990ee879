/*
 * Internals shared by the formatters in reports/: the index of the event
 * stream (the "model"), the formatter vtable, and text helpers (XML
 * escaping, JUnit names, Cucumber JSON ids, durations). Not a public API:
 * only the reports .c files and the unit tests include it.
 */
#ifndef LB_REPORTS_INTERNAL_H
#define LB_REPORTS_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gherkin/gherkin.h"
#include "reports/formatter.h"

struct lb_error;

/* Step statuses, in increasing severity (as @cucumber/query orders them). */
enum lb__status {
    LB__ST_UNKNOWN = 0,
    LB__ST_PASSED,
    LB__ST_SKIPPED,
    LB__ST_PENDING,
    LB__ST_UNDEFINED,
    LB__ST_AMBIGUOUS,
    LB__ST_FAILED,
    LB__ST_COUNT
};

/* "PASSED" -> LB__ST_PASSED; anything unknown -> LB__ST_UNKNOWN. */
int lb__status_parse(const char *s);
/* Lowercase name: "passed", "failed", ... (static storage). */
const char *lb__status_name(int status);

/* The result of one test step of one test case attempt. */
struct lb__rstep {
    int status;          /* LB__ST_*; UNKNOWN until it finished */
    int finished;        /* a testStepFinished arrived */
    int64_t duration_ns; /* from testStepResult.duration */
    int64_t start_ns;    /* testStepStarted timestamp, 0 when unknown */
    char *message;       /* owned; the short message, may be NULL */
    char *detail;        /* owned; stack trace or message, may be NULL */
    char *exc_type;      /* owned; exception.type, may be NULL */
    json_t *attachments; /* owned array of attachment bodies, or NULL */
};

/*
 * What the reports keep of the documents, pickles and test cases of a
 * stream: C structs copied out of the envelopes when they arrive (strings
 * in the model's arena), so a report reads them at finish without parsing
 * anything again. Strings are "" when the envelope had none, unless a
 * field says NULL.
 */
enum lb__node_kind {
    LB__N_FEATURE = 1,
    LB__N_RULE,
    LB__N_BACKGROUND,
    LB__N_SCENARIO,
    LB__N_EXAMPLES,
    LB__N_ROW,
    LB__N_STEP
};

struct lb__tag {
    const char *name;
    long line, column;
};

/* A node of a gherkinDocument's AST. */
struct lb__node {
    int kind; /* LB__N_* */
    const char *id, *keyword, *name, *description;
    long line;
    struct lb__node *parent; /* the enclosing node; NULL for the feature */
    size_t ntags;
    struct lb__tag *tags;
    int has_doc_string; /* step: it has a docString, at line doc_line */
    long doc_line;
    int index; /* examples: 1-based in its outline; row: in its table body */
    /* Scenario or background read from the parser's structs: its steps,
     * which are not in the id map (a pickle finds them by position). */
    struct lb__node **steps;
    size_t nsteps;
};

struct lb__doc {
    const char *uri;
    struct lb__node *feature; /* NULL for a document without a feature */
};

struct lb__prow {
    size_t ncells;
    const char **cells;
};

struct lb__pstep {
    const char *id, *text;
    const char *ast_id;         /* astNodeIds[0], NULL when absent */
    const struct lb__node *ast; /* that node when it was known, or NULL */
    int has_table;
    size_t nrows;
    struct lb__prow *rows;
    int has_doc;
    const char *doc_content;
    const char *doc_media_type; /* NULL when absent */
};

struct lb__pickle {
    const char *id, *uri, *name;
    long line;
    const char *scenario_id; /* astNodeIds[0], NULL when absent */
    const char *row_id;      /* astNodeIds[1], NULL when absent */
    /* Those nodes when they were known as the pickle arrived, or NULL. */
    const struct lb__node *scenario, *row;
    size_t ntags;
    const char **tags; /* tag names */
    size_t nsteps;
    struct lb__pstep *steps;
};

/* An empty pickle ("" strings, no steps) for an attempt whose pickle the
 * stream never showed. */
extern const struct lb__pickle lb__no_pickle;

/* One stepMatchArgument of a test step's only stepMatchArgumentsList. */
struct lb__arg {
    const char *value; /* NULL: an optional group that did not match */
    long start;
};

struct lb__tstep {
    const char *id;
    const char *pickle_step_id;    /* NULL: a hook step */
    const struct lb__pstep *pstep; /* it, when known as the case arrived */
    const char *hook_id;           /* NULL when absent */
    size_t ndefs;
    const char **def_ids; /* stepDefinitionIds */
    size_t nlists;        /* number of stepMatchArgumentsLists */
    size_t nargs;         /* of the list when there is exactly one */
    struct lb__arg *args;
};

struct lb__case {
    const char *id, *pickle_id;
    size_t nsteps;
    struct lb__tstep *steps;
};

/* A map from id strings (borrowed, they must outlive it) to pointers. */
struct lb__idmap_slot {
    size_t hash;
    const char *key; /* NULL: free */
    void *val;
};

struct lb__idmap {
    struct lb__idmap_slot *slots; /* one array: a probe is one cache line */
    size_t n, cap;                /* cap is 0 or a power of two */
};

void *lb__idmap_get(const struct lb__idmap *map, const char *key);
/* Adds or replaces. */
void lb__idmap_put(struct lb__idmap *map, const char *key, void *val);
void lb__idmap_release(struct lb__idmap *map);

/* One attempt of a test case (one testCaseStarted). */
struct lb__rcase {
    char *id;              /* owned: the testCaseStarted id */
    char *case_id;         /* owned: its testCase id */
    const char *pickle_id; /* the testCase's pickle id (model's) */
    const char *uri;       /* the pickle's uri, "" if unknown (model's) */
    long line;             /* the pickle's line */
    int64_t start_ns;      /* testCaseStarted timestamp */
    int64_t end_ns;        /* testCaseFinished timestamp, 0 until finished */
    int attempt;
    int will_be_retried;
    int finished;
    size_t nsteps;
    struct lb__rstep *steps; /* owned, testCase.testSteps order */
    char **step_ids;         /* the test step ids, in order (model's) */
    unsigned char *is_hook;  /* per step, 1 for a hook step (model's) */
    /* Per step, the step definition id when it matched exactly one, else
     * NULL (model's, interned). */
    const char **def_ids;
    size_t cursor;       /* where the next step event is looked for */
    json_t *attachments; /* owned: attachments without a step, or NULL */
    /* Valid between lb__model_open() and lb__model_close() only: */
    const struct lb__case *test_case;
    const struct lb__pickle *pickle; /* NULL if unknown */
};

/*
 * The index of a stream. What a report needs of the Gherkin documents,
 * pickles and test cases until the end of the run is copied into C structs
 * (above) when they arrive; results are kept in small C structs too. A
 * model can be shared by the formatters of one run (refcount), so each
 * envelope is indexed once.
 */
/* What the stream phase needs of a testCase and of a pickle, extracted
 * once when they arrive. */
struct lb__case_info {
    char *pickle_id;
    size_t nsteps;
    char **step_ids;
    unsigned char *is_hook;
    const char **def_ids; /* keys of lb__model.def_names, or NULL */
};

struct lb__pickle_info {
    char *uri;
    long line;
};

struct lb__run_key;

struct lb__model {
    int refs;
    struct lb__case_info *case_infos; /* by index in case_seq */
    size_t ncases, cases_cap;
    struct lb__idmap case_seq; /* testCase id -> 1 + index in case_infos */
    json_t *def_names;         /* interned step definition ids (id -> null) */
    struct lb__pickle_info *pickle_infos; /* by index in pickle_seq */
    size_t npickles, pickles_cap;
    json_t *last_env; /* the envelope indexed last (reference) */
    /* Or, for an envelope given as the Gherkin parser's structs, the
     * struct and the kind indexed last. */
    const void *last_key;
    char last_kind[64];    /* "pickle:ID" for a pickle struct; for a testCase
                              struct, its id */
    struct lb_arena arena; /* the kept documents, pickles, test cases */
    struct lb__idmap docs; /* uri -> struct lb__doc */
    struct lb__idmap ast;  /* AST node id -> struct lb__node */
    struct lb__idmap pickles_by_id; /* id -> struct lb__pickle */
    struct lb__idmap psteps;        /* pickle step id -> struct lb__pstep */
    struct lb__idmap cases;         /* testCase id -> struct lb__case */
    json_t *doc_order;              /* array of uris, in arrival order */
    json_t *doc_seq;                /* uri -> integer: index in doc_order */
    struct lb__idmap pickle_seq;    /* pickle id -> 1 + arrival index */
    json_t *stepdefs;               /* id -> stepDefinition */
    json_t *hooks;                  /* id -> hook */
    json_t *suggestions;            /* pickle step id -> suggestion */
    struct lb__idmap run_idx;       /* testCaseStarted id -> its attempt */
    struct lb__idmap words;         /* interned keywords */
    char *str_cur, *str_end;        /* where kept strings go (no alignment) */
    struct lb__rcase **runs; /* every attempt, in testCaseStarted order */
    size_t nruns, runs_cap;
    /* The final attempts sorted by document and pickle, computed once for
     * all the reports (lb__model_final_runs) and again only when an event
     * arrived since: `gen` counts the indexed events. */
    unsigned long gen, final_gen;
    struct lb__run_key *final;
    size_t nfinal;
    int64_t run_start_ns; /* testRunStarted timestamp, 0 when absent */
    int64_t run_end_ns;   /* testRunFinished timestamp, 0 when absent */
    int run_started;
    int run_finished;
    int run_success;
    char *run_message; /* owned: testRunFinished message/exception */
    int global_hook_failures;
    json_t *global_hook_messages; /* array of strings */
};

/* A new model (refs = 1); never NULL. */
struct lb__model *lb__model_new(void);
/* Drops a reference; frees the model with the last. NULL is a no-op. */
void lb__model_unref(struct lb__model *m);
/*
 * Points rc->test_case and rc->pickle at what the model kept of them.
 * Returns 0, or LB_EPARSE when the test case is unknown. Close undoes it.
 */
int lb__model_open(struct lb__model *m, struct lb__rcase *rc);
void lb__model_close(struct lb__model *m, struct lb__rcase *rc);
/* The document of `uri`, or NULL. */
const struct lb__doc *lb__model_doc(struct lb__model *m, const char *uri);

/*
 * Indexes one envelope: `kind` is its only key, `body` its value
 * (borrowed). The same envelope given again right after (the next
 * formatter sharing the model) is not indexed twice. Returns 0 or
 * LB_EPARSE naming the kind and field.
 */
int lb__model_event(struct lb__model *m,
                    json_t *envelope,
                    const char *kind,
                    json_t *body,
                    struct lb_error *err);

/*
 * Indexes an envelope of the Gherkin parser given as its structs
 * (lb_formatter_event_gherkin): "gherkinDocument" with `doc`, "pickle"
 * with `pickle`; other kinds are ignored. Repeats are recognised as in
 * lb__model_event. Returns 0.
 */
int lb__model_gherkin(struct lb__model *m,
                      const char *kind,
                      const struct lb_gherkin_document *doc,
                      const struct lb_gherkin_pickle *pickle);

/* Indexes a testCase given as the engine's struct
 * (lb_formatter_event_test_case); repeats are recognised. */
void lb__model_test_case(struct lb__model *m,
                         const struct lb_report_test_case *tc);

/*
 * The final attempts (finished and not retried, or never finished), in
 * document then pickle order, as reports list them whatever order the
 * scenarios ran in. The caller frees the array (lb_free); `*n` gets its
 * length. `uri` non-NULL keeps only that document's.
 */
struct lb__rcase **
lb__model_final_runs(struct lb__model *m, const char *uri, size_t *n);

/* The attempt of testCaseStarted `id`, or NULL. */
struct lb__rcase *lb__model_run(struct lb__model *m, const char *id);

/* Index of test step `id` in an attempt, or -1. */
long lb__rcase_step_index(struct lb__rcase *rc, const char *id);

/* The worst status of a test case attempt (UNKNOWN when it has no steps). */
int lb__rcase_status(const struct lb__rcase *rc);
/* The first step with the given status, or -1. */
long lb__rcase_find(const struct lb__rcase *rc, int status);
/* Sum of the step durations of an attempt, in nanoseconds. */
int64_t lb__rcase_duration(const struct lb__rcase *rc);

/* Test step `i` of an open attempt's test case. */
const struct lb__tstep *lb__rcase_tstep(const struct lb__rcase *rc, size_t i);
/* Its pickle step, or NULL for a hook step. */
const struct lb__pstep *lb__model_pstep(struct lb__model *m,
                                        const struct lb__tstep *tstep);
/* The AST step of a pickle step, or NULL. */
const struct lb__node *lb__model_ast_step(struct lb__model *m,
                                          const struct lb__pstep *pstep);
/* The scenario of a pickle, the feature, the rule or NULL. */
const struct lb__node *lb__model_scenario(struct lb__model *m,
                                          const struct lb__pickle *pickle);
const struct lb__node *lb__model_feature(struct lb__model *m,
                                         const struct lb__pickle *pickle);
const struct lb__node *lb__model_rule(struct lb__model *m,
                                      const struct lb__pickle *pickle);
/*
 * For a pickle made from an examples row: the examples node, the 1-based
 * index of that examples block in its outline and of the row in its table.
 * Returns NULL (indexes untouched) for a plain scenario.
 */
const struct lb__node *lb__model_examples(struct lb__model *m,
                                          const struct lb__pickle *pickle,
                                          int *examples_index,
                                          int *row_index);
/* "file:line" of a step definition or hook (source reference), into `out`
 * (reset first). Empty when unknown. */
void lb__model_location(struct lb__model *m,
                        const struct lb__tstep *tstep,
                        struct lb_buf *out);
/* True when the attempt's final: finished and not going to be retried. */
int lb__rcase_is_final(const struct lb__rcase *rc);

/* {"seconds": s, "nanos": n} -> nanoseconds; 0 for NULL or a bad value. */
int64_t lb__ts_ns(const json_t *ts);
/* A string member or "" (never NULL). */
const char *lb__str(const json_t *obj, const char *key);
/* An integer member, or `def`. */
long long lb__int(const json_t *obj, const char *key, long long def);
/* location.line of a node, 0 when absent. */
long lb__line(const json_t *node);

/* Text helpers (util.c). */

/*
 * Appends `s` escaped for XML character data or an attribute value: & < >
 * " ' as entities, newline/CR/tab as &#10; &#13; &#9; when `attr`, ANSI
 * escape sequences removed, other characters illegal in XML 1.0 written as
 * "\xNN"/"\uXXXX" text, invalid UTF-8 as U+FFFD.
 */
void lb__xml_escape(struct lb_buf *b, const char *s, size_t len, int attr);
/*
 * Appends `s` as one or more CDATA sections: "]]>" is split across two
 * sections, ANSI escapes removed, illegal characters made visible as in
 * lb__xml_escape.
 */
void lb__xml_cdata(struct lb_buf *b, const char *s, size_t len);
/* Appends `s` with ANSI escape sequences removed and invalid UTF-8 as
 * U+FFFD. */
void lb__text_clean(struct lb_buf *b, const char *s, size_t len);
/* Number of code points in a UTF-8 string (invalid bytes count one each). */
size_t lb__utf8_width(const char *s, size_t len);
/* Appends `ns` as decimal seconds with millisecond precision in the C
 * locale: "0", "0.001", "12.345". Negative values are written as 0. */
void lb__seconds(struct lb_buf *b, int64_t ns);
/* Appends a human duration for the summary: "0m01.234s". */
void lb__minutes_seconds(struct lb_buf *b, int64_t ns);
/* Appends the Cucumber-JVM id form of a name: lowercase ASCII, whitespace
 * and ' _ , ! replaced by '-'. */
void lb__json_id(struct lb_buf *b, const char *name);
/* Appends base64 of `len` bytes. */
void lb__base64(struct lb_buf *b, const void *data, size_t len);
/* Appends the JUnit test case name of a pickle (see RUNNER.md 4). */
void lb__junit_name(struct lb__model *m,
                    const struct lb__pickle *pickle,
                    struct lb_buf *b);
/* One `<system-out>` line: keyword+text padded with dots to 76 columns, then
 * the status, then '\n'. */
void lb__step_line(struct lb_buf *b,
                   const char *keyword,
                   const char *text,
                   const char *status);

/* Formatter plumbing (formatter.c). */

struct lb__fmt_ops {
    const char *name;
    int uses_model; /* the common code indexes every envelope first */
    int streams;    /* writes as it goes when on stdout */
    int (*init)(struct lb_formatter *f, struct lb_error *err);
    /* Called after the model indexed the envelope. */
    int (*event)(struct lb_formatter *f,
                 const char *kind,
                 json_t *body,
                 json_t *envelope,
                 struct lb_error *err);
    /* Appends the rest of the report to f->out. */
    int (*finish)(struct lb_formatter *f, struct lb_error *err);
    void (*release)(struct lb_formatter *f);
};

struct lb_formatter {
    const struct lb__fmt_ops *ops;
    struct lb_formatter_options opts;
    char *path;     /* owned; NULL = stream */
    FILE *stream;   /* borrowed; stdout or opts.out when path is NULL */
    FILE *tmp;      /* streaming file output (message to a file) */
    char *tmp_path; /* owned; name of `tmp` until renamed */
    struct lb__model *model; /* NULL unless ops->uses_model; maybe shared */
    struct lb_buf out;       /* pending output */
    /* The text of the envelope being handled (lb_formatter_event_text),
     * NULL when there is none. */
    const char *env_text;
    size_t env_text_len;
    int finished;
    void *priv; /* the formatter's own state, freed by its release */
};

/*
 * Opens the temp file (PATH.tmp.XXXXXX, same folder) that a file report is
 * written to and that finish renames to PATH. Done by finish for every file
 * report; a streaming formatter may open it earlier. LB_EIO naming it.
 */
int lb__fmt_open_tmp(struct lb_formatter *f, struct lb_error *err);

/*
 * Writes f->out to the stream now (stdout, or the temp file of a streaming
 * file formatter) and empties it; for a file formatter without a temp file
 * it keeps the bytes until finish. LB_EIO on a write error.
 */
int lb__fmt_flush(struct lb_formatter *f, struct lb_error *err);

/* ANSI colour helpers: append the escape only when f->opts.color. */
void lb__color(struct lb_formatter *f, int status);
void lb__color_reset(struct lb_formatter *f);
void lb__color_code(struct lb_formatter *f, const char *code);

extern const struct lb__fmt_ops lb__fmt_message;
extern const struct lb__fmt_ops lb__fmt_junit;
extern const struct lb__fmt_ops lb__fmt_json;
extern const struct lb__fmt_ops lb__fmt_pretty;
extern const struct lb__fmt_ops lb__fmt_progress;
extern const struct lb__fmt_ops lb__fmt_summary;
extern const struct lb__fmt_ops lb__fmt_rerun;
extern const struct lb__fmt_ops lb__fmt_usage;

/* The summary block (also printed by pretty and progress). */
void lb__summary_write(struct lb_formatter *f, struct lb_buf *b);

#endif
