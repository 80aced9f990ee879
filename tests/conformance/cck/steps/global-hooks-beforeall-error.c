/* CCK sample global-hooks-beforeall-error: its .ts in C. */
#include <logos_bdd/step.h>

static int before_all_1(struct lb_step *s)
{
    return 0;
}
LB_BEFORE_ALL(before_all_1);

static int before_all_2(struct lb_step *s)
{
    return lb_step_fail(s, "BeforeAll hook went wrong");
}
LB_BEFORE_ALL(before_all_2);

static int before_all_3(struct lb_step *s)
{
    return 0;
}
LB_BEFORE_ALL(before_all_3);

static int a_step_passes(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step passes", a_step_passes);

static int after_all_1(struct lb_step *s)
{
    return 0;
}
LB_AFTER_ALL(after_all_1);

static int after_all_2(struct lb_step *s)
{
    return 0;
}
LB_AFTER_ALL(after_all_2);
