/*
 * Typed growable arrays. Declare with LB_VEC(type) as a member or variable,
 * zero-initialise ({0}), push, read `items[0..len)`, release.
 *
 *     LB_VEC(int) v = {0};
 *     int *it;
 *     if (lb_vec_push(&v, 42) != 0) ...out of memory...
 *     lb_vec_for_each(&v, it) printf("%d\n", *it);
 *     lb_vec_release(&v);
 *
 * The vector owns `items`; pointers into it are invalidated by a push.
 */
#ifndef LB_CORE_VEC_H
#define LB_CORE_VEC_H

#include <stddef.h>

#include "core/alloc.h"

#define LB_VEC(T)   \
    struct {        \
        T *items;   \
        size_t len; \
        size_t cap; \
    }

/* Ensures room for `need` items in total; 0 or LB_ENOMEM. */
int lb__vec_reserve(void **items, size_t *cap, size_t need, size_t item_size);

#define lb_vec_reserve(v, need) \
    lb__vec_reserve(            \
        (void **)&(v)->items, &(v)->cap, (need), sizeof(*(v)->items))

/* Appends `x`; evaluates to 0, or LB_ENOMEM (the vector is unchanged). */
#define lb_vec_push(v, x)                    \
    (lb_vec_reserve((v), (v)->len + 1) == 0  \
         ? ((v)->items[(v)->len++] = (x), 0) \
         : -20001)

/* Frees the items (not what they point to) and empties the vector. */
#define lb_vec_release(v)        \
    do {                         \
        lb_free((v)->items);     \
        (v)->items = NULL;       \
        (v)->len = (v)->cap = 0; \
    } while (0)

#define lb_vec_for_each(v, it)                                            \
    for ((it) = (v)->items; (it) != NULL && (it) < (v)->items + (v)->len; \
         (it)++)

#endif
