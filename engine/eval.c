/* SPDX-License-Identifier: MIT */
/*
 * Rule evaluation over a record's log entries.
 *
 * A log entry qualifies for a pattern spec when `regex`/`words` match its
 * text, `exclude` does not match anywhere in it, at least one regex match
 * is not overlapped by a `negate` match, and (when given) `rank` matches the
 * entry's rank.  Date windows compare calendar days, both ends inclusive:
 * `within_days: 7` from a date D admits entries dated D to D+7;
 * `within_working_days: 5` admits D to the fifth working day after D;
 * `within_months: 3` admits D to the same day three months later.  Entries
 * dated before D never qualify.  See docs/rule-format.md.
 *
 * Nothing here allocates per record once the scratch has grown to the
 * largest log seen: match data, the JIT stack, sort space and the evidence
 * buffers all live in struct engine_scratch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/checks.h"
#include "ingest/rank.h"

#define EXCERPT_CHARS 160
#define DEFAULT_MAX_ENTRIES 100000

/* The names are util/findings_schema.h's: kept for callers of engine.h. */
const char *verdict_name(enum verdict v)
{
    return findings_verdict_name(v);
}

/* ---- scratch ---- */

struct engine_scratch *engine_scratch_new(const struct engine_limits *limits)
{
    struct engine_scratch *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    if (limits)
        s->lim = *limits;
    if (!s->lim.match_limit)
        s->lim.match_limit = 1000000;
    if (!s->lim.depth_limit)
        s->lim.depth_limit = 10000;
    if (!s->lim.heap_limit_kib)
        s->lim.heap_limit_kib = 8192;
    if (!s->lim.jit_stack_max)
        s->lim.jit_stack_max = 1024 * 1024;
    if (!s->lim.max_log_entries)
        s->lim.max_log_entries = DEFAULT_MAX_ENTRIES;
    s->md = pcre2_match_data_create(1, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    s->jit = pcre2_jit_stack_create(
        32 * 1024,
        s->lim.jit_stack_max < 32 * 1024 ? 32 * 1024 : s->lim.jit_stack_max,
        NULL);
    if (!s->md || !s->mctx) {
        engine_scratch_free(s);
        return NULL;
    }
    pcre2_set_match_limit(s->mctx, s->lim.match_limit);
    pcre2_set_depth_limit(s->mctx, s->lim.depth_limit);
    pcre2_set_heap_limit(s->mctx, s->lim.heap_limit_kib);
    if (s->jit)
        pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
    s->mctx_upto = pcre2_match_context_copy(s->mctx);
    if (!s->mctx_upto) {
        engine_scratch_free(s);
        return NULL;
    }
    log_entries_init(&s->le);
    s->le.cap = s->lim.max_log_entries;
    return s;
}

void engine_scratch_free(struct engine_scratch *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_match_context_free(s->mctx_upto);
    pcre2_jit_stack_free(s->jit);
    log_entries_release(&s->le);
    free(s->scopes);
    free(s->ctx_at);
    free(s->ctx_n);
    free(s->scans);
    free(s->scan_rx);
    free(s->hits);
    free(s->events);
    free(s->pcand);
    free(s->pterms);
    free(s->cand);
    free(s->sort_tmp);
    free(s->found);
    free(s->maybe);
    free(s->toks);
    free(s->dones);
    free(s->pair_first);
    free(s->court);
    free(s->cmemo);
    pcre2_match_data_free(s->md_terms);
    free(s->keys);
    free(s->flags);
    free(s->pos);
    free(s->pf_mask);
    free(s->rx_mask);
    free(s);
}

bool eval_grow_keys(struct engine_scratch *s, size_t n)
{
    int64_t *k;
    unsigned char *f;
    size_t *p;

    if (n <= s->keys_alloc)
        return true;
    k = realloc(s->keys, n * sizeof(*k));
    if (!k)
        return false;
    s->keys = k;
    f = realloc(s->flags, n);
    if (!f)
        return false;
    s->flags = f;
    p = realloc(s->pos, 2 * n * sizeof(*p));
    if (!p)
        return false;
    s->pos = p;
    s->keys_alloc = n;
    return true;
}

static bool grow_pf(struct engine_scratch *s, size_t n)
{
    uint64_t *m;
    struct lx_set *x;

    if (n <= s->pf_alloc)
        return true;
    m = realloc(s->pf_mask, n * sizeof(*m));
    if (!m)
        return false;
    s->pf_mask = m;
    x = realloc(s->rx_mask, n * sizeof(*x));
    if (!x)
        return false;
    s->rx_mask = x;
    s->pf_alloc = n;
    return true;
}

/* ---- UTF-8 ---- */

/* Offset of the first invalid byte, or len when s is valid UTF-8. */
static size_t utf8_check(const unsigned char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        {
            size_t k;
            for (k = 1; k <= n; k++) {
                if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                    return i;
                cp = (cp << 6) | (s[i + k] & 0x3F);
            }
        }
        if ((n == 2 && cp < 0x800) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

/* ---- formatting ---- */

/* v (< 100 when width is 2) in width digits at out. */
static void put_digits(char *out, unsigned v, int width)
{
    while (width-- > 0) {
        out[width] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Dates are written a row or two per finding: by hand rather than by
 * snprintf, which gives the same text ("%04d-%02u-%02u") for the years
 * 0 to 9999 and is kept for the others. */
void eval_fmt_day(int64_t day, char out[16])
{
    int y;
    unsigned m, d;

    date_civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, 16, "%04d-%02u-%02u", y, m, d);
        return;
    }
    put_digits(out, (unsigned)y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

void eval_fmt_time(int64_t secs, bool has_time, char out[24])
{
    int64_t day = cal_day_of(secs), rem = secs - day * 86400;
    size_t n;

    eval_fmt_day(day, out);
    if (!has_time)
        return;
    n = strlen(out); /* 10, or more for a year past 9999 */
    out[n] = ' ';
    put_digits(out + n + 1, (unsigned)(rem / 3600), 2);
    out[n + 3] = ':';
    put_digits(out + n + 4, (unsigned)(rem / 60 % 60), 2);
    out[n + 6] = '\0';
}

static bool is_fold_space(unsigned char c)
{
    return c <= 0x20 || c == 0x7F;
}

void eval_excerpt(char *out, size_t size, const char *text, size_t len,
                  size_t pos)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t b = pos > len ? len : pos, o = 0, chars = 0, back = 0, limit;
    bool space = false, more = false;

    /* start up to 40 characters before the match */
    while (b > 0 && back < 40) {
        b--;
        while (b > 0 && (t[b] & 0xC0) == 0x80)
            b--;
        back++;
    }
    while (b < len && is_fold_space(t[b]))
        b++;
    limit = EXCERPT_CHARS;
    if (b > 0) {
        bool blank_before = true;
        size_t k;
        for (k = 0; k < b && blank_before; k++)
            if (!is_fold_space(t[k]))
                blank_before = false;
        if (!blank_before) {
            memcpy(out, "...", 3);
            o = 3;
            chars = 3;
        }
    }
    while (b < len) {
        size_t w = 1;

        if (is_fold_space(t[b])) {
            space = true;
            b++;
            continue;
        }
        while (b + w < len && (t[b + w] & 0xC0) == 0x80)
            w++;
        if (chars + (space ? 1 : 0) + 1 > limit - 3) {
            more = true;
            break;
        }
        if (space && chars > 0 &&
            !(o == 3 && chars == 3 && memcmp(out, "...", 3) == 0)) {
            out[o++] = ' ';
            chars++;
        }
        space = false;
        if (o + w + 8 >= size)
            break;
        if (w == 1) /* most characters: no call of memcpy */
            out[o] = (char)t[b];
        else
            memcpy(out + o, t + b, w);
        o += w;
        chars++;
        b += w;
        /* then the plain ASCII characters that follow, while they fit,
         * as the steps above would take them one by one */
        while (b < len && t[b] > 0x20 && t[b] < 0x7F &&
               chars + 1 <= limit - 3 && o + 9 < size &&
               (b + 1 >= len || (t[b + 1] & 0xC0) != 0x80)) {
            out[o++] = (char)t[b++];
            chars++;
        }
    }
    if (more) {
        /* fits exactly when only a few characters remain */
        size_t rest = 0, k;
        for (k = b; k < len && chars + rest + (space ? 1 : 0) <= limit; k++)
            if ((t[k] & 0xC0) != 0x80)
                rest++;
        if (chars + rest + (space ? 1 : 0) <= limit) {
            if (space) {
                out[o++] = ' ';
            }
            for (k = b; k < len && o + 8 < size; k++)
                out[o++] = is_fold_space(t[k]) ? ' ' : (char)t[k];
        } else {
            memcpy(out + o, "...", 3);
            o += 3;
        }
    }
    out[o] = '\0';
}

/* ---- record fields ---- */

enum fstate eval_field_date(const struct record *r, const struct fieldref *f,
                            int64_t *secs, bool *has_time)
{
    const char *v;
    int rc;

    if (f->cf >= 0 && r->at_state[f->cf] != DS_ABSENT) {
        switch (r->at_state[f->cf]) {
        case DS_OK:
            *secs = r->at[f->cf];
            *has_time = r->at_has_time[f->cf];
            return F_OK;
        case DS_EMPTY:
            return F_EMPTY;
        default:
            return F_BAD;
        }
    }
    v = record_get_looked_up(r, f->named, f->name);
    if (!v)
        return F_ABSENT;
    rc = date_parse(v, strlen(v), NULL, secs, has_time);
    return rc == 0 ? F_OK : rc == 1 ? F_EMPTY : F_BAD;
}

static bool record_open(const struct record *r)
{
    const char *st = record_get_looked_up(r, CF_STATUS, "status");

    return !st || !*st || strcasecmp(st, "open") == 0;
}

/* ---- matching ---- */

/* Put an error verdict; returns true (the rule applies). */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
bool
eval_error(struct ctx *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->s->msg, sizeof(c->s->msg), fmt, ap);
    va_end(ap);
    c->v->verdict = V_ERROR;
    c->v->has_entry_at = false;
    c->v->excerpt = "";
    c->v->message = c->s->msg;
    return true;
}

static void limit_msg(int rc, char *out, size_t size)
{
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
        snprintf(out, size, "the match limit");
        break;
    case PCRE2_ERROR_DEPTHLIMIT:
        snprintf(out, size, "the depth limit");
        break;
    case PCRE2_ERROR_HEAPLIMIT:
        snprintf(out, size, "the heap limit");
        break;
    case PCRE2_ERROR_JIT_STACKLIMIT:
        snprintf(out, size, "the JIT stack limit");
        break;
    default: {
        PCRE2_UCHAR m[160];
        pcre2_get_error_message(rc, m, sizeof(m));
        snprintf(out, size, "an error (%s)", (const char *)m);
    }
    }
}

/*
 * Match p against subject from start, with match context mctx.  1 match
 * (*ms, *me set), 0 none, -1 error (c->s->msg says which pattern and
 * where).  checked: the subject was validated as UTF-8.  The pattern is
 * named key + part ("entry" + ".regex") in messages; the name is only
 * formatted when one is needed.
 */
int eval_pmatch_in(struct ctx *c, pcre2_match_context *mctx,
                   const struct pattern *p, const char *key, const char *part,
                   const char *subj, size_t len, size_t start, bool checked,
                   const struct log_entry *where, size_t *ms, size_t *me)
{
    PCRE2_SIZE *ov;
    int rc;

    /* A subject not yet validated as UTF-8 is matched from 0 only (field
     * values, a rank): pcre2_match checks it whole. */
    if (checked)
        rc = engine_match_valid(p->code, subj, len, start, c->s->md, mctx);
    else
        rc = pcre2_match(p->code, (PCRE2_SPTR)subj, len, start, 0, c->s->md,
                         mctx);

    if (rc >= 0) {
        ov = pcre2_get_ovector_pointer(c->s->md);
        if (ms)
            *ms = ov[0];
        if (me)
            *me = ov[1];
        return 1;
    }
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    {
        char what[200], at[24] = "";
        limit_msg(rc, what, sizeof(what));
        if (where && where->has_at)
            eval_fmt_time(where->at, where->has_time, at);
        eval_error(
            c,
            "pattern '%s%s' hit %s on %s%s%s; the rule could not be judged "
            "for this record",
            key, part, what, where ? "the log entry" : "a field value",
            at[0] ? " at " : "", at);
    }
    return -1;
}

/* eval_pmatch_in with the scratch's match context, no offset limit. */
static int pmatch(struct ctx *c, const struct pattern *p, const char *key,
                  const char *part, const char *subj, size_t len, size_t start,
                  bool checked, const struct log_entry *where, size_t *ms,
                  size_t *me)
{
    return eval_pmatch_in(c, c->s->mctx, p, key, part, subj, len, start,
                          checked, where, ms, me);
}

/*
 * The first match of sp's regex in e's text at or after start, as pmatch
 * gives it.  When the places where its matches may start are known
 * (sp->re_starts) and the text is plain ASCII, it is tried at those places
 * alone, in order, each time anchored by an offset limit: the same first
 * match, without trying every place in between.
 */
static int spec_match(struct ctx *c, const struct entry_spec *sp,
                      const struct log_entry *e, size_t start, size_t *ms,
                      size_t *me)
{
    size_t p = start;
    int rc;

    if (!sp->re_starts || c->s->lim.no_starts ||
        !text_plain_ascii(e->text, e->text_len))
        return pmatch(c, &sp->re, sp->key, ".regex", e->text, e->text_len,
                      start, true, e, ms, me);
    while ((p = pf_starts_next(sp->re_starts, e->text, e->text_len, p)) !=
           PF_NO_START) {
        pcre2_set_offset_limit(c->s->mctx_upto, p);
        rc = eval_pmatch_in(c, c->s->mctx_upto, &sp->re, sp->key, ".regex",
                            e->text, e->text_len, p, true, e, ms, me);
        if (rc != 0)
            return rc;
        p++;
    }
    return 0;
}

static size_t next_char(const char *t, size_t len, size_t i)
{
    i++;
    while (i < len && ((unsigned char)t[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* Whether the author's rank qualifies: the rank pattern against the rank
 * as written or its canonical form (A/Sgt -> PS), and the rank class. */
static int rank_ok(struct ctx *c, const struct entry_spec *sp,
                   const struct log_entry *e)
{
    struct rank_info ri;
    const char *rank = e->rank ? e->rank : "";
    size_t rlen = e->rank ? e->rank_len : 0;
    int rc;

    if (!sp->rank.code && !sp->min_rank)
        return 1;
    rank_parse_memo(&c->s->ranks, rank, rlen, &ri);
    if (sp->min_rank && (int)ri.cls < sp->min_rank)
        return 0;
    if (!sp->rank.code)
        return 1;
    rc = pmatch(c, &sp->rank, sp->key, ".rank", rank, rlen, 0, true, e, NULL,
                NULL);
    if (rc == 0 && ri.canon[0] && strcmp(ri.canon, rank) != 0)
        rc = pmatch(c, &sp->rank, sp->key, ".rank", ri.canon, strlen(ri.canon),
                    0, true, e, NULL, NULL);
    return rc;
}

/* Copy at most n bytes of s, white space folded, into out. */
void eval_quote_text(char *out, size_t size, const char *s, size_t n)
{
    size_t i, o = 0;
    bool sp = false;

    if (n > 60)
        n = 60;
    for (i = 0; i < n && o + 2 < size; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
            sp = o > 0;
            continue;
        }
        if (sp) {
            out[o++] = ' ';
            sp = false;
        }
        out[o++] = (char)ch;
    }
    out[o] = '\0';
}

/*
 * The modifiers that block a term of concept k whose hit counts for the
 * concepts in bits: those of the concepts that define it, under k (the
 * concepts in bits that k includes, or k itself, and that include none of
 * the others), each by its own blocked_by or, when it gives none, by
 * k's.  So "VA interview arranged", a term of suspect-contact, is blocked
 * by suspect-contact's modifiers when a rule asks for suspect-pursuit,
 * which includes it.
 */
static uint32_t term_mask(const struct lexicon *lx, const struct concept *k,
                          const struct lx_set *bits)
{
    size_t ki = (size_t)(k - lx->concepts), w;
    uint32_t mask = 0;
    bool any = false;

    for (w = 0; w < LX_SET_WORDS; w++) {
        uint64_t left;

        for (left = bits->w[w]; left; left &= left - 1) {
            const struct concept *cd =
                &lx->concepts[w * 64 + (size_t)__builtin_ctzll(left)];

            if (!lx_set_has(&cd->members, ki))
                continue; /* not k, nor a concept k includes */
            if (lx_set_meets(&cd->below, bits))
                continue; /* it includes one of them, nearer the term */
            mask |= cd->own_blocked_by ? cd->blocked_by : k->blocked_by;
            any = true;
        }
    }
    return any ? mask : k->blocked_by;
}

/*
 * The first match of concept k in e whose anchor no modifier in mask has
 * in scope: 1 (*ms, *me), 0 none (c->s->blocked says why the first blocked
 * one did not count, or is ""), -1 error.
 */
static int concept_match(struct ctx *c, const struct entry_spec *sp,
                         const struct concept *k, const struct log_entry *e,
                         size_t *ms, size_t *me)
{
    const struct lexicon *lx = c->ru->lex;
    struct engine_scratch *s = c->s;
    size_t ei = (size_t)(e - c->e), nh, h, nsc = 0;
    const struct lx_hit *hits;
    const struct ctx_scope *sc = NULL;
    bool have_scopes = false;
    size_t ki = (size_t)(k - lx->concepts);
    uint32_t mask;
    int rc;

    rc = lexscan_terms(s, lx, ei, &k->regexes, &hits, &nh);
    for (h = 0; rc >= 0 && h < nh; h++) {
        size_t as = hits[h].as, ae = hits[h].ae;

        if (!lx_set_has(hits[h].concepts, ki))
            continue;
        *ms = hits[h].s;
        *me = hits[h].e;
        mask = sp->has_blocked_by ? sp->blocked_by
                                  : term_mask(lx, k, hits[h].concepts);
        if (mask) {
            const struct ctx_scope *b;

            if (!have_scopes) {
                rc = context_scopes(s, lx, ei, &sc, &nsc);
                if (rc < 0)
                    break;
                have_scopes = true;
                /* the scan's arrays may have moved: take them again */
                rc = lexscan_terms(s, lx, ei, &k->regexes, &hits, &nh);
                if (rc < 0)
                    break;
            }
            /* a pair whose done word is a label's and whose thing is in
             * the label's value ("Trace enquiry: will do addr chk") is
             * decided by the value's context too */
            const char *colon = hits[h].group == 0 && as == hits[h].s
                                    ? memchr(e->text + ae, ':', hits[h].e - ae)
                                    : NULL;
            size_t qe = colon ? hits[h].e : ae; /* the term quoted */

            b = colon ? context_blocker_pair(sc, nsc, mask, as, ae,
                                             (size_t)(colon - e->text), qe)
                      : context_blocker(sc, nsc, mask, as, ae);
            if (b) {
                if (c->want_why && !s->blocked[0]) {
                    char term[72], trig[72];
                    eval_quote_text(term, sizeof(term), e->text + as, qe - as);
                    eval_quote_text(trig, sizeof(trig), e->text + b->tstart,
                                    b->tend - b->tstart);
                    snprintf(s->blocked, sizeof(s->blocked),
                             "'%s' blocked: %s '%s'", term,
                             lx->mods[b->mod].name, trig);
                }
                continue;
            }
        }
        if (lx_set_meets(hits[h].concepts, &lx->with_needs)) {
            /* a bare mention records nothing done ("H2H Trewint Lane
             * when next in area") */
            long j = eval_needs_unsaid(c, &hits[h], e, as, ae);

            if (j < 0) {
                rc = (int)j;
                break;
            }
            if (j > 0) {
                if (c->want_why && !s->blocked[0]) {
                    char term[72];
                    eval_quote_text(term, sizeof(term), e->text + as, ae - as);
                    snprintf(s->blocked, sizeof(s->blocked),
                             "'%s' blocked: its sentence does not say it was "
                             "done (%s)",
                             term, lx->concepts[j - 1].name);
                }
                continue;
            }
        }
        if (k->sup_needs.code) {
            /* a supervisor's entry directs more than it records */
            rc = eval_sup_unsaid(c, k, e, as, ae);
            if (rc < 0)
                break;
            if (rc > 0) {
                if (c->want_why && !s->blocked[0]) {
                    char term[72];
                    eval_quote_text(term, sizeof(term), e->text + as, ae - as);
                    snprintf(s->blocked, sizeof(s->blocked),
                             "'%s' blocked: a supervisor's entry that does "
                             "not say it was done",
                             term);
                }
                continue;
            }
        }
        /* it counts, unless a later mention takes it back */
        if (!lx_set_meets(hits[h].concepts, &lx->retractable))
            return 1;
        {
            struct lx_hit keep = hits[h];

            rc = eval_retracted(c, k, ei, &keep);
            if (rc == 0)
                return 1;
            /* the scans of other entries may have moved this one's
             * arrays: take them again */
            if (rc > 0)
                rc = lexscan_terms(s, lx, ei, &k->regexes, &hits, &nh);
            have_scopes = false;
        }
    }
    if (rc < 0) {
        char what[200], at[24] = "";
        limit_msg(rc, what, sizeof(what));
        if (e->has_at)
            eval_fmt_time(e->at, e->has_time, at);
        eval_error(
            c,
            "the words of the log entry%s%s could not be read for concept "
            "'%s' (%s); the rule could not be judged for this record",
            at[0] ? " at " : "", at, k->name, what);
        return -1;
    }
    return 0;
}

/* Whether e holds a term of one of sp's concepts (context aside). */
bool eval_any_concept_hit(struct ctx *c, const struct entry_spec *sp,
                          const struct log_entry *e)
{
    const struct lexicon *lx = c->ru->lex;
    const struct lx_hit *hits;
    size_t nh, h, k;
    struct lx_set bits = {{0}}, need = {{0}};

    for (k = 0; k < sp->nconcepts; k++) {
        lx_set_add(&bits, (size_t)(sp->concepts[k] - lx->concepts));
        lx_set_or(&need, &sp->concepts[k]->regexes);
    }
    if (lexscan_terms(c->s, lx, (size_t)(e - c->e), &need, &hits, &nh) < 0)
        return false;
    for (h = 0; h < nh; h++)
        if (lx_set_meets(hits[h].concepts, &bits))
            return true;
    return false;
}

/* Whether the prefilter shows that the pattern with bit `bit` of the
 * record's type cannot match e's text. */
static bool pf_absent(const struct ctx *c, int bit, const struct log_entry *e)
{
    return c->s->pf_on && bit >= 0 && !(c->s->pf_mask[e - c->e] >> bit & 1);
}

/* One alternative of a spec: 1 eval_qualifies (*pos), 0 not (*why), -1 error. */
int eval_qualifies_one(struct ctx *c, const struct entry_spec *sp,
                       const struct log_entry *e, size_t *pos, enum nq *why)
{
    size_t ms = 0, me = 0, start = 0, k;
    int rc;

    if (pf_absent(c, sp->pf_bit, e)) {
        *why = NQ_NOMATCH; /* none of the pattern's literals is there */
        return 0;
    }
    if (sp->nconcepts) {
        /* the author first: it is cheap, and context is not */
        if (!e->text || !c->ru->lex) {
            *why = NQ_NOMATCH;
            return 0;
        }
        rc = rank_ok(c, sp, e);
        if (rc <= 0) {
            /* a near miss only when the words are there */
            *why = NQ_NOMATCH;
            if (rc == 0 && c->want_why)
                *why = c->defer_rank                    ? NQ_RANK_UNSURE
                       : eval_any_concept_hit(c, sp, e) ? NQ_RANK
                                                        : NQ_NOMATCH;
            return rc;
        }
        c->s->blocked[0] = '\0';
        for (k = 0; k < sp->nconcepts; k++) {
            rc = concept_match(c, sp, sp->concepts[k], e, &ms, &me);
            if (rc < 0)
                return -1;
            if (rc == 1)
                break;
        }
        if (k == sp->nconcepts) {
            *why = c->s->blocked[0] ? NQ_BLOCKED : NQ_NOMATCH;
            return 0;
        }
        {
            char term[72], *out = c->s->counted;
            size_t n = 0, sz = sizeof(c->s->counted);

            /* "counted '%s' (%s)" */
            eval_quote_text(term, sizeof(term), e->text + ms, me - ms);
            out[0] = '\0';
            eval_cat(out, sz, &n, "counted '");
            eval_cat(out, sz, &n, term);
            eval_cat(out, sz, &n, "' (");
            eval_cat(out, sz, &n, sp->concepts[k]->name);
            eval_cat(out, sz, &n, ")");
        }
    } else {
        rc = spec_match(c, sp, e, 0, &ms, &me);
        if (rc <= 0) {
            *why = NQ_NOMATCH;
            return rc;
        }
        c->s->counted[0] = '\0';
    }
    if (sp->exclude.code && !pf_absent(c, sp->pf_exclude_bit, e)) {
        rc = pmatch(c, &sp->exclude, sp->key, ".exclude", e->text, e->text_len,
                    0, true, e, NULL, NULL);
        if (rc != 0) {
            *why = NQ_EXCLUDED;
            return rc < 0 ? -1 : 0;
        }
    }
    if (sp->negate.code && !sp->nconcepts &&
        !pf_absent(c, sp->pf_negate_bit, e)) {
        for (;;) {
            int neg = eval_negated(c, sp, e, ms, me);

            if (neg < 0)
                return -1;
            if (neg == 0)
                break; /* this regex match stands */
            start = me > ms ? me : next_char(e->text, e->text_len, ms);
            if (start > e->text_len) {
                *why = NQ_NEGATED;
                return 0;
            }
            rc = spec_match(c, sp, e, start, &ms, &me);
            if (rc < 0)
                return -1;
            if (rc == 0) {
                *why = NQ_NEGATED;
                return 0;
            }
        }
    }
    if (!sp->nconcepts) {
        rc = rank_ok(c, sp, e);
        if (rc <= 0) {
            *why = NQ_RANK;
            return rc;
        }
    }
    *pos = ms;
    return 1;
}

/*
 * Whether e qualifies under sp or one of its alternatives (windows aside):
 * 1 (*pos: start of the qualifying match, *which: the alternative), 0 not
 * (*why: the most telling reason), -1 error.
 */
static int qualifies_alt(struct ctx *c, const struct entry_spec *sp,
                         const struct log_entry *e, size_t *pos, enum nq *why,
                         const struct entry_spec **which)
{
    size_t a;
    enum nq w, best = NQ_NOMATCH;
    char keep[sizeof(c->s->blocked)];
    int rc;

    /* not "= \"\"": that zeroes the whole array on every entry */
    keep[0] = '\0';
    for (a = 0; a <= sp->nalt; a++) {
        const struct entry_spec *x = a == 0 ? sp : &sp->alt[a - 1];

        rc = eval_qualifies_one(c, x, e, pos, &w);
        if (rc != 0) {
            if (which)
                *which = x;
            return rc;
        }
        if (best == NQ_NOMATCH && w != NQ_NOMATCH) {
            best = w;
            if (w == NQ_BLOCKED)
                memcpy(keep, c->s->blocked, sizeof(keep));
        }
    }
    if (best == NQ_BLOCKED)
        memcpy(c->s->blocked, keep, sizeof(keep));
    *why = best;
    return 0;
}

/* 1 eval_qualifies (*pos: start of the qualifying match), 0 not (*why), -1 error. */
int eval_qualifies(struct ctx *c, const struct entry_spec *sp,
                   const struct log_entry *e, size_t *pos, enum nq *why)
{
    return qualifies_alt(c, sp, e, pos, why, NULL);
}

void eval_set_evidence(struct ctx *c, const struct log_entry *e, size_t pos)
{
    c->v->has_entry_at = e->has_at;
    c->v->entry_has_time = e->has_time;
    c->v->entry_at = e->at;
    eval_excerpt(c->s->excerpt, sizeof(c->s->excerpt), e->text, e->text_len,
                 pos);
    c->v->excerpt = c->s->excerpt;
}

/*
 * The evidence of a verdict already decided: when e qualifies under sp, it
 * becomes the evidence.  Returns eval_qualifies()'s 1 (taken), 0 (not), or -1
 * (an error verdict is set).
 */
int eval_take_evidence(struct ctx *c, const struct entry_spec *sp,
                       const struct log_entry *e)
{
    enum nq why;
    size_t pos = 0;
    int rc = eval_qualifies(c, sp, e, &pos, &why);

    if (rc == 1)
        eval_set_evidence(c, e, pos);
    return rc;
}

void eval_set_pass(struct ctx *c)
{
    c->v->verdict = V_PASS;
    c->v->message = c->s->msg;
}

void eval_set_fail(struct ctx *c)
{
    c->v->verdict = V_FAIL;
    c->v->message = c->s->msg;
}

/* Fail message: the rule's message, then the detail. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void
eval_fail_msg(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(c->s->msg, sizeof(c->s->msg), "%s: ", c->ru->message);

    if (n < 0 || (size_t)n >= sizeof(c->s->msg))
        return;
    va_start(ap, fmt);
    vsnprintf(c->s->msg + n, sizeof(c->s->msg) - (size_t)n, fmt, ap);
    va_end(ap);
}

int64_t eval_window_end(enum win_unit u, int n, int64_t day)
{
    switch (u) {
    case WIN_DAYS:
        return day + n;
    case WIN_WORKING_DAYS:
        return cal_add_working_days(day, n);
    case WIN_MONTHS:
        return cal_add_months(day, n);
    default:
        return day;
    }
}

int64_t eval_window_start_before(enum win_unit u, int n, int64_t day)
{
    switch (u) {
    case WIN_DAYS:
        return day - n;
    case WIN_WORKING_DAYS:
        return cal_add_working_days(day, -n);
    case WIN_MONTHS:
        return cal_add_months(day, -n);
    default:
        return day;
    }
}

const char *eval_unit_name(enum win_unit u, int n)
{
    if (n == 1)
        return u == WIN_WORKING_DAYS ? "working day"
               : u == WIN_MONTHS     ? "month"
                                     : "day";
    return u == WIN_WORKING_DAYS ? "working days"
           : u == WIN_MONTHS     ? "months"
                                 : "days";
}

/* A date field the rule needs with a value: false after an error verdict. */
bool eval_need_date(struct ctx *c, const struct fieldref *f, bool allow_empty,
                    int64_t *secs, bool *has_time, bool *empty)
{
    enum fstate st = eval_field_date(c->r, f, secs, has_time);

    *empty = false;
    if (st == F_OK)
        return true;
    if (st == F_EMPTY && allow_empty) {
        *empty = true;
        return true;
    }
    if (st == F_ABSENT)
        eval_error(c, "the record has no '%s' field, which this rule needs",
                   f->name);
    else if (st == F_EMPTY)
        eval_error(c, "field '%s' is empty, and this rule needs its date",
                   f->name);
    else
        eval_error(c, "field '%s' is not a valid date: '%.60s'", f->name,
                   record_get_named(c->r, f->name)
                       ? record_get_named(c->r, f->name)
                       : "");
    return false;
}

static int64_t last_entry_time(struct ctx *c, bool *has_time, bool *found)
{
    size_t i;
    int64_t best = 0;

    *found = false;
    for (i = 0; i < c->ne; i++)
        if (c->e[i].has_at && (!*found || c->e[i].at > best)) {
            best = c->e[i].at;
            *has_time = c->e[i].has_time;
            *found = true;
        }
    return best;
}

/*
 * The end of a period: the first listed field with a date; else --as-of
 * for an open record, else the last log entry (a closed file ends with
 * its log).  false after an error verdict.
 */
bool eval_resolve_end(struct ctx *c, const struct fieldref *f, size_t nf,
                      int64_t start, int64_t *end, bool *has_time,
                      const char **label)
{
    size_t i;
    bool empty, found;

    for (i = 0; i < nf; i++) {
        if (!eval_need_date(c, &f[i], true, end, has_time, &empty))
            return false;
        if (!empty) {
            *label = f[i].name;
            return true;
        }
    }
    if (record_open(c->r)) {
        *end = c->p->as_of;
        *has_time = false;
        *label = "the --as-of date";
        return true;
    }
    *end = last_entry_time(c, has_time, &found);
    *label = "the last log entry";
    if (!found || *end < start) {
        *end = start;
        *label = "the start";
    }
    return true;
}

/* ---- applicability ---- */

/* 1 applies, 0 not, -1 error verdict set. */
/* 1 the condition holds, 0 not, -1 error verdict set. */
static int where_holds(struct ctx *c, const struct where_cond *w)
{
    if (w->kind == WH_PATTERN) {
        const char *v =
            record_get_looked_up(c->r, w->field.named, w->field.name);
        int rc;

        if (!v) {
            eval_error(c, "the record has no '%s' field, which this rule needs",
                       w->field.name);
            return -1;
        }
        rc = pmatch(c, &w->re, "applies_to.where.", w->field.name, v, strlen(v),
                    0, false, NULL, NULL, NULL);
        if (rc < 0)
            return -1;
        return (rc == 1) != w->negated;
    } else {
        int64_t secs, day;
        bool ht, empty;

        if (!eval_need_date(c, &w->field, false, &secs, &ht, &empty))
            return -1;
        day = cal_day_of(secs);
        return !((w->has_from && day < w->from_day) ||
                 (w->has_to && day > w->to_day));
    }
}

/* 1 applies, 0 not, -1 error verdict set.  Groups are alternatives. */
static int check_where(struct ctx *c)
{
    int g;
    size_t i;

    if (c->ru->nwhere == 0)
        return 1;
    for (g = 0; g < c->ru->nwhere_groups; g++) {
        bool all = true;

        for (i = 0; i < c->ru->nwhere && all; i++) {
            int rc;

            if (c->ru->where[i].group != g)
                continue;
            rc = where_holds(c, &c->ru->where[i]);
            if (rc < 0)
                return -1;
            all = rc == 1;
        }
        if (all)
            return 1;
    }
    return 0;
}

static int check_span(struct ctx *c)
{
    const struct span_cond *sp = &c->ru->span;
    int64_t s, e, sd, ed;
    bool ht, empty;
    const char *label;

    if (!eval_need_date(c, &sp->start, true, &s, &ht, &empty))
        return -1;
    if (empty)
        return 0; /* no period started (e.g. released without bail) */
    if (!eval_resolve_end(c, &sp->end, 1, s, &e, &ht, &label))
        return -1;
    sd = cal_day_of(s);
    ed = cal_day_of(e);
    if (sp->unit == WIN_DAYS)
        return ed - sd > sp->n ? 1 : 0;
    return ed > cal_add_months(sd, sp->n) ? 1 : 0;
}

/* 1 some entry qualifies, 0 none, -1 error. */
static int any_entry(struct ctx *c, const struct entry_spec *sp)
{
    size_t i, pos;
    enum nq why;
    int rc;

    for (i = 0; i < c->ne; i++) {
        rc = eval_qualifies(c, sp, &c->e[i], &pos, &why);
        if (rc != 0)
            return rc;
    }
    return 0;
}

bool eval_rule(const struct rule *ru, const struct record *r,
               const struct log_entry *e, size_t ne, const char *log_problem,
               const struct engine_params *p, struct engine_scratch *s,
               struct engine_verdict *v)
{
    struct ctx c = {ru, r, e, ne, p, s, v, false, false};
    bool uses_log = ru->entry.present || ru->ifs.present || ru->when.present ||
                    ru->when_not.present;
    size_t i;
    int rc;

    memset(v, 0, sizeof(*v));
    v->rule = ru;
    v->excerpt = "";
    v->message = "";
    s->msg[0] = '\0';
    if (r) {
        for (i = 0; i < ru->nneed; i++) {
            const struct fieldref *f = &ru->need[i];
            bool present = f->cf >= 0 && r->canon[f->cf] >= 0;

            if (!present && !record_get_looked_up(r, f->named, f->name))
                return eval_error(
                    &c, "the record has no '%s' field, which this rule needs",
                    f->name);
        }
        rc = check_where(&c);
        if (rc <= 0)
            return rc < 0;
    }
    if (uses_log && log_problem)
        return eval_error(&c,
                          "%s; the rule could not be judged for this record",
                          log_problem);
    if (r && ru->span.present) {
        rc = check_span(&c);
        if (rc <= 0)
            return rc < 0;
    }
    if (ru->when.present) {
        rc = any_entry(&c, &ru->when);
        if (rc <= 0)
            return rc < 0;
    }
    if (ru->when_not.present) {
        rc = any_entry(&c, &ru->when_not);
        if (rc != 0)
            return rc < 0;
    }
    switch (ru->check) {
    case CK_MUST_CONTAIN:
        return eval_contain(&c, true);
    case CK_MUST_NOT_CONTAIN:
        return eval_contain(&c, false);
    case CK_MAX_GAP:
        return eval_gap(&c);
    case CK_IF_THEN:
        return eval_if_then(&c);
    default:
        return false;
    }
}

static const char *validate_entries(struct engine_scratch *s,
                                    const struct log_entry *e, size_t ne,
                                    bool utf8_checked);

int eval_condition(const struct rule *ru, const struct entry_spec *no_entry,
                   const struct record *r, const struct log_entry *e, size_t ne,
                   const char *log_problem, struct engine_scratch *s)
{
    struct engine_params p = {0};
    struct engine_verdict v;
    struct ctx c = {ru, r, e, ne, &p, s, &v, false, false};
    size_t i;
    int rc;

    memset(&v, 0, sizeof(v));
    s->msg[0] = '\0';
    s->pf_on = false;
    for (i = 0; i < ru->nneed; i++) {
        const struct fieldref *f = &ru->need[i];
        bool present = f->cf >= 0 && r->canon[f->cf] >= 0;

        if (!present && !record_get_looked_up(r, f->named, f->name)) {
            snprintf(s->msg, sizeof(s->msg), "the record has no '%s' field",
                     f->name);
            return -1;
        }
    }
    rc = check_where(&c);
    if (rc <= 0)
        return rc;
    if (ru->span.present) {
        rc = check_span(&c);
        if (rc <= 0)
            return rc;
    }
    if ((ru->when.present || no_entry->present) && !log_problem)
        log_problem = validate_entries(s, e, ne, false);
    if ((ru->when.present || no_entry->present) && !log_problem && ru->lex &&
        !context_begin(s, e, ne))
        log_problem = "out of memory reading the context of the log";
    if ((ru->when.present || no_entry->present) && log_problem) {
        snprintf(s->msg, sizeof(s->msg), "%s", log_problem);
        return -1;
    }
    if (ru->when.present) {
        rc = any_entry(&c, &ru->when);
        if (rc <= 0)
            return rc;
    }
    if (no_entry->present) {
        rc = any_entry(&c, no_entry);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
    }
    return 1;
}

/* ---- driving ---- */

/*
 * Why entries e[0, ne) cannot be judged (a timestamp that is no date, text
 * that is not UTF-8), or NULL.  utf8_checked: they are spans of a log whose
 * UTF-8 ingest has checked (cut at line ends, white space and the header
 * regex's groups, so at character boundaries), and are not checked again.
 */
static const char *validate_entries(struct engine_scratch *s,
                                    const struct log_entry *e, size_t ne,
                                    bool utf8_checked)
{
    size_t i, bad;

    for (i = 0; i < ne; i++) {
        if (e[i].bad_at) {
            const char *t = e[i].raw ? e[i].raw : "";
            size_t l = 0;

            /* the timestamp-shaped start of the line */
            while (l < e[i].raw_len && l < 25 &&
                   ((t[l] >= '0' && t[l] <= '9') || t[l] == '-' ||
                    t[l] == '/' || t[l] == ':' || t[l] == ' ' || t[l] == 'T'))
                l++;
            while (l > 0 && t[l - 1] == ' ')
                l--;
            snprintf(s->logerr, sizeof(s->logerr),
                     "case log line %lu starts with '%.*s', which is not a "
                     "valid date and time; the entry cannot be placed in "
                     "time",
                     e[i].line_offset + 1, (int)l, t);
            return s->logerr;
        }
    }
    for (i = 0; i < ne && !utf8_checked; i++) {
        const char *spans[3] = {e[i].raw, e[i].text, e[i].rank};
        size_t lens[3] = {e[i].raw_len, e[i].text_len, e[i].rank_len};
        size_t k;

        for (k = 0; k < 3; k++) {
            if (!spans[k])
                continue;
            bad = utf8_check((const unsigned char *)spans[k], lens[k]);
            if (bad < lens[k]) {
                snprintf(s->logerr, sizeof(s->logerr),
                         "the log is not valid UTF-8 (entry %zu, byte %zu)",
                         i + 1, bad + 1);
                return s->logerr;
            }
            if (k == 0 && e[i].text >= e[i].raw &&
                e[i].text + e[i].text_len <= e[i].raw + e[i].raw_len &&
                (!e[i].rank ||
                 (e[i].rank >= e[i].raw &&
                  e[i].rank + e[i].rank_len <= e[i].raw + e[i].raw_len)))
                break; /* raw covers the rest */
        }
    }
    return NULL;
}

/* The prefilter's masks of entries e[0, ne) of a record of type t: an
 * entry without text may hold any rule literal, and the lexicon's regex
 * items see it as empty text. */
static void scan_entries(const struct ruleset *rs, enum record_type t,
                         const struct log_entry *e, size_t ne,
                         struct engine_scratch *s)
{
    size_t k;

    for (k = 0; k < ne; k++) {
        if (e[k].text) {
            prefilter_scan_all(rs->pf[t], e[k].text, e[k].text_len,
                               &s->pf_mask[k], &s->rx_mask[k]);
        } else {
            prefilter_scan_all(rs->pf[t], "", 0, &s->pf_mask[k],
                               &s->rx_mask[k]);
            s->pf_mask[k] = ~(uint64_t)0;
        }
    }
}

/* Judge r by the rules of its type (all, or those marked in only) over
 * entries e[0, ne); utf8_checked as for validate_entries. */
static enum ca_status eval_all(const struct ruleset *rs, const struct record *r,
                               const struct log_entry *e, size_t ne,
                               bool utf8_checked, const char *log_problem,
                               const struct engine_params *p,
                               const unsigned char *only,
                               struct engine_scratch *s, engine_verdict_fn fn,
                               void *ctx)
{
    size_t k;
    struct engine_verdict v;

    if ((unsigned)r->type >= RT__COUNT)
        return CA_OK;
    if (!log_problem)
        log_problem = validate_entries(s, e, ne, utf8_checked);
    if (rs->lex && !context_begin(s, e, ne))
        log_problem = "out of memory reading the context of the log";
    s->pf_on = false;
    if (rs->pf[r->type] && !s->lim.no_prefilter && !log_problem && ne > 0 &&
        grow_pf(s, ne)) {
        scan_entries(rs, r->type, e, ne, s);
        s->pf_on = true;
        s->rx_on = rs->pf_lexicon[r->type];
    }
    for (k = 0; k < rs->nby_type[r->type]; k++) {
        const struct rule *ru = rs->rules[rs->by_type[r->type][k]];

        if (ru->status == RS_DEPRECATED || (only && !only[ru->index]))
            continue;
        if (!eval_rule(ru, r, e, ne, log_problem, p, s, &v))
            continue;
        if (fn(ctx, r, &v) != 0)
            break;
    }
    s->pf_on = s->rx_on = false;
    return CA_OK;
}

enum ca_status
engine_eval_entries(const struct ruleset *rs, const struct record *r,
                    const struct log_entry *entries, size_t nentries,
                    const struct engine_params *p, struct engine_scratch *s,
                    engine_verdict_fn fn, void *ctx)
{
    return eval_all(rs, r, entries, nentries, false, NULL, p, NULL, s, fn, ctx);
}

static enum ca_status
eval_record(const struct ruleset *rs, const struct record *r,
            const struct engine_params *p, const unsigned char *only,
            struct engine_scratch *s, engine_verdict_fn fn, void *ctx)
{
    struct ca_error err = CA_ERROR_INIT;
    const char *problem = NULL;

    if ((unsigned)r->type >= RT__COUNT || rs->nby_type[r->type] == 0)
        return CA_OK;
    s->le.n = 0;
    if (record_log(r, &s->le, &err) != CA_OK) {
        snprintf(s->logerr, sizeof(s->logerr),
                 "the log could not be split: %.400s", err.msg);
        problem = s->logerr;
        s->le.n = 0;
    }
    return eval_all(rs, r, s->le.v, s->le.n, s->le.utf8_checked, problem, p,
                    only, s, fn, ctx);
}

enum ca_status engine_eval(const struct ruleset *rs, const struct record *r,
                           const struct engine_params *p,
                           struct engine_scratch *s, engine_verdict_fn fn,
                           void *ctx)
{
    return eval_record(rs, r, p, NULL, s, fn, ctx);
}

enum ca_status
engine_eval_only(const struct ruleset *rs, const struct record *r,
                 const struct engine_params *p, const unsigned char *only,
                 struct engine_scratch *s, engine_verdict_fn fn, void *ctx)
{
    return eval_record(rs, r, p, only, s, fn, ctx);
}
