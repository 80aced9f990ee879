/*
 * Tag expressions ("@smoke and not (@slow or @wip)") exactly as Cucumber's
 * tag-expressions library: operators `and`, `or`, `not`, parentheses,
 * backslash escapes ("\(", "\)", "\\", "\ "), precedence not > and > or
 * (binary operators left-associative), evaluation against a set of tags,
 * the canonical string form, and the official error messages.
 */
#ifndef LB_ENGINE_TAG_EXPRESSION_H
#define LB_ENGINE_TAG_EXPRESSION_H

#include <stdbool.h>
#include <stddef.h>

struct lb_buf;
struct lb_error;

struct lb_tag_expr;

/*
 * Parses `text`. An empty (or blank) expression is "true" and matches
 * everything. On success `*out` is owned by the caller (lb_tag_expr_free).
 * On a malformed expression returns LB_EPARSE with the official message
 * in `err->msg`, e.g.
 *   Tag expression "@a @b" could not be parsed because of syntax error:
 *   Expected operator.
 * (one line), and the others: "Expected operand.", "Unmatched ).",
 * "Unmatched (.", "Illegal escape before \"y\".", and the comma message
 * ("An invalid tag combination operator was detected. ...").
 */
int lb_tag_expr_parse(struct lb_tag_expr **out,
                      const char *text,
                      struct lb_error *err);

/* Frees an expression. NULL is a no-op. */
void lb_tag_expr_free(struct lb_tag_expr *e);

/*
 * True when the tags (`count` NUL-terminated names with their '@', e.g. a
 * pickle's tags) satisfy the expression. Tags are compared exactly.
 */
bool lb_tag_expr_eval(const struct lb_tag_expr *e,
                      const char *const *tags,
                      size_t count);

/*
 * Appends the official canonical form to `out`: "( @a and @b )",
 * "not ( @a )", "not ( @a or @b )", "true"; tag names re-escaped
 * ("@a\(1\)", "@x\ y").
 */
int lb_tag_expr_to_string(const struct lb_tag_expr *e, struct lb_buf *out);

/* The text it was parsed from; owned by `e`. */
const char *lb_tag_expr_source(const struct lb_tag_expr *e);

#endif
