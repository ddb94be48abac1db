/* SPDX-License-Identifier: MIT */
/* Unit tests for the places where a pattern's matches may start
 * (prefilter_starts, pf_starts_next; engine/prefilter.c, engine/pfscan.c):
 * the strings derived from patterns, giving up where a match may start
 * anywhere, and, against PCRE2's own search, every match of every rule
 * pattern and lexicon regex item with known starts found the same way
 * when tried only at those places, anchored by an offset limit (as
 * lexscan.c's run_regex and eval.c's spec_match do); and identical
 * findings with and without (engine_limits.no_starts) on generated exports
 * in every log style and the rule fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/findings.h"
#include "engine/internal.h"
#include "engine/rules.h"
#include "ingest/ingest.h"
#include "synth/gen.h"
#include "tests/unit/strlist.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/twin.h"
#include "xorshift.h"

/* The starts of pat joined with '|' ("-" for none). */
static void starts(const char *pat, char *out, size_t size)
{
    char **l;
    size_t n;

    if (prefilter_starts(pat, strlen(pat), &l, &n) != 0) {
        snprintf(out, size, "-");
        return;
    }
    strlist_join(l, n, out, size);
}

static void test_starts_of(void **state)
{
    static const char *const cases[][2] = {
        {"review", "review"},
        {"\\bREVIEWED\\b", "reviewed"},
        {"(?<!not )\\b(?:OIC|PCs?)\\s+to\\b", "oic|pc"},
        {"screened\\s+out|NFA", "screened|nfa"},
        {"P(?:NC|ND)\\s+check", "pnc|pnd"},
        {"(?:a|b)+c", "a|b"},
        {"x?yz", "xyz|yz"},
        {"(?=abc)ab", "ab"},
        {"(?x) \\b (?: vic (?:ti|it) ms? | IP ) \\b", "victim|vicitm|ip"},
        {"(?:no|not)\\s", "no"},
        /* a match may start anywhere, or the analysis cannot tell */
        {"\\s*review", "-"},
        {"x*review", "-"},
        {"(?:^|x)review", "review|xreview"},
        {"(?:^|\\n)\\s*review", "-"},
        {"(?:review)?", "-"},
        {".review", "-"},
        {"[a-z]+ed", "-"},
        {"ab\\Kcd", "-"},
        {"(?:ab|c?)d", "abd|cd|d"},
        {"(?:ab|c*)d", "-"},
        {"\\x41bc", "-"},
        {"é", "-"},
    };
    char got[512];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        starts(cases[i][0], got, sizeof(got));
        if (strcmp(got, cases[i][1]) != 0)
            print_error("pattern '%s': got '%s', want '%s'\n", cases[i][0], got,
                        cases[i][1]);
        assert_string_equal(got, cases[i][1]);
    }
}

static void test_useful(void **state)
{
    char *one[] = {"to", "Tell"}, *two[] = {"to", "no"}, *three[] = {":"};

    (void)state;
    assert_false(pf_starts_useful(one, 2)); /* PCRE2 finds t or T itself */
    assert_true(pf_starts_useful(two, 2));
    assert_false(pf_starts_useful(three, 1));
}

/* ---- the same matches ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

/* Every match (start, end) of re in t, overlapping ones too: each search
 * starts one byte after the last match's start (plain ASCII text).  With
 * ps, tried only where pf_starts_next says, anchored by an offset limit
 * (re_lim compiled with PCRE2_USE_OFFSET_LIMIT) and made as the engine
 * makes it (engine_match_valid).  How many, into out.  The text is plain
 * ASCII, so valid UTF-8: no search checks it again (a check from a start
 * past 0 misreads \b in a lookbehind: see engine_match_valid). */
static size_t all_matches(const pcre2_code *re, const pcre2_code *re_lim,
                          const struct pf_starts *ps, const char *t, size_t len,
                          pcre2_match_data *md, pcre2_match_context *mctx,
                          size_t *out, size_t max)
{
    size_t n = 0, start = 0;
    PCRE2_SIZE *ov;

    for (;;) {
        int rc;

        if (ps) {
            start = pf_starts_next(ps, t, len, start);
            if (start == PF_NO_START)
                break;
            pcre2_set_offset_limit(mctx, start);
            rc = engine_match_valid(re_lim, t, len, start, md, mctx);
            if (rc == PCRE2_ERROR_NOMATCH) {
                start++;
                continue;
            }
        } else {
            if (start > len)
                break;
            rc = pcre2_match(re, (PCRE2_SPTR)t, len, start, PCRE2_NO_UTF_CHECK,
                             md, NULL);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
        }
        assert_true(rc >= 0);
        ov = pcre2_get_ovector_pointer(md);
        if (n + 2 <= max) {
            out[n++] = ov[0];
            out[n++] = ov[1];
        }
        start = ov[0] + 1;
    }
    return n;
}

/* Random texts from the pattern's words (cut, joined, recased, with
 * separators): the matches found at the starts (given, else the pattern's
 * prefilter_starts) are PCRE2's.  How many texts differ; *matched counts
 * those with a match. */
static int compare_pattern(const char *pat, uint32_t opts, int rounds,
                           int *matched, const struct pf_starts *given)
{
    static const char *const seps[] = {" ",   "  ", ", ", ". ", "-",
                                       "\n",  ": ", "'",  "",   " to ",
                                       " - ", "; ", "."};
    char words[64][24], text[400], **l;
    size_t nw, nl, i, a[256], b[256], na, nb;
    int errcode, bad = 0, r;
    PCRE2_SIZE eo;
    pcre2_code *re, *re_lim;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    struct pf_starts *ps = NULL;
    const struct pf_starts *use = given;

    if (!use) {
        if (prefilter_starts(pat, strlen(pat), &l, &nl) != 0)
            return 0; /* nothing to compare: searched as before */
        use = ps = pf_starts_new(l, nl);
        assert_non_null(ps);
        for (i = 0; i < nl; i++)
            free(l[i]);
        free(l);
    }
    re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, &errcode,
                       &eo, NULL);
    re_lim = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                           opts | PCRE2_USE_OFFSET_LIMIT, &errcode, &eo, NULL);
    assert_non_null(re);
    assert_non_null(re_lim);
    md = pcre2_match_data_create(16, NULL);
    mctx = pcre2_match_context_create(NULL);
    nw = pattern_words(pat, words, 64);
    for (r = 0; r < rounds && nw; r++) {
        size_t off =
            random_text(words, nw, seps, 13, 8, rnd, text, sizeof(text));
        na = all_matches(re, NULL, NULL, text, off, md, mctx, a, 256);
        nb = all_matches(NULL, re_lim, use, text, off, md, mctx, b, 256);
        if (na)
            (*matched)++;
        if (na != nb || memcmp(a, b, na * sizeof(*a)) != 0) {
            print_error("pattern '%s' text '%s': %zu matches, %zu at the "
                        "starts\n",
                        pat, text, na / 2, nb / 2);
            bad++;
        }
    }
    pf_starts_free(ps);
    pcre2_match_context_free(mctx);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    pcre2_code_free(re_lim);
    return bad;
}

static void test_same_matches(void **state)
{
    static const char *const extra[] = {
        "(?<!not )\\b(?:OIC|PCs?)(?:\\s+\\w+)?\\s+to\\b",
        "x?yz|(?:a|b)+c",
        "\\b(?:no|not)\\s+(?:\\w+\\s+)?(?:review|update)",
        "(?=abc)ab|ba",
        "(?i)ab(?-i)CD|cd",
    };
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    size_t i;
    int bad = 0, matched = 0, tried = 0;
    uint32_t opts;

    (void)state;
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    for (i = 0; i < rs->n; i++) {
        const struct entry_spec *sp[4] = {
            &rs->rules[i]->when, &rs->rules[i]->entry, &rs->rules[i]->ifs,
            &rs->rules[i]->thens};
        size_t k;

        for (k = 0; k < 4; k++)
            if (sp[k]->present && sp[k]->re.src && sp[k]->re_starts) {
                assert_int_equal(pcre2_pattern_info(sp[k]->re.code,
                                                    PCRE2_INFO_ARGOPTIONS,
                                                    &opts),
                                 0);
                bad += compare_pattern(sp[k]->re.src,
                                       opts & ~PCRE2_USE_OFFSET_LIMIT, 2000,
                                       &matched, NULL);
                tried++;
            }
    }
    assert_non_null(rs->lex);
    for (i = 0; i < rs->lex->nregexes; i++)
        if (rs->lex->regexes[i].starts) {
            bad += compare_pattern(rs->lex->regexes[i].re.src,
                                   PCRE2_UTF | PCRE2_CASELESS |
                                       PCRE2_NO_AUTO_CAPTURE | PCRE2_DUPNAMES,
                                   2000, &matched, NULL);
            tried++;
        }
    for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        bad += compare_pattern(extra[i], PCRE2_UTF | PCRE2_CASELESS, 2000,
                               &matched, NULL);
    ruleset_free(rs);
    assert_true(tried >= 15);
    assert_true(matched > 1000); /* the texts do exercise the patterns */
    assert_int_equal(bad, 0);
}

/* Bytes b with set[b], '\n' written \n, into out at *off. */
static void put_bytes(const bool set[256], char *out, size_t size, size_t *off)
{
    size_t i;

    for (i = 0; i < 256; i++)
        if (set[i])
            *off += (size_t)snprintf(out + *off, size - *off, "%s",
                                     i == '\n' ? "\\n" : (char[]){(char)i, 0});
}

/* prefilter_clause_starts of pat: its strings joined with '|', '@' and the
 * bytes it may follow, then when it has a tail '~', its strings and '^'
 * with its stop bytes ("-" when it gives up). */
static void clause_starts(const char *pat, char *out, size_t size)
{
    struct pf_clause cl;
    char **l;
    size_t n, i, off;

    if (prefilter_clause_starts(pat, strlen(pat), &l, &n, &cl) != 0) {
        snprintf(out, size, "-");
        return;
    }
    off = strlist_join(l, n, out, size);
    off += (size_t)snprintf(out + off, size - off, "@");
    put_bytes(cl.after, out, size, &off);
    if (cl.ntail) {
        off += (size_t)snprintf(out + off, size - off, "~");
        for (i = 0; i < cl.ntail; i++)
            off += (size_t)snprintf(out + off, size - off, "%s%s", i ? "|" : "",
                                    cl.tail[i]);
        off += (size_t)snprintf(out + off, size - off, "^");
        put_bytes(cl.stop, out, size, &off);
    }
    pf_clause_release(&cl);
}

/* The places of a pattern beginning at a clause's start, and every match
 * of the negate patterns (the rules' and some of their own) found when
 * tried only at their starts, against PCRE2's search. */
static void test_negate_starts(void **state)
{
    static const char *const cases[][2] = {
        {"(?x)(?:^|(?<=[.;\\n]))[^.;\\n]*?\\bno\\b | \\bkeep\\b",
         "keep@\\n.;~no^\\n.;"},
        {"(?:^|(?<=[.]))x", "@\\n."},
        {"(?:^|(?<=[.]))x|(?i)yes", "yes@\\n."},
        {"(?:^|(?<=[a]))x", "-"},
        {"(?:^|(?<=[\\d]))x", "-"},
        {"(?:^|(?<=[.]))(?i)x|yes", "-"},
        {"a(?:^|(?<=[.]))x", "-"},
        {"(?:^|(?<=[.]))x|.*y", "-"},
        {"(?:^|(?<=[.]))x|\\Qa|b\\E", "-"},
        {"(?:^|(?<=[.]))[|]x|(?:no|to)\\s", "no|to@\\n."},
        {"\\bno\\b", "-"},
        {"(?:^|(?<=[.]))[^.]+(?:yes|no)", "@\\n.~yes|no^."},
        {"(?:^|(?<=[.]))[^.]*?ab|(?:^|(?<=[;]))[^;]*?cd", "@\\n.;"},
        {"(?:^|(?<=[.]))[^a]*?ab", "@\\n."},
        {"(?:^|(?<=[.]))[^.]*?.*ab", "@\\n."},
        /* an empty branch matches anywhere */
        {"(?:^|(?<=[.]))x|", "-"},
        {"(?:^|(?<=[.]))x||yy", "-"},
        {"(?:^|(?<=[.;\\n]))[^.;\\n]*?\\bno\\b|", "-"},
        {"(?x)(?:^|(?<=[.]))x| ", "-"},
        /* a quantified head may match nothing */
        {"(?:^|(?<=[.?\\n]))?b", "-"},
        {"(?x)(?:^|(?<=[.])) * b|yy", "-"},
    };
    static const char *const extra[] = {
        "(?:^|(?<=[.;\\n]))[^.;\\n]*?\\bno\\s+answer\\b|\\bwill\\s+\\w+",
        "(?:^|(?<=[.]))x?",
        "(?x) (?:^|(?<=[,:]))\\s*to\\b | \\bno\\b",
        "(?:^|(?<=[,]))[^,]*?,\\s*to\\b|\\bno\\b",
        "(?x)(?:^|(?<=[.;]))[^.;]* (?:no|not)\\s+(?:answer|done)",
        "(?:^|(?<=[.\\n]))[^.\\n]+?\\bto\\s+do\\b",
    };
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    char out[256], **l;
    struct pf_clause cl;
    size_t i, k, n;
    int bad = 0, matched = 0, tried = 0, clause = 0;
    uint32_t opts;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        clause_starts(cases[i][0], out, sizeof(out));
        if (strcmp(out, cases[i][1]) != 0)
            print_error("'%s': '%s', not '%s'\n", cases[i][0], out,
                        cases[i][1]);
        assert_string_equal(out, cases[i][1]);
    }
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    for (i = 0; i < rs->n; i++) {
        const struct entry_spec *sp[4] = {
            &rs->rules[i]->when, &rs->rules[i]->entry, &rs->rules[i]->ifs,
            &rs->rules[i]->thens};

        for (k = 0; k < 4; k++)
            if (sp[k]->present && sp[k]->negate.src && sp[k]->negate_starts) {
                assert_int_equal(pcre2_pattern_info(sp[k]->negate.code,
                                                    PCRE2_INFO_ARGOPTIONS,
                                                    &opts),
                                 0);
                bad += compare_pattern(sp[k]->negate.src,
                                       opts & ~PCRE2_USE_OFFSET_LIMIT, 3000,
                                       &matched, sp[k]->negate_starts);
                tried++;
                clause += strstr(sp[k]->negate.src, "(?<=[") != NULL;
            }
    }
    ruleset_free(rs);
    for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
        struct pf_starts *ps;

        assert_int_equal(
            prefilter_clause_starts(extra[i], strlen(extra[i]), &l, &n, &cl),
            0);
        ps = pf_starts_new_after(l, n, &cl);
        pf_clause_release(&cl);
        assert_non_null(ps);
        for (k = 0; k < n; k++)
            free(l[k]);
        free(l);
        bad += compare_pattern(extra[i], PCRE2_UTF | PCRE2_CASELESS, 3000,
                               &matched, ps);
        pf_starts_free(ps);
    }
    assert_true(tried >= 4);
    assert_true(clause >= 2); /* CRM-VIC-01's, CRM-VIC-02's */
    assert_true(matched > 1000);
    assert_int_equal(bad, 0);
}

/* ---- identical findings with and without ---- */

static void test_same_findings(void **state)
{
    struct engine_limits off = {0};
    char *bon, dirs[5][512];
    size_t lon, i;
    const char *inputs[6];
    uint64_t records;

    (void)state;
    twin_style_exports("export", dirs);
    for (i = 0; i < 5; i++)
        inputs[i] = dirs[i];
    inputs[5] = "../../fixtures/rules";
    off.no_starts = true;
    records = twin_compare(NULL, &off, inputs, 6, true, &bon, &lon);
    assert_true(records > 15000);
    assert_true(lon > 1000000);
    free(bon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_starts_of),
        cmocka_unit_test(test_useful),
        cmocka_unit_test(test_same_matches),
        cmocka_unit_test(test_negate_starts),
        cmocka_unit_test(test_same_findings),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
