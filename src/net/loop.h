/*
 * Helpers for code that drives a run's libuv loop from the top (the
 * lifecycle), never from inside a callback: run the loop until a flag is
 * set, sleep on the loop while other handles keep working, and close every
 * handle at teardown.
 */
#ifndef LB_NET_LOOP_H
#define LB_NET_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

/*
 * Runs `loop` one iteration at a time until `*done` is true (0), `*stop`
 * (may be NULL) becomes true (LB_EINTR), or the loop has nothing left to
 * run (LB_ESTATE). Not reentrant: never call it from a loop callback.
 */
int lb_loop_run_until(uv_loop_t *loop, const bool *done, const bool *stop);

/*
 * Waits `ms` milliseconds on the loop (other handles keep running); 0, or
 * LB_EINTR as soon as `*stop` (may be NULL) becomes true.
 */
int lb_loop_sleep(uv_loop_t *loop, uint64_t ms, const bool *stop);

/*
 * Closes every handle still open on `loop`, runs it dry and closes it;
 * returns uv_loop_close()'s result (0 when nothing leaked).
 */
int lb_loop_teardown(uv_loop_t *loop);

#endif
