/* SPDX-License-Identifier: MIT */
/* The evidence bundle (zip + SHA256SUMS); see bundle.h. */
#include "report/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

#include "util/buf.h"
#include "util/outfile.h"
#include "util/sha256.h"

static bool name_ok(const char *n)
{
    const char *p;

    if (!n[0] || n[0] == '/' || strcmp(n, "SHA256SUMS") == 0)
        return false;
    for (p = n; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F || *p == '\\')
            return false;
    for (p = n; *p;) {
        size_t seg = strcspn(p, "/");

        if (seg == 0 || (seg == 2 && p[0] == '.' && p[1] == '.') ||
            (seg == 1 && p[0] == '.'))
            return false;
        p += seg;
        if (*p == '/')
            p++;
    }
    return true;
}

static time_t bundle_time(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;

    if (e && *e) {
        errno = 0;
        v = strtoll(e, &end, 10);
        if (!errno && *end == '\0' && v >= 0)
            return (time_t)v;
    }
    return time(NULL);
}

static enum ca_status add_entry(struct archive *a, const char *zip_path,
                                const struct bundle_file *f, time_t mtime,
                                struct buf *sums, struct ca_error *err)
{
    struct archive_entry *e = NULL;
    struct sha256 h;
    unsigned char d[32];
    char hex[65], chunk[65536];
    FILE *fp = NULL;
    int64_t size;
    enum ca_status st = CA_OK;
    struct stat sb;
    uint64_t done = 0;

    if (sha256_init(&h) != 0)
        return ca_error_set(err, CA_SYSTEM, zip_path, 0, NULL, "out of memory");
    if (f->path) {
        fp = fopen(f->path, "rb");
        if (!fp || fstat(fileno(fp), &sb) != 0) {
            st = ca_error_set(err, CA_SYSTEM, f->path, 0, NULL,
                              "unable to read for the bundle: %s",
                              strerror(errno));
            goto out;
        }
        size = (int64_t)sb.st_size;
    } else {
        size = (int64_t)f->len;
    }
    e = archive_entry_new();
    if (!e) {
        st = ca_error_set(err, CA_SYSTEM, zip_path, 0, NULL, "out of memory");
        goto out;
    }
    archive_entry_set_pathname(e, f->name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0600);
    archive_entry_set_size(e, size);
    archive_entry_set_mtime(e, mtime, 0);
    if (archive_write_header(a, e) != ARCHIVE_OK)
        goto arch;
    if (f->path) {
        size_t got;

        while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
            if (done + got > (uint64_t)size) {
                st = ca_error_set(err, CA_DATA, f->path, 0, NULL,
                                  "file grew while it was added to the "
                                  "bundle");
                goto out;
            }
            sha256_update(&h, chunk, got);
            if (archive_write_data(a, chunk, got) != (la_ssize_t)got)
                goto arch;
            done += got;
        }
        if (ferror(fp) || done != (uint64_t)size) {
            st = ca_error_set(err, ferror(fp) ? CA_SYSTEM : CA_DATA, f->path, 0,
                              NULL,
                              "file changed while it was added to the "
                              "bundle");
            goto out;
        }
    } else if (f->len) {
        sha256_update(&h, f->data, f->len);
        if (archive_write_data(a, f->data, f->len) != (la_ssize_t)f->len)
            goto arch;
    }
    if (archive_write_finish_entry(a) != ARCHIVE_OK)
        goto arch;
    sha256_final(&h, d);
    sha256_hex(d, hex);
    if (buf_printf(sums, "%s  %s\n", hex, f->name) != 0)
        st = ca_error_set(err, CA_SYSTEM, zip_path, 0, NULL, "out of memory");
    goto out;
arch:
    st = ca_error_set(err, CA_SYSTEM, zip_path, 0, NULL,
                      "unable to write '%s' to the bundle: %s", f->name,
                      archive_error_string(a) ? archive_error_string(a)
                                              : "archive error");
out:
    if (fp)
        fclose(fp);
    archive_entry_free(e);
    sha256_release(&h);
    return st;
}

enum ca_status bundle_write(const char *zip_path,
                            const struct bundle_file *files, size_t n,
                            struct ca_error *err)
{
    struct outfile of;
    struct archive *a = NULL;
    struct buf sums;
    struct bundle_file sf;
    enum ca_status st;
    time_t mtime = bundle_time();
    size_t i, j;

    for (i = 0; i < n; i++) {
        if (!name_ok(files[i].name))
            return ca_error_set(err, CA_USAGE, zip_path, 0, NULL,
                                "bad name for a bundle entry: '%s'",
                                files[i].name);
        for (j = 0; j < i; j++)
            if (strcmp(files[i].name, files[j].name) == 0)
                return ca_error_set(err, CA_USAGE, zip_path, 0, NULL,
                                    "two files named '%s' in the bundle",
                                    files[i].name);
    }
    buf_init(&sums, BUNDLE_MAX_SUMS);
    st = outfile_open(&of, zip_path, err);
    if (st != CA_OK)
        goto done;
    a = archive_write_new();
    if (!a || archive_write_set_format_zip(a) != ARCHIVE_OK ||
        archive_write_open_FILE(a, of.fp) != ARCHIVE_OK) {
        st = ca_error_set(err, CA_SYSTEM, zip_path, 0, NULL,
                          "unable to start the zip: %s",
                          a && archive_error_string(a) ? archive_error_string(a)
                                                       : "out of memory");
        goto fail;
    }
    for (i = 0; i < n; i++) {
        st = add_entry(a, zip_path, &files[i], mtime, &sums, err);
        if (st != CA_OK)
            goto fail;
    }
    sf.name = "SHA256SUMS";
    sf.path = NULL;
    sf.data = sums.data;
    sf.len = sums.len;
    {
        struct buf dummy;

        buf_init(&dummy, 4096);
        st = add_entry(a, zip_path, &sf, mtime, &dummy, err);
        buf_release(&dummy);
    }
    if (st != CA_OK)
        goto fail;
    if (archive_write_close(a) != ARCHIVE_OK) {
        st = ca_error_set(err, CA_SYSTEM, zip_path, 0, NULL,
                          "unable to finish the zip: %s",
                          archive_error_string(a));
        goto fail;
    }
    archive_write_free(a);
    a = NULL;
    st = outfile_commit(&of, err);
    goto done;
fail:
    if (a)
        archive_write_free(a);
    outfile_abort(&of);
done:
    buf_release(&sums);
    return st;
}

/* --- building the list -------------------------------------------------- */

void bundle_list_init(struct bundle_list *l)
{
    memset(l, 0, sizeof(*l));
}

void bundle_list_release(struct bundle_list *l)
{
    size_t i;

    for (i = 0; i < l->nowned; i++)
        free(l->owned[i]);
    free(l->owned);
    free(l->v);
    bundle_list_init(l);
}

static const char *own(struct bundle_list *l, const char *s)
{
    char *d;

    if (l->nowned == l->owned_alloc) {
        size_t na = l->owned_alloc ? l->owned_alloc * 2 : 32;
        char **nv = realloc(l->owned, na * sizeof(*nv));

        if (!nv)
            return NULL;
        l->owned = nv;
        l->owned_alloc = na;
    }
    d = strdup(s);
    if (d)
        l->owned[l->nowned++] = d;
    return d;
}

static enum ca_status list_add(struct bundle_list *l, const char *name,
                               const char *path, const char *data, size_t len,
                               struct ca_error *err)
{
    struct bundle_file *f;

    if (l->n == l->alloc) {
        size_t na = l->alloc ? l->alloc * 2 : 32;
        struct bundle_file *nv = realloc(l->v, na * sizeof(*nv));

        if (!nv)
            goto nomem;
        l->v = nv;
        l->alloc = na;
    }
    f = &l->v[l->n];
    f->name = own(l, name);
    f->path = path ? own(l, path) : NULL;
    f->data = data;
    f->len = len;
    if (!f->name || (path && !f->path))
        goto nomem;
    l->n++;
    return CA_OK;
nomem:
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

enum ca_status bundle_list_add_file(struct bundle_list *l, const char *name,
                                    const char *path, struct ca_error *err)
{
    return list_add(l, name, path, NULL, 0, err);
}

enum ca_status bundle_list_add_data(struct bundle_list *l, const char *name,
                                    const char *data, size_t len,
                                    struct ca_error *err)
{
    return list_add(l, name, NULL, data, len, err);
}

static bool has_suffix(const char *name, const char *const *suffixes)
{
    size_t n = strlen(name), i;

    if (!suffixes)
        return true;
    for (i = 0; suffixes[i]; i++) {
        size_t k = strlen(suffixes[i]);

        if (n >= k && strcmp(name + n - k, suffixes[i]) == 0)
            return true;
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum ca_status add_dir(struct bundle_list *l, const char *name,
                              const char *path, const char *const *suffixes,
                              int depth, struct ca_error *err)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, alloc = 0, i;
    enum ca_status st = CA_OK;

    if (depth > 16)
        return ca_error_set(err, CA_DATA, path, 0, NULL,
                            "directories nested too deep");
    d = opendir(path);
    if (!d)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                            "unable to read directory: %s", strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* ".", "..", hidden files */
        if (n == alloc) {
            size_t na = alloc ? alloc * 2 : 32;
            char **nv = realloc(names, na * sizeof(*nv));

            if (!nv)
                goto nomem;
            names = nv;
            alloc = na;
        }
        names[n] = strdup(de->d_name);
        if (!names[n])
            goto nomem;
        n++;
    }
    qsort(names, n, sizeof(*names), cmp_str);
    for (i = 0; i < n && st == CA_OK; i++) {
        char sub[4096], subname[4096];
        struct stat sb;

        snprintf(sub, sizeof(sub), "%s/%s", path, names[i]);
        snprintf(subname, sizeof(subname), "%s/%s", name, names[i]);
        if (stat(sub, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            st = add_dir(l, subname, sub, suffixes, depth + 1, err);
        else if (S_ISREG(sb.st_mode) && has_suffix(names[i], suffixes))
            st = list_add(l, subname, sub, NULL, 0, err);
    }
    goto out;
nomem:
    st = ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
out:
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return st;
}

enum ca_status bundle_list_add_tree(struct bundle_list *l, const char *prefix,
                                    const char *path,
                                    const char *const *suffixes,
                                    struct ca_error *err)
{
    struct stat sb;
    char name[4096];
    const char *base;
    size_t len = strlen(path);
    char *trim = strdup(path);

    if (!trim)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    while (len > 1 && trim[len - 1] == '/')
        trim[--len] = '\0';
    base = strrchr(trim, '/');
    base = base ? base + 1 : trim;
    if (stat(trim, &sb) != 0) {
        enum ca_status st = ca_error_set(err, CA_DATA, path, 0, NULL,
                                         "unable to read: %s", strerror(errno));

        free(trim);
        return st;
    }
    if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || !*base)
        base = "files";
    if (strcmp(base, prefix) == 0) /* --rules rules: not rules/rules/... */
        snprintf(name, sizeof(name), "%s", prefix);
    else
        snprintf(name, sizeof(name), "%s/%s", prefix, base);
    {
        enum ca_status st = S_ISDIR(sb.st_mode)
                                ? add_dir(l, name, trim, suffixes, 0, err)
                                : list_add(l, name, trim, NULL, 0, err);

        free(trim);
        return st;
    }
}

/* --- verification -------------------------------------------------------- */

void bundle_contents_release(struct bundle_contents *c)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        free(c->v[i].name);
        free(c->v[i].data);
    }
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

static bool is_manifest_name(const char *n)
{
    size_t l = strlen(n);

    return strncmp(n, "manifests/", 10) == 0 && l > 15 &&
           strcmp(n + l - 5, ".json") == 0 && !strchr(n + 10, '/');
}

/* programmes/<name>.yaml: the audit programme a run followed (kept for
 * `verify`, which rebuilds its frames from it). */
static bool is_programme_name(const char *n)
{
    size_t l = strlen(n);

    return strncmp(n, "programmes/", 11) == 0 && l > 16 &&
           (strcmp(n + l - 5, ".yaml") == 0 ||
            strcmp(n + l - 4, ".yml") == 0) &&
           !strchr(n + 11, '/');
}

/* The entries `verify --recheck` runs and compares again: the rule set
 * (rules/..., the lexicon with it) and the report's tables. */
static bool is_recheck_name(const char *n)
{
    size_t l = strlen(n);

    if (strncmp(n, "rules/", 6) == 0)
        return l > 11 && (strcmp(n + l - 5, ".yaml") == 0 ||
                          strcmp(n + l - 4, ".yml") == 0);
    return strcmp(n, "summary.json") == 0 || strcmp(n, "summary.csv") == 0 ||
           strcmp(n, "findings.csv") == 0 || strcmp(n, "files.csv") == 0;
}

static bool is_hex64(const char *s)
{
    size_t i;

    for (i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return false;
    return true;
}

/* Check the entries against the SHA256SUMS text. */
static enum ca_status check_sums(const char *path, struct bundle_contents *c,
                                 char *sums, struct ca_error *err)
{
    bool *seen = calloc(c->n + 1, sizeof(*seen));
    unsigned long lineno = 0;
    char *line = sums, *nl;
    enum ca_status st = CA_OK;
    size_t i;

    if (!seen)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    for (; *line; line = nl ? nl + 1 : line + strlen(line)) {
        const char *name;
        size_t len;

        nl = strchr(line, '\n');
        len = nl ? (size_t)(nl - line) : strlen(line);
        lineno++;
        if (len && line[len - 1] == '\r')
            len--;
        if (len == 0)
            continue;
        if (len < 67 || !is_hex64(line) || line[64] != ' ' ||
            (line[65] != ' ' && line[65] != '*')) {
            st = ca_error_set(err, CA_DATA, path, 0, "SHA256SUMS",
                              "line %lu is not '<sha256>  <name>'", lineno);
            goto out;
        }
        name = line + 66;
        for (i = 0; i < c->n; i++)
            if (strlen(c->v[i].name) == len - 66 &&
                memcmp(c->v[i].name, name, len - 66) == 0)
                break;
        if (i == c->n) {
            st = ca_error_set(err, CA_FINDINGS, path, 0, NULL,
                              "'%.*s' is listed in SHA256SUMS but missing "
                              "from the bundle",
                              (int)(len - 66), name);
            goto out;
        }
        if (seen[i]) {
            st = ca_error_set(err, CA_DATA, path, 0, "SHA256SUMS",
                              "'%s' is listed twice", c->v[i].name);
            goto out;
        }
        seen[i] = true;
        {
            char want[65];
            size_t k;

            for (k = 0; k < 64; k++)
                want[k] = (char)((line[k] >= 'A' && line[k] <= 'F')
                                     ? line[k] - 'A' + 'a'
                                     : line[k]);
            want[64] = '\0';
            if (strcmp(want, c->v[i].sha256) != 0) {
                st = ca_error_set(err, CA_FINDINGS, path, 0, NULL,
                                  "'%s' does not match SHA256SUMS (the bundle "
                                  "was changed after it was written)",
                                  c->v[i].name);
                goto out;
            }
        }
    }
    for (i = 0; i < c->n; i++)
        if (!seen[i]) {
            st = ca_error_set(err, CA_FINDINGS, path, 0, NULL,
                              "'%s' is in the bundle but not in SHA256SUMS",
                              c->v[i].name);
            goto out;
        }
out:
    free(seen);
    return st;
}

/* Whether entry name may join out (no more than the cap, no second
 * SHA256SUMS, no name twice). */
static enum ca_status entry_admit(const char *path,
                                  const struct bundle_contents *out,
                                  const char *name, bool is_sums,
                                  bool have_sums, struct ca_error *err)
{
    enum ca_status st = CA_OK;
    size_t i;

    if (out->n >= BUNDLE_MAX_ENTRIES) {
        st = ca_error_set(err, CA_DATA, path, 0, NULL,
                          "more than %d entries: not a bundle",
                          BUNDLE_MAX_ENTRIES);
        goto out;
    }
    if (is_sums && have_sums) {
        st = ca_error_set(err, CA_FINDINGS, path, 0, NULL,
                          "two SHA256SUMS entries");
        goto out;
    }
    for (i = 0; i < out->n; i++)
        if (strcmp(out->v[i].name, name) == 0) {
            st = ca_error_set(err, CA_FINDINGS, path, 0, NULL,
                              "'%s' appears twice in the bundle", name);
            goto out;
        }
out:
    return st;
}

/* A new entry of out named name (its data still to come), or NULL out of
 * memory. */
static struct bundle_entry *entry_add(struct bundle_contents *out,
                                      const char *name)
{
    struct bundle_entry *nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
    struct bundle_entry *be = NULL;

    if (!nv)
        goto out;
    out->v = nv;
    be = &out->v[out->n];
    memset(be, 0, sizeof(*be));
    be->name = strdup(name);
    if (!be->name) {
        be = NULL;
        goto out;
    }
    be->manifest = is_manifest_name(name);
    out->n++;
out:
    return be;
}

/* The current entry's bytes through h (*bytes counted) and, when keep,
 * into *data (NUL-terminated, *dlen bytes, at most limit; owned by the
 * caller, never NULL when kept). */
static enum ca_status entry_read(struct archive *a, struct sha256 *h,
                                 const char *path, const char *name, bool keep,
                                 size_t limit, char **data, size_t *dlen,
                                 uint64_t *bytes, struct ca_error *err)
{
    enum ca_status st = CA_OK;
    size_t dalloc = 0;
    char block[65536];
    la_ssize_t got;

    *data = NULL;
    *dlen = 0;
    *bytes = 0;
    while ((got = archive_read_data(a, block, sizeof(block))) > 0) {
        sha256_update(h, block, (size_t)got);
        *bytes += (uint64_t)got;
        if (!keep)
            continue;
        if (*dlen + (size_t)got > limit) {
            st = ca_error_set(err, CA_DATA, path, 0, NULL, "'%s' is too large",
                              name);
            goto out;
        }
        if (*dlen + (size_t)got + 1 > dalloc) {
            size_t na = dalloc ? dalloc * 2 : 65536;
            char *nd;

            while (na < *dlen + (size_t)got + 1)
                na *= 2;
            nd = realloc(*data, na);
            if (!nd)
                goto nomem;
            *data = nd;
            dalloc = na;
        }
        memcpy(*data + *dlen, block, (size_t)got);
        *dlen += (size_t)got;
    }
    if (got < 0) {
        st =
            ca_error_set(err, CA_DATA, path, 0, NULL, "unable to read '%s': %s",
                         name, archive_error_string(a));
        goto out;
    }
    if (keep && !*data && !(*data = malloc(1)))
        goto nomem;
    if (*data)
        (*data)[*dlen] = '\0';
    goto out;
nomem:
    st = ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
out:
    if (st != CA_OK) {
        free(*data);
        *data = NULL;
    }
    return st;
}

enum ca_status bundle_verify(const char *path, struct bundle_contents *out,
                             struct ca_error *err)
{
    struct archive *a = NULL;
    struct archive_entry *e;
    struct sha256 h;
    bool hinit = false;
    char *sums = NULL;
    size_t sums_len = 0;
    bool have_sums = false;
    enum ca_status st = CA_OK;
    int r;

    memset(out, 0, sizeof(*out));
    if (sha256_init(&h) != 0)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    hinit = true;
    a = archive_read_new();
    if (!a || archive_read_support_format_zip(a) != ARCHIVE_OK) {
        st = ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
        goto out;
    }
    if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
        st = ca_error_set(err, CA_DATA, path, 0, NULL,
                          "not a readable bundle: %s", archive_error_string(a));
        goto out;
    }
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e);
        bool is_sums, keep;
        struct bundle_entry *be = NULL;
        char *data = NULL;
        size_t dlen = 0;
        uint64_t bytes = 0;
        unsigned char d[32];

        if (!name || archive_entry_filetype(e) == AE_IFDIR)
            continue;
        is_sums = strcmp(name, "SHA256SUMS") == 0;
        st = entry_admit(path, out, name, is_sums, have_sums, err);
        if (st != CA_OK)
            goto out;
        keep = is_sums || is_manifest_name(name) || is_programme_name(name) ||
               is_recheck_name(name);
        if (!is_sums && !(be = entry_add(out, name)))
            goto nomem;
        st = entry_read(a, &h, path, name, keep,
                        is_sums ? BUNDLE_MAX_SUMS : BUNDLE_MAX_MANIFEST, &data,
                        &dlen, &bytes, err);
        if (st != CA_OK)
            goto out;
        sha256_final(&h, d);
        if (is_sums) {
            sums = data;
            sums_len = dlen;
            have_sums = true;
        } else {
            sha256_hex(d, be->sha256);
            be->bytes = bytes;
            be->data = data;
            be->len = dlen;
        }
    }
    if (r != ARCHIVE_EOF) {
        st = ca_error_set(err, CA_DATA, path, 0, NULL,
                          "not a readable bundle: %s", archive_error_string(a));
        goto out;
    }
    if (!have_sums) {
        st = ca_error_set(err, CA_DATA, path, 0, NULL,
                          "no SHA256SUMS: not an evidence bundle");
        goto out;
    }
    if (memchr(sums, '\0', sums_len)) {
        st = ca_error_set(err, CA_DATA, path, 0, "SHA256SUMS", "NUL byte");
        goto out;
    }
    st = check_sums(path, out, sums, err);
    goto out;
nomem:
    st = ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
out:
    if (a)
        archive_read_free(a);
    if (hinit)
        sha256_release(&h);
    free(sums);
    return st;
}
