/* SPDX-License-Identifier: MIT */
/*
 * Rule patterns: regex, exclude, negate, rank and where values compiled
 * with PCRE2 (a bad regex points at the very character PCRE2 complains
 * about), and the words/phrases pattern built from a `words:` list.
 *
 * Patterns must be written in single quotes or as block scalars: in
 * double quotes YAML turns \b into a backspace, and a plain `N` is read as
 * "no" by other YAML tools.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define MAX_PATTERN 8192
#define MAX_WORDS 500

/* ---- matching ---- */

int engine_match_valid(const pcre2_code *re, const char *t, size_t len,
                       size_t start, pcre2_match_data *md,
                       pcre2_match_context *mctx)
{
    int rc = pcre2_jit_match(re, (PCRE2_SPTR)t, len, start, 0, md, mctx);

    if (rc == PCRE2_ERROR_JIT_BADOPTION)
        rc = pcre2_match(re, (PCRE2_SPTR)t, len, start, PCRE2_NO_UTF_CHECK, md,
                         mctx);
    return rc;
}

/* ---- patterns ---- */

static bool word_char(unsigned char c, bool unicode)
{
    return isalnum(c) || c == '_' || (unicode && c >= 0x80);
}

long words_pattern(const char *const *words, size_t n, bool unicode, char *out,
                   size_t size)
{
    size_t off = 0, i, j;

#define PUT(s, l)                                                              \
    do {                                                                       \
        if (off + (l) >= size)                                                 \
            return -1;                                                         \
        memcpy(out + off, (s), (l));                                           \
        off += (l);                                                            \
    } while (0)
    PUT("(?:", 3);
    for (i = 0; i < n; i++) {
        const unsigned char *w = (const unsigned char *)words[i];
        size_t len = strlen(words[i]);
        bool sep = false;

        while (len && isspace(w[len - 1]))
            len--;
        while (len && isspace(*w)) {
            w++;
            len--;
        }
        if (i)
            PUT("|", 1);
        if (len && strspn((const char *)w, " \t\n-") >= len) {
            /* dashes alone ("-", "--" as a form's placeholder): the
             * dashes themselves, not "a run of blanks or dashes", which
             * would match the blank before any value */
            for (j = 0; j < len; j++)
                if (w[j] == '-')
                    PUT("\\-", 2);
            continue;
        }
        if (len && word_char(w[0], unicode))
            PUT("\\b", 2);
        for (j = 0; j < len; j++) {
            unsigned char c = w[j];
            if (c == ' ' || c == '\t' || c == '-' || c == '\n') {
                if (!sep)
                    PUT("[\\s\\-]+", 7);
                sep = true;
                continue;
            }
            sep = false;
            if (c == '\'') {
                PUT("['\xE2\x80\x99]", 6); /* ' or the typographic apostrophe */
            } else if (c < 0x80 && !isalnum(c)) {
                char esc[2] = {'\\', (char)c};
                PUT(esc, 2);
            } else {
                char ch = (char)c;
                PUT(&ch, 1);
            }
        }
        if (len && word_char(w[len - 1], unicode))
            PUT("\\b", 2);
    }
    PUT(")", 1);
#undef PUT
    out[off] = '\0';
    return (long)off;
}

long rule_words_pattern(const char *const *words, size_t n, char *out,
                        size_t size)
{
    return words_pattern(words, n, false, out, size);
}

static uint32_t compile_options(const struct rule *ru)
{
    uint32_t o = PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C;

    if (!ru)
        return o | PCRE2_CASELESS; /* the lexicon */
    if (!ru->case_sensitive)
        o |= PCRE2_CASELESS;
    if (ru->unicode)
        o |= PCRE2_UCP;
    return o;
}

/*
 * Compile pat (len bytes).  node is where it was written: when from_node,
 * pat is node's own value and PCRE2's error offset is mapped to the exact
 * character in the file.
 */
enum ca_status compile_at(struct ld *ld, const struct ynode *node,
                          bool from_node, const char *key, const char *pat,
                          size_t len, uint32_t extra, struct pattern *out)
{
    int ec;
    PCRE2_SIZE eo;
    PCRE2_UCHAR emsg[256];

    /* a rule's own pattern is capped; the lexicon's, and the union of
     * the concepts a rule names, are as long as the vocabulary */
    size_t cap = !ld->ru || (extra & PCRE2_NO_AUTO_CAPTURE) ? LEX_MAX_PATTERN
                                                            : MAX_PATTERN;

    if (len > cap)
        return lerr(ld, node, "'%s' is longer than %zu bytes", key, cap);
    out->code = pcre2_compile((PCRE2_SPTR)pat, len,
                              compile_options(ld->ru) | extra, &ec, &eo, NULL);
    if (!out->code) {
        unsigned long line = node->line, col = node->col;

        pcre2_get_error_message(ec, emsg, sizeof(emsg));
        if (from_node)
            ytree_value_pos(ld->src, node, eo, &line, &col);
        ca_error_set(ld->err, CA_DATA, ld->path, line, NULL,
                     "bad regex in '%s': %s (at offset %zu of the pattern)",
                     key, (const char *)emsg, (size_t)eo);
        ca_error_set_col(ld->err, col);
        return CA_DATA;
    }
    pcre2_jit_compile(out->code,
                      PCRE2_JIT_COMPLETE); /* interpreter if it fails */
    out->src = malloc(len + 1);
    if (!out->src)
        return oom(ld);
    memcpy(out->src, pat, len);
    out->src[len] = '\0';
    return CA_OK;
}

enum ca_status pattern_style(struct ld *ld, const struct ynode *n,
                             const char *key)
{
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    if (n->style == YS_DOUBLE)
        return lerr(
            ld, n,
            "'%s' is in double quotes, where YAML turns \\b into a "
            "backspace: write patterns in single quotes ('...') or as a "
            "block scalar (|)",
            key);
    if (n->style == YS_PLAIN)
        return lerr(ld, n,
                    "'%s' must be in single quotes ('...') or a block "
                    "scalar (|), so that YAML leaves it exactly as written",
                    key);
    return CA_OK;
}

static bool matches_empty(const pcre2_code *code)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc;

    if (!md)
        return false;
    rc = pcre2_match(code, (PCRE2_SPTR) "", 0, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

/* A pattern key: the scalar's value, trailing newlines of a block removed. */
enum ca_status get_pattern(struct ld *ld, const struct ynode *n,
                           const char *key, uint32_t extra, bool may_be_empty,
                           struct pattern *out)
{
    size_t len;
    enum ca_status st = pattern_style(ld, n, key);

    if (st != CA_OK)
        return st;
    len = n->len;
    while (len && (n->style == YS_LITERAL || n->style == YS_FOLDED) &&
           n->val[len - 1] == '\n')
        len--;
    if (len == 0 && !may_be_empty)
        return lerr(ld, n, "'%s' is empty", key);
    st = compile_at(ld, n, true, key, n->val, len, extra, out);
    if (st != CA_OK)
        return st;
    if (!may_be_empty && matches_empty(out->code))
        return lerr(ld, n,
                    "'%s' matches empty text, so every entry would "
                    "qualify; make it require at least one character",
                    key);
    return CA_OK;
}

enum ca_status get_words(struct ld *ld, const struct ynode *n, const char *key,
                         const struct ynode *regex_node, struct pattern *out)
{
    const char *w[MAX_WORDS];
    char *pat = NULL, *full = NULL;
    size_t i, size;
    long len;
    enum ca_status st = want_kind(ld, n, YN_SEQ, key);

    if (st != CA_OK)
        return st;
    if (n->nkids == 0 || n->nkids > MAX_WORDS)
        return lerr(ld, n, "'%s' must list 1 to %d words or phrases", key,
                    MAX_WORDS);
    for (i = 0; i < n->nkids; i++) {
        const struct ynode *k = n->kids[i];
        size_t j;
        bool blank = true;

        if (k->kind != YN_SCALAR)
            return lerr(ld, k, "each item of '%s' must be a word or phrase",
                        key);
        for (j = 0; j < k->len; j++)
            if (!isspace((unsigned char)k->val[j]))
                blank = false;
        if (blank || k->len > 200)
            return lerr(ld, k,
                        "each item of '%s' must be a non-empty phrase of "
                        "at most 200 bytes",
                        key);
        w[i] = k->val;
    }
    size = (size_t)MAX_PATTERN * 4;
    pat = malloc(size);
    if (!pat)
        return oom(ld);
    len = words_pattern(w, n->nkids, ld->ru->unicode, pat, size);
    if (len < 0) {
        free(pat);
        return lerr(ld, n, "'%s' makes a pattern that is too long", key);
    }
    if (regex_node) {
        /* regex and words together: either one qualifies */
        size_t rl = regex_node->len;
        while (rl && regex_node->val[rl - 1] == '\n')
            rl--;
        full = malloc(rl + (size_t)len + 8);
        if (!full) {
            free(pat);
            return oom(ld);
        }
        memcpy(full, "(?:", 3);
        memcpy(full + 3, regex_node->val, rl);
        memcpy(full + 3 + rl, ")|", 2);
        memcpy(full + 5 + rl, pat, (size_t)len + 1);
        free(pat);
        pat = full;
        len = (long)strlen(pat);
    }
    st = compile_at(ld, n, false, key, pat, (size_t)len, 0, out);
    free(pat);
    return st;
}
