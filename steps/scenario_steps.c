/*
 * The blockchain step vocabulary (FRAMEWORK.md §11): Given steps fill the
 * scenario plan kept in the world, `When run scenario` runs it on the chosen
 * deployer, Then steps judge the outcome and the run record. The reference
 * framework's phrases are accepted exactly as written, so its feature files
 * run unchanged.
 */
#include <logos_bdd/step.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "runners/deployer.h"
#include "scenario/expect.h"
#include "scenario/plan.h"
#include "scenario/record.h"
#include "scenario/run.h"

#define WORLD_KEY "logos-bdd/scenario"

struct world {
    struct lb_plan plan;
    bool ran;
    struct lb_run_record rec;
};

static void world_free(void *p)
{
    struct world *w = p;
    lb_plan_release(&w->plan);
    lb_record_release(&w->rec);
    lb_free(w);
}

static struct world *world(struct lb_step *s)
{
    struct world *w = lb_world_get(s, WORLD_KEY);
    if (!w) {
        w = lb_xcalloc(1, sizeof(*w));
        lb_plan_init(&w->plan);
        lb_record_init(&w->rec);
        lb_world_set(s, WORLD_KEY, w, world_free);
    }
    return w;
}

/* ---- deployer ---- */

static int set_deployer(struct lb_step *s, const char *name, const char *from)
{
    struct world *w = world(s);
    if (!lb_deployer_known(name))
        return lb_step_fail(s,
                            "deployer \"%s\"%s is unknown: use \"local\" (or "
                            "\"host\"), \"compose\" (or \"docker\") or \"k8s\"",
                            name,
                            from);
    (void)snprintf(w->plan.deployer,
                   sizeof(w->plan.deployer),
                   "%s",
                   lb_deployer_find(name)->name);
    return 0;
}

static int step_deployer_is(struct lb_step *s)
{
    return set_deployer(s, lb_step_arg_str(s, 0), "");
}
LB_STEP("deployer is {string}", step_deployer_is);

static int step_cli_deployer(struct lb_step *s)
{
    const char *opt = lb_run_option("deployer");
    const char *env = getenv("LOGOS_BDD_DEPLOYER");
    if (opt && *opt)
        return set_deployer(s, opt, " (from --deployer)");
    if (env && *env)
        return set_deployer(s, env, " (from LOGOS_BDD_DEPLOYER)");
    return set_deployer(s, "local", "");
}
LB_STEP("we have a CLI deployer specified", step_cli_deployer);

/* ---- topology ---- */

static int set_topology(struct lb_step *s, long long v, long long e)
{
    struct world *w = world(s);
    if (v < 0 || e < 0 || v + e <= 0)
        return lb_step_fail(s,
                            "topology has %lld validators and %lld executors: "
                            "topology must include at least one node",
                            v,
                            e);
    if (v + e > 1000)
        return lb_step_fail(s,
                            "topology has %lld nodes: at most 1000 are "
                            "supported",
                            v + e);
    w->plan.validators = (long)v;
    w->plan.executors = (long)e;
    w->plan.topology_set = true;
    return 0;
}

static int step_topology_ve(struct lb_step *s)
{
    return set_topology(s, lb_step_arg_int(s, 0), lb_step_arg_int(s, 1));
}
LB_STEP("topology has {int} validators and {int} executors", step_topology_ve);

static int step_topology_v(struct lb_step *s)
{
    return set_topology(s, lb_step_arg_int(s, 0), 0);
}
LB_STEP("topology has {int} validators", step_topology_v);

static int step_topology_nodes(struct lb_step *s)
{
    return set_topology(s, lb_step_arg_int(s, 0), 0);
}
LB_STEP("topology has {int} nodes", step_topology_nodes);

static int step_layout(struct lb_step *s)
{
    const char *name = lb_step_arg_str(s, 0);
    if (!lb_layout_parse(name, &world(s)->plan.layout))
        return lb_step_fail(s,
                            "network layout \"%s\" is unknown: use \"star\", "
                            "\"chain\" or \"full\"",
                            name);
    return 0;
}
LB_STEP("the network layout is {string}", step_layout);

static int step_slots_ms(struct lb_step *s)
{
    long long ms = lb_step_arg_int(s, 0);
    if (ms < 50 || ms > 600000)
        return lb_step_fail(s,
                            "slots last %lld milliseconds: the slot duration "
                            "must be between 50 and 600000 milliseconds",
                            ms);
    world(s)->plan.slot_s = (double)ms / 1000.0;
    return 0;
}
LB_STEP("slots last {int} milliseconds", step_slots_ms);

static int step_active_slot_coeff(struct lb_step *s)
{
    double f = lb_step_arg_double(s, 0);
    if (!(f > 0 && f <= 1))
        return lb_step_fail(
            s, "the active slot coefficient %g must be in (0, 1]", f);
    world(s)->plan.active_slot_coeff = f;
    return 0;
}
LB_STEP("the active slot coefficient is {float}", step_active_slot_coeff);

/* ---- wallets, duration, workloads ---- */

static int step_wallets(struct lb_step *s)
{
    struct world *w = world(s);
    long long funds = lb_step_arg_int(s, 0);
    long long users = lb_step_arg_int(s, 1);
    if (users < 1)
        return lb_step_fail(s,
                            "wallets total funds is %lld split across %lld "
                            "users: at least one user is needed",
                            funds,
                            users);
    if (users > 100000)
        return lb_step_fail(s,
                            "wallets split across %lld users: at most "
                            "100000 users are supported",
                            users);
    if (funds < users)
        return lb_step_fail(s,
                            "wallets total funds is %lld split across %lld "
                            "users: funds must be at least the number of users",
                            funds,
                            users);
    w->plan.wallets_set = true;
    w->plan.wallet_funds = funds;
    w->plan.wallet_users = (long)users;
    return 0;
}
LB_STEP("wallets total funds is {int} split across {int} users", step_wallets);

static int step_duration(struct lb_step *s)
{
    long long secs = lb_step_arg_int(s, 0);
    if (secs <= 0)
        return lb_step_fail(s,
                            "run duration is %lld seconds: the duration must "
                            "be at least 1 second",
                            secs);
    world(s)->plan.duration_s = (double)secs;
    return 0;
}
LB_STEP("run duration is {int} seconds", step_duration);

static int set_tx_rate(struct lb_step *s, long long rate, long long users)
{
    struct world *w = world(s);
    if (rate <= 0)
        return lb_step_fail(s,
                            "transactions rate is %lld per block: the rate "
                            "must be a positive number of transactions per "
                            "block",
                            rate);
    if (users < 0 || (users == 0 && lb_step_arg_count(s) > 1))
        return lb_step_fail(s,
                            "transactions using %lld users: at least one user "
                            "is needed",
                            users);
    w->plan.tx_enabled = true;
    w->plan.tx_rate = (long)rate;
    w->plan.tx_users = (long)users;
    return 0;
}

static int step_tx_rate(struct lb_step *s)
{
    return set_tx_rate(s, lb_step_arg_int(s, 0), 0);
}
LB_STEP("transactions rate is {int} per block", step_tx_rate);

static int step_tx_rate_users(struct lb_step *s)
{
    return set_tx_rate(s, lb_step_arg_int(s, 0), lb_step_arg_int(s, 1));
}
LB_STEP("transactions rate is {int} per block using {int} users",
        step_tx_rate_users);

static int step_tx_ratio(struct lb_step *s)
{
    long long pct = lb_step_arg_int(s, 0);
    if (pct <= 0 || pct > 100)
        return lb_step_fail(s,
                            "transactions must be at least %lld%% included: "
                            "the percentage must be in 1..100",
                            pct);
    world(s)->plan.tx_inclusion_ratio = (double)pct / 100.0;
    return 0;
}
LB_STEP("transactions must be at least {int}% included", step_tx_ratio);

static int step_da_rates(struct lb_step *s)
{
    struct world *w = world(s);
    long long c = lb_step_arg_int(s, 0), b = lb_step_arg_int(s, 1);
    if (c <= 0 || b < 0)
        return lb_step_fail(s,
                            "data availability channel rate %lld and blob "
                            "rate %lld: the channel rate must be positive and "
                            "the blob rate not negative",
                            c,
                            b);
    w->plan.da_enabled = true;
    w->plan.da_channel_rate = (long)c;
    w->plan.da_blob_rate = (long)b;
    return lb_step_pending(s,
                           "the data availability workload is not "
                           "implemented yet");
}
LB_STEP("data availability channel rate is {int} per block and blob rate is "
        "{int} per block",
        step_da_rates);

/* ---- expectations and checks ---- */

static int step_expect_liveness(struct lb_step *s)
{
    struct world *w = world(s);
    w->plan.expect_liveness = true;
    w->plan.liveness_kind = LB_LIVENESS_CURRENT;
    return 0;
}
LB_STEP("expect consensus liveness", step_expect_liveness);

static int step_liveness_minimum(struct lb_step *s)
{
    struct world *w = world(s);
    long long n = lb_step_arg_int(s, 0);
    if (n <= 0)
        return lb_step_fail(s,
                            "consensus liveness with minimum %lld blocks: the "
                            "minimum must be positive",
                            n);
    w->plan.expect_liveness = true;
    w->plan.liveness_kind = LB_LIVENESS_MINIMUM;
    w->plan.liveness_minimum = (long)n;
    return 0;
}
LB_STEP("expect consensus liveness with minimum {int} blocks",
        step_liveness_minimum);

static int step_liveness_tolerance(struct lb_step *s)
{
    struct world *w = world(s);
    double t = lb_step_arg_double(s, 0);
    if (!(t > 0 && t <= 1))
        return lb_step_fail(s,
                            "consensus liveness with tolerance %g: the "
                            "tolerance must be in (0, 1]",
                            t);
    w->plan.expect_liveness = true;
    w->plan.liveness_kind = LB_LIVENESS_TOLERANCE;
    w->plan.liveness_tolerance = t;
    return 0;
}
LB_STEP("expect consensus liveness with tolerance {float}",
        step_liveness_tolerance);

static int step_lag_allowance(struct lb_step *s)
{
    long long n = lb_step_arg_int(s, 0);
    if (n < 0)
        return lb_step_fail(s,
                            "consensus liveness lag allowance is %lld: it must "
                            "not be negative",
                            n);
    world(s)->plan.lag_allowance = (long)n;
    return 0;
}
LB_STEP("consensus liveness lag allowance is {int}", step_lag_allowance);

static int step_readiness_off(struct lb_step *s)
{
    world(s)->plan.readiness_off = true;
    return 0;
}
LB_STEP("readiness checks are off", step_readiness_off);

static int step_recovery_allowance(struct lb_step *s)
{
    long long n = lb_step_arg_int(s, 0);
    if (n < 0)
        return lb_step_fail(s,
                            "the recovery allowance is %lld seconds: it must "
                            "not be negative",
                            n);
    world(s)->plan.recovery_allowance_s = (double)n;
    return 0;
}
LB_STEP("the recovery allowance is {int} seconds", step_recovery_allowance);

/* ---- faults (node control) ---- */

static int add_fault(struct lb_step *s, struct lb_fault_spec f)
{
    if (lb_vec_push(&world(s)->plan.faults, f) != 0)
        return lb_step_fail(s, "out of memory");
    return 0;
}

static int chaos(struct lb_step *s, bool executors)
{
    struct lb_fault_spec f = {.kind = LB_FAULT_CHAOS, .node = -1};
    long long lo = lb_step_arg_int(s, 0), hi = lb_step_arg_int(s, 1);
    if (lo <= 0 || hi <= 0)
        return lb_step_fail(s,
                            "restarted at random every %lld to %lld seconds: "
                            "both delays must be positive",
                            lo,
                            hi);
    if (lo > hi) { /* as the reference: min > max is swapped */
        long long t = lo;
        lo = hi;
        hi = t;
    }
    f.min_s = (double)lo;
    f.max_s = (double)hi;
    f.validators = true;
    f.executors = executors;
    return add_fault(s, f);
}

static int step_chaos_validators(struct lb_step *s)
{
    return chaos(s, false);
}
LB_STEP("validators are restarted at random every {int} to {int} seconds",
        step_chaos_validators);

static int step_chaos_all(struct lb_step *s)
{
    return chaos(s, true);
}
LB_STEP("validators and executors are restarted at random every {int} to "
        "{int} seconds",
        step_chaos_all);

static int timed_fault(struct lb_step *s, enum lb_fault_kind kind)
{
    struct lb_fault_spec f = {.kind = kind};
    long long node = lb_step_arg_int(s, 0);
    long long len = lb_step_arg_int(s, 1), at = lb_step_arg_int(s, 2);
    if (node < 0)
        return lb_step_fail(s, "node %lld: node numbers start at 0", node);
    if (len <= 0 || at < 0)
        return lb_step_fail(s,
                            "node %lld for %lld seconds after %lld seconds: "
                            "the length must be positive and the start not "
                            "negative",
                            node,
                            len,
                            at);
    f.node = (long)node;
    f.length_s = (double)len;
    f.at_s = (double)at;
    return add_fault(s, f);
}

static int step_isolate(struct lb_step *s)
{
    return timed_fault(s, LB_FAULT_ISOLATE);
}
LB_STEP("node {int} is isolated from the network for {int} seconds after "
        "{int} seconds",
        step_isolate);

static int step_pause(struct lb_step *s)
{
    return timed_fault(s, LB_FAULT_PAUSE);
}
LB_STEP("node {int} is paused for {int} seconds after {int} seconds",
        step_pause);

static int step_stop_node(struct lb_step *s)
{
    struct lb_fault_spec f = {.kind = LB_FAULT_STOP};
    long long node = lb_step_arg_int(s, 0);
    if (node < 0)
        return lb_step_fail(s, "node %lld: node numbers start at 0", node);
    f.node = (long)node;
    return add_fault(s, f);
}
LB_STEP("node {int} is stopped for the whole run", step_stop_node);

/* ---- run ---- */

static bool interrupted_cb(void)
{
    return lb_run_interrupted();
}

static int step_run_scenario(struct lb_step *s)
{
    struct world *w = world(s);
    struct lb_scenario_options opts = {0};
    struct lb_error err;
    struct lb_buf summary = LB_BUF_INIT;
    json_t *j;
    char *text;
    int rc;

    if (w->ran)
        return lb_step_fail(s,
                            "the scenario has already run: one `When run "
                            "scenario` per scenario");
    opts.interrupted = interrupted_cb;
    opts.progress = stderr;
    lb_error_init(&err);
    lb_record_release(&w->rec);
    lb_record_init(&w->rec);
    rc = lb_scenario_run(&w->plan, &opts, &w->rec, &err);
    if (rc == LB_EINVAL)
        return lb_step_fail(s, "%s", err.msg);
    w->ran = true;
    j = lb_record_to_json(&w->rec);
    text = json_dumps(j, JSON_COMPACT);
    if (text) {
        lb_step_attach(
            s, text, strlen(text), "application/json", "run-record.json");
        lb_free(text);
    }
    json_decref(j);
    lb_record_summary(&w->rec, &summary);
    if (w->rec.failure)
        lb_buf_addf(&summary, "failure: %s\n", w->rec.failure);
    lb_step_log(s, "%s", summary.ptr);
    lb_buf_release(&summary);
    if (rc != 0)
        return lb_step_fail(s, "%s", err.msg);
    return 0;
}
LB_STEP("run scenario", step_run_scenario);

/* ---- Then ---- */

static struct world *ran(struct lb_step *s)
{
    struct world *w = lb_world_get(s, WORLD_KEY);
    return w && w->ran ? w : NULL;
}

#define NOT_RUN \
    "no scenario has run yet: add `When run scenario` before this step"

static int step_should_succeed(struct lb_step *s)
{
    struct world *w = ran(s);
    if (!w)
        return lb_step_fail(s, NOT_RUN);
    if (w->rec.failure)
        return lb_step_fail(s,
                            "%s%s%s",
                            w->rec.failure,
                            w->rec.kept ? "\nnode logs kept in " : "",
                            w->rec.kept ? w->rec.work_dir : "");
    return 0;
}
LB_STEP("(the )scenario should succeed", step_should_succeed);

static int step_fails_with(struct lb_step *s)
{
    struct world *w = ran(s);
    const char *want = lb_step_arg_str(s, 0);
    if (!w)
        return lb_step_fail(s, NOT_RUN);
    if (!w->rec.failure)
        return lb_step_fail(s,
                            "the scenario succeeded, but it should have "
                            "failed with \"%s\"",
                            want);
    if (!strstr(w->rec.failure, want))
        return lb_step_fail(s,
                            "the scenario failed, but not with \"%s\": %s",
                            want,
                            w->rec.failure);
    /* the failure was the expected outcome: its logs need not stay */
    lb_run_discard_logs(&w->rec);
    return 0;
}
LB_STEP("the scenario fails with {string}", step_fails_with);

static int check(struct lb_step *s, bool ok, struct lb_buf *msg)
{
    int rc = ok ? 0 : lb_step_fail(s, "%s", msg->ptr);
    lb_buf_release(msg);
    return rc;
}

static int step_liveness_holds(struct lb_step *s)
{
    struct world *w = ran(s);
    struct lb_buf msg = LB_BUF_INIT;
    if (!w)
        return lb_step_fail(s, NOT_RUN);
    return check(s,
                 lb_expect_liveness(&w->rec,
                                    w->plan.expect_liveness
                                        ? w->plan.liveness_kind
                                        : LB_LIVENESS_CURRENT,
                                    w->plan.lag_allowance,
                                    w->plan.liveness_tolerance,
                                    w->plan.liveness_minimum,
                                    &msg),
                 &msg);
}
LB_STEP("consensus liveness holds", step_liveness_holds);

static int step_tx_included_pct(struct lb_step *s)
{
    struct world *w = ran(s);
    long long pct = lb_step_arg_int(s, 0);
    uint64_t observed, required;
    if (!w)
        return lb_step_fail(s, NOT_RUN);
    if (pct < 0 || pct > 100)
        return lb_step_fail(s,
                            "at least %lld%% of transactions: the "
                            "percentage must be in 0..100",
                            pct);
    if (w->rec.tx_planned == 0)
        return lb_step_fail(s,
                            "no transactions were planned: add "
                            "`transactions rate is R per block`");
    observed = lb_tx_included(&w->rec);
    required =
        (uint64_t)ceil((double)w->rec.tx_planned * (double)pct / 100.0 - 1e-9);
    if (observed < required)
        return lb_step_fail(s,
                            "transaction inclusion observed %llu below "
                            "required %llu (%lld%% of %llu planned)",
                            (unsigned long long)observed,
                            (unsigned long long)required,
                            pct,
                            (unsigned long long)w->rec.tx_planned);
    return 0;
}
LB_STEP("at least {int}% of transactions are included", step_tx_included_pct);

static int step_min_height(struct lb_step *s)
{
    struct world *w = ran(s);
    struct lb_buf msg = LB_BUF_INIT;
    long long h = lb_step_arg_int(s, 0);
    if (!w)
        return lb_step_fail(s, NOT_RUN);
    if (h < 0)
        return lb_step_fail(s, "height %lld must not be negative", h);
    return check(s, lb_expect_min_height(&w->rec, (uint64_t)h, &msg), &msg);
}
LB_STEP("every node reaches height at least {int}", step_min_height);

static int step_agree_deeper(struct lb_step *s)
{
    struct world *w = ran(s);
    struct lb_buf msg = LB_BUF_INIT;
    long long d = lb_step_arg_int(s, 0);
    if (!w)
        return lb_step_fail(s, NOT_RUN);
    if (d < 0)
        return lb_step_fail(s, "depth %lld must not be negative", d);
    /* common prefix at the end, and no block that deep reverted meanwhile
     * (reorgs the block feed saw) */
    return check(s,
                 lb_expect_agreement(&w->rec, (uint64_t)d, &msg) &&
                     lb_expect_no_deep_reorg(&w->rec, (uint64_t)d, &msg),
                 &msg);
}
LB_STEP("all nodes agree on every block deeper than {int}", step_agree_deeper);

static int step_no_crash(struct lb_step *s)
{
    struct world *w = ran(s);
    struct lb_buf msg = LB_BUF_INIT;
    if (!w)
        return lb_step_fail(s, NOT_RUN);
    return check(s, lb_expect_no_crash(&w->rec, &msg), &msg);
}
LB_STEP("no node crashed", step_no_crash);
