/* SPDX-License-Identifier: MIT */
/*
 * Audit programmes: an inspection's questions as tests (docs/programme-
 * format.md).  A programme file (YAML, one programme per file, shipped in
 * programmes/) names its tests; each test asks one question of the files
 * of its frame (a record type and conditions written exactly as a rule's
 * applies_to), and a file fails the test when any of the test's rules
 * fails.  Tests of the same type and frame share one sample; every other
 * frame gets its own.
 *
 * Loading is strict: unknown or duplicate keys, unknown rules, rules of
 * another record type, unknown fields (with a did-you-mean), duplicate
 * test ids, tests sharing a frame with different strata and unknown
 * counts are errors naming file:line:col.
 *
 * Ownership: struct programme owns everything it holds (programme_free);
 * it is immutable once loaded.
 */
#ifndef CA_PROGRAMME_H
#define CA_PROGRAMME_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/condition.h"
#include "engine/rules.h"
#include "ingest/record.h"
#include "util/status.h"

#define PROGRAMME_MAX_BYTES (1024 * 1024)

/* The files a test is asked of, and the sample drawn from them. */
struct programme_frame {
    enum record_type type;
    struct engine_condition *cond; /* NULL: every record of the type */
    char *name;        /* output name: the type for every record of it,
                        * else the id of its first test */
    char *text;        /* its conditions as written in the file ("" for
                        * every record of the type) */
    char *description; /* frame.description, or NULL */
    char **strata;     /* strata fields of its tests */
    size_t nstrata;
    size_t *tests; /* its tests, in file order */
    size_t ntests;
    unsigned long line, col; /* where it is written (its first test) */
};

struct programme_test {
    char *id;
    char *title;    /* short name (the id when not given) */
    char *question; /* the question, in plain words */
    enum record_type type;
    size_t frame; /* index into programme.frames */
    char **report_by;
    size_t nreport_by;
    char **rules; /* rule ids */
    size_t nrules;
    unsigned long line, col; /* where its id is written */
};

/* The whole-export counts a programme shows under its matrix. */
enum programme_count_kind {
    PC_RECORDING_ROUTE = 0,        /* crimes via an incident and recorded
                                  * directly, and attended on each route */
    PC_NAMED_SUSPECTS_OUTSTANDING, /* crimes with a named suspect not yet
                                    * arrested or interviewed */
    PC_FAILED_TO_ANSWER,           /* bail cases whose person failed to
                                  * answer bail */
    PC__COUNT
};

struct programme_count {
    enum programme_count_kind kind;
    long test; /* counted as the frame of this test (index), or -1: by the
                * reconciliation's own definition (docs/report.md) */
};

/* Plan defaults as written ("95%", "0.1"); NULL when not given. */
struct programme_plan {
    char *confidence, *tolerable, *expected_rate;
    char *allocation; /* "proportional", "equal", "min:K" */
};

struct programme {
    char *path; /* as loaded */
    char *id, *title, *description;
    char **refs;
    size_t nrefs;
    char sha256[65]; /* of the file's bytes */
    char *text;      /* the file's bytes, NUL-terminated */
    size_t len;
    struct programme_plan plan;
    struct programme_count *counts;
    size_t ncounts;
    struct programme_test *tests;
    size_t ntests;
    struct programme_frame *frames;
    size_t nframes;
};

/* Names as written in programme files ("named-suspects-outstanding"). */
const char *programme_count_name(enum programme_count_kind k);

/*
 * Load and check a programme file.  rs, when not NULL, is the rule set its
 * tests' rules must come from (each id known, of the test's record type,
 * not deprecated); NULL skips those checks (`verify` needs only the
 * frames).  *out is a new programme (programme_free), NULL on failure.
 * CA_DATA naming file:line:col; CA_SYSTEM for I/O or memory.
 */
enum ca_status programme_load(const char *path, const struct ruleset *rs,
                              struct programme **out, struct ca_error *err);

/* The same from bytes in memory; name is used in messages and as path. */
enum ca_status programme_load_buffer(const char *name, const char *text,
                                     size_t len, const struct ruleset *rs,
                                     struct programme **out,
                                     struct ca_error *err);

void programme_free(struct programme *p);

/* Whether a parsed YAML file of these bytes looks like a programme (its
 * top-level mapping has a `tests` key), for `lint FILE`. */
bool programme_text_is_programme(const char *text, size_t len);

/* The test with this id, or -1. */
long programme_find_test(const struct programme *p, const char *id);

/* The frame with this output name, or -1. */
long programme_find_frame(const struct programme *p, const char *name);

/*
 * The file of a programme given as NAME or FILE: a path when arg names an
 * existing file or holds a '/' or ends in .yaml/.yml, else the shipped
 * programmes/<arg>.yaml (util/datadir.h).  Writes it to out; 0, or -1
 * when a shipped one is not found (out then holds where it looked).
 */
int programme_locate(const char *arg, char *out, size_t size);

/*
 * `lint`'s sorting of its arguments: each file, and each *.yaml / *.yml
 * under a directory (recursively, in sorted order), is a programme when
 * its top-level mapping has `tests`, else a rule file (whose problems the
 * rule loader reports).  A directory without such files is passed on as a
 * rule path, for the rule loader to say so.  Strings are owned
 * (programme_paths_release).  CA_DATA for a path that cannot be read,
 * CA_SYSTEM.
 */
struct programme_paths {
    char **rules, **programmes;
    size_t nrules, nprogrammes;
};
enum ca_status programme_sort_paths(const char *const *paths, size_t n,
                                    struct programme_paths *out,
                                    struct ca_error *err);
void programme_paths_release(struct programme_paths *pp);

#endif
