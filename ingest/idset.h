/* SPDX-License-Identifier: MIT */
/*
 * A set of record ids per type, remembering where each was first seen, for
 * the duplicate-id check.  This is the only structure of a streaming pass
 * whose memory grows with the number of rows, so it is kept small: an
 * open-addressing table of 8-byte slots (a 32-bit tag from the id's hash
 * and a 32-bit reference to the id), at most 3/4 full, and the ids with
 * their first source and line packed in 1 MiB arena blocks, so adding an
 * id allocates nothing per id.  For ids of about a dozen characters that
 * is 35 to 45 bytes per id (24 for the id, 11 to 21 for its slot,
 * depending on how full the table is between doublings).
 * Limits: 2^24 sources, 2^40 lines, 32 GiB of ids.  Internal to ingest/.
 */
#ifndef CA_IDSET_H
#define CA_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idset_slot {
    uint32_t tag; /* top 32 bits of the hash, never 0; 0 = empty */
    uint32_t ref; /* the id's offset in the arena, in 8-byte units */
};

struct idset {
    struct idset_slot *v;
    size_t n, cap;  /* cap is a power of two */
    unsigned shift; /* 32 - log2(cap): a tag's home slot is tag >> shift */
    char **blocks;  /* arena blocks of BLOCK bytes (see idset.c) */
    bool *owned;    /* blocks[i] was allocated (not inside a larger one) */
    size_t nblocks, blocks_alloc;
    size_t used; /* bytes used in the last block */
};

/* Where an id was first seen. */
struct idset_first {
    uint32_t source; /* caller's source index */
    uint64_t line;
};

void idset_init(struct idset *s);
void idset_release(struct idset *s);

/*
 * Add (type, id) first seen at (source, line).  Returns 1 when added, 0
 * when already present (*first then says where it was first seen; first
 * may be NULL), -1 when out of memory, -2 when source, line or the arena
 * is past the limits above.
 */
int idset_add(struct idset *s, unsigned type, const char *id, size_t len,
              uint32_t source, uint64_t line, struct idset_first *first);

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
                     size_t len, uint32_t source, uint64_t line,
                     struct idset_first *first);

#endif
