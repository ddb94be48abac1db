/* SPDX-License-Identifier: MIT */
/*
 * Allocation of a sample size n across strata (docs/sampling-methods.md,
 * "Allocation"):
 *   proportional  n_h = n N_h / N by the largest-remainder (Hamilton)
 *                 method: floors first, then one more to the strata with
 *                 the largest remainders n N_h mod N, ties to the stratum
 *                 that comes first in label order; sums exactly to n.
 *   equal         floor(n / H) each, one more to the first n mod H strata
 *                 in label order (H = non-empty strata).
 *   min:K         proportional, but every non-empty stratum gets at least
 *                 K: strata below K are fixed at K and the rest of n is
 *                 re-allocated proportionally among the others, repeated
 *                 until no non-empty stratum is below K.  min:0 is
 *                 proportional; min:1 gives every non-empty stratum one.
 *   divisor       Webster / Sainte-Lague highest averages: the n units go
 *                 one at a time to the stratum with the largest
 *                 N_h / (2 n_h + 1), ties to the stratum first in label
 *                 order.  Monotone in n (enlarging n never takes a unit
 *                 from a stratum), unlike largest remainder, whose Alabama
 *                 paradox can (docs/sampling.md).  divisor:K starts every
 *                 non-empty stratum at K units.
 * Empty strata (N_h = 0) get 0.  Allocations are not capped at N_h: the
 * caller takes such a stratum whole and reports the shortfall, so the
 * requested n is never silently changed.  Exact integer arithmetic.
 */
#ifndef CA_ALLOC_H
#define CA_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

enum alloc_kind {
    ALLOC_PROPORTIONAL = 0,
    ALLOC_EQUAL,
    ALLOC_MIN,
    ALLOC_DIVISOR
};

struct alloc_spec {
    enum alloc_kind kind;
    uint64_t min; /* K for ALLOC_MIN and ALLOC_DIVISOR */
    bool min_one; /* equal: refuse an n below the number of non-empty
                   * strata (proportional: use min:1 instead) */
};

/* Parse "proportional", "equal", "min:K", "divisor" or "divisor:K".
 * Returns 0, or -1. */
int alloc_parse(const char *s, struct alloc_spec *a);
/* --min-one of `sample`: at least one file per non-empty stratum.
 * proportional becomes min:1, min:0 and divisor:0 take a floor of one,
 * and equal refuses an n below the number of non-empty strata. */
void alloc_min_one(struct alloc_spec *a);
/* The canonical text of a ("proportional", "equal", "min:3", "divisor",
 * "divisor:1"). */
const char *alloc_format(const struct alloc_spec *a, char *buf, size_t size);

/*
 * Allocate n across H strata of sizes N[0..H-1], given in label order
 * (that order breaks ties).  Fills out[0..H-1].  CA_USAGE (err says why)
 * when min:K or divisor:K needs more than n (K times the non-empty
 * strata), or equal with min_one has fewer than one per non-empty stratum.
 */
enum ca_status alloc_compute(const struct alloc_spec *a, uint64_t n,
                             const uint64_t *N, size_t H, uint64_t *out,
                             struct ca_error *err);

#endif
