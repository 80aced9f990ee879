/* The public step API of <logos_bdd/step.h> over struct lb_step. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "engine/step_impl.h"

static const struct lb_arg *arg_at(const struct lb_step *s, size_t i)
{
    if (s == NULL || s->match == NULL || i >= s->match->nargs)
        return NULL;
    return &s->match->args[i];
}

size_t lb_step_arg_count(const struct lb_step *s)
{
    return s != NULL && s->match != NULL ? s->match->nargs : 0;
}

long long lb_step_arg_int(const struct lb_step *s, size_t i)
{
    const struct lb_arg *a = arg_at(s, i);
    if (a == NULL || a->text == NULL)
        return 0;
    return strtoll(a->text, NULL, 10);
}

double lb_step_arg_double(const struct lb_step *s, size_t i)
{
    const struct lb_arg *a = arg_at(s, i);
    if (a == NULL || a->text == NULL)
        return 0;
    return strtod(a->text, NULL);
}

const char *lb_step_arg_str(const struct lb_step *s, size_t i)
{
    const struct lb_arg *a = arg_at(s, i);
    return a != NULL ? a->text : NULL;
}

void *lb_step_arg_value(const struct lb_step *s, size_t i)
{
    if (arg_at(s, i) == NULL || s->values == NULL)
        return NULL;
    return s->values[i];
}

const char *lb_step_text(const struct lb_step *s)
{
    return s->text;
}

const struct lb_table *lb_step_table(const struct lb_step *s)
{
    return s->has_table ? &s->table : NULL;
}

size_t lb_table_rows(const struct lb_table *t)
{
    return t != NULL ? t->nrows : 0;
}

size_t lb_table_cols(const struct lb_table *t)
{
    return t != NULL ? t->ncols : 0;
}

const char *lb_table_cell(const struct lb_table *t, size_t row, size_t col)
{
    if (t == NULL || row >= t->nrows || col >= t->ncols)
        return "";
    json_t *cells = json_object_get(json_array_get(t->rows, row), "cells");
    const char *v =
        json_string_value(json_object_get(json_array_get(cells, col), "value"));
    return v != NULL ? v : "";
}

const char *lb_step_doc_string(const struct lb_step *s)
{
    return s->doc_string;
}

const char *lb_step_doc_media_type(const struct lb_step *s)
{
    return s->doc_media_type;
}

__attribute__((format(printf, 3, 0))) static int
record(struct lb_step *s, int outcome, const char *fmt, va_list ap)
{
    if (s->outcome == LB_STEP_PASSED) {
        s->outcome = outcome;
        lb_buf_reset(&s->message);
        if (fmt != NULL)
            (void)lb_buf_vaddf(&s->message, fmt, ap);
    }
    return outcome;
}

int lb_step_fail(struct lb_step *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = record(s, LB_STEP_FAILED, fmt, ap);
    va_end(ap);
    return rc;
}

int lb_step_pending(struct lb_step *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = record(s, LB_STEP_PENDING, fmt, ap);
    va_end(ap);
    return rc;
}

int lb_step_skip(struct lb_step *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = record(s, LB_STEP_SKIPPED, fmt, ap);
    va_end(ap);
    return rc;
}

void lb_step_attach(struct lb_step *s,
                    const void *data,
                    size_t len,
                    const char *media_type,
                    const char *name)
{
    if (media_type == NULL)
        media_type = "application/octet-stream";
    if (s->attach != NULL)
        s->attach(s->attach_ctx, data, len, media_type, name, true);
}

void lb_step_attach_text(struct lb_step *s,
                         const char *text,
                         const char *media_type,
                         const char *name)
{
    size_t len = strlen(text);
    if (media_type == NULL)
        media_type = "text/plain";
    if (s->attach != NULL)
        s->attach(s->attach_ctx,
                  text,
                  len,
                  media_type,
                  name,
                  !lb_utf8_valid(text, len));
}

void lb_step_log(struct lb_step *s, const char *fmt, ...)
{
    struct lb_buf b = LB_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    (void)lb_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    if (s->attach != NULL)
        s->attach(s->attach_ctx,
                  b.ptr,
                  b.len,
                  "text/x.cucumber.log+plain",
                  NULL,
                  false);
    lb_buf_release(&b);
}

void lb_step_link(struct lb_step *s, const char *uri)
{
    if (s->attach != NULL)
        s->attach(
            s->attach_ctx, uri, strlen(uri), "text/uri-list", NULL, false);
}

void *lb_world_get(const struct lb_step *s, const char *key)
{
    if (s->world == NULL)
        return NULL;
    for (size_t i = 0; i < s->world->slots.len; i++)
        if (strcmp(s->world->slots.items[i].key, key) == 0)
            return s->world->slots.items[i].ptr;
    return NULL;
}

void lb_world_set(struct lb_step *s,
                  const char *key,
                  void *ptr,
                  void (*free_fn)(void *))
{
    if (s->world == NULL) {
        /* run hooks have no world: do not leak what the caller handed us */
        if (free_fn != NULL)
            free_fn(ptr);
        return;
    }
    for (size_t i = 0; i < s->world->slots.len; i++) {
        struct lb_world_slot *slot = &s->world->slots.items[i];
        if (strcmp(slot->key, key) == 0) {
            if (slot->free_fn != NULL && slot->ptr != ptr)
                slot->free_fn(slot->ptr);
            slot->ptr = ptr;
            slot->free_fn = free_fn;
            return;
        }
    }
    struct lb_world_slot slot = {lb_xstrdup(key), ptr, free_fn};
    if (lb_vec_push(&s->world->slots, slot) != 0)
        LB_BUG("out of memory setting world slot '%s'", key);
}

void lb_world_release(struct lb_world *w)
{
    for (size_t i = w->slots.len; i-- > 0;) {
        struct lb_world_slot *slot = &w->slots.items[i];
        if (slot->free_fn != NULL)
            slot->free_fn(slot->ptr);
        lb_free(slot->key);
    }
    lb_vec_release(&w->slots);
}

const char *lb_step_scenario_name(const struct lb_step *s)
{
    return s->pickle != NULL ? s->pickle->name : "";
}

bool lb_step_has_tag(const struct lb_step *s, const char *tag)
{
    if (s->pickle == NULL)
        return false;
    for (size_t i = 0; i < s->pickle->ntags; i++)
        if (strcmp(s->pickle->tags[i], tag) == 0)
            return true;
    return false;
}

const char *lb_step_uri(const struct lb_step *s)
{
    return s->pickle != NULL ? s->pickle->uri : "";
}
