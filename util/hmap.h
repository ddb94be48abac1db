/* SPDX-License-Identifier: MIT */
/*
 * A small open-addressing hash map from byte strings to a 64-bit value:
 * FNV-1a 64-bit hashes, linear probing, a power-of-two table grown by
 * doubling at 3/4 full.  For the modest maps of the library (distinct
 * values of a column, groups of a sample); ingest/idset.c keeps its own
 * table, tuned for hundreds of millions of ids.
 *
 * Ownership: the map owns its table and a NUL-terminated copy of each
 * key; entries (and the key pointers in them) stay valid until the next
 * hmap_put that adds a key, or hmap_release.  Iterate with
 *     for (i = 0; i < m->cap; i++) if (m->v[i].key) ...
 * in an order that depends only on the keys inserted and their order.
 */
#ifndef CA_HMAP_H
#define CA_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_entry {
    char *key; /* NULL: an empty slot */
    size_t klen;
    uint64_t hash;
    uint64_t val; /* the caller's; 0 for a new key */
};

struct hmap {
    struct hmap_entry *v;
    size_t n, cap; /* keys held; slots (0 or a power of two) */
    /* calloc-like allocator for the table and keys (NULL: calloc); tests
     * make it fail */
    void *(*alloc)(size_t n, size_t size);
};

#define HMAP_INIT                                                              \
    {                                                                          \
        NULL, 0, 0, NULL                                                       \
    }

void hmap_init(struct hmap *m);
/* Free the table and the keys; the map is left empty and usable. */
void hmap_release(struct hmap *m);
/* The FNV-1a 64-bit hash of key[0..len), never 0. */
uint64_t hmap_hash(const void *key, size_t len);
/* The entry of key, or NULL. */
struct hmap_entry *hmap_find(const struct hmap *m, const void *key, size_t len);
/*
 * The entry of key in *out, added with val 0 when new.  Returns 1 when
 * added, 0 when it was there, -1 when out of memory (the map unchanged).
 */
int hmap_put(struct hmap *m, const void *key, size_t len,
             struct hmap_entry **out);

#endif
