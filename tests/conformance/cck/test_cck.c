/*
 * The Cucumber Compatibility Kit: for every sample of
 * $LB_SHARED_DIR/conformance/cck, run the real logos-bdd CLI with the
 * sample's step definitions ported to C (build/cck/cck_<sample>.so, loaded
 * with --require) and its .arguments.txt, writing `--format message:FILE`,
 * and compare that stream with the expected NDJSON: the same envelopes in
 * the same order, equal in content once normalised.
 *
 * Normalised on both sides (what differs between any two correct runners):
 * ids (renamed in order of first appearance), timestamps, durations, the
 * meta envelope, sourceReference (paths and lines of the definitions),
 * exception stack traces and type names (JavaScript class names there, C
 * has none), and the snippets' language and code (ours are C).
 *
 * The samples' uris are samples/<name>/<name>.feature: the runner runs in a
 * temp folder holding a `samples` link to the kit. Skipped, with a message,
 * when the kit is absent (a clone without ../shared).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "lb_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char cck_dir[4096];
static char build_dir[1024];
static char work_dir[1100];
static char **samples;
static size_t nsamples;

/* ---- Normalisation ---- */

struct idmap {
    json_t *map; /* original id -> canonical id */
    int next;
};

static json_t *canon_id(struct idmap *m, json_t *v)
{
    if (!json_is_string(v))
        return json_incref(v);
    json_t *c = json_object_get(m->map, json_string_value(v));
    if (c == NULL) {
        char buf[32];
        snprintf(buf, sizeof(buf), "id%d", m->next++);
        c = json_string(buf);
        json_object_set_new(m->map, json_string_value(v), c);
    }
    return json_incref(c);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Returns a normalised deep copy of `v`. */
static json_t *normalise(json_t *v, struct idmap *m, const char *key)
{
    if (json_is_object(v)) {
        json_t *o = json_object();
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            if (strcmp(k, "timestamp") == 0 || strcmp(k, "duration") == 0 ||
                strcmp(k, "sourceReference") == 0 ||
                strcmp(k, "stackTrace") == 0 ||
                (strcmp(k, "type") == 0 && key != NULL &&
                 strcmp(key, "exception") == 0))
                continue;
            if (strcmp(k, "snippets") == 0 && json_is_array(x)) {
                json_t *a = json_array();
                for (size_t i = 0; i < json_array_size(x); i++)
                    json_array_append_new(
                        a, json_pack("{ssss}", "language", "*", "code", "*"));
                json_object_set_new(o, k, a);
                continue;
            }
            if (strcmp(k, "id") == 0 || ends_with(k, "Id")) {
                json_object_set_new(o, k, canon_id(m, x));
                continue;
            }
            if (ends_with(k, "Ids") && json_is_array(x)) {
                json_t *a = json_array();
                for (size_t i = 0; i < json_array_size(x); i++)
                    json_array_append_new(a, canon_id(m, json_array_get(x, i)));
                json_object_set_new(o, k, a);
                continue;
            }
            json_object_set_new(o, k, normalise(x, m, k));
        }
        return o;
    }
    if (json_is_array(v)) {
        json_t *a = json_array();
        for (size_t i = 0; i < json_array_size(v); i++)
            json_array_append_new(a, normalise(json_array_get(v, i), m, key));
        return a;
    }
    return json_deep_copy(v);
}

/* Reads an NDJSON file into a normalised array (meta left out). */
static json_t *load_stream(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    json_t *out = json_array();
    struct idmap m = {json_object(), 0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (n <= 1)
            continue;
        json_error_t je;
        json_t *env = json_loads(line, 0, &je);
        if (env == NULL) {
            print_error("%s:%d: not JSON: %s\n", path, lineno, je.text);
            json_decref(out);
            out = NULL;
            break;
        }
        if (json_object_get(env, "meta") == NULL)
            json_array_append_new(out, normalise(env, &m, NULL));
        json_decref(env);
    }
    free(line);
    (void)fclose(f);
    json_decref(m.map);
    return out;
}

/* ---- Running a sample ---- */

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Splits the sample's .arguments.txt into argv entries (whitespace). */
static int read_arguments(const char *sample, char **args, int max)
{
    char path[8192];
    snprintf(
        path, sizeof(path), "%s/%s/%s.arguments.txt", cck_dir, sample, sample);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    int n = 0;
    char word[256];
    while (n < max && fscanf(f, "%255s", word) == 1)
        args[n++] = strdup(word);
    (void)fclose(f);
    return n;
}

static int
run_sample(const char *sample, const char *out_path, const char *err_path)
{
    char exe[8192], lib[8192], feature[2048];
    snprintf(exe, sizeof(exe), "%s/logos-bdd", build_dir);
    snprintf(lib, sizeof(lib), "%s/cck/cck_%s.so", build_dir, sample);
    snprintf(feature, sizeof(feature), "samples/%s/%s.feature", sample, sample);
    char full[4096];
    snprintf(full, sizeof(full), "%s/%s", work_dir, feature);
    if (!file_exists(full)) {
        strcat(feature, ".md");
        snprintf(full, sizeof(full), "%s/%s", work_dir, feature);
        if (!file_exists(full)) /* several features: the whole folder */
            snprintf(feature, sizeof(feature), "samples/%s", sample);
    }
    char fmt[8192];
    snprintf(fmt, sizeof(fmt), "message:%s", out_path);

    char *argv[32];
    int argc = 0;
    argv[argc++] = exe;
    argv[argc++] = "--require";
    argv[argc++] = lib;
    /* only the sample's steps, not the blockchain vocabulary linked in */
    argv[argc++] = "--no-builtin-steps";
    argv[argc++] = "--format";
    argv[argc++] = fmt;
    char *extra[8];
    int nextra = read_arguments(sample, extra, 8);
    const char *inject = NULL;
    for (int i = 0; i < nextra; i++) {
        /* fake-cucumber's --error makes the run itself fail: our runner's
         * fault-injection seam does the same */
        if (strcmp(extra[i], "--error") == 0)
            inject = "Whoops!";
        else
            argv[argc++] = extra[i];
    }
    argv[argc++] = feature;
    argv[argc] = NULL;

    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(work_dir) != 0)
            _exit(127);
        if (inject != NULL)
            setenv("LOGOS_BDD_INJECT_RUN_ERROR", inject, 1);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 1);
        /* stderr (ambiguity lists, sanitizer reports) to a file shown when
         * the sample fails */
        int errfd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (errfd >= 0)
            dup2(errfd, 2);
        execv(exe, argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    for (int i = 0; i < nextra; i++)
        free(extra[i]);
    if (!WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static void test_cck_sample(void **state)
{
    const char *sample = *state;
    char out[2048], errs[2048], expected[8192];
    snprintf(out, sizeof(out), "%s/%s.ndjson", work_dir, sample);
    snprintf(errs, sizeof(errs), "%s/%s.err", work_dir, sample);
    snprintf(
        expected, sizeof(expected), "%s/%s/%s.ndjson", cck_dir, sample, sample);
    int rc = run_sample(sample, out, errs);
    /* 2 is a run that could not start or stopped on an error (the
     * test-run-exception sample); the stream shows which */
    if (rc < 0 || rc > 2) {
        print_error("sample %s: logos-bdd exited with %d\n", sample, rc);
        char cmd[4200];
        snprintf(cmd, sizeof(cmd), "head -c 4000 '%s' >&2", errs);
        if (system(cmd) != 0)
            print_error("(no stderr)\n");
        fail();
    }
    json_t *got = load_stream(out);
    json_t *want = load_stream(expected);
    assert_non_null(want);
    if (got == NULL) {
        print_error("sample %s: no message report at %s\n", sample, out);
        fail();
    }
    size_t n = json_array_size(got) > json_array_size(want)
                   ? json_array_size(got)
                   : json_array_size(want);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        json_t *g = json_array_get(got, i), *w = json_array_get(want, i);
        if (g != NULL && w != NULL && json_equal(g, w))
            continue;
        char *gs = g ? json_dumps(g, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
        char *ws = w ? json_dumps(w, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
        print_error("sample %s: envelope %zu differs\n  want %s\n  got  %s\n",
                    sample,
                    i + 1,
                    ws ? ws : "(nothing)",
                    gs ? gs : "(nothing)");
        free(gs);
        free(ws);
        ok = false;
    }
    json_decref(got);
    json_decref(want);
    if (!ok || rc < 0 || rc > 2) {
        char cmd[4200];
        snprintf(cmd, sizeof(cmd), "head -c 4000 '%s' >&2", errs);
        if (system(cmd) != 0)
            print_error("(no stderr)\n");
    }
    assert_true(ok);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    const char *shared = getenv("LB_SHARED_DIR");
    const char *build = getenv("LB_BUILD_DIR");
    if (shared == NULL || build == NULL) {
        fprintf(stderr, "LB_SHARED_DIR and LB_BUILD_DIR must be set\n");
        return 1;
    }
    snprintf(cck_dir, sizeof(cck_dir), "%s/conformance/cck", shared);
    if (strlen(build) >= sizeof(build_dir) - 32 ||
        strlen(shared) >= sizeof(cck_dir) - 32)
    {
        fprintf(stderr, "LB_SHARED_DIR or LB_BUILD_DIR is too long\n");
        return 1;
    }
    snprintf(build_dir, sizeof(build_dir), "%s", build);
    DIR *d = opendir(cck_dir);
    if (d == NULL) {
        printf("skipped: the Cucumber Compatibility Kit is not at %s\n",
               cck_dir);
        return 77; /* ctest SKIP_RETURN_CODE */
    }
    char abs[PATH_MAX];
    if (realpath(cck_dir, abs) != NULL)
        snprintf(cck_dir, sizeof(cck_dir), "%s", abs);
    struct dirent *e;
    size_t cap = 64;
    samples = calloc(cap, sizeof(char *));
    while ((e = readdir(d)) != NULL) {
        char p[8192];
        snprintf(
            p, sizeof(p), "%s/%s/%s.ndjson", cck_dir, e->d_name, e->d_name);
        if (e->d_name[0] == '.' || !file_exists(p))
            continue;
        if (nsamples == cap)
            samples = realloc(samples, (cap *= 2) * sizeof(char *));
        samples[nsamples++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(samples, nsamples, sizeof(char *), cmp_str);

    snprintf(work_dir, sizeof(work_dir), "%s/cck-work-XXXXXX", build_dir);
    if (mkdtemp(work_dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char link[8192];
    snprintf(link, sizeof(link), "%s/samples", work_dir);
    if (symlink(cck_dir, link) != 0) {
        perror("symlink");
        return 1;
    }

    struct CMUnitTest *tests = calloc(nsamples, sizeof(*tests));
    for (size_t i = 0; i < nsamples; i++) {
        tests[i].name = samples[i];
        tests[i].test_func = test_cck_sample;
        tests[i].initial_state = samples[i];
    }
    int failed = _cmocka_run_group_tests("cck", tests, nsamples, NULL, NULL);

    /* clean up the work folder */
    for (size_t i = 0; i < nsamples; i++) {
        char p[8192];
        snprintf(p, sizeof(p), "%s/%s.ndjson", work_dir, samples[i]);
        (void)unlink(p);
        snprintf(p, sizeof(p), "%s/%s.err", work_dir, samples[i]);
        (void)unlink(p);
        free(samples[i]);
    }
    (void)unlink(link);
    (void)rmdir(work_dir);
    free(samples);
    free(tests);
    return failed;
}
