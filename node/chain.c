/*
 * The chain of refnode (chain.h): block store, lottery, block codec, UTXO
 * ledger with undo records, and longest-chain fork choice.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_DONTNEED */
#include "chain.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"

/* ---- map ---------------------------------------------------------------- */

static size_t slot_of(const unsigned char key[32], size_t cap)
{
    uint64_t h;

    /* keys are hashes already: their first bytes are uniform */
    memcpy(&h, key, sizeof(h));
    return (size_t)(h & (cap - 1));
}

static void map_grow(struct rn_map *m)
{
    struct rn_map_slot *old = m->slots;
    size_t old_cap = m->cap, i;

    /* sized from the live entries: a churning map sheds its tombstones */
    m->cap = 64;
    while (m->len * 2 >= m->cap)
        m->cap *= 2;
    m->slots = lb_xcalloc(m->cap, sizeof(*m->slots));
    m->used = m->len;
    for (i = 0; i < old_cap; i++) {
        size_t j;

        if (old[i].state != 1)
            continue;
        j = slot_of(old[i].key, m->cap);
        while (m->slots[j].state != 0)
            j = (j + 1) & (m->cap - 1);
        m->slots[j] = old[i];
    }
    lb_free(old);
}

static struct rn_map_slot *map_find(const struct rn_map *m,
                                    const unsigned char key[32])
{
    size_t j;

    if (m->cap == 0)
        return NULL;
    j = slot_of(key, m->cap);
    while (m->slots[j].state != 0) {
        if (m->slots[j].state == 1 && memcmp(m->slots[j].key, key, 32) == 0)
            return &m->slots[j];
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

void *rn_map_get(const struct rn_map *m, const unsigned char key[32])
{
    struct rn_map_slot *s = map_find(m, key);

    return s ? s->val : NULL;
}

void *rn_map_put(struct rn_map *m, const unsigned char key[32], void *val)
{
    struct rn_map_slot *s = map_find(m, key);
    void *old;
    size_t j;

    if (s != NULL) {
        old = s->val;
        s->val = val;
        return old;
    }
    if ((m->used + 1) * 4 >= m->cap * 3)
        map_grow(m);
    j = slot_of(key, m->cap);
    while (m->slots[j].state == 1)
        j = (j + 1) & (m->cap - 1);
    if (m->slots[j].state == 0)
        m->used++;
    memcpy(m->slots[j].key, key, 32);
    m->slots[j].val = val;
    m->slots[j].state = 1;
    m->len++;
    return NULL;
}

void *rn_map_del(struct rn_map *m, const unsigned char key[32])
{
    struct rn_map_slot *s = map_find(m, key);

    if (s == NULL)
        return NULL;
    s->state = 2;
    m->len--;
    return s->val;
}

void rn_map_release(struct rn_map *m)
{
    lb_free(m->slots);
    memset(m, 0, sizeof(*m));
}

/* ---- transactions ------------------------------------------------------- */

/* True when every object in `v` has its keys in strcmp order already. */
static bool keys_sorted(const json_t *v)
{
    const char *key, *prev = NULL;
    json_t *x;
    size_t i;

    if (json_is_array(v)) {
        json_array_foreach((json_t *)v, i, x)
        {
            if (!keys_sorted(x))
                return false;
        }
        return true;
    }
    if (!json_is_object(v))
        return true;
    json_object_foreach((json_t *)v, key, x)
    {
        if ((prev != NULL && strcmp(prev, key) >= 0) || !keys_sorted(x))
            return false;
        prev = key;
    }
    return true;
}

static int dump_to_buf(const char *s, size_t n, void *ud)
{
    lb_buf_add(ud, s, n);
    return 0;
}

/*
 * Canonical text: compact, keys sorted. Objects keep their keys in the
 * order they were parsed or built, so when that order is sorted already
 * (every tx a peer sends, every tx in a block) jansson need not sort; and
 * the text is written in one pass.
 */
static char *dump_compact(const json_t *v, size_t *len)
{
    struct lb_buf b = LB_BUF_INIT;
    size_t flags = JSON_COMPACT;

    if (!keys_sorted(v))
        flags |= JSON_SORT_KEYS;
    lb_buf_grow(&b, 512);
    (void)json_dump_callback(v, dump_to_buf, &b, flags);
    return lb_buf_detach(&b, len);
}

struct rn_tx *rn_tx_parse(const json_t *signed_tx, struct lb_error *err)
{
    const json_t *mtx = json_object_get(signed_tx, "mantle_tx");
    const json_t *ledger = json_object_get(mtx, "ledger_tx");
    const json_t *inputs = json_object_get(ledger, "inputs");
    const json_t *outputs = json_object_get(ledger, "outputs");
    const json_t *ops = json_object_get(mtx, "ops");
    const json_t *lp;
    struct rn_tx *tx;
    size_t i;
    json_t *v;

    unsigned char hash[32];

    if (lb_mantle_verify_tx(signed_tx, NULL, hash, err) != 0)
        return NULL;
    tx = lb_xcalloc(1, sizeof(*tx));
    tx->refs = 1;
    memcpy(tx->hash, hash, 32);
    tx->n_in = json_array_size(inputs);
    tx->n_out = json_array_size(outputs);
    tx->in = lb_xcalloc(tx->n_in + 1, 32);
    tx->out = lb_xcalloc(tx->n_out + 1, sizeof(*tx->out));
    json_array_foreach(inputs, i, v)
    {
        size_t j;

        (void)lb_mantle_unhex(json_string_value(v), tx->in[i], 32);
        for (j = 0; j < i; j++)
            if (memcmp(tx->in[j], tx->in[i], 32) == 0) {
                lb_error_set(err, LB_EINVAL, "input %zu is spent twice", i);
                rn_tx_unref(tx);
                return NULL;
            }
    }
    json_array_foreach(outputs, i, v)
    {
        (void)lb_mantle_get_u64(json_object_get(v, "value"), &tx->out[i].value);
        (void)lb_mantle_unhex(
            json_string_value(json_object_get(v, "pk")), tx->out[i].pk, 32);
    }
    lp = json_object_get(json_object_get(signed_tx, "ledger_tx_proof"),
                         "Ed25519Sig");
    tx->has_ledger_sig =
        lp != NULL &&
        lb_mantle_unhex(json_string_value(lp), tx->ledger_sig, 64);
    tx->blobs = lb_xcalloc(json_array_size(ops) + 1, sizeof(*tx->blobs));
    json_array_foreach(ops, i, v)
    {
        json_int_t code = json_integer_value(json_object_get(v, "opcode"));
        const char *blob = json_string_value(
            json_object_get(json_object_get(v, "payload"), "blob"));

        if (code == LB_MANTLE_OP_CHANNEL_INSCRIBE)
            tx->n_inscriptions++;
        if (code == LB_MANTLE_OP_CHANNEL_BLOB && lb_mantle_is_id(blob))
            memcpy(tx->blobs[tx->n_blobs++], blob, 65);
    }
    tx->text = dump_compact(signed_tx, &tx->text_len);
    return tx;
}

void rn_tx_unref(struct rn_tx *tx)
{
    if (tx == NULL || --tx->refs > 0)
        return;
    lb_free(tx->in);
    lb_free(tx->out);
    lb_free(tx->blobs);
    lb_free(tx->text);
    lb_free(tx);
}

/* ---- blocks ------------------------------------------------------------- */

static void block_root(struct rn_tx *const *txs, size_t n, char out[65])
{
    struct lb_buf b = LB_BUF_INIT;
    unsigned char h[32], cnt[4] = {n & 0xff, (n >> 8) & 0xff, 0, 0};
    size_t i;

    lb_buf_adds(&b, "logos-bdd/root/v1");
    lb_buf_add(&b, cnt, 4);
    for (i = 0; i < n; i++)
        lb_buf_add(&b, txs[i]->hash, 32);
    lb_mantle_sha256(b.ptr, b.len, h);
    lb_buf_release(&b);
    lb_mantle_hex(h, 32, out);
}

static void header_id(const json_t *header, unsigned char id[32])
{
    struct lb_buf b = LB_BUF_INIT;
    size_t len;
    char *text = dump_compact(header, &len);

    lb_buf_adds(&b, "logos-bdd/block/v1");
    lb_buf_add(&b, text, len);
    lb_mantle_sha256(b.ptr, b.len, id);
    lb_buf_release(&b);
    lb_free(text);
}

static char *build_text(const json_t *header,
                        const char *sig_hex,
                        struct rn_tx *const *txs,
                        size_t n,
                        size_t *len);

bool rn_block_peek_id(const json_t *block, unsigned char id[32])
{
    const json_t *h = json_object_get(block, "header");

    if (!json_is_object(h))
        return false;
    header_id(h, id);
    return true;
}

void rn_block_free(struct rn_block *b)
{
    size_t i;

    if (b == NULL)
        return;
    for (i = 0; i < b->n_txs; i++)
        rn_tx_unref(b->txs[i]);
    lb_free(b->txs);
    lb_free(b->undo);
    lb_free(b->pol);
    if (!b->slim)
        lb_free(b->text);
    lb_free(b);
}

/*
 * The tx `v` of a block as a tx object the node has already (`known` by
 * hash): a plain transfer (no ops) whose ledger signature bytes are those
 * of the known one. Saves building the tx again (its canonical text
 * above all); anything else is parsed in full.
 */
static struct rn_tx *reuse_known(const json_t *v, rn_tx_lookup known, void *ctx)
{
    const json_t *mtx = json_object_get(v, "mantle_tx");
    const json_t *proof = json_object_get(v, "ledger_tx_proof");
    const json_t *op_proofs = json_object_get(v, "ops_proofs");
    unsigned char h[32], sig[64];
    struct rn_tx *p;

    if (known == NULL || json_object_size(v) != 3 ||
        json_array_size(json_object_get(mtx, "ops")) != 0 ||
        !json_is_array(op_proofs) || json_array_size(op_proofs) != 0 ||
        json_object_size(proof) != 1 ||
        !lb_mantle_unhex(
            json_string_value(json_object_get(proof, "Ed25519Sig")), sig, 64) ||
        lb_mantle_tx_hash(mtx, h, NULL) != 0)
        return NULL;
    p = known(ctx, h);
    if (p == NULL || !p->has_ledger_sig || p->n_blobs > 0 ||
        p->n_inscriptions > 0 || memcmp(p->ledger_sig, sig, 64) != 0)
        return NULL;
    p->refs++;
    return p;
}

struct rn_block *rn_block_decode(const json_t *block, struct lb_error *err)
{
    return rn_block_decode_known(block, NULL, NULL, err);
}

struct rn_block *rn_block_decode_known(const json_t *block,
                                       rn_tx_lookup known,
                                       void *ctx,
                                       struct lb_error *err)
{
    const json_t *h = json_object_get(block, "header");
    const json_t *pol = json_object_get(h, "proof_of_leadership");
    const json_t *txs = json_object_get(block, "transactions");
    const char *version = json_string_value(json_object_get(h, "version"));
    unsigned char sig[64];
    char root[65], sig_hex[129];
    struct rn_block *b;
    size_t i, j;
    json_t *v;

    if (!json_is_object(block) || !json_is_object(h))
        goto shape;
    if (version == NULL || strcmp(version, "Bedrock") != 0) {
        lb_error_set(err, LB_EINVAL, "block version must be 'Bedrock'");
        return NULL;
    }
    b = lb_xcalloc(1, sizeof(*b));
    b->pol = lb_xmalloc(sizeof(*b->pol));
    if (!lb_mantle_unhex(json_string_value(json_object_get(h, "parent_block")),
                         b->parent_id,
                         32) ||
        !lb_mantle_get_u64(json_object_get(h, "slot"), &b->slot) ||
        !json_is_object(pol) ||
        !lb_mantle_unhex(json_string_value(json_object_get(pol, "leader_key")),
                         b->pol->leader,
                         32) ||
        !lb_mantle_unhex(json_string_value(json_object_get(pol, "proof")),
                         b->pol->proof,
                         64) ||
        !lb_mantle_unhex(
            json_string_value(json_object_get(block, "signature")), sig, 64) ||
        !json_is_array(txs))
    {
        rn_block_free(b);
        goto shape;
    }
    if (json_array_size(txs) > RN_MAX_BLOCK_TXS) {
        rn_block_free(b);
        lb_error_set(err, LB_EINVAL, "a block holds at most 1024 transactions");
        return NULL;
    }
    header_id(h, b->id);
    lb_mantle_hex(b->id, 32, b->id_hex);
    if (!lb_mantle_verify(b->pol->leader, b->id, 32, sig)) {
        rn_block_free(b);
        lb_error_set(err, LB_EINVAL, "bad block signature");
        return NULL;
    }
    b->txs = lb_xcalloc(json_array_size(txs) + 1, RN_PTR_SIZE);
    json_array_foreach(txs, i, v)
    {
        struct lb_error e;

        lb_error_init(&e);
        b->txs[i] = reuse_known(v, known, ctx);
        if (b->txs[i] == NULL)
            b->txs[i] = rn_tx_parse(v, &e);
        if (b->txs[i] == NULL) {
            lb_error_set(err, LB_EINVAL, "transaction %zu: %s", i, e.msg);
            rn_block_free(b);
            return NULL;
        }
        b->n_txs++;
        for (j = 0; j < i; j++)
            if (memcmp(b->txs[j]->hash, b->txs[i]->hash, 32) == 0) {
                lb_error_set(err, LB_EINVAL, "transaction %zu repeated", i);
                rn_block_free(b);
                return NULL;
            }
    }
    block_root(b->txs, b->n_txs, root);
    if (!json_is_string(json_object_get(h, "block_root")) ||
        strcmp(json_string_value(json_object_get(h, "block_root")), root) != 0)
    {
        lb_error_set(err, LB_EINVAL, "block_root does not match the txs");
        rn_block_free(b);
        return NULL;
    }
    /*
     * The stored text is the canonical one (sorted keys, as dump_compact
     * of the whole block would give), assembled from the header and the
     * texts the txs already have: dumping a block of 1024 txs again would
     * double the cost of decoding it.
     */
    lb_mantle_hex(sig, 64, sig_hex);
    b->text = build_text(h, sig_hex, b->txs, b->n_txs, &b->text_len);
    return b;
shape:
    lb_error_set(err,
                 LB_EINVAL,
                 "a Block needs header {version, parent_block, slot, "
                 "block_root, proof_of_leadership {leader_key, proof}}, "
                 "signature and transactions");
    return NULL;
}

static char *build_text(const json_t *header,
                        const char *sig_hex,
                        struct rn_tx *const *txs,
                        size_t n,
                        size_t *len)
{
    struct lb_buf b = LB_BUF_INIT;
    size_t hl, i;
    char *htext = dump_compact(header, &hl);

    lb_buf_adds(&b, "{\"header\":");
    lb_buf_add(&b, htext, hl);
    lb_buf_addf(&b, ",\"signature\":\"%s\",\"transactions\":[", sig_hex);
    for (i = 0; i < n; i++) {
        if (i > 0)
            lb_buf_addch(&b, ',');
        lb_buf_add(&b, txs[i]->text, txs[i]->text_len);
    }
    lb_buf_adds(&b, "]}");
    lb_free(htext);
    return lb_buf_detach(&b, len);
}

struct rn_block *rn_block_build(struct rn_chain *c,
                                const struct lb_mantle_key *leader,
                                uint64_t slot,
                                const unsigned char proof[64],
                                struct rn_tx *const *txs,
                                size_t n_txs)
{
    struct rn_block *b = lb_xcalloc(1, sizeof(*b));
    char root[65], proof_hex[129], sig_hex[129];
    unsigned char sig[64];
    json_t *h;
    size_t i;

    block_root(txs, n_txs, root);
    lb_mantle_hex(proof, 64, proof_hex);
    h = json_pack("{s:s, s:s, s:I, s:s, s:{s:s, s:s}}",
                  "version",
                  "Bedrock",
                  "parent_block",
                  c->tip->id_hex,
                  "slot",
                  (json_int_t)slot,
                  "block_root",
                  root,
                  "proof_of_leadership",
                  "leader_key",
                  leader->pk_hex,
                  "proof",
                  proof_hex);
    header_id(h, b->id);
    lb_mantle_hex(b->id, 32, b->id_hex);
    (void)lb_mantle_sign(leader, b->id, 32, sig);
    lb_mantle_hex(sig, 64, sig_hex);
    memcpy(b->parent_id, c->tip->id, 32);
    b->pol = lb_xmalloc(sizeof(*b->pol));
    memcpy(b->pol->leader, leader->pk, 32);
    memcpy(b->pol->proof, proof, 64);
    b->slot = slot;
    b->txs = lb_xcalloc(n_txs + 1, RN_PTR_SIZE);
    for (i = 0; i < n_txs; i++) {
        txs[i]->refs++;
        b->txs[i] = txs[i];
    }
    b->n_txs = n_txs;
    b->text = build_text(h, sig_hex, txs, n_txs, &b->text_len);
    json_decref(h);
    return b;
}

/* ---- lottery ------------------------------------------------------------ */

/*
 * ln and exp for the threshold, so that refnode does not link libm: the
 * library costs a node about 0.4 MB of resident pages (its symbol tables
 * and IFUNC resolvers run at load) for this one pow(). Both reduce the
 * argument by powers of two (exact) and sum a short series; the result
 * is within a few ulps of libm's, and every node computes it the same way.
 */
#define RN_LN2 0.693147180559945309417232121458

static double ln_unit(double x) /* x in (0, 1] */
{
    double z, z2, term, sum = 0;
    int e = 0, k;

    while (x < 0.70710678118654752440) {
        x *= 2;
        e--;
    }
    z = (x - 1) / (x + 1); /* |z| <= 0.172: ln x = 2 atanh z */
    z2 = z * z;
    term = z;
    for (k = 0; k < 24; k++) {
        sum += term / (2 * k + 1);
        term *= z2;
    }
    return e * RN_LN2 + 2 * sum;
}

static double exp_neg(double y) /* y <= 0 */
{
    double r, term = 1, sum = 1;
    long k = (long)(y / RN_LN2 - 0.5);
    int i;

    if (y < -1000)
        return 0;
    r = y - (double)k * RN_LN2; /* |r| <= ln2 / 2 */
    for (i = 1; i < 24; i++) {
        term *= r / i;
        sum += term;
    }
    for (; k < 0; k++)
        sum /= 2;
    return sum;
}

double rn_lottery_threshold(double f, double alpha)
{
    if (alpha <= 0.0)
        return 0.0;
    if (f >= 1.0)
        return 1.0;
    return 1.0 - exp_neg(alpha * ln_unit(1.0 - f));
}

double rn_lottery_draw(const unsigned char sig[64])
{
    unsigned char h[32];
    uint64_t v = 0;
    int i;

    lb_mantle_sha256(sig, 64, h);
    for (i = 0; i < 8; i++)
        v = v << 8 | h[i];
    return (double)v / 18446744073709551616.0;
}

size_t
rn_lottery_msg(const struct rn_chain *c, uint64_t slot, unsigned char out[64])
{
    static const char tag[] = "logos-bdd/lottery/v1";
    size_t n = sizeof(tag) - 1;
    int i;

    memcpy(out, tag, n);
    memcpy(out + n, c->genesis, 32);
    n += 32;
    for (i = 0; i < 8; i++)
        out[n++] = (unsigned char)(slot >> (8 * i));
    return n;
}

const struct rn_holder *rn_chain_holder(const struct rn_chain *c,
                                        const unsigned char pk[32])
{
    size_t i;

    for (i = 0; i < c->n_holders; i++)
        if (memcmp(c->holders[i].pk, pk, 32) == 0)
            return &c->holders[i];
    return NULL;
}

bool rn_lottery_try(const struct rn_chain *c,
                    const struct lb_mantle_key *key,
                    uint64_t slot,
                    unsigned char proof[64])
{
    const struct rn_holder *h = rn_chain_holder(c, key->pk);
    unsigned char msg[64];
    size_t n = rn_lottery_msg(c, slot, msg);

    if (h == NULL || lb_mantle_sign(key, msg, n, proof) != 0)
        return false;
    return rn_lottery_draw(proof) < rn_lottery_threshold(c->f, h->alpha);
}

bool rn_lottery_verify(const struct rn_chain *c,
                       const unsigned char pk[32],
                       uint64_t slot,
                       const unsigned char proof[64])
{
    const struct rn_holder *h = rn_chain_holder(c, pk);
    unsigned char msg[64];
    size_t n = rn_lottery_msg(c, slot, msg);

    return h != NULL && lb_mantle_verify(pk, msg, n, proof) &&
           rn_lottery_draw(proof) < rn_lottery_threshold(c->f, h->alpha);
}

/* ---- ledger ------------------------------------------------------------- */

/* Checks `tx` against the utxo set (plus `spent`) and the replay set. */
/*
 * Ledger signatures verified, by tx hash: the same tx reaches a node as
 * several objects (the mempool's, a block's, a fork's block's again after
 * a reorg), and each is verified once per node. An entry counts only for
 * the same key and the same signature bytes. Bounded: emptied when full.
 */
struct sig_seen_entry {
    unsigned char pk[32];
    unsigned char sig[64];
};

#define RN_SIG_SEEN_MAX 65536

static void sig_seen_clear(struct rn_chain *c)
{
    size_t i;

    for (i = 0; i < c->sig_seen.cap; i++)
        if (c->sig_seen.slots[i].state == 1)
            lb_free(c->sig_seen.slots[i].val);
    rn_map_release(&c->sig_seen);
}

static bool sig_seen(const struct rn_chain *c,
                     const struct rn_tx *tx,
                     const unsigned char *owner)
{
    const struct sig_seen_entry *s = rn_map_get(&c->sig_seen, tx->hash);

    return s != NULL && memcmp(s->pk, owner, 32) == 0 &&
           memcmp(s->sig, tx->ledger_sig, 64) == 0;
}

static void sig_remember(struct rn_chain *c, const struct rn_tx *tx)
{
    struct sig_seen_entry *s;

    if (c->sig_seen.len >= RN_SIG_SEEN_MAX)
        sig_seen_clear(c);
    s = lb_xmalloc(sizeof(*s));
    memcpy(s->pk, tx->sig_pk, 32);
    memcpy(s->sig, tx->ledger_sig, 64);
    lb_free(rn_map_put(&c->sig_seen, tx->hash, s));
}

static int validate_tx(struct rn_chain *c,
                       struct rn_tx *tx,
                       const struct rn_map *spent,
                       struct lb_error *err)
{
    const unsigned char *owner = NULL;
    uint64_t in = 0, out = 0;
    size_t i;

    if (rn_map_get(&c->included, tx->hash) != NULL)
        return lb_error_set(err, LB_EINVAL, "transaction already included");
    for (i = 0; i < tx->n_in; i++) {
        const struct rn_note *n = rn_map_get(&c->utxo, tx->in[i]);
        char hex[65];

        if (n == NULL || (spent && rn_map_get(spent, tx->in[i]))) {
            lb_mantle_hex(tx->in[i], 32, hex);
            return lb_error_set(err,
                                LB_EINVAL,
                                "input note '%s' is unknown or already spent",
                                hex);
        }
        if (owner != NULL && memcmp(owner, n->pk, 32) != 0)
            return lb_error_set(
                err, LB_EINVAL, "inputs belong to different keys");
        owner = n->pk;
        if (in + n->value < in)
            return lb_error_set(err, LB_EINVAL, "input values overflow");
        in += n->value;
    }
    for (i = 0; i < tx->n_out; i++) {
        if (out + tx->out[i].value < out)
            return lb_error_set(err, LB_EINVAL, "output values overflow");
        out += tx->out[i].value;
    }
    if (tx->n_in == 0 && tx->n_out > 0)
        return lb_error_set(err, LB_EINVAL, "outputs without inputs");
    if (out > in)
        return lb_error_set(err,
                            LB_EINVAL,
                            "outputs (%llu) exceed inputs (%llu)",
                            (unsigned long long)out,
                            (unsigned long long)in);
    if (owner != NULL && !(tx->sig_ok && memcmp(tx->sig_pk, owner, 32) == 0)) {
        if (!tx->has_ledger_sig ||
            (!sig_seen(c, tx, owner) &&
             !lb_mantle_verify(owner, tx->hash, 32, tx->ledger_sig)))
            return lb_error_set(err,
                                LB_EINVAL,
                                "bad signature on 'ledger_tx_proof' (the "
                                "inputs' owner must sign)");
        tx->sig_ok = true;
        memcpy(tx->sig_pk, owner, 32);
        sig_remember(c, tx);
    }
    return 0;
}

int rn_chain_check_tx(struct rn_chain *c,
                      struct rn_tx *tx,
                      const struct rn_map *spent,
                      struct lb_error *err)
{
    return validate_tx(c, tx, spent, err);
}

static void push_undo(struct rn_block *b,
                      const unsigned char id[32],
                      const struct rn_note *n)
{
    if (b->n_undo == b->cap_undo) {
        b->cap_undo = b->cap_undo ? 2 * b->cap_undo : 8;
        b->undo = lb_xrealloc(b->undo, b->cap_undo * sizeof(*b->undo));
    }
    memcpy(b->undo[b->n_undo].id, id, 32);
    b->undo[b->n_undo++].note = *n;
}

static void revert_tx(struct rn_chain *c, struct rn_block *b, struct rn_tx *tx)
{
    size_t i;

    for (i = 0; i < tx->n_out; i++) {
        char hex[65];
        unsigned char id[32];

        lb_mantle_note_id(tx->hash, (uint32_t)i, hex);
        (void)lb_mantle_unhex(hex, id, 32);
        lb_free(rn_map_del(&c->utxo, id));
    }
    for (i = tx->n_in; i > 0; i--) {
        struct rn_undo *u = &b->undo[--b->n_undo];
        struct rn_note *n = lb_xmalloc(sizeof(*n));

        *n = u->note;
        lb_free(rn_map_put(&c->utxo, u->id, n));
    }
    rn_map_del(&c->included, tx->hash);
}

static int apply_tx(struct rn_chain *c,
                    struct rn_block *b,
                    struct rn_tx *tx,
                    struct lb_error *err)
{
    size_t i;
    int rc = validate_tx(c, tx, NULL, err);

    if (rc != 0)
        return rc;
    for (i = 0; i < tx->n_in; i++) {
        struct rn_note *n = rn_map_del(&c->utxo, tx->in[i]);

        push_undo(b, tx->in[i], n);
        lb_free(n);
    }
    for (i = 0; i < tx->n_out; i++) {
        char hex[65];
        unsigned char id[32];
        struct rn_note *n = lb_xmalloc(sizeof(*n));

        lb_mantle_note_id(tx->hash, (uint32_t)i, hex);
        (void)lb_mantle_unhex(hex, id, 32);
        *n = tx->out[i];
        lb_free(rn_map_put(&c->utxo, id, n));
    }
    rn_map_put(&c->included, tx->hash, b);
    return 0;
}

static void revert_block(struct rn_chain *c, struct rn_block *b)
{
    size_t i;

    for (i = b->n_txs; i > 0; i--)
        revert_tx(c, b, b->txs[i - 1]);
    b->on_chain = false;
    c->tip = b->parent;
    if (c->on_revert)
        c->on_revert(c, b, c->cb_ctx);
}

static int apply_block(struct rn_chain *c, struct rn_block *b)
{
    size_t i;

    for (i = 0; i < b->n_txs; i++)
        if (apply_tx(c, b, b->txs[i], NULL) != 0) {
            while (i > 0)
                revert_tx(c, b, b->txs[--i]);
            return LB_EINVAL;
        }
    b->on_chain = true;
    c->tip = b;
    if (c->on_apply)
        c->on_apply(c, b, c->cb_ctx);
    return 0;
}

/* ---- old blocks --------------------------------------------------------- */

/*
 * Blocks below LIB keep what fork choice and the ledger need (id, parent,
 * height, slot, flags, undo records); their text becomes a view of their
 * record in the block log, mapped read-only and shared (its pages are the
 * page cache's, touched only when a peer or the API asks for the block),
 * and their txs are dropped. The mapping reserves address space for a
 * log of RN_LOG_MAP_MAX bytes once: a shared file mapping may reach past
 * the end of the file, and the pages that the log grows into become
 * readable, so the views never move. Each record is checked (length and
 * checksum against the text in memory, by pread, without touching the
 * mapping) before the text is freed; a mismatch means node.c's log and the
 * chain's offsets went apart (a failed write), and slimming stops.
 */
#define RN_LOG_MAP_MAX     ((uint64_t)1 << 36)
#define RN_LOG_HEAD        40
#define RN_LOG_UNMAP_EVERY 256 /* blocks added between two madvise() */

static bool log_map_open(struct rn_chain *c)
{
    void *m;

    if (c->log_map != NULL)
        return true;
    if (c->log_path == NULL || c->log_off_track)
        return false;
    c->log_fd = open(c->log_path, O_RDONLY | O_CLOEXEC);
    m = c->log_fd < 0 ? MAP_FAILED
                      : mmap(NULL,
                             (size_t)RN_LOG_MAP_MAX,
                             PROT_READ,
                             MAP_SHARED,
                             c->log_fd,
                             0);
    if (m == MAP_FAILED) {
        if (c->log_fd >= 0)
            (void)close(c->log_fd);
        c->log_fd = -1;
        c->log_off_track = true;
        return false;
    }
    c->log_map = m;
    return true;
}

/* True when the record at the block's offset holds exactly its text. */
static bool record_matches(const struct rn_chain *c, const struct rn_block *b)
{
    unsigned char head[RN_LOG_HEAD], sum[32];
    uint32_t len;

    if (b->log_off + RN_LOG_HEAD + b->text_len > RN_LOG_MAP_MAX ||
        pread(c->log_fd, head, RN_LOG_HEAD, (off_t)b->log_off) != RN_LOG_HEAD)
        return false;
    len = (uint32_t)head[4] | (uint32_t)head[5] << 8 | (uint32_t)head[6] << 16 |
          (uint32_t)head[7] << 24;
    if (memcmp(head, "RNB1", 4) != 0 || len != b->text_len)
        return false;
    lb_mantle_sha256(b->text, b->text_len, sum);
    return memcmp(sum, head + 8, 32) == 0;
}

static void drop_txs(struct rn_block *b)
{
    size_t i;

    for (i = 0; i < b->n_txs; i++)
        rn_tx_unref(b->txs[i]);
    lb_free(b->txs);
    b->txs = NULL;
    b->n_txs = 0;
}

static void slim(struct rn_chain *c, struct rn_block *b)
{
    if (b->slim || b->text == NULL)
        return;
    if (!record_matches(c, b)) {
        c->log_off_track = true;
        return;
    }
    lb_free(b->text);
    b->text = c->log_map + b->log_off + RN_LOG_HEAD;
    b->slim_txs = (uint32_t)b->n_txs;
    drop_txs(b);
    if (b->n_undo == 0) {

        lb_free(b->undo);
        b->undo = NULL;
        b->cap_undo = 0;
    } else if (b->cap_undo > b->n_undo) {
        b->undo = lb_xrealloc(b->undo, b->n_undo * sizeof(*b->undo));
        b->cap_undo = b->n_undo;
    }
    b->slim = true;
    c->n_slim++;
}

/*
 * Slims the blocks below LIB in insertion order. The block added last is
 * left alone: node.c writes its record after rn_chain_add returns. Slim
 * blocks whose txs a reorg or a ledger query read back drop them again
 * once they are (still) below LIB.
 */
static void slim_old(struct rn_chain *c)
{
    uint64_t lib;
    size_t i, w = 0;

    if (c->log_path == NULL || c->log_off_track)
        return;
    lib = rn_chain_lib(c)->height;
    if (c->log_map != NULL && c->n_all % RN_LOG_UNMAP_EVERY == 0)
        /*
         * Pages of the log that pulls and API reads touched count in the
         * node's RSS until unmapped: let them go (they stay in the page
         * cache; the next read maps them again).
         */
        (void)madvise(c->log_map, (size_t)c->log_end, MADV_DONTNEED);
    for (i = 0; i < c->n_refull; i++) {
        if (c->refull[i]->height < lib)
            drop_txs(c->refull[i]);
        else
            c->refull[w++] = c->refull[i];
    }
    c->n_refull = w;
    while (c->slim_next + 1 < c->n_all && !c->log_off_track) {
        struct rn_block *b = c->all[c->slim_next];

        if (b->height >= lib || !log_map_open(c))
            return;
        slim(c, b);
        c->slim_next++;
    }
}

int rn_chain_full(struct rn_chain *c, struct rn_block *b, struct lb_error *err)
{
    struct rn_block *d;
    json_t *j;

    /* a block that had no txs has nothing to read back */
    if (!b->slim || b->txs != NULL || b->slim_txs == 0)
        return 0;
    j = json_loadb(b->text, b->text_len, 0, NULL);
    d = j != NULL ? rn_block_decode(j, NULL) : NULL;
    json_decref(j);
    if (d == NULL || memcmp(d->id, b->id, 32) != 0) {
        rn_block_free(d);
        return lb_error_set(err,
                            LB_EINVAL,
                            "block %s: its record in the block log does not "
                            "decode any more",
                            b->id_hex);
    }
    b->txs = d->txs;
    b->n_txs = d->n_txs;
    d->txs = NULL;
    d->n_txs = 0;
    rn_block_free(d);
    if (c->n_refull == c->cap_refull) {
        c->cap_refull = c->cap_refull ? 2 * c->cap_refull : 16;
        c->refull = lb_xrealloc(c->refull, c->cap_refull * RN_PTR_SIZE);
    }
    c->refull[c->n_refull++] = b;
    return 0;
}

/* ---- fork choice -------------------------------------------------------- */

static bool better(const struct rn_block *a, const struct rn_block *b)
{
    if (a->height != b->height)
        return a->height > b->height;
    return memcmp(a->id, b->id, 32) < 0;
}

static struct rn_block *best_valid(struct rn_chain *c)
{
    struct rn_block *best = c->gen;
    size_t i;

    for (i = 0; i < c->n_all; i++) {
        struct rn_block *b = c->all[i];

        if (b->parent != NULL && b->parent->invalid)
            b->invalid = true;
        if (!b->invalid && better(b, best))
            best = b;
    }
    return best;
}

/*
 * Makes every block between the tip and `target` whole (slim blocks below
 * LIB that a deep reorg reverts or applies); false when one cannot be.
 */
static bool path_full(struct rn_chain *c, struct rn_block *target)
{
    struct rn_block *a = c->tip, *t = target;

    while (a != t) {
        if (a->height >= t->height) {
            if (rn_chain_full(c, a, NULL) != 0)
                return false;
            a = a->parent;
        } else {
            if (rn_chain_full(c, t, NULL) != 0)
                return false;
            t = t->parent;
        }
    }
    return true;
}

/* Moves the tip to `target`; false when a block on the way failed. */
static bool switch_to(struct rn_chain *c, struct rn_block *target)
{
    struct rn_block **path = NULL, *a = c->tip, *t = target;
    size_t n = 0, cap = 0, depth = 0;
    bool ok = true;

    if (!path_full(c, target)) {
        /* its log record is gone: a chain we cannot rebuild is no choice */
        target->invalid = true;
        return false;
    }

    while (t->height > a->height) {
        if (n == cap)
            path = lb_xrealloc(path, (cap = cap ? 2 * cap : 16) * RN_PTR_SIZE);
        path[n++] = t;
        t = t->parent;
    }
    while (a->height > t->height) {
        revert_block(c, a);
        a = a->parent;
        depth++;
    }
    while (a != t) {
        revert_block(c, a);
        a = a->parent;
        depth++;
        if (n == cap)
            path = lb_xrealloc(path, (cap = cap ? 2 * cap : 16) * RN_PTR_SIZE);
        path[n++] = t;
        t = t->parent;
    }
    if (depth > 0) {
        c->reorgs++;
        if (depth > c->max_reorg_depth)
            c->max_reorg_depth = depth;
    }
    while (n > 0) {
        struct rn_block *b = path[--n];

        if (apply_block(c, b) != 0) {
            b->invalid = true;
            ok = false;
            break;
        }
    }
    lb_free(path);
    return ok;
}

static void choose(struct rn_chain *c, struct rn_block *candidate)
{
    int guard = 0;

    if (!better(candidate, c->tip))
        return;
    while (!switch_to(c, candidate) && guard++ < 1000)
        candidate = best_valid(c);
}

int rn_chain_add(struct rn_chain *c,
                 struct rn_block *b,
                 uint64_t now_slot,
                 struct rn_block **added,
                 struct lb_error *err)
{
    struct rn_block *parent;

    if (rn_map_get(&c->blocks, b->id) != NULL) {
        if (added)
            *added = rn_map_get(&c->blocks, b->id);
        rn_block_free(b);
        return 1;
    }
    parent = rn_map_get(&c->blocks, b->parent_id);
    if (parent == NULL) {
        rn_block_free(b);
        return lb_error_set(err, LB_ENOTFOUND, "parent block unknown");
    }
    if (b->slot <= parent->slot) {
        rn_block_free(b);
        return lb_error_set(err, LB_EINVAL, "slot not after the parent's");
    }
    if (b->slot > now_slot + 1) {
        unsigned long long slot = b->slot;

        rn_block_free(b);
        return lb_error_set(err,
                            LB_EINVAL,
                            "block from the future (slot %llu, now %llu)",
                            slot,
                            (unsigned long long)now_slot);
    }
    if (b->pol == NULL ||
        !rn_lottery_verify(c, b->pol->leader, b->slot, b->pol->proof))
    {
        rn_block_free(b);
        return lb_error_set(
            err, LB_EINVAL, "leader key or lottery proof rejected");
    }
    lb_free(b->pol);
    b->pol = NULL;
    b->parent = parent;
    b->height = parent->height + 1;
    b->invalid = parent->invalid;
    rn_map_put(&c->blocks, b->id, b);
    if (c->n_all == c->cap_all) {
        c->cap_all = c->cap_all ? 2 * c->cap_all : 256;
        c->all = lb_xrealloc(c->all, c->cap_all * RN_PTR_SIZE);
    }
    c->all[c->n_all++] = b;
    b->log_off = c->log_end;
    c->log_end += RN_LOG_HEAD + b->text_len;
    if (added)
        *added = b;
    if (!b->invalid)
        choose(c, b);
    slim_old(c);
    return 0;
}

struct rn_block *rn_chain_get(const struct rn_chain *c,
                              const unsigned char id[32])
{
    return rn_map_get(&c->blocks, id);
}

struct rn_block *rn_chain_at(const struct rn_chain *c, uint64_t height)
{
    struct rn_block *b = c->tip;

    if (height > b->height)
        return NULL;
    while (b->height > height)
        b = b->parent;
    return b;
}

struct rn_block *rn_chain_lib(const struct rn_chain *c)
{
    return rn_chain_at(c, c->tip->height > c->k ? c->tip->height - c->k : 0);
}

/*
 * The ledger at another block than the tip, as a difference from the
 * tip's: `gone` holds the ids of tip notes that do not exist there,
 * `extra` (owned notes) those that exist there only. Walking down from the
 * tip to the fork point undoes blocks (outputs go, undo records come
 * back); walking up to `at` applies its fork's blocks, whose inputs must
 * exist at that point.
 */
struct ledger_delta {
    struct rn_map gone, extra;
};

static char delta_mark;

static bool delta_has(const struct rn_chain *c,
                      const struct ledger_delta *d,
                      const unsigned char id[32])
{
    return rn_map_get(&d->extra, id) != NULL ||
           (rn_map_get(&c->utxo, id) != NULL &&
            rn_map_get(&d->gone, id) == NULL);
}

static void delta_remove(struct ledger_delta *d, const unsigned char id[32])
{
    struct rn_note *x = rn_map_del(&d->extra, id);

    if (x != NULL)
        lb_free(x);
    else
        rn_map_put(&d->gone, id, &delta_mark);
}

static void delta_add(struct ledger_delta *d,
                      const unsigned char id[32],
                      const struct rn_note *note)
{
    struct rn_note *x = lb_xmalloc(sizeof(*x));

    *x = *note;
    rn_map_del(&d->gone, id);
    lb_free(rn_map_put(&d->extra, id, x));
}

static void out_id(const struct rn_tx *tx, size_t i, unsigned char id[32])
{
    char hex[65];

    lb_mantle_note_id(tx->hash, (uint32_t)i, hex);
    (void)lb_mantle_unhex(hex, id, 32);
}

static void delta_undo(struct ledger_delta *d, const struct rn_block *b)
{
    size_t u = b->n_undo, t, i;
    unsigned char id[32];

    for (t = b->n_txs; t > 0; t--) {
        const struct rn_tx *tx = b->txs[t - 1];

        for (i = 0; i < tx->n_out; i++) {
            out_id(tx, i, id);
            delta_remove(d, id);
        }
        for (i = tx->n_in; i > 0 && u > 0; i--) {
            u--;
            delta_add(d, b->undo[u].id, &b->undo[u].note);
        }
    }
}

static int delta_apply(const struct rn_chain *c,
                       struct ledger_delta *d,
                       const struct rn_block *b,
                       struct lb_error *err)
{
    unsigned char id[32];
    size_t t, i;

    for (t = 0; t < b->n_txs; t++) {
        const struct rn_tx *tx = b->txs[t];

        for (i = 0; i < tx->n_in; i++) {
            if (!delta_has(c, d, tx->in[i]))
                return lb_error_set(err,
                                    LB_EINVAL,
                                    "block %s spends a note that does not "
                                    "exist on its chain",
                                    b->id_hex);
            delta_remove(d, tx->in[i]);
        }
        for (i = 0; i < tx->n_out; i++) {
            out_id(tx, i, id);
            delta_add(d, id, &tx->out[i]);
        }
    }
    return 0;
}

static int delta_build(struct rn_chain *c,
                       struct rn_block *at,
                       struct ledger_delta *d,
                       struct lb_error *err)
{
    struct rn_block *a = c->tip, *t = at, **up = NULL;
    size_t n_up = 0, cap = 0;
    int rc = 0;

    if (at->invalid)
        return lb_error_set(err, LB_EINVAL, "block %s is invalid", at->id_hex);
    while (a != t && rc == 0) {
        if (a->height >= t->height) {
            rc = rn_chain_full(c, a, err);
            if (rc == 0)
                delta_undo(d, a);
            a = a->parent;
        } else {
            rc = rn_chain_full(c, t, err);
            if (n_up == cap)
                up = lb_xrealloc(up, (cap = cap ? 2 * cap : 16) * RN_PTR_SIZE);
            up[n_up++] = t;
            t = t->parent;
        }
    }
    while (rc == 0 && n_up > 0)
        rc = delta_apply(c, d, up[--n_up], err);
    lb_free(up);
    return rc;
}

static void delta_release(struct ledger_delta *d)
{
    size_t i;

    for (i = 0; i < d->extra.cap; i++)
        if (d->extra.slots[i].state == 1)
            lb_free(d->extra.slots[i].val);
    rn_map_release(&d->extra);
    rn_map_release(&d->gone);
}

static void push_owned(struct rn_owned_note **out,
                       size_t *n,
                       size_t *cap,
                       const unsigned char id[32],
                       uint64_t value)
{
    if (*n == *cap)
        *out = lb_xrealloc(*out, (*cap = *cap ? 2 * *cap : 16) * sizeof(**out));
    memcpy((*out)[*n].id, id, 32);
    (*out)[(*n)++].value = value;
}

int rn_chain_notes_at(struct rn_chain *c,
                      struct rn_block *at,
                      const unsigned char pk[32],
                      struct rn_owned_note **out,
                      size_t *n,
                      struct lb_error *err)
{
    struct ledger_delta d;
    size_t i, cap = 0;
    int rc;

    memset(&d, 0, sizeof(d));
    *out = NULL;
    *n = 0;
    rc = delta_build(c, at, &d, err);
    for (i = 0; rc == 0 && i < c->utxo.cap; i++) {
        const struct rn_map_slot *s = &c->utxo.slots[i];
        const struct rn_note *note = s->val;

        if (s->state == 1 && memcmp(note->pk, pk, 32) == 0 &&
            rn_map_get(&d.gone, s->key) == NULL)
            push_owned(out, n, &cap, s->key, note->value);
    }
    for (i = 0; rc == 0 && i < d.extra.cap; i++) {
        const struct rn_map_slot *s = &d.extra.slots[i];
        const struct rn_note *note = s->val;

        if (s->state == 1 && memcmp(note->pk, pk, 32) == 0)
            push_owned(out, n, &cap, s->key, note->value);
    }
    delta_release(&d);
    if (rc != 0) {
        lb_free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

uint64_t rn_chain_balance(const struct rn_chain *c,
                          const unsigned char pk[32],
                          json_t *notes)
{
    uint64_t sum = 0;
    size_t i;

    for (i = 0; i < c->utxo.cap; i++) {
        const struct rn_map_slot *s = &c->utxo.slots[i];
        const struct rn_note *n = s->val;
        char hex[65];

        if (s->state != 1 || memcmp(n->pk, pk, 32) != 0)
            continue;
        sum += n->value;
        if (notes != NULL) {
            lb_mantle_hex(s->key, 32, hex);
            json_array_append_new(notes, json_string(hex));
        }
    }
    return sum;
}

/* ---- genesis ------------------------------------------------------------ */

int rn_chain_init(struct rn_chain *c,
                  const struct rn_config *cfg,
                  struct lb_error *err)
{
    char zeros[65];
    uint64_t total = 0;
    size_t i;
    uint32_t j;
    json_t *g;

    memset(c, 0, sizeof(*c));
    c->log_fd = -1;
    if (cfg->data_dir != NULL) {
        struct lb_buf path = LB_BUF_INIT;

        lb_buf_addf(&path, "%s/blocks.log", cfg->data_dir);
        c->log_path = lb_buf_detach(&path, NULL);
    }
    c->f = cfg->f;
    c->k = cfg->k;
    lb_mantle_genesis_id(cfg->genesis_seed, c->genesis_hex);
    (void)lb_mantle_unhex(c->genesis_hex, c->genesis, 32);
    c->holders = lb_xcalloc(cfg->n_nodes + 1, sizeof(*c->holders));
    for (i = 0; i < cfg->n_nodes; i++) {
        struct lb_mantle_key k;

        if (lb_mantle_key_init(&k, cfg->genesis_seed, cfg->nodes[i].name, err))
            return LB_EINVAL;
        memcpy(c->holders[i].name, cfg->nodes[i].name, RN_NAME_MAX);
        memcpy(c->holders[i].pk, k.pk, 32);
        c->holders[i].stake = cfg->nodes[i].stake;
        total += cfg->nodes[i].stake;
        lb_mantle_key_release(&k);
    }
    c->n_holders = cfg->n_nodes;
    for (i = 0; i < c->n_holders; i++)
        c->holders[i].alpha =
            total ? (double)c->holders[i].stake / (double)total : 0.0;
    c->gen = lb_xcalloc(1, sizeof(*c->gen));
    memcpy(c->gen->id, c->genesis, 32);
    memcpy(c->gen->id_hex, c->genesis_hex, 65);
    c->gen->on_chain = true;
    memset(zeros, '0', 64);
    zeros[64] = '\0';
    g = json_pack("{s:{s:s, s:s, s:i, s:s, s:{s:s, s:s}}, s:s, s:[]}",
                  "header",
                  "version",
                  "Bedrock",
                  "parent_block",
                  zeros,
                  "slot",
                  0,
                  "block_root",
                  zeros,
                  "proof_of_leadership",
                  "leader_key",
                  zeros,
                  "proof",
                  "",
                  "signature",
                  "",
                  "transactions");
    c->gen->text = dump_compact(g, &c->gen->text_len);
    json_decref(g);
    rn_map_put(&c->blocks, c->gen->id, c->gen);
    c->tip = c->gen;
    for (i = 0; i < cfg->n_wallets; i++) {
        struct lb_mantle_key k;

        if (lb_mantle_key_init(
                &k, cfg->genesis_seed, cfg->wallets[i].name, err))
            return LB_EINVAL;
        for (j = 0; j < cfg->wallets[i].notes; j++) {
            struct rn_note *n = lb_xmalloc(sizeof(*n));
            unsigned char id[32];
            char hex[65];

            lb_mantle_genesis_note_id(
                cfg->genesis_seed, cfg->wallets[i].name, j, hex);
            (void)lb_mantle_unhex(hex, id, 32);
            n->value = lb_mantle_genesis_note_value(
                cfg->wallets[i].funds, cfg->wallets[i].notes, j);
            memcpy(n->pk, k.pk, 32);
            lb_free(rn_map_put(&c->utxo, id, n));
        }
        lb_mantle_key_release(&k);
    }
    return 0;
}

void rn_chain_release(struct rn_chain *c)
{
    size_t i;

    for (i = 0; i < c->n_all; i++)
        rn_block_free(c->all[i]);
    rn_block_free(c->gen);
    lb_free(c->all);
    for (i = 0; i < c->utxo.cap; i++)
        if (c->utxo.slots[i].state == 1)
            lb_free(c->utxo.slots[i].val);
    rn_map_release(&c->utxo);
    rn_map_release(&c->blocks);
    rn_map_release(&c->included);
    sig_seen_clear(c);
    lb_free(c->holders);
    if (c->log_map != NULL)
        (void)munmap(c->log_map, (size_t)RN_LOG_MAP_MAX);
    if (c->log_fd >= 0)
        (void)close(c->log_fd);
    lb_free(c->log_path);
    lb_free(c->refull);
    memset(c, 0, sizeof(*c));
    c->log_fd = -1;
}
