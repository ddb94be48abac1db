/* SPDX-License-Identifier: MIT */
/*
 * A set of findings read from one or more findings.csv files (shards) and
 * the reviewer overrides applied to it.
 *
 * findings.csv (written by `check`): header
 *   force,type,id,rule_id,category,level,verdict,entry_at,excerpt,message
 * (columns found by name; extra columns are ignored).  A record is
 * identified by (type, id); its rows may come from several files, but the
 * same (type, id, rule_id) twice is an error naming both places, as is a
 * record whose rows disagree on force or a rule whose rows disagree on
 * type or category.
 *
 * Overrides CSV: header id,rule_id,verdict,reviewer,reason; verdict pass or
 * fail; reviewer and reason must not be empty.  An id or rule that matches
 * no finding, or a second override of the same finding, is an error naming
 * file:line.  Overridden verdicts replace the rule's in every figure.
 *
 * Memory: per finding a few integers; message, excerpt and entry time are
 * kept only for rows that do not pass (the evidence the report lists).
 * findings_write_csv re-reads the inputs to write every row in full.
 *
 * Ownership: everything is owned by struct findings; findings_release.
 */
#ifndef CA_FINDINGS_H
#define CA_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/idmap.h"
#include "util/status.h"

enum fverdict { FV_PASS = 0, FV_FAIL, FV_ERROR };

const char *fverdict_name(enum fverdict v); /* "pass", "fail", "error" */

#define FINDING_NONE UINT32_MAX

struct finding {
    uint32_t rec;           /* index into findings.recs */
    uint32_t rule;          /* index into findings.rules */
    uint32_t next;          /* next finding of the same record, or NONE */
    uint32_t src;           /* index into findings.srcs */
    unsigned long line;     /* line in that file */
    unsigned char verdict;  /* enum fverdict, after overrides */
    unsigned char original; /* as read */
    uint32_t ovr;           /* index into findings.ovr, or NONE */
    uint32_t ev;            /* index into findings.ev, or NONE (pass rows) */
};

struct evidence {
    char *entry_at, *excerpt, *message;
};

struct frule {
    char *id;
    uint32_t type;     /* index into findings.types */
    uint32_t category; /* index into findings.categories */
    char *level;
};

struct frecord {
    char *id;
    uint32_t type, force; /* indexes into findings.types / forces */
    uint32_t src;         /* first row: file and line */
    unsigned long line;
    uint32_t head, tail; /* its findings, in input order */
    char **by;           /* values of the --by fields, or NULL */
};

struct override {
    char *id, *rule_id, *reviewer, *reason;
    unsigned long line;
    unsigned char verdict;  /* FV_PASS or FV_FAIL */
    unsigned char original; /* the rule's verdict */
    uint32_t finding;
};

struct findings {
    char **srcs;
    size_t nsrcs;
    struct strtab types, forces, categories;
    struct frule *rules;
    size_t nrules, rules_alloc;
    struct idmap rule_ix; /* rule id -> index */
    struct frecord *recs;
    size_t nrecs, recs_alloc;
    struct idmap rec_ix; /* type '\n' id -> index */
    struct finding *f;
    size_t nf, f_alloc;
    struct idmap pair_ix; /* (rec, rule) -> finding */
    struct evidence *ev;
    size_t nev, ev_alloc;
    char *ovr_path;
    struct override *ovr;
    size_t novr, ovr_alloc;
};

void findings_init(struct findings *fs);
void findings_release(struct findings *fs);

/* Add the rows of one findings.csv.  CA_DATA naming file:line (and field)
 * for a bad header, row, verdict or duplicate; CA_SYSTEM for I/O. */
enum ca_status findings_load(struct findings *fs, const char *path,
                             struct ca_error *err);

/* Record index for (type name, id): 1 and *rec set, or 0. */
int findings_find_record(const struct findings *fs, const char *type,
                         const char *id, uint32_t *rec);

/* Read an overrides file and apply it (at most one per set).  CA_DATA
 * naming file:line:field for anything that does not match a finding. */
enum ca_status findings_apply_overrides(struct findings *fs, const char *path,
                                        struct ca_error *err);

/* Write every finding as findings.csv (the same header), with overridden
 * verdicts, and the override noted at the end of the message. */
enum ca_status findings_write_csv(const struct findings *fs, FILE *fp,
                                  struct ca_error *err);

/* Write the overrides as CSV: id,type,rule_id,original_verdict,verdict,
 * reviewer,reason (an audit trail for the bundle). */
void findings_write_overrides(const struct findings *fs, FILE *fp);

#endif
