/* Trivial step definitions for bench_run (loaded with --require). */
#include <logos_bdd/step.h>

static int given(struct lb_step *s)
{
    return lb_step_arg_int(s, 0) >= 0 ? 0 : lb_step_fail(s, "negative");
}
LB_STEP("I have {int} cukes in my belly", given);

static int when(struct lb_step *s)
{
    return 0;
}
LB_STEP("I eat {int} of them", when);

static int then(struct lb_step *s)
{
    return lb_step_arg_str(s, 0) != NULL ? 0 : lb_step_fail(s, "no word");
}
LB_STEP("the belly feels {word}", then);

static int and_(struct lb_step *s)
{
    return 0;
}
LB_STEP("^the run goes on with step (\\d+)$", and_);
