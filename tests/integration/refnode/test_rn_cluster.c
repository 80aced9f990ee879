/*
 * refnode clusters of real processes on loopback: consensus in a star,
 * transactions, hostile requests, DA dispersal.
 */
#include "lb_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "config.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/time.h"
#include "net/mantle.h"
#include "rn_harness.h"

static struct rn_h cluster;

static int teardown(void **state)
{
    (void)state;
    rn_h_stop(&cluster);
    return 0;
}

/* All nodes agree on every block but the last k of the shortest chain. */
static void assert_common_prefix(struct rn_h *h, size_t n)
{
    json_t *chains[8];
    size_t i, min = SIZE_MAX, ht;

    for (i = 0; i < n; i++) {
        chains[i] = rn_h_chain(h, i);
        assert_non_null(chains[i]);
        if (json_array_size(chains[i]) < min)
            min = json_array_size(chains[i]);
    }
    assert_true(min > h->c.k);
    for (ht = 0; ht + h->c.k < min; ht++)
        for (i = 1; i < n; i++)
            if (!json_equal(json_array_get(chains[0], ht),
                            json_array_get(chains[i], ht)))
                fail_msg("nodes 0 and %zu differ at height %zu", i, ht);
    for (i = 0; i < n; i++)
        json_decref(chains[i]);
}

static void test_rn_cluster_star_reaches_height_and_agrees(void **state)
{
    json_t *net;

    (void)state;
    rn_h_start(&cluster, 3, 0, 100, 0.9, "star");
    assert_true(rn_h_wait_height(&cluster, 3, 20, 30000));
    assert_common_prefix(&cluster, 3);
    net = rn_h_get_json(&cluster, 0, "/network/info");
    assert_int_equal(json_integer_value(json_object_get(net, "n_peers")), 2);
    json_decref(net);
    net = rn_h_get_json(&cluster, 1, "/network/info");
    assert_int_equal(json_integer_value(json_object_get(net, "n_peers")), 1);
    json_decref(net);
    cluster.ok = true;
}

static uint64_t balance_of(struct rn_h *h, size_t i, const char *pk)
{
    char path[128];
    json_t *j;
    uint64_t b;

    (void)snprintf(path, sizeof(path), "/wallet/%s/balance", pk);
    j = rn_h_get_json(h, i, path);
    assert_non_null(j);
    b = (uint64_t)json_integer_value(json_object_get(j, "balance"));
    json_decref(j);
    return b;
}

static long post_json(struct rn_h *h, size_t i, json_t *v, struct lb_buf *out)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    long st =
        rn_h_http(h, i, false, "POST", "/mempool/add/tx", s, strlen(s), out);

    free(s);
    return st;
}

static void test_rn_cluster_transactions_change_balances(void **state)
{
    struct lb_mantle_key alice, bob;
    struct lb_mantle_output out[2];
    struct lb_buf body = LB_BUF_INIT;
    char note[65];
    const char *in[1] = {note};
    json_t *tx, *dbl;
    uint64_t before;
    int tries;
    size_t i;

    (void)state;
    rn_h_start(&cluster, 3, 0, 100, 0.9, "star");
    assert_int_equal(
        lb_mantle_key_init(&alice, cluster.c.seed, "wallet-user-0", NULL), 0);
    assert_int_equal(
        lb_mantle_key_init(&bob, cluster.c.seed, "wallet-user-1", NULL), 0);
    assert_int_equal(balance_of(&cluster, 2, alice.pk_hex), 1000);
    before = balance_of(&cluster, 2, bob.pk_hex);
    assert_int_equal(before, 1000);
    /* note 0 of alice holds 100: 60 to bob, 40 back */
    lb_mantle_genesis_note_id(cluster.c.seed, "wallet-user-0", 0, note);
    out[0].value = 60;
    memcpy(out[0].pk_hex, bob.pk_hex, 65);
    out[1].value = 40;
    memcpy(out[1].pk_hex, alice.pk_hex, 65);
    tx = lb_mantle_transfer_new(in, 1, out, 2, &alice, NULL);
    assert_non_null(tx);
    assert_int_equal(post_json(&cluster, 1, tx, &body), 200);
    /* the same note spent differently: a double spend */
    out[0].value = 100;
    dbl = lb_mantle_transfer_new(in, 1, out, 1, &alice, NULL);
    assert_int_equal(post_json(&cluster, 1, dbl, &body), 400);
    assert_non_null(strstr(body.ptr, "spent"));
    /* signed by the wrong key */
    json_decref(dbl);
    dbl = lb_mantle_transfer_new(in, 1, out, 1, &bob, NULL);
    assert_int_equal(post_json(&cluster, 2, dbl, &body), 400);
    json_decref(dbl);
    for (tries = 0; tries < 200; tries++) {
        size_t done = 0;

        for (i = 0; i < 3; i++)
            if (balance_of(&cluster, i, bob.pk_hex) == before + 60 &&
                balance_of(&cluster, i, alice.pk_hex) == 1000 - 60)
                done++;
        if (done == 3)
            break;
        rn_h_sleep_ms(50);
    }
    assert_true(tries < 200);
    /* once included, submitting again is refused */
    assert_int_equal(post_json(&cluster, 0, tx, &body), 400);
    json_decref(tx);
    /* transfer-funds builds and signs with the node's knowledge of keys */
    {
        char req[512];

        (void)snprintf(req,
                       sizeof(req),
                       "{\"change_public_key\": \"%s\", "
                       "\"funding_public_keys\": [\"%s\"], "
                       "\"recipient_public_key\": \"%s\", \"amount\": 150}",
                       bob.pk_hex,
                       bob.pk_hex,
                       alice.pk_hex);
        assert_int_equal(rn_h_http(&cluster,
                                   0,
                                   false,
                                   "POST",
                                   "/wallet/transactions/transfer-funds",
                                   req,
                                   strlen(req),
                                   &body),
                         201);
        assert_non_null(strstr(body.ptr, "\"hash\""));
    }
    for (tries = 0; tries < 200; tries++) {
        if (balance_of(&cluster, 2, alice.pk_hex) == 1000 - 60 + 150)
            break;
        rn_h_sleep_ms(50);
    }
    assert_true(tries < 200);
    lb_buf_release(&body);
    lb_mantle_key_release(&alice);
    lb_mantle_key_release(&bob);
    cluster.ok = true;
}

struct hostile {
    int lst;
    const char *method, *path, *body;
    long status;
};

/* Blocks from the future and with forged lottery proofs, on the network. */
static void forged_blocks(struct rn_h *h)
{
    struct rn_config cfg;
    struct rn_chain c;
    struct lb_mantle_key v0, mallory;
    struct lb_buf out = LB_BUF_INIT;
    unsigned char proof[64];
    struct rn_block *b;
    char path[512];
    uint64_t now, s;

    (void)snprintf(path, sizeof(path), "%s/validator-0/config.yaml", h->root);
    assert_int_equal(rn_config_load(&cfg, path, NULL), 0);
    assert_int_equal(rn_chain_init(&c, &cfg, NULL), 0);
    assert_int_equal(lb_mantle_key_init(&v0, h->c.seed, "validator-0", NULL),
                     0);
    assert_int_equal(lb_mantle_key_init(&mallory, h->c.seed, "mallory", NULL),
                     0);
    now =
        (uint64_t)(lb_time_wall_ns() / 1000000 - h->c.start_ms) / h->c.slot_ms;
    /* a real winning proof, but 100 slots ahead */
    for (s = now + 100; !rn_lottery_try(&c, &v0, s, proof); s++)
        ;
    b = rn_block_build(&c, &v0, s, proof, NULL, 0);
    assert_int_equal(
        rn_h_http(h, 0, 2, "POST", "/net/block", b->text, b->text_len, &out),
        400);
    assert_non_null(strstr(out.ptr, "future"));
    rn_block_free(b);
    /* a slot the leader lost: its signature is real, the draw is not */
    for (s = 1; rn_lottery_try(&c, &v0, s, proof); s++)
        ;
    if (s > now)
        rn_h_sleep_ms((long)((s - now + 1) * h->c.slot_ms));
    b = rn_block_build(&c, &v0, s, proof, NULL, 0);
    assert_int_equal(
        rn_h_http(h, 0, 2, "POST", "/net/block", b->text, b->text_len, &out),
        400);
    if (strstr(out.ptr, "lottery") == NULL)
        fail_msg("forged proof: %s", out.ptr);
    rn_block_free(b);
    /* a key outside the stake table */
    memset(proof, 0, sizeof(proof));
    b = rn_block_build(&c, &mallory, 1, proof, NULL, 0);
    assert_int_equal(
        rn_h_http(h, 0, 2, "POST", "/net/block", b->text, b->text_len, &out),
        400);
    rn_block_free(b);
    lb_mantle_key_release(&v0);
    lb_mantle_key_release(&mallory);
    rn_chain_release(&c);
    rn_config_release(&cfg);
    lb_buf_release(&out);
}

static void test_rn_cluster_hostile_requests_get_4xx(void **state)
{
    static const struct hostile table[] = {
        {false, "POST", "/mempool/add/tx", "{", 400},
        {false, "POST", "/mempool/add/tx", "[]", 400},
        {false, "POST", "/mempool/add/tx", "{\"mantle_tx\": 5}", 400},
        {false,
         "POST",
         "/mempool/add/tx",
         "{\"mantle_tx\": {\"ops\": [], \"ledger_tx\": {\"inputs\": [], "
         "\"outputs\": [{\"value\": 5, \"pk\": \"00\"}]}, "
         "\"execution_gas_price\": 0, \"storage_gas_price\": 0}, "
         "\"ops_proofs\": [], \"ledger_tx_proof\": \"NoProof\"}",
         400},
        {false, "POST", "/mempool/add/tx", "\"\\u0000\"", 400},
        {false, "POST", "/mempool/add/tx", "", 400},
        {false, "POST", "/storage/block", "42", 400},
        {false, "POST", "/storage/block", "\"zz\"", 400},
        {false,
         "POST",
         "/storage/block",
         "\"0000000000000000000000000000000000000000000000000000000000000001\"",
         200},
        {false, "GET", "/cryptarchia/headers?from=nothex", NULL, 400},
        {false,
         "GET",
         "/cryptarchia/headers?from="
         "1111111111111111111111111111111111111111111111111111111111111111",
         NULL,
         404},
        {false, "GET", "/wallet/xyz/balance", NULL, 400},
        {false, "GET", "/no/such/thing", NULL, 404},
        {false, "DELETE", "/cryptarchia/info", NULL, 404},
        {false, "POST", "/disperse-data", "{\"data\": [1]}", 400},
        {false, "POST", "/da/block-peer", "17", 400},
        {false, "POST", "/wallet/transactions/transfer-funds", "{}", 400},
        {true, "POST", "/test/network/block-peers", "[\"nope\"]", 400},
        {true, "POST", "/test/network/block-peers", "{}", 400},
        {true, "POST", "/test/da/membership", "\"x\"", 400},
        {true, "GET", "/test/da/membership", NULL, 404},
        {2, "POST", "/net/block", "{}", 400},
        {2, "POST", "/net/block", "\xff\xfe", 400},
        {2, "POST", "/net/hello", "{\"addr\": 5}", 400},
        {2, "GET", "/net/blocks?id=zz", NULL, 400},
        {2, "POST", "/net/txs", "[1, {\"mantle_tx\": null}]", 200},
        {2, "POST", "/net/da/share", "{\"blob\": \"x\"}", 400},
    };
    struct lb_buf big = LB_BUF_INIT, out = LB_BUF_INIT;
    uint64_t h1 = 0, h2 = 0;
    char tip[65];
    size_t i;

    (void)state;
    rn_h_start(&cluster, 1, 0, 100, 0.9, "star");
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        const struct hostile *t = &table[i];
        long st = rn_h_http(&cluster,
                            0,
                            t->lst,
                            t->method,
                            t->path,
                            t->body,
                            t->body ? strlen(t->body) : 0,
                            &out);

        if (st != t->status)
            fail_msg("%s %s %s: got %ld, want %ld (%s)",
                     t->method,
                     t->path,
                     t->body ? t->body : "",
                     st,
                     t->status,
                     out.ptr);
        if (st >= 400)
            assert_true(out.len > 0); /* a reason */
    }
    /* an oversized body */
    for (i = 0; i < (2u << 20) / 8; i++)
        lb_buf_adds(&big, "[[[[[[[[");
    assert_int_equal(rn_h_http(&cluster,
                               0,
                               false,
                               "POST",
                               "/mempool/add/tx",
                               big.ptr,
                               big.len,
                               &out),
                     413);
    forged_blocks(&cluster);
    /* every refusal counted */
    {
        size_t bad = 0;
        const char *m;

        for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
            bad += table[i].status >= 400;
        assert_int_equal(
            rn_h_http(&cluster, 0, false, "GET", "/metrics", NULL, 0, &out),
            200);
        m = strstr(out.ptr, "\nhttp_requests_rejected_total ");
        assert_non_null(m);
        /* the table, the oversized body and three forged blocks */
        assert_true(strtod(m + 30, NULL) >= (double)(bad + 4));
    }
    /* the node is still alive and producing */
    assert_true(rn_h_info(&cluster, 0, &h1, tip, NULL));
    rn_h_sleep_ms(500);
    assert_true(rn_h_info(&cluster, 0, &h2, tip, NULL));
    assert_true(h2 > h1);
    lb_buf_release(&big);
    lb_buf_release(&out);
    cluster.ok = true;
}

static bool chain_has_blob(struct rn_h *h, size_t node, const char *blob)
{
    json_t *chain = rn_h_chain(h, node);
    size_t i;
    bool found = false;

    for (i = 1; chain != NULL && i < json_array_size(chain) && !found; i++) {
        char *q = json_dumps(json_array_get(chain, i), JSON_ENCODE_ANY);
        struct lb_buf out = LB_BUF_INIT;

        if (rn_h_http(
                h, node, false, "POST", "/storage/block", q, strlen(q), &out) ==
                200 &&
            strstr(out.ptr, blob) != NULL && strstr(out.ptr, "\"opcode\":1"))
            found = true;
        free(q);
        lb_buf_release(&out);
    }
    json_decref(chain);
    return found;
}

static void test_rn_cluster_executor_disperses_a_blob(void **state)
{
    struct lb_buf out = LB_BUF_INIT, req = LB_BUF_INIT;
    struct lb_mantle_key ex;
    json_t *blob, *stats;
    char id[65];
    int tries;
    size_t i;

    (void)state;
    rn_h_start(&cluster, 3, 1, 100, 0.9, "star");
    assert_true(rn_h_wait_height(&cluster, 3, 2, 20000));
    rn_h_sleep_ms(1500); /* hellos spread the address book */
    assert_int_equal(
        lb_mantle_key_init(&ex, cluster.c.seed, "executor-0", NULL), 0);
    lb_buf_addf(&req,
                "{\"channel_id\": \"%064d\", \"parent_msg_id\": \"%064d\", "
                "\"signer\": \"%s\", \"data\": [",
                7,
                0,
                ex.pk_hex);
    for (i = 0; i < 1000; i++)
        lb_buf_addf(&req, "%s%zu", i ? "," : "", i % 256);
    lb_buf_adds(&req, "]}");
    /* a validator is no executor */
    assert_int_equal(rn_h_http(&cluster,
                               0,
                               false,
                               "POST",
                               "/disperse-data",
                               req.ptr,
                               req.len,
                               &out),
                     400);
    assert_int_equal(rn_h_http(&cluster,
                               2,
                               false,
                               "POST",
                               "/disperse-data",
                               req.ptr,
                               req.len,
                               &out),
                     200);
    blob = json_loads(out.ptr, JSON_DECODE_ANY, NULL);
    assert_true(json_is_string(blob));
    (void)snprintf(id, sizeof(id), "%s", json_string_value(blob));
    json_decref(blob);
    assert_true(lb_mantle_is_id(id));
    for (tries = 0; tries < 60 && !chain_has_blob(&cluster, 0, id); tries++)
        rn_h_sleep_ms(100);
    assert_true(tries < 60);
    /* both validators got a share: one subnet each */
    for (i = 0; i < 2; i++) {
        stats = rn_h_get_json(&cluster, i, "/da/balancer-stats");
        assert_non_null(stats);
        assert_int_equal(
            json_integer_value(json_object_get(
                json_object_get(stats, i == 0 ? "0" : "1"), "inbound")),
            1);
        json_decref(stats);
    }
    stats = NULL;
    assert_int_equal(
        rn_h_http(
            &cluster, 0, true, "POST", "/test/da/membership", "0", 1, &out),
        200);
    assert_non_null(strstr(out.ptr, "\"validator-1\""));
    /* membership rotates with the session, the same for the same one */
    {
        json_t *m0 = json_loadb(out.ptr, out.len, 0, NULL), *m1, *again;

        assert_int_equal(
            rn_h_http(
                &cluster, 1, true, "POST", "/test/da/membership", "1", 1, &out),
            200);
        m1 = json_loadb(out.ptr, out.len, 0, NULL);
        assert_int_equal(
            rn_h_http(
                &cluster, 0, true, "POST", "/test/da/membership", "1", 1, &out),
            200);
        again = json_loadb(out.ptr, out.len, 0, NULL);
        assert_non_null(m0);
        assert_non_null(m1);
        assert_true(json_equal(json_object_get(m1, "assignations"),
                               json_object_get(again, "assignations")));
        assert_true(json_equal(
            json_object_get(json_object_get(m0, "assignations"), "0"),
            json_object_get(json_object_get(m1, "assignations"), "1")));
        assert_false(json_equal(json_object_get(m0, "assignations"),
                                json_object_get(m1, "assignations")));
        json_decref(m0);
        json_decref(m1);
        json_decref(again);
    }
    assert_int_equal(
        rn_h_http(&cluster, 0, false, "GET", "/metrics", NULL, 0, &out), 200);
    assert_non_null(strstr(out.ptr, "da_shares_stored 1\n"));
    assert_non_null(
        strstr(out.ptr, "# TYPE consensus_processed_blocks counter"));
    lb_mantle_key_release(&ex);
    lb_buf_release(&out);
    lb_buf_release(&req);
    cluster.ok = true;
}

/*
 * Pulls: GET /net/blocks answers newest first and stops at the first block
 * that is, or leads to, one of `have` (ids the node does not know are
 * skipped), or at `max`.
 */
static void
expect_pull(json_t *chain, const char *query, size_t from, size_t count)
{
    struct lb_buf out = LB_BUF_INIT, path = LB_BUF_INIT;
    json_t *arr;
    size_t i;

    lb_buf_addf(&path,
                "/net/blocks?id=%s%s",
                json_string_value(json_array_get(chain, from)),
                query);
    assert_int_equal(rn_h_http(&cluster, 0, 2, "GET", path.ptr, NULL, 0, &out),
                     200);
    arr = json_loadb(out.ptr, out.len, 0, NULL);
    assert_true(json_is_array(arr));
    if (json_array_size(arr) != count)
        fail_msg(
            "%s: %zu blocks, not %zu", path.ptr, json_array_size(arr), count);
    for (i = 0; i < count; i++) {
        unsigned char id[32];
        char hex[65];

        assert_true(rn_block_peek_id(json_array_get(arr, i), id));
        lb_mantle_hex(id, 32, hex);
        assert_string_equal(hex,
                            json_string_value(json_array_get(chain, from - i)));
    }
    json_decref(arr);
    lb_buf_release(&out);
    lb_buf_release(&path);
}

static void test_rn_cluster_pull_stops_at_what_the_asker_has(void **state)
{
    json_t *chain;
    char q[400];
    const char *h2, *h4, *h6;

    (void)state;
    rn_h_start(&cluster, 1, 0, 100, 0.9, "star");
    assert_true(rn_h_wait_height(&cluster, 1, 6, 30000));
    chain = rn_h_chain(&cluster, 0);
    assert_non_null(chain);
    h2 = json_string_value(json_array_get(chain, 2));
    h4 = json_string_value(json_array_get(chain, 4));
    h6 = json_string_value(json_array_get(chain, 6));
    expect_pull(chain, "&max=256", 6, 6);
    expect_pull(chain, "&max=2", 6, 2);
    (void)snprintf(q, sizeof(q), "&max=256&have=%s", h2);
    expect_pull(chain, q, 6, 4);
    (void)snprintf(q, sizeof(q), "&have=%064d,%s,%s", 0, h4, h2);
    expect_pull(chain, q, 6, 2);
    (void)snprintf(q, sizeof(q), "&have=%s", h6);
    expect_pull(chain, q, 6, 0);
    /* a `have` above the asked block leads to it: nothing to send */
    (void)snprintf(q, sizeof(q), "&have=%s", h6);
    expect_pull(chain, q, 4, 0);
    expect_pull(chain, "&have=,,zz,", 3, 3);
    json_decref(chain);
    cluster.ok = true;
}

/* A share posted as by an executor to one member of a subnet (session 0). */
static void post_share(size_t node, const char *blob, const char *replica)
{
    struct lb_buf body = LB_BUF_INIT;

    lb_buf_addf(&body,
                "{\"blob\": \"%s\", \"subnet\": 0, \"data\": \"00ff\"%s}",
                blob,
                replica);
    assert_int_equal(rn_h_http(&cluster,
                               node,
                               2,
                               "POST",
                               "/net/da/share",
                               body.ptr,
                               body.len,
                               NULL),
                     200);
    lb_buf_release(&body);
}

static const char *replication_rate(size_t node, const char *peer)
{
    static char rate[16];
    json_t *st = rn_h_get_json(&cluster, node, "/da/monitor-stats");
    const char *v = json_string_value(
        json_object_get(json_object_get(st, peer), "replication_failure_rate"));

    (void)snprintf(rate, sizeof(rate), "%s", v ? v : "(none)");
    json_decref(st);
    return rate;
}

static uint64_t inbound_of(size_t node, const char *subnet)
{
    json_t *st = rn_h_get_json(&cluster, node, "/da/balancer-stats");
    uint64_t v = (uint64_t)json_integer_value(
        json_object_get(json_object_get(st, subnet), "inbound"));

    json_decref(st);
    return v;
}

/*
 * Validators 0 and 2 share subnet 0: a share from an executor to 0 is
 * replicated to 2 (once: a replica is not passed on, a copy held is not
 * stored twice); a replica that cannot go (2 blocked) counts as a
 * replication failure for 2.
 */
static void test_rn_cluster_da_shares_replicate_within_a_subnet(void **state)
{
    char blob[65], addr[64];
    int tries;

    (void)state;
    rn_h_start(&cluster, 3, 0, 100, 0.9, "star");
    assert_true(rn_h_wait_height(&cluster, 3, 2, 20000));
    rn_h_sleep_ms(1500); /* hellos spread the address book */
    (void)snprintf(blob, sizeof(blob), "%064d", 1);
    post_share(0, blob, "");
    for (tries = 0; tries < 50 && inbound_of(2, "0") < 1; tries++)
        rn_h_sleep_ms(100);
    assert_int_equal(inbound_of(2, "0"), 1);
    assert_int_equal(inbound_of(0, "0"), 1);
    assert_string_equal(replication_rate(0, "validator-2"), "0.000");
    /* the same share again, as a replica: held already, not counted */
    post_share(2, blob, ", \"replica\": true");
    assert_int_equal(inbound_of(2, "0"), 1);
    /* validator 1 is in subnet 1: nothing went there */
    assert_int_equal(inbound_of(1, "0"), 0);
    (void)snprintf(
        addr, sizeof(addr), "[\"127.0.0.1:%u\"]", cluster.c.nodes[2].network);
    assert_int_equal(rn_h_http(&cluster,
                               0,
                               true,
                               "POST",
                               "/test/network/block-peers",
                               addr,
                               strlen(addr),
                               NULL),
                     200);
    (void)snprintf(blob, sizeof(blob), "%064d", 2);
    post_share(0, blob, "");
    assert_string_equal(replication_rate(0, "validator-2"), "0.500");
    assert_int_equal(inbound_of(2, "0"), 1);
    cluster.ok = true;
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(
            test_rn_cluster_star_reaches_height_and_agrees, teardown),
        cmocka_unit_test_teardown(test_rn_cluster_transactions_change_balances,
                                  teardown),
        cmocka_unit_test_teardown(test_rn_cluster_hostile_requests_get_4xx,
                                  teardown),
        cmocka_unit_test_teardown(
            test_rn_cluster_pull_stops_at_what_the_asker_has, teardown),
        cmocka_unit_test_teardown(
            test_rn_cluster_da_shares_replicate_within_a_subnet, teardown),
        cmocka_unit_test_teardown(test_rn_cluster_executor_disperses_a_blob,
                                  teardown),
    };
    return cmocka_run_group_tests_name("rn_cluster", tests, NULL, NULL);
}
