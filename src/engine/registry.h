/*
 * The step registry: step definitions, hooks and parameter types as they
 * were registered (by the LB_STEP/LB_HOOK/LB_PARAMETER_TYPE constructors of
 * the executable and of --require libraries, or directly by tests).
 *
 * Registration may run before main(), so the global registry is plain
 * static storage that needs no initialisation. Every entry keeps its
 * registration sequence number: reports list definitions in that order.
 */
#ifndef LB_ENGINE_REGISTRY_H
#define LB_ENGINE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/vec.h"
#include <logos_bdd/step.h>

enum lb_def_type { LB_DEF_STEP, LB_DEF_HOOK, LB_DEF_PARAM };

struct lb_stepdef {
    const char *pattern; /* borrowed: a string literal of the registrant */
    enum lb_pattern_kind kind;
    lb_step_fn fn;
    const char *file;
    int line;
    const char *origin; /* the --require library, NULL when linked in */
};

struct lb_hookdef {
    enum lb_hook_kind kind;
    lb_step_fn fn;
    const char *file;
    int line;
    const char *name; /* NULL when unnamed */
    const char *tags; /* NULL when unfiltered */
    int order;
    const char *origin; /* the --require library, NULL when linked in */
};

struct lb_paramdef {
    const char *name;
    const char *regexp;
    lb_param_transform_fn transform;
    const char *file;
    int line;
    bool use_for_snippets;
    bool prefer_for_regexp_match;
    const char *origin; /* the --require library, NULL when linked in */
};

/* One entry of the definition order: which vector and which index. */
struct lb_def_ref {
    enum lb_def_type type;
    size_t index;
};

struct lb_registry {
    LB_VEC(struct lb_stepdef) steps;
    LB_VEC(struct lb_hookdef) hooks;
    LB_VEC(struct lb_paramdef) params;
    LB_VEC(struct lb_def_ref) order; /* every definition, in order */
};

/* The process-wide registry the macros fill (never NULL). */
struct lb_registry *lb_registry_global(void);

/* Adding to a registry; out of memory aborts (registration has no caller
 * to report to). The strings are borrowed and must outlive the registry. */
void lb_registry_add_step(struct lb_registry *r, const struct lb_stepdef *d);
void lb_registry_add_hook(struct lb_registry *r, const struct lb_hookdef *d);
void lb_registry_add_param(struct lb_registry *r, const struct lb_paramdef *d);

/*
 * The origin the registration macros record from now on: the path of the
 * library being loaded (borrowed; it must outlive the registry), or NULL
 * for definitions linked into the executable.
 */
void lb_registry_set_origin(const char *origin);

/* Removes every definition linked into the executable (origin NULL), so a
 * run uses only its --require libraries. */
void lb_registry_drop_builtin(struct lb_registry *r);

/* Frees the vectors (not the borrowed strings); the registry is empty. */
void lb_registry_release(struct lb_registry *r);

#endif
