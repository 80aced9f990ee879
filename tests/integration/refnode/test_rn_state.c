/*
 * refnode's state across restarts and over time, with real processes: DA
 * shares survive a SIGKILL (and a torn last record of the share log), the
 * wallet builds transfers at a given tip, and blocks below LIB are served
 * from the block log after their text left memory.
 */
#include "lb_test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chain.h"
#include "core/buf.h"
#include "net/mantle.h"
#include "rn_harness.h"

static struct rn_h cluster;

static int teardown(void **state)
{
    (void)state;
    rn_h_stop(&cluster);
    return 0;
}

/* The value of the metric line `name` (labels included) of node `i`. */
static double metric_of(size_t i, const char *name)
{
    struct lb_buf out = LB_BUF_INIT, line = LB_BUF_INIT;
    double v = -1;
    const char *p;

    lb_buf_addf(&line, "\n%s ", name);
    if (rn_h_http(&cluster, i, false, "GET", "/metrics", NULL, 0, &out) ==
            200 &&
        (p = strstr(out.ptr, line.ptr)) != NULL)
        v = strtod(p + line.len, NULL);
    lb_buf_release(&out);
    lb_buf_release(&line);
    return v;
}

static void node_file(size_t i, const char *rel, char *path, size_t size)
{
    (void)snprintf(
        path, size, "%s/%s/%s", cluster.root, cluster.c.nodes[i].name, rel);
}

/* Block `id` (64 hex) of node `i` as its JSON text, or "" when unknown. */
static void storage_block(size_t i, const char *id, struct lb_buf *out)
{
    char q[70];

    (void)snprintf(q, sizeof(q), "\"%s\"", id);
    assert_int_equal(
        rn_h_http(&cluster, i, false, "POST", "/storage/block", q, 66, out),
        200);
}

static bool chain_has_blob(size_t node, const char *blob)
{
    json_t *chain = rn_h_chain(&cluster, node);
    struct lb_buf out = LB_BUF_INIT;
    size_t i;
    bool found = false;

    for (i = 1; chain != NULL && i < json_array_size(chain) && !found; i++) {
        storage_block(node, json_string_value(json_array_get(chain, i)), &out);
        found = strstr(out.ptr, blob) != NULL;
    }
    lb_buf_release(&out);
    json_decref(chain);
    return found;
}

/*
 * Disperses 300 bytes (made from `seed`) through executor `ex`, expecting
 * HTTP `status`; on 200 the blob id goes to `id`.
 */
static void disperse_expect(size_t ex, unsigned seed, char id[65], long status)
{
    struct lb_buf req = LB_BUF_INIT, out = LB_BUF_INIT;
    struct lb_mantle_key k;
    json_t *blob;
    size_t i;

    assert_int_equal(lb_mantle_key_init(&k, cluster.c.seed, "executor-0", NULL),
                     0);
    lb_buf_addf(&req,
                "{\"channel_id\": \"%064u\", \"parent_msg_id\": \"%064d\", "
                "\"signer\": \"%s\", \"data\": [",
                seed,
                0,
                k.pk_hex);
    for (i = 0; i < 300; i++)
        lb_buf_addf(&req, "%s%zu", i ? "," : "", (i * seed) % 256);
    lb_buf_adds(&req, "]}");
    if (rn_h_http(&cluster,
                  ex,
                  false,
                  "POST",
                  "/disperse-data",
                  req.ptr,
                  req.len,
                  &out) != status)
        fail_msg("disperse-data: not %ld: %s", status, out.ptr);
    if (status == 200) {
        blob = json_loads(out.ptr, JSON_DECODE_ANY, NULL);
        assert_true(json_is_string(blob));
        (void)snprintf(id, 65, "%s", json_string_value(blob));
        json_decref(blob);
    }
    lb_mantle_key_release(&k);
    lb_buf_release(&req);
    lb_buf_release(&out);
}

static void disperse(size_t ex, unsigned seed, char id[65])
{
    disperse_expect(ex, seed, id, 200);
}

/* Shares executor `ex` sent, over all subnets (/da/balancer-stats). */
static uint64_t outbound_of(size_t ex)
{
    json_t *st = rn_h_get_json(&cluster, ex, "/da/balancer-stats"), *v;
    const char *key;
    uint64_t sum = 0;

    assert_non_null(st);
    json_object_foreach(st, key, v)
    {
        sum += (uint64_t)json_integer_value(json_object_get(v, "outbound"));
    }
    json_decref(st);
    return sum;
}

static void wait_blob(size_t node, const char *id)
{
    int tries;

    for (tries = 0; tries < 100 && !chain_has_blob(node, id); tries++)
        rn_h_sleep_ms(100);
    if (tries == 100)
        fail_msg("blob %s not in the chain of node %zu", id, node);
}

static void wait_online(size_t i)
{
    char mode[32] = "";
    int tries;

    for (tries = 0; tries < 200; tries++) {
        if (rn_h_info(&cluster, i, NULL, NULL, mode) &&
            strcmp(mode, "Online") == 0)
            return;
        rn_h_sleep_ms(50);
    }
    fail_msg("node %zu not online after its restart (%s)", i, mode);
}

/*
 * Validator 1 holds the subnet-1 share of a blob, is killed with SIGKILL
 * (a torn record at the end of its share log), restarts: it still holds
 * the share, and replaying its block log samples the blob's block with
 * success; a share it gets after the restart lands after the cut tail and
 * survives a second restart.
 */
static void test_rn_state_da_shares_survive_sigkill(void **state)
{
    char blob1[65], blob2[65], path[512];
    uint64_t sent;
    int fd, st;

    (void)state;
    rn_h_start(&cluster, 3, 1, 100, 0.9, "star");
    assert_true(rn_h_wait_height(&cluster, 3, 2, 20000));
    rn_h_sleep_ms(1500); /* hellos spread the address book */
    disperse(2, 7, blob1);
    wait_blob(1, blob1);
    assert_true(metric_of(1, "da_shares_stored") == 1);
    assert_true(metric_of(1, "da_samples_total{result=\"ok\"}") >= 1);
    assert_true(metric_of(1, "da_samples_total{result=\"failed\"}") == 0);
    /* the same blob op again is a replay: refused, and no share goes out */
    sent = outbound_of(2);
    assert_true(sent >= 2);
    disperse_expect(2, 7, blob2, 400);
    assert_int_equal(outbound_of(2), sent);

    rn_h_kill(&cluster, 1, SIGKILL);
    node_file(1, "data/shares.log", path, sizeof(path));
    fd = open(path, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "RNS1\x40\x00\x00\x00torn", 12), 12);
    (void)close(fd);
    rn_h_spawn(&cluster, 1);
    assert_true(rn_h_wait_ready(&cluster, 1, 10000));
    assert_true(metric_of(1, "da_shares_stored") == 1);
    /* the replayed block that carries blob1 found its share again */
    assert_true(metric_of(1, "da_samples_total{result=\"ok\"}") >= 1);
    assert_true(metric_of(1, "da_samples_total{result=\"failed\"}") == 0);
    node_file(1, "node.log", path, sizeof(path));
    assert_true(
        rn_h_file_contains(path, "shares.log': cutting a torn or bad tail"));
    assert_true(rn_h_file_contains(path, "share log: 1 shares loaded"));
    wait_online(1);

    rn_h_sleep_ms(1500); /* the executor hears of the restarted node */
    disperse(2, 11, blob2);
    wait_blob(1, blob2);
    assert_true(metric_of(1, "da_shares_stored") == 2);
    assert_true(metric_of(1, "da_samples_total{result=\"failed\"}") == 0);
    /* SIGTERM: a clean stop, exit status 0 */
    st = rn_h_kill(&cluster, 1, SIGTERM);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    rn_h_spawn(&cluster, 1);
    assert_true(rn_h_wait_ready(&cluster, 1, 10000));
    assert_true(metric_of(1, "da_shares_stored") == 2);
    assert_true(metric_of(1, "da_samples_total{result=\"ok\"}") >= 2);
    assert_true(metric_of(1, "da_samples_total{result=\"failed\"}") == 0);
    assert_true(rn_h_file_contains(path, "share log: 2 shares loaded"));
    cluster.ok = true;
}

/* Block ids of node `i`'s chain by height; fails the test when it has not. */
static json_t *chain_of(size_t i)
{
    json_t *chain = rn_h_chain(&cluster, i);

    assert_non_null(chain);
    return chain;
}

/*
 * Every block of `chain` (ids by height) as node `i` serves it on the API,
 * decoded in full (signature, block_root, txs): the id it hashes to is the
 * one asked for.
 */
static void expect_blocks_served(size_t i, json_t *chain)
{
    struct lb_buf out = LB_BUF_INIT;
    size_t h;

    for (h = 1; h < json_array_size(chain); h++) {
        const char *id = json_string_value(json_array_get(chain, h));
        json_t *j;
        struct rn_block *b;
        char hex[65];

        storage_block(i, id, &out);
        j = json_loadb(out.ptr, out.len, 0, NULL);
        b = j != NULL ? rn_block_decode(j, NULL) : NULL;
        if (b == NULL)
            fail_msg("block %zu (%s) served as: %.200s", h, id, out.ptr);
        lb_mantle_hex(b->id, 32, hex);
        assert_string_equal(hex, id);
        rn_block_free(b);
        json_decref(j);
    }
    lb_buf_release(&out);
}

/* A pull of the whole chain from node `i`'s network port, newest first. */
static void expect_pull_all(size_t i, json_t *chain)
{
    struct lb_buf out = LB_BUF_INIT, path = LB_BUF_INIT;
    size_t n = json_array_size(chain), k;
    json_t *arr;

    lb_buf_addf(&path,
                "/net/blocks?id=%s&max=512",
                json_string_value(json_array_get(chain, n - 1)));
    assert_int_equal(rn_h_http(&cluster, i, 2, "GET", path.ptr, NULL, 0, &out),
                     200);
    arr = json_loadb(out.ptr, out.len, 0, NULL);
    assert_true(json_is_array(arr));
    assert_int_equal(json_array_size(arr), n - 1);
    for (k = 0; k + 1 < n; k++) {
        unsigned char id[32];
        char hex[65];

        assert_true(rn_block_peek_id(json_array_get(arr, k), id));
        lb_mantle_hex(id, 32, hex);
        assert_string_equal(
            hex, json_string_value(json_array_get(chain, n - 1 - k)));
    }
    json_decref(arr);
    lb_buf_release(&out);
    lb_buf_release(&path);
}

/*
 * /cryptarchia/headers between two blocks of `chain`, newest first; with
 * a `to` above `from`, only `from`.
 */
static void expect_headers(size_t i, json_t *chain)
{
    struct lb_buf path = LB_BUF_INIT, out = LB_BUF_INIT;
    size_t n = json_array_size(chain), k;
    json_t *arr;

    lb_buf_addf(&path,
                "/cryptarchia/headers?from=%s&to=%s",
                json_string_value(json_array_get(chain, n - 2)),
                json_string_value(json_array_get(chain, 3)));
    assert_int_equal(rn_h_http(&cluster, i, 0, "GET", path.ptr, NULL, 0, &out),
                     200);
    arr = json_loadb(out.ptr, out.len, 0, NULL);
    assert_int_equal(json_array_size(arr), n - 2 - 3 + 1);
    for (k = 0; k < json_array_size(arr); k++)
        assert_true(json_equal(json_array_get(arr, k),
                               json_array_get(chain, n - 2 - k)));
    json_decref(arr);
    lb_buf_reset(&path);
    lb_buf_addf(&path,
                "/cryptarchia/headers?from=%s&to=%s",
                json_string_value(json_array_get(chain, 3)),
                json_string_value(json_array_get(chain, 5)));
    assert_int_equal(rn_h_http(&cluster, i, 0, "GET", path.ptr, NULL, 0, &out),
                     200);
    arr = json_loadb(out.ptr, out.len, 0, NULL);
    assert_int_equal(json_array_size(arr), 1);
    assert_true(json_equal(json_array_get(arr, 0), json_array_get(chain, 3)));
    json_decref(arr);
    lb_buf_release(&path);
    lb_buf_release(&out);
}

/*
 * The last run of node `i` went Online only once it had caught up with its
 * peers (at `min` blocks or more): its log says "online at height H (peers
 * at P)" with H + 1 >= P, so it was Bootstrapping before.
 */
static void expect_online_when_caught_up(size_t i, uint64_t min)
{
    struct lb_buf log = LB_BUF_INIT;
    unsigned long long h = 0, p = 0;
    const char *at, *last = NULL;
    char path[512];
    int tries;

    node_file(i, "node.log", path, sizeof(path));
    for (tries = 0; tries < 100 && last == NULL; tries++) {
        lb_buf_reset(&log);
        assert_int_equal(lb_buf_read_file(&log, path, NULL), 0);
        for (at = log.ptr; (at = strstr(at, "online at height ")) != NULL; at++)
            last = at;
        /* the line of this run: after the last "block log:" line */
        if (last != NULL && strstr(last, "block log:") != NULL)
            last = NULL;
        if (last == NULL)
            rn_h_sleep_ms(50);
    }
    assert_non_null(last);
    assert_int_equal(
        sscanf(last, "online at height %llu (peers at %llu)", &h, &p), 2);
    if (h + 1 < p || p < min)
        fail_msg("node %zu went online at height %llu, peers at %llu", i, h, p);
    lb_buf_release(&log);
}

/*
 * Blocks below LIB leave memory (text and txs) and are served from the
 * block log: to the API, to a pull of the whole chain, to a node that lost
 * its log and syncs from genesis, and again after a restart (slimmed while
 * the log replays).
 */
static void test_rn_state_old_blocks_served_from_the_log(void **state)
{
    uint64_t h0 = 0, h1 = 0;
    json_t *chain, *other;
    char path[512];
    size_t h;
    int tries;

    (void)state;
    rn_h_start(&cluster, 2, 0, 50, 0.9, "star");
    assert_true(rn_h_wait_height(&cluster, 2, cluster.c.k + 30, 60000));
    assert_true(metric_of(0, "consensus_blocks_slim") >= 20);
    chain = chain_of(0);
    expect_blocks_served(0, chain);
    expect_pull_all(0, chain);
    expect_headers(0, chain);
    json_decref(chain);

    /* node 1 loses its log: it syncs everything from node 0 */
    rn_h_kill(&cluster, 1, SIGKILL);
    node_file(1, "data/blocks.log", path, sizeof(path));
    assert_int_equal(unlink(path), 0);
    rn_h_spawn(&cluster, 1);
    assert_true(rn_h_wait_ready(&cluster, 1, 10000));
    for (tries = 0; tries < 400; tries++) {
        assert_true(rn_h_info(&cluster, 0, &h0, NULL, NULL));
        assert_true(rn_h_info(&cluster, 1, &h1, NULL, NULL));
        if (h1 + 2 >= h0 && h1 > cluster.c.k + 30)
            break;
        rn_h_sleep_ms(50);
    }
    assert_true(tries < 400);
    expect_online_when_caught_up(1, cluster.c.k + 30);
    chain = chain_of(0);
    other = chain_of(1);
    for (h = 0; h + cluster.c.k < json_array_size(other); h++)
        assert_true(
            json_equal(json_array_get(chain, h), json_array_get(other, h)));
    json_decref(other);
    json_decref(chain);

    /* node 0 restarts: replaying its log slims the old blocks again */
    rn_h_kill(&cluster, 0, SIGTERM);
    rn_h_spawn(&cluster, 0);
    assert_true(rn_h_wait_ready(&cluster, 0, 10000));
    assert_true(metric_of(0, "consensus_blocks_slim") >= 20);
    chain = chain_of(0);
    expect_blocks_served(0, chain);
    json_decref(chain);
    cluster.ok = true;
}

static long
transfer_at(size_t i, const char *tip_json, uint64_t amount, struct lb_buf *out)
{
    struct lb_mantle_key alice, bob;
    struct lb_buf req = LB_BUF_INIT;
    long st;

    assert_int_equal(
        lb_mantle_key_init(&alice, cluster.c.seed, "wallet-user-0", NULL), 0);
    assert_int_equal(
        lb_mantle_key_init(&bob, cluster.c.seed, "wallet-user-1", NULL), 0);
    lb_buf_addf(&req,
                "{%s%s%s\"change_public_key\": \"%s\", "
                "\"funding_public_keys\": [\"%s\"], "
                "\"recipient_public_key\": \"%s\", \"amount\": %llu}",
                tip_json ? "\"tip\": " : "",
                tip_json ? tip_json : "",
                tip_json ? ", " : "",
                alice.pk_hex,
                alice.pk_hex,
                bob.pk_hex,
                (unsigned long long)amount);
    st = rn_h_http(&cluster,
                   i,
                   false,
                   "POST",
                   "/wallet/transactions/transfer-funds",
                   req.ptr,
                   req.len,
                   out);
    lb_buf_release(&req);
    lb_mantle_key_release(&alice);
    lb_mantle_key_release(&bob);
    return st;
}

static uint64_t balance_of(size_t i, const char *wallet)
{
    struct lb_mantle_key k;
    char path[128];
    json_t *j;
    uint64_t b;

    assert_int_equal(lb_mantle_key_init(&k, cluster.c.seed, wallet, NULL), 0);
    (void)snprintf(path, sizeof(path), "/wallet/%s/balance", k.pk_hex);
    j = rn_h_get_json(&cluster, i, path);
    b = (uint64_t)json_integer_value(json_object_get(j, "balance"));
    json_decref(j);
    lb_mantle_key_release(&k);
    return b;
}

/*
 * transfer-funds with "tip": built from the ledger at that block. At the
 * tip it goes through; at genesis, after a note of it was spent, the
 * transfer needs that note and the mempool refuses it at the current tip;
 * an unknown or malformed tip is a 4xx that changes nothing.
 */
static void test_rn_state_transfer_at_a_tip(void **state)
{
    struct lb_buf out = LB_BUF_INIT;
    char tip[65], q[80], gen[65];
    int tries;

    (void)state;
    rn_h_start(&cluster, 1, 0, 100, 0.9, "star");
    assert_true(rn_h_wait_height(&cluster, 1, 2, 20000));
    assert_true(rn_h_info(&cluster, 0, NULL, tip, NULL));
    (void)snprintf(q, sizeof(q), "\"%s\"", tip);
    if (transfer_at(0, q, 150, &out) != 201)
        fail_msg("transfer at the tip: %s", out.ptr);
    assert_non_null(strstr(out.ptr, "\"hash\""));
    for (tries = 0; tries < 100 && balance_of(0, "wallet-user-1") != 1150;
         tries++)
        rn_h_sleep_ms(50);
    assert_int_equal(balance_of(0, "wallet-user-1"), 1150);
    /* at the tip alice holds 850: 1000 is too much there */
    assert_int_equal(transfer_at(0, NULL, 1000, &out), 400);
    assert_non_null(strstr(out.ptr, "insufficient funds"));
    /* at genesis she held 1000, but one of those notes is spent since */
    lb_mantle_genesis_id(cluster.c.seed, gen);
    (void)snprintf(q, sizeof(q), "\"%s\"", gen);
    assert_int_equal(transfer_at(0, q, 1000, &out), 400);
    if (strstr(out.ptr, "spent") == NULL)
        fail_msg("transfer at genesis: %s", out.ptr);
    /* unknown and malformed tips */
    (void)snprintf(q, sizeof(q), "\"%064d\"", 1);
    assert_int_equal(transfer_at(0, q, 10, &out), 404);
    assert_non_null(strstr(out.ptr, "unknown tip"));
    assert_int_equal(transfer_at(0, "\"zz\"", 10, &out), 400);
    assert_int_equal(transfer_at(0, "5", 10, &out), 400);
    assert_non_null(strstr(out.ptr, "tip"));
    rn_h_sleep_ms(300);
    assert_int_equal(balance_of(0, "wallet-user-1"), 1150);
    assert_int_equal(balance_of(0, "wallet-user-0"), 850);
    lb_buf_release(&out);
    cluster.ok = true;
}

/* Posts the share of blob `k` (subnet 0, two bytes) to node `i`. */
static void post_share(size_t i, unsigned k)
{
    char body[160];

    (void)snprintf(body,
                   sizeof(body),
                   "{\"blob\": \"%064u\", \"subnet\": 0, \"data\": \"00ff\"}",
                   k);
    assert_int_equal(
        rn_h_http(
            &cluster, i, 2, "POST", "/net/da/share", body, strlen(body), NULL),
        200);
}

static uint64_t inbound0(size_t i)
{
    json_t *st = rn_h_get_json(&cluster, i, "/da/balancer-stats");
    uint64_t v = (uint64_t)json_integer_value(
        json_object_get(json_object_get(st, "0"), "inbound"));

    json_decref(st);
    return v;
}

static long file_size(const char *path)
{
    struct lb_buf b = LB_BUF_INIT;
    long n = lb_buf_read_file(&b, path, NULL) == 0 ? (long)b.len : -1;

    lb_buf_release(&b);
    return n;
}

static void restart(size_t i)
{
    int st = rn_h_kill(&cluster, i, SIGTERM);

    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    rn_h_spawn(&cluster, i);
    assert_true(rn_h_wait_ready(&cluster, i, 10000));
}

/*
 * da.max_shares bounds the shares a node holds (the newest); at start a
 * share log with twice as many records or more is rewritten with the ones
 * held. A share held answers "have it" (not counted inbound); a forgotten
 * one is stored again.
 */
static void test_rn_state_share_log_keeps_the_newest(void **state)
{
    char cfg[512], log[512], node_log[512];
    const long rec = 40 + 36 + 2;
    unsigned k;
    FILE *f;

    (void)state;
    rn_h_start(&cluster, 1, 0, 100, 0.9, "star");
    for (k = 1; k <= 7; k++)
        post_share(0, k);
    assert_int_equal(inbound0(0), 7);
    node_file(0, "config.yaml", cfg, sizeof(cfg));
    node_file(0, "data/shares.log", log, sizeof(log));
    node_file(0, "node.log", node_log, sizeof(node_log));
    assert_int_equal(file_size(log), 7 * rec);
    /* the config ends with its da: section */
    f = fopen(cfg, "a");
    assert_non_null(f);
    assert_true(fputs("  max_shares: 3\n", f) >= 0);
    assert_int_equal(fclose(f), 0);
    restart(0);
    assert_true(metric_of(0, "da_shares_stored") == 3);
    assert_true(
        rn_h_file_contains(node_log, "share log: compacted 7 records to 3"));
    assert_int_equal(file_size(log), 3 * rec);
    post_share(0, 7);
    post_share(0, 5);
    assert_int_equal(inbound0(0), 0); /* 5, 6, 7 held */
    post_share(0, 1);
    assert_int_equal(inbound0(0), 1); /* forgotten: stored again */
    assert_true(metric_of(0, "da_shares_stored") == 3);
    assert_int_equal(file_size(log), 4 * rec);
    /* 4 records for 3 held: no rewrite; 6, 7, 1 held */
    restart(0);
    assert_true(metric_of(0, "da_shares_stored") == 3);
    assert_int_equal(file_size(log), 4 * rec);
    post_share(0, 6);
    post_share(0, 1);
    assert_int_equal(inbound0(0), 0);
    post_share(0, 5);
    assert_int_equal(inbound0(0), 1);
    cluster.ok = true;
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_rn_state_da_shares_survive_sigkill,
                                  teardown),
        cmocka_unit_test_teardown(test_rn_state_old_blocks_served_from_the_log,
                                  teardown),
        cmocka_unit_test_teardown(test_rn_state_transfer_at_a_tip, teardown),
        cmocka_unit_test_teardown(test_rn_state_share_log_keeps_the_newest,
                                  teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
