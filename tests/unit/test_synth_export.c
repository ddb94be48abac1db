/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for synth/export.c: the files `caseaudit gen` writes.  The
 * same options give byte-identical files, mode 0600, with one truth row per
 * record; the zip holds exactly the rows of the CSV files, grouped by the
 * month of each record's main date.  (The records and their truth are
 * tested in test_synth.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "synth/gen.h"
#include "util/status.h"

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
        cmocka_unit_test(test_export_files),
        cmocka_unit_test(test_export_zip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
