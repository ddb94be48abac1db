/* SPDX-License-Identifier: MIT */
/*
 * The literal prefilter's scanner: the literals that engine/prefilter.c
 * derives from each pattern, indexed per record type, and the one pass
 * over an entry that finds which patterns' literals it holds.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define BITS_MAX 64 /* prefiltered patterns per record type: word 0 */
#define LEX_BIT0 64 /* the lexicon's regex items: bits 64 + i */
#define PF_WORDS (1 + LX_SET_WORDS) /* words of bits: the rules', the items' */

/* ---- the per-type scanner ---- */

/*
 * One pass over an entry keeps the last four bytes (ASCII lower case) in a
 * 32-bit window.  Literals of 4 bytes or more are found through a bitmap
 * of a hash of their first four bytes, shorter ones (2 or 3 bytes) through
 * a bitmap of their first two; a hit is confirmed against the literals
 * with that prefix (found by a hash of the prefix, skipped when all their
 * bits are set already, then compared byte by byte).  Whether the text is
 * plain ASCII is seen first, eight bytes at a time.
 *
 * A prefilter's bits take as many words as its patterns need (nwords: the
 * rules' word alone, or with one to four words of the lexicon's items).
 * The scan's records of literals and prefixes end in their bits, nwords
 * words, and confirm has a copy for each width, so that the usual
 * prefilter of one or two words reads, tests and sets no more than those:
 * confirm runs at every prefix the text shares with a literal.  (A copy
 * for each kind of literal too: with six arguments, none goes on the
 * stack.)
 */
struct pf_lit {
    uint32_t key; /* first four bytes (long) or first two (short) */
    uint32_t bit; /* of the pattern that gave it */
    char *s;      /* lower case */
};

/* A literal as the scan reads it (in recs, records of rec_size(nwords)
 * bytes, in the order of its sorted lits). */
struct pf_rec {
    uint32_t len;
    const char *s;
    uint64_t bits[]; /* of every pattern that gave it: nwords words */
};

/* The literals of one prefix: recs[k][first, first + n) (in groups,
 * records of group_size(nwords) bytes). */
struct pf_group {
    uint32_t key;
    uint32_t first, n;
    uint64_t bits[]; /* of all its literals: nwords words */
};

static size_t rec_size(size_t nw)
{
    return sizeof(struct pf_rec) + nw * sizeof(uint64_t);
}

static size_t group_size(size_t nw)
{
    return sizeof(struct pf_group) + nw * sizeof(uint64_t);
}

struct prefilter;
typedef void scan_fn(const struct prefilter *pf, const unsigned char *t,
                     size_t len, uint64_t m[PF_WORDS]);

static scan_fn *scan_of_width(size_t nw);

/* long_dir's mark of a hash that more than one prefix has */
#define DIR_SHARED 0xFFFFu

struct prefilter {
    uint64_t short_keys[65536 / 64]; /* 2-byte prefixes of short literals */
    uint64_t long_hash[65536 / 64];  /* hashed 4-byte prefixes of the rest */
    struct pf_lit *lits[2];          /* [0] short, [1] long; sorted by key */
    size_t nlits[2];
    unsigned char *recs[2];   /* a struct pf_rec per literal */
    unsigned char *groups[2]; /* a struct pf_group per prefix */
    uint16_t *slots[2];       /* open addressing by hash4: 1 + group */
    uint32_t slot_mask[2];
    /* 1 + the group of a short prefix (by its two bytes), of a long one
     * (by hash4, or DIR_SHARED: look in slots[1]); 0: none.  Read only
     * where the bitmaps above (in the L1 cache) let a place through. */
    uint16_t *short_dir, *long_dir;
    size_t nwords;             /* words of bits in use: 1 to PF_WORDS */
    scan_fn *scan;             /* the scan of nwords words */
    uint64_t all[PF_WORDS];    /* every bit in use */
    uint64_t always[PF_WORDS]; /* bits that may always match */
};

static unsigned lc_fast(unsigned c)
{
    return c + ((unsigned)(c - 'A' < 26u) << 5);
}

/* lc_fast as a table, for the scan's one look-up per byte */
#define LC(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
#define LC4(c) LC(c), LC((c) + 1), LC((c) + 2), LC((c) + 3)
#define LC16(c) LC4(c), LC4((c) + 4), LC4((c) + 8), LC4((c) + 12)
#define LC64(c) LC16(c), LC16((c) + 16), LC16((c) + 32), LC16((c) + 48)
static const unsigned char lc_tab[256] = {LC64(0), LC64(64), LC64(128),
                                          LC64(192)};

static unsigned hash4(uint32_t w)
{
    return (unsigned)((w * 2654435761u) >> 16);
}

static bool bit_test(const uint64_t *map, unsigned k)
{
    return map[k / 64] >> (k % 64) & 1;
}

static int cmp_lit(const void *a, const void *b)
{
    const struct pf_lit *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(x->s, y->s);
}

#if defined(__GNUC__)
#define PF_INLINE inline __attribute__((always_inline))
#else
#define PF_INLINE inline
#endif

/* Whether bits (nw words) has a bit that m has not.  Written out word by
 * word: nw is a constant where this is inlined, and the words it does not
 * have go with the tests. */
static PF_INLINE bool has_new(const uint64_t *bits, const uint64_t *m,
                              size_t nw)
{
    uint64_t x = bits[0] & ~m[0];

    _Static_assert(PF_WORDS == 5, "has_new: a test for each word");
    if (nw > 1)
        x |= bits[1] & ~m[1];
    if (nw > 2)
        x |= bits[2] & ~m[2];
    if (nw > 3)
        x |= bits[3] & ~m[3];
    if (nw > 4)
        x |= bits[4] & ~m[4];
    return x != 0;
}

/* Whether m (nw words, a part of all) is all. */
static PF_INLINE bool all_found(const uint64_t *all, const uint64_t *m,
                                size_t nw)
{
    uint64_t x = all[0] ^ m[0];

    if (nw > 1)
        x |= all[1] ^ m[1];
    if (nw > 2)
        x |= all[2] ^ m[2];
    if (nw > 3)
        x |= all[3] ^ m[3];
    if (nw > 4)
        x |= all[4] ^ m[4];
    return x == 0;
}

/* m |= bits, nw words. */
static PF_INLINE void add_bits(uint64_t *m, const uint64_t *bits, size_t nw)
{
    m[0] |= bits[0];
    if (nw > 1)
        m[1] |= bits[1];
    if (nw > 2)
        m[2] |= bits[2];
    if (nw > 3)
        m[3] |= bits[3];
    if (nw > 4)
        m[4] |= bits[4];
}

/* The group of kind k at 1 + index d (pf has nw words). */
static PF_INLINE const struct pf_group *group_at(const struct prefilter *pf,
                                                 int k, unsigned d, size_t nw)
{
    return (const void *)(pf->groups[k] + (d - 1) * group_size(nw));
}

/* The group of long prefix key (the text's last four bytes, its hash4 bit
 * set in long_hash), or NULL. */
static PF_INLINE const struct pf_group *long_group(const struct prefilter *pf,
                                                   uint32_t key, size_t nw)
{
    const struct pf_group *g;
    unsigned d = pf->long_dir[hash4(key)];
    uint32_t h, slot;

    if (d != DIR_SHARED) {
        g = d ? group_at(pf, 1, d, nw) : NULL;
        return g && g->key == key ? g : NULL;
    }
    for (h = hash4(key) & pf->slot_mask[1]; (slot = pf->slots[1][h]) != 0;
         h = (h + 1) & pf->slot_mask[1]) {
        g = group_at(pf, 1, slot, nw);
        if (g->key == key)
            return g;
    }
    return NULL;
}

/* Set in m the bits of group g's literals (of kind k) found at t[j..]
 * (text t of len bytes), when some are not set already; pf has nw words.
 * Whether a bit was added. */
static PF_INLINE bool confirm(const struct prefilter *pf, int k,
                              const struct pf_group *g, const unsigned char *t,
                              size_t len, size_t j, uint64_t m[PF_WORDS],
                              size_t nw)
{
    size_t x, q, skip = k ? 4 : 2;
    bool added = false;

    if (!has_new(g->bits, m, nw))
        return false; /* all are found */
    for (x = g->first; x < g->first + g->n; x++) {
        const struct pf_rec *l = (const void *)(pf->recs[k] + x * rec_size(nw));

        if (!has_new(l->bits, m, nw) || l->len > len - j)
            continue;
        for (q = skip;
             q < l->len && lc_fast(t[j + q]) == (unsigned char)l->s[q]; q++)
            ;
        if (q == l->len) {
            add_bits(m, l->bits, nw);
            added = true;
        }
    }
    return added;
}

void prefilter_free(struct prefilter *pf)
{
    size_t i, k;

    if (!pf)
        return;
    for (k = 0; k < 2; k++) {
        for (i = 0; i < pf->nlits[k]; i++)
            free(pf->lits[k][i].s);
        free(pf->lits[k]);
        free(pf->recs[k]);
        free(pf->groups[k]);
        free(pf->slots[k]);
    }
    free(pf->short_dir);
    free(pf->long_dir);
    free(pf);
}

/* Give sp a bit in pf when its pattern has literals. */
/* Give pattern src bit *nbits in pf when it yields literals: true if so. */
static bool add_pattern(struct prefilter *pf, const char *src, unsigned bit)
{
    char **lits;
    size_t n, i, k;

    if (prefilter_literals(src, strlen(src), &lits, &n) != 0)
        return false;
    for (k = 0; k < 2; k++) {
        struct pf_lit *v =
            realloc(pf->lits[k], (pf->nlits[k] + n) * sizeof(*v));

        if (!v) {
            for (i = 0; i < n; i++)
                free(lits[i]);
            free(lits);
            return false;
        }
        pf->lits[k] = v;
    }
    for (i = 0; i < n; i++) {
        const unsigned char *u = (const unsigned char *)lits[i];
        size_t len = strlen(lits[i]);
        struct pf_lit *l;

        k = len >= 4;
        l = &pf->lits[k][pf->nlits[k]++];
        l->s = lits[i];
        l->bit = bit;
        if (k) {
            l->key = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
                     (uint32_t)u[2] << 8 | u[3];
            pf->long_hash[hash4(l->key) / 64] |= (uint64_t)1
                                                 << (hash4(l->key) % 64);
        } else {
            l->key = (uint32_t)u[0] << 8 | u[1];
            pf->short_keys[l->key / 64] |= (uint64_t)1 << (l->key % 64);
        }
    }
    free(lits);
    pf->all[bit / 64] |= (uint64_t)1 << (bit % 64);
    return true;
}

/* The next bit of pf for pattern p when it yields literals, or -1. */
static int pattern_bit(struct prefilter *pf, const struct pattern *p,
                       unsigned *nbits)
{
    if (!p->code || !p->src || *nbits >= BITS_MAX ||
        !add_pattern(pf, p->src, *nbits))
        return -1;
    return (int)(*nbits)++;
}

void prefilter_spec_none(struct entry_spec *sp)
{
    size_t i;

    for (i = 0; i < sp->nalt; i++)
        prefilter_spec_none(&sp->alt[i]);
    sp->pf_bit = sp->pf_exclude_bit = sp->pf_negate_bit = -1;
}

/* Bits for sp's pattern (and its alternatives'), or with vetoes for their
 * exclude and negate patterns. */
static void add_spec(struct prefilter *pf, struct entry_spec *sp,
                     unsigned *nbits, bool vetoes)
{
    size_t i;

    for (i = 0; i < sp->nalt; i++)
        add_spec(pf, &sp->alt[i], nbits, vetoes);
    if (!sp->present)
        return;
    if (!vetoes) {
        sp->pf_bit = pattern_bit(pf, &sp->re, nbits);
    } else {
        sp->pf_exclude_bit = pattern_bit(pf, &sp->exclude, nbits);
        sp->pf_negate_bit = pattern_bit(pf, &sp->negate, nbits);
    }
}

/* Sort the literals of kind k by prefix and index their groups: false
 * when out of memory. */
static bool index_kind(struct prefilter *pf, int k)
{
    struct pf_lit *v = pf->lits[k];
    size_t n = 0, i, ng = 0, w, nw = pf->nwords;
    uint32_t slots = 16, h;
    struct pf_rec *r = NULL;
    struct pf_group *g = NULL;
    uint16_t *d;

    if (pf->nlits[k])
        qsort(v, pf->nlits[k], sizeof(*v), cmp_lit);
    pf->recs[k] = calloc(pf->nlits[k] ? pf->nlits[k] : 1, rec_size(nw));
    if (!pf->recs[k])
        return false;
    /* one literal for all the patterns that gave it */
    for (i = 0; i < pf->nlits[k]; i++) {
        uint32_t bit = v[i].bit;

        if (n > 0 && strcmp(v[n - 1].s, v[i].s) == 0) {
            free(v[i].s);
        } else {
            v[n] = v[i];
            r = (void *)(pf->recs[k] + n * rec_size(nw));
            r->len = (uint32_t)strlen(v[n].s);
            r->s = v[n].s;
            n++;
        }
        r->bits[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
    pf->nlits[k] = n;
    while (slots < 2 * n)
        slots *= 2;
    pf->groups[k] = calloc(n ? n : 1, group_size(nw));
    pf->slots[k] = calloc(slots, sizeof(*pf->slots[k]));
    if (k)
        pf->long_dir = calloc(65536, sizeof(*pf->long_dir));
    else
        pf->short_dir = calloc(65536, sizeof(*pf->short_dir));
    if (!pf->groups[k] || !pf->slots[k] || !(k ? pf->long_dir : pf->short_dir))
        return false;
    pf->slot_mask[k] = slots - 1;
    for (i = 0; i < n; i++) {
        if (i == 0 || v[i].key != v[i - 1].key) {
            g = (void *)(pf->groups[k] + ng * group_size(nw));
            g->key = v[i].key;
            g->first = (uint32_t)i;
            for (h = hash4(g->key) & (slots - 1); pf->slots[k][h];)
                h = (h + 1) & (slots - 1);
            pf->slots[k][h] = (uint16_t)++ng;
            d = k ? &pf->long_dir[hash4(g->key)] : &pf->short_dir[g->key];
            *d = *d ? DIR_SHARED : (uint16_t)ng;
        }
        r = (void *)(pf->recs[k] + i * rec_size(nw));
        g->n++;
        for (w = 0; w < nw; w++)
            g->bits[w] |= r->bits[w];
    }
    return true;
}

/* Make pf ready to scan: false when out of memory (pf must then not be
 * used). */
static bool index_lits(struct prefilter *pf)
{
    size_t w;

    pf->nwords = 1;
    for (w = 1; w < PF_WORDS; w++)
        if (pf->all[w])
            pf->nwords = w + 1;
    pf->scan = scan_of_width(pf->nwords);
    return pf->nlits[0] + pf->nlits[1] < 65535 && index_kind(pf, 0) &&
           index_kind(pf, 1);
}

/* The lexicon's regex items as bits LEX_BIT0 + i of pf; an item that
 * yields no literals (or cannot be added) may always match. */
static void add_lexicon(struct prefilter *pf, const struct lexicon *lx)
{
    size_t i;

    for (i = 0; i < lx->nregexes && i < LX_SET_MAX; i++)
        if (!add_pattern(pf, lx->regexes[i].re.src, LEX_BIT0 + (unsigned)i))
            pf->always[1 + i / 64] |= (uint64_t)1 << (i % 64);
}

/* Whether a rule of sp's (or an alternative's) names a concept. */
static bool spec_has_concepts(const struct entry_spec *sp)
{
    size_t i;

    for (i = 0; i < sp->nalt; i++)
        if (spec_has_concepts(&sp->alt[i]))
            return true;
    return sp->present && sp->nconcepts > 0;
}

/* Whether some rule of type t reads the lexicon's scans. */
static bool type_uses_lexicon(const struct ruleset *rs, size_t t)
{
    size_t k;

    for (k = 0; k < rs->nby_type[t]; k++) {
        const struct rule *ru = rs->rules[rs->by_type[t][k]];

        if (spec_has_concepts(&ru->when) || spec_has_concepts(&ru->when_not) ||
            spec_has_concepts(&ru->entry) || spec_has_concepts(&ru->ifs) ||
            spec_has_concepts(&ru->thens))
            return true;
    }
    return false;
}

struct prefilter *prefilter_new(const char *const *srcs, size_t n,
                                struct lx_set *always)
{
    struct prefilter *pf = calloc(1, sizeof(*pf));
    size_t i;

    memset(always, 0, sizeof(*always));
    if (!pf)
        return NULL;
    /* as the lexicon's items in a record type's prefilter */
    for (i = 0; i < n && i < LX_SET_MAX; i++)
        if (!add_pattern(pf, srcs[i], LEX_BIT0 + (unsigned)i))
            lx_set_add(always, i);
    if (!index_lits(pf)) {
        prefilter_free(pf);
        return NULL;
    }
    return pf;
}

/* No prefilter bits for the specs of record type t's rules. */
static void type_specs_none(struct ruleset *rs, size_t t)
{
    size_t k;

    for (k = 0; k < rs->nby_type[t]; k++) {
        struct rule *ru = rs->rules[rs->by_type[t][k]];

        prefilter_spec_none(&ru->when);
        prefilter_spec_none(&ru->when_not);
        prefilter_spec_none(&ru->entry);
        prefilter_spec_none(&ru->ifs);
        prefilter_spec_none(&ru->thens);
    }
}

void prefilter_build(struct ruleset *rs)
{
    size_t t, k;

    for (t = 0; t < RT__COUNT; t++) {
        struct prefilter *pf = calloc(1, sizeof(*pf));
        unsigned nbits = 0;
        int pass;

        type_specs_none(rs, t);
        /* the patterns first, then their vetoes, while bits last */
        for (pass = 0; pf && pass < 2; pass++) {
            for (k = 0; k < rs->nby_type[t]; k++) {
                struct rule *ru = rs->rules[rs->by_type[t][k]];

                add_spec(pf, &ru->when, &nbits, pass == 1);
                add_spec(pf, &ru->when_not, &nbits, pass == 1);
                add_spec(pf, &ru->entry, &nbits, pass == 1);
                add_spec(pf, &ru->ifs, &nbits, pass == 1);
                add_spec(pf, &ru->thens, &nbits, pass == 1);
            }
        }
        /* the lexicon's regex items, found in the same pass */
        rs->pf_lexicon[t] =
            pf && rs->lex && rs->lex->regex_pf && type_uses_lexicon(rs, t);
        if (rs->pf_lexicon[t])
            add_lexicon(pf, rs->lex);
        if (pf && ((nbits == 0 && !rs->pf_lexicon[t]) || !index_lits(pf))) {
            /* nothing to filter, or no memory to: no prefilter */
            prefilter_free(pf);
            pf = NULL;
            type_specs_none(rs, t);
        }
        rs->pf_lexicon[t] = rs->pf_lexicon[t] && pf;
        rs->pf[t] = pf;
    }
}

/* The bits of plain ASCII text t[0, len) in m (zeroed); pf has nw
 * words. */
static PF_INLINE void scan_words(const struct prefilter *pf,
                                 const unsigned char *t, size_t len,
                                 uint64_t m[PF_WORDS], size_t nw)
{
    const struct pf_group *g;
    uint32_t w = 0;
    size_t i;

    /* the first three bytes: short literals only */
    for (i = 0; i < len && i < 3; i++) {
        w = w << 8 | lc_tab[t[i]];
        if (i >= 1 && bit_test(pf->short_keys, w & 0xFFFF) &&
            confirm(pf, 0, group_at(pf, 0, pf->short_dir[w & 0xFFFF], nw), t,
                    len, i - 1, m, nw) &&
            all_found(pf->all, m, nw))
            return;
    }
    for (; i < len; i++) {
        w = w << 8 | lc_tab[t[i]];
        if (bit_test(pf->short_keys, w & 0xFFFF) &&
            confirm(pf, 0, group_at(pf, 0, pf->short_dir[w & 0xFFFF], nw), t,
                    len, i - 1, m, nw) &&
            all_found(pf->all, m, nw))
            return; /* every pattern may match */
        if (bit_test(pf->long_hash, hash4(w)) &&
            (g = long_group(pf, w, nw)) != NULL &&
            confirm(pf, 1, g, t, len, i - 3, m, nw) &&
            all_found(pf->all, m, nw))
            return;
    }
}

/* scan_words of each width, chosen once for a prefilter (pf->scan) */
#define PF_SCAN(nw)                                                            \
    static void scan##nw(const struct prefilter *pf, const unsigned char *t,   \
                         size_t len, uint64_t m[PF_WORDS])                     \
    {                                                                          \
        scan_words(pf, t, len, m, nw);                                         \
    }
PF_SCAN(1)
PF_SCAN(2)
PF_SCAN(3)
PF_SCAN(4)
PF_SCAN(5)

static scan_fn *const scan_width[PF_WORDS] = {scan1, scan2, scan3, scan4,
                                              scan5};
_Static_assert(PF_WORDS == 5, "a scan for each width");

static scan_fn *scan_of_width(size_t nw)
{
    return scan_width[nw - 1];
}

/* The bits of text[0, len) in out, with pf->always (every bit when the
 * text is not plain ASCII). */
static void scan(const struct prefilter *pf, const char *text, size_t len,
                 uint64_t out[PF_WORDS])
{
    uint64_t m[PF_WORDS] = {0};
    size_t k;

    if (!text_plain_ascii(text, len)) {
        /* not plain ASCII: no filtering */
        for (k = 0; k < PF_WORDS; k++)
            out[k] = ~(uint64_t)0;
        return;
    }
    pf->scan(pf, (const unsigned char *)text, len, m);
    for (k = 0; k < PF_WORDS; k++)
        out[k] = m[k] | pf->always[k];
}

void prefilter_scan_all(const struct prefilter *pf, const char *text,
                        size_t len, uint64_t *rules, struct lx_set *rx)
{
    uint64_t m[PF_WORDS];

    scan(pf, text, len, m);
    *rules = m[0];
    memcpy(rx->w, m + LEX_BIT0 / 64, sizeof(rx->w));
}

uint64_t prefilter_scan(const struct prefilter *pf, const char *text,
                        size_t len)
{
    uint64_t rules;
    struct lx_set rx;

    prefilter_scan_all(pf, text, len, &rules, &rx);
    return rules;
}

void prefilter_scan_set(const struct prefilter *pf, const char *text,
                        size_t len, struct lx_set *out)
{
    uint64_t rules;

    prefilter_scan_all(pf, text, len, &rules, out);
}

/* ---- where matches may start ---- */

/* The strings by first byte: those starting with byte c (either case of a
 * letter) are str[beg[c], beg[c] + cnt[c]).  pair: bit PAIR(a, b) is set
 * when a string may start with bytes a b (in either case; a string of one
 * byte sets every b), so that most places are passed over after one test
 * of a bitmap in the L1 cache; bytes that share their low six bits share
 * a bit, which may only let a place through to the comparison. */
#define PAIR(a, b) (((unsigned)(a)&0x3F) << 6 | ((unsigned)(b)&0x3F))
struct pf_starts {
    uint64_t pair[4096 / 64];
    uint16_t beg[256];
    uint8_t cnt[256];
    size_t n;
    uint8_t *len;
    char **str;
    bool any_after; /* also at 0, and after a byte b with after[b] */
    bool after[256];
    /* there, only where a string of tail starts before a byte b with
     * stop[b] is passed (pf_clause); NULL: wherever */
    struct pf_starts *tail;
    bool stop[256];
    /* with behind (prefilter_behind_starts), only where one of its
     * lookbehinds may hold: at 0 when at0, else after a byte b with
     * last[b] (the last bytes of them all) and there as behind says */
    struct pf_behind *behind;
    bool at0;
    bool last[256];
};

void pf_starts_free(struct pf_starts *ps)
{
    size_t i;

    if (!ps)
        return;
    for (i = 0; i < ps->n; i++)
        free(ps->str[i]);
    free(ps->str);
    free(ps->len);
    pf_starts_free(ps->tail);
    free(ps->behind);
    free(ps);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* pf_starts_new for n >= 0 strings */
static struct pf_starts *starts_make(char *const *lits, size_t n)
{
    struct pf_starts *ps;
    size_t i;

    if (n > 65535)
        return NULL;
    ps = calloc(1, sizeof(*ps));
    if (!ps)
        return NULL;
    ps->str = calloc(n ? n : 1, sizeof(*ps->str));
    ps->len = calloc(n ? n : 1, sizeof(*ps->len));
    if (!ps->str || !ps->len) {
        pf_starts_free(ps);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        size_t l = strlen(lits[i]);

        if (l == 0 || l > 255 || !(ps->str[i] = strdup(lits[i]))) {
            pf_starts_free(ps);
            return NULL;
        }
        ps->n++;
    }
    qsort(ps->str, n, sizeof(*ps->str), cmp_str);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)ps->str[i][0];

        ps->len[i] = (uint8_t)strlen(ps->str[i]);
        if (ps->cnt[c] == 255) {
            pf_starts_free(ps);
            return NULL;
        }
        if (!ps->cnt[c]++)
            ps->beg[c] = (uint16_t)i;
    }
    for (i = 'a'; i <= 'z'; i++) {
        ps->beg[i - 32] = ps->beg[i];
        ps->cnt[i - 32] = ps->cnt[i];
    }
    for (i = 0; i < n; i++) {
        unsigned a = (unsigned char)ps->str[i][0], b, k;

        for (b = 0; b < 64; b++)
            if (ps->len[i] == 1 || (b & 0x1F) == (ps->str[i][1] & 0x1F))
                for (k = 0; k < 2; k++) {
                    unsigned x = PAIR(a ^ (k << 5), b);

                    ps->pair[x / 64] |= (uint64_t)1 << (x % 64);
                }
    }
    return ps;
}

struct pf_starts *pf_starts_new(char *const *lits, size_t n)
{
    return n ? starts_make(lits, n) : NULL;
}

struct pf_starts *pf_starts_new_after(char *const *lits, size_t n,
                                      const struct pf_clause *cl)
{
    struct pf_starts *ps = starts_make(lits, n);

    if (!ps)
        return NULL;
    memcpy(ps->after, cl->after, sizeof(ps->after));
    ps->any_after = true;
    if (cl->ntail) {
        /* without it (no memory), every place after a byte is tried */
        ps->tail = starts_make(cl->tail, cl->ntail);
        memcpy(ps->stop, cl->stop, sizeof(ps->stop));
    }
    return ps;
}

struct pf_starts *pf_starts_new_behind(const struct pf_behind *bh)
{
    struct pf_starts *ps = starts_make(NULL, 0);
    size_t i, b;

    if (!ps)
        return NULL;
    if (!(ps->behind = malloc(sizeof(*ps->behind)))) {
        pf_starts_free(ps);
        return NULL;
    }
    *ps->behind = *bh;
    for (i = 0; i < bh->n; i++) {
        const struct pf_behind_ctx *cx = &bh->ctx[i];

        ps->at0 = ps->at0 || cx->at0;
        for (b = 0; b < 256; b++)
            ps->last[b] = ps->last[b] || cx->set[cx->k - 1][b];
    }
    return ps;
}

/* Whether one of ps->behind's lookbehinds may hold at p (0 < p). */
static bool behind_at(const struct pf_starts *ps, const unsigned char *u,
                      size_t p)
{
    size_t i, j;

    for (i = 0; i < ps->behind->n; i++) {
        const struct pf_behind_ctx *cx = &ps->behind->ctx[i];

        if (cx->k > p)
            continue;
        for (j = 0; j < cx->k && cx->set[j][u[p - cx->k + j]]; j++)
            ;
        if (j == cx->k)
            return true;
    }
    return false;
}

/* pf_starts_next for ps->behind: the places from "from" to len, which a
 * match may start at too. */
static size_t behind_next(const struct pf_starts *ps, const unsigned char *u,
                          size_t len, size_t from)
{
    size_t p = from;

    if (p == 0) {
        if (ps->at0)
            return 0;
        p = 1;
    }
    for (; p <= len; p++)
        if (ps->last[u[p - 1]] && behind_at(ps, u, p))
            return p;
    return PF_NO_START;
}

bool pf_starts_useful(char *const *lits, size_t n)
{
    size_t i;

    for (i = 1; i < n; i++)
        if (lc_fast((unsigned char)lits[i][0]) !=
            lc_fast((unsigned char)lits[0][0]))
            return true;
    return false;
}

/* Whether one of ps's strings starts at u[p] (u of len bytes, p < len):
 * the test of starts_next's loop. */
static bool string_at(const struct pf_starts *ps, const unsigned char *u,
                      size_t len, size_t p)
{
    unsigned c = u[p], k;
    size_t x, q;

    if (p + 1 < len &&
        !(ps->pair[PAIR(c, u[p + 1]) / 64] >> (PAIR(c, u[p + 1]) % 64) & 1))
        return false;
    for (x = ps->beg[c], k = ps->cnt[c]; k; x++, k--) {
        size_t l = ps->len[x];

        if (l > len - p)
            continue;
        for (q = 1; q < l && lc_fast(u[p + q]) == (unsigned char)ps->str[x][q];
             q++)
            ;
        if (q == l)
            return true;
    }
    return false;
}

/* Whether a match may start at p (at 0 or after a byte of ps->after):
 * with ps->tail, when one of its strings starts at p or after, up to the
 * first byte of ps->stop (that byte included). */
static bool clause_at(const struct pf_starts *ps, const unsigned char *u,
                      size_t len, size_t p)
{
    if (!ps->tail)
        return true;
    for (; p < len; p++) {
        if (string_at(ps->tail, u, len, p))
            return true;
        if (ps->stop[u[p]])
            return false;
    }
    return false;
}

/* pf_starts_next, with or without (after) the places after bytes */
static PF_INLINE size_t starts_next(const struct pf_starts *ps,
                                    const unsigned char *u, size_t len,
                                    size_t from, bool after)
{
    size_t p, x, q;

    for (p = from; p < len; p++) {
        unsigned c = u[p], k;

        if (after && (p == 0 || ps->after[u[p - 1]]) &&
            clause_at(ps, u, len, p))
            return p;
        if (p + 1 < len &&
            !(ps->pair[PAIR(c, u[p + 1]) / 64] >> (PAIR(c, u[p + 1]) % 64) & 1))
            continue;
        k = ps->cnt[c];

        for (x = ps->beg[c]; k; x++, k--) {
            const char *s = ps->str[x];
            size_t l = ps->len[x];

            if (l > len - p)
                continue;
            for (q = 1; q < l && lc_fast(u[p + q]) == (unsigned char)s[q]; q++)
                ;
            if (q == l)
                return p;
        }
    }
    if (after && !ps->tail && from <= len &&
        (len == 0 || ps->after[u[len - 1]]))
        return len; /* an empty match at the end */
    return PF_NO_START;
}

size_t pf_starts_next(const struct pf_starts *ps, const char *t, size_t len,
                      size_t from)
{
    const unsigned char *u = (const unsigned char *)t;

    if (ps->behind)
        return behind_next(ps, u, len, from);
    return ps->any_after ? starts_next(ps, u, len, from, true)
                         : starts_next(ps, u, len, from, false);
}
