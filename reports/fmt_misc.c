/*
 * The `rerun` formatter (uri:line of every scenario that did not pass, for
 * `logos-bdd @rerun.txt`-style reruns) and the `usage` formatter (how often
 * and how slowly each step definition ran, and which never matched).
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "reports/internal.h"

static int rerun_finish(struct lb_formatter *f, struct lb_error *err)
{
    struct lb__model *m = f->model;
    json_t *seen = json_object();
    struct lb_buf line = LB_BUF_INIT;
    size_t i;

    if (!seen)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    for (i = 0; i < m->nruns; i++) {
        struct lb__rcase *rc = m->runs[i];
        int s = lb__rcase_status(rc);

        if (rc->will_be_retried || !*rc->uri || s <= LB__ST_SKIPPED)
            continue;
        lb_buf_reset(&line);
        (void)lb_buf_addf(&line, "%s:%ld", rc->uri, rc->line);
        if (json_object_get(seen, line.ptr))
            continue;
        (void)json_object_set_new(seen, line.ptr, json_true());
        lb__text_clean(&f->out, line.ptr, line.len);
        (void)lb_buf_addch(&f->out, '\n');
    }
    lb_buf_release(&line);
    json_decref(seen);
    return 0;
}

const struct lb__fmt_ops lb__fmt_rerun = {
    "rerun", 1, 0, NULL, NULL, rerun_finish, NULL};

/* usage ---------------------------------------------------------------- */

struct usage_row {
    const char *id; /* borrowed from the model */
    long matches;
    int64_t total_ns;
    int64_t max_ns;
};

static int by_mean_desc(const void *a, const void *b)
{
    const struct usage_row *x = a, *y = b;
    int64_t mx = x->matches ? x->total_ns / x->matches : -1;
    int64_t my = y->matches ? y->total_ns / y->matches : -1;

    if (mx != my)
        return mx < my ? 1 : -1;
    return strcmp(x->id, y->id);
}

/* Adds every finished, unambiguous test step to its definition's row. */
static void
count_usage(const struct lb__model *m, json_t *pos, struct usage_row *rows)
{
    size_t i, j;

    for (i = 0; i < m->nruns; i++) {
        struct lb__rcase *rc = m->runs[i];

        /* The index kept the matched step definition of every test step,
         * so the stored test case is not parsed again. */
        for (j = 0; j < rc->nsteps; j++) {
            json_t *ix;
            struct usage_row *r;

            /* Only unambiguous matches that ran say something about speed. */
            if (!rc->def_ids[j] || !rc->steps[j].finished)
                continue;
            ix = json_object_get(pos, rc->def_ids[j]);
            if (!json_is_integer(ix))
                continue;
            r = &rows[json_integer_value(ix)];
            r->matches++;
            r->total_ns += rc->steps[j].duration_ns;
            if (rc->steps[j].duration_ns > r->max_ns)
                r->max_ns = rc->steps[j].duration_ns;
        }
    }
}

static int usage_finish(struct lb_formatter *f, struct lb_error *err)
{
    struct lb__model *m = f->model;
    size_t n = json_object_size(m->stepdefs), k = 0, i;
    struct usage_row *rows = lb_xcalloc(n ? n : 1, sizeof(*rows));
    json_t *pos = json_object(), *def;
    const char *id;
    struct lb_buf loc = LB_BUF_INIT;
    long unused = 0;

    if (!pos) {
        lb_free(rows);
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    json_object_foreach(m->stepdefs, id, def)
    {
        rows[k].id = id;
        (void)json_object_set_new(pos, id, json_integer((json_int_t)k));
        k++;
    }
    count_usage(m, pos, rows);
    qsort(rows, n, sizeof(*rows), by_mean_desc);
    (void)lb_buf_adds(&f->out, "Step definition usage (slowest first):\n");
    for (i = 0; i < n; i++) {
        json_t *d = json_object_get(m->stepdefs, rows[i].id);
        json_t *pat = json_object_get(d, "pattern");
        json_t *ref = json_object_get(d, "sourceReference");

        if (!rows[i].matches) {
            unused++;
            continue;
        }
        lb_buf_reset(&loc);
        (void)lb_buf_addf(&loc, "%s:%ld", lb__str(ref, "uri"), lb__line(ref));
        (void)lb_buf_adds(&f->out, "  ");
        lb__text_clean(
            &f->out, lb__str(pat, "source"), strlen(lb__str(pat, "source")));
        (void)lb_buf_addf(&f->out,
                          "  # %s\n    %ld match%s, mean ",
                          loc.ptr,
                          rows[i].matches,
                          rows[i].matches == 1 ? "" : "es");
        lb__seconds(&f->out, rows[i].total_ns / rows[i].matches);
        (void)lb_buf_adds(&f->out, "s, max ");
        lb__seconds(&f->out, rows[i].max_ns);
        (void)lb_buf_adds(&f->out, "s\n");
    }
    if (unused) {
        (void)lb_buf_addf(&f->out, "Unused step definitions (%ld):\n", unused);
        for (i = 0; i < n; i++) {
            json_t *d = json_object_get(m->stepdefs, rows[i].id);
            json_t *ref = json_object_get(d, "sourceReference");
            const char *src = lb__str(json_object_get(d, "pattern"), "source");

            if (rows[i].matches)
                continue;
            (void)lb_buf_adds(&f->out, "  ");
            lb__text_clean(&f->out, src, strlen(src));
            (void)lb_buf_addf(
                &f->out, "  # %s:%ld\n", lb__str(ref, "uri"), lb__line(ref));
        }
    }
    lb_buf_release(&loc);
    json_decref(pos);
    lb_free(rows);
    return 0;
}

const struct lb__fmt_ops lb__fmt_usage = {
    "usage", 1, 0, NULL, NULL, usage_finish, NULL};
