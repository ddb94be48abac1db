/* SPDX-License-Identifier: MIT */
/*
 * A literal prefilter in front of PCRE2.  For each entry pattern (regex or
 * words) the loader derives a set of literals such that every possible
 * match contains at least one of them, e.g. `\bscreened\s+out\b | NFA`
 * gives {screened, nfa}.  While evaluating a record, one pass over each log
 * entry finds which patterns' literals occur in it (for all the rules of
 * the record's type at once); a pattern none of whose literals occur cannot
 * match that entry, and PCRE2 is not run on it.  PCRE2 remains the only
 * judge of a match: the prefilter can only say "cannot match".
 *
 * Soundness rests on three rules.  (1) The pattern analysis understands a
 * conservative subset of PCRE2 syntax (literals, escapes, classes,
 * groups, alternation, quantifiers, (?x) comments, assertions) and gives
 * up on anything else (back references, recursion, conditionals,
 * backtracking verbs, callouts, \x and octal escapes, odd braces): no
 * literals, no filtering.  (2) Literals and text are compared in ASCII
 * lower case, which over-approximates both caseless and case-sensitive
 * matching; an entry holding any byte >= 0x80 is not filtered at all, since
 * Unicode caseless matching lets ASCII letters match other characters
 * (k: U+212A KELVIN SIGN, s: U+017F LONG S).  (3) Character classes count
 * as literals only when small, and every zero-width item (\b, ^, $,
 * lookarounds) counts as the empty string, which constrains nothing.
 * Literals shorter than two bytes do not filter (the scan keys on pairs).
 *
 * A consequence worth stating: an entry that cannot contain a match is no
 * longer given to PCRE2, so it can no longer hit a match limit on it (the
 * verdict is the one PCRE2 would reach with unlimited resources).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define SET_MAX 64   /* strings in an exact set */
#define NEED_MAX 256 /* literals in a need set */
#define LIT_MAX 40   /* bytes of an exact string */
#define CLASS_MAX 8  /* members of a class taken as alternatives */
#define DEPTH_MAX 64
#define BITS_MAX 64 /* prefiltered patterns per record type: word 0 */
#define LEX_BIT0 64 /* the lexicon's regex items: bits 64 + i */
#define PF_WORDS (1 + LX_SET_WORDS) /* words of bits: the rules', the items' */

/* ---- string sets ---- */

struct sset {
    char **v;
    size_t n;
};

static void sset_free(struct sset *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    free(s);
}

static struct sset *sset_new(void)
{
    return calloc(1, sizeof(struct sset));
}

static bool sset_has(const struct sset *s, const char *str, size_t len)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (strlen(s->v[i]) == len && memcmp(s->v[i], str, len) == 0)
            return true;
    return false;
}

/* Add a copy (lower-cased by the caller); 0, or -1 out of memory. */
static int sset_add(struct sset *s, const char *str, size_t len)
{
    char **v, *d;

    if (sset_has(s, str, len))
        return 0;
    v = realloc(s->v, (s->n + 1) * sizeof(*v));
    if (!v)
        return -1;
    s->v = v;
    d = malloc(len + 1);
    if (!d)
        return -1;
    memcpy(d, str, len);
    d[len] = '\0';
    s->v[s->n++] = d;
    return 0;
}

static struct sset *sset_of(const char *str, size_t len)
{
    struct sset *s = sset_new();

    if (s && sset_add(s, str, len) != 0) {
        sset_free(s);
        return NULL;
    }
    return s;
}

static struct sset *sset_copy(const struct sset *a)
{
    struct sset *s;
    size_t i;

    if (!a)
        return NULL;
    s = sset_new();
    for (i = 0; s && i < a->n; i++)
        if (sset_add(s, a->v[i], strlen(a->v[i])) != 0) {
            sset_free(s);
            return NULL;
        }
    return s;
}

/* a U b into a (b untouched); -1 when it would pass max or no memory. */
static int sset_union(struct sset *a, const struct sset *b, size_t max)
{
    size_t i;

    for (i = 0; i < b->n; i++) {
        if (a->n >= max && !sset_has(a, b->v[i], strlen(b->v[i])))
            return -1;
        if (sset_add(a, b->v[i], strlen(b->v[i])) != 0)
            return -1;
    }
    return 0;
}

/* Every a.b; NULL when too many or too long (or no memory). */
static struct sset *sset_product(const struct sset *a, const struct sset *b)
{
    struct sset *s;
    size_t i, j;
    char buf[2 * LIT_MAX + 1];

    if (a->n * b->n > SET_MAX)
        return NULL;
    s = sset_new();
    if (!s)
        return NULL;
    for (i = 0; i < a->n; i++)
        for (j = 0; j < b->n; j++) {
            size_t la = strlen(a->v[i]), lb = strlen(b->v[j]);

            if (la + lb > LIT_MAX) {
                sset_free(s);
                return NULL;
            }
            memcpy(buf, a->v[i], la);
            memcpy(buf + la, b->v[j], lb);
            if (sset_add(s, buf, la + lb) != 0) {
                sset_free(s);
                return NULL;
            }
        }
    return s;
}

/* How much a set filters: the shortest literal first, then fewer
 * literals; -1 for no constraint (NULL, empty, or holding ""). */
static long sset_score(const struct sset *s)
{
    size_t i, min = (size_t)-1;

    if (!s || s->n == 0)
        return -1;
    for (i = 0; i < s->n; i++)
        if (strlen(s->v[i]) < min)
            min = strlen(s->v[i]);
    if (min == 0)
        return -1;
    if (min > 8)
        min = 8; /* long enough: prefer fewer literals beyond this */
    return (long)min * 1000 - (long)(s->n > 999 ? 999 : s->n);
}

/* ---- pattern analysis ---- */

/* What a pattern piece can match: exact (all its matches, NULL when
 * unknown) and need (a set one of which every match contains, NULL when
 * nothing is known). */
struct pfi {
    struct sset *exact;
    struct sset *need;
};

static void pfi_release(struct pfi *f)
{
    sset_free(f->exact);
    sset_free(f->need);
    f->exact = f->need = NULL;
}

/* Keep in *best the better of *best and a copy of cand. */
static void consider(struct sset **best, const struct sset *cand)
{
    struct sset *c;

    if (sset_score(cand) <= sset_score(*best))
        return;
    c = sset_copy(cand);
    if (!c)
        return;
    sset_free(*best);
    *best = c;
}

/* The best constraint a piece gives on its own (a new set or NULL). */
static struct sset *pfi_best(const struct pfi *f)
{
    struct sset *b = NULL;

    consider(&b, f->exact);
    consider(&b, f->need);
    return b;
}

struct pp {
    const unsigned char *s;
    size_t i, n;
    bool x; /* extended mode: white space and # comments ignored */
    int depth;
    bool fail;
};

static bool is_xspace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static unsigned char lc(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static void skip_x(struct pp *p)
{
    while (p->x && p->i < p->n) {
        if (is_xspace(p->s[p->i])) {
            p->i++;
        } else if (p->s[p->i] == '#') {
            while (p->i < p->n && p->s[p->i] != '\n')
                p->i++;
        } else {
            break;
        }
    }
}

static struct pfi pfi_char(unsigned char c)
{
    struct pfi f = {NULL, NULL};
    char ch = (char)lc(c);

    f.exact = sset_of(&ch, 1);
    return f;
}

static struct pfi pfi_empty(void)
{
    struct pfi f = {NULL, NULL};

    f.exact = sset_of("", 0);
    return f;
}

static struct pfi pfi_unknown(void)
{
    struct pfi f = {NULL, NULL};

    return f;
}

static struct pfi parse_alt(struct pp *p);

/*
 * Whether a quantifier comes next (past white space in extended mode).
 * After (?#...) or an empty \Q\E, which PCRE2 reads as nothing at all, a
 * quantifier applies to the item before them, and after \Q...\E of several
 * characters to its last character alone: the analysis has taken those as
 * they stand, so there it gives up.
 */
static bool quantifier_next(struct pp *p)
{
    skip_x(p);
    return p->i < p->n && (p->s[p->i] == '*' || p->s[p->i] == '+' ||
                           p->s[p->i] == '?' || p->s[p->i] == '{');
}

/* Skip a UTF-8 sequence starting at a byte >= 0x80. */
static void skip_utf8(struct pp *p)
{
    p->i++;
    while (p->i < p->n && (p->s[p->i] & 0xC0) == 0x80)
        p->i++;
}

/* Whether \c is a class shorthand (\d \w \s \h \v or a negation):
 * no literal a prefilter could use. */
static bool class_escape(unsigned char c)
{
    return c != '\0' && strchr("dDwWsShHvV", c) != NULL;
}

/* The character a control escape (\n \t \r \f \e \a) stands for, or -1. */
static int control_escape(unsigned char c)
{
    switch (c) {
    case 'n':
        return '\n';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    case 'f':
        return '\f';
    case 'e':
        return 0x1B;
    case 'a':
        return 0x07;
    default:
        return -1;
    }
}

/* After \p or \P: skip \pL or \p{...}; false (p->fail set) when the
 * pattern ends first. */
static bool skip_property(struct pp *p)
{
    if (p->i < p->n && p->s[p->i] == '{')
        while (p->i < p->n && p->s[p->i] != '}')
            p->i++;
    if (p->i >= p->n) {
        p->fail = true;
        return false;
    }
    p->i++;
    return true;
}

/* An escape outside a class, after the backslash. */
static struct pfi parse_escape(struct pp *p)
{
    unsigned char c;

    if (p->i >= p->n) {
        p->fail = true;
        return pfi_unknown();
    }
    c = p->s[p->i++];
    if (class_escape(c))
        return pfi_unknown();
    if (control_escape(c) >= 0)
        return pfi_char((unsigned char)control_escape(c));
    switch (c) {
    case 'b':
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
    case 'G':
    case 'K':
        return pfi_empty(); /* zero-width */
    case 'R':
    case 'N':
    case 'X':
        return pfi_unknown();
    case 'p':
    case 'P':
        skip_property(p); /* \pL or \p{...} */
        return pfi_unknown();
    case 'Q': {
        /* literal text up to \E: a run of exact characters */
        char buf[LIT_MAX + 1];
        size_t k = 0;
        struct pfi f = {NULL, NULL};

        while (p->i < p->n && !(p->s[p->i] == '\\' && p->i + 1 < p->n &&
                                p->s[p->i + 1] == 'E')) {
            if (p->s[p->i] >= 0x80 || k == LIT_MAX) {
                p->fail = true; /* keep it simple: give up */
                break;
            }
            buf[k++] = (char)lc(p->s[p->i++]);
        }
        if (p->i < p->n)
            p->i += 2;
        if (k != 1 && quantifier_next(p))
            p->fail = true;
        if (!p->fail)
            f.exact = sset_of(buf, k);
        return f;
    }
    default:
        if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9')))
            return pfi_char(c); /* an escaped punctuation character */
        /* \x \o \c \g \k \digit and anything unknown: give up */
        p->fail = true;
        return pfi_unknown();
    }
}

/* A character class, after '['. */
static struct pfi parse_class(struct pp *p)
{
    bool negated = false, unknown = false, first = true;
    unsigned char members[CLASS_MAX];
    size_t nm = 0, k;
    struct pfi f = {NULL, NULL};

    if (p->i < p->n && p->s[p->i] == '^') {
        negated = true;
        p->i++;
    }
    for (;;) {
        unsigned char c, hi;
        int lo_c;

        if (p->i >= p->n) {
            p->fail = true;
            return f;
        }
        c = p->s[p->i];
        if (c == ']' && !first) {
            p->i++;
            break;
        }
        first = false;
        if (c == '[' && p->i + 1 < p->n &&
            (p->s[p->i + 1] == ':' || p->s[p->i + 1] == '.' ||
             p->s[p->i + 1] == '=')) {
            /* a POSIX class such as [:alpha:] */
            const unsigned char *end =
                memchr(p->s + p->i + 2, ']', p->n - p->i - 2);
            if (!end) {
                p->fail = true;
                return f;
            }
            p->i = (size_t)(end - p->s) + 1;
            unknown = true;
            continue;
        }
        if (c >= 0x80) {
            skip_utf8(p);
            unknown = true;
            continue;
        }
        p->i++;
        lo_c = c;
        if (c == '\\') {
            if (p->i >= p->n) {
                p->fail = true;
                return f;
            }
            c = p->s[p->i++];
            if (class_escape(c)) {
                unknown = true;
                continue;
            }
            switch (c) {
            case 'p':
            case 'P':
                if (!skip_property(p))
                    return f;
                unknown = true;
                continue;
            case 'n':
            case 't':
            case 'r':
            case 'f':
            case 'e':
            case 'a':
                lo_c = control_escape(c);
                break;
            case 'b':
                lo_c = 0x08;
                break;
            default:
                if (c >= 0x80 || (c >= 'a' && c <= 'z') ||
                    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                    p->fail = true;
                    return f;
                }
                lo_c = c;
            }
        }
        hi = (unsigned char)lo_c;
        if (p->i + 1 < p->n && p->s[p->i] == '-' && p->s[p->i + 1] != ']') {
            /* a range lo-hi; only plain ASCII ends are understood */
            unsigned char h = p->s[p->i + 1];

            if (h == '\\' || h == '[' || h >= 0x80) {
                p->fail = true;
                return f;
            }
            hi = h;
            p->i += 2;
            if (hi < lo_c) {
                p->fail = true;
                return f;
            }
        }
        for (k = (size_t)lo_c; k <= hi && !unknown; k++) {
            unsigned char m = lc((unsigned char)k);
            size_t q;

            for (q = 0; q < nm && members[q] != m; q++)
                ;
            if (q < nm)
                continue;
            if (nm == CLASS_MAX)
                unknown = true;
            else
                members[nm++] = m;
        }
    }
    if (negated || unknown || nm == 0)
        return f;
    f.exact = sset_new();
    for (k = 0; f.exact && k < nm; k++) {
        char ch = (char)members[k];
        if (sset_add(f.exact, &ch, 1) != 0) {
            sset_free(f.exact);
            f.exact = NULL;
        }
    }
    return f;
}

/* Parse digits; -1 when none. */
static long parse_num(struct pp *p)
{
    long v = -1;

    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
        v = (v < 0 ? 0 : v) * 10 + (p->s[p->i] - '0');
        if (v > 100000)
            v = 100000;
        p->i++;
    }
    return v;
}

/* A quantifier after an atom, if any: sets *min, *max (-1: unbounded). */
static bool parse_quant(struct pp *p, long *min, long *max)
{
    unsigned char c;

    skip_x(p);
    if (p->i >= p->n)
        return false;
    c = p->s[p->i];
    if (c == '*' || c == '+' || c == '?') {
        p->i++;
        *min = c == '+' ? 1 : 0;
        *max = c == '?' ? 1 : -1;
    } else if (c == '{') {
        p->i++;
        *min = parse_num(p);
        if (*min < 0) {
            p->fail = true; /* "{", "{,n}": version-dependent; give up */
            return false;
        }
        *max = *min;
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            *max = parse_num(p);
        }
        if (p->i >= p->n || p->s[p->i] != '}') {
            p->fail = true;
            return false;
        }
        p->i++;
    } else {
        return false;
    }
    if (p->i < p->n && (p->s[p->i] == '?' || p->s[p->i] == '+'))
        p->i++; /* lazy or possessive: the same strings can match */
    return true;
}

static struct pfi apply_quant(struct pfi f, long min, long max)
{
    struct pfi r = {NULL, NULL};

    if (min == 0) {
        if (max == 1 && f.exact) {
            r.exact = f.exact;
            f.exact = NULL;
            if (sset_add(r.exact, "", 0) != 0) {
                sset_free(r.exact);
                r.exact = NULL;
            }
        }
        pfi_release(&f);
        return r;
    }
    /* at least once: the piece's own constraint holds */
    r.need = pfi_best(&f);
    if (f.exact && max == min && min <= 4) {
        struct sset *acc = sset_copy(f.exact);
        long k;

        for (k = 1; acc && k < min; k++) {
            struct sset *nx = sset_product(acc, f.exact);
            sset_free(acc);
            acc = nx;
        }
        r.exact = acc;
    }
    pfi_release(&f);
    return r;
}

/* A group, after '('. */
static struct pfi parse_group(struct pp *p)
{
    bool save_x = p->x, zero_width = false;
    struct pfi f;

    if (p->i < p->n && p->s[p->i] == '*') {
        p->fail = true; /* (*VERB) and the like */
        return pfi_unknown();
    }
    if (p->i < p->n && p->s[p->i] == '?') {
        unsigned char c;

        p->i++;
        if (p->i >= p->n) {
            p->fail = true;
            return pfi_unknown();
        }
        c = p->s[p->i];
        if (c == ':' || c == '|' || c == '>') {
            p->i++;
        } else if (c == '=' || c == '!') {
            p->i++;
            zero_width = true;
        } else if (c == '<' && p->i + 1 < p->n &&
                   (p->s[p->i + 1] == '=' || p->s[p->i + 1] == '!')) {
            p->i += 2;
            zero_width = true;
        } else if (c == '<' || c == '\'' ||
                   (c == 'P' && p->i + 1 < p->n && p->s[p->i + 1] == '<')) {
            /* a named group */
            unsigned char close = c == '\'' ? '\'' : '>';
            const unsigned char *end;

            end = memchr(p->s + p->i + 1, close, p->n - p->i - 1);
            if (!end) {
                p->fail = true;
                return pfi_unknown();
            }
            p->i = (size_t)(end - p->s) + 1;
        } else if (c == '#') {
            const unsigned char *end = memchr(p->s + p->i, ')', p->n - p->i);
            if (!end) {
                p->fail = true;
                return pfi_unknown();
            }
            p->i = (size_t)(end - p->s) + 1;
            if (quantifier_next(p))
                p->fail = true;
            return pfi_empty();
        } else {
            /* option letters: (?x) for the rest of the group, (?x:...) */
            bool on = true, x = p->x;

            while (p->i < p->n && strchr("imnsxJU-^", p->s[p->i]) &&
                   p->s[p->i] != '\0') {
                c = p->s[p->i++];
                if (c == '-')
                    on = false;
                else if (c == '^')
                    x = false;
                else if (c == 'x')
                    x = on;
            }
            if (p->i >= p->n || (p->s[p->i] != ')' && p->s[p->i] != ':')) {
                p->fail = true; /* (?R), (?1), (?&n), (?(, (?C... */
                return pfi_unknown();
            }
            if (p->s[p->i] == ')') {
                p->i++;
                p->x = x; /* the caller restores it at its group's end */
                return pfi_empty();
            }
            p->i++;
            p->x = x;
        }
    }
    if (++p->depth > DEPTH_MAX) {
        p->fail = true;
        return pfi_unknown();
    }
    f = parse_alt(p);
    p->depth--;
    p->x = save_x;
    if (p->i >= p->n || p->s[p->i] != ')') {
        p->fail = true;
        pfi_release(&f);
        return pfi_unknown();
    }
    p->i++;
    if (zero_width) {
        pfi_release(&f);
        return pfi_empty();
    }
    return f;
}

/* One item with its quantifier; false at the end of a branch. */
static bool parse_item(struct pp *p, struct pfi *out)
{
    unsigned char c;
    struct pfi f;
    long min, max;

    skip_x(p);
    if (p->i >= p->n)
        return false;
    c = p->s[p->i];
    if (c == '|' || c == ')')
        return false;
    p->i++;
    switch (c) {
    case '(':
        f = parse_group(p);
        break;
    case '[':
        f = parse_class(p);
        break;
    case '\\':
        f = parse_escape(p);
        break;
    case '.':
        f = pfi_unknown();
        break;
    case '^':
    case '$':
        f = pfi_empty();
        break;
    case '*':
    case '+':
    case '?':
    case '{':
        p->fail = true; /* a quantifier with nothing before it */
        f = pfi_unknown();
        break;
    default:
        if (c >= 0x80) {
            p->i--;
            skip_utf8(p);
            f = pfi_unknown();
        } else {
            f = pfi_char(c);
        }
    }
    if (!p->fail && parse_quant(p, &min, &max))
        f = apply_quant(f, min, max);
    *out = f;
    return true;
}

/* A sequence of items up to '|', ')' or the end. */
static struct pfi parse_seq(struct pp *p)
{
    struct sset *run = sset_of("", 0), *best = NULL;
    bool all_exact = true;
    struct pfi item, r = {NULL, NULL};

    while (!p->fail && run && parse_item(p, &item)) {
        struct sset *prod = item.exact ? sset_product(run, item.exact) : NULL;

        if (prod) {
            sset_free(run);
            run = prod;
        } else {
            all_exact = false;
            consider(&best, run);
            consider(&best, item.exact);
            consider(&best, item.need);
            sset_free(run);
            run = item.exact ? sset_copy(item.exact) : sset_of("", 0);
        }
        pfi_release(&item);
    }
    if (!run)
        p->fail = true;
    if (p->fail) {
        sset_free(run);
        sset_free(best);
        return r;
    }
    consider(&best, run);
    r.need = best;
    if (all_exact)
        r.exact = run;
    else
        sset_free(run);
    return r;
}

static struct pfi parse_alt(struct pp *p)
{
    struct pfi r = parse_seq(p), b;
    struct sset *need = NULL;
    bool need_ok;

    if (p->i >= p->n || p->s[p->i] != '|' || p->fail)
        return r;
    /* alternatives: exact is the union, need the union of each branch's
     * best constraint (none when a branch has none) */
    need = pfi_best(&r);
    need_ok = need != NULL;
    while (!p->fail && p->i < p->n && p->s[p->i] == '|') {
        p->i++;
        b = parse_seq(p);
        if (r.exact && (!b.exact || sset_union(r.exact, b.exact, SET_MAX))) {
            sset_free(r.exact);
            r.exact = NULL;
        }
        if (need_ok) {
            struct sset *bb = pfi_best(&b);

            if (!bb || sset_union(need, bb, NEED_MAX) != 0)
                need_ok = false;
            sset_free(bb);
        }
        pfi_release(&b);
    }
    sset_free(r.need);
    r.need = need_ok ? need : NULL;
    if (!need_ok)
        sset_free(need);
    return r;
}

/* Drop literals that contain another literal (the shorter one is found
 * wherever the longer one is). */
static void sset_minimise(struct sset *s)
{
    bool *drop = calloc(s->n ? s->n : 1, sizeof(*drop));
    size_t i, j, k = 0;

    if (!drop)
        return; /* keeping them all is still right */
    for (i = 0; i < s->n; i++)
        for (j = 0; j < s->n && !drop[i]; j++)
            if (j != i && !drop[j] && strstr(s->v[i], s->v[j]))
                drop[i] = true; /* the sets hold no duplicates */
    for (i = 0; i < s->n; i++) {
        if (drop[i])
            free(s->v[i]);
        else
            s->v[k++] = s->v[i];
    }
    s->n = k;
    free(drop);
}

int prefilter_literals(const char *pattern, size_t len, char ***out, size_t *n)
{
    struct pp p;
    struct pfi f;
    struct sset *best;
    size_t i;

    *out = NULL;
    *n = 0;
    memset(&p, 0, sizeof(p));
    p.s = (const unsigned char *)pattern;
    p.n = len;
    f = parse_alt(&p);
    if (p.fail || p.i != p.n) {
        pfi_release(&f);
        return -1;
    }
    best = pfi_best(&f);
    pfi_release(&f);
    if (!best)
        return -1;
    sset_minimise(best);
    for (i = 0; i < best->n; i++)
        if (strlen(best->v[i]) < 2) {
            sset_free(best);
            return -1;
        }
    *out = best->v;
    *n = best->n;
    free(best);
    return 0;
}

/* ---- the per-type scanner ---- */

/*
 * One pass over an entry keeps the last four bytes (ASCII lower case) in a
 * 32-bit window.  Literals of 4 bytes or more are found through a bitmap
 * of a hash of their first four bytes, shorter ones (2 or 3 bytes) through
 * a bitmap of their first two; a hit is confirmed against the literals
 * with that prefix (found by a hash of the prefix, skipped when all their
 * bits are set already, then compared byte by byte).  Whether the text is
 * plain ASCII is seen first, eight bytes at a time.
 *
 * A prefilter's bits take as many words as its patterns need (nwords: the
 * rules' word alone, or with one to four words of the lexicon's items).
 * The scan's records of literals and prefixes end in their bits, nwords
 * words, and confirm has a copy for each width, so that the usual
 * prefilter of one or two words reads, tests and sets no more than those:
 * confirm runs at every prefix the text shares with a literal.  (A copy
 * for each kind of literal too: with six arguments, none goes on the
 * stack.)
 */
struct pf_lit {
    uint32_t key; /* first four bytes (long) or first two (short) */
    uint32_t bit; /* of the pattern that gave it */
    char *s;      /* lower case */
};

/* A literal as the scan reads it (in recs, records of rec_size(nwords)
 * bytes, in the order of its sorted lits). */
struct pf_rec {
    uint32_t len;
    const char *s;
    uint64_t bits[]; /* of every pattern that gave it: nwords words */
};

/* The literals of one prefix: recs[k][first, first + n) (in groups,
 * records of group_size(nwords) bytes). */
struct pf_group {
    uint32_t key;
    uint32_t first, n;
    uint64_t bits[]; /* of all its literals: nwords words */
};

static size_t rec_size(size_t nw)
{
    return sizeof(struct pf_rec) + nw * sizeof(uint64_t);
}

static size_t group_size(size_t nw)
{
    return sizeof(struct pf_group) + nw * sizeof(uint64_t);
}

struct prefilter;
typedef void confirm_fn(const struct prefilter *pf, uint32_t key,
                        const unsigned char *t, size_t len, size_t j,
                        uint64_t m[PF_WORDS]);

struct prefilter {
    uint64_t short_keys[65536 / 64]; /* 2-byte prefixes of short literals */
    uint64_t long_hash[65536 / 64];  /* hashed 4-byte prefixes of the rest */
    struct pf_lit *lits[2];          /* [0] short, [1] long; sorted by key */
    size_t nlits[2];
    unsigned char *recs[2];   /* a struct pf_rec per literal */
    unsigned char *groups[2]; /* a struct pf_group per prefix */
    uint16_t *slots[2];       /* open addressing by hash4: 1 + group */
    uint32_t slot_mask[2];
    size_t nwords;             /* words of bits in use: 1 to PF_WORDS */
    confirm_fn *confirm[2];    /* confirm for short and long literals, of
                                * nwords words */
    uint64_t all[PF_WORDS];    /* every bit in use */
    uint64_t always[PF_WORDS]; /* bits that may always match */
};

static unsigned lc_fast(unsigned c)
{
    return c + ((unsigned)(c - 'A' < 26u) << 5);
}

static unsigned hash4(uint32_t w)
{
    return (unsigned)((w * 2654435761u) >> 16);
}

static bool bit_test(const uint64_t *map, unsigned k)
{
    return map[k / 64] >> (k % 64) & 1;
}

static int cmp_lit(const void *a, const void *b)
{
    const struct pf_lit *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(x->s, y->s);
}

#if defined(__GNUC__)
#define PF_INLINE inline __attribute__((always_inline))
#else
#define PF_INLINE inline
#endif

/* Whether bits (nw words) has a bit that m has not. */
static PF_INLINE bool has_new(const uint64_t *bits, const uint64_t *m,
                              size_t nw)
{
    uint64_t x = 0;
    size_t w;

    for (w = 0; w < nw; w++)
        x |= bits[w] & ~m[w];
    return x != 0;
}

/* Whether m (nw words, a part of all) is all. */
static PF_INLINE bool all_found(const uint64_t *all, const uint64_t *m,
                                size_t nw)
{
    size_t w;

    for (w = 0; w < nw; w++)
        if (m[w] != all[w])
            return false;
    return true;
}

/* Set in m the bits of the literals of kind k with prefix key at t[j..]
 * (text t of len bytes), unless all are set already; pf has nw words. */
static PF_INLINE void confirm(const struct prefilter *pf, int k, uint32_t key,
                              const unsigned char *t, size_t len, size_t j,
                              uint64_t m[PF_WORDS], size_t nw)
{
    const struct pf_group *g = NULL;
    size_t x, q, w, skip = k ? 4 : 2;
    uint32_t h, slot;

    for (h = hash4(key) & pf->slot_mask[k]; (slot = pf->slots[k][h]) != 0;
         h = (h + 1) & pf->slot_mask[k]) {
        const struct pf_group *c =
            (const void *)(pf->groups[k] + (slot - 1) * group_size(nw));

        if (c->key == key) {
            g = c;
            break;
        }
    }
    if (!g || !has_new(g->bits, m, nw))
        return; /* no literal has this prefix, or all are found */
    for (x = g->first; x < g->first + g->n; x++) {
        const struct pf_rec *l = (const void *)(pf->recs[k] + x * rec_size(nw));

        if (!has_new(l->bits, m, nw) || l->len > len - j)
            continue;
        for (q = skip;
             q < l->len && lc_fast(t[j + q]) == (unsigned char)l->s[q]; q++)
            ;
        if (q == l->len)
            for (w = 0; w < nw; w++)
                m[w] |= l->bits[w];
    }
}

/* confirm of each kind and width, chosen once for a prefilter
 * (pf->confirm) */
#define PF_CONFIRM(k, nw)                                                      \
    static void confirm##k##_##nw(const struct prefilter *pf, uint32_t key,    \
                                  const unsigned char *t, size_t len,          \
                                  size_t j, uint64_t m[PF_WORDS])              \
    {                                                                          \
        confirm(pf, k, key, t, len, j, m, nw);                                 \
    }
PF_CONFIRM(0, 1)
PF_CONFIRM(1, 1)
PF_CONFIRM(0, 2)
PF_CONFIRM(1, 2)
PF_CONFIRM(0, 3)
PF_CONFIRM(1, 3)
PF_CONFIRM(0, 4)
PF_CONFIRM(1, 4)
PF_CONFIRM(0, 5)
PF_CONFIRM(1, 5)

static confirm_fn *const confirm_width[PF_WORDS][2] = {
    {confirm0_1, confirm1_1},
    {confirm0_2, confirm1_2},
    {confirm0_3, confirm1_3},
    {confirm0_4, confirm1_4},
    {confirm0_5, confirm1_5}};
_Static_assert(PF_WORDS == 5, "a confirm for each width");

void prefilter_free(struct prefilter *pf)
{
    size_t i, k;

    if (!pf)
        return;
    for (k = 0; k < 2; k++) {
        for (i = 0; i < pf->nlits[k]; i++)
            free(pf->lits[k][i].s);
        free(pf->lits[k]);
        free(pf->recs[k]);
        free(pf->groups[k]);
        free(pf->slots[k]);
    }
    free(pf);
}

/* Give sp a bit in pf when its pattern has literals. */
/* Give pattern src bit *nbits in pf when it yields literals: true if so. */
static bool add_pattern(struct prefilter *pf, const char *src, unsigned bit)
{
    char **lits;
    size_t n, i, k;

    if (prefilter_literals(src, strlen(src), &lits, &n) != 0)
        return false;
    for (k = 0; k < 2; k++) {
        struct pf_lit *v =
            realloc(pf->lits[k], (pf->nlits[k] + n) * sizeof(*v));

        if (!v) {
            for (i = 0; i < n; i++)
                free(lits[i]);
            free(lits);
            return false;
        }
        pf->lits[k] = v;
    }
    for (i = 0; i < n; i++) {
        const unsigned char *u = (const unsigned char *)lits[i];
        size_t len = strlen(lits[i]);
        struct pf_lit *l;

        k = len >= 4;
        l = &pf->lits[k][pf->nlits[k]++];
        l->s = lits[i];
        l->bit = bit;
        if (k) {
            l->key = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
                     (uint32_t)u[2] << 8 | u[3];
            pf->long_hash[hash4(l->key) / 64] |= (uint64_t)1
                                                 << (hash4(l->key) % 64);
        } else {
            l->key = (uint32_t)u[0] << 8 | u[1];
            pf->short_keys[l->key / 64] |= (uint64_t)1 << (l->key % 64);
        }
    }
    free(lits);
    pf->all[bit / 64] |= (uint64_t)1 << (bit % 64);
    return true;
}

/* The next bit of pf for pattern p when it yields literals, or -1. */
static int pattern_bit(struct prefilter *pf, const struct pattern *p,
                       unsigned *nbits)
{
    if (!p->code || !p->src || *nbits >= BITS_MAX ||
        !add_pattern(pf, p->src, *nbits))
        return -1;
    return (int)(*nbits)++;
}

void prefilter_spec_none(struct entry_spec *sp)
{
    size_t i;

    for (i = 0; i < sp->nalt; i++)
        prefilter_spec_none(&sp->alt[i]);
    sp->pf_bit = sp->pf_exclude_bit = sp->pf_negate_bit = -1;
}

/* Bits for sp's pattern (and its alternatives'), or with vetoes for their
 * exclude and negate patterns. */
static void add_spec(struct prefilter *pf, struct entry_spec *sp,
                     unsigned *nbits, bool vetoes)
{
    size_t i;

    for (i = 0; i < sp->nalt; i++)
        add_spec(pf, &sp->alt[i], nbits, vetoes);
    if (!sp->present)
        return;
    if (!vetoes) {
        sp->pf_bit = pattern_bit(pf, &sp->re, nbits);
    } else {
        sp->pf_exclude_bit = pattern_bit(pf, &sp->exclude, nbits);
        sp->pf_negate_bit = pattern_bit(pf, &sp->negate, nbits);
    }
}

/* Sort the literals of kind k by prefix and index their groups: false
 * when out of memory. */
static bool index_kind(struct prefilter *pf, int k)
{
    struct pf_lit *v = pf->lits[k];
    size_t n = 0, i, ng = 0, w, nw = pf->nwords;
    uint32_t slots = 16, h;
    struct pf_rec *r = NULL;
    struct pf_group *g = NULL;

    if (pf->nlits[k])
        qsort(v, pf->nlits[k], sizeof(*v), cmp_lit);
    pf->recs[k] = calloc(pf->nlits[k] ? pf->nlits[k] : 1, rec_size(nw));
    if (!pf->recs[k])
        return false;
    /* one literal for all the patterns that gave it */
    for (i = 0; i < pf->nlits[k]; i++) {
        uint32_t bit = v[i].bit;

        if (n > 0 && strcmp(v[n - 1].s, v[i].s) == 0) {
            free(v[i].s);
        } else {
            v[n] = v[i];
            r = (void *)(pf->recs[k] + n * rec_size(nw));
            r->len = (uint32_t)strlen(v[n].s);
            r->s = v[n].s;
            n++;
        }
        r->bits[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
    pf->nlits[k] = n;
    while (slots < 2 * n)
        slots *= 2;
    pf->groups[k] = calloc(n ? n : 1, group_size(nw));
    pf->slots[k] = calloc(slots, sizeof(*pf->slots[k]));
    if (!pf->groups[k] || !pf->slots[k])
        return false;
    pf->slot_mask[k] = slots - 1;
    for (i = 0; i < n; i++) {
        if (i == 0 || v[i].key != v[i - 1].key) {
            g = (void *)(pf->groups[k] + ng * group_size(nw));
            g->key = v[i].key;
            g->first = (uint32_t)i;
            for (h = hash4(g->key) & (slots - 1); pf->slots[k][h];)
                h = (h + 1) & (slots - 1);
            pf->slots[k][h] = (uint16_t)++ng;
        }
        r = (void *)(pf->recs[k] + i * rec_size(nw));
        g->n++;
        for (w = 0; w < nw; w++)
            g->bits[w] |= r->bits[w];
    }
    return true;
}

/* Make pf ready to scan: false when out of memory (pf must then not be
 * used). */
static bool index_lits(struct prefilter *pf)
{
    size_t w;

    pf->nwords = 1;
    for (w = 1; w < PF_WORDS; w++)
        if (pf->all[w])
            pf->nwords = w + 1;
    pf->confirm[0] = confirm_width[pf->nwords - 1][0];
    pf->confirm[1] = confirm_width[pf->nwords - 1][1];
    return pf->nlits[0] + pf->nlits[1] < 65535 && index_kind(pf, 0) &&
           index_kind(pf, 1);
}

/* The lexicon's regex items as bits LEX_BIT0 + i of pf; an item that
 * yields no literals (or cannot be added) may always match. */
static void add_lexicon(struct prefilter *pf, const struct lexicon *lx)
{
    size_t i;

    for (i = 0; i < lx->nregexes && i < LX_SET_MAX; i++)
        if (!add_pattern(pf, lx->regexes[i].re.src, LEX_BIT0 + (unsigned)i))
            pf->always[1 + i / 64] |= (uint64_t)1 << (i % 64);
}

/* Whether a rule of sp's (or an alternative's) names a concept. */
static bool spec_has_concepts(const struct entry_spec *sp)
{
    size_t i;

    for (i = 0; i < sp->nalt; i++)
        if (spec_has_concepts(&sp->alt[i]))
            return true;
    return sp->present && sp->nconcepts > 0;
}

/* Whether some rule of type t reads the lexicon's scans. */
static bool type_uses_lexicon(const struct ruleset *rs, size_t t)
{
    size_t k;

    for (k = 0; k < rs->nby_type[t]; k++) {
        const struct rule *ru = rs->rules[rs->by_type[t][k]];

        if (spec_has_concepts(&ru->when) || spec_has_concepts(&ru->when_not) ||
            spec_has_concepts(&ru->entry) || spec_has_concepts(&ru->ifs) ||
            spec_has_concepts(&ru->thens))
            return true;
    }
    return false;
}

struct prefilter *prefilter_new(const char *const *srcs, size_t n,
                                struct lx_set *always)
{
    struct prefilter *pf = calloc(1, sizeof(*pf));
    size_t i;

    memset(always, 0, sizeof(*always));
    if (!pf)
        return NULL;
    /* as the lexicon's items in a record type's prefilter */
    for (i = 0; i < n && i < LX_SET_MAX; i++)
        if (!add_pattern(pf, srcs[i], LEX_BIT0 + (unsigned)i))
            lx_set_add(always, i);
    if (!index_lits(pf)) {
        prefilter_free(pf);
        return NULL;
    }
    return pf;
}

void prefilter_build(struct ruleset *rs)
{
    size_t t, k;

    for (t = 0; t < RT__COUNT; t++) {
        struct prefilter *pf = calloc(1, sizeof(*pf));
        unsigned nbits = 0;
        int pass;

        for (k = 0; k < rs->nby_type[t]; k++) {
            struct rule *ru = rs->rules[rs->by_type[t][k]];

            prefilter_spec_none(&ru->when);
            prefilter_spec_none(&ru->when_not);
            prefilter_spec_none(&ru->entry);
            prefilter_spec_none(&ru->ifs);
            prefilter_spec_none(&ru->thens);
        }
        /* the patterns first, then their vetoes, while bits last */
        for (pass = 0; pf && pass < 2; pass++) {
            for (k = 0; k < rs->nby_type[t]; k++) {
                struct rule *ru = rs->rules[rs->by_type[t][k]];

                add_spec(pf, &ru->when, &nbits, pass == 1);
                add_spec(pf, &ru->when_not, &nbits, pass == 1);
                add_spec(pf, &ru->entry, &nbits, pass == 1);
                add_spec(pf, &ru->ifs, &nbits, pass == 1);
                add_spec(pf, &ru->thens, &nbits, pass == 1);
            }
        }
        /* the lexicon's regex items, found in the same pass */
        rs->pf_lexicon[t] =
            pf && rs->lex && rs->lex->regex_pf && type_uses_lexicon(rs, t);
        if (rs->pf_lexicon[t])
            add_lexicon(pf, rs->lex);
        if (pf && ((nbits == 0 && !rs->pf_lexicon[t]) || !index_lits(pf))) {
            /* nothing to filter, or no memory to: no prefilter */
            prefilter_free(pf);
            pf = NULL;
            for (k = 0; k < rs->nby_type[t]; k++) {
                struct rule *ru = rs->rules[rs->by_type[t][k]];

                prefilter_spec_none(&ru->when);
                prefilter_spec_none(&ru->when_not);
                prefilter_spec_none(&ru->entry);
                prefilter_spec_none(&ru->ifs);
                prefilter_spec_none(&ru->thens);
            }
        }
        rs->pf_lexicon[t] = rs->pf_lexicon[t] && pf;
        rs->pf[t] = pf;
    }
}

/* Whether t[0, len) is plain ASCII. */
static bool plain_ascii(const unsigned char *t, size_t len)
{
    uint64_t acc = 0, w;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        memcpy(&w, t + i, 8);
        acc |= w;
    }
    for (; i < len; i++)
        acc |= t[i];
    return !(acc & 0x8080808080808080ull);
}

/* The bits of text[0, len) in out, with pf->always (every bit when the
 * text is not plain ASCII). */
static void scan(const struct prefilter *pf, const char *text, size_t len,
                 uint64_t out[PF_WORDS])
{
    const unsigned char *t = (const unsigned char *)text;
    uint64_t m[PF_WORDS] = {0};
    uint32_t w = 0;
    size_t i, k;

    if (!plain_ascii(t, len)) {
        /* not plain ASCII: no filtering */
        for (k = 0; k < PF_WORDS; k++)
            out[k] = ~(uint64_t)0;
        return;
    }
    for (i = 0; i < len; i++) {
        w = w << 8 | lc_fast(t[i]);
        if (i >= 1 && bit_test(pf->short_keys, w & 0xFFFF))
            pf->confirm[0](pf, w & 0xFFFF, t, len, i - 1, m);
        if (i >= 3 && bit_test(pf->long_hash, hash4(w))) {
            pf->confirm[1](pf, w, t, len, i - 3, m);
            if (all_found(pf->all, m, pf->nwords))
                break; /* every pattern may match */
        }
    }
    for (k = 0; k < PF_WORDS; k++)
        out[k] = m[k] | pf->always[k];
}

void prefilter_scan_all(const struct prefilter *pf, const char *text,
                        size_t len, uint64_t *rules, struct lx_set *rx)
{
    uint64_t m[PF_WORDS];

    scan(pf, text, len, m);
    *rules = m[0];
    memcpy(rx->w, m + LEX_BIT0 / 64, sizeof(rx->w));
}

uint64_t prefilter_scan(const struct prefilter *pf, const char *text,
                        size_t len)
{
    uint64_t rules;
    struct lx_set rx;

    prefilter_scan_all(pf, text, len, &rules, &rx);
    return rules;
}

void prefilter_scan_set(const struct prefilter *pf, const char *text,
                        size_t len, struct lx_set *out)
{
    uint64_t rules;

    prefilter_scan_all(pf, text, len, &rules, out);
}
