/*
 * `refnode devnet`: prints one API URL per node once all answer, stops every
 * node on SIGTERM (exit 0) and, through the parent-death signal, when it is
 * killed outright; `refnode --help` and bad usage.
 */
#include "lb_test.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "rn_harness.h"

static char exe[512], dir[64];
static pid_t devnet = -1;

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    if (devnet > 0) {
        (void)kill(devnet, SIGKILL);
        (void)waitpid(devnet, NULL, 0);
        devnet = -1;
    }
    (void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (dir[0] != '\0' && system(cmd) != 0)
        (void)fprintf(stderr, "cannot remove %s\n", dir);
    return 0;
}

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
    struct lb_buf *b = ud;

    (void)lb_buf_add(b, p, s * n);
    return s * n;
}

static long get(const char *url, struct lb_buf *out)
{
    CURL *c = curl_easy_init();
    long st = 0;

    lb_buf_reset(out);
    (void)curl_easy_setopt(c, CURLOPT_URL, url);
    (void)curl_easy_setopt(c, CURLOPT_PROXY, "");
    (void)curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
    (void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    (void)curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    if (curl_easy_perform(c) != CURLE_OK ||
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st) != CURLE_OK)
        st = 0;
    curl_easy_cleanup(c);
    return st;
}

/* Starts a 3-node devnet; fills `urls` from its stdout. */
static void start(char urls[3][128])
{
    int fds[2];
    FILE *out;
    size_t i;

    (void)snprintf(exe,
                   sizeof(exe),
                   "%s/refnode",
                   getenv("LB_BUILD_DIR") ? getenv("LB_BUILD_DIR") : ".");
    (void)snprintf(dir, sizeof(dir), "/tmp/rn-devnet-XXXXXX");
    assert_non_null(mkdtemp(dir));
    assert_int_equal(pipe(fds), 0);
    devnet = fork();
    assert_true(devnet >= 0);
    if (devnet == 0) {
        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        (void)dup2(fds[1], 1);
        (void)close(fds[0]);
        execl(exe,
              "refnode",
              "devnet",
              "--nodes",
              "3",
              "--executors",
              "1",
              "--slot-ms",
              "100",
              "--layout",
              "chain",
              "--dir",
              dir,
              (char *)NULL);
        _exit(127);
    }
    (void)close(fds[1]);
    out = fdopen(fds[0], "r");
    for (i = 0; i < 3; i++) {
        assert_non_null(fgets(urls[i], 128, out));
        urls[i][strcspn(urls[i], "\n")] = '\0';
        assert_true(strncmp(urls[i], "http://127.0.0.1:", 17) == 0);
    }
    (void)fclose(out);
}

static bool any_answers(char urls[3][128])
{
    struct lb_buf b = LB_BUF_INIT;
    char u[200];
    bool any = false;
    size_t i;

    for (i = 0; i < 3; i++) {
        (void)snprintf(u, sizeof(u), "%.127s/cryptarchia/info", urls[i]);
        any |= get(u, &b) == 200;
    }
    lb_buf_release(&b);
    return any;
}

static void test_rn_devnet_prints_urls_and_stops_on_sigterm(void **state)
{
    char urls[3][128], u[200];
    struct lb_buf b = LB_BUF_INIT;
    int status = -1, i;

    (void)state;
    start(urls);
    (void)snprintf(u, sizeof(u), "%s/cryptarchia/info", urls[2]);
    assert_int_equal(get(u, &b), 200);
    assert_non_null(strstr(b.ptr, "\"mode\""));
    /* chain layout: the middle node has two peers, once hellos ran */
    rn_h_sleep_ms(1500);
    (void)snprintf(u, sizeof(u), "%s/network/info", urls[1]);
    assert_int_equal(get(u, &b), 200);
    assert_non_null(strstr(b.ptr, "\"n_peers\":2"));
    assert_int_equal(kill(devnet, SIGTERM), 0);
    assert_int_equal(waitpid(devnet, &status, 0), devnet);
    devnet = -1;
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_false(any_answers(urls));
    /* the nodes wrote their logs under DIR */
    (void)snprintf(u, sizeof(u), "%s/executor-0/node.log", dir);
    lb_buf_reset(&b);
    assert_int_equal(lb_buf_read_file(&b, u, NULL), 0);
    assert_non_null(strstr(b.ptr, "stopping at height"));
    lb_buf_release(&b);
    (void)i;
}

static void test_rn_devnet_nodes_die_with_a_killed_devnet(void **state)
{
    char urls[3][128];
    int tries;

    (void)state;
    start(urls);
    assert_true(any_answers(urls));
    (void)kill(devnet, SIGKILL);
    (void)waitpid(devnet, NULL, 0);
    devnet = -1;
    for (tries = 0; tries < 100 && any_answers(urls); tries++)
        rn_h_sleep_ms(50);
    assert_true(tries < 100);
}

static void test_rn_devnet_usage_and_help(void **state)
{
    char cmd[700];

    (void)state;
    (void)snprintf(exe,
                   sizeof(exe),
                   "%s/refnode",
                   getenv("LB_BUILD_DIR") ? getenv("LB_BUILD_DIR") : ".");
    (void)snprintf(cmd, sizeof(cmd), "%s --help | grep -q security_param", exe);
    assert_int_equal(system(cmd), 0);
    (void)snprintf(
        cmd, sizeof(cmd), "%s devnet --nodes 0 --dir /tmp 2>/dev/null", exe);
    assert_int_equal(WEXITSTATUS(system(cmd)), 2);
    (void)snprintf(cmd,
                   sizeof(cmd),
                   "%s devnet --nodes 2 --layout ring --dir /tmp 2>/dev/null",
                   exe);
    assert_int_equal(WEXITSTATUS(system(cmd)), 2);
    (void)snprintf(cmd,
                   sizeof(cmd),
                   "%s --config /nonexistent 2>&1 | grep -q "
                   "nonexistent",
                   exe);
    assert_int_equal(system(cmd), 0);
    (void)snprintf(
        cmd, sizeof(cmd), "%s --config /nonexistent 2>/dev/null", exe);
    assert_int_equal(WEXITSTATUS(system(cmd)), 2);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(
            test_rn_devnet_prints_urls_and_stops_on_sigterm, teardown),
        cmocka_unit_test_teardown(test_rn_devnet_nodes_die_with_a_killed_devnet,
                                  teardown),
        cmocka_unit_test(test_rn_devnet_usage_and_help),
    };

    (void)curl_global_init(CURL_GLOBAL_NOTHING);
    return cmocka_run_group_tests_name("rn_devnet", tests, NULL, NULL);
}
