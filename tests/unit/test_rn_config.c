/* Unit tests of refnode's config parser (node/config.c). */
#include "lb_test.h"

#include <string.h>

#include "config.h"
#include "core/buf.h"
#include "core/error.h"

static const char *good =
    "node:\n"
    "  name: validator-0\n"
    "  role: validator\n"
    "  data_dir: /tmp/x\n"
    "  log_level: debug\n"
    "listen:\n"
    "  api: 127.0.0.1:18800\n"
    "  testing: 127.0.0.1:18801\n"
    "  network: 127.0.0.1:18802\n"
    "peers:\n"
    "  - 127.0.0.1:18805\n"
    "chain:\n"
    "  genesis_seed: \"lb-run-x\"\n"
    "  start_time_ms: 1763845555000\n"
    "  slot_duration_ms: 200\n"
    "  active_slot_coeff: 0.5\n"
    "  security_param: 7\n"
    "nodes:\n"
    "  - {name: validator-0, role: validator, stake: 1000}\n"
    "  - {name: executor-0, role: executor, stake: 3}\n"
    "wallets:\n"
    "  - {name: wallet-user-0, funds: 100, notes: 10}\n"
    "da:\n"
    "  subnets: 2\n";

static void test_rn_config_parses_the_contract_example(void **state)
{
    struct rn_config c;
    struct lb_error err;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(rn_config_parse(&c, "c.yaml", good, strlen(good), &err),
                     0);
    assert_string_equal(c.name, "validator-0");
    assert_int_equal(c.role, RN_VALIDATOR);
    assert_int_equal(c.log_level, 3);
    assert_int_equal(c.api.port, 18800);
    assert_string_equal(c.network.text, "127.0.0.1:18802");
    assert_int_equal(c.n_peers, 1);
    assert_int_equal(c.peers[0].port, 18805);
    assert_string_equal(c.genesis_seed, "lb-run-x");
    assert_true(c.start_time_ms == 1763845555000LL);
    assert_int_equal(c.slot_ms, 200);
    assert_true(c.f == 0.5);
    assert_int_equal(c.k, 7);
    assert_int_equal(c.n_nodes, 2);
    assert_int_equal(c.nodes[1].role, RN_EXECUTOR);
    assert_int_equal(c.nodes[1].stake, 3);
    assert_int_equal(c.n_wallets, 1);
    assert_int_equal(c.wallets[0].notes, 10);
    assert_int_equal(c.da_subnets, 2);
    assert_int_equal(c.da_max_shares, 0); /* not given: the default */
    rn_config_release(&c);
}

/* Replaces the first `from` in `good` by `to` and expects an error. */
static void bad(const char *from, const char *to, int line, const char *msg)
{
    char text[4096];
    const char *at = strstr(good, from);
    struct rn_config c;
    struct lb_error err;

    assert_non_null(at);
    (void)snprintf(text,
                   sizeof(text),
                   "%.*s%s%s",
                   (int)(at - good),
                   good,
                   to,
                   at + strlen(from));
    lb_error_init(&err);
    assert_int_not_equal(
        rn_config_parse(&c, "c.yaml", text, strlen(text), &err), 0);
    if (strstr(err.msg, msg) == NULL || err.line != line)
        fail_msg("for '%s': got %d: %s, want %d: %s",
                 to,
                 err.line,
                 err.msg,
                 line,
                 msg);
    assert_string_equal(err.file, "c.yaml");
    assert_true(err.column > 0);
    rn_config_release(&c);
}

static void test_rn_config_reports_errors_with_location(void **state)
{
    (void)state;
    bad("  role: validator\n",
        "  rolle: validator\n",
        3,
        "unknown key 'node.rolle'");
    bad("  role: validator\n", "  role: miner\n", 3, "validator or executor");
    bad("  api: 127.0.0.1:18800", "  api: 127.0.0.1:0", 7, "'api'");
    bad("  api: 127.0.0.1:18800", "  api: localhost:80", 7, "'api'");
    bad("  slot_duration_ms: 200",
        "  slot_duration_ms: 10",
        15,
        "out of range");
    bad("  active_slot_coeff: 0.5", "  active_slot_coeff: 1.5", 16, "(0, 1]");
    bad("  active_slot_coeff: 0.5", "  active_slot_coeff: abc", 16, "(0, 1]");
    bad("  security_param: 7",
        "  security_param: -3",
        17,
        "non-negative integer");
    bad("  genesis_seed: \"lb-run-x\"\n", "", 13, "chain.genesis_seed");
    bad("stake: 3}", "stake: 3, extra: 1}", 20, "unknown key 'nodes[].extra'");
    bad("funds: 100, ", "", 22, "missing key 'funds'");
    bad("  subnets: 2", "  subnets: 0", 24, "out of range");
    bad("  subnets: 2", "  subnets: 2\n  max_shares: 0", 25, "out of range");
    bad("  subnets: 2", "  subnets: 2\n  max_shares: x", 25, "max_shares");
    bad("  - {name: validator-0, role: validator, stake: 1000}\n",
        "",
        1,
        "not in the 'nodes' table");
    bad("listen:", "listen: [1]\nx:", 6, "'listen' must be a mapping");
    bad("node:\n", "node: [\n", 3, "expected");
}

static void test_rn_config_minimal_defaults(void **state)
{
    static const char *text =
        "node: {name: a, data_dir: /tmp/a}\n"
        "listen: {api: 127.0.0.1:1, testing: 127.0.0.1:2, network: "
        "127.0.0.1:3}\n"
        "chain: {genesis_seed: s, start_time_ms: 0, slot_duration_ms: 50}\n"
        "nodes: [{name: a}]\n";
    struct rn_config c;

    (void)state;
    assert_int_equal(rn_config_parse(&c, "m.yaml", text, strlen(text), NULL),
                     0);
    assert_true(c.f == 0.9);
    assert_int_equal(c.k, 10);
    assert_int_equal(c.nodes[0].stake, 1000);
    assert_int_equal(c.n_peers, 0);
    assert_null(c.log_file);
    rn_config_release(&c);
    {
        struct lb_buf t = LB_BUF_INIT;

        lb_buf_addf(&t, "%sda: {subnets: 3, max_shares: 17}\n", text);
        assert_int_equal(rn_config_parse(&c, "d.yaml", t.ptr, t.len, NULL), 0);
        assert_int_equal(c.da_subnets, 3);
        assert_int_equal(c.da_max_shares, 17);
        rn_config_release(&c);
        lb_buf_release(&t);
    }
    assert_int_equal(rn_config_parse(&c, "e.yaml", "", 0, NULL), LB_EINVAL);
    rn_config_release(&c);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rn_config_parses_the_contract_example),
        cmocka_unit_test(test_rn_config_reports_errors_with_location),
        cmocka_unit_test(test_rn_config_minimal_defaults),
    };
    return cmocka_run_group_tests_name("rn_config", tests, NULL, NULL);
}
