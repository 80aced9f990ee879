/* CCK sample cdata: cdata.ts in C. */
#include <logos_bdd/step.h>

static int cukes(struct lb_step *s)
{
    return 0;
}
LB_STEP("I have {int} <![CDATA[cukes]]> in my belly", cukes);
