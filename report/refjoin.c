/* SPDX-License-Identifier: MIT */
/*
 * The reconciliation's join table; see refjoin.h.  Arena entries are
 *   uint32 force | uint32 refs | uint16 len | uint16 present | len bytes
 * at 4-byte aligned offsets (len is at most REFJOIN_MAX_REF); a position
 * is block << 18 | (offset / 4).
 */
#include "report/refjoin.h"

#include <stdlib.h>
#include <string.h>

#include "util/bigtable.h"

#define BLOCK_SIZE ((size_t)1 << 20)
#define UNIT_SHIFT 2  /* positions count 4-byte units */
#define BLOCK_BITS 18 /* units per block: 2^18 */
#define MAX_BLOCKS ((size_t)1 << 14)
#define ENTRY_HEAD 12
#define END_MARK 0xffff /* a len no entry has: the rest of a block is empty */

void refjoin_init(struct refjoin *j)
{
    memset(j, 0, sizeof(*j));
}

void refjoin_release(struct refjoin *j)
{
    size_t i;

    for (i = 0; i < j->nblocks; i++)
        free(j->blocks[i]);
    free(j->blocks);
    free(j->slots);
    free(j->queue);
    refjoin_init(j);
}

/* The force, then the reference 8 bytes at a time (multiply and rotate),
 * then a final mix. */
static uint64_t hash_key(uint32_t force, const char *ref, size_t len)
{
    const uint64_t k = 0x9e3779b97f4a7c15ULL;
    uint64_t h = (force + 0x632be59bd9b4e019ULL) * k ^ len, w;

    for (; len >= 8; ref += 8, len -= 8) {
        memcpy(&w, ref, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    if (len) {
        w = 0;
        memcpy(&w, ref, len);
        h = (h ^ w) * k;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* The slot's 32 bits of the hash (its place and its tag). */
static uint32_t tag_of(uint64_t h)
{
    return (uint32_t)(h >> 32);
}

static unsigned char *entry_at(const struct refjoin *j, uint32_t pos)
{
    return j->blocks[pos >> BLOCK_BITS] +
           ((size_t)(pos & ((1u << BLOCK_BITS) - 1)) << UNIT_SHIFT);
}

static uint32_t get32(const unsigned char *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static void put32(unsigned char *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static uint16_t get16(const unsigned char *p)
{
    uint16_t v;

    memcpy(&v, p, 2);
    return v;
}

static void put16(unsigned char *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

/* Place a position in the table (no check for the key: new keys only). */
/* Place a slot (tag and position) in the table, new keys only.  A key's
 * place is found from its tag alone, so a larger table is filled from the
 * slots without reading the keys again. */
static void place(uint64_t *slots, size_t cap, uint64_t slot)
{
    size_t i = (size_t)(slot >> 32) & (cap - 1);

    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = slot;
}

static int grow(struct refjoin *j)
{
    size_t ncap = j->cap ? j->cap * 2 : 1024, i;
    uint64_t *ns;

    if (ncap > ((size_t)1 << 32))
        return -1; /* the place comes from a 32-bit tag */
    if (!(ns = bigtable_alloc(ncap, sizeof(*ns))))
        return -1;
    for (i = 0; i < j->cap; i++)
        if (j->slots[i])
            place(ns, ncap, j->slots[i]);
    free(j->slots);
    j->slots = ns;
    j->cap = ncap;
    return 0;
}

/* A new arena entry for the key; its position, or -1. */
static int64_t add_entry(struct refjoin *j, uint32_t force, const char *ref,
                         size_t len)
{
    size_t need = (ENTRY_HEAD + len + 3) & ~(size_t)3;
    unsigned char *e;
    uint32_t pos;

    if (!j->nblocks || j->used + need > BLOCK_SIZE) {
        if (j->nblocks == MAX_BLOCKS)
            return -1;
        if (j->nblocks && j->used + ENTRY_HEAD <= BLOCK_SIZE) /* end mark */
            put16(j->blocks[j->nblocks - 1] + j->used + 8, END_MARK);
        if (j->nblocks == j->blocks_alloc) {
            size_t na = j->blocks_alloc ? j->blocks_alloc * 2 : 16;
            unsigned char **nb = realloc(j->blocks, na * sizeof(*nb));

            if (!nb)
                return -1;
            j->blocks = nb;
            j->blocks_alloc = na;
        }
        if (!(j->blocks[j->nblocks] = malloc(BLOCK_SIZE)))
            return -1;
        j->nblocks++;
        j->used = 0;
    }
    pos = (uint32_t)((j->nblocks - 1) << BLOCK_BITS | (j->used >> UNIT_SHIFT));
    e = j->blocks[j->nblocks - 1] + j->used;
    put32(e, force);
    put32(e + 4, 0);
    put16(e + 8, (uint16_t)len);
    put16(e + 10, 0);
    memcpy(e + ENTRY_HEAD, ref, len);
    j->used += need;
    return pos;
}

/* The entry of the key, added when new; NULL when out of memory. */
static unsigned char *lookup(struct refjoin *j, uint64_t h, uint32_t force,
                             const char *ref, size_t len)
{
    uint32_t tag;
    size_t i;
    int64_t pos;

    if ((j->count + 1) * 4 > j->cap * 3 && grow(j) != 0)
        return NULL;
    tag = tag_of(h);
    for (i = (size_t)tag & (j->cap - 1); j->slots[i];
         i = (i + 1) & (j->cap - 1)) {
        uint64_t s = j->slots[i];
        unsigned char *e;

        if ((uint32_t)(s >> 32) != tag)
            continue;
        e = entry_at(j, (uint32_t)(s & 0xffffffffu) - 1);
        if (get32(e) == force && get16(e + 8) == len &&
            memcmp(e + ENTRY_HEAD, ref, len) == 0)
            return e;
    }
    pos = add_entry(j, force, ref, len);
    if (pos < 0)
        return NULL;
    j->slots[i] = (uint64_t)tag << 32 | ((uint64_t)pos + 1);
    j->count++;
    return entry_at(j, (uint32_t)pos);
}

/* Apply one queued operation. */
static int apply(struct refjoin *j, const struct refjoin_op *op)
{
    unsigned char *e = lookup(j, op->hash, op->force, op->ref, op->len);
    uint32_t n;

    if (!e)
        return -1;
    if (op->present) {
        put16(e + 10, 1);
        return 0;
    }
    n = get32(e + 4);
    if (n == UINT32_MAX)
        return -1;
    put32(e + 4, n + 1);
    return 0;
}

/* Operations commute (a flag set, a count added), so they are queued: the
 * slot of each is prefetched when it comes in and looked at REFJOIN_QUEUE
 * operations later, by when it is in the cache. */
static int enqueue(struct refjoin *j, bool present, uint32_t force,
                   const char *ref, size_t len)
{
    struct refjoin_op *op;
    int rc = 0;

    if (len > REFJOIN_MAX_REF)
        len = REFJOIN_MAX_REF;
    if (!j->queue && !(j->queue = calloc(REFJOIN_QUEUE, sizeof(*j->queue))))
        return -1;
    op = &j->queue[j->qhead];
    if (j->qn == REFJOIN_QUEUE) { /* the oldest is due */
        rc = apply(j, op);
        j->qn--;
    }
    op->present = present;
    op->force = force;
    op->len = (uint32_t)len;
    memcpy(op->ref, ref, len);
    op->hash = hash_key(force, ref, len);
    if (j->cap)
        __builtin_prefetch(&j->slots[(size_t)tag_of(op->hash) & (j->cap - 1)]);
    j->qhead = (j->qhead + 1) % REFJOIN_QUEUE;
    j->qn++;
    return rc;
}

int refjoin_present(struct refjoin *j, uint32_t force, const char *ref,
                    size_t len)
{
    return enqueue(j, true, force, ref, len);
}

int refjoin_refer(struct refjoin *j, uint32_t force, const char *ref,
                  size_t len)
{
    return enqueue(j, false, force, ref, len);
}

int refjoin_flush(struct refjoin *j)
{
    int rc = 0;

    while (j->qn) {
        size_t i = (j->qhead + REFJOIN_QUEUE - j->qn) % REFJOIN_QUEUE;

        if (apply(j, &j->queue[i]) != 0)
            rc = -1;
        j->qn--;
    }
    return rc;
}

void refjoin_unmatched(const struct refjoin *j,
                       void (*fn)(void *ctx, uint32_t force, uint64_t n),
                       void *ctx)
{
    size_t b, off;

    /* walk the arena in order: every entry once */
    for (b = 0; b < j->nblocks; b++) {
        size_t end = b + 1 == j->nblocks ? j->used : BLOCK_SIZE;

        for (off = 0; off + ENTRY_HEAD <= end;) {
            const unsigned char *e = j->blocks[b] + off;
            uint32_t len = get16(e + 8);

            if (len == END_MARK)
                break;
            if (!get16(e + 10) && get32(e + 4))
                fn(ctx, get32(e), get32(e + 4));
            off += (ENTRY_HEAD + len + 3) & ~(size_t)3;
        }
    }
}
