/* SPDX-License-Identifier: MIT */
/* xoshiro256** with SplitMix64 seeding; see rng.h.  Algorithms by
 * Blackman and Vigna (public domain reference code, reimplemented). */
#include "synth/rng.h"

uint64_t rng_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

static uint64_t splitmix_next(uint64_t *state)
{
    *state += UINT64_C(0x9e3779b97f4a7c15);
    return rng_mix64(*state);
}

void rng_seed(struct rng *r, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
              uint64_t e)
{
    uint64_t h = rng_mix64(a + UINT64_C(0x9e3779b97f4a7c15));
    int i;

    h = rng_mix64(h ^ (b + UINT64_C(0x632be59bd9b4e019)));
    h = rng_mix64(h ^ (c + UINT64_C(0x8cb92ba72f3d8dd7)));
    h = rng_mix64(h ^ (d + UINT64_C(0xd1b54a32d192ed03)));
    h = rng_mix64(h ^ (e + UINT64_C(0xaef17502108ef2d9)));
    for (i = 0; i < 4; i++)
        r->s[i] = splitmix_next(&h);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1; /* the all-zero state is a fixed point */
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
    uint64_t threshold, x;

    if (n <= 1)
        return 0;
    threshold = (0 - n) % n; /* 2^64 mod n: values below are rejected */
    do
        x = rng_next(r);
    while (x < threshold);
    return x % n;
}

int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo) + 1);
}

bool rng_chance(struct rng *r, unsigned permille)
{
    return rng_below(r, 1000) < permille;
}
