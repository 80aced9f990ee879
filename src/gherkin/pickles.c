/*
 * The pickle compiler, as the official pickles/compile: one pickle per
 * scenario and per example row, background steps prepended (when the
 * scenario has steps), tags inherited feature > rule > scenario > examples,
 * outline values substituted variable by variable, ids from the same
 * generator as the AST (each pickle's steps before the pickle).
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "gherkin/internal.h"

/* The arguments made for a step outside an outline: the same in every pickle.
 */
struct shared_args {
    const struct lb_gherkin_step *step;
    const struct lb_gherkin_pickle_doc_string *doc_string;
    const struct lb_gherkin_pickle_table *data_table;
};

struct compiler {
    struct lb_gherkin_document *doc;
    struct lb_gherkin_pickle *pickles; /* counted first, filled in place */
    size_t n_pickles;
    struct lb_gherkin_pickle_step *out; /* the steps of the pickle made */
    size_t n_out;
    LB_VEC(struct lb_gherkin_pickle_tag) tags;
    struct lb_gherkin_pickle_tag *last_tags; /* of the last pickle made */
    size_t last_n_tags;
    struct lb_buf a;
    struct lb_buf b;
    /* step -> its arguments, open addressing (a background's table is
     * then stored once, not once per pickle) */
    struct shared_args *shared;
    size_t shared_cap;
    size_t shared_len;
};

static struct shared_args *shared_slot(struct compiler *c,
                                       const struct lb_gherkin_step *step)
{
    size_t i;

    if (c->shared_len * 2 >= c->shared_cap) {
        size_t cap = c->shared_cap ? c->shared_cap * 2 : 64;
        struct shared_args *t = lb_xcalloc(cap, sizeof(*t));
        size_t k;

        for (k = 0; k < c->shared_cap; k++) {
            if (c->shared[k].step == NULL)
                continue;
            i = ((uintptr_t)c->shared[k].step >> 4) & (cap - 1);
            while (t[i].step != NULL)
                i = (i + 1) & (cap - 1);
            t[i] = c->shared[k];
        }
        lb_free(c->shared);
        c->shared = t;
        c->shared_cap = cap;
    }
    i = ((uintptr_t)step >> 4) & (c->shared_cap - 1);
    while (c->shared[i].step != NULL && c->shared[i].step != step)
        i = (i + 1) & (c->shared_cap - 1);
    return &c->shared[i];
}

static void *xalloc(struct compiler *c, size_t size)
{
    return lb__gh_alloc(c->doc, size);
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
    struct lb_buf *next = &c->a;
    struct lb_buf *spare = &c->b;
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
    return lb__gh_strndup(c->doc, cur, cur_len);
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
    ps.id = lb__gh_new_id(c->doc);
    ps.text = interp0(c, step->text, header, row);
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
    if (row == NULL && (step->doc_string != NULL || step->data_table != NULL)) {
        struct shared_args *sa = shared_slot(c, step);

        if (sa->step == step) {
            ps.doc_string = sa->doc_string;
            ps.data_table = sa->data_table;
            goto done;
        }
    }
    if (step->doc_string != NULL) {
        struct lb_gherkin_pickle_doc_string *d = xalloc(c, sizeof(*d));

        d->content = interpolate(c,
                                 step->doc_string->content,
                                 step->doc_string->content_len,
                                 &d->content_len,
                                 header,
                                 row);
        if (step->doc_string->media_type != NULL)
            d->media_type =
                interp0(c, step->doc_string->media_type, header, row);
        ps.doc_string = d;
    }
    if (step->data_table != NULL) {
        const struct lb_gherkin_data_table *t = step->data_table;
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
        bool table_first =
            step->doc_string->location.line > step->data_table->location.line;

        ((struct lb_gherkin_pickle_doc_string *)ps.doc_string)->argument_index =
            table_first ? 2 : 1;
        ((struct lb_gherkin_pickle_table *)ps.data_table)->argument_index =
            table_first ? 1 : 2;
    }
    if (row == NULL && (ps.doc_string != NULL || ps.data_table != NULL)) {
        struct shared_args *sa = shared_slot(c, step);

        sa->step = step;
        sa->doc_string = ps.doc_string;
        sa->data_table = ps.data_table;
        c->shared_len++;
    }
done:
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
        t.ast_node_id = tags[i].id;
        if (lb_vec_push(&c->tags, t) != 0)
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
    c->out = n ? lb__gh_alloc_raw(c->doc, n * sizeof(*c->out)) : NULL;
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

static void emit(struct compiler *c, struct lb_gherkin_pickle *pk)
{
    struct lb_gherkin_pickle_tag *tags = NULL;

    if (c->tags.len > 0 && c->tags.len == c->last_n_tags &&
        memcmp(c->last_tags, c->tags.items, c->tags.len * sizeof(*tags)) == 0)
    {
        /* the same tags as the pickle before (a tagged feature): shared */
        tags = c->last_tags;
    } else if (c->tags.len > 0) {
        tags = xalloc(c, c->tags.len * sizeof(*tags));
        memcpy(tags, c->tags.items, c->tags.len * sizeof(*tags));
        c->last_tags = tags;
        c->last_n_tags = c->tags.len;
    }
    pk->steps = c->out;
    pk->n_steps = (uint32_t)c->n_out;
    pk->tags = tags;
    pk->n_tags = (uint32_t)c->tags.len;
    pk->uri = c->doc->uri;
    pk->id = lb__gh_new_id(c->doc);
    c->pickles[c->n_pickles++] = *pk;
}

static void compile_scenario(struct compiler *c,
                             const struct lb_gherkin_feature *f,
                             const struct lb_gherkin_rule *rule,
                             const struct lb_gherkin_scenario *s,
                             const struct lb_gherkin_background *fbg,
                             const struct lb_gherkin_background *rbg)
{
    struct lb_gherkin_pickle pk;
    size_t e;
    size_t r;

    if (s->n_examples == 0) {
        memset(&pk, 0, sizeof(pk));
        steps_of(c, s, fbg, rbg, NULL, NULL);
        c->tags.len = 0;
        add_tags(c, f->tags, f->n_tags);
        if (rule)
            add_tags(c, rule->tags, rule->n_tags);
        add_tags(c, s->tags, s->n_tags);
        pk.name = s->name;
        pk.language = f->language;
        pk.location = s->location;
        pk.ast_node_ids[0] = s->id;
        pk.n_ast_node_ids = 1;
        pk.scenario_line = s->location.line;
        pk.scenario = s;
        pk.rule = rule;
        emit(c, &pk);
        return;
    }
    for (e = 0; e < s->n_examples; e++) {
        const struct lb_gherkin_examples *x = &s->examples[e];

        if (x->header == NULL)
            continue;
        for (r = 0; r < x->n_body; r++) {
            const struct lb_gherkin_table_row *row = &x->body[r];

            memset(&pk, 0, sizeof(pk));
            steps_of(c, s, fbg, rbg, x->header, row);
            c->tags.len = 0;
            add_tags(c, f->tags, f->n_tags);
            if (rule)
                add_tags(c, rule->tags, rule->n_tags);
            add_tags(c, s->tags, s->n_tags);
            add_tags(c, x->tags, x->n_tags);
            pk.name = interp0(c, s->name, x->header, row);
            pk.language = f->language;
            pk.location = row->location;
            pk.ast_node_ids[0] = s->id;
            pk.ast_node_ids[1] = row->id;
            pk.n_ast_node_ids = 2;
            pk.scenario_line = s->location.line;
            pk.row_line = row->location.line;
            pk.scenario = s;
            pk.rule = rule;
            pk.examples = x;
            pk.row = row;
            pk.examples_index = (uint32_t)e;
            pk.row_index = (uint32_t)r;
            emit(c, &pk);
        }
    }
}

static size_t count_pickles(const struct lb_gherkin_scenario *s)
{
    size_t n = 0;
    size_t e;

    if (s->n_examples == 0)
        return 1;
    for (e = 0; e < s->n_examples; e++)
        if (s->examples[e].header != NULL)
            n += s->examples[e].n_body;
    return n;
}

int lb_gherkin_compile(struct lb_gherkin_document *doc, struct lb_error *err)
{
    struct compiler c;
    const struct lb_gherkin_feature *f;
    const struct lb_gherkin_background *fbg = NULL;
    size_t i;
    size_t j;
    size_t total = 0;

    (void)err;
    if (doc == NULL || doc->internal->compiled)
        return 0;
    doc->internal->compiled = true;
    f = doc->feature;
    if (f == NULL || doc->n_errors > 0)
        return 0;
    memset(&c, 0, sizeof(c));
    c.doc = doc;
    /* the exact count first: one array in the arena, no copies */
    for (i = 0; i < f->n_children; i++) {
        const struct lb_gherkin_child *ch = &f->children[i];

        if (ch->scenario)
            total += count_pickles(ch->scenario);
        for (j = 0; ch->rule && j < ch->rule->n_children; j++)
            if (ch->rule->children[j].scenario)
                total += count_pickles(ch->rule->children[j].scenario);
    }
    if (total == 0)
        return 0;
    c.pickles = xalloc(&c, total * sizeof(*c.pickles));
    lb_buf_init(&c.a, 0);
    lb_buf_init(&c.b, 0);
    for (i = 0; i < f->n_children; i++) {
        const struct lb_gherkin_child *ch = &f->children[i];

        if (ch->background) {
            fbg = ch->background;
        } else if (ch->rule) {
            const struct lb_gherkin_background *rbg = NULL;

            for (j = 0; j < ch->rule->n_children; j++) {
                const struct lb_gherkin_child *rc = &ch->rule->children[j];

                if (rc->background)
                    rbg = rc->background;
                else if (rc->scenario)
                    compile_scenario(&c, f, ch->rule, rc->scenario, fbg, rbg);
            }
        } else if (ch->scenario) {
            compile_scenario(&c, f, NULL, ch->scenario, fbg, NULL);
        }
    }
    LB_ASSERT(c.n_pickles == total);
    doc->pickles = c.pickles;
    doc->n_pickles = c.n_pickles;
    lb_vec_release(&c.tags);
    lb_buf_release(&c.a);
    lb_buf_release(&c.b);
    lb_free(c.shared);
    return 0;
}
