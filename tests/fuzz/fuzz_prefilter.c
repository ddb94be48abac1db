/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the literal prefilter (engine/prefilter.c,
 * engine/pfscan.c), with oracles: the input is a pattern and a text
 * separated by the first NUL byte.  When PCRE2 compiles the pattern (as
 * rules are compiled: UTF and caseless) and the text is plain ASCII:
 *
 * - when the prefilter derived literals for the pattern and PCRE2 matches
 *   the text, the text must contain one of them, or the prefilter would
 *   have hidden a match;
 * - when it derived start places (prefilter_starts, or
 *   prefilter_clause_starts), trying the pattern only there, anchored by
 *   an offset limit as the engine does (engine_match_valid), must find
 *   exactly the matches of a plain search (every match, overlapping ones
 *   too), by PCRE2's interpreter and by its JIT.
 *
 * Either failing aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define MAXM 64

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

static void free_list(char **l, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

/* Every match of a plain search (ps NULL, code re) or of tries at ps's
 * places only (code lim, with the offset limit): the (start, end) pairs
 * into out, their count times two, or -1 on an error or too many. */
static int matches(const pcre2_code *code, const struct pf_starts *ps,
                   const char *t, size_t len, pcre2_match_data *md,
                   pcre2_match_context *mctx, size_t *out)
{
    size_t n = 0, start = 0;
    PCRE2_SIZE *ov;
    int rc;

    for (;;) {
        if (ps) {
            start = pf_starts_next(ps, t, len, start);
            if (start == PF_NO_START)
                break;
            pcre2_set_offset_limit(mctx, start);
            rc = engine_match_valid(code, t, len, start, md, mctx);
            if (rc == PCRE2_ERROR_NOMATCH) {
                start++;
                continue;
            }
        } else {
            if (start > len)
                break;
            pcre2_set_offset_limit(mctx, PCRE2_UNSET);
            rc = pcre2_match(code, (PCRE2_SPTR)t, len, start,
                             PCRE2_NO_UTF_CHECK, md, mctx);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
        }
        if (rc < 0 || n + 2 > 2 * MAXM)
            return -1;
        ov = pcre2_get_ovector_pointer(md);
        out[n++] = ov[0];
        out[n++] = ov[1];
        start = ov[0] + 1;
    }
    return (int)n;
}

/* The start places of pat (which opts compiles) must give the plain
 * search's matches of text. */
static void check_starts(const unsigned char *pat, size_t plen, uint32_t opts,
                         const pcre2_code *re, const char *text, size_t tlen,
                         pcre2_match_data *md, pcre2_match_context *mctx)
{
    struct pf_starts *ps[2] = {NULL, NULL};
    struct pf_clause cl;
    pcre2_code *lim[2] = {NULL, NULL};
    size_t a[2 * MAXM], b[2 * MAXM], nl, k;
    char **l;
    int ec, na, nb;
    PCRE2_SIZE eo;

    if (prefilter_starts((const char *)pat, plen, &l, &nl) == 0) {
        ps[0] = pf_starts_new(l, nl);
        free_list(l, nl);
    }
    if (prefilter_clause_starts((const char *)pat, plen, &l, &nl, &cl) == 0) {
        ps[1] = pf_starts_new_after(l, nl, &cl);
        pf_clause_release(&cl);
        free_list(l, nl);
    }
    if (!ps[0] && !ps[1])
        return;
    lim[0] =
        pcre2_compile(pat, plen, opts | PCRE2_USE_OFFSET_LIMIT, &ec, &eo, NULL);
    if (lim[0] && (lim[1] = pcre2_code_copy(lim[0])) != NULL)
        pcre2_jit_compile(lim[1], PCRE2_JIT_COMPLETE);
    na = matches(re, NULL, text, tlen, md, mctx, a);
    for (k = 0; k < 4 && na >= 0 && lim[1]; k++) {
        if (!ps[k / 2])
            continue;
        nb = matches(lim[k % 2], ps[k / 2], text, tlen, md, mctx, b);
        if (nb >= 0 && (nb != na || memcmp(a, b, (size_t)na * sizeof(*a))))
            abort(); /* the start places lost or made a match */
    }
    pcre2_code_free(lim[0]);
    pcre2_code_free(lim[1]);
    pf_starts_free(ps[0]);
    pf_starts_free(ps[1]);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const unsigned char *nul = memchr(data, 0, size);
    size_t plen = nul ? (size_t)(nul - data) : size, tlen, i, n = 0;
    const char *text = nul ? (const char *)nul + 1 : "";
    const uint32_t opts = PCRE2_UTF | PCRE2_CASELESS;
    char **lits = NULL;
    int ec, found = 0, ascii = 1, has_lits;
    PCRE2_SIZE eo;
    pcre2_code *re;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    int rc;

    tlen = nul ? size - plen - 1 : 0;
    for (i = 0; i < tlen; i++)
        if ((unsigned char)text[i] >= 0x80)
            ascii = 0;
    re = pcre2_compile(data, plen, opts, &ec, &eo, NULL);
    if (!re || !ascii) {
        pcre2_code_free(re);
        return 0;
    }
    md = pcre2_match_data_create(2, NULL);
    mctx = pcre2_match_context_create(NULL);
    if (md && mctx) {
        pcre2_set_match_limit(mctx, 100000);
        has_lits = prefilter_literals((const char *)data, plen, &lits, &n) == 0;
        rc = pcre2_match(re, (PCRE2_SPTR)text, tlen, 0, 0, md, mctx);
        if (has_lits && rc >= 0) {
            for (i = 0; i < n && !found; i++)
                found = contains_ci(text, tlen, lits[i]);
            if (!found)
                abort(); /* the prefilter would have lost this match */
        }
        if (has_lits)
            free_list(lits, n);
        check_starts(data, plen, opts, re, text, tlen, md, mctx);
    }
    pcre2_match_context_free(mctx);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return 0;
}
