/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the files of stats/ and not part of its API: both
 * tails of the regularised incomplete beta and gamma functions (so that a
 * small tail keeps its relative accuracy instead of being 1 - something
 * close to 1), tail-aware quantiles and exact integer products.
 */
#ifndef CA_STATS_INTERNAL_H
#define CA_STATS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "stats/stats.h"

/* I_x(a, b) in *lower and 1 - I_x(a, b) in *upper, a, b > 0. */
void stats_ibeta(double x, double a, double b, double *lower, double *upper);
/* P(a, x) in *lower and Q(a, x) = 1 - P(a, x) in *upper, a > 0. */
void stats_igamma(double a, double x, double *lower, double *upper);

/* x with I_x(a, b) = p (lower_tail) or 1 - I_x(a, b) = p (!lower_tail). */
double stats_beta_quantile_tail(double p, int lower_tail, double a, double b);
/* x with P(shape, x) = p (lower_tail) or Q(shape, x) = p. */
double stats_gamma_quantile_tail(double p, int lower_tail, double shape);
/* z with Phi(z) = 1 - p, computed without forming 1 - p. */
double stats_normal_quantile_upper(double p);

/* P(X >= k), X ~ binomial(n, p), accurate when small. */
double stats_binom_sf_ge(uint64_t k, uint64_t n, double p);

/* floor(a * b / d) exactly, d > 0; saturates at UINT64_MAX. */
uint64_t stats_muldiv_floor(uint64_t a, uint64_t b, uint64_t d);

/* --- exact decisions at ties (stats/exact.c) --------------------------- */

/* The size of the integers an exact comparison may use (on the stack). */
#define STATS_EXACT_BITS 65536

/* A rate both as a double and, when q.den > 0, exactly. */
struct stats_xrate {
    double v;
    struct stats_rate q; /* den 0: no exact form known */
};

struct stats_xrate stats_xrate_of(struct stats_rate r);
/* The shortest decimal that rounds to v (stats_rate_from_double). */
struct stats_xrate stats_xrate_of_double(double v);
/* 1 - x, exactly when x is exact. */
struct stats_xrate stats_xrate_complement(struct stats_xrate x);

/*
 * Exact comparison of a tail probability with alpha: the lower tail
 * P(X <= k) (upper = 0) or the upper tail P(X >= k) (upper = 1) of
 *   binom:      X ~ Bin(n, p)
 *   hyper:      X ~ hypergeometric, n drawn from N of which K deviate
 *   betabinom:  Y ~ beta-binomial(M, a, b), whole a, b >= 1
 * Returns -1, 0 or 1 as P is below, equal to or above alpha, or 2 when the
 * integers involved would exceed STATS_EXACT_BITS (not decided).
 */
int stats_exact_binom_cmp(uint64_t k, uint64_t n, struct stats_rate p,
                          int upper, struct stats_rate alpha);
int stats_exact_hyper_cmp(uint64_t k, uint64_t N, uint64_t K, uint64_t n,
                          int upper, struct stats_rate alpha);
int stats_exact_betabinom_cmp(uint64_t y, uint64_t M, uint64_t a, uint64_t b,
                              int upper, struct stats_rate alpha);

/* P <= alpha for the tail as above: in double, and exactly when the double
 * is within 1e-9 relative of alpha and both rates are exact. */
bool stats_binom_tail_le(uint64_t k, uint64_t n, struct stats_xrate p,
                         int upper, struct stats_xrate alpha);
bool stats_hyper_tail_le(uint64_t k, uint64_t N, uint64_t K, uint64_t n,
                         int upper, struct stats_xrate alpha);

/* --- Bayesian planning (stats/bayes.c) ---------------------------------- */

/* Whether x deviations in a sample of n (from N; 0: none) leave the
 * posterior upper bound within T: P(rate >= T | data) <= alpha. */
bool stats_bayes_within(const struct stats_prior *p, uint64_t x, uint64_t n,
                        uint64_t N, struct stats_xrate t,
                        struct stats_xrate alpha);
/* The posterior upper bound on the rate at credibility c. */
double stats_bayes_upper(const struct stats_prior *p, uint64_t x, uint64_t n,
                         uint64_t N, struct stats_xrate c);

#endif
