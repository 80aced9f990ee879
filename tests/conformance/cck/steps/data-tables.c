/* CCK sample data-tables: data-tables.ts in C. */
#include <stdlib.h>
#include <string.h>

#include <logos_bdd/step.h>

/* A transposed copy of a table: cells[col * rows + row]. */
struct transposed {
    size_t rows, cols; /* of the original */
    const char **cells;
};

static void transposed_free(void *p)
{
    struct transposed *t = p;
    free(t->cells);
    free(t);
}

static int transpose(struct lb_step *s)
{
    const struct lb_table *t = lb_step_table(s);
    struct transposed *tr = calloc(1, sizeof(*tr));
    tr->rows = lb_table_rows(t);
    tr->cols = lb_table_cols(t);
    tr->cells = calloc(tr->rows * tr->cols + 1, sizeof(char *));
    for (size_t r = 0; r < tr->rows; r++)
        for (size_t c = 0; c < tr->cols; c++)
            tr->cells[c * tr->rows + r] = lb_table_cell(t, r, c);
    lb_world_set(s, "transposed", tr, transposed_free);
    return 0;
}
LB_STEP("the following table is transposed:", transpose);

static int it_should_be(struct lb_step *s)
{
    const struct lb_table *want = lb_step_table(s);
    struct transposed *tr = lb_world_get(s, "transposed");
    if (tr == NULL)
        return lb_step_fail(s, "no table was transposed");
    if (lb_table_rows(want) != tr->cols || lb_table_cols(want) != tr->rows)
        return lb_step_fail(s,
                            "expected a %zux%zu table, got %zux%zu",
                            lb_table_rows(want),
                            lb_table_cols(want),
                            tr->cols,
                            tr->rows);
    for (size_t r = 0; r < tr->cols; r++)
        for (size_t c = 0; c < tr->rows; c++)
            if (strcmp(lb_table_cell(want, r, c), tr->cells[r * tr->rows + c]))
                return lb_step_fail(s,
                                    "cell %zu,%zu: expected '%s', got '%s'",
                                    r,
                                    c,
                                    lb_table_cell(want, r, c),
                                    tr->cells[r * tr->rows + c]);
    return 0;
}
LB_STEP("it should be:", it_should_be);
