/* SPDX-License-Identifier: MIT */
/*
 * A small YAML document tree built from libyaml's event parser, keeping for
 * every node its scalar style and its source position, so that the rule
 * loader can insist on quoting styles and point at the exact line and
 * column of a problem, including a character inside a quoted or block
 * scalar (ytree_value_pos).  Strict by construction: aliases, anchors,
 * explicit tags, complex or duplicate keys and multi-document files are
 * refused here, before any schema check.  Shared by the rule loader
 * (engine/load.c) and the programme loader (audit/programme.c).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/yamltree.h"

#define YT_MAX_DEPTH 32
#define YT_MAX_NODES 20000
#define YT_MAX_MAP_KEYS 256

static bool is_lead(unsigned char c)
{
    return (c & 0xC0) != 0x80;
}

/* Length of the line break at s[i] (0 if none), as libyaml counts them. */
static size_t break_len(const char *s, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;

    if (u[i] == '\n')
        return 1;
    if (u[i] == '\r')
        return (i + 1 < len && u[i + 1] == '\n') ? 2 : 1;
    if (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0x85)
        return 2;
    if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
        (u[i + 2] == 0xA8 || u[i + 2] == 0xA9))
        return 3;
    return 0;
}

static enum ca_status build_lines(struct ysrc *src, struct ca_error *err)
{
    size_t i, n = 1, k = 0, b;

    for (i = 0; i < src->len; i += b ? b : 1) {
        b = break_len(src->text, src->len, i);
        if (b)
            n++;
    }
    src->line_off = malloc(n * sizeof(*src->line_off));
    if (!src->line_off)
        return ca_error_set(err, CA_SYSTEM, src->name, 0, NULL,
                            "out of memory");
    src->line_off[k++] = 0;
    for (i = 0; i < src->len; i += b ? b : 1) {
        b = break_len(src->text, src->len, i);
        if (b)
            src->line_off[k++] = i + b;
    }
    src->nlines = k;
    return CA_OK;
}

void ysrc_release(struct ysrc *src)
{
    free(src->line_off);
    src->line_off = NULL;
    src->nlines = 0;
}

/* Byte offset of a libyaml mark (0-based line, column in characters). */
static size_t mark_off(const struct ysrc *src, const yaml_mark_t *m)
{
    size_t off, c = 0;

    if (m->line >= src->nlines)
        return src->len;
    off = src->line_off[m->line];
    while (off < src->len && c < m->column) {
        off++;
        while (off < src->len && !is_lead((unsigned char)src->text[off]))
            off++;
        c++;
    }
    return off;
}

static void off_pos(const struct ysrc *src, size_t off, unsigned long *line,
                    unsigned long *col)
{
    size_t lo = 0, hi = src->nlines, i;
    unsigned long c = 1;

    if (off > src->len)
        off = src->len;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->line_off[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    for (i = src->line_off[lo]; i < off; i++)
        if (is_lead((unsigned char)src->text[i]))
            c++;
    *line = (unsigned long)lo + 1;
    *col = c;
}

static bool is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void ytree_value_pos(const struct ysrc *src, const struct ynode *n, size_t off,
                     unsigned long *line, unsigned long *col)
{
    size_t p = n->start_off, end = n->end_off, i = 0, at = 0, w;
    bool found = false;

    *line = n->line;
    *col = n->col;
    if (n->kind != YN_SCALAR || end > src->len)
        return;
    if (n->style == YS_SINGLE || n->style == YS_DOUBLE) {
        p++;
    } else if (n->style == YS_LITERAL || n->style == YS_FOLDED) {
        while (p < end && src->text[p] != '\n' && src->text[p] != '\r')
            p++;
        if (p < end)
            p += break_len(src->text, src->len, p);
    }
    if (off > n->len)
        off = n->len;
    /* Greedy alignment: the value is a subsequence of the source except
     * that folded line breaks become spaces, which match any whitespace
     * (or nothing, when the source has none at that point). */
    while (i <= off && i < n->len) {
        char c = n->val[i];

        w = 1;
        while (i + w < n->len && !is_lead((unsigned char)n->val[i + w]))
            w++;
        if (c == ' ' || c == '\n' || c == '\t') {
            at = p;
            if (p < end && is_space_byte(src->text[p]))
                p++;
        } else {
            while (p + w <= end && memcmp(src->text + p, n->val + i, w) != 0)
                p++;
            if (p + w > end)
                return; /* not aligned: keep the scalar's start */
            at = p;
            p += w;
        }
        if (i == off) {
            found = true;
            break;
        }
        i += w;
    }
    if (!found) {
        if (off < n->len)
            return;
        at = p; /* just after the last character */
    }
    off_pos(src, at, line, col);
}

void ytree_free(struct ynode *n)
{
    size_t i;

    if (!n)
        return;
    for (i = 0; i < n->nkids; i++)
        ytree_free(n->kids[i]);
    free(n->kids);
    free(n->val);
    free(n);
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static enum ca_status
err_at(struct ca_error *err, const struct ysrc *src, unsigned long line,
       unsigned long col, const char *fmt, ...)
{
    char msg[900];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ca_error_set(err, CA_DATA, src->name, line, NULL, "%s", msg);
    ca_error_set_col(err, col);
    return CA_DATA;
}

static enum ca_status add_kid(struct ynode *parent, struct ynode *kid)
{
    struct ynode **k;

    if (parent->nkids == parent->kalloc) {
        size_t cap = parent->kalloc ? parent->kalloc * 2 : 4;
        k = realloc(parent->kids, cap * sizeof(*k));
        if (!k)
            return CA_SYSTEM;
        parent->kids = k;
        parent->kalloc = cap;
    }
    parent->kids[parent->nkids++] = kid;
    return CA_OK;
}

static enum ynode_style map_style(yaml_scalar_style_t s)
{
    switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        return YS_SINGLE;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        return YS_DOUBLE;
    case YAML_LITERAL_SCALAR_STYLE:
        return YS_LITERAL;
    case YAML_FOLDED_SCALAR_STYLE:
        return YS_FOLDED;
    default:
        return YS_PLAIN;
    }
}

static enum ca_status check_map(const struct ysrc *src, const struct ynode *m,
                                struct ca_error *err)
{
    size_t i, j;

    for (i = 0; i < m->nkids; i += 2) {
        const struct ynode *k = m->kids[i];

        if (k->kind != YN_SCALAR)
            return err_at(err, src, k->line, k->col,
                          "a mapping key must be a plain word");
        for (j = 0; j < i; j += 2)
            if (strcmp(m->kids[j]->val, k->val) == 0) {
                char msg[400];
                snprintf(msg, sizeof(msg),
                         "duplicate key '%.200s' (first at line %lu)", k->val,
                         m->kids[j]->line);
                return err_at(err, src, k->line, k->col, "%s", msg);
            }
    }
    return CA_OK;
}

/* The state of one ytree_parse: the open collections and the counts that
 * the caps apply to. */
struct ytree_parser {
    yaml_parser_t parser;
    struct ysrc *src;
    struct ynode **root;
    struct ynode *stack[YT_MAX_DEPTH + 1];
    size_t depth, nodes;
    int docs;
    const char *kind; /* what one file holds, for messages */
};

static enum ca_status syntax_error(struct ytree_parser *p, struct ca_error *err)
{
    char msg[600];

    snprintf(msg, sizeof(msg), "invalid YAML: %s%s%s",
             p->parser.problem ? p->parser.problem : "syntax error",
             p->parser.context ? " " : "",
             p->parser.context ? p->parser.context : "");
    return err_at(err, p->src, (unsigned long)p->parser.problem_mark.line + 1,
                  (unsigned long)p->parser.problem_mark.column + 1, "%s", msg);
}

/* Refuse what the tree does not support: a second document, aliases,
 * anchors and explicit tags. */
static enum ca_status check_event(struct ytree_parser *p,
                                  const yaml_event_t *ev, unsigned long line,
                                  unsigned long col, struct ca_error *err)
{
    const unsigned char *anchor = NULL, *tag = NULL;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++p->docs > 1)
            return err_at(err, p->src, line, col,
                          "more than one YAML document: write one %s per file",
                          p->kind);
        break;
    case YAML_ALIAS_EVENT:
        return err_at(err, p->src, line, col,
                      "aliases (*name) are not allowed in %s files", p->kind);
    case YAML_SCALAR_EVENT:
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
        break;
    default:
        break;
    }
    if (anchor)
        return err_at(err, p->src, line, col,
                      "anchors (&name) are not allowed in %s files", p->kind);
    if (tag)
        return err_at(err, p->src, line, col,
                      "explicit tags (!tag) are not allowed in %s files",
                      p->kind);
    return CA_OK;
}

/* A new node for a scalar or the start of a collection, in *out. */
static enum ca_status new_node(struct ytree_parser *p, const yaml_event_t *ev,
                               unsigned long line, unsigned long col,
                               struct ynode **out, struct ca_error *err)
{
    struct ynode *n = calloc(1, sizeof(*n));

    *out = NULL;
    if (!n)
        goto oom;
    n->line = line;
    n->col = col;
    n->start_off = mark_off(p->src, &ev->start_mark);
    n->end_off = mark_off(p->src, &ev->end_mark);
    if (ev->type != YAML_SCALAR_EVENT) {
        n->kind = ev->type == YAML_SEQUENCE_START_EVENT ? YN_SEQ : YN_MAP;
        *out = n;
        return CA_OK;
    }
    n->kind = YN_SCALAR;
    n->style = map_style(ev->data.scalar.style);
    n->len = ev->data.scalar.length;
    n->val = malloc(n->len + 1);
    if (!n->val) {
        free(n);
        goto oom;
    }
    memcpy(n->val, ev->data.scalar.value, n->len);
    n->val[n->len] = '\0';
    if (memchr(n->val, '\0', n->len)) {
        ytree_free(n);
        return err_at(err, p->src, line, col, "a value holds a NUL character");
    }
    *out = n;
    return CA_OK;
oom:
    return ca_error_set(err, CA_SYSTEM, p->src->name, 0, NULL, "out of memory");
}

/* A scalar or the start of a collection: a new node, attached to the open
 * collection (or made the root), and itself opened if a collection. */
static enum ca_status open_node(struct ytree_parser *p, const yaml_event_t *ev,
                                unsigned long line, unsigned long col,
                                struct ca_error *err)
{
    struct ynode *n;
    enum ca_status st;

    if (++p->nodes > YT_MAX_NODES)
        return err_at(err, p->src, line, col,
                      "%s file too large (too many nodes)", p->kind);
    st = new_node(p, ev, line, col, &n, err);
    if (st != CA_OK)
        return st;
    if (p->depth == 0) {
        if (*p->root) { /* cannot happen within one document */
            ytree_free(n);
            return err_at(err, p->src, line, col,
                          "unexpected second root node");
        }
        *p->root = n;
    } else {
        struct ynode *top = p->stack[p->depth - 1];
        if (top->kind == YN_MAP && top->nkids / 2 >= YT_MAX_MAP_KEYS) {
            ytree_free(n);
            return err_at(err, p->src, line, col,
                          "mapping has more than %d keys", YT_MAX_MAP_KEYS);
        }
        if (add_kid(top, n) != CA_OK) {
            ytree_free(n);
            return ca_error_set(err, CA_SYSTEM, p->src->name, 0, NULL,
                                "out of memory");
        }
    }
    if (n->kind != YN_SCALAR) {
        if (p->depth >= YT_MAX_DEPTH)
            return err_at(err, p->src, line, col, "nesting too deep");
        p->stack[p->depth++] = n;
    }
    return CA_OK;
}

/* The end of a collection: close it and check a mapping's keys. */
static enum ca_status close_node(struct ytree_parser *p, const yaml_event_t *ev,
                                 unsigned long line, unsigned long col,
                                 struct ca_error *err)
{
    struct ynode *n;

    if (p->depth == 0)
        return err_at(err, p->src, line, col, "unbalanced YAML structure");
    n = p->stack[--p->depth];
    n->end_off = mark_off(p->src, &ev->end_mark);
    if (n->kind == YN_MAP)
        return check_map(p->src, n, err);
    return CA_OK;
}

/* One event into the tree; *done once the stream ends. */
static enum ca_status take_event(struct ytree_parser *p, const yaml_event_t *ev,
                                 bool *done, struct ca_error *err)
{
    unsigned long line = (unsigned long)ev->start_mark.line + 1;
    unsigned long col = (unsigned long)ev->start_mark.column + 1;
    enum ca_status st;

    if (ev->type == YAML_STREAM_END_EVENT)
        *done = true;
    st = check_event(p, ev, line, col, err);
    if (st != CA_OK)
        return st;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return open_node(p, ev, line, col, err);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_node(p, ev, line, col, err);
    default:
        return CA_OK;
    }
}

enum ca_status ytree_parse(struct ysrc *src, struct ynode **root,
                           struct ca_error *err)
{
    struct ytree_parser p;
    yaml_event_t ev;
    bool done = false;
    enum ca_status st = CA_OK;

    *root = NULL;
    memset(&p, 0, sizeof(p));
    p.src = src;
    p.root = root;
    p.kind = src->kind ? src->kind : "rule";
    st = build_lines(src, err);
    if (st != CA_OK)
        return st;
    if (!yaml_parser_initialize(&p.parser))
        return ca_error_set(err, CA_SYSTEM, src->name, 0, NULL,
                            "out of memory");
    yaml_parser_set_input_string(&p.parser, (const unsigned char *)src->text,
                                 src->len);
    yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);
    while (!done && st == CA_OK) {
        if (!yaml_parser_parse(&p.parser, &ev)) {
            st = syntax_error(&p, err);
            break;
        }
        st = take_event(&p, &ev, &done, err);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p.parser);
    if (st != CA_OK) {
        ytree_free(*root);
        *root = NULL;
    }
    return st;
}
