/* CCK sample pending-exception: pending-exception.ts in C. */
#include <logos_bdd/step.h>

static int unimplemented(struct lb_step *s)
{
    return lb_step_pending(s, "TODO");
}
LB_STEP("an unimplemented pending step", unimplemented);
