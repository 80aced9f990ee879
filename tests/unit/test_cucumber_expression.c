/*
 * Unit tests of Cucumber Expressions, regular expressions and parameter
 * types. The tables are the official cucumber-expressions testdata
 * (testdata/cucumber-expression/{matching,transformation,tokenizer,parser}
 * and testdata/regular-expression), written down as C tables; the error
 * texts are the current official wording.
 */
#include "lb_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "engine/cucumber_expression.h"
#include "engine/expr_internal.h"
#include "engine/parameter_type.h"

/* Converts argument i the way the built-in transformers do, as text. */
static void arg_value(const struct lb_match *m, size_t i, struct lb_buf *out)
{
    const struct lb_param_type *t = lb_match_arg_type(m, i);
    struct lb_error err;
    long long v;
    double d;
    int rc;

    lb_error_init(&err);
    if (t->kind == LB_PARAM_INT) {
        rc = lb_match_arg_int(m, i, &v, &err);
        assert_true(rc >= 0);
        if (rc == 0)
            (void)lb_buf_addf(out, "%lld", v);
        else
            (void)lb_buf_adds(out, "<null>");
    } else if (t->kind == LB_PARAM_FLOAT) {
        rc = lb_match_arg_double(m, i, &d, &err);
        assert_true(rc >= 0);
        (void)lb_buf_addf(out, "%.10g", d);
    } else {
        rc = lb_match_arg_string(m, i, out, &err);
        assert_true(rc >= 0);
        if (rc == 1)
            (void)lb_buf_adds(out, "<null>");
    }
}

struct match_case {
    const char *expr;
    const char *text;
    int nargs; /* -1: no match */
    const char *args[4];
};

/* testdata/cucumber-expression/matching and regular-expression/matching */
static const struct match_case match_cases[] = {
    {"\\({int})", "(3)", 1, {"3"}},
    {"a/i{int}n/y", "i18n", 1, {"18"}},
    {"{int}st/nd/rd/th", "3rd", 1, {"3"}},
    {"{int}", "1.22", -1, {NULL}},
    {"three {string} mice", "three \"blind' mice", -1, {NULL}},
    {"{double}", "-", -1, {NULL}},
    {"{int}", "-", -1, {NULL}},
    {"{}", "0.22", 1, {"0.22"}},
    {"{bigdecimal}",
     "3.1415926535897932384626433832795028841971693993751",
     1,
     {"3.1415926535897932384626433832795028841971693993751"}},
    {"{biginteger}", "12345678901234567890", 1, {"12345678901234567890"}},
    {"{byte}", "127", 1, {"127"}},
    {"{short}", "32767", 1, {"32767"}},
    {"{long}", "9223372036854775807", 1, {"9223372036854775807"}},
    {"{bigdecimal}",
     "3.14159265358979323846264338327950288419716939937510",
     1,
     {"3.14159265358979323846264338327950288419716939937510"}},
    {"{float}", "+3.141593", 1, {"3.141593"}},
    {"I wait {int} second(s)./second(s)?", "I wait 1 second.", 1, {"1"}},
    {"three {string} mice", "three \"\" mice", 1, {""}},
    {"three {string} mice", "three \"bl\\\"nd\" mice", 1, {"bl\"nd"}},
    {"three {string} mice", "three \"blind\" mice", 1, {"blind"}},
    {"three {string} mice", "three '' mice", 1, {""}},
    {"three {string} mice", "three 'blind' mice", 1, {"blind"}},
    {"{double}", "1.22", 1, {"1.22"}},
    {"three \\\\(exceptionally) \\\\{string} mice",
     "three \\exceptionally \\\"blind\" mice",
     1,
     {"blind"}},
    {"12\\\\/2020", "12\\", 0, {NULL}},
    {"12\\\\/2020", "2020", 0, {NULL}},
    {"three \\((exceptionally)) \\{{string}} mice",
     "three (exceptionally) {\"blind\"} mice",
     1,
     {"blind"}},
    {"{float}", "0.22", 1, {"0.22"}},
    {"{float}", ".22", 1, {"0.22"}},
    {"{float}", "+1.5E+3", 1, {"1500"}},
    {"{float}", "1.5E+3", 1, {"1500"}},
    {"{float}", "-1.22", 1, {"-1.22"}},
    {"{int}", "-22", 1, {"-22"}},
    {"{int}", "22", 1, {"22"}},
    {"three {string} and {string} mice",
     "three \"blind\" and \"crippled\" mice",
     2,
     {"blind", "crippled"}},
    {"three (brown )mice/rats", "three brown mice", 0, {NULL}},
    {"three (brown )mice/rats", "three rats", 0, {NULL}},
    {"I wait {int} second(s)./second(s)?", "I wait 2 seconds?", 1, {"2"}},
    {"{int} rat(s)/mouse/mice", "3 rats", 1, {"3"}},
    {"{int} rat(s)/mouse/mice", "2 mice", 1, {"2"}},
    {"{int} rat(s)/mouse/mice", "1 mouse", 1, {"1"}},
    {"three {word} mice", "three blind mice", 1, {"blind"}},
    {"I have {int} cuke(s)", "I have 1 cuke", 1, {"1"}},
    {"I have {int} cuke(s)", "I have 2 cukes", 1, {"2"}},
    {"I have {int} cuke(s)", "I have 2 cukesss", -1, {NULL}},
    {"Привет, Мир(ы)!", "Привет, Миры!", 0, {NULL}},
    /* CucumberExpressionTest: matches float */
    {"{float}", "", -1, {NULL}},
    {"{float}", ".", -1, {NULL}},
    {"{float}", ",", -1, {NULL}},
    {"{float}", "-", -1, {NULL}},
    {"{float}", "E", -1, {NULL}},
    {"{float}", "1,", -1, {NULL}},
    {"{float}", ",1", -1, {NULL}},
    {"{float}", "1.", -1, {NULL}},
    {"{float}", "1", 1, {"1"}},
    {"{float}", "-1", 1, {"-1"}},
    {"{float}", "1.1", 1, {"1.1"}},
    {"{float}", "1,000", -1, {NULL}},
    {"{float}", "1,000,0", -1, {NULL}},
    {"{float}", "1,000.1", -1, {NULL}},
    {"{float}", "1,000,10", -1, {NULL}},
    {"{float}", "1,0.1", -1, {NULL}},
    {"{float}", "1,000,000.1", -1, {NULL}},
    {"{float}", "-1.1", 1, {"-1.1"}},
    {"{float}", ".1", 1, {"0.1"}},
    {"{float}", "-.1", 1, {"-0.1"}},
    {"{float}", "-.10000001", 1, {"-0.10000001"}},
    {"{float}", "1E1", 1, {"10"}},
    {"{float}", ".1E1", 1, {"1"}},
    {"{float}", "E1", -1, {NULL}},
    {"{float}", "-.1E-1", 1, {"-0.01"}},
    {"{float}", "-.1E-2", 1, {"-0.001"}},
    {"{float}", "-.1E+1", 1, {"-1"}},
    {"{float}", "-.1E+2", 1, {"-10"}},
    {"{float}", "-.1E1", 1, {"-1"}},
    {"{float}", "-.10E2", 1, {"-10"}},
    {"{float}", "0", 1, {"0"}},
    /* regular expressions */
    {"^I should( not)? be on the map$",
     "I should be on the map",
     1,
     {"<null>"}},
    {"^a (b )?c (d )?e (f )?g$", "a b c e f g", 3, {"b ", "<null>", "f "}},
    {"^a (b )?c (d )?e (f )?g$", "a b c d e f g", 3, {"b ", "d ", "f "}},
    {"^I have (\\d+) cukes$", "I have 42 cukes", 1, {"42"}},
    {"^I have (\\d+) cukes$", "I have 42 cukes\n", -1, {NULL}},
    {"cukes$", "I have 42 cukes", 0, {NULL}},
    {"^(?:a|b)(?=c)(c)$", "bc", 1, {"c"}},
    {"^(?<n>\\d+) items$", "12 items", 1, {"12"}},
    /* RegularExpressionTest */
    {"re:(\\d\\d)", "22", 1, {"22"}},
    {"re:(.*)", "22", 1, {"22"}},
    {"re:(-?\\d+)", "-22", 1, {"-22"}},
    {"re:(\\d+)", "22", 1, {"22"}},
    {"re:hello", "world", -1, {NULL}},
    {"^The value equals \"([^\"]*)\"$", "The value equals \"\"", 1, {""}},
    {"^a user( named \"([^\"]*)\")?$", "a user", 1, {"<null>"}},
    {"^a user( named \"([^\"]*)\")?$",
     "a user named \"Charlie\"",
     1,
     {"Charlie"}},
    {"^a (pre-commercial transaction |pre buyer fee model )?purchase(?: for "
     "\\$(\\d+))?$",
     "a purchase",
     2,
     {"<null>", "<null>"}},
    {"^a (pre-commercial transaction |pre buyer fee model )?purchase(?: for "
     "\\$(\\d+))?$",
     "a purchase for $33",
     2,
     {"<null>", "33"}},
    {"^a (pre-commercial transaction |pre buyer fee model )?purchase(?: for "
     "\\$(\\d+))?$",
     "a pre buyer fee model purchase",
     2,
     {"pre buyer fee model ", "<null>"}},
    {"re:(\\S+) ?(can|cannot)? (?:delete|cancel) the (\\d+)(?:st|nd|rd|th) "
     "(attachment|slide) ?(?:upload)?",
     "I can cancel the 1st slide upload",
     4,
     {"I", "can", "1", "slide"}},
    {"re:Across the line\\(s\\)", "Across the line(s)", 0, {NULL}},
    {"^drawings: ([A-Z_, ()]+)$",
     "drawings: ONE, TWO(ABC)",
     1,
     {"ONE, TWO(ABC)"}},
};

static void test_cucumber_expression_matches_official_cases(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_buf b = LB_BUF_INIT;
    struct lb_expr *e;
    struct lb_error err;
    struct lb_match m;
    size_t i, j;
    int rc;

    (void)state;
    assert_non_null(reg);
    for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
        const struct match_case *c = &match_cases[i];

        lb_error_init(&err);
        /* "re:" marks a regex without anchors (AUTO would not see it) */
        if (strncmp(c->expr, "re:", 3) == 0)
            rc = lb_expr_compile(
                &e, LB_EXPR_REGEX, c->expr + 3, reg, NULL, 0, NULL, &err);
        else
            rc = lb_expr_compile(
                &e, LB_EXPR_AUTO, c->expr, reg, NULL, 0, NULL, &err);
        if (rc != 0)
            fail_msg("'%s' does not compile: %s", c->expr, err.msg);
        rc = lb_expr_match(e, c->text, strlen(c->text), &m, &err);
        if (c->nargs < 0) {
            if (rc != 0)
                fail_msg("'%s' matched '%s'", c->expr, c->text);
            lb_expr_free(e);
            continue;
        }
        if (rc != 1)
            fail_msg("'%s' did not match '%s' (%d)", c->expr, c->text, rc);
        assert_int_equal(m.arg_count, (size_t)c->nargs);
        for (j = 0; j < m.arg_count; j++) {
            lb_buf_reset(&b);
            arg_value(&m, j, &b);
            if (strcmp(b.ptr, c->args[j]) != 0)
                fail_msg("'%s' on '%s': arg %zu is '%s', expected '%s'",
                         c->expr,
                         c->text,
                         j,
                         b.ptr,
                         c->args[j]);
        }
        lb_expr_free(e);
    }
    lb_buf_release(&b);
    lb_param_registry_free(reg);
}

/* "value(child,child(grandchild))"; "~" for a group that did not match */
static void tree_str(const struct lb_match *m, int gi, struct lb_buf *out)
{
    const struct lb_group *g = &m->groups[gi];
    int c;

    if (g->matched)
        (void)lb_buf_add(out, m->text + g->start, g->end - g->start);
    else
        (void)lb_buf_addch(out, '~');
    if (g->child_count == 0)
        return;
    (void)lb_buf_addch(out, '(');
    for (c = g->first_child; c >= 0; c = m->groups[c].next_sibling) {
        if (c != g->first_child)
            (void)lb_buf_addch(out, ',');
        tree_str(m, c, out);
    }
    (void)lb_buf_addch(out, ')');
}

struct tree_case {
    const char *regex;
    const char *text;
    const char *tree;
};

/* After TreeRegexpTest (cucumber-expressions) */
static const struct tree_case tree_cases[] = {
    {"(a(?:b)?)(c)", "ac", "ac(a,c)"},
    {"a(?:b)(c)", "abc", "abc(c)"},
    {"a(?!b)(.+)", "aBc", "aBc(Bc)"},
    {"a(?=[b])(.+)", "abc", "abc(bc)"},
    {"a(.+)(?<=c)$", "abc", "abc(bc)"},
    {"a(.+?)(?<!b)$", "abc", "abc(bc)"},
    {"a(?<name>b)c", "abc", "abc(b)"},
    {"^Something( with an optional argument)?", "Something", "Something(~)"},
    {"^A (\\d+) thick line from ((\\d+),\\s*(\\d+),\\s*(\\d+)) to "
     "((\\d+),\\s*(\\d+),\\s*(\\d+))",
     "A 5 thick line from 10,20,30 to 40,50,60",
     "A 5 thick line from 10,20,30 to "
     "40,50,60(5,10,20,30(10,20,30),40,50,60(40,50,60))"},
    {"(?:a)(:b)(\\?c)(d)", "a:b?cd", "a:b?cd(:b,?c,d)"},
    {"foo\\\\(bar|baz)", "foo\\bar", "foo\\bar(bar)"},
    {"^I go to '\\/(.+)'$", "I go to '/hello'", "I go to '/hello'(hello)"},
    {"^(\\d) (\\w+)$", "2 you", "2 you(2,you)"},
    {"the stdout(?: from \"(.*?)\")?", "the stdout", "the stdout(~)"},
    {"(?i)HELLO", "hello", "hello"},
    {"()", "", "()"},
    {"(?<=)", "", ""},
    {"^drawings: ([A-Z, ()]+)$",
     "drawings: ONE(TWO)",
     "drawings: ONE(TWO)(ONE(TWO))"},
    /* PCRE2-only named groups are captures too */
    {"(?P<a>x)(?'b'y)", "xy", "xy(x,y)"},
};

static void test_cucumber_expression_builds_official_group_trees(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_buf b = LB_BUF_INIT;
    struct lb_expr *e;
    struct lb_error err;
    struct lb_match m;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(tree_cases) / sizeof(tree_cases[0]); i++) {
        lb_error_init(&err);
        if (lb_expr_compile(&e,
                            LB_EXPR_REGEX,
                            tree_cases[i].regex,
                            reg,
                            NULL,
                            0,
                            NULL,
                            &err) != 0)
            fail_msg("'%s': %s", tree_cases[i].regex, err.msg);
        assert_int_equal(
            lb_expr_match(
                e, tree_cases[i].text, strlen(tree_cases[i].text), &m, NULL),
            1);
        lb_buf_reset(&b);
        tree_str(&m, 0, &b);
        if (strcmp(b.ptr, tree_cases[i].tree) != 0)
            fail_msg("'%s' on '%s': tree %s, expected %s",
                     tree_cases[i].regex,
                     tree_cases[i].text,
                     b.ptr,
                     tree_cases[i].tree);
        lb_expr_free(e);
    }
    lb_buf_release(&b);
    lb_param_registry_free(reg);
}

struct regex_case {
    const char *expr;
    const char *regex;
};

/* testdata/cucumber-expression/transformation */
static const struct regex_case regex_cases[] = {
    {"a/b(c)", "^(?:a|b(?:c)?)$"},
    {"^$[]\\(\\){}\\\\.|?*+", "^\\^\\$\\[\\]\\(\\)(.*)\\\\\\.\\|\\?\\*\\+$"},
    {"{int}", "^((?:-?\\d+)|(?:\\d+))$"},
    {"Привет, Мир(ы)!", "^Привет, Мир(?:ы)?!$"},
    {"a/b c/d/e", "^(?:a|b) (?:c|d|e)$"},
    {"I have {string}",
     "^I have (\"([^\"\\\\]*(\\\\.[^\"\\\\]*)*)\"|'([^'\\\\]*(\\\\.[^'\\\\]*)"
     "*)')$"},
};

static void test_cucumber_expression_translates_to_official_regex(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_expr *e;
    struct lb_error err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(regex_cases) / sizeof(regex_cases[0]); i++) {
        lb_error_init(&err);
        assert_int_equal(lb_expr_compile(&e,
                                         LB_EXPR_CUCUMBER,
                                         regex_cases[i].expr,
                                         reg,
                                         NULL,
                                         0,
                                         NULL,
                                         &err),
                         0);
        assert_string_equal(lb_expr_regex(e), regex_cases[i].regex);
        assert_int_equal(lb_expr_kind(e), LB_EXPR_CUCUMBER);
        assert_string_equal(lb_expr_source(e), regex_cases[i].expr);
        lb_expr_free(e);
    }
    lb_param_registry_free(reg);
}

struct ast_case {
    const char *expr;
    const char *ast;
};

/* testdata/cucumber-expression/parser: expected_ast, written compactly */
static const struct ast_case ast_cases[] = {
    {"three blind\\ rat/cat(s)",
     "EXPRESSION(0,23)[TEXT(0,5,\"three\"),TEXT(5,6,\" \"),"
     "ALTERNATION(6,23)[ALTERNATIVE(6,16)[TEXT(6,16,\"blind rat\")],"
     "ALTERNATIVE(17,23)[TEXT(17,20,\"cat\"),OPTIONAL(20,23)[TEXT(21,22,"
     "\"s\")]]]]"},
    {"three \\((very) blind) mice",
     "EXPRESSION(0,26)[TEXT(0,5,\"three\"),TEXT(5,6,\" \"),TEXT(6,8,\"(\"),"
     "OPTIONAL(8,14)[TEXT(9,13,\"very\")],TEXT(14,15,\" \"),"
     "TEXT(15,20,\"blind\"),TEXT(20,21,\")\"),TEXT(21,22,\" \"),"
     "TEXT(22,26,\"mice\")]"},
    {"three ((very) blind) mice",
     "EXPRESSION(0,25)[TEXT(0,5,\"three\"),TEXT(5,6,\" \"),"
     "OPTIONAL(6,20)[OPTIONAL(7,13)[TEXT(8,12,\"very\")],TEXT(13,14,\" \"),"
     "TEXT(14,19,\"blind\")],TEXT(20,21,\" \"),TEXT(21,25,\"mice\")]"},
    {")", "EXPRESSION(0,1)[TEXT(0,1,\")\")]"},
    {"mice\\/rats", "EXPRESSION(0,10)[TEXT(0,10,\"mice/rats\")]"},
    {"\xf0\x9f\x98\x80 {int}",
     "EXPRESSION(0,7)[TEXT(0,1,\"\xf0\x9f\x98\x80\"),TEXT(1,2,\" \"),"
     "PARAMETER(2,7)[TEXT(3,6,\"int\")]]"},
    {"", "EXPRESSION(0,0)[]"},
};

static void test_cucumber_expression_parses_official_asts(void **state)
{
    struct lb_expr_problem problem;
    struct lb_buf b = LB_BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ast_cases) / sizeof(ast_cases[0]); i++) {
        lb_buf_reset(&b);
        assert_int_equal(lb__cexpr_ast_dump(ast_cases[i].expr, &b, &problem),
                         0);
        if (strcmp(b.ptr, ast_cases[i].ast) != 0)
            fail_msg("'%s':\n got  %s\n want %s",
                     ast_cases[i].expr,
                     b.ptr,
                     ast_cases[i].ast);
    }
    lb_buf_release(&b);
}

struct error_case {
    const char *expr;
    int column;
    const char *official;
};

/* testdata/cucumber-expression/{matching,tokenizer,parser}: exceptions */
static const struct error_case error_cases[] = {
    {"three( brown/black) mice",
     13,
     "This Cucumber Expression has a problem at column 13:\n\n"
     "three( brown/black) mice\n"
     "            ^\n"
     "An alternation can not be used inside an optional.\n"
     "If you did not mean to use an alternation you can use '\\/' to escape "
     "the '/'. Otherwise rephrase your expression or consider using a "
     "regular expression instead."},
    {"{int}/x",
     6,
     "This Cucumber Expression has a problem at column 6:\n\n"
     "{int}/x\n"
     "     ^\n"
     "Alternative may not be empty.\n"
     "If you did not mean to use an alternative you can use '\\/' to escape "
     "the '/'"},
    {"three (brown)/black mice",
     7,
     "This Cucumber Expression has a problem at column 7:\n\n"
     "three (brown)/black mice\n"
     "      ^-----^\n"
     "An alternative may not exclusively contain optionals.\n"
     "If you did not mean to use an optional you can use '\\(' to escape the "
     "'('"},
    {"x/{int}",
     3,
     "This Cucumber Expression has a problem at column 3:\n\n"
     "x/{int}\n"
     "  ^\n"
     "Alternative may not be empty.\n"
     "If you did not mean to use an alternative you can use '\\/' to escape "
     "the '/'"},
    {"three brown//black mice",
     13,
     "This Cucumber Expression has a problem at column 13:\n\n"
     "three brown//black mice\n"
     "            ^\n"
     "Alternative may not be empty.\n"
     "If you did not mean to use an alternative you can use '\\/' to escape "
     "the '/'"},
    {"three () mice",
     7,
     "This Cucumber Expression has a problem at column 7:\n\n"
     "three () mice\n"
     "      ^^\n"
     "An optional must contain some text.\n"
     "If you did not mean to use an optional you can use '\\(' to escape the "
     "'('"},
    {"(a(b))",
     3,
     "This Cucumber Expression has a problem at column 3:\n\n"
     "(a(b))\n"
     "  ^-^\n"
     "An optional may not contain an other optional.\n"
     "If you did not mean to use an optional type you can use '\\(' to escape "
     "the '('. For more complicated expressions consider using a regular "
     "expression instead."},
    {"({int})",
     2,
     "This Cucumber Expression has a problem at column 2:\n\n"
     "({int})\n"
     " ^---^\n"
     "An optional may not contain a parameter type.\n"
     "If you did not mean to use an parameter type you can use '\\{' to "
     "escape the '{'"},
    {"{(string)}",
     2,
     "This Cucumber Expression has a problem at column 2:\n\n"
     "{(string)}\n"
     " ^\n"
     "Parameter names may not contain '{', '}', '(', ')', '\\' or '/'.\n"
     "Did you mean to use a regular expression?"},
    {"\\[",
     2,
     "This Cucumber Expression has a problem at column 2:\n\n"
     "\\[\n"
     " ^\n"
     "Only the characters '{', '}', '(', ')', '\\', '/' and whitespace can "
     "be escaped.\n"
     "If you did mean to use an '\\' you can use '\\\\' to escape it"},
    {"\\",
     1,
     "This Cucumber Expression has a problem at column 1:\n\n"
     "\\\n"
     "^\n"
     "The end of line can not be escaped.\n"
     "You can use '\\\\' to escape the '\\'"},
    {"(",
     1,
     "This Cucumber Expression has a problem at column 1:\n\n"
     "(\n"
     "^\n"
     "The '(' does not have a matching ')'.\n"
     "If you did not intend to use optional text you can use '\\(' to escape "
     "the optional text"},
    {"three blind\\ mice/rats(",
     23,
     "This Cucumber Expression has a problem at column 23:\n\n"
     "three blind\\ mice/rats(\n"
     "                      ^\n"
     "The '(' does not have a matching ')'.\n"
     "If you did not intend to use optional text you can use '\\(' to escape "
     "the optional text"},
    {"{string",
     1,
     "This Cucumber Expression has a problem at column 1:\n\n"
     "{string\n"
     "^\n"
     "The '{' does not have a matching '}'.\n"
     "If you did not intend to use a parameter you can use '\\{' to escape "
     "the a parameter"},
};

static void test_cucumber_expression_reports_official_errors(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_expr_problem problem;
    struct lb_expr *e;
    struct lb_error err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
        lb_error_init(&err);
        assert_int_equal(lb_expr_compile(&e,
                                         LB_EXPR_CUCUMBER,
                                         error_cases[i].expr,
                                         reg,
                                         NULL,
                                         0,
                                         &problem,
                                         &err),
                         LB_EINVAL);
        assert_null(e);
        assert_int_equal(problem.kind, LB_EXPR_E_SYNTAX);
        assert_int_equal(problem.column, error_cases[i].column);
        assert_string_equal(problem.official, error_cases[i].official);
        assert_non_null(strstr(err.msg, error_cases[i].expr));
        assert_null(strchr(err.msg, '\n'));
    }
    lb_param_registry_free(reg);
}

static void
test_cucumber_expression_names_undefined_parameter_type(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_expr_problem problem;
    struct lb_expr *e;
    struct lb_error err;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_AUTO,
                                     "{airport} is closed because of a strike",
                                     reg,
                                     "steps/flight.c",
                                     12,
                                     &problem,
                                     &err),
                     LB_EINVAL);
    assert_int_equal(problem.kind, LB_EXPR_E_UNDEFINED_PARAMETER_TYPE);
    assert_string_equal(problem.name, "airport");
    assert_string_equal(
        problem.official,
        "This Cucumber Expression has a problem at column 1:\n\n"
        "{airport} is closed because of a strike\n"
        "^-------^\n"
        "Undefined parameter type 'airport'.\n"
        "Please register a ParameterType for 'airport'");
    assert_string_equal(err.file, "steps/flight.c");
    assert_int_equal(err.line, 12);
    assert_string_equal(err.msg,
                        "step pattern '{airport} is closed because of a "
                        "strike' has a problem at column 1: undefined "
                        "parameter type 'airport'");
    /* columns count code points: the emoji is one column */
    lb_error_init(&err);
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_CUCUMBER,
                                     "\xf0\x9f\x98\x80 {x}",
                                     reg,
                                     NULL,
                                     0,
                                     &problem,
                                     &err),
                     LB_EINVAL);
    assert_int_equal(problem.column, 3);
    lb_param_registry_free(reg);
}

static void
test_cucumber_expression_regex_compile_error_names_location(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_expr_problem problem;
    struct lb_expr *e;
    struct lb_error err;
    char printed[1024];
    FILE *f;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_AUTO,
                                     "^I send (\\d+ coins$",
                                     reg,
                                     "steps/x.c",
                                     88,
                                     &problem,
                                     &err),
                     LB_EINVAL);
    assert_int_equal(problem.kind, LB_EXPR_E_REGEX_COMPILE);
    assert_string_equal(err.msg,
                        "step pattern '^I send (\\d+ coins$' does not "
                        "compile: missing closing parenthesis at offset 19");
    f = tmpfile();
    assert_non_null(f);
    lb_error_print(&err, f);
    rewind(f);
    assert_non_null(fgets(printed, sizeof(printed), f));
    (void)fclose(f);
    assert_non_null(strstr(printed, "steps/x.c:88: error: step pattern"));
    lb_param_registry_free(reg);
}

/* Deep nesting is an error, not a stack overflow. */
static void test_cucumber_expression_bounds_nesting(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_expr_problem problem;
    struct lb_buf b = LB_BUF_INIT;
    struct lb_expr *e;
    struct lb_error err;
    size_t i;

    (void)state;
    for (i = 0; i < 100000; i++)
        (void)lb_buf_addch(&b, '(');
    (void)lb_buf_addch(&b, 'a');
    for (i = 0; i < 100000; i++)
        (void)lb_buf_addch(&b, ')');
    lb_error_init(&err);
    assert_int_equal(
        lb_expr_compile(
            &e, LB_EXPR_CUCUMBER, b.ptr, reg, NULL, 0, &problem, &err),
        LB_EINVAL);
    assert_non_null(strstr(err.msg,
                           "(((...' has a problem at column 100: "
                           "optional text is nested too deeply"));
    assert_int_equal(problem.column, 100);
    lb_buf_release(&b);
    lb_param_registry_free(reg);
}

static void test_cucumber_expression_kind_follows_anchors(void **state)
{
    (void)state;
    assert_int_equal(lb_expr_kind_of("^a", LB_EXPR_AUTO), LB_EXPR_REGEX);
    assert_int_equal(lb_expr_kind_of("a$", LB_EXPR_AUTO), LB_EXPR_REGEX);
    assert_int_equal(lb_expr_kind_of("a {int}", LB_EXPR_AUTO),
                     LB_EXPR_CUCUMBER);
    assert_int_equal(lb_expr_kind_of("^a", LB_EXPR_CUCUMBER), LB_EXPR_CUCUMBER);
    assert_int_equal(lb_expr_kind_of("a", LB_EXPR_REGEX), LB_EXPR_REGEX);
}

/* The {string} tree as the CCK's attachments sample shows it. */
static void test_cucumber_expression_builds_string_group_tree(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    const struct lb_group *g, *c1, *c2;
    const char *text = "the string \"hello\" is attached";
    struct lb_expr *e;
    struct lb_match m;
    const char *vals[4];
    size_t lens[4];

    (void)state;
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_CUCUMBER,
                                     "the string {string} is attached",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    assert_int_equal(lb_expr_match(e, text, strlen(text), &m, NULL), 1);
    assert_int_equal(m.arg_count, 1);
    assert_string_equal(lb_match_arg_type(&m, 0)->name, "string");
    g = &m.groups[lb_match_arg_group(&m, 0)];
    assert_true(g->matched);
    assert_int_equal(g->start_utf16, 11);
    assert_int_equal(g->end - g->start, 7);
    assert_int_equal(g->child_count, 2);
    c1 = &m.groups[g->first_child];
    assert_true(c1->matched);
    assert_int_equal(c1->start, 12);
    assert_int_equal(c1->child_count, 1);
    assert_false(m.groups[c1->first_child].matched);
    c2 = &m.groups[c1->next_sibling];
    assert_false(c2->matched);
    assert_int_equal(c2->child_count, 1);
    assert_false(m.groups[c2->first_child].matched);
    assert_int_equal(c2->next_sibling, -1);
    /* the transformer's values: both quote kinds' contents */
    assert_int_equal(lb_match_arg_values(&m, 0, vals, lens, 4), 2);
    assert_memory_equal(vals[0], "hello", 5);
    assert_int_equal(lens[0], 5);
    assert_null(vals[1]);
    lb_expr_free(e);
    lb_param_registry_free(reg);
}

/* The CCK's parameter-types sample: {flight} with two groups. */
static void test_cucumber_expression_custom_type_groups(void **state)
{
    static const char *const flight_re[] = {"([A-Z]{3})-([A-Z]{3})"};
    struct lb_param_type_def def = {
        "flight", flight_re, 1, false, true, (void *)&def, "steps/f.c", 11};
    struct lb_param_registry *reg = lb_param_registry_new();
    const struct lb_param_type *t = NULL;
    const char *text = "LHR-CDG has been delayed";
    const struct lb_group *g;
    struct lb_expr *e;
    struct lb_match m, *dup;
    const char *vals[2];
    size_t lens[2];

    (void)state;
    assert_int_equal(lb_param_registry_define(reg, &def, &t, NULL), 0);
    assert_string_equal(t->name, "flight");
    assert_ptr_equal(t->user, &def);
    assert_string_equal(t->file, "steps/f.c");
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_CUCUMBER,
                                     "{flight} has been delayed",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    assert_int_equal(lb_expr_match(e, text, strlen(text), &m, NULL), 1);
    assert_ptr_equal(lb_match_arg_type(&m, 0), t);
    g = &m.groups[lb_match_arg_group(&m, 0)];
    assert_int_equal(g->start_utf16, 0);
    assert_int_equal(g->child_count, 2);
    assert_int_equal(m.groups[g->first_child].start_utf16, 0);
    assert_int_equal(m.groups[m.groups[g->first_child].next_sibling].start, 4);
    assert_int_equal(lb_match_arg_values(&m, 0, vals, lens, 2), 2);
    assert_memory_equal(vals[0], "LHR", 3);
    assert_memory_equal(vals[1], "CDG", 3);
    dup = lb_match_dup(&m);
    assert_non_null(dup);
    lb_expr_free(e); /* the copy outlives the expression's scratch */
    assert_int_equal(dup->groups[2].start, 0);
    assert_int_equal(dup->groups[3].start, 4);
    lb_match_free(dup);
    lb_param_registry_free(reg);
}

/* group.start counts UTF-16 code units, as JavaScript (messages) does. */
static void test_cucumber_expression_offsets_in_utf16_units(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    const char *text = "Zo\xc3\xab \xf0\x9f\x98\x80 has 5 \xe2\x82\xac";
    const struct lb_group *g;
    struct lb_expr *e;
    struct lb_match m;
    long long v;

    (void)state;
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_CUCUMBER,
                                     "{} has {int} \xe2\x82\xac",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    assert_int_equal(lb_expr_match(e, text, strlen(text), &m, NULL), 1);
    g = &m.groups[lb_match_arg_group(&m, 1)];
    assert_int_equal(g->start, 14);
    assert_int_equal(g->start_utf16, 11);
    assert_int_equal(lb_match_arg_int(&m, 1, &v, NULL), 0);
    assert_int_equal(v, 5);
    /* invalid UTF-8 is refused, not matched */
    assert_int_equal(lb_expr_match(e, "\xff has 5 x", 9, &m, NULL), LB_EINVAL);
    lb_expr_free(e);
    lb_param_registry_free(reg);
}

static void
test_cucumber_expression_regex_groups_get_parameter_types(void **state)
{
    static const char *const color_re[] = {"[a-z]+"};
    struct lb_param_type_def color = {
        "color", color_re, 1, false, true, NULL, NULL, 0};
    struct lb_param_type_def shade = {
        "shade", color_re, 1, false, true, NULL, NULL, 0};
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_expr *e;
    struct lb_match m;
    struct lb_error err;
    const char *text = "I have 5 red cukes";

    (void)state;
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_REGEX,
                                     "^I have (\\d+) (.*?) cukes$",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    assert_int_equal(lb_expr_arg_count(e), 2);
    assert_string_equal(lb_expr_arg_type(e, 0)->name, "int");
    assert_null(lb_expr_arg_type(e, 1)->name);
    assert_int_equal(lb_expr_arg_type(e, 1)->kind, LB_PARAM_REGEX_GROUP);
    assert_int_equal(lb_expr_match(e, text, strlen(text), &m, NULL), 1);
    lb_expr_free(e);

    /* two non-preferential types share a regexp: ambiguous at match time */
    assert_int_equal(lb_param_registry_define(reg, &color, NULL, NULL), 0);
    assert_int_equal(lb_param_registry_define(reg, &shade, NULL, NULL), 0);
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_REGEX,
                                     "^I have 5 ([a-z]+) cukes$",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    lb_error_init(&err);
    assert_int_equal(lb_expr_match(e, text, strlen(text), &m, &err), LB_EINVAL);
    assert_non_null(strstr(err.msg,
                           "Your Regular Expression /^I have 5 ([a-z]+) "
                           "cukes$/ matches multiple parameter types with "
                           "regexp /[a-z]+/: {color} {shade}. I couldn't "
                           "decide which one to use."));
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, "I {color} {int} {color} {color}"));
    lb_expr_free(e);
    lb_param_registry_free(reg);
}

static void test_cucumber_expression_unsupported_group_constructs(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_expr_problem problem;
    struct lb_expr *e;
    struct lb_error err;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(
        lb_expr_compile(
            &e, LB_EXPR_REGEX, "^(?|(a)|(b))$", reg, NULL, 0, &problem, &err),
        LB_EINVAL);
    assert_int_equal(problem.kind, LB_EXPR_E_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "cannot be mapped"));
    lb_param_registry_free(reg);
}

static void test_parameter_type_registry_rules(void **state)
{
    static const char *const re[] = {"\\d+"};
    static const char *const bad[] = {"(unclosed"};
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_param_type_def def = {"int", re, 1, true, false, NULL, "a.c", 3};
    const struct lb_param_type *const *types;
    struct lb_error err;
    size_t n;

    (void)state;
    assert_non_null(lb_param_registry_lookup(reg, "int"));
    assert_non_null(lb_param_registry_lookup(reg, ""));
    assert_non_null(lb_param_registry_lookup(reg, "bigint"));
    assert_null(lb_param_registry_lookup(reg, "airport"));
    assert_string_equal(lb_param_registry_at(reg, 0)->name, "int");
    assert_true(lb_param_registry_at(reg, 0)->builtin);

    lb_error_init(&err);
    assert_int_equal(lb_param_registry_define(reg, &def, NULL, &err),
                     LB_EINVAL);
    assert_string_equal(err.msg,
                        "There is already a parameter type with name int");
    assert_string_equal(err.file, "a.c");

    def.name = "";
    lb_error_init(&err);
    assert_int_equal(lb_param_registry_define(reg, &def, NULL, &err),
                     LB_EINVAL);
    assert_string_equal(err.msg,
                        "The anonymous parameter type has already been "
                        "defined");

    def.name = "my(type";
    lb_error_init(&err);
    assert_int_equal(lb_param_registry_define(reg, &def, NULL, &err),
                     LB_EINVAL);
    assert_string_equal(err.msg,
                        "Illegal character in parameter name {my(type}. "
                        "Parameter names may not contain '{', '}', '(', ')', "
                        "'\\' or '/'");

    /* \d+ already has the preferential {int} */
    def.name = "count";
    lb_error_init(&err);
    assert_int_equal(lb_param_registry_define(reg, &def, NULL, &err),
                     LB_EINVAL);
    assert_string_equal(err.msg,
                        "There can only be one preferential parameter type "
                        "per regexp. The regexp /\\d+/ is used for two "
                        "preferential parameter types, {int} and {count}");

    def.prefer_for_regexp_match = false;
    def.regexps = bad;
    lb_error_init(&err);
    assert_int_equal(lb_param_registry_define(reg, &def, NULL, &err),
                     LB_EINVAL);
    assert_non_null(strstr(err.msg,
                           "parameter type 'count' regexp '(unclosed' does "
                           "not compile: missing closing parenthesis"));

    def.regexps = re;
    assert_int_equal(lb_param_registry_define(reg, &def, NULL, NULL), 0);
    types = lb_param_registry_lookup_by_regexp(reg, "\\d+", &n);
    /* preferential first, then by name */
    assert_int_equal(n, 7);
    assert_string_equal(types[0]->name, "int");
    assert_string_equal(types[1]->name, "bigint");
    assert_string_equal(types[3]->name, "byte");
    assert_string_equal(types[4]->name, "count");
    assert_null(lb_param_registry_lookup_by_regexp(reg, "x", &n));
    assert_int_equal(n, 0);
    lb_param_registry_free(reg);
}

/* CucumberExpressionTest: unmatched optional groups have no values */
static void test_cucumber_expression_custom_type_optional_groups(void **state)
{
    static const char *const re[] = {"([A-Z]+)?(?: )?([0-9]+)?"};
    struct lb_param_type_def def = {
        "textAndOrNumber", re, 1, true, false, NULL, NULL, 0};
    struct lb_param_registry *reg = lb_param_registry_new();
    const char *vals[2];
    size_t lens[2];
    struct lb_expr *e;
    struct lb_match m;

    (void)state;
    assert_int_equal(lb_param_registry_define(reg, &def, NULL, NULL), 0);
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_CUCUMBER,
                                     "{textAndOrNumber}",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    assert_int_equal(lb_expr_match(e, "TLA", 3, &m, NULL), 1);
    assert_int_equal(lb_match_arg_values(&m, 0, vals, lens, 2), 2);
    assert_memory_equal(vals[0], "TLA", 3);
    assert_null(vals[1]);
    assert_int_equal(lb_expr_match(e, "123", 3, &m, NULL), 1);
    assert_int_equal(lb_match_arg_values(&m, 0, vals, lens, 2), 2);
    assert_null(vals[0]);
    assert_memory_equal(vals[1], "123", 3);
    lb_expr_free(e);
    lb_param_registry_free(reg);
}

/* ParameterTypeRegistryTest */
static void test_parameter_type_registry_official_cases(void **state)
{
    static const char *const re[] = {"[A-Z]+\\w+"};
    struct lb_param_type_def name = {"name", re, 1, true, true, NULL, NULL, 0};
    struct lb_param_type_def person = {
        "person", re, 1, false, true, NULL, NULL, 0};
    struct lb_param_type_def place = {
        "place", re, 1, true, true, NULL, NULL, 0};
    struct lb_param_registry *reg = lb_param_registry_new();
    const struct lb_param_type *const *types;
    const struct lb_param_type *p = NULL;
    struct lb_expr *e;
    struct lb_error err;
    struct lb_match m;
    size_t n;

    (void)state;
    assert_int_equal(lb_param_registry_define(reg, &name, NULL, NULL), 0);
    assert_int_equal(lb_param_registry_define(reg, &person, NULL, NULL), 0);
    lb_error_init(&err);
    assert_int_equal(lb_param_registry_define(reg, &place, NULL, &err),
                     LB_EINVAL);
    assert_string_equal(err.msg,
                        "There can only be one preferential parameter type "
                        "per regexp. The regexp /[A-Z]+\\w+/ is used for two "
                        "preferential parameter types, {name} and {place}");
    lb_param_registry_free(reg);

    /* looks up the preferential type by regexp */
    reg = lb_param_registry_new();
    name.prefer_for_regexp_match = false;
    person.prefer_for_regexp_match = true;
    place.prefer_for_regexp_match = false;
    assert_int_equal(lb_param_registry_define(reg, &name, NULL, NULL), 0);
    assert_int_equal(lb_param_registry_define(reg, &person, &p, NULL), 0);
    assert_int_equal(lb_param_registry_define(reg, &place, NULL, NULL), 0);
    types = lb_param_registry_lookup_by_regexp(reg, "[A-Z]+\\w+", &n);
    assert_int_equal(n, 3);
    assert_ptr_equal(types[0], p);
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_REGEX,
                                     "([A-Z]+\\w+) and ([A-Z]+\\w+)",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    assert_int_equal(lb_expr_match(e, "Lisa and Bob", 12, &m, NULL), 1);
    assert_ptr_equal(lb_match_arg_type(&m, 0), p);
    assert_ptr_equal(lb_match_arg_type(&m, 1), p);
    lb_expr_free(e);
    lb_param_registry_free(reg);
}

static void test_parameter_type_conversions(void **state)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_error err;
    long long v;
    double d;

    (void)state;
    assert_int_equal(lb_param_parse_int("-42", 3, &v, NULL), 0);
    assert_int_equal(v, -42);
    assert_int_equal(lb_param_parse_int("9223372036854775807", 19, &v, NULL),
                     0);
    assert_int_equal(v, 9223372036854775807LL);
    lb_error_init(&err);
    assert_int_equal(lb_param_parse_int("99999999999999999999", 20, &v, &err),
                     LB_EINVAL);
    assert_string_equal(
        err.msg, "cannot convert '99999999999999999999' to int: out of range");
    lb_error_init(&err);
    assert_int_equal(lb_param_parse_int("1.5", 3, &v, &err), LB_EINVAL);
    assert_string_equal(err.msg, "cannot convert '1.5' to int: not an integer");
    assert_int_equal(lb_param_parse_int("-", 1, &v, NULL), LB_EINVAL);

    assert_int_equal(lb_param_parse_double("1.5E+3", 6, &d, NULL), 0);
    assert_true(d == 1500.0);
    assert_int_equal(lb_param_parse_double("-.5", 3, &d, NULL), 0);
    assert_true(d == -0.5);
    /* parseFloat reads no hex and no "inf" */
    assert_int_equal(lb_param_parse_double("0x10", 4, &d, NULL), 0);
    assert_true(d == 0.0);
    assert_int_equal(lb_param_parse_double("inf", 3, &d, NULL), LB_EINVAL);

    assert_int_equal(
        lb_param_unquote_string("\"a \\\"b\\\" \\n\"", 12, &b, NULL), 0);
    assert_string_equal(b.ptr, "a \"b\" \\n");
    lb_buf_reset(&b);
    assert_int_equal(lb_param_unquote_string("'it\\'s'", 7, &b, NULL), 0);
    assert_string_equal(b.ptr, "it's");
    lb_error_init(&err);
    assert_int_equal(lb_param_unquote_string("plain", 5, &b, &err), LB_EINVAL);
    assert_string_equal(err.msg,
                        "cannot convert 'plain' to string: not quoted");
    lb_buf_release(&b);
}

static void test_cucumber_expression_argument_errors_name_the_step(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    const char *text = "I have 99999999999999999999 cukes";
    struct lb_expr *e;
    struct lb_match m;
    struct lb_error err;
    long long v;
    double d;

    (void)state;
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_CUCUMBER,
                                     "I have {int} cukes",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    assert_int_equal(lb_expr_match(e, text, strlen(text), &m, NULL), 1);
    lb_error_init(&err);
    assert_int_equal(lb_match_arg_int(&m, 0, &v, &err), LB_EINVAL);
    assert_string_equal(err.msg,
                        "argument 1 ({int}) of step 'I have "
                        "99999999999999999999 cukes': cannot convert "
                        "'99999999999999999999' to int: out of range");
    /* the double of a big int is fine */
    assert_int_equal(lb_match_arg_double(&m, 0, &d, NULL), 0);
    assert_true(d > 9e19);
    lb_expr_free(e);

    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_REGEX,
                                     "^I have (\\w+) cukes$",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    assert_int_equal(lb_expr_match(e, "I have many cukes", 17, &m, NULL), 1);
    lb_error_init(&err);
    assert_int_equal(lb_match_arg_int(&m, 0, &v, &err), LB_EINVAL);
    assert_string_equal(err.msg,
                        "argument 1 (regex group) of step 'I have many "
                        "cukes': cannot convert 'many' to int: not an "
                        "integer");
    lb_expr_free(e);
    lb_param_registry_free(reg);
}

/* Counting allocator: everything, PCRE2 included, goes through the hook. */
static long live_allocs;
static long total_allocs;

static void *count_malloc(size_t n)
{
    live_allocs++;
    total_allocs++;
    return malloc(n);
}

static void *count_calloc(size_t c, size_t n)
{
    live_allocs++;
    total_allocs++;
    return calloc(c, n);
}

static void *count_realloc(void *p, size_t n)
{
    if (p == NULL) {
        live_allocs++;
        total_allocs++;
    }
    return realloc(p, n);
}

static void count_free(void *p)
{
    if (p != NULL)
        live_allocs--;
    free(p);
}

static void test_cucumber_expression_allocates_through_hook(void **state)
{
    struct lb_param_registry *reg;
    struct lb_expr *e;
    struct lb_match m;
    long before;

    (void)state;
    assert_int_equal(lb_replace_allocator(
                         count_malloc, count_realloc, count_calloc, count_free),
                     0);
    live_allocs = total_allocs = 0;
    reg = lb_param_registry_new();
    before = total_allocs;
    assert_int_equal(lb_expr_compile(&e,
                                     LB_EXPR_CUCUMBER,
                                     "I have {int} cuke(s) in {string}",
                                     reg,
                                     NULL,
                                     0,
                                     NULL,
                                     NULL),
                     0);
    /* the PCRE2 code and match data come through the hook too */
    assert_true(total_allocs - before >= 4);
    assert_int_equal(lb_expr_match(e, "I have 2 cukes in 'x'", 21, &m, NULL),
                     1);
    before = total_allocs;
    assert_int_equal(lb_expr_match(e, "I have 3 cuke in 'y'", 20, &m, NULL), 1);
    assert_int_equal(total_allocs, before); /* no allocation per match */
    lb_expr_free(e);
    lb_param_registry_free(reg);
    assert_int_equal(live_allocs, 0);
    assert_int_equal(lb_replace_allocator(malloc, realloc, calloc, free), 0);
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
 * Random expressions over the grammar's characters compile or fail with a
 * message, never crash; the compiled ones match without errors. (CI runs
 * this under ASan and UBSan.)
 */
static void test_cucumber_expression_survives_random_input(void **state)
{
    static const char *const atoms[] = {
        "{", "}", "(",        ")",      "/",        "\\", " ",
        "a", "1", "\xc3\xa9", "{int}",  "{string}", "{}", "\\(",
        "[", "^", "$",        "{word}", "(s)",      "|"};
    static const char *const texts[] = {
        "", "a", "1", "a 1", "a/1", "\"x\"", " ", "\xc3\xa9", "((", "1 a"};
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_expr_problem problem;
    struct lb_buf src = LB_BUF_INIT;
    struct lb_expr *e;
    struct lb_error err;
    struct lb_match m;
    size_t natoms = sizeof(atoms) / sizeof(atoms[0]), i, j, n, ok = 0;
    int rc;

    (void)state;
    for (i = 0; i < 20000; i++) {
        lb_buf_reset(&src);
        n = 1 + next_rand() % 8;
        for (j = 0; j < n; j++)
            (void)lb_buf_adds(&src, atoms[next_rand() % natoms]);
        lb_error_init(&err);
        rc = lb_expr_compile(&e,
                             (i % 3 == 0) ? LB_EXPR_AUTO : LB_EXPR_CUCUMBER,
                             src.ptr,
                             reg,
                             NULL,
                             0,
                             &problem,
                             &err);
        if (rc != 0) {
            assert_int_equal(rc, LB_EINVAL);
            assert_true(err.msg[0] != '\0');
            assert_true(problem.kind != LB_EXPR_OK);
            continue;
        }
        ok++;
        for (j = 0; j < sizeof(texts) / sizeof(texts[0]); j++)
            assert_true(
                lb_expr_match(e, texts[j], strlen(texts[j]), &m, NULL) >= 0);
        lb_expr_free(e);
    }
    /* both outcomes are exercised */
    assert_true(ok > 1000 && ok < 19000);
    lb_buf_release(&src);
    lb_param_registry_free(reg);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cucumber_expression_matches_official_cases),
        cmocka_unit_test(test_cucumber_expression_translates_to_official_regex),
        cmocka_unit_test(test_cucumber_expression_parses_official_asts),
        cmocka_unit_test(test_cucumber_expression_reports_official_errors),
        cmocka_unit_test(
            test_cucumber_expression_names_undefined_parameter_type),
        cmocka_unit_test(
            test_cucumber_expression_regex_compile_error_names_location),
        cmocka_unit_test(test_cucumber_expression_kind_follows_anchors),
        cmocka_unit_test(test_cucumber_expression_bounds_nesting),
        cmocka_unit_test(test_cucumber_expression_builds_string_group_tree),
        cmocka_unit_test(test_cucumber_expression_builds_official_group_trees),
        cmocka_unit_test(test_cucumber_expression_custom_type_groups),
        cmocka_unit_test(test_cucumber_expression_offsets_in_utf16_units),
        cmocka_unit_test(
            test_cucumber_expression_regex_groups_get_parameter_types),
        cmocka_unit_test(test_cucumber_expression_unsupported_group_constructs),
        cmocka_unit_test(test_parameter_type_registry_rules),
        cmocka_unit_test(test_parameter_type_conversions),
        cmocka_unit_test(test_cucumber_expression_custom_type_optional_groups),
        cmocka_unit_test(test_parameter_type_registry_official_cases),
        cmocka_unit_test(test_cucumber_expression_allocates_through_hook),
        cmocka_unit_test(
            test_cucumber_expression_argument_errors_name_the_step),
        cmocka_unit_test(test_cucumber_expression_survives_random_input),
    };

    return cmocka_run_group_tests_name(
        "cucumber_expression", tests, NULL, NULL);
}
