/*
 * The node API client (NODE-API.md §2–§3): one per node, asynchronous on the
 * run's HTTP bridge, JSON through jansson. Every error names the node, the
 * method, the URL, the HTTP status and the node's log file:
 *   node 'validator-0': GET http://127.0.0.1:18800/cryptarchia/info:
 *   HTTP 500: reason (node log: /tmp/lb-run-x/validator-0/node.log)
 */
#ifndef LB_NET_NODE_H
#define LB_NET_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/error.h"
#include "net/http.h"

struct lb_node_client {
    char name[64];     /* "validator-0" */
    char api_url[128]; /* "http://127.0.0.1:18800", no trailing slash */
    char testing_url[128];
    const char *log_path; /* borrowed from the deployer; may be NULL */
    struct lb_http *http; /* borrowed */
    long timeout_ms;      /* per request; 0 = 5 s */
    const bool *stop;     /* borrowed: sync calls give up when it is set */
};

/*
 * Called once per call. `resp` (borrowed, NULL when the body was empty) is
 * the parsed body of a 2xx answer; on failure `err` is set and `resp` NULL.
 */
typedef void (*lb_node_cb)(void *data,
                           json_t *resp,
                           const struct lb_error *err);

enum lb_node_listener { LB_NODE_API = 0, LB_NODE_TESTING = 1 };

/*
 * Starts `METHOD path` on the API or testing listener with `body` (a JSON
 * value, borrowed and serialised now; NULL for none). Returns the call (for
 * lb_http_cancel) or NULL with `err` set.
 */
struct lb_http_call *lb_node_call(struct lb_node_client *node,
                                  enum lb_node_listener listener,
                                  const char *method,
                                  const char *path,
                                  json_t *body,
                                  lb_node_cb cb,
                                  void *data,
                                  struct lb_error *err);

/*
 * The same, waiting on the loop for the answer (other handles keep
 * running): for the lifecycle only, never from a loop callback. `*out`
 * (may be NULL) receives a new reference to the answer, or NULL.
 */
int lb_node_call_sync(struct lb_node_client *node,
                      enum lb_node_listener listener,
                      const char *method,
                      const char *path,
                      json_t *body,
                      json_t **out,
                      struct lb_error *err);

/* GET /cryptarchia/info, parsed. */
struct lb_chain_info {
    char tip[65];
    char lib[65];
    uint64_t slot;
    uint64_t height;
    bool online; /* mode == "Online" */
};
int lb_node_parse_info(const json_t *j,
                       struct lb_chain_info *out,
                       struct lb_error *err);

/* GET /network/info: n_peers; -1 with `err` set when malformed. */
long lb_node_parse_peers(const json_t *j, struct lb_error *err);

/* True when `s` is a 64-character lowercase hex id. */
bool lb_is_hex_id(const char *s);

#endif
