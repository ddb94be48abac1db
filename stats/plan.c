/* SPDX-License-Identifier: MIT */
/*
 * Sample-size planning.
 *
 * Attribute mode: the smallest n such that, if x deviations are found, the
 * one-sided upper bound at confidence c is within the tolerable rate T
 * (the tie convention of docs/sampling.md: a tail probability equal to
 * 1 - c excludes, decided exactly at ties):
 *   binomial        qbeta(c, x+1, n-x) <= T  <=>  pbinom(x, n, T) <= 1 - c
 *   poisson         qgamma(c, x+1) / n <= T  <=>  ppois(x, n T) <= 1 - c
 *   hypergeometric  the exact upper bound on the deviations in N is below
 *                   T N  <=>  phyper(x, K*, N - K*, n) <= 1 - c with
 *                   K* = ceil(T N) (computed exactly)
 *   with a prior    the posterior upper bound at credibility c is within
 *                   T: 1 - pbeta(T, a+x, b+n-x) <= 1 - c, or with N the
 *                   beta-binomial P(deviations >= K*) <= 1 - c
 * Each condition is monotone in n for a fixed x, so n is found by an
 * exponential then binary search.  With an expected rate R, x = ceil(R n)
 * changes with n; the n with the same x form consecutive runs, and the
 * runs are visited in order of x, taking the first run that holds an n
 * meeting the condition (and its smallest such n).  All integer rounding
 * is exact (stats/rate.c).
 *
 * Estimation mode: n0 = z^2 p (1-p) / e^2 with z = qnorm(1 - (1-c)/2), and
 * n = ceil(n0 / (1 + (n0 - 1) / N)) with the snap rule of stats_ceil_snap.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/stats.h"
#include "stats/stats_internal.h"

struct attr_ctx {
    enum plan_model model;
    struct stats_xrate conf, alpha; /* c, 1 - c */
    struct stats_xrate T;
    uint64_t N;     /* hypergeometric */
    uint64_t kstar; /* ceil(T N), hypergeometric */
    uint64_t max_n; /* N for hypergeometric, else STATS_PLAN_MAX_N */
    const struct stats_prior *prior;
};

/* Whether a sample of n with x deviations supports "rate below T". */
static int attr_ok(const struct attr_ctx *c, uint64_t x, uint64_t n)
{
    if (n <= x)
        return 0;
    if (c->prior)
        return stats_bayes_within(c->prior, x, n,
                                  c->model == PLAN_HYPERGEOMETRIC ? c->N : 0,
                                  c->T, c->alpha);
    switch (c->model) {
    case PLAN_BINOMIAL:
        return stats_binom_tail_le(x, n, c->T, 0, c->alpha);
    case PLAN_POISSON:
        /* no exact ties: ppois at a rational n T > 0 is transcendental */
        return stats_poisson_cdf(x, (double)n * c->T.v) <= c->alpha.v;
    case PLAN_HYPERGEOMETRIC:
        if (n > c->N)
            return 0;
        return stats_hyper_tail_le(x, c->N, c->kstar, n, 0, c->alpha);
    }
    return 0;
}

/* Smallest n in [lo, hi] with attr_ok(x, n), given attr_ok(x, hi). */
static uint64_t attr_search(const struct attr_ctx *c, uint64_t x, uint64_t lo,
                            uint64_t hi)
{
    uint64_t mid;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (attr_ok(c, x, mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return hi;
}

/* Smallest n for a fixed x; 0 when none up to c->max_n. */
static uint64_t attr_size_fixed(const struct attr_ctx *c, uint64_t x)
{
    uint64_t lo = x + 1, n = x + 1, step = 1;

    if (lo > c->max_n)
        return 0;
    while (!attr_ok(c, x, n)) {
        if (n >= c->max_n)
            return 0;
        lo = n + 1;
        n = n + step > c->max_n ? c->max_n : n + step;
        step *= 2;
    }
    return attr_search(c, x, lo, n);
}

static double achieved_upper(const struct attr_ctx *c, uint64_t x, uint64_t n)
{
    if (c->prior)
        return stats_bayes_upper(c->prior, x, n,
                                 c->model == PLAN_HYPERGEOMETRIC ? c->N : 0,
                                 c->conf);
    switch (c->model) {
    case PLAN_BINOMIAL:
        return stats_upper_binomial(x, n, c->conf.v);
    case PLAN_POISSON:
        return stats_gamma_quantile_tail(c->alpha.v, 0, (double)x + 1) /
               (double)n;
    case PLAN_HYPERGEOMETRIC:
        return (double)(c->conf.q.den
                            ? stats_upper_hyper_exact(x, n, c->N, c->conf.q)
                            : stats_upper_hyper(x, n, c->N, c->conf.v)) /
               (double)c->N;
    }
    return NAN;
}

enum ca_status stats_plan_attribute(const struct plan_attr *a,
                                    struct plan_result *out,
                                    struct ca_error *err)
{
    struct attr_ctx c;
    uint64_t x = 0, n = 0;
    double r = 0;

    memset(out, 0, sizeof(*out));
    if (!(a->confidence > 0 && a->confidence < 1))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "confidence must be above 0%% and below 100%%");
    if (!(a->tolerable > 0 && a->tolerable < 1))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "the tolerable rate must be above 0%% and below "
                            "100%%");
    if (a->expected_is_rate && (a->expected_rate.den == 0 ||
                                a->expected_rate.num > a->expected_rate.den))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL, "bad expected rate");
    memset(&c, 0, sizeof(c));
    c.model = a->model;
    c.conf = a->confidence_exact.den ? stats_xrate_of(a->confidence_exact)
                                     : stats_xrate_of_double(a->confidence);
    c.alpha = stats_xrate_complement(c.conf);
    c.T = a->tolerable_exact.den ? stats_xrate_of(a->tolerable_exact)
                                 : stats_xrate_of_double(a->tolerable);
    c.max_n = STATS_PLAN_MAX_N;
    c.prior = a->prior;
    if (a->prior && a->model == PLAN_POISSON)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "a prior needs the binomial or hypergeometric "
                            "model, not poisson");
    if (a->model == PLAN_HYPERGEOMETRIC) {
        if (a->population == 0)
            return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                "the hypergeometric model needs the "
                                "population size N");
        if (a->prior && a->population > STATS_BAYES_MAX_N)
            return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                "the population form of a prior takes a "
                                "population of at most %llu, not %llu",
                                (unsigned long long)STATS_BAYES_MAX_N,
                                (unsigned long long)a->population);
        c.N = a->population;
        c.kstar = c.T.q.den ? stats_rate_ceil_mul(c.T.q, c.N)
                            : stats_ceil_snap(a->tolerable * (double)c.N);
        c.max_n = c.N;
    }
    if (a->expected_is_rate) {
        r = stats_rate_value(a->expected_rate);
        if (r >= a->tolerable)
            return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                "the expected rate %.10g%% is not below the "
                                "tolerable rate %.10g%%: no sample size "
                                "supports the statement",
                                100 * r, 100 * a->tolerable);
    } else {
        x = a->expected_errors;
        if (a->model == PLAN_HYPERGEOMETRIC && x >= c.kstar)
            return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                "%llu expected deviations reach the "
                                "tolerable %llu (%.10g%% of %llu): no sample "
                                "size supports the statement",
                                (unsigned long long)x,
                                (unsigned long long)c.kstar, 100 * a->tolerable,
                                (unsigned long long)c.N);
    }

    if (!a->expected_is_rate || a->expected_rate.num == 0) {
        n = attr_size_fixed(&c, x);
    } else {
        /* a rough size (normal approximation) to refuse hopeless plans
         * before scanning */
        double z = stats_normal_quantile_upper(c.alpha.v);
        double est =
            z * z * r * (1 - r) / ((a->tolerable - r) * (a->tolerable - r));

        if (a->model != PLAN_HYPERGEOMETRIC && est > 2.0 * STATS_PLAN_MAX_N)
            goto too_big;
        for (x = 1;; x++) {
            /* the n with ceil(r n) = x: (x-1)/r < n <= x/r */
            uint64_t nlo = x == 1
                               ? 1
                               : stats_muldiv_floor(x - 1, a->expected_rate.den,
                                                    a->expected_rate.num) +
                                     1;
            uint64_t nhi = stats_muldiv_floor(x, a->expected_rate.den,
                                              a->expected_rate.num);

            if (nlo > c.max_n)
                break;
            if (nhi > c.max_n)
                nhi = c.max_n;
            if (nlo <= x)
                nlo = x + 1;
            if (nlo > nhi)
                continue;
            if (attr_ok(&c, x, nhi)) {
                n = attr_search(&c, x, nlo, nhi);
                break;
            }
        }
    }
    if (n == 0) {
        if (a->model == PLAN_HYPERGEOMETRIC)
            return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                "no sample of at most the population (%llu) "
                                "supports the statement with the deviations "
                                "expected",
                                (unsigned long long)c.N);
        goto too_big;
    }
    if (a->expected_is_rate)
        x = stats_rate_ceil_mul(a->expected_rate, n);
    out->n = n;
    out->allowed = x;
    out->achieved_upper = achieved_upper(&c, x, n);
    if (a->model != PLAN_HYPERGEOMETRIC && a->population && n > a->population)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "the %s plan needs %llu records, more than the "
                            "population of %llu",
                            stats_model_name(a->model), (unsigned long long)n,
                            (unsigned long long)a->population);
    return CA_OK;
too_big:
    return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                        "the plan would need more than %u records: the "
                        "expected and tolerable rates are too close",
                        STATS_PLAN_MAX_N);
}

enum ca_status stats_plan_estimate(double margin, double confidence, double p,
                                   uint64_t population, uint64_t *n,
                                   struct ca_error *err)
{
    double z, n0, v;
    uint64_t res;

    *n = 0;
    if (!(confidence > 0 && confidence < 1))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "confidence must be above 0%% and below 100%%");
    if (!(margin > 0 && margin < 1))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "the margin must be above 0%% and below 100%%");
    if (!(p > 0 && p < 1))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "the anticipated rate p must be above 0%% and "
                            "below 100%%");
    z = stats_normal_quantile_upper((1 - confidence) / 2);
    n0 = z * z * p * (1 - p) / (margin * margin);
    v = population ? n0 / (1 + (n0 - 1) / (double)population) : n0;
    if (v > (double)STATS_PLAN_MAX_N)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "the plan would need more than %u records",
                            STATS_PLAN_MAX_N);
    res = stats_ceil_snap(v);
    if (res < 1)
        res = 1;
    if (population && res > population)
        res = population;
    *n = res;
    return CA_OK;
}
