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
#include "util/yamltree.h"

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
    int pf_bit; /* this spec's bit in its type's prefilter, or -1 */
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

struct prefilter;

struct ruleset {
    struct rule **rules; /* sorted by id */
    size_t n;
    size_t *by_type[RT__COUNT];
    size_t nby_type[RT__COUNT];
    struct prefilter *pf[RT__COUNT]; /* NULL: nothing to prefilter */
};

/* ---- literal prefilter (engine/prefilter.c) ---- */

/*
 * Literals one of which every match of pattern contains (lower case, each
 * at least 2 bytes), for the prefilter.  Returns 0 with *out (n malloc'd
 * strings in a malloc'd array, caller frees), or -1 when the pattern gives
 * no usable literals (or uses syntax the analysis does not understand).
 */
int prefilter_literals(const char *pattern, size_t len, char ***out, size_t *n);
/* Build rs->pf[] and every spec's pf_bit (memory trouble: no prefilter). */
void prefilter_build(struct ruleset *rs);
void prefilter_free(struct prefilter *pf);
/* Bit i set: the text holds a literal of the spec with pf_bit i (every
 * bit when the text is not plain ASCII). */
uint64_t prefilter_scan(const struct prefilter *pf, const char *text,
                        size_t len);

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
    uint64_t *pf_mask; /* per entry of the current record */
    size_t pf_alloc;
    bool pf_on; /* pf_mask is valid for the entries being judged */
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

/* ---- record conditions (engine/condition.c) ---- */

/* The YAML nodes of one condition and the keys that name them in
 * messages (each may be NULL when absent; keys are static strings). */
struct load_condition_nodes {
    const struct ynode *fields, *where, *span, *entry, *no_entry;
    const char *fields_key, *where_key, *entry_key, *no_entry_key;
};

/*
 * Compile a condition with the rule loader's own code (engine/load.c):
 * where into ru->where (as applies_to.where), span into ru->span (as
 * applies_to.span), entry into ru->when (as applies_to.entry), no_entry
 * into *no_entry; ru->type is t, ru->fields
 * the fields it reads.  CA_DATA naming file:line:col; on failure the
 * caller still releases with load_condition_release.
 */
enum ca_status load_condition(struct ysrc *src, enum record_type t,
                              const struct load_condition_nodes *n,
                              struct rule *ru, struct entry_spec *no_entry,
                              struct ca_error *err);
void load_condition_release(struct rule *ru, struct entry_spec *no_entry);

/*
 * Whether r meets the condition (engine/eval.c): every field it reads is
 * present, ru's where holds, an entry qualifies under ru->when (when
 * present) and none under no_entry (when present), and ru's span, when
 * present, is long enough.  1 yes, 0 no, -1 it
 * cannot be judged (a field missing, a log problem, a match limit):
 * s->msg says why.
 */
int eval_condition(const struct rule *ru, const struct entry_spec *no_entry,
                   const struct record *r, const struct log_entry *e, size_t ne,
                   const char *log_problem, struct engine_scratch *s);

#endif
