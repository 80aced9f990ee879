/*
 * Peers of a node over HTTP on the network port (node.h): hello, block and
 * tx gossip with de-duplication, ancestor pulls for sync, partitions. The
 * outgoing side is refnode's HTTP client (http.h: OpenSSL's HTTP client on
 * non-blocking sockets) driven from the node's loop, so a dead or stalled
 * peer costs a timeout, never a blocked loop.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "http.h"
#include "node.h"

enum req_kind {
    REQ_HELLO,
    REQ_PUSH,
    REQ_FETCH,
    REQ_TXS,
    REQ_REPLICA,
    REQ_OTHER
};

/* What a request to a peer is for (the callback's `ud`). */
struct req {
    struct rn_node *n;
    enum req_kind kind;
    char peer[RN_ADDR_MAX];
};

#define MAX_INFLIGHT 16
/*
 * A burst opens extra connections to a peer; idle this long they close
 * (each also holds a connection's memory on the peer's side).
 */
#define RN_IDLE_MS 5000
/*
 * A pull's answer stops after this many bytes (but holds one block at
 * least): a few full blocks, or hundreds of empty ones. The asker pulls
 * again from the oldest block it got, and a pull that crosses pushes or
 * other pulls costs the asker little parsing for blocks it has by then.
 */
#define RN_PULL_BYTES  (1u << 20)
#define RN_PULL_MIN    4  /* blocks in a pull, doubled while all are new */
#define RN_RECENT_MAX  8  /* the latest blocks received, in a pull's `have` */
#define RN_LOCATOR_MAX 24 /* the best chain's: back ~2^22 blocks */

static void on_done(void *ud, const struct rn_http_result *res);

/* Starts a request to `peer`; `body` (taken, may be NULL: GET). */
static bool start(struct rn_node *n,
                  const char *peer,
                  const char *path,
                  char *body,
                  size_t len,
                  enum req_kind kind,
                  long timeout_ms)
{
    struct rn_peer *p = rn_net_peer(n, peer, false);
    struct req *r;

    /*
     * Gossip to a peer that does not keep up is dropped (it pulls what it
     * misses); hellos and pulls are bounded by their own timers and go.
     */
    if (rn_net_is_blocked(n, peer) ||
        (p != NULL && p->inflight >= MAX_INFLIGHT && kind != REQ_HELLO &&
         kind != REQ_FETCH))
    {
        lb_free(body);
        return false;
    }
    r = lb_xcalloc(1, sizeof(*r));
    r->n = n;
    r->kind = kind;
    (void)snprintf(r->peer, sizeof(r->peer), "%s", peer);
    if (rn_http_request(
            n->http, peer, path, body, len, timeout_ms, on_done, r) != 0)
    {
        rn_log(n, LB_LOG_TRACE, "to %s: cannot start %s", peer, path);
        lb_free(r);
        return false;
    }
    if (p != NULL)
        p->inflight++;
    return true;
}

void rn_net_post_replica(struct rn_node *n,
                         const char *peer,
                         char *body,
                         size_t len)
{
    if (!start(n, peer, "/net/da/share", body, len, REQ_REPLICA, 5000))
        rn_da_replica_done(n, peer, false);
}

void rn_net_post(struct rn_node *n,
                 const char *peer,
                 const char *path,
                 char *body,
                 size_t len)
{
    (void)start(n, peer, path, body, len, REQ_OTHER, 5000);
}

/* ---- peers -------------------------------------------------------------- */

struct rn_peer *rn_net_peer(struct rn_node *n, const char *addr, bool add)
{
    size_t i;

    for (i = 0; i < n->n_peers; i++)
        if (strcmp(n->peers[i].addr, addr) == 0)
            return &n->peers[i];
    if (!add || n->n_peers >= RN_MAX_PEERS ||
        strcmp(addr, n->cfg.network.text) == 0)
        return NULL;
    memset(&n->peers[n->n_peers], 0, sizeof(n->peers[0]));
    (void)snprintf(n->peers[n->n_peers].addr, RN_ADDR_MAX, "%s", addr);
    n->peers[n->n_peers].txq.max = RN_NET_BODY_MAX / 2;
    return &n->peers[n->n_peers++];
}

bool rn_net_is_blocked(const struct rn_node *n, const char *addr)
{
    size_t i;

    for (i = 0; i < n->n_blocked; i++)
        if (strcmp(n->blocked[i], addr) == 0)
            return true;
    return false;
}

size_t rn_net_live_peers(const struct rn_node *n)
{
    int64_t now = rn_now_ms();
    size_t i, live = 0;

    for (i = 0; i < n->n_peers; i++)
        if (!rn_net_is_blocked(n, n->peers[i].addr) &&
            n->peers[i].last_seen_ms > 0 &&
            now - n->peers[i].last_seen_ms <= RN_PEER_LIVE_MS)
            live++;
    return live;
}

void rn_net_book_add(struct rn_node *n, const char *name, const char *addr)
{
    struct rn_addr a;
    size_t i;

    if (name == NULL || addr == NULL || strlen(name) >= RN_NAME_MAX ||
        !rn_addr_parse(&a, addr))
        return;
    for (i = 0; i < n->n_book; i++)
        if (strcmp(n->book[i].name, name) == 0) {
            (void)snprintf(n->book[i].addr, RN_ADDR_MAX, "%s", addr);
            return;
        }
    if (n->n_book >= RN_MAX_PEERS)
        return;
    memset(&n->book[n->n_book], 0, sizeof(n->book[0]));
    (void)snprintf(n->book[n->n_book].name, RN_NAME_MAX, "%s", name);
    (void)snprintf(n->book[n->n_book].addr, RN_ADDR_MAX, "%s", addr);
    n->n_book++;
}

const char *rn_net_book_addr(const struct rn_node *n, const char *name)
{
    size_t i;

    for (i = 0; i < n->n_book; i++)
        if (strcmp(n->book[i].name, name) == 0)
            return n->book[i].addr;
    return NULL;
}

int rn_net_init(struct rn_node *n, struct lb_error *err)
{
    size_t i;

    n->peers = rn_reserve(RN_MAX_PEERS, sizeof(*n->peers));
    n->book = rn_reserve(RN_MAX_PEERS, sizeof(*n->book));
    n->blocked = rn_reserve(RN_MAX_PEERS, sizeof(*n->blocked));
    for (i = 0; i < n->cfg.n_peers; i++) {
        struct rn_peer *p = rn_net_peer(n, n->cfg.peers[i].text, true);

        if (p != NULL)
            p->configured = true;
    }
    rn_net_book_add(n, n->cfg.name, n->cfg.network.text);
    /*
     * Idle connections stay for reuse, 5 s. No per-peer limit: a queued
     * hello or pull that waits behind a slow push is worse than one more
     * connection.
     */
    n->http = rn_http_new(RN_NET_BODY_MAX, RN_IDLE_MS);
    if (rn_http_add_header(n->http, "X-Rn-From", n->cfg.network.text) != 0)
        return lb_error_set(err, LB_ENOMEM, "cannot set up the http client");
    n->next_hello_ms = 0;
    return 0;
}

void rn_net_release(struct rn_node *n)
{
    size_t i;

    rn_http_free(n->http); /* cancels what is in flight */
    n->http = NULL;
    for (i = 0; i < n->n_peers; i++)
        lb_buf_release(&n->peers[i].txq);
    lb_free(n->peers);
    lb_free(n->book);
    lb_free(n->blocked);
    n->peers = NULL;
    n->n_peers = 0;
}

/* ---- hello -------------------------------------------------------------- */

/*
 * Our hello: name, address, tip, height and the size of our address book;
 * the book itself on every 4th round, or when `with_book` (the peer's book
 * is smaller than ours): it costs a hub with a hundred spokes more than
 * everything else in a hello.
 */
static char *hello_body(struct rn_node *n, size_t *len, bool with_book)
{
    json_t *book = json_array(), *j;
    size_t i;
    char *s;

    for (i = 0; (with_book || n->hello_round % 4 == 0) && i < n->n_book; i++)
        json_array_append_new(book,
                              json_pack("{s:s, s:s}",
                                        "name",
                                        n->book[i].name,
                                        "addr",
                                        n->book[i].addr));
    j = json_pack("{s:s, s:s, s:s, s:I, s:o, s:I}",
                  "name",
                  n->cfg.name,
                  "addr",
                  n->cfg.network.text,
                  "tip",
                  n->chain.tip->id_hex,
                  "height",
                  (json_int_t)n->chain.tip->height,
                  "book",
                  book,
                  "book_n",
                  (json_int_t)n->n_book);
    s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    *len = strlen(s);
    {
        char *copy = lb_xstrndup(s, *len);

        free(s);
        return copy;
    }
}

/* Learns from a hello (sent or answered) of the peer at `addr`. */
static void learn(struct rn_node *n, struct rn_peer *p, const json_t *j)
{
    const char *name = json_string_value(json_object_get(j, "name"));
    const char *tip = json_string_value(json_object_get(j, "tip"));
    const json_t *book = json_object_get(j, "book"), *e;
    uint64_t height = 0;
    size_t i;

    p->last_seen_ms = rn_now_ms();
    if (lb_mantle_get_u64(json_object_get(j, "book_n"), &height))
        p->book_n = (size_t)height;
    if (name != NULL && strlen(name) < RN_NAME_MAX) {
        (void)snprintf(p->name, RN_NAME_MAX, "%s", name);
        rn_net_book_add(n, name, p->addr);
    }
    json_array_foreach(book, i, e)
    {
        if (i >= RN_MAX_PEERS)
            break;
        rn_net_book_add(n,
                        json_string_value(json_object_get(e, "name")),
                        json_string_value(json_object_get(e, "addr")));
    }
    if (!lb_mantle_get_u64(json_object_get(j, "height"), &height) ||
        !lb_mantle_unhex(tip, p->tip, 32))
        return;
    p->height = height;
    if (height > n->chain.tip->height &&
        rn_chain_get(&n->chain, p->tip) == NULL)
        rn_net_fetch(n, p->addr, p->tip);
}

/* ---- completions -------------------------------------------------------- */

static void
on_fetched(struct rn_node *n, struct req *r, const struct rn_http_result *res)
{
    json_t *arr = json_loadb(res->body, res->len, 0, NULL);
    struct rn_peer *p = rn_net_peer(n, r->peer, false);
    size_t i, fresh;

    if (!json_is_array(arr)) {
        rn_log(n, LB_LOG_WARN, "sync from %s: not a block list", r->peer);
        json_decref(arr);
        return;
    }
    /*
     * Newest first: what follows the first block we have is ours too, so
     * only the blocks before it are decoded (a pull answered by an older
     * peer, or crossing a push, would otherwise decode a whole history of
     * full blocks to find them known).
     */
    for (i = 0; i < json_array_size(arr); i++) {
        unsigned char id[32];

        if (rn_block_peek_id(json_array_get(arr, i), id) &&
            rn_chain_get(&n->chain, id) != NULL)
            break;
    }
    fresh = i;
    /*
     * A pull that brought only new blocks, as many as asked, is part of a
     * long sync: ask more next time. Otherwise few: the peer cannot know
     * which of its fork blocks we got by other ways.
     */
    if (p != NULL)
        p->pull_max = fresh == json_array_size(arr) && fresh >= p->pull_max
                          ? (p->pull_max * 2 < 256 ? p->pull_max * 2 : 256)
                          : RN_PULL_MIN;
    for (; i > 0; i--) {
        struct lb_error e;
        struct rn_block *b;

        lb_error_init(&e);
        b = rn_node_decode_block(n, json_array_get(arr, i - 1), &e);
        if (b == NULL || rn_node_add_block(n, b, r->peer, &e) < 0) {
            if (e.code != LB_ENOTFOUND && e.code != 0)
                rn_log(n,
                       LB_LOG_WARN,
                       "sync from %s: block rejected: %s",
                       r->peer,
                       e.msg);
            if (e.code != LB_ENOTFOUND && e.code != 0)
                break;
        }
    }
    rn_log(n,
           LB_LOG_DEBUG,
           "sync from %s: %zu blocks, %zu new, height %llu",
           r->peer,
           json_array_size(arr),
           fresh,
           (unsigned long long)n->chain.tip->height);
    json_decref(arr);
}

static void on_done(void *ud, const struct rn_http_result *res)
{
    struct req *r = ud;
    struct rn_node *n = r->n;
    struct rn_peer *p = rn_net_peer(n, r->peer, false);

    if (p != NULL && p->inflight > 0)
        p->inflight--;
    if (res->cancelled) { /* the node is stopping */
        lb_free(r);
        return;
    }
    if (r->kind == REQ_FETCH && p != NULL)
        p->syncing = false;
    if (r->kind == REQ_REPLICA)
        rn_da_replica_done(n, r->peer, res->ok);
    if (!res->ok) {
        rn_log(n, LB_LOG_TRACE, "to %s: %s", r->peer, res->error);
    } else if (!rn_net_is_blocked(n, r->peer)) {
        if (p != NULL)
            p->last_seen_ms = rn_now_ms();
        if (r->kind == REQ_HELLO && p != NULL) {
            json_t *j = json_loadb(res->body, res->len, 0, NULL);

            p->answered = true;
            if (json_is_object(j))
                learn(n, p, j);
            json_decref(j);
        } else if (r->kind == REQ_FETCH) {
            on_fetched(n, r, res);
        }
    }
    lb_free(r);
}

void rn_net_fdset(
    struct rn_node *n, fd_set *r, fd_set *w, int *max, int64_t *timeout_ms)
{
    rn_http_fdset(n->http, r, w, max, timeout_ms);
}

void rn_net_perform(struct rn_node *n, const fd_set *r, const fd_set *w)
{
    rn_http_perform(n->http, r, w);
}

/* ---- outgoing ----------------------------------------------------------- */

void rn_net_fetch(struct rn_node *n,
                  const char *peer_addr,
                  const unsigned char id[32])
{
    struct rn_peer *p = rn_net_peer(n, peer_addr, false);
    struct lb_buf path = LB_BUF_INIT;
    const struct rn_block *b = n->chain.tip;
    char hex[65];
    uint64_t step = 1;
    size_t k, i;

    if (p == NULL || p->syncing)
        return;
    lb_mantle_hex(id, 32, hex);
    /*
     * `have`: the blocks we received last (whatever their branch: pulls
     * of a fork we know but do not follow would resend it), then a
     * locator of our best chain (the tip, its parent, then ever farther
     * back). The peer sends only the blocks none of these lead to.
     */
    if (p->pull_max < RN_PULL_MIN)
        p->pull_max = RN_PULL_MIN;
    lb_buf_addf(&path, "/net/blocks?id=%s&max=%u&have=", hex, p->pull_max);
    for (i = n->chain.n_all, k = 0; i > 0 && k < RN_RECENT_MAX; i--, k++)
        lb_buf_addf(
            &path, "%s%s", k > 0 ? "," : "", n->chain.all[i - 1]->id_hex);
    for (i = 0; b != NULL && i < RN_LOCATOR_MAX; i++, k++) {
        uint64_t back = i < 2 ? 1 : step;

        lb_buf_addf(&path, "%s%s", k > 0 ? "," : "", b->id_hex);
        if (i >= 2)
            step *= 2;
        while (b != NULL && back-- > 0)
            b = b->parent;
    }
    p->syncing = start(n, peer_addr, path.ptr, NULL, 0, REQ_FETCH, 15000);
    lb_buf_release(&path);
}

static bool gossip_target(const struct rn_node *n,
                          const struct rn_peer *p,
                          const char *except)
{
    int64_t now = rn_now_ms();

    if (except != NULL && strcmp(p->addr, except) == 0)
        return false;
    if (rn_net_is_blocked(n, p->addr))
        return false;
    return p->configured ||
           (p->last_seen_ms > 0 && now - p->last_seen_ms <= RN_PEER_LIVE_MS);
}

void rn_net_broadcast_block(struct rn_node *n,
                            const struct rn_block *b,
                            const char *except)
{
    size_t i;

    for (i = 0; i < n->n_peers; i++) {
        struct rn_peer *p = &n->peers[i];

        if (!gossip_target(n, p, except))
            continue;
        (void)start(n,
                    p->addr,
                    "/net/block",
                    lb_xstrndup(b->text, b->text_len),
                    b->text_len,
                    REQ_PUSH,
                    5000);
    }
}

void rn_net_queue_tx(struct rn_node *n,
                     const struct rn_tx *tx,
                     const char *except)
{
    size_t i;

    for (i = 0; i < n->n_peers; i++) {
        struct rn_peer *p = &n->peers[i];

        if (!gossip_target(n, p, except))
            continue;
        if (p->txq_n > 0 && lb_buf_addch(&p->txq, ',') != 0)
            continue;
        if (lb_buf_add(&p->txq, tx->text, tx->text_len) != 0)
            continue;
        p->txq_n++;
        n->txq_pending = true;
    }
}

static void flush_txs(struct rn_node *n)
{
    size_t i;

    for (i = 0; i < n->n_peers; i++) {
        struct rn_peer *p = &n->peers[i];
        struct lb_buf body = LB_BUF_INIT;
        size_t len;

        if (p->txq_n == 0)
            continue;
        lb_buf_addch(&body, '[');
        lb_buf_add(&body, p->txq.ptr, p->txq.len);
        lb_buf_addch(&body, ']');
        lb_buf_reset(&p->txq);
        p->txq_n = 0;
        {
            char *s = lb_buf_detach(&body, &len);

            (void)start(n, p->addr, "/net/txs", s, len, REQ_TXS, 5000);
        }
    }
    n->txq_pending = false;
}

int64_t rn_net_tick(struct rn_node *n)
{
    int64_t now = rn_now_ms(), wait;
    size_t i;

    if (now >= n->next_hello_ms) {
        n->next_hello_ms = now + RN_HELLO_MS;
        n->hello_round++;
        for (i = 0; i < n->n_peers; i++) {
            size_t len;
            char *body;

            if (rn_net_is_blocked(n, n->peers[i].addr))
                continue;
            body = hello_body(n, &len, n->peers[i].book_n < n->n_book);
            (void)start(
                n, n->peers[i].addr, "/net/hello", body, len, REQ_HELLO, 2000);
        }
    }
    if (n->txq_pending && now - n->last_flush_ms >= 10) {
        flush_txs(n);
        n->last_flush_ms = now;
    }
    wait = n->next_hello_ms - now;
    if (n->txq_pending && wait > 10)
        wait = 10;
    return wait;
}

/* ---- incoming ----------------------------------------------------------- */

static void
serve_blocks(struct rn_node *n, struct MHD_Connection *conn, struct rn_reply *r)
{
    const char *id =
        MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "id");
    const char *max_s =
        MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "max");
    const char *have =
        MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "have");
    struct rn_block *b, *known[RN_RECENT_MAX + RN_LOCATOR_MAX];
    unsigned char raw[32];
    size_t n_known = 0, j;
    long max = max_s ? strtol(max_s, NULL, 10) : 64;
    long count = 0;

    if (max <= 0 || max > 512)
        max = 512;
    if (!lb_mantle_unhex(id, raw, 32))
        return rn_reply_text(r, 400, "'id' must be a block id");
    b = rn_chain_get(&n->chain, raw);
    if (b == NULL)
        return rn_reply_text(r, 404, "unknown block '%s'", id);
    /* the blocks of `have` that we know: the asker has their ancestors */
    for (; have != NULL && n_known < RN_RECENT_MAX + RN_LOCATOR_MAX;
         have = strchr(have, ','))
    {
        char one[65];

        if (*have == ',')
            have++;
        if (strlen(have) < 64 || (have[64] != ',' && have[64] != '\0'))
            continue;
        memcpy(one, have, 64);
        one[64] = '\0';
        if (lb_mantle_unhex(one, raw, 32) &&
            (known[n_known] = rn_chain_get(&n->chain, raw)) != NULL)
            n_known++;
    }
    r->type = "application/json";
    r->status = 200;
    lb_buf_addch(&r->body, '[');
    for (; b != NULL && b->parent != NULL && count < max &&
           r->body.len < RN_PULL_BYTES;
         b = b->parent, count++)
    {
        /* stop at a block that leads to one the asker has */
        for (j = 0; j < n_known; j++) {
            while (known[j]->height > b->height)
                known[j] = known[j]->parent;
            if (known[j] == b)
                break;
        }
        if (j < n_known)
            break;
        if (count > 0)
            lb_buf_addch(&r->body, ',');
        lb_buf_add(&r->body, b->text, b->text_len);
    }
    lb_buf_addch(&r->body, ']');
}

void rn_net_handle(struct rn_node *n,
                   struct MHD_Connection *conn,
                   const char *method,
                   const char *url,
                   const char *body,
                   size_t len,
                   struct rn_reply *r)
{
    const char *from =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Rn-From");
    struct rn_addr fa;
    struct lb_error e;
    json_t *j = NULL;

    lb_error_init(&e);
    if (from != NULL && !rn_addr_parse(&fa, from))
        from = NULL;
    if (from != NULL && rn_net_is_blocked(n, from))
        return rn_reply_text(r, 403, "traffic from '%s' is blocked", from);
    if (strcmp(method, "GET") == 0 && strcmp(url, "/net/blocks") == 0)
        return serve_blocks(n, conn, r);
    if (strcmp(method, "POST") != 0)
        return rn_reply_text(r, 404, "no such endpoint '%s %s'", method, url);
    j = json_loadb(body, len, 0, NULL);
    if (j == NULL)
        return rn_reply_text(r, 400, "body is not json");
    if (strcmp(url, "/net/hello") == 0) {
        const char *addr = json_string_value(json_object_get(j, "addr"));
        struct rn_peer *p;
        bool fresh;
        size_t hl;
        char *hb;

        if (addr == NULL || !rn_addr_parse(&fa, addr)) {
            json_decref(j);
            return rn_reply_text(r, 400, "hello needs 'addr'");
        }
        if (rn_net_is_blocked(n, addr)) {
            json_decref(j);
            return rn_reply_text(r, 403, "traffic from '%s' is blocked", addr);
        }
        p = rn_net_peer(n, addr, true);
        fresh = p == NULL || p->last_seen_ms == 0;
        if (p != NULL)
            learn(n, p, j);
        /* answer with the book to a peer that does not know us yet */
        hb = hello_body(n, &hl, fresh || (p && p->book_n < n->n_book));
        lb_buf_add(&r->body, hb, hl);
        lb_free(hb);
        r->status = 200;
        r->type = "application/json";
    } else if (strcmp(url, "/net/block") == 0) {
        unsigned char id[32];
        struct rn_block *b = NULL;
        int rc = 1;

        /* a block we have is not decoded again (pushes cross pulls) */
        if (!rn_block_peek_id(j, id) || rn_chain_get(&n->chain, id) == NULL) {
            b = rn_node_decode_block(n, j, &e);
            rc = b ? rn_node_add_block(n, b, from, &e) : LB_EINVAL;
        }

        if (rc < 0 && rc != LB_ENOTFOUND)
            rn_reply_text(r, 400, "block rejected: %s", e.msg);
        else
            rn_reply_text(r, 200, rc == 1 ? "known" : "ok");
    } else if (strcmp(url, "/net/txs") == 0 && json_is_array(j)) {
        size_t i, bad = 0;
        json_t *v;

        json_array_foreach(j, i, v)
        {
            struct rn_tx *tx = rn_tx_parse(v, NULL);

            if (tx == NULL || rn_node_add_tx(n, tx, from, NULL) != 0)
                bad++;
        }
        rn_reply_text(r, 200, "%zu rejected", bad);
    } else if (strcmp(url, "/net/da/share") == 0) {
        rn_da_store_share(n, j, r);
    } else {
        rn_reply_text(r, 404, "no such endpoint '%s %s'", method, url);
    }
    json_decref(j);
}
