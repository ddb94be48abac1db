/* SPDX-License-Identifier: MIT */
/*
 * Whether a term's sentence says the action was done, for the lexicon's
 * needs (every entry) and supervisor_needs (a sergeant's or above's):
 * "H2H Trewint Lane when next in area" names a house-to-house, "H2H
 * Trewint Lane - nil" records one.  Called by eval.c's concept matching
 * once no modifier blocks a term.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "engine/checks.h"
#include "ingest/rank.h"

/* Whether the sentence of e that holds [as, ae) holds a match of re: 1 it
 * does, 0 not, a PCRE2 error code. */
static int sentence_says(struct ctx *c, const pcre2_code *re,
                         const struct log_entry *e, size_t as, size_t ae)
{
    size_t a = as, b = ae;
    int rc;

    while (a > 0 && !strchr(".;!?\n", e->text[a - 1]))
        a--;
    while (b < e->text_len && !strchr(".;!?\n", e->text[b]))
        b++;
    rc = engine_text_match(c->s, re, e->text + a, b - a);
    if (rc >= 0)
        return 1;
    return rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
}

/*
 * The concept with `needs` whose words the sentence of a term (hit h at
 * [as, ae) of e) lacks, among those the term counts for: its index + 1,
 * 0 none, or a PCRE2 error code ("H2H Trewint Lane when next in area"
 * records nothing done; "H2H Trewint Lane - nil" does).
 */
long eval_needs_unsaid(struct ctx *c, const struct lx_hit *h,
                       const struct log_entry *e, size_t as, size_t ae)
{
    const struct lexicon *lx = c->ru->lex;
    size_t w;

    for (w = 0; w < LX_SET_WORDS; w++) {
        uint64_t b = lx->with_needs.w[w] & h->concepts->w[w];

        for (; b; b &= b - 1) {
            size_t j = w * 64 + (size_t)__builtin_ctzll(b);
            int rc = sentence_says(c, lx->concepts[j].needs.code, e, as, ae);

            if (rc < 0)
                return rc;
            if (rc == 0)
                return (long)j + 1;
        }
    }
    return 0;
}

/*
 * Whether a term of k at [as, ae) of e is in a supervisor's entry (a
 * sergeant or above) whose sentence holds none of k's supervisor_needs
 * words ("H2H today pls", "consider intel checks": directions, not
 * records; "H2H done - nil" records): 1 it is, 0 not, a PCRE2 error code.
 */
int eval_sup_unsaid(struct ctx *c, const struct concept *k,
                    const struct log_entry *e, size_t as, size_t ae)
{
    struct rank_info ri;
    int rc;

    if (!e->rank)
        return 0;
    rank_parse_memo(&c->s->ranks, e->rank, e->rank_len, &ri);
    if ((int)ri.cls < (int)RK_SERGEANT)
        return 0;
    rc = sentence_says(c, k->sup_needs.code, e, as, ae);
    return rc < 0 ? rc : !rc;
}
