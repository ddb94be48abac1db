/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the literal prefilter (engine/prefilter.c), with an
 * oracle: the input is a pattern and a text separated by the first NUL
 * byte.  When PCRE2 compiles the pattern (as rules are compiled: UTF and
 * caseless) and matches the text, and the prefilter derived literals for
 * the pattern, then a plain-ASCII text must contain one of them, or the
 * prefilter would have hidden a match: abort.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int contains_ci(const char *text, size_t tl, const char *lit)
{
    size_t ll = strlen(lit), j, k;

    for (j = 0; j + ll <= tl; j++) {
        for (k = 0; k < ll; k++) {
            unsigned char c = (unsigned char)text[j + k];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if (c != (unsigned char)lit[k])
                break;
        }
        if (k == ll)
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const unsigned char *nul = memchr(data, 0, size);
    size_t plen = nul ? (size_t)(nul - data) : size, tlen, i, n;
    const char *text = nul ? (const char *)nul + 1 : "";
    char **lits;
    int ec, found = 0, ascii = 1;
    PCRE2_SIZE eo;
    pcre2_code *re;
    pcre2_match_data *md;
    int rc;

    tlen = nul ? size - plen - 1 : 0;
    if (prefilter_literals((const char *)data, plen, &lits, &n) != 0)
        return 0;
    re = pcre2_compile(data, plen, PCRE2_UTF | PCRE2_CASELESS, &ec, &eo, NULL);
    for (i = 0; i < tlen; i++)
        if ((unsigned char)text[i] >= 0x80)
            ascii = 0;
    if (re && ascii) {
        md = pcre2_match_data_create(1, NULL);
        rc = pcre2_match(re, (PCRE2_SPTR)text, tlen, 0, 0, md, NULL);
        if (rc >= 0) {
            for (i = 0; i < n && !found; i++)
                found = contains_ci(text, tlen, lits[i]);
            if (!found)
                abort(); /* the prefilter would have lost this match */
        }
        pcre2_match_data_free(md);
    }
    pcre2_code_free(re);
    for (i = 0; i < n; i++)
        free(lits[i]);
    free(lits);
    return 0;
}
