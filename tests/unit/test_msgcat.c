/* SPDX-License-Identifier: MIT */
/* Unit tests for the message pieces of engine/checks.c (eval_cat,
 * eval_cat_num), which put together the messages of every finding in
 * place of snprintf: the same text as snprintf gives for the same pieces,
 * cut at the same byte, for random pieces and buffer sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "engine/checks.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_like_snprintf(void **state)
{
    static const long long nums[] = {0,  1,         -1,        9,
                                     10, 99,        100,       -100,
                                     28, LLONG_MAX, LLONG_MIN, 1234567890123LL};
    static const char *const words[] = {"",
                                        "a",
                                        "no qualifying entry",
                                        " between ",
                                        "2023-08-01",
                                        " (",
                                        ")",
                                        "counted '",
                                        "CCTV viewed",
                                        "' (",
                                        "investigative-action",
                                        ": "};
    int round;

    (void)state;
    for (round = 0; round < 20000; round++) {
        char want[128], got[128], fmt_buf[600];
        const char *piece[6];
        long long num[6];
        bool is_num[6];
        size_t size = 1 + rnd() % sizeof(got), n = 0, k, np = 1 + rnd() % 6;
        size_t off = 0;

        for (k = 0; k < np; k++) {
            is_num[k] = rnd() % 3 == 0;
            if (is_num[k])
                num[k] = rnd() % 2 ? nums[rnd() % 12] : (long long)rnd();
            else
                piece[k] = words[rnd() % 12];
        }
        /* snprintf of the whole, the pieces as its arguments */
        fmt_buf[0] = '\0';
        for (k = 0; k < np; k++) {
            if (is_num[k])
                off += (size_t)snprintf(fmt_buf + off, sizeof(fmt_buf) - off,
                                        "%lld", num[k]);
            else
                off += (size_t)snprintf(fmt_buf + off, sizeof(fmt_buf) - off,
                                        "%s", piece[k]);
        }
        /* what snprintf(want, size, ...) keeps: size - 1 bytes at most */
        memcpy(want, fmt_buf, off < size - 1 ? off : size - 1);
        want[off < size - 1 ? off : size - 1] = '\0';
        memset(got, 'x', sizeof(got));
        got[0] = '\0';
        for (k = 0; k < np; k++) {
            if (is_num[k])
                eval_cat_num(got, size, &n, num[k]);
            else
                eval_cat(got, size, &n, piece[k]);
        }
        assert_string_equal(got, want);
        assert_int_equal(n, strlen(want));
    }
}

/* Numbers as %lld writes them, and a message of the gap check both ways. */
static void test_numbers(void **state)
{
    int round;

    (void)state;
    for (round = 0; round < 100000; round++) {
        char want[32], got[32];
        size_t n = 0;
        long long v = (long long)rnd() >> (rnd() % 64);

        if (round % 2)
            v = -v;
        snprintf(want, sizeof(want), "%lld", v);
        got[0] = '\0';
        eval_cat_num(got, sizeof(got), &n, v);
        assert_string_equal(got, want);
    }
}

static void test_gap_message(void **state)
{
    char want[600], got[600];
    size_t n = 0;

    (void)state;
    snprintf(want, sizeof(want),
             "%zu qualifying entr%s; longest gap %lld %s, within the limit of "
             "%d %s",
             (size_t)3, "ies", -12LL, "days", 28, "days");
    got[0] = '\0';
    eval_cat_num(got, sizeof(got), &n, 3);
    eval_cat(got, sizeof(got), &n, " qualifying entries");
    eval_cat(got, sizeof(got), &n, "; longest gap ");
    eval_cat_num(got, sizeof(got), &n, -12);
    eval_cat(got, sizeof(got), &n, " days, within the limit of ");
    eval_cat_num(got, sizeof(got), &n, 28);
    eval_cat(got, sizeof(got), &n, " days");
    assert_string_equal(got, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_like_snprintf),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_gap_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
