/*
 * Unit tests of the scenario model: run metrics (FRAMEWORK.md §4 examples),
 * wallets split, layouts, plan validation errors, the liveness lag and the
 * expectations on hand-made run records.
 */
#include "lb_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "scenario/expect.h"
#include "scenario/plan.h"
#include "scenario/record.h"

static void valid_plan(struct lb_plan *p)
{
    lb_plan_init(p);
    p->topology_set = true;
    p->validators = 2;
    p->executors = 0;
}

static void test_scenario_metrics_reference_example(void **state)
{
    struct lb_plan p;
    struct lb_run_metrics m;
    struct lb_error err;
    (void)state;
    unsetenv("CONSENSUS_SLOT_TIME");
    unsetenv("CONSENSUS_ACTIVE_SLOT_COEFF");
    valid_plan(&p);
    p.duration_s = 60;
    lb_error_init(&err);
    assert_int_equal(lb_plan_validate(&p, &m, &err), 0);
    assert_true(m.slot_s == 2.0);
    assert_true(m.f == 0.9);
    assert_int_equal(m.k, 10);
    assert_int_equal(m.expected_blocks, 27);
    assert_true(fabs(m.block_interval_s - 2.0 / 0.9) < 1e-9);
    /* cooldown max(5h, k·h) = 10 × 2.222 */
    assert_true(fabs(m.cooldown_s - 10 * 2.0 / 0.9) < 1e-9);
    /* settle max(h, 2 s) with 2 s slots */
    assert_true(fabs(m.settle_s - 2.0 / 0.9) < 1e-9);
    assert_false(m.node_control);
    lb_plan_release(&p);
}

static void test_scenario_metrics_duration_clamp(void **state)
{
    struct lb_plan p;
    struct lb_run_metrics m;
    struct lb_error err;
    (void)state;
    valid_plan(&p);
    p.slot_s = 2;
    p.duration_s = 1;
    lb_error_init(&err);
    assert_int_equal(lb_plan_validate(&p, &m, &err), 0);
    assert_true(m.duration_s == 4.0);       /* max(1, 2 × 2) */
    assert_int_equal(m.expected_blocks, 2); /* ceil(4 / 2 × 0.9) */
    /* short slots: settle max(h, 2 slots) */
    p.slot_s = 0.1;
    p.duration_s = 20;
    assert_int_equal(lb_plan_validate(&p, &m, &err), 0);
    assert_int_equal(m.expected_blocks, 180);
    assert_true(fabs(m.settle_s - 0.2) < 1e-9);
    lb_plan_release(&p);
}

static void test_scenario_metrics_node_control_cooldown(void **state)
{
    struct lb_plan p;
    struct lb_run_metrics m;
    struct lb_error err;
    struct lb_fault_spec f = {.kind = LB_FAULT_PAUSE, .node = 1};
    (void)state;
    valid_plan(&p);
    p.slot_s = 0.2;
    p.active_slot_coeff = 0.5;
    assert_int_equal(lb_vec_push(&p.faults, f), 0);
    lb_error_init(&err);
    assert_int_equal(lb_plan_validate(&p, &m, &err), 0);
    assert_true(m.node_control);
    assert_true(m.cooldown_s == 30.0);
    p.recovery_allowance_s = 3;
    assert_int_equal(lb_plan_validate(&p, &m, &err), 0);
    /* k·h = 10 × 0.4 = 4 > 3 */
    assert_true(fabs(m.cooldown_s - 4.0) < 1e-9);
    lb_plan_release(&p);
}

static void test_scenario_parse_seconds(void **state)
{
    double v = 0;
    (void)state;
    assert_int_equal(lb_parse_seconds("0.1", &v), 0);
    assert_true(fabs(v - 0.1) < 1e-12);
    assert_int_equal(lb_parse_seconds("200ms", &v), 0);
    assert_true(fabs(v - 0.2) < 1e-12);
    assert_int_equal(lb_parse_seconds("2", &v), 0);
    assert_true(v == 2.0);
    assert_int_equal(lb_parse_seconds("3s", &v), 0);
    assert_true(v == 3.0);
    assert_int_equal(lb_parse_seconds("0", &v), LB_EINVAL);
    assert_int_equal(lb_parse_seconds("-1", &v), LB_EINVAL);
    assert_int_equal(lb_parse_seconds("fast", &v), LB_EINVAL);
    assert_int_equal(lb_parse_seconds("2 min", &v), LB_EINVAL);
    assert_int_equal(lb_parse_seconds("", &v), LB_EINVAL);
}

static void test_scenario_env_slot_time(void **state)
{
    struct lb_plan p;
    struct lb_run_metrics m;
    struct lb_error err;
    (void)state;
    valid_plan(&p);
    setenv("CONSENSUS_SLOT_TIME", "200ms", 1);
    lb_error_init(&err);
    assert_int_equal(lb_plan_validate(&p, &m, &err), 0);
    assert_true(fabs(m.slot_s - 0.2) < 1e-12);
    setenv("CONSENSUS_SLOT_TIME", "0.1", 1);
    assert_int_equal(lb_plan_validate(&p, &m, &err), 0);
    assert_true(fabs(m.slot_s - 0.1) < 1e-12);
    setenv("CONSENSUS_SLOT_TIME", "soon", 1);
    assert_int_equal(lb_plan_validate(&p, &m, &err), LB_EINVAL);
    assert_non_null(strstr(err.msg, "CONSENSUS_SLOT_TIME 'soon'"));
    unsetenv("CONSENSUS_SLOT_TIME");
    setenv("CONSENSUS_ACTIVE_SLOT_COEFF", "1.5", 1);
    lb_error_init(&err);
    assert_int_equal(lb_plan_validate(&p, &m, &err), LB_EINVAL);
    assert_non_null(strstr(err.msg, "(0, 1]"));
    unsetenv("CONSENSUS_ACTIVE_SLOT_COEFF");
    lb_plan_release(&p);
}

static void test_scenario_wallet_split(void **state)
{
    long long total = 0;
    long i;
    (void)state;
    /* 1000 across 10: 100 each */
    for (i = 0; i < 10; i++)
        assert_int_equal(lb_wallet_user_funds(1000, 10, i), 100);
    /* 1003 across 10: the first 3 get one more */
    assert_int_equal(lb_wallet_user_funds(1003, 10, 0), 101);
    assert_int_equal(lb_wallet_user_funds(1003, 10, 2), 101);
    assert_int_equal(lb_wallet_user_funds(1003, 10, 3), 100);
    for (i = 0; i < 10; i++)
        total += lb_wallet_user_funds(1003, 10, i);
    assert_int_equal(total, 1003);
}

static void test_scenario_layouts(void **state)
{
    long peers[8];
    (void)state;
    assert_int_equal(lb_layout_expected_peers(LB_LAYOUT_STAR, 4, 0), 3);
    assert_int_equal(lb_layout_expected_peers(LB_LAYOUT_STAR, 4, 2), 1);
    assert_int_equal(lb_layout_expected_peers(LB_LAYOUT_CHAIN, 4, 0), 1);
    assert_int_equal(lb_layout_expected_peers(LB_LAYOUT_CHAIN, 4, 1), 2);
    assert_int_equal(lb_layout_expected_peers(LB_LAYOUT_CHAIN, 4, 3), 1);
    assert_int_equal(lb_layout_expected_peers(LB_LAYOUT_FULL, 4, 1), 3);
    assert_int_equal(lb_layout_expected_peers(LB_LAYOUT_FULL, 1, 0), 0);
    assert_int_equal(lb_layout_peers(LB_LAYOUT_STAR, 0, peers, 8), 0);
    assert_int_equal(lb_layout_peers(LB_LAYOUT_STAR, 3, peers, 8), 1);
    assert_int_equal(peers[0], 0);
    assert_int_equal(lb_layout_peers(LB_LAYOUT_CHAIN, 3, peers, 8), 1);
    assert_int_equal(peers[0], 2);
    assert_int_equal(lb_layout_peers(LB_LAYOUT_FULL, 3, peers, 8), 3);
    assert_int_equal(peers[2], 2);
}

static void expect_invalid(struct lb_plan *p, const char *needle)
{
    struct lb_run_metrics m;
    struct lb_error err;
    lb_error_init(&err);
    assert_int_equal(lb_plan_validate(p, &m, &err), LB_EINVAL);
    if (!strstr(err.msg, needle))
        fail_msg("error '%s' lacks '%s'", err.msg, needle);
}

static void test_scenario_plan_validation_errors(void **state)
{
    struct lb_plan p;
    struct lb_fault_spec f = {.kind = LB_FAULT_ISOLATE, .node = 7};
    (void)state;
    lb_plan_init(&p);
    expect_invalid(&p, "no topology");
    p.topology_set = true;
    expect_invalid(&p,
                   "topology has 0 validators and 0 executors: topology "
                   "must include at least one node");
    p.validators = 1;
    p.tx_enabled = true;
    p.tx_rate = 1;
    expect_invalid(&p, "no seeded wallet accounts configured");
    p.tx_rate = -2;
    expect_invalid(&p, "transactions rate is -2 per block");
    p.tx_rate = 1;
    p.wallets_set = true;
    p.wallet_funds = 5;
    p.wallet_users = 10;
    expect_invalid(&p, "wallets total funds is 5 split across 10 users");
    p.wallet_funds = 1000;
    p.tx_users = 11;
    expect_invalid(&p, "transactions using 11 users");
    p.tx_users = 0;
    p.da_enabled = true;
    p.da_channel_rate = 1;
    expect_invalid(&p, "da workload requires at least one executor");
    p.da_enabled = false;
    assert_int_equal(lb_vec_push(&p.faults, f), 0);
    expect_invalid(&p, "node 7 does not exist");
    lb_plan_release(&p);
}

static void test_scenario_tx_planned(void **state)
{
    struct lb_run_metrics m = {0};
    (void)state;
    m.duration_s = 60;
    m.block_interval_s = 2.0 / 0.9;
    assert_int_equal(lb_tx_planned(&m, 1), 27);
    assert_int_equal(lb_tx_planned(&m, 3), 81);
    assert_int_equal(lb_tx_planned(&m, 0), 0);
}

static void test_scenario_liveness_lag(void **state)
{
    (void)state;
    assert_int_equal(lb_liveness_lag(27, 2), 2);   /* max(2,2) vs 5 */
    assert_int_equal(lb_liveness_lag(100, 2), 5);  /* min(10, 5) */
    assert_int_equal(lb_liveness_lag(40, 2), 4);   /* min(4, 5) */
    assert_int_equal(lb_liveness_lag(100, 8), 8);  /* the reference panics */
    assert_int_equal(lb_liveness_lag(1000, 8), 8); /* min(100, 8) */
    assert_int_equal(lb_liveness_lag(0, 0), 0);
}

/* A record with `n` nodes on one chain of `len` blocks above genesis. */
static void make_chain(struct lb_run_record *rec, size_t n, uint64_t len)
{
    struct lb_rec_block b = {0};
    uint64_t h;
    size_t i;
    lb_record_init(rec);
    rec->metrics.expected_blocks = 27;
    snprintf(b.id, sizeof(b.id), "%064d", 0);
    snprintf(b.parent, sizeof(b.parent), "%064d", 0);
    lb_record_add_block(rec, &b, NULL, 0);
    for (h = 1; h <= len; h++) {
        memcpy(b.parent, b.id, sizeof(b.id));
        snprintf(b.id, sizeof(b.id), "%064llu", (unsigned long long)h);
        b.height = h;
        b.slot = h * 2;
        lb_record_add_block(rec, &b, NULL, 0);
    }
    lb_record_set_head(rec, b.id, 0);
    for (i = 0; i < n; i++) {
        struct lb_rec_node node = {0};
        snprintf(node.name, sizeof(node.name), "validator-%zu", i);
        node.final_ok = true;
        node.final_height = len;
        memcpy(node.final_tip, b.id, sizeof(b.id));
        assert_int_equal(lb_vec_push(&rec->nodes, node), 0);
    }
}

static void test_scenario_liveness_passes_and_fails(void **state)
{
    struct lb_run_record rec;
    struct lb_buf msg = LB_BUF_INIT;
    char expect[600];
    (void)state;
    make_chain(&rec, 2, 30);
    assert_true(
        lb_expect_liveness(&rec, LB_LIVENESS_CURRENT, -1, 0.8, 0, &msg));
    assert_int_equal(msg.len, 0);
    /* node-1 lags: 22 + 2 < 27 */
    rec.nodes.items[1].final_height = 22;
    assert_false(
        lb_expect_liveness(&rec, LB_LIVENESS_CURRENT, -1, 0.8, 0, &msg));
    snprintf(expect,
             sizeof(expect),
             "consensus liveness violated (target=27):\n"
             "max_height node(s): node-0 (height=30, tip=%s)\n"
             "- node-1 height 22 below target 27",
             rec.nodes.items[0].final_tip);
    assert_string_equal(msg.ptr, expect);
    /* within the lag: 25 + 2 >= 27 */
    lb_buf_reset(&msg);
    rec.nodes.items[1].final_height = 25;
    assert_true(
        lb_expect_liveness(&rec, LB_LIVENESS_CURRENT, -1, 0.8, 0, &msg));
    lb_record_release(&rec);
    lb_buf_release(&msg);
}

static void test_scenario_liveness_low_network_and_errors(void **state)
{
    struct lb_run_record rec;
    struct lb_buf msg = LB_BUF_INIT;
    (void)state;
    make_chain(&rec, 2, 3);
    snprintf(rec.nodes.items[1].final_error,
             sizeof(rec.nodes.items[1].final_error),
             "connection refused");
    rec.nodes.items[1].final_ok = false;
    assert_false(
        lb_expect_liveness(&rec, LB_LIVENESS_CURRENT, 2, 0.8, 0, &msg));
    /* target = max_height (3) because expected (27) is above it */
    assert_non_null(
        strstr(msg.ptr, "consensus liveness violated (target=3):\n"));
    assert_non_null(strstr(msg.ptr, "- network height 3 below target 5\n"));
    assert_non_null(
        strstr(msg.ptr, "- node-1 consensus_info failed: connection refused"));
    lb_record_release(&rec);
    lb_buf_release(&msg);
}

static void test_scenario_liveness_minimum_and_tolerance(void **state)
{
    struct lb_run_record rec;
    struct lb_buf msg = LB_BUF_INIT;
    (void)state;
    make_chain(&rec, 2, 20);
    assert_false(
        lb_expect_liveness(&rec, LB_LIVENESS_MINIMUM, 2, 0.8, 1000, &msg));
    assert_true(
        strncmp(msg.ptr, "consensus liveness violated (target=1000):", 42) ==
        0);
    assert_non_null(strstr(msg.ptr, "- node-0 height 20 below target 1000"));
    lb_buf_reset(&msg);
    /* tolerance 0.8 of 27 = 22 > 20 */
    assert_false(
        lb_expect_liveness(&rec, LB_LIVENESS_TOLERANCE, 2, 0.8, 0, &msg));
    assert_non_null(strstr(msg.ptr, "(target=22)"));
    lb_buf_reset(&msg);
    assert_true(
        lb_expect_liveness(&rec, LB_LIVENESS_TOLERANCE, 2, 0.7, 0, &msg));
    lb_record_release(&rec);
    lb_buf_release(&msg);
}

static void test_scenario_tx_inclusion(void **state)
{
    struct lb_run_record rec;
    struct lb_buf msg = LB_BUF_INIT;
    struct lb_rec_block b = {0};
    struct lb_rec_block_tx txs[3] = {0};
    (void)state;
    make_chain(&rec, 1, 5);
    rec.tx_planned = 10;
    /* block 6 carries two tracked txs (one twice) and one foreign */
    snprintf(txs[0].hash, sizeof(txs[0].hash), "%064d", 111);
    txs[0].tracked = true;
    txs[1] = txs[0];
    snprintf(txs[2].hash, sizeof(txs[2].hash), "%064d", 222);
    memcpy(b.parent, rec.head, sizeof(b.parent));
    snprintf(b.id, sizeof(b.id), "%064d", 6);
    b.height = 6;
    lb_record_add_block(&rec, &b, txs, 3);
    lb_record_set_head(&rec, b.id, 1);
    assert_int_equal(lb_tx_included(&rec), 1);
    assert_false(lb_expect_tx_inclusion(&rec, 0.5, &msg));
    assert_string_equal(msg.ptr,
                        "transaction inclusion observed 1 below required 5");
    rec.tx_planned = 2;
    lb_buf_reset(&msg);
    assert_true(lb_expect_tx_inclusion(&rec, 0.5, &msg));
    lb_record_release(&rec);
    lb_buf_release(&msg);
}

static void test_scenario_agreement_and_reorg(void **state)
{
    struct lb_run_record rec;
    struct lb_buf msg = LB_BUF_INIT;
    struct lb_rec_block b = {0};
    uint64_t h;
    (void)state;
    make_chain(&rec, 2, 10);
    /* node-1 forks off after height 4: its blocks 5..12 differ */
    memcpy(b.id, rec.blocks.items[4].id, sizeof(b.id));
    for (h = 5; h <= 12; h++) {
        memcpy(b.parent, b.id, sizeof(b.id));
        snprintf(b.id, sizeof(b.id), "f%063llu", (unsigned long long)h);
        b.height = h;
        lb_record_add_block(&rec, &b, NULL, 0);
    }
    rec.nodes.items[1].final_height = 12;
    memcpy(rec.nodes.items[1].final_tip, b.id, sizeof(b.id));
    /* deeper than 6 on both: heights <= 3 agree */
    assert_true(lb_expect_agreement(&rec, 6, &msg));
    assert_false(lb_expect_agreement(&rec, 2, &msg));
    assert_non_null(strstr(msg.ptr,
                           "node-0 (validator-0) and node-1 "
                           "(validator-1) disagree at height 5"));
    /* the feed switches to the fork: a reorg of depth 10 - 4 = 6 */
    lb_record_set_head(&rec, b.id, 5);
    assert_int_equal(rec.reorgs.len, 1);
    assert_int_equal(rec.reorgs.items[0].depth, 6);
    lb_buf_reset(&msg);
    assert_true(lb_expect_no_deep_reorg(&rec, 10, &msg));
    assert_false(lb_expect_no_deep_reorg(&rec, 5, &msg));
    assert_non_null(strstr(msg.ptr, "reverted 6 blocks"));
    lb_record_release(&rec);
    lb_buf_release(&msg);
}

static void test_scenario_min_height_and_crash(void **state)
{
    struct lb_run_record rec;
    struct lb_buf msg = LB_BUF_INIT;
    json_t *j;
    (void)state;
    make_chain(&rec, 3, 12);
    assert_true(lb_expect_min_height(&rec, 12, &msg));
    rec.nodes.items[2].final_height = 7;
    assert_false(lb_expect_min_height(&rec, 10, &msg));
    assert_string_equal(msg.ptr, "node-2 (validator-2) height 7 below 10");
    lb_buf_reset(&msg);
    assert_true(lb_expect_no_crash(&rec, &msg));
    rec.nodes.items[1].exited = true;
    rec.nodes.items[1].term_signal = 11;
    snprintf(rec.nodes.items[1].log_path,
             sizeof(rec.nodes.items[1].log_path),
             "/tmp/x/node.log");
    assert_false(lb_expect_no_crash(&rec, &msg));
    assert_string_equal(msg.ptr,
                        "node-1 (validator-1) exited during the run "
                        "(signal 11); node log: /tmp/x/node.log");
    /* the record serialises with every block */
    j = lb_record_to_json(&rec);
    assert_int_equal(json_array_size(json_object_get(j, "blocks")), 13);
    assert_int_equal(json_array_size(json_object_get(j, "nodes")), 3);
    json_decref(j);
    lb_record_release(&rec);
    lb_buf_release(&msg);
}

static void test_scenario_record_index_grows(void **state)
{
    struct lb_run_record rec;
    (void)state;
    make_chain(&rec, 1, 2000);
    assert_int_equal(rec.blocks.len, 2001);
    assert_int_equal(lb_record_ancestor_at(&rec, rec.head, 1234), 1234);
    assert_int_equal(lb_record_find_block(&rec, "nope"), -1);
    lb_record_release(&rec);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_metrics_reference_example),
        cmocka_unit_test(test_scenario_metrics_duration_clamp),
        cmocka_unit_test(test_scenario_metrics_node_control_cooldown),
        cmocka_unit_test(test_scenario_parse_seconds),
        cmocka_unit_test(test_scenario_env_slot_time),
        cmocka_unit_test(test_scenario_wallet_split),
        cmocka_unit_test(test_scenario_layouts),
        cmocka_unit_test(test_scenario_plan_validation_errors),
        cmocka_unit_test(test_scenario_tx_planned),
        cmocka_unit_test(test_scenario_liveness_lag),
        cmocka_unit_test(test_scenario_liveness_passes_and_fails),
        cmocka_unit_test(test_scenario_liveness_low_network_and_errors),
        cmocka_unit_test(test_scenario_liveness_minimum_and_tolerance),
        cmocka_unit_test(test_scenario_tx_inclusion),
        cmocka_unit_test(test_scenario_agreement_and_reorg),
        cmocka_unit_test(test_scenario_min_height_and_crash),
        cmocka_unit_test(test_scenario_record_index_grows),
    };
    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
