/*
 * The pickle compiler, as the official pickles/compile: one pickle per
 * scenario and per example row, background steps prepended (when the
 * scenario has steps), tags inherited feature > rule > scenario > examples,
 * outline values substituted variable by variable, ids from the same
 * generator as the AST (each pickle's steps before the pickle).
 *
 * A big document has hundreds of thousands of pickles whose texts, tables
 * and ids would take more memory than the AST: lb_gherkin_compile only
 * records, per pickle, its scenario, its example row and the first ordinal
 * of its ids (reserved from the generator in the official order), and
 * lb_gherkin_pickle_at makes the whole pickle from the AST on demand, in a
 * scratch the caller reuses.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "gherkin/internal.h"

/* The scratch of pickle views: chunks rewound by each lb_gherkin_pickle_at. */
struct lb_gherkin_pickle_scratch_internal {
    LB_VEC(char *) chunks;
    LB_VEC(size_t) sizes;
    size_t chunk; /* the chunk being filled */
    size_t off;   /* its next free byte */
    struct lb_buf a;
    struct lb_buf b;
    LB_VEC(struct lb_gherkin_pickle_tag) tags;
};

struct compiler {
    const struct lb_gherkin_document *doc;
    struct lb_gherkin_pickle_scratch_internal *s;
    struct lb_gherkin_pickle_step *out; /* the steps of the pickle made */
    size_t n_out;
    uint64_t next_id; /* the ordinal of the next id */
};

/* Not zeroed: for what the caller fills entirely. */
static void *xalloc_raw(struct compiler *c, size_t size)
{
    struct lb_gherkin_pickle_scratch_internal *s = c->s;
    char *p;

    size = (size + 7) & ~(size_t)7;
    if (size == 0)
        size = 8;
    while (s->chunk < s->chunks.len && s->off + size > s->sizes.items[s->chunk])
    {
        s->chunk++;
        s->off = 0;
    }
    if (s->chunk == s->chunks.len) {
        size_t n = s->chunks.len ? s->sizes.items[s->chunks.len - 1] * 2 : 4096;

        while (n < size)
            n *= 2;
        if (lb_vec_push(&s->chunks, (char *)lb_xmalloc(n)) != 0 ||
            lb_vec_push(&s->sizes, n) != 0)
            LB_BUG("out of memory");
        s->off = 0;
    }
    p = s->chunks.items[s->chunk] + s->off;
    s->off += size;
    return p;
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

static const char *id_text(struct compiler *c, uint64_t ordinal)
{
    char id[LB_ID_MAX];
    int n = lb_idgen_format(&c->doc->internal->fmt_ids, ordinal, id);

    return xstrndup(c, id, (size_t)n);
}

static const char *new_id(struct compiler *c)
{
    return id_text(c, c->next_id++);
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

static const char *interpolate(struct compiler *c,
                               const char *s,
                               size_t len,
                               size_t *out_len,
                               const struct lb_gherkin_table_row *header,
                               const struct lb_gherkin_table_row *row)
{
    struct lb_buf *next = &c->s->a;
    struct lb_buf *spare = &c->s->b;
    const char *cur = s; /* the text so far: `s` until a name is found */
    size_t cur_len = len;
    size_t v;

    *out_len = len;
    if (header == NULL || row == NULL || memchr(s, '<', len) == NULL)
        return s;
    for (v = 0; v < header->n_cells && v < row->n_cells; v++) {
        const char *name = header->cells[v].value;
        size_t nlen = strlen(name);
        const char *val = row->cells[v].value;
        size_t vlen = strlen(val);
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
    struct lb_gherkin_pickle_step ps;

    memset(&ps, 0, sizeof(ps));
    ps.id = new_id(c);
    {
        const char *text = lb_gherkin_step_text(c->doc, step);
        size_t n;

        ps.text = interpolate(c, text, step->text_len, &n, header, row);
        /* the pickle's text is NUL-terminated, the AST's span is not */
        if (ps.text == text)
            ps.text = xstrndup(c, text, n);
    }
    switch (kt) {
    case LB_GHERKIN_KEYWORD_CONTEXT:
        ps.type = LB_GHERKIN_PICKLE_STEP_CONTEXT;
        break;
    case LB_GHERKIN_KEYWORD_ACTION:
        ps.type = LB_GHERKIN_PICKLE_STEP_ACTION;
        break;
    case LB_GHERKIN_KEYWORD_OUTCOME:
        ps.type = LB_GHERKIN_PICKLE_STEP_OUTCOME;
        break;
    default:
        ps.type = LB_GHERKIN_PICKLE_STEP_UNKNOWN;
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
        ps.doc_string = d;
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

            for (j = 0; j < t->rows[i].n_cells; j++)
                cells[j].value =
                    interp0(c, t->rows[i].cells[j].value, header, row);
            rows[i].cells = cells;
            rows[i].n_cells = t->rows[i].n_cells;
        }
        pt->rows = rows;
        pt->n_rows = t->n_rows;
        ps.data_table = pt;
    }
    if (ps.doc_string != NULL && ps.data_table != NULL) {
        bool table_first = lb_gherkin_step_doc_string(step)->location.line >
                           lb_gherkin_step_data_table(step)->location.line;

        ((struct lb_gherkin_pickle_doc_string *)ps.doc_string)->argument_index =
            table_first ? 2 : 1;
        ((struct lb_gherkin_pickle_table *)ps.data_table)->argument_index =
            table_first ? 1 : 2;
    }
    ps.step = step;
    ps.from_background = from_background;
    c->out[c->n_out++] = ps;
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
static size_t pickle_steps(const struct lb_gherkin_document *doc,
                           const struct lb_gherkin_scenario *s,
                           const struct lb_gherkin_rule *rule)
{
    const struct lb_gherkin_background *fb =
        lb_gherkin_feature_background(doc->feature);
    const struct lb_gherkin_background *rb =
        rule ? lb_gherkin_rule_background(rule) : NULL;

    if (s->n_steps == 0)
        return 0;
    return s->n_steps + (fb ? fb->n_steps : 0) + (rb ? rb->n_steps : 0);
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

const struct lb_gherkin_pickle *
lb_gherkin_pickle_at(const struct lb_gherkin_document *doc,
                     size_t index,
                     struct lb_gherkin_pickle_scratch *scratch)
{
    const struct lb__gh_pickle_rec *rec;
    const struct lb_gherkin_feature *f = doc->feature;
    const struct lb_gherkin_scenario *s;
    const struct lb_gherkin_rule *rule;
    const struct lb_gherkin_examples *x = NULL;
    const struct lb_gherkin_table_row *row = NULL;
    struct lb_gherkin_pickle *pk = &scratch->pickle;
    struct compiler c;

    LB_ASSERT(index < doc->n_pickles);
    if (scratch->internal == NULL)
        scratch->internal = lb_xcalloc(1, sizeof(*scratch->internal));
    rec = &doc->internal->pickle_recs[index];
    s = rec->scenario;
    rule = lb_gherkin_scenario_rule(doc, s);
    memset(&c, 0, sizeof(c));
    c.doc = doc;
    c.s = scratch->internal;
    c.s->chunk = 0;
    c.s->off = 0;
    c.next_id = rec->first_id;
    memset(pk, 0, sizeof(*pk));
    if (rec->examples_index != UINT32_MAX) {
        x = &lb_gherkin_scenario_examples(s)[rec->examples_index];
        row = &lb_gherkin_examples_body(x)[rec->row_index];
    }
    steps_of(&c,
             s,
             lb_gherkin_feature_background(f),
             rule ? lb_gherkin_rule_background(rule) : NULL,
             x ? x->header : NULL,
             row);
    c.s->tags.len = 0;
    add_tags(&c, f->tags, f->n_tags);
    if (rule)
        add_tags(&c, rule->tags, rule->n_tags);
    add_tags(&c, s->tags, s->n_tags);
    if (x != NULL)
        add_tags(&c, x->tags, x->n_tags);
    pk->steps = c.out;
    pk->n_steps = (uint32_t)c.n_out;
    pk->tags = c.s->tags.items;
    pk->n_tags = (uint32_t)c.s->tags.len;
    pk->uri = doc->uri;
    pk->id = new_id(&c);
    pk->language = f->language;
    pk->ast_node_ids[0] = id_text(&c, doc->internal->id_base + s->id);
    pk->scenario_line = s->location.line;
    pk->scenario = s;
    pk->rule = rule;
    pk->name = pickle_name(&c, s, x, row);
    if (x == NULL) {
        pk->location = s->location;
        pk->n_ast_node_ids = 1;
    } else {
        pk->location = row->location;
        pk->ast_node_ids[1] = id_text(&c, doc->internal->id_base + row->id);
        pk->n_ast_node_ids = 2;
        pk->row_line = row->location.line;
        pk->examples = x;
        pk->row = row;
        pk->examples_index = rec->examples_index;
        pk->row_index = rec->row_index;
    }
    return pk;
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
        lb_free(in);
    }
    memset(s, 0, sizeof(*s));
}

/* Records the pickles of `s`: ids reserved in the official order. */
static size_t record(struct lb__gh_pickle_rec *recs,
                     size_t n,
                     const struct lb_gherkin_scenario *s,
                     size_t steps,
                     uint64_t *next_id)
{
    const struct lb_gherkin_examples *ex = lb_gherkin_scenario_examples(s);
    size_t e;
    size_t r;

    if (s->n_examples == 0) {
        recs[n].scenario = s;
        recs[n].first_id = *next_id;
        recs[n].examples_index = UINT32_MAX;
        recs[n].row_index = UINT32_MAX;
        *next_id += steps + 1;
        return n + 1;
    }
    for (e = 0; e < s->n_examples; e++) {
        if (ex[e].header == NULL)
            continue;
        for (r = 0; r < ex[e].n_body; r++) {
            recs[n].scenario = s;
            recs[n].first_id = *next_id;
            recs[n].examples_index = (uint32_t)e;
            recs[n].row_index = (uint32_t)r;
            *next_id += steps + 1;
            n++;
        }
    }
    return n;
}

/* Pickles of `s`, and the ids they take. */
static size_t
count_pickles(const struct lb_gherkin_scenario *s, size_t steps, size_t *ids)
{
    size_t n = 0;
    size_t e;

    if (s->n_examples == 0) {
        n = 1;
    } else {
        const struct lb_gherkin_examples *ex = lb_gherkin_scenario_examples(s);

        for (e = 0; e < s->n_examples; e++)
            if (ex[e].header != NULL)
                n += ex[e].n_body;
    }
    *ids += n * (steps + 1);
    return n;
}

int lb_gherkin_compile(struct lb_gherkin_document *doc, struct lb_error *err)
{
    const struct lb_gherkin_feature *f;
    struct lb__gh_pickle_rec *recs;
    size_t i;
    size_t j;
    size_t total = 0;
    size_t ids = 0;
    size_t n = 0;
    uint64_t next_id;

    (void)err;
    if (doc == NULL || doc->internal->compiled)
        return 0;
    doc->internal->compiled = true;
    f = doc->feature;
    if (f == NULL || doc->n_errors > 0)
        return 0;
    /* the exact count first: one array in the arena */
    for (i = 0; i < f->n_children; i++) {
        const struct lb_gherkin_child *ch = &f->children[i];
        const struct lb_gherkin_scenario *s = lb_gherkin_child_scenario(ch);
        const struct lb_gherkin_rule *r = lb_gherkin_child_rule(ch);

        if (s)
            total += count_pickles(s, pickle_steps(doc, s, NULL), &ids);
        for (j = 0; r && j < r->n_children; j++) {
            s = lb_gherkin_child_scenario(&r->children[j]);
            if (s)
                total += count_pickles(s, pickle_steps(doc, s, r), &ids);
        }
    }
    if (total == 0)
        return 0;
    recs = lb__gh_alloc_raw(doc, total * sizeof(*recs));
    next_id = lb_idgen_take(doc->internal->ids, ids);
    for (i = 0; i < f->n_children; i++) {
        const struct lb_gherkin_child *ch = &f->children[i];
        const struct lb_gherkin_scenario *s = lb_gherkin_child_scenario(ch);
        const struct lb_gherkin_rule *r = lb_gherkin_child_rule(ch);

        if (s)
            n = record(recs, n, s, pickle_steps(doc, s, NULL), &next_id);
        for (j = 0; r && j < r->n_children; j++) {
            s = lb_gherkin_child_scenario(&r->children[j]);
            if (s)
                n = record(recs, n, s, pickle_steps(doc, s, r), &next_id);
        }
    }
    LB_ASSERT(n == total);
    doc->internal->pickle_recs = recs;
    doc->n_pickles = n;
    return 0;
}
