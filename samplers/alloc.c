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
    if (strcmp(s, "divisor") == 0) {
        a->kind = ALLOC_DIVISOR;
        a->min = 0;
        a->min_one = false;
        return 0;
    }
    if (strncmp(s, "divisor:", 8) == 0 && s[8] >= '0' && s[8] <= '9') {
        errno = 0;
        k = strtoull(s + 8, &end, 10);
        if (errno || *end != '\0')
            return -1;
        a->kind = ALLOC_DIVISOR;
        a->min = k;
        a->min_one = false;
        return 0;
    }
    return -1;
}

void alloc_min_one(struct alloc_spec *a)
{
    if (a->kind == ALLOC_PROPORTIONAL) {
        a->kind = ALLOC_MIN;
        a->min = 1;
    } else if (a->kind == ALLOC_MIN && a->min == 0) {
        a->min = 1;
    } else if (a->kind == ALLOC_EQUAL) {
        a->min_one = true;
    } else if (a->kind == ALLOC_DIVISOR && a->min == 0) {
        a->min = 1;
    }
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
    case ALLOC_DIVISOR:
        if (a->min)
            snprintf(buf, size, "divisor:%llu", (unsigned long long)a->min);
        else
            snprintf(buf, size, "divisor");
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

/*
 * Webster (Sainte-Lague) by highest averages.  The sequential rule gives
 * unit after unit to the largest N_h / (2 n_h + 1); after n units, the
 * stratum h holds the K floor units plus one for each of its averages
 * N_h / (2j + 1), j >= K, among the n - K H largest of all strata's
 * averages (ties in label order).  That set is found without n steps:
 * for a threshold N / (2m), stratum h has
 *   c_h(m) = #{j >= K : N_h / (2j + 1) > N / (2m)}
 *          = max(0, ceil(ceil(2 m N_h / N) - 1) / 2) - K)
 * averages above it, and sum c_h is non-decreasing in m, rising by at most
 * one per stratum from m to m + 1 (the odd multiples of N are 2N apart).
 * A binary search finds the largest m with K H + sum c_h(m) <= n; the at
 * most H units left are then given one at a time by the rule itself (exact
 * cross-multiplied comparisons), which completes the same set.
 */
static uint64_t divisor_count(uint64_t Nh, uint64_t N, uint64_t m, uint64_t K)
{
    u128 t = (u128)2 * m * Nh, M;
    uint64_t c;

    if (Nh == 0 || t == 0)
        return 0;
    /* odd o with o N < t: o <= ceil(t / N) - 1 */
    M = (t + N - 1) / N - 1;
    c = (uint64_t)((M + 1) / 2);
    return c > K ? c - K : 0;
}

static void divisor_alloc(uint64_t n, const uint64_t *N, size_t H, uint64_t K,
                          uint64_t nonempty, uint64_t *out)
{
    u128 total = 0;
    uint64_t lo = 0, hi = 1, mid, given, left = n - K * nonempty, Ntot;
    size_t i, best;

    for (i = 0; i < H; i++)
        total += N[i];
    /* N_h and n fit 53 bits in practice; the sum is capped for the
     * threshold arithmetic (ties are all the cap could change) */
    Ntot = total > UINT64_MAX / 4 ? UINT64_MAX / 4 : (uint64_t)total;
    /* sum c_h(m) >= m - (K + 1) H, so m = n + H + 1 is past left */
    for (;;) {
        uint64_t sum = 0;

        for (i = 0; i < H && sum <= left; i++)
            sum += divisor_count(N[i], Ntot, hi, K);
        if (sum > left || hi > n + (uint64_t)H + 1)
            break;
        hi *= 2;
    }
    /* largest m in [lo, hi) with sum c_h(m) <= left */
    while (hi - lo > 1) {
        uint64_t sum = 0;

        mid = lo + (hi - lo) / 2;
        for (i = 0; i < H && sum <= left; i++)
            sum += divisor_count(N[i], Ntot, mid, K);
        if (sum <= left)
            lo = mid;
        else
            hi = mid;
    }
    given = 0;
    for (i = 0; i < H; i++) {
        out[i] = N[i] ? K + divisor_count(N[i], Ntot, lo, K) : 0;
        given += N[i] ? out[i] : 0;
    }
    while (given < n) {
        best = H;
        for (i = 0; i < H; i++) {
            if (N[i] == 0)
                continue;
            /* N_i / (2 out_i + 1) > N_best / (2 out_best + 1) */
            if (best == H || (u128)N[i] * (2 * (u128)out[best] + 1) >
                                 (u128)N[best] * (2 * (u128)out[i] + 1))
                best = i;
        }
        out[best]++;
        given++;
    }
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

    k = a->kind == ALLOC_MIN || a->kind == ALLOC_DIVISOR ? a->min : 0;
    if (k > 0 && (k > n / nonempty))
        return ca_error_set(
            err, CA_USAGE, NULL, 0, NULL,
            "allocation %s:%llu needs a sample of at least "
            "%llu for %llu non-empty strata, not %llu",
            a->kind == ALLOC_DIVISOR ? "divisor" : "min", (unsigned long long)k,
            (unsigned long long)(k * nonempty), (unsigned long long)nonempty,
            (unsigned long long)n);
    if (a->kind == ALLOC_DIVISOR) {
        divisor_alloc(n, N, H, k, nonempty, out);
        return CA_OK;
    }
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
