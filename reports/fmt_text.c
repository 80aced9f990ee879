/*
 * The console formatters: `pretty` (the feature text with coloured
 * statuses, printed as each test case finishes), `progress` (one character
 * per step) and `summary` (the counts and the times). pretty and progress
 * end with the summary block too.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "reports/internal.h"

static const int summary_order[] = {LB__ST_FAILED,
                                    LB__ST_AMBIGUOUS,
                                    LB__ST_UNDEFINED,
                                    LB__ST_PENDING,
                                    LB__ST_SKIPPED,
                                    LB__ST_PASSED};

static void counts_line(struct lb_formatter *f,
                        struct lb_buf *b,
                        long total,
                        const long *counts,
                        const char *noun)
{
    size_t k;
    int first = 1;

    (void)lb_buf_addf(b, "%ld %s%s", total, noun, total == 1 ? "" : "s");
    if (total) {
        (void)lb_buf_adds(b, " (");
        for (k = 0; k < sizeof(summary_order) / sizeof(summary_order[0]); k++) {
            int st = summary_order[k];
            if (!counts[st])
                continue;
            if (!first)
                (void)lb_buf_adds(b, ", ");
            first = 0;
            /* Colour codes go to `b`, which is f->out for every caller. */
            lb__color(f, st);
            (void)lb_buf_addf(b, "%ld %s", counts[st], lb__status_name(st));
            lb__color_reset(f);
        }
        (void)lb_buf_addch(b, ')');
    }
    (void)lb_buf_addch(b, '\n');
}

void lb__summary_write(struct lb_formatter *f, struct lb_buf *b)
{
    struct lb__model *m = f->model;
    long sc[LB__ST_COUNT] = {0}, st[LB__ST_COUNT] = {0};
    long nsc = 0, nst = 0, retried = 0;
    int64_t exec = 0, wall;
    size_t i, k;

    for (i = 0; i < m->nruns; i++) {
        struct lb__rcase *rc = m->runs[i];
        int s;

        if (rc->will_be_retried) {
            retried++;
            continue;
        }
        s = lb__rcase_status(rc);
        sc[s == LB__ST_UNKNOWN ? LB__ST_PASSED : s]++;
        nsc++;
        exec += lb__rcase_duration(rc);
        for (k = 0; k < rc->nsteps; k++) {
            int ss =
                rc->steps[k].finished ? rc->steps[k].status : LB__ST_SKIPPED;
            if (rc->is_hook[k])
                continue;
            st[ss == LB__ST_UNKNOWN ? LB__ST_SKIPPED : ss]++;
            nst++;
        }
    }
    for (i = 0; i < json_array_size(m->global_hook_messages); i++)
        (void)lb_buf_addf(
            b,
            "run hook failed: %s\n",
            json_string_value(json_array_get(m->global_hook_messages, i)));
    if (m->run_message)
        (void)lb_buf_addf(b, "run failed: %s\n", m->run_message);
    counts_line(f, b, nsc, sc, "scenario");
    counts_line(f, b, nst, st, "step");
    if (retried)
        (void)lb_buf_addf(
            b, "%ld attempt%s retried\n", retried, retried == 1 ? "" : "s");
    wall = m->run_started && m->run_finished && m->run_end_ns >= m->run_start_ns
               ? m->run_end_ns - m->run_start_ns
               : exec;
    lb__minutes_seconds(b, wall);
    (void)lb_buf_adds(b, " (executing steps: ");
    lb__minutes_seconds(b, exec);
    (void)lb_buf_adds(b, ")\n");
}

static int summary_finish(struct lb_formatter *f, struct lb_error *err)
{
    lb__summary_write(f, &f->out);
    return 0;
}

const struct lb__fmt_ops lb__fmt_summary = {
    "summary", 1, 0, NULL, NULL, summary_finish, NULL};

/* progress ------------------------------------------------------------- */

static const char progress_chars[LB__ST_COUNT] = {
    '?', '.', '-', 'P', 'U', 'A', 'F'};

/* Appends user text (names, step text) without ANSI escapes. */
static void addc(struct lb_buf *b, const char *s)
{
    lb__text_clean(b, s, strlen(s));
}

/* Indents every line of `text` by `indent` spaces. */
static void indented(struct lb_buf *b, const char *text, const char *indent)
{
    const char *p = text;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);

        (void)lb_buf_adds(b, indent);
        lb__text_clean(b, p, n);
        (void)lb_buf_addch(b, '\n');
        p += n + (nl ? 1 : 0);
    }
}

/* The failures of the final attempts, numbered, as cucumber-js lists them
 * after the progress dots. */
static void failures(struct lb_formatter *f)
{
    struct lb__model *m = f->model;
    struct lb_buf *b = &f->out;
    size_t i, nruns;
    struct lb__rcase **runs = lb__model_final_runs(m, NULL, &nruns);
    int n = 0;

    for (i = 0; i < nruns; i++) {
        struct lb__rcase *rc = runs[i];
        int s = lb__rcase_status(rc);
        long k = lb__rcase_find(rc, s);
        const struct lb__pstep *ps;
        const struct lb__node *ast;
        const char *msg = k >= 0 ? rc->steps[k].detail : NULL;

        if (s <= LB__ST_SKIPPED || k < 0 || lb__model_open(m, rc) != 0)
            continue;
        if (n == 0)
            (void)lb_buf_adds(b, "\nFailures:\n");
        (void)lb_buf_addf(b, "\n%d) Scenario: ", ++n);
        addc(b, rc->pickle ? rc->pickle->name : "");
        (void)lb_buf_adds(b, " # ");
        addc(b, rc->uri);
        (void)lb_buf_addf(b, ":%ld\n", rc->line);
        ps = lb__model_pstep(m, lb__rcase_tstep(rc, (size_t)k));
        ast = ps ? lb__model_ast_step(m, ps) : NULL;
        lb__color(f, s);
        (void)lb_buf_addf(b,
                          "   %s %s",
                          s == LB__ST_FAILED ? "✖" : "?",
                          ast ? ast->keyword : "");
        addc(b, ps ? ps->text : "hook");
        lb__color_reset(f);
        (void)lb_buf_addf(b, " (%s)\n", lb__status_name(s));
        if (msg)
            indented(b, msg, "       ");
        lb__model_close(m, rc);
    }
    lb_free(runs);
}

static int progress_event(struct lb_formatter *f,
                          const char *kind,
                          json_t *body,
                          json_t *envelope,
                          struct lb_error *err)
{
    struct lb__model *m = f->model;
    int s;

    if (strcmp(kind, "testStepFinished") != 0)
        return 0;
    s = lb__status_parse(
        lb__str(json_object_get(body, "testStepResult"), "status"));
    /* Hooks show only when they fail, as in cucumber-js. */
    if (s != LB__ST_FAILED) {
        struct lb__rcase *rc =
            lb__model_run(m, lb__str(body, "testCaseStartedId"));
        long k =
            rc ? lb__rcase_step_index(rc, lb__str(body, "testStepId")) : -1;

        if (k >= 0 && rc->is_hook[k])
            return 0;
    }
    lb__color(f, s);
    (void)lb_buf_addch(&f->out, progress_chars[s]);
    lb__color_reset(f);
    return 0;
}

static int progress_finish(struct lb_formatter *f, struct lb_error *err)
{
    (void)lb_buf_addch(&f->out, '\n');
    failures(f);
    (void)lb_buf_addch(&f->out, '\n');
    lb__summary_write(f, &f->out);
    return 0;
}

const struct lb__fmt_ops lb__fmt_progress = {
    "progress", 1, 1, NULL, progress_event, progress_finish, NULL};

/* pretty --------------------------------------------------------------- */

struct pretty_state {
    char *uri;   /* the feature printed last */
    int printed; /* features printed so far */
};

static void pretty_feature(struct lb_formatter *f,
                           const struct lb__pickle *pickle)
{
    struct pretty_state *ps = f->priv;
    const char *uri = pickle ? pickle->uri : "";
    const struct lb__node *feature;
    size_t i;

    if (ps->uri && strcmp(ps->uri, uri) == 0)
        return;
    lb_free(ps->uri);
    ps->uri = lb_xstrdup(uri);
    feature = lb__model_feature(f->model, pickle);
    if (ps->printed++)
        (void)lb_buf_addch(&f->out, '\n');
    for (i = 0; feature && i < feature->ntags; i++)
        (void)lb_buf_addf(&f->out, "%s%s", i ? " " : "", feature->tags[i].name);
    if (feature && feature->ntags)
        (void)lb_buf_addch(&f->out, '\n');
    (void)lb_buf_addf(&f->out, "%s: ", feature ? feature->keyword : "");
    addc(&f->out, feature ? feature->name : "");
    (void)lb_buf_addch(&f->out, '\n');
}

static void pretty_step(struct lb_formatter *f,
                        struct lb__rcase *rc,
                        size_t i,
                        struct lb_buf *loc)
{
    struct lb__model *m = f->model;
    const struct lb__tstep *ts = lb__rcase_tstep(rc, i);
    const struct lb__pstep *ps = lb__model_pstep(m, ts);
    const struct lb__rstep *st = &rc->steps[i];
    int s = st->finished ? st->status : LB__ST_SKIPPED;
    const struct lb__node *ast;
    json_t *sugg, *sn;
    size_t r, c;

    if (!ps) {
        /* Hooks are shown only when they did not pass. */
        if (s == LB__ST_PASSED || s == LB__ST_SKIPPED)
            return;
        lb__model_location(m, ts, loc);
        lb__color(f, s);
        (void)lb_buf_addf(&f->out, "    Hook (%s)", lb__status_name(s));
        lb__color_reset(f);
        (void)lb_buf_addf(&f->out, " # %s\n", loc->ptr);
    } else {
        ast = lb__model_ast_step(m, ps);
        lb__color(f, s);
        (void)lb_buf_addf(&f->out, "    %s", ast ? ast->keyword : "");
        addc(&f->out, ps->text);
        lb__color_reset(f);
        lb__model_location(m, ts, loc);
        if (s != LB__ST_PASSED)
            (void)lb_buf_addf(&f->out, " (%s)", lb__status_name(s));
        if (loc->len)
            (void)lb_buf_addf(&f->out, " # %s", loc->ptr);
        (void)lb_buf_addch(&f->out, '\n');
        for (r = 0; r < ps->nrows; r++) {
            (void)lb_buf_adds(&f->out, "      |");
            for (c = 0; c < ps->rows[r].ncells; c++) {
                (void)lb_buf_addch(&f->out, ' ');
                addc(&f->out, ps->rows[r].cells[c]);
                (void)lb_buf_adds(&f->out, " |");
            }
            (void)lb_buf_addch(&f->out, '\n');
        }
        if (ps->has_doc) {
            (void)lb_buf_adds(&f->out, "      \"\"\"\n");
            indented(&f->out, ps->doc_content, "      ");
            (void)lb_buf_adds(&f->out, "      \"\"\"\n");
        }
        if (s == LB__ST_UNDEFINED && !f->opts.no_snippets &&
            (sugg = json_object_get(m->suggestions, ps->id)))
        {
            (void)lb_buf_adds(&f->out,
                              "      Undefined step; implement it with:\n");
            json_array_foreach(json_object_get(sugg, "snippets"), r, sn)
                indented(&f->out, lb__str(sn, "code"), "        ");
        }
    }
    if (st->detail && s > LB__ST_SKIPPED) {
        lb__color(f, s);
        indented(&f->out, st->detail, "      ");
        lb__color_reset(f);
    }
}

static int pretty_event(struct lb_formatter *f,
                        const char *kind,
                        json_t *body,
                        json_t *envelope,
                        struct lb_error *err)
{
    struct lb__model *m = f->model;
    struct lb__rcase *rc;
    const struct lb__node *sc;
    struct lb_buf loc = LB_BUF_INIT;
    size_t i;

    if (strcmp(kind, "testCaseFinished") != 0)
        return 0;
    rc = lb__model_run(m, lb__str(body, "testCaseStartedId"));
    if (!rc)
        return 0;
    if (lb__model_open(m, rc) != 0)
        return lb_error_set(err, LB_EPARSE, "pretty: cannot read test case");
    pretty_feature(f, rc->pickle);
    sc = lb__model_scenario(m, rc->pickle);
    (void)lb_buf_addf(&f->out, "\n  %s: ", sc ? sc->keyword : "Scenario");
    addc(&f->out, rc->pickle ? rc->pickle->name : "");
    if (rc->attempt > 0 || rc->will_be_retried)
        (void)lb_buf_addf(&f->out,
                          " (attempt %d%s)",
                          rc->attempt + 1,
                          rc->will_be_retried ? ", retried" : "");
    (void)lb_buf_addf(&f->out,
                      " # %s:%ld\n",
                      rc->pickle ? rc->pickle->uri : "",
                      rc->pickle ? rc->pickle->line : 0L);
    for (i = 0; i < rc->nsteps; i++)
        pretty_step(f, rc, i, &loc);
    lb_buf_release(&loc);
    lb__model_close(m, rc);
    return 0;
}

static int pretty_init(struct lb_formatter *f, struct lb_error *err)
{
    f->priv = lb_xcalloc(1, sizeof(struct pretty_state));
    return 0;
}

static int pretty_finish(struct lb_formatter *f, struct lb_error *err)
{
    (void)lb_buf_addch(&f->out, '\n');
    lb__summary_write(f, &f->out);
    return 0;
}

static void pretty_release(struct lb_formatter *f)
{
    struct pretty_state *ps = f->priv;

    if (ps)
        lb_free(ps->uri);
    lb_free(ps);
}

const struct lb__fmt_ops lb__fmt_pretty = {
    "pretty", 1, 1, pretty_init, pretty_event, pretty_finish, pretty_release};
