/* SPDX-License-Identifier: MIT */
/* Unit tests for engine/: strict rule loading with exact file:line:col for
 * each kind of mistake, `words` patterns, every check kind, date windows
 * and working days (England and Wales bank holidays), dates as text,
 * match limits with a pathological pattern, invalid UTF-8, excerpts, the
 * findings writers and the fixture-label runner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/findings.h"
#include "engine/internal.h"
#include "engine/rules.h"
#include "engine/ruletest.h"
#include "ingest/record.h"
#include "trec.h"

/* ---- helpers ---- */

static const char base_head[] = "id: T-1\n"                     /* 1 */
                                "title: Test rule\n"            /* 2 */
                                "category: supervision\n"       /* 3 */
                                "level: high\n"                 /* 4 */
                                "status: stable\n"              /* 5 */
                                "applies_to: { type: crime }\n" /* 6 */
                                "check: must_contain\n"         /* 7 */
                                "entry:\n";                     /* 8 */
static const char base_tail[] = "message: No review\n"
                                "references: [APP]\n";

static enum ca_status load_text(const char *text, struct ruleset **rs,
                                struct ca_error *e)
{
    ca_error_clear(e);
    return ruleset_load_buffer("t.yaml", text, strlen(text), NULL, rs, e);
}

/* Load base_head + entry_lines + base_tail + extra; expect an error. */
static void expect_error(const char *entry_lines, const char *extra,
                         unsigned long line, unsigned long col,
                         const char *needle)
{
    char text[4096];
    struct ruleset *rs = NULL;
    struct ca_error e;

    snprintf(text, sizeof(text), "%s%s%s%s", base_head, entry_lines, base_tail,
             extra ? extra : "");
    assert_int_equal(load_text(text, &rs, &e), CA_DATA);
    assert_null(rs);
    if (e.line != line || e.col != col || !strstr(e.msg, needle))
        print_error("got %s:%lu:%lu: %s\n", e.file, e.line, e.col, e.msg);
    assert_string_equal(e.file, "t.yaml");
    assert_int_equal(e.line, line);
    assert_int_equal(e.col, col);
    assert_non_null(strstr(e.msg, needle));
}

static struct ruleset *load_ok(const char *text)
{
    struct ruleset *rs = NULL;
    struct ca_error e;

    if (load_text(text, &rs, &e) != CA_OK)
        print_error("unexpected error %s:%lu:%lu: %s\n", e.file, e.line, e.col,
                    e.msg);
    assert_non_null(rs);
    return rs;
}

struct got {
    const char *want_rule;
    bool seen;
    enum verdict v;
    char msg[1200];
    char excerpt[800];
    char at[24];
};

static int collect(void *ctx, const struct record *r,
                   const struct engine_verdict *v)
{
    struct got *g = ctx;

    (void)r;
    if (g->want_rule && strcmp(g->want_rule, rule_id(v->rule)) != 0)
        return 0;
    g->seen = true;
    g->v = v->verdict;
    snprintf(g->msg, sizeof(g->msg), "%s", v->message);
    snprintf(g->excerpt, sizeof(g->excerpt), "%s", v->excerpt);
    g->at[0] = '\0';
    if (v->has_entry_at) {
        char buf[20];
        date_format(v->entry_at, v->entry_has_time, buf);
        snprintf(g->at, sizeof(g->at), "%s", buf);
    }
    return 0;
}

static int64_t day_secs(int y, unsigned m, unsigned d)
{
    return date_days_from_civil(y, m, d) * 86400;
}

/* Evaluate the single rule of rs on a crime record with these fields. */
static struct got eval1(const struct ruleset *rs, enum record_type type,
                        const char *const *kv, int64_t as_of)
{
    struct trec t;
    struct got g;
    struct engine_params p = {as_of};
    struct engine_scratch *s = engine_scratch_new(NULL);

    memset(&g, 0, sizeof(g));
    assert_non_null(s);
    trec_init(&t, type, kv);
    assert_int_equal(engine_eval(rs, &t.r, &p, s, collect, &g), CA_OK);
    engine_scratch_free(s);
    return g;
}

/* ---- loader errors, each with its exact position ---- */

static void test_load_ok(void **state)
{
    char text[2048];
    struct ruleset *rs;

    (void)state;
    snprintf(text, sizeof(text), "%s  regex: '\\breview\\b'\n%s", base_head,
             base_tail);
    rs = load_ok(text);
    assert_int_equal(ruleset_count(rs), 1);
    assert_string_equal(rule_id(ruleset_rule(rs, 0)), "T-1");
    assert_int_equal(rule_category(ruleset_rule(rs, 0)), RC_SUPERVISION);
    assert_int_equal(rule_check(ruleset_rule(rs, 0)), CK_MUST_CONTAIN);
    assert_non_null(ruleset_find(rs, "T-1"));
    assert_null(ruleset_find(rs, "T-2"));
    /* the log is a field the rule needs */
    assert_int_equal(rule_nfields(ruleset_rule(rs, 0)), 1);
    assert_string_equal(rule_field(ruleset_rule(rs, 0), 0), "log");
    ruleset_free(rs);
}

static void test_load_double_quoted(void **state)
{
    (void)state;
    /* "  regex: " is 9 characters: the scalar starts at column 10 */
    expect_error("  regex: \"\\breview\\b\"\n", NULL, 9, 10, "double quotes");
}

static void test_load_plain_pattern(void **state)
{
    (void)state;
    expect_error("  regex: review\n", NULL, 9, 10, "single quotes");
}

static void test_load_unknown_key(void **state)
{
    (void)state;
    expect_error("  regex: 'review'\n  from: recorded_at\n  withn_days: 7\n",
                 NULL, 11, 3, "did you mean 'within_days'");
}

static void test_load_duplicate_key(void **state)
{
    (void)state;
    expect_error("  regex: 'review'\n  regex: 'other'\n", NULL, 10, 3,
                 "duplicate key 'regex' (first at line 9)");
}

static void test_load_wrong_type(void **state)
{
    (void)state;
    expect_error(
        "  regex: 'review'\n  from: recorded_at\n  within_days: seven\n", NULL,
        11, 16, "'entry.within_days' must be a whole number");
    expect_error("  regex: ['review']\n", NULL, 9, 10,
                 "must be a single value, not a list");
    /* entry may be a list of mappings (alternatives), not of words */
    expect_error("  - 'review'\n", NULL, 9, 5,
                 "'entry[1]' must be a mapping, not a single value");
}

static void test_load_missing_key(void **state)
{
    char text[2048];
    struct ruleset *rs = NULL;
    struct ca_error e;

    (void)state;
    snprintf(text, sizeof(text), "%s  regex: 'review'\nmessage: No review\n",
             base_head);
    assert_int_equal(load_text(text, &rs, &e), CA_DATA);
    assert_int_equal(e.line, 1);
    assert_int_equal(e.col, 1);
    assert_non_null(strstr(e.msg, "missing required key 'references'"));
}

static void test_load_bad_enum(void **state)
{
    char text[2048];
    struct ruleset *rs = NULL;
    struct ca_error e;
    char *p;

    (void)state;
    snprintf(text, sizeof(text), "%s  regex: 'review'\n%s", base_head,
             base_tail);
    p = strstr(text, "supervision");
    memcpy(p, "supervison\n",
           11); /* "category: supervison" then a blank line */
    assert_int_equal(load_text(text, &rs, &e), CA_DATA);
    assert_int_equal(e.line, 3);
    assert_int_equal(e.col, 11);
    assert_non_null(strstr(e.msg, "did you mean 'supervision'"));
}

static void test_load_bad_regex_position(void **state)
{
    (void)state;
    /* single-quoted: the error is at the end of "\b(?:review" (11
     * characters from column 11), so just after it: column 22 */
    expect_error("  regex: '\\b(?:review'\n", NULL, 9, 22,
                 "missing closing parenthesis");
    /* a doubled quote inside single quotes counts as one character in the
     * pattern but two in the file: PCRE2 points at the i of \\i */
    expect_error("  regex: 'it''s \\i'\n", NULL, 9, 18,
                 "unrecognized character follows");
    /* block scalar: the character PCRE2 points at, on its own line */
    expect_error("  regex: |-\n"
                 "    (?x)\\b(?:\n"
                 "      review\n"
                 "      | rev\\iew\n"
                 "    )\\b\n",
                 NULL, 12, 13, "unrecognized character follows");
    /* rank and exclude are patterns too */
    expect_error("  regex: 'review'\n  rank: '^(?:DS|PS$'\n", NULL, 10, 20,
                 "'entry.rank'");
}

static void test_load_examples(void **state)
{
    (void)state;
    expect_error("  regex: '\\breview'\n",
                 "examples:\n  pass:\n    - 'DS 1 A: Reviewed.'\n    - "
                 "'Nothing here.'\n",
                 15, 7, "example listed under 'pass' is flagged");
    expect_error("  regex: '\\breview'\n",
                 "examples:\n  flag:\n    - 'Reviewed.'\n", 14, 7,
                 "example listed under 'flag' is not flagged");
}

static void test_load_strictness(void **state)
{
    char text[2048];
    struct ruleset *rs = NULL;
    struct ca_error e;

    (void)state;
    expect_error("  regex: 'review'\n  from: recieved_at\n", NULL, 10, 9,
                 "'recieved_at' is not a field of crime records");
    expect_error("  regex: 'x*'\n", NULL, 9, 10, "matches empty text");
    expect_error("  regex: 'review'\n  within_days: 7\n", NULL, 10, 16,
                 "no 'from'");
    expect_error("  regex: 'review'\n", "max_days: 3\n", 12, 11,
                 "belongs to check max_gap");
    expect_error("  regex: 'review'\n  from: status\n", NULL, 10, 9,
                 "not a date field");
    /* anchors, aliases and a second document */
    snprintf(text, sizeof(text), "%s  regex: &r 'review'\n%s", base_head,
             base_tail);
    assert_int_equal(load_text(text, &rs, &e), CA_DATA);
    assert_int_equal(e.line, 9);
    assert_non_null(strstr(e.msg, "anchors"));
    snprintf(text, sizeof(text), "%s  regex: 'review'\n%s---\nid: T-2\n",
             base_head, base_tail);
    assert_int_equal(load_text(text, &rs, &e), CA_DATA);
    assert_int_equal(e.line, 12);
    assert_non_null(strstr(e.msg, "one rule per file"));
    /* broken YAML: libyaml's position */
    assert_int_equal(load_text("id: [unclosed\ntitle: x\n", &rs, &e), CA_DATA);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 6);
    assert_non_null(strstr(e.msg, "invalid YAML"));
    assert_int_equal(load_text("", &rs, &e), CA_DATA);
    assert_non_null(strstr(e.msg, "empty rule file"));
}

static void test_load_duplicate_ids(void **state)
{
    char dir[] = "/tmp/ca-engine-XXXXXX", a[300], b[300], text[2048];
    const char *paths[1];
    struct ruleset *rs = NULL;
    struct ca_error e = CA_ERROR_INIT;
    FILE *fp;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof(a), "%s/a.yaml", dir);
    snprintf(b, sizeof(b), "%s/b.yml", dir);
    snprintf(text, sizeof(text), "%s  regex: 'review'\n%s", base_head,
             base_tail);
    fp = fopen(a, "w");
    fputs(text, fp);
    fclose(fp);
    fp = fopen(b, "w");
    fputs(text, fp);
    fclose(fp);
    paths[0] = dir;
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &e), CA_DATA);
    assert_null(rs);
    assert_non_null(strstr(e.msg, "duplicate rule id 'T-1'"));
    assert_non_null(strstr(e.file, "b.yml"));
    assert_non_null(strstr(e.msg, "a.yaml"));
    unlink(a);
    unlink(b);
    rmdir(dir);
}

/* ---- words ---- */

static void test_words_pattern(void **state)
{
    const char *w[] = {"house-to-house", "QA'd", "s.46A", " H2H "};
    char out[512];
    long n;

    (void)state;
    n = rule_words_pattern(w, 4, out, sizeof(out));
    assert_true(n > 0);
    assert_string_equal(
        out, "(?:\\bhouse[\\s\\-]+to[\\s\\-]+house\\b|\\bQA['\xE2\x80\x99]d\\b"
             "|\\bs\\.46A\\b|\\bH2H\\b)");
    assert_int_equal(rule_words_pattern(w, 4, out, 10), -1);
}

static void test_words_match(void **state)
{
    char text[2048];
    struct ruleset *rs;
    const char *kv[] = {"crime_ref", "C1", "log", "", NULL};
    struct got g;

    (void)state;
    snprintf(text, sizeof(text), "%s  words: [house-to-house, CCTV viewed]\n%s",
             base_head, base_tail);
    rs = load_ok(text);
    kv[3] = "2014-02-03 10:00 PC 1 A: House to\nhouse done.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_PASS);
    kv[3] = "2014-02-03 10:00 PC 1 A: cctv   viewed";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_PASS);
    kv[3] =
        "2014-02-03 10:00 PC 1 A: CCTV viewing booked"; /* whole words only */
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    ruleset_free(rs);
}

/* ---- checks ---- */

static const char sup_rule[] =
    "id: SUP\ntitle: t\ncategory: supervision\nlevel: high\nstatus: stable\n"
    "applies_to: { type: crime }\ncheck: must_contain\n"
    "entry:\n"
    "  regex: '\\breview(?:ed)?\\b'\n"
    "  negate: '\\b(?:no|awaiting)\\s+review'\n"
    "  exclude: '\\bcancelled\\b'\n"
    "  rank: '^(?:PS|DS)$'\n"
    "  from: recorded_at\n"
    "  within_days: 7\n"
    "message: No review\nreferences: [APP]\n";

static void test_must_contain(void **state)
{
    struct ruleset *rs;
    const char *kv[] = {"crime_ref", "C1", "recorded_at", "2014-02-03 10:00",
                        "log",       "",   NULL};
    struct got g;

    (void)state;
    rs = load_ok(sup_rule);
    /* day 7 (inclusive) passes, with the entry's time and an excerpt */
    kv[5] = "2014-02-03 10:00 PC 1 A: Crime recorded.\n"
            "2014-02-10 23:59 DS 2 B: Reviewed,   agree\nwith plan.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_PASS);
    assert_string_equal(g.at, "2014-02-10 23:59");
    assert_string_equal(g.excerpt, "Reviewed, agree with plan.");
    /* day 8 fails, naming the window and the near miss */
    kv[5] = "2014-02-11 00:01 DS 2 B: Reviewed.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    assert_string_equal(g.at, "");
    assert_non_null(strstr(g.msg,
                           "No review: no qualifying entry between 2014-02-03 "
                           "(recorded_at) and 2014-02-10"));
    assert_non_null(strstr(g.msg, "outside the window"));
    /* an entry before the from date does not count */
    kv[5] = "2014-02-02 10:00 DS 2 B: Reviewed.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_FAIL);
    /* wrong rank */
    kv[5] = "2014-02-04 10:00 PC 1 A: Reviewed.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(strstr(g.msg, "rank does not qualify"));
    /* negated, then a real review later in the same entry */
    kv[5] = "2014-02-04 10:00 DS 2 B: Awaiting review.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_FAIL);
    kv[5] = "2014-02-04 10:00 DS 2 B: No review last week. Reviewed today.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_PASS);
    /* exclude vetoes the whole entry */
    kv[5] = "2014-02-04 10:00 DS 2 B: Reviewed - cancelled.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(strstr(g.msg, "excluded"));
    /* after the first near miss, entries outside the window are passed
     * over: a later one in the window still counts, and the near miss
     * named is the first */
    kv[5] = "2014-02-01 10:00 DS 2 B: Reviewed.\n"
            "2014-02-20 10:00 DS 2 B: Reviewed.\n"
            "2014-02-04 10:00 DS 2 B: Reviewed.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_PASS);
    kv[5] = "2014-02-04 10:00 PC 1 A: Reviewed.\n"
            "2014-02-20 10:00 DS 2 B: Reviewed.\n"
            "2014-02-21 10:00 DS 2 B: Reviewed - cancelled.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(strstr(g.msg, "nearest: the entry at 2014-02-04 10:00 "
                                  "matched but its author's rank"));
    /* the rule is for crimes only */
    assert_false(eval1(rs, RT_WANTED, kv, 0).seen);
    ruleset_free(rs);
}

static void test_missing_field_is_error(void **state)
{
    struct ruleset *rs;
    const char *kv[] = {"crime_ref", "C1", "log",
                        "2014-02-04 10:00 DS 2 B: Reviewed.", NULL};
    const char *kv2[] = {"crime_ref",   "C1",
                         "recorded_at", "",
                         "log",         "2014-02-04 10:00 DS 2 B: Reviewed.",
                         NULL};
    const char *kv3[] = {"crime_ref",   "C1",
                         "recorded_at", "2014-02-31",
                         "log",         "2014-02-04 10:00 DS 2 B: Reviewed.",
                         NULL};
    struct got g;

    (void)state;
    rs = load_ok(sup_rule);
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_ERROR);
    assert_non_null(strstr(g.msg, "no 'recorded_at' field"));
    g = eval1(rs, RT_CRIME, kv2, 0);
    assert_int_equal(g.v, V_ERROR);
    assert_non_null(strstr(g.msg, "'recorded_at' is empty"));
    g = eval1(rs, RT_CRIME, kv3, 0);
    assert_int_equal(g.v, V_ERROR);
    assert_non_null(strstr(g.msg, "not a valid date"));
    ruleset_free(rs);
}

static void test_must_not_contain(void **state)
{
    struct ruleset *rs;
    const char *kv[] = {"crime_ref", "C1", "log", "", NULL};
    struct got g;

    (void)state;
    rs = load_ok(
        "id: NOT\ntitle: t\ncategory: recording\nlevel: low\nstatus: test\n"
        "applies_to: { type: crime }\ncheck: must_not_contain\n"
        "entry: { words: [no crime] }\n"
        "message: Recorded as no crime\nreferences: [NCRS]\n");
    kv[3] = "2014-02-03 10:00 PC 1 A: Attended.\n2014-02-04 11:30 PC 1 A: "
            "Marked NO CRIME.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    assert_string_equal(g.at, "2014-02-04 11:30");
    assert_string_equal(g.excerpt, "Marked NO CRIME.");
    assert_non_null(strstr(g.msg, "entry at 2014-02-04 11:30 matches"));
    kv[3] = "2014-02-03 10:00 PC 1 A: Attended.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_PASS);
    ruleset_free(rs);
}

static const char gap_rule[] =
    "id: GAP\ntitle: t\ncategory: victim-care\nlevel: medium\nstatus: stable\n"
    "applies_to: { type: crime }\ncheck: max_gap\n"
    "entry: { regex: '\\bvictim\\s+updated\\b' }\n"
    "start: recorded_at\nend: [outcome_at]\nmax_days: 28\n"
    "message: Victim not updated\nreferences: [VCOP]\n";

static void test_max_gap(void **state)
{
    struct ruleset *rs;
    const char *kv[] = {"crime_ref",  "C1", "recorded_at", "2014-02-03 10:00",
                        "outcome_at", "",   "status",      "open",
                        "log",        "",   NULL};
    struct got g;

    (void)state;
    rs = load_ok(gap_rule);
    kv[9] = "2014-02-03 11:00 PC 1 A: Victim updated.\n2014-03-03 09:00 PC 1 "
            "A: Victim updated.";
    /* open: the last gap runs to --as-of; 28 days pass, 29 fail */
    g = eval1(rs, RT_CRIME, kv, day_secs(2014, 3, 31));
    assert_int_equal(g.v, V_PASS);
    assert_string_equal(g.at, "2014-03-03 09:00");
    assert_non_null(strstr(g.msg, "longest gap 28 days"));
    g = eval1(rs, RT_CRIME, kv, day_secs(2014, 4, 1));
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(
        strstr(g.msg, "a gap of 29 days from 2014-03-03 09:00 (an entry) to "
                      "2014-04-01 (the --as-of date)"));
    assert_string_equal(g.at, "2014-03-03 09:00");
    /* closed: the outcome date ends the period, whatever --as-of says */
    kv[5] = "2014-03-20 10:00";
    kv[7] = "closed";
    assert_int_equal(eval1(rs, RT_CRIME, kv, day_secs(2015, 1, 1)).v, V_PASS);
    /* a gap between entries: 35 days */
    kv[9] = "2014-02-03 11:00 PC 1 A: Victim updated.\n2014-03-10 09:00 PC 1 "
            "A: Victim updated.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(
        strstr(g.msg, "a gap of 35 days from 2014-02-03 11:00 (an entry)"));
    /* entries before the start, after the end or without a date do not
     * count (they are not looked at) */
    kv[9] = "2014-02-01 11:00 PC 1 A: Victim updated.\n"
            "2014-02-03 11:00 PC 1 A: Victim updated.\n"
            "Victim updated.\n"
            "2014-03-10 09:00 PC 1 A: Victim updated.\n"
            "2014-03-25 09:00 PC 1 A: Victim updated.";
    kv[5] = "2014-03-20 10:00";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(
        strstr(g.msg, "a gap of 35 days from 2014-02-03 11:00 (an entry)"));
    /* closed with no end date: judged to its last log entry */
    kv[5] = "";
    kv[9] = "2014-02-03 11:00 PC 1 A: Victim updated.\n2014-02-20 09:00 PC 1 "
            "A: Filed.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, day_secs(2015, 1, 1)).v, V_PASS);
    ruleset_free(rs);

    /* hours between two fields, no log needed */
    rs = load_ok(
        "id: REC\ntitle: t\ncategory: recording\nlevel: high\nstatus: stable\n"
        "applies_to: { type: crime }\ncheck: max_gap\nstart: reported_at\n"
        "end: recorded_at\nmax_hours: 24\nmessage: Late\nreferences: [NCRS]\n");
    {
        const char *k2[] = {"crime_ref",   "C1",
                            "reported_at", "2014-02-02 10:00",
                            "recorded_at", "2014-02-03 10:00",
                            NULL};
        assert_int_equal(eval1(rs, RT_CRIME, k2, 0).v, V_PASS);
        k2[5] = "2014-02-03 10:01";
        g = eval1(rs, RT_CRIME, k2, 0);
        assert_int_equal(g.v, V_FAIL);
        assert_non_null(strstr(g.msg, "a gap of 25 hours"));
        k2[3] = "2014-02-02";
        k2[5] = "2014-02-03";
        assert_int_equal(eval1(rs, RT_CRIME, k2, 0).v, V_PASS);
        k2[5] = "2014-02-04";
        assert_int_equal(eval1(rs, RT_CRIME, k2, 0).v, V_FAIL);
    }
    ruleset_free(rs);
}

static const char ift_rule[] =
    "id: IFT\ntitle: t\ncategory: victim-care\nlevel: medium\nstatus: stable\n"
    "applies_to: { type: crime, where: { vulnerable: { not: 'Y' } } }\ncheck: "
    "if_then\n"
    "if: { regex: '\\bscreened\\s+out\\b' }\n"
    "then: { regex: '\\bvictim\\s+(?:told|informed)\\b', order: after,"
    " within_working_days: 5 }\n"
    "message: Victim not told\nreferences: [VCOP]\n";

static void test_if_then(void **state)
{
    struct ruleset *rs;
    const char *kv[] = {"crime_ref", "C1", "vulnerable", "N", "log", "", NULL};
    struct got g;

    (void)state;
    rs = load_ok(ift_rule);
    /* Thursday 17 April 2014: Good Friday and Easter Monday are holidays,
     * so the fifth working day is Monday 28 April */
    kv[5] = "2014-04-17 10:00 PC 1 A: Screened out.\n2014-04-28 17:00 PC 1 A: "
            "Victim told.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_PASS);
    assert_string_equal(g.at, "2014-04-28 17:00");
    kv[5] = "2014-04-17 10:00 PC 1 A: Screened out.\n2014-04-29 09:00 PC 1 A: "
            "Victim told.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    assert_string_equal(g.at, "2014-04-17 10:00");
    assert_string_equal(g.excerpt, "Screened out.");
    assert_non_null(strstr(g.msg, "within 5 working days (by 2014-04-28)"));
    /* told before the decision does not count for order: after */
    kv[5] = "2014-04-16 10:00 PC 1 A: Victim told.\n2014-04-17 10:00 PC 1 A: "
            "Screened out.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_FAIL);
    /* the same entry can be both */
    kv[5] = "2014-04-17 10:00 PC 1 A: Screened out, victim informed.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_PASS);
    /* no trigger: the rule does not apply (no verdict) */
    kv[5] = "2014-04-17 10:00 PC 1 A: CCTV viewed.";
    assert_false(eval1(rs, RT_CRIME, kv, 0).seen);
    /* where: vulnerable Y is someone else's rule */
    kv[3] = "Y";
    kv[5] = "2014-04-17 10:00 PC 1 A: Screened out.";
    assert_false(eval1(rs, RT_CRIME, kv, 0).seen);
    ruleset_free(rs);

    rs = load_ok("id: END\ntitle: t\ncategory: supervision\nlevel: "
                 "high\nstatus: stable\n"
                 "applies_to: { type: crime }\ncheck: if_then\n"
                 "if: { regex: '\\bfiled\\b' }\n"
                 "then: { regex: '\\bagree', rank: '^DS$', order: before }\n"
                 "message: Not endorsed\nreferences: [APP]\n");
    kv[5] = "2014-02-03 10:00 DS 1 A: Agree.\n2014-02-04 10:00 PC 2 B: Filed.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_PASS);
    assert_string_equal(g.at, "2014-02-03 10:00");
    kv[5] = "2014-02-04 10:00 PC 2 B: Filed.\n2014-02-05 10:00 DS 1 A: Agree.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_FAIL);
    ruleset_free(rs);
}

static void test_where_and_span(void **state)
{
    struct ruleset *rs;
    const char *kv[] = {
        "bail_ref",    "B1",
        "arrested_at", "2019-06-03 10:00",
        "bail_start",  "2019-06-03",
        "bail_end",    "2019-07-15",
        "log",         "2019-06-20 10:00 Supt 3 X: Extension authorised.",
        NULL};
    struct got g;

    (void)state;
    rs = load_ok(
        "id: BAIL\ntitle: t\ncategory: supervision\nlevel: high\nstatus: "
        "stable\n"
        "applies_to:\n  type: bail\n"
        "  where: { arrested_at: { from: '2017-04-03', to: '2022-10-27' } }\n"
        "  span: { start: bail_start, end: bail_end, over_days: 28 }\n"
        "check: must_contain\n"
        "entry: { regex: '\\bextension\\b', rank: '^Supt$', from: bail_start,"
        " within_days: 28 }\n"
        "message: No extension\nreferences: [PACA 2017]\n");
    assert_int_equal(eval1(rs, RT_BAIL, kv, 0).v, V_PASS);
    kv[3] = "2022-10-28 10:00"; /* the new regime: not this rule */
    assert_false(eval1(rs, RT_BAIL, kv, 0).seen);
    kv[3] = "2022-10-27 23:59";
    assert_true(eval1(rs, RT_BAIL, kv, 0).seen);
    kv[7] = "2019-07-01"; /* exactly 28 days: no extension needed */
    assert_false(eval1(rs, RT_BAIL, kv, 0).seen);
    kv[5] = ""; /* no bail period (released under investigation) */
    kv[7] = "";
    assert_false(eval1(rs, RT_BAIL, kv, 0).seen);
    kv[3] = ""; /* the regime cannot be told */
    g = eval1(rs, RT_BAIL, kv, 0);
    assert_int_equal(g.v, V_ERROR);
    assert_non_null(strstr(g.msg, "'arrested_at' is empty"));
    ruleset_free(rs);

    /* an export column that is not canonical must be declared */
    {
        struct ca_error e;
        struct ruleset *bad = NULL;
        assert_int_equal(
            load_text("id: W\ntitle: t\ncategory: supervision\nlevel: high\n"
                      "status: stable\n"
                      "applies_to: { type: crime, where: { team: 'CID' } }\n"
                      "check: must_contain\nentry: { regex: 'x' }\n"
                      "message: m\nreferences: [r]\n",
                      &bad, &e),
            CA_DATA);
        assert_int_equal(e.line, 6);
        assert_int_equal(e.col, 37);
        assert_non_null(
            strstr(e.msg, "'team' is not a field of crime records"));
    }
    rs = load_ok(
        "id: W\ntitle: t\ncategory: supervision\nlevel: high\nstatus: stable\n"
        "fields: [team]\n"
        "applies_to: { type: crime, where: { team: 'CID|MIT' } }\n"
        "check: must_contain\nentry: { regex: 'x' }\n"
        "message: m\nreferences: [r]\n");
    {
        const char *k2[] = {"crime_ref", "C1",           "team", "mit",
                            "log",       "2014-01-01 x", NULL};
        const char *k3[] = {"crime_ref", "C1",           "team", "MITx",
                            "log",       "2014-01-01 x", NULL};
        const char *k4[] = {"crime_ref", "C1", "log", "2014-01-01 x", NULL};
        assert_int_equal(eval1(rs, RT_CRIME, k2, 0).v, V_PASS);
        assert_false(eval1(rs, RT_CRIME, k3, 0).seen); /* full match only */
        g = eval1(rs, RT_CRIME, k4, 0);
        assert_int_equal(g.v, V_ERROR);
        assert_non_null(strstr(g.msg, "no 'team' field"));
    }
    ruleset_free(rs);
    expect_error("  regex: 'review'\n", "fields: [x]\nwhere: 1\n", 13, 1,
                 "unknown key 'where' in a rule");
}

static void test_where_any_and_negate_overlap(void **state)
{
    struct ruleset *rs;
    const char *kv[] = {"crime_ref", "C1",  "vulnerable", "N", "repeat_victim",
                        "Y",         "log", "",           NULL};
    struct got g;

    (void)state;
    /* a list under where: any one mapping is enough */
    rs = load_ok("id: ANY\ntitle: t\ncategory: victim-care\nlevel: low\n"
                 "status: test\n"
                 "applies_to:\n  type: crime\n"
                 "  where: [ { vulnerable: 'Y' }, { repeat_victim: 'Y' } ]\n"
                 "check: must_contain\n"
                 "entry:\n"
                 "  regex: '\\binterviewed\\b'\n"
                 "  negate: |-\n"
                 "    (?x)\\b\\w+\\s+to\\s+be\n"
                 "    | \\bto\\s+be\\b[^.]{0,40}\n"
                 "message: m\nreferences: [r]\n");
    kv[7] = "2014-02-03 10:00 PC 1 A: Suspect interviewed.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_PASS);
    kv[5] = "N";
    assert_false(eval1(rs, RT_CRIME, kv, 0).seen);
    kv[3] = "Y";
    assert_true(eval1(rs, RT_CRIME, kv, 0).seen);
    /* negate matches may overlap one another: "X to be" ends before the
     * regex match, "to be interviewed" covers it */
    kv[7] = "2014-02-03 10:00 PC 1 A: Suspect NS-P1 to be interviewed.";
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(strstr(g.msg, "negated"));
    ruleset_free(rs);
}

static uint64_t neg_rng = 88172645463325252ull;

static size_t next_start(const char *t, size_t len, size_t i)
{
    i++;
    while (i < len && ((unsigned char)t[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* The first match of re in t from start, as pcre2_match gives it with no
 * offset limit: 1 (*ms, *me), 0. */
static int first_match(const pcre2_code *re, const char *t, size_t len,
                       size_t start, size_t *ms, size_t *me)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)t, len, start, 0, md, NULL);

    if (rc >= 0) {
        *ms = pcre2_get_ovector_pointer(md)[0];
        *me = pcre2_get_ovector_pointer(md)[1];
    }
    pcre2_match_data_free(md);
    return rc >= 0;
}

/* docs/rule-format.md's negate, written out with whole searches: whether
 * some negate match starting up to 256 bytes before [ms, me) overlaps it */
static bool plain_negated(const pcre2_code *neg, const char *t, size_t len,
                          size_t ms, size_t me)
{
    size_t from = ms > 256 ? ms - 256 : 0, ns, ne;

    while (from < len && ((unsigned char)t[from] & 0xC0) == 0x80)
        from++;
    while (from <= len && from < me) {
        if (!first_match(neg, t, len, from, &ns, &ne) || ns >= me)
            return false;
        if (ne > ms && ne > ns)
            return true;
        from = next_start(t, len, ns);
    }
    return false;
}

/* Whether an entry's text qualifies under regex re with negate neg. */
static bool plain_qualifies(const pcre2_code *re, const pcre2_code *neg,
                            const char *t)
{
    size_t len = strlen(t), start = 0, ms, me;

    while (start <= len && first_match(re, t, len, start, &ms, &me)) {
        if (!plain_negated(neg, t, len, ms, me))
            return true;
        start = me > ms ? me : next_start(t, len, ms);
    }
    return false;
}

/*
 * A negate pattern is searched only up to the end of the regex match it
 * may void (an offset limit): the verdicts must be those of whole
 * searches.  Random entries of the words of a VIC-01-like pair of
 * patterns, long enough that matches fall near and far (over 256 bytes)
 * from each other.
 */
static void test_negate_reach(void **state)
{
    static const char *const words[] = {
        "victim",  "IP",     "updated",
        "told",    "not",    "yet",
        "no",      "answer", "voicemail",
        "will",    "to",     "be",
        "the",     ".",      ";",
        ",",       "x",      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "\xC3\xA9"};
    struct ruleset *rs;
    const char *kv[] = {"crime_ref", "C1", "log", "", NULL};
    char log[2600];
    size_t i, k, passes = 0;

    (void)state;
    rs = load_ok(
        "id: NEG\ntitle: t\ncategory: victim-care\nlevel: low\n"
        "status: test\napplies_to: { type: crime }\n"
        "check: must_contain\nentry:\n"
        "  regex: |-\n"
        "    (?x)\\b(?:victim|IP)\\b[^.;]{0,30}?\\b(?:updated|told)\\b\n"
        "    | \\bupdated\\s+(?:the\\s+)?victim\\b\n"
        "  negate: |-\n"
        "    (?x)(?:^|(?<=[.;]))[^.;]*?\\b(?:no\\s+answer|voicemail\n"
        "      | not\\s+(?:yet\\s+)?updated)\\b\n"
        "    | \\b(?:will|to)\\s+(?:be\\s+)?updated\n"
        "message: m\nreferences: [r]\n");
    for (i = 0; i < 3000; i++) {
        size_t len = (size_t)snprintf(log, sizeof(log),
                                      "2014-02-03 10:00 "
                                      "PC 1 A: ");
        size_t n = 1 + (neg_rng % 7 == 0 ? 120 : 20), head = len;
        bool want;

        for (k = 0; k < n && len + 40 < sizeof(log); k++) {
            const char *w;

            neg_rng ^= neg_rng << 13; /* xorshift64 */
            neg_rng ^= neg_rng >> 7;
            neg_rng ^= neg_rng << 17;
            w = words[neg_rng % (sizeof(words) / sizeof(words[0]))];
            len += (size_t)snprintf(log + len, sizeof(log) - len, "%s%s", w,
                                    neg_rng % 5 ? " " : "");
        }
        while (len > head && log[len - 1] == ' ')
            log[--len] = '\0'; /* as the entry's text ends */
        kv[3] = log;
        want = plain_qualifies(rs->rules[0]->entry.re.code,
                               rs->rules[0]->entry.negate.code, log + head);
        if (eval1(rs, RT_CRIME, kv, 0).v != (want ? V_PASS : V_FAIL))
            fail_msg("entry '%s': %s expected", log + head,
                     want ? "pass" : "fail");
        passes += want;
    }
    assert_true(passes > 300 && passes < 2700); /* both verdicts were seen */
    ruleset_free(rs);
}

/* A negate tried only at the places its matches may start must try each
 * of them: in "abc5" the first ("ab" at 0) fails at the digit and the next
 * is one byte on ("bc" at 1), so a step of two bytes would miss it. */
static void test_negate_adjacent_starts(void **state)
{
    static const char *const logs[][2] = {
        {"abc5", "fail"},  /* "bc5" negates the "5" */
        {"ab5", "fail"},   /* "ab5" at the first start */
        {"xbc5", "fail"},  /* "bc5" at the only start */
        {"ac5", "pass"},   /* no start */
        {"ab c5", "pass"}, /* "ab" fails and "bc" is no start */
    };
    struct ruleset *rs;
    const char *kv[] = {"crime_ref", "C1", "log", "", NULL};
    char log[128];
    size_t i;

    (void)state;
    rs = load_ok("id: NEG2\ntitle: t\ncategory: victim-care\nlevel: low\n"
                 "status: test\napplies_to: { type: crime }\n"
                 "check: must_contain\nentry:\n"
                 "  regex: '\\d'\n"
                 "  negate: '(?:ab|bc)\\d'\n"
                 "message: m\nreferences: [r]\n");
    for (i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
        snprintf(log, sizeof(log), "2014-02-03 10:00 PC 1 A: %s", logs[i][0]);
        kv[3] = log;
        if (eval1(rs, RT_CRIME, kv, 0).v !=
            (strcmp(logs[i][1], "pass") == 0 ? V_PASS : V_FAIL))
            fail_msg("entry '%s': %s expected", logs[i][0], logs[i][1]);
    }
    ruleset_free(rs);
}

static void test_invalid_utf8(void **state)
{
    struct ruleset *rs;
    const char *kv[] = {
        "crime_ref",  "C1",  "recorded_at",
        "2014-02-03", "log", "2014-02-04 10:00 DS 2 B: Reviewed \xff\xfe here.",
        NULL};
    struct got g;

    (void)state;
    rs = load_ok(sup_rule);
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_ERROR);
    assert_non_null(strstr(g.msg, "not valid UTF-8"));
    /* overlong encoding and a lone surrogate are invalid too */
    kv[5] = "2014-02-04 10:00 DS 2 B: Reviewed \xc0\xaf";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_ERROR);
    kv[5] = "2014-02-04 10:00 DS 2 B: Reviewed \xed\xa0\x80";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_ERROR);
    kv[5] = "2014-02-04 10:00 DS 2 B: Reviewed \xe2\x80\x93 fine.";
    assert_int_equal(eval1(rs, RT_CRIME, kv, 0).v, V_PASS);
    ruleset_free(rs);
}

static void test_match_limit(void **state)
{
    struct ruleset *rs;
    struct trec t;
    struct got g;
    struct engine_params p = {0};
    struct engine_limits lim = {0};
    struct engine_scratch *s;
    char log[200];
    const char *kv[] = {"crime_ref", "C1", "log", log, NULL};

    (void)state;
    /* nested quantifiers: exponential backtracking on a near miss */
    rs = load_ok("id: SLOW\ntitle: t\ncategory: supervision\nlevel: "
                 "high\nstatus: stable\n"
                 "applies_to: { type: crime }\ncheck: must_contain\n"
                 "entry: { regex: '^(?:\\w+\\s?)+!$' }\n"
                 "message: m\nreferences: [r]\n");
    snprintf(log, sizeof(log), "2014-02-04 10:00 %s!x",
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    lim.match_limit = 100000;
    s = engine_scratch_new(&lim);
    assert_non_null(s);
    memset(&g, 0, sizeof(g));
    trec_init(&t, RT_CRIME, kv);
    assert_int_equal(engine_eval(rs, &t.r, &p, s, collect, &g), CA_OK);
    assert_true(g.seen);
    assert_int_equal(g.v, V_ERROR);
    assert_non_null(
        strstr(g.msg, "pattern 'entry.regex' hit the match limit on the log "
                      "entry at 2014-02-04 10:00"));
    /* the scratch stays usable: the next record is judged normally */
    snprintf(log, sizeof(log), "2014-02-04 10:00 abc!");
    trec_init(&t, RT_CRIME, kv);
    memset(&g, 0, sizeof(g));
    assert_int_equal(engine_eval(rs, &t.r, &p, s, collect, &g), CA_OK);
    assert_int_equal(g.v, V_PASS);
    engine_scratch_free(s);
    ruleset_free(rs);
}

static void test_excerpt(void **state)
{
    struct ruleset *rs;
    char log[2000];
    const char *kv[] = {"crime_ref", "C1", "log", log, NULL};
    struct got g;
    size_t i, chars = 0;

    (void)state;
    rs = load_ok(
        "id: EX\ntitle: t\ncategory: supervision\nlevel: high\nstatus: stable\n"
        "applies_to: { type: crime }\ncheck: must_contain\n"
        "entry: { regex: '\\bneedle\\b' }\nmessage: m\nreferences: [r]\n");
    snprintf(log, sizeof(log), "2014-02-04 10:00 PC 1 A: ");
    for (i = 0; i < 60; i++)
        strncat(log, "word\t\n ", sizeof(log) - strlen(log) - 1);
    strncat(log, "needle ", sizeof(log) - strlen(log) - 1);
    for (i = 0; i < 60; i++)
        strncat(log, "caf\xc3\xa9 ", sizeof(log) - strlen(log) - 1);
    g = eval1(rs, RT_CRIME, kv, 0);
    assert_int_equal(g.v, V_PASS);
    for (i = 0; g.excerpt[i]; i++)
        if (((unsigned char)g.excerpt[i] & 0xC0) != 0x80)
            chars++;
    assert_true(chars <= 160);
    assert_true(chars >= 150);
    assert_memory_equal(g.excerpt, "...", 3);
    assert_non_null(strstr(g.excerpt, "word word needle caf\xc3\xa9"));
    assert_null(strchr(g.excerpt, '\t'));
    assert_null(strchr(g.excerpt, '\n'));
    assert_string_equal(g.excerpt + strlen(g.excerpt) - 3, "...");
    ruleset_free(rs);
}

/* ---- field references ---- */

static void check_ref(const struct fieldref *f)
{
    if (f->name && f->named != cf_lookup(f->name))
        fail_msg("field '%s': looked up as %d, not %d", f->name, f->named,
                 cf_lookup(f->name));
}

/* Rules read fields by the canonical field their name looked up to at
 * load time (record_get_looked_up): it must be cf_lookup of the name, for
 * every field reference of every shipped rule. */
static void test_field_lookups(void **state)
{
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    size_t i, k, n = 0;

    (void)state;
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    for (i = 0; i < rs->n; i++) {
        const struct rule *ru = rs->rules[i];
        const struct entry_spec *sp[] = {&ru->entry, &ru->ifs, &ru->thens,
                                         &ru->when, &ru->when_not};

        for (k = 0; k < ru->nneed; k++, n++)
            check_ref(&ru->need[k]);
        for (k = 0; k < ru->nwhere; k++, n++)
            check_ref(&ru->where[k].field);
        for (k = 0; k < ru->nend; k++, n++)
            check_ref(&ru->end[k]);
        for (k = 0; k < ru->nstart_more; k++, n++)
            check_ref(&ru->start_more[k]);
        for (k = 0; k < sizeof(sp) / sizeof(sp[0]); k++) {
            check_ref(&sp[k]->from);
            check_ref(&sp[k]->to);
        }
        check_ref(&ru->start);
        check_ref(&ru->span.start);
        check_ref(&ru->span.end);
    }
    assert_true(n > 50);
    ruleset_free(rs);
}

/* ---- calendar ---- */

/* Days and times as messages and findings write them: by hand, the text
 * snprintf gives, for every day from year -1 to 10000 at a few times of
 * day, and for times before 1970. */
static void test_date_text(void **state)
{
    int64_t day, lo = date_days_from_civil(-1, 1, 1),
                 hi = date_days_from_civil(10001, 1, 1);
    static const int64_t tods[] = {0, 59, 60, 3599, 3600, 43200 + 61, 86399};
    char got[24], want[40];
    size_t k;

    (void)state;
    for (day = lo; day < hi; day++) {
        int y;
        unsigned m, d;

        date_civil_from_days(day, &y, &m, &d);
        snprintf(want, sizeof(want), "%04d-%02u-%02u", y, m, d);
        eval_fmt_day(day, got);
        assert_string_equal(got, want);
        for (k = 0; k < sizeof(tods) / sizeof(tods[0]); k++) {
            int64_t t = tods[k];

            if (day % 97 != 0 && k > 0)
                continue; /* every day at midnight, some at other times */
            eval_fmt_time(day * 86400 + t, true, got);
            snprintf(want, sizeof(want), "%04d-%02u-%02u %02d:%02d", y, m, d,
                     (int)(t / 3600), (int)(t / 60 % 60));
            assert_string_equal(got, want);
            eval_fmt_time(day * 86400 + t, false, got);
            snprintf(want, sizeof(want), "%04d-%02u-%02u", y, m, d);
            assert_string_equal(got, want);
        }
    }
}

static void test_calendar(void **state)
{
    /* England and Wales bank holidays, as published on gov.uk/bank-holidays */
    static const int hol[][3] = {
        {2020, 1, 1},   {2020, 4, 10},  {2020, 4, 13},  {2020, 5, 8},
        {2020, 5, 25},  {2020, 8, 31},  {2020, 12, 25}, {2020, 12, 28},
        {2021, 1, 1},   {2021, 4, 2},   {2021, 4, 5},   {2021, 5, 3},
        {2021, 5, 31},  {2021, 8, 30},  {2021, 12, 27}, {2021, 12, 28},
        {2022, 1, 3},   {2022, 4, 15},  {2022, 4, 18},  {2022, 5, 2},
        {2022, 6, 2},   {2022, 6, 3},   {2022, 8, 29},  {2022, 9, 19},
        {2022, 12, 26}, {2022, 12, 27}, {2023, 1, 2},   {2023, 4, 7},
        {2023, 4, 10},  {2023, 5, 1},   {2023, 5, 8},   {2023, 5, 29},
        {2023, 8, 28},  {2023, 12, 25}, {2023, 12, 26},
    };
    size_t i, n = 0;
    int64_t d;

    (void)state;
    for (i = 0; i < sizeof(hol) / sizeof(hol[0]); i++)
        assert_true(cal_is_bank_holiday(date_days_from_civil(
            hol[i][0], (unsigned)hol[i][1], (unsigned)hol[i][2])));
    /* and no other day in those four years */
    for (d = date_days_from_civil(2020, 1, 1);
         d < date_days_from_civil(2024, 1, 1); d++)
        n += cal_is_bank_holiday(d);
    assert_int_equal(n, sizeof(hol) / sizeof(hol[0]));
    assert_int_equal(cal_weekday(date_days_from_civil(2014, 2, 3)),
                     0); /* a Monday */
    assert_int_equal(cal_weekday(date_days_from_civil(1969, 12, 31)), 2);
    /* Friday + 1 working day = Monday; Saturday + 1 = Monday */
    assert_int_equal(cal_add_working_days(date_days_from_civil(2014, 2, 7), 1),
                     date_days_from_civil(2014, 2, 10));
    assert_int_equal(cal_add_working_days(date_days_from_civil(2014, 2, 8), 1),
                     date_days_from_civil(2014, 2, 10));
    /* over Christmas 2020 (25 Fri, 28 Mon) */
    assert_int_equal(
        cal_add_working_days(date_days_from_civil(2020, 12, 24), 1),
        date_days_from_civil(2020, 12, 29));
    assert_int_equal(
        cal_add_working_days(date_days_from_civil(2020, 12, 29), -1),
        date_days_from_civil(2020, 12, 24));
    /* months clamp to the end of the month */
    assert_int_equal(cal_add_months(date_days_from_civil(2023, 11, 30), 3),
                     date_days_from_civil(2024, 2, 29));
    assert_int_equal(cal_add_months(date_days_from_civil(2023, 1, 31), 1),
                     date_days_from_civil(2023, 2, 28));
    assert_int_equal(cal_add_months(date_days_from_civil(2023, 3, 15), -3),
                     date_days_from_civil(2022, 12, 15));
    assert_int_equal(cal_day_of(-1), -1);
    assert_int_equal(cal_day_of(86399), 0);
}

/* ---- findings writers ---- */

struct wctx {
    struct findings_writer *w;
    struct findings_tally *t;
};

static int write_cb(void *ctx, const struct record *r,
                    const struct engine_verdict *v)
{
    struct wctx *c = ctx;

    findings_write(c->w, r, v);
    findings_tally_add(c->t, v);
    return 0;
}

static void test_findings_rows(void **state)
{
    struct ruleset *rs;
    struct trec t;
    const char *kv[] = {"crime_ref", "C,1", "log",
                        "2014-02-04 10:00 PC 1 A: =\"quoted\" needle", NULL};
    struct engine_params p = {0};
    struct engine_scratch *s = engine_scratch_new(NULL);
    struct findings_writer w;
    struct findings_tally tally;
    struct wctx c = {&w, &tally};
    char buf[2048];
    FILE *fp;
    size_t n;
    int pass;

    (void)state;
    rs = load_ok(
        "id: EX\ntitle: t\ncategory: victim-care\nlevel: medium\nstatus: "
        "stable\n"
        "applies_to: { type: crime }\ncheck: must_contain\n"
        "entry: { regex: '\\bneedle\\b' }\nmessage: m\nreferences: [r]\n");
    trec_init(&t, RT_CRIME, kv);
    t.r.id = "C,1";
    for (pass = 0; pass < 2; pass++) {
        fp = tmpfile();
        findings_writer_init(&w, fp, pass ? FF_JSONL : FF_CSV, pass == 0);
        assert_int_equal(findings_tally_init(&tally, rs), 0);
        assert_int_equal(engine_eval(rs, &t.r, &p, s, write_cb, &c), CA_OK);
        assert_int_equal(findings_writer_finish(&w), 0);
        rewind(fp);
        n = fread(buf, 1, sizeof(buf) - 1, fp);
        buf[n] = '\0';
        if (pass == 0)
            assert_string_equal(buf, "force,type,id,rule_id,category,level,"
                                     "verdict,entry_at,excerpt,message\n"
                                     "testshire,crime,\"C,1\",EX,victim-care,"
                                     "medium,pass,2014-02-04 10:00,"
                                     "\"'=\"\"quoted\"\" needle\",\n");
        else
            assert_string_equal(buf,
                                "{\"force\":\"testshire\",\"type\":\"crime\","
                                "\"id\":\"C,1\",\"rule_id\":\"EX\","
                                "\"category\":\"victim-care\",\"level\":"
                                "\"medium\",\"verdict\":\"pass\","
                                "\"entry_at\":\"2014-02-04 "
                                "10:00\",\"excerpt\":\"\",\"message\":\"\"}\n");
        assert_int_equal(tally.count[0][V_PASS], 1);
        assert_false(findings_tally_has_fail(&tally, rs, RL_LOW));
        findings_tally_release(&tally);
        fclose(fp);
    }
    engine_scratch_free(s);
    ruleset_free(rs);
}

/* ---- fixture labels ---- */

static void test_ruletest_labels(void **state)
{
    struct ruleset *rs;
    struct ruletest *t;
    struct trec r;
    const char *kv[] = {
        "crime_ref",  "C1",  "recorded_at",
        "2014-02-03", "log", "2014-02-04 10:00 DS 2 B: Reviewed.",
        "expect",     "",    NULL};
    const struct ruletest_stat *st;

    (void)state;
    rs = load_ok(sup_rule);
    t = ruletest_new(rs);
    assert_non_null(t);
    kv[7] = "ok:SUP";
    trec_init(&r, RT_CRIME, kv);
    assert_int_equal(ruletest_add_record(t, &r.r), CA_OK);
    kv[7] = "ruleid:SUP"; /* a miss */
    trec_init(&r, RT_CRIME, kv);
    assert_int_equal(ruletest_add_record(t, &r.r), CA_OK);
    kv[7] = "todoruleid:SUP"; /* a known miss: reported, not a failure */
    trec_init(&r, RT_CRIME, kv);
    assert_int_equal(ruletest_add_record(t, &r.r), CA_OK);
    ruletest_finish(t);
    st = ruletest_stat_of(t, 0);
    assert_int_equal(st->tn, 1);
    assert_int_equal(st->fn, 1);
    assert_int_equal(st->todo, 1);
    assert_int_equal(st->labels, 3);
    assert_true(ruletest_failed(t));
    assert_int_equal(ruletest_case_at(t, 1)->result, CR_MISS);
    assert_non_null(strstr(ruletest_case_at(t, 1)->detail,
                           "expected a flag (ruleid:SUP), got pass"));
    ruletest_free(t);

    /* a label naming an unknown rule fails the run */
    t = ruletest_new(rs);
    kv[7] = "ok:SUP ruleid:NOPE";
    trec_init(&r, RT_CRIME, kv);
    ruletest_add_record(t, &r.r);
    ruletest_finish(t);
    assert_true(ruletest_failed(t));
    assert_int_equal(ruletest_case_at(t, 1)->result, CR_PROBLEM);
    assert_non_null(
        strstr(ruletest_case_at(t, 1)->detail, "unknown rule 'NOPE'"));
    ruletest_free(t);

    /* nothing ran, and a stable rule without fixtures */
    t = ruletest_new(rs);
    ruletest_finish(t);
    assert_true(ruletest_failed(t));
    assert_int_equal(ruletest_ncases(t), 2);
    assert_non_null(
        strstr(ruletest_case_at(t, 0)->detail, "no fixture row is labelled"));
    assert_non_null(strstr(ruletest_case_at(t, 1)->detail, "nothing ran"));
    ruletest_free(t);

    /* ok:* on a good row passes; the baseline catches any flag */
    t = ruletest_new(rs);
    kv[7] = "ok:*";
    trec_init(&r, RT_CRIME, kv);
    ruletest_add_record(t, &r.r);
    ruletest_finish(t);
    assert_false(ruletest_failed(t));
    ruletest_free(t);
    t = ruletest_new(rs);
    kv[5] = "2014-02-04 10:00 PC 2 B: Reviewed.";
    trec_init(&r, RT_CRIME, kv);
    ruletest_add_record(t, &r.r);
    ruletest_finish(t);
    assert_true(ruletest_failed(t));
    ruletest_free(t);
    ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_ok),
        cmocka_unit_test(test_load_double_quoted),
        cmocka_unit_test(test_load_plain_pattern),
        cmocka_unit_test(test_load_unknown_key),
        cmocka_unit_test(test_load_duplicate_key),
        cmocka_unit_test(test_load_wrong_type),
        cmocka_unit_test(test_load_missing_key),
        cmocka_unit_test(test_load_bad_enum),
        cmocka_unit_test(test_load_bad_regex_position),
        cmocka_unit_test(test_load_examples),
        cmocka_unit_test(test_load_strictness),
        cmocka_unit_test(test_load_duplicate_ids),
        cmocka_unit_test(test_words_pattern),
        cmocka_unit_test(test_words_match),
        cmocka_unit_test(test_must_contain),
        cmocka_unit_test(test_missing_field_is_error),
        cmocka_unit_test(test_must_not_contain),
        cmocka_unit_test(test_max_gap),
        cmocka_unit_test(test_if_then),
        cmocka_unit_test(test_where_and_span),
        cmocka_unit_test(test_where_any_and_negate_overlap),
        cmocka_unit_test(test_negate_reach),
        cmocka_unit_test(test_negate_adjacent_starts),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_match_limit),
        cmocka_unit_test(test_excerpt),
        cmocka_unit_test(test_field_lookups),
        cmocka_unit_test(test_date_text),
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_findings_rows),
        cmocka_unit_test(test_ruletest_labels),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
