/* SPDX-License-Identifier: MIT */
/*
 * strlist_join: a list of strings from the prefilter's analyses written
 * as "a|b|c" into out, the strings and the list freed; returns the
 * length written.  Header-only (static inline), as tmpdir.h, because each
 * tests/unit/test_*.c is a program of its own.
 */
#ifndef CA_TEST_STRLIST_H
#define CA_TEST_STRLIST_H

#include <stdio.h>
#include <stdlib.h>

static inline size_t strlist_join(char **l, size_t n, char *out, size_t size)
{
    size_t i, off = 0;

    out[0] = '\0';
    for (i = 0; i < n; i++) {
        off +=
            (size_t)snprintf(out + off, size - off, "%s%s", i ? "|" : "", l[i]);
        free(l[i]);
    }
    free(l);
    return off;
}

#endif
