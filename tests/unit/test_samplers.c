/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for samplers/: R's sample() bit for bit (vectors computed by
 * R 4.2, the expression beside each), the hash method's properties (order
 * independence, prefix on enlarging n, shards merge), the systematic
 * method against an independent Python computation, allocation edge
 * cases, the manifest's JSON round trip, and the merge of shard manifests
 * (merge of the parts = draw over the whole, and its refusals).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "samplers/alloc.h"
#include "samplers/draw.h"
#include "samplers/manifest.h"
#include "samplers/merge.h"
#include "samplers/rsample.h"
#include "samplers/select.h"

/* --- R's sample() -------------------------------------------------------- */

struct rvec {
    const char *expr; /* the R expression that produced want */
    int32_t seed;
    uint64_t N, k;
    size_t skip; /* compare from this index */
    uint64_t want[10];
    size_t nwant;
};

static const struct rvec rvecs[] = {
    {"set.seed(1); sample(1000, 10)",
     1,
     1000,
     10,
     0,
     {836, 679, 129, 930, 509, 471, 299, 270, 978, 187},
     10},
    {"set.seed(42); sample(10, 10)",
     42,
     10,
     10,
     0,
     {1, 5, 10, 8, 2, 4, 6, 9, 7, 3},
     10},
    {"set.seed(-7); sample(1, 1)", -7, 1, 1, 0, {1}, 1},
    {"set.seed(0); sample(2, 2)", 0, 2, 2, 0, {2, 1}, 2},
    /* 2^16: bits = 16, one 16-bit chunk ... */
    {"set.seed(123456); sample(65536, 5)",
     123456,
     65536,
     5,
     0,
     {49386, 22385, 12999, 6326, 10982},
     5},
    /* ... 2^16 + 1: bits = 17, two chunks and rejections */
    {"set.seed(123456); sample(65537, 5)",
     123456,
     65537,
     5,
     0,
     {6326, 10982, 38915, 57728, 58718},
     5},
    {"set.seed(2147483647); sample(100000, 8)",
     2147483647,
     100000,
     8,
     0,
     {64742, 17768, 70447, 64361, 36493, 17721, 16048, 2269},
     8},
    {"set.seed(-2147483647); sample(33, 7)",
     -2147483647,
     33,
     7,
     0,
     {33, 28, 31, 25, 26, 5, 15},
     7},
    /* N > 1e7 and k <= N/2: sample.int uses the hash algorithm (sample2) */
    {"set.seed(2024); sample(20000001, 6)",
     2024,
     20000001,
     6,
     0,
     {4280869, 2929340, 16692113, 7097760, 6823546, 14808063},
     6},
    {"set.seed(99); sample(16777216, 4)",
     99,
     16777216,
     4,
     0,
     {11476257, 2883094, 16119669, 14830442},
     4},
    {"set.seed(31); sample(2^31 - 1, 3)",
     31,
     2147483647ULL,
     3,
     0,
     {95220529, 1833594024, 1910076352},
     3},
    /* N > 1e7 but k > N/2: the partial Fisher-Yates again */
    {"set.seed(7); sample(10000001, 5000001)[1:4]",
     7,
     10000001,
     5000001,
     0,
     {2713043, 6736578, 981210, 7697800},
     4},
};

static void test_r_sample_vectors(void **state)
{
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof(rvecs) / sizeof(rvecs[0]); i++) {
        const struct rvec *v = &rvecs[i];
        struct ca_error e = CA_ERROR_INIT;
        struct r_rng g;
        uint64_t *out = calloc(v->k, sizeof(*out));

        assert_non_null(out);
        r_rng_seed(&g, v->seed);
        assert_int_equal(r_sample(&g, v->N, v->k, out, &e), CA_OK);
        for (j = 0; j < v->nwant; j++) {
            if (out[v->skip + j] != v->want[j])
                fail_msg("%s: element %zu is %llu, R gives %llu", v->expr,
                         v->skip + j + 1, (unsigned long long)out[v->skip + j],
                         (unsigned long long)v->want[j]);
        }
        free(out);
    }
}

static void test_r_sample_one_stream(void **state)
{
    /* set.seed(5); c(sample(10, 3), sample(7, 2), sample(1, 1), sample(4, 4))
     * = 2 9 7 3 1 1 1 2 4 3 */
    static const uint64_t want[] = {2, 9, 7, 3, 1, 1, 1, 2, 4, 3};
    static const uint64_t Ns[] = {10, 7, 1, 4}, ks[] = {3, 2, 1, 4};
    uint64_t out[10];
    struct ca_error e = CA_ERROR_INIT;
    struct r_rng g;
    size_t i, at = 0;

    (void)state;
    r_rng_seed(&g, 5);
    for (i = 0; i < 4; i++) {
        assert_int_equal(r_sample(&g, Ns[i], ks[i], out + at, &e), CA_OK);
        at += ks[i];
    }
    for (i = 0; i < 10; i++)
        assert_int_equal(out[i], want[i]);
}

static void test_r_sample_errors(void **state)
{
    struct ca_error e = CA_ERROR_INIT;
    struct r_rng g;
    uint64_t out[4];
    int32_t s;

    (void)state;
    r_rng_seed(&g, 1);
    assert_int_equal(r_sample(&g, 3, 4, out, &e), CA_USAGE);
    assert_int_equal(r_sample(&g, 2147483648ULL, 1, out, &e), CA_USAGE);
    assert_int_equal(r_sample(&g, 0, 0, out, &e), CA_OK);
    assert_int_equal(r_seed_parse("42", &s), 0);
    assert_int_equal(s, 42);
    assert_int_equal(r_seed_parse("-2147483647", &s), 0);
    assert_int_equal(r_seed_parse("-2147483648", &s), -1); /* NA_integer_ */
    assert_int_equal(r_seed_parse("2147483648", &s), -1);
    assert_int_equal(r_seed_parse("1.5", &s), -1);
    assert_int_equal(r_seed_parse("audit-2026", &s), -1);
    assert_int_equal(r_seed_parse(" 4", &s), -1);
}

/* --- helpers over the selector ------------------------------------------- */

struct member {
    const char *force, *stratum, *id;
};

static struct selector *sel_new(enum sample_method m, const char *seed,
                                uint64_t keep)
{
    struct selector_opts o = {m, seed, keep, false, false, false};
    struct selector *s = NULL;
    struct ca_error e = CA_ERROR_INIT;

    assert_int_equal(selector_new(&o, &s, &e), CA_OK);
    return s;
}

static void sel_add(struct selector *s, const char *force, const char *stratum,
                    const char *id)
{
    struct ca_error e = CA_ERROR_INIT;

    assert_int_equal(selector_add(s, force, stratum, id, NULL, NULL, NULL, &e),
                     CA_OK);
}

/* Draw n from every group (same n everywhere). */
static void sel_draw(struct selector *s, uint64_t n, uint64_t spares,
                     struct selection *out)
{
    struct ca_error e = CA_ERROR_INIT;
    size_t g, ng = selector_ngroups(s);
    uint64_t *nv = calloc(ng + 1, sizeof(*nv));

    assert_non_null(nv);
    for (g = 0; g < ng; g++)
        nv[g] = n;
    assert_int_equal(selector_draw(s, nv, spares, out, &e), CA_OK);
    free(nv);
}

static char ids[100][16];

static void make_ids(void)
{
    int i;

    for (i = 0; i < 100; i++)
        snprintf(ids[i], sizeof(ids[i]), "CR-%d", i + 1);
}

/* --- hash method --------------------------------------------------------- */

static void test_hash_key(void **state)
{
    char hex[65];

    (void)state;
    /* python3: hashlib.sha256(b"42:CR-1").hexdigest() */
    sample_hash_key("42", "CR-1", hex);
    assert_string_equal(
        hex,
        "2fec1424beda451cf62e0a3a9eca2f2a5b82ea572b0a91ce5cf741af53c5455b");
}

static void test_hash_reference(void **state)
{
    /* python3: sorted([f"CR-{i}" for i in range(1, 101)],
     *   key=lambda i: sha256(f"2024:{i}".encode()).hexdigest())[:7] */
    static const char *want[] = {"CR-16", "CR-7",  "CR-24", "CR-31",
                                 "CR-23", "CR-12", "CR-90"};
    struct selector *s = sel_new(SM_HASH, "2024", 7);
    struct selection sel;
    size_t i;

    (void)state;
    make_ids();
    for (i = 0; i < 100; i++)
        sel_add(s, "all", "all", ids[i]);
    sel_draw(s, 5, 2, &sel);
    assert_int_equal(sel.nitems, 7);
    for (i = 0; i < 7; i++) {
        assert_string_equal(sel.items[i].id, want[i]);
        assert_int_equal(sel.items[i].spare, i >= 5);
        assert_int_equal(sel.items[i].rank, i < 5 ? i + 1 : i - 4);
    }
    assert_int_equal(sel.groups[0].N, 100);
    assert_non_null(selection_find(&sel, "CR-90"));
    assert_null(selection_find(&sel, "CR-1"));
    selection_release(&sel);
    selector_free(s);
}

static void assert_same_ids(const struct selection *a,
                            const struct selection *b)
{
    size_t i;

    assert_int_equal(a->nitems, b->nitems);
    for (i = 0; i < a->nitems; i++) {
        assert_string_equal(a->items[i].id, b->items[i].id);
        assert_string_equal(a->items[i].key, b->items[i].key);
        assert_int_equal(a->items[i].rank, b->items[i].rank);
    }
}

static void test_hash_order_independent(void **state)
{
    struct selector *s1 = sel_new(SM_HASH, "audit", 12);
    struct selector *s2 = sel_new(SM_HASH, "audit", 12);
    struct selection a, b;
    size_t perm[100], i;

    (void)state;
    make_ids();
    for (i = 0; i < 100; i++)
        perm[i] = i;
    srand(7);
    for (i = 99; i > 0; i--) { /* a shuffle */
        size_t j = (size_t)rand() % (i + 1), t = perm[i];

        perm[i] = perm[j];
        perm[j] = t;
    }
    for (i = 0; i < 100; i++) {
        const char *st = i % 3 ? "N" : "Y";
        const char *st2 = perm[i] % 3 ? "N" : "Y";

        sel_add(s1, "f", st, ids[i]);
        sel_add(s2, "f", st2, ids[perm[i]]);
    }
    sel_draw(s1, 10, 2, &a);
    sel_draw(s2, 10, 2, &b);
    assert_same_ids(&a, &b);
    assert_int_equal(a.nitems, 24);
    selection_release(&a);
    selection_release(&b);
    selector_free(s1);
    selector_free(s2);
}

static void test_hash_prefix(void **state)
{
    struct selector *s1 = sel_new(SM_HASH, "seed", 5);
    struct selector *s2 = sel_new(SM_HASH, "seed", 0); /* unbounded */
    struct selection a, b;
    size_t i;

    (void)state;
    make_ids();
    for (i = 0; i < 100; i++) {
        sel_add(s1, "f", "all", ids[i]);
        sel_add(s2, "f", "all", ids[i]);
    }
    sel_draw(s1, 5, 0, &a);
    sel_draw(s2, 20, 0, &b);
    assert_int_equal(b.nitems, 20);
    for (i = 0; i < 5; i++)
        assert_string_equal(a.items[i].id, b.items[i].id);
    for (i = 1; i < 20; i++) /* keys ascending */
        assert_true(strcmp(b.items[i - 1].key, b.items[i].key) < 0);
    selection_release(&a);
    selection_release(&b);
    selector_free(s1);
    selector_free(s2);
}

static int key_cmp(const void *pa, const void *pb)
{
    const struct sample_item *a = pa, *b = pb;

    return strcmp(a->key, b->key);
}

static void test_hash_shards_merge(void **state)
{
    struct selector *whole = sel_new(SM_HASH, "x", 10);
    struct selector *sh1 = sel_new(SM_HASH, "x", 10);
    struct selector *sh2 = sel_new(SM_HASH, "x", 10);
    struct selection w, a, b;
    struct sample_item merged[20];
    size_t i;

    (void)state;
    make_ids();
    for (i = 0; i < 100; i++) {
        sel_add(whole, "all", "all", ids[i]);
        sel_add(i < 37 ? sh1 : sh2, "all", "all", ids[i]);
    }
    sel_draw(whole, 10, 0, &w);
    sel_draw(sh1, 10, 0, &a);
    sel_draw(sh2, 10, 0, &b);
    assert_int_equal(a.nitems + b.nitems, 20);
    memcpy(merged, a.items, a.nitems * sizeof(*merged));
    memcpy(merged + a.nitems, b.items, b.nitems * sizeof(*merged));
    qsort(merged, 20, sizeof(*merged), key_cmp);
    for (i = 0; i < 10; i++)
        assert_string_equal(merged[i].id, w.items[i].id);
    selection_release(&w);
    selection_release(&a);
    selection_release(&b);
    selector_free(whole);
    selector_free(sh1);
    selector_free(sh2);
}

static int rows_built;

static const void *test_row(void *ctx, size_t *len)
{
    rows_built++;
    *len = strlen(ctx) + 1;
    return ctx;
}

static void test_hash_rows_and_shortfall(void **state)
{
    struct selector_opts o = {SM_HASH, "s", 3, true, false, false};
    struct selector *s = NULL;
    struct ca_error e = CA_ERROR_INIT;
    struct selection sel;
    uint64_t n[2] = {3, 3};
    char row[64];
    size_t i;

    (void)state;
    assert_int_equal(selector_new(&o, &s, &e), CA_OK);
    make_ids();
    for (i = 0; i < 50; i++) {
        snprintf(row, sizeof(row), "row of %.15s", ids[i]);
        assert_int_equal(selector_add(s, "f", i < 2 ? "small" : "big", ids[i],
                                      NULL, test_row, row, &e),
                         CA_OK);
    }
    /* rows are built only for members that become candidates */
    assert_true(rows_built > 0 && rows_built < 50);
    assert_int_equal(selector_ngroups(s), 2);
    assert_int_equal(selector_draw(s, n, 0, &sel, &e), CA_OK);
    /* groups in label order: big, small */
    assert_string_equal(sel.groups[0].stratum, "big");
    assert_int_equal(sel.groups[0].N, 48);
    assert_int_equal(sel.groups[0].shortfall, 0);
    assert_string_equal(sel.groups[1].stratum, "small");
    assert_int_equal(sel.groups[1].N, 2);
    assert_int_equal(sel.groups[1].taken, 2);
    assert_int_equal(sel.groups[1].shortfall, 1);
    assert_int_equal(sel.nitems, 5);
    for (i = 0; i < sel.nitems; i++) {
        snprintf(row, sizeof(row), "row of %.15s", sel.items[i].id);
        assert_non_null(sel.items[i].row);
        assert_string_equal((const char *)sel.items[i].row, row);
    }
    selection_release(&sel);
    selector_free(s);
}

/* --- r method through the selector --------------------------------------- */

static void test_r_method_groups(void **state)
{
    /* Groups in label order a(10) b(7) c(1) d(4), n = 3 2 1 4, one stream:
     * set.seed(5); c(sample(10, 3), sample(7, 2), sample(1, 1), sample(4, 4))
     * = 2 9 7 | 3 1 | 1 | 1 2 4 3 */
    static const char *want[] = {"a2", "a9", "a7", "b3", "b1",
                                 "c1", "d1", "d2", "d4", "d3"};
    static const uint64_t Ns[] = {10, 7, 1, 4};
    uint64_t n[] = {3, 2, 1, 4};
    struct selector *s = sel_new(SM_R, "5", 0);
    struct ca_error e = CA_ERROR_INIT;
    struct selection sel;
    char id[32], st[2] = "a";
    size_t g, i;

    (void)state;
    /* added in the reverse group order: the draw sorts the groups */
    for (g = 4; g-- > 0;) {
        st[0] = (char)('a' + g);
        for (i = 0; i < Ns[g]; i++) {
            snprintf(id, sizeof(id), "%s%zu", st, i + 1);
            sel_add(s, "all", st, id);
        }
    }
    assert_int_equal(selector_draw(s, n, 0, &sel, &e), CA_OK);
    assert_int_equal(sel.nitems, 10);
    for (i = 0; i < 10; i++)
        assert_string_equal(sel.items[i].id, want[i]);
    assert_string_equal(sel.items[1].key, "9");
    selection_release(&sel);
    selector_free(s);
}

static void test_r_method_spares(void **state)
{
    /* set.seed(1); sample(1000, 10): the first 7 selected, 3 spares */
    struct selector *s = sel_new(SM_R, "1", 0);
    struct selection sel;
    char id[16];
    size_t i;

    (void)state;
    for (i = 1; i <= 1000; i++) {
        snprintf(id, sizeof(id), "ID%zu", i);
        sel_add(s, "all", "all", id);
    }
    sel_draw(s, 7, 3, &sel);
    assert_int_equal(sel.nitems, 10);
    assert_string_equal(sel.items[0].id, "ID836");
    assert_string_equal(sel.items[6].id, "ID299");
    assert_false(sel.items[6].spare);
    assert_string_equal(sel.items[7].id, "ID270");
    assert_true(sel.items[7].spare);
    assert_int_equal(sel.items[7].rank, 1);
    assert_string_equal(sel.items[9].id, "ID187");
    selection_release(&sel);
    selector_free(s);
}

static void test_r_method_bad_seed(void **state)
{
    struct selector_opts o = {SM_R, "audit-2026", 0, false, false, false};
    struct selector *s = NULL;
    struct ca_error e = CA_ERROR_INIT;

    (void)state;
    assert_int_equal(selector_new(&o, &s, &e), CA_USAGE);
    assert_null(s);
    assert_non_null(strstr(e.msg, "whole-number seed"));
}

/* --- systematic ---------------------------------------------------------- */

static void test_systematic(void **state)
{
    /* python3: h = int(sha256(b"s1:start:all:all").hexdigest()[:12], 16)
     *   = 88230305205987; r = h % 10 = 7;
     *   [(r + i*10)//3 + 1 for i in range(3)] = [3, 6, 10]
     * spares over the 7 others (positions 1 2 4 5 7 8 9):
     *   r2 = int(sha256(b"s1:spare:all:all").hexdigest()[:12], 16) % 7 = 0;
     *   [rest[(r2 + j*7)//2] + 1 for j in range(2)] = [1, 5] */
    struct selector *s = sel_new(SM_SYSTEMATIC, "s1", 0);
    struct selection sel;
    char id[16];
    size_t i;

    (void)state;
    assert_int_equal(sample_systematic_u("s1", "start", "all", "all"),
                     88230305205987ULL);
    for (i = 1; i <= 10; i++) {
        snprintf(id, sizeof(id), "P%zu", i);
        sel_add(s, "all", "all", id);
    }
    sel_draw(s, 3, 2, &sel);
    assert_int_equal(sel.nitems, 5);
    assert_string_equal(sel.items[0].id, "P3");
    assert_string_equal(sel.items[1].id, "P6");
    assert_string_equal(sel.items[2].id, "P10");
    assert_string_equal(sel.items[3].id, "P1");
    assert_true(sel.items[3].spare);
    assert_string_equal(sel.items[4].id, "P5");
    selection_release(&sel);
    selector_free(s);
}

static void test_systematic_ordered(void **state)
{
    /* Ordered by key descending = input reversed; whole frame taken when
     * n >= N, in frame order. */
    struct selector_opts o = {SM_SYSTEMATIC, "s1", 0, false, true, false};
    struct selector *s = NULL;
    struct ca_error e = CA_ERROR_INIT;
    struct selection sel;
    uint64_t n = 12;
    char id[16], key[16];
    size_t i;

    (void)state;
    assert_int_equal(selector_new(&o, &s, &e), CA_OK);
    for (i = 1; i <= 10; i++) {
        snprintf(id, sizeof(id), "P%zu", i);
        snprintf(key, sizeof(key), "%02zu", 11 - i);
        assert_int_equal(selector_add(s, "all", "all", id, key, NULL, NULL, &e),
                         CA_OK);
    }
    assert_int_equal(selector_draw(s, &n, 0, &sel, &e), CA_OK);
    assert_int_equal(sel.nitems, 10);
    assert_int_equal(sel.groups[0].shortfall, 2);
    assert_string_equal(sel.items[0].id, "P10");
    assert_string_equal(sel.items[9].id, "P1");
    selection_release(&sel);
    selector_free(s);
}

/* --- allocation ---------------------------------------------------------- */

static void alloc_expect(const char *spec, uint64_t n, const uint64_t *N,
                         size_t H, const uint64_t *want)
{
    struct alloc_spec a;
    struct ca_error e = CA_ERROR_INIT;
    uint64_t out[8];
    size_t i;

    assert_int_equal(alloc_parse(spec, &a), 0);
    assert_int_equal(alloc_compute(&a, n, N, H, out, &e), CA_OK);
    for (i = 0; i < H; i++)
        if (out[i] != want[i])
            fail_msg("%s n=%llu: stratum %zu gets %llu, want %llu", spec,
                     (unsigned long long)n, i, (unsigned long long)out[i],
                     (unsigned long long)want[i]);
}

static void test_alloc(void **state)
{
    (void)state;
    /* exact quotas */
    alloc_expect("proportional", 10, (const uint64_t[]){50, 30, 20}, 3,
                 (const uint64_t[]){5, 3, 2});
    /* quotas 3.5 1.0 0.5: remainders tie, the first in label order wins */
    alloc_expect("proportional", 5, (const uint64_t[]){7, 2, 1}, 3,
                 (const uint64_t[]){4, 1, 0});
    /* all tied */
    alloc_expect("proportional", 2, (const uint64_t[]){1, 1, 1}, 3,
                 (const uint64_t[]){1, 1, 0});
    /* largest remainder beats label order: 10 * (3, 3, 4) / 10 ... */
    alloc_expect("proportional", 4, (const uint64_t[]){3, 3, 4}, 3,
                 (const uint64_t[]){1, 1, 2});
    /* zero-size strata get nothing */
    alloc_expect("proportional", 3, (const uint64_t[]){0, 10, 0}, 3,
                 (const uint64_t[]){0, 3, 0});
    /* n > N: not capped (the draw reports the shortfall) */
    alloc_expect("proportional", 10, (const uint64_t[]){2, 3}, 2,
                 (const uint64_t[]){4, 6});
    /* min:1: C fixed at 1, then 4 over A 7 and B 2: 3.11 0.89 -> 3 1 */
    alloc_expect("min:1", 5, (const uint64_t[]){7, 2, 1}, 3,
                 (const uint64_t[]){3, 1, 1});
    alloc_expect("min:0", 5, (const uint64_t[]){7, 2, 1}, 3,
                 (const uint64_t[]){4, 1, 0});
    /* min:3 over 100 / 5 / 1 with n = 20: both small fixed at 3 -> 14 3 3 */
    alloc_expect("min:3", 20, (const uint64_t[]){100, 5, 1}, 3,
                 (const uint64_t[]){14, 3, 3});
    /* equal: the remainder to the first strata in label order, empty skipped */
    alloc_expect("equal", 7, (const uint64_t[]){5, 5, 0, 5}, 4,
                 (const uint64_t[]){3, 2, 0, 2});
    alloc_expect("equal", 2, (const uint64_t[]){1, 1, 1}, 3,
                 (const uint64_t[]){1, 1, 0});
    /* no strata at all */
    alloc_expect("proportional", 5, NULL, 0, NULL);
}

static void test_alloc_errors(void **state)
{
    struct alloc_spec a;
    struct ca_error e = CA_ERROR_INIT;
    uint64_t out[3];
    char buf[32];

    (void)state;
    assert_int_equal(alloc_parse("min:2", &a), 0);
    assert_int_equal(
        alloc_compute(&a, 5, (const uint64_t[]){5, 5, 5}, 3, out, &e),
        CA_USAGE);
    assert_non_null(strstr(e.msg, "min:2"));
    assert_int_equal(alloc_parse("min:", &a), -1);
    assert_int_equal(alloc_parse("min:x", &a), -1);
    assert_int_equal(alloc_parse("Proportional", &a), -1);
    assert_int_equal(alloc_parse("min:12", &a), 0);
    assert_string_equal(alloc_format(&a, buf, sizeof(buf)), "min:12");
}

/* --- manifest ------------------------------------------------------------ */

static void test_manifest_round_trip(void **state)
{
    struct manifest m, r;
    struct selector *s = sel_new(SM_HASH, "2024", 0);
    struct ca_error e = CA_ERROR_INIT;
    char path[] = "/tmp/test_samplers_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp;
    size_t i;

    (void)state;
    assert_true(fd >= 0);
    make_ids();
    for (i = 0; i < 30; i++)
        sel_add(s, "f1", i % 2 ? "N|violence" : "Y|other", ids[i]);
    memset(&m, 0, sizeof(m));
    m.version = 1;
    m.tool_version = strdup("0.1.0");
    m.argc = 2;
    m.argv = calloc(2, sizeof(char *));
    m.argv[0] = strdup("caseaudit");
    m.argv[1] = strdup("sample");
    m.created = strdup("2026-11-26T23:00:00Z");
    m.p.type = strdup("crime");
    m.p.seed = strdup("2024");
    m.p.per_force = true;
    m.p.nstrata = 2;
    m.p.strata = calloc(2, sizeof(char *));
    m.p.strata[0] = strdup("attended");
    m.p.strata[1] = strdup("offence_group");
    m.p.alloc.kind = ALLOC_MIN;
    m.p.alloc.min = 2;
    m.p.spares = 1;
    m.p.nwhere = 1;
    m.p.where = calloc(1, sizeof(*m.p.where));
    m.p.where[0].field = strdup("status");
    m.p.where[0].regex = strdup("^(open|filed)$");
    m.p.plan.mode = PLAN_MODE_ATTRIBUTE;
    m.p.plan.confidence = 0.95;
    m.p.plan.tolerable = 0.05;
    m.p.plan.expected_rate = strdup("2%");
    m.r.ninputs = 1;
    m.r.inputs = calloc(1, sizeof(*m.r.inputs));
    m.r.inputs[0].path = strdup("crimes.csv");
    m.r.inputs[0].bytes = 1234;
    snprintf(m.r.inputs[0].sha256, 65, "%064d", 7);
    m.r.rows_read = 33;
    m.r.rows_accepted = 31;
    m.r.rows_rejected = 2;
    m.r.rows_excluded = 1;
    m.r.nrejected = 1;
    m.r.rejected = calloc(1, sizeof(*m.r.rejected));
    m.r.rejected[0].reason = strdup("missing id");
    m.r.rejected[0].n = 2;
    sel_draw(s, 3, 1, &m.r.sel);
    selector_free(s);

    fp = fdopen(fd, "w");
    assert_non_null(fp);
    assert_int_equal(manifest_write(&m, fp, &e), CA_OK);
    fclose(fp);
    assert_int_equal(manifest_read(path, &r, &e), CA_OK);
    assert_string_equal(r.tool_version, "0.1.0");
    assert_int_equal(r.argc, 2);
    assert_string_equal(r.p.seed, "2024");
    assert_true(r.p.per_force);
    assert_string_equal(r.p.strata[1], "offence_group");
    assert_int_equal(r.p.alloc.kind, ALLOC_MIN);
    assert_int_equal(r.p.alloc.min, 2);
    assert_string_equal(r.p.where[0].regex, "^(open|filed)$");
    assert_int_equal(r.p.plan.mode, PLAN_MODE_ATTRIBUTE);
    assert_true(r.p.plan.confidence == 0.95);
    assert_string_equal(r.p.plan.expected_rate, "2%");
    assert_null(r.p.plan.model);
    assert_string_equal(r.r.inputs[0].sha256, m.r.inputs[0].sha256);
    assert_int_equal(r.r.rows_excluded, 1);
    assert_int_equal(r.r.rejected[0].n, 2);
    assert_int_equal(r.r.sel.ngroups, 2);
    assert_int_equal(r.r.sel.groups[0].N, 15);
    assert_int_equal(r.r.sel.nitems, m.r.sel.nitems);
    for (i = 0; i < r.r.sel.nitems; i++) {
        /* selected first, then spares, each in group and rank order */
        assert_string_equal(
            r.r.sel.items[i].key,
            m.r.sel.items[i < 6 ? (i / 3) * 4 + i % 3 : (i - 6) * 4 + 3].key);
    }
    manifest_release(&r);
    manifest_release(&m);

    /* a broken manifest names the key */
    fp = fopen(path, "w");
    fputs("{\"manifest_version\": 1, \"tool_version\": \"0.1.0\", \"created\": "
          "null,"
          " \"method\": \"dice\"}",
          fp);
    fclose(fp);
    assert_int_equal(manifest_read(path, &r, &e), CA_DATA);
    assert_non_null(strstr(e.msg, "'method'"));
    fp = fopen(path, "w");
    fputs("{not json", fp);
    fclose(fp);
    assert_int_equal(manifest_read(path, &r, &e), CA_DATA);
    unlink(path);
}

/* --- merging shards ------------------------------------------------------ */

#define MERGE_N 300

/* member i: force f1/f2, an unbalanced stratum a/b/c */
static const char *m_force(size_t i)
{
    return i % 2 ? "f2" : "f1";
}

static const char *m_stratum(size_t i)
{
    return i % 7 < 4 ? "a" : i % 7 < 6 ? "b" : "c";
}

/* A toy plan: n = ceil(N / 10), so at most 30 for N <= 300. */
static enum ca_status toy_size(void *ctx, uint64_t N, uint64_t *n,
                               struct ca_error *err)
{
    (void)ctx;
    (void)err;
    *n = (N + 9) / 10;
    return CA_OK;
}

static void merge_params(struct sample_params *p, const char *seed, bool strata,
                         bool shard)
{
    memset(p, 0, sizeof(*p));
    p->type = strdup("crime");
    p->seed = strdup(seed);
    p->method = SM_HASH;
    p->per_force = true;
    if (strata) {
        p->nstrata = 1;
        p->strata = calloc(1, sizeof(char *));
        p->strata[0] = strdup("offence_group");
    }
    p->spares = 2;
    p->plan.mode = PLAN_MODE_FIXED;
    p->plan.size = 12;
    p->shard = shard;
}

/*
 * Draw over the members i with in(i) true, as `sample` would (keep = the
 * largest allocation plus the spares), into m; with a path, write the
 * manifest there and read it back (so the merge reads what a file holds).
 */
static void merge_draw(struct manifest *m, const struct sample_params *p,
                       bool (*in)(size_t), sample_size_fn size, uint64_t bound,
                       const char *input, const char *path)
{
    struct selector_opts o = {SM_HASH, p->seed, 0, false, false, p->shard};
    struct selector *s = NULL;
    struct ca_error e = CA_ERROR_INIT;
    const char *force[16];
    uint64_t N[16], n[16];
    size_t i, g, ng;
    FILE *fp;

    o.keep = (size ? bound : p->plan.size) + p->spares;
    memset(m, 0, sizeof(*m));
    assert_int_equal(selector_new(&o, &s, &e), CA_OK);
    make_ids();
    for (i = 0; i < MERGE_N; i++) {
        char id[16];

        if (!in(i))
            continue;
        snprintf(id, sizeof(id), "CR-%zu", i + 1);
        m->r.rows_read++;
        sel_add(s, m_force(i), p->nstrata ? m_stratum(i) : "all", id);
    }
    ng = selector_ngroups(s);
    assert_true(ng <= 16);
    for (g = 0; g < ng; g++)
        selector_group(s, g, &force[g], NULL, &N[g]);
    assert_int_equal(sample_allocate(p, size, NULL, force, N, ng, n, &e),
                     CA_OK);
    assert_int_equal(selector_draw(s, n, p->spares, &m->r.sel, &e), CA_OK);
    selector_free(s);
    m->version = 1;
    assert_int_equal(sample_params_copy(&m->p, p), 0);
    m->r.rows_accepted = m->r.rows_read;
    m->r.candidates_per_stratum = p->shard ? o.keep : 0;
    m->r.ninputs = 1;
    m->r.inputs = calloc(1, sizeof(*m->r.inputs));
    m->r.inputs[0].path = strdup(input);
    snprintf(m->r.inputs[0].sha256, 65, "%064d", 0);
    if (!path)
        return;
    fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(manifest_write(m, fp, &e), CA_OK);
    fclose(fp);
    manifest_release(m);
    assert_int_equal(manifest_read(path, m, &e), CA_OK);
}

static bool in_all(size_t i)
{
    return i < MERGE_N;
}
/* an arbitrary split in three */
static bool in_s0(size_t i)
{
    return i % 3 == 0;
}
static bool in_s1(size_t i)
{
    return i % 3 != 0 && i < 150;
}
static bool in_s2(size_t i)
{
    return i % 3 != 0 && i >= 150;
}
/* a shard that repeats records of s0 */
static bool in_dup(size_t i)
{
    return i % 3 == 0 && i < 60;
}

static void assert_same_item(const struct sample_item *a,
                             const struct sample_item *b)
{
    assert_string_equal(a->force, b->force);
    assert_string_equal(a->stratum, b->stratum);
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->key, b->key);
    assert_int_equal(a->rank, b->rank);
    assert_int_equal(a->spare, b->spare);
}

static void assert_same_selection(const struct selection *a,
                                  const struct selection *b)
{
    size_t i;

    assert_int_equal(a->ngroups, b->ngroups);
    for (i = 0; i < a->ngroups; i++) {
        assert_string_equal(a->groups[i].force, b->groups[i].force);
        assert_string_equal(a->groups[i].stratum, b->groups[i].stratum);
        assert_int_equal(a->groups[i].N, b->groups[i].N);
        assert_int_equal(a->groups[i].n, b->groups[i].n);
        assert_int_equal(a->groups[i].shortfall, b->groups[i].shortfall);
        assert_int_equal(a->groups[i].spares, b->groups[i].spares);
    }
    assert_int_equal(a->nitems, b->nitems);
    for (i = 0; i < a->nitems; i++)
        assert_same_item(&a->items[i], &b->items[i]);
    assert_int_equal(a->ncands, b->ncands);
    for (i = 0; i < a->ncands; i++)
        assert_same_item(&a->cands[i], &b->cands[i]);
}

struct shard_set {
    struct manifest m[4];
    char path[4][40];
    const char *names[4];
    size_t n;
};

static void shards_add(struct shard_set *ss, const struct sample_params *p,
                       bool (*in)(size_t), sample_size_fn size, uint64_t bound)
{
    char input[32];
    int fd;

    snprintf(ss->path[ss->n], sizeof(ss->path[0]), "/tmp/test_merge_XXXXXX");
    fd = mkstemp(ss->path[ss->n]);
    assert_true(fd >= 0);
    close(fd);
    snprintf(input, sizeof(input), "part-%zu.csv", ss->n + 1);
    merge_draw(&ss->m[ss->n], p, in, size, bound, input, ss->path[ss->n]);
    ss->names[ss->n] = ss->path[ss->n];
    ss->n++;
}

static void shards_release(struct shard_set *ss)
{
    size_t i;

    for (i = 0; i < ss->n; i++) {
        manifest_release(&ss->m[i]);
        unlink(ss->path[i]);
    }
    ss->n = 0;
}

static enum ca_status merge_run(struct shard_set *ss, sample_size_fn size,
                                struct manifest *out, struct ca_error *e)
{
    struct merge_config mc;

    memset(&mc, 0, sizeof(mc));
    mc.shards = ss->m;
    mc.names = ss->names;
    mc.nshards = ss->n;
    mc.size = size;
    return manifest_merge(&mc, out, e);
}

static void check_merge_equals_whole(bool strata, bool shard,
                                     sample_size_fn size, uint64_t bound)
{
    struct sample_params p;
    struct shard_set ss;
    struct manifest whole, merged;
    struct ca_error e = CA_ERROR_INIT;

    memset(&ss, 0, sizeof(ss));
    merge_params(&p, "merge", strata, shard);
    if (size) {
        p.plan.mode = PLAN_MODE_ESTIMATION; /* sized by size() */
        p.plan.size = 0;
    }
    merge_draw(&whole, &p, in_all, size, bound, "all.csv", NULL);
    shards_add(&ss, &p, in_s0, size, bound);
    shards_add(&ss, &p, in_s1, size, bound);
    shards_add(&ss, &p, in_s2, size, bound);
    assert_int_equal(merge_run(&ss, size, &merged, &e), CA_OK);
    assert_same_selection(&whole.r.sel, &merged.r.sel);
    assert_int_equal(merged.r.rows_read, MERGE_N);
    assert_int_equal(merged.r.ninputs, 3);
    assert_string_equal(merged.r.inputs[2].path, "part-3.csv");
    assert_int_equal(merged.r.nmerged, 3);
    assert_int_equal(merged.r.candidates_per_stratum,
                     whole.r.candidates_per_stratum);
    assert_true(merged.p.shard == shard);
    /* the merged sample can be found by id (for -o) */
    assert_non_null(selection_find(&merged.r.sel, whole.r.sel.items[0].id));
    manifest_release(&merged);
    manifest_release(&whole);
    shards_release(&ss);
    sample_params_release(&p);
}

static void test_merge_equals_whole(void **state)
{
    (void)state;
    /* stratified, proportional allocation from the summed N */
    check_merge_equals_whole(true, true, NULL, 0);
    /* a plan: each force's n from its summed N (15 and 15, where the
     * shards alone would plan 5 or so each) */
    check_merge_equals_whole(true, true, toy_size, 30);
    /* unstratified, fixed size: plain manifests suffice */
    check_merge_equals_whole(false, false, NULL, 0);
    check_merge_equals_whole(false, true, NULL, 0);
}

static void test_merge_allocation(void **state)
{
    struct sample_params p;
    struct shard_set ss;
    struct manifest merged;
    struct ca_error e = CA_ERROR_INIT;
    size_t i;

    (void)state;
    memset(&ss, 0, sizeof(ss));
    merge_params(&p, "merge", true, true);
    p.plan.mode = PLAN_MODE_ESTIMATION;
    shards_add(&ss, &p, in_s1, toy_size, 30);
    shards_add(&ss, &p, in_s2, toy_size, 30);
    assert_int_equal(merge_run(&ss, toy_size, &merged, &e), CA_OK);
    /* force f1 has 100 members in s1 and s2 (i even, i % 3 != 0): the
     * plan gives ceil(100 / 10) = 10, allocated over a/b/c (N 57, 29,
     * 14 by i % 7) as 5.7, 2.9, 1.4 -> 5 + 2 + 1 and the remainders
     * .9 (b) and .7 (a) -> a 6, b 3, c 1 */
    assert_int_equal(merged.r.sel.ngroups, 6);
    assert_string_equal(merged.r.sel.groups[0].force, "f1");
    {
        const uint64_t want_N[3] = {57, 29, 14}, want_n[3] = {6, 3, 1};

        for (i = 0; i < 3; i++) {
            assert_int_equal(merged.r.sel.groups[i].N, want_N[i]);
            assert_int_equal(merged.r.sel.groups[i].n, want_n[i]);
        }
    }
    manifest_release(&merged);
    shards_release(&ss);
    sample_params_release(&p);
}

/* The merge refuses, with CA_DATA and a message holding want. */
static void assert_merge_refused(struct shard_set *ss, const char *want)
{
    struct manifest out;
    struct ca_error e = CA_ERROR_INIT;

    assert_int_equal(merge_run(ss, NULL, &out, &e), CA_DATA);
    if (!strstr(e.msg, want))
        fail_msg("message '%s' lacks '%s'", e.msg, want);
    shards_release(ss);
}

static void test_merge_refusals(void **state)
{
    struct sample_params p, q;
    struct shard_set ss;

    (void)state;
    memset(&ss, 0, sizeof(ss));
    merge_params(&p, "merge", true, true);

    merge_params(&q, "other", true, true); /* another seed */
    shards_add(&ss, &p, in_s0, NULL, 0);
    shards_add(&ss, &q, in_s1, NULL, 0);
    assert_merge_refused(&ss, "key 'seed' is \"other\" here but \"merge\"");
    sample_params_release(&q);

    merge_params(&q, "merge", true, true); /* other spares */
    q.spares = 1;
    shards_add(&ss, &p, in_s0, NULL, 0);
    shards_add(&ss, &q, in_s1, NULL, 0);
    assert_merge_refused(&ss, "key 'spares_per_stratum' is 1 here but 2");
    sample_params_release(&q);

    merge_params(&q, "merge", false, true); /* no strata */
    shards_add(&ss, &p, in_s0, NULL, 0);
    shards_add(&ss, &q, in_s1, NULL, 0);
    assert_merge_refused(&ss,
                         "key 'strata' is [] here but [\"offence_group\"]");
    sample_params_release(&q);

    merge_params(&q, "merge", true, false); /* stratified, not --shard */
    shards_add(&ss, &q, in_s0, NULL, 0);
    shards_add(&ss, &q, in_s1, NULL, 0);
    assert_merge_refused(&ss, "drawn without --shard");
    sample_params_release(&q);

    shards_add(&ss, &p, in_s0, NULL, 0); /* records in two shards */
    shards_add(&ss, &p, in_dup, NULL, 0);
    assert_merge_refused(&ss, "shards must not share records");

    /* an r sample: the manifest says so */
    shards_add(&ss, &p, in_s0, NULL, 0);
    ss.m[0].p.method = SM_R;
    assert_merge_refused(&ss, "method 'r': only hash samples can be merged");

    /* a key edited */
    shards_add(&ss, &p, in_s0, NULL, 0);
    shards_add(&ss, &p, in_s1, NULL, 0);
    ss.m[1].r.sel.cands[3].key[0] =
        ss.m[1].r.sel.cands[3].key[0] == '0' ? '1' : '0';
    assert_merge_refused(&ss, "is not SHA-256");

    /* candidates cut short: the proof fails */
    shards_add(&ss, &p, in_s0, NULL, 0);
    shards_add(&ss, &p, in_s1, NULL, 0);
    {
        struct selection *sel = &ss.m[1].r.sel;

        while (sel->ncands > 2) {
            struct sample_item *it = &sel->cands[--sel->ncands];

            free(it->force);
            free(it->stratum);
            free(it->id);
        }
    }
    assert_merge_refused(&ss, "too few to be sure");
    sample_params_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r_sample_vectors),
        cmocka_unit_test(test_r_sample_one_stream),
        cmocka_unit_test(test_r_sample_errors),
        cmocka_unit_test(test_hash_key),
        cmocka_unit_test(test_hash_reference),
        cmocka_unit_test(test_hash_order_independent),
        cmocka_unit_test(test_hash_prefix),
        cmocka_unit_test(test_hash_shards_merge),
        cmocka_unit_test(test_hash_rows_and_shortfall),
        cmocka_unit_test(test_r_method_groups),
        cmocka_unit_test(test_r_method_spares),
        cmocka_unit_test(test_r_method_bad_seed),
        cmocka_unit_test(test_systematic),
        cmocka_unit_test(test_systematic_ordered),
        cmocka_unit_test(test_alloc),
        cmocka_unit_test(test_alloc_errors),
        cmocka_unit_test(test_manifest_round_trip),
        cmocka_unit_test(test_merge_equals_whole),
        cmocka_unit_test(test_merge_allocation),
        cmocka_unit_test(test_merge_refusals),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
