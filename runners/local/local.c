/*
 * The local deployer: one refnode (or NOMOS_NODE_BIN) process per node on
 * 127.0.0.1, a dir per node (config, data, log) in the run's work dir,
 * ports from a range this run alone holds, and no leftovers ever:
 *  - each node runs in its own process group with PR_SET_PDEATHSIG(SIGKILL),
 *    so it dies with the runner even when the runner is SIGKILLed;
 *  - a guardian (`sh`, reparented to init) holds the read end of a pipe only
 *    the runner writes to: when the runner dies by any means the pipe closes
 *    and the guardian removes the work dir, unless told to keep it;
 *  - port ranges are claimed with flock()ed files, which the kernel releases
 *    when the runner dies, so parallel runs never share a range.
 * Nodes are forked by hand rather than with uv_spawn: the parent-death
 * signal has to be set in the child between fork and exec, which uv_spawn
 * offers no hook for. Exits are collected from a uv_signal_t on SIGCHLD with
 * waitpid() on our own pids only.
 */
#define _GNU_SOURCE /* pipe2, prctl, nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "net/loop.h"
#include "net/node.h"
#include "runners/deployer.h"
#include "runners/local/local.h"

#define PORT_BLOCK      100
#define PORT_FIRST      10000
#define STOP_GRACE_MS   5000
#define READY_POLL_MS   100
#define READY_TIMEOUT_S 60.0

struct local_dep;

struct local_node {
    struct local_dep *dep;
    size_t idx;
    pid_t pid; /* 0 while not running */
    bool exited;
    bool exit_expected;
    int status;
    int signal;
    bool paused;
    char dir[640];
    char config_path[700];
    /* readiness probe */
    struct lb_node_client client;
    bool probing;
    bool ready;
    char last_obs[1100];
    /* a control action in progress */
    bool busy;
    enum lb_node_action action;
    lb_control_cb cb;
    void *cb_data;
    uv_timer_t timer; /* kill escalation and deferred completions */
    int pending_http;
    struct lb_error action_err;
};

struct local_dep {
    struct lb_deployment base;
    uv_loop_t *loop;
    struct lb_http *http;
    const bool *stop;
    double timeout_scale;
    struct local_node *lnodes;
    uv_signal_t sigchld;
    int handles_open;
    int guard_fd;
    LB_VEC(int) lock_fds;
    char bin[1024];
    char run_id[32];
};

static struct local_dep *dep_of(struct lb_deployment *d)
{
    return (struct local_dep *)d;
}

/* ---- the node binary ---- */

static bool is_exe(const char *p)
{
    return p && *p && access(p, X_OK) == 0;
}

int lb_local_find_node_bin(char *out, size_t size, struct lb_error *err)
{
    static const char *const envs[] = {
        "NOMOS_NODE_BIN", "LOGOS_BLOCKCHAIN_NODE_BIN", "LB_REFNODE_BIN"};
    char self[1024];
    ssize_t n;
    size_t i;
    const char *build;

    for (i = 0; i < sizeof(envs) / sizeof(envs[0]); i++) {
        const char *v = getenv(envs[i]);
        if (v && *v) {
            if (!is_exe(v))
                return lb_error_set(err,
                                    LB_ENOTFOUND,
                                    "%s='%s' is not an executable file",
                                    envs[i],
                                    v);
            if (lb_copy(out, size, v) != 0)
                return lb_error_set(
                    err, LB_EINVAL, "%s='%s' is too long a path", envs[i], v);
            return 0;
        }
    }
    /* next to the runner: the build folder holds logos-bdd and refnode */
    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n > 0) {
        char *slash;
        self[n] = '\0';
        slash = strrchr(self, '/');
        if (slash) {
            slash[1] = '\0';
            if (lb_format(out, size, "%srefnode", self) == 0 && is_exe(out))
                return 0;
        }
    }
    build = getenv("LB_BUILD_DIR");
    if (build && *build) {
        if (lb_format(out, size, "%s/refnode", build) == 0 && is_exe(out))
            return 0;
    }
    return lb_error_set(err,
                        LB_ENOTFOUND,
                        "node binary not found: no refnode next to the runner "
                        "(%s) and none of NOMOS_NODE_BIN, "
                        "LOGOS_BLOCKCHAIN_NODE_BIN, LB_REFNODE_BIN is set",
                        n > 0 ? self : "?");
}

/* ---- ports ---- */

static bool port_free(int port)
{
    struct sockaddr_in sa = {0};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    bool ok;
    if (fd < 0)
        return false;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)port);
    ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

static int lock_block(const char *dir, int block)
{
    char path[700];
    int fd;
    if (lb_format(path, sizeof(path), "%s/%d.lock", dir, block) != 0)
        return -1;
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * Where listening ports may come from: never inside the kernel's ephemeral
 * range, or an outgoing connection (curl, node to node) may take a port a
 * node is about to listen on. Default: [10000, 32768).
 */
static void port_window(int *first, int *last)
{
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    int lo = 32768, hi = 60999;
    if (f) {
        char line[64];
        char *end;
        if (fgets(line, sizeof(line), f) != NULL) {
            long a = strtol(line, &end, 10);
            long b = strtol(end, &end, 10);
            if (a > 0 && b >= a && b < 65536) {
                lo = (int)a;
                hi = (int)b;
            }
        }
        (void)fclose(f); /* read-only: nothing to lose */
    }
    if (lo - PORT_FIRST >= 10 * PORT_BLOCK) {
        *first = PORT_FIRST;
        *last = lo;
    } else {
        *first = hi + 1 > PORT_FIRST ? hi + 1 : PORT_FIRST;
        *last = 65536;
    }
}

/*
 * Claims `count` free ports for this run: consecutive blocks of 100 ports
 * in the port window, each block held by an flock()ed file, starting at a
 * random block so parallel runs rarely even contend.
 */
static int
alloc_ports(struct local_dep *d, size_t count, int *ports, struct lb_error *err)
{
    const char *tmp = getenv("TMPDIR");
    char dir[640];
    int first_port, last_port, nblocks, need, start, attempt;

    port_window(&first_port, &last_port);
    nblocks = (last_port - first_port) / PORT_BLOCK;
    need = (int)((count + PORT_BLOCK - 1) / PORT_BLOCK) + 1;
    if (nblocks < need)
        return lb_error_set(err,
                            LB_ENOTFOUND,
                            "no room for %zu ports between %d and %d (below "
                            "the kernel's ephemeral port range)",
                            count,
                            first_port,
                            last_port);
    start = (int)((uv_hrtime() / 1000 + (uint64_t)getpid() * 7919) %
                  (uint64_t)nblocks);

    if (lb_format(dir,
                  sizeof(dir),
                  "%s/logos-bdd-ports",
                  tmp && *tmp ? tmp : "/tmp") != 0)
        return lb_error_set(err, LB_EINVAL, "TMPDIR is too long a path");
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return lb_error_set(
            err, LB_EIO, "cannot create '%s': %s", dir, strerror(errno));
    for (attempt = 0; attempt < nblocks; attempt++) {
        int first = (start + attempt) % nblocks;
        size_t got = 0;
        int b, port;
        if (first + need > nblocks)
            continue;
        for (b = 0; b < need; b++) {
            int fd = lock_block(dir, first + b);
            if (fd < 0)
                break;
            if (lb_vec_push(&d->lock_fds, fd) != 0)
                LB_BUG("out of memory");
        }
        if (b == need) {
            for (port = first_port + first * PORT_BLOCK;
                 got < count && port < first_port + (first + need) * PORT_BLOCK;
                 port++)
                if (port_free(port))
                    ports[got++] = port;
            if (got == count)
                return 0;
        }
        while (d->lock_fds.len)
            close(d->lock_fds.items[--d->lock_fds.len]);
    }
    return lb_error_set(
        err, LB_ENOTFOUND, "no free range of %zu ports on 127.0.0.1", count);
}

/* ---- work dir and guardian ---- */

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    (void)remove(path); /* best effort: what stays is reported by nftw */
    return 0;
}

void lb_local_remove_tree(const char *dir)
{
    if (dir[0])
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Starts the guardian: `sh` reading the pipe; on EOF without "keep" it
 * removes the work dir. Double fork: the guardian is reparented to init, so
 * the runner never has to reap it.
 */
static int start_guardian(struct local_dep *d, struct lb_error *err)
{
    int fds[2];
    pid_t pid;
    static const char script[] =
        "read x; [ \"$x\" = keep ] || { sleep 0.3; rm -rf -- \"$1\"; }";

    if (pipe2(fds, O_CLOEXEC) != 0)
        return lb_error_set(err, LB_EIO, "pipe: %s", strerror(errno));
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return lb_error_set(err, LB_EIO, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        pid_t g = fork();
        if (g == 0) {
            sigset_t none;
            int devnull = open("/dev/null", O_RDWR);
            setsid();
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            dup2(fds[0], 0);
            if (devnull >= 0) {
                dup2(devnull, 1);
                dup2(devnull, 2);
            }
            execl("/bin/sh",
                  "sh",
                  "-c",
                  script,
                  "lb-guard",
                  d->base.work_dir,
                  (char *)NULL);
            _exit(127);
        }
        _exit(g < 0 ? 1 : 0);
    }
    close(fds[0]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    d->guard_fd = fds[1];
    return 0;
}

/* ---- processes ---- */

static const char *log_level(void)
{
    static const char *const ok[] = {"error", "warn", "info", "debug", "trace"};
    const char *v = getenv("NOMOS_LOG_LEVEL");
    size_t i;
    for (i = 0; v && i < sizeof(ok) / sizeof(ok[0]); i++)
        if (strcasecmp(v, ok[i]) == 0)
            return ok[i];
    return "info";
}

static int
write_file(const char *path, const char *data, size_t len, struct lb_error *err)
{
    FILE *f = fopen(path, "w");
    size_t n;
    if (!f)
        return lb_error_set(
            err, LB_EIO, "cannot write '%s': %s", path, strerror(errno));
    n = fwrite(data, 1, len, f);
    if (fclose(f) != 0 || n != len)
        return lb_error_set(err, LB_EIO, "cannot write '%s'", path);
    return 0;
}

static int write_config(struct local_dep *d,
                        const struct lb_cluster_spec *spec,
                        size_t i,
                        const int *ports,
                        struct lb_error *err)
{
    struct local_node *ln = &d->lnodes[i];
    const struct lb_cluster_node *cn = &spec->nodes[i];
    struct lb_buf y = LB_BUF_INIT;
    char data_dir[700];
    size_t j;
    int rc;

    if (lb_format(data_dir, sizeof(data_dir), "%s/data", ln->dir) != 0)
        return lb_error_set(err, LB_EINVAL, "path too long: '%s'", ln->dir);
    if (mkdir(data_dir, 0777) != 0)
        return lb_error_set(
            err, LB_EIO, "cannot create '%s': %s", data_dir, strerror(errno));
    lb_buf_addf(&y,
                "# written by logos-bdd for run %s\n"
                "node:\n"
                "  name: %s\n"
                "  role: %s\n"
                "  data_dir: \"%s\"\n"
                "  log_level: %s\n"
                "listen:\n"
                "  api: 127.0.0.1:%d\n"
                "  testing: 127.0.0.1:%d\n"
                "  network: 127.0.0.1:%d\n",
                spec->run_id,
                cn->name,
                cn->role == LB_ROLE_EXECUTOR ? "executor" : "validator",
                data_dir,
                log_level(),
                ports[3 * i],
                ports[3 * i + 1],
                ports[3 * i + 2]);
    if (cn->n_peers) {
        lb_buf_adds(&y, "peers:\n");
        for (j = 0; j < cn->n_peers; j++)
            lb_buf_addf(&y, "  - 127.0.0.1:%d\n", ports[3 * cn->peers[j] + 2]);
    } else {
        lb_buf_adds(&y, "peers: []\n");
    }
    lb_buf_addf(&y,
                "chain:\n"
                "  genesis_seed: \"%s\"\n"
                "  start_time_ms: %lld\n"
                "  slot_duration_ms: %ld\n"
                "  active_slot_coeff: %.6g\n"
                "  security_param: %ld\n"
                "nodes:\n",
                spec->genesis_seed,
                (long long)spec->start_time_ms,
                (long)(spec->slot_s * 1000 + 0.5),
                spec->active_slot_coeff,
                spec->security_param);
    for (j = 0; j < spec->n_nodes; j++)
        lb_buf_addf(&y,
                    "  - {name: %s, role: %s, stake: 1000}\n",
                    spec->nodes[j].name,
                    spec->nodes[j].role == LB_ROLE_EXECUTOR ? "executor"
                                                            : "validator");
    if (spec->n_wallets) {
        lb_buf_adds(&y, "wallets:\n");
        for (j = 0; j < spec->n_wallets; j++)
            lb_buf_addf(&y,
                        "  - {name: %s, funds: %lld, notes: %ld}\n",
                        spec->wallets[j].name,
                        spec->wallets[j].funds,
                        spec->wallets[j].notes);
    }
    if (spec->da_subnets > 0)
        lb_buf_addf(&y, "da:\n  subnets: %ld\n", spec->da_subnets);
    if (lb_format(ln->config_path,
                  sizeof(ln->config_path),
                  "%s/config.yaml",
                  ln->dir) != 0)
    {
        lb_buf_release(&y);
        return lb_error_set(err, LB_EINVAL, "path too long: '%s'", ln->dir);
    }
    /* a plain write: no fsync for a file that lives as long as the run
     * (fsync made deploying 50 nodes take seconds on a busy disk) */
    rc = write_file(ln->config_path, y.ptr, y.len, err);
    lb_buf_release(&y);
    return rc;
}

static int spawn_node(struct local_dep *d, size_t i, struct lb_error *err)
{
    struct local_node *ln = &d->lnodes[i];
    const char *log = d->base.nodes[i].log_path;
    char *argv[4];
    pid_t parent = getpid();
    pid_t pid;
    int logfd, nullfd;

    argv[0] = d->bin;
    argv[1] = (char *)"--config";
    argv[2] = ln->config_path;
    argv[3] = NULL;
    logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (logfd < 0)
        return lb_error_set(
            err, LB_EIO, "cannot open '%s': %s", log, strerror(errno));
    nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid = fork();
    if (pid < 0) {
        close(logfd);
        if (nullfd >= 0)
            close(nullfd);
        return lb_error_set(err, LB_EIO, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        /* only async-signal-safe calls between fork and exec */
        sigset_t none;
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127); /* the runner died before prctl took effect */
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        (void)signal(SIGPIPE, SIG_DFL);
        (void)signal(SIGINT, SIG_DFL);
        (void)signal(SIGTERM, SIG_DFL);
        if (nullfd >= 0)
            dup2(nullfd, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid); /* also from the parent: no race with kill(-pid) */
    close(logfd);
    if (nullfd >= 0)
        close(nullfd);
    ln->pid = pid;
    ln->exited = false;
    ln->exit_expected = false;
    ln->paused = false;
    ln->ready = false;
    return 0;
}

static void finish_action(struct local_node *ln);

static void reap(struct local_dep *d)
{
    size_t i;
    for (i = 0; i < d->base.n_nodes; i++) {
        struct local_node *ln = &d->lnodes[i];
        int st;
        pid_t r;
        if (ln->pid <= 0)
            continue;
        r = waitpid(ln->pid, &st, WNOHANG);
        if (r != ln->pid)
            continue;
        ln->pid = 0;
        ln->exited = true;
        ln->status = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
        ln->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
        if (!ln->exit_expected)
            lb_log_warn("node '%s' exited (status %d, signal %d); log: %s",
                        d->base.nodes[i].name,
                        ln->status,
                        ln->signal,
                        d->base.nodes[i].log_path);
        if (ln->busy &&
            (ln->action == LB_NODE_STOP || ln->action == LB_NODE_RESTART)) {
            uv_timer_stop(&ln->timer);
            if (ln->action == LB_NODE_RESTART &&
                spawn_node(d, i, &ln->action_err) == 0)
                lb_log_debug("node '%s' restarted", d->base.nodes[i].name);
            finish_action(ln);
        }
    }
}

static void on_sigchld(uv_signal_t *h, int signum)
{
    struct local_dep *d =
        (struct local_dep *)((char *)h - offsetof(struct local_dep, sigchld));
    (void)signum;
    reap(d);
}

/* ---- readiness ---- */

static void on_probe(void *data, json_t *resp, const struct lb_error *err)
{
    struct local_node *ln = data;
    (void)resp;
    ln->probing = false;
    if (err) {
        (void)lb_copy(ln->last_obs, sizeof(ln->last_obs), err->msg);
    } else {
        ln->ready = true;
        (void)lb_copy(ln->last_obs, sizeof(ln->last_obs), "ready");
    }
}

static void tail_of_log(const char *path, char *out, size_t size)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_error e;
    const char *p;
    size_t keep = size > 1 ? size - 1 : 0;
    char *q;
    lb_error_init(&e);
    out[0] = '\0';
    if (lb_buf_read_file(&b, path, &e) != 0) {
        lb_buf_release(&b);
        return;
    }
    p = b.len > keep ? b.ptr + b.len - keep : b.ptr;
    (void)lb_copy(out, size, p); /* the tail is cut to fit by design */
    for (q = out; *q; q++)
        if (*q == '\n')
            *q = ' ';
    lb_buf_release(&b);
}

/* Waits until nodes 0..n-1 answer GET /cryptarchia/info. */
static int wait_ready(struct local_dep *d, size_t n, struct lb_error *err)
{
    uint64_t deadline = uv_now(d->loop) +
                        (uint64_t)(READY_TIMEOUT_S * d->timeout_scale * 1000.0);
    size_t i;

    for (;;) {
        size_t ready = 0;
        reap(d);
        for (i = 0; i < n; i++) {
            struct local_node *ln = &d->lnodes[i];
            const struct lb_deployed_node *dn = &d->base.nodes[i];
            if (ln->exited) {
                char tail[400];
                tail_of_log(dn->log_path, tail, sizeof(tail));
                return lb_error_set(
                    err,
                    LB_EFAILED,
                    "node '%s' exited during startup (status %d, signal %d); "
                    "node log: %s%s%s",
                    dn->name,
                    ln->status,
                    ln->signal,
                    dn->log_path,
                    tail[0] ? "; last output: " : "",
                    tail);
            }
            if (ln->ready) {
                ready++;
                continue;
            }
            if (!ln->probing) {
                struct lb_error e;
                lb_error_init(&e);
                ln->probing = lb_node_call(&ln->client,
                                           LB_NODE_API,
                                           "GET",
                                           "/cryptarchia/info",
                                           NULL,
                                           on_probe,
                                           ln,
                                           &e) != NULL;
            }
        }
        if (ready == n)
            return 0;
        if (uv_now(d->loop) >= deadline) {
            struct lb_buf msg = LB_BUF_INIT;
            lb_buf_adds(&msg,
                        "timed out waiting for nodes to answer GET "
                        "/cryptarchia/info:");
            for (i = 0; i < n; i++)
                if (!d->lnodes[i].ready)
                    lb_buf_addf(&msg,
                                " %s: %s;",
                                d->base.nodes[i].label,
                                d->lnodes[i].last_obs[0] ? d->lnodes[i].last_obs
                                                         : "no answer yet");
            lb_buf_setlen(&msg, msg.len - 1);
            lb_error_set(err, LB_ETIMEOUT, "%s", msg.ptr);
            lb_buf_release(&msg);
            return LB_ETIMEOUT;
        }
        if (lb_loop_sleep(d->loop, READY_POLL_MS, d->stop) == LB_EINTR)
            return lb_error_set(
                err, LB_EINTR, "interrupted while waiting for nodes");
    }
}

/* ---- cleanup ---- */

static void handle_closed(uv_handle_t *h)
{
    struct local_dep *d = h->data;
    d->handles_open--;
}

static void stop_all(struct local_dep *d)
{
    uint64_t deadline;
    size_t i, running;

    for (i = 0; i < d->base.n_nodes; i++) {
        struct local_node *ln = &d->lnodes[i];
        if (ln->pid <= 0)
            continue;
        ln->exit_expected = true;
        if (ln->paused)
            kill(-ln->pid, SIGCONT);
        kill(-ln->pid, SIGTERM);
    }
    deadline = uv_hrtime() / 1000000 + STOP_GRACE_MS;
    for (;;) {
        running = 0;
        reap(d);
        for (i = 0; i < d->base.n_nodes; i++)
            if (d->lnodes[i].pid > 0)
                running++;
        if (!running || uv_hrtime() / 1000000 >= deadline)
            break;
        lb_loop_sleep(d->loop, 20, NULL);
    }
    for (i = 0; i < d->base.n_nodes; i++) {
        struct local_node *ln = &d->lnodes[i];
        if (ln->pid <= 0)
            continue;
        kill(-ln->pid, SIGKILL);
        while (waitpid(ln->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        ln->pid = 0;
        ln->exited = true;
        ln->signal = SIGKILL;
    }
}

static void local_cleanup(struct lb_deployment *base, bool keep)
{
    struct local_dep *d = dep_of(base);
    size_t i;

    if (!d)
        return;
    stop_all(d);
    for (i = 0; i < d->base.n_nodes && d->lnodes; i++) {
        struct local_node *ln = &d->lnodes[i];
        if (ln->busy) {
            /* the run is ending: the action's owner is gone */
            ln->busy = false;
        }
    }
    if (d->lnodes)
        for (i = 0; i < d->base.n_nodes; i++)
            if (!uv_is_closing((uv_handle_t *)&d->lnodes[i].timer)) {
                uv_close((uv_handle_t *)&d->lnodes[i].timer, handle_closed);
            }
    if (!uv_is_closing((uv_handle_t *)&d->sigchld))
        uv_close((uv_handle_t *)&d->sigchld, handle_closed);
    while (d->handles_open > 0)
        uv_run(d->loop, UV_RUN_ONCE);
    if (d->guard_fd >= 0) {
        if (keep) {
            ssize_t w = write(d->guard_fd, "keep\n", 5);
            (void)w;
        }
        close(d->guard_fd);
    }
    if (!keep)
        lb_local_remove_tree(d->base.work_dir);
    while (d->lock_fds.len)
        close(d->lock_fds.items[--d->lock_fds.len]);
    lb_vec_release(&d->lock_fds);
    lb_free(d->lnodes);
    lb_free(d->base.nodes);
    lb_free(d);
}

/* ---- control ---- */

static void finish_action(struct local_node *ln)
{
    struct local_dep *d = ln->dep;
    lb_control_cb cb = ln->cb;
    void *data = ln->cb_data;
    struct lb_error e = ln->action_err;
    ln->busy = false;
    ln->cb = NULL;
    if (cb)
        cb(data, &d->base, lb_error_is_set(&e) ? &e : NULL);
}

static void on_action_timer(uv_timer_t *t)
{
    struct local_node *ln =
        (struct local_node *)((char *)t - offsetof(struct local_node, timer));
    if ((ln->action == LB_NODE_STOP || ln->action == LB_NODE_RESTART) &&
        ln->pid > 0)
    {
        /* the grace period is over */
        kill(-ln->pid, SIGKILL);
        return; /* SIGCHLD completes the action */
    }
    finish_action(ln);
}

static void
on_isolate_done(void *data, json_t *resp, const struct lb_error *err)
{
    struct local_node *ln = data;
    (void)resp;
    if (err && !lb_error_is_set(&ln->action_err))
        ln->action_err = *err;
    if (--ln->pending_http == 0)
        finish_action(ln);
}

static void isolate(struct local_dep *d, size_t i, bool heal)
{
    struct local_node *ln = &d->lnodes[i];
    const char *path =
        heal ? "/test/network/unblock-peers" : "/test/network/block-peers";
    json_t *all = json_array();
    size_t j;

    for (j = 0; j < d->base.n_nodes; j++)
        if (j != i)
            json_array_append_new(all,
                                  json_string(d->base.nodes[j].network_addr));
    ln->pending_http = 1; /* held until every call is started */
    for (j = 0; j < d->base.n_nodes; j++) {
        struct lb_error e;
        json_t *body;
        if (j == i) {
            body = json_incref(all);
        } else {
            if (d->lnodes[j].pid <= 0)
                continue;
            body = json_pack("[s]", d->base.nodes[i].network_addr);
        }
        lb_error_init(&e);
        ln->pending_http++;
        if (!lb_node_call(&d->lnodes[j].client,
                          LB_NODE_TESTING,
                          "POST",
                          path,
                          body,
                          on_isolate_done,
                          ln,
                          &e))
        {
            ln->pending_http--;
            if (!lb_error_is_set(&ln->action_err))
                ln->action_err = e;
        }
        json_decref(body);
    }
    json_decref(all);
    if (--ln->pending_http == 0)
        uv_timer_start(&ln->timer, on_action_timer, 0, 0);
}

static int local_control(struct lb_deployment *base,
                         size_t i,
                         enum lb_node_action action,
                         lb_control_cb cb,
                         void *data,
                         struct lb_error *err)
{
    struct local_dep *d = dep_of(base);
    struct local_node *ln;

    if (i >= d->base.n_nodes)
        return lb_error_set(err, LB_ENOTFOUND, "node %zu does not exist", i);
    ln = &d->lnodes[i];
    if (ln->busy)
        return lb_error_set(err,
                            LB_ESTATE,
                            "node '%s': another control action is running",
                            d->base.nodes[i].name);
    ln->busy = true;
    ln->action = action;
    ln->cb = cb;
    ln->cb_data = data;
    lb_error_init(&ln->action_err);
    switch (action) {
    case LB_NODE_STOP:
    case LB_NODE_RESTART:
        if (ln->pid <= 0) {
            if (action == LB_NODE_RESTART)
                spawn_node(d, i, &ln->action_err);
            uv_timer_start(&ln->timer, on_action_timer, 0, 0);
            break;
        }
        ln->exit_expected = true;
        if (ln->paused)
            kill(-ln->pid, SIGCONT);
        kill(-ln->pid, SIGTERM);
        uv_timer_start(&ln->timer, on_action_timer, STOP_GRACE_MS, 0);
        break;
    case LB_NODE_START:
        if (ln->pid <= 0)
            spawn_node(d, i, &ln->action_err);
        uv_timer_start(&ln->timer, on_action_timer, 0, 0);
        break;
    case LB_NODE_PAUSE:
    case LB_NODE_RESUME:
        if (ln->pid > 0) {
            kill(-ln->pid, action == LB_NODE_PAUSE ? SIGSTOP : SIGCONT);
            ln->paused = action == LB_NODE_PAUSE;
        } else {
            lb_error_set(&ln->action_err,
                         LB_ESTATE,
                         "node '%s' is not running",
                         d->base.nodes[i].name);
        }
        uv_timer_start(&ln->timer, on_action_timer, 0, 0);
        break;
    case LB_NODE_ISOLATE:
    case LB_NODE_HEAL:
        isolate(d, i, action == LB_NODE_HEAL);
        break;
    }
    return 0;
}

static bool local_node_exited(struct lb_deployment *base,
                              size_t i,
                              int *status,
                              int *signal,
                              bool *expected)
{
    struct local_dep *d = dep_of(base);
    struct local_node *ln;
    if (i >= d->base.n_nodes)
        return false;
    reap(d);
    ln = &d->lnodes[i];
    if (status)
        *status = ln->status;
    if (signal)
        *signal = ln->signal;
    if (expected)
        *expected = ln->exit_expected;
    return ln->exited;
}

/* ---- deploy ---- */

static int make_work_dir(struct local_dep *d,
                         const struct lb_cluster_spec *spec,
                         struct lb_error *err)
{
    const char *tmp = getenv("TMPDIR");
    if (lb_format(d->base.work_dir,
                  sizeof(d->base.work_dir),
                  "%s/lb-run-%s-XXXXXX",
                  tmp && *tmp ? tmp : "/tmp",
                  spec->run_id) != 0)
    {
        d->base.work_dir[0] = '\0';
        return lb_error_set(err, LB_EINVAL, "TMPDIR is too long a path");
    }
    if (!mkdtemp(d->base.work_dir)) {
        int e = errno;
        char tried[512];
        (void)lb_copy(tried, sizeof(tried), d->base.work_dir);
        d->base.work_dir[0] = '\0';
        return lb_error_set(err,
                            LB_EIO,
                            "cannot create the work dir '%s': %s",
                            tried,
                            strerror(e));
    }
    return 0;
}

static int setup_nodes(struct local_dep *d,
                       const struct lb_cluster_spec *spec,
                       const int *ports,
                       struct lb_error *err)
{
    const char *log_dir = getenv("NOMOS_LOG_DIR");
    size_t i;

    for (i = 0; i < spec->n_nodes; i++) {
        struct lb_deployed_node *dn = &d->base.nodes[i];
        struct local_node *ln = &d->lnodes[i];
        const struct lb_cluster_node *cn = &spec->nodes[i];
        if (lb_copy(dn->name, sizeof(dn->name), cn->name) != 0)
            return lb_error_set(
                err, LB_EINVAL, "node name too long: '%s'", cn->name);
        dn->role = cn->role;
        dn->role_index = cn->role_index;
        dn->api_port = ports[3 * i];
        (void)snprintf(dn->api_url,
                       sizeof(dn->api_url),
                       "http://127.0.0.1:%d",
                       ports[3 * i]);
        (void)snprintf(dn->testing_url,
                       sizeof(dn->testing_url),
                       "http://127.0.0.1:%d",
                       ports[3 * i + 1]);
        (void)snprintf(dn->network_addr,
                       sizeof(dn->network_addr),
                       "127.0.0.1:%d",
                       ports[3 * i + 2]);
        (void)snprintf(dn->label,
                       sizeof(dn->label),
                       "%s#%ld@%d",
                       cn->role == LB_ROLE_EXECUTOR ? "executor" : "validator",
                       cn->role_index,
                       ports[3 * i]);
        if (lb_format(ln->dir,
                      sizeof(ln->dir),
                      "%s/%s",
                      d->base.work_dir,
                      cn->name) != 0)
            return lb_error_set(
                err, LB_EINVAL, "path too long: '%s'", d->base.work_dir);
        if (mkdir(ln->dir, 0777) != 0)
            return lb_error_set(err,
                                LB_EIO,
                                "cannot create '%s': %s",
                                ln->dir,
                                strerror(errno));
        if (log_dir && *log_dir) {
            (void)mkdir(log_dir, 0777); /* open() reports what matters */
            if (lb_format(dn->log_path,
                          sizeof(dn->log_path),
                          "%s/%s-%s.log",
                          log_dir,
                          spec->run_id,
                          cn->name) != 0)
                return lb_error_set(err,
                                    LB_EINVAL,
                                    "NOMOS_LOG_DIR is too long a path: '%s'",
                                    log_dir);
        } else if (lb_format(dn->log_path,
                             sizeof(dn->log_path),
                             "%s/node.log",
                             ln->dir) != 0)
        {
            return lb_error_set(err, LB_EINVAL, "path too long: '%s'", ln->dir);
        }
        ln->dep = d;
        ln->idx = i;
        (void)lb_copy(ln->client.name, sizeof(ln->client.name), cn->name);
        (void)lb_copy(
            ln->client.api_url, sizeof(ln->client.api_url), dn->api_url);
        (void)lb_copy(ln->client.testing_url,
                      sizeof(ln->client.testing_url),
                      dn->testing_url);
        ln->client.log_path = dn->log_path;
        ln->client.http = d->http;
        ln->client.timeout_ms = 2000;
        ln->client.stop = d->stop;
        uv_timer_init(d->loop, &ln->timer);
        ln->timer.data = d;
        d->handles_open++;
        if (write_config(d, spec, i, ports, err) != 0)
            return LB_EIO;
    }
    return 0;
}

static int local_deploy(const struct lb_cluster_spec *spec,
                        uv_loop_t *loop,
                        struct lb_deployment **out,
                        struct lb_error *err)
{
    struct local_dep *d = lb_xcalloc(1, sizeof(*d));
    int *ports = NULL;
    uint64_t t_start;
    size_t i;
    int rc;

    *out = NULL;
    t_start = uv_hrtime();
    d->base.ops = &lb_local_deployer;
    d->loop = loop;
    d->http = spec->http;
    d->stop = spec->stop;
    d->guard_fd = -1;
    d->timeout_scale = spec->timeout_scale > 0 ? spec->timeout_scale : 1;
    (void)lb_copy(d->run_id, sizeof(d->run_id), spec->run_id);
    uv_signal_init(loop, &d->sigchld);
    d->sigchld.data = d;
    d->handles_open = 1;
    uv_signal_start(&d->sigchld, on_sigchld, SIGCHLD);
    uv_unref((uv_handle_t *)&d->sigchld);

    if ((rc = lb_local_find_node_bin(d->bin, sizeof(d->bin), err)) != 0)
        goto fail;
    if ((rc = make_work_dir(d, spec, err)) != 0)
        goto fail;
    if ((rc = start_guardian(d, err)) != 0)
        goto fail;
    lb_log_debug("local deploy %s: guardian started at %.3f s",
                 d->run_id,
                 (double)(uv_hrtime() - t_start) / 1e9);
    d->base.n_nodes = spec->n_nodes;
    d->base.nodes = lb_xcalloc(spec->n_nodes, sizeof(*d->base.nodes));
    d->lnodes = lb_xcalloc(spec->n_nodes, sizeof(*d->lnodes));
    ports = lb_xcalloc(spec->n_nodes * 3, sizeof(int));
    if ((rc = alloc_ports(d, spec->n_nodes * 3, ports, err)) != 0)
        goto fail;
    lb_log_debug("local deploy %s: ports claimed at %.3f s",
                 d->run_id,
                 (double)(uv_hrtime() - t_start) / 1e9);
    if ((rc = setup_nodes(d, spec, ports, err)) != 0)
        goto fail;
    lb_log_debug("local deploy %s: configs written at %.3f s",
                 d->run_id,
                 (double)(uv_hrtime() - t_start) / 1e9);
    /* node 0 first: it has no initial peers and is everyone's peer in a
     * star, so the others' first hello finds it listening */
    if ((rc = spawn_node(d, 0, err)) != 0)
        goto fail;
    if (spec->n_nodes > 1 && (rc = wait_ready(d, 1, err)) != 0)
        goto fail;
    lb_log_debug("local deploy %s: node 0 ready at %.3f s",
                 d->run_id,
                 (double)(uv_hrtime() - t_start) / 1e9);
    for (i = 1; i < spec->n_nodes; i++)
        if ((rc = spawn_node(d, i, err)) != 0)
            goto fail;
    lb_log_debug("local deploy %s: all spawned at %.3f s",
                 d->run_id,
                 (double)(uv_hrtime() - t_start) / 1e9);
    if ((rc = wait_ready(d, spec->n_nodes, err)) != 0)
        goto fail;
    lb_free(ports);
    *out = &d->base;
    return 0;
fail:
    lb_free(ports);
    /* keep the logs of nodes that failed to start: the error points there */
    local_cleanup(&d->base,
                  d->base.nodes && rc != LB_EINTR &&
                      d->base.work_dir[0] != '\0' &&
                      d->lnodes[0].config_path[0] != '\0');
    return rc ? rc : LB_EFAILED;
}

const struct lb_deployer_ops lb_local_deployer = {
    .name = "local",
    .deploy = local_deploy,
    .control = local_control,
    .node_exited = local_node_exited,
    .cleanup = local_cleanup,
};
