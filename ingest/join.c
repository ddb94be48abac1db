/* SPDX-License-Identifier: MIT */
/* The separate case-log entries file; see join.h. */
#include "ingest/join.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/csvread.h"
#include "ingest/internal.h"

struct join_raw {
    size_t ref, rank, author, text; /* offsets into text */
    size_t rank_len, author_len, text_len;
    int64_t at;
    bool has_at, has_time;
    size_t seq;
};

struct loader {
    struct join *j;
    const char *path;
    struct ca_error *err;
    enum ca_status st;
    bool header;
    size_t ncols;
    int col_ref, col_at, col_rank, col_author, col_text;
};

static int add_text(struct join *j, const char *s, size_t n, size_t *off)
{
    if (j->len + n + 1 > j->alloc) {
        size_t na = j->alloc ? j->alloc : 65536;
        char *nt;

        while (na < j->len + n + 1)
            na *= 2;
        nt = realloc(j->text, na);
        if (!nt)
            return -1;
        j->text = nt;
        j->alloc = na;
    }
    memcpy(j->text + j->len, s, n);
    j->text[j->len + n] = '\0';
    *off = j->len;
    j->len += n + 1;
    return 0;
}

/* The column of the first name in want the header has, or -1; a name in
 * two columns sets *dup to the second (the first is returned). */
static int col_of(struct csvrow *row, const char *const *want, size_t *dup)
{
    size_t i, k;
    const char *const *w;

    for (w = want; *w; w++)
        for (i = 0; i < row->nkept; i++)
            if (ingest_strcaseeq(row->v[i], *w)) {
                for (k = i + 1; k < row->nkept; k++)
                    if (ingest_strcaseeq(row->v[k], *w) && !*dup)
                        *dup = k + 1;
                return (int)i;
            }
    return -1;
}

static int on_row(void *ctx, struct csvrow *row)
{
    static const char *const refs[] = {"ref",        "id",       "crime_ref",
                                       "wanted_ref", "bail_ref", NULL};
    static const char *const ats[] = {"at", "timestamp", "date", NULL};
    static const char *const ranks[] = {"rank", NULL};
    static const char *const authors[] = {"author", "officer", NULL};
    static const char *const texts[] = {"text", "entry", NULL};
    struct loader *l = ctx;
    struct join *j = l->j;
    struct join_raw *r;
    const char *v;
    int rc;

    if (row->bad != CSVROW_OK) {
        l->st = ca_error_set(l->err, CA_DATA, l->path, row->line, NULL,
                             "entries file: %s", row->detail);
        return 1;
    }
    if (!l->header) {
        size_t dup = 0;
        const int *const cols[] = {&l->col_ref, &l->col_at, &l->col_rank,
                                   &l->col_author, &l->col_text};
        size_t k;

        l->header = true;
        l->ncols = row->n;
        l->col_ref = col_of(row, refs, &dup);
        l->col_at = col_of(row, ats, &dup);
        l->col_rank = col_of(row, ranks, &dup);
        l->col_author = col_of(row, authors, &dup);
        l->col_text = col_of(row, texts, &dup);
        for (k = 0; dup && k < sizeof(cols) / sizeof(cols[0]); k++)
            if (*cols[k] >= 0 &&
                ingest_strcaseeq(row->v[*cols[k]], row->v[dup - 1])) {
                l->st = ca_error_set(l->err, CA_DATA, l->path, row->line, NULL,
                                     "entries file: columns %d and %zu are "
                                     "both named '%s'",
                                     *cols[k] + 1, dup, row->v[dup - 1]);
                return 1;
            }
        if (l->col_ref < 0 || l->col_text < 0) {
            l->st = ca_error_set(l->err, CA_DATA, l->path, row->line, NULL,
                                 "entries file needs columns ref and text "
                                 "(and at, rank, author)");
            return 1;
        }
        return 0;
    }
    if (row->n != l->ncols) {
        l->st = ca_error_set(l->err, CA_DATA, l->path, row->line, NULL,
                             "entries file: row has %zu fields, the header "
                             "has %zu",
                             row->n, l->ncols);
        return 1;
    }
    if (j->nraw == j->alloc_raw) {
        size_t na = j->alloc_raw ? j->alloc_raw * 2 : 1024;
        struct join_raw *nr = realloc(j->raw, na * sizeof(*nr));

        if (!nr)
            goto oom;
        j->raw = nr;
        j->alloc_raw = na;
    }
    r = &j->raw[j->nraw];
    memset(r, 0, sizeof(*r));
    r->seq = j->nraw;
    v = row->v[l->col_ref];
    while (*v == ' ')
        v++;
    if (!*v) {
        l->st = ca_error_set(l->err, CA_DATA, l->path, row->line, "ref",
                             "entries file: empty ref");
        return 1;
    }
    if (l->col_at >= 0) {
        rc = date_parse(row->v[l->col_at], row->len[l->col_at], NULL, &r->at,
                        &r->has_time);
        if (rc < 0) {
            l->st =
                ca_error_set(l->err, CA_DATA, l->path, row->line, "at",
                             "entries file: bad date '%s'", row->v[l->col_at]);
            return 1;
        }
        r->has_at = rc == 0;
    }
    if (add_text(j, v, strlen(v), &r->ref))
        goto oom;
    if (l->col_rank >= 0) {
        r->rank_len = row->len[l->col_rank];
        if (add_text(j, row->v[l->col_rank], r->rank_len, &r->rank))
            goto oom;
    } else if (add_text(j, "", 0, &r->rank)) {
        goto oom;
    }
    if (l->col_author >= 0) {
        r->author_len = row->len[l->col_author];
        if (add_text(j, row->v[l->col_author], r->author_len, &r->author))
            goto oom;
    } else if (add_text(j, "", 0, &r->author)) {
        goto oom;
    }
    r->text_len = row->len[l->col_text];
    if (add_text(j, row->v[l->col_text], r->text_len, &r->text))
        goto oom;
    j->nraw++;
    return 0;
oom:
    l->st = ca_error_set(l->err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    return 1;
}

/* Sort keys carry the ref pointer, since qsort has no context argument. */
struct sortkey {
    const char *ref;
    size_t seq;
};

static int cmp_key(const void *a, const void *b)
{
    const struct sortkey *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);

    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static enum ca_status build(struct join *j, struct ca_error *err)
{
    struct sortkey *keys;
    size_t i;

    if (!j->nraw)
        return CA_OK;
    keys = malloc(j->nraw * sizeof(*keys));
    j->entries = malloc(j->nraw * sizeof(*j->entries));
    j->refs = malloc(j->nraw * sizeof(*j->refs));
    if (!keys || !j->entries || !j->refs) {
        free(keys);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    for (i = 0; i < j->nraw; i++) {
        keys[i].ref = j->text + j->raw[i].ref;
        keys[i].seq = i;
    }
    qsort(keys, j->nraw, sizeof(*keys), cmp_key);
    for (i = 0; i < j->nraw; i++) {
        const struct join_raw *r = &j->raw[keys[i].seq];
        struct log_entry *e = &j->entries[i];

        memset(e, 0, sizeof(*e));
        e->at = r->at;
        e->has_at = r->has_at;
        e->has_time = r->has_time;
        e->rank = j->text + r->rank;
        e->rank_len = r->rank_len;
        e->author = j->text + r->author;
        e->author_len = r->author_len;
        e->text = e->raw = j->text + r->text;
        e->text_len = e->raw_len = r->text_len;
        e->line_offset = 0;
        if (j->nrefs && strcmp(j->refs[j->nrefs - 1].ref, keys[i].ref) == 0) {
            j->refs[j->nrefs - 1].count++;
        } else {
            j->refs[j->nrefs].ref = keys[i].ref;
            j->refs[j->nrefs].first = i;
            j->refs[j->nrefs].count = 1;
            j->nrefs++;
        }
        e->line_offset = (unsigned long)(i - j->refs[j->nrefs - 1].first);
    }
    j->n = j->nraw;
    free(keys);
    free(j->raw);
    j->raw = NULL;
    j->nraw = j->alloc_raw = 0;
    return CA_OK;
}

enum ca_status join_load(struct join *j, const char *path, size_t max_field,
                         struct ca_error *err)
{
    struct loader l;
    struct csvread c;
    unsigned char *buf = NULL;
    ssize_t n;
    int fd;
    enum ca_status st;

    memset(j, 0, sizeof(*j));
    memset(&l, 0, sizeof(l));
    l.j = j;
    l.path = path;
    l.err = err;
    l.st = CA_OK;
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return ca_error_set(err, CA_DATA, path, 0, NULL,
                            "unable to open the entries file: %s",
                            strerror(errno));
    buf = malloc(256 * 1024);
    if (!buf || csvread_init(&c, CSVR_UTF8, max_field, 0, on_row, &l)) {
        free(buf);
        close(fd);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    st = CA_OK;
    while (st == CA_OK && l.st == CA_OK && !c.stopped) {
        n = read(fd, buf, 256 * 1024);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            st = ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                              "unable to read the entries file: %s",
                              strerror(errno));
            break;
        }
        if (n == 0) {
            st = csvread_end(&c, err);
            break;
        }
        st = csvread_feed(&c, buf, (size_t)n, err);
    }
    if (st == CA_OK)
        st = l.st;
    if (st == CA_OK && !l.header)
        st = ca_error_set(err, CA_DATA, path, 0, NULL,
                          "the entries file is empty");
    csvread_release(&c);
    free(buf);
    close(fd);
    if (st == CA_OK)
        st = build(j, err);
    if (st != CA_OK)
        join_release(j);
    return st;
}

const struct log_entry *join_find(const struct join *j, const char *ref,
                                  size_t *count)
{
    size_t lo = 0, hi = j->nrefs, mid;
    int c;

    *count = 0;
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = strcmp(ref, j->refs[mid].ref);
        if (c == 0) {
            *count = j->refs[mid].count;
            return j->entries + j->refs[mid].first;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

void join_release(struct join *j)
{
    free(j->text);
    free(j->entries);
    free(j->refs);
    free(j->raw);
    memset(j, 0, sizeof(*j));
}
