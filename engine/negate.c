/* SPDX-License-Identifier: MIT */
/*
 * A spec's negate: whether a match of its negating pattern overlaps a
 * match of its regex (eval_negated, for eval_qualifies_one in eval.c).
 */
#include "engine/checks.h"

/* How far before a regex match a negating phrase may start (bytes). */
#define NEGATE_REACH 256

/*
 * Whether some match of sp->negate overlaps the regex match [ms, me):
 * 1 yes, 0 no, -1 error.  Negate matches may overlap each other, so every
 * start from NEGATE_REACH bytes before the match is tried.  A match that
 * starts at or after me cannot overlap, so PCRE2 stops looking for one at
 * me (negate patterns are compiled with PCRE2_USE_OFFSET_LIMIT): the text
 * after the regex match is not searched, and cannot hit a match limit.
 *
 * When the places where negate's matches may start are known
 * (sp->negate_starts: strings, or a clause's start) and the text is plain
 * ASCII, it is tried at those places alone, each anchored there by the
 * offset limit: the matches that start before me are the same, met in the
 * same order, without trying every place in between (CRM-VIC-01's negate
 * begins "(?:^|(?<=[.;\n]))[^.;\n]*?", which PCRE2 would try everywhere).
 */
int eval_negated(struct ctx *c, const struct entry_spec *sp,
                 const struct log_entry *e, size_t ms, size_t me)
{
    size_t from = ms > NEGATE_REACH ? ms - NEGATE_REACH : 0, ns, ne;
    int rc;

    while (from < e->text_len && ((unsigned char)e->text[from] & 0xC0) == 0x80)
        from++;
    if (sp->negate_starts && !c->s->lim.no_starts &&
        text_plain_ascii(e->text, e->text_len)) {
        while ((from = pf_starts_next(sp->negate_starts, e->text, e->text_len,
                                      from)) != PF_NO_START &&
               from < me) {
            pcre2_set_offset_limit(c->s->mctx_upto, from);
            rc = eval_pmatch_in(c, c->s->mctx_upto, &sp->negate, sp->key,
                                ".negate", e->text, e->text_len, from, true, e,
                                &ns, &ne);
            if (rc < 0)
                return rc;
            if (rc > 0 && ne > ms && ne > ns)
                return 1;
            from++; /* plain ASCII: a character is a byte */
        }
        return 0;
    }
    if (from < me)
        pcre2_set_offset_limit(c->s->mctx_upto, me - 1);
    while (from <= e->text_len && from < me) {
        rc = eval_pmatch_in(c, c->s->mctx_upto, &sp->negate, sp->key, ".negate",
                            e->text, e->text_len, from, true, e, &ns, &ne);
        if (rc <= 0)
            return rc;
        if (ns >= me)
            return 0;
        if (ne > ms && ne > ns)
            return 1;
        from = ns + 1;
        while (from < e->text_len &&
               ((unsigned char)e->text[from] & 0xC0) == 0x80)
            from++;
    }
    return 0;
}
