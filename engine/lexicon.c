/* SPDX-License-Identifier: MIT */
/*
 * Loading the context lexicon (rules/lexicon.yaml; docs/rule-format.md,
 * "Concepts and context"): the one place audit staff keep the vocabulary
 * rules share.  It is loaded as strictly as a rule file (unknown or
 * duplicate keys, bad patterns and unknown names are errors with
 * file:line:col) and compiled once into what engine/lexscan.c matches:
 *
 *   - every phrase, normalised (lower case, ’ as ', runs of spaces and
 *     hyphens as one space), with each of its uses: a term of some concepts
 *     (those that define it and those that include them), one side of a
 *     "things ... done" pair, a trigger of a modifier with its direction
 *     and written length, a pseudo-trigger, a word that ends a clause; the
 *     phrases are indexed in a trie of their tokens (lexscan_index);
 *   - every `regex:` item as its own PCRE2 pattern (JIT), with the literals
 *     one of which every match contains, so that it is run only on entries
 *     that hold one;
 *   - every modifier's section headings, and the forms' placeholders and
 *     affirmations, as patterns matched against a label or a value.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/internal.h"

#define MAX_LEXICON_FILE (4 * 1024 * 1024)
#define MAX_ITEMS 4000
#define DEFAULT_BEFORE_SCOPE 6
#define DEFAULT_AFTER_SCOPE 4
#define DEFAULT_WITHIN 4

void sb_put(struct sb *b, const char *s, size_t len)
{
    if (b->oom)
        return;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;

        while (b->n + len + 1 > cap)
            cap *= 2;
        p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
}

void sb_puts(struct sb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

void lexicon_free(struct lexicon *lx)
{
    size_t i;

    if (!lx)
        return;
    for (i = 0; i < lx->nmods; i++) {
        free(lx->mods[i].name);
        pattern_release(&lx->mods[i].headings);
        pattern_release(&lx->mods[i].lists_except);
    }
    for (i = 0; i < lx->nconcepts; i++) {
        free(lx->concepts[i].name);
        free(lx->concepts[i].includes);
        pattern_release(&lx->concepts[i].sup_needs);
        pattern_release(&lx->concepts[i].needs);
    }
    free(lx->concepts);
    for (i = 0; i < lx->nphrases; i++) {
        free(lx->phrases[i].text);
        free(lx->phrases[i].use);
    }
    free(lx->phrases);
    free(lx->load_idx);
    for (i = 0; i < lx->ntypo_except; i++)
        free(lx->typo_except[i]);
    free(lx->typo_except);
    free(lx->first);
    free(lx->edges);
    free(lx->nodes);
    free(lx->node_phr);
    free(lx->phr_kinds);
    free(lx->ptext);
    free(lx->edge_bits);
    free(lx->starts);
    free(lx->pairs);
    for (i = 0; i < lx->nregexes; i++) {
        pattern_release(&lx->regexes[i].re);
        pf_starts_free(lx->regexes[i].starts);
    }
    free(lx->regexes);
    prefilter_free(lx->regex_pf);
    prefilter_free(lx->headings_pf);
    pattern_release(&lx->placeholders);
    pattern_release(&lx->affirmations);
    pattern_release(&lx->affirmed_label);
    for (i = 0; i < lx->naffirm_tails; i++)
        free(lx->affirm_tails[i]);
    free(lx->affirm_tails);
    pattern_release(&lx->item_done);
    pattern_release(&lx->result_label);
    free(lx->path);
    free(lx->version);
    free(lx);
}

int lexicon_concept(const struct lexicon *lx, const char *name)
{
    size_t i;

    for (i = 0; lx && i < lx->nconcepts; i++)
        if (strcmp(lx->concepts[i].name, name) == 0)
            return (int)i;
    return -1;
}

int lexicon_modifier(const struct lexicon *lx, const char *name)
{
    size_t i;

    for (i = 0; lx && i < lx->nmods; i++)
        if (strcmp(lx->mods[i].name, name) == 0)
            return (int)i;
    return -1;
}

void lexicon_mark_used(struct lexicon *lx, size_t i, uint32_t mask)
{
    struct concept *c = &lx->concepts[i];
    size_t k;

    if (!mask)
        mask = c->blocked_by;
    mask |= c->retracted_by;
    for (k = 0; k < lx->nmods; k++)
        if (mask >> k & 1)
            lx->mods[k].used = true;
    if (c->used)
        return;
    c->used = true;
    for (k = 0; k < c->nincludes; k++)
        lexicon_mark_used(lx, c->includes[k], 0);
}

/* ---- items ---- */

static bool is_name(const char *s)
{
    size_t i;

    if (!s[0] || !isalpha((unsigned char)s[0]))
        return false;
    for (i = 0; s[i]; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return i <= 48;
}

/*
 * A phrase as the scanner compares it: ASCII lower case, ’ (U+2019) as ',
 * runs of spaces, tabs, line breaks and hyphens as one space, trimmed.
 * Returns the length (0: nothing left).  out holds len + 1 bytes.
 */
static size_t norm_phrase(const char *in, size_t len, char *out)
{
    size_t i, n = 0;
    bool gap = false;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];

        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-') {
            gap = n > 0;
            continue;
        }
        if (gap) {
            out[n++] = ' ';
            gap = false;
        }
        if (c == 0xE2 && i + 2 < len && (unsigned char)in[i + 1] == 0x80 &&
            (unsigned char)in[i + 2] == 0x99) {
            out[n++] = '\'';
            i += 2;
        } else {
            out[n++] = (char)tolower(c);
        }
    }
    out[n] = '\0';
    return n;
}

static enum ca_status phrase_ok(struct ld *ld, const struct ynode *k,
                                const char *key)
{
    char buf[256];

    if (k->len > 200 || norm_phrase(k->val, k->len, buf) == 0)
        return lerr(ld, k,
                    "each item of '%s' must be a non-empty phrase of at "
                    "most 200 bytes",
                    key);
    return CA_OK;
}

/* The slot of the load index holding phrase text t[0, n), or the empty
 * slot where it would go. */
static size_t idx_slot(const struct lexicon *lx, const char *t, size_t n)
{
    size_t m = lx->load_cap - 1, h = lexscan_hash(t, n) & m;

    while (lx->load_idx[h] != UINT32_MAX) {
        const struct lx_phrase *p = &lx->phrases[lx->load_idx[h]];

        if (p->len == n && memcmp(p->text, t, n) == 0)
            break;
        h = (h + 1) & m;
    }
    return h;
}

/* The phrase with text t[0, n), or -1. */
static long find_phrase(const struct lexicon *lx, const char *t, size_t n)
{
    uint32_t x;

    if (!lx->load_cap)
        return -1;
    x = lx->load_idx[idx_slot(lx, t, n)];
    return x == UINT32_MAX ? -1 : (long)x;
}

/* A new phrase with text t[0, n) and no uses, indexed. */
static struct lx_phrase *new_phrase(struct ld *ld, struct lexicon *lx,
                                    const char *t, size_t n)
{
    struct lx_phrase *p;
    size_t i;

    if (lx->nphrases == lx->phrases_alloc) {
        size_t na = lx->phrases_alloc ? lx->phrases_alloc * 2 : 256;
        struct lx_phrase *v = realloc(lx->phrases, na * sizeof(*v));

        if (!v) {
            oom(ld);
            return NULL;
        }
        lx->phrases = v;
        lx->phrases_alloc = na;
    }
    if ((lx->nphrases + 1) * 2 > lx->load_cap) {
        size_t nc = lx->load_cap ? lx->load_cap * 2 : 1024;
        uint32_t *v = malloc(nc * sizeof(*v));

        if (!v) {
            oom(ld);
            return NULL;
        }
        free(lx->load_idx);
        lx->load_idx = v;
        lx->load_cap = nc;
        memset(v, 0xFF, nc * sizeof(*v));
        for (i = 0; i < lx->nphrases; i++)
            lx->load_idx[idx_slot(lx, lx->phrases[i].text,
                                  lx->phrases[i].len)] = (uint32_t)i;
    }
    p = &lx->phrases[lx->nphrases];
    memset(p, 0, sizeof(*p));
    p->text = malloc(n + 1);
    if (!p->text) {
        oom(ld);
        return NULL;
    }
    memcpy(p->text, t, n);
    p->text[n] = '\0';
    p->len = (uint32_t)n;
    lx->load_idx[idx_slot(lx, t, n)] = (uint32_t)lx->nphrases;
    lx->nphrases++;
    return p;
}

static enum ca_status add_use(struct ld *ld, struct lx_phrase *p,
                              const struct lx_use *use)
{
    struct lx_use *u = realloc(p->use, (p->nuse + 1) * sizeof(*u));

    if (!u)
        return oom(ld);
    p->use = u;
    p->use[p->nuse++] = *use;
    return CA_OK;
}

/* Add a use of phrase text (as written) to the lexicon. */
static enum ca_status add_phrase(struct ld *ld, struct lexicon *lx,
                                 const struct ynode *node,
                                 const struct lx_use *use)
{
    char buf[256];
    size_t n = norm_phrase(node->val, node->len, buf);
    long x = find_phrase(lx, buf, n);
    struct lx_phrase *p = x >= 0 ? &lx->phrases[x] : new_phrase(ld, lx, buf, n);

    return p ? add_use(ld, p, use) : CA_SYSTEM;
}

/*
 * Typo spellings (`typos: {min_length: N}`).  Officers type on handhelds
 * and in a hurry: "nieghbour", "recived", "veiwed", "adress", "tomorow".
 * For every word of N letters or more of every phrase as written, the
 * spellings with two neighbouring letters swapped or one letter left out
 * match too, with the same uses, except:
 *   - the first letter is never moved or dropped, nor the last dropped
 *     ("seized" must not become "seize", an instruction);
 *   - a spelling that is itself a phrase of the lexicon stays that phrase,
 *     and takes the uses of the phrase it misspells too ('obtianed', listed
 *     for CCTV, also does what 'obtained' does for a statement);
 *   - a spelling reached from two different phrases is dropped (it is
 *     not clear which was meant).
 * One edit per phrase: "statment taken" and "statement takne" match
 * "statement taken", "statment takne" does not.
 */
/* The uses of phrase src that phrase p lacks, added to p. */
static enum ca_status merge_uses(struct ld *ld, struct lx_phrase *p,
                                 const struct lx_phrase *src)
{
    size_t k, j, n = src->nuse;
    enum ca_status st = CA_OK;

    for (k = 0; k < n && st == CA_OK; k++) {
        const struct lx_use *u = &src->use[k];

        for (j = 0; j < p->nuse; j++)
            if (p->use[j].kind == u->kind && p->use[j].idx == u->idx)
                break;
        if (j == p->nuse)
            st = add_use(ld, p, u);
    }
    return st;
}

/*
 * Spelling t[0, n) of written phrase from.  With merge, only a spelling
 * that is itself a written phrase is looked at: a misspelling written in
 * one list ('obtianed' for CCTV) also means what the word it misspells
 * means in every other list ('obtained' for a statement), so it takes the
 * word's uses.  Without, a new spelling becomes a phrase with from's uses.
 */
static enum ca_status add_variant(struct ld *ld, struct lexicon *lx,
                                  const char *t, size_t n, size_t from,
                                  bool merge, uint32_t **origin,
                                  size_t *norigin)
{
    long x = find_phrase(lx, t, n);
    struct lx_phrase *p;
    const struct lx_phrase *src;
    size_t k;

    if (x >= 0 && (size_t)x < lx->nwritten)
        return merge && (size_t)x != from
                   ? merge_uses(ld, &lx->phrases[x], &lx->phrases[from])
                   : CA_OK;
    if (merge)
        return CA_OK;
    if (x >= 0) {
        if ((*origin)[x - lx->nwritten] != from)
            (*origin)[x - lx->nwritten] = UINT32_MAX; /* ambiguous */
        return CA_OK;
    }
    if (lx->nphrases - lx->nwritten == *norigin) {
        size_t na = *norigin ? *norigin * 2 : 1024;
        uint32_t *v = realloc(*origin, na * sizeof(*v));

        if (!v)
            return oom(ld);
        *origin = v;
        *norigin = na;
    }
    if (!(p = new_phrase(ld, lx, t, n)))
        return CA_SYSTEM;
    (*origin)[lx->nphrases - 1 - lx->nwritten] = (uint32_t)from;
    src = &lx->phrases[from];
    p->use = malloc(src->nuse * sizeof(*p->use));
    if (!p->use)
        return oom(ld);
    for (k = 0; k < src->nuse; k++)
        p->use[k] = src->use[k];
    p->nuse = src->nuse;
    return CA_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the word w[0, n) is listed in typos.except. */
bool lexicon_typo_excepted(const struct lexicon *lx, const char *w, size_t n)
{
    size_t lo = 0, hi = lx->ntypo_except;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *e = lx->typo_except[mid];
        int c = strncmp(e, w, n);

        if (c == 0)
            c = e[n] ? 1 : 0;
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static enum ca_status get_typos(struct ld *ld, struct lexicon *lx,
                                const struct ynode *v)
{
    static const char *const keys[] = {"min_length", "except"};
    const struct ynode *m;
    enum ca_status st;
    size_t i;

    if ((st = want_kind(ld, v, YN_MAP, "typos")) != CA_OK ||
        (st = check_keys(ld, v, keys, 2, "'typos'")) != CA_OK)
        return st;
    if (!(m = map_get(v, "min_length")))
        return lerr(ld, v, "'typos' needs 'min_length:' (letters)");
    if ((st = get_int(ld, m, "typos.min_length", 4, 40, &lx->typo_min)) !=
        CA_OK)
        return st;
    if (!(m = map_get(v, "except")))
        return CA_OK;
    if ((st = want_kind(ld, m, YN_SEQ, "typos.except")) != CA_OK)
        return st;
    lx->typo_except = calloc(m->nkids ? m->nkids : 1, sizeof(char *));
    if (!lx->typo_except)
        return oom(ld);
    for (i = 0; i < m->nkids; i++) {
        const struct ynode *k = m->kids[i];
        size_t j;

        if (k->kind != YN_SCALAR || k->len == 0 || k->len > 64)
            return lerr(ld, k, "each item of 'typos.except' must be a word");
        for (j = 0; j < k->len; j++)
            if (!isalpha((unsigned char)k->val[j]))
                return lerr(ld, k,
                            "each item of 'typos.except' must be one word "
                            "of letters, not '%.40s'",
                            k->val);
        if (!(lx->typo_except[i] = strdup(k->val)))
            return oom(ld);
        for (j = 0; j < k->len; j++)
            lx->typo_except[i][j] =
                (char)tolower((unsigned char)lx->typo_except[i][j]);
        lx->ntypo_except++;
    }
    qsort(lx->typo_except, lx->ntypo_except, sizeof(char *), cmp_str);
    for (i = 1; i < lx->ntypo_except; i++)
        if (strcmp(lx->typo_except[i - 1], lx->typo_except[i]) == 0)
            return lerr(ld, m, "'%s' is listed twice in 'typos.except'",
                        lx->typo_except[i]);
    return CA_OK;
}

static enum ca_status add_typos(struct ld *ld, struct lexicon *lx)
{
    uint32_t *origin = NULL;
    size_t norigin = 0, i, j, o, pass;
    enum ca_status st = CA_OK;
    char buf[256];

    lx->nwritten = lx->nphrases;
    if (lx->typo_min <= 0)
        return CA_OK;
    /* first the written misspellings take their words' uses, then every
     * written phrase's spellings are made, so that the order of the lists
     * does not matter */
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < lx->nwritten && st == CA_OK; i++) {
            size_t ws = 0;

            while (ws < lx->phrases[i].len && st == CA_OK) {
                const char *t = lx->phrases[i].text;
                size_t len = lx->phrases[i].len, we = ws, k;
                bool letters = true;

                while (we < len && t[we] != ' ') {
                    if (t[we] < 'a' || t[we] > 'z')
                        letters = false;
                    we++;
                }
                if (letters && we - ws >= (size_t)lx->typo_min) {
                    /* one letter left out: not the first, not the last */
                    for (k = ws + 1; k + 1 < we && st == CA_OK; k++) {
                        memcpy(buf, t, k);
                        memcpy(buf + k, t + k + 1, len - k - 1);
                        if (!lexicon_typo_excepted(lx, buf + ws, we - ws - 1))
                            st = add_variant(ld, lx, buf, len - 1, i, pass == 0,
                                             &origin, &norigin);
                    }
                    /* two neighbours swapped: not the first letter */
                    for (k = ws + 1; k + 1 < we && st == CA_OK; k++) {
                        if (t[k] == t[k + 1])
                            continue;
                        memcpy(buf, t, len);
                        buf[k] = t[k + 1];
                        buf[k + 1] = t[k];
                        if (!lexicon_typo_excepted(lx, buf + ws, we - ws))
                            st = add_variant(ld, lx, buf, len, i, pass == 0,
                                             &origin, &norigin);
                    }
                }
                ws = we + 1;
            }
        }
    /* drop the ambiguous spellings */
    for (j = o = lx->nwritten; st == CA_OK && j < lx->nphrases; j++) {
        if (origin[j - lx->nwritten] == UINT32_MAX) {
            free(lx->phrases[j].text);
            free(lx->phrases[j].use);
            continue;
        }
        lx->phrases[o++] = lx->phrases[j];
    }
    if (st == CA_OK)
        lx->nphrases = o;
    free(origin);
    return st;
}

/* Add a regex item; its literals gate it (engine/prefilter.c). */
static enum ca_status add_regex(struct ld *ld, struct lexicon *lx,
                                const struct ynode *node, const char *key,
                                const char *pat, size_t len,
                                const struct lx_use *use)
{
    struct lx_regex *r;
    enum ca_status st;
    uint32_t ncap = 0;
    size_t i, nstarts;
    char **starts;

    /* the same term regex in two concepts ("PND - nil" is a check of the
     * investigation and a trace of a person) is compiled and run once */
    for (i = 0; use->kind == LXK_TERM && i < lx->nregexes; i++) {
        struct lx_regex *o = &lx->regexes[i];

        if (o->use.kind == LXK_TERM && strlen(o->re.src) == len &&
            memcmp(o->re.src, pat, len) == 0) {
            lx_set_or(&o->concepts, &lx->concepts[use->idx].members);
            return CA_OK;
        }
    }
    if (lx->nregexes >= LEX_MAX_REGEXES)
        return lerr(ld, node, "at most %d 'regex:' items in a lexicon",
                    LEX_MAX_REGEXES);
    if (lx->nregexes == lx->regexes_alloc) {
        size_t na = lx->regexes_alloc ? lx->regexes_alloc * 2 : 32;
        struct lx_regex *v = realloc(lx->regexes, na * sizeof(*v));

        if (!v)
            return oom(ld);
        lx->regexes = v;
        lx->regexes_alloc = na;
    }
    r = &lx->regexes[lx->nregexes];
    memset(r, 0, sizeof(*r));
    /* an item whose matches start with known strings is tried only where
     * they are (lexscan.c, run_regex): there an offset limit anchors it */
    if (prefilter_starts(pat, len, &starts, &nstarts) == 0) {
        if (pf_starts_useful(starts, nstarts))
            r->starts = pf_starts_new(starts, nstarts);
        for (i = 0; i < nstarts; i++)
            free(starts[i]);
        free(starts);
    } else {
        /* one beginning at a line's or a sentence's start (intended's
         * directive): tried only after the bytes its lookbehinds want */
        struct pf_behind *bh = malloc(sizeof(*bh));

        if (bh && prefilter_behind_starts(pat, len, bh) == 0)
            r->starts = pf_starts_new_behind(bh);
        free(bh);
    }
    st = compile_at(ld, node, true, key, pat, len,
                    PCRE2_NO_AUTO_CAPTURE | PCRE2_DUPNAMES |
                        (r->starts ? PCRE2_USE_OFFSET_LIMIT : 0),
                    &r->re);
    if (st != CA_OK) {
        pattern_release(&r->re);
        pf_starts_free(r->starts);
        r->starts = NULL;
        return st;
    }
    lx->nregexes++;
    r->use = *use;
    if (use->kind == LXK_TERM)
        r->concepts = lx->concepts[use->idx].members;
    pcre2_pattern_info(r->re.code, PCRE2_INFO_CAPTURECOUNT, &ncap);
    r->anchors = ncap;
    return CA_OK;
}

/*
 * Add the items of a list: phrases, { regex: '...' }, and (when pairs is
 * not NULL, for terms) { things: [...], done: [...], within: N }.
 */
static enum ca_status add_items(struct ld *ld, struct lexicon *lx,
                                const struct ynode *n, const char *key,
                                const struct lx_use *use, bool pairs)
{
    static const char *const k_pair[] = {"regex",  "things",  "done",
                                         "within", "opening", "courtesy"};
    size_t i, j;
    enum ca_status st = want_kind(ld, n, YN_SEQ, key);

    if (st != CA_OK)
        return st;
    if (n->nkids == 0 || n->nkids > MAX_ITEMS)
        return lerr(ld, n, "'%s' must list 1 to %d items", key, MAX_ITEMS);
    for (i = 0; i < n->nkids; i++) {
        const struct ynode *k = n->kids[i], *x, *th, *dn;
        struct lx_use u = *use;
        struct lx_pair *pr;
        int within = DEFAULT_WITHIN;

        if (k->kind == YN_SCALAR) {
            if ((st = phrase_ok(ld, k, key)) != CA_OK ||
                (st = add_phrase(ld, lx, k, &u)) != CA_OK)
                return st;
            continue;
        }
        if (k->kind != YN_MAP)
            return lerr(ld, k,
                        "each item of '%s' must be a phrase or a mapping", key);
        if ((st = check_keys(ld, k, k_pair, pairs ? 6 : 1,
                             pairs ? "a term" : "a trigger")) != CA_OK)
            return st;
        if ((x = map_get(k, "opening"))) {
            /* words that count where they open a sentence, a line or a
             * list item, maybe after a courtesy ("please") */
            const struct ynode *cw = map_get(k, "courtesy");
            size_t q;

            if (map_get(k, "regex") || map_get(k, "things") ||
                map_get(k, "done") || map_get(k, "within"))
                return lerr(ld, k,
                            "an 'opening' term takes only "
                            "'courtesy' beside it");
            if ((st = want_kind(ld, x, YN_SEQ, "opening")) != CA_OK)
                return st;
            for (q = 0; q < x->nkids; q++) {
                struct lx_use ou = {LXK_OPENING, use->idx, 0};

                if (x->kids[q]->kind != YN_SCALAR)
                    return lerr(ld, x->kids[q],
                                "each item of 'opening' must be a word");
                if ((st = phrase_ok(ld, x->kids[q], "opening")) != CA_OK ||
                    (st = add_phrase(ld, lx, x->kids[q], &ou)) != CA_OK)
                    return st;
            }
            if (cw) {
                if ((st = want_kind(ld, cw, YN_SEQ, "courtesy")) != CA_OK)
                    return st;
                for (q = 0; q < cw->nkids; q++) {
                    struct lx_use cu = {LXK_COURTESY, 0, 0};

                    if (cw->kids[q]->kind != YN_SCALAR)
                        return lerr(ld, cw->kids[q],
                                    "each item of 'courtesy' must be a word");
                    if ((st = phrase_ok(ld, cw->kids[q], "courtesy")) !=
                            CA_OK ||
                        (st = add_phrase(ld, lx, cw->kids[q], &cu)) != CA_OK)
                        return st;
                }
            }
            continue;
        }
        if (map_get(k, "courtesy"))
            return lerr(ld, k, "'courtesy' goes with 'opening'");
        if ((x = map_get(k, "regex"))) {
            size_t rl;

            if (map_get(k, "things") || map_get(k, "done"))
                return lerr(ld, k,
                            "a term is a 'regex' or 'things' with "
                            "'done', not both");
            if ((st = pattern_style(ld, x, "regex")) != CA_OK)
                return st;
            rl = x->len;
            while (rl && x->val[rl - 1] == '\n')
                rl--;
            if (rl == 0)
                return lerr(ld, x, "'regex' is empty");
            if ((st = add_regex(ld, lx, x, key, x->val, rl, &u)) != CA_OK)
                return st;
            continue;
        }
        th = map_get(k, "things");
        dn = map_get(k, "done");
        if (!th || !dn)
            return lerr(ld, k,
                        "a term mapping needs 'things' and 'done' (or "
                        "'regex')");
        if ((st = want_kind(ld, th, YN_SEQ, "things")) != CA_OK ||
            (st = want_kind(ld, dn, YN_SEQ, "done")) != CA_OK)
            return st;
        if ((x = map_get(k, "within")) &&
            (st = get_int(ld, x, "within", 1, 12, &within)) != CA_OK)
            return st;
        if (lx->npairs == lx->pairs_alloc) {
            size_t na = lx->pairs_alloc ? lx->pairs_alloc * 2 : 32;
            struct lx_pair *v = realloc(lx->pairs, na * sizeof(*v));

            if (!v)
                return oom(ld);
            lx->pairs = v;
            lx->pairs_alloc = na;
        }
        if (lx->npairs >= 65535)
            return lerr(ld, k, "too many 'things ... done' terms");
        pr = &lx->pairs[lx->npairs];
        pr->concept = use->idx;
        pr->within = within;
        for (j = 0; j < 2; j++) {
            const struct ynode *list = j ? dn : th;
            size_t q;

            if (list->nkids == 0 || list->nkids > MAX_ITEMS)
                return lerr(ld, list, "'%s' must list 1 to %d phrases",
                            j ? "done" : "things", MAX_ITEMS);
            for (q = 0; q < list->nkids; q++) {
                const struct ynode *w = list->kids[q];
                struct lx_use pu = {j ? LXK_DONE : LXK_THING,
                                    (uint16_t)lx->npairs, 0};

                if (w->kind != YN_SCALAR)
                    return lerr(ld, w, "each item of '%s' must be a phrase",
                                j ? "done" : "things");
                if ((st = phrase_ok(ld, w, j ? "done" : "things")) != CA_OK ||
                    (st = add_phrase(ld, lx, w, &pu)) != CA_OK)
                    return st;
            }
        }
        lx->npairs++;
    }
    return CA_OK;
}

/* Append the words pattern of the scalars of list (phrases) to b. */
enum ca_status put_words(struct ld *ld, const struct ynode *list,
                         const char *key, struct sb *b)
{
    const char **w;
    char *pat;
    size_t i, size = 64;
    long len;
    enum ca_status st = CA_OK;

    if (list->nkids == 0 || list->nkids > MAX_ITEMS)
        return lerr(ld, list, "'%s' must list 1 to %d phrases", key, MAX_ITEMS);
    w = calloc(list->nkids, sizeof(*w));
    if (!w)
        return oom(ld);
    for (i = 0; i < list->nkids; i++) {
        const struct ynode *k = list->kids[i];

        if (k->kind != YN_SCALAR) {
            st = lerr(ld, k, "each item of '%s' must be a phrase", key);
            goto out;
        }
        if (k->len == 0 || k->len > 200 || strspn(k->val, " \t\n") == k->len) {
            st = lerr(ld, k,
                      "each item of '%s' must be a non-empty phrase of at "
                      "most 200 bytes",
                      key);
            goto out;
        }
        w[i] = k->val;
        size += k->len * 12 + 16;
    }
    pat = malloc(size);
    if (!pat) {
        st = oom(ld);
        goto out;
    }
    len = words_pattern(w, list->nkids, false, pat, size);
    if (len < 0)
        st = lerr(ld, list, "'%s' makes a pattern that is too long", key);
    else
        sb_put(b, pat, (size_t)len);
    free(pat);
out:
    free(w);
    return st;
}

/* Headings: phrases as put_words, and { regex: '...' } items as written
 * (matched against the whole label). */
static enum ca_status put_headings(struct ld *ld, const struct ynode *list,
                                   const char *key, struct sb *b)
{
    struct ynode words = *list;
    struct ynode **kids;
    size_t i, nw = 0;
    bool first = true;
    enum ca_status st = CA_OK;

    kids = calloc(list->nkids ? list->nkids : 1, sizeof(*kids));
    if (!kids)
        return oom(ld);
    for (i = 0; i < list->nkids; i++) {
        const struct ynode *k = list->kids[i], *r;

        if (k->kind == YN_MAP) {
            if ((st = check_keys(ld, k, (const char *const[]){"regex"}, 1,
                                 "a heading")) != CA_OK)
                goto out;
            if (!(r = map_get(k, "regex")) ||
                (st = pattern_style(ld, r, "regex")) != CA_OK) {
                if (st == CA_OK)
                    st = lerr(ld, k, "a heading mapping needs 'regex'");
                goto out;
            }
            sb_puts(b, first ? "(?:" : "|(?:");
            sb_put(b, r->val, r->len);
            sb_puts(b, ")");
            first = false;
        } else {
            kids[nw++] = list->kids[i];
        }
    }
    if (nw) {
        words.kids = kids;
        words.nkids = nw;
        if (!first)
            sb_puts(b, "|");
        st = put_words(ld, &words, key, b);
    }
out:
    free(kids);
    return st;
}

/* ---- modifiers ---- */

/* A phrase may appear once among a modifier's before, after and both
 * lists: the same words before and after are written under both. */
static enum ca_status no_repeats(struct ld *ld, const struct ynode *m,
                                 const char *key)
{
    static const char *const lists[] = {"before", "after", "both"};
    size_t a, b, i, j;

    for (a = 0; a < 3; a++)
        for (b = a; b < 3; b++) {
            const struct ynode *x = map_get(m, lists[a]),
                               *y = map_get(m, lists[b]);

            if (!x || !y || x->kind != YN_SEQ || y->kind != YN_SEQ)
                continue;
            for (i = 0; i < x->nkids; i++)
                for (j = a == b ? i + 1 : 0; j < y->nkids; j++) {
                    const struct ynode *p = x->kids[i], *q = y->kids[j];

                    if (p->kind == YN_SCALAR && q->kind == YN_SCALAR &&
                        strcasecmp(p->val, q->val) == 0)
                        return lerr(ld, q,
                                    "'%.60s' is listed twice in %s (%s and "
                                    "%s); a trigger that reaches both ways "
                                    "goes under 'both'",
                                    q->val, key, lists[a], lists[b]);
                }
        }
    return CA_OK;
}

/* Triggers of list key of modifier idx (or pseudo, breaks): the weight of
 * each is its written length, so that the longest wins. */
static enum ca_status add_triggers(struct ld *ld, struct lexicon *lx,
                                   const struct ynode *list, const char *key,
                                   enum lx_kind kind, size_t idx)
{
    size_t i;
    enum ca_status st = want_kind(ld, list, YN_SEQ, key);

    if (st != CA_OK)
        return st;
    for (i = 0; i < list->nkids; i++) {
        const struct ynode *k = list->kids[i], *r;
        struct lx_use u = {(uint8_t)kind, (uint16_t)idx, 0};
        struct ynode one;

        r = k->kind == YN_MAP ? map_get(k, "regex") : NULL;
        u.weight = (uint32_t)(r ? r->len : k->len);
        /* one item at a time, so that each carries its own weight */
        one = *list;
        one.kids = (struct ynode **)&list->kids[i];
        one.nkids = 1;
        if ((st = add_items(ld, lx, &one, key, &u, false)) != CA_OK)
            return st;
    }
    return CA_OK;
}

static enum ca_status get_modifier(struct ld *ld, struct lexicon *lx,
                                   const struct ynode *name,
                                   const struct ynode *m)
{
    static const char *const keys[] = {
        "description", "before",      "after", "both",         "headings",
        "scope",       "after_scope", "lists", "lists_except", "scope_ends"};
    static const char *const ends[] = {"clause", "sentence"};
    static const char *const lists[] = {"before", "after", "both"};
    static const enum lx_kind kinds[] = {LXK_BEFORE, LXK_AFTER, LXK_BOTH};
    struct modifier *mod;
    const struct ynode *v;
    char key[96];
    enum ca_status st;
    size_t idx = lx->nmods, i;
    int x;

    if (lx->nmods >= LEX_MAX_MODIFIERS)
        return lerr(ld, name, "at most %d modifiers", LEX_MAX_MODIFIERS);
    if (!is_name(name->val))
        return lerr(ld, name,
                    "a modifier's name is a word of letters, digits and "
                    "'-' (at most 48), not '%.60s'",
                    name->val);
    if ((st = want_kind(ld, m, YN_MAP, name->val)) != CA_OK)
        return st;
    snprintf(key, sizeof(key), "modifier '%s'", name->val);
    if ((st = check_keys(ld, m, keys, 10, key)) != CA_OK)
        return st;
    if ((st = no_repeats(ld, m, key)) != CA_OK)
        return st;
    mod = &lx->mods[lx->nmods++];
    memset(mod, 0, sizeof(*mod));
    mod->name = strdup(name->val);
    if (!mod->name)
        return oom(ld);
    mod->line = name->line;
    mod->col = name->col;
    mod->before_scope = DEFAULT_BEFORE_SCOPE;
    mod->after_scope = DEFAULT_AFTER_SCOPE;
    if ((v = map_get(m, "scope")) &&
        (st = get_int(ld, v, "scope", 1, 40, &mod->before_scope)) != CA_OK)
        return st;
    if ((v = map_get(m, "scope_ends"))) {
        if ((st = get_enum(ld, v, "scope_ends", ends, 2, &x)) != CA_OK)
            return st;
        mod->sentence = x == 1;
    }
    if ((v = map_get(m, "after_scope")) &&
        (st = get_int(ld, v, "after_scope", 1, 40, &mod->after_scope)) != CA_OK)
        return st;
    if (!map_get(m, "before") && !map_get(m, "after") && !map_get(m, "both") &&
        !map_get(m, "headings"))
        return lerr(ld, m, "%s needs 'before', 'after', 'both' or 'headings'",
                    key);
    for (i = 0; i < 3; i++) {
        snprintf(key, sizeof(key), "modifiers.%s.%s", name->val, lists[i]);
        if ((v = map_get(m, lists[i])) &&
            (st = add_triggers(ld, lx, v, key, kinds[i], idx)) != CA_OK)
            return st;
    }
    if ((v = map_get(m, "headings"))) {
        struct sb b = {NULL, 0, 0, false};

        snprintf(key, sizeof(key), "modifiers.%s.headings", name->val);
        if ((st = want_kind(ld, v, YN_SEQ, key)) != CA_OK)
            return st;
        sb_puts(&b, "^(?:");
        st = put_headings(ld, v, key, &b);
        sb_puts(&b, ")$");
        if (st == CA_OK && b.oom)
            st = oom(ld);
        if (st == CA_OK)
            st = compile_at(ld, v, false, key, b.p, b.n, 0, &mod->headings);
        free(b.p);
        if (st != CA_OK)
            return st;
    }
    return lexicon_get_lists(ld, lx, name, m, idx);
}

static enum ca_status get_blocked_by(struct ld *ld, const struct lexicon *lx,
                                     const struct ynode *v, const char *key,
                                     uint32_t *mask)
{
    size_t i;
    enum ca_status st = want_kind(ld, v, YN_SEQ, key);

    if (st != CA_OK)
        return st;
    *mask = 0;
    for (i = 0; i < v->nkids; i++) {
        const struct ynode *k = v->kids[i];
        int m;

        if (k->kind != YN_SCALAR)
            return lerr(ld, k, "each item of '%s' must be a modifier's name",
                        key);
        m = lexicon_modifier(lx, k->val);
        if (m < 0) {
            const char *names[LEX_MAX_MODIFIERS];
            size_t j;
            int x;

            for (j = 0; j < lx->nmods; j++)
                names[j] = lx->mods[j].name;
            return get_enum(ld, k, key, names, lx->nmods, &x);
        }
        *mask |= (uint32_t)1 << m;
    }
    return CA_OK;
}

enum ca_status lexicon_modifier_mask(struct ld *ld, const struct lexicon *lx,
                                     const struct ynode *v, const char *key,
                                     uint32_t *mask)
{
    return get_blocked_by(ld, lx, v, key, mask);
}

/* members[c]: c and every concept that includes c, however deep; below[c]
 * every concept c includes, however deep. */
static enum ca_status close_members(struct ld *ld, struct lexicon *lx,
                                    const struct ynode *n)
{
    size_t d, c, k, top;
    size_t stack[LEX_MAX_CONCEPTS * 4];
    int depth[LEX_MAX_CONCEPTS * 4];

    for (c = 0; c < lx->nconcepts; c++)
        lx_set_add(&lx->concepts[c].members, c);
    for (d = 0; d < lx->nconcepts; d++) {
        top = 0;
        stack[top] = d;
        depth[top++] = 0;
        while (top) {
            size_t x = stack[--top];
            int dx = depth[top];
            const struct concept *cx = &lx->concepts[x];

            for (k = 0; k < cx->nincludes; k++) {
                size_t y = cx->includes[k];

                if (y == d || dx > 16)
                    return lerr(ld, n->kids[2 * d],
                                "concept '%s' includes itself (through "
                                "'%s')",
                                lx->concepts[d].name, cx->name);
                if (lx_set_has(&lx->concepts[y].members, d))
                    continue;
                lx_set_add(&lx->concepts[y].members, d);
                lx_set_add(&lx->concepts[d].below, y);
                if (top < sizeof(stack) / sizeof(stack[0])) {
                    stack[top] = y;
                    depth[top++] = dx + 1;
                }
            }
        }
    }
    return CA_OK;
}

static enum ca_status get_concepts(struct ld *ld, struct lexicon *lx,
                                   const struct ynode *n)
{
    static const char *const keys[] = {
        "description",  "terms",        "include",          "blocked_by",
        "retracted_by", "retract_same", "supervisor_needs", "needs"};
    size_t i, k, nc;
    enum ca_status st = want_kind(ld, n, YN_MAP, "concepts");

    if (st != CA_OK)
        return st;
    nc = n->nkids / 2;
    if (nc == 0)
        return lerr(ld, n, "'concepts' is empty");
    /* the YAML reader refuses a mapping of more than 256 keys before this,
     * naming the first key too many */
    if (nc > LEX_MAX_CONCEPTS)
        return lerr(ld, n->kids[2 * LEX_MAX_CONCEPTS],
                    "at most %d concepts in a lexicon", LEX_MAX_CONCEPTS);
    lx->concepts = calloc(nc, sizeof(*lx->concepts));
    if (!lx->concepts)
        return oom(ld);
    /* names first, so that includes may point forward */
    for (i = 0; i < nc; i++) {
        const struct ynode *name = n->kids[2 * i];
        struct concept *c = &lx->concepts[i];

        if (!is_name(name->val))
            return lerr(ld, name,
                        "a concept's name is a word of letters, digits and "
                        "'-' (at most 48), not '%.60s'",
                        name->val);
        c->name = strdup(name->val);
        lx->nconcepts = i + 1;
        if (!c->name)
            return oom(ld);
        c->line = name->line;
        c->col = name->col;
    }
    for (i = 0; i < nc; i++) {
        const struct ynode *m = n->kids[2 * i + 1], *v;
        struct concept *c = &lx->concepts[i];
        char key[96];

        snprintf(key, sizeof(key), "concept '%s'", c->name);
        if ((st = want_kind(ld, m, YN_MAP, key)) != CA_OK ||
            (st = check_keys(ld, m, keys, 8, key)) != CA_OK)
            return st;
        if (!map_get(m, "terms") && !map_get(m, "include"))
            return lerr(ld, m, "%s needs 'terms' or 'include'", key);
        c->blocked_by = lx->nmods ? ((uint32_t)1 << lx->nmods) - 1 : 0;
        if ((v = map_get(m, "blocked_by")) &&
            (st = get_blocked_by(ld, lx, v, "blocked_by", &c->blocked_by)) !=
                CA_OK)
            return st;
        c->own_blocked_by = v != NULL;
        if ((v = map_get(m, "retracted_by"))) {
            if ((st = get_blocked_by(ld, lx, v, "retracted_by",
                                     &c->retracted_by)) != CA_OK)
                return st;
            if (!c->retracted_by)
                return lerr(ld, v,
                            "'retracted_by' of concept '%s' names no "
                            "modifier",
                            c->name);
            if (map_get(m, "include"))
                return lerr(ld, v,
                            "'retracted_by' goes with a concept's own "
                            "'terms', not with 'include' (concept '%s')",
                            c->name);
            lx_set_add(&lx->retractable, i);
        }
        if ((v = map_get(m, "supervisor_needs")) &&
            (st = lexicon_get_needs(ld, lx, v, c, true)) != CA_OK)
            return st;
        if ((v = map_get(m, "needs"))) {
            if ((st = lexicon_get_needs(ld, lx, v, c, false)) != CA_OK)
                return st;
            lx_set_add(&lx->with_needs, i);
        }
        if ((v = map_get(m, "retract_same"))) {
            static const char *const same[] = {"concept", "thing"};
            int x;

            if (!c->retracted_by)
                return lerr(ld, v,
                            "'retract_same' goes with 'retracted_by' "
                            "(concept '%s')",
                            c->name);
            if ((st = get_enum(ld, v, "retract_same", same, 2, &x)) != CA_OK)
                return st;
            c->retract_thing = x == 1;
        }
        if ((v = map_get(m, "include"))) {
            if ((st = want_kind(ld, v, YN_SEQ, "include")) != CA_OK)
                return st;
            c->includes = calloc(v->nkids ? v->nkids : 1, sizeof(size_t));
            if (!c->includes)
                return oom(ld);
            for (k = 0; k < v->nkids; k++) {
                const struct ynode *x = v->kids[k];
                int j = x->kind == YN_SCALAR ? lexicon_concept(lx, x->val) : -1;

                if (j < 0)
                    return lerr(ld, x, "'include' names no concept: '%.60s'",
                                x->kind == YN_SCALAR ? x->val : "");
                c->includes[c->nincludes++] = (size_t)j;
            }
        }
    }
    if ((st = close_members(ld, lx, n)) != CA_OK)
        return st;
    for (i = 0; i < nc; i++) {
        const struct ynode *m = n->kids[2 * i + 1], *v;
        struct lx_use u = {LXK_TERM, (uint16_t)i, 0};
        char key[96];

        snprintf(key, sizeof(key), "concepts.%s.terms", lx->concepts[i].name);
        if ((v = map_get(m, "terms")) &&
            (st = add_items(ld, lx, v, key, &u, true)) != CA_OK)
            return st;
    }
    return CA_OK;
}

/* ---- forms ---- */

/*
 * A section heading is tried only on labels that hold one of the literals
 * of its modifier's headings (engine/prefilter.c): most labels of a form
 * ("Update:", "Result:") are no heading, and the headings are long
 * alternations.  A modifier without headings, or with headings that give
 * no literals, is in headings_always.
 */
static enum ca_status headings_prefilter(struct ld *ld, struct lexicon *lx)
{
    const char *srcs[LEX_MAX_MODIFIERS];
    size_t k;
    bool any = false;

    for (k = 0; k < lx->nmods; k++) {
        srcs[k] = lx->mods[k].headings.src ? lx->mods[k].headings.src : "";
        any = any || lx->mods[k].headings.code;
    }
    if (!any)
        return CA_OK;
    lx->headings_pf = prefilter_new(srcs, lx->nmods, &lx->headings_always);
    return lx->headings_pf ? CA_OK : oom(ld);
}

/* Phrases that hold a term and are not one: a term matched within one
 * counts for no concept.  Phrases only, so that every scan sees them
 * before the terms they hide. */
static enum ca_status get_pseudo_terms(struct ld *ld, struct lexicon *lx,
                                       const struct ynode *v)
{
    struct lx_use u = {LXK_PSEUDO_TERM, 0, 0};
    enum ca_status st = want_kind(ld, v, YN_SEQ, "pseudo_terms");
    size_t i;

    if (st != CA_OK)
        return st;
    for (i = 0; i < v->nkids; i++)
        if (v->kids[i]->kind != YN_SCALAR)
            return lerr(ld, v->kids[i],
                        "each item of 'pseudo_terms' must be a phrase");
    if ((st = add_items(ld, lx, v, "pseudo_terms", &u, false)) != CA_OK)
        return st;
    lx->has_pseudo_terms = true;
    return CA_OK;
}

/* ---- the file ---- */

static enum ca_status load_tree(struct ld *ld, struct lexicon *lx,
                                const struct ynode *root)
{
    static const char *const top[] = {
        "version", "description", "modifiers", "pseudo",   "pseudo_terms",
        "breaks",  "joins",       "forms",     "concepts", "typos"};
    const struct ynode *v;
    enum ca_status st;
    size_t i;

    if (!root || root->kind != YN_MAP)
        return lerr(ld, root,
                    "a lexicon is a mapping (version:, modifiers:, "
                    "concepts:, ...)");
    lx->forms_mod = -1;
    lx->lists_mod = -1;
    if ((st = check_keys(ld, root, top, 10, "a lexicon")) != CA_OK)
        return st;
    if (!(v = map_get(root, "version")) || v->kind != YN_SCALAR ||
        v->len == 0 || v->len > 40)
        return lerr(ld, v ? v : root,
                    "a lexicon needs 'version:' (a short text, e.g. '3')");
    lx->version = strdup(v->val);
    if (!lx->version)
        return oom(ld);
    if (!(v = map_get(root, "modifiers")))
        return lerr(ld, root, "a lexicon needs 'modifiers:'");
    if ((st = want_kind(ld, v, YN_MAP, "modifiers")) != CA_OK)
        return st;
    for (i = 0; i + 1 < v->nkids; i += 2)
        if ((st = get_modifier(ld, lx, v->kids[i], v->kids[i + 1])) != CA_OK)
            return st;
    if ((v = map_get(root, "pseudo")) &&
        (st = add_triggers(ld, lx, v, "pseudo", LXK_PSEUDO, 0)) != CA_OK)
        return st;
    if ((v = map_get(root, "pseudo_terms")) &&
        (st = get_pseudo_terms(ld, lx, v)) != CA_OK)
        return st;
    if ((v = map_get(root, "breaks")) &&
        (st = add_triggers(ld, lx, v, "breaks", LXK_BREAK, 0)) != CA_OK)
        return st;
    if ((v = map_get(root, "joins")) &&
        (st = add_triggers(ld, lx, v, "joins", LXK_JOIN, 0)) != CA_OK)
        return st;
    if ((v = map_get(root, "forms")) &&
        (st = lexicon_get_forms(ld, lx, v)) != CA_OK)
        return st;
    if ((v = map_get(root, "typos")) && (st = get_typos(ld, lx, v)) != CA_OK)
        return st;
    if (!(v = map_get(root, "concepts")))
        return lerr(ld, root, "a lexicon needs 'concepts:'");
    if ((st = get_concepts(ld, lx, v)) != CA_OK)
        return st;
    if (lx->nregexes) {
        const char *srcs[LEX_MAX_REGEXES];

        for (i = 0; i < lx->nregexes; i++) {
            const struct lx_regex *r = &lx->regexes[i];
            const struct lx_set *in = &r->concepts;
            size_t c;

            srcs[i] = r->re.src;
            if (r->use.kind != LXK_TERM) {
                lx_set_add(&lx->trigger_rx, i);
                continue;
            }
            lx_set_add(&lx->term_rx, i);
            if (lx_set_meets(in, &lx->retractable))
                lx_set_add(&lx->retract_rx, i);
            /* the concepts it counts for */
            for (c = lx_set_next(in, 0); c < LX_SET_MAX;
                 c = lx_set_next(in, c + 1))
                lx_set_add(&lx->concepts[c].regexes, i);
        }
        lx->rx_words = (lx->nregexes + 63) / 64;
        lx->regex_pf = prefilter_new(srcs, lx->nregexes, &lx->regex_always);
        if (!lx->regex_pf)
            return oom(ld);
    }
    if ((st = headings_prefilter(ld, lx)) != CA_OK)
        return st;
    if ((st = add_typos(ld, lx)) != CA_OK)
        return st;
    free(lx->load_idx);
    lx->load_idx = NULL;
    lx->load_cap = 0;
    return lexscan_index(lx) ? CA_OK : oom(ld);
}

enum ca_status lexicon_load(const char *path, struct lexicon **out,
                            struct ca_error *err)
{
    struct lexicon *lx;
    struct ysrc src = {path, NULL, 0, NULL, 0, NULL};
    struct ynode *root = NULL;
    struct ld ld;
    char *text = NULL;
    size_t len;
    FILE *fp;
    enum ca_status st;

    *out = NULL;
    memset(&ld, 0, sizeof(ld));
    ld.src = &src;
    ld.path = path;
    ld.err = err;
    fp = fopen(path, "rb");
    if (!fp)
        return ca_error_set(err, CA_DATA, path, 0, NULL,
                            "unable to open the lexicon");
    text = malloc(MAX_LEXICON_FILE + 1);
    if (!text) {
        fclose(fp);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    }
    len = fread(text, 1, MAX_LEXICON_FILE + 1, fp);
    if (ferror(fp) || len > MAX_LEXICON_FILE) {
        fclose(fp);
        free(text);
        return ca_error_set(err, CA_DATA, path, 0, NULL,
                            len > MAX_LEXICON_FILE
                                ? "the lexicon is larger than 4 MiB"
                                : "unable to read the lexicon");
    }
    fclose(fp);
    text[len] = '\0';
    src.text = text;
    src.len = len;
    lx = calloc(1, sizeof(*lx));
    if (!lx) {
        free(text);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    }
    {
        static uint64_t serials;

        lx->serial = __atomic_add_fetch(&serials, 1, __ATOMIC_RELAXED);
    }
    lx->path = strdup(path);
    st = lx->path ? ytree_parse(&src, &root, err) : oom(&ld);
    if (st == CA_OK)
        st = load_tree(&ld, lx, root);
    ytree_free(root);
    ysrc_release(&src);
    free(text);
    if (st != CA_OK) {
        lexicon_free(lx);
        return st;
    }
    *out = lx;
    return CA_OK;
}
