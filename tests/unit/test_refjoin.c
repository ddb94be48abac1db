/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for report/refjoin.c, the reconciliation's join table: for
 * references made before or after the key is marked present, across many
 * doublings of the table and arena blocks, the unmatched counts per force
 * are those a plain count gives; the same reference in another force, or
 * differing in its last byte or length, is another key; references longer
 * than REFJOIN_MAX_REF are cut to it; operations still queued count once
 * flushed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/refjoin.h"

struct tally {
    uint64_t n[4];
    uint64_t keys;
};

static void tally_fn(void *ctx, uint32_t force, uint64_t n)
{
    struct tally *t = ctx;

    assert_true(force < 4);
    t->n[force] += n;
    t->keys++;
}

static void test_counts(void **state)
{
    enum { N = 200000 };
    struct refjoin j;
    struct tally t;
    uint64_t want[4] = {0, 0, 0, 0}, want_keys = 0;
    char ref[32];
    unsigned long i;
    int n;

    (void)state;
    refjoin_init(&j);
    /* key i present when i % 3 != 0; referenced (i % 4) times, half of
     * the references before the key is marked, half after */
    for (i = 0; i < N; i++) {
        uint32_t force = (uint32_t)(i % 4), k;

        n = snprintf(ref, sizeof(ref), "INC-%lu", i);
        for (k = 0; k < (i % 4) / 2; k++)
            assert_int_equal(refjoin_refer(&j, force, ref, (size_t)n), 0);
        if (i % 3)
            assert_int_equal(refjoin_present(&j, force, ref, (size_t)n), 0);
        else if (i % 4) {
            want[force] += i % 4;
            want_keys++;
        }
    }
    for (i = 0; i < N; i++) {
        uint32_t force = (uint32_t)(i % 4), k;

        n = snprintf(ref, sizeof(ref), "INC-%lu", i);
        for (k = (i % 4) / 2; k < i % 4; k++)
            assert_int_equal(refjoin_refer(&j, force, ref, (size_t)n), 0);
    }
    assert_int_equal(refjoin_flush(&j), 0);
    assert_true(j.nblocks > 1);
    memset(&t, 0, sizeof(t));
    refjoin_unmatched(&j, tally_fn, &t);
    assert_int_equal(t.keys, want_keys);
    for (i = 0; i < 4; i++)
        assert_int_equal(t.n[i], want[i]);
    refjoin_release(&j);
    assert_int_equal(j.count, 0);
}

static void test_distinct_keys(void **state)
{
    struct refjoin j;
    struct tally t;
    char *longref = malloc(REFJOIN_MAX_REF + 10);

    (void)state;
    assert_non_null(longref);
    memset(longref, 'x', REFJOIN_MAX_REF + 10);
    refjoin_init(&j);
    assert_int_equal(refjoin_present(&j, 1, "AB-1", 4), 0);
    assert_int_equal(refjoin_refer(&j, 1, "AB-1", 4), 0);  /* matched */
    assert_int_equal(refjoin_refer(&j, 2, "AB-1", 4), 0);  /* other force */
    assert_int_equal(refjoin_refer(&j, 1, "AB-2", 4), 0);  /* last byte */
    assert_int_equal(refjoin_refer(&j, 1, "AB-1 ", 5), 0); /* length */
    /* cut at REFJOIN_MAX_REF: the longer one matches the shorter */
    assert_int_equal(refjoin_present(&j, 3, longref, REFJOIN_MAX_REF), 0);
    assert_int_equal(refjoin_refer(&j, 3, longref, REFJOIN_MAX_REF + 10), 0);
    assert_int_equal(refjoin_flush(&j), 0);
    memset(&t, 0, sizeof(t));
    refjoin_unmatched(&j, tally_fn, &t);
    assert_int_equal(t.keys, 3);
    assert_int_equal(t.n[1], 2);
    assert_int_equal(t.n[2], 1);
    assert_int_equal(t.n[3], 0);
    assert_int_equal(j.count, 5);
    refjoin_release(&j);
    free(longref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_distinct_keys),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
