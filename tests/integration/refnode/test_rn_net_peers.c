/*
 * A refnode cluster with broken peers introduced by hello: one that answers
 * every request with garbage, one whose port accepts but never answers,
 * one where nothing listens. The node keeps talking to them (hellos, a
 * pull towards the height one of them claims) and keeps its chain going
 * with its real peer; none of them counts as a live peer.
 */
#include "lb_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rn_harness.h"

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
    assert_int_equal(listen(fd, 64), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &l), 0);
    *port = ntohs(sin.sin_port);
    return fd;
}

/* The garbage peer: reads a little of each request, answers junk. */
struct garbage {
    int lfd;
    unsigned port;
    atomic_int served;
    pthread_t th;
};

static void *garbage_main(void *arg)
{
    static const char junk[] = "HTTP/1.1 2OO fine\r\nContent-Length: -7\r\n"
                               "\x01\x02\xff\r\n\r\n{\"not\": json";
    struct garbage *g = arg;

    for (;;) {
        char buf[512];
        int fd = accept(g->lfd, NULL, NULL);

        if (fd < 0)
            return NULL;
        if (read(fd, buf, sizeof(buf)) > 0 &&
            write(fd, junk, sizeof(junk) - 1) > 0)
            atomic_fetch_add(&g->served, 1);
        (void)close(fd);
    }
}

static void hello_from(struct rn_h *h, const char *name, unsigned port)
{
    char body[512];

    /* claims a long chain with an unknown tip: the node pulls from it */
    (void)snprintf(body,
                   sizeof(body),
                   "{\"name\": \"%s\", \"addr\": \"127.0.0.1:%u\", "
                   "\"tip\": \"%064d\", \"height\": 100000, \"book\": []}",
                   name,
                   port,
                   7);
    assert_int_equal(
        rn_h_http(h, 0, 2, "POST", "/net/hello", body, strlen(body), NULL),
        200);
}

static uint64_t height_of(struct rn_h *h, size_t i)
{
    uint64_t height = 0;
    char tip[65], mode[32];

    assert_true(rn_h_info(h, i, &height, tip, mode));
    assert_string_equal(mode, "Online");
    return height;
}

static void test_rn_net_peers_broken_peers_tolerated(void **state)
{
    struct garbage g;
    struct rn_h h;
    unsigned stall_port, dead_port;
    int stall_fd, dead_fd;
    uint64_t before;
    json_t *net;

    (void)state;
    memset(&g, 0, sizeof(g));
    g.lfd = listen_any(&g.port);
    assert_int_equal(pthread_create(&g.th, NULL, garbage_main, &g), 0);
    stall_fd = listen_any(&stall_port); /* accepts in the kernel only */
    dead_fd = listen_any(&dead_port);
    (void)close(dead_fd); /* nothing listens there now */

    rn_h_start(&h, 2, 0, 200, 0.9, "star");
    assert_true(rn_h_wait_height(&h, 2, 2, 30000));
    hello_from(&h, "garbage", g.port);
    hello_from(&h, "staller", stall_port);
    hello_from(&h, "gone", dead_port);
    before = height_of(&h, 0);
    /* hellos go to the broken peers every second, and fail */
    rn_h_sleep_ms(6000);
    assert_true(rn_h_wait_height(&h, 2, before + 5, 20000));
    assert_true(height_of(&h, 1) >= before + 5);
    assert_true(atomic_load(&g.served) >= 3);
    net = rn_h_get_json(&h, 0, "/network/info");
    assert_non_null(net);
    assert_int_equal(json_integer_value(json_object_get(net, "n_peers")), 1);
    json_decref(net);
    h.ok = true;
    rn_h_stop(&h);
    (void)shutdown(g.lfd, SHUT_RDWR);
    (void)pthread_join(g.th, NULL);
    (void)close(g.lfd);
    (void)close(stall_fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rn_net_peers_broken_peers_tolerated),
    };

    (void)signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
