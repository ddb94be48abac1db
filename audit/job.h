/* SPDX-License-Identifier: MIT */
/*
 * The whole of `caseaudit report` as one library call, for cmd/report.c
 * and for `caseaudit run`: read the findings (shards), the manifests, the
 * overrides and the --by records; build the figures; write the report
 * directory; write the evidence bundle.
 *
 *   struct report_job j;
 *   struct report_result res;
 *   report_job_init(&j);
 *   j.findings = paths; j.nfindings = n; j.outdir = "out";
 *   j.manifests = ...; j.bundle = "out/audit.zip";
 *   st = report_job_run(&j, &res, &err);   // res.s: the figures
 *   ...
 *   report_result_release(&res);
 *
 * The job borrows every string it points to.  The result owns what it
 * holds; it is filled as far as the job got, also on failure.
 */
#ifndef CA_JOB_H
#define CA_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/bundle.h"
#include "report/findings.h"
#include "report/reconcile.h"
#include "report/report.h"
#include "report/reviews.h"
#include "report/worksheet.h"
#include "report/sampleinfo.h"
#include "report/summary.h"
#include "util/status.h"

struct report_job {
    const char *const *findings; /* findings.csv files (not "-") */
    size_t nfindings;
    const char *const *manifests; /* sample manifests, one per type */
    size_t nmanifests;
    const char *const *records; /* records holding the --by fields */
    size_t nrecords;
    const char *profile;   /* for records; NULL = by header */
    const char *const *by; /* --by fields */
    size_t nby;
    const char *overrides;    /* or NULL */
    const char *inventory;    /* or NULL */
    const char *const *rules; /* rule files/directories for the bundle */
    size_t nrules;
    const char *lexicon; /* the lexicon the rules read with, or NULL: in the
                          * bundle as rules/lexicon.yaml unless a rules
                          * tree above holds it already */
    const char *outdir;  /* required */
    const char *outdir_shown; /* the name outdir will have, shown in the
                               * report for the paths under it (`run`
                               * writes into a staging directory), or NULL */
    bool force;               /* write into a non-empty outdir */
    const char *bundle;       /* zip path, or NULL */
    double confidence;        /* default 0.95 */
    double tolerable;         /* default 0.10 */
    /* a beta prior: every sampled group also gets its Bayesian evaluation,
     * shown beside the verdict (never the default).  Borrowed; or NULL */
    const struct stats_prior *prior;
    const char *const *argv; /* command line, recorded in the report */
    size_t argc;
    const struct report_param *params; /* audit parameters to show */
    size_t nparams;
    const struct reconcile_result *reconcile; /* shown when not NULL */
    const struct bundle_file *extra;          /* more files for the bundle */
    size_t nextra;
    /* per findings file, the sample it was drawn for (NULL, or no array:
     * its record type) */
    const char *const *findings_samples;
    /* an audit programme (`caseaudit run`): its tests, their file rows
     * (files.csv), the forces a test was not run for, the counts */
    const struct report_programme *programme;
    const char *programme_file; /* to the bundle as programmes/<name> */
    const struct report_test *tests;
    size_t ntests;
    const struct report_tfile *tfiles;
    size_t ntfiles;
    const struct report_tskip *tskips;
    size_t ntskips;
    const struct report_count *counts;
    size_t ncounts;
    /* fieldwork: a returned reviewer worksheet (report/reviews.h) applied
     * per test (per rule without tests), and the worksheet written */
    const char *reviews;          /* or NULL */
    const char *worksheet_csv;    /* or NULL */
    const char *worksheet_xlsx;   /* or NULL */
    bool no_excerpts;             /* the worksheet without case text */
    const struct ws_as_of *as_of; /* per force, the worksheet's as_of */
    size_t nas_of;
    /* `caseaudit report`: a drawn file with no findings takes the next
     * checked spare (reviews_settle_spares); run checks every drawn file */
    bool implicit_spares;
    /* write the substitution log into the manifest files (`run`: they are
     * its own) */
    bool log_in_manifests;
};

struct report_result {
    struct findings fs;
    struct sampleinfo *m;
    size_t nm;
    struct summary s;
    uint64_t findings_without_record; /* --by: files with no record */
    struct reviews rv;                /* the reviews and substitutions */
    struct report_tfile *tfiles;      /* the file x test rows as reviewed */
    size_t ntfiles;
    struct report_test *rtests; /* per rule, for reviews without tests */
    size_t nrtests;
    uint64_t spares_ignored; /* checked spares that substitute nothing */
};

/* Defaults: confidence 0.95, tolerable 0.10, everything else empty. */
void report_job_init(struct report_job *j);

/*
 * Run the job.  CA_USAGE for a bad job (no findings, no outdir, --by
 * without records, a findings file twice, a non-empty outdir without
 * force, manifests that do not cover every type); CA_DATA (naming file,
 * line and field) for bad findings, manifests, overrides or records;
 * CA_SYSTEM for I/O.  Nothing is written before every input has been read
 * and checked.
 */
enum ca_status report_job_run(const struct report_job *j,
                              struct report_result *out, struct ca_error *err);

void report_result_release(struct report_result *r);

/*
 * `caseaudit worksheet`: the reviewer worksheet of findings files (per
 * rule; the manifests give stratum, rank and spare), written as CSV and/or
 * .xlsx (mode 0600, atomic).  CA_USAGE for no findings or no output;
 * CA_DATA for bad findings or manifests; CA_SYSTEM.  *rows gets the rows.
 */
enum ca_status worksheet_job_run(const char *const *findings, size_t nfindings,
                                 const char *const *manifests,
                                 size_t nmanifests, const char *csv,
                                 const char *xlsx, bool excerpts, size_t *rows,
                                 struct ca_error *err);

#endif
