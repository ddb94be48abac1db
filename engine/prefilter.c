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
 * unknown), need (a set one of which every match contains, NULL when
 * nothing is known) and pre (a set one of which every match starts with,
 * NULL when nothing is known; with exact, exact says it). */
struct pfi {
    struct sset *exact;
    struct sset *need;
    struct sset *pre;
};

static void pfi_release(struct pfi *f)
{
    sset_free(f->exact);
    sset_free(f->need);
    sset_free(f->pre);
    f->exact = f->need = f->pre = NULL;
}

/* The strings one of which every match of f starts with, or NULL. */
static const struct sset *pfi_pre(const struct pfi *f)
{
    return f->exact ? f->exact : f->pre;
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
    bool bsk; /* \K seen */
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
    struct pfi f = {NULL, NULL, NULL};
    char ch = (char)lc(c);

    f.exact = sset_of(&ch, 1);
    return f;
}

static struct pfi pfi_empty(void)
{
    struct pfi f = {NULL, NULL, NULL};

    f.exact = sset_of("", 0);
    return f;
}

static struct pfi pfi_unknown(void)
{
    struct pfi f = {NULL, NULL, NULL};

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
        return pfi_empty(); /* zero-width */
    case 'K':
        p->bsk = true; /* a match starts here, not where it began */
        return pfi_empty();
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
        struct pfi f = {NULL, NULL, NULL};

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
    struct pfi f = {NULL, NULL, NULL};

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
    struct pfi r = {NULL, NULL, NULL};

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
    /* at least once: the piece's own constraint holds, and its matches
     * start as the piece's do */
    r.need = pfi_best(&f);
    r.pre = sset_copy(pfi_pre(&f));
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

/*
 * How the matches of a sequence start, at its first item that is not
 * exact (or whose product with the ones before is too large): run (every
 * exact start so far) followed by one of the item's starts, or run alone,
 * or the item's starts when run is only the empty string.  NULL when
 * nothing is known.
 */
static struct sset *seq_pre(const struct sset *run, const struct pfi *item)
{
    const struct sset *ip = pfi_pre(item);
    struct sset *prod = ip ? sset_product(run, ip) : NULL;

    if (prod)
        return prod;
    if (sset_score(run) > 0)
        return sset_copy(run); /* none of them empty */
    if (run->n == 1 && !run->v[0][0] && ip)
        return sset_copy(ip);
    return NULL;
}

/* A sequence of items up to '|', ')' or the end. */
static struct pfi parse_seq(struct pp *p)
{
    struct sset *run = sset_of("", 0), *best = NULL, *pre = NULL;
    bool all_exact = true;
    struct pfi item, r = {NULL, NULL, NULL};

    while (!p->fail && run && parse_item(p, &item)) {
        struct sset *prod = item.exact ? sset_product(run, item.exact) : NULL;

        if (prod) {
            sset_free(run);
            run = prod;
        } else {
            if (all_exact)
                pre = seq_pre(run, &item);
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
        sset_free(pre);
        return r;
    }
    consider(&best, run);
    r.need = best;
    r.pre = pre;
    if (all_exact)
        r.exact = run;
    else
        sset_free(run);
    return r;
}

static struct pfi parse_alt(struct pp *p)
{
    struct pfi r = parse_seq(p), b;
    struct sset *need = NULL, *pre;
    bool need_ok;

    if (p->i >= p->n || p->s[p->i] != '|' || p->fail)
        return r;
    /* alternatives: exact is the union, need the union of each branch's
     * best constraint (none when a branch has none), pre the union of
     * their starts */
    need = pfi_best(&r);
    need_ok = need != NULL;
    pre = sset_copy(pfi_pre(&r));
    while (!p->fail && p->i < p->n && p->s[p->i] == '|') {
        p->i++;
        b = parse_seq(p);
        if (pre && (!pfi_pre(&b) || sset_union(pre, pfi_pre(&b), NEED_MAX))) {
            sset_free(pre);
            pre = NULL;
        }
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
    sset_free(r.pre);
    r.pre = pre;
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

int prefilter_starts(const char *pattern, size_t len, char ***out, size_t *n)
{
    struct pp p;
    struct pfi f;
    const struct sset *pre;
    struct sset *keep;
    bool *drop;
    size_t i, j, k = 0;

    *out = NULL;
    *n = 0;
    memset(&p, 0, sizeof(p));
    p.s = (const unsigned char *)pattern;
    p.n = len;
    f = parse_alt(&p);
    pre = pfi_pre(&f);
    if (p.fail || p.bsk || p.i != p.n || !pre || sset_score(pre) <= 0 ||
        !(keep = sset_copy(pre))) {
        pfi_release(&f);
        return -1;
    }
    pfi_release(&f);
    for (i = 0; i < keep->n; i++)
        for (j = 0; keep->v[i][j]; j++)
            if ((unsigned char)keep->v[i][j] >= 0x80) {
                sset_free(keep);
                return -1;
            }
    /* a start that another one begins is found wherever that one is (the
     * set holds no duplicates, so a string begun by none is kept) */
    if (!(drop = calloc(keep->n, sizeof(*drop)))) {
        sset_free(keep);
        return -1;
    }
    for (i = 0; i < keep->n; i++)
        for (j = 0; j < keep->n && !drop[i]; j++)
            drop[i] = strlen(keep->v[j]) < strlen(keep->v[i]) &&
                      strncmp(keep->v[i], keep->v[j], strlen(keep->v[j])) == 0;
    for (i = 0; i < keep->n; i++) {
        if (drop[i])
            free(keep->v[i]);
        else
            keep->v[k++] = keep->v[i];
    }
    free(drop);
    keep->n = k;
    *out = keep->v;
    *n = keep->n;
    free(keep);
    return 0;
}

/* ---- starts at a clause's start ---- */

/* From s[i]: past the blanks and # comments of extended mode x. */
static size_t x_skip(const char *s, size_t i, size_t n, bool x)
{
    while (x && i < n) {
        if (is_xspace((unsigned char)s[i]))
            i++;
        else if (s[i] == '#')
            while (i < n && s[i] != '\n')
                i++;
        else
            break;
    }
    return i;
}

/*
 * Where the top-level branch of s[0, n) that begins at i ends: at its '|'
 * or n; n + 1 when the syntax is beyond this reading (\Q, a POSIX class,
 * a (?# comment, unbalanced parentheses), so that nothing is assumed.
 */
static size_t branch_end(const char *s, size_t i, size_t n, bool x)
{
    int depth = 0;

    while (i < n) {
        char c = s[i];

        if (c == '\\') {
            if (i + 1 >= n || s[i + 1] == 'Q')
                return n + 1;
            i += 2;
        } else if (c == '[') {
            i++;
            if (i < n && s[i] == '^')
                i++;
            if (i < n && s[i] == ']')
                i++;
            for (; i < n && s[i] != ']'; i++) {
                if (s[i] == '[' && i + 1 < n && s[i + 1] == ':')
                    return n + 1;
                if (s[i] == '\\')
                    i++;
            }
            if (i >= n)
                return n + 1;
            i++;
        } else if (x && c == '#') {
            while (i < n && s[i] != '\n')
                i++;
        } else if (c == '(') {
            if (i + 2 < n && s[i + 1] == '?' && s[i + 2] == '#')
                return n + 1;
            depth++;
            i++;
        } else if (c == ')') {
            if (depth-- == 0)
                return n + 1;
            i++;
        } else if (c == '|' && depth == 0) {
            return i;
        } else {
            i++;
        }
    }
    return depth ? n + 1 : n;
}

/* Whether s[i, e) sets options for what follows ((?i), (?-x:...)). */
static bool sets_options(const char *s, size_t i, size_t e)
{
    for (; i + 2 < e; i++)
        if (s[i] == '(' && s[i + 1] == '?' && strchr("imnsxJU-^", s[i + 2]) &&
            s[i + 2] != '\0')
            return true;
    return false;
}

/*
 * The bytes of a class s[i, e) up to its ']' into got: ASCII bytes other
 * than letters and digits, \n \t \r and escaped punctuation, no ranges.
 * The index after the ']', or 0 when the class is not of that kind.
 */
static size_t class_bytes(const char *s, size_t i, size_t e, bool got[256])
{
    for (; i < e && s[i] != ']'; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '\\' && i + 1 < e) {
            c = (unsigned char)s[++i];
            if (c == 'n')
                c = '\n';
            else if (c == 't')
                c = '\t';
            else if (c == 'r')
                c = '\r';
            else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                return 0; /* \d, \s, \x... */
        } else if (c == '^' || c == '-' || c == '[' || c == '\\') {
            return 0;
        }
        if (c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
            (c >= '0' && c <= '9'))
            return 0;
        got[c] = true;
    }
    return i < e ? i + 1 : 0;
}

/*
 * A branch s[i, e) that begins "(?:^|(?<=[C]))", C bytes as class_bytes
 * reads them: its matches start at 0 or after a byte of C, set in after
 * (with '\n', for a ^ of multiline mode).  The index after that head, or
 * 0 for any other branch.
 */
static size_t clause_head(const char *s, size_t i, size_t e, bool after[256])
{
    static const char head[] = "(?:^|(?<=[";
    bool got[256] = {false};
    size_t k;

    if (e - i < sizeof(head) + 3 || memcmp(s + i, head, sizeof(head) - 1) != 0)
        return 0;
    i = class_bytes(s, i + sizeof(head) - 1, e, got);
    if (!i || e - i < 2 || memcmp(s + i, "))", 2) != 0)
        return 0;
    /* a quantified head ("(?:^|(?<=[.]))?x") may match nothing: its
     * matches start anywhere (blanks skipped for extended mode) */
    for (k = i + 2; k < e && is_xspace((unsigned char)s[k]); k++)
        ;
    if (k < e && strchr("?*+{", s[k]))
        return 0;
    got['\n'] = true;
    for (k = 0; k < 256; k++)
        after[k] = after[k] || got[k];
    return i + 2;
}

/*
 * After a clause head at s[i], the rest of the branch s[i, e) read as
 * "[^S]*?X" (or *, +, +?): S into stop, and X's starts into cl->tail
 * (as prefilter_starts gives them: a match of the branch holds one of
 * them starting at or before the first byte of S after its own start).
 * False when the rest is not of that kind.
 */
static bool clause_tail(const char *s, size_t i, size_t e, bool x,
                        struct pf_clause *cl)
{
    char *pat;
    size_t n;
    int rc;

    i = x_skip(s, i, e, x);
    if (e - i < 3 || s[i] != '[' || s[i + 1] != '^' ||
        !(i = class_bytes(s, i + 2, e, cl->stop)))
        return false;
    i = x_skip(s, i, e, x);
    if (i >= e || (s[i] != '*' && s[i] != '+'))
        return false;
    i++;
    if (i < e && s[i] == '?')
        i++;
    n = (x ? 4 : 0) + (e - i);
    if (!(pat = malloc(n + 1)))
        return false;
    memcpy(pat, "(?x)", x ? 4 : 0);
    memcpy(pat + (x ? 4 : 0), s + i, e - i);
    pat[n] = '\0';
    rc = prefilter_starts(pat, n, &cl->tail, &cl->ntail);
    free(pat);
    return rc == 0;
}

void pf_clause_release(struct pf_clause *cl)
{
    size_t i;

    for (i = 0; i < cl->ntail; i++)
        free(cl->tail[i]);
    free(cl->tail);
    cl->tail = NULL;
    cl->ntail = 0;
}

int prefilter_clause_starts(const char *pattern, size_t len, char ***out,
                            size_t *n, struct pf_clause *cl)
{
    const char *s = pattern;
    bool x = len >= 4 && memcmp(s, "(?x)", 4) == 0, tail_ok = true;
    size_t i = x ? 4 : 0, e, rn, k, clauses = 0, others = 0;
    char *rest = malloc(len + 2);
    int rc = -1;

    *out = NULL;
    *n = 0;
    memset(cl, 0, sizeof(*cl));
    if (!rest)
        return -1;
    rn = x ? 4 : 0;
    memcpy(rest, "(?x)", rn);
    for (;;) {
        i = x_skip(s, i, len, x);
        e = branch_end(s, i, len, x);
        if (e > len)
            goto out;
        if ((k = clause_head(s, i, e, cl->after)) != 0) {
            if (sets_options(s, i + 3, e))
                goto out; /* they would reach the branches after it */
            if (++clauses > 1 || !clause_tail(s, k, e, x, cl))
                tail_ok = false;
        } else {
            /* counted, not known by the bytes kept: an empty branch
             * (matches that start anywhere) keeps none */
            if (others++)
                rest[rn++] = '|';
            memcpy(rest + rn, s + i, e - i);
            rn += e - i;
        }
        if (e == len)
            break;
        i = e + 1;
    }
    if (!clauses)
        goto out;
    if (others)
        rc = prefilter_starts(rest, rn, out, n);
    else
        rc = 0;
out:
    if (rc != 0 || !tail_ok) {
        pf_clause_release(cl);
        memset(cl->stop, 0, sizeof(cl->stop));
    }
    if (rc != 0)
        memset(cl->after, 0, sizeof(cl->after));
    free(rest);
    return rc;
}

/* ---- starts after a leading lookbehind ---- */

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/*
 * One character of a lookbehind at s[*i] (plain ASCII text in view): its
 * bytes into set (a superset is sound: it only adds places to try).  A
 * class of bytes other than letters and digits (a '-' first or last, a
 * multi-byte character, which plain ASCII text cannot hold, skipped), \s,
 * \n, \t, \r, an escaped or plain punctuation byte.  False for anything
 * else.
 */
static bool behind_char(const char *s, size_t *i, size_t e, bool set[256])
{
    size_t k = *i;
    unsigned char c;

    if (k >= e)
        return false;
    c = (unsigned char)s[k];
    if (c == '[') {
        bool first = true;

        for (k++; k < e && (s[k] != ']' || first); first = false) {
            c = (unsigned char)s[k];
            if (c >= 0x80) {
                for (k++; k < e && ((unsigned char)s[k] & 0xC0) == 0x80; k++)
                    ;
                continue;
            }
            if (c == '\\') {
                size_t j = k;

                if (!behind_char(s, &j, e, set))
                    return false;
                k = j;
                continue;
            }
            if (c == '^' && first)
                return false;
            if (c == '-' && !first && k + 1 < e && s[k + 1] != ']')
                return false; /* a range */
            if (c == '[' || is_alnum(c))
                return false;
            set[c] = true;
            k++;
        }
        if (k >= e)
            return false;
        *i = k + 1;
        return true;
    }
    if (c == '\\') {
        if (k + 1 >= e)
            return false;
        c = (unsigned char)s[k + 1];
        if (c == 's') {
            set[' '] = set['\t'] = set['\n'] = set['\v'] = set['\f'] =
                set['\r'] = true;
        } else if (c == 'n' || c == 't' || c == 'r') {
            set[c == 'n' ? '\n' : c == 't' ? '\t' : '\r'] = true;
        } else if (c >= 0x80 || is_alnum(c)) {
            return false;
        } else {
            set[c] = true;
        }
        *i = k + 2;
        return true;
    }
    if (c >= 0x80 || is_alnum(c) || strchr("()|.*+?{^$", c))
        return false;
    set[c] = true;
    *i = k + 1;
    return true;
}

/* The lookbehind s[i, e) (from its "(?<" to its ')'): into cx; false
 * when it is not "(?<![^C])" or "(?<=X...)", X characters behind_char
 * reads. */
static bool behind_one(const char *s, size_t i, size_t e,
                       struct pf_behind_ctx *cx)
{
    memset(cx, 0, sizeof(*cx));
    if (e - i > 8 && memcmp(s + i, "(?<![^", 6) == 0 &&
        memcmp(s + e - 2, "])", 2) == 0) {
        /* not after a character outside C: at 0 or after one of C (read
         * as the class [C]) */
        char buf[128];
        size_t n = e - i - 6, k = 0; /* "[" C "]" */

        if (n >= sizeof(buf))
            return false;
        buf[0] = '[';
        memcpy(buf + 1, s + i + 6, n - 1);
        if (!behind_char(buf, &k, n, cx->set[0]) || k != n)
            return false;
        cx->k = 1;
        cx->at0 = true;
        return true;
    }
    if (e - i > 5 && memcmp(s + i, "(?<=", 4) == 0) {
        size_t k = i + 4;

        while (k < e - 1) {
            if (cx->k == PF_BEHIND_MAX ||
                !behind_char(s, &k, e - 1, cx->set[cx->k]))
                return false;
            cx->k++;
        }
        return cx->k > 0 && k == e - 1;
    }
    return false;
}

/* The index of the ')' that closes the '(' at s[0], or len. */
static size_t head_end(const char *s, size_t len)
{
    size_t i;
    int depth = 0;

    for (i = 0; i < len; i++) {
        if (s[i] == '\\') {
            i++;
        } else if (s[i] == '[') {
            for (i++; i < len && s[i] != ']'; i++)
                if (s[i] == '\\')
                    i++;
        } else if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')' && --depth == 0) {
            return i;
        }
    }
    return len;
}

int prefilter_behind_starts(const char *pattern, size_t len,
                            struct pf_behind *out)
{
    const char *s = pattern;
    size_t i, e, end;

    memset(out, 0, sizeof(*out));
    if (len < 5 || s[0] != '(' || memchr(s, '\0', len) ||
        strstr(pattern, "\\K"))
        return -1;
    end = head_end(s, len);
    if (end >= len)
        return -1;
    if (memcmp(s, "(?:", 3) == 0) {
        /* a group whose branches are each a lookbehind */
        for (i = 3;; i = e + 1) {
            e = branch_end(s, i, end, false);
            if (e > end || out->n == PF_BEHIND_CTX ||
                !behind_one(s, i, e, &out->ctx[out->n++]))
                return -1;
            if (e == end)
                break;
        }
    } else if (!behind_one(s, 0, end + 1, &out->ctx[out->n++])) {
        return -1;
    }
    /* a quantifier on the head, or a branch of the whole pattern beside
     * it: matches may start elsewhere */
    if (end + 1 < len && strchr("?*+{", s[end + 1]))
        return -1;
    if (branch_end(s, 0, len, false) != len)
        return -1;
    return 0;
}
