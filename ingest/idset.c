/* SPDX-License-Identifier: MIT */
/*
 * Duplicate-id set; see idset.h.
 *
 * Slots: linear probing from the home slot given by the top bits of the
 * tag, so doubling the table needs no id, only its tag, and walks both
 * tables in order.  An id is compared only when its 32-bit tag matches.
 * The table's memory is asked to be backed by huge pages where Linux
 * allows: each new id lands on a random slot, and with 4 KiB pages nearly
 * every one would also miss the TLB.
 *
 * Arena: an id is stored as 8 bytes of where (source in the low 24 bits,
 * line in the high 40), one byte of type and the id with its NUL, padded
 * to 8 bytes, at a byte offset that is a multiple of 8 and referred to by
 * offset / 8.  Blocks are BLOCK bytes; an id too long for one block gets a
 * run of consecutive block numbers in one allocation.
 */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#endif
#include "ingest/idset.h"

#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define BLOCK ((size_t)1 << 20)
#define HUGE ((size_t)2 << 20)
#define MAX_BLOCKS (((uint64_t)1 << 35) / BLOCK) /* 32-bit refs of 8 bytes */
#define SOURCE_BITS 24
#define LINE_BITS 40
#define HDR 9 /* where (8) and type (1) */

void idset_init(struct idset *s)
{
    memset(s, 0, sizeof(*s));
}

void idset_release(struct idset *s)
{
    size_t i;

    for (i = 0; i < s->nblocks; i++)
        if (s->owned[i])
            free(s->blocks[i]);
    free(s->blocks);
    free(s->owned);
    free(s->v);
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

static struct idset_slot *table_alloc(size_t n)
{
    size_t bytes = n * sizeof(struct idset_slot);
    void *p = NULL;

    if (bytes < HUGE)
        return calloc(n, sizeof(struct idset_slot));
    if (posix_memalign(&p, HUGE, bytes) != 0)
        return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure is fine */
#endif
    memset(p, 0, bytes);
    return p;
}

static int grow(struct idset *s)
{
    size_t nc = s->cap ? s->cap * 2 : 1024, i, j;
    unsigned shift = s->cap ? s->shift - 1 : 32 - 10;
    struct idset_slot *nv;

    if (shift == 0) /* 2^32 slots: refs could not address the ids */
        return -2;
    nv = table_alloc(nc);
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

uint64_t idset_prefetch(const struct idset *s, unsigned type, const char *id,
                        size_t len)
{
    uint64_t h = hash_id(type, id, len);

#if defined(__GNUC__)
    if (s->cap)
        __builtin_prefetch(&s->v[tag_of(h) >> s->shift]);
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
    rc = arena_put(s, type, id, len, line << SOURCE_BITS | source, &ref);
    if (rc)
        return rc;
    s->v[j].tag = tag;
    s->v[j].ref = ref;
    s->n++;
    return 1;
}
