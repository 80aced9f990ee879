/* CCK sample parameter-types: parameter-types.ts in C. */
#include <stdlib.h>
#include <string.h>

#include <logos_bdd/step.h>

struct flight {
    char from[4];
    char to[4];
};

static void *flight_new(const char *const *groups,
                        size_t count,
                        void (**free_fn)(void *),
                        const char **error)
{
    if (count != 2 || groups[0] == NULL || groups[1] == NULL) {
        *error = "a flight needs two airports";
        return NULL;
    }
    struct flight *f = calloc(1, sizeof(*f));
    strncpy(f->from, groups[0], 3);
    strncpy(f->to, groups[1], 3);
    *free_fn = free;
    return f;
}
LB_PARAMETER_TYPE("flight", "([A-Z]{3})-([A-Z]{3})", flight_new);

static int delayed(struct lb_step *s)
{
    const struct flight *f = lb_step_arg_value(s, 0);
    if (f == NULL)
        return lb_step_fail(s, "no flight");
    if (strcmp(f->from, "LHR") != 0 || strcmp(f->to, "CDG") != 0)
        return lb_step_fail(s, "expected LHR-CDG, got %s-%s", f->from, f->to);
    return 0;
}
LB_STEP("{flight} has been delayed", delayed);
