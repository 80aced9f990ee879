/*
 * Data availability on refnode (node.h): an executor splits a blob into one
 * share per subnet, sends each share to the validators assigned to that
 * subnet (round-robin over the stake table), and submits a ChannelBlob op;
 * validators store shares and sample their own when a block carries a blob.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "node.h"

#define MAX_SHARES 4096

void rn_da_init(struct rn_node *n)
{
    size_t validators = 0, i;

    for (i = 0; i < n->cfg.n_nodes; i++)
        if (n->cfg.nodes[i].role == RN_VALIDATOR)
            validators++;
    n->da.subnets = n->cfg.da_subnets ? n->cfg.da_subnets : 1;
    (void)validators;
    n->da.inbound = lb_xcalloc(n->da.subnets, sizeof(uint64_t));
    n->da.outbound = lb_xcalloc(n->da.subnets, sizeof(uint64_t));
    n->da.blacklist = rn_reserve(RN_MAX_PEERS, sizeof(*n->da.blacklist));
}

void rn_da_release(struct rn_node *n)
{
    size_t i;

    for (i = 0; i < n->da.n_shares; i++)
        lb_buf_release(&n->da.shares[i].data);
    lb_free(n->da.shares);
    lb_free(n->da.inbound);
    lb_free(n->da.outbound);
    lb_free(n->da.blacklist);
    memset(&n->da, 0, sizeof(n->da));
}

int rn_da_subnet_of(const struct rn_node *n, const char *name, uint64_t session)
{
    size_t i, v = 0;

    /* round-robin over the validators, shifted by one subnet per session */
    for (i = 0; i < n->cfg.n_nodes; i++) {
        if (n->cfg.nodes[i].role != RN_VALIDATOR)
            continue;
        if (strcmp(n->cfg.nodes[i].name, name) == 0)
            return (int)((v + session % n->da.subnets) % n->da.subnets);
        v++;
    }
    return -1;
}

static bool blacklisted(const struct rn_node *n, const char *name)
{
    size_t i;

    for (i = 0; i < n->da.n_blacklist; i++)
        if (strcmp(n->da.blacklist[i], name) == 0)
            return true;
    return false;
}

void rn_da_membership(struct rn_node *n, uint64_t session, struct rn_reply *r)
{
    json_t *as = json_object(), *book = json_object();
    uint32_t s;
    size_t i;

    for (s = 0; s < n->da.subnets; s++) {
        char key[16];

        (void)snprintf(key, sizeof(key), "%u", s);
        json_object_set_new(as, key, json_array());
    }
    for (i = 0; i < n->cfg.n_nodes; i++) {
        const char *name = n->cfg.nodes[i].name;
        const char *addr = rn_net_book_addr(n, name);
        int sub = rn_da_subnet_of(n, name, session);
        char key[16];

        if (sub >= 0) {
            (void)snprintf(key, sizeof(key), "%d", sub);
            json_array_append_new(json_object_get(as, key), json_string(name));
        }
        if (addr != NULL)
            json_object_set_new(book, name, json_string(addr));
    }
    rn_reply_json(
        r,
        200,
        json_pack("{s:o, s:o}", "assignations", as, "addressbook", book));
}

static void send_shares(struct rn_node *n,
                        const char *blob,
                        const unsigned char *data,
                        size_t len)
{
    size_t per = (len + n->da.subnets - 1) / n->da.subnets, i;
    uint32_t s;

    for (s = 0; s < n->da.subnets; s++) {
        size_t off = per * s < len ? per * s : len;
        size_t sl = off + per <= len ? per : len - off;
        char *hex = lb_xmalloc(2 * sl + 1);
        json_t *body;
        char *text;

        lb_mantle_hex(data + off, sl, hex);
        body = json_pack("{s:s, s:I, s:s}",
                         "blob",
                         blob,
                         "subnet",
                         (json_int_t)s,
                         "data",
                         hex);
        lb_free(hex);
        text = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        for (i = 0; i < n->cfg.n_nodes; i++) {
            const char *name = n->cfg.nodes[i].name;
            const char *addr;

            if (rn_da_subnet_of(n, name, RN_DA_SESSION) != (int)s ||
                blacklisted(n, name))
                continue;
            n->da.dispersal_total++;
            addr = rn_net_book_addr(n, name);
            if (addr == NULL) {
                n->da.dispersal_failed++;
                rn_log(n, LB_LOG_WARN, "da: no address for '%s'", name);
                continue;
            }
            n->da.outbound[s]++;
            rn_net_post(
                n, addr, "/net/da/share", lb_xstrdup(text), strlen(text));
        }
        free(text);
    }
}

void rn_da_disperse(struct rn_node *n, const json_t *req, struct rn_reply *r)
{
    const char *channel = json_string_value(json_object_get(req, "channel_id"));
    const char *parent =
        json_string_value(json_object_get(req, "parent_msg_id"));
    const char *signer = json_string_value(json_object_get(req, "signer"));
    const json_t *data = json_object_get(req, "data"), *v;
    const struct lb_mantle_key *k;
    const struct lb_mantle_key *keys[1];
    unsigned char *bytes, h[32];
    char blob[65];
    struct lb_error e;
    json_t *tx, *signed_tx;
    struct rn_tx *t;
    size_t i, len;

    if (n->cfg.role != RN_EXECUTOR)
        return rn_reply_text(r, 400, "'%s' is not an executor", n->cfg.name);
    if (!json_is_object(req) || !lb_mantle_is_id(channel) ||
        !lb_mantle_is_id(parent) || !lb_mantle_is_id(signer) ||
        !json_is_array(data))
        return rn_reply_text(r,
                             400,
                             "need channel_id, parent_msg_id and signer (64 "
                             "hex each) and data (array of bytes)");
    len = json_array_size(data);
    if (len == 0 || len > RN_BLOB_MAX)
        return rn_reply_text(r, 400, "data must hold 1..%u bytes", RN_BLOB_MAX);
    bytes = lb_xmalloc(len);
    json_array_foreach(data, i, v)
    {
        uint64_t b;

        if (!lb_mantle_get_u64(v, &b) || b > 255) {
            lb_free(bytes);
            return rn_reply_text(r, 400, "data[%zu] is not a byte", i);
        }
        bytes[i] = (unsigned char)b;
    }
    {
        struct lb_buf pre = LB_BUF_INIT;

        lb_buf_adds(&pre, "logos-bdd/blob/v1");
        lb_buf_add(&pre, bytes, len);
        lb_mantle_sha256(pre.ptr, pre.len, h);
        lb_buf_release(&pre);
    }
    lb_mantle_hex(h, 32, blob);
    send_shares(n, blob, bytes, len);
    lb_free(bytes);
    /* an unknown signer cannot sign here: the executor signs as itself */
    k = rn_node_known_key(n, signer);
    if (k == NULL)
        k = &n->key;
    keys[0] = k;
    tx = lb_mantle_tx_new(NULL, 0, NULL, 0, NULL);
    json_array_append_new(
        json_object_get(tx, "ops"),
        lb_mantle_blob_op_new(
            channel, RN_DA_SESSION, blob, len, parent, k->pk_hex));
    lb_error_init(&e);
    signed_tx = lb_mantle_sign_tx(tx, NULL, keys, &e);
    t = signed_tx ? rn_tx_parse(signed_tx, &e) : NULL;
    json_decref(signed_tx);
    if (t == NULL)
        return rn_reply_text(r, 500, "cannot build the blob op: %s", e.msg);
    if (rn_node_add_tx(n, t, NULL, &e) != 0)
        return rn_reply_text(r, 400, "blob op rejected: %s", e.msg);
    rn_log(n, LB_LOG_INFO, "da: dispersed blob %s (%zu bytes)", blob, len);
    rn_reply_json(r, 200, json_string(blob));
}

/*
 * A share from an executor goes on to the other members of its subnet
 * (marked as a replica, which is not passed on again): a member the
 * executor could not reach still gets it. Members that have it answer
 * without storing twice. Each post's outcome counts for the member's
 * replication_failure_rate (/da/monitor-stats).
 */
static void
replicate(struct rn_node *n, const char *blob, uint32_t subnet, const char *hex)
{
    json_t *body = json_pack("{s:s, s:I, s:s, s:b}",
                             "blob",
                             blob,
                             "subnet",
                             (json_int_t)subnet,
                             "data",
                             hex,
                             "replica",
                             1);
    char *text = json_dumps(body, JSON_COMPACT);
    size_t i, j;

    json_decref(body);
    for (i = 0; text != NULL && i < n->cfg.n_nodes; i++) {
        const char *name = n->cfg.nodes[i].name;

        if (strcmp(name, n->cfg.name) == 0 ||
            rn_da_subnet_of(n, name, RN_DA_SESSION) != (int)subnet ||
            blacklisted(n, name))
            continue;
        for (j = 0; j < n->n_book; j++)
            if (strcmp(n->book[j].name, name) == 0)
                break;
        if (j == n->n_book)
            continue; /* no address yet: nothing to count it against */
        n->book[j].repl_sent++;
        rn_net_post_replica(n, n->book[j].addr, lb_xstrdup(text), strlen(text));
    }
    free(text);
}

void rn_da_store_share(struct rn_node *n, const json_t *req, struct rn_reply *r)
{
    const char *blob = json_string_value(json_object_get(req, "blob"));
    const char *hex = json_string_value(json_object_get(req, "data"));
    struct rn_share *s;
    uint64_t subnet;
    size_t len;

    const json_t *replica = json_object_get(req, "replica");
    size_t i;

    if (!lb_mantle_is_id(blob) || hex == NULL || strlen(hex) % 2 != 0 ||
        !lb_mantle_get_u64(json_object_get(req, "subnet"), &subnet) ||
        subnet >= n->da.subnets ||
        (replica != NULL && !json_is_boolean(replica)))
        return rn_reply_text(
            r, 400, "a share needs blob, subnet and data (and replica: bool)");
    for (i = 0; i < n->da.n_shares; i++)
        if (n->da.shares[i].subnet == subnet &&
            strcmp(n->da.shares[i].blob, blob) == 0)
            return rn_reply_json(r, 200, json_true()); /* have it */
    len = strlen(hex) / 2;
    if (n->da.n_shares == n->da.cap_shares) {
        if (n->da.cap_shares >= MAX_SHARES) {
            /* full: forget the oldest share */
            lb_buf_release(&n->da.shares[0].data);
            memmove(n->da.shares,
                    n->da.shares + 1,
                    (n->da.n_shares - 1) * sizeof(*n->da.shares));
            n->da.n_shares--;
        } else {
            n->da.cap_shares = n->da.cap_shares ? 2 * n->da.cap_shares : 16;
            n->da.shares = lb_xrealloc(
                n->da.shares, n->da.cap_shares * sizeof(*n->da.shares));
        }
    }
    s = &n->da.shares[n->da.n_shares];
    memset(s, 0, sizeof(*s));
    memcpy(s->blob, blob, 65);
    s->subnet = (uint32_t)subnet;
    lb_buf_grow(&s->data, len);
    if (!lb_mantle_unhex(hex, (unsigned char *)s->data.ptr, len)) {
        lb_buf_release(&s->data);
        return rn_reply_text(r, 400, "share data is not hex");
    }
    lb_buf_setlen(&s->data, len);
    n->da.n_shares++;
    n->da.inbound[subnet]++;
    if (!json_is_true(replica))
        replicate(n, blob, (uint32_t)subnet, hex);
    rn_reply_json(r, 200, json_true());
}

void rn_da_replica_done(struct rn_node *n, const char *addr, bool ok)
{
    size_t i;

    for (i = 0; i < n->n_book; i++)
        if (strcmp(n->book[i].addr, addr) == 0) {
            n->book[i].repl_failed += !ok;
            return;
        }
}

void rn_da_on_block(struct rn_node *n, const struct rn_block *b)
{
    int mine = rn_da_subnet_of(n, n->cfg.name, RN_DA_SESSION);
    size_t i, j, k;

    if (mine < 0)
        return;
    for (i = 0; i < b->n_txs; i++)
        for (j = 0; j < b->txs[i]->n_blobs; j++) {
            bool found = false;

            for (k = 0; k < n->da.n_shares && !found; k++)
                found =
                    strcmp(n->da.shares[k].blob, b->txs[i]->blobs[j]) == 0 &&
                    n->da.shares[k].subnet == (uint32_t)mine;
            if (found)
                n->da.samples_ok++;
            else
                n->da.samples_failed++;
        }
}
