/*
 * Step definitions of the engine's integration tests, built as a loadable
 * library (lb_itest_steps.so) that the tests give to `logos-bdd --require`:
 * the proof that a user's own step library works without touching the
 * runner.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <logos_bdd/step.h>

static int have_cukes(struct lb_step *s)
{
    long long *n = malloc(sizeof(*n));
    *n = lb_step_arg_int(s, 0);
    lb_world_set(s, "cukes", n, free);
    return 0;
}
LB_STEP("I have {int} cukes", have_cukes);

static int eat_cukes(struct lb_step *s)
{
    long long *n = lb_world_get(s, "cukes");
    if (n == NULL)
        return lb_step_fail(s, "no cukes yet");
    *n -= lb_step_arg_int(s, 0);
    return 0;
}
LB_STEP("I eat {int} cukes", eat_cukes);

static int should_have(struct lb_step *s)
{
    long long *n = lb_world_get(s, "cukes");
    long long want = lb_step_arg_int(s, 0);
    if (n == NULL || *n != want)
        return lb_step_fail(
            s, "expected %lld cukes, got %lld", want, n != NULL ? *n : -1);
    lb_step_log(s, "%lld cukes left", *n);
    return 0;
}
LB_STEP("I should have {int} cukes", should_have);

static int deployer_is(struct lb_step *s)
{
    const char *d = lb_run_option("deployer");
    const char *want = lb_step_arg_str(s, 0);
    if (d == NULL || strcmp(d, want) != 0)
        return lb_step_fail(
            s, "deployer is '%s', want '%s'", d != NULL ? d : "(none)", want);
    return 0;
}
LB_STEP("the deployer is {string}", deployer_is);

/* Waits until SIGINT/SIGTERM arrives (at most 20 s), as a long step polls
 * lb_run_interrupted() and tears down. */
static int wait_for_interrupt(struct lb_step *s)
{
    for (int i = 0; i < 2000 && !lb_run_interrupted(); i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (lb_run_interrupted())
        return lb_step_fail(s, "interrupted while waiting");
    return 0;
}
LB_STEP("a long step waits for Ctrl-C", wait_for_interrupt);

static int table_sum(struct lb_step *s)
{
    const struct lb_table *t = lb_step_table(s);
    long long sum = 0;
    for (size_t r = 1; r < lb_table_rows(t); r++)
        sum += strtoll(lb_table_cell(t, r, 1), NULL, 10);
    if (sum != lb_step_arg_int(s, 0))
        return lb_step_fail(s, "sum is %lld", sum);
    return 0;
}
LB_STEP("the amounts add up to {int}:", table_sum);

static int after_hook(struct lb_step *s)
{
    return 0;
}
LB_HOOK(LB_HOOK_AFTER, after_hook, .name = "cleanup", .tags = "@cleanup");
