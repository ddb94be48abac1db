/* SPDX-License-Identifier: MIT */
/*
 * The report as every writer takes it (struct report: the findings, the
 * summaries, the manifests, an audit programme's tests and the reviews,
 * all borrowed), and the formatting and lookups the writers share, so
 * that summary.json, the CSV files, report.md and report.html say the
 * same thing the same way.
 */
#ifndef CA_REPORT_COMMON_H
#define CA_REPORT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/findings.h"
#include "report/reconcile.h"
#include "report/reviews.h"
#include "report/sampleinfo.h"
#include "report/summary.h"
#include "report/worksheet.h"
#include "util/status.h"

/* Failing findings listed in report.md and report.html (all of them are in
 * findings.csv and summary.json). */
#define REPORT_MAX_LISTED 5000

/* One audit parameter a caller records in the report, shown in order
 * (`caseaudit run`: inputs, seed, plan, strata, as-of date, rules). */
struct report_param {
    const char *name;
    const char *value;
};

/* The audit programme a report answers (`caseaudit run`).  Borrowed. */
struct report_programme {
    const char *id, *title, *description;
    const char *path, *sha256;
    const char *const *refs;
    size_t nrefs;
    bool census; /* every file of each frame checked (--census) */
};

/* A whole-export count the programme asks for, shown under the matrix. */
struct report_count {
    const char *name;        /* "recording-route", "named-suspects-outstanding",
                              * "failed-to-answer" */
    const char *sample;      /* counted as the frame of this sample (N per
                              * force from its manifest), or NULL: from the
                              * reconciliation */
    const char *test;        /* the test whose frame it is, or NULL */
    const char *not_counted; /* why it could not be counted, or NULL */
};

struct report {
    const struct findings *fs;
    const struct summary *s;
    const struct sampleinfo *m; /* manifests */
    size_t nm;
    const char *tool_version;
    const char *generated;   /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *const *argv; /* command line, for the record */
    size_t argc;
    const char *inventory_path; /* NULL when none */
    const char *inventory_text; /* its contents (JSON or text), or NULL */
    const char *records_note;   /* where --by values came from, or NULL */
    const struct report_param *params; /* audit parameters, or NULL */
    size_t nparams;
    const struct reconcile_result *reconcile; /* shown when not NULL */
    /* an audit programme: its tests answer first (the headline matrix) */
    const struct report_programme *programme; /* NULL: none */
    const struct report_test *tests;
    size_t ntests;
    const struct report_tfile *tfiles;
    size_t ntfiles;
    const struct report_tskip *tskips;
    size_t ntskips;
    const struct report_count *counts;
    size_t ncounts;
    /* paths under dir_written are shown under dir_shown (`run` writes
     * into a staging directory renamed into place at the end); NULL:
     * shown as they are */
    const char *dir_written, *dir_shown;
    /* the as-of date of each force (`run`; summary.json "as_of", which
     * `verify --recheck` judges the files at again); none: null */
    const struct ws_as_of *as_of;
    size_t nas_of;
    /* fieldwork: reviews applied, substitutions (NULL: none) */
    const struct reviews *reviews;
    uint64_t spares_ignored; /* checked spares that substitute nothing */
};

/* path as the report shows it (see dir_written), in buf (size bytes) or
 * path itself.  Returns the text to show. */
const char *report_path_shown(const struct report *r, const char *path,
                              char *buf, size_t size);

/* --- formatting shared by the writers ------------------------------------ */

/* "12.3%" (one decimal; "0%" and "100%" exact; "-" for NaN).  out holds
 * 16 bytes. */
const char *report_pct(double v, char out[16]);
/* The bounds a group's verdict rests on: "exact" (a census),
 * "hypergeometric" (N known) or "binomial". */
const char *report_bounds_name(const struct sgroup *g);
/* Whether a summary group has a sampling interval to show (not in a
 * census, nor when every file of its population was checked). */
bool report_has_interval(const struct sgroup *g);
/* "n sampled of N" style text for a group: "12 of 240", "all 240". */
const char *report_n_of_N(const struct sgroup *g, char *out, size_t size);
/*
 * The Bayesian evaluation, shown when the summary has a prior: the groups
 * it is shown for (a programme's test groups per test and force, else the
 * force groups of each category; never strata or breakdowns), in order.
 * *v is allocated (free it); returns the count, or (size_t)-1 on ENOMEM.
 */
size_t report_bayes_groups(const struct report *r, const struct sgroup ***v);
/* A Bayes factor for a table cell: 4 significant digits, "infinite" when
 * the posterior leaves nothing at or above T, "-" when undefined. */
const char *report_bf_text(double bf, char *out, size_t size);
/* One paragraph on how to read the Bayesian figures (prior named). */
void report_bayes_intro(const struct report *r, char *out, size_t size);

/* Whether h is a stratum row (category "all") of g's force and type. */
bool report_is_stratum_of(const struct sgroup *h, const struct sgroup *g);
/*
 * The failing files, as every writer lists them: the next finding after *f
 * that did not pass, in record order.  Start with *rec = 0 and *f =
 * FINDING_NONE; *rec is left at the finding's record.  NULL at the end.
 */
const struct finding *report_next_failing(const struct findings *fs,
                                          size_t *rec, uint32_t *f);
/* The one-sentence sampling statement for a record type. */
void report_sampling_statement(const struct report *r, const struct stype *t,
                               char *out, size_t size);

/* --- an audit programme's tests, shared by the writers --------------------- */

/* The headline figure of a group in the one polarity every writer shows:
 * the share of files passing (1 - deviation rate, or 1 - the stratified
 * estimate where that is the headline), with its two-sided interval when
 * there is one (*has_ci). */
struct report_pass {
    double rate; /* NaN when nothing was checked */
    double lo, hi;
    bool has_ci;
    bool stratified; /* the stratified estimate */
};
void report_pass_figure(const struct sgroup *g, struct report_pass *out);

/* The forces of the report, sorted and unique (test groups, category
 * groups, tests not run for a force); *n set.  Caller frees the array
 * (the strings are borrowed).  NULL and *n 0 when none or out of memory. */
const char **report_forces(const struct report *r, size_t *n);

/* The whole-force group of test `test` for force, or NULL. */
const struct sgroup *report_test_group(const struct report *r, const char *test,
                                       const char *force);
/* Why test number t was not run for force, or NULL. */
const char *report_test_skip(const struct report *r, size_t t,
                             const char *force);
/* The manifest of a sample by name, or NULL. */
const struct sampleinfo *report_sample(const struct report *r,
                                       const char *name);
/* The stratum a test's sample drew file id in, or NULL. */
const char *report_file_stratum(const struct report *r,
                                const struct report_test *t, const char *id);
/* A count of the programme for one force: *v (and *of, the base: crimes
 * with a named suspect, bail cases; 0 when unknown).  0, or -1 when not
 * known for that force.  Not for recording-route. */
int report_count_value(const struct report *r, const struct report_count *c,
                       const char *force, uint64_t *v, uint64_t *of);
/* The reconciliation's row of a force, or NULL. */
const struct reconcile_force *report_reconcile_force(const struct report *r,
                                                     const char *force);
/* The evidence of the finding of `rule_id` on file id of a test's sample,
 * or NULL. */
const struct evidence *report_test_evidence(const struct report *r,
                                            const struct report_test *t,
                                            const char *id,
                                            const char *rule_id);

#endif
