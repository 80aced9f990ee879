/*
 * Expectations (FRAMEWORK.md §7) as pure functions of the run record: each
 * returns true when it holds, else false with the failure text appended to
 * `msg` (the exact texts of the reference framework).
 */
#ifndef LB_SCENARIO_EXPECT_H
#define LB_SCENARIO_EXPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "scenario/record.h"

/* lag = min(max(target / 10, allowance), max(allowance, 5)) */
uint64_t lb_liveness_lag(uint64_t target, uint64_t allowance);

/*
 * Consensus liveness over each node's final state: `kind` selects the
 * current variant (lag `allowance`, min progress 5 blocks), the tolerance
 * variant (every node ≥ ceil(expected × tolerance)) or the minimum variant
 * (every node ≥ `minimum`). Failure text:
 *   consensus liveness violated (target=T):
 *   max_height node(s): node-1 (height=H, tip=ID)
 *   - ISSUE ...
 */
bool lb_expect_liveness(const struct lb_run_record *rec,
                        enum lb_liveness_kind kind,
                        long allowance,
                        double tolerance,
                        long minimum,
                        struct lb_buf *msg);

/* Distinct tracked transactions on the feed's final canonical chain. */
uint64_t lb_tx_included(const struct lb_run_record *rec);

/*
 * Transaction inclusion: required = ceil(planned × ratio); failure
 * "transaction inclusion observed O below required R".
 */
bool lb_expect_tx_inclusion(const struct lb_run_record *rec,
                            double ratio,
                            struct lb_buf *msg);

/* Every node's final height is at least `height`. */
bool lb_expect_min_height(const struct lb_run_record *rec,
                          uint64_t height,
                          struct lb_buf *msg);

/*
 * All nodes agree on every block deeper than `depth` below their tips
 * (common prefix); the failure names two nodes and the first differing
 * height.
 */
bool lb_expect_agreement(const struct lb_run_record *rec,
                         uint64_t depth,
                         struct lb_buf *msg);

/* No recorded reorg reverted more than `k` blocks. */
bool lb_expect_no_deep_reorg(const struct lb_run_record *rec,
                             uint64_t k,
                             struct lb_buf *msg);

/* No node exited unexpectedly during the run. */
bool lb_expect_no_crash(const struct lb_run_record *rec, struct lb_buf *msg);

#endif
