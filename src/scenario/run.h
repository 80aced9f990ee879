/*
 * One scenario run (FRAMEWORK.md §5): validate → deploy → readiness →
 * capture → drive → cooldown → settle → evaluate → cleanup, on a libuv loop
 * the run owns. Workloads, the block feed and the height sampler run
 * concurrently on that loop; cleanup happens exactly once on every path
 * (success, failure, timeout, interruption).
 *
 *     struct lb_run_record rec;
 *     lb_record_init(&rec);
 *     rc = lb_scenario_run(&plan, &opts, &rec, &err);
 *     rc != 0           → the run could not be judged (bad plan: err names
 *                         the value; LB_EINTR: interrupted and torn down)
 *     rec.failure       → NULL when the scenario passed, else its failure
 *                         text ("expectations failed:\n...", "local deploy
 *                         failed: ...", "readiness probe failed: ...")
 *     lb_record_release(&rec);
 */
#ifndef LB_SCENARIO_RUN_H
#define LB_SCENARIO_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "scenario/plan.h"
#include "scenario/record.h"

struct lb_scenario_options {
    /* polled every 50 ms; true tears the run down (may be NULL) */
    bool (*interrupted)(void);
    /* progress lines; NULL = none. A terminal gets one rewritten line,
     * anything else a line every few seconds */
    FILE *progress;
    /* deployer override (`--deployer`); NULL = the plan's */
    const char *deployer;
};

/*
 * Runs `plan`, filling `rec` (initialised by the caller). See above for
 * the meaning of the result.
 */
int lb_scenario_run(const struct lb_plan *plan,
                    const struct lb_scenario_options *opts,
                    struct lb_run_record *rec,
                    struct lb_error *err);

/*
 * A failed run keeps its work dir (logs) for the report. When the failure
 * was expected (a negative test's `Then the scenario fails with ...`), this
 * removes it again, unless the keep-logs variables ask to keep every run.
 */
int lb_run_discard_logs(struct lb_run_record *rec);

/* True when NOMOS_TESTS_KEEP_LOGS or LOGOS_BLOCKCHAIN_TESTS_KEEP_LOGS is
 * set to anything but "", "0" or "false". */
bool lb_keep_logs_env(void);

/*
 * 2 when SLOW_TEST_ENV=true, else 1. Readiness checks wait 60 s times this
 * (LB_READINESS_TIMEOUT_S overrides the 60 s, for tests of the timeout).
 */
double lb_timeout_scale(void);

#endif
