/* SPDX-License-Identifier: MIT */
/*
 * Archives for the ingest driver (libarchive): zip, tar (plain, gzip, xz,
 * bzip2) and 7z, read as streams; each regular *.csv entry is read as one
 * CSV stream named "archive:entry".  The archive is hashed as read, or in a
 * second pass when libarchive seeks, and the limits on entries, entry and
 * archive size and expansion ratio stop a zip bomb with a note.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/driver.h"

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

/* The archive's limits, defaults filled in. */
struct arlimits {
    uint64_t max_entry, max_total, max_entries;
    double max_ratio;
};

/* Feed the current entry's data to the CSV reader.  Returns 0 at the end
 * of the entry (or when the run stops), 1 when the entry is corrupt, 2 when
 * a limit stopped the archive; *rc is libarchive's last status. */
static int read_entry_data(struct run *r, struct archive *a, const char *source,
                           const struct arlimits *lim, uint64_t *total, int *rc)
{
    uint64_t ebytes = 0;

    for (;;) {
        const void *buf;
        size_t size;
        la_int64_t off;
        la_int64_t raw;

        *rc = archive_read_data_block(a, &buf, &size, &off);
        if (*rc == ARCHIVE_EOF)
            break;
        if (*rc < ARCHIVE_WARN) {
            ingest_add_note(r, source, true, "corrupt entry: %s",
                            archive_error_string(a) ? archive_error_string(a)
                                                    : "read error");
            return 1;
        }
        ebytes += size;
        *total += size;
        if (ebytes > lim->max_entry) {
            ingest_add_note(
                r, source, true,
                "entry larger than %llu bytes uncompressed (limit); "
                "archive stopped",
                (unsigned long long)lim->max_entry);
            return 2;
        }
        if (*total > lim->max_total) {
            ingest_add_note(
                r, source, true,
                "archive larger than %llu bytes uncompressed (limit); "
                "archive stopped",
                (unsigned long long)lim->max_total);
            return 2;
        }
        raw = archive_filter_bytes(a, -1);
        if (*total > (1u << 20) && raw > 0 &&
            (double)*total / (double)raw > lim->max_ratio) {
            ingest_add_note(r, source, true,
                            "expansion ratio over %.0f (a possible zip bomb); "
                            "archive stopped",
                            lim->max_ratio);
            return 2;
        }
        ingest_feed(r, buf, size);
        ingest_progress_tick(r, false);
        if (r->stop || r->fatal)
            break;
    }
    return 0;
}

void ingest_read_archive(struct run *r, const char *path, int fd, bool at_start,
                         const unsigned char *prefix, size_t nprefix,
                         struct ingest_input *in, struct sha256 *h,
                         bool *digest_done)
{
    const struct ingest_limits *ol = &r->o->limits;
    const struct arlimits lim = {
        ol->max_entry_bytes ? ol->max_entry_bytes : UINT64_C(4) << 30,
        ol->max_archive_bytes ? ol->max_archive_bytes : UINT64_C(64) << 30,
        ol->max_entries ? ol->max_entries : 100000,
        ol->max_ratio > 0 ? ol->max_ratio : 1000.0};
    struct archive *a;
    struct archive_entry *e;
    struct arsrc s;
    struct stat sb;
    uint64_t total = 0, nentries = 0;
    char source[4096];
    int rc = ARCHIVE_OK;

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
        ingest_oom(r);
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
        ingest_add_note(r, path, true, "unable to read the archive: %s",
                        archive_error_string(a) ? archive_error_string(a)
                                                : "unknown format");
        goto out;
    }
    for (;;) {
        const char *name;
        int dr;
        bool csv_ok = true;

        if (r->stop || r->fatal)
            break;
        rc = archive_read_next_header(a, &e);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc < ARCHIVE_WARN) {
            ingest_add_note(r, path, true, "corrupt archive: %s",
                            archive_error_string(a)
                                ? archive_error_string(a)
                                : "unreadable entry header");
            if (rc == ARCHIVE_FATAL)
                break;
            continue;
        }
        if (++nentries > lim.max_entries) {
            ingest_add_note(
                r, path, true,
                "archive has more than %llu entries (limit); stopped",
                (unsigned long long)lim.max_entries);
            break;
        }
        name = archive_entry_pathname(e);
        if (!name)
            name = "(unnamed)";
        if (archive_entry_filetype(e) != AE_IFREG)
            continue;
        snprintf(source, sizeof(source), "%s:%s", path, name);
        if (archive_entry_is_encrypted(e)) {
            ingest_add_note(r, source, true, "encrypted entry: cannot be read");
            continue;
        }
        if (is_junk_entry(name)) {
            ingest_add_note(r, source, false,
                            "skipped: operating-system metadata");
            continue;
        }
        if (!ingest_has_suffix(name, ".csv")) {
            ingest_add_note(r, source, false, "skipped: not a CSV file");
            continue;
        }
        if (ingest_file_begin(r, source, name, in, false))
            break;
        dr = read_entry_data(r, a, source, &lim, &total, &rc);
        if (dr == 2)
            goto limit;
        csv_ok = dr == 0;
        ingest_file_end(r, csv_ok);
        if (rc == ARCHIVE_FATAL)
            break;
    }
    goto out;
limit:
    ingest_file_end(r, false);
out:
    if (s.err && r->fatal == CA_OK)
        ingest_add_note(r, path, true, "read error: %s", strerror(s.err));
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
            ingest_add_note(r, path, true, "unable to read: %s",
                            strerror(errno));
        *digest_done = true;
    } else {
        in->bytes = (uint64_t)s.pos;
    }
}
