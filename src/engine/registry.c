/* The step registry: see registry.h. */
#include "engine/registry.h"

#include "core/error.h"

static struct lb_registry global_registry;
static const char *current_origin;

void lb_registry_set_origin(const char *origin)
{
    current_origin = origin;
}

void lb_registry_drop_builtin(struct lb_registry *r)
{
    struct lb_registry kept = {0};
    for (size_t k = 0; k < r->order.len; k++) {
        struct lb_def_ref ref = r->order.items[k];
        if (ref.type == LB_DEF_STEP && r->steps.items[ref.index].origin != NULL)
            lb_registry_add_step(&kept, &r->steps.items[ref.index]);
        else if (ref.type == LB_DEF_HOOK &&
                 r->hooks.items[ref.index].origin != NULL)
            lb_registry_add_hook(&kept, &r->hooks.items[ref.index]);
        else if (ref.type == LB_DEF_PARAM &&
                 r->params.items[ref.index].origin != NULL)
            lb_registry_add_param(&kept, &r->params.items[ref.index]);
    }
    lb_registry_release(r);
    *r = kept;
}

struct lb_registry *lb_registry_global(void)
{
    return &global_registry;
}

static void add_ref(struct lb_registry *r, enum lb_def_type type, size_t i)
{
    struct lb_def_ref ref = {type, i};
    if (lb_vec_push(&r->order, ref) != 0)
        LB_BUG("out of memory registering a definition");
}

void lb_registry_add_step(struct lb_registry *r, const struct lb_stepdef *d)
{
    if (lb_vec_push(&r->steps, *d) != 0)
        LB_BUG("out of memory registering step '%s'", d->pattern);
    add_ref(r, LB_DEF_STEP, r->steps.len - 1);
}

void lb_registry_add_hook(struct lb_registry *r, const struct lb_hookdef *d)
{
    if (lb_vec_push(&r->hooks, *d) != 0)
        LB_BUG("out of memory registering a hook");
    add_ref(r, LB_DEF_HOOK, r->hooks.len - 1);
}

void lb_registry_add_param(struct lb_registry *r, const struct lb_paramdef *d)
{
    if (lb_vec_push(&r->params, *d) != 0)
        LB_BUG("out of memory registering parameter type '%s'", d->name);
    add_ref(r, LB_DEF_PARAM, r->params.len - 1);
}

void lb_registry_release(struct lb_registry *r)
{
    lb_vec_release(&r->steps);
    lb_vec_release(&r->hooks);
    lb_vec_release(&r->params);
    lb_vec_release(&r->order);
}

/* The public registration entry points of <logos_bdd/step.h>. */

void lb_step_register(const char *pattern,
                      enum lb_pattern_kind kind,
                      lb_step_fn fn,
                      const char *file,
                      int line)
{
    struct lb_stepdef d = {pattern, kind, fn, file, line, current_origin};
    lb_registry_add_step(&global_registry, &d);
}

void lb_hook_register(enum lb_hook_kind kind,
                      lb_step_fn fn,
                      const char *file,
                      int line,
                      const struct lb_hook_opts *opts)
{
    struct lb_hookdef d = {kind, fn, file, line, NULL, NULL, 0, current_origin};
    if (opts != NULL) {
        d.name = opts->name;
        d.tags = opts->tags;
        d.order = opts->order;
    }
    lb_registry_add_hook(&global_registry, &d);
}

void lb_param_type_register(const char *name,
                            const char *regexp,
                            lb_param_transform_fn transform,
                            const char *file,
                            int line,
                            const struct lb_param_opts *opts)
{
    struct lb_paramdef d = {
        name, regexp, transform, file, line, true, false, current_origin};
    if (opts != NULL) {
        d.use_for_snippets = !opts->no_snippets;
        d.prefer_for_regexp_match = opts->prefer_for_regexp_match;
    }
    lb_registry_add_param(&global_registry, &d);
}
