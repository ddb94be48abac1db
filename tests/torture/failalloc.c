/* SPDX-License-Identifier: MIT */
/*
 * Allocation failure on demand, in the manner of curl's torture tests.
 * Linked only into build/san/caseaudit-torture, with
 * `-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup`
 * (see the Makefile), so that every allocation caseaudit's own code makes
 * goes through the counter below; the libraries' own allocations (PCRE2,
 * jansson, libarchive, libyaml, the C library's) are not counted.
 *
 *   CASEAUDIT_FAIL_ALLOC=k   the k-th allocation (from 1) fails, with
 *                            ENOMEM; every other one succeeds
 *   CASEAUDIT_COUNT_ALLOC=1  print "allocations: N" on standard error at
 *                            exit
 *
 * tests/torture/run uses these to fail each allocation of a small `run`
 * in turn.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static unsigned long count, fail_at;
static int inited;

static void report(void)
{
    fprintf(stderr, "allocations: %lu\n", count);
}

/* Whether this allocation is the one to fail (threads share the count). */
static int fail_now(void)
{
    unsigned long k;

    if (!__atomic_exchange_n(&inited, 1, __ATOMIC_ACQ_REL)) {
        const char *f = getenv("CASEAUDIT_FAIL_ALLOC");
        const char *c = getenv("CASEAUDIT_COUNT_ALLOC");

        if (f)
            __atomic_store_n(&fail_at, strtoul(f, NULL, 10), __ATOMIC_RELEASE);
        if (c && *c == '1')
            atexit(report);
    }
    k = __atomic_add_fetch(&count, 1, __ATOMIC_ACQ_REL);
    if (k == __atomic_load_n(&fail_at, __ATOMIC_ACQUIRE)) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = fail_now() ? NULL : __real_malloc(n);

    if (p)
        memcpy(p, s, n);
    return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
    size_t l = strnlen(s, n);
    char *p = fail_now() ? NULL : __real_malloc(l + 1);

    if (p) {
        memcpy(p, s, l);
        p[l] = '\0';
    }
    return p;
}
