/* SPDX-License-Identifier: MIT */
/*
 * Per-force compliance figures from a findings set and the sample
 * manifests it came from.
 *
 * Unit of count: the file (record).  For each force x record type x
 * category, a file is in the group when at least one rule of that
 * category applied to it, and is a deviation when any of those rules did
 * not pass after overrides (an `error` verdict counts as a deviation: a
 * check that could not be made does not show compliance).  Category
 * `all` is file compliance: every applicable rule passed.
 *
 * Population: with a manifest for the type, N is the manifest's frame size
 * for the force (or stratum), and the one-sided bounds are exact
 * hypergeometric ones in N whenever every checked file of that force (or
 * stratum) is in the group and every file selected there has findings
 * (after spares); when a category applies only to some files, or a
 * selected file has no findings (no rule applied to it, or it was not
 * checked), the group's population within N is unknown and the binomial
 * bounds (infinite population, conservative) are used.  Without a manifest the
 * findings are the whole population (census): N = n, the rate is exact, no
 * sampling interval is given, and the bounds equal the rate.
 *
 * Verdict against the tolerable rate T (stats_verdict_counts, exact at
 * ties): compliant when the one-sided upper bound is within T, not
 * compliant when the lower bound is beyond it, else inconclusive;
 * `indicative` when n < 30 and the group was not checked completely
 * (n < N).  With a stratified sample each force-level group also gets the
 * stratified estimate (weights N_h/N, stats_stratified); its verdict is
 * that of the pooled exact bounds (those of a self-weighting sample under
 * proportional allocation; a note says so for other allocations) where the
 * Korn-Graubard stratified bounds agree, else inconclusive
 * (stats_stratified_verdict, stats_verdict_both).
 *
 * Ownership: struct summary owns its arrays and strings; it borrows the
 * findings and manifests it was built from, which must outlive it.
 */
#ifndef CA_SUMMARY_H
#define CA_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/findings.h"
#include "report/sampleinfo.h"
#include "stats/stats.h"
#include "util/status.h"

#define SUMMARY_UNKNOWN UINT64_MAX

struct sgroup {
    const char *force, *type, *category;
    const char *sample;   /* the sample's name (the type, or a programme
                         * frame's); NULL for a test group */
    const char *test;     /* a test group: the test's id; NULL otherwise */
    const char *stratum;  /* NULL for the whole force */
    const char *by_field; /* NULL unless a --by breakdown */
    const char *by_value;
    bool census;  /* no manifest: the whole population */
    bool n_exact; /* N is this group's population */
    uint64_t N;   /* SUMMARY_UNKNOWN for a breakdown */
    uint64_t n, k;
    double rate;                /* k / n; NaN when n = 0 */
    struct interval cp, wilson; /* NaN in a census */
    double lower, upper;        /* one-sided bounds on the rate */
    uint64_t upper_dev;         /* upper bound on deviations in N, or
                                 * SUMMARY_UNKNOWN (binomial bounds) */
    enum stats_verdict verdict;
    bool indicative;
    bool has_strat; /* stratified estimate present */
    struct stratified_result strat;
    bool strat_headline; /* a test group whose allocation is not
                          * proportional: the stratified estimate is its
                          * figure, and its one-sided bounds the verdict */
    const char *note;    /* static text or NULL */
    /* the Bayesian evaluation under summary_opts.prior: a sampled group
     * with n >= 1 (never a census); shown beside the verdict, which it
     * never changes */
    bool has_bayes;
    struct stats_bayes bayes;
};

struct srule {
    const char *force, *type, *sample;
    uint32_t rule;       /* index into findings.rules */
    const char *rule_id; /* borrowed from the findings */
    uint64_t n, pass, fail, error;
    uint64_t reviewed, to_pass, to_fail;
    bool census;
    double pass_rate;
    struct interval cp; /* on the pass rate; NaN in a census */
};

/* One sample (a record type, or an audit programme's frame of one): where
 * its figures came from. */
struct stype {
    const char *type;
    const char *sample;
    const struct sampleinfo *m; /* NULL: census */
    uint64_t checked;           /* files with findings */
    uint64_t spares_used;
    char **unchecked; /* selected ids without findings
                       * (borrowed from the manifest) */
    size_t nunchecked;
};

/* ---- audit programmes: tests (plain data, filled by audit/) ---- */

/* One test of an audit programme.  Strings borrowed. */
struct report_test {
    const char *id, *title, *question;
    const char *type;       /* record type asked of */
    const char *sample;     /* the sample (manifest name) it was asked of;
                             * NULL when it was not run */
    const char *frame;      /* its frame in words, or NULL */
    const char *conditions; /* its frame as written ("": every record) */
    const char *const *rules;
    size_t nrules;
    const char *const *report_by;
    size_t nreport_by;
    const char *not_run; /* why it was not run at all, or NULL */
};

/* How a file x test row counts in the test's figures. */
enum tfile_use {
    TFU_COUNTED = 0, /* a drawn file, or a spare that substitutes one */
    TFU_SPARE,       /* a spare that substitutes nothing: not counted */
    TFU_NA,          /* a reviewer found the test does not apply (n/a) */
    TFU_UNAVAILABLE  /* the file could not be reviewed: not counted (a
                      * spare takes its place when one is left) */
};

#define TFILE_NO_REVIEW UINT32_MAX

/* One checked file x test whose frame holds it.  Strings borrowed. */
struct report_tfile {
    uint32_t test; /* index into the tests */
    const char *force, *id;
    enum verdict verdict;  /* after review */
    const char *reasons;   /* "RULE: message; ..." of the failing (or
                            * erring) rules; "" for pass */
    const char *const *by; /* values of the test's report_by fields (an
                            * entry NULL when the record has none) */
    bool spare;            /* a spare of its sample */
    enum verdict tool;     /* the rules' verdict (before review) */
    enum tfile_use use;
    uint32_t review; /* index of its review (report/reviews.h), or
                      * TFILE_NO_REVIEW */
};

/* A test not run for one force (every rule of it left out there). */
struct report_tskip {
    uint32_t test;
    const char *force, *why;
};

struct summary_opts {
    double confidence; /* e.g. 0.95 */
    double tolerable;  /* e.g. 0.10 */
    const struct sampleinfo *manifests;
    size_t nmanifests;
    const char *const *by; /* --by field names; values in recs[].by */
    size_t nby;
    /* an audit programme's tests (none: no test groups) */
    const struct report_test *tests;
    size_t ntests;
    const struct report_tfile *tfiles; /* in test, then file order */
    size_t ntfiles;
    const struct report_tskip *tskips;
    size_t ntskips;
    /* a beta prior: each sampled group also gets its Bayesian evaluation
     * (summary_bayes); NULL: none, the default.  Borrowed. */
    const struct stats_prior *prior;
};

struct summary {
    double confidence, tolerable;
    bool has_prior; /* the groups carry a Bayesian evaluation */
    struct stats_prior prior;
    struct sgroup *g; /* force and stratum groups, sorted */
    size_t ng;
    struct sgroup *b; /* --by breakdowns, sorted */
    size_t nb;
    struct srule *r; /* per force x type x rule */
    size_t nr;
    struct sgroup *tg; /* test groups: per test x force (stratum NULL)
                        * and its strata, in test then force order */
    size_t ntg;
    struct sgroup *tb; /* test breakdowns by report_by fields */
    size_t ntb;
    struct stype *t;
    size_t nt;
    const char **rec_force;   /* per record: force used for grouping */
    const char **rec_stratum; /* per record: stratum, or NULL */
    bool *rec_spare;
    char **strs; /* strings the summary owns */
    size_t nstrs, strs_alloc;
};

void summary_init(struct summary *s);
void summary_release(struct summary *s);

/*
 * Build the figures.  CA_USAGE when manifests are given but one record
 * type in the findings has none (or two manifests share a type); CA_DATA
 * naming the findings file and line when a finding's id is not in its
 * manifest or its force disagrees with it; CA_SYSTEM when out of memory.
 */
enum ca_status summary_build(struct summary *s, const struct findings *fs,
                             const struct summary_opts *o,
                             struct ca_error *err);

/*
 * The test groups (s->tg, s->tb) of o's tests from their file rows: per
 * test and force, N is the frame's size there (the manifest of the test's
 * sample), n the files checked, deviations those that fail or error; per
 * stratum the same; per report_by value, N is known when the field is a
 * stratification field.  Called by summary_build when o has tests.
 * CA_DATA when a row names a file its sample did not draw; CA_SYSTEM.
 */
enum ca_status summary_tests(struct summary *s, const struct summary_opts *o,
                             struct ca_error *err);

/* A copy of v the summary owns (for the report modules); NULL on ENOMEM. */
const char *summary_strdup(struct summary *s, const char *v);

/* Figures for one group from N, n, k (and census / n_exact), filled in
 * place: rate, intervals, bounds, verdict, indicative.  Exposed for
 * tests. */
void summary_figures(struct sgroup *g, double confidence, double tolerable);

/* The Bayesian evaluation of one group under a prior (stats_bayes_evaluate
 * at credibility c and tolerable rate t), in the beta form (binomial
 * likelihood), the form `run --prior` sizes its samples by: the
 * beta-binomial form in N is not monotone in N for an informative prior
 * (docs/sampling.md), so no one sample bound would serve every force.
 * Leaves has_bayes false for a census, n = 0, or every file of N checked
 * (the rate is exact). */
void summary_bayes(struct sgroup *g, const struct stats_prior *prior,
                   double confidence, double tolerable);

#endif
