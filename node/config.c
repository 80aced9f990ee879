/*
 * The YAML config of refnode (config.h), through libyaml's document API so
 * every value keeps its line and column for error messages.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"

struct ctx {
    yaml_document_t *doc;
    const char *path;
    struct lb_error *err;
};

static int fail(struct ctx *c, yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, yaml_node_t *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return lb_error_set_at(c->err,
                           LB_EINVAL,
                           c->path,
                           n ? (int)n->start_mark.line + 1 : 0,
                           n ? (int)n->start_mark.column + 1 : 0,
                           "%s",
                           msg);
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}

static int
get_str(struct ctx *c, yaml_node_t *n, const char *key, char *out, size_t size)
{
    const char *s = scalar(n);

    if (s == NULL || *s == '\0')
        return fail(c, n, "'%s' must be a non-empty string", key);
    if (strlen(s) >= size)
        return fail(c, n, "'%s' is too long", key);
    memcpy(out, s, strlen(s) + 1);
    return 0;
}

static int get_dup(struct ctx *c, yaml_node_t *n, const char *key, char **out)
{
    const char *s = scalar(n);

    if (s == NULL || *s == '\0')
        return fail(c, n, "'%s' must be a non-empty string", key);
    lb_free(*out);
    *out = lb_xstrdup(s);
    return 0;
}

static int get_u64(struct ctx *c,
                   yaml_node_t *n,
                   const char *key,
                   uint64_t min,
                   uint64_t max,
                   uint64_t *out)
{
    const char *s = scalar(n);
    char *end;
    unsigned long long v;

    if (s == NULL || *s < '0' || *s > '9')
        return fail(c, n, "'%s' must be a non-negative integer", key);
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return fail(c, n, "'%s' must be a non-negative integer", key);
    if (v < min || v > max)
        return fail(c, n, "'%s' is out of range", key);
    *out = v;
    return 0;
}

static int get_role(struct ctx *c, yaml_node_t *n, enum rn_role *out)
{
    const char *s = scalar(n);

    if (s != NULL && strcmp(s, "validator") == 0)
        *out = RN_VALIDATOR;
    else if (s != NULL && strcmp(s, "executor") == 0)
        *out = RN_EXECUTOR;
    else
        return fail(c, n, "'%s' must be validator or executor", "role");
    return 0;
}

static int
get_addr(struct ctx *c, yaml_node_t *n, const char *key, struct rn_addr *a)
{
    const char *s = scalar(n);

    if (s == NULL || !rn_addr_parse(a, s))
        return fail(c, n, "'%s' must be IPV4:PORT with a port 1..65535", key);
    return 0;
}

bool rn_addr_parse(struct rn_addr *a, const char *text)
{
    const char *colon = strrchr(text, ':');
    struct in_addr in;
    char *end;
    unsigned long port;
    size_t hl;

    if (colon == NULL || strlen(text) >= RN_ADDR_MAX)
        return false;
    hl = (size_t)(colon - text);
    memcpy(a->host, text, hl);
    a->host[hl] = '\0';
    if (inet_pton(AF_INET, a->host, &in) != 1)
        return false;
    errno = 0;
    port = strtoul(colon + 1, &end, 10);
    if (errno != 0 || *end != '\0' || colon[1] == '\0' || port == 0 ||
        port > 65535)
        return false;
    a->port = (unsigned)port;
    memcpy(a->text, text, strlen(text) + 1);
    return true;
}

#define FOREACH_PAIR(doc, map, p)               \
    for ((p) = (map)->data.mapping.pairs.start; \
         (map)->type == YAML_MAPPING_NODE &&    \
         (p) < (map)->data.mapping.pairs.top;   \
         (p)++)

static yaml_node_t *node_at(struct ctx *c, int i)
{
    return yaml_document_get_node(c->doc, i);
}

static int need_map(struct ctx *c, yaml_node_t *n, const char *what)
{
    if (n == NULL || n->type != YAML_MAPPING_NODE)
        return fail(c, n, "'%s' must be a mapping", what);
    return 0;
}

static int parse_node(struct ctx *c, yaml_node_t *map, struct rn_config *cfg)
{
    yaml_node_pair_t *p;
    bool have_name = false, have_dir = false;
    int rc;

    if ((rc = need_map(c, map, "node")) != 0)
        return rc;
    FOREACH_PAIR(c->doc, map, p)
    {
        yaml_node_t *kn = node_at(c, p->key), *v = node_at(c, p->value);
        const char *k = scalar(kn);

        if (k == NULL)
            return fail(c, kn, "%s", "keys must be strings");
        if (strcmp(k, "name") == 0)
            rc = get_str(c, v, k, cfg->name, sizeof(cfg->name)),
            have_name = true;
        else if (strcmp(k, "role") == 0)
            rc = get_role(c, v, &cfg->role);
        else if (strcmp(k, "data_dir") == 0)
            rc = get_dup(c, v, k, &cfg->data_dir), have_dir = true;
        else if (strcmp(k, "log_file") == 0)
            rc = get_dup(c, v, k, &cfg->log_file);
        else if (strcmp(k, "log_level") == 0) {
            static const char *levels[] = {
                "error", "warn", "info", "debug", "trace"};
            const char *s = scalar(v);
            int i;

            for (i = 0; i < 5; i++)
                if (s != NULL && strcmp(s, levels[i]) == 0)
                    break;
            if (i == 5)
                return fail(
                    c, v, "'%s' must be error|warn|info|debug|trace", k);
            cfg->log_level = i;
        } else
            return fail(c, kn, "unknown key 'node.%s'", k);
        if (rc != 0)
            return rc;
    }
    if (!have_name)
        return fail(c, map, "missing key '%s'", "node.name");
    if (!have_dir)
        return fail(c, map, "missing key '%s'", "node.data_dir");
    return 0;
}

static int parse_listen(struct ctx *c, yaml_node_t *map, struct rn_config *cfg)
{
    yaml_node_pair_t *p;
    int rc;

    if ((rc = need_map(c, map, "listen")) != 0)
        return rc;
    FOREACH_PAIR(c->doc, map, p)
    {
        yaml_node_t *kn = node_at(c, p->key), *v = node_at(c, p->value);
        const char *k = scalar(kn);

        if (k != NULL && strcmp(k, "api") == 0)
            rc = get_addr(c, v, k, &cfg->api);
        else if (k != NULL && strcmp(k, "testing") == 0)
            rc = get_addr(c, v, k, &cfg->testing);
        else if (k != NULL && strcmp(k, "network") == 0)
            rc = get_addr(c, v, k, &cfg->network);
        else
            return fail(c, kn, "unknown key 'listen.%s'", k ? k : "?");
        if (rc != 0)
            return rc;
    }
    if (cfg->api.port == 0 || cfg->testing.port == 0 || cfg->network.port == 0)
        return fail(
            c, map, "%s", "'listen' needs 'api', 'testing' and 'network'");
    return 0;
}

static int parse_peers(struct ctx *c, yaml_node_t *seq, struct rn_config *cfg)
{
    yaml_node_item_t *it;
    size_t n = 0;
    int rc;

    if (seq->type == YAML_SCALAR_NODE && *scalar(seq) == '\0')
        return 0; /* "peers:" with nothing */
    if (seq->type != YAML_SEQUENCE_NODE)
        return fail(c, seq, "'%s' must be a list", "peers");
    cfg->peers = lb_xcalloc((size_t)(seq->data.sequence.items.top -
                                     seq->data.sequence.items.start) +
                                1,
                            sizeof(*cfg->peers));
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
         it++)
    {
        if ((rc = get_addr(c, node_at(c, *it), "peers[]", &cfg->peers[n])) != 0)
            return rc;
        cfg->n_peers = ++n;
    }
    return 0;
}

static int parse_double(struct ctx *c, yaml_node_t *v, double *out)
{
    const char *s = scalar(v);
    char *end;
    double d;

    if (s == NULL || *s == '\0')
        return fail(
            c, v, "'%s' must be a number in (0, 1]", "active_slot_coeff");
    errno = 0;
    d = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !(d > 0.0 && d <= 1.0) || isnan(d))
        return fail(
            c, v, "'%s' must be a number in (0, 1]", "active_slot_coeff");
    *out = d;
    return 0;
}

static int parse_chain(struct ctx *c, yaml_node_t *map, struct rn_config *cfg)
{
    yaml_node_pair_t *p;
    unsigned seen = 0;
    int rc;

    if ((rc = need_map(c, map, "chain")) != 0)
        return rc;
    FOREACH_PAIR(c->doc, map, p)
    {
        yaml_node_t *kn = node_at(c, p->key), *v = node_at(c, p->value);
        const char *k = scalar(kn);
        uint64_t u = 0;

        if (k != NULL && strcmp(k, "genesis_seed") == 0)
            rc = get_dup(c, v, k, &cfg->genesis_seed), seen |= 1;
        else if (k != NULL && strcmp(k, "start_time_ms") == 0) {
            rc = get_u64(c, v, k, 0, (uint64_t)INT64_MAX / 2, &u);
            cfg->start_time_ms = (int64_t)u;
            seen |= 2;
        } else if (k != NULL && strcmp(k, "slot_duration_ms") == 0)
            rc = get_u64(c, v, k, 50, 600000, &cfg->slot_ms), seen |= 4;
        else if (k != NULL && strcmp(k, "active_slot_coeff") == 0)
            rc = parse_double(c, v, &cfg->f), seen |= 8;
        else if (k != NULL && strcmp(k, "security_param") == 0)
            rc = get_u64(c, v, k, 1, 100000, &cfg->k), seen |= 16;
        else
            return fail(c, kn, "unknown key 'chain.%s'", k ? k : "?");
        if (rc != 0)
            return rc;
    }
    if (!(seen & 1))
        return fail(c, map, "missing key '%s'", "chain.genesis_seed");
    if (!(seen & 2))
        return fail(c, map, "missing key '%s'", "chain.start_time_ms");
    if (!(seen & 4))
        return fail(c, map, "missing key '%s'", "chain.slot_duration_ms");
    return 0;
}

static int parse_nodes(struct ctx *c, yaml_node_t *seq, struct rn_config *cfg)
{
    yaml_node_item_t *it;
    int rc;

    if (seq->type != YAML_SEQUENCE_NODE)
        return fail(c, seq, "'%s' must be a list", "nodes");
    cfg->nodes = lb_xcalloc((size_t)(seq->data.sequence.items.top -
                                     seq->data.sequence.items.start) +
                                1,
                            sizeof(*cfg->nodes));
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
         it++)
    {
        yaml_node_t *map = node_at(c, *it);
        struct rn_stake *s = &cfg->nodes[cfg->n_nodes];
        yaml_node_pair_t *p;
        bool named = false;

        if ((rc = need_map(c, map, "nodes[]")) != 0)
            return rc;
        s->stake = 1000;
        FOREACH_PAIR(c->doc, map, p)
        {
            yaml_node_t *kn = node_at(c, p->key), *v = node_at(c, p->value);
            const char *k = scalar(kn);

            if (k != NULL && strcmp(k, "name") == 0)
                rc = get_str(c, v, k, s->name, sizeof(s->name)), named = true;
            else if (k != NULL && strcmp(k, "role") == 0)
                rc = get_role(c, v, &s->role);
            else if (k != NULL && strcmp(k, "stake") == 0)
                rc = get_u64(c, v, k, 0, 1000000000000ull, &s->stake);
            else
                return fail(c, kn, "unknown key 'nodes[].%s'", k ? k : "?");
            if (rc != 0)
                return rc;
        }
        if (!named)
            return fail(c, map, "missing key '%s'", "nodes[].name");
        cfg->n_nodes++;
    }
    return 0;
}

static int parse_wallets(struct ctx *c, yaml_node_t *seq, struct rn_config *cfg)
{
    yaml_node_item_t *it;
    int rc;

    if (seq->type == YAML_SCALAR_NODE && *scalar(seq) == '\0')
        return 0;
    if (seq->type != YAML_SEQUENCE_NODE)
        return fail(c, seq, "'%s' must be a list", "wallets");
    cfg->wallets = lb_xcalloc((size_t)(seq->data.sequence.items.top -
                                       seq->data.sequence.items.start) +
                                  1,
                              sizeof(*cfg->wallets));
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
         it++)
    {
        yaml_node_t *map = node_at(c, *it);
        struct rn_wallet *w = &cfg->wallets[cfg->n_wallets];
        yaml_node_pair_t *p;
        bool named = false, funded = false;
        uint64_t notes = 1;

        if ((rc = need_map(c, map, "wallets[]")) != 0)
            return rc;
        FOREACH_PAIR(c->doc, map, p)
        {
            yaml_node_t *kn = node_at(c, p->key), *v = node_at(c, p->value);
            const char *k = scalar(kn);

            if (k != NULL && strcmp(k, "name") == 0)
                rc = get_str(c, v, k, w->name, sizeof(w->name)), named = true;
            else if (k != NULL && strcmp(k, "funds") == 0)
                rc = get_u64(c, v, k, 0, (uint64_t)INT64_MAX / 4, &w->funds),
                funded = true;
            else if (k != NULL && strcmp(k, "notes") == 0)
                rc = get_u64(c, v, k, 1, 100000, &notes);
            else
                return fail(c, kn, "unknown key 'wallets[].%s'", k ? k : "?");
            if (rc != 0)
                return rc;
        }
        if (!named || !funded)
            return fail(c, map, "missing key '%s'", named ? "funds" : "name");
        w->notes = (uint32_t)notes;
        cfg->n_wallets++;
    }
    return 0;
}

static int parse_da(struct ctx *c, yaml_node_t *map, struct rn_config *cfg)
{
    yaml_node_pair_t *p;
    int rc;

    if ((rc = need_map(c, map, "da")) != 0)
        return rc;
    FOREACH_PAIR(c->doc, map, p)
    {
        yaml_node_t *kn = node_at(c, p->key), *v = node_at(c, p->value);
        const char *k = scalar(kn);
        uint64_t u = 0;

        if (k != NULL && strcmp(k, "subnets") == 0) {
            if ((rc = get_u64(c, v, k, 1, 1024, &u)) != 0)
                return rc;
            cfg->da_subnets = (uint32_t)u;
        } else if (k != NULL && strcmp(k, "max_shares") == 0) {
            if ((rc = get_u64(c, v, k, 1, 1000000, &u)) != 0)
                return rc;
            cfg->da_max_shares = (uint32_t)u;
        } else
            return fail(c, kn, "unknown key 'da.%s'", k ? k : "?");
    }
    return 0;
}

static int parse_root(struct ctx *c, yaml_node_t *root, struct rn_config *cfg)
{
    yaml_node_pair_t *p;
    bool have[4] = {false, false, false, false};
    size_t i;
    int rc;

    if (root == NULL)
        return lb_error_set_at(
            c->err, LB_EINVAL, c->path, 1, 1, "the config file is empty");
    if ((rc = need_map(c, root, "the config")) != 0)
        return rc;
    FOREACH_PAIR(c->doc, root, p)
    {
        yaml_node_t *kn = node_at(c, p->key), *v = node_at(c, p->value);
        const char *k = scalar(kn);

        if (k != NULL && strcmp(k, "node") == 0)
            rc = parse_node(c, v, cfg), have[0] = true;
        else if (k != NULL && strcmp(k, "listen") == 0)
            rc = parse_listen(c, v, cfg), have[1] = true;
        else if (k != NULL && strcmp(k, "peers") == 0)
            rc = parse_peers(c, v, cfg);
        else if (k != NULL && strcmp(k, "chain") == 0)
            rc = parse_chain(c, v, cfg), have[2] = true;
        else if (k != NULL && strcmp(k, "nodes") == 0)
            rc = parse_nodes(c, v, cfg), have[3] = true;
        else if (k != NULL && strcmp(k, "wallets") == 0)
            rc = parse_wallets(c, v, cfg);
        else if (k != NULL && strcmp(k, "da") == 0)
            rc = parse_da(c, v, cfg);
        else
            return fail(c, kn, "unknown key '%s'", k ? k : "?");
        if (rc != 0)
            return rc;
    }
    if (!have[0])
        return fail(c, root, "missing key '%s'", "node");
    if (!have[1])
        return fail(c, root, "missing key '%s'", "listen");
    if (!have[2])
        return fail(c, root, "missing key '%s'", "chain");
    if (!have[3] || cfg->n_nodes == 0)
        return fail(c, root, "missing key '%s' (the stake table)", "nodes");
    for (i = 0; i < cfg->n_nodes; i++)
        if (strcmp(cfg->nodes[i].name, cfg->name) == 0)
            break;
    if (i == cfg->n_nodes)
        return fail(
            c, root, "node '%s' is not in the 'nodes' table", cfg->name);
    return 0;
}

int rn_config_parse(struct rn_config *cfg,
                    const char *path,
                    const char *text,
                    size_t len,
                    struct lb_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    struct ctx c = {&doc, path, err};
    int rc;

    memset(cfg, 0, sizeof(*cfg));
    cfg->log_level = 2;
    cfg->f = 0.9;
    cfg->k = 10;
    if (!yaml_parser_initialize(&parser))
        return lb_error_set(err, LB_ENOMEM, "cannot start the yaml parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = lb_error_set_at(err,
                             LB_EPARSE,
                             path,
                             (int)parser.problem_mark.line + 1,
                             (int)parser.problem_mark.column + 1,
                             "%s",
                             parser.problem ? parser.problem : "bad yaml");
        yaml_parser_delete(&parser);
        return rc;
    }
    rc = parse_root(&c, yaml_document_get_root_node(&doc), cfg);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

int rn_config_load(struct rn_config *cfg,
                   const char *path,
                   struct lb_error *err)
{
    struct lb_buf b = LB_BUF_INIT;
    int rc;

    b.max = 16 << 20;
    memset(cfg, 0, sizeof(*cfg));
    rc = lb_buf_read_file(&b, path, err);
    if (rc == 0)
        rc = rn_config_parse(cfg, path, b.ptr, b.len, err);
    lb_buf_release(&b);
    return rc;
}

void rn_config_release(struct rn_config *cfg)
{
    lb_free(cfg->data_dir);
    lb_free(cfg->log_file);
    lb_free(cfg->peers);
    lb_free(cfg->genesis_seed);
    lb_free(cfg->nodes);
    lb_free(cfg->wallets);
    memset(cfg, 0, sizeof(*cfg));
}
