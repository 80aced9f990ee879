/* CCK sample skipped-failing-hook: skipped-failing-hook.ts in C. */
#include <logos_bdd/step.h>

static int a_step_that_skips(struct lb_step *s)
{
    return LB_STEP_SKIPPED;
}
LB_STEP("a step that skips", a_step_that_skips);

static int after(struct lb_step *s)
{
    return lb_step_fail(s, "whoops");
}
LB_AFTER(after);
