/* CCK sample hooks: hooks.ts in C. */
#include <logos_bdd/step.h>

static int before(struct lb_step *s)
{
    return 0;
}
LB_BEFORE(before);

static int a_step_passes(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step passes", a_step_passes);

static int a_step_fails(struct lb_step *s)
{
    return lb_step_fail(s, "Exception in step");
}
LB_STEP("a step fails", a_step_fails);

static int after(struct lb_step *s)
{
    return 0;
}
LB_AFTER(after);
