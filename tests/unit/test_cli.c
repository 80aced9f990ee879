/* Unit tests of the command-line options and config profiles (src/cli). */
#include "lb_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/options.h"
#include "core/error.h"
#include "engine/runner.h"

static int parse(struct lb_cli_options *o, struct lb_error *err, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, err);
    argv[argc++] = "logos-bdd";
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL)
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    lb_error_init(err);
    return lb_cli_parse(argc, argv, "", o, err);
}

static void test_cli_parses_options_and_paths(void **state)
{
    struct lb_cli_options o = {0};
    struct lb_error err;
    assert_int_equal(parse(&o,
                           &err,
                           "-t",
                           "@a and not @b",
                           "--tags=@c",
                           "--name",
                           "^x",
                           "-f",
                           "junit:out/r.xml",
                           "--format",
                           "progress",
                           "--retry",
                           "2",
                           "--retry-tag-filter",
                           "@flaky",
                           "--no-strict",
                           "--fail-fast",
                           "--dry-run",
                           "features/a.feature:3:12",
                           "features",
                           NULL),
                     0);
    assert_int_equal(o.tags.len, 2);
    assert_string_equal(o.tags.items[0], "@a and not @b");
    assert_string_equal(o.tags.items[1], "@c");
    assert_string_equal(o.names.items[0], "^x");
    assert_int_equal(o.formats.len, 2);
    assert_string_equal(o.formats.items[0].name, "junit");
    assert_string_equal(o.formats.items[0].path, "out/r.xml");
    assert_null(o.formats.items[1].path);
    assert_int_equal(o.retry, 2);
    assert_string_equal(o.retry_tag_filter, "@flaky");
    assert_true(o.no_strict);
    assert_true(o.fail_fast);
    assert_true(o.dry_run);
    assert_int_equal(o.paths.len, 2);
    assert_string_equal(o.paths.items[0].path, "features/a.feature");
    assert_int_equal(o.paths.items[0].lines.len, 2);
    assert_int_equal(o.paths.items[0].lines.items[0], 3);
    assert_int_equal(o.paths.items[0].lines.items[1], 12);
    assert_int_equal(o.paths.items[1].lines.len, 0);
    lb_cli_options_release(&o);
}

static void test_cli_rejects_bad_input_naming_it(void **state)
{
    struct lb_cli_options o = {0};
    struct lb_error err;
    assert_int_equal(parse(&o, &err, "--frobnicate", NULL), LB_EUSAGE);
    assert_non_null(strstr(err.msg, "'--frobnicate'"));
    lb_cli_options_release(&o);

    assert_int_equal(parse(&o, &err, "--retry", "x", NULL), LB_EUSAGE);
    assert_non_null(strstr(err.msg, "--retry"));
    assert_non_null(strstr(err.msg, "'x'"));
    lb_cli_options_release(&o);

    assert_int_equal(parse(&o, &err, "--order", "sideways", NULL), LB_EUSAGE);
    assert_non_null(strstr(err.msg, "'sideways'"));
    lb_cli_options_release(&o);

    assert_int_equal(parse(&o, &err, "--tags", NULL), LB_EUSAGE);
    assert_non_null(strstr(err.msg, "needs a value"));
    lb_cli_options_release(&o);

    assert_int_equal(parse(&o, &err, "--color", "purple", NULL), LB_EUSAGE);
    assert_int_equal(parse(&o, &err, "--deployer", "ftp", NULL), LB_EUSAGE);
    assert_non_null(strstr(err.msg, "'ftp'"));
    assert_int_equal(parse(&o, &err, "--dry-run=yes", NULL), LB_EUSAGE);
    assert_int_equal(parse(&o, &err, "-f", ":x", NULL), LB_EUSAGE);
    lb_cli_options_release(&o);
}

static void test_cli_order_and_flags(void **state)
{
    struct lb_cli_options o = {0};
    struct lb_error err;
    assert_int_equal(parse(&o,
                           &err,
                           "--order",
                           "random:42",
                           "--list-steps=json",
                           "--color",
                           "never",
                           "--deployer",
                           "compose",
                           "--strict",
                           NULL),
                     0);
    assert_int_equal(o.order, LB_ORDER_RANDOM);
    assert_true(o.seed_given);
    assert_int_equal(o.seed, 42);
    assert_true(o.list_steps);
    assert_true(o.list_steps_json);
    assert_int_equal(o.color, LB_COLOR_NEVER);
    assert_string_equal(o.deployer, "compose");
    assert_false(o.no_strict);
    assert_int_equal(parse(&o, &err, "--order", "reverse", "--", "-odd", NULL),
                     0);
    assert_int_equal(o.order, LB_ORDER_REVERSE);
    assert_string_equal(o.paths.items[0].path, "-odd");
    assert_int_equal(parse(&o, &err, "--order", "random", NULL), 0);
    assert_false(o.seed_given);
    lb_cli_options_release(&o);
}

static char tmpdir[64];
static char cwd[4096];

static int setup_tmp(void **state)
{
    strcpy(tmpdir, "/tmp/lb-test-cli-XXXXXX");
    if (mkdtemp(tmpdir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL ||
        chdir(tmpdir) != 0)
        return -1;
    return 0;
}

static int teardown_tmp(void **state)
{
    (void)unlink("logos-bdd.yaml");
    (void)unlink("other.yml");
    (void)unlink("bad.yml");
    (void)unlink("rerun.txt");
    (void)unlink("empty.txt");
    if (chdir(cwd) != 0)
        return -1;
    return rmdir(tmpdir);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int load(struct lb_cli_options *o, struct lb_error *err, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, err);
    argv[argc++] = "logos-bdd";
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL)
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    lb_error_init(err);
    memset(o, 0, sizeof(*o));
    return lb_cli_load(argc, argv, o, err);
}

static void test_cli_config_profiles(void **state)
{
    write_file("logos-bdd.yaml",
               "default:\n"
               "  format: [progress]\n"
               "  tags: \"not @wip\"\n"
               "ci:\n"
               "  format:\n"
               "    - junit:reports/junit.xml\n"
               "    - message:reports/run.ndjson\n"
               "  retry: 2\n"
               "  fail-fast: true\n"
               "  list-steps: json\n");
    struct lb_cli_options o;
    struct lb_error err;
    /* the default profile applies by itself */
    assert_int_equal(load(&o, &err, NULL), 0);
    assert_int_equal(o.formats.len, 1);
    assert_string_equal(o.formats.items[0].name, "progress");
    assert_string_equal(o.tags.items[0], "not @wip");
    lb_cli_options_release(&o);

    /* -p picks another; the command line adds to repeatable options and
     * replaces the others */
    assert_int_equal(
        load(&o, &err, "-p", "ci", "--retry", "5", "-f", "pretty", NULL), 0);
    assert_int_equal(o.formats.len, 3);
    assert_string_equal(o.formats.items[0].path, "reports/junit.xml");
    assert_string_equal(o.formats.items[1].name, "message");
    assert_string_equal(o.formats.items[2].name, "pretty");
    assert_int_equal(o.retry, 5);
    assert_true(o.fail_fast);
    assert_true(o.list_steps_json);
    assert_int_equal(o.tags.len, 0);
    lb_cli_options_release(&o);

    assert_int_equal(load(&o, &err, "-p", "nightly", NULL), LB_EUSAGE);
    assert_non_null(strstr(err.msg, "no profile 'nightly'"));
    lb_cli_options_release(&o);

    write_file("other.yml", "x:\n  retry: many\n");
    assert_int_equal(load(&o, &err, "-c", "other.yml", "-p", "x", NULL),
                     LB_EUSAGE);
    assert_non_null(strstr(err.msg, "other.yml profile 'x'"));
    assert_non_null(strstr(err.msg, "'many'"));
    lb_cli_options_release(&o);

    write_file("bad.yml", "x:\n  retry: [1\n  tags: @a\n");
    assert_int_equal(load(&o, &err, "-c", "bad.yml", "-p", "x", NULL),
                     LB_EPARSE);
    assert_string_equal(err.file, "bad.yml");
    assert_true(err.line >= 2);
    lb_cli_options_release(&o);

    write_file("other.yml", "x:\n  frobnicate: 1\n");
    assert_int_equal(load(&o, &err, "-c", "other.yml", "-p", "x", NULL),
                     LB_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_non_null(strstr(err.msg, "'frobnicate'"));
    lb_cli_options_release(&o);
}

static void test_cli_rerun_file_expands(void **state)
{
    write_file("rerun.txt", "features/a.feature:3:7\nfeatures/b.feature:12\n");
    write_file("empty.txt", "\n");
    struct lb_cli_options o = {0};
    struct lb_error err;
    assert_int_equal(parse(&o, &err, "@rerun.txt", "c.feature", NULL), 0);
    assert_int_equal(lb_cli_expand_rerun(&o, &err), 0);
    assert_true(o.rerun_given);
    assert_int_equal(o.paths.len, 3);
    assert_string_equal(o.paths.items[0].path, "features/a.feature");
    assert_int_equal(o.paths.items[0].lines.len, 2);
    assert_int_equal(o.paths.items[0].lines.items[1], 7);
    assert_string_equal(o.paths.items[1].path, "features/b.feature");
    assert_string_equal(o.paths.items[2].path, "c.feature");
    lb_cli_options_release(&o);

    /* an empty rerun file selects nothing (not the default features/) */
    assert_int_equal(parse(&o, &err, "@empty.txt", NULL), 0);
    assert_int_equal(lb_cli_expand_rerun(&o, &err), 0);
    assert_true(o.rerun_given);
    assert_int_equal(o.paths.len, 0);
    lb_cli_options_release(&o);

    assert_int_equal(parse(&o, &err, "@missing.txt", NULL), 0);
    assert_int_not_equal(lb_cli_expand_rerun(&o, &err), 0);
    assert_non_null(strstr(err.msg, "missing.txt"));
    lb_cli_options_release(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_parses_options_and_paths),
        cmocka_unit_test(test_cli_rejects_bad_input_naming_it),
        cmocka_unit_test(test_cli_order_and_flags),
        cmocka_unit_test_setup_teardown(
            test_cli_config_profiles, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(
            test_cli_rerun_file_expands, setup_tmp, teardown_tmp),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
