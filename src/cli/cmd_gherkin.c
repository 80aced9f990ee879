/*
 * `logos-bdd gherkin`: parses feature files and prints the official NDJSON
 * envelopes (source, gherkinDocument, pickle, parseError) or the official
 * token lines, so the parser can be diffed against the reference parsers.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_gherkin.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "gherkin/gherkin.h"

static const char gherkin_usage[] =
    "usage: logos-bdd gherkin [OPTIONS] FILE...\n"
    "\n"
    "Prints what the Gherkin parser makes of each FILE (\"-\" reads stdin):\n"
    "NDJSON envelopes source, gherkinDocument, pickle (or parseError) as the\n"
    "official tools print them. Parse errors also go to stderr as\n"
    "'path:line:col: error: message' with the line and a caret.\n"
    "\n"
    "      --no-source          leave out the source envelopes\n"
    "      --no-ast             leave out the gherkinDocument envelopes\n"
    "      --no-pickles         leave out the pickle envelopes (all three:\n"
    "                           only check, errors on stderr)\n"
    "      --predictable-ids    ids 0, 1, 2... (one counter for the run)\n"
    "      --tokens             print the token lines instead\n"
    "      --default-dialect L  the dialect without a '# language:' line\n"
    "      --i18n-file FILE     load dialects from a gherkin-languages.json\n"
    "                           (default: $LOGOS_BDD_GHERKIN_LANGUAGES)\n"
    "      --i18n-languages     list the dialects\n"
    "      --i18n-keywords L    list the keywords of dialect L\n"
    "      --markdown           parse every FILE as Markdown with Gherkin\n"
    "  -h, --help               show this help\n"
    "\n"
    "Exit: 0, 1 when a file has a parse error, 2 on a usage error or an\n"
    "unreadable file.\n";

struct gherkin_opts {
    bool source;
    bool ast;
    bool pickles;
    bool predictable;
    bool tokens;
    bool markdown;
    const char *dialect;
    const char *i18n_file;
    bool list_languages;
    const char *keywords_of;
};

/* Prints "logos-bdd gherkin: WHAT 'ARG'" (ARG may be NULL); exit 2. */
static int usage_error(const char *what, const char *arg)
{
    if (arg != NULL)
        (void)fprintf(stderr, "logos-bdd gherkin: %s '%s'", what, arg);
    else
        (void)fprintf(stderr, "logos-bdd gherkin: %s", what);
    (void)fputs("\n(see 'logos-bdd gherkin --help')\n", stderr);
    return LB_EXIT_USAGE;
}

static int write_out(const struct lb_buf *b)
{
    if (b->len > 0 && fwrite(b->ptr, 1, b->len, stdout) != b->len)
        return -1;
    return 0;
}

/*
 * Writes `b` out and empties it once it holds a piece worth a write: the
 * NDJSON of a big document (ten times its size) then never sits whole in
 * memory, and memory stays linear in the input, not in the output.
 */
static int flush_piece(struct lb_buf *b, void *ud)
{
    int rc;

    (void)ud;
    if (b->len < ((size_t)256 << 10))
        return 0;
    rc = write_out(b);
    lb_buf_reset(b); /* written or not: it must not grow without bound */
    return rc;
}

/*
 * Writes the envelopes `o` asks for of a parsed `doc` to `out`, handing
 * them over in pieces. Sets `*rc` when compiling the pickles fails.
 * Returns 0, or -1 when the output could not be written.
 */
static int write_envelopes(struct lb_gherkin_document *doc,
                           const struct gherkin_opts *o,
                           struct lb_buf *out,
                           int *rc,
                           struct lb_error *err)
{
    struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    bool wrote = true;
    size_t i;

    if (o->source && lb_gherkin_write_source_in_pieces(
                         out, doc, flush_piece, NULL) == LB_EIO)
        wrote = false;
    if (flush_piece(out, NULL) != 0)
        wrote = false;
    if (!o->ast && !o->pickles)
        return wrote ? 0 : -1;
    if (doc->n_errors > 0) {
        lb_gherkin_write_errors(out, doc);
        return wrote ? 0 : -1;
    }
    if (o->ast && lb_gherkin_write_document_in_pieces(
                      out, doc, flush_piece, NULL) == LB_EIO)
        wrote = false;
    if (flush_piece(out, NULL) != 0)
        wrote = false;
    if (!o->pickles)
        return wrote ? 0 : -1;
    if (lb_gherkin_compile(doc, err) != 0)
        *rc = LB_ENOMEM;
    for (i = 0; wrote && i < doc->n_pickles; i++) {
        lb_gherkin_write_pickle(out, doc, lb_gherkin_pickle_at(doc, i, &ps));
        if (flush_piece(out, NULL) != 0)
            wrote = false;
    }
    lb_gherkin_pickle_scratch_release(&ps);
    return wrote ? 0 : -1;
}

/* One file: 0 ok, 1 parse error, 2 unreadable or unwritable output. */
static int do_file(const char *path,
                   const struct gherkin_opts *o,
                   const struct lb_gherkin_dialects *dl,
                   struct lb_idgen *ids,
                   struct lb_buf *out)
{
    struct lb_gherkin_options po = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc = NULL;
    struct lb_buf src = LB_BUF_INIT;
    struct lb_buf msg = LB_BUF_INIT;
    struct lb_error err;
    const char *uri = strcmp(path, "-") == 0 ? "stdin.feature" : path;
    int result = 0;
    bool wrote = true;
    size_t i;
    int rc = 0;

    lb_error_init(&err);
    po.dialects = dl;
    po.default_language = o->dialect;
    po.ids = ids;
    po.media = o->markdown ? LB_GHERKIN_MEDIA_MARKDOWN : LB_GHERKIN_MEDIA_AUTO;
    if (o->tokens || strcmp(path, "-") == 0) {
        if (lb_buf_read_file(&src, path, &err) != 0) {
            (void)fprintf(stderr, "logos-bdd gherkin: %s\n", err.msg);
            lb_buf_release(&src);
            return 2;
        }
    } else {
        /* the file's buffer becomes the document's source: no copy */
        rc = lb_gherkin_parse_file(path, &po, &doc, &err);
        if (doc == NULL) {
            (void)fprintf(stderr, "logos-bdd gherkin: %s\n", err.msg);
            return 2;
        }
    }
    if (o->tokens) {
        rc = lb_gherkin_tokens(uri, src.ptr, src.len, &po, out, &doc, &err);
    } else {
        if (doc == NULL)
            rc = lb_gherkin_parse(uri, src.ptr, src.len, &po, &doc, &err);
        if (doc != NULL && write_envelopes(doc, o, out, &rc, &err) != 0)
            wrote = false;
    }
    if (doc != NULL && doc->n_errors > 0) {
        for (i = 0; i < doc->n_errors; i++)
            lb_gherkin_format_error(&msg, doc, &doc->errors[i]);
        (void)fputs(msg.ptr, stderr);
        result = 1;
    } else if (rc != 0 && rc != LB_EPARSE) {
        lb_error_print(&err, stderr);
        result = 2;
    }
    if (!wrote) {
        (void)fprintf(
            stderr, "logos-bdd gherkin: cannot write the output of %s\n", uri);
        result = 2;
    }
    lb_gherkin_document_free(doc);
    lb_buf_release(&msg);
    lb_buf_release(&src);
    return result;
}

/*
 * Reads the options before the first FILE into `o` and `*first_file`.
 * Returns -1 to go on, or the exit code (--help, a usage error).
 */
static int parse_gherkin_args(int argc,
                              char **argv,
                              struct gherkin_opts *o,
                              int *first_file)
{
    int i;

    memset(o, 0, sizeof(*o));
    o->source = o->ast = o->pickles = true;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--") == 0) {
            *first_file = i + 1;
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            *first_file = i;
            break;
        }
        if (strcmp(a, "--no-source") == 0) {
            o->source = false;
        } else if (strcmp(a, "--no-ast") == 0) {
            o->ast = false;
        } else if (strcmp(a, "--no-pickles") == 0) {
            o->pickles = false;
        } else if (strcmp(a, "--predictable-ids") == 0) {
            o->predictable = true;
        } else if (strcmp(a, "--tokens") == 0) {
            o->tokens = true;
        } else if (strcmp(a, "--markdown") == 0) {
            o->markdown = true;
        } else if (strcmp(a, "--i18n-languages") == 0) {
            o->list_languages = true;
        } else if (strcmp(a, "--default-dialect") == 0 ||
                   strcmp(a, "--language") == 0 ||
                   strcmp(a, "--i18n-file") == 0 ||
                   strcmp(a, "--i18n-keywords") == 0)
        {
            if (i + 1 >= argc)
                return usage_error("a value is needed after", a);
            if (strcmp(a, "--i18n-file") == 0)
                o->i18n_file = argv[++i];
            else if (strcmp(a, "--i18n-keywords") == 0)
                o->keywords_of = argv[++i];
            else
                o->dialect = argv[++i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            (void)fputs(gherkin_usage, stdout);
            return LB_EXIT_OK;
        } else {
            return usage_error("unknown option", a);
        }
    }
    if (*first_file == 0)
        *first_file = argc;
    return -1;
}

int lb_cmd_gherkin(int argc, char **argv)
{
    struct gherkin_opts o;
    struct lb_gherkin_dialects *dl = NULL;
    struct lb_idgen ids;
    struct lb_buf out = LB_BUF_INIT;
    struct lb_error err;
    int first_file = 0;
    int worst = 0;
    int i;
    int rc;

    /*
     * Keep freed memory in the process: each document's arena reuses the
     * pages of the last one instead of faulting in fresh ones (first touch
     * of a page costs more than parsing it). glibc only; harmless elsewhere.
     */
    (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
    (void)mallopt(M_MMAP_THRESHOLD, 64 << 20);
    rc = parse_gherkin_args(argc, argv, &o, &first_file);
    if (rc >= 0)
        return rc;
    lb_error_init(&err);
    if (lb_gherkin_dialects_new(&dl, o.i18n_file, &err) != 0) {
        (void)fprintf(stderr, "logos-bdd gherkin: ");
        lb_error_print(&err, stderr);
        return LB_EXIT_USAGE;
    }
    if (o.dialect && lb_gherkin_dialects_find(dl, o.dialect) == NULL) {
        lb_gherkin_dialects_free(dl);
        return usage_error("unknown dialect", o.dialect);
    }
    if (o.list_languages || o.keywords_of) {
        if (o.list_languages)
            lb_gherkin_print_languages(dl, &out);
        if (o.keywords_of &&
            lb_gherkin_print_keywords(dl, o.keywords_of, &out, &err) != 0)
        {
            lb_gherkin_dialects_free(dl);
            lb_buf_release(&out);
            return usage_error(err.msg, NULL);
        }
        (void)write_out(&out);
        lb_buf_release(&out);
        lb_gherkin_dialects_free(dl);
        return LB_EXIT_OK;
    }
    if (first_file >= argc) {
        lb_gherkin_dialects_free(dl);
        return usage_error("no FILE given", NULL);
    }
    lb_idgen_init(&ids, o.predictable);
    for (i = first_file; i < argc; i++) {
        int r = do_file(argv[i], &o, dl, &ids, &out);

        if (r > worst)
            worst = r;
        if (write_out(&out) != 0) {
            (void)fprintf(stderr,
                          "logos-bdd gherkin: cannot write the output\n");
            worst = 2;
            break;
        }
        lb_buf_reset(&out);
    }
    if (fflush(stdout) != 0) {
        (void)fprintf(stderr, "logos-bdd gherkin: cannot write the output\n");
        worst = 2;
    }
    lb_buf_release(&out);
    lb_gherkin_dialects_free(dl);
    return worst == 2   ? LB_EXIT_USAGE
           : worst == 1 ? LB_EXIT_FAILED
                        : LB_EXIT_OK;
}
