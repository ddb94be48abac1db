/* SPDX-License-Identifier: MIT */
/*
 * Duplicate-id set; see idset.h.
 *
 * Slots: linear probing from the home slot given by the top bits of the
 * tag, so doubling the table needs no id, only its tag, and walks both
 * tables in order.  An id is compared only when its 32-bit tag matches.
 * The table comes from bigtable_alloc (huge pages where Linux allows):
 * each new id lands on a random slot, and with 4 KiB pages nearly
 * every one would also miss the TLB.
 *
 * Arena: an id is stored as 8 bytes of where (source in the low 24 bits,
 * line in the high 40), one byte of type and the id with its NUL, padded
 * to 8 bytes, at a byte offset that is a multiple of 8 and referred to by
 * offset / 8.  Blocks are BLOCK bytes; an id too long for one block gets a
 * run of consecutive block numbers in one allocation.
 *
 * Spilling: when the table and the arena pass the budget, every id is
 * re-hashed to its full 64-bit hash, sorted by it, and appended to the
 * temporary file as a run of records (hash, where, type, length, id),
 * cut into blocks of about SPILL_BLOCK bytes at record boundaries.  The
 * run keeps the offset and first hash of every block and a blocked Bloom
 * filter: 64-byte words, one chosen by the hash, BLOOM_K bits set in it,
 * so a query costs one cache line per run.  Then the table is cleared
 * (keeping its size) and the arena freed.  An id not in the table is
 * looked for in each run whose filter may hold it: the blocks whose hash
 * range can hold its hash are read back with pread and scanned.  An id is
 * only ever added when found nowhere, so it is in at most one place.
 */
#include "ingest/idset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/bigtable.h"

#define BLOCK ((size_t)1 << 20)
#define MAX_BLOCKS (((uint64_t)1 << 35) / BLOCK) /* 32-bit refs of 8 bytes */
#define SOURCE_BITS 24
#define LINE_BITS 40
#define HDR 9 /* where (8) and type (1) */
#define BUDGET_MIN ((size_t)64 << 10)
#define SPILL_BLOCK ((size_t)4 << 10)
#define REC_HDR 21    /* hash (8), where (8), type (1), length (4) */
#define BLOOM_BITS 12 /* per id */
#define BLOOM_K 7

struct idset_run {
    int fd;                /* its own unlinked temporary file */
    unsigned level;        /* it holds 2^level spills' worth of ids */
    uint64_t n;            /* ids */
    uint64_t *block_off;   /* nblocks + 1 file offsets */
    uint64_t *block_first; /* the first hash of each block */
    size_t nblocks, balloc;
    uint64_t *bloom; /* nwords 64-byte words of 8 uint64_t */
    size_t nwords;
};

void idset_init(struct idset *s)
{
    memset(s, 0, sizeof(*s));
}

void idset_set_budget(struct idset *s, size_t bytes)
{
    s->budget = bytes;
}

static void run_free(struct idset_run *r)
{
    if (r->fd >= 0)
        close(r->fd);
    free(r->block_off);
    free(r->block_first);
    free(r->bloom);
    memset(r, 0, sizeof(*r));
    r->fd = -1;
}

static void arena_free(struct idset *s)
{
    size_t i;

    for (i = 0; i < s->nblocks; i++)
        if (s->owned[i])
            free(s->blocks[i]);
    s->nblocks = 0;
    s->used = 0;
}

void idset_release(struct idset *s)
{
    size_t i;

    arena_free(s);
    free(s->blocks);
    free(s->owned);
    free(s->v);
    for (i = 0; i < s->nruns; i++)
        run_free(&s->runs[i]);
    free(s->runs);
    free(s->rbuf);
    idset_init(s);
}

/* FNV-1a, then a final mix. */
static uint64_t hash_id(unsigned type, const char *id, size_t len)
{
    uint64_t h = 1469598103934665603ULL ^ type;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)id[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static uint32_t tag_of(uint64_t h)
{
    uint32_t t = (uint32_t)(h >> 32);

    return t ? t : 1;
}

static const unsigned char *item_at(const struct idset *s, uint32_t ref)
{
    uint64_t off = (uint64_t)ref * 8;

    return (const unsigned char *)s->blocks[off / BLOCK] + off % BLOCK;
}

static int add_blocks(struct idset *s, size_t k)
{
    size_t i;
    char *p;

    if (s->nblocks + k > MAX_BLOCKS)
        return -2;
    if (s->nblocks + k > s->blocks_alloc) {
        size_t na = s->blocks_alloc ? s->blocks_alloc * 2 : 64;
        char **nb;
        bool *no;

        while (na < s->nblocks + k)
            na *= 2;
        nb = realloc(s->blocks, na * sizeof(*nb));
        if (!nb)
            return -1;
        s->blocks = nb;
        no = realloc(s->owned, na * sizeof(*no));
        if (!no)
            return -1;
        s->owned = no;
        s->blocks_alloc = na;
    }
    p = malloc(k * BLOCK);
    if (!p)
        return -1;
    for (i = 0; i < k; i++) {
        s->blocks[s->nblocks + i] = p + i * BLOCK;
        s->owned[s->nblocks + i] = i == 0;
    }
    s->nblocks += k;
    return 0;
}

/* Store an id; returns 0 and its reference, or -1 / -2. */
static int arena_put(struct idset *s, unsigned type, const char *id, size_t len,
                     uint64_t where, uint32_t *ref)
{
    size_t need = (HDR + len + 1 + 7) & ~(size_t)7;
    unsigned char *p;
    uint64_t off;
    int rc;

    if (need > BLOCK) {
        /* a run of blocks of its own (an id longer than 1 MiB is odd but
         * allowed); the block being filled is left as it is */
        rc = add_blocks(s, (need + BLOCK - 1) / BLOCK);
        if (rc)
            return rc;
        off = (uint64_t)(s->nblocks - (need + BLOCK - 1) / BLOCK) * BLOCK;
        s->used = BLOCK; /* full: the next id opens a new block */
    } else {
        if (!s->nblocks || s->used + need > BLOCK) {
            rc = add_blocks(s, 1);
            if (rc)
                return rc;
            s->used = 0;
        }
        off = (uint64_t)(s->nblocks - 1) * BLOCK + s->used;
        s->used += need;
    }
    p = (unsigned char *)s->blocks[off / BLOCK] + off % BLOCK;
    memcpy(p, &where, 8);
    p[8] = (unsigned char)type;
    memcpy(p + HDR, id, len);
    p[HDR + len] = '\0';
    *ref = (uint32_t)(off / 8);
    return 0;
}

static int grow(struct idset *s)
{
    size_t nc = s->cap ? s->cap * 2 : 1024, i, j;
    unsigned shift = s->cap ? s->shift - 1 : 32 - 10;
    struct idset_slot *nv;

    if (shift == 0) /* 2^32 slots: refs could not address the ids */
        return -2;
    nv = bigtable_alloc(nc, sizeof(*nv));
    if (!nv)
        return -1;
    for (i = 0; i < s->cap; i++) {
        if (!s->v[i].tag)
            continue;
        j = s->v[i].tag >> shift;
        while (nv[j].tag)
            j = (j + 1) & (nc - 1);
        nv[j] = s->v[i];
    }
    free(s->v);
    s->v = nv;
    s->cap = nc;
    s->shift = shift;
    return 0;
}

/* ---- spilling to temporary files ---- */

static size_t memory_used(const struct idset *s)
{
    return s->cap * sizeof(struct idset_slot) +
           (s->nblocks ? (s->nblocks - 1) * BLOCK + s->used : 0);
}

static uint64_t mix2(uint64_t h)
{
    h ^= h >> 31;
    h *= 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
    return h;
}

/* The filter's 64-byte word for h is chosen by h, and BLOOM_K bits in it
 * by 9-bit slices of a second mix of h. */
static void bloom_add(struct idset_run *r, uint64_t h)
{
    uint64_t *w = r->bloom + (size_t)(h % r->nwords) * 8, g = mix2(h);
    int k;

    for (k = 0; k < BLOOM_K; k++, g >>= 9)
        w[(g & 511) >> 6] |= (uint64_t)1 << (g & 63);
}

static bool bloom_may_hold(const struct idset_run *r, uint64_t h)
{
    const uint64_t *w = r->bloom + (size_t)(h % r->nwords) * 8;
    uint64_t g = mix2(h);
    int k;

    for (k = 0; k < BLOOM_K; k++, g >>= 9)
        if (!(w[(g & 511) >> 6] & (uint64_t)1 << (g & 63)))
            return false;
    return true;
}

static int write_all(int fd, const char *p, size_t n, uint64_t off)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

static int read_all(int fd, char *p, size_t n, uint64_t off)
{
    while (n) {
        ssize_t r = pread(fd, p, n, (off_t)off);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EIO; /* shorter than written */
            return -1;
        }
        p += r;
        n -= (size_t)r;
        off += (uint64_t)r;
    }
    return 0;
}

/* A new private (0600) temporary file, already unlinked; -1 (errno). */
const char *idset_tmpdir(void)
{
    const char *dir = getenv("TMPDIR");

    return dir && *dir ? dir : "/tmp";
}

static int open_temp(void)
{
    char path[4096];
    int n, fd;

    n = snprintf(path, sizeof(path), "%s/caseaudit-ids-XXXXXX", idset_tmpdir());
    if (n < 0 || (size_t)n >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = mkstemp(path);
    if (fd >= 0)
        unlink(path); /* gone when closed, also after a crash */
    return fd;
}

/* Writing a run: records (hash, where, type, length, id) in hash order,
 * cut into blocks of about SPILL_BLOCK bytes at record boundaries. */
struct run_writer {
    struct idset_run run;
    char *buf;
    size_t blen, bcap;
    uint64_t off;
};

/* 0, or -1 out of memory / -3 I/O with errno set. */
static int rw_begin(struct run_writer *w, uint64_t nids, unsigned level)
{
    memset(w, 0, sizeof(*w));
    w->run.fd = -1;
    w->run.level = level;
    w->run.nwords = (size_t)((nids * BLOOM_BITS + 511) / 512);
    if (!w->run.nwords)
        w->run.nwords = 1;
    w->run.bloom = calloc(w->run.nwords, 64);
    w->bcap = SPILL_BLOCK * 2;
    w->buf = malloc(w->bcap);
    if (!w->run.bloom || !w->buf) {
        errno = ENOMEM;
        return -1;
    }
    w->run.fd = open_temp();
    return w->run.fd < 0 ? -3 : 0;
}

static int rw_flush(struct run_writer *w)
{
    if (!w->blen)
        return 0;
    if (write_all(w->run.fd, w->buf, w->blen, w->off) != 0)
        return -3;
    w->off += w->blen;
    w->blen = 0;
    return 0;
}

static int rw_put(struct run_writer *w, uint64_t h, const unsigned char *where,
                  unsigned type, const char *id, uint32_t len)
{
    struct idset_run *r = &w->run;
    size_t need = REC_HDR + (size_t)len;
    int rc;

    if (w->blen && w->blen + need > SPILL_BLOCK && (rc = rw_flush(w)) != 0)
        return rc;
    if (!w->blen) { /* a block opens */
        if (r->nblocks + 2 > r->balloc) {
            size_t na = r->balloc ? r->balloc * 2 : 64;
            uint64_t *bo = realloc(r->block_off, na * sizeof(*bo)), *bf;

            if (!bo)
                goto nomem;
            r->block_off = bo;
            bf = realloc(r->block_first, na * sizeof(*bf));
            if (!bf)
                goto nomem;
            r->block_first = bf;
            r->balloc = na;
        }
        r->block_off[r->nblocks] = w->off;
        r->block_first[r->nblocks] = h;
        r->nblocks++;
    }
    if (need > w->bcap) {
        char *nb = realloc(w->buf, need);

        if (!nb)
            goto nomem;
        w->buf = nb;
        w->bcap = need;
    }
    memcpy(w->buf + w->blen, &h, 8);
    memcpy(w->buf + w->blen + 8, where, 8);
    w->buf[w->blen + 16] = (char)type;
    memcpy(w->buf + w->blen + 17, &len, 4);
    memcpy(w->buf + w->blen + REC_HDR, id, len);
    w->blen += need;
    r->n++;
    bloom_add(r, h);
    return 0;
nomem:
    errno = ENOMEM;
    return -1;
}

static int rw_end(struct run_writer *w)
{
    int rc = rw_flush(w);

    if (rc == 0 && w->run.block_off)
        w->run.block_off[w->run.nblocks] = w->off;
    free(w->buf);
    w->buf = NULL;
    return rc;
}

/* Reading a run back in order, a block at a time. */
struct run_reader {
    const struct idset_run *run;
    size_t b; /* the next block to read */
    char *buf;
    size_t blen, bcap, p;
};

/* The next record (at rd->buf + rd->p), 1; 0 at the end; -3 (errno). */
static int rr_next(struct run_reader *rd, bool advance)
{
    if (advance) {
        uint32_t len;

        memcpy(&len, rd->buf + rd->p + 17, 4);
        rd->p += REC_HDR + len;
    }
    while (rd->p >= rd->blen) {
        const struct idset_run *r = rd->run;
        size_t len;

        if (rd->b >= r->nblocks)
            return 0;
        len = (size_t)(r->block_off[rd->b + 1] - r->block_off[rd->b]);
        if (len > rd->bcap) {
            char *nb = realloc(rd->buf, len);

            if (!nb) {
                errno = ENOMEM;
                return -1;
            }
            rd->buf = nb;
            rd->bcap = len;
        }
        if (read_all(r->fd, rd->buf, len, r->block_off[rd->b]) != 0)
            return -3;
        rd->b++;
        rd->blen = len;
        rd->p = 0;
    }
    return 1;
}

static uint64_t rec_hash(const char *rec)
{
    uint64_t h;

    memcpy(&h, rec, 8);
    return h;
}

static int rec_put(struct run_writer *w, const char *rec)
{
    uint32_t len;

    memcpy(&len, rec + 17, 4);
    return rw_put(w, rec_hash(rec), (const unsigned char *)rec + 8,
                  (unsigned char)rec[16], rec + REC_HDR, len);
}

/* Merge the last two runs into one of the next level (sequential reads
 * and writes, memory of two blocks and the new filter). */
static int merge_last_two(struct idset *s)
{
    struct idset_run *a = &s->runs[s->nruns - 2], *b = &s->runs[s->nruns - 1];
    struct run_reader ra = {a, 0, NULL, 0, 0, 0}, rb = {b, 0, NULL, 0, 0, 0};
    struct run_writer w;
    int rc, ha, hb;

    rc = rw_begin(&w, a->n + b->n, a->level + 1);
    if (rc)
        goto out;
    ha = rr_next(&ra, false);
    hb = rr_next(&rb, false);
    while (ha == 1 || hb == 1) {
        bool take_a = hb != 1 || (ha == 1 && rec_hash(ra.buf + ra.p) <=
                                                 rec_hash(rb.buf + rb.p));

        if (take_a) {
            if ((rc = rec_put(&w, ra.buf + ra.p)) != 0)
                goto out;
            ha = rr_next(&ra, true);
        } else {
            if ((rc = rec_put(&w, rb.buf + rb.p)) != 0)
                goto out;
            hb = rr_next(&rb, true);
        }
    }
    if (ha < 0 || hb < 0) {
        rc = ha < 0 ? ha : hb;
        goto out;
    }
    if ((rc = rw_end(&w)) != 0)
        goto out;
    run_free(a);
    run_free(b);
    *a = w.run;
    memset(&w.run, 0, sizeof(w.run)); /* moved */
    w.run.fd = -1;
    s->nruns--;
out:
    free(ra.buf);
    free(rb.buf);
    free(w.buf);
    run_free(&w.run);
    return rc;
}

struct spill_item {
    uint64_t h;
    uint32_t ref, len;
};

/* Insertion sort by hash.  The items come in table order, which is the
 * order of their home slots (the top bits of the hash) apart from the
 * few displaced by linear probing, so this is about linear. */
static void sort_items(struct spill_item *v, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++) {
        struct spill_item x = v[i];

        for (j = i; j > 0 && v[j - 1].h > x.h; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Write the in-memory ids as a new run, start afresh, and merge runs of
 * equal level (a binary counter: at most log2(spills) + 1 runs).  0, -1
 * out of memory or -3 for I/O (s->err). */
static int spill(struct idset *s)
{
    struct spill_item *items = NULL;
    struct run_writer w;
    size_t i, e, k, n = 0;
    int rc = -1;

    memset(&w, 0, sizeof(w));
    w.run.fd = -1;
    if (s->nruns == s->runs_alloc) {
        size_t na = s->runs_alloc ? s->runs_alloc * 2 : 8;
        struct idset_run *nr = realloc(s->runs, na * sizeof(*nr));

        if (!nr) {
            errno = ENOMEM;
            goto out;
        }
        s->runs = nr;
        s->runs_alloc = na;
    }
    items = malloc(s->n * sizeof(*items));
    if (!items) {
        errno = ENOMEM;
        goto out;
    }
    /* table order from just after an empty slot, so that no cluster of
     * slots wraps around the end of the table */
    for (e = 0; s->v[e].tag; e++)
        ;
    for (k = 1; k <= s->cap; k++) {
        const struct idset_slot *sl = &s->v[(e + k) & (s->cap - 1)];
        const unsigned char *it;
        size_t len;

        if (!sl->tag)
            continue;
        it = item_at(s, sl->ref);
        len = strlen((const char *)it + HDR);
        items[n].h = hash_id(it[8], (const char *)it + HDR, len);
        items[n].ref = sl->ref;
        items[n].len = (uint32_t)len;
        n++;
    }
    sort_items(items, n);
    if ((rc = rw_begin(&w, n, 0)) != 0)
        goto out;
    for (i = 0; i < n; i++) {
        const unsigned char *it = item_at(s, items[i].ref);

#if defined(__GNUC__)
        if (i + 8 < n) /* ids are read in hash order: all over the arena */
            __builtin_prefetch(item_at(s, items[i + 8].ref));
#endif
        rc = rw_put(&w, items[i].h, it, it[8], (const char *)it + HDR,
                    items[i].len);
        if (rc)
            goto out;
    }
    if ((rc = rw_end(&w)) != 0)
        goto out;
    s->runs[s->nruns++] = w.run;
    memset(&w.run, 0, sizeof(w.run)); /* moved */
    w.run.fd = -1;
    s->spilled += n;
    memset(s->v, 0, s->cap * sizeof(*s->v));
    s->n = 0;
    arena_free(s);
    while (s->nruns >= 2 &&
           s->runs[s->nruns - 2].level == s->runs[s->nruns - 1].level)
        if ((rc = merge_last_two(s)) != 0)
            goto out;
out:
    if (rc)
        s->err = errno;
    free(w.buf);
    run_free(&w.run);
    free(items);
    return rc;
}

/* Look for (h, type, id) in the runs: 0 found (*first set), 1 not found,
 * -1 out of memory or -3 on a read error (s->err). */
static int runs_find(struct idset *s, uint64_t h, unsigned type, const char *id,
                     size_t len, struct idset_first *first)
{
    size_t k;

    for (k = 0; k < s->nruns; k++) {
        const struct idset_run *r = &s->runs[k];
        size_t lo = 0, hi = r->nblocks, b;

        if (!bloom_may_hold(r, h))
            continue;
        /* records with hash h may begin at the end of the block before
         * the first block whose first hash is h or more */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (r->block_first[mid] < h)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (b = lo ? lo - 1 : 0; b < r->nblocks && r->block_first[b] <= h;
             b++) {
            size_t blen = (size_t)(r->block_off[b + 1] - r->block_off[b]);
            size_t p = 0;

            if (blen > s->rbuf_cap) {
                char *nb = realloc(s->rbuf, blen);

                if (!nb) {
                    s->err = ENOMEM;
                    return -1;
                }
                s->rbuf = nb;
                s->rbuf_cap = blen;
            }
            if (read_all(r->fd, s->rbuf, blen, r->block_off[b]) != 0) {
                s->err = errno;
                return -3;
            }
            while (p + REC_HDR <= blen) {
                uint64_t rh = rec_hash(s->rbuf + p), where;
                uint32_t rl;

                memcpy(&rl, s->rbuf + p + 17, 4);
                if (rh > h)
                    break;
                if (rh == h && (unsigned char)s->rbuf[p + 16] == type &&
                    rl == len && memcmp(s->rbuf + p + REC_HDR, id, len) == 0) {
                    if (first) {
                        memcpy(&where, s->rbuf + p + 8, 8);
                        first->source =
                            (uint32_t)(where &
                                       (((uint64_t)1 << SOURCE_BITS) - 1));
                        first->line = where >> SOURCE_BITS;
                    }
                    return 0;
                }
                p += REC_HDR + rl;
            }
        }
    }
    return 1;
}

uint64_t idset_prefetch(const struct idset *s, unsigned type, const char *id,
                        size_t len)
{
    uint64_t h = hash_id(type, id, len);

#if defined(__GNUC__)
    size_t k;

    if (s->cap)
        __builtin_prefetch(&s->v[tag_of(h) >> s->shift]);
    for (k = 0; k < s->nruns; k++) /* the filter words it will test */
        __builtin_prefetch(s->runs[k].bloom +
                           (size_t)(h % s->runs[k].nwords) * 8);
#else
    (void)s;
#endif
    return h;
}

int idset_add(struct idset *s, unsigned type, const char *id, size_t len,
              uint32_t source, uint64_t line, struct idset_first *first)
{
    return idset_add_hashed(s, hash_id(type, id, len), type, id, len, source,
                            line, first);
}

int idset_add_hashed(struct idset *s, uint64_t h, unsigned type, const char *id,
                     size_t len, uint32_t source, uint64_t line,
                     struct idset_first *first)
{
    uint32_t tag = tag_of(h), ref;
    size_t j;
    int rc;

    if (source >> SOURCE_BITS || line >> LINE_BITS)
        return -2;
    if ((s->n + 1) * 4 > s->cap * 3 && (rc = grow(s)) != 0)
        return rc;
    for (j = tag >> s->shift;; j = (j + 1) & (s->cap - 1)) {
        const struct idset_slot *sl = &s->v[j];
        const unsigned char *it;

        if (!sl->tag)
            break;
        if (sl->tag != tag)
            continue;
        it = item_at(s, sl->ref);
        if (it[8] == (unsigned char)type &&
            strncmp((const char *)it + HDR, id, len) == 0 &&
            it[HDR + len] == '\0') {
            if (first) {
                uint64_t where;

                memcpy(&where, it, 8);
                first->source =
                    (uint32_t)(where & (((uint64_t)1 << SOURCE_BITS) - 1));
                first->line = where >> SOURCE_BITS;
            }
            return 0;
        }
    }
    if (s->nruns) {
        rc = runs_find(s, h, type, id, len, first);
        if (rc <= 0)
            return rc; /* found (0) or an error */
    }
    rc = arena_put(s, type, id, len, line << SOURCE_BITS | source, &ref);
    if (rc)
        return rc;
    s->v[j].tag = tag;
    s->v[j].ref = ref;
    s->n++;
    if (memory_used(s) > (s->budget
                              ? s->budget < BUDGET_MIN ? BUDGET_MIN : s->budget
                              : IDSET_BUDGET_DEFAULT))
        return (rc = spill(s)) != 0 ? rc : 1;
    return 1;
}
