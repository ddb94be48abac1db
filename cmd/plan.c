/* SPDX-License-Identifier: MIT */
/*
 * caseaudit plan: the sample size that supports a statement.
 *
 * Attribute mode (--tolerable) prints the smallest n whose one-sided upper
 * bound, with the deviations the plan allows, is within the tolerable rate,
 * and what a clean result would support; with --prior the bound is the
 * posterior (credible) upper bound under a beta prior.  Estimation mode
 * (--margin) prints the n for a result stated as "X% +- E".  The options
 * are the shared plan options of cmd/plan_options.h and --prior; the
 * statistics are stats/plan.c and stats/bayes.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "cmd/plan_options.h"
#include "stats/stats.h"

static const char usage[] =
    "caseaudit plan " PLAN_OPTIONS_SYNOPSIS " [--prior P] [--json]";

static void print_help(void)
{
    printf(
        "usage: %s\n\n"
        "Compute a sample size.  Attribute mode (--tolerable): the smallest\n"
        "sample whose one-sided upper bound on the deviation rate, with the\n"
        "deviations the plan allows, is within the tolerable rate (with\n"
        "--prior: the posterior upper bound at the confidence, read as a\n"
        "credibility).  Estimation mode (--margin): the sample for a rate\n"
        "stated as \"X%% +- E\".\n\n"
        "options:\n"
        "%s"
        "  --prior P            attribute mode, Bayesian: a beta prior, one "
        "of\n"
        "                       uniform, beta:A,B or K/N (K deviations in N\n"
        "                       earlier files: beta(1+K, 1+N-K))\n"
        "  --json               print a JSON object\n"
        "  -h, --help           show this help\n\n"
        "examples:\n"
        "  caseaudit plan --tolerable 5%%                       (n = 59)\n"
        "  caseaudit plan --tolerable 5%% --expected-errors 1   (n = 93)\n"
        "  caseaudit plan --tolerable 5%% --prior uniform       (n = 58)\n"
        "  caseaudit plan --margin 5%% --population 2000\n",
        usage, PLAN_OPTIONS_HELP);
}

/* A rate as a percentage, up to 10 significant digits ("3.5%"). */
static const char *pct(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.10g%%", v * 100);
    return buf;
}

/* A bound below the tolerable rate t as a percentage: four significant
 * digits ("4.951%"), or as many more as it takes (up to 12) for the printed
 * value to be visibly below t ("4.99994%" rather than "5%"). */
static const char *pct_below(char *buf, size_t size, double v, double t)
{
    int prec;

    for (prec = 4; prec <= 12; prec++) {
        snprintf(buf, size, "%.*g%%", prec, v * 100);
        if (strtod(buf, NULL) < t * 100)
            break;
    }
    return buf;
}

static void attribute_sentence(char *buf, size_t size,
                               const struct plan_options *po,
                               const struct plan_size *sz, const char *prior)
{
    char t[64], c[64];
    unsigned long long n = (unsigned long long)sz->result.n,
                       x = (unsigned long long)sz->result.allowed;
    char who[128];

    if (sz->population)
        snprintf(who, sizeof(who),
                 "the deviation rate in the population of "
                 "%llu",
                 (unsigned long long)sz->population);
    else
        snprintf(who, sizeof(who), "the population deviation rate");
    if (prior) {
        char what[160];

        if (x == 0)
            snprintf(what, sizeof(what),
                     "none of the %llu sampled records "
                     "deviates",
                     n);
        else
            snprintf(what, sizeof(what),
                     "at most %llu of the %llu sampled "
                     "records deviate%s",
                     x, n, x == 1 ? "s" : "");
        snprintf(buf, size,
                 "If %s, the posterior probability (prior %s) that %s is "
                 "below %s is at least %s.",
                 what, prior, who, pct(t, sizeof(t), po->tolerable),
                 pct(c, sizeof(c), po->confidence));
    } else if (x == 0)
        snprintf(buf, size,
                 "If none of the %llu sampled records deviates, the result "
                 "supports the statement that %s is below %s at %s "
                 "confidence.",
                 n, who, pct(t, sizeof(t), po->tolerable),
                 pct(c, sizeof(c), po->confidence));
    else
        snprintf(buf, size,
                 "If at most %llu of the %llu sampled records deviate%s, the "
                 "result supports the statement that %s is below %s at %s "
                 "confidence.",
                 x, n, x == 1 ? "s" : "", who, pct(t, sizeof(t), po->tolerable),
                 pct(c, sizeof(c), po->confidence));
}

static void estimation_sentence(char *buf, size_t size,
                                const struct plan_options *po,
                                const struct plan_size *sz)
{
    char e[64], c[64], p[64];

    snprintf(buf, size,
             "A sample of %llu supports a rate stated as \"X%% +- %s\" at %s "
             "confidence when the rate is near %s (the margin is widest at "
             "50%%).",
             (unsigned long long)sz->result.n, pct(e, sizeof(e), po->margin),
             pct(c, sizeof(c), po->confidence), pct(p, sizeof(p), po->p));
}

static int print_json(const struct plan_options *po,
                      enum plan_options_mode mode, const struct plan_size *sz,
                      const char *sentence, const char *prior)
{
    json_t *o = json_object();
    bool attr = mode == PLAN_OPTIONS_ATTRIBUTE;
    int rc = 0;

    if (!o)
        goto oom;
    rc |= json_object_set_new(o, "mode",
                              json_string(attr ? "attribute" : "estimation"));
    rc |= json_object_set_new(o, "n", json_integer((json_int_t)sz->result.n));
    rc |= json_object_set_new(o, "model",
                              attr ? json_string(stats_model_name(sz->model))
                                   : json_null());
    rc |= json_object_set_new(o, "confidence", json_real(po->confidence));
    rc |= json_object_set_new(o, "tolerable",
                              attr ? json_real(po->tolerable) : json_null());
    rc |= json_object_set_new(
        o, "expected_errors",
        attr ? json_integer((json_int_t)sz->result.allowed) : json_null());
    rc |=
        json_object_set_new(o, "expected_rate",
                            attr && plan_options_has(po, PLAN_OPT_EXPECTED_RATE)
                                ? json_string(po->expected_rate_text)
                                : json_null());
    rc |= json_object_set_new(
        o, "allowed",
        attr ? json_integer((json_int_t)sz->result.allowed) : json_null());
    rc |= json_object_set_new(o, "achieved_upper",
                              attr ? json_real(sz->result.achieved_upper)
                                   : json_null());
    rc |= json_object_set_new(o, "margin",
                              attr ? json_null() : json_real(po->margin));
    rc |= json_object_set_new(o, "p", attr ? json_null() : json_real(po->p));
    rc |= json_object_set_new(o, "population",
                              sz->population
                                  ? json_integer((json_int_t)sz->population)
                                  : json_null());
    rc |= json_object_set_new(o, "prior",
                              prior ? json_string(prior) : json_null());
    rc |= json_object_set_new(o, "statement", json_string(sentence));
    if (rc)
        goto oom;
    if (json_dumpf(o, stdout,
                   JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                       JSON_REAL_PRECISION(15)) < 0)
        goto oom;
    putchar('\n');
    json_decref(o);
    return CA_OK;
oom:
    json_decref(o);
    return cmd_oom();
}

int cmd_plan(int argc, char **argv)
{
    static const struct option longopts[] = {
        PLAN_OPTIONS_LONGOPTS,
        {"prior", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct plan_options po;
    enum plan_options_mode mode;
    struct plan_size sz;
    struct ca_error err = CA_ERROR_INIT;
    bool json = false, has_prior = false;
    struct stats_prior prior;
    char sentence[1024], b1[64], b2[64], b3[128], ptext[96];
    int c;

    plan_options_init(&po);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int r = plan_options_parse(&po, c, optarg, usage);

        if (r < 0)
            return CA_USAGE;
        if (r > 0)
            continue;
        switch (c) {
        case 'p':
            if (has_prior)
                return cmd_usage_error(usage, "option '--prior' given twice");
            if (stats_prior_parse(optarg, &prior, &err) != CA_OK)
                return cmd_usage_error(usage, "option '--prior' %s", err.msg);
            has_prior = true;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            print_help();
            return CA_OK;
        default:
            return cmd_getopt_error(usage, argv, c, longopts);
        }
    }
    if (optind < argc)
        return cmd_usage_error(usage, "unexpected argument '%s'", argv[optind]);
    if (plan_options_check(&po, usage, true, &mode) < 0)
        return CA_USAGE;
    if (mode == PLAN_OPTIONS_NONE)
        return cmd_usage_error(usage, "give '--tolerable T' (attribute mode) "
                                      "or '--margin E' (estimation mode)");
    if (has_prior && mode != PLAN_OPTIONS_ATTRIBUTE)
        return cmd_usage_error(usage, "option '--prior' needs '--tolerable' "
                                      "(attribute mode)");
    if (plan_options_size_prior(&po, mode, 0, has_prior ? &prior : NULL, &sz,
                                &err) != CA_OK)
        return cmd_fail(&err);
    if (has_prior)
        stats_prior_format(&prior, ptext, sizeof(ptext));

    if (mode == PLAN_OPTIONS_ATTRIBUTE)
        attribute_sentence(sentence, sizeof(sentence), &po, &sz,
                           has_prior ? ptext : NULL);
    else
        estimation_sentence(sentence, sizeof(sentence), &po, &sz);
    if (json)
        return print_json(&po, mode, &sz, sentence, has_prior ? ptext : NULL);

    printf("sample size: %llu\n", (unsigned long long)sz.result.n);
    if (mode == PLAN_OPTIONS_ATTRIBUTE) {
        if (has_prior)
            printf("prior: %s; %s\n",
                   stats_prior_describe(&prior, b3, sizeof(b3)),
                   sz.population ? "beta-binomial posterior over the "
                                   "population"
                                 : "beta posterior");
        printf("model: %s, %s %s, tolerable rate %s",
               stats_model_name(sz.model),
               has_prior ? "credibility" : "confidence",
               pct(b1, sizeof(b1), po.confidence),
               pct(b2, sizeof(b2), po.tolerable));
        if (sz.population)
            printf(", population %llu", (unsigned long long)sz.population);
        putchar('\n');
        if (plan_options_has(&po, PLAN_OPT_EXPECTED_RATE))
            printf("deviations allowed: %llu (expected rate %s of %llu, "
                   "rounded up)\n",
                   (unsigned long long)sz.result.allowed,
                   pct(b3, sizeof(b3), stats_rate_value(po.expected_rate)),
                   (unsigned long long)sz.result.n);
        else
            printf("deviations allowed: %llu\n",
                   (unsigned long long)sz.result.allowed);
        /* "within" at an exact tie, where the bound equals the rate */
        pct_below(b1, sizeof(b1), sz.result.achieved_upper, po.tolerable);
        printf("%supper bound with %llu deviation%s: %s (%s %s)\n",
               has_prior ? "posterior " : "",
               (unsigned long long)sz.result.allowed,
               sz.result.allowed == 1 ? "" : "s", b1,
               strtod(b1, NULL) < po.tolerable * 100 ? "below" : "within",
               pct(b2, sizeof(b2), po.tolerable));
    } else {
        printf("margin: +-%s at %s confidence, anticipated rate %s",
               pct(b1, sizeof(b1), po.margin),
               pct(b2, sizeof(b2), po.confidence), pct(b3, sizeof(b3), po.p));
        if (sz.population)
            printf(", population %llu", (unsigned long long)sz.population);
        putchar('\n');
    }
    printf("%s\n", sentence);
    return CA_OK;
}
