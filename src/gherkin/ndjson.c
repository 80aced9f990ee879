/*
 * Output of a document: the official NDJSON envelopes (source,
 * gherkinDocument, pickle, parseError) in the key order @cucumber/gherkin
 * builds them, parse errors for humans, and the id lookups.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "gherkin/internal.h"

/*
 * Appending is the whole cost of the writers, so these are inline with one
 * capacity check each. A buffer over its `max` drops what does not fit
 * (lb_buf_grow fails); the writers report it at the end.
 */
static _Thread_local bool too_big;
/* The id format of the document being written (AST ids are ordinals). */
static _Thread_local const struct lb_idgen *id_fmt;
static _Thread_local uint64_t id_base;
static _Thread_local const struct lb_gherkin_document *cur_doc;

static inline void put(struct lb_buf *b, const char *s, size_t n)
{
    if (b->alloc - b->len <= n && lb_buf_grow(b, n) != 0) {
        too_big = true;
        return;
    }
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

static inline void putch(struct lb_buf *b, char c)
{
    if (b->alloc - b->len <= 1 && lb_buf_grow(b, 1) != 0) {
        too_big = true;
        return;
    }
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
}

static inline void puts0(struct lb_buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_int(struct lb_buf *b, int v)
{
    char tmp[16];
    char *w = tmp + sizeof(tmp);
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

    do {
        *--w = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--w = '-';
    put(b, w, (size_t)(tmp + sizeof(tmp) - w));
}

/* Bytes JSON.stringify escapes: controls, quote, backslash. */
static const unsigned char needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, ['\\'] = 1};

/*
 * A JSON string literal as JSON.stringify writes it. The text is valid
 * UTF-8 (the parser decoded the source), so it is copied as is, in pieces
 * so that the worst case (6 bytes per byte) never reserves much.
 */
/* Set by the *_in_pieces writers for the envelope they write. */
static _Thread_local int (*piece_flush)(struct lb_buf *out, void *ud);
static _Thread_local void *piece_ud;
static _Thread_local bool piece_failed;

static void hand_over_piece(struct lb_buf *out)
{
    if (piece_flush != NULL && !piece_failed && piece_flush(out, piece_ud) != 0)
        piece_failed = true;
}

/*
 * A JSON string, escaped as JSON.stringify does, 64 KiB of input at a
 * time (escapes are per byte, so a piece may end anywhere): each piece is
 * handed over when writing in pieces, so the source of a big document is
 * never escaped whole in memory.
 */
static void json_str(struct lb_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    putch(b, '"');
    while (i < len) {
        size_t piece = len - i < 65536 ? len - i : 65536;
        size_t end = i + piece;
        char *w;

        if (b->alloc - b->len <= piece * 6 + 2 &&
            lb_buf_grow(b, piece * 6 + 2) != 0) {
            too_big = true;
            return;
        }
        w = b->ptr + b->len;
        for (; i < end; i++) {
            unsigned char c = u[i];

            if (!needs_escape[c]) {
                *w++ = (char)c;
                continue;
            }
            *w++ = '\\';
            switch (c) {
            case '"':
                *w++ = '"';
                break;
            case '\\':
                *w++ = '\\';
                break;
            case '\b':
                *w++ = 'b';
                break;
            case '\f':
                *w++ = 'f';
                break;
            case '\n':
                *w++ = 'n';
                break;
            case '\r':
                *w++ = 'r';
                break;
            case '\t':
                *w++ = 't';
                break;
            default:
                *w++ = 'u';
                *w++ = '0';
                *w++ = '0';
                *w++ = hex[c >> 4];
                *w++ = hex[c & 15];
                break;
            }
        }
        b->len = (size_t)(w - b->ptr);
        b->ptr[b->len] = '\0';
        if (i < len)
            hand_over_piece(b);
    }
    putch(b, '"');
}

#define ADDS(s) put(out, s, sizeof(s) - 1)

/* LB_ETOOBIG when the buffer could not take everything since `begin`. */
static void begin(const struct lb_gherkin_document *doc)
{
    too_big = false;
    id_fmt = &doc->internal->fmt_ids;
    id_base = doc->internal->id_base;
    cur_doc = doc;
}

static int status(const struct lb_buf *b)
{
    (void)b;
    return too_big ? LB_ETOOBIG : 0;
}

static void str(struct lb_buf *out, const char *s)
{
    json_str(out, s ? s : "", s ? strlen(s) : 0);
}

static void key_str(struct lb_buf *out, const char *key, const char *s)
{
    putch(out, '"');
    puts0(out, key);
    put(out, "\":", 2);
    str(out, s);
}

/* An id as a JSON string (its characters never need escaping). */
static void id_str(struct lb_buf *out, uint32_t id)
{
    char buf[LB_ID_MAX];
    int n = lb_idgen_format(id_fmt, id_base + id, buf);

    putch(out, '"');
    put(out, buf, (size_t)n);
    putch(out, '"');
}

static void key_id(struct lb_buf *out, uint32_t id)
{
    ADDS("\"id\":");
    id_str(out, id);
}

static void location(struct lb_buf *out, struct lb_gherkin_location l)
{
    ADDS("\"location\":{\"line\":");
    put_int(out, l.line);
    if (l.column > 0) {
        ADDS(",\"column\":");
        put_int(out, l.column);
    }
    putch(out, '}');
}

static const char *media_name(enum lb_gherkin_media m)
{
    return m == LB_GHERKIN_MEDIA_MARKDOWN ? "text/x.cucumber.gherkin+markdown"
                                          : "text/x.cucumber.gherkin+plain";
}

int lb_gherkin_write_source(struct lb_buf *out,
                            const struct lb_gherkin_document *doc)
{
    begin(doc);
    ADDS("{\"source\":{\"data\":");
    json_str(out, doc->source, doc->source_len);
    putch(out, ',');
    key_str(out, "uri", doc->uri);
    putch(out, ',');
    key_str(out, "mediaType", media_name(doc->media));
    put(out, "}}\n", 3);
    return status(out);
}

static void tags(struct lb_buf *out, const struct lb_gherkin_tag *t, size_t n)
{
    size_t i;

    ADDS("\"tags\":[");
    for (i = 0; i < n; i++) {
        if (i)
            putch(out, ',');
        putch(out, '{');
        location(out, t[i].location);
        putch(out, ',');
        key_str(out, "name", t[i].name);
        putch(out, ',');
        key_id(out, t[i].id);
        putch(out, '}');
    }
    putch(out, ']');
}

/* Set by lb_gherkin_write_document: the cells of the row being written. */
static _Thread_local struct lb_gherkin_cells *cur_cells;

static void row(struct lb_buf *out, const struct lb_gherkin_table_row *r)
{
    const struct lb_gherkin_table_cell *c =
        lb_gherkin_table_row_cells(cur_doc, r, cur_cells);
    size_t i;

    putch(out, '{');
    key_id(out, r->id);
    putch(out, ',');
    location(out, r->location);
    ADDS(",\"cells\":[");
    for (i = 0; i < r->n_cells; i++) {
        if (i)
            putch(out, ',');
        putch(out, '{');
        location(out, c[i].location);
        putch(out, ',');
        ADDS("\"value\":");
        json_str(out, c[i].value, c[i].len);
        putch(out, '}');
    }
    ADDS("]}");
}

static void steps(struct lb_buf *out, const struct lb_gherkin_step *s, size_t n)
{
    size_t i;
    size_t j;

    ADDS("\"steps\":[");
    for (i = 0; i < n; i++) {
        if (i)
            putch(out, ',');
        putch(out, '{');
        key_id(out, s[i].id);
        putch(out, ',');
        location(out, s[i].location);
        putch(out, ',');
        key_str(out, "keyword", lb_gherkin_step_keyword(cur_doc, &s[i]));
        putch(out, ',');
        key_str(out,
                "keywordType",
                lb_gherkin_keyword_type_name(s[i].keyword_type));
        putch(out, ',');
        ADDS("\"text\":");
        json_str(out, lb_gherkin_step_text(cur_doc, &s[i]), s[i].text_len);
        if (lb_gherkin_step_data_table(&s[i])) {
            ADDS(",\"dataTable\":{");
            location(out, lb_gherkin_step_data_table(&s[i])->location);
            ADDS(",\"rows\":[");
            for (j = 0; j < lb_gherkin_step_data_table(&s[i])->n_rows; j++) {
                if (j)
                    putch(out, ',');
                row(out, &lb_gherkin_step_data_table(&s[i])->rows[j]);
            }
            ADDS("]}");
        }
        if (lb_gherkin_step_doc_string(&s[i])) {
            const struct lb_gherkin_doc_string *d =
                lb_gherkin_step_doc_string(&s[i]);

            ADDS(",\"docString\":{");
            location(out, d->location);
            ADDS(",\"content\":");
            json_str(out, d->content, d->content_len);
            putch(out, ',');
            key_str(out, "delimiter", d->delimiter);
            if (d->media_type) {
                putch(out, ',');
                key_str(out, "mediaType", d->media_type);
            }
            putch(out, '}');
        }
        putch(out, '}');
    }
    putch(out, ']');
}

/* A key and a text of the document (struct lb_gherkin_span). */
static void
key_span(struct lb_buf *out, const char *key, struct lb_gherkin_span span)
{
    putch(out, '"');
    puts0(out, key);
    put(out, "\":", 2);
    json_str(out, lb_gherkin_text(cur_doc, span), span.len);
}

static void header(struct lb_buf *out,
                   struct lb_gherkin_location loc,
                   const char *keyword,
                   struct lb_gherkin_span name,
                   struct lb_gherkin_span description)
{
    location(out, loc);
    putch(out, ',');
    key_str(out, "keyword", keyword);
    putch(out, ',');
    key_span(out, "name", name);
    putch(out, ',');
    key_span(out, "description", description);
}

static void background(struct lb_buf *out,
                       const struct lb_gherkin_background *b)
{
    ADDS("{\"background\":{");
    key_id(out, b->id);
    putch(out, ',');
    header(out, b->location, b->keyword, b->name, b->description);
    putch(out, ',');
    steps(out, b->steps, b->n_steps);
    ADDS("}}");
}

static void scenario(struct lb_buf *out, const struct lb_gherkin_scenario *s)
{
    size_t i;
    size_t j;

    ADDS("{\"scenario\":{");
    key_id(out, s->id);
    putch(out, ',');
    tags(out, lb_gherkin_scenario_tags(s), s->n_tags);
    putch(out, ',');
    header(out, s->location, s->keyword, s->name, s->description);
    putch(out, ',');
    steps(out, s->steps, s->n_steps);
    ADDS(",\"examples\":[");
    for (i = 0; i < s->n_examples; i++) {
        const struct lb_gherkin_examples *x =
            &lb_gherkin_scenario_examples(s)[i];

        if (i)
            putch(out, ',');
        putch(out, '{');
        key_id(out, x->id);
        putch(out, ',');
        tags(out, x->tags, x->n_tags);
        putch(out, ',');
        header(out, x->location, x->keyword, x->name, x->description);
        if (x->header) {
            ADDS(",\"tableHeader\":");
            row(out, x->header);
        }
        ADDS(",\"tableBody\":[");
        for (j = 0; j < x->n_body; j++) {
            if (j)
                putch(out, ',');
            row(out, &lb_gherkin_examples_body(x)[j]);
        }
        ADDS("]}");
    }
    ADDS("]}}");
}

static void
children(struct lb_buf *out, const struct lb_gherkin_child *c, size_t n)
{
    size_t i;

    ADDS("\"children\":[");
    for (i = 0; i < n; i++) {
        if (i)
            putch(out, ',');
        if (lb_gherkin_child_background(&c[i])) {
            background(out, lb_gherkin_child_background(&c[i]));
        } else if (lb_gherkin_child_scenario(&c[i])) {
            scenario(out, lb_gherkin_child_scenario(&c[i]));
        } else {
            const struct lb_gherkin_rule *r = lb_gherkin_child_rule(&c[i]);

            ADDS("{\"rule\":{");
            key_id(out, r->id);
            putch(out, ',');
            header(out, r->location, r->keyword, r->name, r->description);
            putch(out, ',');
            children(out, r->children, r->n_children);
            putch(out, ',');
            tags(out, lb_gherkin_rule_tags(r), r->n_tags);
            ADDS("}}");
        }
        hand_over_piece(out);
    }
    putch(out, ']');
}

int lb_gherkin_write_document(struct lb_buf *out,
                              const struct lb_gherkin_document *doc)
{
    const struct lb_gherkin_feature *f = doc->feature;
    struct lb_gherkin_cells cells = LB_GHERKIN_CELLS_INIT;
    size_t i;

    begin(doc);
    cur_cells = &cells;
    ADDS("{\"gherkinDocument\":{");
    if (f != NULL) {
        ADDS("\"feature\":{");
        tags(out, f->tags, f->n_tags);
        putch(out, ',');
        location(out, f->location);
        putch(out, ',');
        key_str(out, "language", f->language);
        putch(out, ',');
        if (f->keyword != NULL) {
            /* a Markdown feature line without a header has none */
            key_str(out, "keyword", f->keyword);
            putch(out, ',');
        }
        key_str(out, "name", f->name);
        putch(out, ',');
        key_str(out, "description", f->description);
        putch(out, ',');
        children(out, f->children, f->n_children);
        ADDS("},");
    }
    ADDS("\"comments\":[");
    for (i = 0; i < doc->n_comments; i++) {
        if (i)
            putch(out, ',');
        putch(out, '{');
        location(out, doc->comments[i].location);
        putch(out, ',');
        key_str(out, "text", doc->comments[i].text);
        putch(out, '}');
    }
    ADDS("],");
    key_str(out, "uri", doc->uri);
    put(out, "}}\n", 3);
    lb_gherkin_cells_release(&cells);
    cur_cells = NULL;
    return status(out);
}

/* Runs `write` with `flush` handing over the pieces. */
static int in_pieces(int (*write)(struct lb_buf *out,
                                  const struct lb_gherkin_document *doc),
                     struct lb_buf *out,
                     const struct lb_gherkin_document *doc,
                     int (*flush)(struct lb_buf *out, void *ud),
                     void *ud)
{
    int rc;

    piece_flush = flush;
    piece_ud = ud;
    piece_failed = false;
    rc = write(out, doc);
    piece_flush = NULL;
    piece_ud = NULL;
    return piece_failed ? LB_EIO : rc;
}

int lb_gherkin_write_document_in_pieces(struct lb_buf *out,
                                        const struct lb_gherkin_document *doc,
                                        int (*flush)(struct lb_buf *out,
                                                     void *ud),
                                        void *ud)
{
    return in_pieces(lb_gherkin_write_document, out, doc, flush, ud);
}

int lb_gherkin_write_source_in_pieces(struct lb_buf *out,
                                      const struct lb_gherkin_document *doc,
                                      int (*flush)(struct lb_buf *out,
                                                   void *ud),
                                      void *ud)
{
    return in_pieces(lb_gherkin_write_source, out, doc, flush, ud);
}

/* A pickle step's "argument": its DocString or DataTable. */
static void write_pickle_argument(struct lb_buf *out,
                                  const struct lb_gherkin_pickle_step *s)
{
    size_t j;
    size_t k;

    ADDS(",\"argument\":{");
    if (s->doc_string) {
        ADDS("\"docString\":{");
        if (s->doc_string->argument_index)
            lb_buf_addf(
                out, "\"argumentIndex\":%d,", s->doc_string->argument_index);
        ADDS("\"content\":");
        json_str(out, s->doc_string->content, s->doc_string->content_len);
        if (s->doc_string->media_type) {
            putch(out, ',');
            key_str(out, "mediaType", s->doc_string->media_type);
        }
        putch(out, '}');
    }
    if (s->data_table) {
        if (s->doc_string)
            putch(out, ',');
        ADDS("\"dataTable\":{");
        if (s->data_table->argument_index)
            lb_buf_addf(
                out, "\"argumentIndex\":%d,", s->data_table->argument_index);
        ADDS("\"rows\":[");
        for (j = 0; j < s->data_table->n_rows; j++) {
            const struct lb_gherkin_pickle_table_row *r =
                &s->data_table->rows[j];

            if (j)
                putch(out, ',');
            ADDS("{\"cells\":[");
            for (k = 0; k < r->n_cells; k++) {
                if (k)
                    putch(out, ',');
                putch(out, '{');
                key_str(out, "value", r->cells[k].value);
                putch(out, '}');
            }
            ADDS("]}");
        }
        ADDS("]}");
    }
    putch(out, '}');
}

static void write_pickle_step(struct lb_buf *out,
                              const struct lb_gherkin_pickle *p,
                              const struct lb_gherkin_pickle_step *s)
{
    putch(out, '{');
    key_str(out, "id", s->id);
    putch(out, ',');
    key_str(out, "text", s->text);
    putch(out, ',');
    key_str(out, "type", lb_gherkin_pickle_step_type_name(s->type));
    if (s->doc_string || s->data_table)
        write_pickle_argument(out, s);
    ADDS(",\"astNodeIds\":[");
    id_str(out, s->step->id);
    if (p->row != NULL && !s->from_background) {
        putch(out, ',');
        id_str(out, p->row->id);
    }
    ADDS("]}");
}

int lb_gherkin_write_pickle(struct lb_buf *out,
                            const struct lb_gherkin_document *doc,
                            const struct lb_gherkin_pickle *pickle)
{
    const struct lb_gherkin_pickle *p = pickle;
    size_t i;

    begin(doc);
    (void)doc;
    ADDS("{\"pickle\":{");
    key_str(out, "id", p->id);
    putch(out, ',');
    key_str(out, "uri", p->uri);
    putch(out, ',');
    location(out, p->location);
    ADDS(",\"astNodeIds\":[");
    for (i = 0; i < p->n_ast_node_ids; i++) {
        if (i)
            putch(out, ',');
        str(out, p->ast_node_ids[i]);
    }
    ADDS("],\"tags\":[");
    for (i = 0; i < p->n_tags; i++) {
        if (i)
            putch(out, ',');
        putch(out, '{');
        key_str(out, "name", p->tags[i].name);
        putch(out, ',');
        key_str(out, "astNodeId", p->tags[i].ast_node_id);
        putch(out, '}');
    }
    ADDS("],");
    key_str(out, "name", p->name);
    putch(out, ',');
    key_str(out, "language", p->language);
    ADDS(",\"steps\":[");
    for (i = 0; i < p->n_steps; i++) {
        if (i)
            putch(out, ',');
        write_pickle_step(out, p, &p->steps[i]);
    }
    ADDS("]}}\n");
    return status(out);
}

int lb_gherkin_write_errors(struct lb_buf *out,
                            const struct lb_gherkin_document *doc)
{
    size_t i;
    int rc = 0;

    begin(doc);
    for (i = 0; i < doc->n_errors; i++) {
        const struct lb_gherkin_parse_error *e = &doc->errors[i];

        ADDS("{\"parseError\":{\"source\":{");
        key_str(out, "uri", doc->uri);
        putch(out, ',');
        location(out, e->location);
        ADDS("},");
        key_str(out, "message", e->message);
        put(out, "}}\n", 3);
        rc = status(out);
    }
    return rc;
}

/* The source line `line` (1-based) of the document, without its newline. */
static void source_line(const struct lb_gherkin_document *doc,
                        int line,
                        const char **s,
                        size_t *len)
{
    const char *p = doc->source;
    const char *end = doc->source + doc->source_len;
    int n = 1;

    while (n < line && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));

        if (nl == NULL) {
            p = end;
            break;
        }
        p = nl + 1;
        n++;
    }
    if (n < line || p >= end) {
        *s = NULL;
        *len = 0;
        return;
    }
    *s = p;
    {
        const char *nl = memchr(p, '\n', (size_t)(end - p));

        *len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    }
    if (*len > 0 && p[*len - 1] == '\r')
        (*len)--;
}

static size_t cp_len(const char *s, size_t len)
{
    size_t n = 1;

    while (n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    return n;
}

void lb_gherkin_format_error(struct lb_buf *out,
                             const struct lb_gherkin_document *doc,
                             const struct lb_gherkin_parse_error *e)
{
    const char *s;
    size_t len;
    size_t i;
    size_t off = 0;
    int col;

    /* a 100 MB line quoted in full helps nobody: cut it (not the message) */
    len = strlen(e->text);
    if (len > 400) {
        len = 400;
        while (len > 0 && ((unsigned char)e->text[len] & 0xC0) == 0x80)
            len--;
    }
    if (e->location.column > 0)
        lb_buf_addf(out,
                    "%s:%d:%d: error: %.*s%s\n",
                    doc->uri,
                    e->location.line,
                    e->location.column,
                    (int)len,
                    e->text,
                    e->text[len] ? "..." : "");
    else
        lb_buf_addf(out,
                    "%s:%d: error: %.*s%s\n",
                    doc->uri,
                    e->location.line,
                    (int)len,
                    e->text,
                    e->text[len] ? "..." : "");
    source_line(doc, e->location.line, &s, &len);
    if (s == NULL || e->location.column <= 0)
        return;
    if (len > 200)
        len = 200; /* a 100 MB line is not worth printing */
    lb_buf_addf(out, "%5d | ", e->location.line);
    for (i = 0; i < len; i++) {
        char c = s[i];

        if (c == '\t')
            c = ' ';
        putch(out, c);
    }
    puts0(out, "\n      | ");
    /* the caret under the column-th code point, tildes under the word */
    for (col = 1; col < e->location.column && off < len; col++) {
        off += cp_len(s + off, len - off);
        putch(out, ' ');
    }
    putch(out, '^');
    if (off < len)
        off += cp_len(s + off, len - off);
    while (off < len && s[off] != ' ' && s[off] != '\t') {
        off += cp_len(s + off, len - off);
        putch(out, '~');
    }
    putch(out, '\n');
}

/* ---- lookups ---- */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

/* Nodes are indexed by the hash of their id's text (what is looked up). */
static void index_put(struct lb_gherkin_document_internal *in,
                      uint32_t id,
                      const struct lb_gherkin_node *node)
{
    char buf[LB_ID_MAX];
    size_t i;

    (void)lb_idgen_format(&in->fmt_ids, in->id_base + id, buf);
    i = hash_str(buf) & (in->index_cap - 1);
    while (in->index[i].id != 0)
        i = (i + 1) & (in->index_cap - 1);
    in->index[i].id = id + 1;
    in->index[i].node = *node;
}

static size_t
count_nodes(const struct lb_gherkin_child *c, size_t n, size_t *total)
{
    size_t i;
    size_t j;
    size_t k;

    for (i = 0; i < n; i++) {
        if (lb_gherkin_child_background(&c[i])) {
            *total += 1 + lb_gherkin_child_background(&c[i])->n_steps;
            for (j = 0; j < lb_gherkin_child_background(&c[i])->n_steps; j++)
                if (lb_gherkin_step_data_table(
                        &lb_gherkin_child_background(&c[i])->steps[j]))
                    *total += lb_gherkin_step_data_table(
                                  &lb_gherkin_child_background(&c[i])->steps[j])
                                  ->n_rows;
        } else if (lb_gherkin_child_scenario(&c[i])) {
            const struct lb_gherkin_scenario *s =
                lb_gherkin_child_scenario(&c[i]);

            *total += 1 + s->n_tags + s->n_steps + s->n_examples;
            for (j = 0; j < s->n_steps; j++)
                if (lb_gherkin_step_data_table(&s->steps[j]))
                    *total += lb_gherkin_step_data_table(&s->steps[j])->n_rows;
            for (k = 0; k < s->n_examples; k++)
                *total += lb_gherkin_scenario_examples(s)[k].n_tags + 1 +
                          lb_gherkin_scenario_examples(s)[k].n_body;
        } else {
            const struct lb_gherkin_rule *r = lb_gherkin_child_rule(&c[i]);

            LB_ASSERT(r != NULL);
            *total += 1 + r->n_tags;
            count_nodes(r->children, r->n_children, total);
        }
    }
    return *total;
}

static void add_steps(struct lb_gherkin_document_internal *in,
                      struct lb_gherkin_node base,
                      const struct lb_gherkin_step *steps,
                      size_t n)
{
    size_t j;
    size_t r;

    for (j = 0; j < n; j++) {
        struct lb_gherkin_node node = base;

        node.kind = LB_GHERKIN_NODE_STEP;
        node.step = &steps[j];
        index_put(in, steps[j].id, &node);
        if (lb_gherkin_step_data_table(&steps[j]) == NULL)
            continue;
        for (r = 0; r < lb_gherkin_step_data_table(&steps[j])->n_rows; r++) {
            node.kind = LB_GHERKIN_NODE_TABLE_ROW;
            node.row = &lb_gherkin_step_data_table(&steps[j])->rows[r];
            index_put(in, node.row->id, &node);
        }
    }
}

static void index_children(struct lb_gherkin_document_internal *in,
                           const struct lb_gherkin_rule *rule,
                           const struct lb_gherkin_child *c,
                           size_t n)
{
    size_t i;
    size_t j;
    size_t k;

    for (i = 0; i < n; i++) {
        struct lb_gherkin_node node;

        memset(&node, 0, sizeof(node));
        node.rule = rule;
        if (lb_gherkin_child_background(&c[i])) {
            node.background = lb_gherkin_child_background(&c[i]);
            add_steps(
                in, node, node.background->steps, node.background->n_steps);
            node.kind = LB_GHERKIN_NODE_BACKGROUND;
            index_put(in, node.background->id, &node);
        } else if (lb_gherkin_child_scenario(&c[i])) {
            const struct lb_gherkin_scenario *s =
                lb_gherkin_child_scenario(&c[i]);

            node.scenario = s;
            add_steps(in, node, s->steps, s->n_steps);
            node.kind = LB_GHERKIN_NODE_SCENARIO;
            index_put(in, s->id, &node);
            for (j = 0; j < s->n_tags; j++) {
                node.kind = LB_GHERKIN_NODE_TAG;
                node.tag = &lb_gherkin_scenario_tags(s)[j];
                index_put(in, node.tag->id, &node);
            }
            node.tag = NULL;
            for (k = 0; k < s->n_examples; k++) {
                const struct lb_gherkin_examples *x =
                    &lb_gherkin_scenario_examples(s)[k];

                node.examples = x;
                node.kind = LB_GHERKIN_NODE_EXAMPLES;
                index_put(in, x->id, &node);
                for (j = 0; j < x->n_tags; j++) {
                    node.kind = LB_GHERKIN_NODE_TAG;
                    node.tag = &x->tags[j];
                    index_put(in, x->tags[j].id, &node);
                }
                node.tag = NULL;
                node.kind = LB_GHERKIN_NODE_TABLE_ROW;
                if (x->header) {
                    node.row = x->header;
                    index_put(in, x->header->id, &node);
                }
                for (j = 0; j < x->n_body; j++) {
                    node.row = &lb_gherkin_examples_body(x)[j];
                    index_put(in, node.row->id, &node);
                }
                node.row = NULL;
            }
        } else {
            const struct lb_gherkin_rule *r = lb_gherkin_child_rule(&c[i]);

            LB_ASSERT(r != NULL);
            node.kind = LB_GHERKIN_NODE_RULE;
            index_put(in, r->id, &node);
            for (j = 0; j < r->n_tags; j++) {
                node.kind = LB_GHERKIN_NODE_TAG;
                node.tag = &lb_gherkin_rule_tags(r)[j];
                index_put(in, node.tag->id, &node);
            }
            index_children(in, r, r->children, r->n_children);
        }
    }
}

static void build_index(const struct lb_gherkin_document *doc)
{
    struct lb_gherkin_document_internal *in = doc->internal;
    const struct lb_gherkin_feature *f = doc->feature;
    size_t total = 0;
    size_t cap = 16;
    size_t i;

    if (in->index != NULL || f == NULL)
        return;
    count_nodes(f->children, f->n_children, &total);
    total += f->n_tags;
    while (cap < total * 2)
        cap *= 2;
    in->index = lb_xcalloc(cap, sizeof(*in->index));
    in->index_cap = cap;
    for (i = 0; i < f->n_tags; i++) {
        struct lb_gherkin_node node;

        memset(&node, 0, sizeof(node));
        node.kind = LB_GHERKIN_NODE_TAG;
        node.tag = &f->tags[i];
        index_put(in, f->tags[i].id, &node);
    }
    index_children(in, NULL, f->children, f->n_children);
}

bool lb_gherkin_find_node(const struct lb_gherkin_document *doc,
                          const char *id,
                          struct lb_gherkin_node *out)
{
    struct lb_gherkin_document_internal *in = doc->internal;
    size_t i;

    memset(out, 0, sizeof(*out));
    build_index(doc);
    if (in->index == NULL)
        return false;
    i = hash_str(id) & (in->index_cap - 1);
    while (in->index[i].id != 0) {
        char buf[LB_ID_MAX];

        (void)lb_idgen_format(
            &in->fmt_ids, in->id_base + in->index[i].id - 1, buf);
        if (strcmp(buf, id) == 0) {
            *out = in->index[i].node;
            return true;
        }
        i = (i + 1) & (in->index_cap - 1);
    }
    return false;
}
