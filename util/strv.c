/* SPDX-License-Identifier: MIT */
/* Arrays of owned strings; see strv.h. */
#include "util/strv.h"

#include <stdlib.h>

void strv_free(char **v, size_t n)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
