/* SPDX-License-Identifier: MIT */
/*
 * Intervals and verdicts for k deviations in a sample of n:
 * Clopper-Pearson (exact binomial, from beta quantiles), Wilson score
 * without continuity correction (written in forms that do not cancel), the
 * one-sided binomial bounds, the exact hypergeometric bounds on the number
 * of deviations in a population of N, the stratified estimate and the
 * compliant / not compliant / inconclusive verdict.  Formulas and
 * references: docs/sampling.md.
 */
#include <math.h>
#include <string.h>

#include "stats/stats.h"
#include "stats/stats_internal.h"

/* 1 - c, the error probability; c in (0, 1). */
static double alpha_of(double c)
{
    return 1 - c;
}

struct interval stats_clopper_pearson(uint64_t k, uint64_t n, double c)
{
    struct interval iv = {NAN, NAN};
    double a2 = alpha_of(c) / 2;

    if (n == 0 || k > n || !(c > 0 && c < 1))
        return iv;
    /* lo: P(X >= k | lo) = alpha/2, i.e. qbeta(alpha/2, k, n-k+1) */
    iv.lo = k == 0 ? 0
                   : stats_beta_quantile_tail(a2, 1, (double)k,
                                              (double)(n - k + 1));
    /* hi: P(X <= k | hi) = alpha/2, i.e. qbeta(1-alpha/2, k+1, n-k) */
    iv.hi = k == n ? 1
                   : stats_beta_quantile_tail(a2, 0, (double)k + 1,
                                              (double)(n - k));
    return iv;
}

double stats_upper_binomial(uint64_t k, uint64_t n, double c)
{
    if (n == 0 || k > n || !(c > 0 && c < 1))
        return NAN;
    if (k == n)
        return 1;
    return stats_beta_quantile_tail(alpha_of(c), 0, (double)k + 1,
                                    (double)(n - k));
}

double stats_lower_binomial(uint64_t k, uint64_t n, double c)
{
    if (n == 0 || k > n || !(c > 0 && c < 1))
        return NAN;
    if (k == 0)
        return 0;
    return stats_beta_quantile_tail(alpha_of(c), 1, (double)k,
                                    (double)(n - k + 1));
}

struct interval stats_wilson(uint64_t k, uint64_t n, double c)
{
    struct interval iv = {NAN, NAN};
    double z, z2, dk, dn, root, centre;

    if (n == 0 || k > n || !(c > 0 && c < 1))
        return iv;
    z = stats_normal_quantile_upper(alpha_of(c) / 2);
    z2 = z * z;
    dk = (double)k;
    dn = (double)n;
    /* centre +- half width = (k + z^2/2 +- z sqrt(k(n-k)/n + z^2/4)) / (n + z^2);
     * the lower end is rewritten as k^2 / (n (k + z^2/2 + z sqrt(...))),
     * which is the same number without the cancellation */
    root = z * sqrt(dk * (dn - dk) / dn + z2 / 4);
    centre = dk + z2 / 2;
    iv.lo = k == 0 ? 0 : dk * dk / (dn * (centre + root));
    iv.hi = k == n ? 1 : (centre + root) / (dn + z2);
    return iv;
}

/* the exact hypergeometric CDF with K deviations in N */
static double hyper_cdf_at(uint64_t k, uint64_t n, uint64_t N, uint64_t K)
{
    return stats_hyper_cdf(k, N, K, n);
}

/* Largest K in [k, N - (n - k)] with P(X <= k | K) > alpha. */
static uint64_t hyper_upper_alpha(uint64_t k, uint64_t n, uint64_t N,
                                  double alpha)
{
    uint64_t lo = k, hi = N - (n - k), mid;

    /* P(X <= k | K = k) = 1 > alpha: lo always qualifies */
    while (lo < hi) {
        mid = lo + (hi - lo + 1) / 2;
        if (hyper_cdf_at(k, n, N, mid) > alpha)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Smallest K in [k, N - (n - k)] with P(X >= k | K) > alpha. */
static uint64_t hyper_lower_alpha(uint64_t k, uint64_t n, uint64_t N,
                                  double alpha)
{
    uint64_t lo = k, hi = N - (n - k), mid;

    if (k == 0)
        return 0;
    /* P(X >= k | K = N - (n - k)) = 1 > alpha: hi always qualifies */
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (1 - hyper_cdf_at(k - 1, n, N, mid) > alpha)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

uint64_t stats_upper_hyper(uint64_t k, uint64_t n, uint64_t N, double c)
{
    if (n == 0 || k > n || n > N || !(c > 0 && c < 1))
        return 0;
    return hyper_upper_alpha(k, n, N, alpha_of(c));
}

uint64_t stats_lower_hyper(uint64_t k, uint64_t n, uint64_t N, double c)
{
    if (n == 0 || k > n || n > N || !(c > 0 && c < 1))
        return 0;
    return hyper_lower_alpha(k, n, N, alpha_of(c));
}

enum ca_status stats_stratified(const struct stratum_count *s, size_t count,
                                double c, struct stratified_result *out,
                                struct ca_error *err)
{
    double est = 0, var = 0, N = 0, z;
    size_t i;

    memset(out, 0, sizeof(*out));
    if (count == 0)
        return ca_error_set(err, CA_DATA, NULL, 0, NULL, "no strata");
    if (!(c > 0 && c < 1))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "confidence must be above 0 and below 1");
    for (i = 0; i < count; i++) {
        const char *why = NULL;

        if (s[i].N == 0)
            why = "N must be at least 1";
        else if (s[i].n == 0)
            why = "n must be at least 1";
        else if (s[i].n > s[i].N)
            why = "n exceeds N";
        else if (s[i].k > s[i].n)
            why = "k exceeds n";
        else if (s[i].n == 1 && s[i].N > 1)
            why = "n = 1 leaves the stratum variance undefined (sample at "
                  "least 2, or the whole stratum)";
        if (why) {
            ca_error_set(err, CA_DATA, NULL, 0, NULL, "stratum %zu: %s", i + 1,
                         why);
            if (err)
                err->line = (unsigned long)(i + 1);
            return CA_DATA;
        }
        N += (double)s[i].N;
        out->N += s[i].N;
        out->n += s[i].n;
        out->k += s[i].k;
    }
    for (i = 0; i < count; i++) {
        double w = (double)s[i].N / N, nh = (double)s[i].n,
               p = (double)s[i].k / nh;

        est += w * p;
        if (s[i].n < s[i].N)
            var += w * w * (1 - nh / (double)s[i].N) * p * (1 - p) / (nh - 1);
    }
    z = stats_normal_quantile_upper(alpha_of(c) / 2);
    out->estimate = est;
    out->se = sqrt(var);
    out->ci.lo = fmax(0, est - z * out->se);
    out->ci.hi = fmin(1, est + z * out->se);
    z = stats_normal_quantile_upper(alpha_of(c));
    out->lower = fmax(0, est - z * out->se);
    out->upper = fmin(1, est + z * out->se);
    return CA_OK;
}

static const char *const verdict_names[] = {"compliant", "not compliant",
                                            "inconclusive"};

const char *stats_verdict_name(enum stats_verdict v)
{
    if ((unsigned)v < 3)
        return verdict_names[v];
    return "unknown";
}

enum stats_verdict stats_verdict(double lower, double upper, double tolerable)
{
    if (upper < tolerable)
        return STATS_VERDICT_COMPLIANT;
    if (lower > tolerable)
        return STATS_VERDICT_NOT_COMPLIANT;
    return STATS_VERDICT_INCONCLUSIVE;
}
