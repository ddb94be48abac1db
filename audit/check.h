/* SPDX-License-Identifier: MIT */
/*
 * The `check` stage of `caseaudit run` (audit/audit.c): a rule set over
 * one sample CSV, written as findings.csv, each record judged at its
 * force's as-of date.  Kept apart from audit.c, which drives the whole
 * run, as the one part of it that calls the rule engine.
 */
#ifndef CA_AUDIT_CHECK_H
#define CA_AUDIT_CHECK_H

#include <stdint.h>

#include "engine/rules.h"
#include "ingest/record.h"
#include "util/status.h"

/* The as-of time (seconds, midnight UTC) for a record of this force. */
typedef int64_t (*audit_as_of_fn)(void *ctx, const char *force);

/* What a check of one sample found. */
struct audit_check_counts {
    uint64_t records;     /* records read back */
    uint64_t rows;        /* findings written */
    uint64_t error_files; /* records with a rule that could not be
                           * evaluated (verdict error) */
};

/* A rule whose verdicts are left out, for one force or (force NULL) all. */
struct audit_skip {
    const struct rule *rule;
    const char *force;
};

/*
 * Read sample_csv (records of type t), evaluate rs on each record and
 * write every verdict, except those skip[0..nskip) leaves out, to
 * findings_path (findings.csv format, excerpts
 * included; mode 0600, atomic).  *counts is filled.  CA_DATA when the
 * sample cannot be read back whole (err names it), CA_SYSTEM for I/O or
 * memory.
 */
enum ca_status
audit_check_sample(const struct ruleset *rs, const struct audit_skip *skip,
                   size_t nskip, const char *sample_csv, enum record_type t,
                   const char *findings_path, audit_as_of_fn as_of, void *ctx,
                   struct audit_check_counts *counts, struct ca_error *err);

/* Floor of secs to midnight UTC (seconds). */
int64_t audit_midnight(int64_t secs);

#endif
