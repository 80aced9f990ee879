/* CCK sample retry-ambiguous: retry-ambiguous.ts in C. */
#include <logos_bdd/step.h>

static int first_one(struct lb_step *s)
{
    return 0;
}
LB_STEP("an ambiguous step", first_one);

static int second_one(struct lb_step *s)
{
    return 0;
}
LB_STEP("an ambiguous step", second_one);
