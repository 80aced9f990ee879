/*
 * Unit tests of tag expressions: the official cucumber/tag-expressions
 * testdata (parsing.yml, evaluations.yml, errors.yml) as C tables.
 */
#include "lb_test.h"

#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "engine/tag_expression.h"

struct parse_case {
    const char *expression;
    const char *formatted;
};

/* testdata/parsing.yml */
static const struct parse_case parse_cases[] = {
    {"@a and @b", "( @a and @b )"},
    {"@a or @b", "( @a or @b )"},
    {"not @a", "not ( @a )"},
    {"@a and @b and @c", "( ( @a and @b ) and @c )"},
    {"( @a and @b ) or ( @c and @d )", "( ( @a and @b ) or ( @c and @d ) )"},
    {"not @a or @b and not @c or not @d or @e and @f",
     "( ( ( not ( @a ) or ( @b and not ( @c ) ) ) or not ( @d ) ) or ( @e "
     "and @f ) )"},
    {"not @a\\(\\) or @b and not @c or not @d or @e and @f",
     "( ( ( not ( @a\\(\\) ) or ( @b and not ( @c ) ) ) or not ( @d ) ) or "
     "( @e and @f ) )"},
    {"not (@a and @b)", "not ( @a and @b )"},
    {"not (@a or @b)", "not ( @a or @b )"},
    {"not (@a and @b) and @c or not (@d or @f)",
     "( ( not ( @a and @b ) and @c ) or not ( @d or @f ) )"},
    {"@a\\\\ and @b", "( @a\\\\ and @b )"},
    {"@\\\\a and @b", "( @\\\\a and @b )"},
    {"@a and @b\\\\", "( @a and @b\\\\ )"},
    {"( @a and @b\\\\\\\\)", "( @a and @b\\\\\\\\ )"},
    {"@a\\\\\\( and @b\\\\\\)", "( @a\\\\\\( and @b\\\\\\) )"},
    {"(@a and @\\\\b)", "( @a and @\\\\b )"},
    {"@x or(@y) ", "( @x or @y )"},
    {"@x\\(1\\) or(@y\\(2\\))", "( @x\\(1\\) or @y\\(2\\) )"},
    {"@\\\\x or @y\\\\ or @z\\\\", "( ( @\\\\x or @y\\\\ ) or @z\\\\ )"},
    {"@x\\\\ or(@y\\\\\\)) or(@z\\\\)",
     "( ( @x\\\\ or @y\\\\\\) ) or @z\\\\ )"},
    {"@x\\  or @y", "( @x\\  or @y )"},
    /* not in parsing.yml: the empty expression is "true" */
    {"", "true"},
    {"   ", "true"},
};

static void test_tag_expression_formats_like_official(void **state)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_tag_expr *e;
    struct lb_error err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
        lb_error_init(&err);
        if (lb_tag_expr_parse(&e, parse_cases[i].expression, &err) != 0)
            fail_msg("'%s': %s", parse_cases[i].expression, err.msg);
        lb_buf_reset(&b);
        assert_int_equal(lb_tag_expr_to_string(e, &b), 0);
        if (strcmp(b.ptr, parse_cases[i].formatted) != 0)
            fail_msg("'%s' formatted '%s', expected '%s'",
                     parse_cases[i].expression,
                     b.ptr,
                     parse_cases[i].formatted);
        assert_string_equal(lb_tag_expr_source(e), parse_cases[i].expression);
        lb_tag_expr_free(e);
    }
    lb_buf_release(&b);
}

struct eval_case {
    const char *expression;
    const char *tags[3];
    size_t count;
    bool result;
};

/* testdata/evaluations.yml */
static const struct eval_case eval_cases[] = {
    {"not @x", {"@x"}, 1, false},
    {"not @x", {"@y"}, 1, true},
    {"@x and @y", {"@x", "@y"}, 2, true},
    {"@x and @y", {"@x"}, 1, false},
    {"@x and @y", {"@y"}, 1, false},
    {"@x or @y", {NULL}, 0, false},
    {"@x or @y", {"@x", "@y"}, 2, true},
    {"@x or @y", {"@x"}, 1, true},
    {"@x or @y", {"@y"}, 1, true},
    {"@x\\(1\\) or @y\\(2\\)", {"@x(1)"}, 1, true},
    {"@x\\(1\\) or @y\\(2\\)", {"@y(2)"}, 1, true},
    {"@x\\\\ or @y\\\\\\) or @z\\\\", {"@x\\"}, 1, true},
    {"@x\\\\ or @y\\\\\\) or @z\\\\", {"@y\\)"}, 1, true},
    {"@x\\\\ or @y\\\\\\) or @z\\\\", {"@z\\"}, 1, true},
    {"@x\\\\ or @y\\\\\\) or @z\\\\", {"@x"}, 1, false},
    {"@x\\\\ or @y\\\\\\) or @z\\\\", {"@y)"}, 1, false},
    {"@x\\\\ or @y\\\\\\) or @z\\\\", {"@z"}, 1, false},
    {"@\\\\x or @y\\\\ or @z\\\\", {"@\\x"}, 1, true},
    {"@\\\\x or @y\\\\ or @z\\\\", {"@y\\"}, 1, true},
    {"@\\\\x or @y\\\\ or @z\\\\", {"@z\\"}, 1, true},
    {"@\\\\x or @y\\\\ or @z\\\\", {"@x"}, 1, false},
    {"@\\\\x or @y\\\\ or @z\\\\", {"@y"}, 1, false},
    {"@\\\\x or @y\\\\ or @z\\\\", {"@z"}, 1, false},
    /* precedence: not > and > or */
    {"@a or @b and @c", {"@a"}, 1, true},
    {"@a or @b and @c", {"@b"}, 1, false},
    {"not @a and @b", {"@b"}, 1, true},
    {"not @a and @b", {"@a", "@b"}, 2, false},
    {"", {NULL}, 0, true},
    {"@x\\ y", {"@x y"}, 1, true},
};

static void test_tag_expression_evaluates_like_official(void **state)
{
    struct lb_tag_expr *e;
    struct lb_error err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(eval_cases) / sizeof(eval_cases[0]); i++) {
        lb_error_init(&err);
        assert_int_equal(lb_tag_expr_parse(&e, eval_cases[i].expression, &err),
                         0);
        if (lb_tag_expr_eval(e, eval_cases[i].tags, eval_cases[i].count) !=
            eval_cases[i].result)
            fail_msg("'%s' on case %zu should be %s",
                     eval_cases[i].expression,
                     i,
                     eval_cases[i].result ? "true" : "false");
        lb_tag_expr_free(e);
    }
}

struct error_case {
    const char *expression;
    const char *error;
};

#define COMMA                                                               \
    "An invalid tag combination operator was detected. The use of a comma " \
    "(\",\") to combine tags is not supported. Please replace it with "     \
    "either the \"or\" or \"and\" operators for tag combinations. For "     \
    "example, use \"@tag1 or @tag2\" or \"@tag1 and @tag2\""

/* testdata/errors.yml */
static const struct error_case error_cases[] = {
    {"@a @b or",
     "Tag expression \"@a @b or\" could not be parsed because of syntax "
     "error: Expected operator."},
    {"@a and (@b not)",
     "Tag expression \"@a and (@b not)\" could not be parsed because of "
     "syntax error: Expected operator."},
    {"@a and (@b @c) or",
     "Tag expression \"@a and (@b @c) or\" could not be parsed because of "
     "syntax error: Expected operator."},
    {"@a and or",
     "Tag expression \"@a and or\" could not be parsed because of syntax "
     "error: Expected operand."},
    {"@a,@b",
     "Tag expression \"@a,@b\" could not be parsed because of syntax "
     "error: " COMMA},
    {"(@a ,@b)",
     "Tag expression \"(@a ,@b)\" could not be parsed because of syntax "
     "error: " COMMA},
    {"or or",
     "Tag expression \"or or\" could not be parsed because of syntax error: "
     "Expected operand."},
    {"@a @b",
     "Tag expression \"@a @b\" could not be parsed because of syntax error: "
     "Expected operator."},
    {"( @a and @b ) )",
     "Tag expression \"( @a and @b ) )\" could not be parsed because of "
     "syntax error: Unmatched )."},
    {"( ( @a and @b )",
     "Tag expression \"( ( @a and @b )\" could not be parsed because of "
     "syntax error: Unmatched (."},
    {"@x or @\\y or @z",
     "Tag expression \"@x or @\\y or @z\" could not be parsed because of "
     "syntax error: Illegal escape before \"y\"."},
    {"@x\\ or @y",
     "Tag expression \"@x\\ or @y\" could not be parsed because of syntax "
     "error: Expected operator."},
};

static void test_tag_expression_reports_official_errors(void **state)
{
    struct lb_tag_expr *e;
    struct lb_error err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
        lb_error_init(&err);
        assert_int_equal(lb_tag_expr_parse(&e, error_cases[i].expression, &err),
                         LB_EPARSE);
        assert_null(e);
        assert_string_equal(err.msg, error_cases[i].error);
    }
    /* a lone operator fails too, without crashing */
    lb_error_init(&err);
    assert_int_equal(lb_tag_expr_parse(&e, "not", &err), LB_EPARSE);
    lb_error_init(&err);
    assert_int_equal(lb_tag_expr_parse(&e, "and", &err), LB_EPARSE);
    assert_string_equal(err.msg,
                        "Tag expression \"and\" could not be parsed because "
                        "of syntax error: Expected operand.");
    lb_error_init(&err);
    assert_int_equal(lb_tag_expr_parse(&e, "()", &err), LB_EPARSE);
}

/* Huge expressions are refused, not a stack overflow. */
static void test_tag_expression_bounds_size(void **state)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_tag_expr *e;
    struct lb_error err;
    const char *tags[] = {"@a"};
    size_t i;

    (void)state;
    for (i = 0; i < 4999; i++)
        (void)lb_buf_adds(&b, "not ");
    (void)lb_buf_adds(&b, "@a");
    assert_int_equal(lb_tag_expr_parse(&e, b.ptr, NULL), 0);
    assert_false(lb_tag_expr_eval(e, tags, 1));
    lb_tag_expr_free(e);
    for (i = 0; i < 100000; i++)
        (void)lb_buf_adds(&b, " and @a");
    lb_error_init(&err);
    assert_int_equal(lb_tag_expr_parse(&e, b.ptr, &err), LB_EPARSE);
    assert_string_equal(err.msg, "tag expression has more than 10000 tokens");
    lb_buf_release(&b);
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
 * Random token soups parse or fail cleanly; what parses re-parses from its
 * canonical form to the same form and the same truth.
 */
static void test_tag_expression_survives_random_input(void **state)
{
    static const char *const atoms[] = {"@a",
                                        "@b",
                                        " and ",
                                        " or ",
                                        "not ",
                                        "(",
                                        ")",
                                        " ",
                                        "\\",
                                        "\\(",
                                        ",",
                                        "@c\\ d",
                                        "\t",
                                        "\xc3\xa9"};
    const char *tags[] = {"@a", "@c d"};
    struct lb_buf src = LB_BUF_INIT, s1 = LB_BUF_INIT, s2 = LB_BUF_INIT;
    struct lb_tag_expr *e, *e2;
    struct lb_error err;
    size_t i, j, n, ok = 0;
    int rc;

    (void)state;
    for (i = 0; i < 20000; i++) {
        lb_buf_reset(&src);
        n = 1 + next_rand() % 7;
        for (j = 0; j < n; j++)
            (void)lb_buf_adds(
                &src, atoms[next_rand() % (sizeof(atoms) / sizeof(atoms[0]))]);
        lb_error_init(&err);
        rc = lb_tag_expr_parse(&e, src.ptr, &err);
        if (rc != 0) {
            assert_int_equal(rc, LB_EPARSE);
            assert_non_null(strstr(err.msg, "could not be parsed"));
            continue;
        }
        ok++;
        (void)lb_tag_expr_eval(e, tags, 2);
        lb_buf_reset(&s1);
        lb_buf_reset(&s2);
        assert_int_equal(lb_tag_expr_to_string(e, &s1), 0);
        if (strcmp(s1.ptr, "true") == 0) {
            /* officially "true" prints as the tag "true": no round trip */
            lb_tag_expr_free(e);
            continue;
        }
        assert_int_equal(lb_tag_expr_parse(&e2, s1.ptr, NULL), 0);
        assert_int_equal(lb_tag_expr_to_string(e2, &s2), 0);
        assert_string_equal(s1.ptr, s2.ptr);
        assert_true(lb_tag_expr_eval(e, tags, 2) ==
                    lb_tag_expr_eval(e2, tags, 2));
        lb_tag_expr_free(e2);
        lb_tag_expr_free(e);
    }
    assert_true(ok > 500);
    lb_buf_release(&src);
    lb_buf_release(&s1);
    lb_buf_release(&s2);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_expression_formats_like_official),
        cmocka_unit_test(test_tag_expression_evaluates_like_official),
        cmocka_unit_test(test_tag_expression_reports_official_errors),
        cmocka_unit_test(test_tag_expression_survives_random_input),
        cmocka_unit_test(test_tag_expression_bounds_size),
    };

    return cmocka_run_group_tests_name("tag_expression", tests, NULL, NULL);
}
