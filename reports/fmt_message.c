/*
 * The `message` formatter: the envelopes as received, one compact JSON
 * object per line (NDJSON). On stdout it streams; to a file it streams into
 * a temp file in the same folder that finish renames into place, so a long
 * run never holds the whole stream in memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/time.h"
#include "reports/internal.h"

struct message_state {
    int saw_run_finished;
    char *run_started_id;
    json_t *open_cases; /* testCaseStarted ids without testCaseFinished */
};

static int dump_cb(const char *buffer, size_t size, void *data)
{
    return lb_buf_add(data, buffer, size) == 0 ? 0 : -1;
}

static int message_init(struct lb_formatter *f, struct lb_error *err)
{
    struct message_state *st = lb_xcalloc(1, sizeof(*st));

    f->priv = st;
    st->open_cases = json_object();
    if (!st->open_cases)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    /* A long run's stream goes to the temp file as it arrives. */
    return f->path ? lb__fmt_open_tmp(f, err) : 0;
}

static int message_event(struct lb_formatter *f,
                         const char *kind,
                         json_t *body,
                         json_t *envelope,
                         struct lb_error *err)
{
    struct message_state *st = f->priv;

    if (strcmp(kind, "testRunFinished") == 0)
        st->saw_run_finished = 1;
    else if (strcmp(kind, "testCaseStarted") == 0 && body &&
             json_is_string(json_object_get(body, "id")))
        (void)json_object_set_new(
            st->open_cases, lb__str(body, "id"), json_true());
    else if (strcmp(kind, "testCaseFinished") == 0 && body)
        (void)json_object_del(st->open_cases,
                              lb__str(body, "testCaseStartedId"));
    else if (strcmp(kind, "testRunStarted") == 0 && !st->run_started_id &&
             json_is_string(json_object_get(body, "id")))
        st->run_started_id = lb_xstrdup(lb__str(body, "id"));
    if (f->env_text)
        (void)lb_buf_add(&f->out, f->env_text, f->env_text_len);
    else if (json_dump_callback(envelope, dump_cb, &f->out, JSON_COMPACT) != 0)
        return lb_error_set(
            err, LB_EINVAL, "cannot serialise envelope '%s'", kind);
    (void)lb_buf_addch(&f->out, '\n');
    return 0;
}

/* A stream must end with testRunFinished (validators and the HTML report
 * need it); when the producer died before sending it, say so in one. */
static int message_finish(struct lb_formatter *f, struct lb_error *err)
{
    struct message_state *st = f->priv;
    int64_t now = lb_time_wall_ns();
    json_t *env, *v;
    const char *id;
    int rc;

    if (st->saw_run_finished)
        return 0;
    /* Close the test cases that were cut short, then the run. */
    json_object_foreach(st->open_cases, id, v)
    {
        json_t *tcf = json_pack("{s:{s:s,s:{s:I,s:i},s:b}}",
                                "testCaseFinished",
                                "testCaseStartedId",
                                id,
                                "timestamp",
                                "seconds",
                                (json_int_t)(now / 1000000000),
                                "nanos",
                                (int)(now % 1000000000),
                                "willBeRetried",
                                0);
        if (!tcf)
            return lb_error_set(err, LB_ENOMEM, "out of memory");
        rc = message_event(f, "testCaseFinished", NULL, tcf, err);
        json_decref(tcf);
        if (rc != 0)
            return rc;
    }
    env = json_pack("{s:{s:{s:I,s:i},s:b,s:s}}",
                    "testRunFinished",
                    "timestamp",
                    "seconds",
                    (json_int_t)(now / 1000000000),
                    "nanos",
                    (int)(now % 1000000000),
                    "success",
                    0,
                    "message",
                    "the run ended without a testRunFinished event");
    if (!env)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    if (st->run_started_id)
        (void)json_object_set_new(json_object_get(env, "testRunFinished"),
                                  "testRunStartedId",
                                  json_string(st->run_started_id));
    rc = message_event(f, "testRunFinished", NULL, env, err);
    json_decref(env);
    return rc;
}

static void message_release(struct lb_formatter *f)
{
    struct message_state *st = f->priv;

    if (st) {
        lb_free(st->run_started_id);
        json_decref(st->open_cases);
    }
    lb_free(st);
}

const struct lb__fmt_ops lb__fmt_message = {"message",
                                            0,
                                            1,
                                            message_init,
                                            message_event,
                                            message_finish,
                                            message_release};
