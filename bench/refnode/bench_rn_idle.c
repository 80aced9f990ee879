/*
 * Benchmark: N refnode processes (default 100) in a star with 200 ms slots
 * on this machine. Prints idle CPU, RSS and PSS per node beside the same
 * /proc readings of two baselines of the same run: an idle `sleep`, and
 * bench_rn_floor (a do-nothing program linked with refnode's libraries and
 * initialising them as refnode does: the floor those libraries set). It
 * checks that every node reaches height 10 and that all agree on their
 * chains but the last k blocks.
 *
 *   build/bench_rn_idle [NODES] [SECONDS]
 */
#include "lb_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/time.h"
#include "rn_harness.h"

static size_t nodes = 100;
static long seconds = 10;

/* A "Key: N kB" line of /proc/PID/FILE (status or smaps_rollup). */
static long proc_kb(pid_t p, const char *file, const char *key)
{
    char path[64], line[256];
    long kb = -1;
    FILE *f;

    (void)snprintf(path, sizeof(path), "/proc/%d/%s", (int)p, file);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, key, strlen(key)) == 0)
            kb = strtol(line + strlen(key) + 1, NULL, 10);
    (void)fclose(f);
    return kb;
}

static long status_kb(pid_t p, const char *key)
{
    return proc_kb(p, "status", key);
}

/*
 * PSS: a page shared by k processes counts 1/k in each, so with 100 nodes
 * mapping the same libraries this is each node's honest share of memory.
 */
static long pss_kb(pid_t p)
{
    return proc_kb(p, "smaps_rollup", "Pss:");
}

/* Starts build/bench_rn_floor (beside this program) and waits until idle. */
static pid_t start_floor(void)
{
    char exe[512], line[64] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 32);
    int fd[2];
    pid_t p;
    FILE *f;

    assert_true(n > 0);
    exe[n] = '\0';
    (void)strcpy(strrchr(exe, '/') + 1, "bench_rn_floor");
    assert_int_equal(pipe(fd), 0);
    p = fork();
    if (p == 0) {
        (void)dup2(fd[1], 1);
        (void)close(fd[0]);
        (void)close(fd[1]);
        execl(exe, exe, (char *)NULL);
        _exit(127);
    }
    (void)close(fd[1]);
    f = fdopen(fd[0], "r");
    assert_non_null(f);
    if (fgets(line, sizeof(line), f) == NULL || strcmp(line, "ready\n") != 0)
        fail_msg("%s did not start", exe);
    (void)fclose(f);
    return p;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

static void print_baseline(const char *what, pid_t p)
{
    (void)printf("  baseline %s: RSS %.1f MB, anon %.1f MB, PSS %.1f MB\n",
                 what,
                 status_kb(p, "VmRSS:") / 1024.0,
                 status_kb(p, "RssAnon:") / 1024.0,
                 pss_kb(p) / 1024.0);
}

static void bench_rn_idle(void **state)
{
    struct rn_h h;
    double *t0, tick = (double)sysconf(_SC_CLK_TCK), sum = 0, max = 0;
    double base0, base1;
    long rss_sum = 0, rss_max = 0, anon_sum = 0, pss_sum = 0, *rss_all;
    int64_t start;
    pid_t sleeper, floor;
    size_t i, ht, min = SIZE_MAX;
    json_t **chains;
    uint64_t hmin = UINT64_MAX, hmax = 0;

    (void)state;
    start = lb_time_mono_ns();
    rn_h_start(&h, nodes, 0, 200, 0.9, "star");
    (void)printf("started %zu nodes in %.1f s\n",
                 nodes,
                 (double)(lb_time_mono_ns() - start) / 1e9);
    assert_true(rn_h_wait_height(&h, nodes, 10, 180000));
    (void)printf("all at height >= 10 after %.1f s\n",
                 (double)(lb_time_mono_ns() - start) / 1e9);
    sleeper = fork();
    if (sleeper == 0) {
        execlp("sleep", "sleep", "1000", (char *)NULL);
        _exit(127);
    }
    floor = start_floor();
    rn_h_sleep_ms(300);
    t0 = calloc(nodes, sizeof(*t0));
    rss_all = calloc(nodes, sizeof(*rss_all));
    for (i = 0; i < nodes; i++)
        t0[i] = rn_proc_cpu_ticks(h.pids[i]);
    base0 = rn_proc_cpu_ticks(sleeper);
    rn_h_sleep_ms(seconds * 1000);
    for (i = 0; i < nodes; i++) {
        double pct =
            (rn_proc_cpu_ticks(h.pids[i]) - t0[i]) / tick / seconds * 100;
        long rss = status_kb(h.pids[i], "VmRSS:");

        sum += pct;
        if (pct > max)
            max = pct;
        rss_sum += rss;
        rss_all[i] = rss;
        anon_sum += status_kb(h.pids[i], "RssAnon:");
        pss_sum += pss_kb(h.pids[i]);
        if (rss > rss_max)
            rss_max = rss;
    }
    base1 = rn_proc_cpu_ticks(sleeper);
    (void)printf("idle CPU per node over %ld s: mean %.2f %% of a core, "
                 "max %.2f %% (node 0, the hub: %.2f %%)\n",
                 seconds,
                 sum / nodes,
                 max,
                 (rn_proc_cpu_ticks(h.pids[0]) - t0[0]) / tick / seconds * 100);
    (void)printf("  baseline idle `sleep`: %.2f %% of a core\n",
                 (base1 - base0) / tick / seconds * 100);
    qsort(rss_all, nodes, sizeof(*rss_all), cmp_long);
    (void)printf("RSS per node: mean %.1f MB, median %.1f MB, max %.1f MB "
                 "(private anon mean %.1f MB; the rest is shared library "
                 "pages)\n",
                 rss_sum / 1024.0 / nodes,
                 rss_all[nodes / 2] / 1024.0,
                 rss_max / 1024.0,
                 anon_sum / 1024.0 / nodes);
    (void)printf("PSS per node: mean %.1f MB (shared pages split among "
                 "the processes mapping them)\n",
                 pss_sum / 1024.0 / nodes);
    print_baseline("idle `sleep`", sleeper);
    print_baseline("bench_rn_floor (refnode's libraries, initialised, "
                   "doing nothing)",
                   floor);
    (void)kill(sleeper, SIGKILL);
    (void)waitpid(sleeper, NULL, 0);
    (void)kill(floor, SIGKILL);
    (void)waitpid(floor, NULL, 0);
    chains = calloc(nodes, sizeof(*chains));
    for (i = 0; i < nodes; i++) {
        chains[i] = rn_h_chain(&h, i);
        assert_non_null(chains[i]);
        if (json_array_size(chains[i]) < min)
            min = json_array_size(chains[i]);
        if (json_array_size(chains[i]) - 1 < hmin)
            hmin = json_array_size(chains[i]) - 1;
        if (json_array_size(chains[i]) - 1 > hmax)
            hmax = json_array_size(chains[i]) - 1;
    }
    for (ht = 0; ht + h.c.k < min; ht++)
        for (i = 1; i < nodes; i++)
            if (!json_equal(json_array_get(chains[0], ht),
                            json_array_get(chains[i], ht)))
                fail_msg("node 0 and %zu differ at height %zu", i, ht);
    (void)printf("heights %llu..%llu; all %zu nodes agree up to height %zu "
                 "(min tip - k)\n",
                 (unsigned long long)hmin,
                 (unsigned long long)hmax,
                 nodes,
                 min > h.c.k ? min - h.c.k - 1 : 0);
    for (i = 0; i < nodes; i++)
        json_decref(chains[i]);
    free(chains);
    free(t0);
    free(rss_all);
    h.ok = true;
    rn_h_stop(&h);
}

int main(int argc, char **argv)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(bench_rn_idle),
    };

    if (argc > 1)
        nodes = (size_t)strtoul(argv[1], NULL, 10);
    if (argc > 2)
        seconds = strtol(argv[2], NULL, 10);
    if (nodes < 1 || nodes > 200 || seconds < 1)
        return 2;
    return cmocka_run_group_tests_name("bench_rn_idle", tests, NULL, NULL);
}
