/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for stats/: distributions, quantiles, intervals, exact
 * rates, planning and the stratified estimate, against reference values
 * computed independently in R 4.x (the expression that produced each value
 * is in the comment beside it; tests/unit/stats_refs.R regenerates them).
 * Real-valued results are compared with a relative tolerance of 1e-10 (the
 * accuracy the statistics contract promises), integers exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/stats.h"

#define REL_TOL 1e-10
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

struct ref4 {
    double a, b, c, d, want;
};
struct ref4h {
    double k, N, K, n, want;
};
struct ref5 {
    double k, n, conf, lo, hi;
};
struct refh {
    double k, n, N, conf;
    uint64_t upper, lower;
};
struct plan_ref {
    enum plan_model model;
    double conf, tolerable;
    uint64_t x;
    const char *rate;
    uint64_t N, n, allowed;
};
struct est_ref {
    double margin, conf, p, N;
    uint64_t n;
};
struct strat_ref {
    double est, se, lo, hi, lower, upper, conf;
};

/* |got - want| <= tol * |want| (absolute tol when want is 0) */
static void check_rel(double got, double want, double tol, const char *what,
                      size_t i)
{
    double err = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);

    if (!(err <= tol)) {
        print_error("%s[%zu]: got %.17g, want %.17g (relative error %.3g)\n",
                    what, i, got, want, err);
        fail();
    }
}

/* clang-format off */
static const struct ref4 binom_refs[] = {
    {0, 59, 0.050000000000000003, 0, 0.048494525249423201}, /* pbinom(0, 59, 0.05) */
    {1, 93, 0.050000000000000003, 0, 0.049975795242616486}, /* pbinom(1, 93, 0.05) */
    {2, 124, 0.050000000000000003, 0, 0.049529777678687111}, /* pbinom(2, 124, 0.05) */
    {3, 100, 0.029999999999999999, 0, 0.6472492104640194}, /* pbinom(3, 100, 0.03) */
    {0, 1, 0.5, 0, 0.5}, /* pbinom(0, 1, 0.5) */
    {5, 1000, 0.02, 0, 6.4009066882930499e-05}, /* pbinom(5, 1000, 0.02) */
    {40, 1000, 0.02, 0, 0.99997968397811943}, /* pbinom(40, 1000, 0.02) */
    {150, 1e+06, 0.0001, 0, 0.9999987685324836}, /* pbinom(150, 1e+06, 1e-04) */
    {9990, 10000, 0.999, 0, 0.5421328760209827}, /* pbinom(9990, 10000, 0.999) */
    {0, 1e+05, 0.001, 0, 3.5385276883434342e-44}, /* pbinom(0, 1e+05, 0.001) */
};
/* clang-format on */
/* clang-format off */
static const struct ref4 pois_refs[] = {
    {0, 2.9957322735539909, 0, 0, 0.05000000000000001}, /* ppois(0, 2.9957322735539909) */
    {1, 4.7438645382101869, 0, 0, 0.049999999181548099}, /* ppois(1, 4.7438645382101869) */
    {10, 3.5, 0, 0, 0.998980605562383}, /* ppois(10, 3.5) */
    {3, 0.001, 0, 0, 0.99999999999995848}, /* ppois(3, 0.001) */
    {1000, 1100, 0, 0, 0.0011752305681365549}, /* ppois(1000, 1100) */
    {1100, 1000, 0, 0, 0.99913235903655651}, /* ppois(1100, 1000) */
    {0, 700, 0, 0, 9.8596765437597708e-305}, /* ppois(0, 700) */
    {50, 50, 0, 0, 0.53751669085314768}, /* ppois(50, 50) */
};
/* clang-format on */
/* {k, N, K, n}: phyper(k, K, N - K, n) */
/* clang-format off */
static const struct ref4h hyper_refs[] = {
    {0, 1000, 50, 57, 0.049236839027350952}, /* phyper(0, 50, 950, 57) */
    {3, 1000, 100, 100, 0.0057889539868469482}, /* phyper(3, 100, 900, 100) */
    {95, 1000, 100, 100, 1}, /* phyper(95, 100, 900, 100) */
    {10, 1e+05, 5000, 1000, 2.3594086147958115e-12}, /* phyper(10, 5000, 95000, 1000) */
    {0, 10, 3, 5, 0.083333333333333315}, /* phyper(0, 3, 7, 5) */
    {2, 10, 3, 5, 0.91666666666666674}, /* phyper(2, 3, 7, 5) */
    {1, 60, 30, 3, 0.50000000000000011}, /* phyper(1, 30, 30, 3) */
    {499, 1e+06, 50000, 10000, 0.49350591286346124}, /* phyper(499, 50000, 950000, 10000) */
};
/* clang-format on */
/* clang-format off */
static const struct ref4 qbeta_refs[] = {
    {0.97499999999999998, 3, 98, 0, 0.07038393247107011}, /* qbeta(0.975, 3, 98) */
    {0.025000000000000001, 1, 100, 0, 0.00025314603297742054}, /* qbeta(0.025, 1, 100) */
    {1e-10, 2, 5, 0, 2.5819977864111856e-06}, /* qbeta(1e-10, 2, 5) */
    {0.94999999999999996, 1, 59, 0, 0.049507609888226889}, /* qbeta(0.95, 1, 59) */
    {0.5, 1000, 2000, 0, 0.33329629172475111}, /* qbeta(0.5, 1000, 2000) */
    {0.99999899999999997, 5, 1e+06, 0, 2.3431202045616843e-05}, /* qbeta(0.999999, 5, 1e+06) */
    {0.050000000000000003, 3, 98, 0, 0.0082258291076526928}, /* qbeta(0.05, 3, 98) */
    {0.98999999999999999, 124, 2, 0, 0.99880749074073849}, /* qbeta(0.99, 124, 2) */
};
/* clang-format on */
/* clang-format off */
static const struct ref4 qgamma_refs[] = {
    {0.94999999999999996, 1, 0, 0, 2.99573227355399}, /* qgamma(0.95, 1) */
    {0.94999999999999996, 3, 0, 0, 6.2957936218719892}, /* qgamma(0.95, 3) */
    {0.050000000000000003, 10, 0, 0, 5.4254056970912918}, /* qgamma(0.05, 10) */
    {0.999, 100, 0, 0, 133.77026391137861}, /* qgamma(0.999, 100) */
    {9.9999999999999998e-13, 4, 0, 0, 0.0022143442501908928}, /* qgamma(1e-12, 4) */
    {0.5, 1e+06, 0, 0, 999999.66666668642}, /* qgamma(0.5, 1e+06) */
    {0.90000000000000002, 1, 0, 0, 2.3025850929940459}, /* qgamma(0.9, 1) */
};
/* clang-format on */
/* clang-format off */
static const struct ref4 qnorm_refs[] = {
    {0.975, 0, 0, 0, 1.9599639845400536}, /* qnorm(0.975) */
    {0.025, 0, 0, 0, -1.9599639845400538}, /* qnorm(0.025) */
    {0.3, 0, 0, 0, -0.52440051270804067}, /* qnorm(0.3) */
    {0.95, 0, 0, 0, 1.6448536269514715}, /* qnorm(0.95) */
    {0.999, 0, 0, 0, 3.0902323061678132}, /* qnorm(0.999) */
    {1e-10, 0, 0, 0, -6.3613409024040557}, /* qnorm(1e-10) */
    {1e-100, 0, 0, 0, -21.273453560965319}, /* qnorm(1e-100) */
    {1e-300, 0, 0, 0, -37.047096299361201}, /* qnorm(1e-300) */
    {0.9999999, 0, 0, 0, 5.1993375822906618}, /* qnorm(0.9999999) */
    {0.42, 0, 0, 0, -0.20189347914185091}, /* qnorm(0.42) */
    {0.575, 0, 0, 0, 0.18911842627279238}, /* qnorm(0.575) */
};
/* clang-format on */
/* {k, n, conf}: binom.test(k, n, conf.level = conf)$conf.int */
/* clang-format off */
static const struct ref5 cp_refs[] = {
    {0, 10, 0.94999999999999996, 0, 0.30849710781876083}, /* binom.test(0, 10, conf.level = 0.95)$conf.int */
    {10, 10, 0.94999999999999996, 0.69150289218123917, 1}, /* binom.test(10, 10, conf.level = 0.95)$conf.int */
    {3, 100, 0.94999999999999996, 0.0062299715383063994, 0.085176052974279992}, /* binom.test(3, 100, conf.level = 0.95)$conf.int */
    {1, 1, 0.94999999999999996, 0.025000000000000022, 1}, /* binom.test(1, 1, conf.level = 0.95)$conf.int */
    {0, 1e+06, 0.94999999999999996, 0, 3.6888726502064855e-06}, /* binom.test(0, 1e+06, conf.level = 0.95)$conf.int */
    {5000, 1e+06, 0.94999999999999996, 0.004862691820452957, 0.0051401872655792557}, /* binom.test(5000, 1e+06, conf.level = 0.95)$conf.int */
    {7, 59, 0.98999999999999999, 0.035755305966770803, 0.26617170521408728}, /* binom.test(7, 59, conf.level = 0.99)$conf.int */
    {2, 30, 0.90000000000000002, 0.011975800965209098, 0.1953260436549259}, /* binom.test(2, 30, conf.level = 0.9)$conf.int */
    {29, 30, 0.90000000000000002, 0.85140393134088688, 0.99829168435553428}, /* binom.test(29, 30, conf.level = 0.9)$conf.int */
};
/* clang-format on */
/* Wilson score interval, no continuity correction:
 * w(k, n, c) = (k/n + z^2/(2n) + c(-1, 1) z sqrt(k/n (1 - k/n)/n + z^2/(4 n^2))) / (1 + z^2/n), z = qnorm(1 - (1-c)/2)
 * (prop.test(k, n, conf.level = c, correct = FALSE)$conf.int gives the same) */
/* clang-format off */
static const struct ref5 wilson_refs[] = {
    {0, 10, 0.94999999999999996, 0, 0.27753279986288915}, /* prop.test(0, 10, conf.level = 0.95, correct = FALSE)$conf.int */
    {10, 10, 0.94999999999999996, 0.72246720013711085, 1}, /* prop.test(10, 10, conf.level = 0.95, correct = FALSE)$conf.int */
    {3, 100, 0.94999999999999996, 0.010254524024038928, 0.084519364290527588}, /* prop.test(3, 100, conf.level = 0.95, correct = FALSE)$conf.int */
    {1, 1, 0.94999999999999996, 0.2065493143772375, 1}, /* prop.test(1, 1, conf.level = 0.95, correct = FALSE)$conf.int */
    {0, 1e+06, 0.94999999999999996, 0, 3.8414440639449394e-06}, /* prop.test(0, 1e+06, conf.level = 0.95, correct = FALSE)$conf.int */
    {5000, 1e+06, 0.94999999999999996, 0.0048636452311327369, 0.0051401577984905699}, /* prop.test(5000, 1e+06, conf.level = 0.95, correct = FALSE)$conf.int */
    {7, 59, 0.98999999999999999, 0.047391690701723208, 0.26699741737375371}, /* prop.test(7, 59, conf.level = 0.99, correct = FALSE)$conf.int */
    {1, 30, 0.90000000000000002, 0.0074718787649423277, 0.13640414215181693}, /* prop.test(1, 30, conf.level = 0.9, correct = FALSE)$conf.int */
};
/* clang-format on */
/* {k, n, conf}: one-sided upper qbeta(conf, k+1, n-k), lower qbeta(1-conf, k, n-k+1) */
/* clang-format off */
static const struct ref5 onesided_refs[] = {
    {0, 59, 0.94999999999999996, 0.049507609888226889, 0}, /* qbeta(0.95, 1, 59), 0 */
    {1, 93, 0.94999999999999996, 0.049993978387988358, 0.0005513887291981875}, /* qbeta(0.95, 2, 92), qbeta(0.05, 1, 93) */
    {2, 124, 0.94999999999999996, 0.049900171228312029, 0.0028733116307016063}, /* qbeta(0.95, 3, 122), qbeta(0.05, 2, 123) */
    {3, 100, 0.94999999999999996, 0.07571079374983003, 0.0082258291076526876}, /* qbeta(0.95, 4, 97), qbeta(0.05, 3, 98) */
    {12, 400, 0.90000000000000002, 0.044132093562876507, 0.019651794254479219}, /* qbeta(0.9, 13, 388), qbeta(0.1, 12, 389) */
    {0, 3000, 0.98999999999999999, 0.001533879131719034, 0}, /* qbeta(0.99, 1, 3000), 0 */
};
/* clang-format on */
/* {k, n, N, conf}: exact hypergeometric bounds on the deviations in N,
 * upper = max(K : phyper(k, K, N-K, n) > 1-conf), lower = min(K : phyper(k-1, K, N-K, n, lower.tail = FALSE) > 1-conf) */
/* clang-format off */
static const struct refh hyperb_refs[] = {
    {0, 57, 1000, 0.94999999999999996, 49, 0}, /* K <- 0:1000; max(K[phyper(0, K, 1000-K, 57) > 0.05]); min(K[phyper(-1, K, 1000-K, 57, lower.tail = FALSE) > 0.05]) */
    {3, 100, 1000, 0.94999999999999996, 73, 9}, /* K <- 0:1000; max(K[phyper(3, K, 1000-K, 100) > 0.05]); min(K[phyper(2, K, 1000-K, 100, lower.tail = FALSE) > 0.05]) */
    {3, 100, 1000, 0.97499999999999998, 82, 7}, /* K <- 0:1000; max(K[phyper(3, K, 1000-K, 100) > 0.025]); min(K[phyper(2, K, 1000-K, 100, lower.tail = FALSE) > 0.025]) */
    {10, 10, 10, 0.94999999999999996, 10, 10}, /* K <- 0:10; max(K[phyper(10, K, 10-K, 10) > 0.05]); min(K[phyper(9, K, 10-K, 10, lower.tail = FALSE) > 0.05]) */
    {0, 5, 5, 0.94999999999999996, 0, 0}, /* K <- 0:5; max(K[phyper(0, K, 5-K, 5) > 0.05]); min(K[phyper(-1, K, 5-K, 5, lower.tail = FALSE) > 0.05]) */
    {5, 50, 200, 0.90000000000000002, 33, 11}, /* K <- 0:200; max(K[phyper(5, K, 200-K, 50) > 0.1]); min(K[phyper(4, K, 200-K, 50, lower.tail = FALSE) > 0.1]) */
    {40, 400, 1e+05, 0.98999999999999999, 14014, 6805}, /* K <- 0:1e+05; max(K[phyper(40, K, 1e+05-K, 400) > 0.01]); min(K[phyper(39, K, 1e+05-K, 400, lower.tail = FALSE) > 0.01]) */
    {1, 30, 31, 0.94999999999999996, 2, 1}, /* K <- 0:31; max(K[phyper(1, K, 31-K, 30) > 0.05]); min(K[phyper(0, K, 31-K, 30, lower.tail = FALSE) > 0.05]) */
};
/* clang-format on */

/* {model, confidence, tolerable, expected errors, expected rate (NULL: count), N, n, allowed}, by brute force in R */
/* clang-format off */
static const struct plan_ref plan_refs[] = {
    {PLAN_BINOMIAL, 0.95, 0.05, 0, NULL, 0, 59, 0}, /* n <- 1:20000; min(n[n > 0 & qbeta(0.95, 1, n - 0) < 0.05]) */
    {PLAN_BINOMIAL, 0.95, 0.05, 1, NULL, 0, 93, 1}, /* n <- 1:20000; min(n[n > 1 & qbeta(0.95, 2, n - 1) < 0.05]) */
    {PLAN_BINOMIAL, 0.95, 0.05, 2, NULL, 0, 124, 2}, /* n <- 1:20000; min(n[n > 2 & qbeta(0.95, 3, n - 2) < 0.05]) */
    {PLAN_BINOMIAL, 0.9, 0.05, 0, NULL, 0, 45, 0}, /* n <- 1:20000; min(n[n > 0 & qbeta(0.9, 1, n - 0) < 0.05]) */
    {PLAN_BINOMIAL, 0.99, 0.02, 3, NULL, 0, 499, 3}, /* n <- 1:20000; min(n[n > 3 & qbeta(0.99, 4, n - 3) < 0.02]) */
    {PLAN_BINOMIAL, 0.95, 0.1, 0, NULL, 0, 29, 0}, /* n <- 1:20000; min(n[n > 0 & qbeta(0.95, 1, n - 0) < 0.1]) */
    {PLAN_BINOMIAL, 0.9, 0.03, 5, NULL, 0, 308, 5}, /* n <- 1:20000; min(n[n > 5 & qbeta(0.9, 6, n - 5) < 0.03]) */
    {PLAN_POISSON, 0.95, 0.05, 0, NULL, 0, 60, 0}, /* n <- 1:20000; min(n[qgamma(0.95, 1) / n < 0.05]) */
    {PLAN_POISSON, 0.95, 0.05, 1, NULL, 0, 95, 1}, /* n <- 1:20000; min(n[qgamma(0.95, 2) / n < 0.05]) */
    {PLAN_POISSON, 0.99, 0.02, 3, NULL, 0, 503, 3}, /* n <- 1:20000; min(n[qgamma(0.99, 4) / n < 0.02]) */
    {PLAN_POISSON, 0.9, 0.1, 2, NULL, 0, 54, 2}, /* n <- 1:20000; min(n[qgamma(0.9, 3) / n < 0.1]) */
    {PLAN_HYPERGEOMETRIC, 0.95, 0.05, 0, NULL, 1000, 57, 0}, /* n <- 1:1000; K <- 50; min(n[n > 0 & phyper(0, K, 1000 - K, n) <= 1 - 0.95]) */
    {PLAN_HYPERGEOMETRIC, 0.95, 0.05, 1, NULL, 1000, 90, 1}, /* n <- 1:1000; K <- 50; min(n[n > 1 & phyper(1, K, 1000 - K, n) <= 1 - 0.95]) */
    {PLAN_HYPERGEOMETRIC, 0.95, 0.05, 0, NULL, 100, 45, 0}, /* n <- 1:100; K <- 5; min(n[n > 0 & phyper(0, K, 100 - K, n) <= 1 - 0.95]) */
    {PLAN_HYPERGEOMETRIC, 0.9, 0.02, 2, NULL, 5000, 261, 2}, /* n <- 1:5000; K <- 100; min(n[n > 2 & phyper(2, K, 5000 - K, n) <= 1 - 0.9]) */
    {PLAN_HYPERGEOMETRIC, 0.99, 0.1, 0, NULL, 50, 29, 0}, /* n <- 1:50; K <- 5; min(n[n > 0 & phyper(0, K, 50 - K, n) <= 1 - 0.99]) */
    {PLAN_HYPERGEOMETRIC, 0.95, 0.035, 0, NULL, 400, 76, 0}, /* n <- 1:400; K <- 14; min(n[n > 0 & phyper(0, K, 400 - K, n) <= 1 - 0.95]) */
    {PLAN_BINOMIAL, 0.9, 0.05, 0, "3.5%", 0, 400, 14}, /* n <- 1:20000; x <- (7 * n + 199) %/% 200; min(n[n > x & qbeta(0.9, x + 1, pmax(n - x, 1)) < 0.05]) */
    {PLAN_BINOMIAL, 0.95, 0.065, 0, "3.5%", 0, 200, 7}, /* n <- 1:20000; x <- (7 * n + 199) %/% 200; min(n[n > x & qbeta(0.95, x + 1, pmax(n - x, 1)) < 0.065]) */
    {PLAN_BINOMIAL, 0.95, 0.05, 0, "1%", 0, 93, 1}, /* n <- 1:20000; x <- (1 * n + 99) %/% 100; min(n[n > x & qbeta(0.95, x + 1, pmax(n - x, 1)) < 0.05]) */
    {PLAN_BINOMIAL, 0.95, 0.05, 0, "2%", 0, 181, 4}, /* n <- 1:20000; x <- (1 * n + 49) %/% 50; min(n[n > x & qbeta(0.95, x + 1, pmax(n - x, 1)) < 0.05]) */
    {PLAN_BINOMIAL, 0.95, 0.1, 0, "2.5%", 0, 61, 2}, /* n <- 1:20000; x <- (1 * n + 39) %/% 40; min(n[n > x & qbeta(0.95, x + 1, pmax(n - x, 1)) < 0.1]) */
    {PLAN_POISSON, 0.95, 0.05, 0, "1%", 0, 95, 1}, /* n <- 1:20000; x <- (1 * n + 99) %/% 100; min(n[qgamma(0.95, x + 1) / n < 0.05]) */
    {PLAN_HYPERGEOMETRIC, 0.95, 0.05, 0, "1%", 2000, 92, 1}, /* n <- 1:2000; x <- (1 * n + 99) %/% 100; K <- 100; min(n[n > x & phyper(x, K, 2000 - K, n) <= 1 - 0.95]) */
    {PLAN_HYPERGEOMETRIC, 0.9, 0.05, 0, "3.5%", 400, 226, 8}, /* n <- 1:400; x <- (7 * n + 199) %/% 200; K <- 20; min(n[n > x & phyper(x, K, 400 - K, n) <= 1 - 0.9]) */
};
/* clang-format on */

/* clang-format off */
static const struct est_ref est_refs[] = {
    {0.05, 0.95, 0.5, 0, 385}, /* n0 <- qnorm(1 - (1 - 0.95)/2)^2 * 0.5 * (1 - 0.5) / 0.05^2; ceiling(n0) */
    {0.05, 0.95, 0.5, 2000, 323}, /* n0 <- qnorm(1 - (1 - 0.95)/2)^2 * 0.5 * (1 - 0.5) / 0.05^2; ceiling(n0 / (1 + (n0 - 1) / 2000)) */
    {0.03, 0.9, 0.1, 500, 176}, /* n0 <- qnorm(1 - (1 - 0.9)/2)^2 * 0.1 * (1 - 0.1) / 0.03^2; ceiling(n0 / (1 + (n0 - 1) / 500)) */
    {0.01, 0.99, 0.5, 0, 16588}, /* n0 <- qnorm(1 - (1 - 0.99)/2)^2 * 0.5 * (1 - 0.5) / 0.01^2; ceiling(n0) */
    {0.02, 0.95, 0.05, 1e+05, 455}, /* n0 <- qnorm(1 - (1 - 0.95)/2)^2 * 0.05 * (1 - 0.05) / 0.02^2; ceiling(n0 / (1 + (n0 - 1) / 1e+05)) */
    {0.1, 0.8, 0.3, 20, 13}, /* n0 <- qnorm(1 - (1 - 0.8)/2)^2 * 0.3 * (1 - 0.3) / 0.1^2; ceiling(n0 / (1 + (n0 - 1) / 20)) */
};
/* clang-format on */
/* stratified: {estimate, se, two-sided lo, hi, one-sided lower, upper, conf} */
/* clang-format off */
static const struct strat_ref strat_refs[] = {
/* N <- c(1200, 800, 500); n <- c(40, 30, 25); k <- c(2, 1, 3); W <- N/sum(N); p <- k/n;
 * est <- sum(W*p); se <- sqrt(sum(W^2*(1-n/N)*p*(1-p)/(n-1)));
 * est + c(-1,1)*qnorm(1-(1-0.95)/2)*se; est + c(-1,1)*qnorm(0.95)*se */
    {0.058666666666666666, 0.023408815637973861, 0.012786231095499902, 0.10454710223783342, 0.020162591361907033, 0.097170741971426305, 0.95},
/* N <- c(10000, 300); n <- c(100, 300); k <- c(12, 30); W <- N/sum(N); p <- k/n;
 * est <- sum(W*p); se <- sqrt(sum(W^2*(1-n/N)*p*(1-p)/(n-1)));
 * est + c(-1,1)*qnorm(1-(1-0.9)/2)*se; est + c(-1,1)*qnorm(0.9)*se */
    {0.11941747572815534, 0.031549663707324122, 0.067522896950064054, 0.17131205450624662, 0.078984954811628427, 0.15984999664468225, 0.9},
};
/* clang-format on */

static void test_binom_cdf(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(binom_refs); i++)
        check_rel(stats_binom_cdf((uint64_t)binom_refs[i].a,
                                  (uint64_t)binom_refs[i].b, binom_refs[i].c),
                  binom_refs[i].want, REL_TOL, "pbinom", i);
    assert_true(stats_binom_cdf(5, 5, 0.3) == 1);
    assert_true(stats_binom_cdf(2, 10, 0) == 1);
    assert_true(stats_binom_cdf(2, 10, 1) == 0);
}

static void test_poisson_cdf(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(pois_refs); i++)
        check_rel(stats_poisson_cdf((uint64_t)pois_refs[i].a, pois_refs[i].b),
                  pois_refs[i].want, REL_TOL, "ppois", i);
    assert_true(stats_poisson_cdf(0, 0) == 1);
}

static void test_hyper_cdf(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(hyper_refs); i++)
        check_rel(stats_hyper_cdf(
                      (uint64_t)hyper_refs[i].k, (uint64_t)hyper_refs[i].N,
                      (uint64_t)hyper_refs[i].K, (uint64_t)hyper_refs[i].n),
                  hyper_refs[i].want, REL_TOL, "phyper", i);
    /* outside the support: X >= n - (N - K) = 3 */
    assert_true(stats_hyper_cdf(2, 10, 8, 5) == 0);
    /* the whole population drawn: X = K exactly */
    assert_true(stats_hyper_cdf(3, 10, 4, 10) == 0);
    assert_true(stats_hyper_cdf(4, 10, 4, 10) == 1);
}

static void test_quantiles(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(qbeta_refs); i++)
        check_rel(stats_beta_quantile(qbeta_refs[i].a, qbeta_refs[i].b,
                                      qbeta_refs[i].c),
                  qbeta_refs[i].want, REL_TOL, "qbeta", i);
    for (i = 0; i < N_OF(qgamma_refs); i++)
        check_rel(stats_gamma_quantile(qgamma_refs[i].a, qgamma_refs[i].b),
                  qgamma_refs[i].want, REL_TOL, "qgamma", i);
    for (i = 0; i < N_OF(qnorm_refs); i++)
        check_rel(stats_normal_quantile(qnorm_refs[i].a), qnorm_refs[i].want,
                  REL_TOL, "qnorm", i);
    assert_true(stats_normal_quantile(0.5) == 0);
    assert_true(isinf(stats_normal_quantile(0)) &&
                stats_normal_quantile(0) < 0);
    assert_true(isnan(stats_normal_quantile(1.5)));
    assert_true(stats_beta_quantile(0, 2, 3) == 0);
    assert_true(stats_beta_quantile(1, 2, 3) == 1);
    /* symmetry far out in both tails (1 - 2^-40 is exact in a double) */
    check_rel(stats_normal_quantile(1 - ldexp(1, -40)),
              -stats_normal_quantile(ldexp(1, -40)), 1e-14, "qnorm symmetry",
              0);
}

static void test_clopper_pearson(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(cp_refs); i++) {
        struct interval iv = stats_clopper_pearson(
            (uint64_t)cp_refs[i].k, (uint64_t)cp_refs[i].n, cp_refs[i].conf);

        check_rel(iv.lo, cp_refs[i].lo, REL_TOL, "cp.lo", i);
        check_rel(iv.hi, cp_refs[i].hi, REL_TOL, "cp.hi", i);
    }
    /* k = 0 and k = n are exact */
    assert_true(stats_clopper_pearson(0, 10, 0.95).lo == 0);
    assert_true(stats_clopper_pearson(10, 10, 0.95).hi == 1);
    assert_true(isnan(stats_clopper_pearson(3, 0, 0.95).lo));
    assert_true(isnan(stats_clopper_pearson(11, 10, 0.95).lo));
}

static void test_wilson(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(wilson_refs); i++) {
        struct interval iv =
            stats_wilson((uint64_t)wilson_refs[i].k, (uint64_t)wilson_refs[i].n,
                         wilson_refs[i].conf);

        check_rel(iv.lo, wilson_refs[i].lo, REL_TOL, "wilson.lo", i);
        check_rel(iv.hi, wilson_refs[i].hi, REL_TOL, "wilson.hi", i);
    }
    assert_true(stats_wilson(0, 10, 0.95).lo == 0);
    assert_true(stats_wilson(10, 10, 0.95).hi == 1);
}

static void test_one_sided(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(onesided_refs); i++) {
        uint64_t k = (uint64_t)onesided_refs[i].k,
                 n = (uint64_t)onesided_refs[i].n;

        check_rel(stats_upper_binomial(k, n, onesided_refs[i].conf),
                  onesided_refs[i].lo, REL_TOL, "upper", i);
        check_rel(stats_lower_binomial(k, n, onesided_refs[i].conf),
                  onesided_refs[i].hi, REL_TOL, "lower", i);
    }
    assert_true(stats_upper_binomial(7, 7, 0.95) == 1);
    assert_true(stats_lower_binomial(0, 7, 0.95) == 0);
}

static void test_hyper_bounds(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(hyperb_refs); i++) {
        uint64_t k = (uint64_t)hyperb_refs[i].k, n = (uint64_t)hyperb_refs[i].n,
                 N = (uint64_t)hyperb_refs[i].N;

        if (stats_upper_hyper(k, n, N, hyperb_refs[i].conf) !=
                hyperb_refs[i].upper ||
            stats_lower_hyper(k, n, N, hyperb_refs[i].conf) !=
                hyperb_refs[i].lower) {
            print_error(
                "hyper bounds[%zu]: got %llu..%llu, want %llu..%llu\n", i,
                (unsigned long long)stats_lower_hyper(k, n, N,
                                                      hyperb_refs[i].conf),
                (unsigned long long)stats_upper_hyper(k, n, N,
                                                      hyperb_refs[i].conf),
                (unsigned long long)hyperb_refs[i].lower,
                (unsigned long long)hyperb_refs[i].upper);
            fail();
        }
    }
}

static void test_rates(void **state)
{
    struct stats_rate r;
    struct ca_error err = CA_ERROR_INIT;
    static const char *const bad[] = {
        "",     ".",   "1.5", "-1%", "abc",  "5%%",
        "1e-2", "0x1", " 5%", "5% ", "101%", "0.1234567890123456789"};
    size_t i;

    (void)state;
    assert_int_equal(stats_rate_parse("3.5%", &r, &err), CA_OK);
    assert_true(r.num == 7 && r.den == 200);
    assert_int_equal(stats_rate_parse("0.035", &r, &err), CA_OK);
    assert_true(r.num == 7 && r.den == 200);
    assert_int_equal(stats_rate_parse("100%", &r, &err), CA_OK);
    assert_true(r.num == 1 && r.den == 1);
    assert_int_equal(stats_rate_parse("0", &r, &err), CA_OK);
    assert_true(r.num == 0);
    assert_int_equal(stats_rate_parse(".5", &r, &err), CA_OK);
    assert_true(r.num == 1 && r.den == 2);
    assert_int_equal(stats_rate_parse("0.000000000000000001", &r, &err), CA_OK);
    assert_true(r.num == 1 && r.den == UINT64_C(1000000000000000000));
    for (i = 0; i < N_OF(bad); i++) {
        if (stats_rate_parse(bad[i], &r, &err) != CA_USAGE) {
            print_error("rate '%s' was accepted\n", bad[i]);
            fail();
        }
    }
    /* The rounding trap: in R, ceiling(0.035 * 400) is 15, because
     * 0.035 * 400 - 14 is 1.776357e-15 in doubles; exactly it is 14. */
    stats_rate_parse("3.5%", &r, &err);
    assert_true(stats_rate_ceil_mul(r, 400) == 14);
    assert_true(stats_rate_ceil_mul(r, 401) == 15); /* 14.035 */
    assert_true(stats_rate_ceil_mul(r, 200) == 7);
    assert_true(stats_rate_ceil_mul(r, 0) == 0);
    /* 128-bit intermediate: (10^18 - 1) / 10^18 of 2^63 */
    stats_rate_parse("0.999999999999999999", &r, &err);
    assert_true(stats_rate_ceil_mul(r, UINT64_C(1) << 63) ==
                (UINT64_C(1) << 63) - 9);
    /* the snap rule: float noise does not round an integer up */
    assert_true(stats_ceil_snap(0.035 * 400) == 14);
    assert_true(stats_ceil_snap(14.1) == 15);
    assert_true(stats_ceil_snap(14.000001) == 15);
    assert_true(stats_ceil_snap(0) == 0);
}

static void test_plan_attribute(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(plan_refs); i++) {
        const struct plan_ref *p = &plan_refs[i];
        struct plan_attr a;
        struct plan_result res;
        struct ca_error err = CA_ERROR_INIT;

        memset(&a, 0, sizeof(a));
        a.confidence = p->conf;
        a.tolerable = p->tolerable;
        a.model = p->model;
        a.population = p->N;
        a.expected_errors = p->x;
        if (p->rate) {
            a.expected_is_rate = true;
            assert_int_equal(stats_rate_parse(p->rate, &a.expected_rate, &err),
                             CA_OK);
        }
        if (stats_plan_attribute(&a, &res, &err) != CA_OK) {
            print_error("plan[%zu]: %s\n", i, err.msg);
            fail();
        }
        if (res.n != p->n || res.allowed != p->allowed) {
            print_error(
                "plan[%zu] (%s): got n %llu allowing %llu, want %llu "
                "allowing %llu\n",
                i, stats_model_name(p->model), (unsigned long long)res.n,
                (unsigned long long)res.allowed, (unsigned long long)p->n,
                (unsigned long long)p->allowed);
            fail();
        }
        assert_true(res.achieved_upper < p->tolerable);
    }
}

static void test_plan_aicpa_and_achieved(void **state)
{
    /* AICPA attribute sampling tables, 95% confidence, 5% tolerable:
     * 59 with 0 expected deviations, 93 with 1, 124 with 2 */
    static const uint64_t want[3] = {59, 93, 124};
    /* qbeta(0.95, 1, 59), qbeta(0.95, 2, 92), qbeta(0.95, 3, 122) */
    static const double upper[3] = {0.049507609888226889, 0.049993978387988358,
                                    0.049900171228312029};
    struct plan_attr a;
    struct plan_result res;
    struct ca_error err = CA_ERROR_INIT;
    uint64_t x;

    (void)state;
    memset(&a, 0, sizeof(a));
    a.confidence = 0.95;
    a.tolerable = 0.05;
    a.model = PLAN_BINOMIAL;
    for (x = 0; x < 3; x++) {
        a.expected_errors = x;
        assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_OK);
        assert_true(res.n == want[x]);
        assert_true(res.allowed == x);
        check_rel(res.achieved_upper, upper[x], REL_TOL, "aicpa upper",
                  (size_t)x);
    }
    /* poisson: qgamma(0.95, 1) / 60 */
    a.model = PLAN_POISSON;
    a.expected_errors = 0;
    assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_OK);
    check_rel(res.achieved_upper, 2.99573227355399 / 60, REL_TOL,
              "poisson upper", 0);
    /* hypergeometric, N = 1000: 49 of 1000 is the exact upper bound
     * (see hyperb_refs[0]) */
    a.model = PLAN_HYPERGEOMETRIC;
    a.population = 1000;
    assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_OK);
    assert_true(res.n == 57);
    check_rel(res.achieved_upper, 0.049, REL_TOL, "hyper upper", 0);
}

static void test_plan_errors(void **state)
{
    struct plan_attr a;
    struct plan_result res;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    memset(&a, 0, sizeof(a));
    a.confidence = 0.95;
    a.tolerable = 0.05;
    a.model = PLAN_BINOMIAL;
    /* expected rate not below the tolerable rate */
    a.expected_is_rate = true;
    stats_rate_parse("5%", &a.expected_rate, &err);
    assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_USAGE);
    assert_non_null(strstr(err.msg, "not below the tolerable rate"));
    /* so close that no practical sample supports it */
    stats_rate_parse("4.99%", &a.expected_rate, &err);
    assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_USAGE);
    assert_non_null(strstr(err.msg, "more than"));
    /* hypergeometric without N */
    a.expected_is_rate = false;
    a.model = PLAN_HYPERGEOMETRIC;
    assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_USAGE);
    /* expected errors reach ceil(T N) = 5 of 100 */
    a.population = 100;
    a.expected_errors = 5;
    assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_USAGE);
    /* binomial n above N: an error, but n is reported */
    a.model = PLAN_BINOMIAL;
    a.expected_errors = 0;
    a.population = 40;
    assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_USAGE);
    assert_true(res.n == 59);
    /* the exact tolerable count: 3.5% of 400 is 14, not 15 */
    a.model = PLAN_HYPERGEOMETRIC;
    a.population = 400;
    a.tolerable = 0.035;
    stats_rate_parse("3.5%", &a.tolerable_exact, &err);
    a.expected_errors = 14;
    assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_USAGE);
    a.expected_errors = 13;
    assert_int_equal(stats_plan_attribute(&a, &res, &err), CA_OK);
}

static void test_plan_estimate(void **state)
{
    size_t i;
    uint64_t n;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    for (i = 0; i < N_OF(est_refs); i++) {
        assert_int_equal(stats_plan_estimate(est_refs[i].margin,
                                             est_refs[i].conf, est_refs[i].p,
                                             (uint64_t)est_refs[i].N, &n, &err),
                         CA_OK);
        if (n != est_refs[i].n) {
            print_error("estimate[%zu]: got %llu, want %llu\n", i,
                        (unsigned long long)n,
                        (unsigned long long)est_refs[i].n);
            fail();
        }
    }
    /* a population of 1: n0 / (1 + (n0 - 1) / 1) is exactly 1 */
    assert_int_equal(stats_plan_estimate(0.05, 0.95, 0.5, 1, &n, &err), CA_OK);
    assert_true(n == 1);
    assert_int_equal(stats_plan_estimate(0, 0.95, 0.5, 0, &n, &err), CA_USAGE);
    assert_int_equal(stats_plan_estimate(0.05, 1, 0.5, 0, &n, &err), CA_USAGE);
}

static void test_stratified(void **state)
{
    static const struct stratum_count s1[] = {
        {1200, 40, 2}, {800, 30, 1}, {500, 25, 3}};
    static const struct stratum_count s2[] = {{10000, 100, 12}, {300, 300, 30}};
    static const struct stratum_count bad1[] = {{100, 1, 0}};
    static const struct stratum_count bad2[] = {{10, 5, 0}, {10, 11, 0}};
    const struct stratum_count *in[2] = {s1, s2};
    size_t counts[2] = {N_OF(s1), N_OF(s2)}, i;
    struct stratified_result r;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    for (i = 0; i < 2; i++) {
        assert_int_equal(
            stats_stratified(in[i], counts[i], strat_refs[i].conf, &r, &err),
            CA_OK);
        check_rel(r.estimate, strat_refs[i].est, REL_TOL, "strat.est", i);
        check_rel(r.se, strat_refs[i].se, REL_TOL, "strat.se", i);
        check_rel(r.ci.lo, strat_refs[i].lo, REL_TOL, "strat.lo", i);
        check_rel(r.ci.hi, strat_refs[i].hi, REL_TOL, "strat.hi", i);
        check_rel(r.lower, strat_refs[i].lower, REL_TOL, "strat.lower", i);
        check_rel(r.upper, strat_refs[i].upper, REL_TOL, "strat.upper", i);
    }
    assert_true(r.N == 10300 && r.n == 400 && r.k == 42);
    assert_int_equal(stats_stratified(bad1, 1, 0.95, &r, &err), CA_DATA);
    assert_int_equal(stats_stratified(bad2, 2, 0.95, &r, &err), CA_DATA);
    assert_true(err.line == 2);
    assert_int_equal(stats_stratified(s1, 0, 0.95, &r, &err), CA_DATA);
}

static void test_verdicts(void **state)
{
    (void)state;
    assert_int_equal(stats_verdict(0.0, 0.0495, 0.05), STATS_VERDICT_COMPLIANT);
    assert_int_equal(stats_verdict(0.01, 0.05, 0.05),
                     STATS_VERDICT_INCONCLUSIVE);
    assert_int_equal(stats_verdict(0.06, 0.2, 0.05),
                     STATS_VERDICT_NOT_COMPLIANT);
    assert_int_equal(stats_verdict(0.05, 0.2, 0.05),
                     STATS_VERDICT_INCONCLUSIVE);
    assert_string_equal(stats_verdict_name(STATS_VERDICT_COMPLIANT),
                        "compliant");
    assert_string_equal(stats_verdict_name(STATS_VERDICT_NOT_COMPLIANT),
                        "not compliant");
    assert_string_equal(stats_verdict_name(STATS_VERDICT_INCONCLUSIVE),
                        "inconclusive");
}

static void test_models(void **state)
{
    enum plan_model m;

    (void)state;
    assert_int_equal(stats_model_parse("poisson", &m), 0);
    assert_int_equal(m, PLAN_POISSON);
    assert_int_equal(stats_model_parse("hypergeometric", &m), 0);
    assert_int_equal(m, PLAN_HYPERGEOMETRIC);
    assert_int_equal(stats_model_parse("Binomial", &m), -1);
    assert_string_equal(stats_model_name(PLAN_BINOMIAL), "binomial");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binom_cdf),
        cmocka_unit_test(test_poisson_cdf),
        cmocka_unit_test(test_hyper_cdf),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_clopper_pearson),
        cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_one_sided),
        cmocka_unit_test(test_hyper_bounds),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_plan_attribute),
        cmocka_unit_test(test_plan_aicpa_and_achieved),
        cmocka_unit_test(test_plan_errors),
        cmocka_unit_test(test_plan_estimate),
        cmocka_unit_test(test_stratified),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_models),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
