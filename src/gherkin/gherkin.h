/*
 * The Gherkin front end: dialects, the parser (classic `.feature` and
 * Markdown with Gherkin `.feature.md`), the AST of a document, the pickle
 * compiler, lookups from AST node ids to nodes, and the NDJSON writers of
 * the official Cucumber Messages envelopes (source, gherkinDocument, pickle,
 * parseError).
 *
 * Behaviour follows the official parsers (Gherkin 6 grammar; the
 * JavaScript parser @cucumber/gherkin is the reference where the testdata
 * says nothing): same tokens, same AST, same pickles, same ids in the same
 * order, same parse error messages.
 *
 * Typical use (one id generator for the whole run, as the official tools):
 *
 *     struct lb_gherkin_dialects *dl = NULL;
 *     struct lb_gherkin_document *doc = NULL;
 *     struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
 *     lb_gherkin_dialects_new(&dl, NULL, err);   (English + the env file)
 *     o.dialects = dl;
 *     o.ids = &run_ids;
 *     rc = lb_gherkin_parse_file(path, &o, &doc, err);
 *     if (rc == 0)
 *         rc = lb_gherkin_compile(doc, err);
 *     ... doc->feature ...
 *     for (i = 0; i < doc->n_pickles; i++) {
 *         const struct lb_gherkin_pickle *p =
 *             lb_gherkin_pickle_at(doc, i, &scratch);
 *         ... p->steps[k].text ...    (valid until the next call)
 *     }
 *     lb_gherkin_pickle_scratch_release(&scratch);
 *     lb_gherkin_document_free(doc);
 *     lb_gherkin_dialects_free(dl);
 *
 * Memory: a document owns everything reachable from it (one arena); every
 * `const char *` in the structs below is NUL-terminated UTF-8, owned by the
 * document (the AST's: until lb_gherkin_document_free()) or by a pickle
 * scratch (a pickle's own texts and ids). Arrays are a pointer
 * and a count (`n_...`); an empty array may have a NULL pointer. A
 * document stores no pickles (a mark every 64 of them): each pickle is
 * made from the AST when asked for (lb_gherkin_pickle_at), in a scratch
 * the caller owns and reuses. Names and step texts of the AST are spans of
 * the source (lb_gherkin_text), which the document owns, or borrows from
 * the caller (LB_GHERKIN_BORROW_SOURCE). Never write through a pointer of
 * the document.
 * Dialects are owned by their `struct lb_gherkin_dialects` set, which must
 * outlive every document parsed with it (documents point at keywords of
 * their dialect only through copies, but the parse itself reads the set).
 */
#ifndef LB_GHERKIN_GHERKIN_H
#define LB_GHERKIN_GHERKIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/id.h"

struct lb_buf;
struct lb_error;

/* ------------------------------------------------------------------ */
/* Dialects                                                            */
/* ------------------------------------------------------------------ */

/* A list of keywords, in the order of gherkin-languages.json. */
struct lb_gherkin_keywords {
    const char *const *items;
    size_t len;
};

/*
 * One dialect, as in gherkin-languages.json. Step keywords keep their
 * trailing space ("Given ", "* "); title keywords have no colon
 * ("Feature", "Scenario Outline").
 */
struct lb_gherkin_dialect {
    const char *code;   /* "en", "fr", "en-pirate" */
    const char *name;   /* "English" */
    const char *native; /* "English", "français" */
    struct lb_gherkin_keywords feature;
    struct lb_gherkin_keywords rule;
    struct lb_gherkin_keywords background;
    struct lb_gherkin_keywords scenario;
    struct lb_gherkin_keywords scenario_outline;
    struct lb_gherkin_keywords examples;
    struct lb_gherkin_keywords given;
    struct lb_gherkin_keywords when;
    struct lb_gherkin_keywords then;
    struct lb_gherkin_keywords and_;
    struct lb_gherkin_keywords but;
};

/* English, built in; static storage, never freed. */
const struct lb_gherkin_dialect *lb_gherkin_dialect_english(void);

/* A set of dialects: English plus any loaded from files. Opaque. */
struct lb_gherkin_dialects;

/*
 * Creates a set holding English, then loads `i18n_file` when it is not
 * NULL, else the file named by the environment variable
 * LOGOS_BDD_GHERKIN_LANGUAGES when that is set and not empty. On success
 * `*out` receives the set (the caller owns it: lb_gherkin_dialects_free);
 * on failure `*out` is NULL and `err` names the file and what is wrong.
 */
int lb_gherkin_dialects_new(struct lb_gherkin_dialects **out,
                            const char *i18n_file,
                            struct lb_error *err);

/* Frees a set and its dialects; NULL is a no-op. */
void lb_gherkin_dialects_free(struct lb_gherkin_dialects *set);

/*
 * Adds every dialect of a file in the gherkin-languages.json format (an
 * object of code -> {name, native, feature: [...], ...}) to the set; a
 * dialect whose code is already there replaces it. Fails (LB_EIO,
 * LB_EPARSE) naming the file, and the dialect and field at fault; the set
 * is unchanged then.
 */
int lb_gherkin_dialects_load_file(struct lb_gherkin_dialects *set,
                                  const char *path,
                                  struct lb_error *err);

/* The same from bytes in memory; `origin` names them in errors. */
int lb_gherkin_dialects_load_json(struct lb_gherkin_dialects *set,
                                  const char *json,
                                  size_t len,
                                  const char *origin,
                                  struct lb_error *err);

/*
 * The dialect of `code`, or NULL. A NULL set means English only. The
 * pointer lives as long as the set (English: forever).
 */
const struct lb_gherkin_dialect *
lb_gherkin_dialects_find(const struct lb_gherkin_dialects *set,
                         const char *code);

/* Number of dialects in the set and the i-th, sorted by code. */
size_t lb_gherkin_dialects_count(const struct lb_gherkin_dialects *set);
const struct lb_gherkin_dialect *
lb_gherkin_dialects_at(const struct lb_gherkin_dialects *set, size_t i);

/*
 * Appends the table of `--i18n-languages` to `out`, as cucumber-js prints
 * it: one line per dialect, sorted by code, columns code, name, native,
 * padded to the widest entry of each column.
 */
void lb_gherkin_print_languages(const struct lb_gherkin_dialects *set,
                                struct lb_buf *out);

/*
 * Appends the table of `--i18n-keywords LANG` to `out`, as cucumber-js
 * prints it: one line per keyword kind (feature, background, scenario,
 * scenario outline, examples, given, when, then, and, but; rule too), then
 * its keywords quoted and comma-separated. Fails with LB_ENOTFOUND when
 * the set has no dialect `code`.
 */
int lb_gherkin_print_keywords(const struct lb_gherkin_dialects *set,
                              const char *code,
                              struct lb_buf *out,
                              struct lb_error *err);

/* ------------------------------------------------------------------ */
/* The AST (the official gherkinDocument)                              */
/* ------------------------------------------------------------------ */

struct lb_gherkin_document;

/*
 * AST node ids are numbers, formatted when written: a node's `id` is its
 * id's rank in the document (0 for the first node made), the generator's
 * ordinal minus the document's first. lb_gherkin_id gives the text (the
 * document keeps the generator's mode and seed: it needs no generator).
 */
int lb_gherkin_id(const struct lb_gherkin_document *doc,
                  uint32_t id,
                  char out[LB_ID_MAX]);

/* 1-based; column 0 means "no column" (an error at the end of the file). */
struct lb_gherkin_location {
    int line;
    int column;
};

/*
 * A text of the document that is NOT NUL-terminated (a big document has
 * millions of names and descriptions: most are not copied): `len` bytes at
 * lb_gherkin_text(doc, span). It is a span of doc->source when the text is
 * there verbatim (a name always; a description over "\n" line ends), else
 * a copy the document keeps (a description over "\r\n" lines).
 */
struct lb_gherkin_span {
    uint32_t off; /* < doc->source_len: into the source; else a copy's */
    uint32_t len;
};

/* The first byte of `span` (of `span.len`), owned by the document. */
const char *lb_gherkin_text(const struct lb_gherkin_document *doc,
                            struct lb_gherkin_span span);

/* Step keyword types, as the messages `keywordType`. */
enum lb_gherkin_keyword_type {
    LB_GHERKIN_KEYWORD_UNKNOWN = 0, /* "Unknown": in several lists */
    LB_GHERKIN_KEYWORD_CONTEXT,     /* "Context": given */
    LB_GHERKIN_KEYWORD_ACTION,      /* "Action": when */
    LB_GHERKIN_KEYWORD_OUTCOME,     /* "Outcome": then */
    LB_GHERKIN_KEYWORD_CONJUNCTION  /* "Conjunction": and, but */
};

/* "Unknown", "Context", "Action", "Outcome", "Conjunction". */
const char *lb_gherkin_keyword_type_name(enum lb_gherkin_keyword_type t);

/*
 * Counts are 32-bit and fields are ordered so that the structs pack (a
 * big document has millions of steps and cells); `id` is the node's id
 * number in its document (see lb_gherkin_id).
 */
struct lb_gherkin_tag {
    uint32_t id;
    struct lb_gherkin_location location;
    const char *name; /* with its '@' */
};

struct lb_gherkin_comment {
    struct lb_gherkin_location location;
    const char *text; /* the whole line, leading space included */
};

/*
 * A table row (20 bytes) keeps no cells (a big document has millions):
 * only its line's start in doc->source and its cell count. Its cells are
 * split again from that line when asked (lb_gherkin_table_row_cells),
 * exactly as the lexer split them at parse time (Markdown tables too).
 */
struct lb_gherkin_table_row {
    uint32_t id;
    uint32_t n_cells;
    struct lb_gherkin_location location;
    uint32_t source_off; /* the start of its line in doc->source */
};

/* A cell of a row, as lb_gherkin_table_row_cells gives it (a view). */
struct lb_gherkin_table_cell {
    const char *value; /* unescaped (\|, \\, \n), trimmed, NUL-terminated */
    uint32_t len;      /* strlen(value): a source holds no NUL byte */
    struct lb_gherkin_location location;
};

/*
 * The scratch lb_gherkin_table_row_cells writes a row's cells into:
 * initialise it with LB_GHERKIN_CELLS_INIT, reuse it for any number of
 * rows (of any documents), release it with lb_gherkin_cells_release.
 */
struct lb_gherkin_cells {
    struct lb_gherkin_table_cell *cells;
    size_t cap;
    void *internal; /* the splitter's state */
};

#define LB_GHERKIN_CELLS_INIT \
    {                         \
        NULL, 0, NULL         \
    }

/*
 * The row->n_cells cells of `row` (a row of `doc`), in order: valid until
 * the next call with `scratch` (or its release). Linear in the line's
 * length, whatever its number of cells; the row the scratch split last
 * costs nothing (keep a scratch per role: an Examples header, its rows).
 * NULL when the row has no cells.
 */
const struct lb_gherkin_table_cell *
lb_gherkin_table_row_cells(const struct lb_gherkin_document *doc,
                           const struct lb_gherkin_table_row *row,
                           struct lb_gherkin_cells *scratch);

/* Frees what `scratch` holds; it is LB_GHERKIN_CELLS_INIT again. */
void lb_gherkin_cells_release(struct lb_gherkin_cells *scratch);

/* 12 bytes, its n_rows rows after it (one allocation). */
struct lb_gherkin_data_table {
    struct lb_gherkin_location location; /* of the first row */
    uint32_t n_rows;
    struct lb_gherkin_table_row rows[];
};

struct lb_gherkin_doc_string {
    struct lb_gherkin_location location; /* of the opening delimiter */
    const char *media_type;              /* NULL when none was given */
    const char *content;                 /* lines joined by "\n" */
    size_t content_len;
    const char *delimiter; /* "\"\"\"" or "```" (Markdown: the fence) */
};

/* What a step's `arg` points to (read it through the accessors below). */
enum lb_gherkin_step_arg {
    LB_GHERKIN_ARG_NONE = 0,
    LB_GHERKIN_ARG_DOC_STRING, /* a struct lb_gherkin_doc_string */
    LB_GHERKIN_ARG_DATA_TABLE, /* a struct lb_gherkin_data_table */
    LB_GHERKIN_ARG_BOTH        /* a struct lb_gherkin_step_args */
};

/* Both arguments of a step (rare: a step has one or none mostly). */
struct lb_gherkin_step_args {
    const struct lb_gherkin_doc_string *doc_string;
    const struct lb_gherkin_data_table *data_table;
};

/*
 * 32 bytes (a big document has millions): the keyword is a small index
 * into the document's step keywords (lb_gherkin_step_keyword), the text a
 * span of the source (lb_gherkin_step_text, `text_len` bytes, not
 * NUL-terminated), the DocString and DataTable share one pointer,
 * `arg_kind` says what it is (lb_gherkin_step_doc_string,
 * lb_gherkin_step_data_table).
 */
struct lb_gherkin_step {
    uint32_t id;
    uint8_t keyword_type;   /* enum lb_gherkin_keyword_type */
    uint8_t arg_kind;       /* enum lb_gherkin_step_arg */
    uint16_t keyword_index; /* see lb_gherkin_step_keyword */
    struct lb_gherkin_location location;
    uint32_t text_off; /* into doc->source: see lb_gherkin_step_text */
    uint32_t text_len;
    const void *arg; /* NULL when arg_kind is LB_GHERKIN_ARG_NONE */
};

/*
 * The step's keyword, with its trailing space ("Given "): a string of the
 * document (a document has at most 65,536 distinct step keywords, far more
 * than a dialect defines).
 */
const char *lb_gherkin_step_keyword(const struct lb_gherkin_document *doc,
                                    const struct lb_gherkin_step *s);

/*
 * The step's text (after the keyword, trimmed): `s->text_len` bytes of
 * doc->source, NOT NUL-terminated (a pickle step's text is).
 */
const char *lb_gherkin_step_text(const struct lb_gherkin_document *doc,
                                 const struct lb_gherkin_step *s);

/* The step's DocString, or NULL when it has none. */
static inline const struct lb_gherkin_doc_string *
lb_gherkin_step_doc_string(const struct lb_gherkin_step *s)
{
    if (s->arg_kind == LB_GHERKIN_ARG_DOC_STRING)
        return (const struct lb_gherkin_doc_string *)s->arg;
    if (s->arg_kind == LB_GHERKIN_ARG_BOTH)
        return ((const struct lb_gherkin_step_args *)s->arg)->doc_string;
    return NULL;
}

/* The step's DataTable, or NULL when it has none. */
static inline const struct lb_gherkin_data_table *
lb_gherkin_step_data_table(const struct lb_gherkin_step *s)
{
    if (s->arg_kind == LB_GHERKIN_ARG_DATA_TABLE)
        return (const struct lb_gherkin_data_table *)s->arg;
    if (s->arg_kind == LB_GHERKIN_ARG_BOTH)
        return ((const struct lb_gherkin_step_args *)s->arg)->data_table;
    return NULL;
}

/*
 * An Examples section. Its table is `header` and the `n_body` rows right
 * after it in memory (lb_gherkin_examples_body).
 */
struct lb_gherkin_examples {
    uint32_t id;
    uint32_t n_tags;
    struct lb_gherkin_location location;
    uint32_t n_body;
    struct lb_gherkin_span name;        /* see lb_gherkin_text */
    struct lb_gherkin_span description; /* empty when none */
    const struct lb_gherkin_tag *tags;
    const char *keyword;
    const struct lb_gherkin_table_row *header; /* NULL when no table */
};

/* The data rows of `x` (`x->n_body` of them); NULL when it has no table. */
static inline const struct lb_gherkin_table_row *
lb_gherkin_examples_body(const struct lb_gherkin_examples *x)
{
    return x->header != NULL ? x->header + 1 : NULL;
}

/*
 * Nodes with a variable part keep it right after themselves (a flexible
 * array member: `steps`, `children`): such a node is never copied by
 * value nor put in an array. Names and descriptions of backgrounds,
 * scenarios, examples and rules are spans (lb_gherkin_text), "" is an
 * empty one; the feature's are NUL-terminated strings.
 */
struct lb_gherkin_background {
    uint32_t id;
    uint32_t n_steps;
    struct lb_gherkin_location location;
    struct lb_gherkin_span name;
    struct lb_gherkin_span description;
    const char *keyword;
    struct lb_gherkin_step steps[];
};

struct lb_gherkin_rule;

/*
 * A Scenario, Example, Scenario Outline or Scenario Template: its steps
 * right after it, its examples right after its steps
 * (lb_gherkin_scenario_examples), its tags after them
 * (lb_gherkin_scenario_tags).
 */
struct lb_gherkin_scenario {
    uint32_t id;
    uint32_t n_tags;
    struct lb_gherkin_location location;
    uint32_t n_steps;
    uint32_t n_examples;
    struct lb_gherkin_span name;
    struct lb_gherkin_span description;
    const char *keyword;
    struct lb_gherkin_step steps[];
};

/* The examples of `s` (`s->n_examples` of them); NULL when none. */
static inline const struct lb_gherkin_examples *
lb_gherkin_scenario_examples(const struct lb_gherkin_scenario *s)
{
    if (s->n_examples == 0)
        return NULL;
    return (const struct lb_gherkin_examples *)(const void *)(s->steps +
                                                              s->n_steps);
}

/* The tags of `s` (`s->n_tags` of them); NULL when none. */
static inline const struct lb_gherkin_tag *
lb_gherkin_scenario_tags(const struct lb_gherkin_scenario *s)
{
    if (s->n_tags == 0)
        return NULL;
    return (const struct lb_gherkin_tag *)(const void *)((
        (const struct lb_gherkin_examples *)(const void *)(s->steps +
                                                           s->n_steps) +
        s->n_examples));
}

enum lb_gherkin_child_kind {
    LB_GHERKIN_CHILD_BACKGROUND = 1,
    LB_GHERKIN_CHILD_SCENARIO,
    LB_GHERKIN_CHILD_RULE /* only in a feature's children */
};

/*
 * A child of a feature or rule, one word: the node's address plus its
 * kind (nodes are 8-byte aligned, so the kind fits in the low bits). Read
 * it through the accessors below: each gives the node, or NULL when the
 * child is of another kind.
 */
struct lb_gherkin_child {
    const char *tagged; /* (const char *)node + enum lb_gherkin_child_kind */
};

static inline enum lb_gherkin_child_kind
lb_gherkin_child_kind(const struct lb_gherkin_child *c)
{
    return (enum lb_gherkin_child_kind)((uintptr_t)c->tagged & 7);
}

static inline const struct lb_gherkin_background *
lb_gherkin_child_background(const struct lb_gherkin_child *c)
{
    return lb_gherkin_child_kind(c) == LB_GHERKIN_CHILD_BACKGROUND
               ? (const struct lb_gherkin_background
                      *)(const void *)(c->tagged - LB_GHERKIN_CHILD_BACKGROUND)
               : NULL;
}

static inline const struct lb_gherkin_scenario *
lb_gherkin_child_scenario(const struct lb_gherkin_child *c)
{
    return lb_gherkin_child_kind(c) == LB_GHERKIN_CHILD_SCENARIO
               ? (const struct lb_gherkin_scenario
                      *)(const void *)(c->tagged - LB_GHERKIN_CHILD_SCENARIO)
               : NULL;
}

static inline const struct lb_gherkin_rule *
lb_gherkin_child_rule(const struct lb_gherkin_child *c)
{
    return lb_gherkin_child_kind(c) == LB_GHERKIN_CHILD_RULE
               ? (const struct lb_gherkin_rule
                      *)(const void *)(c->tagged - LB_GHERKIN_CHILD_RULE)
               : NULL;
}

/*
 * Its children right after it (its Background, if any, is the first), its
 * tags after them (lb_gherkin_rule_tags).
 */
struct lb_gherkin_rule {
    uint32_t id;
    uint32_t n_tags;
    struct lb_gherkin_location location;
    uint32_t n_children;
    struct lb_gherkin_span name;
    struct lb_gherkin_span description;
    const char *keyword;
    struct lb_gherkin_child children[];
};

/* The tags of `r` (`r->n_tags` of them); NULL when none. */
static inline const struct lb_gherkin_tag *
lb_gherkin_rule_tags(const struct lb_gherkin_rule *r)
{
    if (r->n_tags == 0)
        return NULL;
    return (const struct lb_gherkin_tag *)(const void *)(r->children +
                                                         r->n_children);
}

/* The Background of `r` (its first child when it has one), or NULL. */
static inline const struct lb_gherkin_background *
lb_gherkin_rule_background(const struct lb_gherkin_rule *r)
{
    return r->n_children > 0 ? lb_gherkin_child_background(&r->children[0])
                             : NULL;
}

/*
 * Where a scenario sits is not stored in it (a big document has millions):
 * its rule (NULL when it is directly in the feature), found in O(log n)
 * among the feature's children. Its backgrounds are the feature's
 * (lb_gherkin_feature_background) and its rule's
 * (lb_gherkin_rule_background), each NULL when none.
 */
const struct lb_gherkin_rule *
lb_gherkin_scenario_rule(const struct lb_gherkin_document *doc,
                         const struct lb_gherkin_scenario *s);

struct lb_gherkin_feature {
    struct lb_gherkin_location location;
    uint32_t n_tags;
    uint32_t n_children;
    const struct lb_gherkin_tag *tags;
    const char *language; /* dialect code */
    const char *keyword;
    const char *name;        /* NUL-terminated (one feature per document) */
    const char *description; /* "" when none */
    const struct lb_gherkin_child *children;
};

/* The Background of `f` (its first child when it has one), or NULL. */
static inline const struct lb_gherkin_background *
lb_gherkin_feature_background(const struct lb_gherkin_feature *f)
{
    return f->n_children > 0 ? lb_gherkin_child_background(&f->children[0])
                             : NULL;
}

/* ------------------------------------------------------------------ */
/* Pickles                                                             */
/* ------------------------------------------------------------------ */

/* Pickle step types, as the messages `type` (no Conjunction). */
enum lb_gherkin_pickle_step_type {
    LB_GHERKIN_PICKLE_STEP_UNKNOWN = 0,
    LB_GHERKIN_PICKLE_STEP_CONTEXT,
    LB_GHERKIN_PICKLE_STEP_ACTION,
    LB_GHERKIN_PICKLE_STEP_OUTCOME
};

/* "Unknown", "Context", "Action", "Outcome". */
const char *
lb_gherkin_pickle_step_type_name(enum lb_gherkin_pickle_step_type t);

struct lb_gherkin_pickle_doc_string {
    const char *media_type; /* NULL when none */
    const char *content;
    size_t content_len;
    int argument_index; /* 1 or 2 when the step also has a table, else 0 */
};

struct lb_gherkin_pickle_table_cell {
    const char *value;
};

struct lb_gherkin_pickle_table_row {
    const struct lb_gherkin_pickle_table_cell *cells;
    size_t n_cells;
};

struct lb_gherkin_pickle_table {
    const struct lb_gherkin_pickle_table_row *rows;
    size_t n_rows;
    int argument_index; /* 1 or 2 when the step also has a DocString */
};

/*
 * A pickle step. Its `astNodeIds` in the message are not stored (a big
 * document has millions of steps): they are step->id, then the pickle's
 * row->id when the pickle has a row and the step is not a background's.
 */
struct lb_gherkin_pickle_step {
    const char *id;
    const char *text; /* outline values substituted */
    const struct lb_gherkin_pickle_doc_string *doc_string; /* NULL: none */
    const struct lb_gherkin_pickle_table *data_table;      /* NULL: none */
    /* Not in the message: the AST step and whether it is a background's. */
    const struct lb_gherkin_step *step;
    enum lb_gherkin_pickle_step_type type;
    bool from_background;
};

struct lb_gherkin_pickle_tag {
    const char *name;
    const char *ast_node_id;
};

/*
 * Counts of pickle parts are 32-bit (a document is under 2 GiB). A pickle
 * is a view made by lb_gherkin_pickle_at: see there for how long it lives.
 */
struct lb_gherkin_pickle {
    const char *id;
    const char *uri;
    const char *name;
    const char *language;
    const char *ast_node_ids[2]; /* the scenario, then the example row */
    const struct lb_gherkin_pickle_tag *tags; /* feature, rule, ..., row */
    const struct lb_gherkin_pickle_step *steps;
    struct lb_gherkin_location location; /* scenario, or example row */
    uint32_t n_ast_node_ids;
    uint32_t n_tags;
    uint32_t n_steps;
    /* Not in the message: for `path:LINE` filters and the reports. */
    int scenario_line;                          /* the Scenario line */
    int row_line;                               /* example row, or 0 */
    const struct lb_gherkin_scenario *scenario; /* never NULL */
    const struct lb_gherkin_rule *rule;         /* NULL: none */
    const struct lb_gherkin_examples *examples; /* NULL: no outline */
    const struct lb_gherkin_table_row *row;     /* NULL: no outline */
    uint32_t examples_index; /* 0-based among the scenario's examples */
    uint32_t row_index;      /* 0-based among the examples' body rows */
};

/* ------------------------------------------------------------------ */
/* Documents                                                           */
/* ------------------------------------------------------------------ */

/* A parse error: the official message and where it is. */
struct lb_gherkin_parse_error {
    struct lb_gherkin_location location; /* column 0: end of file */
    /*
     * The official message, location prefix included:
     * "(9:1): expected: #EOF, #TableRow, ..., got 'another invalid line'".
     */
    const char *message;
    /* The message without its "(L:C): " prefix. */
    const char *text;
};

enum lb_gherkin_media {
    LB_GHERKIN_MEDIA_AUTO = 0, /* by the uri: *.md Markdown, else plain */
    LB_GHERKIN_MEDIA_PLAIN,    /* text/x.cucumber.gherkin+plain */
    LB_GHERKIN_MEDIA_MARKDOWN  /* text/x.cucumber.gherkin+markdown */
};

enum lb_gherkin_flags {
    /* Stop at the first parse error (the official default is to go on). */
    LB_GHERKIN_STOP_AT_FIRST_ERROR = 1 << 0,
    /*
     * lb_gherkin_parse borrows `data` instead of copying it: the caller
     * keeps it alive and unchanged as long as the document, which then
     * quotes it (doc->source == data, not NUL-terminated). When `data` is
     * not valid UTF-8, the document owns a repaired copy as without the
     * flag. Saves a copy of the source (time, and 1 MB of heap per MB).
     */
    LB_GHERKIN_BORROW_SOURCE = 1 << 1,
};

struct lb_gherkin_options {
    /* Dialects to look `# language:` up in; NULL = English only. */
    const struct lb_gherkin_dialects *dialects;
    /* The dialect without a `# language:` line; NULL = "en". */
    const char *default_language;
    /*
     * Ids of AST nodes and pickles, borrowed for the call (and for
     * lb_gherkin_compile). One generator for the whole run makes ids unique
     * across files, as the official CLI. NULL = a private predictable
     * counter starting at "0" for this document.
     */
    struct lb_idgen *ids;
    enum lb_gherkin_media media;
    unsigned flags; /* enum lb_gherkin_flags */
    /*
     * The parse stops once it has more than this many errors (0 = 10): as
     * the official parsers, which then report all of them (11).
     */
    unsigned max_errors;
};

#define LB_GHERKIN_OPTIONS_INIT   \
    {                             \
        NULL, NULL, NULL, 0, 0, 0 \
    }

struct lb_gherkin_document_internal;

struct lb_gherkin_document {
    const char *uri;
    enum lb_gherkin_media media; /* never AUTO */
    /*
     * The source as read (BOM and CRLF kept) with invalid UTF-8 replaced by
     * U+FFFD: what the `source` envelope carries and what the AST quotes.
     * NUL-terminated, unless borrowed (LB_GHERKIN_BORROW_SOURCE).
     */
    const char *source;
    size_t source_len;
    const struct lb_gherkin_feature *feature; /* NULL: no Feature line */
    const struct lb_gherkin_comment *comments;
    size_t n_comments;
    /* Parse errors in the order found; the AST is NULL when any. */
    const struct lb_gherkin_parse_error *errors;
    size_t n_errors;
    /* Set by lb_gherkin_compile (0 before); see lb_gherkin_pickle_at. */
    size_t n_pickles;
    struct lb_gherkin_document_internal *internal; /* the arena, the ids */
};

/*
 * The largest document: texts are 32-bit offsets into the source and the
 * text derived from it (at most as long again), so 2 GiB - 1 bytes.
 */
#define LB_GHERKIN_MAX_SOURCE (((size_t)1 << 31) - 1)

/*
 * Parses `len` bytes of Gherkin named `uri` (copied; `data` too, unless
 * LB_GHERKIN_BORROW_SOURCE). Never stops at the
 * first error unless asked: up to `max_errors` parse errors are collected.
 *
 * Returns 0 with `*out` set; LB_EPARSE with `*out` set (the document holds
 * the errors and no AST; `err` receives the first, with `uri`, line and
 * column); LB_ENOMEM, LB_EINVAL or LB_ETOOBIG (more than
 * LB_GHERKIN_MAX_SOURCE bytes) with `*out` NULL. A file with a NUL byte
 * is a parse error ("NUL byte in the input"). The caller owns `*out`.
 */
int lb_gherkin_parse(const char *uri,
                     const char *data,
                     size_t len,
                     const struct lb_gherkin_options *opts,
                     struct lb_gherkin_document **out,
                     struct lb_error *err);

/*
 * Reads `path` and parses it with uri = `path`; the read buffer becomes
 * the document's source (no copy). A missing or unreadable file fails with
 * LB_EIO naming it (`*out` NULL), never an empty document.
 */
int lb_gherkin_parse_file(const char *path,
                          const struct lb_gherkin_options *opts,
                          struct lb_gherkin_document **out,
                          struct lb_error *err);

/*
 * Compiles the pickles of a parsed document (outlines expanded,
 * backgrounds prepended, tags inherited): sets doc->n_pickles and reserves
 * the pickles' ids from the generator the document was parsed with (which
 * must still be alive for this call only), in the official order. The
 * pickles themselves are made by lb_gherkin_pickle_at. A document with
 * parse errors or without a feature has no pickles. Calling it twice is a
 * no-op. 0, or LB_ENOMEM.
 */
int lb_gherkin_compile(struct lb_gherkin_document *doc, struct lb_error *err);

/*
 * Where lb_gherkin_pickle_at makes pickles: caller-owned, reused by every
 * call (zero it, or LB_GHERKIN_PICKLE_SCRATCH_INIT; release it with
 * lb_gherkin_pickle_scratch_release). One scratch per pickle the caller
 * wants to hold at the same time.
 */
struct lb_gherkin_pickle_scratch_internal;
struct lb_gherkin_pickle_scratch {
    struct lb_gherkin_pickle pickle; /* the last pickle made */
    struct lb_gherkin_pickle_scratch_internal *internal;
};

#define LB_GHERKIN_PICKLE_SCRATCH_INIT \
    {                                  \
        {0}, NULL                      \
    }

/*
 * Makes the pickle `index` (< doc->n_pickles, in the official order) of a
 * compiled document in `scratch`: the same pickle, with the same ids, on
 * every call. It and every array and string it points to that is not the
 * AST's live until the next call with the same scratch, or its release;
 * the AST's live as long as the document. The scratch remembers where its
 * last pickle was (in any document): the next index of the same document
 * is found in constant time, any other in at most 64 steps. Scratches are
 * independent: threads may each use their own on one document.
 */
const struct lb_gherkin_pickle *
lb_gherkin_pickle_at(const struct lb_gherkin_document *doc,
                     size_t index,
                     struct lb_gherkin_pickle_scratch *scratch);

/* Frees what a scratch holds (and zeroes it); a zeroed one is a no-op. */
void lb_gherkin_pickle_scratch_release(struct lb_gherkin_pickle_scratch *s);

/* Frees a document and everything it owns; NULL is a no-op. */
void lb_gherkin_document_free(struct lb_gherkin_document *doc);

/*
 * Writes the official token lines of a source ("(4:5)StepLine:(Context)
 * Given /the minimalism/" ... "EOF") to `out`, for differential tests.
 * Parse errors are collected in `*errors_out` (a document without AST the
 * caller frees, may be NULL when not wanted). Returns 0, or LB_EPARSE.
 */
int lb_gherkin_tokens(const char *uri,
                      const char *data,
                      size_t len,
                      const struct lb_gherkin_options *opts,
                      struct lb_buf *out,
                      struct lb_gherkin_document **errors_out,
                      struct lb_error *err);

/* ------------------------------------------------------------------ */
/* Lookups                                                             */
/* ------------------------------------------------------------------ */

enum lb_gherkin_node_kind {
    LB_GHERKIN_NODE_NONE = 0,
    LB_GHERKIN_NODE_SCENARIO,
    LB_GHERKIN_NODE_BACKGROUND,
    LB_GHERKIN_NODE_RULE,
    LB_GHERKIN_NODE_STEP,
    LB_GHERKIN_NODE_EXAMPLES,
    LB_GHERKIN_NODE_TABLE_ROW,
    LB_GHERKIN_NODE_TAG
};

/*
 * What an AST node id names. Exactly the pointer of `kind` is set, plus
 * its context: a step's scenario or background, a row's examples (NULL for
 * a DataTable row) and step (NULL for an example row), the rule around a
 * scenario or background.
 */
struct lb_gherkin_node {
    enum lb_gherkin_node_kind kind;
    const struct lb_gherkin_scenario *scenario;
    const struct lb_gherkin_background *background;
    const struct lb_gherkin_rule *rule;
    const struct lb_gherkin_step *step;
    const struct lb_gherkin_examples *examples;
    const struct lb_gherkin_table_row *row;
    const struct lb_gherkin_tag *tag;
};

/*
 * Finds the AST node with id `id` (constant time). Returns false (and a
 * zeroed `*out`) when the document has no such node.
 */
bool lb_gherkin_find_node(const struct lb_gherkin_document *doc,
                          const char *id,
                          struct lb_gherkin_node *out);

/*
 * The index (for lb_gherkin_pickle_at) of the pickle with id `id` in
 * `*index`; false when the document has no such pickle (a step's id, an
 * AST node's, another document's). O(log n), no memory: the id's ordinal
 * (lb_idgen_parse) is looked up among the compile's marks.
 */
bool lb_gherkin_find_pickle(const struct lb_gherkin_document *doc,
                            const char *id,
                            size_t *index);

/* ------------------------------------------------------------------ */
/* NDJSON and error output                                             */
/* ------------------------------------------------------------------ */

/*
 * Each writer appends one envelope and a newline to `out`, in the shape
 * of the official tools (the same keys and values, in @cucumber/gherkin's
 * order for the AST; optional fields omitted, never null; strings escaped
 * as JSON.stringify). Time and output size are linear in the document.
 * They return 0, or LB_ETOOBIG when the buffer's max cut the output.
 */
int lb_gherkin_write_source(struct lb_buf *out,
                            const struct lb_gherkin_document *doc);
int lb_gherkin_write_document(struct lb_buf *out,
                              const struct lb_gherkin_document *doc);
/*
 * The same envelope, handed over in pieces: `flush` is called with `out`
 * after each child of the feature and of each rule, to write out what the
 * buffer holds and empty it, so the envelope of a big document never sits
 * whole in memory. A `flush` that fails returns nonzero (and should still
 * empty the buffer); the writer then stops calling it and returns LB_EIO.
 */
int lb_gherkin_write_document_in_pieces(struct lb_buf *out,
                                        const struct lb_gherkin_document *doc,
                                        int (*flush)(struct lb_buf *out,
                                                     void *ud),
                                        void *ud);
/*
 * The source envelope the same way: `flush` after each 64 KiB of the
 * source escaped (a 100 MB document's envelope is over 100 MB).
 */
int lb_gherkin_write_source_in_pieces(struct lb_buf *out,
                                      const struct lb_gherkin_document *doc,
                                      int (*flush)(struct lb_buf *out,
                                                   void *ud),
                                      void *ud);
int lb_gherkin_write_pickle(struct lb_buf *out,
                            const struct lb_gherkin_document *doc,
                            const struct lb_gherkin_pickle *pickle);
/* One `parseError` envelope per error of the document. */
int lb_gherkin_write_errors(struct lb_buf *out,
                            const struct lb_gherkin_document *doc);

/*
 * Appends a parse error for humans:
 *
 *     features/a.feature:12:5: error: expected: #StepLine, ..., got 'Whenn'
 *        12 |     Whenn I send 5 coins
 *           |     ^~~~~
 *
 * (the message without the "(L:C): " prefix; the source line and a caret
 * under the column, a tilde run under the rest of the offending word;
 * without a column, "path:line: error: ..." and no caret).
 */
void lb_gherkin_format_error(struct lb_buf *out,
                             const struct lb_gherkin_document *doc,
                             const struct lb_gherkin_parse_error *e);

#endif
