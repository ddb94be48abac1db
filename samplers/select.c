/* SPDX-License-Identifier: MIT */
/*
 * Selection methods over (force, stratum) groups; see select.h for the
 * definitions.  Groups live in a small open-addressing table keyed by
 * "force\0stratum"; ids for the r and systematic methods go into an arena
 * of large blocks so that a frame of millions costs one pointer and the
 * id's bytes per member.
 */
#include "samplers/select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "samplers/rsample.h"
#include "util/sha256.h"

const char *sample_method_name(enum sample_method m)
{
    switch (m) {
    case SM_R:
        return "r";
    case SM_SYSTEMATIC:
        return "systematic";
    default:
        return "hash";
    }
}

int sample_method_parse(const char *s, enum sample_method *m)
{
    if (!s)
        return -1;
    if (strcmp(s, "hash") == 0)
        *m = SM_HASH;
    else if (strcmp(s, "r") == 0)
        *m = SM_R;
    else if (strcmp(s, "systematic") == 0)
        *m = SM_SYSTEMATIC;
    else
        return -1;
    return 0;
}

/* --- arena of strings ---------------------------------------------------- */

#define ARENA_BLOCK (1u << 20)

struct arena_block {
    struct arena_block *next;
    size_t used, size;
    char data[];
};

struct arena {
    struct arena_block *head;
};

static char *arena_strdup(struct arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    struct arena_block *b = a->head;
    char *p;

    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

        b = malloc(sizeof(*b) + size);
        if (!b)
            return NULL;
        b->used = 0;
        b->size = size;
        b->next = a->head;
        a->head = b;
    }
    p = b->data + b->used;
    memcpy(p, s, n);
    b->used += n;
    return p;
}

static void arena_release(struct arena *a)
{
    struct arena_block *b = a->head, *next;

    for (; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}

/* --- groups -------------------------------------------------------------- */

struct cand { /* a hash candidate */
    unsigned char d[32];
    char *id;  /* owned */
    void *row; /* owned */
    size_t row_len;
};

struct member {        /* an r / systematic frame member */
    const char *id;    /* arena */
    const char *order; /* arena, systematic with ordering */
    uint64_t seq;      /* input order within the group */
};

struct group {
    char *force, *stratum; /* owned */
    uint64_t hash;
    uint64_t N;
    struct cand *heap; /* max-heap on d, size nheap */
    size_t nheap, aheap;
    struct member *mem; /* r / systematic */
    size_t nmem, amem;
};

struct selector {
    struct selector_opts o;
    char *seed;
    EVP_MD_CTX *prefix; /* SHA-256 state after "<seed>:" */
    EVP_MD_CTX *work;
    struct group *groups;
    size_t ngroups, agroups;
    size_t *table; /* group index + 1, 0 = empty */
    size_t table_mask;
    bool sorted;
    struct arena arena;
};

static uint64_t fnv1a(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211ULL;
    return h;
}

enum ca_status selector_new(const struct selector_opts *o,
                            struct selector **out, struct ca_error *err)
{
    struct selector *s;
    int32_t rseed;

    *out = NULL;
    if (o->method == SM_R && r_seed_parse(o->seed, &rseed) != 0)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "the r method needs a whole-number seed from "
                            "-2147483647 to 2147483647 (as set.seed takes), "
                            "not '%s'",
                            o->seed ? o->seed : "");
    s = calloc(1, sizeof(*s));
    if (!s)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    s->o = *o;
    s->seed = strdup(o->seed ? o->seed : "");
    s->table_mask = 63;
    s->table = calloc(s->table_mask + 1, sizeof(*s->table));
    s->prefix = EVP_MD_CTX_new();
    s->work = EVP_MD_CTX_new();
    if (!s->seed || !s->table || !s->prefix || !s->work ||
        EVP_DigestInit_ex(s->prefix, EVP_sha256(), NULL) != 1 ||
        EVP_DigestUpdate(s->prefix, s->seed, strlen(s->seed)) != 1 ||
        EVP_DigestUpdate(s->prefix, ":", 1) != 1) {
        selector_free(s);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    s->o.seed = s->seed;
    *out = s;
    return CA_OK;
}

static void group_release(struct group *g)
{
    size_t i;

    free(g->force);
    free(g->stratum);
    for (i = 0; i < g->nheap; i++) {
        free(g->heap[i].id);
        free(g->heap[i].row);
    }
    free(g->heap);
    free(g->mem);
}

void selector_free(struct selector *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->ngroups; i++)
        group_release(&s->groups[i]);
    free(s->groups);
    free(s->table);
    free(s->seed);
    EVP_MD_CTX_free(s->prefix);
    EVP_MD_CTX_free(s->work);
    arena_release(&s->arena);
    free(s);
}

static int table_grow(struct selector *s)
{
    size_t size = (s->table_mask + 1) * 2, i;
    size_t *t = calloc(size, sizeof(*t));

    if (!t)
        return -1;
    for (i = 0; i < s->ngroups; i++) {
        size_t j = (size_t)s->groups[i].hash & (size - 1);

        while (t[j])
            j = (j + 1) & (size - 1);
        t[j] = i + 1;
    }
    free(s->table);
    s->table = t;
    s->table_mask = size - 1;
    return 0;
}

/* The group of (force, stratum), created when new; NULL on ENOMEM. */
static struct group *group_get(struct selector *s, const char *force,
                               const char *stratum)
{
    uint64_t h = fnv1a(force, stratum);
    size_t j = (size_t)h & s->table_mask;
    struct group *g;

    while (s->table[j]) {
        g = &s->groups[s->table[j] - 1];
        if (g->hash == h && strcmp(g->force, force) == 0 &&
            strcmp(g->stratum, stratum) == 0)
            return g;
        j = (j + 1) & s->table_mask;
    }
    if (s->ngroups == s->agroups) {
        size_t n = s->agroups ? 2 * s->agroups : 8;
        struct group *v = realloc(s->groups, n * sizeof(*v));

        if (!v)
            return NULL;
        s->groups = v;
        s->agroups = n;
    }
    g = &s->groups[s->ngroups];
    memset(g, 0, sizeof(*g));
    g->force = strdup(force);
    g->stratum = strdup(stratum);
    if (!g->force || !g->stratum) {
        free(g->force);
        free(g->stratum);
        return NULL;
    }
    g->hash = h;
    s->table[j] = ++s->ngroups;
    s->sorted = false;
    if (2 * s->ngroups > s->table_mask && table_grow(s) != 0)
        return NULL;
    return g;
}

/* --- hash method --------------------------------------------------------- */

static int cand_cmp(const struct cand *a, const struct cand *b)
{
    int c = memcmp(a->d, b->d, 32);

    /* equal digests would need equal "<seed>:<id>": ids are unique in a
     * frame, but keep the order total anyway */
    return c ? c : strcmp(a->id, b->id);
}

static void heap_sift_up(struct cand *h, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        struct cand t;

        if (cand_cmp(&h[p], &h[i]) >= 0)
            break;
        t = h[p];
        h[p] = h[i];
        h[i] = t;
        i = p;
    }
}

static void heap_sift_down(struct cand *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        struct cand t;

        if (l < n && cand_cmp(&h[l], &h[m]) > 0)
            m = l;
        if (r < n && cand_cmp(&h[r], &h[m]) > 0)
            m = r;
        if (m == i)
            break;
        t = h[m];
        h[m] = h[i];
        h[i] = t;
        i = m;
    }
}

/* SHA-256("<seed>:<id>"), continuing from the state after "<seed>:"
 * (copying a context is about three times cheaper than starting one). */
static void hash_digest(struct selector *s, const char *id, unsigned char d[32])
{
    unsigned int n = 32;

    EVP_MD_CTX_copy_ex(s->work, s->prefix);
    EVP_DigestUpdate(s->work, id, strlen(id));
    EVP_DigestFinal_ex(s->work, d, &n);
}

void sample_hash_key(const char *seed, const char *id, char hex[65])
{
    struct sha256 h;
    unsigned char d[32];

    if (sha256_init(&h) != 0) {
        hex[0] = '\0';
        return;
    }
    sha256_update(&h, seed, strlen(seed));
    sha256_update(&h, ":", 1);
    sha256_update(&h, id, strlen(id));
    sha256_final(&h, d);
    sha256_release(&h);
    sha256_hex(d, hex);
}

static enum ca_status add_hash(struct selector *s, struct group *g,
                               const char *id, selector_row_fn row,
                               void *row_ctx, struct ca_error *err)
{
    struct cand c;
    bool full = s->o.keep && g->nheap >= s->o.keep;

    memset(&c, 0, sizeof(c));
    hash_digest(s, id, c.d);
    c.id = (char *)id;
    if (full && cand_cmp(&c, &g->heap[0]) >= 0)
        return CA_OK; /* not among the keep smallest */
    c.id = strdup(id);
    if (!c.id)
        goto oom;
    if (s->o.keep_rows && row) {
        size_t row_len = 0;
        const void *bytes = row(row_ctx, &row_len);

        c.row = bytes ? malloc(row_len ? row_len : 1) : NULL;
        if (!c.row) {
            free(c.id);
            goto oom;
        }
        memcpy(c.row, bytes, row_len);
        c.row_len = row_len;
    }
    if (full) {
        free(g->heap[0].id);
        free(g->heap[0].row);
        g->heap[0] = c;
        heap_sift_down(g->heap, g->nheap, 0);
        return CA_OK;
    }
    if (g->nheap == g->aheap) {
        size_t n = g->aheap ? 2 * g->aheap : 16;
        struct cand *v;

        if (s->o.keep && n > s->o.keep)
            n = s->o.keep;
        v = realloc(g->heap, n * sizeof(*v));
        if (!v) {
            free(c.id);
            free(c.row);
            goto oom;
        }
        g->heap = v;
        g->aheap = n;
    }
    g->heap[g->nheap] = c;
    heap_sift_up(g->heap, g->nheap);
    g->nheap++;
    return CA_OK;
oom:
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

/* --- adding -------------------------------------------------------------- */

enum ca_status selector_add(struct selector *s, const char *force,
                            const char *stratum, const char *id,
                            const char *order_key, selector_row_fn row,
                            void *row_ctx, struct ca_error *err)
{
    struct group *g = group_get(s, force, stratum);
    struct member *m;

    if (!g)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    g->N++;
    if (s->o.method == SM_HASH)
        return add_hash(s, g, id, row, row_ctx, err);
    if (g->nmem == g->amem) {
        size_t n = g->amem ? 2 * g->amem : 64;
        struct member *v = realloc(g->mem, n * sizeof(*v));

        if (!v)
            goto oom;
        g->mem = v;
        g->amem = n;
    }
    m = &g->mem[g->nmem];
    m->id = arena_strdup(&s->arena, id);
    m->order = NULL;
    if (s->o.ordered)
        m->order = arena_strdup(&s->arena, order_key ? order_key : "");
    m->seq = g->nmem;
    if (!m->id || (s->o.ordered && !m->order))
        goto oom;
    g->nmem++;
    return CA_OK;
oom:
    g->N--;
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

static int group_cmp(const void *pa, const void *pb)
{
    const struct group *a = pa, *b = pb;
    int c = strcmp(a->force, b->force);

    return c ? c : strcmp(a->stratum, b->stratum);
}

static void sort_groups(struct selector *s)
{
    size_t i, j;

    if (s->sorted)
        return;
    if (s->ngroups) /* an empty frame has no group */
        qsort(s->groups, s->ngroups, sizeof(*s->groups), group_cmp);
    memset(s->table, 0, (s->table_mask + 1) * sizeof(*s->table));
    for (i = 0; i < s->ngroups; i++) {
        j = (size_t)s->groups[i].hash & s->table_mask;
        while (s->table[j])
            j = (j + 1) & s->table_mask;
        s->table[j] = i + 1;
    }
    s->sorted = true;
}

size_t selector_ngroups(struct selector *s)
{
    sort_groups(s);
    return s->ngroups;
}

void selector_group(struct selector *s, size_t g, const char **force,
                    const char **stratum, uint64_t *N)
{
    sort_groups(s);
    if (force)
        *force = s->groups[g].force;
    if (stratum)
        *stratum = s->groups[g].stratum;
    if (N)
        *N = s->groups[g].N;
}

/* --- drawing ------------------------------------------------------------- */

uint64_t sample_systematic_u(const char *seed, const char *what,
                             const char *force, const char *stratum)
{
    struct sha256 h;
    unsigned char d[32];
    uint64_t u = 0;
    int i;

    if (sha256_init(&h) != 0)
        return 0;
    sha256_update(&h, seed, strlen(seed));
    sha256_update(&h, ":", 1);
    sha256_update(&h, what, strlen(what));
    sha256_update(&h, ":", 1);
    sha256_update(&h, force, strlen(force));
    sha256_update(&h, ":", 1);
    sha256_update(&h, stratum, strlen(stratum));
    sha256_final(&h, d);
    sha256_release(&h);
    for (i = 0; i < 6; i++) /* 12 hex digits = 48 bits */
        u = (u << 8) | d[i];
    return u;
}

struct out_buf {
    struct sample_item *v;
    size_t n, a;
};

static struct sample_item *out_push(struct out_buf *o, const struct group *g,
                                    const char *id, uint64_t rank, bool spare)
{
    struct sample_item *it;

    if (o->n == o->a) {
        size_t n = o->a ? 2 * o->a : 64;
        struct sample_item *v = realloc(o->v, n * sizeof(*v));

        if (!v)
            return NULL;
        o->v = v;
        o->a = n;
    }
    it = &o->v[o->n];
    memset(it, 0, sizeof(*it));
    it->force = strdup(g->force);
    it->stratum = strdup(g->stratum);
    it->id = strdup(id);
    if (!it->force || !it->stratum || !it->id) {
        free(it->force);
        free(it->stratum);
        free(it->id);
        return NULL;
    }
    it->rank = rank;
    it->spare = spare;
    o->n++;
    return it;
}

static int cand_qcmp(const void *a, const void *b)
{
    return cand_cmp(a, b);
}

static int member_order_cmp(const void *pa, const void *pb)
{
    const struct member *a = pa, *b = pb;
    int c = strcmp(a->order, b->order);

    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static enum ca_status draw_hash(struct selector *s, struct group *g,
                                uint64_t take, uint64_t nsp, struct out_buf *o,
                                struct out_buf *c, struct ca_error *err)
{
    size_t i;

    if (take + nsp > g->nheap)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                            "internal error: %llu keys kept for stratum '%s' "
                            "of force '%s', %llu needed",
                            (unsigned long long)g->nheap, g->stratum, g->force,
                            (unsigned long long)(take + nsp));
    if (g->nheap > 1)
        qsort(g->heap, g->nheap, sizeof(*g->heap), cand_qcmp);
    for (i = 0; s->o.candidates && i < g->nheap; i++) {
        struct sample_item *it = out_push(c, g, g->heap[i].id, i + 1, false);

        if (!it)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        sha256_hex(g->heap[i].d, it->key);
    }
    for (i = 0; i < take + nsp; i++) {
        bool spare = i >= take;
        struct sample_item *it =
            out_push(o, g, g->heap[i].id, spare ? i - take + 1 : i + 1, spare);

        if (!it)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        sha256_hex(g->heap[i].d, it->key);
        it->row = g->heap[i].row;
        it->row_len = g->heap[i].row_len;
        g->heap[i].row = NULL;
    }
    return CA_OK;
}

static enum ca_status push_pos(struct out_buf *o, const struct group *g,
                               uint64_t pos, uint64_t rank, bool spare,
                               struct ca_error *err)
{
    struct sample_item *it = out_push(o, g, g->mem[pos].id, rank, spare);

    if (!it)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    snprintf(it->key, sizeof(it->key), "%llu", (unsigned long long)pos + 1);
    return CA_OK;
}

static enum ca_status draw_r(struct r_rng *rng, struct group *g, uint64_t take,
                             uint64_t nsp, struct out_buf *o,
                             struct ca_error *err)
{
    uint64_t *pos, i;
    enum ca_status st;

    if (take + nsp == 0)
        return CA_OK;
    pos = malloc((take + nsp) * sizeof(*pos));
    if (!pos)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    st = r_sample(rng, g->N, take + nsp, pos, err);
    for (i = 0; st == CA_OK && i < take + nsp; i++) {
        bool spare = i >= take;

        st = push_pos(o, g, pos[i] - 1, spare ? i - take + 1 : i + 1, spare,
                      err);
    }
    free(pos);
    return st;
}

__extension__ typedef unsigned __int128 u128;

/* floor((r + i N) / m) */
static uint64_t sys_pos(uint64_t r, uint64_t i, uint64_t N, uint64_t m)
{
    return (uint64_t)(((u128)r + (u128)i * N) / m);
}

static enum ca_status draw_systematic(struct selector *s, struct group *g,
                                      uint64_t take, uint64_t nsp,
                                      struct out_buf *o, struct ca_error *err)
{
    enum ca_status st = CA_OK;
    unsigned char *chosen = NULL;
    uint64_t *rest = NULL, nrest = 0, r, i;

    if (s->o.ordered && g->nmem > 1)
        qsort(g->mem, g->nmem, sizeof(*g->mem), member_order_cmp);
    if (take > 0) {
        r = sample_systematic_u(s->seed, "start", g->force, g->stratum) % g->N;
        for (i = 0; st == CA_OK && i < take; i++)
            st = push_pos(o, g, sys_pos(r, i, g->N, take), i + 1, false, err);
    }
    if (st != CA_OK || nsp == 0)
        return st;
    chosen = calloc(g->N, 1);
    rest = malloc((g->N - take) * sizeof(*rest));
    if (!chosen || !rest) {
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    if (take > 0) {
        r = sample_systematic_u(s->seed, "start", g->force, g->stratum) % g->N;
        for (i = 0; i < take; i++)
            chosen[sys_pos(r, i, g->N, take)] = 1;
    }
    for (i = 0; i < g->N; i++)
        if (!chosen[i])
            rest[nrest++] = i;
    r = sample_systematic_u(s->seed, "spare", g->force, g->stratum) % nrest;
    for (i = 0; st == CA_OK && i < nsp; i++)
        st = push_pos(o, g, rest[sys_pos(r, i, nrest, nsp)], i + 1, true, err);
out:
    free(chosen);
    free(rest);
    return st;
}

static int build_index(struct selection *sel)
{
    size_t size = 16, i;

    while (size < 2 * sel->nitems + 2)
        size *= 2;
    sel->index = calloc(size, sizeof(*sel->index));
    if (!sel->index)
        return -1;
    sel->index_mask = size - 1;
    for (i = 0; i < sel->nitems; i++) {
        size_t j = (size_t)fnv1a(sel->items[i].id, "") & sel->index_mask;

        while (sel->index[j])
            j = (j + 1) & sel->index_mask;
        sel->index[j] = i + 1;
    }
    return 0;
}

int selection_index(struct selection *sel)
{
    free(sel->index);
    sel->index = NULL;
    return build_index(sel);
}

const struct sample_item *selection_find(const struct selection *sel,
                                         const char *id)
{
    size_t j;

    if (!sel->index)
        return NULL;
    j = (size_t)fnv1a(id, "") & sel->index_mask;
    while (sel->index[j]) {
        const struct sample_item *it = &sel->items[sel->index[j] - 1];

        if (strcmp(it->id, id) == 0)
            return it;
        j = (j + 1) & sel->index_mask;
    }
    return NULL;
}

enum ca_status selector_draw(struct selector *s, const uint64_t *n,
                             uint64_t spares, struct selection *sel,
                             struct ca_error *err)
{
    enum ca_status st = CA_OK;
    struct out_buf o = {NULL, 0, 0}, cb = {NULL, 0, 0};
    struct r_rng rng;
    size_t gi;

    memset(sel, 0, sizeof(*sel));
    sort_groups(s);
    if (s->o.method == SM_R) {
        int32_t seed = 0;

        r_seed_parse(s->seed, &seed);
        r_rng_seed(&rng, seed);
    }
    sel->groups = calloc(s->ngroups ? s->ngroups : 1, sizeof(*sel->groups));
    if (!sel->groups)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    for (gi = 0; gi < s->ngroups && st == CA_OK; gi++) {
        struct group *g = &s->groups[gi];
        struct sample_group *sg = &sel->groups[gi];
        uint64_t take = n[gi] < g->N ? n[gi] : g->N;
        uint64_t nsp = g->N - take < spares ? g->N - take : spares;

        sg->force = strdup(g->force);
        sg->stratum = strdup(g->stratum);
        sel->ngroups++;
        if (!sg->force || !sg->stratum) {
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            break;
        }
        sg->N = g->N;
        sg->n = n[gi];
        sg->taken = take;
        sg->shortfall = n[gi] - take;
        sg->spares = nsp;
        switch (s->o.method) {
        case SM_R:
            st = draw_r(&rng, g, take, nsp, &o, err);
            break;
        case SM_SYSTEMATIC:
            st = draw_systematic(s, g, take, nsp, &o, err);
            break;
        default:
            st = draw_hash(s, g, take, nsp, &o, &cb, err);
            break;
        }
    }
    sel->items = o.v;
    sel->nitems = o.n;
    sel->cands = cb.v;
    sel->ncands = cb.n;
    if (st == CA_OK && build_index(sel) != 0)
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    if (st != CA_OK)
        selection_release(sel);
    return st;
}

void selection_release(struct selection *sel)
{
    size_t i;

    if (!sel)
        return;
    for (i = 0; i < sel->nitems; i++) {
        free(sel->items[i].force);
        free(sel->items[i].stratum);
        free(sel->items[i].id);
        free(sel->items[i].row);
    }
    for (i = 0; i < sel->ncands; i++) {
        free(sel->cands[i].force);
        free(sel->cands[i].stratum);
        free(sel->cands[i].id);
    }
    free(sel->cands);
    for (i = 0; i < sel->ngroups; i++) {
        free(sel->groups[i].force);
        free(sel->groups[i].stratum);
    }
    free(sel->items);
    free(sel->groups);
    free(sel->index);
    memset(sel, 0, sizeof(*sel));
}
