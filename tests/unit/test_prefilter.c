/* SPDX-License-Identifier: MIT */
/* Unit tests for the literal prefilter in front of PCRE2 (engine/
 * prefilter.c): the literals derived from patterns, giving up on syntax the
 * analysis does not understand, no match ever lost (PCRE2 against random
 * texts made of each pattern's own words; section headings on labels of
 * their own words), the non-ASCII escape hatch (caseless k and s match
 * U+212A and U+017F), the lexicon's regex items found in the rules' pass as
 * by their own prefilter, and identical findings with and without the
 * prefilter on a generated export and the rule fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/findings.h"
#include "engine/internal.h"
#include "engine/rules.h"
#include "ingest/ingest.h"
#include "synth/gen.h"
#include "util/buf.h"
#include "tests/unit/strlist.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/twin.h"
#include "xorshift.h"

/* The literals of pat joined with '|' ("-" for none). */
static void literals(const char *pat, char *out, size_t size)
{
    char **l;
    size_t n;

    if (prefilter_literals(pat, strlen(pat), &l, &n) != 0) {
        snprintf(out, size, "-");
        return;
    }
    strlist_join(l, n, out, size);
}

static void test_literals(void **state)
{
    static const char *const cases[][2] = {
        {"review", "review"},
        {"\\bREVIEWED\\b", "reviewed"},
        {"rev(?:ie|ei|i)w(?:e?d|ing)?", "review|reveiw|reviw"},
        {"screened\\s+out|NFA", "screened|nfa"},
        /* the longest shortest literal of a sequence is kept */
        {"no\\s+further\\s+action", "further"},
        {"outcome\\s+18", "outcome"},
        {"u(?:pd|dp)ate[ds]?", "update|udpate"},
        {"e-?mailed", "e-mailed|emailed"},
        {"(?x) filed  # a comment with | and ( in it\n | closed",
         "filed|closed"},
        {"(?x:a b c)|(?-x:d e)", "abc|d e"},
        {"(?i)Q\\.A\\.", "q.a."},
        {"\\Qa+b\\E|xy", "a+b|xy"},
        {"(?<name>cctv)\\s+viewed", "viewed"},
        {"(?=abc)", "-"},
        {"(?<!no )review", "review"},
        {"(?:cctv|h2h)+", "cctv|h2h"},
        {"(?:ab){2}", "abab"},
        {"[a-c]at", "aat|bat|cat"},
        {"[^a]at", "at"},
        {"[Ss]tatement", "statement"},
        {"\\d+ reviews?", " review"},
        {"reviews|review", "review"},
        /* no constraint, or literals too short */
        {"a|bc", "-"},
        {".*", "-"},
        {"(?:x\\s+)?y", "-"},
        {"\\w+", "-"},
        {"ab|", "-"},
        /* syntax the analysis gives up on */
        {"(a)\\1", "-"},
        {"(*UTF)review", "-"},
        {"\\x41bc", "-"},
        {"(?(1)ab|cd)", "-"},
        {"(?R)", "-"},
        {"ab{,3}", "-"},
        {"review(", "-"},
        {"re[view", "-"},
        {"(?C1)review", "-"},
        /* a quantifier after (?#...) or an empty \Q\E applies to the
         * item before them, after \Q...\E to its last character */
        {"ab(?#c)*d", "-"},
        {"xu(?#pd|)?:", "-"},
        {"ab\\Q\\E*d", "-"},
        {"\\Qab\\E{2}c", "-"},
        {"ab(?#c)d", "abd"},
        {"x\\Qa\\E{2}y", "xaay"},
    };
    char got[512];
    size_t i;
    int bad = 0;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        literals(cases[i][0], got, sizeof(got));
        if (strcmp(got, cases[i][1]) != 0) {
            print_error("'%s': got '%s', want '%s'\n", cases[i][0], got,
                        cases[i][1]);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* ---- no match lost ---- */

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

/* Whether a case-insensitive ASCII search finds a literal in text. */
static bool has_literal(char **l, size_t n, const char *text)
{
    size_t i, j, k, tl = strlen(text);

    for (i = 0; i < n; i++) {
        size_t ll = strlen(l[i]);

        for (j = 0; j + ll <= tl; j++) {
            for (k = 0; k < ll; k++) {
                unsigned char c = (unsigned char)text[j + k];
                if (c >= 'A' && c <= 'Z')
                    c = (unsigned char)(c + 32);
                if (c != (unsigned char)l[i][k])
                    break;
            }
            if (k == ll)
                return true;
        }
    }
    return false;
}

/* Random texts from the pattern's words (cut, joined, recased, with
 * separators): whenever PCRE2 matches, a literal must be in the text. */
static int fuzz_pattern(const char *pat, int rounds, int *matched)
{
    static const char *const seps[] = {" ",  "  ", ", ", ". ", "-",
                                       "\n", ": ", "'",  "",   " the "};
    char words[64][24], text[400], **l;
    size_t nw, nl, i;
    int errcode, misses = 0, r;
    PCRE2_SIZE eo;
    pcre2_code *re;
    pcre2_match_data *md;

    if (prefilter_literals(pat, strlen(pat), &l, &nl) != 0)
        return 0; /* nothing to check: no filtering */
    re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                       PCRE2_UTF | PCRE2_CASELESS, &errcode, &eo, NULL);
    assert_non_null(re);
    md = pcre2_match_data_create(1, NULL);
    nw = pattern_words(pat, words, 64);
    for (r = 0; r < rounds && nw; r++) {
        size_t len =
            random_text(words, nw, seps, 10, 6, rnd, text, sizeof(text));

        if (pcre2_match(re, (PCRE2_SPTR)text, len, 0, 0, md, NULL) >= 0) {
            (*matched)++;
            if (!has_literal(l, nl, text)) {
                print_error("lost match: pattern '%s' text '%s'\n", pat, text);
                misses++;
            }
        }
    }
    for (i = 0; i < nl; i++)
        free(l[i]);
    free(l);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return misses;
}

static void test_no_match_lost(void **state)
{
    static const char *const extra[] = {
        "rev(?:ie|ei|i)w(?:e?d|ing)?|QA(?:['’]?d)?",
        "(?:filed|closed)\\s+(?:at|on)\\s+screening|not\\s+(?:be\\s+)?"
        "(?:investigated|progressed)",
        "\\bno\\s+(?:[\\w'’-]+\\s+){0,1}?(?:u(?:pd|dp)(?:at|ta)e|contact)\\b",
        "(?:ab|cd)(?:ef|gh)(?:ij|kl)(?:mn|op)(?:qr|st)(?:uv|wx)(?:yz|ab)",
        "(?:a|b)c{2}(?:de)+f?",
        "x(?:y|z)*w(?:ab){2}",
    };
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    size_t i;
    int misses = 0, matched = 0, tried = 0;

    (void)state;
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    for (i = 0; i < rs->n; i++) {
        const struct entry_spec *sp[4] = {
            &rs->rules[i]->when, &rs->rules[i]->entry, &rs->rules[i]->ifs,
            &rs->rules[i]->thens};
        size_t k;

        for (k = 0; k < 4; k++)
            if (sp[k]->present && sp[k]->re.src) {
                misses += fuzz_pattern(sp[k]->re.src, 3000, &matched);
                tried++;
            }
    }
    /* the lexicon's regex items are gated by the same literals */
    assert_non_null(rs->lex);
    for (i = 0; i < rs->lex->nregexes; i++) {
        misses += fuzz_pattern(rs->lex->regexes[i].re.src, 3000, &matched);
        tried++;
    }
    for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        misses += fuzz_pattern(extra[i], 3000, &matched);
    ruleset_free(rs);
    assert_true(tried >= 20);
    assert_true(matched > 1000); /* the texts do exercise the patterns */
    assert_int_equal(misses, 0);
}

/* The lexicon's section headings are tried only on labels that hold one of
 * their literals: no label they match may be turned away.  Labels: one to
 * three of the headings' own words, joined by blanks or hyphens, in any
 * case. */
static void test_headings_prefilter(void **state)
{
    static const char *const joins[] = {" ", "  ", "-", " - "};
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    const struct lexicon *lx;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    char words[256][24], label[120];
    size_t k, i, j, matched = 0;

    (void)state;
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    lx = rs->lex;
    assert_non_null(lx);
    assert_non_null(lx->headings_pf);
    for (k = 0; k < lx->nmods; k++) {
        size_t nw;

        if (!lx->mods[k].headings.code)
            continue;
        nw = pattern_words(lx->mods[k].headings.src, words, 256);
        for (i = 0; i < 30000; i++) {
            size_t len = 0, n = 1 + rnd() % 3;
            struct lx_set may;

            for (j = 0; j < n; j++) {
                const char *w = words[rnd() % nw], *g = joins[rnd() % 4];
                size_t c;

                if (j) {
                    memcpy(label + len, g, strlen(g));
                    len += strlen(g);
                }
                for (c = 0; w[c]; c++)
                    label[len++] = rnd() % 3 == 0 && w[c] >= 'a' && w[c] <= 'z'
                                       ? (char)(w[c] - 32)
                                       : w[c];
            }
            if (pcre2_match(lx->mods[k].headings.code, (PCRE2_SPTR)label, len,
                            0, 0, md, NULL) < 0)
                continue;
            matched++;
            prefilter_scan_set(lx->headings_pf, label, len, &may);
            lx_set_or(&may, &lx->headings_always);
            if (!lx_set_has(&may, k))
                fail_msg("heading '%.*s' of %s turned away", (int)len, label,
                         lx->mods[k].name);
        }
    }
    assert_true(matched > 1000);
    pcre2_match_data_free(md);
    ruleset_free(rs);
}

/* ---- the scanner ---- */

static const char rule_fmt[] = "id: T-%d\ntitle: t\ncategory: supervision\n"
                               "level: high\nstatus: stable\n"
                               "applies_to: { type: crime }\n"
                               "check: must_contain\n"
                               "entry: { regex: '%s' }\n"
                               "message: m\nreferences: [r]\n";

static struct ruleset *one_rule(const char *regex)
{
    char text[1024];
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;

    snprintf(text, sizeof(text), rule_fmt, 1, regex);
    assert_int_equal(
        ruleset_load_buffer("t.yaml", text, strlen(text), NULL, &rs, &err),
        CA_OK);
    return rs;
}

static void test_scan(void **state)
{
    struct ruleset *rs = one_rule("\\b(?:skip|risk)\\s+assessed\\b");
    const struct prefilter *pf = rs->pf[RT_CRIME];
    const struct entry_spec *sp = &rs->rules[0]->entry;

    (void)state;
    assert_non_null(pf);
    assert_int_equal(sp->pf_bit, 0);
    assert_int_equal(prefilter_scan(pf, "Risk ASSESSED today", 19), 1);
    assert_int_equal(prefilter_scan(pf, "nothing here", 12), 0);
    assert_int_equal(prefilter_scan(pf, "assesse", 7), 0);
    assert_int_equal(prefilter_scan(pf, "", 0), 0);
    /* "assessed" at the very end, and split by the length */
    assert_int_equal(prefilter_scan(pf, "was assessed", 12), 1);
    assert_int_equal(prefilter_scan(pf, "was assessed", 11), 0);
    /* any byte >= 0x80: no filtering at all */
    assert_int_equal(prefilter_scan(pf, "caf\xC3\xA9", 5), ~(uint64_t)0);
    ruleset_free(rs);
}

/*
 * The prefilter of a record type whose rules name concepts finds the
 * lexicon's regex items in the same pass: for every text it must
 * say what the lexicon's own prefilter says, with the items that have no
 * literals.  Texts: the items' own literals and words, in any case, with
 * filler, punctuation and now and then a byte that is not ASCII.
 */
static void test_lexicon_word(void **state)
{
    static const char *const filler[] = {
        " ", "  ", "\n",           ", ",      ". ", "-",
        ":", "'",  "the",          "PC",      "to", "no",
        "x", "1",  "\xE2\x80\x99", "\xC3\xA9"};
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    const struct lexicon *lx;
    char words[512][24], text[400];
    size_t nw = 0, i, k, differ = 0, some = 0;

    (void)state;
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    lx = rs->lex;
    assert_non_null(lx);
    assert_non_null(lx->regex_pf);
    assert_true(rs->pf_lexicon[RT_CRIME]);
    for (i = 0; i < lx->nregexes && nw < 480; i++)
        nw += pattern_words(lx->regexes[i].re.src, words + nw, 480 - nw);
    assert_true(nw > 100);
    for (i = 0; i < 20000; i++) {
        size_t len = 0, n = 1 + rnd() % 12;
        uint64_t rules, d = 0, x = 0;
        struct lx_set both, own;

        for (k = 0; k < n && len + 30 < sizeof(text); k++) {
            const char *w =
                rnd() % 2
                    ? words[rnd() % nw]
                    : filler[rnd() % (sizeof(filler) / sizeof(filler[0]))];
            size_t wl = strlen(w), j;

            for (j = 0; j < wl; j++)
                text[len + j] = rnd() % 4 == 0 && w[j] >= 'a' && w[j] <= 'z'
                                    ? (char)(w[j] - 32)
                                    : w[j];
            len += wl;
        }
        prefilter_scan_all(rs->pf[RT_CRIME], text, len, &rules, &both);
        prefilter_scan_set(lx->regex_pf, text, len, &own);
        assert_int_equal(rules, prefilter_scan(rs->pf[RT_CRIME], text, len));
        for (k = 0; k < LX_SET_WORDS; k++) {
            d |= (both.w[k] | lx->regex_always.w[k]) ^
                 (own.w[k] | lx->regex_always.w[k]);
            x |= own.w[k] & ~lx->regex_always.w[k];
        }
        differ += d != 0;
        some += x != 0;
    }
    assert_int_equal(differ, 0);
    assert_true(some > 5000); /* the texts hold the items' literals */
    ruleset_free(rs);
}

/* Whether lower-case literal l occurs in text[0, len) (ASCII caseless). */
static bool holds(const char *text, size_t len, const char *l)
{
    size_t n = strlen(l), i, j;

    for (i = 0; i + n <= len; i++) {
        for (j = 0; j < n; j++) {
            char c = text[i + j];

            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != l[j])
                break;
        }
        if (j == n)
            return true;
    }
    return false;
}

/*
 * The scan against a plain search for every literal of every pattern, on
 * prefilters of n of the lexicon's regex items (in turn, again from the
 * first when n is more) for n giving each width of bits (one to five
 * words), over texts of the items' words: a pattern's bit is set exactly
 * when one of its literals is in the text.
 */
static void test_scan_naive(void **state)
{
    static const char *const filler[] = {" ", "  ",  "\n", ", ", ". ", "-",
                                         ":", "the", "PC", "to", "no", "x"};
    static const size_t sizes[] = {1, 30, 90, 150, 250};
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    const struct lexicon *lx;
    char words[512][24], text[300];
    char **lits[LX_SET_MAX];
    size_t nlits[LX_SET_MAX], nw = 0, i, k, z, set = 0;

    (void)state;
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    lx = rs->lex;
    assert_true(lx->nregexes >= 30);
    for (i = 0; i < lx->nregexes && nw < 480; i++)
        nw += pattern_words(lx->regexes[i].re.src, words + nw, 480 - nw);
    for (i = 0; i < lx->nregexes && i < LX_SET_MAX; i++) {
        const char *src = lx->regexes[i].re.src;

        if (prefilter_literals(src, strlen(src), &lits[i], &nlits[i]) != 0)
            lits[i] = NULL;
    }
    for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
        size_t n = sizes[z];
        const char *srcs[LX_SET_MAX];
        struct lx_set always, got_set;
        struct prefilter *pf;

        for (i = 0; i < n; i++)
            srcs[i] = lx->regexes[i % lx->nregexes].re.src;
        pf = prefilter_new(srcs, n, &always);
        assert_non_null(pf);
        for (k = 0; k < 4000; k++) {
            size_t len = 0, m = 1 + rnd() % 16, j;

            for (j = 0; j < m && len + 30 < sizeof(text); j++) {
                const char *w =
                    rnd() % 2
                        ? words[rnd() % nw]
                        : filler[rnd() % (sizeof(filler) / sizeof(filler[0]))];
                size_t wl = strlen(w), q;

                for (q = 0; q < wl; q++)
                    text[len + q] = rnd() % 4 == 0 && w[q] >= 'a' && w[q] <= 'z'
                                        ? (char)(w[q] - 32)
                                        : w[q];
                len += wl;
            }
            prefilter_scan_set(pf, text, len, &got_set);
            for (i = 0; i < n; i++) {
                bool want = false;

                if (lx_set_has(&always, i))
                    continue;
                for (j = 0; lits[i % lx->nregexes] &&
                            j < nlits[i % lx->nregexes] && !want;
                     j++)
                    want = holds(text, len, lits[i % lx->nregexes][j]);
                assert_int_equal(lx_set_has(&got_set, i), want);
                set += want;
            }
        }
        prefilter_free(pf);
    }
    assert_true(set > 20000);
    for (i = 0; i < lx->nregexes && i < LX_SET_MAX; i++) {
        for (k = 0; lits[i] && k < nlits[i]; k++)
            free(lits[i][k]);
        free(lits[i]);
    }
    ruleset_free(rs);
}

static int got(void *ctx, const struct record *rec,
               const struct engine_verdict *ev)
{
    (void)rec;
    *(enum verdict *)ctx = ev->verdict;
    return 0;
}

/* The verdict of a one-rule set on a one-entry log, with and without the
 * prefilter. */
static enum verdict verdict_of(const struct ruleset *rs, const char *log,
                               bool prefilter)
{
    const char *names[] = {"crime_ref", "log"};
    const char *values[] = {"C1", log};
    size_t lens[] = {2, strlen(log)};
    struct record r;
    struct engine_limits lim = {0};
    struct engine_params p = {0};
    struct engine_scratch *s;
    enum verdict v = V__COUNT;
    size_t i;

    memset(&r, 0, sizeof(r));
    r.type = RT_CRIME;
    r.source = "t.csv";
    r.line = 2;
    r.force = "kent";
    r.id = "C1";
    r.ncols = 2;
    r.names = names;
    r.values = values;
    r.lens = lens;
    for (i = 0; i < CF__COUNT; i++)
        r.canon[i] = -1;
    r.canon[CF_CRIME_REF] = 0;
    r.canon[CF_LOG] = 1;
    lim.no_prefilter = !prefilter;
    s = engine_scratch_new(&lim);
    assert_non_null(s);
    assert_int_equal(engine_eval(rs, &r, &p, s, got, &v), CA_OK);
    engine_scratch_free(s);
    return v;
}

static void test_unicode_caseless(void **state)
{
    /* caseless UTF matching: "sk" matches U+017F LONG S and U+212A KELVIN
     * SIGN, which no ASCII search for "sk" finds */
    struct ruleset *rs = one_rule("\\brisk\\s+assessed\\b");
    static const char log[] = "2014-02-03 10:00 PC 1 A: Ri\xC5\xBF\xE2\x84\xAA "
                              "assessed.";

    (void)state;
    assert_non_null(rs->pf[RT_CRIME]);
    assert_int_equal(verdict_of(rs, log, false), V_PASS);
    assert_int_equal(verdict_of(rs, log, true), V_PASS);
    assert_int_equal(
        verdict_of(rs, "2014-02-03 10:00 PC 1 A: Risk assessed.", true),
        V_PASS);
    assert_int_equal(
        verdict_of(rs, "2014-02-03 10:00 PC 1 A: Risk noted.", true), V_FAIL);
    ruleset_free(rs);
}

/* ---- identical findings with and without ---- */

static void test_same_findings(void **state)
{
    struct synth_options so;
    struct ca_error err = CA_ERROR_INIT;
    struct engine_limits off = {0};
    char *bon, dir[512];
    size_t lon;
    const char *inputs[2];
    uint64_t records;

    (void)state;
    snprintf(dir, sizeof(dir), "%s/export", tmpdir);
    synth_options_init(&so);
    so.records = 4000;
    so.seed = "prefilter";
    assert_int_equal(synth_export(&so, dir, false, NULL, &err), CA_OK);
    inputs[0] = dir;
    inputs[1] = "../../fixtures/rules";
    off.no_prefilter = true;
    records = twin_compare(NULL, &off, inputs, 2, false, &bon, &lon);
    assert_true(records > 9000);
    assert_true(lon > 1000000);
    free(bon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_no_match_lost),
        cmocka_unit_test(test_headings_prefilter),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_lexicon_word),
        cmocka_unit_test(test_scan_naive),
        cmocka_unit_test(test_unicode_caseless),
        cmocka_unit_test(test_same_findings),
    };

    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
