/* SPDX-License-Identifier: MIT */
/* Duplicate-id set; see idset.h. */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#endif
#include "ingest/idset.h"

#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define BLOCK (1024 * 1024)
#define HUGE (2 * 1024 * 1024)

void idset_init(struct idset *s)
{
    memset(s, 0, sizeof(*s));
}

void idset_release(struct idset *s)
{
    size_t i;

    for (i = 0; i < s->nblocks; i++)
        free(s->blocks[i]);
    free(s->blocks);
    free(s->v);
    idset_init(s);
}

/* FNV-1a, then a final mix; never 0 (0 marks an empty slot). */
static uint64_t hash_id(unsigned type, const char *id, size_t len)
{
    uint64_t h = 1469598103934665603ULL ^ type;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)id[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

static struct idset_item *arena_item(struct idset *s, const char *id,
                                     size_t len)
{
    struct idset_item *it;
    size_t need = (sizeof(struct idset_item) + len + 1 + 7) & ~(size_t)7;
    char *p;

    if (need > s->cur_left) {
        size_t sz = need > BLOCK ? need : BLOCK;

        if (s->nblocks == s->blocks_alloc) {
            size_t na = s->blocks_alloc ? s->blocks_alloc * 2 : 16;
            char **nb = realloc(s->blocks, na * sizeof(*nb));

            if (!nb)
                return NULL;
            s->blocks = nb;
            s->blocks_alloc = na;
        }
        p = malloc(sz);
        if (!p)
            return NULL;
        s->blocks[s->nblocks++] = p;
        s->cur = p;
        s->cur_left = sz;
    }
    it = (struct idset_item *)(void *)s->cur;
    memcpy(it->id, id, len);
    it->id[len] = '\0';
    s->cur += need;
    s->cur_left -= need;
    return it;
}

static int grow(struct idset *s)
{
    size_t nc = s->cap ? s->cap * 2 : 1024, i, j;
    struct idset_slot *nv = NULL;

    if (nc * sizeof(*nv) >= HUGE) {
        void *p = NULL;

        if (posix_memalign(&p, HUGE, nc * sizeof(*nv)) != 0)
            return -1;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        madvise(p, nc * sizeof(*nv), MADV_HUGEPAGE);
#endif
        nv = p;
        memset(nv, 0, nc * sizeof(*nv));
    } else {
        nv = calloc(nc, sizeof(*nv));
    }
    if (!nv)
        return -1;
    for (i = 0; i < s->cap; i++) {
        if (!s->v[i].hash)
            continue;
        j = s->v[i].hash & (nc - 1);
        while (nv[j].hash)
            j = (j + 1) & (nc - 1);
        nv[j] = s->v[i];
    }
    free(s->v);
    s->v = nv;
    s->cap = nc;
    return 0;
}

uint64_t idset_prefetch(const struct idset *s, unsigned type, const char *id,
                        size_t len)
{
    uint64_t h = hash_id(type, id, len);

#if defined(__GNUC__)
    if (s->cap)
        __builtin_prefetch(&s->v[h & (s->cap - 1)]);
#else
    (void)s;
#endif
    return h;
}

int idset_add(struct idset *s, unsigned type, const char *id, size_t len,
              uint32_t source, unsigned long line,
              const struct idset_item **first)
{
    return idset_add_hashed(s, hash_id(type, id, len), type, id, len, source,
                            line, first);
}

int idset_add_hashed(struct idset *s, uint64_t h, unsigned type, const char *id,
                     size_t len, uint32_t source, unsigned long line,
                     const struct idset_item **first)
{
    size_t j;
    struct idset_slot *sl;

    if ((s->n + 1) * 4 > s->cap * 3 && grow(s))
        return -1;
    for (j = h & (s->cap - 1);; j = (j + 1) & (s->cap - 1)) {
        sl = &s->v[j];
        if (!sl->hash)
            break;
        if (sl->hash == h && sl->item->type == type &&
            strncmp(sl->item->id, id, len) == 0 && sl->item->id[len] == '\0') {
            if (first)
                *first = sl->item;
            return 0;
        }
    }
    sl->item = arena_item(s, id, len);
    if (!sl->item)
        return -1;
    sl->hash = h;
    sl->item->type = type;
    sl->item->source = source;
    sl->item->line = line;
    s->n++;
    return 1;
}
