/* SPDX-License-Identifier: MIT */
/* Nearest field names; see fields.h. */
#include "ingest/fields.h"

#include <string.h>

#include "util/suggest.h"

const char *fields_nearest(const struct record *r, const char *name)
{
    const char *canon[CF__COUNT], *best = NULL;
    unsigned bd = 99, d;
    size_t i;

    for (i = 0; i < CF__COUNT; i++)
        canon[i] = cf_name((enum cf)i);
    best = suggest_closest(name, canon, CF__COUNT, 2);
    if (best)
        bd = suggest_distance(name, best);
    for (i = 0; r && i < r->ncols; i++) {
        const char *c = r->names[i];

        if (!c)
            continue;
        d = suggest_distance(name, c);
        if (d == 0)
            return NULL;
        if (d < bd && d <= 2 && d < strlen(name)) {
            bd = d;
            best = c;
        }
    }
    for (i = 0; i < CF__COUNT; i++)
        if (strcmp(canon[i], name) == 0)
            return NULL;
    return best;
}
