/*
 * Unit tests of src/net/mantle: the expected values were computed
 * independently (Python hashlib / pyca cryptography, RFC 8032) from the
 * definitions in refnode_contract.md.
 */
#include "lb_test.h"

#include <string.h>

#include "core/error.h"
#include "net/mantle.h"

static void test_mantle_key_derivation_matches_contract(void **state)
{
    struct lb_mantle_key k;
    struct lb_error err;
    char hex[65];

    (void)state;
    lb_error_init(&err);
    assert_int_equal(lb_mantle_key_init(&k, "lb-run-x", "wallet-user-0", &err),
                     0);
    lb_mantle_hex(k.seed, 32, hex);
    assert_string_equal(
        hex,
        "527aeabf75822dce16920c30c7485dc17743700ac2aca233629e6b67188076cf");
    assert_string_equal(
        k.pk_hex,
        "7457ba51b36d0f11856685678a5915d950256989f9d09220e51ff3f1bb0d1ce7");
    lb_mantle_key_release(&k);
}

static void test_mantle_rfc8032_sign_and_verify(void **state)
{
    /* RFC 8032 §7.1, TEST 1 (empty message). */
    unsigned char seed[32], sig[64], want[64];
    struct lb_mantle_key k;
    char hex[129];

    (void)state;
    assert_true(lb_mantle_unhex(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        seed,
        32));
    assert_int_equal(lb_mantle_key_init_seed(&k, seed, NULL), 0);
    assert_string_equal(
        k.pk_hex,
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assert_int_equal(lb_mantle_sign(&k, "", 0, sig), 0);
    lb_mantle_hex(sig, 64, hex);
    assert_true(lb_mantle_unhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        want,
        64));
    assert_memory_equal(sig, want, 64);
    assert_true(lb_mantle_verify(k.pk, "", 0, sig));
    sig[5] ^= 1;
    assert_false(lb_mantle_verify(k.pk, "", 0, sig));
    lb_mantle_key_release(&k);
}

static void test_mantle_ids_match_contract(void **state)
{
    char id[65];

    (void)state;
    lb_mantle_genesis_id("lb-run-x", id);
    assert_string_equal(
        id, "39808c65983c5e370acbf578269ab30dcded34abff753f791a0b3ee241f27122");
    lb_mantle_genesis_note_id("lb-run-x", "wallet-user-0", 3, id);
    assert_string_equal(
        id, "ce3bdce0d4c5c6495ebac6f09feeaa79d0d9d6264c3553bc922174123dddd403");
    assert_int_equal(lb_mantle_genesis_note_value(100, 3, 0), 34);
    assert_int_equal(lb_mantle_genesis_note_value(100, 3, 1), 33);
    assert_int_equal(lb_mantle_genesis_note_value(100, 3, 2), 33);
    assert_int_equal(lb_mantle_genesis_note_value(100, 3, 3), 0);
    assert_true(lb_mantle_is_id(id));
    assert_false(lb_mantle_is_id("ABCD"));
}

static const char *tx_text =
    "{\"ops\": [{\"opcode\": 0, \"payload\": {\"signer\": "
    "\"abababababababababababababababababababababababababababababababab\", "
    "\"channel_id\": "
    "\"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd\", "
    "\"inscription\": [1, 2, 3], \"parent\": "
    "\"0000000000000000000000000000000000000000000000000000000000000000\"}}],"
    "\"ledger_tx\": {\"inputs\": "
    "[\"1111111111111111111111111111111111111111111111111111111111111111\", "
    "\"2222222222222222222222222222222222222222222222222222222222222222\"], "
    "\"outputs\": [{\"value\": 7, \"pk\": "
    "\"3333333333333333333333333333333333333333333333333333333333333333\"}, "
    "{\"value\": 5, \"pk\": "
    "\"4444444444444444444444444444444444444444444444444444444444444444\"}]},"
    "\"execution_gas_price\": 9, \"storage_gas_price\": 4}";

static void test_mantle_tx_hash_matches_contract(void **state)
{
    json_t *tx = json_loads(tx_text, 0, NULL);
    unsigned char h[32];
    char hex[65];

    (void)state;
    assert_non_null(tx);
    assert_int_equal(lb_mantle_tx_hash_hex(tx, hex, NULL), 0);
    assert_string_equal(
        hex,
        "2c87da0040a9c5606aad21d4179dd51848bd59e373363e693656e43cd7a81c80");
    assert_int_equal(lb_mantle_tx_hash(tx, h, NULL), 0);
    lb_mantle_note_id(h, 1, hex);
    assert_string_equal(
        hex,
        "57b655d2962f4b5ddc5500d0c83a1396731397ef678263d47b1b4abc3aaed566");
    json_decref(tx);
}

static void test_mantle_tx_hash_rejects_bad_shapes(void **state)
{
    static const char *bad[] = {
        "[]",
        "{\"ops\": [], \"ledger_tx\": {\"inputs\": [], \"outputs\": []}}",
        "{\"ops\": {}, \"ledger_tx\": {\"inputs\": [], \"outputs\": []},"
        " \"execution_gas_price\": 0, \"storage_gas_price\": 0}",
        "{\"ops\": [{\"opcode\": 256, \"payload\": {}}], \"ledger_tx\": "
        "{\"inputs\": [], \"outputs\": []}, \"execution_gas_price\": 0,"
        " \"storage_gas_price\": 0}",
        "{\"ops\": [], \"ledger_tx\": {\"inputs\": [\"xyz\"], \"outputs\": []},"
        " \"execution_gas_price\": 0, \"storage_gas_price\": 0}",
        "{\"ops\": [], \"ledger_tx\": {\"inputs\": [], \"outputs\": "
        "[{\"value\":"
        " -1, \"pk\": \"00\"}]}, \"execution_gas_price\": 0,"
        " \"storage_gas_price\": 0}",
        "{\"ops\": [], \"ledger_tx\": {\"inputs\": [], \"outputs\": []},"
        " \"execution_gas_price\": 1.5, \"storage_gas_price\": 0}",
    };
    unsigned char h[32];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *tx = json_loads(bad[i], 0, NULL);
        struct lb_error err;

        lb_error_init(&err);
        assert_non_null(tx);
        assert_int_equal(lb_mantle_tx_hash(tx, h, &err), LB_EINVAL);
        assert_true(strlen(err.msg) > 0);
        json_decref(tx);
    }
}

static void test_mantle_transfer_signs_and_verifies(void **state)
{
    struct lb_mantle_key alice, bob;
    struct lb_mantle_output out[2] = {{.value = 3}, {.value = 4}};
    char note[65];
    const char *in[1] = {note};
    struct lb_error err;
    json_t *tx;
    unsigned char h[32];
    char *sig;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(lb_mantle_key_init(&alice, "s", "wallet-user-0", NULL), 0);
    assert_int_equal(lb_mantle_key_init(&bob, "s", "wallet-user-1", NULL), 0);
    lb_mantle_genesis_note_id("s", "wallet-user-0", 0, note);
    memcpy(out[0].pk_hex, bob.pk_hex, 65);
    memcpy(out[1].pk_hex, alice.pk_hex, 65);
    tx = lb_mantle_transfer_new(in, 1, out, 2, &alice, &err);
    assert_non_null(tx);
    assert_int_equal(lb_mantle_verify_tx(tx, alice.pk, h, &err), 0);
    /* signed by the wrong key */
    assert_int_equal(lb_mantle_verify_tx(tx, bob.pk, NULL, &err), LB_EINVAL);
    assert_string_equal(err.msg, "bad signature on 'ledger_tx_proof'");
    /* tampered output value: the hash changes, the signature fails */
    lb_error_init(&err);
    json_object_set_new(
        json_array_get(
            json_object_get(
                json_object_get(json_object_get(tx, "mantle_tx"), "ledger_tx"),
                "outputs"),
            0),
        "value",
        json_integer(300));
    assert_int_equal(lb_mantle_verify_tx(tx, alice.pk, NULL, &err), LB_EINVAL);
    json_decref(tx);
    /* a malformed signature */
    tx = lb_mantle_transfer_new(in, 1, out, 1, &alice, NULL);
    sig = (char *)json_string_value(
        json_object_get(json_object_get(tx, "ledger_tx_proof"), "Ed25519Sig"));
    assert_non_null(sig);
    json_object_set_new(json_object_get(tx, "ledger_tx_proof"),
                        "Ed25519Sig",
                        json_string("zz"));
    assert_int_equal(lb_mantle_verify_tx(tx, alice.pk, NULL, NULL), LB_EINVAL);
    json_decref(tx);
    lb_mantle_key_release(&alice);
    lb_mantle_key_release(&bob);
}

static void test_mantle_op_proofs_are_checked(void **state)
{
    struct lb_mantle_key k, other;
    const struct lb_mantle_key *keys[1];
    json_t *tx, *signed_tx;
    char zero[65];
    unsigned char data[2] = {7, 8};

    (void)state;
    memset(zero, '0', 64);
    zero[64] = '\0';
    assert_int_equal(lb_mantle_key_init(&k, "s", "executor-0", NULL), 0);
    assert_int_equal(lb_mantle_key_init(&other, "s", "executor-1", NULL), 0);
    tx = lb_mantle_tx_new(NULL, 0, NULL, 0, NULL);
    json_array_append_new(
        json_object_get(tx, "ops"),
        lb_mantle_inscribe_op_new(zero, data, 2, zero, k.pk_hex));
    json_incref(tx);
    keys[0] = &k;
    signed_tx = lb_mantle_sign_tx(tx, NULL, keys, NULL);
    assert_non_null(signed_tx);
    assert_int_equal(lb_mantle_verify_tx(signed_tx, NULL, NULL, NULL), 0);
    json_decref(signed_tx);
    keys[0] = &other;
    signed_tx = lb_mantle_sign_tx(tx, NULL, keys, NULL);
    assert_int_equal(lb_mantle_verify_tx(signed_tx, NULL, NULL, NULL),
                     LB_EINVAL);
    json_decref(signed_tx);
    lb_mantle_key_release(&k);
    lb_mantle_key_release(&other);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mantle_key_derivation_matches_contract),
        cmocka_unit_test(test_mantle_rfc8032_sign_and_verify),
        cmocka_unit_test(test_mantle_ids_match_contract),
        cmocka_unit_test(test_mantle_tx_hash_matches_contract),
        cmocka_unit_test(test_mantle_tx_hash_rejects_bad_shapes),
        cmocka_unit_test(test_mantle_transfer_signs_and_verifies),
        cmocka_unit_test(test_mantle_op_proofs_are_checked),
    };
    return cmocka_run_group_tests_name("mantle", tests, NULL, NULL);
}
