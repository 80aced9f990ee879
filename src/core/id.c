/* Message ids: counters or UUIDs v4 (see id.h). */
#include "core/id.h"

#include <stdio.h>
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
        char tmp[24];
        char *w = tmp + sizeof(tmp);

        do {
            *--w = (char)('0' + ordinal % 10);
            ordinal /= 10;
        } while (ordinal != 0);
        while (w < tmp + sizeof(tmp))
            out[k++] = *w++;
        out[k] = '\0';
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
    /* "%08llx-%04llx-%04llx-%04llx-%012llx" of hi and lo, by hand */
    for (i = 0; i < 16; i++) {
        if (i == 8 || i == 12)
            out[k++] = '-';
        out[k++] = hex[(hi >> (60 - 4 * i)) & 0xF];
    }
    for (i = 0; i < 16; i++) {
        if (i == 0 || i == 4)
            out[k++] = '-';
        out[k++] = hex[(lo >> (60 - 4 * i)) & 0xF];
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
