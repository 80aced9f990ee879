/* CCK sample rules: rules.ts in C. */
#include <stdlib.h>

#include <logos_bdd/step.h>

struct shop {
    long long money;
    int stock;          /* chocolate bars */
    bool got_chocolate; /* this.chocolate */
};

static struct shop *shop(struct lb_step *s)
{
    struct shop *sh = lb_world_get(s, "shop");
    if (sh == NULL) {
        sh = calloc(1, sizeof(*sh));
        lb_world_set(s, "shop", sh, free);
    }
    return sh;
}

static int has_cents(struct lb_step *s)
{
    shop(s)->money = lb_step_arg_int(s, 0);
    return 0;
}
LB_STEP("the customer has {int} cents", has_cents);

static int in_stock(struct lb_step *s)
{
    shop(s)->stock = 1;
    return 0;
}
LB_STEP("there are chocolate bars in stock", in_stock);

static int none_in_stock(struct lb_step *s)
{
    shop(s)->stock = 0;
    return 0;
}
LB_STEP("there are no chocolate bars in stock", none_in_stock);

static int tries_to_buy(struct lb_step *s)
{
    struct shop *sh = shop(s);
    if (sh->money >= lb_step_arg_int(s, 0) && sh->stock > 0) {
        sh->stock--;
        sh->got_chocolate = true;
    }
    return 0;
}
LB_STEP("the customer tries to buy a {int} cent chocolate bar", tries_to_buy);

static int sale_not_happen(struct lb_step *s)
{
    return shop(s)->got_chocolate ? lb_step_fail(s, "a sale happened") : 0;
}
LB_STEP("the sale should not happen", sale_not_happen);

static int sale_happen(struct lb_step *s)
{
    return shop(s)->got_chocolate ? 0 : lb_step_fail(s, "no sale happened");
}
LB_STEP("the sale should happen", sale_happen);
