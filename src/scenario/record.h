/*
 * The run record (FRAMEWORK.md §8): everything observed during one run —
 * blocks seen by the feed, node heights over time, submitted transactions
 * and the blocks that included them, faults, reorgs, phase timings, each
 * node's final chain state and exit, and where the logs are. Expectations
 * and Then steps are pure functions of it; it is attached to the report as
 * JSON. Times are milliseconds since the run started (`t_ms`), the wall
 * clock of the start is `start_wall_ms`.
 */
#ifndef LB_SCENARIO_RECORD_H
#define LB_SCENARIO_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/vec.h"
#include "scenario/plan.h"

#define LB_ID_HEX 65

struct lb_rec_node {
    char name[64];
    enum lb_role role;
    long role_index;
    char api_url[128];
    char log_path[1024];
    /* final state, read after settle */
    bool final_ok;
    uint64_t final_height;
    uint64_t final_slot;
    char final_tip[LB_ID_HEX];
    char final_error[512];
    /* latest sampled height (progress line) */
    uint64_t last_height;
    /* exit seen during the run */
    bool exited;
    bool exit_expected; /* stopped on purpose (fault, cleanup) */
    int exit_status;
    int term_signal;
};

struct lb_rec_block {
    char id[LB_ID_HEX];
    char parent[LB_ID_HEX];
    uint64_t slot;
    uint64_t height;
    int64_t t_ms;
    long node;         /* the node the feed read it from */
    uint32_t tx_first; /* into block_txs */
    uint32_t tx_count;
};

struct lb_rec_block_tx {
    char hash[LB_ID_HEX];
    bool tracked; /* an output pays a key the workload tracks */
};

struct lb_rec_sample {
    int64_t t_ms;
    long node;
    uint64_t height;
    uint64_t slot;
};

struct lb_rec_tx {
    char hash[LB_ID_HEX];
    long user;
    int64_t submitted_ms; /* -1 while not accepted by any node */
    long node;            /* the node that accepted it */
    long attempts;
    char block[LB_ID_HEX]; /* "" while not included */
    int64_t included_ms;
    char error[256];
};

struct lb_rec_fault {
    int64_t t_ms;
    char kind[16]; /* restart, stop, start, pause, resume, isolate, heal */
    long node;
    char detail[128];
};

struct lb_rec_reorg {
    int64_t t_ms;
    char old_tip[LB_ID_HEX];
    char new_tip[LB_ID_HEX];
    uint64_t depth; /* blocks of the old branch reverted */
};

struct lb_rec_phase {
    char name[16];
    int64_t start_ms;
    int64_t end_ms;
};

struct lb_run_record {
    char run_id[64];
    char deployer[16];
    char work_dir[512];
    bool kept; /* the work dir stays after the run */
    char genesis[LB_ID_HEX];
    int64_t start_wall_ms;
    struct lb_run_metrics metrics;
    uint64_t tx_planned;
    char head[LB_ID_HEX]; /* the feed's current tip, "" before the first */
    LB_VEC(struct lb_rec_node) nodes;
    LB_VEC(struct lb_rec_block) blocks;
    LB_VEC(struct lb_rec_block_tx) block_txs;
    LB_VEC(struct lb_rec_sample) samples;
    LB_VEC(struct lb_rec_tx) txs;
    LB_VEC(struct lb_rec_fault) faults;
    LB_VEC(struct lb_rec_reorg) reorgs;
    LB_VEC(struct lb_rec_phase) phases;
    LB_VEC(char *) tracked_pks; /* owned strings */
    char *failure;              /* owned; NULL while the run passed */
    /* block index: open addressing over blocks, SIZE_MAX = empty */
    size_t *index;
    size_t index_cap;
};

void lb_record_init(struct lb_run_record *rec);
void lb_record_release(struct lb_run_record *rec);

/* Index of block `id`, or -1. */
long lb_record_find_block(const struct lb_run_record *rec, const char *id);

/*
 * Adds a block (its height must be known: genesis 0, else parent + 1) with
 * its transactions (`txs` borrowed, `n_txs` entries); returns its index, or
 * the existing index when already known.
 */
long lb_record_add_block(struct lb_run_record *rec,
                         const struct lb_rec_block *b,
                         const struct lb_rec_block_tx *txs,
                         size_t n_txs);

/*
 * The ancestor of `tip` (inclusive) at `height`, walking recorded parents;
 * -1 when the chain is not fully recorded down to that height.
 */
long lb_record_ancestor_at(const struct lb_run_record *rec,
                           const char *tip,
                           uint64_t height);

/*
 * Moves the feed's head to `tip` (a recorded block), recording a reorg when
 * the old head is not an ancestor of the new one.
 */
void lb_record_set_head(struct lb_run_record *rec,
                        const char *tip,
                        int64_t t_ms);

/* True when `pk` is a key the transaction workload pays. */
bool lb_record_is_tracked(const struct lb_run_record *rec, const char *pk);
void lb_record_track_pk(struct lb_run_record *rec, const char *pk);

/* Appends a fault. */
void lb_record_fault(struct lb_run_record *rec,
                     int64_t t_ms,
                     const char *kind,
                     long node,
                     const char *detail);

/* Sets the failure text (copied); the first one wins. */
void lb_record_fail(struct lb_run_record *rec, const char *text);

/* The record as JSON (new reference). */
json_t *lb_record_to_json(const struct lb_run_record *rec);

/*
 * A short human summary: nodes and their heights, included transactions,
 * where the logs are. Appended to `out`.
 */
void lb_record_summary(const struct lb_run_record *rec, struct lb_buf *out);

#endif
