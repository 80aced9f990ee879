/*
 * The Markdown with Gherkin matcher (`.feature.md`), after the official
 * GherkinInMarkdownTokenMatcher: "# Feature:" headers, "* Given" bullets,
 * tables indented 2 to 5 blanks, GFM table separators ignored, tags in
 * backticks, ``` fences as DocStrings, any other line Empty.
 *
 * Its side effects are reproduced on purpose: matching Empty tries every
 * other matcher (so it can open a DocString fence or use up the Feature
 * line), and the first line that is no header still counts as the Feature
 * line. Columns of Empty, TagLine and separator tokens follow the testdata
 * (the JavaScript matcher leaves them unset there).
 */
#include <string.h>

#include "gherkin/internal.h"

static void set_col(struct lb__gh_parser *p, struct lb__gh_token *t, int indent)
{
    t->column = (indent < 0 ? (t->eof ? 0 : t->indent) : indent) + 1;
    t->dialect = p->dialect;
}

static void set_fields(struct lb__gh_token *t,
                       int type,
                       const char *text,
                       size_t text_len,
                       const char *kw,
                       size_t kw_len,
                       int kw_type)
{
    t->type = type;
    t->mtext = text;
    t->mtext_len = text_len;
    t->kw = kw;
    t->kw_len = kw_len;
    t->kw_type = kw_type;
}

/* Text up to a JavaScript line terminator (what `.` of a regex takes). */
static size_t dot_star(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] == '\r' || s[i] == '\n')
            return i;
        if ((unsigned char)s[i] == 0xE2 && i + 2 < len &&
            (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0xA8 ||
             (unsigned char)s[i + 2] == 0xA9))
            return i;
    }
    return len;
}

static enum lb_gherkin_keyword_type kw_type_of(const struct lb__gh_dialect *d,
                                               const char *kw,
                                               size_t len,
                                               bool *found)
{
    size_t i;

    for (i = 0; i < d->n_steps; i++) {
        if (d->steps[i].len == len && memcmp(d->steps[i].kw, kw, len) == 0) {
            *found = true;
            return d->steps[i].type;
        }
    }
    *found = false;
    return LB_GHERKIN_KEYWORD_UNKNOWN;
}

/*
 * ^(PREFIX)(KW1|KW2|...)SUFFIX(.*) on the trimmed line; the first keyword
 * in list order that matches wins, as in a regex alternation.
 */
static bool title_line(struct lb__gh_parser *p,
                       struct lb__gh_token *t,
                       bool bullet,
                       const char *const *kws,
                       size_t n_kws,
                       bool colon,
                       int type)
{
    const char *s = t->text + t->trim_off;
    size_t len = t->len - t->trim_off;
    size_t pre = 0;
    size_t i;
    size_t n;

    if (bullet) {
        /* \s*[*+-]\s* (the line is trimmed already) */
        if (len == 0 || (s[0] != '*' && s[0] != '+' && s[0] != '-')) {
            set_col(p, t, t->indent);
            return false;
        }
        pre = 1 + lb__gh_ltrim(s + 1, len - 1);
    } else {
        while (pre < len && pre < 6 && s[pre] == '#')
            pre++;
        if (pre == 0 || pre >= len ||
            !lb__gh_is_js_space((const unsigned char *)s + pre, len - pre, &n))
        {
            set_col(p, t, t->indent);
            return false;
        }
        pre += n;
    }
    for (i = 0; i < n_kws; i++) {
        const char *kw = kws[i];
        size_t kl = strlen(kw);

        if (bullet && strcmp(kw, "* ") == 0)
            continue;
        if (len - pre >= kl + (colon ? 1 : 0) && memcmp(s + pre, kw, kl) == 0 &&
            (!colon || s[pre + kl] == ':'))
        {
            const char *rest = s + pre + kl + (colon ? 1 : 0);
            size_t rl = dot_star(rest, len - pre - kl - (colon ? 1 : 0));
            size_t lead = lb__gh_ltrim(rest, rl);
            bool found;
            enum lb_gherkin_keyword_type kt = kw_type_of(p->gd, kw, kl, &found);

            set_fields(t,
                       type,
                       rest + lead,
                       lb__gh_rtrim_len(rest + lead, rl - lead),
                       kw,
                       kl,
                       found ? (int)kt : t->kw_type);
            set_col(p, t, t->indent + lb__gh_count_utf16(s, pre));
            t->items.len = 0;
            return true;
        }
    }
    set_col(p, t, t->indent);
    return false;
}

/* The step keywords of the dialect without "* ", longest first. */
static bool md_step(struct lb__gh_parser *p, struct lb__gh_token *t)
{
    const struct lb__gh_dialect *d = p->gd;
    const char *kws[64];
    size_t n = 0;
    size_t i;
    size_t j;

    for (i = 0; i < d->n_steps && n < 64; i++) {
        bool dup = false;

        for (j = 0; j < n; j++)
            dup = dup || strcmp(kws[j], d->steps[i].kw) == 0;
        if (!dup)
            kws[n++] = d->steps[i].kw;
    }
    return title_line(p, t, true, kws, n, false, LB__T_STEP_LINE);
}

static bool gfm_separator(const struct lb__gh_token *t)
{
    size_t i;

    for (i = 0; i < t->items.len; i++) {
        const char *s = t->items.items[i].text;
        size_t len = t->items.items[i].len;
        size_t a = 0;
        size_t b = len;

        if (a < b && s[a] == ':')
            a++;
        if (b > a && s[b - 1] == ':')
            b--;
        if (b > a && strspn(s + a, "-") >= b - a)
            return true;
    }
    return false;
}

static bool md_table_row(struct lb__gh_parser *p, struct lb__gh_token *t)
{
    size_t i = 0;
    int spaces = 0;
    size_t n;

    /* ^\s\s\s?\s?\s?\| on the whole line */
    while (
        spaces < 5 && i < t->len &&
        lb__gh_is_js_space((const unsigned char *)t->text + i, t->len - i, &n))
    {
        i += n;
        spaces++;
    }
    if (spaces < 2 || i >= t->len || t->text[i] != '|')
        return false;
    lb__gh_table_cells(t);
    if (gfm_separator(t))
        return false;
    {
        size_t keep = t->items.len;

        set_fields(t, LB__T_TABLE_ROW, NULL, 0, "|", 1, t->kw_type);
        t->items.len = keep;
        t->n_cells = keep;
    }
    set_col(p, t, t->indent);
    return true;
}

static bool md_tag_line(struct lb__gh_parser *p, struct lb__gh_token *t)
{
    const char *s = t->text + t->trim_off;
    size_t len = t->len - t->trim_off;
    size_t i = 0;

    t->items.len = 0;
    /* `(@[^`]+)` anywhere, left to right */
    while (i < len) {
        const char *bt = memchr(s + i, '`', len - i);
        size_t a;
        const char *close;

        if (bt == NULL)
            break;
        a = (size_t)(bt - s);
        if (a + 2 < len && s[a + 1] == '@' &&
            (close = memchr(s + a + 2, '`', len - a - 2)) != NULL &&
            close > s + a + 2)
        {
            struct lb__gh_item it;

            it.column = t->indent + lb__gh_count_utf16(s, a) + 2;
            it.text = s + a + 1;
            it.len = (size_t)(close - (s + a + 1));
            (void)lb_vec_push(&t->items, it);
            i = (size_t)(close - s) + 1;
        } else {
            i = a + 1;
        }
    }
    if (t->items.len == 0)
        return false;
    {
        size_t keep = t->items.len;

        set_fields(t, LB__T_TAG_LINE, NULL, 0, NULL, 0, -1);
        t->items.len = keep;
    }
    set_col(p, t, t->indent);
    return true;
}

static bool md_doc_string_sep(struct lb__gh_parser *p, struct lb__gh_token *t)
{
    const char *s = t->text + t->trim_off;
    size_t len = t->len - t->trim_off;
    size_t fence = 0;

    if (p->doc_sep == NULL) {
        /* ^(```[`]*)(.*) */
        while (fence < len && s[fence] == '`')
            fence++;
        if (fence < 3) {
            set_col(p, t, -1);
            return false;
        }
        p->doc_sep = s; /* the fence lives in the source */
        p->doc_sep_len = fence;
        p->indent_to_remove = t->indent;
        set_fields(t,
                   LB__T_DOC_STRING_SEPARATOR,
                   s + fence,
                   dot_star(s + fence, len - fence),
                   s,
                   fence,
                   t->kw_type);
    } else {
        /* ^(FENCE)$ */
        if (len != p->doc_sep_len || memcmp(s, p->doc_sep, len) != 0) {
            set_col(p, t, -1);
            return false;
        }
        p->doc_sep = NULL;
        set_fields(t, LB__T_DOC_STRING_SEPARATOR, "", 0, s, len, t->kw_type);
    }
    t->items.len = 0;
    set_col(p, t, -1);
    return true;
}

static bool md_feature_line(struct lb__gh_parser *p, struct lb__gh_token *t)
{
    if (p->md_matched_feature) {
        set_col(p, t, -1);
        return false;
    }
    if (!title_line(p,
                    t,
                    false,
                    p->dialect->feature.items,
                    p->dialect->feature.len,
                    true,
                    LB__T_FEATURE_LINE))
    {
        /* not a header: the first such line is the Feature line anyway */
        t->type = LB__T_FEATURE_LINE;
        t->mtext = t->text + t->trim_off;
        t->mtext_len = t->len - t->trim_off;
        set_col(p, t, -1);
    }
    p->md_matched_feature = true;
    return true;
}

static bool md_match(struct lb__gh_parser *p, struct lb__gh_token *t, int type);

static bool md_comment(struct lb__gh_parser *p, struct lb__gh_token *t)
{
    const char *s = t->text + t->trim_off;
    size_t len = t->len - t->trim_off;

    if (len > 0 && s[0] == '|') {
        lb__gh_table_cells(t);
        if (gfm_separator(t)) {
            /* printed as the testdata does: an Empty token at column 1 */
            set_fields(t, LB__T_EMPTY, NULL, 0, NULL, 0, -1);
            t->items.len = 0;
            set_col(p, t, 0);
            return true;
        }
    }
    set_col(p, t, -1);
    return false;
}

static bool md_empty(struct lb__gh_parser *p, struct lb__gh_token *t)
{
    static const int others[] = {LB__T_TAG_LINE,
                                 LB__T_FEATURE_LINE,
                                 LB__T_SCENARIO_LINE,
                                 LB__T_BACKGROUND_LINE,
                                 LB__T_EXAMPLES_LINE,
                                 LB__T_RULE_LINE,
                                 LB__T_TABLE_ROW,
                                 LB__T_COMMENT,
                                 LB__T_LANGUAGE,
                                 LB__T_DOC_STRING_SEPARATOR,
                                 LB__T_EOF,
                                 LB__T_STEP_LINE};
    bool result = t->trim_off == t->len;
    bool any = false;
    size_t i;

    for (i = 0; i < sizeof(others) / sizeof(others[0]) && !any; i++)
        any = md_match(p, t, others[i]);
    if (!any)
        result = true; /* neutered: any other Markdown is empty */
    if (result) {
        set_fields(t, LB__T_EMPTY, NULL, 0, NULL, 0, -1);
        t->items.len = 0;
        set_col(p, t, 0);
    } else {
        set_col(p, t, -1);
    }
    return result;
}

static bool md_match(struct lb__gh_parser *p, struct lb__gh_token *t, int type)
{
    const struct lb_gherkin_dialect *d = p->dialect;

    switch (type) {
    case LB__T_EOF:
        set_col(p, t, -1);
        if (!t->eof)
            return false;
        set_fields(t, LB__T_EOF, NULL, 0, NULL, 0, -1);
        t->items.len = 0;
        return true;
    case LB__T_EMPTY:
        return md_empty(p, t);
    case LB__T_COMMENT:
        return md_comment(p, t);
    case LB__T_TAG_LINE:
        return md_tag_line(p, t);
    case LB__T_FEATURE_LINE:
        return md_feature_line(p, t);
    case LB__T_RULE_LINE:
        return title_line(
            p, t, false, d->rule.items, d->rule.len, true, LB__T_RULE_LINE);
    case LB__T_BACKGROUND_LINE:
        return title_line(p,
                          t,
                          false,
                          d->background.items,
                          d->background.len,
                          true,
                          LB__T_BACKGROUND_LINE);
    case LB__T_SCENARIO_LINE:
        return title_line(p,
                          t,
                          false,
                          d->scenario.items,
                          d->scenario.len,
                          true,
                          LB__T_SCENARIO_LINE) ||
               title_line(p,
                          t,
                          false,
                          d->scenario_outline.items,
                          d->scenario_outline.len,
                          true,
                          LB__T_SCENARIO_LINE);
    case LB__T_EXAMPLES_LINE:
        return title_line(p,
                          t,
                          false,
                          d->examples.items,
                          d->examples.len,
                          true,
                          LB__T_EXAMPLES_LINE);
    case LB__T_STEP_LINE:
        return md_step(p, t);
    case LB__T_DOC_STRING_SEPARATOR:
        return md_doc_string_sep(p, t);
    case LB__T_TABLE_ROW:
        return md_table_row(p, t);
    case LB__T_LANGUAGE:
        return false; /* no '# language:' in Markdown, as upstream */
    case LB__T_OTHER: {
        const char *s;
        size_t len;

        lb__gh_line_text(t, p->indent_to_remove, &s, &len);
        set_fields(t, LB__T_OTHER, s, len, NULL, 0, -1);
        t->items.len = 0;
        set_col(p, t, -1);
        return true;
    }
    default:
        return false;
    }
}

static bool
markdown_match(struct lb__gh_parser *p, struct lb__gh_token *t, int type)
{
    /* the parser never hands EOF to a matcher other than EOF's */
    if (t->eof && type != LB__T_EOF)
        return false;
    return md_match(p, t, type);
}

const struct lb__gh_matcher_ops lb__gh_markdown_ops = {markdown_match};
