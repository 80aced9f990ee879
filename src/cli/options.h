/*
 * The options of the logos-bdd command line (RUNNER.md §3): parsing argv
 * and the profiles of a YAML config file into one struct. No I/O besides
 * reading the config file and @rerun files; main.c acts on the result.
 */
#ifndef LB_CLI_OPTIONS_H
#define LB_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vec.h"

struct lb_error;

enum lb_color_mode { LB_COLOR_AUTO = 0, LB_COLOR_ALWAYS, LB_COLOR_NEVER };

/* One --format NAME[:FILE]; both strings owned by the options. */
struct lb_cli_format {
    char *name;
    char *path; /* NULL = stdout */
};

/* One PATH[:LINE[:LINE]] operand; owned by the options. */
struct lb_cli_path {
    char *path;
    LB_VEC(int) lines; /* empty = every scenario */
};

struct lb_cli_options {
    LB_VEC(struct lb_cli_path) paths;
    LB_VEC(char *) tags;  /* each a tag expression, all must match */
    LB_VEC(char *) names; /* regexes, any may match */
    LB_VEC(struct lb_cli_format) formats;
    LB_VEC(char *) requires;
    LB_VEC(char *) profiles;
    char *config; /* -c FILE */
    bool dry_run;
    bool no_strict;
    bool fail_fast;
    int retry;
    char *retry_tag_filter;
    int order; /* enum lb_order */
    bool seed_given;
    uint64_t seed;
    bool list_steps;
    bool list_steps_json;
    bool snippets;
    bool i18n_languages;
    char *i18n_keywords; /* LANG */
    enum lb_color_mode color;
    char *deployer;
    bool predictable_ids;
    bool no_builtin_steps; /* only the --require libraries' definitions */
    bool rerun_given;      /* an @FILE operand was expanded */
    bool help;
    bool version;
};

/* Frees what the options own and zeroes them. */
void lb_cli_options_release(struct lb_cli_options *o);

/*
 * Parses argv[1..argc) into `o` (zero-initialised by the caller, or holding
 * what a config profile set: options given here add to repeatable ones and
 * replace the others). Errors (LB_EUSAGE) name the option and the value:
 * "unknown option '--frobnicate'", "--retry: 'x' is not a number".
 * `origin` names where the arguments come from in errors ("" for the
 * command line, "config.yml profile 'ci'" for a profile).
 */
int lb_cli_parse(int argc,
                 char **argv,
                 const char *origin,
                 struct lb_cli_options *o,
                 struct lb_error *err);

/*
 * Applies the config file and profiles, then the command line: reads
 * `-c FILE` (or ./logos-bdd.yaml / ./logos-bdd.yml when present and no -c
 * is given), takes profile `default` when no -p is given and it exists,
 * and parses the command line over them. The file is a YAML mapping of
 * profile name to a mapping of long option names (without "--") to a
 * scalar, a boolean or a sequence:
 *
 *     default:
 *       format: [progress]
 *     ci:
 *       format: ["junit:reports/junit.xml", "message:reports/run.ndjson"]
 *       retry: 2
 *       tags: "not @wip"
 *
 * Errors name the file, line and column, or the unknown profile.
 */
int lb_cli_load(int argc,
                char **argv,
                struct lb_cli_options *o,
                struct lb_error *err);

/*
 * Expands `@FILE` operands (a rerun file: whitespace-separated
 * PATH[:LINE...] entries) in place. Errors name the file.
 */
int lb_cli_expand_rerun(struct lb_cli_options *o, struct lb_error *err);

/* The help text of `logos-bdd --help`. */
extern const char lb_cli_usage[];

#endif
