/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for ingest/idset.c, the duplicate-id set: every id added
 * once is found again with the source and line it was first seen at,
 * through many doublings of the table; ids differing only in type, length
 * or a last byte are distinct; ids longer than an arena block; the limits
 * on sources and lines; and with a small memory budget, spilled to the
 * temporary file, exactly the same answers as all in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

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
    assert_int_equal(s.n + s.spilled, N);
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

/* The open temporary files of the set: each must be unlinked and 0600. */
static size_t spill_files(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    size_t n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        char p[300], target[4096];
        ssize_t len;
        struct stat st;

        snprintf(p, sizeof(p), "/proc/self/fd/%s", e->d_name);
        len = readlink(p, target, sizeof(target) - 1);
        if (len <= 0)
            continue;
        target[len] = '\0';
        if (!strstr(target, "caseaudit-ids-"))
            continue;
        assert_non_null(strstr(target, "(deleted)"));
        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        n++;
    }
    closedir(d);
    return n;
}

/* A pool of ids with duplicates, types and a few long ids, added to a set
 * kept in memory and to one spilled every 64 KiB: every answer and every
 * first place agree. */
static void test_spill_same_answers(void **state)
{
    enum { OPS = 200000, POOL = 70000 };
    struct idset mem, disk;
    struct idset_first f1, f2;
    uint64_t x = 88172645463325252ULL;
    char *id = malloc(6000);
    unsigned long dups = 0;
    size_t op;

    (void)state;
    assert_non_null(id);
    idset_init(&mem);
    idset_init(&disk);
    idset_set_budget(&mem, (size_t)1 << 30);
    idset_set_budget(&disk, 1); /* raised to the 64 KiB minimum */
    for (op = 0; op < OPS; op++) {
        unsigned long k;
        unsigned type;
        size_t len;
        int r1, r2;

        x ^= x << 13; /* xorshift64 */
        x ^= x >> 7;
        x ^= x << 17;
        k = (unsigned long)(x % POOL);
        type = (unsigned)(k % 3);
        if (k % 997 == 0) { /* a long id, longer than a spill block */
            len = 5000 + k % 900;
            memset(id, 'a' + (int)(k % 26), len);
            {
                char num[16];
                int d = snprintf(num, sizeof(num), "%lu", k);

                memcpy(id + len - 12, num, (size_t)d); /* unique per k */
            }
            id[len] = '\0';
        } else {
            len = (size_t)snprintf(id, 6000, "XY-%02lu-%06lu", k % 23, k);
        }
        r1 = idset_add(&mem, type, id, len, (uint32_t)(op % 5), op + 2, &f1);
        r2 = idset_add(&disk, type, id, len, (uint32_t)(op % 5), op + 2, &f2);
        assert_int_equal(r1, r2);
        if (r1 == 0) {
            dups++;
            assert_int_equal(f1.source, f2.source);
            assert_int_equal(f1.line, f2.line);
        }
    }
    assert_true(dups > OPS / 2);
    assert_true(disk.spilled > OPS / 10);
    assert_int_equal(mem.nruns, 0);
    assert_int_equal(mem.n, disk.n + disk.spilled);
    /* runs of equal size were merged: a binary counter of the spills */
    assert_true(disk.nruns <= 8);
    /* the temporary files are private and already unlinked */
    assert_int_equal(spill_files(), disk.nruns);
    idset_release(&mem);
    idset_release(&disk);
    free(id);
}

/* A temporary directory that cannot be written: -3, with the errno. */
static void test_spill_error(void **state)
{
    struct idset s;
    char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    char id[32];
    int rc = 1, n;
    unsigned long i;

    (void)state;
    setenv("TMPDIR", "/nonexistent/caseaudit-test", 1);
    idset_init(&s);
    idset_set_budget(&s, 1);
    for (i = 0; i < 100000 && rc == 1; i++) {
        n = snprintf(id, sizeof(id), "ID-%lu", i);
        rc = idset_add(&s, 0, id, (size_t)n, 0, i + 2, NULL);
    }
    assert_int_equal(rc, -3);
    assert_int_equal(s.err, ENOENT);
    idset_release(&s);
    if (old)
        setenv("TMPDIR", old, 1);
    else
        unsetenv("TMPDIR");
    free(old);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_prefetch_and_long_ids),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_spill_same_answers),
        cmocka_unit_test(test_spill_error),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
