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

static bool file_contains(const char *path, const char *needle)
{
    struct lb_buf b = LB_BUF_INIT;
    bool found =
        lb_buf_read_file(&b, path, NULL) == 0 && strstr(b.ptr, needle) != NULL;

    lb_buf_release(&b);
    return found;
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

/* Disperses 300 bytes through executor `ex`; the blob id goes to `id`. */
static void disperse(size_t ex, unsigned seed, char id[65])
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
    assert_int_equal(rn_h_http(&cluster,
                               ex,
                               false,
                               "POST",
                               "/disperse-data",
                               req.ptr,
                               req.len,
                               &out),
                     200);
    blob = json_loads(out.ptr, JSON_DECODE_ANY, NULL);
    assert_true(json_is_string(blob));
    (void)snprintf(id, 65, "%s", json_string_value(blob));
    json_decref(blob);
    lb_mantle_key_release(&k);
    lb_buf_release(&req);
    lb_buf_release(&out);
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
    int fd;

    (void)state;
    rn_h_start(&cluster, 3, 1, 100, 0.9, "star");
    assert_true(rn_h_wait_height(&cluster, 3, 2, 20000));
    rn_h_sleep_ms(1500); /* hellos spread the address book */
    disperse(2, 7, blob1);
    wait_blob(1, blob1);
    assert_true(metric_of(1, "da_shares_stored") == 1);
    assert_true(metric_of(1, "da_samples_total{result=\"ok\"}") >= 1);
    assert_true(metric_of(1, "da_samples_total{result=\"failed\"}") == 0);

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
    assert_true(file_contains(path, "shares.log': cutting a torn or bad tail"));
    assert_true(file_contains(path, "share log: 1 shares loaded"));
    wait_online(1);

    rn_h_sleep_ms(1500); /* the executor hears of the restarted node */
    disperse(2, 11, blob2);
    wait_blob(1, blob2);
    assert_true(metric_of(1, "da_shares_stored") == 2);
    assert_true(metric_of(1, "da_samples_total{result=\"failed\"}") == 0);
    rn_h_kill(&cluster, 1, SIGTERM);
    rn_h_spawn(&cluster, 1);
    assert_true(rn_h_wait_ready(&cluster, 1, 10000));
    assert_true(metric_of(1, "da_shares_stored") == 2);
    assert_true(metric_of(1, "da_samples_total{result=\"ok\"}") >= 2);
    assert_true(metric_of(1, "da_samples_total{result=\"failed\"}") == 0);
    assert_true(file_contains(path, "share log: 2 shares loaded"));
    cluster.ok = true;
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_rn_state_da_shares_survive_sigkill,
                                  teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
