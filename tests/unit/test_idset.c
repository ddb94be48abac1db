/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for ingest/idset.c, the duplicate-id set: every id added
 * once is found again with the source and line it was first seen at,
 * through many doublings of the table; ids differing only in type, length
 * or a last byte are distinct; ids longer than an arena block; the limits
 * on sources and lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/idset.h"

static void test_many(void **state)
{
    enum { N = 300000 };
    struct idset s;
    struct idset_first first;
    char id[32];
    unsigned long i;
    int n;

    (void)state;
    idset_init(&s);
    for (i = 0; i < N; i++) {
        n = snprintf(id, sizeof(id), "NS-22-%06lu", i);
        assert_int_equal(idset_add(&s, 1, id, (size_t)n, (uint32_t)(i % 7),
                                   (uint64_t)i * 3 + 2, NULL),
                         1);
    }
    assert_int_equal(s.n, N);
    for (i = 0; i < N; i += 7) {
        n = snprintf(id, sizeof(id), "NS-22-%06lu", i);
        memset(&first, 0xff, sizeof(first));
        assert_int_equal(idset_add(&s, 1, id, (size_t)n, 9, 1, &first), 0);
        assert_int_equal(first.source, i % 7);
        assert_int_equal(first.line, (uint64_t)i * 3 + 2);
        /* the same id for another type is new */
        assert_int_equal(idset_add(&s, 2, id, (size_t)n, 9, 1, NULL), 1);
    }
    /* prefixes and extensions of present ids are not present */
    assert_int_equal(idset_add(&s, 1, "NS-22-00000", 11, 0, 1, NULL), 1);
    assert_int_equal(idset_add(&s, 1, "NS-22-0000001", 13, 0, 1, NULL), 1);
    assert_int_equal(idset_add(&s, 1, "NS-22-000001", 12, 0, 1, &first), 0);
    assert_int_equal(first.line, 5);
    idset_release(&s);
    idset_release(&s); /* released twice is harmless */
}

static void test_prefetch_and_long_ids(void **state)
{
    struct idset s;
    struct idset_first first;
    size_t big = (3u << 20) + 5, i;
    char *id = malloc(big);
    uint64_t h;

    (void)state;
    assert_non_null(id);
    memset(id, 'x', big);
    idset_init(&s);
    h = idset_prefetch(&s, 0, "a", 1); /* empty table: no slot to load */
    assert_int_equal(idset_add_hashed(&s, h, 0, "a", 1, 1, 10, NULL), 1);
    /* ids longer than an arena block, around short ones */
    assert_int_equal(idset_add(&s, 0, id, big, 2, 20, NULL), 1);
    assert_int_equal(idset_add(&s, 0, "b", 1, 3, 30, NULL), 1);
    assert_int_equal(idset_add(&s, 0, id, big - 1, 4, 40, NULL), 1);
    for (i = 0; i < 50000; i++) {
        char small[16];
        int n = snprintf(small, sizeof(small), "s%zu", i);

        assert_int_equal(idset_add(&s, 0, small, (size_t)n, 5, i, NULL), 1);
    }
    h = idset_prefetch(&s, 0, id, big);
    assert_int_equal(idset_add_hashed(&s, h, 0, id, big, 9, 9, &first), 0);
    assert_int_equal(first.source, 2);
    assert_int_equal(first.line, 20);
    assert_int_equal(idset_add(&s, 0, id, big - 1, 9, 9, &first), 0);
    assert_int_equal(first.line, 40);
    assert_int_equal(idset_add(&s, 0, "a", 1, 9, 9, &first), 0);
    assert_int_equal(first.line, 10);
    assert_int_equal(idset_add(&s, 0, "b", 1, 9, 9, &first), 0);
    assert_int_equal(first.line, 30);
    assert_int_equal(idset_add(&s, 0, "s49999", 6, 9, 9, &first), 0);
    assert_int_equal(first.line, 49999);
    idset_release(&s);
    free(id);
}

static void test_limits(void **state)
{
    struct idset s;
    struct idset_first first;

    (void)state;
    idset_init(&s);
    assert_int_equal(
        idset_add(&s, 0, "a", 1, (1u << 24) - 1, ((uint64_t)1 << 40) - 1, NULL),
        1);
    assert_int_equal(idset_add(&s, 0, "a", 1, 0, 1, &first), 0);
    assert_int_equal(first.source, (1u << 24) - 1);
    assert_int_equal(first.line, ((uint64_t)1 << 40) - 1);
    assert_int_equal(idset_add(&s, 0, "b", 1, 1u << 24, 1, NULL), -2);
    assert_int_equal(idset_add(&s, 0, "b", 1, 0, (uint64_t)1 << 40, NULL), -2);
    assert_int_equal(s.n, 1);
    idset_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_prefetch_and_long_ids),
        cmocka_unit_test(test_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
