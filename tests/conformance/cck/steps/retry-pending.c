/* CCK sample retry-pending: retry-pending.ts in C. */
#include <logos_bdd/step.h>

static int a_pending_step(struct lb_step *s)
{
    return LB_STEP_PENDING;
}
LB_STEP("a pending step", a_pending_step);
