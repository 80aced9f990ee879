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
        lb_gherkin_write_document(&out, doc);
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
