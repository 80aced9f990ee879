/*
 * lb-report: replays a recorded Cucumber Messages stream (NDJSON) through
 * the report formatters, for tests and for people who want a report of a
 * stream after the fact:
 *
 *     lb-report --format junit:out.xml --format json:out.json < run.ndjson
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "reports/formatter.h"

#define MAX_FORMATS 16

static void usage(FILE *out)
{
    const char *const *n;

    (void)fprintf(out,
                  "usage: lb-report [--color] [--suite-per-feature] "
                  "[--no-snippets]\n"
                  "                 --format NAME[:FILE]... [STREAM.ndjson]\n"
                  "reads the stream from stdin when no file is given (or "
                  "'-'); FILE '-' or none is stdout\n"
                  "formats:");
    for (n = lb_formatter_names(); *n; n++)
        (void)fprintf(out, " %s", *n);
    (void)fprintf(out, "\n");
}

int main(int argc, char **argv)
{
    struct lb_formatter_options opts = {0};
    struct lb_formatter *fs[MAX_FORMATS] = {0};
    const char *specs[MAX_FORMATS];
    size_t nspecs = 0, n = 0, i;
    const char *input = "-";
    struct lb_buf in = LB_BUF_INIT;
    struct lb_error err;
    int rc = 0, a, to_stdout = 0;

    lb_error_init(&err);
    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--color") == 0) {
            opts.color = 1;
        } else if (strcmp(argv[a], "--suite-per-feature") == 0) {
            opts.junit_suite_per_feature = 1;
        } else if (strcmp(argv[a], "--no-snippets") == 0) {
            opts.no_snippets = 1;
        } else if ((strcmp(argv[a], "--format") == 0 ||
                    strcmp(argv[a], "-f") == 0) &&
                   a + 1 < argc)
        {
            if (nspecs == MAX_FORMATS) {
                (void)fprintf(
                    stderr, "lb-report: at most %d formats\n", MAX_FORMATS);
                return 2;
            }
            specs[nspecs++] = argv[++a];
        } else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0)
        {
            usage(stdout);
            return 0;
        } else if (argv[a][0] == '-' && argv[a][1] != '\0') {
            (void)fprintf(stderr, "lb-report: unknown option '%s'\n", argv[a]);
            usage(stderr);
            return 2;
        } else {
            input = argv[a];
        }
    }
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
        if (lb_formatter_new(name, path, &opts, &fs[n], &err) != 0) {
            lb_error_print(&err, stderr);
            rc = 2;
            goto out;
        }
        n++;
    }
    if (lb_buf_read_file(&in, input, &err) != 0 ||
        lb_formatter_feed_ndjson(fs,
                                 n,
                                 in.ptr,
                                 in.len,
                                 strcmp(input, "-") ? input : "<stdin>",
                                 &err) != 0)
    {
        lb_error_print(&err, stderr);
        rc = 1;
    }
    /* Finish every report even after a bad line: what arrived is kept. */
    for (i = 0; i < n; i++) {
        struct lb_error ferr;

        lb_error_init(&ferr);
        if (lb_formatter_finish(fs[i], &ferr) != 0) {
            lb_error_print(&ferr, stderr);
            rc = 1;
        }
    }
out:
    for (i = 0; i < n; i++)
        lb_formatter_free(fs[i]);
    lb_buf_release(&in);
    return rc;
}
