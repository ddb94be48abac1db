/* SPDX-License-Identifier: MIT */
/*
 * Rule matching allocates nothing per record.  This test binary is linked
 * with `-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc` (see the Makefile),
 * so every allocation our own code makes goes through the counters below.
 * It streams the demo export through the shipped rules and counts the
 * allocations made inside engine_eval: after the scratch has grown to the
 * size of the larger logs (the first records), evaluating thousands more
 * records may only grow a buffer now and then for a log longer than any
 * before, never allocate once per record.  (PCRE2 is a shared library and
 * not wrapped: its match data and JIT stack are allocated once per
 * scratch, and JIT matching allocates nothing.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "engine/rules.h"
#include "ingest/ingest.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static int counting;
static unsigned long allocations;

void *__wrap_malloc(size_t n)
{
    allocations += counting;
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    allocations += counting;
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    allocations += counting;
    return __real_realloc(p, n);
}

struct run {
    const struct ruleset *rs;
    struct engine_scratch *s;
    struct engine_params p;
    unsigned long records, verdicts, warm, after_warm;
    enum ca_status st;
};

static int on_verdict(void *ctx, const struct record *r,
                      const struct engine_verdict *v)
{
    unsigned long *n = ctx;

    (void)r;
    (void)v;
    (*n)++;
    return 0;
}

#define WARM 200 /* records before the scratch is taken as grown */

static int on_record(void *ctx, const struct record *r)
{
    struct run *x = ctx;
    unsigned long before = allocations;

    counting = 1;
    x->st = engine_eval(x->rs, r, &x->p, x->s, on_verdict, &x->verdicts);
    counting = 0;
    if (x->st != CA_OK)
        return 1;
    if (++x->records > WARM)
        x->after_warm += allocations - before;
    else
        x->warm += allocations - before;
    return 0;
}

static void test_no_allocation_per_record(void **state)
{
    const char *rules[] = {"../../rules"};
    const char *inputs[] = {"../../fixtures/demo/demo.zip"};
    struct ruleset *rs = NULL;
    struct ingest_opts io;
    struct ingest_stats st;
    struct ca_error err;
    struct run x;

    (void)state;
    memset(&x, 0, sizeof(x));
    memset(&st, 0, sizeof(st));
    assert_int_equal(ruleset_load(rules, 1, NULL, &rs, &err), CA_OK);
    x.rs = rs;
    x.s = engine_scratch_new(NULL);
    assert_non_null(x.s);
    x.p.as_of = date_days_from_civil(2023, 8, 1) * 86400;
    ingest_opts_init(&io);
    assert_int_equal(ingest_run(inputs, 1, &io, on_record, NULL, &x, &st, &err),
                     CA_OK);
    assert_int_equal(x.st, CA_OK);
    print_message("%lu records, %lu verdicts; allocations in engine_eval: "
                  "%lu in the first %d records, %lu in the other %lu\n",
                  x.records, x.verdicts, x.warm, WARM, x.after_warm,
                  x.records - WARM);
    /* the demo has thousands of records with rules (crime, wanted, bail) */
    assert_true(x.records > 4000);
    assert_true(x.verdicts > 10000);
    /* growth now and then, never per record: fewer than one allocation
     * per hundred records after the first ones */
    assert_true(x.after_warm * 100 < x.records - WARM);
    ingest_stats_release(&st);
    engine_scratch_free(x.s);
    ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_allocation_per_record),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
