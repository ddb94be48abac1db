/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for synth/: determinism, counts, and above all that truth.csv
 * is exactly right.  Each record's truth is recomputed here, independently
 * of the generator's decisions, from what it actually wrote: the CSV fields
 * (parsed back with an independent calendar) and its log entries (re-split
 * with the contract's entry-header regex, each line matched against the
 * class and rank the generator meant).  The tests also check that nothing
 * is generated in the ambiguous day after a limit (so calendar-day and
 * 24-hour readings of "within N days" agree) and that cross-references
 * resolve as the facts say.  The questions of truth.csv include the
 * inspection's (docs/questions.md), recomputed here by their own wording:
 * the style a log is written in changes none of it.  The files are tested
 * in test_synth_export.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth/gen.h"
#include "synth/phrases.h"
#include "util/status.h"

#define DAY ((int64_t)1440)

/* the contract's default entry-header regex */
static const char header_re[] =
    "^(?<at>\\d{4}-\\d{2}-\\d{2}(?:[ "
    "T]\\d{2}:\\d{2}(?::\\d{2})?(?:Z|[+-]\\d{2}:?"
    "\\d{2})?)?|\\d{2}/\\d{2}/\\d{4}(?: "
    "\\d{2}:\\d{2}(?::\\d{2})?)?)\\s+(?:(?<rank>"
    "PCSO|PC|DC|PS|DS|SPS|Sgt|DSgt|Insp|SI|DI|CI|DCI|Supt|DSupt|CSupt|DCS|ACC|"
    "DCC|CC|Staff)\\s+(?<author>[^:\\n]{0,60}?)\\s*:\\s*)?";

static pcre2_code *hdr;
static pcre2_match_data *md;

enum {
    C_REF,
    C_FORCE,
    C_INC,
    C_OFF,
    C_GROUP,
    C_REP,
    C_REC,
    C_ATT,
    C_VULN,
    C_REPEAT,
    C_NAMED,
    C_STATUS,
    C_OUTCOME,
    C_OUT_AT,
    C_OIC,
    C_DIV,
    C_LOG
};
enum {
    W_REF,
    W_FORCE,
    W_PERSON,
    W_CRIME,
    W_DECIDED,
    W_CIRC,
    W_STATUS,
    W_CLOSED,
    W_OIC,
    W_LOG
};
enum {
    B_REF,
    B_FORCE,
    B_PERSON,
    B_CRIME,
    B_ARRESTED,
    B_START,
    B_END,
    B_FTA,
    B_ANSWERED,
    B_STATUS,
    B_OIC,
    B_LOG
};
enum { I_REF, I_FORCE, I_OPENED, I_CAT, I_ATT, I_ATT_AT, I_CRIME };

/* ---- independent helpers --------------------------------------------- */

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD HH:MM" -> minutes since 1970 by counting days; -1 for "". */
static int64_t tparse(const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, h, mi, yy, mm;
    int64_t days = 0;

    if (!*s)
        return -1;
    assert_int_equal(strlen(s), 16);
    assert_int_equal(sscanf(s, "%4d-%2d-%2d %2d:%2d", &y, &m, &d, &h, &mi), 5);
    assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60);
    for (yy = 1970; yy < y; yy++)
        days += leap(yy) ? 366 : 365;
    for (mm = 1; mm < m; mm++)
        days += mdays[mm - 1] + (mm == 2 && leap(y));
    return (days + d - 1) * DAY + h * 60 + mi;
}

static int setup(void **state)
{
    int e;
    PCRE2_SIZE off;

    (void)state;
    hdr = pcre2_compile((PCRE2_SPTR)header_re, PCRE2_ZERO_TERMINATED,
                        PCRE2_CASELESS, &e, &off, NULL);
    md = hdr ? pcre2_match_data_create_from_pattern(hdr, NULL) : NULL;
    return hdr && md ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pcre2_match_data_free(md);
    pcre2_code_free(hdr);
    return 0;
}

static struct synth *make(unsigned forces, uint64_t records, const char *seed)
{
    struct synth_options o;
    struct synth *g = NULL;
    struct ca_error e = CA_ERROR_INIT;

    synth_options_init(&o);
    o.forces = forces;
    o.records = records;
    o.seed = seed;
    assert_int_equal(synth_new(&o, &g, &e), CA_OK);
    return g;
}

static enum synth_rank rank_class(const char *tok, size_t n)
{
    static const struct {
        const char *t;
        enum synth_rank r;
    } map[] = {
        {"PCSO", SR_PCSO},
        {"PC", SR_CONSTABLE},
        {"DC", SR_CONSTABLE},
        {"PS", SR_SERGEANT},
        {"DS", SR_SERGEANT},
        {"SPS", SR_SERGEANT},
        {"Sgt", SR_SERGEANT},
        {"DSgt", SR_SERGEANT},
        {"Insp", SR_INSPECTOR},
        {"DI", SR_INSPECTOR},
        {"SI", SR_INSPECTOR},
        {"CI", SR_CHIEF_INSPECTOR},
        {"DCI", SR_CHIEF_INSPECTOR},
        {"Supt", SR_SUPERINTENDENT},
        {"DSupt", SR_SUPERINTENDENT},
        {"Staff", SR_STAFF},
    };
    size_t i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strlen(map[i].t) == n && memcmp(map[i].t, tok, n) == 0)
            return map[i].r;
    fail_msg("unexpected rank '%.*s'", (int)n, tok);
    return SR_NONE;
}

/*
 * Re-split the log with the contract regex: one entry per line that starts
 * with a timestamp; each must carry the time and rank class the generator
 * meant, in chronological order, before the as-of time.
 */
static void check_log(const struct synth_row *row, const char *log,
                      int64_t asof)
{
    const char *line = log;
    size_t k = 0;
    int64_t prev = INT64_MIN;

    while (*line) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        int rc = pcre2_match(hdr, (PCRE2_SPTR)line, len, 0, 0, md, NULL);

        if (rc > 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            char ts[17];
            int64_t at;
            int rank_no =
                pcre2_substring_number_from_name(hdr, (PCRE2_SPTR) "rank");
            bool has_rank = rc > rank_no && ov[2 * rank_no] != PCRE2_UNSET;
            enum synth_rank rk =
                has_rank ? rank_class(line + ov[2 * rank_no],
                                      ov[2 * rank_no + 1] - ov[2 * rank_no])
                         : SR_NONE;

            assert_true(ov[1] - ov[0] >= 16);
            assert_true(k < row->nentries);
            memcpy(ts, line, 16);
            ts[16] = '\0';
            at = tparse(ts);
            assert_true(at == row->entries[k].at);
            assert_true(at >= prev); /* chronological */
            assert_true(at < asof);
            prev = at;
            if (rk != row->entries[k].rank)
                fail_msg("%s: entry '%.*s' parsed as rank %d, meant %d",
                         row->id, (int)len, line, rk, row->entries[k].rank);
            assert_true(ov[1] < len); /* some text after the header */
            k++;
        } else {
            /* a continuation line: never the first, never date-like */
            assert_true(k > 0);
            assert_false(len >= 10 && line[4] == '-' && line[7] == '-' &&
                         line[0] >= '0' && line[0] <= '9');
        }
        line = eol ? eol + 1 : line + len;
    }
    assert_int_equal(k, row->nentries);
}

static bool is_sup(enum synth_rank r)
{
    return r >= SR_SERGEANT;
}

/* times of entries of class c (and at least rank min), in log order */
static size_t times_of(const struct synth_row *row, int c, enum synth_rank min,
                       int64_t *out, size_t cap)
{
    size_t i, n = 0;

    for (i = 0; i < row->nentries; i++)
        if (row->entries[i].phrase_class == c && row->entries[i].rank >= min &&
            n < cap)
            out[n++] = row->entries[i].at;
    return n;
}

static size_t count_class(const struct synth_row *row, int c)
{
    int64_t tmp[512];
    return times_of(row, c, SR_NONE, tmp, 512);
}

/*
 * The "no gap over 28 days" question over [s, e] with activity times v:
 * fails when a gap exceeds 28 x 24 h.  A gap over 28 but under 29 days
 * would read differently by calendar days: it must never occur.
 */
static bool gap_fails(int64_t s, int64_t e, const int64_t *v, size_t n)
{
    int64_t prev = s, worst = 0;
    size_t i;

    for (i = 0; i <= n; i++) {
        int64_t t = i < n ? v[i] : e;
        if (i < n && (t <= s || t > e))
            continue;
        assert_true(t >= prev); /* v is chronological */
        if (t - prev > worst)
            worst = t - prev;
        assert_false(t - prev > 28 * DAY && t - prev < 29 * DAY);
        prev = t;
    }
    return worst > 28 * DAY;
}

static bool bit(uint32_t v, int b)
{
    return (v >> b) & 1u;
}

/* ---- tests ----------------------------------------------------------- */

static void test_options(void **state)
{
    struct synth_options o;
    struct ca_error e = CA_ERROR_INIT;
    struct synth *g = NULL;

    (void)state;
    synth_options_init(&o);
    assert_int_equal(synth_options_check(&o, &e), CA_OK);
    o.forces = 0;
    assert_int_equal(synth_options_check(&o, &e), CA_USAGE);
    assert_string_equal(e.field, "forces");
    o.forces = SYNTH_MAX_FORCES + 1;
    assert_int_equal(synth_new(&o, &g, &e), CA_USAGE);
    assert_null(g);
    synth_options_init(&o);
    o.months = 0;
    assert_int_equal(synth_options_check(&o, &e), CA_USAGE);
    synth_options_init(&o);
    o.records = SYNTH_MAX_RECORDS + 1;
    assert_int_equal(synth_options_check(&o, &e), CA_USAGE);
    synth_options_init(&o);
    o.start_month = 13;
    assert_int_equal(synth_options_check(&o, &e), CA_USAGE);
}

static void test_time_format(void **state)
{
    char b[17];

    (void)state;
    synth_format_time(synth_time(2022, 10, 28, 9, 5), b);
    assert_string_equal(b, "2022-10-28 09:05");
    assert_true(tparse(b) == synth_time(2022, 10, 28, 9, 5));
    synth_format_time(synth_time(2024, 2, 29, 23, 59), b);
    assert_string_equal(b, "2024-02-29 23:59");
    assert_true(synth_time(2024, 3, 1, 0, 0) - synth_time(2024, 2, 28, 0, 0) ==
                2 * DAY);
    assert_true(synth_time(1970, 1, 1, 0, 0) == 0);
}

static void test_counts(void **state)
{
    struct synth *g = make(5, 10007, "counts");
    uint64_t sum = 0;
    unsigned f, f2;

    (void)state;
    assert_int_equal(synth_nforces(g), 5);
    for (f = 0; f < 5; f++) {
        uint64_t c = synth_count(g, f, SYNTH_CRIME);
        sum += c;
        /* incidents ~1.3x, wanted ~5%, bail ~8% of the force's crimes */
        assert_true(synth_count(g, f, SYNTH_INCIDENT) == (c * 13 + 5) / 10);
        assert_true(synth_count(g, f, SYNTH_WANTED) == (c * 5 + 50) / 100);
        assert_true(synth_count(g, f, SYNTH_BAIL) == (c * 8 + 50) / 100);
        if (f)
            assert_true(c <
                        synth_count(g, f - 1, SYNTH_CRIME)); /* sizes differ */
        for (f2 = 0; f2 < f; f2++)
            assert_string_not_equal(synth_force_slug(g, f),
                                    synth_force_slug(g, f2));
    }
    assert_true(sum == 10007);
    assert_string_equal(synth_force_slug(g, 0), "northshire");
    synth_free(g);
    /* more forces than names: numbered, still distinct */
    g = make(40, 100, "many");
    assert_string_equal(synth_force_slug(g, 16), "northshire-2");
    synth_free(g);
}

static void test_determinism(void **state)
{
    struct synth *a = make(3, 500, "same"), *b = make(3, 500, "same");
    struct synth *c = make(3, 500, "other");
    struct synth_row ra, rb;
    struct ca_error e = CA_ERROR_INIT;
    unsigned f, k;
    uint64_t i;
    size_t j, differ = 0;
    char *copy;

    (void)state;
    for (f = 0; f < 3; f++)
        for (k = 0; k < SYNTH__KINDS; k++)
            for (i = 0; i < synth_count(a, f, k); i++) {
                assert_int_equal(synth_row(a, k, f, i, &ra, &e), CA_OK);
                assert_int_equal(synth_row(b, k, f, i, &rb, &e), CA_OK);
                assert_int_equal(ra.nfields, rb.nfields);
                for (j = 0; j < ra.nfields; j++)
                    assert_string_equal(ra.field[j], rb.field[j]);
                assert_int_equal(ra.fails, rb.fails);
                assert_int_equal(ra.facts, rb.facts);
            }
    /* a record regenerated out of order is the same record */
    assert_int_equal(synth_row(a, SYNTH_CRIME, 1, 7, &ra, &e), CA_OK);
    copy = strdup(ra.field[C_LOG]);
    assert_int_equal(synth_row(a, SYNTH_BAIL, 0, 3, &ra, &e), CA_OK);
    assert_int_equal(synth_row(a, SYNTH_CRIME, 1, 7, &ra, &e), CA_OK);
    assert_string_equal(copy, ra.field[C_LOG]);
    free(copy);
    /* another seed gives other data */
    for (i = 0; i < 20; i++) {
        assert_int_equal(synth_row(a, SYNTH_CRIME, 0, i, &ra, &e), CA_OK);
        copy = strdup(ra.field[C_LOG]);
        assert_int_equal(synth_row(c, SYNTH_CRIME, 0, i, &rb, &e), CA_OK);
        differ += strcmp(copy, rb.field[C_LOG]) != 0;
        free(copy);
    }
    assert_true(differ >= 19);
    assert_int_equal(
        synth_row(a, SYNTH_CRIME, 0, synth_count(a, 0, SYNTH_CRIME), &ra, &e),
        CA_USAGE);
    synth_free(a);
    synth_free(b);
    synth_free(c);
}

/* A sorted list of strings for cross-reference look-ups. */
struct strset {
    char **v;
    size_t n, alloc;
};

static void set_add(struct strset *s, const char *x)
{
    if (s->n == s->alloc) {
        s->alloc = s->alloc ? s->alloc * 2 : 256;
        s->v = realloc(s->v, s->alloc * sizeof(*s->v));
        assert_non_null(s->v);
    }
    s->v[s->n++] = strdup(x);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_sort(struct strset *s)
{
    size_t i;

    qsort(s->v, s->n, sizeof(*s->v), cmpstr);
    for (i = 1; i < s->n; i++)
        assert_string_not_equal(s->v[i - 1], s->v[i]); /* ids are unique */
}

static bool set_has(const struct strset *s, const char *x)
{
    return s->n && bsearch(&x, s->v, s->n, sizeof(*s->v), cmpstr) != NULL;
}

static void set_free(struct strset *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

/* Edge cases the generator must produce, so that rules meet them. */
struct edges {
    unsigned rec_24h, rec_24h1, review_7d, review_8d, gap_28d, gap_29d;
    unsigned near_review, self_review, typo;
    /* the inspection's questions: each way of passing and failing, and the
     * hard cases of supervision (a supervisor's entry that is no review,
     * staff quality checks) */
    unsigned nsa_pass, nsa_no_act, nsa_no_review, sup_not_review, staff_qa;
    unsigned wa_pass, wa_fail, wa_only_union;
    unsigned fta_pass, fta_by_arrest, fta_late, bail_unsup, bail_sup_fact;
    unsigned va_only,
        not_arrested; /* named, no arrest: with and without a VA */
};

static void crime_truth(const struct synth_row *row, int64_t asof,
                        struct edges *ed)
{
    int64_t R = tparse(row->field[C_REP]), rec = tparse(row->field[C_REC]);
    int64_t out_at = tparse(row->field[C_OUT_AT]), end, v[512];
    const char *status = row->field[C_STATUS];
    bool filed = strcmp(status, "filed") == 0,
         named = row->field[C_NAMED][0] == 'Y';
    bool enh = row->field[C_VULN][0] == 'Y' || row->field[C_REPEAT][0] == 'Y';
    bool review7 = false, endorsed = false, any_sup_before = false,
         zone = false, review7_cal = false, sup_other = false;
    size_t i, n;

    check_log(row, row->field[C_LOG], asof);
    assert_true(rec >= R);
    for (i = 0; i < row->nentries; i++)
        assert_true(row->entries[i].at >= R);

    /* recording: late when more than 24 h after the report */
    assert_int_equal(bit(row->fails, SQ_CRIME_LATE_RECORDING), rec - R > DAY);
    ed->rec_24h += rec - R == DAY;
    ed->rec_24h1 += rec - R == DAY + 1;

    /* status, outcome and outcome date agree */
    if (strcmp(status, "open") == 0) {
        assert_true(out_at < 0 && !row->field[C_OUTCOME][0]);
        end = asof;
    } else {
        assert_true(filed || strcmp(status, "closed") == 0);
        assert_true(out_at >= rec && out_at < asof && row->field[C_OUTCOME][0]);
        end = out_at;
    }

    /* investigation: any action, arrest or voluntary interview */
    assert_int_equal(bit(row->fails, SQ_CRIME_NO_ACTION),
                     count_class(row, PH_ACTION) + count_class(row, PH_ARREST) +
                             count_class(row, PH_VA) ==
                         0);
    /* "not yet arrested or interviewed": a voluntary interview deals with
     * the suspect as an arrest does */
    assert_int_equal(bit(row->facts, SF_SUSPECT_NOT_ARRESTED),
                     named && count_class(row, PH_ARREST) == 0 &&
                         count_class(row, PH_VA) == 0);
    ed->va_only += named && count_class(row, PH_ARREST) == 0 &&
                   count_class(row, PH_VA) > 0;
    ed->not_arrested += bit(row->facts, SF_SUSPECT_NOT_ARRESTED) != 0;
    assert_int_equal(bit(row->fails, SQ_CRIME_NO_PLAN),
                     named && count_class(row, PH_PLAN) == 0);
    /* crime-investigation: an investigative action actually taken (the
     * acts towards a named suspect come only beside one: they never decide
     * it, whichever way a reader takes an attempted arrest) */
    assert_int_equal(bit(row->fails, SQ_CRIME_INVESTIGATION),
                     count_class(row, PH_ACTION) + count_class(row, PH_ARREST) +
                             count_class(row, PH_VA) ==
                         0);
    if (count_class(row, PH_SUSPECT))
        assert_true(count_class(row, PH_ACTION) > 0);
    /* named-suspect-activity, asked of a named suspect neither arrested nor
     * interviewed: an act towards them and a supervisor's review (any date) */
    {
        bool frame = bit(row->facts, SF_SUSPECT_NOT_ARRESTED) != 0;
        bool acted = count_class(row, PH_SUSPECT) > 0, reviewed = false;

        for (i = 0; i < row->nentries; i++)
            reviewed |= is_sup(row->entries[i].rank) &&
                        (row->entries[i].phrase_class == PH_REVIEW ||
                         row->entries[i].phrase_class == PH_ENDORSE);
        assert_int_equal(bit(row->fails, SQ_NAMED_SUSPECT_ACTIVITY),
                         frame && !(acted && reviewed));
        if (!frame)
            assert_int_equal(count_class(row, PH_SUSPECT) +
                                 count_class(row, PH_SUSPECT_NEAR),
                             0);
        ed->nsa_pass += frame && acted && reviewed;
        ed->nsa_no_act += frame && !acted && reviewed;
        ed->nsa_no_review += frame && acted && !reviewed;
    }
    if (!named)
        assert_int_equal(
            count_class(row, PH_ARREST) + count_class(row, PH_PLAN), 0);

    /* supervision: a supervisor's review within 7 x 24 h of recording */
    for (i = 0; i < row->nentries; i++) {
        const struct synth_entry *x = &row->entries[i];
        bool rv = x->phrase_class == PH_REVIEW || x->phrase_class == PH_ENDORSE;

        if (rv)
            assert_true(is_sup(x->rank)); /* by construction */
        if (x->phrase_class == PH_REVIEW_NEAR ||
            x->phrase_class == PH_SELF_REVIEW)
            assert_false(is_sup(x->rank));
        if (x->phrase_class == PH_REVIEW_NEAR_SUP)
            assert_true(is_sup(x->rank));
        if (rv) {
            int64_t days = x->at / DAY - rec / DAY; /* by the calendar */

            assert_true(x->at >= rec);
            zone |= x->at > rec + 7 * DAY && x->at < rec + 8 * DAY;
            review7 |= x->at <= rec + 7 * DAY;
            review7_cal |= days <= 7; /* the recording day or 7 after */
            ed->review_7d += x->at == rec + 7 * DAY;
            ed->review_8d += x->at == rec + 8 * DAY;
        }
        if (filed && x->at > out_at)
            assert_false(is_sup(x->rank)); /* nobody supervises after filing */
        if (filed && x->at < out_at) {
            endorsed |= x->phrase_class == PH_ENDORSE;
            any_sup_before |= is_sup(x->rank);
        }
        if (x->phrase_class == PH_STAFF_QA)
            assert_int_equal(x->rank, SR_STAFF);
        ed->near_review += x->phrase_class == PH_REVIEW_NEAR;
        ed->self_review += x->phrase_class == PH_SELF_REVIEW;
        ed->staff_qa += x->phrase_class == PH_STAFF_QA;
        sup_other |= is_sup(x->rank) && !rv && x->at <= rec + 7 * DAY;
    }
    assert_int_equal(bit(row->fails, SQ_CRIME_NO_REVIEW_7D), !review7);
    if (!review7) /* a review on day 8 (by the calendar) must not decide it */
        assert_false(zone);
    /* crime-supervision: the same by the day of recording and the 7 after */
    assert_int_equal(bit(row->fails, SQ_CRIME_SUPERVISION), !review7_cal);
    assert_int_equal(review7, review7_cal);
    ed->sup_not_review += !review7 && sup_other;

    /* filing: endorsed by a supervisor before the filing entry; a failing
     * file has no supervisor entry at all before it (unambiguous) */
    assert_int_equal(bit(row->fails, SQ_CRIME_FILED_NO_ENDORSE),
                     filed && !endorsed);
    if (filed) {
        assert_int_equal(
            count_class(row, PH_SCREEN) + count_class(row, PH_FILE), 1);
        n = times_of(row, PH_SCREEN, SR_NONE, v, 512) +
            times_of(row, PH_FILE, SR_NONE, v, 512);
        assert_true(v[0] == out_at);
        if (!endorsed)
            assert_false(any_sup_before);
    } else {
        assert_int_equal(count_class(row, PH_ENDORSE) +
                             count_class(row, PH_SCREEN) +
                             count_class(row, PH_FILE),
                         0);
    }

    /* victim updates: no gap over 28 x 24 h from recording to the end */
    n = 0;
    for (i = 0; i < row->nentries; i++) {
        int c = row->entries[i].phrase_class;
        if ((c == PH_VUPDATE || c == PH_TOLD || c == PH_OUT_TOLD) && n < 512)
            v[n++] = row->entries[i].at;
    }
    assert_int_equal(bit(row->fails, SQ_CRIME_NO_UPDATE_28D),
                     gap_fails(rec, end, v, n));
    {
        int64_t prev = rec;
        for (i = 0; i < n; i++) {
            if (v[i] > end)
                break;
            ed->gap_28d += v[i] - prev == 28 * DAY;
            ed->gap_29d += v[i] - prev == 29 * DAY;
            prev = v[i];
        }
    }

    /* victim told when not investigated: 1 day (enhanced) or 5 days */
    if (count_class(row, PH_SCREEN)) {
        int64_t d, limit = enh ? DAY : 5 * DAY, late = enh ? 7 * DAY : 14 * DAY;
        bool told = false;

        times_of(row, PH_SCREEN, SR_NONE, v, 512);
        d = v[0];
        n = times_of(row, PH_TOLD, SR_NONE, v, 512);
        for (i = 0; i < n; i++) {
            assert_true(v[i] >= d);
            assert_false(v[i] > d + limit && v[i] < d + late);
            told |= v[i] <= d + limit;
        }
        assert_int_equal(bit(row->fails, SQ_CRIME_NOT_TOLD), !told);
        assert_true(filed);
    } else {
        assert_false(bit(row->fails, SQ_CRIME_NOT_TOLD));
        assert_int_equal(count_class(row, PH_TOLD), 0);
    }

    /* facts */
    assert_int_equal(bit(row->facts, SF_DIRECT), row->field[C_INC][0] == '\0');
    assert_int_equal(bit(row->facts, SF_ATTENDED), row->field[C_ATT][0] == 'Y');
    assert_int_equal(count_class(row, PH_ATTEND), row->field[C_ATT][0] == 'Y');
    assert_int_equal(count_class(row, PH_REPORT_DIRECT),
                     bit(row->facts, SF_DIRECT));
    if (bit(row->facts, SF_UNMATCHED_INCIDENT_REF))
        assert_false(bit(row->facts, SF_DIRECT));
    ed->typo += strstr(row->field[C_LOG], "reveiw") != NULL;
}

static void wanted_truth(const struct synth_row *row, int64_t asof,
                         struct edges *ed)
{
    int64_t T = tparse(row->field[W_DECIDED]),
            circ = tparse(row->field[W_CIRC]);
    int64_t closed = tparse(row->field[W_CLOSED]), end, v[512];
    size_t n, i;
    bool fwa;

    check_log(row, row->field[W_LOG], asof);
    assert_true(circ > T && circ < asof);
    assert_int_equal(bit(row->fails, SQ_WANTED_LATE_CIRC), circ - T > DAY);
    ed->rec_24h += circ - T == DAY;
    if (strcmp(row->field[W_STATUS], "closed") == 0) {
        assert_true(closed > circ && closed < asof);
        end = closed;
    } else {
        assert_string_equal(row->field[W_STATUS], "open");
        assert_true(closed < 0);
        end = asof;
    }
    n = times_of(row, PH_TRACE, SR_NONE, v, 512);
    assert_int_equal(bit(row->fails, SQ_WANTED_TRACE_GAP),
                     gap_fails(T, end, v, n));
    n = times_of(row, PH_W_REVIEW, SR_SERGEANT, v, 512);
    assert_int_equal(n, count_class(row, PH_W_REVIEW)); /* all by supervisors */
    assert_int_equal(bit(row->fails, SQ_WANTED_NO_REVIEW_28D),
                     gap_fails(T, end, v, n));
    assert_int_equal(row->facts, 0);
    /* wanted-circulation: circulated within 24 hours of the decision */
    assert_int_equal(bit(row->fails, SQ_WANTED_CIRCULATION), circ - T > DAY);
    /* wanted-activity: from circulation to the end, no 28 days with neither
     * a trace action nor a supervisor's review (log order is time order) */
    n = 0;
    for (i = 0; i < row->nentries; i++) {
        const struct synth_entry *x = &row->entries[i];
        if ((x->phrase_class == PH_TRACE ||
             (x->phrase_class == PH_W_REVIEW && is_sup(x->rank))) &&
            n < 512)
            v[n++] = x->at;
    }
    fwa = gap_fails(circ, end, v, n);
    assert_int_equal(bit(row->fails, SQ_WANTED_ACTIVITY), fwa);
    ed->wa_pass += !fwa;
    ed->wa_fail += fwa;
    /* steady reviews but a trace gap, or the other way round */
    ed->wa_only_union += !fwa && (bit(row->fails, SQ_WANTED_TRACE_GAP) ||
                                  bit(row->fails, SQ_WANTED_NO_REVIEW_28D));
}

/* Whether row has an entry of class c dated in [lo, hi]. */
static bool entry_in(const struct synth_row *row, int c, int64_t lo, int64_t hi)
{
    size_t i;

    for (i = 0; i < row->nentries; i++)
        if (row->entries[i].phrase_class == c && row->entries[i].at >= lo &&
            row->entries[i].at <= hi)
            return true;
    return false;
}

static void bail_truth(const struct synth_row *row, int64_t asof,
                       struct edges *ed)
{
    int64_t A = tparse(row->field[B_ARRESTED]),
            bs = tparse(row->field[B_START]);
    int64_t be = tparse(row->field[B_END]), v[512];
    bool fta = row->field[B_FTA][0] == 'Y';
    size_t i, n;

    check_log(row, row->field[B_LOG], asof);
    assert_int_equal(bit(row->facts, SF_FTA), fta);
    if (bs < 0) {
        /* released under investigation: reviews every 28 days from arrest */
        assert_true(be < 0 && !fta);
        assert_int_equal(
            count_class(row, PH_B_RUI) + count_class(row, PH_B_RUI_AUTH), 1);
        n = times_of(row, PH_B_RUI_REVIEW, SR_SERGEANT, v, 512);
        assert_int_equal(n, count_class(row, PH_B_RUI_REVIEW));
        assert_int_equal(bit(row->fails, SQ_BAIL_RUI_NOT_REVIEWED),
                         gap_fails(A, asof, v, n));
        assert_false(bit(row->fails, SQ_BAIL_EXT_NOT_AUTH));
    } else {
        bool old = A < synth_time(2022, 10, 28, 0, 0);
        int64_t dur = be - bs;
        unsigned stages, s;
        enum synth_rank need[3] = {SR_NONE, SR_SUPERINTENDENT,
                                   SR_SUPERINTENDENT};
        size_t ev = 0;
        bool bad = false;

        assert_false(bit(row->fails, SQ_BAIL_RUI_NOT_REVIEWED));
        assert_true(bs > A);
        /* durations keep clear of every limit (28 days; 3, 6, 9 months) */
        if (old) {
            assert_true(dur < 28 * DAY || (dur > 29 * DAY && dur < 89 * DAY));
            stages = dur > 28 * DAY;
        } else {
            need[1] = SR_INSPECTOR;
            assert_true(dur < 89 * DAY || (dur > 93 * DAY && dur < 181 * DAY) ||
                        (dur > 185 * DAY && dur < 273 * DAY));
            stages = (dur > 92 * DAY) + (dur > 184 * DAY);
        }
        /* each extension is one event: authorised, moved or requested */
        for (i = 0; i < row->nentries; i++) {
            int c = row->entries[i].phrase_class;
            if (c != PH_B_EXT_AUTH && c != PH_B_EXT_NOAUTH && c != PH_B_EXT_REQ)
                continue;
            ev++;
            s = (unsigned)ev;
            assert_true(s <= stages);
            if (c != PH_B_EXT_AUTH || row->entries[i].rank < need[s])
                bad = true;
        }
        assert_int_equal(ev, stages);
        assert_int_equal(bit(row->fails, SQ_BAIL_EXT_NOT_AUTH), bad);
        /* bail given: authorised under its regime, or only noted */
        assert_int_equal(count_class(row, PH_B_BAILED_OLD) +
                             count_class(row, PH_B_BAILED_NEW) +
                             count_class(row, PH_B_BAILED_NOTE),
                         1);
        assert_false(count_class(row, PH_B_BAILED_OLD) && !old);
        assert_false(count_class(row, PH_B_BAILED_NEW) && old);
    }
    /* bail-supervision: a supervisor authorised bail, RUI or an extension,
     * or reviewed, at any date; a failing file's supervisors (if any) only
     * record a failure to answer */
    {
        bool sup = false, other = false, fact_only = true;

        for (i = 0; i < row->nentries; i++) {
            const struct synth_entry *x = &row->entries[i];
            int c = x->phrase_class;

            if (c == PH_B_BAILED_NEW || c == PH_B_RUI_AUTH)
                assert_int_equal(x->rank, SR_SERGEANT);
            if (c == PH_B_BAILED_OLD)
                assert_int_equal(x->rank, SR_INSPECTOR);
            if (c == PH_B_BAILED_NOTE || c == PH_B_RUI)
                assert_int_equal(x->rank, SR_CONSTABLE);
            if (!is_sup(x->rank))
                continue;
            if (c == PH_B_BAILED_NEW || c == PH_B_BAILED_OLD ||
                c == PH_B_RUI_AUTH || c == PH_B_EXT_AUTH ||
                c == PH_B_RUI_REVIEW)
                sup = true;
            else
                other = true;
            fact_only &= c == PH_B_FTA || sup;
        }
        assert_int_equal(bit(row->fails, SQ_BAIL_SUPERVISION), !sup);
        if (!sup)
            assert_true(fact_only);
        ed->bail_unsup += !sup;
        ed->bail_sup_fact += !sup && other;
    }
    if (fta) {
        int64_t at;
        bool circ = false, traced = false;

        assert_true(be < asof);
        assert_int_equal(times_of(row, PH_B_FTA, SR_NONE, v, 512), 1);
        at = v[0];
        assert_true(at > be);
        n = times_of(row, PH_B_FTA_CIRC, SR_NONE, v, 512);
        for (i = 0; i < n; i++) {
            assert_true(v[i] > at && v[i] < at + DAY); /* prompt, or never */
            circ = true;
        }
        n = times_of(row, PH_TRACE, SR_NONE, v, 512);
        for (i = 0; i < n; i++)
            traced |= v[i] > at;
        assert_int_equal(bit(row->fails, SQ_BAIL_FTA_NOT_CIRC), !circ);
        assert_int_equal(bit(row->fails, SQ_BAIL_FTA_NOT_TRACED), !traced);
        assert_true(row->field[B_ANSWERED][0] == '\0');
        /* bail-fta-pursued: on the day of the missed bail or the 7 after,
         * circulated and traced, or arrested (both at once); nothing that
         * counts lies in the day after the window (calendar days and hours
         * agree) */
        {
            int64_t w = be + 7 * DAY;
            bool c = entry_in(row, PH_B_FTA_CIRC, be, w),
                 tr = entry_in(row, PH_TRACE, be, w),
                 ar = entry_in(row, PH_B_FTA_ARREST, be, w) ||
                      entry_in(row, PH_B_FTA_SURRENDER, be, w);
            int z[] = {PH_B_FTA_CIRC, PH_TRACE, PH_B_FTA_ARREST,
                       PH_B_FTA_SURRENDER};

            for (i = 0; i < 4; i++)
                assert_false(entry_in(row, z[i], w + 1, w + DAY - 1));
            assert_int_equal(bit(row->fails, SQ_BAIL_FTA_PURSUED),
                             !((c && tr) || ar));
            ed->fta_pass += (c && tr) || ar;
            ed->fta_by_arrest += ar && !(c && tr);
            ed->fta_late += c && !tr && traced;
        }
    } else {
        assert_false(bit(row->fails, SQ_BAIL_FTA_NOT_CIRC));
        assert_false(bit(row->fails, SQ_BAIL_FTA_NOT_TRACED));
        assert_false(bit(row->fails, SQ_BAIL_FTA_PURSUED));
        assert_int_equal(
            count_class(row, PH_B_FTA) + count_class(row, PH_B_FTA_CIRC), 0);
        if (row->field[B_ANSWERED][0]) {
            assert_true(tparse(row->field[B_ANSWERED]) >= be);
            assert_string_equal(row->field[B_STATUS], "closed");
        }
    }
}

static void check_truth(struct synth *g, bool want_all)
{
    struct synth_row row;
    struct ca_error e = CA_ERROR_INIT;
    struct strset crimes = {0}, incidents = {0};
    struct edges ed;
    int64_t asof = synth_as_of(g);
    unsigned f, q;
    uint64_t i, fails[SQ__COUNT] = {0}, facts[SF__COUNT] = {0};

    memset(&ed, 0, sizeof(ed));
    for (f = 0; f < synth_nforces(g); f++) {
        for (i = 0; i < synth_count(g, f, SYNTH_CRIME); i++) {
            assert_int_equal(synth_row(g, SYNTH_CRIME, f, i, &row, &e), CA_OK);
            crime_truth(&row, asof, &ed);
            assert_true(row.main_at >= synth_window_start(g) &&
                        row.main_at < synth_window_end(g));
            set_add(&crimes, row.id);
        }
        for (i = 0; i < synth_count(g, f, SYNTH_INCIDENT); i++) {
            assert_int_equal(synth_row(g, SYNTH_INCIDENT, f, i, &row, &e),
                             CA_OK);
            set_add(&incidents, row.id);
        }
        for (i = 0; i < synth_count(g, f, SYNTH_WANTED); i++) {
            assert_int_equal(synth_row(g, SYNTH_WANTED, f, i, &row, &e), CA_OK);
            wanted_truth(&row, asof, &ed);
            for (q = 0; q < SQ__COUNT; q++)
                fails[q] += bit(row.fails, (int)q);
        }
        for (i = 0; i < synth_count(g, f, SYNTH_BAIL); i++) {
            assert_int_equal(synth_row(g, SYNTH_BAIL, f, i, &row, &e), CA_OK);
            bail_truth(&row, asof, &ed);
            for (q = 0; q < SQ__COUNT; q++)
                fails[q] += bit(row.fails, (int)q);
            facts[SF_FTA] += bit(row.facts, SF_FTA);
        }
    }
    set_sort(&crimes);
    set_sort(&incidents);

    /* cross-references resolve exactly as the facts say */
    for (f = 0; f < synth_nforces(g); f++) {
        for (i = 0; i < synth_count(g, f, SYNTH_CRIME); i++) {
            synth_row(g, SYNTH_CRIME, f, i, &row, &e);
            if (row.field[C_INC][0])
                assert_int_equal(set_has(&incidents, row.field[C_INC]),
                                 !bit(row.facts, SF_UNMATCHED_INCIDENT_REF));
            for (q = 0; q < SQ__COUNT; q++)
                fails[q] += bit(row.fails, (int)q);
            for (q = 0; q < SF__COUNT; q++)
                facts[q] += bit(row.facts, (int)q);
        }
        for (i = 0; i < synth_count(g, f, SYNTH_INCIDENT); i++) {
            synth_row(g, SYNTH_INCIDENT, f, i, &row, &e);
            assert_int_equal(row.fails, 0);
            assert_true((tparse(row.field[I_ATT_AT]) >= 0) ==
                        (row.field[I_ATT][0] == 'Y'));
            if (row.field[I_CRIME][0])
                assert_int_equal(set_has(&crimes, row.field[I_CRIME]),
                                 !bit(row.facts, SF_UNMATCHED_CRIME_REF));
            else
                assert_false(bit(row.facts, SF_UNMATCHED_CRIME_REF));
            facts[SF_UNMATCHED_CRIME_REF] +=
                bit(row.facts, SF_UNMATCHED_CRIME_REF);
        }
        for (i = 0; i < synth_count(g, f, SYNTH_WANTED); i++) {
            synth_row(g, SYNTH_WANTED, f, i, &row, &e);
            if (row.field[W_CRIME][0])
                assert_true(set_has(&crimes, row.field[W_CRIME]));
        }
        for (i = 0; i < synth_count(g, f, SYNTH_BAIL); i++) {
            synth_row(g, SYNTH_BAIL, f, i, &row, &e);
            if (row.field[B_CRIME][0])
                assert_true(set_has(&crimes, row.field[B_CRIME]));
        }
    }
    /* a linked crime and its incident agree on time and attendance */
    synth_row(g, SYNTH_INCIDENT, 0, 0, &row, &e);
    if (row.field[I_CRIME][0]) {
        char opened[17], att[2], ref[64];
        snprintf(opened, sizeof(opened), "%s", row.field[I_OPENED]);
        snprintf(att, sizeof(att), "%s", row.field[I_ATT]);
        snprintf(ref, sizeof(ref), "%s", row.field[I_REF]);
        synth_row(g, SYNTH_CRIME, 0, 0, &row, &e);
        assert_string_equal(row.field[C_REP], opened);
        assert_string_equal(row.field[C_ATT], att);
        assert_string_equal(row.field[C_INC], ref);
    }

    /* every question and fact occurs, and every edge case */
    for (q = 0; want_all && q < SQ__COUNT; q++)
        if (fails[q] == 0)
            fail_msg("no record fails %s", synth_question_name(q));
    for (q = 0; want_all && q < SF__COUNT; q++)
        if (facts[q] == 0)
            fail_msg("no record has fact %s", synth_fact_name(q));
    if (want_all) {
        assert_true(ed.rec_24h && ed.rec_24h1 && ed.review_7d && ed.review_8d);
        assert_true(ed.gap_28d && ed.gap_29d && ed.near_review &&
                    ed.self_review);
        assert_true(ed.typo);
        /* both kinds of named suspect without an arrest occur */
        assert_true(ed.va_only && ed.not_arrested);
        /* the inspection's questions pass and fail in every way */
        assert_true(ed.nsa_pass && ed.nsa_no_act && ed.nsa_no_review);
        assert_true(ed.sup_not_review && ed.staff_qa);
        assert_true(ed.wa_pass && ed.wa_fail && ed.wa_only_union);
        assert_true(ed.bail_unsup);
    }
    set_free(&crimes);
    set_free(&incidents);
    synth_free(g);
}

static void test_truth(void **state)
{
    (void)state;
    check_truth(make(4, 8000, "truth"), true);
}

/* Rare cases need a larger export, of which the wanted and bail cases are
 * checked: failures to answer bail (about one bail case in twenty), for
 * every way bail-fta-pursued passes and fails, and bail-supervision failing
 * where a supervisor records a fact; wanted files whose traces and reviews
 * together would leave a gap between 28 and 29 days (about one in three
 * hundred, drawn again: gap_fails() rejects any such gap). */
static void test_truth_rare(void **state)
{
    struct synth *g = make(4, 100000, "rare");
    struct synth_row row;
    struct ca_error e = CA_ERROR_INIT;
    struct edges ed;
    uint64_t i, fails = 0;
    unsigned f;

    (void)state;
    memset(&ed, 0, sizeof(ed));
    for (f = 0; f < synth_nforces(g); f++) {
        for (i = 0; i < synth_count(g, f, SYNTH_BAIL); i++) {
            assert_int_equal(synth_row(g, SYNTH_BAIL, f, i, &row, &e), CA_OK);
            bail_truth(&row, synth_as_of(g), &ed);
            fails += bit(row.fails, SQ_BAIL_FTA_PURSUED);
        }
        for (i = 0; i < synth_count(g, f, SYNTH_WANTED); i++) {
            assert_int_equal(synth_row(g, SYNTH_WANTED, f, i, &row, &e), CA_OK);
            wanted_truth(&row, synth_as_of(g), &ed);
        }
    }
    assert_true(fails > 0 && ed.fta_pass && ed.fta_by_arrest && ed.fta_late);
    assert_true(ed.bail_unsup && ed.bail_sup_fact);
    synth_free(g);
}

/* Short and unusual windows: one month across the bail reform of
 * 28 Oct 2022, the very first months of 1970, a long ten-year window. */
static void test_truth_windows(void **state)
{
    static const struct {
        int y;
        unsigned m, months;
        uint64_t n;
    } w[] = {{2022, 10, 1, 1500}, {1970, 1, 2, 400}, {2015, 1, 120, 600}};
    struct synth_options o;
    struct ca_error e = CA_ERROR_INIT;
    struct synth *g;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
        synth_options_init(&o);
        o.forces = 2;
        o.records = w[i].n;
        o.seed = "windows";
        o.start_year = w[i].y;
        o.start_month = w[i].m;
        o.months = w[i].months;
        assert_int_equal(synth_new(&o, &g, &e), CA_OK);
        check_truth(g, false);
    }
}

/* Strata: non-attended crimes lack investigation more often, in every
 * force; forces differ (the "poor" third force against the "good" second). */
static void test_strata(void **state)
{
    struct synth *g = make(3, 30000, "strata");
    struct synth_row row;
    struct ca_error e = CA_ERROR_INIT;
    uint64_t n[3][2] = {{0}}, fa[3][2] = {{0}}, fr[3] = {0}, c[3] = {0};
    unsigned f;
    uint64_t i;

    (void)state;
    for (f = 0; f < 3; f++) {
        for (i = 0; i < synth_count(g, f, SYNTH_CRIME); i++) {
            int att;
            assert_int_equal(synth_row(g, SYNTH_CRIME, f, i, &row, &e), CA_OK);
            att = row.field[C_ATT][0] == 'Y';
            n[f][att]++;
            fa[f][att] += bit(row.fails, SQ_CRIME_NO_ACTION);
            fr[f] += bit(row.fails, SQ_CRIME_NO_REVIEW_7D);
            c[f]++;
        }
        /* rate(not attended) > 2 x rate(attended), compared without floats */
        assert_true(fa[f][0] * n[f][1] > 2 * fa[f][1] * n[f][0]);
    }
    assert_true(fr[2] * c[1] > 2 * fr[1] * c[2]);
    assert_true(fa[2][0] * n[1][0] > fa[1][0] * n[2][0]);
    synth_free(g);
}

/* The placeholders the generator fills in (synth/log.c). */
static bool known_placeholder(const char *p, size_t n)
{
    static const char *const keys[] = {
        "off",  "cad",  "addr", "street", "vrm",   "exh",    "shop",  "station",
        "date", "ddmm", "day",  "time",   "bail",  "person", "crime", "pnc",
        "oic",  "ofc",  "sgt",  "insp",   "sname", "n",      "myrank"};
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strlen(keys[i]) == n && memcmp(keys[i], p, n) == 0)
            return true;
    return false;
}

/* In every style, every class has phrasings, all distinct; phrases that
 * may stand without a rank do not look like a header; no line of a pasted
 * form could start a new entry (a placeholder, a date, two digits); every
 * placeholder is one the generator knows. */
static void test_phrases(void **state)
{
    unsigned c, s;
    size_t i, j;
    char line[1024];
    int rank_no = pcre2_substring_number_from_name(hdr, (PCRE2_SPTR) "rank");

    (void)state;
    for (s = 0; s < SYNTH__STYLES; s++) {
        assert_int_equal(phrase_count((enum synth_style)s, PH__COUNT), 0);
        for (c = 0; c < PH__COUNT; c++) {
            size_t n = phrase_count((enum synth_style)s, (enum phrase_class)c);

            if (n == 0)
                fail_msg("style %s has no phrase of class %u",
                         synth_style_name((enum synth_style)s), c);
            for (i = 0; i < n; i++) {
                const char *p = phrase_get((enum synth_style)s,
                                           (enum phrase_class)c, i),
                           *nl, *o;
                int rc;

                for (j = 0; j < i; j++)
                    assert_string_not_equal(p, phrase_get((enum synth_style)s,
                                                          (enum phrase_class)c,
                                                          j));
                snprintf(line, sizeof(line), "2022-01-01 10:00 %s", p);
                rc = pcre2_match(hdr, (PCRE2_SPTR)line, strlen(line), 0, 0, md,
                                 NULL);
                assert_true(rc > 0);
                if (phrase_class_rankless((enum phrase_class)c)) {
                    assert_true(p[0] != '{');
                    if (rc > rank_no && pcre2_get_ovector_pointer(
                                            md)[2 * rank_no] != PCRE2_UNSET)
                        fail_msg("rankless phrase reads as a header: '%s'", p);
                }
                for (nl = strchr(p, '\n'); nl; nl = strchr(nl + 1, '\n')) {
                    assert_true(nl[1] != '{' && nl[1] != '\0');
                    if (nl[1] >= '0' && nl[1] <= '9')
                        assert_true(nl[2] == '.' || nl[2] == ')');
                }
                for (o = strchr(p, '{'); o; o = strchr(o + 1, '{')) {
                    const char *cl = strchr(o, '}');
                    assert_non_null(cl);
                    if (!known_placeholder(o + 1, (size_t)(cl - o - 1)))
                        fail_msg("unknown placeholder in '%s'", p);
                }
            }
        }
    }
    assert_int_equal(phrase_count(SYNTH_STYLE_MIX, PH_ACTION), 0);
    assert_string_equal(phrase_get(SYNTH_STYLE_TERSE, PH__COUNT, 0), "");
}

/* A style changes the wording only: in every style a record has the same
 * fields (but the log), the same entries (times, classes, ranks) and the
 * same truth.  The mix gives records each of the four styles, word for word
 * as in that style; the styles differ as they claim (pasted forms run over
 * lines, terse entries are shorter than narrative ones). */
static void test_styles(void **state)
{
    struct synth *g[SYNTH__STYLES + 1];
    struct synth_row row[SYNTH__STYLES + 1];
    struct synth_options o;
    struct ca_error e = CA_ERROR_INIT;
    uint64_t mixed[SYNTH__STYLES] = {0}, bytes[SYNTH__STYLES] = {0};
    uint64_t entries = 0, lines[SYNTH__STYLES] = {0}, differ = 0, total = 0;
    unsigned s, f, k;
    uint64_t i;
    size_t j, c;

    (void)state;
    for (s = 0; s <= SYNTH__STYLES; s++) {
        synth_options_init(&o);
        o.forces = 2;
        o.records = 800;
        o.seed = "styles";
        o.style = (enum synth_style)s;
        assert_string_equal(synth_style_name(o.style), s == SYNTH_STYLE_MIX
                                                           ? "mix"
                                                       : s == 0 ? "terse"
                                                       : s == 1 ? "template"
                                                       : s == 2 ? "narrative"
                                                                : "typo");
        assert_int_equal(synth_new(&o, &g[s], &e), CA_OK);
    }
    for (f = 0; f < 2; f++)
        for (k = 0; k < SYNTH_INCIDENT; k++)
            for (i = 0; i < synth_count(g[0], f, k); i++) {
                for (s = 0; s <= SYNTH__STYLES; s++)
                    assert_int_equal(synth_row(g[s], k, f, i, &row[s], &e),
                                     CA_OK);
                mixed[row[SYNTH_STYLE_MIX].style]++;
                /* a record of the mix is that record in its style */
                c = row[SYNTH_STYLE_MIX].nfields - 1;
                assert_string_equal(row[SYNTH_STYLE_MIX].field[c],
                                    row[row[SYNTH_STYLE_MIX].style].field[c]);
                total++;
                for (s = 0; s < SYNTH__STYLES; s++) {
                    const struct synth_row *a = &row[s],
                                           *m = &row[SYNTH_STYLE_MIX];
                    assert_int_equal(a->style, s);
                    assert_int_equal(a->fails, m->fails);
                    assert_int_equal(a->facts, m->facts);
                    assert_int_equal(a->nentries, m->nentries);
                    for (j = 0; j < a->nentries; j++) {
                        assert_true(a->entries[j].at == m->entries[j].at);
                        assert_int_equal(a->entries[j].phrase_class,
                                         m->entries[j].phrase_class);
                        assert_int_equal(a->entries[j].rank,
                                         m->entries[j].rank);
                    }
                    for (c = 0; c + 1 < a->nfields; c++)
                        assert_string_equal(a->field[c], m->field[c]);
                    if (s && strcmp(a->field[a->nfields - 1],
                                    row[0].field[a->nfields - 1]) != 0)
                        differ++;
                    if (k == SYNTH_CRIME) {
                        const char *p = a->field[C_LOG];
                        bytes[s] += strlen(p);
                        for (; *p; p++) /* lines that are not entries */
                            lines[s] +=
                                *p == '\n' && !(strlen(p) > 16 && p[5] == '-' &&
                                                p[8] == '-' && p[14] == ':');
                    }
                }
                if (k == SYNTH_CRIME)
                    entries += row[0].nentries;
            }
    for (s = 0; s < SYNTH__STYLES; s++)
        assert_true(mixed[s] * 10 > total);   /* each over 10 % of records */
    assert_true(differ * 10 > 3 * 9 * total); /* over 90 % reworded */
    assert_true(lines[SYNTH_STYLE_TEMPLATE] > entries);
    assert_true(lines[SYNTH_STYLE_TERSE] == 0 &&
                lines[SYNTH_STYLE_NARRATIVE] == 0 &&
                lines[SYNTH_STYLE_TYPO] == 0);
    assert_true(bytes[SYNTH_STYLE_TERSE] * 4 <
                bytes[SYNTH_STYLE_NARRATIVE] * 3);
    for (s = 0; s <= SYNTH__STYLES; s++)
        synth_free(g[s]);
    synth_options_init(&o);
    o.style = (enum synth_style)(SYNTH_STYLE_MIX + 1);
    assert_int_equal(synth_options_check(&o, &e), CA_USAGE);
    assert_string_equal(e.field, "style");
    assert_int_equal(synth_style_parse("narrative", &o.style), 0);
    assert_int_equal(o.style, SYNTH_STYLE_NARRATIVE);
    assert_int_equal(synth_style_parse("Narrative", &o.style), -1);
}

static void test_typo(void **state)
{
    struct buf b;
    struct rng r;
    int i, changed = 0;

    (void)state;
    rng_seed(&r, 1, 2, 3, 4, 5);
    for (i = 0; i < 20; i++) {
        buf_init(&b, 0);
        buf_addstr(&b, "PS 1: Supervisory review completed.");
        changed += phrase_typo(&b, 6, &r);
        assert_true(strstr(b.data, "reveiw") || strstr(b.data, "compelted"));
        buf_release(&b);
    }
    assert_int_equal(changed, 20);
    buf_init(&b, 0);
    buf_addstr(&b, "nothing to change");
    assert_int_equal(phrase_typo(&b, 0, &r), 0);
    assert_string_equal(b.data, "nothing to change");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_truth),
        cmocka_unit_test(test_truth_rare),
        cmocka_unit_test(test_truth_windows),
        cmocka_unit_test(test_strata),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_styles),
        cmocka_unit_test(test_typo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
