/* CCK sample regular-expression: regular-expression.ts in C. */
#include <logos_bdd/step.h>

static int vegetables(struct lb_step *s)
{
    return lb_step_arg_count(s) == 3 ? 0 : lb_step_fail(s, "want 3 groups");
}
LB_STEP("^a (.*?)(?: and a (.*?))?(?: and a (.*?))?$", vegetables);
