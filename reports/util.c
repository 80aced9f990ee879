/*
 * Text helpers of the report formatters: XML escaping that keeps a report
 * legal whatever a step message contains, JUnit names, Cucumber-JVM ids,
 * durations in the C locale (integer arithmetic, never printf("%f")).
 */
#include <openssl/evp.h>
#include <string.h>

#include "core/alloc.h"
#include "reports/internal.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Length of an ANSI escape sequence at s[0] == ESC: CSI (ESC [ ... final
 * byte), OSC (ESC ] ... BEL or ESC \) or a two-byte escape. */
static size_t ansi_len(const unsigned char *s, size_t len)
{
    size_t i;

    if (len < 2)
        return 1;
    if (s[1] == '[') {
        for (i = 2; i < len; i++)
            if (s[i] >= 0x40 && s[i] <= 0x7E)
                return i + 1;
        return len;
    }
    if (s[1] == ']') {
        for (i = 2; i < len; i++) {
            if (s[i] == 0x07)
                return i + 1;
            if (s[i] == 0x1B && i + 1 < len && s[i + 1] == '\\')
                return i + 2;
        }
        return len;
    }
    return s[1] >= 0x20 && s[1] < 0x7F ? 2 : 1;
}

static int xml_legal(unsigned cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD ||
           (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

enum esc_mode { ESC_TEXT, ESC_ATTR, ESC_CDATA, ESC_PLAIN };

/*
 * The one scanner behind all escaping: walks UTF-8, drops ANSI escapes,
 * replaces invalid bytes with U+FFFD, makes characters illegal in XML
 * visible, and escapes according to `mode`.
 */
static void escape(struct lb_buf *b, const char *str, size_t len, int mode)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, run = 0;

    while (i < len) {
        unsigned cp = s[i];
        size_t n = 1;
        const char *rep = NULL;
        char tmp[16];

        if (cp >= 0x80) {
            n = lb_utf8_decode(s + i, len - i, &cp);
            if (n == 0) {
                n = 1;
                rep = replacement;
            }
        } else if (cp == 0x1B) {
            n = ansi_len(s + i, len - i);
            rep = "";
        } else if (mode == ESC_TEXT || mode == ESC_ATTR) {
            switch (cp) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = mode == ESC_ATTR ? "&quot;" : NULL;
                break;
            case '\n':
                rep = mode == ESC_ATTR ? "&#10;" : NULL;
                break;
            case '\r':
                rep = mode == ESC_ATTR ? "&#13;" : NULL;
                break;
            case '\t':
                rep = mode == ESC_ATTR ? "&#9;" : NULL;
                break;
            default:
                break;
            }
        } else if (mode == ESC_CDATA && cp == ']' && i + 2 < len &&
                   s[i + 1] == ']' && s[i + 2] == '>')
        {
            /* "]]>" ends a CDATA section: close after "]]", reopen for ">". */
            n = 3;
            rep = "]]]]><![CDATA[>";
        }
        if (!rep && mode != ESC_PLAIN && !xml_legal(cp)) {
            if (cp < 0x100)
                (void)snprintf(tmp, sizeof(tmp), "\\x%02X", cp);
            else
                (void)snprintf(tmp, sizeof(tmp), "\\u%04X", cp);
            rep = tmp;
        }
        if (rep) {
            if (run)
                (void)lb_buf_add(b, str + i - run, run);
            run = 0;
            (void)lb_buf_adds(b, rep);
        } else {
            run += n;
        }
        i += n;
    }
    if (run)
        (void)lb_buf_add(b, str + i - run, run);
}

void lb__xml_escape(struct lb_buf *b, const char *s, size_t len, int attr)
{
    escape(b, s, len, attr ? ESC_ATTR : ESC_TEXT);
}

void lb__xml_cdata(struct lb_buf *b, const char *s, size_t len)
{
    (void)lb_buf_adds(b, "<![CDATA[");
    escape(b, s, len, ESC_CDATA);
    (void)lb_buf_adds(b, "]]>");
}

void lb__text_clean(struct lb_buf *b, const char *s, size_t len)
{
    escape(b, s, len, ESC_PLAIN);
}

size_t lb__utf8_width(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, w = 0;

    while (i < len) {
        size_t n = u[i] < 0x80 ? 1 : lb_utf8_decode(u + i, len - i, NULL);
        i += n ? n : 1;
        w++;
    }
    return w;
}

void lb__seconds(struct lb_buf *b, int64_t ns)
{
    int64_t ms = ns <= 0 ? 0 : (ns + 500000) / 1000000;
    char frac[8];
    int k;

    if (ms % 1000 == 0) {
        (void)lb_buf_addf(b, "%lld", (long long)(ms / 1000));
        return;
    }
    (void)snprintf(frac, sizeof(frac), "%03d", (int)(ms % 1000));
    for (k = 2; k > 0 && frac[k] == '0'; k--)
        frac[k] = '\0';
    (void)lb_buf_addf(b, "%lld.%s", (long long)(ms / 1000), frac);
}

void lb__minutes_seconds(struct lb_buf *b, int64_t ns)
{
    int64_t ms = ns <= 0 ? 0 : (ns + 500000) / 1000000;

    (void)lb_buf_addf(b,
                      "%lldm%02d.%03ds",
                      (long long)(ms / 60000),
                      (int)(ms / 1000 % 60),
                      (int)(ms % 1000));
}

void lb__json_id(struct lb_buf *b, const char *name)
{
    const char *p;

    for (p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
            c == '\v' || c == '\'' || c == '_' || c == ',' || c == '!')
            c = '-';
        else if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        (void)lb_buf_addch(b, c);
    }
}

void lb__base64(struct lb_buf *b, const void *data, size_t len)
{
    const unsigned char *p = data;

    /* In chunks, so the int length EVP_EncodeBlock takes never overflows. */
    while (len > 0) {
        size_t chunk = len > (size_t)3 * 65536 ? (size_t)3 * 65536 : len;
        size_t need = 4 * ((chunk + 2) / 3);

        if (lb_buf_grow(b, need + 1) != 0)
            return;
        (void)EVP_EncodeBlock((unsigned char *)b->ptr + b->len, p, (int)chunk);
        lb_buf_setlen(b, b->len + need);
        p += chunk;
        len -= chunk;
    }
}

static void add_part(struct lb_buf *b, const char *s)
{
    if (!s || !*s)
        return;
    if (b->len)
        (void)lb_buf_adds(b, " - ");
    (void)lb_buf_adds(b, s);
}

void lb__junit_name(struct lb__model *m,
                    const struct lb__pickle *pickle,
                    struct lb_buf *b)
{
    const struct lb__node *rule = lb__model_rule(m, pickle);
    const struct lb__node *sc = lb__model_scenario(m, pickle);
    const struct lb__node *ex;
    struct lb_buf name = LB_BUF_INIT;
    int ei = 0, ri = 0;
    const char *pname = pickle ? pickle->name : "";

    if (rule)
        add_part(&name, rule->name);
    add_part(&name, sc ? sc->name : pname);
    ex = sc ? lb__model_examples(m, pickle, &ei, &ri) : NULL;
    if (ex) {
        add_part(&name, ex->name);
        if (name.len)
            (void)lb_buf_adds(&name, " - ");
        (void)lb_buf_addf(&name, "#%d.%d", ei, ri);
        if (strcmp(pname, sc->name) != 0)
            (void)lb_buf_addf(&name, ": %s", pname);
    }
    (void)lb_buf_add(b, name.ptr, name.len);
    lb_buf_release(&name);
}

void lb__step_line(struct lb_buf *b,
                   const char *keyword,
                   const char *text,
                   const char *status)
{
    size_t w = lb__utf8_width(keyword, strlen(keyword)) +
               lb__utf8_width(text, strlen(text));

    (void)lb_buf_adds(b, keyword);
    (void)lb_buf_adds(b, text);
    for (; w < 76; w++)
        (void)lb_buf_addch(b, '.');
    (void)lb_buf_adds(b, status);
    (void)lb_buf_addch(b, '\n');
}
