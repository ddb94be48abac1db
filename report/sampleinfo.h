/* SPDX-License-Identifier: MIT */
/*
 * What the report needs from a sample manifest (JSON written by `caseaudit
 * sample`, schema in the contracts): method, seed, type, strata, the
 * population N and planned n per force and stratum, which force and
 * stratum each selected id (or spare) belongs to, and the row accounting
 * with the reasons rows were rejected.  The file's bytes and SHA-256 are
 * kept for the sampling statement and the evidence bundle.
 *
 * Ownership: everything is owned by struct sampleinfo; sampleinfo_release.
 */
#ifndef CA_SAMPLEINFO_H
#define CA_SAMPLEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/idmap.h"
#include "util/status.h"

#define SAMPLEINFO_MAX_BYTES (1024u << 20) /* 1 GiB manifest cap */

struct spop {
    char *force, *stratum;
    uint64_t N, n; /* frame size, files drawn (the plan's n less any
                    * shortfall) */
};

struct sreject {
    char *reason;
    uint64_t n;
};

struct sampleinfo {
    char *path;
    char sha256[65];
    char *text; /* the file's bytes, NUL-terminated */
    size_t textlen;
    char *method, *seed, *type, *allocation, *created, *tool_version;
    /* The sample's name: the frame's name when an audit programme's frame
     * (frame.programme.frame), else the record type; findings, groups and
     * tests refer to a sample by it. */
    char *name;
    char *programme;  /* frame.programme.id, or NULL */
    char *conditions; /* frame.programme.conditions, or NULL */
    char **tests;     /* frame.programme.tests */
    size_t ntests;
    bool census;   /* plan mode census: every file of the frame drawn */
    char **strata; /* strata field names */
    size_t nstrata;
    bool per_force;
    struct spop *pop;
    size_t npop;
    struct idmap ids; /* id -> pop index * 2 + (1 if a spare) */
    size_t nselected, nspares;
    char **selected;         /* selected ids in manifest order */
    uint64_t *selected_rank; /* their ranks (0 when the manifest has none) */
    char **spares;           /* spare ids in manifest order (rank order
                              * within each force and stratum) */
    uint64_t *spare_rank;
    struct idmap rank_ix; /* id -> rank */
    uint64_t rows_read, rows_accepted, rows_rejected, rows_excluded;
    struct sreject *rej;
    size_t nrej;
    char **inputs; /* input paths as recorded */
    size_t ninputs;
};

void sampleinfo_init(struct sampleinfo *s);
void sampleinfo_release(struct sampleinfo *s);

/* Read and check a manifest file.  CA_DATA naming the file and key for a
 * file that is not a version-1 manifest or is inconsistent (a selected id
 * twice, a force/stratum missing from population); CA_SYSTEM when it
 * cannot be read. */
enum ca_status sampleinfo_load(struct sampleinfo *s, const char *path,
                               struct ca_error *err);

/* Same from bytes already in memory; name is used in messages and kept
 * as path. */
enum ca_status sampleinfo_parse(struct sampleinfo *s, const char *name,
                                const char *text, size_t len,
                                struct ca_error *err);

/* Population index and spare flag of id: 1 when present, else 0. */
int sampleinfo_lookup(const struct sampleinfo *s, const char *id, uint32_t *pop,
                      bool *spare);

/* The rank of id in its force and stratum (selected or spare), or 0. */
uint64_t sampleinfo_rank(const struct sampleinfo *s, const char *id);

/* Whether the sample was stratified (strata fields were given). */
bool sampleinfo_stratified(const struct sampleinfo *s);

#endif
