/*
 * Expectations over the run record. The texts are the reference
 * framework's, so its users recognise them; the lag clamp is made total
 * (the reference panics when the allowance exceeds 5: FRAMEWORK.md §7).
 */
#include "scenario/expect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

uint64_t lb_liveness_lag(uint64_t target, uint64_t allowance)
{
    uint64_t lo = target / 10 > allowance ? target / 10 : allowance;
    uint64_t hi = allowance > 5 ? allowance : 5;
    return lo < hi ? lo : hi;
}

#define MIN_PROGRESS 5

bool lb_expect_liveness(const struct lb_run_record *rec,
                        enum lb_liveness_kind kind,
                        long allowance,
                        double tolerance,
                        long minimum,
                        struct lb_buf *msg)
{
    struct lb_buf issues = LB_BUF_INIT;
    uint64_t max_height = 0, target, lag = 0;
    uint64_t expected = rec->metrics.expected_blocks;
    bool any_ok = false, first = true;
    size_t i;

    for (i = 0; i < rec->nodes.len; i++) {
        const struct lb_rec_node *n = &rec->nodes.items[i];
        if (n->final_ok && (!any_ok || n->final_height > max_height)) {
            max_height = n->final_height;
            any_ok = true;
        }
    }
    switch (kind) {
    case LB_LIVENESS_TOLERANCE:
        target = (uint64_t)ceil((double)expected * tolerance - 1e-9);
        break;
    case LB_LIVENESS_MINIMUM:
        target = minimum > 0 ? (uint64_t)minimum : 0;
        break;
    default:
        target =
            (expected == 0 || expected > max_height) ? max_height : expected;
        lag = lb_liveness_lag(target, allowance >= 0 ? (uint64_t)allowance : 2);
        if (max_height < MIN_PROGRESS)
            lb_buf_addf(&issues,
                        "- network height %llu below target %d\n",
                        (unsigned long long)max_height,
                        MIN_PROGRESS);
        break;
    }
    for (i = 0; i < rec->nodes.len; i++) {
        const struct lb_rec_node *n = &rec->nodes.items[i];
        if (!n->final_ok)
            lb_buf_addf(&issues,
                        "- node-%zu consensus_info failed: %s\n",
                        i,
                        n->final_error[0] ? n->final_error : "no answer");
        else if (n->final_height + lag < target)
            lb_buf_addf(&issues,
                        "- node-%zu height %llu below target %llu\n",
                        i,
                        (unsigned long long)n->final_height,
                        (unsigned long long)target);
    }
    if (issues.len == 0) {
        lb_buf_release(&issues);
        return true;
    }
    lb_buf_addf(msg,
                "consensus liveness violated (target=%llu):\n",
                (unsigned long long)target);
    lb_buf_adds(msg, "max_height node(s): ");
    for (i = 0; i < rec->nodes.len; i++) {
        const struct lb_rec_node *n = &rec->nodes.items[i];
        if (!n->final_ok || n->final_height != max_height)
            continue;
        lb_buf_addf(msg,
                    "%snode-%zu (height=%llu, tip=%s)",
                    first ? "" : ", ",
                    i,
                    (unsigned long long)n->final_height,
                    n->final_tip);
        first = false;
    }
    if (first)
        lb_buf_adds(msg, "none");
    lb_buf_addch(msg, '\n');
    /* no trailing newline: the caller joins failures line by line */
    lb_buf_setlen(&issues, issues.len - 1);
    lb_buf_add(msg, issues.ptr, issues.len);
    lb_buf_release(&issues);
    return false;
}

static long canonical_tip(const struct lb_run_record *rec)
{
    /* the feed's head, else the highest final tip a node reported */
    long best = lb_record_find_block(rec, rec->head);
    size_t i;
    for (i = 0; i < rec->nodes.len; i++) {
        const struct lb_rec_node *n = &rec->nodes.items[i];
        long b;
        if (!n->final_ok)
            continue;
        b = lb_record_find_block(rec, n->final_tip);
        if (b >= 0 && (best < 0 || rec->blocks.items[b].height >
                                       rec->blocks.items[best].height))
            best = b;
    }
    return best;
}

static int cmp_hash(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

uint64_t lb_tx_included(const struct lb_run_record *rec)
{
    LB_VEC(const char *) seen = {0};
    long b = canonical_tip(rec);
    uint64_t count = 0;
    size_t i;

    while (b >= 0) {
        const struct lb_rec_block *blk = &rec->blocks.items[b];
        if (blk->height == 0)
            break; /* genesis is excluded */
        for (i = 0; i < blk->tx_count; i++) {
            const struct lb_rec_block_tx *t =
                &rec->block_txs.items[blk->tx_first + i];
            if (t->tracked && lb_vec_push(&seen, t->hash) != 0)
                LB_BUG("out of memory");
        }
        b = lb_record_find_block(rec, blk->parent);
    }
    if (seen.len)
        qsort(seen.items, seen.len, sizeof(*seen.items), cmp_hash);
    for (i = 0; i < seen.len; i++)
        if (i == 0 || strcmp(seen.items[i], seen.items[i - 1]) != 0)
            count++;
    lb_vec_release(&seen);
    return count;
}

bool lb_expect_tx_inclusion(const struct lb_run_record *rec,
                            double ratio,
                            struct lb_buf *msg)
{
    uint64_t observed = lb_tx_included(rec);
    uint64_t required;
    if (ratio <= 0)
        ratio = 0.5;
    required = (uint64_t)ceil((double)rec->tx_planned * ratio - 1e-9);
    if (observed >= required)
        return true;
    lb_buf_addf(msg,
                "transaction inclusion observed %llu below required %llu",
                (unsigned long long)observed,
                (unsigned long long)required);
    return false;
}

bool lb_expect_min_height(const struct lb_run_record *rec,
                          uint64_t height,
                          struct lb_buf *msg)
{
    bool ok = true;
    size_t i;
    for (i = 0; i < rec->nodes.len; i++) {
        const struct lb_rec_node *n = &rec->nodes.items[i];
        if (n->final_ok && n->final_height >= height)
            continue;
        lb_buf_addf(msg, "%s", ok ? "" : "\n");
        if (n->final_ok)
            lb_buf_addf(msg,
                        "node-%zu (%s) height %llu below %llu",
                        i,
                        n->name,
                        (unsigned long long)n->final_height,
                        (unsigned long long)height);
        else
            lb_buf_addf(msg,
                        "node-%zu (%s) has no height: %s",
                        i,
                        n->name,
                        n->final_error[0] ? n->final_error : "no answer");
        ok = false;
    }
    return ok;
}

/* First height in [1, top] where the chains of tips a and b differ; 0. */
static uint64_t first_difference(const struct lb_run_record *rec,
                                 const char *a,
                                 const char *b,
                                 uint64_t top,
                                 bool *unknown)
{
    uint64_t h;
    long xa = lb_record_ancestor_at(rec, a, top);
    long xb = lb_record_ancestor_at(rec, b, top);
    *unknown = false;
    if (xa < 0 || xb < 0) {
        *unknown = true;
        return 0;
    }
    if (xa == xb)
        return 0;
    /* hash chains: below the first agreement everything agrees, so walk
     * down from the top to find the lowest differing height */
    h = top;
    while (h > 0) {
        long pa = lb_record_find_block(rec, rec->blocks.items[xa].parent);
        long pb = lb_record_find_block(rec, rec->blocks.items[xb].parent);
        if (pa < 0 || pb < 0 || pa == pb)
            return h;
        xa = pa;
        xb = pb;
        h--;
    }
    return h;
}

bool lb_expect_agreement(const struct lb_run_record *rec,
                         uint64_t depth,
                         struct lb_buf *msg)
{
    size_t i, ref = SIZE_MAX;
    for (i = 0; i < rec->nodes.len; i++) {
        const struct lb_rec_node *n = &rec->nodes.items[i];
        if (!n->final_ok) {
            lb_buf_addf(msg,
                        "node-%zu (%s) has no final chain: %s",
                        i,
                        n->name,
                        n->final_error[0] ? n->final_error : "");
            return false;
        }
        if (ref == SIZE_MAX)
            ref = i;
    }
    for (i = 0; ref != SIZE_MAX && i < rec->nodes.len; i++) {
        const struct lb_rec_node *a = &rec->nodes.items[ref];
        const struct lb_rec_node *b = &rec->nodes.items[i];
        uint64_t low = a->final_height < b->final_height ? a->final_height
                                                         : b->final_height;
        uint64_t top, diff;
        bool unknown;
        if (i == ref || low <= depth)
            continue;
        top = low - depth - 1; /* deeper than `depth` on both nodes */
        if (top == 0)
            continue;
        diff = first_difference(rec, a->final_tip, b->final_tip, top, &unknown);
        if (unknown) {
            lb_buf_addf(msg,
                        "cannot compare node-%zu (%s) and node-%zu (%s): "
                        "their chains below height %llu were not observed",
                        ref,
                        a->name,
                        i,
                        b->name,
                        (unsigned long long)top);
            return false;
        }
        if (diff) {
            long xa = lb_record_ancestor_at(rec, a->final_tip, diff);
            long xb = lb_record_ancestor_at(rec, b->final_tip, diff);
            lb_buf_addf(msg,
                        "node-%zu (%s) and node-%zu (%s) disagree at height "
                        "%llu (deeper than %llu): %.16s vs %.16s",
                        ref,
                        a->name,
                        i,
                        b->name,
                        (unsigned long long)diff,
                        (unsigned long long)depth,
                        xa >= 0 ? rec->blocks.items[xa].id : "?",
                        xb >= 0 ? rec->blocks.items[xb].id : "?");
            return false;
        }
    }
    return true;
}

bool lb_expect_no_deep_reorg(const struct lb_run_record *rec,
                             uint64_t k,
                             struct lb_buf *msg)
{
    size_t i;
    for (i = 0; i < rec->reorgs.len; i++) {
        const struct lb_rec_reorg *r = &rec->reorgs.items[i];
        if (r->depth > k) {
            lb_buf_addf(msg,
                        "a reorg at %lld ms reverted %llu blocks (more than "
                        "k=%llu): tip %.16s replaced by %.16s",
                        (long long)r->t_ms,
                        (unsigned long long)r->depth,
                        (unsigned long long)k,
                        r->old_tip,
                        r->new_tip);
            return false;
        }
    }
    return true;
}

bool lb_expect_no_crash(const struct lb_run_record *rec, struct lb_buf *msg)
{
    bool ok = true;
    size_t i;
    for (i = 0; i < rec->nodes.len; i++) {
        const struct lb_rec_node *n = &rec->nodes.items[i];
        if (!n->exited || n->exit_expected)
            continue;
        lb_buf_addf(msg,
                    "%snode-%zu (%s) exited during the run (",
                    ok ? "" : "\n",
                    i,
                    n->name);
        if (n->term_signal)
            lb_buf_addf(msg, "signal %d", n->term_signal);
        else
            lb_buf_addf(msg, "status %d", n->exit_status);
        lb_buf_addf(msg, "); node log: %s", n->log_path);
        ok = false;
    }
    return ok;
}
