/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for samplers/alloc.c's allocations against the Alabama
 * paradox: the largest-remainder example of docs/sampling.md (strata of
 * 600, 600 and 200: 4/4/2 of 10, 5/5/1 of 11), and the divisor
 * (Webster / Sainte-Lague) allocation checked against a direct
 * implementation of its one-unit-at-a-time rule and for monotonicity in n.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "samplers/alloc.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_H 8

static void alloc_ok(const char *spec, uint64_t n, const uint64_t *N, size_t H,
                     uint64_t *out)
{
    struct alloc_spec a;
    struct ca_error e = CA_ERROR_INIT;

    assert_int_equal(alloc_parse(spec, &a), 0);
    if (alloc_compute(&a, n, N, H, out, &e) != CA_OK) {
        print_error("%s of %llu: %s\n", spec, (unsigned long long)n, e.msg);
        fail();
    }
}

static void test_alabama_paradox(void **state)
{
    static const uint64_t N[3] = {600, 600, 200};
    uint64_t a10[3], a11[3];

    (void)state;
    /* shares 4.29/4.29/1.43 of 10 and 4.71/4.71/1.57 of 11 */
    alloc_ok("proportional", 10, N, 3, a10);
    alloc_ok("proportional", 11, N, 3, a11);
    assert_true(a10[0] == 4 && a10[1] == 4 && a10[2] == 2);
    assert_true(a11[0] == 5 && a11[1] == 5 && a11[2] == 1);
    /* the divisor method, unit by unit: averages 600, 600, then 200 three
     * times (label order), 120, 120, 85.7, 85.7, then 66.7 three times */
    alloc_ok("divisor", 10, N, 3, a10);
    alloc_ok("divisor", 11, N, 3, a11);
    assert_true(a10[0] == 5 && a10[1] == 4 && a10[2] == 1);
    assert_true(a11[0] == 5 && a11[1] == 5 && a11[2] == 1);
    alloc_ok("divisor", 12, N, 3, a11);
    assert_true(a11[0] == 5 && a11[1] == 5 && a11[2] == 2);
}

/* The rule itself: each unit to the largest N_h / (2 n_h + 1) (cross
 * multiplied, first in label order on ties), from K per non-empty
 * stratum. */
static void webster_direct(uint64_t n, const uint64_t *N, size_t H, uint64_t K,
                           uint64_t *out)
{
    uint64_t given = 0;
    size_t i, best;

    for (i = 0; i < H; i++) {
        out[i] = N[i] ? K : 0;
        given += out[i];
    }
    while (given < n) {
        best = H;
        for (i = 0; i < H; i++)
            if (N[i] && (best == H || N[i] * (2 * out[best] + 1) >
                                          N[best] * (2 * out[i] + 1)))
                best = i;
        out[best]++;
        given++;
    }
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

static void test_divisor_monotone(void **state)
{
    uint64_t seed = 7, N[MAX_H], prev[MAX_H], cur[MAX_H], want[MAX_H], n, K;
    size_t H, i, set;
    struct alloc_spec a;
    struct ca_error e = CA_ERROR_INIT;
    char spec[32];
    int lr_drops = 0;

    (void)state;
    for (set = 0; set < 200; set++) {
        H = 1 + lcg(&seed) % MAX_H;
        for (i = 0; i < H; i++)
            N[i] = lcg(&seed) % 5 == 0 ? 0 : 1 + lcg(&seed) % 3000;
        if (set % 50 == 0) /* equal strata: every unit a tie */
            for (i = 0; i < H; i++)
                N[i] = 500;
        K = set % 4 == 3 ? 1 + set % 3 : 0;
        snprintf(spec, sizeof(spec), K ? "divisor:%llu" : "divisor",
                 (unsigned long long)K);
        memset(prev, 0, sizeof(prev));
        for (n = 0; n <= 400; n++) {
            uint64_t sum = 0, nonempty = 0;

            for (i = 0; i < H; i++)
                nonempty += N[i] > 0;
            assert_int_equal(alloc_parse(spec, &a), 0);
            if (n < K * nonempty) {
                if (nonempty)
                    assert_int_equal(alloc_compute(&a, n, N, H, cur, &e),
                                     CA_USAGE);
                continue;
            }
            assert_int_equal(alloc_compute(&a, n, N, H, cur, &e), CA_OK);
            webster_direct(n, N, H, K, want);
            for (i = 0; i < H; i++) {
                sum += cur[i];
                if (cur[i] != want[i] || cur[i] < prev[i]) {
                    print_error("%s set %zu n %llu stratum %zu: got %llu, "
                                "rule gives %llu, n - 1 gave %llu\n",
                                spec, set, (unsigned long long)n, i,
                                (unsigned long long)cur[i],
                                (unsigned long long)want[i],
                                (unsigned long long)prev[i]);
                    fail();
                }
                prev[i] = cur[i];
            }
            assert_true(sum == (nonempty ? n : 0));
            /* largest remainder, for contrast: count its drops */
            if (n > 0 && K == 0) {
                uint64_t lr0[MAX_H], lr1[MAX_H];

                alloc_ok("proportional", n - 1, N, H, lr0);
                alloc_ok("proportional", n, N, H, lr1);
                for (i = 0; i < H; i++)
                    lr_drops += lr1[i] < lr0[i];
            }
        }
    }
    print_message("largest remainder took a unit back %d times over the same "
                  "enlargements; the divisor method never did\n",
                  lr_drops);
    assert_true(lr_drops > 0);
}

static void test_divisor_large(void **state)
{
    /* a large n over unequal strata: the threshold search, then at most
     * one unit per stratum by the rule */
    static const uint64_t N[5] = {9000000, 123457, 1, 0, 4000000};
    uint64_t got[5], want[5], n;
    size_t i;

    (void)state;
    for (n = 99990; n <= 100010; n++) {
        alloc_ok("divisor", n, N, 5, got);
        webster_direct(n, N, 5, 0, want);
        for (i = 0; i < 5; i++)
            assert_true(got[i] == want[i]);
    }
}

static void test_divisor_parse(void **state)
{
    static const char *const bad[] = {"divisor:", "divisor:x", "divisor:1x",
                                      "divisors", "Divisor"};
    struct alloc_spec a;
    char buf[32];
    size_t i;

    (void)state;
    assert_int_equal(alloc_parse("divisor", &a), 0);
    assert_int_equal(a.kind, ALLOC_DIVISOR);
    assert_string_equal(alloc_format(&a, buf, sizeof(buf)), "divisor");
    assert_int_equal(alloc_parse("divisor:2", &a), 0);
    assert_true(a.kind == ALLOC_DIVISOR && a.min == 2);
    assert_string_equal(alloc_format(&a, buf, sizeof(buf)), "divisor:2");
    for (i = 0; i < N_OF(bad); i++)
        assert_int_equal(alloc_parse(bad[i], &a), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alabama_paradox),
        cmocka_unit_test(test_divisor_monotone),
        cmocka_unit_test(test_divisor_large),
        cmocka_unit_test(test_divisor_parse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
