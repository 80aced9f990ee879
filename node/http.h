/*
 * refnode's HTTP client: OpenSSL libcrypto's HTTP/1.x client
 * (OSSL_HTTP_REQ_CTX, <openssl/http.h>) over non-blocking loopback
 * sockets, driven from the node's select() loop. What lives here is only
 * what the library leaves to its caller: the socket connect, the event
 * loop glue, per-request deadlines, a pool of kept-alive connections per
 * peer and reading the streamed response body (of the length the library
 * parsed from the headers).
 *
 * Concurrent requests to one peer each get a connection (an idle one of
 * the pool, else a new one); a connection that finished its exchange with
 * keep-alive goes back to the pool, and one idle for `idle_ms` closes (so
 * does one the peer closed or wrote to while idle). Only a 200 answer with
 * its whole body is a success. A request that fails on a reused connection
 * before any answer byte arrived (the peer closed it meanwhile) is sent
 * once more on a new connection: refnode's peer requests may be repeated.
 *
 *     struct rn_http *c = rn_http_new(64 << 20, 5000);
 *     rn_http_add_header(c, "X-Rn-From", "127.0.0.1:3000");
 *     rn_http_request(c, "127.0.0.1:3001", "/net/hello", body, len,
 *                     2000, on_done, ud);
 *     loop: rn_http_fdset(c, &r, &w, &max, &timeout); select(...);
 *           rn_http_perform(c, &r, &w);
 *     rn_http_free(c);
 */
#ifndef RN_HTTP_H
#define RN_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>

struct rn_http;

/* The outcome of a request, valid during the callback only. */
struct rn_http_result {
    bool ok;          /* a 200 answer with its whole body */
    bool cancelled;   /* rn_http_free() while in flight: no answer */
    const char *body; /* the body when ok ("" when empty), else NULL */
    size_t len;
    const char *error; /* why not ok, for logs, else NULL */
};

/*
 * Called once per request that started, from rn_http_perform() (or
 * rn_http_free(), as cancelled). It may start new requests.
 */
typedef void (*rn_http_done_fn)(void *ud, const struct rn_http_result *res);

/*
 * A client whose answers are bounded by `max_body` bytes (a longer one
 * fails) and whose idle connections close after `idle_ms`.
 */
struct rn_http *rn_http_new(size_t max_body, int64_t idle_ms);
/* Cancels what is in flight (callbacks say so) and closes everything. */
void rn_http_free(struct rn_http *c);

/* A header sent with every request (copied). Returns 0 or -1. */
int rn_http_add_header(struct rn_http *c, const char *name, const char *value);

/*
 * Starts a request to `addr` ("IPV4:PORT") for `path`: a POST of `body`
 * (taken; application/json) or, with `body` NULL, a GET. It fails with
 * its callback when it has no answer within `timeout_ms` (a connection
 * that is not up within 1 s fails sooner). Returns 0, or -1 when it could
 * not start (bad address, no socket, refused at once): the body is freed
 * and the callback will not run.
 */
int rn_http_request(struct rn_http *c,
                    const char *addr,
                    const char *path,
                    char *body,
                    size_t len,
                    int64_t timeout_ms,
                    rn_http_done_fn fn,
                    void *ud);

/*
 * Adds the descriptors the client waits on to `r` and `w`, raises `*max`
 * to the highest and lowers `*timeout_ms` to its nearest deadline.
 */
void rn_http_fdset(
    struct rn_http *c, fd_set *r, fd_set *w, int *max, int64_t *timeout_ms);
/*
 * Runs what `r`/`w` (as select() left them; NULL: try everything) say is
 * ready, then the deadlines; completed requests call back.
 */
void rn_http_perform(struct rn_http *c, const fd_set *r, const fd_set *w);

/* Connections open (busy + idle), requests in flight, connections opened
 * since the start (for tests and /network/info). */
size_t rn_http_connections(const struct rn_http *c);
size_t rn_http_inflight(const struct rn_http *c);
uint64_t rn_http_opened(const struct rn_http *c);

#endif
