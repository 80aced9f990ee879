/*
 * The node API client: URL building, status and JSON checks, and error
 * texts that say which node, which request and where the node's log is.
 */
#include "net/node.h"

#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "net/loop.h"

#define DEFAULT_TIMEOUT_MS 5000L

struct node_call {
    struct lb_node_client *node;
    char method[8];
    char url[256];
    lb_node_cb cb;
    void *data;
};

static void node_error(struct lb_error *err,
                       const struct node_call *c,
                       int code,
                       const char *what)
{
    if (c->node->log_path)
        lb_error_set(err,
                     code,
                     "node '%s': %s %s: %s (node log: %s)",
                     c->node->name,
                     c->method,
                     c->url,
                     what,
                     c->node->log_path);
    else
        lb_error_set(err,
                     code,
                     "node '%s': %s %s: %s",
                     c->node->name,
                     c->method,
                     c->url,
                     what);
}

static void on_done(void *data, const struct lb_http_result *res)
{
    struct node_call *c = data;
    struct lb_error err;
    json_t *j = NULL;

    lb_error_init(&err);
    if (res->code != 0) {
        node_error(&err, c, res->code, res->error);
    } else if (res->status < 200 || res->status > 299) {
        char detail[400];
        size_t n = res->body->len < 300 ? res->body->len : 300;
        char *nl;
        (void)snprintf(detail, /* the body is cut to 300 bytes by design */
                       sizeof(detail),
                       "HTTP %ld%s%.*s",
                       res->status,
                       n ? ": " : "",
                       (int)n,
                       res->body->ptr);
        while ((nl = strchr(detail, '\n')) != NULL)
            *nl = ' ';
        node_error(&err, c, LB_EHTTP, detail);
    } else if (res->body->len > 0) {
        json_error_t jerr;
        j = json_loadb(res->body->ptr, res->body->len, JSON_DECODE_ANY, &jerr);
        if (!j) {
            char detail[300];
            (void)snprintf(detail,
                           sizeof(detail),
                           "invalid JSON in answer: %s",
                           jerr.text);
            node_error(&err, c, LB_EPARSE, detail);
        }
    }
    c->cb(c->data, j, lb_error_is_set(&err) ? &err : NULL);
    json_decref(j);
    lb_free(c);
}

struct lb_http_call *lb_node_call(struct lb_node_client *node,
                                  enum lb_node_listener listener,
                                  const char *method,
                                  const char *path,
                                  json_t *body,
                                  lb_node_cb cb,
                                  void *data,
                                  struct lb_error *err)
{
    struct node_call *c = lb_xcalloc(1, sizeof(*c));
    struct lb_http_request req = {0};
    struct lb_http_call *call;
    char *text = NULL;

    c->node = node;
    c->cb = cb;
    c->data = data;
    if (lb_copy(c->method, sizeof(c->method), method) != 0 ||
        lb_format(c->url,
                  sizeof(c->url),
                  "%s%s",
                  listener == LB_NODE_TESTING ? node->testing_url
                                              : node->api_url,
                  path) != 0)
    {
        lb_free(c);
        lb_error_set(
            err, LB_EINVAL, "%s %s: method or path too long", method, path);
        return NULL;
    }
    if (body) {
        text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!text) {
            lb_free(c);
            lb_error_set(err, LB_ENOMEM, "cannot serialise request body");
            return NULL;
        }
    }
    req.method = method;
    req.url = c->url;
    req.body = text;
    req.body_len = text ? strlen(text) : 0;
    req.timeout_ms = node->timeout_ms ? node->timeout_ms : DEFAULT_TIMEOUT_MS;
    call = lb_http_request(node->http, &req, on_done, c, err);
    lb_free(text); /* jansson allocates through the same hook */
    if (!call) {
        lb_error_prefix(err, "node '%s'", node->name);
        lb_free(c);
    }
    return call;
}

struct sync_call {
    bool done;
    json_t *resp;
    struct lb_error err;
};

static void on_sync_done(void *data, json_t *resp, const struct lb_error *err)
{
    struct sync_call *s = data;
    s->done = true;
    if (err)
        s->err = *err;
    else
        s->resp = json_incref(resp);
}

int lb_node_call_sync(struct lb_node_client *node,
                      enum lb_node_listener listener,
                      const char *method,
                      const char *path,
                      json_t *body,
                      json_t **out,
                      struct lb_error *err)
{
    struct sync_call s = {.done = false, .resp = NULL};
    struct lb_http_call *call;
    int rc;

    lb_error_init(&s.err);
    if (out)
        *out = NULL;
    call =
        lb_node_call(node, listener, method, path, body, on_sync_done, &s, err);
    if (!call)
        return err ? err->code : LB_EHTTP;
    rc = lb_loop_run_until(node->http->loop, &s.done, node->stop);
    if (!s.done) {
        lb_http_cancel(call);
        return lb_error_set(err,
                            rc ? rc : LB_EINTR,
                            "node '%s': %s %s: interrupted",
                            node->name,
                            method,
                            path);
    }
    if (lb_error_is_set(&s.err)) {
        if (err && !lb_error_is_set(err))
            *err = s.err;
        return s.err.code;
    }
    if (out)
        *out = s.resp;
    else
        json_decref(s.resp);
    return 0;
}

bool lb_is_hex_id(const char *s)
{
    size_t i;
    if (!s)
        return false;
    for (i = 0; i < 64; i++) {
        char ch = s[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
    }
    return s[64] == '\0';
}

static int get_u64(const json_t *j, const char *key, uint64_t *out)
{
    json_t *v = json_object_get(j, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

int lb_node_parse_info(const json_t *j,
                       struct lb_chain_info *out,
                       struct lb_error *err)
{
    const char *tip, *lib, *mode;

    memset(out, 0, sizeof(*out));
    if (!json_is_object(j))
        return lb_error_set(
            err, LB_EPARSE, "cryptarchia info is not a JSON object");
    tip = json_string_value(json_object_get(j, "tip"));
    lib = json_string_value(json_object_get(j, "lib"));
    if (!lb_is_hex_id(tip))
        return lb_error_set(
            err, LB_EPARSE, "cryptarchia info: 'tip' is not a 64-hex id");
    if (lib && !lb_is_hex_id(lib))
        return lb_error_set(
            err, LB_EPARSE, "cryptarchia info: 'lib' is not a 64-hex id");
    if (get_u64(j, "height", &out->height) != 0)
        return lb_error_set(
            err, LB_EPARSE, "cryptarchia info: 'height' is not a number");
    if (get_u64(j, "slot", &out->slot) != 0)
        return lb_error_set(
            err, LB_EPARSE, "cryptarchia info: 'slot' is not a number");
    memcpy(out->tip, tip, 65);
    if (lib)
        memcpy(out->lib, lib, 65);
    mode = json_string_value(json_object_get(j, "mode"));
    out->online = !mode || strcmp(mode, "Online") == 0;
    return 0;
}

long lb_node_parse_peers(const json_t *j, struct lb_error *err)
{
    json_t *v = json_object_get(j, "n_peers");
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        lb_error_set(err, LB_EPARSE, "network info: 'n_peers' is not a number");
        return -1;
    }
    return (long)json_integer_value(v);
}
