/*
 * The formatter registry and the plumbing every formatter shares: the index
 * of the stream, output to stdout as events arrive or to a file written
 * atomically at finish, colours, and the NDJSON reader of lb-report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "reports/internal.h"

static const struct lb__fmt_ops *const all_ops[] = {&lb__fmt_pretty,
                                                    &lb__fmt_progress,
                                                    &lb__fmt_summary,
                                                    &lb__fmt_junit,
                                                    &lb__fmt_json,
                                                    &lb__fmt_message,
                                                    &lb__fmt_rerun,
                                                    &lb__fmt_usage,
                                                    NULL};

static const char *const all_names[] = {"pretty",
                                        "progress",
                                        "summary",
                                        "junit",
                                        "json",
                                        "message",
                                        "rerun",
                                        "usage",
                                        NULL};

const char *const *lb_formatter_names(void)
{
    return all_names;
}

static const struct lb__fmt_ops *find_ops(const char *name)
{
    size_t i;

    for (i = 0; name && all_ops[i]; i++)
        if (strcmp(all_ops[i]->name, name) == 0)
            return all_ops[i];
    return NULL;
}

int lb_formatter_known(const char *name)
{
    return find_ops(name) != NULL;
}

/* Fails early when the folder of `path` cannot take the report, so a long
 * run does not end with a report that cannot be written. */
static int check_writable(const char *path, struct lb_error *err)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    int rc = 0;

    if (!slash)
        dir = lb_xstrdup(".");
    else if (slash == path)
        dir = lb_xstrdup("/");
    else
        dir = lb_xstrndup(path, (size_t)(slash - path));
    if (access(dir, W_OK | X_OK) != 0)
        rc = lb_error_set(err,
                          LB_EIO,
                          "cannot write report '%s': folder '%s': %s",
                          path,
                          dir,
                          strerror(errno));
    lb_free(dir);
    return rc;
}

int lb_formatter_new(const char *name,
                     const char *path,
                     const struct lb_formatter_options *opts,
                     struct lb_formatter **out,
                     struct lb_error *err)
{
    const struct lb__fmt_ops *ops = find_ops(name);
    struct lb_formatter *f = NULL;
    int rc;

    *out = NULL;
    if (!ops)
        return lb_error_set(err,
                            LB_EUSAGE,
                            "unknown format '%s' (known: pretty, progress, "
                            "summary, junit, json, message, rerun, usage)",
                            name ? name : "");
    if (path && strcmp(path, "-") == 0)
        path = NULL;
    if (path && (rc = check_writable(path, err)) != 0)
        return rc;
    f = lb_xcalloc(1, sizeof(*f));
    f->ops = ops;
    if (opts)
        f->opts = *opts;
    f->path = path ? lb_xstrdup(path) : NULL;
    f->stream = f->opts.out ? f->opts.out : stdout;
    lb_buf_init(&f->out, 0);
    if (ops->uses_model) {
        struct lb_formatter *o = f->opts.share_index;

        if (o && o->model) {
            f->model = o->model;
            f->model->refs++;
        } else {
            f->model = lb__model_new();
            /* A formatter without an index of its own (message) holds the
             * new one, unused, so that every formatter of a run can name
             * the first one opened whatever its kind. */
            if (o && !o->ops->uses_model) {
                o->model = f->model;
                o->model->refs++;
            }
        }
    }
    f->opts.share_index = NULL;
    if (ops->init && (rc = ops->init(f, err)) != 0) {
        lb_formatter_free(f);
        return rc;
    }
    /* A streaming report to a file writes into its temp file as it goes,
     * so a long run never holds the whole report in memory. */
    if (ops->streams && f->path && (rc = lb__fmt_open_tmp(f, err)) != 0) {
        lb_formatter_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

int lb__fmt_open_tmp(struct lb_formatter *f, struct lb_error *err)
{
    struct lb_buf tmp = LB_BUF_INIT;
    int fd, e;

    if (f->tmp || !f->path)
        return 0;
    (void)lb_buf_addf(&tmp, "%s.tmp.XXXXXX", f->path);
    fd = mkstemp(tmp.ptr);
    /* mkstemp makes 0600; a report is for everyone who reads the CI job. */
    if (fd >= 0 && fchmod(fd, 0644) == 0 && (f->tmp = fdopen(fd, "w")) != NULL)
    {
        f->tmp_path = lb_buf_detach(&tmp, NULL);
        return 0;
    }
    e = errno;
    if (fd >= 0) {
        (void)close(fd);
        (void)unlink(tmp.ptr);
    }
    (void)lb_error_set(err,
                       LB_EIO,
                       "cannot write %s report '%s': cannot create '%s': %s",
                       f->ops->name,
                       f->path,
                       tmp.ptr,
                       strerror(e));
    lb_buf_release(&tmp);
    return LB_EIO;
}

int lb__fmt_flush(struct lb_formatter *f, struct lb_error *err)
{
    FILE *fp = f->path ? f->tmp : f->stream;

    if (!fp || f->out.len == 0)
        return 0;
    if (fwrite(f->out.ptr, 1, f->out.len, fp) != f->out.len)
        return lb_error_set(err,
                            LB_EIO,
                            "cannot write %s report '%s': %s",
                            f->ops->name,
                            f->path ? f->tmp_path : "stdout",
                            strerror(errno));
    lb_buf_reset(&f->out);
    return 0;
}

int lb_formatter_event(struct lb_formatter *f,
                       const json_t *envelope,
                       struct lb_error *err)
{
    return lb_formatter_event_text(f, envelope, NULL, 0, err);
}

/*
 * After an event: a streaming report to stdout gets its output at once
 * (someone may watch it); one to a temp file gets large writes.
 */
static int flush_streaming(struct lb_formatter *f, struct lb_error *err)
{
    if (f->ops->streams &&
        (!f->path || (f->tmp && f->out.len >= (size_t)256 * 1024)))
        return lb__fmt_flush(f, err);
    return 0;
}

int lb_formatter_event_text(struct lb_formatter *f,
                            const json_t *envelope,
                            const char *text,
                            size_t len,
                            struct lb_error *err)
{
    /* jansson's API is not const-correct for reads and for references. */
    json_t *env = (json_t *)envelope;
    void *it = json_object_iter(env);
    const char *kind;
    json_t *body;
    int rc;

    if (f->finished)
        return lb_error_set(
            err, LB_ESTATE, "%s report: event after finish", f->ops->name);
    if (!it)
        return lb_error_set(err,
                            LB_EPARSE,
                            "envelope is not a JSON object "
                            "with one member");
    kind = json_object_iter_key(it);
    body = json_object_iter_value(it);
    if (!json_is_object(body))
        return lb_error_set(
            err, LB_EPARSE, "envelope '%s' has no object body", kind);
    if (f->ops->uses_model &&
        (rc = lb__model_event(f->model, env, kind, body, err)) != 0)
        return rc;
    f->env_text = text;
    f->env_text_len = len;
    rc = f->ops->event ? f->ops->event(f, kind, body, env, err) : 0;
    f->env_text = NULL;
    if (rc != 0)
        return rc;
    return flush_streaming(f, err);
}

int lb_formatter_event_gherkin(struct lb_formatter *f,
                               const char *kind,
                               const char *text,
                               size_t len,
                               const struct lb_gherkin_document *doc,
                               const struct lb_gherkin_pickle *pickle,
                               struct lb_error *err)
{
    int rc;

    if (f->finished)
        return lb_error_set(
            err, LB_ESTATE, "%s report: event after finish", f->ops->name);
    if (f->ops->uses_model)
        (void)lb__model_gherkin(f->model, kind, doc, pickle);
    /* No formatter reads these kinds' bodies but the index; the message
     * report writes the text. */
    f->env_text = text;
    f->env_text_len = len;
    rc = f->ops->event ? f->ops->event(f, kind, NULL, NULL, err) : 0;
    f->env_text = NULL;
    if (rc != 0)
        return rc;
    return flush_streaming(f, err);
}

int lb_formatter_event_test_case(struct lb_formatter *f,
                                 const char *text,
                                 size_t len,
                                 const struct lb_report_test_case *tc,
                                 struct lb_error *err)
{
    int rc;

    if (f->finished)
        return lb_error_set(
            err, LB_ESTATE, "%s report: event after finish", f->ops->name);
    if (f->ops->uses_model)
        lb__model_test_case(f->model, tc);
    f->env_text = text;
    f->env_text_len = len;
    rc = f->ops->event ? f->ops->event(f, "testCase", NULL, NULL, err) : 0;
    f->env_text = NULL;
    if (rc != 0)
        return rc;
    return flush_streaming(f, err);
}

int lb_formatter_finish(struct lb_formatter *f, struct lb_error *err)
{
    int rc;

    if (f->finished)
        return lb_error_set(
            err, LB_ESTATE, "%s report already finished", f->ops->name);
    f->finished = 1;
    /* Everything before finish is still in f->out (or already in the temp
     * file of a streaming formatter); from here it goes to the temp file
     * in pieces. */
    if (f->path && (rc = lb__fmt_open_tmp(f, err)) != 0)
        return rc;
    if (f->ops->finish && (rc = f->ops->finish(f, err)) != 0) {
        if (f->tmp) {
            (void)fclose(f->tmp);
            f->tmp = NULL;
            (void)unlink(f->tmp_path);
        }
        return rc;
    }
    if (!f->path) {
        if ((rc = lb__fmt_flush(f, err)) != 0)
            return rc;
        if (fflush(f->stream) != 0)
            return lb_error_set(err,
                                LB_EIO,
                                "cannot write %s report to stdout: %s",
                                f->ops->name,
                                strerror(errno));
        return 0;
    }
    if (f->tmp) {
        FILE *fp = f->tmp;

        rc = lb__fmt_flush(f, err);
        f->tmp = NULL;
        if (rc == 0 && (fflush(fp) != 0 || fsync(fileno(fp)) != 0) &&
            errno != EINVAL)
            rc = lb_error_set(err,
                              LB_EIO,
                              "cannot write report '%s': %s",
                              f->path,
                              strerror(errno));
        if (fclose(fp) != 0 && rc == 0)
            rc = lb_error_set(err,
                              LB_EIO,
                              "cannot write report '%s': %s",
                              f->path,
                              strerror(errno));
        if (rc == 0 && rename(f->tmp_path, f->path) != 0)
            rc = lb_error_set(err,
                              LB_EIO,
                              "cannot rename '%s' to '%s': %s",
                              f->tmp_path,
                              f->path,
                              strerror(errno));
        if (rc != 0)
            (void)unlink(f->tmp_path);
        lb_free(f->tmp_path);
        f->tmp_path = NULL;
        return rc;
    }
    LB_BUG("file report '%s' without its temp file", f->path);
}

void lb_formatter_free(struct lb_formatter *f)
{
    if (!f)
        return;
    if (f->ops->release)
        f->ops->release(f);
    if (f->tmp) {
        (void)fclose(f->tmp);
        (void)unlink(f->tmp_path);
    }
    lb_free(f->tmp_path);
    lb__model_unref(f->model);
    lb_buf_release(&f->out);
    lb_free(f->path);
    lb_free(f);
}

static const char *status_color(int status)
{
    switch (status) {
    case LB__ST_PASSED:
        return "32";
    case LB__ST_FAILED:
    case LB__ST_AMBIGUOUS:
        return "31";
    case LB__ST_SKIPPED:
        return "36";
    case LB__ST_PENDING:
    case LB__ST_UNDEFINED:
        return "33";
    default:
        return "90";
    }
}

void lb__color_code(struct lb_formatter *f, const char *code)
{
    if (f->opts.color)
        (void)lb_buf_addf(&f->out, "\x1b[%sm", code);
}

void lb__color(struct lb_formatter *f, int status)
{
    lb__color_code(f, status_color(status));
}

void lb__color_reset(struct lb_formatter *f)
{
    lb__color_code(f, "0");
}

int lb_formatter_feed_ndjson(struct lb_formatter **fs,
                             size_t n,
                             const char *text,
                             size_t len,
                             const char *source_name,
                             struct lb_error *err)
{
    const char *p = text, *end = text + len;
    int line = 0;
    int rc = 0;

    while (p < end && rc == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *q = p;
        json_error_t jerr;
        json_t *env;
        size_t i;

        line++;
        while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q == eol) {
            p = nl ? nl + 1 : end;
            continue;
        }
        env = json_loadb(p, (size_t)(eol - p), 0, &jerr);
        if (!env || !json_is_object(env)) {
            rc = lb_error_set_at(err,
                                 LB_EPARSE,
                                 source_name,
                                 line,
                                 env ? 1 : jerr.column,
                                 "%s",
                                 env ? "envelope is not a JSON object"
                                     : jerr.text);
            json_decref(env);
            break;
        }
        for (i = 0; i < n && rc == 0; i++) {
            /* The line as read, from its first non-blank byte, without
             * trailing blanks: a message report writes it as is. */
            const char *e = eol;
            while (e > q && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
                e--;
            rc = lb_formatter_event_text(fs[i], env, q, (size_t)(e - q), err);
            if (rc != 0 && err) {
                err->line = line;
                (void)snprintf(err->file, sizeof(err->file), "%s", source_name);
            }
        }
        json_decref(env);
        p = nl ? nl + 1 : end;
    }
    return rc;
}
