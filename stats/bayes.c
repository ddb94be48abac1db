/* SPDX-License-Identifier: MIT */
/*
 * Bayesian evaluation and planning with a beta prior (docs/sampling.md,
 * "Bayesian evaluation and planning"), as in audit sampling's Bayesian
 * approach (Steele 1992; Derks et al. 2021, the jfa package):
 *
 *  - without a population: rate ~ Beta(a, b) a priori, binomial sampling,
 *    posterior Beta(a + k, b + n - k); bounds and probabilities from the
 *    incomplete beta function (stats/dist.c);
 *  - with a population of N: the deviations in N are beta-binomial(N, a,
 *    b) a priori; sampling n without replacement, the deviations among the
 *    N - n files not sampled are beta-binomial(N - n, a + k, b + n - k)
 *    a posteriori.  Its probabilities are sums of the probability function,
 *    walked from the mode (or the two ends when it is U-shaped) with the
 *    ratio P(y+1)/P(y) = (M-y)(y+a) / ((y+1)(M-y-1+b)) until the terms are
 *    below 1e-300 of the largest, so that both tails keep their relative
 *    accuracy.
 *
 * Every "at least c" decision is the tail comparison of the tie convention
 * (P(rate >= T) <= 1 - c), made exactly when the posterior parameters are
 * whole numbers (the beta tail is then a binomial one, and the
 * beta-binomial's a ratio of integers: stats/exact.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "stats/stats_internal.h"

/* --- the prior ----------------------------------------------------------- */

/* A decimal number > 0 and <= STATS_PRIOR_MAX: digits with at most one
 * point, no sign or exponent. */
static int parse_param(const char *s, size_t len, double *out)
{
    char buf[64], *end;
    size_t i, dots = 0, digits = 0;

    if (len == 0 || len >= sizeof(buf))
        return -1;
    for (i = 0; i < len; i++) {
        if (s[i] == '.')
            dots++;
        else if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else
            return -1;
    }
    if (dots > 1 || digits == 0)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    *out = strtod(buf, &end);
    if (errno || *end != '\0' || !(*out > 0) || *out > STATS_PRIOR_MAX)
        return -1;
    return 0;
}

static int parse_count(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (len == 0 || len > 10)
        return -1;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

enum ca_status stats_prior_parse(const char *s, struct stats_prior *out,
                                 struct ca_error *err)
{
    struct stats_prior p;
    const char *sep;

    memset(&p, 0, sizeof(p));
    if (!s)
        goto bad;
    if (strcmp(s, "uniform") == 0) {
        p.kind = STATS_PRIOR_UNIFORM;
        p.a = p.b = 1;
    } else if (strncmp(s, "beta:", 5) == 0) {
        sep = strchr(s + 5, ',');
        if (!sep || parse_param(s + 5, (size_t)(sep - s - 5), &p.a) < 0 ||
            parse_param(sep + 1, strlen(sep + 1), &p.b) < 0)
            goto bad;
        p.kind = STATS_PRIOR_BETA;
    } else if ((sep = strchr(s, '/')) != NULL) {
        if (parse_count(s, (size_t)(sep - s), &p.k) < 0 ||
            parse_count(sep + 1, strlen(sep + 1), &p.n) < 0 || p.n == 0 ||
            p.k > p.n || (double)p.n > STATS_PRIOR_MAX)
            goto bad;
        p.kind = STATS_PRIOR_SAMPLE;
        p.a = 1 + (double)p.k;
        p.b = 1 + (double)(p.n - p.k);
    } else {
        goto bad;
    }
    *out = p;
    return CA_OK;
bad:
    return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                        "needs a prior: uniform, beta:A,B (A and B above 0, "
                        "e.g. beta:1,19) or K/N (K deviations found in N "
                        "earlier files, e.g. 2/60), not '%s'",
                        s ? s : "");
}

const char *stats_prior_format(const struct stats_prior *p, char *buf,
                               size_t size)
{
    switch (p->kind) {
    case STATS_PRIOR_UNIFORM:
        snprintf(buf, size, "uniform");
        break;
    case STATS_PRIOR_SAMPLE:
        snprintf(buf, size, "%llu/%llu", (unsigned long long)p->k,
                 (unsigned long long)p->n);
        break;
    default:
        snprintf(buf, size, "beta:%.15g,%.15g", p->a, p->b);
        break;
    }
    return buf;
}

const char *stats_prior_describe(const struct stats_prior *p, char *buf,
                                 size_t size)
{
    switch (p->kind) {
    case STATS_PRIOR_UNIFORM:
        snprintf(buf, size, "uniform, beta(1, 1)");
        break;
    case STATS_PRIOR_SAMPLE:
        snprintf(buf, size,
                 "%llu deviation%s in %llu earlier files, "
                 "beta(%.15g, %.15g)",
                 (unsigned long long)p->k, p->k == 1 ? "" : "s",
                 (unsigned long long)p->n, p->a, p->b);
        break;
    default:
        snprintf(buf, size, "beta(%.15g, %.15g)", p->a, p->b);
        break;
    }
    return buf;
}

/* --- the beta-binomial --------------------------------------------------- */

/* Walks no more terms than this (a population cap keeps it far away). */
#define BB_TINY 1e-300

/* P(Y <= y0) in *le and P(Y > y0) in *gt for Y ~ beta-binomial(M, a, b),
 * and the mode in *mode (the larger end when U-shaped). */
static void bb_tails(uint64_t y0, uint64_t M, double a, double b, double *le,
                     double *gt, uint64_t *mode)
{
    /* P(y+1) > P(y)  <=>  g(y) = (2 - a - b) y + (a - 1) M + 1 - b > 0 */
    double slope = 2 - a - b, g0 = (a - 1) * (double)M + 1 - b;
    double lo_sum = 0, hi_sum = 0, w, total;
    uint64_t peaks[2], y;
    double pw[2];
    int np = 0, i;
    /* a, b >= 1: P(y+1)/P(y) falls as y grows (both of its factors do) */
    int logconcave = a >= 1 && b >= 1;

    if (M == 0) {
        *le = 1;
        *gt = 0;
        *mode = 0;
        return;
    }
    if (slope < 0) {
        /* unimodal: the first y where g(y) <= 0 */
        double m = ceil(g0 / -slope);

        peaks[np] = m <= 0 ? 0 : m >= (double)M ? M : (uint64_t)m;
        pw[np++] = 1;
    } else if (g0 <= 0 && g0 + slope * (double)(M - 1) <= 0) {
        peaks[np] = 0; /* decreasing */
        pw[np++] = 1;
    } else if (g0 >= 0) {
        peaks[np] = M; /* increasing (g increasing from g0 >= 0) */
        pw[np++] = 1;
    } else {
        /* U-shaped: both ends, weighted by P(M) / P(0) =
         * B(M + a, b) / B(a, M + b) */
        peaks[np] = 0;
        pw[np++] = 1;
        peaks[np] = M;
        pw[np++] =
            exp(stats_lbeta((double)M + a, b) - stats_lbeta(a, (double)M + b));
    }
    *mode = np == 2 && pw[1] > pw[0] ? M : peaks[0];
    for (i = 0; i < np; i++) {
        /* upwards from the peak (not past the other peak's walk) */
        uint64_t stop_up = np == 2 && i == 0 ? M / 2 : M;
        uint64_t stop_down = np == 2 && i == 1 ? M / 2 + 1 : 0;

        w = pw[i];
        for (y = peaks[i];;) {
            double r;

            if (y <= y0)
                lo_sum += w;
            else
                hi_sum += w;
            if (y >= stop_up || w < BB_TINY * pw[i])
                break;
            r = ((double)(M - y) * ((double)y + a)) /
                (((double)y + 1) * ((double)(M - y) - 1 + b));
            /* log-concave past the peak: the terms left sum to at most
             * w r / (1 - r); stop once that is below 2^-60 of the tail
             * they belong to */
            if (logconcave && r < 1 && y > y0 &&
                w * r / (1 - r) <= 0x1p-60 * hi_sum)
                break;
            w *= r;
            y++;
        }
        w = pw[i];
        for (y = peaks[i]; y > stop_down;) {
            double r = ((double)y * ((double)(M - y) + b)) /
                       (((double)(M - y) + 1) * ((double)y - 1 + a));

            if (logconcave && r < 1 && y <= y0 + 1 && lo_sum > 0 &&
                w * r / (1 - r) <= 0x1p-60 * lo_sum)
                break;
            w *= r;
            y--;
            if (w < BB_TINY * pw[i])
                break;
            if (y <= y0)
                lo_sum += w;
            else
                hi_sum += w;
        }
    }
    total = lo_sum + hi_sum;
    *le = lo_sum / total;
    *gt = hi_sum / total;
}

static int whole(double v)
{
    return v >= 1 && v <= 1e15 && v == floor(v);
}

/* P(Y >= y) <= alpha, Y ~ beta-binomial(M, a, b): in double, and exactly
 * near a tie when a and b are whole. */
static bool bb_upper_le(uint64_t y, uint64_t M, double a, double b,
                        struct stats_xrate alpha)
{
    double le, gt, P;
    uint64_t mode;

    if (y == 0)
        return alpha.v >= 1;
    if (y > M)
        return true;
    bb_tails(y - 1, M, a, b, &le, &gt, &mode);
    P = gt;
    if (fabs(P - alpha.v) <= 1e-9 * alpha.v && alpha.q.den && whole(a) &&
        whole(b)) {
        int r = stats_exact_betabinom_cmp(y, M, (uint64_t)a, (uint64_t)b, 1,
                                          alpha.q);

        if (r != 2)
            return r <= 0;
    }
    return P <= alpha.v;
}

/* P(Y <= y) <= alpha, likewise. */
static bool bb_lower_le(uint64_t y, uint64_t M, double a, double b,
                        struct stats_xrate alpha)
{
    double le, gt;
    uint64_t mode;

    if (y >= M)
        return alpha.v >= 1;
    bb_tails(y, M, a, b, &le, &gt, &mode);
    if (fabs(le - alpha.v) <= 1e-9 * alpha.v && alpha.q.den && whole(a) &&
        whole(b)) {
        int r = stats_exact_betabinom_cmp(y, M, (uint64_t)a, (uint64_t)b, 0,
                                          alpha.q);

        if (r != 2)
            return r <= 0;
    }
    return le <= alpha.v;
}

/* P(rate >= T) <= alpha under Beta(a, b) (the upper tail at T), exactly
 * near a tie when a and b are whole: then 1 - I_T(a, b) =
 * P(Bin(a + b - 1, T) <= a - 1). */
static bool beta_upper_le(double a, double b, struct stats_xrate t,
                          struct stats_xrate alpha)
{
    if (whole(a) && whole(b))
        return stats_binom_tail_le((uint64_t)a - 1, (uint64_t)(a + b) - 1, t, 0,
                                   alpha);
    return stats_beta_cdf(t.v, a, b, 0) <= alpha.v;
}

/* P(rate <= T) <= alpha under Beta(a, b): I_T(a, b) = P(Bin(a+b-1, T) >= a). */
static bool beta_lower_le(double a, double b, struct stats_xrate t,
                          struct stats_xrate alpha)
{
    if (whole(a) && whole(b))
        return stats_binom_tail_le((uint64_t)a, (uint64_t)(a + b) - 1, t, 1,
                                   alpha);
    return stats_beta_cdf(t.v, a, b, 1) <= alpha.v;
}

/* ceil(T N), floor(T N) */
static void counts_of(struct stats_xrate t, uint64_t N, uint64_t *kc,
                      uint64_t *kf)
{
    if (t.q.den) {
        *kc = stats_rate_ceil_mul(t.q, N);
        *kf = stats_rate_floor_mul(t.q, N);
    } else {
        *kc = stats_ceil_snap(t.v * (double)N);
        *kf = *kc > 0 && (double)*kc > t.v * (double)N ? *kc - 1 : *kc;
    }
}

bool stats_bayes_within(const struct stats_prior *p, uint64_t x, uint64_t n,
                        uint64_t N, struct stats_xrate t,
                        struct stats_xrate alpha)
{
    double a = p->a + (double)x, b = p->b + (double)(n - x);
    uint64_t kc, kf;

    if (x > n || (N && n > N))
        return false;
    if (N == 0)
        return beta_upper_le(a, b, t, alpha);
    counts_of(t, N, &kc, &kf);
    /* P(deviations >= ceil(T N)) = P(Y >= kc - x) */
    if (kc <= x)
        return false;
    return bb_upper_le(kc - x, N - n, a, b, alpha);
}

/* Smallest K with P(deviations <= K) >= c, i.e. P(Y > K - k) <= alpha. */
static uint64_t bb_upper_bound(uint64_t k, uint64_t M, double a, double b,
                               struct stats_xrate alpha)
{
    uint64_t lo = 0, hi = M, mid;

    /* P(Y > M) = 0 <= alpha: hi qualifies; find the smallest y with
     * P(Y >= y + 1) <= alpha */
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (bb_upper_le(mid + 1, M, a, b, alpha))
            hi = mid;
        else
            lo = mid + 1;
    }
    return k + lo;
}

double stats_bayes_upper(const struct stats_prior *p, uint64_t x, uint64_t n,
                         uint64_t N, struct stats_xrate c)
{
    struct stats_xrate alpha = stats_xrate_complement(c);
    double a = p->a + (double)x, b = p->b + (double)(n - x);

    if (N == 0)
        return stats_beta_quantile_tail(alpha.v, 0, a, b);
    return (double)bb_upper_bound(x, N - n, a, b, alpha) / (double)N;
}

/* The mode of Beta(a, b) on [0, 1]; NaN when it has none (a, b <= 1). */
static double beta_mode(double a, double b)
{
    if (a > 1 && b > 1)
        return (a - 1) / (a + b - 2);
    if (a <= 1 && b > 1)
        return 0;
    if (b <= 1 && a > 1)
        return 1;
    return NAN;
}

enum ca_status stats_bayes_evaluate(const struct stats_prior *prior, uint64_t k,
                                    uint64_t n, uint64_t N, struct stats_rate c,
                                    struct stats_rate t,
                                    struct stats_bayes *out,
                                    struct ca_error *err)
{
    struct stats_xrate xc, xt, alpha;
    double a, b;

    memset(out, 0, sizeof(*out));
    if (n == 0 || k > n || (N && n > N))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "needs 1 <= n, k <= n and n <= N");
    if (N > STATS_BAYES_MAX_N)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "the population form of a prior takes a "
                            "population of at most %llu, not %llu",
                            (unsigned long long)STATS_BAYES_MAX_N,
                            (unsigned long long)N);
    if (!(c.den && c.num > 0 && c.num < c.den && t.den && t.num > 0 &&
          t.num < t.den))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "credibility and tolerable rate must be above 0 "
                            "and below 1");
    xc = stats_xrate_of(c);
    xt = stats_xrate_of(t);
    alpha = stats_xrate_complement(xc);
    a = prior->a + (double)k;
    b = prior->b + (double)(n - k);
    out->post_a = a;
    out->post_b = b;
    out->N = N;
    if (N == 0) {
        out->mode = beta_mode(a, b);
        out->upper = stats_beta_quantile_tail(alpha.v, 0, a, b);
        out->p_below = stats_beta_cdf(xt.v, a, b, 1);
        out->p_above = stats_beta_cdf(xt.v, a, b, 0);
        out->prior_below = stats_beta_cdf(xt.v, prior->a, prior->b, 1);
        out->prior_above = stats_beta_cdf(xt.v, prior->a, prior->b, 0);
        if (beta_upper_le(a, b, xt, alpha))
            out->verdict = STATS_VERDICT_COMPLIANT;
        else if (beta_lower_le(a, b, xt, alpha))
            out->verdict = STATS_VERDICT_NOT_COMPLIANT;
        else
            out->verdict = STATS_VERDICT_INCONCLUSIVE;
    } else {
        uint64_t kc, kf, mode, M = N - n;
        double le, gt;

        counts_of(xt, N, &kc, &kf);
        /* mode of the deviations in N */
        bb_tails(0, M, a, b, &le, &gt, &mode);
        out->mode = (double)(k + mode) / (double)N;
        out->upper_dev = bb_upper_bound(k, M, a, b, alpha);
        out->upper = (double)out->upper_dev / (double)N;
        /* below T: deviations <= kc - 1, i.e. Y <= kc - 1 - k */
        if (kc <= k) {
            out->p_below = 0;
            out->p_above = 1;
        } else {
            bb_tails(kc - 1 - k, M, a, b, &out->p_below, &out->p_above, &mode);
        }
        if (kc == 0) {
            out->prior_below = 0;
            out->prior_above = 1;
        } else {
            bb_tails(kc - 1, N, prior->a, prior->b, &out->prior_below,
                     &out->prior_above, &mode);
        }
        /* compliant: P(deviations >= kc) <= alpha; not compliant:
         * P(deviations <= kf) <= alpha, i.e. P(Y <= kf - k) */
        if (kc > k && bb_upper_le(kc - k, M, a, b, alpha)) {
            out->verdict = STATS_VERDICT_COMPLIANT;
        } else if (kf < k) {
            out->verdict = STATS_VERDICT_NOT_COMPLIANT;
        } else {
            out->verdict = bb_lower_le(kf - k, M, a, b, alpha)
                               ? STATS_VERDICT_NOT_COMPLIANT
                               : STATS_VERDICT_INCONCLUSIVE;
        }
    }
    if (out->prior_below == 0 || out->prior_above == 0)
        out->bayes_factor = NAN;
    else if (out->p_above == 0)
        out->bayes_factor = INFINITY;
    else
        out->bayes_factor = (out->p_below * out->prior_above) /
                            (out->p_above * out->prior_below);
    return CA_OK;
}
