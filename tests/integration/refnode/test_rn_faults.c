/*
 * refnode under faults, with real processes: a node killed with SIGKILL
 * (and a torn last log record) restarts and catches up; a partitioned node
 * falls behind or forks and converges after healing.
 */
#include "lb_test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Heights below min(tip) - k agree between node 0 and node `i`. */
static bool agree(struct rn_h *h, size_t i)
{
    json_t *a = rn_h_chain(h, 0), *b = rn_h_chain(h, i);
    size_t min, ht;
    bool ok = a != NULL && b != NULL;

    if (ok) {
        min = json_array_size(a) < json_array_size(b) ? json_array_size(a)
                                                      : json_array_size(b);
        for (ht = 0; ok && ht + h->c.k < min; ht++)
            ok = json_equal(json_array_get(a, ht), json_array_get(b, ht));
    }
    json_decref(a);
    json_decref(b);
    return ok;
}

static uint64_t balance_of(struct rn_h *h, size_t i, const char *pk)
{
    char path[128];
    json_t *j;
    uint64_t b;

    (void)snprintf(path, sizeof(path), "/wallet/%s/balance", pk);
    j = rn_h_get_json(h, i, path);
    b = (uint64_t)json_integer_value(json_object_get(j, "balance"));
    json_decref(j);
    return b;
}

static void test_rn_faults_sigkill_restart_catches_up(void **state)
{
    uint64_t h0 = 0, h2 = 0, hub = 0;
    char path[512], mode[32];
    int fd, tries;

    (void)state;
    rn_h_start(&cluster, 3, 0, 100, 0.9, "star");
    assert_true(rn_h_wait_height(&cluster, 3, 10, 30000));
    rn_h_kill(&cluster, 2, SIGKILL);
    /* a torn record at the end of the log, as if killed mid-write */
    (void)snprintf(path,
                   sizeof(path),
                   "%s/%s/data/blocks.log",
                   cluster.root,
                   cluster.c.nodes[2].name);
    fd = open(path, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "RNB1\x40\x00\x00\x00garbage", 15), 15);
    (void)close(fd);
    assert_true(rn_h_info(&cluster, 0, &h0, NULL, NULL));
    assert_true(rn_h_wait_height(&cluster, 1, h0 + 15, 30000));
    rn_h_spawn(&cluster, 2);
    assert_true(rn_h_wait_ready(&cluster, 2, 10000));
    for (tries = 0; tries < 200; tries++) {
        assert_true(rn_h_info(&cluster, 0, &hub, NULL, NULL));
        assert_true(rn_h_info(&cluster, 2, &h2, NULL, mode));
        if (h2 + 2 >= hub && strcmp(mode, "Online") == 0)
            break;
        rn_h_sleep_ms(50);
    }
    if (tries == 200)
        fail_msg("restarted node at %llu (%s), hub at %llu",
                 (unsigned long long)h2,
                 mode,
                 (unsigned long long)hub);
    assert_true(agree(&cluster, 2));
    (void)snprintf(path,
                   sizeof(path),
                   "%s/%s/node.log",
                   cluster.root,
                   cluster.c.nodes[2].name);
    assert_true(rn_h_file_contains(path, "cutting a torn or bad tail"));
    assert_true(rn_h_file_contains(path, "blocks loaded"));
    cluster.ok = true;
}

static long block(struct rn_h *h, size_t i, const char *path, size_t other)
{
    char body[64];

    if (other == (size_t)-1)
        (void)snprintf(body, sizeof(body), "[]");
    else
        (void)snprintf(body,
                       sizeof(body),
                       "[\"127.0.0.1:%u\"]",
                       h->c.nodes[other].network);
    return rn_h_http(h, i, true, "POST", path, body, strlen(body), NULL);
}

static void test_rn_faults_partition_then_heal_converges(void **state)
{
    char tip0[65], tip2[65], note[65], *body;
    const char *in[1] = {note};
    struct lb_mantle_key alice, bob;
    struct lb_mantle_output out;
    uint64_t h0 = 0, h2 = 0;
    json_t *net, *tx;
    int tries;

    (void)state;
    rn_h_start(&cluster, 3, 0, 100, 0.9, "star");
    assert_int_equal(
        lb_mantle_key_init(&alice, cluster.c.seed, "wallet-user-0", NULL), 0);
    assert_int_equal(
        lb_mantle_key_init(&bob, cluster.c.seed, "wallet-user-1", NULL), 0);
    assert_true(rn_h_wait_height(&cluster, 3, 5, 30000));
    assert_int_equal(block(&cluster, 2, "/test/network/block-peers", 0), 200);
    assert_int_equal(block(&cluster, 0, "/test/network/block-peers", 2), 200);
    rn_h_sleep_ms(6500); /* past the peer liveness window */
    net = rn_h_get_json(&cluster, 2, "/network/info");
    assert_int_equal(json_integer_value(json_object_get(net, "n_peers")), 0);
    json_decref(net);
    net = rn_h_get_json(&cluster, 0, "/network/info");
    assert_int_equal(json_integer_value(json_object_get(net, "n_peers")), 1);
    json_decref(net);
    /* a transfer only the isolated node knows: it lands on its fork */
    lb_mantle_genesis_note_id(cluster.c.seed, "wallet-user-0", 0, note);
    out.value = 100;
    memcpy(out.pk_hex, bob.pk_hex, 65);
    tx = lb_mantle_transfer_new(in, 1, &out, 1, &alice, NULL);
    body = json_dumps(tx, JSON_COMPACT);
    assert_int_equal(rn_h_http(&cluster,
                               2,
                               0,
                               "POST",
                               "/mempool/add/tx",
                               body,
                               strlen(body),
                               NULL),
                     200);
    free(body);
    json_decref(tx);
    rn_h_sleep_ms(1000);
    assert_true(rn_h_info(&cluster, 0, &h0, tip0, NULL));
    assert_true(rn_h_info(&cluster, 2, &h2, tip2, NULL));
    /* 75 slots apart: the isolated node forked or fell behind */
    assert_true(strcmp(tip0, tip2) != 0);
    assert_int_equal(block(&cluster, 2, "/test/network/unblock-peers", -1),
                     200);
    assert_int_equal(block(&cluster, 0, "/test/network/unblock-peers", 2), 200);
    for (tries = 0; tries < 300; tries++) {
        assert_true(rn_h_info(&cluster, 0, &h0, NULL, NULL));
        assert_true(rn_h_info(&cluster, 2, &h2, NULL, NULL));
        if (h2 + 2 >= h0 && h0 + 2 >= h2 && agree(&cluster, 2) &&
            agree(&cluster, 1))
            break;
        rn_h_sleep_ms(50);
    }
    if (tries == 300)
        fail_msg("no convergence: hub %llu, node-2 %llu",
                 (unsigned long long)h0,
                 (unsigned long long)h2);
    net = rn_h_get_json(&cluster, 0, "/network/info");
    assert_int_equal(json_integer_value(json_object_get(net, "n_peers")), 2);
    json_decref(net);
    /* the fork's transfer survived the reorg: back to a mempool, then in */
    for (tries = 0; tries < 300; tries++) {
        size_t i, done = 0;

        for (i = 0; i < 3; i++)
            done += balance_of(&cluster, i, bob.pk_hex) == 1100;
        if (done == 3)
            break;
        rn_h_sleep_ms(50);
    }
    assert_true(tries < 300);
    lb_mantle_key_release(&alice);
    lb_mantle_key_release(&bob);
    cluster.ok = true;
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_rn_faults_sigkill_restart_catches_up,
                                  teardown),
        cmocka_unit_test_teardown(test_rn_faults_partition_then_heal_converges,
                                  teardown),
    };
    return cmocka_run_group_tests_name("rn_faults", tests, NULL, NULL);
}
