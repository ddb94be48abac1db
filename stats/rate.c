/* SPDX-License-Identifier: MIT */
/*
 * Exact rates and integer rounding rules for sample-size planning.  A rate
 * typed as "3.5%" is 35/1000 exactly; x = ceil(rate * n) is then computed
 * in integers (a 64 x 64 -> 128-bit product and a 128 / 64-bit division),
 * so that 3.5% of 400 is 14 and never 14.000000000000002 rounded up to 15.
 * Also the model names and the "snap" rule for ceil() of values that carry
 * float noise (docs/sampling.md, "Rounding rules").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "stats/stats_internal.h"

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;

        a = b;
        b = t;
    }
    return a;
}

enum ca_status stats_rate_parse(const char *s, struct stats_rate *out,
                                struct ca_error *err)
{
    const char *p = s;
    uint64_t num = 0, den = 1, g;
    int digits = 0, decimals = 0, seen_dot = 0, seen_digit = 0;

    if (!s)
        goto bad;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            seen_digit = 1;
            /* leading zeros do not count towards the precision limit */
            if (num == 0 && *p == '0') {
                if (seen_dot) {
                    if (++decimals > 18)
                        goto bad;
                }
                continue;
            }
            if (++digits > 18)
                goto bad;
            num = num * 10 + (uint64_t)(*p - '0');
            if (seen_dot) {
                if (++decimals > 18)
                    goto bad;
            }
        } else if (*p == '.' && !seen_dot) {
            seen_dot = 1;
        } else {
            break;
        }
    }
    if (!seen_digit)
        goto bad;
    if (*p == '%') {
        decimals += 2;
        p++;
    }
    if (*p != '\0' || decimals > 18)
        goto bad;
    while (decimals-- > 0)
        den *= 10;
    if (num > den)
        goto bad;
    g = gcd_u64(num, den);
    if (g == 0)
        g = 1;
    out->num = num / g;
    out->den = den / g;
    return CA_OK;
bad:
    return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                        "needs a rate from 0 to 1 (or 0%% to 100%%) with at "
                        "most 18 digits, not '%s'",
                        s ? s : "");
}

double stats_rate_value(struct stats_rate r)
{
    if (r.den == 0)
        return 0.0;
    return (double)r.num / (double)r.den;
}

/* hi:lo = a * b */
static void mul_64x64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t a0 = a & 0xffffffffu, a1 = a >> 32;
    uint64_t b0 = b & 0xffffffffu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);

    *lo = (p00 & 0xffffffffu) | (mid << 32);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* floor(a * b / d) and the remainder; saturates at UINT64_MAX when the
 * quotient does not fit. */
static uint64_t muldiv(uint64_t a, uint64_t b, uint64_t d, uint64_t *remp)
{
    uint64_t hi, lo, q = 0, rem = 0;
    int i;

    mul_64x64(a, b, &hi, &lo);
    if (hi >= d) {
        *remp = 0;
        return UINT64_MAX;
    }
    /* restoring long division of the 128-bit hi:lo by d, one bit at a
     * time; the quotient fits 64 bits because hi < d */
    for (i = 127; i >= 0; i--) {
        uint64_t bit = i >= 64 ? (hi >> (i - 64)) & 1u : (lo >> i) & 1u;
        int carry = (rem >> 63) != 0;

        rem = (rem << 1) | bit;
        q <<= 1;
        if (carry || rem >= d) {
            rem -= d;
            q |= 1u;
        }
    }
    *remp = rem;
    return q;
}

uint64_t stats_muldiv_floor(uint64_t a, uint64_t b, uint64_t d)
{
    uint64_t rem;

    return muldiv(a, b, d, &rem);
}

uint64_t stats_rate_ceil_mul(struct stats_rate r, uint64_t n)
{
    uint64_t q, rem;

    if (r.den == 0 || r.num == 0 || n == 0)
        return 0;
    q = muldiv(r.num, n, r.den, &rem);
    return rem && q != UINT64_MAX ? q + 1 : q;
}

uint64_t stats_rate_floor_mul(struct stats_rate r, uint64_t n)
{
    uint64_t rem;

    if (r.den == 0 || r.num == 0 || n == 0)
        return 0;
    return muldiv(r.num, n, r.den, &rem);
}

int stats_rate_from_double(double v, struct stats_rate *out)
{
    char buf[40], *p, *e;
    uint64_t num = 0, den = 1, g;
    int prec, digits = 0;
    long exp10;

    if (!(v >= 0 && v <= 1))
        return -1;
    if (v == 0) {
        out->num = 0;
        out->den = 1;
        return 0;
    }
    /* the shortest %e form that reads back as v (at most 17 digits) */
    for (prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (prec > 17)
        return -1;
    for (p = buf; *p && *p != 'e'; p++) {
        if (*p >= '0' && *p <= '9') {
            num = num * 10 + (uint64_t)(*p - '0');
            digits++;
        }
    }
    if (*p != 'e')
        return -1;
    exp10 = strtol(p + 1, &e, 10) - (digits - 1);
    if (*e != '\0')
        return -1;
    for (; exp10 > 0; exp10--) {
        if (num > UINT64_MAX / 10)
            return -1;
        num *= 10;
    }
    for (; exp10 < 0; exp10++) {
        if (den > UINT64_MAX / 10)
            return -1;
        den *= 10;
    }
    if (num > den)
        return -1;
    g = gcd_u64(num, den);
    out->num = num / g;
    out->den = den / g;
    return 0;
}

uint64_t stats_ceil_snap(double v)
{
    double r;

    if (!(v > 0))
        return 0;
    r = nearbyint(v);
    if (fabs(v - r) <= 1e-12 * fmax(1.0, v))
        return (uint64_t)r;
    return (uint64_t)ceil(v);
}

static const char *const model_names[] = {"binomial", "poisson",
                                          "hypergeometric"};

const char *stats_model_name(enum plan_model m)
{
    if ((unsigned)m < sizeof(model_names) / sizeof(model_names[0]))
        return model_names[m];
    return "unknown";
}

int stats_model_parse(const char *s, enum plan_model *m)
{
    size_t i;

    for (i = 0; i < sizeof(model_names) / sizeof(model_names[0]); i++) {
        if (strcmp(s, model_names[i]) == 0) {
            *m = (enum plan_model)i;
            return 0;
        }
    }
    return -1;
}
