/* SPDX-License-Identifier: MIT */
/*
 * A reviewer worksheet returned from fieldwork (report/worksheet.h), read
 * back and applied to the files' verdicts per test (per rule where there
 * is no programme: each rule stands as a test).
 *
 * Reading: CSV (UTF-8, with or without a BOM; a file that is not valid
 * UTF-8 is read as Windows-1252, as Excel saves "CSV" on Windows) or an
 * .xlsx workbook (ingest/xlsx.h), recognised by its bytes, at most
 * REVIEWS_MAX_BYTES.  Columns by name: test, id, review_verdict and
 * reviewer are required; force, sample, reviewed_on, note and
 * added_finding are read when present; the others are ignored.
 *
 * A row is reviewed when review_verdict or added_finding is filled in.
 * review_verdict is pass, fail, n/a or unavailable, in any case and with
 * blanks around ("PASS", " Pass "); reviewed_on a date (YYYY-MM-DD,
 * DD/MM/YYYY or a spreadsheet date); added_finding, the reviewer's words
 * for what a rule missed, makes the file fail (with review_verdict empty
 * or fail).  A reviewed row needs a reviewer, and a note when it is n/a,
 * unavailable, or disagrees with the rules.
 *
 * Applying: every row is applied, not reviewed (left empty), ignored (a
 * spare that substitutes for nothing), or rejected with a reason naming
 * file, line and field; rows = applied + not reviewed + ignored +
 * rejected.  A rejected row makes the whole file refused (CA_DATA): a
 * report is never made from a review that could not be applied.
 *
 *   pass, fail, added finding  the verdict replaces the rules' for that
 *                              file and test
 *   n/a                        the file leaves that test's n (the frame's
 *                              N is then no longer known: binomial bounds)
 *   unavailable                the file leaves every test of its sample,
 *                              and the next spare of the same force and
 *                              stratum, in rank order, takes its place
 *                              (a spare itself unavailable is passed
 *                              over); with none left the file is missing
 *
 * Agreement per test, over the counted files with a reviewer's pass or
 * fail: the 2 x 2 table of the rules' verdict (an error counts as fail)
 * against the reviewer's, the agreement rate and Cohen's kappa with its
 * interval (stats/agree.h), and the files where they disagree.
 *
 * Ownership: struct reviews owns everything it holds; reviews_release.
 */
#ifndef CA_REVIEWS_H
#define CA_REVIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/findings.h"
#include "report/sampleinfo.h"
#include "report/summary.h"
#include "stats/agree.h"
#include "util/status.h"

#define REVIEWS_MAX_BYTES (64u << 20)
#define REVIEWS_MAX_REJECTED 200 /* messages kept (all are counted) */

enum review_verdict { RV_NONE = 0, RV_PASS, RV_FAIL, RV_NA, RV_UNAVAILABLE };

/* "", "pass", "fail", "n/a", "unavailable" */
const char *review_verdict_name(enum review_verdict v);
/* Case-insensitive, blanks around ignored; "" is RV_NONE.  0, or -1. */
int review_verdict_parse(const char *s, enum review_verdict *v);

enum review_use { RU_NOT_REVIEWED = 0, RU_APPLIED, RU_IGNORED };

struct review {
    unsigned long line; /* row in the file (CSV line, sheet row) */
    char *force, *sample, *test, *id;
    char *reviewer, *reviewed_on, *note, *added;
    /* the worksheet's own columns, as read ("" when absent): for
     * `review export-fixtures` */
    char *type, *tool_text, *rules_failed, *as_of;
    enum review_verdict verdict; /* RV_FAIL for an added finding alone */
    enum review_use use;
    const char *why;   /* ignored: why (static text) */
    uint32_t tfile;    /* the file x test row it applies to */
    enum verdict tool; /* the rules' verdict of that row */
};

/* A drawn file found unavailable, and the spare that took its place. */
struct substitution {
    char *sample, *force, *stratum, *id;
    uint64_t rank;
    char *spare; /* NULL: no spare left; the file is missing */
    uint64_t spare_rank;
    uint32_t review; /* the review that found it unavailable */
};

/* Agreement between the rules and the reviewers on one test. */
struct agreement {
    uint32_t test;    /* index into the tests */
    const char *name; /* the test's id (borrowed from the tests) */
    uint64_t tab[4];  /* [rules * 2 + reviewer], 0 pass, 1 fail */
    struct agreement_stats k;
    uint32_t *disagree; /* reviews where they differ */
    size_t ndisagree;
};

struct reviews {
    char *path;
    char sha256[65];
    const char *format; /* "CSV, UTF-8", "CSV, Windows-1252", "xlsx" */
    struct review *v;
    size_t n, alloc;
    uint64_t applied, not_reviewed, ignored, rejected;
    uint64_t by_verdict[5]; /* applied, per enum review_verdict */
    uint64_t added;         /* applied with an added finding */
    char **rej;             /* the rejected rows' messages (at most
                             * REVIEWS_MAX_REJECTED) */
    size_t nrej;
    struct substitution *sub;
    size_t nsub;
    struct agreement *ag; /* per test with reviews, in test order */
    size_t nag;
    double confidence;
};

void reviews_init(struct reviews *rv);
void reviews_release(struct reviews *rv);

/*
 * Read a reviews file (rows kept as read; rows that cannot be read are
 * rejected).  CA_DATA naming the file (and line and field) when it is not
 * a worksheet, CA_SYSTEM when it cannot be read.
 */
enum ca_status reviews_load(struct reviews *rv, const char *path,
                            struct ca_error *err);

/* The same from bytes in memory (name for messages; for tests and the
 * fuzz target). */
enum ca_status reviews_parse(struct reviews *rv, const char *name,
                             const char *data, size_t len,
                             struct ca_error *err);

/*
 * Apply the reviews to the file x test rows tf (verdict, use, review set
 * in place), substitute spares from the samples' manifests m, and measure
 * the agreement at confidence c.  CA_DATA when any row is rejected (err
 * holds the first; rv->rej every one), CA_SYSTEM when out of memory.
 */
enum ca_status reviews_apply(struct reviews *rv, const struct report_test *t,
                             size_t nt, struct report_tfile *tf, size_t ntf,
                             const struct sampleinfo *m, size_t nm, double c,
                             struct ca_error *err);

/*
 * Which checked spares count in the findings' figures: a spare counts
 * only where it takes the place of a drawn file.  The substitutions of
 * rv (reviews_apply) decide for their samples (the unavailable drawn
 * files are excluded too); in a sample without them, and when implicit
 * is set (`caseaudit report`), a drawn file with no findings (it was not
 * checked) takes the next checked spare of its force and stratum in rank
 * order, logged in rv->sub with review UINT32_MAX.  Every other checked
 * spare is excluded (fs->recs[].excluded) and counted in *ignored.
 */
enum ca_status reviews_settle_spares(struct reviews *rv, struct findings *fs,
                                     const struct sampleinfo *m, size_t nm,
                                     bool implicit, uint64_t *ignored,
                                     struct ca_error *err);

/* Rows that carry a review (applied ones), for writers: the review of a
 * file x test row, or NULL. */
const struct review *reviews_of(const struct reviews *rv,
                                const struct report_tfile *tf);

#endif
