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
 *      lettered list items, and the words above, except inside the
 *      lexicon's joins (an age in brackets: "SILK (27)");
 *   3. a trigger's scope holds the trigger itself ("to be viewed" blocks
 *      its own "viewed") and, for a before-trigger, reaches forward over
 *      at most `scope` words, never past a boundary; an after-trigger
 *      reaches back over at most
 *      `after_scope` words, never past a boundary, except that a dash or
 *      colon right before it is crossed ("H2H - not possible", "Intel:
 *      o/s");
 *   4. a section heading of a modifier ("Investigation plan:", "Actions
 *      outstanding -", or a label alone on its line), at the start of a
 *      line or a sentence, puts the rest of its section in scope: up to the
 *      next heading-like label ("Update:", "Rationale:"), a blank line, or
 *      the end of the entry; numbered, lettered and bulleted items
 *      ("- visit bail addr") are in the section, not titles that end it;
 *   5. pasted forms (see forms() below).
 *
 * Scopes are worked out for an entry the first time a rule asks about it
 * and kept for the rest of the record, so that however many rules and
 * concepts look at an entry its context is computed once.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define MAX_EVENTS 512 /* triggers read per entry; later ones are ignored */
#define FORM_LINES 64  /* lines of an entry whose fields forms() reads once */

/* Grow a size_t array to n (false: out of memory, a unchanged). */
static bool grow_sizes(size_t **a, size_t n)
{
    size_t *v = realloc(*a, n * sizeof(**a));

    if (!v)
        return false;
    *a = v;
    return true;
}

bool context_begin(struct engine_scratch *s, const struct log_entry *e,
                   size_t n)
{
    if (n > s->ctx_alloc) {
        size_t na = n < 16 ? 16 : n;
        struct lx_scan *v;
        struct lx_scan_rx *x;

        if (!grow_sizes(&s->ctx_at, na) || !grow_sizes(&s->ctx_n, na))
            return false;
        v = realloc(s->scans, na * sizeof(*v));
        if (!v)
            return false;
        s->scans = v;
        x = realloc(s->scan_rx, na * sizeof(*x));
        if (!x)
            return false;
        s->scan_rx = x;
        s->ctx_alloc = na;
    }
    if (n) {
        memset(s->ctx_at, 0, n * sizeof(*s->ctx_at));
        memset(s->scans, 0, n * sizeof(*s->scans));
    }
    s->nscopes = 0;
    s->nhits = 0;
    s->nevents = 0;
    s->npcand = 0;
    s->npterms = 0;
    s->ctx_entries = e;
    s->rx_on = false; /* the caller's prefilter pass may set it again */
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
 * right behind it; a modifier whose scope runs to the end of the sentence
 * crosses commas and dashes. */
enum { BK_NONE = 0, BK_HARD, BK_SOFT, BK_COMMA };

/*
 * Mark clause boundaries: brk[i] is BK_HARD or BK_SOFT where a boundary
 * starts at byte i.
 */
static void mark_breaks(const char *t, size_t len, unsigned char *brk)
{
    /* what a byte may be: a boundary by itself (MB_BREAK), the start of a
     * list item (MB_DIGIT, MB_LOWER at a line start), a blank or a line
     * end (which keep or start a line start) */
    enum { MB_BREAK = 1, MB_DIGIT = 2, MB_LOWER = 4, MB_SP = 8 };
#define MB_D4(c)                                                               \
    [c] = MB_DIGIT, [c + 1] = MB_DIGIT, [c + 2] = MB_DIGIT, [c + 3] = MB_DIGIT
#define MB_L4(c)                                                               \
    [c] = MB_LOWER, [c + 1] = MB_LOWER, [c + 2] = MB_LOWER, [c + 3] = MB_LOWER
    static const unsigned char mb[256] = {
        ['\n'] = MB_BREAK, [','] = MB_BREAK, [';'] = MB_BREAK,
        ['!'] = MB_BREAK,  ['?'] = MB_BREAK, ['('] = MB_BREAK,
        [')'] = MB_BREAK,  ['['] = MB_BREAK, [']'] = MB_BREAK,
        ['.'] = MB_BREAK,  [':'] = MB_BREAK, ['-'] = MB_BREAK,
        [0xE2] = MB_BREAK, [' '] = MB_SP,    ['\t'] = MB_SP,
        ['\r'] = MB_SP,    MB_D4('0'),       MB_D4('4'),
        ['8'] = MB_DIGIT,  ['9'] = MB_DIGIT, MB_L4('a'),
        MB_L4('e'),        MB_L4('i'),       MB_L4('m'),
        MB_L4('q'),        MB_L4('u'),       ['y'] = MB_LOWER,
        ['z'] = MB_LOWER};
#undef MB_D4
#undef MB_L4
    const unsigned char *u = (const unsigned char *)t;
    size_t i, dl;
    bool line_start = true;

    memset(brk, BK_NONE, len + 1);
    for (i = 0; i < len; i++) {
        unsigned char c = u[i], k = mb[c];

        /* most bytes: no boundary, no list item, not a blank */
        if (k == 0 || (k == MB_LOWER && !line_start)) {
            line_start = false;
            continue;
        }
        if (k & MB_BREAK) {
            switch (c) {
            case ',':
                brk[i] = BK_COMMA;
                break;
            case '\n':
            case ';':
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
        }
        /* "1." "2)" "a)" starting a list item, at a line start or after
         * white space (only a digit, or a letter at a line start, can) */
        if (((c >= '0' && c <= '9') || (line_start && c >= 'a' && c <= 'z')) &&
            (line_start || (i > 0 && is_sp(u[i - 1]))) && i + 2 < len) {
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

/* mark_breaks as first written, byte by byte (engine_limits.plain_scopes:
 * the reference the tests compare it with). */
static void mark_breaks_plain(const char *t, size_t len, unsigned char *brk)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i, dl;
    bool line_start = true;

    memset(brk, BK_NONE, len + 1);
    for (i = 0; i < len; i++) {
        unsigned char c = u[i];

        switch (c) {
        case ',':
            brk[i] = BK_COMMA;
            break;
        case '\n':
        case ';':
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

/* What a scope to the end of the sentence crosses: commas and dashes. */
static bool crossable(const char *t, size_t i, unsigned char kind)
{
    return kind == BK_COMMA || (kind == BK_SOFT && t[i] != ':');
}

/* Whether byte i is part of a word for counting a scope's words: a word
 * character, or a hyphen inside a word ("house-to-house" is one word). */
static bool in_word(const char *t, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)t;

    return is_word(u[i]) || (u[i] == '-' && i > 0 && i + 1 < len &&
                             is_word(u[i - 1]) && is_word(u[i + 1]));
}

/* End of a forward scope from `from`: at most n words, no boundary (with
 * sentence, none but the end of a sentence). */
static size_t reach_forward(const char *t, size_t len, const unsigned char *brk,
                            size_t from, int n, bool sentence)
{
    size_t i;
    int words = 0;
    bool in = false;

    for (i = from; i < len; i++) {
        /* a colon or dash right after the trigger is crossed ("Pls: ...") */
        if (brk[i] == BK_SOFT && words == 0)
            continue;
        if (brk[i] && !(sentence && crossable(t, i, brk[i])))
            return i;
        if (in_word(t, len, i)) {
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
static size_t reach_back(const char *t, size_t len, const unsigned char *brk,
                         size_t to, int n, bool sentence, bool cross)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i = to, start = to;
    int words = 0;
    bool in = false, crossed = false;

    while (i > 0) {
        i--;
        if (cross && brk[i] == BK_SOFT && !crossed && words == 0) {
            crossed = true;
            continue;
        }
        if (brk[i] && !(sentence && crossable(t, i, brk[i])))
            return start;
        if (in_word(t, len, i)) {
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

/* A hyphen inside a word of a label ("House-to-house (Mill Row):"), not
 * the spaced dash that may end one. */
static bool word_hyphen(const unsigned char *u, size_t i, size_t j, size_t len)
{
    return u[j] == '-' && j > i && j + 1 < len && u[j - 1] != ' ' &&
           u[j + 1] != ' ' && u[j + 1] != '\n';
}

/*
 * A heading-like label at i ("Investigation plan:", "Actions outstanding
 * -", "Custody checks (force + neighbouring):"): letters, spaces, hyphens
 * inside words and a few marks, up to 48 bytes, then ':' or a spaced dash.  Returns the label's length (0: none) and in *end the
 * position after the colon or dash.
 */
static size_t heading_at(const char *t, size_t len, size_t i, bool dash_ok,
                         bool alone_ok, size_t *end)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t j = i, lab;

    if (j >= len ||
        !((u[j] >= 'a' && u[j] <= 'z') || (u[j] >= 'A' && u[j] <= 'Z')))
        return 0;
    while (j < len && j - i < 48 &&
           ((u[j] >= 'a' && u[j] <= 'z') || (u[j] >= 'A' && u[j] <= 'Z') ||
            (u[j] >= '0' && u[j] <= '9') || u[j] == ' ' || u[j] == '/' ||
            u[j] == '&' || u[j] == '\'' || u[j] == '(' || u[j] == ')' ||
            u[j] == '+' || word_hyphen(u, i, j, len)))
        j++;
    lab = j;
    while (lab > i && u[lab - 1] == ' ')
        lab--;
    if (alone_ok && lab > i && (j >= len || u[j] == '\n' || u[j] == '\r')) {
        /* a label alone on its line ("INVESTIGATION PLAN") */
        *end = j;
        return lab - i;
    }
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
    size_t j = i, b;

    if (i == 0)
        return true;
    while (j > 0 && is_sp((unsigned char)t[j - 1]))
        j--;
    if (j == 0)
        return true;
    if (t[j - 1] == '\n')
        return true;
    /* after a sentence end, but not after a list number ("2. ") */
    if (j < i &&
        (t[j - 1] == '.' || t[j - 1] == ';' || t[j - 1] == '!' ||
         t[j - 1] == '?') &&
        !(j >= 2 && t[j - 1] == '.' && t[j - 2] >= '0' && t[j - 2] <= '9'))
        return true;
    /* after a spaced dash ("This needs more than a report - PC Gale to:") */
    if (j < i && j >= 2 && t[j - 1] == '-' && is_sp((unsigned char)t[j - 2]))
        return true;
    /* after a list bullet at a line start */
    b = bullet_before(t, j);
    return b && (j == b || t[j - b - 1] == '\n');
}

/* Whether i follows a list number ("2. ", "2) ", "(2) ") that starts a
 * line or follows a sentence end or a semicolon. */
static bool after_list_number(const char *t, size_t i)
{
    size_t j = i, d;

    while (j > 0 && is_sp((unsigned char)t[j - 1]))
        j--;
    if (j == i || j == 0 || (t[j - 1] != '.' && t[j - 1] != ')'))
        return false;
    d = --j;
    while (j > 0 && t[j - 1] >= '0' && t[j - 1] <= '9')
        j--;
    if (j == d || d - j > 2)
        return false;
    if (t[d] == ')' && j > 0 && t[j - 1] == '(')
        j--;
    while (j > 0 && is_sp((unsigned char)t[j - 1]))
        j--;
    return j == 0 || t[j - 1] == '\n' || t[j - 1] == '.' || t[j - 1] == ';' ||
           t[j - 1] == ':';
}

/* Whether i starts its line (after white space and bullets). */
static bool line_start(const char *t, size_t i)
{
    size_t b;

    while (i > 0) {
        if (is_sp((unsigned char)t[i - 1]))
            i--;
        else if ((b = bullet_before(t, i)) != 0)
            i -= b;
        else
            break;
    }
    return i == 0 || t[i - 1] == '\n';
}

/* Whether the label at i follows the heading ending at te with nothing
 * but blanks, a colon or a dash between ("c/f - Address checks: 9 Harrow
 * Rd visited"): it is the heading's first item, not a heading that ends
 * its section. */
static bool label_follows(const char *t, size_t te, size_t i)
{
    size_t dl;

    if (te > i)
        return false;
    while (te < i) {
        if (is_sp((unsigned char)t[te]) || t[te] == ':' || t[te] == '-')
            te++;
        else if (dash_at(t, i, te, &dl))
            te += dl;
        else
            return false;
    }
    return true;
}

/* Whether i follows a bullet (bullet_at, then a blank) that starts a
 * line, or is one. */
static bool after_bullet(const char *t, size_t len, size_t i)
{
    size_t j, b;

    while (i < len && is_sp((unsigned char)t[i]))
        i++; /* a title may be tried from the blank after the bullet */
    j = i;
    if ((b = bullet_at(t, len, i)) != 0 && i + b < len &&
        is_sp((unsigned char)t[i + b]) && line_start(t, i))
        return true;
    while (j > 0 && is_sp((unsigned char)t[j - 1]))
        j--;
    if (j == i || (b = bullet_before(t, j)) == 0)
        return false;
    j -= b;
    while (j > 0 && is_sp((unsigned char)t[j - 1]))
        j--;
    return j == 0 || t[j - 1] == '\n';
}

static bool caps_title(const char *t, size_t a, size_t b);

/*
 * The memo of labels and form values.  What the lexicon's heading,
 * placeholder and affirmation patterns say of a short stretch of text
 * depends on its bytes alone (every one is matched on the stretch as its
 * whole subject, so nothing before or after it is seen), so an answer is
 * kept, by the bytes, for the next time the same label or value turns up:
 * logs repeat their labels ("Update:", "Investigation plan:", "Rationale:")
 * and a pasted form's fields and placeholders.  Errors (a match limit)
 * are never kept.  Direct-mapped, a slot per hash, the newest answer
 * replacing an older one; cleared when the lexicon changes.
 */
#define MEMO_SLOTS 1024 /* a power of two */
#define MEMO_KEY 48     /* longer stretches are not kept */

enum { MK_NONE, MK_HEADING, MK_PLACEHOLDER, MK_AFFIRM, MK_AFFLABEL };

struct ctx_memo_slot {
    uint32_t hash;
    uint8_t kind, len;
    int8_t val;
    char key[MEMO_KEY];
};

struct ctx_memo {
    uint64_t serial; /* the lexicon's; 0: none yet */
    size_t asked, found;
    struct ctx_memo_slot slot[MEMO_SLOTS];
};

void context_memo_stats(const struct engine_scratch *s, size_t *asked,
                        size_t *found)
{
    *asked = s->cmemo ? s->cmemo->asked : 0;
    *found = s->cmemo ? s->cmemo->found : 0;
}

/* The slot for kind's answer on t[0, n), or NULL when none can be kept
 * (too long, no lexicon serial, out of memory); *hit says whether it holds
 * the answer already. */
static struct ctx_memo_slot *memo_slot(struct engine_scratch *s,
                                       const struct lexicon *lx, int kind,
                                       const char *t, size_t n, bool *hit)
{
    struct ctx_memo *m = s->cmemo;
    struct ctx_memo_slot *sl;
    uint32_t h = 2166136261u ^ (uint32_t)kind;
    size_t i;

    *hit = false;
    if (n > MEMO_KEY || !lx->serial || s->lim.plain_scopes)
        return NULL;
    if (!m) {
        m = s->cmemo = calloc(1, sizeof(*m));
        if (!m)
            return NULL;
    }
    if (m->serial != lx->serial) {
        memset(m->slot, 0, sizeof(m->slot));
        m->serial = lx->serial;
    }
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)t[i]) * 16777619u;
    h ^= (uint32_t)n << 24;
    sl = &m->slot[(h ^ h >> 15) & (MEMO_SLOTS - 1)];
    m->asked++;
    if (sl->kind == kind && sl->hash == h && sl->len == n &&
        memcmp(sl->key, t, n) == 0) {
        m->found++;
        *hit = true;
    }
    sl->hash = h; /* the caller's answer replaces what was there */
    return sl;
}

/* Keep val as the slot's answer for t[0, n) (val not an error). */
static void memo_put(struct ctx_memo_slot *sl, int kind, const char *t,
                     size_t n, int val)
{
    if (!sl)
        return;
    if (val < -1) { /* an error: not kept, and the slot holds nothing */
        sl->kind = MK_NONE;
        return;
    }
    sl->kind = (uint8_t)kind;
    sl->len = (uint8_t)n;
    sl->val = (int8_t)val;
    memcpy(sl->key, t, n);
}

/* pcre2_match of re on t[0, len), text already checked as UTF-8: by the
 * JIT's own entry point, which skips pcre2_match's checks (the
 * interpreter when re has no JIT code). */
int engine_text_match(struct engine_scratch *s, const pcre2_code *re,
                      const char *t, size_t len)
{
    return engine_match_valid(re, t, len, 0, s->md, s->mctx);
}

/* Whether [i, hend) is a "Label:" at its line's start. */
static bool at_line_field(const char *t, size_t i, size_t hend)
{
    return hend > i && t[hend - 1] == ':' && line_start(t, i);
}

/* Whether the form value t[a, b) begins with an affirmation: 1, 0, or a
 * PCRE2 error code. */
static int memo_match(struct engine_scratch *s, const struct lexicon *lx,
                      int kind, const struct pattern *p, const char *t,
                      size_t a, size_t b);

static int affirms(struct engine_scratch *s, const struct lexicon *lx,
                   const char *t, size_t a, size_t b)
{
    return memo_match(s, lx, MK_AFFIRM, &lx->affirmations, t, a, b);
}

/* The modifier whose headings match t[i, i + n), or -1; a PCRE2 error
 * code (< -1) on a match limit.  A note in brackets after the words is
 * not part of the heading ("INVESTIGATION PLAN (Student Officer - for
 * tutor check)" is the heading "INVESTIGATION PLAN"). */
static size_t before_bracket(const char *t, size_t i, size_t n);

static int heading_class(struct engine_scratch *s, const struct lexicon *lx,
                         const char *t, size_t i, size_t n)
{
    struct lx_set may;
    struct ctx_memo_slot *sl;
    size_t k;
    bool hit;
    int rc = -1;

    n = before_bracket(t, i, n);
    sl = memo_slot(s, lx, MK_HEADING, t + i, n, &hit);
    if (hit)
        return sl->val;
    if (lx->headings_pf) {
        prefilter_scan_set(lx->headings_pf, t + i, n, &may);
        lx_set_or(&may, &lx->headings_always);
    } else {
        memset(&may, 0xFF, sizeof(may));
    }
    for (k = 0; k < lx->nmods; k++) {
        if (!lx->mods[k].headings.code || !lx_set_has(&may, k))
            continue; /* none, or none of their literals is in the label */
        rc = engine_text_match(s, lx->mods[k].headings.code, t + i, n);
        if (rc >= 0) {
            rc = (int)k;
            break;
        }
        if (rc != PCRE2_ERROR_NOMATCH) {
            rc = rc < -1 ? rc : -2;
            break;
        }
        rc = -1;
    }
    memo_put(sl, MK_HEADING, t + i, n, rc);
    return rc;
}

/* The end of t's line holding i (its '\n' or len). */
static size_t line_end(const char *t, size_t len, size_t i)
{
    const char *nl = i < len ? memchr(t + i, '\n', len - i) : NULL;

    return nl ? (size_t)(nl - t) : i < len ? len : i;
}

static int forms_match(struct engine_scratch *s, const struct pattern *p,
                       const char *t, size_t a, size_t b);

/* The length of t[i, i + n) before a note in brackets, blanks trimmed,
 * or n when it has none or is all note ("INVESTIGATION PLAN (Student
 * Officer" gives the length of "INVESTIGATION PLAN"). */
static size_t before_bracket(const char *t, size_t i, size_t n)
{
    const char *br = memchr(t + i, '(', n);
    size_t m;

    if (!br)
        return n;
    m = (size_t)(br - (t + i));
    while (m && t[i + m - 1] == ' ')
        m--;
    return m ? m : n;
}

/* Whether the line t[i, le) ends with a closing bracket. */
static bool ends_bracketed(const char *t, size_t i, size_t le)
{
    while (le > i && is_sp((unsigned char)t[le - 1]))
        le--;
    return le > i && t[le - 1] == ')';
}

/* Whether a list item's marker ("a) ", "(1) ", "12) ", "(iv) ") begins
 * at p. */
static bool list_item_at(const char *t, size_t len, size_t p)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t q;

    if (p < len && u[p] == '(')
        p++;
    q = p;
    while (q < len && q - p < 4 &&
           ((u[q] >= '0' && u[q] <= '9') || (u[q] >= 'a' && u[q] <= 'z') ||
            (u[q] >= 'A' && u[q] <= 'Z')))
        q++;
    if (q == p || q + 1 >= len || u[q] != ')' || !is_sp(u[q + 1]))
        return false;
    if (q - p == 1)
        return true; /* "a) ", "7) " */
    /* two to four: a number or a roman numeral */
    for (; p < q; p++)
        if (!((u[p] >= '0' && u[p] <= '9') || strchr("ivxIVX", u[p])))
            return false;
    return true;
}

/* Whether a list numbered from 1 or a begins at p, past blanks and one
 * line break: "(1) ", "1) ", "1. ", "a) ", "(a) ". */
static bool list_follows(const char *t, size_t len, size_t p)
{
    const unsigned char *u = (const unsigned char *)t;
    bool nl = false;

    while (p < len && (is_sp(u[p]) || (u[p] == '\n' && !nl))) {
        nl = nl || u[p] == '\n';
        p++;
    }
    if (p < len && u[p] == '(')
        p++;
    if (p + 2 >= len)
        return false;
    if (u[p] == '1' && (u[p + 1] == ')' || u[p + 1] == '.'))
        return is_sp(u[p + 2]);
    if ((u[p] == 'a' || u[p] == 'A') && u[p + 1] == ')')
        return is_sp(u[p + 2]);
    return false;
}

/* The modifier with lists: true when the label t[i, i + n), in running
 * text (not at its line's start) and ending in a colon at hend, stands
 * over a numbered list and holds none of the lists_except words
 * ("Strategy: (1) ABE interview ... (2) PNC checks"); -1 when not; a
 * PCRE2 error code (< -1) on a match limit. */
static int list_heading(struct engine_scratch *s, const struct lexicon *lx,
                        const char *t, size_t len, size_t i, size_t n,
                        size_t hend)
{
    const struct modifier *m;
    int rc;

    if (lx->lists_mod < 0 || t[hend - 1] != ':' || line_start(t, i) ||
        !list_follows(t, len, hend))
        return -1;
    m = &lx->mods[lx->lists_mod];
    if (m->lists_except.code) {
        rc = engine_text_match(s, m->lists_except.code, t + i, n);
        if (rc >= 0)
            return -1;
        if (rc != PCRE2_ERROR_NOMATCH)
            return rc < -1 ? rc : -2;
    }
    if (lx->affirmed_label.code) {
        rc = forms_match(s, &lx->affirmed_label, t, i, i + n);
        if (rc != 0)
            return rc < 0 ? rc : -1;
    }
    return lx->lists_mod;
}

/* The items on a heading's own line, after commas or semicolons
 * ("Suspect actions: PNC check - done (prev 2020), intel check - done,
 * address visit - TBC"): one that records its own result, as an item on
 * a line of its own may, is out of the section; *from, where the
 * section's scope resumes, moves past it. Brackets hold no item break. */
static int inline_items(struct engine_scratch *s, const struct lexicon *lx,
                        const char *t, size_t len, uint16_t mod, size_t *from,
                        size_t ts, size_t te)
{
    size_t le = line_end(t, len, *from), a = *from, j;
    int depth = 0;
    bool listed = false;

    if (!lx->item_done.code)
        return 0;
    for (j = *from; j <= le; j++) {
        int rc;

        if (j < le) {
            if (t[j] == '(' || t[j] == '[')
                depth++;
            else if ((t[j] == ')' || t[j] == ']') && depth > 0)
                depth--;
            if (depth > 0 || (t[j] != ',' && t[j] != ';'))
                continue;
            listed = true;
        } else if (!listed) {
            /* a line without a break is one item, which the section
             * holds whole ("Plan: 1. H2H 2. CCTV - done") */
            break;
        }
        rc = forms_match(s, &lx->item_done, t, a, j);
        if (rc < 0)
            return rc;
        if (rc > 0) {
            if (!push_scope(s, mod, *from, a, ts, te))
                return -1;
            *from = j;
        }
        a = j + 1;
    }
    return 0;
}

/* The modifier whose section the heading t[i, i + lab), its label ending
 * at hend and its line at le, opens: -1 for none, or a PCRE2 error code
 * (< -1).  With no section open (none_open), any label over a numbered
 * list may (list_heading); a heading whose own value begins with a result
 * ("Trace actions: visited 2 Forge Cott - no reply") records it, as a
 * field under a plan title does, and opens nothing. */
static int section_class(struct engine_scratch *s, const struct lexicon *lx,
                         const char *t, size_t len, size_t i, size_t lab,
                         size_t hend, size_t le, bool alone, bool none_open)
{
    int k = heading_class(s, lx, t, i, lab), a;

    if (k < -1)
        return k;
    if (k == -1 && none_open &&
        (k = list_heading(s, lx, t, len, i, lab, hend)) < -1)
        return k;
    if (k >= 0 && none_open && !alone && t[hend - 1] == ':') {
        if ((a = affirms(s, lx, t, hend, le)) < 0)
            return a;
        if (a)
            return -1;
    }
    return k;
}

static int sections(struct engine_scratch *s, const struct lexicon *lx,
                    const char *t, size_t len)
{
    size_t i, hend = 0;
    int open = -1;       /* modifier whose section is open */
    bool titled = false; /* opened by a title alone on its line */
    size_t open_from = 0, open_ts = 0, open_te = 0;
    size_t nl_from = 1, nl = 0; /* line_end of every place in [nl_from, nl] */
    bool plain = s->lim.plain_scopes;

    /* the bytes after which a heading or a numbered item may begin: a
     * blank, a line end, or the last byte of a bullet (bullet_before) */
    static const bool opens[256] = {
        [' '] = true, ['\t'] = true, ['\r'] = true, ['\n'] = true,
        ['-'] = true, ['*'] = true,  ['>'] = true,  [0xa2] = true};

    for (i = 0; i <= len; i++) {
        size_t lab = 0, le = 0;
        bool blank_line = false, alone = false, cand;
        int k;

        /* heading_place and after_list_number hold only after a blank, a
         * line end, a bullet or at the start; a place that is none of
         * these nor a line end changes nothing: skip to the next that may */
        if (!plain && i > 0)
            while (i < len && t[i] != '\n' && !opens[(unsigned char)t[i - 1]])
                i++;
        cand = plain || i == 0 || opens[(unsigned char)t[i - 1]];

        if (i < len && t[i] == '\n') {
            size_t j = i + 1;
            while (j < len && is_sp((unsigned char)t[j]))
                j++;
            blank_line = j < len && t[j] == '\n';
        }
        if (i < len && !blank_line && cand && heading_place(t, i)) {
            bool at_line = line_start(t, i);

            lab = heading_at(t, len, i, true, at_line, &hend);
            if (plain || i < nl_from || i > nl) {
                nl_from = i;
                nl = line_end(t, len, i);
            }
            le = nl;
            /* a title: a label with nothing after it on its line, or an
             * ALL-CAPS line with dashes ("FRAUD - INVESTIGATION PLAN") */
            if (lab && at_line && hend == le)
                alone = true;
            else if (lab && at_line && t[hend - 1] != ':' &&
                     before_bracket(t, i, lab) < lab &&
                     ends_bracketed(t, i, le)) {
                /* "INVESTIGATION PLAN (Student Officer - for tutor
                 * check)": a title with a note in brackets; not "Label:
                 * value (note)" */
                lab = before_bracket(t, i, lab);
                hend = le;
                alone = true;
            } else if (at_line && caps_title(t, i, le)) {
                lab = le - i;
                hend = le;
                alone = true;
            }
        } else if (i < len && !blank_line && open < 0 && cand &&
                   after_list_number(t, i)) {
            /* a numbered item that is one of the headings ("2. Actions:
             * H2H at no.14; intel check") opens its section; other
             * numbered labels ("1. CCTV: viewed") are items, and end
             * nothing */
            size_t h2;
            size_t l2 = heading_at(t, len, i, false, false, &h2);

            if (l2 && t[h2 - 1] == ':') {
                int c = heading_class(s, lx, t, i, l2);

                if (c < -1)
                    return c;
                if (c >= 0) {
                    lab = l2;
                    hend = h2;
                    le = line_end(t, len, i);
                }
            }
        }
        /* "a) PNC keeper check", "(1) ABE" at a line's start is an item
         * of a list, not a title; "2) Actions:" is tried after its number */
        if (lab && list_item_at(t, len, i))
            lab = 0;
        /* "- visit bail addr" under "Still to do:" is an item of its list,
         * not a title that ends it; "- Actions:" is still a heading */
        if (lab && t[hend - 1] != ':' && after_bullet(t, len, i))
            lab = 0;
        /* a label with a dash in mid-line ("...; CCTV - doorbell cams")
         * is an item of the list, not a heading that ends it */
        if (lab && !line_start(t, i) && !alone && t[hend - 1] != ':')
            lab = 0;
        if (open >= 0 &&
            (i == len || blank_line ||
             (lab && (!titled || alone) && !label_follows(t, open_te, i)))) {
            if (!push_scope(s, (uint16_t)open, open_from, i, open_ts, open_te))
                return -1;
            open = -1;
        }
        if (open >= 0 && i < len && t[i] == '\n' && lx->item_done.code) {
            /* an item of the section that records its own result ("3.
             * ANPR on the VRM [done - 2 hits]") is out of it */
            size_t ls = i + 1, lend = line_end(t, len, i + 1);
            int rc = forms_match(s, &lx->item_done, t, ls, lend);

            if (rc < 0)
                return rc;
            if (rc > 0) {
                if (!push_scope(s, (uint16_t)open, open_from, ls, open_ts,
                                open_te))
                    return -1;
                open_from = lend;
            }
        }
        if (!lab)
            continue;
        if ((k = section_class(s, lx, t, len, i, lab, hend, le, alone,
                               open < 0)) < -1)
            return k;
        if (k >= 0 && open < 0) {
            open = k;
            titled = alone;
            open_from = hend;
            open_ts = i;
            open_te = i + lab;
            if (!alone && (k = inline_items(s, lx, t, len, (uint16_t)k,
                                            &open_from, i, i + lab)) < 0)
                return k;
        } else if (open >= 0 && titled && at_line_field(t, i, hend) &&
                   ((k = affirms(s, lx, t, hend, line_end(t, len, i))) != 0 ||
                    (k = context_affirmed_label(s, lx, t, i, i + lab)) != 0)) {
            /* "CCTV: Collected and viewed", "Checks done: PNC - 1 x
             * caution" under a plan title record a result: the section
             * resumes after its line */
            size_t lend = line_end(t, len, i);

            if (k < 0)
                return k;
            if (!push_scope(s, (uint16_t)open, open_from, i, open_ts, open_te))
                return -1;
            open_from = lend;
            hend = lend;
        }
        i = hend - 1;
    }
    return 0;
}

static bool caps_title(const char *t, size_t a, size_t b)
{
    size_t i;
    bool upper = false;

    if (b - a > 60)
        return false;
    for (i = a; i < b; i++) {
        char c = t[i];

        if (c >= 'a' && c <= 'z')
            return false;
        if (c == '.' || c == ',' || c == ';' || c == ':')
            return false;
        if (c >= 'A' && c <= 'Z')
            upper = true;
    }
    return upper;
}

/* A form field on the line [ls, le): past blanks, bullets and a list
 * number, "Label: value".  Returns the label's length (0: none), with its
 * start in *i and the colon's end in *hend. */
static size_t field_at(const char *t, size_t ls, size_t le, size_t *i,
                       size_t *hend)
{
    size_t p = ls;

    while (p < le) {
        size_t b = bullet_at(t, le, p);

        if (b)
            p += b;
        else if (is_sp((unsigned char)t[p]))
            p++;
        else
            break;
    }
    if (p < le && t[p] >= '0' && t[p] <= '9') {
        size_t q = p;
        while (q < le && t[q] >= '0' && t[q] <= '9')
            q++;
        if (q < le && (t[q] == '.' || t[q] == ')')) {
            p = q + 1;
            while (p < le && is_sp((unsigned char)t[p]))
                p++;
        }
    }
    *i = p;
    return heading_at(t, le, p, false, false, hend);
}

/* Whether pattern p matches t[a, b) (anchored as compiled); -1: error. */
static int forms_match(struct engine_scratch *s, const struct pattern *p,
                       const char *t, size_t a, size_t b)
{
    int rc;

    if (!p->code)
        return 0;
    rc = engine_text_match(s, p->code, t + a, b - a);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
}

/* forms_match of p, one of lx's, as kind of the memo. */
static int memo_match(struct engine_scratch *s, const struct lexicon *lx,
                      int kind, const struct pattern *p, const char *t,
                      size_t a, size_t b)
{
    struct ctx_memo_slot *sl;
    bool hit;
    int rc;

    if (!p->code)
        return 0;
    sl = memo_slot(s, lx, kind, t + a, b - a, &hit);
    if (hit)
        return sl->val;
    rc = forms_match(s, p, t, a, b);
    memo_put(sl, kind, t + a, b - a, rc < 0 ? -2 : rc);
    return rc;
}

static int affirmed_label(struct engine_scratch *s, const struct lexicon *lx,
                          const char *t, size_t a, size_t b);

int context_affirmed_label(struct engine_scratch *s, const struct lexicon *lx,
                           const char *t, size_t a, size_t b)
{
    struct ctx_memo_slot *sl;
    bool hit;
    int rc;

    if (!lx->affirmed_label.code)
        return 0;
    sl = memo_slot(s, lx, MK_AFFLABEL, t + a, b - a, &hit);
    if (hit)
        return sl->val;
    rc = affirmed_label(s, lx, t, a, b);
    memo_put(sl, MK_AFFLABEL, t + a, b - a, rc < 0 ? -2 : rc);
    return rc;
}

/* context_affirmed_label, worked out. */
static int affirmed_label(struct engine_scratch *s, const struct lexicon *lx,
                          const char *t, size_t a, size_t b)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t e = b, i, k;

    if (!lx->affirm_tails_ok || s->lim.no_starts)
        return forms_match(s, &lx->affirmed_label, t, a, b);
    for (i = a; i < b; i++)
        if (u[i] >= 0x80)
            return forms_match(s, &lx->affirmed_label, t, a, b);
    /* a match ends at the last byte before the blanks at the end (\s*$),
     * in a word character, with the last word of an affirmation */
    while (e > a && (u[e - 1] == ' ' || (u[e - 1] >= '\t' && u[e - 1] <= '\r')))
        e--;
    for (k = 0; k < lx->naffirm_tails; k++) {
        const char *w = lx->affirm_tails[k];
        size_t n = strlen(w);

        if (n > e - a)
            continue;
        for (i = 0; i < n; i++) {
            unsigned char c = u[e - n + i];

            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)w[i])
                break;
        }
        if (i == n)
            return forms_match(s, &lx->affirmed_label, t, a, b);
    }
    return 0;
}

/*
 * A result field answers for the field on the line above it (forms.results):
 * a trigger of a modifier in result_reach within the result's value [vs,
 * ve) puts the value above, [ps, pe), in that modifier's scope too, with
 * the same trigger ("Action: PNC circulation / Result: Request sent to
 * PNC bureau - awaiting confirmation").  The triggers' scopes are those of
 * this entry, from first on.
 */
static int result_reach(struct engine_scratch *s, const struct lexicon *lx,
                        const char *t, size_t first, size_t lab_s, size_t lab_e,
                        size_t vs, size_t ve, size_t ps, size_t pe)
{
    size_t k, n = s->nscopes;
    int rc = -2;

    for (k = first; k < n; k++) {
        const struct ctx_scope c = s->scopes[k];

        if (!(lx->result_reach >> c.mod & 1) || c.tstart < vs || c.tend > ve ||
            c.tstart == c.tend)
            continue;
        if (rc == -2 &&
            (rc = forms_match(s, &lx->result_label, t, lab_s, lab_e)) < 0)
            return rc;
        if (rc == 0)
            return 0;
        if (!push_scope(s, c.mod, ps, pe, c.tstart, c.tend))
            return -1;
    }
    return 0;
}

/*
 * Pasted forms.  A line "Label: value" whose value is empty or begins with
 * a placeholder ("[ ]", "to follow", "N/A - ...") is wholly in scope of
 * the lexicon's forms modifier.  In an entry with two or more such lines (a
 * form), a label is in scope itself unless it or its value affirms
 * ("Investigation reviewed: Yes", "PNC check completed: ..."), so that
 * pre-printed words ("Rationale for screening agreed:") never count; and
 * an ALL-CAPS title above fields that are all empty is in scope too.
 */
static int forms(struct engine_scratch *s, const struct lexicon *lx,
                 const char *t, size_t len, size_t first)
{
    size_t ls, nfields = 0, title_s = 0, title_e = 0, under = 0, line;
    size_t prev_hend = 0, prev_le = 0; /* the field above, when prev_le */
    size_t lines = FORM_LINES;
    bool in_title = false, title_empty = true;
    /* the first lines' ends and fields, from the count for the pass that
     * judges them */
    struct {
        uint32_t le, i, hend, lab;
    } seen[FORM_LINES];
    int rc;

    if (lx->forms_mod < 0 || !lx->placeholders.code)
        return 0;
    if (s->lim.plain_scopes)
        lines = 0; /* every line read twice */
    for (ls = 0, line = 0; ls < len; line++) {
        size_t le = line_end(t, len, ls), i = 0, hend = 0;
        size_t lab = field_at(t, ls, le, &i, &hend);

        if (lab)
            nfields++;
        if (line < lines) {
            seen[line].le = (uint32_t)le;
            seen[line].i = (uint32_t)i;
            seen[line].hend = (uint32_t)hend;
            seen[line].lab = (uint32_t)lab;
        }
        ls = le + 1;
    }
    for (ls = 0, line = 0; ls <= len; line++) {
        size_t le = len, i = 0, hend = 0, lab = 0;
        bool empty = false;

        if (ls < len && line < lines) {
            le = seen[line].le;
            i = seen[line].i;
            hend = seen[line].hend;
            lab = seen[line].lab;
        } else if (ls < len) {
            le = line_end(t, len, ls);
            lab = field_at(t, ls, le, &i, &hend);
        }

        if (lab && prev_le && lx->result_reach && lx->result_label.code &&
            (rc = result_reach(s, lx, t, first, i, i + lab, hend, le, prev_hend,
                               prev_le)) != 0)
            return rc;
        prev_le = lab ? le : 0;
        prev_hend = hend;
        if (lab) {
            rc = memo_match(s, lx, MK_PLACEHOLDER, &lx->placeholders, t, hend,
                            le);
            if (rc < 0)
                return rc;
            empty = rc == 1;
            if (empty) {
                if (!push_scope(s, (uint16_t)lx->forms_mod, ls, le, i, le))
                    return -1;
            } else if (nfields >= 2) {
                int affirmed = memo_match(s, lx, MK_AFFIRM, &lx->affirmations,
                                          t, hend, le);
                int done = context_affirmed_label(s, lx, t, i, i + lab);

                if (affirmed < 0 || done < 0)
                    return affirmed < 0 ? affirmed : done;
                if (!affirmed && !done &&
                    !push_scope(s, (uint16_t)lx->forms_mod, i, hend, i, hend))
                    return -1;
            }
            if (in_title) {
                under++;
                if (!empty)
                    title_empty = false;
            }
        }
        if (!lab || ls >= len) {
            /* a title's fields end: block it when none was filled */
            if (in_title && title_empty && under > 0 &&
                !push_scope(s, (uint16_t)lx->forms_mod, title_s, title_e,
                            title_s, title_e))
                return -1;
            in_title = false;
            if (ls < len) {
                size_t p = ls;
                while (p < le && is_sp((unsigned char)t[p]))
                    p++;
                if (le > p && caps_title(t, p, le)) {
                    in_title = true;
                    title_empty = true;
                    under = 0;
                    title_s = p;
                    title_e = le;
                }
            }
        }
        if (ls >= len)
            break;
        ls = le + 1 < len ? le + 1 : len; /* the end closes a last title */
    }
    return 0;
}

int context_scopes(struct engine_scratch *s, const struct lexicon *lx, size_t i,
                   const struct ctx_scope **sc, size_t *n)
{
    const struct log_entry *e = &s->ctx_entries[i];
    const char *t = e->text ? e->text : "";
    size_t len = e->text ? e->text_len : 0, first = s->nscopes;
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
    if (s->lim.plain_scopes)
        mark_breaks_plain(t, len, brk);
    else
        mark_breaks(t, len, brk);
    /* 1. triggers, pseudo-triggers and clause-ending words */
    {
        const struct lx_event *lev;
        size_t ne2;

        rc = lexscan_events(s, lx, i, &lev, &ne2);
        if (rc < 0)
            goto out;
        for (k = 0; k < ne2 && nev < MAX_EVENTS; k++) {
            ev[nev].s = lev[k].s;
            ev[nev].e = lev[k].e;
            ev[nev].kind = lev[k].kind == LXK_BEFORE  ? 'b'
                           : lev[k].kind == LXK_AFTER ? 'a'
                           : lev[k].kind == LXK_BOTH  ? 'c'
                           : lev[k].kind == LXK_BREAK ? 'k'
                           : lev[k].kind == LXK_JOIN  ? 'j'
                                                      : 'p';
            ev[nev].idx = lev[k].idx;
            if (ev[nev].kind == 'k')
                brk[ev[nev].s] = BK_HARD;
            nev++;
        }
        /* a join holds no clause end: "Jordan SILK (27) checks her
         * phone" is one clause */
        for (k = 0; k < nev; k++)
            if (ev[k].kind == 'j')
                memset(brk + ev[k].s, BK_NONE, ev[k].e - ev[k].s);
    }
    /* 2. scopes of the triggers */
    for (k = 0; k < nev; k++) {
        const struct modifier *m;
        size_t a, b;

        if (ev[k].kind != 'b' && ev[k].kind != 'a' && ev[k].kind != 'c')
            continue;
        if (ev[k].idx >= lx->nmods)
            continue;
        m = &lx->mods[ev[k].idx];
        if (ev[k].kind == 'c') { /* both ways */
            /* both ways: a status alone after a dash or colon reaches back
             * over it, as an after-trigger does ("H2H - outstanding", "H2H
             * - not yet, rest days"); a result that goes on does not
             * ("spoken to - was not able to help") */
            size_t j = ev[k].e;

            while (j < len && is_sp((unsigned char)t[j]))
                j++;
            a = reach_back(t, len, brk, ev[k].s, m->after_scope, m->sentence,
                           j >= len || t[j] == '\n' || brk[j] != 0);
            b = reach_forward(t, len, brk, ev[k].e, m->before_scope,
                              m->sentence);
            if (!push_scope(s, ev[k].idx, a, b, ev[k].s, ev[k].e)) {
                rc = PCRE2_ERROR_NOMEMORY;
                goto out;
            }
            continue;
        }
        /* the trigger itself is in scope: "to be viewed" holds the very
         * word it blocks */
        if (ev[k].kind == 'b') {
            a = ev[k].s;
            b = reach_forward(t, len, brk, ev[k].e, m->before_scope,
                              m->sentence);
        } else {
            b = ev[k].e;
            a = reach_back(t, len, brk, ev[k].s, m->after_scope, m->sentence,
                           true);
        }
        if (!push_scope(s, ev[k].idx, a, b, ev[k].s, ev[k].e)) {
            rc = PCRE2_ERROR_NOMEMORY;
            goto out;
        }
    }
    /* 3. sections under a modifier's heading, 4. pasted forms */
    rc = sections(s, lx, t, len);
    if (rc == 0)
        rc = forms(s, lx, t, len, first);
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

/* Whether [lo, hi) and [s, e) share a byte. */
static bool meets(size_t lo, size_t hi, size_t s, size_t e)
{
    return lo < hi && lo < e && s < hi;
}

const struct ctx_scope *context_blocker_pair(const struct ctx_scope *sc,
                                             size_t n, uint32_t mask, size_t as,
                                             size_t ae, size_t s, size_t e)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const struct ctx_scope *c = &sc[i];

        /* the done word, or the scope beyond its trigger (a section's
         * heading lies outside its scope): [start, tstart) and [tend,
         * end), clipped to it */
        if ((mask >> c->mod & 1) &&
            (meets(c->start, c->end, as, ae) ||
             meets(c->start, c->tstart < c->end ? c->tstart : c->end, s, e) ||
             meets(c->tend > c->start ? c->tend : c->start, c->end, s, e)))
            return c;
    }
    return NULL;
}
