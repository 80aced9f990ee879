/*
 * Gherkin dialects: English built in, any other loaded from a file in the
 * gherkin-languages.json format, and the two i18n tables of the command
 * line.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/vec.h"
#include "gherkin/gherkin.h"
#include "gherkin/internal.h"

struct lb_gherkin_dialects {
    struct lb_arena arena;
    LB_VEC(const struct lb__gh_dialect *) list; /* sorted by code */
};

static const char *const en_feature[] = {"Feature", "Business Need", "Ability"};
static const char *const en_rule[] = {"Rule"};
static const char *const en_background[] = {"Background"};
static const char *const en_scenario[] = {"Example", "Scenario"};
static const char *const en_outline[] = {"Scenario Outline",
                                         "Scenario Template"};
static const char *const en_examples[] = {"Examples", "Scenarios"};
static const char *const en_given[] = {"* ", "Given "};
static const char *const en_when[] = {"* ", "When "};
static const char *const en_then[] = {"* ", "Then "};
static const char *const en_and[] = {"* ", "And "};
static const char *const en_but[] = {"* ", "But "};

#define KW(a)                           \
    {                                   \
        (a), sizeof(a) / sizeof((a)[0]) \
    }

static struct lb__gh_step_kw en_steps[10];
static struct lb__gh_dialect english = {{"en",
                                         "English",
                                         "English",
                                         KW(en_feature),
                                         KW(en_rule),
                                         KW(en_background),
                                         KW(en_scenario),
                                         KW(en_outline),
                                         KW(en_examples),
                                         KW(en_given),
                                         KW(en_when),
                                         KW(en_then),
                                         KW(en_and),
                                         KW(en_but)},
                                        en_steps,
                                        0,
                                        {0}};

/*
 * Step keywords longest first, as the official matcher sorts them: by
 * length in UTF-16 units, stably, so the first keyword of equal length in
 * the order given, when, then, and, but wins. A keyword in several lists
 * has the type Unknown.
 */
static void prepare(struct lb__gh_dialect *d, struct lb__gh_step_kw *steps)
{
    const struct lb_gherkin_keywords *lists[5] = {
        &d->pub.given, &d->pub.when, &d->pub.then, &d->pub.and_, &d->pub.but};
    static const enum lb_gherkin_keyword_type types[5] = {
        LB_GHERKIN_KEYWORD_CONTEXT,
        LB_GHERKIN_KEYWORD_ACTION,
        LB_GHERKIN_KEYWORD_OUTCOME,
        LB_GHERKIN_KEYWORD_CONJUNCTION,
        LB_GHERKIN_KEYWORD_CONJUNCTION};
    const struct lb_gherkin_keywords *titles[6] = {&d->pub.feature,
                                                   &d->pub.rule,
                                                   &d->pub.background,
                                                   &d->pub.scenario,
                                                   &d->pub.scenario_outline,
                                                   &d->pub.examples};
    static const int title_types[6] = {LB__T_FEATURE_LINE,
                                       LB__T_RULE_LINE,
                                       LB__T_BACKGROUND_LINE,
                                       LB__T_SCENARIO_LINE,
                                       LB__T_SCENARIO_LINE,
                                       LB__T_EXAMPLES_LINE};
    size_t n = 0;
    size_t i;
    size_t j;

    for (i = 0; i < 5; i++) {
        for (j = 0; j < lists[i]->len; j++) {
            const char *kw = lists[i]->items[j];
            size_t k;
            bool dup = false;

            for (k = 0; k < n; k++) {
                if (strcmp(steps[k].kw, kw) == 0) {
                    steps[k].type = LB_GHERKIN_KEYWORD_UNKNOWN;
                    dup = true;
                }
            }
            steps[n].kw = kw;
            steps[n].len = strlen(kw);
            steps[n].type = dup ? LB_GHERKIN_KEYWORD_UNKNOWN : types[i];
            n++;
        }
    }
    /* a duplicate keeps the type of its first entry: make all agree */
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            if (strcmp(steps[i].kw, steps[j].kw) == 0 &&
                steps[j].type == LB_GHERKIN_KEYWORD_UNKNOWN)
                steps[i].type = LB_GHERKIN_KEYWORD_UNKNOWN;
    /* stable insertion sort, longest first */
    for (i = 1; i < n; i++) {
        struct lb__gh_step_kw x = steps[i];
        int lx = lb__gh_count_utf16(x.kw, x.len);

        j = i;
        while (j > 0 &&
               lb__gh_count_utf16(steps[j - 1].kw, steps[j - 1].len) < lx) {
            steps[j] = steps[j - 1];
            j--;
        }
        steps[j] = x;
    }
    d->steps = steps;
    d->n_steps = n;
    memset(d->first_types, 0, sizeof(d->first_types));
    d->first_types['#'] = 1u << LB__T_COMMENT | 1u << LB__T_LANGUAGE;
    d->first_types['@'] = 1u << LB__T_TAG_LINE;
    d->first_types['|'] = 1u << LB__T_TABLE_ROW;
    d->first_types['"'] = 1u << LB__T_DOC_STRING_SEPARATOR;
    d->first_types['`'] = 1u << LB__T_DOC_STRING_SEPARATOR;
    for (i = 0; i < n; i++)
        if (steps[i].len > 0)
            d->first_types[(unsigned char)steps[i].kw[0]] |= 1u
                                                             << LB__T_STEP_LINE;
    for (i = 0; i < 6; i++)
        for (j = 0; j < titles[i]->len; j++)
            d->first_types[(unsigned char)titles[i]->items[j][0]] |=
                (uint16_t)(1u << title_types[i]);
}

const struct lb_gherkin_dialect *lb_gherkin_dialect_english(void)
{
    if (english.n_steps == 0)
        prepare(&english, en_steps);
    return &english.pub;
}

const struct lb__gh_dialect *
lb__gh_dialect_of(const struct lb_gherkin_dialect *pub)
{
    return (const struct lb__gh_dialect *)pub;
}

static size_t total_steps(const struct lb_gherkin_dialect *d)
{
    return d->given.len + d->when.len + d->then.len + d->and_.len + d->but.len;
}

/* Inserts or replaces by code, keeping the list sorted. */
static int set_put(struct lb_gherkin_dialects *set,
                   const struct lb__gh_dialect *d)
{
    size_t i;

    for (i = 0; i < set->list.len; i++) {
        int c = strcmp(set->list.items[i]->pub.code, d->pub.code);

        if (c == 0) {
            set->list.items[i] = d;
            return 0;
        }
        if (c > 0)
            break;
    }
    if (lb_vec_push(&set->list, d) != 0)
        return LB_ENOMEM;
    memmove(set->list.items + i + 1,
            set->list.items + i,
            (set->list.len - 1 - i) * sizeof(set->list.items[0]));
    set->list.items[i] = d;
    return 0;
}

int lb_gherkin_dialects_new(struct lb_gherkin_dialects **out,
                            const char *i18n_file,
                            struct lb_error *err)
{
    struct lb_gherkin_dialects *set;
    const char *env = getenv("LOGOS_BDD_GHERKIN_LANGUAGES");
    int rc;

    *out = NULL;
    set = lb_calloc(1, sizeof(*set));
    if (set == NULL)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    lb_arena_init(&set->arena, 0);
    lb_gherkin_dialect_english();
    rc = set_put(set, &english);
    if (rc == 0 && i18n_file == NULL && env != NULL && env[0] != '\0')
        i18n_file = env;
    if (rc == 0 && i18n_file != NULL)
        rc = lb_gherkin_dialects_load_file(set, i18n_file, err);
    else if (rc != 0)
        lb_error_set(err, rc, "out of memory");
    if (rc != 0) {
        lb_gherkin_dialects_free(set);
        return rc;
    }
    *out = set;
    return 0;
}

void lb_gherkin_dialects_free(struct lb_gherkin_dialects *set)
{
    if (set == NULL)
        return;
    lb_vec_release(&set->list);
    lb_arena_release(&set->arena);
    lb_free(set);
}

int lb_gherkin_dialects_load_file(struct lb_gherkin_dialects *set,
                                  const char *path,
                                  struct lb_error *err)
{
    struct lb_buf b = LB_BUF_INIT;
    int rc;

    b.max = 64u << 20;
    rc = lb_buf_read_file(&b, path, err);
    if (rc == 0)
        rc = lb_gherkin_dialects_load_json(set, b.ptr, b.len, path, err);
    lb_buf_release(&b);
    return rc;
}

/* Copies a JSON array of strings into the arena; NULL when malformed. */
static int load_list(struct lb_arena *a,
                     json_t *dialect,
                     const char *field,
                     bool step,
                     struct lb_gherkin_keywords *out)
{
    json_t *arr = json_object_get(dialect, field);
    const char **items;
    size_t i;

    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return -1;
    items = lb_arena_alloc(a, json_array_size(arr) * sizeof(*items));
    if (items == NULL)
        return LB_ENOMEM;
    for (i = 0; i < json_array_size(arr); i++) {
        json_t *s = json_array_get(arr, i);

        if (!json_is_string(s) || json_string_length(s) == 0 ||
            strlen(json_string_value(s)) != json_string_length(s))
            return -1;
        /* a step keyword that is only blanks would match every line */
        if (step &&
            lb__gh_ltrim(json_string_value(s), json_string_length(s)) ==
                json_string_length(s) &&
            strcmp(json_string_value(s), "* ") != 0)
            return -1;
        items[i] =
            lb_arena_strndup(a, json_string_value(s), json_string_length(s));
        if (items[i] == NULL)
            return LB_ENOMEM;
    }
    out->items = items;
    out->len = json_array_size(arr);
    return 0;
}

static int load_one(struct lb_gherkin_dialects *set,
                    const char *code,
                    json_t *v,
                    const char *origin,
                    struct lb_error *err,
                    const struct lb__gh_dialect **out)
{
    static const char *const fields[11] = {"feature",
                                           "rule",
                                           "background",
                                           "scenario",
                                           "scenarioOutline",
                                           "examples",
                                           "given",
                                           "when",
                                           "then",
                                           "and",
                                           "but"};
    struct lb__gh_dialect *d;
    struct lb_gherkin_keywords *lists[11];
    struct lb__gh_step_kw *steps;
    json_t *name = json_object_get(v, "name");
    json_t *native = json_object_get(v, "native");
    size_t i;

    if (!json_is_object(v))
        return lb_error_set(
            err, LB_EPARSE, "%s: dialect '%s' is not an object", origin, code);
    if (code[0] == '\0' || strlen(code) > 64)
        return lb_error_set(
            err, LB_EPARSE, "%s: bad dialect code '%s'", origin, code);
    d = lb_arena_alloc(&set->arena, sizeof(*d));
    if (d == NULL)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    lists[0] = &d->pub.feature;
    lists[1] = &d->pub.rule;
    lists[2] = &d->pub.background;
    lists[3] = &d->pub.scenario;
    lists[4] = &d->pub.scenario_outline;
    lists[5] = &d->pub.examples;
    lists[6] = &d->pub.given;
    lists[7] = &d->pub.when;
    lists[8] = &d->pub.then;
    lists[9] = &d->pub.and_;
    lists[10] = &d->pub.but;
    d->pub.code = lb_arena_strdup(&set->arena, code);
    d->pub.name = lb_arena_strdup(
        &set->arena, json_is_string(name) ? json_string_value(name) : code);
    d->pub.native = lb_arena_strdup(
        &set->arena, json_is_string(native) ? json_string_value(native) : code);
    if (d->pub.code == NULL || d->pub.name == NULL || d->pub.native == NULL)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    for (i = 0; i < 11; i++) {
        int rc = load_list(&set->arena, v, fields[i], i >= 6, lists[i]);

        if (rc == LB_ENOMEM)
            return lb_error_set(err, LB_ENOMEM, "out of memory");
        if (rc != 0)
            return lb_error_set(err,
                                LB_EPARSE,
                                "%s: dialect '%s': '%s' must be a non-empty "
                                "array of non-empty strings",
                                origin,
                                code,
                                fields[i]);
    }
    steps = lb_arena_alloc(&set->arena, total_steps(&d->pub) * sizeof(*steps));
    if (steps == NULL)
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    prepare(d, steps);
    *out = d;
    return 0;
}

int lb_gherkin_dialects_load_json(struct lb_gherkin_dialects *set,
                                  const char *json,
                                  size_t len,
                                  const char *origin,
                                  struct lb_error *err)
{
    json_error_t jerr;
    json_t *root;
    const char *code;
    json_t *v;
    const struct lb__gh_dialect **loaded = NULL;
    size_t n = 0;
    size_t i;
    int rc = 0;

    root = json_loadb(json, len, 0, &jerr);
    if (root == NULL)
        return lb_error_set_at(err,
                               LB_EPARSE,
                               origin,
                               jerr.line,
                               jerr.column,
                               "invalid JSON: %s",
                               jerr.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return lb_error_set(err,
                            LB_EPARSE,
                            "%s: expected an object of dialects by code",
                            origin);
    }
    loaded = lb_calloc(json_object_size(root) + 1, sizeof(*loaded));
    if (loaded == NULL) {
        json_decref(root);
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    /* validate all first, so a bad file leaves the set unchanged */
    json_object_foreach(root, code, v)
    {
        rc = load_one(set, code, v, origin, err, &loaded[n]);
        if (rc != 0)
            break;
        n++;
    }
    for (i = 0; rc == 0 && i < n; i++) {
        rc = set_put(set, loaded[i]);
        if (rc != 0)
            lb_error_set(err, rc, "out of memory");
    }
    lb_free(loaded);
    json_decref(root);
    return rc;
}

const struct lb_gherkin_dialect *
lb_gherkin_dialects_find(const struct lb_gherkin_dialects *set,
                         const char *code)
{
    size_t lo = 0;
    size_t hi;

    if (set == NULL) {
        const struct lb_gherkin_dialect *en = lb_gherkin_dialect_english();

        return strcmp(code, "en") == 0 ? en : NULL;
    }
    hi = set->list.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(set->list.items[mid]->pub.code, code);

        if (c == 0)
            return &set->list.items[mid]->pub;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t lb_gherkin_dialects_count(const struct lb_gherkin_dialects *set)
{
    return set == NULL ? 1 : set->list.len;
}

const struct lb_gherkin_dialect *
lb_gherkin_dialects_at(const struct lb_gherkin_dialects *set, size_t i)
{
    if (set == NULL)
        return i == 0 ? lb_gherkin_dialect_english() : NULL;
    return i < set->list.len ? &set->list.items[i]->pub : NULL;
}

/* Appends `s` padded with spaces to `width` code points. */
static void add_padded(struct lb_buf *out, const char *s, int width)
{
    int n = lb__gh_count_cp(s, strlen(s));

    lb_buf_adds(out, s);
    for (; n < width; n++)
        lb_buf_addch(out, ' ');
}

/* A table as cucumber-js prints it: columns padded, joined by " | ". */
static void add_table(struct lb_buf *out,
                      const char *const *cells,
                      size_t rows,
                      size_t cols)
{
    int width[3] = {0, 0, 0};
    size_t r;
    size_t c;

    for (r = 0; r < rows; r++) {
        for (c = 0; c < cols; c++) {
            const char *s = cells[r * cols + c];
            int n = lb__gh_count_cp(s, strlen(s));

            if (n > width[c])
                width[c] = n;
        }
    }
    for (r = 0; r < rows; r++) {
        for (c = 0; c < cols; c++) {
            if (c > 0)
                lb_buf_adds(out, " | ");
            if (c + 1 == cols)
                lb_buf_adds(out, cells[r * cols + c]);
            else
                add_padded(out, cells[r * cols + c], width[c]);
        }
        lb_buf_addch(out, '\n');
    }
}

void lb_gherkin_print_languages(const struct lb_gherkin_dialects *set,
                                struct lb_buf *out)
{
    size_t n = lb_gherkin_dialects_count(set);
    const char **cells = lb_xcalloc((n + 1) * 3, sizeof(*cells));
    size_t i;

    cells[0] = "ISO 639-1";
    cells[1] = "ENGLISH NAME";
    cells[2] = "NATIVE NAME";
    for (i = 0; i < n; i++) {
        const struct lb_gherkin_dialect *d = lb_gherkin_dialects_at(set, i);

        cells[(i + 1) * 3] = d->code;
        cells[(i + 1) * 3 + 1] = d->name;
        cells[(i + 1) * 3 + 2] = d->native;
    }
    add_table(out, cells, n + 1, 3);
    lb_free(cells);
}

int lb_gherkin_print_keywords(const struct lb_gherkin_dialects *set,
                              const char *code,
                              struct lb_buf *out,
                              struct lb_error *err)
{
    static const char *const kinds[11] = {"Feature",
                                          "Rule",
                                          "Background",
                                          "Scenario",
                                          "Scenario Outline",
                                          "Examples",
                                          "Given",
                                          "When",
                                          "Then",
                                          "And",
                                          "But"};
    const struct lb_gherkin_dialect *d = lb_gherkin_dialects_find(set, code);
    const struct lb_gherkin_keywords *lists[11];
    struct lb_buf words[11];
    const char *cells[24];
    size_t i;
    size_t j;

    if (d == NULL)
        return lb_error_set(
            err, LB_ENOTFOUND, "unsupported ISO 639-1: '%s'", code);
    lists[0] = &d->feature;
    lists[1] = &d->rule;
    lists[2] = &d->background;
    lists[3] = &d->scenario;
    lists[4] = &d->scenario_outline;
    lists[5] = &d->examples;
    lists[6] = &d->given;
    lists[7] = &d->when;
    lists[8] = &d->then;
    lists[9] = &d->and_;
    lists[10] = &d->but;
    cells[0] = "ENGLISH KEYWORD";
    cells[1] = "NATIVE KEYWORDS";
    for (i = 0; i < 11; i++) {
        lb_buf_init(&words[i], 0);
        for (j = 0; j < lists[i]->len; j++)
            lb_buf_addf(
                &words[i], "%s\"%s\"", j > 0 ? ", " : "", lists[i]->items[j]);
        cells[(i + 1) * 2] = kinds[i];
        cells[(i + 1) * 2 + 1] = words[i].ptr;
    }
    add_table(out, cells, 12, 2);
    for (i = 0; i < 11; i++)
        lb_buf_release(&words[i]);
    return 0;
}
