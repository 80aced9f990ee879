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

static uint64_t next_random(struct lb_idgen *gen)
{
    /* xorshift64*: ids need uniqueness, not secrecy */
    uint64_t x = gen->rng;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    gen->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

int lb_idgen_next(struct lb_idgen *gen, char out[LB_ID_MAX])
{
    uint64_t hi;
    uint64_t lo;

    if (gen->predictable)
        return snprintf(
            out, LB_ID_MAX, "%llu", (unsigned long long)gen->next++);
    hi = next_random(gen);
    lo = next_random(gen);
    hi = (hi & ~0xF000ULL) | 0x4000ULL;                         /* version 4 */
    lo = (lo & ~0xC000000000000000ULL) | 0x8000000000000000ULL; /* variant */
    /*
     * "%08llx-%04llx-%04llx-%04llx-%012llx" of hi and lo, by hand: the
     * parser makes an id per AST node and pickle step, and snprintf was
     * most of its time in the runner's (UUID) mode.
     */
    {
        static const char hex[] = "0123456789abcdef";
        int i;
        int k = 0;

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
}
