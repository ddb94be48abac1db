/* SPDX-License-Identifier: MIT */
/*
 * The check stage of `caseaudit run` (audit/audit.c): the rules of a
 * sample's tests over the sample's records, every verdict written to the
 * sample's findings.csv, each record judged at its force's as-of date, and
 * the record's verdicts handed, all at once, to a hook that turns them into
 * the tests' verdicts.  The one part of the run that calls the rule engine.
 *
 * A checker is fed records one by one: from the sample CSV
 * (audit_check_sample), or from the inputs in a census, where every record
 * of the frame is checked without a sample CSV.
 */
#ifndef CA_AUDIT_CHECK_H
#define CA_AUDIT_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/rules.h"
#include "ingest/record.h"
#include "util/status.h"

/* The as-of time (seconds, midnight UTC) for a record of this force. */
typedef int64_t (*audit_as_of_fn)(void *ctx, const char *force);

/* One verdict of a record, as the hook sees it (message borrowed until
 * the hook returns). */
struct audit_verdict {
    const struct rule *rule;
    enum verdict verdict;
    const char *message;
};

/* Called once per record checked, with every verdict written for it (n
 * may be 0: no rule applied).  Non-zero: out of memory, stop. */
typedef int (*audit_judged_fn)(void *ctx, const struct record *r,
                               const struct audit_verdict *v, size_t n);

/* What a check of one sample found. */
struct audit_check_counts {
    uint64_t records;     /* records checked */
    uint64_t rows;        /* findings written */
    uint64_t error_files; /* records with a rule that could not be
                           * evaluated (verdict error) */
};

/* A rule whose verdicts are left out, for one force or (force NULL) all. */
struct audit_skip {
    const struct rule *rule;
    const char *force;
};

/* What to check and where the findings go.  Everything is borrowed. */
struct audit_check_opts {
    const struct ruleset *rs;
    const unsigned char *only; /* per rule index: 1 checked (NULL: all) */
    const struct audit_skip *skip;
    size_t nskip;
    const char *findings_path;
    audit_as_of_fn as_of;
    void *as_of_ctx;
    audit_judged_fn judged; /* may be NULL */
    void *judged_ctx;
};

struct audit_checker;

/* Open the findings file (mode 0600, atomic) and a checker writing into
 * it.  CA_SYSTEM for I/O or memory. */
enum ca_status audit_checker_open(const struct audit_check_opts *o,
                                  struct audit_checker **out,
                                  struct ca_error *err);
/* Check one record.  CA_SYSTEM when out of memory (err set). */
enum ca_status audit_checker_record(struct audit_checker *c,
                                    const struct record *r,
                                    struct ca_error *err);
/* Finish: commit the findings file (abort when commit is false or on an
 * error), fill *counts, free the checker.  NULL-safe. */
enum ca_status audit_checker_close(struct audit_checker *c, bool commit,
                                   struct audit_check_counts *counts,
                                   struct ca_error *err);

/*
 * Read sample_csv (records of type t) and check each record with o.
 * CA_DATA when the sample cannot be read back whole (err names it),
 * CA_SYSTEM for I/O or memory.
 */
enum ca_status audit_check_sample(const struct audit_check_opts *o,
                                  const char *sample_csv, enum record_type t,
                                  struct audit_check_counts *counts,
                                  struct ca_error *err);

/* Floor of secs to midnight UTC (seconds). */
int64_t audit_midnight(int64_t secs);

/* The default as-of date of `check`, as `run` takes it: a reading of the
 * inputs (io: the profile and type the check will use) for the latest
 * event of their records (record_latest_event; dates after now ignored).
 * *have false when no record has a date; *forces_differ set when the
 * forces' own latest days differ (run judges each at its own).  CA_DATA
 * or CA_SYSTEM as ingest_run. */
struct ingest_opts;
enum ca_status audit_latest_day(const char *const *inputs, size_t n,
                                const struct ingest_opts *io, int64_t now,
                                int64_t *day, bool *have, bool *forces_differ,
                                struct ca_error *err);

#endif
