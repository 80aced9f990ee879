/*
 * The pickle compiler, as the official pickles/compile: one pickle per
 * scenario and per example row, background steps prepended (when the
 * scenario has steps), tags inherited feature > rule > scenario > examples,
 * outline values substituted variable by variable, ids from the same
 * generator as the AST (each pickle's steps before the pickle).
 *
 * A big document has hundreds of thousands of pickles whose texts, tables
 * and ids would take more memory than the AST: lb_gherkin_compile only
 * counts them, reserves their ids from the generator in the official order
 * and notes where every 64th pickle is (a mark: its scenario, example row
 * and first id ordinal), and lb_gherkin_pickle_at makes the whole pickle
 * from the AST on demand, in a scratch the caller reuses. The scratch
 * remembers where its last pickle was, so the usual walk in order moves
 * one pickle ahead; any other index starts from the mark before it.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "gherkin/internal.h"

/* A walk along the pickles of a document, in the official order. */
struct walk {
    const struct lb_gherkin_document *doc;
    struct lb__gh_pickle_pos pos;
    const struct lb_gherkin_scenario *s; /* the scenario at pos */
    const struct lb_gherkin_rule *rule;  /* its rule, NULL when none */
    uint64_t steps;                      /* steps of each of its pickles */
};

/* The scratch of pickle views: chunks rewound by each lb_gherkin_pickle_at. */
struct lb_gherkin_pickle_scratch_internal {
    /* where the last pickle made was: serial 0 when none */
    uint64_t serial;
    size_t index;
    struct walk at;
    LB_VEC(char *) chunks;
    LB_VEC(size_t) sizes;
    struct lb_buf a;
    struct lb_buf b;
    LB_VEC(struct lb_gherkin_pickle_tag) tags;
    /* the outline's header and row, and a DataTable row, split */
    struct lb_gherkin_cells header_cells;
    struct lb_gherkin_cells row_cells;
    /* a DataTable's rows, one scratch each (the first few): the pickles
     * of an outline read the same rows again, and find them split */
    struct lb_gherkin_cells table_cells[4];
    /* the last predictable id new_id made: 0 long when none */
    union {
        char text[LB_ID_MAX];
        uint64_t words[LB_ID_MAX / 8];
    } id;
    size_t id_len;
    uint64_t id_ordinal;
};

struct compiler {
    const struct lb_gherkin_document *doc;
    struct lb_gherkin_pickle_scratch_internal *s;
    /* the scratch's chunk being filled, its next free byte and its end */
    size_t chunk;
    char *cur;
    char *end;
    struct lb_gherkin_pickle_step *out; /* the steps of the pickle made */
    size_t n_out;
    uint64_t next_id; /* the ordinal of the next id */
    /* the outline's cells once split (the first text with a '<' does) */
    const struct lb_gherkin_table_row *split_header;
    const struct lb_gherkin_table_row *split_row;
    const struct lb_gherkin_table_cell *header_cells;
    const struct lb_gherkin_table_cell *row_cells;
    /* no header name holds '<' or '>', no row value '<': see one_pass */
    bool plain_header;
    bool plain_row;
};

/*
 * A new chunk for `size` bytes: the current one is full. The compiler
 * bumps c->cur up to c->end in the scratch's chunk c->chunk.
 */
static void *xalloc_slow(struct compiler *c, size_t size)
{
    struct lb_gherkin_pickle_scratch_internal *s = c->s;
    char *p;

    do
        c->chunk++;
    while (c->chunk < s->chunks.len && s->sizes.items[c->chunk] < size);
    if (c->chunk >= s->chunks.len) {
        /* most pickles fit in a few hundred bytes: a small document's
         * scratch stays small beside it, a big pickle doubles the chunks */
        size_t n = s->chunks.len ? s->sizes.items[s->chunks.len - 1] * 2 : 512;

        while (n < size)
            n *= 2;
        if (lb_vec_push(&s->chunks, (char *)lb_xmalloc(n)) != 0 ||
            lb_vec_push(&s->sizes, n) != 0)
            LB_BUG("out of memory");
        c->chunk = s->chunks.len - 1;
    }
    p = s->chunks.items[c->chunk];
    c->cur = p + size;
    c->end = p + s->sizes.items[c->chunk];
    return p;
}

/* Not zeroed: for what the caller fills entirely. Inline: a pickle makes
 * a dozen allocations or more. */
static inline void *xalloc_raw(struct compiler *c, size_t size)
{
    size = size ? (size + 7) & ~(size_t)7 : 8;
    if ((size_t)(c->end - c->cur) >= size) {
        char *p = c->cur;

        c->cur += size;
        return p;
    }
    return xalloc_slow(c, size);
}

static void *xalloc(struct compiler *c, size_t size)
{
    void *p = xalloc_raw(c, size);

    memset(p, 0, size);
    return p;
}

static char *xstrndup(struct compiler *c, const char *str, size_t n)
{
    char *p = xalloc_raw(c, n + 1);

    memcpy(p, str, n);
    p[n] = '\0';
    return p;
}

/*
 * The id of `ordinal`, formatted straight into the scratch: room for the
 * longest id, then the unused tail given back (a pickle of 4 steps makes
 * 7 ids or more; formatting into a buffer and copying it showed).
 */
static const char *id_text(struct compiler *c, uint64_t ordinal)
{
    char *p = xalloc_raw(c, LB_ID_MAX);
    size_t n = (size_t)lb_idgen_format(&c->doc->internal->fmt_ids, ordinal, p);

    /* xalloc_raw took LB_ID_MAX (a multiple of 8) at the chunk's end */
    c->cur -= LB_ID_MAX - ((n + 1 + 7) & ~(size_t)7);
    return p;
}

/*
 * Adds one to the decimal number of `len` digits in `words`; false when it
 * gets a digit more. The last digit is added to in its word, not as a
 * byte: new_id then reads the words back, and a word read after a byte
 * written into it waits for the store (store forwarding fails: it showed
 * as 60 % of new_id's time). A carry (one time in ten) writes bytes.
 */
static bool id_increment(uint64_t *words, size_t len)
{
    unsigned char *digits = (unsigned char *)words;
    size_t i = len - 1;

    if (digits[i] != '9') {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        words[i / 8] += (uint64_t)1 << (8 * (7 - i % 8));
#else
        words[i / 8] += (uint64_t)1 << (8 * (i % 8));
#endif
        return true;
    }
    i = len;
    while (i > 0 && digits[i - 1] == '9')
        digits[--i] = '0';
    if (i == 0)
        return false;
    digits[i - 1]++;
    return true;
}

/*
 * The next id of the pickles: step ids, then the pickle's, then the next
 * pickle's steps follow each other, so a predictable one is the last one
 * plus one, in the scratch's copy of it (no division per digit).
 */
static const char *new_id(struct compiler *c)
{
    struct lb_gherkin_pickle_scratch_internal *s = c->s;
    const struct lb_idgen *gen = &c->doc->internal->fmt_ids;
    uint64_t ordinal = c->next_id++;
    char *p;
    size_t n;
    size_t i;

    if (!gen->predictable)
        return id_text(c, ordinal);
    if (s->id_len == 0 || ordinal != s->id_ordinal + 1 ||
        !id_increment(s->id.words, s->id_len))
        s->id_len = (size_t)lb_idgen_format(gen, ordinal, s->id.text);
    s->id_ordinal = ordinal;
    /* copied in words: a memcpy call cost more */
    n = (s->id_len + 8) / 8;
    p = xalloc_raw(c, n * 8);
    for (i = 0; i < n; i++)
        memcpy(p + 8 * i, &s->id.words[i], 8);
    return p;
}

/*
 * JS interpolate(): for each header cell in order, every "<name>" becomes
 * the row's value; later names see earlier substitutions. Returns `s`
 * itself when nothing changes.
 */
/* Offset of the first "<name>" in `s` at or after `from`, or `len`. */
static size_t
find_name(const char *s, size_t len, size_t from, const char *name, size_t nlen)
{
    while (from < len) {
        const char *lt = memchr(s + from, '<', len - from);
        size_t at;

        if (lt == NULL)
            return len;
        at = (size_t)(lt - s);
        if (at + nlen + 2 <= len && memcmp(s + at + 1, name, nlen) == 0 &&
            s[at + 1 + nlen] == '>')
            return at;
        from = at + 1;
    }
    return len;
}

/* Whether one of the `n` cells holds `a` or `b` (pass the same twice). */
static bool
cells_hold(const struct lb_gherkin_table_cell *cells, size_t n, char a, char b)
{
    size_t i;
    size_t k;

    /* cells are a few bytes: a plain loop beats two memchr calls each */
    for (i = 0; i < n; i++)
        for (k = 0; k < cells[i].len; k++)
            if (cells[i].value[k] == a || cells[i].value[k] == b)
                return true;
    return false;
}

/* Splits the outline's header and row (once per pickle and table). */
static void split_outline(struct compiler *c,
                          const struct lb_gherkin_table_row *header,
                          const struct lb_gherkin_table_row *row)
{
    if (c->split_header != header) {
        c->header_cells =
            lb_gherkin_table_row_cells(c->doc, header, &c->s->header_cells);
        c->split_header = header;
        c->plain_header =
            !cells_hold(c->header_cells, header->n_cells, '<', '>');
    }
    if (c->split_row != row) {
        c->row_cells =
            lb_gherkin_table_row_cells(c->doc, row, &c->s->row_cells);
        c->split_row = row;
        c->plain_row = !cells_hold(c->row_cells, row->n_cells, '<', '<');
    }
}

/* The header cell named `name` (the first of that name), or -1. */
static long
find_header(const struct compiler *c, size_t n, const char *name, size_t nlen)
{
    size_t v;

    for (v = 0; v < n; v++)
        if (c->header_cells[v].len == nlen &&
            memcmp(c->header_cells[v].value, name, nlen) == 0)
            return (long)v;
    return -1;
}

/* A "<name>" of a text that one_pass replaces: where, and by what. */
struct hit {
    uint32_t at;  /* its '<' */
    uint32_t end; /* past its '>' */
    uint32_t value;
};

#define MAX_HITS 16

/*
 * interpolate() in one pass over `s`, when that gives what the
 * name-by-name passes give: no header name holds '<' or '>' and no value
 * '<' (c->plain_header, c->plain_row), so a "<name>" is a '<' up to the
 * next '>' with no '<' between, matches never overlap, and a value put in
 * makes no new '<'. Then each "<name>" of `s` is replaced by the value of
 * the first header cell of that name, any other left as it is — except a
 * '<' with another '<' before the next '>' ("<a<b>>": once "<b>" is
 * replaced, "<a...>" may be a name), or more than MAX_HITS names: NULL
 * then, and the caller makes the passes. The text is written once, in the
 * pickle's scratch.
 */
static const char *one_pass(struct compiler *c,
                            const char *s,
                            size_t len,
                            const char *lt,
                            size_t n,
                            size_t *out_len)
{
    struct hit hits[MAX_HITS];
    size_t n_hits = 0;
    size_t total = len;
    size_t i;
    char *out;
    char *w;

    while (lt != NULL) {
        size_t at = (size_t)(lt - s);
        size_t gt = at + 1;
        size_t nlen;
        long v;

        /* names are short: scanned inline, not with two memchr calls */
        while (gt < len && s[gt] != '>' && s[gt] != '<')
            gt++;
        if (gt == len)
            break; /* no '>' after: no name from here on */
        if (s[gt] == '<')
            return NULL; /* a '<' in what may be a name: the passes */
        nlen = gt - at - 1;
        v = find_header(c, n, s + at + 1, nlen);
        if (v >= 0) {
            if (n_hits == MAX_HITS)
                return NULL;
            hits[n_hits].at = (uint32_t)at;
            hits[n_hits].end = (uint32_t)(at + nlen + 2);
            hits[n_hits].value = (uint32_t)v;
            n_hits++;
            total = total - nlen - 2 + c->row_cells[v].len;
        }
        at += nlen + 2;
        lt = at < len ? memchr(s + at, '<', len - at) : NULL;
    }
    out = xalloc_raw(c, total + 1);
    w = out;
    for (i = 0; i < n_hits; i++) {
        const struct lb_gherkin_table_cell *val = &c->row_cells[hits[i].value];
        size_t from = i ? hits[i - 1].end : 0;

        memcpy(w, s + from, hits[i].at - from);
        w += hits[i].at - from;
        memcpy(w, val->value, val->len);
        w += val->len;
    }
    i = n_hits ? hits[n_hits - 1].end : 0;
    memcpy(w, s + i, len - i);
    w += len - i;
    *w = '\0';
    *out_len = total;
    return out;
}

/* interpolate() of a text with a '<' (at `lt`) and an example row. */
static const char *substitute(struct compiler *c,
                              const char *s,
                              size_t len,
                              const char *lt,
                              size_t *out_len,
                              const struct lb_gherkin_table_row *header,
                              const struct lb_gherkin_table_row *row)
{
    struct lb_buf *next = &c->s->a;
    struct lb_buf *spare = &c->s->b;
    const char *cur = s; /* the text so far: `s` until a name is found */
    size_t cur_len = len;
    size_t n;
    size_t v;

    /* split once per pickle, and only for a text that may name a value */
    split_outline(c, header, row);
    n = header->n_cells < row->n_cells ? header->n_cells : row->n_cells;
    if (c->plain_header && c->plain_row) {
        const char *r = one_pass(c, s, len, lt, n, out_len);

        if (r != NULL)
            return r;
    }
    for (v = 0; v < n; v++) {
        const char *name = c->header_cells[v].value;
        size_t nlen = c->header_cells[v].len;
        const char *val = c->row_cells[v].value;
        size_t vlen = c->row_cells[v].len;
        size_t at = find_name(cur, cur_len, 0, name, nlen);
        size_t i = 0;

        /* most names are not in a given text: nothing is copied then */
        if (at == cur_len)
            continue;
        lb_buf_reset(next);
        while (at < cur_len) {
            lb_buf_add(next, cur + i, at - i);
            lb_buf_add(next, val, vlen);
            i = at + nlen + 2;
            at = find_name(cur, cur_len, i, name, nlen);
        }
        lb_buf_add(next, cur + i, cur_len - i);
        cur = next->ptr;
        cur_len = next->len;
        {
            struct lb_buf *t = next;

            next = spare;
            spare = t;
        }
    }
    if (cur == s)
        return s;
    *out_len = cur_len;
    return xstrndup(c, cur, cur_len);
}

/*
 * `s` itself when nothing can change (no example row, or no '<': most
 * texts); inline, so that costs no call.
 */
static inline const char *interpolate(struct compiler *c,
                                      const char *s,
                                      size_t len,
                                      size_t *out_len,
                                      const struct lb_gherkin_table_row *header,
                                      const struct lb_gherkin_table_row *row)
{
    const char *lt;

    *out_len = len;
    if (header == NULL || row == NULL || (lt = memchr(s, '<', len)) == NULL)
        return s;
    return substitute(c, s, len, lt, out_len, header, row);
}

static const char *interp0(struct compiler *c,
                           const char *s,
                           const struct lb_gherkin_table_row *header,
                           const struct lb_gherkin_table_row *row)
{
    size_t n;

    return interpolate(c, s, strlen(s), &n, header, row);
}

static void pickle_step(struct compiler *c,
                        const struct lb_gherkin_step *step,
                        const struct lb_gherkin_table_row *header,
                        const struct lb_gherkin_table_row *row,
                        enum lb_gherkin_keyword_type kt,
                        bool from_background)
{
    /* made in place: a copy of a struct made on the stack field by field
     * stalls on store forwarding */
    struct lb_gherkin_pickle_step *ps = &c->out[c->n_out++];

    memset(ps, 0, sizeof(*ps));
    ps->id = new_id(c);
    {
        const char *text = lb_gherkin_step_text(c->doc, step);
        size_t n;

        ps->text = interpolate(c, text, step->text_len, &n, header, row);
        /* the pickle's text is NUL-terminated, the AST's span is not */
        if (ps->text == text)
            ps->text = xstrndup(c, text, n);
    }
    switch (kt) {
    case LB_GHERKIN_KEYWORD_CONTEXT:
        ps->type = LB_GHERKIN_PICKLE_STEP_CONTEXT;
        break;
    case LB_GHERKIN_KEYWORD_ACTION:
        ps->type = LB_GHERKIN_PICKLE_STEP_ACTION;
        break;
    case LB_GHERKIN_KEYWORD_OUTCOME:
        ps->type = LB_GHERKIN_PICKLE_STEP_OUTCOME;
        break;
    default:
        ps->type = LB_GHERKIN_PICKLE_STEP_UNKNOWN;
        break;
    }
    if (lb_gherkin_step_doc_string(step) != NULL) {
        struct lb_gherkin_pickle_doc_string *d = xalloc(c, sizeof(*d));

        d->content = interpolate(c,
                                 lb_gherkin_step_doc_string(step)->content,
                                 lb_gherkin_step_doc_string(step)->content_len,
                                 &d->content_len,
                                 header,
                                 row);
        if (lb_gherkin_step_doc_string(step)->media_type != NULL)
            d->media_type = interp0(
                c, lb_gherkin_step_doc_string(step)->media_type, header, row);
        ps->doc_string = d;
    }
    if (lb_gherkin_step_data_table(step) != NULL) {
        const struct lb_gherkin_data_table *t =
            lb_gherkin_step_data_table(step);
        struct lb_gherkin_pickle_table *pt = xalloc(c, sizeof(*pt));
        struct lb_gherkin_pickle_table_row *rows =
            xalloc(c, t->n_rows * sizeof(*rows));
        size_t i;
        size_t j;

        for (i = 0; i < t->n_rows; i++) {
            struct lb_gherkin_pickle_table_cell *cells =
                t->rows[i].n_cells
                    ? xalloc(c, t->rows[i].n_cells * sizeof(*cells))
                    : NULL;
            const struct lb_gherkin_table_cell *ast =
                lb_gherkin_table_row_cells(
                    c->doc, &t->rows[i], &c->s->table_cells[i & 3]);

            for (j = 0; j < t->rows[i].n_cells; j++) {
                size_t n;
                const char *v =
                    interpolate(c, ast[j].value, ast[j].len, &n, header, row);

                /* the AST's value lives in the splitter's scratch */
                cells[j].value = v == ast[j].value ? xstrndup(c, v, n) : v;
            }
            rows[i].cells = cells;
            rows[i].n_cells = t->rows[i].n_cells;
        }
        pt->rows = rows;
        pt->n_rows = t->n_rows;
        ps->data_table = pt;
    }
    if (ps->doc_string != NULL && ps->data_table != NULL) {
        bool table_first = lb_gherkin_step_doc_string(step)->location.line >
                           lb_gherkin_step_data_table(step)->location.line;

        ((struct lb_gherkin_pickle_doc_string *)ps->doc_string)
            ->argument_index = table_first ? 2 : 1;
        ((struct lb_gherkin_pickle_table *)ps->data_table)->argument_index =
            table_first ? 1 : 2;
    }
    ps->step = step;
    ps->from_background = from_background;
}

static void
add_tags(struct compiler *c, const struct lb_gherkin_tag *tags, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        struct lb_gherkin_pickle_tag t;

        t.name = tags[i].name;
        t.ast_node_id = id_text(c, c->doc->internal->id_base + tags[i].id);
        if (lb_vec_push(&c->s->tags, t) != 0)
            LB_BUG("out of memory");
    }
}

/*
 * Steps of the backgrounds, then the scenario's, written straight into the
 * pickle's array (its size is known: no vector and no copy).
 */
static void steps_of(struct compiler *c,
                     const struct lb_gherkin_scenario *s,
                     const struct lb_gherkin_background *fbg,
                     const struct lb_gherkin_background *rbg,
                     const struct lb_gherkin_table_row *header,
                     const struct lb_gherkin_table_row *row)
{
    enum lb_gherkin_keyword_type last = LB_GHERKIN_KEYWORD_UNKNOWN;
    const struct lb_gherkin_background *bgs[2] = {fbg, rbg};
    size_t b;
    size_t i;

    size_t n = s->n_steps;

    if (s->n_steps > 0)
        n += (fbg ? fbg->n_steps : 0) + (rbg ? rbg->n_steps : 0);
    c->out = n ? xalloc_raw(c, n * sizeof(*c->out)) : NULL;
    c->n_out = 0;
    if (s->n_steps > 0) {
        for (b = 0; b < 2; b++) {
            if (bgs[b] == NULL)
                continue;
            for (i = 0; i < bgs[b]->n_steps; i++) {
                const struct lb_gherkin_step *st = &bgs[b]->steps[i];

                if (st->keyword_type != LB_GHERKIN_KEYWORD_CONJUNCTION)
                    last = st->keyword_type;
                pickle_step(c, st, NULL, NULL, last, true);
            }
        }
    }
    for (i = 0; i < s->n_steps; i++) {
        const struct lb_gherkin_step *st = &s->steps[i];

        if (st->keyword_type != LB_GHERKIN_KEYWORD_CONJUNCTION)
            last = st->keyword_type;
        pickle_step(c, st, header, row, last, false);
    }
}

/* Steps of a pickle of `s`: backgrounds' only when the scenario has some. */
static uint64_t pickle_steps(const struct lb_gherkin_document *doc,
                             const struct lb_gherkin_scenario *s,
                             const struct lb_gherkin_rule *rule)
{
    const struct lb_gherkin_background *fb =
        lb_gherkin_feature_background(doc->feature);
    const struct lb_gherkin_background *rb =
        rule ? lb_gherkin_rule_background(rule) : NULL;

    if (s->n_steps == 0)
        return 0;
    return (uint64_t)s->n_steps + (fb ? fb->n_steps : 0) +
           (rb ? rb->n_steps : 0);
}

/*
 * Moves `w` to the first scenario at or after (child, rchild), setting s
 * and rule; false past the last child.
 */
static bool scenario_at(struct walk *w)
{
    const struct lb_gherkin_feature *f = w->doc->feature;

    while (w->pos.child < f->n_children) {
        const struct lb_gherkin_child *ch = &f->children[w->pos.child];
        const struct lb_gherkin_rule *r = lb_gherkin_child_rule(ch);
        const struct lb_gherkin_scenario *s = NULL;

        /* the node of the child after next is read soon, and not where
         * this one's walk ends (a rule's node follows its children): ask
         * for its counts (16 bytes in) */
        if (w->pos.child + 2 < f->n_children)
            __builtin_prefetch(f->children[w->pos.child + 2].tagged + 16);

        if (r == NULL) {
            s = lb_gherkin_child_scenario(ch);
        } else {
            while (w->pos.rchild < r->n_children && s == NULL) {
                s = lb_gherkin_child_scenario(&r->children[w->pos.rchild]);
                if (s == NULL)
                    w->pos.rchild++;
            }
        }
        if (s != NULL) {
            w->s = s;
            w->rule = r;
            return true;
        }
        w->pos.child++;
        w->pos.rchild = 0;
    }
    return false;
}

/* Moves `w` past its scenario. */
static void next_scenario(struct walk *w)
{
    if (w->rule != NULL) {
        w->pos.rchild++;
    } else {
        w->pos.child++;
        w->pos.rchild = 0;
    }
    w->pos.examples = 0;
    w->pos.row = 0;
}

/*
 * Moves `w` to the first pickle at or after its position (an outline's
 * examples without a header, or without rows, have none); false past the
 * last pickle.
 */
static bool settle(struct walk *w)
{
    while (scenario_at(w)) {
        const struct lb_gherkin_scenario *s = w->s;

        if (s->n_examples == 0) {
            w->steps = pickle_steps(w->doc, s, w->rule);
            return true;
        }
        const struct lb_gherkin_examples *ex = lb_gherkin_scenario_examples(s);

        while (w->pos.examples < s->n_examples &&
               (ex[w->pos.examples].header == NULL ||
                w->pos.row >= ex[w->pos.examples].n_body))
        {
            w->pos.examples++;
            w->pos.row = 0;
        }
        if (w->pos.examples < s->n_examples) {
            w->steps = pickle_steps(w->doc, s, w->rule);
            return true;
        }
        next_scenario(w);
    }
    return false;
}

/* Moves `w` from a pickle to the next one; false past the last. */
static bool next_pickle(struct walk *w)
{
    const struct lb_gherkin_scenario *s = w->s;

    w->pos.next_id += w->steps + 1;
    if (s->n_examples == 0) {
        next_scenario(w);
    } else if (++w->pos.row <
               lb_gherkin_scenario_examples(s)[w->pos.examples].n_body)
    {
        return true; /* the common case of an outline: the next row */
    }
    return settle(w);
}

/* `w` at pickle `index` of a compiled document, from the mark before it. */
static void walk_from_mark(struct walk *w,
                           const struct lb_gherkin_document *doc,
                           size_t index)
{
    size_t k = index / LB__GH_PICKLE_GAP;
    bool ok;

    LB_ASSERT(k < doc->internal->n_pickle_marks);
    w->doc = doc;
    w->pos = doc->internal->pickle_marks[k];
    ok = settle(w);
    for (k *= LB__GH_PICKLE_GAP; ok && k < index; k++)
        ok = next_pickle(w);
    LB_ASSERT(ok);
}

/* Tags of the feature, the rule, the scenario, the examples. */
static void pickle_tags(struct compiler *c,
                        const struct walk *w,
                        const struct lb_gherkin_examples *x)
{
    const struct lb_gherkin_feature *f = c->doc->feature;

    c->s->tags.len = 0;
    add_tags(c, f->tags, f->n_tags);
    if (w->rule)
        add_tags(c, lb_gherkin_rule_tags(w->rule), w->rule->n_tags);
    add_tags(c, lb_gherkin_scenario_tags(w->s), w->s->n_tags);
    if (x != NULL)
        add_tags(c, x->tags, x->n_tags);
}

/* The pickle's name (NUL-terminated): the scenario's, values substituted. */
static const char *pickle_name(struct compiler *c,
                               const struct lb_gherkin_scenario *s,
                               const struct lb_gherkin_examples *x,
                               const struct lb_gherkin_table_row *row)
{
    const char *name = lb_gherkin_text(c->doc, s->name);
    size_t n;
    const char *r = interpolate(
        c, name, s->name.len, &n, x ? x->header : NULL, x ? row : NULL);

    return r == name ? xstrndup(c, name, n) : r;
}

/* Makes the pickle `w` is at in the scratch of `c`. */
static void make_pickle(struct compiler *c,
                        const struct walk *w,
                        struct lb_gherkin_pickle *pk)
{
    const struct lb_gherkin_document *doc = c->doc;
    const struct lb_gherkin_feature *f = doc->feature;
    const struct lb_gherkin_scenario *s = w->s;
    const struct lb_gherkin_examples *x = NULL;
    const struct lb_gherkin_table_row *row = NULL;

    c->next_id = w->pos.next_id;
    memset(pk, 0, sizeof(*pk));
    if (s->n_examples > 0) {
        x = &lb_gherkin_scenario_examples(s)[w->pos.examples];
        row = &lb_gherkin_examples_body(x)[w->pos.row];
        /* the next pickle splits the next row's line: ask for it */
        if (w->pos.row + 1 < x->n_body)
            __builtin_prefetch(doc->source + row[1].source_off);
    }
    steps_of(c,
             s,
             lb_gherkin_feature_background(f),
             w->rule ? lb_gherkin_rule_background(w->rule) : NULL,
             x ? x->header : NULL,
             row);
    pickle_tags(c, w, x);
    pk->steps = c->out;
    pk->n_steps = (uint32_t)c->n_out;
    pk->tags = c->s->tags.items;
    pk->n_tags = (uint32_t)c->s->tags.len;
    pk->uri = doc->uri;
    pk->id = new_id(c);
    pk->language = f->language;
    pk->ast_node_ids[0] = id_text(c, doc->internal->id_base + s->id);
    pk->scenario_line = s->location.line;
    pk->scenario = s;
    pk->rule = w->rule;
    pk->name = pickle_name(c, s, x, row);
    if (x == NULL) {
        pk->location = s->location;
        pk->n_ast_node_ids = 1;
    } else {
        pk->location = row->location;
        pk->ast_node_ids[1] = id_text(c, doc->internal->id_base + row->id);
        pk->n_ast_node_ids = 2;
        pk->row_line = row->location.line;
        pk->examples = x;
        pk->row = row;
        pk->examples_index = w->pos.examples;
        pk->row_index = w->pos.row;
    }
}

const struct lb_gherkin_pickle *
lb_gherkin_pickle_at(const struct lb_gherkin_document *doc,
                     size_t index,
                     struct lb_gherkin_pickle_scratch *scratch)
{
    struct lb_gherkin_pickle_scratch_internal *in;
    struct compiler c;

    LB_ASSERT(index < doc->n_pickles);
    if (scratch->internal == NULL)
        scratch->internal = lb_xcalloc(1, sizeof(*scratch->internal));
    in = scratch->internal;
    /* from where the last call left it when that is on the way, else from
     * the mark before `index` */
    if (in->serial == doc->internal->serial && in->index <= index &&
        in->index >= index - index % LB__GH_PICKLE_GAP)
    {
        for (; in->index < index; in->index++)
            if (!next_pickle(&in->at))
                LB_BUG("pickle %zu of %zu not found", index, doc->n_pickles);
    } else {
        walk_from_mark(&in->at, doc, index);
        in->serial = doc->internal->serial;
        in->index = index;
    }
    memset(&c, 0, sizeof(c));
    c.doc = doc;
    c.s = in;
    /* the chunks are rewound: the first is filled again (none yet: the
     * first allocation makes it) */
    c.chunk = 0;
    if (in->chunks.len > 0) {
        c.cur = in->chunks.items[0];
        c.end = c.cur + in->sizes.items[0];
    } else {
        c.chunk = (size_t)-1; /* xalloc_slow starts at chunk 0 */
    }
    make_pickle(&c, &in->at, &scratch->pickle);
    return &scratch->pickle;
}

void lb_gherkin_pickle_scratch_release(struct lb_gherkin_pickle_scratch *s)
{
    struct lb_gherkin_pickle_scratch_internal *in = s->internal;
    size_t i;

    if (in != NULL) {
        for (i = 0; i < in->chunks.len; i++)
            lb_free(in->chunks.items[i]);
        lb_vec_release(&in->chunks);
        lb_vec_release(&in->sizes);
        lb_buf_release(&in->a);
        lb_buf_release(&in->b);
        lb_vec_release(&in->tags);
        lb_gherkin_cells_release(&in->header_cells);
        lb_gherkin_cells_release(&in->row_cells);
        for (i = 0; i < 4; i++)
            lb_gherkin_cells_release(&in->table_cells[i]);
        lb_free(in);
    }
    memset(s, 0, sizeof(*s));
}

typedef LB_VEC(struct lb__gh_pickle_pos) pos_vec;

/* Notes a mark: `w` at row `row` of its examples. */
static void mark(pos_vec *marks, const struct walk *w, uint32_t row)
{
    struct lb__gh_pickle_pos pos = w->pos;

    pos.row = row;
    if (lb_vec_push(marks, pos) != 0)
        LB_BUG("out of memory");
}

/*
 * Counts the pickles of `doc` and the ids they take (ordinals from 0),
 * noting where every GAP-th pickle is. Per scenario and per examples, not
 * per pickle: an outline's rows are arithmetic.
 */
static size_t count_and_mark(const struct lb_gherkin_document *doc,
                             pos_vec *marks,
                             uint64_t *ids)
{
    const size_t gap = LB__GH_PICKLE_GAP;
    struct walk w;
    size_t n = 0;
    uint64_t next_id = 0;

    memset(&w, 0, sizeof(w));
    w.doc = doc;
    for (; scenario_at(&w); next_scenario(&w)) {
        const struct lb_gherkin_scenario *s = w.s;
        uint64_t per = pickle_steps(doc, s, w.rule) + 1;

        w.pos.next_id = next_id;
        if (s->n_examples == 0) {
            if (n % gap == 0)
                mark(marks, &w, 0);
            n++;
            next_id += per;
            continue;
        }
        for (w.pos.examples = 0; w.pos.examples < s->n_examples;
             w.pos.examples++) {
            const struct lb_gherkin_examples *x =
                &lb_gherkin_scenario_examples(s)[w.pos.examples];
            size_t rows = x->header ? x->n_body : 0;
            size_t k = (n + gap - 1) / gap * gap; /* the first mark here */

            for (; k < n + rows; k += gap) {
                w.pos.next_id = next_id + (k - n) * per;
                mark(marks, &w, (uint32_t)(k - n));
            }
            n += rows;
            next_id += rows * per;
        }
    }
    *ids = next_id;
    return n;
}

int lb_gherkin_compile(struct lb_gherkin_document *doc, struct lb_error *err)
{
    struct lb_gherkin_document_internal *in;
    pos_vec marks = {0};
    size_t n;
    size_t i;
    uint64_t ids;
    uint64_t base;

    (void)err;
    if (doc == NULL || doc->internal->compiled)
        return 0;
    in = doc->internal;
    in->compiled = true;
    if (doc->feature == NULL || doc->n_errors > 0)
        return 0;
    n = count_and_mark(doc, &marks, &ids);
    if (n > 0) {
        /* the marks move to the arena, their ordinals from the ids taken */
        base = lb_idgen_take(in->ids, ids);
        in->pickle_marks =
            lb__gh_alloc_raw(doc, marks.len * sizeof(*in->pickle_marks));
        for (i = 0; i < marks.len; i++) {
            in->pickle_marks[i] = marks.items[i];
            in->pickle_marks[i].next_id += base;
        }
        in->n_pickle_marks = marks.len;
        doc->n_pickles = n;
    }
    lb_vec_release(&marks);
    return 0;
}

bool lb_gherkin_find_pickle(const struct lb_gherkin_document *doc,
                            const char *id,
                            size_t *index)
{
    const struct lb_gherkin_document_internal *in = doc->internal;
    uint64_t ordinal;
    size_t lo = 0;
    size_t hi = in->n_pickle_marks;
    size_t k;
    struct walk w;

    *index = 0;
    if (doc->n_pickles == 0 || !lb_idgen_parse(&in->fmt_ids, id, &ordinal) ||
        ordinal < in->pickle_marks[0].next_id)
        return false;
    /* the last mark at or before the ordinal, then pickle by pickle */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (in->pickle_marks[mid].next_id <= ordinal)
            lo = mid;
        else
            hi = mid;
    }
    k = lo * LB__GH_PICKLE_GAP;
    walk_from_mark(&w, doc, k);
    for (;;) {
        uint64_t own = w.pos.next_id + w.steps; /* the pickle's id */

        if (own >= ordinal) {
            *index = k;
            return own == ordinal;
        }
        if (++k == doc->n_pickles || !next_pickle(&w))
            return false;
    }
}
