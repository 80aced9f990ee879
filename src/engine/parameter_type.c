/*
 * The parameter type registry and the built-in transformers (see
 * parameter_type.h), after the official ParameterTypeRegistry.
 */
#include "engine/parameter_type.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/vec.h"
#include "engine/expr_internal.h"

/* All the types sharing one regexp, in the official order. */
struct by_regexp {
    const char *regexp; /* borrowed from the first type that has it */
    LB_VEC(const struct lb_param_type *) types;
};

struct lb_param_registry {
    LB_VEC(struct lb_param_type *) types;
    LB_VEC(struct by_regexp) by_regexp;
};

#define INT_RE1 "-?\\d+"
#define INT_RE2 "\\d+"
#define FLOAT_RE \
    "(?=.*\\d.*)[-+]?\\d*(?:\\.(?=\\d.*))?\\d*(?:\\d+[E][+-]?\\d+)?"
#define WORD_RE "[^\\s]+"
#define STRING_RE \
    "\"([^\"\\\\]*(\\\\.[^\"\\\\]*)*)\"|'([^'\\\\]*(\\\\.[^'\\\\]*)*)'"
#define ANON_RE ".*"

static const char *const int_res[] = {INT_RE1, INT_RE2};
static const char *const float_res[] = {FLOAT_RE};
static const char *const word_res[] = {WORD_RE};
static const char *const string_res[] = {STRING_RE};
static const char *const anon_res[] = {ANON_RE};

/* The built-ins in the official definition order (bigint is ours). */
static const struct builtin {
    const char *name;
    const char *const *regexps;
    size_t count;
    enum lb_param_kind kind;
    bool use_for_snippets;
    bool prefer;
} builtins[] = {
    {"int", int_res, 2, LB_PARAM_INT, true, true},
    {"float", float_res, 1, LB_PARAM_FLOAT, true, false},
    {"word", word_res, 1, LB_PARAM_WORD, false, false},
    {"string", string_res, 1, LB_PARAM_STRING, true, false},
    {"", anon_res, 1, LB_PARAM_ANONYMOUS, false, true},
    {"double", float_res, 1, LB_PARAM_FLOAT, false, false},
    {"bigdecimal", float_res, 1, LB_PARAM_BIGDECIMAL, false, false},
    {"byte", int_res, 2, LB_PARAM_INT, false, false},
    {"short", int_res, 2, LB_PARAM_INT, false, false},
    {"long", int_res, 2, LB_PARAM_INT, false, false},
    {"biginteger", int_res, 2, LB_PARAM_BIGINTEGER, false, false},
    {"bigint", int_res, 2, LB_PARAM_BIGINTEGER, false, false},
};

static void type_free(struct lb_param_type *t)
{
    size_t i;

    if (t == NULL)
        return;
    for (i = 0; t->regexps != NULL && i < t->regexp_count; i++)
        lb_free((char *)t->regexps[i]);
    lb_free((void *)t->regexps);
    lb_free((char *)t->name);
    lb_free((char *)t->file);
    lb_free(t);
}

void lb_param_registry_free(struct lb_param_registry *reg)
{
    size_t i;

    if (reg == NULL)
        return;
    for (i = 0; i < reg->types.len; i++)
        type_free(reg->types.items[i]);
    lb_vec_release(&reg->types);
    for (i = 0; i < reg->by_regexp.len; i++)
        lb_vec_release(&reg->by_regexp.items[i].types);
    lb_vec_release(&reg->by_regexp);
    lb_free(reg);
}

/* ParameterType.compare: preferential first, then by name. */
static int type_compare(const struct lb_param_type *a,
                        const struct lb_param_type *b)
{
    int c;

    if (a->prefer_for_regexp_match && !b->prefer_for_regexp_match)
        return -1;
    if (b->prefer_for_regexp_match && !a->prefer_for_regexp_match)
        return 1;
    /* localeCompare puts "a" before "B": compare case-insensitively first */
    c = strcasecmp(a->name ? a->name : "", b->name ? b->name : "");
    return c != 0 ? c : strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

static struct by_regexp *find_regexp(const struct lb_param_registry *reg,
                                     const char *regexp)
{
    size_t i;

    for (i = 0; i < reg->by_regexp.len; i++)
        if (strcmp(reg->by_regexp.items[i].regexp, regexp) == 0)
            return &reg->by_regexp.items[i];
    return NULL;
}

/*
 * Checks the official rule "one preferential type per regexp" for every
 * regexp of `t` before anything is changed, so a refused type leaves the
 * registry as it was.
 */
static int check_preferential(const struct lb_param_registry *reg,
                              const struct lb_param_type *t,
                              struct lb_error *err)
{
    const struct by_regexp *br;
    size_t i;

    if (!t->prefer_for_regexp_match)
        return 0;
    for (i = 0; i < t->regexp_count; i++) {
        br = find_regexp(reg, t->regexps[i]);
        if (br != NULL && br->types.len > 0 &&
            br->types.items[0]->prefer_for_regexp_match)
            return lb_error_set_at(
                err,
                LB_EINVAL,
                t->file,
                t->line,
                0,
                "There can only be one preferential parameter type per "
                "regexp. The regexp /%s/ is used for two preferential "
                "parameter types, {%s} and {%s}",
                t->regexps[i],
                br->types.items[0]->name,
                t->name);
    }
    return 0;
}

static int index_regexps(struct lb_param_registry *reg,
                         const struct lb_param_type *t)
{
    struct by_regexp *br;
    struct by_regexp fresh;
    size_t i, j;

    for (i = 0; i < t->regexp_count; i++) {
        br = find_regexp(reg, t->regexps[i]);
        if (br == NULL) {
            memset(&fresh, 0, sizeof(fresh));
            fresh.regexp = t->regexps[i];
            if (lb_vec_push(&reg->by_regexp, fresh) != 0)
                return LB_ENOMEM;
            br = &reg->by_regexp.items[reg->by_regexp.len - 1];
        }
        for (j = 0; j < br->types.len; j++)
            if (br->types.items[j] == t)
                break;
        if (j < br->types.len)
            continue;
        if (lb_vec_push(&br->types, t) != 0)
            return LB_ENOMEM;
        /* insertion sort keeps the official order */
        for (j = br->types.len - 1;
             j > 0 && type_compare(br->types.items[j - 1], t) > 0;
             j--)
        {
            br->types.items[j] = br->types.items[j - 1];
            br->types.items[j - 1] = t;
        }
    }
    return 0;
}

static struct lb_param_type *type_new(const char *name,
                                      const char *const *regexps,
                                      size_t count,
                                      const char *file,
                                      int line)
{
    struct lb_param_type *t;
    const char **res;
    size_t i;

    t = lb_calloc(1, sizeof(*t));
    if (t == NULL)
        return NULL;
    res = lb_calloc(count, sizeof(*res));
    t->regexps = res;
    t->name = lb_strdup(name);
    t->file = lb_strdup(file != NULL ? file : "");
    t->line = line;
    if (res == NULL || t->name == NULL || t->file == NULL)
        goto oom;
    t->regexp_count = count;
    for (i = 0; i < count; i++) {
        res[i] = lb_strdup(regexps[i]);
        if (res[i] == NULL)
            goto oom;
    }
    return t;
oom:
    type_free(t);
    return NULL;
}

/* Adds `t` (taken) to the registry; on failure `t` is freed. */
static int add_type(struct lb_param_registry *reg,
                    struct lb_param_type *t,
                    struct lb_error *err)
{
    int rc;

    rc = check_preferential(reg, t, err);
    if (rc != 0)
        goto fail;
    t->index = reg->types.len;
    if (lb_vec_push(&reg->types, t) != 0) {
        rc = lb_error_set(err, LB_ENOMEM, "out of memory");
        goto fail;
    }
    rc = index_regexps(reg, t);
    if (rc != 0) {
        /* the type stays registered by name; only its index is partial */
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    return 0;
fail:
    type_free(t);
    return rc;
}

struct lb_param_registry *lb_param_registry_new(void)
{
    struct lb_param_registry *reg;
    struct lb_param_type *t;
    const struct builtin *b;
    size_t i;

    reg = lb_calloc(1, sizeof(*reg));
    if (reg == NULL)
        return NULL;
    for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        b = &builtins[i];
        t = type_new(b->name, b->regexps, b->count, NULL, 0);
        if (t == NULL)
            goto oom;
        t->kind = b->kind;
        t->builtin = true;
        t->use_for_snippets = b->use_for_snippets;
        t->prefer_for_regexp_match = b->prefer;
        if (add_type(reg, t, NULL) != 0)
            goto oom;
    }
    return reg;
oom:
    lb_param_registry_free(reg);
    return NULL;
}

/*
 * The official name check: Java's set ({ } ( ) \ /) and JavaScript's
 * ([ ] ( ) $ . | ? * +) together, since either breaks an expression.
 */
static bool valid_name(const char *name)
{
    return strpbrk(name, "{}()\\/[]$.|?*+") == NULL;
}

int lb_param_registry_define(struct lb_param_registry *reg,
                             const struct lb_param_type_def *def,
                             const struct lb_param_type **out,
                             struct lb_error *err)
{
    pcre2_general_context *gctx = NULL;
    pcre2_code *code;
    struct lb_param_type *t = NULL;
    char msg[256];
    size_t i, off;
    int rc;

    LB_ASSERT(reg != NULL && def != NULL);
    if (def->name == NULL || def->regexps == NULL || def->regexp_count == 0)
        return lb_error_set_at(err,
                               LB_EINVAL,
                               def->file,
                               def->line,
                               0,
                               "parameter type needs a name and a regexp");
    if (!valid_name(def->name))
        return lb_error_set_at(
            err,
            LB_EINVAL,
            def->file,
            def->line,
            0,
            "Illegal character in parameter name {%s}. Parameter names may "
            "not contain '{', '}', '(', ')', '\\' or '/'",
            def->name);
    if (lb_param_registry_lookup(reg, def->name) != NULL) {
        if (def->name[0] == '\0')
            return lb_error_set_at(
                err,
                LB_EINVAL,
                def->file,
                def->line,
                0,
                "The anonymous parameter type has already been defined");
        return lb_error_set_at(err,
                               LB_EINVAL,
                               def->file,
                               def->line,
                               0,
                               "There is already a parameter type with name %s",
                               def->name);
    }
    gctx = lb__pcre2_gctx_new();
    if (gctx == NULL)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    for (i = 0; i < def->regexp_count; i++) {
        code = lb__pcre2_compile(def->regexps[i],
                                 strlen(def->regexps[i]),
                                 gctx,
                                 msg,
                                 sizeof(msg),
                                 &off);
        if (code == NULL) {
            rc = lb_error_set_at(err,
                                 off == SIZE_MAX ? LB_ENOMEM : LB_EINVAL,
                                 def->file,
                                 def->line,
                                 0,
                                 "parameter type '%s' regexp '%s' does not "
                                 "compile: %s at offset %zu",
                                 def->name,
                                 def->regexps[i],
                                 msg,
                                 off == SIZE_MAX ? (size_t)0 : off);
            goto out;
        }
        pcre2_code_free(code);
    }
    t = type_new(
        def->name, def->regexps, def->regexp_count, def->file, def->line);
    if (t == NULL) {
        rc = lb_error_set(err, LB_ENOMEM, "out of memory");
        goto out;
    }
    t->kind = LB_PARAM_CUSTOM;
    t->prefer_for_regexp_match = def->prefer_for_regexp_match;
    t->use_for_snippets = def->use_for_snippets;
    t->user = def->user;
    rc = add_type(reg, t, err);
    if (rc == 0 && out != NULL)
        *out = t;
out:
    pcre2_general_context_free(gctx);
    return rc;
}

const struct lb_param_type *
lb_param_registry_lookup(const struct lb_param_registry *reg, const char *name)
{
    size_t i;

    for (i = 0; i < reg->types.len; i++)
        if (strcmp(reg->types.items[i]->name, name) == 0)
            return reg->types.items[i];
    return NULL;
}

const struct lb_param_type *const *lb_param_registry_lookup_by_regexp(
    const struct lb_param_registry *reg, const char *regexp, size_t *count)
{
    const struct by_regexp *br = find_regexp(reg, regexp);

    *count = br != NULL ? br->types.len : 0;
    return br != NULL && br->types.len > 0 ? br->types.items : NULL;
}

size_t lb_param_registry_count(const struct lb_param_registry *reg)
{
    return reg->types.len;
}

const struct lb_param_type *
lb_param_registry_at(const struct lb_param_registry *reg, size_t i)
{
    return i < reg->types.len ? reg->types.items[i] : NULL;
}

/* Copies `len` bytes into `tmp` (NUL-terminated); false when too long. */
static bool copy_small(char *tmp, size_t size, const char *text, size_t len)
{
    if (len >= size)
        return false;
    memcpy(tmp, text, len);
    tmp[len] = '\0';
    return true;
}

int lb_param_parse_int(const char *text,
                       size_t len,
                       long long *out,
                       struct lb_error *err)
{
    char tmp[64];
    char *end;
    long long v;
    size_t i = 0;

    if (len > 0 && (text[0] == '-' || text[0] == '+'))
        i = 1;
    if (i == len)
        goto bad;
    for (; i < len; i++)
        if (text[i] < '0' || text[i] > '9')
            goto bad;
    if (!copy_small(tmp, sizeof(tmp), text, len))
        goto range;
    errno = 0;
    v = strtoll(tmp, &end, 10);
    if (errno == ERANGE)
        goto range;
    *out = v;
    return 0;
bad:
    return lb_error_set(err,
                        LB_EINVAL,
                        "cannot convert '%.*s' to int: not an integer",
                        (int)(len > 200 ? 200 : len),
                        text);
range:
    return lb_error_set(err,
                        LB_EINVAL,
                        "cannot convert '%.*s' to int: out of range",
                        (int)(len > 200 ? 200 : len),
                        text);
}

int lb_param_parse_double(const char *text,
                          size_t len,
                          double *out,
                          struct lb_error *err)
{
    char tmp[128];
    char *end;
    double v;
    size_t n = 0;

    /*
     * parseFloat reads the longest decimal prefix; strtod would also take
     * hex, "inf" and "nan", which JavaScript does not: cut them off.
     */
    while (n < len && strchr("0123456789+-.eE", text[n]) != NULL)
        n++;
    if (n == 0 || !copy_small(tmp, sizeof(tmp), text, n))
        goto bad;
    v = strtod(tmp, &end);
    if (end == tmp)
        goto bad;
    *out = v;
    return 0;
bad:
    return lb_error_set(err,
                        LB_EINVAL,
                        "cannot convert '%.*s' to float: not a number",
                        (int)(len > 200 ? 200 : len),
                        text);
}

int lb_param_unquote_string(const char *text,
                            size_t len,
                            struct lb_buf *out,
                            struct lb_error *err)
{
    size_t i;

    if (len < 2 || (text[0] != '"' && text[0] != '\'') ||
        text[len - 1] != text[0])
        return lb_error_set(err,
                            LB_EINVAL,
                            "cannot convert '%.*s' to string: not quoted",
                            (int)(len > 200 ? 200 : len),
                            text);
    /* the official transformer replaces \" and \' only */
    for (i = 1; i < len - 1; i++) {
        if (text[i] == '\\' && i + 1 < len - 1 &&
            (text[i + 1] == '"' || text[i + 1] == '\''))
            i++;
        if (lb_buf_addch(out, text[i]) != 0)
            return lb_error_set(err, LB_ETOOBIG, "string value too long");
    }
    return 0;
}

/* PCRE2's allocator callbacks: the project's hook. */
static void *pcre2_malloc_hook(size_t size, void *data)
{
    (void)data;
    return lb_malloc(size);
}

static void pcre2_free_hook(void *ptr, void *data)
{
    (void)data;
    lb_free(ptr);
}

pcre2_general_context *lb__pcre2_gctx_new(void)
{
    return pcre2_general_context_create(
        pcre2_malloc_hook, pcre2_free_hook, NULL);
}

pcre2_code *lb__pcre2_compile(const char *pattern,
                              size_t len,
                              pcre2_general_context *gctx,
                              char *msg,
                              size_t msg_size,
                              size_t *offset)
{
    pcre2_compile_context *cctx;
    pcre2_code *code;
    PCRE2_SIZE off = 0;
    int errcode = 0;

    cctx = pcre2_compile_context_create(gctx);
    if (cctx == NULL)
        goto oom;
    code = pcre2_compile(
        (PCRE2_SPTR)pattern, len, LB__EXPR_PCRE2_OPTIONS, &errcode, &off, cctx);
    pcre2_compile_context_free(cctx);
    if (code == NULL) {
        if (errcode == PCRE2_ERROR_HEAPLIMIT || errcode == PCRE2_ERROR_NOMEMORY)
            goto oom;
        if (pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg, msg_size) < 0)
            (void)snprintf(msg, msg_size, "pcre2 error %d", errcode);
        *offset = off;
        return NULL;
    }
    /* without JIT (not built in, or no memory for it) PCRE2 interprets */
    (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    return code;
oom:
    (void)snprintf(msg, msg_size, "out of memory");
    *offset = SIZE_MAX;
    return NULL;
}

size_t lb__utf16_len(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i, n = 0;

    /* every code point is one unit, those above U+FFFF (4 bytes) two */
    for (i = 0; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            n++;
        if (p[i] >= 0xF0)
            n++;
    }
    return n;
}
