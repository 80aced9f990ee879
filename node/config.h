/*
 * refnode's configuration: one YAML file (see `refnode --help` and
 * refnode_contract.md), parsed with libyaml into a plain struct. Every
 * unknown key, missing required key or bad value is an error naming
 * FILE:LINE:COL.
 */
#ifndef RN_CONFIG_H
#define RN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lb_error;

#define RN_NAME_MAX 64
#define RN_ADDR_MAX 64

enum rn_role { RN_VALIDATOR = 0, RN_EXECUTOR = 1 };

struct rn_addr {
    char text[RN_ADDR_MAX]; /* "127.0.0.1:18800" */
    char host[RN_ADDR_MAX];
    unsigned port;
};

struct rn_stake {
    char name[RN_NAME_MAX];
    enum rn_role role;
    uint64_t stake;
};

struct rn_wallet {
    char name[RN_NAME_MAX];
    uint64_t funds;
    uint32_t notes;
};

struct rn_config {
    char name[RN_NAME_MAX];
    enum rn_role role;
    char *data_dir;
    char *log_file; /* NULL: stderr */
    int log_level;  /* enum lb_log_level */
    struct rn_addr api, testing, network;
    struct rn_addr *peers;
    size_t n_peers;
    char *genesis_seed;
    int64_t start_time_ms;
    uint64_t slot_ms;
    double f;
    uint64_t k;
    struct rn_stake *nodes;
    size_t n_nodes;
    struct rn_wallet *wallets;
    size_t n_wallets;
    uint32_t da_subnets;    /* 0: not configured (treated as 1) */
    uint32_t da_max_shares; /* shares held (the newest); 0: 4096 */
};

/*
 * Parses the YAML text `text` (`len` bytes) read from `path` (used in
 * messages only) into `cfg`, which the caller releases with
 * rn_config_release() whatever the result. Returns 0, or LB_EPARSE /
 * LB_EINVAL with "PATH:LINE:COL"-located reason in `err`.
 */
int rn_config_parse(struct rn_config *cfg,
                    const char *path,
                    const char *text,
                    size_t len,
                    struct lb_error *err);

/* Reads and parses the file at `path`. */
int rn_config_load(struct rn_config *cfg,
                   const char *path,
                   struct lb_error *err);

void rn_config_release(struct rn_config *cfg);

/* Parses "host:port" (IPv4 dotted host, port 1..65535). */
bool rn_addr_parse(struct rn_addr *a, const char *text);

#endif
