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

#include "ingest/csvread.h"
#include "ingest/hashpipe.h"
#include "ingest/idset.h"
#include "ingest/internal.h"
#include "ingest/join.h"
#include "ingest/profile.h"
#include "util/csvw.h"
#include "util/sha256.h"

#define RBUF (256 * 1024)
#define MAX_DEPTH 64

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

/* ---- per-file mapping ---- */

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
    struct timespec t0, tlast;
    uint64_t total_bytes; /* 0 when unknown */
    uint64_t done_bytes;  /* raw input bytes consumed */
    uint64_t csv_bytes;   /* decompressed CSV bytes */
    bool progress_shown;
};

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");

    return d;
}

static void set_system(struct run *r, const char *file, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void set_system(struct run *r, const char *file, const char *fmt, ...)
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

static void oom(struct run *r)
{
    set_system(r, NULL, "out of memory");
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void
note(struct run *r, const char *source, bool error, const char *fmt, ...)
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
        oom(r);
        return;
    }
    r->st->notes = nv;
    n = &nv[r->st->nnotes];
    n->source = xstrdup(source);
    n->message = xstrdup(msg);
    n->error = error;
    if (!n->source || !n->message) {
        free(n->source);
        free(n->message);
        oom(r);
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
    r->sources[r->nsources] = xstrdup(s);
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
        oom(r);
        return NULL;
    }
    r->st->inputs = nv;
    nv = &nv[r->st->ninputs];
    memset(nv, 0, sizeof(*nv));
    nv->path = xstrdup(path);
    if (!nv->path) {
        oom(r);
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

static void progress_tick(struct run *r, bool final)
{
    struct timespec now;
    double el, mbs;
    char eta[32] = "";

    if (!r->progress)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!final && secs_between(&r->tlast, &now) < 0.5)
        return;
    r->tlast = now;
    el = secs_between(&r->t0, &now);
    if (final) {
        if (r->progress_shown)
            fputs("\r\033[K", stderr);
        return;
    }
    if (el < 1.0)
        return;
    mbs = (double)r->csv_bytes / 1e6 / el;
    if (r->total_bytes && r->done_bytes > 0 &&
        r->done_bytes <= r->total_bytes) {
        double left = el * (double)(r->total_bytes - r->done_bytes) /
                      (double)r->done_bytes;

        snprintf(
            eta, sizeof(eta), ", %u%%, ETA %lu:%02lu",
            (unsigned)(100.0 * (double)r->done_bytes / (double)r->total_bytes),
            (unsigned long)left / 60, (unsigned long)left % 60);
    }
    fprintf(stderr, "\r\033[Kingest: %llu records, %.1f MB/s%s",
            (unsigned long long)r->st->rows_read, mbs, eta);
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

static int data_row(struct run *r, struct csvrow *row)
{
    struct file *f = &r->f;
    struct record *rec = &f->rec;
    const char *id, *force;
    size_t idlen, i, len;
    uint64_t idhash = 0;
    char fd[300];
    int c, rc;

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
    /* dates (absent ones were set DS_ABSENT with the header) */
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
    /* required fields */
    for (i = 0; i < f->nrequired; i++) {
        enum cf q = f->required[i];

        c = rec->canon[q];
        field_desc(f, q, fd, sizeof(fd));
        if (c < 0) {
            snprintf(r->detail, sizeof(r->detail),
                     "required field %s: no such column", fd);
            reject(r, row->line, RJ_MISSING_FIELD, cf_name(q), id, NULL, 0);
            return 0;
        }
        len = f->lens[c];
        if (cf_kind(q) == CFK_DATE && rec->at_state[q] == DS_BAD) {
            snprintf(r->detail, sizeof(r->detail),
                     "bad date '%.100s' in required field %s%s%s", f->values[c],
                     fd, f->date_fmt[q] ? "; expected " : "",
                     f->date_fmt[q] ? f->date_fmt[q] : "");
            reject(r, row->line, RJ_BAD_DATE, cf_name(q), id, NULL, 0);
            return 0;
        }
        if (len == 0 || (cf_kind(q) == CFK_DATE && rec->at_state[q] != DS_OK)) {
            snprintf(r->detail, sizeof(r->detail), "required field %s is empty",
                     fd);
            reject(r, row->line, RJ_MISSING_FIELD, cf_name(q), id, NULL, 0);
            return 0;
        }
    }
    /* force: --force > the force column > the path > the fallback column */
    force = NULL;
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
    rec->force = force ? force : "unknown";
    rec->id = id;
    rec->line = row->line;
    /* duplicates */
    if (r->o->check_duplicates) {
        struct idset_first first;

        rc = idset_add_hashed(&r->ids, idhash, (unsigned)f->type, id, idlen,
                              f->source_idx, row->line, &first);
        if (rc == -2) {
            set_system(r, f->source,
                       "too many inputs, lines or ids for the duplicate-id "
                       "check (limits: 2^24 inputs, 2^40 lines, 32 GiB of "
                       "ids)");
            return 1;
        }
        if (rc == -3) {
            set_system(r, NULL,
                       "unable to write the duplicate-id check's temporary "
                       "file in %s: %s",
                       idset_tmpdir(), strerror(r->ids.err));
            return 1;
        }
        if (rc < 0) {
            oom(r);
            return 1;
        }
        if (rc == 0) {
            snprintf(r->detail, sizeof(r->detail),
                     "duplicate %s id '%.200s', first seen at %s:%lu",
                     record_type_name(f->type), id, r->sources[first.source],
                     (unsigned long)first.line);
            reject(r, row->line, RJ_DUPLICATE_ID,
                   cf_name(record_type_id_field(f->type)), id,
                   r->sources[first.source], (unsigned long)first.line);
            return 0;
        }
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

/* ---- headers ---- */

static bool has(const struct file *f, enum cf x)
{
    return f->rec.canon[x] >= 0;
}

static enum record_type detect_type(const struct file *f, enum record_type want)
{
    enum record_type t = RT_UNKNOWN;
    bool bare = true;
    int i;

    if (f->prof->type != RT_UNKNOWN)
        return f->prof->type;
    if (has(f, CF_WANTED_REF))
        t = RT_WANTED;
    else if (has(f, CF_BAIL_REF))
        t = RT_BAIL;
    else if (has(f, CF_OPENED_AT) && !has(f, CF_RECORDED_AT))
        t = RT_INCIDENT;
    else if (has(f, CF_CRIME_REF))
        t = RT_CRIME;
    else if (has(f, CF_INCIDENT_REF))
        t = RT_INCIDENT;
    /* A bare list of references is ambiguous: the requested type wins. */
    for (i = 0; i < CF__COUNT; i++) {
        if (!has(f, (enum cf)i))
            continue;
        if (i != CF_FORCE && i != CF_CRIME_REF && i != CF_WANTED_REF &&
            i != CF_BAIL_REF && i != CF_INCIDENT_REF && i != CF_PERSON_REF)
            bare = false;
    }
    if (bare && want != RT_UNKNOWN && has(f, record_type_id_field(want)))
        t = want;
    return t;
}

static const struct profile *pick_profile(struct run *r,
                                          const char *const *names, size_t n)
{
    if (r->user)
        return r->user;
    if (r->builtin_police && profile_detects(r->builtin_police, names, n))
        return r->builtin_police;
    return r->builtin_canonical;
}

static int add_required(struct file *f, enum cf q)
{
    size_t i;

    for (i = 0; i < f->nrequired; i++)
        if (f->required[i] == q)
            return 0;
    if (f->nrequired < sizeof(f->required) / sizeof(f->required[0]))
        f->required[f->nrequired++] = q;
    return 0;
}

/* A header name as profiles match it: case-insensitive, without the
 * blanks around it. */
struct hname {
    const char *p;
    size_t n;
    size_t col;
};

static int hname_cmp_text(const struct hname *x, const struct hname *y)
{
    size_t k;

    for (k = 0; k < x->n && k < y->n; k++) {
        int cx = (unsigned char)x->p[k], cy = (unsigned char)y->p[k];

        cx = cx >= 'A' && cx <= 'Z' ? cx + 32 : cx;
        cy = cy >= 'A' && cy <= 'Z' ? cy + 32 : cy;
        if (cx != cy)
            return cx < cy ? -1 : 1;
    }
    return x->n < y->n ? -1 : x->n > y->n;
}

static int hname_cmp(const void *a, const void *b)
{
    const struct hname *x = a, *y = b;
    int c = hname_cmp_text(x, y);

    return c ? c : x->col < y->col ? -1 : x->col > y->col;
}

/* The header's non-empty names, sorted into v (room for n); returns how
 * many. */
static size_t hnames_sorted(const char *const *names, size_t n, struct hname *v)
{
    size_t i, m = 0;

    for (i = 0; i < n; i++) {
        const char *s = names[i];
        size_t len;

        if (!s)
            continue;
        len = strlen(s);
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (!len)
            continue;
        v[m].p = s;
        v[m].n = len;
        v[m].col = i;
        m++;
    }
    if (m > 1)
        qsort(v, m, sizeof(*v), hname_cmp);
    return m;
}

/*
 * A name repeated in the header (compared as profiles compare names) would
 * let the first column win silently, so it is an error naming the first two
 * columns of that name, unless the profile maps one or more of them by
 * position: those are read as their fields and take the field's name, and
 * the other columns of that name are set aside (a NULL name: not read by
 * name, not kept in samples).  Empty names are not names.  Returns 0, or
 * 1 after an error note.
 */
static int resolve_repeated_names(struct run *r, struct file *f)
{
    const struct profile *p = f->prof;
    struct hname *v;
    int *bypos = NULL;
    size_t n = f->ncsv, m, i, j, k;
    bool renamed = false;
    int rc = 0;

    v = malloc((n ? n : 1) * sizeof(*v));
    if (!v) {
        oom(r);
        return 1;
    }
    m = hnames_sorted(f->names, n, v);
    for (i = 0; i + 1 < m; i++)
        if (hname_cmp_text(&v[i], &v[i + 1]) == 0)
            break;
    if (i + 1 >= m)
        goto out; /* every name once: the common case */
    bypos = malloc(n * sizeof(*bypos));
    if (!bypos) {
        oom(r);
        rc = 1;
        goto out;
    }
    for (i = 0; i < n; i++)
        bypos[i] = -1;
    for (k = 0; k < CF__COUNT; k++)
        if (p->position[k] && p->position[k] <= n &&
            bypos[p->position[k] - 1] < 0)
            bypos[p->position[k] - 1] = (int)k;
    for (i = 0; i < m; i = j) {
        bool mapped = bypos[v[i].col] >= 0;

        for (j = i + 1; j < m && hname_cmp_text(&v[i], &v[j]) == 0; j++)
            mapped = mapped || bypos[v[j].col] >= 0;
        if (j - i < 2)
            continue;
        if (!mapped) {
            const char *a = f->names[v[i].col], *b = f->names[v[i + 1].col];
            bool same = strcmp(a, b) == 0;

            note(r, f->source, true,
                 "line 1: columns %zu and %zu are both named '%.*s'%s%.200s%s"
                 "%.200s%s, and only the first would be read: rename one, "
                 "or map them by position in a profile (columns: {FIELD: "
                 "{position: N}}; docs/profile-format.md)",
                 v[i].col + 1, v[i + 1].col + 1, (int)v[i].n, v[i].p,
                 same ? "" : " (as '", same ? "" : a, same ? "" : "' and '",
                 same ? "" : b, same ? "" : "')");
            rc = 1;
            goto out;
        }
        for (k = i; k < j; k++) {
            size_t c = v[k].col;

            f->names[c] = bypos[c] >= 0 ? cf_name((enum cf)bypos[c]) : NULL;
            renamed = true;
        }
    }
    if (!renamed)
        goto out;
    /* a column named after its field must not clash with another */
    m = hnames_sorted(f->names, n, v);
    for (i = 0; i + 1 < m; i++)
        if (hname_cmp_text(&v[i], &v[i + 1]) == 0) {
            note(r, f->source, true,
                 "line 1: columns %zu and %zu are both named '%.*s' once "
                 "the columns the profile maps by position are named after "
                 "their fields",
                 v[i].col + 1, v[i + 1].col + 1, (int)v[i].n, v[i].p);
            rc = 1;
            break;
        }
out:
    free(bypos);
    free(v);
    return rc;
}

/*
 * Whether the header is that of a sample file `caseaudit sample` wrote (it
 * ends its columns with sample_rank, stratum and spare): its fields were
 * written with the CSV formula guard, which reading undoes so that the
 * values are exactly those of the export sampled.
 */
static bool is_sample_file(const struct csvrow *row)
{
    static const char *const cols[] = {"sample_rank", "stratum", "spare"};
    size_t i, k, found = 0;

    for (k = 0; k < 3; k++)
        for (i = 0; i < row->nkept; i++)
            if (strcmp(row->v[i], cols[k]) == 0) {
                found++;
                break;
            }
    return found == 3;
}

static int header_row(struct run *r, struct csvrow *row)
{
    struct file *f = &r->f;
    size_t i, total = 0, nv = 0;
    char *p;
    int c;

    f->header_done = true;
    if (row->bad != CSVROW_OK) {
        note(r, f->source, true, "line %lu: unable to read the header row: %s",
             row->line, row->detail);
        return 1;
    }
    if (row->n != row->nkept) {
        note(r, f->source, true, "the header has more than %zu columns",
             row->nkept);
        return 1;
    }
    f->ncsv = row->n;
    for (i = 0; i < f->ncsv; i++)
        total += row->len[i] + 1;
    f->names_block = malloc(total + 1);
    f->names = malloc((f->ncsv + MAX_VIRTUAL) * sizeof(*f->names));
    f->values = malloc((f->ncsv + MAX_VIRTUAL) * sizeof(*f->values));
    f->lens = malloc((f->ncsv + MAX_VIRTUAL) * sizeof(*f->lens));
    if (!f->names_block || !f->names || !f->values || !f->lens) {
        oom(r);
        return 1;
    }
    f->unguard = is_sample_file(row);
    p = f->names_block;
    for (i = 0; i < f->ncsv; i++) {
        size_t skip = f->unguard ? csvw_unguard(row->v[i], row->len[i]) : 0;

        memcpy(p, row->v[i] + skip, row->len[i] - skip + 1);
        f->names[i] = p;
        p += row->len[i] - skip + 1;
    }
    f->prof = pick_profile(r, f->names, f->ncsv);
    if (resolve_repeated_names(r, f))
        return 1;
    for (i = 0; i < CF__COUNT; i++) {
        f->rec.canon[i] =
            profile_column(f->prof, (enum cf)i, f->names, f->ncsv);
        f->date_fmt[i] = f->prof->date_formats[i] ? f->prof->date_formats[i]
                                                  : f->prof->date_format;
    }
    f->type = detect_type(f, r->o->type);
    if (r->o->type == RT_UNKNOWN) {
        static const enum record_type asked[] = {RT_CRIME, RT_WANTED, RT_BAIL,
                                                 RT_INCIDENT};
        size_t k;

        for (k = 0; k < sizeof(asked) / sizeof(asked[0]); k++)
            if (detect_type(f, asked[k]) != f->type) {
                r->st->files_type_ambiguous++;
                break;
            }
    }
    if (f->in) {
        free(f->in->profile);
        f->in->profile = xstrdup(f->prof->name);
    }
    if (f->type == RT_UNKNOWN) {
        note(r, f->source, f->top_level,
             "skipped: no id column (crime_ref, wanted_ref, bail_ref or "
             "incident_ref) under profile '%s'",
             f->prof->name);
        return 1;
    }
    f->id_col = f->rec.canon[record_type_id_field(f->type)];
    if (f->id_col < 0) {
        note(r, f->source, f->top_level,
             "skipped: profile '%s' reads %s records but the header has no "
             "'%s' column",
             f->prof->name, record_type_name(f->type),
             cf_name(record_type_id_field(f->type)));
        return 1;
    }
    if (r->o->type != RT_UNKNOWN && f->type != r->o->type) {
        f->other_type = true;
        return 0;
    }
    /* derived and virtual columns */
    for (i = 0; i < f->prof->nderive && nv < MAX_VIRTUAL; i++) {
        const struct profile_derive *d = &f->prof->derive[i];

        if (has(f, d->target) || !has(f, d->from))
            continue;
        f->vcols[nv].d = d;
        f->vcols[nv].from = f->rec.canon[d->from];
        f->names[f->ncsv + nv] = cf_name(d->target);
        f->rec.canon[d->target] = (int)(f->ncsv + nv);
        nv++;
    }
    if (r->have_join && record_type_has_field(f->type, CF_LOG) &&
        !has(f, CF_LOG) && nv < MAX_VIRTUAL) {
        f->vcols[nv].d = NULL;
        f->vcols[nv].from = -1;
        f->names[f->ncsv + nv] = "log";
        f->rec.canon[CF_LOG] = (int)(f->ncsv + nv);
        nv++;
    }
    f->nvcols = nv;
    f->ncols = f->ncsv + nv;
    f->ndates = f->nflags = 0;
    for (i = 0; i < CF__COUNT; i++) {
        f->rec.at_state[i] = DS_ABSENT;
        f->rec.at[i] = 0;
        f->rec.at_has_time[i] = false;
        if (!has(f, (enum cf)i))
            continue;
        if (cf_kind((enum cf)i) == CFK_DATE)
            f->dates[f->ndates++] = (enum cf)i;
        else if (cf_kind((enum cf)i) == CFK_FLAG &&
                 f->rec.canon[i] < (int)f->ncsv)
            f->flags[f->nflags++] = (enum cf)i;
    }
    f->force_col = f->rec.canon[CF_FORCE];
    f->fallback_col = -1;
    if (f->prof->force_fallback) {
        for (i = 0; i < f->ncsv; i++) {
            if (f->names[i] &&
                ingest_strcaseeq(f->names[i], f->prof->force_fallback)) {
                f->fallback_col = (int)i;
                break;
            }
        }
    }
    f->nrequired = 0;
    for (i = 0; i < f->prof->nrequired; i++)
        add_required(f, f->prof->required[i]);
    if (r->o->required) {
        const char *const *q;

        for (q = r->o->required; *q; q++) {
            c = cf_lookup(*q);
            if (c >= 0)
                add_required(f, (enum cf)c);
        }
    }
    f->logctx.rx = f->prof->has_entry_regex ? &f->prof->entry_regex : NULL;
    f->logctx.at_format = f->prof->entry_date_format;
    f->logctx.max_entries = r->o->limits.max_log_entries;
    f->logctx.joined = r->have_join;
    f->logctx.utf8_valid = true; /* rows with invalid UTF-8 are rejected */
    f->logctx.entries = NULL;
    f->logctx.nentries = 0;
    f->rec.type = f->type;
    f->rec.source = f->source;
    f->rec.ncols = f->ncols;
    f->rec.names = f->names;
    f->rec.values = f->values;
    f->rec.lens = f->lens;
    f->rec.log_ctx = &f->logctx;
    f->rec.force = "unknown";
    f->rec.id = "";
    r->csv.max_fields = f->ncsv + 1;
    return 0;
}

static int on_row(void *ctx, struct csvrow *row)
{
    struct run *r = ctx;
    int rc;

    if (r->stop || r->fatal)
        return 1;
    if (!r->f.header_done)
        return header_row(r, row);
    if (r->f.other_type) {
        r->st->rows_other_type++;
        return 0;
    }
    rc = data_row(r, row);
    if ((r->st->rows_read & 4095) == 0)
        progress_tick(r, false);
    return rc || r->fatal;
}

/* ---- one CSV stream ---- */

static int file_begin(struct run *r, const char *source, const char *force_path,
                      struct ingest_input *in, bool top_level)
{
    struct file *f = &r->f;

    file_release(f);
    memset(f, 0, sizeof(*f));
    if (intern_source(r, source, &f->source_idx)) {
        oom(r);
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

static void file_end(struct run *r, bool complete)
{
    struct file *f = &r->f;

    if (complete && r->fatal == CA_OK && !r->stop) {
        struct ca_error e = CA_ERROR_INIT;

        if (!r->csv.stopped && csvread_end(&r->csv, &e) != CA_OK)
            set_system(r, f->source, "%s", e.msg);
        if (!f->header_done && !r->csv.stopped)
            note(r, f->source, false, "empty file: no header row");
        if (r->csv.swallowed || r->csv.swallow_line)
            note(r, f->source, false,
                 "line %lu: unterminated quote; the rest of the file (%lu "
                 "line%s) could not be read as rows and is counted as "
                 "rejected",
                 r->csv.swallow_line, r->csv.swallowed,
                 r->csv.swallowed == 1 ? "" : "s");
    }
}

static void feed(struct run *r, const void *data, size_t len)
{
    struct ca_error e = CA_ERROR_INIT;

    r->csv_bytes += len;
    if (r->csv.stopped || r->stop || r->fatal)
        return;
    if (csvread_feed(&r->csv, data, len, &e) != CA_OK)
        set_system(r, r->f.source, "%s", e.msg);
}

/* ---- plain files and standard input ---- */

static int has_suffix(const char *s, const char *suf)
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
        if (has_suffix(path, *s))
            return true;
    return false;
}

static void read_archive(struct run *r, const char *path, int fd, bool at_start,
                         const unsigned char *prefix, size_t nprefix,
                         struct ingest_input *in, struct sha256 *h,
                         bool *digest_done);

/* Stream a CSV from fd (prefix bytes already read).  Hashes everything. */
static void read_csv_fd(struct run *r, int fd, const char *source,
                        const unsigned char *prefix, size_t nprefix,
                        struct ingest_input *in, struct sha256 *h,
                        bool top_level)
{
    struct stat sb;
    ssize_t n;
    bool ahead;

    if (file_begin(r, source, source, in, top_level))
        return;
    if (nprefix) {
        hashpipe_update(&r->hp, h, prefix, nprefix);
        in->bytes += nprefix;
        r->done_bytes += nprefix;
        feed(r, prefix, nprefix);
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
            set_system(r, source, "unable to read: %s", strerror(e));
            break;
        }
        if (n == 0)
            break;
        hashpipe_update(&r->hp, h, buf, (size_t)n);
        in->bytes += (uint64_t)n;
        r->done_bytes += (uint64_t)n;
        feed(r, buf, (size_t)n);
        progress_tick(r, false);
    }
    if (ahead)
        hashpipe_read_stop(&r->hp);
    file_end(r, true);
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
        oom(r);
        return;
    }
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        note(r, path, true, "unable to open: %s", strerror(errno));
        sha256_release(&h);
        return;
    }
    /* standard input may be a file read from part way: then an archive on
     * it is read as a stream, from where it stands */
    at_start = !is_stdin || lseek(fd, 0, SEEK_CUR) == 0;
    /* sniff: an archive on standard input, or one without its suffix */
    if (!has_suffix(path, ".csv")) {
        while (got < sizeof(head)) {
            n = read(fd, head + got, sizeof(head) - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (n < 0) {
            note(r, path, true, "unable to read: %s", strerror(errno));
            goto out;
        }
    }
    if (archive_name(path) || archive_magic(head, got))
        read_archive(r, path, fd, at_start, head, got, in, &h, &digest_done);
    else
        read_csv_fd(r, fd, is_stdin ? "<stdin>" : path, head, got, in, &h,
                    top_level);
out:
    /* the prefix and h live on this stack frame: the queue must be empty */
    hashpipe_wait(&r->hp);
    if (!digest_done)
        sha256_final(&h, in->sha256);
    sha256_release(&h);
    if (!is_stdin)
        close(fd);
}

/* ---- archives ---- */

struct arsrc {
    struct run *r;
    int fd;
    const unsigned char *prefix;
    size_t nprefix;
    bool prefix_done;
    struct sha256 *h;
    struct ingest_input *in;
    bool seekable;
    bool hash_ok; /* all bytes hashed in order (no seek happened) */
    int64_t pos;
    int err;
};

static la_ssize_t ar_read(struct archive *a, void *data, const void **buf)
{
    struct arsrc *s = data;
    unsigned char *rbuf;
    ssize_t n;

    (void)a;
    if (!s->prefix_done) {
        s->prefix_done = true;
        if (s->nprefix) {
            *buf = s->prefix;
            if (s->hash_ok)
                hashpipe_update(&s->r->hp, s->h, s->prefix, s->nprefix);
            s->pos += (int64_t)s->nprefix;
            s->r->done_bytes += s->nprefix;
            return (la_ssize_t)s->nprefix;
        }
    }
    /* libarchive may use the last block until the next call: the pipe
     * hands a buffer out again only after HASHPIPE_SLOTS - 1 others */
    rbuf = hashpipe_buffer(&s->r->hp);
    do {
        n = read(s->fd, rbuf, RBUF);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        s->err = errno;
        archive_set_error(a, errno, "read error");
        return -1;
    }
    if (s->hash_ok)
        hashpipe_update(&s->r->hp, s->h, rbuf, (size_t)n);
    s->pos += n;
    s->r->done_bytes += (uint64_t)n;
    *buf = rbuf;
    return (la_ssize_t)n;
}

static la_int64_t ar_seek(struct archive *a, void *data, la_int64_t off,
                          int whence)
{
    struct arsrc *s = data;
    off_t o;

    (void)a;
    s->prefix_done = true;
    o = lseek(s->fd, (off_t)off, whence);
    if (o < 0)
        return ARCHIVE_FATAL;
    if (o != s->pos)
        s->hash_ok = false;
    s->pos = o;
    return o;
}

static la_int64_t ar_skip(struct archive *a, void *data, la_int64_t req)
{
    struct arsrc *s = data;

    (void)a;
    if (!s->seekable)
        return 0; /* let libarchive read (and so hash) skipped bytes */
    if (lseek(s->fd, (off_t)req, SEEK_CUR) < 0)
        return 0;
    s->pos += req;
    return req;
}

static bool is_junk_entry(const char *name)
{
    const char *b = strrchr(name, '/');

    b = b ? b + 1 : name;
    return strncmp(name, "__MACOSX/", 9) == 0 || strstr(name, "/__MACOSX/") ||
           strncmp(b, "._", 2) == 0;
}

static void read_archive(struct run *r, const char *path, int fd, bool at_start,
                         const unsigned char *prefix, size_t nprefix,
                         struct ingest_input *in, struct sha256 *h,
                         bool *digest_done)
{
    const struct ingest_limits *lim = &r->o->limits;
    uint64_t max_entry =
        lim->max_entry_bytes ? lim->max_entry_bytes : UINT64_C(4) << 30;
    uint64_t max_total =
        lim->max_archive_bytes ? lim->max_archive_bytes : UINT64_C(64) << 30;
    uint64_t max_entries = lim->max_entries ? lim->max_entries : 100000;
    double max_ratio = lim->max_ratio > 0 ? lim->max_ratio : 1000.0;
    struct archive *a;
    struct archive_entry *e;
    struct arsrc s;
    struct stat sb;
    uint64_t total = 0, nentries = 0;
    char source[4096];
    int rc;

    memset(&s, 0, sizeof(s));
    s.r = r;
    s.fd = fd;
    s.prefix = prefix;
    s.nprefix = nprefix;
    s.h = h;
    s.in = in;
    s.seekable = at_start && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
    s.hash_ok = !s.seekable;
    a = archive_read_new();
    if (!a) {
        oom(r);
        return;
    }
    archive_read_support_filter_all(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_empty(a);
    archive_read_set_callback_data(a, &s);
    archive_read_set_read_callback(a, ar_read);
    archive_read_set_skip_callback(a, ar_skip);
    if (s.seekable) {
        if (lseek(fd, 0, SEEK_SET) == 0) {
            s.nprefix = 0; /* re-read from the start */
            s.pos = 0;
            archive_read_set_seek_callback(a, ar_seek);
        } else {
            s.seekable = false;
        }
    }
    if (archive_read_open1(a) != ARCHIVE_OK) {
        note(r, path, true, "unable to read the archive: %s",
             archive_error_string(a) ? archive_error_string(a)
                                     : "unknown format");
        goto out;
    }
    for (;;) {
        const char *name;
        uint64_t ebytes = 0;
        bool csv_ok = true;

        if (r->stop || r->fatal)
            break;
        rc = archive_read_next_header(a, &e);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc < ARCHIVE_WARN) {
            note(r, path, true, "corrupt archive: %s",
                 archive_error_string(a) ? archive_error_string(a)
                                         : "unreadable entry header");
            if (rc == ARCHIVE_FATAL)
                break;
            continue;
        }
        if (++nentries > max_entries) {
            note(r, path, true,
                 "archive has more than %llu entries (limit); stopped",
                 (unsigned long long)max_entries);
            break;
        }
        name = archive_entry_pathname(e);
        if (!name)
            name = "(unnamed)";
        if (archive_entry_filetype(e) != AE_IFREG)
            continue;
        snprintf(source, sizeof(source), "%s:%s", path, name);
        if (archive_entry_is_encrypted(e)) {
            note(r, source, true, "encrypted entry: cannot be read");
            continue;
        }
        if (is_junk_entry(name)) {
            note(r, source, false, "skipped: operating-system metadata");
            continue;
        }
        if (!has_suffix(name, ".csv")) {
            note(r, source, false, "skipped: not a CSV file");
            continue;
        }
        if (file_begin(r, source, name, in, false))
            break;
        for (;;) {
            const void *buf;
            size_t size;
            la_int64_t off;
            la_int64_t raw;

            rc = archive_read_data_block(a, &buf, &size, &off);
            if (rc == ARCHIVE_EOF)
                break;
            if (rc < ARCHIVE_WARN) {
                note(r, source, true, "corrupt entry: %s",
                     archive_error_string(a) ? archive_error_string(a)
                                             : "read error");
                csv_ok = false;
                break;
            }
            ebytes += size;
            total += size;
            if (ebytes > max_entry) {
                note(r, source, true,
                     "entry larger than %llu bytes uncompressed (limit); "
                     "archive stopped",
                     (unsigned long long)max_entry);
                goto limit;
            }
            if (total > max_total) {
                note(r, source, true,
                     "archive larger than %llu bytes uncompressed (limit); "
                     "archive stopped",
                     (unsigned long long)max_total);
                goto limit;
            }
            raw = archive_filter_bytes(a, -1);
            if (total > (1u << 20) && raw > 0 &&
                (double)total / (double)raw > max_ratio) {
                note(r, source, true,
                     "expansion ratio over %.0f (a possible zip bomb); "
                     "archive stopped",
                     max_ratio);
                goto limit;
            }
            feed(r, buf, size);
            progress_tick(r, false);
            if (r->stop || r->fatal)
                break;
        }
        file_end(r, csv_ok);
        if (rc == ARCHIVE_FATAL)
            break;
    }
    goto out;
limit:
    file_end(r, false);
out:
    if (s.err && r->fatal == CA_OK)
        note(r, path, true, "read error: %s", strerror(s.err));
    archive_read_free(a);
    if (s.seekable) {
        /* libarchive seeks and skips in zip and 7z files: the digest is
         * taken over the whole file in a second sequential pass, through
         * the same descriptor (standard input, or the file opened, never
         * whatever the path names by now) */
        unsigned long long bytes = 0;

        if (lseek(fd, 0, SEEK_SET) == 0 &&
            sha256_fd(fd, in->sha256, &bytes) == 0)
            in->bytes = bytes;
        else
            note(r, path, true, "unable to read: %s", strerror(errno));
        *digest_done = true;
    } else {
        in->bytes = (uint64_t)s.pos;
    }
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
        note(r, path, true, "directories nested more than %d deep", MAX_DEPTH);
        return;
    }
    d = opendir(path);
    if (!d) {
        note(r, path, true, "unable to open directory: %s", strerror(errno));
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
                oom(r);
                break;
            }
            names = nv;
        }
        len = strlen(path) + strlen(de->d_name) + 2;
        full = malloc(len);
        if (!full) {
            oom(r);
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
            else if (S_ISREG(sb.st_mode) && has_suffix(names[i], ".csv"))
                read_path(r, names[i], depth + 1, false);
        }
        free(names[i]);
    }
    free(names);
}

static void read_path(struct run *r, const char *path, int depth, bool top)
{
    struct stat sb;

    if (strcmp(path, "-") == 0) {
        read_path_file(r, path, top);
        return;
    }
    if (stat(path, &sb) != 0) {
        struct ingest_input *in = add_input(r, path);

        (void)in;
        note(r, path, true, "unable to open: %s", strerror(errno));
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
    r.progress = opts->progress;
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
    progress_tick(&r, true);
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
