/*
 * logos-bdd: the command line. Owns main(), the options and the exit codes;
 * the only place that may exit().
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <jansson.h>
#include <malloc.h>
#include <pcre2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "engine/registry.h"
#include "engine/runner.h"
#include "engine/tag_expression.h"
#include "gherkin/gherkin.h"
#include "reports/formatter.h"

#ifdef LB_HAVE_CMD_GHERKIN
#include "cli/cmd_gherkin.h"
#endif

static void print_error(const struct lb_error *err)
{
    (void)fputs("logos-bdd: ", stderr);
    lb_error_print(err, stderr);
}

/* ---- Step libraries ---- */

static int load_requires(const struct lb_cli_options *o, struct lb_error *err)
{
    for (size_t i = 0; i < o->requires.len; i++) {
        const char *lib = o->requires.items[i];
        struct lb_buf path = LB_BUF_INIT;
        /* dlopen searches the library path for a bare name: a file in the
         * current folder is what the user means */
        if (strchr(lib, '/') == NULL && access(lib, F_OK) == 0)
            lb_buf_adds(&path, "./");
        lb_buf_adds(&path, lib);
        /* what the library's constructors register is marked as its */
        lb_registry_set_origin(lib);
        void *h = dlopen(path.ptr, RTLD_NOW | RTLD_GLOBAL);
        lb_registry_set_origin(NULL);
        lb_buf_release(&path);
        if (h == NULL) {
            const char *why = dlerror();
            return lb_error_set(err,
                                LB_EUSAGE,
                                "--require '%s': %s",
                                lib,
                                why != NULL ? why : "cannot load");
        }
        /* never dlclose: the step definitions' strings live in it */
    }
    return 0;
}

static void list_steps(const struct lb_registry *reg, bool json)
{
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < reg->steps.len; i++) {
            const struct lb_stepdef *d = &reg->steps.items[i];
            json_array_append_new(a,
                                  json_pack("{sssssi}",
                                            "pattern",
                                            d->pattern,
                                            "file",
                                            d->file,
                                            "line",
                                            d->line));
        }
        char *s = json_dumps(a, JSON_INDENT(2));
        if (s != NULL)
            puts(s);
        free(s);
        json_decref(a);
        return;
    }
    for (size_t i = 0; i < reg->steps.len; i++) {
        const struct lb_stepdef *d = &reg->steps.items[i];
        printf("%s\n    %s:%d\n", d->pattern, d->file, d->line);
    }
}

/* ---- Feature files ---- */

struct feature_file {
    char *path;
    bool all_lines;
    LB_VEC(int) lines;
};

struct file_list {
    LB_VEC(struct feature_file) v;
};

static void file_list_release(struct file_list *fl)
{
    for (size_t i = 0; i < fl->v.len; i++) {
        lb_free(fl->v.items[i].path);
        lb_vec_release(&fl->v.items[i].lines);
    }
    lb_vec_release(&fl->v);
}

static bool is_feature_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 8 && strcmp(name + n - 8, ".feature") == 0) ||
           (n > 11 && strcmp(name + n - 11, ".feature.md") == 0);
}

static struct feature_file *file_entry(struct file_list *fl, const char *path)
{
    for (size_t i = 0; i < fl->v.len; i++)
        if (strcmp(fl->v.items[i].path, path) == 0)
            return &fl->v.items[i];
    struct feature_file f = {lb_xstrdup(path), false, {0}};
    if (lb_vec_push(&fl->v, f) != 0)
        LB_BUG("out of memory");
    return &fl->v.items[fl->v.len - 1];
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
walk_dir(const char *dir, struct file_list *fl, int depth, struct lb_error *err)
{
    /* folders are followed through links: a link to a parent must end */
    if (depth > 32)
        return lb_error_set(err,
                            LB_EUSAGE,
                            "folder '%s' is nested more than 32 deep (a "
                            "link loop?)",
                            dir);
    DIR *d = opendir(dir);
    if (d == NULL)
        return lb_error_set(err,
                            LB_EUSAGE,
                            "cannot read folder '%s': %s",
                            dir,
                            strerror(errno));
    LB_VEC(char *) names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (lb_vec_push(&names, lb_xstrdup(e->d_name)) != 0)
            LB_BUG("out of memory");
    }
    closedir(d);
    if (names.len > 0)
        qsort(names.items, names.len, sizeof(char *), cmp_str);
    int rc = 0;
    for (size_t i = 0; i < names.len; i++) {
        struct lb_buf p = LB_BUF_INIT;
        size_t dl = strlen(dir);
        lb_buf_adds(&p, dir);
        if (dl > 0 && dir[dl - 1] != '/')
            lb_buf_addch(&p, '/');
        lb_buf_adds(&p, names.items[i]);
        struct stat st;
        if (rc == 0 && stat(p.ptr, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                rc = walk_dir(p.ptr, fl, depth + 1, err);
            else if (is_feature_name(names.items[i]))
                file_entry(fl, p.ptr)->all_lines = true;
        }
        lb_buf_release(&p);
        lb_free(names.items[i]);
    }
    lb_vec_release(&names);
    return rc;
}

static int collect_files(const struct lb_cli_options *o,
                         struct file_list *fl,
                         struct lb_error *err)
{
    if (o->paths.len == 0 && !o->rerun_given) {
        struct stat st;
        if (stat("features", &st) != 0 || !S_ISDIR(st.st_mode))
            return lb_error_set(err,
                                LB_EUSAGE,
                                "no PATH given and no 'features' folder here "
                                "(see --help)");
        return walk_dir("features", fl, 0, err);
    }
    for (size_t i = 0; i < o->paths.len; i++) {
        const struct lb_cli_path *p = &o->paths.items[i];
        struct stat st;
        if (stat(p->path, &st) != 0)
            return lb_error_set(err,
                                LB_EUSAGE,
                                "cannot read '%s': %s",
                                p->path,
                                strerror(errno));
        if (S_ISDIR(st.st_mode)) {
            int rc = walk_dir(p->path, fl, 0, err);
            if (rc != 0)
                return rc;
            continue;
        }
        struct feature_file *f = file_entry(fl, p->path);
        if (p->lines.len == 0)
            f->all_lines = true;
        for (size_t k = 0; k < p->lines.len; k++)
            if (lb_vec_push(&f->lines, p->lines.items[k]) != 0)
                LB_BUG("out of memory");
    }
    return 0;
}

/* ---- Filters ---- */

struct filters {
    LB_VEC(struct lb_tag_expr *) tags;
    LB_VEC(pcre2_code *) names;
};

static void filters_release(struct filters *f)
{
    for (size_t i = 0; i < f->tags.len; i++)
        lb_tag_expr_free(f->tags.items[i]);
    lb_vec_release(&f->tags);
    for (size_t i = 0; i < f->names.len; i++)
        pcre2_code_free(f->names.items[i]);
    lb_vec_release(&f->names);
}

static int filters_init(struct filters *f,
                        const struct lb_cli_options *o,
                        struct lb_error *err)
{
    for (size_t i = 0; i < o->tags.len; i++) {
        struct lb_tag_expr *e = NULL;
        struct lb_error e2;
        lb_error_init(&e2);
        if (lb_tag_expr_parse(&e, o->tags.items[i], &e2) != 0)
            return lb_error_set(
                err, LB_EUSAGE, "--tags '%s': %s", o->tags.items[i], e2.msg);
        if (lb_vec_push(&f->tags, e) != 0)
            LB_BUG("out of memory");
    }
    if (o->retry_tag_filter != NULL) {
        /* checked here, before any report is opened */
        struct lb_tag_expr *e = NULL;
        struct lb_error e2;
        lb_error_init(&e2);
        if (lb_tag_expr_parse(&e, o->retry_tag_filter, &e2) != 0)
            return lb_error_set(err,
                                LB_EUSAGE,
                                "--retry-tag-filter '%s': %s",
                                o->retry_tag_filter,
                                e2.msg);
        lb_tag_expr_free(e);
    }
    for (size_t i = 0; i < o->names.len; i++) {
        int code;
        PCRE2_SIZE off;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)o->names.items[i],
                                       PCRE2_ZERO_TERMINATED,
                                       PCRE2_UTF,
                                       &code,
                                       &off,
                                       NULL);
        if (re == NULL) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(code, msg, sizeof(msg));
            return lb_error_set(err,
                                LB_EUSAGE,
                                "--name '%s': %s at offset %zu",
                                o->names.items[i],
                                (char *)msg,
                                (size_t)off);
        }
        if (lb_vec_push(&f->names, re) != 0)
            LB_BUG("out of memory");
    }
    return 0;
}

static bool pickle_selected(const struct filters *f,
                            const struct feature_file *ff,
                            const struct lb_gherkin_pickle *p)
{
    if (!ff->all_lines) {
        bool hit = false;
        for (size_t i = 0; i < ff->lines.len && !hit; i++)
            hit = ff->lines.items[i] == p->scenario_line ||
                  (p->row_line != 0 && ff->lines.items[i] == p->row_line);
        if (!hit)
            return false;
    }
    if (f->tags.len > 0) {
        const char **tags = lb_xcalloc(p->n_tags + 1, sizeof(char *));
        for (size_t i = 0; i < p->n_tags; i++)
            tags[i] = p->tags[i].name;
        bool ok = true;
        for (size_t i = 0; i < f->tags.len && ok; i++)
            ok = lb_tag_expr_eval(f->tags.items[i], tags, p->n_tags);
        lb_free(tags);
        if (!ok)
            return false;
    }
    if (f->names.len > 0) {
        bool any = false;
        for (size_t i = 0; i < f->names.len && !any; i++) {
            pcre2_match_data *md =
                pcre2_match_data_create_from_pattern(f->names.items[i], NULL);
            any = pcre2_match(f->names.items[i],
                              (PCRE2_SPTR)p->name,
                              PCRE2_ZERO_TERMINATED,
                              0,
                              0,
                              md,
                              NULL) >= 0;
            pcre2_match_data_free(md);
        }
        if (!any)
            return false;
    }
    return true;
}

/* ---- Reports ---- */

struct sinks {
    LB_VEC(struct lb_formatter *) v;
    LB_VEC(char *) names;
};

static int fan_out(void *ctx,
                   const json_t *env,
                   const char *text,
                   size_t len,
                   struct lb_error *err)
{
    struct sinks *s = ctx;
    int rc = 0;
    for (size_t i = 0; i < s->v.len; i++) {
        int r = lb_formatter_event_text(s->v.items[i], env, text, len, err);
        if (r != 0 && rc == 0) {
            lb_error_prefix(err, "report '%s'", s->names.items[i]);
            rc = r;
        }
    }
    return rc;
}

static int fan_out_gherkin(void *ctx,
                           const char *kind,
                           const char *text,
                           size_t len,
                           const struct lb_gherkin_document *doc,
                           const struct lb_gherkin_pickle *pickle,
                           struct lb_error *err)
{
    struct sinks *s = ctx;
    int rc = 0;
    for (size_t i = 0; i < s->v.len; i++) {
        int r = lb_formatter_event_gherkin(
            s->v.items[i], kind, text, len, doc, pickle, err);
        if (r != 0 && rc == 0) {
            lb_error_prefix(err, "report '%s'", s->names.items[i]);
            rc = r;
        }
    }
    return rc;
}

static int fan_out_test_case(void *ctx,
                             const char *text,
                             size_t len,
                             const struct lb_report_test_case *tc,
                             struct lb_error *err)
{
    struct sinks *s = ctx;
    int rc = 0;
    for (size_t i = 0; i < s->v.len; i++) {
        int r = lb_formatter_event_test_case(s->v.items[i], text, len, tc, err);
        if (r != 0 && rc == 0) {
            lb_error_prefix(err, "report '%s'", s->names.items[i]);
            rc = r;
        }
    }
    return rc;
}

static bool want_color(enum lb_color_mode mode)
{
    if (mode == LB_COLOR_ALWAYS)
        return true;
    if (mode == LB_COLOR_NEVER)
        return false;
    const char *force = getenv("FORCE_COLOR");
    if (force != NULL && *force != '\0' && strcmp(force, "0") != 0 &&
        strcmp(force, "false") != 0)
        return true;
    const char *no = getenv("NO_COLOR");
    if (no != NULL && *no != '\0')
        return false;
    const char *term = getenv("TERM");
    if (term != NULL && strcmp(term, "dumb") == 0)
        return false;
    return isatty(STDOUT_FILENO) != 0;
}

static int open_formatters(const struct lb_cli_options *o,
                           struct sinks *s,
                           struct lb_error *err)
{
    struct lb_formatter_options fo = {0};
    fo.color = want_color(o->color);
    fo.no_snippets = o->snippets ? 1 : 0;
    size_t to_stdout = 0;
    for (size_t i = 0; i < o->formats.len; i++)
        if (o->formats.items[i].path == NULL)
            to_stdout++;
    if (to_stdout > 1)
        return lb_error_set(err,
                            LB_EUSAGE,
                            "--format: %zu reports write to stdout; give all "
                            "but one a file (NAME:FILE)",
                            to_stdout);
    size_t n = o->formats.len;
    struct lb_cli_format def = {NULL, NULL};
    if (n == 0) {
        def.name = isatty(STDOUT_FILENO) ? "pretty" : "progress";
        n = 1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct lb_cli_format *f =
            o->formats.len > 0 ? &o->formats.items[i] : &def;
        if (strcmp(f->name, "none") == 0)
            continue; /* no report at all (benchmarks, exit code only) */
        struct lb_formatter *fm = NULL;
        /* One index of the stream for all the reports: fan_out feeds each
         * envelope to every formatter before the next one, as sharing
         * needs. A formatter without an index (message) passes the
         * request on (share_index is ignored), so share with the first
         * formatter opened: the index is refcounted and outlives it. */
        fo.share_index = s->v.len > 0 ? s->v.items[0] : NULL;
        int rc = lb_formatter_new(f->name, f->path, &fo, &fm, err);
        if (rc != 0) {
            lb_error_prefix(err,
                            "--format '%s%s%s'",
                            f->name,
                            f->path ? ":" : "",
                            f->path ? f->path : "");
            return LB_EUSAGE;
        }
        if (lb_vec_push(&s->v, fm) != 0 || lb_vec_push(&s->names, f->name) != 0)
            LB_BUG("out of memory");
    }
    return 0;
}

static int close_formatters(struct sinks *s, struct lb_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < s->v.len; i++) {
        struct lb_error e;
        lb_error_init(&e);
        if (lb_formatter_finish(s->v.items[i], &e) != 0) {
            lb_error_prefix(&e, "report '%s'", s->names.items[i]);
            print_error(&e);
            if (rc == 0 && err != NULL && !lb_error_is_set(err))
                *err = e;
            rc = LB_EIO;
        }
        lb_formatter_free(s->v.items[i]);
    }
    lb_vec_release(&s->v);
    lb_vec_release(&s->names);
    return rc;
}

/* ---- Parsing the features into the runner ---- */

static int
add_json_lines(struct lb_runner *r, struct lb_buf *b, struct lb_error *err)
{
    size_t start = 0;
    int rc = 0;
    for (size_t i = 0; i < b->len && rc == 0; i++) {
        if (b->ptr[i] != '\n')
            continue;
        json_error_t je;
        json_t *env = json_loadb(b->ptr + start, i - start, 0, &je);
        if (env == NULL)
            LB_BUG("the Gherkin writer made invalid JSON: %s", je.text);
        /* the line itself goes on: a message report writes it as is */
        rc = lb_runner_add_text(r, env, b->ptr + start, i - start, err);
        start = i + 1;
        json_decref(env);
    }
    lb_buf_reset(b);
    return rc;
}

/* Passes the one envelope in `b` (its line) on with the parser's structs,
 * and empties `b`. */
static int add_gherkin(struct lb_runner *r,
                       const char *kind,
                       struct lb_buf *b,
                       const struct lb_gherkin_document *doc,
                       const struct lb_gherkin_pickle *pickle,
                       struct lb_error *err)
{
    size_t len = b->len;
    if (len > 0 && b->ptr[len - 1] == '\n')
        len--;
    int rc = lb_runner_add_gherkin(r, kind, b->ptr, len, doc, pickle, err);
    lb_buf_reset(b);
    return rc;
}

/* Parses every file; false when one had parse errors (all are reported). */
static int parse_features(const struct file_list *fl,
                          const struct filters *flt,
                          const struct lb_gherkin_dialects *dl,
                          struct lb_idgen *ids,
                          struct lb_runner *r,
                          bool *parse_failed,
                          struct lb_error *err)
{
    struct lb_gherkin_options go = LB_GHERKIN_OPTIONS_INIT;
    go.dialects = dl;
    go.ids = ids;
    struct lb_buf b = LB_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < fl->v.len && rc == 0; i++) {
        const struct feature_file *ff = &fl->v.items[i];
        struct lb_gherkin_document *doc = NULL;
        struct lb_error pe;
        lb_error_init(&pe);
        int prc = lb_gherkin_parse_file(ff->path, &go, &doc, &pe);
        if (doc == NULL) {
            print_error(&pe);
            *parse_failed = true;
            continue;
        }
        if (prc == LB_EPARSE || doc->n_errors > 0) {
            *parse_failed = true;
            lb_gherkin_write_source(&b, doc);
            lb_gherkin_write_errors(&b, doc);
            struct lb_buf msg = LB_BUF_INIT;
            for (size_t k = 0; k < doc->n_errors; k++)
                lb_gherkin_format_error(&msg, doc, &doc->errors[k]);
            (void)fputs(msg.ptr, stderr);
            lb_buf_release(&msg);
            rc = add_json_lines(r, &b, err);
        } else {
            /* The envelopes go on as the text written and the parser's
             * structs: nothing parses that JSON again. */
            lb_gherkin_write_source(&b, doc);
            rc = add_gherkin(r, "source", &b, doc, NULL, err);
            if (rc == 0) {
                lb_gherkin_write_document(&b, doc);
                rc = add_gherkin(r, "gherkinDocument", &b, doc, NULL, err);
            }
            if (rc == 0)
                rc = lb_gherkin_compile(doc, err);
            struct lb_gherkin_pickle_scratch ps =
                LB_GHERKIN_PICKLE_SCRATCH_INIT;
            for (size_t k = 0; rc == 0 && k < doc->n_pickles; k++) {
                const struct lb_gherkin_pickle *pk =
                    lb_gherkin_pickle_at(doc, k, &ps);
                if (pickle_selected(flt, ff, pk)) {
                    lb_gherkin_write_pickle(&b, doc, pk);
                    rc = add_gherkin(r, "pickle", &b, doc, pk, err);
                }
            }
            lb_gherkin_pickle_scratch_release(&ps);
        }
        lb_gherkin_document_free(doc);
    }
    lb_buf_release(&b);
    return rc;
}

/* ---- main ---- */

static int info_commands(const struct lb_cli_options *o, int *exit_code)
{
    if (!o->i18n_languages && o->i18n_keywords == NULL)
        return 0;
    struct lb_error err;
    lb_error_init(&err);
    struct lb_gherkin_dialects *dl = NULL;
    struct lb_buf out = LB_BUF_INIT;
    *exit_code = LB_EXIT_OK;
    if (lb_gherkin_dialects_new(&dl, NULL, &err) != 0) {
        print_error(&err);
        *exit_code = LB_EXIT_USAGE;
    } else if (o->i18n_languages) {
        lb_gherkin_print_languages(dl, &out);
    } else if (lb_gherkin_print_keywords(dl, o->i18n_keywords, &out, &err) != 0)
    {
        lb_error_prefix(&err, "--i18n-keywords '%s'", o->i18n_keywords);
        print_error(&err);
        *exit_code = LB_EXIT_USAGE;
    }
    (void)fputs(out.ptr, stdout);
    lb_buf_release(&out);
    lb_gherkin_dialects_free(dl);
    return 1;
}

static uint64_t random_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
            (uint64_t)getpid()) %
           1000000007ULL;
}

/* After a run: ambiguous steps to stderr, snippets (--snippets) to stdout. */
static void print_ambiguities_and_snippets(struct lb_runner *r, bool snippets)
{
    struct lb_buf amb = LB_BUF_INIT;

    lb_runner_ambiguities(r, &amb);
    if (amb.len > 0) {
        (void)fputs("logos-bdd: ambiguous steps (each matches several step "
                    "definitions; make one pattern more specific):\n",
                    stderr);
        (void)fputs(amb.ptr, stderr);
    }
    lb_buf_release(&amb);
    if (snippets) {
        struct lb_buf sn = LB_BUF_INIT;
        lb_runner_snippets(r, &sn);
        if (sn.len > 0) {
            (void)fputs("\nYou can implement the undefined steps with these "
                        "snippets:\n\n",
                        stdout);
            (void)fputs(sn.ptr, stdout);
        }
        lb_buf_release(&sn);
    }
}

static int run(struct lb_cli_options *o)
{
    struct lb_error err;
    lb_error_init(&err);
    int exit_code = LB_EXIT_USAGE;
    struct file_list fl = {0};
    struct filters flt = {0};
    struct sinks sinks = {0};
    struct lb_gherkin_dialects *dl = NULL;
    struct lb_runner *r = NULL;
    struct lb_idgen ids;
    bool parse_failed = false;

    if (lb_cli_expand_rerun(o, &err) != 0 || collect_files(o, &fl, &err) != 0 ||
        filters_init(&flt, o, &err) != 0 ||
        lb_gherkin_dialects_new(&dl, NULL, &err) != 0 ||
        open_formatters(o, &sinks, &err) != 0)
    {
        print_error(&err);
        goto done;
    }
    if (o->deployer != NULL)
        lb_run_option_set("deployer", o->deployer);
    lb_idgen_init(&ids, o->predictable_ids);
    struct lb_run_options ro = {0};
    ro.dry_run = o->dry_run;
    ro.no_strict = o->no_strict;
    ro.fail_fast = o->fail_fast;
    ro.retry = o->retry;
    ro.retry_tag_filter = o->retry_tag_filter;
    ro.order = (enum lb_order)o->order;
    ro.version = LB_VERSION;
    if (ro.order == LB_ORDER_RANDOM) {
        ro.seed = o->seed_given ? o->seed : random_seed();
        (void)fprintf(
            stderr,
            "logos-bdd: random order, seed %llu (repeat it with --order "
            "random:%llu)\n",
            (unsigned long long)ro.seed,
            (unsigned long long)ro.seed);
    }
    if (lb_runner_new(
            &ro, lb_registry_global(), &ids, fan_out, &sinks, &r, &err) != 0)
    {
        print_error(&err);
        goto finish;
    }
    lb_runner_set_gherkin_cb(r, fan_out_gherkin);
    lb_runner_set_test_case_cb(r, fan_out_test_case);
    lb_runner_install_signals();
    lb_runner_begin(r, &err);
    if (parse_features(&fl, &flt, dl, &ids, r, &parse_failed, &err) != 0 ||
        parse_failed)
    {
        if (lb_error_is_set(&err))
            print_error(&err);
        lb_runner_abort(r, "the features have parse errors", NULL);
        goto finish;
    }
    struct lb_run_result res;
    int rc = lb_runner_run(r, &res, &err);
    if (rc != 0) {
        print_error(&err);
        goto finish;
    }
    print_ambiguities_and_snippets(r, o->snippets);
    if (res.interrupted)
        exit_code = LB_EXIT_INTERRUPTED;
    else if (o->dry_run)
        exit_code =
            res.undefined_or_ambiguous > 0 ? LB_EXIT_FAILED : LB_EXIT_OK;
    else
        exit_code = res.success ? LB_EXIT_OK : LB_EXIT_FAILED;
finish:
    lb_runner_free(r);
    if (close_formatters(&sinks, NULL) != 0 && exit_code != LB_EXIT_INTERRUPTED)
        exit_code = LB_EXIT_USAGE;
    if (lb_runner_signal() != 0 && exit_code != LB_EXIT_USAGE)
        exit_code = LB_EXIT_INTERRUPTED;
done:
    close_formatters(&sinks, NULL);
    lb_gherkin_dialects_free(dl);
    filters_release(&flt);
    file_list_release(&fl);
    return exit_code;
}

/* What the options ask for: help, version, an info command or a run. */
static int dispatch(struct lb_cli_options *o, struct lb_error *err)
{
    int code = LB_EXIT_OK;

    if (o->help) {
        (void)fputs(lb_cli_usage, stdout);
    } else if (o->version) {
        (void)printf("logos-bdd %s\n", LB_VERSION);
    } else if (info_commands(o, &code)) {
        /* done */
    } else if (load_requires(o, err) != 0) {
        code = LB_EXIT_USAGE;
    } else {
        if (o->no_builtin_steps)
            lb_registry_drop_builtin(lb_registry_global());
        if (o->list_steps)
            list_steps(lb_registry_global(), o->list_steps_json);
        else
            code = run(o);
    }
    return code;
}

int main(int argc, char **argv)
{
#ifdef M_MXFAST
    /* A run makes millions of small, short-lived jansson objects; glibc's
     * fastbins cost more in consolidation than they save (~20 % of the CPU
     * time of a 10,000-scenario run, measured with bench_run). */
    mallopt(M_MXFAST, 0);
#endif
    /* a closed stdout (logos-bdd | head) must not kill the run before the
     * report files are written: writes fail with EPIPE instead */
    (void)signal(SIGPIPE, SIG_IGN);
    if (argc > 1 && strcmp(argv[1], "gherkin") == 0) {
#ifdef LB_HAVE_CMD_GHERKIN
        return lb_cmd_gherkin(argc - 1, argv + 1);
#else
        fputs("logos-bdd: error: the gherkin sub-command is not built in\n",
              stderr);
        return LB_EXIT_USAGE;
#endif
    }
    struct lb_cli_options o = {0};
    struct lb_error err;
    lb_error_init(&err);
    int code = lb_cli_load(argc, argv, &o, &err) == 0 ? dispatch(&o, &err)
                                                      : LB_EXIT_USAGE;
    if (lb_error_is_set(&err))
        print_error(&err);
    lb_cli_options_release(&o);
    return code;
}
