/* Unit tests of the report text helpers: XML escaping, durations, ids. */
#include "lb_test.h"

#include <string.h>

#include "core/buf.h"
#include "reports/internal.h"

static void esc(const char *in, size_t len, int attr, const char *want)
{
    struct lb_buf b = LB_BUF_INIT;

    (void)len;
    lb__xml_escape(&b, in, strlen(in), attr);
    assert_string_equal(b.ptr, want);
    lb_buf_release(&b);
}

static void test_report_xml_escapes_markup(void **state)
{
    (void)state;
    esc("a<b>&\"c\"", 9, 0, "a&lt;b&gt;&amp;\"c\"");
    esc("a<b>&\"c\"", 9, 1, "a&lt;b&gt;&amp;&quot;c&quot;");
    esc("l1\nl2\tx\r", 9, 1, "l1&#10;l2&#9;x&#13;");
    esc("l1\nl2", 5, 0, "l1\nl2");
}

static void test_report_xml_drops_ansi_and_shows_controls(void **state)
{
    (void)state;
    esc("\x1b[1;31mred\x1b[0m ok", 18, 0, "red ok");
    esc("\x1b]0;title\x07x", 12, 0, "x");
    esc("a\x01"
        "b\x0b"
        "c",
        5,
        1,
        "a\\x01b\\x0Bc");
    /* U+FFFE is valid UTF-8 but not an XML character. */
    esc("\xEF\xBF\xBE", 3, 0, "\\uFFFE");
}

static void test_report_xml_replaces_invalid_utf8(void **state)
{
    (void)state;
    esc("a\xff"
        "b",
        3,
        0,
        "a\xEF\xBF\xBD"
        "b");
    esc("\xC3", 1, 0, "\xEF\xBF\xBD");                 /* truncated */
    esc("\xC0\xAF", 2, 0, "\xEF\xBF\xBD\xEF\xBF\xBD"); /* overlong */
    esc("\xC3\xA9t\xC3\xA9", 5, 0, "\xC3\xA9t\xC3\xA9");
}

static void test_report_xml_cdata_splits_end_marker(void **state)
{
    struct lb_buf b = LB_BUF_INIT;

    (void)state;
    lb__xml_cdata(&b, "x]]>y]]", 7);
    assert_string_equal(b.ptr, "<![CDATA[x]]]]><![CDATA[>y]]]]>");
    lb_buf_release(&b);
}

static void test_report_seconds_in_c_locale(void **state)
{
    static const struct {
        long long ns;
        const char *want;
    } cases[] = {{0, "0"},
                 {-5, "0"},
                 {499999, "0"},
                 {500000, "0.001"},
                 {7000000, "0.007"},
                 {1500000000, "1.5"},
                 {12345000000LL, "12.345"},
                 {3600000000000LL, "3600"}};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct lb_buf b = LB_BUF_INIT;
        lb__seconds(&b, cases[i].ns);
        assert_string_equal(b.ptr, cases[i].want);
        lb_buf_release(&b);
    }
}

static void test_report_minutes_seconds(void **state)
{
    struct lb_buf b = LB_BUF_INIT;

    (void)state;
    lb__minutes_seconds(&b, 61234000000LL);
    assert_string_equal(b.ptr, "1m01.234s");
    lb_buf_release(&b);
}

static void test_report_json_ids(void **state)
{
    struct lb_buf b = LB_BUF_INIT;

    (void)state;
    lb__json_id(&b, "Test cases won't retry_now, OK!");
    assert_string_equal(b.ptr, "test-cases-won-t-retry-now--ok-");
    lb_buf_release(&b);
}

static void test_report_base64(void **state)
{
    struct lb_buf b = LB_BUF_INIT;

    (void)state;
    lb__base64(&b, "hello", 5);
    assert_string_equal(b.ptr, "aGVsbG8=");
    lb_buf_reset(&b);
    lb__base64(&b, "", 0);
    assert_string_equal(b.ptr, "");
    lb_buf_release(&b);
}

static void test_report_step_line_pads_by_characters(void **state)
{
    struct lb_buf b = LB_BUF_INIT;
    const char *dots;

    (void)state;
    lb__step_line(&b, "Given ", "a step", "passed");
    assert_int_equal(b.len, 76 + 6 + 1);
    assert_string_equal(b.ptr + 76, "passed\n");
    lb_buf_reset(&b);
    /* "é" is two bytes but one column. */
    lb__step_line(&b, "Given ", "\xC3\xA9", "failed");
    dots = strchr(b.ptr, '.');
    assert_non_null(dots);
    assert_int_equal(strspn(dots, "."), 76 - 7);
    lb_buf_release(&b);
}

static void test_report_status_parse(void **state)
{
    (void)state;
    assert_int_equal(lb__status_parse("FAILED"), LB__ST_FAILED);
    assert_int_equal(lb__status_parse("passed"), LB__ST_PASSED);
    assert_int_equal(lb__status_parse("AMBIGUOUS"), LB__ST_AMBIGUOUS);
    assert_int_equal(lb__status_parse("FAILEDX"), LB__ST_UNKNOWN);
    assert_int_equal(lb__status_parse(""), LB__ST_UNKNOWN);
    assert_true(LB__ST_FAILED > LB__ST_UNDEFINED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_xml_escapes_markup),
        cmocka_unit_test(test_report_xml_drops_ansi_and_shows_controls),
        cmocka_unit_test(test_report_xml_replaces_invalid_utf8),
        cmocka_unit_test(test_report_xml_cdata_splits_end_marker),
        cmocka_unit_test(test_report_seconds_in_c_locale),
        cmocka_unit_test(test_report_minutes_seconds),
        cmocka_unit_test(test_report_json_ids),
        cmocka_unit_test(test_report_base64),
        cmocka_unit_test(test_report_step_line_pads_by_characters),
        cmocka_unit_test(test_report_status_parse),
    };

    return cmocka_run_group_tests_name("report_util", tests, NULL, NULL);
}
