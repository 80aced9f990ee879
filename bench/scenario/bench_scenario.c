/*
 * Benchmark of the scenario layer with real refnode processes: for a
 * cluster of N nodes (default 2 and 50) it runs a plan with 100 ms slots
 * (500 ms above 10 nodes) and a transaction workload, and prints, each beside
 * its baseline from the same run:
 *  - orchestration overhead = wall time − protocol time (duration +
 *    cooldown + settle), beside the protocol time;
 *  - the runner's peak RSS, beside its RSS before the run;
 *  - how the block feed kept up: blocks of the final chain the feed saw
 *    during the run and their mean delay after their slot began, beside
 *    the slot duration;
 *  - how the workload kept up: transactions accepted / planned and the
 *    mean inclusion delay, beside the block interval.
 * Usage: bench_scenario [NODES...]   (needs refnode next to it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "core/time.h"
#include "scenario/expect.h"
#include "scenario/plan.h"
#include "scenario/record.h"
#include "scenario/run.h"

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static int bench(long nodes)
{
    struct lb_plan p;
    struct lb_run_record rec;
    struct lb_error err;
    struct rusage ru;
    int64_t t0, t1;
    double wall, protocol, slot_ms, sum_delay = 0, sum_incl = 0;
    long rss0 = rss_kb();
    size_t i, seen = 0, accepted = 0, included = 0;
    int rc;

    lb_plan_init(&p);
    p.topology_set = true;
    p.validators = nodes;
    /* 100 ms slots for small clusters (the feed and workload keep-up);
     * 500 ms for big ones, which 2 shared cores cannot run at 100 ms */
    p.slot_s = nodes > 10 ? 0.5 : 0.1;
    p.duration_s = nodes > 10 ? 10 : 5;
    p.expect_liveness = true;
    p.wallets_set = true;
    p.wallet_funds = 10000;
    p.wallet_users = 20;
    p.tx_enabled = true;
    p.tx_rate = 2;
    lb_record_init(&rec);
    lb_error_init(&err);
    t0 = lb_time_mono_ns();
    rc = lb_scenario_run(&p, NULL, &rec, &err);
    t1 = lb_time_mono_ns();
    if (rc != 0) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
    }
    getrusage(RUSAGE_SELF, &ru);
    wall = (double)(t1 - t0) / 1e9;
    protocol =
        rec.metrics.duration_s + rec.metrics.cooldown_s + rec.metrics.settle_s;
    slot_ms = rec.metrics.slot_s * 1000.0;
    /* feed delay: when the feed recorded a block vs when its slot began;
     * slot 0 begins when the deploy starts, a few ms after the run's t=0 */
    for (i = 1; i < rec.blocks.len; i++) {
        const struct lb_rec_block *b = &rec.blocks.items[i];
        sum_delay += (double)b->t_ms - (double)b->slot * slot_ms;
        seen++;
    }
    for (i = 0; i < rec.txs.len; i++) {
        const struct lb_rec_tx *t = &rec.txs.items[i];
        if (t->submitted_ms >= 0)
            accepted++;
        if (t->block[0]) {
            included++;
            sum_incl += (double)(t->included_ms - t->submitted_ms);
        }
    }
    printf(
        "nodes=%ld  result=%s\n", nodes, rec.failure ? rec.failure : "passed");
    printf("  wall %.2f s = protocol %.2f s (duration %.1f + cooldown %.2f "
           "+ settle %.2f) + orchestration overhead %.2f s\n",
           wall,
           protocol,
           rec.metrics.duration_s,
           rec.metrics.cooldown_s,
           rec.metrics.settle_s,
           wall - protocol);
    for (i = 0; i < rec.phases.len; i++)
        printf("    phase %-9s %7.3f s\n",
               rec.phases.items[i].name,
               (double)(rec.phases.items[i].end_ms -
                        rec.phases.items[i].start_ms) /
                   1000.0);
    printf("  runner RSS peak %ld kB (maxrss %ld kB), before the run %ld kB\n",
           rss_kb(),
           ru.ru_maxrss,
           rss0);
    printf("  block feed: %zu blocks recorded, final heights %llu..; mean "
           "delay after its slot began %.0f ms, slot %.0f ms\n",
           seen,
           rec.nodes.len ? (unsigned long long)rec.nodes.items[0].final_height
                         : 0ull,
           seen ? sum_delay / (double)seen : 0.0,
           slot_ms);
    printf("  tx workload: %zu planned, %zu accepted, %zu included (mean "
           "inclusion %.0f ms), block interval %.0f ms\n",
           (size_t)rec.tx_planned,
           accepted,
           included,
           included ? sum_incl / (double)included : 0.0,
           rec.metrics.block_interval_s * 1000.0);
    /* a failed run keeps its logs; the figures above are what we wanted */
    lb_run_discard_logs(&rec);
    lb_record_release(&rec);
    lb_plan_release(&p);
    return 0;
}

int main(int argc, char **argv)
{
    int i, rc = 0;
    if (argc < 2) {
        rc |= bench(2);
        rc |= bench(50);
        return rc;
    }
    for (i = 1; i < argc; i++)
        rc |= bench(strtol(argv[i], NULL, 10));
    return rc;
}
