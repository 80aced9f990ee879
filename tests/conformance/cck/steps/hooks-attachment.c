/* CCK sample hooks-attachment: hooks-attachment.ts in C. */
#include "cck_util.h"

static int before(struct lb_step *s)
{
    return cck_attach_file(
        s, "samples/hooks-attachment/cucumber.svg", "image/svg+xml", NULL);
}
LB_BEFORE(before);

static int a_step_passes(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step passes", a_step_passes);

static int after(struct lb_step *s)
{
    return cck_attach_file(
        s, "samples/hooks-attachment/cucumber.svg", "image/svg+xml", NULL);
}
LB_AFTER(after);
