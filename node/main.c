/*
 * refnode's command line: `refnode --config FILE` runs one node,
 * `refnode devnet ...` a local cluster (devnet.c).
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/error.h"
#include "devnet.h"
#include "node.h"

static const char usage[] =
    "usage: refnode --config FILE\n"
    "       refnode devnet --nodes N [--executors M] [--slot-ms MS]\n"
    "                      [--layout star|chain|full] [--f F] [--k K]\n"
    "                      [--wallets U] --dir DIR\n"
    "       refnode --help\n"
    "\n"
    "refnode is the reference node of logos-bdd: one process per node, a\n"
    "real chain behind the Logos node HTTP API (NODE-API.md).\n"
    "\n"
    "Options:\n"
    "  --config FILE   run one node configured by FILE (YAML, below)\n"
    "  --help          this text\n"
    "\n"
    "devnet: start a local cluster of N nodes, print one API URL per line\n"
    "on stdout once every node answers, stop them all on SIGINT/SIGTERM.\n"
    "  --nodes N          nodes in total (1..200)\n"
    "  --executors M      how many of them (the last M) are executors\n"
    "                     (default 0)\n"
    "  --slot-ms MS       slot duration in ms, 50..600000 (default 200)\n"
    "  --layout L         star (default; node 0 is the hub), chain (node i\n"
    "                     peers with i-1) or full (i peers with 0..i-1)\n"
    "  --f F              active slot coefficient in (0, 1] (default 0.9)\n"
    "  --k K              security parameter (default 10)\n"
    "  --wallets U        wallet users wallet-user-0..U-1 with 1000 funds\n"
    "                     in 10 notes each (default 4)\n"
    "  --dir DIR          where configs, data and logs go: DIR/<name>/\n"
    "                     {config.yaml,data/,node.log}\n"
    "\n"
    "Config file (every key but log_file, log_level, peers, wallets, da and\n"
    "the chain's active_slot_coeff/security_param is required; unknown keys\n"
    "are errors, reported as FILE:LINE:COL, exit status 2):\n"
    "  node:\n"
    "    name: validator-0        # the key derives from it\n"
    "    role: validator          # validator | executor\n"
    "    data_dir: /path/data     # block and DA share logs (blocks.log,\n"
    "                             # shares.log)\n"
    "    log_file: /path/node.log # default stderr\n"
    "    log_level: info          # error | warn | info | debug | trace\n"
    "  listen:                    # IPV4:PORT, port 0 not allowed\n"
    "    api: 127.0.0.1:18800\n"
    "    testing: 127.0.0.1:18801\n"
    "    network: 127.0.0.1:18802\n"
    "  peers: [127.0.0.1:18805]   # initial peers' network addresses\n"
    "  chain:\n"
    "    genesis_seed: \"lb-run-x\" # keys and genesis derive from it\n"
    "    start_time_ms: 1763845555000  # unix ms of slot 0\n"
    "    slot_duration_ms: 200    # 50..600000\n"
    "    active_slot_coeff: 0.9   # f in (0, 1]\n"
    "    security_param: 10       # k: LIB = tip height - k\n"
    "  nodes:                     # genesis stake table, every node in order\n"
    "    - {name: validator-0, role: validator, stake: 1000}\n"
    "  wallets:                   # genesis notes: funds split into notes\n"
    "    - {name: wallet-user-0, funds: 100, notes: 10}\n"
    "  da:\n"
    "    subnets: 2               # validators assigned round-robin\n"
    "    max_shares: 4096         # shares a validator keeps (newest),\n"
    "                             # 1..1000000\n"
    "\n"
    "Exit status: 0 after SIGTERM/SIGINT, 1 when the node cannot start\n"
    "(e.g. a port in use), 2 on usage or config errors.\n";

int main(int argc, char **argv)
{
    struct rn_config cfg;
    struct rn_node node;
    struct lb_error err;
    int rc;

    if (argc >= 2 && strcmp(argv[1], "devnet") == 0)
        return rn_devnet_main(argc - 1, argv + 1);
    if (argc == 2 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        (void)fputs(usage, stdout);
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "--config") != 0) {
        (void)fputs(usage, stderr);
        return 2;
    }
    lb_error_init(&err);
    if (rn_config_load(&cfg, argv[2], &err) != 0) {
        lb_error_print(&err, stderr);
        rn_config_release(&cfg);
        return 2;
    }
    /*
     * OpenSSL's defaults cost resident memory a node never uses: the
     * system openssl.cnf, every error string and the legacy cipher and
     * digest name tables (about 0.6 MB). Chosen first, they stay off for
     * good; refnode speaks plain HTTP (OpenSSL's client, node/http.c) and
     * only needs SHA-256 and Ed25519, which are fetched on use.
     */
    (void)OPENSSL_init_crypto(
        OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
            OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
        NULL);
    rc = rn_node_init(&node, &cfg, &err);
    if (rc != 0) {
        (void)fprintf(stderr, "refnode: %s\n", err.msg);
        rn_log(&node, LB_LOG_ERROR, "cannot start: %s", err.msg);
        rn_node_release(&node);
        return 1;
    }
    rc = rn_node_run(&node);
    rn_node_release(&node);
    return rc == 0 ? 0 : 1;
}
