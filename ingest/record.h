/* SPDX-License-Identifier: MIT */
/*
 * The canonical record model (a contract: see docs/design.md).  Every record
 * has a type and canonical fields; a profile maps an export's columns onto
 * them, and every other column is kept under its own name.
 *
 * Ownership: a struct record handed to an ingest callback, and everything it
 * points to, is borrowed and valid only until the callback returns.  Copy
 * what you keep (record_copy).
 */
#ifndef CA_RECORD_H
#define CA_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

enum record_type {
    RT_UNKNOWN = 0,
    RT_CRIME,
    RT_WANTED,
    RT_BAIL,
    RT_INCIDENT,
    RT__COUNT
};

/* "crime", "wanted", "bail", "incident" ("unknown" for RT_UNKNOWN). */
const char *record_type_name(enum record_type t);
/* Returns 0 and sets *t, or -1 for an unknown name. */
int record_type_parse(const char *name, enum record_type *t);

/* Canonical fields, the union over all record types. */
enum cf {
    CF_FORCE = 0,
    CF_CRIME_REF,
    CF_INCIDENT_REF,
    CF_OFFENCE,
    CF_OFFENCE_GROUP,
    CF_REPORTED_AT,
    CF_RECORDED_AT,
    CF_ATTENDED,
    CF_VULNERABLE,
    CF_REPEAT_VICTIM,
    CF_NAMED_SUSPECT,
    CF_STATUS,
    CF_OUTCOME,
    CF_OUTCOME_AT,
    CF_OIC,
    CF_LOG,
    CF_WANTED_REF,
    CF_PERSON_REF,
    CF_DECIDED_AT,
    CF_CIRCULATED_AT,
    CF_CLOSED_AT,
    CF_BAIL_REF,
    CF_ARRESTED_AT,
    CF_BAIL_START,
    CF_BAIL_END,
    CF_FAILED_TO_ANSWER,
    CF_ANSWERED_AT,
    CF_OPENED_AT,
    CF_CATEGORY,
    CF_ATTENDED_AT,
    CF__COUNT
};

enum cf_kind { CFK_TEXT, CFK_DATE, CFK_FLAG };

const char *cf_name(enum cf f); /* "crime_ref", ... */
enum cf_kind cf_kind(enum cf f);
/* Canonical field by name (exact, lower case); -1 when not canonical. */
int cf_lookup(const char *name);
/* The id field of a type (CF_CRIME_REF for RT_CRIME, ...); CF__COUNT for
 * RT_UNKNOWN. */
enum cf record_type_id_field(enum record_type t);
/* Whether field f belongs to type t's canonical model. */
bool record_type_has_field(enum record_type t, enum cf f);
/* The main date of a type (recorded_at, decided_at, arrested_at,
 * opened_at): the one inventories and the demo group by.  CF__COUNT for
 * RT_UNKNOWN. */
enum cf record_type_main_date(enum record_type t);

/* State of a parsed date field. */
enum date_state { DS_ABSENT = 0, DS_EMPTY, DS_OK, DS_BAD };

struct record {
    enum record_type type;
    const char *source; /* "file.csv" or "archive.zip:dir/entry.csv" */
    unsigned long line; /* physical line where the row starts, 1-based */
    const char *force;  /* never NULL; "unknown" when no source gives one */
    const char *id;     /* never NULL or empty for an accepted record */

    size_t ncols;
    const char *const *names;  /* column names as in the header (BOM removed) */
    const char *const *values; /* NUL-terminated values, flags normalised */
    const size_t *lens;

    int canon[CF__COUNT]; /* column index of each canonical field, or -1 */
    /* Date fields: seconds since 1970-01-01 UTC (local UK wall time taken
     * as UTC; only differences and calendar days matter to the rules). */
    int64_t at[CF__COUNT];
    unsigned char at_state[CF__COUNT]; /* enum date_state */
    bool at_has_time[CF__COUNT];       /* false: date only, at = midnight */

    /* The case log, split lazily by record_log(). */
    const void *log_ctx; /* private to ingest */
};

/* Value of a canonical field: NULL when the column is absent, "" when
 * empty.  Flags read "Y" or "N" (or the raw value when unrecognised).
 * CF_FORCE always gives r->force (whatever source it came from). */
const char *record_get(const struct record *r, enum cf f);
/* Value by name: a canonical field name, else an exact column name. */
const char *record_get_named(const struct record *r, const char *name);
/* The same for a caller that has looked the name up: cf is
 * cf_lookup(name) (-1 when it is no canonical field name). */
const char *record_get_looked_up(const struct record *r, int cf,
                                 const char *name);

/* One entry of the case log. */
struct log_entry {
    int64_t at;    /* seconds, as for record.at */
    bool has_at;   /* false for text before the first timestamp, and for
                    * a bad_at entry */
    bool bad_at;   /* the line starts with a timestamp that is not a real
                    * date or time (31/09/2023, 25:61): never merged into
                    * the entry before; rules reading the log give error */
    bool has_time; /* false: date only */
    const char *rank;
    size_t rank_len; /* "" when none */
    const char *author;
    size_t author_len;
    const char *text;
    size_t text_len; /* the entry's text after the header */
    const char *raw;
    size_t raw_len;            /* the whole entry, header included */
    unsigned long line_offset; /* line within the log, 0-based */
};

/*
 * A reusable vector of log entries.  Pointers into it borrow the record's
 * memory (or the joined entries file) and live as long as the record.
 */
struct log_entries {
    struct log_entry *v;
    size_t n, alloc;
    size_t cap;           /* maximum entries per log; 0 = the ingest limit
                           * max_log_entries (default 100000) */
    void *match_data;     /* private: reused PCRE2 match data */
    unsigned match_pairs; /* private */
    void *who_memo;       /* private: the authors of default headers seen */
    bool utf8_checked;    /* every entry lies in a log whose UTF-8 ingest
                           * has checked (set by record_log) */
};

void log_entries_init(struct log_entries *le);
void log_entries_release(struct log_entries *le);

/*
 * Split r's log into entries (in log order, which is kept even when the
 * timestamps are out of order).  Reuses le's memory.  Returns CA_OK, or
 * CA_DATA when the log has more entries than le->cap (err says so).  A
 * record without a log column gives zero entries and CA_OK; callers that
 * need a log check record_has_log(r).
 */
/* Whether r has a case log to split: a log column (empty or not) or an
 * entries file joined to it. */
bool record_has_log(const struct record *r);

enum ca_status record_log(const struct record *r, struct log_entries *le,
                          struct ca_error *err);

/*
 * record_log for a reader of the entries' times alone (the as-of date):
 * the same entries with the same at, has_at, bad_at and has_time, and the
 * same status, but rank, author and text are not to be read (a default
 * header's author part is not looked at).
 */
enum ca_status record_log_dates(const struct record *r, struct log_entries *le,
                                struct ca_error *err);

/*
 * The latest event of a record, for the default as-of date of `run` and
 * `check` (docs/report.md, "The as-of date"): every canonical date field
 * but the scheduled bail_end, and every dated entry of le (its split log,
 * or NULL).  A time after now is no event: it is counted in *future.
 * 1 with *latest raised to it when the record has an event later than
 * *latest (or *latest was unset: *have false), else 0.
 */
int record_latest_event(const struct record *r, const struct log_entries *le,
                        int64_t now, int64_t *latest, bool *have,
                        uint64_t *future);

/*
 * Split a case log held in a string with the contract's default
 * entry-header regex: the same splitter as record_log (used for rule
 * examples, fixtures and tests).  With untimed_header, a first line
 * without a timestamp may still begin with a rank and author ("DS 4521
 * Smith: Reviewed.").  Entries borrow text.  Reuses le's memory.  Returns
 * CA_OK, CA_DATA over le->cap (default 100000) entries, CA_SYSTEM.
 */
enum ca_status log_split(const char *text, size_t len, bool untimed_header,
                         struct log_entries *le, struct ca_error *err);

/*
 * Whether r's case log has an entry whose timestamp is not a valid date or
 * time (bad_at): 1 (and *bad, the first such entry, in le), 0, or -1 when
 * the log cannot be split (err).  Cheap for the default entry header: the
 * log is split only when a line starts with an out-of-range date or time.
 * le is scratch space (reused); *bad lives until le is reused.
 */
int record_log_bad_at(const struct record *r, struct log_entries *le,
                      const struct log_entry **bad, struct ca_error *err);

/* The first entry marked bad_at among n, or NULL. */
const struct log_entry *log_first_bad_at(const struct log_entry *e, size_t n);

/* Deep copy (for commands that must keep records, e.g. sample output). */
struct record *record_copy(const struct record *r);
void record_free(struct record *r);

/* Date and flag parsing, exposed for rules and tests. */

/*
 * Parse ISO 8601 (2014-02-03, 2014-02-03 14:22, 2014-02-03T14:22:00Z,
 * with optional seconds and Z or +00:00) or UK DD/MM/YYYY [HH:MM[:SS]].
 * fmt NULL accepts both; a strptime-like format ("%d/%m/%Y %H:%M") fixes
 * one.  Returns 0 and sets *secs and *has_time, 1 for an empty string,
 * -1 for an invalid date (including 31/02).
 */
int date_parse(const char *s, size_t len, const char *fmt, int64_t *secs,
               bool *has_time);
/* Format secs as "YYYY-MM-DD" or "YYYY-MM-DD HH:MM"; out holds 20 bytes. */
void date_format(int64_t secs, bool with_time, char out[20]);
/*
 * Days since 1970-01-01 for a civil date (proleptic Gregorian, H. Hinnant's
 * algorithm), and back: the one calendar conversion every module uses.
 */
int64_t date_days_from_civil(int y, unsigned m, unsigned d);
void date_civil_from_days(int64_t day, int *y, unsigned *m, unsigned *d);
/* 1 yes, 0 no, -1 unrecognised: Y/N, yes/no, true/false, 1/0 (any case). */
int flag_parse(const char *s, size_t len);

#endif
