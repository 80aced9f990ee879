/* CCK sample failedish-combinations: failedish-combinations.ts in C. */
#include <logos_bdd/step.h>

static int a_step(struct lb_step *s)
{
    return 0;
}
LB_STEP("^a step$", a_step);

static int a_skipped_step(struct lb_step *s)
{
    return LB_STEP_SKIPPED;
}
LB_STEP("^a skipped step$", a_skipped_step);

static int a_pending_step(struct lb_step *s)
{
    return LB_STEP_PENDING;
}
LB_STEP("^a pending step$", a_pending_step);

static int an_ambiguous(struct lb_step *s)
{
    return 0;
}
LB_STEP("^an ambiguous (.*?)$", an_ambiguous);

static int ambiguous_step(struct lb_step *s)
{
    return 0;
}
LB_STEP("^(.*?) ambiguous step$", ambiguous_step);

static int a_failing_step(struct lb_step *s)
{
    return lb_step_fail(s, "whoops");
}
LB_STEP("^a failing step$", a_failing_step);
