/* SPDX-License-Identifier: MIT */
/*
 * The sample-size model (see sample_size.h): a plan's sample size for a
 * population, its bound over all populations, and its manifest forms.
 * stats/ does the arithmetic, on exact rationals, so that the planner
 * never rounds a float.
 */
#include "samplers/sample_size.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPT_BIT(id) (1u << ((id)-PLAN_OPT_CONFIDENCE))

static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void plan_options_init(struct plan_options *po)
{
    memset(po, 0, sizeof(*po));
    po->confidence = 0.95;
    po->confidence_exact.num = 19;
    po->confidence_exact.den = 20;
    copy_text(po->confidence_text, sizeof(po->confidence_text), "95%");
    po->p = 0.5;
    copy_text(po->p_text, sizeof(po->p_text), "50%");
    po->model = PLAN_BINOMIAL;
}

bool plan_options_has(const struct plan_options *po, int opt_id)
{
    if (opt_id < PLAN_OPT_CONFIDENCE || opt_id >= PLAN_OPT_END_)
        return false;
    return (po->seen & OPT_BIT((unsigned)opt_id)) != 0;
}

void plan_options_attr(const struct plan_options *po, uint64_t population,
                       struct plan_attr *out)
{
    memset(out, 0, sizeof(*out));
    if (population == 0)
        population = po->population;
    out->confidence = po->confidence;
    out->confidence_exact = po->confidence_exact;
    out->tolerable = po->tolerable;
    out->tolerable_exact = po->tolerable_exact;
    out->expected_is_rate = plan_options_has(po, PLAN_OPT_EXPECTED_RATE);
    out->expected_rate = po->expected_rate;
    out->expected_errors = po->expected_errors;
    if (plan_options_has(po, PLAN_OPT_MODEL))
        out->model = po->model;
    else
        out->model = population ? PLAN_HYPERGEOMETRIC : PLAN_BINOMIAL;
    out->population = population;
}

enum ca_status plan_options_size(const struct plan_options *po,
                                 enum plan_options_mode mode,
                                 uint64_t population, struct plan_size *out,
                                 struct ca_error *err)
{
    return plan_options_size_prior(po, mode, population, NULL, out, err);
}

enum ca_status plan_options_size_prior(const struct plan_options *po,
                                       enum plan_options_mode mode,
                                       uint64_t population,
                                       const struct stats_prior *prior,
                                       struct plan_size *out,
                                       struct ca_error *err)
{
    struct plan_attr a;

    memset(out, 0, sizeof(*out));
    if (population == 0)
        population = po->population;
    out->mode = mode;
    out->population = population;
    if (mode == PLAN_OPTIONS_ESTIMATION)
        return stats_plan_estimate(po->margin, po->confidence, po->p,
                                   population, &out->result.n, err);
    if (mode != PLAN_OPTIONS_ATTRIBUTE)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no sample-size plan given");
    plan_options_attr(po, population, &a);
    a.prior = prior                                  ? prior
              : plan_options_has(po, PLAN_OPT_PRIOR) ? &po->prior
                                                     : NULL;
    out->model = a.model;
    return stats_plan_attribute(&a, &out->result, err);
}

json_t *plan_options_json(const struct plan_options *po,
                          enum plan_options_mode mode, uint64_t population,
                          uint64_t size)
{
    static const char *const mode_names[] = {"fixed", "attribute",
                                             "estimation"};
    json_t *o = json_object();
    bool attr = mode == PLAN_OPTIONS_ATTRIBUTE;
    bool est = mode == PLAN_OPTIONS_ESTIMATION;
    struct plan_attr a;
    int rc = 0;

    if (!o)
        return NULL;
    plan_options_attr(po, population, &a);
    rc |= json_object_set_new(o, "mode", json_string(mode_names[mode]));
    rc |= json_object_set_new(
        o, "size", size ? json_integer((json_int_t)size) : json_null());
    rc |= json_object_set_new(
        o, "confidence", attr || est ? json_real(po->confidence) : json_null());
    rc |= json_object_set_new(o, "tolerable",
                              attr ? json_real(po->tolerable) : json_null());
    rc |=
        json_object_set_new(o, "expected_errors",
                            attr && !a.expected_is_rate
                                ? json_integer((json_int_t)po->expected_errors)
                                : json_null());
    rc |= json_object_set_new(o, "expected_rate",
                              attr && a.expected_is_rate
                                  ? json_string(po->expected_rate_text)
                                  : json_null());
    rc |= json_object_set_new(o, "model",
                              attr ? json_string(stats_model_name(a.model))
                                   : json_null());
    rc |= json_object_set_new(o, "margin",
                              est ? json_real(po->margin) : json_null());
    rc |= json_object_set_new(o, "p", est ? json_real(po->p) : json_null());
    if (attr && plan_options_has(po, PLAN_OPT_PRIOR)) {
        char ptext[96];

        rc |= json_object_set_new(
            o, "prior",
            json_string(stats_prior_format(&po->prior, ptext, sizeof(ptext))));
    }
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

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
    if (plan_options_has(po, PLAN_OPT_PRIOR)) {
        char ptext[96];

        if (dup_text(&pl->prior,
                     stats_prior_format(&po->prior, ptext, sizeof(ptext))))
            return -1;
    }
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
