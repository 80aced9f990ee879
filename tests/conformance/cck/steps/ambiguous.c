/* CCK sample ambiguous: ambiguous.ts in C. */
#include <logos_bdd/step.h>

static int first_one(struct lb_step *s)
{
    return 0;
}
LB_STEP("^a (.*?) with (.*?)$", first_one);

static int second_one(struct lb_step *s)
{
    return 0;
}
LB_STEP("^a step with (.*?)$", second_one);
