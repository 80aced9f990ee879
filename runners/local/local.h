/*
 * The local deployer (runners/deployer.h: lb_local_deployer): node
 * processes on 127.0.0.1. This header adds what tests and the CLI need
 * beyond the interface.
 */
#ifndef LB_RUNNERS_LOCAL_LOCAL_H
#define LB_RUNNERS_LOCAL_LOCAL_H

#include <stddef.h>

#include "core/error.h"

/*
 * The node binary the local deployer runs: NOMOS_NODE_BIN,
 * LOGOS_BLOCKCHAIN_NODE_BIN or LB_REFNODE_BIN when set, else `refnode` next
 * to the running executable, else $LB_BUILD_DIR/refnode. Writes the path to
 * `out`; LB_ENOTFOUND with the places tried.
 */
int lb_local_find_node_bin(char *out, size_t size, struct lb_error *err);

/* Removes `dir` and everything below it (symlinks are not followed). */
void lb_local_remove_tree(const char *dir);

#endif
