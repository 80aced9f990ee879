/*
 * Unit tests of the step matcher: matched / undefined / ambiguous, the
 * definitions' data, and the prefix index agreeing with the naive
 * try-every-pattern loop on definitions built to defeat it.
 */
#include "lb_test.h"

#include <stdio.h>
#include <string.h>

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

    /* bad text is an error, not a crash */
    assert_int_equal(lb_step_matcher_match(sm, "I have \xff", &m, NULL),
                     LB_EINVAL);
    lb_buf_release(&b);
    lb_step_matcher_free(sm);
    lb_param_registry_free(reg);
}

static void test_step_matcher_refuses_bad_definitions(void **state)
{
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

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_matcher_finds_matched_undefined_ambiguous),
        cmocka_unit_test(test_step_matcher_refuses_bad_definitions),
        cmocka_unit_test(test_step_matcher_index_agrees_with_naive_loop),
    };

    return cmocka_run_group_tests_name("step_matcher", tests, NULL, NULL);
}
