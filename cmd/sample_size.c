/* SPDX-License-Identifier: MIT */
/* Sample sizes from plan options, and their manifest form; see
 * sample_size.h. */
#include "cmd/sample_size.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPT_BIT(id) (1u << ((id)-PLAN_OPT_CONFIDENCE))

enum ca_status sample_sizer_size(void *ctx, uint64_t N, uint64_t *n,
                                 struct ca_error *err)
{
    const struct sample_sizer *s = ctx;
    struct plan_size ps;
    enum ca_status st;

    st = plan_options_size(&s->po, s->mode, N, &ps, err);
    if (st == CA_USAGE && ps.result.n > N && N > 0) {
        /* more than the population under binomial / poisson: take it
         * whole, shortfall reported */
        ca_error_clear(err);
        st = CA_OK;
    } else if (st == CA_USAGE && N > 0 && s->mode == PLAN_OPTIONS_ATTRIBUTE &&
               ps.model == PLAN_HYPERGEOMETRIC) {
        /* a population too small for any sample of at most N to support
         * the plan (the plan itself holds: sample_sizer_bound checked it):
         * check it whole, which gives the exact rate */
        ca_error_clear(err);
        ps.result.n = N;
        st = CA_OK;
    }
    if (st == CA_OK)
        *n = ps.result.n;
    return st;
}

enum ca_status sample_sizer_bound(const struct sample_sizer *s, uint64_t *bound,
                                  struct ca_error *err)
{
    struct plan_options po = s->po;
    struct plan_size ps;
    enum ca_status st;

    if (plan_options_has(&po, PLAN_OPT_MODEL) &&
        po.model == PLAN_HYPERGEOMETRIC)
        po.seen &=
            ~OPT_BIT(PLAN_OPT_MODEL); /* binomial n >= hypergeometric n */
    po.population = 0;
    po.seen &= ~OPT_BIT(PLAN_OPT_POPULATION);
    st = plan_options_size(&po, s->mode, 0, &ps, err);
    if (st == CA_OK)
        *bound = ps.result.n;
    return st;
}

static int dup_text(char **dst, const char *s)
{
    free(*dst);
    *dst = strdup(s);
    return *dst ? 0 : -1;
}

int sample_sizer_to_plan(const struct sample_sizer *s, struct sample_plan *pl)
{
    const struct plan_options *po = &s->po;

    pl->size = 0;
    pl->confidence = po->confidence;
    if (s->mode == PLAN_OPTIONS_ESTIMATION) {
        pl->mode = PLAN_MODE_ESTIMATION;
        pl->margin = po->margin;
        pl->p = po->p;
        return 0;
    }
    pl->mode = PLAN_MODE_ATTRIBUTE;
    pl->tolerable = po->tolerable;
    if (plan_options_has(po, PLAN_OPT_EXPECTED_RATE)) {
        if (dup_text(&pl->expected_rate, po->expected_rate_text))
            return -1;
    } else {
        pl->has_expected_errors = true;
        pl->expected_errors = po->expected_errors;
    }
    return dup_text(&pl->model, plan_options_has(po, PLAN_OPT_MODEL)
                                    ? stats_model_name(po->model)
                                    : stats_model_name(PLAN_HYPERGEOMETRIC));
}

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
    }
    return plan_options_check(&s->po, usage, false, &s->mode);
}
