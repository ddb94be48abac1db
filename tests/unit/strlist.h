/* SPDX-License-Identifier: MIT */
/*
 * String helpers of the prefilter's tests: strlist_join writes a list of
 * strings from its analyses as "a|b|c" into out, the strings and the list
 * freed, and returns the length written; pattern_words takes the words of
 * a pattern, from which the tests build random texts.  Header-only (static inline), as tmpdir.h, because each
 * tests/unit/test_*.c is a program of its own.
 */
#ifndef CA_TEST_STRLIST_H
#define CA_TEST_STRLIST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
/* Words of a pattern: its runs of letters, digits and a few marks. */
static inline size_t pattern_words(const char *pat, char words[][24],
                                   size_t max)
{
    size_t n = 0, len;
    const char *p = pat;

    while (*p && n < max) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (*p >= '0' && *p <= '9')))
            p++;
        len = 0;
        while (p[len] && ((p[len] >= 'a' && p[len] <= 'z') ||
                          (p[len] >= 'A' && p[len] <= 'Z') ||
                          (p[len] >= '0' && p[len] <= '9') || p[len] == '\'' ||
                          p[len] == '-'))
            len++;
        if (len && len < 24) {
            memcpy(words[n], p, len);
            words[n][len] = '\0';
            n++;
        }
        p += len;
    }
    return n;
}

#endif
