/* SPDX-License-Identifier: MIT */
/*
 * A concept's match taken back by a later mention (the lexicon's
 * retracted_by and retract_same): "H2H Juniper Cl" read as done, then
 * "H2H Juniper Cl not done - no shifts" the next day.  Called by
 * eval.c's concept matching once a term has counted.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "engine/checks.h"

/* The first (last) word, a run of ASCII letters and digits, of t[a, b), in
 * lower case and cut at 23 bytes, in out: false when there is none. */
static bool word_at(const char *t, size_t a, size_t b, bool last, char out[24])
{
    size_t i, e, n = 0;

    if (last) {
        while (b > a && !isalnum((unsigned char)t[b - 1]))
            b--;
        for (i = b; i > a && isalnum((unsigned char)t[i - 1]); i--)
            ;
        e = b;
    } else {
        while (a < b && !isalnum((unsigned char)t[a]))
            a++;
        for (e = a; e < b && isalnum((unsigned char)t[e]); e++)
            ;
        i = a;
    }
    for (; i < e && n < 23; i++)
        out[n++] = (char)tolower((unsigned char)t[i]);
    out[n] = '\0';
    return n > 0;
}

/* The thing a term hit in text t names, for retract_same: thing: the first
 * word before its anchor ("ANPR" of "ANPR search"), else the last one after
 * it ("CCTV" of "viewed the CCTV"), else the first word of the match. */
static void hit_thing(const char *t, const struct lx_hit *h, char out[24])
{
    if (h->as > h->s && word_at(t, h->s, h->as, false, out))
        return;
    if (h->e > h->ae && word_at(t, h->ae, h->e, true, out))
        return;
    if (!word_at(t, h->s, h->e, false, out))
        out[0] = '\0';
}

/*
 * The concepts of the counted hit that k is or includes and that have a
 * retracted_by are one action done once in a file (house-to-house): a
 * mention of one of them after the hit, in the same entry or a later one,
 * with its anchor in scope of a modifier of that concept's retracted_by,
 * says the action was still not done ("H2H today" read as done; the next
 * day "H2H not done - no time").  With retract_same: thing, only a mention
 * of the same thing does ("ANPR" by "ANPR", not by "PNC").
 */
int eval_retracted(struct ctx *c, const struct concept *k, size_t ei,
                   const struct lx_hit *hit)
{
    const struct lexicon *lx = c->ru->lex;
    struct engine_scratch *s = c->s;
    size_t ki = (size_t)(k - lx->concepts), j, he = hit->e, w;
    struct lx_set want;
    bool any = false;
    char thing[24];

    /* the retractable concepts of the term that k is or includes */
    for (w = 0; w < LX_SET_WORDS; w++) {
        uint64_t left = hit->concepts->w[w] & lx->retractable.w[w];

        want.w[w] = 0;
        for (; left; left &= left - 1) {
            size_t d = w * 64 + (size_t)__builtin_ctzll(left);

            if (lx_set_has(&lx->concepts[d].members, ki)) {
                lx_set_add(&want, d);
                any = true;
            }
        }
    }
    if (!any)
        return 0;
    hit_thing(c->e[ei].text, hit, thing);
    for (j = ei; j < c->ne; j++) {
        struct {
            uint32_t s, e, as, ae, mask;
        } cand[8];
        const struct lx_hit *hits;
        const struct ctx_scope *sc, *b;
        size_t nh, h, nc = 0, nsc;
        int rc;

        if (!c->e[j].text)
            continue;
        rc = lexscan_terms(s, lx, j, &lx->retract_rx, &hits, &nh);
        if (rc < 0)
            return rc;
        for (h = 0; h < nh && nc < sizeof(cand) / sizeof(cand[0]); h++) {
            uint32_t mask = 0;

            if ((j == ei && hits[h].s < he) ||
                !lx_set_meets(hits[h].concepts, &want))
                continue;
            for (w = 0; w < LX_SET_WORDS; w++) {
                uint64_t both = hits[h].concepts->w[w] & want.w[w];

                for (; both; both &= both - 1) {
                    const struct concept *d =
                        &lx->concepts[w * 64 + (size_t)__builtin_ctzll(both)];

                    if (d->retract_thing) {
                        char other[24];

                        hit_thing(c->e[j].text, &hits[h], other);
                        if (strcmp(other, thing) != 0)
                            continue; /* another thing: ANPR is not PNC */
                    }
                    mask |= d->retracted_by;
                }
            }
            if (!mask)
                continue;
            cand[nc].s = hits[h].s;
            cand[nc].e = hits[h].e;
            cand[nc].as = hits[h].as;
            cand[nc].ae = hits[h].ae;
            cand[nc++].mask = mask;
        }
        if (!nc)
            continue;
        rc = context_scopes(s, lx, j, &sc, &nsc);
        if (rc < 0)
            return rc;
        for (h = 0; h < nc; h++) {
            const struct log_entry *x = &c->e[j];

            b = context_blocker(sc, nsc, cand[h].mask, cand[h].as, cand[h].ae);
            if (!b)
                continue;
            if (c->want_why && !s->blocked[0]) {
                char term[72], said[72], trig[72], at[24] = "";

                eval_quote_text(term, sizeof(term), c->e[ei].text + hit->s,
                                hit->e - hit->s);
                eval_quote_text(said, sizeof(said), x->text + cand[h].s,
                                cand[h].e - cand[h].s);
                eval_quote_text(trig, sizeof(trig), x->text + b->tstart,
                                b->tend - b->tstart);
                if (x->has_at)
                    eval_fmt_time(x->at, x->has_time, at);
                snprintf(s->blocked, sizeof(s->blocked),
                         "'%s' taken back by %s%s%s: '%s' %s '%s'", term,
                         j == ei ? "the same entry" : "the entry",
                         j == ei || !at[0] ? "" : " at ", j == ei ? "" : at,
                         said, lx->mods[b->mod].name, trig);
            }
            return 1;
        }
    }
    return 0;
}
