/* SPDX-License-Identifier: MIT */
/*
 * Reviews become fixtures (`caseaudit review export-fixtures`): each file
 * a reviewer passed or failed, read from the records it was drawn from,
 * written as a fixture row (engine/ruletest.h: the record's canonical
 * columns, its `as_of`, and an `expect` column of labels) so that a CI
 * job regression-tests rule changes against real, reviewed cases.
 *
 * Labels, per test of the file (a test's rules come from the programme;
 * in a worksheet per rule the test is the rule):
 *   reviewer pass, rule passed    ok:RULE        (each rule of the test)
 *   reviewer pass, rule failed    todook:RULE    (a known false alarm)
 *   reviewer fail, rule failed    ruleid:RULE    (each rule that failed)
 *   reviewer fail, rules passed   todoruleid:RULE when the test has one
 *                                 rule; else no label (which rule should
 *                                 flag is not known), counted
 * n/a, unavailable and unreviewed rows give none.
 *
 * Redaction (redact): the fields that name people (oic) become "[name]",
 * the author of every log entry "[name]", and the text of every entry no
 * rule matched (the qualifying or offending entries the rules report)
 * "[redacted]"; the other columns of the export are left out.  A redacted
 * row is then tested with the rules (as `caseaudit test` would): a file
 * whose labels the redaction would break is left out, and counted.
 *
 * Outputs DIR/reviewed-<type>.csv, mode 0600, atomic.
 */
#ifndef CA_FIXTURES_H
#define CA_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/programme.h"
#include "engine/rules.h"
#include "ingest/record.h"
#include "util/status.h"

struct fixtures_opts {
    const char *worksheet;      /* the returned worksheet */
    const char *const *records; /* where the files are (sample CSVs) */
    size_t nrecords;
    const char *profile;          /* NULL: by header */
    const struct programme *prog; /* NULL: tests are rules */
    const struct ruleset *rs;
    const char *outdir;
    bool redact;
    int64_t as_of; /* used when the worksheet has none; 0: the latest
                    * date of each file (as `caseaudit test` does) */
};

struct fixtures_result {
    uint64_t reviewed;      /* rows with a pass or fail */
    uint64_t skipped;       /* n/a, unavailable */
    uint64_t files;         /* fixture rows written */
    uint64_t labels, todo;  /* labels written (todo among them) */
    uint64_t unknown_rule;  /* reviewer fail on a test of several rules the
                             * rules passed: no label */
    uint64_t not_found;     /* reviewed files not in the records */
    uint64_t dropped;       /* left out: redaction would change a label */
    char *paths[RT__COUNT]; /* files written (owned) */
};

void fixtures_result_release(struct fixtures_result *r);

/* Export.  CA_USAGE for bad options, CA_DATA (file, line, field) for a
 * bad worksheet, a test that is neither a programme's nor a rule, or
 * records that cannot be read; CA_SYSTEM. */
enum ca_status fixtures_export(const struct fixtures_opts *o,
                               struct fixtures_result *out,
                               struct ca_error *err);

#endif
