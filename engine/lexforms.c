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

/* The phrases of list v as one pattern that finds any of them, whole,
 * anywhere (lists_except, supervisor_needs). */
static enum ca_status whole_words(struct ld *ld, const struct ynode *v,
                                  const char *key, struct pattern *out)
{
    struct sb b = {NULL, 0, 0, false};
    enum ca_status st;

    sb_puts(&b, "(?<![\\w'])(?:");
    st = put_words(ld, v, key, &b);
    sb_puts(&b, ")(?![\\w'])");
    if (st == CA_OK && b.oom)
        st = oom(ld);
    if (st == CA_OK)
        st = compile_at(ld, v, false, key, b.p, b.n, 0, out);
    free(b.p);
    return st;
}

/* As whole_words, the words also misspelt as the lexicon's phrases are. */
static enum ca_status whole_words_typos(struct ld *ld, const struct lexicon *lx,
                                        const struct ynode *v, const char *key,
                                        struct pattern *out)
{
    struct sb b = {NULL, 0, 0, false};
    enum ca_status st;

    sb_puts(&b, "(?<![\\w'])(?:");
    st = put_words_typos(ld, lx, v, key, &b);
    sb_puts(&b, ")(?![\\w'])");
    if (st == CA_OK && b.oom)
        st = oom(ld);
    if (st == CA_OK)
        st = compile_at(ld, v, false, key, b.p, b.n, 0, out);
    free(b.p);
    return st;
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
    return whole_words(ld, x, key, &mod->lists_except);
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
    return whole_words_typos(ld, lx, v, key,
                             supervisor ? &c->sup_needs : &c->needs);
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

enum ca_status lexicon_get_forms(struct ld *ld, struct lexicon *lx,
                                 const struct ynode *n)
{
    static const char *const keys[] = {"modifier", "placeholders",
                                       "affirmations"};
    const struct ynode *v;
    struct sb b = {NULL, 0, 0, false};
    enum ca_status st;
    int m;

    if ((st = want_kind(ld, n, YN_MAP, "forms")) != CA_OK ||
        (st = check_keys(ld, n, keys, 3, "'forms'")) != CA_OK)
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
    sb_puts(&b, "^\\s*(?:$|(?:");
    st = put_words(ld, v, "placeholders", &b);
    sb_puts(&b, ")(?![\\w'])|\\s*$)");
    if (st == CA_OK && b.oom)
        st = oom(ld);
    if (st == CA_OK)
        st = compile_at(ld, v, false, "forms.placeholders", b.p, b.n, 0,
                        &lx->placeholders);
    free(b.p);
    if (st != CA_OK)
        return st;
    if ((v = map_get(n, "affirmations"))) {
        struct sb a = {NULL, 0, 0, false};

        if ((st = want_kind(ld, v, YN_SEQ, "affirmations")) != CA_OK)
            return st;
        sb_puts(&a, "^\\s*");
        st = put_words(ld, v, "affirmations", &a);
        if (st == CA_OK && a.oom)
            st = oom(ld);
        if (st == CA_OK)
            st = compile_at(ld, v, false, "forms.affirmations", a.p, a.n, 0,
                            &lx->affirmations);
        free(a.p);
        if (st == CA_OK) {
            /* "PNC check completed:": the label says it was done */
            struct sb e = {NULL, 0, 0, false};

            st = put_words(ld, v, "affirmations", &e);
            sb_puts(&e, "\\s*$");
            if (st == CA_OK && e.oom)
                st = oom(ld);
            if (st == CA_OK)
                st = compile_at(ld, v, false, "forms.affirmations", e.p, e.n, 0,
                                &lx->affirmed_label);
            free(e.p);
            if (st == CA_OK)
                st = affirm_tails(ld, lx, v);
        }
        if (st == CA_OK) {
            /* "3. ANPR on the VRM [done - 2 hits]", "1. Footwear -
             * submitted 04/03": an item that records its own result, in
             * brackets or after a dash or colon, the status ending there */
            struct sb d = {NULL, 0, 0, false};

            sb_puts(&d, "(?:[\\[(]|\\s(?:-|\\xe2\\x80\\x93)\\s*|:\\s)\\s*(?:");
            st = put_words(ld, v, "affirmations", &d);
            sb_puts(&d, ")(?=\\s*(?:$|[\\])\\-,;.]|\\xe2\\x80\\x93|\\d))");
            if (st == CA_OK && d.oom)
                st = oom(ld);
            if (st == CA_OK)
                st = compile_at(ld, v, false, "forms.affirmations", d.p, d.n, 0,
                                &lx->item_done);
            free(d.p);
        }
    }
    return st;
}
