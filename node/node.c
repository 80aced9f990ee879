/*
 * The node's loop, slots, block production, mempool, block log and
 * diagnostics log (node.h).
 */
#include "node.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <microhttpd.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/time.h"

static const char *level_names[] = {"ERROR", "WARN", "INFO", "DEBUG", "TRACE"};

void *rn_reserve(size_t count, size_t size)
{
    return lb_xmalloc(count * size);
}

int64_t rn_now_ms(void)
{
    return lb_time_wall_ns() / 1000000;
}

void rn_log(struct rn_node *n, int level, const char *fmt, ...)
{
    char ts[32];
    va_list ap;
    FILE *out = n->logf ? n->logf : stderr;

    if (level > n->log_level)
        return;
    lb_time_iso8601(lb_time_wall_ns(), ts, sizeof(ts));
    (void)fprintf(out, "%s %s [%s] ", ts, level_names[level], n->cfg.name);
    va_start(ap, fmt);
    (void)vfprintf(out, fmt, ap);
    va_end(ap);
    (void)fputc('\n', out);
    if (level <= LB_LOG_WARN)
        (void)fflush(out);
}

uint64_t rn_node_slot(const struct rn_node *n)
{
    int64_t now = rn_now_ms();

    if (now < n->cfg.start_time_ms)
        return 0;
    return (uint64_t)(now - n->cfg.start_time_ms) / n->cfg.slot_ms;
}

/* ---- block log ---------------------------------------------------------- */

/*
 * Records: "RNB1", u32le payload length, SHA-256 of the payload, payload
 * (the block's compact JSON). A torn or corrupt record ends the log: it is
 * cut off on load, so a SIGKILL in the middle of a write loses one block.
 */
static void log_append(struct rn_node *n, const struct rn_block *b)
{
    unsigned char head[40];
    uint32_t len = (uint32_t)b->text_len;
    struct lb_buf rec = LB_BUF_INIT;

    if (n->log_fd < 0)
        return;
    head[0] = 'R';
    head[1] = 'N';
    head[2] = 'B';
    head[3] = '1';
    head[4] = len & 0xff;
    head[5] = (len >> 8) & 0xff;
    head[6] = (len >> 16) & 0xff;
    head[7] = (len >> 24) & 0xff;
    lb_mantle_sha256(b->text, b->text_len, head + 8);
    lb_buf_add(&rec, head, 40);
    lb_buf_add(&rec, b->text, b->text_len);
    if (write(n->log_fd, rec.ptr, rec.len) != (ssize_t)rec.len)
        rn_log(n,
               LB_LOG_ERROR,
               "block log '%s': %s",
               n->log_path,
               strerror(errno));
    lb_buf_release(&rec);
}

static int mkdir_p(const char *path)
{
    char *p = lb_xstrdup(path), *s;
    int rc = 0;

    for (s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            rc = -1;
        *s = '/';
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
        rc = -1;
    lb_free(p);
    return rc;
}

static int log_load(struct rn_node *n, struct lb_error *err)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_error e;
    size_t off = 0, loaded = 0;
    int fd;

    fd = open(n->log_path, O_RDONLY);
    if (fd >= 0) {
        (void)close(fd);
        if (lb_buf_read_file(&b, n->log_path, err) != 0)
            return LB_EIO;
    }
    while (off + 40 <= b.len) {
        const unsigned char *h = (const unsigned char *)b.ptr + off;
        uint32_t len = (uint32_t)h[4] | (uint32_t)h[5] << 8 |
                       (uint32_t)h[6] << 16 | (uint32_t)h[7] << 24;
        unsigned char sum[32];
        struct rn_block *blk;
        json_t *j;

        if (memcmp(h, "RNB1", 4) != 0 || off + 40 + len > b.len)
            break;
        lb_mantle_sha256(h + 40, len, sum);
        if (memcmp(sum, h + 8, 32) != 0)
            break;
        j = json_loadb((const char *)h + 40, len, 0, NULL);
        lb_error_init(&e);
        blk = j ? rn_block_decode(j, &e) : NULL;
        json_decref(j);
        if (blk == NULL ||
            rn_chain_add(&n->chain, blk, UINT64_MAX / 2, NULL, &e) < 0) {
            rn_log(n,
                   LB_LOG_WARN,
                   "block log: record at %zu rejected: %s",
                   off,
                   e.msg);
            break;
        }
        loaded++;
        off += 40 + len;
    }
    if (off < b.len) {
        rn_log(n,
               LB_LOG_WARN,
               "block log '%s': cutting a torn or bad tail at byte %zu of %zu",
               n->log_path,
               off,
               b.len);
        if (truncate(n->log_path, (off_t)off) != 0)
            rn_log(n,
                   LB_LOG_ERROR,
                   "cannot truncate '%s': %s",
                   n->log_path,
                   strerror(errno));
    }
    lb_buf_release(&b);
    n->log_fd =
        open(n->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (n->log_fd < 0)
        return lb_error_set(
            err, LB_EIO, "cannot open '%s': %s", n->log_path, strerror(errno));
    rn_log(n,
           LB_LOG_INFO,
           "block log: %zu blocks loaded, tip height %llu",
           loaded,
           (unsigned long long)n->chain.tip->height);
    return 0;
}

/* ---- mempool ------------------------------------------------------------ */

static void pool_push(struct rn_node *n, struct rn_tx *tx)
{
    if (n->n_pool == n->cap_pool) {
        n->cap_pool = n->cap_pool ? 2 * n->cap_pool : 256;
        n->pool = lb_xrealloc(n->pool, n->cap_pool * RN_PTR_SIZE);
    }
    tx->refs++;
    n->pool[n->n_pool++] = tx;
    rn_map_put(&n->pool_map, tx->hash, tx);
}

/* Keeps the txs still indexed, unique and valid at the tip, in order. */
static void pool_revalidate(struct rn_node *n)
{
    struct rn_map keep = {0};
    size_t i, w = 0;

    rn_map_release(&n->pool_spent);
    for (i = 0; i < n->n_pool; i++) {
        struct rn_tx *tx = n->pool[i];
        size_t j;

        if (rn_map_get(&n->pool_map, tx->hash) != tx ||
            rn_map_get(&keep, tx->hash) != NULL ||
            rn_chain_check_tx(&n->chain, tx, &n->pool_spent, NULL) != 0)
        {
            rn_tx_unref(tx);
            continue;
        }
        rn_map_put(&keep, tx->hash, tx);
        for (j = 0; j < tx->n_in; j++)
            rn_map_put(&n->pool_spent, tx->in[j], tx);
        n->pool[w++] = tx;
    }
    n->n_pool = w;
    rn_map_release(&n->pool_map);
    n->pool_map = keep;
    n->pool_dirty = false;
}

int rn_node_add_tx(struct rn_node *n,
                   struct rn_tx *tx,
                   const char *from,
                   struct lb_error *err)
{
    size_t j;
    int rc = 0;

    if (n->pool_dirty)
        pool_revalidate(n);
    if (rn_map_get(&n->pool_map, tx->hash) != NULL)
        goto out; /* already pending: submitting twice is harmless */
    if (n->pool_map.len >= RN_MEMPOOL_MAX) {
        rc = lb_error_set(err, LB_ETOOBIG, "mempool full");
        goto out;
    }
    rc = rn_chain_check_tx(&n->chain, tx, &n->pool_spent, err);
    if (rc != 0)
        goto out;
    pool_push(n, tx);
    for (j = 0; j < tx->n_in; j++)
        rn_map_put(&n->pool_spent, tx->in[j], tx);
    n->last_item_ms = rn_now_ms();
    rn_net_queue_tx(n, tx, from);
out:
    rn_tx_unref(tx);
    return rc;
}

static void on_apply(struct rn_chain *c, struct rn_block *b, void *ctx)
{
    struct rn_node *n = ctx;
    size_t i;

    (void)c;
    for (i = 0; i < b->n_txs; i++)
        rn_map_del(&n->pool_map, b->txs[i]->hash);
    n->txs_in_blocks += b->n_txs;
    n->pool_dirty = true;
    rn_da_on_block(n, b);
}

static void on_revert(struct rn_chain *c, struct rn_block *b, void *ctx)
{
    struct rn_node *n = ctx;
    size_t i;

    (void)c;
    /*
     * Back to the mempool (the next revalidation drops what no longer
     * fits) and to the peers: a fork's txs may be known to this node only.
     */
    for (i = 0; i < b->n_txs; i++)
        if (rn_map_get(&n->pool_map, b->txs[i]->hash) == NULL) {
            pool_push(n, b->txs[i]);
            if (n->n_regossip == n->cap_regossip) {
                n->cap_regossip = n->cap_regossip ? 2 * n->cap_regossip : 64;
                n->regossip =
                    lb_xrealloc(n->regossip, n->cap_regossip * RN_PTR_SIZE);
            }
            b->txs[i]->refs++;
            n->regossip[n->n_regossip++] = b->txs[i];
        }
    n->txs_in_blocks -=
        b->n_txs < n->txs_in_blocks ? b->n_txs : n->txs_in_blocks;
    n->pool_dirty = true;
}

/* ---- blocks ------------------------------------------------------------- */

/*
 * A tx this node has as an object: pending, or in a block it has applied.
 * Fork blocks carry their txs in the order of the block that holds them
 * here (both come from mempools in arrival order), so the search in that
 * block starts after the last hit.
 */
static struct rn_tx *known_tx(void *ctx, const unsigned char hash[32])
{
    struct rn_node *n = ctx;
    struct rn_tx *p = rn_map_get(&n->pool_map, hash);
    struct rn_block *b;
    size_t i, k;

    if (p != NULL)
        return p;
    b = rn_map_get(&n->chain.included, hash);
    if (b == NULL || b->n_txs == 0)
        return NULL;
    k = n->known_block == b && n->known_next < b->n_txs ? n->known_next : 0;
    for (i = 0; i < b->n_txs; i++, k = k + 1 < b->n_txs ? k + 1 : 0)
        if (memcmp(b->txs[k]->hash, hash, 32) == 0) {
            n->known_block = b;
            n->known_next = k + 1;
            return b->txs[k];
        }
    return NULL;
}

struct rn_block *
rn_node_decode_block(struct rn_node *n, const json_t *j, struct lb_error *err)
{
    return rn_block_decode_known(j, known_tx, n, err);
}

/*
 * After a reorg: gossip the reverted txs that the new best chain did not
 * include again (most forks carry the same txs, and peers have them).
 */
static void regossip(struct rn_node *n)
{
    size_t i;

    for (i = 0; i < n->n_regossip; i++) {
        struct rn_tx *tx = n->regossip[i];

        if (n->online && rn_map_get(&n->pool_map, tx->hash) == tx)
            rn_net_queue_tx(n, tx, NULL);
        rn_tx_unref(tx);
    }
    n->n_regossip = 0;
}

static void adopt_orphans(struct rn_node *n, const unsigned char id[32]);

int rn_node_add_block(struct rn_node *n,
                      struct rn_block *b,
                      const char *from,
                      struct lb_error *err)
{
    struct rn_block *added = NULL;
    unsigned char id[32], parent[32];
    uint64_t old_height = n->chain.tip->height;
    size_t i;
    int rc;

    memcpy(id, b->id, 32);
    memcpy(parent, b->parent_id, 32);
    if (rn_chain_get(&n->chain, id) != NULL) {
        rn_block_free(b);
        return 1;
    }
    if (rn_chain_get(&n->chain, parent) == NULL) {
        for (i = 0; i < n->n_orphans; i++)
            if (memcmp(n->orphans[i]->id, id, 32) == 0) {
                rn_block_free(b);
                return LB_ENOTFOUND;
            }
        if (n->n_orphans < RN_MAX_ORPHANS) {
            n->orphans[n->n_orphans++] = b;
        } else {
            rn_block_free(b);
        }
        if (from != NULL)
            rn_net_fetch(n, from, parent);
        return LB_ENOTFOUND;
    }
    /* share the mempool's parsed txs: their signatures are checked once */
    for (i = 0; i < b->n_txs; i++) {
        struct rn_tx *p = rn_map_get(&n->pool_map, b->txs[i]->hash);

        if (p != NULL && p != b->txs[i] && p->text_len == b->txs[i]->text_len &&
            memcmp(p->text, b->txs[i]->text, p->text_len) == 0)
        {
            p->refs++;
            rn_tx_unref(b->txs[i]);
            b->txs[i] = p;
        }
    }
    rc = rn_chain_add(&n->chain, b, rn_node_slot(n), &added, err);
    regossip(n);
    if (rc < 0) {
        n->blocks_rejected++;
        return rc;
    }
    if (rc == 1)
        return 1;
    n->blocks_processed++;
    log_append(n, added);
    /*
     * Relay what extends our best chain, once online (a syncing node
     * would echo back the history it pulls); a losing fork block stays
     * here (peers that build on it send it along, and pulls fetch it).
     */
    if (n->chain.tip == added && n->online)
        rn_net_broadcast_block(n, added, from);
    if (n->chain.tip->height != old_height)
        rn_log(n,
               LB_LOG_DEBUG,
               "tip %s height %llu slot %llu",
               n->chain.tip->id_hex,
               (unsigned long long)n->chain.tip->height,
               (unsigned long long)n->chain.tip->slot);
    adopt_orphans(n, id);
    return 0;
}

static void adopt_orphans(struct rn_node *n, const unsigned char id[32])
{
    size_t i;

    for (i = 0; i < n->n_orphans; i++) {
        struct rn_block *o = n->orphans[i];
        struct lb_error e;

        if (memcmp(o->parent_id, id, 32) != 0)
            continue;
        n->orphans[i] = n->orphans[--n->n_orphans];
        lb_error_init(&e);
        if (rn_node_add_block(n, o, NULL, &e) < 0)
            rn_log(n, LB_LOG_INFO, "orphan rejected: %s", e.msg);
        i = (size_t)-1; /* the array changed: rescan */
    }
}

static void produce(struct rn_node *n, uint64_t slot)
{
    struct rn_tx *txs[RN_MAX_BLOCK_TXS];
    unsigned char proof[64];
    struct rn_block *b;
    struct lb_error e;
    size_t i, k = 0;

    if (n->chain.tip->slot >= slot ||
        !rn_lottery_try(&n->chain, &n->key, slot, proof))
        return;
    if (n->pool_dirty)
        pool_revalidate(n);
    for (i = 0; i < n->n_pool && k < RN_MAX_BLOCK_TXS; i++)
        txs[k++] = n->pool[i];
    b = rn_block_build(&n->chain, &n->key, slot, proof, txs, k);
    n->blocks_produced++;
    lb_error_init(&e);
    rn_log(n,
           LB_LOG_INFO,
           "leader of slot %llu: block %s with %zu txs",
           (unsigned long long)slot,
           b->id_hex,
           k);
    if (rn_node_add_block(n, b, NULL, &e) < 0)
        rn_log(n, LB_LOG_ERROR, "own block rejected: %s", e.msg);
}

/* ---- bootstrapping ------------------------------------------------------ */

static void check_online(struct rn_node *n)
{
    int64_t now = rn_now_ms(), waited = now - n->started_ms;
    uint64_t best = 0;
    bool answered = false;
    size_t i;

    if (n->online)
        return;
    for (i = 0; i < n->n_peers; i++) {
        struct rn_peer *p = &n->peers[i];

        if (!p->answered || now - p->last_seen_ms > RN_PEER_LIVE_MS)
            continue;
        answered = true;
        if (p->height > best)
            best = p->height;
    }
    /*
     * Caught up with every peer that answers; or nobody answered for a
     * while (a lone restarted node must not wait forever); or syncing has
     * taken far too long.
     */
    if ((answered && n->chain.tip->height + 1 >= best) ||
        (!answered && waited > 3000 + 4 * (int64_t)n->cfg.slot_ms) ||
        waited > 60000)
    {
        n->online = true;
        rn_log(n,
               LB_LOG_INFO,
               "online at height %llu (peers at %llu)",
               (unsigned long long)n->chain.tip->height,
               (unsigned long long)best);
    }
}

/* ---- loop --------------------------------------------------------------- */

static int wake_fd_w = -1;

static void on_signal(int sig)
{
    char c = (char)sig;

    if (wake_fd_w >= 0)
        (void)!write(wake_fd_w, &c, 1);
}

static void add_mhd_fds(struct MHD_Daemon *d,
                        fd_set *r,
                        fd_set *w,
                        fd_set *e,
                        int *max,
                        int64_t *timeout)
{
    MHD_socket m = -1;
    MHD_UNSIGNED_LONG_LONG t;

    if (d == NULL)
        return;
    (void)MHD_get_fdset(d, r, w, e, &m);
    if (m > *max)
        *max = m;
    if (MHD_get_timeout(d, &t) == MHD_YES && (int64_t)t < *timeout)
        *timeout = (int64_t)t;
}

/* Timed work: bootstrapping, the slot's lottery, the mempool, the peers. */
static int64_t tick(struct rn_node *n, int64_t now)
{
    uint64_t slot = rn_node_slot(n);
    int64_t wait, net_wait;

    check_online(n);
    if (now >= n->cfg.start_time_ms && slot > n->last_slot) {
        /*
         * A loop woken late (a busy machine) still draws the slots it
         * slept through, the last three at most, so the block rate stays
         * f; older slots are gone, as for any late node.
         */
        uint64_t s = n->last_slot + 1 + 2 < slot ? slot - 2 : n->last_slot + 1;

        n->last_slot = slot;
        for (; n->online && s <= slot; s++)
            produce(n, s);
    }
    if (n->pool_dirty)
        pool_revalidate(n);
    if (now - n->last_trim_ms >= RN_TRIM_MS) {
        /*
         * Give the pages of freed memory back (glibc returns only the top
         * of the heap by itself; a burst of requests or a sync leaves
         * free chunks below live ones).
         */
        (void)malloc_trim(0);
        n->last_trim_ms = now;
    }
    net_wait = rn_net_tick(n);
    if (now < n->cfg.start_time_ms)
        wait = n->cfg.start_time_ms - now;
    else
        wait =
            n->cfg.start_time_ms + (int64_t)((slot + 1) * n->cfg.slot_ms) - now;
    return net_wait < wait ? net_wait : wait;
}

/*
 * The descriptors of the listeners, the peer requests and the wake pipe;
 * returns the highest and lowers `timeout` to what they ask.
 */
static int collect_fds(
    struct rn_node *n, fd_set *r, fd_set *w, fd_set *e, int64_t *timeout)
{
    int max = n->wake_fd[0];

    FD_ZERO(r);
    FD_ZERO(w);
    FD_ZERO(e);
    FD_SET(n->wake_fd[0], r);
    add_mhd_fds(n->api, r, w, e, &max, timeout);
    add_mhd_fds(n->testing, r, w, e, &max, timeout);
    add_mhd_fds(n->net, r, w, e, &max, timeout);
    rn_net_fdset(n, r, w, &max, timeout);
    return max;
}

/*
 * Waits up to `timeout` ms for the listeners, the peers or a signal, then
 * runs what is ready. Returns false when a signal asks to stop.
 */
static bool wait_and_run(struct rn_node *n, int64_t timeout)
{
    fd_set r, w, e;
    int max = collect_fds(n, &r, &w, &e, &timeout);
    struct timeval tv;
    char buf[16];
    bool go_on = true;

    if (timeout < 0)
        timeout = 0;
    if (!n->online && timeout > 100)
        timeout = 100;
    tv.tv_sec = (time_t)(timeout / 1000);
    tv.tv_usec = (suseconds_t)(timeout % 1000) * 1000;
    if (select(max + 1, &r, &w, &e, &tv) < 0) {
        if (errno == EINTR)
            return true;
        rn_log(n, LB_LOG_ERROR, "select: %s", strerror(errno));
        return false;
    }
    if (FD_ISSET(n->wake_fd[0], &r) && read(n->wake_fd[0], buf, 16) > 0)
        go_on = false;
    if (n->api)
        (void)MHD_run_from_select(n->api, &r, &w, &e);
    if (n->testing)
        (void)MHD_run_from_select(n->testing, &r, &w, &e);
    if (n->net)
        (void)MHD_run_from_select(n->net, &r, &w, &e);
    rn_net_perform(n, &r, &w);
    return go_on;
}

int rn_node_run(struct rn_node *n)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    wake_fd_w = n->wake_fd[1];
    (void)sigaction(SIGTERM, &sa, NULL);
    (void)sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    (void)sigaction(SIGPIPE, &sa, NULL);
    while (wait_and_run(n, tick(n, rn_now_ms())))
        ;
    rn_log(n,
           LB_LOG_INFO,
           "stopping at height %llu",
           (unsigned long long)n->chain.tip->height);
    return 0;
}

/* ---- setup -------------------------------------------------------------- */

static int init_known_keys(struct rn_node *n, struct lb_error *err)
{
    size_t i, k = 0;

    n->known_keys = lb_xcalloc(n->cfg.n_nodes + n->cfg.n_wallets + 1,
                               sizeof(*n->known_keys));
    for (i = 0; i < n->cfg.n_nodes; i++, k++)
        if (lb_mantle_key_init(&n->known_keys[k],
                               n->cfg.genesis_seed,
                               n->cfg.nodes[i].name,
                               err) != 0)
            return LB_EINVAL;
    for (i = 0; i < n->cfg.n_wallets; i++, k++)
        if (lb_mantle_key_init(&n->known_keys[k],
                               n->cfg.genesis_seed,
                               n->cfg.wallets[i].name,
                               err) != 0)
            return LB_EINVAL;
    n->n_known_keys = k;
    /*
     * Only the seeds and public keys stay: an OpenSSL key object costs
     * about half a kilobyte, and a node signs for few of a hundred keys.
     */
    for (i = 0; i < k; i++)
        lb_mantle_key_release(&n->known_keys[i]);
    return 0;
}

const struct lb_mantle_key *rn_node_known_key(struct rn_node *n,
                                              const char *pk_hex)
{
    struct lb_mantle_key *key = NULL;
    size_t i;

    for (i = 0; pk_hex != NULL && i < n->n_known_keys; i++)
        if (strcmp(n->known_keys[i].pk_hex, pk_hex) == 0)
            key = &n->known_keys[i];
    if (key != NULL && key->pkey == NULL) {
        struct lb_mantle_key fresh;

        if (lb_mantle_key_init_seed(&fresh, key->seed, NULL) != 0)
            return NULL;
        *key = fresh;
    }
    return key;
}

int rn_node_init(struct rn_node *n, struct rn_config *cfg, struct lb_error *err)
{
    struct lb_buf path = LB_BUF_INIT;
    int rc;

    memset(n, 0, sizeof(*n));
    n->log_fd = -1;
    n->wake_fd[0] = n->wake_fd[1] = -1;
    n->cfg = *cfg;
    memset(cfg, 0, sizeof(*cfg));
    n->log_level = n->cfg.log_level;
    if (mkdir_p(n->cfg.data_dir) != 0)
        return lb_error_set(err,
                            LB_EIO,
                            "cannot create data dir '%s': %s",
                            n->cfg.data_dir,
                            strerror(errno));
    if (n->cfg.log_file != NULL) {
        n->logf = fopen(n->cfg.log_file, "a");
        if (n->logf == NULL)
            return lb_error_set(err,
                                LB_EIO,
                                "cannot open log '%s': %s",
                                n->cfg.log_file,
                                strerror(errno));
        (void)setvbuf(n->logf, NULL, _IOLBF, 0);
    }
    if (pipe(n->wake_fd) != 0)
        return lb_error_set(err, LB_EIO, "pipe: %s", strerror(errno));
    (void)fcntl(n->wake_fd[0], F_SETFL, O_NONBLOCK);
    (void)fcntl(n->wake_fd[1], F_SETFL, O_NONBLOCK);
    if (lb_mantle_key_init(&n->key, n->cfg.genesis_seed, n->cfg.name, err))
        return LB_EINVAL;
    if ((rc = init_known_keys(n, err)) != 0)
        return rc;
    if ((rc = rn_chain_init(&n->chain, &n->cfg, err)) != 0)
        return rc;
    n->chain_ready = true;
    n->chain.on_apply = on_apply;
    n->chain.on_revert = on_revert;
    n->chain.cb_ctx = n;
    n->orphans = rn_reserve(RN_MAX_ORPHANS, RN_PTR_SIZE);
    rn_da_init(n);
    lb_buf_addf(&path, "%s/blocks.log", n->cfg.data_dir);
    n->log_path = lb_buf_detach(&path, NULL);
    rn_log(n,
           LB_LOG_INFO,
           "starting %s (%s), key %s, genesis %s",
           n->cfg.name,
           n->cfg.role == RN_EXECUTOR ? "executor" : "validator",
           n->key.pk_hex,
           n->chain.genesis_hex);
    if ((rc = log_load(n, err)) != 0)
        return rc;
    regossip(n); /* offline: drops what a replayed reorg reverted */
    if (n->pool_dirty)
        pool_revalidate(n);
    n->last_slot = rn_node_slot(n);
    n->started_ms = rn_now_ms();
    n->online = n->cfg.n_peers == 0;
    if ((rc = rn_net_init(n, err)) != 0)
        return rc;
    return rn_api_start(n, err);
}

void rn_node_release(struct rn_node *n)
{
    size_t i;

    rn_api_stop(n);
    rn_net_release(n);
    for (i = 0; i < n->n_pool; i++)
        rn_tx_unref(n->pool[i]);
    lb_free(n->pool);
    for (i = 0; i < n->n_regossip; i++)
        rn_tx_unref(n->regossip[i]);
    lb_free(n->regossip);
    rn_map_release(&n->pool_map);
    rn_map_release(&n->pool_spent);
    for (i = 0; i < n->n_orphans; i++)
        rn_block_free(n->orphans[i]);
    lb_free(n->orphans);
    if (n->chain_ready)
        rn_chain_release(&n->chain);
    rn_da_release(n);
    for (i = 0; i < n->n_known_keys; i++)
        lb_mantle_key_release(&n->known_keys[i]);
    lb_free(n->known_keys);
    lb_mantle_key_release(&n->key);
    if (n->log_fd >= 0) {
        (void)fsync(n->log_fd);
        (void)close(n->log_fd);
    }
    lb_free(n->log_path);
    if (n->wake_fd[0] >= 0)
        (void)close(n->wake_fd[0]);
    if (n->wake_fd[1] >= 0)
        (void)close(n->wake_fd[1]);
    if (n->logf != NULL)
        (void)fclose(n->logf);
    lb_free(n->config_path);
    rn_config_release(&n->cfg);
}
