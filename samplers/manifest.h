/* SPDX-License-Identifier: MIT */
/*
 * The sample manifest (JSON, schema in docs/sampling-methods.md and the
 * contracts): everything needed to re-draw a sample and check it, namely
 * the parameters (method, seed, type, profile, strata, allocation, spares,
 * frame filters, plan), the inputs with their sizes and SHA-256, the row
 * accounting, N and n per force and stratum, and the selected ids and
 * spares with their rank keys.
 *
 * Ownership: every pointer in these structs is owned by the struct that
 * holds it; manifest_release / sample_params_release free them.
 */
#ifndef CA_MANIFEST_H
#define CA_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "samplers/alloc.h"
#include "samplers/select.h"
#include "util/status.h"

#define MANIFEST_VERSION 1
/* A manifest file larger than this is refused unread. */
#define MANIFEST_MAX_BYTES (UINT64_C(1) << 30)

struct where_clause {
    char *field;
    char *regex;
};

enum plan_mode {
    PLAN_MODE_FIXED = 0,
    PLAN_MODE_ATTRIBUTE,
    PLAN_MODE_ESTIMATION,
    PLAN_MODE_CENSUS /* every record of the frame: n = N in every group */
};

/* How n was chosen.  Attribute and estimation plans are sized per
 * population (per force with per_force) by samplers/plan.h. */
struct sample_plan {
    enum plan_mode mode;
    uint64_t size;     /* fixed: n */
    double confidence; /* attribute, estimation */
    double tolerable;  /* attribute */
    bool has_expected_errors;
    uint64_t expected_errors; /* attribute */
    char *expected_rate;      /* attribute: as given ("2%"), or NULL */
    char *model;              /* attribute: model name, NULL = default */
    char *prior;   /* attribute: the beta prior of a Bayesian plan, as
                  * stats_prior_format writes it ("uniform", "2/60"), or
                  * NULL: a classical plan (the key is written only when
                  * set) */
    double margin; /* estimation */
    double p;      /* estimation: anticipated rate (0.5) */
};

/*
 * A frame drawn for an audit programme's tests (`caseaudit run`): besides
 * the type and the where regexes, the records meet conditions written in
 * the programme file.  samplers/ does not judge them (the caller passes a
 * frame callback, draw.h); the manifest records them so that `verify` can
 * rebuild the same frame from the same programme file.
 */
struct sample_frame_ref {
    char *programme; /* the programme's id */
    char *file;      /* the programme file, as recorded (in a bundle:
                      * programmes/<name>) */
    char *sha256;    /* of the programme file's bytes */
    char *name;      /* the frame's name in the programme (the sample's) */
    char **tests;    /* the ids of the tests asked of it */
    size_t ntests;
    char *conditions; /* the frame's conditions as written ("" for every
                       * record of the type) */
};

struct sample_params {
    char *type;    /* "crime", ... */
    char *profile; /* NULL: chosen by header */
    char *seed;    /* as given */
    enum sample_method method;
    bool per_force;
    char **strata; /* field names, in the order given */
    size_t nstrata;
    struct alloc_spec alloc;
    uint64_t spares; /* per stratum */
    char *order_by;  /* systematic ordering field, or NULL */
    struct where_clause *where;
    size_t nwhere;
    struct sample_plan plan;
    bool shard; /* hash: the manifest also lists each group's kept keys
                 * as candidates, so that shards can be merged */
    struct sample_frame_ref *programme; /* NULL: no programme frame */
};

struct sample_input {
    char *path;
    uint64_t bytes;
    char sha256[65];
};

struct reject_count {
    char *reason;
    uint64_t n;
};

struct sample_result {
    struct sample_input *inputs;
    size_t ninputs;
    uint64_t rows_read, rows_accepted, rows_rejected, rows_excluded;
    struct reject_count *rejected; /* reasons with a non-zero count */
    size_t nrejected;
    struct selection sel;             /* population (groups), selected and
                                       * spares (items, rows unused here), and
                                       * with shard the candidates (cands) */
    uint64_t candidates_per_stratum;  /* shard: keys kept per group (the
                                       * largest n it can be allocated
                                       * plus the spares); 0 = all */
    struct sample_input *merged_from; /* a merge: the shard manifests */
    size_t nmerged;
};

struct manifest {
    int version;
    char *tool_version;
    char **argv;
    size_t argc;
    char *created; /* "YYYY-MM-DDTHH:MM:SSZ" */
    struct sample_params p;
    struct sample_result r;
    /* manifest_read: the size and SHA-256 of the bytes read and parsed */
    uint64_t read_bytes;
    unsigned char read_sha256[32];
};

void sample_params_release(struct sample_params *p);
void sample_result_release(struct sample_result *r);
void manifest_release(struct manifest *m); /* NULL-safe; zeroes m */

/* NULL-safe; frees f itself. */
void sample_frame_ref_free(struct sample_frame_ref *f);
/* A deep copy, or NULL on ENOMEM. */
struct sample_frame_ref *
sample_frame_ref_copy(const struct sample_frame_ref *f);

/* Deep copy of parameters (for verify).  Returns 0, or -1 on ENOMEM. */
int sample_params_copy(struct sample_params *dst,
                       const struct sample_params *src);

/* Write m as pretty-printed JSON (a trailing newline) to fp.  CA_SYSTEM on
 * memory or write failure. */
enum ca_status manifest_write(const struct manifest *m, FILE *fp,
                              struct ca_error *err);

/* Read a manifest file (once: read_bytes and read_sha256 are of the
 * bytes parsed).  CA_DATA, naming the file (and the key), when it cannot be
 * read, is not a version-1 manifest, or a key is missing or of the wrong
 * type; CA_SYSTEM when memory runs out. */
enum ca_status manifest_read(const char *path, struct manifest *m,
                             struct ca_error *err);
/* The same from len bytes of text in memory; name stands for the file in
 * messages. */
enum ca_status manifest_parse(const char *name, const char *text, size_t len,
                              struct manifest *m, struct ca_error *err);

/*
 * The path to read for an input a manifest lists: as given when it is
 * absolute, "-", or found from the current directory; else relative to
 * the manifest's folder when found there; else as given (the caller's
 * error will name it).  Returns a string the caller frees, or NULL on
 * ENOMEM.
 */
char *manifest_resolve_input(const char *manifest_path, const char *input);

/* "2026-11-26T23:00:00Z" for now, or for SOURCE_DATE_EPOCH when set (for
 * reproducible builds and tests); out holds 21 bytes. */
void manifest_timestamp(char out[21]);

#endif
