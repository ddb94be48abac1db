/* SPDX-License-Identifier: MIT */
/*
 * The streaming ingest driver: walks the inputs (files, directories,
 * standard input, archives through libarchive), feeds their bytes through
 * 256 KiB read buffers into the CSV reader, maps each file's header
 * through a profile, and turns every data row into a canonical record
 * filled in place (no allocation per row or field) or into a reject with a
 * reason.  It also hashes each input while reading it (on a second
 * thread, through ingest/hashpipe.c), keeps the
 * duplicate-id set, joins a separate entries file and shows progress.
 *
 * All state lives in a struct run on the caller's stack, so concurrent
 * ingest_run calls in different threads are independent.
 */
#include "ingest/ingest.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest/driver.h"
#include "util/csvw.h"
#include "util/sha256.h"

_Static_assert((int)CSVROW_MALFORMED == (int)RJ_MALFORMED_CSV &&
                   (int)CSVROW_OVERSIZE == (int)RJ_OVERSIZE_FIELD &&
                   (int)CSVROW_ENCODING == (int)RJ_ENCODING,
               "csvread reasons must match enum reject_reason");

static const char *const reason_names[RJ__COUNT] = {
    [RJ_MISSING_ID] = "missing id",
    [RJ_DUPLICATE_ID] = "duplicate id",
    [RJ_MALFORMED_CSV] = "malformed csv",
    [RJ_RAGGED_ROW] = "ragged row",
    [RJ_BAD_DATE] = "bad date",
    [RJ_OVERSIZE_FIELD] = "oversize field",
    [RJ_ENCODING] = "encoding",
    [RJ_UNKNOWN_TYPE] = "unknown type",
    [RJ_MISSING_FIELD] = "missing field",
    [RJ_FILTERED] = "filtered",
};

const char *reject_reason_name(enum reject_reason r)
{
    if ((int)r < 0 || r >= RJ__COUNT)
        return "unknown";
    return reason_names[r];
}

void ingest_opts_init(struct ingest_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->type = RT_UNKNOWN;
    o->check_duplicates = true;
}

void ingest_stats_release(struct ingest_stats *st)
{
    size_t i;

    if (!st)
        return;
    for (i = 0; i < st->ninputs; i++) {
        free(st->inputs[i].path);
        free(st->inputs[i].profile);
    }
    free(st->inputs);
    for (i = 0; i < st->nnotes; i++) {
        free(st->notes[i].source);
        free(st->notes[i].message);
    }
    free(st->notes);
    memset(st, 0, sizeof(*st));
}

void ingest_force_from_path(const char *path, char *out, size_t size)
{
    const char *base, *dash;
    size_t n;
    int i;

    if (size == 0)
        return;
    out[0] = '\0';
    if (!path)
        return;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* YYYY-MM-<force>-<kind>.csv */
    for (i = 0; i < 8; i++) {
        char ch = base[i];

        if (i == 4 || i == 7) {
            if (ch != '-')
                return;
        } else if (ch < '0' || ch > '9') {
            return;
        }
    }
    base += 8;
    dash = strrchr(base, '-');
    if (!dash || dash == base)
        return;
    n = (size_t)(dash - base);
    if (n >= size)
        n = size - 1;
    memcpy(out, base, n);
    out[n] = '\0';
}

char *ingest_strdup(const char *s)
{
    char *d = strdup(s ? s : "");

    return d;
}

void ingest_fail_system(struct run *r, const char *file, const char *fmt, ...)
{
    char msg[900];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (r->fatal == CA_OK)
        ca_error_set(r->err, CA_SYSTEM, file, 0, NULL, "%s", msg);
    r->fatal = CA_SYSTEM;
}

void ingest_oom(struct run *r)
{
    ingest_fail_system(r, NULL, "out of memory");
}

void ingest_add_note(struct run *r, const char *source, bool error,
                     const char *fmt, ...)
{
    struct ingest_note *nv, *n;
    char msg[900];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (error && r->first_data_err.status == CA_OK)
        ca_error_set(&r->first_data_err, CA_DATA, source, 0, NULL, "%s", msg);
    if (error)
        r->f.failed = true;
    nv = realloc(r->st->notes, (r->st->nnotes + 1) * sizeof(*nv));
    if (!nv) {
        ingest_oom(r);
        return;
    }
    r->st->notes = nv;
    n = &nv[r->st->nnotes];
    n->source = ingest_strdup(source);
    n->message = ingest_strdup(msg);
    n->error = error;
    if (!n->source || !n->message) {
        free(n->source);
        free(n->message);
        ingest_oom(r);
        return;
    }
    r->st->nnotes++;
}

static int intern_source(struct run *r, const char *s, uint32_t *idx)
{
    if (r->nsources == r->sources_alloc) {
        size_t na = r->sources_alloc ? r->sources_alloc * 2 : 16;
        char **nv = realloc(r->sources, na * sizeof(*nv));

        if (!nv)
            return -1;
        r->sources = nv;
        r->sources_alloc = na;
    }
    r->sources[r->nsources] = ingest_strdup(s);
    if (!r->sources[r->nsources])
        return -1;
    *idx = (uint32_t)r->nsources++;
    return 0;
}

static struct ingest_input *add_input(struct run *r, const char *path)
{
    struct ingest_input *nv;

    nv = realloc(r->st->inputs, (r->st->ninputs + 1) * sizeof(*nv));
    if (!nv) {
        ingest_oom(r);
        return NULL;
    }
    r->st->inputs = nv;
    nv = &nv[r->st->ninputs];
    memset(nv, 0, sizeof(*nv));
    nv->path = ingest_strdup(path);
    if (!nv->path) {
        ingest_oom(r);
        return NULL;
    }
    r->st->ninputs++;
    return nv;
}

static void file_release(struct file *f)
{
    free(f->names_block);
    free(f->names);
    free(f->values);
    free(f->lens);
    f->names_block = NULL;
    f->names = NULL;
    f->values = NULL;
    f->lens = NULL;
}

/* ---- progress ---- */

static double secs_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void ingest_progress_tick(struct run *r, bool final)
{
    struct ingest_progress p;
    struct timespec now;
    double el;

    if (!r->progress)
        return;
    memset(&p, 0, sizeof(p));
    p.records = r->st->rows_read;
    p.percent = -1;
    if (final) {
        if (r->progress_shown) {
            p.done = true;
            r->on_progress(r->progress_ctx, &p);
        }
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (secs_between(&r->tlast, &now) < 0.5)
        return;
    r->tlast = now;
    el = secs_between(&r->t0, &now);
    if (el < 1.0)
        return;
    p.mb_per_s = (double)r->csv_bytes / 1e6 / el;
    if (r->total_bytes && r->done_bytes > 0 &&
        r->done_bytes <= r->total_bytes) {
        double left = el * (double)(r->total_bytes - r->done_bytes) /
                      (double)r->done_bytes;

        p.percent =
            (int)(100.0 * (double)r->done_bytes / (double)r->total_bytes);
        p.eta_s = (unsigned long)left;
    }
    r->on_progress(r->progress_ctx, &p);
    r->progress_shown = true;
}

/* ---- rows ---- */

static void reject(struct run *r, unsigned long line, enum reject_reason why,
                   const char *field, const char *id, const char *first_source,
                   unsigned long first_line)
{
    struct reject rj;

    r->st->rows_rejected++;
    r->st->rejected_by_reason[why]++;
    if (r->f.in)
        r->f.in->rows_rejected++;
    if (!r->on_reject)
        return;
    rj.source = r->f.source;
    rj.type = r->f.type;
    rj.line = line;
    rj.reason = why;
    rj.detail = r->detail;
    rj.field = field;
    rj.id = id;
    rj.first_source = first_source;
    rj.first_line = first_line;
    r->on_reject(r->ctx, &rj);
}

static void trim_value(const char **v, size_t *len)
{
    const char *s = *v;
    size_t n = *len;

    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                 s[n - 1] == '\n'))
        n--;
    *v = s;
    *len = n;
}

static int list_has(char **v, size_t n, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strlen(v[i]) == len && ingest_strncaseeq(v[i], s, len))
            return 1;
    return 0;
}

static int flag_value(const struct profile *p, const char *s, size_t len)
{
    const char *t = s;
    size_t n = len;

    trim_value(&t, &n);
    if (p && list_has(p->yes, p->nyes, t, n))
        return 1;
    if (p && list_has(p->no, p->nno, t, n))
        return 0;
    return flag_parse(t, n);
}

static const char *col_name(const struct file *f, int col)
{
    return col >= 0 && (size_t)col < f->ncols && f->names[col] ? f->names[col]
                                                               : "";
}

/* Describe the field for a reject: canonical name and, when different,
 * the export's column name. */
static void field_desc(const struct file *f, enum cf fld, char *out,
                       size_t size)
{
    int col = f->rec.canon[fld];

    if (col >= 0 && strcmp(col_name(f, col), cf_name(fld)) != 0)
        snprintf(out, size, "'%s' (column '%s')", cf_name(fld),
                 col_name(f, col));
    else
        snprintf(out, size, "'%s'", cf_name(fld));
}

static const char *derive_value(const struct profile_derive *d, const char *v,
                                size_t len)
{
    size_t i;

    trim_value(&v, &len);
    for (i = 0; i < d->n; i++)
        if (strlen(d->keys[i]) == len && ingest_strncaseeq(d->keys[i], v, len))
            return d->values[i];
    if (len == 0)
        return "";
    return d->fallback ? d->fallback : "";
}

/* Flags normalised to Y/N in place, and dates parsed (absent ones were
 * set DS_ABSENT with the header). */
static void row_flags_dates(struct file *f)
{
    struct record *rec = &f->rec;
    size_t i;
    int c, rc;

    /* flags, in place */
    for (i = 0; i < f->nflags; i++) {
        c = rec->canon[f->flags[i]];
        if (f->lens[c] == 0)
            continue;
        rc = flag_value(f->prof, f->values[c], f->lens[c]);
        if (rc >= 0) {
            f->values[c] = rc ? "Y" : "N";
            f->lens[c] = 1;
        }
    }
    for (i = 0; i < f->ndates; i++) {
        enum cf d = f->dates[i];

        c = rec->canon[d];
        rc = date_parse(f->values[c], f->lens[c], f->date_fmt[d], &rec->at[d],
                        &rec->at_has_time[d]);
        rec->at_state[d] = rc == 0 ? DS_OK : rc == 1 ? DS_EMPTY : DS_BAD;
        if (rc != 0) {
            rec->at[d] = 0;
            rec->at_has_time[d] = false;
        }
    }
}

/* The required fields: 0 when all are there, 1 after rejecting the row. */
static int row_required(struct run *r, const struct csvrow *row, const char *id)
{
    struct file *f = &r->f;
    struct record *rec = &f->rec;
    char fd[300];
    size_t i, len;
    int c;

    for (i = 0; i < f->nrequired; i++) {
        enum cf q = f->required[i];

        c = rec->canon[q];
        field_desc(f, q, fd, sizeof(fd));
        if (c < 0) {
            snprintf(r->detail, sizeof(r->detail),
                     "required field %s: no such column", fd);
            reject(r, row->line, RJ_MISSING_FIELD, cf_name(q), id, NULL, 0);
            return 1;
        }
        len = f->lens[c];
        if (cf_kind(q) == CFK_DATE && rec->at_state[q] == DS_BAD) {
            snprintf(r->detail, sizeof(r->detail),
                     "bad date '%.100s' in required field %s%s%s", f->values[c],
                     fd, f->date_fmt[q] ? "; expected " : "",
                     f->date_fmt[q] ? f->date_fmt[q] : "");
            reject(r, row->line, RJ_BAD_DATE, cf_name(q), id, NULL, 0);
            return 1;
        }
        if (len == 0 || (cf_kind(q) == CFK_DATE && rec->at_state[q] != DS_OK)) {
            snprintf(r->detail, sizeof(r->detail), "required field %s is empty",
                     fd);
            reject(r, row->line, RJ_MISSING_FIELD, cf_name(q), id, NULL, 0);
            return 1;
        }
    }
    return 0;
}

/* The record's force: --force > the force column > the path > the fallback
 * column; NULL when none gives one. */
static const char *row_force(struct run *r, struct csvrow *row)
{
    struct file *f = &r->f;
    const char *force = NULL;

    if (r->o->force && *r->o->force) {
        force = r->o->force;
    } else if (f->force_col >= 0 && f->lens[f->force_col]) {
        const char *fv = f->values[f->force_col];
        size_t fl = f->lens[f->force_col];

        trim_value(&fv, &fl);
        if (fl) {
            row->v[f->force_col][(fv - row->v[f->force_col]) + fl] = '\0';
            f->values[f->force_col] = fv;
            f->lens[f->force_col] = fl;
            force = fv;
        }
    }
    if (!force && f->path_force[0])
        force = f->path_force;
    if (!force && f->fallback_col >= 0 && f->lens[f->fallback_col]) {
        const char *raw = f->values[f->fallback_col];

        if (strcmp(raw, f->fallback_raw) != 0) {
            snprintf(f->fallback_raw, sizeof(f->fallback_raw), "%s", raw);
            profile_force_slug(f->prof, raw, f->fallback_force,
                               sizeof(f->fallback_force));
        }
        if (f->fallback_force[0])
            force = f->fallback_force;
    }
    return force;
}

/* The duplicate-id check: 0 for a first id, 1 after rejecting the row as a
 * duplicate, -1 on a fatal error. */
static int row_duplicate(struct run *r, const struct csvrow *row,
                         const char *id, size_t idlen, uint64_t idhash)
{
    struct file *f = &r->f;
    struct idset_first first;
    int rc;

    rc = idset_add_hashed(&r->ids, idhash, (unsigned)f->type, id, idlen,
                          f->source_idx, row->line, &first);
    if (rc == -2) {
        ingest_fail_system(r, f->source,
                           "too many inputs, lines or ids for the duplicate-id "
                           "check (limits: 2^24 inputs, 2^40 lines, 32 GiB of "
                           "ids)");
        return -1;
    }
    if (rc == -3) {
        ingest_fail_system(r, NULL,
                           "unable to write the duplicate-id check's temporary "
                           "file in %s: %s",
                           idset_tmpdir(), strerror(r->ids.err));
        return -1;
    }
    if (rc < 0) {
        ingest_oom(r);
        return -1;
    }
    if (rc == 0) {
        snprintf(r->detail, sizeof(r->detail),
                 "duplicate %s id '%.200s', first seen at %s:%lu",
                 record_type_name(f->type), id, r->sources[first.source],
                 (unsigned long)first.line);
        reject(r, row->line, RJ_DUPLICATE_ID,
               cf_name(record_type_id_field(f->type)), id,
               r->sources[first.source], (unsigned long)first.line);
        return 1;
    }
    return 0;
}

static int data_row(struct run *r, struct csvrow *row)
{
    struct file *f = &r->f;
    struct record *rec = &f->rec;
    const char *id, *force;
    size_t idlen, i;
    uint64_t idhash = 0;
    char fd[300];
    int rc;

    r->st->rows_read++;
    f->in->rows_read++;
    if (row->bad != CSVROW_OK) {
        const char *fname =
            row->bad_field < f->ncsv ? f->names[row->bad_field] : NULL;

        if (fname)
            snprintf(r->detail, sizeof(r->detail), "field '%s': %s", fname,
                     row->detail);
        else
            snprintf(r->detail, sizeof(r->detail), "%s", row->detail);
        reject(r, row->line, (enum reject_reason)row->bad, fname, NULL, NULL,
               0);
        return 0;
    }
    if (row->n != f->ncsv) {
        snprintf(r->detail, sizeof(r->detail),
                 "row has %zu field%s, the header has %zu", row->n,
                 row->n == 1 ? "" : "s", f->ncsv);
        reject(r, row->line, RJ_RAGGED_ROW, NULL, NULL, NULL, 0);
        return 0;
    }
    for (i = 0; i < f->ncsv; i++) {
        size_t skip = f->unguard ? csvw_unguard(row->v[i], row->len[i]) : 0;

        f->values[i] = row->v[i] + skip;
        f->lens[i] = row->len[i] - skip;
    }
    for (i = 0; i < f->nvcols; i++) {
        const struct vcol *vc = &f->vcols[i];
        const char *v = "";

        if (vc->d)
            v = derive_value(vc->d, f->values[vc->from], f->lens[vc->from]);
        f->values[f->ncsv + i] = v;
        f->lens[f->ncsv + i] = strlen(v);
    }
    /* id */
    id = f->values[f->id_col];
    idlen = f->lens[f->id_col];
    trim_value(&id, &idlen);
    row->v[f->id_col][(id - row->v[f->id_col]) + idlen] = '\0';
    f->values[f->id_col] = id;
    f->lens[f->id_col] = idlen;
    if (idlen == 0) {
        field_desc(f, record_type_id_field(f->type), fd, sizeof(fd));
        snprintf(r->detail, sizeof(r->detail), "empty id field %s", fd);
        reject(r, row->line, RJ_MISSING_ID,
               cf_name(record_type_id_field(f->type)), NULL, NULL, 0);
        return 0;
    }
    if (r->o->check_duplicates)
        idhash = idset_prefetch(&r->ids, (unsigned)f->type, id, idlen);
    row_flags_dates(f);
    if (row_required(r, row, id))
        return 0;
    force = row_force(r, row);
    rec->force = force ? force : "unknown";
    rec->id = id;
    rec->line = row->line;
    if (r->o->check_duplicates) {
        rc = row_duplicate(r, row, id, idlen, idhash);
        if (rc)
            return rc < 0;
    }
    if (r->have_join) {
        size_t cnt;

        f->logctx.entries = join_find(&r->join, id, &cnt);
        f->logctx.nentries = cnt;
    }
    r->st->rows_accepted++;
    f->in->rows_accepted++;
    if (r->on_record(r->ctx, rec)) {
        r->stop = true;
        return 1;
    }
    return 0;
}

static int on_row(void *ctx, struct csvrow *row)
{
    struct run *r = ctx;
    int rc;

    if (r->stop || r->fatal)
        return 1;
    if (!r->f.header_done)
        return ingest_header_row(r, row);
    if (r->f.other_type) {
        r->st->rows_other_type++;
        return 0;
    }
    rc = data_row(r, row);
    if ((r->st->rows_read & 4095) == 0)
        ingest_progress_tick(r, false);
    return rc || r->fatal;
}

/* ---- one CSV stream ---- */

int ingest_file_begin(struct run *r, const char *source, const char *force_path,
                      struct ingest_input *in, bool top_level)
{
    struct file *f = &r->f;

    file_release(f);
    memset(f, 0, sizeof(*f));
    if (intern_source(r, source, &f->source_idx)) {
        ingest_oom(r);
        return -1;
    }
    f->source = r->sources[f->source_idx];
    ingest_force_from_path(force_path, f->path_force, sizeof(f->path_force));
    f->in = in;
    f->top_level = top_level;
    f->id_col = f->force_col = f->fallback_col = -1;
    r->csv.max_fields = 65536;
    csvread_begin(&r->csv);
    return 0;
}

void ingest_file_end(struct run *r, bool complete)
{
    struct file *f = &r->f;

    if (complete && r->fatal == CA_OK && !r->stop) {
        struct ca_error e = CA_ERROR_INIT;

        if (!r->csv.stopped && csvread_end(&r->csv, &e) != CA_OK)
            ingest_fail_system(r, f->source, "%s", e.msg);
        if (!f->header_done && !r->csv.stopped)
            ingest_add_note(r, f->source, false, "empty file: no header row");
        if (r->csv.swallowed || r->csv.swallow_line)
            ingest_add_note(
                r, f->source, false,
                "line %lu: unterminated quote; the rest of the file (%lu "
                "line%s) could not be read as rows and is counted as "
                "rejected",
                r->csv.swallow_line, r->csv.swallowed,
                r->csv.swallowed == 1 ? "" : "s");
    }
}

void ingest_feed(struct run *r, const void *data, size_t len)
{
    struct ca_error e = CA_ERROR_INIT;

    r->csv_bytes += len;
    if (r->csv.stopped || r->stop || r->fatal)
        return;
    if (csvread_feed(&r->csv, data, len, &e) != CA_OK)
        ingest_fail_system(r, r->f.source, "%s", e.msg);
}

/* ---- plain files and standard input ---- */

int ingest_has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);

    return a >= b && ingest_strcaseeq(s + a - b, suf);
}

static bool archive_magic(const unsigned char *p, size_t n)
{
    if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
        ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
        return true;
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B)
        return true;
    if (n >= 6 && memcmp(p,
                         "\xFD"
                         "7zXZ\0",
                         6) == 0)
        return true;
    if (n >= 6 && memcmp(p, "7z\xBC\xAF\x27\x1C", 6) == 0)
        return true;
    if (n >= 3 && memcmp(p, "BZh", 3) == 0)
        return true;
    if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
        return true;
    return false;
}

static bool archive_name(const char *path)
{
    static const char *const sfx[] = {".zip",     ".tar",    ".tar.gz",
                                      ".tgz",     ".tar.xz", ".txz",
                                      ".tar.bz2", ".7z",     NULL};
    const char *const *s;

    for (s = sfx; *s; s++)
        if (ingest_has_suffix(path, *s))
            return true;
    return false;
}

/* Stream a CSV from fd (prefix bytes already read).  Hashes everything
 * into h (unless the run wants no digest). */
static void read_csv_fd(struct run *r, int fd, const char *source,
                        const unsigned char *prefix, size_t nprefix,
                        struct ingest_input *in, struct sha256 *h,
                        bool top_level)
{
    struct stat sb;
    ssize_t n;
    bool ahead;

    if (r->o->no_digest)
        h = NULL;
    if (ingest_file_begin(r, source, source, in, top_level))
        return;
    if (nprefix) {
        hashpipe_update(&r->hp, h, prefix, nprefix);
        in->bytes += nprefix;
        r->done_bytes += nprefix;
        ingest_feed(r, prefix, nprefix);
    }
    /* a regular file is read ahead on the hashing thread; a pipe is not
     * (reading ahead could block on it after the run stopped) */
    ahead = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
            hashpipe_read_start(&r->hp, fd) == 0;
    for (;;) {
        const unsigned char *buf;
        int e = 0;

        /* the first fatal error ends the file (a header that cannot be
         * read, no id column: however long the rest, /dev/zero or `yes`);
         * after a file stopped otherwise (another record type, inside a
         * folder) the rest is still read, for its digest */
        if (r->stop || r->fatal || r->f.failed)
            break;
        if (ahead) {
            n = hashpipe_read(&r->hp, &buf, &e);
        } else {
            unsigned char *b = hashpipe_buffer(&r->hp);

            n = read(fd, b, RBUF);
            e = errno;
            buf = b;
        }
        if (n < 0) {
            if (e == EINTR)
                continue;
            ingest_fail_system(r, source, "unable to read: %s", strerror(e));
            break;
        }
        if (n == 0)
            break;
        hashpipe_update(&r->hp, h, buf, (size_t)n);
        in->bytes += (uint64_t)n;
        r->done_bytes += (uint64_t)n;
        ingest_feed(r, buf, (size_t)n);
        ingest_progress_tick(r, false);
    }
    if (ahead)
        hashpipe_read_stop(&r->hp);
    ingest_file_end(r, true);
}

static void read_path_file(struct run *r, const char *path, bool top_level)
{
    struct ingest_input *in;
    struct sha256 h;
    unsigned char head[512];
    ssize_t n = 0;
    size_t got = 0;
    int fd;
    bool is_stdin = strcmp(path, "-") == 0, digest_done = false, at_start;

    in = add_input(r, path);
    if (!in)
        return;
    if (sha256_init(&h)) {
        ingest_oom(r);
        return;
    }
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        ingest_add_note(r, path, true, "unable to open: %s", strerror(errno));
        sha256_release(&h);
        return;
    }
    /* standard input may be a file read from part way: then an archive on
     * it is read as a stream, from where it stands */
    at_start = !is_stdin || lseek(fd, 0, SEEK_CUR) == 0;
    /* sniff: an archive on standard input, or one without its suffix */
    if (!ingest_has_suffix(path, ".csv")) {
        while (got < sizeof(head)) {
            n = read(fd, head + got, sizeof(head) - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (n < 0) {
            ingest_add_note(r, path, true, "unable to read: %s",
                            strerror(errno));
            goto out;
        }
    }
    if (archive_name(path) || archive_magic(head, got))
        ingest_read_archive(r, path, fd, at_start, head, got, in, &h,
                            &digest_done);
    else
        read_csv_fd(r, fd, is_stdin ? "<stdin>" : path, head, got, in, &h,
                    top_level);
out:
    /* the prefix and h live on this stack frame: the queue must be empty */
    hashpipe_wait(&r->hp);
    if (!digest_done && !r->o->no_digest)
        sha256_final(&h, in->sha256);
    sha256_release(&h);
    if (!is_stdin)
        close(fd);
}

/* ---- directories ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_path(struct run *r, const char *path, int depth, bool top);

static void read_dir(struct run *r, const char *path, int depth)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, alloc = 0, i, len;

    if (depth > MAX_DEPTH) {
        ingest_add_note(r, path, true, "directories nested more than %d deep",
                        MAX_DEPTH);
        return;
    }
    d = opendir(path);
    if (!d) {
        ingest_add_note(r, path, true, "unable to open directory: %s",
                        strerror(errno));
        return;
    }
    while ((de = readdir(d)) != NULL) {
        char *full;

        if (de->d_name[0] == '.')
            continue;
        if (n == alloc) {
            char **nv;

            alloc = alloc ? alloc * 2 : 64;
            nv = realloc(names, alloc * sizeof(*nv));
            if (!nv) {
                ingest_oom(r);
                break;
            }
            names = nv;
        }
        len = strlen(path) + strlen(de->d_name) + 2;
        full = malloc(len);
        if (!full) {
            ingest_oom(r);
            break;
        }
        snprintf(full, len, "%s%s%s", path,
                 path[strlen(path) - 1] == '/' ? "" : "/", de->d_name);
        names[n++] = full;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    for (i = 0; i < n; i++) {
        struct stat sb;

        if (!r->stop && !r->fatal && stat(names[i], &sb) == 0) {
            if (S_ISDIR(sb.st_mode))
                read_dir(r, names[i], depth + 1);
            else if (S_ISREG(sb.st_mode) && ingest_has_suffix(names[i], ".csv"))
                read_path(r, names[i], depth + 1, false);
        }
        free(names[i]);
    }
    free(names);
}

static void read_path(struct run *r, const char *path, int depth, bool top)
{
    struct stat sb;

    if (top && r->o->named_as_found)
        top = false;
    if (strcmp(path, "-") == 0) {
        read_path_file(r, path, top);
        return;
    }
    if (stat(path, &sb) != 0) {
        struct ingest_input *in = add_input(r, path);

        (void)in;
        ingest_add_note(r, path, true, "unable to open: %s", strerror(errno));
        return;
    }
    if (S_ISDIR(sb.st_mode)) {
        read_dir(r, path, depth);
        return;
    }
    read_path_file(r, path, top);
}

/* ---- the run ---- */

static enum ca_status load_profiles(struct run *r)
{
    enum ca_status st;

    if (r->o->profile) {
        st = profile_load(r->o->profile, &r->user, r->err);
        if (st != CA_OK)
            return st;
    }
    st = profile_load("canonical", &r->builtin_canonical, r->err);
    if (st == CA_OK)
        st = profile_load("police-uk", &r->builtin_police, r->err);
    if (st != CA_OK && r->err)
        r->err->status = CA_SYSTEM; /* a broken built-in is our bug */
    return st == CA_OK ? CA_OK : CA_SYSTEM;
}

static uint64_t input_size(const char *path)
{
    struct stat sb;

    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    return (uint64_t)sb.st_size;
}

enum ca_status ingest_run(const char *const *paths, size_t npaths,
                          const struct ingest_opts *opts,
                          ingest_record_fn on_record,
                          ingest_reject_fn on_reject, void *ctx,
                          struct ingest_stats *stats, struct ca_error *err)
{
    struct run r;
    enum csvread_enc enc;
    enum ca_status st = CA_OK;
    size_t i;
    bool known = true;

    memset(stats, 0, sizeof(*stats));
    memset(&r, 0, sizeof(r));
    r.o = opts;
    r.on_record = on_record;
    r.on_reject = on_reject;
    r.ctx = ctx;
    r.st = stats;
    r.err = err;
    ca_error_clear(&r.first_data_err);
    idset_init(&r.ids);
    {
        /* memory for the duplicate-id check before it spills to disk */
        const char *mem = getenv("CASEAUDIT_ID_MEMORY");

        if (mem && *mem) {
            char *end;
            unsigned long long mib;

            errno = 0;
            mib = strtoull(mem, &end, 10);
            if (errno || *end || mib < 1 || mib > ((size_t)-1 >> 20) ||
                *mem == '-')
                return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                    "CASEAUDIT_ID_MEMORY must be a whole "
                                    "number of MiB, 1 or more (not '%s')",
                                    mem);
            idset_set_budget(&r.ids, (size_t)mib << 20);
        }
    }
    if (csvread_encoding_parse(opts->encoding, &enc))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "unsupported encoding '%s' (utf-8, cp1252, "
                            "latin1)",
                            opts->encoding);
    if (opts->type != RT_UNKNOWN &&
        record_type_id_field(opts->type) == CF__COUNT)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL, "bad record type");
    st = load_profiles(&r);
    if (st != CA_OK)
        goto out;
    if (hashpipe_init(&r.hp, RBUF)) {
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    if (csvread_init(&r.csv, enc, opts->limits.max_field, opts->limits.max_row,
                     on_row, &r)) {
        hashpipe_release(&r.hp);
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    r.have_hp = true;
    if (opts->entries_file) {
        st =
            join_load(&r.join, opts->entries_file, opts->limits.max_field, err);
        if (st != CA_OK)
            goto out;
        r.have_join = true;
    }
    r.progress = opts->progress && opts->on_progress;
    r.on_progress = opts->on_progress;
    r.progress_ctx = opts->progress_ctx;
    if (r.progress) {
        clock_gettime(CLOCK_MONOTONIC, &r.t0);
        r.tlast = r.t0;
        for (i = 0; i < npaths; i++) {
            uint64_t sz = input_size(paths[i]);

            if (!sz)
                known = false;
            r.total_bytes += sz;
        }
        if (!known)
            r.total_bytes = 0;
    }
    for (i = 0; i < npaths && !r.stop && !r.fatal; i++)
        read_path(&r, paths[i], 0, true);
    ingest_progress_tick(&r, true);
    if (r.fatal)
        st = r.fatal;
    else if (r.first_data_err.status != CA_OK) {
        if (err)
            *err = r.first_data_err;
        st = CA_DATA;
    }
out:
    for (i = 0; i < r.nsources; i++)
        free(r.sources[i]);
    free(r.sources);
    file_release(&r.f);
    if (r.have_hp) {
        csvread_release(&r.csv);
        hashpipe_release(&r.hp);
    }
    idset_release(&r.ids);
    if (r.have_join)
        join_release(&r.join);
    profile_free(r.user);
    profile_free(r.builtin_canonical);
    profile_free(r.builtin_police);
    return st;
}
