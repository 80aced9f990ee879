/*
 * Parameter types of Cucumber Expressions: the registry of built-in and
 * custom types ({int}, {string}, {flight}, ...), the lookup by name (for
 * Cucumber Expressions) and by regexp (for the capture groups of regular
 * expressions), and the conversions the built-in transformers do.
 *
 * The behaviour is that of the official cucumber-expressions library
 * (ParameterTypeRegistry, defineDefaultParameterTypes, ParameterType).
 */
#ifndef LB_ENGINE_PARAMETER_TYPE_H
#define LB_ENGINE_PARAMETER_TYPE_H

#include <stdbool.h>
#include <stddef.h>

struct lb_buf;
struct lb_error;

/* Which transformer a parameter type has. */
enum lb_param_kind {
    LB_PARAM_CUSTOM = 0, /* defined by a user; `user` holds its transformer */
    LB_PARAM_INT,        /* {int} {long} {short} {byte}: long long */
    LB_PARAM_BIGINTEGER, /* {biginteger} (alias {bigint}): decimal text */
    LB_PARAM_FLOAT,      /* {float} {double}: double */
    LB_PARAM_BIGDECIMAL, /* {bigdecimal}: decimal text */
    LB_PARAM_WORD,       /* {word}: the text */
    LB_PARAM_STRING,     /* {string}: quotes stripped, \" and \' unescaped */
    LB_PARAM_ANONYMOUS,  /* {}: the text */
    LB_PARAM_REGEX_GROUP /* a regex capture group of no registered type */
};

/*
 * One parameter type. Owned by its registry; pointers stay valid until the
 * registry is freed. All strings are NUL-terminated UTF-8.
 */
struct lb_param_type {
    const char *name;             /* "" for the anonymous type {} */
    const char *const *regexps;   /* `regexp_count` regexps, at least one */
    size_t regexp_count;          /* as written (PCRE2 syntax) */
    enum lb_param_kind kind;      /* the transformer */
    bool prefer_for_regexp_match; /* wins a regexp shared with other types */
    bool use_for_snippets;        /* offered by the snippet generator */
    bool builtin;                 /* one of the built-ins */
    void *user;                   /* custom types: the definer's pointer */
    const char *file;             /* where it was defined ("" if unknown) */
    int line;                     /* 0 if unknown */
    size_t index;                 /* position in definition order */
};

/* What lb_param_registry_define() needs to define a custom type. */
struct lb_param_type_def {
    const char *name;           /* required; may not contain {}()\/[]$.|?*+ */
    const char *const *regexps; /* required, `regexp_count` >= 1 */
    size_t regexp_count;
    bool prefer_for_regexp_match; /* official default false */
    bool use_for_snippets;        /* official default true: set it */
    void *user;                   /* borrowed; never freed by the registry */
    const char *file;             /* may be NULL; copied */
    int line;
};

struct lb_param_registry;

/*
 * A new registry holding the built-ins, with their official regexps:
 *   int, long, short, byte, biginteger  -?\d+  and  \d+
 *   float, double, bigdecimal           (?=.*\d.*)[-+]?\d*(?:\.(?=\d.*))?\d*
 *                                        (?:\d+[E][+-]?\d+)?
 *   word                                 [^\s]+
 *   string        "([^"\\]*(\\.[^"\\]*)*)"|'([^'\\]*(\\.[^'\\]*)*)'
 *   (anonymous)                          .*
 * plus `bigint` as an alias of biginteger. Preferential for regexp match:
 * int and the anonymous type; used for snippets: int, float, string.
 * The caller owns the result (lb_param_registry_free). NULL on OOM.
 */
struct lb_param_registry *lb_param_registry_new(void);

/* Frees the registry and its types. NULL is a no-op. */
void lb_param_registry_free(struct lb_param_registry *reg);

/*
 * Defines a custom parameter type. Every regexp must compile with PCRE2
 * (UTF mode). Errors (LB_EINVAL, message as the official library words it,
 * with `def->file:def->line` in `err` when given):
 *   "There is already a parameter type with name NAME",
 *   "The anonymous parameter type has already been defined",
 *   "Illegal character in parameter name {NAME}. Parameter names may not
 *    contain '{', '}', '(', ')', '\' or '/'",
 *   "There can only be one preferential parameter type per regexp. The
 *    regexp /R/ is used for two preferential parameter types, {A} and {B}",
 *   "parameter type 'NAME' regexp 'R' does not compile: MSG at offset N".
 * `*out` (may be NULL) receives the new type, owned by the registry.
 */
int lb_param_registry_define(struct lb_param_registry *reg,
                             const struct lb_param_type_def *def,
                             const struct lb_param_type **out,
                             struct lb_error *err);

/* The type named `name` ("" is the anonymous type), or NULL. */
const struct lb_param_type *
lb_param_registry_lookup(const struct lb_param_registry *reg, const char *name);

/*
 * The types whose regexps include exactly `regexp`, preferential first then
 * by name (the official order). `*count` receives how many; the array is
 * owned by the registry and valid until the next define. NULL when none.
 * A regex capture group gets types[0] when count == 1 or types[0] is
 * preferential; otherwise the lookup is ambiguous (see
 * cucumber_expression.h).
 */
const struct lb_param_type *const *lb_param_registry_lookup_by_regexp(
    const struct lb_param_registry *reg, const char *regexp, size_t *count);

/* Number of types, and the i-th in definition order (built-ins first). */
size_t lb_param_registry_count(const struct lb_param_registry *reg);
const struct lb_param_type *
lb_param_registry_at(const struct lb_param_registry *reg, size_t i);

/*
 * Conversions of the built-in transformers. `text` is `len` bytes (the
 * group's value). Errors name the value, e.g.
 * "cannot convert '99999999999999999999' to int: out of range".
 */

/* Decimal integer with optional sign, whole text, in long long range. */
int lb_param_parse_int(const char *text,
                       size_t len,
                       long long *out,
                       struct lb_error *err);

/* A float as JavaScript parseFloat reads it ("1.5", "-.5", "1E3", ".5"). */
int lb_param_parse_double(const char *text,
                          size_t len,
                          double *out,
                          struct lb_error *err);

/*
 * The {string} transformer on a whole match such as "\"a \\\"b\\\"\"" or
 * "'it\\'s'": strips the quotes and unescapes \" and \' (nothing else), as
 * the official transformer does. Appends to `out`. Fails when `text` is not
 * quoted.
 */
int lb_param_unquote_string(const char *text,
                            size_t len,
                            struct lb_buf *out,
                            struct lb_error *err);

#endif
