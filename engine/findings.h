/* SPDX-License-Identifier: MIT */
/*
 * Findings: writing verdicts as findings.csv or JSON Lines (the contract in
 * docs/design.md: force,type,id,rule_id,category,level,verdict,entry_at,
 * excerpt,message), and tallying them per rule for summaries.
 *
 * The writer borrows its FILE; the caller opens (outfile_open) and commits
 * it.  CSV fields go through util/csvw (formula guard on).
 */
#ifndef CA_FINDINGS_H
#define CA_FINDINGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"
#include "util/csvw.h"

enum findings_format { FF_CSV = 0, FF_JSONL };

struct findings_writer {
    FILE *fp; /* borrowed */
    enum findings_format format;
    bool excerpts; /* false: the excerpt column is left empty */
    struct csvw csv;
    uint64_t rows;
};

/* Prepare a writer and write the CSV header (none for JSON Lines). */
void findings_writer_init(struct findings_writer *w, FILE *fp,
                          enum findings_format format, bool excerpts);
/* One row for record r and verdict v. */
void findings_write(struct findings_writer *w, const struct record *r,
                    const struct engine_verdict *v);
/* 0, or -1 when the stream has an error (errno may tell why). */
int findings_writer_finish(struct findings_writer *w);

/* Per-rule counts of verdicts (index = rule_index). */
struct findings_tally {
    size_t nrules;
    uint64_t (*count)[V__COUNT]; /* owned; count[rule][verdict] */
    uint64_t records;            /* records evaluated */
};

/* Returns 0, or -1 when out of memory. */
int findings_tally_init(struct findings_tally *t, const struct ruleset *rs);
void findings_tally_add(struct findings_tally *t,
                        const struct engine_verdict *v);
void findings_tally_release(struct findings_tally *t);
/* Whether a fail at level >= min was counted. */
bool findings_tally_has_fail(const struct findings_tally *t,
                             const struct ruleset *rs, enum rule_level min);

#endif
