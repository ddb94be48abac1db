/* SPDX-License-Identifier: MIT */
/*
 * Loading the context lexicon (rules/lexicon.yaml; docs/rule-format.md,
 * "Concepts and context"): the one place audit staff keep the vocabulary
 * rules share.  It is loaded as strictly as a rule file (unknown or
 * duplicate keys, bad patterns and unknown names are errors with
 * file:line:col) and compiled once:
 *
 *   - every concept into one PCRE2 pattern of all its terms (its own and
 *     those of the concepts it includes), caseless, with only named groups
 *     capturing: a term "things ... done" marks its done-word as the anchor
 *     `(?<done>...)`, the part whose context decides whether it counts;
 *   - every trigger of every modifier, the pseudo-triggers and the words
 *     that end a clause into one pattern whose alternatives are tried
 *     longest first (the longest trigger wins, as in ConText) and carry a
 *     (*MARK) naming what they are;
 *   - every modifier's section headings into a full-match pattern.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define MAX_LEXICON_FILE (4 * 1024 * 1024)
#define MAX_ITEMS 4000
#define DEFAULT_BEFORE_SCOPE 6
#define DEFAULT_AFTER_SCOPE 4
#define DEFAULT_WITHIN 4

/* One term or trigger as written. */
struct item {
    const struct ynode *node;
    const char *phrase; /* a word or phrase (words: semantics) */
    const char *regex;  /* or a regex */
    size_t regex_len;
    /* or a pair: any of things and any of done, within words apart */
    const struct ynode *things, *done;
    int within;
};

/* A growable string for building patterns. */
struct sb {
    char *p;
    size_t n, cap;
    bool oom;
};

static void sb_put(struct sb *b, const char *s, size_t len)
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

static void sb_puts(struct sb *b, const char *s)
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
    }
    for (i = 0; i < lx->nconcepts; i++) {
        free(lx->concepts[i].name);
        pattern_release(&lx->concepts[i].re);
        free(lx->concepts[i].includes);
    }
    free(lx->concepts);
    pcre2_code_free(lx->events);
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

static enum ca_status phrase_ok(struct ld *ld, const struct ynode *k,
                                const char *key)
{
    size_t j;
    bool blank = true;

    for (j = 0; j < k->len; j++)
        if (!isspace((unsigned char)k->val[j]))
            blank = false;
    if (blank || k->len > 200)
        return lerr(ld, k,
                    "each item of '%s' must be a non-empty phrase of at "
                    "most 200 bytes",
                    key);
    return CA_OK;
}

/*
 * Read a list of items: phrases, { regex: '...' }, and (when pairs) {
 * things: [...], done: [...], within: N }.
 */
static enum ca_status get_items(struct ld *ld, const struct ynode *n,
                                const char *key, bool pairs, struct item **out,
                                size_t *nout)
{
    static const char *const k_pair[] = {"regex", "things", "done", "within"};
    struct item *v;
    size_t i;
    enum ca_status st = want_kind(ld, n, YN_SEQ, key);

    *out = NULL;
    *nout = 0;
    if (st != CA_OK)
        return st;
    if (n->nkids == 0 || n->nkids > MAX_ITEMS)
        return lerr(ld, n, "'%s' must list 1 to %d items", key, MAX_ITEMS);
    v = calloc(n->nkids, sizeof(*v));
    if (!v)
        return oom(ld);
    for (i = 0; i < n->nkids; i++) {
        const struct ynode *k = n->kids[i], *x;
        struct item *it = &v[i];

        it->node = k;
        if (k->kind == YN_SCALAR) {
            if ((st = phrase_ok(ld, k, key)) != CA_OK)
                goto fail;
            it->phrase = k->val;
            continue;
        }
        if (k->kind != YN_MAP) {
            st = lerr(ld, k, "each item of '%s' must be a phrase or a mapping",
                      key);
            goto fail;
        }
        if ((st = check_keys(ld, k, k_pair, pairs ? 4 : 1,
                             pairs ? "a term" : "a trigger")) != CA_OK)
            goto fail;
        if ((x = map_get(k, "regex"))) {
            if (map_get(k, "things") || map_get(k, "done")) {
                st = lerr(ld, k, "a term is a 'regex' or 'things' with "
                                 "'done', not both");
                goto fail;
            }
            if ((st = pattern_style(ld, x, "regex")) != CA_OK)
                goto fail;
            it->regex = x->val;
            it->regex_len = x->len;
            while (it->regex_len && x->val[it->regex_len - 1] == '\n')
                it->regex_len--;
            if (it->regex_len == 0) {
                st = lerr(ld, x, "'regex' is empty");
                goto fail;
            }
            continue;
        }
        it->things = map_get(k, "things");
        it->done = map_get(k, "done");
        if (!it->things || !it->done) {
            st = lerr(ld, k, "a term mapping needs 'things' and 'done' (or "
                             "'regex')");
            goto fail;
        }
        if ((st = want_kind(ld, it->things, YN_SEQ, "things")) != CA_OK ||
            (st = want_kind(ld, it->done, YN_SEQ, "done")) != CA_OK)
            goto fail;
        it->within = DEFAULT_WITHIN;
        if ((x = map_get(k, "within")) &&
            (st = get_int(ld, x, "within", 1, 12, &it->within)) != CA_OK)
            goto fail;
    }
    *out = v;
    *nout = n->nkids;
    return CA_OK;
fail:
    free(v);
    return st;
}

/* Append the words pattern of the scalars of list (phrases) to b. */
static enum ca_status put_words(struct ld *ld, const struct ynode *list,
                                const char *key, struct sb *b)
{
    const char **w;
    char *pat;
    size_t i, size = 64;
    long len;
    enum ca_status st = CA_OK;

    if (list->nkids == 0 || list->nkids > MAX_ITEMS)
        return lerr(ld, list, "'%s' must list 1 to %d phrases", key,
                    MAX_ITEMS);
    w = calloc(list->nkids, sizeof(*w));
    if (!w)
        return oom(ld);
    for (i = 0; i < list->nkids; i++) {
        const struct ynode *k = list->kids[i];

        if (k->kind != YN_SCALAR) {
            st = lerr(ld, k, "each item of '%s' must be a phrase", key);
            goto out;
        }
        if ((st = phrase_ok(ld, k, key)) != CA_OK)
            goto out;
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

/* The pattern of one item (as a group), appended to b. */
static enum ca_status put_item(struct ld *ld, const struct item *it,
                               const char *key, struct sb *b)
{
    /* a separator inside a clause, and a word */
    static const char sep[] = "[^\\w.;!?,:\\n]+";
    static const char word[] = "[\\w'\xE2\x80\x99/&]+";
    char gap[96];
    enum ca_status st;

    if (it->phrase) {
        const char *w[1] = {it->phrase};
        char pat[4096];
        long len = words_pattern(w, 1, false, pat, sizeof(pat));

        if (len < 0)
            return lerr(ld, it->node, "the phrase is too long");
        sb_put(b, pat, (size_t)len);
        return CA_OK;
    }
    if (it->regex) {
        sb_puts(b, "(?:");
        sb_put(b, it->regex, it->regex_len);
        sb_puts(b, ")");
        return CA_OK;
    }
    /* things ... done, or done ... things, at most `within` words apart */
    snprintf(gap, sizeof(gap), "(?:%s%s){0,%d}?%s", sep, word, it->within - 1,
             sep);
    sb_puts(b, "(?:");
    if ((st = put_words(ld, it->things, "things", b)) != CA_OK)
        return st;
    sb_puts(b, gap);
    sb_puts(b, "(?<done>");
    if ((st = put_words(ld, it->done, "done", b)) != CA_OK)
        return st;
    sb_puts(b, ")|(?<done>");
    if ((st = put_words(ld, it->done, "done", b)) != CA_OK)
        return st;
    sb_puts(b, ")");
    sb_puts(b, gap);
    if ((st = put_words(ld, it->things, "things", b)) != CA_OK)
        return st;
    sb_puts(b, ")");
    (void)key;
    return CA_OK;
}

/* ---- modifiers ---- */

/* What the event pattern is built from before sorting. */
struct event {
    char *pat;
    size_t weight; /* length of the phrase as written: longest first */
    char mark[8];
};

struct events {
    struct event *v;
    size_t n, alloc;
};

static enum ca_status add_events(struct ld *ld, struct events *ev,
                                 const struct ynode *list, const char *key,
                                 const char *mark)
{
    struct item *items = NULL;
    size_t n = 0, i;
    enum ca_status st = get_items(ld, list, key, false, &items, &n);

    if (st != CA_OK)
        return st;
    for (i = 0; i < n && st == CA_OK; i++) {
        struct sb b = {NULL, 0, 0, false};
        struct event *e;

        if ((st = put_item(ld, &items[i], key, &b)) != CA_OK) {
            free(b.p);
            break;
        }
        if (b.oom) {
            st = oom(ld);
            break;
        }
        if (ev->n == ev->alloc) {
            size_t cap = ev->alloc ? ev->alloc * 2 : 64;
            struct event *v = realloc(ev->v, cap * sizeof(*v));

            if (!v) {
                free(b.p);
                st = oom(ld);
                break;
            }
            ev->v = v;
            ev->alloc = cap;
        }
        e = &ev->v[ev->n++];
        e->pat = b.p;
        e->weight = items[i].phrase ? strlen(items[i].phrase)
                                    : items[i].regex_len;
        snprintf(e->mark, sizeof(e->mark), "%s", mark);
        {
            /* each trigger compiles alone too, for an exact error place */
            struct pattern tmp = {NULL, NULL};
            st = compile_at(ld, items[i].node, false, key, e->pat,
                            strlen(e->pat), 0, &tmp);
            pattern_release(&tmp);
        }
    }
    free(items);
    return st;
}

static int cmp_event(const void *a, const void *b)
{
    const struct event *x = a, *y = b;

    return x->weight < y->weight ? 1 : x->weight > y->weight ? -1 : 0;
}

static enum ca_status build_events(struct ld *ld, struct lexicon *lx,
                                   struct events *ev, const struct ynode *at)
{
    struct sb b = {NULL, 0, 0, false};
    size_t i;
    int ec;
    PCRE2_SIZE eo;

    /* a stable sort by weight, longest first */
    for (i = 0; i < ev->n; i++)
        ev->v[i].weight = ev->v[i].weight * 65536 + (65535 - (i & 0xFFFF));
    qsort(ev->v, ev->n, sizeof(*ev->v), cmp_event);
    sb_puts(&b, "(?:");
    for (i = 0; i < ev->n; i++) {
        if (i)
            sb_puts(&b, "|");
        sb_puts(&b, ev->v[i].pat);
        sb_puts(&b, "(*MARK:");
        sb_puts(&b, ev->v[i].mark);
        sb_puts(&b, ")");
    }
    sb_puts(&b, ")");
    if (b.oom)
        return oom(ld);
    lx->events = pcre2_compile((PCRE2_SPTR)b.p, b.n,
                               PCRE2_UTF | PCRE2_CASELESS |
                                   PCRE2_NEVER_BACKSLASH_C |
                                   PCRE2_NO_AUTO_CAPTURE | PCRE2_DUPNAMES,
                               &ec, &eo, NULL);
    free(b.p);
    if (!lx->events) {
        PCRE2_UCHAR m[200];
        pcre2_get_error_message(ec, m, sizeof(m));
        return lerr(ld, at, "the triggers do not compile together: %s",
                    (const char *)m);
    }
    (void)pcre2_jit_compile(lx->events, PCRE2_JIT_COMPLETE);
    return CA_OK;
}

static enum ca_status get_modifier(struct ld *ld, struct lexicon *lx,
                                   const struct ynode *name,
                                   const struct ynode *m, struct events *ev)
{
    static const char *const keys[] = {"description", "before", "after",
                                       "headings",    "scope",  "after_scope"};
    struct modifier *mod;
    const struct ynode *v;
    char mark[8], key[96];
    enum ca_status st;
    size_t idx = lx->nmods;

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
    if ((st = check_keys(ld, m, keys, 6, key)) != CA_OK)
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
    if ((v = map_get(m, "after_scope")) &&
        (st = get_int(ld, v, "after_scope", 1, 40, &mod->after_scope)) !=
            CA_OK)
        return st;
    if (!map_get(m, "before") && !map_get(m, "after") &&
        !map_get(m, "headings"))
        return lerr(ld, m, "%s needs 'before', 'after' or 'headings'", key);
    snprintf(mark, sizeof(mark), "b%zu", idx);
    snprintf(key, sizeof(key), "modifiers.%s.before", name->val);
    if ((v = map_get(m, "before")) &&
        (st = add_events(ld, ev, v, key, mark)) != CA_OK)
        return st;
    snprintf(mark, sizeof(mark), "a%zu", idx);
    snprintf(key, sizeof(key), "modifiers.%s.after", name->val);
    if ((v = map_get(m, "after")) &&
        (st = add_events(ld, ev, v, key, mark)) != CA_OK)
        return st;
    if ((v = map_get(m, "headings"))) {
        struct sb b = {NULL, 0, 0, false};

        snprintf(key, sizeof(key), "modifiers.%s.headings", name->val);
        if ((st = want_kind(ld, v, YN_SEQ, key)) != CA_OK)
            return st;
        sb_puts(&b, "^(?:");
        st = put_words(ld, v, key, &b);
        sb_puts(&b, ")$");
        if (st == CA_OK && b.oom)
            st = oom(ld);
        if (st == CA_OK)
            st = compile_at(ld, v, false, key, b.p, b.n, 0, &mod->headings);
        free(b.p);
        if (st != CA_OK)
            return st;
    }
    return CA_OK;
}

/* ---- concepts ---- */

struct concept_src {
    const struct ynode *node; /* the concept's mapping */
    struct item *items;
    size_t nitems;
    int state; /* 0 new, 1 building (cycle check), 2 built */
};

static enum ca_status put_concept_terms(struct ld *ld, struct lexicon *lx,
                                        struct concept_src *cs, size_t i,
                                        struct sb *b, bool *first, int depth)
{
    struct concept *c = &lx->concepts[i];
    size_t k;
    enum ca_status st;

    if (depth > 16)
        return lerr(ld, cs[i].node, "concepts include each other too deeply");
    for (k = 0; k < cs[i].nitems; k++) {
        if (!*first)
            sb_puts(b, "|");
        *first = false;
        if ((st = put_item(ld, &cs[i].items[k], "terms", b)) != CA_OK)
            return st;
    }
    for (k = 0; k < c->nincludes; k++) {
        size_t j = c->includes[k];

        if (cs[j].state == 1)
            return lerr(ld, cs[i].node,
                        "concept '%s' includes itself (through '%s')", c->name,
                        lx->concepts[j].name);
        cs[j].state = 1;
        st = put_concept_terms(ld, lx, cs, j, b, first, depth + 1);
        cs[j].state = 0;
        if (st != CA_OK)
            return st;
    }
    return CA_OK;
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

enum ca_status lexicon_blocked_by(struct ld *ld, const struct ynode *v,
                                  const char *key, uint32_t *mask)
{
    return get_blocked_by(ld, ld->lex, v, key, mask);
}

static enum ca_status get_concepts(struct ld *ld, struct lexicon *lx,
                                   const struct ynode *n)
{
    static const char *const keys[] = {"description", "terms", "include",
                                       "blocked_by"};
    struct concept_src *cs = NULL;
    size_t i, k, nc;
    enum ca_status st = want_kind(ld, n, YN_MAP, "concepts");

    if (st != CA_OK)
        return st;
    nc = n->nkids / 2;
    if (nc == 0)
        return lerr(ld, n, "'concepts' is empty");
    lx->concepts = calloc(nc, sizeof(*lx->concepts));
    cs = calloc(nc, sizeof(*cs));
    if (!lx->concepts || !cs) {
        free(cs);
        return oom(ld);
    }
    /* names first, so that includes may point forward */
    for (i = 0; i < nc; i++) {
        const struct ynode *name = n->kids[2 * i];
        struct concept *c = &lx->concepts[i];

        if (!is_name(name->val)) {
            st = lerr(ld, name,
                      "a concept's name is a word of letters, digits and "
                      "'-' (at most 48), not '%.60s'",
                      name->val);
            goto out;
        }
        c->name = strdup(name->val);
        lx->nconcepts = i + 1;
        if (!c->name) {
            st = oom(ld);
            goto out;
        }
        c->line = name->line;
        c->col = name->col;
        cs[i].node = n->kids[2 * i + 1];
    }
    for (i = 0; i < nc; i++) {
        const struct ynode *m = cs[i].node, *v;
        struct concept *c = &lx->concepts[i];
        char key[96];

        snprintf(key, sizeof(key), "concept '%s'", c->name);
        if ((st = want_kind(ld, m, YN_MAP, key)) != CA_OK ||
            (st = check_keys(ld, m, keys, 4, key)) != CA_OK)
            goto out;
        if (!map_get(m, "terms") && !map_get(m, "include")) {
            st = lerr(ld, m, "%s needs 'terms' or 'include'", key);
            goto out;
        }
        if ((v = map_get(m, "terms")) &&
            (st = get_items(ld, v, "terms", true, &cs[i].items,
                            &cs[i].nitems)) != CA_OK)
            goto out;
        c->blocked_by = lx->nmods ? ((uint32_t)1 << lx->nmods) - 1 : 0;
        if ((v = map_get(m, "blocked_by")) &&
            (st = get_blocked_by(ld, lx, v, "blocked_by", &c->blocked_by)) !=
                CA_OK)
            goto out;
        if ((v = map_get(m, "include"))) {
            if ((st = want_kind(ld, v, YN_SEQ, "include")) != CA_OK)
                goto out;
            c->includes = calloc(v->nkids ? v->nkids : 1, sizeof(size_t));
            if (!c->includes) {
                st = oom(ld);
                goto out;
            }
            for (k = 0; k < v->nkids; k++) {
                const struct ynode *x = v->kids[k];
                int j = x->kind == YN_SCALAR ? lexicon_concept(lx, x->val) : -1;

                if (j < 0) {
                    st = lerr(ld, x, "'include' names no concept: '%.60s'",
                              x->kind == YN_SCALAR ? x->val : "");
                    goto out;
                }
                c->includes[c->nincludes++] = (size_t)j;
            }
        }
    }
    for (i = 0; i < nc; i++) {
        struct concept *c = &lx->concepts[i];
        struct sb b = {NULL, 0, 0, false};
        bool first = true;
        uint32_t ncap = 0;
        char key[96];

        snprintf(key, sizeof(key), "concepts.%s", c->name);
        sb_puts(&b, "(?:");
        cs[i].state = 1;
        st = put_concept_terms(ld, lx, cs, i, &b, &first, 0);
        cs[i].state = 0;
        sb_puts(&b, ")");
        if (st == CA_OK && b.oom)
            st = oom(ld);
        if (st == CA_OK)
            st = compile_at(ld, cs[i].node, false, key, b.p, b.n,
                            PCRE2_NO_AUTO_CAPTURE | PCRE2_DUPNAMES, &c->re);
        free(b.p);
        if (st != CA_OK)
            goto out;
        pcre2_pattern_info(c->re.code, PCRE2_INFO_CAPTURECOUNT, &ncap);
        c->anchors = ncap;
    }
    st = CA_OK;
out:
    for (i = 0; i < nc; i++)
        free(cs[i].items);
    free(cs);
    return st;
}

/* ---- the file ---- */

static enum ca_status load_tree(struct ld *ld, struct lexicon *lx,
                                const struct ynode *root)
{
    static const char *const top[] = {"version",  "description", "modifiers",
                                      "pseudo",   "breaks",      "concepts"};
    struct events ev = {NULL, 0, 0};
    const struct ynode *v;
    enum ca_status st;
    size_t i;

    if (!root || root->kind != YN_MAP)
        return lerr(ld, root, "a lexicon is a mapping (version:, modifiers:, "
                              "concepts:, ...)");
    if ((st = check_keys(ld, root, top, 6, "a lexicon")) != CA_OK)
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
        goto out;
    for (i = 0; i + 1 < v->nkids; i += 2)
        if ((st = get_modifier(ld, lx, v->kids[i], v->kids[i + 1], &ev)) !=
            CA_OK)
            goto out;
    if ((v = map_get(root, "pseudo")) &&
        (st = add_events(ld, &ev, v, "pseudo", "p")) != CA_OK)
        goto out;
    if ((v = map_get(root, "breaks")) &&
        (st = add_events(ld, &ev, v, "breaks", "k")) != CA_OK)
        goto out;
    if (ev.n && (st = build_events(ld, lx, &ev, root)) != CA_OK)
        goto out;
    if (!(v = map_get(root, "concepts"))) {
        st = lerr(ld, root, "a lexicon needs 'concepts:'");
        goto out;
    }
    st = get_concepts(ld, lx, v);
out:
    for (i = 0; i < ev.n; i++)
        free(ev.v[i].pat);
    free(ev.v);
    return st;
}

enum ca_status lexicon_load(const char *path, struct lexicon **out,
                            struct ca_error *err)
{
    struct lexicon *lx;
    struct ysrc src = {path, NULL, 0, NULL, 0};
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
