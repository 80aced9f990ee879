/* CCK sample pending: pending.ts in C. */
#include <logos_bdd/step.h>

static int implemented(struct lb_step *s)
{
    return 0;
}
LB_STEP("an implemented non-pending step", implemented);

static int implemented_skipped(struct lb_step *s)
{
    return 0;
}
LB_STEP("an implemented step that is skipped", implemented_skipped);

static int unimplemented(struct lb_step *s)
{
    return LB_STEP_PENDING;
}
LB_STEP("an unimplemented pending step", unimplemented);
