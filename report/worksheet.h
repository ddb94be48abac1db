/* SPDX-License-Identifier: MIT */
/*
 * The reviewer worksheet: what a fieldwork team fills in while it reads
 * the sampled files.  One row per sampled file (spares included, flagged)
 * and test of an audit programme, or per rule when there is none, with
 * what the rules found, and empty columns for the review:
 *
 *   force,type,sample,stratum,test,id,sample_rank,spare,tool_verdict,
 *   rules_failed,evidence,as_of,reviewer,review_verdict,reviewed_on,note,
 *   added_finding
 *
 * (as_of: the day open files were judged at, when known: `run`'s per
 * force; `review export-fixtures` gives it to the fixtures)
 *
 * (WORKSHEET_COLUMNS; report/reviews.h reads it back).  Rows are in test
 * order, then force, stratum, drawn files before spares, and rank, so a
 * spare that substitutes for an unavailable file is the next one down.
 * Written as CSV (util/csvw.h) and as an .xlsx workbook (libxlsxwriter):
 * the header frozen, review_verdict a drop-down list (pass, fail, n/a,
 * unavailable), the evidence wrapped.  Both mode 0600 and atomic.
 *
 * Ownership: struct worksheet owns its rows and their strings; it borrows
 * nothing once built.
 */
#ifndef CA_WORKSHEET_H
#define CA_WORKSHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/findings.h"
#include "report/sampleinfo.h"
#include "report/summary.h"
#include "util/status.h"

enum ws_col {
    WS_FORCE,
    WS_TYPE,
    WS_SAMPLE,
    WS_STRATUM,
    WS_TEST,
    WS_ID,
    WS_RANK,
    WS_SPARE,
    WS_TOOL,
    WS_RULES_FAILED,
    WS_EVIDENCE,
    WS_AS_OF,
    WS_REVIEWER,
    WS_REVIEW_VERDICT,
    WS_REVIEWED_ON,
    WS_NOTE,
    WS_ADDED,
    WS__COUNT
};

extern const char *const worksheet_columns[WS__COUNT];

struct ws_row {
    char *v[WS__COUNT]; /* owned; the review columns empty */
};

/* The as-of day of a force's files ("YYYY-MM-DD"), borrowed. */
struct ws_as_of {
    const char *force, *day;
};

struct worksheet {
    struct ws_row *rows;
    size_t n, alloc;
    bool per_rule; /* no programme: one row per file and rule */
};

void worksheet_init(struct worksheet *w);
void worksheet_release(struct worksheet *w);

/*
 * Build the rows.  With tests (an audit programme's, and their file rows
 * tfiles: spares among them) one row per file x test; else one per
 * finding record x rule of fs.  Stratum, rank and spare come from the
 * manifest of the row's sample (empty without one).  Evidence: per rule
 * that did not pass, "RULE: message" and, unless excerpts is false, the
 * entry time and excerpt; joined by " | ".  CA_SYSTEM when out of memory.
 */
enum ca_status worksheet_build(struct worksheet *w, const struct findings *fs,
                               const struct sampleinfo *m, size_t nm,
                               const struct report_test *tests, size_t ntests,
                               const struct report_tfile *tfiles,
                               size_t ntfiles, bool excerpts,
                               const struct ws_as_of *as_of, size_t nas_of,
                               struct ca_error *err);

/* Write the rows as CSV. */
void worksheet_write_csv(const struct worksheet *w, FILE *fp);

/* Write the rows as an .xlsx workbook at path (mode 0600, atomic: a
 * private temporary file beside it, renamed into place).  CA_SYSTEM when
 * it cannot be written. */
enum ca_status worksheet_write_xlsx(const struct worksheet *w, const char *path,
                                    struct ca_error *err);

#endif
