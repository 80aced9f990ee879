/*
 * Unit tests of src/gherkin: JavaScript whitespace and columns, table
 * cells, token matching, dialect loading and printing, UTF-8 decoding,
 * error collection and formatting, pickles and lookups, hostile input.
 */
#include "lb_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "gherkin/gherkin.h"
#include "gherkin/internal.h"

static struct lb_gherkin_document *parse(const char *text, int *rc)
{
    struct lb_gherkin_document *doc = NULL;
    struct lb_error err;

    lb_error_init(&err);
    *rc = lb_gherkin_parse("t.feature", text, strlen(text), NULL, &doc, &err);
    assert_non_null(doc);
    return doc;
}

/* Asserts that a text of `doc` (a span, not NUL-terminated) is `want`. */
static void assert_text(const struct lb_gherkin_document *doc,
                        struct lb_gherkin_span span,
                        const char *want)
{
    assert_int_equal(span.len, strlen(want));
    if (span.len > 0)
        assert_memory_equal(lb_gherkin_text(doc, span), want, span.len);
}

static void test_gherkin_js_whitespace_and_columns(void **state)
{
    size_t n = 0;

    (void)state;
    assert_true(lb__gh_is_js_space((const unsigned char *)"\t", 1, &n));
    assert_int_equal(n, 1);
    assert_true(lb__gh_is_js_space((const unsigned char *)"\xC2\xA0", 2, &n));
    assert_int_equal(n, 2);
    assert_true(
        lb__gh_is_js_space((const unsigned char *)"\xE3\x80\x80", 3, &n));
    assert_true(
        lb__gh_is_js_space((const unsigned char *)"\xEF\xBB\xBF", 3, &n));
    assert_true(
        lb__gh_is_js_space((const unsigned char *)"\xE2\x80\x8A", 3, &n));
    assert_false(
        lb__gh_is_js_space((const unsigned char *)"\xE2\x80\x8B", 3, &n));
    assert_false(lb__gh_is_js_space((const unsigned char *)"x", 1, &n));
    assert_int_equal(lb__gh_ltrim(" \xC2\xA0\tab ", 7), 4);
    assert_int_equal(lb__gh_rtrim_len("ab \xE3\x80\x80", 6), 2);
    assert_int_equal(lb__gh_rtrim_len("a\xC3\xA9", 3), 3);
    /* an emoji: one code point, two UTF-16 units */
    assert_int_equal(lb__gh_count_cp("a\xF0\x9F\x98\x80", 5), 2);
    assert_int_equal(lb__gh_count_utf16("a\xF0\x9F\x98\x80", 5), 3);
}

static void tokens_of(const char *uri, const char *text, struct lb_buf *out)
{
    struct lb_error err;

    lb_error_init(&err);
    lb_buf_reset(out);
    (void)lb_gherkin_tokens(uri, text, strlen(text), NULL, out, NULL, &err);
}

static void test_gherkin_token_matching(void **state)
{
    struct lb_buf out = LB_BUF_INIT;

    (void)state;
    tokens_of("t.feature",
              "@a @b #c\n"
              "Feature: F  \n"
              "  desc\n"
              "\n"
              "  Scenario Outline: S\n"
              "    * x <v>\n"
              "      \"\"\"json\n"
              "      \\\"\\\"\\\" y\n"
              "      \"\"\"\n"
              "    Examples:\n"
              "      | v | \\|\\n\\\\ |\n"
              "# done\n",
              &out);
    assert_string_equal(out.ptr,
                        "(1:1)TagLine://1:@a,4:@b\n"
                        "(2:1)FeatureLine:()Feature/F/\n"
                        "(3:1)Other:/  desc/\n"
                        "(4:1)Other://\n"
                        "(5:3)ScenarioLine:()Scenario Outline/S/\n"
                        "(6:5)StepLine:(Unknown)* /x <v>/\n"
                        "(7:7)DocStringSeparator:()\"\"\"/json/\n"
                        "(8:1)Other:/\"\"\" y/\n"
                        "(9:7)DocStringSeparator:()\"\"\"//\n"
                        "(10:5)ExamplesLine:()Examples//\n"
                        "(11:7)TableRow://9:v,13:|\n\\\n"
                        "(12:1)Comment:/# done/\n"
                        "EOF\n");
    /* tags: @@x is @x, a ' #' starts a comment, columns count code points */
    tokens_of("t.feature", "  @\xC3\xA9 @@x #c\nFeature: F\n", &out);
    assert_string_equal(out.ptr,
                        "(1:3)TagLine://3:@\xC3\xA9,6:@x\n"
                        "(2:1)FeatureLine:()Feature/F/\n"
                        "EOF\n");
    lb_buf_release(&out);
}

static void test_gherkin_table_cells_columns(void **state)
{
    struct lb_buf out = LB_BUF_INIT;

    (void)state;
    /* cell columns count UTF-16 units, as the official parser */
    tokens_of("t.feature",
              "Feature: F\n"
              "  Scenario: S\n"
              "    Given x\n"
              "      | \xF0\x9F\x98\x80 | b |\n"
              "      |  c  | trailing\n",
              &out);
    assert_non_null(
        strstr(out.ptr, "(4:7)TableRow://9:\xF0\x9F\x98\x80,14:b\n"));
    assert_non_null(strstr(out.ptr, "(5:7)TableRow://10:c\n"));
    lb_buf_release(&out);
}

/*
 * The AST keeps a row's cell count (lb__gh_table_count, eight bytes at a
 * time) and splits the cells when read (lb__gh_table_cells): both must
 * agree on every row, pipes and escapes at every offset of a word.
 */
static void test_gherkin_table_count_agrees_with_cells(void **state)
{
    static const char *const rows[] = {
        "|",
        "||",
        "| a |",
        "| a | b",
        "|a|b|c|d|e|f|g|h|i|",
        "| \\| | \\\\ | \\n |",
        "| 1234567 \\|x|",
        "|1234567\\",
        "| \xF0\x9F\x98\x80 | \\\xC3\xA9 | \xC2\xA0 |",
        "| abcdefgh | ijklmnop | qrstuvwx \\| yz |",
        "|        |       |\\|        |  ",
        "| trailing \\",
    };
    struct lb__gh_token t;
    char line[128];
    size_t i;
    size_t pad;

    (void)state;
    memset(&t, 0, sizeof(t));
    lb_buf_init(&t.scratch, 0);
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        /* every alignment of the row against the 8-byte words */
        for (pad = 0; pad < 9; pad++) {
            size_t len = strlen(rows[i]);

            memset(line, 'x', pad);
            memcpy(line + pad, rows[i], len);
            t.text = line;
            t.len = pad + len;
            t.trim_off = pad;
            t.indent = (int)pad;
            lb__gh_table_cells(&t);
            assert_int_equal(lb__gh_table_count(&t), t.items.len);
        }
    }
    /* a sample of the counts themselves */
    t.text = "| a | b | c |";
    t.len = strlen(t.text);
    t.trim_off = 0;
    assert_int_equal(lb__gh_table_count(&t), 3);
    t.text = "| a \\| b | c \\";
    t.len = strlen(t.text);
    assert_int_equal(lb__gh_table_count(&t), 1);
    lb_vec_release(&t.items);
    lb_buf_release(&t.scratch);
}

static void test_gherkin_dialect_loading(void **state)
{
    static const char json[] =
        "{\"xx\":{\"name\":\"Test\",\"native\":\"T\xC3\xA9st\","
        "\"feature\":[\"Feat\"],\"rule\":[\"Regel\"],\"background\":[\"Bg\"],"
        "\"scenario\":[\"Sc\"],\"scenarioOutline\":[\"Sco\"],"
        "\"examples\":[\"Ex\"],\"given\":[\"* \",\"G \"],"
        "\"when\":[\"* \",\"W \"],\"then\":[\"* \",\"T \"],"
        "\"and\":[\"* \",\"A \"],\"but\":[\"* \",\"B \"]}}";
    struct lb_gherkin_dialects *set = NULL;
    const struct lb_gherkin_dialect *d;
    struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc = NULL;
    struct lb_error err;
    const char *text = "# language: xx\nFeat: F\n  Sc: S\n    G a\n    A b\n";

    (void)state;
    lb_error_init(&err);
    assert_int_equal(lb_gherkin_dialects_new(&set, NULL, &err), 0);
    assert_non_null(lb_gherkin_dialects_find(set, "en"));
    assert_null(lb_gherkin_dialects_find(set, "xx"));
    assert_int_equal(
        lb_gherkin_dialects_load_json(set, json, strlen(json), "t.json", &err),
        0);
    d = lb_gherkin_dialects_find(set, "xx");
    assert_non_null(d);
    assert_string_equal(d->native, "T\xC3\xA9st");
    assert_int_equal(lb_gherkin_dialects_count(set), 2);
    assert_string_equal(lb_gherkin_dialects_at(set, 0)->code, "en");

    o.dialects = set;
    assert_int_equal(
        lb_gherkin_parse("t.feature", text, strlen(text), &o, &doc, &err), 0);
    assert_string_equal(doc->feature->language, "xx");
    assert_string_equal(
        lb_gherkin_step_keyword(
            doc,
            &lb_gherkin_child_scenario(&doc->feature->children[0])->steps[1]),
        "A ");
    assert_int_equal(lb_gherkin_child_scenario(&doc->feature->children[0])
                         ->steps[1]
                         .keyword_type,
                     LB_GHERKIN_KEYWORD_CONJUNCTION);
    lb_gherkin_document_free(doc);

    /* malformed files fail with where, and change nothing */
    lb_error_init(&err);
    assert_int_equal(
        lb_gherkin_dialects_load_json(set, "{\"yy\":", 6, "bad.json", &err),
        LB_EPARSE);
    assert_string_equal(err.file, "bad.json");
    lb_error_init(&err);
    assert_int_equal(lb_gherkin_dialects_load_json(
                         set, "{\"yy\":{\"name\":\"Y\"}}", 19, "y.json", &err),
                     LB_EPARSE);
    assert_non_null(strstr(err.msg, "dialect 'yy'"));
    assert_null(lb_gherkin_dialects_find(set, "yy"));
    lb_error_init(&err);
    assert_int_equal(
        lb_gherkin_dialects_load_file(set, "/nonexistent/langs.json", &err),
        LB_EIO);
    lb_gherkin_dialects_free(set);
}

/*
 * Title keywords are compared where the colon is (their lengths known),
 * eight bytes at a time; a dialect with more than LB__GH_TITLE_KWS of a
 * type goes through its own lists: both ways give the same matches.
 */
static void test_gherkin_title_keywords(void **state)
{
    struct lb_buf json = LB_BUF_INIT;
    struct lb_gherkin_dialects *set = NULL;
    struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc = NULL;
    struct lb_error err;
    const struct lb_gherkin_scenario *sc;
    int rc;
    int i;

    (void)state;
    /* a near miss past the first eight bytes is a description line */
    doc = parse("Feature: F\n  Scenario Outlinz: x\n  Scenario Outline: y\n"
                "    Given a\n    Examples:\n      | a |\n      | 1 |\n",
                &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(doc->feature->description, "Scenario Outlinz: x"));
    assert_int_equal(doc->feature->n_children, 1);
    sc = lb_gherkin_child_scenario(&doc->feature->children[0]);
    assert_string_equal(sc->keyword, "Scenario Outline");
    lb_gherkin_document_free(doc);
    /* 20 scenario and 20 outline keywords: past the table's 16 */
    lb_buf_adds(&json,
                "{\"zz\":{\"name\":\"Z\",\"native\":\"Z\",\"feature\":[\"F\"],"
                "\"rule\":[\"R\"],\"background\":[\"B\"],\"scenario\":[");
    for (i = 0; i < 20; i++)
        lb_buf_addf(&json, "%s\"Szenario%d\"", i ? "," : "", i);
    lb_buf_adds(&json, "],\"scenarioOutline\":[");
    for (i = 0; i < 20; i++)
        lb_buf_addf(&json, "%s\"Szenariogrundriss%d\"", i ? "," : "", i);
    lb_buf_adds(&json,
                "],\"examples\":[\"E\"],\"given\":[\"* \",\"G \"],"
                "\"when\":[\"* \"],\"then\":[\"* \"],\"and\":[\"* \"],"
                "\"but\":[\"* \"]}}");
    lb_error_init(&err);
    assert_int_equal(lb_gherkin_dialects_new(&set, NULL, &err), 0);
    assert_int_equal(
        lb_gherkin_dialects_load_json(set, json.ptr, json.len, "z.json", &err),
        0);
    o.dialects = set;
    o.default_language = "zz";
    {
        static const char text[] = "F: f\n"
                                   "  Szenario19: a\n"
                                   "    G x\n"
                                   "  Szenario1: b\n"
                                   "  Szenariogrundriss19: c\n"
                                   "    G <v>\n"
                                   "    E:\n"
                                   "      | v |\n"
                                   "      | 1 |\n";

        assert_int_equal(
            lb_gherkin_parse("z.feature", text, strlen(text), &o, &doc, &err),
            0);
    }
    assert_int_equal(doc->feature->n_children, 3);
    assert_string_equal(
        lb_gherkin_child_scenario(&doc->feature->children[0])->keyword,
        "Szenario19");
    assert_string_equal(
        lb_gherkin_child_scenario(&doc->feature->children[1])->keyword,
        "Szenario1");
    assert_string_equal(
        lb_gherkin_child_scenario(&doc->feature->children[2])->keyword,
        "Szenariogrundriss19");
    lb_gherkin_document_free(doc);
    lb_gherkin_dialects_free(set);
    lb_buf_release(&json);
    /* step keywords by first byte: the longest that is a prefix wins */
    {
        static const char dj[] =
            "{\"yy\":{\"name\":\"Y\",\"native\":\"Y\",\"feature\":[\"F\"],"
            "\"rule\":[\"R\"],\"background\":[\"B\"],\"scenario\":[\"S\"],"
            "\"scenarioOutline\":[\"SO\"],\"examples\":[\"E\"],"
            "\"given\":[\"* \",\"Ge\",\"Geg\"],\"when\":[\"* \",\"Wh \"],"
            "\"then\":[\"* \",\"Gh \"],\"and\":[\"* \"],\"but\":[\"* \"]}}";
        static const char text[] = "F: f\n"
                                   "  S: s\n"
                                   "    Geg x\n"
                                   "    Ge x\n"
                                   "    Gex y\n"
                                   "    Gh z\n"
                                   "    * w\n";
        static const char *const kws[] = {"Geg", "Ge", "Ge", "Gh ", "* "};
        static const char *const texts[] = {"x", "x", "x y", "z", "w"};
        const struct lb_gherkin_scenario *s;
        size_t k;

        set = NULL;
        lb_error_init(&err);
        assert_int_equal(lb_gherkin_dialects_new(&set, NULL, &err), 0);
        assert_int_equal(
            lb_gherkin_dialects_load_json(set, dj, strlen(dj), "y.json", &err),
            0);
        o.dialects = set;
        o.default_language = "yy";
        assert_int_equal(
            lb_gherkin_parse("y.feature", text, strlen(text), &o, &doc, &err),
            0);
        s = lb_gherkin_child_scenario(&doc->feature->children[0]);
        assert_int_equal(s->n_steps, 5);
        for (k = 0; k < 5; k++) {
            assert_string_equal(lb_gherkin_step_keyword(doc, &s->steps[k]),
                                kws[k]);
            assert_int_equal(s->steps[k].text_len, strlen(texts[k]));
            assert_memory_equal(lb_gherkin_step_text(doc, &s->steps[k]),
                                texts[k],
                                strlen(texts[k]));
        }
        lb_gherkin_document_free(doc);
        lb_gherkin_dialects_free(set);
    }
}

static void test_gherkin_unknown_language_is_parse_error(void **state)
{
    int rc;
    struct lb_gherkin_document *doc =
        parse("# language: zz-top\nFeature: F\n", &rc);

    (void)state;
    assert_int_equal(rc, LB_EPARSE);
    assert_int_equal(doc->n_errors, 1);
    assert_string_equal(doc->errors[0].message,
                        "(1:1): Language not supported: zz-top");
    assert_null(doc->feature);
    lb_gherkin_document_free(doc);
}

static void test_gherkin_i18n_tables(void **state)
{
    struct lb_buf out = LB_BUF_INIT;
    struct lb_error err;

    (void)state;
    lb_error_init(&err);
    lb_gherkin_print_languages(NULL, &out);
    assert_non_null(strstr(out.ptr, "ISO 639-1 | ENGLISH NAME | NATIVE NAME"));
    assert_non_null(strstr(out.ptr, "en        | English      | English\n"));
    lb_buf_reset(&out);
    assert_int_equal(lb_gherkin_print_keywords(NULL, "en", &out, &err), 0);
    assert_non_null(strstr(out.ptr,
                           "Scenario Outline | \"Scenario Outline\", "
                           "\"Scenario Template\"\n"));
    assert_non_null(strstr(out.ptr, "Given            | \"* \", \"Given \"\n"));
    assert_int_equal(lb_gherkin_print_keywords(NULL, "zz", &out, &err),
                     LB_ENOTFOUND);
    lb_buf_release(&out);
}

static void test_gherkin_utf8_decoding(void **state)
{
    int rc;
    struct lb_gherkin_document *doc;

    (void)state;
    /* invalid bytes -> U+FFFD, one per maximal invalid subpart */
    doc = parse("Feature: a\xFF\xE2\x82z\xC3\n", &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(doc->feature->name,
                        "a\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD");
    assert_non_null(strstr(doc->source, "\xEF\xBF\xBDz"));
    lb_gherkin_document_free(doc);
    /* a BOM is kept and counts as leading whitespace (column 2) */
    doc = parse("\xEF\xBB\xBF"
                "Feature: b\r\n",
                &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(doc->feature->location.column, 2);
    assert_string_equal(doc->feature->name, "b");
    assert_int_equal(doc->source_len, 15);
    lb_gherkin_document_free(doc);
}

static void test_gherkin_errors_collected_and_formatted(void **state)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_buf out = LB_BUF_INIT;
    struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc;
    struct lb_error err;
    int rc;
    int i;

    (void)state;
    doc = parse(
        "Feature: F\n  Scenario: S\n    Given x\n    Whenn I send 5 coins\n",
        &rc);
    assert_int_equal(rc, LB_EPARSE);
    assert_int_equal(doc->n_errors, 1);
    assert_int_equal(doc->errors[0].location.line, 4);
    assert_int_equal(doc->errors[0].location.column, 5);
    lb_gherkin_format_error(&out, doc, &doc->errors[0]);
    assert_string_equal(
        out.ptr,
        "t.feature:4:5: error: expected: #EOF, #TableRow, #DocStringSeparator, "
        "#StepLine, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, "
        "#Comment, #Empty, got 'Whenn I send 5 coins'\n"
        "    4 |     Whenn I send 5 coins\n"
        "      |     ^~~~~\n");
    lb_gherkin_document_free(doc);

    /* end of file: no column, no caret */
    lb_buf_reset(&out);
    doc = parse("Feature: F\n  Scenario: S\n    Given x\n      \"\"\"\n", &rc);
    assert_int_equal(doc->n_errors, 1);
    assert_int_equal(doc->errors[0].location.column, 0);
    lb_gherkin_format_error(&out, doc, &doc->errors[0]);
    assert_string_equal(out.ptr,
                        "t.feature:5: error: unexpected end of file, "
                        "expected: #DocStringSeparator, #Other\n");
    lb_gherkin_document_free(doc);

    /* many errors: collected, repeats dropped, at most 10 + the one over */
    lb_buf_addf(&b, "Feature: F\n");
    for (i = 0; i < 30; i++)
        lb_buf_addf(&b, "  Scenario: S\n    Given x\n    bad line %d\n", i);
    doc = parse(b.ptr, &rc);
    assert_int_equal(doc->n_errors, 11);
    assert_null(doc->feature);
    lb_gherkin_document_free(doc);
    lb_error_init(&err);
    o.flags = LB_GHERKIN_STOP_AT_FIRST_ERROR;
    assert_int_equal(
        lb_gherkin_parse("t.feature", b.ptr, b.len, &o, &doc, &err), LB_EPARSE);
    assert_int_equal(doc->n_errors, 1);
    assert_string_equal(err.file, "t.feature");
    assert_int_equal(err.line, 4);
    lb_gherkin_document_free(doc);
    lb_buf_release(&b);
    lb_buf_release(&out);
}

static void test_gherkin_pickles_and_lookups(void **state)
{
    static const char text[] = "@f\n"
                               "Feature: F\n"
                               "  Background:\n"
                               "    Given fb\n"
                               "  Rule: R\n"
                               "    Background:\n"
                               "      Given rb\n"
                               "    @s\n"
                               "    Scenario Outline: <a> and <b>\n"
                               "      When <a> <b>\n"
                               "      And x\n"
                               "        | <b> |\n"
                               "      @e\n"
                               "      Examples:\n"
                               "        | a   | b  |\n"
                               "        | <b> | 2$ |\n";
    int rc;
    struct lb_gherkin_document *doc = parse(text, &rc);
    struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_gherkin_pickle_scratch ps2 = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    const struct lb_gherkin_pickle *p;
    const struct lb_gherkin_pickle *again;
    struct lb_gherkin_node node;
    struct lb_error err;
    char idbuf[LB_ID_MAX];
    size_t k;
    uint32_t i;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(rc, 0);
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    assert_int_equal(doc->n_pickles, 1);
    p = lb_gherkin_pickle_at(doc, 0, &ps);
    /* later variables see earlier substitutions, as upstream */
    assert_string_equal(p->name, "2$ and 2$");
    assert_int_equal(p->n_steps, 4);
    assert_string_equal(p->steps[0].text, "fb");
    assert_true(p->steps[0].from_background);
    assert_string_equal(p->steps[1].text, "rb");
    assert_string_equal(p->steps[2].text, "2$ 2$");
    assert_int_equal(p->steps[3].type, LB_GHERKIN_PICKLE_STEP_ACTION);
    assert_string_equal(p->steps[3].data_table->rows[0].cells[0].value, "2$");
    assert_int_equal(p->n_tags, 3);
    assert_string_equal(p->tags[0].name, "@f");
    assert_string_equal(p->tags[2].name, "@e");
    assert_int_equal(p->scenario_line, 9);
    assert_int_equal(p->row_line, 16);
    assert_int_equal(p->location.line, 16);
    assert_non_null(p->rule);
    assert_text(doc, p->rule->name, "R");
    assert_ptr_equal(lb_gherkin_scenario_rule(doc, p->scenario), p->rule);
    assert_non_null(lb_gherkin_feature_background(doc->feature));
    assert_non_null(lb_gherkin_rule_background(p->rule));
    /* lookups */
    assert_true(lb_gherkin_find_node(doc, p->ast_node_ids[1], &node));
    assert_int_equal(node.kind, LB_GHERKIN_NODE_TABLE_ROW);
    assert_ptr_equal(node.row, p->row);
    assert_ptr_equal(node.examples, p->examples);
    (void)lb_gherkin_id(doc, p->steps[1].step->id, idbuf);
    assert_true(lb_gherkin_find_node(doc, idbuf, &node));
    assert_int_equal(node.kind, LB_GHERKIN_NODE_STEP);
    assert_ptr_equal(node.background, lb_gherkin_rule_background(p->rule));
    assert_ptr_equal(node.rule, p->rule);
    assert_true(lb_gherkin_find_node(doc, p->ast_node_ids[0], &node));
    assert_int_equal(node.kind, LB_GHERKIN_NODE_SCENARIO);
    assert_true(lb_gherkin_find_node(doc, p->tags[0].ast_node_id, &node));
    assert_int_equal(node.kind, LB_GHERKIN_NODE_TAG);
    assert_false(lb_gherkin_find_node(doc, "no-such-id", &node));
    k = 99;
    assert_true(lb_gherkin_find_pickle(doc, p->id, &k));
    assert_int_equal(k, 0);
    assert_false(lb_gherkin_find_pickle(doc, "nope", &k));
    assert_false(lb_gherkin_find_pickle(doc, p->steps[0].id, &k));
    /* made again (another scratch, or the same one): the same pickle */
    again = lb_gherkin_pickle_at(doc, 0, &ps2);
    assert_ptr_not_equal(again, p);
    assert_string_equal(again->id, p->id);
    assert_string_equal(again->name, p->name);
    assert_int_equal(again->n_steps, p->n_steps);
    for (i = 0; i < p->n_steps; i++) {
        assert_string_equal(again->steps[i].id, p->steps[i].id);
        assert_string_equal(again->steps[i].text, p->steps[i].text);
    }
    assert_string_equal(lb_gherkin_pickle_at(doc, 0, &ps)->steps[2].text,
                        "2$ 2$");
    lb_gherkin_pickle_scratch_release(&ps);
    lb_gherkin_pickle_scratch_release(&ps2);
    lb_gherkin_pickle_scratch_release(&ps2); /* released: a no-op */
    lb_gherkin_document_free(doc);
}

static void test_gherkin_hostile_input(void **state)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_gherkin_document *doc;
    struct lb_error err;
    unsigned seed = 12345;
    int rc;
    int i;

    (void)state;
    /* empty: a document without a feature */
    doc = parse("", &rc);
    assert_int_equal(rc, 0);
    assert_null(doc->feature);
    lb_gherkin_document_free(doc);

    /* NUL bytes: a clear error with where */
    lb_error_init(&err);
    assert_int_equal(
        lb_gherkin_parse(
            "n.feature", "Feature: a\n  x\0y\n", 17, NULL, &doc, &err),
        LB_EPARSE);
    assert_string_equal(doc->errors[0].message, "(2:4): NUL byte in the input");
    lb_gherkin_document_free(doc);
    {
        /*
         * The first NUL is found while the UTF-8 is checked, 64 bytes at a
         * time: at every offset of a block, after non-ASCII text, in a
         * source that needs repair, with a second NUL after it.
         */
        char text[256];
        size_t at;
        static const char *const heads[] = {
            "Feature: a\n  ", "Feature: \xC3\xA9\n  ", "Feature: \xFF\n  "};
        size_t h;

        for (h = 0; h < 3; h++) {
            size_t hl = strlen(heads[h]);

            for (at = 0; at < 140; at++) {
                char want[64];

                memcpy(text, heads[h], hl);
                memset(text + hl, 'x', 200);
                text[hl + at] = '\0';
                text[hl + at + 30] = '\0';
                lb_error_init(&err);
                assert_int_equal(
                    lb_gherkin_parse(
                        "n.feature", text, hl + 200, NULL, &doc, &err),
                    LB_EPARSE);
                (void)snprintf(want,
                               sizeof(want),
                               "(2:%zu): NUL byte in the input",
                               at + 3);
                assert_string_equal(doc->errors[0].message, want);
                lb_gherkin_document_free(doc);
            }
        }
    }

    /* binary garbage: errors, no crash */
    for (i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        lb_buf_addch(&b, (int)((seed >> 16) & 0xFF) | 1);
    }
    lb_error_init(&err);
    rc = lb_gherkin_parse("g.feature", b.ptr, b.len, NULL, &doc, &err);
    assert_true(rc == 0 || rc == LB_EPARSE);
    lb_gherkin_document_free(doc);

    /*
     * 300,000 tag lines before a scenario, all tags kept: a parse
     * quadratic in them (4.5 * 10^10 steps) runs into the test's timeout
     * (no clock read here: speed is the bench's)
     */
    lb_buf_reset(&b);
    lb_buf_adds(&b, "Feature: F\n");
    for (i = 0; i < 300000; i++)
        lb_buf_addf(&b, "  @t%d\n", i);
    lb_buf_adds(&b, "  Scenario: S\n    Given x\n");
    doc = parse(b.ptr, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(
        lb_gherkin_child_scenario(&doc->feature->children[0])->n_tags, 300000);
    lb_gherkin_document_free(doc);

    /* 10,000 tags on one line, and a 20 MB line */
    lb_buf_reset(&b);
    for (i = 0; i < 10000; i++)
        lb_buf_addf(&b, "@t%d ", i);
    lb_buf_adds(&b, "\nFeature: F\n");
    doc = parse(b.ptr, &rc);
    assert_int_equal(doc->feature->n_tags, 10000);
    lb_gherkin_document_free(doc);
    lb_buf_reset(&b);
    lb_buf_adds(&b, "Feature: ");
    for (i = 0; i < 20 * 1024 * 1024 / 8; i++)
        lb_buf_add(&b, "abcdefg ", 8);
    doc = parse(b.ptr, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(strlen(doc->feature->name), 20 * 1024 * 1024 - 1);
    lb_gherkin_document_free(doc);
    /* the same line as an error: the message keeps it, the human form not */
    b.ptr[0] = 'X';
    doc = parse(b.ptr, &rc);
    assert_int_equal(rc, LB_EPARSE);
    assert_true(strlen(doc->errors[0].message) > 20 * 1024 * 1024);
    {
        struct lb_buf human = LB_BUF_INIT;

        lb_gherkin_format_error(&human, doc, &doc->errors[0]);
        assert_true(human.len < 1200);
        assert_non_null(strstr(human.ptr, "...\n"));
        lb_buf_release(&human);
    }
    lb_gherkin_document_free(doc);
    lb_buf_release(&b);

    /* a missing file and a folder are errors, never empty documents */
    lb_error_init(&err);
    assert_int_equal(
        lb_gherkin_parse_file("/nonexistent.feature", NULL, &doc, &err),
        LB_EIO);
    assert_null(doc);
    lb_error_init(&err);
    assert_true(lb_gherkin_parse_file("/", NULL, &doc, &err) != 0);
    assert_null(doc);
    /* a read that fails after the open (as when the file goes away) */
    lb_error_init(&err);
    assert_true(lb_gherkin_parse_file("/proc/self/mem", NULL, &doc, &err) != 0);
    assert_null(doc);
    assert_non_null(strstr(err.msg, "/proc/self/mem"));
}

static void test_gherkin_ndjson_envelopes(void **state)
{
    struct lb_buf out = LB_BUF_INIT;
    int rc;
    struct lb_gherkin_document *doc =
        parse("Feature: F\n  Scenario: S\n    Given a\n      \"\"\"\n      "
              "\\x01\n      \"\"\"\n",
              &rc);
    struct lb_error err;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(rc, 0);
    assert_int_equal(lb_gherkin_write_source(&out, doc), 0);
    assert_string_equal(
        out.ptr,
        "{\"source\":{\"data\":\"Feature: F\\n  Scenario: S\\n    Given a\\n"
        "      \\\"\\\"\\\"\\n      \\\\x01\\n      \\\"\\\"\\\"\\n\","
        "\"uri\":\"t.feature\",\"mediaType\":\"text/"
        "x.cucumber.gherkin+plain\"}}\n");
    lb_buf_reset(&out);
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    {
        struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;

        lb_gherkin_write_pickle(&out, doc, lb_gherkin_pickle_at(doc, 0, &ps));
        lb_gherkin_pickle_scratch_release(&ps);
    }
    assert_string_equal(
        out.ptr,
        "{\"pickle\":{\"id\":\"3\",\"uri\":\"t.feature\",\"location\":{"
        "\"line\":"
        "2,\"column\":3},\"astNodeIds\":[\"1\"],\"tags\":[],\"name\":\"S\","
        "\"language\":\"en\",\"steps\":[{\"id\":\"2\",\"text\":\"a\",\"type\":"
        "\"Context\",\"argument\":{\"docString\":{\"content\":\"\\\\x01\"}},"
        "\"astNodeIds\":[\"0\"]}]}}\n");
    lb_buf_release(&out);
    lb_gherkin_document_free(doc);
}

static void test_gherkin_predictable_ids(void **state)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc;
    struct lb_idgen ids;
    struct lb_error err;
    const struct lb_gherkin_scenario *s;
    char want[32];
    char idbuf[LB_ID_MAX];
    int i;

    (void)state;
    lb_buf_adds(&b, "Feature: F\n  Scenario: S\n");
    for (i = 0; i < 1205; i++)
        lb_buf_adds(&b, "    * x\n");
    lb_idgen_init(&ids, true);
    ids.next = 95; /* a shared generator, used by others before */
    o.ids = &ids;
    lb_error_init(&err);
    assert_int_equal(
        lb_gherkin_parse("t.feature", b.ptr, b.len, &o, &doc, &err), 0);
    s = lb_gherkin_child_scenario(&doc->feature->children[0]);
    for (i = 0; i < 1205; i++) {
        snprintf(want, sizeof(want), "%d", 95 + i);
        assert_int_equal(s->steps[i].id, i); /* the document's own rank */
        (void)lb_gherkin_id(doc, s->steps[i].id, idbuf);
        assert_string_equal(idbuf, want);
    }
    (void)lb_gherkin_id(doc, s->id, idbuf);
    assert_string_equal(idbuf, "1300");
    /* someone else takes an id in between: the next one is still right */
    ids.next += 7;
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    /* the pickle's ids were reserved by the compile: others come after */
    assert_int_equal(ids.next, 2514);
    ids.next += 3;
    {
        struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
        const struct lb_gherkin_pickle *p = lb_gherkin_pickle_at(doc, 0, &ps);

        assert_string_equal(p->steps[0].id, "1308");
        assert_string_equal(p->steps[1204].id, "2512");
        assert_string_equal(p->id, "2513");
        lb_gherkin_pickle_scratch_release(&ps);
    }
    lb_gherkin_document_free(doc);
    lb_buf_release(&b);
}

/*
 * A document of several MB takes the large-block arena path (blocks of
 * several MiB, huge-page advice): every node and pickle is still right,
 * first to last, and the arena stays a small multiple of the input.
 */
/* In the runner's mode the ids are distinct UUIDs v4, lowercase. */
static void test_gherkin_uuid_ids(void **state)
{
    const char *text = "Feature: F\n"
                       "  Scenario Outline: S <a>\n"
                       "    Given x <a>\n"
                       "    Examples:\n"
                       "      | a |\n"
                       "      | 1 |\n"
                       "      | 2 |\n";
    struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc;
    struct lb_idgen ids;
    struct lb_error err;
    const struct lb_gherkin_scenario *s;
    struct lb_gherkin_pickle_scratch ps0 = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_gherkin_pickle_scratch ps1 = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    const struct lb_gherkin_pickle *p1;
    char made[LB_ID_MAX];
    char ast[4][LB_ID_MAX];
    const char *all[8];
    size_t n = 0;
    size_t i;
    size_t j;

    (void)state;
    lb_idgen_init(&ids, false);
    o.ids = &ids;
    lb_error_init(&err);
    assert_int_equal(
        lb_gherkin_parse("t.feature", text, strlen(text), &o, &doc, &err), 0);
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    assert_int_equal(doc->n_pickles, 2);
    s = lb_gherkin_child_scenario(&doc->feature->children[0]);
    (void)lb_gherkin_id(doc, s->id, ast[0]);
    (void)lb_gherkin_id(doc, s->steps[0].id, ast[1]);
    (void)lb_gherkin_id(
        doc, lb_gherkin_scenario_examples(s)[0].header->id, ast[2]);
    (void)lb_gherkin_id(
        doc,
        lb_gherkin_examples_body(&lb_gherkin_scenario_examples(s)[0])[1].id,
        ast[3]);
    for (i = 0; i < 4; i++)
        all[n++] = ast[i];
    all[n++] = lb_gherkin_pickle_at(doc, 0, &ps0)->id;
    p1 = lb_gherkin_pickle_at(doc, 1, &ps1);
    all[n++] = p1->steps[0].id;
    all[n++] = p1->id;
    /* one more id of the generator: distinct from the document's too */
    lb_idgen_next(&ids, made);
    all[n++] = made;
    for (i = 0; i < n; i++) {
        const char *u = all[i];

        assert_int_equal(strlen(u), 36);
        for (j = 0; j < 36; j++) {
            if (j == 8 || j == 13 || j == 18 || j == 23)
                assert_int_equal(u[j], '-');
            else
                assert_non_null(strchr("0123456789abcdef", u[j]));
        }
        assert_int_equal(u[14], '4');           /* version 4 */
        assert_non_null(strchr("89ab", u[19])); /* RFC 4122 variant */
        for (j = 0; j < i; j++)
            assert_string_not_equal(all[j], u);
    }
    /* pickles by UUID: only theirs name them */
    assert_true(lb_gherkin_find_pickle(doc, p1->id, &i));
    assert_int_equal(i, 1);
    assert_true(lb_gherkin_find_pickle(doc, all[4], &i));
    assert_int_equal(i, 0);
    assert_false(lb_gherkin_find_pickle(doc, p1->steps[0].id, &i));
    assert_false(lb_gherkin_find_pickle(doc, ast[0], &i));
    assert_false(lb_gherkin_find_pickle(doc, made, &i));
    lb_gherkin_pickle_scratch_release(&ps0);
    lb_gherkin_pickle_scratch_release(&ps1);
    lb_gherkin_document_free(doc);
}

static void test_gherkin_large_document(void **state)
{
    enum { BLOCKS = 30000 };
    struct lb_buf text = LB_BUF_INIT;
    struct lb_gherkin_document *doc = NULL;
    const struct lb_gherkin_pickle *last;
    struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_error err;
    size_t i;

    (void)state;
    lb_error_init(&err);
    lb_buf_adds(&text, "Feature: big\n");
    for (i = 0; i < BLOCKS; i++)
        lb_buf_addf(&text,
                    "  Rule: r%zu\n"
                    "    Scenario Outline: s%zu <n>\n"
                    "      Given <n> of %zu\n"
                    "        | <n> | x |\n"
                    "      Examples:\n"
                    "        | n |\n"
                    "        | a |\n"
                    "        | b |\n",
                    i,
                    i,
                    i);
    assert_true(text.len > 4u << 20);
    assert_int_equal(
        lb_gherkin_parse("big.feature", text.ptr, text.len, NULL, &doc, &err),
        0);
    assert_non_null(doc);
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    assert_int_equal(doc->feature->n_children, BLOCKS);
    assert_int_equal(doc->n_pickles, 2 * BLOCKS);
    last = lb_gherkin_pickle_at(doc, 2 * BLOCKS - 1, &ps);
    assert_string_equal(last->name, "s29999 b");
    assert_string_equal(last->steps[0].text, "b of 29999");
    assert_string_equal(last->steps[0].data_table->rows[0].cells[0].value, "b");
    assert_int_equal(last->row_line, 1 + 8 * BLOCKS);
    assert_string_equal(lb_gherkin_pickle_at(doc, 0, &ps)->steps[0].text,
                        "a of 0");
    assert_memory_equal(doc->source, text.ptr, text.len);
    assert_true(doc->internal->arena.total < 20 * text.len);
    lb_gherkin_pickle_scratch_release(&ps);
    lb_gherkin_document_free(doc);
    lb_buf_release(&text);
}

static void test_gherkin_doc_string_and_markdown(void **state)
{
    struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc;
    struct lb_error err;
    const char *md = "# Feature: M\n\nSome prose.\n\n## Scenario: S\n"
                     "* Given a table\n  | a | b |\n  | - | - |\n"
                     "  | 1 | 2 |\n* Then `code`\n";
    int rc;

    (void)state;
    /* an empty first line of a DocString is kept (differential finding) */
    doc = parse("Feature: F\n  Scenario: S\n    Given x\n      \"\"\"\n\n"
                "      y\n      \"\"\"\n",
                &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(
        lb_gherkin_step_doc_string(
            &lb_gherkin_child_scenario(&doc->feature->children[0])->steps[0])
            ->content,
        "\ny");
    lb_gherkin_document_free(doc);

    /* a background's table is in every pickle, with a new step id each */
    doc = parse("Feature: F\n  Background:\n    Given t\n      | a |\n"
                "  Scenario: A\n    * x\n  Scenario: B\n    * y\n",
                &rc);
    lb_error_init(&err);
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    assert_int_equal(doc->n_pickles, 2);
    {
        struct lb_gherkin_pickle_scratch s0 = LB_GHERKIN_PICKLE_SCRATCH_INIT;
        struct lb_gherkin_pickle_scratch s1 = LB_GHERKIN_PICKLE_SCRATCH_INIT;
        const struct lb_gherkin_pickle *p0 = lb_gherkin_pickle_at(doc, 0, &s0);
        const struct lb_gherkin_pickle *p1 = lb_gherkin_pickle_at(doc, 1, &s1);

        assert_non_null(p0->steps[0].data_table);
        assert_non_null(p1->steps[0].data_table);
        assert_string_equal(p0->steps[0].data_table->rows[0].cells[0].value,
                            "a");
        assert_string_equal(p1->steps[0].data_table->rows[0].cells[0].value,
                            "a");
        assert_string_not_equal(p0->steps[0].id, p1->steps[0].id);
        lb_gherkin_pickle_scratch_release(&s0);
        lb_gherkin_pickle_scratch_release(&s1);
    }
    lb_gherkin_document_free(doc);

    /* Markdown: by file name; GFM separators are not rows */
    lb_error_init(&err);
    assert_int_equal(
        lb_gherkin_parse("m.feature.md", md, strlen(md), NULL, &doc, &err), 0);
    assert_int_equal(doc->media, LB_GHERKIN_MEDIA_MARKDOWN);
    assert_string_equal(doc->feature->name, "M");
    assert_int_equal(
        lb_gherkin_child_scenario(&doc->feature->children[0])->n_steps, 2);
    assert_int_equal(
        lb_gherkin_step_data_table(
            &lb_gherkin_child_scenario(&doc->feature->children[0])->steps[0])
            ->n_rows,
        2);
    lb_gherkin_document_free(doc);
    /* or forced */
    o.media = LB_GHERKIN_MEDIA_MARKDOWN;
    assert_int_equal(
        lb_gherkin_parse("m.feature", md, strlen(md), &o, &doc, &err), 0);
    assert_int_equal(doc->media, LB_GHERKIN_MEDIA_MARKDOWN);
    lb_gherkin_document_free(doc);
}

/*
 * Inputs of every length around the scanner's 8- and 32-byte strides, in
 * buffers of exactly that size (no NUL after them): ASan sees any read
 * past the end; the feature name must be the whole rest of the line, and
 * a non-ASCII byte at the end must still be decoded (as U+FFFD).
 */
/*
 * A document over LB_GHERKIN_MAX_SOURCE is refused before it is read (its
 * texts are 32-bit offsets): a clear error, no document, no crash.
 */
static void test_gherkin_too_large_document(void **state)
{
    static const char one[] = "F";
    static char sentinel; /* *out is set to NULL, not left as it was */
    struct lb_gherkin_document *doc = (void *)&sentinel;
    struct lb_error err;

    (void)state;
    lb_error_init(&err);
    /* the length is never used to read: only to refuse */
    assert_int_equal(
        lb_gherkin_parse(
            "huge.feature", one, LB_GHERKIN_MAX_SOURCE + 1, NULL, &doc, &err),
        LB_ETOOBIG);
    assert_null(doc);
    assert_non_null(strstr(err.msg, "huge.feature"));
    assert_non_null(strstr(err.msg, "too large"));
}

static void test_gherkin_input_length_boundaries(void **state)
{
    size_t len;

    (void)state;
    for (len = 10; len <= 140; len++) {
        struct lb_gherkin_document *doc = NULL;
        struct lb_error err;
        char *data = lb_xmalloc(len);
        int rc;
        int bad;

        for (bad = 0; bad < 2; bad++) {
            memcpy(data, "Feature: ", 9);
            memset(data + 9, 'a', len - 9);
            if (bad)
                data[len - 1] = (char)0xFF;
            lb_error_init(&err);
            rc = lb_gherkin_parse("t.feature", data, len, NULL, &doc, &err);
            assert_int_equal(rc, 0);
            assert_non_null(doc->feature);
            assert_int_equal(strlen(doc->feature->name),
                             bad ? len - 10 + 3 : len - 9);
            if (bad)
                assert_string_equal(doc->feature->name + len - 10,
                                    "\xEF\xBF\xBD");
            lb_gherkin_document_free(doc);
            doc = NULL;
        }
        lb_free(data);
    }
}

/*
 * A scenario's rule is looked up, not stored: scenarios before the first
 * rule have none, every other one the rule it sits in (also an empty
 * rule's neighbour, and a scenario on the line after its rule's).
 */
static void test_gherkin_scenario_rule_lookup(void **state)
{
    const struct lb_gherkin_feature *f;
    const struct lb_gherkin_rule *r1;
    const struct lb_gherkin_rule *r3;
    int rc;
    struct lb_gherkin_document *doc = parse("Feature: F\n"
                                            "  Background:\n"
                                            "    Given b\n"
                                            "  Scenario: s0\n"
                                            "  Scenario: s1\n"
                                            "  Rule: R1\n"
                                            "  Scenario: s2\n"
                                            "  Scenario: s3\n"
                                            "  Rule: R2\n"
                                            "  Rule: R3\n"
                                            "    Background:\n"
                                            "      Given c\n"
                                            "    Scenario: s4\n",
                                            &rc);

    (void)state;
    assert_int_equal(rc, 0);
    f = doc->feature;
    assert_int_equal(f->n_children, 6);
    assert_null(lb_gherkin_scenario_rule(
        doc, lb_gherkin_child_scenario(&f->children[1])));
    assert_null(lb_gherkin_scenario_rule(
        doc, lb_gherkin_child_scenario(&f->children[2])));
    r1 = lb_gherkin_child_rule(&f->children[3]);
    r3 = lb_gherkin_child_rule(&f->children[5]);
    assert_non_null(r1);
    assert_non_null(r3);
    assert_int_equal(r1->n_children, 2);
    assert_ptr_equal(lb_gherkin_scenario_rule(
                         doc, lb_gherkin_child_scenario(&r1->children[0])),
                     r1);
    assert_ptr_equal(lb_gherkin_scenario_rule(
                         doc, lb_gherkin_child_scenario(&r1->children[1])),
                     r1);
    assert_int_equal(r3->n_children, 2);
    assert_ptr_equal(lb_gherkin_scenario_rule(
                         doc, lb_gherkin_child_scenario(&r3->children[1])),
                     r3);
    lb_gherkin_document_free(doc);
}

/*
 * A step's keyword and arguments are read through accessors (the step is
 * packed): one argument, both in either order, none; keywords shared.
 */
static void test_gherkin_step_accessors(void **state)
{
    const struct lb_gherkin_scenario *s1;
    const struct lb_gherkin_scenario *s2;
    int rc;
    struct lb_gherkin_document *doc = parse("Feature: F\n"
                                            "  Scenario: a\n"
                                            "    Given x\n"
                                            "      | id |\n"
                                            "      | 1  |\n"
                                            "      \"\"\"\n"
                                            "      hello\n"
                                            "      \"\"\"\n"
                                            "    When y\n"
                                            "      | z |\n"
                                            "  Scenario: b\n"
                                            "    Given x\n"
                                            "      ```json\n"
                                            "      {}\n"
                                            "      ```\n"
                                            "      | q |\n"
                                            "    And w\n"
                                            "    * v\n",
                                            &rc);

    (void)state;
    /* the memory budget of big documents (64-bit): keep these packed */
    if (sizeof(void *) == 8) {
        assert_int_equal(sizeof(struct lb_gherkin_step), 32);
        assert_int_equal(sizeof(struct lb_gherkin_scenario), 48);
        assert_int_equal(sizeof(struct lb_gherkin_rule), 48);
        assert_int_equal(sizeof(struct lb_gherkin_background), 40);
        assert_int_equal(sizeof(struct lb_gherkin_examples), 64);
        assert_int_equal(sizeof(struct lb_gherkin_child), 8);
    }
    assert_int_equal(rc, 0);
    s1 = lb_gherkin_child_scenario(&doc->feature->children[0]);
    s2 = lb_gherkin_child_scenario(&doc->feature->children[1]);
    assert_int_equal(s1->n_steps, 2);
    assert_int_equal(s2->n_steps, 3);
    assert_string_equal(lb_gherkin_step_keyword(doc, &s1->steps[0]), "Given ");
    assert_string_equal(lb_gherkin_step_keyword(doc, &s1->steps[1]), "When ");
    assert_ptr_equal(lb_gherkin_step_keyword(doc, &s2->steps[0]),
                     lb_gherkin_step_keyword(doc, &s1->steps[0]));
    assert_string_equal(lb_gherkin_step_keyword(doc, &s2->steps[1]), "And ");
    assert_string_equal(lb_gherkin_step_keyword(doc, &s2->steps[2]), "* ");
    /* the text is a span of the source, not NUL-terminated */
    assert_int_equal(s1->steps[1].text_len, 1);
    assert_memory_equal(lb_gherkin_step_text(doc, &s1->steps[1]), "y\n", 2);
    assert_int_equal(s2->steps[2].text_len, 1);
    assert_memory_equal(lb_gherkin_step_text(doc, &s2->steps[2]), "v", 1);
    assert_ptr_equal(lb_gherkin_step_text(doc, &s2->steps[2]),
                     doc->source + doc->source_len - 2);
    assert_int_equal(s1->steps[0].arg_kind, LB_GHERKIN_ARG_BOTH);
    assert_int_equal(lb_gherkin_step_data_table(&s1->steps[0])->n_rows, 2);
    assert_string_equal(lb_gherkin_step_doc_string(&s1->steps[0])->content,
                        "hello");
    assert_int_equal(lb_gherkin_step_data_table(&s1->steps[0])->location.line,
                     4);
    /* a row keeps no cells: they are split again from its source line */
    {
        struct lb_gherkin_cells cells = LB_GHERKIN_CELLS_INIT;
        const struct lb_gherkin_table_cell *c = lb_gherkin_table_row_cells(
            doc, &lb_gherkin_step_data_table(&s1->steps[0])->rows[1], &cells);

        assert_int_equal(c[0].location.line, 5);
        assert_int_equal(c[0].location.column, 9);
        assert_string_equal(c[0].value, "1");
        assert_int_equal(c[0].len, 1);
        assert_null(lb_gherkin_step_doc_string(&s1->steps[1]));
        c = lb_gherkin_table_row_cells(
            doc, &lb_gherkin_step_data_table(&s1->steps[1])->rows[0], &cells);
        assert_string_equal(c[0].value, "z");
        lb_gherkin_cells_release(&cells);
    }
    assert_string_equal(lb_gherkin_step_doc_string(&s2->steps[0])->media_type,
                        "json");
    assert_int_equal(lb_gherkin_step_data_table(&s2->steps[0])->location.line,
                     16);
    assert_int_equal(s2->steps[1].arg_kind, LB_GHERKIN_ARG_NONE);
    assert_null(lb_gherkin_step_doc_string(&s2->steps[1]));
    assert_null(lb_gherkin_step_data_table(&s2->steps[1]));
    lb_gherkin_document_free(doc);
}

/*
 * Nodes keep their variable part after themselves and children are one
 * tagged word: the accessors give back each node with its kind, a
 * Background only as the first child, examples after the steps (also
 * when there are none), an Examples' body right after its header.
 */
static void test_gherkin_node_layout(void **state)
{
    const struct lb_gherkin_feature *f;
    const struct lb_gherkin_rule *r;
    const struct lb_gherkin_scenario *s;
    const struct lb_gherkin_examples *x;
    int rc;
    struct lb_gherkin_document *doc = parse("Feature: F\n"
                                            "  Scenario: no steps\n"
                                            "  Rule: R\n"
                                            "    Background: B\n"
                                            "      Given b\n"
                                            "    Scenario Outline: o\n"
                                            "      Given <v>\n"
                                            "      Examples: none\n"
                                            "      Examples: header only\n"
                                            "        | v |\n"
                                            "      Examples: two\n"
                                            "        | v |\n"
                                            "        | 1 |\n"
                                            "        | 2 |\n"
                                            "  @s1 @s2\n"
                                            "  Rule: S\n"
                                            "    Example: e\n"
                                            "    @t1\n"
                                            "    Scenario Outline: t\n"
                                            "      Given <v>\n"
                                            "      Examples:\n"
                                            "        | v |\n"
                                            "        | 1 |\n",
                                            &rc);

    (void)state;
    assert_int_equal(rc, 0);
    f = doc->feature;
    assert_int_equal(f->n_children, 3);
    assert_null(lb_gherkin_feature_background(f));
    assert_int_equal(lb_gherkin_child_kind(&f->children[0]),
                     LB_GHERKIN_CHILD_SCENARIO);
    assert_null(lb_gherkin_child_rule(&f->children[0]));
    assert_null(lb_gherkin_child_background(&f->children[0]));
    s = lb_gherkin_child_scenario(&f->children[0]);
    assert_text(doc, s->name, "no steps");
    assert_int_equal(s->n_steps, 0);
    assert_null(lb_gherkin_scenario_examples(s));
    r = lb_gherkin_child_rule(&f->children[1]);
    assert_int_equal(lb_gherkin_child_kind(&f->children[1]),
                     LB_GHERKIN_CHILD_RULE);
    assert_text(doc, r->name, "R");
    assert_int_equal(r->n_children, 2);
    assert_ptr_equal(lb_gherkin_rule_background(r),
                     lb_gherkin_child_background(&r->children[0]));
    assert_text(doc, lb_gherkin_rule_background(r)->name, "B");
    assert_int_equal(lb_gherkin_rule_background(r)->n_steps, 1);
    assert_int_equal(lb_gherkin_rule_background(r)->steps[0].location.line, 5);
    s = lb_gherkin_child_scenario(&r->children[1]);
    assert_null(lb_gherkin_child_scenario(&r->children[0]));
    assert_text(doc, s->name, "o");
    assert_int_equal(s->n_steps, 1);
    assert_int_equal(s->steps[0].location.line, 7);
    assert_int_equal(s->n_examples, 3);
    x = lb_gherkin_scenario_examples(s);
    assert_ptr_equal(x, (const void *)(s->steps + 1));
    assert_text(doc, x[0].name, "none");
    assert_null(x[0].header);
    assert_null(lb_gherkin_examples_body(&x[0]));
    assert_int_equal(x[0].n_body, 0);
    assert_text(doc, x[1].name, "header only");
    assert_int_equal(x[1].header->location.line, 10);
    assert_int_equal(x[1].n_body, 0);
    assert_text(doc, x[2].name, "two");
    assert_int_equal(x[2].n_body, 2);
    assert_ptr_equal(lb_gherkin_examples_body(&x[2]), x[2].header + 1);
    {
        struct lb_gherkin_cells cells = LB_GHERKIN_CELLS_INIT;

        assert_string_equal(
            lb_gherkin_table_row_cells(
                doc, &lb_gherkin_examples_body(&x[2])[1], &cells)[0]
                .value,
            "2");
        lb_gherkin_cells_release(&cells);
    }
    assert_int_equal(lb_gherkin_examples_body(&x[2])[1].location.line, 14);
    r = lb_gherkin_child_rule(&f->children[2]);
    assert_text(doc, r->name, "S");
    assert_null(lb_gherkin_rule_background(r));
    assert_int_equal(r->n_children, 2);
    assert_text(doc, lb_gherkin_child_scenario(&r->children[0])->name, "e");
    /* tags after the children; a scenario's after its examples */
    assert_int_equal(r->n_tags, 2);
    assert_ptr_equal(lb_gherkin_rule_tags(r), (const void *)(r->children + 2));
    assert_string_equal(lb_gherkin_rule_tags(r)[1].name, "@s2");
    assert_int_equal(lb_gherkin_rule_tags(r)[1].location.line, 15);
    assert_int_equal(lb_gherkin_child_scenario(&r->children[0])->n_tags, 0);
    assert_null(
        lb_gherkin_scenario_tags(lb_gherkin_child_scenario(&r->children[0])));
    s = lb_gherkin_child_scenario(&r->children[1]);
    assert_int_equal(s->n_tags, 1);
    assert_ptr_equal(lb_gherkin_scenario_tags(s),
                     (const void *)(lb_gherkin_scenario_examples(s) + 1));
    assert_string_equal(lb_gherkin_scenario_tags(s)[0].name, "@t1");
    assert_int_equal(lb_gherkin_scenario_tags(s)[0].location.column, 5);
    assert_int_equal(lb_gherkin_scenario_examples(s)[0].n_body, 1);
    s = lb_gherkin_child_scenario(
        &lb_gherkin_child_rule(&f->children[1])->children[1]);
    assert_ptr_equal(lb_gherkin_scenario_rule(doc, s),
                     lb_gherkin_child_rule(&f->children[1]));
    lb_gherkin_document_free(doc);
}

/*
 * Names and descriptions are spans of the source when verbatim there; a
 * description over "\r\n" lines is a copy joined by "\n" (its offset past
 * the source); the feature's stay NUL-terminated strings.
 */
static void test_gherkin_texts_spans_and_copies(void **state)
{
    const struct lb_gherkin_rule *r;
    const struct lb_gherkin_scenario *s;
    int rc;
    struct lb_gherkin_document *doc = parse("Feature: F\r\n"
                                            "  feature text\r\n"
                                            "  Rule: R one \r\n"
                                            "    line 1\r\n"
                                            "      line 2\r\n"
                                            "\r\n"
                                            "    Scenario: S\n"
                                            "      lf 1\n"
                                            "      lf 2\n"
                                            "\n"
                                            "      Given x\n",
                                            &rc);

    (void)state;
    assert_int_equal(rc, 0);
    assert_string_equal(doc->feature->name, "F");
    assert_string_equal(doc->feature->description, "  feature text");
    r = lb_gherkin_child_rule(&doc->feature->children[0]);
    assert_text(doc, r->name, "R one");
    assert_ptr_equal(lb_gherkin_text(doc, r->name),
                     strstr(doc->source, "R one"));
    assert_text(doc, r->description, "    line 1\n      line 2");
    assert_true(r->description.off >= doc->source_len);
    s = lb_gherkin_child_scenario(&r->children[0]);
    assert_text(doc, s->name, "S");
    assert_text(doc, s->description, "      lf 1\n      lf 2");
    assert_ptr_equal(lb_gherkin_text(doc, s->description),
                     strstr(doc->source, "      lf 1"));
    lb_gherkin_document_free(doc);
}

/* A document with more pickles than a mark's gap, and the odd cases. */
static void build_many_pickles(struct lb_buf *t, const char *tag)
{
    int i;

    lb_buf_addf(t,
                "Feature: F%s\n"
                "  Background:\n    Given fb\n"
                "  Scenario: plain 0\n    Given a\n"
                "  Scenario: no steps\n"
                "  Scenario Outline: no header\n    Given <x>\n"
                "    Examples:\n"
                "  Rule: R1\n"
                "    Background:\n      Given rb\n"
                "    Scenario Outline: o1 <n>\n      When <n>\n"
                "      Examples: first\n        | n |\n",
                tag);
    for (i = 0; i < 150; i++)
        lb_buf_addf(t, "        | r%d |\n", i);
    lb_buf_adds(t, "      Examples: empty\n        | n |\n");
    lb_buf_adds(t, "      Examples: second\n        | n |\n");
    for (i = 0; i < 70; i++)
        lb_buf_addf(t, "        | s%d |\n", i);
    lb_buf_adds(t,
                "    Scenario: plain 1\n      Then c\n"
                "  Rule: R2\n"
                "  Rule: R3\n"
                "    Background:\n      Given r3b\n"
                "    Scenario: r3 s\n      Given z\n");
}

struct pickle_copy {
    char *id;
    char *name;
    char *first_step_id;
    uint32_t n_steps;
};

static void copy_pickle(struct pickle_copy *c,
                        const struct lb_gherkin_pickle *p)
{
    c->id = lb_xstrdup(p->id);
    c->name = lb_xstrdup(p->name);
    c->first_step_id = p->n_steps ? lb_xstrdup(p->steps[0].id) : NULL;
    c->n_steps = p->n_steps;
}

static void same_pickle(const struct pickle_copy *c,
                        const struct lb_gherkin_pickle *p)
{
    assert_string_equal(c->id, p->id);
    assert_string_equal(c->name, p->name);
    assert_int_equal(c->n_steps, p->n_steps);
    if (c->n_steps)
        assert_string_equal(c->first_step_id, p->steps[0].id);
}

static void test_gherkin_pickles_random_access(void **state)
{
    enum { N = 224 };
    struct lb_buf text = LB_BUF_INIT;
    struct lb_gherkin_document *doc = NULL;
    struct lb_gherkin_pickle_scratch seq = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_gherkin_pickle_scratch rnd = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct pickle_copy ref[N];
    const struct lb_gherkin_pickle *p;
    struct lb_error err;
    size_t k;
    size_t i;

    (void)state;
    lb_error_init(&err);
    build_many_pickles(&text, "");
    assert_int_equal(
        lb_gherkin_parse("t.feature", text.ptr, text.len, NULL, &doc, &err), 0);
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    /* 2 plain, none for the outline without a header, 150 + 0 + 70 rows,
     * then plain 1 and r3 s (an empty rule between) */
    assert_int_equal(doc->n_pickles, N);
    for (k = 0; k < N; k++)
        copy_pickle(&ref[k], lb_gherkin_pickle_at(doc, k, &seq));
    assert_string_equal(ref[0].name, "plain 0");
    assert_int_equal(ref[0].n_steps, 2);
    assert_string_equal(ref[1].name, "no steps");
    assert_int_equal(ref[1].n_steps, 0);
    assert_string_equal(ref[2].name, "o1 r0");
    assert_string_equal(ref[151].name, "o1 r149");
    assert_string_equal(ref[152].name, "o1 s0");
    assert_string_equal(ref[221].name, "o1 s69");
    assert_string_equal(ref[222].name, "plain 1");
    assert_string_equal(ref[223].name, "r3 s");
    p = lb_gherkin_pickle_at(doc, 152, &rnd);
    assert_int_equal(p->examples_index, 2);
    assert_int_equal(p->row_index, 0);
    assert_text(doc, p->rule->name, "R1");
    assert_string_equal(p->steps[1].text, "rb");
    assert_string_equal(p->steps[2].text, "s0");
    p = lb_gherkin_pickle_at(doc, 223, &rnd);
    assert_text(doc, p->rule->name, "R3");
    assert_string_equal(p->steps[0].text, "fb");
    assert_string_equal(p->steps[1].text, "r3b");
    /* any order, the same pickles: scattered, backwards, repeated */
    for (i = 0; i < 3 * N; i++) {
        k = (i * 97 + 13) % N;
        same_pickle(&ref[k], lb_gherkin_pickle_at(doc, k, &rnd));
    }
    for (k = N; k-- > 0;)
        same_pickle(&ref[k], lb_gherkin_pickle_at(doc, k, &rnd));
    same_pickle(&ref[0], lb_gherkin_pickle_at(doc, 0, &rnd));
    same_pickle(&ref[0], lb_gherkin_pickle_at(doc, 0, &rnd));
    /* the sequential scratch goes back, then on in order */
    for (k = 60; k < N; k++)
        same_pickle(&ref[k], lb_gherkin_pickle_at(doc, k, &seq));
    /* by id: every pickle's, no step's, no AST node's */
    for (k = 0; k < N; k++) {
        size_t at = 999;

        assert_true(lb_gherkin_find_pickle(doc, ref[k].id, &at));
        assert_int_equal(at, k);
        if (ref[k].first_step_id)
            assert_false(
                lb_gherkin_find_pickle(doc, ref[k].first_step_id, &at));
    }
    {
        char idbuf[LB_ID_MAX];
        size_t at;
        const struct lb_gherkin_scenario *s =
            lb_gherkin_child_scenario(&doc->feature->children[1]);

        (void)lb_gherkin_id(doc, s->id, idbuf);
        assert_false(lb_gherkin_find_pickle(doc, idbuf, &at));
        assert_false(lb_gherkin_find_pickle(doc, "", &at));
        assert_false(lb_gherkin_find_pickle(doc, "0", &at));
        assert_false(lb_gherkin_find_pickle(doc, "999999", &at));
        assert_false(lb_gherkin_find_pickle(doc, "x1", &at));
        (void)snprintf(idbuf, sizeof(idbuf), "0%s", ref[5].id);
        assert_false(lb_gherkin_find_pickle(doc, idbuf, &at));
    }
    for (k = 0; k < N; k++) {
        lb_free(ref[k].id);
        lb_free(ref[k].name);
        lb_free(ref[k].first_step_id);
    }
    lb_gherkin_pickle_scratch_release(&seq);
    lb_gherkin_pickle_scratch_release(&rnd);
    lb_gherkin_document_free(doc);
    lb_buf_release(&text);
}

/* One scratch for pickles of several documents, one freed before the next. */
static void test_gherkin_pickle_scratch_across_documents(void **state)
{
    struct lb_buf t1 = LB_BUF_INIT;
    struct lb_buf t2 = LB_BUF_INIT;
    struct lb_gherkin_document *d1 = NULL;
    struct lb_gherkin_document *d2 = NULL;
    struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_error err;
    int round;

    (void)state;
    lb_error_init(&err);
    build_many_pickles(&t1, " one");
    lb_buf_adds(&t2,
                "Feature: two\n"
                "  Scenario: t0\n    Given q0\n"
                "  Scenario Outline: t <v>\n    Given w <v>\n"
                "    Examples:\n      | v |\n      | a |\n      | b |\n");
    assert_int_equal(
        lb_gherkin_parse("1.feature", t1.ptr, t1.len, NULL, &d1, &err), 0);
    assert_int_equal(lb_gherkin_compile(d1, &err), 0);
    for (round = 0; round < 3; round++) {
        assert_int_equal(
            lb_gherkin_parse("2.feature", t2.ptr, t2.len, NULL, &d2, &err), 0);
        assert_int_equal(lb_gherkin_compile(d2, &err), 0);
        assert_int_equal(d2->n_pickles, 3);
        /* d1 at 2: the scratch is right after d2's pickle 1 then */
        assert_string_equal(lb_gherkin_pickle_at(d1, 2, &ps)->name, "o1 r0");
        assert_string_equal(lb_gherkin_pickle_at(d2, 1, &ps)->name, "t a");
        assert_string_equal(lb_gherkin_pickle_at(d1, 3, &ps)->name, "o1 r1");
        assert_string_equal(lb_gherkin_pickle_at(d2, 2, &ps)->name, "t b");
        assert_string_equal(lb_gherkin_pickle_at(d2, 2, &ps)->steps[0].text,
                            "w b");
        assert_string_equal(lb_gherkin_pickle_at(d1, 4, &ps)->name, "o1 r2");
        /* a new document, maybe where the freed one was */
        lb_gherkin_document_free(d2);
        d2 = NULL;
        assert_int_equal(
            lb_gherkin_parse("1b.feature", t1.ptr, t1.len, NULL, &d2, &err), 0);
        assert_int_equal(lb_gherkin_compile(d2, &err), 0);
        assert_string_equal(lb_gherkin_pickle_at(d2, 5, &ps)->name, "o1 r3");
        lb_gherkin_document_free(d2);
        d2 = NULL;
    }
    lb_gherkin_pickle_scratch_release(&ps);
    lb_gherkin_document_free(d1);
    lb_buf_release(&t1);
    lb_buf_release(&t2);
}

/* lb_idgen_parse inverts lb_idgen_format in both modes, canonical only. */
static void test_gherkin_id_parse(void **state)
{
    static const uint64_t ordinals[] = {
        0, 1, 9, 10, 12345, ((uint64_t)1 << 40) + 3, ((uint64_t)1 << 62) - 1};
    struct lb_idgen gens[2];
    char buf[LB_ID_MAX];
    uint64_t got;
    size_t g;
    size_t i;

    (void)state;
    lb_idgen_init(&gens[0], true);
    lb_idgen_init(&gens[1], false);
    for (g = 0; g < 2; g++) {
        for (i = 0; i < sizeof(ordinals) / sizeof(ordinals[0]); i++) {
            (void)lb_idgen_format(&gens[g], ordinals[i], buf);
            got = 7;
            assert_true(lb_idgen_parse(&gens[g], buf, &got));
            assert_true(got == ordinals[i]);
        }
    }
    assert_false(lb_idgen_parse(&gens[0], "", &got));
    assert_false(lb_idgen_parse(&gens[0], "01", &got));
    assert_false(lb_idgen_parse(&gens[0], "-1", &got));
    assert_false(lb_idgen_parse(&gens[0], "1a", &got));
    assert_false(lb_idgen_parse(&gens[0], "18446744073709551616", &got));
    (void)lb_idgen_format(&gens[1], 77, buf);
    assert_false(lb_idgen_parse(&gens[0], buf, &got));
    buf[0] = buf[0] == 'a' ? 'b' : 'a'; /* the half that is not inverted */
    assert_false(lb_idgen_parse(&gens[1], buf, &got));
    (void)lb_idgen_format(&gens[1], 77, buf);
    buf[35] = (char)(buf[35] == '0' ? '1' : '0');
    assert_true(!lb_idgen_parse(&gens[1], buf, &got) || got != 77);
    (void)lb_idgen_format(&gens[1], 77, buf);
    buf[35] = (char)(buf[35] >= 'a' ? buf[35] - 'a' + 'A' : 'G');
    assert_false(lb_idgen_parse(&gens[1], buf, &got));
    assert_false(lb_idgen_parse(&gens[1], "12", &got));
}

/* Predictable ids are the ordinal in decimal, at every length. */
static void test_gherkin_predictable_id_texts(void **state)
{
    static const struct {
        uint64_t ordinal;
        const char *text;
    } cases[] = {{0, "0"},
                 {7, "7"},
                 {10, "10"},
                 {99, "99"},
                 {100, "100"},
                 {1009, "1009"},
                 {692384, "692384"},
                 {UINT64_MAX, "18446744073709551615"}};
    struct lb_idgen gen;
    char buf[LB_ID_MAX];
    size_t i;

    (void)state;
    lb_idgen_init(&gen, true);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = lb_idgen_format(&gen, cases[i].ordinal, buf);

        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
    }
}

static struct lb_gherkin_document *
parse_as(const char *uri, const char *text, size_t len)
{
    struct lb_gherkin_document *doc = NULL;
    struct lb_error err;

    lb_error_init(&err);
    assert_int_equal(lb_gherkin_parse(uri, text, len, NULL, &doc, &err), 0);
    assert_non_null(doc);
    assert_int_equal(doc->n_errors, 0);
    return doc;
}

/* The DataTable of the first step of the first scenario. */
static const struct lb_gherkin_data_table *
first_table(const struct lb_gherkin_document *doc)
{
    const struct lb_gherkin_scenario *s =
        lb_gherkin_child_scenario(&doc->feature->children[0]);

    assert_non_null(s);
    assert_non_null(lb_gherkin_step_data_table(&s->steps[0]));
    return lb_gherkin_step_data_table(&s->steps[0]);
}

/*
 * A row's cells are split again from its source line: escapes, CRLF, a
 * "\r" on a last line without "\n", UTF-16 columns, repaired UTF-8, an
 * empty row, a scratch reused from a long row to a short one.
 */
static void test_gherkin_table_row_cells(void **state)
{
    static const char text[] =
        "Feature: F\r\n"
        "  Scenario: s\r\n"
        "    Given x\r\n"
        "      | a\\|b | \\\\ | c\\nd | \\x |  \xF0\x9F\x98\x80 | e |\r\n"
        "\t\t| \xFF  |  | \xC2\xA0z\xC2\xA0 |\\| | \xC2\x85 | |";
    static const char md[] =
        "## Feature: F\n\n### Scenario: s\n\n* Given x\n"
        "  | foo | bar |\n  | --- | --- |\n   |  boz |b\\|o|\n";
    static const char empty[] = "Feature: F\n Scenario: s\n  Given x\n  |\n";
    struct lb_gherkin_cells cells = LB_GHERKIN_CELLS_INIT;
    const struct lb_gherkin_table_cell *c;
    const struct lb_gherkin_data_table *t;
    struct lb_gherkin_document *doc;

    (void)state;
    doc = parse_as("t.feature", text, sizeof(text) - 1);
    t = first_table(doc);
    assert_int_equal(t->n_rows, 2);
    assert_int_equal(t->rows[0].n_cells, 6);
    c = lb_gherkin_table_row_cells(doc, &t->rows[0], &cells);
    assert_string_equal(c[0].value, "a|b");
    assert_int_equal(c[0].len, 3);
    assert_int_equal(c[0].location.line, 4);
    assert_int_equal(c[0].location.column, 9);
    assert_string_equal(c[1].value, "\\");
    assert_int_equal(c[1].location.column, 16);
    assert_string_equal(c[2].value, "c\nd");
    assert_int_equal(c[2].len, 3);
    assert_string_equal(c[3].value, "\\x");
    assert_string_equal(c[4].value, "\xF0\x9F\x98\x80");
    assert_int_equal(c[4].location.column, 34);
    /* the emoji is two UTF-16 units */
    assert_int_equal(c[5].location.column, 39);
    assert_string_equal(c[5].value, "e");
    /* tabs indent; invalid UTF-8 is U+FFFD; NBSP and NEL are trimmed */
    c = lb_gherkin_table_row_cells(doc, &t->rows[1], &cells);
    assert_int_equal(c[0].location.line, 5);
    assert_int_equal(c[0].location.column, 5);
    assert_string_equal(c[0].value, "\xEF\xBF\xBD");
    assert_string_equal(c[1].value, "");
    assert_int_equal(c[1].len, 0);
    assert_string_equal(c[2].value, "z");
    assert_int_equal(c[2].location.column, 14);
    assert_string_equal(c[3].value, "|");
    assert_string_equal(c[4].value, "");
    /* the "\r" of the last line, which has no "\n", is a cell's blank */
    assert_string_equal(c[5].value, "");
    lb_gherkin_document_free(doc);

    /* Markdown rows: the GFM separator is no row */
    doc = parse_as("t.feature.md", md, strlen(md));
    t = first_table(doc);
    assert_int_equal(t->n_rows, 2);
    c = lb_gherkin_table_row_cells(doc, &t->rows[1], &cells);
    assert_int_equal(t->rows[1].n_cells, 2);
    assert_string_equal(c[0].value, "boz");
    assert_int_equal(c[0].location.line, 8);
    assert_int_equal(c[0].location.column, 7);
    assert_string_equal(c[1].value, "b|o");
    lb_gherkin_document_free(doc);

    /* a row of no cells has none to give */
    doc = parse_as("t.feature", empty, strlen(empty));
    t = first_table(doc);
    assert_int_equal(t->rows[0].n_cells, 0);
    assert_null(lb_gherkin_table_row_cells(doc, &t->rows[0], &cells));
    lb_gherkin_document_free(doc);
    lb_gherkin_cells_release(&cells);
    assert_null(cells.cells);
    assert_null(cells.internal);
}

/* One row of 200,000 cells: split once, in one pass (seconds if not). */
static void test_gherkin_table_row_cells_long_row(void **state)
{
    struct lb_buf b = LB_BUF_INIT;
    struct lb_gherkin_cells cells = LB_GHERKIN_CELLS_INIT;
    const struct lb_gherkin_table_cell *c;
    const struct lb_gherkin_data_table *t;
    struct lb_gherkin_document *doc;
    size_t line;
    uint32_t i;

    (void)state;
    lb_buf_adds(&b, "Feature: F\nScenario: s\nGiven x\n");
    line = b.len;
    lb_buf_adds(&b, "|");
    for (i = 0; i < 200000; i++)
        lb_buf_addf(&b, " %u |", i);
    lb_buf_adds(&b, "\n");
    doc = parse_as("t.feature", b.ptr, b.len);
    t = first_table(doc);
    assert_int_equal(t->rows[0].n_cells, 200000);
    c = lb_gherkin_table_row_cells(doc, &t->rows[0], &cells);
    for (i = 0; i < 200000; i += 9999) {
        char want[16];

        snprintf(want, sizeof(want), "%u", i);
        assert_string_equal(c[i].value, want);
    }
    /* "... | 199999 |\n": the value starts 7 before the line's end */
    assert_int_equal(c[199999].location.column, (int)(b.len - 1 - line) - 7);
    lb_gherkin_document_free(doc);
    lb_gherkin_cells_release(&cells);
    lb_buf_release(&b);
}

/*
 * A cells scratch names the document of the row it split last by the
 * document's serial, set when the document is made: two documents never
 * compiled, with their rows at the same offsets, give their own cells.
 */
static void test_gherkin_table_row_cells_two_documents(void **state)
{
    static const char a[] = "Feature: F\n  Scenario: S\n    Given t\n"
                            "      | a1 | a2 |\n";
    static const char b[] = "Feature: F\n  Scenario: S\n    Given t\n"
                            "      | b1 | b2 |\n";
    struct lb_gherkin_cells cells = LB_GHERKIN_CELLS_INIT;
    struct lb_gherkin_document *da = parse_as("a.feature", a, strlen(a));
    struct lb_gherkin_document *db = parse_as("b.feature", b, strlen(b));
    const struct lb_gherkin_data_table *ta = first_table(da);
    const struct lb_gherkin_data_table *tb = first_table(db);

    (void)state;
    assert_int_equal(ta->rows[0].source_off, tb->rows[0].source_off);
    assert_string_equal(
        lb_gherkin_table_row_cells(da, &ta->rows[0], &cells)[1].value, "a2");
    assert_string_equal(
        lb_gherkin_table_row_cells(db, &tb->rows[0], &cells)[1].value, "b2");
    assert_string_equal(
        lb_gherkin_table_row_cells(da, &ta->rows[0], &cells)[0].value, "a1");
    lb_gherkin_cells_release(&cells);
    lb_gherkin_document_free(da);
    lb_gherkin_document_free(db);
}

/*
 * Outline values are put in name by name, as the official compiler does
 * (a later name sees what an earlier one put in), also where one pass
 * over the text would differ: nested names, values and header names
 * holding brackets, duplicate names, unknown names, more names than the
 * one-pass path keeps. Expected texts are those of @cucumber/gherkin
 * 42.0.1 (shared/tools/gherkin-ref) on the same document.
 */
static void test_gherkin_outline_interpolation(void **state)
{
    static const char text[] =
        "Feature: interpolation edge cases\n"
        "  Scenario Outline: plain <a>\n"
        "    Given <a> and <b> and <a><b> and <c> and <> and <a\n"
        "    Then x <a>, <a>, <a>, <a>, <a>, <a>, <a>, <a>, <a>, <a>, <a>, "
        "<a>, <a>, <a>, <a>, <a>, <a>, <a>, <a>, <a> y\n"
        "    Examples:\n"
        "      | a | b |\n"
        "      | 1 | 2 |\n"
        "  Scenario Outline: chained\n"
        "    Given <b<a>> and <<a>> and <b<x>> and <b <a>\n"
        "      | <b<a>> | <a> |\n"
        "    Examples:\n"
        "      | a | b | x |\n"
        "      |   | B | a |\n"
        "  Scenario Outline: values with brackets\n"
        "    Given <a> then <b> then <c>\n"
        "    Examples:\n"
        "      | a   | b   | c   |\n"
        "      | <b> | <c> | end |\n"
        "  Scenario Outline: names with brackets\n"
        "    Given <a>b> and <a> and <a<b> and <a><b>\n"
        "    Examples:\n"
        "      | a>b | a | a<b | b |\n"
        "      | X   | Y | Z   | W |\n"
        "  Scenario Outline: duplicate names\n"
        "    Given <a> and <b>\n"
        "    Examples:\n"
        "      | a | a | b |\n"
        "      | 1 | 2 | 3 |\n";
    static const char *const want[][2] = {
        {"plain 1", "1 and 2 and 12 and <c> and <> and <a"},
        {"chained", "B and <> and <ba> and <b "},
        {"values with brackets", "end then end then end"},
        {"names with brackets", "X and Y and Z and YW"},
        {"duplicate names", "1 and 3"}};
    struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_gherkin_document *doc = parse_as("t.feature", text, strlen(text));
    const struct lb_gherkin_pickle *p;
    struct lb_error err;
    size_t i;

    (void)state;
    lb_error_init(&err);
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    assert_int_equal(doc->n_pickles, 5);
    for (i = 0; i < 5; i++) {
        p = lb_gherkin_pickle_at(doc, i, &ps);
        assert_string_equal(p->name, want[i][0]);
        assert_string_equal(p->steps[0].text, want[i][1]);
    }
    p = lb_gherkin_pickle_at(doc, 0, &ps);
    assert_string_equal(p->steps[1].text,
                        "x 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
                        "1, 1, 1, 1 y");
    p = lb_gherkin_pickle_at(doc, 1, &ps);
    assert_non_null(p->steps[0].data_table);
    assert_string_equal(p->steps[0].data_table->rows[0].cells[0].value, "B");
    assert_string_equal(p->steps[0].data_table->rows[0].cells[1].value, "");
    lb_gherkin_pickle_scratch_release(&ps);
    lb_gherkin_document_free(doc);
}

/* A flush for the *_in_pieces writers: appends the piece to `ud`. */
struct pieces {
    struct lb_buf all;
    size_t calls;
    size_t largest;
    size_t fail_at; /* the call that fails (1-based), 0: none */
};

static int keep_piece(struct lb_buf *out, void *ud)
{
    struct pieces *p = ud;

    p->calls++;
    if (out->len > p->largest)
        p->largest = out->len;
    lb_buf_add(&p->all, out->ptr, out->len);
    lb_buf_reset(out);
    return p->calls == p->fail_at ? -1 : 0;
}

/*
 * The source and document envelopes handed over in pieces are the bytes of
 * the whole ones, in bounded pieces (a 300 KB DocString with escapes and
 * multi-byte characters cut anywhere); a failing flush is LB_EIO and is
 * not called again.
 */
static void test_gherkin_ndjson_in_pieces(void **state)
{
    struct lb_buf text = LB_BUF_INIT;
    struct lb_buf whole = LB_BUF_INIT;
    struct lb_buf out = LB_BUF_INIT;
    struct pieces pc;
    struct lb_gherkin_document *doc;
    size_t i;
    int rc;

    (void)state;
    lb_buf_adds(&text,
                "Feature: F\n  Scenario: S\n    Given a\n      \"\"\"\n");
    for (i = 0; i < 10000; i++)
        lb_buf_adds(&text, "      \t\\ \"q\" \xc3\xa9\xe2\x82\xac\x01\n");
    lb_buf_adds(&text, "      \"\"\"\n");
    doc = parse(text.ptr, &rc);
    assert_int_equal(rc, 0);
    assert_true(doc->source_len > 3 * 65536);
    assert_int_equal(lb_gherkin_write_source(&whole, doc), 0);
    assert_int_equal(lb_gherkin_write_document(&whole, doc), 0);

    memset(&pc, 0, sizeof(pc));
    lb_buf_init(&pc.all, 0);
    assert_int_equal(
        lb_gherkin_write_source_in_pieces(&out, doc, keep_piece, &pc), 0);
    assert_true(pc.calls >= 3);
    assert_true(pc.largest <= 6 * 65536 + 64);
    lb_buf_add(&pc.all, out.ptr, out.len);
    lb_buf_reset(&out);
    assert_int_equal(
        lb_gherkin_write_document_in_pieces(&out, doc, keep_piece, &pc), 0);
    lb_buf_add(&pc.all, out.ptr, out.len);
    assert_int_equal(pc.all.len, whole.len);
    assert_memory_equal(pc.all.ptr, whole.ptr, whole.len);

    lb_buf_release(&pc.all);
    memset(&pc, 0, sizeof(pc));
    lb_buf_init(&pc.all, 0);
    pc.fail_at = 2;
    lb_buf_reset(&out);
    assert_int_equal(
        lb_gherkin_write_source_in_pieces(&out, doc, keep_piece, &pc), LB_EIO);
    assert_int_equal(pc.calls, 2);

    lb_buf_release(&pc.all);
    lb_buf_release(&out);
    lb_buf_release(&whole);
    lb_buf_release(&text);
    lb_gherkin_document_free(doc);
}

/*
 * LB_GHERKIN_BORROW_SOURCE: the document quotes the caller's bytes (an
 * exact-size buffer, no NUL after it: ASan sees any read past it) and
 * gives what a copying parse gives; invalid UTF-8 still gets a repaired
 * copy of its own.
 */
static void test_gherkin_borrowed_source(void **state)
{
    static const char text[] = "Feature: F\n"
                               "  Scenario Outline: S <a>\n"
                               "    Given x <a>\n"
                               "      | c1 | c2 |\n"
                               "    Examples:\n"
                               "      | a |\n"
                               "      | 1 |";
    size_t len = sizeof(text) - 1;
    char *data = lb_xmalloc(len);
    struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc = NULL;
    struct lb_gherkin_document *copy = NULL;
    struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_gherkin_pickle_scratch ps2 = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    struct lb_gherkin_cells cells = LB_GHERKIN_CELLS_INIT;
    struct lb_error err;
    const struct lb_gherkin_pickle *pk;
    const struct lb_gherkin_pickle *pk2;
    const struct lb_gherkin_scenario *sc;
    const struct lb_gherkin_data_table *t;
    char bad[] = {'F', 'e', 'a', 't', 'u', 'r', 'e', ':', ' ', 'a', '\xFF'};

    (void)state;
    memcpy(data, text, len);
    lb_error_init(&err);
    o.flags = LB_GHERKIN_BORROW_SOURCE;
    assert_int_equal(lb_gherkin_parse("t.feature", data, len, &o, &doc, &err),
                     0);
    assert_ptr_equal(doc->source, data);
    assert_int_equal(doc->source_len, len);
    copy = parse_as("t.feature", text, len);
    assert_ptr_not_equal(copy->source, text);
    sc = lb_gherkin_child_scenario(&doc->feature->children[0]);
    assert_non_null(sc);
    assert_ptr_equal(lb_gherkin_step_text(doc, &sc->steps[0]),
                     data + (strstr(text, "x <a>") - text));
    assert_int_equal(lb_gherkin_compile(doc, &err), 0);
    assert_int_equal(lb_gherkin_compile(copy, &err), 0);
    assert_int_equal(doc->n_pickles, 1);
    assert_int_equal(copy->n_pickles, 1);
    pk = lb_gherkin_pickle_at(doc, 0, &ps);
    pk2 = lb_gherkin_pickle_at(copy, 0, &ps2);
    assert_string_equal(pk->name, "S 1");
    assert_string_equal(pk->name, pk2->name);
    assert_string_equal(pk->steps[0].text, "x 1");
    assert_string_equal(pk->steps[0].text, pk2->steps[0].text);
    assert_string_equal(pk->steps[0].data_table->rows[0].cells[1].value, "c2");
    /* the last line has no newline: its cells end at the buffer's end */
    t = lb_gherkin_step_data_table(&sc->steps[0]);
    assert_non_null(t);
    assert_string_equal(
        lb_gherkin_table_row_cells(doc, &t->rows[0], &cells)[0].value, "c1");
    assert_string_equal(
        lb_gherkin_table_row_cells(
            doc, &lb_gherkin_scenario_examples(sc)->header[1], &cells)[0]
            .value,
        "1");
    lb_gherkin_cells_release(&cells);
    lb_gherkin_pickle_scratch_release(&ps);
    lb_gherkin_pickle_scratch_release(&ps2);
    lb_gherkin_document_free(doc);
    lb_gherkin_document_free(copy);
    lb_free(data);
    /* invalid UTF-8: the document repairs a copy of its own */
    assert_int_equal(
        lb_gherkin_parse("t.feature", bad, sizeof(bad), &o, &doc, &err), 0);
    assert_ptr_not_equal(doc->source, bad);
    assert_string_equal(doc->feature->name, "a\xEF\xBF\xBD");
    lb_gherkin_document_free(doc);
}

/*
 * lb_gherkin_table_row_cells cuts an ASCII row without escapes itself; on
 * random such rows (blanks, tabs, \v \f \r, empty cells, text after the
 * last pipe, CRLF) its values and columns are the token lines' (the
 * general splitter's): "(4:7)TableRow://8:a,11:b".
 */
static void test_gherkin_plain_row_cells_match_tokens(void **state)
{
    static const char alphabet[] = "ab1<> |||  \t\v\f\r";
    struct lb_buf src = LB_BUF_INIT;
    struct lb_buf tokens = LB_BUF_INIT;
    struct lb_buf want = LB_BUF_INIT;
    struct lb_gherkin_cells cells = LB_GHERKIN_CELLS_INIT;
    unsigned seed = 12345;
    int round;

    (void)state;
    for (round = 0; round < 2000; round++) {
        struct lb_gherkin_document *doc;
        const struct lb_gherkin_data_table *dt;
        const struct lb_gherkin_table_cell *c;
        struct lb_error err;
        const char *line;
        /* most rows short, every fourth up to 300 bytes */
        int n = (int)((seed = seed * 1103515245u + 12345u) >> 16) %
                (round % 4 ? 24 : 300);
        int i;
        uint32_t k;

        lb_buf_reset(&src);
        lb_buf_adds(&src, "Feature: F\n  Scenario: S\n    Given t\n");
        lb_buf_adds(&src, round % 3 ? "      |" : "\t |");
        for (i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            lb_buf_addch(&src, alphabet[(seed >> 16) % (sizeof(alphabet) - 1)]);
        }
        lb_buf_adds(&src, round % 5 ? "|\n" : "|x\r\n");
        lb_error_init(&err);
        doc = NULL;
        assert_int_equal(
            lb_gherkin_parse("t.feature", src.ptr, src.len, NULL, &doc, &err),
            0);
        lb_buf_reset(&tokens);
        assert_int_equal(
            lb_gherkin_tokens(
                "t.feature", src.ptr, src.len, NULL, &tokens, NULL, &err),
            0);
        line = strstr(tokens.ptr, "TableRow://");
        assert_non_null(line);
        line += strlen("TableRow://");
        dt = first_table(doc);
        c = lb_gherkin_table_row_cells(doc, &dt->rows[0], &cells);
        lb_buf_reset(&want);
        for (k = 0; k < dt->rows[0].n_cells; k++)
            lb_buf_addf(&want,
                        "%s%d:%s",
                        k ? "," : "",
                        c[k].location.column,
                        c[k].value);
        lb_buf_addch(&want, '\n');
        assert_memory_equal(line, want.ptr, want.len);
        lb_gherkin_document_free(doc);
    }
    lb_gherkin_cells_release(&cells);
    lb_buf_release(&want);
    lb_buf_release(&tokens);
    lb_buf_release(&src);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gherkin_js_whitespace_and_columns),
        cmocka_unit_test(test_gherkin_token_matching),
        cmocka_unit_test(test_gherkin_table_cells_columns),
        cmocka_unit_test(test_gherkin_table_count_agrees_with_cells),
        cmocka_unit_test(test_gherkin_dialect_loading),
        cmocka_unit_test(test_gherkin_title_keywords),
        cmocka_unit_test(test_gherkin_unknown_language_is_parse_error),
        cmocka_unit_test(test_gherkin_i18n_tables),
        cmocka_unit_test(test_gherkin_utf8_decoding),
        cmocka_unit_test(test_gherkin_errors_collected_and_formatted),
        cmocka_unit_test(test_gherkin_pickles_and_lookups),
        cmocka_unit_test(test_gherkin_hostile_input),
        cmocka_unit_test(test_gherkin_ndjson_envelopes),
        cmocka_unit_test(test_gherkin_doc_string_and_markdown),
        cmocka_unit_test(test_gherkin_predictable_ids),
        cmocka_unit_test(test_gherkin_uuid_ids),
        cmocka_unit_test(test_gherkin_large_document),
        cmocka_unit_test(test_gherkin_input_length_boundaries),
        cmocka_unit_test(test_gherkin_too_large_document),
        cmocka_unit_test(test_gherkin_scenario_rule_lookup),
        cmocka_unit_test(test_gherkin_step_accessors),
        cmocka_unit_test(test_gherkin_node_layout),
        cmocka_unit_test(test_gherkin_texts_spans_and_copies),
        cmocka_unit_test(test_gherkin_pickles_random_access),
        cmocka_unit_test(test_gherkin_pickle_scratch_across_documents),
        cmocka_unit_test(test_gherkin_id_parse),
        cmocka_unit_test(test_gherkin_table_row_cells),
        cmocka_unit_test(test_gherkin_table_row_cells_long_row),
        cmocka_unit_test(test_gherkin_table_row_cells_two_documents),
        cmocka_unit_test(test_gherkin_predictable_id_texts),
        cmocka_unit_test(test_gherkin_outline_interpolation),
        cmocka_unit_test(test_gherkin_ndjson_in_pieces),
        cmocka_unit_test(test_gherkin_plain_row_cells_match_tokens),
        cmocka_unit_test(test_gherkin_borrowed_source),
    };

    return cmocka_run_group_tests_name("gherkin", tests, NULL, NULL);
}
