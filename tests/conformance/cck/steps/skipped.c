/* CCK sample skipped: skipped.ts in C. */
#include <logos_bdd/step.h>

static int does_not_skip(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step that does not skip", does_not_skip);

static int is_skipped(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step that is skipped", is_skipped);

static int i_skip(struct lb_step *s)
{
    return LB_STEP_SKIPPED;
}
LB_STEP("I skip a step", i_skip);
