/* SPDX-License-Identifier: MIT */
/*
 * Context of a log entry's words, after ConText (Chapman, Chu and
 * Dowling, 2007): which stretches of an entry's text are in the scope of a
 * modifier (negated, intended, pending, planned, counterfactual,
 * reported...).  For one entry:
 *
 *   1. the lexicon's trigger pattern is run over the text once, giving
 *      before-triggers, after-triggers, pseudo-triggers (which look like
 *      triggers and are not: "no trace" is a result, not a negation) and
 *      words that end a clause ("but", "however"); the longest trigger at
 *      a place wins;
 *   2. clause boundaries are found: sentence ends, ';', ',', '(' and ')',
 *      line ends, spaced dashes, a colon followed by a space, numbered or
 *      lettered list items, and the words above;
 *   3. a trigger's scope holds the trigger itself ("to be viewed" blocks
 *      its own "viewed") and, for a before-trigger, reaches forward over
 *      at most `scope` words, never past a boundary; an after-trigger
 *      reaches back over at most
 *      `after_scope` words, never past a boundary, except that a dash or
 *      colon right before it is crossed ("H2H - not possible", "Intel:
 *      o/s");
 *   4. a section heading of a modifier ("Investigation plan:", "Actions
 *      outstanding -"), at the start of a line or a sentence, puts the rest
 *      of its section in scope: up to the next heading-like label ("Update:",
 *      "Rationale:"), a blank line, or the end of the entry.
 *
 * Scopes are worked out for an entry the first time a rule asks about it
 * and kept for the rest of the record, so that however many rules and
 * concepts look at an entry its context is computed once.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define MAX_EVENTS 512 /* triggers read per entry; later ones are ignored */

bool context_begin(struct engine_scratch *s, const struct log_entry *e,
                   size_t n)
{
    if (n > s->ctx_alloc) {
        size_t na = n < 16 ? 16 : n;
        size_t *a = realloc(s->ctx_at, na * sizeof(*a));
        size_t *b;

        if (!a)
            return false;
        s->ctx_at = a;
        b = realloc(s->ctx_n, na * sizeof(*b));
        if (!b)
            return false;
        s->ctx_n = b;
        s->ctx_alloc = na;
    }
    if (n)
        memset(s->ctx_at, 0, n * sizeof(*s->ctx_at));
    s->nscopes = 0;
    s->ctx_entries = e;
    return true;
}

static bool push_scope(struct engine_scratch *s, uint16_t mod, size_t start,
                       size_t end, size_t ts, size_t te)
{
    struct ctx_scope *sc;

    if (end <= start)
        return true;
    if (s->nscopes == s->scopes_alloc) {
        size_t na = s->scopes_alloc ? s->scopes_alloc * 2 : 64;
        struct ctx_scope *v = realloc(s->scopes, na * sizeof(*v));

        if (!v)
            return false;
        s->scopes = v;
        s->scopes_alloc = na;
    }
    sc = &s->scopes[s->nscopes++];
    sc->start = (uint32_t)start;
    sc->end = (uint32_t)end;
    sc->tstart = (uint32_t)ts;
    sc->tend = (uint32_t)te;
    sc->mod = mod;
    return true;
}

static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '\'' || c == '/' || c == '&' ||
           c >= 0x80;
}

static bool is_sp(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* A dash used as punctuation: "-" with a space on either side, or an en
 * or em dash.  *len is its length in bytes. */
static bool dash_at(const char *t, size_t len, size_t i, size_t *dl)
{
    const unsigned char *u = (const unsigned char *)t;

    if (u[i] == '-') {
        bool sp_before = i == 0 || is_sp(u[i - 1]) || u[i - 1] == '\n';
        bool sp_after = i + 1 >= len || is_sp(u[i + 1]) || u[i + 1] == '\n';
        *dl = 1;
        return sp_before || sp_after;
    }
    if (i + 2 < len + 0 && u[i] == 0xE2 && u[i + 1] == 0x80 &&
        (u[i + 2] == 0x93 || u[i + 2] == 0x94)) {
        *dl = 3;
        return true;
    }
    return false;
}

/* Boundary kinds: a dash or colon may be crossed by an after-trigger
 * right behind it. */
enum { BK_NONE = 0, BK_HARD, BK_SOFT };

/*
 * Mark clause boundaries: brk[i] is BK_HARD or BK_SOFT where a boundary
 * starts at byte i.
 */
static void mark_breaks(const char *t, size_t len, unsigned char *brk)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i, dl;
    bool line_start = true;

    memset(brk, BK_NONE, len + 1);
    for (i = 0; i < len; i++) {
        unsigned char c = u[i];

        switch (c) {
        case '\n':
        case ';':
        case ',':
        case '!':
        case '?':
        case '(':
        case ')':
        case '[':
        case ']':
            brk[i] = BK_HARD;
            break;
        case '.':
            if (i + 1 >= len || is_sp(u[i + 1]) || u[i + 1] == '\n')
                brk[i] = BK_HARD;
            break;
        case ':':
            if (i + 1 >= len || is_sp(u[i + 1]) || u[i + 1] == '\n')
                brk[i] = BK_SOFT;
            break;
        default:
            if (dash_at(t, len, i, &dl))
                brk[i] = BK_SOFT;
            break;
        }
        /* "1." "2)" "a)" starting a list item, at a line start or after
         * white space */
        if ((line_start || (i > 0 && is_sp(u[i - 1]))) && i + 2 < len) {
            size_t j = i;

            if (u[j] >= '0' && u[j] <= '9') {
                j++;
                if (j < len && u[j] >= '0' && u[j] <= '9')
                    j++;
            } else if (u[j] >= 'a' && u[j] <= 'z' && line_start) {
                j++;
            }
            if (j > i && j + 1 < len && (u[j] == ')' || u[j] == '.') &&
                (is_sp(u[j + 1]) || u[j + 1] == '\n'))
                brk[i] = BK_HARD;
        }
        if (c == '\n')
            line_start = true;
        else if (!is_sp(c))
            line_start = false;
    }
    brk[len] = BK_HARD;
}

/* End of a forward scope from `from`: at most n words, no boundary. */
static size_t reach_forward(const char *t, size_t len, const unsigned char *brk,
                            size_t from, int n)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i;
    int words = 0;
    bool in = false;

    for (i = from; i < len; i++) {
        if (brk[i])
            return i;
        if (is_word(u[i])) {
            if (!in && ++words > n)
                return i;
            in = true;
        } else {
            in = false;
        }
    }
    return len;
}

/* Start of a backward scope ending at `to`: at most n words, no
 * boundary, but a dash or colon right before `to` is crossed. */
static size_t reach_back(const char *t, const unsigned char *brk, size_t to,
                         int n)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i = to, start = to;
    int words = 0;
    bool in = false, crossed = false;

    while (i > 0) {
        i--;
        if (brk[i] == BK_SOFT && !crossed && words == 0) {
            crossed = true;
            continue;
        }
        if (brk[i])
            return start;
        if (is_word(u[i])) {
            if (!in) {
                if (++words > n)
                    return start;
                in = true;
            }
            start = i;
        } else {
            in = false;
            if (!is_sp(u[i]) && u[i] != '\n')
                crossed = true; /* punctuation inside the clause */
        }
    }
    return start;
}

/*
 * A heading-like label at i ("Investigation plan:", "Actions outstanding
 * -"): letters, spaces and a few marks, up to 48 bytes, then ':' or a
 * spaced dash.  Returns the label's length (0: none) and in *end the
 * position after the colon or dash.
 */
static size_t heading_at(const char *t, size_t len, size_t i, bool dash_ok,
                         size_t *end)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t j = i, lab;

    if (j >= len || !((u[j] >= 'a' && u[j] <= 'z') ||
                      (u[j] >= 'A' && u[j] <= 'Z')))
        return 0;
    while (j < len && j - i < 48 &&
           ((u[j] >= 'a' && u[j] <= 'z') || (u[j] >= 'A' && u[j] <= 'Z') ||
            (u[j] >= '0' && u[j] <= '9') || u[j] == ' ' || u[j] == '/' ||
            u[j] == '&' || u[j] == '\'' || u[j] == '(' || u[j] == ')'))
        j++;
    lab = j;
    while (lab > i && u[lab - 1] == ' ')
        lab--;
    if (j < len && u[j] == ':' &&
        (j + 1 >= len || is_sp(u[j + 1]) || u[j + 1] == '\n')) {
        *end = j + 1;
        return lab - i;
    }
    if (dash_ok && j + 1 < len && u[j] == '-' && j > i && u[j - 1] == ' ') {
        *end = j + 1;
        return lab - i;
    }
    return 0;
}

/* Places where a heading may start: the text's start, a line start, or
 * after a sentence end and white space.  Calls back with each. */
static bool heading_place(const char *t, size_t i)
{
    size_t j = i;

    if (i == 0)
        return true;
    while (j > 0 && is_sp((unsigned char)t[j - 1]))
        j--;
    if (j == 0)
        return true;
    if (t[j - 1] == '\n')
        return true;
    if (j < i && (t[j - 1] == '.' || t[j - 1] == ';' || t[j - 1] == '!' ||
                  t[j - 1] == '?'))
        return true;
    /* after a list bullet at a line start */
    if ((t[j - 1] == '-' || t[j - 1] == '*') &&
        (j == 1 || t[j - 2] == '\n'))
        return true;
    return false;
}

static int sections(struct engine_scratch *s, const struct lexicon *lx,
                    const char *t, size_t len)
{
    size_t i, hend = 0;
    int open = -1; /* modifier whose section is open */
    size_t open_from = 0, open_ts = 0, open_te = 0;

    for (i = 0; i <= len; i++) {
        size_t lab = 0, k;
        bool blank_line = false;

        if (i < len && t[i] == '\n') {
            size_t j = i + 1;
            while (j < len && is_sp((unsigned char)t[j]))
                j++;
            blank_line = j < len && t[j] == '\n';
        }
        if (i < len && !blank_line && heading_place(t, i))
            lab = heading_at(t, len, i, true, &hend);
        if (open >= 0 && (i == len || blank_line || lab)) {
            if (!push_scope(s, (uint16_t)open, open_from, i, open_ts, open_te))
                return -1;
            open = -1;
        }
        if (!lab)
            continue;
        for (k = 0; k < lx->nmods; k++) {
            const struct modifier *m = &lx->mods[k];
            int rc;

            if (!m->headings.code)
                continue;
            rc = pcre2_match(m->headings.code, (PCRE2_SPTR)t + i, lab, 0,
                             PCRE2_NO_UTF_CHECK, s->md, s->mctx);
            if (rc >= 0) {
                open = (int)k;
                open_from = hend;
                open_ts = i;
                open_te = i + lab;
                break;
            }
            if (rc != PCRE2_ERROR_NOMATCH)
                return rc;
        }
        i = hend - 1;
    }
    return 0;
}

int context_scopes(struct engine_scratch *s, const struct lexicon *lx,
                   size_t i, const struct ctx_scope **sc, size_t *n)
{
    const struct log_entry *e = &s->ctx_entries[i];
    const char *t = e->text ? e->text : "";
    size_t len = e->text ? e->text_len : 0, first = s->nscopes, off = 0;
    unsigned char brk_small[1024], *brk = brk_small;
    struct {
        uint32_t s, e;
        char kind;
        uint16_t idx;
    } ev[MAX_EVENTS];
    size_t nev = 0, k;
    int rc = 0;

    if (s->ctx_at[i]) {
        *sc = s->scopes + s->ctx_at[i] - 1;
        *n = s->ctx_n[i];
        return 0;
    }
    if (len + 1 > sizeof(brk_small)) {
        brk = malloc(len + 1);
        if (!brk)
            return PCRE2_ERROR_NOMEMORY;
    }
    mark_breaks(t, len, brk);
    /* 1. triggers, pseudo-triggers and clause-ending words */
    if (!s->md_events) {
        s->md_events = pcre2_match_data_create(1, NULL);
        if (!s->md_events) {
            rc = PCRE2_ERROR_NOMEMORY;
            goto out;
        }
    }
    while (lx->events && off < len && nev < MAX_EVENTS) {
        PCRE2_SIZE *ov;
        PCRE2_SPTR mark;

        rc = pcre2_jit_match(lx->events, (PCRE2_SPTR)t, len, off, 0,
                             s->md_events, s->mctx);
        if (rc == PCRE2_ERROR_JIT_BADOPTION)
            rc = pcre2_match(lx->events, (PCRE2_SPTR)t, len, off,
                             PCRE2_NO_UTF_CHECK, s->md_events, s->mctx);
        if (rc == PCRE2_ERROR_NOMATCH) {
            rc = 0;
            break;
        }
        if (rc < 0)
            goto out;
        rc = 0;
        ov = pcre2_get_ovector_pointer(s->md_events);
        mark = pcre2_get_mark(s->md_events);
        if (ov[1] <= ov[0]) { /* an empty match: step on */
            off = ov[0] + 1;
            while (off < len && ((unsigned char)t[off] & 0xC0) == 0x80)
                off++;
            continue;
        }
        if (mark && (mark[0] == 'b' || mark[0] == 'a' || mark[0] == 'p' ||
                     mark[0] == 'k')) {
            ev[nev].s = (uint32_t)ov[0];
            ev[nev].e = (uint32_t)ov[1];
            ev[nev].kind = (char)mark[0];
            ev[nev].idx = (uint16_t)atoi((const char *)mark + 1);
            if (ev[nev].kind == 'k')
                brk[ov[0]] = BK_HARD;
            nev++;
        }
        off = ov[1];
    }
    /* 2. scopes of the triggers */
    for (k = 0; k < nev; k++) {
        const struct modifier *m;
        size_t a, b;

        if (ev[k].kind != 'b' && ev[k].kind != 'a')
            continue;
        if (ev[k].idx >= lx->nmods)
            continue;
        m = &lx->mods[ev[k].idx];
        /* the trigger itself is in scope: "to be viewed" holds the very
         * word it blocks */
        if (ev[k].kind == 'b') {
            a = ev[k].s;
            b = reach_forward(t, len, brk, ev[k].e, m->before_scope);
        } else {
            b = ev[k].e;
            a = reach_back(t, brk, ev[k].s, m->after_scope);
        }
        if (!push_scope(s, ev[k].idx, a, b, ev[k].s, ev[k].e)) {
            rc = PCRE2_ERROR_NOMEMORY;
            goto out;
        }
    }
    /* 3. sections under a modifier's heading */
    rc = sections(s, lx, t, len);
    if (rc == -1)
        rc = PCRE2_ERROR_NOMEMORY;
out:
    if (brk != brk_small)
        free(brk);
    if (rc < 0) {
        s->nscopes = first;
        return rc;
    }
    s->ctx_at[i] = first + 1;
    s->ctx_n[i] = s->nscopes - first;
    *sc = s->scopes + first;
    *n = s->ctx_n[i];
    return 0;
}

const struct ctx_scope *context_blocker(const struct ctx_scope *sc, size_t n,
                                        uint32_t mask, size_t as, size_t ae)
{
    size_t i;

    for (i = 0; i < n; i++)
        if ((mask >> sc[i].mod & 1) && sc[i].start < ae && as < sc[i].end)
            return &sc[i];
    return NULL;
}
