/* SPDX-License-Identifier: MIT */
/*
 * Context scopes worked out the fast way (engine/context.c: the memo of
 * labels and form values, the breaks and sections read with fewer tests
 * per byte) against the plain way (engine_limits.plain_scopes): the same
 * scopes, entry by entry, for every entry of generated exports of every
 * log style and of the rule fixtures, also with a match limit so low that
 * some entries cannot be worked out; hand cases of headings and forms met
 * again and again; and the same findings, byte for byte.
 */
#define _GNU_SOURCE
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
#include "ingest/record.h"
#include "synth/gen.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/twin.h"

struct pair {
    const struct lexicon *lx;
    struct engine_scratch *fast, *plain;
    struct log_entries le;
    const struct log_entry *cur; /* the entries being compared */
    size_t entries, scopes, errors;
};

/* Entry i's scopes from both scratches, the same (or the same error). */
static void same_entry(struct pair *p, size_t i)
{
    const struct ctx_scope *a, *b;
    size_t na = 0, nb = 0, k;
    int ra = context_scopes(p->fast, p->lx, i, &a, &na);
    int rb = context_scopes(p->plain, p->lx, i, &b, &nb);

    if (ra != rb || (ra == 0 && na != nb))
        fail_msg("entry '%.*s': %d, %zu scopes the fast way; %d, %zu the "
                 "plain way",
                 (int)p->cur[i].text_len, p->cur[i].text, ra, na, rb, nb);
    if (ra < 0) {
        p->errors++;
        return;
    }
    for (k = 0; k < na; k++)
        if (a[k].start != b[k].start || a[k].end != b[k].end ||
            a[k].tstart != b[k].tstart || a[k].tend != b[k].tend ||
            a[k].mod != b[k].mod)
            fail_msg("entry '%.*s': scope %zu is [%u, %u) of %u the fast "
                     "way, [%u, %u) of %u the plain way",
                     (int)p->cur[i].text_len, p->cur[i].text, k, a[k].start,
                     a[k].end, a[k].mod, b[k].start, b[k].end, b[k].mod);
    p->scopes += na;
}

static void same_entries(struct pair *p, const struct log_entry *e, size_t n)
{
    size_t i;

    p->cur = e;
    assert_true(context_begin(p->fast, e, n));
    assert_true(context_begin(p->plain, e, n));
    for (i = 0; i < n; i++)
        if (e[i].text)
            same_entry(p, i);
    p->entries += n;
}

static int on_record(void *ctx, const struct record *r)
{
    struct pair *p = ctx;
    struct ca_error err = CA_ERROR_INIT;

    if (record_log(r, &p->le, &err) != CA_OK)
        return 0; /* a log that cannot be split: no entries to compare */
    same_entries(p, p->le.v, p->le.n);
    return 0;
}

static void pair_open(struct pair *p, struct ruleset **rs, uint32_t ml)
{
    const char *paths[1] = {"../../rules"};
    struct engine_limits fast = {0}, plain = {0};
    struct ca_error err = CA_ERROR_INIT;

    assert_int_equal(ruleset_load(paths, 1, NULL, rs, &err), CA_OK);
    memset(p, 0, sizeof(*p));
    p->lx = (*rs)->lex;
    assert_non_null(p->lx);
    fast.match_limit = plain.match_limit = ml;
    plain.plain_scopes = true;
    p->fast = engine_scratch_new(&fast);
    p->plain = engine_scratch_new(&plain);
    assert_non_null(p->fast);
    assert_non_null(p->plain);
    log_entries_init(&p->le);
}

static void pair_close(struct pair *p, struct ruleset *rs)
{
    size_t asked, found;

    /* the plain way never asks the memo */
    context_memo_stats(p->plain, &asked, &found);
    assert_int_equal(asked, 0);
    log_entries_release(&p->le);
    engine_scratch_free(p->fast);
    engine_scratch_free(p->plain);
    ruleset_free(rs);
}

/* Every entry of every input, one ingest run each; returns the memo's
 * answers found. */
static size_t same_inputs(const char *const *inputs, size_t n, uint32_t ml,
                          size_t *errors)
{
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    struct ingest_opts io;
    struct ingest_stats st;
    struct pair p;
    size_t i, asked, found;

    pair_open(&p, &rs, ml);
    for (i = 0; i < n; i++) {
        ingest_opts_init(&io);
        assert_int_equal(
            ingest_run(inputs + i, 1, &io, on_record, NULL, &p, &st, &err),
            CA_OK);
        ingest_stats_release(&st);
    }
    assert_true(p.entries > 1000);
    assert_true(p.scopes > 1000 || ml);
    context_memo_stats(p.fast, &asked, &found);
    *errors = p.errors;
    pair_close(&p, rs);
    return found;
}

static void test_same_scopes(void **state)
{
    char dirs[5][512];
    const char *inputs[6];
    size_t i, errors;

    (void)state;
    twin_style_exports("scopes", dirs);
    for (i = 0; i < 5; i++)
        inputs[i] = dirs[i];
    inputs[5] = "../../fixtures/rules";
    /* labels and form values met again are answered from the memo */
    assert_true(same_inputs(inputs, 6, 0, &errors) > 1000);
    assert_int_equal(errors, 0);
}

/* A match limit so low that some entries' scopes cannot be worked out:
 * the same errors, none kept in the memo. */
static void test_same_errors(void **state)
{
    char dirs[5][512];
    const char *inputs[2];
    size_t errors;

    (void)state;
    twin_style_exports("scopes", dirs);
    inputs[0] = dirs[0];
    inputs[1] = dirs[2];
    (void)same_inputs(inputs, 2, 60, &errors);
    assert_true(errors > 10);
}

/* Headings, lists and forms, each text judged many times over so that
 * the memo answers, between texts that hold the same labels with other
 * values. */
static void test_hand_scopes(void **state)
{
    static const char *const texts[] = {
        "Investigation plan:\n1. H2H at nos 1-9\n2. CCTV to be viewed\n\n"
        "Update: H2H done, nil.",
        "INVESTIGATION PLAN (Student Officer - for tutor check)\nCCTV: [ ]\n"
        "H2H: completed, nil\n3. ANPR on the VRM [done - 2 hits]",
        "Update: spoke to IP. Strategy: (1) statement (2) PNC checks",
        "Update: spoke to IP. Results: (1) statement (2) PNC checks",
        "H2H RETURN FORM\nComments: [ ]\nSigned: [ ]",
        "H2H RETURN FORM\nComments: nil\nSigned: PC 1",
        "Scene: n/a\nH2H: yes\nCCTV: to follow\nPNC check completed: Y",
        "Scene: attended\nH2H: -\nCCTV: viewed, nil of note",
        "Actions outstanding - H2H; CCTV - doorbell cams\nRationale: low "
        "threat",
        "2. Actions: H2H at no.14; intel check\nCCTV: Collected and viewed",
        "Checks done: PNC - 1 x caution\nInvestigation reviewed: Yes",
        "FRAUD - INVESTIGATION PLAN\nOIC to obtain statement\nEnquiries: "
        "[to be completed]",
        "Plan agreed: H2H, CCTV. DS 2 to review.",
        "Lines of enquiry:\n- CCTV (Mill Row)\n- H2H\n\nDone: none yet",
        /* a heading right after a bullet */
        "Summary: seen\n*Investigation plan: H2H at nos 1-9\n*CCTV: viewed",
        "-Actions: H2H, CCTV\n-PNC: [ ]\n\n-Update: H2H done",
    };
    enum { N = sizeof(texts) / sizeof(texts[0]), ROUNDS = 4 };
    struct log_entry e[N];
    struct ruleset *rs = NULL;
    struct pair p;
    size_t i, r, asked, found;

    (void)state;
    pair_open(&p, &rs, 0);
    memset(e, 0, sizeof(e));
    for (r = 0; r < ROUNDS; r++) {
        for (i = 0; i < N; i++) {
            e[i].text = texts[(i + r) % N]; /* a new order each round */
            e[i].text_len = strlen(e[i].text);
        }
        same_entries(&p, e, N);
    }
    context_memo_stats(p.fast, &asked, &found);
    assert_true(found > asked / 2);
    assert_true(p.scopes > 40);
    pair_close(&p, rs);
}

/* Every ASCII byte (and the en and em dashes) where a boundary, a list
 * item, a line start, a bullet or a heading may begin ('@' in the
 * forms): at a text's start,
 * after a blank, after a line end, doubled, after a digit. */
/* form with each '@' replaced by b, into out (256 bytes). */
static void expand(char *out, const char *form, const char *b)
{
    size_t o = 0, n = strlen(b);

    for (; *form && o + n < 255; form++) {
        if (*form == '@') {
            memcpy(out + o, b, n);
            o += n;
        } else {
            out[o++] = *form;
        }
    }
    out[o] = '\0';
}

static void test_every_byte(void **state)
{
    static const char *const forms[] = {
        "@) not done, CCTV viewed\n@. H2H not done",
        "CCTV not viewed @. H2H: to follow @) PNC not checked",
        "Plan:\n@@ H2H to be done @@ CCTV\n\n@ CCTV not viewed",
        "INVESTIGATION PLAN\n@ Actions: H2H@1. CCTV\n@@- PNC: [ ]\n"
        "Update@ CCTV viewed",
        "Scene: attended\n@H2H: -\n@ CCTV: completed@ nil\n* PNC @",
        "no CCTV@@H2H not done;@ will view\n@@",
        "no CCTV @. H2H, awaiting PNC @) results; will view @@ ANPR",
        "H2H no @ CCTV\n@. awaiting @\nwill @) view",
    };
    struct ruleset *rs = NULL;
    struct pair p;
    struct log_entry e[1];
    char text[256], b[4];
    size_t c, f;

    (void)state;
    pair_open(&p, &rs, 0);
    memset(e, 0, sizeof(e));
    for (c = 1; c < 130; c++) {
        if (c < 128) {
            b[0] = (char)c;
            b[1] = '\0';
        } else { /* an en dash, an em dash */
            memcpy(b, c == 128 ? "\xE2\x80\x93" : "\xE2\x80\x94", 4);
        }
        for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
            expand(text, forms[f], b);
            e[0].text = text;
            e[0].text_len = strlen(text);
            same_entries(&p, e, 1);
        }
    }
    assert_true(p.scopes > 500);
    pair_close(&p, rs);
}

/* The findings of the shipped rules, the fast and the plain way. */
static void test_same_findings(void **state)
{
    char dirs[5][512];
    const char *inputs[6];
    struct engine_limits on = {0}, off = {0};
    char *bon;
    size_t lon, i;

    (void)state;
    twin_style_exports("scopes", dirs);
    for (i = 0; i < 5; i++)
        inputs[i] = dirs[i];
    inputs[5] = "../../fixtures/rules";
    off.plain_scopes = true;
    assert_true(twin_compare(&on, &off, inputs, 6, true, &bon, &lon) > 7000);
    free(bon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_scopes),
        cmocka_unit_test(test_same_errors),
        cmocka_unit_test(test_hand_scopes),
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_same_findings),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
