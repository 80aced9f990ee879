/*
 * `refnode devnet`: a local cluster of refnode processes for exploring by
 * hand and for tests (see `refnode --help`), plus the helpers it shares with
 * the integration tests: free ports and config files.
 */
#ifndef RN_DEVNET_H
#define RN_DEVNET_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Runs the devnet command; argv[0] is "devnet". Returns the exit status. */
int rn_devnet_main(int argc, char **argv);

/*
 * A TCP port on 127.0.0.1 that was free a moment ago, never the same twice
 * in one process, below the kernel's ephemeral range; 0 when none found.
 */
unsigned rn_free_port(void);

/* One node of a cluster description. */
struct rn_cluster_node {
    char name[64];
    int executor;
    unsigned api, testing, network;
};

struct rn_cluster {
    struct rn_cluster_node *nodes;
    size_t n;
    const char *seed;
    int64_t start_ms;
    unsigned slot_ms;
    double f;
    unsigned k;
    unsigned wallets, wallet_funds, wallet_notes;
    unsigned subnets;
    const char *layout; /* star | chain | full */
};

/* The YAML config of node `i` into `out`, with `dir` holding its files. */
void rn_cluster_config(const struct rn_cluster *c,
                       size_t i,
                       const char *dir,
                       struct lb_buf *out);

#endif
