/* SPDX-License-Identifier: MIT */
/*
 * Sample sizes for `sample` and `verify` from the shared plan options
 * (cmd/plan_options.h): n per population (each force with --per-force, else
 * the frame), the largest n any population can get (the hash method's heap
 * size), and the conversion to and from the manifest's "plan" object, so
 * that `verify` re-derives n exactly as `sample` did.
 */
#ifndef CA_SAMPLE_SIZE_H
#define CA_SAMPLE_SIZE_H

#include <stdint.h>

#include "cmd/plan_options.h"
#include "samplers/manifest.h"
#include "util/status.h"

struct sample_sizer {
    struct plan_options po;
    enum plan_options_mode mode; /* ATTRIBUTE or ESTIMATION */
};

/*
 * A sample_size_fn (samplers/draw.h): n for a population of N.  A plan
 * whose n exceeds N under a model other than hypergeometric gives that n
 * (the draw takes the population whole and reports the shortfall).  A
 * population too small for any hypergeometric sample of at most N to
 * support the plan (a force with 5 files and a 10% tolerable rate) gives
 * n = N: it is checked whole, which gives the exact rate.
 */
enum ca_status sample_sizer_size(void *ctx, uint64_t N, uint64_t *n,
                                 struct ca_error *err);

/* The largest n any population can get: the infinite-population plan
 * (binomial, or the model given when it is not hypergeometric), which is
 * never below the finite-population one. */
enum ca_status sample_sizer_bound(const struct sample_sizer *s, uint64_t *bound,
                                  struct ca_error *err);

/* Fill the manifest's plan (mode, rates, model as used: hypergeometric
 * unless --model says otherwise, since N is known).  Returns 0, or -1 on
 * ENOMEM. */
int sample_sizer_to_plan(const struct sample_sizer *s, struct sample_plan *pl);

/* Rebuild the options from a manifest's attribute or estimation plan.
 * Returns 0, or -1 after printing why (usage names the command). */
int sample_sizer_from_plan(struct sample_sizer *s, const struct sample_plan *pl,
                           const char *usage);

#endif
