/*
 * refnode's HTTP client (node/http.c, OpenSSL's HTTP client under the
 * node's select loop) against real servers on loopback: a libmicrohttpd
 * daemon as refnode's peers run, and raw sockets playing broken peers
 * (garbage, a cut answer, a peer that never answers, one that closes a
 * kept-alive connection as the next request goes out).
 */
#include "lb_test.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

static int64_t mono_ms(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the libmicrohttpd peer ---------------------------------------------- */

static atomic_int mhd_conns;

static void on_conn(void *cls,
                    struct MHD_Connection *c,
                    void **socket_context,
                    enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)c;
    (void)socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&mhd_conns, 1);
}

static void on_completed(void *cls,
                         struct MHD_Connection *c,
                         void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    free(*con_cls);
    *con_cls = NULL;
}

static enum MHD_Result reply(struct MHD_Connection *c,
                             unsigned status,
                             const char *type,
                             const char *body,
                             size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, (void *)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result rc;

    (void)MHD_add_response_header(r, "Content-Type", type);
    rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

/*
 * /echo: {"method", "len" (of the body), "from" (X-Rn-From)};
 * /big?n=N: N bytes; /missing: 404.
 */
static enum MHD_Result on_request(void *cls,
                                  struct MHD_Connection *c,
                                  const char *url,
                                  const char *method,
                                  const char *version,
                                  const char *upload,
                                  size_t *upload_size,
                                  void **con_cls)
{
    size_t *got = *con_cls;

    (void)cls;
    (void)version;
    (void)upload;
    if (got == NULL) {
        *con_cls = got = calloc(1, sizeof(*got));
        return got != NULL ? MHD_YES : MHD_NO;
    }
    if (*upload_size > 0) {
        *got += *upload_size;
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(url, "/echo") == 0) {
        const char *from =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Rn-From");
        json_t *j = json_pack("{s:s, s:I, s:s?}",
                              "method",
                              method,
                              "len",
                              (json_int_t)*got,
                              "from",
                              from);
        char *s = json_dumps(j, JSON_COMPACT);
        enum MHD_Result rc = reply(c, 200, "application/json", s, strlen(s));

        free(s);
        json_decref(j);
        return rc;
    }
    if (strcmp(url, "/big") == 0) {
        const char *n_s =
            MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "n");
        size_t n = n_s != NULL ? strtoul(n_s, NULL, 10) : 0;
        char *body = malloc(n + 1);
        enum MHD_Result rc;

        memset(body, 'x', n);
        rc = reply(c, 200, "text/plain", body, n);
        free(body);
        return rc;
    }
    return reply(c, 404, "text/plain", "no such thing", 13);
}

static struct MHD_Daemon *mhd_start(unsigned idle_timeout_s, unsigned *port)
{
    struct sockaddr_in sin;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD,
                         0,
                         NULL,
                         NULL,
                         on_request,
                         NULL,
                         MHD_OPTION_SOCK_ADDR,
                         &sin,
                         MHD_OPTION_NOTIFY_COMPLETED,
                         on_completed,
                         NULL,
                         MHD_OPTION_NOTIFY_CONNECTION,
                         on_conn,
                         NULL,
                         MHD_OPTION_CONNECTION_TIMEOUT,
                         idle_timeout_s,
                         MHD_OPTION_END);
    assert_non_null(d);
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    *port = info->port;
    atomic_store(&mhd_conns, 0);
    return d;
}

/* ---- raw peers ----------------------------------------------------------- */

static int listen_any(unsigned *port)
{
    struct sockaddr_in sin;
    socklen_t l = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    assert_int_equal(listen(fd, 16), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &l), 0);
    *port = ntohs(sin.sin_port);
    return fd;
}

/* A raw peer: on its i-th connection, `script[i]` (NULL: close at once). */
struct raw {
    int lfd;
    unsigned port;
    const char *script[4];
    int n;
    pthread_t th;
};

/* Reads one request (headers and a Content-Length body); false on EOF. */
static bool read_request(int fd)
{
    char buf[8192];
    size_t have = 0;

    for (;;) {
        ssize_t got = read(fd, buf + have, sizeof(buf) - 1 - have);
        char *end, *cl;

        if (got <= 0)
            return false;
        have += (size_t)got;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (end == NULL)
            continue;
        cl = strstr(buf, "Content-Length: ");
        if (cl == NULL ||
            have >= (size_t)(end + 4 - buf) + strtoul(cl + 16, NULL, 10))
            return true;
    }
}

/*
 * Script steps, each answering one request on the connection: the text
 * is written as is; "|" separates requests, a trailing "|" means: read
 * the next request, then close without an answer.
 */
static void *raw_main(void *arg)
{
    struct raw *rw = arg;
    int i;

    for (i = 0; i < rw->n; i++) {
        int fd = accept(rw->lfd, NULL, NULL);
        const char *s = rw->script[i];

        if (fd < 0)
            break;
        while (s != NULL) {
            const char *bar = strchr(s, '|');
            size_t len = bar != NULL ? (size_t)(bar - s) : strlen(s);

            if (!read_request(fd))
                break;
            if (len > 0 && write(fd, s, len) != (ssize_t)len)
                break;
            s = bar != NULL ? bar + 1 : NULL;
        }
        (void)close(fd);
    }
    return NULL;
}

static void raw_start(struct raw *rw)
{
    rw->lfd = listen_any(&rw->port);
    assert_int_equal(pthread_create(&rw->th, NULL, raw_main, rw), 0);
}

static void raw_stop(struct raw *rw)
{
    (void)shutdown(rw->lfd, SHUT_RDWR);
    (void)pthread_join(rw->th, NULL);
    (void)close(rw->lfd);
}

/* ---- the client's loop --------------------------------------------------- */

struct outcome {
    int done;
    bool ok, cancelled;
    char body[256];
    size_t len;
};

static void on_done(void *ud, const struct rn_http_result *res)
{
    struct outcome *o = ud;

    o->done++;
    o->ok = res->ok;
    o->cancelled = res->cancelled;
    o->len = res->len;
    if (res->ok) {
        size_t n;

        assert_non_null(res->body); /* "" when empty */
        n = res->len < sizeof(o->body) - 1 ? res->len : sizeof(o->body) - 1;
        memcpy(o->body, res->body, n);
        o->body[n] = '\0';
    } else {
        assert_non_null(res->error);
        assert_null(res->body);
    }
}

/* Runs the client's loop until `*count` reaches `want` or `max_ms`. */
static void run(struct rn_http *c, const int *count, int want, int64_t max_ms)
{
    int64_t end = mono_ms() + max_ms;

    while (*count < want && mono_ms() < end) {
        fd_set r, w;
        int max = -1;
        int64_t t = end - mono_ms();
        struct timeval tv;

        FD_ZERO(&r);
        FD_ZERO(&w);
        rn_http_fdset(c, &r, &w, &max, &t);
        if (t < 0)
            t = 0;
        tv.tv_sec = (time_t)(t / 1000);
        tv.tv_usec = (suseconds_t)(t % 1000) * 1000;
        assert_true(select(max + 1, &r, &w, NULL, &tv) >= 0);
        rn_http_perform(c, &r, &w);
    }
}

static char *dup_s(const char *s)
{
    return strdup(s);
}

static void request(struct rn_http *c,
                    unsigned port,
                    const char *path,
                    const char *body,
                    int64_t timeout_ms,
                    struct outcome *o)
{
    char addr[32];

    (void)snprintf(addr, sizeof(addr), "127.0.0.1:%u", port);
    assert_int_equal(rn_http_request(c,
                                     addr,
                                     path,
                                     body != NULL ? dup_s(body) : NULL,
                                     body != NULL ? strlen(body) : 0,
                                     timeout_ms,
                                     on_done,
                                     o),
                     0);
}

/* ---- cases --------------------------------------------------------------- */

static void test_rn_net_http_post_get_and_headers(void **state)
{
    unsigned port;
    struct MHD_Daemon *d = mhd_start(60, &port);
    struct rn_http *c = rn_http_new(1u << 20, 5000);
    struct outcome o = {0};
    json_t *j;

    (void)state;
    assert_int_equal(rn_http_add_header(c, "X-Rn-From", "127.0.0.1:9"), 0);
    request(c, port, "/echo", "{\"hello\": [1, 2, 3]}", 2000, &o);
    run(c, &o.done, 1, 3000);
    assert_int_equal(o.done, 1);
    assert_true(o.ok);
    j = json_loads(o.body, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "method")),
                        "POST");
    assert_int_equal(json_integer_value(json_object_get(j, "len")), 20);
    assert_string_equal(json_string_value(json_object_get(j, "from")),
                        "127.0.0.1:9");
    json_decref(j);
    request(c, port, "/echo", NULL, 2000, &o);
    run(c, &o.done, 2, 3000);
    assert_true(o.ok);
    assert_non_null(strstr(o.body, "\"method\":\"GET\""));
    /* a 404 is a failure, and its connection is not kept */
    request(c, port, "/missing", "{}", 2000, &o);
    run(c, &o.done, 3, 3000);
    assert_int_equal(o.done, 3);
    assert_false(o.ok);
    assert_int_equal(rn_http_inflight(c), 0);
    rn_http_free(c);
    MHD_stop_daemon(d);
}

static void test_rn_net_http_keep_alive_reuses_one_connection(void **state)
{
    unsigned port;
    struct MHD_Daemon *d = mhd_start(60, &port);
    struct rn_http *c = rn_http_new(1u << 20, 5000);
    struct outcome o = {0};
    int i;

    (void)state;
    for (i = 0; i < 20; i++) {
        request(c, port, "/echo", "[1]", 2000, &o);
        run(c, &o.done, i + 1, 3000);
        assert_true(o.ok);
    }
    assert_int_equal(o.done, 20);
    assert_int_equal(rn_http_opened(c), 1);
    assert_int_equal(rn_http_connections(c), 1);
    assert_int_equal(atomic_load(&mhd_conns), 1);
    rn_http_free(c);
    MHD_stop_daemon(d);
}

static void test_rn_net_http_concurrent_requests(void **state)
{
    unsigned port;
    struct MHD_Daemon *d = mhd_start(60, &port);
    struct rn_http *c = rn_http_new(1u << 20, 5000);
    struct outcome o[8];
    int count = 0, i, round;
    uint64_t opened = 0;

    (void)state;
    for (round = 0; round < 2; round++) {
        memset(o, 0, sizeof(o));
        for (i = 0; i < 8; i++)
            request(c, port, "/echo", "[\"concurrent\"]", 2000, &o[i]);
        assert_int_equal(rn_http_inflight(c), 8);
        for (;;) {
            count = 0;
            for (i = 0; i < 8; i++)
                count += o[i].done;
            if (count == 8)
                break;
            run(c, &count, count + 1, 3000);
            assert_true(rn_http_inflight(c) < 8); /* progress */
        }
        for (i = 0; i < 8; i++)
            assert_true(o[i].ok);
        if (round == 0)
            opened = rn_http_opened(c);
    }
    /* each request had its own connection, and the second round reused them */
    assert_int_equal(opened, 8);
    assert_int_equal(rn_http_opened(c), 8);
    rn_http_free(c);
    MHD_stop_daemon(d);
}

static void test_rn_net_http_large_and_oversized_answers(void **state)
{
    unsigned port;
    struct MHD_Daemon *d = mhd_start(60, &port);
    struct rn_http *c = rn_http_new(1u << 20, 5000);
    struct outcome o = {0};
    char path[64];

    (void)state;
    /* over OpenSSL's default 100 KiB, under our bound */
    (void)snprintf(path, sizeof(path), "/big?n=%u", 900u << 10);
    request(c, port, path, NULL, 5000, &o);
    run(c, &o.done, 1, 6000);
    assert_true(o.ok);
    assert_int_equal(o.len, 900u << 10);
    assert_int_equal(o.body[0], 'x');
    (void)snprintf(path, sizeof(path), "/big?n=%u", (1u << 20) + 1);
    request(c, port, path, NULL, 5000, &o);
    run(c, &o.done, 2, 6000);
    assert_int_equal(o.done, 2);
    assert_false(o.ok);
    /* an empty 200 body is a success */
    request(c, port, "/big?n=0", NULL, 5000, &o);
    run(c, &o.done, 3, 6000);
    assert_true(o.ok);
    assert_int_equal(o.len, 0);
    /* a request body far over a socket buffer goes out in many writes */
    {
        size_t big = (size_t)3 << 20;
        char *body = malloc(big);
        char addr[32];
        json_t *j;

        assert_non_null(body);
        memset(body, ' ', big);
        body[0] = '[';
        body[big - 1] = ']';
        (void)snprintf(addr, sizeof(addr), "127.0.0.1:%u", port);
        assert_int_equal(
            rn_http_request(c, addr, "/echo", body, big, 5000, on_done, &o), 0);
        run(c, &o.done, 4, 6000);
        assert_true(o.ok);
        j = json_loads(o.body, 0, NULL);
        assert_int_equal(json_integer_value(json_object_get(j, "len")),
                         (json_int_t)big);
        json_decref(j);
    }
    rn_http_free(c);
    MHD_stop_daemon(d);
}

static void test_rn_net_http_idle_connections_close(void **state)
{
    unsigned port;
    struct MHD_Daemon *d = mhd_start(60, &port);
    struct rn_http *c = rn_http_new(1u << 20, 300);
    struct outcome o = {0};
    int never = 0;
    int64_t t0;

    (void)state;
    request(c, port, "/echo", "[]", 2000, &o);
    run(c, &o.done, 1, 3000);
    assert_true(o.ok);
    assert_int_equal(rn_http_connections(c), 1);
    t0 = mono_ms();
    run(c, &never, 1, 600);
    assert_true(mono_ms() - t0 >= 550); /* the loop waited, did not spin */
    assert_int_equal(rn_http_connections(c), 0);
    rn_http_free(c);
    MHD_stop_daemon(d);
}

static void test_rn_net_http_peer_closed_idle_connection(void **state)
{
    unsigned port;
    /* the server drops connections idle for 1 s */
    struct MHD_Daemon *d = mhd_start(1, &port);
    struct rn_http *c = rn_http_new(1u << 20, 10000);
    struct outcome o = {0};

    (void)state;
    request(c, port, "/echo", "[]", 2000, &o);
    run(c, &o.done, 1, 3000);
    assert_true(o.ok);
    {
        /* the loop does not run meanwhile: it sees no close */
        struct timespec two = {2, 0};

        (void)nanosleep(&two, NULL);
    }
    request(c, port, "/echo", "[]", 2000, &o);
    run(c, &o.done, 2, 3000);
    assert_true(o.ok);
    assert_int_equal(rn_http_opened(c), 2);
    rn_http_free(c);
    MHD_stop_daemon(d);
}

static void test_rn_net_http_retry_when_closed_under_request(void **state)
{
    struct raw rw = {0};
    struct rn_http *c = rn_http_new(1u << 20, 10000);
    struct outcome o = {0};

    (void)state;
    /* 1st connection: one answer kept alive, then closes on the next */
    rw.script[0] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none|";
    rw.script[1] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo";
    rw.n = 2;
    raw_start(&rw);
    request(c, rw.port, "/a", "[]", 2000, &o);
    run(c, &o.done, 1, 3000);
    assert_true(o.ok);
    assert_string_equal(o.body, "one");
    request(c, rw.port, "/b", "[]", 2000, &o);
    run(c, &o.done, 2, 3000);
    assert_true(o.ok);
    assert_string_equal(o.body, "two");
    assert_int_equal(rn_http_opened(c), 2);
    rn_http_free(c);
    raw_stop(&rw);
}

static void test_rn_net_http_broken_peers(void **state)
{
    static const char *const scripts[] = {
        "this is not http at all\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this",
        "HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\nx",
        "HTTP/1.1 500 Oops\r\nContent-Length: 2\r\n\r\nno",
        "\x01\x02\x03\xff\xfe garbage\n",
        NULL, /* closes at once */
    };
    struct rn_http *c = rn_http_new(1u << 20, 5000);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
        struct raw rw = {0};
        struct outcome o = {0};

        rw.script[0] = scripts[i];
        rw.n = 1;
        raw_start(&rw);
        request(c, rw.port, "/net/hello", "{}", 2000, &o);
        run(c, &o.done, 1, 3000);
        assert_int_equal(o.done, 1);
        assert_false(o.ok);
        raw_stop(&rw);
    }
    /* a close-delimited answer without a length is whole at EOF */
    {
        struct raw rw = {0};
        struct outcome o = {0};

        rw.script[0] = "HTTP/1.0 200 OK\r\n\r\nto the end";
        rw.n = 1;
        raw_start(&rw);
        request(c, rw.port, "/x", NULL, 2000, &o);
        run(c, &o.done, 1, 3000);
        assert_true(o.ok);
        assert_string_equal(o.body, "to the end");
        raw_stop(&rw);
    }
    assert_int_equal(rn_http_connections(c), 0);
    rn_http_free(c);
}

static void test_rn_net_http_timeouts_and_refusals(void **state)
{
    unsigned port, dead_port;
    int lfd = listen_any(&port); /* accepts (backlog), never answers */
    int dfd = listen_any(&dead_port);
    struct rn_http *c = rn_http_new(1u << 20, 5000);
    struct outcome o = {0}, x = {0};
    char addr[32];
    int64_t t0;

    (void)state;
    (void)close(dfd); /* nothing listens there now */
    t0 = mono_ms();
    request(c, port, "/net/hello", "{}", 300, &o);
    run(c, &o.done, 1, 3000);
    assert_int_equal(o.done, 1);
    assert_false(o.ok);
    assert_true(mono_ms() - t0 >= 250);
    assert_true(mono_ms() - t0 < 2000);
    /* refused: at once, or as a failed request */
    (void)snprintf(addr, sizeof(addr), "127.0.0.1:%u", dead_port);
    if (rn_http_request(c, addr, "/", NULL, 0, 1000, on_done, &x) == 0) {
        run(c, &x.done, 1, 2000);
        assert_int_equal(x.done, 1);
        assert_false(x.ok);
    }
    /* bad addresses do not start */
    assert_int_equal(
        rn_http_request(c, "localhost:80", "/", NULL, 0, 1000, on_done, &x),
        -1);
    assert_int_equal(
        rn_http_request(c, "127.0.0.1:99999", "/", NULL, 0, 1000, on_done, &x),
        -1);
    /* in flight when the client goes: cancelled */
    request(c, port, "/net/hello", "{}", 5000, &o);
    rn_http_free(c);
    assert_int_equal(o.done, 2);
    assert_true(o.cancelled);
    (void)close(lfd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rn_net_http_post_get_and_headers),
        cmocka_unit_test(test_rn_net_http_keep_alive_reuses_one_connection),
        cmocka_unit_test(test_rn_net_http_concurrent_requests),
        cmocka_unit_test(test_rn_net_http_large_and_oversized_answers),
        cmocka_unit_test(test_rn_net_http_idle_connections_close),
        cmocka_unit_test(test_rn_net_http_peer_closed_idle_connection),
        cmocka_unit_test(test_rn_net_http_retry_when_closed_under_request),
        cmocka_unit_test(test_rn_net_http_broken_peers),
        cmocka_unit_test(test_rn_net_http_timeouts_and_refusals),
    };

    (void)signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
