/*
 * Benchmark: transaction capacity of a 4-node refnode cluster (star, 100 ms
 * slots). Pre-signs T transfers (each spends its own genesis note), submits
 * them over loopback with C concurrent requests spread over the nodes, and
 * prints the accepted rate beside two ceilings measured in the same run:
 * Ed25519 verifications per second on one core divided by the nodes that
 * verify each tx, and the HTTP round trip of a trivial endpoint.
 *
 *   build/bench_rn_tx [TXS] [CONCURRENCY] [SLOT_MS]   (12000 64 100)
 */
#include "lb_test.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/time.h"
#include "net/mantle.h"
#include "rn_harness.h"

#define NODES 4
#define USERS 16

static size_t total = 12000;
static long concurrency = 64;
static unsigned slot_ms = 100;

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return s * n;
}

/* CPU seconds of the nodes, each in `each` (may be NULL), and in all. */
static double nodes_cpu(const struct rn_h *h, double each[NODES])
{
    double sum = 0;
    size_t i;

    for (i = 0; i < NODES; i++) {
        double c = rn_proc_cpu_ticks(h->pids[i]) / (double)sysconf(_SC_CLK_TCK);

        if (each != NULL)
            each[i] = c;
        sum += c;
    }
    return sum;
}

static double self_cpu(void)
{
    struct rusage ru;

    (void)getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double secs(int64_t from)
{
    return (double)(lb_time_mono_ns() - from) / 1e9;
}

static double verify_rate(void)
{
    struct lb_mantle_key k;
    unsigned char msg[32] = {1}, sig[64];
    int64_t t;
    int i, n = 20000, ok = 0;

    assert_int_equal(lb_mantle_key_init(&k, "bench", "v", NULL), 0);
    assert_int_equal(lb_mantle_sign(&k, msg, 32, sig), 0);
    t = lb_time_mono_ns();
    for (i = 0; i < n; i++)
        ok += lb_mantle_verify(k.pk, msg, 32, sig);
    assert_int_equal(ok, n);
    lb_mantle_key_release(&k);
    return n / secs(t);
}

static double round_trip_us(struct rn_h *h)
{
    CURL *c = curl_easy_init();
    char url[128];
    int64_t t;
    int i, n = 2000;

    (void)snprintf(url,
                   sizeof(url),
                   "http://127.0.0.1:%u/mantle/metrics",
                   h->c.nodes[0].api);
    (void)curl_easy_setopt(c, CURLOPT_URL, url);
    (void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    (void)curl_easy_setopt(c, CURLOPT_PROXY, "");
    t = lb_time_mono_ns();
    for (i = 0; i < n; i++)
        assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_cleanup(c);
    return secs(t) * 1e6 / n;
}

static void bench_rn_tx(void **state)
{
    struct rn_h h;
    char **bodies = calloc(total, sizeof(*bodies));
    struct lb_mantle_key keys[USERS];
    CURLM *m;
    CURL **idle;
    size_t next = 0, done = 0, accepted = 0, i, per, n_idle;
    int64_t t;
    double submit_s, incl_s, vps, rtt, cpu0, cpu1, me0, me1;
    double each0[NODES], each1[NODES];
    char url[NODES][128];
    uint64_t included = 0;

    (void)state;
    vps = verify_rate(); /* before the cluster runs: one idle core */
    per = (total + USERS - 1) / USERS;
    rn_h_set_wallets(USERS, (unsigned)per * 10, (unsigned)per);
    rn_h_start(&h, NODES, 0, slot_ms, 0.9, "star");
    t = lb_time_mono_ns();
    for (i = 0; i < USERS; i++) {
        char name[32];

        (void)snprintf(name, sizeof(name), "wallet-user-%zu", i);
        assert_int_equal(lb_mantle_key_init(&keys[i], h.c.seed, name, NULL), 0);
    }
    for (i = 0; i < total; i++) {
        struct lb_mantle_output out = {.value = 10};
        char note[65], name[32];
        const char *in[1] = {note};
        json_t *tx;

        (void)snprintf(name, sizeof(name), "wallet-user-%zu", i % USERS);
        lb_mantle_genesis_note_id(h.c.seed, name, (uint32_t)(i / USERS), note);
        memcpy(out.pk_hex, keys[i % USERS].pk_hex, 65);
        tx = lb_mantle_transfer_new(in, 1, &out, 1, &keys[i % USERS], NULL);
        assert_non_null(tx);
        bodies[i] = json_dumps(tx, JSON_COMPACT);
        json_decref(tx);
    }
    (void)printf("signed %zu transfers in %.2f s\n", total, secs(t));
    for (i = 0; i < NODES; i++)
        (void)snprintf(url[i],
                       sizeof(url[i]),
                       "http://127.0.0.1:%u/mempool/add/tx",
                       h.c.nodes[i].api);
    m = curl_multi_init();
    (void)curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, concurrency * 2);
    idle = calloc((size_t)concurrency, sizeof(*idle));
    for (n_idle = 0; n_idle < (size_t)concurrency; n_idle++) {
        CURL *c = curl_easy_init();

        (void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
        (void)curl_easy_setopt(c, CURLOPT_PROXY, "");
        (void)curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
        idle[n_idle] = c;
    }
    cpu0 = nodes_cpu(&h, each0);
    me0 = self_cpu();
    t = lb_time_mono_ns();
    while (done < total) {
        CURLMsg *msg;
        int running, left;

        while (next < total && n_idle > 0) {
            CURL *c = idle[--n_idle];

            (void)curl_easy_setopt(c, CURLOPT_URL, url[next % NODES]);
            (void)curl_easy_setopt(c, CURLOPT_POSTFIELDS, bodies[next]);
            (void)curl_multi_add_handle(m, c);
            next++;
        }
        (void)curl_multi_perform(m, &running);
        while ((msg = curl_multi_info_read(m, &left)) != NULL) {
            long st = 0;

            if (msg->msg != CURLMSG_DONE)
                continue;
            (void)curl_easy_getinfo(
                msg->easy_handle, CURLINFO_RESPONSE_CODE, &st);
            accepted += msg->data.result == CURLE_OK && st == 200;
            (void)curl_multi_remove_handle(m, msg->easy_handle);
            idle[n_idle++] = msg->easy_handle; /* reused: less client CPU */
            done++;
        }
        (void)curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    submit_s = secs(t);
    cpu1 = nodes_cpu(&h, each1);
    me1 = self_cpu();
    while (n_idle > 0)
        curl_easy_cleanup(idle[--n_idle]);
    free(idle);
    (void)curl_multi_cleanup(m);
    /* inclusion on node 0 (polled every 20 ms), before anything else */
    t = lb_time_mono_ns();
    while (secs(t) < 60) {
        struct lb_buf b = LB_BUF_INIT;
        const char *p;

        if (rn_h_http(&h, 0, 0, "GET", "/metrics", NULL, 0, &b) == 200 &&
            (p = strstr(b.ptr, "\nconsensus_transactions_total ")) != NULL)
            included = strtoull(p + 30, NULL, 10);
        lb_buf_release(&b);
        if (included >= accepted)
            break;
        rn_h_sleep_ms(20);
    }
    incl_s = secs(t);
    rtt = round_trip_us(&h);
    (void)printf("submitted %zu txs to %d nodes (%u ms slots) with %ld "
                 "concurrent requests: %zu accepted in %.2f s = %.0f tx/s\n",
                 total,
                 NODES,
                 slot_ms,
                 concurrency,
                 accepted,
                 submit_s,
                 accepted / submit_s);
    (void)printf("  the 4 nodes used %.2f CPU-s meanwhile: %.0f us of CPU "
                 "per tx over the cluster, %.0f tx/s per fully used core\n",
                 cpu1 - cpu0,
                 (cpu1 - cpu0) * 1e6 / (double)accepted,
                 (double)accepted / (cpu1 - cpu0));
    (void)printf("  that is %.1f Ed25519 verifications per tx at the "
                 "rate measured before the run (the floor is %d: each node "
                 "verifies each tx once; CPU contention inflates it)\n",
                 (cpu1 - cpu0) / (double)accepted * vps,
                 NODES);
    (void)printf("  per node (0 is the hub): %.0f %%, %.0f %%, %.0f %%, "
                 "%.0f %% of a core\n",
                 (each1[0] - each0[0]) / submit_s * 100,
                 (each1[1] - each0[1]) / submit_s * 100,
                 (each1[2] - each0[2]) / submit_s * 100,
                 (each1[3] - each0[3]) / submit_s * 100);
    (void)printf("  this client used %.2f CPU-s meanwhile (%.0f us per tx)\n",
                 me1 - me0,
                 (me1 - me0) * 1e6 / (double)total);
    (void)printf("  ceiling: %.0f Ed25519 verifications/s on one core / %d "
                 "nodes verifying each tx = %.0f tx/s (x2 cores shared "
                 "with the client and other work)\n",
                 vps,
                 NODES,
                 vps / NODES);
    (void)printf("  HTTP round trip of GET /mantle/metrics: %.0f us "
                 "(%.0f requests/s sequential)\n",
                 rtt,
                 1e6 / rtt);
    (void)printf("included in blocks on node 0: %llu of %zu, %.1f s after "
                 "the last submission: %.0f tx/s accepted and included\n",
                 (unsigned long long)included,
                 accepted,
                 incl_s,
                 (double)included / (submit_s + incl_s));
    for (i = 0; i < NODES; i++) {
        json_t *info = rn_h_get_json(&h, i, "/cryptarchia/info");
        json_t *mm = rn_h_get_json(&h, i, "/mantle/metrics");

        (void)printf(
            "  node %zu: height %lld, mempool %lld\n",
            i,
            (long long)json_integer_value(json_object_get(info, "height")),
            (long long)json_integer_value(
                json_object_get(mm, "pending_items")));
        json_decref(info);
        json_decref(mm);
    }
    {
        /* a tx not in the chain leaves its genesis note unspent */
        size_t unspent = 0, j;

        for (i = 0; i < USERS; i++) {
            char path[128], name[32], id[65];
            json_t *bal, *notes;

            (void)snprintf(
                path, sizeof(path), "/wallet/%s/balance", keys[i].pk_hex);
            (void)snprintf(name, sizeof(name), "wallet-user-%zu", i);
            bal = rn_h_get_json(&h, 0, path);
            notes = json_object_get(bal, "notes");
            for (j = 0; j < per && i + j * USERS < total; j++) {
                size_t k;

                lb_mantle_genesis_note_id(h.c.seed, name, (uint32_t)j, id);
                for (k = 0; k < json_array_size(notes); k++)
                    if (strcmp(json_string_value(json_array_get(notes, k)),
                               id) == 0)
                        unspent++;
            }
            json_decref(bal);
        }
        (void)printf("  submitted txs whose note is still unspent on node 0: "
                     "%zu\n",
                     unspent);
    }
    for (i = 0; i < total; i++)
        free(bodies[i]);
    free(bodies);
    for (i = 0; i < USERS; i++)
        lb_mantle_key_release(&keys[i]);
    h.ok = getenv("RN_BENCH_LOGS") == NULL;
    rn_h_stop(&h);
}

int main(int argc, char **argv)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(bench_rn_tx),
    };

    if (argc > 1)
        total = (size_t)strtoul(argv[1], NULL, 10);
    if (argc > 2)
        concurrency = strtol(argv[2], NULL, 10);
    if (argc > 3)
        slot_ms = (unsigned)strtoul(argv[3], NULL, 10);
    if (total < 1 || concurrency < 1 || slot_ms < 50)
        return 2;
    return cmocka_run_group_tests_name("bench_rn_tx", tests, NULL, NULL);
}
