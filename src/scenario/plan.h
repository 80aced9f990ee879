/*
 * The scenario plan (FRAMEWORK.md §1–§4, §6–§7): what the Given steps fill
 * in, its validation, and the run metrics derived from it (duration clamp,
 * expected blocks, block interval, cooldown, settle). Pure functions: no
 * loop, no I/O except reading the environment defaults.
 */
#ifndef LB_SCENARIO_PLAN_H
#define LB_SCENARIO_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/vec.h"

enum lb_layout { LB_LAYOUT_STAR = 0, LB_LAYOUT_CHAIN, LB_LAYOUT_FULL };

enum lb_role { LB_ROLE_VALIDATOR = 0, LB_ROLE_EXECUTOR = 1 };

enum lb_liveness_kind {
    LB_LIVENESS_CURRENT = 0, /* lag allowance against expected blocks */
    LB_LIVENESS_TOLERANCE,   /* every node >= ceil(expected × tolerance) */
    LB_LIVENESS_MINIMUM      /* every node >= a fixed number of blocks */
};

/* Faults of the run (node control); times in seconds from the drive start. */
enum lb_fault_kind {
    LB_FAULT_ISOLATE = 0, /* isolate node for `length_s` after `at_s` */
    LB_FAULT_PAUSE,       /* SIGSTOP for `length_s` after `at_s` */
    LB_FAULT_STOP,        /* stopped for the whole run */
    LB_FAULT_CHAOS        /* random restarts every min_s..max_s */
};

struct lb_fault_spec {
    enum lb_fault_kind kind;
    long node; /* validators first, then executors; -1 for chaos */
    double at_s;
    double length_s;
    double min_s, max_s; /* chaos delays */
    bool validators, executors;
};

struct lb_plan {
    char deployer[16]; /* "local", "compose", "k8s"; "" = local */

    long validators;
    long executors;
    bool topology_set;
    enum lb_layout layout;
    double slot_s;            /* 0 = default (CONSENSUS_SLOT_TIME or 2 s) */
    double active_slot_coeff; /* 0 = default (env or 0.9) */
    long security_param;      /* k; 0 = 10 */

    bool wallets_set;
    long long wallet_funds;
    long wallet_users;

    double duration_s; /* 0 = not set (60 s) */

    bool tx_enabled;
    long tx_rate;              /* per block */
    long tx_users;             /* 0 = every wallet user */
    double tx_inclusion_ratio; /* 0 = 0.5 */

    bool da_enabled;
    long da_channel_rate;
    long da_blob_rate;

    bool expect_liveness;
    enum lb_liveness_kind liveness_kind;
    long lag_allowance; /* -1 = 2 */
    double liveness_tolerance;
    long liveness_minimum;

    bool readiness_off;
    double recovery_allowance_s; /* < 0: default 30 s with node control */

    LB_VEC(struct lb_fault_spec) faults;
};

/* A plan with every default (local deployer, star, no workloads). */
void lb_plan_init(struct lb_plan *plan);
void lb_plan_release(struct lb_plan *plan);

/* The numbers of FRAMEWORK.md §4 for one plan. */
struct lb_run_metrics {
    double slot_s;
    double f;
    long k;
    double requested_s;       /* as the plan asked (default 60) */
    double duration_s;        /* after the clamp max(requested, 2 slots) */
    uint64_t expected_blocks; /* ceil(duration / slot × f) */
    double block_interval_s;  /* h = slot / f */
    double cooldown_s; /* max(5h, k·h); ≥ recovery with node control */
    double settle_s;   /* max(h, 2 s), or max(h, 2 slots) if short */
    bool node_control;
};

/*
 * Checks the plan as a whole and computes the metrics. Errors name the value
 * that is wrong, e.g. "topology has 0 validators and 0 executors: topology
 * must include at least one node".
 */
int lb_plan_validate(const struct lb_plan *plan,
                     struct lb_run_metrics *m,
                     struct lb_error *err);

/*
 * Parses a duration in seconds: "2", "0.1", "2s", "200ms". Returns 0 or
 * LB_EINVAL (nothing else is accepted; the value must be > 0 and finite).
 */
int lb_parse_seconds(const char *text, double *out);

/* The defaults from CONSENSUS_SLOT_TIME / CONSENSUS_ACTIVE_SLOT_COEFF. */
int lb_env_slot_seconds(double *out, struct lb_error *err);
int lb_env_active_slot_coeff(double *out, struct lb_error *err);

/* Expected peer count of node `i` in the undirected initial-peer graph. */
long lb_layout_expected_peers(enum lb_layout layout, long n, long i);

/*
 * Initial peers of node `i` (indices, appended to `out`, at most `cap`):
 * star → 0 (none for node 0), chain → i−1, full → 0..i−1. Returns the count.
 */
size_t lb_layout_peers(enum lb_layout layout, long i, long *out, size_t cap);

/* Funds of wallet user `i` when F is split across U: F/U, +1 for i < F%U. */
long long lb_wallet_user_funds(long long funds, long users, long i);

/* Planned transactions: floor(duration / h × rate). */
uint64_t lb_tx_planned(const struct lb_run_metrics *m, long rate);

/* "star", "chain", "full"; false for anything else. */
bool lb_layout_parse(const char *name, enum lb_layout *out);
const char *lb_layout_name(enum lb_layout layout);

#endif
