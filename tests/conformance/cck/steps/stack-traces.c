/* CCK sample stack-traces: stack-traces.ts in C. */
#include <logos_bdd/step.h>

static int throws(struct lb_step *s)
{
    return lb_step_fail(s, "BOOM");
}
LB_STEP("a step throws an exception", throws);
