/* SPDX-License-Identifier: MIT */
/*
 * The parts of a lexicon that are patterns of words rather than terms
 * (engine/lexicon.c loads the rest): a modifier's lists: and
 * lists_except: (a label in running text over a numbered list opens its
 * section), a concept's supervisor_needs: (the words a supervisor's entry
 * must hold for its terms to count), and forms: (the pasted forms'
 * placeholders and affirmations, with the patterns built from them).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

/* the spellings put_words_typos makes of one list, at most */
#define LEX_MAX_SPELLINGS 4000

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A phrase of put_words_typos in lower case, every run of blanks and
 * dashes one space, in place. */
static void norm_word(char *t)
{
    size_t r = 0, w = 0;
    bool sep = false;

    for (; t[r]; r++) {
        unsigned char c = (unsigned char)t[r];

        if (c == ' ' || c == '\t' || c == '\n' || c == '-') {
            sep = w > 0;
            continue;
        }
        if (sep)
            t[w++] = ' ';
        sep = false;
        t[w++] = (char)tolower(c);
    }
    t[w] = '\0';
}

/* One character of a phrase as put_words writes it. */
static void trie_char(struct sb *b, unsigned char c)
{
    char esc[3] = {'\\', (char)c, 0};

    if (c == ' ')
        sb_puts(b, "[\\s\\-]+");
    else if (c == '\'')
        sb_puts(b, "['\xE2\x80\x99]");
    else if (c < 0x80 && !isalnum(c))
        sb_puts(b, esc);
    else
        sb_put(b, (const char *)&c, 1);
}

/* The phrases w[0, n) (sorted, the same for their first d bytes) from
 * byte d on, as a regex trie: (?:a(?:...)|b...), optional where one of
 * them ends at d. */
static void trie_emit(struct sb *b, char **w, size_t n, size_t d)
{
    size_t i = 0, k, j, groups = 0;
    bool ends = false, wrap;

    while (i < n && !w[i][d]) { /* ends here: sorted first */
        ends = true;
        i++;
    }
    if (i == n)
        return;
    for (k = i; k < n; k = j, groups++)
        for (j = k + 1; j < n && w[j][d] == w[k][d]; j++)
            ;
    wrap = ends || groups > 1;
    if (wrap)
        sb_puts(b, "(?:");
    for (k = i; k < n; k = j) {
        for (j = k + 1; j < n && w[j][d] == w[k][d]; j++)
            ;
        if (k > i)
            sb_puts(b, "|");
        trie_char(b, (unsigned char)w[k][d]);
        trie_emit(b, w + k, j - k, d + 1);
    }
    if (wrap)
        sb_puts(b, ends ? ")?" : ")");
}

/* Append a copy of t[0, n) to the list *texts (*n of *cap). */
static enum ca_status add_text(struct ld *ld, char ***texts, size_t *n,
                               size_t *cap, const char *t, size_t len)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        char **v = realloc(*texts, nc * sizeof(*v));

        if (!v)
            return oom(ld);
        *texts = v;
        *cap = nc;
    }
    if (!((*texts)[*n] = strndup(t, len)))
        return oom(ld);
    (*n)++;
    return CA_OK;
}

/*
 * As put_words, and every word of typo_min letters or more of each phrase
 * also misspelt as the lexicon's phrases are (one letter left out or two
 * neighbours swapped, never the first letter nor the last left out, never
 * a spelling typos.except lists; one edit per phrase): the words of
 * `needs` and `supervisor_needs` are as often misspelt as the terms.
 */
static enum ca_status put_words_typos(struct ld *ld, const struct lexicon *lx,
                                      const struct ynode *list, const char *key,
                                      struct sb *b)
{
    char **texts = NULL;
    size_t i, n = 0, cap = 0;
    enum ca_status st = CA_OK;

    if (lx->typo_min <= 0 || list->kind != YN_SEQ)
        return put_words(ld, list, key, b);
    for (i = 0; i < list->nkids; i++)
        if (list->kids[i]->kind != YN_SCALAR || list->kids[i]->len >= 256)
            return put_words(ld, list, key, b); /* which says what is wrong */
    for (i = 0; i < list->nkids && st == CA_OK; i++) {
        const struct ynode *k = list->kids[i];
        size_t len = k->len, ws = 0, we, at, kind;
        char t[256], buf[256];

        for (at = 0; at < len; at++)
            t[at] = (char)tolower((unsigned char)k->val[at]);
        st = add_text(ld, &texts, &n, &cap, k->val, len); /* as written */
        for (ws = 0; ws < len && st == CA_OK; ws = we + 1) {
            bool letters = true;

            for (we = ws; we < len && t[we] != ' '; we++)
                if (t[we] < 'a' || t[we] > 'z')
                    letters = false;
            if (!letters || we - ws < (size_t)lx->typo_min)
                continue;
            /* one letter left out, two neighbours swapped: never the
             * first letter, nor the last left out (as add_typos) */
            for (kind = 0; kind < 2 && st == CA_OK; kind++)
                for (at = ws + 1; at + 1 < we && st == CA_OK; at++) {
                    size_t bl = len;

                    memcpy(buf, t, len);
                    if (kind == 0) {
                        memmove(buf + at, buf + at + 1, len - at - 1);
                        bl = len - 1;
                    } else {
                        if (t[at] == t[at + 1])
                            continue;
                        buf[at] = t[at + 1];
                        buf[at + 1] = t[at];
                    }
                    if (!lexicon_typo_excepted(lx, buf + ws,
                                               we - ws - (kind == 0)))
                        st = add_text(ld, &texts, &n, &cap, buf, bl);
                }
        }
    }
    if (st == CA_OK && n > LEX_MAX_SPELLINGS)
        st = lerr(ld, list, "'%s' makes too many spellings", key);
    if (st == CA_OK) {
        /* one trie of them: a regex that tries each place once per letter,
         * not once per spelling */
        for (i = 0; i < n; i++)
            norm_word(texts[i]);
        qsort(texts, n, sizeof(*texts), cmp_text);
        trie_emit(b, texts, n, 0);
    }
    for (i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    return st;
}

/* The phrases of list v (written as key) between pre and post, one
 * pattern compiled into out (what names it in errors); with a lexicon lx,
 * also misspelt as its phrases are. */
static enum ca_status list_pattern(struct ld *ld, const struct lexicon *lx,
                                   const struct ynode *v, const char *key,
                                   const char *what, const char *pre,
                                   const char *post, struct pattern *out)
{
    struct sb b = {NULL, 0, 0, false};
    enum ca_status st;

    sb_puts(&b, pre);
    st = lx ? put_words_typos(ld, lx, v, key, &b) : put_words(ld, v, key, &b);
    sb_puts(&b, post);
    if (st == CA_OK && b.oom)
        st = oom(ld);
    if (st == CA_OK)
        st = compile_at(ld, v, false, what, b.p, b.n, 0, out);
    free(b.p);
    return st;
}

/* The phrases of list v as one pattern that finds any of them, whole,
 * anywhere (lists_except, needs, supervisor_needs); with a lexicon lx,
 * also misspelt as its phrases are. */
static enum ca_status whole_words(struct ld *ld, const struct lexicon *lx,
                                  const struct ynode *v, const char *key,
                                  struct pattern *out)
{
    return list_pattern(ld, lx, v, key, key, "(?<![\\w'])(?:", ")(?![\\w'])",
                        out);
}

/*
 * lists: true, lists_except: [words]: a label in running text ("...
 * quickly. Priorities: (1) ...") over a list numbered from 1 or a opens
 * the modifier's section, whatever its words, unless it holds one of the
 * words of lists_except ("Update:", "Actions taken:").
 */
enum ca_status lexicon_get_lists(struct ld *ld, struct lexicon *lx,
                                 const struct ynode *name,
                                 const struct ynode *m, size_t idx)
{
    struct modifier *mod = &lx->mods[idx];
    const struct ynode *v = map_get(m, "lists"),
                       *x = map_get(m, "lists_except");
    enum ca_status st;
    char key[96];

    if (!v) {
        if (x)
            return lerr(ld, x, "'lists_except' needs 'lists: true'");
        return CA_OK;
    }
    if (v->kind != YN_SCALAR ||
        (strcmp(v->val, "true") != 0 && strcmp(v->val, "false") != 0))
        return lerr(ld, v, "'lists' is true or false");
    if (strcmp(v->val, "true") != 0) {
        if (x)
            return lerr(ld, x, "'lists_except' needs 'lists: true'");
        return CA_OK;
    }
    if (lx->lists_mod >= 0)
        return lerr(ld, v,
                    "only one modifier may have 'lists: true' (modifier '%s' "
                    "has it already)",
                    lx->mods[lx->lists_mod].name);
    mod->lists = true;
    lx->lists_mod = (int)idx;
    if (!x)
        return CA_OK;
    snprintf(key, sizeof(key), "modifiers.%s.lists_except", name->val);
    if ((st = want_kind(ld, x, YN_SEQ, key)) != CA_OK)
        return st;
    return whole_words(ld, NULL, x, key, &mod->lists_except);
}

/* needs: [words] and supervisor_needs: [words]: the words, anywhere,
 * whole. */
enum ca_status lexicon_get_needs(struct ld *ld, const struct lexicon *lx,
                                 const struct ynode *v, struct concept *c,
                                 bool supervisor)
{
    char key[96];
    enum ca_status st;

    snprintf(key, sizeof(key), "concepts.%s.%s", c->name,
             supervisor ? "supervisor_needs" : "needs");
    if ((st = want_kind(ld, v, YN_SEQ, key)) != CA_OK)
        return st;
    return whole_words(ld, lx, v, key, supervisor ? &c->sup_needs : &c->needs);
}

/* The last words of the affirmations v lists (lexicon.affirm_tails); an
 * affirmation that could match a plain ASCII label in some other way
 * leaves affirm_tails_ok false (PCRE2 is then asked every time). */
static enum ca_status affirm_tails(struct ld *ld, struct lexicon *lx,
                                   const struct ynode *v)
{
    size_t i;

    lx->affirm_tails = calloc(v->nkids ? v->nkids : 1, sizeof(char *));
    if (!lx->affirm_tails)
        return oom(ld);
    lx->affirm_tails_ok = true;
    for (i = 0; i < v->nkids; i++) {
        const unsigned char *w = (const unsigned char *)v->kids[i]->val;
        size_t len = v->kids[i]->len, from, k;
        bool ascii = true;
        char *tail;

        while (len && isspace(w[len - 1]))
            len--;
        for (k = 0; k < len; k++) {
            ascii = ascii && w[k] < 0x80;
            if ((k + 2 < len && w[k] == 0xE2 && w[k + 1] == 0x84 &&
                 w[k + 2] == 0xAA) ||
                (k + 1 < len && w[k] == 0xC5 && w[k + 1] == 0xBF))
                lx->affirm_tails_ok = false; /* K and long s fold to k, s */
        }
        if (!ascii)
            continue; /* it cannot match a plain ASCII label */
        if (!len || !(isalnum(w[len - 1]) || w[len - 1] == '_')) {
            lx->affirm_tails_ok = false;
            continue;
        }
        for (from = len; from > 0 && !strchr(" \t\n-", w[from - 1]); from--)
            ;
        if (!(tail = malloc(len - from + 1)))
            return oom(ld);
        for (k = from; k < len; k++)
            tail[k - from] = (char)tolower(w[k]);
        tail[len - from] = '\0';
        lx->affirm_tails[lx->naffirm_tails++] = tail;
    }
    return CA_OK;
}

/* forms.results: {labels: [...], reach: [modifier, ...]}.  A label that
 * ends in one of the labels ("Result", "Canlyniad / Result", "Trace
 * result") names a result field. */
static enum ca_status get_results(struct ld *ld, struct lexicon *lx,
                                  const struct ynode *n)
{
    static const char *const keys[] = {"labels", "reach"};
    const struct ynode *v;
    enum ca_status st;

    if ((st = want_kind(ld, n, YN_MAP, "results")) != CA_OK ||
        (st = check_keys(ld, n, keys, 2, "'forms.results'")) != CA_OK)
        return st;
    if (!(v = map_get(n, "reach")))
        return lerr(ld, n,
                    "'forms.results' needs 'reach:', the modifiers "
                    "a result's value passes to the field above it");
    if ((st = lexicon_modifier_mask(ld, lx, v, "reach", &lx->result_reach)) !=
        CA_OK)
        return st;
    if (!(v = map_get(n, "labels")))
        return lerr(ld, n, "'forms.results' needs 'labels:'");
    if ((st = want_kind(ld, v, YN_SEQ, "labels")) != CA_OK)
        return st;
    return list_pattern(ld, NULL, v, "labels", "forms.results.labels",
                        "^(?:[^\\n]*[\\s/])?(?:", ")\\s*:?\\s*$",
                        &lx->result_label);
}

enum ca_status lexicon_get_forms(struct ld *ld, struct lexicon *lx,
                                 const struct ynode *n)
{
    static const char *const keys[] = {"modifier", "placeholders",
                                       "affirmations", "results"};
    const struct ynode *v;
    enum ca_status st;
    int m;

    if ((st = want_kind(ld, n, YN_MAP, "forms")) != CA_OK ||
        (st = check_keys(ld, n, keys, 4, "'forms'")) != CA_OK)
        return st;
    if (!(v = map_get(n, "modifier")) || v->kind != YN_SCALAR ||
        (m = lexicon_modifier(lx, v->val)) < 0)
        return lerr(ld, v ? v : n,
                    "'forms' needs 'modifier:', the name of a modifier "
                    "defined above (e.g. template)");
    lx->forms_mod = m;
    if (!(v = map_get(n, "placeholders")))
        return lerr(ld, n, "'forms' needs 'placeholders:'");
    if ((st = want_kind(ld, v, YN_SEQ, "placeholders")) != CA_OK)
        return st;
    /* a placeholder begins the value (or the value is empty) */
    st = list_pattern(ld, NULL, v, "placeholders", "forms.placeholders",
                      "^\\s*(?:$|(?:", ")(?![\\w'])|\\s*$)", &lx->placeholders);
    if (st != CA_OK)
        return st;
    if ((v = map_get(n, "affirmations"))) {
        if ((st = want_kind(ld, v, YN_SEQ, "affirmations")) != CA_OK)
            return st;
        st = list_pattern(ld, NULL, v, "affirmations", "forms.affirmations",
                          "^\\s*", "", &lx->affirmations);
        /* "PNC check completed:": the label says it was done; not
         * "Enquiries not completed:", "Not actioned:" */
        if (st == CA_OK)
            st = list_pattern(
                ld, NULL, v, "affirmations", "forms.affirmations",
                "(?<!\\bnot\\s)(?<!\\bnot\\s\\s)(?<!\\bnever\\s)(?:", ")\\s*$",
                &lx->affirmed_label);
        if (st == CA_OK)
            st = affirm_tails(ld, lx, v);
        /* "3. ANPR on the VRM [done - 2 hits]", "1. Footwear - submitted
         * 04/03": an item that records its own result, in brackets or
         * after a dash or colon, the status ending there, or saying where
         * or when it was done ("- MG11 IP - done at scene 1130", "1. IP
         * statement - DONE today over Teams"; not "- completed by
         * Friday", an instruction) */
        if (st == CA_OK)
            st = list_pattern(
                ld, NULL, v, "affirmations", "forms.affirmations",
                "(?:[\\[(]|\\s(?:-|\\xe2\\x80\\x93)\\s*|:\\s)\\s*(?:",
                ")(?=\\s*(?:$|[\\])\\-,;.(]|\\xe2\\x80\\x93|\\d)|"
                "\\s+at\\s+(?:the\\s+)?(?:scene\\b|\\d)|"
                "\\s+(?:today|yesterday|this\\s+(?:morning|afternoon|evening))"
                "\\b)",
                &lx->item_done);
    }
    if (st == CA_OK && (v = map_get(n, "results")))
        st = get_results(ld, lx, v);
    return st;
}
