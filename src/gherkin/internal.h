/*
 * Internals shared by the files of src/gherkin: the token and its matchers
 * (lexer.c, markdown.c), the grammar table (grammar.c), the dialect
 * internals (dialect.c). Not for use outside src/gherkin.
 */
#ifndef LB_GHERKIN_INTERNAL_H
#define LB_GHERKIN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/id.h"
#include "core/vec.h"
#include "gherkin/gherkin.h"

/* Token types, in the order of the official grammar (Parser.js TokenType). */
enum lb__gh_token_type {
    LB__T_NONE = 0,
    LB__T_EOF,
    LB__T_EMPTY,
    LB__T_COMMENT,
    LB__T_TAG_LINE,
    LB__T_FEATURE_LINE,
    LB__T_RULE_LINE,
    LB__T_BACKGROUND_LINE,
    LB__T_SCENARIO_LINE,
    LB__T_EXAMPLES_LINE,
    LB__T_STEP_LINE,
    LB__T_DOC_STRING_SEPARATOR,
    LB__T_TABLE_ROW,
    LB__T_LANGUAGE,
    LB__T_OTHER,
    LB__T_COUNT
};

/* Rule types of the grammar that the AST builder sees. */
enum lb__gh_rule_type {
    LB__R_NONE = 0,
    LB__R_GHERKIN_DOCUMENT = 15,
    LB__R_FEATURE,
    LB__R_FEATURE_HEADER,
    LB__R_RULE,
    LB__R_RULE_HEADER,
    LB__R_BACKGROUND,
    LB__R_SCENARIO_DEFINITION,
    LB__R_SCENARIO,
    LB__R_EXAMPLES_DEFINITION,
    LB__R_EXAMPLES,
    LB__R_EXAMPLES_TABLE,
    LB__R_STEP,
    LB__R_STEP_ARG,
    LB__R_DATA_TABLE_AND_MAYBE_DOC_STRING,
    LB__R_DOC_STRING_AND_MAYBE_DATA_TABLE,
    LB__R_DATA_TABLE,
    LB__R_DOC_STRING,
    LB__R_TAGS,
    LB__R_DESCRIPTION_HELPER,
    LB__R_DESCRIPTION
};

/*
 * Builder operations of a transition: 0 ends the list. Every list is some
 * endRules, then some startRules, then one build (checked when loaded).
 */
#define LB__OP_END   1 /* endRule */
#define LB__OP_BUILD 2 /* build(token) */
#define LB__OP_START 3 /* startRule(op >> 8)  (encoded as 3 | rule << 8) */

struct lb__gh_transition {
    uint8_t token;    /* enum lb__gh_token_type */
    int8_t lookahead; /* -1 none, 0 = a ScenarioLine ahead, 1 = ExamplesLine */
    uint8_t next;     /* the next state */
    uint16_t ops[11]; /* builder operations, 0-terminated */
};

struct lb__gh_state {
    uint16_t first; /* index of its first transition */
    uint8_t count;
    const char *expected; /* "#EOF, #Language, ..." */
};

extern const struct lb__gh_transition lb__gh_transitions[];
extern const struct lb__gh_state lb__gh_states[];
extern const size_t lb__gh_n_states;
#define LB__GH_END_STATE 42
#define LB__GH_N_STATES  55
/*
 * By state and token type: the position of the state's first transition
 * of that type among its transitions (0xFF: none), so the parser tries a
 * line's possible types in the state's order without a linear search.
 */
extern uint8_t lb__gh_first_of[LB__GH_N_STATES][LB__T_COUNT];
/* By state: the token types it has a transition for (1 << type). */
extern uint16_t lb__gh_state_types[LB__GH_N_STATES];

/* Token names as printed by the token formatter ("StepLine"). */
extern const char *const lb__gh_token_names[LB__T_COUNT];

/* A tag or a table cell of a token. */
struct lb__gh_item {
    int column;
    const char *text; /* into the line, or into the token's scratch */
    size_t len;
};

/* Internal view of a dialect: step keywords sorted, types resolved. */
struct lb__gh_step_kw {
    const char *kw;
    size_t len;
    enum lb_gherkin_keyword_type type;
};

struct lb__gh_dialect {
    struct lb_gherkin_dialect pub; /* first: a pub pointer casts back */
    struct lb__gh_step_kw *steps;  /* longest first (UTF-16 length) */
    size_t n_steps;
    /*
     * By a line's first byte (after its indent), the token types other
     * than Empty and Other it can be in the classic syntax (1 << type:
     * '#' Comment and Language, '@' TagLine, '|' TableRow, '"' and '`'
     * DocStringSeparator, the initials of the keywords their TitleLine or
     * StepLine types): no matcher that cannot match is tried.
     */
    uint16_t first_types[256];
};

const struct lb__gh_dialect *
lb__gh_dialect_of(const struct lb_gherkin_dialect *pub);

/* One line of input and what a matcher made of it (Token + GherkinLine). */
struct lb__gh_token {
    bool eof;
    int line;
    const char *text; /* lineText (no "\n", no "\r" before it) */
    size_t len;
    size_t trim_off; /* bytes of leading whitespace (JS \s) */
    int indent;      /* code points of leading whitespace */
    /* set by a successful matcher */
    int type;
    int column; /* location.column; 0 = not set */
    const char *kw;
    size_t kw_len; /* kw NULL: no keyword */
    int kw_type;   /* -1 none, else enum lb_gherkin_keyword_type */
    const char *mtext;
    size_t mtext_len; /* mtext NULL: null */
    const struct lb_gherkin_dialect *dialect;
    LB_VEC(struct lb__gh_item) items;
    struct lb_buf scratch; /* unescaped cell texts, media types */
    /* a TableRow's cells: its items too, unless count_cells_only */
    size_t n_cells;
};

struct lb__gh_parser;

/* A token matcher: classic or Markdown. Each returns true on a match. */
struct lb__gh_matcher_ops {
    bool (*match)(struct lb__gh_parser *p, struct lb__gh_token *t, int type);
};

extern const struct lb__gh_matcher_ops lb__gh_classic_ops;
/* The classic matcher's match, for direct calls (lb__gh_classic_ops). */
bool lb__gh_classic_match(struct lb__gh_parser *p,
                          struct lb__gh_token *t,
                          int type);
extern const struct lb__gh_matcher_ops lb__gh_markdown_ops;

/*
 * The title keywords of one token type (FeatureLine ... ExamplesLine;
 * ScenarioLine: Scenario's then Scenario Outline's), with their lengths:
 * set with the dialect. n > LB__GH_TITLE_KWS: too many, the matcher reads
 * the dialect's lists.
 */
#define LB__GH_TITLE_KWS 16
struct lb__gh_title_kws {
    size_t n;
    struct {
        const char *kw;
        size_t len;
    } k[LB__GH_TITLE_KWS];
};

/* Parser state that the matchers use. */
struct lb__gh_parser {
    const struct lb_gherkin_dialects *dialects;
    const struct lb_gherkin_dialect *dialect;
    const struct lb__gh_dialect *gd;
    /*
     * The dialect's step keywords (gd->steps, longest first) by first
     * byte: step_head[b] is 1 + the index of the first that starts with
     * b, step_next[i] 1 + the index of the next after i (0 ends a chain).
     * step_chains false (more than 255 keywords, or an empty one): the
     * matcher tries them all.
     */
    bool step_chains;
    uint8_t step_head[256];
    uint8_t step_next[255];
    /* by type - LB__T_FEATURE_LINE, FeatureLine to ExamplesLine */
    struct lb__gh_title_kws
        titles[LB__T_EXAMPLES_LINE - LB__T_FEATURE_LINE + 1];
    const struct lb__gh_matcher_ops *ops;
    /* classic: NULL, "\"\"\"" or "```"; Markdown: the open fence */
    const char *doc_sep;
    size_t doc_sep_len;
    int indent_to_remove;
    bool md_matched_feature;
    /* a TableRow token needs its cell count only (no token output) */
    bool count_cells_only;
    /* an exception raised by a matcher: added to the errors by the caller */
    bool exc;
    int exc_line;
    int exc_column;
    char exc_msg[512];
};

/* Raises a matcher exception (the first one of a match call wins). */
void lb__gh_raise(struct lb__gh_parser *p,
                  int line,
                  int column,
                  const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

/* Sets the dialect; false (and an exception) when the set lacks `code`. */
bool lb__gh_change_dialect(struct lb__gh_parser *p,
                           const char *code,
                           size_t len,
                           int line,
                           int column);

/* Line helpers (JavaScript semantics). */
bool lb__gh_is_js_space(const unsigned char *s, size_t len, size_t *n);
size_t lb__gh_ltrim(const char *s, size_t len);
size_t lb__gh_rtrim_len(const char *s, size_t len);
int lb__gh_count_cp(const char *s, size_t len);
int lb__gh_count_utf16(const char *s, size_t len);
void lb__gh_set_matched(struct lb__gh_parser *p,
                        struct lb__gh_token *t,
                        int type,
                        const char *text,
                        size_t text_len,
                        const char *kw,
                        size_t kw_len,
                        int indent,
                        int kw_type);
/* JS getTableCells on the trimmed line: items into t->items. */
void lb__gh_table_cells(struct lb__gh_token *t);
/* How many items lb__gh_table_cells(t) gives, without making them. */
size_t lb__gh_table_count(const struct lb__gh_token *t);
/* getRestTrimmed(n) of the trimmed line. */
void lb__gh_rest_trimmed(const struct lb__gh_token *t,
                         size_t n,
                         const char **s,
                         size_t *len);
/* getLineText(indentToRemove). */
void lb__gh_line_text(const struct lb__gh_token *t,
                      int indent_to_remove,
                      const char **s,
                      size_t *len);

/* The document internals. */
struct lb__gh_index_entry {
    uint64_t id; /* the node's id + 1; 0: a free slot */
    struct lb_gherkin_node node;
};

/*
 * A place in the pickle order (see pickles.c): the scenario (a feature's
 * child, or a rule's child when that child is a rule), the outline's
 * examples and body row (0 and 0 for a scenario without examples), and
 * the ordinal of the pickle's first id (its first step's; the pickle's
 * own is the one after its last step's).
 */
struct lb__gh_pickle_pos {
    uint32_t child;
    uint32_t rchild;
    uint32_t examples;
    uint32_t row;
    uint64_t next_id;
};

/* Pickles between two marks of lb_gherkin_compile. */
#define LB__GH_PICKLE_GAP 64

struct lb_gherkin_document_internal {
    struct lb_arena arena;
    const size_t *progress; /* during the parse: the bytes parsed so far */
    char *owned_source;     /* the source when adopted from a read buffer */
    void *owned_comments;   /* doc->comments (the parser's vector, kept) */
    struct lb_idgen own_ids;
    struct lb_idgen *ids;
    /* the generator's mode and seed: ids are formatted from these */
    struct lb_idgen fmt_ids;
    uint64_t id_base; /* the ordinal of the document's first id */
    bool compiled;
    /* texts that are not verbatim in the source (lb_gherkin_text) */
    struct lb_buf derived;
    /* the distinct step keywords: a step keeps an index into these */
    const char **step_kws;
    size_t n_step_kws;
    size_t cap_step_kws;
    /* id -> node, open addressing; built on the first lookup */
    struct lb__gh_index_entry *index;
    size_t index_cap;
    /* the pickles (lb_gherkin_compile): where pickle k * GAP is */
    struct lb__gh_pickle_pos *pickle_marks;
    size_t n_pickle_marks;
    /* unique in the process, never reused (set when the document is
     * made): the pickle and cells scratches name their document by it, an
     * address may be reused */
    uint64_t serial;
};

/* Arena helpers of the document: zeroed memory aligned for 8 bytes, a
 * string copy; the next id ordinal. */
void *lb__gh_alloc(struct lb_gherkin_document *doc, size_t size);
/* The same, not zeroed: for arrays the caller fills entirely. */
void *lb__gh_alloc_raw(struct lb_gherkin_document *doc, size_t size);
char *lb__gh_strndup(struct lb_gherkin_document *doc, const char *s, size_t n);
uint32_t lb__gh_new_id(struct lb_gherkin_document *doc);

#endif
