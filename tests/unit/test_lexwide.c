/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for a context lexicon wider than a 64-bit word: 250 `regex:`
 * items and 181 concepts, so that items and concepts past the first word
 * of a set are exercised everywhere a set is kept.  Regex triggers
 * nix0..nix69 of modifier negated are items 0 to 69; the one term regex of
 * concept cI, '\btermIx\b', is item 70 + I.  The tests show that such
 * items match and count for their concepts (and for the concepts that
 * include them), that modifiers block them (by a phrase trigger, and by a
 * regex trigger past item 64), that the prefilter finds them exactly where
 * their literals are, and that a lexicon past the limits (256 items, 256
 * concepts) is refused with an error naming the file, line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/internal.h"
#include "engine/rules.h"
#include "ingest/record.h"
#include "judge.h"
#include "tmpdir.h"
#include "xorshift.h"

#define NTRIG 70  /* regex triggers nix0..nix69: items 0..69 */
#define NCONC 180 /* concepts c0..c179, then wide */

static char lexicon[64 * 1024];

static struct ruleset *rs;

/* A rule that entry must hold a term of concept name. */
static void write_rule(const char *name)
{
    char text[512], path[64];

    snprintf(text, sizeof(text),
             "id: R-%s\ntitle: t\ncategory: investigation\nlevel: high\n"
             "status: experimental\napplies_to: { type: crime }\n"
             "check: must_contain\nentry:\n  concept: %s\n"
             "message: No %s\nreferences: [x]\n",
             name, name, name);
    snprintf(path, sizeof(path), "rules/R-%s.yaml", name);
    tmpdir_write(path, text, strlen(text));
}

static int setup(void **state)
{
    static const char *const named[] = {"c30", "c100", "c150", "c179", "wide"};
    const char *paths[1];
    struct ca_error err = CA_ERROR_INIT;
    char *p = lexicon;
    size_t i;

    tmpdir_setup(state);
    p += sprintf(p, "version: 'wide'\nmodifiers:\n  negated:\n"
                    "    before:\n      - 'no'\n");
    for (i = 0; i < NTRIG; i++)
        p += sprintf(p, "      - {regex: '\\bnix%zu\\b'}\n", i);
    p += sprintf(p, "  intended:\n    before: ['to be']\nconcepts:\n");
    for (i = 0; i < NCONC; i++) {
        p += sprintf(p, "  c%zu:\n", i);
        if (i == 150)
            p += sprintf(p, "    blocked_by: [negated]\n");
        p += sprintf(p, "    terms:\n      - {regex: '\\bterm%zux\\b'}\n", i);
        if (i == 170)
            p += sprintf(p, "      - 'plain phrase'\n"
                            "      - {things: [box], done: [opened]}\n");
    }
    p += sprintf(p, "  wide:\n    include: [c3, c100, c150, c170]\n");
    tmpdir_write("rules/lexicon.yaml", lexicon, (size_t)(p - lexicon));
    for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        write_rule(named[i]);
    paths[0] = tmpdir_path("rules");
    if (ruleset_load(paths, 1, NULL, &rs, &err) != CA_OK)
        fail_msg("lexicon did not load: %s:%lu:%lu: %s", err.file, err.line,
                 err.col, err.msg);
    return 0;
}

static int teardown(void **state)
{
    ruleset_free(rs);
    rs = NULL;
    return tmpdir_teardown(state);
}

/* Judge a one-entry log under rule id: the verdict and message. */
static struct verdict_got judge(const char *id, const char *text)
{
    char log[512];

    snprintf(log, sizeof(log), "2023-01-02 10:00 PC 1 A: %s", text);
    return judge_log(rs, id, log);
}

struct ccase {
    const char *rule;
    const char *text;
    enum verdict want;
    const char *why; /* a substring of the message, or NULL */
};

static void run_cases(const struct ccase *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        struct verdict_got g = judge(c[i].rule, c[i].text);

        if (g.v != c[i].want || (c[i].why && !strstr(g.msg, c[i].why)))
            fail_msg("case %zu '%s': got %s '%s', wanted %s '%s'", i, c[i].text,
                     verdict_name(g.v), g.msg, verdict_name(c[i].want),
                     c[i].why ? c[i].why : "");
    }
}

/* The index of concept name in the loaded lexicon. */
static size_t concept(const char *name)
{
    int k = lexicon_concept(rs->lex, name);

    assert_true(k >= 0);
    return (size_t)k;
}

/* ---- loading ---- */

static void test_loaded(void **state)
{
    const struct lexicon *lx = rs->lex;
    size_t i, wide = concept("wide");

    (void)state;
    assert_non_null(lx);
    assert_int_equal(lx->nregexes, NTRIG + NCONC);
    assert_int_equal(lx->nconcepts, NCONC + 1);
    assert_int_equal(lx->rx_words, 4);
    assert_int_equal(wide, NCONC);
    for (i = 0; i < lx->nregexes; i++) {
        bool term = i >= NTRIG;

        assert_int_equal(lx_set_has(&lx->term_rx, i), term);
        assert_int_equal(lx_set_has(&lx->trigger_rx, i), !term);
        assert_false(lx_set_has(&lx->regex_always, i)); /* all have literals */
    }
    /* item 70 + I counts for cI, and for wide when wide includes cI */
    for (i = 0; i < NCONC; i++) {
        const struct lx_set *in = &lx->regexes[NTRIG + i].concepts;
        bool inc = i == 3 || i == 100 || i == 150 || i == 170;

        assert_true(lx_set_has(in, i));
        assert_int_equal(lx_set_has(in, wide), inc);
        assert_int_equal(lx_set_next(in, 0), i);
        assert_int_equal(lx_set_next(in, i + 1), inc ? wide : LX_SET_MAX);
        assert_true(lx_set_has(&lx->concepts[i].regexes, NTRIG + i));
        assert_int_equal(lx_set_has(&lx->concepts[wide].regexes, NTRIG + i),
                         inc);
        assert_int_equal(lx_set_has(&lx->concepts[wide].below, i), inc);
    }
    assert_true(lx_set_has(&lx->concepts[170].members, wide));
}

/* ---- matching and context ---- */

static void test_items_past_64(void **state)
{
    static const struct ccase c[] = {
        /* item 100 (c30), 170 (c100), 249 (c179, the last) */
        {"R-c30", "term30x done", V_PASS, "counted 'term30x' (c30)"},
        {"R-c100", "Term100X done", V_PASS, "counted 'Term100X' (c100)"},
        {"R-c179", "term179x done", V_PASS, "counted 'term179x' (c179)"},
        /* another concept's item does not count */
        {"R-c100", "term101x done", V_FAIL, NULL},
        {"R-c30", "term3x and term300x", V_FAIL, NULL},
        /* blocked by a phrase trigger, a regex trigger in the first word
         * (nix5), one past it (nix69), and another modifier */
        {"R-c100", "no term100x", V_FAIL, "'term100x' blocked: negated 'no'"},
        {"R-c100", "nix5 term100x", V_FAIL, "blocked: negated 'nix5'"},
        {"R-c179", "nix69 term179x", V_FAIL, "blocked: negated 'nix69'"},
        {"R-c30", "To be term30x", V_FAIL, "blocked: intended 'To be'"},
        /* ...and counting again where the trigger does not reach */
        {"R-c179", "nix69 term178x. term179x", V_PASS, "counted 'term179x'"},
        {"R-c30", "nix64 nothing, then term30x", V_PASS, NULL},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]));
}

/* A concept past the first word that includes others past it: their items,
 * phrases and pairs count for it, each stopped by the modifiers of the
 * concept that defines it (c150: negated only) or by its own (all). */
static void test_included_past_64(void **state)
{
    static const struct ccase c[] = {
        {"R-wide", "term150x done", V_PASS, "counted 'term150x' (wide)"},
        {"R-wide", "term100x done", V_PASS, "counted 'term100x' (wide)"},
        {"R-wide", "term3x done", V_PASS, "counted 'term3x' (wide)"},
        {"R-wide", "term4x done", V_FAIL, NULL},
        {"R-wide", "to be term150x", V_PASS, "counted 'term150x'"},
        {"R-wide", "no term150x", V_FAIL, "negated 'no'"},
        {"R-wide", "nix66 term150x", V_FAIL, "negated 'nix66'"},
        {"R-wide", "to be term100x", V_FAIL, "intended 'to be'"},
        {"R-wide", "a plain phrase", V_PASS, "counted 'plain phrase' (wide)"},
        {"R-wide", "box was opened", V_PASS, "counted 'box was opened'"},
        {"R-wide", "nix67 box was opened", V_FAIL, "negated 'nix67'"},
        {"R-c150", "to be term150x", V_PASS, "counted 'term150x' (c150)"},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]));
}

/* The scan of an entry, asked for one concept's items, runs those and
 * gives their hits with the item's group and concepts. */
static void test_scan_hits(void **state)
{
    const struct lexicon *lx = rs->lex;
    struct engine_scratch *s = engine_scratch_new(NULL);
    struct log_entry e;
    const struct lx_hit *hits;
    static const char text[] = "term100x then term179x and term30x";
    size_t nh, c100 = concept("c100"), wide = concept("wide");

    (void)state;
    assert_non_null(s);
    memset(&e, 0, sizeof(e));
    e.text = text;
    e.text_len = strlen(text);
    assert_true(context_begin(s, &e, 1));
    /* nothing asked for: no regex item is run */
    assert_int_equal(lexscan_terms(s, lx, 0, NULL, &hits, &nh), 0);
    assert_int_equal(nh, 0);
    /* c100's item (170) only */
    assert_int_equal(
        lexscan_terms(s, lx, 0, &lx->concepts[c100].regexes, &hits, &nh), 0);
    assert_int_equal(nh, 1);
    assert_int_equal(hits[0].group, 1 + NTRIG + 100);
    assert_int_equal(hits[0].s, 0);
    assert_true(lx_set_has(hits[0].concepts, c100));
    assert_true(lx_set_has(hits[0].concepts, wide));
    /* then c179's and c30's, kept in start order with the first */
    assert_int_equal(
        lexscan_terms(s, lx, 0, &lx->concepts[179].regexes, &hits, &nh), 0);
    assert_int_equal(
        lexscan_terms(s, lx, 0, &lx->concepts[30].regexes, &hits, &nh), 0);
    assert_int_equal(nh, 3);
    assert_int_equal(hits[0].group, 1 + NTRIG + 100);
    assert_int_equal(hits[1].group, 1 + NTRIG + 179);
    assert_int_equal(hits[2].group, 1 + NTRIG + 30);
    assert_false(lx_set_has(hits[1].concepts, wide));
    engine_scratch_free(s);
}

/* ---- the prefilter ---- */

/* Whether t[0, len) holds w, ASCII case aside. */
static bool holds(const char *t, size_t len, const char *w)
{
    size_t n = strlen(w), i, j;

    for (i = 0; i + n <= len; i++) {
        for (j = 0; j < n; j++) {
            char c = t[i + j];

            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != w[j])
                break;
        }
        if (j == n)
            return true;
    }
    return false;
}

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

/*
 * Item 100 ('\bterm30x\b') may match exactly the texts that hold its
 * literal, by the lexicon's own prefilter and by the record type's, which
 * finds the items in the rules' pass; and so for a trigger past the first
 * word (item 69, nix69) and the last item (249, term179x).  Texts: near
 * spellings of the literals, in any case, with filler.
 */
static void test_prefilter_past_64(void **state)
{
    static const char *const words[] = {
        "term30x", "TERM30X", "term30", "erm30x", "term3x", "term300x",
        "term31x", "nix69",   "nix6",   "Nix69",  "ix69",   "term179x",
        "term17x", "term",    "x",      " ",      ", ",     "\n",
        "30x",     "term29x", "nix68",  "no",     "to be",  "term179"};
    static const struct {
        size_t item;
        const char *lit;
    } probe[] = {{100, "term30x"}, {69, "nix69"}, {249, "term179x"}};
    const struct lexicon *lx = rs->lex;
    char text[200];
    size_t i, k, with[3] = {0, 0, 0};

    (void)state;
    assert_non_null(lx->regex_pf);
    assert_true(rs->pf_lexicon[RT_CRIME]);
    assert_string_equal(lx->regexes[100].re.src, "\\bterm30x\\b");
    for (i = 0; i < 20000; i++) {
        size_t len = 0, n = 1 + rnd() % 8;
        struct lx_set own, all;
        uint64_t rules;

        for (k = 0; k < n; k++) {
            const char *w = words[rnd() % (sizeof(words) / sizeof(words[0]))];

            memcpy(text + len, w, strlen(w));
            len += strlen(w);
        }
        prefilter_scan_set(lx->regex_pf, text, len, &own);
        prefilter_scan_all(rs->pf[RT_CRIME], text, len, &rules, &all);
        for (k = 0; k < sizeof(probe) / sizeof(probe[0]); k++) {
            bool in = holds(text, len, probe[k].lit);

            with[k] += in;
            if (lx_set_has(&own, probe[k].item) != in ||
                lx_set_has(&all, probe[k].item) != in)
                fail_msg("item %zu on '%.*s': lexicon %d, rules' pass %d",
                         probe[k].item, (int)len, text,
                         lx_set_has(&own, probe[k].item),
                         lx_set_has(&all, probe[k].item));
        }
    }
    for (k = 0; k < sizeof(probe) / sizeof(probe[0]); k++)
        assert_true(with[k] > 1000 && with[k] < 19000);
    /* a byte that is not ASCII turns filtering off: every item may match */
    {
        struct lx_set own;

        prefilter_scan_set(lx->regex_pf, "caf\xC3\xA9", 5, &own);
        for (k = 0; k < lx->nregexes; k++)
            assert_true(lx_set_has(&own, k));
    }
}

/* ---- the limits ---- */

/* Load lex (with a rule naming concept c0): *err, and the status. */
static enum ca_status load_lex(const char *lex, struct ca_error *err)
{
    static int n;
    const char *paths[1];
    struct ruleset *r = NULL;
    char dir[64], path[128];
    enum ca_status st;
    static const char rule[] =
        "id: R\ntitle: t\ncategory: investigation\nlevel: high\n"
        "status: experimental\napplies_to: { type: crime }\n"
        "check: must_contain\nentry:\n  concept: c0\nmessage: m\n"
        "references: [x]\n";

    snprintf(dir, sizeof(dir), "lim%d", n++);
    snprintf(path, sizeof(path), "%s/lexicon.yaml", dir);
    tmpdir_write(path, lex, strlen(lex));
    snprintf(path, sizeof(path), "%s/R.yaml", dir);
    tmpdir_write(path, rule, strlen(rule));
    paths[0] = tmpdir_path(dir);
    st = ruleset_load(paths, 1, NULL, &r, err);
    ruleset_free(r);
    return st;
}

/* The regex item of concept cI's term K, as written on its line. */
#define LIMIT_ITEM "      - {regex: 'w%zu_%zu'}\n"
#define LIMIT_ITEM_COL 17 /* where its pattern starts */

/*
 * A lexicon of nc concepts cI, c0 with nrx regex terms and each other one
 * with one: *name_line is the line of the last concept's name, *rx_line
 * that of the last regex item.
 */
static const char *limits_lexicon(size_t nc, size_t nrx,
                                  unsigned long *name_line,
                                  unsigned long *rx_line)
{
    static char buf[96 * 1024];
    char *p = buf;
    unsigned long line = 5; /* the lines written */
    size_t i, k;

    p += sprintf(p, "version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
                    "concepts:\n");
    for (i = 0; i < nc; i++) {
        p += sprintf(p, "  c%zu:\n    terms:\n", i);
        *name_line = line + 1;
        line += 2;
        for (k = 0; k < (i == 0 ? nrx : 1); k++) {
            p += sprintf(p, LIMIT_ITEM, i, k);
            *rx_line = ++line;
        }
    }
    return buf;
}

static void test_limits(void **state)
{
    struct ca_error err = CA_ERROR_INIT;
    unsigned long name_line = 0, rx_line = 0;

    (void)state;
    /* 256 concepts, 256 regex items: as many as there may be */
    assert_int_equal(
        load_lex(limits_lexicon(256, 1, &name_line, &rx_line), &err), CA_OK);
    assert_int_equal(
        load_lex(limits_lexicon(6, 251, &name_line, &rx_line), &err), CA_OK);
    /* the 257th concept, named where it is (by the YAML reader, which
     * takes no mapping of more keys) */
    assert_int_equal(
        load_lex(limits_lexicon(257, 1, &name_line, &rx_line), &err), CA_DATA);
    assert_non_null(strstr(err.file, "lexicon.yaml"));
    assert_int_equal(err.line, name_line);
    assert_int_equal(err.col, 3);
    assert_non_null(strstr(err.msg, "more than 256 keys"));
    ca_error_clear(&err);
    /* the 257th regex item: c0's 257th term, or c2's after c0's 255 and
     * c1's */
    assert_int_equal(
        load_lex(limits_lexicon(1, 257, &name_line, &rx_line), &err), CA_DATA);
    assert_non_null(strstr(err.file, "lexicon.yaml"));
    assert_int_equal(err.line, rx_line);
    assert_int_equal(err.col, LIMIT_ITEM_COL);
    assert_non_null(strstr(err.msg, "at most 256 'regex:' items"));
    ca_error_clear(&err);
    assert_int_equal(
        load_lex(limits_lexicon(3, 255, &name_line, &rx_line), &err), CA_DATA);
    assert_int_equal(err.line, rx_line);
    assert_non_null(strstr(err.msg, "at most 256 'regex:' items"));
    ca_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loaded),
        cmocka_unit_test(test_items_past_64),
        cmocka_unit_test(test_included_past_64),
        cmocka_unit_test(test_scan_hits),
        cmocka_unit_test(test_prefilter_past_64),
        cmocka_unit_test(test_limits),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
