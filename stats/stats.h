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
#include <stdint.h>

#include "util/status.h"

/* --- distributions ------------------------------------------------------ */
double stats_binom_cdf(uint64_t k, uint64_t n, double p);        /* P(X <= k) */
double stats_poisson_cdf(uint64_t k, double lambda);              /* P(X <= k) */
/* P(X <= k), X ~ hypergeometric: n draws from N items of which K are
 * deviations. */
double stats_hyper_cdf(uint64_t k, uint64_t N, uint64_t K, uint64_t n);
double stats_beta_quantile(double p, double a, double b);         /* qbeta */
double stats_gamma_quantile(double p, double shape);               /* qgamma, scale 1 */
double stats_normal_quantile(double p);                           /* AS241 */

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

/* --- verdicts ----------------------------------------------------------- */
enum verdict { VERDICT_COMPLIANT, VERDICT_NOT_COMPLIANT, VERDICT_INCONCLUSIVE };
const char *stats_verdict_name(enum verdict v); /* "compliant", "not compliant", "inconclusive" */
/* compliant when upper < T, not compliant when lower > T, else inconclusive.
 * upper and lower are one-sided bounds at the chosen confidence. */
enum verdict stats_verdict(double lower, double upper, double tolerable);
#define STATS_INDICATIVE_BELOW 30 /* n < 30 is "indicative" */

/* --- planning ----------------------------------------------------------- */
enum plan_model { PLAN_BINOMIAL, PLAN_POISSON, PLAN_HYPERGEOMETRIC };
const char *stats_model_name(enum plan_model m);
int stats_model_parse(const char *s, enum plan_model *m);

struct plan_attr {
    double confidence;       /* e.g. 0.95 */
    double tolerable;        /* tolerable deviation rate, e.g. 0.05 */
    bool expected_is_rate;   /* true: expected_rate; false: expected_errors */
    double expected_rate;    /* x = ceil(rate * n), without float error */
    uint64_t expected_errors;
    enum plan_model model;
    uint64_t population;     /* N; required for hypergeometric, 0 = unknown */
};

struct plan_result {
    uint64_t n;              /* sample size */
    uint64_t allowed;        /* deviations that still support the statement */
    double achieved_upper;   /* upper bound when exactly `allowed` are found */
};

/* Smallest n whose one-sided upper bound with x expected deviations is
 * below the tolerable rate.  CA_USAGE with a message when the inputs admit
 * no such n (e.g. expected rate >= tolerable) or n would exceed N. */
enum ca_status stats_plan_attribute(const struct plan_attr *a,
                                    struct plan_result *out,
                                    struct ca_error *err);

/* Estimation: n = ceil(n0 / (1 + (n0 - 1) / N)), n0 = z^2 p (1-p) / e^2;
 * N = 0 means infinite population (n = ceil(n0)). */
enum ca_status stats_plan_estimate(double margin, double confidence, double p,
                                   uint64_t population, uint64_t *n,
                                   struct ca_error *err);

#endif
