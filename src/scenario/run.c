/*
 * The lifecycle of one scenario run. It is written as a sequence of phases
 * driven from the top (never from a loop callback): each phase starts
 * asynchronous work on the run's loop and lets the loop run until that work
 * is done or a deadline passes, so the block feed, the height sampler and
 * the transaction workload keep running concurrently throughout.
 */
#include "scenario/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <uv.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/time.h"
#include "net/http.h"
#include "net/loop.h"
#include "net/mantle.h"
#include "net/node.h"
#include "runners/deployer.h"
#include "runners/local/local.h"
#include "scenario/expect.h"

#define GENESIS_PARENT \
    "0000000000000000000000000000000000000000000000000000000000000000"
#define MAX_WALK        100000
#define READY_TIMEOUT_S 60.0
#define SUBMIT_ROUNDS   5
#define SUBMIT_RETRY_MS 500
#define MAX_NOTES       4096

struct note {
    char id[LB_ID_HEX];
    uint64_t value;
};

struct user {
    struct lb_mantle_key key;
    char name[40];
    LB_VEC(struct note) notes; /* unspent, FIFO from `next` */
    size_t next;
};

struct submission {
    struct run *run;
    json_t *tx; /* SignedMantleTx */
    size_t rec_tx;
    long order[LB_MAX_PEERS];
    size_t n_order, pos;
    int round;
    uint64_t due_ms; /* next round */
    bool in_flight;
};

struct fault_run {
    struct run *r;
    const struct lb_fault_spec *spec;
    uv_timer_t timer;
    int stage;   /* 0 before, 1 active, 2 over */
    long target; /* the node acted on last */
};

struct pending_block {
    char id[LB_ID_HEX];
    json_t *block;
};

struct run {
    uv_loop_t loop;
    struct lb_http http;
    bool http_ready;
    bool stop;    /* interruption: every wait gives up */
    bool closing; /* teardown: callbacks start nothing new */
    const struct lb_plan *plan;
    const struct lb_scenario_options *opts;
    struct lb_run_metrics m;
    struct lb_run_record *rec;
    const struct lb_deployer_ops *ops;
    struct lb_deployment *dep;
    struct lb_node_client *clients;
    size_t n;
    char seed[64];
    uint64_t t0; /* uv_now at the start */
    int timers_open;
    uint64_t rng;

    uv_timer_t interrupt_timer;

    /* block feed */
    uv_timer_t feed_timer;
    bool feed_busy;
    long feed_node;
    LB_VEC(struct pending_block) feed_chain; /* newest first */
    size_t feed_next;        /* next entry of feed_chain to request */
    size_t feed_received;    /* entries whose block arrived */
    size_t feed_outstanding; /* requests of this pass in flight */
    struct lb_error feed_err;
    bool feed_done;        /* set at the end of each pass */
    bool feed_failed;      /* a pass failed since the last sync pass */
    bool feed_pass_failed; /* the current pass failed */
    bool feed_keep_head;   /* reading another node's chain: no head move */

    /* height sampler */
    uv_timer_t sample_timer;
    bool *sampling; /* per node: a request in flight */

    /* transaction workload */
    uv_timer_t tx_timer;
    uv_timer_t retry_timer;
    struct user *users;
    long n_users;
    long next_user;
    uint64_t tx_issued;
    LB_VEC(uint64_t) tx_values; /* per record tx */
    LB_VEC(long) tx_users;
    LB_VEC(struct submission *) retries;
    size_t subs_in_flight;

    /* faults (node control) */
    struct fault_run *faults;
    size_t n_faults;
    uint64_t *chaos_cooldown; /* per node: uv_now before which it rests */

    /* progress */
    uv_timer_t progress_timer;
    bool progress_tty;
    bool progress_drawn;
    double drive_end_s;
};

/* Copies `src` into `dst[size]`, truncating (error texts into records). */
static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int64_t now_ms(struct run *r)
{
    return (int64_t)(uv_now(&r->loop) - r->t0);
}

static uint64_t rnd(struct run *r)
{
    r->rng ^= r->rng << 13;
    r->rng ^= r->rng >> 7;
    r->rng ^= r->rng << 17;
    return r->rng;
}

int lb_run_discard_logs(struct lb_run_record *rec)
{
    if (!rec->kept || lb_keep_logs_env() || !rec->work_dir[0])
        return 0;
    lb_local_remove_tree(rec->work_dir);
    rec->kept = false;
    return 0;
}

bool lb_keep_logs_env(void)
{
    static const char *const names[] = {"NOMOS_TESTS_KEEP_LOGS",
                                        "LOGOS_BLOCKCHAIN_TESTS_KEEP_LOGS"};
    size_t i;
    for (i = 0; i < 2; i++) {
        const char *v = getenv(names[i]);
        if (v && *v && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0)
            return true;
    }
    return false;
}

double lb_timeout_scale(void)
{
    const char *v = getenv("SLOW_TEST_ENV");
    return v && strcasecmp(v, "true") == 0 ? 2.0 : 1.0;
}

static void phase_begin(struct run *r, const char *name)
{
    struct lb_rec_phase p = {0};
    copy_str(p.name, sizeof(p.name), name);
    p.start_ms = now_ms(r);
    p.end_ms = -1;
    if (lb_vec_push(&r->rec->phases, p) != 0)
        LB_BUG("out of memory");
    lb_log_debug("run %s: %s", r->rec->run_id, name);
}

static void phase_end(struct run *r)
{
    if (r->rec->phases.len)
        r->rec->phases.items[r->rec->phases.len - 1].end_ms = now_ms(r);
}

/* ---- block feed ---- */

/*
 * One pass: GET /cryptarchia/info; when the tip is unknown, ask for the ids
 * down to the feed's head (GET /cryptarchia/headers), fetch those blocks
 * with POST /storage/block, FEED_PARALLEL at a time, and walk further
 * parents one by one when the oldest fetched block's parent is still
 * unknown (a fork below the head, or a node without /headers). Blocks are
 * recorded oldest first once their base is known.
 */
#define FEED_PARALLEL 16

struct feed_req {
    struct run *r;
    size_t index;
};

static void feed_pass_done(struct run *r)
{
    size_t i;
    for (i = 0; i < r->feed_chain.len; i++)
        json_decref(r->feed_chain.items[i].block);
    r->feed_chain.len = 0;
    r->feed_next = 0;
    r->feed_received = 0;
    r->feed_busy = false;
    r->feed_done = true;
}

static void feed_fail(struct run *r, const struct lb_error *err)
{
    if (!r->feed_pass_failed) {
        r->feed_pass_failed = true;
        r->feed_failed = true;
        r->feed_err = *err;
        /* another node may answer next time */
        if (r->n > 1)
            r->feed_node = (r->feed_node + 1) % (long)r->n;
    }
    if (r->feed_outstanding == 0)
        feed_pass_done(r);
}

/* A finished tx in a block: match it to the workload and free its note. */
static void
tx_included(struct run *r, const char *hash, const char *block, int64_t t)
{
    size_t i;
    for (i = 0; i < r->rec->txs.len; i++) {
        struct lb_rec_tx *t_ = &r->rec->txs.items[i];
        unsigned char raw[32];
        struct note n;
        long u;
        if (strcmp(t_->hash, hash) != 0 || t_->block[0])
            continue;
        memcpy(t_->block, block, LB_ID_HEX);
        t_->included_ms = t;
        /* its output note is spendable now: the workload may reuse it */
        u = r->tx_users.items[i];
        if (u >= 0 && u < r->n_users && lb_mantle_unhex(hash, raw, 32)) {
            lb_mantle_note_id(raw, 0, n.id);
            n.value = r->tx_values.items[i];
            if (lb_vec_push(&r->users[u].notes, n) != 0)
                LB_BUG("out of memory");
        }
        return;
    }
}

static int record_block(struct run *r,
                        const struct pending_block *pb,
                        uint64_t height,
                        struct lb_error *err)
{
    json_t *header = json_object_get(pb->block, "header");
    json_t *txs = json_object_get(pb->block, "transactions");
    const char *parent =
        json_string_value(json_object_get(header, "parent_block"));
    struct lb_rec_block b = {0};
    LB_VEC(struct lb_rec_block_tx) bt = {0};
    size_t i;

    memcpy(b.id, pb->id, LB_ID_HEX);
    copy_str(b.parent, sizeof(b.parent), parent ? parent : "");
    lb_mantle_get_u64(json_object_get(header, "slot"), &b.slot);
    b.height = height;
    b.t_ms = now_ms(r);
    b.node = r->feed_node;
    for (i = 0; i < json_array_size(txs); i++) {
        json_t *mtx = json_object_get(json_array_get(txs, i), "mantle_tx");
        json_t *outs =
            json_object_get(json_object_get(mtx, "ledger_tx"), "outputs");
        struct lb_rec_block_tx t = {0};
        size_t j;
        struct lb_error e;
        lb_error_init(&e);
        if (lb_mantle_tx_hash_hex(mtx, t.hash, &e) != 0) {
            lb_vec_release(&bt);
            return lb_error_set(err,
                                LB_EPARSE,
                                "block %.16s: transaction "
                                "%zu: %s",
                                pb->id,
                                i,
                                e.msg);
        }
        for (j = 0; j < json_array_size(outs); j++) {
            const char *pk = json_string_value(
                json_object_get(json_array_get(outs, j), "pk"));
            if (pk && lb_record_is_tracked(r->rec, pk))
                t.tracked = true;
        }
        if (lb_vec_push(&bt, t) != 0)
            LB_BUG("out of memory");
    }
    lb_record_add_block(r->rec, &b, bt.items, bt.len);
    for (i = 0; i < bt.len; i++)
        if (bt.items[i].tracked)
            tx_included(r, bt.items[i].hash, b.id, b.t_ms);
    lb_vec_release(&bt);
    return 0;
}

/* Records the fetched chain, oldest first, once its base is known. */
static void feed_emit(struct run *r)
{
    struct lb_error err;
    long base;
    size_t i;
    const struct pending_block *oldest =
        &r->feed_chain.items[r->feed_chain.len - 1];
    const char *parent = json_string_value(json_object_get(
        json_object_get(oldest->block, "header"), "parent_block"));
    char tip[LB_ID_HEX];

    lb_error_init(&err);
    base = lb_record_find_block(r->rec, parent);
    for (i = r->feed_chain.len; i-- > 0;) {
        uint64_t h = r->rec->blocks.items[base].height + 1;
        if (record_block(r, &r->feed_chain.items[i], h, &err) != 0) {
            feed_fail(r, &err);
            return;
        }
        base = lb_record_find_block(r->rec, r->feed_chain.items[i].id);
    }
    memcpy(tip, r->feed_chain.items[0].id, LB_ID_HEX);
    if (!r->feed_keep_head)
        lb_record_set_head(r->rec, tip, now_ms(r));
    feed_pass_done(r);
}

static void feed_push(struct run *r, const char *id)
{
    struct pending_block pb = {{0}, NULL};
    memcpy(pb.id, id, LB_ID_HEX);
    if (lb_vec_push(&r->feed_chain, pb) != 0)
        LB_BUG("out of memory");
}

static void feed_pump(struct run *r);

static void on_feed_block(void *data, json_t *resp, const struct lb_error *err)
{
    struct feed_req *q = data;
    struct run *r = q->r;
    size_t index = q->index;
    const char *parent;
    struct lb_error e;

    lb_free(q);
    if (r->closing)
        return;
    r->feed_outstanding--;
    lb_error_init(&e);
    if (r->feed_pass_failed) {
        feed_fail(r, &r->feed_err);
        return;
    }
    if (err) {
        feed_fail(r, err);
        return;
    }
    parent = json_string_value(
        json_object_get(json_object_get(resp, "header"), "parent_block"));
    if (!json_is_object(resp) || !lb_is_hex_id(parent)) {
        lb_error_set(&e,
                     LB_EPARSE,
                     "node '%s': POST /storage/block %.16s returned %s for a "
                     "block of its own chain",
                     r->clients[r->feed_node].name,
                     r->feed_chain.items[index].id,
                     !resp || json_is_null(resp) ? "null"
                                                 : "a malformed block");
        feed_fail(r, &e);
        return;
    }
    r->feed_chain.items[index].block = json_incref(resp);
    r->feed_received++;
    if (r->feed_received < r->feed_chain.len) {
        feed_pump(r);
        return;
    }
    /* everything asked for is here: is the oldest one's parent known? */
    parent = json_string_value(json_object_get(
        json_object_get(r->feed_chain.items[r->feed_chain.len - 1].block,
                        "header"),
        "parent_block"));
    if (lb_record_find_block(r->rec, parent) >= 0) {
        feed_emit(r);
        return;
    }
    if (r->feed_chain.len >= MAX_WALK) {
        lb_error_set(&e,
                     LB_ETOOBIG,
                     "block feed: more than %d unknown ancestors",
                     MAX_WALK);
        feed_fail(r, &e);
        return;
    }
    feed_push(r, parent);
    feed_pump(r);
}

static void feed_pump(struct run *r)
{
    while (r->feed_outstanding < FEED_PARALLEL &&
           r->feed_next < r->feed_chain.len && !r->feed_pass_failed)
    {
        struct feed_req *q = lb_xmalloc(sizeof(*q));
        struct lb_error e;
        json_t *body = json_string(r->feed_chain.items[r->feed_next].id);
        q->r = r;
        q->index = r->feed_next++;
        lb_error_init(&e);
        r->feed_outstanding++;
        if (!lb_node_call(&r->clients[r->feed_node],
                          LB_NODE_API,
                          "POST",
                          "/storage/block",
                          body,
                          on_feed_block,
                          q,
                          &e))
        {
            r->feed_outstanding--;
            lb_free(q);
            json_decref(body);
            feed_fail(r, &e);
            return;
        }
        json_decref(body);
    }
}

static void
on_feed_headers(void *data, json_t *resp, const struct lb_error *err)
{
    struct run *r = data;
    size_t i;

    if (r->closing)
        return;
    r->feed_outstanding--;
    /* without usable headers, walk from the tip alone */
    if (!err && json_is_array(resp)) {
        for (i = 1; i < json_array_size(resp); i++) {
            const char *id = json_string_value(json_array_get(resp, i));
            if (!lb_is_hex_id(id) || lb_record_find_block(r->rec, id) >= 0)
                break;
            feed_push(r, id);
        }
    }
    feed_pump(r);
}

static void on_feed_info(void *data, json_t *resp, const struct lb_error *err)
{
    struct run *r = data;
    struct lb_chain_info info;
    struct lb_error e;
    char path[200];

    if (r->closing)
        return;
    r->feed_outstanding--;
    lb_error_init(&e);
    if (err) {
        feed_fail(r, err);
        return;
    }
    if (lb_node_parse_info(resp, &info, &e) != 0) {
        lb_error_prefix(&e, "node '%s'", r->clients[r->feed_node].name);
        feed_fail(r, &e);
        return;
    }
    if (lb_record_find_block(r->rec, info.tip) >= 0) {
        if (!r->feed_keep_head)
            lb_record_set_head(r->rec, info.tip, now_ms(r));
        feed_pass_done(r);
        return;
    }
    feed_push(r, info.tip);
    (void)snprintf(path,
                   sizeof(path),
                   "/cryptarchia/headers?from=%s&to=%s",
                   info.tip,
                   r->rec->head[0] ? r->rec->head : r->rec->genesis);
    r->feed_outstanding++;
    if (!lb_node_call(&r->clients[r->feed_node],
                      LB_NODE_API,
                      "GET",
                      path,
                      NULL,
                      on_feed_headers,
                      r,
                      &e))
    {
        r->feed_outstanding--;
        feed_pump(r);
    }
}

static void feed_start_pass(struct run *r)
{
    struct lb_error e;
    if (r->feed_busy || r->closing)
        return;
    r->feed_busy = true;
    r->feed_done = false;
    r->feed_pass_failed = false;
    lb_error_init(&e);
    r->feed_outstanding++;
    if (!lb_node_call(&r->clients[r->feed_node],
                      LB_NODE_API,
                      "GET",
                      "/cryptarchia/info",
                      NULL,
                      on_feed_info,
                      r,
                      &e))
    {
        r->feed_outstanding--;
        feed_fail(r, &e);
    }
}

static void on_feed_timer(uv_timer_t *t)
{
    struct run *r =
        (struct run *)((char *)t - offsetof(struct run, feed_timer));
    feed_start_pass(r);
}

/* One complete pass, waited for on the loop (lifecycle only). */
static int feed_sync_pass(struct run *r, long node, struct lb_error *err)
{
    /* let a periodic pass finish first */
    if (r->feed_busy &&
        lb_loop_run_until(&r->loop, &r->feed_done, &r->stop) == LB_EINTR)
        return lb_error_set(err, LB_EINTR, "interrupted");
    if (node >= 0)
        r->feed_node = node;
    r->feed_failed = false;
    feed_start_pass(r);
    if (lb_loop_run_until(&r->loop, &r->feed_done, &r->stop) == LB_EINTR)
        return lb_error_set(err, LB_EINTR, "interrupted");
    if (r->feed_failed) {
        if (err && !lb_error_is_set(err))
            *err = r->feed_err;
        return r->feed_err.code ? r->feed_err.code : LB_EFAILED;
    }
    return 0;
}

/* ---- height sampler ---- */

struct sample_ctx {
    struct run *r;
    long node;
};

static void on_sample(void *data, json_t *resp, const struct lb_error *err)
{
    struct sample_ctx *c = data;
    struct run *r = c->r;
    struct lb_chain_info info;
    struct lb_rec_sample s;
    long node = c->node;

    lb_free(c);
    if (r->closing)
        return;
    r->sampling[node] = false;
    if (err || lb_node_parse_info(resp, &info, NULL) != 0)
        return;
    s.t_ms = now_ms(r);
    s.node = node;
    s.height = info.height;
    s.slot = info.slot;
    r->rec->nodes.items[node].last_height = info.height;
    if (lb_vec_push(&r->rec->samples, s) != 0)
        LB_BUG("out of memory");
}

static void on_sample_timer(uv_timer_t *t)
{
    struct run *r =
        (struct run *)((char *)t - offsetof(struct run, sample_timer));
    size_t i;
    for (i = 0; i < r->n; i++) {
        struct sample_ctx *c;
        struct lb_error e;
        if (r->sampling[i])
            continue;
        c = lb_xmalloc(sizeof(*c));
        c->r = r;
        c->node = (long)i;
        lb_error_init(&e);
        r->sampling[i] = lb_node_call(&r->clients[i],
                                      LB_NODE_API,
                                      "GET",
                                      "/cryptarchia/info",
                                      NULL,
                                      on_sample,
                                      c,
                                      &e) != NULL;
        if (!r->sampling[i])
            lb_free(c);
    }
}

/* ---- transaction workload ---- */

static void shuffle_nodes(struct run *r, struct submission *s)
{
    size_t i;
    s->n_order = r->n < LB_MAX_PEERS ? r->n : LB_MAX_PEERS;
    for (i = 0; i < s->n_order; i++)
        s->order[i] = (long)i;
    for (i = s->n_order; i > 1; i--) {
        size_t j = rnd(r) % i;
        long tmp = s->order[i - 1];
        s->order[i - 1] = s->order[j];
        s->order[j] = tmp;
    }
    s->pos = 0;
}

static void submission_free(struct submission *s)
{
    json_decref(s->tx);
    lb_free(s);
}

static void submit_next(struct submission *s);

static void on_submitted(void *data, json_t *resp, const struct lb_error *err)
{
    struct submission *s = data;
    struct run *r = s->run;
    struct lb_rec_tx *t;
    (void)resp;

    s->in_flight = false;
    r->subs_in_flight--;
    if (r->closing) {
        submission_free(s);
        return;
    }
    t = &r->rec->txs.items[s->rec_tx];
    t->attempts++;
    if (!err) {
        t->submitted_ms = now_ms(r);
        t->node = s->order[s->pos];
        t->error[0] = '\0';
        submission_free(s);
        return;
    }
    copy_str(t->error, sizeof(t->error), err->msg);
    s->pos++;
    submit_next(s);
}

/* Next node of this round, or the next round 500 ms later, or give up. */
static void submit_next(struct submission *s)
{
    struct run *r = s->run;
    struct lb_error e;
    if (s->pos >= s->n_order) {
        s->round++;
        if (s->round >= SUBMIT_ROUNDS) {
            submission_free(s); /* the record keeps the last error */
            return;
        }
        shuffle_nodes(r, s);
        s->due_ms = uv_now(&r->loop) + SUBMIT_RETRY_MS;
        if (lb_vec_push(&r->retries, s) != 0)
            LB_BUG("out of memory");
        return;
    }
    lb_error_init(&e);
    s->in_flight = true;
    r->subs_in_flight++;
    if (!lb_node_call(&r->clients[s->order[s->pos]],
                      LB_NODE_API,
                      "POST",
                      "/mempool/add/tx",
                      s->tx,
                      on_submitted,
                      s,
                      &e))
    {
        s->in_flight = false;
        r->subs_in_flight--;
        copy_str(r->rec->txs.items[s->rec_tx].error,
                 sizeof(r->rec->txs.items[s->rec_tx].error),
                 e.msg);
        s->pos++;
        submit_next(s);
    }
}

static void on_retry_timer(uv_timer_t *t)
{
    struct run *r =
        (struct run *)((char *)t - offsetof(struct run, retry_timer));
    uint64_t now = uv_now(&r->loop);
    size_t i = 0;
    while (i < r->retries.len) {
        struct submission *s = r->retries.items[i];
        if (s->due_ms > now) {
            i++;
            continue;
        }
        r->retries.items[i] = r->retries.items[--r->retries.len];
        submit_next(s);
    }
}

static void issue_tx(struct run *r)
{
    long u = r->next_user++ % r->n_users;
    struct user *us = &r->users[u];
    struct lb_rec_tx t = {0};
    struct lb_mantle_output out;
    struct lb_error e;
    struct note n;
    struct submission *s;
    const char *in[1];
    json_t *tx;

    t.user = u;
    t.submitted_ms = -1;
    t.node = -1;
    r->tx_issued++;
    lb_error_init(&e);
    if (us->next >= us->notes.len) {
        (void)snprintf(
            t.error,
            sizeof(t.error),
            "%s has no unspent note (its earlier outputs are not in a "
            "block yet)",
            us->name);
        goto record;
    }
    n = us->notes.items[us->next++];
    in[0] = n.id;
    out.value = n.value;
    memcpy(out.pk_hex, us->key.pk_hex, LB_ID_HEX);
    tx = lb_mantle_transfer_new(in, 1, &out, 1, &us->key, &e);
    if (!tx ||
        lb_mantle_tx_hash_hex(json_object_get(tx, "mantle_tx"), t.hash, &e)) {
        json_decref(tx);
        lb_error_prefix(&e, "cannot build transaction");
        copy_str(t.error, sizeof(t.error), e.msg);
        goto record;
    }
    s = lb_xcalloc(1, sizeof(*s));
    s->run = r;
    s->tx = tx;
    s->rec_tx = r->rec->txs.len;
    if (lb_vec_push(&r->rec->txs, t) != 0 ||
        lb_vec_push(&r->tx_values, n.value) != 0 ||
        lb_vec_push(&r->tx_users, u) != 0)
        LB_BUG("out of memory");
    shuffle_nodes(r, s);
    submit_next(s);
    return;
record:
    if (lb_vec_push(&r->rec->txs, t) != 0 ||
        lb_vec_push(&r->tx_values, (uint64_t)0) != 0 ||
        lb_vec_push(&r->tx_users, (long)-1) != 0)
        LB_BUG("out of memory");
}

static void on_tx_timer(uv_timer_t *t)
{
    struct run *r = (struct run *)((char *)t - offsetof(struct run, tx_timer));
    if (r->closing)
        return;
    if (r->tx_issued >= r->rec->tx_planned) {
        uv_timer_stop(t);
        return;
    }
    issue_tx(r);
}

static int
setup_users(struct run *r, struct lb_wallet_spec *wallets, struct lb_error *err)
{
    const struct lb_plan *p = r->plan;
    long i;
    uint32_t j;

    r->n_users = p->tx_users > 0 ? p->tx_users : p->wallet_users;
    r->users = lb_xcalloc((size_t)r->n_users, sizeof(*r->users));
    for (i = 0; i < r->n_users; i++) {
        struct user *u = &r->users[i];
        (void)snprintf(u->name, sizeof(u->name), "wallet-user-%ld", i);
        if (lb_mantle_key_init(&u->key, r->seed, u->name, err) != 0)
            return LB_EINVAL;
        lb_record_track_pk(r->rec, u->key.pk_hex);
        for (j = 0; j < (uint32_t)wallets[i].notes; j++) {
            struct note n;
            lb_mantle_genesis_note_id(r->seed, u->name, j, n.id);
            n.value = lb_mantle_genesis_note_value(
                (uint64_t)wallets[i].funds, (uint32_t)wallets[i].notes, j);
            if (lb_vec_push(&u->notes, n) != 0)
                LB_BUG("out of memory");
        }
    }
    return 0;
}

/* ---- faults (node control) ---- */

static void init_timer(struct run *r, uv_timer_t *t);

#define CHAOS_COOLDOWN_MS 60000

static void
on_control_done(void *data, struct lb_deployment *d, const struct lb_error *err)
{
    struct fault_run *f = data;
    struct run *r = f->r;
    (void)d;
    if (r->closing || !err)
        return;
    lb_log_warn("run %s: node control failed: %s", r->rec->run_id, err->msg);
    lb_record_fault(r->rec, now_ms(r), "error", f->target, err->msg);
}

static void control(struct fault_run *f,
                    long node,
                    enum lb_node_action action,
                    const char *detail)
{
    struct run *r = f->r;
    struct lb_error e;
    lb_error_init(&e);
    f->target = node;
    lb_record_fault(
        r->rec, now_ms(r), lb_node_action_name(action), node, detail);
    if (r->ops->control(r->dep, (size_t)node, action, on_control_done, f, &e) !=
        0) {
        lb_log_warn("run %s: %s", r->rec->run_id, e.msg);
        lb_record_fault(r->rec, now_ms(r), "error", node, e.msg);
    }
}

static bool
chaos_eligible(struct run *r, const struct lb_fault_spec *spec, size_t i)
{
    bool exec = (long)i >= r->plan->validators;
    if (exec)
        return spec->executors;
    /* restarting the only validator halts consensus */
    return spec->validators && r->plan->validators > 1;
}

static uint64_t chaos_delay(struct run *r, const struct lb_fault_spec *spec)
{
    double lo = spec->min_s, hi = spec->max_s;
    double u = (double)(rnd(r) % 1000000) / 1000000.0;
    return (uint64_t)((lo + (hi - lo) * u) * 1000.0);
}

static void on_fault_timer(uv_timer_t *t)
{
    struct fault_run *f =
        (struct fault_run *)((char *)t - offsetof(struct fault_run, timer));
    struct run *r = f->r;
    const struct lb_fault_spec *spec = f->spec;
    char detail[96];

    if (r->closing)
        return;
    switch (spec->kind) {
    case LB_FAULT_ISOLATE:
    case LB_FAULT_PAUSE:
        if (f->stage == 0) {
            (void)snprintf(
                detail, sizeof(detail), "for %.0f s", spec->length_s);
            control(f,
                    spec->node,
                    spec->kind == LB_FAULT_ISOLATE ? LB_NODE_ISOLATE
                                                   : LB_NODE_PAUSE,
                    detail);
            f->stage = 1;
            uv_timer_start(
                t, on_fault_timer, (uint64_t)(spec->length_s * 1000.0), 0);
        } else if (f->stage == 1) {
            control(f,
                    spec->node,
                    spec->kind == LB_FAULT_ISOLATE ? LB_NODE_HEAL
                                                   : LB_NODE_RESUME,
                    "");
            f->stage = 2;
        }
        break;
    case LB_FAULT_STOP:
        if (f->stage == 0)
            control(f, spec->node, LB_NODE_STOP, "for the whole run");
        f->stage = 2;
        break;
    case LB_FAULT_CHAOS: {
        /* uniformly among the targets not cooling down (decision: the
         * reference waits until no target at all is cooling down) */
        long cand[LB_MAX_PEERS * 16];
        size_t n = 0, i;
        uint64_t now = uv_now(&r->loop);
        for (i = 0; i < r->n && n < sizeof(cand) / sizeof(cand[0]); i++)
            if (chaos_eligible(r, spec, i) && r->chaos_cooldown[i] <= now)
                cand[n++] = (long)i;
        if (n > 0) {
            long node = cand[rnd(r) % n];
            r->chaos_cooldown[node] = now + CHAOS_COOLDOWN_MS;
            control(f, node, LB_NODE_RESTART, "chaos");
        }
        uv_timer_start(t, on_fault_timer, chaos_delay(r, spec), 0);
        break;
    }
    }
}

/* Checks and schedules the plan's faults; a workload failure text or 0. */
static int start_faults(struct run *r, struct lb_error *err)
{
    size_t i, j;
    if (r->plan->faults.len == 0)
        return 0;
    if (!r->ops->control)
        return lb_error_set(err,
                            LB_EINVAL,
                            "%s requires node control, which the %s "
                            "deployer does not offer",
                            r->plan->faults.items[0].kind == LB_FAULT_CHAOS
                                ? "chaos restart workload"
                                : "a node fault",
                            r->ops->name);
    r->n_faults = r->plan->faults.len;
    r->faults = lb_xcalloc(r->n_faults, sizeof(*r->faults));
    r->chaos_cooldown = lb_xcalloc(r->n, sizeof(*r->chaos_cooldown));
    for (i = 0; i < r->n_faults; i++) {
        struct fault_run *f = &r->faults[i];
        const struct lb_fault_spec *spec = &r->plan->faults.items[i];
        f->r = r;
        f->spec = spec;
        f->target = spec->node;
        init_timer(r, &f->timer);
        if (spec->kind == LB_FAULT_CHAOS) {
            size_t n = 0;
            for (j = 0; j < r->n; j++)
                n += chaos_eligible(r, spec, j);
            if (n == 0)
                return lb_error_set(err,
                                    LB_EINVAL,
                                    "chaos restart workload has no eligible "
                                    "targets");
            uv_timer_start(&f->timer, on_fault_timer, chaos_delay(r, spec), 0);
        } else {
            uv_timer_start(
                &f->timer, on_fault_timer, (uint64_t)(spec->at_s * 1000.0), 0);
        }
    }
    return 0;
}

/* ---- progress ---- */

static void on_progress(uv_timer_t *t)
{
    struct run *r =
        (struct run *)((char *)t - offsetof(struct run, progress_timer));
    struct lb_buf line = LB_BUF_INIT;
    size_t i, included = 0;
    if (!r->opts->progress)
        return;
    for (i = 0; i < r->rec->txs.len; i++)
        if (r->rec->txs.items[i].block[0])
            included++;
    lb_buf_addf(&line,
                "logos-bdd: run %s %s %.1f/%.1f s | heights",
                r->rec->run_id,
                r->rec->phases.len
                    ? r->rec->phases.items[r->rec->phases.len - 1].name
                    : "",
                (double)now_ms(r) / 1000.0,
                r->drive_end_s);
    for (i = 0; i < r->n && i < 16; i++)
        lb_buf_addf(&line,
                    " %llu",
                    (unsigned long long)r->rec->nodes.items[i].last_height);
    if (r->n > 16)
        lb_buf_addf(&line, " ... (%zu nodes)", r->n);
    if (r->rec->tx_planned)
        lb_buf_addf(&line,
                    " | tx %zu/%llu included",
                    included,
                    (unsigned long long)r->rec->tx_planned);
    if (r->progress_tty) {
        (void)fprintf(r->opts->progress, "\r\033[K%s", line.ptr);
        r->progress_drawn = true;
    } else {
        (void)fprintf(r->opts->progress, "%s\n", line.ptr);
    }
    (void)fflush(r->opts->progress);
    lb_buf_release(&line);
}

/* ---- interruption ---- */

static void on_interrupt_timer(uv_timer_t *t)
{
    struct run *r =
        (struct run *)((char *)t - offsetof(struct run, interrupt_timer));
    if (r->opts->interrupted && r->opts->interrupted())
        r->stop = true;
}

/* ---- phases ---- */

static void build_spec(struct run *r,
                       struct lb_cluster_spec *spec,
                       struct lb_cluster_node *nodes,
                       struct lb_wallet_spec *wallets)
{
    const struct lb_plan *p = r->plan;
    size_t i;

    memset(spec, 0, sizeof(*spec));
    copy_str(spec->run_id, sizeof(spec->run_id), r->rec->run_id);
    copy_str(spec->genesis_seed, sizeof(spec->genesis_seed), r->seed);
    spec->start_time_ms = lb_time_wall_ns() / 1000000;
    spec->slot_s = r->m.slot_s;
    spec->active_slot_coeff = r->m.f;
    spec->security_param = r->m.k;
    spec->n_nodes = r->n;
    spec->nodes = nodes;
    spec->da_subnets = p->executors > 0 ? 2 : 0;
    spec->timeout_scale = lb_timeout_scale();
    spec->stop = &r->stop;
    spec->http = &r->http;
    for (i = 0; i < r->n; i++) {
        struct lb_cluster_node *cn = &nodes[i];
        bool exec = (long)i >= p->validators;
        cn->role = exec ? LB_ROLE_EXECUTOR : LB_ROLE_VALIDATOR;
        cn->role_index = exec ? (long)i - p->validators : (long)i;
        (void)snprintf(cn->name,
                       sizeof(cn->name),
                       "%s-%ld",
                       exec ? "executor" : "validator",
                       cn->role_index);
        cn->n_peers =
            lb_layout_peers(p->layout, (long)i, cn->peers, LB_MAX_PEERS);
    }
    if (p->wallets_set) {
        long used = p->tx_enabled
                        ? (p->tx_users > 0 ? p->tx_users : p->wallet_users)
                        : 0;
        uint64_t per_user =
            used > 0
                ? (r->rec->tx_planned + (uint64_t)used - 1) / (uint64_t)used
                : 0;
        for (i = 0; i < (size_t)p->wallet_users; i++) {
            long long funds =
                lb_wallet_user_funds(p->wallet_funds, p->wallet_users, (long)i);
            long long notes = (long)i < used ? (long long)per_user + 1 : 1;
            /* (decision) enough notes to sustain the rate for the run */
            if (notes > funds)
                notes = funds;
            if (notes > MAX_NOTES)
                notes = MAX_NOTES;
            (void)snprintf(
                wallets[i].name, sizeof(wallets[i].name), "wallet-user-%zu", i);
            wallets[i].funds = funds;
            wallets[i].notes = (long)notes;
        }
        spec->wallets = wallets;
        spec->n_wallets = (size_t)p->wallet_users;
    }
}

/* 60 s, or LB_READINESS_TIMEOUT_S (tests of the timeout path) */
static double ready_timeout_s(void)
{
    double v;
    const char *env = getenv("LB_READINESS_TIMEOUT_S");
    if (env && lb_parse_seconds(env, &v) == 0)
        return v;
    return READY_TIMEOUT_S;
}

struct probe {
    struct run *r;
    size_t node;
    bool in_flight;
    bool ok;
    char obs[300];
};

static void
on_network_probe(void *data, json_t *resp, const struct lb_error *err)
{
    struct probe *p = data;
    long want, peers;
    p->in_flight = false;
    if (p->r->closing)
        return;
    want = lb_layout_expected_peers(
        p->r->plan->layout, (long)p->r->n, (long)p->node);
    if (err) {
        copy_str(p->obs, sizeof(p->obs), err->msg);
        return;
    }
    peers = lb_node_parse_peers(resp, NULL);
    (void)snprintf(
        p->obs, sizeof(p->obs), "%ld peers (expected %ld)", peers, want);
    p->ok = peers >= want;
}

static void
on_membership_probe(void *data, json_t *resp, const struct lb_error *err)
{
    struct probe *p = data;
    json_t *a;
    p->in_flight = false;
    if (p->r->closing)
        return;
    if (err) {
        copy_str(p->obs, sizeof(p->obs), err->msg);
        return;
    }
    a = json_object_get(resp, "assignations");
    p->ok = json_is_object(a) && json_object_size(a) > 0;
    (void)snprintf(p->obs,
                   sizeof(p->obs),
                   "%zu assignations for session 0",
                   json_object_size(a));
}

static void
on_balancer_probe(void *data, json_t *resp, const struct lb_error *err)
{
    struct probe *p = data;
    (void)resp;
    p->in_flight = false;
    if (p->r->closing)
        return;
    if (err)
        copy_str(p->obs, sizeof(p->obs), err->msg);
    else
        (void)snprintf(p->obs, sizeof(p->obs), "balancer stats available");
    p->ok = err == NULL;
}

/*
 * Polls every node until `cb` says ok; on timeout the message lists every
 * node's last observation.
 */
static int readiness_check(struct run *r,
                           const char *what,
                           enum lb_node_listener listener,
                           const char *method,
                           const char *path,
                           json_t *body,
                           lb_node_cb cb,
                           uint64_t poll_ms,
                           struct lb_error *err)
{
    struct probe *probes = lb_xcalloc(r->n, sizeof(*probes));
    uint64_t deadline =
        uv_now(&r->loop) +
        (uint64_t)(ready_timeout_s() * lb_timeout_scale() * 1000.0);
    size_t i, ok;
    int rc = 0;

    for (i = 0; i < r->n; i++) {
        probes[i].r = r;
        probes[i].node = i;
        (void)snprintf(probes[i].obs, sizeof(probes[i].obs), "no answer yet");
    }
    for (;;) {
        ok = 0;
        for (i = 0; i < r->n; i++) {
            struct lb_error e;
            if (probes[i].ok) {
                ok++;
                continue;
            }
            if (probes[i].in_flight)
                continue;
            lb_error_init(&e);
            probes[i].in_flight = lb_node_call(&r->clients[i],
                                               listener,
                                               method,
                                               path,
                                               body,
                                               cb,
                                               &probes[i],
                                               &e) != NULL;
            if (!probes[i].in_flight)
                copy_str(probes[i].obs, sizeof(probes[i].obs), e.msg);
        }
        if (ok == r->n)
            break;
        if (uv_now(&r->loop) >= deadline) {
            struct lb_buf msg = LB_BUF_INIT;
            bool first = true;
            lb_buf_addf(&msg, "timed out waiting for %s readiness: ", what);
            for (i = 0; i < r->n; i++) {
                if (probes[i].ok)
                    continue;
                lb_buf_addf(&msg,
                            "%s%s: %s",
                            first ? "" : ", ",
                            r->dep->nodes[i].label,
                            probes[i].obs);
                first = false;
            }
            lb_error_set(err, LB_ETIMEOUT, "%s", msg.ptr);
            lb_buf_release(&msg);
            rc = LB_ETIMEOUT;
            break;
        }
        if (lb_loop_sleep(&r->loop, poll_ms, &r->stop) == LB_EINTR) {
            rc = lb_error_set(err, LB_EINTR, "interrupted");
            break;
        }
    }
    /* probes still in flight point into `probes`: let them land first */
    for (;;) {
        bool any = false;
        for (i = 0; i < r->n; i++)
            any = any || probes[i].in_flight;
        if (!any)
            break;
        uv_run(&r->loop, UV_RUN_ONCE);
    }
    lb_free(probes);
    return rc;
}

static int readiness(struct run *r, struct lb_error *err)
{
    int rc;
    json_t *zero;
    rc = readiness_check(r,
                         "network",
                         LB_NODE_API,
                         "GET",
                         "/network/info",
                         NULL,
                         on_network_probe,
                         200,
                         err);
    if (rc || r->plan->executors == 0)
        return rc;
    zero = json_integer(0);
    rc = readiness_check(r,
                         "membership",
                         LB_NODE_TESTING,
                         "POST",
                         "/test/da/membership",
                         zero,
                         on_membership_probe,
                         200,
                         err);
    json_decref(zero);
    if (rc)
        return rc;
    return readiness_check(r,
                           "da balancer",
                           LB_NODE_API,
                           "GET",
                           "/da/balancer-stats",
                           NULL,
                           on_balancer_probe,
                           1000,
                           err);
}

static void start_timer(struct run *r,
                        uv_timer_t *t,
                        uv_timer_cb cb,
                        uint64_t first,
                        uint64_t repeat)
{
    uv_timer_start(t, cb, first, repeat);
}

static uint64_t clamp_ms(double s, uint64_t lo, uint64_t hi)
{
    uint64_t ms = (uint64_t)(s * 1000.0);
    return ms < lo ? lo : ms > hi ? hi : ms;
}

struct final_probe {
    struct run *r;
    size_t node;
    bool in_flight;
};

static void on_final_info(void *data, json_t *resp, const struct lb_error *err)
{
    struct final_probe *p = data;
    struct lb_rec_node *rn = &p->r->rec->nodes.items[p->node];
    struct lb_chain_info info;
    struct lb_error e;

    p->in_flight = false;
    if (p->r->closing)
        return;
    lb_error_init(&e);
    if (err) {
        copy_str(rn->final_error, sizeof(rn->final_error), err->msg);
        return;
    }
    if (lb_node_parse_info(resp, &info, &e) != 0) {
        lb_error_prefix(&e, "node '%s'", rn->name);
        copy_str(rn->final_error, sizeof(rn->final_error), e.msg);
        return;
    }
    rn->final_ok = true;
    rn->final_height = info.height;
    rn->final_slot = info.slot;
    rn->last_height = info.height;
    memcpy(rn->final_tip, info.tip, LB_ID_HEX);
    rn->final_error[0] = '\0';
}

/*
 * Final state of every node, all nodes at once, each retried up to 15
 * times (FRAMEWORK.md §7; the wait between tries scales with the slot).
 */
static void final_state(struct run *r)
{
    uint64_t wait = clamp_ms(2 * r->m.slot_s, 100, 2000);
    struct final_probe *probes = lb_xcalloc(r->n, sizeof(*probes));
    int attempt;
    size_t i;

    for (attempt = 0; attempt < 15 && !r->stop; attempt++) {
        bool pending = false, any_in_flight;
        for (i = 0; i < r->n; i++) {
            struct lb_rec_node *rn = &r->rec->nodes.items[i];
            struct lb_error e;
            if (rn->final_ok)
                continue;
            /* a node that is gone will not come back: do not wait on it */
            if (attempt > 0 && r->ops->node_exited &&
                r->ops->node_exited(r->dep, i, NULL, NULL, NULL))
                continue;
            probes[i].r = r;
            probes[i].node = i;
            lb_error_init(&e);
            probes[i].in_flight = lb_node_call(&r->clients[i],
                                               LB_NODE_API,
                                               "GET",
                                               "/cryptarchia/info",
                                               NULL,
                                               on_final_info,
                                               &probes[i],
                                               &e) != NULL;
            if (!probes[i].in_flight)
                copy_str(rn->final_error, sizeof(rn->final_error), e.msg);
            pending = true;
        }
        if (!pending)
            break;
        do {
            any_in_flight = false;
            for (i = 0; i < r->n; i++)
                any_in_flight = any_in_flight || probes[i].in_flight;
            if (any_in_flight)
                uv_run(&r->loop, UV_RUN_ONCE);
        } while (any_in_flight);
        pending = false;
        for (i = 0; i < r->n; i++)
            pending = pending || !r->rec->nodes.items[i].final_ok;
        if (!pending)
            break;
        lb_loop_sleep(&r->loop, wait, &r->stop);
    }
    lb_free(probes);
    /* make sure every node's chain is in the record (agreement checks) */
    for (i = 0; i < r->n && !r->stop; i++) {
        struct lb_rec_node *rn = &r->rec->nodes.items[i];
        struct lb_error e;
        if (!rn->final_ok || lb_record_find_block(r->rec, rn->final_tip) >= 0)
            continue;
        lb_error_init(&e);
        /* the feed's head stays the feed node's view */
        r->feed_keep_head = true;
        if (feed_sync_pass(r, (long)i, &e) != 0)
            lb_log_info("run %s: cannot read the chain of %s: %s",
                        r->rec->run_id,
                        rn->name,
                        e.msg);
        r->feed_keep_head = false;
    }
    r->feed_node = 0;
}

static void record_exits(struct run *r)
{
    size_t i;
    if (!r->ops->node_exited)
        return;
    for (i = 0; i < r->n; i++) {
        struct lb_rec_node *rn = &r->rec->nodes.items[i];
        int status = 0, sig = 0;
        bool expected = false;
        if (r->ops->node_exited(r->dep, i, &status, &sig, &expected)) {
            rn->exited = true;
            rn->exit_status = status;
            rn->term_signal = sig;
            rn->exit_expected = expected;
        }
    }
}

static void evaluate(struct run *r)
{
    struct lb_buf failures = LB_BUF_INIT;
    struct lb_buf msg = LB_BUF_INIT;
    const struct lb_plan *p = r->plan;
    int n_failed = 0;

    if (p->expect_liveness && !lb_expect_liveness(r->rec,
                                                  p->liveness_kind,
                                                  p->lag_allowance,
                                                  p->liveness_tolerance,
                                                  p->liveness_minimum,
                                                  &msg))
    {
        lb_buf_addf(&failures, "\nconsensus_liveness: %s", msg.ptr);
        n_failed++;
    }
    lb_buf_reset(&msg);
    if (p->tx_enabled) {
        double ratio = p->tx_inclusion_ratio > 0 ? p->tx_inclusion_ratio : 0.5;
        /* short: poll every second for up to min(k·h, 60 s) more */
        uint64_t until =
            uv_now(&r->loop) +
            clamp_ms(
                fmin((double)r->m.k * r->m.block_interval_s, 60.0), 0, 60000);
        while (!lb_expect_tx_inclusion(r->rec, ratio, &msg) && !r->stop &&
               uv_now(&r->loop) < until)
        {
            struct lb_error e;
            lb_buf_reset(&msg);
            lb_loop_sleep(&r->loop, 1000, &r->stop);
            lb_error_init(&e);
            feed_sync_pass(r, 0, &e);
        }
        if (msg.len) {
            lb_buf_addf(&failures, "\ntx_inclusion_expectation: %s", msg.ptr);
            n_failed++;
        }
    }
    if (n_failed) {
        struct lb_buf text = LB_BUF_INIT;
        lb_buf_addf(&text, "expectations failed:%s", failures.ptr);
        lb_record_fail(r->rec, text.ptr);
        lb_buf_release(&text);
    }
    lb_buf_release(&failures);
    lb_buf_release(&msg);
}

static void timer_closed(uv_handle_t *h)
{
    struct run *r = h->data;
    r->timers_open--;
}

static void init_timer(struct run *r, uv_timer_t *t)
{
    uv_timer_init(&r->loop, t);
    t->data = r;
    r->timers_open++;
}

static void close_timer(uv_timer_t *t)
{
    if (!uv_is_closing((uv_handle_t *)t))
        uv_close((uv_handle_t *)t, timer_closed);
}

static void release_run_memory(struct run *r);

static void teardown(struct run *r)
{
    size_t i;
    bool keep;

    r->closing = true;
    uv_timer_stop(&r->feed_timer);
    uv_timer_stop(&r->sample_timer);
    uv_timer_stop(&r->tx_timer);
    uv_timer_stop(&r->retry_timer);
    uv_timer_stop(&r->progress_timer);
    if (r->progress_drawn && r->opts->progress) {
        (void)fputc('\n', r->opts->progress);
        (void)fflush(r->opts->progress);
    }
    for (i = 0; i < r->n_faults; i++)
        uv_timer_stop(&r->faults[i].timer);
    /* abort HTTP calls first: some (isolation) point into the deployment */
    if (r->http_ready)
        lb_http_close(&r->http, NULL);
    if (r->dep) {
        record_exits(r);
        keep = lb_keep_logs_env() || r->rec->failure != NULL;
        r->rec->kept = keep;
        phase_begin(r, "cleanup");
        r->ops->cleanup(r->dep, keep);
        r->dep = NULL;
        /* cleanup stopped whatever was still running */
        for (i = 0; i < r->rec->nodes.len; i++) {
            struct lb_rec_node *rn = &r->rec->nodes.items[i];
            if (!rn->exited) {
                rn->exited = true;
                rn->exit_expected = true;
            }
        }
        phase_end(r);
    }
    for (i = 0; i < r->retries.len; i++)
        submission_free(r->retries.items[i]);
    lb_vec_release(&r->retries);
    for (i = 0; i < r->n_faults; i++)
        close_timer(&r->faults[i].timer);
    close_timer(&r->interrupt_timer);
    close_timer(&r->feed_timer);
    close_timer(&r->sample_timer);
    close_timer(&r->tx_timer);
    close_timer(&r->retry_timer);
    close_timer(&r->progress_timer);
    uv_run(&r->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&r->loop) != 0) {
        lb_log_warn("run %s: handles left open at teardown", r->rec->run_id);
        lb_loop_teardown(&r->loop);
    }
    release_run_memory(r);
}

/* What the run allocated for itself, once the loop is closed. */
static void release_run_memory(struct run *r)
{
    size_t i;

    feed_pass_done(r);
    lb_vec_release(&r->feed_chain);
    for (i = 0; i < (size_t)r->n_users && r->users; i++) {
        lb_mantle_key_release(&r->users[i].key);
        lb_vec_release(&r->users[i].notes);
    }
    lb_free(r->users);
    lb_vec_release(&r->tx_values);
    lb_vec_release(&r->tx_users);
    lb_free(r->clients);
    lb_free(r->sampling);
    lb_free(r->faults);
    lb_free(r->chaos_cooldown);
}

static void make_run_id(char *out, size_t size)
{
    static unsigned counter;
    uint64_t t = (uint64_t)lb_time_wall_ns();
    (void)snprintf(out,
                   size,
                   "%06llx%04x%02x",
                   (unsigned long long)((t / 1000000) & 0xffffff),
                   (unsigned)getpid() & 0xffff,
                   counter++ & 0xff);
}

static int deploy_phase(struct run *r)
{
    struct lb_cluster_spec spec;
    struct lb_cluster_node *nodes = lb_xcalloc(r->n, sizeof(*nodes));
    struct lb_wallet_spec *wallets = lb_xcalloc(
        r->plan->wallet_users > 0 ? (size_t)r->plan->wallet_users : 1,
        sizeof(*wallets));
    struct lb_error e;
    size_t i;
    int rc;

    lb_error_init(&e);
    build_spec(r, &spec, nodes, wallets);
    if (r->plan->tx_enabled && setup_users(r, wallets, &e) != 0) {
        struct lb_buf t = LB_BUF_INIT;
        lb_buf_addf(&t, "workload failure: %s", e.msg);
        lb_record_fail(r->rec, t.ptr);
        lb_buf_release(&t);
        rc = LB_EFAILED;
        goto out;
    }
    phase_begin(r, "deploy");
    rc = r->ops->deploy(&spec, &r->loop, &r->dep, &e);
    phase_end(r);
    if (rc != 0) {
        struct lb_buf t = LB_BUF_INIT;
        if (rc == LB_EINTR)
            goto out;
        /* compose/k8s stand-ins already say "<name> deploy failed" */
        if (strstr(e.msg, "deploy failed:"))
            lb_buf_adds(&t, e.msg);
        else
            lb_buf_addf(&t, "%s deploy failed: %s", r->ops->name, e.msg);
        lb_record_fail(r->rec, t.ptr);
        lb_buf_release(&t);
        goto out;
    }
    copy_str(r->rec->work_dir, sizeof(r->rec->work_dir), r->dep->work_dir);
    r->clients = lb_xcalloc(r->n, sizeof(*r->clients));
    r->sampling = lb_xcalloc(r->n, sizeof(*r->sampling));
    for (i = 0; i < r->n; i++) {
        const struct lb_deployed_node *dn = &r->dep->nodes[i];
        struct lb_node_client *c = &r->clients[i];
        struct lb_rec_node *rn = &r->rec->nodes.items[i];
        copy_str(c->name, sizeof(c->name), dn->name);
        copy_str(c->api_url, sizeof(c->api_url), dn->api_url);
        copy_str(c->testing_url, sizeof(c->testing_url), dn->testing_url);
        c->log_path = rn->log_path;
        c->http = &r->http;
        c->timeout_ms = 5000;
        c->stop = &r->stop;
        copy_str(rn->api_url, sizeof(rn->api_url), dn->api_url);
        copy_str(rn->log_path, sizeof(rn->log_path), dn->log_path);
    }
out:
    lb_free(nodes);
    lb_free(wallets);
    return rc;
}

static void
fail_with(struct run *r, const char *prefix, const struct lb_error *e)
{
    struct lb_buf t = LB_BUF_INIT;
    lb_buf_addf(&t, "%s%s", prefix, e->msg);
    lb_record_fail(r->rec, t.ptr);
    lb_buf_release(&t);
}

/* The record's node list and genesis, known before deploy. */
static void seed_record(struct run *r)
{
    struct lb_rec_block genesis = {0};
    size_t i;

    for (i = 0; i < r->n; i++) {
        struct lb_rec_node rn = {0};
        bool exec = (long)i >= r->plan->validators;
        rn.role = exec ? LB_ROLE_EXECUTOR : LB_ROLE_VALIDATOR;
        rn.role_index = exec ? (long)i - r->plan->validators : (long)i;
        (void)snprintf(rn.name,
                       sizeof(rn.name),
                       "%s-%ld",
                       exec ? "executor" : "validator",
                       rn.role_index);
        if (lb_vec_push(&r->rec->nodes, rn) != 0)
            LB_BUG("out of memory");
    }
    lb_mantle_genesis_id(r->seed, genesis.id);
    memcpy(genesis.parent, GENESIS_PARENT, LB_ID_HEX);
    lb_record_add_block(r->rec, &genesis, NULL, 0);
    memcpy(r->rec->genesis, genesis.id, LB_ID_HEX);
}

/* Readiness, then the block feed's first catch-up; -1 = stop the run. */
static int ready_and_capture(struct run *r)
{
    struct lb_error e;

    lb_error_init(&e);
    if (!r->plan->readiness_off) {
        phase_begin(r, "readiness");
        if (readiness(r, &e) != 0) {
            phase_end(r);
            if (e.code != LB_EINTR)
                fail_with(r, "readiness probe failed: ", &e);
            return -1;
        }
        phase_end(r);
    }

    /* capture: the feed's first catch-up must succeed */
    phase_begin(r, "capture");
    lb_error_init(&e);
    if (feed_sync_pass(r, 0, &e) != 0) {
        phase_end(r);
        if (e.code != LB_EINTR) {
            struct lb_buf t = LB_BUF_INIT;
            lb_buf_addf(
                &t, "%s deploy failed: block feed: %s", r->ops->name, e.msg);
            lb_record_fail(r->rec, t.ptr);
            lb_buf_release(&t);
        }
        return -1;
    }
    phase_end(r);
    return 0;
}

/* The drive phase: timers for feed, sampling, progress, traffic, faults. */
static int drive(struct run *r)
{
    struct lb_error e;
    uint64_t feed_ms, sample_ms;

    phase_begin(r, "drive");
    r->drive_end_s = (double)now_ms(r) / 1000.0 + r->m.duration_s +
                     r->m.cooldown_s + r->m.settle_s;
    feed_ms = clamp_ms(r->m.slot_s, 50, 1000);
    sample_ms = clamp_ms(2 * r->m.slot_s, 250, 1000);
    start_timer(r, &r->feed_timer, on_feed_timer, feed_ms, feed_ms);
    start_timer(r, &r->sample_timer, on_sample_timer, 0, sample_ms);
    if (r->opts->progress)
        start_timer(r,
                    &r->progress_timer,
                    on_progress,
                    1000,
                    r->progress_tty ? 1000 : 5000);
    if (r->plan->tx_enabled && r->rec->tx_planned > 0) {
        uint64_t every =
            (uint64_t)(r->m.duration_s * 1000.0 / (double)r->rec->tx_planned);
        start_timer(r, &r->tx_timer, on_tx_timer, 0, every ? every : 1);
        start_timer(r, &r->retry_timer, on_retry_timer, 100, 100);
    }
    lb_error_init(&e);
    if (start_faults(r, &e) != 0) {
        phase_end(r);
        fail_with(r, "workload failure: ", &e);
        return -1;
    }
    /* (decision) the duration is always honoured */
    lb_loop_sleep(&r->loop, (uint64_t)(r->m.duration_s * 1000.0), &r->stop);
    phase_end(r);
    return r->stop ? -1 : 0;
}

static int lifecycle(struct run *r, struct lb_error *err)
{
    struct lb_error e;
    size_t i;

    seed_record(r);
    if (deploy_phase(r) != 0 || r->stop || ready_and_capture(r) != 0 ||
        drive(r) != 0)
        goto stopped;

    phase_begin(r, "cooldown");
    lb_loop_sleep(&r->loop, (uint64_t)(r->m.cooldown_s * 1000.0), &r->stop);
    uv_timer_stop(&r->tx_timer);
    for (i = 0; i < r->n_faults; i++)
        if (r->faults[i].spec->kind == LB_FAULT_CHAOS)
            uv_timer_stop(&r->faults[i].timer);
    phase_end(r);
    if (r->stop)
        goto stopped;

    phase_begin(r, "settle");
    lb_loop_sleep(&r->loop, (uint64_t)(r->m.settle_s * 1000.0), &r->stop);
    phase_end(r);
    if (r->stop)
        goto stopped;

    phase_begin(r, "evaluate");
    uv_timer_stop(&r->feed_timer);
    uv_timer_stop(&r->sample_timer);
    uv_timer_stop(&r->progress_timer);
    lb_error_init(&e);
    feed_sync_pass(r, 0, &e); /* the head as of now */
    final_state(r);
    record_exits(r);
    if (!r->stop)
        evaluate(r);
    phase_end(r);
stopped:
    if (r->stop)
        return lb_error_set(err,
                            LB_EINTR,
                            "interrupted: the scenario's nodes were stopped "
                            "and its work dir removed");
    return 0;
}

int lb_scenario_run(const struct lb_plan *plan,
                    const struct lb_scenario_options *opts,
                    struct lb_run_record *rec,
                    struct lb_error *err)
{
    static const struct lb_scenario_options no_opts = {0};
    struct run *r;
    const char *deployer;
    int rc;

    r = lb_xcalloc(1, sizeof(*r));
    r->plan = plan;
    r->opts = opts ? opts : &no_opts;
    r->rec = rec;
    if (lb_plan_validate(plan, &r->m, err) != 0) {
        lb_free(r);
        return LB_EINVAL;
    }
    deployer = r->opts->deployer ? r->opts->deployer : plan->deployer;
    r->ops = lb_deployer_find(deployer);
    if (!r->ops) {
        lb_free(r);
        return lb_error_set(err,
                            LB_EINVAL,
                            "deployer \"%s\" is unknown (known: local, host, "
                            "compose, docker, k8s)",
                            deployer);
    }
    r->n = (size_t)(plan->validators + plan->executors);
    rec->metrics = r->m;
    copy_str(rec->deployer, sizeof(rec->deployer), r->ops->name);
    make_run_id(rec->run_id, sizeof(rec->run_id));
    (void)snprintf(r->seed, sizeof(r->seed), "lb-run-%.32s", rec->run_id);
    rec->start_wall_ms = lb_time_wall_ns() / 1000000;
    rec->tx_planned =
        plan->tx_enabled ? lb_tx_planned(&r->m, plan->tx_rate) : 0;
    r->rng = (uint64_t)lb_time_wall_ns() | 1;
    r->progress_tty = r->opts->progress && isatty(fileno(r->opts->progress));

    if (uv_loop_init(&r->loop) != 0) {
        lb_free(r);
        return lb_error_set(err, LB_ESTATE, "uv_loop_init failed");
    }
    r->t0 = uv_now(&r->loop);
    init_timer(r, &r->interrupt_timer);
    init_timer(r, &r->feed_timer);
    init_timer(r, &r->sample_timer);
    init_timer(r, &r->tx_timer);
    init_timer(r, &r->retry_timer);
    init_timer(r, &r->progress_timer);
    uv_timer_start(&r->interrupt_timer, on_interrupt_timer, 50, 50);
    uv_unref((uv_handle_t *)&r->interrupt_timer);
    if (lb_http_init(&r->http, &r->loop, err) != 0) {
        rc = LB_EHTTP;
    } else {
        r->http_ready = true;
        rc = lifecycle(r, err);
    }
    teardown(r);
    lb_free(r);
    return rc;
}
