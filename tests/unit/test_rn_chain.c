/*
 * Unit tests of refnode's chain (node/chain.c): lottery, block codec, fork
 * choice, ledger apply/revert.
 */
#include "lb_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "config.h"
#include "core/alloc.h"
#include "core/error.h"

static void make_cfg(struct rn_config *c, double f, int nodes)
{
    char text[2048];
    int n, i;

    n = snprintf(text,
                 sizeof(text),
                 "node: {name: validator-0, data_dir: /tmp/x}\n"
                 "listen: {api: 127.0.0.1:1, testing: 127.0.0.1:2, "
                 "network: 127.0.0.1:3}\n"
                 "chain: {genesis_seed: unit, start_time_ms: 0, "
                 "slot_duration_ms: 100, active_slot_coeff: %g, "
                 "security_param: 2}\n"
                 "wallets:\n"
                 "  - {name: wallet-user-0, funds: 1000, notes: 10}\n"
                 "  - {name: wallet-user-1, funds: 1000, notes: 10}\n"
                 "nodes:\n",
                 f);
    for (i = 0; i < nodes; i++)
        n += snprintf(text + n,
                      sizeof(text) - (size_t)n,
                      "  - {name: validator-%d}\n",
                      i);
    assert_int_equal(rn_config_parse(c, "unit.yaml", text, strlen(text), NULL),
                     0);
}

static void test_rn_chain_lottery_threshold_praos_property(void **state)
{
    static const double splits[][3] = {
        {1, 0, 0}, {0.5, 0.5, 0}, {1.0 / 3, 1.0 / 3, 1.0 / 3}, {0.1, 0.2, 0.7}};
    static const double fs[] = {0.05, 0.5, 0.9, 1.0};
    size_t s, k, i;

    (void)state;
    for (k = 0; k < 4; k++)
        for (s = 0; s < 4; s++) {
            double none = 1.0;

            for (i = 0; i < 3; i++)
                none *= 1.0 - rn_lottery_threshold(fs[k], splits[s][i]);
            assert_true(fabs((1.0 - none) - fs[k]) < 1e-12);
        }
    assert_true(rn_lottery_threshold(0.9, 0.0) == 0.0);
    assert_true(rn_lottery_threshold(0.5, 0.25) <
                rn_lottery_threshold(0.5, 0.5));
    assert_true(fabs(rn_lottery_threshold(0.5, 1.0) - 0.5) < 1e-15);
}

/* refnode computes 1 - (1 - f)^alpha without libm: it must agree with it. */
static void test_rn_chain_lottery_threshold_matches_libm(void **state)
{
    double f, alpha, worst = 0;

    (void)state;
    for (f = 0.001; f < 1.0; f += 0.0137)
        for (alpha = 1e-6; alpha <= 1.0; alpha *= 1.37) {
            /* the draw is compared with it: the absolute error counts */
            double want = -expm1(alpha * log1p(-f));
            double err = fabs(rn_lottery_threshold(f, alpha) - want);

            if (err > worst)
                worst = err;
        }
    assert_true(worst < 1e-15);
    assert_true(rn_lottery_threshold(0.999999, 1.0) - 0.999999 < 1e-12);
}

/* Over many slots, the share of slots with a leader is f (Praos). */
static void block_rate(double f)
{
    struct rn_config cfg;
    struct rn_chain c;
    struct lb_mantle_key k[3];
    unsigned char proof[64];
    const unsigned slots = 3000;
    unsigned s, led = 0, wins[3] = {0, 0, 0};
    double rate, sigma;
    int i;

    make_cfg(&cfg, f, 3);
    assert_int_equal(rn_chain_init(&c, &cfg, NULL), 0);
    for (i = 0; i < 3; i++) {
        char name[32];

        (void)snprintf(name, sizeof(name), "validator-%d", i);
        assert_int_equal(lb_mantle_key_init(&k[i], "unit", name, NULL), 0);
    }
    for (s = 1; s <= slots; s++) {
        bool any = false;

        for (i = 0; i < 3; i++)
            if (rn_lottery_try(&c, &k[i], s, proof)) {
                any = true;
                wins[i]++;
                assert_true(rn_lottery_verify(&c, k[i].pk, s, proof));
            }
        led += any;
    }
    rate = (double)led / slots;
    sigma = sqrt(f * (1 - f) / slots);
    if (fabs(rate - f) > 3 * sigma)
        fail_msg("f=%.2f: %u of %u slots led (%.4f), 3 sigma = %.4f",
                 f,
                 led,
                 slots,
                 rate,
                 3 * sigma);
    /* each holder alone wins with phi(1/3) */
    for (i = 0; i < 3; i++) {
        double p = rn_lottery_threshold(f, 1.0 / 3);

        assert_true(fabs((double)wins[i] / slots - p) <=
                    3 * sqrt(p * (1 - p) / slots));
        lb_mantle_key_release(&k[i]);
    }
    rn_chain_release(&c);
    rn_config_release(&cfg);
}

static void test_rn_chain_lottery_block_rate_matches_f(void **state)
{
    (void)state;
    block_rate(0.5);
    block_rate(0.9);
}

static void test_rn_chain_lottery_verify_rejects_forgeries(void **state)
{
    struct rn_config cfg;
    struct rn_chain c;
    struct lb_mantle_key k0, k1, outsider;
    unsigned char proof[64], junk[64];
    uint64_t s = 1;

    (void)state;
    make_cfg(&cfg, 0.5, 2);
    assert_int_equal(rn_chain_init(&c, &cfg, NULL), 0);
    assert_int_equal(lb_mantle_key_init(&k0, "unit", "validator-0", NULL), 0);
    assert_int_equal(lb_mantle_key_init(&k1, "unit", "validator-1", NULL), 0);
    assert_int_equal(lb_mantle_key_init(&outsider, "unit", "mallory", NULL), 0);
    while (!rn_lottery_try(&c, &k0, s, proof))
        s++;
    assert_true(rn_lottery_verify(&c, k0.pk, s, proof));
    assert_false(rn_lottery_verify(&c, k1.pk, s, proof));
    assert_false(rn_lottery_verify(&c, k0.pk, s + 1000003, proof));
    memset(junk, 0x42, sizeof(junk));
    assert_false(rn_lottery_verify(&c, k0.pk, s, junk));
    /* a key outside the stake table never leads, whatever it signs */
    assert_false(rn_lottery_try(&c, &outsider, s, proof));
    lb_mantle_key_release(&k0);
    lb_mantle_key_release(&k1);
    lb_mantle_key_release(&outsider);
    rn_chain_release(&c);
    rn_config_release(&cfg);
}

/* A chain with f = 1: every holder leads every slot. */
struct fixture {
    struct rn_config cfg;
    struct rn_chain a, b, c;
    struct lb_mantle_key k0, k1, alice, bob;
};

static void fx_init(struct fixture *fx)
{
    make_cfg(&fx->cfg, 1.0, 2);
    assert_int_equal(rn_chain_init(&fx->a, &fx->cfg, NULL), 0);
    assert_int_equal(rn_chain_init(&fx->b, &fx->cfg, NULL), 0);
    assert_int_equal(rn_chain_init(&fx->c, &fx->cfg, NULL), 0);
    assert_int_equal(lb_mantle_key_init(&fx->k0, "unit", "validator-0", NULL),
                     0);
    assert_int_equal(lb_mantle_key_init(&fx->k1, "unit", "validator-1", NULL),
                     0);
    assert_int_equal(
        lb_mantle_key_init(&fx->alice, "unit", "wallet-user-0", NULL), 0);
    assert_int_equal(
        lb_mantle_key_init(&fx->bob, "unit", "wallet-user-1", NULL), 0);
}

static void fx_release(struct fixture *fx)
{
    rn_chain_release(&fx->a);
    rn_chain_release(&fx->b);
    rn_chain_release(&fx->c);
    lb_mantle_key_release(&fx->k0);
    lb_mantle_key_release(&fx->k1);
    lb_mantle_key_release(&fx->alice);
    lb_mantle_key_release(&fx->bob);
    rn_config_release(&fx->cfg);
}

/* Builds a block on `on`'s tip, adds it there, and returns a decoded copy. */
static struct rn_block *grow(struct rn_chain *on,
                             const struct lb_mantle_key *k,
                             uint64_t slot,
                             struct rn_tx *const *txs,
                             size_t n)
{
    unsigned char proof[64];
    struct rn_block *b, *copy;
    json_t *j;

    assert_true(rn_lottery_try(on, k, slot, proof));
    b = rn_block_build(on, k, slot, proof, txs, n);
    j = json_loadb(b->text, b->text_len, 0, NULL);
    assert_non_null(j);
    copy = rn_block_decode(j, NULL);
    json_decref(j);
    assert_non_null(copy);
    assert_memory_equal(copy->id, b->id, 32);
    assert_int_equal(rn_chain_add(on, b, slot, NULL, NULL), 0);
    return copy;
}

static struct rn_tx *transfer(struct fixture *fx,
                              const struct lb_mantle_key *from,
                              const char *wallet,
                              uint32_t note,
                              uint64_t to_bob,
                              uint64_t change)
{
    struct lb_mantle_output out[2];
    char id[65];
    const char *in[1] = {id};
    json_t *j;
    struct rn_tx *tx;

    lb_mantle_genesis_note_id("unit", wallet, note, id);
    out[0].value = to_bob;
    memcpy(out[0].pk_hex, fx->bob.pk_hex, 65);
    out[1].value = change;
    memcpy(out[1].pk_hex, fx->alice.pk_hex, 65);
    j = lb_mantle_transfer_new(in, 1, out, 2, from, NULL);
    assert_non_null(j);
    tx = rn_tx_parse(j, NULL);
    json_decref(j);
    assert_non_null(tx);
    return tx;
}

static void test_rn_chain_block_codec_roundtrip_and_tampering(void **state)
{
    struct fixture fx;
    struct rn_tx *tx;
    struct rn_block *b;
    struct lb_error err;
    json_t *j, *txs;
    char *text;
    int i;

    (void)state;
    fx_init(&fx);
    tx = transfer(&fx, &fx.alice, "wallet-user-0", 0, 60, 40);
    b = grow(&fx.a, &fx.k0, 1, &tx, 1);
    assert_int_equal(b->n_txs, 1);
    assert_memory_equal(b->txs[0]->hash, tx->hash, 32);
    j = json_loadb(b->text, b->text_len, 0, NULL);
    rn_block_free(b);
    /* a flipped signature */
    text = json_dumps(j, JSON_COMPACT);
    json_object_set_new(json_object_get(j, "header"), "slot", json_integer(2));
    lb_error_init(&err);
    assert_null(rn_block_decode(j, &err));
    assert_string_equal(err.msg, "bad block signature");
    json_decref(j);
    j = json_loads(text, 0, NULL);
    free(text);
    json_object_set_new(
        json_object_get(j, "header"), "block_root", json_string("00"));
    lb_error_init(&err);
    assert_null(rn_block_decode(j, &err)); /* the id changes: signature */
    json_decref(j);
    /* too many transactions */
    j = json_pack("{s:{s:s}, s:s, s:[]}",
                  "header",
                  "version",
                  "Bedrock",
                  "signature",
                  "",
                  "transactions");
    txs = json_object_get(j, "transactions");
    for (i = 0; i < 1025; i++)
        json_array_append_new(txs, json_null());
    assert_null(rn_block_decode(j, NULL));
    json_decref(j);
    /* no header at all */
    j = json_pack("{s:i}", "header", 1);
    lb_error_init(&err);
    assert_null(rn_block_decode(j, &err));
    assert_non_null(strstr(err.msg, "header"));
    json_decref(j);
    rn_tx_unref(tx);
    fx_release(&fx);
}

static void test_rn_chain_fork_choice_longest_then_lowest_id(void **state)
{
    struct fixture fx;
    struct rn_block *a1, *a2, *b1, *b2, *b3, *tip_ab;
    struct lb_error err;
    unsigned char a2id[32], b2id[32], b3id[32];

    (void)state;
    fx_init(&fx);
    a1 = grow(&fx.a, &fx.k0, 1, NULL, 0);
    a2 = grow(&fx.a, &fx.k0, 2, NULL, 0);
    b1 = grow(&fx.b, &fx.k1, 1, NULL, 0);
    b2 = grow(&fx.b, &fx.k1, 3, NULL, 0);
    b3 = grow(&fx.b, &fx.k1, 4, NULL, 0);
    memcpy(a2id, a2->id, 32);
    memcpy(b2id, b2->id, 32);
    memcpy(b3id, b3->id, 32);
    /* unknown parent first */
    lb_error_init(&err);
    assert_int_equal(rn_chain_add(&fx.c, a2, 10, NULL, &err), LB_ENOTFOUND);
    assert_int_equal(rn_chain_add(&fx.c, a1, 10, NULL, NULL), 0);
    a2 = NULL;
    {
        /* a2 again, decoded from chain a */
        struct rn_block *again = rn_chain_get(&fx.a, a2id);
        json_t *j = json_loadb(again->text, again->text_len, 0, NULL);

        a2 = rn_block_decode(j, NULL);
        json_decref(j);
    }
    assert_int_equal(rn_chain_add(&fx.c, a2, 10, NULL, NULL), 0);
    assert_memory_equal(fx.c.tip->id, a2id, 32);
    assert_int_equal(rn_chain_add(&fx.c, b1, 10, NULL, NULL), 0);
    assert_memory_equal(fx.c.tip->id, a2id, 32); /* shorter fork: ignored */
    assert_int_equal(rn_chain_add(&fx.c, b2, 10, NULL, NULL), 0);
    /* equal height: the lower id wins */
    tip_ab = fx.c.tip;
    assert_int_equal(tip_ab->height, 2);
    assert_memory_equal(
        tip_ab->id, memcmp(a2id, b2id, 32) < 0 ? a2id : b2id, 32);
    /* from the future: slot 4 when the node is at slot 2 */
    {
        struct rn_block *again = rn_chain_get(&fx.b, b3id);
        json_t *j = json_loadb(again->text, again->text_len, 0, NULL);
        struct rn_block *fut = rn_block_decode(j, NULL);

        lb_error_init(&err);
        assert_int_equal(rn_chain_add(&fx.c, fut, 2, NULL, &err), LB_EINVAL);
        assert_non_null(strstr(err.msg, "future"));
        json_decref(j);
    }
    assert_int_equal(rn_chain_add(&fx.c, b3, 10, NULL, NULL), 0);
    assert_memory_equal(fx.c.tip->id, b3id, 32);
    assert_int_equal(fx.c.tip->height, 3);
    assert_int_equal(rn_chain_lib(&fx.c)->height, 1); /* k = 2 */
    if (memcmp(a2id, b2id, 32) < 0) {
        assert_int_equal(fx.c.reorgs, 1);
        assert_int_equal(fx.c.max_reorg_depth, 2);
    }
    /* known block */
    {
        struct rn_block *again = rn_chain_get(&fx.b, b3id);
        json_t *j = json_loadb(again->text, again->text_len, 0, NULL);

        assert_int_equal(
            rn_chain_add(&fx.c, rn_block_decode(j, NULL), 10, NULL, NULL), 1);
        json_decref(j);
    }
    fx_release(&fx);
}

static void test_rn_chain_ledger_apply_revert_and_invalid_blocks(void **state)
{
    struct fixture fx;
    struct rn_tx *tx, *dbl[2], *bad;
    struct rn_block *x1, *y1, *y2, *z;
    struct lb_error err;
    uint64_t alice0, bob0;

    (void)state;
    fx_init(&fx);
    alice0 = rn_chain_balance(&fx.c, fx.alice.pk, NULL);
    bob0 = rn_chain_balance(&fx.c, fx.bob.pk, NULL);
    assert_int_equal(alice0, 1000);
    tx = transfer(&fx, &fx.alice, "wallet-user-0", 0, 60, 40);
    /* checks of the mempool path */
    assert_int_equal(rn_chain_check_tx(&fx.c, tx, NULL, NULL), 0);
    bad = transfer(&fx, &fx.alice, "wallet-user-0", 1, 60, 50); /* 110>100 */
    lb_error_init(&err);
    assert_int_equal(rn_chain_check_tx(&fx.c, bad, NULL, &err), LB_EINVAL);
    assert_non_null(strstr(err.msg, "exceed"));
    rn_tx_unref(bad);
    bad = transfer(&fx, &fx.bob, "wallet-user-0", 2, 60, 40); /* not bob's */
    lb_error_init(&err);
    assert_int_equal(rn_chain_check_tx(&fx.c, bad, NULL, &err), LB_EINVAL);
    assert_non_null(strstr(err.msg, "signature"));
    rn_tx_unref(bad);
    /* apply */
    x1 = grow(&fx.a, &fx.k0, 1, &tx, 1);
    assert_int_equal(rn_chain_add(&fx.c, x1, 10, NULL, NULL), 0);
    assert_int_equal(rn_chain_balance(&fx.c, fx.alice.pk, NULL), alice0 - 60);
    assert_int_equal(rn_chain_balance(&fx.c, fx.bob.pk, NULL), bob0 + 60);
    lb_error_init(&err);
    assert_int_equal(rn_chain_check_tx(&fx.c, tx, NULL, &err), LB_EINVAL);
    /* revert: a longer fork without the transfer */
    y1 = grow(&fx.b, &fx.k1, 1, NULL, 0);
    y2 = grow(&fx.b, &fx.k1, 2, NULL, 0);
    assert_int_equal(rn_chain_add(&fx.c, y1, 10, NULL, NULL), 0);
    assert_int_equal(rn_chain_add(&fx.c, y2, 10, NULL, NULL), 0);
    assert_int_equal(fx.c.tip->height, 2);
    assert_int_equal(rn_chain_balance(&fx.c, fx.alice.pk, NULL), alice0);
    assert_int_equal(rn_chain_balance(&fx.c, fx.bob.pk, NULL), bob0);
    assert_int_equal(rn_chain_check_tx(&fx.c, tx, NULL, NULL), 0);
    /* a double spend inside a block: the block is never adopted */
    dbl[0] = transfer(&fx, &fx.alice, "wallet-user-0", 3, 10, 90);
    dbl[1] = transfer(&fx, &fx.alice, "wallet-user-0", 3, 20, 80);
    rn_block_free(grow(&fx.b, &fx.k1, 3, NULL, 0));
    {
        /* the builder does not validate: a leader could send this */
        unsigned char proof[64];
        struct rn_block *blk;
        json_t *j;

        assert_true(rn_lottery_try(&fx.b, &fx.k1, 4, proof));
        blk = rn_block_build(&fx.b, &fx.k1, 4, proof, dbl, 2);
        j = json_loadb(blk->text, blk->text_len, 0, NULL);
        z = rn_block_decode(j, NULL);
        json_decref(j);
        rn_block_free(blk);
    }
    {
        struct rn_block *b3 = rn_chain_at(&fx.b, 3);
        json_t *j = json_loadb(b3->text, b3->text_len, 0, NULL);

        assert_int_equal(
            rn_chain_add(&fx.c, rn_block_decode(j, NULL), 10, NULL, NULL), 0);
        json_decref(j);
    }
    assert_int_equal(fx.c.tip->height, 3);
    assert_int_equal(rn_chain_add(&fx.c, z, 10, NULL, NULL), 0);
    assert_int_equal(fx.c.tip->height, 3); /* stays: height 4 is invalid */
    assert_int_equal(rn_chain_balance(&fx.c, fx.alice.pk, NULL), alice0);
    rn_tx_unref(dbl[0]);
    rn_tx_unref(dbl[1]);
    rn_tx_unref(tx);
    fx_release(&fx);
}

/* A tx whose ledger signature was verified, as another object with the
 * same hash: accepted without a second verification only with the same
 * signature bytes; a forged copy is still rejected. */
static void test_rn_chain_verified_signature_needs_same_bytes(void **state)
{
    struct fixture fx;
    struct rn_tx *tx, *same, *forged;
    struct lb_error err;
    json_t *j;
    char sig[129];

    (void)state;
    fx_init(&fx);
    tx = transfer(&fx, &fx.alice, "wallet-user-0", 0, 60, 40);
    assert_int_equal(rn_chain_check_tx(&fx.a, tx, NULL, NULL), 0);
    assert_true(tx->sig_ok);
    j = json_loadb(tx->text, tx->text_len, 0, NULL);
    same = rn_tx_parse(j, NULL);
    assert_non_null(same);
    assert_false(same->sig_ok);
    assert_int_equal(rn_chain_check_tx(&fx.a, same, NULL, NULL), 0);
    /* keys in another order: the same canonical (sorted) text */
    {
        json_t *rev = json_object();
        const char *key;
        json_t *v;
        struct rn_tx *other;
        const char *keys[3] = {"mantle_tx", "ops_proofs", "ledger_tx_proof"};
        size_t i;

        for (i = 0; i < 3; i++)
            json_object_set(rev, keys[i], json_object_get(j, keys[i]));
        json_object_foreach(rev, key, v)
        {
            (void)v;
            assert_string_equal(key, "mantle_tx"); /* insertion order */
            break;
        }
        other = rn_tx_parse(rev, NULL);
        assert_non_null(other);
        assert_int_equal(other->text_len, tx->text_len);
        assert_memory_equal(other->text, tx->text, tx->text_len);
        rn_tx_unref(other);
        json_decref(rev);
    }
    /* flip one signature bit: same hash, not the verified bytes */
    memcpy(sig,
           json_string_value(json_object_get(
               json_object_get(j, "ledger_tx_proof"), "Ed25519Sig")),
           129);
    sig[0] = sig[0] == '0' ? '1' : '0';
    json_object_set_new(
        json_object_get(j, "ledger_tx_proof"), "Ed25519Sig", json_string(sig));
    forged = rn_tx_parse(j, NULL);
    assert_non_null(forged);
    assert_memory_equal(forged->hash, tx->hash, 32);
    lb_error_init(&err);
    assert_int_equal(rn_chain_check_tx(&fx.a, forged, NULL, &err), LB_EINVAL);
    assert_non_null(strstr(err.msg, "bad signature"));
    json_decref(j);
    rn_tx_unref(tx);
    rn_tx_unref(same);
    rn_tx_unref(forged);
    fx_release(&fx);
}

static struct rn_tx *lookup_one(void *ctx, const unsigned char hash[32])
{
    struct rn_tx *tx = ctx;

    return memcmp(tx->hash, hash, 32) == 0 ? tx : NULL;
}

/* Decoding with the txs a node has: the same transfer shares the object;
 * the same tx with another signature is a separate object. */
static void test_rn_chain_block_decode_shares_known_txs(void **state)
{
    struct fixture fx;
    struct rn_tx *tx;
    struct rn_block *b, *d;
    unsigned char proof[64];
    json_t *j, *t0;
    char sig[129];

    (void)state;
    fx_init(&fx);
    tx = transfer(&fx, &fx.alice, "wallet-user-0", 0, 60, 40);
    assert_true(rn_lottery_try(&fx.a, &fx.k0, 1, proof));
    b = rn_block_build(&fx.a, &fx.k0, 1, proof, &tx, 1);
    j = json_loadb(b->text, b->text_len, 0, NULL);
    assert_non_null(j);
    d = rn_block_decode_known(j, lookup_one, tx, NULL);
    assert_non_null(d);
    assert_ptr_equal(d->txs[0], tx);
    /* the stored text is the canonical one, as built */
    assert_int_equal(d->text_len, b->text_len);
    assert_memory_equal(d->text, b->text, b->text_len);
    rn_block_free(d);
    t0 = json_array_get(json_object_get(j, "transactions"), 0);
    memcpy(sig,
           json_string_value(json_object_get(
               json_object_get(t0, "ledger_tx_proof"), "Ed25519Sig")),
           129);
    sig[5] = sig[5] == 'a' ? 'b' : 'a';
    json_object_set_new(
        json_object_get(t0, "ledger_tx_proof"), "Ed25519Sig", json_string(sig));
    d = rn_block_decode_known(j, lookup_one, tx, NULL);
    assert_non_null(d); /* block_root covers hashes, not signatures */
    assert_ptr_not_equal(d->txs[0], tx);
    assert_memory_equal(d->txs[0]->hash, tx->hash, 32);
    assert_int_not_equal(rn_chain_check_tx(&fx.b, d->txs[0], NULL, NULL), 0);
    rn_block_free(d);
    json_decref(j);
    rn_block_free(b);
    rn_tx_unref(tx);
    fx_release(&fx);
}

/* Sum of `pk`'s notes after block `at`; fails the test on an error. */
static uint64_t sum_at(struct rn_chain *c,
                       struct rn_block *at,
                       const unsigned char pk[32],
                       size_t *count)
{
    struct rn_owned_note *notes;
    uint64_t sum = 0;
    size_t n, i;

    assert_int_equal(rn_chain_notes_at(c, at, pk, &notes, &n, NULL), 0);
    for (i = 0; i < n; i++)
        sum += notes[i].value;
    if (count != NULL)
        *count = n;
    lb_free(notes);
    return sum;
}

/*
 * The ledger after any block: the tip's, an ancestor's (a spent note is
 * back), a losing fork's (its own transfer applied, the tip's not), and
 * none for an invalid block.
 */
static void test_rn_chain_notes_at_tip_ancestor_and_fork(void **state)
{
    struct fixture fx;
    struct rn_tx *tx, *fork_tx, *dbl[2];
    struct rn_block *x1, *x2, *y1, *ya, *z;
    struct lb_error err;
    size_t count;
    char hex[65];
    struct rn_owned_note *notes;
    size_t n, i;
    bool has_note0 = false;

    (void)state;
    fx_init(&fx);
    tx = transfer(&fx, &fx.alice, "wallet-user-0", 0, 60, 40);
    x1 = grow(&fx.a, &fx.k0, 1, &tx, 1);
    x2 = grow(&fx.a, &fx.k0, 2, NULL, 0);
    assert_int_equal(rn_chain_add(&fx.c, x1, 10, NULL, NULL), 0);
    assert_int_equal(rn_chain_add(&fx.c, x2, 10, NULL, NULL), 0);
    fork_tx = transfer(&fx, &fx.alice, "wallet-user-0", 1, 30, 70);
    y1 = grow(&fx.b, &fx.k1, 3, &fork_tx, 1);
    assert_int_equal(rn_chain_add(&fx.c, y1, 10, &ya, NULL), 0);
    assert_int_equal(fx.c.tip->height, 2);
    /* the tip */
    assert_int_equal(sum_at(&fx.c, fx.c.tip, fx.alice.pk, &count), 940);
    assert_int_equal(count, 10);
    assert_int_equal(sum_at(&fx.c, fx.c.tip, fx.bob.pk, NULL), 1060);
    assert_int_equal(sum_at(&fx.c, rn_chain_at(&fx.c, 1), fx.alice.pk, NULL),
                     940);
    /* genesis: note 0 is unspent there */
    assert_int_equal(sum_at(&fx.c, fx.c.gen, fx.alice.pk, &count), 1000);
    assert_int_equal(count, 10);
    assert_int_equal(
        rn_chain_notes_at(&fx.c, fx.c.gen, fx.alice.pk, &notes, &n, NULL), 0);
    lb_mantle_genesis_note_id("unit", "wallet-user-0", 0, hex);
    for (i = 0; i < n; i++) {
        char id[65];

        lb_mantle_hex(notes[i].id, 32, id);
        has_note0 = has_note0 || strcmp(id, hex) == 0;
    }
    lb_free(notes);
    assert_true(has_note0);
    assert_int_equal(sum_at(&fx.c, fx.c.gen, fx.bob.pk, NULL), 1000);
    /* the fork: its transfer, not the tip's */
    assert_int_equal(sum_at(&fx.c, ya, fx.alice.pk, NULL), 970);
    assert_int_equal(sum_at(&fx.c, ya, fx.bob.pk, NULL), 1030);
    /* the tip's ledger did not move */
    assert_int_equal(rn_chain_balance(&fx.c, fx.alice.pk, NULL), 940);
    /* an invalid block (a double spend inside) has no ledger */
    dbl[0] = transfer(&fx, &fx.alice, "wallet-user-0", 3, 10, 90);
    dbl[1] = transfer(&fx, &fx.alice, "wallet-user-0", 3, 20, 80);
    z = grow(&fx.b, &fx.k1, 4, dbl, 2);
    assert_int_equal(rn_chain_add(&fx.c, z, 10, &ya, NULL), 0);
    /* height 2 on a fork of equal length: adopted only if valid */
    lb_error_init(&err);
    if (ya->invalid) {
        assert_int_equal(
            rn_chain_notes_at(&fx.c, ya, fx.alice.pk, &notes, &n, &err),
            LB_EINVAL);
        assert_non_null(strstr(err.msg, "invalid"));
    } else {
        /* not chosen (higher id): walking its fork finds the double spend */
        assert_int_equal(
            rn_chain_notes_at(&fx.c, ya, fx.alice.pk, &notes, &n, &err),
            LB_EINVAL);
        assert_non_null(strstr(err.msg, "does not exist"));
    }
    assert_null(notes);
    rn_tx_unref(dbl[0]);
    rn_tx_unref(dbl[1]);
    rn_tx_unref(tx);
    rn_tx_unref(fork_tx);
    fx_release(&fx);
}

/* ---- old blocks --------------------------------------------------------- */

/* Appends the record of `b` to `path`, as node.c's block log does. */
static void log_record(const char *path, const struct rn_block *b)
{
    unsigned char head[40];
    uint32_t len = (uint32_t)b->text_len;
    FILE *f = fopen(path, "ab");

    assert_non_null(f);
    memcpy(head, "RNB1", 4);
    head[4] = len & 0xff;
    head[5] = (len >> 8) & 0xff;
    head[6] = (len >> 16) & 0xff;
    head[7] = (len >> 24) & 0xff;
    lb_mantle_sha256(b->text, b->text_len, head + 8);
    assert_int_equal(fwrite(head, 1, 40, f), 40);
    assert_int_equal(fwrite(b->text, 1, b->text_len, f), b->text_len);
    assert_int_equal(fclose(f), 0);
}

/* Adds a copy of `b` (text) to `c` and logs it; the stored block. */
static struct rn_block *
add_logged(struct rn_chain *c, const struct rn_block *b, const char *log)
{
    json_t *j = json_loadb(b->text, b->text_len, 0, NULL);
    struct rn_block *copy = rn_block_decode(j, NULL), *added = NULL;

    json_decref(j);
    assert_non_null(copy);
    assert_int_equal(rn_chain_add(c, copy, 100000, &added, NULL), 0);
    log_record(log, added);
    return added;
}

/*
 * A chain with a block log: blocks below LIB give up their txs and their
 * text becomes a view of the log, still the same bytes; a reorg deeper
 * than LIB reverts and applies them from the log, and the ledger ends as
 * the winning chain's; a chain whose log does not match stops slimming.
 */
static void test_rn_chain_old_blocks_slim_and_come_back(void **state)
{
    struct fixture fx;
    struct rn_config cfg;
    struct rn_chain s;
    char dir[] = "/tmp/rn_chain_XXXXXX", text[1024], log[64];
    struct rn_tx *tx[6];
    struct rn_block *sb[31];
    uint64_t h, slot;
    size_t i;

    (void)state;
    fx_init(&fx);
    assert_non_null(mkdtemp(dir));
    (void)snprintf(log, sizeof(log), "%s/blocks.log", dir);
    (void)snprintf(text,
                   sizeof(text),
                   "node: {name: validator-0, data_dir: %s}\n"
                   "listen: {api: 127.0.0.1:1, testing: 127.0.0.1:2, "
                   "network: 127.0.0.1:3}\n"
                   "chain: {genesis_seed: unit, start_time_ms: 0, "
                   "slot_duration_ms: 100, active_slot_coeff: 1, "
                   "security_param: 2}\n"
                   "wallets:\n"
                   "  - {name: wallet-user-0, funds: 1000, notes: 10}\n"
                   "  - {name: wallet-user-1, funds: 1000, notes: 10}\n"
                   "nodes:\n  - {name: validator-0}\n  - {name: "
                   "validator-1}\n",
                   dir);
    assert_int_equal(rn_config_parse(&cfg, "s.yaml", text, strlen(text), NULL),
                     0);
    assert_int_equal(rn_chain_init(&s, &cfg, NULL), 0);
    /* chain a: 30 blocks, transfers in the first six */
    for (i = 0; i < 6; i++)
        tx[i] =
            transfer(&fx, &fx.alice, "wallet-user-0", (uint32_t)i, 10, 90 - i);
    sb[0] = s.gen;
    for (h = 1; h <= 30; h++) {
        struct rn_block *copy =
            grow(&fx.a, &fx.k0, h, h <= 6 ? &tx[h - 1] : NULL, h <= 6);

        sb[h] = add_logged(&s, copy, log);
        rn_block_free(copy);
    }
    assert_int_equal(s.tip->height, 30);
    assert_int_equal(rn_chain_balance(&s, fx.bob.pk, NULL), 1060);
    /* below LIB (28) and not the last added: slim, same bytes as chain a */
    for (h = 1; h <= 30; h++) {
        struct rn_block *ab = rn_chain_at(&fx.a, h);

        assert_int_equal(sb[h]->slim, h < 28);
        assert_int_equal(sb[h]->text_len, ab->text_len);
        assert_memory_equal(sb[h]->text, ab->text, ab->text_len);
        if (h < 28)
            assert_int_equal(sb[h]->n_txs, 0);
    }
    assert_int_equal(s.n_slim, 27);
    /* the ledger at an old block reads its txs back from the log */
    assert_int_equal(sum_at(&s, sb[3], fx.bob.pk, NULL), 1030);
    /* chain b: the first 4 blocks, then a longer fork without transfers */
    for (h = 1; h <= 4; h++) {
        struct rn_block *ab = rn_chain_at(&fx.a, h);
        json_t *j = json_loadb(ab->text, ab->text_len, 0, NULL);

        assert_int_equal(
            rn_chain_add(&fx.b, rn_block_decode(j, NULL), 100, NULL, NULL), 0);
        json_decref(j);
    }
    for (slot = 100; slot < 100 + 28; slot++) {
        struct rn_block *copy = grow(&fx.b, &fx.k1, slot, NULL, 0);

        (void)add_logged(&s, copy, log);
        rn_block_free(copy);
    }
    assert_int_equal(s.tip->height, 32);
    assert_memory_equal(s.tip->id, fx.b.tip->id, 32);
    assert_true(s.max_reorg_depth >= 26);
    assert_int_equal(rn_chain_balance(&s, fx.bob.pk, NULL),
                     rn_chain_balance(&fx.b, fx.bob.pk, NULL));
    assert_int_equal(rn_chain_balance(&s, fx.bob.pk, NULL), 1040);
    assert_int_equal(rn_chain_balance(&s, fx.alice.pk, NULL),
                     rn_chain_balance(&fx.b, fx.alice.pk, NULL));
    /* reverted blocks came back whole for the reorg, then slim again */
    assert_false(sb[5]->on_chain);
    assert_true(sb[5]->slim);
    assert_int_equal(sb[5]->n_txs, 0);
    assert_null(sb[5]->txs);
    assert_int_equal(s.n_refull, 0);
    /*
     * a ledger query at the old fork reads back its blocks with txs (5
     * and 6), not the empty ones between it and the tip
     */
    assert_int_equal(sum_at(&s, sb[6], fx.bob.pk, NULL), 1060);
    assert_int_equal(sb[5]->n_txs, 1);
    assert_int_equal(s.n_refull, 2);
    rn_chain_release(&s);
    /* a log that is not the chain's: nothing is slimmed */
    {
        FILE *f = fopen(log, "wb");

        assert_non_null(f);
        assert_int_equal(fputs("not a block log\n", f) >= 0, 1);
        assert_int_equal(fclose(f), 0);
    }
    assert_int_equal(rn_chain_init(&s, &cfg, NULL), 0);
    for (h = 1; h <= 10; h++) {
        json_t *j = json_loadb(rn_chain_at(&fx.a, h)->text,
                               rn_chain_at(&fx.a, h)->text_len,
                               0,
                               NULL);

        assert_int_equal(
            rn_chain_add(&s, rn_block_decode(j, NULL), 100, NULL, NULL), 0);
        json_decref(j);
    }
    assert_int_equal(s.n_slim, 0);
    assert_true(s.log_off_track);
    rn_chain_release(&s);
    for (i = 0; i < 6; i++)
        rn_tx_unref(tx[i]);
    (void)unlink(log);
    (void)rmdir(dir);
    rn_config_release(&cfg);
    fx_release(&fx);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rn_chain_lottery_threshold_praos_property),
        cmocka_unit_test(test_rn_chain_lottery_threshold_matches_libm),
        cmocka_unit_test(test_rn_chain_lottery_block_rate_matches_f),
        cmocka_unit_test(test_rn_chain_lottery_verify_rejects_forgeries),
        cmocka_unit_test(test_rn_chain_block_codec_roundtrip_and_tampering),
        cmocka_unit_test(test_rn_chain_fork_choice_longest_then_lowest_id),
        cmocka_unit_test(test_rn_chain_ledger_apply_revert_and_invalid_blocks),
        cmocka_unit_test(test_rn_chain_verified_signature_needs_same_bytes),
        cmocka_unit_test(test_rn_chain_block_decode_shares_known_txs),
        cmocka_unit_test(test_rn_chain_notes_at_tip_ancestor_and_fork),
        cmocka_unit_test(test_rn_chain_old_blocks_slim_and_come_back),
    };
    return cmocka_run_group_tests_name("rn_chain", tests, NULL, NULL);
}
