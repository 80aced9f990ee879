/* CCK sample multiple-features-reversed: its .ts in C. */
#include <logos_bdd/step.h>

static int an_order_for(struct lb_step *s)
{
    return 0;
}
LB_STEP("an order for {string}", an_order_for);
