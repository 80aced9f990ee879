/* CCK sample unused-steps: unused-steps.ts in C. */
#include <logos_bdd/step.h>

static int used(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step that is used", used);

static int not_used(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step that is not used", not_used);
