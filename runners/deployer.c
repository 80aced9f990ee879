/*
 * The registry of deployers. Compose and Kubernetes are named here so that
 * feature files written for them parse and fail with the reference's texts
 * ("compose deploy failed: ...") until their backends land.
 */
#include "runners/deployer.h"

#include <string.h>

const char *lb_node_action_name(enum lb_node_action a)
{
    static const char *const names[] = {
        "restart", "stop", "start", "pause", "resume", "isolate", "heal"};
    if ((unsigned)a < sizeof(names) / sizeof(names[0]))
        return names[a];
    return "unknown";
}

static int compose_deploy(const struct lb_cluster_spec *spec,
                          uv_loop_t *loop,
                          struct lb_deployment **out,
                          struct lb_error *err)
{
    (void)spec;
    (void)loop;
    *out = NULL;
    return lb_error_set(err,
                        LB_ENOTFOUND,
                        "compose deploy failed: the compose deployer is not "
                        "built into this logos-bdd (use deployer \"local\")");
}

static int k8s_deploy(const struct lb_cluster_spec *spec,
                      uv_loop_t *loop,
                      struct lb_deployment **out,
                      struct lb_error *err)
{
    (void)spec;
    (void)loop;
    *out = NULL;
    return lb_error_set(err,
                        LB_ENOTFOUND,
                        "k8s deploy failed: the k8s deployer is not built "
                        "into this logos-bdd (use deployer \"local\")");
}

static const struct lb_deployer_ops compose_ops = {.name = "compose",
                                                   .deploy = compose_deploy};
static const struct lb_deployer_ops k8s_ops = {.name = "k8s",
                                               .deploy = k8s_deploy};

const struct lb_deployer_ops *lb_deployer_find(const char *name)
{
    if (!name || strcmp(name, "local") == 0 || strcmp(name, "host") == 0)
        return &lb_local_deployer;
    if (strcmp(name, "compose") == 0 || strcmp(name, "docker") == 0)
        return &compose_ops;
    if (strcmp(name, "k8s") == 0)
        return &k8s_ops;
    return NULL;
}

bool lb_deployer_known(const char *name)
{
    return lb_deployer_find(name) != NULL;
}
