/* SPDX-License-Identifier: MIT */
/* Hash map and string table; see idmap.h. */
#include "report/idmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t idmap_hash(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    /* final mix so that the low bits depend on every byte */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void idmap_init(struct idmap *m)
{
    memset(m, 0, sizeof(*m));
}

void idmap_release(struct idmap *m)
{
    size_t i;

    for (i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    idmap_init(m);
}

static struct idmap_slot *idmap_find(const struct idmap *m, const void *key,
                                     size_t len, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);

    for (;;) {
        struct idmap_slot *s = &m->slots[i];

        if (!s->key)
            return s;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
        i = (i + 1) & (m->cap - 1);
    }
}

static int idmap_grow(struct idmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64, i;
    struct idmap_slot *old = m->slots, *ns;
    size_t ocap = m->cap;

    if (ncap > SIZE_MAX / sizeof(*ns))
        return -1;
    ns = calloc(ncap, sizeof(*ns));
    if (!ns)
        return -1;
    m->slots = ns;
    m->cap = ncap;
    for (i = 0; i < ocap; i++) {
        if (old[i].key) {
            struct idmap_slot *s =
                idmap_find(m, old[i].key, old[i].len, old[i].hash);
            *s = old[i];
        }
    }
    free(old);
    return 0;
}

int idmap_put(struct idmap *m, const void *key, size_t len, uint32_t val,
              uint32_t *old)
{
    struct idmap_slot *s;
    uint64_t h = idmap_hash(key, len);

    if ((m->count + 1) * 10 > m->cap * 7 && idmap_grow(m) != 0)
        return -1;
    s = idmap_find(m, key, len, h);
    if (s->key) {
        if (old)
            *old = s->val;
        return 1;
    }
    s->key = malloc(len + 1);
    if (!s->key)
        return -1;
    memcpy(s->key, key, len);
    s->key[len] = '\0';
    s->len = len;
    s->hash = h;
    s->val = val;
    m->count++;
    return 0;
}

int idmap_get(const struct idmap *m, const void *key, size_t len, uint32_t *val)
{
    struct idmap_slot *s;

    if (m->cap == 0)
        return 0;
    s = idmap_find(m, key, len, idmap_hash(key, len));
    if (!s->key)
        return 0;
    if (val)
        *val = s->val;
    return 1;
}

int idmap_put_str(struct idmap *m, const char *key, uint32_t val, uint32_t *old)
{
    return idmap_put(m, key, strlen(key), val, old);
}

int idmap_get_str(const struct idmap *m, const char *key, uint32_t *val)
{
    return idmap_get(m, key, strlen(key), val);
}

void strtab_init(struct strtab *t)
{
    memset(t, 0, sizeof(*t));
    idmap_init(&t->ix);
}

void strtab_release(struct strtab *t)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
    idmap_release(&t->ix);
    strtab_init(t);
}

int strtab_intern(struct strtab *t, const char *s, uint32_t *idx)
{
    uint32_t old;
    int r;

    if (idmap_get_str(&t->ix, s, &old)) {
        *idx = old;
        return 0;
    }
    if (t->n >= UINT32_MAX - 1)
        return -1;
    if (t->n == t->alloc) {
        size_t na = t->alloc ? t->alloc * 2 : 16;
        char **nv = realloc(t->v, na * sizeof(*nv));

        if (!nv)
            return -1;
        t->v = nv;
        t->alloc = na;
    }
    t->v[t->n] = strdup(s);
    if (!t->v[t->n])
        return -1;
    r = idmap_put_str(&t->ix, s, (uint32_t)t->n, NULL);
    if (r != 0) {
        free(t->v[t->n]);
        return -1;
    }
    *idx = (uint32_t)t->n++;
    return 0;
}

int strtab_find(const struct strtab *t, const char *s, uint32_t *idx)
{
    return idmap_get_str(&t->ix, s, idx);
}
