/* SPDX-License-Identifier: MIT */
/*
 * caseaudit evaluate: what a sample result supports.
 *
 * For k deviations in a sample of n: the point rate, the Clopper-Pearson
 * and Wilson two-sided intervals, the one-sided binomial bounds, with a
 * population P the exact hypergeometric bounds on the number of deviations
 * in P, the verdict against a tolerable rate (ties decided exactly), and
 * "indicative" when n < 30.  With --strata FILE (CSV stratum,N,n,k) the
 * same bounds per stratum, the stratified estimate with its standard error
 * and normal interval (an estimate only), and the Korn-Graubard bounds
 * that, with the exact bounds of the same files pooled, decide the
 * verdict.  With --prior P the Bayesian evaluation instead (posterior
 * mode, credible upper bound, probability below the tolerable rate, Bayes
 * factor).  The statistics are stats/; formulas in docs/sampling.md.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "ingest/strata.h"
#include "stats/stats.h"

static const char usage[] =
    "caseaudit evaluate (--n N --deviations K [--population P] [--prior P] | "
    "--strata FILE) [--confidence C] [--tolerable T] [--json]";

static void print_help(void)
{
    printf(
        "usage: %s\n\n"
        "Evaluate a sample result: k deviations found in a sample of n.\n"
        "Prints the rate, the Clopper-Pearson and Wilson intervals, the\n"
        "one-sided bounds, with a population the exact hypergeometric\n"
        "bounds on the number of deviations, and with a tolerable rate the\n"
        "verdict (compliant, not compliant, inconclusive).  Results from\n"
        "fewer than 30 records (in any stratum) are marked indicative.\n\n"
        "options:\n"
        "  --n N              sample size\n"
        "  --deviations K     deviations found in the sample\n"
        "  --population P     population size (exact hypergeometric bounds)\n"
        "  --prior P          Bayesian evaluation with a beta prior: uniform,\n"
        "                     beta:A,B or K/N (K deviations in N earlier "
        "files)\n"
        "  --strata FILE      CSV with header stratum,N,n,k: stratified\n"
        "                     estimate and bounds per stratum\n"
        "  --confidence C     confidence (credibility with --prior), e.g. "
        "95%%\n"
        "                     (default 95%%)\n"
        "  --tolerable T      tolerable deviation rate, e.g. 5%%: verdict\n"
        "  --json             print a JSON object\n"
        "  -h, --help         show this help\n\n"
        "examples:\n"
        "  caseaudit evaluate --n 59 --deviations 0 --tolerable 5%%\n"
        "  caseaudit evaluate --n 59 --deviations 0 --tolerable 5%% --prior "
        "uniform\n",
        usage);
}

/* --- formatting ---------------------------------------------------------- */

static const char *pct(char *buf, size_t size, double v)
{
    if (v != 0 && fabs(v) < 1e-4)
        snprintf(buf, size, "%.2g%%", v * 100);
    else
        snprintf(buf, size, "%.2f%%", v * 100);
    return buf;
}

static const char *pct_in(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.10g%%", v * 100);
    return buf;
}

/* A probability as a percentage with 4 significant digits, or more when
 * those would round it to 0% or 100% ("99.9994%"). */
static const char *pct_prob(char *buf, size_t size, double v)
{
    int prec;

    for (prec = 4; prec <= 12; prec++) {
        double r;

        snprintf(buf, size, "%.*g%%", prec, v * 100);
        r = strtod(buf, NULL);
        if ((v >= 1 || r < 100) && (v <= 0 || r > 0))
            break;
    }
    return buf;
}

static json_t *json_pair(double a, double b)
{
    return json_pack("[ff]", a, b);
}

/* --- the evaluation of one result ---------------------------------------- */

struct eval {
    uint64_t n, k, population; /* population 0 = not given */
    double rate;
    struct interval cp, wilson;
    double upper, lower;           /* one-sided binomial at c */
    uint64_t upper_dev, lower_dev; /* one-sided hypergeometric at c */
    uint64_t hyper_lo, hyper_hi;   /* two-sided hypergeometric */
    bool has_verdict;
    enum stats_verdict verdict;
    bool indicative;
};

/* c' = 1 - (1 - c) / 2, each side of a two-sided interval, exactly */
static struct stats_rate two_sided(struct stats_rate c)
{
    struct stats_rate r;

    r.num = c.den + c.num;
    r.den = 2 * c.den;
    if (r.num % 2 == 0 && r.den % 2 == 0) {
        r.num /= 2;
        r.den /= 2;
    }
    return r;
}

static void evaluate_one(struct eval *e, uint64_t k, uint64_t n,
                         uint64_t population, struct stats_rate cq, bool has_t,
                         struct stats_rate tq)
{
    double c = stats_rate_value(cq);

    memset(e, 0, sizeof(*e));
    e->n = n;
    e->k = k;
    e->population = population;
    e->rate = (double)k / (double)n;
    e->cp = stats_clopper_pearson(k, n, c);
    e->wilson = stats_wilson(k, n, c);
    e->upper = stats_upper_binomial(k, n, c);
    e->lower = stats_lower_binomial(k, n, c);
    if (population) {
        e->upper_dev = stats_upper_hyper_exact(k, n, population, cq);
        e->lower_dev = stats_lower_hyper_exact(k, n, population, cq);
        e->hyper_hi = stats_upper_hyper_exact(k, n, population, two_sided(cq));
        e->hyper_lo = stats_lower_hyper_exact(k, n, population, two_sided(cq));
    }
    e->indicative =
        n < STATS_INDICATIVE_BELOW && (!population || n < population);
    if (has_t) {
        e->has_verdict = true;
        e->verdict = stats_verdict_exact(k, n, population, cq, tq);
    }
}

static int eval_json_fill(json_t *o, const struct eval *e)
{
    int rc = 0;

    rc |= json_object_set_new(o, "n", json_integer((json_int_t)e->n));
    rc |= json_object_set_new(o, "deviations", json_integer((json_int_t)e->k));
    rc |= json_object_set_new(o, "rate", json_real(e->rate));
    rc |= json_object_set_new(o, "clopper_pearson",
                              json_pair(e->cp.lo, e->cp.hi));
    rc |=
        json_object_set_new(o, "wilson", json_pair(e->wilson.lo, e->wilson.hi));
    rc |= json_object_set_new(o, "upper_one_sided", json_real(e->upper));
    rc |= json_object_set_new(o, "lower_one_sided", json_real(e->lower));
    if (e->population) {
        rc |= json_object_set_new(o, "population",
                                  json_integer((json_int_t)e->population));
        rc |= json_object_set_new(o, "upper_deviations",
                                  json_integer((json_int_t)e->upper_dev));
        rc |= json_object_set_new(o, "lower_deviations",
                                  json_integer((json_int_t)e->lower_dev));
        rc |= json_object_set_new(o, "hypergeometric",
                                  json_pack("[II]", (json_int_t)e->hyper_lo,
                                            (json_int_t)e->hyper_hi));
    }
    rc |= json_object_set_new(o, "verdict",
                              e->has_verdict
                                  ? json_string(stats_verdict_name(e->verdict))
                                  : json_null());
    rc |= json_object_set_new(o, "indicative", json_boolean(e->indicative));
    return rc;
}

static int dump_json(json_t *o)
{
    int rc = json_dumpf(o, stdout,
                        JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                            JSON_REAL_PRECISION(15));

    json_decref(o);
    if (rc < 0) {
        fprintf(stderr, "error: unable to write the JSON output\n");
        return CA_SYSTEM;
    }
    putchar('\n');
    return CA_OK;
}

static int oom(json_t *o)
{
    json_decref(o);
    return cmd_oom();
}

static int run_single(uint64_t n, uint64_t k, uint64_t population,
                      struct stats_rate cq, const char *ctext, bool has_t,
                      struct stats_rate tq, bool json)
{
    struct eval e;
    char b1[64], b2[64], b3[64];
    double c = stats_rate_value(cq), t = stats_rate_value(tq);

    evaluate_one(&e, k, n, population, cq, has_t, tq);
    if (json) {
        json_t *o = json_object();

        if (!o)
            return oom(o);
        if (json_object_set_new(o, "confidence", json_real(c)) ||
            json_object_set_new(o, "tolerable",
                                has_t ? json_real(t) : json_null()) ||
            eval_json_fill(o, &e) ||
            json_object_set_new(o, "verdict_basis",
                                !has_t       ? json_null()
                                : population ? json_string("hypergeometric")
                                             : json_string("binomial")))
            return oom(o);
        return dump_json(o);
    }
    printf("deviations: %llu of %llu (%s)\n", (unsigned long long)k,
           (unsigned long long)n, pct(b1, sizeof(b1), e.rate));
    printf("Clopper-Pearson %s interval: %s to %s\n", ctext,
           pct(b1, sizeof(b1), e.cp.lo), pct(b2, sizeof(b2), e.cp.hi));
    printf("Wilson %s interval: %s to %s\n", ctext,
           pct(b1, sizeof(b1), e.wilson.lo), pct(b2, sizeof(b2), e.wilson.hi));
    printf("one-sided %s bounds: lower %s, upper %s\n", ctext,
           pct(b1, sizeof(b1), e.lower), pct(b2, sizeof(b2), e.upper));
    if (population)
        printf("population %llu: at most %llu deviations (one-sided %s); "
               "%s interval %llu to %llu deviations\n",
               (unsigned long long)population, (unsigned long long)e.upper_dev,
               ctext, ctext, (unsigned long long)e.hyper_lo,
               (unsigned long long)e.hyper_hi);
    if (has_t)
        printf("verdict (tolerable %s, %s bounds): %s\n",
               pct_in(b3, sizeof(b3), t),
               population ? "hypergeometric" : "binomial",
               stats_verdict_name(e.verdict));
    if (e.indicative)
        printf("indicative only: fewer than %d records sampled\n",
               STATS_INDICATIVE_BELOW);
    return CA_OK;
}

/* --- the Bayesian evaluation --------------------------------------------- */

/* A Bayes factor for the terminal: 4 significant digits, or why none. */
static const char *bf_text(char *buf, size_t size, double bf)
{
    if (isnan(bf))
        snprintf(buf, size,
                 "undefined (the prior gives the statement "
                 "probability 0 or 1)");
    else if (isinf(bf))
        snprintf(buf, size,
                 "infinite (the posterior leaves no probability "
                 "at or above the tolerable rate)");
    else
        snprintf(buf, size, "%.4g", bf);
    return buf;
}

static json_t *json_num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static int run_bayes(uint64_t n, uint64_t k, uint64_t population,
                     const struct stats_prior *prior, struct stats_rate cq,
                     const char *ctext, bool has_t, struct stats_rate tq,
                     bool json)
{
    struct stats_bayes b;
    struct ca_error err = CA_ERROR_INIT;
    char ptext[96], b1[64], b2[64], b3[160];
    double c = stats_rate_value(cq), t = stats_rate_value(tq);
    bool indicative =
        n < STATS_INDICATIVE_BELOW && (!population || n < population);
    struct stats_rate tuse = tq;

    if (!has_t) {
        /* the bounds and the mode do not depend on T */
        tuse.num = 1;
        tuse.den = 2;
    }
    if (stats_bayes_evaluate(prior, k, n, population, cq, tuse, &b, &err) !=
        CA_OK)
        return cmd_fail(&err);
    stats_prior_format(prior, ptext, sizeof(ptext));
    if (json) {
        json_t *o = json_object(), *pj = json_object(), *qj = json_object();
        int bad = !o || !pj || !qj;

        if (!bad)
            bad = json_object_set_new(pj, "text", json_string(ptext)) ||
                  json_object_set_new(pj, "a", json_real(prior->a)) ||
                  json_object_set_new(pj, "b", json_real(prior->b)) ||
                  json_object_set_new(pj, "below",
                                      has_t ? json_real(b.prior_below)
                                            : json_null());
        if (!bad)
            bad =
                json_object_set_new(qj, "a", json_real(b.post_a)) ||
                json_object_set_new(qj, "b", json_real(b.post_b)) ||
                json_object_set_new(qj, "mode", json_num_or_null(b.mode)) ||
                json_object_set_new(qj, "upper", json_real(b.upper)) ||
                (population &&
                 json_object_set_new(qj, "upper_deviations",
                                     json_integer((json_int_t)b.upper_dev))) ||
                json_object_set_new(
                    qj, "below", has_t ? json_real(b.p_below) : json_null()) ||
                json_object_set_new(qj, "above",
                                    has_t ? json_real(b.p_above) : json_null());
        if (!bad)
            bad =
                json_object_set_new(o, "confidence", json_real(c)) ||
                json_object_set_new(o, "tolerable",
                                    has_t ? json_real(t) : json_null()) ||
                json_object_set_new(o, "n", json_integer((json_int_t)n)) ||
                json_object_set_new(o, "deviations",
                                    json_integer((json_int_t)k)) ||
                json_object_set_new(o, "rate",
                                    json_real((double)k / (double)n)) ||
                json_object_set_new(o, "population",
                                    population
                                        ? json_integer((json_int_t)population)
                                        : json_null()) ||
                json_object_set_new(o, "prior", pj) ||
                json_object_set_new(o, "posterior", qj) ||
                json_object_set_new(o, "bayes_factor",
                                    has_t ? json_num_or_null(b.bayes_factor)
                                          : json_null()) ||
                json_object_set_new(
                    o, "verdict",
                    has_t ? json_string(stats_verdict_name(b.verdict))
                          : json_null()) ||
                json_object_set_new(o, "verdict_basis",
                                    !has_t ? json_null()
                                    : population
                                        ? json_string("beta-binomial posterior")
                                        : json_string("beta posterior")) ||
                json_object_set_new(o, "indicative", json_boolean(indicative));
        else {
            json_decref(pj);
            json_decref(qj);
        }
        if (bad)
            return oom(o);
        return dump_json(o);
    }
    printf("deviations: %llu of %llu (%s)\n", (unsigned long long)k,
           (unsigned long long)n, pct(b1, sizeof(b1), (double)k / (double)n));
    printf("prior: %s\n", stats_prior_describe(prior, b3, sizeof(b3)));
    if (population)
        printf("posterior: the deviations in the population of %llu are %llu "
               "plus a beta-binomial(%llu, %.10g, %.10g) count among the "
               "files not sampled\n",
               (unsigned long long)population, (unsigned long long)k,
               (unsigned long long)(population - n), b.post_a, b.post_b);
    else
        printf("posterior: beta(%.10g, %.10g)\n", b.post_a, b.post_b);
    if (isnan(b.mode))
        printf("posterior mode: none (the posterior density is highest at "
               "both ends)\n");
    else
        printf("posterior mode: %s\n", pct(b1, sizeof(b1), b.mode));
    if (population)
        printf("%s credible upper bound: %s (at most %llu deviations)\n", ctext,
               pct(b1, sizeof(b1), b.upper), (unsigned long long)b.upper_dev);
    else
        printf("%s credible upper bound: %s\n", ctext,
               pct(b1, sizeof(b1), b.upper));
    if (has_t) {
        printf("probability that the rate is below %s: %s posterior, %s "
               "prior\n",
               pct_in(b3, sizeof(b3), t), pct_prob(b1, sizeof(b1), b.p_below),
               pct_prob(b2, sizeof(b2), b.prior_below));
        printf("Bayes factor for a rate below %s: %s\n",
               pct_in(b1, sizeof(b1), t),
               bf_text(b3, sizeof(b3), b.bayes_factor));
        printf("verdict (tolerable %s, %s posterior): %s\n",
               pct_in(b1, sizeof(b1), t), population ? "beta-binomial" : "beta",
               stats_verdict_name(b.verdict));
    }
    if (indicative)
        printf("indicative only: fewer than %d records sampled\n",
               STATS_INDICATIVE_BELOW);
    return CA_OK;
}

/* The strata evaluation as one JSON object on standard output. */
static int strata_json(const struct strata_row *rows, size_t count,
                       const struct eval *ev, const struct eval *pooled,
                       const struct stratified_result *sr, double c, bool has_t,
                       double t, enum stats_verdict v)
{
    json_t *o = json_object(), *arr = json_array(), *st = json_object();
    json_t *pj = json_object();
    int bad = !o || !arr || !st || !pj;
    size_t i;

    for (i = 0; !bad && i < count; i++) {
        json_t *so = json_object();

        bad = !so ||
              json_object_set_new(so, "stratum", json_string(rows[i].name)) ||
              eval_json_fill(so, &ev[i]) || json_array_append_new(arr, so);
    }
    if (!bad)
        bad =
            json_object_set_new(pj, "upper_deviations",
                                json_integer((json_int_t)pooled->upper_dev)) ||
            json_object_set_new(pj, "lower_deviations",
                                json_integer((json_int_t)pooled->lower_dev)) ||
            json_object_set_new(
                pj, "verdict",
                has_t ? json_string(stats_verdict_name(pooled->verdict))
                      : json_null());
    if (!bad)
        bad = json_object_set_new(st, "estimate", json_real(sr->estimate)) ||
              json_object_set_new(st, "se", json_real(sr->se)) ||
              json_object_set_new(st, "interval",
                                  json_pair(sr->ci.lo, sr->ci.hi)) ||
              json_object_set_new(st, "normal_one_sided",
                                  json_pair(sr->lower, sr->upper)) ||
              json_object_set_new(st, "method", json_string("korn-graubard")) ||
              json_object_set_new(st, "effective_n", json_real(sr->n_eff)) ||
              json_object_set_new(st, "lower_one_sided",
                                  json_real(sr->kg_lower)) ||
              json_object_set_new(st, "upper_one_sided",
                                  json_real(sr->kg_upper)) ||
              json_object_set_new(st, "N", json_integer((json_int_t)sr->N)) ||
              json_object_set_new(st, "n", json_integer((json_int_t)sr->n)) ||
              json_object_set_new(st, "deviations",
                                  json_integer((json_int_t)sr->k)) ||
              json_object_set_new(st, "pooled", pj);
    else
        json_decref(pj);
    if (!bad)
        bad =
            json_object_set_new(o, "confidence", json_real(c)) ||
            json_object_set_new(o, "tolerable",
                                has_t ? json_real(t) : json_null()) ||
            json_object_set_new(o, "rate", json_real(sr->estimate)) ||
            json_object_set_new(o, "stratified", st) ||
            json_object_set_new(o, "strata", arr) ||
            json_object_set_new(o, "verdict",
                                has_t ? json_string(stats_verdict_name(v))
                                      : json_null()) ||
            json_object_set_new(o, "verdict_basis",
                                has_t ? json_string("stratified")
                                      : json_null()) ||
            json_object_set_new(o, "indicative", json_boolean(sr->indicative));
    else {
        json_decref(arr);
        json_decref(st);
    }
    if (bad)
        return oom(o);
    return dump_json(o);
}

static int run_strata(const char *path, struct stats_rate cq, const char *ctext,
                      bool has_t, struct stats_rate tq, bool json)
{
    struct ca_error err = CA_ERROR_INIT;
    struct strata strata;
    const struct strata_row *rows;
    struct stratum_count *cnt = NULL;
    struct stratified_result sr;
    struct eval *ev = NULL, pooled;
    size_t count, i, width = 16;
    enum stats_verdict v = STATS_VERDICT_INCONCLUSIVE;
    char b1[64], b2[64], b3[64], b4[64];
    double c = stats_rate_value(cq), t = stats_rate_value(tq);
    int rc = CA_OK;

    if (strata_read(path, &strata, &err) != CA_OK)
        return cmd_fail(&err);
    rows = strata.rows;
    count = strata.count;
    cnt = calloc(count, sizeof(*cnt));
    ev = calloc(count, sizeof(*ev));
    if (!cnt || !ev) {
        rc = cmd_oom();
        goto out;
    }
    for (i = 0; i < count; i++) {
        cnt[i].N = rows[i].N;
        cnt[i].n = rows[i].n;
        cnt[i].k = rows[i].k;
        evaluate_one(&ev[i], cnt[i].k, cnt[i].n, cnt[i].N, cq, has_t, tq);
    }
    if (stats_stratified(cnt, count, c, &sr, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    /* the same files as one unstratified sample of n from N */
    evaluate_one(&pooled, sr.k, sr.n, sr.N, cq, has_t, tq);
    if (has_t)
        v = stats_stratified_verdict(&sr, t);
    if (json) {
        rc = strata_json(rows, count, ev, &pooled, &sr, c, has_t, t, v);
        goto out;
    }
    for (i = 0; i < count; i++) {
        char nb[256];

        if (strlen(escape_term(nb, sizeof(nb), rows[i].name)) > width)
            width = strlen(nb);
    }
    printf("%-*s %10s %8s %6s %8s %21s %9s %9s\n", (int)width, "stratum", "N",
           "n", "k", "rate", "Clopper-Pearson", "upper", "max dev.");
    for (i = 0; i < count; i++) {
        char iv[160], nb[256];

        snprintf(iv, sizeof(iv), "%s-%s", pct(b1, sizeof(b1), ev[i].cp.lo),
                 pct(b2, sizeof(b2), ev[i].cp.hi));
        printf("%-*s %10llu %8llu %6llu %8s %21s %9s %9llu%s\n", (int)width,
               escape_term(nb, sizeof(nb), rows[i].name),
               (unsigned long long)cnt[i].N, (unsigned long long)cnt[i].n,
               (unsigned long long)cnt[i].k, pct(b3, sizeof(b3), ev[i].rate),
               iv, pct(b4, sizeof(b4), ev[i].upper),
               (unsigned long long)ev[i].upper_dev,
               ev[i].indicative ? "  (indicative)" : "");
    }
    printf("(intervals and bounds at %s; 'max dev.' is the exact "
           "hypergeometric upper bound on deviations in the stratum)\n",
           ctext);
    printf("stratified estimate: %s (standard error %s), %llu deviations in "
           "%llu sampled of %llu\n",
           pct(b1, sizeof(b1), sr.estimate), pct(b2, sizeof(b2), sr.se),
           (unsigned long long)sr.k, (unsigned long long)sr.n,
           (unsigned long long)sr.N);
    printf("%s interval (normal approximation, an estimate only): %s to %s\n",
           ctext, pct(b1, sizeof(b1), sr.ci.lo), pct(b2, sizeof(b2), sr.ci.hi));
    printf("one-sided %s bounds (Korn-Graubard, effective n %.4g): lower %s, "
           "upper %s\n",
           ctext, sr.n_eff, pct(b1, sizeof(b1), sr.kg_lower),
           pct(b2, sizeof(b2), sr.kg_upper));
    printf("the same files unstratified (exact, %llu of %llu): %llu to %llu "
           "deviations (one-sided %s: lower %s, upper %s)\n",
           (unsigned long long)sr.n, (unsigned long long)sr.N,
           (unsigned long long)pooled.lower_dev,
           (unsigned long long)pooled.upper_dev, ctext,
           pct(b1, sizeof(b1), (double)pooled.lower_dev / (double)sr.N),
           pct(b2, sizeof(b2), (double)pooled.upper_dev / (double)sr.N));
    if (has_t)
        printf("verdict (tolerable %s, Korn-Graubard bounds where the "
               "unstratified exact bounds agree): %s\n",
               pct_in(b3, sizeof(b3), t), stats_verdict_name(v));
    if (sr.indicative)
        printf("indicative only: a stratum has fewer than %d records "
               "sampled\n",
               STATS_INDICATIVE_BELOW);
out:
    free(ev);
    free(cnt);
    strata_release(&strata);
    return rc;
}

/* --- options ------------------------------------------------------------- */

/* A rate above 0 and below 1, exact from its decimal text. */
static int parse_rate_opt(const char *opt, const char *arg,
                          struct stats_rate *out)
{
    struct stats_rate r;

    if (stats_rate_parse(arg, &r, NULL) != CA_OK || r.num == 0 ||
        r.num >= r.den) {
        cmd_rate_error(usage, opt, arg, "a rate above 0 and below 1");
        return -1;
    }
    *out = r;
    return 0;
}

int cmd_evaluate(int argc, char **argv)
{
    enum {
        OPT_N = 0x200,
        OPT_DEV,
        OPT_POP,
        OPT_CONF,
        OPT_TOL,
        OPT_STRATA,
        OPT_PRIOR
    };
    static const struct option longopts[] = {
        {"n", required_argument, NULL, OPT_N},
        {"deviations", required_argument, NULL, OPT_DEV},
        {"population", required_argument, NULL, OPT_POP},
        {"confidence", required_argument, NULL, OPT_CONF},
        {"tolerable", required_argument, NULL, OPT_TOL},
        {"strata", required_argument, NULL, OPT_STRATA},
        {"prior", required_argument, NULL, OPT_PRIOR},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint64_t n = 0, k = 0, population = 0;
    bool has_n = false, has_k = false, has_t = false, json = false;
    bool has_prior = false;
    struct stats_rate c = {19, 20}, t = {0, 1};
    struct stats_prior prior;
    struct ca_error err = CA_ERROR_INIT;
    char ctext[64];
    const char *strata = NULL;
    int opt;

    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_N:
            if (cmd_parse_u64(usage, "--n", optarg, 1, UINT64_C(1) << 53, &n) <
                0)
                return CA_USAGE;
            has_n = true;
            break;
        case OPT_DEV:
            if (cmd_parse_u64(usage, "--deviations", optarg, 0,
                              UINT64_C(1) << 53, &k) < 0)
                return CA_USAGE;
            has_k = true;
            break;
        case OPT_POP:
            if (cmd_parse_u64(usage, "--population", optarg, 1,
                              UINT64_C(1) << 53, &population) < 0)
                return CA_USAGE;
            break;
        case OPT_CONF:
            if (parse_rate_opt("--confidence", optarg, &c) < 0)
                return CA_USAGE;
            break;
        case OPT_TOL:
            if (parse_rate_opt("--tolerable", optarg, &t) < 0)
                return CA_USAGE;
            has_t = true;
            break;
        case OPT_STRATA:
            strata = optarg;
            break;
        case OPT_PRIOR:
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
            return cmd_getopt_error(usage, argv, opt, longopts);
        }
    }
    if (optind < argc)
        return cmd_usage_error(usage, "unexpected argument '%s'", argv[optind]);
    snprintf(ctext, sizeof(ctext), "%.10g%%", stats_rate_value(c) * 100);
    if (strata) {
        if (has_n || has_k || population)
            return cmd_usage_error(usage, "'--strata' takes N, n and k from "
                                          "the file: drop '--n', "
                                          "'--deviations' and '--population'");
        if (has_prior)
            return cmd_usage_error(usage, "'--prior' evaluates one sample: "
                                          "it does not combine with "
                                          "'--strata'");
        return run_strata(strata, c, ctext, has_t, t, json);
    }
    if (!has_n || !has_k)
        return cmd_usage_error(usage, "give '--n N' and '--deviations K' (or "
                                      "'--strata FILE')");
    if (k > n)
        return cmd_usage_error(usage, "--deviations %llu exceeds --n %llu",
                               (unsigned long long)k, (unsigned long long)n);
    if (population && population < n)
        return cmd_usage_error(usage,
                               "--population %llu is smaller than --n "
                               "%llu",
                               (unsigned long long)population,
                               (unsigned long long)n);
    if (has_prior) {
        if (population > STATS_BAYES_MAX_N)
            return cmd_usage_error(usage,
                                   "'--prior' takes a population of at most "
                                   "%llu, not %llu",
                                   (unsigned long long)STATS_BAYES_MAX_N,
                                   (unsigned long long)population);
        return run_bayes(n, k, population, &prior, c, ctext, has_t, t, json);
    }
    return run_single(n, k, population, c, ctext, has_t, t, json);
}
