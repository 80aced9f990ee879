/* CCK sample hooks-undefined: hooks-undefined.ts in C. */
#include <logos_bdd/step.h>

static int before(struct lb_step *s)
{
    return 0;
}
LB_BEFORE(before);

static int after(struct lb_step *s)
{
    return 0;
}
LB_AFTER(after);
