/* SPDX-License-Identifier: MIT */
/*
 * A set of record ids per type, remembering where each was first seen, for
 * the duplicate-id check.  Open addressing over 64-bit hashes; the id
 * strings live in large arena blocks, so adding an id does not allocate
 * per id.  This is the only structure of a streaming pass whose memory
 * grows with the number of rows: a 16-byte slot (at most 75% full) plus
 * 16 bytes and the id in the arena per record.
 * Internal to ingest/.
 */
#ifndef CA_IDSET_H
#define CA_IDSET_H

#include <stddef.h>
#include <stdint.h>

/* Where an id was first seen; lives in the arena, followed by the id. */
struct idset_item {
    uint64_t line;
    uint32_t source; /* caller's source index */
    uint32_t type;
    char id[];
};

struct idset_slot {
    uint64_t hash; /* 0 = empty */
    struct idset_item *item;
};

struct idset {
    struct idset_slot *v;
    size_t n, cap; /* cap is a power of two */
    char **blocks;
    size_t nblocks, blocks_alloc;
    char *cur;
    size_t cur_left;
};

void idset_init(struct idset *s);
void idset_release(struct idset *s);

/*
 * Add (type, id) first seen at (source, line).  Returns 1 when added, 0
 * when already present (*first then describes the first occurrence), -1
 * when out of memory.
 */
int idset_add(struct idset *s, unsigned type, const char *id, size_t len,
              uint32_t source, unsigned long line,
              const struct idset_item **first);

/*
 * The same in two steps, for a caller with other work to do in between:
 * idset_prefetch returns the id's hash and starts loading its slot into
 * the cache (a table of millions of ids is far larger than the cache, so
 * each new id would otherwise wait for memory), and idset_add_hashed adds
 * it.  Same returns as idset_add.
 */
uint64_t idset_prefetch(const struct idset *s, unsigned type, const char *id,
                        size_t len);
int idset_add_hashed(struct idset *s, uint64_t h, unsigned type, const char *id,
                     size_t len, uint32_t source, unsigned long line,
                     const struct idset_item **first);

#endif
