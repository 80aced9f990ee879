/*
 * The step matcher (see step_matcher.h). Definitions are indexed by their
 * required literal prefix in a byte trie: walking a step's text down the
 * trie yields exactly the definitions whose prefix the text starts with;
 * their literal suffix is compared next, and only the survivors run PCRE2.
 * Step texts of a suite start with a handful of distinct words ("the
 * node", "I send"), so almost every regex that cannot match is skipped
 * for the price of a few byte comparisons.
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

struct trie_node {
    int32_t first_child;  /* -1 when none */
    int32_t next_sibling; /* -1 when none */
    int32_t defs;         /* head of this node's list in `links`, or -1 */
    unsigned char byte;
};

/*
 * What the filter needs of each definition, kept together so a candidate
 * is rejected without touching its expression.
 */
struct def_filter {
    const char *suffix;
    const char *infix;
    uint32_t suffix_len;
    uint32_t infix_len;
};

/* One entry of a node's definition list. */
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
    LB_VEC(struct def_link) links;
    LB_VEC(uint32_t) candidates;     /* scratch */
    LB_VEC(struct lb_match) matches; /* scratch, the last results */
};

struct lb_step_matcher *lb_step_matcher_new(const struct lb_param_registry *reg)
{
    struct lb_step_matcher *sm;
    struct trie_node root = {-1, -1, -1, 0};
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
    lb_vec_release(&sm->links);
    lb_vec_release(&sm->candidates);
    lb_vec_release(&sm->matches);
    lb_free(sm);
}

static int32_t
child_of(const struct lb_step_matcher *sm, int32_t node, unsigned char byte)
{
    int32_t c;

    if (node == 0)
        return sm->root_child[byte];
    for (c = sm->nodes.items[node].first_child; c >= 0;
         c = sm->nodes.items[c].next_sibling)
        if (sm->nodes.items[c].byte == byte)
            return c;
    return -1;
}

/* The trie node for `prefix`, created as needed; -1 on OOM. */
static int32_t
insert_prefix(struct lb_step_matcher *sm, const char *prefix, size_t len)
{
    struct trie_node fresh;
    int32_t node = 0, c;
    size_t i;

    for (i = 0; i < len; i++) {
        c = child_of(sm, node, (unsigned char)prefix[i]);
        if (c < 0) {
            fresh.first_child = -1;
            fresh.defs = -1;
            fresh.byte = (unsigned char)prefix[i];
            fresh.next_sibling =
                node == 0 ? -1 : sm->nodes.items[node].first_child;
            if (sm->nodes.len >= INT32_MAX ||
                lb_vec_push(&sm->nodes, fresh) != 0)
                return -1;
            c = (int32_t)(sm->nodes.len - 1);
            if (node == 0)
                sm->root_child[(unsigned char)prefix[i]] = c;
            else
                sm->nodes.items[node].first_child = c;
        }
        node = c;
    }
    return node;
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
    struct lb_step_def *d;
    struct def_link link;
    struct def_filter f;
    const char *prefix, *suffix, *infix;
    size_t plen, slen, ilen;
    int32_t node;
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
    lb__expr_literals(d->expr, &prefix, &plen, &suffix, &slen, &infix, &ilen);
    f.suffix = suffix;
    f.suffix_len = (uint32_t)slen;
    f.infix = infix;
    f.infix_len = (uint32_t)ilen;
    node = insert_prefix(sm, prefix, plen);
    if (node < 0 || slen > UINT32_MAX || ilen > UINT32_MAX ||
        lb_vec_reserve(&sm->links, sm->links.len + 1) != 0 ||
        lb_vec_reserve(&sm->filters, sm->defs.len + 1) != 0 ||
        lb_vec_push(&sm->defs, d) != 0)
    {
        def_free(d);
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    (void)lb_vec_push(&sm->filters, f); /* reserved above */
    link.def = (uint32_t)d->index;
    link.next = sm->nodes.items[node].defs;
    (void)lb_vec_push(&sm->links, link); /* reserved above */
    sm->nodes.items[node].defs = (int32_t)(sm->links.len - 1);
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

/* Appends a node's definitions; room for all was reserved by the caller. */
static void add_candidates(struct lb_step_matcher *sm, int32_t node)
{
    int32_t l;

    for (l = sm->nodes.items[node].defs; l >= 0; l = sm->links.items[l].next)
        sm->candidates.items[sm->candidates.len++] = sm->links.items[l].def;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

int lb_step_matcher_match(struct lb_step_matcher *sm,
                          const char *text,
                          const struct lb_match **matches,
                          struct lb_error *err)
{
    size_t len = strlen(text), i, j;
    const struct def_filter *f;
    int32_t node = 0;
    uint32_t c;
    int rc;

    *matches = NULL;
    sm->matches.len = 0;
    sm->candidates.len = 0;
    rc = check_text(text, len, err);
    if (rc != 0)
        return rc;
    /* every node on the text's path holds definitions it may match */
    if (lb_vec_reserve(&sm->candidates, sm->defs.len) != 0)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    add_candidates(sm, 0);
    for (i = 0; i < len; i++) {
        node = child_of(sm, node, (unsigned char)text[i]);
        if (node < 0)
            break;
        add_candidates(sm, node);
    }
    /* registration order: few candidates are sorted inline */
    if (sm->candidates.len > 16) {
        qsort(sm->candidates.items,
              sm->candidates.len,
              sizeof(*sm->candidates.items),
              cmp_u32);
    } else {
        for (i = 1; i < sm->candidates.len; i++) {
            c = sm->candidates.items[i];
            for (j = i; j > 0 && sm->candidates.items[j - 1] > c; j--)
                sm->candidates.items[j] = sm->candidates.items[j - 1];
            sm->candidates.items[j] = c;
        }
    }
    for (i = 0; i < sm->candidates.len; i++) {
        c = sm->candidates.items[i];
        f = &sm->filters.items[c];
        if (f->suffix_len > len ||
            memcmp(text + len - f->suffix_len, f->suffix, f->suffix_len) != 0 ||
            !contains(text, len, f->infix, f->infix_len))
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
