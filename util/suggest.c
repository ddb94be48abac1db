/* SPDX-License-Identifier: MIT */
/* Nearest names by edit distance; see suggest.h. */
#include "util/suggest.h"

#include <string.h>

unsigned suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    unsigned d[33], prev, tmp;

    if (la > 32 || lb > 32)
        return 99;
    for (j = 0; j <= lb; j++)
        d[j] = (unsigned)j;
    for (i = 1; i <= la; i++) {
        prev = d[0];
        d[0] = (unsigned)i;
        for (j = 1; j <= lb; j++) {
            unsigned best = prev + (a[i - 1] != b[j - 1]);
            tmp = d[j];
            if (d[j] + 1 < best)
                best = d[j] + 1;
            if (d[j - 1] + 1 < best)
                best = d[j - 1] + 1;
            d[j] = best;
            prev = tmp;
        }
    }
    return d[lb];
}

const char *suggest_closest(const char *got, const char *const *names, size_t n,
                            unsigned max)
{
    size_t i, len = strlen(got);
    unsigned best = max + 1;
    const char *pick = NULL;

    for (i = 0; i < n; i++) {
        unsigned d;

        if (!names[i])
            continue;
        d = suggest_distance(got, names[i]);
        if (d == 0)
            return NULL;
        if (d < best && d < len) {
            best = d;
            pick = names[i];
        }
    }
    return pick;
}
