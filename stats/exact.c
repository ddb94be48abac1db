/* SPDX-License-Identifier: MIT */
/*
 * Exact decisions at ties.  A verdict or a plan turns on whether a tail
 * probability P is at most alpha = 1 - c (the tie convention of
 * docs/sampling.md, "Ties").  P is computed in double first; only when it
 * lies within 1e-9 relative of alpha is the comparison made again in exact
 * integer arithmetic, with P written as a ratio of integers:
 *
 *   binomial, p = a/b        P(X <= k) = sum_{j<=k} C(n,j) a^j (b-a)^(n-j) / b^n
 *   hypergeometric           P(X <= k) = sum_{j<=k} C(K,j) C(N-K,n-j) / C(N,n)
 *   beta-binomial, integer   P(Y <= y) = sum_{i<=y} C(i+a-1,i) C(M-i+b-1,M-i)
 *   parameters a, b                      / C(M+a+b-1, M)
 *
 * and alpha = an/ad, so that P <= alpha is S ad <= an D.  The terms are
 * walked with their ratio recurrence, each step a multiplication by two
 * machine integers and two exact divisions.  Numbers are unsigned
 * integers of up to STATS_EXACT_BITS bits on the stack (no allocation);
 * a comparison that would need more is left to the double result (the
 * caller's answer then carries the double's 1e-13 relative accuracy).
 */
#include <math.h>
#include <string.h>

#include "stats/stats.h"
#include "stats/stats_internal.h"

__extension__ typedef unsigned __int128 u128;

#define BN_LIMBS (STATS_EXACT_BITS / 64)

/* An unsigned integer, little-endian 64-bit limbs, len of them in use. */
struct bn {
    size_t len;
    uint64_t v[BN_LIMBS];
};

static void bn_set(struct bn *a, uint64_t x)
{
    a->v[0] = x;
    a->len = x != 0;
}

static void bn_copy(struct bn *dst, const struct bn *src)
{
    dst->len = src->len;
    memcpy(dst->v, src->v, src->len * sizeof(src->v[0]));
}

/* a *= m; -1 when the product does not fit. */
static int bn_mul(struct bn *a, uint64_t m)
{
    u128 carry = 0;
    size_t i;

    if (m == 0) {
        a->len = 0;
        return 0;
    }
    for (i = 0; i < a->len; i++) {
        carry += (u128)a->v[i] * m;
        a->v[i] = (uint64_t)carry;
        carry >>= 64;
    }
    if (carry) {
        if (a->len == BN_LIMBS)
            return -1;
        a->v[a->len++] = (uint64_t)carry;
    }
    return 0;
}

/* a /= d (d > 0); returns the remainder. */
static uint64_t bn_div(struct bn *a, uint64_t d)
{
    u128 r = 0;
    size_t i;

    for (i = a->len; i-- > 0;) {
        r = (r << 64) | a->v[i];
        a->v[i] = (uint64_t)(r / d);
        r %= d;
    }
    while (a->len > 0 && a->v[a->len - 1] == 0)
        a->len--;
    return (uint64_t)r;
}

/* a += b; -1 when the sum does not fit. */
static int bn_add(struct bn *a, const struct bn *b)
{
    u128 carry = 0;
    size_t i, n = a->len > b->len ? a->len : b->len;

    for (i = 0; i < n; i++) {
        carry += (u128)(i < a->len ? a->v[i] : 0) + (i < b->len ? b->v[i] : 0);
        a->v[i] = (uint64_t)carry;
        carry >>= 64;
    }
    a->len = n;
    if (carry) {
        if (n == BN_LIMBS)
            return -1;
        a->v[a->len++] = 1;
    }
    return 0;
}

/* a -= b, given a >= b. */
static void bn_sub(struct bn *a, const struct bn *b)
{
    uint64_t borrow = 0;
    size_t i;

    for (i = 0; i < a->len; i++) {
        uint64_t bi = i < b->len ? b->v[i] : 0;
        uint64_t d = a->v[i] - bi - borrow;

        borrow = (a->v[i] < bi || (a->v[i] == bi && borrow)) ? 1 : 0;
        a->v[i] = d;
    }
    while (a->len > 0 && a->v[a->len - 1] == 0)
        a->len--;
}

static int bn_cmp(const struct bn *a, const struct bn *b)
{
    size_t i;

    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    for (i = a->len; i-- > 0;)
        if (a->v[i] != b->v[i])
            return a->v[i] < b->v[i] ? -1 : 1;
    return 0;
}

/* a = C(m, r); -1 when too large. */
static int bn_choose(struct bn *a, uint64_t m, uint64_t r)
{
    uint64_t i;

    if (r > m) {
        bn_set(a, 0);
        return 0;
    }
    if (r > m - r)
        r = m - r;
    bn_set(a, 1);
    /* C(m - r + i, i) is a whole number at every step */
    for (i = 1; i <= r; i++) {
        if (bn_mul(a, m - r + i) < 0)
            return -1;
        bn_div(a, i);
    }
    return 0;
}

/* a = x^e; -1 when too large. */
static int bn_pow(struct bn *a, uint64_t x, uint64_t e)
{
    bn_set(a, 1);
    while (e-- > 0)
        if (bn_mul(a, x) < 0)
            return -1;
    return 0;
}

/* Bits of C(m, r), from above (for refusing early). */
static double log2_choose(double m, double r)
{
    if (r <= 0 || r >= m)
        return 0;
    return (lgamma(m + 1) - lgamma(r + 1) - lgamma(m - r + 1)) /
           0.693147180559945309417232121458176568;
}

/* The terms of a walk: t_{j+1} = t_j f1 f2 / (g1 g2), all four factors
 * positive machine integers, the division exact. */
struct walk {
    int kind;           /* 0 binomial, 1 hypergeometric, 2 beta-binomial */
    uint64_t n, a, c;   /* binomial: n, p = a / (a + c) */
    uint64_t N, K;      /* hypergeometric (n above) */
    uint64_t M, ba, bb; /* beta-binomial */
};

static void walk_factors(const struct walk *w, uint64_t j, uint64_t f[4])
{
    switch (w->kind) {
    case 0:
        f[0] = w->n - j;
        f[1] = w->a;
        f[2] = w->c;
        f[3] = j + 1;
        break;
    case 1:
        f[0] = w->K - j;
        f[1] = w->n - j;
        f[2] = j + 1;
        f[3] = w->N - w->K - w->n + j + 1;
        break;
    default:
        f[0] = j + w->ba;
        f[1] = w->M - j;
        f[2] = j + 1;
        f[3] = w->M - j + w->bb - 1;
        break;
    }
}

/* Scratch for one comparison: three numbers of STATS_EXACT_BITS each. */
struct exact_scratch {
    struct bn t, s, d;
};

/*
 * s = sum of the terms j = j0 .. upto (t holds the j0 term on entry);
 * then compare s / d with an / ad.  Returns -1, 0, 1, or 2 when a number
 * outgrew the scratch.
 */
static int walk_compare(struct exact_scratch *x, const struct walk *w,
                        uint64_t j0, uint64_t upto, int upper, uint64_t an,
                        uint64_t ad)
{
    uint64_t j, f[4];

    bn_set(&x->s, 0);
    for (j = j0;; j++) {
        if (bn_add(&x->s, &x->t) < 0)
            return 2;
        if (j == upto)
            break;
        walk_factors(w, j, f);
        if (bn_mul(&x->t, f[0]) < 0 || bn_mul(&x->t, f[1]) < 0)
            return 2;
        bn_div(&x->t, f[2]);
        bn_div(&x->t, f[3]);
    }
    if (upper) {
        /* P(X >= k) = (D - S(k - 1)) / D */
        struct bn *num = &x->t;

        bn_copy(num, &x->d);
        bn_sub(num, &x->s);
        bn_copy(&x->s, num);
    }
    if (bn_mul(&x->s, ad) < 0 || bn_mul(&x->d, an) < 0)
        return 2;
    return bn_cmp(&x->s, &x->d);
}

int stats_exact_binom_cmp(uint64_t k, uint64_t n, struct stats_rate p,
                          int upper, struct stats_rate alpha)
{
    struct exact_scratch x;
    struct walk w;

    if (p.den == 0 || alpha.den == 0 || p.num > p.den || alpha.num > alpha.den)
        return 2;
    if ((upper && k == 0) || (!upper && k >= n))
        return alpha.num == alpha.den ? 0 : 1; /* P = 1 */
    if (upper && k > n)
        return alpha.num == 0 ? 0 : -1; /* P = 0 */
    if (p.num == 0 || p.num == p.den) {
        /* X is 0 (p = 0) or n (p = 1): P is 0 or 1 */
        int one = upper ? p.num == p.den : p.num == 0;

        if (one)
            return alpha.num == alpha.den ? 0 : 1;
        return alpha.num == 0 ? 0 : -1;
    }
    if ((double)n * log2((double)p.den) + 130 > STATS_EXACT_BITS)
        return 2;
    memset(&w, 0, sizeof(w));
    w.kind = 0;
    w.n = n;
    w.a = p.num;
    w.c = p.den - p.num;
    /* t_0 = c^n, D = b^n */
    if (bn_pow(&x.t, w.c, n) < 0 || bn_pow(&x.d, p.den, n) < 0)
        return 2;
    return walk_compare(&x, &w, 0, upper ? k - 1 : k, upper, alpha.num,
                        alpha.den);
}

int stats_exact_hyper_cmp(uint64_t k, uint64_t N, uint64_t K, uint64_t n,
                          int upper, struct stats_rate alpha)
{
    struct exact_scratch x;
    struct walk w;
    uint64_t lo, hi;

    if (alpha.den == 0 || alpha.num > alpha.den || K > N || n > N)
        return 2;
    lo = n > N - K ? n - (N - K) : 0;
    hi = n < K ? n : K;
    /* P(X <= k) is 0 below the support and 1 from its top; P(X >= k) the
     * reverse */
    if (upper ? k <= lo : k >= hi)
        return alpha.num == alpha.den ? 0 : 1;
    if (upper ? k > hi : k < lo)
        return alpha.num == 0 ? 0 : -1;
    if (log2_choose((double)N, (double)n) + 130 > STATS_EXACT_BITS)
        return 2;
    memset(&w, 0, sizeof(w));
    w.kind = 1;
    w.N = N;
    w.K = K;
    w.n = n;
    /* the lowest term: C(K, lo) C(N-K, n-lo), one factor of which is 1 */
    if (lo == 0 ? bn_choose(&x.t, N - K, n) < 0 : bn_choose(&x.t, K, lo) < 0)
        return 2;
    if (bn_choose(&x.d, N, n) < 0)
        return 2;
    return walk_compare(&x, &w, lo, upper ? k - 1 : k, upper, alpha.num,
                        alpha.den);
}

int stats_exact_betabinom_cmp(uint64_t y, uint64_t M, uint64_t a, uint64_t b,
                              int upper, struct stats_rate alpha)
{
    struct exact_scratch x;
    struct walk w;

    if (alpha.den == 0 || alpha.num > alpha.den || a == 0 || b == 0)
        return 2;
    if ((upper && y == 0) || (!upper && y >= M))
        return alpha.num == alpha.den ? 0 : 1;
    if (upper && y > M)
        return alpha.num == 0 ? 0 : -1;
    if (log2_choose((double)M + (double)a + (double)b - 1, (double)M) + 130 >
        STATS_EXACT_BITS)
        return 2;
    memset(&w, 0, sizeof(w));
    w.kind = 2;
    w.M = M;
    w.ba = a;
    w.bb = b;
    /* t_0 = C(M + b - 1, M), D = C(M + a + b - 1, M) */
    if (bn_choose(&x.t, M + b - 1, M) < 0 ||
        bn_choose(&x.d, M + a + b - 1, M) < 0)
        return 2;
    return walk_compare(&x, &w, 0, upper ? y - 1 : y, upper, alpha.num,
                        alpha.den);
}

/* --- exact rates from doubles ------------------------------------------- */

struct stats_xrate stats_xrate_of(struct stats_rate r)
{
    struct stats_xrate x;

    x.v = stats_rate_value(r);
    x.q = r;
    if (r.den == 0)
        x.q.num = 0;
    return x;
}

struct stats_xrate stats_xrate_of_double(double v)
{
    struct stats_xrate x;

    x.v = v;
    if (stats_rate_from_double(v, &x.q) != 0) {
        x.q.num = 0;
        x.q.den = 0;
    }
    return x;
}

struct stats_xrate stats_xrate_complement(struct stats_xrate x)
{
    struct stats_xrate c;

    if (x.q.den) {
        c.q.num = x.q.den - x.q.num;
        c.q.den = x.q.den;
        c.v = stats_rate_value(c.q);
    } else {
        c.q.num = c.q.den = 0;
        c.v = 1 - x.v;
    }
    return c;
}

/* Whether P (a double within 1e-13 or so of the truth) is close enough to
 * alpha for the exact comparison to be needed. */
static int near_tie(double P, double alpha)
{
    return fabs(P - alpha) <= 1e-9 * alpha;
}

bool stats_binom_tail_le(uint64_t k, uint64_t n, struct stats_xrate p,
                         int upper, struct stats_xrate alpha)
{
    double P =
        upper ? stats_binom_sf_ge(k, n, p.v) : stats_binom_cdf(k, n, p.v);

    if (near_tie(P, alpha.v) && p.q.den && alpha.q.den) {
        int r = stats_exact_binom_cmp(k, n, p.q, upper, alpha.q);

        if (r != 2)
            return r <= 0;
    }
    return P <= alpha.v;
}

bool stats_hyper_tail_le(uint64_t k, uint64_t N, uint64_t K, uint64_t n,
                         int upper, struct stats_xrate alpha)
{
    double P;

    if (upper) /* X >= k  <=>  the n - X others <= n - k */
        P = k > n ? 0 : stats_hyper_cdf(n - k, N, N - K, n);
    else
        P = stats_hyper_cdf(k, N, K, n);
    if (near_tie(P, alpha.v) && alpha.q.den) {
        int r = stats_exact_hyper_cmp(k, N, K, n, upper, alpha.q);

        if (r != 2)
            return r <= 0;
    }
    return P <= alpha.v;
}
