/* SPDX-License-Identifier: MIT */
/*
 * Writing a generated export: four canonical CSV files (or one zip archive
 * in the data.police.uk-style layout) and truth.csv; see synth_export() in
 * gen.h.  Records are generated and written one at a time, so memory stays
 * flat however many are asked for.  Zip entries are streamed to libarchive
 * through an in-memory stream that is drained every few hundred kilobytes;
 * entry sizes are not known in advance, so libarchive writes them with data
 * descriptors (Zip64), which every zip reader accepts.
 */
#include "synth/gen.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "util/csvw.h"
#include "util/outfile.h"

#define DRAIN_BYTES (256u * 1024u)

struct exporter {
    const char *dir;
    bool zip;
    struct synth *g;
    struct outfile files[SYNTH__KINDS];
    struct outfile truth, archive_file;
    struct csvw w[SYNTH__KINDS], tw;
    /* zip mode */
    struct archive *a;
    FILE *ms;
    char *ms_buf;
    size_t ms_len;
    bool entry_open;
    struct synth_summary *sum;
};

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);

    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

static enum ca_status open_out(struct exporter *x, struct outfile *o,
                               const char *name, struct ca_error *err)
{
    char *path = join_path(x->dir, name);
    enum ca_status st;

    if (!path)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    st = outfile_open(o, path, err);
    free(path);
    return st;
}

static void write_header(struct csvw *w, enum synth_kind k)
{
    size_t n;
    const char *const *cols = synth_columns(k, &n);

    csvw_row(w, cols, n);
}

static enum ca_status archive_fail(struct exporter *x, struct ca_error *err)
{
    char *path = join_path(x->dir, "export.zip");
    enum ca_status st =
        ca_error_set(err, CA_SYSTEM, path ? path : "export.zip", 0, NULL,
                     "unable to write archive: %s",
                     archive_error_string(x->a) ? archive_error_string(x->a)
                                                : "unknown error");
    free(path);
    return st;
}

/* Hand what the memory stream holds to the open archive entry. */
static enum ca_status drain(struct exporter *x, struct ca_error *err)
{
    off_t n;

    if (fflush(x->ms) != 0)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "memory stream: %s",
                            strerror(errno));
    n = ftello(x->ms);
    if (n > 0) {
        if (archive_write_data(x->a, x->ms_buf, (size_t)n) != (la_ssize_t)n)
            return archive_fail(x, err);
        if (x->sum)
            x->sum->bytes += (uint64_t)n;
    }
    if (fseeko(x->ms, 0, SEEK_SET) != 0)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "memory stream: %s",
                            strerror(errno));
    return CA_OK;
}

static enum ca_status close_entry(struct exporter *x, struct ca_error *err)
{
    enum ca_status st;

    if (!x->entry_open)
        return CA_OK;
    st = drain(x, err);
    if (st != CA_OK)
        return st;
    x->entry_open = false;
    if (archive_write_finish_entry(x->a) != ARCHIVE_OK)
        return archive_fail(x, err);
    return CA_OK;
}

static enum ca_status open_entry(struct exporter *x, enum synth_kind k,
                                 const char *force, int64_t main_at,
                                 struct ca_error *err)
{
    struct archive_entry *e;
    char name[256], ts[17];
    int r;

    synth_format_time(main_at, ts);
    snprintf(name, sizeof(name), "%.7s/%.7s-%s-%s.csv", ts, ts, force,
             synth_kind_file(k));
    e = archive_entry_new();
    if (!e)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0600);
    archive_entry_set_mtime(e, (time_t)(synth_as_of(x->g) * 60), 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    r = archive_write_header(x->a, e);
    archive_entry_free(e);
    if (r != ARCHIVE_OK)
        return archive_fail(x, err);
    x->entry_open = true;
    if (x->sum)
        x->sum->zip_entries++;
    write_header(&x->w[0], k);
    return CA_OK;
}

static void truth_row(struct exporter *x, const struct synth_row *row)
{
    char fails[512], facts[256];
    size_t n = 0, m = 0;
    unsigned q;

    fails[0] = facts[0] = '\0';
    for (q = 0; q < SQ__COUNT; q++) {
        if (!(row->fails & (1u << q)))
            continue;
        n += (size_t)snprintf(fails + n, sizeof(fails) - n, "%s%s",
                              n ? " " : "", synth_question_name(q));
        if (x->sum)
            x->sum->fails[q]++;
    }
    for (q = 0; q < SF__COUNT; q++) {
        if (!(row->facts & (1u << q)))
            continue;
        m += (size_t)snprintf(facts + m, sizeof(facts) - m, "%s%s",
                              m ? " " : "", synth_fact_name(q));
        if (x->sum)
            x->sum->facts[q]++;
    }
    csvw_str(&x->tw, synth_kind_name(row->kind));
    csvw_str(&x->tw, row->id);
    csvw_str(&x->tw, row->force);
    csvw_str(&x->tw, fails);
    csvw_str(&x->tw, facts);
    csvw_end_row(&x->tw);
}

static enum ca_status write_kind(struct exporter *x, unsigned f,
                                 enum synth_kind k, uint64_t *done,
                                 uint64_t total, const struct synth_options *o,
                                 struct ca_error *err)
{
    uint64_t n = synth_count(x->g, f, k), i;
    struct csvw *w = x->zip ? &x->w[0] : &x->w[k];
    long month = -1;
    enum ca_status st;
    struct synth_row row;
    size_t c;

    for (i = 0; i < n; i++) {
        st = synth_row(x->g, k, f, i, &row, err);
        if (st != CA_OK)
            return st;
        if (x->zip) {
            char ts[17];
            long m;

            synth_format_time(row.main_at, ts);
            m = strtol(ts, NULL, 10) * 12 + strtol(ts + 5, NULL, 10);
            if (m != month) {
                if ((st = close_entry(x, err)) != CA_OK ||
                    (st = open_entry(x, k, row.force, row.main_at, err)) !=
                        CA_OK)
                    return st;
                month = m;
            }
        }
        for (c = 0; c < row.nfields; c++)
            csvw_str(w, row.field[c]);
        csvw_end_row(w);
        truth_row(x, &row);
        if (x->sum)
            x->sum->records[k]++;
        if (x->zip && ftello(x->ms) >= (off_t)DRAIN_BYTES &&
            (st = drain(x, err)) != CA_OK)
            return st;
        if (o->progress && (++*done & 0xffff) == 0)
            o->progress(o->progress_ctx, *done, total);
    }
    return x->zip ? close_entry(x, err) : CA_OK;
}

static void abort_all(struct exporter *x)
{
    unsigned k;

    for (k = 0; k < SYNTH__KINDS; k++)
        outfile_abort(&x->files[k]);
    outfile_abort(&x->truth);
    outfile_abort(&x->archive_file);
}

enum ca_status synth_export(const struct synth_options *o, const char *dir,
                            bool zip, struct synth_summary *sum,
                            struct ca_error *err)
{
    struct exporter x;
    struct synth_summary local;
    enum ca_status st;
    uint64_t total = 0, done = 0;
    unsigned f, k;

    memset(&x, 0, sizeof(x));
    x.dir = dir;
    x.zip = zip;
    x.sum = sum ? sum : &local;
    memset(x.sum, 0, sizeof(*x.sum));
    st = synth_new(o, &x.g, err);
    if (st != CA_OK)
        return st;
    x.sum->as_of = synth_as_of(x.g);
    st = outdir_create(dir, err);
    if (st != CA_OK)
        goto out;
    for (f = 0; f < synth_nforces(x.g); f++)
        for (k = 0; k < SYNTH__KINDS; k++)
            total += synth_count(x.g, f, (enum synth_kind)k);

    if ((st = open_out(&x, &x.truth, "truth.csv", err)) != CA_OK)
        goto out;
    csvw_init(&x.tw, x.truth.fp);
    csvw_str(&x.tw, "type");
    csvw_str(&x.tw, "id");
    csvw_str(&x.tw, "force");
    csvw_str(&x.tw, "fails");
    csvw_str(&x.tw, "facts");
    csvw_end_row(&x.tw);
    if (!zip) {
        for (k = 0; k < SYNTH__KINDS; k++) {
            char name[32];
            snprintf(name, sizeof(name), "%s.csv",
                     synth_kind_file((enum synth_kind)k));
            if ((st = open_out(&x, &x.files[k], name, err)) != CA_OK)
                goto out;
            csvw_init(&x.w[k], x.files[k].fp);
            write_header(&x.w[k], (enum synth_kind)k);
        }
    } else {
        if ((st = open_out(&x, &x.archive_file, "export.zip", err)) != CA_OK)
            goto out;
        x.ms = open_memstream(&x.ms_buf, &x.ms_len);
        x.a = archive_write_new();
        if (!x.ms || !x.a) {
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            goto out;
        }
        if (archive_write_set_format_zip(x.a) != ARCHIVE_OK ||
            archive_write_set_options(x.a, "zip:compression=deflate") !=
                ARCHIVE_OK ||
            /* no padding of the last block: the file ends with the zip */
            archive_write_set_bytes_in_last_block(x.a, 1) != ARCHIVE_OK ||
            archive_write_open_FILE(x.a, x.archive_file.fp) != ARCHIVE_OK) {
            st = archive_fail(&x, err);
            goto out;
        }
        csvw_init(&x.w[0], x.ms);
    }

    for (f = 0; f < synth_nforces(x.g); f++)
        for (k = 0; k < SYNTH__KINDS; k++)
            if ((st = write_kind(&x, f, (enum synth_kind)k, &done, total, o,
                                 err)) != CA_OK)
                goto out;
    if (o->progress)
        o->progress(o->progress_ctx, total, total);

    if (zip) {
        if (archive_write_close(x.a) != ARCHIVE_OK) {
            st = archive_fail(&x, err);
            goto out;
        }
        archive_write_free(x.a);
        x.a = NULL;
        if ((st = outfile_commit(&x.archive_file, err)) != CA_OK)
            goto out;
    } else {
        for (k = 0; k < SYNTH__KINDS; k++) {
            off_t n = ftello(x.files[k].fp);
            if (n > 0)
                x.sum->bytes += (uint64_t)n;
            if ((st = outfile_commit(&x.files[k], err)) != CA_OK)
                goto out;
        }
    }
    st = outfile_commit(&x.truth, err);
out:
    if (x.a)
        archive_write_free(x.a); /* before the file it writes to goes */
    if (st != CA_OK)
        abort_all(&x);
    if (x.ms)
        fclose(x.ms);
    free(x.ms_buf);
    synth_free(x.g);
    return st;
}
