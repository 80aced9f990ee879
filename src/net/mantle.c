/*
 * Mantle keys, ids, tx hashes and signatures (see mantle.h): the byte-exact
 * definitions of refnode_contract.md on top of OpenSSL libcrypto.
 */
#include "net/mantle.h"

#include <openssl/evp.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

/* Incremental SHA-256; OpenSSL's EVP_MD_CTX behind a tiny helper. */
struct sha {
    EVP_MD_CTX *ctx;
};

/*
 * OpenSSL 3 looks an implicit EVP_sha256() up in its provider tables on
 * every init; one explicit fetch, kept for the process, saves that.
 */
static const EVP_MD *sha256_md(void)
{
    static EVP_MD *md;

    if (md == NULL)
        md = EVP_MD_fetch(NULL, "SHA256", NULL);
    return md != NULL ? md : EVP_sha256();
}

static void sha_init(struct sha *s)
{
    s->ctx = EVP_MD_CTX_new();
    if (s->ctx == NULL || EVP_DigestInit_ex(s->ctx, sha256_md(), NULL) != 1)
        LB_BUG("sha-256 context unavailable");
}

static void sha_add(struct sha *s, const void *data, size_t len)
{
    if (EVP_DigestUpdate(s->ctx, data, len) != 1)
        LB_BUG("sha-256 update failed");
}

static void sha_adds0(struct sha *s, const char *str)
{
    sha_add(s, str, strlen(str));
}

static void sha_u32(struct sha *s, uint32_t v)
{
    unsigned char b[4] = {
        v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff};

    sha_add(s, b, 4);
}

static void sha_u64(struct sha *s, uint64_t v)
{
    unsigned char b[8];
    int i;

    for (i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    sha_add(s, b, 8);
}

static void sha_final(struct sha *s, unsigned char out[32])
{
    unsigned int n = 32;

    if (EVP_DigestFinal_ex(s->ctx, out, &n) != 1)
        LB_BUG("sha-256 final failed");
    EVP_MD_CTX_free(s->ctx);
    s->ctx = NULL;
}

void lb_mantle_sha256(const void *data, size_t len, unsigned char out[32])
{
    struct sha s;

    sha_init(&s);
    sha_add(&s, data, len);
    sha_final(&s, out);
}

void lb_mantle_hex(const unsigned char *data, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

/* digit value + 1 of every byte, 0 for a non-digit: keys, signatures and
 * ids of every tx and block pass here, so no branches per character */
static const unsigned char hex_plus1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
    ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
    ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
    ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int hexval(char c)
{
    return (int)hex_plus1[(unsigned char)c] - 1;
}

bool lb_mantle_unhex(const char *hex, unsigned char *out, size_t len)
{
    size_t i;

    if (hex == NULL || strlen(hex) != 2 * len)
        return false;
    for (i = 0; i < len; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return false;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

bool lb_mantle_is_id(const char *s)
{
    size_t i;

    if (s == NULL)
        return false;
    for (i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[64] == '\0';
}

int lb_mantle_key_init_seed(struct lb_mantle_key *key,
                            const unsigned char seed[32],
                            struct lb_error *err)
{
    EVP_PKEY *pkey;
    size_t n = 32;

    memset(key, 0, sizeof(*key));
    memcpy(key->seed, seed, 32);
    pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    if (pkey == NULL)
        return lb_error_set(err, LB_EINVAL, "cannot make an ed25519 key");
    if (EVP_PKEY_get_raw_public_key(pkey, key->pk, &n) != 1 || n != 32) {
        EVP_PKEY_free(pkey);
        return lb_error_set(err, LB_EINVAL, "cannot read an ed25519 key");
    }
    key->pkey = pkey;
    lb_mantle_hex(key->pk, 32, key->pk_hex);
    return 0;
}

int lb_mantle_key_init(struct lb_mantle_key *key,
                       const char *genesis_seed,
                       const char *label,
                       struct lb_error *err)
{
    unsigned char seed[32];
    struct sha s;

    sha_init(&s);
    sha_add(&s, "logos-bdd/key/v1", 16);
    sha_add(&s, "", 1);
    sha_adds0(&s, genesis_seed);
    sha_add(&s, "", 1);
    sha_adds0(&s, label);
    sha_final(&s, seed);
    return lb_mantle_key_init_seed(key, seed, err);
}

void lb_mantle_key_release(struct lb_mantle_key *key)
{
    if (key == NULL)
        return;
    EVP_PKEY_free(key->pkey);
    key->pkey = NULL;
}

int lb_mantle_sign(const struct lb_mantle_key *key,
                   const void *msg,
                   size_t len,
                   unsigned char sig[LB_MANTLE_SIG_LEN])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t n = LB_MANTLE_SIG_LEN;
    int rc = LB_EINVAL;

    if (ctx == NULL)
        return LB_ENOMEM;
    if (key->pkey != NULL &&
        EVP_DigestSignInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
        EVP_DigestSign(ctx, sig, &n, msg, len) == 1 && n == LB_MANTLE_SIG_LEN)
        rc = 0;
    EVP_MD_CTX_free(ctx);
    return rc;
}

/*
 * Public keys met recently, as OpenSSL keys: building one from raw bytes is
 * a good part of a verification's cost, and a node sees the same few keys
 * again and again. Direct-mapped; not thread-safe (logos-bdd and refnode
 * verify on one thread).
 */
static struct {
    unsigned char pk[32];
    EVP_PKEY *pkey;
} pk_cache[64];

static EVP_PKEY *public_key(const unsigned char pk[32])
{
    unsigned slot = (pk[0] ^ pk[7] ^ pk[31]) & 63;

    if (pk_cache[slot].pkey != NULL && memcmp(pk_cache[slot].pk, pk, 32) == 0)
        return pk_cache[slot].pkey;
    EVP_PKEY_free(pk_cache[slot].pkey);
    pk_cache[slot].pkey =
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
    memcpy(pk_cache[slot].pk, pk, 32);
    return pk_cache[slot].pkey;
}

bool lb_mantle_verify(const unsigned char pk[32],
                      const void *msg,
                      size_t len,
                      const unsigned char sig[LB_MANTLE_SIG_LEN])
{
    EVP_PKEY *pkey = public_key(pk);
    EVP_MD_CTX *ctx = NULL;
    bool ok = false;

    if (pkey == NULL)
        return false;
    ctx = EVP_MD_CTX_new();
    if (ctx != NULL && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1)
        ok = EVP_DigestVerify(ctx, sig, LB_MANTLE_SIG_LEN, msg, len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

void lb_mantle_genesis_id(const char *genesis_seed, char out[LB_MANTLE_ID_HEX])
{
    unsigned char h[32];
    struct sha s;

    sha_init(&s);
    sha_adds0(&s, "logos-bdd/genesis/v1");
    sha_add(&s, "", 1);
    sha_adds0(&s, genesis_seed);
    sha_final(&s, h);
    lb_mantle_hex(h, 32, out);
}

void lb_mantle_genesis_note_id(const char *genesis_seed,
                               const char *name,
                               uint32_t j,
                               char out[LB_MANTLE_ID_HEX])
{
    unsigned char h[32];
    struct sha s;

    sha_init(&s);
    sha_adds0(&s, "logos-bdd/genesis-note/v1");
    sha_add(&s, "", 1);
    sha_adds0(&s, genesis_seed);
    sha_add(&s, "", 1);
    sha_adds0(&s, name);
    sha_u32(&s, j);
    sha_final(&s, h);
    lb_mantle_hex(h, 32, out);
}

uint64_t
lb_mantle_genesis_note_value(uint64_t funds, uint32_t notes, uint32_t j)
{
    if (notes == 0 || j >= notes)
        return 0;
    return funds / notes + (j < funds % notes ? 1 : 0);
}

static void tagged_index_id(const char *tag,
                            const unsigned char hash[32],
                            uint32_t j,
                            char out[LB_MANTLE_ID_HEX])
{
    unsigned char h[32];
    struct sha s;

    sha_init(&s);
    sha_adds0(&s, tag);
    sha_add(&s, hash, 32);
    sha_u32(&s, j);
    sha_final(&s, h);
    lb_mantle_hex(h, 32, out);
}

void lb_mantle_note_id(const unsigned char tx_hash[32],
                       uint32_t j,
                       char out[LB_MANTLE_ID_HEX])
{
    tagged_index_id("logos-bdd/note/v1", tx_hash, j, out);
}

void lb_mantle_msg_id(const unsigned char tx_hash[32],
                      uint32_t j,
                      char out[LB_MANTLE_ID_HEX])
{
    tagged_index_id("logos-bdd/msg/v1", tx_hash, j, out);
}

bool lb_mantle_get_u64(const json_t *v, uint64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static int hash_ops(struct sha *s, const json_t *ops, struct lb_error *err)
{
    size_t i;
    json_t *op;

    if (!json_is_array(ops))
        return lb_error_set(err, LB_EINVAL, "'ops' must be an array");
    sha_u32(s, (uint32_t)json_array_size(ops));
    json_array_foreach(ops, i, op)
    {
        json_t *payload = json_object_get(op, "payload");
        uint64_t code;
        size_t len;
        char *text;

        if (!json_is_object(op) ||
            !lb_mantle_get_u64(json_object_get(op, "opcode"), &code) ||
            code > 255)
            return lb_error_set(err,
                                LB_EINVAL,
                                "'ops[%zu].opcode' must be an integer 0..255",
                                i);
        if (!json_is_object(payload))
            return lb_error_set(
                err, LB_EINVAL, "'ops[%zu].payload' must be an object", i);
        len = json_dumpb(payload, NULL, 0, JSON_COMPACT | JSON_SORT_KEYS);
        text = lb_malloc(len + 1);
        if (text == NULL)
            return lb_error_set(err, LB_ENOMEM, "cannot encode 'ops[%zu]'", i);
        len = json_dumpb(payload, text, len, JSON_COMPACT | JSON_SORT_KEYS);
        {
            unsigned char c = (unsigned char)code;

            sha_add(s, &c, 1);
            sha_u32(s, (uint32_t)len);
            sha_add(s, text, len);
        }
        lb_free(text);
    }
    return 0;
}

static int
hash_ledger(struct sha *s, const json_t *ledger, struct lb_error *err)
{
    const json_t *inputs = json_object_get(ledger, "inputs");
    const json_t *outputs = json_object_get(ledger, "outputs");
    size_t i;
    json_t *v;

    if (!json_is_object(ledger))
        return lb_error_set(err, LB_EINVAL, "'ledger_tx' must be an object");
    if (!json_is_array(inputs) || !json_is_array(outputs))
        return lb_error_set(
            err, LB_EINVAL, "'ledger_tx' needs arrays 'inputs' and 'outputs'");
    sha_u32(s, (uint32_t)json_array_size(inputs));
    json_array_foreach(inputs, i, v)
    {
        unsigned char id[32];

        if (!lb_mantle_is_id(json_string_value(v)) ||
            !lb_mantle_unhex(json_string_value(v), id, 32))
            return lb_error_set(
                err, LB_EINVAL, "'inputs[%zu]' must be a 64-hex note id", i);
        sha_add(s, id, 32);
    }
    sha_u32(s, (uint32_t)json_array_size(outputs));
    json_array_foreach(outputs, i, v)
    {
        unsigned char pk[32];
        uint64_t value;

        if (!json_is_object(v) ||
            !lb_mantle_get_u64(json_object_get(v, "value"), &value))
            return lb_error_set(
                err, LB_EINVAL, "'outputs[%zu].value' must be a u64", i);
        if (!lb_mantle_unhex(
                json_string_value(json_object_get(v, "pk")), pk, 32))
            return lb_error_set(
                err, LB_EINVAL, "'outputs[%zu].pk' must be 64 hex digits", i);
        sha_u64(s, value);
        sha_add(s, pk, 32);
    }
    return 0;
}

int lb_mantle_tx_hash(const json_t *mantle_tx,
                      unsigned char out[32],
                      struct lb_error *err)
{
    uint64_t egp, sgp;
    struct sha s;
    int rc;

    if (!json_is_object(mantle_tx))
        return lb_error_set(err, LB_EINVAL, "'mantle_tx' must be an object");
    if (!lb_mantle_get_u64(json_object_get(mantle_tx, "execution_gas_price"),
                           &egp) ||
        !lb_mantle_get_u64(json_object_get(mantle_tx, "storage_gas_price"),
                           &sgp))
        return lb_error_set(err,
                            LB_EINVAL,
                            "'execution_gas_price' and 'storage_gas_price' "
                            "must be u64");
    sha_init(&s);
    sha_adds0(&s, "logos-bdd/tx/v1");
    rc = hash_ops(&s, json_object_get(mantle_tx, "ops"), err);
    if (rc == 0)
        rc = hash_ledger(&s, json_object_get(mantle_tx, "ledger_tx"), err);
    sha_u64(&s, egp);
    sha_u64(&s, sgp);
    sha_final(&s, out);
    return rc;
}

int lb_mantle_tx_hash_hex(const json_t *mantle_tx,
                          char out[LB_MANTLE_ID_HEX],
                          struct lb_error *err)
{
    unsigned char h[32];
    int rc = lb_mantle_tx_hash(mantle_tx, h, err);

    if (rc == 0)
        lb_mantle_hex(h, 32, out);
    return rc;
}

json_t *lb_mantle_tx_new(const char *const *inputs,
                         size_t n_inputs,
                         const struct lb_mantle_output *outputs,
                         size_t n_outputs,
                         struct lb_error *err)
{
    json_t *in = json_array(), *out = json_array();
    size_t i;

    for (i = 0; i < n_inputs; i++) {
        if (!lb_mantle_is_id(inputs[i])) {
            lb_error_set(err, LB_EINVAL, "input %zu is not a note id", i);
            goto fail;
        }
        json_array_append_new(in, json_string(inputs[i]));
    }
    for (i = 0; i < n_outputs; i++) {
        if (!lb_mantle_is_id(outputs[i].pk_hex) ||
            outputs[i].value > (uint64_t)INT64_MAX)
        {
            lb_error_set(err, LB_EINVAL, "output %zu is not {value, pk}", i);
            goto fail;
        }
        json_array_append_new(out,
                              json_pack("{s:I, s:s}",
                                        "value",
                                        (json_int_t)outputs[i].value,
                                        "pk",
                                        outputs[i].pk_hex));
    }
    return json_pack("{s:[], s:{s:o, s:o}, s:i, s:i}",
                     "ops",
                     "ledger_tx",
                     "inputs",
                     in,
                     "outputs",
                     out,
                     "execution_gas_price",
                     0,
                     "storage_gas_price",
                     0);
fail:
    json_decref(in);
    json_decref(out);
    return NULL;
}

static json_t *sig_proof(const struct lb_mantle_key *key,
                         const unsigned char hash[32])
{
    unsigned char sig[64];
    char hex[129];

    if (key == NULL)
        return json_string("NoProof");
    if (lb_mantle_sign(key, hash, 32, sig) != 0)
        return NULL;
    lb_mantle_hex(sig, 64, hex);
    return json_pack("{s:s}", "Ed25519Sig", hex);
}

json_t *lb_mantle_sign_tx(json_t *mantle_tx,
                          const struct lb_mantle_key *ledger_key,
                          const struct lb_mantle_key *const *op_keys,
                          struct lb_error *err)
{
    unsigned char hash[32];
    json_t *proofs = NULL, *ledger = NULL;
    size_t i, n;

    if (mantle_tx == NULL) {
        lb_error_set(err, LB_EINVAL, "no mantle_tx to sign");
        return NULL;
    }
    if (lb_mantle_tx_hash(mantle_tx, hash, err) != 0)
        goto fail;
    proofs = json_array();
    n = json_array_size(json_object_get(mantle_tx, "ops"));
    for (i = 0; i < n; i++) {
        json_t *p = sig_proof(op_keys ? op_keys[i] : NULL, hash);

        if (p == NULL || json_array_append_new(proofs, p) != 0) {
            lb_error_set(err, LB_EINVAL, "cannot sign op %zu", i);
            goto fail;
        }
    }
    ledger = sig_proof(ledger_key, hash);
    if (ledger == NULL) {
        lb_error_set(err, LB_EINVAL, "cannot sign the ledger tx");
        goto fail;
    }
    return json_pack("{s:o, s:o, s:o}",
                     "mantle_tx",
                     mantle_tx,
                     "ops_proofs",
                     proofs,
                     "ledger_tx_proof",
                     ledger);
fail:
    json_decref(mantle_tx);
    json_decref(proofs);
    return NULL;
}

json_t *lb_mantle_transfer_new(const char *const *inputs,
                               size_t n_inputs,
                               const struct lb_mantle_output *outputs,
                               size_t n_outputs,
                               const struct lb_mantle_key *key,
                               struct lb_error *err)
{
    json_t *tx = lb_mantle_tx_new(inputs, n_inputs, outputs, n_outputs, err);

    if (tx == NULL)
        return NULL;
    return lb_mantle_sign_tx(tx, key, NULL, err);
}

static json_t *bytes_array(const unsigned char *data, size_t len)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < len && a != NULL; i++)
        json_array_append_new(a, json_integer(data[i]));
    return a;
}

json_t *lb_mantle_inscribe_op_new(const char *channel_id,
                                  const unsigned char *data,
                                  size_t len,
                                  const char *parent,
                                  const char *signer_pk_hex)
{
    return json_pack("{s:i, s:{s:s, s:o, s:s, s:s}}",
                     "opcode",
                     LB_MANTLE_OP_CHANNEL_INSCRIBE,
                     "payload",
                     "channel_id",
                     channel_id,
                     "inscription",
                     bytes_array(data, len),
                     "parent",
                     parent,
                     "signer",
                     signer_pk_hex);
}

json_t *lb_mantle_blob_op_new(const char *channel_id,
                              uint64_t session,
                              const char *blob_id,
                              uint64_t blob_size,
                              const char *parent,
                              const char *signer_pk_hex)
{
    return json_pack("{s:i, s:{s:s, s:I, s:s, s:I, s:i, s:s, s:s}}",
                     "opcode",
                     LB_MANTLE_OP_CHANNEL_BLOB,
                     "payload",
                     "channel",
                     channel_id,
                     "session",
                     (json_int_t)session,
                     "blob",
                     blob_id,
                     "blob_size",
                     (json_int_t)blob_size,
                     "da_storage_gas_price",
                     0,
                     "parent",
                     parent,
                     "signer",
                     signer_pk_hex);
}

/*
 * A proof is "NoProof" or a one-key object; `sig` receives the Ed25519Sig
 * when there is one. Returns 1 with a signature, 0 without, -1 malformed.
 */
static int read_proof(const json_t *p, unsigned char sig[64])
{
    const char *tag = json_string_value(p);
    const char *key;
    json_t *v;

    if (tag != NULL)
        return strcmp(tag, "NoProof") == 0 ? 0 : -1;
    if (!json_is_object(p) || json_object_size(p) != 1)
        return -1;
    json_object_foreach((json_t *)p, key, v)
    {
        if (strcmp(key, "Ed25519Sig") == 0)
            return lb_mantle_unhex(json_string_value(v), sig, 64) ? 1 : -1;
        if (strcmp(key, "ZkSig") == 0 || strcmp(key, "ZkAndEd25519Sigs") == 0)
            return 0; /* shape only: refnode cannot check zk proofs */
    }
    return -1;
}

int lb_mantle_verify_tx(const json_t *signed_tx,
                        const unsigned char *ledger_pk,
                        unsigned char hash[LB_MANTLE_HASH_LEN],
                        struct lb_error *err)
{
    const json_t *tx = json_object_get(signed_tx, "mantle_tx");
    const json_t *proofs = json_object_get(signed_tx, "ops_proofs");
    const json_t *ops = json_object_get(tx, "ops");
    unsigned char h[32], sig[64];
    size_t i;
    int kind;

    if (!json_is_object(signed_tx))
        return lb_error_set(
            err, LB_EINVAL, "a SignedMantleTx must be an object");
    if (lb_mantle_tx_hash(tx, h, err) != 0)
        return LB_EINVAL;
    if (!json_is_array(proofs) ||
        json_array_size(proofs) != json_array_size(ops))
        return lb_error_set(
            err, LB_EINVAL, "'ops_proofs' must hold one proof per op");
    for (i = 0; i < json_array_size(ops); i++) {
        const char *signer = json_string_value(json_object_get(
            json_object_get(json_array_get(ops, i), "payload"), "signer"));
        unsigned char pk[32];

        kind = read_proof(json_array_get(proofs, i), sig);
        if (kind < 0)
            return lb_error_set(
                err, LB_EINVAL, "'ops_proofs[%zu]' malformed", i);
        if (signer == NULL)
            continue;
        if (!lb_mantle_unhex(signer, pk, 32))
            return lb_error_set(
                err, LB_EINVAL, "'ops[%zu].payload.signer' is not a key", i);
        if (kind != 1 || !lb_mantle_verify(pk, h, 32, sig))
            return lb_error_set(
                err, LB_EINVAL, "bad signature on 'ops_proofs[%zu]'", i);
    }
    kind = read_proof(json_object_get(signed_tx, "ledger_tx_proof"), sig);
    if (kind < 0)
        return lb_error_set(err, LB_EINVAL, "'ledger_tx_proof' malformed");
    if (ledger_pk != NULL &&
        (kind != 1 || !lb_mantle_verify(ledger_pk, h, 32, sig)))
        return lb_error_set(
            err, LB_EINVAL, "bad signature on 'ledger_tx_proof'");
    if (hash != NULL)
        memcpy(hash, h, 32);
    return 0;
}
