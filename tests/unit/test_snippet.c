/*
 * Unit tests of snippets: the expressions the official
 * CucumberExpressionGenerator proposes (its test cases as a table) and the
 * C snippet format of step_api.md.
 */
#include "lb_test.h"

#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "engine/snippet.h"

struct gen_case {
    const char *text;
    const char *exprs[3]; /* the first candidates, NULL-terminated */
    size_t count;         /* how many candidates in all */
};

/* After CucumberExpressionGeneratorTest (cucumber-expressions). */
static const struct gen_case gen_cases[] = {
    {"hello", {"hello"}, 1},
    {"I have 5 cukes", {"I have {int} cukes", "I have {float} cukes"}, 2},
    {"I have 1.5 cukes", {"I have {float} cukes"}, 1},
    {"I have -5 cukes", {"I have {int} cukes", "I have {float} cukes"}, 2},
    {"I have \"5\" cukes", {"I have {string} cukes"}, 1},
    {"I have 'five' cukes", {"I have {string} cukes"}, 1},
    {"I have \"\" cukes", {"I have {string} cukes"}, 1},
    {"a (b) {c} d/e", {"a \\(b) \\{c} d\\/e"}, 1},
    {"I have 2 cukes and 3 apples",
     {"I have {int} cukes and {int} apples",
      "I have {int} cukes and {float} apples"},
     4},
    {"abc1 def", {"abc1 def"}, 1},
    {"1st place", {"1st place"}, 1},
    {"is 5.", {"is {int}.", "is {float}."}, 2},
    {"An undefined step", {"An undefined step"}, 1},
};

static void test_snippet_generates_official_expressions(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_generated_expr *g;
    size_t n, i, j;

    (void)state;
    for (i = 0; i < sizeof(gen_cases) / sizeof(gen_cases[0]); i++) {
        assert_int_equal(
            lb_generate_expressions(reg, gen_cases[i].text, &g, &n), 0);
        if (n != gen_cases[i].count)
            fail_msg("'%s': %zu candidates, expected %zu (first '%s')",
                     gen_cases[i].text,
                     n,
                     gen_cases[i].count,
                     g[0].source);
        for (j = 0; j < 3 && gen_cases[i].exprs[j] != NULL; j++)
            if (strcmp(g[j].source, gen_cases[i].exprs[j]) != 0)
                fail_msg("'%s': candidate %zu is '%s', expected '%s'",
                         gen_cases[i].text,
                         j,
                         g[j].source,
                         gen_cases[i].exprs[j]);
        lb_generated_exprs_free(g, n);
    }
    lb_param_registry_free(reg);
}

/* Defines a snippet parameter type with one regexp. */
static void
define(struct lb_param_registry *reg, const char *name, const char *regexp)
{
    const char *res[1];
    struct lb_param_type_def def;
    struct lb_error err;

    res[0] = regexp;
    memset(&def, 0, sizeof(def));
    def.name = name;
    def.regexps = res;
    def.regexp_count = 1;
    def.use_for_snippets = true;
    lb_error_init(&err);
    if (lb_param_registry_define(reg, &def, NULL, &err) != 0)
        fail_msg("%s", err.msg);
}

static const char *first_expression(const struct lb_param_registry *reg,
                                    const char *text,
                                    size_t *count,
                                    struct lb_buf *out)
{
    struct lb_generated_expr *g;

    assert_int_equal(lb_generate_expressions(reg, text, &g, count), 0);
    lb_buf_reset(out);
    (void)lb_buf_adds(out, g[0].source);
    lb_generated_exprs_free(g, *count);
    return out->ptr;
}

/* CucumberExpressionGeneratorTest, the cases with custom types */
static void test_snippet_generator_official_custom_cases(void **state)
{
    struct lb_param_registry *reg;
    struct lb_generated_expr *g;
    struct lb_buf b = LB_BUF_INIT;
    size_t n;

    (void)state;
    reg = lb_param_registry_new();
    assert_string_equal(first_expression(reg, "The 1814/05/17 hey", &n, &b),
                        "The {int}\\/{int}\\/{int} hey");
    assert_string_equal(first_expression(reg, "I am 20%% foobar", &n, &b),
                        "I am {int}%% foobar");
    assert_string_equal(first_expression(reg, "99999", &n, &b), "{int}");
    assert_string_equal(
        first_expression(reg, "I like \"bangers\" and 'mash'", &n, &b),
        "I like {string} and {string}");
    assert_string_equal(
        first_expression(reg, "I have 2.5 cukes and 1.5 euro", &n, &b),
        "I have {float} cukes and {float} euro");
    assert_string_equal(
        first_expression(reg, "I have 2 cucumbers and 1.5 tomato", &n, &b),
        "I have {int} cucumbers and {float} tomato");
    assert_string_equal(first_expression(reg, "(iii)", &n, &b), "\\(iii)");
    assert_string_equal(first_expression(reg, "{iii}", &n, &b), "\\{iii}");
    define(reg, "currency", "[A-Z]{3}");
    assert_string_equal(first_expression(reg, "I have a EUR account", &n, &b),
                        "I have a {currency} account");
    lb_param_registry_free(reg);

    /* prefers the leftmost match when there is overlap */
    reg = lb_param_registry_new();
    define(reg, "currency", "c d");
    define(reg, "date", "b c");
    assert_string_equal(first_expression(reg, "a b c d e f g", &n, &b),
                        "a {date} d e f g");
    lb_param_registry_free(reg);

    /* all combinations when several types match */
    reg = lb_param_registry_new();
    define(reg, "currency", "x");
    define(reg, "date", "x");
    assert_int_equal(
        lb_generate_expressions(reg, "I have x and x and another x", &g, &n),
        0);
    assert_int_equal(n, 8);
    assert_string_equal(
        g[0].source, "I have {currency} and {currency} and another {currency}");
    assert_string_equal(g[1].source,
                        "I have {currency} and {currency} and another {date}");
    assert_string_equal(g[4].source,
                        "I have {date} and {currency} and another {currency}");
    assert_string_equal(g[7].source,
                        "I have {date} and {date} and another {date}");
    lb_generated_exprs_free(g, n);
    lb_param_registry_free(reg);

    /* optional capture groups */
    reg = lb_param_registry_new();
    define(reg, "optional-flight", "(1st flight)?");
    define(reg, "optional-hotel", "(1 hotel)?");
    assert_string_equal(
        first_expression(reg, "I reach Stage 4: 1st flight -1 hotel", &n, &b),
        "I reach Stage {int}: {optional-flight} {int} hotel");
    lb_param_registry_free(reg);

    /* at most 256 expressions */
    reg = lb_param_registry_new();
    define(reg, "my-type-0", "([a-z] )*?[a-z]");
    define(reg, "my-type-1", "([a-z] )*?[a-z]");
    define(reg, "my-type-2", "([a-z] )*?[a-z]");
    define(reg, "my-type-3", "([a-z] )*?[a-z]");
    assert_int_equal(
        lb_generate_expressions(reg, "a s i m p l e s t e p", &g, &n), 0);
    assert_int_equal(n, 256);
    lb_generated_exprs_free(g, n);
    lb_param_registry_free(reg);

    /* the longest non-empty match first */
    reg = lb_param_registry_new();
    define(reg, "zero-or-more", "[a-z]*");
    define(reg, "exactly-one", "[a-z]");
    assert_int_equal(lb_generate_expressions(reg, "a simple step", &g, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(g[0].source,
                        "{exactly-one} {zero-or-more} {zero-or-more}");
    assert_string_equal(g[1].source,
                        "{zero-or-more} {zero-or-more} {zero-or-more}");
    lb_generated_exprs_free(g, n);
    lb_param_registry_free(reg);

    /* whole words only; punctuation is not part of a word */
    reg = lb_param_registry_new();
    define(reg, "direction", "(up|down)");
    assert_string_equal(first_expression(reg, "I download a picture", &n, &b),
                        "I download a picture");
    assert_int_equal(n, 1);
    assert_string_equal(
        first_expression(reg, "I watch the muppet show", &n, &b),
        "I watch the muppet show");
    assert_string_equal(first_expression(reg, "I create a group", &n, &b),
                        "I create a group");
    assert_string_equal(
        first_expression(reg, "When I go down the road", &n, &b),
        "When I go {direction} the road");
    assert_string_equal(
        first_expression(reg, "When I walk up the hill", &n, &b),
        "When I walk {direction} the hill");
    assert_string_equal(
        first_expression(reg, "up the hill, the road goes down", &n, &b),
        "{direction} the hill, the road goes {direction}");
    assert_string_equal(first_expression(reg, "direction is:down", &n, &b),
                        "direction is:{direction}");
    assert_string_equal(first_expression(reg, "direction is down.", &n, &b),
                        "direction is {direction}.");
    lb_param_registry_free(reg);
    lb_buf_release(&b);
}

/* Long texts neither hang nor exhaust the stack. */
static void test_snippet_bounds_long_texts(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_generated_expr *g;
    struct lb_buf b = LB_BUF_INIT;
    size_t n, i;

    (void)state;
    /* 1000 numbers: 2^1000 combinations, 256 given, no deep recursion */
    for (i = 0; i < 1000; i++)
        (void)lb_buf_adds(&b, "1 ");
    assert_int_equal(lb_generate_expressions(reg, b.ptr, &g, &n), 0);
    assert_int_equal(n, 256);
    assert_int_equal(g[0].param_count, 1000);
    lb_generated_exprs_free(g, n);
    /* over 4096 bytes: the text as is */
    for (i = 0; i < 5000; i++)
        (void)lb_buf_adds(&b, "x(");
    assert_int_equal(lb_generate_expressions(reg, b.ptr, &g, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(g[0].param_count, 0);
    assert_int_equal(strncmp(g[0].source, "1 1 ", 4), 0);
    assert_non_null(strstr(g[0].source, "x\\(x\\("));
    lb_generated_exprs_free(g, n);
    lb_buf_release(&b);
    lb_param_registry_free(reg);
}

static void test_snippet_uses_custom_snippet_types(void **state)
{
    static const char *const re[] = {"[A-Z]{3}-[A-Z]{3}"};
    struct lb_param_type_def def = {
        "flight", re, 1, false, true, NULL, NULL, 0};
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_buf b = LB_BUF_INIT;
    struct lb_generated_expr *g;
    size_t n;

    (void)state;
    assert_int_equal(lb_param_registry_define(reg, &def, NULL, NULL), 0);
    assert_int_equal(
        lb_generate_expressions(reg, "LHR-CDG has been delayed", &g, &n), 0);
    assert_string_equal(g[0].source, "{flight} has been delayed");
    assert_int_equal(g[0].param_count, 1);
    assert_string_equal(g[0].param_types[0]->name, "flight");
    lb_generated_exprs_free(g, n);
    assert_int_equal(lb_snippet_build(reg,
                                      "LHR-CDG has been delayed",
                                      false,
                                      false,
                                      NULL,
                                      &b,
                                      NULL,
                                      NULL),
                     0);
    assert_string_equal(b.ptr,
                        "static int step_flight_has_been_delayed(struct "
                        "lb_step *s)\n"
                        "{\n"
                        "    void *flight1 = lb_step_arg_value(s, 0);\n"
                        "\n"
                        "    return lb_step_pending(s, \"TODO: implement "
                        "this step\");\n"
                        "}\n"
                        "LB_STEP(\"{flight} has been delayed\", "
                        "step_flight_has_been_delayed);\n");
    lb_buf_release(&b);
    lb_param_registry_free(reg);
}

static void test_snippet_matches_step_api_format(void **state)
{
    struct lb_param_registry *reg = lb_param_registry_new();
    struct lb_snippet_set set = LB_SNIPPET_SET_INIT;
    struct lb_buf b = LB_BUF_INIT;
    bool dup = true;

    (void)state;
    assert_int_equal(
        lb_snippet_build(
            reg, "I have 5 cukes", false, false, &set, &b, &dup, NULL),
        0);
    assert_false(dup);
    assert_string_equal(b.ptr,
                        "static int step_i_have_int_cukes(struct lb_step *s)\n"
                        "{\n"
                        "    long long int1 = lb_step_arg_int(s, 0);\n"
                        "\n"
                        "    return lb_step_pending(s, \"TODO: implement "
                        "this step\");\n"
                        "}\n"
                        "LB_STEP(\"I have {int} cukes\", "
                        "step_i_have_int_cukes);\n");

    /* the same expression again is not suggested twice */
    lb_buf_reset(&b);
    assert_int_equal(
        lb_snippet_build(
            reg, "I have 7 cukes", false, false, &set, &b, &dup, NULL),
        0);
    assert_true(dup);
    assert_string_equal(b.ptr, "");

    /* another expression with the same words gets a unique name */
    assert_int_equal(
        lb_snippet_build(
            reg, "I have (5) cukes", false, false, &set, &b, &dup, NULL),
        0);
    assert_false(dup);
    assert_non_null(strstr(b.ptr, "static int step_i_have_int_cukes_2("));
    assert_non_null(strstr(b.ptr,
                           "LB_STEP(\"I have \\\\({int}) cukes\", "
                           "step_i_have_int_cukes_2);\n"));

    /* several arguments, a DataTable, a DocString; quotes escaped */
    lb_buf_reset(&b);
    assert_int_equal(
        lb_snippet_build(reg,
                         "transfer 5 coins from \"alice\" to 'bob' 2.5 times",
                         true,
                         true,
                         &set,
                         &b,
                         &dup,
                         NULL),
        0);
    assert_string_equal(
        b.ptr,
        "static int step_transfer_int_coins_from_string_to_string_float_times("
        "struct lb_step *s)\n"
        "{\n"
        "    long long int1 = lb_step_arg_int(s, 0);\n"
        "    const char *string1 = lb_step_arg_str(s, 1);\n"
        "    const char *string2 = lb_step_arg_str(s, 2);\n"
        "    double float1 = lb_step_arg_double(s, 3);\n"
        "    const struct lb_table *table = lb_step_table(s);\n"
        "    const char *doc_string = lb_step_doc_string(s);\n"
        "\n"
        "    return lb_step_pending(s, \"TODO: implement this step\");\n"
        "}\n"
        "LB_STEP(\"transfer {int} coins from {string} to {string} {float} "
        "times\", "
        "step_transfer_int_coins_from_string_to_string_float_times);\n");

    /* no arguments: no blank line */
    lb_buf_reset(&b);
    assert_int_equal(
        lb_snippet_build(
            reg, "an undefined step", false, false, &set, &b, &dup, NULL),
        0);
    assert_string_equal(b.ptr,
                        "static int step_an_undefined_step(struct lb_step *s)\n"
                        "{\n"
                        "    return lb_step_pending(s, \"TODO: implement "
                        "this step\");\n"
                        "}\n"
                        "LB_STEP(\"an undefined step\", "
                        "step_an_undefined_step);\n");
    assert_int_equal(set.count, 4);
    lb_snippet_set_release(&set);
    lb_buf_release(&b);
    lb_param_registry_free(reg);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snippet_generates_official_expressions),
        cmocka_unit_test(test_snippet_generator_official_custom_cases),
        cmocka_unit_test(test_snippet_bounds_long_texts),
        cmocka_unit_test(test_snippet_uses_custom_snippet_types),
        cmocka_unit_test(test_snippet_matches_step_api_format),
    };

    return cmocka_run_group_tests_name("snippet", tests, NULL, NULL);
}
