/* The command-line options and config profiles: see options.h. */
#include "cli/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "engine/runner.h"

const char lb_cli_usage[] =
    "usage: logos-bdd [OPTIONS] [PATH[:LINE[:LINE]]... | @RERUN_FILE]\n"
    "       logos-bdd gherkin [OPTIONS] FILE...\n"
    "\n"
    "Runs the scenarios of the .feature and .feature.md files under PATH\n"
    "(default: features/) against the step definitions compiled in and\n"
    "those of the --require libraries.\n"
    "\n"
    "Selecting scenarios:\n"
    "  PATH:LINE                only the scenario or example row at LINE\n"
    "  @FILE                    the PATH:LINE entries of a rerun file\n"
    "  -t, --tags EXPR          tag expression: and, or, not, ( ), \\ escapes\n"
    "                           (repeatable: all must match)\n"
    "  -n, --name REGEX         scenario name filter (repeatable: any)\n"
    "      --order defined|reverse|random[:SEED]\n"
    "                           run order; the random seed is printed\n"
    "Running:\n"
    "      --dry-run            match steps without running them; exit 1\n"
    "                           when a step is undefined or ambiguous\n"
    "      --strict             pending steps fail the run (the default)\n"
    "      --no-strict          pending steps do not fail the run\n"
    "      --fail-fast          stop after the first failing scenario\n"
    "      --retry N            re-run a failing scenario up to N times\n"
    "      --retry-tag-filter EXPR  only retry scenarios matching EXPR\n"
    "      --require LIB.so     load step definitions from a shared library\n"
    "                           (repeatable)\n"
    "      --no-builtin-steps   use only the --require libraries' step\n"
    "                           definitions, hooks and parameter types\n"
    "      --deployer local|compose|k8s  the deployer steps use\n"
    "Reports:\n"
    "  -f, --format NAME[:FILE] pretty, progress, summary, junit, json,\n"
    "                           message, rerun, usage (repeatable; at most\n"
    "                           one without FILE, which goes to stdout).\n"
    "                           Default: pretty on a terminal, else progress;\n"
    "                           'none' writes no report (exit code only).\n"
    "      --color auto|always|never  colours on stdout (auto: on a terminal\n"
    "                           unless NO_COLOR is set; FORCE_COLOR forces)\n"
    "      --snippets           print the C snippets of undefined steps at\n"
    "                           the end (instead of inside the report)\n"
    "Information:\n"
    "      --list-steps[=json]  every step definition and its location\n"
    "      --i18n-languages     the Gherkin dialects\n"
    "      --i18n-keywords LANG the keywords of a dialect\n"
    "  -h, --help               this help\n"
    "      --version            the version\n"
    "      --predictable-ids    message ids 0, 1, 2... instead of UUIDs\n"
    "Configuration:\n"
    "  -c, --config FILE        YAML file of profiles (default:\n"
    "                           ./logos-bdd.yaml or ./logos-bdd.yml if any)\n"
    "  -p, --profile NAME       use a profile of it (repeatable; default:\n"
    "                           the profile 'default' when there is one)\n"
    "\n"
    "Exit status: 0 every scenario passed; 1 a scenario failed, or a step\n"
    "was undefined or ambiguous (or pending, when strict); 2 usage, config\n"
    "or parse error; 130 interrupted (Ctrl-C or SIGTERM; reports are still\n"
    "completed).\n";

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        lb_free(v[i]);
}

static void release_paths(struct lb_cli_options *o)
{
    for (size_t i = 0; i < o->paths.len; i++) {
        lb_free(o->paths.items[i].path);
        lb_vec_release(&o->paths.items[i].lines);
    }
    lb_vec_release(&o->paths);
}

void lb_cli_options_release(struct lb_cli_options *o)
{
    release_paths(o);
    free_strings(o->tags.items, o->tags.len);
    lb_vec_release(&o->tags);
    free_strings(o->names.items, o->names.len);
    lb_vec_release(&o->names);
    for (size_t i = 0; i < o->formats.len; i++) {
        lb_free(o->formats.items[i].name);
        lb_free(o->formats.items[i].path);
    }
    lb_vec_release(&o->formats);
    free_strings(o->requires.items, o->requires.len);
    lb_vec_release(&o->requires);
    free_strings(o->profiles.items, o->profiles.len);
    lb_vec_release(&o->profiles);
    lb_free(o->config);
    lb_free(o->retry_tag_filter);
    lb_free(o->i18n_keywords);
    lb_free(o->deployer);
    memset(o, 0, sizeof(*o));
}

static void set_string(char **slot, const char *v)
{
    lb_free(*slot);
    *slot = lb_xstrdup(v);
}

static void push_string(void *vec, const char *v)
{
    LB_VEC(char *) *sv = vec;
    if (lb_vec_push(sv, lb_xstrdup(v)) != 0)
        LB_BUG("out of memory");
}

static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* PATH[:LINE[:LINE]] */
static int
add_path(struct lb_cli_options *o, const char *arg, struct lb_error *err)
{
    struct lb_cli_path p = {0};
    char *s = lb_xstrdup(arg);
    char *colon;
    LB_VEC(int) rev = {0};
    while ((colon = strrchr(s, ':')) != NULL && all_digits(colon + 1)) {
        long line = strtol(colon + 1, NULL, 10);
        if (line <= 0 || line > 100000000) {
            lb_vec_release(&rev);
            lb_free(s);
            return lb_error_set(err, LB_EUSAGE, "'%s': bad line number", arg);
        }
        if (lb_vec_push(&rev, (int)line) != 0)
            LB_BUG("out of memory");
        *colon = '\0';
    }
    if (*s == '\0') {
        lb_vec_release(&rev);
        lb_free(s);
        return lb_error_set(err, LB_EUSAGE, "'%s': empty path", arg);
    }
    p.path = s;
    for (size_t i = rev.len; i-- > 0;)
        if (lb_vec_push(&p.lines, rev.items[i]) != 0)
            LB_BUG("out of memory");
    lb_vec_release(&rev);
    if (lb_vec_push(&o->paths, p) != 0)
        LB_BUG("out of memory");
    return 0;
}

static int parse_int(const char *opt,
                     const char *v,
                     int min,
                     int max,
                     int *out,
                     struct lb_error *err)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || n < min || n > max)
        return lb_error_set(err,
                            LB_EUSAGE,
                            "%s: '%s' is not a number from %d to %d",
                            opt,
                            v,
                            min,
                            max);
    *out = (int)n;
    return 0;
}

static int
parse_order(struct lb_cli_options *o, const char *v, struct lb_error *err)
{
    if (strcmp(v, "defined") == 0) {
        o->order = LB_ORDER_DEFINED;
    } else if (strcmp(v, "reverse") == 0) {
        o->order = LB_ORDER_REVERSE;
    } else if (strncmp(v, "random", 6) == 0 && (v[6] == '\0' || v[6] == ':')) {
        o->order = LB_ORDER_RANDOM;
        o->seed_given = false;
        if (v[6] == ':') {
            char *end = NULL;
            errno = 0;
            unsigned long long s = strtoull(v + 7, &end, 10);
            if (errno != 0 || end == v + 7 || *end != '\0' || v[7] == '-')
                return lb_error_set(err,
                                    LB_EUSAGE,
                                    "--order: bad seed in '%s' (want "
                                    "random:NUMBER)",
                                    v);
            o->seed = s;
            o->seed_given = true;
        }
    } else {
        return lb_error_set(err,
                            LB_EUSAGE,
                            "--order: '%s' is not defined, reverse or "
                            "random[:SEED]",
                            v);
    }
    return 0;
}

static int
add_format(struct lb_cli_options *o, const char *v, struct lb_error *err)
{
    struct lb_cli_format f = {0};
    const char *colon = strchr(v, ':');
    if (colon == v)
        return lb_error_set(err, LB_EUSAGE, "--format: '%s' has no name", v);
    if (colon != NULL) {
        f.name = lb_xstrndup(v, (size_t)(colon - v));
        if (colon[1] == '\0') {
            lb_free(f.name);
            return lb_error_set(
                err, LB_EUSAGE, "--format: '%s' has an empty file name", v);
        }
        f.path = strcmp(colon + 1, "-") == 0 ? NULL : lb_xstrdup(colon + 1);
    } else {
        f.name = lb_xstrdup(v);
    }
    if (lb_vec_push(&o->formats, f) != 0)
        LB_BUG("out of memory");
    return 0;
}

enum opt_id {
    O_TAGS,
    O_NAME,
    O_FORMAT,
    O_DRY_RUN,
    O_STRICT,
    O_NO_STRICT,
    O_FAIL_FAST,
    O_RETRY,
    O_RETRY_TAG_FILTER,
    O_ORDER,
    O_DEPLOYER,
    O_REQUIRE,
    O_LIST_STEPS,
    O_SNIPPETS,
    O_I18N_LANGUAGES,
    O_I18N_KEYWORDS,
    O_COLOR,
    O_CONFIG,
    O_PROFILE,
    O_HELP,
    O_VERSION,
    O_PREDICTABLE_IDS,
    O_PARALLEL,
    O_SHARD,
    O_NO_BUILTIN_STEPS
};

struct opt_spec {
    const char *lng;
    char shrt;
    enum opt_id id;
    int arg; /* 0 none, 1 required, 2 optional (only as --opt=VALUE) */
};

static const struct opt_spec specs[] = {
    {"tags", 't', O_TAGS, 1},
    {"name", 'n', O_NAME, 1},
    {"format", 'f', O_FORMAT, 1},
    {"dry-run", 0, O_DRY_RUN, 0},
    {"strict", 0, O_STRICT, 0},
    {"no-strict", 0, O_NO_STRICT, 0},
    {"fail-fast", 0, O_FAIL_FAST, 0},
    {"retry", 0, O_RETRY, 1},
    {"retry-tag-filter", 0, O_RETRY_TAG_FILTER, 1},
    {"order", 0, O_ORDER, 1},
    {"deployer", 0, O_DEPLOYER, 1},
    {"require", 'r', O_REQUIRE, 1},
    {"list-steps", 0, O_LIST_STEPS, 2},
    {"snippets", 0, O_SNIPPETS, 0},
    {"i18n-languages", 0, O_I18N_LANGUAGES, 0},
    {"i18n-keywords", 0, O_I18N_KEYWORDS, 1},
    {"color", 0, O_COLOR, 1},
    {"config", 'c', O_CONFIG, 1},
    {"profile", 'p', O_PROFILE, 1},
    {"help", 'h', O_HELP, 0},
    {"version", 0, O_VERSION, 0},
    {"predictable-ids", 0, O_PREDICTABLE_IDS, 0},
    {"parallel", 'j', O_PARALLEL, 1},
    {"shard", 0, O_SHARD, 1},
    {"no-builtin-steps", 0, O_NO_BUILTIN_STEPS, 0},
};

static int apply(struct lb_cli_options *o,
                 const struct opt_spec *sp,
                 const char *value,
                 struct lb_error *err)
{
    /* parse_one gives every option with a required value a value; only
     * --list-steps (optional value) reads `value` itself */
    const char *v = value != NULL ? value : "";

    switch (sp->id) {
    case O_TAGS:
        push_string(&o->tags, v);
        return 0;
    case O_NAME:
        push_string(&o->names, v);
        return 0;
    case O_FORMAT:
        return add_format(o, v, err);
    case O_DRY_RUN:
        o->dry_run = true;
        return 0;
    case O_STRICT:
        o->no_strict = false;
        return 0;
    case O_NO_STRICT:
        o->no_strict = true;
        return 0;
    case O_FAIL_FAST:
        o->fail_fast = true;
        return 0;
    case O_RETRY:
        return parse_int("--retry", v, 0, 1000, &o->retry, err);
    case O_RETRY_TAG_FILTER:
        set_string(&o->retry_tag_filter, v);
        return 0;
    case O_ORDER:
        return parse_order(o, v, err);
    case O_DEPLOYER:
        if (strcmp(v, "local") != 0 && strcmp(v, "compose") != 0 &&
            strcmp(v, "k8s") != 0)
            return lb_error_set(err,
                                LB_EUSAGE,
                                "--deployer: '%s' is not local, compose or "
                                "k8s",
                                v);
        set_string(&o->deployer, v);
        return 0;
    case O_REQUIRE:
        push_string(&o->requires, v);
        return 0;
    case O_LIST_STEPS:
        o->list_steps = true;
        if (value != NULL && strcmp(value, "json") != 0)
            return lb_error_set(
                err, LB_EUSAGE, "--list-steps: '%s' is not json", value);
        o->list_steps_json = value != NULL;
        return 0;
    case O_SNIPPETS:
        o->snippets = true;
        return 0;
    case O_I18N_LANGUAGES:
        o->i18n_languages = true;
        return 0;
    case O_I18N_KEYWORDS:
        set_string(&o->i18n_keywords, v);
        return 0;
    case O_COLOR:
        if (strcmp(v, "auto") == 0)
            o->color = LB_COLOR_AUTO;
        else if (strcmp(v, "always") == 0)
            o->color = LB_COLOR_ALWAYS;
        else if (strcmp(v, "never") == 0)
            o->color = LB_COLOR_NEVER;
        else
            return lb_error_set(err,
                                LB_EUSAGE,
                                "--color: '%s' is not auto, always or never",
                                v);
        return 0;
    case O_CONFIG:
        set_string(&o->config, v);
        return 0;
    case O_PROFILE:
        push_string(&o->profiles, v);
        return 0;
    case O_HELP:
        o->help = true;
        return 0;
    case O_VERSION:
        o->version = true;
        return 0;
    case O_PREDICTABLE_IDS:
        o->predictable_ids = true;
        return 0;
    case O_NO_BUILTIN_STEPS:
        o->no_builtin_steps = true;
        return 0;
    case O_PARALLEL:
    case O_SHARD:
        return lb_error_set(err,
                            LB_EUSAGE,
                            "--%s is not available yet in this version",
                            sp->lng);
    }
    return 0;
}

static const struct opt_spec *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
        if (strlen(specs[i].lng) == len &&
            strncmp(specs[i].lng, name, len) == 0)
            return &specs[i];
    return NULL;
}

static const struct opt_spec *find_short(char c)
{
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
        if (specs[i].shrt == c)
            return &specs[i];
    return NULL;
}

static int parse_one(int argc,
                     char **argv,
                     int *ip,
                     struct lb_cli_options *o,
                     struct lb_error *err)
{
    const char *a = argv[*ip];
    const struct opt_spec *sp;
    const char *value = NULL;
    if (a[1] == '-') {
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
        sp = find_long(name, len);
        if (sp == NULL)
            return lb_error_set(err,
                                LB_EUSAGE,
                                "unknown option '--%.*s' (see --help)",
                                (int)len,
                                name);
        if (eq != NULL) {
            if (sp->arg == 0)
                return lb_error_set(
                    err, LB_EUSAGE, "option '--%s' takes no value", sp->lng);
            value = eq + 1;
        }
    } else {
        sp = find_short(a[1]);
        if (sp == NULL)
            return lb_error_set(
                err, LB_EUSAGE, "unknown option '-%c' (see --help)", a[1]);
        if (a[2] != '\0') {
            if (sp->arg == 0)
                return lb_error_set(
                    err, LB_EUSAGE, "unknown option '%s' (see --help)", a);
            value = a + 2;
        }
    }
    if (sp->arg == 1 && value == NULL) {
        /* argv from a config profile is built by us: never trust argc alone */
        if (*ip + 1 >= argc || argv[*ip + 1] == NULL)
            return lb_error_set(
                err, LB_EUSAGE, "option '--%s' needs a value", sp->lng);
        value = argv[++*ip];
    }
    int rc = apply(o, sp, value, err);
    return rc;
}

int lb_cli_parse(int argc,
                 char **argv,
                 const char *origin,
                 struct lb_cli_options *o,
                 struct lb_error *err)
{
    bool only_paths = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;
        if (!only_paths && strcmp(a, "--") == 0) {
            only_paths = true;
            continue;
        }
        if (!only_paths && a[0] == '-' && a[1] != '\0')
            rc = parse_one(argc, argv, &i, o, err);
        else
            rc = add_path(o, a, err);
        if (rc != 0) {
            if (origin != NULL && *origin != '\0')
                lb_error_prefix(err, "%s", origin);
            return rc;
        }
    }
    return 0;
}

/* ---- Config file ---- */

struct argv_buf {
    LB_VEC(char *) v;
};

static void argv_push(struct argv_buf *a, const char *s, size_t len)
{
    if (lb_vec_push(&a->v, lb_xstrndup(s, len)) != 0)
        LB_BUG("out of memory");
}

static void argv_release(struct argv_buf *a)
{
    free_strings(a->v.items, a->v.len);
    lb_vec_release(&a->v);
}

static bool scalar_is(const yaml_node_t *n, const char *s)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(s) &&
           memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

static bool is_true(const yaml_node_t *n)
{
    return scalar_is(n, "true") || scalar_is(n, "yes") || scalar_is(n, "on");
}

static bool is_false(const yaml_node_t *n)
{
    return scalar_is(n, "false") || scalar_is(n, "no") || scalar_is(n, "off");
}

/* One option of a profile as argv entries. */
static int profile_option(yaml_document_t *doc,
                          const char *file,
                          const yaml_node_t *key,
                          const yaml_node_t *val,
                          struct argv_buf *out,
                          struct lb_error *err)
{
    if (key->type != YAML_SCALAR_NODE)
        return lb_error_set_at(err,
                               LB_EPARSE,
                               file,
                               (int)key->start_mark.line + 1,
                               (int)key->start_mark.column + 1,
                               "an option name must be a string");
    struct lb_buf opt = LB_BUF_INIT;
    lb_buf_adds(&opt, "--");
    lb_buf_add(&opt, key->data.scalar.value, key->data.scalar.length);
    const struct opt_spec *sp = find_long(opt.ptr + 2, opt.len - 2);
    int rc = 0;
    if (sp == NULL || sp->id == O_CONFIG || sp->id == O_PROFILE) {
        rc = lb_error_set_at(err,
                             LB_EPARSE,
                             file,
                             (int)key->start_mark.line + 1,
                             (int)key->start_mark.column + 1,
                             "unknown option '%s' in a profile",
                             opt.ptr + 2);
        goto done;
    }
    if (val->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = val->data.sequence.items.start;
             it < val->data.sequence.items.top;
             it++)
        {
            yaml_node_t *n = yaml_document_get_node(doc, *it);
            if (n == NULL || n->type != YAML_SCALAR_NODE) {
                rc = lb_error_set_at(err,
                                     LB_EPARSE,
                                     file,
                                     (int)val->start_mark.line + 1,
                                     (int)val->start_mark.column + 1,
                                     "'%s' takes a list of strings",
                                     opt.ptr + 2);
                goto done;
            }
            argv_push(out, opt.ptr, opt.len);
            argv_push(
                out, (const char *)n->data.scalar.value, n->data.scalar.length);
        }
    } else if (val->type == YAML_SCALAR_NODE) {
        if (sp->arg == 0) {
            if (is_true(val)) {
                argv_push(out, opt.ptr, opt.len);
            } else if (!is_false(val)) {
                rc = lb_error_set_at(err,
                                     LB_EPARSE,
                                     file,
                                     (int)val->start_mark.line + 1,
                                     (int)val->start_mark.column + 1,
                                     "'%s' takes true or false",
                                     opt.ptr + 2);
            }
        } else if (sp->arg == 2) {
            if (is_true(val)) {
                argv_push(out, opt.ptr, opt.len);
            } else if (!is_false(val)) {
                lb_buf_addch(&opt, '=');
                lb_buf_add(
                    &opt, val->data.scalar.value, val->data.scalar.length);
                argv_push(out, opt.ptr, opt.len);
            }
        } else {
            argv_push(out, opt.ptr, opt.len);
            argv_push(out,
                      (const char *)val->data.scalar.value,
                      val->data.scalar.length);
        }
    } else {
        rc = lb_error_set_at(err,
                             LB_EPARSE,
                             file,
                             (int)val->start_mark.line + 1,
                             (int)val->start_mark.column + 1,
                             "'%s' takes a value or a list",
                             opt.ptr + 2);
    }
done:
    lb_buf_release(&opt);
    return rc;
}

static int apply_profile(yaml_document_t *doc,
                         const char *file,
                         const char *profile,
                         bool must_exist,
                         struct lb_cli_options *o,
                         struct lb_error *err)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (root == NULL) {
        if (!must_exist)
            return 0;
        return lb_error_set(
            err, LB_EUSAGE, "%s: no profile '%s' (empty file)", file, profile);
    }
    if (root->type != YAML_MAPPING_NODE)
        return lb_error_set_at(err,
                               LB_EPARSE,
                               file,
                               (int)root->start_mark.line + 1,
                               (int)root->start_mark.column + 1,
                               "expected a mapping of profile names");
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top;
         p++)
    {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (k == NULL || v == NULL || !scalar_is(k, profile))
            continue;
        if (v->type != YAML_MAPPING_NODE)
            return lb_error_set_at(err,
                                   LB_EPARSE,
                                   file,
                                   (int)v->start_mark.line + 1,
                                   (int)v->start_mark.column + 1,
                                   "profile '%s' must be a mapping of options",
                                   profile);
        struct argv_buf args = {0};
        argv_push(&args, "logos-bdd", 9);
        int rc = 0;
        for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
             rc == 0 && q < v->data.mapping.pairs.top;
             q++)
        {
            yaml_node_t *ok = yaml_document_get_node(doc, q->key);
            yaml_node_t *ov = yaml_document_get_node(doc, q->value);
            if (ok == NULL || ov == NULL)
                continue;
            rc = profile_option(doc, file, ok, ov, &args, err);
        }
        if (rc == 0) {
            struct lb_buf origin = LB_BUF_INIT;
            lb_buf_addf(&origin, "%s profile '%s'", file, profile);
            rc =
                lb_cli_parse((int)args.v.len, args.v.items, origin.ptr, o, err);
            lb_buf_release(&origin);
        }
        argv_release(&args);
        return rc;
    }
    if (!must_exist)
        return 0;
    return lb_error_set(err, LB_EUSAGE, "%s: no profile '%s'", file, profile);
}

static int load_config(const char *file,
                       char **profiles,
                       size_t nprofiles,
                       struct lb_cli_options *o,
                       struct lb_error *err)
{
    struct lb_buf text = LB_BUF_INIT;
    text.max = 4 << 20;
    int rc = lb_buf_read_file(&text, file, err);
    if (rc != 0) {
        lb_buf_release(&text);
        return LB_EUSAGE;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        LB_BUG("out of memory");
    yaml_parser_set_input_string(
        &parser, (const unsigned char *)text.ptr, text.len);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = lb_error_set_at(err,
                             LB_EPARSE,
                             file,
                             (int)parser.problem_mark.line + 1,
                             (int)parser.problem_mark.column + 1,
                             "%s",
                             parser.problem != NULL ? parser.problem
                                                    : "bad YAML");
        yaml_parser_delete(&parser);
        lb_buf_release(&text);
        return rc;
    }
    if (nprofiles == 0) {
        rc = apply_profile(&doc, file, "default", false, o, err);
    } else {
        for (size_t i = 0; rc == 0 && i < nprofiles; i++)
            rc = apply_profile(&doc, file, profiles[i], true, o, err);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    lb_buf_release(&text);
    return rc;
}

int lb_cli_load(int argc,
                char **argv,
                struct lb_cli_options *o,
                struct lb_error *err)
{
    /* First pass: only to learn -c and -p (and to report usage errors). */
    struct lb_cli_options first = {0};
    int rc = lb_cli_parse(argc, argv, "", &first, err);
    if (rc != 0) {
        lb_cli_options_release(&first);
        return rc;
    }
    const char *file = first.config;
    if (file == NULL && !first.help && !first.version) {
        if (access("logos-bdd.yaml", R_OK) == 0)
            file = "logos-bdd.yaml";
        else if (access("logos-bdd.yml", R_OK) == 0)
            file = "logos-bdd.yml";
    }
    if (file == NULL && first.profiles.len > 0) {
        rc = lb_error_set(err,
                          LB_EUSAGE,
                          "-p %s: no config file (give -c FILE or create "
                          "logos-bdd.yaml)",
                          first.profiles.items[0]);
    } else if (file != NULL) {
        rc =
            load_config(file, first.profiles.items, first.profiles.len, o, err);
    }
    if (rc == 0)
        rc = lb_cli_parse(argc, argv, "", o, err);
    lb_cli_options_release(&first);
    return rc;
}

int lb_cli_expand_rerun(struct lb_cli_options *o, struct lb_error *err)
{
    struct lb_cli_options tmp = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < o->paths.len; i++) {
        struct lb_cli_path *p = &o->paths.items[i];
        if (p->path[0] != '@') {
            struct lb_cli_path copy = {lb_xstrdup(p->path), {0}};
            for (size_t k = 0; k < p->lines.len; k++)
                if (lb_vec_push(&copy.lines, p->lines.items[k]) != 0)
                    LB_BUG("out of memory");
            if (lb_vec_push(&tmp.paths, copy) != 0)
                LB_BUG("out of memory");
            continue;
        }
        struct lb_buf text = LB_BUF_INIT;
        text.max = 64 << 20;
        o->rerun_given = true;
        rc = lb_buf_read_file(&text, p->path + 1, err);
        if (rc != 0) {
            lb_buf_release(&text);
            rc = LB_EUSAGE;
            break;
        }
        char *save = NULL;
        for (char *tok = strtok_r(text.ptr, " \t\r\n", &save); tok != NULL;
             tok = strtok_r(NULL, " \t\r\n", &save))
        {
            rc = add_path(&tmp, tok, err);
            if (rc != 0) {
                lb_error_prefix(err, "%s", p->path + 1);
                break;
            }
        }
        lb_buf_release(&text);
    }
    if (rc == 0) {
        release_paths(o);
        o->paths = tmp.paths;
        tmp.paths.items = NULL;
        tmp.paths.len = tmp.paths.cap = 0;
    }
    lb_cli_options_release(&tmp);
    return rc;
}
