/* CCK sample hooks-named: hooks-named.ts in C. */
#include <logos_bdd/step.h>

static int before(struct lb_step *s)
{
    return 0;
}
LB_HOOK(LB_HOOK_BEFORE, before, .name = "A named before hook");

static int a_step_passes(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step passes", a_step_passes);

static int after(struct lb_step *s)
{
    return 0;
}
LB_HOOK(LB_HOOK_AFTER, after, .name = "A named after hook");
