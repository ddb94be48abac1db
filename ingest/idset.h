/* SPDX-License-Identifier: MIT */
/*
 * A set of record ids per type, remembering where each was first seen, for
 * the duplicate-id check.  This is the only structure of a streaming pass
 * whose size grows with the number of rows, so its memory is bounded: ids
 * are kept in memory (an open-addressing table of 8-byte slots, a 32-bit
 * tag from the id's hash and a 32-bit reference to the id, at most 3/4
 * full, and the ids with their first source and line packed in 1 MiB
 * arena blocks: 35 to 45 bytes per id of about a dozen characters) until
 * they pass a memory budget (idset_set_budget).  Then they are written,
 * sorted by hash, as a run to a temporary file (created 0600 in $TMPDIR
 * and unlinked at once), and memory starts afresh; runs of equal size are
 * merged, so there are at most log2(spills) + 1 of them.  Each run keeps
 * in memory only a blocked Bloom filter (12 bits per id) and the first
 * hash of every 4 KiB block, so an id is looked up on disk only when a
 * filter says it may be there (well under 1 % of new ids per run, and
 * every duplicate).  The answers are exactly those of an all-in-memory
 * set.
 * Limits: 2^24 sources, 2^40 lines, 32 GiB of ids in memory.  Internal
 * to ingest/.
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

struct idset_run; /* see idset.c */

struct idset {
    struct idset_slot *v;
    size_t n, cap;  /* cap is a power of two */
    unsigned shift; /* 32 - log2(cap): a tag's home slot is tag >> shift */
    char **blocks;  /* arena blocks of BLOCK bytes (see idset.c) */
    bool *owned;    /* blocks[i] was allocated (not inside a larger one) */
    size_t nblocks, blocks_alloc;
    size_t used;   /* bytes used in the last block */
    size_t budget; /* bytes of table and arena before a spill; 0 = default */
    /* runs spilled to temporary files */
    struct idset_run *runs;
    size_t nruns, runs_alloc;
    char *rbuf; /* a block read back from the file */
    size_t rbuf_cap;
    uint64_t spilled; /* ids in the runs */
    int err;          /* errno of the last I/O failure (return -3) */
};

/* Where an id was first seen. */
struct idset_first {
    uint32_t source; /* caller's source index */
    uint64_t line;
};

void idset_init(struct idset *s);
void idset_release(struct idset *s);

/* Memory (bytes) the in-memory part may reach before it is spilled; at
 * least 64 KiB is used.  0 restores the default (IDSET_BUDGET_DEFAULT).
 * Call before the first add. */
#define IDSET_BUDGET_DEFAULT ((size_t)8 << 20)
void idset_set_budget(struct idset *s, size_t bytes);

/* The directory the temporary files go to: $TMPDIR, else /tmp. */
const char *idset_tmpdir(void);

/*
 * Add (type, id) first seen at (source, line).  Returns 1 when added, 0
 * when already present (*first then says where it was first seen; first
 * may be NULL), -1 when out of memory, -2 when source, line or the arena
 * is past the limits above, -3 when the temporary file could not be
 * created, written or read (s->err holds the errno).
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
