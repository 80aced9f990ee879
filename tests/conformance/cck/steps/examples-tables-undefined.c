/* CCK sample examples-tables-undefined: examples-tables-undefined.ts in C. */
#include "cck_util.h"

struct counts {
    long long count;
    long long friends;
};

static struct counts *counts(struct lb_step *s)
{
    struct counts *c = lb_world_get(s, "counts");
    if (c == NULL) {
        c = calloc(1, sizeof(*c));
        lb_world_set(s, "counts", c, free);
    }
    return c;
}

static int there_are_cucumbers(struct lb_step *s)
{
    counts(s)->count = lb_step_arg_int(s, 0);
    return 0;
}
LB_STEP("there are {int} cucumbers", there_are_cucumbers);

static int i_eat(struct lb_step *s)
{
    counts(s)->count -= lb_step_arg_int(s, 0);
    return 0;
}
LB_STEP("I eat {int} cucumbers", i_eat);

static int i_should_have(struct lb_step *s)
{
    return cck_strict_equal(s, counts(s)->count, lb_step_arg_int(s, 0));
}
LB_STEP("I should have {int} cucumbers", i_should_have);
