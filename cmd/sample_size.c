/* SPDX-License-Identifier: MIT */
/* A manifest's plan read back into plan options; see sample_size.h. */
#include "cmd/sample_size.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A rate as decimal text that reads back to the same double: the shortest
 * of 15 or 17 significant digits, never in exponent form. */
static void rate_text(double v, char *buf, size_t size)
{
    char *e;

    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) == v && !strchr(buf, 'e'))
        return;
    snprintf(buf, size, "%.20f", v);
    e = buf + strlen(buf);
    while (e > buf + 2 && e[-1] == '0')
        *--e = '\0';
}

int sample_sizer_from_plan(struct sample_sizer *s, const struct sample_plan *pl,
                           const char *usage)
{
    char buf[64];

    plan_options_init(&s->po);
    rate_text(pl->confidence, buf, sizeof(buf));
    if (plan_options_parse(&s->po, PLAN_OPT_CONFIDENCE, buf, usage) != 1)
        return -1;
    if (pl->mode == PLAN_MODE_ESTIMATION) {
        rate_text(pl->margin, buf, sizeof(buf));
        if (plan_options_parse(&s->po, PLAN_OPT_MARGIN, buf, usage) != 1)
            return -1;
        rate_text(pl->p, buf, sizeof(buf));
        if (plan_options_parse(&s->po, PLAN_OPT_P, buf, usage) != 1)
            return -1;
    } else {
        rate_text(pl->tolerable, buf, sizeof(buf));
        if (plan_options_parse(&s->po, PLAN_OPT_TOLERABLE, buf, usage) != 1)
            return -1;
        if (pl->expected_rate) {
            if (plan_options_parse(&s->po, PLAN_OPT_EXPECTED_RATE,
                                   pl->expected_rate, usage) != 1)
                return -1;
        } else {
            snprintf(buf, sizeof(buf), "%llu",
                     (unsigned long long)pl->expected_errors);
            if (plan_options_parse(&s->po, PLAN_OPT_EXPECTED_ERRORS, buf,
                                   usage) != 1)
                return -1;
        }
        if (pl->model &&
            plan_options_parse(&s->po, PLAN_OPT_MODEL, pl->model, usage) != 1)
            return -1;
        if (pl->prior &&
            plan_options_parse(&s->po, PLAN_OPT_PRIOR, pl->prior, usage) != 1)
            return -1;
    }
    return plan_options_check(&s->po, usage, false, &s->mode);
}
