/* SPDX-License-Identifier: MIT */
/*
 * The sample-size model behind `plan`, `sample`, `verify` and `run`: a
 * plan (attribute: tolerable rate, expected errors or rate, model;
 * estimation: margin and anticipated rate; both: confidence and population)
 * held as struct plan_options, the sample size it gives a population of N
 * (stats/ does the arithmetic), the largest n any population can get, and
 * its manifest forms (the "plan" object and struct sample_plan), so that
 * `verify` re-derives n exactly as `sample` did.
 *
 * The command line fills struct plan_options (cmd/plan_options.h parses
 * and checks the options); this module never prints.  Nothing returned
 * here borrows from the plan, except as each function says.
 */
#ifndef CA_SAMPLERS_SAMPLE_SIZE_H
#define CA_SAMPLERS_SAMPLE_SIZE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "samplers/manifest.h"
#include "stats/stats.h"
#include "util/status.h"

/* What a plan was given, one bit each in struct plan_options.seen; the
 * ids double as the command line's option ids (>= 0x1100, so they never
 * collide with short option characters). */
enum plan_option_id {
    PLAN_OPT_CONFIDENCE = 0x1100,
    PLAN_OPT_TOLERABLE,
    PLAN_OPT_EXPECTED_ERRORS,
    PLAN_OPT_EXPECTED_RATE,
    PLAN_OPT_MODEL,
    PLAN_OPT_POPULATION,
    PLAN_OPT_MARGIN,
    PLAN_OPT_P,
    PLAN_OPT_PRIOR, /* a beta prior: Bayesian planning (attribute mode) */
    PLAN_OPT_END_
};

enum plan_options_mode {
    PLAN_OPTIONS_NONE = 0, /* no plan given (a fixed --size, say) */
    PLAN_OPTIONS_ATTRIBUTE,
    PLAN_OPTIONS_ESTIMATION
};

/* Text of a rate as typed (for manifests and messages). */
#define PLAN_OPTIONS_TEXT 40

struct plan_options {
    unsigned seen;     /* bit (id - PLAN_OPT_CONFIDENCE) per option */
    double confidence; /* default 0.95 */
    struct stats_rate confidence_exact;
    char confidence_text[PLAN_OPTIONS_TEXT];
    double tolerable;
    struct stats_rate tolerable_exact;
    char tolerable_text[PLAN_OPTIONS_TEXT];
    uint64_t expected_errors; /* default 0 */
    struct stats_rate expected_rate;
    char expected_rate_text[PLAN_OPTIONS_TEXT]; /* "" unless given */
    enum plan_model model; /* meaningful when plan_options_has(MODEL) */
    uint64_t population;   /* 0 unless --population */
    double margin;
    char margin_text[PLAN_OPTIONS_TEXT];
    double p; /* default 0.5 */
    char p_text[PLAN_OPTIONS_TEXT];
    struct stats_prior prior; /* when plan_options_has(PRIOR) */
};

/* Defaults: confidence 95%, no tolerable, 0 expected errors, p = 50%. */
void plan_options_init(struct plan_options *po);

/* Whether the option with this PLAN_OPT_* id was given. */
bool plan_options_has(const struct plan_options *po, int opt_id);

/*
 * The attribute plan for a population of N (0: the --population value, or
 * unknown).  The model is --model, else hypergeometric when N > 0, else
 * binomial.
 */
void plan_options_attr(const struct plan_options *po, uint64_t population,
                       struct plan_attr *out);

/* Size of a sample and what it allows; allowed/achieved_upper are 0 in
 * estimation mode. */
struct plan_size {
    enum plan_options_mode mode;
    uint64_t population;       /* N used (0 = infinite/unknown) */
    enum plan_model model;     /* attribute mode */
    struct plan_result result; /* n, allowed deviations, achieved bound */
};

/*
 * Compute the sample size for a population of N (0: --population or
 * infinite) in the mode plan_options_check returned (not NONE).  Returns
 * CA_OK, or CA_USAGE with err set when no sample size supports the plan
 * (the message says why, e.g. "expected rate 6% is not below the tolerable
 * rate 5%").  With a model other than hypergeometric and n > N, returns
 * CA_USAGE with out->result.n still set, so a sampler may take the whole
 * population instead.
 */
enum ca_status plan_options_size(const struct plan_options *po,
                                 enum plan_options_mode mode,
                                 uint64_t population, struct plan_size *out,
                                 struct ca_error *err);

/*
 * The manifest "plan" object: {"mode", "size", "confidence", "tolerable",
 * "expected_errors", "expected_rate", "model", "margin", "p"}; size may be
 * 0 for "per population" (written as null).  New reference; NULL on OOM.
 */
json_t *plan_options_json(const struct plan_options *po,
                          enum plan_options_mode mode, uint64_t population,
                          uint64_t size);

/*
 * As plan_options_size in attribute mode, with a prior (Bayesian planning;
 * NULL: the --prior of po if given, else the classical plan).  mode must be PLAN_OPTIONS_ATTRIBUTE when
 * prior is given.
 */
enum ca_status plan_options_size_prior(const struct plan_options *po,
                                       enum plan_options_mode mode,
                                       uint64_t population,
                                       const struct stats_prior *prior,
                                       struct plan_size *out,
                                       struct ca_error *err);

/* A plan and its mode, as sample_size_fn's context (samplers/draw.h). */
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

#endif
