/* SPDX-License-Identifier: MIT */
/*
 * Rules judged the short way (engine/checks.c: must_contain's near miss
 * worked out only when no entry qualifies) against the long way
 * (engine_limits.no_early): the same findings, byte for byte, on
 * generated exports of every log style and the rule fixtures, also when
 * a low match limit makes entries that cannot be judged.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/findings.h"
#include "engine/rules.h"
#include "ingest/ingest.h"
#include "synth/gen.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/twin.h"

static size_t count(const char *buf, size_t len, const char *needle)
{
    size_t n = 0, l = strlen(needle);
    const char *p = buf, *end = buf + len;

    while (p < end && (p = memmem(p, (size_t)(end - p), needle, l))) {
        n++;
        p += l;
    }
    return n;
}

/* The findings of every input, judged the short and the long way with
 * match limit ml (0: the default); asserts they are the same and returns
 * how many near misses of an author's rank they name. */
static size_t same_findings(const char *const *inputs, size_t ninputs,
                            uint32_t ml, uint64_t min_records, size_t *errors)
{
    struct engine_limits on = {0}, off = {0};
    char *bon;
    size_t lon, rank;

    on.match_limit = off.match_limit = ml;
    off.no_early = true;
    assert_true(twin_compare(&on, &off, inputs, ninputs, true, &bon, &lon) >
                min_records);
    rank = count(bon, lon, "its author's rank does not qualify)");
    *errors = count(bon, lon, ",error,");
    free(bon);
    return rank;
}

static void test_same_findings(void **state)
{
    char dirs[5][512];
    const char *inputs[6];
    size_t i, errors, rank;

    (void)state;
    twin_style_exports("early", dirs);
    for (i = 0; i < 5; i++)
        inputs[i] = dirs[i];
    inputs[5] = "../../fixtures/rules";
    rank = same_findings(inputs, 6, 0, 7000, &errors);
    /* the near misses put off and then settled are among them */
    assert_true(rank > 100);
    assert_int_equal(errors, 0);
}

/* A match limit so low that some entries cannot be judged: the short way
 * meets them where the long way would not, and goes the long way. */
static void test_same_errors(void **state)
{
    char dirs[5][512];
    const char *inputs[1];
    size_t errors;

    (void)state;
    twin_style_exports("early", dirs);
    inputs[0] = dirs[0];
    (void)same_findings(inputs, 1, 60, 1000, &errors);
    assert_true(errors > 10);
}

/* Entries at the same time (the evidence is the first or the last of
 * them), and near misses by an author's rank before others. */
static void test_hand_cases(void **state)
{
    static const char *const rows[] = {
        /* max_gap's evidence: the last qualifying entry of its time */
        "C1,kent,I1,Theft,other,2023-01-01 09:00,2023-01-01 10:00,Y,N,N,N,"
        "closed,18,2023-01-25 10:00,PC 1 Ames,East,\"2023-01-01 10:00 PC 1 "
        "Ames: Victim updated "
        "by phone.\n2023-01-01 10:00 PC 1 Ames: Spoke to the victim, told "
        "of progress.\n2023-01-20 10:00 PC 1 Ames: Victim updated by "
        "letter.\n2023-01-20 10:00 PC 1 Ames: IP informed by email.\"",
        /* a gap from an entry: the first qualifying entry of its time */
        "C2,kent,I2,Theft,other,2022-01-01 09:00,2022-01-01 10:00,Y,N,N,N,"
        "open,,,PC 1 Ames,East,\"2022-01-02 10:00 PC 1 Ames: Victim updated "
        "by phone.\n2022-01-02 10:00 PC 1 Ames: Spoke to the victim, told "
        "of progress.\n2022-06-20 10:00 PC 1 Ames: Victim updated by "
        "phone.\n2022-06-20 10:00 DS 2 Bell: Reviewed, agree NFA. "
        "Crime filed.\n2022-06-20 10:00 DS 2 Bell: Agreed, closed "
        "as undetected, victim informed.\"",
        /* if_then: then entries at the time of the if */
        "C3,kent,I3,Theft,other,2022-01-01 09:00,2022-01-01 10:00,Y,N,N,Y,"
        "closed,18,2022-03-01 10:00,PC 1 Ames,East,\"2022-01-02 10:00 PC 1 "
        "Ames: Suspect named as J Doe.\n2022-01-03 10:00 PC 1 Ames: "
        "Reviewed with DS 2, supervisor agrees with the plan.\n2022-01-04 "
        "10:00 DS 2 Bell: Supervisory review: to be completed.\n2022-03-01 "
        "10:00 DS 2 Bell: Approved, agree filing.\n2022-03-01 10:00 PC 1 "
        "Ames: Filed.\n2022-03-01 10:00 DS 2 Bell: Endorsed, signed "
        "off.\"",
    };
    char path[512];
    const char *inputs[1];
    size_t i, errors;
    FILE *f;

    (void)state;
    snprintf(path, sizeof(path), "%s/hand.csv", tmpdir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("crime_ref,force,incident_ref,offence,offence_group,reported_at,"
          "recorded_at,attended,vulnerable,repeat_victim,named_suspect,"
          "status,outcome,outcome_at,oic,division,log\n",
          f);
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        fprintf(f, "%s\n", rows[i]);
    fclose(f);
    inputs[0] = path;
    (void)same_findings(inputs, 1, 0, 2, &errors);
    assert_int_equal(errors, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_findings),
        cmocka_unit_test(test_same_errors),
        cmocka_unit_test(test_hand_cases),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
