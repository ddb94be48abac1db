/* SPDX-License-Identifier: MIT */
/* Unit tests for util/: error formatting, buffers, CSV writing, SHA-256,
 * private atomic output files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/csvw.h"
#include "util/escape.h"
#include "util/hmap.h"
#include "util/array.h"
#include "util/outdir.h"
#include "util/outfile.h"
#include "util/sha256.h"
#include "util/status.h"

static void test_error_format(void **state)
{
    struct ca_error e = CA_ERROR_INIT;
    char buf[256];

    (void)state;
    assert_int_equal(ca_error_set(&e, CA_DATA, "x.csv", 12, "recorded_at",
                                  "bad date '%s'", "31/02/2014"),
                     CA_DATA);
    assert_string_equal(ca_error_format(&e, buf, sizeof(buf)),
                        "x.csv:12: field 'recorded_at': bad date '31/02/2014'");
    ca_error_set_col(&e, 7);
    assert_string_equal(
        ca_error_format(&e, buf, sizeof(buf)),
        "x.csv:12:7: field 'recorded_at': bad date '31/02/2014'");
    ca_error_set(&e, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    assert_string_equal(ca_error_format(&e, buf, sizeof(buf)), "out of memory");
    /* truncation never overflows */
    ca_error_format(&e, buf, 4);
    assert_string_equal(buf, "out");
}

static void test_buf_cap(void **state)
{
    struct buf b;

    (void)state;
    buf_init(&b, 8);
    assert_string_equal(b.data, "");
    assert_int_equal(buf_addstr(&b, "12345678"), 0);
    assert_int_equal(buf_addch(&b, '9'), -1); /* over the cap */
    assert_int_equal(b.len, 8);
    assert_string_equal(b.data, "12345678");
    buf_reset(&b);
    assert_int_equal(buf_printf(&b, "%d-%s", 42, "x"), 0);
    assert_string_equal(b.data, "42-x");
    buf_release(&b);
}

static char *csv_of(void (*fill)(struct csvw *))
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    struct csvw w;

    csvw_init(&w, f);
    fill(&w);
    fclose(f);
    return p;
}

static void fill_quoting(struct csvw *w)
{
    csvw_str(w, "plain");
    csvw_str(w, "a,b");
    csvw_str(w, "say \"hi\"");
    csvw_str(w, "two\nlines");
    csvw_str(w, "=HYPERLINK(\"x\")");
    csvw_str(w, "-12");
    csvw_str(w, NULL);
    csvw_end_row(w);
}

static void test_csvw_quoting(void **state)
{
    char *s = csv_of(fill_quoting);

    (void)state;
    assert_string_equal(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
                           "\"'=HYPERLINK(\"\"x\"\")\",-12,\n");
    free(s);
}

/* Fields of every length up to 70 with one byte that needs quotes (or
 * none) at every place but the first (where a CR asks for the formula
 * guard), as csvw_str writes them against a plain reference: the 16-byte
 * blocks, the 8-byte words and the bytes after them alike. */
static void test_csvw_quote_places(void **state)
{
    static const char special[] = {',', '"', '\n', '\r', 'q'};
    size_t len, at, k;

    (void)state;
    for (len = 2; len <= 70; len++)
        for (at = 1; at < len; at++)
            for (k = 0; k < sizeof(special); k++) {
                char field[80], want[200], *got = NULL;
                size_t n = 0, o = 0, i;
                FILE *f = open_memstream(&got, &n);
                struct csvw w;
                bool quote = special[k] != 'q';

                for (i = 0; i < len; i++)
                    field[i] = (char)('a' + i % 26);
                field[at] = special[k];
                field[len] = '\0';
                if (quote)
                    want[o++] = '"';
                for (i = 0; i < len; i++) {
                    want[o++] = field[i];
                    if (field[i] == '"')
                        want[o++] = '"';
                }
                if (quote)
                    want[o++] = '"';
                want[o++] = '\n';
                want[o] = '\0';
                assert_non_null(f);
                csvw_init(&w, f);
                csvw_str(&w, field);
                csvw_end_row(&w);
                fclose(f);
                assert_string_equal(got, want);
                free(got);
            }
}

static void fill_guard(struct csvw *w)
{
    csvw_str(w, "-1+cmd|' /C calc'!A0"); /* '-' then a digit: still a formula */
    csvw_str(w, "+3.5");                 /* plain numbers stay as they are */
    csvw_str(w, "-12");
    csvw_str(w, "@SUM(A1)");
    csvw_str(w, "'=kept"); /* a quote that looks like a guard is kept */
    csvw_str(w, "''");
    csvw_str(w, "'plain");
    csvw_str(w, "-");
    csvw_end_row(w);
}

static void test_csvw_formula_guard(void **state)
{
    char *s = csv_of(fill_guard);

    (void)state;
    assert_string_equal(s, "'-1+cmd|' /C calc'!A0,+3.5,-12,'@SUM(A1),''=kept,"
                           "''',"
                           "'plain,'-\n");
    free(s);
    assert_true(csvw_plain_number("0", 1));
    assert_true(csvw_plain_number("-0.25", 5));
    assert_false(csvw_plain_number("1.", 2));
    assert_false(csvw_plain_number("-", 1));
    assert_false(csvw_plain_number("1e5", 3));
    assert_false(csvw_plain_number("", 0));
}

static uint64_t row_rng = 88172645463325252ull;

static uint64_t row_rand(void)
{
    row_rng ^= row_rng << 13; /* xorshift64 */
    row_rng ^= row_rng >> 7;
    row_rng ^= row_rng << 17;
    return row_rng;
}

/* A field as it must be written: quoted when it holds a comma, quote or
 * line end, its quotes doubled, guarded as csvw_guarded says. */
static size_t expected_field(char *out, const char *v)
{
    size_t len = v ? strlen(v) : 0, o = 0, i;
    bool quote = false;

    for (i = 0; i < len; i++)
        quote = quote || strchr(",\"\n\r", v[i]) != NULL;
    if (quote)
        out[o++] = '"';
    if (len && csvw_guarded(v, len))
        out[o++] = '\'';
    for (i = 0; i < len; i++) {
        out[o++] = v[i];
        if (v[i] == '"')
            out[o++] = '"';
    }
    if (quote)
        out[o++] = '"';
    return o;
}

/* csvw_row writes a row as csvw_field does field by field, and as the
 * quoting rules say: random rows of plain text, commas, quotes, line ends
 * and formula characters, some fields longer than its buffer, some
 * NULL. */
static void test_csvw_row(void **state)
{
    static const char alpha[] = "ab1 ,\"\r\n=+-@\t'.";
    static char vals[6][5000];
    const char *v[6];
    char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0, i, k, j;
    FILE *fa = open_memstream(&a, &na), *fb = open_memstream(&b, &nb);
    struct csvw wa, wb;
    static char field[2 * 5000 + 4];
    struct buf want;

    (void)state;
    buf_init(&want, 0);
    csvw_init(&wa, fa);
    csvw_init(&wb, fb);
    for (i = 0; i < 3000; i++) {
        for (k = 0; k < 6; k++) {
            size_t len =
                row_rand() % 8 == 0 ? row_rand() % 4999 : row_rand() % 12;

            for (j = 0; j < len; j++)
                vals[k][j] = alpha[row_rand() % (sizeof(alpha) - 1)];
            vals[k][len] = '\0';
            v[k] = row_rand() % 7 == 0 ? NULL : vals[k];
        }
        csvw_row(&wa, v, 6);
        for (k = 0; k < 6; k++)
            csvw_str(&wb, v[k]);
        csvw_end_row(&wb);
        for (k = 0; k < 6; k++) {
            assert_int_equal(k ? buf_addch(&want, ',') : 0, 0);
            assert_int_equal(buf_add(&want, field, expected_field(field, v[k])),
                             0);
        }
        assert_int_equal(buf_addch(&want, '\n'), 0);
    }
    fclose(fa);
    fclose(fb);
    assert_true(na > 100000);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    assert_int_equal(na, want.len);
    assert_memory_equal(a, want.data, na);
    free(a);
    free(b);
    buf_release(&want);
}

/* Every value over a small alphabet of the characters that matter, up to 5
 * long: csvw_unguard gives back exactly the value written, and a written
 * value never starts with a formula character unless it is a number. */
static void test_csvw_guard_round_trip(void **state)
{
    static const char alpha[] = "=+-@\t\r'1.a";
    const size_t na = sizeof(alpha) - 1;
    char v[6];
    size_t len, idx[5], i;
    unsigned long total = 0;

    (void)state;
    for (len = 0; len <= 5; len++) {
        memset(idx, 0, sizeof(idx));
        for (;;) {
            bool g;
            char out[7];
            size_t olen = 0, skip;

            for (i = 0; i < len; i++)
                v[i] = alpha[idx[i]];
            v[len] = '\0';
            g = csvw_guarded(v, len);
            if (g)
                out[olen++] = '\'';
            memcpy(out + olen, v, len);
            olen += len;
            skip = csvw_unguard(out, olen);
            assert_int_equal(skip, g ? 1 : 0);
            assert_int_equal(olen - skip, len);
            assert_memory_equal(out + skip, v, len);
            if (olen && strchr("=+-@\t\r", out[0]))
                assert_true(csvw_plain_number(out, olen));
            total++;
            for (i = 0; i < len && ++idx[i] == na; i++)
                idx[i] = 0;
            if (i == len)
                break;
        }
    }
    assert_true(total > 100000);
}

static char *term_of(const char *s, size_t len)
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);

    assert_non_null(f);
    assert_int_equal(escape_term_write(f, s, len), 0);
    fclose(f);
    return p;
}

static void test_escape_term(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"city-of-london", "city-of-london"},
        {"caf\xC3\xA9 \\ ok", "caf\xC3\xA9 \\ ok"}, /* UTF-8, backslash */
        {"\x1B[31mred\x1B]0;title\x07", "\\e[31mred\\e]0;title\\x07"},
        {"a\nb\tc\r\x7F", "a\\nb\\tc\\r\\x7f"},
        {"\xC2\x9B"
         "2J",
         "\\u{009b}2J"}, /* C1 CSI */
        {"abc\xE2\x80\xAE"
         "cba",
         "abc\\u{202e}cba"},                 /* bidi override */
        {"\xFF\xC0\xAF", "\\xff\\xc0\\xaf"}, /* not UTF-8 */
        {"\xE2\x82", "\\xe2\\x82"},          /* cut short */
    };
    char buf[64], *w;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_string_equal(escape_term(buf, sizeof(buf), cases[i].in),
                            cases[i].out);
        w = term_of(cases[i].in, strlen(cases[i].in));
        assert_string_equal(w, cases[i].out);
        free(w);
    }
    assert_string_equal(escape_term(buf, sizeof(buf), NULL), "");
    /* cut at a character, with "...", never past the buffer */
    assert_string_equal(escape_term(buf, 10, "abcdefghijkl"), "abcdef...");
    assert_string_equal(escape_term(buf, 10, "abcdefghi"), "abcdefghi");
    assert_string_equal(escape_term(buf, 10, "abcd\xC3\xA9\xC3\xA9xyz"),
                        "abcd\xC3\xA9...");
    assert_string_equal(escape_term(buf, 8, "\x1B\x1B\x1B\x1B"), "\\e\\e...");
    /* a NUL inside the data written is shown too */
    w = term_of("a\0b", 3);
    assert_string_equal(w, "a\\x00b");
    free(w);
    /* the formatted text is escaped, format included */
    {
        char *p = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&p, &n);

        assert_non_null(f);
        assert_int_equal(escape_term_printf(f, "force '%s'\n", "\x1B[2J"), 0);
        fclose(f);
        assert_string_equal(p, "force '\\e[2J'\\n");
        free(p);
    }
}

static char *md_of(const char *s, enum escape_md_ctx ctx)
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);

    assert_non_null(f);
    assert_int_equal(escape_md_write(f, s, ctx), 0);
    fclose(f);
    return p;
}

static void test_escape_md(void **state)
{
    static const struct {
        const char *in, *text, *heading;
    } cases[] = {
        {"city-of-london", "city-of-london", "city-of-london"},
        {"# x #", "\\# x #", "\\# x \\#"},
        {"*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`",
         "\\*bold\\* \\_it\\_ \\`code\\`"},
        {"[a](http://x) ![i](y)", "\\[a\\](http://x) \\!\\[i\\](y)",
         "\\[a\\](http://x) \\!\\[i\\](y)"},
        {"<script>&amp;|x|", "\\<script\\>\\&amp;\\|x\\|",
         "\\<script\\>\\&amp;\\|x\\|"},
        {"=cmd", "\\=cmd", "\\=cmd"},
        {"- item", "\\- item", "\\- item"},
        {"  + item", "  \\+ item", "  \\+ item"},
        {"12. x", "12\\. x", "12\\. x"},
        {"3) x 4.", "3\\) x 4.", "3\\) x 4."},
        {"a\nb\r\tc", "a b  c", "a b  c"},
        {"\x1B[31m", "\\\\x1b\\[31m", "\\\\x1b\\[31m"},
        {"a\\b", "a\\\\b", "a\\\\b"},
    };
    size_t i;
    char *s;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s = md_of(cases[i].in, ESCAPE_MD_TEXT);
        assert_string_equal(s, cases[i].text);
        free(s);
        s = md_of(cases[i].in, ESCAPE_MD_HEADING);
        assert_string_equal(s, cases[i].heading);
        free(s);
    }
    s = md_of(NULL, ESCAPE_MD_TEXT);
    assert_string_equal(s, "");
    free(s);
}

static void test_sha256_known(void **state)
{
    unsigned char d[32];
    char hex[65];

    (void)state;
    /* FIPS 180-2 test vector */
    sha256_buf("abc", 3, d);
    sha256_hex(d, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
    sha256_buf("", 0, d);
    sha256_hex(d, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                             "27ae41e4649b934ca495991b7852b855");
}

static void test_outfile_private_atomic(void **state)
{
    char dir[] = "/tmp/ca-test-XXXXXX";
    char path[256];
    struct outfile o;
    struct ca_error e = CA_ERROR_INIT;
    struct stat st;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/out.csv", dir);
    assert_int_equal(outfile_open(&o, path, &e), CA_OK);
    fputs("secret\n", o.fp);
    /* not visible under its final name until committed */
    assert_int_not_equal(stat(path, &st), 0);
    assert_int_equal(outfile_commit(&o, &e), CA_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 7);
    /* an aborted file leaves nothing behind */
    snprintf(path, sizeof(path), "%s/gone.csv", dir);
    assert_int_equal(outfile_open(&o, path, &e), CA_OK);
    outfile_abort(&o);
    assert_int_not_equal(stat(path, &st), 0);
    snprintf(path, sizeof(path), "%s/out.csv", dir);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

/* util/outdir: a directory put in place whole, or nothing left at all. */
static bool owned_csv(const char *name)
{
    size_t n = strlen(name);

    return n > 4 && strcmp(name + n - 4, ".csv") == 0;
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    if (!d)
        return -1;
    while ((de = readdir(d)) != NULL)
        n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void test_outdir_whole(void **state)
{
    char base[] = "/tmp/ca-outdir-XXXXXX", t[256], p[4200], buf[4300];
    char shown[4300];
    struct ca_error e = CA_ERROR_INIT;
    struct outdir d;
    struct stat st;
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(base));
    snprintf(t, sizeof(t), "%s/new/a/out/", base);
    /* a missing target, and missing parents: abort leaves nothing */
    assert_int_equal(outdir_begin(&d, t, false, owned_csv, &e), CA_OK);
    assert_int_equal(stat(d.path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    put(d.path, "a.csv", "half");
    outdir_abort(&d);
    assert_int_equal(entries(base), 0);
    /* commit renames it in; the shown name is the target's */
    assert_int_equal(outdir_begin(&d, t, false, owned_csv, &e), CA_OK);
    snprintf(p, sizeof(p), "%s/a.csv", d.path);
    snprintf(buf, sizeof(buf), "%s/new/a/out/a.csv", base);
    assert_string_equal(outdir_shown(&d, p, shown, sizeof(shown)), buf);
    put(d.path, "a.csv", "first");
    put(d.path, "b.csv", "first");
    assert_int_equal(outdir_commit(&d, &e), CA_OK);
    assert_int_equal(entries(t), 2);
    /* not empty: refused without force */
    assert_int_equal(outdir_check(t, false, &e), CA_USAGE);
    assert_int_equal(outdir_begin(&d, t, false, owned_csv, &e), CA_USAGE);
    /* with force: the owned files are replaced or go, the others stay */
    put(t, "notes.txt", "mine");
    assert_int_equal(outdir_begin(&d, t, true, owned_csv, &e), CA_OK);
    assert_false(d.in_place);
    put(d.path, "a.csv", "second");
    assert_int_equal(outdir_commit(&d, &e), CA_OK);
    assert_int_equal(entries(t), 2); /* a.csv, notes.txt */
    snprintf(p, sizeof(p), "%s/a.csv", t);
    f = fopen(p, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    assert_string_equal(buf, "second");
    snprintf(p, sizeof(p), "%s/notes.txt", t);
    assert_int_equal(stat(p, &st), 0);
    /* aborted with force: the old directory is untouched */
    assert_int_equal(outdir_begin(&d, t, true, owned_csv, &e), CA_OK);
    put(d.path, "c.csv", "third");
    outdir_abort(&d);
    assert_int_equal(entries(t), 2);
    snprintf(p, sizeof(p), "%s/new/a", base);
    assert_int_equal(entries(p), 1);
    /* a folder of its own: updated in place, the folder kept */
    snprintf(p, sizeof(p), "%s/sub", t);
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(outdir_begin(&d, t, true, owned_csv, &e), CA_OK);
    assert_true(d.in_place);
    put(d.path, "d.csv", "fourth");
    assert_int_equal(outdir_commit(&d, &e), CA_OK);
    assert_int_equal(entries(t), 3); /* d.csv, notes.txt, sub */
    assert_int_equal(rmdir(p), 0);
    /* a stray of a process that is gone goes with force */
    snprintf(p, sizeof(p),
             "%s/new/a/" OUTDIR_STAGING_PREFIX "2147483646-abcdef", base);
    assert_int_equal(mkdir(p, 0700), 0);
    put(p, "x.csv", "stray");
    assert_int_equal(outdir_begin(&d, t, true, owned_csv, &e), CA_OK);
    assert_int_not_equal(stat(p, &st), 0);
    outdir_abort(&d);
    /* a file is not a directory */
    snprintf(p, sizeof(p), "%s/d.csv", t);
    assert_int_equal(outdir_check(p, true, &e), CA_USAGE);
    snprintf(buf, sizeof(buf), "rm -rf '%s'", base);
    assert_int_equal(system(buf), 0);
}

/* growth: every key found after many doublings, the count right, values
 * kept, and iteration sees each key once */
static void test_hmap_growth(void **state)
{
    struct hmap m = HMAP_INIT;
    struct hmap_entry *e;
    char key[32];
    size_t i, seen = 0;

    (void)state;
    assert_null(hmap_find(&m, "x", 1));
    for (i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof(key), "key-%zu", i);

        assert_int_equal(hmap_put(&m, key, (size_t)n, &e), 1);
        e->val = i + 1;
    }
    assert_int_equal(m.n, 5000);
    assert_true(m.cap >= 5000 * 4 / 3);
    assert_int_equal(m.cap & (m.cap - 1), 0);
    for (i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof(key), "key-%zu", i);

        e = hmap_find(&m, key, (size_t)n);
        assert_non_null(e);
        assert_int_equal(e->val, i + 1);
        assert_string_equal(e->key, key);
        assert_int_equal(hmap_put(&m, key, (size_t)n, &e), 0);
        assert_int_equal(e->val, i + 1);
    }
    for (i = 0; i < m.cap; i++)
        seen += m.v[i].key != NULL;
    assert_int_equal(seen, 5000);
    assert_null(hmap_find(&m, "key-5000", 8));
    hmap_release(&m);
    assert_int_equal(m.n, 0);
    assert_null(hmap_find(&m, "key-1", 5));
}

/* keys are bytes: embedded NULs, prefixes and the empty key are distinct;
 * a full table of colliding slots still finds each key */
static void test_hmap_collisions(void **state)
{
    struct hmap m = HMAP_INIT;
    struct hmap_entry *e;
    static const char a[] = "a\0b", b[] = "a\0c";
    size_t i, j, n;

    (void)state;
    assert_int_equal(hmap_put(&m, a, 3, &e), 1);
    e->val = 1;
    assert_int_equal(hmap_put(&m, b, 3, &e), 1);
    e->val = 2;
    assert_int_equal(hmap_put(&m, "a", 1, &e), 1);
    e->val = 3;
    assert_int_equal(hmap_put(&m, "", 0, &e), 1);
    e->val = 4;
    assert_int_equal(hmap_find(&m, a, 3)->val, 1);
    assert_int_equal(hmap_find(&m, b, 3)->val, 2);
    assert_int_equal(hmap_find(&m, "a", 1)->val, 3);
    assert_int_equal(hmap_find(&m, "", 0)->val, 4);
    assert_int_equal(hmap_find(&m, a, 3)->klen, 3);
    assert_int_equal(hmap_hash("", 0), 1469598103934665603ULL);
    assert_true(hmap_hash("a", 1) != hmap_hash("b", 1));
    hmap_release(&m);
    /* keys that share their home slot in a 16-slot table probe on */
    for (i = 0, n = 0; n < 10 && i < 100000; i++) {
        char k[16];
        int len = snprintf(k, sizeof(k), "%zu", i);

        if ((hmap_hash(k, (size_t)len) & 15) != 3)
            continue;
        assert_int_equal(hmap_put(&m, k, (size_t)len, &e), 1);
        e->val = i;
        n++;
    }
    assert_int_equal(m.n, 10);
    for (i = 0, j = 0; j < m.n; i++) {
        char k[16];
        int len = snprintf(k, sizeof(k), "%zu", i);

        if ((hmap_hash(k, (size_t)len) & 15) != 3)
            continue;
        e = hmap_find(&m, k, (size_t)len);
        assert_non_null(e);
        assert_int_equal(e->val, i);
        j++;
    }
    hmap_release(&m);
}

static int fail_after; /* allocations left before failing */

static void *failing_calloc(size_t n, size_t size)
{
    if (fail_after-- <= 0)
        return NULL;
    return calloc(n, size);
}

/* allocation failure: -1 and the map as it was, for a key and for the
 * table's growth; the map works once memory is back */
static void test_hmap_alloc_failure(void **state)
{
    struct hmap m = HMAP_INIT;
    struct hmap_entry *e;
    char key[16];
    size_t i;
    int k;

    (void)state;
    m.alloc = failing_calloc;
    for (k = 0; k < 40; k++) {
        fail_after = k;
        for (i = 0; i < 20; i++) {
            int n = snprintf(key, sizeof(key), "k%zu", i);
            size_t before = m.n;
            int r = hmap_put(&m, key, (size_t)n, &e);

            if (r < 0) {
                assert_null(e);
                assert_int_equal(m.n, before);
                assert_null(hmap_find(&m, key, (size_t)n));
                break;
            }
            e->val = i;
        }
        for (i = 0; i < m.n; i++) {
            int n = snprintf(key, sizeof(key), "k%zu", i);

            assert_non_null(hmap_find(&m, key, (size_t)n));
        }
        hmap_release(&m);
        assert_true(m.alloc == failing_calloc);
    }
    fail_after = 1000;
    assert_int_equal(hmap_put(&m, "x", 1, &e), 1);
    hmap_release(&m);
}

/* array_grow: doubling from 16, contents kept, overflow refused */
static void test_array_grow(void **state)
{
    int *v = NULL;
    size_t alloc = 0, i;

    (void)state;
    assert_int_equal(array_grow(&v, &alloc, 1, sizeof(*v)), 0);
    assert_int_equal(alloc, 16);
    for (i = 0; i < 1000; i++) {
        assert_int_equal(array_grow(&v, &alloc, i + 1, sizeof(*v)), 0);
        v[i] = (int)i;
    }
    assert_int_equal(alloc, 1024);
    for (i = 0; i < 1000; i++)
        assert_int_equal(v[i], (int)i);
    assert_int_equal(array_grow(&v, &alloc, SIZE_MAX / 2, sizeof(*v)), -1);
    assert_int_equal(alloc, 1024);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_format),
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_csvw_quoting),
        cmocka_unit_test(test_csvw_quote_places),
        cmocka_unit_test(test_escape_term),
        cmocka_unit_test(test_escape_md),
        cmocka_unit_test(test_csvw_formula_guard),
        cmocka_unit_test(test_csvw_row),
        cmocka_unit_test(test_csvw_guard_round_trip),
        cmocka_unit_test(test_sha256_known),
        cmocka_unit_test(test_outfile_private_atomic),
        cmocka_unit_test(test_outdir_whole),
        cmocka_unit_test(test_hmap_growth),
        cmocka_unit_test(test_hmap_collisions),
        cmocka_unit_test(test_hmap_alloc_failure),
        cmocka_unit_test(test_array_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
