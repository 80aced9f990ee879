/*
 * Test harness for refnode integration tests: real refnode processes on
 * loopback ports found free, configs written under a temp dir, blocking
 * HTTP through libcurl, cleanup of every process on every path (teardown,
 * atexit, and a parent-death signal in each child), node logs printed when
 * a test did not reach its end.
 */
#ifndef RN_HARNESS_H
#define RN_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/buf.h"
#include "devnet.h"

struct rn_h {
    struct rn_cluster c;
    pid_t *pids;
    char root[256];
    char exe[512];
    bool ok; /* set by a test that reached its end: no logs printed */
};

/*
 * Writes configs for `nodes` nodes (the last `executors` of them executors)
 * and starts them all; waits until every node answers. The cluster's chain
 * starts now. Fails the test (cmocka) on any error.
 */
void rn_h_start(struct rn_h *h,
                size_t nodes,
                size_t executors,
                unsigned slot_ms,
                double f,
                const char *layout);

/* Wallets of the clusters started next: `users` with `funds` in `notes`. */
void rn_h_set_wallets(unsigned users, unsigned funds, unsigned notes);

/* Starts node `i` again with its config (after a kill). */
void rn_h_spawn(struct rn_h *h, size_t i);
/* Waits until node `i` answers GET /cryptarchia/info (deadline in ms). */
bool rn_h_wait_ready(struct rn_h *h, size_t i, int timeout_ms);
/* Sends `sig` to node `i` and reaps it; its wait status, -1 if none. */
int rn_h_kill(struct rn_h *h, size_t i, int sig);
/* Stops every node, prints logs unless h->ok, removes the temp dir. */
void rn_h_stop(struct rn_h *h);

/*
 * One request to node `i` on listener `lst` (0 or false: API, 1 or true:
 * testing, 2: network). Returns the
 * HTTP status (0 when the request failed); `out` (may be NULL) gets the
 * body.
 */
long rn_h_http(struct rn_h *h,
               size_t i,
               int lst,
               const char *method,
               const char *path,
               const char *body,
               size_t len,
               struct lb_buf *out);
/* GET returning parsed JSON (new reference) or NULL. */
json_t *rn_h_get_json(struct rn_h *h, size_t i, const char *path);
/* /cryptarchia/info fields; false when the node does not answer. */
bool rn_h_info(
    struct rn_h *h, size_t i, uint64_t *height, char tip[65], char mode[32]);
/* Waits until every node in [0, n) reports height >= `height`. */
bool rn_h_wait_height(struct rn_h *h,
                      size_t n,
                      uint64_t height,
                      int timeout_ms);
/* The chain of node `i` as ids, index = height (genesis at 0). New array. */
json_t *rn_h_chain(struct rn_h *h, size_t i);
void rn_h_sleep_ms(long ms);
/* Whether the file at `path` (a node's log) can be read and holds `needle`. */
bool rn_h_file_contains(const char *path, const char *needle);
/* utime + stime of process `pid` in clock ticks from /proc; 0 if unknown. */
double rn_proc_cpu_ticks(pid_t pid);

#endif
