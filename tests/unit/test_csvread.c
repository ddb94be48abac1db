/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for ingest/csvread.c: the fast path that splits plain rows
 * without libcsv must report exactly what libcsv reports (fields, row
 * ends, physical line numbers, bad rows and their details, swallowed
 * lines), whatever the input and however it is cut into chunks.  Each
 * input is read twice, once with the fast path and once with every byte
 * through libcsv, and the two traces are compared; the inputs are hand-
 * written edge cases plus many random ones built from the bytes that
 * matter to CSV (quotes, commas, CR, LF, blanks, NUL, multi-byte and
 * invalid UTF-8) and from well-formed rows with small mutations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/csvread.h"

/* ---- a trace of everything the reader reports ---- */

struct trace {
    char *s;
    size_t len, alloc;
    unsigned long rows;
    unsigned long stop_after; /* 0: never stop */
};

static void tr_add(struct trace *t, const void *p, size_t n)
{
    if (t->len + n + 1 > t->alloc) {
        size_t na = t->alloc ? t->alloc : 1024;

        while (na < t->len + n + 1)
            na *= 2;
        t->s = realloc(t->s, na);
        assert_non_null(t->s);
        t->alloc = na;
    }
    memcpy(t->s + t->len, p, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void tr_printf(struct trace *t, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof(buf));
    tr_add(t, buf, (size_t)n);
}

static int on_row(void *ctx, struct csvrow *row)
{
    struct trace *t = ctx;
    size_t i;

    tr_printf(t, "row line=%lu n=%zu kept=%zu bad=%d field=%zu [%s]\n",
              row->line, row->n, row->nkept, row->bad, row->bad_field,
              row->detail);
    for (i = 0; i < row->nkept; i++) {
        assert_int_equal(strlen(row->v[i]) <= row->len[i], 1);
        assert_int_equal(row->v[i][row->len[i]], '\0');
        tr_printf(t, "  %zu:", row->len[i]);
        tr_add(t, row->v[i], row->len[i]);
        tr_add(t, "\n", 1);
    }
    t->rows++;
    return t->stop_after && t->rows >= t->stop_after;
}

struct setup {
    enum csvread_enc enc;
    size_t max_field, max_row, max_fields;
    unsigned long stop_after;
};

/* Read data cut at the given chunk sizes (cycled; NULL: one chunk). */
static void run_reader(const struct setup *su, bool no_fast,
                       const unsigned char *data, size_t len,
                       const size_t *chunks, size_t nchunks, struct trace *t)
{
    struct csvread c;
    struct ca_error err = CA_ERROR_INIT;
    size_t pos = 0, k = 0, n;

    memset(t, 0, sizeof(*t));
    t->stop_after = su->stop_after;
    assert_int_equal(
        csvread_init(&c, su->enc, su->max_field, su->max_row, on_row, t), 0);
    c.no_fast = no_fast;
    if (su->max_fields)
        c.max_fields = su->max_fields;
    while (pos < len && !c.stopped) {
        n = nchunks ? chunks[k++ % nchunks] : len;
        if (n > len - pos)
            n = len - pos;
        assert_int_equal(csvread_feed(&c, data + pos, n, &err), CA_OK);
        pos += n;
    }
    if (!c.stopped)
        assert_int_equal(csvread_end(&c, &err), CA_OK);
    tr_printf(t, "end line=%lu rows=%lu swallowed=%lu at=%lu stopped=%d\n",
              c.line, c.rows, c.swallowed, c.swallow_line, (int)c.stopped);
    csvread_release(&c);
}

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

/* Compare the fast path with libcsv alone on one input, for a few
 * chunkings; on a difference, print the input and both traces. */
static void compare(const struct setup *su, const unsigned char *data,
                    size_t len)
{
    static const size_t one[] = {1}, small[] = {3, 1, 7, 2, 64};
    size_t rnd_chunks[8], i;
    struct trace ref, got;
    int pass;

    run_reader(su, true, data, len, NULL, 0, &ref);
    for (i = 0; i < 8; i++)
        rnd_chunks[i] = 1 + rnd(len + 1);
    for (pass = 0; pass < 4; pass++) {
        const size_t *ch = pass == 0   ? NULL
                           : pass == 1 ? one
                           : pass == 2 ? small
                                       : rnd_chunks;
        size_t nch = pass == 0   ? 0
                     : pass == 1 ? 1
                     : pass == 2 ? sizeof(small) / sizeof(small[0])
                                 : 8;

        run_reader(su, false, data, len, ch, nch, &got);
        if (strcmp(ref.s, got.s) != 0) {
            fprintf(stderr, "input (%zu bytes, pass %d, max_field %zu):\n", len,
                    pass, su->max_field);
            for (i = 0; i < len; i++)
                fprintf(stderr,
                        data[i] >= 32 && data[i] < 127 ? "%c" : "\\x%02X",
                        data[i]);
            fprintf(stderr, "\n--- libcsv:\n%s--- fast path:\n%s", ref.s,
                    got.s);
        }
        assert_string_equal(ref.s, got.s);
        free(got.s);
    }
    free(ref.s);
}

static void compare_str(const struct setup *su, const char *s)
{
    compare(su, (const unsigned char *)s, strlen(s));
}

/* ---- tests ---- */

static void test_edge_cases(void **state)
{
    static const char *const cases[] = {
        "a,b,c\n1,2,3\n",
        "a,b,c\r\n1,2,3\r\n",
        "a,b\r1,2\r",
        "a,b\n\n\n1,2\n",
        "a,b\r\n\r\n1,2",
        "\n\r\n,\n,,\n",
        "a,\"b\nc\",d\n\"x\"\"y\",\"\",\"\"\"\"\n",
        " a, b ,c \n",
        "\ta\t,\"q\" ,\"r\"\t\n",
        "a,\"b\" c,d\nok,1,2\n",
        "a,b\"c,d\nok,1,2\n",
        "a,\"b\",\"c\n",
        "a,\"unterminated\nline two\n\nline four\n",
        "x,\"q\"\"\n",
        "\"a\"\"\",b\n",
        "a,b,c",
        "\"a\",\"b\"",
        "\"a\",\"b\"\r",
        "a\0b,c\n",
        "caf\xC3\xA9,\xE2\x82\xAC\n\xFF,x\n",
        "\"multi\nline\nfield\",\"and \"\"quoted\"\" text\"\nz,\"\"\n",
        ",,,\n,,\n",
        "\"a\"\n\"b\"\"\"\n\"\"\n",
        "\"\"\"\",\"\"\"\"\"\"\n",
        "a,b,c\n1,2\n1,2,3,4\n",
        "\"a\" ,\"b\"  ,c\n",
        "\"a\" \"b\",c\n",
        "\"a\"x,c\n",
    };
    struct setup su = {CSVR_UTF8, 0, 0, 0, 0};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = strlen(cases[i]);

        /* the NUL case has an embedded NUL: give its real length */
        if (i == 18)
            len = 7;
        compare(&su, (const unsigned char *)cases[i], len);
    }
}

/* Fields at and around the size cap: the fast path must leave libcsv to
 * reject exactly the fields it rejects. */
/* The physical line each row starts on, whichever line ends the file
 * uses: LF, CRLF, or bare CR (Excel's "CSV (Macintosh)"), with blank
 * lines and a bad row (a stray quote) on the way; the same through the
 * fast path and through libcsv alone, in one chunk and byte by byte. */
static void test_line_numbers(void **state)
{
    static const char *const ends[] = {"\n", "\r\n", "\r"};
    static const size_t one = 1;
    char data[256];
    size_t k;

    (void)state;
    for (k = 0; k < sizeof(ends) / sizeof(ends[0]); k++) {
        const char *e = ends[k];
        struct trace t;
        struct setup su = {CSVR_UTF8, 1 << 20, 1 << 24, 0, 0};
        int fast, chunked;

        /* lines: 1 header, 2-3 a (a quoted field holding a line end),
         * 4 blank, 5 bad row, 6 b, 7 blank, 8 c */
        snprintf(data, sizeof(data),
                 "h1,h2%sa,\"1%sx\"%s%sx\"y,2%sb,3%s%sc,4%s", e, e, e, e, e, e,
                 e, e);
        for (fast = 0; fast < 2; fast++)
            for (chunked = 0; chunked < 2; chunked++) {
                run_reader(&su, !fast, (const unsigned char *)data,
                           strlen(data), chunked ? &one : NULL, chunked, &t);
                assert_non_null(strstr(t.s, "row line=1 n=2"));
                assert_non_null(strstr(t.s, "row line=2 n=2"));
                assert_non_null(strstr(t.s, "row line=5 n=0 kept=0 bad=2"));
                assert_non_null(strstr(t.s, "row line=6 n=2"));
                assert_non_null(strstr(t.s, "row line=8 n=2"));
                assert_non_null(strstr(t.s, "end line=9 rows=5"));
                free(t.s);
            }
    }
}

static void test_field_cap(void **state)
{
    struct setup su = {CSVR_UTF8, 8, 0, 0, 0};
    char buf[256];
    size_t n, k;

    (void)state;
    for (su.max_field = 1; su.max_field <= 10; su.max_field++) {
        for (n = 0; n <= 12; n++) {
            for (k = 0; k < 4; k++) {
                size_t o = 0, i;

                if (k & 1)
                    buf[o++] = '"';
                for (i = 0; i < n; i++)
                    buf[o++] = (k & 2) && i == 1 && (k & 1) ? '"' : 'x';
                if ((k & 2) && (k & 1) && n > 1)
                    buf[o++] = '"'; /* doubled quote inside */
                if (k & 1)
                    buf[o++] = '"';
                memcpy(buf + o, ",y\nz,w\n", 7);
                o += 7;
                compare(&su, (unsigned char *)buf, o);
            }
        }
    }
}

/* Fields of every length up to 100 (the checks work on 8 and 32 bytes at
 * a time), plain, with line feeds and with a multi-byte character at each
 * position: never a false NUL or encoding error, and line numbers right.
 * Checked against expected values, not only between the two paths. */
static void test_field_lengths(void **state)
{
    struct setup su = {CSVR_UTF8, 0, 0, 0, 0};
    char buf[512], want[512];
    size_t n, k, i, o;
    int no_fast;

    (void)state;
    for (no_fast = 0; no_fast < 2; no_fast++) {
        for (n = 0; n <= 100; n++) {
            for (k = 0; k < 3; k++) {
                struct trace t;
                unsigned long lines = 1;

                o = 0;
                buf[o++] = '"';
                for (i = 0; i < n; i++) {
                    if (k == 1 && i % 7 == 3) {
                        buf[o++] = '\n';
                        lines++;
                    } else if (k == 2 && i == n / 2) {
                        buf[o++] = (char)0xC3; /* é */
                        buf[o++] = (char)0xA9;
                    } else {
                        buf[o++] = (char)('a' + i % 26);
                    }
                }
                memcpy(want, buf + 1, o - 1);
                want[o - 1] = '\0';
                memcpy(buf + o, "\",y\nz,w\n", 9);
                o += 9;
                run_reader(&su, no_fast != 0, (unsigned char *)buf, o, NULL, 0,
                           &t);
                snprintf(buf, sizeof(buf),
                         "row line=1 n=2 kept=2 bad=-1 field=%zu []\n  %zu:",
                         (size_t)-1, strlen(want));
                assert_memory_equal(t.s, buf, strlen(buf));
                assert_memory_equal(t.s + strlen(buf), want, strlen(want));
                snprintf(buf, sizeof(buf), "row line=%lu n=2 kept=2 bad=-1",
                         lines + 1);
                assert_non_null(strstr(t.s, buf));
                free(t.s);
            }
        }
    }
}

static void test_row_cap_and_fields(void **state)
{
    struct setup su = {CSVR_UTF8, 0, 10, 0, 0};

    (void)state;
    compare_str(&su, "abc,def\nabcdef,ghijkl\n\"q\",\"r\"\nx,y\n");
    su.max_row = 0;
    su.max_fields = 2;
    compare_str(&su, "a,b,c,d\n\"a\",\"b\",\"c\"\n1,2\n");
}

static void test_stop(void **state)
{
    struct setup su = {CSVR_UTF8, 0, 0, 0, 0};
    unsigned long k;

    (void)state;
    for (k = 1; k <= 4; k++) {
        su.stop_after = k;
        compare_str(&su, "a,b\n\"c\nd\",e\r\nf,g\n\nh,i\n");
    }
}

/* A bad first row (the header) is delivered as soon as it is bad and ends
 * the input: the rest, however long, is not read. */
static void test_bad_header_stops(void **state)
{
    struct setup su = {CSVR_UTF8, 16, 64, 4, 0};
    unsigned char data[4096];
    struct trace t;
    int fast;

    (void)state;
    /* a field over the cap, then lines that would be rows */
    memset(data, 'x', 100);
    memcpy(data + 100, "\na,b\nc,d\n", 9);
    for (fast = 0; fast < 2; fast++) {
        run_reader(&su, !fast, data, 109, NULL, 0, &t);
        assert_non_null(strstr(t.s, "field longer than 16 bytes"));
        assert_non_null(strstr(t.s, "rows=1 swallowed=0 at=0 stopped=1"));
        free(t.s);
    }
    /* an endless line of commas: the fields past max_fields count towards
     * the row cap, so the header ends there */
    memset(data, ',', sizeof(data));
    for (fast = 0; fast < 2; fast++) {
        run_reader(&su, !fast, data, sizeof(data), NULL, 0, &t);
        assert_non_null(strstr(t.s, "row longer than 64 bytes"));
        assert_non_null(strstr(t.s, "rows=1 swallowed=0 at=0 stopped=1"));
        free(t.s);
    }
    /* a NUL in the header, then more */
    memcpy(data, "a,b\0c,d\ne,f\n", 12);
    compare(&su, data, 12);
    run_reader(&su, false, data, 12, NULL, 0, &t);
    assert_int_equal(t.rows, 1); /* the trace holds the NUL: no strstr */
    assert_memory_equal(t.s + t.len - 10, "stopped=1\n", 10);
    free(t.s);
}

static void test_8bit(void **state)
{
    struct setup su = {CSVR_CP1252, 0, 0, 0, 0};

    (void)state;
    compare_str(&su, "caf\xE9,\x80\x81\n\"\x93q\x94\",x\n");
    su.enc = CSVR_LATIN1;
    compare_str(&su, "caf\xE9,\x80\x81\n\"\x93q\x94\",x\n");
}

/* Random soup of the bytes that matter. */
static void test_random_bytes(void **state)
{
    static const char *const tok[] = {
        "a",  "bc", "\"", "\"\"", ",",    "\n",   "\r", "\r\n",  " ",
        "\t", "x",  "é",  "\xFF", "\xE2", "\x82", "12", "\"a\"",
    };
    const size_t ntok = sizeof(tok) / sizeof(tok[0]);
    unsigned char buf[400];
    struct setup su = {CSVR_UTF8, 0, 0, 0, 0};
    int it;

    (void)state;
    for (it = 0; it < 6000; it++) {
        size_t len = 0, want = 1 + rnd(120);

        while (len < want) {
            const char *t = tok[rnd((unsigned)ntok)];
            size_t n = strlen(t);

            if (len + n > sizeof(buf))
                break;
            memcpy(buf + len, t, n);
            len += n;
        }
        if (rnd(20) == 0 && len)
            buf[rnd((unsigned)len)] = '\0';
        su.max_field = rnd(4) == 0 ? 1 + rnd(12) : 0;
        su.max_row = rnd(8) == 0 ? 1 + rnd(40) : 0;
        su.enc = rnd(10) == 0 ? CSVR_CP1252 : CSVR_UTF8;
        compare(&su, buf, len);
    }
}

/* Well-formed rows (as an export has them) with an occasional flaw. */
static void test_random_rows(void **state)
{
    static const char *const val[] = {
        "NS-22-000001", "",          "Y",    "2022-07-01 00:04",
        "caf\xC3\xA9",  "two words", "a b ", " lead",
        "\xFF"};
    unsigned char buf[4096];
    struct setup su = {CSVR_UTF8, 0, 0, 0, 0};
    int it;

    (void)state;
    for (it = 0; it < 3000; it++) {
        size_t len = 0, rows = 1 + rnd(6), r, f;

        for (r = 0; r < rows; r++) {
            size_t nf = 1 + rnd(5);

            for (f = 0; f < nf; f++) {
                const char *v = val[rnd(sizeof(val) / sizeof(val[0]))];
                size_t n = strlen(v);
                int quoted = (int)rnd(3);

                if (f)
                    buf[len++] = ',';
                if (quoted == 1) {
                    size_t i, lines = rnd(3);

                    buf[len++] = '"';
                    for (i = 0; i <= lines; i++) {
                        memcpy(buf + len, v, n);
                        len += n;
                        if (rnd(4) == 0) {
                            memcpy(buf + len, "\"\"", 2);
                            len += 2;
                        }
                        if (i < lines)
                            buf[len++] = rnd(5) ? '\n' : '\r';
                    }
                    buf[len++] = '"';
                } else {
                    memcpy(buf + len, v, n);
                    len += n;
                }
                if (rnd(40) == 0) /* a flaw */
                    buf[len++] = "\" \t\rx,"[rnd(6)];
            }
            if (rnd(3) == 0)
                buf[len++] = '\r';
            if (r + 1 < rows || rnd(2))
                buf[len++] = '\n';
            assert_true(len < sizeof(buf) - 512);
        }
        su.max_field = rnd(5) == 0 ? 1 + rnd(20) : 0;
        su.stop_after = rnd(10) == 0 ? 1 + rnd(4) : 0;
        compare(&su, buf, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_line_numbers),
        cmocka_unit_test(test_field_cap),
        cmocka_unit_test(test_field_lengths),
        cmocka_unit_test(test_row_cap_and_fields),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_bad_header_stops),
        cmocka_unit_test(test_8bit),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_random_rows),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
