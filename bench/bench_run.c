/*
 * Benchmark of a whole logos-bdd run: N trivial scenarios of 5 steps (in
 * files of 100 scenarios), run by the real CLI with every formatter
 * writing to files, beside the same run with no report as the baseline.
 * Prints steps/s and peak RSS (the child's, from wait4) of each, and, when
 * CUCUMBER_JS is set to a cucumber-js executable (see bench/README in the
 * output), the ratio to cucumber-js on the same feature files.
 *
 *   build/bench_run [scenarios=10000]
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_features(const char *dir, int scenarios)
{
    int per_file = 100, files = (scenarios + per_file - 1) / per_file;
    for (int f = 0; f < files; f++) {
        char path[4300];
        snprintf(path, sizeof(path), "%s/f%04d.feature", dir, f);
        FILE *out = fopen(path, "w");
        if (out == NULL)
            return -1;
        fprintf(out, "@bench\nFeature: bench file %d\n\n", f);
        for (int s = 0; s < per_file && f * per_file + s < scenarios; s++) {
            int n = f * per_file + s;
            fprintf(out,
                    "  Scenario: scenario %d\n"
                    "    Given I have %d cukes in my belly\n"
                    "    When I eat %d of them\n"
                    "    Then the belly feels fine\n"
                    "    And the run goes on with step %d\n"
                    "    And the run goes on with step %d\n\n",
                    n,
                    n,
                    n % 7,
                    n,
                    n + 1);
        }
        if (fclose(out) != 0)
            return -1;
    }
    return 0;
}

struct result {
    double seconds;     /* wall clock */
    double cpu_seconds; /* user + system of the child */
    long max_rss_kb;
    int status;
};

static struct result run(char *const argv[], const char *cwd)
{
    struct result r = {0, 0, 0, -1};
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        if (cwd != NULL && chdir(cwd) != 0)
            _exit(127);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0)
        return r;
    r.seconds = now() - t0;
    r.cpu_seconds = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    r.max_rss_kb = ru.ru_maxrss;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return r;
}

/* Wall-clock figures suffer from a loaded machine; the CPU time of the
 * child is printed beside them. */
static void print(const char *what, struct result r, int steps)
{
    printf("%-31s wall %7.3f s %8.0f steps/s | cpu %6.3f s %8.0f steps/s | "
           "peak RSS %6.1f MB (exit %d)\n",
           what,
           r.seconds,
           steps / r.seconds,
           r.cpu_seconds,
           steps / (r.cpu_seconds > 0 ? r.cpu_seconds : 1e-9),
           r.max_rss_kb / 1024.0,
           r.status);
}

int main(int argc, char **argv)
{
    int scenarios = argc > 1 ? atoi(argv[1]) : 10000;
    if (scenarios <= 0)
        scenarios = 10000;
    int steps = scenarios * 5;
    char exe[4200], lib[4200];
    const char *build = getenv("LB_BUILD_DIR");
    if (build != NULL && strlen(build) > 3900)
        build = NULL;
    if (build == NULL) {
        /* the benchmark sits next to logos-bdd in the build folder */
        char self[4000];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n <= 0)
            return 1;
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        *slash = '\0';
        snprintf(exe, sizeof(exe), "%s/logos-bdd", self);
        snprintf(lib, sizeof(lib), "%s/bench_run_steps.so", self);
    } else {
        snprintf(exe, sizeof(exe), "%s/logos-bdd", build);
        snprintf(lib, sizeof(lib), "%s/bench_run_steps.so", build);
    }
    char dir[] = "/tmp/lb-bench-run-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char features[4200], out[4200];
    snprintf(features, sizeof(features), "%s/features", dir);
    snprintf(out, sizeof(out), "%s/out", dir);
    if (mkdir(features, 0700) != 0 || mkdir(out, 0700) != 0 ||
        write_features(features, scenarios) != 0)
    {
        perror("writing the features");
        return 1;
    }
    printf("bench_run: %d scenarios, %d steps, %s\n", scenarios, steps, exe);

    char *base[] = {exe, "--require", lib, "-f", "none", features, NULL};
    struct result b = run(base, NULL);
    print("baseline (no report)", b, steps);

    char f_msg[4300], f_junit[4300], f_json[4300], f_pretty[4300],
        f_progress[4300], f_summary[4300], f_rerun[4300], f_usage[4300];
    snprintf(f_msg, sizeof(f_msg), "message:%s/m.ndjson", out);
    snprintf(f_junit, sizeof(f_junit), "junit:%s/j.xml", out);
    snprintf(f_json, sizeof(f_json), "json:%s/c.json", out);
    snprintf(f_pretty, sizeof(f_pretty), "pretty:%s/pretty.txt", out);
    snprintf(f_progress, sizeof(f_progress), "progress:%s/progress.txt", out);
    snprintf(f_summary, sizeof(f_summary), "summary:%s/summary.txt", out);
    snprintf(f_rerun, sizeof(f_rerun), "rerun:%s/rerun.txt", out);
    snprintf(f_usage, sizeof(f_usage), "usage:%s/usage.txt", out);
    char *all[] = {exe,        "--require", lib,       "-f", f_msg,    "-f",
                   f_junit,    "-f",        f_json,    "-f", f_pretty, "-f",
                   f_progress, "-f",        f_summary, "-f", f_rerun,  "-f",
                   f_usage,    features,    NULL};
    struct result a = run(all, NULL);
    print("all 8 formatters to files", a, steps);
    char *msg[] = {exe, "--require", lib, "-f", f_msg, features, NULL};
    struct result m = run(msg, NULL);
    print("message formatter only", m, steps);

    const char *cjs = getenv("CUCUMBER_JS");
    if (cjs != NULL && *cjs != '\0') {
        /* cucumber-js with equivalent no-op steps (CUCUMBER_JS_STEPS) */
        const char *js_steps = getenv("CUCUMBER_JS_STEPS");
        char *js[] = {(char *)cjs,
                      "--import",
                      (char *)js_steps,
                      "--format",
                      f_msg,
                      features,
                      NULL};
        struct result c = run(js, NULL);
        print("cucumber-js, message formatter", c, steps);
        if (c.status <= 1 && c.seconds > 0 && m.cpu_seconds > 0)
            printf("logos-bdd vs cucumber-js (message formatter, same "
                   "features): %.1fx as fast (wall), %.1fx (cpu), %.1fx "
                   "less memory\n",
                   c.seconds / m.seconds,
                   c.cpu_seconds / m.cpu_seconds,
                   (double)c.max_rss_kb / (double)m.max_rss_kb);
    } else {
        printf("cucumber-js: not compared (set CUCUMBER_JS and "
               "CUCUMBER_JS_STEPS)\n");
    }
    char cmd[4300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return a.status <= 1 && b.status <= 1 ? 0 : 1;
}
