/*
 * Top-level drivers of a run's loop. The lifecycle is written as a sequence
 * of phases; each phase starts asynchronous work and lets the loop run until
 * that work reports completion, so workloads, the block feed and HTTP calls
 * started earlier keep running concurrently on the same loop.
 */
#include "net/loop.h"

#include "core/error.h"

int lb_loop_run_until(uv_loop_t *loop, const bool *done, const bool *stop)
{
    while (!*done) {
        if (stop && *stop)
            return LB_EINTR;
        if (uv_run(loop, UV_RUN_ONCE) == 0 && !*done) {
            if (stop && *stop)
                return LB_EINTR;
            return LB_ESTATE;
        }
    }
    return 0;
}

struct sleeper {
    uv_timer_t timer;
    bool fired;
    bool closed;
};

static void sleeper_fire(uv_timer_t *t)
{
    ((struct sleeper *)t)->fired = true;
}

static void sleeper_closed(uv_handle_t *h)
{
    ((struct sleeper *)h)->closed = true;
}

int lb_loop_sleep(uv_loop_t *loop, uint64_t ms, const bool *stop)
{
    struct sleeper s = {.fired = false, .closed = false};
    int rc;

    uv_timer_init(loop, &s.timer);
    uv_timer_start(&s.timer, sleeper_fire, ms, 0);
    rc = lb_loop_run_until(loop, &s.fired, stop);
    uv_close((uv_handle_t *)&s.timer, sleeper_closed);
    /* the timer lives on this stack frame: wait for its close callback */
    while (!s.closed)
        uv_run(loop, UV_RUN_ONCE);
    return rc == LB_ESTATE ? 0 : rc;
}

static void close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

int lb_loop_teardown(uv_loop_t *loop)
{
    uv_walk(loop, close_walk, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    return uv_loop_close(loop);
}
