/* CCK sample examples-tables: examples-tables.ts in C. */
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

static int there_are_friends(struct lb_step *s)
{
    counts(s)->friends = lb_step_arg_int(s, 0);
    return 0;
}
LB_STEP("there are {int} friends", there_are_friends);

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

static int each_person(struct lb_step *s)
{
    struct counts *c = counts(s);
    long long n = c->count, d = 1 + c->friends;
    /* Math.floor, also for negative counts */
    long long share = n / d - ((n % d != 0) && ((n < 0) != (d < 0)));
    return cck_strict_equal(s, share, lb_step_arg_int(s, 0));
}
LB_STEP("each person can eat {int} cucumbers", each_person);
