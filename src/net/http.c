/*
 * The curl-multi ↔ libuv bridge, in the shape of curl's
 * docs/examples/multi-uv.c, with allocation checks, a closable timer and
 * calls that can be cancelled or aborted at teardown.
 */
#include "net/http.h"

#include <string.h>

#include "core/alloc.h"
#include "core/str.h"

#define DEFAULT_TIMEOUT_MS 10000L
#define DEFAULT_MAX_BODY   ((size_t)16 << 20)

struct lb_http_call {
    struct lb_http *http;
    struct lb_http_call *prev, *next;
    CURL *easy;
    struct curl_slist *headers;
    char *url;
    char *body;
    struct lb_buf resp;
    char errbuf[CURL_ERROR_SIZE];
    lb_http_done_cb cb;
    void *data;
    int too_big;
};

/* One per socket curl watches; freed in the poll's close callback. */
struct lb__http_sock {
    uv_poll_t poll;
    struct lb_http *http;
    curl_socket_t fd;
    struct lb__http_sock *prev, *next; /* not yet closed */
};

static void sock_unlink(struct lb__http_sock *ctx)
{
    struct lb_http *http = ctx->http;
    if (ctx->prev)
        ctx->prev->next = ctx->next;
    else
        http->socks = ctx->next;
    if (ctx->next)
        ctx->next->prev = ctx->prev;
    ctx->prev = ctx->next = NULL;
}

static void handle_closed(struct lb_http *http)
{
    http->handles_open--;
    if (http->closing && http->handles_open == 0 && http->close_cb)
        http->close_cb(http);
}

static void timer_closed(uv_handle_t *h)
{
    struct lb_http *http =
        (struct lb_http *)((char *)h - offsetof(struct lb_http, timer));
    handle_closed(http);
}

static void sock_closed(uv_handle_t *h)
{
    struct lb__http_sock *ctx = (struct lb__http_sock *)h;
    struct lb_http *http = ctx->http;
    lb_free(ctx);
    handle_closed(http);
}

static void unlink_call(struct lb_http_call *c)
{
    struct lb_http *http = c->http;
    if (c->prev)
        c->prev->next = c->next;
    else
        http->calls = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    http->in_flight--;
}

static void free_call(struct lb_http_call *c)
{
    if (c->easy) {
        curl_multi_remove_handle(c->http->multi, c->easy);
        curl_easy_cleanup(c->easy);
    }
    curl_slist_free_all(c->headers);
    lb_free(c->url);
    lb_free(c->body);
    lb_buf_release(&c->resp);
    lb_free(c);
}

static void finish_call(struct lb_http_call *c, CURLcode rc)
{
    struct lb_http_result res = {0};
    long status = 0;
    double secs = 0;

    unlink_call(c);
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c->easy, CURLINFO_TOTAL_TIME, &secs);
    res.status = status;
    res.body = &c->resp;
    res.seconds = secs;
    res.error = "";
    if (c->too_big) {
        res.code = LB_ETOOBIG;
        res.error = "response body too large";
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        res.code = LB_ETIMEOUT;
        res.error = c->errbuf[0] ? c->errbuf : "timed out";
    } else if (rc != CURLE_OK) {
        res.code = LB_EHTTP;
        res.error = c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc);
    }
    if (c->cb)
        c->cb(c->data, &res);
    free_call(c);
}

static void check_multi_info(struct lb_http *http)
{
    CURLMsg *msg;
    int pending;

    while ((msg = curl_multi_info_read(http->multi, &pending)) != NULL) {
        struct lb_http_call *c = NULL;
        if (msg->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
        if (c)
            finish_call(c, msg->data.result);
    }
}

static void on_poll(uv_poll_t *poll, int status, int events)
{
    struct lb__http_sock *ctx = (struct lb__http_sock *)poll;
    struct lb_http *http = ctx->http;
    int running;
    int flags = 0;

    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (!status && (events & UV_READABLE))
        flags |= CURL_CSELECT_IN;
    if (!status && (events & UV_WRITABLE))
        flags |= CURL_CSELECT_OUT;
    curl_multi_socket_action(http->multi, ctx->fd, flags, &running);
    check_multi_info(http);
}

static void on_timeout(uv_timer_t *t)
{
    struct lb_http *http =
        (struct lb_http *)((char *)t - offsetof(struct lb_http, timer));
    int running;
    curl_multi_socket_action(http->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_multi_info(http);
}

static int start_timeout(CURLM *multi, long timeout_ms, void *userp)
{
    struct lb_http *http = userp;
    (void)multi;
    if (http->closing)
        return 0;
    if (timeout_ms < 0) {
        uv_timer_stop(&http->timer);
        return 0;
    }
    /* 0 means "now": still go through the loop, as multi-uv.c does */
    if (timeout_ms == 0)
        timeout_ms = 1;
    uv_timer_start(&http->timer, on_timeout, (uint64_t)timeout_ms, 0);
    return 0;
}

static int handle_socket(
    CURL *easy, curl_socket_t s, int action, void *userp, void *socketp)
{
    struct lb_http *http = userp;
    struct lb__http_sock *ctx = socketp;
    int events = 0;
    (void)easy;

    switch (action) {
    case CURL_POLL_IN:
    case CURL_POLL_OUT:
    case CURL_POLL_INOUT:
        if (!ctx) {
            ctx = lb_malloc(sizeof(*ctx));
            if (!ctx)
                return -1;
            ctx->http = http;
            ctx->fd = s;
            ctx->prev = NULL;
            ctx->next = http->socks;
            if (uv_poll_init_socket(http->loop, &ctx->poll, s) != 0) {
                lb_free(ctx);
                return -1;
            }
            http->handles_open++;
            if (http->socks)
                http->socks->prev = ctx;
            http->socks = ctx;
            curl_multi_assign(http->multi, s, ctx);
        }
        if (action != CURL_POLL_IN)
            events |= UV_WRITABLE;
        if (action != CURL_POLL_OUT)
            events |= UV_READABLE;
        uv_poll_start(&ctx->poll, events, on_poll);
        break;
    case CURL_POLL_REMOVE:
        if (ctx) {
            sock_unlink(ctx);
            uv_poll_stop(&ctx->poll);
            uv_close((uv_handle_t *)&ctx->poll, sock_closed);
            curl_multi_assign(http->multi, s, NULL);
        }
        break;
    default:
        break;
    }
    return 0;
}

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct lb_http_call *c = userdata;
    size_t n = size * nmemb;
    if (lb_buf_add(&c->resp, ptr, n) != 0) {
        c->too_big = 1;
        return 0;
    }
    return n;
}

int lb_http_init(struct lb_http *http, uv_loop_t *loop, struct lb_error *err)
{
    static int global_done;

    memset(http, 0, sizeof(*http));
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
            return lb_error_set(err, LB_EHTTP, "curl_global_init failed");
        global_done = 1;
    }
    http->loop = loop;
    http->multi = curl_multi_init();
    if (!http->multi)
        return lb_error_set(err, LB_ENOMEM, "curl_multi_init failed");
    if (uv_timer_init(loop, &http->timer) != 0) {
        curl_multi_cleanup(http->multi);
        http->multi = NULL;
        return lb_error_set(err, LB_EINVAL, "uv_timer_init failed");
    }
    http->handles_open = 1;
    curl_multi_setopt(http->multi, CURLMOPT_SOCKETFUNCTION, handle_socket);
    curl_multi_setopt(http->multi, CURLMOPT_SOCKETDATA, http);
    curl_multi_setopt(http->multi, CURLMOPT_TIMERFUNCTION, start_timeout);
    curl_multi_setopt(http->multi, CURLMOPT_TIMERDATA, http);
    /* many nodes on one host: allow enough parallel connections to each */
    curl_multi_setopt(http->multi, CURLMOPT_MAXCONNECTS, 256L);
    return 0;
}

struct lb_http_call *lb_http_request(struct lb_http *http,
                                     const struct lb_http_request *req,
                                     lb_http_done_cb cb,
                                     void *data,
                                     struct lb_error *err)
{
    struct lb_http_call *c;
    CURL *e;

    if (http->closing || !http->multi) {
        lb_error_set(err,
                     LB_ESTATE,
                     "%s %s: http client is closed",
                     req->method,
                     req->url);
        return NULL;
    }
    c = lb_xcalloc(1, sizeof(*c));
    c->http = http;
    c->cb = cb;
    c->data = data;
    c->url = lb_xstrdup(req->url);
    lb_buf_init(&c->resp, 0);
    c->resp.max = req->max_body ? req->max_body : DEFAULT_MAX_BODY;
    e = c->easy = curl_easy_init();
    if (!e) {
        free_call(c);
        lb_error_set(err, LB_ENOMEM, "curl_easy_init failed");
        return NULL;
    }
    curl_easy_setopt(e, CURLOPT_URL, c->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)c);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e,
                     CURLOPT_TIMEOUT_MS,
                     req->timeout_ms > 0 ? req->timeout_ms
                                         : DEFAULT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    /* nodes live on loopback: never go through a proxy from the env */
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    if (strcmp(req->method, "GET") != 0) {
        char ct[128];
        const char *body = req->body ? req->body : "";
        size_t len = req->body ? req->body_len : 0;
        c->body = lb_xmalloc(len + 1);
        memcpy(c->body, body, len);
        c->body[len] = '\0';
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)len);
        if (lb_format(ct,
                      sizeof(ct),
                      "Content-Type: %s",
                      req->content_type ? req->content_type
                                        : "application/json") != 0)
        {
            free_call(c);
            lb_error_set(err, LB_EINVAL, "content type too long");
            return NULL;
        }
        c->headers = curl_slist_append(NULL, ct);
        /* libmicrohttpd and friends: no 100-continue round trip */
        c->headers = curl_slist_append(c->headers, "Expect:");
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->headers);
    }
    c->next = http->calls;
    if (http->calls)
        http->calls->prev = c;
    http->calls = c;
    http->in_flight++;
    if (curl_multi_add_handle(http->multi, e) != CURLM_OK) {
        unlink_call(c);
        free_call(c);
        lb_error_set(err,
                     LB_EHTTP,
                     "%s %s: curl_multi_add_handle failed",
                     req->method,
                     req->url);
        return NULL;
    }
    return c;
}

void lb_http_cancel(struct lb_http_call *call)
{
    if (!call)
        return;
    unlink_call(call);
    free_call(call);
}

void lb_http_close(struct lb_http *http, lb_http_close_cb cb)
{
    if (http->closing)
        return;
    http->close_cb = cb;
    /* abort what is in flight: callbacks see LB_EINTR */
    while (http->calls) {
        struct lb_http_call *c = http->calls;
        struct lb_http_result res = {0};
        unlink_call(c);
        res.code = LB_EINTR;
        res.body = &c->resp;
        res.error = "aborted: the run is shutting down";
        if (c->cb)
            c->cb(c->data, &res);
        free_call(c);
    }
    http->closing = 1;
    uv_timer_stop(&http->timer);
    uv_close((uv_handle_t *)&http->timer, timer_closed);
    /* removing the last easy handles made curl drop its sockets; the
     * connection cache still holds some: cleanup closes them, and their
     * CURL_POLL_REMOVE closes our polls */
    curl_multi_cleanup(http->multi);
    http->multi = NULL;
    while (http->socks) {
        struct lb__http_sock *ctx = http->socks;
        sock_unlink(ctx);
        uv_poll_stop(&ctx->poll);
        uv_close((uv_handle_t *)&ctx->poll, sock_closed);
    }
}

bool lb_http_closed(const struct lb_http *http)
{
    return http->closing && http->handles_open == 0;
}
