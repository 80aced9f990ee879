/*
 * Asynchronous HTTP on a libuv loop: libcurl's multi-socket interface bridged
 * to the loop as in curl's docs/examples/multi-uv.c (one uv_poll_t per
 * socket, one uv_timer_t for curl's timeouts, completions drained with
 * curl_multi_info_read). Nothing here blocks.
 *
 * Lifecycle: lb_http_init() on a loop the caller owns, any number of
 * lb_http_request() calls, then lb_http_close(): pending requests complete
 * with LB_EINTR, the handles close, and the caller runs the loop until
 * `close_cb` (or the loop is dry) before freeing the struct.
 */
#ifndef LB_NET_HTTP_H
#define LB_NET_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>
#include <uv.h>

#include "core/buf.h"
#include "core/error.h"

struct lb_http;
struct lb_http_call;
struct lb__http_sock;

/* What a finished request produced; borrowed for the callback only. */
struct lb_http_result {
    int code;    /* 0 when a response arrived (any status), else LB_E* */
    long status; /* HTTP status, 0 when none */
    struct lb_buf *body; /* response body (capped at the request's max) */
    const char *error;   /* "" or what failed: curl's text, "timed out", ... */
    double seconds;      /* total time of the transfer */
};

typedef void (*lb_http_done_cb)(void *data, const struct lb_http_result *res);
typedef void (*lb_http_close_cb)(struct lb_http *http);

struct lb_http_request {
    const char *method; /* "GET" or "POST" */
    const char *url;    /* copied */
    const char *body;   /* POST body, copied; NULL for none */
    size_t body_len;
    const char *content_type; /* default "application/json" with a body */
    long timeout_ms;          /* whole transfer; 0 = 10 s */
    size_t max_body;          /* response cap; 0 = 16 MiB */
};

struct lb_http {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer;
    struct lb_http_call *calls;  /* in flight, doubly linked */
    struct lb__http_sock *socks; /* polls not yet closed */
    size_t in_flight;
    int closing;
    int handles_open; /* the timer and the polls still to be closed */
    lb_http_close_cb close_cb;
};

/* Initialises the bridge on `loop` (borrowed; must outlive the bridge). */
int lb_http_init(struct lb_http *http, uv_loop_t *loop, struct lb_error *err);

/*
 * Starts a request; `cb(data, result)` is called exactly once, from the
 * loop (never from inside this call). Returns the call (owned by the bridge,
 * valid until `cb` runs) or NULL with `err` set when the request could not
 * be started.
 */
struct lb_http_call *lb_http_request(struct lb_http *http,
                                     const struct lb_http_request *req,
                                     lb_http_done_cb cb,
                                     void *data,
                                     struct lb_error *err);

/* Cancels a call: its callback is not called. */
void lb_http_cancel(struct lb_http_call *call);

/*
 * Completes every pending request with LB_EINTR, stops accepting new ones
 * and closes the handles; `cb` (may be NULL) runs once all are closed.
 * Not from inside a request callback: call it from the code that drives the
 * loop.
 */
void lb_http_close(struct lb_http *http, lb_http_close_cb cb);

/* True once lb_http_close() has finished closing every handle. */
bool lb_http_closed(const struct lb_http *http);

#endif
