/* SPDX-License-Identifier: MIT */
/*
 * The open-addressing hash map of hmap.h.  A slot is empty when its key is
 * NULL; there is no removal, so probing stops at the first empty slot.
 */
#include "util/hmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HMAP_FIRST 16

void hmap_init(struct hmap *m)
{
    memset(m, 0, sizeof(*m));
}

void hmap_release(struct hmap *m)
{
    size_t i;
    void *(*alloc)(size_t, size_t) = m->alloc;

    for (i = 0; i < m->cap; i++)
        free(m->v[i].key);
    free(m->v);
    hmap_init(m);
    m->alloc = alloc;
}

uint64_t hmap_hash(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

static void *map_alloc(const struct hmap *m, size_t n, size_t size)
{
    return m->alloc ? m->alloc(n, size) : calloc(n, size);
}

/* The slot of key (hash h), or the empty slot where it would go. */
static struct hmap_entry *probe(const struct hmap *m, const void *key,
                                size_t len, uint64_t h)
{
    size_t j, mask = m->cap - 1;

    for (j = (size_t)h & mask; m->v[j].key; j = (j + 1) & mask)
        if (m->v[j].hash == h && m->v[j].klen == len &&
            memcmp(m->v[j].key, key, len) == 0)
            break;
    return &m->v[j];
}

static int grow(struct hmap *m)
{
    size_t nc = m->cap ? m->cap * 2 : HMAP_FIRST, i, j;
    struct hmap_entry *nv;

    if (nc > SIZE_MAX / sizeof(*nv))
        return -1;
    nv = map_alloc(m, nc, sizeof(*nv));
    if (!nv)
        return -1;
    for (i = 0; i < m->cap; i++) {
        if (!m->v[i].key)
            continue;
        for (j = (size_t)m->v[i].hash & (nc - 1); nv[j].key;
             j = (j + 1) & (nc - 1))
            ;
        nv[j] = m->v[i];
    }
    free(m->v);
    m->v = nv;
    m->cap = nc;
    return 0;
}

struct hmap_entry *hmap_find(const struct hmap *m, const void *key, size_t len)
{
    struct hmap_entry *e;

    if (!m->cap)
        return NULL;
    e = probe(m, key, len, hmap_hash(key, len));
    return e->key ? e : NULL;
}

int hmap_put(struct hmap *m, const void *key, size_t len,
             struct hmap_entry **out)
{
    uint64_t h = hmap_hash(key, len);
    struct hmap_entry *e;
    char *k;

    *out = NULL;
    if (m->cap) {
        e = probe(m, key, len, h);
        if (e->key) {
            *out = e;
            return 0;
        }
    }
    if (len == SIZE_MAX)
        return -1;
    k = map_alloc(m, 1, len + 1);
    if (!k)
        return -1;
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0) {
        free(k);
        return -1;
    }
    memcpy(k, key, len);
    k[len] = '\0';
    e = probe(m, key, len, h);
    e->key = k;
    e->klen = len;
    e->hash = h;
    e->val = 0;
    m->n++;
    *out = e;
    return 1;
}
