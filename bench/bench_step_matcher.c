/*
 * Benchmark of the step matcher: 100,000 step texts against 500
 * definitions (half regular expressions, half Cucumber Expressions), with
 * the prefix index and, in the same run, with the naive loop that tries
 * every pattern. Prints matches per second of both and the ratio.
 *
 * The definitions look like a real suite's: a few leading words shared by
 * many patterns ("the node", "I send"), parameters in the middle, so the
 * index cannot win on the first byte alone.
 *
 * usage: bench_step_matcher [steps] [definitions] [leading-param]
 *                           [indexed-only]
 * leading-param: every pattern starts with a parameter ("{word} sends ..."),
 * the index's worst case (no literal prefix); indexed-only skips the
 * baseline, for profiling.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "engine/step_matcher.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t next_rand(void)
{
    /* xorshift64*: deterministic, so runs compare */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static const char *const subjects[] = {
    "I", "the node", "the wallet", "a validator", "the cluster", "node"};
static const char *const verbs[] = {"send",
                                    "receive",
                                    "stake",
                                    "sign",
                                    "submit",
                                    "query",
                                    "restart",
                                    "wait for",
                                    "see",
                                    "expect"};
static const char *const nouns[] = {"coins",
                                    "blocks",
                                    "transactions",
                                    "votes",
                                    "peers",
                                    "tokens",
                                    "proposals",
                                    "epochs"};

#define NSUBJ (sizeof(subjects) / sizeof(subjects[0]))
#define NVERB (sizeof(verbs) / sizeof(verbs[0]))
#define NNOUN (sizeof(nouns) / sizeof(nouns[0]))

static int leading_param;

/* Definition k as a pattern, and a step text that matches it. */
static void make_def(size_t k, struct lb_buf *pattern, struct lb_buf *text)
{
    const char *s = subjects[k % NSUBJ];
    const char *v = verbs[(k / NSUBJ) % NVERB];
    const char *n = nouns[(k / (NSUBJ * NVERB)) % NNOUN];
    size_t tag = k / 2;
    unsigned amount = next_rand() % 100000;

    lb_buf_reset(pattern);
    lb_buf_reset(text);
    if (leading_param) {
        (void)lb_buf_adds(pattern, k % 2 == 0 ? "{word} " : "^(\\w+) ");
        (void)lb_buf_adds(text, "someone ");
    }
    if (k % 2 == 0) {
        (void)lb_buf_addf(
            pattern, "%s %s {int} %s%zu to {string}", s, v, n, tag);
        (void)lb_buf_addf(
            text, "%s %s %u %s%zu to \"alice\"", s, v, amount, n, tag);
    } else {
        (void)lb_buf_addf(pattern,
                          "%s%s %s (\\d+) %s%zu(?: within (\\d+) seconds)?$",
                          leading_param ? "" : "^",
                          s,
                          v,
                          n,
                          tag);
        (void)lb_buf_addf(
            text, "%s %s %u %s%zu within 30 seconds", s, v, amount, n, tag);
    }
}

static double clock_s(clockid_t id)
{
    struct timespec ts;

    (void)clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/*
 * The machine is shared: CPU time of this process is printed beside wall
 * time, as it depends less on what the other processes do.
 */
static double cpu_now(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

typedef int (*match_fn)(struct lb_step_matcher *sm,
                        const char *text,
                        const struct lb_match **matches,
                        struct lb_error *err);

/*
 * Matches every text; returns wall seconds, `*cpu` CPU seconds, and the
 * total match count.
 */
static double run(struct lb_step_matcher *sm,
                  match_fn fn,
                  char **texts,
                  size_t ntexts,
                  size_t *found,
                  double *cpu)
{
    const struct lb_match *m;
    struct lb_error err;
    double t0, c0;
    size_t i;
    int n;

    *found = 0;
    lb_error_init(&err);
    t0 = now();
    c0 = cpu_now();
    for (i = 0; i < ntexts; i++) {
        n = fn(sm, texts[i], &m, &err);
        if (n < 0) {
            fprintf(stderr, "match failed: %s\n", err.msg);
            exit(1);
        }
        *found += (size_t)n;
    }
    *cpu = cpu_now() - c0;
    return now() - t0;
}

int main(int argc, char **argv)
{
    size_t nsteps = 100000, ndefs = 500, nums = 0;
    int indexed_only = 0, a;
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_step_matcher *sm = lb_step_matcher_new(reg);
    struct lb_buf pattern = LB_BUF_INIT, text = LB_BUF_INIT;
    char **def_texts, **texts;
    struct lb_error err;
    size_t i, found_fast, found_naive;
    double t_fast, t_naive, t_build, c_fast, c_naive;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "leading-param") == 0)
            leading_param = 1;
        else if (strcmp(argv[a], "indexed-only") == 0)
            indexed_only = 1;
        else if (nums++ == 0)
            nsteps = (size_t)strtoul(argv[a], NULL, 10);
        else
            ndefs = (size_t)strtoul(argv[a], NULL, 10);
    }
    if (reg == NULL || sm == NULL || nsteps == 0 || ndefs == 0)
        return 1;
    def_texts = calloc(ndefs, sizeof(*def_texts));
    texts = calloc(nsteps, sizeof(*texts));
    if (def_texts == NULL || texts == NULL)
        return 1;
    t_build = now();
    for (i = 0; i < ndefs; i++) {
        make_def(i, &pattern, &text);
        lb_error_init(&err);
        if (lb_step_matcher_add(
                sm, LB_EXPR_AUTO, pattern.ptr, NULL, NULL, 0, NULL, &err) < 0)
        {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        def_texts[i] = strdup(text.ptr);
    }
    t_build = now() - t_build;
    /* 9 in 10 steps match a definition, the others are undefined */
    for (i = 0; i < nsteps; i++) {
        if (i % 10 == 9) {
            lb_buf_reset(&text);
            (void)lb_buf_addf(&text,
                              "%s %s %u undefined things",
                              subjects[next_rand() % NSUBJ],
                              verbs[next_rand() % NVERB],
                              next_rand() % 1000);
            texts[i] = strdup(text.ptr);
        } else {
            texts[i] = strdup(def_texts[next_rand() % ndefs]);
        }
    }
    t_fast =
        run(sm, lb_step_matcher_match, texts, nsteps, &found_fast, &c_fast);
    if (indexed_only) {
        printf("indexed matcher: %.0f steps/s wall, %.0f cpu\n",
               (double)nsteps / t_fast,
               (double)nsteps / c_fast);
        return 0;
    }
    t_naive = run(
        sm, lb_step_matcher_match_naive, texts, nsteps, &found_naive, &c_naive);
    if (found_fast != found_naive) {
        fprintf(stderr,
                "results differ: index %zu matches, naive %zu\n",
                found_fast,
                found_naive);
        return 1;
    }
    printf("step matcher: %zu steps x %zu definitions (%zu regex, %zu "
           "Cucumber Expressions), %zu matches, compiled in %.3f s\n",
           nsteps,
           ndefs,
           ndefs / 2,
           ndefs - ndefs / 2,
           found_fast,
           t_build);
    printf("                   %12s %12s\n", "wall", "cpu");
    printf("  indexed matcher: %12.0f %12.0f steps/s\n",
           (double)nsteps / t_fast,
           (double)nsteps / c_fast);
    printf("  naive loop:      %12.0f %12.0f steps/s   [baseline]\n",
           (double)nsteps / t_naive,
           (double)nsteps / c_naive);
    printf("  ratio:           %12.1f %12.1f x\n",
           t_naive / t_fast,
           c_naive / c_fast);
    for (i = 0; i < ndefs; i++)
        free(def_texts[i]);
    for (i = 0; i < nsteps; i++)
        free(texts[i]);
    free(def_texts);
    free(texts);
    lb_buf_release(&pattern);
    lb_buf_release(&text);
    lb_step_matcher_free(sm);
    lb_param_registry_free(reg);
    return 0;
}
