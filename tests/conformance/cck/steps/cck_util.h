/* Helpers shared by the CCK step libraries. */
#ifndef CCK_UTIL_H
#define CCK_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <logos_bdd/step.h>

/* Attaches the file at `path` (relative to the run's folder, which holds
 * `samples/`); fails the step when it cannot be read. */
static inline int cck_attach_file(struct lb_step *s,
                                  const char *path,
                                  const char *media_type,
                                  const char *name)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return lb_step_fail(s, "cannot open '%s'", path);
    char *data = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[8192];
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (len + n > cap) {
            cap = (len + n) * 2;
            char *grown = realloc(data, cap);
            if (grown == NULL) {
                free(data);
                (void)fclose(f);
                return lb_step_fail(s, "out of memory reading '%s'", path);
            }
            data = grown;
        }
        memcpy(data + len, chunk, n);
        len += n;
    }
    (void)fclose(f);
    lb_step_attach(s, data, len, media_type, name);
    free(data);
    return 0;
}

/* The message of node's assert.strictEqual for two numbers. */
static inline int
cck_strict_equal(struct lb_step *s, long long actual, long long expected)
{
    if (actual == expected)
        return 0;
    return lb_step_fail(s,
                        "Expected values to be strictly equal:\n\n%lld !== "
                        "%lld\n",
                        actual,
                        expected);
}

#endif
