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

/* Largest K in [k, N - (n - k)] with P(X <= k | K) > alpha (ties: a K
 * whose tail probability equals alpha is excluded). */
static uint64_t hyper_upper_alpha(uint64_t k, uint64_t n, uint64_t N,
                                  struct stats_xrate alpha)
{
    uint64_t lo = k, hi = N - (n - k), mid;

    /* P(X <= k | K = k) = 1 > alpha: lo always qualifies */
    while (lo < hi) {
        mid = lo + (hi - lo + 1) / 2;
        if (!stats_hyper_tail_le(k, N, mid, n, 0, alpha))
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Smallest K in [k, N - (n - k)] with P(X >= k | K) > alpha. */
static uint64_t hyper_lower_alpha(uint64_t k, uint64_t n, uint64_t N,
                                  struct stats_xrate alpha)
{
    uint64_t lo = k, hi = N - (n - k), mid;

    if (k == 0)
        return 0;
    /* P(X >= k | K = N - (n - k)) = 1 > alpha: hi always qualifies */
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (!stats_hyper_tail_le(k, N, mid, n, 1, alpha))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int level_ok(struct stats_rate c)
{
    return c.den > 0 && c.num > 0 && c.num < c.den;
}

uint64_t stats_upper_hyper_exact(uint64_t k, uint64_t n, uint64_t N,
                                 struct stats_rate c)
{
    if (n == 0 || k > n || n > N || !level_ok(c))
        return 0;
    return hyper_upper_alpha(k, n, N,
                             stats_xrate_complement(stats_xrate_of(c)));
}

uint64_t stats_lower_hyper_exact(uint64_t k, uint64_t n, uint64_t N,
                                 struct stats_rate c)
{
    if (n == 0 || k > n || n > N || !level_ok(c))
        return 0;
    return hyper_lower_alpha(k, n, N,
                             stats_xrate_complement(stats_xrate_of(c)));
}

uint64_t stats_upper_hyper(uint64_t k, uint64_t n, uint64_t N, double c)
{
    if (n == 0 || k > n || n > N || !(c > 0 && c < 1))
        return 0;
    return hyper_upper_alpha(k, n, N,
                             stats_xrate_complement(stats_xrate_of_double(c)));
}

uint64_t stats_lower_hyper(uint64_t k, uint64_t n, uint64_t N, double c)
{
    if (n == 0 || k > n || n > N || !(c > 0 && c < 1))
        return 0;
    return hyper_lower_alpha(k, n, N,
                             stats_xrate_complement(stats_xrate_of_double(c)));
}

/*
 * Korn & Graubard (1998): the Clopper-Pearson bounds at the effective
 * sample size n* = p (1 - p) / v, which is capped at the n sampled (and is
 * n when v = 0: all strata clean, or all deviating, or censuses, where the
 * normal interval collapses to a point), then multiplied by
 * (t_{n-1} / t_{n-H})^2 at c for the H degrees of freedom the strata use
 * (that factor is below 1, so the bound only widens).  x* = p n*.
 */
static void korn_graubard(struct stratified_result *r, double var, double c)
{
    double p = r->estimate, n = (double)r->n, neff = n, x, alpha = 1 - c;

    if (r->n == r->N) {
        /* every stratum taken whole: the rate is known */
        r->n_eff = n;
        r->kg_lower = r->kg_upper = p;
        return;
    }
    if (p > 0 && p < 1 && var > 0 && p * (1 - p) / var < neff)
        neff = p * (1 - p) / var;
    if (r->n > r->strata && r->strata > 1 && c > 0.5) {
        double ratio = stats_t_quantile(c, n - 1) /
                       stats_t_quantile(c, n - (double)r->strata);

        neff *= ratio * ratio;
    }
    x = p * neff;
    r->n_eff = neff;
    r->kg_upper =
        p >= 1 ? 1 : stats_beta_quantile_tail(alpha, 0, x + 1, neff - x);
    r->kg_lower =
        p <= 0 ? 0 : stats_beta_quantile_tail(alpha, 1, x, neff - x + 1);
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
    out->strata = count;
    out->confidence = c;
    for (i = 0; i < count; i++)
        if (s[i].n < STATS_INDICATIVE_BELOW && s[i].n < s[i].N)
            out->indicative = true;
    korn_graubard(out, var, c);
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

enum stats_verdict stats_stratified_verdict(const struct stratified_result *r,
                                            double t)
{
    enum stats_verdict kg = STATS_VERDICT_INCONCLUSIVE;

    if (r->kg_upper <= t)
        kg = STATS_VERDICT_COMPLIANT;
    else if (r->kg_lower >= t)
        kg = STATS_VERDICT_NOT_COMPLIANT;
    return stats_verdict_both(
        kg, stats_verdict_counts(r->k, r->n, r->N, r->confidence, t));
}

enum stats_verdict stats_verdict_both(enum stats_verdict a,
                                      enum stats_verdict b)
{
    return a == b ? a : STATS_VERDICT_INCONCLUSIVE;
}

enum stats_verdict stats_verdict(double lower, double upper, double tolerable)
{
    if (upper < tolerable)
        return STATS_VERDICT_COMPLIANT;
    if (lower > tolerable)
        return STATS_VERDICT_NOT_COMPLIANT;
    return STATS_VERDICT_INCONCLUSIVE;
}

/* ceil(t N) and floor(t N), exactly when t is */
static void tolerable_counts(struct stats_xrate t, uint64_t N, uint64_t *kc,
                             uint64_t *kf)
{
    if (t.q.den) {
        *kc = stats_rate_ceil_mul(t.q, N);
        *kf = stats_rate_floor_mul(t.q, N);
    } else {
        double v = t.v * (double)N, r = nearbyint(v);

        *kc = stats_ceil_snap(v);
        *kf = fabs(v - r) <= 1e-12 * fmax(1.0, v) ? (uint64_t)r
                                                  : (uint64_t)floor(v);
    }
    if (*kc > N)
        *kc = N;
    if (*kf > N)
        *kf = N;
}

static enum stats_verdict verdict_x(uint64_t k, uint64_t n, uint64_t N,
                                    struct stats_xrate c, struct stats_xrate t)
{
    struct stats_xrate alpha = stats_xrate_complement(c);
    uint64_t kc, kf;

    if (n == 0 || k > n || (N && n > N) || !(c.v > 0 && c.v < 1) ||
        !(t.v > 0 && t.v < 1))
        return STATS_VERDICT_INCONCLUSIVE;
    if (N == 0) {
        /* p_U <= T  <=>  P(X <= k | T) <= alpha; p_L >= T likewise */
        if (k < n && stats_binom_tail_le(k, n, t, 0, alpha))
            return STATS_VERDICT_COMPLIANT;
        if (k > 0 && stats_binom_tail_le(k, n, t, 1, alpha))
            return STATS_VERDICT_NOT_COMPLIANT;
        return STATS_VERDICT_INCONCLUSIVE;
    }
    /* every count from ceil(T N) up excluded: K_U < T N; every count up to
     * floor(T N) excluded: K_L > T N */
    tolerable_counts(t, N, &kc, &kf);
    if (stats_hyper_tail_le(k, N, kc, n, 0, alpha))
        return STATS_VERDICT_COMPLIANT;
    if (k > 0 && stats_hyper_tail_le(k, N, kf, n, 1, alpha))
        return STATS_VERDICT_NOT_COMPLIANT;
    return STATS_VERDICT_INCONCLUSIVE;
}

enum stats_verdict stats_verdict_exact(uint64_t k, uint64_t n, uint64_t N,
                                       struct stats_rate c, struct stats_rate t)
{
    if (!level_ok(c) || !level_ok(t))
        return STATS_VERDICT_INCONCLUSIVE;
    return verdict_x(k, n, N, stats_xrate_of(c), stats_xrate_of(t));
}

enum stats_verdict stats_verdict_counts(uint64_t k, uint64_t n, uint64_t N,
                                        double c, double t)
{
    return verdict_x(k, n, N, stats_xrate_of_double(c),
                     stats_xrate_of_double(t));
}
