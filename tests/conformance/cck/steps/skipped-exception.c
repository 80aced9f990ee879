/* CCK sample skipped-exception: skipped-exception.ts in C. */
#include <logos_bdd/step.h>

static int i_skip(struct lb_step *s)
{
    return lb_step_skip(s, "skipping");
}
LB_STEP("I skip a step", i_skip);
