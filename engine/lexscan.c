/* SPDX-License-Identifier: MIT */
/*
 * One pass over a log entry finds every phrase of the lexicon in it
 * (terms, both sides of "things ... done" pairs, triggers, pseudo-triggers,
 * clause-ending words), as fast ConText implementations do: at each word
 * (or mark) the hash of that first word picks the few phrases that can
 * start there, and each is compared in place, case ignored, a space in the
 * phrase matching any run of spaces, line breaks or hyphens, an apostrophe
 * matching ' or ’, and a phrase that starts or ends with a letter or digit
 * starting or ending on a word boundary (the `words:` rules of
 * docs/rule-format.md).  Then:
 *
 *   - a pair term matches where one of its things and one of its done
 *     words are at most `within` words apart, in either order, with no
 *     clause boundary (. ; ! ? , or a line end) between; its anchor is the
 *     done word (or, when the done word is a label's and the thing in
 *     its value, both: see context_blocker_pair);
 *   - a `regex:` item is run (PCRE2) only when the entry holds one of the
 *     literals every match of it contains;
 *   - among the triggers, pseudo-triggers and clause-ending words, the
 *     leftmost wins and, at one place, the longest as written (ConText):
 *     a pseudo-trigger thereby hides the trigger it contains.
 *
 * The result for an entry is kept for the rest of the record, so that an
 * entry is scanned once however many rules and concepts look at it.  The
 * scan allocates only while its buffers grow.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define PAIR_REACH 1024

/* Byte c in lower case when it is a word character (\w of PCRE2 without
 * UCP), else 0: one look-up per byte of a token. */
#define LW_UP(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
#define LW(c)                                                                  \
    (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') ||               \
             ((c) >= '0' && (c) <= '9') || (c) == '_'                          \
         ? LW_UP(c)                                                            \
         : 0)
#define LW4(c) LW(c), LW((c) + 1), LW((c) + 2), LW((c) + 3)
#define LW16(c) LW4(c), LW4((c) + 4), LW4((c) + 8), LW4((c) + 12)
#define LW64(c) LW16(c), LW16((c) + 16), LW16((c) + 32), LW16((c) + 48)
static const unsigned char lw[256] = {LW64(0), LW64(64), LW64(128), LW64(192)};

static bool wc(unsigned char c) /* \w of PCRE2 without UCP */
{
    return lw[c] != 0;
}

static unsigned char lc(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool gap_char(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v' || c == '-';
}

uint32_t lexscan_hash(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= lc((unsigned char)p[i]);
        h *= 16777619u;
    }
    return h;
}

size_t lexscan_token(const char *t, size_t len, size_t i, uint32_t *hash,
                     uint32_t *nlen)
{
    const unsigned char *u = (const unsigned char *)t;
    uint32_t h = 2166136261u;
    size_t e = i;

    if (lw[u[i]]) {
        unsigned char c;

        while (e < len && (c = lw[u[e]]) != 0) {
            h ^= c;
            h *= 16777619u;
            e++;
        }
        *hash = h;
        *nlen = (uint32_t)(e - i);
        return e;
    }
    if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 && u[i + 2] == 0x99) {
        *hash = (h ^ '\'') * 16777619u; /* ’ as ' */
        *nlen = 1;
        return i + 3;
    }
    *hash = (h ^ lc(u[i])) * 16777619u;
    *nlen = 1;
    return i + 1;
}

/* The key of the edge from node `from` by a token (its hash, and its
 * length with LX_GAP_BEFORE when blanks come before it). */
static uint32_t edge_key(uint32_t from, uint32_t hash, uint32_t lengap)
{
    uint32_t x = hash ^ (from * 0x9E3779B1u) ^ (lengap * 0x85EBCA77u);

    return x ^ (x >> 15);
}

/*
 * The trie node reached from `from` by a token, or 0 when none.  From the
 * root, the slot of the token's hash in lx->first; further down, the edge
 * of that key.  Tokens that share a slot or a key share a node: the trie
 * may propose a phrase the text does not hold, never miss one.
 */
static uint32_t child(const struct lexicon *lx, uint32_t from, uint32_t hash,
                      uint32_t lengap)
{
    uint32_t key, k;

    if (!from)
        return lx->first[hash & (LX_FIRST_SLOTS - 1)];
    key = edge_key(from & LX_REF_NODE, hash, lengap);
    if (!(lx->edge_bits[key % LX_EDGE_BITS / 64] >> (key % 64) & 1))
        return 0; /* no edge has this key */
    for (k = key;; k++) {
        const struct lx_edge *ed = &lx->edges[k & lx->edge_mask];

        if (!ed->to || ed->key == key)
            return ed->to;
    }
}

/* Whether a scan reads the byte c of a phrase as the phrase does: a
 * token of the trie must start with one (see lexscan_index). */
static bool keyable(unsigned char c)
{
    return c < 0x80 && !gap_char(c);
}

/* Put edge (key, to) into lx->edges, which has room. */
static void put_edge(struct lexicon *lx, uint32_t key, uint32_t to)
{
    uint32_t k = key;

    while (lx->edges[k & lx->edge_mask].to)
        k++;
    lx->edges[k & lx->edge_mask].key = key;
    lx->edges[k & lx->edge_mask].to = to;
    lx->edge_bits[key % LX_EDGE_BITS / 64] |= (uint64_t)1 << (key % 64);
}

/* The node reached from `from` by a token, added unless there (the
 * tables have room: lexscan_index sizes them). */
static uint32_t add_child(struct lexicon *lx, uint32_t from, uint32_t hash,
                          uint32_t lengap)
{
    uint32_t to = child(lx, from, hash, lengap);

    if (to)
        return to;
    to = (uint32_t)lx->nnodes++;
    memset(&lx->nodes[to], 0, sizeof(*lx->nodes));
    lx->nodes[from].kids = true;
    if (!from)
        lx->first[hash & (LX_FIRST_SLOTS - 1)] = to;
    else
        put_edge(lx, edge_key(from, hash, lengap), to);
    return to;
}

/*
 * Add phrase p's path to the trie: its tokens, each with whether blanks
 * come before it, up to the end or to the first token a scan might read
 * differently from the phrase (starting with a gap byte or a byte that is
 * not ASCII, such as part of a right quote).  Returns the node where the
 * phrase ends.
 */
static uint32_t add_path(struct lexicon *lx, const struct lx_phrase *p)
{
    size_t i = 0;
    uint32_t node = 0, hash, nlen, gap = 0;

    while (i < p->len) {
        if (i > 0 && p->text[i] == ' ') {
            gap = LX_GAP_BEFORE;
            if (++i >= p->len)
                break;
        }
        if (i > 0 && !keyable((unsigned char)p->text[i]))
            break;
        i = lexscan_token(p->text, p->len, i, &hash, &nlen);
        if (!node)
            lx->starts[hash % LX_STARTS_BITS / 64] |= (uint64_t)1
                                                      << (hash % 64);
        node = add_child(lx, node, hash, nlen | gap);
        gap = 0;
    }
    return node;
}

/* Size lx->edges for n edges at most half full, empty. */
static bool edges_alloc(struct lexicon *lx, size_t n)
{
    uint32_t slots = 64;

    while (slots < 2 * n && slots < (1u << 30))
        slots *= 2;
    free(lx->edges);
    lx->edges = calloc(slots, sizeof(*lx->edges));
    lx->edge_mask = lx->edges ? slots - 1 : 0;
    return lx->edges != NULL;
}

/* A reference to node n: its index and whether phrases end there and it
 * has children. */
static uint32_t node_ref(const struct lexicon *lx, uint32_t n)
{
    return n | (lx->nodes[n].nphr ? LX_REF_PHR : 0) |
           (lx->nodes[n].kids ? LX_REF_KIDS : 0);
}

/* List the phrases ending at each node (ends[i]: phrase i's node) in
 * node_phr, highest index first, with their texts copied in that order
 * into ptext; then make first and edges hold references.  false when out
 * of memory. */
static bool list_phrases(struct lexicon *lx, const uint32_t *ends)
{
    size_t i, at = 0, bytes = 0;

    for (i = 0; i < lx->nphrases; i++)
        bytes += lx->phrases[i].len;
    lx->ptext = malloc(bytes + 1);
    if (!lx->ptext)
        return false;
    for (i = 0; i < lx->nnodes; i++) {
        lx->nodes[i].phr = (uint32_t)at;
        at += lx->nodes[i].nphr;
        lx->nodes[i].nphr = 0;
    }
    for (i = lx->nphrases; i-- > 0;) {
        struct lx_node *nd = &lx->nodes[ends[i]];

        lx->node_phr[nd->phr + nd->nphr++].phrase = (uint32_t)i;
    }
    for (i = 0, at = 0; i < lx->nphrases; i++) {
        struct lx_ptext *pt = &lx->node_phr[i];
        const struct lx_phrase *p = &lx->phrases[pt->phrase];

        memcpy(lx->ptext + at, p->text, p->len);
        pt->off = (uint32_t)at;
        pt->len = p->len;
        at += p->len;
    }
    for (i = 0; i < LX_FIRST_SLOTS; i++)
        if (lx->first[i])
            lx->first[i] = node_ref(lx, lx->first[i]);
    for (i = 0; i <= lx->edge_mask; i++)
        if (lx->edges[i].to)
            lx->edges[i].to = node_ref(lx, lx->edges[i].to);
    return true;
}

bool lexscan_index(struct lexicon *lx)
{
    size_t ntok = 1, i, nedges, bytes = 0;
    uint32_t *ends;
    struct lx_edge *built;

    for (i = 0; i < lx->nphrases; i++)
        bytes += lx->phrases[i].len; /* at least the tokens of the phrases */
    ntok += bytes;
    if (ntok > LX_REF_NODE || bytes > UINT32_MAX)
        return false; /* more than references and offsets can say */
    lx->nodes = malloc((ntok + 1) * sizeof(*lx->nodes));
    lx->node_phr = malloc((lx->nphrases + 1) * sizeof(*lx->node_phr));
    lx->starts = calloc(LX_STARTS_BITS / 64, sizeof(*lx->starts));
    lx->first = calloc(LX_FIRST_SLOTS, sizeof(*lx->first));
    lx->edge_bits = calloc(LX_EDGE_BITS / 64, sizeof(*lx->edge_bits));
    lx->phr_kinds = calloc(lx->nphrases + 1, sizeof(*lx->phr_kinds));
    ends = malloc((lx->nphrases + 1) * sizeof(*ends));
    if (!lx->nodes || !lx->node_phr || !lx->starts || !lx->first ||
        !lx->edge_bits || !lx->phr_kinds || !ends || !edges_alloc(lx, ntok)) {
        free(ends);
        return false;
    }
    for (i = 0; i < lx->nphrases; i++) {
        uint32_t k;

        for (k = 0; k < lx->phrases[i].nuse; k++)
            lx->phr_kinds[i] |= (uint16_t)(1u << lx->phrases[i].use[k].kind);
    }
    memset(&lx->nodes[0], 0, sizeof(*lx->nodes));
    lx->nnodes = 1;
    for (i = 0; i < lx->nphrases; i++) {
        ends[i] = add_path(lx, &lx->phrases[i]);
        lx->nodes[ends[i]].nphr++;
    }
    /* the edges again, in a table as small as they allow: a scan looks
     * one up for most words of a log */
    built = lx->edges;
    nedges = lx->edge_mask + 1;
    lx->edges = NULL;
    if (!edges_alloc(lx, lx->nnodes)) {
        free(built);
        free(ends);
        return false;
    }
    for (i = 0; i < nedges; i++)
        if (built[i].to)
            put_edge(lx, built[i].key, built[i].to);
    free(built);
    /* highest index first, the order in which scans report them */
    if (!list_phrases(lx, ends)) {
        free(ends);
        return false;
    }
    free(ends);
    return true;
}

/*
 * Whether the phrase of text ptext[0, plen) matches text t at pos: the end
 * of the match, or 0 (a phrase never matches empty text, so 0 cannot be an
 * end).
 */
static size_t match_at(const char *t, size_t len, size_t pos, const char *ptext,
                       size_t plen)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i = pos, j;

    for (j = 0; j < plen; j++) {
        unsigned char pc = (unsigned char)ptext[j];

        if (pc == ' ') {
            if (i >= len || !gap_char(u[i]))
                return 0;
            while (i < len && gap_char(u[i]))
                i++;
            continue;
        }
        if (i >= len)
            return 0;
        if (pc == '\'') {
            if (u[i] == '\'') {
                i++;
            } else if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
                       u[i + 2] == 0x99) {
                i += 3;
            } else {
                return 0;
            }
            continue;
        }
        if (lc(u[i]) != pc)
            return 0;
        i++;
    }
    if (wc((unsigned char)ptext[plen - 1]) && i < len && wc(u[i]))
        return 0;
    return i;
}

/* v, grown to hold need items of size bytes: v itself, a new block, or
 * NULL when out of memory (v is then unchanged). */
static void *grow(void *v, size_t *alloc, size_t need, size_t size)
{
    size_t na;
    void *nv;

    if (need <= *alloc)
        return v;
    na = *alloc ? *alloc : 64;
    while (na < need)
        na *= 2;
    nv = realloc(v, na * size);
    if (nv)
        *alloc = na;
    return nv;
}

/* Record a phrase found at [s, e). */
static bool found(struct engine_scratch *s, uint32_t phrase, size_t a, size_t b)
{
    void *nv;

    if (!(nv = grow(s->found, &s->found_alloc, (s->nfound + 1) * 3,
                    sizeof(*s->found))))
        return false;
    s->found = nv;
    s->found[s->nfound * 3] = phrase;
    s->found[s->nfound * 3 + 1] = (uint32_t)a;
    s->found[s->nfound * 3 + 2] = (uint32_t)b;
    s->nfound++;
    return true;
}

/* Propose the phrases ending at trie node nd. */
static bool propose(struct engine_scratch *s, const struct lexicon *lx,
                    const struct lx_node *nd, size_t *n)
{
    void *nv;
    uint32_t k;

    if (!(nv = grow(s->maybe, &s->maybe_alloc, *n + nd->nphr,
                    sizeof(*s->maybe))))
        return false;
    s->maybe = nv;
    for (k = 0; k < nd->nphr; k++) /* one or two: no call of memcpy */
        s->maybe[(*n)++] = lx->node_phr[nd->phr + k];
    return true;
}

/*
 * The tokens of t[0, len) into s->toks, each hashed once for every trie
 * walk that reads it: runs of word characters, and any other byte but a
 * gap byte alone (a ’ as one token), as lexscan_token reads them; blanks
 * between tokens give the next its LX_GAP_BEFORE.  How many, or -1 when
 * out of memory.
 */
static long tokenize(struct engine_scratch *s, const char *t, size_t len)
{
    const unsigned char *u = (const unsigned char *)t;
    struct lx_tok *v;
    uint32_t gap = 0, h, nlen;
    size_t q = 0, n = 0;

    if (!(v = grow(s->toks, &s->toks_alloc, len + 1, sizeof(*s->toks))))
        return -1; /* a token has a byte at least */
    s->toks = v;
    while (q < len) {
        unsigned char c = u[q];

        if (lw[c]) {
            size_t a = q;

            h = 2166136261u;
            while (q < len && (c = lw[u[q]]) != 0) {
                h ^= c;
                h *= 16777619u;
                q++;
            }
            v[n].start = (uint32_t)a;
            v[n].end = (uint32_t)q;
            v[n].hash = h;
            v[n++].lengap = (uint32_t)(q - a) | gap;
            gap = 0;
        } else if (gap_char(c)) {
            gap = LX_GAP_BEFORE;
            q++;
        } else {
            v[n].start = (uint32_t)q;
            q = lexscan_token(t, len, q, &h, &nlen);
            v[n].end = (uint32_t)q;
            v[n].hash = h;
            v[n++].lengap = nlen | gap;
            gap = 0;
        }
    }
    return (long)n;
}

/*
 * The phrases that may start at token k of tokens tk[0, n): those at the
 * nodes of the trie along the text's tokens, into s->maybe, highest index
 * first.  Returns how many, or -1 when out of memory.
 */
static long maybe_at(struct engine_scratch *s, const struct lexicon *lx,
                     const struct lx_tok *tk, size_t k, size_t n)
{
    uint32_t ref = child(lx, 0, tk[k].hash, tk[k].lengap);
    size_t np = 0, i;

    while (ref) {
        if ((ref & LX_REF_PHR) &&
            !propose(s, lx, &lx->nodes[ref & LX_REF_NODE], &np))
            return -1;
        if (!(ref & LX_REF_KIDS) || ++k >= n)
            break;
        ref = child(lx, ref, tk[k].hash, tk[k].lengap);
    }
    /* the nodes' lists are each in order; put them together in order */
    for (i = 1; i < np; i++) {
        struct lx_ptext x = s->maybe[i];
        size_t j = i;

        while (j > 0 && s->maybe[j - 1].phrase < x.phrase) {
            s->maybe[j] = s->maybe[j - 1];
            j--;
        }
        s->maybe[j] = x;
    }
    return (long)np;
}

/*
 * Every phrase of the lexicon in t, into s->found: by place, and at one
 * place by phrase, highest index first.  The trie proposes the phrases
 * whose tokens the text holds there, and match_at decides.  A phrase
 * starts at a token whose first byte is ASCII (a ’ starts none: phrases
 * hold ' instead).
 */
static bool find_phrases(struct engine_scratch *s, const struct lexicon *lx,
                         const char *t, size_t len)
{
    const unsigned char *u = (const unsigned char *)t;
    long ntok;
    size_t k;

    s->nfound = 0;
    if (!lx->edge_mask)
        return true;
    if ((ntok = tokenize(s, t, len)) < 0)
        return false;
    for (k = 0; k < (size_t)ntok; k++) {
        const struct lx_tok *tk = &s->toks[k];
        uint32_t h = tk->hash;
        long n, j;

        if (u[tk->start] >= 0x80 ||
            !(lx->starts[h % LX_STARTS_BITS / 64] >> (h % 64) & 1))
            continue;
        if ((n = maybe_at(s, lx, s->toks, k, (size_t)ntok)) < 0)
            return false;
        for (j = 0; j < n; j++) {
            const struct lx_ptext *x = &s->maybe[j];
            size_t e = match_at(t, len, tk->start, lx->ptext + x->off, x->len);

            if (e && !found(s, x->phrase, tk->start, e))
                return false;
        }
    }
    return true;
}

bool lexscan_phrases(struct engine_scratch *s, const struct lexicon *lx,
                     const char *t, size_t len, const uint32_t **out, size_t *n)
{
    if (!find_phrases(s, lx, t, len))
        return false;
    *out = s->found;
    *n = s->nfound;
    return true;
}

static bool is_break(unsigned char c)
{
    return c == '.' || c == ';' || c == '!' || c == '?' || c == ',' ||
           c == '\n';
}

static bool word_part(unsigned char c)
{
    return wc(c) || c == '\'' || c == '/' || c == '&' || c >= 0x80;
}

/* Whether the text between a and b (a < b) joins two sides of a pair: at
 * least one separator, no clause boundary, at most max words.  A full stop
 * inside a word ("s.37(2)", "no.9") ends nothing, as in the scopes. */
static bool pair_gap(const char *t, size_t a, size_t b, int max)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i;
    int words = 0;
    bool in = false;

    if (b <= a)
        return false;
    for (i = a; i < b; i++) {
        if (is_break(u[i]) && !(u[i] == '.' && i > a && wc(u[i - 1]) &&
                                i + 1 < b && wc(u[i + 1])))
            return false;
        if (word_part(u[i])) {
            if (!in && ++words > max)
                return false;
            in = true;
        } else {
            in = false;
        }
    }
    return !word_part(u[a]) && !word_part(u[b - 1]);
}

static bool push_hit(struct engine_scratch *s, size_t a, size_t b, size_t as,
                     size_t ae, const struct lx_set *concepts, uint32_t group)
{
    struct lx_hit *h;
    void *nv;

    if (!(nv = grow(s->hits, &s->hits_alloc, s->nhits + 1, sizeof(*s->hits))))
        return false;
    s->hits = nv;
    h = &s->hits[s->nhits++];
    h->s = (uint32_t)a;
    h->e = (uint32_t)b;
    h->as = (uint32_t)as;
    h->ae = (uint32_t)ae;
    h->group = group;
    h->concepts = concepts;
    return true;
}

static bool hspace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* The start of the courtesy word ending at p, or p. */
static size_t courtesy_before(const struct engine_scratch *s, size_t p)
{
    size_t k;

    for (k = 0; k < s->ncourt; k++)
        if (s->court[k * 2 + 1] == p)
            return s->court[k * 2];
    return p;
}

/*
 * Whether a word at a opens a sentence, a line or a list item: before it,
 * past blanks, an optional courtesy word ("please", "pls:"), stands the
 * start of the text, a line end, a sentence end or colon, a bullet ("- ",
 * "* ", "> ", "• ") that starts its line, or a list number ("2." "3)")
 * that itself starts a line or follows one of those.
 */
static bool bullet_starts_line(const char *t, size_t k)
{
    while (k > 0 && hspace((unsigned char)t[k - 1]))
        k--;
    return k == 0 || t[k - 1] == '\n';
}

static bool opens(const struct engine_scratch *s, const char *t, size_t a)
{
    size_t p = a, q, k;

    while (p > 0 && hspace((unsigned char)t[p - 1]))
        p--;
    q = p;
    if (q > 0 && t[q - 1] == ':') {
        q--;
        while (q > 0 && hspace((unsigned char)t[q - 1]))
            q--;
    }
    if (courtesy_before(s, q) != q)
        p = courtesy_before(s, q);
    while (p > 0 && hspace((unsigned char)t[p - 1]))
        p--;
    if (p == 0)
        return true;
    if ((k = bullet_before(t, p)) != 0)
        /* a bullet, followed by a blank */
        return p < a && bullet_starts_line(t, p - k);
    switch (t[p - 1]) {
    case '\n':
    case ';':
    case '!':
    case '?':
    case ':':
        return true;
    case '.':
        if (p >= 2 && t[p - 2] >= '0' && t[p - 2] <= '9')
            break; /* a list number, below */
        return true;
    case ')':
        break;
    default:
        return false;
    }
    /* a list number: digits, then '.' or ')' */
    k = p - 1;
    if (k == 0 || t[k - 1] < '0' || t[k - 1] > '9')
        return false;
    while (k > 0 && t[k - 1] >= '0' && t[k - 1] <= '9')
        k--;
    while (k > 0 && hspace((unsigned char)t[k - 1]))
        k--;
    return k == 0 || strchr("\n.;!?:)", t[k - 1]) != NULL;
}

/* Hits in start order, then end, then group (phrases and pairs first,
 * then regex items in their order); hits of one group that tie keep the
 * order in which they were found. */
static int cmp_hit(const void *a, const void *b)
{
    const struct lx_hit *x = a, *y = b;

    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->e != y->e)
        return x->e < y->e ? -1 : 1;
    return x->group < y->group ? -1 : x->group > y->group;
}

static int cmp_wcand(const void *a, const void *b)
{
    const struct lx_wcand *x = a, *y = b;

    if (x->ev.s != y->ev.s)
        return x->ev.s < y->ev.s ? -1 : 1;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return x->ev.e > y->ev.e ? -1 : x->ev.e < y->ev.e;
}

/*
 * Sort n items of size bytes at base by cmp, keeping items that compare
 * equal in their order (a merge sort; tmp holds n items).  Which of two
 * triggers found at the same place wins, and which of two terms counts,
 * must not depend on the C library's qsort.
 */
static void stable_sort(void *base, size_t n, size_t size,
                        int (*cmp)(const void *, const void *), void *tmp)
{
    unsigned char *a = base, *b = tmp;
    size_t width, i;

    for (i = 1; i < n; i++) { /* runs of 8 by insertion */
        size_t j = i;

        if (i % 8 == 0)
            continue;
        while (j % 8 && cmp(a + (j - 1) * size, a + j * size) > 0) {
            memcpy(b, a + j * size, size);
            memcpy(a + j * size, a + (j - 1) * size, size);
            memcpy(a + (j - 1) * size, b, size);
            j--;
        }
    }
    for (width = 8; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            size_t lo = i, mid = i + width < n ? i + width : n,
                   hi = i + 2 * width < n ? i + 2 * width : n, x = lo, y = mid,
                   o = lo;

            while (x < mid && y < hi)
                if (cmp(a + y * size, a + x * size) < 0)
                    memcpy(b + o++ * size, a + y++ * size, size);
                else
                    memcpy(b + o++ * size, a + x++ * size, size);
            memcpy(b + o * size, a + x * size, (mid - x) * size);
            o += mid - x;
            memcpy(b + o * size, a + y * size, (hi - y) * size);
        }
        memcpy(a, b, n * size);
    }
}

/* Sort n items of size bytes at base by cmp with stable_sort, the
 * scratch's sort space grown to hold them: false when out of memory. */
static bool sort_items(struct engine_scratch *s, void *base, size_t n,
                       size_t size, int (*cmp)(const void *, const void *))
{
    void *nv;

    if (n < 2)
        return true;
    if (!(nv = grow(s->sort_tmp, &s->sort_tmp_alloc, n * size, 1)))
        return false;
    s->sort_tmp = nv;
    stable_sort(base, n, size, cmp, s->sort_tmp);
    return true;
}

/* Whether entry sc's text t[0, len) is plain ASCII, worked out once. */
static bool entry_ascii(struct lx_scan *sc, const char *t, size_t len)
{
    if (!sc->ascii)
        sc->ascii = text_plain_ascii(t, len) ? 1 : -1;
    return sc->ascii > 0;
}

/* Keep the match of regex item x in s->md_terms: a term's as a hit, a
 * trigger's as a candidate event (at cand[*nw]).  0, or
 * PCRE2_ERROR_NOMEMORY. */
static int take_match(struct engine_scratch *s, const struct lx_regex *r,
                      size_t x, int rc, size_t *nw)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_terms);
    size_t as = ov[0], ae = ov[1];
    uint32_t g;
    void *nv;

    for (g = 1; g < (uint32_t)rc && g <= r->anchors; g++)
        if (ov[2 * g] != PCRE2_UNSET) {
            as = ov[2 * g];
            ae = ov[2 * g + 1];
            break;
        }
    if (ov[1] <= ov[0])
        return 0;
    if (r->use.kind == LXK_TERM)
        return push_hit(s, ov[0], ov[1], as, ae, &r->concepts, (uint32_t)x + 1)
                   ? 0
                   : PCRE2_ERROR_NOMEMORY;
    if (!(nv = grow(s->cand, &s->cand_alloc, *nw + 1, sizeof(*s->cand))))
        return PCRE2_ERROR_NOMEMORY;
    s->cand = nv;
    s->cand[*nw].ev.s = (uint32_t)ov[0];
    s->cand[*nw].ev.e = (uint32_t)ov[1];
    s->cand[*nw].ev.kind = r->use.kind;
    s->cand[*nw].ev.idx = r->use.idx;
    s->cand[*nw].weight = r->use.weight;
    (*nw)++;
    return 0;
}

/* One search for item r from start: PCRE2's answer, the match in
 * s->md_terms.  With an offset limit in mctx, a match at start only. */
static int search(struct engine_scratch *s, const struct lx_regex *r,
                  const char *t, size_t len, size_t start,
                  pcre2_match_context *mctx)
{
    return engine_match_valid(r->re.code, t, len, start, s->md_terms, mctx);
}

/*
 * Run regex item x over entry sc (text t) from 0: a term's matches become
 * hits, a trigger's candidate events (at cand[*nw...]).  Every match,
 * overlapping ones too: the next search starts one character after a
 * match's start.  An item whose matches start with known strings is tried,
 * on plain ASCII text, only where those are, each time anchored there by
 * an offset limit: the same matches (pf_starts_next).  0, or a PCRE2 error
 * code.
 */
static int run_regex(struct engine_scratch *s, const struct lexicon *lx,
                     size_t x, struct lx_scan *sc, const char *t, size_t len,
                     size_t *nw)
{
    const struct lx_regex *r = &lx->regexes[x];
    size_t start = 0;
    int rc;

    if (!s->md_terms || s->md_terms_pairs < r->anchors + 1) {
        pcre2_match_data_free(s->md_terms);
        s->md_terms = pcre2_match_data_create(r->anchors + 8, NULL);
        s->md_terms_pairs = s->md_terms ? r->anchors + 8 : 0;
        if (!s->md_terms)
            return PCRE2_ERROR_NOMEMORY;
    }
    if (r->starts && !s->lim.no_starts && entry_ascii(sc, t, len)) {
        while ((start = pf_starts_next(r->starts, t, len, start)) !=
               PF_NO_START) {
            pcre2_set_offset_limit(s->mctx_upto, start);
            rc = search(s, r, t, len, start, s->mctx_upto);
            if (rc >= 0)
                rc = take_match(s, r, x, rc, nw);
            else if (rc == PCRE2_ERROR_NOMATCH)
                rc = 0;
            if (rc < 0)
                return rc;
            start++; /* plain ASCII: a character is a byte */
        }
        return 0;
    }
    while (start <= len) {
        rc = search(s, r, t, len, start, s->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc < 0 || (rc = take_match(s, r, x, rc, nw)) < 0)
            return rc;
        start = pcre2_get_ovector_pointer(s->md_terms)[0] + 1;
        while (start < len && ((unsigned char)t[start] & 0xC0) == 0x80)
            start++;
    }
    return 0;
}

/* Keep a trigger, pseudo-trigger or clause-ending word found as a phrase
 * at [a, b) among entry's candidate events. */
static bool push_pcand(struct engine_scratch *s, const struct lx_use *u,
                       size_t a, size_t b)
{
    struct lx_wcand *c;
    void *nv;

    if (!(nv = grow(s->pcand, &s->pcand_alloc, s->npcand + 1,
                    sizeof(*s->pcand))))
        return false;
    s->pcand = nv;
    c = &s->pcand[s->npcand++];
    c->ev.s = (uint32_t)a;
    c->ev.e = (uint32_t)b;
    c->ev.kind = u->kind;
    c->ev.idx = u->idx;
    c->weight = u->weight;
    return true;
}

/* The bit of kind k in lexicon.phr_kinds; the kinds a scan's hits and
 * triggers come from. */
#define KB(k) (1u << (k))
#define SCAN_KINDS                                                             \
    (KB(LXK_TERM) | KB(LXK_OPENING) | KB(LXK_BEFORE) | KB(LXK_AFTER) |         \
     KB(LXK_BOTH) | KB(LXK_PSEUDO) | KB(LXK_BREAK) | KB(LXK_JOIN))

/* Whether a term matched at [a, b) lies within one of the entry's
 * pseudo-terms (sc): then it is no term. */
static bool pseudo_term(const struct engine_scratch *s,
                        const struct lx_scan *sc, size_t a, size_t b)
{
    size_t k;

    for (k = sc->pt_at; k < sc->pt_at + sc->npt; k++)
        if (s->pterms[2 * k] <= a && b <= s->pterms[2 * k + 1])
            return true;
    return false;
}

/*
 * The phrases of an entry: its phrase and pair terms as hits (sorted),
 * but not those within a pseudo-term, its phrase triggers kept for its
 * events.  0, or PCRE2_ERROR_NOMEMORY.
 */
static int scan_phrases(struct engine_scratch *s, const struct lexicon *lx,
                        const char *t, size_t len, struct lx_scan *sc)
{
    size_t i, k, first_hit = s->nhits, first_pc = s->npcand;
    void *nv;

    s->ndones = 0;
    if (!find_phrases(s, lx, t, len))
        return PCRE2_ERROR_NOMEMORY;
    /* pseudo-terms first, since they hide the terms within them */
    sc->pt_at = s->npterms;
    sc->npt = 0;
    for (i = 0; lx->has_pseudo_terms && i < s->nfound; i++) {
        if (!(lx->phr_kinds[s->found[i * 3]] & KB(LXK_PSEUDO_TERM)))
            continue;
        if (!(nv = grow(s->pterms, &s->pterms_alloc, (s->npterms + 1) * 2,
                        sizeof(*s->pterms))))
            return PCRE2_ERROR_NOMEMORY;
        s->pterms = nv;
        s->pterms[s->npterms * 2] = s->found[i * 3 + 1];
        s->pterms[s->npterms * 2 + 1] = s->found[i * 3 + 2];
        s->npterms++;
        sc->npt++;
    }
    /* terms and triggers found as phrases */
    s->ncourt = 0;
    for (i = 0; i < s->nfound; i++) {
        const struct lx_phrase *p = &lx->phrases[s->found[i * 3]];

        if (!(lx->phr_kinds[s->found[i * 3]] & KB(LXK_COURTESY)))
            continue;
        for (k = 0; k < p->nuse; k++)
            if (p->use[k].kind == LXK_COURTESY) {
                if (!(nv = grow(s->court, &s->court_alloc, (s->ncourt + 1) * 2,
                                sizeof(*s->court))))
                    return PCRE2_ERROR_NOMEMORY;
                s->court = nv;
                s->court[s->ncourt * 2] = s->found[i * 3 + 1];
                s->court[s->ncourt * 2 + 1] = s->found[i * 3 + 2];
                s->ncourt++;
            }
    }
    for (i = 0; i < s->nfound; i++) {
        const struct lx_phrase *p = &lx->phrases[s->found[i * 3]];
        size_t a = s->found[i * 3 + 1], b = s->found[i * 3 + 2];

        if (!(lx->phr_kinds[s->found[i * 3]] & SCAN_KINDS))
            continue;
        for (k = 0; k < p->nuse; k++) {
            const struct lx_use *u = &p->use[k];

            if ((u->kind == LXK_TERM ||
                 (u->kind == LXK_OPENING && opens(s, t, a))) &&
                !(sc->npt && pseudo_term(s, sc, a, b))) {
                if (!push_hit(s, a, b, a, b, &lx->concepts[u->idx].members, 0))
                    return PCRE2_ERROR_NOMEMORY;
            } else if (u->kind >= LXK_BEFORE && u->kind <= LXK_JOIN) {
                if (!push_pcand(s, u, a, b))
                    return PCRE2_ERROR_NOMEMORY;
            }
        }
    }
    /* pairs: a thing and a done word of the same pair close together.
     * The done words first, chained per pair; then each thing looks at
     * its own pair's done words only. */
    if (lx->npairs) {
        if (!(nv = grow(s->pair_first, &s->pair_alloc, lx->npairs,
                        sizeof(*s->pair_first))))
            return PCRE2_ERROR_NOMEMORY;
        s->pair_first = nv;
        memset(s->pair_first, 0, lx->npairs * sizeof(*s->pair_first));
        s->ndones = 0;
        for (i = 0; i < s->nfound; i++) {
            const struct lx_phrase *p = &lx->phrases[s->found[i * 3]];

            if (!(lx->phr_kinds[s->found[i * 3]] & KB(LXK_DONE)))
                continue;
            for (k = 0; k < p->nuse; k++) {
                uint32_t *d;

                if (p->use[k].kind != LXK_DONE)
                    continue;
                if (!(nv = grow(s->dones, &s->dones_alloc, (s->ndones + 1) * 4,
                                sizeof(*s->dones))))
                    return PCRE2_ERROR_NOMEMORY;
                s->dones = nv;
                d = &s->dones[s->ndones * 4];
                d[0] = p->use[k].idx;
                d[1] = s->found[i * 3 + 1];
                d[2] = s->found[i * 3 + 2];
                d[3] = s->pair_first[p->use[k].idx]; /* the next, +1 */
                s->pair_first[p->use[k].idx] = (uint32_t)s->ndones + 1;
                s->ndones++;
            }
        }
    }
    for (i = 0; s->ndones && i < s->nfound; i++) {
        const struct lx_phrase *p = &lx->phrases[s->found[i * 3]];
        size_t a = s->found[i * 3 + 1], b = s->found[i * 3 + 2];

        if (!(lx->phr_kinds[s->found[i * 3]] & KB(LXK_THING)))
            continue;
        for (k = 0; k < p->nuse; k++) {
            const struct lx_use *u = &p->use[k];
            const struct lx_pair *pr;
            uint32_t x;

            if (u->kind != LXK_THING)
                continue;
            pr = &lx->pairs[u->idx];
            for (x = s->pair_first[u->idx]; x; x = s->dones[(x - 1) * 4 + 3]) {
                size_t c = s->dones[(x - 1) * 4 + 1],
                       e = s->dones[(x - 1) * 4 + 2];
                bool near = b <= c ? c - b <= PAIR_REACH &&
                                         pair_gap(t, b, c, pr->within - 1)
                                   : e <= a && a - e <= PAIR_REACH &&
                                         pair_gap(t, e, a, pr->within - 1);

                if (near && sc->npt &&
                    pseudo_term(s, sc, a < c ? a : c, b > e ? b : e))
                    continue;
                if (near && !push_hit(s, a < c ? a : c, b > e ? b : e, c, e,
                                      &lx->concepts[pr->concept].members, 0))
                    return PCRE2_ERROR_NOMEMORY;
            }
        }
    }
    if (!sort_items(s, s->hits + first_hit, s->nhits - first_hit,
                    sizeof(*s->hits), cmp_hit))
        return PCRE2_ERROR_NOMEMORY;
    sc->hit_at = first_hit;
    sc->nhits = s->nhits - first_hit;
    sc->pc_at = first_pc;
    sc->npc = s->npcand - first_pc;
    sc->scanned = true;
    return 0;
}

/* The regex items entry i (sc, text t) may match: those one of whose
 * literals it holds, and those without literals.  The rules' prefilter
 * pass may have found them already (s->rx_on). */
static const struct lx_set *regex_may(const struct engine_scratch *s,
                                      const struct lexicon *lx, size_t i,
                                      struct lx_scan *sc, const char *t,
                                      size_t len)
{
    struct lx_set *may = &s->scan_rx[i].may;

    if (!sc->has_may) {
        *may = lx->regex_always;
        if (s->rx_on) {
            lx_set_or(may, &s->rx_mask[i]);
        } else if (lx->regex_pf) {
            struct lx_set m;

            prefilter_scan_set(lx->regex_pf, t, len, &m);
            lx_set_or(may, &m);
        }
        sc->has_may = true;
    }
    return may;
}

/*
 * Add the hits of the term regex items in todo to entry sc's hits: the
 * entry's hits are put together again after the last block, in order.
 * 0, or a PCRE2 error code (nothing added).
 */
static int run_terms(struct engine_scratch *s, const struct lexicon *lx,
                     struct lx_scan *sc, const char *t, size_t len,
                     const struct lx_set *todo)
{
    size_t h0 = s->nhits, nw = 0, nnew, k;
    void *nv;
    int rc;

    for (k = 0; k < lx->rx_words; k++) {
        uint64_t b;

        for (b = todo->w[k]; b; b &= b - 1) {
            rc = run_regex(s, lx, k * 64 + (size_t)__builtin_ctzll(b), sc, t,
                           len, &nw);
            if (rc < 0) {
                s->nhits = h0;
                return rc;
            }
        }
    }
    if (sc->npt) { /* no regex hit within a pseudo-term */
        size_t r, w = h0;

        for (r = h0; r < s->nhits; r++)
            if (!pseudo_term(s, sc, s->hits[r].s, s->hits[r].e))
                s->hits[w++] = s->hits[r];
        s->nhits = w;
    }
    nnew = s->nhits - h0;
    if (!nnew)
        return 0;
    if (sc->hit_at + sc->nhits != h0) {
        /* the entry's block is not the last: copy it in front of the new
         * hits */
        if (!(nv = grow(s->hits, &s->hits_alloc, s->nhits + sc->nhits,
                        sizeof(*s->hits)))) {
            s->nhits = h0;
            return PCRE2_ERROR_NOMEMORY;
        }
        s->hits = nv;
        memmove(s->hits + h0 + sc->nhits, s->hits + h0,
                nnew * sizeof(*s->hits));
        memcpy(s->hits + h0, s->hits + sc->hit_at,
               sc->nhits * sizeof(*s->hits));
        sc->hit_at = h0;
        s->nhits += sc->nhits;
    }
    sc->nhits += nnew;
    if (!sort_items(s, s->hits + sc->hit_at, sc->nhits, sizeof(*s->hits),
                    cmp_hit)) {
        sc->nhits -= nnew; /* the old hits are still in order in front */
        return PCRE2_ERROR_NOMEMORY;
    }
    return 0;
}

int lexscan_terms(struct engine_scratch *s, const struct lexicon *lx, size_t i,
                  const struct lx_set *need, const struct lx_hit **hits,
                  size_t *nhits)
{
    const struct log_entry *e = &s->ctx_entries[i];
    const char *t = e->text ? e->text : "";
    size_t len = e->text ? e->text_len : 0, h0 = s->nhits, p0 = s->npcand, k;
    struct lx_scan *sc = &s->scans[i];
    struct lx_set *done = &s->scan_rx[i].done, todo;
    uint64_t any = 0;
    int rc;

    if (!sc->scanned) {
        memset(done, 0, sizeof(*done));
        rc = scan_phrases(s, lx, t, len, sc);
        if (rc < 0) {
            s->nhits = h0;
            s->npcand = p0;
            s->npterms = sc->pt_at;
            sc->npt = 0;
            sc->scanned = false;
            return rc;
        }
    }
    /* the term items of need not run on this entry yet (the words of
     * the sets past rx_words are never set, nor read) */
    if (need)
        for (k = 0; k < lx->rx_words; k++) {
            todo.w[k] = need->w[k] & lx->term_rx.w[k] & ~done->w[k];
            any |= todo.w[k];
        }
    if (any) {
        const struct lx_set *may = regex_may(s, lx, i, sc, t, len);
        struct lx_set run;

        for (k = 0; k < lx->rx_words; k++)
            run.w[k] = todo.w[k] & may->w[k];
        rc = run_terms(s, lx, sc, t, len, &run);
        if (rc < 0)
            return rc;
        for (k = 0; k < lx->rx_words; k++)
            done->w[k] |= todo.w[k];
    }
    *hits = s->hits + sc->hit_at;
    *nhits = sc->nhits;
    return 0;
}

int lexscan_events(struct engine_scratch *s, const struct lexicon *lx, size_t i,
                   const struct lx_event **ev, size_t *nev)
{
    const struct log_entry *e = &s->ctx_entries[i];
    const char *t = e->text ? e->text : "";
    size_t len = e->text ? e->text_len : 0, nw, k, last_end = 0;
    struct lx_scan *sc = &s->scans[i];
    const struct lx_hit *hits;
    const struct lx_set *may;
    void *nv;
    int rc;

    if (!sc->has_events) {
        size_t e0 = s->nevents, r;

        rc = lexscan_terms(s, lx, i, NULL, &hits, &k);
        if (rc < 0)
            return rc;
        /* the triggers found as phrases, then those of regex items */
        if (!(nv =
                  grow(s->cand, &s->cand_alloc, sc->npc + 1, sizeof(*s->cand))))
            return PCRE2_ERROR_NOMEMORY;
        s->cand = nv;
        if (sc->npc)
            memcpy(s->cand, s->pcand + sc->pc_at, sc->npc * sizeof(*s->cand));
        nw = sc->npc;
        may = regex_may(s, lx, i, sc, t, len);
        for (r = 0; r < lx->rx_words; r++) {
            uint64_t b;

            for (b = lx->trigger_rx.w[r] & may->w[r]; b; b &= b - 1) {
                rc = run_regex(s, lx, r * 64 + (size_t)__builtin_ctzll(b), sc,
                               t, len, &nw);
                if (rc < 0)
                    return rc;
            }
        }
        /* events: leftmost, then longest as written, none overlapping */
        if (!sort_items(s, s->cand, nw, sizeof(*s->cand), cmp_wcand))
            return PCRE2_ERROR_NOMEMORY;
        for (k = 0; k < nw; k++) {
            struct lx_event *x;

            if (k > 0 && s->cand[k].ev.s < last_end)
                continue;
            if (!(nv = grow(s->events, &s->events_alloc, s->nevents + 1,
                            sizeof(*s->events)))) {
                s->nevents = e0;
                return PCRE2_ERROR_NOMEMORY;
            }
            s->events = nv;
            x = &s->events[s->nevents++];
            *x = s->cand[k].ev;
            last_end = x->e;
        }
        sc->ev_at = e0;
        sc->nev = s->nevents - e0;
        sc->has_events = true;
    }
    *ev = s->events + sc->ev_at;
    *nev = sc->nev;
    return 0;
}
