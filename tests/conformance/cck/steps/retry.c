/* CCK sample retry: retry.ts in C. */
#include <logos_bdd/step.h>

static int always_passes(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step that always passes", always_passes);

static int second_time_pass;

static int passes_second_time(struct lb_step *s)
{
    if (++second_time_pass < 2)
        return lb_step_fail(s, "Exception in step");
    return 0;
}
LB_STEP("a step that passes the second time", passes_second_time);

static int third_time_pass;

static int passes_third_time(struct lb_step *s)
{
    if (++third_time_pass < 3)
        return lb_step_fail(s, "Exception in step");
    return 0;
}
LB_STEP("a step that passes the third time", passes_third_time);

static int always_fails(struct lb_step *s)
{
    return lb_step_fail(s, "Exception in step");
}
LB_STEP("a step that always fails", always_fails);
