/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for synth/: determinism, counts, and above all that truth.csv
 * is exactly right.  Each record's truth is recomputed here, independently
 * of the generator's decisions, from what it actually wrote: the CSV fields
 * (parsed back with an independent calendar) and its log entries (re-split
 * with the contract's entry-header regex, each line matched against the
 * class and rank the generator meant).  The tests also check that nothing
 * is generated in the ambiguous day after a limit (so calendar-day and
 * 24-hour readings of "within N days" agree), that cross-references
 * resolve as the facts say, and that the zip holds exactly the CSV rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <archive.h>
#include <archive_entry.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
         zone = false;
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
            assert_true(x->at >= rec);
            zone |= x->at > rec + 7 * DAY && x->at < rec + 8 * DAY;
            review7 |= x->at <= rec + 7 * DAY;
            ed->review_7d += x->at == rec + 7 * DAY;
            ed->review_8d += x->at == rec + 8 * DAY;
        }
        if (filed && x->at > out_at)
            assert_false(is_sup(x->rank)); /* nobody supervises after filing */
        if (filed && x->at < out_at) {
            endorsed |= x->phrase_class == PH_ENDORSE;
            any_sup_before |= is_sup(x->rank);
        }
        ed->near_review += x->phrase_class == PH_REVIEW_NEAR;
        ed->self_review += x->phrase_class == PH_SELF_REVIEW;
    }
    assert_int_equal(bit(row->fails, SQ_CRIME_NO_REVIEW_7D), !review7);
    if (!review7) /* a review on day 8 (by the calendar) must not decide it */
        assert_false(zone);

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
    size_t n;

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
}

static void bail_truth(const struct synth_row *row, int64_t asof)
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
        assert_int_equal(count_class(row, PH_B_RUI), 1);
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
        assert_int_equal(count_class(row, PH_B_BAILED_OLD), old);
        assert_int_equal(count_class(row, PH_B_BAILED_NEW), !old);
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
    } else {
        assert_false(bit(row->fails, SQ_BAIL_FTA_NOT_CIRC));
        assert_false(bit(row->fails, SQ_BAIL_FTA_NOT_TRACED));
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
            bail_truth(&row, asof);
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

/* Phrases that may stand without a rank must not look like a header, and
 * no phrase may hold a line that would start a new entry. */
static void test_phrases(void **state)
{
    unsigned c;
    size_t i;
    char line[512];
    int rank_no = pcre2_substring_number_from_name(hdr, (PCRE2_SPTR) "rank");

    (void)state;
    for (c = 0; c < PH__COUNT; c++) {
        assert_true(phrase_count((enum phrase_class)c) > 0);
        for (i = 0; i < phrase_count((enum phrase_class)c); i++) {
            const char *p = phrase_get((enum phrase_class)c, i), *nl;
            int rc;

            snprintf(line, sizeof(line), "2022-01-01 10:00 %s", p);
            rc = pcre2_match(hdr, (PCRE2_SPTR)line, strlen(line), 0, 0, md,
                             NULL);
            assert_true(rc > 0);
            if (phrase_class_rankless((enum phrase_class)c))
                assert_true(rc <= rank_no ||
                            pcre2_get_ovector_pointer(md)[2 * rank_no] ==
                                PCRE2_UNSET);
            for (nl = strchr(p, '\n'); nl; nl = strchr(nl + 1, '\n'))
                assert_false(nl[1] >= '0' && nl[1] <= '9');
        }
    }
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

/* ---- files ------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void rm_tree(const char *dir)
{
    static const char *const names[] = {"crimes.csv", "wanted.csv",
                                        "bail.csv",   "incidents.csv",
                                        "truth.csv",  "export.zip"};
    char p[512];
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* CSV records in a buffer (newlines inside quotes do not count). */
static size_t csv_records(const char *p, size_t n)
{
    size_t i, rows = 0;
    bool q = false;

    for (i = 0; i < n; i++) {
        if (p[i] == '"')
            q = !q;
        else if (p[i] == '\n' && !q)
            rows++;
    }
    return rows;
}

static void export_to(struct synth_options *o, const char *dir, bool zip,
                      struct synth_summary *sum)
{
    struct ca_error e = CA_ERROR_INIT;

    if (synth_export(o, dir, zip, sum, &e) != CA_OK)
        fail_msg("export: %s", e.msg);
}

static void test_export_files(void **state)
{
    char a[] = "/tmp/ca-synth-XXXXXX", b[] = "/tmp/ca-synth-XXXXXX";
    static const char *const files[] = {"crimes.csv", "wanted.csv", "bail.csv",
                                        "incidents.csv", "truth.csv"};
    struct synth_options o;
    struct synth_summary s1, s2;
    char pa[256], pb[256];
    struct stat st;
    size_t i, la, lb;

    (void)state;
    assert_non_null(mkdtemp(a));
    assert_non_null(mkdtemp(b));
    synth_options_init(&o);
    o.records = 400;
    o.seed = "files";
    export_to(&o, a, false, &s1);
    export_to(&o, b, false, &s2);
    assert_true(s1.records[SYNTH_CRIME] == 400);
    for (i = 0; i < 5; i++) {
        char *x, *y;
        snprintf(pa, sizeof(pa), "%s/%s", a, files[i]);
        snprintf(pb, sizeof(pb), "%s/%s", b, files[i]);
        assert_int_equal(stat(pa, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        x = slurp(pa, &la);
        y = slurp(pb, &lb);
        assert_true(la == lb && memcmp(x, y, la) == 0); /* byte-identical */
        free(x);
        free(y);
    }
    /* one truth row per record */
    {
        char *t = slurp(pa, &la);
        uint64_t total =
            s1.records[0] + s1.records[1] + s1.records[2] + s1.records[3];
        assert_true(csv_records(t, la) == total + 1);
        assert_true(strncmp(t, "type,id,force,fails,facts\n", 26) == 0);
        free(t);
    }
    rm_tree(a);
    rm_tree(b);
}

/* The zip holds the very rows of the CSV files, grouped by month of the
 * main date, entries named YYYY-MM/YYYY-MM-<force>-<kind>.csv. */
static void test_export_zip(void **state)
{
    char a[] = "/tmp/ca-synth-XXXXXX", b[] = "/tmp/ca-synth-XXXXXX";
    struct synth_options o;
    struct synth_summary s1, s2;
    struct archive *ar;
    struct archive_entry *ent;
    struct synth *g;
    struct synth_row row;
    struct ca_error e = CA_ERROR_INIT;
    char path[256], *csv[SYNTH__KINDS], *t1, *t2;
    size_t csvlen[SYNTH__KINDS], pos[SYNTH__KINDS], l1, l2;
    unsigned k, f = 0, entries = 0;
    uint64_t idx = 0;
    enum synth_kind cur = SYNTH_CRIME;
    struct stat st;

    (void)state;
    setenv("TZ", "UTC0", 1);
    assert_non_null(mkdtemp(a));
    assert_non_null(mkdtemp(b));
    synth_options_init(&o);
    o.records = 300;
    o.forces = 2;
    o.months = 3;
    o.seed = "zip";
    export_to(&o, a, true, &s1);
    export_to(&o, b, false, &s2);
    snprintf(path, sizeof(path), "%s/crimes.csv", a);
    assert_int_not_equal(stat(path, &st), 0); /* no loose CSV beside the zip */
    snprintf(path, sizeof(path), "%s/truth.csv", a);
    t1 = slurp(path, &l1);
    snprintf(path, sizeof(path), "%s/truth.csv", b);
    t2 = slurp(path, &l2);
    assert_true(l1 == l2 && memcmp(t1, t2, l1) == 0);
    free(t1);
    free(t2);
    for (k = 0; k < SYNTH__KINDS; k++) {
        char *p;
        snprintf(path, sizeof(path), "%s/%s.csv", b, synth_kind_file(k));
        csv[k] = slurp(path, &csvlen[k]);
        p = strchr(csv[k], '\n');
        pos[k] = (size_t)(p - csv[k]) + 1; /* past the header */
    }
    assert_int_equal(synth_new(&o, &g, &e), CA_OK);
    snprintf(path, sizeof(path), "%s/export.zip", a);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    ar = archive_read_new();
    archive_read_support_format_zip(ar);
    assert_int_equal(archive_read_open_filename(ar, path, 65536), ARCHIVE_OK);
    while (archive_read_next_header(ar, &ent) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(ent);
        char want[256], buf[65536], *data = NULL, *nl;
        size_t len = 0, rows, r, hl;
        la_ssize_t got;
        int kk = -1;

        while ((got = archive_read_data(ar, buf, sizeof(buf))) > 0) {
            data = realloc(data, len + (size_t)got + 1);
            memcpy(data + len, buf, (size_t)got);
            len += (size_t)got;
        }
        assert_non_null(data);
        data[len] = '\0';
        for (k = 0; k < SYNTH__KINDS; k++) {
            snprintf(want, sizeof(want), "-%s.csv", synth_kind_file(k));
            if (strlen(name) > strlen(want) &&
                strcmp(name + strlen(name) - strlen(want), want) == 0)
                kk = (int)k;
        }
        assert_true(kk >= 0);
        /* entries come in order force, kind, month: advance the cursor */
        if ((enum synth_kind)kk != cur) {
            assert_true(idx == synth_count(g, f, cur));
            if ((enum synth_kind)kk < cur) {
                f++;
                assert_true(idx == synth_count(g, f - 1, cur));
            }
            cur = (enum synth_kind)kk;
            idx = 0;
        }
        /* the header line, then rows equal to the CSV file's next rows */
        nl = strchr(data, '\n');
        assert_non_null(nl);
        hl = (size_t)(nl - data) + 1;
        assert_true(hl <= pos[kk] && memcmp(data, csv[kk], hl) == 0);
        assert_true(pos[kk] + len - hl <= csvlen[kk]);
        assert_true(memcmp(data + hl, csv[kk] + pos[kk], len - hl) == 0);
        pos[kk] += len - hl;
        rows = csv_records(data + hl, len - hl);
        assert_true(rows > 0);
        for (r = 0; r < rows; r++, idx++) {
            char ts[17];
            assert_int_equal(synth_row(g, cur, f, idx, &row, &e), CA_OK);
            synth_format_time(row.main_at, ts);
            snprintf(want, sizeof(want), "%.7s/%.7s-%s-%s.csv", ts, ts,
                     synth_force_slug(g, f), synth_kind_file(cur));
            assert_string_equal(name, want);
        }
        free(data);
        entries++;
    }
    assert_int_equal(archive_read_free(ar), ARCHIVE_OK);
    for (k = 0; k < SYNTH__KINDS; k++) {
        assert_true(pos[k] == csvlen[k]); /* every row is in the zip */
        free(csv[k]);
    }
    assert_int_equal(entries, s1.zip_entries);
    assert_true(entries >= 2 * 4 * 2); /* several months per force and kind */
    synth_free(g);
    rm_tree(a);
    rm_tree(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),    cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_counts),     cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_truth),      cmocka_unit_test(test_truth_windows),
        cmocka_unit_test(test_strata),     cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_typo),       cmocka_unit_test(test_export_files),
        cmocka_unit_test(test_export_zip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
