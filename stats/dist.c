/* SPDX-License-Identifier: MIT */
/*
 * Distributions and quantiles, to full double precision:
 *
 *  - densities by Loader's saddle-point method ("Fast and Accurate
 *    Computation of Binomial Probabilities", C. Loader, 2000): the Stirling
 *    error term and the deviance term bd0 keep binomial, Poisson and
 *    hypergeometric probabilities accurate for large n where the naive
 *    lgamma() differences lose digits;
 *  - the regularised incomplete beta function by its continued fraction
 *    (Abramowitz & Stegun 26.5.8) and the incomplete gamma function by its
 *    series and continued fraction (A&S 6.5.29, 6.5.31), both evaluated
 *    with the modified Lentz method, returning both tails;
 *  - the binomial and Poisson CDFs from those; the hypergeometric CDF by
 *    summing the smaller tail from one accurately computed density with
 *    the ratio recurrence;
 *  - beta and gamma quantiles by Brent's bracketed root finder (Brent 1973,
 *    "Algorithms for Minimization without Derivatives", ch. 4) run to a
 *    relative tolerance of a few ulp on the tail that is below one half;
 *  - the normal quantile by Wichura's AS 241 (PPND16, Applied Statistics
 *    37, 1988), accurate to about 1e-16.
 *
 * Everything is a pure function of its arguments.
 */
#include <float.h>
#include <math.h>

#include "stats/stats.h"
#include "stats/stats_internal.h"

#define LN_2PI 1.837877066409345483560659472811235279722794947275566825634
#define LN_SQRT_2PI 0.918938533204672741780329736405617639861397473637783412817

/* Lentz iterations: enough for parameters up to about 1e12. */
#define CF_MAX_ITER 5000000
#define CF_TINY 1e-300

/* Stirling error log(n!) - log(sqrt(2 pi n) (n/e)^n) at n = 0.5, 1, ...,
 * 15, computed to 25 digits with mpmath (loggamma at 40 digits). */
static const double sferr_halves[31] = {
    0.0,                           /* n = 0: not used */
    0.1534264097200273452913839,   /* 0.5 */
    0.08106146679532725821967026,  /* 1.0 */
    0.0548141210519176538961387,   /* 1.5 */
    0.04134069595540929409382208,  /* 2.0 */
    0.03316287351993628748511051,  /* 2.5 */
    0.02767792568499833914878929,  /* 3.0 */
    0.02374616365629749597133028,  /* 3.5 */
    0.02079067210376509311152277,  /* 4.0 */
    0.01848845053267318523077936,  /* 4.5 */
    0.01664469118982119216319487,  /* 5.0 */
    0.01513497322191737887351384,  /* 5.5 */
    0.01387612882307074799874573,  /* 6.0 */
    0.01281046524292022692425066,  /* 6.5 */
    0.01189670994589177009505572,  /* 7.0 */
    0.01110455975820691732663076,  /* 7.5 */
    0.01041126526197209649747857,  /* 8.0 */
    0.009799416126158803298390373, /* 8.5 */
    0.009255462182712732917728637, /* 9.0 */
    0.008768700134139385462955047, /* 9.5 */
    0.008330563433362871256469319, /* 10.0 */
    0.007934114564314020547249562, /* 10.5 */
    0.007573675487951840794972024, /* 11.0 */
    0.007244554301320383179546197, /* 11.5 */
    0.006942840107209529865664153, /* 12.0 */
    0.006665247032707682442356181, /* 12.5 */
    0.006408994188004207068439631, /* 13.0 */
    0.006171712263039457647534605, /* 13.5 */
    0.005951370112758847735624416, /* 14.0 */
    0.005746216513010115682026102, /* 14.5 */
    0.00555473355196280137103869,  /* 15.0 */
};

/* Stirling error term; the asymptotic series 1/(12n) - 1/(360n^3) + ...
 * above 15, with as many terms as the size of n needs. */
static double stirlerr(double n)
{
    const double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260,
                 s3 = 1.0 / 1680, s4 = 1.0 / 1188;
    double nn;

    if (n <= 15.0) {
        nn = n + n;
        if (nn == floor(nn) && nn >= 1)
            return sferr_halves[(int)nn];
        return lgamma(n + 1.0) - (n + 0.5) * log(n) + n - LN_SQRT_2PI;
    }
    nn = n * n;
    if (n > 500)
        return (s0 - s1 / nn) / n;
    if (n > 80)
        return (s0 - (s1 - s2 / nn) / nn) / n;
    if (n > 35)
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/* Deviance term x log(x / np) + np - x, by a series when x is near np
 * (where the direct form cancels). */
static double bd0(double x, double np)
{
    double ej, s, s1, v;
    int j;

    if (fabs(x - np) < 0.1 * (x + np)) {
        v = (x - np) / (x + np);
        s = (x - np) * v;
        ej = 2 * x * v;
        v = v * v;
        for (j = 1; j < 1000; j++) {
            ej *= v;
            s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
        return s;
    }
    return x * log(x / np) + np - x;
}

/* log of C(n, x) p^x q^(n-x) for real 0 <= x <= n, with q = 1 - p given
 * separately so that it keeps its precision. */
static double log_dbinom_raw(double x, double n, double p, double q)
{
    double lc, lf;

    if (p == 0)
        return x == 0 ? 0 : -INFINITY;
    if (q == 0)
        return x == n ? 0 : -INFINITY;
    if (x == 0) {
        if (n == 0)
            return 0;
        return p < 0.1 ? -bd0(n, n * q) - n * p : n * log(q);
    }
    if (x == n)
        return q < 0.1 ? -bd0(n, n * p) - n * q : n * log(p);
    if (x < 0 || x > n)
        return -INFINITY;
    lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) -
         bd0(n - x, n * q);
    lf = LN_2PI + log(x) + log1p(-x / n);
    return lc - 0.5 * lf;
}

/* log of e^-lambda lambda^x / Gamma(x + 1), real x >= 0. */
static double log_dpois_raw(double x, double lambda)
{
    if (lambda == 0)
        return x == 0 ? 0 : -INFINITY;
    if (x == 0)
        return -lambda;
    return -stirlerr(x) - bd0(x, lambda) - 0.5 * (LN_2PI + log(x));
}

/*
 * log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b) without the
 * cancellation of that form when one argument is large: with p <= q, the
 * Stirling forms of lgamma(q) - lgamma(p + q) (and of lgamma(p) when p is
 * large too) are combined before they are added, their error terms being
 * stirlerr() (the method of R's lbeta, after Cody's dlgama).
 */
double stats_lbeta(double a, double b)
{
    double p = a < b ? a : b, q = a < b ? b : a, corr;

    if (isnan(a) || isnan(b) || p <= 0)
        return NAN;
    if (isinf(q))
        return -INFINITY;
    if (p >= 10) {
        corr = stirlerr(p) + stirlerr(q) - stirlerr(p + q);
        return -0.5 * log(q) + LN_SQRT_2PI + corr +
               (p - 0.5) * log(p / (p + q)) + q * log1p(-p / (p + q));
    }
    if (q >= 10) {
        corr = stirlerr(q) - stirlerr(p + q);
        return lgamma(p) + corr + p - p * log(p + q) +
               (q - 0.5) * log1p(-p / (p + q));
    }
    if (p < 1e-306)
        return lgamma(p) + (lgamma(q) - lgamma(p + q));
    return log(tgamma(p) * (tgamma(q) / tgamma(p + q)));
}

/* log of x^a (1-x)^b / (a B(a, b)), y = 1 - x. */
static double log_beta_front(double x, double y, double a, double b)
{
    if (a >= 1 && b >= 1)
        return log(x) + log(y) + log((a + b - 1) / a) +
               log_dbinom_raw(a - 1, a + b - 2, x, y);
    return a * log(x) + b * log(y) - stats_lbeta(a, b) - log(a);
}

/* Continued fraction for I_x(a, b) / front (A&S 26.5.8), modified Lentz. */
static double beta_cf(double x, double a, double b)
{
    double c = 1, d, h, aa, del;
    long m;

    d = 1 - (a + b) * x / (a + 1);
    if (fabs(d) < CF_TINY)
        d = CF_TINY;
    d = 1 / d;
    h = d;
    for (m = 1; m <= CF_MAX_ITER; m++) {
        double m2 = 2.0 * (double)m, dm = (double)m;

        aa = dm * (b - dm) * x / ((a - 1 + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < CF_TINY)
            d = CF_TINY;
        c = 1 + aa / c;
        if (fabs(c) < CF_TINY)
            c = CF_TINY;
        d = 1 / d;
        h *= d * c;
        aa = -(a + dm) * (a + b + dm) * x / ((a + m2) * (a + 1 + m2));
        d = 1 + aa * d;
        if (fabs(d) < CF_TINY)
            d = CF_TINY;
        c = 1 + aa / c;
        if (fabs(c) < CF_TINY)
            c = CF_TINY;
        d = 1 / d;
        del = d * c;
        h *= del;
        if (fabs(del - 1) <= DBL_EPSILON)
            break;
    }
    return h;
}

void stats_ibeta(double x, double a, double b, double *lower, double *upper)
{
    double y, t;

    if (isnan(x) || isnan(a) || isnan(b) || a <= 0 || b <= 0) {
        *lower = *upper = NAN;
        return;
    }
    if (x <= 0) {
        *lower = 0;
        *upper = 1;
        return;
    }
    if (x >= 1) {
        *lower = 1;
        *upper = 0;
        return;
    }
    y = 1 - x;
    if (x < (a + 1) / (a + b + 2)) {
        t = exp(log_beta_front(x, y, a, b)) * beta_cf(x, a, b);
        *lower = t;
        *upper = 1 - t;
    } else {
        t = exp(log_beta_front(y, x, b, a)) * beta_cf(y, b, a);
        *upper = t;
        *lower = 1 - t;
    }
}

void stats_igamma(double a, double x, double *lower, double *upper)
{
    double front, sum, term, t;
    long i;

    if (isnan(a) || isnan(x) || a <= 0) {
        *lower = *upper = NAN;
        return;
    }
    if (x <= 0) {
        *lower = 0;
        *upper = 1;
        return;
    }
    if (isinf(x)) {
        *lower = 1;
        *upper = 0;
        return;
    }
    if (x < a + 1) {
        /* P(a, x) = x^a e^-x / Gamma(a+1) * sum x^n / ((a+1)...(a+n)) */
        front = exp(log_dpois_raw(a, x));
        sum = term = 1;
        for (i = 1; i <= CF_MAX_ITER; i++) {
            term *= x / (a + (double)i);
            sum += term;
            if (term <= sum * DBL_EPSILON / 4)
                break;
        }
        t = front * sum;
        *lower = t;
        *upper = 1 - t;
    } else {
        /* Q(a, x) = x^a e^-x / Gamma(a) * CF, modified Lentz */
        double b = x + 1 - a, c = 1 / CF_TINY, d = 1 / b, h = d, an, del;

        for (i = 1; i <= CF_MAX_ITER; i++) {
            an = -(double)i * ((double)i - a);
            b += 2;
            d = an * d + b;
            if (fabs(d) < CF_TINY)
                d = CF_TINY;
            c = b + an / c;
            if (fabs(c) < CF_TINY)
                c = CF_TINY;
            d = 1 / d;
            del = d * c;
            h *= del;
            if (fabs(del - 1) <= DBL_EPSILON)
                break;
        }
        /* x^a e^-x / Gamma(a) = a * dpois_raw(a, x) */
        t = exp(log(a) + log_dpois_raw(a, x)) * h;
        *upper = t;
        *lower = 1 - t;
    }
}

double stats_beta_cdf(double x, double a, double b, int lower_tail)
{
    double lo, up;

    stats_ibeta(x, a, b, &lo, &up);
    return lower_tail ? lo : up;
}

double stats_binom_cdf(uint64_t k, uint64_t n, double p)
{
    double lo, up;

    if (isnan(p) || p < 0 || p > 1)
        return NAN;
    if (k >= n || p == 0)
        return 1;
    if (p == 1)
        return 0;
    /* P(X <= k) = P(Beta(k+1, n-k) > p) */
    stats_ibeta(p, (double)k + 1, (double)(n - k), &lo, &up);
    return up;
}

double stats_binom_sf_ge(uint64_t k, uint64_t n, double p)
{
    double lo, up;

    if (k == 0)
        return 1;
    if (k > n || p == 0)
        return 0;
    if (p == 1)
        return 1;
    /* P(X >= k) = I_p(k, n - k + 1) */
    stats_ibeta(p, (double)k, (double)(n - k + 1), &lo, &up);
    return lo;
}

double stats_poisson_cdf(uint64_t k, double lambda)
{
    double lo, up;

    if (isnan(lambda) || lambda < 0)
        return NAN;
    if (lambda == 0)
        return 1;
    /* P(X <= k) = Q(k + 1, lambda) */
    stats_igamma((double)k + 1, lambda, &lo, &up);
    return up;
}

/* log P(X = x), X ~ hypergeometric: n draws, r deviations, b others;
 * by Loader's identity with p = n / (r + b). */
static double log_dhyper(uint64_t x, uint64_t r, uint64_t b, uint64_t n)
{
    double N = (double)r + (double)b, p = (double)n / N,
           q = (double)(r + b - n) / N;

    return log_dbinom_raw((double)x, (double)r, p, q) +
           log_dbinom_raw((double)(n - x), (double)b, p, q) -
           log_dbinom_raw((double)n, N, p, q);
}

/* sum_{j <= x} P(X = j) / P(X = x), for x at or below the mean, summed
 * downwards with the ratio recurrence until the terms stop counting. */
static double hyper_lower_ratio_sum(uint64_t x, uint64_t r, uint64_t b,
                                    uint64_t n)
{
    double sum = 0, term = 1;
    uint64_t j = x;

    /* lowest support point: max(0, n - b) */
    uint64_t lo = n > b ? n - b : 0;

    while (j > lo && term >= DBL_EPSILON * sum / 4) {
        sum += term;
        /* P(j-1) / P(j) = j (b - n + j) / ((n - j + 1) (r - j + 1)) */
        term *= (double)j * ((double)b - (double)n + (double)j) /
                (((double)n - (double)j + 1) * ((double)r - (double)j + 1));
        j--;
    }
    sum += term;
    return sum;
}

/* P(X <= x) with x inside the support and at or below the mean. */
static double hyper_lower(uint64_t x, uint64_t r, uint64_t b, uint64_t n)
{
    return exp(log_dhyper(x, r, b, n)) * hyper_lower_ratio_sum(x, r, b, n);
}

double stats_hyper_cdf(uint64_t k, uint64_t N, uint64_t K, uint64_t n)
{
    uint64_t lo, hi, b;

    if (K > N || n > N)
        return NAN;
    b = N - K;
    lo = n > b ? n - b : 0;
    hi = n < K ? n : K;
    if (k < lo)
        return 0;
    if (k >= hi)
        return 1;
    /* lo <= k < hi, so 0 < n < N and 0 < K < N */
    if ((double)k * (double)N > (double)n * (double)K) {
        /* above the mean: 1 - P(X >= k+1) = 1 - P(Y <= n-k-1), where Y
         * counts the other items in the sample */
        return 1 - hyper_lower(n - k - 1, b, K, n);
    }
    return hyper_lower(k, K, b, n);
}

/* --- root finding ------------------------------------------------------ */

typedef double (*root_fn)(double x, const void *ctx);

/*
 * Brent's method (Brent 1973, ch. 4, procedure zero): a root of f in
 * [a, b] where f(a) and f(b) differ in sign, to within 2 eps |x| + tol/2.
 */
static double brent_zero(root_fn f, const void *ctx, double a, double b,
                         double fa, double fb, double tol)
{
    double c, fc, d, e, m, p, q, r, s, t;
    int iter;

    c = a;
    fc = fa;
    d = e = b - a;
    for (iter = 0; iter < 2000; iter++) {
        if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
            c = a;
            fc = fa;
            d = e = b - a;
        }
        if (fabs(fc) < fabs(fb)) {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        t = 2 * DBL_EPSILON * fabs(b) + 0.5 * tol;
        m = 0.5 * (c - b);
        if (fabs(m) <= t || fb == 0)
            return b;
        if (fabs(e) < t || fabs(fa) <= fabs(fb)) {
            d = e = m;
        } else {
            s = fb / fa;
            if (a == c) {
                p = 2 * m * s;
                q = 1 - s;
            } else {
                q = fa / fc;
                r = fb / fc;
                p = s * (2 * m * q * (q - r) - (b - a) * (r - 1));
                q = (q - 1) * (r - 1) * (s - 1);
            }
            if (p > 0)
                q = -q;
            else
                p = -p;
            if (2 * p < 3 * m * q - fabs(t * q) && p < fabs(0.5 * e * q)) {
                e = d;
                d = p / q;
            } else {
                d = e = m;
            }
        }
        a = b;
        fa = fb;
        if (fabs(d) > t)
            b += d;
        else
            b += m > 0 ? t : -t;
        fb = f(b, ctx);
    }
    return b;
}

struct beta_ctx {
    double a, b, p;
    int lower_tail;
};

/* signed so that the function increases with x */
static double beta_root_fn(double x, const void *vctx)
{
    const struct beta_ctx *c = vctx;
    double lo, up;

    stats_ibeta(x, c->a, c->b, &lo, &up);
    return c->lower_tail ? lo - c->p : c->p - up;
}

double stats_beta_quantile_tail(double p, int lower_tail, double a, double b)
{
    struct beta_ctx c;

    if (isnan(p) || isnan(a) || isnan(b) || p < 0 || p > 1 || a <= 0 || b <= 0)
        return NAN;
    if (p == 0)
        return lower_tail ? 0 : 1;
    if (p == 1)
        return lower_tail ? 1 : 0;
    /* work on the tail below one half, where p carries all its digits */
    if (p > 0.5) {
        p = 1 - p;
        lower_tail = !lower_tail;
    }
    c.a = a;
    c.b = b;
    c.p = p;
    c.lower_tail = lower_tail;
    return brent_zero(beta_root_fn, &c, 0, 1, beta_root_fn(0, &c),
                      beta_root_fn(1, &c), 1e-300);
}

double stats_beta_quantile(double p, double a, double b)
{
    return stats_beta_quantile_tail(p, 1, a, b);
}

struct gamma_ctx {
    double a, p;
    int lower_tail;
};

static double gamma_root_fn(double x, const void *vctx)
{
    const struct gamma_ctx *c = vctx;
    double lo, up;

    stats_igamma(c->a, x, &lo, &up);
    return c->lower_tail ? lo - c->p : c->p - up;
}

double stats_gamma_quantile_tail(double p, int lower_tail, double shape)
{
    struct gamma_ctx c;
    double hi, fhi;
    int i;

    if (isnan(p) || isnan(shape) || p < 0 || p > 1 || shape <= 0)
        return NAN;
    if (p == 0)
        return lower_tail ? 0 : INFINITY;
    if (p == 1)
        return lower_tail ? INFINITY : 0;
    if (p > 0.5) {
        p = 1 - p;
        lower_tail = !lower_tail;
    }
    c.a = shape;
    c.p = p;
    c.lower_tail = lower_tail;
    hi = shape > 1 ? 2 * shape : 2;
    fhi = gamma_root_fn(hi, &c);
    for (i = 0; fhi < 0 && i < 2000; i++) {
        hi *= 2;
        fhi = gamma_root_fn(hi, &c);
    }
    return brent_zero(gamma_root_fn, &c, 0, hi, gamma_root_fn(0, &c), fhi,
                      1e-300);
}

double stats_gamma_quantile(double p, double shape)
{
    return stats_gamma_quantile_tail(p, 1, shape);
}

/*
 * Student t quantile through the beta: with s = min(p, 1 - p) and t > 0,
 * P(|T| > t) = 2 s, and u = t^2 / (df + t^2) ~ Beta(1/2, df/2), so u is the
 * upper 2 s quantile of that beta and t = sqrt(df u / (1 - u)); when u is
 * near 1, 1 - u is found directly as the lower 2 s quantile of
 * Beta(df/2, 1/2).
 */
double stats_t_quantile(double p, double df)
{
    double s, u, v, t;

    if (isnan(p) || isnan(df) || p < 0 || p > 1 || df <= 0)
        return NAN;
    if (p == 0)
        return -INFINITY;
    if (p == 1)
        return INFINITY;
    if (p == 0.5)
        return 0;
    s = p < 0.5 ? p : 1 - p;
    u = stats_beta_quantile_tail(2 * s, 0, 0.5, df / 2);
    if (u < 0.5) {
        t = sqrt(df * u / (1 - u));
    } else {
        v = stats_beta_quantile_tail(2 * s, 1, df / 2, 0.5);
        t = sqrt(df * (1 - v) / v);
    }
    return p < 0.5 ? -t : t;
}

/* --- normal quantile: AS 241 (PPND16) ---------------------------------- */

static double as241_poly(const double *c, int n, double x)
{
    double s = c[n - 1];
    int i;

    for (i = n - 2; i >= 0; i--)
        s = s * x + c[i];
    return s;
}

/* z for a lower tail probability p (AS 241), with r = min(p, 1-p) given
 * separately so that an upper tail keeps its digits. */
static double as241(double q, double r)
{
    static const double a[8] = {
        3.3871328727963666080e0,  1.3314166789178437745e+2,
        1.9715909503065514427e+3, 1.3731693765509461125e+4,
        4.5921953931549871457e+4, 6.7265770927008700853e+4,
        3.3430575583588128105e+4, 2.5090809287301226727e+3};
    static const double b[8] = {1.0,
                                4.2313330701600911252e+1,
                                6.8718700749205790830e+2,
                                5.3941960214247511077e+3,
                                2.1213794301586595867e+4,
                                3.9307895800092710610e+4,
                                2.8729085735721942674e+4,
                                5.2264952788528545610e+3};
    static const double c[8] = {
        1.42343711074968357734e0,  4.63033784615654529590e0,
        5.76949722146069140550e0,  3.64784832476320460504e0,
        1.27045825245236838258e0,  2.41780725177450611770e-1,
        2.27238449892691845833e-2, 7.74545014278341407640e-4};
    static const double d[8] = {1.0,
                                2.05319162663775882187e0,
                                1.67638483018380384940e0,
                                6.89767334985100004550e-1,
                                1.48103976427480074590e-1,
                                1.51986665636164571966e-2,
                                5.47593808499534494600e-4,
                                1.05075007164441684324e-9};
    static const double e[8] = {
        6.65790464350110377720e0,  5.46378491116411436990e0,
        1.78482653991729133580e0,  2.96560571828504891230e-1,
        2.65321895265761230930e-2, 1.24266094738807843860e-3,
        2.71155556874348757815e-5, 2.01033439929228813265e-7};
    static const double f[8] = {1.0,
                                5.99832206555887937690e-1,
                                1.36929880922735805310e-1,
                                1.48753612908506148525e-2,
                                7.86869131145613259100e-4,
                                1.84631831751005468180e-5,
                                1.42151175831644588870e-7,
                                2.04426310338993978564e-15};
    double t, z;

    if (fabs(q) <= 0.425) {
        t = 0.180625 - q * q;
        return q * as241_poly(a, 8, t) / as241_poly(b, 8, t);
    }
    if (r <= 0)
        return q < 0 ? -INFINITY : INFINITY;
    t = sqrt(-log(r));
    if (t <= 5) {
        t -= 1.6;
        z = as241_poly(c, 8, t) / as241_poly(d, 8, t);
    } else {
        t -= 5;
        z = as241_poly(e, 8, t) / as241_poly(f, 8, t);
    }
    return q < 0 ? -z : z;
}

double stats_normal_quantile(double p)
{
    if (isnan(p) || p < 0 || p > 1)
        return NAN;
    if (p == 0)
        return -INFINITY;
    if (p == 1)
        return INFINITY;
    return as241(p - 0.5, p < 0.5 ? p : 1 - p);
}

double stats_normal_quantile_upper(double p)
{
    if (isnan(p) || p < 0 || p > 1)
        return NAN;
    if (p == 0)
        return INFINITY;
    if (p == 1)
        return -INFINITY;
    /* Phi(z) = 1 - p: q = 0.5 - p, and the smaller tail is p itself */
    return as241(0.5 - p, p < 0.5 ? p : 1 - p);
}
