/* SPDX-License-Identifier: MIT */
/* Sample-size planning (placeholder: the planner lands in the next commit). */
#include "stats/stats.h"

enum ca_status stats_plan_attribute(const struct plan_attr *a,
                                    struct plan_result *out,
                                    struct ca_error *err)
{
    (void)a;
    (void)out;
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "planning is not implemented yet");
}

enum ca_status stats_plan_estimate(double margin, double confidence, double p,
                                   uint64_t population, uint64_t *n,
                                   struct ca_error *err)
{
    (void)margin;
    (void)confidence;
    (void)p;
    (void)population;
    (void)n;
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "planning is not implemented yet");
}
