/* SPDX-License-Identifier: MIT */
/*
 * A manifest's plan read back into plan options for `sample --merge` and
 * `verify`, through the same option parser as the command line, so that a
 * manifest's plan is checked as strictly as typed options.  The
 * sample-size model itself (struct sample_sizer, sample_sizer_size,
 * sample_sizer_bound, sample_sizer_to_plan) is samplers/sample_size.h.
 */
#ifndef CA_CMD_SAMPLE_SIZE_H
#define CA_CMD_SAMPLE_SIZE_H

#include "cmd/plan_options.h"
#include "samplers/sample_size.h"

/* Rebuild the options from a manifest's attribute or estimation plan.
 * Returns 0, or -1 after printing why (usage names the command). */
int sample_sizer_from_plan(struct sample_sizer *s, const struct sample_plan *pl,
                           const char *usage);

#endif
