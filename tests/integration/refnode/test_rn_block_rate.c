/*
 * The block rate of a real run matches the theory (slow: about a minute).
 * Two single-node chains, f = 0.5 and f = 0.9, run side by side with 50 ms
 * slots for at least 1000 slots; a node holding all the stake leads a slot
 * with probability 1 − (1 − f)^1 = f, so blocks per slot must be within 3
 * standard deviations of f.
 */
#include "lb_test.h"

#include <math.h>

#include "core/time.h"
#include "rn_harness.h"

static struct rn_h half, most;

static int teardown(void **state)
{
    (void)state;
    rn_h_stop(&half);
    rn_h_stop(&most);
    return 0;
}

static void check(struct rn_h *h, double f)
{
    uint64_t height = 0, slots;
    double rate, sigma;

    assert_true(rn_h_info(h, 0, &height, NULL, NULL));
    slots =
        (uint64_t)(lb_time_wall_ns() / 1000000 - h->c.start_ms) / h->c.slot_ms;
    rate = (double)height / (double)slots;
    sigma = sqrt(f * (1 - f) / (double)slots);
    (void)printf("f=%.2f: %llu blocks in %llu slots = %.4f (3 sigma %.4f)\n",
                 f,
                 (unsigned long long)height,
                 (unsigned long long)slots,
                 rate,
                 3 * sigma);
    assert_true(slots >= 1000);
    if (fabs(rate - f) > 3 * sigma)
        fail_msg("block rate %.4f is off f=%.2f by more than 3 sigma", rate, f);
}

static void test_rn_block_rate_matches_f(void **state)
{
    (void)state;
    rn_h_start(&half, 1, 0, 50, 0.5, "star");
    rn_h_start(&most, 1, 0, 50, 0.9, "star");
    rn_h_sleep_ms(1100 * 50);
    check(&half, 0.5);
    check(&most, 0.9);
    half.ok = most.ok = true;
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_rn_block_rate_matches_f, teardown),
    };
    return cmocka_run_group_tests_name("rn_block_rate", tests, NULL, NULL);
}
