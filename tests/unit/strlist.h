/* SPDX-License-Identifier: MIT */
/*
 * String helpers of the prefilter's tests: strlist_join writes a list of
 * strings from its analyses as "a|b|c" into out, the strings and the list
 * freed, and returns the length written; pattern_words takes the words of
 * a pattern, from which random_text builds random texts.  Header-only (static inline), as tmpdir.h, because each
 * tests/unit/test_*.c is a program of its own.
 */
#ifndef CA_TEST_STRLIST_H
#define CA_TEST_STRLIST_H

#include <stdint.h>
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

/* A random text of 1 to maxparts pieces of the words (some cut, some
 * letters recased), each followed by one of the nseps separators, drawn
 * with rnd; its length. */
static inline size_t random_text(char words[][24], size_t nw,
                                 const char *const *seps, size_t nseps,
                                 size_t maxparts, uint64_t (*rnd)(void),
                                 char *text, size_t size)
{
    size_t off = 0, k, i, nparts = 1 + rnd() % maxparts;

    text[0] = '\0';
    for (k = 0; k < nparts; k++) {
        const char *w = words[rnd() % nw];
        size_t wl = strlen(w), from = 0, to = wl;
        char piece[24];

        if (rnd() % 4 == 0 && wl > 2) { /* a cut word */
            from = rnd() % (wl / 2);
            to = wl - rnd() % (wl / 2);
        }
        memcpy(piece, w + from, to - from);
        piece[to - from] = '\0';
        for (i = 0; piece[i]; i++)
            if (rnd() % 3 == 0 && piece[i] >= 'a' && piece[i] <= 'z')
                piece[i] = (char)(piece[i] - 32);
        off += (size_t)snprintf(text + off, size - off, "%s%s", piece,
                                seps[rnd() % nseps]);
        if (off >= size - 40)
            break;
    }
    return off;
}
#endif
