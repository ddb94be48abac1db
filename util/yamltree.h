/* SPDX-License-Identifier: MIT */
/*
 * The one YAML layer: a YAML document (libyaml) read into a small tree of
 * scalars, sequences and mappings, each node with its source line and
 * column, so that loaders (rule files, audit programmes) can check a
 * document strictly and name file:line:col in every error.  Aliases,
 * anchors, explicit tags, non-scalar or duplicate mapping keys and more
 * than one document are refused.
 *
 * Ownership: ytree_parse returns a tree the caller frees with ytree_free;
 * struct ysrc borrows name and text, and owns line_off (ysrc_release).
 */
#ifndef CA_YAMLTREE_H
#define CA_YAMLTREE_H

#include <stddef.h>

#include "util/status.h"

enum ynode_kind { YN_SCALAR, YN_SEQ, YN_MAP };

enum ynode_style { YS_PLAIN, YS_SINGLE, YS_DOUBLE, YS_LITERAL, YS_FOLDED };

struct ynode {
    enum ynode_kind kind;
    enum ynode_style style; /* scalars */
    char *val;              /* scalars: NUL-terminated value */
    size_t len;
    unsigned long line, col; /* 1-based start (col in characters) */
    size_t start_off;        /* byte offset of the start in the source */
    size_t end_off;          /* byte offset just after the end */
    struct ynode **kids;     /* seq: items; map: key, value, key, value... */
    size_t nkids, kalloc;
};

struct ysrc {
    const char *name;
    const char *text;
    size_t len;
    size_t *line_off; /* byte offset of each line start (0-based) */
    size_t nlines;
    const char *kind; /* what one file holds, for messages: "rule" (NULL)
                       * or "programme" */
};

/*
 * Parse one YAML document into a tree.  Rejects aliases, anchors, explicit
 * tags, non-scalar or duplicate mapping keys and more than one document,
 * each with file:line:col.  *root is NULL for an empty document.
 */
enum ca_status ytree_parse(struct ysrc *src, struct ynode **root,
                           struct ca_error *err);
void ytree_free(struct ynode *n);
void ysrc_release(struct ysrc *src);
/*
 * Source position (1-based line and column in characters) of the value
 * byte at offset off inside scalar n (off == n->len: just after the last
 * character).  Falls back to the scalar's start when the value cannot be
 * aligned with the source.
 */
void ytree_value_pos(const struct ysrc *src, const struct ynode *n, size_t off,
                     unsigned long *line, unsigned long *col);

#endif
