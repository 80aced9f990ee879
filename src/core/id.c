/* Message ids: counters or UUIDs v4 (see id.h). */
#include "core/id.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void lb_idgen_init(struct lb_idgen *gen, bool predictable)
{
    gen->predictable = predictable;
    gen->next = 0;
    gen->rng = 0;
    if (!predictable &&
        getrandom(&gen->rng, sizeof(gen->rng), 0) != sizeof(gen->rng))
        gen->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    if (gen->rng == 0)
        gen->rng = 0x9E3779B97F4A7C15ULL;
}

/* the 62 bits of a UUID v4's second half that the variant leaves */
#define M62 0x3FFFFFFFFFFFFFFFULL

/* splitmix64's finaliser: a bijection of 64-bit values that mixes well. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

int lb_idgen_format(const struct lb_idgen *gen,
                    uint64_t ordinal,
                    char out[LB_ID_MAX])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t hi;
    uint64_t lo;
    int i;
    int k = 0;

    if (gen->predictable) {
        /* two digits at a time from the last, in place (ids are made by
         * the million) */
        static const char pairs[] = "00010203040506070809"
                                    "10111213141516171819"
                                    "20212223242526272829"
                                    "30313233343536373839"
                                    "40414243444546474849"
                                    "50515253545556575859"
                                    "60616263646566676869"
                                    "70717273747576777879"
                                    "80818283848586878889"
                                    "90919293949596979899";
        /* the number of digits by comparisons: a division per digit is a
         * chain of multiplications the CPU waits on */
        static const uint64_t tens[] = {10ULL,
                                        100ULL,
                                        1000ULL,
                                        10000ULL,
                                        100000ULL,
                                        1000000ULL,
                                        10000000ULL,
                                        100000000ULL,
                                        1000000000ULL,
                                        10000000000ULL,
                                        100000000000ULL,
                                        1000000000000ULL,
                                        10000000000000ULL,
                                        100000000000000ULL,
                                        1000000000000000ULL,
                                        10000000000000000ULL,
                                        100000000000000000ULL,
                                        1000000000000000000ULL,
                                        10000000000000000000ULL};

        k = 1;
        while (k <= 19 && ordinal >= tens[k - 1])
            k++;
        out[k] = '\0';
        i = k;
        while (ordinal >= 100) {
            unsigned d = (unsigned)(ordinal % 100) * 2;

            ordinal /= 100;
            out[--i] = pairs[d + 1];
            out[--i] = pairs[d];
        }
        if (ordinal >= 10) {
            out[--i] = pairs[ordinal * 2 + 1];
            out[--i] = pairs[ordinal * 2];
        } else {
            out[--i] = (char)('0' + ordinal);
        }
        return k;
    }
    /*
     * lo carries a bijection of the ordinal (mixed with the seed) in the
     * 62 bits the variant leaves, so ordinals below 2^62 give distinct
     * UUIDs; hi is 60 more bits that look random (a different seed per run).
     */
    /* each step is a bijection of 62-bit values (odd multiplier mod 2^62,
     * xorshift, xor with the seed) */
    lo = (ordinal * 0x9E3779B97F4A7C15ULL) & M62;
    lo ^= lo >> 31;
    lo = ((lo ^ gen->rng) * 0xBF58476D1CE4E5B9ULL) & M62;
    lo ^= lo >> 29;
    hi = mix64(ordinal + mix64(gen->rng));
    hi = (hi & ~0xF000ULL) | 0x4000ULL; /* version 4 */
    lo |= 0x8000000000000000ULL;        /* variant */
    /* "%08llx-%04llx-%04llx-%04llx-%012llx" of hi and lo, by hand, a
     * byte (two digits) at a time; the dashes after bytes 4, 6, 8, 10 */
    for (i = 0; i < 16; i++) {
        unsigned byte =
            (unsigned)((i < 8 ? hi >> (56 - 8 * i) : lo >> (56 - 8 * (i - 8))) &
                       0xFF);

        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        out[k++] = hex[byte >> 4];
        out[k++] = hex[byte & 0xF];
    }
    out[k] = '\0';
    return k;
}

int lb_idgen_next(struct lb_idgen *gen, char out[LB_ID_MAX])
{
    return lb_idgen_format(gen, gen->next++, out);
}

uint64_t lb_idgen_take(struct lb_idgen *gen, uint64_t n)
{
    uint64_t first = gen->next;

    gen->next += n;
    return first;
}

/* The inverse of an odd multiplier modulo 2^64 (Newton's iteration). */
static uint64_t inverse_odd(uint64_t a)
{
    uint64_t x = a; /* right to 3 bits: a * a == 1 mod 8 */
    int i;

    for (i = 0; i < 5; i++)
        x *= 2 - a * x;
    return x;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool lb_idgen_parse(const struct lb_idgen *gen,
                    const char *text,
                    uint64_t *ordinal)
{
    char again[LB_ID_MAX];
    uint64_t x = 0;
    size_t len = strlen(text);
    size_t i;

    *ordinal = 0;
    if (len == 0 || len >= LB_ID_MAX)
        return false;
    if (gen->predictable) {
        for (i = 0; i < len; i++) {
            if (text[i] < '0' || text[i] > '9' || x > UINT64_MAX / 10 - 1)
                return false;
            x = x * 10 + (uint64_t)(text[i] - '0');
        }
    } else {
        /* lo is the last 16 hex digits ("xxxx-xxxxxxxxxxxx"): undo its
         * steps in reverse order (see lb_idgen_format) */
        if (len != 36 || text[23] != '-')
            return false;
        for (i = 19; i < len; i++) {
            int d = hex_digit(text[i]);

            if (i == 23)
                continue;
            if (d < 0)
                return false;
            x = x << 4 | (uint64_t)d;
        }
        x &= M62;
        x ^= x >> 29 ^ x >> 58;
        x = ((x * inverse_odd(0xBF58476D1CE4E5B9ULL)) & M62) ^ (gen->rng & M62);
        x ^= x >> 31;
        x = (x * inverse_odd(0x9E3779B97F4A7C15ULL)) & M62;
    }
    /* only the canonical text names it (no leading zero, the hi half) */
    if (lb_idgen_format(gen, x, again) != (int)len ||
        memcmp(again, text, len) != 0)
        return false;
    *ordinal = x;
    return true;
}
