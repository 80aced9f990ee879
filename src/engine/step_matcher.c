/*
 * The step matcher (see step_matcher.h). Every match of a definition
 * contains literal text its pattern requires: a prefix, a suffix, runs in
 * between. Two indexes use that to find the few definitions a step text
 * can match:
 *
 * - a byte trie of the prefixes (4 bytes or more): walking the text down
 *   the trie yields the definitions whose prefix the text starts with;
 * - for definitions without such a prefix ("{word} sends ..."), a hash of
 *   one 4-byte gram of a required run, the one rarest among all those
 *   definitions' runs (rebuilt before the first match after an add):
 *   sliding a 4-byte window over the text yields the definitions whose
 *   gram occurs in it.
 *
 * Each candidate's suffix and runs are then compared, and only the
 * survivors run PCRE2 (JIT). A definition with no literal at all is tried
 * for every text.
 */
#include "engine/step_matcher.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/vec.h"
#include "engine/expr_internal.h"

/* Shorter prefixes are too common to index by: the gram index does better. */
#define GRAM 4

struct trie_node {
    int32_t defs; /* head of this node's list in `links`, or -1 */
};

/*
 * A trie edge, in one hash for the whole trie (open addressing): walking a
 * text costs one probe per byte, whatever a node's number of children.
 */
struct trie_edge {
    uint32_t key;  /* parent node << 8 | byte */
    int32_t child; /* -1 when the slot is free */
};

/*
 * 256-bit set of the byte pairs of a string: a definition whose literals
 * have a pair the text lacks cannot match it, found with four ANDs.
 */
struct pair_set {
    uint64_t w[4];
};

/* One bucket of a gram hash (open addressing). */
struct gram_slot {
    uint32_t key;
    int32_t defs;   /* head of the list in `links`, -1 when the slot is free */
    uint32_t count; /* definitions in the list, or the gram's frequency */
};

struct gram_table {
    struct gram_slot *slots; /* `cap` slots, a power of two */
    size_t cap;
    size_t used;
};

/*
 * What the filter needs of each definition, kept together so a candidate
 * is rejected without touching its expression.
 */
struct def_filter {
    struct pair_set pairs; /* of the suffix and the runs */
    const char *suffix;
    uint32_t suffix_len;
    uint32_t nruns;
    const struct lb__literal *runs;
};

/* One entry of a definition list (a trie node's or a gram's). */
struct def_link {
    uint32_t def;
    int32_t next;
};

struct lb_step_matcher {
    const struct lb_param_registry *reg;
    LB_VEC(struct lb_step_def *) defs;
    LB_VEC(struct def_filter) filters; /* per definition */
    LB_VEC(struct trie_node) nodes;    /* nodes.items[0] is the root */
    int32_t root_child[256];           /* the root's children, by byte */
    struct trie_edge *edges;           /* the other nodes' children */
    size_t edge_cap;                   /* a power of two */
    size_t edge_used;
    LB_VEC(struct def_link) links; /* the trie's lists */
    /*
     * The gram index, rebuilt before a match when definitions were added:
     * each definition without a prefix goes under its rarest gram among
     * all of them.
     */
    LB_VEC(uint32_t) gram_defs; /* the definitions it holds */
    struct gram_table grams;
    LB_VEC(struct def_link) gram_links;
    bool gram_dirty;
    uint32_t *mark; /* per definition: the epoch it was last a candidate */
    uint32_t epoch;
    LB_VEC(uint32_t) candidates;     /* scratch */
    LB_VEC(struct lb_match) matches; /* scratch, the last results */
};

struct lb_step_matcher *lb_step_matcher_new(const struct lb_param_registry *reg)
{
    struct lb_step_matcher *sm;
    struct trie_node root = {-1};
    size_t i;

    sm = lb_calloc(1, sizeof(*sm));
    if (sm == NULL)
        return NULL;
    sm->reg = reg;
    for (i = 0; i < 256; i++)
        sm->root_child[i] = -1;
    if (lb_vec_push(&sm->nodes, root) != 0) {
        lb_free(sm);
        return NULL;
    }
    return sm;
}

static void def_free(struct lb_step_def *d)
{
    if (d == NULL)
        return;
    lb_expr_free(d->expr);
    lb_free((char *)d->file);
    lb_free(d);
}

void lb_step_matcher_free(struct lb_step_matcher *sm)
{
    size_t i;

    if (sm == NULL)
        return;
    for (i = 0; i < sm->defs.len; i++)
        def_free(sm->defs.items[i]);
    lb_vec_release(&sm->defs);
    lb_vec_release(&sm->filters);
    lb_vec_release(&sm->nodes);
    lb_free(sm->edges);
    lb_vec_release(&sm->links);
    lb_vec_release(&sm->gram_defs);
    lb_free(sm->grams.slots);
    lb_vec_release(&sm->gram_links);
    lb_free(sm->mark);
    lb_vec_release(&sm->candidates);
    lb_vec_release(&sm->matches);
    lb_free(sm);
}

/* murmur3's finalizer: all key bits reach the low bits the tables use */
static uint32_t mix(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static struct trie_edge *edge_slot(const struct lb_step_matcher *sm,
                                   uint32_t key)
{
    size_t i = (size_t)(mix(key) & (sm->edge_cap - 1));

    while (sm->edges[i].child >= 0 && sm->edges[i].key != key)
        i = (i + 1) & (sm->edge_cap - 1);
    return &sm->edges[i];
}

static int32_t
child_of(const struct lb_step_matcher *sm, int32_t node, unsigned char byte)
{
    if (node == 0)
        return sm->root_child[byte];
    if (sm->edge_used == 0)
        return -1;
    return edge_slot(sm, (uint32_t)node << 8 | byte)->child;
}

/* Keeps the edge hash at most half full; 0 or LB_ENOMEM. */
static int edge_grow(struct lb_step_matcher *sm)
{
    struct trie_edge *old = sm->edges;
    size_t old_cap = sm->edge_cap, i;

    if (2 * (sm->edge_used + 1) <= sm->edge_cap)
        return 0;
    sm->edge_cap = old_cap ? 2 * old_cap : 256;
    sm->edges = lb_malloc(sm->edge_cap * sizeof(*sm->edges));
    if (sm->edges == NULL) {
        sm->edges = old;
        sm->edge_cap = old_cap;
        return LB_ENOMEM;
    }
    for (i = 0; i < sm->edge_cap; i++)
        sm->edges[i].child = -1;
    for (i = 0; i < old_cap; i++)
        if (old[i].child >= 0)
            *edge_slot(sm, old[i].key) = old[i];
    lb_free(old);
    return 0;
}

/* The trie node for `prefix`, created as needed; -1 on OOM. */
static int32_t
insert_prefix(struct lb_step_matcher *sm, const char *prefix, size_t len)
{
    struct trie_node fresh = {-1};
    struct trie_edge *e;
    int32_t node = 0, c;
    size_t i;

    for (i = 0; i < len; i++) {
        c = child_of(sm, node, (unsigned char)prefix[i]);
        if (c >= 0) {
            node = c;
            continue;
        }
        if (sm->nodes.len >= INT32_MAX / 256 || edge_grow(sm) != 0 ||
            lb_vec_push(&sm->nodes, fresh) != 0)
            return -1;
        c = (int32_t)(sm->nodes.len - 1);
        if (node == 0) {
            sm->root_child[(unsigned char)prefix[i]] = c;
        } else {
            e = edge_slot(sm, (uint32_t)node << 8 | (unsigned char)prefix[i]);
            e->key = (uint32_t)node << 8 | (unsigned char)prefix[i];
            e->child = c;
            sm->edge_used++;
        }
        node = c;
    }
    return node;
}

static void pairs_add(struct pair_set *p, const char *s, size_t len)
{
    unsigned h;
    size_t i;

    for (i = 0; i + 1 < len; i++) {
        h = ((unsigned char)s[i] * 131u + (unsigned char)s[i + 1]) & 255u;
        p->w[h >> 6] |= (uint64_t)1 << (h & 63);
    }
}

static bool pairs_within(const struct pair_set *sub, const struct pair_set *set)
{
    return ((sub->w[0] & ~set->w[0]) | (sub->w[1] & ~set->w[1]) |
            (sub->w[2] & ~set->w[2]) | (sub->w[3] & ~set->w[3])) == 0;
}

static uint32_t load_gram(const char *s)
{
    uint32_t k;

    memcpy(&k, s, sizeof(k));
    return k;
}

/* The slot of `key`: its own, or the free one where it would go. */
static struct gram_slot *gram_slot(const struct gram_table *t, uint32_t key)
{
    size_t i = (size_t)(mix(key) & (t->cap - 1));

    while (t->slots[i].defs >= 0 && t->slots[i].key != key)
        i = (i + 1) & (t->cap - 1);
    return &t->slots[i];
}

/* An empty table for about `n` keys (at most half full). */
static int gram_table_init(struct gram_table *t, size_t n)
{
    size_t i;

    t->cap = 64;
    while (t->cap < 2 * n + 2)
        t->cap *= 2;
    t->used = 0;
    t->slots = lb_malloc(t->cap * sizeof(*t->slots));
    if (t->slots == NULL)
        return LB_ENOMEM;
    for (i = 0; i < t->cap; i++)
        t->slots[i].defs = -1;
    return 0;
}

/* The slot for `key`, taken if it was free (the table has room). */
static struct gram_slot *gram_take(struct gram_table *t, uint32_t key)
{
    struct gram_slot *slot = gram_slot(t, key);

    if (slot->defs < 0) {
        slot->key = key;
        slot->defs = INT32_MAX; /* taken, empty list (see gram_link) */
        slot->count = 0;
        t->used++;
    }
    return slot;
}

/* Number of grams in the definition's runs. */
static size_t gram_count(const struct def_filter *f)
{
    size_t n = 0;
    uint32_t r;

    for (r = 0; r < f->nruns; r++)
        if (f->runs[r].len >= GRAM)
            n += f->runs[r].len - GRAM + 1;
    return n;
}

/* The gram of the definition's runs that is rarest in `freq`. */
static uint32_t rarest_gram(const struct def_filter *f,
                            const struct gram_table *freq)
{
    uint32_t best = UINT32_MAX, key = 0, k, c, r;
    size_t j;

    for (r = 0; r < f->nruns; r++)
        for (j = 0; j + GRAM <= f->runs[r].len; j++) {
            k = load_gram(f->runs[r].s + j);
            c = gram_slot(freq, k)->count;
            if (c < best) {
                best = c;
                key = k;
            }
        }
    return key;
}

/*
 * Rebuilds the gram index from scratch: counts every gram of every
 * definition it holds, then files each definition under its rarest one.
 */
static int gram_rebuild(struct lb_step_matcher *sm)
{
    struct gram_table freq = {NULL, 0, 0};
    const struct def_filter *f;
    struct gram_slot *slot;
    struct def_link link;
    size_t i, j, total = 0;
    uint32_t r, def;
    int rc = LB_ENOMEM;

    for (i = 0; i < sm->gram_defs.len; i++)
        total += gram_count(&sm->filters.items[sm->gram_defs.items[i]]);
    lb_free(sm->grams.slots);
    memset(&sm->grams, 0, sizeof(sm->grams));
    sm->gram_links.len = 0;
    if (gram_table_init(&freq, total) != 0 ||
        gram_table_init(&sm->grams, sm->gram_defs.len) != 0 ||
        lb_vec_reserve(&sm->gram_links, sm->gram_defs.len) != 0)
        goto out;
    for (i = 0; i < sm->gram_defs.len; i++) {
        f = &sm->filters.items[sm->gram_defs.items[i]];
        for (r = 0; r < f->nruns; r++)
            for (j = 0; j + GRAM <= f->runs[r].len; j++)
                gram_take(&freq, load_gram(f->runs[r].s + j))->count++;
    }
    for (i = 0; i < sm->gram_defs.len; i++) {
        def = sm->gram_defs.items[i];
        slot =
            gram_take(&sm->grams, rarest_gram(&sm->filters.items[def], &freq));
        link.def = def;
        link.next = slot->defs == INT32_MAX ? -1 : slot->defs;
        sm->gram_links.items[sm->gram_links.len++] = link;
        slot->defs = (int32_t)(sm->gram_links.len - 1);
        slot->count++;
    }
    sm->gram_dirty = false;
    rc = 0;
out:
    lb_free(freq.slots);
    return rc;
}

/* Puts definition `def` on the list headed by `*head`. */
static void link_def(struct lb_step_matcher *sm, int32_t *head, uint32_t def)
{
    struct def_link link = {def, *head};

    (void)lb_vec_push(&sm->links, link); /* reserved by the caller */
    *head = (int32_t)(sm->links.len - 1);
}

/* Indexes the new last definition; 0 or LB_ENOMEM. */
static int index_def(struct lb_step_matcher *sm,
                     const char *prefix,
                     size_t plen,
                     const struct def_filter *f)
{
    uint32_t def = (uint32_t)(sm->defs.len - 1);
    uint32_t *mark;
    int32_t node;

    mark = lb_realloc(sm->mark, sm->defs.len * sizeof(*mark));
    if (mark == NULL)
        return LB_ENOMEM;
    sm->mark = mark;
    mark[def] = 0;
    if (plen < GRAM && gram_count(f) > 0) {
        if (lb_vec_push(&sm->gram_defs, def) != 0)
            return LB_ENOMEM;
        sm->gram_dirty = true;
        return 0;
    }
    if (lb_vec_reserve(&sm->links, sm->links.len + 1) != 0)
        return LB_ENOMEM;
    node = insert_prefix(sm, prefix, plen);
    if (node < 0)
        return LB_ENOMEM;
    link_def(sm, &sm->nodes.items[node].defs, def);
    return 0;
}

int lb_step_matcher_add(struct lb_step_matcher *sm,
                        enum lb_expr_kind kind,
                        const char *pattern,
                        void *user,
                        const char *file,
                        int line,
                        struct lb_expr_problem *problem,
                        struct lb_error *err)
{
    const struct lb__literal *runs;
    const char *prefix, *suffix;
    struct lb_step_def *d;
    struct def_filter f;
    size_t plen, slen, nruns, i;
    int rc;

    d = lb_calloc(1, sizeof(*d));
    if (d == NULL || (d->file = lb_strdup(file != NULL ? file : "")) == NULL) {
        lb_free(d);
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    rc = lb_expr_compile(
        &d->expr, kind, pattern, sm->reg, file, line, problem, err);
    if (rc != 0) {
        def_free(d);
        return rc;
    }
    d->user = user;
    d->line = line;
    d->index = sm->defs.len;
    lb__expr_literals(d->expr, &prefix, &plen, &suffix, &slen, &runs, &nruns);
    f.suffix = suffix;
    f.suffix_len = (uint32_t)slen;
    f.runs = runs;
    f.nruns = (uint32_t)nruns;
    memset(&f.pairs, 0, sizeof(f.pairs));
    pairs_add(&f.pairs, suffix, slen);
    for (i = 0; i < nruns; i++)
        pairs_add(&f.pairs, runs[i].s, runs[i].len);
    if (slen > UINT32_MAX || nruns > UINT32_MAX || sm->defs.len >= INT32_MAX ||
        lb_vec_reserve(&sm->filters, sm->defs.len + 1) != 0 ||
        lb_vec_push(&sm->defs, d) != 0)
    {
        def_free(d);
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    (void)lb_vec_push(&sm->filters, f); /* reserved above */
    if (index_def(sm, prefix, plen, &f) != 0) {
        sm->defs.len--;
        sm->filters.len--;
        def_free(d);
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    return (int)d->index;
}

size_t lb_step_matcher_count(const struct lb_step_matcher *sm)
{
    return sm->defs.len;
}

const struct lb_step_def *lb_step_matcher_def(const struct lb_step_matcher *sm,
                                              size_t i)
{
    return i < sm->defs.len ? sm->defs.items[i] : NULL;
}

/* Tries definition `i` and appends a match; 0, or a negative error. */
static int try_def(struct lb_step_matcher *sm,
                   uint32_t i,
                   const char *text,
                   size_t len,
                   struct lb_error *err)
{
    struct lb_step_def *d = sm->defs.items[i];
    struct lb_match m;
    int rc;

    rc = lb__expr_match_valid(d->expr, text, len, &m, err);
    if (rc <= 0)
        return rc;
    m.user = d->user;
    m.def_index = d->index;
    if (lb_vec_push(&sm->matches, m) != 0)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    return 0;
}

/*
 * True when `needle` occurs in `hay` (memmem is not POSIX). Step texts are
 * short: a plain loop on the first two bytes beats calling memchr for
 * every space of the text.
 */
static bool
contains(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    size_t i, last;

    if (nlen == 0)
        return true;
    if (nlen > hlen)
        return false;
    last = hlen - nlen;
    if (nlen == 1)
        return memchr(hay, needle[0], hlen) != NULL;
    for (i = 0; i <= last; i++)
        if (hay[i] == needle[0] && hay[i + 1] == needle[1] &&
            memcmp(hay + i + 2, needle + 2, nlen - 2) == 0)
            return true;
    return false;
}

/* True when the text has the definition's suffix and all its runs. */
static bool passes_filter(const struct def_filter *f,
                          const struct pair_set *text_pairs,
                          const char *text,
                          size_t len)
{
    uint32_t r;

    if (!pairs_within(&f->pairs, text_pairs) || f->suffix_len > len ||
        memcmp(text + len - f->suffix_len, f->suffix, f->suffix_len) != 0)
        return false;
    for (r = 0; r < f->nruns; r++)
        if (!contains(text, len, f->runs[r].s, f->runs[r].len))
            return false;
    return true;
}

static int check_text(const char *text, size_t len, struct lb_error *err)
{
    if (lb_utf8_valid(text, len))
        return 0;
    return lb_error_set(err,
                        LB_EINVAL,
                        "step text '%.*s' is not valid UTF-8",
                        (int)(len > 200 ? 200 : len),
                        text);
}

/* Appends a list's definitions not yet seen for this text. */
static void add_candidates(struct lb_step_matcher *sm, int32_t l)
{
    uint32_t def;

    if (sm->mark == NULL)
        return; /* no definitions yet */
    for (; l >= 0; l = sm->links.items[l].next) {
        def = sm->links.items[l].def;
        if (sm->mark[def] == sm->epoch)
            continue;
        sm->mark[def] = sm->epoch;
        sm->candidates.items[sm->candidates.len++] = def;
    }
}

/* The same for a gram's list. */
static void add_gram_candidates(struct lb_step_matcher *sm, int32_t l)
{
    uint32_t def;

    if (sm->mark == NULL)
        return; /* no definitions yet */
    for (; l >= 0; l = sm->gram_links.items[l].next) {
        def = sm->gram_links.items[l].def;
        if (sm->mark[def] == sm->epoch)
            continue;
        sm->mark[def] = sm->epoch;
        sm->candidates.items[sm->candidates.len++] = def;
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* The candidates for `text`, in registration order. */
static void
find_candidates(struct lb_step_matcher *sm, const char *text, size_t len)
{
    const struct gram_slot *slot;
    int32_t node = 0;
    size_t i, j;
    uint32_t c;

    if (++sm->epoch == 0) {
        /* after 2^32 texts: forget the old marks */
        if (sm->mark != NULL)
            memset(sm->mark, 0, sm->defs.len * sizeof(*sm->mark));
        sm->epoch = 1;
    }
    /* every node on the text's path holds definitions it may match */
    add_candidates(sm, sm->nodes.items[0].defs);
    for (i = 0; i < len; i++) {
        node = child_of(sm, node, (unsigned char)text[i]);
        if (node < 0)
            break;
        add_candidates(sm, sm->nodes.items[node].defs);
    }
    for (i = 0; sm->grams.used > 0 && i + GRAM <= len; i++) {
        slot = gram_slot(&sm->grams, load_gram(text + i));
        if (slot->defs >= 0)
            add_gram_candidates(sm, slot->defs);
    }
    if (sm->candidates.len > 16) {
        qsort(sm->candidates.items,
              sm->candidates.len,
              sizeof(*sm->candidates.items),
              cmp_u32);
        return;
    }
    for (i = 1; i < sm->candidates.len; i++) {
        c = sm->candidates.items[i];
        for (j = i; j > 0 && sm->candidates.items[j - 1] > c; j--)
            sm->candidates.items[j] = sm->candidates.items[j - 1];
        sm->candidates.items[j] = c;
    }
}

int lb_step_matcher_match(struct lb_step_matcher *sm,
                          const char *text,
                          const struct lb_match **matches,
                          struct lb_error *err)
{
    size_t len = strlen(text), i;
    struct pair_set text_pairs;
    uint32_t c;
    int rc;

    *matches = NULL;
    sm->matches.len = 0;
    sm->candidates.len = 0;
    rc = check_text(text, len, err);
    if (rc != 0)
        return rc;
    /* each definition is a candidate at most once (the marks) */
    if (lb_vec_reserve(&sm->candidates, sm->defs.len) != 0 ||
        (sm->gram_dirty && gram_rebuild(sm) != 0))
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    find_candidates(sm, text, len);
    memset(&text_pairs, 0, sizeof(text_pairs));
    if (sm->candidates.len > 0)
        pairs_add(&text_pairs, text, len);
    for (i = 0; i < sm->candidates.len; i++) {
        c = sm->candidates.items[i];
        if (!passes_filter(&sm->filters.items[c], &text_pairs, text, len))
            continue;
        rc = try_def(sm, c, text, len, err);
        if (rc < 0)
            return rc;
    }
    *matches = sm->matches.items;
    return (int)sm->matches.len;
}

int lb_step_matcher_match_naive(struct lb_step_matcher *sm,
                                const char *text,
                                const struct lb_match **matches,
                                struct lb_error *err)
{
    size_t len = strlen(text), i;
    int rc;

    *matches = NULL;
    sm->matches.len = 0;
    rc = check_text(text, len, err);
    if (rc != 0)
        return rc;
    for (i = 0; i < sm->defs.len; i++) {
        rc = try_def(sm, (uint32_t)i, text, len, err);
        if (rc < 0)
            return rc;
    }
    *matches = sm->matches.items;
    return (int)sm->matches.len;
}
