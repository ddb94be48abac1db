/* SPDX-License-Identifier: MIT */
/*
 * A join of references within a force, for the reconciliation: keys are
 * (force index, reference); each key is marked present when a record with
 * that id is seen, and counts the references made to it by other records.
 * Present keys and references may come in any order; once everything is
 * read, refjoin_unmatched() gives, per key never marked present, how many
 * references were made to it.
 *
 * Compact: one 8-byte slot per key (open addressing; 32 bits of the hash,
 * which give both the key's place and its tag, and a 32-bit position) in
 * a table kept at most 3/4 full and backed by huge pages where Linux
 * allows, and the key with its count packed in 1 MiB arena blocks (12
 * bytes + the reference, 4-byte aligned): about 35 bytes per key for
 * references of a dozen characters.  Keys are compared in full, so the
 * join is exact.  Operations commute, so each is queued for
 * REFJOIN_QUEUE calls with its slot prefetched (one cache miss per key
 * instead of a stall).  References longer than REFJOIN_MAX_REF bytes are
 * cut to that length (as the reconciliation always did).  Limits: 16 GiB
 * of keys.
 */
#ifndef CA_REFJOIN_H
#define CA_REFJOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REFJOIN_MAX_REF 1096
#define REFJOIN_QUEUE 16

/* An operation not yet applied (see refjoin.c). */
struct refjoin_op {
    uint64_t hash;
    uint32_t force, len;
    bool present;
    char ref[REFJOIN_MAX_REF];
};

struct refjoin {
    uint64_t *slots; /* tag << 32 | (position + 1); 0 = empty */
    size_t cap;      /* power of two, 0 before the first key */
    size_t count;
    unsigned char **blocks;
    size_t nblocks, blocks_alloc;
    size_t used;              /* bytes used in the last block */
    struct refjoin_op *queue; /* REFJOIN_QUEUE, a ring */
    size_t qhead, qn;         /* next free place, operations queued */
};

void refjoin_init(struct refjoin *j);
void refjoin_release(struct refjoin *j); /* j is left empty */

/* Mark (force, ref) present.  0, or -1 when out of memory or past the
 * limit (operations are applied a few calls later: the -1 may be that of
 * an earlier one). */
int refjoin_present(struct refjoin *j, uint32_t force, const char *ref,
                    size_t len);
/* Count one reference to (force, ref).  0, or -1 as above. */
int refjoin_refer(struct refjoin *j, uint32_t force, const char *ref,
                  size_t len);

/* Apply the operations still queued.  0, or -1 as above.  Needed before
 * refjoin_unmatched and before reading count. */
int refjoin_flush(struct refjoin *j);

/* Call fn(ctx, force, n) for every key referenced n > 0 times and never
 * marked present, in no particular order (after refjoin_flush). */
void refjoin_unmatched(const struct refjoin *j,
                       void (*fn)(void *ctx, uint32_t force, uint64_t n),
                       void *ctx);

#endif
