/*
 * Plan defaults, validation and run metrics (FRAMEWORK.md §2–§4). Where the
 * reference framework multiplies slot × f for the block interval, we divide
 * (the mean time between blocks when each slot has a leader with
 * probability f): see FRAMEWORK.md §4 (decision).
 */
#include "scenario/plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

void lb_plan_init(struct lb_plan *plan)
{
    memset(plan, 0, sizeof(*plan));
    (void)lb_copy(plan->deployer, sizeof(plan->deployer), "local");
    plan->layout = LB_LAYOUT_STAR;
    plan->lag_allowance = -1;
    plan->liveness_tolerance = 0.8;
    plan->recovery_allowance_s = -1;
}

void lb_plan_release(struct lb_plan *plan)
{
    lb_vec_release(&plan->faults);
}

int lb_parse_seconds(const char *text, double *out)
{
    char *end = NULL;
    double v;
    double scale = 1.0;

    if (!text || !*text)
        return LB_EINVAL;
    errno = 0;
    v = strtod(text, &end);
    if (end == text || errno != 0)
        return LB_EINVAL;
    if (strcmp(end, "ms") == 0)
        scale = 0.001;
    else if (strcmp(end, "s") == 0 || *end == '\0')
        scale = 1.0;
    else
        return LB_EINVAL;
    v *= scale;
    if (!isfinite(v) || v <= 0)
        return LB_EINVAL;
    *out = v;
    return 0;
}

int lb_env_slot_seconds(double *out, struct lb_error *err)
{
    const char *v = getenv("CONSENSUS_SLOT_TIME");
    *out = 2.0;
    if (!v || !*v)
        return 0;
    if (lb_parse_seconds(v, out) != 0)
        return lb_error_set(err,
                            LB_EINVAL,
                            "CONSENSUS_SLOT_TIME '%s' is not a duration "
                            "(seconds such as 2 or 0.2, or 200ms)",
                            v);
    return 0;
}

int lb_env_active_slot_coeff(double *out, struct lb_error *err)
{
    const char *v = getenv("CONSENSUS_ACTIVE_SLOT_COEFF");
    char *end = NULL;
    double f;
    *out = 0.9;
    if (!v || !*v)
        return 0;
    errno = 0;
    f = strtod(v, &end);
    if (end == v || *end != '\0' || errno != 0 || !(f > 0 && f <= 1))
        return lb_error_set(err,
                            LB_EINVAL,
                            "CONSENSUS_ACTIVE_SLOT_COEFF '%s' must be a number "
                            "in (0, 1]",
                            v);
    *out = f;
    return 0;
}

long lb_layout_expected_peers(enum lb_layout layout, long n, long i)
{
    if (n <= 1)
        return 0;
    switch (layout) {
    case LB_LAYOUT_STAR:
        return i == 0 ? n - 1 : 1;
    case LB_LAYOUT_CHAIN:
        return (i == 0 || i == n - 1) ? 1 : 2;
    case LB_LAYOUT_FULL:
        return n - 1;
    }
    return 0;
}

size_t lb_layout_peers(enum lb_layout layout, long i, long *out, size_t cap)
{
    size_t n = 0;
    long j;
    if (i <= 0)
        return 0;
    switch (layout) {
    case LB_LAYOUT_STAR:
        if (cap > 0)
            out[n++] = 0;
        break;
    case LB_LAYOUT_CHAIN:
        if (cap > 0)
            out[n++] = i - 1;
        break;
    case LB_LAYOUT_FULL:
        for (j = 0; j < i && n < cap; j++)
            out[n++] = j;
        break;
    }
    return n;
}

long long lb_wallet_user_funds(long long funds, long users, long i)
{
    if (users <= 0)
        return 0;
    return funds / users + (i < funds % users ? 1 : 0);
}

uint64_t lb_tx_planned(const struct lb_run_metrics *m, long rate)
{
    if (rate <= 0 || m->block_interval_s <= 0)
        return 0;
    /* the epsilon keeps 60 / (2/0.9) × 1 = 27 from becoming 26.999... */
    return (uint64_t)floor(m->duration_s / m->block_interval_s * (double)rate +
                           1e-9);
}

bool lb_layout_parse(const char *name, enum lb_layout *out)
{
    if (strcmp(name, "star") == 0)
        *out = LB_LAYOUT_STAR;
    else if (strcmp(name, "chain") == 0)
        *out = LB_LAYOUT_CHAIN;
    else if (strcmp(name, "full") == 0)
        *out = LB_LAYOUT_FULL;
    else
        return false;
    return true;
}

const char *lb_layout_name(enum lb_layout layout)
{
    switch (layout) {
    case LB_LAYOUT_CHAIN:
        return "chain";
    case LB_LAYOUT_FULL:
        return "full";
    default:
        return "star";
    }
}

static int
validate_faults(const struct lb_plan *plan, long n, struct lb_error *err)
{
    size_t i;
    for (i = 0; i < plan->faults.len; i++) {
        const struct lb_fault_spec *f = &plan->faults.items[i];
        if (f->kind != LB_FAULT_CHAOS && (f->node < 0 || f->node >= n))
            return lb_error_set(err,
                                LB_EINVAL,
                                "node %ld does not exist: the topology has "
                                "%ld nodes (numbered 0 to %ld, validators "
                                "first)",
                                f->node,
                                n,
                                n - 1);
    }
    return 0;
}

int lb_plan_validate(const struct lb_plan *plan,
                     struct lb_run_metrics *m,
                     struct lb_error *err)
{
    long n = plan->validators + plan->executors;
    double h;

    memset(m, 0, sizeof(*m));
    if (!plan->topology_set)
        return lb_error_set(err,
                            LB_EINVAL,
                            "no topology: add a step such as `topology has 2 "
                            "validators and 1 executors`");
    if (plan->validators < 0 || plan->executors < 0 || n <= 0)
        return lb_error_set(err,
                            LB_EINVAL,
                            "topology has %ld validators and %ld executors: "
                            "topology must include at least one node",
                            plan->validators,
                            plan->executors);
    if (plan->slot_s > 0)
        m->slot_s = plan->slot_s;
    else if (lb_env_slot_seconds(&m->slot_s, err) != 0)
        return LB_EINVAL;
    if (plan->active_slot_coeff > 0)
        m->f = plan->active_slot_coeff;
    else if (lb_env_active_slot_coeff(&m->f, err) != 0)
        return LB_EINVAL;
    if (!(m->f > 0 && m->f <= 1))
        return lb_error_set(err,
                            LB_EINVAL,
                            "active slot coefficient %g must be in (0, 1]",
                            m->f);
    m->k = plan->security_param > 0 ? plan->security_param : 10;
    m->requested_s = plan->duration_s > 0 ? plan->duration_s : 60.0;
    m->duration_s = fmax(m->requested_s, 2 * m->slot_s);
    /* the epsilon absorbs binary noise: 60 / 2 × 0.9 is 27, not 27.0000001 */
    m->expected_blocks =
        (uint64_t)ceil(m->duration_s / m->slot_s * m->f - 1e-9);
    h = m->block_interval_s = m->slot_s / m->f;
    m->node_control = plan->faults.len > 0;
    m->cooldown_s = fmax(5 * h, (double)m->k * h);
    if (m->node_control)
        m->cooldown_s =
            fmax(m->cooldown_s,
                 plan->recovery_allowance_s >= 0 ? plan->recovery_allowance_s
                                                 : 30.0);
    /* (decision) with short slots the reference's 2 s floor dominates the
     * whole run: use two slots instead */
    m->settle_s = m->slot_s < 1.0 ? fmax(h, 2 * m->slot_s) : fmax(h, 2.0);

    if (plan->wallets_set) {
        if (plan->wallet_users < 1)
            return lb_error_set(err,
                                LB_EINVAL,
                                "wallets split across %ld users: at least one "
                                "user is needed",
                                plan->wallet_users);
        if (plan->wallet_funds < plan->wallet_users)
            return lb_error_set(err,
                                LB_EINVAL,
                                "wallets total funds is %lld split across %ld "
                                "users: funds must be at least the number of "
                                "users",
                                plan->wallet_funds,
                                plan->wallet_users);
    }
    if (plan->tx_enabled) {
        if (plan->tx_rate <= 0)
            return lb_error_set(err,
                                LB_EINVAL,
                                "transactions rate is %ld per block: the rate "
                                "must be positive",
                                plan->tx_rate);
        if (!plan->wallets_set)
            return lb_error_set(err,
                                LB_EINVAL,
                                "transactions rate is %ld per block: no seeded "
                                "wallet accounts configured (add `wallets "
                                "total funds is F split across U users`)",
                                plan->tx_rate);
        if (plan->tx_users < 0 || plan->tx_users > plan->wallet_users)
            return lb_error_set(err,
                                LB_EINVAL,
                                "transactions using %ld users: the wallets "
                                "have %ld users",
                                plan->tx_users,
                                plan->wallet_users);
    }
    if (plan->da_enabled) {
        if (plan->executors < 1)
            return lb_error_set(
                err, LB_EINVAL, "da workload requires at least one executor");
        if (plan->da_channel_rate <= 0 || plan->da_blob_rate < 0)
            return lb_error_set(err,
                                LB_EINVAL,
                                "data availability channel rate %ld and blob "
                                "rate %ld: the channel rate must be positive",
                                plan->da_channel_rate,
                                plan->da_blob_rate);
    }
    if (plan->expect_liveness && plan->liveness_kind == LB_LIVENESS_TOLERANCE &&
        !(plan->liveness_tolerance > 0 && plan->liveness_tolerance <= 1))
        return lb_error_set(err,
                            LB_EINVAL,
                            "consensus liveness tolerance %g must be in (0, 1]",
                            plan->liveness_tolerance);
    return validate_faults(plan, n, err);
}
