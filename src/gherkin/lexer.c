/*
 * Lines and the classic token matcher. The official parsers work on
 * JavaScript strings: whitespace is JavaScript's \s, columns count code
 * points (table cells: UTF-16 units), keywords are compared as prefixes of
 * the left-trimmed line. These functions reproduce that on UTF-8 bytes.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "gherkin/internal.h"

/*
 * True when `s` starts with a JavaScript whitespace character (\s: the
 * ASCII blanks, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000, U+FEFF); `*n` receives its length in bytes.
 */
bool lb__gh_is_js_space(const unsigned char *s, size_t len, size_t *n)
{
    unsigned char c = s[0];

    if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
        *n = 1;
        return true;
    }
    if (c < 0xC2)
        return false;
    if (c == 0xC2 && len >= 2 && s[1] == 0xA0) {
        *n = 2;
        return true;
    }
    if (len < 3)
        return false;
    if ((c == 0xE1 && s[1] == 0x9A && s[2] == 0x80) ||
        (c == 0xE2 && s[1] == 0x80 &&
         (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF) &&
         s[2] >= 0x80) ||
        (c == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) ||
        (c == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||
        (c == 0xEF && s[1] == 0xBB && s[2] == 0xBF))
    {
        *n = 3;
        return true;
    }
    return false;
}

size_t lb__gh_ltrim(const char *s, size_t len)
{
    size_t i = 0;
    size_t n;

    while (i < len && s[i] == ' ')
        i++;
    while (i < len &&
           lb__gh_is_js_space((const unsigned char *)s + i, len - i, &n))
        i += n;
    return i;
}

/* Length of `s` without trailing JavaScript whitespace. */
size_t lb__gh_rtrim_len(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n;

    while (len > 0) {
        unsigned char c = u[len - 1];

        if (c < 0x80) {
            if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
                len--;
                continue;
            }
            break;
        }
        /* step back to the start of the last code point */
        {
            size_t start = len - 1;

            while (start > 0 && (u[start] & 0xC0) == 0x80 && len - start < 4)
                start--;
            if (lb__gh_is_js_space(u + start, len - start, &n) &&
                start + n == len) {
                len = start;
                continue;
            }
        }
        break;
    }
    return len;
}

int lb__gh_count_cp(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i;
    int n = 0;

    for (i = 0; i < len; i++)
        n += (u[i] & 0xC0) != 0x80;
    return n;
}

int lb__gh_count_utf16(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i;
    int n = 0;

    for (i = 0; i < len; i++) {
        n += (u[i] & 0xC0) != 0x80;
        n += u[i] >= 0xF0; /* astral: a surrogate pair */
    }
    return n;
}

void lb__gh_raise(
    struct lb__gh_parser *p, int line, int column, const char *fmt, ...)
{
    va_list ap;

    if (p->exc)
        return;
    p->exc = true;
    p->exc_line = line;
    p->exc_column = column;
    va_start(ap, fmt);
    (void)vsnprintf(p->exc_msg, sizeof(p->exc_msg), fmt, ap);
    va_end(ap);
}

static void add_titles(struct lb__gh_title_kws *t,
                       const struct lb_gherkin_keywords *kws)
{
    size_t i;

    for (i = 0; i < kws->len; i++) {
        if (t->n < LB__GH_TITLE_KWS) {
            t->k[t->n].kw = kws->items[i];
            t->k[t->n].len = strlen(kws->items[i]);
        }
        t->n++;
    }
}

/* The title keywords of the dialect, by type, with their lengths. */
static void set_titles(struct lb__gh_parser *p)
{
    const struct lb_gherkin_dialect *d = p->dialect;
    struct lb__gh_title_kws *t = p->titles - LB__T_FEATURE_LINE;
    int type;

    for (type = LB__T_FEATURE_LINE; type <= LB__T_EXAMPLES_LINE; type++)
        t[type].n = 0;
    add_titles(&t[LB__T_FEATURE_LINE], &d->feature);
    add_titles(&t[LB__T_RULE_LINE], &d->rule);
    add_titles(&t[LB__T_BACKGROUND_LINE], &d->background);
    add_titles(&t[LB__T_SCENARIO_LINE], &d->scenario);
    add_titles(&t[LB__T_SCENARIO_LINE], &d->scenario_outline);
    add_titles(&t[LB__T_EXAMPLES_LINE], &d->examples);
}

/* The step keywords by first byte (see struct lb__gh_parser). */
static void set_step_chains(struct lb__gh_parser *p)
{
    const struct lb__gh_dialect *gd = p->gd;
    uint8_t *tail[256];
    size_t i;

    memset(p->step_head, 0, sizeof(p->step_head));
    p->step_chains = gd->n_steps <= sizeof(p->step_next);
    for (i = 0; i < 256; i++)
        tail[i] = &p->step_head[i];
    for (i = 0; p->step_chains && i < gd->n_steps; i++) {
        unsigned char b = (unsigned char)gd->steps[i].kw[0];

        if (gd->steps[i].len == 0) {
            p->step_chains = false; /* it matches any line */
            break;
        }
        /* appended: each chain keeps the longest-first order */
        p->step_next[i] = 0;
        *tail[b] = (uint8_t)(i + 1);
        tail[b] = &p->step_next[i];
    }
}

bool lb__gh_change_dialect(
    struct lb__gh_parser *p, const char *code, size_t len, int line, int column)
{
    char name[80];
    const struct lb_gherkin_dialect *d = NULL;

    if (len < sizeof(name)) {
        memcpy(name, code, len);
        name[len] = '\0';
        d = lb_gherkin_dialects_find(p->dialects, name);
    }
    if (d == NULL) {
        lb__gh_raise(p,
                     line,
                     column,
                     "Language not supported: %.*s",
                     (int)(len > 200 ? 200 : len),
                     code);
        return false;
    }
    p->dialect = d;
    p->gd = lb__gh_dialect_of(d);
    set_titles(p);
    set_step_chains(p);
    return true;
}

void lb__gh_set_matched(struct lb__gh_parser *p,
                        struct lb__gh_token *t,
                        int type,
                        const char *text,
                        size_t text_len,
                        const char *kw,
                        size_t kw_len,
                        int indent,
                        int kw_type)
{
    t->type = type;
    t->mtext = text;
    t->mtext_len = text_len;
    t->kw = kw;
    t->kw_len = kw_len;
    t->kw_type = kw_type;
    if (indent < 0)
        indent = t->eof ? 0 : t->indent;
    t->column = indent + 1;
    t->dialect = p->dialect;
    t->items.len = 0;
}

void lb__gh_rest_trimmed(const struct lb__gh_token *t,
                         size_t n,
                         const char **s,
                         size_t *len)
{
    const char *tt = t->text + t->trim_off;
    size_t tl = t->len - t->trim_off;
    size_t lead = 0;
    unsigned char last;

    if (n > tl)
        n = tl;
    tt += n;
    tl -= n;
    /* the common cases inline: one blank before, no whitespace after */
    if (tl > 0 && tt[0] == ' ')
        lead = 1;
    if (lead < tl &&
        ((unsigned char)tt[lead] <= ' ' || (unsigned char)tt[lead] >= 0x80))
        lead += lb__gh_ltrim(tt + lead, tl - lead);
    *s = tt + lead;
    last = tl > lead ? (unsigned char)tt[tl - 1] : 0;
    if (last > ' ' && last < 0x80)
        *len = tl - lead;
    else
        *len = lb__gh_rtrim_len(tt + lead, tl - lead);
}

void lb__gh_line_text(const struct lb__gh_token *t,
                      int indent_to_remove,
                      const char **s,
                      size_t *len)
{
    size_t off = 0;
    int i;

    if (indent_to_remove < 0 || indent_to_remove > t->indent) {
        *s = t->text + t->trim_off;
        *len = t->len - t->trim_off;
        return;
    }
    /* skip that many whitespace code points */
    for (i = 0; i < indent_to_remove; i++) {
        size_t n = 1;

        lb__gh_is_js_space(
            (const unsigned char *)t->text + off, t->len - off, &n);
        off += n;
    }
    *s = t->text + off;
    *len = t->len - off;
}

static bool starts_with(const struct lb__gh_token *t, const char *s, size_t n)
{
    return t->len - t->trim_off >= n &&
           memcmp(t->text + t->trim_off, s, n) == 0;
}

/* The bytes of `word` equal to `b` have their high bit set, no other. */
static inline uint64_t has_byte(uint64_t word, unsigned char b)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    uint64_t x = word ^ (0x0101010101010101ULL * b);

    return ~(((x & low7) + low7) | x | low7);
}

/* The index in memory order of the first byte has_byte marked. */
static inline size_t first_byte(uint64_t marks)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (size_t)__builtin_clzll(marks) / 8;
#else
    return (size_t)__builtin_ctzll(marks) / 8;
#endif
}

/* The trim set of table cells: [ \t\v\f\r\u0085\u00A0]. */
static size_t cell_space(const unsigned char *s, size_t len)
{
    if (s[0] == ' ' || s[0] == '\t' || s[0] == '\v' || s[0] == '\f' ||
        s[0] == '\r')
        return 1;
    if (s[0] == 0xC2 && len >= 2 && (s[1] == 0x85 || s[1] == 0xA0))
        return 2;
    return 0;
}

/*
 * Ends the cell written at [cell, w): trims it, records it as an item at
 * its column and NUL-terminates it in place. Returns the new write point.
 */
static char *
close_cell(struct lb__gh_token *t, char *cell, char *w, int start_col)
{
    const char *cs = cell;
    size_t cl = (size_t)(w - cell);
    size_t lead = 0;
    size_t m;
    int cell_indent = 0;
    struct lb__gh_item it;

    /* blanks first, inline: the padding of aligned tables */
    while (lead < cl && cs[lead] == ' ')
        lead++;
    cell_indent = (int)lead;
    while (lead < cl &&
           (m = cell_space((const unsigned char *)cs + lead, cl - lead)) != 0)
    {
        lead += m;
        cell_indent++;
    }
    while (cl > lead && cs[cl - 1] == ' ')
        cl--;
    while (cl > lead) {
        size_t b = cl - 1;

        if (cs[b] == ' ' || cs[b] == '\t' || cs[b] == '\v' || cs[b] == '\f' ||
            cs[b] == '\r')
        {
            cl--;
            continue;
        }
        if (cl - lead >= 2 && (unsigned char)cs[cl - 2] == 0xC2 &&
            ((unsigned char)cs[cl - 1] == 0x85 ||
             (unsigned char)cs[cl - 1] == 0xA0))
        {
            cl -= 2;
            continue;
        }
        break;
    }
    it.column = t->indent + start_col + cell_indent;
    it.text = cs + lead;
    it.len = cl - lead;
    if (t->items.len < t->items.cap)
        t->items.items[t->items.len++] = it;
    else
        (void)lb_vec_push(&t->items, it);
    w = cell + cl;
    *w++ = '\0';
    return w;
}

/*
 * Copies the run of plain text at s[i] up to the next '|' or '\\' (or
 * `len`) to `*w`, eight bytes at a time (the scratch has room for a whole
 * last word); returns where it stops and sets `*units` to its length in
 * UTF-16 units, which are its bytes when it is ASCII (mostly).
 */
static size_t
copy_run(const unsigned char *s, size_t len, size_t i, char **w, int *units)
{
    size_t j = i;
    uint64_t any = 0;

    while (j + 8 <= len) {
        uint64_t word;
        uint64_t stop;

        memcpy(&word, s + j, 8);
        memcpy(*w, &word, 8);
        stop = has_byte(word, '|') | has_byte(word, '\\');
        /* bytes past the stop may count as not ASCII: then
         * lb__gh_count_utf16 counts, rightly, what is not */
        any |= word;
        if (stop != 0) {
            size_t k = first_byte(stop);

            j += k;
            *w += k;
            goto end;
        }
        j += 8;
        *w += 8;
    }
    while (j < len && s[j] != '|' && s[j] != '\\') {
        any |= s[j];
        *(*w)++ = (char)s[j++];
    }
end:
    *units = (any & 0x8080808080808080ULL) == 0
                 ? (int)(j - i)
                 : lb__gh_count_utf16((const char *)s + i, j - i);
    return j;
}

void lb__gh_table_cells(struct lb__gh_token *t)
{
    const unsigned char *s = (const unsigned char *)t->text + t->trim_off;
    size_t len = t->len - t->trim_off;
    size_t i = 0;
    char *out;
    char *w;
    char *cell;
    int col = 0;
    int start_col = 1;
    bool first = true;

    /*
     * The cells are unescaped into the scratch, NUL-separated, written in
     * place: a cell's text and its NUL take no more bytes than its input
     * and its closing pipe (an escape pair gives at most two bytes).
     */
    lb_buf_reset(&t->scratch);
    if (lb_buf_grow(&t->scratch, len + 8) != 0)
        LB_BUG("out of memory");
    out = t->scratch.ptr;
    w = out;
    cell = w;
    t->items.len = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;

        if (c == '|') {
            i++;
            col++;
            if (first) {
                first = false;
            } else {
                w = close_cell(t, cell, w, start_col);
            }
            cell = w;
            start_col = col + 1;
            continue;
        }
        if (c == '\\') {
            i++;
            if (i >= len)
                break; /* no closing pipe can follow: the cell is dropped */
            c = s[i];
            n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (n > len - i)
                n = len - i;
            col += 1 + (c >= 0xF0 ? 2 : 1);
            if (c == 'n') {
                *w++ = '\n';
            } else {
                if (c != '|' && c != '\\')
                    *w++ = '\\';
                memcpy(w, s + i, n);
                w += n;
            }
            i += n;
            continue;
        }
        {
            int units;

            i = copy_run(s, len, i, &w, &units);
            col += units;
        }
    }
    LB_ASSERT((size_t)(w - out) <= len + 1);
}

/*
 * 0x80 in each byte of `w` equal to the byte of `c8` (which has it in all
 * eight), 0 elsewhere: exact (no carry crosses a byte).
 */
static inline uint64_t bytes_eq(uint64_t w, uint64_t c8)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    uint64_t x = w ^ c8;

    return ~(((x & low7) + low7) | x | low7);
}

size_t lb__gh_table_count(const struct lb__gh_token *t)
{
    const unsigned char *s = (const unsigned char *)t->text + t->trim_off;
    size_t len = t->len - t->trim_off;
    size_t i = 0;
    size_t pipes = 0;
    uint64_t esc = 0;

    /*
     * Pipes counted and escapes looked for eight bytes at a time: with no
     * escape (mostly), every pipe after the first closes a cell.
     */
    for (; i + 8 <= len; i += 8) {
        uint64_t w;

        memcpy(&w, s + i, 8);
        /* each byte 0 or 1: their sum in the top byte */
        pipes += (size_t)(((bytes_eq(w, 0x7C7C7C7C7C7C7C7CULL) >> 7) *
                           0x0101010101010101ULL) >>
                          56);
        esc |= bytes_eq(w, 0x5C5C5C5C5C5C5C5CULL);
    }
    for (; i < len; i++) {
        pipes += s[i] == '|';
        esc |= s[i] == '\\';
    }
    if (esc == 0)
        return pipes > 0 ? pipes - 1 : 0;
    i = 0;
    pipes = 0;
    /* lb__gh_table_cells's walk, writing nothing: a pipe after the first
     * closes a cell, an escape takes the code point after it */
    while (i < len) {
        unsigned char c = s[i++];

        if (c == '|') {
            pipes++;
        } else if (c == '\\' && i < len) {
            size_t n;

            c = s[i];
            n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            i += n > len - i ? len - i : n;
        }
    }
    return pipes > 0 ? pipes - 1 : 0;
}

/* What a struct lb_gherkin_cells holds: the splitter's token, the last row. */
struct cells_internal {
    struct lb__gh_token t;
    uint64_t serial; /* of the document of the row split last; 0: none */
    uint32_t source_off;
};

/*
 * A row's cells, split again from its line in the source with the lexer's
 * own splitter: the line is cut as the scanner cut it (up to "\n", a "\r"
 * before it dropped; the BOM is leading whitespace), so values and columns
 * are those of the parse.
 */
/* The ASCII trim set of table cells (cell_space without U+0085, U+00A0). */
static inline bool ascii_cell_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/*
 * The cells of a row whose line (`len` bytes at `s`, its first pipe at
 * `s[first]`) is ASCII without a '\\' — most rows — into `scratch`, as
 * lb__gh_table_cells cuts them: between pipes, trimmed of [ \t\v\f\r],
 * the text after the last pipe dropped; a column is the 1-based byte of
 * the first byte kept (of the closing pipe for a blank cell). Without the
 * general splitter's escapes and UTF-16 columns a row costs a fifth (an
 * outline's row is split for each of its pickles). False, with nothing
 * done, for any other row.
 */
static bool plain_row_cells(struct cells_internal *in,
                            struct lb_gherkin_cells *scratch,
                            const struct lb_gherkin_table_row *row,
                            const char *s,
                            size_t len,
                            size_t first)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = first;
    size_t k = 0;
    char *w;

    /* eight bytes at a time: a row is mostly a few words */
    for (; i + 8 <= len; i += 8) {
        uint64_t word;

        memcpy(&word, s + i, 8);
        if ((word & 0x8080808080808080ULL) != 0 || has_byte(word, '\\') != 0)
            return false;
    }
    for (; i < len; i++)
        if (u[i] >= 0x80 || u[i] == '\\')
            return false;
    lb_buf_reset(&in->t.scratch);
    if (lb_buf_grow(&in->t.scratch, len + 1) != 0)
        LB_BUG("out of memory");
    w = in->t.scratch.ptr;
    /* cells are a few bytes: scanned and copied inline (a memchr and a
     * memcpy call per cell cost more), the end of the last byte kept
     * noted as it goes */
    for (i = first + 1; k < row->n_cells && i < len; i++) {
        struct lb_gherkin_table_cell *c = &scratch->cells[k++];
        char *value = w;
        char *kept = w;

        while (i < len && ascii_cell_space(u[i]))
            i++;
        c->location.column = (int)i + 1;
        while (i < len && u[i] != '|') {
            *w++ = (char)u[i];
            if (!ascii_cell_space(u[i]))
                kept = w;
            i++;
        }
        w = kept;
        *w++ = '\0';
        c->value = value;
        c->len = (uint32_t)(kept - value);
        c->location.line = row->location.line;
    }
    LB_ASSERT(k == row->n_cells);
    return true;
}

const struct lb_gherkin_table_cell *
lb_gherkin_table_row_cells(const struct lb_gherkin_document *doc,
                           const struct lb_gherkin_table_row *row,
                           struct lb_gherkin_cells *scratch)
{
    struct cells_internal *in = scratch->internal;
    struct lb__gh_token *t;
    const char *s;
    const char *nl;
    size_t rest;
    size_t len;
    size_t i;

    if (row->n_cells == 0)
        return NULL;
    if (in == NULL) {
        in = lb_xcalloc(1, sizeof(*in));
        lb_buf_init(&in->t.scratch, 0);
        scratch->internal = in;
    }
    /*
     * The same row again (an Examples header, read for each of its rows'
     * pickles): its cells are still there. Serials are never reused, so a
     * freed document's row cannot be taken for another's.
     */
    if (in->serial == doc->internal->serial &&
        in->source_off == row->source_off)
        return scratch->cells;
    in->serial = 0;
    t = &in->t;
    LB_ASSERT(row->source_off < doc->source_len);
    s = doc->source + row->source_off;
    rest = doc->source_len - row->source_off;
    nl = memchr(s, '\n', rest);
    len = nl ? (size_t)(nl - s) : rest;
    if (nl && len > 0 && s[len - 1] == '\r')
        len--;
    t->text = s;
    t->len = len;
    /* the indent: blanks mostly, counted inline */
    i = 0;
    while (i < len && s[i] == ' ')
        i++;
    if (i < len && ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x80))
    {
        t->trim_off = i + lb__gh_ltrim(s + i, len - i);
        t->indent = lb__gh_count_cp(s, t->trim_off);
    } else {
        t->trim_off = i;
        t->indent = (int)i;
    }
    if (scratch->cap < row->n_cells) {
        size_t cap = scratch->cap ? scratch->cap : 16;

        while (cap < row->n_cells)
            cap *= 2;
        lb_free(scratch->cells);
        scratch->cells = lb_xmalloc(cap * sizeof(*scratch->cells));
        scratch->cap = cap;
    }
    if (t->indent == (int)t->trim_off &&
        plain_row_cells(in, scratch, row, s, len, t->trim_off))
        goto done;
    lb__gh_table_cells(t);
    LB_ASSERT(t->items.len == row->n_cells);
    for (i = 0; i < row->n_cells; i++) {
        struct lb_gherkin_table_cell *c = &scratch->cells[i];

        c->value = t->items.items[i].text;
        c->len = (uint32_t)t->items.items[i].len;
        c->location.line = row->location.line;
        c->location.column = t->items.items[i].column;
    }
done:
    in->serial = doc->internal->serial;
    in->source_off = row->source_off;
    return scratch->cells;
}

void lb_gherkin_cells_release(struct lb_gherkin_cells *scratch)
{
    struct cells_internal *in = scratch->internal;

    if (in != NULL) {
        lb_vec_release(&in->t.items);
        lb_buf_release(&in->t.scratch);
        lb_free(in);
    }
    lb_free(scratch->cells);
    memset(scratch, 0, sizeof(*scratch));
}

/* ---- the classic matcher (GherkinClassicTokenMatcher) ---- */

static __attribute__((noinline)) bool match_tag_line(struct lb__gh_parser *p,
                                                     struct lb__gh_token *t)
{
    const char *tt = t->text + t->trim_off;
    size_t tl = t->len - t->trim_off;
    size_t end = tl;
    size_t i;
    size_t piece;
    int column = t->indent + 1;
    bool first = true;

    if (tl == 0 || tt[0] != '@')
        return false;
    /* the line up to a whitespace followed by '#' */
    for (i = 0; i + 1 < tl; i++) {
        size_t n;

        if (tt[i + 1] == '#' || (unsigned char)tt[i] >= 0x80) {
            if (lb__gh_is_js_space((const unsigned char *)tt + i, tl - i, &n) &&
                i + n < tl && tt[i + n] == '#')
            {
                end = i;
                break;
            }
        }
    }
    t->items.len = 0;
    piece = 0;
    while (piece <= end) {
        const char *at = memchr(tt + piece, '@', end - piece);
        size_t pend = at ? (size_t)(at - tt) : end;
        size_t plen = pend - piece;
        size_t ilen = lb__gh_rtrim_len(tt + piece, plen);

        if (first) {
            first = false; /* the text before the first '@': empty */
        } else if (ilen > 0) {
            size_t k;
            struct lb__gh_item it;

            for (k = 0; k < ilen;) {
                size_t n = 1;

                if (lb__gh_is_js_space(
                        (const unsigned char *)tt + piece + k, ilen - k, &n)) {
                    lb__gh_raise(
                        p, t->line, column, "A tag may not contain whitespace");
                    return false;
                }
                k += n;
            }
            it.column = column;
            it.text = tt + piece - 1; /* with its '@' */
            it.len = ilen + 1;
            (void)lb_vec_push(&t->items, it);
            column += lb__gh_count_cp(tt + piece, plen) + 1;
        }
        if (at == NULL)
            break;
        piece = pend + 1;
    }
    {
        /* set_matched clears the items: keep them */
        size_t n = t->items.len;

        lb__gh_set_matched(p, t, LB__T_TAG_LINE, NULL, 0, NULL, 0, -1, -1);
        t->items.len = n;
    }
    return true;
}

/* `t` is a title line of `type`: keyword `kw` (`n` bytes), then a colon. */
static bool title_matched(struct lb__gh_parser *p,
                          struct lb__gh_token *t,
                          int type,
                          const char *kw,
                          size_t n)
{
    const char *s;
    size_t len;

    lb__gh_rest_trimmed(t, n + 1, &s, &len);
    lb__gh_set_matched(p, t, type, s, len, kw, n, -1, -1);
    return true;
}

/*
 * A title line of `type`: a keyword of the line's type, a prefix of the
 * line, then a colon. With the keywords' lengths, a keyword is only
 * compared when the colon is where it would end.
 */
static bool match_title_known(struct lb__gh_parser *p,
                              struct lb__gh_token *t,
                              int type,
                              const char *tt,
                              size_t tl)
{
    const struct lb__gh_title_kws *ks = &p->titles[type - LB__T_FEATURE_LINE];
    size_t i;

    for (i = 0; i < ks->n; i++) {
        const char *kw = ks->k[i].kw;
        size_t n = ks->k[i].len;
        size_t j = 0;

        if (n >= tl || tt[n] != ':')
            continue;
        /* both hold n bytes at least: eight at a time, then the rest */
        while (j + 8 <= n) {
            uint64_t a;
            uint64_t b;

            memcpy(&a, kw + j, 8);
            memcpy(&b, tt + j, 8);
            if (a != b)
                break;
            j += 8;
        }
        while (j < n && kw[j] == tt[j])
            j++;
        if (j == n)
            return title_matched(p, t, type, kw, n);
    }
    return false;
}

static bool match_title(struct lb__gh_parser *p,
                        struct lb__gh_token *t,
                        int type,
                        const struct lb_gherkin_keywords *kws)
{
    size_t i;
    const char *tt = t->text + t->trim_off;
    size_t tl = t->len - t->trim_off;

    if (tl == 0 || !(p->gd->first_types[(unsigned char)tt[0]] >> type & 1u))
        return false;
    if (p->titles[type - LB__T_FEATURE_LINE].n <= LB__GH_TITLE_KWS)
        return match_title_known(p, t, type, tt, tl);
    for (i = 0; i < kws->len; i++) {
        const char *kw = kws->items[i];
        size_t n = 0;

        if (kw[0] != tt[0])
            continue;
        /* a prefix of the line, then a colon (the keyword's NUL ends it) */
        while (n < tl && kw[n] == tt[n])
            n++;
        if (kw[n] == '\0' && n < tl && tt[n] == ':')
            return title_matched(p, t, type, kw, n);
    }
    return false;
}

static __attribute__((noinline)) bool match_language(struct lb__gh_parser *p,
                                                     struct lb__gh_token *t)
{
    const char *s = t->text + t->trim_off;
    size_t len = t->len - t->trim_off;
    size_t i = 0;
    size_t n;
    size_t name;
    size_t name_len;

    /* ^\s*#\s*language\s*:\s*([a-zA-Z\-_]+)\s*$ on the trimmed line */
    if (len == 0 || s[0] != '#')
        return false;
    i = 1;
    i += lb__gh_ltrim(s + i, len - i);
    if (len - i < 8 || memcmp(s + i, "language", 8) != 0)
        return false;
    i += 8;
    i += lb__gh_ltrim(s + i, len - i);
    if (i >= len || s[i] != ':')
        return false;
    i++;
    i += lb__gh_ltrim(s + i, len - i);
    name = i;
    while (i < len &&
           ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
            s[i] == '-' || s[i] == '_'))
        i++;
    name_len = i - name;
    if (name_len == 0)
        return false;
    while (i < len &&
           lb__gh_is_js_space((const unsigned char *)s + i, len - i, &n))
        i += n;
    if (i != len)
        return false;
    lb__gh_set_matched(
        p, t, LB__T_LANGUAGE, s + name, name_len, NULL, 0, -1, -1);
    return lb__gh_change_dialect(p, s + name, name_len, t->line, t->indent + 1);
}

static __attribute__((noinline)) bool
match_doc_string_sep(struct lb__gh_parser *p, struct lb__gh_token *t)
{
    static const char *const seps[2] = {"\"\"\"", "```"};
    size_t i;

    if (p->doc_sep == NULL) {
        for (i = 0; i < 2; i++) {
            if (starts_with(t, seps[i], 3)) {
                const char *s;
                size_t len;

                lb__gh_rest_trimmed(t, 3, &s, &len);
                p->doc_sep = seps[i];
                p->doc_sep_len = 3;
                p->indent_to_remove = t->indent;
                lb__gh_set_matched(p,
                                   t,
                                   LB__T_DOC_STRING_SEPARATOR,
                                   s,
                                   len,
                                   seps[i],
                                   3,
                                   -1,
                                   -1);
                return true;
            }
        }
        return false;
    }
    if (starts_with(t, p->doc_sep, p->doc_sep_len)) {
        const char *sep = p->doc_sep;

        p->doc_sep = NULL;
        p->indent_to_remove = 0;
        lb__gh_set_matched(
            p, t, LB__T_DOC_STRING_SEPARATOR, NULL, 0, sep, 3, -1, -1);
        return true;
    }
    return false;
}

static __attribute__((noinline)) bool match_step(struct lb__gh_parser *p,
                                                 struct lb__gh_token *t)
{
    const char *tt = t->text + t->trim_off;
    size_t tl = t->len - t->trim_off;
    size_t i;

    if (tl == 0 ||
        !(p->gd->first_types[(unsigned char)tt[0]] >> LB__T_STEP_LINE & 1u))
        return false;
    if (p->step_chains) {
        /* only the keywords that start with the line's first byte */
        unsigned k1 = p->step_head[(unsigned char)tt[0]];

        for (; k1 != 0; k1 = p->step_next[k1 - 1]) {
            const struct lb__gh_step_kw *k = &p->gd->steps[k1 - 1];
            size_t n = 1;

            if (tl < k->len)
                continue;
            while (n < k->len && k->kw[n] == tt[n])
                n++;
            if (n == k->len) {
                const char *s;
                size_t len;

                lb__gh_rest_trimmed(t, k->len, &s, &len);
                lb__gh_set_matched(p,
                                   t,
                                   LB__T_STEP_LINE,
                                   s,
                                   len,
                                   k->kw,
                                   k->len,
                                   -1,
                                   (int)k->type);
                return true;
            }
        }
        return false;
    }
    for (i = 0; i < p->gd->n_steps; i++) {
        const struct lb__gh_step_kw *k = &p->gd->steps[i];
        size_t n = 0;

        if (tl < k->len || (k->len > 0 && k->kw[0] != tt[0]))
            continue;
        /* keywords are short: an inline compare beats a memcmp call */
        while (n < k->len && k->kw[n] == tt[n])
            n++;
        if (n == k->len) {
            const char *s;
            size_t len;

            lb__gh_rest_trimmed(t, k->len, &s, &len);
            lb__gh_set_matched(
                p, t, LB__T_STEP_LINE, s, len, k->kw, k->len, -1, (int)k->type);
            return true;
        }
    }
    return false;
}

static __attribute__((noinline)) bool match_other(struct lb__gh_parser *p,
                                                  struct lb__gh_token *t)
{
    const char *s;
    size_t len;
    const char *esc = NULL;

    lb__gh_line_text(t, p->indent_to_remove, &s, &len);
    if (p->doc_sep != NULL && p->doc_sep[0] == '"')
        esc = "\\\"\\\"\\\"";
    else if (p->doc_sep != NULL && p->doc_sep[0] == '`')
        esc = "\\`\\`\\`";
    if (esc != NULL && len >= 6) {
        /* only the first escaped delimiter, as JS String.replace */
        size_t i;

        for (i = 0; i + 6 <= len; i++) {
            if (s[i] == '\\' && memcmp(s + i, esc, 6) == 0) {
                lb_buf_reset(&t->scratch);
                lb_buf_add(&t->scratch, s, i);
                lb_buf_add(&t->scratch, p->doc_sep, 3);
                lb_buf_add(&t->scratch, s + i + 6, len - i - 6);
                s = t->scratch.ptr;
                len = t->scratch.len;
                break;
            }
        }
    }
    lb__gh_set_matched(p, t, LB__T_OTHER, s, len, NULL, 0, 0, -1);
    return true;
}

static __attribute__((noinline)) bool match_table_row(struct lb__gh_parser *p,
                                                      struct lb__gh_token *t)
{
    if (!starts_with(t, "|", 1))
        return false;
    lb__gh_set_matched(p, t, LB__T_TABLE_ROW, NULL, 0, NULL, 0, -1, -1);
    /* the AST keeps only the count: the cells are split when read */
    if (p->count_cells_only) {
        t->n_cells = lb__gh_table_count(t);
    } else {
        lb__gh_table_cells(t);
        t->n_cells = t->items.len;
    }
    return true;
}

/*
 * A dispatcher only: the matchers are not inlined into it (noinline), so
 * it saves no registers and each case is a tail call.
 */
bool lb__gh_classic_match(struct lb__gh_parser *p,
                          struct lb__gh_token *t,
                          int type)
{
    if (t->eof) {
        if (type != LB__T_EOF)
            return false;
        lb__gh_set_matched(p, t, LB__T_EOF, NULL, 0, NULL, 0, -1, -1);
        return true;
    }
    switch (type) {
    case LB__T_EOF:
        return false;
    case LB__T_EMPTY:
        if (t->trim_off != t->len)
            return false;
        lb__gh_set_matched(p, t, LB__T_EMPTY, NULL, 0, NULL, 0, 0, -1);
        return true;
    case LB__T_COMMENT:
        if (!starts_with(t, "#", 1))
            return false;
        lb__gh_set_matched(
            p, t, LB__T_COMMENT, t->text, t->len, NULL, 0, 0, -1);
        return true;
    case LB__T_TAG_LINE:
        return match_tag_line(p, t);
    case LB__T_FEATURE_LINE:
        return match_title(p, t, type, &p->dialect->feature);
    case LB__T_RULE_LINE:
        return match_title(p, t, type, &p->dialect->rule);
    case LB__T_BACKGROUND_LINE:
        return match_title(p, t, type, &p->dialect->background);
    case LB__T_SCENARIO_LINE:
        /* both lists at once when their lengths are known */
        if (p->titles[type - LB__T_FEATURE_LINE].n <= LB__GH_TITLE_KWS)
            return match_title(p, t, type, NULL);
        return match_title(p, t, type, &p->dialect->scenario) ||
               match_title(p, t, type, &p->dialect->scenario_outline);
    case LB__T_EXAMPLES_LINE:
        return match_title(p, t, type, &p->dialect->examples);
    case LB__T_STEP_LINE:
        return match_step(p, t);
    case LB__T_DOC_STRING_SEPARATOR:
        return match_doc_string_sep(p, t);
    case LB__T_TABLE_ROW:
        return match_table_row(p, t);
    case LB__T_LANGUAGE:
        return match_language(p, t);
    case LB__T_OTHER:
        return match_other(p, t);
    default:
        return false;
    }
}

const struct lb__gh_matcher_ops lb__gh_classic_ops = {lb__gh_classic_match};
