/* SPDX-License-Identifier: MIT */
/* Unit tests for ingest/record.c: field tables, date and flag parsing, log
 * splitting with the default entry-header regex (and the quick test that
 * spares most other lines PCRE2; entries of a checked log are valid
 * UTF-8), record copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/csvread.h"
#include "ingest/internal.h"
#include "ingest/record.h"
#include "xorshift.h"

static int64_t ymd(int y, unsigned m, unsigned d)
{
    return date_days_from_civil(y, m, d) * 86400;
}

static int parse(const char *s, const char *fmt, int64_t *secs, bool *ht)
{
    return date_parse(s, strlen(s), fmt, secs, ht);
}

static void test_tables(void **state)
{
    enum record_type t;

    (void)state;
    assert_string_equal(record_type_name(RT_WANTED), "wanted");
    assert_string_equal(record_type_name(RT_UNKNOWN), "unknown");
    assert_int_equal(record_type_parse("bail", &t), 0);
    assert_int_equal(t, RT_BAIL);
    assert_int_equal(record_type_parse("crimes", &t), -1);
    assert_string_equal(cf_name(CF_FAILED_TO_ANSWER), "failed_to_answer");
    assert_int_equal(cf_lookup("attended_at"), CF_ATTENDED_AT);
    assert_int_equal(cf_lookup("Attended_At"), -1);
    assert_int_equal(cf_lookup("nope"), -1);
    assert_int_equal(cf_kind(CF_BAIL_END), CFK_DATE);
    assert_int_equal(cf_kind(CF_NAMED_SUSPECT), CFK_FLAG);
    assert_int_equal(cf_kind(CF_OIC), CFK_TEXT);
    assert_int_equal(record_type_id_field(RT_INCIDENT), CF_INCIDENT_REF);
    assert_int_equal(record_type_id_field(RT_UNKNOWN), CF__COUNT);
    assert_int_equal(record_type_main_date(RT_BAIL), CF_ARRESTED_AT);
    /* per ARCHITECTURE.md's table */
    assert_true(record_type_has_field(RT_CRIME, CF_NAMED_SUSPECT));
    assert_false(record_type_has_field(RT_CRIME, CF_WANTED_REF));
    assert_true(record_type_has_field(RT_WANTED, CF_CRIME_REF));
    assert_true(record_type_has_field(RT_BAIL, CF_FAILED_TO_ANSWER));
    assert_false(record_type_has_field(RT_BAIL, CF_ATTENDED));
    assert_true(record_type_has_field(RT_INCIDENT, CF_ATTENDED));
    assert_false(record_type_has_field(RT_INCIDENT, CF_LOG));
    assert_false(record_type_has_field(RT_UNKNOWN, CF_FORCE));
}

static void test_dates_iso(void **state)
{
    int64_t s;
    bool ht;

    (void)state;
    /* date -u -d '2014-02-03' +%s = 1391385600 */
    assert_int_equal(parse("2014-02-03", NULL, &s, &ht), 0);
    assert_int_equal(s, 1391385600);
    assert_false(ht);
    assert_int_equal(parse("2014-02-03 14:22", NULL, &s, &ht), 0);
    assert_int_equal(s, 1391385600 + 14 * 3600 + 22 * 60);
    assert_true(ht);
    assert_int_equal(parse("2014-02-03T14:22:05Z", NULL, &s, &ht), 0);
    assert_int_equal(s, 1391385600 + 14 * 3600 + 22 * 60 + 5);
    assert_int_equal(parse("2014-02-03T14:22:05.123+01:00", NULL, &s, &ht), 0);
    assert_int_equal(s, 1391385600 + 14 * 3600 + 22 * 60 + 5);
    assert_int_equal(parse("  2014-02-03 14:22  ", NULL, &s, &ht), 0);
    assert_int_equal(parse("1970-01-01", NULL, &s, &ht), 0);
    assert_int_equal(s, 0);
    assert_int_equal(parse("1969-12-31 23:59", NULL, &s, &ht), 0);
    assert_int_equal(s, -60);
    /* empty */
    assert_int_equal(parse("", NULL, &s, &ht), 1);
    assert_int_equal(parse("   ", NULL, &s, &ht), 1);
    /* invalid */
    assert_int_equal(parse("2014-02-30", NULL, &s, &ht), -1);
    assert_int_equal(parse("2014-13-01", NULL, &s, &ht), -1);
    assert_int_equal(parse("2014-00-10", NULL, &s, &ht), -1);
    assert_int_equal(parse("2014-02-03 24:00", NULL, &s, &ht), -1);
    assert_int_equal(parse("2014-02-03 12:60", NULL, &s, &ht), -1);
    assert_int_equal(parse("2014-02-03x", NULL, &s, &ht), -1);
    assert_int_equal(parse("2014-2-3", NULL, &s, &ht), -1);
    assert_int_equal(parse("yesterday", NULL, &s, &ht), -1);
    assert_int_equal(parse("2014-02-03 14:22+25:00", NULL, &s, &ht), -1);
}

static void test_dates_uk_and_leap(void **state)
{
    int64_t s;
    bool ht;

    (void)state;
    assert_int_equal(parse("03/02/2014", NULL, &s, &ht), 0);
    assert_int_equal(s, 1391385600);
    assert_false(ht);
    assert_int_equal(parse("03/02/2014 14:22", NULL, &s, &ht), 0);
    assert_int_equal(s, 1391385600 + 14 * 3600 + 22 * 60);
    assert_true(ht);
    assert_int_equal(parse("3/2/2014 9:05:07", NULL, &s, &ht), 0);
    assert_int_equal(s, 1391385600 + 9 * 3600 + 5 * 60 + 7);
    assert_int_equal(parse("31/02/2014", NULL, &s, &ht), -1);
    assert_int_equal(parse("31/04/2014", NULL, &s, &ht), -1);
    assert_int_equal(parse("30/04/2014", NULL, &s, &ht), 0);
    /* leap years: 2016 and 2000 yes, 1900 and 2015 no */
    assert_int_equal(parse("29/02/2016", NULL, &s, &ht), 0);
    assert_int_equal(s, ymd(2016, 3, 1) - 86400);
    assert_int_equal(parse("2000-02-29", NULL, &s, &ht), 0);
    assert_int_equal(parse("1900-02-29", NULL, &s, &ht), -1);
    assert_int_equal(parse("29/02/2015", NULL, &s, &ht), -1);
    assert_int_equal(parse("03/02/14", NULL, &s, &ht), -1);
    /* date -u -d '2024-12-31' +%s = 1735603200 */
    assert_int_equal(date_days_from_civil(2024, 12, 31) * 86400, 1735603200);
}

static void test_dates_fmt(void **state)
{
    int64_t s;
    bool ht;

    (void)state;
    assert_int_equal(parse("2019-01", "%Y-%m", &s, &ht), 0);
    assert_int_equal(s, ymd(2019, 1, 1));
    assert_false(ht);
    assert_int_equal(parse("2019-13", "%Y-%m", &s, &ht), -1);
    assert_int_equal(parse("2019-01-05", "%Y-%m", &s, &ht), -1);
    assert_int_equal(parse("03.02.2014 14:22", "%d.%m.%Y %H:%M", &s, &ht), 0);
    assert_int_equal(s, 1391385600 + 14 * 3600 + 22 * 60);
    assert_true(ht);
    assert_int_equal(parse("3 Feb 2014", "%d %b %Y", &s, &ht), 0);
    assert_int_equal(s, 1391385600);
    assert_int_equal(parse("3 february 2014", "%d %b %Y", &s, &ht), 0);
    assert_int_equal(parse("03/02/14", "%d/%m/%y", &s, &ht), 0);
    assert_int_equal(s, 1391385600);
    /* a fixed format refuses the other shapes */
    assert_int_equal(parse("2014-02-03", "%d/%m/%Y", &s, &ht), -1);
    assert_int_equal(parse("31/02/2014", "%d/%m/%Y", &s, &ht), -1);
}

static void test_date_format(void **state)
{
    char out[20];

    (void)state;
    date_format(1391385600 + 14 * 3600 + 22 * 60 + 59, true, out);
    assert_string_equal(out, "2014-02-03 14:22");
    date_format(1391385600 + 14 * 3600, false, out);
    assert_string_equal(out, "2014-02-03");
    date_format(-60, true, out);
    assert_string_equal(out, "1969-12-31 23:59");
    date_format(ymd(2016, 2, 29), false, out);
    assert_string_equal(out, "2016-02-29");
}

static void test_flags(void **state)
{
    (void)state;
    assert_int_equal(flag_parse("Y", 1), 1);
    assert_int_equal(flag_parse("yes", 3), 1);
    assert_int_equal(flag_parse("TRUE", 4), 1);
    assert_int_equal(flag_parse(" 1 ", 3), 1);
    assert_int_equal(flag_parse("n", 1), 0);
    assert_int_equal(flag_parse("No", 2), 0);
    assert_int_equal(flag_parse("false", 5), 0);
    assert_int_equal(flag_parse("0", 1), 0);
    assert_int_equal(flag_parse("", 0), -1);
    assert_int_equal(flag_parse("maybe", 5), -1);
    assert_int_equal(flag_parse("yess", 4), -1);
    assert_int_equal(flag_parse("2", 1), -1);
}

/* A crime record with columns crime_ref, attended, log. */
struct fake {
    const char *names[3];
    const char *values[3];
    size_t lens[3];
    struct record r;
};

static void fake_init(struct fake *f, const char *log)
{
    int i;

    memset(f, 0, sizeof(*f));
    f->names[0] = "crime_ref";
    f->names[1] = "attended";
    f->names[2] = "log";
    f->values[0] = "CR/1/14";
    f->values[1] = "Y";
    f->values[2] = log;
    for (i = 0; i < 3; i++)
        f->lens[i] = strlen(f->values[i]);
    f->r.type = RT_CRIME;
    f->r.source = "x.csv";
    f->r.line = 2;
    f->r.force = "hampshire";
    f->r.id = "CR/1/14";
    f->r.ncols = 3;
    f->r.names = f->names;
    f->r.values = f->values;
    f->r.lens = f->lens;
    for (i = 0; i < CF__COUNT; i++)
        f->r.canon[i] = -1;
    f->r.canon[CF_CRIME_REF] = 0;
    f->r.canon[CF_ATTENDED] = 1;
    f->r.canon[CF_LOG] = 2;
}

static int span_eq(const char *p, size_t n, const char *want)
{
    return strlen(want) == n && memcmp(p, want, n) == 0;
}

static void test_record_get(void **state)
{
    struct fake f;

    (void)state;
    fake_init(&f, "");
    assert_string_equal(record_get(&f.r, CF_CRIME_REF), "CR/1/14");
    assert_string_equal(record_get(&f.r, CF_FORCE), "hampshire");
    assert_null(record_get(&f.r, CF_OFFENCE));
    assert_string_equal(record_get_named(&f.r, "attended"), "Y");
    assert_string_equal(record_get_named(&f.r, "force"), "hampshire");
    assert_null(record_get_named(&f.r, "Attended"));
    assert_null(record_get_named(&f.r, "offence"));
}

static void test_log_split(void **state)
{
    struct fake f;
    struct log_entries le;
    struct ca_error err = CA_ERROR_INIT;
    const struct log_entry *e;

    (void)state;
    fake_init(&f, "Created from CAD 1234/08DEC18.\n"
                  "\n"
                  "2014-02-03 14:22 DS 4521 Smith: Supervisory review. Next "
                  "review 2014-03-03.\n"
                  "2014-02-04 09:00 Victim called.\r\n"
                  "Said she would send photos.\n"
                  "  2014-02-05 not a header: indented\n"
                  "05/02/2014 10:15 PC  99 Jones : CCTV negative.\n"
                  "2014-02-31 10:00 PC 1 X: bad date starts its own entry\n"
                  "2014-02-06T08:00:00Z sgt Brown:reviewed\n");
    log_entries_init(&le);
    assert_int_equal(record_log(&f.r, &le, &err), CA_OK);
    assert_int_equal(le.n, 6);
    assert_null(log_first_bad_at(le.v, 4));
    assert_ptr_equal(log_first_bad_at(le.v, le.n), &le.v[4]);

    e = &le.v[0]; /* text before the first timestamp */
    assert_false(e->has_at);
    assert_true(
        span_eq(e->text, e->text_len, "Created from CAD 1234/08DEC18."));
    assert_int_equal(e->rank_len, 0);
    assert_string_equal(e->rank, "");
    assert_int_equal(e->line_offset, 0);

    e = &le.v[1];
    assert_true(e->has_at);
    assert_true(e->has_time);
    assert_int_equal(e->at, 1391385600 + 14 * 3600 + 22 * 60);
    assert_true(span_eq(e->rank, e->rank_len, "DS"));
    assert_true(span_eq(e->author, e->author_len, "4521 Smith"));
    assert_true(span_eq(e->text, e->text_len,
                        "Supervisory review. Next review 2014-03-03."));
    assert_true(span_eq(e->raw, e->raw_len,
                        "2014-02-03 14:22 DS 4521 Smith: Supervisory review. "
                        "Next review 2014-03-03."));
    assert_int_equal(e->line_offset, 2);

    e = &le.v[2]; /* no rank: text after the timestamp; continuation lines */
    assert_int_equal(e->rank_len, 0);
    assert_int_equal(e->author_len, 0);
    assert_true(span_eq(e->text, e->text_len,
                        "Victim called.\r\nSaid she would send photos.\n"
                        "  2014-02-05 not a header: indented"));

    e = &le.v[3]; /* UK date; spaces around the author trimmed */
    assert_int_equal(e->at, 1391385600 + 86400 * 2 + 10 * 3600 + 15 * 60);
    assert_true(span_eq(e->rank, e->rank_len, "PC"));
    assert_true(span_eq(e->author, e->author_len, "99 Jones"));
    assert_true(span_eq(e->text, e->text_len, "CCTV negative."));
    assert_false(e->bad_at);

    /* 31 February: never folded into the entry above, marked bad_at */
    e = &le.v[4];
    assert_true(e->bad_at);
    assert_false(e->has_at);
    assert_true(span_eq(e->rank, e->rank_len, "PC"));
    assert_true(span_eq(e->text, e->text_len, "bad date starts its own entry"));
    assert_int_equal(e->line_offset, 7);

    /* the quick check finds it too, naming the log's line */
    {
        struct log_entries le2;
        const struct log_entry *bad = NULL;

        log_entries_init(&le2);
        assert_int_equal(record_log_bad_at(&f.r, &le2, &bad, &err), 1);
        assert_non_null(bad);
        assert_int_equal(bad->line_offset + 1, 8);
        log_entries_release(&le2);
    }

    e = &le.v[5]; /* case-insensitive rank, ISO with Z */
    assert_true(span_eq(e->rank, e->rank_len, "sgt"));
    assert_true(span_eq(e->author, e->author_len, "Brown"));
    assert_true(span_eq(e->text, e->text_len, "reviewed"));
    assert_int_equal(e->line_offset, 8);

    /* reuse: an empty log gives no entries */
    f.values[2] = "";
    assert_int_equal(record_log(&f.r, &le, &err), CA_OK);
    assert_int_equal(le.n, 0);
    /* no log column at all */
    f.r.canon[CF_LOG] = -1;
    assert_int_equal(record_log(&f.r, &le, &err), CA_OK);
    assert_int_equal(le.n, 0);
    log_entries_release(&le);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    return xorshift64(&rng_state);
}

/*
 * The splitter runs the default header regex only on lines that
 * entry_header_may_match lets through: no line it turns away may match.
 * Lines: headers as written in logs, each with its first bytes changed to
 * bytes that look like digits or timestamp marks (fullwidth and Arabic
 * digits, superscripts, spaces, signs), and random mixes of those bytes.
 */
static void test_header_quick_check(void **state)
{
    static const char *const heads[] = {
        "2014-02-03 14:22 DS 4521 Smith: Review.",
        "05/02/2014 10:15 PC  99 Jones : CCTV negative.",
        "2014-02-06T08:00:00Z sgt Brown:reviewed",
        "2014-02-03 text",
        "31/12/2023 23:59:59 A/Sgt 1 X: y",
        "2014-02-03T10:00+01:00 Insp Hale: ok",
    };
    /* ASCII bytes of timestamps, then look-alikes that are not \d:
     * FULLWIDTH DIGIT ONE, ARABIC-INDIC DIGIT THREE, SUPERSCRIPT TWO and
     * NO-BREAK SPACE */
    static const char *const bytes[] = {
        "0",        "1",        "9",       "-", "/", ":",  " ",
        "\t",       "T",        "Z",       "+", "a", "\n", "\xEF\xBC\x91",
        "\xD9\xA3", "\xC2\xB2", "\xC2\xA0"};
    const size_t nb = sizeof(bytes) / sizeof(bytes[0]);
    const struct entry_regex *rx = entry_regex_default();
    pcre2_match_data *md;
    char line[160];
    size_t i, k, turned = 0, matched = 0;

    (void)state;
    assert_non_null(rx);
    md = pcre2_match_data_create(rx->pairs, NULL);
    assert_non_null(md);
    for (i = 0; i < 40000; i++) {
        const char *h = heads[rng() % (sizeof(heads) / sizeof(heads[0]))];
        size_t len = 0, cut = (size_t)(rng() % 8), nrand = rng() % 8;
        int rc;

        if (i % 4 == 3) {
            /* random bytes of the set only */
            for (k = 0; k < 1 + rng() % 24; k++) {
                const char *b = bytes[rng() % nb];
                memcpy(line + len, b, strlen(b));
                len += strlen(b);
            }
        } else {
            /* a header missing up to 3 bytes, after up to 3 of the set */
            cut = cut < 4 ? cut : 0;
            nrand = nrand < 4 ? nrand : 0;
            for (k = 0; k < nrand; k++) {
                const char *b = bytes[rng() % nb];
                memcpy(line + len, b, strlen(b));
                len += strlen(b);
            }
            memcpy(line + len, h + cut, strlen(h) - cut);
            len += strlen(h) - cut;
        }
        rc = pcre2_match(rx->re, (PCRE2_SPTR)line, len, 0, 0, md, NULL);
        assert_true(rc > 0 || rc == PCRE2_ERROR_NOMATCH);
        if (rc > 0)
            matched++;
        if (!entry_header_may_match(line, len)) {
            turned++;
            assert_true(rc <= 0); /* the quick check never hides a header */
        }
    }
    /* both kinds of line were there */
    assert_true(turned > 15000);
    assert_true(matched > 8000);
    pcre2_match_data_free(md);
}

static bool span_ok(const char *p, size_t n)
{
    return !p || csvread_utf8_valid(p, n);
}

/*
 * The engine does not check the UTF-8 of entries again when record_log
 * says ingest has checked their log (utf8_checked): every span of an
 * entry (raw, text, rank, author) of a valid log must then be valid.
 * Random logs of headers, ranks, authors, line ends and multibyte
 * characters next to every place a span may start or end.  They split as
 * the same log not checked before does: the default header's memo of
 * authors (kept in le across the logs) gives what PCRE2 gives.
 */
static void test_entries_utf8(void **state)
{
    static const char *const parts[] = {
        "2014-02-03 14:22 ",
        "05/02/2014 10:15 ",
        "2014-02-03 14:22\t",
        "2014-02-03 14:22:07 ",
        "PC ",
        "A/Sgt ",
        "Acting DS ",
        "D/Supt ",
        "1234 Smith",
        "Staff 88 O'Neil:",
        ":",
        "DS ",
        "Sgt\xC2\xA0",
        "4521 \xC3\x89lodie",
        ": ",
        " : ",
        "\n",
        "\r\n",
        "\r",
        "  ",
        "\t",
        "x",
        "\xC3\xA9",
        "\xE2\x80\x99",
        "\xE2\x80\x83", /* EM SPACE */
        "\xF0\x9F\x93\x9E",
        "\xEF\xBC\x9A", /* FULLWIDTH COLON */
    };
    const size_t np = sizeof(parts) / sizeof(parts[0]);
    struct record_logctx ctx;
    struct log_entries le, plain;
    struct ca_error err = CA_ERROR_INIT;
    struct fake f;
    char log[400];
    size_t i, k, entries = 0;

    (void)state;
    memset(&ctx, 0, sizeof(ctx));
    ctx.utf8_valid = true;
    log_entries_init(&le);
    log_entries_init(&plain);
    for (i = 0; i < 3000; i++) {
        size_t len = 0, n = 1 + rng() % 30;

        for (k = 0; k < n; k++) {
            const char *p = parts[rng() % np];

            if (rng() % 3 == 0 && len > 0 && log[len - 1] == '\n')
                p = parts[rng() % 4]; /* a header at a line start */
            memcpy(log + len, p, strlen(p));
            len += strlen(p);
        }
        log[len] = '\0';
        assert_true(csvread_utf8_valid(log, len));
        fake_init(&f, log);
        assert_int_equal(record_log(&f.r, &plain, &err), CA_OK);
        f.r.log_ctx = &ctx;
        assert_int_equal(record_log(&f.r, &le, &err), CA_OK);
        assert_true(le.utf8_checked);
        /* the same entries as a log not checked before (other PCRE2
         * entry points: pcre2_match with its UTF check, the JIT's) */
        assert_int_equal(le.n, plain.n);
        assert_memory_equal(le.v, plain.v, le.n * sizeof(*le.v));
        for (k = 0; k < le.n; k++) {
            const struct log_entry *e = &le.v[k];

            assert_true(span_ok(e->raw, e->raw_len));
            assert_true(span_ok(e->text, e->text_len));
            assert_true(span_ok(e->rank, e->rank_len));
            assert_true(span_ok(e->author, e->author_len));
        }
        entries += le.n;
    }
    assert_true(entries > 3000);
    /* a record built by hand is not taken as checked */
    fake_init(&f, "2014-02-03 14:22 DS 1 A: x\n");
    assert_int_equal(record_log(&f.r, &le, &err), CA_OK);
    assert_false(le.utf8_checked);
    log_entries_release(&le);
    log_entries_release(&plain);
}

/* A timestamp of 16 bytes, with or without faults, for the tests below:
 * every byte of "YYYY-MM-DD HH:MM" drawn or, one time in 20, replaced. */
static void stamp_draw(char out[17])
{
    static const char shape[] = "dddd-dd-dd dd:dd";
    static const char odd[] = "/:-T t09aZ\x7f\xc3";
    size_t i;

    for (i = 0; i < 16; i++) {
        if (rng() % 20 == 0)
            out[i] = odd[rng() % (sizeof(odd) - 1)];
        else if (shape[i] != 'd')
            out[i] = shape[i];
        else if (i == 5 || i == 8 || i == 11 || i == 14)
            out[i] = (char)('0' + rng() % (i == 14 ? 6 : 4)); /* tens */
        else
            out[i] = (char)('0' + rng() % 10);
    }
    out[16] = '\0';
}

/*
 * date_parse reads a 16-byte "YYYY-MM-DD HH:MM" at once: the same answer
 * as the same stamp with ":00" seconds, which the byte-by-byte parser
 * reads.
 */
static void test_dates_stamp(void **state)
{
    char s[17], s19[20];
    int64_t a, b;
    bool ha, hb;
    size_t i, valid = 0;

    (void)state;
    for (i = 0; i < 200000; i++) {
        int ra, rb;

        stamp_draw(s);
        snprintf(s19, sizeof(s19), "%s:00", s);
        a = b = -1;
        ha = hb = false;
        ra = date_parse(s, 16, NULL, &a, &ha);
        rb = date_parse(s19, 19, NULL, &b, &hb);
        assert_int_equal(ra, rb);
        if (ra == 0) {
            assert_int_equal(a, b);
            assert_int_equal(ha, hb);
            valid++;
        }
    }
    assert_true(valid > 10000);
    assert_int_equal(parse("2023-02-29 10:00", NULL, &a, &ha), -1);
    assert_int_equal(parse("2024-02-29 23:59", NULL, &a, &ha), 0);
    assert_int_equal(a, ymd(2024, 2, 29) + 23 * 3600 + 59 * 60);
    assert_int_equal(parse("2024-02-29 24:00", NULL, &a, &ha), -1);
    assert_int_equal(parse("0000-01-01 00:00", NULL, &a, &ha), -1);
}

/*
 * record_log_dates gives the entries, times and status that splitting
 * the same log with PCRE2 on every header line gives (log_split: no
 * author memo, no quick reading of stamps), on random logs of stamps
 * with and without faults.
 */
static void test_log_dates(void **state)
{
    static const char *const parts[] = {
        "PC 1 Smith: ",
        "DS: ",
        "x",
        " ",
        "\t",
        "\n",
        "\n",
        "\r\n",
        ":",
        "\r",
        "05/02/2014 10:15 ",
        "2014-02-03 ",
        "2014-02-03T14:22 ",
        "2014-02-03 14:22:07 ",
        "\xC3\xA9",
    };
    const size_t np = sizeof(parts) / sizeof(parts[0]);
    struct record_logctx ctx;
    struct log_entries le, ref;
    struct ca_error err = CA_ERROR_INIT;
    struct fake f;
    char log[600], st[17];
    size_t i, k, entries = 0;

    (void)state;
    memset(&ctx, 0, sizeof(ctx));
    ctx.utf8_valid = true;
    log_entries_init(&le);
    log_entries_init(&ref);
    for (i = 0; i < 20000; i++) {
        size_t len = 0, n = 1 + rng() % 24;
        enum ca_status sa, sb;

        for (k = 0; k < n; k++) {
            const char *p = parts[rng() % np];

            if ((len == 0 || log[len - 1] == '\n') && rng() % 2) {
                stamp_draw(st);
                memcpy(log + len, st, 16);
                len += 16;
                p = rng() % 4 ? " " : "\t";
            }
            memcpy(log + len, p, strlen(p));
            len += strlen(p);
        }
        log[len] = '\0';
        if (!csvread_utf8_valid(log, len))
            continue;
        le.cap = ref.cap = rng() % 4 ? 64 : 1 + rng() % 8;
        sb = log_split(log, len, false, &ref, &err);
        fake_init(&f, log);
        f.r.log_ctx = &ctx;
        sa = record_log_dates(&f.r, &le, &err);
        assert_int_equal(sa, sb);
        if (sa != CA_OK)
            continue;
        assert_int_equal(le.n, ref.n);
        for (k = 0; k < le.n; k++) {
            assert_int_equal(le.v[k].at, ref.v[k].at);
            assert_int_equal(le.v[k].has_at, ref.v[k].has_at);
            assert_int_equal(le.v[k].bad_at, ref.v[k].bad_at);
            assert_int_equal(le.v[k].has_time, ref.v[k].has_time);
            assert_ptr_equal(le.v[k].raw, ref.v[k].raw);
            assert_int_equal(le.v[k].raw_len, ref.v[k].raw_len);
            assert_int_equal(le.v[k].line_offset, ref.v[k].line_offset);
            entries += le.v[k].has_at;
        }
    }
    assert_true(entries > 10000);
    log_entries_release(&le);
    log_entries_release(&ref);
}

static void test_log_cap(void **state)
{
    struct fake f;
    struct log_entries le;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    fake_init(&f, "2014-02-03 a\n2014-02-04 b\n2014-02-05 c\n");
    log_entries_init(&le);
    le.cap = 2;
    assert_int_equal(record_log(&f.r, &le, &err), CA_DATA);
    assert_string_equal(err.file, "x.csv");
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "more than 2 entries"));
    le.cap = 3;
    assert_int_equal(record_log(&f.r, &le, &err), CA_OK);
    assert_int_equal(le.n, 3);
    assert_false(le.v[0].has_time);
    assert_true(span_eq(le.v[2].text, le.v[2].text_len, "c"));
    log_entries_release(&le);
}

static void test_copy(void **state)
{
    struct fake f;
    struct record *c;
    struct log_entries le;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    fake_init(&f, "2014-02-03 14:22 PC 1 A: one\n2014-02-04 two");
    c = record_copy(&f.r);
    assert_non_null(c);
    f.values[0] = "changed";
    f.r.force = "other";
    assert_string_equal(record_get(c, CF_CRIME_REF), "CR/1/14");
    assert_string_equal(c->force, "hampshire");
    assert_string_equal(c->id, "CR/1/14");
    assert_string_equal(c->source, "x.csv");
    assert_int_equal(c->line, 2);
    log_entries_init(&le);
    assert_int_equal(record_log(c, &le, &err), CA_OK);
    assert_int_equal(le.n, 2);
    log_entries_release(&le);
    record_free(c);
    record_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_dates_iso),
        cmocka_unit_test(test_dates_uk_and_leap),
        cmocka_unit_test(test_dates_fmt),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_record_get),
        cmocka_unit_test(test_log_split),
        cmocka_unit_test(test_header_quick_check),
        cmocka_unit_test(test_entries_utf8),
        cmocka_unit_test(test_dates_stamp),
        cmocka_unit_test(test_log_dates),
        cmocka_unit_test(test_log_cap),
        cmocka_unit_test(test_copy),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
