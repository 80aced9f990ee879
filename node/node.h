/*
 * One refnode process: the chain plus the mempool, the block log, the three
 * HTTP listeners (libmicrohttpd), the peers (http.h) and DA, all on
 * one thread driven by select() in rn_node_run(). The files split the work:
 * node.c (loop, slots, mempool, persistence, log), net.c (peers, gossip,
 * sync), api.c (HTTP handlers), da.c (data availability).
 */
#ifndef RN_NODE_H
#define RN_NODE_H

#include <stdarg.h>
#include <stdio.h>
#include <sys/select.h>

#include "chain.h"
#include "config.h"
#include "core/buf.h"
#include "core/log.h"

struct MHD_Daemon;
struct MHD_Connection;
struct rn_http;

#define RN_HELLO_MS     1000
#define RN_PEER_LIVE_MS 3500
#define RN_MAX_PEERS    512
#define RN_MEMPOOL_MAX  100000
#define RN_TRIM_MS      10000
#define RN_MAX_ORPHANS  8192
#define RN_API_BODY_MAX (1u << 20)
#define RN_BLOB_MAX     (8u << 20)
#define RN_NET_BODY_MAX (64u << 20)

struct rn_peer {
    char addr[RN_ADDR_MAX];
    char name[RN_NAME_MAX];
    bool configured;
    bool answered; /* a hello of ours got an answer, ever */
    int64_t last_seen_ms;
    uint64_t height;
    unsigned char tip[32];
    size_t book_n; /* entries in its address book, as it last said */
    int inflight;
    bool syncing;
    unsigned pull_max; /* blocks asked in the next pull (net.c) */
    struct lb_buf txq; /* pending tx gossip: "tx,tx,..." */
    size_t txq_n;
};

/* DA state of a node (da.c). A share's data stays in DATA_DIR/shares.log. */
struct rn_share {
    char blob[65];
    uint32_t subnet;
    uint64_t off; /* of its record in the share log */
    uint32_t len; /* of the record's payload */
};

struct rn_da {
    uint32_t subnets;
    struct rn_share *shares;
    size_t n_shares, cap_shares;
    int log_fd; /* DATA_DIR/shares.log, append-only; -1 when not open */
    char *log_path;
    uint64_t log_end;
    uint64_t *inbound, *outbound; /* per subnet */
    char (*blacklist)[RN_NAME_MAX];
    size_t n_blacklist;
    uint64_t samples_ok, samples_failed, dispersal_failed, dispersal_total;
};

struct rn_node {
    struct rn_config cfg;
    char *config_path;
    struct lb_mantle_key key;
    struct lb_mantle_key *known_keys; /* every node and wallet, for signing:
                                         rn_node_known_key() */
    size_t n_known_keys;
    struct rn_chain chain;
    bool chain_ready;

    /* mempool: `pool` owns one reference per entry, `pool_map` indexes */
    struct rn_tx **pool;
    size_t n_pool, cap_pool;
    struct rn_map pool_map;
    struct rn_map pool_spent;
    bool pool_dirty;
    int64_t last_item_ms;
    const struct rn_block *known_block; /* known_tx()'s last hit */
    size_t known_next;
    struct rn_tx **regossip; /* reverted by a reorg in progress (refs) */
    size_t n_regossip, cap_regossip;

    /* persistence */
    int log_fd;
    char *log_path;

    /* diagnostics log */
    FILE *logf;
    int log_level;

    /* network */
    struct rn_peer *peers;
    size_t n_peers;
    struct rn_block **orphans;
    size_t n_orphans;
    struct rn_http *http; /* requests to peers (net.c) */
    struct MHD_Daemon *api, *testing, *net;
    struct rn_listener {
        struct rn_node *n;
        int kind; /* 0 api, 1 testing, 2 network */
    } lst[3];
    int64_t next_hello_ms;
    unsigned hello_round; /* the address book rides on every 4th round */
    int64_t last_flush_ms;
    bool txq_pending;
    char (*blocked)[RN_ADDR_MAX];
    size_t n_blocked;
    /* name -> network address of every node heard of (for DA) */
    struct rn_book {
        char name[RN_NAME_MAX];
        char addr[RN_ADDR_MAX];
        uint64_t repl_sent, repl_failed; /* DA share replicas sent to it */
    } * book;
    size_t n_book;

    /* state */
    bool online;
    int64_t started_ms;
    int64_t last_trim_ms; /* malloc_trim(), every RN_TRIM_MS */
    uint64_t last_slot;
    int wake_fd[2];

    /* metrics */
    uint64_t blocks_processed, blocks_produced, txs_in_blocks;
    uint64_t blocks_rejected, requests_total, requests_bad;

    struct rn_da da;
};

/* Sets up from a loaded config (taken: `cfg` is zeroed). */
int rn_node_init(struct rn_node *n,
                 struct rn_config *cfg,
                 struct lb_error *err);
/* Runs until SIGTERM/SIGINT; returns 0 on a clean stop. */
int rn_node_run(struct rn_node *n);
void rn_node_release(struct rn_node *n);

/* Logging to the node's log file, `refnode[name] LEVEL message`. */
void rn_log(struct rn_node *n, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * The key of a node or wallet of the config by its public key (hex), ready
 * to sign (its OpenSSL key is made on first use), or NULL when unknown.
 */
const struct lb_mantle_key *rn_node_known_key(struct rn_node *n,
                                              const char *pk_hex);

/*
 * An array of `count` entries that are written before they are read (the
 * node's fixed-capacity tables: peers, address book, orphans...): plain
 * malloc, so the pages of unused capacity are never touched and do not
 * count in the node's RSS (calloc would zero, and so touch, all of it).
 */
void *rn_reserve(size_t count, size_t size);

int64_t rn_now_ms(void);
/* The current slot (0 before the chain start). */
uint64_t rn_node_slot(const struct rn_node *n);

/*
 * Adds a tx (taken) to the mempool after checking it against the tip;
 * gossips it to every peer but `from` (may be NULL). Returns 0 (added or
 * already pending) or LB_EINVAL / LB_ETOOBIG with the reason.
 */
int rn_node_add_tx(struct rn_node *n,
                   struct rn_tx *tx,
                   const char *from,
                   struct lb_error *err);

/* rn_block_decode() sharing the tx objects the node has (mempool, chain). */
struct rn_block *
rn_node_decode_block(struct rn_node *n, const json_t *j, struct lb_error *err);

/*
 * Adds a decoded block (taken): fork choice, log, relay to peers but
 * `from`, then any orphans it unlocks. With an unknown parent the block
 * waits as an orphan and its ancestors are fetched from `from`.
 * Returns 0 added, 1 known, LB_ENOTFOUND orphaned, or LB_EINVAL.
 */
int rn_node_add_block(struct rn_node *n,
                      struct rn_block *b,
                      const char *from,
                      struct lb_error *err);

/* net.c */
int rn_net_init(struct rn_node *n, struct lb_error *err);
void rn_net_release(struct rn_node *n);
/* Periodic work (hellos, gossip batches); returns ms until it wants to run
 * again. */
int64_t rn_net_tick(struct rn_node *n);
/* The sockets of requests to peers, for select(); what they wait for. */
void rn_net_fdset(
    struct rn_node *n, fd_set *r, fd_set *w, int *max, int64_t *timeout_ms);
/* Runs the requests `r`/`w` say are ready; completions act. */
void rn_net_perform(struct rn_node *n, const fd_set *r, const fd_set *w);
void rn_net_broadcast_block(struct rn_node *n,
                            const struct rn_block *b,
                            const char *except);
void rn_net_queue_tx(struct rn_node *n,
                     const struct rn_tx *tx,
                     const char *except);
void rn_net_fetch(struct rn_node *n,
                  const char *peer_addr,
                  const unsigned char id[32]);
size_t rn_net_live_peers(const struct rn_node *n);
bool rn_net_is_blocked(const struct rn_node *n, const char *addr);
struct rn_peer *rn_net_peer(struct rn_node *n, const char *addr, bool add);
void rn_net_book_add(struct rn_node *n, const char *name, const char *addr);
const char *rn_net_book_addr(const struct rn_node *n, const char *name);
/*
 * Posts a DA share replica `body` (taken) to `peer`; its outcome goes to
 * rn_da_replica_done().
 */
void rn_net_post_replica(struct rn_node *n,
                         const char *peer,
                         char *body,
                         size_t len);
/* Posts `body` (taken) to `peer` `path`; the reply is ignored. */
void rn_net_post(struct rn_node *n,
                 const char *peer,
                 const char *path,
                 char *body,
                 size_t len);

/* HTTP replies built by the handlers. */
struct rn_reply {
    unsigned status;
    const char *type; /* content type */
    struct lb_buf body;
};
void rn_reply_text(struct rn_reply *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rn_reply_json(struct rn_reply *r, unsigned status, json_t *v);

/* api.c: the three listeners. */
int rn_api_start(struct rn_node *n, struct lb_error *err);
void rn_api_stop(struct rn_node *n);
/* net.c: requests on the network port. */
void rn_net_handle(struct rn_node *n,
                   struct MHD_Connection *conn,
                   const char *method,
                   const char *url,
                   const char *body,
                   size_t len,
                   struct rn_reply *r);

/* da.c */
/*
 * Sets up DA and reloads the shares of DATA_DIR/shares.log (a torn or
 * corrupt tail is cut off). A log that cannot be opened is logged as an
 * error; the node then keeps only the index of the shares it gets.
 */
void rn_da_init(struct rn_node *n);
void rn_da_release(struct rn_node *n);
void rn_da_disperse(struct rn_node *n, const json_t *req, struct rn_reply *r);
void rn_da_store_share(struct rn_node *n,
                       const json_t *req,
                       struct rn_reply *r);
/* Membership of `session`: assignations of validators to subnets. */
void rn_da_membership(struct rn_node *n, uint64_t session, struct rn_reply *r);
void rn_da_on_block(struct rn_node *n, const struct rn_block *b);
/* A replica post to network address `addr` succeeded or failed. */
void rn_da_replica_done(struct rn_node *n, const char *addr, bool ok);
/*
 * The subnet of validator `name` in `session`, or -1 when it holds none:
 * validators round-robin over the subnets in stake-table order, shifted
 * by one subnet per session (deterministic: every node computes the same).
 */
int rn_da_subnet_of(const struct rn_node *n,
                    const char *name,
                    uint64_t session);
/* The session of refnode's dispersals (ChannelBlob ops) and sampling. */
#define RN_DA_SESSION 0

#endif
