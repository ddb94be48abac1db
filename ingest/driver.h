/* SPDX-License-Identifier: MIT */
/*
 * Private to the ingest driver (ingest/ingest.c, ingest/header.c,
 * ingest/archive.c): the state of one ingest_run (struct run, on the
 * caller's stack) and of the CSV stream being read (struct file), and the
 * helpers the three files share.  Nothing outside those files includes
 * this header.
 *
 * Errors: ingest_fail_system records the first system error on the run
 * (r->fatal) and ingest_add_note a note in the stats (a data error when
 * error is true, which also ends the current file); neither prints.
 */
#ifndef CA_INGEST_DRIVER_H
#define CA_INGEST_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ingest/csvread.h"
#include "ingest/hashpipe.h"
#include "ingest/idset.h"
#include "ingest/ingest.h"
#include "ingest/internal.h"
#include "ingest/join.h"
#include "ingest/profile.h"
#include "util/sha256.h"

#define RBUF (256 * 1024)
#define MAX_DEPTH 64
#define MAX_VIRTUAL 8

#define MAX_VIRTUAL 8

struct vcol {
    const struct profile_derive *d; /* NULL: the empty virtual log */
    int from;                       /* column of the source field */
};

struct file {
    const char *source;
    uint32_t source_idx;
    char path_force[128];
    bool header_done;
    bool failed; /* an error note ended this file: read no more of it */
    bool other_type;
    bool top_level; /* a file named on the command line */
    const struct profile *prof;
    enum record_type type;
    size_t ncsv, ncols;
    bool unguard; /* a sample file caseaudit wrote: undo the formula guard */
    char *names_block;
    const char **names;
    const char **values;
    size_t *lens;
    const char *date_fmt[CF__COUNT];
    int id_col, force_col, fallback_col;
    struct vcol vcols[MAX_VIRTUAL];
    size_t nvcols;
    enum cf required[2 * CF__COUNT];
    size_t nrequired;
    enum cf dates[CF__COUNT], flags[CF__COUNT]; /* present in the header */
    size_t ndates, nflags;
    struct record rec;
    struct record_logctx logctx;
    char fallback_raw[128];
    char fallback_force[128];
    struct ingest_input *in;
};

struct run {
    const struct ingest_opts *o;
    ingest_record_fn on_record;
    ingest_reject_fn on_reject;
    void *ctx;
    struct ingest_stats *st;
    struct ca_error *err;
    struct ca_error first_data_err;
    bool stop;            /* on_record asked to stop */
    enum ca_status fatal; /* CA_SYSTEM: give up now */
    struct profile *user;
    struct profile *builtin_canonical, *builtin_police;
    struct idset ids;
    char **sources;
    size_t nsources, sources_alloc;
    bool have_hp; /* hp and csv are set up */
    struct hashpipe hp;
    struct csvread csv;
    bool have_join;
    struct join join;
    struct file f;
    char detail[640];
    /* progress */
    bool progress;
    ingest_progress_fn on_progress;
    void *progress_ctx;
    struct timespec t0, tlast;
    uint64_t total_bytes; /* 0 when unknown */
    uint64_t done_bytes;  /* raw input bytes consumed */
    uint64_t csv_bytes;   /* decompressed CSV bytes */
    bool progress_shown;
};

/* strdup(s), "" for NULL; NULL on ENOMEM. */
char *ingest_strdup(const char *s);
void ingest_fail_system(struct run *r, const char *file, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void ingest_oom(struct run *r);
void ingest_add_note(struct run *r, const char *source, bool error,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Report progress (at most twice a second; final: the run ended). */
void ingest_progress_tick(struct run *r, bool final);
/* Case-insensitive: whether s ends with suf. */
int ingest_has_suffix(const char *s, const char *suf);

/* One CSV stream: begin (0, or -1 on ENOMEM), bytes, end. */
int ingest_file_begin(struct run *r, const char *source, const char *force_path,
                      struct ingest_input *in, bool top_level);
void ingest_feed(struct run *r, const void *data, size_t len);
void ingest_file_end(struct run *r, bool complete);

/* The header row of the current file (ingest/header.c): maps it through a
 * profile.  Returns 0 to read the rows, 1 to stop reading the file. */
int ingest_header_row(struct run *r, struct csvrow *row);

/* Read the CSV entries of the archive on fd (ingest/archive.c); prefix is
 * what was read of it already, h its digest so far (*digest_done when the
 * archive took the digest itself). */
void ingest_read_archive(struct run *r, const char *path, int fd, bool at_start,
                         const unsigned char *prefix, size_t nprefix,
                         struct ingest_input *in, struct sha256 *h,
                         bool *digest_done);

#endif
