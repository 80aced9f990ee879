/*
 * refnode's chain: the block store, the leader lottery, the block codec,
 * the UTXO ledger and longest-chain fork choice. State, not I/O: the node
 * (node.c) feeds it blocks and the current slot and reacts to its
 * callbacks; the only file the chain touches is the block log node.c
 * writes, read-only, for the blocks below LIB it keeps slim (see
 * struct rn_block and struct rn_chain).
 */
#ifndef RN_CHAIN_H
#define RN_CHAIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "net/mantle.h"

struct lb_error;

#define RN_MAX_BLOCK_TXS 1024

/*
 * The element size of the arrays of pointers to blocks and txs, spelled
 * once (clang-tidy reads sizeof(*array_of_struct_pointers) as a mistake).
 */
#define RN_PTR_SIZE sizeof(void *)

/* A hash map keyed by 32-byte ids (open addressing); values are borrowed. */
struct rn_map_slot {
    unsigned char key[32];
    void *val;
    unsigned char state; /* 0 empty, 1 used, 2 deleted */
};
struct rn_map {
    struct rn_map_slot *slots;
    size_t cap, len, used;
};
void *rn_map_get(const struct rn_map *m, const unsigned char key[32]);
/* Inserts or replaces; returns the previous value or NULL. */
void *rn_map_put(struct rn_map *m, const unsigned char key[32], void *val);
/* Removes and returns the value, or NULL when absent. */
void *rn_map_del(struct rn_map *m, const unsigned char key[32]);
void rn_map_release(struct rn_map *m);

/* A note of the ledger. */
struct rn_note {
    uint64_t value;
    unsigned char pk[32];
};

/*
 * A parsed SignedMantleTx, shared by reference count between the mempool and
 * the blocks holding it. `text` is its compact JSON.
 */
struct rn_tx {
    int refs;
    unsigned char hash[32];
    char *text;
    size_t text_len;
    size_t n_in, n_out;
    unsigned char (*in)[32];
    struct rn_note *out;
    unsigned char ledger_sig[64];
    bool has_ledger_sig;
    bool sig_ok; /* ledger_sig verified against sig_pk */
    unsigned char sig_pk[32];
    size_t n_blobs;        /* ChannelBlob ops */
    char (*blobs)[65];     /* their blob ids */
    size_t n_inscriptions; /* ChannelInscribe ops */
};

/*
 * Parses and checks a SignedMantleTx (shape, op signatures; the ledger
 * signature is checked when the tx meets the ledger). New tx with one
 * reference, or NULL with the reason in `err`.
 */
struct rn_tx *rn_tx_parse(const json_t *signed_tx, struct lb_error *err);
void rn_tx_unref(struct rn_tx *tx);

struct rn_undo {
    unsigned char id[32];
    struct rn_note note;
};

struct rn_block {
    unsigned char id[32];
    char id_hex[65];
    unsigned char parent_id[32];
    struct rn_block *parent; /* NULL for genesis */
    uint64_t slot, height;
    /*
     * The leader's key and lottery proof, needed until rn_chain_add has
     * checked them (then freed: the text holds them); NULL once stored.
     */
    struct rn_block_pol {
        unsigned char leader[32];
        unsigned char proof[64];
    } * pol;
    char *text; /* compact JSON of the Block; NULL for genesis (synthesised) */
    size_t text_len;
    struct rn_tx **txs;
    size_t n_txs;
    struct rn_undo *undo; /* notes spent while applied */
    size_t n_undo, cap_undo;
    bool invalid;  /* its transactions failed the ledger, or its parent's did */
    bool on_chain; /* part of the selected chain */
    /*
     * Below LIB a block is slim: `text` points into the chain's mapping of
     * the block log (not owned) and its txs are dropped (`n_txs` 0); the
     * chain reads them back from the text when a reorg reverts or applies
     * it (rn_chain_full). `log_off` is its record's offset in the log.
     */
    bool slim;
    uint32_t slim_txs; /* how many txs it had when it went slim */
    uint64_t log_off;
};

/*
 * Decodes a Block JSON: shape, header fields, block_root against the
 * transactions, the leader's signature over the id. Context checks (parent,
 * slot, lottery) are rn_chain_add's. New block or NULL with `err`.
 */
struct rn_block *rn_block_decode(const json_t *block, struct lb_error *err);
/*
 * The same, taking the txs the caller already has as objects: `known`
 * returns the tx of a hash or NULL (borrowed); a block's tx that is the
 * same plain transfer with the same signature shares that object.
 */
typedef struct rn_tx *(*rn_tx_lookup)(void *ctx, const unsigned char hash[32]);
struct rn_block *rn_block_decode_known(const json_t *block,
                                       rn_tx_lookup known,
                                       void *ctx,
                                       struct lb_error *err);
/*
 * The id of a Block JSON from its header alone (no checks beyond the
 * header being an object): lets a receiver skip decoding a block it has.
 */
bool rn_block_peek_id(const json_t *block, unsigned char id[32]);
void rn_block_free(struct rn_block *b);

/* One stake holder of the genesis table. */
struct rn_holder {
    char name[RN_NAME_MAX];
    unsigned char pk[32];
    uint64_t stake;
    double alpha;
};

struct rn_chain;
typedef void (*rn_block_cb)(struct rn_chain *chain,
                            struct rn_block *b,
                            void *ctx);

struct rn_chain {
    unsigned char genesis[32];
    char genesis_hex[65];
    double f;
    uint64_t k;
    struct rn_holder *holders;
    size_t n_holders;
    struct rn_map blocks;  /* id -> struct rn_block, owned */
    struct rn_block **all; /* insertion order: parents before children */
    size_t n_all, cap_all;
    struct rn_block *gen, *tip;
    struct rn_map utxo;     /* note id -> struct rn_note, owned */
    struct rn_map included; /* tx hash -> struct rn_block (borrowed) */
    struct rn_map sig_seen; /* tx hash -> ledger signature verified (owned) */
    uint64_t reorgs, max_reorg_depth;
    rn_block_cb on_apply, on_revert; /* may be NULL */
    void *cb_ctx;
    /*
     * The block log that node.c appends to (DATA_DIR/blocks.log): one
     * record "RNB1", u32le length, SHA-256, text per block rn_chain_add
     * accepted, in that order, so the chain knows each block's offset.
     * Old blocks' texts are read from a read-only shared mapping of it.
     */
    char *log_path; /* NULL: no log, nothing is slimmed */
    int log_fd;
    char *log_map;      /* PROT_READ: never written through */
    uint64_t log_end;   /* where the next accepted block's record starts */
    bool log_off_track; /* offsets no longer match the file: stop slimming */
    size_t slim_next;   /* index in `all` of the next block to slim */
    uint64_t n_slim;
    struct rn_block **refull; /* slim blocks whose txs were read back */
    size_t n_refull, cap_refull;
};

/*
 * Sets up genesis from the config: the genesis block, the stake table and
 * the wallets' genesis notes. Release with rn_chain_release().
 */
int rn_chain_init(struct rn_chain *c,
                  const struct rn_config *cfg,
                  struct lb_error *err);
void rn_chain_release(struct rn_chain *c);

/* The lottery threshold φ(α) = 1 − (1 − f)^α. */
double rn_lottery_threshold(double f, double alpha);
/* The draw of a lottery signature: first 8 bytes of SHA-256(sig) / 2^64. */
double rn_lottery_draw(const unsigned char sig[64]);
/* The message a leader signs for `slot`: tag ‖ genesis ‖ u64le(slot). */
size_t
rn_lottery_msg(const struct rn_chain *c, uint64_t slot, unsigned char out[64]);
/*
 * When `key` wins `slot`, fills `proof` and returns true. `key` must be in
 * the stake table.
 */
bool rn_lottery_try(const struct rn_chain *c,
                    const struct lb_mantle_key *key,
                    uint64_t slot,
                    unsigned char proof[64]);
/* Verifies a proof by holder `pk` for `slot` (signature and draw). */
bool rn_lottery_verify(const struct rn_chain *c,
                       const unsigned char pk[32],
                       uint64_t slot,
                       const unsigned char proof[64]);
const struct rn_holder *rn_chain_holder(const struct rn_chain *c,
                                        const unsigned char pk[32]);

/* Block lookup; NULL when unknown. */
struct rn_block *rn_chain_get(const struct rn_chain *c,
                              const unsigned char id[32]);

/*
 * Adds a decoded block (taken in all cases). Checks parent (LB_ENOTFOUND
 * when unknown: the caller fetches ancestors; `b` is freed), slot after the
 * parent's and not beyond `now_slot` + 1, leader in the stake table, the
 * lottery proof. Returns 0 when added (fork choice has run, `*added` points
 * at the stored block), 1 when already known, or a negative code.
 */
int rn_chain_add(struct rn_chain *c,
                 struct rn_block *b,
                 uint64_t now_slot,
                 struct rn_block **added,
                 struct lb_error *err);

/*
 * Checks `tx` against the ledger at the tip, with the notes in `spent`
 * (may be NULL) considered already spent. Verifies (and caches) the ledger
 * signature. 0 or LB_EINVAL with the reason.
 */
int rn_chain_check_tx(struct rn_chain *c,
                      struct rn_tx *tx,
                      const struct rn_map *spent,
                      struct lb_error *err);

/*
 * Builds and signs a block on the tip for `slot` with `txs` (borrowed; the
 * block takes its own references). `proof` is the winning lottery proof.
 */
struct rn_block *rn_block_build(struct rn_chain *c,
                                const struct lb_mantle_key *leader,
                                uint64_t slot,
                                const unsigned char proof[64],
                                struct rn_tx *const *txs,
                                size_t n_txs);

/* The block at `height` on the selected chain, or NULL. */
struct rn_block *rn_chain_at(const struct rn_chain *c, uint64_t height);

/* LIB: the selected-chain block at tip height − k (genesis when short). */
struct rn_block *rn_chain_lib(const struct rn_chain *c);

/*
 * Makes a slim block whole again (its txs parsed from its text); 0, or
 * LB_EINVAL when the text no longer decodes (the log changed underneath).
 */
int rn_chain_full(struct rn_chain *c, struct rn_block *b, struct lb_error *err);

/* A note by id, as rn_chain_notes_at() lists them. */
struct rn_owned_note {
    unsigned char id[32];
    uint64_t value;
};

/*
 * The unspent notes of `pk` in the ledger state right after block `at`
 * (any known block: the tip, an ancestor, a fork), in no particular
 * order. New array in `*out` (free with lb_free), count in `*n`.
 * LB_EINVAL with the reason when `at` is invalid or its fork's txs do not
 * apply.
 */
int rn_chain_notes_at(struct rn_chain *c,
                      struct rn_block *at,
                      const unsigned char pk[32],
                      struct rn_owned_note **out,
                      size_t *n,
                      struct lb_error *err);

/* Balance and notes of `pk` at the tip; `notes` (may be NULL) gets the ids. */
uint64_t rn_chain_balance(const struct rn_chain *c,
                          const unsigned char pk[32],
                          json_t *notes);

#endif
