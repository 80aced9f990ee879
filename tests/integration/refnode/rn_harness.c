/* The refnode integration test harness (rn_harness.h). */
#include "lb_test.h"

#include "rn_harness.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "core/time.h"
#include "net/mantle.h"

/* Every live child of every harness, for the atexit safety net. */
static pid_t live[256];

static void kill_live(void)
{
    size_t i;

    for (i = 0; i < 256; i++)
        if (live[i] > 0) {
            (void)kill(live[i], SIGKILL);
            (void)waitpid(live[i], NULL, 0);
            live[i] = 0;
        }
}

static void track(pid_t p, bool add)
{
    static bool registered;
    size_t i;

    if (!registered) {
        registered = true;
        (void)atexit(kill_live);
    }
    for (i = 0; i < 256; i++)
        if (add ? live[i] == 0 : live[i] == p) {
            live[i] = add ? p : 0;
            return;
        }
}

void rn_h_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    (void)nanosleep(&ts, NULL);
}

static int64_t mono_ms(void)
{
    return lb_time_mono_ns() / 1000000;
}

static size_t collect(char *p, size_t s, size_t n, void *ud)
{
    struct lb_buf *b = ud;

    if (b != NULL && lb_buf_add(b, p, s * n) != 0)
        return 0;
    return s * n;
}

long rn_h_http(struct rn_h *h,
               size_t i,
               int lst,
               const char *method,
               const char *path,
               const char *body,
               size_t len,
               struct lb_buf *out)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hd = NULL;
    char url[512];
    long status = 0;

    if (c == NULL)
        return 0;
    (void)snprintf(url,
                   sizeof(url),
                   "http://127.0.0.1:%u%s",
                   lst == 2   ? h->c.nodes[i].network
                   : lst == 1 ? h->c.nodes[i].testing
                              : h->c.nodes[i].api,
                   path);
    hd = curl_slist_append(hd, "Content-Type: application/json");
    hd = curl_slist_append(hd, "Expect:");
    (void)curl_easy_setopt(c, CURLOPT_URL, url);
    (void)curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
    (void)curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    (void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    (void)curl_easy_setopt(c, CURLOPT_PROXY, "");
    (void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    (void)curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    if (strcmp(method, "POST") == 0) {
        (void)curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
        (void)curl_easy_setopt(
            c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
    } else if (strcmp(method, "GET") != 0) {
        (void)curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    }
    if (out != NULL)
        lb_buf_reset(out);
    if (curl_easy_perform(c) != CURLE_OK ||
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
        status = 0;
    curl_slist_free_all(hd);
    curl_easy_cleanup(c);
    return status;
}

json_t *rn_h_get_json(struct rn_h *h, size_t i, const char *path)
{
    struct lb_buf b = LB_BUF_INIT;
    json_t *j = NULL;

    if (rn_h_http(h, i, false, "GET", path, NULL, 0, &b) == 200)
        j = json_loadb(b.ptr, b.len, JSON_DECODE_ANY, NULL);
    lb_buf_release(&b);
    return j;
}

bool rn_h_info(
    struct rn_h *h, size_t i, uint64_t *height, char tip[65], char mode[32])
{
    json_t *j = rn_h_get_json(h, i, "/cryptarchia/info");
    bool ok = json_is_object(j);

    if (ok && height)
        *height = (uint64_t)json_integer_value(json_object_get(j, "height"));
    if (ok && tip)
        (void)snprintf(
            tip, 65, "%s", json_string_value(json_object_get(j, "tip")));
    if (ok && mode)
        (void)snprintf(
            mode, 32, "%s", json_string_value(json_object_get(j, "mode")));
    json_decref(j);
    return ok;
}

bool rn_h_wait_ready(struct rn_h *h, size_t i, int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;

    while (mono_ms() < end) {
        int status;

        if (rn_h_info(h, i, NULL, NULL, NULL))
            return true;
        if (h->pids[i] > 0 &&
            waitpid(h->pids[i], &status, WNOHANG) == h->pids[i]) {
            track(h->pids[i], false);
            h->pids[i] = 0;
            return false;
        }
        rn_h_sleep_ms(30);
    }
    return false;
}

bool rn_h_wait_height(struct rn_h *h, size_t n, uint64_t height, int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;

    while (mono_ms() < end) {
        size_t i, done = 0;

        for (i = 0; i < n; i++) {
            uint64_t ht = 0;

            if (rn_h_info(h, i, &ht, NULL, NULL) && ht >= height)
                done++;
        }
        if (done == n)
            return true;
        rn_h_sleep_ms(50);
    }
    return false;
}

json_t *rn_h_chain(struct rn_h *h, size_t i)
{
    char gen[65], tip[65], path[256];
    json_t *list, *out;
    size_t k, n;

    int tries;

    lb_mantle_genesis_id(h->c.seed, gen);
    /* a busy machine can make one request time out: try a few times */
    for (tries = 0, list = NULL; tries < 5 && !json_is_array(list); tries++) {
        json_decref(list);
        list = NULL;
        if (!rn_h_info(h, i, NULL, tip, NULL))
            continue;
        (void)snprintf(
            path, sizeof(path), "/cryptarchia/headers?from=%s&to=%s", tip, gen);
        list = rn_h_get_json(h, i, path);
    }
    if (!json_is_array(list)) {
        json_decref(list);
        return NULL;
    }
    n = json_array_size(list);
    out = json_array();
    for (k = n; k > 0; k--)
        json_array_append(out, json_array_get(list, k - 1));
    json_decref(list);
    return out;
}

void rn_h_spawn(struct rn_h *h, size_t i)
{
    char cfg[512];
    pid_t parent = getpid(), p;

    (void)snprintf(
        cfg, sizeof(cfg), "%s/%s/config.yaml", h->root, h->c.nodes[i].name);
    p = fork();
    assert_true(p >= 0);
    if (p == 0) {
        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        execl(h->exe, "refnode", "--config", cfg, (char *)NULL);
        _exit(127);
    }
    h->pids[i] = p;
    track(p, true);
}

int rn_h_kill(struct rn_h *h, size_t i, int sig)
{
    int status = -1;

    if (h->pids[i] <= 0)
        return -1;
    (void)kill(h->pids[i], sig);
    if (waitpid(h->pids[i], &status, 0) != h->pids[i])
        status = -1;
    track(h->pids[i], false);
    h->pids[i] = 0;
    return status;
}

static unsigned w_users = 4, w_funds = 1000, w_notes = 10;

void rn_h_set_wallets(unsigned users, unsigned funds, unsigned notes)
{
    w_users = users;
    w_funds = funds;
    w_notes = notes;
}

/*
 * refnode's path: in LB_BUILD_DIR under ctest, else beside this test or
 * bench (run by hand from anywhere).
 */
static void find_refnode(char *exe, size_t size)
{
    const char *bd = getenv("LB_BUILD_DIR");

    if (bd == NULL) {
        /* run by hand: refnode is built beside the test or bench */
        char self[512];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        char *slash;

        self[n > 0 ? n : 0] = '\0';
        slash = strrchr(self, '/');
        if (slash != NULL)
            *slash = '\0';
        bd = slash != NULL ? self : ".";
        if (lb_format(exe, size, "%s/refnode", bd) != 0)
            fail_msg("the path of refnode beside %s is too long", bd);
    } else if (lb_format(exe, size, "%s/refnode", bd) != 0) {
        fail_msg("LB_BUILD_DIR is too long: %s", bd);
    }
    if (access(exe, X_OK) != 0)
        fail_msg("no refnode at %s: build it, or set LB_BUILD_DIR", exe);
}

void rn_h_start(struct rn_h *h,
                size_t nodes,
                size_t executors,
                unsigned slot_ms,
                double f,
                const char *layout)
{
    static char seed[64];
    size_t i;

    memset(h, 0, sizeof(*h));
    (void)curl_global_init(CURL_GLOBAL_NOTHING);
    find_refnode(h->exe, sizeof(h->exe));
    (void)snprintf(h->root, sizeof(h->root), "/tmp/rn-test-XXXXXX");
    assert_non_null(mkdtemp(h->root));
    (void)snprintf(seed, sizeof(seed), "test-%d", (int)getpid());
    h->c.seed = seed;
    h->c.n = nodes;
    h->c.slot_ms = slot_ms;
    h->c.f = f;
    h->c.k = 10;
    h->c.wallets = w_users;
    h->c.wallet_funds = w_funds;
    h->c.wallet_notes = w_notes;
    h->c.subnets = 2;
    h->c.layout = layout;
    h->c.nodes = lb_xcalloc(nodes, sizeof(*h->c.nodes));
    h->pids = lb_xcalloc(nodes, sizeof(*h->pids));
    for (i = 0; i < nodes; i++) {
        struct rn_cluster_node *n = &h->c.nodes[i];
        bool ex = i >= nodes - executors;

        (void)snprintf(n->name,
                       sizeof(n->name),
                       "%s-%zu",
                       ex ? "executor" : "validator",
                       ex ? i - (nodes - executors) : i);
        n->executor = ex;
        n->api = rn_free_port();
        n->testing = rn_free_port();
        n->network = rn_free_port();
    }
    h->c.start_ms = lb_time_wall_ns() / 1000000;
    for (i = 0; i < nodes; i++) {
        struct lb_buf dir = LB_BUF_INIT, cfg = LB_BUF_INIT, p = LB_BUF_INIT;

        lb_buf_addf(&dir, "%s/%s", h->root, h->c.nodes[i].name);
        assert_int_equal(mkdir(dir.ptr, 0755), 0);
        rn_cluster_config(&h->c, i, dir.ptr, &cfg);
        lb_buf_addf(&p, "%s/config.yaml", dir.ptr);
        assert_int_equal(lb_write_file_atomic(p.ptr, cfg.ptr, cfg.len, NULL),
                         0);
        lb_buf_release(&dir);
        lb_buf_release(&cfg);
        lb_buf_release(&p);
    }
    for (i = 0; i < nodes; i++)
        rn_h_spawn(h, i);
    for (i = 0; i < nodes; i++)
        if (!rn_h_wait_ready(h, i, 30000))
            fail_msg("node %s did not become ready", h->c.nodes[i].name);
}

static void print_log(const struct rn_h *h, size_t i)
{
    char path[512], line[1024];
    FILE *f;
    long size;

    (void)snprintf(
        path, sizeof(path), "%s/%s/node.log", h->root, h->c.nodes[i].name);
    f = fopen(path, "r");
    if (f == NULL)
        return;
    (void)fseek(f, 0, SEEK_END);
    size = ftell(f);
    (void)fseek(f, size > 6000 ? size - 6000 : 0, SEEK_SET);
    (void)fprintf(stderr, "---- tail of %s ----\n", path);
    while (fgets(line, sizeof(line), f) != NULL)
        (void)fputs(line, stderr);
    (void)fclose(f);
}

void rn_h_stop(struct rn_h *h)
{
    size_t i;
    char cmd[300];

    if (h->pids == NULL)
        return;
    for (i = 0; i < h->c.n; i++)
        if (h->pids[i] > 0)
            (void)kill(h->pids[i], SIGTERM);
    for (i = 0; i < h->c.n; i++) {
        int64_t end = mono_ms() + 5000;
        int status = 0;

        while (h->pids[i] > 0) {
            pid_t r = waitpid(h->pids[i], &status, WNOHANG);

            if (r == h->pids[i]) {
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                    (void)fprintf(stderr,
                                  "node %s did not exit 0 on SIGTERM\n",
                                  h->c.nodes[i].name);
                    h->ok = false;
                }
                break;
            }
            if (mono_ms() > end) {
                (void)fprintf(
                    stderr, "node %s ignored SIGTERM\n", h->c.nodes[i].name);
                (void)kill(h->pids[i], SIGKILL);
                (void)waitpid(h->pids[i], NULL, 0);
                h->ok = false;
                break;
            }
            rn_h_sleep_ms(10);
        }
        track(h->pids[i], false);
        h->pids[i] = 0;
    }
    if (!h->ok)
        for (i = 0; i < h->c.n; i++)
            print_log(h, i);
    (void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", h->root);
    if (getenv("RN_KEEP_DIR") != NULL)
        (void)fprintf(stderr, "kept %s\n", h->root);
    else if (strncmp(h->root, "/tmp/rn-test-", 13) == 0 && system(cmd) != 0)
        (void)fprintf(stderr, "cannot remove %s\n", h->root);
    lb_free(h->pids);
    lb_free(h->c.nodes);
    h->pids = NULL;
    curl_global_cleanup();
}

double rn_proc_cpu_ticks(pid_t pid)
{
    char path[64], buf[2048], *s;
    unsigned long ut = 0, st = 0;
    FILE *f;
    size_t n;

    (void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    (void)fclose(f);
    buf[n] = '\0';
    /* the command name may hold spaces: fields start after its ')' */
    s = strrchr(buf, ')');
    if (s == NULL ||
        sscanf(s + 2,
               "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
               &ut,
               &st) != 2)
        return 0;
    return (double)(ut + st);
}

bool rn_h_file_contains(const char *path, const char *needle)
{
    struct lb_buf b = LB_BUF_INIT;
    bool found =
        lb_buf_read_file(&b, path, NULL) == 0 && strstr(b.ptr, needle) != NULL;

    lb_buf_release(&b);
    return found;
}
