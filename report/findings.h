/* SPDX-License-Identifier: MIT */
/*
 * A set of findings read from one or more findings.csv files (shards) and
 * the reviewer overrides applied to it.
 *
 * findings.csv (written by `check`): header
 *   force,type,id,rule_id,category,level,verdict,entry_at,excerpt,message
 * (columns found by name; other columns are ignored, except `sample`).
 * A record is identified by (sample, type, id), where the sample is the
 * one the file was drawn for (`caseaudit run` checks each sample of an
 * audit programme apart; findings_load_sample names it, or a `sample`
 * column does), by default the record type: the same file drawn for two
 * samples is two records.  A record's rows may come from several files,
 * but the same (sample, type, id, rule_id) twice is an error naming both
 * places, as is a record whose rows disagree on force or a rule whose rows
 * disagree on type or category.
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
#include "util/findings_schema.h"
#include "util/status.h"

#define FINDING_NONE UINT32_MAX

struct finding {
    uint32_t rec;           /* index into findings.recs */
    uint32_t rule;          /* index into findings.rules */
    uint32_t next;          /* next finding of the same record, or NONE */
    uint32_t src;           /* index into findings.srcs */
    unsigned long line;     /* line in that file */
    unsigned char verdict;  /* enum verdict, after overrides */
    unsigned char original; /* as read */
    unsigned char excluded; /* a reviewer found the rule does not apply
                             * (n/a): out of every figure */
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
    uint32_t sample;      /* index into findings.samples */
    uint32_t type, force; /* indexes into findings.types / forces */
    uint32_t src;         /* first row: file and line */
    unsigned long line;
    uint32_t head, tail; /* its findings, in input order */
    char **by;           /* values of the --by fields, or NULL */
    bool excluded;       /* not counted: a spare that substitutes for no
                          * drawn file, or a file reviewed unavailable */
    bool substitutes;    /* a spare counted in place of a drawn file */
};

struct override {
    char *id, *rule_id, *reviewer, *reason;
    unsigned long line;
    unsigned char verdict;  /* V_PASS or V_FAIL */
    unsigned char original; /* the rule's verdict */
    uint32_t finding;
};

struct findings {
    char **srcs;
    size_t nsrcs;
    struct strtab types, forces, categories, samples;
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

/* The same, the rows being those of sample `sample` (a `sample` column,
 * when the file has one, still wins).  sample NULL: the record type. */
enum ca_status findings_load_sample(struct findings *fs, const char *path,
                                    const char *sample, struct ca_error *err);

/* Record index for (type name, id) in the sample named after the type: 1
 * and *rec set, or 0. */
int findings_find_record(const struct findings *fs, const char *type,
                         const char *id, uint32_t *rec);

/* Record index for (sample, type, id): 1 and *rec set, or 0. */
int findings_find_sample_record(const struct findings *fs, const char *sample,
                                const char *type, const char *id,
                                uint32_t *rec);

/* The finding of record rec for the rule with this id: 1 and *f set, or
 * 0 (the rule did not apply to it, or no finding names the rule). */
int findings_find(const struct findings *fs, uint32_t rec, const char *rule_id,
                  uint32_t *f);

/* Whether some record's sample is not named after its type (then the
 * findings.csv written has a `sample` column). */
bool findings_named_samples(const struct findings *fs);

/* Read an overrides file and apply it (at most one per set).  CA_DATA
 * naming file:line:field for anything that does not match a finding. */
enum ca_status findings_apply_overrides(struct findings *fs, const char *path,
                                        struct ca_error *err);

/* Record an override of finding fi (not yet overridden): its verdict
 * becomes verdict, the strings are copied, line is where it was given.
 * Returns 0, or -1 out of memory (nothing changed). */
int findings_add_override(struct findings *fs, uint32_t fi, const char *id,
                          const char *rule_id, const char *reviewer,
                          const char *reason, unsigned long line,
                          enum verdict verdict);

/* Write every finding as findings.csv (the same header, and a last column
 * `sample` when findings_named_samples), with overridden verdicts, and the
 * override noted at the end of the message. */
enum ca_status findings_write_csv(const struct findings *fs, FILE *fp,
                                  struct ca_error *err);

/* Write the overrides as CSV: id,type,rule_id,original_verdict,verdict,
 * reviewer,reason (an audit trail for the bundle). */
void findings_write_overrides(const struct findings *fs, FILE *fp);

#endif
