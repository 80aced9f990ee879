/*
 * refnode's HTTP client (http.h). The HTTP/1.x exchange is OpenSSL's
 * (OSSL_HTTP_set1_request + OSSL_HTTP_REQ_CTX_nbio: the request line and
 * headers, sending, the status line, the response headers, Content-Length
 * and keep-alive); this file connects the sockets, waits on them from the
 * node's loop, keeps the connections and reads the streamed body.
 *
 * Each connection is a non-blocking socket under a buffering BIO: the
 * library reads the response headers line by line with BIO_gets(), which
 * a bare socket BIO does not have (OpenSSL would fall back to a read() per
 * byte), and the request goes out in one write instead of header and body
 * apart.
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/httperr.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"

#define ADDR_MAX 48
/* a connection not up within this fails its request */
#define CONNECT_MS 1000
/* the body is read in steps of this much (more when the length is known) */
#define READ_STEP ((size_t)16384)

struct conn {
    struct conn *next;
    int fd;
    BIO *sock; /* the socket BIO (counts the bytes read) */
    BIO *bio;  /* the buffering BIO on top of it: what the library uses */
    OSSL_HTTP_REQ_CTX *rctx;
    char addr[ADDR_MAX];
    bool busy;
    bool reused; /* finished an exchange before: may have been closed */
    int64_t idle_since;
};

enum state {
    ST_CONNECT,  /* waiting for the non-blocking connect */
    ST_EXCHANGE, /* OSSL_HTTP_REQ_CTX_nbio() until the headers are in */
    ST_BODY,     /* reading the body the library left in the stream */
    ST_DONE
};

struct req {
    struct req *next;
    struct conn *conn;
    enum state state;
    bool want_write;
    bool retried;
    bool ok;
    bool until_eof; /* no length: the body ends with the connection */
    char addr[ADDR_MAX];
    char *path;
    char *body; /* owned, NULL for a GET */
    size_t len;
    size_t want;          /* the body's length from Content-Length */
    uint64_t read_before; /* socket bytes read when the exchange began */
    struct lb_buf resp;
    int64_t deadline, connect_deadline;
    rn_http_done_fn fn;
    void *ud;
    char error[160];
};

struct rn_http {
    struct conn *conns;
    struct req *reqs;
    STACK_OF(CONF_VALUE) * headers;
    size_t max_body;
    int64_t idle_ms;
    size_t n_conns;
    uint64_t opened;
};

static int64_t now_ms(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Why the library failed, for the logs: refnode does not load OpenSSL's
 * error strings (main.c), so the reasons a peer causes are named here.
 */
static const char *http_reason(unsigned long e)
{
    if (ERR_GET_LIB(e) != ERR_LIB_HTTP)
        return NULL;
    switch (ERR_GET_REASON(e)) {
    case HTTP_R_FAILED_READING_DATA:
        return "connection closed or reset";
    case HTTP_R_HEADER_PARSE_ERROR:
    case HTTP_R_RESPONSE_PARSE_ERROR:
        return "not an http answer";
    case HTTP_R_RECEIVED_ERROR:
    case HTTP_R_STATUS_CODE_UNSUPPORTED:
        return "status is not 200";
    case HTTP_R_ERROR_PARSING_CONTENT_LENGTH:
    case HTTP_R_INCONSISTENT_CONTENT_LENGTH:
        return "bad Content-Length";
    case HTTP_R_MAX_RESP_LEN_EXCEEDED:
        return "answer too long";
    case HTTP_R_RESPONSE_LINE_TOO_LONG:
        return "header line too long";
    case HTTP_R_RECEIVED_WRONG_HTTP_VERSION:
        return "not http/1.x";
    default:
        return NULL;
    }
}

static void ssl_error(struct req *q, const char *what)
{
    unsigned long e = ERR_peek_last_error();
    const char *why = http_reason(e);

    if (why != NULL)
        (void)snprintf(q->error, sizeof(q->error), "%s: %s", what, why);
    else
        (void)snprintf(q->error,
                       sizeof(q->error),
                       "%s: openssl error %lu (lib %d, reason %d)",
                       what,
                       e,
                       ERR_GET_LIB(e),
                       ERR_GET_REASON(e));
    ERR_clear_error();
}

/* ---- connections --------------------------------------------------------- */

static void conn_close(struct rn_http *c, struct conn *k)
{
    struct conn **pp;

    for (pp = &c->conns; *pp != NULL; pp = &(*pp)->next)
        if (*pp == k) {
            *pp = k->next;
            break;
        }
    OSSL_HTTP_REQ_CTX_free(k->rctx);
    BIO_free_all(k->bio); /* closes the socket */
    lb_free(k);
    c->n_conns--;
}

static bool
split_addr(const char *addr, struct sockaddr_in *sin, char *host, char *port)
{
    const char *colon = strrchr(addr, ':');
    char *end;
    unsigned long p;

    if (colon == NULL || (size_t)(colon - addr) >= 16)
        return false;
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    p = strtoul(colon + 1, &end, 10);
    if (*end != '\0' || p == 0 || p > 65535)
        return false;
    (void)snprintf(port, 8, "%lu", p);
    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    sin->sin_port = htons((uint16_t)p);
    return inet_pton(AF_INET, host, &sin->sin_addr) == 1;
}

/* A new connection to `addr` (connecting). NULL with `q->error` set. */
static struct conn *conn_open(struct rn_http *c, struct req *q)
{
    struct sockaddr_in sin;
    char host[16], port[8];
    struct conn *k;
    int one = 1, fd;

    if (!split_addr(q->addr, &sin, host, port)) {
        (void)snprintf(q->error, sizeof(q->error), "bad address '%s'", q->addr);
        return NULL;
    }
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || fd >= FD_SETSIZE) {
        (void)snprintf(q->error,
                       sizeof(q->error),
                       "no socket for %s: %s",
                       q->addr,
                       fd < 0 ? strerror(errno) : "too many open");
        if (fd >= 0)
            (void)close(fd);
        return NULL;
    }
    /* the request may go out in more than one write: no Nagle delay */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 &&
        errno != EINPROGRESS)
    {
        (void)snprintf(q->error,
                       sizeof(q->error),
                       "cannot connect to %s: %s",
                       q->addr,
                       strerror(errno));
        (void)close(fd);
        return NULL;
    }
    k = lb_xcalloc(1, sizeof(*k));
    k->fd = fd;
    (void)snprintf(k->addr, sizeof(k->addr), "%s", q->addr);
    k->sock = BIO_new_socket(fd, BIO_CLOSE);
    k->bio = BIO_new(BIO_f_buffer());
    if (k->sock == NULL || k->bio == NULL) {
        if (k->sock != NULL)
            BIO_free(k->sock);
        else
            (void)close(fd);
        BIO_free(k->bio);
        lb_free(k);
        ssl_error(q, "cannot make a socket bio");
        return NULL;
    }
    (void)BIO_push(k->bio, k->sock);
    /*
     * Our own connected BIO for both directions: the library neither
     * resolves nor connects, it talks over what it gets.
     */
    k->rctx = OSSL_HTTP_open(
        host, port, NULL, NULL, 0, k->bio, k->bio, NULL, NULL, 0, 0);
    if (k->rctx == NULL) {
        BIO_free_all(k->bio);
        lb_free(k);
        ssl_error(q, "cannot open an http context");
        return NULL;
    }
    k->busy = true;
    k->next = c->conns;
    c->conns = k;
    c->n_conns++;
    c->opened++;
    return k;
}

/* An idle connection to `addr` that the peer has not closed, or NULL. */
static struct conn *conn_idle(struct rn_http *c, const char *addr)
{
    struct conn *k, *next;

    for (k = c->conns; k != NULL; k = next) {
        char b;
        ssize_t got;

        next = k->next;
        if (k->busy || strcmp(k->addr, addr) != 0)
            continue;
        /*
         * An idle connection must have nothing to read: EOF is a peer
         * that closed it, bytes would be garbage.
         */
        got = recv(k->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return k;
        conn_close(c, k);
    }
    return NULL;
}

/* ---- requests ------------------------------------------------------------ */

/* Hands the request to its connection's context (a new one when none). */
static bool req_begin(struct rn_http *c, struct req *q, bool fresh)
{
    struct conn *k = fresh ? NULL : conn_idle(c, q->addr);
    BIO *body = NULL;
    int ok;

    if (k == NULL) {
        k = conn_open(c, q);
        if (k == NULL)
            return false;
        q->state = ST_CONNECT;
    } else {
        k->busy = true;
        q->state = ST_EXCHANGE;
    }
    q->conn = k;
    q->want_write = true;
    q->read_before = BIO_number_read(k->sock);
    if (q->body != NULL)
        body = BIO_new_mem_buf(q->body, (int)q->len);
    /* keep-alive 1: asked for, and the answer says whether it holds */
    ok = (q->body == NULL || body != NULL) &&
         OSSL_HTTP_set1_request(k->rctx,
                                q->path,
                                c->headers,
                                q->body != NULL ? "application/json" : NULL,
                                body,
                                NULL,
                                0,
                                c->max_body,
                                0,
                                1) == 1;
    BIO_free(body); /* the context holds its own reference */
    if (!ok) {
        ssl_error(q, "cannot set up the request");
        conn_close(c, k);
        q->conn = NULL;
        return false;
    }
    return true;
}

static void req_finish(struct rn_http *c, struct req *q, bool ok)
{
    struct conn *k = q->conn;

    q->ok = ok;
    q->state = ST_DONE;
    q->conn = NULL;
    if (k == NULL)
        return;
    if (ok && !q->until_eof && OSSL_HTTP_is_alive(k->rctx) &&
        BIO_pending(k->bio) == 0)
    {
        k->busy = false;
        k->reused = true;
        k->idle_since = now_ms();
    } else {
        conn_close(c, k);
    }
}

/*
 * A failure on a reused connection before the peer sent a byte is the
 * peer closing it as we sent: once more on a new connection.
 */
static void req_fail(struct rn_http *c, struct req *q)
{
    struct conn *k = q->conn;

    if (k != NULL && k->reused && !q->retried &&
        BIO_number_read(k->sock) == q->read_before)
    {
        q->retried = true;
        conn_close(c, k);
        q->conn = NULL;
        lb_buf_reset(&q->resp);
        q->error[0] = '\0';
        ERR_clear_error();
        if (req_begin(c, q, true))
            return;
    }
    req_finish(c, q, false);
}

/* Reads what the stream has of the body; true when it is complete. */
static bool read_body(struct rn_http *c, struct req *q)
{
    struct conn *k = q->conn;

    for (;;) {
        size_t room;
        int got;

        if (!q->until_eof && q->resp.len >= q->want)
            return true;
        room = q->until_eof ? READ_STEP : q->want - q->resp.len;
        if (room > READ_STEP * 4)
            room = READ_STEP * 4;
        if (q->resp.len + room > c->max_body + 1)
            room = c->max_body + 1 - q->resp.len;
        if (lb_buf_grow(&q->resp, room) != 0) {
            (void)snprintf(q->error, sizeof(q->error), "out of memory");
            req_finish(c, q, false);
            return false;
        }
        got = BIO_read(k->bio, q->resp.ptr + q->resp.len, (int)room);
        if (got > 0) {
            lb_buf_setlen(&q->resp, q->resp.len + (size_t)got);
            if (q->resp.len > c->max_body) {
                (void)snprintf(q->error,
                               sizeof(q->error),
                               "answer of %s over %zu bytes",
                               q->addr,
                               c->max_body);
                req_finish(c, q, false);
                return false;
            }
            continue;
        }
        if (BIO_should_retry(k->bio)) {
            q->want_write = false;
            return false;
        }
        if (q->until_eof && got == 0)
            return true;
        (void)snprintf(q->error,
                       sizeof(q->error),
                       "answer of %s cut at %zu of %zu bytes",
                       q->addr,
                       q->resp.len,
                       q->want);
        req_finish(c, q, false);
        return false;
    }
}

/* Drives one request as far as its socket allows. */
static void req_step(struct rn_http *c, struct req *q)
{
    struct conn *k = q->conn;

    if (q->state == ST_CONNECT) {
        int err = 0;
        socklen_t l = sizeof(err);

        if (getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &err, &l) != 0)
            err = errno;
        if (err != 0) {
            (void)snprintf(q->error,
                           sizeof(q->error),
                           "cannot connect to %s: %s",
                           q->addr,
                           strerror(err));
            req_finish(c, q, false);
            return;
        }
        q->state = ST_EXCHANGE;
    }
    if (q->state == ST_EXCHANGE) {
        int rc = OSSL_HTTP_REQ_CTX_nbio(k->rctx);
        BIO *mem;

        if (rc == -1) {
            q->want_write = BIO_should_write(k->bio) != 0;
            return;
        }
        if (rc != 1) {
            ssl_error(q, q->path);
            req_fail(c, q);
            return;
        }
        /*
         * The headers are in (status 200, Content-Length checked against
         * max_body): the body follows in the stream. Without a length on
         * a connection that stays open the body is empty; without one on
         * a closing connection it runs to the end.
         */
        q->want = OSSL_HTTP_REQ_CTX_get_resp_len(k->rctx);
        q->until_eof = q->want == 0 && !OSSL_HTTP_is_alive(k->rctx);
        q->state = ST_BODY;
        /* whatever the library read past the headers is the body's start */
        mem = OSSL_HTTP_REQ_CTX_get0_mem_bio(k->rctx);
        if (mem != NULL && BIO_pending(mem) > 0) {
            char chunk[4096];
            int got;

            while ((got = BIO_read(mem, chunk, sizeof(chunk))) > 0)
                if (lb_buf_add(&q->resp, chunk, (size_t)got) != 0)
                    break;
        }
    }
    if (q->state == ST_BODY && read_body(c, q))
        req_finish(c, q, true);
}

int rn_http_request(struct rn_http *c,
                    const char *addr,
                    const char *path,
                    char *body,
                    size_t len,
                    int64_t timeout_ms,
                    rn_http_done_fn fn,
                    void *ud)
{
    struct req *q = lb_xcalloc(1, sizeof(*q));
    int64_t now = now_ms();

    (void)snprintf(q->addr, sizeof(q->addr), "%s", addr);
    q->path = lb_xstrdup(path);
    q->body = body;
    q->len = len;
    lb_buf_init(&q->resp, 0); /* an empty body is "", not NULL */
    q->resp.max = c->max_body + 1;
    q->deadline = now + timeout_ms;
    q->connect_deadline =
        now + (timeout_ms < CONNECT_MS ? timeout_ms : CONNECT_MS);
    q->fn = fn;
    q->ud = ud;
    if (strlen(addr) >= sizeof(q->addr) || !req_begin(c, q, false)) {
        lb_free(q->path);
        lb_free(q->body);
        lb_free(q);
        ERR_clear_error();
        return -1;
    }
    q->next = c->reqs;
    c->reqs = q;
    return 0;
}

static void req_free(struct req *q)
{
    lb_buf_release(&q->resp);
    lb_free(q->path);
    lb_free(q->body);
    lb_free(q);
}

static void call_back(struct req *q, bool cancelled)
{
    struct rn_http_result res;

    memset(&res, 0, sizeof(res));
    res.ok = q->ok && !cancelled;
    res.cancelled = cancelled;
    if (res.ok) {
        res.body = q->resp.ptr;
        res.len = q->resp.len;
    } else {
        res.error = cancelled             ? "cancelled"
                    : q->error[0] != '\0' ? q->error
                                          : "failed";
    }
    q->fn(q->ud, &res);
}

/* ---- the loop ------------------------------------------------------------ */

void rn_http_fdset(
    struct rn_http *c, fd_set *r, fd_set *w, int *max, int64_t *timeout_ms)
{
    int64_t now = now_ms(), wait;
    struct conn *k;
    struct req *q;

    for (q = c->reqs; q != NULL; q = q->next) {
        int64_t until =
            q->state == ST_CONNECT && q->connect_deadline < q->deadline
                ? q->connect_deadline
                : q->deadline;

        if (q->conn == NULL)
            continue;
        FD_SET(q->conn->fd, q->want_write ? w : r);
        if (q->conn->fd > *max)
            *max = q->conn->fd;
        wait = until - now;
        if (wait < *timeout_ms)
            *timeout_ms = wait < 0 ? 0 : wait;
    }
    for (k = c->conns; k != NULL; k = k->next) {
        if (k->busy)
            continue;
        /* readable while idle: closed by the peer (or garbage) */
        FD_SET(k->fd, r);
        if (k->fd > *max)
            *max = k->fd;
        wait = k->idle_since + c->idle_ms - now;
        if (wait < *timeout_ms)
            *timeout_ms = wait < 0 ? 0 : wait;
    }
}

void rn_http_perform(struct rn_http *c, const fd_set *r, const fd_set *w)
{
    struct req *q, **pp, *done = NULL;
    struct conn *k, *next;
    int64_t now;

    /* idle connections the peer closed or that idled out */
    now = now_ms();
    for (k = c->conns; k != NULL; k = next) {
        next = k->next;
        if (!k->busy && ((r != NULL && FD_ISSET(k->fd, r)) ||
                         now - k->idle_since >= c->idle_ms))
            conn_close(c, k);
    }
    for (q = c->reqs; q != NULL; q = q->next) {
        const fd_set *ready = q->want_write ? w : r;

        if (q->state == ST_DONE || q->conn == NULL)
            continue;
        if (ready == NULL || FD_ISSET(q->conn->fd, ready))
            req_step(c, q);
    }
    now = now_ms();
    for (q = c->reqs; q != NULL; q = q->next) {
        if (q->state == ST_DONE)
            continue;
        if (now >= q->deadline ||
            (q->state == ST_CONNECT && now >= q->connect_deadline))
        {
            (void)snprintf(q->error,
                           sizeof(q->error),
                           "%s: timed out (%s)",
                           q->path,
                           q->state == ST_CONNECT ? "connecting" : "no answer");
            req_finish(c, q, false);
        }
    }
    /* unlink the finished ones first: callbacks may start requests */
    for (pp = &c->reqs; *pp != NULL;) {
        q = *pp;
        if (q->state == ST_DONE) {
            *pp = q->next;
            q->next = done;
            done = q;
        } else {
            pp = &q->next;
        }
    }
    while (done != NULL) {
        q = done;
        done = q->next;
        call_back(q, false);
        req_free(q);
    }
}

/* ---- setup --------------------------------------------------------------- */

struct rn_http *rn_http_new(size_t max_body, int64_t idle_ms)
{
    struct rn_http *c = lb_xcalloc(1, sizeof(*c));

    c->max_body = max_body;
    c->idle_ms = idle_ms;
    return c;
}

int rn_http_add_header(struct rn_http *c, const char *name, const char *value)
{
    return X509V3_add_value(name, value, &c->headers) == 1 ? 0 : -1;
}

void rn_http_free(struct rn_http *c)
{
    struct req *q;

    if (c == NULL)
        return;
    while ((q = c->reqs) != NULL) {
        c->reqs = q->next;
        if (q->conn != NULL)
            conn_close(c, q->conn);
        call_back(q, true);
        req_free(q);
    }
    while (c->conns != NULL)
        conn_close(c, c->conns);
    sk_CONF_VALUE_pop_free(c->headers, X509V3_conf_free);
    lb_free(c);
}

size_t rn_http_connections(const struct rn_http *c)
{
    return c->n_conns;
}

size_t rn_http_inflight(const struct rn_http *c)
{
    size_t n = 0;
    const struct req *q;

    for (q = c->reqs; q != NULL; q = q->next)
        n++;
    return n;
}

uint64_t rn_http_opened(const struct rn_http *c)
{
    return c->opened;
}
