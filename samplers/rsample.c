/* SPDX-License-Identifier: MIT */
/*
 * R's Mersenne-Twister, set.seed scrambling, R_unif_index and sample();
 * see rsample.h.  Written from the algorithms as R documents and
 * implements them (MT19937 by Matsumoto and Nishimura, 1998; R's seeding
 * by an LCG 69069 x + 1; R 3.6.0's rejection sampling), and checked
 * against vectors computed by R in tests/unit/test_samplers.c.
 */
#include "samplers/rsample.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MT_N 624
#define MT_M 397
#define MT_MATRIX_A 0x9908b0dfU
#define MT_UPPER 0x80000000U
#define MT_LOWER 0x7fffffffU
#define I2_32M1 2.328306437080797e-10 /* 1 / (2^32 - 1) */

void r_rng_seed(struct r_rng *g, int32_t seed)
{
    /* R: Int32 (unsigned) arithmetic modulo 2^32. */
    uint32_t s = (uint32_t)seed;
    int j;

    for (j = 0; j < 50; j++)
        s = 69069U * s + 1U;
    for (j = 0; j < 625; j++) {
        s = 69069U * s + 1U;
        g->mt[j] = s;
    }
    /* FixupSeeds(initial): dummy[0] = mti = N, so the first draw
     * regenerates the whole state. */
    g->mt[0] = MT_N;
}

static uint32_t mt_next(struct r_rng *g)
{
    static const uint32_t mag01[2] = {0x0U, MT_MATRIX_A};
    uint32_t *mt = g->mt + 1;
    uint32_t mti = g->mt[0];
    uint32_t y;

    if (mti >= MT_N) {
        int kk;

        for (kk = 0; kk < MT_N - MT_M; kk++) {
            y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER);
            mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 1U];
        }
        for (; kk < MT_N - 1; kk++) {
            y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER);
            mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1U];
        }
        y = (mt[MT_N - 1] & MT_UPPER) | (mt[0] & MT_LOWER);
        mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1U];
        mti = 0;
    }
    y = mt[mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    g->mt[0] = mti;
    return y;
}

double r_rng_unif(struct r_rng *g)
{
    double x = (double)mt_next(g) * 2.3283064365386963e-10; /* [0,1) */

    /* fixup(): never 0 or 1 */
    if (x <= 0.0)
        return 0.5 * I2_32M1;
    if (1.0 - x <= 0.0)
        return 1.0 - 0.5 * I2_32M1;
    return x;
}

/* rbits(): a uniform integer below 2^bits from 16-bit chunks. */
static double rbits(struct r_rng *g, int bits)
{
    int_least64_t v = 0;
    int n;

    for (n = 0; n <= bits; n += 16) {
        int v1 = (int)floor(r_rng_unif(g) * 65536);

        v = 65536 * v + v1;
    }
    return (double)(v & (((int_least64_t)1 << bits) - 1));
}

double r_rng_unif_index(struct r_rng *g, double dn)
{
    int bits;
    double dv;

    if (dn <= 0)
        return 0.0;
    bits = (int)ceil(log2(dn));
    do {
        dv = rbits(g, bits);
    } while (dn <= dv);
    return dv;
}

/* do_sample's partial Fisher-Yates: x[j] = x[--n]. */
static enum ca_status sample_fy(struct r_rng *g, uint64_t N, uint64_t k,
                                uint64_t *out, struct ca_error *err)
{
    int *x;
    int n = (int)N;
    uint64_t i;

    if (k < 2) {
        /* R avoids the allocation; same draws. */
        for (i = 0; i < k; i++)
            out[i] = (uint64_t)r_rng_unif_index(g, (double)n) + 1;
        return CA_OK;
    }
    x = malloc(N * sizeof(*x));
    if (!x)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                            "out of memory drawing sample(%llu, %llu)",
                            (unsigned long long)N, (unsigned long long)k);
    for (i = 0; i < N; i++)
        x[i] = (int)i;
    for (i = 0; i < k; i++) {
        int j = (int)r_rng_unif_index(g, (double)n);

        out[i] = (uint64_t)x[j] + 1;
        x[j] = x[--n];
    }
    free(x);
    return CA_OK;
}

/* A small open-addressing set of drawn values for sample2. */
struct drawn_set {
    uint64_t *slot; /* 0 = empty (values are 1-based) */
    size_t mask;
};

static size_t set_hash(uint64_t v, size_t mask)
{
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    return (size_t)v & mask;
}

/* Returns 1 when v was already in the set, else inserts it and returns 0. */
static int set_insert(struct drawn_set *s, uint64_t v)
{
    size_t i = set_hash(v, s->mask);

    while (s->slot[i]) {
        if (s->slot[i] == v)
            return 1;
        i = (i + 1) & s->mask;
    }
    s->slot[i] = v;
    return 0;
}

/* do_sample2: draw R_unif_index(dn) + 1, retrying a duplicate up to 100
 * times in all (R keeps the 100th draw even when it is a duplicate). */
static enum ca_status sample_hash(struct r_rng *g, uint64_t N, uint64_t k,
                                  uint64_t *out, struct ca_error *err)
{
    struct drawn_set s;
    size_t size = 16;
    uint64_t i;

    while (size < 2 * k + 2)
        size *= 2;
    s.slot = calloc(size, sizeof(*s.slot));
    s.mask = size - 1;
    if (!s.slot)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                            "out of memory drawing sample(%llu, %llu)",
                            (unsigned long long)N, (unsigned long long)k);
    for (i = 0; i < k; i++) {
        int j;

        for (j = 0; j < 100; j++) {
            out[i] = (uint64_t)(int)(r_rng_unif_index(g, (double)N) + 1);
            if (!set_insert(&s, out[i]))
                break;
        }
    }
    free(s.slot);
    return CA_OK;
}

enum ca_status r_sample(struct r_rng *g, uint64_t N, uint64_t k, uint64_t *out,
                        struct ca_error *err)
{
    if (N > R_SAMPLE_MAX_N)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "the r method handles at most %llu records per "
                            "stratum, not %llu",
                            R_SAMPLE_MAX_N, (unsigned long long)N);
    if (k > N)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "cannot take a sample of %llu from %llu records",
                            (unsigned long long)k, (unsigned long long)N);
    if (k == 0)
        return CA_OK;
    /* sample.int: useHash = n > 1e7 && !replace && is.null(prob) &&
     * size <= n/2 */
    if ((double)N > 1e7 && (double)k <= (double)N / 2)
        return sample_hash(g, N, k, out, err);
    return sample_fy(g, N, k, out, err);
}

int r_seed_parse(const char *s, int32_t *seed)
{
    char *end;
    long long v;

    if (!s || !(*s == '-' || (*s >= '0' && *s <= '9')))
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end != '\0' || end == s || v < -2147483647LL ||
        v > 2147483647LL)
        return -1;
    *seed = (int32_t)v;
    return 0;
}
