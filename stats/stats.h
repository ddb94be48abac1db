/* SPDX-License-Identifier: MIT */
/*
 * Distributions, exact intervals, sample-size planning and verdicts (the
 * statistics contracts in docs/design.md; formulas in docs/sampling.md).
 * Pure functions: no allocation, no global state.  Rates are fractions in
 * [0, 1]; confidence is a fraction such as 0.95.
 */
#ifndef CA_STATS_H
#define CA_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* --- distributions ------------------------------------------------------ */
double stats_binom_cdf(uint64_t k, uint64_t n, double p); /* P(X <= k) */
double stats_poisson_cdf(uint64_t k, double lambda);      /* P(X <= k) */
/* P(X <= k), X ~ hypergeometric: n draws from N items of which K are
 * deviations. */
double stats_hyper_cdf(uint64_t k, uint64_t N, uint64_t K, uint64_t n);
double stats_beta_quantile(double p, double a, double b); /* qbeta */
double stats_gamma_quantile(double p, double shape);      /* qgamma, scale 1 */
double stats_normal_quantile(double p);                   /* AS241 */

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
 * P(X <= k | N, K, n) > 1 - c. */
uint64_t stats_upper_hyper(uint64_t k, uint64_t n, uint64_t N, double c);
uint64_t stats_lower_hyper(uint64_t k, uint64_t n, uint64_t N, double c);

/* --- stratified estimate ----------------------------------------------- */
struct stratum_count {
    uint64_t N; /* stratum population, > 0 */
    uint64_t n; /* sampled, 1 <= n <= N (n >= 2 unless n = N) */
    uint64_t k; /* deviations found, k <= n */
};

struct stratified_result {
    double estimate; /* sum over strata of (N_h / N) * (k_h / n_h) */
    double se;       /* standard error, with finite population correction */
    struct interval
        ci; /* estimate -+ z * se at the confidence, within [0, 1] */
    double lower, upper; /* one-sided bounds estimate -+ z_c * se, in [0, 1] */
    uint64_t N, n, k;    /* totals */
};

/*
 * Stratified estimate of a rate (Cochran 1977, ch. 5): weights W_h =
 * N_h / N, variance sum W_h^2 (1 - n_h/N_h) p_h (1 - p_h) / (n_h - 1), a
 * normal interval at confidence c (two-sided, z = qnorm(1 - (1-c)/2)) and
 * one-sided normal bounds (z = qnorm(c)).  A fully sampled stratum
 * contributes no variance.  Returns CA_OK, or CA_DATA with err->msg naming
 * the 1-based stratum index (also in err->line) when a count is
 * inconsistent (N = 0, n = 0, n > N, k > n, or n = 1 < N).
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
/* compliant when upper < T, not compliant when lower > T, else inconclusive.
 * upper and lower are one-sided bounds at the chosen confidence. */
enum stats_verdict stats_verdict(double lower, double upper, double tolerable);
#define STATS_INDICATIVE_BELOW 30 /* n < 30 is "indicative" */

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
/* ceil(r * n) computed exactly (128-bit intermediate).  r <= 1. */
uint64_t stats_rate_ceil_mul(struct stats_rate r, uint64_t n);

/* ceil(v), except that a v within 1e-12 relative of an integer is taken to
 * be that integer: float noise (a few ulp) must not push a value that is
 * an integer in exact arithmetic up by one.  v >= 0, v < 2^63. */
uint64_t stats_ceil_snap(double v);

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
    /* T exactly, used for ceil(T * N) under the hypergeometric model; den 0
     * means "not given": then stats_ceil_snap(tolerable * N) is used. */
    struct stats_rate tolerable_exact;
    bool expected_is_rate; /* true: expected_rate; false: expected_errors */
    struct stats_rate expected_rate; /* x = ceil(rate * n), exactly */
    uint64_t expected_errors;
    enum plan_model model;
    uint64_t population; /* N; required for hypergeometric, 0 = unknown */
};

struct plan_result {
    uint64_t n;            /* sample size */
    uint64_t allowed;      /* deviations that still support the statement */
    double achieved_upper; /* upper bound when exactly `allowed` are found */
};

/* Smallest n whose one-sided upper bound with x expected deviations is
 * below the tolerable rate (binomial: qbeta(c, x+1, n-x) < T; poisson:
 * qgamma(c, x+1) / n < T; hypergeometric: the exact upper bound on the
 * number of deviations in N is below T*N).  With an expected rate, x =
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
