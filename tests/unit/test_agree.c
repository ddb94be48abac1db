/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for stats/agree.c: Cohen's kappa and its large-sample
 * interval (Fleiss, Cohen and Everitt 1969) against values computed in R
 * 4.x.  The references come from this R function, and the kappa, ASE and
 * unclipped interval agree with vcd::Kappa (vcd 1.4-11: its ASE is the
 * same Fleiss-Cohen-Everitt standard error) to 1e-15:
 *
 *   fce <- function(t, conf = 0.95) {
 *     n <- sum(t); p <- t / n; r <- rowSums(p); cc <- colSums(p)
 *     po <- sum(diag(p)); pe <- sum(r * cc); k <- (po - pe) / (1 - pe)
 *     A <- sum(diag(p) * (1 - (r + cc) * (1 - k))^2)
 *     B <- 0; for (i in seq_len(nrow(t))) for (j in seq_len(ncol(t)))
 *       if (i != j) B <- B + p[i, j] * (cc[i] + r[j])^2
 *     B <- (1 - k)^2 * B
 *     v <- (A + B - (k - pe * (1 - k))^2) / (n * (1 - pe)^2)
 *     se <- sqrt(v); z <- qnorm(1 - (1 - conf) / 2)
 *     c(po = po, pe = pe, kappa = k, se = se,
 *       lo = max(-1, k - z * se), hi = min(1, k + z * se))
 *   }
 *   library(vcd); confint(Kappa(t), level = conf)   # the same interval
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "stats/agree.h"

#define REL_TOL 1e-10

static void near(double got, double want)
{
    double tol = REL_TOL * fmax(1.0, fabs(want));

    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g", got, want);
}

struct kref {
    uint64_t tab[9];
    size_t k;
    double conf;
    double po, pe, kappa, se, lo, hi;
};

static const struct kref refs[] = {
    /* fce(matrix(c(20, 5, 10, 15), 2, byrow = TRUE)) */
    {{20, 5, 10, 15},
     2,
     0.95,
     0.7,
     0.5,
     0.39999999999999991,
     0.12699606293110033,
     0.15109229047666112,
     0.64890770952333865},
    /* fce(matrix(c(40, 1, 2, 7), 2, byrow = TRUE)): the upper end
     * clipped at 1 */
    {{40, 1, 2, 7},
     2,
     0.95,
     0.94,
     0.7176,
     0.78753541076487266,
     0.11751824880901487,
     0.55720387557298645,
     1.0},
    /* fce(matrix(c(3, 0, 0, 2), 2, byrow = TRUE)): complete agreement,
     * se 0 */
    {{3, 0, 0, 2}, 2, 0.95, 1.0, 0.52, 1.0, 0.0, 1.0, 1.0},
    /* fce(matrix(c(10, 4, 6, 0), 2, byrow = TRUE), 0.90): worse than
     * chance */
    {{10, 4, 6, 0},
     2,
     0.90,
     0.5,
     0.61999999999999988,
     -0.31578947368421012,
     0.10728485723566340,
     -0.49225736022526190,
     -0.13932158714315834},
    /* fce(matrix(c(22, 2, 2, 3, 20, 1, 0, 4, 16), 3, byrow = TRUE), 0.99) */
    {{22, 2, 2, 3, 20, 1, 0, 4, 16},
     3,
     0.99,
     0.828571428571428514,
     0.337551020408163205,
     0.741219963031423235,
     0.067950599421713706,
     0.566190817847260108,
     0.916249108215586361},
};

static void test_kappa_refs(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        const struct kref *r = &refs[i];
        struct agreement_stats a;

        assert_int_equal(stats_agreement(r->tab, r->k, r->conf, &a), 0);
        near(a.po, r->po);
        near(a.pe, r->pe);
        near(a.kappa, r->kappa);
        near(a.se, r->se);
        near(a.lo, r->lo);
        near(a.hi, r->hi);
    }
}

static void test_kappa_undefined(void **state)
{
    uint64_t all_pass[4] = {12, 0, 0, 0}, none[4] = {0, 0, 0, 0};
    struct agreement_stats a;

    (void)state;
    /* both raters say pass for every file: p_e = 1 */
    assert_int_equal(stats_agreement(all_pass, 2, 0.95, &a), 0);
    assert_int_equal(a.n, 12);
    near(a.po, 1.0);
    assert_true(isnan(a.kappa));
    assert_true(isnan(a.lo) && isnan(a.hi));
    assert_int_equal(stats_agreement(none, 2, 0.95, &a), 0);
    assert_int_equal(a.n, 0);
    assert_true(isnan(a.po) && isnan(a.kappa));
    assert_int_equal(stats_agreement(none, 1, 0.95, &a), -1);
    assert_int_equal(stats_agreement(none, 2, 1.0, &a), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kappa_refs),
        cmocka_unit_test(test_kappa_undefined),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
