/* SPDX-License-Identifier: MIT */
/*
 * The sample-size options shared by `plan`, `sample` and `run` (the model
 * they fill, struct plan_options, is samplers/sample_size.h):
 *
 *   attribute:  --tolerable T [--expected-errors X | --expected-rate R]
 *               [--model binomial|poisson|hypergeometric]
 *   estimation: --margin E [--p P]
 *   both:       [--confidence C] [--population N]
 *
 * How a command embeds them (see cmd/plan.c for a complete example):
 *
 *   static const struct option longopts[] = {
 *       {"size", required_argument, NULL, 's'},   ... the command's own ...
 *       PLAN_OPTIONS_LONGOPTS,
 *       {NULL, 0, NULL, 0},
 *   };
 *   struct plan_options po;
 *   plan_options_init(&po);
 *   while ((c = getopt_long(argc, argv, "...", longopts, NULL)) != -1) {
 *       switch (plan_options_parse(&po, c, optarg, usage)) {
 *       case 1: continue;          handled
 *       case -1: return CA_USAGE;  usage error already printed
 *       default: break;            not a plan option: the command's own
 *       }
 *       ...
 *   }
 *   if (plan_options_check(&po, usage, &mode) < 0) return CA_USAGE;
 *   ... per population N (per force): plan_options_size(&po, N, &sz, &err)
 *
 * Option ids are PLAN_OPT_* (>= 0x1100, so they never collide with short
 * option characters).  The help text is PLAN_OPTIONS_HELP.
 *
 * Rates (--confidence, --tolerable, --expected-rate, --margin, --p) accept
 * "95%" or "0.95" and are kept as exact rationals (stats_rate) besides
 * their double value and the text as typed.
 */
#ifndef CA_PLAN_OPTIONS_H
#define CA_PLAN_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "samplers/sample_size.h"

/* Entries for a getopt_long table (no trailing comma, no terminator). */
#define PLAN_OPTIONS_LONGOPTS                                                  \
    {"confidence", required_argument, NULL, PLAN_OPT_CONFIDENCE},              \
        {"tolerable", required_argument, NULL, PLAN_OPT_TOLERABLE},            \
        {"expected-errors", required_argument, NULL,                           \
         PLAN_OPT_EXPECTED_ERRORS},                                            \
        {"expected-rate", required_argument, NULL, PLAN_OPT_EXPECTED_RATE},    \
        {"model", required_argument, NULL, PLAN_OPT_MODEL},                    \
        {"population", required_argument, NULL, PLAN_OPT_POPULATION},          \
        {"margin", required_argument, NULL, PLAN_OPT_MARGIN},                  \
    {                                                                          \
        "p", required_argument, NULL, PLAN_OPT_P                               \
    }

/* Synopsis fragment for usage lines. */
#define PLAN_OPTIONS_SYNOPSIS                                                  \
    "(--tolerable T [--expected-errors X | --expected-rate R] "                \
    "[--model M] | --margin E [--p P]) [--confidence C] [--population N]"

/* Help lines (each starts with two spaces and ends with a newline). */
#define PLAN_OPTIONS_HELP                                                      \
    "  --confidence C       confidence level, e.g. 95% or 0.95 (default "      \
    "95%)\n"                                                                   \
    "  --tolerable T        attribute mode: tolerable deviation rate, e.g. "   \
    "5%\n"                                                                     \
    "  --expected-errors X  deviations the plan allows for (default 0)\n"      \
    "  --expected-rate R    or an expected deviation rate: allows ceil(R*n)\n" \
    "  --model M            binomial, poisson or hypergeometric (default:\n"   \
    "                       hypergeometric with a population, else "           \
    "binomial)\n"                                                              \
    "  --population N       population size N (finite-population planning)\n"  \
    "  --margin E           estimation mode: margin of error, e.g. 5%\n"       \
    "  --p P                estimation mode: anticipated rate (default 50%)\n"

/*
 * Handle one option returned by getopt_long.  Returns 1 when opt_id is a
 * plan option and its value is good, 0 when opt_id is not a plan option
 * (the caller handles it), -1 after printing a usage error (usage is the
 * command's synopsis, printed as "usage: <usage>").
 */
int plan_options_parse(struct plan_options *po, int opt_id, const char *arg,
                       const char *usage);

/*
 * After the option loop: check the combination and return the mode in
 * *mode.  --tolerable selects attribute mode, --margin estimation; both is
 * an error, as is --expected-errors with --expected-rate, an attribute
 * option in estimation mode (or the reverse), hypergeometric without a
 * population when require_population_for_hyper is true (plan; sample knows
 * N from the frame), and plan options without --tolerable or --margin.
 * Returns 0, or -1 after printing a usage error.
 */
int plan_options_check(const struct plan_options *po, const char *usage,
                       bool require_population_for_hyper,
                       enum plan_options_mode *mode);

#endif
