/* SPDX-License-Identifier: MIT */
/*
 * Deterministic synthetic police exports (the `gen` command, the demo,
 * tests and benchmarks).  For a seed, a number of forces and a number of
 * crimes, it produces crimes, wanted persons, bail cases and incidents in
 * the canonical format, with case logs in the contract's entry shape, and
 * for every record the compliance questions it truly fails by construction
 * (truth.csv; see docs/gen.md for the model and its rates).
 *
 * Every record is a pure function of (seed, type, force, index): a record
 * and every cross-reference to it (crime <-> incident, wanted/bail -> crime)
 * are regenerated from the index instead of being stored, so memory does
 * not grow with the number of records and output is byte-identical for a
 * seed on every machine (own PRNG, integer arithmetic only).
 *
 * Times are minutes since 1970-01-01 00:00, wall-clock time taken as UTC.
 */
#ifndef CA_SYNTH_GEN_H
#define CA_SYNTH_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define SYNTH_MAX_FORCES 100u
#define SYNTH_MAX_RECORDS UINT64_C(1000000000)
#define SYNTH_MAX_MONTHS 120u
#define SYNTH_MINUTES_PER_DAY 1440

enum synth_kind {
    SYNTH_CRIME = 0,
    SYNTH_WANTED,
    SYNTH_BAIL,
    SYNTH_INCIDENT,
    SYNTH__KINDS
};

/* The compliance questions of truth.csv, in the order they are listed. */
enum synth_question {
    SQ_CRIME_NO_ACTION = 0,    /* investigation/no-action */
    SQ_CRIME_NO_REVIEW_7D,     /* supervision/no-review-7d */
    SQ_CRIME_FILED_NO_ENDORSE, /* supervision/filed-without-endorsement */
    SQ_CRIME_NO_UPDATE_28D,    /* victim-care/no-update-28d */
    SQ_CRIME_NOT_TOLD,         /* victim-care/not-told-not-investigated */
    SQ_CRIME_LATE_RECORDING,   /* recording/late-recording-24h */
    SQ_CRIME_NO_PLAN,          /* investigation/no-plan-named-suspect */
    SQ_WANTED_LATE_CIRC,       /* recording/late-circulation-24h */
    SQ_WANTED_TRACE_GAP,       /* investigation/trace-gap-28d */
    SQ_WANTED_NO_REVIEW_28D,   /* supervision/no-review-28d */
    SQ_BAIL_FTA_NOT_CIRC,      /* investigation/fta-not-circulated */
    SQ_BAIL_FTA_NOT_TRACED,    /* investigation/fta-not-traced */
    SQ_BAIL_EXT_NOT_AUTH,      /* supervision/extension-not-authorised */
    SQ_BAIL_RUI_NOT_REVIEWED,  /* supervision/rui-not-reviewed-28d */
    /* the inspection's questions (docs/questions.md) */
    SQ_CRIME_INVESTIGATION,    /* crime-investigation */
    SQ_CRIME_SUPERVISION,      /* crime-supervision */
    SQ_NAMED_SUSPECT_ACTIVITY, /* named-suspect-activity (frame: the fact
                                * suspect-not-arrested) */
    SQ_WANTED_ACTIVITY,        /* wanted-activity */
    SQ_WANTED_CIRCULATION,     /* wanted-circulation */
    SQ_BAIL_FTA_PURSUED,       /* bail-fta-pursued (frame: the fact fta) */
    SQ_BAIL_SUPERVISION,       /* bail-supervision */
    SQ__COUNT
};

/* The facts of truth.csv (for reconcile). */
enum synth_fact {
    SF_DIRECT = 0,             /* crime: no incident_ref */
    SF_ATTENDED,               /* crime: attended */
    SF_UNMATCHED_INCIDENT_REF, /* crime: incident_ref matching no incident */
    SF_SUSPECT_NOT_ARRESTED,   /* crime: named suspect neither arrested nor
                                * interviewed (voluntary interview) */
    SF_UNMATCHED_CRIME_REF,    /* incident: crime_ref matching no crime */
    SF_FTA,                    /* bail: failed to answer */
    SF__COUNT
};

/* The question's name in truth.csv ("category/question", or the test id
 * of the inspection's questions) and the fact token. */
const char *synth_question_name(enum synth_question q);
enum synth_kind synth_question_kind(enum synth_question q);
const char *synth_fact_name(enum synth_fact f);

/* "crime", "wanted", "bail", "incident" (truth.csv type), and the plural
 * file stem "crimes", "wanted", "bail", "incidents". */
const char *synth_kind_name(enum synth_kind k);
const char *synth_kind_file(enum synth_kind k);

/* The canonical columns of a kind, in contract order (static). */
const char *const *synth_columns(enum synth_kind k, size_t *n);

/*
 * How the case logs are written (docs/gen.md): heavy abbreviation; pasted
 * forms and templates; full sentences; quick entries with misspellings.
 * SYNTH_STYLE_MIX gives each record one of the four, drawn from the seed.
 * The style changes only the wording: a record's timeline and truth are
 * the same in every style.
 */
enum synth_style {
    SYNTH_STYLE_TERSE = 0,
    SYNTH_STYLE_TEMPLATE,
    SYNTH_STYLE_NARRATIVE,
    SYNTH_STYLE_TYPO,
    SYNTH_STYLE_MIX,
    SYNTH__STYLES = SYNTH_STYLE_MIX /* the number of single styles */
};

/* "terse", "template", "narrative", "typo" or "mix". */
const char *synth_style_name(enum synth_style s);
/* The style named s; -1 when s names none. */
int synth_style_parse(const char *s, enum synth_style *out);

/* Progress: called now and then with records written and the total. */
typedef void (*synth_progress_fn)(void *ctx, uint64_t done, uint64_t total);

struct synth_options {
    unsigned forces;            /* 1 .. SYNTH_MAX_FORCES */
    uint64_t records;           /* crimes in all, 0 .. SYNTH_MAX_RECORDS */
    const char *seed;           /* any string; NULL is "1" */
    int start_year;             /* first month of the window, 1970 .. 9000 */
    unsigned start_month;       /* 1 .. 12 */
    unsigned months;            /* 1 .. SYNTH_MAX_MONTHS */
    enum synth_style style;     /* SYNTH_STYLE_MIX by default */
    synth_progress_fn progress; /* optional */
    void *progress_ctx;
};

/* Defaults: 3 forces, 1000 crimes, seed "1", 2022-07 for 12 months, the
 * mix of styles. */
void synth_options_init(struct synth_options *o);

/* Check ranges; CA_USAGE with a message naming the option otherwise. */
enum ca_status synth_options_check(const struct synth_options *o,
                                   struct ca_error *err);

struct synth; /* opaque generator */

/* Create a generator (copies what it needs of o; o->seed may be freed
 * after).  CA_USAGE for bad options, CA_SYSTEM when out of memory. */
enum ca_status synth_new(const struct synth_options *o, struct synth **out,
                         struct ca_error *err);
void synth_free(struct synth *g); /* NULL is a no-op */

unsigned synth_nforces(const struct synth *g);
/* The force's slug (e.g. "northshire"), borrowed. */
const char *synth_force_slug(const struct synth *g, unsigned force);
/* Records of a kind in a force. */
uint64_t synth_count(const struct synth *g, unsigned force, enum synth_kind k);
/* Window [start, end) of the main dates, and the as-of time of the export
 * (no log entry or completed date is at or after it): the first day of the
 * month after the month that follows the window. */
int64_t synth_window_start(const struct synth *g);
int64_t synth_window_end(const struct synth *g);
int64_t synth_as_of(const struct synth *g);

/* Rank classes of log entry authors, ordered by seniority. */
enum synth_rank {
    SR_NONE = 0, /* entry without rank and author */
    SR_STAFF,
    SR_PCSO,
    SR_CONSTABLE, /* PC, DC */
    SR_SERGEANT,  /* PS, DS, Sgt, SPS: the first supervisory rank */
    SR_INSPECTOR, /* Insp, DI */
    SR_CHIEF_INSPECTOR,
    SR_SUPERINTENDENT
};

/* One generated log entry, as the generator meant it (for tests). */
struct synth_entry {
    int64_t at;       /* minutes */
    int phrase_class; /* enum phrase_class (synth/phrases.h) */
    enum synth_rank rank;
};

struct synth_row {
    enum synth_kind kind;
    size_t nfields;
    const char *field[17]; /* values in synth_columns() order */
    const char *id;
    const char *force;
    uint32_t fails;         /* bit (1u << enum synth_question) */
    uint32_t facts;         /* bit (1u << enum synth_fact) */
    int64_t main_at;        /* reported/decided/arrested/opened time */
    enum synth_style style; /* the style its log is written in */
    size_t nentries;        /* log entries, chronological */
    const struct synth_entry *entries;
};

/*
 * Generate record `index` of kind k in force `force` into row.  Everything
 * row points to is owned by g and valid until the next call.  Returns
 * CA_OK, CA_USAGE for an index out of range, CA_SYSTEM when out of memory.
 */
enum ca_status synth_row(struct synth *g, enum synth_kind k, unsigned force,
                         uint64_t index, struct synth_row *row,
                         struct ca_error *err);

/* Format "YYYY-MM-DD HH:MM" (out holds 17 bytes). */
void synth_format_time(int64_t minutes, char out[17]);
/* Minutes of a calendar time (proleptic Gregorian). */
int64_t synth_time(int year, unsigned month, unsigned day, unsigned hour,
                   unsigned minute);

struct synth_summary {
    uint64_t records[SYNTH__KINDS];
    uint64_t fails[SQ__COUNT];
    uint64_t facts[SF__COUNT];
    uint64_t bytes;       /* bytes of CSV written (before compression) */
    unsigned zip_entries; /* entries written to the archive */
    int64_t as_of;
};

/*
 * Write an export into directory dir (created mode 0700 if missing):
 * crimes.csv, wanted.csv, bail.csv, incidents.csv and truth.csv; with zip,
 * export.zip (entries YYYY-MM/YYYY-MM-<force>-<kind>.csv by the month of
 * each record's main date) and truth.csv beside it.  Files are mode 0600,
 * written atomically.  Fills sum when not NULL.  CA_USAGE for bad options,
 * CA_SYSTEM for I/O errors (nothing is left half-written).
 *
 * The zip stores each entry's time as the as-of time converted with the
 * local time zone (a zip format rule); set TZ=UTC for identical archives
 * across machines (the CSV inside is identical regardless).
 */
enum ca_status synth_export(const struct synth_options *o, const char *dir,
                            bool zip, struct synth_summary *sum,
                            struct ca_error *err);

#endif
