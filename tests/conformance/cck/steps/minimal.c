/* CCK sample minimal: minimal.ts in C. */
#include <logos_bdd/step.h>

static int cukes(struct lb_step *s)
{
    return 0;
}
LB_STEP("I have {int} cukes in my belly", cukes);
