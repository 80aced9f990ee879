/*
 * Tests of src/net: the curl-multi bridge and the node client against a
 * real libmicrohttpd server started in the test on 127.0.0.1 (a free port
 * chosen by the kernel).
 */
#include "lb_test.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "net/http.h"
#include "net/loop.h"
#include "net/node.h"

struct post_ctx {
    struct lb_buf body;
};

static enum MHD_Result reply(struct MHD_Connection *conn,
                             unsigned status,
                             const char *text,
                             const char *type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;
    MHD_add_response_header(r, "Content-Type", type);
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result handler(void *cls,
                               struct MHD_Connection *conn,
                               const char *url,
                               const char *method,
                               const char *version,
                               const char *upload,
                               size_t *upload_size,
                               void **con_cls)
{
    struct post_ctx *pc = *con_cls;
    (void)cls;
    (void)version;
    if (strcmp(method, "POST") == 0) {
        if (!pc) {
            pc = calloc(1, sizeof(*pc));
            lb_buf_init(&pc->body, 0);
            *con_cls = pc;
            return MHD_YES;
        }
        if (*upload_size) {
            lb_buf_add(&pc->body, upload, *upload_size);
            *upload_size = 0;
            return MHD_YES;
        }
        if (strcmp(url, "/echo") == 0)
            return reply(conn, 200, pc->body.ptr, "application/json");
        if (strcmp(url, "/mempool/add/tx") == 0)
            return reply(conn, 200, "", "text/plain");
        return reply(conn, 404, "no such path", "text/plain");
    }
    if (strcmp(url, "/cryptarchia/info") == 0)
        return reply(conn,
                     200,
                     "{\"lib\":\"00000000000000000000000000000000000000000000"
                     "00000000000000000000\",\"tip\":\"abababababababababababa"
                     "babababababababababababababababababababab\",\"slot\":42,"
                     "\"height\":7,\"mode\":\"Online\"}",
                     "application/json");
    if (strcmp(url, "/network/info") == 0)
        return reply(conn,
                     200,
                     "{\"listen_addresses\":[],\"n_peers\":3,"
                     "\"n_connections\":3,\"n_pending_connections\":0}",
                     "application/json");
    if (strcmp(url, "/fail") == 0)
        return reply(conn, 500, "boom\nsecond line", "text/plain");
    if (strcmp(url, "/garbage") == 0)
        return reply(conn, 200, "{not json", "application/json");
    if (strcmp(url, "/slow") == 0) {
        struct timespec ts = {1, 500000000};
        nanosleep(&ts, NULL);
        return reply(conn, 200, "{}", "application/json");
    }
    return reply(conn, 404, "no such path", "text/plain");
}

static void completed(void *cls,
                      struct MHD_Connection *conn,
                      void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct post_ctx *pc = *con_cls;
    (void)cls;
    (void)conn;
    (void)toe;
    if (pc) {
        lb_buf_release(&pc->body);
        free(pc);
    }
}

struct fixture {
    struct MHD_Daemon *mhd;
    int port;
    uv_loop_t loop;
    struct lb_http http;
    struct lb_node_client node;
    bool stop;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    const union MHD_DaemonInfo *info;
    struct sockaddr_in sa = {0};
    struct lb_error err;

    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    f->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
                                  MHD_USE_THREAD_PER_CONNECTION,
                              0,
                              NULL,
                              NULL,
                              handler,
                              NULL,
                              MHD_OPTION_SOCK_ADDR,
                              &sa,
                              MHD_OPTION_NOTIFY_COMPLETED,
                              completed,
                              NULL,
                              MHD_OPTION_END);
    assert_non_null(f->mhd);
    info = MHD_get_daemon_info(f->mhd, MHD_DAEMON_INFO_BIND_PORT);
    f->port = info->port;
    assert_int_equal(uv_loop_init(&f->loop), 0);
    lb_error_init(&err);
    assert_int_equal(lb_http_init(&f->http, &f->loop, &err), 0);
    snprintf(f->node.name, sizeof(f->node.name), "validator-0");
    snprintf(f->node.api_url,
             sizeof(f->node.api_url),
             "http://127.0.0.1:%d",
             f->port);
    snprintf(f->node.testing_url,
             sizeof(f->node.testing_url),
             "http://127.0.0.1:%d",
             f->port);
    f->node.log_path = "/tmp/lb-test/validator-0/node.log";
    f->node.http = &f->http;
    f->node.stop = &f->stop;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    lb_http_close(&f->http, NULL);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_true(lb_http_closed(&f->http));
    /* every handle the bridge opened is closed: the loop closes cleanly */
    assert_int_equal(uv_loop_close(&f->loop), 0);
    MHD_stop_daemon(f->mhd);
    free(f);
    return 0;
}

static void test_net_info_parsed(void **state)
{
    struct fixture *f = *state;
    struct lb_error err;
    struct lb_chain_info info;
    json_t *j = NULL;

    lb_error_init(&err);
    assert_int_equal(
        lb_node_call_sync(
            &f->node, LB_NODE_API, "GET", "/cryptarchia/info", NULL, &j, &err),
        0);
    assert_int_equal(lb_node_parse_info(j, &info, &err), 0);
    assert_int_equal(info.height, 7);
    assert_int_equal(info.slot, 42);
    assert_true(info.online);
    assert_int_equal(info.tip[0], 'a');
    json_decref(j);
    assert_int_equal(
        lb_node_call_sync(
            &f->node, LB_NODE_API, "GET", "/network/info", NULL, &j, &err),
        0);
    assert_int_equal(lb_node_parse_peers(j, &err), 3);
    json_decref(j);
}

static void test_net_error_names_node_method_url_status(void **state)
{
    struct fixture *f = *state;
    struct lb_error err;
    char expect[512];

    lb_error_init(&err);
    assert_int_equal(
        lb_node_call_sync(
            &f->node, LB_NODE_API, "GET", "/fail", NULL, NULL, &err),
        LB_EHTTP);
    snprintf(expect,
             sizeof(expect),
             "node 'validator-0': GET http://127.0.0.1:%d/fail: HTTP 500: "
             "boom second line (node log: /tmp/lb-test/validator-0/node.log)",
             f->port);
    assert_string_equal(err.msg, expect);
    lb_error_init(&err);
    assert_int_equal(
        lb_node_call_sync(
            &f->node, LB_NODE_API, "GET", "/garbage", NULL, NULL, &err),
        LB_EPARSE);
    assert_non_null(strstr(err.msg, "invalid JSON in answer"));
}

static void test_net_connection_refused_and_timeout(void **state)
{
    struct fixture *f = *state;
    struct lb_node_client dead = f->node;
    struct lb_error err;

    /* a port nothing listens on: the MHD port + 1 is free almost always,
     * but ask the kernel to be sure by binding nothing: port 1 needs root */
    snprintf(dead.api_url, sizeof(dead.api_url), "http://127.0.0.1:1");
    lb_error_init(&err);
    assert_int_equal(
        lb_node_call_sync(
            &dead, LB_NODE_API, "GET", "/cryptarchia/info", NULL, NULL, &err),
        LB_EHTTP);
    assert_non_null(strstr(err.msg,
                           "node 'validator-0': GET "
                           "http://127.0.0.1:1/cryptarchia/info: "));
    dead = f->node;
    dead.timeout_ms = 300;
    lb_error_init(&err);
    assert_int_equal(
        lb_node_call_sync(&dead, LB_NODE_API, "GET", "/slow", NULL, NULL, &err),
        LB_ETIMEOUT);
    assert_non_null(strstr(err.msg, "/slow: "));
}

static void test_net_post_json_body(void **state)
{
    struct fixture *f = *state;
    struct lb_error err;
    json_t *body = json_pack("{s:i, s:s}", "a", 1, "b", "x");
    json_t *out = NULL;

    lb_error_init(&err);
    assert_int_equal(
        lb_node_call_sync(
            &f->node, LB_NODE_API, "POST", "/echo", body, &out, &err),
        0);
    assert_true(json_equal(body, out));
    json_decref(out);
    json_decref(body);
    /* 2xx with an empty body: no JSON, no error */
    body = json_string("x");
    assert_int_equal(
        lb_node_call_sync(
            &f->node, LB_NODE_API, "POST", "/mempool/add/tx", body, &out, &err),
        0);
    assert_null(out);
    json_decref(body);
}

struct counter {
    int done;
    int failed;
};

static void count_cb(void *data, json_t *resp, const struct lb_error *err)
{
    struct counter *c = data;
    c->done++;
    if (err || !resp)
        c->failed++;
}

static void test_net_many_parallel_calls(void **state)
{
    struct fixture *f = *state;
    struct counter c = {0};
    struct lb_error err;
    int i;

    lb_error_init(&err);
    for (i = 0; i < 200; i++)
        assert_non_null(lb_node_call(&f->node,
                                     LB_NODE_API,
                                     "GET",
                                     "/cryptarchia/info",
                                     NULL,
                                     count_cb,
                                     &c,
                                     &err));
    while (c.done < 200)
        uv_run(&f->loop, UV_RUN_ONCE);
    assert_int_equal(c.failed, 0);
}

static void aborted_cb(void *data, json_t *resp, const struct lb_error *err)
{
    struct counter *c = data;
    c->done++;
    assert_null(resp);
    assert_non_null(err);
    if (err->code == LB_EINTR)
        c->failed++;
}

static void test_net_close_aborts_in_flight(void **state)
{
    struct fixture *f = *state;
    struct counter c = {0};
    struct lb_error err;

    lb_error_init(&err);
    assert_non_null(lb_node_call(
        &f->node, LB_NODE_API, "GET", "/slow", NULL, aborted_cb, &c, &err));
    assert_non_null(lb_node_call(
        &f->node, LB_NODE_API, "GET", "/slow", NULL, aborted_cb, &c, &err));
    uv_run(&f->loop, UV_RUN_NOWAIT);
    lb_http_close(&f->http, NULL);
    assert_int_equal(c.done, 2);
    assert_int_equal(c.failed, 2);
    /* a closed bridge refuses new calls with a clear error */
    assert_null(lb_node_call(
        &f->node, LB_NODE_API, "GET", "/x", NULL, aborted_cb, &c, &err));
    assert_non_null(strstr(err.msg, "http client is closed"));
}

static void test_net_sleep_interrupted(void **state)
{
    struct fixture *f = *state;
    uint64_t t0 = uv_hrtime();
    assert_int_equal(lb_loop_sleep(&f->loop, 50, NULL), 0);
    assert_true(uv_hrtime() - t0 >= 45u * 1000 * 1000);
    f->stop = true;
    assert_int_equal(lb_loop_sleep(&f->loop, 5000, &f->stop), LB_EINTR);
    f->stop = false;
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_net_info_parsed, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_net_error_names_node_method_url_status, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_net_connection_refused_and_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_net_post_json_body, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_net_many_parallel_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_net_close_aborts_in_flight, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_net_sleep_interrupted, setup, teardown),
    };
    return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
