/*
 * Unit tests of the step matcher: matched / undefined / ambiguous, the
 * definitions' data, and the prefix index agreeing with the naive
 * try-every-pattern loop on definitions built to defeat it.
 */
#include "lb_test.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "engine/step_matcher.h"

static void test_step_matcher_finds_matched_undefined_ambiguous(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_step_matcher *sm = lb_step_matcher_new(reg);
    const struct lb_match *m;
    struct lb_match *keep;
    struct lb_buf b = LB_BUF_INIT;
    int tag1, tag2, tag3;
    long long v;

    (void)state;
    assert_int_equal(lb_step_matcher_add(sm,
                                         LB_EXPR_AUTO,
                                         "I have {int} cuke(s)",
                                         &tag1,
                                         "steps/a.c",
                                         10,
                                         NULL,
                                         NULL),
                     0);
    assert_int_equal(lb_step_matcher_add(sm,
                                         LB_EXPR_AUTO,
                                         "^I have (\\d+) (\\w+)s$",
                                         &tag2,
                                         "steps/a.c",
                                         20,
                                         NULL,
                                         NULL),
                     1);
    assert_int_equal(lb_step_matcher_add(sm,
                                         LB_EXPR_AUTO,
                                         "the node {string} is up",
                                         &tag3,
                                         NULL,
                                         0,
                                         NULL,
                                         NULL),
                     2);
    assert_int_equal(lb_step_matcher_count(sm), 3);
    assert_string_equal(lb_step_matcher_def(sm, 1)->file, "steps/a.c");
    assert_int_equal(lb_step_matcher_def(sm, 1)->line, 20);
    assert_int_equal(lb_expr_kind(lb_step_matcher_def(sm, 1)->expr),
                     LB_EXPR_REGEX);
    assert_string_equal(lb_step_matcher_def(sm, 2)->file, "");
    assert_null(lb_step_matcher_def(sm, 3));

    /* one match */
    assert_int_equal(lb_step_matcher_match(sm, "I have 1 cuke", &m, NULL), 1);
    assert_ptr_equal(m[0].user, &tag1);
    assert_int_equal(m[0].def_index, 0);
    assert_int_equal(lb_match_arg_int(&m[0], 0, &v, NULL), 0);
    assert_int_equal(v, 1);

    /* ambiguous: both, in registration order */
    assert_int_equal(lb_step_matcher_match(sm, "I have 2 cukes", &m, NULL), 2);
    assert_ptr_equal(m[0].user, &tag1);
    assert_ptr_equal(m[1].user, &tag2);
    assert_int_equal(m[1].arg_count, 2);
    keep = lb_match_dup(&m[1]);

    /* undefined */
    assert_int_equal(lb_step_matcher_match(sm, "I have many cukes", &m, NULL),
                     0);
    assert_int_equal(
        lb_step_matcher_match(sm, "the node \"n1\" is up", &m, NULL), 1);
    assert_int_equal(lb_match_arg_string(&m[0], 0, &b, NULL), 0);
    assert_string_equal(b.ptr, "n1");

    /* the copy survives later matches */
    lb_buf_reset(&b);
    assert_int_equal(lb_match_arg_string(keep, 1, &b, NULL), 0);
    assert_string_equal(b.ptr, "cuke");
    lb_match_free(keep);

    /* definitions added after a match are found (the index is rebuilt) */
    assert_int_equal(lb_step_matcher_match(sm, "5 green apples", &m, NULL), 0);
    assert_int_equal(
        lb_step_matcher_add(
            sm, LB_EXPR_AUTO, "{int} green apples", &tag3, NULL, 0, NULL, NULL),
        3);
    assert_int_equal(lb_step_matcher_match(sm, "5 green apples", &m, NULL), 1);
    assert_int_equal(m[0].def_index, 3);
    assert_int_equal(lb_step_matcher_add(sm,
                                         LB_EXPR_AUTO,
                                         "{word} green apples",
                                         &tag3,
                                         NULL,
                                         0,
                                         NULL,
                                         NULL),
                     4);
    assert_int_equal(lb_step_matcher_match(sm, "5 green apples", &m, NULL), 2);
    assert_int_equal(m[1].def_index, 4);

    /* bad text is an error, not a crash */
    assert_int_equal(lb_step_matcher_match(sm, "I have \xff", &m, NULL),
                     LB_EINVAL);
    lb_buf_release(&b);
    lb_step_matcher_free(sm);
    lb_param_registry_free(reg);
}

static void test_step_matcher_refuses_bad_definitions(void **state)
{
    const struct lb_match *m;
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_step_matcher *sm = lb_step_matcher_new(reg);
    struct lb_expr_problem problem;
    struct lb_error err;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(lb_step_matcher_add(sm,
                                         LB_EXPR_AUTO,
                                         "{airport} is closed",
                                         NULL,
                                         "steps/b.c",
                                         5,
                                         &problem,
                                         &err),
                     LB_EINVAL);
    assert_int_equal(problem.kind, LB_EXPR_E_UNDEFINED_PARAMETER_TYPE);
    assert_string_equal(problem.name, "airport");
    assert_string_equal(err.file, "steps/b.c");
    assert_int_equal(err.line, 5);
    lb_error_init(&err);
    assert_int_equal(lb_step_matcher_add(sm,
                                         LB_EXPR_AUTO,
                                         "^I send (\\d+ coins$",
                                         NULL,
                                         "steps/x.c",
                                         88,
                                         &problem,
                                         &err),
                     LB_EINVAL);
    assert_int_equal(problem.kind, LB_EXPR_E_REGEX_COMPILE);
    assert_int_equal(lb_step_matcher_count(sm), 0);
    /* an empty matcher matches nothing */
    assert_int_equal(lb_step_matcher_match(sm, "anything", &m, NULL), 0);
    assert_int_equal(lb_step_matcher_match(sm, "", &m, NULL), 0);
    lb_step_matcher_free(sm);
    lb_param_registry_free(reg);
}

/*
 * Patterns whose literal prefix/suffix is easy to get wrong: quantified
 * last characters, escapes, alternations, options, unanchored regexes,
 * leading parameters and optionals, multibyte text.
 */
static const char *const tricky_patterns[] = {
    "I have {int} cuke(s)",
    "I have a/an {word}",
    "{int} cukes",
    "(a )cuke",
    "a/b c",
    "^I have (\\d+) cukes$",
    "^I hav?e (\\d+) cukes$",
    "^I have\\.? (\\d+)$",
    "^I (?i)HAVE (\\d+)$",
    "^I have|^you have",
    "cukes$",
    "have",
    "^a\\\\b$",
    "^caf\xc3\xa9+ (\\w+)$",
    "^caf\xc3\xa9 (\\w+)$",
    "^x\\d+y$",
    "^x{2}y$",
    "^[I] have (\\d+) cukes$",
    "^I have (\\d+) cukes\\$$",
    "^I have (\\d+) cukes?$",
    "^(?:I|you) have (\\d+) cukes$",
    "^I have\\ (\\d+) cukes$",
    "I have {int} cukes",
    "I have {float} cukes",
    "the node {string} is up",
    "\\(a) b",
    /* required literals after the prefix (the infix filter) */
    "^I (\\d+) hav?e$",
    "^I (\\d+) x{2}y$",
    "^a (b)+ c$",
    "^a [)] b (\\d+) c$",
    "^a (?:[(]) b$",
    "^I (\\d+) cukes\\.$",
    "^(\\d+) \\Qa.b\\E$",
    "^x (\\d+) a\\tb$",
    "^x (\\d+) y*z$",
    "{int} and {int} more/less",
    "{word} is (very )happy",
};

static const char *const tricky_texts[] = {
    "I have 5 cukes",
    "I have 1 cuke",
    "I have a cuke",
    "I have an apple",
    "5 cukes",
    "a cuke",
    "cuke",
    "a c",
    "b c",
    "I hae 5 cukes",
    "I have. 5",
    "I have 5",
    "I HAVE 5",
    "I have",
    "you have",
    "you have 3 cukes",
    "we have 3 cukes",
    "a\\b",
    "caf\xc3\xa9\xc3\xa9\xc3\xa9 au",
    "caf\xc3\xa9 au",
    "x123y",
    "xxy",
    "I have 5 cukes$",
    "I have 5 cuke",
    "the node \"n\" is up",
    "the node 'n' is up",
    "(a) b",
    "",
    "I 5 hae",
    "I 5 have",
    "I 5 xxy",
    "I 5 xy",
    "a bb c",
    "a ) b 5 c",
    "a ( b",
    "I 5 cukes.",
    "I 5 cukesx",
    "5 a.b",
    "x 5 a\tb",
    "x 5 z",
    "x 5 yyyz",
    "1 and 2 more",
    "1 and 2 less",
    "Bob is happy",
    "Bob is very happy",
    "Bob is very",
};

static void test_step_matcher_index_agrees_with_naive_loop(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_step_matcher *sm = lb_step_matcher_new(reg);
    const struct lb_match *m;
    size_t fast[32], nfast, i, j, matched = 0;
    struct lb_error err;
    int n;

    (void)state;
    for (i = 0; i < sizeof(tricky_patterns) / sizeof(tricky_patterns[0]); i++) {
        lb_error_init(&err);
        if (lb_step_matcher_add(sm,
                                LB_EXPR_AUTO,
                                tricky_patterns[i],
                                NULL,
                                NULL,
                                0,
                                NULL,
                                &err) < 0)
            fail_msg("'%s': %s", tricky_patterns[i], err.msg);
    }
    for (i = 0; i < sizeof(tricky_texts) / sizeof(tricky_texts[0]); i++) {
        n = lb_step_matcher_match(sm, tricky_texts[i], &m, NULL);
        assert_true(n >= 0);
        nfast = (size_t)n;
        matched += nfast > 0;
        for (j = 0; j < nfast; j++)
            fast[j] = m[j].def_index;
        n = lb_step_matcher_match_naive(sm, tricky_texts[i], &m, NULL);
        assert_true(n >= 0);
        if ((size_t)n != nfast)
            fail_msg("'%s': index found %zu definitions, naive loop %d",
                     tricky_texts[i],
                     nfast,
                     n);
        for (j = 0; j < nfast; j++)
            if (fast[j] != m[j].def_index)
                fail_msg("'%s': match %zu is definition %zu, naive %zu",
                         tricky_texts[i],
                         j,
                         fast[j],
                         m[j].def_index);
    }
    /* the texts are meant to match: the agreement is not vacuous */
    print_message("%zu of %zu texts match\n",
                  matched,
                  sizeof(tricky_texts) / sizeof(tricky_texts[0]));
    assert_true(matched >= 35);
    /* and a few are known to match at all */
    assert_int_equal(lb_step_matcher_match(sm, "I have 5 cukes", &m, NULL), 11);
    assert_int_equal(lb_step_matcher_match(sm, "I HAVE 5", &m, NULL), 1);
    lb_step_matcher_free(sm);
    lb_param_registry_free(reg);
}

static unsigned long long rng = 88172645463325252ULL;

static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/*
 * A generated suite in the benchmark's style (shared leading words,
 * parameters in the middle, half the patterns starting with a parameter)
 * and generated texts, most of them near misses: the index must give
 * exactly the naive loop's matches, in the same order.
 */
static void test_step_matcher_index_agrees_on_generated_suite(void **state)
{
    static const char *const words[] = {"the",
                                        "node",
                                        "I",
                                        "send",
                                        "sends",
                                        "coins",
                                        "coin",
                                        "to",
                                        "a",
                                        "validator",
                                        "within",
                                        "seconds",
                                        "block",
                                        "\xc3\xa9t\xc3\xa9"};
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_step_matcher *sm = lb_step_matcher_new(reg);
    struct lb_buf pat = LB_BUF_INIT, text = LB_BUF_INIT;
    const size_t nwords = sizeof(words) / sizeof(words[0]);
    unsigned tw[300][6]; /* each definition's words, for its texts */
    size_t fast[64], nfast, i, j, d, matched = 0;
    const struct lb_match *m;
    int n;

    (void)state;
    for (i = 0; i < 300; i++) {
        lb_buf_reset(&pat);
        if (i % 4 == 1)
            (void)lb_buf_adds(&pat, "{word} ");
        else if (i % 4 == 3)
            (void)lb_buf_adds(&pat, "^(\\w+) ");
        else if (i % 4 == 2)
            (void)lb_buf_addch(&pat, '^');
        for (j = 0; j < 6; j++)
            tw[i][j] = next_rand() % nwords;
        for (j = 0; j < 4; j++)
            (void)lb_buf_addf(&pat, "%s ", words[tw[i][j]]);
        (void)lb_buf_adds(&pat, i % 2 == 0 ? "{int} " : "(\\d+) ");
        (void)lb_buf_adds(&pat, words[tw[i][4]]);
        (void)lb_buf_adds(&pat, i % 2 == 0 ? "" : "$");
        assert_true(lb_step_matcher_add(
                        sm, LB_EXPR_AUTO, pat.ptr, NULL, NULL, 0, NULL, NULL) >=
                    0);
    }
    for (i = 0; i < 3000; i++) {
        /* a definition's text, one word in two replaced by a random one */
        d = next_rand() % 300;
        lb_buf_reset(&text);
        if (d % 4 == 1 || d % 4 == 3)
            (void)lb_buf_adds(&text, "someone ");
        for (j = 0; j < 4; j++)
            (void)lb_buf_addf(
                &text,
                "%s ",
                words[next_rand() % 2 ? tw[d][j] : next_rand() % nwords]);
        (void)lb_buf_addf(&text, "%u %s", next_rand() % 100, words[tw[d][4]]);
        n = lb_step_matcher_match(sm, text.ptr, &m, NULL);
        assert_true(n >= 0 && n <= 64);
        nfast = (size_t)n;
        matched += nfast > 0;
        for (j = 0; j < nfast; j++)
            fast[j] = m[j].def_index;
        n = lb_step_matcher_match_naive(sm, text.ptr, &m, NULL);
        if ((size_t)n != nfast)
            fail_msg("'%s': index %zu matches, naive %d", text.ptr, nfast, n);
        for (j = 0; j < nfast; j++)
            assert_int_equal(fast[j], m[j].def_index);
    }
    print_message("%zu of 3000 generated texts match\n", matched);
    assert_true(matched > 100 && matched < 2900);
    lb_buf_release(&pat);
    lb_buf_release(&text);
    lb_step_matcher_free(sm);
    lb_param_registry_free(reg);
}

/* A piece of a random pattern and two texts it matches. */
struct atom {
    const char *pattern;
    const char *text[2];
};

static const struct atom regex_atoms[] = {
    {"ab", {"ab", "ab"}},
    {" ", {" ", " "}},
    {"\\d+", {"12", "7"}},
    {"(\\w+)", {"xy", "q"}},
    {"(?:a|b)", {"a", "b"}},
    {"x?", {"", "x"}},
    {"y*", {"", "yy"}},
    {"z{2}", {"zz", "zz"}},
    {"[ab]", {"a", "b"}},
    {".", {"q", "."}},
    {"\\.", {".", "."}},
    {"\\s", {" ", " "}},
    {"\xc3\xa9", {"\xc3\xa9", "\xc3\xa9"}},
    {"(c)", {"c", "c"}},
    {"c+", {"c", "ccc"}},
    {"(?=d)", {"", ""}},
    {"d", {"d", "d"}},
    {"(d|e)?", {"", "e"}},
    {"\\\\", {"\\", "\\"}},
    {"(?i)k", {"K", "k"}},
    {"[(]", {"(", "("}},
    {"\\(", {"(", "("}},
    {"(?:ab)+", {"ab", "abab"}},
    {"\\bw", {"w", "w"}},
};

static const struct atom cucumber_atoms[] = {
    {"ab", {"ab", "ab"}},
    {" ", {" ", " "}},
    {"{int}", {"12", "-3"}},
    {"{word}", {"xy", "q"}},
    {"{string}", {"\"s\"", "''"}},
    {"{float}", {"1.5", "2"}},
    {"cuke(s)", {"cuke", "cukes"}},
    {" a/b ", {" a ", " b "}},
    {"\\(x)", {"(x)", "(x)"}},
    {"\xc3\xa9", {"\xc3\xa9", "\xc3\xa9"}},
    {"{}", {"", "any"}},
    {"d", {"d", "d"}},
};

/*
 * Random patterns from atoms (regex constructs that repeat, branch,
 * change case or look around; Cucumber Expression parts) and texts made
 * from the atoms' sample texts, sometimes mutated: whatever literals the
 * index extracts, it must never lose a match the naive loop finds.
 */
static void test_step_matcher_index_agrees_on_random_patterns(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_step_matcher *sm = lb_step_matcher_new(reg);
    struct lb_buf pat = LB_BUF_INIT, text = LB_BUF_INIT;
    const struct atom *atoms;
    unsigned chosen[200][6], nchosen[200];
    size_t natoms, fast[200], nfast, i, j, d, self = 0, ndefs = 0;
    const struct lb_match *m;
    bool regex[200];
    int n;

    (void)state;
    for (i = 0; i < 200; i++) {
        regex[ndefs] = i % 2 == 0;
        atoms = regex[ndefs] ? regex_atoms : cucumber_atoms;
        natoms = regex[ndefs]
                     ? sizeof(regex_atoms) / sizeof(regex_atoms[0])
                     : sizeof(cucumber_atoms) / sizeof(cucumber_atoms[0]);
        lb_buf_reset(&pat);
        if (regex[ndefs] && next_rand() % 3 != 0)
            (void)lb_buf_addch(&pat, '^');
        nchosen[ndefs] = 1 + next_rand() % 6;
        for (j = 0; j < nchosen[ndefs]; j++) {
            chosen[ndefs][j] = next_rand() % natoms;
            (void)lb_buf_adds(&pat, atoms[chosen[ndefs][j]].pattern);
        }
        if (regex[ndefs] && next_rand() % 3 != 0)
            (void)lb_buf_addch(&pat, '$');
        if (lb_step_matcher_add(sm,
                                regex[ndefs] ? LB_EXPR_REGEX : LB_EXPR_CUCUMBER,
                                pat.ptr,
                                NULL,
                                NULL,
                                0,
                                NULL,
                                NULL) >= 0)
            ndefs++;
    }
    assert_true(ndefs > 150);
    for (i = 0; i < 4000; i++) {
        d = next_rand() % ndefs;
        atoms = regex[d] ? regex_atoms : cucumber_atoms;
        lb_buf_reset(&text);
        if (next_rand() % 4 == 0)
            (void)lb_buf_adds(&text, "z");
        for (j = 0; j < nchosen[d]; j++)
            (void)lb_buf_adds(&text,
                              next_rand() % 8 == 0
                                  ? "d"
                                  : atoms[chosen[d][j]].text[next_rand() % 2]);
        n = lb_step_matcher_match(sm, text.ptr, &m, NULL);
        assert_true(n >= 0 && (size_t)n <= ndefs);
        nfast = (size_t)n;
        for (j = 0; j < nfast; j++) {
            fast[j] = m[j].def_index;
            self += fast[j] == d;
        }
        n = lb_step_matcher_match_naive(sm, text.ptr, &m, NULL);
        if ((size_t)n != nfast)
            fail_msg("'%s': index %zu matches, naive %d (first naive: '%s')",
                     text.ptr,
                     nfast,
                     n,
                     n > 0 ? lb_expr_source(
                                 lb_step_matcher_def(sm, m[0].def_index)->expr)
                           : "");
        for (j = 0; j < nfast; j++)
            assert_int_equal(fast[j], m[j].def_index);
    }
    /* the texts are meant for their pattern: most of them match it */
    print_message(
        "%zu random patterns, %zu of 4000 texts match theirs\n", ndefs, self);
    assert_true(self > 1500);
    lb_buf_release(&pat);
    lb_buf_release(&text);
    lb_step_matcher_free(sm);
    lb_param_registry_free(reg);
}

static long allocations;

static void *count_malloc(size_t n)
{
    allocations++;
    return malloc(n);
}

static void *count_calloc(size_t c, size_t n)
{
    allocations++;
    return calloc(c, n);
}

static void *count_realloc(void *p, size_t n)
{
    allocations++;
    return realloc(p, n);
}

/* The hot path allocates nothing once the scratch space has grown. */
static void test_step_matcher_does_not_allocate_per_match(void **state)
{
    struct lb_param_registry *reg;
    struct lb_step_matcher *sm;
    const struct lb_match *m;
    char pat[128], txt[128];
    long before;
    int i, total = 0;

    (void)state;
    assert_int_equal(
        lb_replace_allocator(count_malloc, count_realloc, count_calloc, free),
        0);
    reg = lb_param_registry_new();
    sm = lb_step_matcher_new(reg);
    for (i = 0; i < 200; i++) {
        (void)snprintf(pat,
                       sizeof(pat),
                       i % 2 ? "^the node sends (\\d+) coins%d$"
                             : "{word} sends {int} coins%d",
                       i);
        assert_int_equal(lb_step_matcher_add(
                             sm, LB_EXPR_AUTO, pat, NULL, NULL, 0, NULL, NULL),
                         i);
    }
    /* the first matches grow the scratch space */
    assert_int_equal(
        lb_step_matcher_match(sm, "the node sends 5 coins1", &m, NULL), 1);
    before = allocations;
    for (i = 0; i < 2000; i++) {
        (void)snprintf(txt,
                       sizeof(txt),
                       i % 2 ? "the node sends 5 coins%d"
                             : "bob sends 7 coins%d",
                       i % 200);
        total += lb_step_matcher_match(sm, txt, &m, NULL);
    }
    assert_int_equal(allocations, before);
    assert_int_equal(total, 2000); /* each text matched its definition */
    lb_step_matcher_free(sm);
    lb_param_registry_free(reg);
    assert_int_equal(lb_replace_allocator(malloc, realloc, calloc, free), 0);
}

/* One CCK sample's step definitions, pickle steps and expectations. */
struct cck {
    struct lb_param_registry *reg;
    struct lb_step_matcher *sm;
    json_t *def_ids;    /* matcher index -> stepDefinition id */
    json_t *step_texts; /* pickleStep id -> text */
    size_t checked;     /* test steps compared */
};

static void cck_define_type(struct cck *c, json_t *pt)
{
    json_t *res = json_object_get(pt, "regularExpressions");
    const char *regexps[8];
    struct lb_param_type_def def;
    struct lb_error err;
    size_t i;

    memset(&def, 0, sizeof(def));
    def.name = json_string_value(json_object_get(pt, "name"));
    for (i = 0; i < json_array_size(res) && i < 8; i++)
        regexps[i] = json_string_value(json_array_get(res, i));
    def.regexps = regexps;
    def.regexp_count = i;
    def.prefer_for_regexp_match =
        json_is_true(json_object_get(pt, "preferForRegularExpressionMatch"));
    def.use_for_snippets = json_is_true(json_object_get(pt, "useForSnippets"));
    lb_error_init(&err);
    if (lb_param_registry_define(c->reg, &def, NULL, &err) != 0)
        fail_msg("parameter type '%s': %s", def.name, err.msg);
}

static void cck_define_step(struct cck *c, json_t *sd)
{
    json_t *pattern = json_object_get(sd, "pattern");
    const char *type = json_string_value(json_object_get(pattern, "type"));
    const char *src = json_string_value(json_object_get(pattern, "source"));
    struct lb_error err;

    lb_error_init(&err);
    if (lb_step_matcher_add(c->sm,
                            strcmp(type, "REGULAR_EXPRESSION") == 0
                                ? LB_EXPR_REGEX
                                : LB_EXPR_CUCUMBER,
                            src,
                            NULL,
                            NULL,
                            0,
                            NULL,
                            &err) < 0)
        fail_msg("step definition '%s': %s", src, err.msg);
    json_array_append(c->def_ids, json_object_get(sd, "id"));
}

/* The CCK reports an undefined parameter type: so must we, by name. */
static void cck_undefined_type(struct cck *c, json_t *u)
{
    const char *expr = json_string_value(json_object_get(u, "expression"));
    struct lb_expr_problem problem;
    struct lb_expr *e;

    assert_int_equal(
        lb_expr_compile(
            &e, LB_EXPR_CUCUMBER, expr, c->reg, NULL, 0, &problem, NULL),
        LB_EINVAL);
    assert_int_equal(problem.kind, LB_EXPR_E_UNDEFINED_PARAMETER_TYPE);
    assert_string_equal(problem.name,
                        json_string_value(json_object_get(u, "name")));
}

static void cck_check_step(struct cck *c, const char *sample, json_t *ts)
{
    const char *pid = json_string_value(json_object_get(ts, "pickleStepId"));
    json_t *ids, *lists, *got;
    json_t *want_ids = json_object_get(ts, "stepDefinitionIds");
    json_t *want_lists = json_object_get(ts, "stepMatchArgumentsLists");
    const struct lb_match *m;
    struct lb_buf b = LB_BUF_INIT;
    const char *text;
    int n, i;

    if (pid == NULL)
        return; /* a hook */
    ids = json_array();
    lists = json_array();
    text = json_string_value(json_object_get(c->step_texts, pid));
    assert_non_null(text);
    n = lb_step_matcher_match(c->sm, text, &m, NULL);
    assert_true(n >= 0);
    for (i = 0; i < n; i++) {
        json_array_append(ids, json_array_get(c->def_ids, m[i].def_index));
        lb_buf_reset(&b);
        assert_int_equal(lb_match_args_json(&m[i], &b), 0);
        got = json_loads(b.ptr, 0, NULL);
        assert_non_null(got);
        json_array_append_new(lists, got);
    }
    if (!json_equal(ids, want_ids))
        fail_msg("%s: step '%s' matched %d definitions, not the CCK's",
                 sample,
                 text,
                 n);
    if (!json_equal(lists, want_lists))
        fail_msg("%s: step '%s': arguments differ from the CCK: %s",
                 sample,
                 text,
                 b.ptr);
    c->checked++;
    json_decref(ids);
    json_decref(lists);
    lb_buf_release(&b);
}

static size_t cck_sample(const char *dir, const char *name)
{
    char path[1024], line[65536];
    json_t *msg, *v, *steps;
    struct cck c;
    size_t i;
    FILE *f;

    (void)snprintf(path, sizeof(path), "%s/%s/%s.ndjson", dir, name, name);
    f = fopen(path, "r");
    if (f == NULL)
        return 0;
    memset(&c, 0, sizeof(c));
    c.reg = lb_param_registry_new();
    c.sm = lb_step_matcher_new(c.reg);
    c.def_ids = json_array();
    c.step_texts = json_object();
    while (fgets(line, sizeof(line), f) != NULL) {
        msg = json_loads(line, 0, NULL);
        assert_non_null(msg);
        if ((v = json_object_get(msg, "parameterType")) != NULL)
            cck_define_type(&c, v);
        else if ((v = json_object_get(msg, "stepDefinition")) != NULL)
            cck_define_step(&c, v);
        else if ((v = json_object_get(msg, "undefinedParameterType")) != NULL)
            cck_undefined_type(&c, v);
        else if ((v = json_object_get(msg, "pickle")) != NULL) {
            steps = json_object_get(v, "steps");
            for (i = 0; i < json_array_size(steps); i++)
                json_object_set(
                    c.step_texts,
                    json_string_value(
                        json_object_get(json_array_get(steps, i), "id")),
                    json_object_get(json_array_get(steps, i), "text"));
        } else if ((v = json_object_get(msg, "testCase")) != NULL) {
            steps = json_object_get(v, "testSteps");
            for (i = 0; i < json_array_size(steps); i++)
                cck_check_step(&c, name, json_array_get(steps, i));
        }
        json_decref(msg);
    }
    (void)fclose(f);
    json_decref(c.def_ids);
    json_decref(c.step_texts);
    lb_step_matcher_free(c.sm);
    lb_param_registry_free(c.reg);
    return c.checked;
}

/*
 * Every test step of every Cucumber Compatibility Kit sample: the same
 * definitions match (ambiguous ones included) with the same argument
 * groups, starts, values and parameter type names as the reference.
 */
static void test_step_matcher_matches_cck_samples(void **state)
{
    const char *shared = getenv("LB_SHARED_DIR");
    char dir[1024];
    struct dirent *de;
    size_t checked = 0, samples = 0, n;
    DIR *d;

    (void)state;
    if (shared == NULL)
        skip();
    (void)snprintf(dir, sizeof(dir), "%s/conformance/cck", shared);
    d = opendir(dir);
    if (d == NULL)
        skip(); /* no shared/ folder: a user's fresh clone */
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        n = cck_sample(dir, de->d_name);
        checked += n;
        samples += n > 0;
    }
    (void)closedir(d);
    print_message(
        "%zu test steps of %zu CCK samples match\n", checked, samples);
    assert_true(samples >= 30);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_matcher_finds_matched_undefined_ambiguous),
        cmocka_unit_test(test_step_matcher_refuses_bad_definitions),
        cmocka_unit_test(test_step_matcher_index_agrees_with_naive_loop),
        cmocka_unit_test(test_step_matcher_index_agrees_on_generated_suite),
        cmocka_unit_test(test_step_matcher_index_agrees_on_random_patterns),
        cmocka_unit_test(test_step_matcher_does_not_allocate_per_match),
        cmocka_unit_test(test_step_matcher_matches_cck_samples),
    };

    return cmocka_run_group_tests_name("step_matcher", tests, NULL, NULL);
}
