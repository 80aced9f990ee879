/*
 * `refnode devnet` (devnet.h): writes one config per node under DIR, forks
 * a refnode per node (each with a parent-death signal), waits until each
 * answers GET /cryptarchia/info, prints the API URLs, and stops them all on
 * SIGINT/SIGTERM.
 */
#include "devnet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/http.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/time.h"

/*
 * Ports handed out by this process (so one cluster never gets a port
 * twice) and the start of the kernel's ephemeral range: ports are picked
 * below it, where outgoing connections of already running nodes cannot
 * take them between the pick and the node's bind.
 */
static unsigned char given[65536 / 8];

static unsigned ephemeral_low(void)
{
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    unsigned long low = 32768;
    char line[64];

    if (f != NULL) {
        if (fgets(line, sizeof(line), f) != NULL)
            low = strtoul(line, NULL, 10);
        if (low < 12000 || low > 65535)
            low = 32768;
        (void)fclose(f);
    }
    return (unsigned)low;
}

static bool try_port(unsigned port)
{
    struct sockaddr_in sin;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool ok;

    if (fd < 0)
        return false;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = htons((uint16_t)port);
    ok = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
    (void)close(fd);
    return ok;
}

unsigned rn_free_port(void)
{
    static unsigned low, state;
    unsigned tries;

    if (low == 0) {
        low = ephemeral_low();
        state = (unsigned)getpid() * 2654435761u ^ (unsigned)time(NULL);
    }
    for (tries = 0; tries < 20000; tries++) {
        unsigned port;

        state = state * 1103515245u + 12345u;
        port = 10000 + (state >> 8) % (low - 10000);
        if (given[port / 8] & (1u << (port % 8)) || !try_port(port))
            continue;
        given[port / 8] |= (unsigned char)(1u << (port % 8));
        return port;
    }
    return 0;
}

static void
add_peer(const struct rn_cluster *c, size_t j, struct lb_buf *out, int *count)
{
    if (*count == 0)
        lb_buf_adds(out, "peers:\n");
    lb_buf_addf(out, "  - 127.0.0.1:%u\n", c->nodes[j].network);
    (*count)++;
}

void rn_cluster_config(const struct rn_cluster *c,
                       size_t i,
                       const char *dir,
                       struct lb_buf *out)
{
    const struct rn_cluster_node *me = &c->nodes[i];
    int peers = 0;
    size_t j;

    lb_buf_addf(out,
                "node:\n  name: %s\n  role: %s\n  data_dir: %s/data\n"
                "  log_file: %s/node.log\n  log_level: %s\n",
                me->name,
                me->executor ? "executor" : "validator",
                dir,
                dir,
                getenv("RN_LOG_LEVEL") ? getenv("RN_LOG_LEVEL") : "info");
    lb_buf_addf(out,
                "listen:\n  api: 127.0.0.1:%u\n  testing: 127.0.0.1:%u\n"
                "  network: 127.0.0.1:%u\n",
                me->api,
                me->testing,
                me->network);
    if (strcmp(c->layout, "chain") == 0) {
        if (i > 0)
            add_peer(c, i - 1, out, &peers);
    } else if (strcmp(c->layout, "full") == 0) {
        for (j = 0; j < i; j++)
            add_peer(c, j, out, &peers);
    } else if (i > 0) {
        add_peer(c, 0, out, &peers);
    }
    lb_buf_addf(out,
                "chain:\n  genesis_seed: \"%s\"\n  start_time_ms: %lld\n"
                "  slot_duration_ms: %u\n  active_slot_coeff: %.6f\n"
                "  security_param: %u\nnodes:\n",
                c->seed,
                (long long)c->start_ms,
                c->slot_ms,
                c->f,
                c->k);
    for (j = 0; j < c->n; j++)
        lb_buf_addf(out,
                    "  - {name: %s, role: %s, stake: 1000}\n",
                    c->nodes[j].name,
                    c->nodes[j].executor ? "executor" : "validator");
    if (c->wallets > 0)
        lb_buf_adds(out, "wallets:\n");
    for (j = 0; j < c->wallets; j++)
        lb_buf_addf(out,
                    "  - {name: wallet-user-%zu, funds: %u, notes: %u}\n",
                    j,
                    c->wallet_funds,
                    c->wallet_notes);
    lb_buf_addf(out, "da:\n  subnets: %u\n", c->subnets ? c->subnets : 1);
}

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

/*
 * GET /cryptarchia/info answers 200 within about a second: OpenSSL's
 * blocking HTTP client (refnode links no other). `no_proxy` names the
 * node, so an http_proxy of the environment is never asked.
 */
static bool answers(unsigned port)
{
    char url[96];
    BIO *resp;

    (void)snprintf(
        url, sizeof(url), "http://127.0.0.1:%u/cryptarchia/info", port);
    resp = OSSL_HTTP_get(url,
                         NULL,
                         "127.0.0.1",
                         NULL,
                         NULL,
                         NULL,
                         NULL,
                         0,
                         NULL,
                         NULL,
                         0,
                         (size_t)1 << 16,
                         1);
    BIO_free(resp);
    ERR_clear_error(); /* a node not up yet leaves its reasons there */
    return resp != NULL;
}

static int usage_error(const char *msg, const char *arg)
{
    (void)fprintf(stderr,
                  "refnode devnet: %s '%s' (see refnode --help)\n",
                  msg,
                  arg ? arg : "");
    return 2;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    (void)nanosleep(&ts, NULL);
}

/* SIGTERM to every node, then SIGKILL to those still up after 5 s. */
static void stop_all(pid_t *pids, size_t nodes)
{
    int64_t deadline;
    size_t i;
    int status;

    for (i = 0; i < nodes; i++)
        if (pids[i] > 0)
            (void)kill(pids[i], SIGTERM);
    deadline = lb_time_mono_ns() / 1000000 + 5000;
    for (i = 0; i < nodes; i++) {
        while (pids[i] > 0 && waitpid(pids[i], &status, WNOHANG) == 0) {
            if (lb_time_mono_ns() / 1000000 > deadline) {
                (void)kill(pids[i], SIGKILL);
                (void)waitpid(pids[i], &status, 0);
                break;
            }
            sleep_ms(20);
        }
    }
}

/* Reads the devnet options into `c`; 0, or 2 after a usage message. */
static int parse_args(int argc,
                      char **argv,
                      struct rn_cluster *c,
                      const char **dir,
                      unsigned *nodes,
                      unsigned *executors)
{
    int a;

    c->slot_ms = 200;
    c->f = 0.9;
    c->k = 10;
    c->wallets = 4;
    c->wallet_funds = 1000;
    c->wallet_notes = 10;
    c->subnets = 2;
    c->layout = "star";
    for (a = 1; a < argc; a += 2) { /* option, value */
        const char *v = a + 1 < argc ? argv[a + 1] : NULL;
        char *end = NULL;

        if (strcmp(argv[a], "--help") == 0)
            return usage_error("see", "--help");
        if (v == NULL)
            return usage_error("missing value after", argv[a]);
        if (strcmp(argv[a], "--nodes") == 0)
            *nodes = (unsigned)strtoul(v, &end, 10);
        else if (strcmp(argv[a], "--executors") == 0)
            *executors = (unsigned)strtoul(v, &end, 10);
        else if (strcmp(argv[a], "--slot-ms") == 0)
            c->slot_ms = (unsigned)strtoul(v, &end, 10);
        else if (strcmp(argv[a], "--f") == 0)
            c->f = strtod(v, &end);
        else if (strcmp(argv[a], "--k") == 0)
            c->k = (unsigned)strtoul(v, &end, 10);
        else if (strcmp(argv[a], "--wallets") == 0)
            c->wallets = (unsigned)strtoul(v, &end, 10);
        else if (strcmp(argv[a], "--layout") == 0)
            c->layout = v, end = (char *)v + strlen(v);
        else if (strcmp(argv[a], "--dir") == 0)
            *dir = v, end = (char *)v + strlen(v);
        else
            return usage_error("unknown option", argv[a]);
        if (end == NULL || *end != '\0' || *v == '\0')
            return usage_error("bad value for", argv[a]);
    }
    if (*nodes < 1 || *nodes > 200)
        return usage_error("--nodes must be 1..200, got", "");
    if (*executors > *nodes)
        return usage_error("--executors exceeds --nodes", "");
    if (c->slot_ms < 50 || c->slot_ms > 600000)
        return usage_error("--slot-ms must be 50..600000", "");
    if (!(c->f > 0 && c->f <= 1))
        return usage_error("--f must be in (0, 1]", "");
    if (strcmp(c->layout, "star") != 0 && strcmp(c->layout, "chain") != 0 &&
        strcmp(c->layout, "full") != 0)
        return usage_error("--layout must be star, chain or full, got",
                           c->layout);
    if (*dir == NULL)
        return usage_error("--dir is required", "");
    return 0;
}

/* Names and ports of the cluster's nodes (the last `executors` execute). */
static void plan_nodes(struct rn_cluster *c, unsigned nodes, unsigned executors)
{
    size_t i;

    c->n = nodes;
    c->nodes = lb_xcalloc(nodes, sizeof(*c->nodes));
    for (i = 0; i < nodes; i++) {
        struct rn_cluster_node *cn = &c->nodes[i];
        bool ex = i >= nodes - executors;

        (void)snprintf(cn->name,
                       sizeof(cn->name),
                       "%s-%zu",
                       ex ? "executor" : "validator",
                       ex ? i - (nodes - executors) : i);
        cn->executor = ex;
        cn->api = rn_free_port();
        cn->testing = rn_free_port();
        cn->network = rn_free_port();
    }
}

/* Writes DIR/<name>/config.yaml and starts node `i`; -1 when it could not. */
static pid_t spawn_node(const struct rn_cluster *c,
                        size_t i,
                        const char *dir,
                        const char *exe)
{
    struct lb_buf path = LB_BUF_INIT, cfg = LB_BUF_INIT, nd = LB_BUF_INIT;
    struct lb_error err;
    pid_t parent = getpid(), pid = -1;

    lb_error_init(&err);
    lb_buf_addf(&nd, "%s/%s", dir, c->nodes[i].name);
    (void)mkdir(nd.ptr, 0755);
    lb_buf_addf(&path, "%s/config.yaml", nd.ptr);
    rn_cluster_config(c, i, nd.ptr, &cfg);
    if (lb_write_file_atomic(path.ptr, cfg.ptr, cfg.len, &err) != 0) {
        lb_error_print(&err, stderr);
        stop_signal = SIGTERM;
    }
    if (!stop_signal)
        pid = fork();
    if (pid == 0) {
        (void)prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        execl(exe, "refnode", "--config", path.ptr, (char *)NULL);
        _exit(127);
    }
    lb_buf_release(&path);
    lb_buf_release(&cfg);
    lb_buf_release(&nd);
    return pid;
}

/* Waits until every node answers; false (stop_signal set) when one fails. */
static bool wait_ready(const struct rn_cluster *c, pid_t *pids, const char *dir)
{
    int64_t deadline = lb_time_mono_ns() / 1000000 + 30000;
    int status = 0;
    size_t i;

    for (i = 0; i < c->n && !stop_signal;) {
        if (answers(c->nodes[i].api)) {
            i++;
            continue;
        }
        if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
            (void)fprintf(stderr,
                          "refnode devnet: %s exited (see %s/%s/"
                          "node.log)\n",
                          c->nodes[i].name,
                          dir,
                          c->nodes[i].name);
            pids[i] = -1;
            stop_signal = SIGTERM;
            break;
        }
        if (lb_time_mono_ns() / 1000000 > deadline) {
            (void)fprintf(stderr,
                          "refnode devnet: %s not ready in 30 s\n",
                          c->nodes[i].name);
            stop_signal = SIGTERM;
            break;
        }
        sleep_ms(50);
    }
    return !stop_signal;
}

/* Until a signal (or every node is gone): reports nodes that exit. */
static void watch(const struct rn_cluster *c, pid_t *pids)
{
    int status = 0;
    size_t i;

    while (!stop_signal) {
        pid_t p = waitpid(-1, &status, 0);

        for (i = 0; p > 0 && i < c->n; i++)
            if (pids[i] == p) {
                (void)fprintf(
                    stderr, "refnode devnet: %s exited\n", c->nodes[i].name);
                pids[i] = -1;
            }
        if (p < 0 && errno == ECHILD)
            break;
    }
}

int rn_devnet_main(int argc, char **argv)
{
    struct rn_cluster c = {0};
    const char *dir = NULL;
    unsigned nodes = 0, executors = 0;
    char exe[4096], seed[64];
    pid_t *pids;
    ssize_t el;
    size_t i;
    int a;
    struct sigaction sa;

    if ((a = parse_args(argc, argv, &c, &dir, &nodes, &executors)) != 0)
        return a;
    el = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (el <= 0)
        return usage_error("cannot find my own executable", "");
    exe[el] = '\0';
    (void)snprintf(seed,
                   sizeof(seed),
                   "devnet-%lld",
                   (long long)(lb_time_wall_ns() / 1000000));
    c.seed = seed;
    plan_nodes(&c, nodes, executors);
    c.start_ms = lb_time_wall_ns() / 1000000;
    (void)mkdir(dir, 0755);
    pids = lb_xcalloc(nodes, sizeof(*pids));
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGTERM, &sa, NULL);
    for (i = 0; i < nodes; i++)
        pids[i] = spawn_node(&c, i, dir, exe);
    if (wait_ready(&c, pids, dir)) {
        for (i = 0; i < nodes; i++)
            (void)printf("http://127.0.0.1:%u\n", c.nodes[i].api);
        (void)fflush(stdout);
    }
    watch(&c, pids);
    stop_all(pids, nodes);
    lb_free(pids);
    lb_free(c.nodes);
    return 0;
}
