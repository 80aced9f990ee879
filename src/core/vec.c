/* Growth of the typed arrays of vec.h. */
#include "core/vec.h"

#include <stdint.h>

#include "core/error.h"

int lb__vec_reserve(void **items, size_t *cap, size_t need, size_t item_size)
{
    size_t n;
    void *p;

    if (need <= *cap)
        return 0;
    n = *cap ? *cap : 4;
    while (n < need) {
        if (n > SIZE_MAX / 2 / item_size)
            return LB_ENOMEM;
        n *= 2;
    }
    p = lb_realloc(*items, n * item_size);
    if (p == NULL)
        return LB_ENOMEM;
    *items = p;
    *cap = n;
    return 0;
}
