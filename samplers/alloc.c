/* SPDX-License-Identifier: MIT */
/* Allocation across strata; see alloc.h for the rules. */
#include "samplers/alloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

int alloc_parse(const char *s, struct alloc_spec *a)
{
    char *end;
    unsigned long long k;

    if (!s)
        return -1;
    if (strcmp(s, "proportional") == 0) {
        a->kind = ALLOC_PROPORTIONAL;
        a->min = 0;
        a->min_one = false;
        return 0;
    }
    if (strcmp(s, "equal") == 0) {
        a->kind = ALLOC_EQUAL;
        a->min = 0;
        a->min_one = false;
        return 0;
    }
    if (strncmp(s, "min:", 4) == 0 && s[4] >= '0' && s[4] <= '9') {
        errno = 0;
        k = strtoull(s + 4, &end, 10);
        if (errno || *end != '\0')
            return -1;
        a->kind = ALLOC_MIN;
        a->min = k;
        a->min_one = false;
        return 0;
    }
    return -1;
}

const char *alloc_format(const struct alloc_spec *a, char *buf, size_t size)
{
    switch (a->kind) {
    case ALLOC_EQUAL:
        snprintf(buf, size, "equal");
        break;
    case ALLOC_MIN:
        snprintf(buf, size, "min:%llu", (unsigned long long)a->min);
        break;
    default:
        snprintf(buf, size, "proportional");
        break;
    }
    return buf;
}

struct rem {
    uint64_t r; /* remainder n N_h mod N */
    size_t i;   /* stratum index (label order) */
};

static int rem_cmp(const void *pa, const void *pb)
{
    const struct rem *a = pa, *b = pb;

    if (a->r != b->r)
        return a->r > b->r ? -1 : 1;       /* larger remainder first */
    return a->i < b->i ? -1 : a->i > b->i; /* then label order */
}

/* Largest-remainder allocation of n over the strata with active[i]; the
 * others are left untouched.  Returns 0, or -1 on ENOMEM. */
static int lr_alloc(uint64_t n, const uint64_t *N, const bool *active, size_t H,
                    uint64_t *out)
{
    struct rem *rv;
    u128 total = 0;
    uint64_t given = 0;
    size_t i, m = 0;

    for (i = 0; i < H; i++)
        if (active[i])
            total += N[i];
    if (total == 0) {
        for (i = 0; i < H; i++)
            if (active[i])
                out[i] = 0;
        return 0;
    }
    rv = malloc((H ? H : 1) * sizeof(*rv));
    if (!rv)
        return -1;
    for (i = 0; i < H; i++) {
        u128 q;

        if (!active[i])
            continue;
        q = (u128)n * N[i];
        out[i] = (uint64_t)(q / total);
        given += out[i];
        rv[m].r = (uint64_t)(q % total);
        rv[m].i = i;
        m++;
    }
    qsort(rv, m, sizeof(*rv), rem_cmp);
    /* n - given < m: each remainder is below 1 */
    for (i = 0; given < n && i < m; i++, given++)
        out[rv[i].i]++;
    free(rv);
    return 0;
}

enum ca_status alloc_compute(const struct alloc_spec *a, uint64_t n,
                             const uint64_t *N, size_t H, uint64_t *out,
                             struct ca_error *err)
{
    enum ca_status st = CA_OK;
    bool *active = NULL, *fixed = NULL;
    uint64_t nonempty = 0, k;
    size_t i;

    for (i = 0; i < H; i++) {
        out[i] = 0;
        if (N[i] > 0)
            nonempty++;
    }
    if (nonempty == 0)
        return CA_OK;

    if (a->kind == ALLOC_EQUAL) {
        uint64_t base = n / nonempty, extra = n % nonempty;

        if (a->min_one && n < nonempty)
            return ca_error_set(
                err, CA_USAGE, NULL, 0, NULL,
                "a sample of %llu cannot give one to each of %llu "
                "non-empty strata",
                (unsigned long long)n, (unsigned long long)nonempty);

        for (i = 0; i < H; i++) {
            if (N[i] == 0)
                continue;
            out[i] = base + (extra > 0);
            if (extra > 0)
                extra--;
        }
        return CA_OK;
    }

    k = a->kind == ALLOC_MIN ? a->min : 0;
    if (k > 0 && (k > n / nonempty))
        return ca_error_set(
            err, CA_USAGE, NULL, 0, NULL,
            "allocation min:%llu needs a sample of at least "
            "%llu for %llu non-empty strata, not %llu",
            (unsigned long long)k, (unsigned long long)(k * nonempty),
            (unsigned long long)nonempty, (unsigned long long)n);
    active = calloc(H, sizeof(*active));
    fixed = calloc(H, sizeof(*fixed));
    if (!active || !fixed) {
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    for (;;) {
        uint64_t left = n;
        bool again = false;

        for (i = 0; i < H; i++) {
            active[i] = N[i] > 0 && !fixed[i];
            if (fixed[i])
                left -= k;
        }
        if (lr_alloc(left, N, active, H, out) != 0) {
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            goto out;
        }
        for (i = 0; i < H; i++) {
            if (fixed[i]) {
                out[i] = k;
            } else if (active[i] && out[i] < k) {
                fixed[i] = true;
                again = true;
            }
        }
        if (!again)
            break;
    }
out:
    free(active);
    free(fixed);
    return st;
}
