/* SPDX-License-Identifier: MIT */
/*
 * The whole audit of `caseaudit run` as one library call, from exports to
 * an output directory an inspector can take away, following an audit
 * programme (audit/programme.h):
 *
 *   1. inventory: every input read once -> DIR/inventory.json; the record
 *      types present, the fields the rules, frames and strata read, the
 *      as-of date, and in the same pass every sample's frame and draw;
 *   2. per sample (the tests of one type and frame share one): a hash
 *      sample per force, sized by the caller's plan for the frame's N in
 *      that force and stratified as its tests say, or with `census` every
 *      file of the frame -> sample-<name>.csv (not in a census),
 *      manifest-<name>.json, where <name> is the type for a frame of every
 *      record of it, else the frame's first test;
 *   3. the rules of the sample's tests over it (engine library, per-force
 *      as-of date) -> findings-<name>.csv, and each file's verdict per test;
 *   4. crimes reconciled with incidents (and bail) -> reconcile.json;
 *   5. report_job_run(): summary.json, summary.csv, findings.csv,
 *      files.csv, report.md, report.html and the evidence bundle
 *      evidence.zip (report files, manifests, rules, the programme file,
 *      inventory, reconcile.json).
 *
 * Every file is created mode 0600, in a private staging directory beside
 * the output directory that is put in place whole once every file is
 * written (util/outdir.h): a run that fails or is stopped leaves the
 * output directory as it was (missing, or the previous run's) and nothing
 * of its own behind.  Nothing is written before the inputs, the rules and
 * the programme have been read and checked; an existing non-empty
 * directory is refused without `force`, and with it replaced: the files an
 * earlier run wrote go, any other file of the directory is kept.
 *
 * The as-of date (the day open files are judged at, the end of a max_gap
 * period for a case still open) is by default taken from the data, never
 * from the clock: see enum audit_as_of_rule and docs/report.md.
 *
 * Ownership: the options borrow everything; struct audit_result owns
 * everything it holds (audit_result_release), except what it borrows from
 * the programme, which must outlive it.
 */
#ifndef CA_AUDIT_H
#define CA_AUDIT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit/job.h"
#include "audit/programme.h"
#include "engine/rules.h"
#include "ingest/record.h"
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
    AUDIT_AS_OF_NEXT_MONTH,
    /* opts.as_of_table: a date per force, as an earlier run judged them
     * (`verify --recheck`); a force not in it is an error (CA_DATA) */
    AUDIT_AS_OF_TABLE
};

/* The as-of date of one force. */
struct audit_as_of {
    char *force;
    int64_t as_of;  /* seconds at midnight UTC */
    bool from_data; /* false: no date in the force's records */
};

/* Stage names passed to the progress callback. */
typedef void (*audit_stage_fn)(void *ctx, const char *what);

struct audit_opts {
    const char *const *inputs; /* files, directories, archives (not "-") */
    size_t ninputs;
    const char *outdir;
    bool force; /* replace a non-empty outdir (other files are kept) */
    const char *seed;
    /* the programme, loaded against rs (programme_load) */
    const struct programme *prog;
    const struct ruleset *rs;
    const char *const *rules; /* the rule files or directories rs came from
                               * (for the report and the bundle) */
    size_t nrules;
    /* the attribute (or estimation) plan recorded in every manifest, and
     * the size function that applies it to each frame's N in a force;
     * unused with census */
    const struct sample_plan *plan;
    sample_size_fn size;
    void *size_ctx;
    uint64_t size_bound;
    const char *allocation; /* "proportional" (NULL), "equal", "min:K" */
    bool census;            /* every file of each frame, no sampling */
    const char *reviews;    /* a returned reviewer worksheet, or NULL */
    bool no_excerpts;       /* the worksheet without case text */
    unsigned spares;        /* spares per force and stratum (not in a
                             * census): checked, counted only where one
                             * substitutes a file reviewed unavailable */
    enum audit_as_of_rule as_of_rule;
    int64_t as_of; /* AUDIT_AS_OF_GIVEN: seconds at midnight UTC */
    const struct audit_as_of *as_of_table; /* AUDIT_AS_OF_TABLE */
    size_t nas_of_table;
    int64_t now; /* seconds: later dates are not events (typos) */
    double confidence, tolerable; /* for the verdicts */
    /* a beta prior: the report also gives each sampled group's Bayesian
     * evaluation (the sample sizes come from the plan, which holds the
     * same prior); NULL: none.  Borrowed */
    const struct stats_prior *prior;
    const char *const *argv; /* the command line, without "caseaudit" */
    size_t argc;
    const struct report_param *params; /* shown first in the report */
    size_t nparams;
    audit_stage_fn stage; /* may be NULL */
    void *stage_ctx;
    /* progress of each reading of the inputs (ingest_opts); NULL: none */
    ingest_progress_fn on_progress;
    void *progress_ctx;
    /* when set (asynchronously: a signal handler may set it), the run
     * stops at the next record or stage, removes everything it made and
     * returns CA_SYSTEM "interrupted"; may be NULL */
    const volatile sig_atomic_t *stop;
};

/* Defaults: as_of_rule LATEST, now = the clock, confidence 0.95,
 * tolerable 0.10; everything else empty. */
void audit_opts_init(struct audit_opts *o);

/* One sample: the files of one frame of the programme. */
struct audit_sample {
    size_t frame; /* index into the programme's frames */
    enum record_type type;
    const char *name;     /* the frame's name (borrowed from the programme) */
    bool drawn;           /* sampled and checked */
    const char *skipped;  /* why not (static text), or NULL */
    char *strata;         /* the strata used ("attended, offence_group"), or
                          * NULL */
    char *strata_dropped; /* declared strata some record lacks, or NULL */
    char *sample_csv, *manifest, *findings; /* paths (sample_csv NULL in a
                                             * census) */
    uint64_t N;        /* files in the frame, every force */
    uint64_t selected; /* files drawn (all forces) */
    uint64_t findings_rows;
    uint64_t error_files; /* files with a rule that could not be evaluated */
    uint64_t undecided;   /* files kept in the frame because its conditions
                           * could not be judged on them */
    char *undecided_why;  /* the first one's reason, or NULL */
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
    size_t nrules;             /* rules the programme's tests name */
    struct audit_as_of *as_of; /* sorted by force */
    size_t nas_of;
    uint64_t future_dates;  /* dates after opts.now, ignored for the as-of */
    struct audit_sample *s; /* one per frame of the programme */
    size_t ns;
    /* the tests as the report shows them (one per programme test), the
     * checked file x test rows (files.csv), and the forces a test was not
     * run for */
    struct report_test *tests;
    size_t ntests;
    struct report_tfile *tfiles;
    size_t ntfiles, tfiles_alloc;
    struct report_tskip *tskips;
    size_t ntskips;
    struct report_count *counts;
    size_t ncounts;
    struct report_programme programme;
    struct audit_unchecked *unchecked; /* in rule-id order */
    size_t nunchecked;
    bool reconciled;
    const char *reconcile_skipped; /* static text, or NULL */
    struct reconcile_result rec;
    struct report_result rep; /* the figures (rep.s) */
    char *inventory, *reconcile_json, *report_html, *files_csv, *bundle;
    char *worksheet_csv, *worksheet_xlsx;
    void *priv; /* strings the result owns */
};

void audit_result_release(struct audit_result *r);

/* Write "RULE[ for FORCE]" and, after sep, "no TYPE record[ of that
 * force]<where> has FIELD" for u (where is e.g. " in the export"). */
void audit_unchecked_print(FILE *fp, const struct audit_unchecked *u,
                           const char *sep, const char *where);

/*
 * Run the audit.  out is filled as far as the run got (caller releases,
 * also on failure); its paths name the output directory as given.
 * CA_USAGE for bad options, standard input as an input, or an existing
 * non-empty outdir without force; CA_DATA (err names file, line and
 * field) for an unreadable input, or inputs where no test of the
 * programme can be run; CA_SYSTEM for I/O, memory, or a stop (o->stop).
 * On any failure the output directory is as it was before the call.
 */
enum ca_status audit_run(const struct audit_opts *o, struct audit_result *out,
                         struct ca_error *err);

/* "YYYY-MM-DD" of an as-of time (out holds 20 bytes). */
const char *audit_format_day(int64_t secs, char out[20]);

#endif
