/*
 * lb-report: replays a recorded Cucumber Messages stream (NDJSON) through
 * the report formatters, for tests and for people who want a report of a
 * stream after the fact:
 *
 *     lb-report --format junit:out.xml --format json:out.json < run.ndjson
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "reports/formatter.h"

#define MAX_FORMATS 16

static void usage(FILE *out)
{
    const char *const *n;

    (void)fprintf(out,
                  "usage: lb-report [--color] [--suite-per-feature] "
                  "[--no-snippets] [--time]\n"
                  "                 --format NAME[:FILE]... [STREAM.ndjson]\n"
                  "reads the stream from stdin when no file is given (or "
                  "'-'); FILE '-' or none is stdout\n"
                  "formats:");
    for (n = lb_formatter_names(); *n; n++)
        (void)fprintf(out, " %s", *n);
    (void)fprintf(out, "\n");
}

static int show_time;

/* CPU time, only with --time (a system call on some machines). */
static double cpu_seconds(void)
{
    struct timespec ts;

    if (!show_time)
        return 0;
    (void)clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* With --time: CPU seconds spent parsing the input and in the formatters,
 * and the test steps seen. */
static double parse_s, format_s;
static long steps_seen;

/* Feeds the stream line by line, so a big stream is never held whole. */
static int feed(struct lb_formatter **fs,
                size_t n,
                const char *input,
                struct lb_error *err)
{
    int is_stdin = strcmp(input, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : input;
    FILE *in = is_stdin ? stdin : fopen(input, "r");
    char *line = NULL;
    size_t cap = 0, i;
    ssize_t len;
    int lineno = 0, rc = 0;

    if (!in)
        return lb_error_set(
            err, LB_EIO, "cannot read '%s': %s", input, strerror(errno));
    while (rc == 0 && (len = getline(&line, &cap, in)) >= 0) {
        double t0 = cpu_seconds(), t1;
        json_error_t jerr;
        json_t *env;

        lineno++;
        if (strspn(line, " \t\r\n") == (size_t)len)
            continue;
        env = json_loadb(line, (size_t)len, 0, &jerr);
        t1 = cpu_seconds();
        parse_s += t1 - t0;
        if (!env || !json_is_object(env)) {
            rc = lb_error_set_at(err,
                                 LB_EPARSE,
                                 name,
                                 lineno,
                                 env ? 1 : jerr.column,
                                 "%s",
                                 env ? "envelope is not a JSON object"
                                     : jerr.text);
            json_decref(env);
            break;
        }
        if (json_object_get(env, "testStepFinished"))
            steps_seen++;
        {
            /* The line as read, without the blanks around it: a message
             * report writes it as is. */
            size_t a = strspn(line, " \t\r"), b = (size_t)len;
            while (b > a && strchr(" \t\r\n", line[b - 1]))
                b--;
            for (i = 0; i < n && rc == 0; i++)
                rc = lb_formatter_event_text(fs[i], env, line + a, b - a, err);
        }
        if (rc != 0)
            (void)lb_error_set_at(err, rc, name, lineno, 0, "%s", err->msg);
        json_decref(env);
        format_s += cpu_seconds() - t1;
    }
    if (rc == 0 && ferror(in))
        rc = lb_error_set(
            err, LB_EIO, "cannot read '%s': %s", input, strerror(errno));
    free(line);
    if (!is_stdin)
        (void)fclose(in);
    return rc;
}

/* The options; -1 to go on, or the exit code (--help, a usage error). */
static int parse_args(int argc,
                      char **argv,
                      struct lb_formatter_options *opts,
                      const char **specs,
                      size_t *nspecs,
                      const char **input)
{
    int a;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--color") == 0) {
            opts->color = 1;
        } else if (strcmp(argv[a], "--suite-per-feature") == 0) {
            opts->junit_suite_per_feature = 1;
        } else if (strcmp(argv[a], "--time") == 0) {
            show_time = 1;
        } else if (strcmp(argv[a], "--no-snippets") == 0) {
            opts->no_snippets = 1;
        } else if ((strcmp(argv[a], "--format") == 0 ||
                    strcmp(argv[a], "-f") == 0) &&
                   a + 1 < argc)
        {
            if (*nspecs == MAX_FORMATS) {
                (void)fprintf(
                    stderr, "lb-report: at most %d formats\n", MAX_FORMATS);
                return 2;
            }
            specs[(*nspecs)++] = argv[++a];
        } else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0)
        {
            usage(stdout);
            return 0;
        } else if (argv[a][0] == '-' && argv[a][1] != '\0') {
            (void)fprintf(stderr, "lb-report: unknown option '%s'\n", argv[a]);
            usage(stderr);
            return 2;
        } else {
            *input = argv[a];
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    struct lb_formatter_options opts = {0};
    struct lb_formatter *fs[MAX_FORMATS] = {0};
    const char *specs[MAX_FORMATS];
    size_t nspecs = 0, n = 0, i;
    const char *input = "-";
    struct lb_error err;
    int rc, to_stdout = 0;
    double t0, finish_s;

    lb_error_init(&err);
    rc = parse_args(argc, argv, &opts, specs, &nspecs, &input);
    if (rc >= 0)
        return rc;
    rc = 0;
    if (nspecs == 0) {
        usage(stderr);
        return 2;
    }
    for (i = 0; i < nspecs; i++) {
        const char *colon = strchr(specs[i], ':');
        char name[64];
        const char *path = colon ? colon + 1 : NULL;
        size_t len = colon ? (size_t)(colon - specs[i]) : strlen(specs[i]);

        if (len >= sizeof(name))
            len = sizeof(name) - 1;
        memcpy(name, specs[i], len);
        name[len] = '\0';
        if (!path || !*path || strcmp(path, "-") == 0) {
            if (to_stdout++) {
                (void)fprintf(stderr,
                              "lb-report: at most one format to stdout\n");
                rc = 2;
                goto out;
            }
            path = NULL;
        }
        /* One index of the stream for all the reports. */
        opts.share_index = n ? fs[0] : NULL;
        if (lb_formatter_new(name, path, &opts, &fs[n], &err) != 0) {
            lb_error_print(&err, stderr);
            rc = 2;
            goto out;
        }
        n++;
    }
    if (feed(fs, n, input, &err) != 0) {
        lb_error_print(&err, stderr);
        rc = 1;
    }
    /* Finish every report even after a bad line: what arrived is kept. */
    t0 = cpu_seconds();
    for (i = 0; i < n; i++) {
        struct lb_error ferr;

        lb_error_init(&ferr);
        if (lb_formatter_finish(fs[i], &ferr) != 0) {
            lb_error_print(&ferr, stderr);
            rc = 1;
        }
    }
    finish_s = cpu_seconds() - t0;
    if (show_time)
        (void)fprintf(stderr,
                      "lb-report: %ld test steps; parsing the input %.3fs "
                      "CPU; %zu formatter(s): events %.3fs CPU (%.0f "
                      "steps/s), finish %.3fs CPU; overall %.0f steps/s\n",
                      steps_seen,
                      parse_s,
                      n,
                      format_s,
                      format_s > 0 ? (double)steps_seen / format_s : 0.0,
                      finish_s,
                      format_s + finish_s > 0
                          ? (double)steps_seen / (format_s + finish_s)
                          : 0.0);
out:
    for (i = 0; i < n; i++)
        lb_formatter_free(fs[i]);
    return rc;
}
