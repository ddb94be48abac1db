/* SPDX-License-Identifier: MIT */
/*
 * Record batches (see recbatch.h): record copies in a chunked arena that is
 * kept from one batch to the next.  Lives in ingest/ because a faithful
 * copy needs the private case-log context (internal.h).
 *
 * Sharing between consecutive records is decided by content, never by a
 * pointer alone: ingest reuses its buffers from file to file, so the same
 * address may hold other column names or another profile's regex later in
 * the same batch.  A profile's compiled regex is compared byte for byte
 * (its whole PCRE2 block) with a snapshot taken when it was copied.
 */
#include "ingest/recbatch.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/internal.h"

#define CHUNK_BYTES (256 * 1024)
#define ALIGN (alignof(max_align_t))
/* Regex copies kept across batches; beyond this the cache is dropped at
 * the next clear. */
#define RX_CACHE_MAX 8

struct chunk {
    struct chunk *next;
    size_t size, used;
    max_align_t data[]; /* size bytes */
};

/* A copied entry-header regex and the snapshot that proves it current. */
struct rx_copy {
    const pcre2_code *orig;
    unsigned char *snap; /* the original's compiled block, as copied */
    size_t size;
    struct entry_regex rx; /* owned copy, JIT-compiled */
};

struct record_batch {
    struct chunk *head, *cur;
    size_t bytes; /* arena bytes handed out since the last clear */

    struct record *recs;
    size_t n, alloc;

    struct rx_copy **rxc;
    size_t nrxc, arxc;

    /* what the last record added shares with the next (copies) */
    const char *const *prev_names;
    size_t prev_ncols;
    const char *prev_source, *prev_force;
    const struct record_logctx *prev_ctx;
};

struct mark {
    struct chunk *cur;
    size_t used, bytes;
};

/* ---- arena ---- */

static void *arena_alloc(struct record_batch *b, size_t n)
{
    struct chunk *c = b->cur, *nc;
    size_t size;
    void *p;

    if (n > SIZE_MAX - ALIGN)
        return NULL;
    n = (n + ALIGN - 1) / ALIGN * ALIGN;
    if (!c) {
        c = b->head;
        if (c)
            c->used = 0;
    }
    while (c && c->size - c->used < n) {
        /* the next kept chunk, when big enough, else a new one here */
        if (c->next && c->next->size >= n) {
            c = c->next;
            c->used = 0;
            break;
        }
        c = NULL;
    }
    if (!c) {
        size = n > CHUNK_BYTES ? n : CHUNK_BYTES;
        if (size > SIZE_MAX - sizeof(*nc))
            return NULL;
        nc = malloc(sizeof(*nc) + size);
        if (!nc)
            return NULL;
        nc->size = size;
        nc->used = 0;
        if (b->cur) {
            nc->next = b->cur->next;
            b->cur->next = nc;
        } else {
            nc->next = b->head;
            b->head = nc;
        }
        c = nc;
    }
    b->cur = c;
    p = (char *)c->data + c->used;
    c->used += n;
    b->bytes += n;
    return p;
}

static struct mark arena_mark(const struct record_batch *b)
{
    struct mark m = {b->cur, b->cur ? b->cur->used : 0, b->bytes};

    return m;
}

static void arena_rollback(struct record_batch *b, const struct mark *m)
{
    b->cur = m->cur;
    if (m->cur)
        m->cur->used = m->used;
    b->bytes = m->bytes;
}

static char *arena_strndup(struct record_batch *b, const char *s, size_t n)
{
    char *d = arena_alloc(b, n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* ---- batch ---- */

struct record_batch *record_batch_new(void)
{
    return calloc(1, sizeof(struct record_batch));
}

static void rx_cache_drop(struct record_batch *b)
{
    size_t i;

    for (i = 0; i < b->nrxc; i++) {
        entry_regex_release(&b->rxc[i]->rx);
        free(b->rxc[i]->snap);
        free(b->rxc[i]);
    }
    b->nrxc = 0;
}

void record_batch_free(struct record_batch *b)
{
    struct chunk *c, *next;

    if (!b)
        return;
    for (c = b->head; c; c = next) {
        next = c->next;
        free(c);
    }
    rx_cache_drop(b);
    free(b->rxc);
    free(b->recs);
    free(b);
}

void record_batch_clear(struct record_batch *b)
{
    b->n = 0;
    b->cur = NULL;
    b->bytes = 0;
    b->prev_names = NULL;
    b->prev_ncols = 0;
    b->prev_source = b->prev_force = NULL;
    b->prev_ctx = NULL;
    if (b->nrxc > RX_CACHE_MAX)
        rx_cache_drop(b);
}

size_t record_batch_count(const struct record_batch *b)
{
    return b->n;
}

size_t record_batch_bytes(const struct record_batch *b)
{
    return b->bytes;
}

const struct record *record_batch_get(const struct record_batch *b, size_t i)
{
    return i < b->n ? &b->recs[i] : NULL;
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* A private copy of a profile's entry-header regex (NULL: out of memory). */
static const struct entry_regex *rx_copy_of(struct record_batch *b,
                                            const struct entry_regex *src)
{
    struct rx_copy *rc;
    size_t i, size = 0;

    if (pcre2_pattern_info(src->re, PCRE2_INFO_SIZE, &size) != 0)
        return NULL;
    for (i = 0; i < b->nrxc; i++) {
        rc = b->rxc[i];
        if (rc->orig == src->re && rc->size == size &&
            rc->rx.at_no == src->at_no && rc->rx.rank_no == src->rank_no &&
            rc->rx.author_no == src->author_no && rc->rx.pairs == src->pairs &&
            memcmp(rc->snap, src->re, size) == 0)
            return &rc->rx;
    }
    if (b->nrxc == b->arxc) {
        size_t na = b->arxc ? b->arxc * 2 : 4;
        struct rx_copy **v = realloc(b->rxc, na * sizeof(*v));

        if (!v)
            return NULL;
        b->rxc = v;
        b->arxc = na;
    }
    rc = calloc(1, sizeof(*rc));
    if (!rc)
        return NULL;
    rc->snap = malloc(size);
    rc->rx = *src;
    rc->rx.re = pcre2_code_copy(src->re);
    if (!rc->snap || !rc->rx.re) {
        pcre2_code_free(rc->rx.re);
        free(rc->snap);
        free(rc);
        return NULL;
    }
    memcpy(rc->snap, src->re, size);
    rc->orig = src->re;
    rc->size = size;
    (void)pcre2_jit_compile(rc->rx.re, PCRE2_JIT_COMPLETE); /* else interp */
    b->rxc[b->nrxc++] = rc;
    return &rc->rx;
}

/* Copy of one joined entry's text part (NULL stays NULL). */
#define COPY_PART(d, e, f)                                                     \
    do {                                                                       \
        if ((e)->f) {                                                          \
            (d)->f = arena_strndup(b, (e)->f, (e)->f##_len);                   \
            if (!(d)->f)                                                       \
                return NULL;                                                   \
        }                                                                      \
    } while (0)

static const struct record_logctx *ctx_copy_of(struct record_batch *b,
                                               const struct record_logctx *src)
{
    const struct entry_regex *rx = NULL;
    struct record_logctx *c;
    struct log_entry *ents = NULL;
    size_t i;

    if (src->rx && src->rx != entry_regex_default()) {
        rx = rx_copy_of(b, src->rx);
        if (!rx)
            return NULL;
    }
    if (!src->joined && b->prev_ctx && !b->prev_ctx->joined &&
        b->prev_ctx->rx == rx && b->prev_ctx->max_entries == src->max_entries &&
        b->prev_ctx->utf8_valid == src->utf8_valid &&
        str_eq(b->prev_ctx->at_format, src->at_format))
        return b->prev_ctx;
    c = arena_alloc(b, sizeof(*c));
    if (!c)
        return NULL;
    *c = *src;
    c->rx = rx;
    c->entries = NULL;
    if (src->at_format) {
        c->at_format = arena_strndup(b, src->at_format, strlen(src->at_format));
        if (!c->at_format)
            return NULL;
    }
    if (src->joined && src->nentries) {
        if (src->nentries > SIZE_MAX / sizeof(*ents))
            return NULL;
        ents = arena_alloc(b, src->nentries * sizeof(*ents));
        if (!ents)
            return NULL;
        for (i = 0; i < src->nentries; i++) {
            const struct log_entry *e = &src->entries[i];
            struct log_entry *d = &ents[i];

            *d = *e;
            COPY_PART(d, e, rank);
            COPY_PART(d, e, author);
            COPY_PART(d, e, text);
            COPY_PART(d, e, raw);
        }
        c->entries = ents;
    }
    return c;
}

#undef COPY_PART

static bool names_equal(const struct record_batch *b, const struct record *r)
{
    size_t i;

    if (!b->prev_names || b->prev_ncols != r->ncols)
        return false;
    for (i = 0; i < r->ncols; i++)
        if (!str_eq(b->prev_names[i], r->names[i]))
            return false;
    return true;
}

/* The copy of r in d, its strings in the arena; -1 when out of memory. */
static int copy_record(struct record_batch *b, struct record *d,
                       const struct record *r)
{
    const char **names = NULL, **values;
    size_t *lens, i, nc = r->ncols ? r->ncols : 1;
    const struct record_logctx *ctx = NULL;

    *d = *r;
    if (nc > SIZE_MAX / sizeof(*values))
        return -1;
    if (names_equal(b, r)) {
        d->names = b->prev_names;
    } else {
        names = arena_alloc(b, nc * sizeof(*names));
        if (!names)
            return -1;
        for (i = 0; i < r->ncols; i++) {
            names[i] = NULL;
            if (r->names[i] && !(names[i] = arena_strndup(b, r->names[i],
                                                          strlen(r->names[i]))))
                return -1;
        }
        d->names = names;
    }
    values = arena_alloc(b, nc * sizeof(*values));
    lens = arena_alloc(b, nc * sizeof(*lens));
    if (!values || !lens)
        return -1;
    for (i = 0; i < r->ncols; i++) {
        lens[i] = r->lens[i];
        values[i] = NULL;
        if (r->values[i] &&
            !(values[i] = arena_strndup(b, r->values[i], r->lens[i])))
            return -1;
    }
    d->values = values;
    d->lens = lens;
    if (r->source) {
        d->source = str_eq(b->prev_source, r->source)
                        ? b->prev_source
                        : arena_strndup(b, r->source, strlen(r->source));
        if (!d->source)
            return -1;
    }
    d->force = str_eq(b->prev_force, r->force)
                   ? b->prev_force
                   : arena_strndup(b, r->force, strlen(r->force));
    d->id = arena_strndup(b, r->id ? r->id : "", r->id ? strlen(r->id) : 0);
    if (!d->force || !d->id)
        return -1;
    if (r->log_ctx) {
        ctx = ctx_copy_of(b, r->log_ctx);
        if (!ctx)
            return -1;
    }
    d->log_ctx = ctx;
    return 0;
}

enum ca_status record_batch_add(struct record_batch *b, const struct record *r,
                                struct ca_error *err)
{
    struct mark m = arena_mark(b);
    struct record *d;

    if (b->n == b->alloc) {
        size_t na = b->alloc ? b->alloc * 2 : 64;
        struct record *v = NULL;

        if (na <= SIZE_MAX / sizeof(*v))
            v = realloc(b->recs, na * sizeof(*v));
        if (!v)
            goto oom;
        b->recs = v;
        b->alloc = na;
    }
    d = &b->recs[b->n];
    if (copy_record(b, d, r) != 0) {
        arena_rollback(b, &m);
        goto oom;
    }
    b->n++;
    b->prev_names = d->names;
    b->prev_ncols = d->ncols;
    b->prev_source = d->source;
    b->prev_force = d->force;
    b->prev_ctx = d->log_ctx;
    return CA_OK;
oom:
    return ca_error_set(err, CA_SYSTEM, r->source, r->line, NULL,
                        "out of memory copying a record");
}
