/*
 * The run record: append-only vectors plus an open-addressing index of
 * blocks by id, so the feed, the ancestry walks of the expectations and the
 * JSON export stay linear in the number of blocks.
 */
#include "scenario/record.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"

void lb_record_init(struct lb_run_record *rec)
{
    memset(rec, 0, sizeof(*rec));
}

void lb_record_release(struct lb_run_record *rec)
{
    char **pk;
    lb_vec_for_each (&rec->tracked_pks, pk)
        lb_free(*pk);
    lb_vec_release(&rec->tracked_pks);
    lb_vec_release(&rec->nodes);
    lb_vec_release(&rec->blocks);
    lb_vec_release(&rec->block_txs);
    lb_vec_release(&rec->samples);
    lb_vec_release(&rec->txs);
    lb_vec_release(&rec->faults);
    lb_vec_release(&rec->reorgs);
    lb_vec_release(&rec->phases);
    lb_free(rec->failure);
    lb_free(rec->index);
    memset(rec, 0, sizeof(*rec));
}

static size_t id_hash(const char *id)
{
    /* ids are SHA-256 hex: their first 16 digits are already uniform */
    size_t h = 1469598103934665603ull;
    int i;
    for (i = 0; i < 16 && id[i]; i++)
        h = (h ^ (unsigned char)id[i]) * 1099511628211ull;
    return h;
}

static void index_insert(struct lb_run_record *rec, size_t idx)
{
    size_t mask = rec->index_cap - 1;
    size_t pos = id_hash(rec->blocks.items[idx].id) & mask;
    while (rec->index[pos] != SIZE_MAX)
        pos = (pos + 1) & mask;
    rec->index[pos] = idx;
}

static void index_grow(struct lb_run_record *rec)
{
    size_t cap = rec->index_cap ? rec->index_cap * 2 : 256;
    size_t i;
    lb_free(rec->index);
    rec->index = lb_xmalloc(cap * sizeof(size_t));
    rec->index_cap = cap;
    for (i = 0; i < cap; i++)
        rec->index[i] = SIZE_MAX;
    for (i = 0; i < rec->blocks.len; i++)
        index_insert(rec, i);
}

long lb_record_find_block(const struct lb_run_record *rec, const char *id)
{
    size_t mask, pos;
    if (!rec->index_cap || !id || !*id)
        return -1;
    mask = rec->index_cap - 1;
    pos = id_hash(id) & mask;
    while (rec->index[pos] != SIZE_MAX) {
        if (strcmp(rec->blocks.items[rec->index[pos]].id, id) == 0)
            return (long)rec->index[pos];
        pos = (pos + 1) & mask;
    }
    return -1;
}

long lb_record_add_block(struct lb_run_record *rec,
                         const struct lb_rec_block *b,
                         const struct lb_rec_block_tx *txs,
                         size_t n_txs)
{
    long found = lb_record_find_block(rec, b->id);
    struct lb_rec_block copy = *b;
    size_t i;

    if (found >= 0)
        return found;
    copy.tx_first = (uint32_t)rec->block_txs.len;
    copy.tx_count = (uint32_t)n_txs;
    for (i = 0; i < n_txs; i++)
        if (lb_vec_push(&rec->block_txs, txs[i]) != 0)
            LB_BUG("out of memory");
    if (lb_vec_push(&rec->blocks, copy) != 0)
        LB_BUG("out of memory");
    /* keep the load factor under one half */
    if ((rec->blocks.len) * 2 > rec->index_cap)
        index_grow(rec);
    else
        index_insert(rec, rec->blocks.len - 1);
    return (long)rec->blocks.len - 1;
}

long lb_record_ancestor_at(const struct lb_run_record *rec,
                           const char *tip,
                           uint64_t height)
{
    long i = lb_record_find_block(rec, tip);
    while (i >= 0) {
        const struct lb_rec_block *b = &rec->blocks.items[i];
        if (b->height == height)
            return i;
        if (b->height < height)
            return -1;
        i = lb_record_find_block(rec, b->parent);
    }
    return -1;
}

void lb_record_set_head(struct lb_run_record *rec,
                        const char *tip,
                        int64_t t_ms)
{
    long old_i, new_i;
    if (strcmp(rec->head, tip) == 0)
        return;
    old_i = lb_record_find_block(rec, rec->head);
    new_i = lb_record_find_block(rec, tip);
    if (old_i >= 0 && new_i >= 0) {
        const struct lb_rec_block *old_b = &rec->blocks.items[old_i];
        uint64_t h = old_b->height;
        long a = lb_record_ancestor_at(rec, tip, h);
        if (a != old_i) {
            /* walk both sides down to the common ancestor */
            long x = old_i, y = new_i;
            struct lb_rec_reorg r = {0};
            while (x >= 0 && y >= 0 && x != y) {
                if (rec->blocks.items[x].height >= rec->blocks.items[y].height)
                    x = lb_record_find_block(rec, rec->blocks.items[x].parent);
                else
                    y = lb_record_find_block(rec, rec->blocks.items[y].parent);
            }
            r.t_ms = t_ms;
            memcpy(r.old_tip, rec->head, LB_ID_HEX);
            memcpy(r.new_tip, tip, LB_ID_HEX);
            r.depth = x >= 0 ? h - rec->blocks.items[x].height : h;
            if (lb_vec_push(&rec->reorgs, r) != 0)
                LB_BUG("out of memory");
        }
    }
    (void)lb_copy(rec->head, sizeof(rec->head), tip);
}

bool lb_record_is_tracked(const struct lb_run_record *rec, const char *pk)
{
    size_t i;
    for (i = 0; i < rec->tracked_pks.len; i++)
        if (strcmp(rec->tracked_pks.items[i], pk) == 0)
            return true;
    return false;
}

void lb_record_track_pk(struct lb_run_record *rec, const char *pk)
{
    if (lb_record_is_tracked(rec, pk))
        return;
    if (lb_vec_push(&rec->tracked_pks, lb_xstrdup(pk)) != 0)
        LB_BUG("out of memory");
}

void lb_record_fault(struct lb_run_record *rec,
                     int64_t t_ms,
                     const char *kind,
                     long node,
                     const char *detail)
{
    struct lb_rec_fault f = {0};
    f.t_ms = t_ms;
    f.node = node;
    (void)lb_copy(f.kind, sizeof(f.kind), kind);
    /* a fault's detail is a one-line summary: cutting it is fine */
    (void)lb_copy(f.detail, sizeof(f.detail), detail ? detail : "");
    if (lb_vec_push(&rec->faults, f) != 0)
        LB_BUG("out of memory");
}

void lb_record_fail(struct lb_run_record *rec, const char *text)
{
    if (!rec->failure)
        rec->failure = lb_xstrdup(text);
}

static const char *role_name(enum lb_role r)
{
    return r == LB_ROLE_EXECUTOR ? "executor" : "validator";
}

static json_t *nodes_json(const struct lb_run_record *rec)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < rec->nodes.len; i++) {
        const struct lb_rec_node *n = &rec->nodes.items[i];
        json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s}",
                              "name",
                              n->name,
                              "role",
                              role_name(n->role),
                              "index",
                              (json_int_t)n->role_index,
                              "api",
                              n->api_url,
                              "log",
                              n->log_path);
        if (n->final_ok) {
            json_object_set_new(
                o, "height", json_integer((json_int_t)n->final_height));
            json_object_set_new(
                o, "slot", json_integer((json_int_t)n->final_slot));
            json_object_set_new(o, "tip", json_string(n->final_tip));
        } else if (n->final_error[0]) {
            json_object_set_new(o, "error", json_string(n->final_error));
        }
        if (n->exited)
            json_object_set_new(o,
                                "exit",
                                json_pack("{s:b, s:i, s:i}",
                                          "expected",
                                          n->exit_expected,
                                          "status",
                                          n->exit_status,
                                          "signal",
                                          n->term_signal));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *blocks_json(const struct lb_run_record *rec)
{
    json_t *a = json_array();
    size_t i, j;
    for (i = 0; i < rec->blocks.len; i++) {
        const struct lb_rec_block *b = &rec->blocks.items[i];
        json_t *txs = json_array();
        for (j = 0; j < b->tx_count; j++)
            json_array_append_new(
                txs, json_string(rec->block_txs.items[b->tx_first + j].hash));
        json_array_append_new(a,
                              json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o}",
                                        "id",
                                        b->id,
                                        "parent",
                                        b->parent,
                                        "slot",
                                        (json_int_t)b->slot,
                                        "height",
                                        (json_int_t)b->height,
                                        "t_ms",
                                        (json_int_t)b->t_ms,
                                        "node",
                                        (json_int_t)b->node,
                                        "transactions",
                                        txs));
    }
    return a;
}

static json_t *txs_json(const struct lb_run_record *rec)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < rec->txs.len; i++) {
        const struct lb_rec_tx *t = &rec->txs.items[i];
        json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I}",
                              "hash",
                              t->hash,
                              "user",
                              (json_int_t)t->user,
                              "submitted_ms",
                              (json_int_t)t->submitted_ms,
                              "node",
                              (json_int_t)t->node,
                              "attempts",
                              (json_int_t)t->attempts);
        if (t->block[0]) {
            json_object_set_new(o, "block", json_string(t->block));
            json_object_set_new(o, "included_ms", json_integer(t->included_ms));
        }
        if (t->error[0])
            json_object_set_new(o, "error", json_string(t->error));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *lb_record_to_json(const struct lb_run_record *rec)
{
    const struct lb_run_metrics *m = &rec->metrics;
    json_t *root, *samples, *faults, *reorgs, *phases;
    size_t i;

    samples = json_array();
    for (i = 0; i < rec->samples.len; i++) {
        const struct lb_rec_sample *s = &rec->samples.items[i];
        json_array_append_new(samples,
                              json_pack("[I, I, I, I]",
                                        (json_int_t)s->t_ms,
                                        (json_int_t)s->node,
                                        (json_int_t)s->height,
                                        (json_int_t)s->slot));
    }
    faults = json_array();
    for (i = 0; i < rec->faults.len; i++) {
        const struct lb_rec_fault *f = &rec->faults.items[i];
        json_array_append_new(faults,
                              json_pack("{s:I, s:s, s:I, s:s}",
                                        "t_ms",
                                        (json_int_t)f->t_ms,
                                        "kind",
                                        f->kind,
                                        "node",
                                        (json_int_t)f->node,
                                        "detail",
                                        f->detail));
    }
    reorgs = json_array();
    for (i = 0; i < rec->reorgs.len; i++) {
        const struct lb_rec_reorg *r = &rec->reorgs.items[i];
        json_array_append_new(reorgs,
                              json_pack("{s:I, s:s, s:s, s:I}",
                                        "t_ms",
                                        (json_int_t)r->t_ms,
                                        "old_tip",
                                        r->old_tip,
                                        "new_tip",
                                        r->new_tip,
                                        "depth",
                                        (json_int_t)r->depth));
    }
    phases = json_object();
    for (i = 0; i < rec->phases.len; i++) {
        const struct lb_rec_phase *p = &rec->phases.items[i];
        json_object_set_new(phases,
                            p->name,
                            json_pack("{s:I, s:I}",
                                      "start_ms",
                                      (json_int_t)p->start_ms,
                                      "end_ms",
                                      (json_int_t)p->end_ms));
    }
    root = json_pack(
        "{s:s, s:s, s:s, s:b, s:s, s:I, s:{s:f, s:f, s:I, s:f, s:f, s:I, "
        "s:f, s:f, s:f, s:b}, s:I}",
        "run_id",
        rec->run_id,
        "deployer",
        rec->deployer,
        "work_dir",
        rec->work_dir,
        "kept",
        rec->kept,
        "genesis",
        rec->genesis,
        "start_wall_ms",
        (json_int_t)rec->start_wall_ms,
        "metrics",
        "slot_s",
        m->slot_s,
        "active_slot_coeff",
        m->f,
        "k",
        (json_int_t)m->k,
        "requested_s",
        m->requested_s,
        "duration_s",
        m->duration_s,
        "expected_blocks",
        (json_int_t)m->expected_blocks,
        "block_interval_s",
        m->block_interval_s,
        "cooldown_s",
        m->cooldown_s,
        "settle_s",
        m->settle_s,
        "node_control",
        m->node_control,
        "tx_planned",
        (json_int_t)rec->tx_planned);
    if (!root)
        LB_BUG("cannot build the run record JSON");
    json_object_set_new(root,
                        "failure",
                        rec->failure ? json_string(rec->failure) : json_null());
    json_object_set_new(root, "phases", phases);
    json_object_set_new(root, "nodes", nodes_json(rec));
    json_object_set_new(root, "head", json_string(rec->head));
    json_object_set_new(root, "blocks", blocks_json(rec));
    json_object_set_new(
        root,
        "height_samples_columns",
        json_pack("[s, s, s, s]", "t_ms", "node", "height", "slot"));
    json_object_set_new(root, "height_samples", samples);
    json_object_set_new(root, "transactions", txs_json(rec));
    json_object_set_new(root, "faults", faults);
    json_object_set_new(root, "reorgs", reorgs);
    return root;
}

void lb_record_summary(const struct lb_run_record *rec, struct lb_buf *out)
{
    size_t i, included = 0;
    for (i = 0; i < rec->txs.len; i++)
        if (rec->txs.items[i].block[0])
            included++;
    lb_buf_addf(out,
                "run %s: %zu nodes, %zu blocks seen, expected %llu\n",
                rec->run_id,
                rec->nodes.len,
                rec->blocks.len,
                (unsigned long long)rec->metrics.expected_blocks);
    for (i = 0; i < rec->nodes.len; i++) {
        const struct lb_rec_node *n = &rec->nodes.items[i];
        if (n->final_ok)
            lb_buf_addf(out,
                        "  node-%zu %s: height %llu tip %.12s\n",
                        i,
                        n->name,
                        (unsigned long long)n->final_height,
                        n->final_tip);
        else
            lb_buf_addf(out,
                        "  node-%zu %s: %s\n",
                        i,
                        n->name,
                        n->final_error[0] ? n->final_error : "no final state");
    }
    if (rec->tx_planned || rec->txs.len)
        lb_buf_addf(out,
                    "transactions: %zu included of %zu submitted (%llu "
                    "planned)\n",
                    included,
                    rec->txs.len,
                    (unsigned long long)rec->tx_planned);
    if (rec->faults.len)
        lb_buf_addf(out, "faults injected: %zu\n", rec->faults.len);
    if (rec->work_dir[0])
        lb_buf_addf(out,
                    "node logs: %s%s\n",
                    rec->work_dir,
                    rec->kept ? ""
                              : " (removed; set NOMOS_TESTS_KEEP_LOGS=1 "
                                "to keep)");
}
