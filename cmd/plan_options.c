/* SPDX-License-Identifier: MIT */
/*
 * Parsing and checking of the sample-size options shared by `plan`,
 * `sample` and `run` (see plan_options.h for how to embed them).  Rates
 * are parsed into exact rationals so that the planner never rounds a
 * float; the sizing is samplers/sample_size.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/plan_options.h"

static const char *const opt_names[] = {
    "--confidence",    "--tolerable", "--expected-errors",
    "--expected-rate", "--model",     "--population",
    "--margin",        "--p",         "--prior",
};

static unsigned opt_bit(int id)
{
    return 1u << (unsigned)(id - PLAN_OPT_CONFIDENCE);
}

static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* A rate strictly inside (0, 1), or [0, 1) when allow_zero. */
static int parse_rate(const char *usage, int id, const char *arg,
                      bool allow_zero, struct stats_rate *q, double *v,
                      char *text, size_t text_size)
{
    struct ca_error err = CA_ERROR_INIT;
    const char *name = opt_names[id - PLAN_OPT_CONFIDENCE];

    if (stats_rate_parse(arg, q, &err) != CA_OK || q->num >= q->den ||
        (!allow_zero && q->num == 0)) {
        cmd_rate_error(usage, name, arg,
                       allow_zero ? "a rate from 0 and below 1"
                                  : "a rate above 0 and below 1");
        return -1;
    }
    *v = stats_rate_value(*q);
    if (text)
        copy_text(text, text_size, arg);
    return 0;
}

int plan_options_parse(struct plan_options *po, int opt_id, const char *arg,
                       const char *usage)
{
    struct stats_rate q;
    const char *name;

    if (opt_id < PLAN_OPT_CONFIDENCE || opt_id >= PLAN_OPT_END_)
        return 0;
    name = opt_names[opt_id - PLAN_OPT_CONFIDENCE];
    if (!arg)
        arg = "";
    if (po->seen & opt_bit(opt_id)) {
        cmd_usage_error(usage, "option '%s' given twice", name);
        return -1;
    }
    switch ((enum plan_option_id)opt_id) {
    case PLAN_OPT_CONFIDENCE:
        if (parse_rate(usage, opt_id, arg, false, &po->confidence_exact,
                       &po->confidence, po->confidence_text,
                       sizeof(po->confidence_text)) < 0)
            return -1;
        break;
    case PLAN_OPT_TOLERABLE:
        if (parse_rate(usage, opt_id, arg, false, &po->tolerable_exact,
                       &po->tolerable, po->tolerable_text,
                       sizeof(po->tolerable_text)) < 0)
            return -1;
        break;
    case PLAN_OPT_EXPECTED_ERRORS:
        if (cmd_parse_u64(usage, name, arg, 0, STATS_PLAN_MAX_N,
                          &po->expected_errors) < 0)
            return -1;
        break;
    case PLAN_OPT_EXPECTED_RATE: {
        double v;

        if (parse_rate(usage, opt_id, arg, true, &po->expected_rate, &v,
                       po->expected_rate_text,
                       sizeof(po->expected_rate_text)) < 0)
            return -1;
        break;
    }
    case PLAN_OPT_MODEL:
        if (stats_model_parse(arg, &po->model) < 0) {
            cmd_usage_error(usage,
                            "option '--model' needs binomial, poisson or "
                            "hypergeometric, not '%s'",
                            arg);
            return -1;
        }
        break;
    case PLAN_OPT_POPULATION:
        if (cmd_parse_u64(usage, name, arg, 1, UINT64_C(1) << 53,
                          &po->population) < 0)
            return -1;
        break;
    case PLAN_OPT_MARGIN:
        if (parse_rate(usage, opt_id, arg, false, &q, &po->margin,
                       po->margin_text, sizeof(po->margin_text)) < 0)
            return -1;
        break;
    case PLAN_OPT_P:
        if (parse_rate(usage, opt_id, arg, false, &q, &po->p, po->p_text,
                       sizeof(po->p_text)) < 0)
            return -1;
        break;
    case PLAN_OPT_PRIOR: {
        struct ca_error err = CA_ERROR_INIT;

        if (stats_prior_parse(arg, &po->prior, &err) != CA_OK) {
            cmd_usage_error(usage, "option '--prior' %s", err.msg);
            return -1;
        }
        break;
    }
    case PLAN_OPT_END_:
        return 0;
    }
    po->seen |= opt_bit(opt_id);
    return 1;
}

int plan_options_check(const struct plan_options *po, const char *usage,
                       bool require_population_for_hyper,
                       enum plan_options_mode *mode)
{
    static const int attr_only[] = {PLAN_OPT_EXPECTED_ERRORS,
                                    PLAN_OPT_EXPECTED_RATE, PLAN_OPT_MODEL,
                                    PLAN_OPT_PRIOR};
    bool attr = plan_options_has(po, PLAN_OPT_TOLERABLE);
    bool est = plan_options_has(po, PLAN_OPT_MARGIN);
    const char *attr_opt = NULL;
    size_t i;

    *mode = PLAN_OPTIONS_NONE;
    for (i = 0; i < sizeof(attr_only) / sizeof(attr_only[0]); i++)
        if (!attr_opt && plan_options_has(po, attr_only[i]))
            attr_opt = opt_names[attr_only[i] - PLAN_OPT_CONFIDENCE];
    if (attr && est) {
        cmd_usage_error(usage, "options '--tolerable' (attribute mode) and "
                               "'--margin' (estimation mode) exclude each "
                               "other");
        return -1;
    }
    if (plan_options_has(po, PLAN_OPT_EXPECTED_ERRORS) &&
        plan_options_has(po, PLAN_OPT_EXPECTED_RATE)) {
        cmd_usage_error(usage, "options '--expected-errors' and "
                               "'--expected-rate' exclude each other");
        return -1;
    }
    if (!attr && attr_opt) {
        cmd_usage_error(usage, "option '%s' needs '--tolerable'", attr_opt);
        return -1;
    }
    if (!est && plan_options_has(po, PLAN_OPT_P)) {
        cmd_usage_error(usage, "option '--p' needs '--margin'");
        return -1;
    }
    if (!attr && !est) {
        if (plan_options_has(po, PLAN_OPT_CONFIDENCE) ||
            plan_options_has(po, PLAN_OPT_POPULATION)) {
            cmd_usage_error(usage, "plan options need '--tolerable' "
                                   "(attribute) or '--margin' (estimation)");
            return -1;
        }
        return 0;
    }
    if (attr && require_population_for_hyper &&
        plan_options_has(po, PLAN_OPT_MODEL) &&
        po->model == PLAN_HYPERGEOMETRIC &&
        !plan_options_has(po, PLAN_OPT_POPULATION)) {
        cmd_usage_error(usage, "the hypergeometric model needs "
                               "'--population N'");
        return -1;
    }
    *mode = attr ? PLAN_OPTIONS_ATTRIBUTE : PLAN_OPTIONS_ESTIMATION;
    return 0;
}
