/* CCK sample unknown-parameter-type: unknown-parameter-type.ts in C. */
#include <logos_bdd/step.h>

static int closed(struct lb_step *s)
{
    return lb_step_fail(s,
                        "Should not be called because airport parameter "
                        "type has not been defined");
}
LB_STEP("{airport} is closed because of a strike", closed);
