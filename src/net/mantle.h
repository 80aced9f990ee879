/*
 * Mantle: the keys, ids, hashes and signed transactions shared by refnode
 * and the runner's workloads (the definitions of refnode_contract.md), so
 * both sides compute the same bytes. SHA-256 and Ed25519 come from OpenSSL
 * libcrypto; JSON values are jansson's.
 *
 * All ids are 64-character lowercase hex strings (a `char[65]` with the NUL).
 * Functions that take a `json_t *` borrow it unless they say otherwise;
 * functions returning `json_t *` return a new reference the caller owns
 * (json_decref).
 *
 * Typical use (the transaction workload):
 *
 *     struct lb_mantle_key k;
 *     lb_mantle_key_init(&k, "lb-run-x", "wallet-user-0", &err);
 *     char note[65];
 *     lb_mantle_genesis_note_id("lb-run-x", "wallet-user-0", 0, note);
 *     const char *in[] = {note};
 *     struct lb_mantle_output out = {.value = 10};
 *     memcpy(out.pk_hex, k.pk_hex, 65);
 *     json_t *tx = lb_mantle_transfer_new(in, 1, &out, 1, &k, &err);
 *     ... POST json_dumps(tx) to /mempool/add/tx ...
 *     lb_mantle_tx_hash_hex(json_object_get(tx, "mantle_tx"), hash, &err);
 *     json_decref(tx);
 *     lb_mantle_key_release(&k);
 */
#ifndef LB_NET_MANTLE_H
#define LB_NET_MANTLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lb_error;

#define LB_MANTLE_HASH_LEN 32
#define LB_MANTLE_ID_HEX   65 /* 64 hex digits and the NUL */
#define LB_MANTLE_SIG_LEN  64

/* Opcodes of NODE-API.md §3. */
enum lb_mantle_opcode {
    LB_MANTLE_OP_CHANNEL_INSCRIBE = 0x00,
    LB_MANTLE_OP_CHANNEL_BLOB = 0x01
};

/*
 * An Ed25519 key pair. `seed` is the 32-byte private seed, `pk` the raw
 * public key, `pk_hex` its lowercase hex. `pkey` is the OpenSSL key, owned by
 * the struct: release with lb_mantle_key_release().
 */
struct lb_mantle_key {
    unsigned char seed[32];
    unsigned char pk[32];
    char pk_hex[LB_MANTLE_ID_HEX];
    void *pkey;
};

/*
 * Derives the key of `label` (a node name or "wallet-user-<i>"):
 * seed = SHA-256("logos-bdd/key/v1" ‖ 0x00 ‖ genesis_seed ‖ 0x00 ‖ label).
 * Returns 0, or a negative code with the reason in `err`.
 */
int lb_mantle_key_init(struct lb_mantle_key *key,
                       const char *genesis_seed,
                       const char *label,
                       struct lb_error *err);

/* The same from a raw 32-byte seed. */
int lb_mantle_key_init_seed(struct lb_mantle_key *key,
                            const unsigned char seed[32],
                            struct lb_error *err);

/* Frees the OpenSSL key; the struct may be initialised again. NULL-safe. */
void lb_mantle_key_release(struct lb_mantle_key *key);

/* Signs `len` bytes (Ed25519, deterministic) into `sig`. 0 or negative. */
int lb_mantle_sign(const struct lb_mantle_key *key,
                   const void *msg,
                   size_t len,
                   unsigned char sig[LB_MANTLE_SIG_LEN]);

/* True when `sig` is a valid Ed25519 signature of `msg` by public key `pk`. */
bool lb_mantle_verify(const unsigned char pk[32],
                      const void *msg,
                      size_t len,
                      const unsigned char sig[LB_MANTLE_SIG_LEN]);

/* SHA-256 of `len` bytes. */
void lb_mantle_sha256(const void *data,
                      size_t len,
                      unsigned char out[LB_MANTLE_HASH_LEN]);

/* Lowercase hex of `len` bytes into `out` (2·len+1 bytes). */
void lb_mantle_hex(const unsigned char *data, size_t len, char *out);

/*
 * Decodes exactly `len` bytes from the hex string `hex` (which must have
 * 2·len digits, either case, nothing else). Returns false on any mismatch.
 */
bool lb_mantle_unhex(const char *hex, unsigned char *out, size_t len);

/* True when `s` is a 64-character lowercase hex id. */
bool lb_mantle_is_id(const char *s);

/* Genesis block id: hex SHA-256("logos-bdd/genesis/v1" ‖ 0x00 ‖ seed). */
void lb_mantle_genesis_id(const char *genesis_seed, char out[LB_MANTLE_ID_HEX]);

/*
 * Genesis note `j` of wallet `name`: hex SHA-256("logos-bdd/genesis-note/v1"
 * ‖ 0x00 ‖ seed ‖ 0x00 ‖ name ‖ u32le(j)).
 */
void lb_mantle_genesis_note_id(const char *genesis_seed,
                               const char *name,
                               uint32_t j,
                               char out[LB_MANTLE_ID_HEX]);

/* Value of genesis note `j` when `funds` are split into `notes` notes. */
uint64_t
lb_mantle_genesis_note_value(uint64_t funds, uint32_t notes, uint32_t j);

/* Output note `j` of a tx: hex SHA-256("logos-bdd/note/v1" ‖ hash ‖ u32le(j)).
 */
void lb_mantle_note_id(const unsigned char tx_hash[LB_MANTLE_HASH_LEN],
                       uint32_t j,
                       char out[LB_MANTLE_ID_HEX]);

/*
 * Message id of op `j` of a tx (what a later channel op names as its
 * `parent`): hex SHA-256("logos-bdd/msg/v1" ‖ hash ‖ u32le(j)).
 */
void lb_mantle_msg_id(const unsigned char tx_hash[LB_MANTLE_HASH_LEN],
                      uint32_t j,
                      char out[LB_MANTLE_ID_HEX]);

/*
 * Checks that `mantle_tx` has the MantleTx shape of NODE-API.md §3, field by
 * field (ops with opcode 0..255 and an object payload, inputs as ids,
 * outputs {value, pk} with a 64-hex pk, gas prices u64), and computes its
 * hash (see the contract). Fails with LB_EINVAL and the offending field.
 */
int lb_mantle_tx_hash(const json_t *mantle_tx,
                      unsigned char out[LB_MANTLE_HASH_LEN],
                      struct lb_error *err);

/* The same, as lowercase hex. */
int lb_mantle_tx_hash_hex(const json_t *mantle_tx,
                          char out[LB_MANTLE_ID_HEX],
                          struct lb_error *err);

/* One output of a transfer. */
struct lb_mantle_output {
    uint64_t value;
    char pk_hex[LB_MANTLE_ID_HEX];
};

/*
 * A MantleTx with no ops spending `inputs` (ids) into `outputs`, gas prices
 * 0. New reference; NULL with `err` set on a bad id or pk.
 */
json_t *lb_mantle_tx_new(const char *const *inputs,
                         size_t n_inputs,
                         const struct lb_mantle_output *outputs,
                         size_t n_outputs,
                         struct lb_error *err);

/*
 * Signs `mantle_tx` (taken: the reference is stolen, also on failure) into
 * a SignedMantleTx: ledger_tx_proof = {"Ed25519Sig": sig by `ledger_key`}
 * over the tx hash, or "NoProof" when `ledger_key` is NULL; one op proof per
 * op, by `op_keys[i]` (when `op_keys` or `op_keys[i]` is NULL: "NoProof").
 */
json_t *lb_mantle_sign_tx(json_t *mantle_tx,
                          const struct lb_mantle_key *ledger_key,
                          const struct lb_mantle_key *const *op_keys,
                          struct lb_error *err);

/* lb_mantle_tx_new + lb_mantle_sign_tx with `key` owning every input. */
json_t *lb_mantle_transfer_new(const char *const *inputs,
                               size_t n_inputs,
                               const struct lb_mantle_output *outputs,
                               size_t n_outputs,
                               const struct lb_mantle_key *key,
                               struct lb_error *err);

/*
 * A ChannelInscribe op {"opcode": 0, "payload": {channel_id, inscription:
 * [bytes as ints], parent, signer}}; `parent` is a msg id (64 zeros for the
 * first op of a channel), `signer` a public key hex. New reference.
 */
json_t *lb_mantle_inscribe_op_new(const char *channel_id,
                                  const unsigned char *data,
                                  size_t len,
                                  const char *parent,
                                  const char *signer_pk_hex);

/*
 * A ChannelBlob op {"opcode": 1, "payload": {channel, session, blob,
 * blob_size, da_storage_gas_price, parent, signer}}. New reference.
 */
json_t *lb_mantle_blob_op_new(const char *channel_id,
                              uint64_t session,
                              const char *blob_id,
                              uint64_t blob_size,
                              const char *parent,
                              const char *signer_pk_hex);

/*
 * Verifies a SignedMantleTx: its shape, that every op proof is present and
 * (for an op whose payload names a `signer`) an Ed25519Sig by that signer
 * over the tx hash, and, when `ledger_pk` is not NULL, that ledger_tx_proof
 * is an Ed25519Sig by `ledger_pk` (the owner of the inputs; a tx without
 * inputs passes NULL). `hash` (may be NULL) receives the tx hash.
 * Returns 0, or LB_EINVAL with the reason in `err`.
 */
int lb_mantle_verify_tx(const json_t *signed_tx,
                        const unsigned char *ledger_pk,
                        unsigned char hash[LB_MANTLE_HASH_LEN],
                        struct lb_error *err);

/*
 * Reads a u64 from a JSON integer >= 0. False for anything else (reals,
 * negatives, strings, NULL).
 */
bool lb_mantle_get_u64(const json_t *v, uint64_t *out);

#endif
