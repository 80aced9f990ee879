/* CCK sample test-run-exception: test-run-exception.ts in C. */
#include <logos_bdd/step.h>

static int a_step(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step", a_step);
