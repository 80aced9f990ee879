/*
 * Data availability on refnode (node.h): an executor splits a blob into one
 * share per subnet, sends each share to the validators assigned to that
 * subnet (round-robin over the stake table), and submits a ChannelBlob op;
 * validators store shares and sample their own when a block carries a blob.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "node.h"

#define DEFAULT_MAX_SHARES 4096

static size_t max_shares(const struct rn_node *n)
{
    return n->cfg.da_max_shares ? n->cfg.da_max_shares : DEFAULT_MAX_SHARES;
}

/* ---- share log ---------------------------------------------------------- */

/*
 * DATA_DIR/shares.log holds every share this node accepted, in arrival
 * order, as records "RNS1", u32le payload length, SHA-256 of the payload,
 * payload = blob id (32 bytes) ‖ u32le subnet ‖ the share's data. The
 * index in memory (blob, subnet, record offset) is rebuilt from it at
 * start; the data is read back when a block asks for a sample. A torn or
 * corrupt record ends the log (a kill in the middle of a write): it is
 * cut off on load, as the block log's.
 */
#define REC_HEAD  40
#define REC_FIXED 36 /* blob id and subnet ahead of the data */

static void put_u32le(unsigned char *p, uint32_t v)
{
    p[0] = v & 0xff;
    p[1] = (v >> 8) & 0xff;
    p[2] = (v >> 16) & 0xff;
    p[3] = (v >> 24) & 0xff;
}

static uint32_t get_u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static ssize_t pread_full(int fd, void *buf, size_t len, uint64_t off)
{
    size_t got = 0;

    while (got < len) {
        ssize_t r = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? -1 : (ssize_t)got;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static int find_share(const struct rn_node *n, const char *blob, uint32_t sub)
{
    size_t i;

    for (i = n->da.n_shares; i > 0; i--)
        if (n->da.shares[i - 1].subnet == sub &&
            strcmp(n->da.shares[i - 1].blob, blob) == 0)
            return (int)(i - 1);
    return -1;
}

/* Indexes a share; when the index is full the oldest share is forgotten. */
static void index_share(struct rn_node *n,
                        const char *blob,
                        uint32_t subnet,
                        uint64_t off,
                        uint32_t len)
{
    struct rn_share *s;

    if (n->da.n_shares >= max_shares(n)) {
        memmove(n->da.shares,
                n->da.shares + 1,
                (n->da.n_shares - 1) * sizeof(*n->da.shares));
        n->da.n_shares--;
    }
    if (n->da.n_shares == n->da.cap_shares) {
        n->da.cap_shares = n->da.cap_shares ? 2 * n->da.cap_shares : 16;
        n->da.shares =
            lb_xrealloc(n->da.shares, n->da.cap_shares * sizeof(*n->da.shares));
    }
    s = &n->da.shares[n->da.n_shares++];
    memset(s, 0, sizeof(*s));
    memcpy(s->blob, blob, 65);
    s->subnet = subnet;
    s->off = off;
    s->len = len;
}

/*
 * Reads the record at `off` whose payload is `len` bytes into `rec`;
 * true when it is whole and its checksum holds.
 */
static bool read_record(int fd, uint64_t off, uint32_t len, struct lb_buf *rec)
{
    unsigned char sum[32];
    const unsigned char *h;

    lb_buf_reset(rec);
    if (lb_buf_grow(rec, REC_HEAD + (size_t)len) != 0 ||
        pread_full(fd, rec->ptr, REC_HEAD + (size_t)len, off) !=
            (ssize_t)(REC_HEAD + (size_t)len))
        return false;
    lb_buf_setlen(rec, REC_HEAD + (size_t)len);
    h = (const unsigned char *)rec->ptr;
    if (memcmp(h, "RNS1", 4) != 0 || get_u32le(h + 4) != len)
        return false;
    lb_mantle_sha256(h + REC_HEAD, len, sum);
    return memcmp(sum, h + 8, 32) == 0;
}

/*
 * Replays the log into the index; cuts a torn or corrupt tail. Returns the
 * number of whole records.
 */
static size_t load_shares(struct rn_node *n, int fd)
{
    struct lb_buf rec = LB_BUF_INIT;
    unsigned char head[REC_HEAD];
    uint64_t off = 0, size;
    size_t records = 0;
    struct stat st;

    size = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
    while (off + REC_HEAD <= size &&
           pread_full(fd, head, REC_HEAD, off) == REC_HEAD)
    {
        uint32_t len = get_u32le(head + 4);
        const unsigned char *p;
        char blob[65];
        uint32_t subnet;

        if (len < REC_FIXED || off + REC_HEAD + len > size ||
            !read_record(fd, off, len, &rec))
            break;
        p = (const unsigned char *)rec.ptr + REC_HEAD;
        lb_mantle_hex(p, 32, blob);
        subnet = get_u32le(p + 32);
        /* a share of a subnet the config no longer has stays in the log */
        if (subnet < n->da.subnets && find_share(n, blob, subnet) < 0)
            index_share(n, blob, subnet, off, len);
        off += REC_HEAD + len;
        records++;
    }
    lb_buf_release(&rec);
    if (off < size) {
        rn_log(n,
               LB_LOG_WARN,
               "share log '%s': cutting a torn or bad tail at byte %llu of "
               "%llu",
               n->da.log_path,
               (unsigned long long)off,
               (unsigned long long)size);
        if (ftruncate(fd, (off_t)off) != 0)
            rn_log(n,
                   LB_LOG_ERROR,
                   "cannot truncate '%s': %s",
                   n->da.log_path,
                   strerror(errno));
    }
    n->da.log_end = off;
    rn_log(n, LB_LOG_INFO, "share log: %zu shares loaded", n->da.n_shares);
    return records;
}

static bool write_full(int fd, const char *p, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        done += (size_t)w;
    }
    return true;
}

/* Writes the indexed shares' records to `fd`; their new offsets in `offs`. */
static bool copy_indexed(struct rn_node *n, int fd, uint64_t *offs)
{
    struct lb_buf rec = LB_BUF_INIT;
    uint64_t end = 0;
    bool ok = true;
    size_t i;

    for (i = 0; ok && i < n->da.n_shares; i++) {
        const struct rn_share *s = &n->da.shares[i];

        ok = read_record(n->da.log_fd, s->off, s->len, &rec) &&
             write_full(fd, rec.ptr, rec.len);
        offs[i] = end;
        end += rec.len;
    }
    lb_buf_release(&rec);
    return ok && fsync(fd) == 0;
}

/*
 * Rewrites the share log with the shares the index holds (the newest
 * max_shares; the log of a long run would keep every share it ever got):
 * into a temporary file, synced, renamed over the log. On any failure the
 * old log stays as it was.
 */
static void compact_shares(struct rn_node *n, size_t records)
{
    struct lb_buf tmp = LB_BUF_INIT;
    uint64_t *offs = lb_xcalloc(n->da.n_shares + 1, sizeof(*offs));
    size_t i;
    int fd;

    lb_buf_addf(&tmp, "%s.tmp", n->da.log_path);
    fd = open(tmp.ptr, O_RDWR | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || !copy_indexed(n, fd, offs) ||
        rename(tmp.ptr, n->da.log_path) != 0)
    {
        rn_log(n,
               LB_LOG_ERROR,
               "share log: cannot compact into '%s': %s",
               tmp.ptr,
               strerror(errno));
        if (fd >= 0)
            (void)close(fd);
        (void)unlink(tmp.ptr);
    } else {
        (void)close(n->da.log_fd);
        n->da.log_fd = fd;
        n->da.log_end = 0;
        for (i = 0; i < n->da.n_shares; i++) {
            n->da.shares[i].off = offs[i];
            n->da.log_end += REC_HEAD + (uint64_t)n->da.shares[i].len;
        }
        rn_log(n,
               LB_LOG_INFO,
               "share log: compacted %zu records to %zu",
               records,
               n->da.n_shares);
    }
    lb_free(offs);
    lb_buf_release(&tmp);
}

/* The record of a share; empty when `hex` is not hex. */
static struct lb_buf
share_record(const char *blob, uint32_t subnet, const char *hex, size_t len)
{
    struct lb_buf rec = LB_BUF_INIT;
    unsigned char *p;

    lb_buf_grow(&rec, REC_HEAD + REC_FIXED + len);
    p = (unsigned char *)rec.ptr;
    p[0] = 'R';
    p[1] = 'N';
    p[2] = 'S';
    p[3] = '1';
    put_u32le(p + 4, (uint32_t)(REC_FIXED + len));
    (void)lb_mantle_unhex(blob, p + REC_HEAD, 32);
    put_u32le(p + REC_HEAD + 32, subnet);
    if (!lb_mantle_unhex(hex, p + REC_HEAD + REC_FIXED, len))
        return rec;
    lb_mantle_sha256(p + REC_HEAD, REC_FIXED + len, p + 8);
    lb_buf_setlen(&rec, REC_HEAD + REC_FIXED + len);
    return rec;
}

/*
 * Appends a record to the share log; false (logged) when it could not be
 * written whole, and then the log is cut back to where it ended.
 */
static bool
append_record(struct rn_node *n, const struct lb_buf *rec, uint64_t *off)
{
    errno = 0;
    if (!write_full(n->da.log_fd, rec->ptr, rec->len)) {
        rn_log(n,
               LB_LOG_ERROR,
               "share log '%s': %s",
               n->da.log_path,
               errno ? strerror(errno) : "short write");
        /* a partial record would end the log at the next load */
        if (ftruncate(n->da.log_fd, (off_t)n->da.log_end) != 0)
            rn_log(n, LB_LOG_ERROR, "cannot truncate the share log");
        return false;
    }
    *off = n->da.log_end;
    n->da.log_end += rec->len;
    return true;
}

void rn_da_init(struct rn_node *n)
{
    struct lb_buf path = LB_BUF_INIT;
    size_t records;

    n->da.subnets = n->cfg.da_subnets ? n->cfg.da_subnets : 1;
    n->da.inbound = lb_xcalloc(n->da.subnets, sizeof(uint64_t));
    n->da.outbound = lb_xcalloc(n->da.subnets, sizeof(uint64_t));
    n->da.blacklist = rn_reserve(RN_MAX_PEERS, sizeof(*n->da.blacklist));
    lb_buf_addf(&path, "%s/shares.log", n->cfg.data_dir);
    n->da.log_path = lb_buf_detach(&path, NULL);
    n->da.log_fd =
        open(n->da.log_path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (n->da.log_fd < 0) {
        rn_log(n,
               LB_LOG_ERROR,
               "cannot open the share log '%s': %s (shares kept in memory "
               "only)",
               n->da.log_path,
               strerror(errno));
        return;
    }
    records = load_shares(n, n->da.log_fd);
    if (records >= 2 * max_shares(n) && records > n->da.n_shares)
        compact_shares(n, records);
}

void rn_da_release(struct rn_node *n)
{
    /* the path is set first: without it (init not reached) there is no fd */
    if (n->da.log_path != NULL && n->da.log_fd >= 0) {
        (void)fsync(n->da.log_fd);
        (void)close(n->da.log_fd);
    }
    lb_free(n->da.log_path);
    lb_free(n->da.shares);
    lb_free(n->da.inbound);
    lb_free(n->da.outbound);
    lb_free(n->da.blacklist);
    memset(&n->da, 0, sizeof(n->da));
}

int rn_da_subnet_of(const struct rn_node *n, const char *name, uint64_t session)
{
    size_t i, v = 0;

    /* round-robin over the validators, shifted by one subnet per session */
    for (i = 0; i < n->cfg.n_nodes; i++) {
        if (n->cfg.nodes[i].role != RN_VALIDATOR)
            continue;
        if (strcmp(n->cfg.nodes[i].name, name) == 0)
            return (int)((v + session % n->da.subnets) % n->da.subnets);
        v++;
    }
    return -1;
}

static bool blacklisted(const struct rn_node *n, const char *name)
{
    size_t i;

    for (i = 0; i < n->da.n_blacklist; i++)
        if (strcmp(n->da.blacklist[i], name) == 0)
            return true;
    return false;
}

void rn_da_membership(struct rn_node *n, uint64_t session, struct rn_reply *r)
{
    json_t *as = json_object(), *book = json_object();
    uint32_t s;
    size_t i;

    for (s = 0; s < n->da.subnets; s++) {
        char key[16];

        (void)snprintf(key, sizeof(key), "%u", s);
        json_object_set_new(as, key, json_array());
    }
    for (i = 0; i < n->cfg.n_nodes; i++) {
        const char *name = n->cfg.nodes[i].name;
        const char *addr = rn_net_book_addr(n, name);
        int sub = rn_da_subnet_of(n, name, session);
        char key[16];

        if (sub >= 0) {
            (void)snprintf(key, sizeof(key), "%d", sub);
            json_array_append_new(json_object_get(as, key), json_string(name));
        }
        if (addr != NULL)
            json_object_set_new(book, name, json_string(addr));
    }
    rn_reply_json(
        r,
        200,
        json_pack("{s:o, s:o}", "assignations", as, "addressbook", book));
}

static void send_shares(struct rn_node *n,
                        const char *blob,
                        const unsigned char *data,
                        size_t len)
{
    size_t per = (len + n->da.subnets - 1) / n->da.subnets, i;
    uint32_t s;

    for (s = 0; s < n->da.subnets; s++) {
        size_t off = per * s < len ? per * s : len;
        size_t sl = off + per <= len ? per : len - off;
        char *hex = lb_xmalloc(2 * sl + 1);
        json_t *body;
        char *text;

        lb_mantle_hex(data + off, sl, hex);
        body = json_pack("{s:s, s:I, s:s}",
                         "blob",
                         blob,
                         "subnet",
                         (json_int_t)s,
                         "data",
                         hex);
        lb_free(hex);
        text = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        for (i = 0; i < n->cfg.n_nodes; i++) {
            const char *name = n->cfg.nodes[i].name;
            const char *addr;

            if (rn_da_subnet_of(n, name, RN_DA_SESSION) != (int)s ||
                blacklisted(n, name))
                continue;
            n->da.dispersal_total++;
            addr = rn_net_book_addr(n, name);
            if (addr == NULL) {
                n->da.dispersal_failed++;
                rn_log(n, LB_LOG_WARN, "da: no address for '%s'", name);
                continue;
            }
            n->da.outbound[s]++;
            rn_net_post(
                n, addr, "/net/da/share", lb_xstrdup(text), strlen(text));
        }
        free(text);
    }
}

void rn_da_disperse(struct rn_node *n, const json_t *req, struct rn_reply *r)
{
    const char *channel = json_string_value(json_object_get(req, "channel_id"));
    const char *parent =
        json_string_value(json_object_get(req, "parent_msg_id"));
    const char *signer = json_string_value(json_object_get(req, "signer"));
    const json_t *data = json_object_get(req, "data"), *v;
    const struct lb_mantle_key *k;
    const struct lb_mantle_key *keys[1];
    unsigned char *bytes, h[32];
    char blob[65];
    struct lb_error e;
    json_t *tx, *signed_tx;
    struct rn_tx *t;
    size_t i, len;

    if (n->cfg.role != RN_EXECUTOR)
        return rn_reply_text(r, 400, "'%s' is not an executor", n->cfg.name);
    if (!json_is_object(req) || !lb_mantle_is_id(channel) ||
        !lb_mantle_is_id(parent) || !lb_mantle_is_id(signer) ||
        !json_is_array(data))
        return rn_reply_text(r,
                             400,
                             "need channel_id, parent_msg_id and signer (64 "
                             "hex each) and data (array of bytes)");
    len = json_array_size(data);
    if (len == 0 || len > RN_BLOB_MAX)
        return rn_reply_text(r, 400, "data must hold 1..%u bytes", RN_BLOB_MAX);
    bytes = lb_xmalloc(len);
    json_array_foreach(data, i, v)
    {
        uint64_t b;

        if (!lb_mantle_get_u64(v, &b) || b > 255) {
            lb_free(bytes);
            return rn_reply_text(r, 400, "data[%zu] is not a byte", i);
        }
        bytes[i] = (unsigned char)b;
    }
    {
        struct lb_buf pre = LB_BUF_INIT;

        lb_buf_adds(&pre, "logos-bdd/blob/v1");
        lb_buf_add(&pre, bytes, len);
        lb_mantle_sha256(pre.ptr, pre.len, h);
        lb_buf_release(&pre);
    }
    lb_mantle_hex(h, 32, blob);
    /* an unknown signer cannot sign here: the executor signs as itself */
    k = rn_node_known_key(n, signer);
    if (k == NULL)
        k = &n->key;
    keys[0] = k;
    tx = lb_mantle_tx_new(NULL, 0, NULL, 0, NULL);
    json_array_append_new(
        json_object_get(tx, "ops"),
        lb_mantle_blob_op_new(
            channel, RN_DA_SESSION, blob, len, parent, k->pk_hex));
    lb_error_init(&e);
    signed_tx = lb_mantle_sign_tx(tx, NULL, keys, &e);
    t = signed_tx ? rn_tx_parse(signed_tx, &e) : NULL;
    json_decref(signed_tx);
    if (t == NULL) {
        lb_free(bytes);
        return rn_reply_text(r, 500, "cannot build the blob op: %s", e.msg);
    }
    /* the op first: a refused one leaves no shares behind */
    if (rn_node_add_tx(n, t, NULL, &e) != 0) {
        lb_free(bytes);
        return rn_reply_text(r, 400, "blob op rejected: %s", e.msg);
    }
    send_shares(n, blob, bytes, len);
    lb_free(bytes);
    rn_log(n, LB_LOG_INFO, "da: dispersed blob %s (%zu bytes)", blob, len);
    rn_reply_json(r, 200, json_string(blob));
}

/*
 * A share from an executor goes on to the other members of its subnet
 * (marked as a replica, which is not passed on again): a member the
 * executor could not reach still gets it. Members that have it answer
 * without storing twice. Each post's outcome counts for the member's
 * replication_failure_rate (/da/monitor-stats).
 */
static void
replicate(struct rn_node *n, const char *blob, uint32_t subnet, const char *hex)
{
    json_t *body = json_pack("{s:s, s:I, s:s, s:b}",
                             "blob",
                             blob,
                             "subnet",
                             (json_int_t)subnet,
                             "data",
                             hex,
                             "replica",
                             1);
    char *text = json_dumps(body, JSON_COMPACT);
    size_t i, j;

    json_decref(body);
    for (i = 0; text != NULL && i < n->cfg.n_nodes; i++) {
        const char *name = n->cfg.nodes[i].name;

        if (strcmp(name, n->cfg.name) == 0 ||
            rn_da_subnet_of(n, name, RN_DA_SESSION) != (int)subnet ||
            blacklisted(n, name))
            continue;
        for (j = 0; j < n->n_book; j++)
            if (strcmp(n->book[j].name, name) == 0)
                break;
        if (j == n->n_book)
            continue; /* no address yet: nothing to count it against */
        n->book[j].repl_sent++;
        rn_net_post_replica(n, n->book[j].addr, lb_xstrdup(text), strlen(text));
    }
    free(text);
}

void rn_da_store_share(struct rn_node *n, const json_t *req, struct rn_reply *r)
{
    const char *blob = json_string_value(json_object_get(req, "blob"));
    const char *hex = json_string_value(json_object_get(req, "data"));
    const json_t *replica = json_object_get(req, "replica");
    uint64_t subnet, off = UINT64_MAX;
    struct lb_buf rec;
    bool stored;
    size_t len;

    if (!lb_mantle_is_id(blob) || hex == NULL || strlen(hex) % 2 != 0 ||
        !lb_mantle_get_u64(json_object_get(req, "subnet"), &subnet) ||
        subnet >= n->da.subnets ||
        (replica != NULL && !json_is_boolean(replica)))
        return rn_reply_text(
            r, 400, "a share needs blob, subnet and data (and replica: bool)");
    len = strlen(hex) / 2;
    if (len > RN_BLOB_MAX)
        return rn_reply_text(
            r, 400, "a share holds at most %u bytes", RN_BLOB_MAX);
    if (find_share(n, blob, (uint32_t)subnet) >= 0)
        return rn_reply_json(r, 200, json_true()); /* have it */
    rec = share_record(blob, (uint32_t)subnet, hex, len);
    if (rec.len == 0) {
        lb_buf_release(&rec);
        return rn_reply_text(r, 400, "share data is not hex");
    }
    stored = n->da.log_fd < 0 || append_record(n, &rec, &off);
    lb_buf_release(&rec);
    if (!stored)
        return rn_reply_text(r, 507, "cannot store the share: see the log");
    index_share(n, blob, (uint32_t)subnet, off, (uint32_t)(REC_FIXED + len));
    n->da.inbound[subnet]++;
    if (!json_is_true(replica))
        replicate(n, blob, (uint32_t)subnet, hex);
    rn_reply_json(r, 200, json_true());
}

void rn_da_replica_done(struct rn_node *n, const char *addr, bool ok)
{
    size_t i;

    for (i = 0; i < n->n_book; i++)
        if (strcmp(n->book[i].addr, addr) == 0) {
            n->book[i].repl_failed += !ok;
            return;
        }
}

/*
 * Sampling: the share of this validator's subnet for each blob of the
 * block, read back from the share log and checked against its checksum.
 */
void rn_da_on_block(struct rn_node *n, const struct rn_block *b)
{
    int mine = rn_da_subnet_of(n, n->cfg.name, RN_DA_SESSION);
    struct lb_buf rec = LB_BUF_INIT;
    size_t i, j;

    if (mine < 0)
        return;
    for (i = 0; i < b->n_txs; i++)
        for (j = 0; j < b->txs[i]->n_blobs; j++) {
            int k = find_share(n, b->txs[i]->blobs[j], (uint32_t)mine);
            const struct rn_share *s = k >= 0 ? &n->da.shares[k] : NULL;
            bool ok =
                s != NULL && (s->off == UINT64_MAX || /* no log: index only */
                              read_record(n->da.log_fd, s->off, s->len, &rec));

            if (ok)
                n->da.samples_ok++;
            else
                n->da.samples_failed++;
            if (s != NULL && !ok)
                rn_log(n,
                       LB_LOG_WARN,
                       "da: the share of blob %s in the log is damaged",
                       s->blob);
        }
    lb_buf_release(&rec);
}
