/* CCK sample rules-backgrounds: rules-backgrounds.ts in C. */
#include <logos_bdd/step.h>

static int an_order_for(struct lb_step *s)
{
    return 0;
}
LB_STEP("an order for {string}", an_order_for);

static int an_action(struct lb_step *s)
{
    return 0;
}
LB_STEP("an action", an_action);

static int an_outcome(struct lb_step *s)
{
    return 0;
}
LB_STEP("an outcome", an_outcome);
