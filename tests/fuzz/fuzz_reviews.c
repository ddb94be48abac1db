/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the reviews reader (report/reviews.c): any bytes
 * are read as a returned worksheet (CSV in UTF-8 or Windows-1252, or an
 * .xlsx workbook) and applied to a small audit of two tests, four files
 * and a spare, so that matching, validation, substitution and the
 * agreement are exercised too.  Build with `make fuzz`; run e.g.
 *   build/fuzz/fuzz_reviews -max_total_time=60 tests/fuzz/corpus/reviews
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/reviews.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char manifest[] =
    "{\"manifest_version\":1,\"method\":\"hash\",\"seed\":\"s\","
    "\"type\":\"crime\",\"per_force\":true,\"strata\":[],"
    "\"population\":[{\"force\":\"f\",\"stratum\":\"\",\"N\":40,\"n\":4}],"
    "\"rows_read\":40,\"rows_accepted\":40,\"rows_rejected\":0,"
    "\"selected\":[{\"rank\":1,\"id\":\"A\",\"force\":\"f\",\"stratum\":\"\"},"
    "{\"rank\":2,\"id\":\"B\",\"force\":\"f\",\"stratum\":\"\"},"
    "{\"rank\":3,\"id\":\"C\",\"force\":\"f\",\"stratum\":\"\"},"
    "{\"rank\":4,\"id\":\"D\",\"force\":\"f\",\"stratum\":\"\"}],"
    "\"spares\":[{\"rank\":1,\"id\":\"S\",\"force\":\"f\",\"stratum\":\"\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ids[] = {"A", "B", "C", "D", "S"};
    static const char *const rules[] = {"R1"};
    struct report_test t[2];
    struct report_tfile tf[10];
    struct sampleinfo m;
    struct reviews rv;
    struct ca_error err = CA_ERROR_INIT;
    size_t i;

    sampleinfo_init(&m);
    if (sampleinfo_parse(&m, "m.json", manifest, strlen(manifest), &err) !=
        CA_OK) {
        sampleinfo_release(&m);
        return 0;
    }
    memset(t, 0, sizeof(t));
    for (i = 0; i < 2; i++) {
        t[i].id = i ? "t2" : "t1";
        t[i].type = "crime";
        t[i].sample = "crime";
        t[i].rules = rules;
        t[i].nrules = 1;
    }
    memset(tf, 0, sizeof(tf));
    for (i = 0; i < 10; i++) {
        tf[i].test = (uint32_t)(i / 5);
        tf[i].force = "f";
        tf[i].id = ids[i % 5];
        tf[i].verdict = tf[i].tool = i % 3 ? V_PASS : V_FAIL;
        tf[i].reasons = "";
        tf[i].spare = i % 5 == 4;
        tf[i].use = tf[i].spare ? TFU_SPARE : TFU_COUNTED;
        tf[i].review = TFILE_NO_REVIEW;
    }
    reviews_init(&rv);
    if (reviews_parse(&rv, "fuzz.csv", (const char *)data, size, &err) == CA_OK)
        (void)reviews_apply(&rv, t, 2, tf, 10, &m, 1, 0.95, &err);
    reviews_release(&rv);
    sampleinfo_release(&m);
    return 0;
}
