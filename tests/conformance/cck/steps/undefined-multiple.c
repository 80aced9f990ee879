/* CCK sample undefined-multiple: its .ts in C. */
#include <logos_bdd/step.h>

static int implemented(struct lb_step *s)
{
    return 0;
}
LB_STEP("an implemented step", implemented);

static int will_be_skipped(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step that will be skipped", will_be_skipped);
