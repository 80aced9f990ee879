/*
 * The deployer interface (FRAMEWORK.md §9): a backend provisions the nodes
 * of a cluster spec, hands back their endpoints and log locations, controls
 * single nodes (restart, stop, start, pause, resume, isolate, heal) and
 * cleans up exactly once. The local backend lives in runners/local/; compose
 * and k8s plug in behind the same table of functions.
 *
 * Threading and loop: everything runs on the run's loop thread. deploy()
 * and cleanup() are called by the lifecycle (never from a loop callback)
 * and may run the loop while they wait; control() may be called from loop
 * callbacks and reports completion through its callback.
 */
#ifndef LB_RUNNERS_DEPLOYER_H
#define LB_RUNNERS_DEPLOYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "core/error.h"
#include "net/http.h"
#include "scenario/plan.h"

#define LB_MAX_PEERS 64

/* One node of the cluster to deploy. */
struct lb_cluster_node {
    char name[64]; /* "validator-0", "executor-1": also its key label */
    enum lb_role role;
    long role_index;
    long peers[LB_MAX_PEERS]; /* initial peers: indices into the cluster */
    size_t n_peers;
};

/* A genesis wallet: `funds` split into `notes` notes. */
struct lb_wallet_spec {
    char name[40]; /* "wallet-user-<i>" */
    long long funds;
    long notes;
};

struct lb_cluster_spec {
    char run_id[32];
    char genesis_seed[64];
    int64_t start_time_ms; /* unix ms of slot 0 */
    double slot_s;
    double active_slot_coeff;
    long security_param;
    struct lb_cluster_node *nodes; /* borrowed, n_nodes entries */
    size_t n_nodes;
    struct lb_wallet_spec *wallets; /* borrowed */
    size_t n_wallets;
    long da_subnets;      /* 0 = no DA section */
    double timeout_scale; /* 2 when SLOW_TEST_ENV=true */
    const bool *stop;     /* borrowed: give up waiting when set (Ctrl-C) */
    struct lb_http *http; /* borrowed: for readiness probes */
};

/* Where one deployed node is reached, and where its log is. */
struct lb_deployed_node {
    char name[64];
    enum lb_role role;
    long role_index;
    int api_port;
    char api_url[128];     /* "http://127.0.0.1:18800" */
    char testing_url[128]; /* "http://127.0.0.1:18801" */
    char network_addr[64]; /* "127.0.0.1:18802" */
    char log_path[1024];
    char label[96]; /* "validator#0@18800", used in readiness messages */
};

enum lb_node_action {
    LB_NODE_RESTART = 0,
    LB_NODE_STOP,
    LB_NODE_START,
    LB_NODE_PAUSE,
    LB_NODE_RESUME,
    LB_NODE_ISOLATE,
    LB_NODE_HEAL
};

/* "restart", "stop", ... */
const char *lb_node_action_name(enum lb_node_action a);

struct lb_deployment;

/* Completion of a control action: `err` NULL on success. */
typedef void (*lb_control_cb)(void *data,
                              struct lb_deployment *d,
                              const struct lb_error *err);

struct lb_deployer_ops {
    const char *name; /* "local" */
    /*
     * Provisions the cluster and waits until every node is ready (its API
     * answers); `*out` is the deployment, owned by the caller until
     * cleanup(). On failure nothing is left behind and `err` says why.
     */
    int (*deploy)(const struct lb_cluster_spec *spec,
                  uv_loop_t *loop,
                  struct lb_deployment **out,
                  struct lb_error *err);
    /* Node control; NULL when the backend has none. */
    int (*control)(struct lb_deployment *d,
                   size_t node,
                   enum lb_node_action action,
                   lb_control_cb cb,
                   void *data,
                   struct lb_error *err);
    /*
     * True when node `node` exited since the last start; `status` and
     * `signal` (may be NULL) say how. `expected` tells whether the runner
     * stopped it on purpose.
     */
    bool (*node_exited)(struct lb_deployment *d,
                        size_t node,
                        int *status,
                        int *signal,
                        bool *expected);
    /*
     * Stops every node and removes the work dir unless `keep`; frees `d`.
     * Exactly once per deployment, on every path.
     */
    void (*cleanup)(struct lb_deployment *d, bool keep);
};

/* What every backend's deployment starts with. */
struct lb_deployment {
    const struct lb_deployer_ops *ops;
    struct lb_deployed_node *nodes; /* owned by the backend */
    size_t n_nodes;
    char work_dir[512]; /* "" when the backend has none */
};

/*
 * The backend named `name` ("local" or its alias "host"; "compose",
 * "docker", "k8s"); NULL for an unknown name. A known backend that is not
 * built in fails its deploy with "<name> deploy failed: ...".
 */
const struct lb_deployer_ops *lb_deployer_find(const char *name);

/* True when `name` names a deployer (built in or not). */
bool lb_deployer_known(const char *name);

extern const struct lb_deployer_ops lb_local_deployer;

#endif
