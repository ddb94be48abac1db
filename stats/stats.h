/* SPDX-License-Identifier: MIT */
/*
 * Distributions, exact intervals, sample-size planning, verdicts and
 * Bayesian evaluation (the statistics contracts in docs/design.md; formulas
 * in docs/sampling.md).  Pure functions: no allocation, no global state.
 * Rates are fractions in [0, 1]; confidence is a fraction such as 0.95.
 *
 * Exactness: a confidence or rate is a decimal.  Functions that take a
 * struct stats_rate use it exactly; those that take a double read it as the
 * shortest decimal that rounds to it (stats_rate_from_double: 0.95 is
 * 19/20), which is exact for any decimal of up to 15 significant digits.
 * Tie convention (docs/sampling.md, "Ties"): a rate is excluded at
 * confidence c when the probability of a result at least as favourable to
 * it as the one observed is at most 1 - c (<=, decided exactly at ties);
 * a bound is within the tolerable rate T when every rate it does not
 * exclude is below T.
 */
#ifndef CA_STATS_H
#define CA_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* --- exact rates ------------------------------------------------------- */
/* An exact non-negative rational num/den (den > 0), reduced.  Decimal and
 * percent rates ("3.5%", "0.035") are parsed into one of these so that
 * x = ceil(rate * n) is computed in integers, without float error. */
struct stats_rate {
    uint64_t num, den;
};

/* Parse a rate: digits with at most one '.', optionally followed by '%'
 * (then divided by 100); no sign, no exponent, at most 18 significant
 * digits, value in [0, 1].  Returns CA_OK, or CA_USAGE with err->msg set
 * ("needs a rate from 0 to 1 ..."); *out is untouched on error. */
enum ca_status stats_rate_parse(const char *s, struct stats_rate *out,
                                struct ca_error *err);
/* The rate as a double (num / den). */
double stats_rate_value(struct stats_rate r);
/* ceil(r * n) and floor(r * n) computed exactly (128-bit intermediate).
 * r <= 1. */
uint64_t stats_rate_ceil_mul(struct stats_rate r, uint64_t n);
uint64_t stats_rate_floor_mul(struct stats_rate r, uint64_t n);
/* The shortest decimal (at most 17 significant digits) that rounds to v,
 * as a reduced rational: 0.95 -> 19/20, 0.1 -> 1/10.  v in [0, 1].
 * Returns 0, or -1 when v is out of range or its decimal needs a
 * denominator above 10^19. */
int stats_rate_from_double(double v, struct stats_rate *out);

/* --- distributions ------------------------------------------------------ */
double stats_binom_cdf(uint64_t k, uint64_t n, double p); /* P(X <= k) */
double stats_poisson_cdf(uint64_t k, double lambda);      /* P(X <= k) */
/* P(X <= k), X ~ hypergeometric: n draws from N items of which K are
 * deviations. */
double stats_hyper_cdf(uint64_t k, uint64_t N, uint64_t K, uint64_t n);
double stats_beta_quantile(double p, double a, double b); /* qbeta */
double stats_gamma_quantile(double p, double shape);      /* qgamma, scale 1 */
double stats_normal_quantile(double p);                   /* AS241 */

/* Student t quantile: P(T_df <= x) = p, df > 0 (R's qt). */
double stats_t_quantile(double p, double df);
/* Regularised incomplete beta I_x(a, b) (R's pbeta(x, a, b)), real a, b > 0;
 * lower_tail 0 gives 1 - I_x(a, b) with its own relative accuracy. */
double stats_beta_cdf(double x, double a, double b, int lower_tail);
/* log B(a, b), a, b > 0, accurate when one is small and the other large. */
double stats_lbeta(double a, double b);

/* --- intervals ---------------------------------------------------------- */
struct interval {
    double lo, hi;
};

/* Clopper-Pearson two-sided interval at confidence c for k of n. */
struct interval stats_clopper_pearson(uint64_t k, uint64_t n, double c);
/* Wilson score interval, no continuity correction. */
struct interval stats_wilson(uint64_t k, uint64_t n, double c);
/* One-sided binomial (Clopper-Pearson) upper bound at confidence c. */
double stats_upper_binomial(uint64_t k, uint64_t n, double c);
/* One-sided binomial lower bound at confidence c (0 when k = 0). */
double stats_lower_binomial(uint64_t k, uint64_t n, double c);
/* Exact hypergeometric one-sided upper bound on the number of deviations
 * in a population of N, given k in a sample of n: the largest K with
 * P(X <= k | N, K, n) > 1 - c; the lower bound is the smallest K with
 * P(X >= k | N, K, n) > 1 - c.  A K whose probability equals 1 - c exactly
 * is excluded (the tie convention).  0 on bad arguments. */
uint64_t stats_upper_hyper(uint64_t k, uint64_t n, uint64_t N, double c);
uint64_t stats_lower_hyper(uint64_t k, uint64_t n, uint64_t N, double c);
uint64_t stats_upper_hyper_exact(uint64_t k, uint64_t n, uint64_t N,
                                 struct stats_rate c);
uint64_t stats_lower_hyper_exact(uint64_t k, uint64_t n, uint64_t N,
                                 struct stats_rate c);

/* --- stratified estimate ----------------------------------------------- */
struct stratum_count {
    uint64_t N; /* stratum population, > 0 */
    uint64_t n; /* sampled, 1 <= n <= N (n >= 2 unless n = N) */
    uint64_t k; /* deviations found, k <= n */
};

struct stratified_result {
    double estimate; /* sum over strata of (N_h / N) * (k_h / n_h) */
    double se;       /* standard error, with finite population correction */
    /* the normal approximation, displayed as an estimate only: */
    struct interval
        ci; /* estimate -+ z * se at the confidence, within [0, 1] */
    double lower, upper; /* one-sided bounds estimate -+ z_c * se, in [0, 1] */
    uint64_t N, n, k;    /* totals */
    size_t strata;       /* H */
    double confidence;   /* c */
    /* Korn & Graubard's bounds, the ones a verdict uses: */
    double n_eff;              /* effective sample size, df-adjusted */
    double kg_lower, kg_upper; /* one-sided at the confidence */
    bool indicative; /* a stratum has n_h < STATS_INDICATIVE_BELOW < N_h */
};

/*
 * Stratified estimate of a rate (Cochran 1977, ch. 5): weights W_h =
 * N_h / N, variance sum W_h^2 (1 - n_h/N_h) p_h (1 - p_h) / (n_h - 1), a
 * normal interval at confidence c (two-sided, z = qnorm(1 - (1-c)/2)) and
 * one-sided normal bounds (z = qnorm(c)), kept for display; and the
 * one-sided bounds a verdict uses, Korn & Graubard's (1998) Clopper-Pearson
 * bounds at an effective sample size: n* = min(n, p(1-p)/v) (n when v = 0),
 * times (t_{n-1,c} / t_{n-H,c})^2 when n > H, x* = p n*, upper
 * qbeta(c, x*+1, n*-x*), lower qbeta(1-c, x*, n*-x*+1) (docs/sampling.md).
 * A fully sampled stratum contributes no variance.  Returns CA_OK, or
 * CA_DATA with err->msg naming the 1-based stratum index (also in
 * err->line) when a count is inconsistent (N = 0, n = 0, n > N, k > n, or
 * n = 1 < N).
 */
enum ca_status stats_stratified(const struct stratum_count *s, size_t count,
                                double c, struct stratified_result *out,
                                struct ca_error *err);

/* --- verdicts ----------------------------------------------------------- */
/* Named apart from the engine's per-rule enum verdict (pass/fail/error), so
 * that both headers can be included together. */
enum stats_verdict {
    STATS_VERDICT_COMPLIANT,
    STATS_VERDICT_NOT_COMPLIANT,
    STATS_VERDICT_INCONCLUSIVE
};
/* "compliant", "not compliant", "inconclusive" */
const char *stats_verdict_name(enum stats_verdict v);
/* compliant when upper < T, not compliant when lower > T, else
 * inconclusive: for bounds that are attained values (a census rate).
 * Sample verdicts use stats_verdict_exact(). */
enum stats_verdict stats_verdict(double lower, double upper, double tolerable);
#define STATS_INDICATIVE_BELOW 30 /* n < 30 is "indicative" */

/*
 * The verdict for k deviations in a sample of n from a population of N
 * (N = 0: unknown, binomial; n = N: a census) at confidence c, tolerable
 * rate T, with the tie convention decided exactly:
 *   binomial        compliant when P(X <= k | n, T) <= 1 - c (the
 *                   Clopper-Pearson upper bound is <= T), not compliant
 *                   when P(X >= k | n, T) <= 1 - c (lower bound >= T);
 *   hypergeometric  compliant when P(X <= k | N, ceil(T N), n) <= 1 - c
 *                   (the upper bound on the deviations is below T N), not
 *                   compliant when P(X >= k | N, floor(T N), n) <= 1 - c;
 * else inconclusive (also on bad arguments).  The double form reads c and
 * T as decimals (stats_rate_from_double).
 */
enum stats_verdict stats_verdict_exact(uint64_t k, uint64_t n, uint64_t N,
                                       struct stats_rate c,
                                       struct stats_rate t);
enum stats_verdict stats_verdict_counts(uint64_t k, uint64_t n, uint64_t N,
                                        double c, double t);

/* The verdict on a stratified result: that of its Korn-Graubard bounds
 * (compliant when kg_upper <= T, not compliant when kg_lower >= T) where
 * the same files taken as one unstratified sample of n from N agree
 * (stats_verdict_counts(k, n, N, c, T)), else inconclusive; so a stratified
 * sample is never called compliant when the same files drawn unstratified
 * would not be. */
enum stats_verdict stats_stratified_verdict(const struct stratified_result *r,
                                            double t);
/* Two verdicts on the same question combined so that neither overclaims:
 * their common verdict when they agree, else inconclusive. */
enum stats_verdict stats_verdict_both(enum stats_verdict a,
                                      enum stats_verdict b);

/* ceil(v), except that a v within 1e-12 relative of an integer is taken to
 * be that integer: float noise (a few ulp) must not push a value that is
 * an integer in exact arithmetic up by one.  v >= 0, v < 2^63. */
uint64_t stats_ceil_snap(double v);

/* --- Bayesian evaluation (stats/bayes.c) -------------------------------- */
/*
 * A beta prior on the deviation rate: "uniform" (Beta(1, 1)), "beta:A,B"
 * (A, B > 0, decimals) or "K/N" (K deviations found in N earlier files:
 * Beta(1 + K, 1 + N - K)).  With a population of N the prior on the
 * number of deviations is the beta-binomial(N, A, B).
 */
enum stats_prior_kind {
    STATS_PRIOR_UNIFORM,
    STATS_PRIOR_BETA,
    STATS_PRIOR_SAMPLE
};

struct stats_prior {
    enum stats_prior_kind kind;
    double a, b;   /* Beta(a, b) */
    uint64_t k, n; /* STATS_PRIOR_SAMPLE: the earlier result */
};

/* Largest prior parameter accepted (and K/N's N). */
#define STATS_PRIOR_MAX 1e9
/* Largest population for the beta-binomial form (its sums walk the
 * distribution, which is as wide as N for a vague prior). */
#define STATS_BAYES_MAX_N 10000000u

/* Parse a prior as above.  Returns CA_OK, or CA_USAGE with err->msg set;
 * *out is untouched on error. */
enum ca_status stats_prior_parse(const char *s, struct stats_prior *out,
                                 struct ca_error *err);
/* "uniform", "beta:2.5,40" or "2/60" (the text that parses back to it). */
const char *stats_prior_format(const struct stats_prior *p, char *buf,
                               size_t size);
/* For people: "uniform, beta(1, 1)", "beta(2.5, 40.2)" or "2 deviations in
 * 60 earlier files, beta(3, 59)". */
const char *stats_prior_describe(const struct stats_prior *p, char *buf,
                                 size_t size);

/*
 * Posterior after k deviations in a sample of n (from a population of N;
 * N = 0: none, binomial likelihood), at credibility c and tolerable rate T
 * (docs/sampling.md, "Bayesian evaluation"):
 *   without N  rate ~ Beta(a + k, b + n - k);
 *   with N     deviations = k + Y, Y ~ beta-binomial(N - n, a + k,
 *              b + n - k) over the files not sampled.
 */
struct stats_bayes {
    double post_a, post_b; /* posterior beta parameters */
    uint64_t N;            /* population, 0 = none */
    double mode;        /* posterior mode of the rate; NaN when it has none */
    double upper;       /* credible upper bound on the rate at c */
    uint64_t upper_dev; /* with N: the bound on the deviations in N */
    double p_below, p_above;         /* posterior P(rate < T), 1 - that */
    double prior_below, prior_above; /* the same under the prior */
    /* posterior odds over prior odds of "rate below T"; +inf when the
     * posterior excludes T and above, NaN when the prior does */
    double bayes_factor;
    /* compliant when P(rate < T) >= c (the credible upper bound is within
     * T), not compliant when P(rate > T) >= c, else inconclusive */
    enum stats_verdict verdict;
};

/* Evaluate.  Requires n >= 1, k <= n, N = 0 or n <= N, c and T in (0, 1).
 * Returns CA_OK, or CA_USAGE with err->msg set. */
enum ca_status stats_bayes_evaluate(const struct stats_prior *prior, uint64_t k,
                                    uint64_t n, uint64_t N, struct stats_rate c,
                                    struct stats_rate t,
                                    struct stats_bayes *out,
                                    struct ca_error *err);

/* --- planning ----------------------------------------------------------- */
enum plan_model { PLAN_BINOMIAL, PLAN_POISSON, PLAN_HYPERGEOMETRIC };
const char *stats_model_name(enum plan_model m);
/* "binomial", "poisson", "hypergeometric" -> *m; returns 0, or -1. */
int stats_model_parse(const char *s, enum plan_model *m);

/* Plans above this size are refused (CA_USAGE): they mean the expected
 * and tolerable rates are too close to support any practical sample. */
#define STATS_PLAN_MAX_N 10000000u

struct plan_attr {
    double confidence; /* e.g. 0.95, in (0, 1) */
    double tolerable;  /* tolerable deviation rate, e.g. 0.05, (0, 1) */
    /* c and T exactly; den 0 means "not given": then the shortest decimal
     * of the double (stats_rate_from_double) is used. */
    struct stats_rate confidence_exact;
    struct stats_rate tolerable_exact;
    bool expected_is_rate; /* true: expected_rate; false: expected_errors */
    struct stats_rate expected_rate; /* x = ceil(rate * n), exactly */
    uint64_t expected_errors;
    enum plan_model model;
    uint64_t population; /* N; required for hypergeometric, 0 = unknown */
    /* Bayesian plan with this prior (binomial or hypergeometric model);
     * NULL: the classical plan.  Borrowed. */
    const struct stats_prior *prior;
};

struct plan_result {
    uint64_t n;            /* sample size */
    uint64_t allowed;      /* deviations that still support the statement */
    double achieved_upper; /* upper bound when exactly `allowed` are found */
};

/* Smallest n whose one-sided upper bound with x expected deviations is
 * within the tolerable rate, ties decided exactly (binomial:
 * qbeta(c, x+1, n-x) <= T, i.e. pbinom(x, n, T) <= 1 - c; poisson:
 * qgamma(c, x+1) / n <= T; hypergeometric: the exact upper bound on the
 * number of deviations in N is below T*N, i.e. phyper(x, ceil(T N), .., n)
 * <= 1 - c; with a prior, the posterior upper bound at credibility c is
 * within T: pbeta(T, a+x, b+n-x) >= c, or with N the beta-binomial
 * P(deviations < T N) >= c).  With an expected rate, x =
 * ceil(rate * n) at each candidate n.  CA_USAGE with a message when the
 * inputs admit no such n (e.g. expected rate >= tolerable, hypergeometric
 * without N), n would exceed N (out->n is still set), or n would exceed
 * STATS_PLAN_MAX_N. */
enum ca_status stats_plan_attribute(const struct plan_attr *a,
                                    struct plan_result *out,
                                    struct ca_error *err);

/* Estimation: n = ceil(n0 / (1 + (n0 - 1) / N)), n0 = z^2 p (1-p) / e^2;
 * N = 0 means infinite population (n = ceil(n0)). */
enum ca_status stats_plan_estimate(double margin, double confidence, double p,
                                   uint64_t population, uint64_t *n,
                                   struct ca_error *err);

#endif
