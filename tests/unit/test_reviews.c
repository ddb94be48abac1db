/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the fieldwork modules: reading a returned worksheet
 * (verdicts in any case, Windows-1252, .xlsx written by the worksheet
 * writer and read back by ingest/xlsx.c, spreadsheet dates), applying it
 * (substitution of the next spare of a force and stratum in rank order,
 * n/a, added findings, rejected rows named by line and field, counts that
 * add up) and the agreement table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/xlsx.h"
#include "report/reviews.h"
#include "report/worksheet.h"
#include "tmpdir.h"

static void test_verdict_parse(void **state)
{
    enum review_verdict v;

    (void)state;
    assert_int_equal(review_verdict_parse(" PASS ", &v), 0);
    assert_int_equal(v, RV_PASS);
    assert_int_equal(review_verdict_parse("Fail", &v), 0);
    assert_int_equal(v, RV_FAIL);
    assert_int_equal(review_verdict_parse("N/A", &v), 0);
    assert_int_equal(v, RV_NA);
    assert_int_equal(review_verdict_parse("\tUnavailable\r", &v), 0);
    assert_int_equal(v, RV_UNAVAILABLE);
    assert_int_equal(review_verdict_parse("", &v), 0);
    assert_int_equal(v, RV_NONE);
    assert_int_equal(review_verdict_parse("maybe", &v), -1);
    assert_int_equal(review_verdict_parse("passed", &v), -1);
}

static void test_serial_day(void **state)
{
    char d[11];

    (void)state;
    /* Excel: 45358 is 2024-03-07; 61 is 1900-03-01 (after the phantom
     * 29 February 1900); 1904 system: 0 is 1904-01-01 */
    assert_int_equal(xlsx_serial_day("45358", false, d), 0);
    assert_string_equal(d, "2024-03-07");
    assert_int_equal(xlsx_serial_day("45358.75", false, d), 0);
    assert_string_equal(d, "2024-03-07");
    assert_int_equal(xlsx_serial_day("61", false, d), 0);
    assert_string_equal(d, "1900-03-01");
    assert_int_equal(xlsx_serial_day("0", true, d), 0);
    assert_string_equal(d, "1904-01-01");
    assert_int_equal(xlsx_serial_day("60", false, d), -1);
    assert_int_equal(xlsx_serial_day("x", false, d), -1);
}

/* A manifest of one force, strata A and B: drawn A1 A2 A3 (A) and B1 (B);
 * spares SA1 SA2 (A, ranks 1, 2) and SB1 (B). */
static const char manifest[] =
    "{\"manifest_version\":1,\"method\":\"hash\",\"seed\":\"s\","
    "\"type\":\"crime\",\"per_force\":true,\"strata\":[\"x\"],"
    "\"population\":[{\"force\":\"f\",\"stratum\":\"A\",\"N\":30,\"n\":3},"
    "{\"force\":\"f\",\"stratum\":\"B\",\"N\":10,\"n\":1}],"
    "\"rows_read\":40,\"rows_accepted\":40,\"rows_rejected\":0,"
    "\"selected\":[{\"rank\":1,\"id\":\"A1\",\"force\":\"f\",\"stratum\":"
    "\"A\"},{\"rank\":2,\"id\":\"A2\",\"force\":\"f\",\"stratum\":\"A\"},"
    "{\"rank\":3,\"id\":\"A3\",\"force\":\"f\",\"stratum\":\"A\"},"
    "{\"rank\":1,\"id\":\"B1\",\"force\":\"f\",\"stratum\":\"B\"}],"
    "\"spares\":[{\"rank\":1,\"id\":\"SA1\",\"force\":\"f\",\"stratum\":"
    "\"A\"},{\"rank\":2,\"id\":\"SA2\",\"force\":\"f\",\"stratum\":\"A\"},"
    "{\"rank\":1,\"id\":\"SB1\",\"force\":\"f\",\"stratum\":\"B\"}]}";

static const char *const ids[] = {"A1", "A2", "A3", "B1", "SA1", "SA2", "SB1"};
static const char *const rules1[] = {"R1"};

struct audit1 {
    struct sampleinfo m;
    struct report_test t;
    struct report_tfile tf[7];
};

static void audit1_init(struct audit1 *a)
{
    struct ca_error err = CA_ERROR_INIT;
    size_t i;

    sampleinfo_init(&a->m);
    assert_int_equal(
        sampleinfo_parse(&a->m, "m.json", manifest, strlen(manifest), &err),
        CA_OK);
    memset(&a->t, 0, sizeof(a->t));
    a->t.id = "t";
    a->t.type = "crime";
    a->t.sample = "crime";
    a->t.rules = rules1;
    a->t.nrules = 1;
    memset(a->tf, 0, sizeof(a->tf));
    for (i = 0; i < 7; i++) {
        a->tf[i].force = "f";
        a->tf[i].id = ids[i];
        /* A1 and SA1 fail, the rest pass */
        a->tf[i].verdict = a->tf[i].tool = i == 0 || i == 4 ? V_FAIL : V_PASS;
        a->tf[i].reasons = "";
        a->tf[i].spare = i >= 4;
        a->tf[i].use = i >= 4 ? TFU_SPARE : TFU_COUNTED;
        a->tf[i].review = TFILE_NO_REVIEW;
    }
}

static void test_apply(void **state)
{
    /* A2 unavailable (SA1 takes its place), SA1 reviewed pass (it
     * counts), A3 n/a, A1 pass against the rules' fail, B1 an added
     * finding; SB1 reviewed but substitutes nothing: ignored */
    static const char csv[] =
        "test,id,reviewer,review_verdict,reviewed_on,note,added_finding\r\n"
        "t,A1,Ann, Pass ,2024-03-01,seen on paper,\r\n"
        "t,A2,Ann,UNAVAILABLE,,lost,\r\n"
        "t,A3,Ann,n/a,,not a crime,\r\n"
        "t,B1,Ann,,,,no supervision\r\n"
        "t,SA1,Ann,pass,07/03/2024,ok,\r\n"
        "t,SB1,Ann,pass,,,\r\n"
        "t,SA2,,,,,\r\n";
    struct audit1 a;
    struct reviews rv;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    audit1_init(&a);
    reviews_init(&rv);
    assert_int_equal(reviews_parse(&rv, "r.csv", csv, strlen(csv), &err),
                     CA_OK);
    assert_string_equal(rv.format, "CSV, UTF-8");
    assert_int_equal(reviews_apply(&rv, &a.t, 1, a.tf, 7, &a.m, 1, 0.95, &err),
                     CA_OK);
    assert_int_equal(rv.n, 7);
    assert_int_equal(rv.applied + rv.not_reviewed + rv.ignored + rv.rejected,
                     rv.n);
    assert_int_equal(rv.applied, 5);
    assert_int_equal(rv.ignored, 1);
    assert_int_equal(rv.not_reviewed, 1);
    assert_int_equal(rv.nsub, 1);
    assert_string_equal(rv.sub[0].id, "A2");
    assert_string_equal(rv.sub[0].spare, "SA1");
    assert_int_equal(a.tf[0].verdict, V_PASS);
    assert_int_equal(a.tf[0].tool, V_FAIL);
    assert_int_equal(a.tf[1].use, TFU_UNAVAILABLE);
    assert_int_equal(a.tf[2].use, TFU_NA);
    assert_int_equal(a.tf[3].verdict, V_FAIL);
    assert_int_equal(a.tf[4].use, TFU_COUNTED);
    assert_int_equal(a.tf[4].verdict, V_PASS);
    assert_int_equal(a.tf[6].use, TFU_SPARE);
    assert_string_equal(rv.v[4].reviewed_on, "2024-03-07");
    /* agreement over A1 (rules fail, reviewer pass), B1 (pass, fail) and
     * SA1 (fail, pass): none agree */
    assert_int_equal(rv.nag, 1);
    assert_int_equal(rv.ag[0].tab[0], 0);
    assert_int_equal(rv.ag[0].tab[1], 1);
    assert_int_equal(rv.ag[0].tab[2], 2);
    assert_int_equal(rv.ag[0].tab[3], 0);
    assert_int_equal(rv.ag[0].ndisagree, 3);
    reviews_release(&rv);
    sampleinfo_release(&a.m);
}

static void test_spare_unavailable_passed_over(void **state)
{
    /* A1 and A2 unavailable; SA1 unavailable too: A1 gets SA2, A2 none */
    static const char csv[] = "test,id,reviewer,review_verdict,note\n"
                              "t,A2,Ann,unavailable,lost\n"
                              "t,A1,Ann,unavailable,lost\n"
                              "t,SA1,Ann,unavailable,lost\n";
    struct audit1 a;
    struct reviews rv;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    audit1_init(&a);
    reviews_init(&rv);
    assert_int_equal(reviews_parse(&rv, "r.csv", csv, strlen(csv), &err),
                     CA_OK);
    assert_int_equal(reviews_apply(&rv, &a.t, 1, a.tf, 7, &a.m, 1, 0.95, &err),
                     CA_OK);
    assert_int_equal(rv.nsub, 2);
    assert_string_equal(rv.sub[0].id, "A1");
    assert_string_equal(rv.sub[0].spare, "SA2");
    assert_int_equal(rv.sub[0].spare_rank, 2);
    assert_string_equal(rv.sub[1].id, "A2");
    assert_null(rv.sub[1].spare);
    assert_int_equal(a.tf[5].use, TFU_COUNTED);
    reviews_release(&rv);
    sampleinfo_release(&a.m);
}

static void test_rejected(void **state)
{
    static const char csv[] = "test,id,reviewer,review_verdict,note\n"
                              "t,A1,Ann,pass,why\n"
                              "t,A2,Ann,maybe,\n"
                              "t,ZZ,Ann,pass,\n";
    struct audit1 a;
    struct reviews rv;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    audit1_init(&a);
    reviews_init(&rv);
    assert_int_equal(reviews_parse(&rv, "r.csv", csv, strlen(csv), &err),
                     CA_OK);
    assert_int_equal(reviews_apply(&rv, &a.t, 1, a.tf, 7, &a.m, 1, 0.95, &err),
                     CA_DATA);
    assert_int_equal(rv.rejected, 2);
    assert_string_equal(rv.rej[0], "r.csv:3: review_verdict: 'maybe' is not "
                                   "one of pass, fail, n/a, unavailable");
    assert_string_equal(rv.rej[1], "r.csv:4: id: 'ZZ' is not a checked file "
                                   "of test 't' (was the worksheet made by "
                                   "another run?)");
    reviews_release(&rv);
    sampleinfo_release(&a.m);
}

static void test_cp1252(void **state)
{
    /* "Siân O’Neill" as Windows-1252: â = E2, ’ = 92 */
    static const char csv[] = "test,id,reviewer,review_verdict,note\n"
                              "t,A2,Si\xE2n O\x92Neill,pass,\n";
    struct reviews rv;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    reviews_init(&rv);
    assert_int_equal(reviews_parse(&rv, "r.csv", csv, strlen(csv), &err),
                     CA_OK);
    assert_string_equal(rv.format, "CSV, Windows-1252");
    assert_string_equal(rv.v[0].reviewer, "Si\xC3\xA2n O\xE2\x80\x99Neill");
    reviews_release(&rv);
}

/* The worksheet writer's workbook read back by the .xlsx reader. */
struct cells {
    char text[8][WS__COUNT][64];
    size_t rows;
};

static enum ca_status collect(void *ctx, unsigned long row,
                              const struct xlsx_cell *c, size_t n,
                              struct ca_error *err)
{
    struct cells *x = ctx;
    size_t i;

    (void)row;
    (void)err;
    for (i = 0; i < n && i < WS__COUNT && x->rows < 8; i++)
        snprintf(x->text[x->rows][i], 64, "%s", c[i].text);
    x->rows++;
    return CA_OK;
}

static void test_xlsx_round_trip(void **state)
{
    struct worksheet w;
    struct ca_error err = CA_ERROR_INIT;
    struct cells *x = calloc(1, sizeof(*x));
    char path[300], *data;
    FILE *fp;
    long n;
    size_t k;
    bool d1904 = true;

    (void)state;
    assert_non_null(x);
    worksheet_init(&w);
    w.rows = calloc(2, sizeof(*w.rows));
    assert_non_null(w.rows);
    w.n = w.alloc = 2;
    for (k = 0; k < WS__COUNT; k++) {
        w.rows[0].v[k] = strdup(k == WS_ID ? "C<1>&\"x\"" : "");
        w.rows[1].v[k] =
            strdup(k == WS_EVIDENCE ? "Siân O’Neill\nline 2" : "y");
    }
    snprintf(path, sizeof(path), "%s/w.xlsx", tmpdir);
    assert_int_equal(worksheet_write_xlsx(&w, path, &err), CA_OK);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    data = malloc((size_t)n);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    assert_true(xlsx_sniff(data, (size_t)n));
    assert_int_equal(
        xlsx_read("w.xlsx", data, (size_t)n, collect, x, &d1904, &err), CA_OK);
    assert_false(d1904);
    assert_int_equal(x->rows, 3);
    assert_string_equal(x->text[0][WS_FORCE], "force");
    assert_string_equal(x->text[0][WS_ADDED], "added_finding");
    assert_string_equal(x->text[1][WS_ID], "C<1>&\"x\"");
    assert_string_equal(x->text[2][WS_EVIDENCE], "Siân O’Neill\nline 2");
    /* a zip that is no workbook, and bytes that are no zip */
    assert_int_equal(xlsx_read("w.xlsx", data, 30, collect, x, NULL, &err),
                     CA_DATA);
    free(data);
    free(x);
    worksheet_release(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_parse),
        cmocka_unit_test(test_serial_day),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_spare_unavailable_passed_over),
        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_xlsx_round_trip),
    };

    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
