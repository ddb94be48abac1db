/* SPDX-License-Identifier: MIT */
/*
 * A hash map from byte-string keys to 32-bit values (open addressing,
 * linear probing, FNV-1a), used by report/ for the id sets that grow with
 * the input: records by id, findings by (record, rule), interned names.
 * Keys are copied into the map; values are caller-defined indexes.
 * Memory is O(number of keys); no other limit is imposed here, callers
 * cap what they feed in.
 */
#ifndef CA_IDMAP_H
#define CA_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct idmap_slot {
    char *key; /* owned copy, NULL when the slot is empty */
    size_t len;
    uint64_t hash;
    uint32_t val;
};

struct idmap {
    struct idmap_slot *slots;
    size_t cap; /* power of two, 0 before the first insert */
    size_t count;
};

void idmap_init(struct idmap *m);
void idmap_release(struct idmap *m); /* frees keys; m is left empty */

/*
 * Insert key -> val unless the key is present.  Returns 0 when inserted,
 * 1 when the key was already there (*old, when not NULL, gets its value
 * and the map is unchanged), -1 when out of memory.
 */
int idmap_put(struct idmap *m, const void *key, size_t len, uint32_t val,
              uint32_t *old);
/* Returns 1 and sets *val when present, else 0. */
int idmap_get(const struct idmap *m, const void *key, size_t len,
              uint32_t *val);
/* Convenience forms for NUL-terminated keys. */
int idmap_put_str(struct idmap *m, const char *key, uint32_t val,
                  uint32_t *old);
int idmap_get_str(const struct idmap *m, const char *key, uint32_t *val);

/*
 * A table of distinct strings, each with a dense index in order of first
 * appearance (interning: forces, types, categories, rule ids).
 */
struct strtab {
    char **v; /* owned */
    size_t n, alloc;
    struct idmap ix;
};

void strtab_init(struct strtab *t);
void strtab_release(struct strtab *t);
/* Index of s, adding it when new.  Returns 0 and sets *idx, -1 on ENOMEM. */
int strtab_intern(struct strtab *t, const char *s, uint32_t *idx);
/* Index of s when present: 1 and *idx set, else 0. */
int strtab_find(const struct strtab *t, const char *s, uint32_t *idx);

#endif
