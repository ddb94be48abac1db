/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the files of stats/ and not part of its API: both
 * tails of the regularised incomplete beta and gamma functions (so that a
 * small tail keeps its relative accuracy instead of being 1 - something
 * close to 1), tail-aware quantiles and exact integer products.
 */
#ifndef CA_STATS_INTERNAL_H
#define CA_STATS_INTERNAL_H

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

#endif
