/* SPDX-License-Identifier: MIT */
/*
 * Private to engine/: the compiled form of a rule, the YAML document tree
 * the loader validates, and the evaluation core shared by engine_eval and
 * the inline-example check.  Not for use outside engine/.
 */
#ifndef CA_ENGINE_INTERNAL_H
#define CA_ENGINE_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/rules.h"

/* ---- YAML document tree (engine/yamltree.c) ---- */

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

/* ---- compiled rules ---- */

enum win_unit { WIN_NONE = 0, WIN_DAYS, WIN_WORKING_DAYS, WIN_MONTHS };
enum then_order { ORD_ANY = 0, ORD_BEFORE, ORD_AFTER };

struct fieldref {
    char *name;
    int cf; /* canonical field, or -1 */
};

struct pattern {
    pcre2_code *code;
    char *src; /* as compiled (for messages) */
};

/* What a qualifying entry looks like, and when it must be dated. */
struct entry_spec {
    bool present;
    const char *key;        /* "entry", "if", "then", "applies_to.entry" */
    struct pattern re;      /* regex and/or words */
    struct pattern exclude; /* entry-level veto */
    struct pattern negate;  /* a regex match inside one of these is void */
    struct pattern rank;    /* matched against the entry's rank */
    enum win_unit win;
    int win_n;
    struct fieldref from, to; /* name NULL when not set */
    enum then_order order;    /* `then` only */
};

enum where_kind { WH_PATTERN, WH_DATES };

struct where_cond {
    int group; /* conditions of one group must all hold; any
                * group holding is enough */
    struct fieldref field;
    enum where_kind kind;
    struct pattern re; /* anchored full match (WH_PATTERN) */
    bool negated;      /* `not:` form */
    bool has_from, has_to;
    int64_t from_day, to_day; /* inclusive */
};

struct span_cond {
    bool present;
    struct fieldref start, end;
    enum win_unit unit; /* WIN_DAYS or WIN_MONTHS */
    int n;
};

struct rule {
    char *path;
    char *id, *title, *message;
    unsigned long id_line, id_col; /* where the id is written */
    enum rule_category category;
    enum rule_level level;
    enum rule_status status;
    enum rule_check check;
    enum record_type type;
    bool unicode, case_sensitive;
    size_t index;

    struct where_cond *where;
    size_t nwhere;
    int nwhere_groups;
    struct span_cond span;
    struct entry_spec when; /* applies_to.entry */

    struct entry_spec entry; /* must_contain, must_not_contain, max_gap */
    struct entry_spec ifs;   /* if_then: if */
    struct entry_spec thens; /* if_then: then */

    struct fieldref start; /* max_gap */
    struct fieldref *end;
    size_t nend;
    bool gap_hours; /* max_hours rather than max_days */
    int gap_n;

    char **refs;
    size_t nrefs;
    char **fields; /* declared + derived, unique */
    size_t nfields;
    struct fieldref *need; /* the same, resolved */
    size_t nneed;
};

struct ruleset {
    struct rule **rules; /* sorted by id */
    size_t n;
    size_t *by_type[RT__COUNT];
    size_t nby_type[RT__COUNT];
};

/* ---- evaluation core (engine/eval.c) ---- */

struct engine_scratch {
    struct engine_limits lim;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    struct log_entries le;
    int64_t *keys; /* sort space, 2 per entry */
    size_t keys_alloc;
    unsigned char *flags; /* per-entry qualification marks */
    size_t flags_alloc;
    pcre2_code *hdr;      /* default entry-header regex */
    pcre2_code *hdr_rank; /* rank prefix of an untimed first line */
    pcre2_match_data *hdr_md;
    char excerpt[700];
    char msg[1024];
    char logerr[512]; /* why the current log cannot be judged */
};

/*
 * Evaluate one rule.  r NULL means example mode: the log alone is judged,
 * record fields, where and field-based windows are ignored, and entries
 * without timestamps are ordered by their position.  log_problem, when
 * not NULL, says why the log cannot be judged (invalid UTF-8, too many
 * entries): rules that read the log then give `error`.  Returns true when
 * the rule applies (v filled), false when it does not.
 */
bool eval_rule(const struct rule *ru, const struct record *r,
               const struct log_entry *e, size_t ne, const char *log_problem,
               const struct engine_params *p, struct engine_scratch *s,
               struct engine_verdict *v);

#endif
