/* CCK sample hooks-conditional: hooks-conditional.ts in C. */
#include <logos_bdd/step.h>

static int before_passing(struct lb_step *s)
{
    return 0;
}
LB_HOOK(LB_HOOK_BEFORE, before_passing, .tags = "@passing-hook");

static int before_fail(struct lb_step *s)
{
    return lb_step_fail(s, "Exception in conditional hook");
}
LB_HOOK(LB_HOOK_BEFORE, before_fail, .tags = "@fail-before");

static int a_step_passes(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step passes", a_step_passes);

static int after_fail(struct lb_step *s)
{
    return lb_step_fail(s, "Exception in conditional hook");
}
LB_HOOK(LB_HOOK_AFTER, after_fail, .tags = "@fail-after");

static int after_passing(struct lb_step *s)
{
    return 0;
}
LB_HOOK(LB_HOOK_AFTER, after_passing, .tags = "@passing-hook");
