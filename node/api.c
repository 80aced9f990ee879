/*
 * The HTTP side of a node (node.h): libmicrohttpd in external-select mode
 * on the node's own loop, request bodies gathered under a size limit, and
 * the handlers of NODE-API.md §2 on the API and testing listeners.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "node.h"

struct upload {
    struct lb_buf body;
    bool too_big;
};

void rn_reply_text(struct rn_reply *r, unsigned status, const char *fmt, ...)
{
    va_list ap;

    r->status = status;
    r->type = "text/plain; charset=utf-8";
    lb_buf_reset(&r->body);
    va_start(ap, fmt);
    (void)lb_buf_vaddf(&r->body, fmt, ap);
    va_end(ap);
}

void rn_reply_json(struct rn_reply *r, unsigned status, json_t *v)
{
    size_t n;

    r->status = status;
    r->type = "application/json";
    lb_buf_reset(&r->body);
    if (v == NULL) {
        lb_buf_adds(&r->body, "null");
        return;
    }
    n = json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY);
    lb_buf_grow(&r->body, n);
    n = json_dumpb(v, r->body.ptr, n, JSON_COMPACT | JSON_ENCODE_ANY);
    lb_buf_setlen(&r->body, n);
    json_decref(v);
}

/* ---- handlers ----------------------------------------------------------- */

static void info(struct rn_node *n, struct rn_reply *r)
{
    rn_reply_json(r,
                  200,
                  json_pack("{s:s, s:s, s:I, s:I, s:s}",
                            "lib",
                            rn_chain_lib(&n->chain)->id_hex,
                            "tip",
                            n->chain.tip->id_hex,
                            "slot",
                            (json_int_t)n->chain.tip->slot,
                            "height",
                            (json_int_t)n->chain.tip->height,
                            "mode",
                            n->online ? "Online" : "Bootstrapping"));
}

static void
headers(struct rn_node *n, struct MHD_Connection *c, struct rn_reply *r)
{
    const char *from =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "from");
    const char *to =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to");
    unsigned char id[32];
    struct rn_block *b = n->chain.tip, *end = rn_chain_lib(&n->chain);
    json_t *out;

    if (from != NULL) {
        if (!lb_mantle_unhex(from, id, 32))
            return rn_reply_text(r, 400, "'from' must be a 64-hex block id");
        if ((b = rn_chain_get(&n->chain, id)) == NULL)
            return rn_reply_text(r, 404, "unknown block '%s'", from);
    }
    if (to != NULL) {
        if (!lb_mantle_unhex(to, id, 32))
            return rn_reply_text(r, 400, "'to' must be a 64-hex block id");
        if ((end = rn_chain_get(&n->chain, id)) == NULL)
            return rn_reply_text(r, 404, "unknown block '%s'", to);
    }
    /*
     * Down to `to`, or to its height when it is on another branch: the
     * runner's block feed asks down to the head it knows, which a reorg
     * may have left on a fork, and takes the ids until one it has.
     */
    out = json_array();
    for (; b != NULL; b = b->parent) {
        json_array_append_new(out, json_string(b->id_hex));
        if (b == end || b->height <= end->height)
            break;
    }
    rn_reply_json(r, 200, out);
}

static void storage_block(struct rn_node *n, json_t *j, struct rn_reply *r)
{
    unsigned char id[32];
    struct rn_block *b;

    if (!json_is_string(j) || !lb_mantle_unhex(json_string_value(j), id, 32))
        return rn_reply_text(
            r, 400, "body must be a JSON string holding a block id");
    b = rn_chain_get(&n->chain, id);
    r->status = 200;
    r->type = "application/json";
    if (b == NULL)
        lb_buf_adds(&r->body, "null");
    else
        lb_buf_add(&r->body, b->text, b->text_len);
}

static void add_tx(struct rn_node *n, json_t *j, struct rn_reply *r)
{
    struct lb_error e;
    struct rn_tx *tx;
    int rc;

    lb_error_init(&e);
    tx = rn_tx_parse(j, &e);
    if (tx == NULL)
        return rn_reply_text(r, 400, "invalid transaction: %s", e.msg);
    rc = rn_node_add_tx(n, tx, NULL, &e);
    if (rc == LB_ETOOBIG)
        return rn_reply_text(r, 503, "%s", e.msg);
    if (rc != 0)
        return rn_reply_text(r, 400, "transaction rejected: %s", e.msg);
    r->status = 200;
    r->type = "text/plain";
}

static void network_info(struct rn_node *n, struct rn_reply *r)
{
    size_t i, pending = 0, live = rn_net_live_peers(n);

    for (i = 0; i < n->n_peers; i++)
        if (!n->peers[i].answered && n->peers[i].inflight > 0)
            pending++;
    rn_reply_json(r,
                  200,
                  json_pack("{s:[s], s:I, s:I, s:I}",
                            "listen_addresses",
                            n->cfg.network.text,
                            "n_peers",
                            (json_int_t)live,
                            "n_connections",
                            (json_int_t)live,
                            "n_pending_connections",
                            (json_int_t)pending));
}

static void balance(struct rn_node *n, const char *pk_hex, struct rn_reply *r)
{
    unsigned char pk[32];
    json_t *notes;
    uint64_t sum;

    if (!lb_mantle_unhex(pk_hex, pk, 32))
        return rn_reply_text(
            r, 400, "'%s' is not a public key (64 hex digits)", pk_hex);
    notes = json_array();
    sum = rn_chain_balance(&n->chain, pk, notes);
    rn_reply_json(
        r,
        200,
        json_pack("{s:I, s:o}", "balance", (json_int_t)sum, "notes", notes));
}

/*
 * Notes of key `k` in the ledger after block `at` that no pending tx
 * spends, oldest in the map's order, until they cover `amount`: their ids
 * go to `ids` (array of at least `max` entries); returns the count, with
 * their sum in `*have`. -1 with `err` when `at`'s ledger cannot be built.
 */
static long pick_notes(struct rn_node *n,
                       struct rn_block *at,
                       const struct lb_mantle_key *k,
                       uint64_t amount,
                       char (**ids)[65],
                       uint64_t *have,
                       struct lb_error *err)
{
    struct rn_owned_note *notes;
    size_t n_notes, i, m = 0;

    *have = 0;
    *ids = NULL;
    if (rn_chain_notes_at(&n->chain, at, k->pk, &notes, &n_notes, err) != 0)
        return -1;
    *ids = lb_xcalloc(n_notes + 1, sizeof(**ids));
    for (i = 0; i < n_notes && !(*have >= amount && m > 0); i++) {
        if (rn_map_get(&n->pool_spent, notes[i].id) != NULL)
            continue;
        lb_mantle_hex(notes[i].id, 32, (*ids)[m++]);
        *have += notes[i].value;
    }
    lb_free(notes);
    return (long)m;
}

/*
 * Builds the signed transfer of `amount` from key `k`'s notes at `at`;
 * NULL when they do not cover it (or `err` set when `at` has no ledger).
 */
static struct rn_tx *build_transfer(struct rn_node *n,
                                    struct rn_block *at,
                                    const struct lb_mantle_key *k,
                                    const char *to,
                                    const char *change,
                                    uint64_t amount,
                                    struct lb_error *err)
{
    struct lb_mantle_output out[2];
    const char **ins;
    char(*ids)[65];
    uint64_t have;
    long m = pick_notes(n, at, k, amount, &ids, &have, err);
    struct rn_tx *t = NULL;
    json_t *tx;
    long i;

    if (m <= 0 || have < amount) {
        lb_free(ids);
        return NULL;
    }
    ins = lb_xcalloc((size_t)m, sizeof(*ins));
    for (i = 0; i < m; i++)
        ins[i] = ids[i];
    out[0].value = amount;
    memcpy(out[0].pk_hex, to, 65);
    out[1].value = have - amount;
    memcpy(out[1].pk_hex, change, 65);
    tx = lb_mantle_transfer_new(
        ins, (size_t)m, out, have > amount ? 2 : 1, k, err);
    lb_free(ids);
    lb_free(ins);
    t = tx != NULL ? rn_tx_parse(tx, err) : NULL;
    json_decref(tx);
    if (t == NULL && err != NULL && err->code == 0)
        lb_error_set(err, LB_EINVAL, "cannot build the transfer");
    return t;
}

/* The block named by the request's optional "tip" (the tip when absent). */
static struct rn_block *
transfer_tip(struct rn_node *n, const json_t *j, struct rn_reply *r)
{
    const json_t *tip = json_object_get(j, "tip");
    unsigned char id[32];
    struct rn_block *b;

    if (tip == NULL || json_is_null(tip))
        return n->chain.tip;
    if (!json_is_string(tip) ||
        !lb_mantle_unhex(json_string_value(tip), id, 32)) {
        rn_reply_text(r, 400, "'tip' must be a 64-hex block id");
        return NULL;
    }
    b = rn_chain_get(&n->chain, id);
    if (b == NULL)
        rn_reply_text(r, 404, "unknown tip '%s'", json_string_value(tip));
    else if (b->invalid)
        rn_reply_text(
            r, 400, "tip '%s' is an invalid block", json_string_value(tip));
    return b != NULL && !b->invalid ? b : NULL;
}

/*
 * The transfer is built from the notes of the first funding key known to
 * this node that covers the amount in the ledger at "tip" (default: the
 * tip), leaving out notes that pending txs spend; the mempool then checks
 * it against the current tip, as any submitted tx.
 */
static void transfer(struct rn_node *n, json_t *j, struct rn_reply *r)
{
    const char *change =
        json_string_value(json_object_get(j, "change_public_key"));
    const char *to =
        json_string_value(json_object_get(j, "recipient_public_key"));
    const json_t *funding = json_object_get(j, "funding_public_keys"), *f;
    struct rn_block *at;
    struct lb_error e;
    struct rn_tx *t = NULL;
    uint64_t amount;
    char hash[65];
    size_t i;

    if (!json_is_object(j) || !lb_mantle_is_id(change) ||
        !lb_mantle_is_id(to) || !json_is_array(funding) ||
        !lb_mantle_get_u64(json_object_get(j, "amount"), &amount))
        return rn_reply_text(r,
                             400,
                             "need change_public_key, funding_public_keys, "
                             "recipient_public_key and amount");
    json_array_foreach(funding, i, f)
    {
        if (!lb_mantle_is_id(json_string_value(f)))
            return rn_reply_text(
                r, 400, "funding_public_keys[%zu] is not a public key", i);
    }
    if ((at = transfer_tip(n, j, r)) == NULL)
        return;
    lb_error_init(&e);
    json_array_foreach(funding, i, f)
    {
        const struct lb_mantle_key *k =
            rn_node_known_key(n, json_string_value(f));

        if (k != NULL && t == NULL && e.code == 0)
            t = build_transfer(n, at, k, to, change, amount, &e);
    }
    if (e.code != 0)
        return rn_reply_text(
            r, 400, "no ledger at tip %s: %s", at->id_hex, e.msg);
    if (t == NULL)
        return rn_reply_text(r,
                             400,
                             "insufficient funds: no funding key known to "
                             "this node holds %llu in unspent notes at %s",
                             (unsigned long long)amount,
                             at->id_hex);
    lb_mantle_hex(t->hash, 32, hash);
    if (rn_node_add_tx(n, t, NULL, &e) != 0)
        return rn_reply_text(r, 400, "transfer rejected: %s", e.msg);
    rn_reply_json(r, 201, json_pack("{s:s}", "hash", hash));
}

static void mantle_metrics(struct rn_node *n, struct rn_reply *r)
{
    rn_reply_json(r,
                  200,
                  json_pack("{s:I, s:I}",
                            "pending_items",
                            (json_int_t)n->pool_map.len,
                            "last_item_timestamp",
                            (json_int_t)n->last_item_ms));
}

static void metric(struct lb_buf *b,
                   const char *name,
                   const char *type,
                   const char *help,
                   double v)
{
    lb_buf_addf(b,
                "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n",
                name,
                help,
                name,
                type,
                name,
                v);
}

static void metrics(struct rn_node *n, struct rn_reply *r)
{
    struct rusage ru;
    long rss_pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    struct lb_buf *b = &r->body;

    if (f != NULL) {
        char line[128], *end;

        if (fgets(line, sizeof(line), f) != NULL) {
            (void)strtol(line, &end, 10); /* size, then resident */
            rss_pages = strtol(end, NULL, 10);
        }
        (void)fclose(f);
    }
    (void)getrusage(RUSAGE_SELF, &ru);
    r->status = 200;
    r->type = "text/plain; version=0.0.4";
    metric(b,
           "consensus_processed_blocks",
           "counter",
           "blocks accepted by this node (own and received)",
           (double)n->blocks_processed);
    metric(b,
           "consensus_produced_blocks_total",
           "counter",
           "blocks this node produced as slot leader",
           (double)n->blocks_produced);
    metric(b,
           "consensus_rejected_blocks_total",
           "counter",
           "blocks refused by validation",
           (double)n->blocks_rejected);
    metric(b,
           "consensus_height",
           "gauge",
           "height of the tip",
           (double)n->chain.tip->height);
    metric(
        b, "consensus_slot", "gauge", "current slot", (double)rn_node_slot(n));
    metric(b,
           "consensus_tip_slot",
           "gauge",
           "slot of the tip",
           (double)n->chain.tip->slot);
    metric(b,
           "consensus_lib_height",
           "gauge",
           "height of the LIB",
           (double)rn_chain_lib(&n->chain)->height);
    metric(b,
           "consensus_blocks_slim",
           "gauge",
           "blocks below LIB held without their text and txs (read back "
           "from the block log)",
           (double)n->chain.n_slim);
    metric(b,
           "consensus_reorgs_total",
           "counter",
           "tip switches that "
           "reverted blocks",
           (double)n->chain.reorgs);
    metric(b,
           "consensus_max_reorg_depth",
           "gauge",
           "deepest revert seen",
           (double)n->chain.max_reorg_depth);
    metric(b,
           "consensus_transactions_total",
           "counter",
           "transactions in the blocks of the selected chain",
           (double)n->txs_in_blocks);
    metric(b,
           "mempool_pending_items",
           "gauge",
           "transactions pending",
           (double)n->pool_map.len);
    metric(b,
           "network_peers",
           "gauge",
           "live peers",
           (double)rn_net_live_peers(n));
    metric(b,
           "da_shares_stored",
           "gauge",
           "DA shares held",
           (double)n->da.n_shares);
    lb_buf_addf(b,
                "# HELP da_samples_total shares of this validator's subnet "
                "sampled for the blobs of applied blocks, by result\n"
                "# TYPE da_samples_total counter\n"
                "da_samples_total{result=\"ok\"} %llu\n"
                "da_samples_total{result=\"failed\"} %llu\n",
                (unsigned long long)n->da.samples_ok,
                (unsigned long long)n->da.samples_failed);
    metric(b,
           "http_requests_total",
           "counter",
           "requests served",
           (double)n->requests_total);
    metric(b,
           "http_requests_rejected_total",
           "counter",
           "requests answered with a 4xx or 5xx status",
           (double)n->requests_bad);
    metric(b,
           "process_resident_memory_bytes",
           "gauge",
           "resident set size",
           (double)rss_pages * (double)sysconf(_SC_PAGESIZE));
    metric(b,
           "process_cpu_seconds_total",
           "counter",
           "user and system CPU",
           (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
}

static void
da_peer_list(struct rn_node *n, const char *url, json_t *j, struct rn_reply *r)
{
    const char *peer = json_string_value(j);
    size_t i;

    if (peer == NULL || *peer == '\0' || strlen(peer) >= RN_NAME_MAX)
        return rn_reply_text(r, 400, "body must be a JSON string: a peer id");
    for (i = 0; i < n->da.n_blacklist; i++)
        if (strcmp(n->da.blacklist[i], peer) == 0)
            break;
    if (strcmp(url, "/da/block-peer") == 0) {
        if (i < n->da.n_blacklist)
            return rn_reply_json(r, 200, json_false());
        if (n->da.n_blacklist >= RN_MAX_PEERS)
            return rn_reply_text(r, 400, "too many blocked peers");
        (void)snprintf(
            n->da.blacklist[n->da.n_blacklist++], RN_NAME_MAX, "%s", peer);
        return rn_reply_json(r, 200, json_true());
    }
    if (i == n->da.n_blacklist)
        return rn_reply_json(r, 200, json_false());
    memmove(n->da.blacklist[i],
            n->da.blacklist[i + 1],
            (n->da.n_blacklist - i - 1) * sizeof(n->da.blacklist[0]));
    n->da.n_blacklist--;
    rn_reply_json(r, 200, json_true());
}

static void da_stats(struct rn_node *n, const char *url, struct rn_reply *r)
{
    json_t *o = json_object();
    uint32_t s;
    size_t i;

    if (strcmp(url, "/da/blacklisted-peers") == 0) {
        json_t *a = json_array();

        for (i = 0; i < n->da.n_blacklist; i++)
            json_array_append_new(a, json_string(n->da.blacklist[i]));
        json_decref(o);
        return rn_reply_json(r, 200, a);
    }
    if (strcmp(url, "/da/balancer-stats") == 0) {
        for (s = 0; s < n->da.subnets; s++) {
            char key[16];

            (void)snprintf(key, sizeof(key), "%u", s);
            json_object_set_new(o,
                                key,
                                json_pack("{s:I, s:I}",
                                          "inbound",
                                          (json_int_t)n->da.inbound[s],
                                          "outbound",
                                          (json_int_t)n->da.outbound[s]));
        }
        return rn_reply_json(r, 200, o);
    }
    for (i = 0; i < n->n_book; i++) {
        char d[32], sm[32], rp[32];
        double dr = n->da.dispersal_total ? (double)n->da.dispersal_failed /
                                                (double)n->da.dispersal_total
                                          : 0.0;
        uint64_t st = n->da.samples_ok + n->da.samples_failed;
        double sr = st ? (double)n->da.samples_failed / (double)st : 0.0;

        if (strcmp(n->book[i].name, n->cfg.name) == 0)
            continue;
        (void)snprintf(d, sizeof(d), "%.3f", dr);
        (void)snprintf(sm, sizeof(sm), "%.3f", sr);
        (void)snprintf(rp,
                       sizeof(rp),
                       "%.3f",
                       n->book[i].repl_sent ? (double)n->book[i].repl_failed /
                                                  (double)n->book[i].repl_sent
                                            : 0.0);
        json_object_set_new(o,
                            n->book[i].name,
                            json_pack("{s:s, s:s, s:s}",
                                      "dispersal_failure_rate",
                                      d,
                                      "sampling_failure_rate",
                                      sm,
                                      "replication_failure_rate",
                                      rp));
    }
    rn_reply_json(r, 200, o);
}

static void
set_blocked(struct rn_node *n, bool block, json_t *j, struct rn_reply *r)
{
    size_t i, k;
    json_t *v;

    if (!json_is_array(j))
        return rn_reply_text(
            r, 400, "body must be a JSON array of network addresses");
    json_array_foreach(j, i, v)
    {
        struct rn_addr a;

        if (!json_is_string(v) || !rn_addr_parse(&a, json_string_value(v)))
            return rn_reply_text(r, 400, "element %zu is not an IPV4:PORT", i);
    }
    if (!block && json_array_size(j) == 0)
        n->n_blocked = 0;
    json_array_foreach(j, i, v)
    {
        const char *addr = json_string_value(v);

        for (k = 0; k < n->n_blocked; k++)
            if (strcmp(n->blocked[k], addr) == 0)
                break;
        if (block && k == n->n_blocked && n->n_blocked < RN_MAX_PEERS)
            (void)snprintf(n->blocked[n->n_blocked++], RN_ADDR_MAX, "%s", addr);
        else if (!block && k < n->n_blocked)
            memcpy(n->blocked[k], n->blocked[--n->n_blocked], RN_ADDR_MAX);
    }
    rn_log(n,
           LB_LOG_INFO,
           "%s %zu peers, %zu blocked now",
           block ? "blocked" : "unblocked",
           json_array_size(j),
           n->n_blocked);
    rn_reply_json(
        r, 200, json_pack("{s:I}", "blocked", (json_int_t)n->n_blocked));
}

static void handle_api(struct rn_node *n,
                       struct MHD_Connection *c,
                       const char *method,
                       const char *url,
                       json_t *j,
                       bool have_json,
                       struct rn_reply *r)
{
    bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;

    if (post && !have_json)
        return rn_reply_text(r, 400, "body is not valid JSON");
    if (get && strcmp(url, "/cryptarchia/info") == 0)
        return info(n, r);
    if (get && strcmp(url, "/cryptarchia/headers") == 0)
        return headers(n, c, r);
    if (post && strcmp(url, "/storage/block") == 0)
        return storage_block(n, j, r);
    if (post && strcmp(url, "/mempool/add/tx") == 0)
        return add_tx(n, j, r);
    if (get && strcmp(url, "/network/info") == 0)
        return network_info(n, r);
    if (get && strcmp(url, "/mantle/metrics") == 0)
        return mantle_metrics(n, r);
    if (get && strncmp(url, "/wallet/", 8) == 0) {
        const char *slash = strchr(url + 8, '/');
        char pk[80];

        if (slash != NULL && strcmp(slash, "/balance") == 0 &&
            (size_t)(slash - url - 8) < sizeof(pk))
        {
            memcpy(pk, url + 8, (size_t)(slash - url - 8));
            pk[slash - url - 8] = '\0';
            return balance(n, pk, r);
        }
    }
    if (post && strcmp(url, "/wallet/transactions/transfer-funds") == 0)
        return transfer(n, j, r);
    if (post && strcmp(url, "/disperse-data") == 0)
        return rn_da_disperse(n, j, r);
    if (get && (strcmp(url, "/da/balancer-stats") == 0 ||
                strcmp(url, "/da/monitor-stats") == 0 ||
                strcmp(url, "/da/blacklisted-peers") == 0))
        return da_stats(n, url, r);
    if (post && (strcmp(url, "/da/block-peer") == 0 ||
                 strcmp(url, "/da/unblock-peer") == 0))
        return da_peer_list(n, url, j, r);
    if (get && strcmp(url, "/metrics") == 0)
        return metrics(n, r);
    rn_reply_text(r, 404, "no such endpoint '%s %s'", method, url);
}

static void handle_testing(struct rn_node *n,
                           const char *method,
                           const char *url,
                           json_t *j,
                           bool have_json,
                           struct rn_reply *r)
{
    if (strcmp(method, "POST") != 0)
        return rn_reply_text(r, 404, "no such endpoint '%s %s'", method, url);
    if (!have_json)
        return rn_reply_text(r, 400, "body is not valid JSON");
    if (strcmp(url, "/test/da/membership") == 0) {
        if (!json_is_integer(j) || json_integer_value(j) < 0)
            return rn_reply_text(
                r, 400, "body must be a JSON number: the session");
        return rn_da_membership(n, (uint64_t)json_integer_value(j), r);
    }
    if (strcmp(url, "/test/network/block-peers") == 0)
        return set_blocked(n, true, j, r);
    if (strcmp(url, "/test/network/unblock-peers") == 0)
        return set_blocked(n, false, j, r);
    rn_reply_text(r, 404, "no such endpoint '%s %s'", method, url);
}

/* ---- libmicrohttpd glue ------------------------------------------------- */

static size_t body_limit(int kind, const char *url)
{
    if (kind == 2)
        return RN_NET_BODY_MAX;
    if (kind == 0 && strcmp(url, "/disperse-data") == 0)
        return 6 * (size_t)RN_BLOB_MAX;
    return RN_API_BODY_MAX;
}

static enum MHD_Result on_request(void *cls,
                                  struct MHD_Connection *c,
                                  const char *url,
                                  const char *method,
                                  const char *version,
                                  const char *upload,
                                  size_t *upload_size,
                                  void **con_cls)
{
    struct rn_listener *l = cls;
    struct rn_node *n = l->n;
    struct upload *u = *con_cls;
    struct rn_reply r = {500, "text/plain", LB_BUF_INIT};
    struct MHD_Response *resp;
    enum MHD_Result ret;

    (void)version;
    if (u == NULL) {
        u = lb_xcalloc(1, sizeof(*u));
        lb_buf_init(&u->body, 0);
        u->body.max = body_limit(l->kind, url);
        *con_cls = u;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!u->too_big && lb_buf_add(&u->body, upload, *upload_size) != 0)
            u->too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    n->requests_total++;
    if (u->too_big) {
        rn_reply_text(&r, 413, "request body over %zu bytes", u->body.max);
    } else if (l->kind == 2) {
        rn_net_handle(n, c, method, url, u->body.ptr, u->body.len, &r);
    } else {
        json_error_t je;
        json_t *j = u->body.len
                        ? json_loadb(u->body.ptr,
                                     u->body.len,
                                     JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                                     &je)
                        : NULL;

        if (l->kind == 0)
            handle_api(n, c, method, url, j, j != NULL, &r);
        else
            handle_testing(n, method, url, j, j != NULL, &r);
        json_decref(j);
    }
    if (r.status >= 400) {
        n->requests_bad++;
        rn_log(n,
               LB_LOG_DEBUG,
               "%s %s -> %u %.200s",
               method,
               url,
               r.status,
               r.body.ptr);
    }
    resp = MHD_create_response_from_buffer(
        r.body.len, r.body.ptr, MHD_RESPMEM_MUST_COPY);
    if (resp == NULL) {
        lb_buf_release(&r.body);
        return MHD_NO;
    }
    (void)MHD_add_response_header(resp, "Content-Type", r.type);
    ret = MHD_queue_response(c, r.status, resp);
    MHD_destroy_response(resp);
    lb_buf_release(&r.body);
    return ret;
}

static void on_completed(void *cls,
                         struct MHD_Connection *c,
                         void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    struct upload *u = *con_cls;

    (void)cls;
    (void)c;
    (void)code;
    if (u != NULL) {
        lb_buf_release(&u->body);
        lb_free(u);
        *con_cls = NULL;
    }
}

static struct MHD_Daemon *listen_on(struct rn_node *n,
                                    int kind,
                                    const struct rn_addr *a,
                                    struct lb_error *err)
{
    struct sockaddr_in sin;
    struct MHD_Daemon *d;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)a->port);
    (void)inet_pton(AF_INET, a->host, &sin.sin_addr);
    n->lst[kind].n = n;
    n->lst[kind].kind = kind;
    d = MHD_start_daemon(0,
                         (uint16_t)a->port,
                         NULL,
                         NULL,
                         on_request,
                         &n->lst[kind],
                         MHD_OPTION_SOCK_ADDR,
                         &sin,
                         MHD_OPTION_NOTIFY_COMPLETED,
                         on_completed,
                         NULL,
                         MHD_OPTION_CONNECTION_TIMEOUT,
                         (unsigned)60,
                         MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)900,
                         /* bodies go to our own buffers: small pools do */
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                         (size_t)16384,
                         MHD_OPTION_END);
    if (d == NULL)
        lb_error_set(
            err, LB_EIO, "cannot listen on '%s' (port in use?)", a->text);
    return d;
}

int rn_api_start(struct rn_node *n, struct lb_error *err)
{
    n->api = listen_on(n, 0, &n->cfg.api, err);
    if (n->api == NULL)
        return LB_EIO;
    n->testing = listen_on(n, 1, &n->cfg.testing, err);
    if (n->testing == NULL)
        return LB_EIO;
    n->net = listen_on(n, 2, &n->cfg.network, err);
    if (n->net == NULL)
        return LB_EIO;
    rn_log(n,
           LB_LOG_INFO,
           "listening: api %s, testing %s, network %s",
           n->cfg.api.text,
           n->cfg.testing.text,
           n->cfg.network.text);
    return 0;
}

void rn_api_stop(struct rn_node *n)
{
    if (n->api)
        MHD_stop_daemon(n->api);
    if (n->testing)
        MHD_stop_daemon(n->testing);
    if (n->net)
        MHD_stop_daemon(n->net);
    n->api = n->testing = n->net = NULL;
}
