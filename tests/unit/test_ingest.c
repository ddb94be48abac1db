/* SPDX-License-Identifier: MIT */
/* Unit tests for ingest/: CSV edge cases (quoting, multi-line fields, BOM,
 * CRLF, ragged rows, NUL bytes, invalid UTF-8, oversize fields, broken
 * quotes), accounting, duplicate ids, type detection, profiles, the
 * entries-file join, and archives built at run time with libarchive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "ingest/profile.h"
#include "ingest/strata.h"
#include "util/sha256.h"
#include "tests/unit/tmpdir.h"

/* ---- harness ---- */

#define MAXR 64

struct seen {
    size_t nrec, nrej;
    char id[MAXR][96];
    char force[MAXR][64];
    char src[MAXR][160];
    unsigned long line[MAXR];
    enum record_type type[MAXR];
    char attended[MAXR][8];
    char group[MAXR][32];
    int64_t recorded[MAXR];
    unsigned char rec_state[MAXR];
    size_t nlog[MAXR];
    enum ca_status logrc[MAXR];
    char log0[MAXR][96];
    unsigned long rej_line[MAXR];
    enum reject_reason rej_why[MAXR];
    char rej_detail[MAXR][300];
    char rej_first[MAXR][160];
    unsigned long rej_first_line[MAXR];
    int stop_after;
};

static int on_rec(void *ctx, const struct record *r)
{
    struct seen *s = ctx;
    struct log_entries le;
    struct ca_error err = CA_ERROR_INIT;
    const char *v;
    size_t i = s->nrec++;

    assert_true(i < MAXR);
    snprintf(s->id[i], sizeof(s->id[i]), "%s", r->id);
    snprintf(s->force[i], sizeof(s->force[i]), "%s", r->force);
    snprintf(s->src[i], sizeof(s->src[i]), "%s", r->source);
    s->line[i] = r->line;
    s->type[i] = r->type;
    v = record_get(r, CF_ATTENDED);
    snprintf(s->attended[i], sizeof(s->attended[i]), "%s", v ? v : "(null)");
    v = record_get(r, CF_OFFENCE_GROUP);
    snprintf(s->group[i], sizeof(s->group[i]), "%s", v ? v : "(null)");
    s->recorded[i] = r->at[CF_RECORDED_AT];
    s->rec_state[i] = r->at_state[CF_RECORDED_AT];
    log_entries_init(&le);
    s->logrc[i] = record_log(r, &le, &err);
    s->nlog[i] = s->logrc[i] == CA_OK ? le.n : 0;
    if (le.n)
        snprintf(s->log0[i], sizeof(s->log0[i]), "%.*s", (int)le.v[0].text_len,
                 le.v[0].text);
    log_entries_release(&le);
    return s->stop_after && s->nrec >= (size_t)s->stop_after;
}

static void on_rej(void *ctx, const struct reject *rj)
{
    struct seen *s = ctx;
    size_t i = s->nrej++;

    assert_true(i < MAXR);
    assert_non_null(rj->source);
    s->rej_line[i] = rj->line;
    s->rej_why[i] = rj->reason;
    snprintf(s->rej_detail[i], sizeof(s->rej_detail[i]), "%s", rj->detail);
    snprintf(s->rej_first[i], sizeof(s->rej_first[i]), "%s",
             rj->first_source ? rj->first_source : "");
    s->rej_first_line[i] = rj->first_line;
}

static enum ca_status run1(const char *path, const struct ingest_opts *o,
                           struct seen *s, struct ingest_stats *st,
                           struct ca_error *err)
{
    const char *paths[1];

    paths[0] = path;
    memset(s, 0, sizeof(*s));
    return ingest_run(paths, 1, o, on_rec, on_rej, s, st, err);
}

static void check_accounting(const struct ingest_stats *st)
{
    uint64_t sum = 0;
    int i;

    for (i = 0; i < RJ__COUNT; i++)
        sum += st->rejected_by_reason[i];
    assert_int_equal(st->rows_read, st->rows_accepted + st->rows_rejected);
    assert_int_equal(sum, st->rows_rejected);
}

/* ---- tests ---- */

static void test_force_from_path(void **state)
{
    char out[64];

    (void)state;
    ingest_force_from_path("2014-03/2014-03-hampshire-street.csv", out,
                           sizeof(out));
    assert_string_equal(out, "hampshire");
    ingest_force_from_path("x/2024-01/2024-01-city-of-london-crimes.csv", out,
                           sizeof(out));
    assert_string_equal(out, "city-of-london");
    ingest_force_from_path("crimes.csv", out, sizeof(out));
    assert_string_equal(out, "");
    ingest_force_from_path("2014-03-street.csv", out, sizeof(out));
    assert_string_equal(out, "");
    ingest_force_from_path("2014-3-x-street.csv", out, sizeof(out));
    assert_string_equal(out, "");
}

static void test_basic_canonical(void **state)
{
    /* BOM, CRLF, a quoted multi-line log with doubled quotes and commas */
    static const char csv[] =
        "\xEF\xBB\xBF"
        "crime_ref,force,attended,recorded_at,log,extra\r\n"
        "CR1,hampshire,yes,2014-02-03 14:22,\"2014-02-03 14:22 PC 1 A: "
        "said \"\"hello\"\", then\r\n2014-02-04 DS 2 B: reviewed\",x\r\n"
        "\r\n"
        "  CR2  ,,N,03/02/2014,,\"a,b\"\r\n"
        "CR3,kent,maybe,,\"\",\r\n";
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *p = tmpdir_write_str("2014-02-surrey-crimes.csv", csv);
    unsigned char d[32];
    unsigned long long bytes;

    (void)state;
    ingest_opts_init(&o);
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    check_accounting(&st);
    assert_int_equal(st.rows_read, 3);
    assert_int_equal(st.rows_accepted, 3);
    assert_int_equal(s.nrec, 3);
    assert_string_equal(s.id[0], "CR1");
    assert_int_equal(s.line[0], 2);
    assert_string_equal(s.force[0], "hampshire");
    assert_string_equal(s.attended[0], "Y");
    assert_int_equal(s.rec_state[0], DS_OK);
    assert_int_equal(s.recorded[0], 1391385600 + 14 * 3600 + 22 * 60);
    assert_int_equal(s.nlog[0], 2);
    assert_string_equal(s.log0[0], "said \"hello\", then");
    assert_int_equal(s.type[0], RT_CRIME);
    /* line 4 is blank; the multi-line field spans lines 2-3 */
    assert_string_equal(s.id[1], "CR2");
    assert_int_equal(s.line[1], 5);
    assert_string_equal(s.force[1], "surrey"); /* from the path */
    assert_string_equal(s.attended[1], "N");
    assert_int_equal(s.recorded[1], 1391385600);
    assert_int_equal(s.nlog[1], 0);
    assert_string_equal(s.attended[2], "maybe"); /* unrecognised: raw */
    assert_int_equal(s.rec_state[2], DS_EMPTY);
    assert_int_equal(s.line[2], 6);
    /* digest and size of the input as read */
    assert_int_equal(st.ninputs, 1);
    assert_int_equal(sha256_file(p, d, &bytes), 0);
    assert_memory_equal(d, st.inputs[0].sha256, 32);
    assert_int_equal(st.inputs[0].bytes, sizeof(csv) - 1);
    assert_string_equal(st.inputs[0].profile, "canonical");
    ingest_stats_release(&st);
}

static void test_rejects(void **state)
{
    static const char csv[] =
        "crime_ref,offence,recorded_at\n"
        "A1,theft,2014-01-01\n"           /* 2 ok */
        ",theft,2014-01-01\n"             /* 3 missing id */
        "A2,theft\n"                      /* 4 ragged */
        "A1,burglary,2014-01-02\n"        /* 5 duplicate of line 2 */
        "A3,\"multi\nline\",31/02/2014\n" /* 6-7 ok; bad date not required */
        "A4,th\"eft,2014-01-01\n"         /* 8 stray quote */
        "A5,\xC3\x28,2014-01-01\n"        /* 9 invalid UTF-8 */
        "A6,ok,2014-01-01\n";             /* 10 ok after all that */
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *p = tmpdir_write_str("rej.csv", csv);

    (void)state;
    ingest_opts_init(&o);
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    check_accounting(&st);
    assert_int_equal(st.rows_read, 8);
    assert_int_equal(st.rows_accepted, 3);
    assert_int_equal(st.rows_rejected, 5);
    assert_string_equal(s.id[0], "A1");
    assert_string_equal(s.id[1], "A3");
    assert_int_equal(s.rec_state[1], DS_BAD);
    assert_string_equal(s.id[2], "A6");
    assert_int_equal(s.line[2], 10);
    assert_int_equal(s.nrej, 5);
    assert_int_equal(s.rej_why[0], RJ_MISSING_ID);
    assert_int_equal(s.rej_line[0], 3);
    assert_int_equal(s.rej_why[1], RJ_RAGGED_ROW);
    assert_int_equal(s.rej_line[1], 4);
    assert_non_null(strstr(s.rej_detail[1], "2 fields, the header has 3"));
    assert_int_equal(s.rej_why[2], RJ_DUPLICATE_ID);
    assert_int_equal(s.rej_line[2], 5);
    assert_string_equal(s.rej_first[2], p);
    assert_int_equal(s.rej_first_line[2], 2);
    assert_int_equal(s.rej_why[3], RJ_MALFORMED_CSV);
    assert_int_equal(s.rej_line[3], 8);
    assert_non_null(strstr(s.rej_detail[3], "offence"));
    assert_int_equal(s.rej_why[4], RJ_ENCODING);
    assert_int_equal(s.rej_line[4], 9);
    assert_non_null(strstr(s.rej_detail[4], "field 'offence'"));
    assert_int_equal(st.rejected_by_reason[RJ_DUPLICATE_ID], 1);
    ingest_stats_release(&st);
}

static void test_nul_and_oversize(void **state)
{
    static const char head[] = "crime_ref,log\nB1,ok\nB2,a";
    char big[9000];
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *p;
    size_t n = 0;

    (void)state;
    memcpy(big, head, sizeof(head) - 1);
    n = sizeof(head) - 1;
    big[n++] = '\0'; /* NUL inside a field */
    memcpy(big + n, "b\nB3,\"", 6);
    n += 6;
    memset(big + n, 'x', 5000); /* a quoted field over the cap, with lines */
    big[n + 100] = '\n';
    big[n + 200] = '\n';
    n += 5000;
    memcpy(big + n, "\"\nB4,fine\n", 10);
    n += 10;
    p = tmpdir_write("nul.csv", big, n);
    ingest_opts_init(&o);
    o.limits.max_field = 1000;
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    check_accounting(&st);
    assert_int_equal(st.rows_read, 4);
    assert_int_equal(s.nrec, 2);
    assert_string_equal(s.id[0], "B1");
    assert_string_equal(s.id[1], "B4");
    assert_int_equal(s.line[1], 7); /* the oversize field spans lines 4-6 */
    assert_int_equal(s.rej_why[0], RJ_MALFORMED_CSV);
    assert_non_null(strstr(s.rej_detail[0], "NUL"));
    assert_int_equal(s.rej_line[0], 3);
    assert_int_equal(s.rej_why[1], RJ_OVERSIZE_FIELD);
    assert_int_equal(s.rej_line[1], 4);
    assert_non_null(strstr(s.rej_detail[1], "field 'log'"));
    ingest_stats_release(&st);
}

static void test_unterminated_quote(void **state)
{
    static const char csv[] = "crime_ref,offence\n"
                              "C1,theft\n"
                              "C2,\"broken\n"
                              "C3,theft\n"
                              "\n"
                              "C4,theft\n";
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *p = tmpdir_write_str("broken.csv", csv);

    (void)state;
    ingest_opts_init(&o);
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    check_accounting(&st);
    /* C1 accepted; C2's row and the 2 non-blank lines after it rejected */
    assert_int_equal(st.rows_read, 4);
    assert_int_equal(st.rows_accepted, 1);
    assert_int_equal(st.rejected_by_reason[RJ_MALFORMED_CSV], 3);
    assert_int_equal(s.rej_line[0], 3);
    assert_non_null(strstr(s.rej_detail[0], "unterminated quote"));
    assert_int_equal(s.rej_line[1], 4);
    assert_int_equal(s.rej_line[2], 6);
    assert_int_equal(st.nnotes, 1);
    assert_non_null(strstr(st.notes[0].message, "unterminated quote"));
    assert_false(st.notes[0].error);
    ingest_stats_release(&st);
}

static void test_cp1252(void **state)
{
    static const char csv[] = "crime_ref,offence\n"
                              "D1,caf\xE9 \x80 \x93\n";
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *p = tmpdir_write_str("cp.csv", csv);

    (void)state;
    ingest_opts_init(&o);
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    assert_int_equal(st.rejected_by_reason[RJ_ENCODING], 1);
    ingest_stats_release(&st);
    o.encoding = "cp1252";
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    assert_int_equal(st.rows_accepted, 1);
    ingest_stats_release(&st);
    o.encoding = "ebcdic";
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_USAGE);
    ingest_stats_release(&st);
}

static void test_types(void **state)
{
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *w =
        tmpdir_write_str("w.csv", "wanted_ref,crime_ref,decided_at\n"
                                  "W1,C1,2014-01-01\nW2,C2,2014-01-02\n");
    const char *i =
        tmpdir_write_str("i.csv", "incident_ref,opened_at,crime_ref\n"
                                  "I1,2014-01-01,C1\n");
    const char *b =
        tmpdir_write_str("b.csv", "crime_ref,incident_ref\nC9,I9\n");
    const char *n = tmpdir_write_str("n.csv", "name,value\na,b\n");

    (void)state;
    ingest_opts_init(&o);
    assert_int_equal(run1(w, &o, &s, &st, &err), CA_OK);
    assert_int_equal(s.type[0], RT_WANTED);
    ingest_stats_release(&st);
    assert_int_equal(run1(i, &o, &s, &st, &err), CA_OK);
    assert_int_equal(s.type[0], RT_INCIDENT);
    ingest_stats_release(&st);
    /* a bare reference list is a crime frame, unless asked otherwise */
    assert_int_equal(run1(b, &o, &s, &st, &err), CA_OK);
    assert_int_equal(s.type[0], RT_CRIME);
    ingest_stats_release(&st);
    o.type = RT_INCIDENT;
    assert_int_equal(run1(b, &o, &s, &st, &err), CA_OK);
    assert_int_equal(s.type[0], RT_INCIDENT);
    assert_string_equal(s.id[0], "I9");
    ingest_stats_release(&st);
    /* another type's file: rows skipped, not read */
    o.type = RT_CRIME;
    assert_int_equal(run1(w, &o, &s, &st, &err), CA_OK);
    assert_int_equal(st.rows_read, 0);
    assert_int_equal(st.rows_other_type, 2);
    ingest_stats_release(&st);
    /* no id column at all: an error for a file named on the command line */
    o.type = RT_UNKNOWN;
    assert_int_equal(run1(n, &o, &s, &st, &err), CA_DATA);
    assert_non_null(strstr(err.msg, "no id column"));
    assert_int_equal(st.nnotes, 1);
    ingest_stats_release(&st);
}

static void test_police_uk(void **state)
{
    static const char csv[] =
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
        "LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
        ",2019-01,City of London Police,City of London Police,,,No Location,"
        ",,Anti-social behaviour,,\n"
        "abc1,2019-01,City of London Police,City of London Police,,,x,,,"
        "Violence and sexual offences,Under investigation,\n"
        "abc2,2019-01,City of London Police,City of London Police,,,x,,,"
        "Bicycle theft,Under investigation,\n"
        "abc3,2019-13,City of London Police,City of London Police,,,x,,,"
        "Burglary,,\n";
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *named =
        tmpdir_write_str("2019-01/2019-01-city-of-london-street.csv", csv);
    const char *plain = tmpdir_write_str("street.csv", csv);

    (void)state;
    ingest_opts_init(&o);
    assert_int_equal(run1(named, &o, &s, &st, &err), CA_OK);
    check_accounting(&st);
    assert_string_equal(st.inputs[0].profile, "police-uk");
    assert_int_equal(st.rows_read, 4);
    assert_int_equal(st.rejected_by_reason[RJ_MISSING_ID], 1);
    assert_int_equal(s.nrec, 3);
    assert_string_equal(s.force[0], "city-of-london");
    assert_string_equal(s.group[0], "violence");
    assert_string_equal(s.group[1], "other");
    assert_string_equal(s.group[2], "burglary");
    assert_int_equal(s.rec_state[0], DS_OK);
    assert_int_equal(s.recorded[0], 1546300800); /* date -u -d 2019-01-01 +%s */
    assert_int_equal(s.rec_state[2], DS_BAD);
    ingest_stats_release(&st);
    /* no force in the path: the slug of "Falls within" */
    assert_int_equal(run1(plain, &o, &s, &st, &err), CA_OK);
    assert_string_equal(s.force[0], "city-of-london");
    ingest_stats_release(&st);
    /* --force wins; a required date makes the bad month a reject */
    {
        static const char *const req[] = {"recorded_at", NULL};

        o.force = "cityoflondon";
        o.required = req;
        assert_int_equal(run1(plain, &o, &s, &st, &err), CA_OK);
        assert_string_equal(s.force[0], "cityoflondon");
        assert_int_equal(st.rejected_by_reason[RJ_BAD_DATE], 1);
        assert_int_equal(s.rej_why[1], RJ_BAD_DATE);
        assert_non_null(strstr(s.rej_detail[1], "column 'Month'"));
        ingest_stats_release(&st);
    }
}

static void test_profile_user(void **state)
{
    static const char yaml[] =
        "name: niche-export\n"
        "type: crime\n"
        "columns:\n"
        "  crime_ref: [Occurrence No, URN]\n"
        "  attended: Officer Attended\n"
        "  recorded_at: Recorded\n"
        "  log: Narrative\n"
        "date_format: '%d.%m.%Y %H:%M'\n"
        "flags: {yes: [Attended, A], no: [Not attended]}\n"
        "entry_header: '^(?<at>\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}) "
        "(?<author>\\w+)>\\s*'\n"
        "entry_date_format: '%d.%m.%Y %H:%M'\n"
        "required: [recorded_at]\n";
    static const char csv[] =
        "URN,Officer Attended,Recorded,Narrative\n"
        "N1,Attended,03.02.2014 14:22,\"03.02.2014 14:22 smith> one\n"
        "04.02.2014 09:00 jones> two\"\n"
        "N2,Not attended,2014-02-03,\n";
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *prof = tmpdir_write_str("niche.yaml", yaml);
    const char *p = tmpdir_write_str("niche.csv", csv);

    (void)state;
    ingest_opts_init(&o);
    o.profile = prof;
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    check_accounting(&st);
    assert_string_equal(st.inputs[0].profile, "niche-export");
    assert_int_equal(s.nrec, 1);
    assert_string_equal(s.id[0], "N1");
    assert_string_equal(s.attended[0], "Y");
    assert_int_equal(s.recorded[0], 1391385600 + 14 * 3600 + 22 * 60);
    assert_int_equal(s.nlog[0], 2);
    assert_string_equal(s.log0[0], "one");
    assert_int_equal(s.logrc[0], CA_OK);
    /* N2's date is ISO, not the profile's fixed format */
    assert_int_equal(s.rej_why[0], RJ_BAD_DATE);
    ingest_stats_release(&st);
    /* the ingest limit on entries per log applies to record_log */
    o.limits.max_log_entries = 1;
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    assert_int_equal(s.logrc[0], CA_DATA);
    ingest_stats_release(&st);
}

/* The strata table: rows read as written, and each kind of bad file named
 * by line (and field) */
static void test_strata_read(void **state)
{
    struct strata s;
    struct ca_error err = CA_ERROR_INIT;
    static const char *const bad[][2] = {
        {"", ":1: empty file"},
        {"\n", ":1: empty line"},
        {"stratum,N,n,k\na,10,2,0\n\n", ":3: empty line"},
        {"stratum,N,n,k\n\na,10,2,0\n", ":2: empty line"},
        {"stratum,N\n", ":1: expected the header"},
        {"stratum,N,n,k\n\"a\nb\",10,2,0\n", ":2: malformed quoted field"},
        {"stratum,N,n,k\n\"a,10,2,0\n", ":2: malformed quoted field"},
        {"stratum,N,n,k\na,10,2\n", ":2: expected 4 fields"},
        {"stratum,N,n,k\na,10,2,0,1\n", "found more than 4"},
        {"stratum,N,n,k\na, 10,2,0\n", ":2: field 'N': needs a whole"},
        {"stratum,N,n,k\na,10,2,3\n", ":2: field 'k': 3 exceeds n = 2"},
        {"stratum,N,n,k\na,10,2,0\na,5,5,0\n", "'a' repeats line 2"},
        {"stratum,N,n,k\n\xff,10,2,0\n", ":2: invalid UTF-8"},
        {"stratum,N,n,k\n", ":1: no strata after the header"},
    };
    char buf[1200];
    const char *p;
    size_t i;

    (void)state;
    p = tmpdir_write_str("strata.csv", "\xef\xbb\xbfstratum,N,n,k\r\n"
                                       " a ,100,10,1\r\n\"b,\"\"c\"\"\",7,7,0");
    assert_int_equal(strata_read(p, &s, &err), CA_OK);
    assert_int_equal(s.count, 2);
    assert_string_equal(s.rows[0].name, " a ");
    assert_int_equal(s.rows[0].line, 2);
    assert_int_equal(s.rows[0].N, 100);
    assert_int_equal(s.rows[0].n, 10);
    assert_int_equal(s.rows[0].k, 1);
    assert_string_equal(s.rows[1].name, "b,\"c\"");
    assert_int_equal(s.rows[1].line, 3);
    strata_release(&s);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        p = tmpdir_write_str("strata.csv", bad[i][0]);
        assert_int_equal(strata_read(p, &s, &err), CA_DATA);
        assert_null(s.rows);
        ca_error_format(&err, buf, sizeof(buf));
        if (!strstr(buf, bad[i][1]))
            fail_msg("case %zu: got '%s', want '%s'", i, buf, bad[i][1]);
    }
    assert_int_equal(strata_read("no-such-strata.csv", &s, &err), CA_DATA);
}

static void test_profile_errors(void **state)
{
    struct profile *p = NULL;
    struct ca_error err = CA_ERROR_INIT;
    static const char *const bad[][2] = {
        {"name: x\ncolums: {}\n", "2:1"},
        {"name: x\ncolumns:\n  crime_rf: A\n", "3:3"},
        {"name: x\nname: y\n", "2:1"},
        {"type: arrest\n", "1:7"},
        {"entry_header: '(unclosed'\n", "1:15"},
        {"entry_header: '^\\d+ '\n", "1:15"},
        {"date_formats:\n  offence: '%Y'\n", "2:3"},
        {"date_format: '%Q'\n", "1:14"},
        {"columns: [a, b]\n", "1:10"},
        {"name: [x\n", "2:1"},
    };
    char buf[1200], want[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(
            profile_load_text(bad[i][0], strlen(bad[i][0]), "p.yaml", &p, &err),
            CA_USAGE);
        assert_null(p);
        ca_error_format(&err, buf, sizeof(buf));
        snprintf(want, sizeof(want), "p.yaml:%s:", bad[i][1]);
        if (strncmp(buf, want, strlen(want)) != 0)
            fail_msg("case %zu: got '%s', want prefix '%s'", i, buf, want);
    }
    assert_int_equal(profile_load("no-such-profile", &p, &err), CA_USAGE);
    assert_int_equal(profile_load("police-uk", &p, &err), CA_OK);
    assert_string_equal(p->origin, "built-in");
    assert_int_equal(p->type, RT_CRIME);
    profile_free(p);
}

static int keep_second(void *ctx, const struct record *r)
{
    struct record **keep = ctx;

    if (strcmp(r->id, "E2") == 0)
        *keep = record_copy(r);
    return 0;
}

static void test_entries_join(void **state)
{
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *p =
        tmpdir_write_str("j.csv", "crime_ref,attended\nE1,Y\nE2,N\nE3,Y\n");
    const char *e =
        tmpdir_write_str("je.csv", "ref,at,rank,author,text\n"
                                   "E2,2014-01-02 10:00,PC,1 A,second\n"
                                   "E1,2014-01-01,DS,2 B,\"first\"\n"
                                   "E2,2014-01-01 09:00,,,earlier\n");
    const char *bad =
        tmpdir_write_str("jbad.csv", "ref,at,text\nE1,2014-02-30,x\n");

    (void)state;
    ingest_opts_init(&o);
    o.entries_file = e;
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    assert_int_equal(s.nlog[0], 1);
    assert_string_equal(s.log0[0], "first");
    assert_int_equal(s.nlog[1], 2); /* file order kept */
    assert_string_equal(s.log0[1], "second");
    assert_int_equal(s.nlog[2], 0);
    ingest_stats_release(&st);
    /* a copy keeps its joined entries after the run */
    {
        struct record *keep = NULL;
        struct log_entries le;
        const char *paths[1];

        paths[0] = p;
        assert_int_equal(
            ingest_run(paths, 1, &o, keep_second, NULL, &keep, &st, &err),
            CA_OK);
        ingest_stats_release(&st);
        assert_non_null(keep);
        log_entries_init(&le);
        assert_int_equal(record_log(keep, &le, &err), CA_OK);
        assert_int_equal(le.n, 2);
        assert_true(le.v[1].text_len == 7 &&
                    memcmp(le.v[1].text, "earlier", 7) == 0);
        assert_int_equal(le.v[0].rank_len, 2);
        log_entries_release(&le);
        record_free(keep);
    }
    o.entries_file = bad;
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_DATA);
    assert_int_equal(err.line, 2);
    ingest_stats_release(&st);
    /* a column the join reads, named twice */
    o.entries_file =
        tmpdir_write_str("jdup.csv", "ref,at,text,Text\nE1,2014-01-01,a,b\n");
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_DATA);
    assert_non_null(strstr(err.msg, "columns 3 and 4 are both named 'Text'"));
    ingest_stats_release(&st);
}

/* A name repeated in a header is an error naming both columns, unless the
 * profile maps them by position. */
static void test_repeated_names(void **state)
{
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *p = tmpdir_write_str(
        "dup.csv", "crime_ref,log, LOG ,x,X\nD1,first,second,1,2\n");
    const char *prof =
        tmpdir_write_str("dup.yaml", "columns:\n  log: {position: 3}\n");

    (void)state;
    ingest_opts_init(&o);
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_DATA);
    assert_int_equal(st.nnotes, 1);
    assert_true(st.notes[0].error);
    assert_non_null(
        strstr(st.notes[0].message, "line 1: columns 2 and 3 are both named"));
    assert_int_equal(st.rows_read, 0);
    ingest_stats_release(&st);
    /* log by position: x/X still repeat, and nothing maps them */
    o.profile = prof;
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_DATA);
    assert_non_null(strstr(st.notes[0].message, "columns 4 and 5"));
    ingest_stats_release(&st);
    p = tmpdir_write_str("dup2.csv", "crime_ref,log, LOG \nD1,first,second\n");
    assert_int_equal(run1(p, &o, &s, &st, &err), CA_OK);
    assert_int_equal(st.rows_accepted, 1);
    assert_int_equal(s.nlog[0], 1);
    assert_string_equal(s.log0[0], "second");
    ingest_stats_release(&st);
}

static void test_stop_and_missing(void **state)
{
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    const char *p = tmpdir_write_str("s.csv", "crime_ref\nS1\nS2\nS3\n");
    const char *paths[2];

    (void)state;
    ingest_opts_init(&o);
    memset(&s, 0, sizeof(s));
    s.stop_after = 2;
    paths[0] = p;
    assert_int_equal(ingest_run(paths, 1, &o, on_rec, on_rej, &s, &st, &err),
                     CA_OK);
    assert_int_equal(s.nrec, 2);
    assert_int_equal(st.rows_read, 2);
    ingest_stats_release(&st);
    /* an input that cannot be opened: CA_DATA, the others still read */
    paths[0] = "/nonexistent/x.csv";
    paths[1] = p;
    memset(&s, 0, sizeof(s));
    assert_int_equal(ingest_run(paths, 2, &o, on_rec, on_rej, &s, &st, &err),
                     CA_DATA);
    assert_string_equal(err.file, "/nonexistent/x.csv");
    assert_int_equal(st.rows_accepted, 3);
    ingest_stats_release(&st);
}

/* ---- archives ---- */

struct aentry {
    const char *name;
    const char *data; /* NULL: a directory */
};

/* Write an archive; fmt "zip", "tar", "7z"; filter "gzip", "xz" or NULL;
 * options for libarchive (e.g. encryption) or NULL.  Returns 0, or -1 when
 * this libarchive cannot write it. */
static int make_archive(const char *path, const char *fmt, const char *filter,
                        const char *options, const struct aentry *e, size_t n)
{
    struct archive *a = archive_write_new();
    struct archive_entry *ae;
    size_t i;
    int rc = 0;

    assert_non_null(a);
    if (strcmp(fmt, "zip") == 0)
        archive_write_set_format_zip(a);
    else if (strcmp(fmt, "7z") == 0)
        archive_write_set_format_7zip(a);
    else
        archive_write_set_format_pax_restricted(a);
    if (filter && strcmp(filter, "gzip") == 0)
        archive_write_add_filter_gzip(a);
    else if (filter && strcmp(filter, "xz") == 0)
        archive_write_add_filter_xz(a);
    if (options && archive_write_set_options(a, options) != ARCHIVE_OK) {
        archive_write_free(a);
        return -1;
    }
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (i = 0; i < n; i++) {
        ae = archive_entry_new();
        archive_entry_set_pathname(ae, e[i].name);
        if (e[i].data) {
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_perm(ae, 0644);
            archive_entry_set_size(ae, (la_int64_t)strlen(e[i].data));
        } else {
            archive_entry_set_filetype(ae, AE_IFDIR);
            archive_entry_set_perm(ae, 0755);
        }
        if (archive_write_header(a, ae) != ARCHIVE_OK)
            rc = -1;
        if (rc == 0 && e[i].data &&
            archive_write_data(a, e[i].data, strlen(e[i].data)) < 0)
            rc = -1;
        archive_entry_free(ae);
    }
    if (archive_write_close(a) != ARCHIVE_OK)
        rc = -1;
    archive_write_free(a);
    return rc;
}

static const struct aentry layout[] = {
    {"2019-01/", NULL},
    {"2019-01/2019-01-hampshire-crimes.csv",
     "crime_ref,recorded_at\nH1,2019-01-02\nH2,2019-01-03\n"},
    {"2019-01/2019-01-kent-crimes.csv",
     "crime_ref,recorded_at\nK1,2019-01-05\n"},
    {"2019-01/README.txt", "not a csv"},
    {"2019-02/deeper/2019-02-city-of-london-crimes.csv",
     "crime_ref,force,recorded_at\nL1,,2019-02-01\nL2,met,2019-02-01\n"},
    {"__MACOSX/2019-01/._2019-01-kent-crimes.csv", "junk"},
};

static void check_layout(const char *path)
{
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    char want[600];
    unsigned char d[32];
    unsigned long long bytes;
    size_t i;
    int skipped = 0;

    ingest_opts_init(&o);
    assert_int_equal(run1(path, &o, &s, &st, &err), CA_OK);
    check_accounting(&st);
    assert_int_equal(st.rows_accepted, 5);
    assert_string_equal(s.id[0], "H1");
    assert_string_equal(s.force[0], "hampshire");
    assert_int_equal(s.line[1], 3);
    snprintf(want, sizeof(want), "%s:2019-01/2019-01-hampshire-crimes.csv",
             path);
    assert_string_equal(s.src[0], want);
    assert_string_equal(s.force[2], "kent");
    assert_string_equal(s.id[3], "L1");
    assert_string_equal(s.force[3], "city-of-london"); /* nested folders */
    assert_string_equal(s.force[4], "met");            /* the column wins */
    for (i = 0; i < st.nnotes; i++) {
        assert_false(st.notes[i].error);
        skipped += strstr(st.notes[i].message, "skipped") != NULL;
    }
    assert_int_equal(skipped, 2); /* README.txt and the macOS resource fork */
    /* the archive's own digest and size */
    assert_int_equal(sha256_file(path, d, &bytes), 0);
    assert_int_equal(st.ninputs, 1);
    assert_memory_equal(d, st.inputs[0].sha256, 32);
    assert_int_equal(st.inputs[0].bytes, bytes);
    ingest_stats_release(&st);
}

static void test_archives(void **state)
{
    char zip[512], tgz[512], txz[512], sz[512];
    size_t n = sizeof(layout) / sizeof(layout[0]);

    (void)state;
    snprintf(zip, sizeof(zip), "%s/export.zip", tmpdir);
    snprintf(tgz, sizeof(tgz), "%s/export.tar.gz", tmpdir);
    snprintf(txz, sizeof(txz), "%s/export.tar.xz", tmpdir);
    snprintf(sz, sizeof(sz), "%s/export.7z", tmpdir);
    assert_int_equal(make_archive(zip, "zip", NULL, NULL, layout, n), 0);
    check_layout(zip);
    assert_int_equal(make_archive(tgz, "tar", "gzip", NULL, layout, n), 0);
    check_layout(tgz);
    if (make_archive(txz, "tar", "xz", NULL, layout, n) == 0)
        check_layout(txz);
    else
        print_message("skipped: this libarchive cannot write .tar.xz\n");
    if (make_archive(sz, "7z", NULL, NULL, layout, n) == 0)
        check_layout(sz);
    else
        print_message("skipped: this libarchive cannot write .7z\n");
}

static void test_archive_problems(void **state)
{
    static const struct aentry big[] = {
        {"2019-01-a-crimes.csv", "crime_ref\nA1\nA2\nA3\nA4\nA5\nA6\n"},
        {"2019-01-b-crimes.csv", "crime_ref\nB1\n"},
    };
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    char path[512], empty[512];
    const char *bad;

    (void)state;
    snprintf(path, sizeof(path), "%s/big.zip", tmpdir);
    assert_int_equal(make_archive(path, "zip", NULL, NULL, big, 2), 0);
    /* an entry over the limit stops the archive with an error */
    ingest_opts_init(&o);
    o.limits.max_entry_bytes = 20;
    assert_int_equal(run1(path, &o, &s, &st, &err), CA_DATA);
    assert_non_null(strstr(err.msg, "larger than 20 bytes"));
    assert_non_null(strstr(err.file, "2019-01-a-crimes.csv"));
    check_accounting(&st);
    assert_int_equal(s.nrec, 0); /* the limit was met in the first block */
    ingest_stats_release(&st);
    /* entry count */
    ingest_opts_init(&o);
    o.limits.max_entries = 1;
    assert_int_equal(run1(path, &o, &s, &st, &err), CA_DATA);
    assert_non_null(strstr(err.msg, "more than 1 entries"));
    assert_int_equal(st.rows_accepted, 6);
    ingest_stats_release(&st);
    /* total size */
    ingest_opts_init(&o);
    o.limits.max_archive_bytes = 30;
    assert_int_equal(run1(path, &o, &s, &st, &err), CA_DATA);
    assert_non_null(strstr(err.msg, "archive larger than 30 bytes"));
    ingest_stats_release(&st);
    /* an empty archive is fine and gives nothing */
    snprintf(empty, sizeof(empty), "%s/empty.tar.gz", tmpdir);
    assert_int_equal(make_archive(empty, "tar", "gzip", NULL, NULL, 0), 0);
    ingest_opts_init(&o);
    assert_int_equal(run1(empty, &o, &s, &st, &err), CA_OK);
    assert_int_equal(st.rows_read, 0);
    ingest_stats_release(&st);
    /* a corrupt archive: an error naming it, never a crash */
    bad = tmpdir_write_str("corrupt.zip", "PK\003\004garbage-not-a-zip-at-all");
    assert_int_equal(run1(bad, &o, &s, &st, &err), CA_DATA);
    assert_string_equal(err.file, bad);
    ingest_stats_release(&st);
    /* a truncated gzip */
    snprintf(path, sizeof(path), "%s/trunc.tar.gz", tmpdir);
    assert_int_equal(make_archive(path, "tar", "gzip", NULL, big, 2), 0);
    assert_int_equal(truncate(path, 60), 0);
    assert_int_equal(run1(path, &o, &s, &st, &err), CA_DATA);
    check_accounting(&st);
    ingest_stats_release(&st);
    /* encrypted entries are errors (libarchive cannot write one: a
     * committed fixture, see fixtures/ingest/README.md) */
    assert_int_equal(
        run1("../../fixtures/ingest/encrypted.zip", &o, &s, &st, &err),
        CA_DATA);
    assert_non_null(strstr(err.msg, "encrypted"));
    assert_non_null(strstr(err.file, "2019-01-a-crimes.csv"));
    assert_int_equal(st.rows_read, 0);
    ingest_stats_release(&st);
}

static void test_directory(void **state)
{
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct seen s;
    char dir[512];

    (void)state;
    tmpdir_write_str("tree/b/2019-03-kent-crimes.csv", "crime_ref\nT3\n");
    tmpdir_write_str("tree/a/2019-03-hampshire-crimes.csv",
                     "crime_ref\nT1\nT2\n");
    tmpdir_write_str("tree/a/notes.txt", "ignored");
    tmpdir_write_str("tree/stop-and-search.csv",
                     "Type,Date\nPerson search,x\n");
    snprintf(dir, sizeof(dir), "%s/tree", tmpdir);
    ingest_opts_init(&o);
    assert_int_equal(run1(dir, &o, &s, &st, &err), CA_OK);
    assert_int_equal(s.nrec, 3);
    assert_string_equal(s.id[0], "T1"); /* sorted by path */
    assert_string_equal(s.force[0], "hampshire");
    assert_string_equal(s.id[2], "T3");
    assert_int_equal(st.ninputs, 3); /* one per CSV file */
    assert_int_equal(st.nnotes, 1);  /* the file with no id column */
    assert_false(st.notes[0].error);
    ingest_stats_release(&st);
}

/* ---- threads: independent runs share nothing but constants ---- */

struct thr {
    const char *path;
    struct seen s;
    struct ingest_stats st;
    enum ca_status rc;
};

static void *thr_run(void *arg)
{
    struct thr *t = arg;
    struct ingest_opts o;
    struct ca_error err = CA_ERROR_INIT;
    const char *paths[1];

    ingest_opts_init(&o);
    paths[0] = t->path;
    memset(&t->s, 0, sizeof(t->s));
    t->rc = ingest_run(paths, 1, &o, on_rec, on_rej, &t->s, &t->st, &err);
    return NULL;
}

static void test_threads(void **state)
{
    static const char csv[] =
        "crime_ref,recorded_at,log\n"
        "T1,2014-01-01,\"2014-01-01 10:00 PC 1 A: one\n2014-01-02 two\"\n"
        "T2,2014-01-02,\"x\n2014-01-03 DS 2 B: three\"\n"
        ",2014-01-03,\n";
    struct thr t[4];
    pthread_t id[4];
    const char *p = tmpdir_write_str("threads.csv", csv);
    int i;

    (void)state;
    for (i = 0; i < 4; i++) {
        t[i].path = p;
        assert_int_equal(pthread_create(&id[i], NULL, thr_run, &t[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(id[i], NULL), 0);
        assert_int_equal(t[i].rc, CA_OK);
        assert_int_equal(t[i].st.rows_accepted, 2);
        assert_int_equal(t[i].st.rejected_by_reason[RJ_MISSING_ID], 1);
        assert_int_equal(t[i].s.nlog[0], 2);
        assert_int_equal(t[i].s.nlog[1], 2);
        assert_string_equal(t[i].s.log0[1], "x");
        ingest_stats_release(&t[i].st);
    }
}

/* ---- a file larger than the read-ahead buffers ---- */

struct big {
    unsigned long nrec, stop_after;
    unsigned long last; /* number of the last id seen (ids R1, R2..) */
    unsigned long long linesum;
    int ok;                    /* every record had the expected id and line */
    const unsigned long *line; /* line of row i */
    unsigned long nrej, rej_line[8];
    enum reject_reason rej_why[8];
};

static int big_rec(void *ctx, const struct record *r)
{
    struct big *b = ctx;
    unsigned long n;

    /* in order, the bad rows (777, 9001) missing, each on its line */
    if (sscanf(r->id, "R%lu", &n) != 1 || n <= b->last || n == 777 ||
        n == 9001 || r->line != b->line[n])
        b->ok = 0;
    b->last = n;
    b->linesum += r->line;
    b->nrec++;
    return b->stop_after && b->nrec >= b->stop_after;
}

static void big_rej(void *ctx, const struct reject *rj)
{
    struct big *b = ctx;

    if (b->nrej < 8) {
        b->rej_line[b->nrej] = rj->line;
        b->rej_why[b->nrej] = rj->reason;
    }
    b->nrej++;
}

/* 20000 rows with multi-line logs (about 5 MB, several times the read
 * buffers the hashing thread reads ahead into), a few bad rows among them:
 * every row read in order with its line, the digest of exactly the bytes
 * read, also when the run stops early. */
static void test_large_input(void **state)
{
    enum { ROWS = 20000 };
    static unsigned long line[ROWS + 2];
    struct buf_s {
        char *p;
        size_t n, cap;
    } f = {NULL, 0, 0};
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct big b;
    const char *paths[1];
    unsigned long ln = 2, i, want_rec = 0;
    unsigned long long want_sum = 0, bytes = 0;
    unsigned char d[32];
    const char *path;
    FILE *fp;

    (void)state;
    f.cap = 8u << 20;
    f.p = malloc(f.cap);
    assert_non_null(f.p);
    f.n = (size_t)snprintf(f.p, f.cap, "crime_ref,recorded_at,log\n");
    for (i = 1; i <= ROWS; i++) {
        int k;

        line[i] = ln;
        if (i == 777) { /* a stray quote: malformed */
            f.n += (size_t)snprintf(f.p + f.n, f.cap - f.n,
                                    "R%lu,2014-01-01,ab\"c\n", i);
            ln++;
            continue;
        }
        if (i == 9001) { /* a duplicate of R9000 */
            f.n += (size_t)snprintf(f.p + f.n, f.cap - f.n,
                                    "R9000,2014-01-01,x\n");
            ln++;
            continue;
        }
        f.n += (size_t)snprintf(f.p + f.n, f.cap - f.n, "R%lu,2014-01-%02lu,\"",
                                i, 1 + i % 28);
        for (k = 0; k < 1 + (int)(i % 5); k++)
            f.n += (size_t)snprintf(
                f.p + f.n, f.cap - f.n,
                "%s2014-01-%02lu 10:%02d PC %lu Smith: caf\xC3\xA9 "
                "\"\"quoted\"\", then, some more words for row %lu",
                k ? "\n" : "", 1 + i % 28, k, i, i);
        f.n += (size_t)snprintf(f.p + f.n, f.cap - f.n, "\"%s",
                                i % 3 ? "\n" : "\r\n");
        ln += 1 + i % 5;
        want_rec++;
        want_sum += line[i];
    }
    assert_true(f.n > 4u << 20 && f.n < f.cap);
    path = tmpdir_write("big.csv", f.p, f.n);
    paths[0] = path;
    ingest_opts_init(&o);

    memset(&b, 0, sizeof(b));
    b.line = line;
    b.ok = 1;
    assert_int_equal(ingest_run(paths, 1, &o, big_rec, big_rej, &b, &st, &err),
                     CA_OK);
    assert_int_equal(st.rows_read, ROWS);
    assert_int_equal(b.nrec, want_rec);
    assert_int_equal(b.linesum, want_sum);
    assert_true(b.ok);
    assert_int_equal(b.nrej, 2);
    assert_int_equal(b.rej_line[0], line[777]);
    assert_int_equal(b.rej_why[0], RJ_MALFORMED_CSV);
    assert_int_equal(b.rej_line[1], line[9001]);
    assert_int_equal(b.rej_why[1], RJ_DUPLICATE_ID);
    assert_int_equal(sha256_file(path, d, &bytes), 0);
    assert_int_equal(st.inputs[0].bytes, f.n);
    assert_memory_equal(d, st.inputs[0].sha256, 32);
    ingest_stats_release(&st);

    /* stopped early: the digest covers exactly the bytes counted */
    memset(&b, 0, sizeof(b));
    b.line = line;
    b.ok = 1;
    b.stop_after = 5000;
    assert_int_equal(ingest_run(paths, 1, &o, big_rec, big_rej, &b, &st, &err),
                     CA_OK);
    assert_int_equal(b.nrec, 5000);
    assert_true(b.ok);
    assert_true(st.inputs[0].bytes > 0 && st.inputs[0].bytes < f.n);
    sha256_buf(f.p, st.inputs[0].bytes, d);
    assert_memory_equal(d, st.inputs[0].sha256, 32);
    ingest_stats_release(&st);

    /* no digest wanted (check): the same records, rejects and bytes, the
     * digest left zero */
    memset(&b, 0, sizeof(b));
    b.line = line;
    b.ok = 1;
    o.no_digest = true;
    assert_int_equal(ingest_run(paths, 1, &o, big_rec, big_rej, &b, &st, &err),
                     CA_OK);
    o.no_digest = false;
    assert_int_equal(b.nrec, want_rec);
    assert_int_equal(b.linesum, want_sum);
    assert_true(b.ok);
    assert_int_equal(b.nrej, 2);
    assert_int_equal(st.inputs[0].bytes, f.n);
    memset(d, 0, sizeof(d));
    assert_memory_equal(d, st.inputs[0].sha256, 32);
    ingest_stats_release(&st);

    /* the same bytes through a pipe (not read ahead): the same results */
    {
        char cmd[600], fdpath[64];

        snprintf(cmd, sizeof(cmd), "cat '%s'", path);
        fp = popen(cmd, "r");
        assert_non_null(fp);
        snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", fileno(fp));
        paths[0] = fdpath;
        memset(&b, 0, sizeof(b));
        b.line = line;
        b.ok = 1;
        assert_int_equal(
            ingest_run(paths, 1, &o, big_rec, big_rej, &b, &st, &err), CA_OK);
        assert_int_equal(b.nrec, want_rec);
        assert_int_equal(b.linesum, want_sum);
        assert_true(b.ok);
        assert_int_equal(st.inputs[0].bytes, f.n);
        sha256_buf(f.p, f.n, d);
        assert_memory_equal(d, st.inputs[0].sha256, 32);
        ingest_stats_release(&st);
    }
    pclose(fp);
    free(f.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_force_from_path),
        cmocka_unit_test(test_basic_canonical),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_nul_and_oversize),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_police_uk),
        cmocka_unit_test(test_profile_user),
        cmocka_unit_test(test_profile_errors),
        cmocka_unit_test(test_strata_read),
        cmocka_unit_test(test_entries_join),
        cmocka_unit_test(test_repeated_names),
        cmocka_unit_test(test_stop_and_missing),
        cmocka_unit_test(test_archives),
        cmocka_unit_test(test_archive_problems),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_large_input),
    };

    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
