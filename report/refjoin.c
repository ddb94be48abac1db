/* SPDX-License-Identifier: MIT */
/*
 * The reconciliation's join table; see refjoin.h.  Arena entries are
 *   uint32 force | uint32 len | uint32 present | uint32 refs | len bytes
 * at 4-byte aligned offsets; a position is block << 18 | (offset / 4).
 */
#include "report/refjoin.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE ((size_t)1 << 20)
#define UNIT_SHIFT 2  /* positions count 4-byte units */
#define BLOCK_BITS 18 /* units per block: 2^18 */
#define MAX_BLOCKS ((size_t)1 << 14)
#define ENTRY_HEAD 16

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
    refjoin_init(j);
}

/* FNV-1a over the force and the reference, then a final mix. */
static uint64_t hash_key(uint32_t force, const char *ref, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < 4; i++) {
        h ^= (force >> (8 * i)) & 0xff;
        h *= 1099511628211ULL;
    }
    for (i = 0; i < len; i++) {
        h ^= (unsigned char)ref[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

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

/* Place a position in the table (no check for the key: new keys only). */
static void place(uint64_t *slots, size_t cap, uint64_t h, uint32_t pos)
{
    size_t i = (size_t)h & (cap - 1);

    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = (uint64_t)tag_of(h) << 32 | ((uint64_t)pos + 1);
}

static int grow(struct refjoin *j)
{
    size_t ncap = j->cap ? j->cap * 2 : 1024, i;
    uint64_t *ns = calloc(ncap, sizeof(*ns));

    if (!ns)
        return -1;
    for (i = 0; i < j->cap; i++) {
        uint64_t s = j->slots[i];
        uint32_t pos;
        const unsigned char *e;

        if (!s)
            continue;
        pos = (uint32_t)(s & 0xffffffffu) - 1;
        e = entry_at(j, pos);
        place(ns, ncap,
              hash_key(get32(e), (const char *)e + ENTRY_HEAD, get32(e + 4)),
              pos);
    }
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
            put32(j->blocks[j->nblocks - 1] + j->used + 4, UINT32_MAX);
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
    put32(e + 4, (uint32_t)len);
    put32(e + 8, 0);
    put32(e + 12, 0);
    memcpy(e + ENTRY_HEAD, ref, len);
    j->used += need;
    return pos;
}

/* The entry of the key, added when new; NULL when out of memory. */
static unsigned char *lookup(struct refjoin *j, uint32_t force, const char *ref,
                             size_t len)
{
    uint64_t h;
    uint32_t tag;
    size_t i;
    int64_t pos;

    if (len > REFJOIN_MAX_REF)
        len = REFJOIN_MAX_REF;
    if ((j->count + 1) * 4 > j->cap * 3 && grow(j) != 0)
        return NULL;
    h = hash_key(force, ref, len);
    tag = tag_of(h);
    for (i = (size_t)h & (j->cap - 1); j->slots[i];
         i = (i + 1) & (j->cap - 1)) {
        uint64_t s = j->slots[i];
        unsigned char *e;

        if ((uint32_t)(s >> 32) != tag)
            continue;
        e = entry_at(j, (uint32_t)(s & 0xffffffffu) - 1);
        if (get32(e) == force && get32(e + 4) == len &&
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

int refjoin_present(struct refjoin *j, uint32_t force, const char *ref,
                    size_t len)
{
    unsigned char *e = lookup(j, force, ref, len);

    if (!e)
        return -1;
    put32(e + 8, 1);
    return 0;
}

int refjoin_refer(struct refjoin *j, uint32_t force, const char *ref,
                  size_t len)
{
    unsigned char *e = lookup(j, force, ref, len);
    uint32_t n;

    if (!e)
        return -1;
    n = get32(e + 12);
    if (n == UINT32_MAX)
        return -1;
    put32(e + 12, n + 1);
    return 0;
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
            uint32_t len = get32(e + 4);

            if (len == UINT32_MAX) /* end mark of a block */
                break;
            if (!get32(e + 8) && get32(e + 12))
                fn(ctx, get32(e), get32(e + 12));
            off += (ENTRY_HEAD + len + 3) & ~(size_t)3;
        }
    }
}
