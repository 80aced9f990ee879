/*
 * libFuzzer target of the Gherkin front end: every input is parsed as
 * classic Gherkin and as Markdown, in token mode and in AST mode; the
 * pickles are compiled, every envelope written, every error formatted, and
 * every AST node looked up. Crashes, leaks, UB and timeouts are findings.
 * Dialects: English, plus every dialect of $LB_FUZZ_GHERKIN_LANGUAGES
 * (a gherkin-languages.json) when set.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "gherkin/gherkin.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lb_gherkin_dialects *dialects;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct lb_error err;
    const char *langs = getenv("LB_FUZZ_GHERKIN_LANGUAGES");

    (void)argc;
    (void)argv;
    lb_error_init(&err);
    if (lb_gherkin_dialects_new(&dialects, langs, &err) != 0)
        abort();
    return 0;
}

/*
 * The cells of `n` rows, split again from the source: as many as the
 * parse counted, NUL-terminated at their length, on their row's line.
 */
static void check_rows(const struct lb_gherkin_document *doc,
                       const struct lb_gherkin_table_row *rows,
                       size_t n,
                       struct lb_gherkin_cells *cells)
{
    size_t i;
    uint32_t j;

    for (i = 0; i < n; i++) {
        const struct lb_gherkin_table_cell *c =
            lb_gherkin_table_row_cells(doc, &rows[i], cells);

        if ((c == NULL) != (rows[i].n_cells == 0))
            abort();
        for (j = 0; j < rows[i].n_cells; j++)
            if (strlen(c[j].value) != c[j].len ||
                c[j].location.line != rows[i].location.line ||
                c[j].location.column <= rows[i].location.column)
                abort();
    }
}

static void check_steps(const struct lb_gherkin_document *doc,
                        const struct lb_gherkin_step *steps,
                        size_t n,
                        struct lb_gherkin_cells *cells)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const struct lb_gherkin_data_table *t =
            lb_gherkin_step_data_table(&steps[i]);

        if (t != NULL)
            check_rows(doc, t->rows, t->n_rows, cells);
    }
}

static void check_children(const struct lb_gherkin_document *doc,
                           const struct lb_gherkin_child *ch,
                           size_t n,
                           struct lb_gherkin_cells *cells)
{
    size_t i;
    size_t e;

    for (i = 0; i < n; i++) {
        const struct lb_gherkin_background *b =
            lb_gherkin_child_background(&ch[i]);
        const struct lb_gherkin_scenario *s = lb_gherkin_child_scenario(&ch[i]);
        const struct lb_gherkin_rule *r = lb_gherkin_child_rule(&ch[i]);

        if (b != NULL)
            check_steps(doc, b->steps, b->n_steps, cells);
        if (r != NULL)
            check_children(doc, r->children, r->n_children, cells);
        if (s == NULL)
            continue;
        check_steps(doc, s->steps, s->n_steps, cells);
        for (e = 0; e < s->n_examples; e++) {
            const struct lb_gherkin_examples *x =
                &lb_gherkin_scenario_examples(s)[e];

            if (x->header != NULL)
                check_rows(doc, x->header, 1, cells);
            check_rows(doc, lb_gherkin_examples_body(x), x->n_body, cells);
        }
    }
}

static void one(const uint8_t *data, size_t size, enum lb_gherkin_media media)
{
    struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc = NULL;
    struct lb_buf out = LB_BUF_INIT;
    struct lb_gherkin_node node;
    struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_idgen ids;
    char idbuf[LB_ID_MAX];
    struct lb_error err;
    size_t i;
    size_t j;

    lb_idgen_init(&ids, true);
    o.dialects = dialects;
    o.ids = &ids;
    o.media = media;
    lb_error_init(&err);
    (void)lb_gherkin_tokens(
        "fuzz.feature", (const char *)data, size, &o, &out, NULL, &err);
    lb_buf_reset(&out);
    lb_error_init(&err);
    (void)lb_gherkin_parse(
        "fuzz.feature", (const char *)data, size, &o, &doc, &err);
    if (doc == NULL)
        abort(); /* only out of memory may leave no document */
    (void)lb_gherkin_compile(doc, &err);
    lb_gherkin_write_source(&out, doc);
    if (doc->n_errors > 0) {
        lb_gherkin_write_errors(&out, doc);
        for (i = 0; i < doc->n_errors; i++)
            lb_gherkin_format_error(&out, doc, &doc->errors[i]);
    } else {
        struct lb_gherkin_cells cells = LB_GHERKIN_CELLS_INIT;

        lb_gherkin_write_document(&out, doc);
        if (doc->feature != NULL)
            check_children(
                doc, doc->feature->children, doc->feature->n_children, &cells);
        lb_gherkin_cells_release(&cells);
    }
    for (i = 0; i < doc->n_pickles; i++) {
        const struct lb_gherkin_pickle *p = lb_gherkin_pickle_at(doc, i, &ps);
        size_t at;

        lb_gherkin_write_pickle(&out, doc, p);
        if (!lb_gherkin_find_pickle(doc, p->id, &at) || at != i)
            abort();
        for (j = 0; j < p->n_ast_node_ids; j++)
            if (!lb_gherkin_find_node(doc, p->ast_node_ids[j], &node))
                abort();
        for (j = 0; j < p->n_steps; j++)
            if (lb_gherkin_id(doc, p->steps[j].step->id, idbuf) <= 0 ||
                !lb_gherkin_find_node(doc, idbuf, &node) ||
                node.step != p->steps[j].step)
                abort();
    }
    lb_gherkin_pickle_scratch_release(&ps);
    lb_buf_release(&out);
    lb_gherkin_document_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size, LB_GHERKIN_MEDIA_PLAIN);
    one(data, size, LB_GHERKIN_MEDIA_MARKDOWN);
    return 0;
}
