/* SPDX-License-Identifier: MIT */
/*
 * Differential tests of the prefilter's analyses (engine/prefilter.c,
 * engine/pfscan.c) against PCRE2 itself, on random patterns and texts
 * from a fixed seed: patterns of literals, classes holding multi-byte
 * UTF-8 characters, optional and repeated groups, alternations, inline
 * caseless options, anchors, \b and \B, lookaheads and lookbehinds (with
 * \b inside them), and clause-start heads; texts of plain ASCII pieces
 * those patterns are made of.  For each pattern PCRE2 compiles:
 *
 * - every match of a plain search (from 0, each next search one byte
 *   after the last match's start) must be found when the pattern is tried
 *   only at the places pf_starts_next gives (from prefilter_starts and
 *   from prefilter_clause_starts, when they give any), each try anchored
 *   by an offset limit and made as the engine makes it
 *   (engine_match_valid), both by PCRE2's interpreter and by its JIT;
 *   the same for the places after a leading lookbehind
 *   (prefilter_behind_starts);
 * - a text with a match holds one of prefilter_literals' literals, and
 *   the scan of a prefilter_new prefilter says the pattern may match.
 *
 * The start places must be exact: no match lost, none added.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "xorshift.h"

#define PAT_MAX 512
#define TEXT_MAX 256
#define MATCH_MAX 128

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

static size_t pick(size_t n)
{
    return (size_t)(rnd() % n);
}

/* ---- random patterns ---- */

struct pat {
    char s[PAT_MAX];
    size_t n;
    bool full;
};

static void put(struct pat *p, const char *s)
{
    size_t l = strlen(s);

    if (p->n + l >= PAT_MAX) {
        p->full = true;
        return;
    }
    memcpy(p->s + p->n, s, l + 1);
    p->n += l;
}

/* One character wide: what a lookbehind may hold (PCRE2 10.42 wants each
 * of its branches of fixed length). */
static const char *const fixed_atoms[] = {
    "a",
    "b",
    "t",
    "d",
    "n",
    "'",
    "\xE2\x80\x99",
    "\xC3\xA9",
    " ",
    "\\s",
    "\\w",
    "\\.",
    "[ab]",
    "['\xE2\x80\x99]",
    "[^a]",
    "[a-d]",
    "[\\n.]",
    "[A-D]",
    "-",
    "\\n",
    "[\xE2\x80\x99"
    "a]",
    "he",
    "at",
    "[^\\S\\n]",
    "T",
    "\xE2\x84\xAA", /* KELVIN SIGN */
    "\xC5\xBF",     /* LONG S */
};
/* Zero-width items a lookbehind may hold too. */
static const char *const fixed_zero[] = {"\\b", "\\B", "^", "$"};

static const char *const atoms[] = {
    "a",
    "b",
    "t",
    "d",
    "n",
    "'",
    "\xE2\x80\x99",
    "at",
    "att",
    "he",
    "she",
    "to",
    "no",
    " ",
    "\\s",
    "\\w",
    "\\d",
    ".",
    "[ab]",
    "['\xE2\x80\x99]",
    "[^a]",
    "[a-d]",
    "[\\w'\xE2\x80\x99-]",
    "\\.",
    "-",
    "\\n",
    "\\b",
    "\\B",
    "^",
    "$",
    "(?i)",
    "(?-i)",
    "\\Qa.b\\E",
    "[[:alpha:]]",
    "\\p{L}",
    "\xC3\xA9",
    "[\xC3\xA9t]",
    "\xE2\x84\xAA",
    "[^\\S\\n]",
    "T",
    "AT",
    "[A-Z]",
    "\\x41",
};
static const char *const quants[] = {"?",  "*",  "+",  "{1,2}", "{2}",
                                     "??", "*?", "+?", "{0,1}", "?+"};

/* A fixed-length branch of a lookbehind. */
static void gen_fixed(struct pat *p)
{
    size_t k, n = 1 + pick(4);

    for (k = 0; k < n; k++) {
        if (pick(5) == 0)
            put(p, fixed_zero[pick(sizeof(fixed_zero) / sizeof(*fixed_zero))]);
        put(p, fixed_atoms[pick(sizeof(fixed_atoms) / sizeof(*fixed_atoms))]);
    }
    if (pick(6) == 0)
        put(p, "\\b");
}

static void gen_alt(struct pat *p, int depth);

static void gen_item(struct pat *p, int depth)
{
    size_t r = pick(depth > 2 ? 10 : 16);

    if (r < 10) {
        put(p, atoms[pick(sizeof(atoms) / sizeof(*atoms))]);
    } else if (r < 12) {
        put(p, "(?:");
        gen_alt(p, depth + 1);
        put(p, ")");
    } else if (r < 14) {
        /* a lookbehind of fixed-length branches */
        put(p, pick(2) ? "(?<!" : "(?<=");
        gen_fixed(p);
        while (pick(3) == 0) {
            put(p, "|");
            gen_fixed(p);
        }
        put(p, ")");
        return; /* no quantifier */
    } else if (r == 14) {
        put(p, pick(2) ? "(?=" : "(?!");
        gen_alt(p, depth + 1);
        put(p, ")");
        return;
    } else {
        put(p, pick(2) ? "(?i:" : "(?-i:");
        gen_alt(p, depth + 1);
        put(p, ")");
    }
    if (pick(4) == 0)
        put(p, quants[pick(sizeof(quants) / sizeof(*quants))]);
}

static void gen_seq(struct pat *p, int depth)
{
    size_t k, n = 1 + pick(depth ? 3 : 5);

    for (k = 0; k < n; k++)
        gen_item(p, depth);
}

static void gen_alt(struct pat *p, int depth)
{
    gen_seq(p, depth);
    while (pick(3) == 0) {
        put(p, "|");
        if (pick(8)) /* else an empty branch */
            gen_seq(p, depth);
    }
}

/* Heads the engine's own patterns begin with: a clause's start, a line's
 * or a sentence's, or lookbehinds of words before a term. */
static const char *const heads[] = {
    "(?:^|(?<=[.;\\n]))",
    "(?:^|(?<=[.;\\n]))[^.;\\n]*?",
    "(?:^|(?<=[,:]))\\s*",
    "(?:(?<![^\\n])|(?<=[.!?;:]\\s)|(?<=\\s[-\xE2\x80\x93]\\s))",
    "(?<![^\\n])",
    "(?<!\\bhe\\s)(?<!\\bshe\\s)(?<!\\bhe's\\s)\\b",
    "(?<!\\bnot\\s)",
    "(?<=\\s)",
    "(?<=[.!?;:]\\s)",
    "(?:(?<![^\\n.])|(?<=\\s-\\s)|(?<=[,:]))",
    "(?<![^\\n\xE2\x80\x93-])",
    "\\b(?:",
};

static void gen_pattern(struct pat *p)
{
    size_t h;

    p->n = 0;
    p->s[0] = '\0';
    p->full = false;
    if (pick(3) == 0) {
        h = pick(sizeof(heads) / sizeof(*heads));
        put(p, heads[h]);
        if (strcmp(heads[h], "\\b(?:") == 0) {
            gen_alt(p, 1);
            put(p, ")");
        }
    }
    gen_alt(p, 0);
    while (pick(4) == 0) {
        put(p, "|");
        if (pick(2))
            put(p, heads[pick(3)]);
        if (pick(8) == 0) /* a quantified head */
            put(p, quants[pick(sizeof(quants) / sizeof(*quants))]);
        if (pick(6)) /* else an empty branch, or a bare head */
            gen_seq(p, 0);
    }
}

/* ---- random texts ---- */

static const char *const pieces[] = {
    "a",   "b",   "t",  "d",   "n",   "at",    "att",  "att'd", "attnd",
    "he",  "she", "He", "SHE", "to",  "no",    "not",  "'",     " ",
    " ",   "  ",  "\n", ".",   ". ",  "; ",    ", ",   ": ",    "-",
    " - ", "A",   "T",  "D",   "ATT", "x",     "1",    "_",     "k",
    "s",   "S",   "K",  "ab",  "a.b", "he's ", "she ", "hes ",  "?",
};

static size_t gen_text(char *t)
{
    size_t n = 0, k, parts = 1 + pick(16);

    for (k = 0; k < parts; k++) {
        const char *s = pieces[pick(sizeof(pieces) / sizeof(*pieces))];
        size_t l = strlen(s);

        if (n + l >= TEXT_MAX)
            break;
        memcpy(t + n, s, l);
        n += l;
    }
    t[n] = '\0';
    return n;
}

/* ---- matching ---- */

struct matcher {
    pcre2_code *plain;         /* the reference: the interpreter */
    pcre2_code *lim, *lim_jit; /* with PCRE2_USE_OFFSET_LIMIT */
    pcre2_match_data *md;
    pcre2_match_context *mctx, *mctx_plain; /* the same match limit */
};

/* Every match (start, end) of a plain search of t, overlapping ones too,
 * into out; how many numbers.  -1 on an error (a limit). */
static int plain_matches(const struct matcher *m, const char *t, size_t len,
                         size_t *out)
{
    size_t n = 0, start = 0;

    while (start <= len) {
        int rc = pcre2_match(m->plain, (PCRE2_SPTR)t, len, start,
                             PCRE2_NO_UTF_CHECK, m->md, m->mctx_plain);
        PCRE2_SIZE *ov;

        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0)
            return -1;
        ov = pcre2_get_ovector_pointer(m->md);
        if (n + 2 > 2 * MATCH_MAX)
            return -1;
        out[n++] = ov[0];
        out[n++] = ov[1];
        start = ov[0] + 1;
    }
    return (int)n;
}

/* The same, the pattern tried only at ps's places, as the engine tries
 * it (engine_match_valid, anchored by an offset limit). */
static int start_matches(const struct matcher *m, const pcre2_code *code,
                         const struct pf_starts *ps, const char *t, size_t len,
                         size_t *out)
{
    size_t n = 0, start = 0;

    while ((start = pf_starts_next(ps, t, len, start)) != PF_NO_START) {
        int rc;
        PCRE2_SIZE *ov;

        pcre2_set_offset_limit(m->mctx, start);
        rc = engine_match_valid(code, t, len, start, m->md, m->mctx);
        if (rc >= 0) {
            ov = pcre2_get_ovector_pointer(m->md);
            if (n + 2 > 2 * MATCH_MAX)
                return -1;
            out[n++] = ov[0];
            out[n++] = ov[1];
        } else if (rc != PCRE2_ERROR_NOMATCH) {
            return -1;
        }
        start++;
    }
    return (int)n;
}

static bool contains_ci(const char *t, size_t len, const char *lit)
{
    size_t ll = strlen(lit), j, k;

    for (j = 0; j + ll <= len; j++) {
        for (k = 0; k < ll; k++) {
            unsigned char c = (unsigned char)t[j + k];

            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if (c != (unsigned char)lit[k])
                break;
        }
        if (k == ll)
            return true;
    }
    return false;
}

static void free_list(char **l, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

struct tally {
    int patterns, with_starts, with_clause, with_behind, with_lits, texts,
        matched, at_starts, bad;
};

/* The analyses of one pattern against PCRE2 on ntexts random texts. */
static void check_pattern(const char *pat, uint32_t opts, int ntexts,
                          struct tally *ty)
{
    struct matcher m = {0};
    struct pf_starts *ps[3] = {NULL, NULL, NULL};
    struct pf_behind bh;
    struct prefilter *pf = NULL;
    struct lx_set always, got;
    struct pf_clause cl;
    char **l = NULL, **lits = NULL, text[TEXT_MAX];
    size_t nl, nlits = 0, a[2 * MATCH_MAX], b[2 * MATCH_MAX], len, i, k;
    int errcode, na, nb, r;
    PCRE2_SIZE eo;
    bool has_lits;

    m.plain = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts,
                            &errcode, &eo, NULL);
    if (!m.plain)
        return; /* not a pattern PCRE2 takes */
    m.lim = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                          opts | PCRE2_USE_OFFSET_LIMIT, &errcode, &eo, NULL);
    assert_non_null(m.lim);
    m.lim_jit = pcre2_code_copy(m.lim);
    assert_non_null(m.lim_jit);
    pcre2_jit_compile(m.lim_jit, PCRE2_JIT_COMPLETE);
    m.md = pcre2_match_data_create(4, NULL);
    m.mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(m.mctx, 100000);
    m.mctx_plain = pcre2_match_context_copy(m.mctx);
    assert_non_null(m.md);
    assert_non_null(m.mctx);
    assert_non_null(m.mctx_plain);
    ty->patterns++;
    if (prefilter_starts(pat, strlen(pat), &l, &nl) == 0) {
        ps[0] = pf_starts_new(l, nl);
        assert_non_null(ps[0]);
        free_list(l, nl);
        ty->with_starts++;
    }
    if (prefilter_clause_starts(pat, strlen(pat), &l, &nl, &cl) == 0) {
        ps[1] = pf_starts_new_after(l, nl, &cl);
        assert_non_null(ps[1]);
        pf_clause_release(&cl);
        free_list(l, nl);
        ty->with_clause++;
    }
    if (prefilter_behind_starts(pat, strlen(pat), &bh) == 0) {
        ps[2] = pf_starts_new_behind(&bh);
        assert_non_null(ps[2]);
        ty->with_behind++;
    }
    has_lits = prefilter_literals(pat, strlen(pat), &lits, &nlits) == 0;
    ty->with_lits += has_lits;
    pf = prefilter_new(&pat, 1, &always);
    assert_non_null(pf);
    assert_int_equal(lx_set_has(&always, 0), !has_lits);
    for (r = 0; r < ntexts; r++) {
        len = gen_text(text);
        na = plain_matches(&m, text, len, a);
        if (na < 0)
            continue; /* a limit: nothing to compare */
        ty->texts++;
        if (na == 0)
            continue;
        ty->matched++;
        prefilter_scan_set(pf, text, len, &got);
        for (i = 0, k = !has_lits; i < nlits && !k; i++)
            k = contains_ci(text, len, lits[i]);
        if (!k || (has_lits && !lx_set_has(&got, 0))) {
            print_error("pattern '%s' text '%s': a match, and the prefilter "
                        "says none\n",
                        pat, text);
            ty->bad++;
        }
        for (k = 0; k < 6; k++) {
            const struct pf_starts *use = ps[k / 2];

            if (!use)
                continue;
            nb =
                start_matches(&m, k % 2 ? m.lim_jit : m.lim, use, text, len, b);
            if (nb < 0 && k % 2)
                continue; /* the JIT counts its match limit otherwise */
            ty->at_starts += k == 0;
            if (nb != na || memcmp(a, b, (size_t)na * sizeof(*a)) != 0) {
                print_error("pattern '%s' text '%s': %d matches, %d at the "
                            "%s starts (%s)\n",
                            pat, text, na / 2, nb < 0 ? -1 : nb / 2,
                            k < 2   ? "string"
                            : k < 4 ? "clause"
                                    : "lookbehind",
                            k % 2 ? "JIT" : "interpreter");
                ty->bad++;
            }
        }
    }
    if (has_lits)
        free_list(lits, nlits);
    prefilter_free(pf);
    pf_starts_free(ps[0]);
    pf_starts_free(ps[1]);
    pf_starts_free(ps[2]);
    pcre2_match_context_free(m.mctx);
    pcre2_match_context_free(m.mctx_plain);
    pcre2_match_data_free(m.md);
    pcre2_code_free(m.plain);
    pcre2_code_free(m.lim);
    pcre2_code_free(m.lim_jit);
}

/* Patterns written by hand: the one that was reported (trace-visit's
 * 'att' forms with a class of apostrophes, after lookbehinds holding \b),
 * its rewriting, and small ones of the same kind. */
static void test_hand_patterns(void **state)
{
    static const char *const pats[] = {
        "(?<!\\bhe\\s)(?<!\\bshe\\s)(?<!\\bhe's\\s)\\b(?:visited|att(?:['"
        "\xE2\x80\x99]?d|nd)?|called)[^\\S\\n]+[\\w'\xE2\x80\x99-]{2,}",
        "(?<!\\bhe\\s)(?<!\\bshe\\s)(?<!\\bhe's\\s)\\b(?:visited|att(?:d|nd|'"
        "d|\xE2\x80\x99"
        "d)?|called)[^\\S\\n]+[\\w'\xE2\x80\x99-]{2,}",
        "(?<!\\bhe\\s)visited",
        "(?<!\\bb)c",
        "(?<!\\Bb)c",
        "(?<=\\Bb)c",
        "(?<=a\\b)\\s*to",
        "att(?:['\xE2\x80\x99]?d|nd)?",
    };
    static const char *const texts[] = {
        "SbHe's ViSitED  calLe  ",   "She visited", "Att Holme Foot campsite",
        "att'd Holme. he's att'd x", "xbc abc bc",  "a to",
    };
    struct tally ty = {0};
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof(pats) / sizeof(*pats); i++) {
        /* the random texts, then the written ones through the same check */
        check_pattern(pats[i], PCRE2_UTF | PCRE2_CASELESS, 300, &ty);
        for (j = 0; j < sizeof(texts) / sizeof(*texts); j++) {
            struct matcher m = {0};
            struct pf_starts *ps;
            char **l;
            size_t nl, a[2 * MATCH_MAX], b[2 * MATCH_MAX];
            int errcode, na, nb;
            PCRE2_SIZE eo;
            size_t len = strlen(texts[j]);

            if (prefilter_starts(pats[i], strlen(pats[i]), &l, &nl) != 0)
                continue;
            ps = pf_starts_new(l, nl);
            free_list(l, nl);
            m.plain =
                pcre2_compile((PCRE2_SPTR)pats[i], PCRE2_ZERO_TERMINATED,
                              PCRE2_UTF | PCRE2_CASELESS, &errcode, &eo, NULL);
            m.lim = pcre2_compile((PCRE2_SPTR)pats[i], PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF | PCRE2_CASELESS |
                                      PCRE2_USE_OFFSET_LIMIT,
                                  &errcode, &eo, NULL);
            m.md = pcre2_match_data_create(4, NULL);
            m.mctx = pcre2_match_context_create(NULL);
            na = plain_matches(&m, texts[j], len, a);
            nb = start_matches(&m, m.lim, ps, texts[j], len, b);
            if (na != nb || memcmp(a, b, (size_t)na * sizeof(*a)) != 0) {
                print_error("pattern '%s' text '%s': %d matches, %d at the "
                            "starts\n",
                            pats[i], texts[j], na / 2, nb / 2);
                ty.bad++;
            }
            ty.matched += na > 0;
            pcre2_match_context_free(m.mctx);
            pcre2_match_data_free(m.md);
            pcre2_code_free(m.plain);
            pcre2_code_free(m.lim);
            pf_starts_free(ps);
        }
    }
    assert_true(ty.matched > 20);
    assert_int_equal(ty.bad, 0);
}

/* Random patterns, caseless or not, against random texts. */
static void test_random_patterns(void **state)
{
    struct tally ty = {0};
    struct pat p;
    int i;

    (void)state;
    for (i = 0; i < 10000; i++) {
        gen_pattern(&p);
        if (p.full)
            continue;
        check_pattern(p.s, PCRE2_UTF | (i % 4 ? PCRE2_CASELESS : 0), 40, &ty);
    }
    print_message("%d patterns, %d with starts, %d with clause starts, %d "
                  "after lookbehinds, %d with literals; %d texts, %d with a "
                  "match, %d tried at starts\n",
                  ty.patterns, ty.with_starts, ty.with_clause, ty.with_behind,
                  ty.with_lits, ty.texts, ty.matched, ty.at_starts);
    /* the patterns and texts do exercise the analyses */
    assert_true(ty.patterns > 6000);
    assert_true(ty.with_starts > 1500);
    assert_true(ty.with_clause > 300);
    assert_true(ty.with_behind > 300);
    assert_true(ty.with_lits > 1400);
    assert_true(ty.at_starts > 8000);
    assert_int_equal(ty.bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_patterns),
        cmocka_unit_test(test_random_patterns),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
