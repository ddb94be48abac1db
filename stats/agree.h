/* SPDX-License-Identifier: MIT */
/*
 * Agreement between two raters who classify the same n items into the
 * same k categories (the rules and a reviewer: pass or fail): the observed
 * agreement, Cohen's kappa and its large-sample interval.
 *
 * Kappa (Cohen 1960): κ = (p_o − p_e) / (1 − p_e), p_o = Σ p_ii,
 * p_e = Σ p_i. p_.i, from the k × k table of counts (rows: rater A, the
 * tool; columns: rater B, the reviewer).
 *
 * Interval: κ ± z·se, z = qnorm(1 − (1 − c)/2), with the large-sample
 * standard error of Fleiss, Cohen and Everitt (Psychological Bulletin 72,
 * 1969, 323-327), which does not assume κ = 0:
 *
 *   var(κ) = [ Σ_i p_ii (1 − (p_i. + p_.i)(1 − κ))²
 *              + (1 − κ)² Σ_{i≠j} p_ij (p_.i + p_j.)²
 *              − (κ − p_e (1 − κ))² ] / (n (1 − p_e)²)
 *
 * and its ends clipped to [−1, 1].  κ is undefined (NaN) when p_e = 1
 * (both raters put every item in one category): agreement is then
 * complete or nil by construction, and says nothing about the raters.
 */
#ifndef CA_AGREE_H
#define CA_AGREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGREE_MAX_K 8

struct agreement_stats {
    uint64_t n;    /* items rated by both */
    double po, pe; /* observed and chance agreement (NaN when n = 0) */
    double kappa;  /* NaN when undefined */
    double se;     /* NaN when undefined */
    double lo, hi; /* the interval, clipped to [-1, 1]; NaN when undefined */
};

/*
 * Agreement of a k × k table of counts (row-major, tab[i * k + j]: rater
 * A said i, rater B said j), 2 <= k <= AGREE_MAX_K, at confidence c in
 * (0, 1).  Returns 0, or -1 for a bad k or c (out is then zeroed).
 */
int stats_agreement(const uint64_t *tab, size_t k, double c,
                    struct agreement_stats *out);

#endif
