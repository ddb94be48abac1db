/* SPDX-License-Identifier: MIT */
/* Cohen's kappa and its Fleiss-Cohen-Everitt interval; see agree.h. */
#include "stats/agree.h"

#include <math.h>
#include <string.h>

#include "stats/stats.h"

int stats_agreement(const uint64_t *tab, size_t k, double c,
                    struct agreement_stats *out)
{
    double row[AGREE_MAX_K], col[AGREE_MAX_K];
    double n = 0, po = 0, pe = 0, kappa, a = 0, b = 0, v, z;
    size_t i, j;

    memset(out, 0, sizeof(*out));
    if (k < 2 || k > AGREE_MAX_K || !(c > 0 && c < 1))
        return -1;
    out->po = out->pe = out->kappa = out->se = out->lo = out->hi = NAN;
    for (i = 0; i < k; i++)
        row[i] = col[i] = 0;
    for (i = 0; i < k; i++)
        for (j = 0; j < k; j++) {
            double x = (double)tab[i * k + j];

            row[i] += x;
            col[j] += x;
            n += x;
            out->n += tab[i * k + j];
        }
    if (out->n == 0)
        return 0;
    for (i = 0; i < k; i++) {
        row[i] /= n;
        col[i] /= n;
        po += (double)tab[i * k + i] / n;
        pe += row[i] * col[i];
    }
    out->po = po;
    out->pe = pe;
    if (pe >= 1.0)
        return 0;
    kappa = (po - pe) / (1.0 - pe);
    out->kappa = kappa;
    for (i = 0; i < k; i++) {
        double t = 1.0 - (row[i] + col[i]) * (1.0 - kappa);

        a += (double)tab[i * k + i] / n * t * t;
        for (j = 0; j < k; j++)
            if (j != i) {
                double s = col[i] + row[j];

                b += (double)tab[i * k + j] / n * s * s;
            }
    }
    b *= (1.0 - kappa) * (1.0 - kappa);
    v = a + b - (kappa - pe * (1.0 - kappa)) * (kappa - pe * (1.0 - kappa));
    /* rounding can leave a tiny negative where the variance is 0 */
    if (v < 0)
        v = 0;
    out->se = sqrt(v / (n * (1.0 - pe) * (1.0 - pe)));
    z = stats_normal_quantile(1.0 - (1.0 - c) / 2.0);
    out->lo = fmax(-1.0, kappa - z * out->se);
    out->hi = fmin(1.0, kappa + z * out->se);
    return 0;
}
