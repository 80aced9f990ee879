/* CCK sample hooks-skipped: hooks-skipped.ts in C. */
#include <logos_bdd/step.h>

static int before_1(struct lb_step *s)
{
    return 0;
}
LB_BEFORE(before_1);

static int before_skip(struct lb_step *s)
{
    return LB_STEP_SKIPPED;
}
LB_HOOK(LB_HOOK_BEFORE, before_skip, .tags = "@skip-before");

static int before_3(struct lb_step *s)
{
    return 0;
}
LB_BEFORE(before_3);

static int a_normal_step(struct lb_step *s)
{
    return 0;
}
LB_STEP("a normal step", a_normal_step);

static int a_step_that_skips(struct lb_step *s)
{
    return LB_STEP_SKIPPED;
}
LB_STEP("a step that skips", a_step_that_skips);

static int after_1(struct lb_step *s)
{
    return 0;
}
LB_AFTER(after_1);

static int after_skip(struct lb_step *s)
{
    return LB_STEP_SKIPPED;
}
LB_HOOK(LB_HOOK_AFTER, after_skip, .tags = "@skip-after");

static int after_3(struct lb_step *s)
{
    return 0;
}
LB_AFTER(after_3);
