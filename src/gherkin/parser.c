/*
 * The parser: decodes the source, cuts it into lines, runs the grammar's
 * state table (grammar.c) over the tokens the matcher makes of them, and
 * builds the AST the way the official AstBuilder does (a stack of rule
 * nodes, each transformed when its rule ends), so that the tree, the ids
 * and their order, and the errors are the official ones.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/alloc.h"
#include "core/error.h"
#include "gherkin/internal.h"

/* A token as the AST builder keeps it (arena). */
struct btok {
    int type;
    int line;
    int column;
    int kw_type;
    int kw_index; /* a StepLine's: its keyword among the document's */
    const char *kw;
    const char *text; /* NULL: null */
    size_t text_len;
    const char *language;
    struct lb__gh_item *items;
    size_t n_items;
};

/* An entry of a rule node: a token (type < LB__T_COUNT) or a sub-rule. */
struct entry {
    int type;
    void *p;
};

/* A rule node whose transform is the node itself (headers, Scenario...). */
struct bag {
    size_t n;
    struct entry e[];
};

/* Where the scratch allocator stood: chunk and offset. */
struct tmp_mark {
    size_t chunk;
    size_t off;
};

/*
 * A rule being built: where its entries start, and the marks to rewind to
 * when it ends. Counts of lines and of source bytes: 32 bits suffice (a
 * document is under 2 GiB), and a small frame is quick to push and pop.
 */
struct frame {
    int rule;
    uint32_t start;
    uint32_t others; /* marks of the side buffers at the start */
    uint32_t other_text;
    struct tmp_mark tmp;
};

/*
 * An Other line (description, DocString): its text is `src` when that is
 * in the source (mostly), else a copy in p->other_text at `off` (the
 * matcher's scratch, where an escaped delimiter was replaced, is reused).
 */
struct other {
    size_t off; /* OTHER_IN_SOURCE: none */
    size_t len;
    const char *src; /* the token's text */
    bool blank;
};

#define OTHER_IN_SOURCE SIZE_MAX

/*
 * A keyword as the matcher gave it (a dialect's string, or a Markdown
 * fence in the source) and the document's copy of it; for a step keyword,
 * its index among the document's (-1: not looked up yet).
 */
struct kw_cache_entry {
    const char *src;
    const char *copy;
    size_t len;
    int step;
};

#define KW_CACHE  128 /* a power of two */
#define KW_PROBES 8

/* An ExamplesTable, until its Examples takes its rows. */
struct table_rows {
    const struct lb_gherkin_table_row *rows;
    uint32_t n_rows;
};

struct parse_error {
    int line;
    int column;
    const char *message; /* arena, with its "(L:C): " prefix */
};

struct parser {
    struct lb__gh_parser m; /* the matcher's view */
    struct lb_gherkin_document *doc;
    struct lb_arena *arena;
    const char *src;
    size_t src_len;
    size_t pos;    /* next byte to scan */
    bool at_eof;   /* the scanner has handed out EOF */
    int next_line; /* number of the next line to scan */
    bool stop;     /* too many errors, or stop at the first */
    bool stop_at_first;
    unsigned max_errors;
    bool tokens_mode;
    struct lb_buf *tokens_out;
    /* tokens: the current one and those read ahead */
    struct lb__gh_token cur;
    LB_VEC(struct lb__gh_token) queue;
    size_t head;
    size_t slots; /* initialised slots of the queue (len may be less) */
    /* lookahead cache: the line that ended the last scan */
    bool la_valid;
    int la_stop_line;
    /* the AST builder */
    LB_VEC(struct frame) frames;
    LB_VEC(struct entry) ents;
    LB_VEC(struct lb_gherkin_comment) comments;
    /*
     * Lines of descriptions and DocStrings, steps and table rows wait here
     * (not in the arena) until their rule ends, so the arena only holds
     * the final tree: entries refer to them by index + 1.
     */
    LB_VEC(struct other) others;
    struct lb_buf other_text;
    LB_VEC(struct lb_gherkin_step) step_pool;
    LB_VEC(struct lb_gherkin_table_row) row_pool;
    LB_VEC(struct lb_gherkin_examples) ex_pool;
    struct table_rows ex_table; /* the rows of the last ExamplesTable */
    LB_VEC(struct lb_gherkin_span) desc_pool; /* descriptions, LIFO */
    /*
     * Scratch memory of the builder (kept tokens, rule nodes that are not
     * transformed): a bump allocator rewound when a rule that makes a
     * final node ends, so a long document reuses the same few chunks.
     */
    LB_VEC(char *) tmp_chunks;
    LB_VEC(size_t) tmp_sizes;
    struct tmp_mark tmp;
    size_t tmp_chunk; /* size of the first scratch chunk, from the input's */
    LB_VEC(struct parse_error) errors;
    struct kw_cache_entry kw_cache[KW_CACHE];
    struct lb_buf msg;
    bool oom;
    /* the document's id generator and first id (lb__gh_new_id, inline) */
    struct lb_idgen *ids;
    uint64_t id_base;
};

/*
 * lb_vec_push with the common case inline: the builder pushes a few
 * entries per line, and the out-of-line reserve call showed in profiles.
 */
#define PUSH(v, x)                           \
    do {                                     \
        if ((v)->len < (v)->cap)             \
            (v)->items[(v)->len++] = (x);    \
        else if (lb_vec_push((v), (x)) != 0) \
            LB_BUG("out of memory");         \
    } while (0)

/* ---- documents, ids, strings ---- */

/*
 * The document's memory is bumped off the arena's current block here, not
 * through lb_arena_alloc for each node: strings need no alignment and
 * structs only 8 bytes (the arena rounds every allocation to 16). The
 * arena is raw (not cleared, see core/arena.h): lb__gh_alloc clears what
 * it hands out, strings and arrays written whole are not. Only when the
 * block is full does the arena get a new one (lb_arena_alloc sets cur/end
 * to it; a request larger than a quarter of a block gets one of its own
 * and the current block stays).
 */
#define KIB       ((size_t)1 << 10)
#define MAX_BLOCK ((size_t)128 << 20)

static size_t clamp_size(size_t n, size_t lo, size_t hi)
{
    n = n < lo ? lo : n > hi ? hi : n;
    return (n + KIB - 1) & ~(KIB - 1);
}

/*
 * The next arena block. The heap holds the unused tail of the last block,
 * so it should be just what the rest of the document takes: during the
 * parse, the rest of the source at the rate the parsed part took (a
 * sixteenth more), but never more than the arena holds already (the early
 * rate is noisy: blocks at most double the arena), from 1 KiB to 128 MiB
 * (a block of 4 MiB or more is huge pages of its own, core/arena.c: the
 * first touch of a big document's heap is most of its first parse's cost
 * in a VM, and 2 MiB faults cost far less than 4 KiB ones; a few big
 * blocks, not many 32 MiB ones, leave fewer unused ends). Before and
 * after the parse (the uri; the feature's children, the pickle marks):
 * small blocks, larger arrays getting blocks of their own.
 */
static size_t next_block(const struct lb_gherkin_document *doc)
{
    const struct lb_gherkin_document_internal *in = doc->internal;
    const struct lb_arena *a = &in->arena;
    size_t len = doc->source_len;
    size_t used = a->total - (size_t)(a->end - a->cur);
    size_t pos = in->progress != NULL ? *in->progress : 0;
    double rest;

    if (pos == 0 || pos >= len)
        return clamp_size(len / 64, KIB, 64 * KIB);
    rest = (double)used * (double)(len - pos) / (double)pos;
    rest += rest / 16 + (double)KIB;
    if (rest > (double)a->total)
        rest = (double)a->total;
    return clamp_size((size_t)rest, KIB, MAX_BLOCK);
}

static char *arena_alloc(struct lb_gherkin_document *doc, size_t size)
{
    struct lb_arena *a = &doc->internal->arena;
    char *p;

    a->block_size = next_block(doc);
    /*
     * lb_arena_alloc expects cur where it left it, aligned for any type:
     * the bumps below may have left it anywhere.
     */
    if (a->cur != NULL) {
        size_t pad = (size_t)(-(uintptr_t)a->cur & 15);

        a->cur = pad < (size_t)(a->end - a->cur) ? a->cur + pad : a->end;
    }
    p = lb_arena_alloc(a, size);
    if (p == NULL)
        LB_BUG("out of memory");
    return p;
}

static char *doc_room(struct lb_gherkin_document *doc, size_t size, size_t al)
{
    struct lb_arena *a = &doc->internal->arena;

    if (a->cur != NULL) {
        size_t pad = (size_t)(-(uintptr_t)a->cur & (al - 1));
        size_t room = (size_t)(a->end - a->cur);

        if (pad <= room && size <= room - pad) {
            char *r = a->cur + pad;

            a->cur = r + size;
            return r;
        }
    }
    return arena_alloc(doc, size);
}

void *lb__gh_alloc_raw(struct lb_gherkin_document *doc, size_t size)
{
    return doc_room(doc, size ? size : 1, 8);
}

void *lb__gh_alloc(struct lb_gherkin_document *doc, size_t size)
{
    /* the arena is raw (doc_new): cleared here, while it is in the cache */
    void *r = doc_room(doc, size ? size : 1, 8);

    memset(r, 0, size);
    return r;
}

/*
 * Strings are taken from the end of the block, downwards, structs from its
 * start: a string between two structs would cost up to 7 bytes of padding
 * (4 % of a big document's heap).
 */
static char *str_room(struct lb_gherkin_document *doc, size_t size)
{
    struct lb_arena *a = &doc->internal->arena;

    if (a->cur != NULL && size <= (size_t)(a->end - a->cur)) {
        a->end -= size;
        return a->end;
    }
    return arena_alloc(doc, size);
}

char *lb__gh_strndup(struct lb_gherkin_document *doc, const char *s, size_t n)
{
    char *p = str_room(doc, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

uint32_t lb__gh_new_id(struct lb_gherkin_document *doc)
{
    /* a document has fewer nodes than bytes (< 4 GiB): 32 bits suffice */
    return (uint32_t)(doc->internal->ids->next++ - doc->internal->id_base);
}

int lb_gherkin_id(const struct lb_gherkin_document *doc,
                  uint32_t id,
                  char out[LB_ID_MAX])
{
    return lb_idgen_format(
        &doc->internal->fmt_ids, doc->internal->id_base + id, out);
}

/*
 * The builder's scratch: chunks that double (the first from the input's
 * size), so a rule node of any size fits one and the high-water mark stays
 * near what the deepest nesting needs; a rewind (end_rule) frees the
 * chunks after the mark for reuse.
 */
static void *tmp_alloc_slow(struct parser *p, size_t size)
{
    struct tmp_mark *m = &p->tmp;
    char *ptr;

    while (m->chunk < p->tmp_chunks.len &&
           m->off + size > p->tmp_sizes.items[m->chunk])
    {
        m->chunk++;
        m->off = 0;
    }
    if (m->chunk == p->tmp_chunks.len) {
        size_t n = p->tmp_chunks.len
                       ? 2 * p->tmp_sizes.items[p->tmp_chunks.len - 1]
                       : p->tmp_chunk;

        while (n < size)
            n *= 2;
        PUSH(&p->tmp_chunks, (char *)lb_xmalloc(n));
        PUSH(&p->tmp_sizes, n);
    }
    ptr = p->tmp_chunks.items[m->chunk] + m->off;
    m->off += size;
    /* not cleared: every caller writes all of it */
    return ptr;
}

/* The common case inline: room in the current chunk. */
static inline void *tmp_alloc(struct parser *p, size_t size)
{
    struct tmp_mark *m = &p->tmp;

    size = (size + 15) & ~(size_t)15;
    if (m->chunk < p->tmp_chunks.len &&
        size <= p->tmp_sizes.items[m->chunk] - m->off)
    {
        char *ptr = p->tmp_chunks.items[m->chunk] + m->off;

        m->off += size;
        return ptr;
    }
    return tmp_alloc_slow(p, size);
}

static inline uint32_t new_id(struct parser *p)
{
    return (uint32_t)(p->ids->next++ - p->id_base);
}

static void *xalloc(struct parser *p, size_t size)
{
    return lb__gh_alloc(p->doc, size);
}

/* ---- errors ---- */

static void add_error_msg(struct parser *p, int line, int column)
{
    size_t i;
    struct parse_error e;

    for (i = 0; i < p->errors.len; i++)
        if (strcmp(p->errors.items[i].message, p->msg.ptr) == 0)
            return;
    e.line = line;
    e.column = column;
    e.message = lb__gh_strndup(p->doc, p->msg.ptr, p->msg.len);
    if (lb_vec_push(&p->errors, e) != 0)
        LB_BUG("out of memory");
    if (p->stop_at_first || p->errors.len > p->max_errors)
        p->stop = true;
}

static void
add_error(struct parser *p, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add_error(struct parser *p, int line, int column, const char *fmt, ...)
{
    va_list ap;

    lb_buf_reset(&p->msg);
    lb_buf_addf(&p->msg, "(%d:%d): ", line, column);
    va_start(ap, fmt);
    lb_buf_vaddf(&p->msg, fmt, ap);
    va_end(ap);
    add_error_msg(p, line, column);
}

/*
 * Token types whose classic matcher only reads the line and the dialect:
 * a token that matched one of them matches it again the same way (a line
 * a lookahead matched is matched again when it becomes the current one).
 */
#define PURE_TYPES                                                    \
    (1u << LB__T_EMPTY | 1u << LB__T_COMMENT | 1u << LB__T_TAG_LINE | \
     1u << LB__T_FEATURE_LINE | 1u << LB__T_RULE_LINE |               \
     1u << LB__T_BACKGROUND_LINE | 1u << LB__T_SCENARIO_LINE |        \
     1u << LB__T_EXAMPLES_LINE | 1u << LB__T_STEP_LINE |              \
     1u << LB__T_TABLE_ROW)

/* A matcher call, with its exception turned into an error (JS semantics). */
static inline bool match(struct parser *p, struct lb__gh_token *t, int type)
{
    bool r;

    if (t->type == type && (PURE_TYPES >> type & 1u) &&
        p->m.ops == &lb__gh_classic_ops)
        return true;
    p->m.exc = false;
    r = p->m.ops == &lb__gh_classic_ops ? lb__gh_classic_match(&p->m, t, type)
                                        : p->m.ops->match(&p->m, t, type);
    if (p->m.exc) {
        lb_buf_reset(&p->msg);
        lb_buf_addf(&p->msg,
                    "(%d:%d): %s",
                    p->m.exc_line,
                    p->m.exc_column,
                    p->m.exc_msg);
        add_error_msg(p, p->m.exc_line, p->m.exc_column);
        p->m.exc = false;
        return false;
    }
    return r;
}

/* ---- lines and tokens ---- */

/*
 * The number of ' ' bytes at `s` (at most `max`): eight at a time, since
 * most lines are indented by a few blanks.
 */
static size_t count_blanks(const char *s, size_t max)
{
    size_t i = 0;

    while (i + 8 <= max) {
        uint64_t w;

        memcpy(&w, s + i, 8);
        w ^= 0x2020202020202020ULL;
        if (w != 0) {
            /* the first non-blank is the first nonzero byte */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            return i + (size_t)__builtin_clzll(w) / 8;
#else
            return i + (size_t)__builtin_ctzll(w) / 8;
#endif
        }
        i += 8;
    }
    while (i < max && s[i] == ' ')
        i++;
    return i;
}

/* The first '\n' in [s, end), NULL when none: no call per short line. */
static inline const char *find_nl(const char *s, const char *end)
{
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n');

    while (end - s >= 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
            _mm_loadu_si128((const __m128i *)(const void *)s), nl));

        if (m != 0)
            return s + __builtin_ctz(m);
        s += 16;
    }
#else
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;

    while (end - s >= 8) {
        uint64_t w;
        uint64_t m;

        memcpy(&w, s, 8);
        w ^= 0x0A0A0A0A0A0A0A0AULL;
        /* 0x80 in each byte that was '\n' (exact: no carry between bytes) */
        m = ~(((w & low7) + low7) | w | low7);
        if (m != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            return s + __builtin_clzll(m) / 8;
#else
            return s + __builtin_ctzll(m) / 8;
#endif
        }
        s += 8;
    }
#endif
    while (s < end) {
        if (*s == '\n')
            return s;
        s++;
    }
    return NULL;
}

/* Inline in its two callers: a call per line showed in profiles. */
static inline __attribute__((always_inline)) void
scan_line(struct parser *p, struct lb__gh_token *t)
{
    const char *s = p->src + p->pos;
    size_t rest = p->src_len - p->pos;
    const char *nl = NULL;
    size_t len;
    size_t i = 0;
    bool found = false;
    int indent;

    t->type = LB__T_NONE;
    t->column = 0;
    t->kw = NULL;
    t->kw_type = -1;
    t->mtext = NULL;
    t->items.len = 0;
    t->line = p->next_line++;
    if (p->at_eof || p->pos >= p->src_len)
        goto eof;
#ifdef __SSE2__
    /*
     * Most lines: the indent and the end in the first 16 bytes, from one
     * load ('\n' is not a blank: the indent ends at or before it).
     */
    if (rest >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
        unsigned nm =
            (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        unsigned bm =
            (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))) ^
            0xFFFFu;

        if (bm != 0) {
            i = (size_t)__builtin_ctz(bm);
            nl = nm != 0 ? s + __builtin_ctz(nm) : find_nl(s + 16, s + rest);
            found = true;
        }
    }
#endif
    /*
     * Else the indent first, then the end of the line from the first
     * non-blank: blanks and tabs inline (other whitespace is rare), and
     * neither can be a line's end, so the scan stays within the line.
     */
    if (!found) {
        i = count_blanks(s, rest);
        nl = find_nl(s + i, s + rest);
    }
    if (i < rest && s[i] == '\t') {
        while (i < rest && (s[i] == ' ' || s[i] == '\t'))
            i++;
    }
    /*
     * The official scanner splits on \n and drops the last piece when it
     * is blank: past the last \n, a blank rest is the end too.
     */
    if (nl == NULL && lb__gh_ltrim(s + i, rest - i) == rest - i)
        goto eof;
    len = nl ? (size_t)(nl - s) : rest;
    p->pos += nl ? len + 1 : len;
    if (nl && len > 0 && s[len - 1] == '\r')
        len--;
    t->eof = false;
    t->text = s;
    t->len = len;
    indent = (int)i;
    /* other whitespace: below '!' or not ASCII (most lines have none) */
    while (i < len &&
           ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x80)) {
        size_t n;

        if (!lb__gh_is_js_space((const unsigned char *)s + i, len - i, &n))
            break;
        i += n;
        indent++;
    }
    t->trim_off = i;
    t->indent = indent;
    return;
eof:
    p->at_eof = true;
    t->eof = true;
    t->text = "";
    t->len = 0;
    t->trim_off = 0;
    t->indent = 0;
}

static struct lb__gh_token *peek(struct parser *p, size_t i)
{
    while (p->queue.len - p->head <= i) {
        if (p->queue.len == p->slots) {
            struct lb__gh_token blank;

            memset(&blank, 0, sizeof(blank));
            lb_buf_init(&blank.scratch, 0);
            if (lb_vec_push(&p->queue, blank) != 0)
                LB_BUG("out of memory");
            p->slots++;
        } else {
            p->queue.len++;
        }
        scan_line(p, &p->queue.items[p->queue.len - 1]);
    }
    return &p->queue.items[p->head + i];
}

/* Makes the next token current (swapping slots, so buffers are reused). */
static void next_token(struct parser *p)
{
    if (p->queue.len > p->head) {
        struct lb__gh_token tmp = p->cur;

        p->cur = p->queue.items[p->head];
        p->queue.items[p->head] = tmp;
        p->head++;
        if (p->head == p->queue.len) {
            /* keep the slots (and their buffers) for reuse */
            p->head = 0;
            p->queue.len = 0;
        }
        return;
    }
    scan_line(p, &p->cur);
}

/*
 * Lookahead 0 (a ScenarioLine ahead) or 1 (an ExamplesLine): over Empty,
 * Comment and TagLine tokens. The stop token of one scan is the stop token
 * of every scan that starts before it, so it is remembered: a run of n tag
 * lines costs O(n), not O(n^2).
 */
static bool lookahead(struct parser *p, int which)
{
    int target = which == 0 ? LB__T_SCENARIO_LINE : LB__T_EXAMPLES_LINE;
    size_t i;
    struct lb__gh_token *t;
    bool cacheable = p->m.ops == &lb__gh_classic_ops;

    t = peek(p, 0);
    if (cacheable && p->la_valid && p->la_stop_line >= t->line) {
        t = peek(p, (size_t)(p->la_stop_line - t->line));
        return match(p, t, target);
    }
    for (i = 0;; i++) {
        t = peek(p, i);
        if (match(p, t, target)) {
            p->la_valid = true;
            p->la_stop_line = t->line;
            return true;
        }
        t = peek(p, i);
        if (!(match(p, t, LB__T_EMPTY) || match(p, t, LB__T_COMMENT) ||
              match(p, t, LB__T_TAG_LINE)))
        {
            p->la_valid = true;
            p->la_stop_line = t->line;
            return false;
        }
    }
}

/* ---- the AST builder ---- */

/*
 * The document's copy of a keyword: one per distinct keyword (a dialect
 * has a few dozen), found by address. The addresses are hashed into an
 * open-addressed table; past KW_PROBES collisions (Markdown fences, which
 * are in the source, can be many) the home slot is taken over.
 */
static struct kw_cache_entry *
intern_kw(struct parser *p, const char *kw, size_t len)
{
    size_t h =
        (size_t)(((uint64_t)(uintptr_t)kw * 0x9E3779B97F4A7C15ULL) >> 57) &
        (KW_CACHE - 1);
    struct kw_cache_entry *e = NULL;
    size_t i;

    for (i = 0; i < KW_PROBES; i++) {
        e = &p->kw_cache[(h + i) & (KW_CACHE - 1)];
        if (e->src == kw && e->len == len)
            return e;
        if (e->src == NULL)
            break;
    }
    if (i == KW_PROBES)
        e = &p->kw_cache[h];
    e->src = kw;
    e->len = len;
    e->copy = lb__gh_strndup(p->doc, kw, len);
    e->step = -1;
    return e;
}

static uint16_t step_kw_index(struct parser *p, const char *kw);

static inline void push_entry(struct parser *p, int type, void *ptr)
{
    struct entry e;

    e.type = type;
    e.p = ptr;
    PUSH(&p->ents, e);
}

static void token_line(struct parser *p, const struct lb__gh_token *t)
{
    struct lb_buf *o = p->tokens_out;
    size_t i;

    if (t->eof) {
        lb_buf_adds(o, "EOF\n");
        return;
    }
    lb_buf_addf(
        o, "(%d:%d)%s:", t->line, t->column, lb__gh_token_names[t->type]);
    if (t->kw != NULL) {
        lb_buf_addch(o, '(');
        if (t->kw_type >= 0)
            lb_buf_adds(o, lb_gherkin_keyword_type_name(t->kw_type));
        lb_buf_addch(o, ')');
        lb_buf_add(o, t->kw, t->kw_len);
    }
    lb_buf_addch(o, '/');
    if (t->mtext != NULL)
        lb_buf_add(o, t->mtext, t->mtext_len);
    lb_buf_addch(o, '/');
    for (i = 0; i < t->items.len; i++) {
        lb_buf_addf(o, "%s%d:", i ? "," : "", t->items.items[i].column);
        lb_buf_add(o, t->items.items[i].text, t->items.items[i].len);
    }
    lb_buf_addch(o, '\n');
}

/* One case per token type, as the official builders: kept in one piece. */
/* NOLINTNEXTLINE(readability-function-size) */
static void build(struct parser *p, const struct lb__gh_token *t)
{
    struct btok *b;
    size_t i;

    if (p->tokens_mode) {
        token_line(p, t);
        return;
    }
    if (t->type == LB__T_COMMENT) {
        struct lb_gherkin_comment c;

        c.location.line = t->line;
        c.location.column = t->column;
        c.text = lb__gh_strndup(p->doc, t->mtext ? t->mtext : "", t->mtext_len);
        if (lb_vec_push(&p->comments, c) != 0)
            LB_BUG("out of memory");
        return;
    }
    /* no transform reads Empty or EOF tokens: keep them out of the arena */
    if (t->type == LB__T_EMPTY || t->type == LB__T_EOF)
        return;
    if (t->type == LB__T_OTHER) {
        struct other o;

        o.off = OTHER_IN_SOURCE;
        o.len = t->mtext_len;
        o.src = t->mtext;
        o.blank = t->trim_off == t->len;
        if (!(t->mtext >= p->src && t->mtext_len <= p->src_len &&
              (size_t)(t->mtext - p->src) <= p->src_len - t->mtext_len))
        {
            o.off = p->other_text.len;
            lb_buf_add(&p->other_text, t->mtext, t->mtext_len);
        }
        PUSH(&p->others, o);
        /* an index into a pool, not an address */
        /* NOLINTNEXTLINE(performance-no-int-to-ptr) */
        push_entry(p, LB__T_OTHER, (void *)(uintptr_t)p->others.len);
        return;
    }
    if (t->type == LB__T_TABLE_ROW) {
        struct lb_gherkin_table_row row;

        /*
         * No cells are kept: lb_gherkin_table_row_cells splits them again
         * from the line, which the scanner hands out as a slice of the
         * source.
         */
        LB_ASSERT(t->text >= p->doc->source &&
                  t->text <= p->doc->source + p->doc->source_len);
        row.id = 0;
        row.n_cells = (uint32_t)t->n_cells;
        row.location.line = t->line;
        row.location.column = t->column;
        row.source_off = (uint32_t)(t->text - p->doc->source);
        PUSH(&p->row_pool, row);
        /* an index into a pool, not an address */
        /* NOLINTNEXTLINE(performance-no-int-to-ptr) */
        push_entry(p, LB__T_TABLE_ROW, (void *)(uintptr_t)p->row_pool.len);
        return;
    }
    b = tmp_alloc(p, sizeof(*b));
    b->type = t->type;
    b->line = t->line;
    b->column = t->column;
    b->kw_type = t->kw_type;
    b->kw = NULL;
    b->kw_index = -1;
    b->text = NULL;
    b->text_len = 0;
    b->items = NULL;
    b->n_items = 0;
    if (t->kw != NULL) {
        struct kw_cache_entry *e = intern_kw(p, t->kw, t->kw_len);

        b->kw = e->copy;
        /* a step's keyword index: looked up once per distinct keyword */
        if (t->type == LB__T_STEP_LINE && e->step < 0)
            e->step = step_kw_index(p, e->copy);
        b->kw_index = e->step;
    }
    if (t->mtext != NULL) {
        /*
         * a step's text and a name are spans of the source (not copied):
         * a name becomes a struct lb_gherkin_span (span_of)
         */
        b->text = t->type == LB__T_STEP_LINE || t->type == LB__T_RULE_LINE ||
                          t->type == LB__T_BACKGROUND_LINE ||
                          t->type == LB__T_SCENARIO_LINE ||
                          t->type == LB__T_EXAMPLES_LINE
                      ? t->mtext
                      : lb__gh_strndup(p->doc, t->mtext, t->mtext_len);
        b->text_len = t->mtext_len;
    }
    b->language = t->dialect ? t->dialect->code : "en";
    if (t->type == LB__T_FEATURE_LINE)
        b->language = lb__gh_strndup(p->doc, b->language, strlen(b->language));
    if (t->items.len > 0) {
        b->items = tmp_alloc(p, t->items.len * sizeof(*b->items));
        b->n_items = t->items.len;
        for (i = 0; i < t->items.len; i++) {
            b->items[i].column = t->items.items[i].column;
            b->items[i].text = lb__gh_strndup(
                p->doc, t->items.items[i].text, t->items.items[i].len);
            b->items[i].len = t->items.items[i].len;
        }
    }
    push_entry(p, t->type, b);
}

static inline void start_rule(struct parser *p, int rule)
{
    struct frame f;

    if (p->tokens_mode)
        return;
    f.rule = rule;
    f.start = (uint32_t)p->ents.len;
    f.others = (uint32_t)p->others.len;
    f.other_text = (uint32_t)p->other_text.len;
    f.tmp = p->tmp;
    PUSH(&p->frames, f);
}

static const struct other *other_of(const struct parser *p, const void *ref)
{
    return &p->others.items[(uintptr_t)ref - 1];
}

/* The text of an Other line (`o->len` bytes). */
static const char *other_bytes(const struct parser *p, const struct other *o)
{
    return o->off == OTHER_IN_SOURCE ? o->src : p->other_text.ptr + o->off;
}

/* Room for a string of `size` bytes (NUL included) among the strings. */
static char *alloc_text(struct parser *p, size_t size)
{
    return str_room(p->doc, size);
}

static void *get_single(const struct entry *e, size_t n, int type)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (e[i].type == type)
            return e[i].p;
    return NULL;
}

static size_t count_type(const struct entry *e, size_t n, int type)
{
    size_t i;
    size_t c = 0;

    for (i = 0; i < n; i++)
        c += e[i].type == type && e[i].p != NULL;
    return c;
}

static struct lb_gherkin_location loc(const struct btok *b, int column)
{
    struct lb_gherkin_location l;

    l.line = b->line;
    l.column = column ? column : b->column;
    return l;
}

/* The number of tags in a Tags node (NULL: none). */
static size_t bag_tags(const struct bag *tags)
{
    size_t n = 0;
    size_t i;

    for (i = 0; tags != NULL && i < tags->n; i++)
        if (tags->e[i].type == LB__T_TAG_LINE)
            n += ((const struct btok *)tags->e[i].p)->n_items;
    return n;
}

/* The number of tags of a node. */
static size_t count_tags(const struct entry *e, size_t n_e)
{
    return bag_tags(get_single(e, n_e, LB__R_TAGS));
}

/* The tags of a node into `out` (room for count_tags), with their ids. */
static void fill_bag_tags(struct parser *p, const struct bag *tags, void *out)
{
    struct lb_gherkin_tag *t = out;
    size_t i;
    size_t j;
    size_t k = 0;

    for (i = 0; tags != NULL && i < tags->n; i++) {
        const struct btok *b = tags->e[i].p;

        if (tags->e[i].type != LB__T_TAG_LINE)
            continue;
        for (j = 0; j < b->n_items; j++, k++) {
            t[k].location = loc(b, b->items[j].column);
            t[k].name = b->items[j].text;
            t[k].id = new_id(p);
        }
    }
}

static void
fill_tags(struct parser *p, const struct entry *e, size_t n_e, void *out)
{
    fill_bag_tags(p, get_single(e, n_e, LB__R_TAGS), out);
}

/* The tags of a node in an array of their own. */
static const struct lb_gherkin_tag *
get_tags(struct parser *p, const struct entry *e, size_t n_e, uint32_t *n_out)
{
    size_t n = count_tags(e, n_e);
    struct lb_gherkin_tag *out;

    *n_out = (uint32_t)n;
    if (n == 0)
        return NULL;
    out = xalloc(p, n * sizeof(*out));
    fill_tags(p, e, n_e, out);
    return out;
}

/*
 * A span of the document for `len` bytes at `s`: `s` itself when it is in
 * the source, else a copy kept among the derived texts (lb_gherkin_text).
 */
static struct lb_gherkin_span
span_of(struct parser *p, const char *s, size_t len)
{
    struct lb_gherkin_document *doc = p->doc;
    struct lb_gherkin_span sp = {0, 0};
    size_t off;

    if (s == NULL || len == 0)
        return sp;
    if (s >= doc->source && s + len <= doc->source + doc->source_len) {
        off = (size_t)(s - doc->source);
    } else {
        off = doc->source_len + doc->internal->derived.len;
        if (lb_buf_add(&doc->internal->derived, s, len) != 0)
            LB_BUG("out of memory");
    }
    /* as a step's text: a document is under 2 GiB, its copies as much */
    LB_ASSERT(off + len <= UINT32_MAX);
    sp.off = (uint32_t)off;
    sp.len = (uint32_t)len;
    return sp;
}

const char *lb_gherkin_text(const struct lb_gherkin_document *doc,
                            struct lb_gherkin_span span)
{
    if (span.off < doc->source_len)
        return doc->source + span.off;
    return doc->internal->derived.ptr + (span.off - doc->source_len);
}

/*
 * The description of a node (an empty span when none). Descriptions are
 * made and taken last in, first out: a node's is taken after those of its
 * children, so taking it drops all above it.
 */
static struct lb_gherkin_span take_description(struct parser *p, const void *d)
{
    struct lb_gherkin_span sp = {0, 0};
    size_t idx;

    if (d == NULL)
        return sp;
    idx = (uintptr_t)d - 1;
    sp = p->desc_pool.items[idx];
    p->desc_pool.len = idx;
    return sp;
}

static struct lb_gherkin_span
get_description(struct parser *p, const struct entry *e, size_t n)
{
    return take_description(p, get_single(e, n, LB__R_DESCRIPTION));
}

/* The steps of a container into `out` (room for count_type(LB__R_STEP)). */
static void get_steps(struct parser *p,
                      const struct entry *e,
                      size_t n,
                      struct lb_gherkin_step *out)
{
    size_t i;
    size_t k = 0;
    size_t low = p->step_pool.len;

    for (i = 0; i < n; i++) {
        if (e[i].type == LB__R_STEP && e[i].p != NULL) {
            size_t idx = (uintptr_t)e[i].p - 1;

            out[k++] = p->step_pool.items[idx];
            if (idx < low)
                low = idx;
        }
    }
    /* this container's steps were the last ones made */
    p->step_pool.len = low;
}

/*
 * Table rows with their ids, `head` bytes into the memory returned (a
 * DataTable's header goes before them); NULL (and an error) on a ragged
 * table.
 */
static void *get_table_rows(struct parser *p,
                            const struct entry *e,
                            size_t n,
                            size_t head,
                            uint32_t *n_out)
{
    size_t c = count_type(e, n, LB__T_TABLE_ROW);
    char *base;
    struct lb_gherkin_table_row *rows;
    size_t i;
    size_t k = 0;
    size_t low = p->row_pool.len;

    *n_out = 0;
    if (c == 0)
        return NULL;
    /* every byte is written below */
    base = lb__gh_alloc_raw(p->doc, head + c * sizeof(*rows));
    rows = (struct lb_gherkin_table_row *)(void *)(base + head);
    for (i = 0; i < n; i++) {
        size_t idx;

        if (e[i].type != LB__T_TABLE_ROW)
            continue;
        idx = (uintptr_t)e[i].p - 1;
        rows[k] = p->row_pool.items[idx];
        rows[k].id = new_id(p);
        if (idx < low)
            low = idx;
        k++;
    }
    p->row_pool.len = low;
    for (k = 0; k < c; k++) {
        if (rows[k].n_cells != rows[0].n_cells) {
            add_error(p,
                      rows[k].location.line,
                      rows[k].location.column,
                      "inconsistent cell count within the table");
            return NULL;
        }
    }
    *n_out = (uint32_t)c;
    return base;
}

/* A child: the node's address plus its kind (see struct lb_gherkin_child). */
static struct lb_gherkin_child child_of(const void *node, int kind)
{
    struct lb_gherkin_child c;

    LB_ASSERT(((uintptr_t)node & 7) == 0);
    c.tagged = (const char *)node + kind;
    return c;
}

/* The number of children of a feature (`rules`) or rule. */
static size_t count_children(const struct entry *e, size_t n, bool rules)
{
    return (get_single(e, n, LB__R_BACKGROUND) != NULL) +
           count_type(e, n, LB__R_SCENARIO_DEFINITION) +
           (rules ? count_type(e, n, LB__R_RULE) : 0);
}

/* The children into `ch` (room for count_children): the Background first. */
static void get_children(const struct entry *e,
                         size_t n,
                         bool rules,
                         struct lb_gherkin_child *ch)
{
    const struct lb_gherkin_background *bg = get_single(e, n, LB__R_BACKGROUND);
    size_t i;
    size_t k = 0;

    if (bg != NULL)
        ch[k++] = child_of(bg, LB_GHERKIN_CHILD_BACKGROUND);
    for (i = 0; i < n; i++)
        if (e[i].type == LB__R_SCENARIO_DEFINITION && e[i].p != NULL)
            ch[k++] = child_of(e[i].p, LB_GHERKIN_CHILD_SCENARIO);
    for (i = 0; rules && i < n; i++)
        if (e[i].type == LB__R_RULE && e[i].p != NULL)
            ch[k++] = child_of(e[i].p, LB_GHERKIN_CHILD_RULE);
}

/*
 * The index of a step keyword (a document copy from intern_kw) among the
 * document's: compared by address first (the copies are shared), then by
 * text (a keyword taken over in intern_kw's table gets a second copy).
 */
static uint16_t step_kw_index(struct parser *p, const char *kw)
{
    struct lb_gherkin_document_internal *in = p->doc->internal;
    size_t i;

    for (i = 0; i < in->n_step_kws; i++)
        if (in->step_kws[i] == kw)
            return (uint16_t)i;
    for (i = 0; kw != NULL && i < in->n_step_kws; i++)
        if (in->step_kws[i] != NULL && strcmp(in->step_kws[i], kw) == 0)
            return (uint16_t)i;
    /* the keywords come from one dialect: a few dozen at most */
    LB_ASSERT(in->n_step_kws <= UINT16_MAX);
    if (in->n_step_kws == in->cap_step_kws) {
        in->cap_step_kws = in->cap_step_kws ? 2 * in->cap_step_kws : 8;
        in->step_kws =
            lb_xrealloc(in->step_kws, in->cap_step_kws * sizeof(*in->step_kws));
    }
    in->step_kws[in->n_step_kws] = kw;
    return (uint16_t)in->n_step_kws++;
}

const char *lb_gherkin_step_text(const struct lb_gherkin_document *doc,
                                 const struct lb_gherkin_step *s)
{
    return doc->source + s->text_off;
}

const char *lb_gherkin_step_keyword(const struct lb_gherkin_document *doc,
                                    const struct lb_gherkin_step *s)
{
    LB_ASSERT(s->keyword_index < doc->internal->n_step_kws);
    return doc->internal->step_kws[s->keyword_index];
}

/* One pointer for a step's arguments: a pair only when it has both. */
static void set_step_args(struct parser *p,
                          struct lb_gherkin_step *s,
                          const struct lb_gherkin_doc_string *d,
                          const struct lb_gherkin_data_table *t)
{
    struct lb_gherkin_step_args *both;

    if (d != NULL && t != NULL) {
        both = lb__gh_alloc_raw(p->doc, sizeof(*both));
        both->doc_string = d;
        both->data_table = t;
        s->arg = both;
        s->arg_kind = LB_GHERKIN_ARG_BOTH;
    } else if (d != NULL) {
        s->arg = d;
        s->arg_kind = LB_GHERKIN_ARG_DOC_STRING;
    } else if (t != NULL) {
        s->arg = t;
        s->arg_kind = LB_GHERKIN_ARG_DATA_TABLE;
    }
}

/*
 * A description that is not verbatim in the source (its lines end in
 * "\r\n"): its Other lines up to `end` joined by "\n", among the
 * document's derived texts.
 */
static struct lb_gherkin_span
description_copy(struct parser *p, const struct entry *e, size_t end)
{
    struct lb_buf *d = &p->doc->internal->derived;
    size_t start = d->len;
    bool first = true;
    size_t i;
    struct lb_gherkin_span sp = {0, 0};

    for (i = 0; i < end; i++) {
        const struct other *o;

        if (e[i].type != LB__T_OTHER)
            continue;
        o = other_of(p, e[i].p);
        if (!first && lb_buf_addch(d, '\n') != 0)
            LB_BUG("out of memory");
        first = false;
        if (lb_buf_add(d, other_bytes(p, o), o->len) != 0)
            LB_BUG("out of memory");
    }
    if (d->len == start)
        return sp;
    LB_ASSERT(p->doc->source_len + d->len <= UINT32_MAX);
    sp.off = (uint32_t)(p->doc->source_len + start);
    sp.len = (uint32_t)(d->len - start);
    return sp;
}

/* The official AstBuilder.transformNode; NULL after an error. */
/* One case per grammar rule, as the official builders: kept in one piece. */
/* NOLINTNEXTLINE(readability-function-size) */
static void *transform(struct parser *p, int rule, struct entry *e, size_t n)
{
    switch (rule) {
    case LB__R_STEP: {
        const struct btok *line = NULL;
        const struct lb_gherkin_doc_string *ds = NULL;
        const struct lb_gherkin_data_table *dt = NULL;
        bool seen_line = false;
        bool seen_ds = false;
        bool seen_dt = false;
        struct lb_gherkin_step *s;
        size_t i;

        /* get_single of each, in one pass: the first entry of its type */
        for (i = 0; i < n; i++) {
            if (e[i].type == LB__T_STEP_LINE && !seen_line) {
                line = e[i].p;
                seen_line = true;
            } else if (e[i].type == LB__R_DOC_STRING && !seen_ds) {
                ds = e[i].p;
                seen_ds = true;
            } else if (e[i].type == LB__R_DATA_TABLE && !seen_dt) {
                dt = e[i].p;
                seen_dt = true;
            }
        }
        if (line == NULL)
            return NULL;
        if (p->step_pool.len == p->step_pool.cap &&
            lb_vec_reserve(&p->step_pool, p->step_pool.len + 1) != 0)
            LB_BUG("out of memory");
        s = &p->step_pool.items[p->step_pool.len++];
        memset(s, 0, sizeof(*s));
        set_step_args(p, s, ds, dt);
        s->id = new_id(p);
        s->location = loc(line, 0);
        s->keyword_index = line->kw_index >= 0 ? (uint16_t)line->kw_index
                                               : step_kw_index(p, line->kw);
        s->keyword_type =
            (uint8_t)(line->kw_type < 0 ? LB_GHERKIN_KEYWORD_UNKNOWN
                                        : line->kw_type);
        if (line->text != NULL) {
            /* the lexers' step text is always a slice of the source */
            LB_ASSERT(line->text >= p->doc->source &&
                      line->text + line->text_len <=
                          p->doc->source + p->doc->source_len);
            s->text_off = (uint32_t)(line->text - p->doc->source);
            s->text_len = (uint32_t)line->text_len;
        }
        /* an index into a pool, not an address */
        /* NOLINTNEXTLINE(performance-no-int-to-ptr) */
        return (void *)(uintptr_t)p->step_pool.len;
    }
    case LB__R_DOC_STRING: {
        const struct btok *sep = get_single(e, n, LB__T_DOC_STRING_SEPARATOR);
        struct lb_gherkin_doc_string *d;
        size_t total = 0;
        size_t lines = 0;
        size_t i;
        char *content;
        char *w;

        if (sep == NULL)
            return NULL;
        d = xalloc(p, sizeof(*d));
        d->location = loc(sep, 0);
        d->delimiter = sep->kw;
        d->media_type = sep->text && sep->text_len > 0 ? sep->text : NULL;
        for (i = 0; i < n; i++) {
            if (e[i].type == LB__T_OTHER) {
                total += other_of(p, e[i].p)->len;
                lines++;
            }
        }
        content = alloc_text(p, total + lines + 1);
        w = content;
        lines = 0;
        for (i = 0; i < n; i++) {
            const struct other *o;

            if (e[i].type != LB__T_OTHER)
                continue;
            o = other_of(p, e[i].p);
            if (lines++ > 0)
                *w++ = '\n';
            memcpy(w, other_bytes(p, o), o->len);
            w += o->len;
        }
        *w = '\0';
        d->content = content;
        d->content_len = (size_t)(w - content);
        return d;
    }
    case LB__R_DATA_TABLE: {
        uint32_t nrows;
        /* the rows follow the header, in one allocation */
        struct lb_gherkin_data_table *t = get_table_rows(
            p, e, n, offsetof(struct lb_gherkin_data_table, rows), &nrows);

        if (t == NULL)
            return NULL;
        t->location = t->rows[0].location;
        t->n_rows = nrows;
        return t;
    }
    case LB__R_EXAMPLES_TABLE:
        /*
         * Only the rows are kept (the Examples points at them): the slot is
         * read when the Examples ends, which is right after its table.
         */
        p->ex_table.rows = get_table_rows(p, e, n, 0, &p->ex_table.n_rows);
        return p->ex_table.rows != NULL ? &p->ex_table : NULL;
    case LB__R_BACKGROUND: {
        const struct btok *line = get_single(e, n, LB__T_BACKGROUND_LINE);
        struct lb_gherkin_background *b;
        size_t n_steps;

        if (line == NULL)
            return NULL;
        n_steps = count_type(e, n, LB__R_STEP);
        /* the steps are written whole: only the node is cleared */
        b = lb__gh_alloc_raw(p->doc,
                             sizeof(*b) + n_steps * sizeof(b->steps[0]));
        memset(b, 0, sizeof(*b));
        b->description = get_description(p, e, n);
        b->n_steps = (uint32_t)n_steps;
        get_steps(p, e, n, b->steps);
        b->id = new_id(p);
        b->location = loc(line, 0);
        b->keyword = line->kw;
        b->name = span_of(p, line->text, line->text_len);
        return b;
    }
    case LB__R_SCENARIO_DEFINITION: {
        struct lb_gherkin_scenario *s;
        const struct bag *sn;
        const struct bag *tags;
        const void *desc;
        bool seen_sn = false;
        bool seen_tags = false;
        bool seen_line = false;
        bool seen_desc = false;
        const struct btok *line;
        uint32_t n_tags;
        size_t i;
        size_t k = 0;
        size_t low;
        size_t n_steps;
        size_t n_ex;
        struct lb_gherkin_examples *ex;

        /* what get_single and count_type would find, in one pass each */
        sn = NULL;
        tags = NULL;
        for (i = 0; i < n; i++) {
            if (e[i].type == LB__R_SCENARIO && !seen_sn) {
                sn = e[i].p;
                seen_sn = true;
            } else if (e[i].type == LB__R_TAGS && !seen_tags) {
                tags = e[i].p;
                seen_tags = true;
            }
        }
        line = NULL;
        desc = NULL;
        n_steps = 0;
        n_ex = 0;
        for (i = 0; sn != NULL && i < sn->n; i++) {
            const struct entry *x = &sn->e[i];

            if (x->type == LB__T_SCENARIO_LINE && !seen_line) {
                line = x->p;
                seen_line = true;
            } else if (x->type == LB__R_STEP) {
                n_steps += x->p != NULL;
            } else if (x->type == LB__R_EXAMPLES_DEFINITION) {
                n_ex += x->p != NULL;
            } else if (x->type == LB__R_DESCRIPTION && !seen_desc) {
                desc = x->p;
                seen_desc = true;
            }
        }
        if (line == NULL) {
            /* after an error: the tags still take their ids */
            (void)get_tags(p, e, n, &n_tags);
            return NULL;
        }
        /* the steps right after the scenario, its examples, its tags */
        n_tags = (uint32_t)bag_tags(tags);
        /* the arrays are written whole: only the node is cleared */
        s = lb__gh_alloc_raw(p->doc,
                             sizeof(*s) + n_steps * sizeof(s->steps[0]) +
                                 n_ex * sizeof(*ex) +
                                 n_tags * sizeof(struct lb_gherkin_tag));
        memset(s, 0, sizeof(*s));
        ex = (struct lb_gherkin_examples *)(void *)(s->steps + n_steps);
        s->n_tags = n_tags;
        fill_bag_tags(p, tags, ex + n_ex);
        s->description = take_description(p, desc);
        s->n_steps = (uint32_t)n_steps;
        get_steps(p, sn->e, sn->n, s->steps);
        s->n_examples = (uint32_t)n_ex;
        low = p->ex_pool.len;
        for (i = 0; i < sn->n && k < n_ex; i++) {
            if (sn->e[i].type == LB__R_EXAMPLES_DEFINITION &&
                sn->e[i].p != NULL) {
                size_t idx = (uintptr_t)sn->e[i].p - 1;

                ex[k++] = p->ex_pool.items[idx];
                if (idx < low)
                    low = idx;
            }
        }
        /* this scenario's examples were the last ones made */
        p->ex_pool.len = low;
        s->id = new_id(p);
        s->location = loc(line, 0);
        s->keyword = line->kw;
        s->name = span_of(p, line->text, line->text_len);
        return s;
    }
    case LB__R_EXAMPLES_DEFINITION: {
        struct lb_gherkin_examples *x;
        const struct bag *xn;
        const struct btok *line;
        const struct table_rows *t;

        /* kept aside until the scenario copies it into its array */
        if (p->ex_pool.len == p->ex_pool.cap &&
            lb_vec_reserve(&p->ex_pool, p->ex_pool.len + 1) != 0)
            LB_BUG("out of memory");
        x = &p->ex_pool.items[p->ex_pool.len];
        memset(x, 0, sizeof(*x));
        x->tags = get_tags(p, e, n, &x->n_tags);
        xn = get_single(e, n, LB__R_EXAMPLES);
        if (xn == NULL)
            return NULL;
        line = get_single(xn->e, xn->n, LB__T_EXAMPLES_LINE);
        if (line == NULL)
            return NULL;
        x->description = get_description(p, xn->e, xn->n);
        /* an ExamplesTable is kept as a table: its rows */
        t = get_single(xn->e, xn->n, LB__R_EXAMPLES_TABLE);
        if (t != NULL) {
            x->header = t->n_rows > 0 ? &t->rows[0] : NULL;
            x->n_body = t->n_rows > 0 ? t->n_rows - 1 : 0;
        }
        x->id = new_id(p);
        x->location = loc(line, 0);
        x->keyword = line->kw;
        x->name = span_of(p, line->text, line->text_len);
        /* an index into a pool, not an address */
        /* NOLINTNEXTLINE(performance-no-int-to-ptr) */
        return (void *)(uintptr_t)++p->ex_pool.len;
    }
    case LB__R_DESCRIPTION: {
        size_t end = n;
        const struct other *first = NULL;
        const struct other *prev = NULL;
        bool verbatim = true;
        size_t i;
        struct lb_gherkin_span sp;

        while (end > 0 && (e[end - 1].type != LB__T_OTHER ||
                           other_of(p, e[end - 1].p)->blank))
            end--;
        /* the lines joined by "\n": verbatim when they sit so in the source */
        for (i = 0; i < end; i++) {
            const struct other *o;

            if (e[i].type != LB__T_OTHER)
                continue;
            o = other_of(p, e[i].p);
            verbatim = verbatim && o->src != NULL;
            if (first == NULL)
                first = o;
            else
                verbatim = verbatim && o->src == prev->src + prev->len + 1 &&
                           prev->src[prev->len] == '\n';
            prev = o;
        }
        if (first == NULL || !verbatim || first->src < p->doc->source ||
            prev->src + prev->len > p->doc->source + p->doc->source_len)
        {
            sp = description_copy(p, e, end);
        } else {
            sp = span_of(
                p, first->src, (size_t)(prev->src + prev->len - first->src));
        }
        PUSH(&p->desc_pool, sp);
        /* an index into a pool, not an address */
        /* NOLINTNEXTLINE(performance-no-int-to-ptr) */
        return (void *)(uintptr_t)p->desc_pool.len;
    }
    case LB__R_FEATURE: {
        const struct bag *h = get_single(e, n, LB__R_FEATURE_HEADER);
        const struct btok *line;
        struct lb_gherkin_feature *f;
        struct lb_gherkin_span fd;

        if (h == NULL)
            return NULL;
        f = xalloc(p, sizeof(*f));
        f->tags = get_tags(p, h->e, h->n, &f->n_tags);
        line = get_single(h->e, h->n, LB__T_FEATURE_LINE);
        if (line == NULL)
            return NULL;
        f->n_children = (uint32_t)count_children(e, n, true);
        if (f->n_children > 0) {
            struct lb_gherkin_child *ch =
                xalloc(p, f->n_children * sizeof(*ch));

            get_children(e, n, true, ch);
            f->children = ch;
        }
        fd = get_description(p, h->e, h->n);
        f->description =
            fd.len > 0
                ? lb__gh_strndup(p->doc, lb_gherkin_text(p->doc, fd), fd.len)
                : "";
        f->language = line->language;
        f->location = loc(line, 0);
        f->keyword = line->kw;
        f->name = line->text ? line->text : "";
        return f;
    }
    case LB__R_RULE: {
        const struct bag *h = get_single(e, n, LB__R_RULE_HEADER);
        const struct btok *line;
        struct lb_gherkin_rule *r;
        size_t n_tags;
        size_t n_children;

        if (h == NULL)
            return NULL;
        line = get_single(h->e, h->n, LB__T_RULE_LINE);
        if (line == NULL)
            return NULL;
        /* the children right after the rule, its tags after them */
        n_tags = count_tags(h->e, h->n);
        n_children = count_children(e, n, false);
        /* the arrays are written whole: only the node is cleared */
        r = lb__gh_alloc_raw(p->doc,
                             sizeof(*r) + n_children * sizeof(r->children[0]) +
                                 n_tags * sizeof(struct lb_gherkin_tag));
        memset(r, 0, sizeof(*r));
        r->n_tags = (uint32_t)n_tags;
        fill_tags(p, h->e, h->n, r->children + n_children);
        r->n_children = (uint32_t)n_children;
        get_children(e, n, false, r->children);
        r->description = get_description(p, h->e, h->n);
        r->id = new_id(p);
        r->location = loc(line, 0);
        r->keyword = line->kw;
        r->name = span_of(p, line->text, line->text_len);
        return r;
    }
    case LB__R_GHERKIN_DOCUMENT:
        return get_single(e, n, LB__R_FEATURE);
    default: {
        struct bag *b = tmp_alloc(p, sizeof(*b) + n * sizeof(b->e[0]));

        b->n = n;
        memcpy(b->e, e, n * sizeof(e[0]));
        return b;
    }
    }
}

/* Rules whose node is kept as is (AstBuilder's default transform). */
static bool is_bag_rule(int rule)
{
    return rule == LB__R_FEATURE_HEADER || rule == LB__R_RULE_HEADER ||
           rule == LB__R_SCENARIO || rule == LB__R_EXAMPLES ||
           rule == LB__R_TAGS;
}

static void end_rule(struct parser *p)
{
    const struct frame *f;
    void *r;

    if (p->tokens_mode)
        return;
    LB_ASSERT(p->frames.len > 0);
    /* transform pushes no frame: the popped one stays where it is */
    f = &p->frames.items[--p->frames.len];
    r = transform(p, f->rule, p->ents.items + f->start, p->ents.len - f->start);
    p->ents.len = f->start;
    p->others.len = f->others;
    if (p->other_text.len != f->other_text)
        lb_buf_setlen(&p->other_text, f->other_text);
    /* a final node: the scratch of its subtree is dead */
    if (!is_bag_rule(f->rule))
        p->tmp = f->tmp;
    push_entry(p, f->rule, r);
}

/* ---- the state machine ---- */

/*
 * The token types the classic matcher can possibly give the line, from its
 * first byte (the same quick rejects as the matchers, so no match call that
 * would fail is made; a state tries up to a dozen types in turn).
 */
static unsigned candidates(const struct parser *p, const struct lb__gh_token *t)
{
    if (p->m.ops != &lb__gh_classic_ops)
        return ~0u;
    if (t->eof)
        return 1u << LB__T_EOF;
    if (t->trim_off == t->len)
        return 1u << LB__T_OTHER | 1u << LB__T_EMPTY;
    return 1u << LB__T_OTHER |
           p->m.gd->first_types[(unsigned char)t->text[t->trim_off]];
}

static void unexpected(struct parser *p, const struct lb__gh_state *st)
{
    if (p->cur.eof) {
        add_error(p,
                  p->cur.line,
                  0,
                  "unexpected end of file, expected: %s",
                  st->expected);
    } else {
        const char *s = p->cur.text + p->cur.trim_off;
        size_t len = lb__gh_rtrim_len(s, p->cur.len - p->cur.trim_off);

        lb_buf_reset(&p->msg);
        lb_buf_addf(&p->msg,
                    "(%d:%d): expected: %s, got '",
                    p->cur.line,
                    p->cur.indent + 1,
                    st->expected);
        lb_buf_add(&p->msg, s, len);
        lb_buf_addch(&p->msg, '\'');
        add_error_msg(p, p->cur.line, p->cur.indent + 1);
    }
}

/*
 * The state's transitions tried in order, as the official parsers do;
 * those whose token type the line cannot be are skipped. The first one
 * whose token matches (and whose lookahead holds) is taken.
 */
static int match_token(struct parser *p, int state)
{
    const struct lb__gh_state *st = &lb__gh_states[state];
    const uint8_t *first_of = lb__gh_first_of[state];
    unsigned cand = candidates(p, &p->cur) & lb__gh_state_types[state];
    const struct lb__gh_transition *tr;
    const uint16_t *op;
    size_t i;

    /*
     * A type is tried at its first transition: a line matches or fails a
     * type the same way at every transition of it (only the lookahead of
     * a TagLine can differ, and that case goes on in order below).
     */
    for (;;) {
        unsigned m = cand;
        unsigned best = 0xFF;
        int type = 0;

        if (m != 0 && (m & (m - 1)) == 0) {
            /* one type possible (often: a line where Other is not) */
            type = __builtin_ctz(m);
            best = first_of[type];
            m = 0;
        }
        while (m != 0) {
            int ty = __builtin_ctz(m);

            m &= m - 1;
            if (first_of[ty] < best) {
                best = first_of[ty];
                type = ty;
            }
        }
        if (best == 0xFF)
            goto unexpected;
        tr = &lb__gh_transitions[st->first + best];
        if (!match(p, &p->cur, type)) {
            cand &= ~(1u << type);
            continue;
        }
        if (tr->lookahead < 0 || lookahead(p, tr->lookahead))
            goto take;
        i = st->first + best + 1;
        break;
    }
    for (; i < (size_t)st->first + st->count; i++) {
        tr = &lb__gh_transitions[i];
        if (!(cand >> tr->token & 1u) || !match(p, &p->cur, tr->token))
            continue;
        if (tr->lookahead >= 0 && !lookahead(p, tr->lookahead))
            continue;
        goto take;
    }
unexpected:
    unexpected(p, st);
    return state;
take:
    /* every transition ends rules, starts rules, builds (grammar.c) */
    for (op = tr->ops; *op == LB__OP_END; op++)
        end_rule(p);
    for (; *op != LB__OP_BUILD; op++)
        start_rule(p, *op >> 8);
    build(p, &p->cur);
    return tr->next;
}

/* Nonzero when a byte of `w` is zero (as a truth value: exact). */
static inline uint64_t has_zero(uint64_t w)
{
    return (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
}

/*
 * lb_utf8_valid with an ASCII fast path (most sources are all ASCII),
 * finding the first NUL byte on the way (`*nul`: its offset, `len` when
 * none): one pass over a big source, not two.
 */
static bool utf8_valid(const char *s, size_t len, size_t *nul)
{
    size_t i = 0;

    *nul = len;
    while (i < len) {
        uint64_t w;
        size_t n;

#ifdef __SSE2__
        while (len - i >= 64) {
            const __m128i *q = (const __m128i *)(const void *)(s + i);
            __m128i a = _mm_loadu_si128(q);
            __m128i b = _mm_loadu_si128(q + 1);
            __m128i c = _mm_loadu_si128(q + 2);
            __m128i d = _mm_loadu_si128(q + 3);
            __m128i z = _mm_setzero_si128();
            /* a high bit (not ASCII) or a zero byte: the slow path */
            __m128i hi = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
            __m128i zero = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(a, z), _mm_cmpeq_epi8(b, z)),
                _mm_or_si128(_mm_cmpeq_epi8(c, z), _mm_cmpeq_epi8(d, z)));

            if (_mm_movemask_epi8(_mm_or_si128(hi, zero)) != 0)
                break;
            i += 64;
        }
#else
        while (len - i >= 32) {
            uint64_t v[4];

            memcpy(v, s + i, 32);
            if ((((v[0] | v[1] | v[2] | v[3]) & 0x8080808080808080ULL) |
                 has_zero(v[0]) | has_zero(v[1]) | has_zero(v[2]) |
                 has_zero(v[3])) != 0)
                break;
            i += 32;
        }
#endif
        if (i == len)
            break;
        if (len - i >= 8) {
            memcpy(&w, s + i, 8);
            if (((w & 0x8080808080808080ULL) | has_zero(w)) == 0) {
                i += 8;
                continue;
            }
        }
        if ((unsigned char)s[i] < 0x80) {
            if (s[i] == '\0' && *nul == len)
                *nul = i;
            i++;
            continue;
        }
        n = lb_utf8_decode((const unsigned char *)s + i, len - i, NULL);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

/*
 * Replaces invalid UTF-8 by U+FFFD as the WHATWG decoder (Node's) does:
 * one replacement per maximal invalid subpart. NULL when `s` is valid,
 * with `*nul` the offset of its first NUL byte (`len`: none).
 */
static char *
decode_utf8(const char *s, size_t len, size_t *out_len, size_t *nul)
{
    const unsigned char *u = (const unsigned char *)s;
    struct lb_buf b = LB_BUF_INIT;
    size_t i = 0;

    if (utf8_valid(s, len, nul))
        return NULL;
    lb_buf_grow(&b, len + len / 2 + 4);
    while (i < len) {
        unsigned char c = u[i];
        size_t need;
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;
        size_t k;

        if (c < 0x80) {
            lb_buf_addch(&b, c);
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        } else {
            lb_buf_add(&b, "\xEF\xBF\xBD", 3);
            i++;
            continue;
        }
        for (k = 1; k <= need; k++) {
            if (i + k >= len || u[i + k] < lo || u[i + k] > hi)
                break;
            lo = 0x80;
            hi = 0xBF;
        }
        if (k > need) {
            lb_buf_add(&b, s + i, need + 1);
            i += need + 1;
        } else {
            /* the bytes seen so far are one maximal subpart */
            lb_buf_add(&b, "\xEF\xBF\xBD", 3);
            i += k;
        }
    }
    return lb_buf_detach(&b, out_len);
}

static void token_release(struct lb__gh_token *t)
{
    lb_vec_release(&t->items);
    lb_buf_release(&t->scratch);
}

static void parser_release(struct parser *p)
{
    p->doc->internal->progress = NULL;
    size_t i;

    token_release(&p->cur);
    for (i = 0; i < p->slots; i++)
        token_release(&p->queue.items[i]);
    lb_vec_release(&p->queue);
    lb_vec_release(&p->frames);
    lb_vec_release(&p->ents);
    lb_vec_release(&p->comments);
    lb_vec_release(&p->others);
    lb_buf_release(&p->other_text);
    lb_vec_release(&p->step_pool);
    lb_vec_release(&p->row_pool);
    lb_vec_release(&p->ex_pool);
    lb_vec_release(&p->desc_pool);
    for (i = 0; i < p->tmp_chunks.len; i++)
        lb_free(p->tmp_chunks.items[i]);
    lb_vec_release(&p->tmp_chunks);
    lb_vec_release(&p->tmp_sizes);
    lb_vec_release(&p->errors);
    lb_buf_release(&p->msg);
}

/* The serial of the last document made (see the internal's `serial`). */
static _Atomic uint64_t doc_serials;

static struct lb_gherkin_document *doc_new(const char *uri,
                                           const struct lb_gherkin_options *o)
{
    struct lb_gherkin_document *doc = lb_calloc(1, sizeof(*doc));

    if (doc == NULL)
        return NULL;
    doc->internal = lb_calloc(1, sizeof(*doc->internal));
    if (doc->internal == NULL) {
        lb_free(doc);
        return NULL;
    }
    /* blocks are sized as the parse goes (next_block) */
    lb_arena_init(&doc->internal->arena, KIB);
    /*
     * Not cleared: most of it is written whole (strings, rows, arrays);
     * lb__gh_alloc clears the rest, as it hands it out.
     */
    doc->internal->arena.raw = 1;
    lb_buf_init(&doc->internal->derived, 0);
    lb_idgen_init(&doc->internal->own_ids, true);
    doc->internal->ids = o && o->ids ? o->ids : &doc->internal->own_ids;
    doc->internal->fmt_ids = *doc->internal->ids;
    doc->internal->id_base = doc->internal->ids->next;
    doc->internal->serial = atomic_fetch_add(&doc_serials, 1) + 1;
    doc->uri = lb__gh_strndup(doc, uri, strlen(uri));
    return doc;
}

void lb_gherkin_document_free(struct lb_gherkin_document *doc)
{
    if (doc == NULL)
        return;
    lb_arena_release(&doc->internal->arena);
    lb_free(doc->internal->owned_source);
    lb_free(doc->internal->owned_comments);
    lb_buf_release(&doc->internal->derived);
    lb_free(doc->internal->step_kws);
    lb_free(doc->internal->index);
    lb_free(doc->internal);
    lb_free(doc);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s);
    size_t b = strlen(suffix);

    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int child_line(const struct lb_gherkin_child *c)
{
    if (lb_gherkin_child_rule(c) != NULL)
        return lb_gherkin_child_rule(c)->location.line;
    if (lb_gherkin_child_scenario(c) != NULL)
        return lb_gherkin_child_scenario(c)->location.line;
    return lb_gherkin_child_background(c)->location.line;
}

const struct lb_gherkin_rule *
lb_gherkin_scenario_rule(const struct lb_gherkin_document *doc,
                         const struct lb_gherkin_scenario *s)
{
    const struct lb_gherkin_feature *f = doc->feature;
    size_t lo = 0;
    size_t hi;

    /*
     * Not stored in the scenario (a big document has millions): a feature's
     * children are in source order, so the child holding `s` is the last
     * one starting on or before its line (a rule, or `s` itself).
     */
    if (f == NULL)
        return NULL;
    hi = f->n_children;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (child_line(&f->children[mid]) <= s->location.line)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    return lb_gherkin_child_rule(&f->children[lo - 1]);
}

/*
 * Makes the document's source: the UTF-8-repaired text, the caller's
 * buffer `owned` (taken), `data` itself (`borrow`), or a copy of `data`;
 * `*nul`: the offset of its first NUL byte (source_len: none). -1 = out
 * of memory.
 */
static int take_source(struct lb_gherkin_document *doc,
                       const char *data,
                       size_t len,
                       char *owned,
                       bool borrow,
                       size_t *nul)
{
    size_t decoded_len = 0;
    char *decoded;

    decoded = decode_utf8(data ? data : "", len, &decoded_len, nul);
    if (decoded != NULL) {
        const char *z = memchr(decoded, '\0', decoded_len);

        doc->internal->owned_source = decoded;
        doc->source = decoded;
        doc->source_len = decoded_len;
        *nul = z != NULL ? (size_t)(z - decoded) : decoded_len;
        lb_free(owned);
    } else if (owned != NULL) {
        /* the caller's buffer becomes the source: no copy of the file */
        doc->internal->owned_source = owned;
        doc->source = owned;
        doc->source_len = len;
    } else if (borrow) {
        /* the caller keeps `data` as long as the document */
        doc->source = data ? data : "";
        doc->source_len = len;
    } else {
        /* a plain copy: the arena would zero it first */
        char *copy = lb_malloc(len + 1);

        if (copy == NULL)
            return -1;
        lb_advise_huge(copy, len);
        memcpy(copy, data ? data : "", len);
        copy[len] = '\0';
        doc->internal->owned_source = copy;
        doc->source = copy;
        doc->source_len = len;
    }
    return 0;
}

/* A NUL byte: C strings cannot carry it, so the file is refused, with where. */
static void refuse_nul(struct parser *p, const char *nul)
{
    const char *ls = p->src;
    const char *q;
    int line = 1;

    for (q = p->src; q < nul; q++) {
        if (*q == '\n') {
            line++;
            ls = q + 1;
        }
    }
    add_error(p,
              line,
              lb__gh_count_cp(ls, (size_t)(nul - ls)) + 1,
              "NUL byte in the input");
    p->stop = true;
}

static void parser_init(struct parser *pp,
                        struct lb_gherkin_document *doc,
                        const struct lb_gherkin_options *o,
                        enum lb_gherkin_media media,
                        struct lb_buf *tokens_out)
{
    size_t len = doc->source_len;

    memset(pp, 0, sizeof(*pp));
    pp->doc = doc;
    pp->arena = &doc->internal->arena;
    pp->src = doc->source;
    pp->src_len = doc->source_len;
    doc->internal->progress = &pp->pos;
    pp->next_line = 1;
    pp->ids = doc->internal->ids;
    pp->id_base = doc->internal->id_base;
    pp->max_errors = o->max_errors ? o->max_errors : 10;
    pp->stop_at_first = (o->flags & LB_GHERKIN_STOP_AT_FIRST_ERROR) != 0;
    pp->tokens_mode = tokens_out != NULL;
    pp->tokens_out = tokens_out;
    pp->m.count_cells_only = tokens_out == NULL;
    /* the builder's scratch: a few hundred bytes for most documents */
    pp->tmp_chunk = 256;
    while (pp->tmp_chunk < len / 64 && pp->tmp_chunk < 65536)
        pp->tmp_chunk *= 2;
    /*
     * The entries of the open rules: the Feature's children stay there
     * until it ends (a big document has hundreds of thousands: bench
     * big.feature one per 192 bytes), so room for one per 128 bytes at
     * once, in huge pages, not a dozen copies and 4 KiB faults as it
     * grows (a small document grows them: its heap per byte stays low).
     */
    if (len >= ((size_t)1 << 20)) {
        if (lb_vec_reserve(&pp->ents, len / 128) != 0)
            LB_BUG("out of memory");
        lb_advise_huge(pp->ents.items, pp->ents.cap * sizeof(*pp->ents.items));
    }
    lb_buf_init(&pp->cur.scratch, 0);
    lb_buf_init(&pp->msg, 0);
    lb_buf_init(&pp->other_text, 0);
    pp->m.dialects = o->dialects;
    pp->m.ops = media == LB_GHERKIN_MEDIA_MARKDOWN ? &lb__gh_markdown_ops
                                                   : &lb__gh_classic_ops;
}

/* Moves the comments and the errors (which void the feature) into `doc`. */
static void keep_comments_and_errors(struct parser *p,
                                     struct lb_gherkin_document *doc)
{
    if (p->comments.len > 0 && p->errors.len == 0) {
        /* the vector's array becomes the document's, trimmed: no copy */
        struct lb_gherkin_comment *c =
            lb_realloc(p->comments.items, p->comments.len * sizeof(*c));

        if (c == NULL)
            c = p->comments.items; /* not trimmed: still good */
        doc->comments = c;
        doc->n_comments = p->comments.len;
        doc->internal->owned_comments = c;
        p->comments.items = NULL;
        p->comments.len = p->comments.cap = 0;
    }
    if (p->errors.len > 0) {
        struct lb_gherkin_parse_error *e =
            xalloc(p, p->errors.len * sizeof(*e));
        size_t i;

        for (i = 0; i < p->errors.len; i++) {
            const char *m = p->errors.items[i].message;
            const char *t = strstr(m, "): ");

            e[i].location.line = p->errors.items[i].line;
            e[i].location.column = p->errors.items[i].column;
            e[i].message = m;
            e[i].text = t ? t + 3 : m;
        }
        doc->errors = e;
        doc->n_errors = p->errors.len;
        doc->feature = NULL;
    }
}

static int run(const char *uri,
               const char *data,
               size_t len,
               char *owned,
               const struct lb_gherkin_options *o,
               struct lb_buf *tokens_out,
               struct lb_gherkin_document **out,
               struct lb_error *err)
{
    struct lb_gherkin_options defaults = LB_GHERKIN_OPTIONS_INIT;
    struct lb_gherkin_document *doc;
    struct parser p;
    const char *lang;
    enum lb_gherkin_media media;
    int state = 0;
    size_t nul_off = 0;

    *out = NULL;
    if (o == NULL)
        o = &defaults;
    if (uri == NULL || (data == NULL && len > 0)) {
        lb_free(owned);
        return lb_error_set(err, LB_EINVAL, "no uri or no data to parse");
    }
    if (len > LB_GHERKIN_MAX_SOURCE) {
        lb_free(owned);
        return lb_error_set(err,
                            LB_ETOOBIG,
                            "%s: document of %zu bytes is too large (at most "
                            "%zu: 2 GiB - 1)",
                            uri,
                            len,
                            (size_t)LB_GHERKIN_MAX_SOURCE);
    }
    doc = doc_new(uri, o);
    if (doc == NULL) {
        lb_free(owned);
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }
    media = o->media;
    if (media == LB_GHERKIN_MEDIA_AUTO)
        media = ends_with(uri, ".md") ? LB_GHERKIN_MEDIA_MARKDOWN
                                      : LB_GHERKIN_MEDIA_PLAIN;
    doc->media = media;
    if (take_source(doc,
                    data,
                    len,
                    owned,
                    (o->flags & LB_GHERKIN_BORROW_SOURCE) != 0,
                    &nul_off) != 0)
    {
        lb_gherkin_document_free(doc);
        return lb_error_set(err, LB_ENOMEM, "out of memory");
    }

    parser_init(&p, doc, o, media, tokens_out);
    lang = o->default_language ? o->default_language : "en";
    if (!lb__gh_change_dialect(&p.m, lang, strlen(lang), 0, 0)) {
        parser_release(&p);
        lb_gherkin_document_free(doc);
        return lb_error_set(
            err, LB_ENOTFOUND, "unknown Gherkin dialect '%s'", lang);
    }

    if (nul_off < p.src_len)
        refuse_nul(&p, p.src + nul_off);

    start_rule(&p, LB__R_GHERKIN_DOCUMENT);
    while (!p.stop) {
        next_token(&p);
        state = match_token(&p, state);
        if (p.cur.eof)
            break;
    }
    if (!p.stop) {
        end_rule(&p);
        if (!p.tokens_mode && p.errors.len == 0) {
            LB_ASSERT(p.ents.len == 1);
            doc->feature = p.ents.items[0].p;
        }
    }
    keep_comments_and_errors(&p, doc);
    parser_release(&p);
    *out = doc;
    if (doc->n_errors > 0) {
        lb_error_set_at(err,
                        LB_EPARSE,
                        doc->uri,
                        doc->errors[0].location.line,
                        doc->errors[0].location.column,
                        "%s",
                        doc->errors[0].text);
        return LB_EPARSE;
    }
    return 0;
}

int lb_gherkin_parse(const char *uri,
                     const char *data,
                     size_t len,
                     const struct lb_gherkin_options *opts,
                     struct lb_gherkin_document **out,
                     struct lb_error *err)
{
    return run(uri, data, len, NULL, opts, NULL, out, err);
}

int lb_gherkin_tokens(const char *uri,
                      const char *data,
                      size_t len,
                      const struct lb_gherkin_options *opts,
                      struct lb_buf *out,
                      struct lb_gherkin_document **errors_out,
                      struct lb_error *err)
{
    struct lb_gherkin_document *doc = NULL;
    int rc = run(uri, data, len, NULL, opts, out, &doc, err);

    if (errors_out != NULL)
        *errors_out = doc;
    else
        lb_gherkin_document_free(doc);
    return rc;
}

int lb_gherkin_parse_file(const char *path,
                          const struct lb_gherkin_options *opts,
                          struct lb_gherkin_document **out,
                          struct lb_error *err)
{
    struct lb_buf b = LB_BUF_INIT;
    int rc;

    *out = NULL;
    rc = lb_buf_read_file(&b, path, err);
    if (rc == 0) {
        size_t len = b.len;
        char *data = lb_buf_detach(&b, NULL);

        return run(path, data, len, data, opts, NULL, out, err);
    }
    lb_buf_release(&b);
    return rc;
}

const char *lb_gherkin_keyword_type_name(enum lb_gherkin_keyword_type t)
{
    static const char *const names[] = {
        "Unknown", "Context", "Action", "Outcome", "Conjunction"};

    return (unsigned)t < 5 ? names[t] : "Unknown";
}

const char *lb_gherkin_pickle_step_type_name(enum lb_gherkin_pickle_step_type t)
{
    static const char *const names[] = {
        "Unknown", "Context", "Action", "Outcome"};

    return (unsigned)t < 4 ? names[t] : "Unknown";
}
