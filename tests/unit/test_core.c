/* Unit tests of src/core: buffers, JSON strings, UTF-8, arenas, errors. */
#include "lb_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "core/time.h"
#include "core/vec.h"

static void test_core_buf_grows_and_detaches(void **state)
{
    struct lb_buf b = LB_BUF_INIT;
    char *s;
    size_t len;
    int i;

    (void)state;
    assert_string_equal(b.ptr, "");
    for (i = 0; i < 1000; i++)
        assert_int_equal(lb_buf_addf(&b, "%d,", i % 10), 0);
    assert_int_equal(b.len, 2000);
    assert_memory_equal(b.ptr, "0,1,2,", 6);
    s = lb_buf_detach(&b, &len);
    assert_int_equal(len, 2000);
    assert_int_equal(strlen(s), 2000);
    assert_string_equal(b.ptr, "");
    lb_free(s);
    s = lb_buf_detach(&b, NULL);
    assert_string_equal(s, "");
    lb_free(s);
}

static void test_core_buf_max_is_enforced(void **state)
{
    struct lb_buf b = LB_BUF_INIT;

    (void)state;
    b.max = 8;
    assert_int_equal(lb_buf_adds(&b, "12345678"), 0);
    assert_int_equal(lb_buf_addch(&b, '9'), LB_ETOOBIG);
    assert_string_equal(b.ptr, "12345678");
    lb_buf_release(&b);
}

static void json(const char *in, size_t len, const char *expected)
{
    struct lb_buf b = LB_BUF_INIT;

    assert_int_equal(lb_buf_add_json_string(&b, in, len), 0);
    assert_string_equal(b.ptr, expected);
    lb_buf_release(&b);
}

static void test_core_json_string_escapes_like_json_stringify(void **state)
{
    (void)state;
    json("plain", 5, "\"plain\"");
    json("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
    json("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"");
    json("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
    json("nul\0x", 5, "\"nul\\u0000x\"");
    json("caf\xc3\xa9 \xe2\x82\xac", 9, "\"caf\xc3\xa9 \xe2\x82\xac\"");
    /* invalid UTF-8 bytes each become U+FFFD */
    json("a\xff\xc3", 3, "\"a\xef\xbf\xbd\xef\xbf\xbd\"");
    /* an encoded surrogate is invalid too */
    json("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
}

static void test_core_utf8_decode_rejects_overlong_and_big(void **state)
{
    unsigned cp = 0;

    (void)state;
    assert_int_equal(
        lb_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(lb_utf8_decode((const unsigned char *)"\xc0\x80", 2, &cp),
                     0);
    assert_int_equal(
        lb_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
    assert_int_equal(lb_utf8_decode((const unsigned char *)"\xe2\x82", 2, &cp),
                     0);
    assert_true(lb_utf8_valid("h\xc3\xa9llo", 6));
    assert_false(lb_utf8_valid("h\xc3llo", 5));
}

static void test_core_arena_aligns_and_zeroes(void **state)
{
    struct lb_arena a;
    char *big;
    int i;

    (void)state;
    lb_arena_init(&a, 256);
    for (i = 0; i < 100; i++) {
        long double *p = lb_arena_alloc(&a, sizeof(*p) * 3);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        assert_true(p[0] == 0 && p[2] == 0);
    }
    big = lb_arena_alloc(&a, 10000);
    assert_non_null(big);
    assert_int_equal(big[9999], 0);
    assert_string_equal(lb_arena_strndup(&a, "hello world", 5), "hello");
    lb_arena_release(&a);
    assert_null(a.head);
}

/* The huge-page blocks an arena took and gave back, through the hook. */
static struct {
    int allocs;
    int frees;
    size_t live; /* bytes mapped and not yet unmapped */
    void *last;
} huge_seen;

static void *seen_huge_alloc(size_t size)
{
    void *p = lb_huge_map(size);

    if (p != NULL) {
        huge_seen.allocs++;
        huge_seen.live += size;
        huge_seen.last = p;
    }
    return p;
}

static void seen_huge_free(void *p, size_t size)
{
    huge_seen.frees++;
    huge_seen.live -= size;
    lb_huge_unmap(p, size);
}

/*
 * Blocks of 4 MiB or more are whole huge pages from lb_huge_alloc
 * (aligned on 2 MiB, zeroed), each given back with the size it was
 * mapped with; smaller ones come from lb_malloc.
 */
static void test_core_arena_big_blocks_are_huge_pages(void **state)
{
    struct lb_arena a;
    unsigned char *p;
    unsigned char *q;
    size_t i;

    (void)state;
    {
        void *m = lb_huge_map(2 * LB_HUGE_PAGE);

        /* the default: aligned on 2 MiB (or NULL without mappings) */
        if (m != NULL) {
            assert_int_equal((uintptr_t)m % LB_HUGE_PAGE, 0);
            assert_int_equal(((unsigned char *)m)[2 * LB_HUGE_PAGE - 1], 0);
            lb_huge_unmap(m, 2 * LB_HUGE_PAGE);
        }
        assert_null(lb_huge_map(LB_HUGE_PAGE + 1)); /* not whole pages */
    }
    memset(&huge_seen, 0, sizeof(huge_seen));
    lb_replace_huge_allocator(seen_huge_alloc, seen_huge_free);
    lb_arena_init(&a, 4096);
    p = lb_arena_alloc(&a, 100); /* a small block: lb_malloc */
    assert_non_null(p);
    assert_int_equal(huge_seen.allocs, 0);
    /* 5 MB: a block of its own, 6 MiB of huge pages, zeroed */
    q = lb_arena_alloc(&a, 5000000);
    assert_non_null(q);
    assert_int_equal(huge_seen.allocs, 1);
    assert_int_equal(huge_seen.live, 3 * LB_HUGE_PAGE);
    assert_true((uintptr_t)q - (uintptr_t)huge_seen.last < 64);
    for (i = 0; i < 5000000; i += 4096)
        assert_int_equal(q[i], 0);
    memset(q, 0xA5, 5000000);
    /* the small block stays current: its next bytes follow p */
    assert_ptr_equal(lb_arena_alloc(&a, 16), p + 112);
    assert_int_equal(a.total >= 3 * LB_HUGE_PAGE, 1);
    lb_arena_release(&a);
    assert_int_equal(huge_seen.frees, 1);
    assert_int_equal(huge_seen.live, 0);
    lb_replace_huge_allocator(NULL, NULL);
}

/* One allocation read counts: a sized file is read in a single buffer. */
static int buf_reallocs;

static void *count_buf_realloc(void *p, size_t n)
{
    buf_reallocs++;
    return realloc(p, n);
}

static void test_core_buf_reads_a_file_in_one_buffer(void **state)
{
    char path[] = "/tmp/lb-test-read-XXXXXX";
    struct lb_buf b = LB_BUF_INIT;
    struct lb_error err;
    size_t i;
    int fd = mkstemp(path);
    FILE *fp;

    (void)state;
    assert_true(fd >= 0);
    fp = fdopen(fd, "w");
    assert_non_null(fp);
    for (i = 0; i < 3000000; i++)
        assert_int_not_equal(fputc('a' + (int)(i % 26), fp), EOF);
    assert_int_equal(fclose(fp), 0);
    lb_error_init(&err);
    assert_int_equal(
        lb_replace_allocator(malloc, count_buf_realloc, calloc, free), 0);
    buf_reallocs = 0;
    assert_int_equal(lb_buf_read_file(&b, path, &err), 0);
    assert_int_equal(buf_reallocs, 1);
    assert_int_equal(lb_replace_allocator(malloc, realloc, calloc, free), 0);
    assert_int_equal(b.len, 3000000);
    for (i = 0; i < b.len; i += 999)
        assert_int_equal(b.ptr[i], 'a' + (int)(i % 26));
    assert_int_equal(b.ptr[b.len], '\0');
    lb_buf_release(&b);
    /* not a regular file: read as it comes */
    assert_int_equal(lb_buf_read_file(&b, "/proc/self/status", &err), 0);
    assert_non_null(strstr(b.ptr, "VmRSS"));
    lb_buf_release(&b);
    (void)unlink(path);
}

/*
 * The default arena starts small and doubles its blocks; memory the heap
 * had before (filled, freed) comes back zeroed, up to the block's end.
 */
static void test_core_arena_grows_and_zeroes_reused_memory(void **state)
{
    struct lb_arena a;
    size_t sizes[8];
    int round;
    int i;

    (void)state;
    for (round = 0; round < 3; round++) {
        lb_arena_init(&a, 0);
        for (i = 0; i < 8; i++) {
            unsigned char *p = lb_arena_alloc(&a, 200);
            size_t j;

            assert_non_null(p);
            for (j = 0; j < 200; j++)
                assert_int_equal(p[j], 0);
            memset(p, 0xA5, 200); /* garbage for the next round's blocks */
            sizes[i] = a.block_size;
        }
        /* the rest of the current block is zero too (arena.h) */
        while (a.cur < a.end)
            assert_int_equal(*a.cur++, 0);
        /* 1 KiB blocks of four 200-byte (rounded) requests, then 2 KiB */
        assert_int_equal(sizes[0], 2048);
        assert_true(a.total < 8 * 1024);
        lb_arena_release(&a);
        assert_null(a.head);
        assert_int_equal(a.block_size, 1024);
    }
}

static void test_core_error_first_wins_and_prefixes(void **state)
{
    struct lb_error err;
    char *text = NULL;
    size_t size = 0;
    FILE *f;

    (void)state;
    lb_error_init(&err);
    assert_false(lb_error_is_set(&err));
    assert_int_equal(
        lb_error_set_at(&err, LB_EPARSE, "a.feature", 3, 5, "bad '%s'", "x"),
        LB_EPARSE);
    assert_int_equal(lb_error_set(&err, LB_EIO, "second"), LB_EIO);
    lb_error_prefix(&err, "parsing");
    assert_true(lb_error_is_set(&err));
    assert_int_equal(err.code, LB_EPARSE);
    assert_string_equal(err.msg, "parsing: bad 'x'");
    f = open_memstream(&text, &size);
    lb_error_print(&err, f);
    (void)fclose(f);
    assert_string_equal(text, "a.feature:3:5: error: parsing: bad 'x'\n");
    free(text);
    assert_int_equal(lb_error_set(NULL, LB_EIO, "ignored"), LB_EIO);
    assert_string_equal(lb_strerror(LB_ETIMEOUT), "timed out");
}

static void test_core_vec_pushes(void **state)
{
    LB_VEC(int) v = {0};
    int *it;
    int sum = 0;
    int i;

    (void)state;
    for (i = 1; i <= 100; i++)
        assert_int_equal(lb_vec_push(&v, i), 0);
    lb_vec_for_each (&v, it)
        sum += *it;
    assert_int_equal(sum, 5050);
    lb_vec_release(&v);
    assert_int_equal(v.len, 0);
}

static void test_core_atomic_write_and_read(void **state)
{
    char path[] = "/tmp/lb-core-XXXXXX";
    struct lb_buf b = LB_BUF_INIT;
    struct lb_error err;
    int fd;

    (void)state;
    lb_error_init(&err);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    (void)close(fd);
    assert_int_equal(lb_write_file_atomic(path, "abc\n", 4, &err), 0);
    assert_int_equal(lb_buf_read_file(&b, path, &err), 0);
    assert_string_equal(b.ptr, "abc\n");
    (void)unlink(path);
    lb_buf_reset(&b);
    assert_int_equal(lb_buf_read_file(&b, path, &err), LB_EIO);
    assert_non_null(strstr(err.msg, path));
    lb_buf_release(&b);
}

static void test_core_time_formats_iso8601(void **state)
{
    char out[32];

    (void)state;
    lb_time_iso8601(1700000000123000000LL, out, sizeof(out));
    assert_string_equal(out, "2023-11-14T22:13:20.123Z");
    assert_true(lb_time_mono_ns() > 0);
}

static void test_core_format_and_copy_report_truncation(void **state)
{
    char small[8];
    (void)state;
    assert_int_equal(lb_format(small, sizeof(small), "%s-%d", "ab", 42), 0);
    assert_string_equal(small, "ab-42");
    /* 7 characters fit with the NUL; the eighth is cut */
    assert_int_equal(lb_format(small, sizeof(small), "%s", "1234567"), 0);
    assert_int_equal(lb_format(small, sizeof(small), "%s", "12345678"), -1);
    assert_string_equal(small, "1234567");
    assert_int_equal(lb_copy(small, sizeof(small), "abc"), 0);
    assert_string_equal(small, "abc");
    assert_int_equal(lb_copy(small, sizeof(small), "abcdefghij"), -1);
    assert_string_equal(small, "abcdefg");
    assert_int_equal(lb_copy(small, 1, "x"), -1);
    assert_string_equal(small, "");
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_buf_grows_and_detaches),
        cmocka_unit_test(test_core_buf_max_is_enforced),
        cmocka_unit_test(test_core_json_string_escapes_like_json_stringify),
        cmocka_unit_test(test_core_utf8_decode_rejects_overlong_and_big),
        cmocka_unit_test(test_core_arena_aligns_and_zeroes),
        cmocka_unit_test(test_core_arena_grows_and_zeroes_reused_memory),
        cmocka_unit_test(test_core_arena_big_blocks_are_huge_pages),
        cmocka_unit_test(test_core_buf_reads_a_file_in_one_buffer),
        cmocka_unit_test(test_core_error_first_wins_and_prefixes),
        cmocka_unit_test(test_core_vec_pushes),
        cmocka_unit_test(test_core_atomic_write_and_read),
        cmocka_unit_test(test_core_time_formats_iso8601),
        cmocka_unit_test(test_core_format_and_copy_report_truncation),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
