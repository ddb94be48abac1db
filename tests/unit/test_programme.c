/* SPDX-License-Identifier: MIT */
/*
 * Audit programmes: the record conditions a frame is written with
 * (engine/condition.h), the programme loader's checks with file:line:col
 * (audit/programme.h), and the figures of tests (report summary_tests):
 * N, n and deviations per force, exact hypergeometric bounds, breakdowns
 * that know N for a stratification field, a census.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/programme.h"
#include "engine/condition.h"
#include "engine/rules.h"
#include "report/summary.h"
#include "stats/stats.h"
#include "trec.h"

/* ---- conditions ---- */

/* The named-suspect frame of hmic-2014, compiled from YAML. */
static const char ns_frame[] =
    "where:\n"
    "  named_suspect: 'Y'\n"
    "no_entry:\n"
    "  regex: '\\b(?:ar?rested|interviewed)\\b'\n"
    "  negate: '\\b(?:not|no|never|to\\s+be|attempted\\s+to)(?:\\W+\\w+)"
    "{0,2}?\\W+(?:ar?rested|interviewed)\\b'\n";

static struct engine_condition *compile(const char *text, enum record_type t,
                                        struct ca_error *err)
{
    struct ysrc src;
    struct ynode *root = NULL;
    struct engine_condition *c = NULL;
    struct engine_condition_spec sp;
    size_t i;

    memset(&src, 0, sizeof(src));
    src.name = "frame.yaml";
    src.text = text;
    src.len = strlen(text);
    if (ytree_parse(&src, &root, err) != CA_OK) {
        ysrc_release(&src);
        return NULL;
    }
    memset(&sp, 0, sizeof(sp));
    for (i = 0; root && i + 1 < root->nkids; i += 2) {
        const char *k = root->kids[i]->val;

        if (strcmp(k, "where") == 0)
            sp.where = root->kids[i + 1];
        else if (strcmp(k, "entry") == 0)
            sp.entry = root->kids[i + 1];
        else if (strcmp(k, "no_entry") == 0)
            sp.no_entry = root->kids[i + 1];
        else if (strcmp(k, "span") == 0)
            sp.span = root->kids[i + 1];
        else if (strcmp(k, "fields") == 0)
            sp.fields = root->kids[i + 1];
    }
    sp.where_key = "frame.where";
    sp.no_entry_key = "frame.no_entry";
    sp.entry_key = "frame.entry";
    if (engine_condition_compile(&src, t, NULL, &sp, &c, err) != CA_OK)
        c = NULL;
    ytree_free(root);
    ysrc_release(&src);
    return c;
}

static int judge(const struct engine_condition *c, struct engine_scratch *s,
                 const char *named, const char *log)
{
    struct trec t;
    const char *why = "";
    const char *kv[] = {"crime_ref", "X1", "named_suspect", named, "log",
                        log,         NULL};

    trec_init(&t, RT_CRIME,
              log ? kv
                  : (const char *[]){"crime_ref", "X1", "named_suspect", named,
                                     NULL});
    return engine_condition_eval(c, &t.r, s, &why);
}

static void test_condition_named_suspect(void **state)
{
    struct ca_error err = CA_ERROR_INIT;
    struct engine_condition *c = compile(ns_frame, RT_CRIME, &err);
    struct engine_scratch *s = engine_scratch_new(NULL);

    (void)state;
    assert_non_null(c);
    assert_non_null(s);
    assert_false(engine_condition_empty(c));
    /* a named suspect, nothing done: in the frame */
    assert_int_equal(
        judge(c, s, "Y", "2023-01-02 10:00 PC 1 A: Suspect named as J."), 1);
    /* the negation matters: "not yet arrested" keeps the file in */
    assert_int_equal(judge(c, s, "Y",
                           "2023-01-02 10:00 PC 1 A: Suspect not yet "
                           "arrested.\n2023-01-03 10:00 PC 1 A: To be "
                           "interviewed next week."),
                     1);
    /* arrested: out of the frame */
    assert_int_equal(judge(c, s, "Y",
                           "2023-01-02 10:00 PC 1 A: Suspect not yet "
                           "arrested.\n2023-01-05 10:00 PC 1 A: Suspect "
                           "arrested at home."),
                     0);
    /* no named suspect: out */
    assert_int_equal(
        judge(c, s, "N", "2023-01-02 10:00 PC 1 A: Suspect named as J."), 0);
    /* no log column: cannot be judged (the frame keeps such a file) */
    assert_int_equal(judge(c, s, "Y", NULL), -1);
    /* a record of another type is never in a crime frame */
    {
        struct trec t;
        const char *kv[] = {"bail_ref", "B1", NULL};
        const char *why;

        trec_init(&t, RT_BAIL, kv);
        assert_int_equal(engine_condition_eval(c, &t.r, s, &why), 0);
    }
    engine_condition_free(c);
    engine_scratch_free(s);
}

static void test_condition_span(void **state)
{
    struct ca_error err = CA_ERROR_INIT;
    struct engine_condition *c =
        compile("where: { arrested_at: { from: '2022-10-28' } }\n"
                "span: { start: bail_start, end: bail_end, over_months: 3 }\n",
                RT_BAIL, &err);
    struct engine_scratch *s = engine_scratch_new(NULL);
    struct trec t;
    const char *why;
    const char *longer[] = {"bail_ref",    "B1",
                            "arrested_at", "2023-01-01 10:00",
                            "bail_start",  "2023-01-01 12:00",
                            "bail_end",    "2023-05-01 10:00",
                            NULL};
    const char *shorter[] = {"bail_ref",    "B2",
                             "arrested_at", "2023-01-01 10:00",
                             "bail_start",  "2023-01-01 12:00",
                             "bail_end",    "2023-02-01 10:00",
                             NULL};
    const char *earlier[] = {"bail_ref",    "B3",
                             "arrested_at", "2021-01-01 10:00",
                             "bail_start",  "2021-01-01 12:00",
                             "bail_end",    "2021-09-01 10:00",
                             NULL};

    (void)state;
    assert_non_null(c);
    trec_init(&t, RT_BAIL, longer);
    assert_int_equal(engine_condition_eval(c, &t.r, s, &why), 1);
    trec_init(&t, RT_BAIL, shorter);
    assert_int_equal(engine_condition_eval(c, &t.r, s, &why), 0);
    trec_init(&t, RT_BAIL, earlier);
    assert_int_equal(engine_condition_eval(c, &t.r, s, &why), 0);
    engine_condition_free(c);
    engine_scratch_free(s);
}

static void test_condition_errors(void **state)
{
    struct ca_error err = CA_ERROR_INIT;
    struct engine_condition *c;

    (void)state;
    /* an unknown field, with a did-you-mean, at its line and column */
    c = compile("where:\n  named_suspct: 'Y'\n", RT_CRIME, &err);
    assert_null(c);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_non_null(strstr(err.msg, "did you mean 'named_suspect'"));
    /* a pattern in double quotes, as in rules */
    c = compile("where: { named_suspect: \"Y\" }\n", RT_CRIME, &err);
    assert_null(c);
    assert_non_null(strstr(err.msg, "double quotes"));
    /* a bad regex points at its character */
    c = compile("no_entry:\n  regex: 'ab(c'\n", RT_CRIME, &err);
    assert_null(c);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "bad regex in 'frame.no_entry.regex'"));
}

/* ---- programmes ---- */

static struct ruleset *shipped_rules(void)
{
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;

    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    return rs;
}

static const char prog_head[] = "id: p\ntitle: t\nreferences: [r]\n";

/* Load head + body; on failure check line, column and a piece of the
 * message. */
static void load_fails(const struct ruleset *rs, const char *body,
                       unsigned long line, unsigned long col,
                       const char *needle)
{
    char text[4096];
    struct programme *p = NULL;
    struct ca_error err = CA_ERROR_INIT;

    snprintf(text, sizeof(text), "%s%s", prog_head, body);
    assert_int_equal(
        programme_load_buffer("p.yaml", text, strlen(text), rs, &p, &err),
        CA_DATA);
    assert_null(p);
    if (!strstr(err.msg, needle) || err.line != line || err.col != col)
        fail_msg("got %lu:%lu: %s (wanted %lu:%lu: %s)", err.line, err.col,
                 err.msg, line, col, needle);
}

static void test_programme_errors(void **state)
{
    struct ruleset *rs = shipped_rules();

    (void)state;
    load_fails(rs,
               "tests:\n  - id: a\n    question: q\n    type: crime\n"
               "    rules: [CRM-SUP-1]\n",
               8, 13, "unknown rule 'CRM-SUP-1'; did you mean 'CRM-SUP-01'?");
    load_fails(rs,
               "tests:\n  - id: a\n    question: q\n    type: crime\n"
               "    rules: [WNT-ACT-01]\n",
               8, 13, "is a rule of wanted records");
    load_fails(rs,
               "tests:\n  - id: a\n    question: q\n    type: crime\n"
               "    strata: [atended]\n    rules: [CRM-INV-01]\n",
               8, 14, "did you mean 'attended'?");
    load_fails(rs,
               "tests:\n  - id: a\n    question: q\n    type: crime\n"
               "    rules: [CRM-INV-01]\n"
               "  - id: a\n    question: q\n    type: crime\n"
               "    rules: [CRM-SUP-01]\n",
               9, 9, "duplicate test id 'a' (first at line 5)");
    load_fails(rs,
               "tests:\n  - id: a\n    question: q\n    type: crime\n"
               "    strata: [attended]\n    rules: [CRM-INV-01]\n"
               "  - id: b\n    question: q\n    type: crime\n"
               "    rules: [CRM-SUP-01]\n",
               10, 9, "has the frame of test 'a' but other strata");
    load_fails(rs,
               "counts: [recording-route, named-suspect-outstanding]\n"
               "tests:\n  - id: a\n    question: q\n    type: crime\n"
               "    rules: [CRM-INV-01]\n",
               4, 27,
               "unknown count 'named-suspect-outstanding'; did you mean "
               "'named-suspects-outstanding'?");
    load_fails(rs,
               "counts:\n  - failed-to-answer: a\n"
               "tests:\n  - id: a\n    question: q\n    type: crime\n"
               "    rules: [CRM-INV-01]\n",
               5, 23, "counts bail files, but test 'a' asks of crime files");
    load_fails(rs,
               "tests:\n  - id: a\n    question: q\n    type: crime\n"
               "    frame: { where: { named_suspct: 'Y' } }\n"
               "    rules: [CRM-INV-01]\n",
               8, 23, "did you mean 'named_suspect'?");
    load_fails(rs,
               "tests:\n  - id: crime\n    question: q\n    type: crime\n"
               "    rules: [CRM-INV-01]\n",
               5, 9, "a record type's name");
    load_fails(rs,
               "tests:\n  - id: a\n    question: q\n    type: crime\n"
               "    rules: [CRM-INV-01]\n    frame: { whre: {} }\n",
               9, 14, "unknown key 'whre' in a frame; did you mean 'where'?");
    ruleset_free(rs);
}

static void test_programme_frames(void **state)
{
    struct ruleset *rs = shipped_rules();
    struct programme *p = NULL;
    struct ca_error err = CA_ERROR_INIT;
    char text[4096];

    (void)state;
    /* two frames written alike in different layouts are one sample; a
     * narrower frame is a sample of its own, named after its first test */
    snprintf(text, sizeof(text),
             "%scounts:\n  - named-suspects-outstanding: n2\n"
             "tests:\n"
             "  - id: a\n    question: q\n    type: crime\n"
             "    strata: [attended]\n    rules: [CRM-INV-01]\n"
             "  - id: n1\n    question: q\n    type: crime\n"
             "    frame: { where: { named_suspect: 'Y', attended: 'N' } }\n"
             "    rules: [CRM-NS-01]\n"
             "  - id: b\n    question: q\n    type: crime\n"
             "    frame: {}\n    strata: [attended]\n"
             "    rules: [CRM-SUP-01]\n"
             "  - id: n2\n    question: q\n    type: crime\n"
             "    frame:\n      description: named\n      where:\n"
             "        attended: 'N'\n        named_suspect: 'Y'\n"
             "    rules: [CRM-NS-02]\n",
             prog_head);
    assert_int_equal(
        programme_load_buffer("p.yaml", text, strlen(text), rs, &p, &err),
        CA_OK);
    assert_int_equal(p->ntests, 4);
    assert_int_equal(p->nframes, 2);
    assert_string_equal(p->frames[0].name, "crime");
    assert_null(p->frames[0].cond);
    assert_int_equal(p->frames[0].ntests, 2);
    assert_string_equal(p->frames[1].name, "n1");
    assert_non_null(p->frames[1].cond);
    assert_int_equal(p->frames[1].ntests, 2);
    assert_int_equal(p->tests[3].frame, 1);
    assert_string_equal(p->frames[1].description, "named");
    assert_int_equal(p->ncounts, 1);
    assert_int_equal(p->counts[0].kind, PC_NAMED_SUSPECTS_OUTSTANDING);
    assert_int_equal(p->counts[0].test, 3);
    assert_int_equal(strlen(p->sha256), 64);
    assert_int_equal(programme_find_frame(p, "n1"), 1);
    assert_int_equal(programme_find_test(p, "b"), 2);
    programme_free(p);

    /* the shipped programmes load against the shipped rules */
    assert_int_equal(
        programme_load("../../programmes/hmic-2014.yaml", rs, &p, &err), CA_OK);
    assert_int_equal(p->ntests, 7);
    assert_int_equal(p->nframes, 5);
    programme_free(p);
    assert_int_equal(
        programme_load("../../programmes/caseaudit-full.yaml", rs, &p, &err),
        CA_OK);
    programme_free(p);
    assert_true(programme_text_is_programme(text, strlen(text)));
    assert_false(programme_text_is_programme("id: X\nentry: {}\n", 16));
    ruleset_free(rs);
}

/* ---- the figures of a test ---- */

/* A manifest of two forces: alpha with strata Y (N 40) and N (N 60),
 * 10 + 10 drawn; beta one stratum... of N 5, all drawn. */
static const char manifest[] =
    "{\"manifest_version\":1,\"method\":\"hash\",\"seed\":\"s\",\"type\":"
    "\"crime\",\"allocation\":\"proportional\",\"per_force\":true,\"strata\":"
    "[\"attended\"],\"rows_read\":105,\"rows_accepted\":105,"
    "\"rows_rejected\":0,\"frame\":{\"type\":\"crime\",\"where\":[],"
    "\"programme\":{\"id\":\"p\",\"file\":\"p.yaml\",\"sha256\":\"x\","
    "\"frame\":\"crime\",\"tests\":[\"t\"],\"conditions\":\"\"}},"
    "\"plan\":{\"mode\":\"attribute\"},"
    "\"population\":["
    "{\"force\":\"alpha\",\"stratum\":\"N\",\"N\":60,\"n\":10},"
    "{\"force\":\"alpha\",\"stratum\":\"Y\",\"N\":40,\"n\":10},"
    "{\"force\":\"beta\",\"stratum\":\"Y\",\"N\":5,\"n\":5}],"
    "\"selected\":[";

static void test_summary_tests(void **state)
{
    struct sampleinfo m;
    struct summary s;
    struct summary_opts o;
    struct report_test t;
    struct report_tfile rows[25];
    struct ca_error err = CA_ERROR_INIT;
    const char *rules[1] = {"R"}, *by[1] = {"attended"};
    char text[8192], ids[25][8];
    size_t i, off, k;
    const struct sgroup *g;

    (void)state;
    off = (size_t)snprintf(text, sizeof(text), "%s", manifest);
    for (i = 0; i < 25; i++) {
        const char *force = i < 20 ? "alpha" : "beta";
        const char *stratum = i < 10 ? "N" : "Y";

        snprintf(ids[i], sizeof(ids[i]), "C%zu", i);
        off += (size_t)snprintf(
            text + off, sizeof(text) - off,
            "%s{\"rank\":%zu,\"id\":\"%s\",\"key\":\"k\",\"force\":\"%s\","
            "\"stratum\":\"%s\"}",
            i ? "," : "", i + 1, ids[i], force, stratum);
    }
    snprintf(text + off, sizeof(text) - off, "],\"spares\":[]}");
    sampleinfo_init(&m);
    assert_int_equal(sampleinfo_parse(&m, "m.json", text, strlen(text), &err),
                     CA_OK);
    assert_string_equal(m.name, "crime");
    memset(&t, 0, sizeof(t));
    t.id = "t";
    t.title = "T";
    t.question = "q";
    t.type = "crime";
    t.sample = "crime";
    t.conditions = "";
    t.rules = rules;
    t.nrules = 1;
    t.report_by = by;
    t.nreport_by = 1;
    /* alpha: 3 of the 10 N files fail, 1 of the Y files errors; beta: 2
     * of 5 fail */
    for (i = 0; i < 25; i++) {
        memset(&rows[i], 0, sizeof(rows[i]));
        rows[i].review = TFILE_NO_REVIEW;
        rows[i].test = 0;
        rows[i].force = i < 20 ? "alpha" : "beta";
        rows[i].id = ids[i];
        rows[i].reasons = "";
        rows[i].by = NULL;
        rows[i].verdict = (i < 3 || i == 20 || i == 21) ? V_FAIL
                          : i == 15                     ? V_ERROR
                                                        : V_PASS;
    }
    memset(&o, 0, sizeof(o));
    o.confidence = 0.95;
    o.tolerable = 0.10;
    o.manifests = &m;
    o.nmanifests = 1;
    o.tests = &t;
    o.ntests = 1;
    o.tfiles = rows;
    o.ntfiles = 25;
    summary_init(&s);
    assert_int_equal(summary_tests(&s, &o, &err), CA_OK);
    /* alpha whole, its two strata, beta whole, its one stratum */
    assert_int_equal(s.ntg, 5);
    g = &s.tg[0];
    assert_string_equal(g->force, "alpha");
    assert_null(g->stratum);
    assert_string_equal(g->test, "t");
    assert_int_equal(g->N, 100);
    assert_int_equal(g->n, 20);
    assert_int_equal(g->k, 4);
    assert_true(g->n_exact);
    assert_int_equal(g->upper_dev, stats_upper_hyper(4, 20, 100, 0.95));
    assert_true(fabs(g->rate - 0.2) < 1e-12);
    assert_string_equal(s.tg[1].stratum, "N");
    assert_int_equal(s.tg[1].N, 60);
    assert_int_equal(s.tg[1].k, 3);
    g = &s.tg[3];
    assert_string_equal(g->force, "beta");
    assert_int_equal(g->N, 5);
    assert_int_equal(g->n, 5);
    assert_int_equal(g->k, 2);
    /* every file of beta checked: exact, no interval */
    assert_true(g->upper - 0.4 < 1e-12 && 0.4 - g->lower < 1e-12);
    /* by attended (a stratification field): N is known */
    for (k = 0; k < s.ntb; k++)
        if (strcmp(s.tb[k].force, "alpha") == 0 &&
            strcmp(s.tb[k].by_value, "Y") == 0)
            break;
    assert_true(k < s.ntb);
    assert_int_equal(s.tb[k].N, 40);
    assert_int_equal(s.tb[k].n, 10);
    assert_int_equal(s.tb[k].k, 1);
    assert_true(s.tb[k].n_exact);
    summary_release(&s);

    /* a force where the test was not run has no group */
    {
        struct report_tskip sk = {0, "beta", "no log"};

        o.tskips = &sk;
        o.ntskips = 1;
        o.ntfiles = 20;
        summary_init(&s);
        assert_int_equal(summary_tests(&s, &o, &err), CA_OK);
        for (k = 0; k < s.ntg; k++)
            assert_string_equal(s.tg[k].force, "alpha");
        summary_release(&s);
        o.tskips = NULL;
        o.ntskips = 0;
        o.ntfiles = 25;
    }
    /* a row for a file the sample did not draw is an error */
    rows[0].id = "nope";
    summary_init(&s);
    assert_int_equal(summary_tests(&s, &o, &err), CA_DATA);
    assert_non_null(strstr(err.msg, "was not drawn"));
    summary_release(&s);
    sampleinfo_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_condition_named_suspect),
        cmocka_unit_test(test_condition_span),
        cmocka_unit_test(test_condition_errors),
        cmocka_unit_test(test_programme_errors),
        cmocka_unit_test(test_programme_frames),
        cmocka_unit_test(test_summary_tests),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
