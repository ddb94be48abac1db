/* SPDX-License-Identifier: MIT */
/*
 * The whole audit of `caseaudit run` as one library call, from exports to
 * an output directory an inspector can take away:
 *
 *   1. inventory: every input read once -> DIR/inventory.json; the record
 *      types present, the fields the strata need, and the as-of date;
 *   2. for each of crime, wanted and bail present (and with rules): a hash
 *      sample per force, sized by the caller's plan for that force's N
 *      (crimes stratified by attended and offence_group when every crime
 *      has those fields) -> sample-<type>.csv, manifest-<type>.json;
 *   3. the rule set over each sample (engine library, per-force as-of
 *      date) -> findings-<type>.csv;
 *   4. crimes reconciled with incidents (and bail) -> reconcile.json;
 *   5. report_job_run(): summary.json, summary.csv, findings.csv,
 *      report.md, report.html and the evidence bundle evidence.zip
 *      (report files, manifests, rules, inventory, reconcile.json).
 *
 * Every file is created mode 0600 and atomically (util/outfile.h).
 * Nothing is written before the inputs and the rules have been read and
 * checked; an existing non-empty directory is refused without `force`.
 *
 * The as-of date (the day open files are judged at, the end of a max_gap
 * period for a case still open) is by default taken from the data, never
 * from the clock: see enum audit_as_of_rule and docs/report.md.
 *
 * Ownership: the options borrow everything; struct audit_result owns
 * everything it holds (audit_result_release).
 */
#ifndef CA_AUDIT_H
#define CA_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest/record.h"
#include "audit/job.h"
#include "report/reconcile.h"
#include "report/report.h"
#include "samplers/draw.h"
#include "samplers/manifest.h"
#include "util/status.h"

enum audit_as_of_rule {
    /* opts.as_of for every force */
    AUDIT_AS_OF_GIVEN = 0,
    /* per force, the day of the latest event in its records: dates of
     * things that happened (every canonical date field except the
     * scheduled bail_end) and case-log entry times, ignoring dates after
     * opts.now.  An export cannot predate its latest event, so no gap is
     * measured beyond what the export itself shows had elapsed; each
     * force gets its own date because forces' exports are taken on
     * different days.  A force without any date gets the latest of all. */
    AUDIT_AS_OF_LATEST,
    /* `caseaudit gen`'s convention (the built-in demo): the export is
     * taken at midnight starting the month after its latest event, one
     * date for every force (docs/gen.md, "the as-of time") */
    AUDIT_AS_OF_NEXT_MONTH
};

/* Stage names passed to the progress callback. */
typedef void (*audit_stage_fn)(void *ctx, const char *what);

struct audit_opts {
    const char *const *inputs; /* files, directories, archives (not "-") */
    size_t ninputs;
    const char *outdir;
    bool force; /* write into a non-empty outdir (our files are replaced) */
    const char *seed;
    /* the attribute (or estimation) plan recorded in every manifest, and
     * the size function that applies it to each force's N */
    const struct sample_plan *plan;
    sample_size_fn size;
    void *size_ctx;
    uint64_t size_bound;
    const char *const *rules; /* rule files or directories */
    size_t nrules;
    enum audit_as_of_rule as_of_rule;
    int64_t as_of; /* AUDIT_AS_OF_GIVEN: seconds at midnight UTC */
    int64_t now;   /* seconds: later dates are not events (typos) */
    double confidence, tolerable; /* for the verdicts */
    const char *const *argv;      /* the command line, without "caseaudit" */
    size_t argc;
    const struct report_param *params; /* shown first in the report */
    size_t nparams;
    audit_stage_fn stage; /* may be NULL */
    void *stage_ctx;
    bool progress; /* ingest and draw progress on stderr */
};

/* Defaults: as_of_rule LATEST, now = the clock, confidence 0.95,
 * tolerable 0.10; everything else empty. */
void audit_opts_init(struct audit_opts *o);

/* The as-of date of one force. */
struct audit_as_of {
    char *force;
    int64_t as_of;  /* seconds at midnight UTC */
    bool from_data; /* false: no date in the force's records */
};

/* Record types sampled and checked: crime, wanted, bail. */
#define AUDIT_NTYPES 3

struct audit_type {
    enum record_type type;
    uint64_t records;    /* accepted in the inventory */
    bool checked;        /* sampled and checked */
    const char *skipped; /* why not (static text), when records > 0 */
    char *strata;        /* "attended, offence_group" or NULL */
    char *sample_csv, *manifest, *findings; /* paths in outdir */
    uint64_t selected;                      /* files drawn (all forces) */
    uint64_t findings_rows;
    uint64_t error_files; /* files with a rule that could not be evaluated */
};

/* A rule left out of the check, for one force or all, because no record
 * of its type (from that force) in the export has a field it reads (the
 * export's shape, not the files, would otherwise fail it everywhere). */
struct audit_unchecked {
    char rule_id[64];
    enum record_type type;
    char force[64]; /* "" for every force */
    char field[48]; /* the first such field */
};

struct audit_result {
    uint64_t rows_read, rows_accepted, rows_rejected;
    uint64_t records[RT__COUNT];
    size_t nrules;
    struct audit_as_of *as_of; /* sorted by force */
    size_t nas_of;
    uint64_t future_dates; /* dates after opts.now, ignored for the as-of */
    struct audit_type t[AUDIT_NTYPES];
    struct audit_unchecked *unchecked; /* in rule-id order */
    size_t nunchecked;
    bool reconciled;
    const char *reconcile_skipped; /* static text, or NULL */
    struct reconcile_result rec;
    struct report_result rep; /* the figures (rep.s) */
    char *inventory, *reconcile_json, *report_html, *bundle; /* paths */
};

void audit_result_release(struct audit_result *r);

/* Write "RULE[ for FORCE]" and, after sep, "no TYPE record[ of that
 * force]<where> has FIELD" for u (where is e.g. " in the export"). */
void audit_unchecked_print(FILE *fp, const struct audit_unchecked *u,
                           const char *sep, const char *where);

/*
 * Run the audit.  out is filled as far as the run got (caller releases,
 * also on failure).  CA_USAGE for bad options, standard input as an
 * input, or an existing non-empty outdir without force; CA_DATA (err
 * names file, line and field) for an unreadable input, bad rules, or
 * inputs without crime, wanted or bail records; CA_SYSTEM for I/O.
 */
enum ca_status audit_run(const struct audit_opts *o, struct audit_result *out,
                         struct ca_error *err);

/* "YYYY-MM-DD" of an as-of time (out holds 20 bytes). */
const char *audit_format_day(int64_t secs, char out[20]);

#endif
