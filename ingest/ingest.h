/* SPDX-License-Identifier: MIT */
/*
 * Streaming ingest: CSV files, directories of them, standard input ("-") and
 * archives that libarchive reads, turned into canonical records through a
 * profile, one callback per record, in input order.  Nothing is extracted to
 * disk and memory does not grow with the number of rows (except the set of
 * ids kept for the duplicate check).
 *
 * Accounting contract: every data row is either handed to on_record
 * (accepted) or to on_reject with a reason; rows_read = rows_accepted +
 * rows_rejected always holds.
 */
#ifndef CA_INGEST_H
#define CA_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "ingest/record.h"
#include "util/status.h"

enum reject_reason {
    RJ_MISSING_ID = 0, /* "missing id" */
    RJ_DUPLICATE_ID,   /* "duplicate id" */
    RJ_MALFORMED_CSV,  /* "malformed csv": bad quoting, NUL byte */
    RJ_RAGGED_ROW,     /* "ragged row": wrong number of fields */
    RJ_BAD_DATE,       /* "bad date": a required date field unparseable */
    RJ_OVERSIZE_FIELD, /* "oversize field" */
    RJ_ENCODING,       /* "encoding": invalid UTF-8 */
    RJ_UNKNOWN_TYPE,   /* "unknown type": no profile could tell the type */
    RJ_MISSING_FIELD,  /* "missing field": a required field empty/absent */
    RJ_FILTERED,       /* never counted as rejected; reserved */
    RJ__COUNT
};

const char *reject_reason_name(enum reject_reason r);

struct reject {
    const char *source; /* file or archive:entry */
    unsigned long line; /* physical line where the row starts */
    enum reject_reason reason;
    const char *detail; /* human-readable, names the field */
    const char *field;  /* field concerned, or NULL */
    const char *id;     /* the id when known, else NULL */
    /* for RJ_DUPLICATE_ID: where the id was first seen */
    const char *first_source;
    unsigned long first_line;
    enum record_type type; /* the record type of the row's file */
};

/* Limits; zero means the default shown. */
struct ingest_limits {
    size_t max_field;           /* 1 MiB per field */
    size_t max_row;             /* 16 MiB per row */
    uint64_t max_entry_bytes;   /* 4 GiB decompressed per archive entry */
    uint64_t max_archive_bytes; /* 64 GiB decompressed per archive */
    uint64_t max_entries;       /* 100000 entries per archive */
    double max_ratio;           /* 1000: decompressed / compressed bytes */
    size_t max_log_entries;     /* 100000 entries per log */
};

/* How far a run has got, for a progress line. */
struct ingest_progress {
    uint64_t records;    /* rows read so far */
    double mb_per_s;     /* CSV bytes (decompressed) per second */
    int percent;         /* of the input bytes; -1 when the total is unknown */
    unsigned long eta_s; /* seconds left, when percent >= 0 */
    bool done;           /* the run ended: clear the line */
};
typedef void (*ingest_progress_fn)(void *ctx, const struct ingest_progress *p);

struct ingest_opts {
    const char *profile;      /* built-in name or YAML path; NULL = by header */
    const char *encoding;     /* NULL or "utf-8"; "cp1252" transcodes */
    const char *force;        /* overrides column and path */
    enum record_type type;    /* RT_UNKNOWN: any; else other types skipped */
    const char *entries_file; /* CSV ref,at,rank,author,text joined as log */
    bool check_duplicates;    /* keep an id set (per type) */
    bool no_digest;           /* leave inputs' sha256 zero: a caller that
                               * reports no digest (check) saves the
                               * hashing of plain files */
    const char *const *required; /* canonical fields that must parse
                                  * (dates) or be present; NULL-terminated */
    struct ingest_limits limits;
    /* Files named as inputs are read as if found in a folder: one that
     * holds no records (no id column) is skipped with a note, not an
     * error.  For re-reading a manifest's inputs, which lists every file
     * a run read, skipped ones too. */
    bool named_as_found;
    /* Progress: when progress is true, on_progress is called with
     * progress_ctx at most twice a second once the run has taken a second,
     * and once more with done set when the run ends (if it was called
     * before).  ingest never prints: without a callback there is no
     * progress. */
    bool progress;
    ingest_progress_fn on_progress;
    void *progress_ctx;
};

/* Defaults: check_duplicates true, everything else zero/NULL. */
void ingest_opts_init(struct ingest_opts *o);

/* One input as read, for manifests and the evidence bundle. */
struct ingest_input {
    char *path; /* as given */
    uint64_t bytes;
    unsigned char sha256[32];
    uint64_t rows_read, rows_accepted, rows_rejected;
    char *profile; /* profile used (last one for archives) */
};

/*
 * Something about a whole input or archive entry rather than a row: a file
 * skipped (not CSV, no id column for any record type, other record type is
 * not a note), an input that could not be read, an archive limit, an
 * encrypted entry, or a file stopped by an unterminated quote.  error is
 * true when data could not be read (ingest_run then returns CA_DATA).
 */
struct ingest_note {
    char *source; /* file or archive:entry */
    char *message;
    bool error;
};

struct ingest_stats {
    uint64_t rows_read;
    uint64_t rows_accepted;
    uint64_t rows_rejected;
    uint64_t rejected_by_reason[RJ__COUNT];
    uint64_t rows_other_type; /* rows skipped by opts.type: not rejected,
                               * and not counted in rows_read */
    uint64_t bytes_read;
    /* with opts.type RT_UNKNOWN: files whose type a requested type would
     * change (a bare list of the references of two types) */
    uint64_t files_type_ambiguous;
    struct ingest_input *inputs; /* owned */
    size_t ninputs;
    struct ingest_note *notes; /* owned, in input order */
    size_t nnotes;
};

void ingest_stats_release(struct ingest_stats *st);

/* Return 0 to go on, non-zero to stop the run (ingest_run returns CA_OK
 * with stats as far as read). */
typedef int (*ingest_record_fn)(void *ctx, const struct record *r);
typedef void (*ingest_reject_fn)(void *ctx, const struct reject *rj);

/*
 * Read every input in order.  paths: files, directories (recursive, *.csv,
 * sorted by name), archives (.zip .tar .tar.gz .tar.xz .7z: CSV entries in
 * archive order) or "-".  on_reject may be NULL.  stats is filled (caller
 * releases).  Returns CA_OK; CA_DATA when an input could not be read at all
 * or an archive broke a limit (err names it; stats cover what was read);
 * CA_USAGE for a bad profile; CA_SYSTEM for I/O or memory failure.
 * Recoverable problems inside a file are rejects, not errors.  A record's
 * (or reject's) source is the path as given, "archive:entry/path.csv" for
 * an archive entry, or "<stdin>".
 */
enum ca_status ingest_run(const char *const *paths, size_t npaths,
                          const struct ingest_opts *opts,
                          ingest_record_fn on_record,
                          ingest_reject_fn on_reject, void *ctx,
                          struct ingest_stats *stats, struct ca_error *err);

/* Force slug from a path such as "2014-03/2014-03-hampshire-street.csv"
 * ("hampshire"); writes "" when the name does not follow that pattern. */
void ingest_force_from_path(const char *path, char *out, size_t size);

#endif
