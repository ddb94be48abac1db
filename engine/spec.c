/* SPDX-License-Identifier: MIT */
/*
 * Entry specs and record conditions: what a qualifying log entry looks
 * like (`entry`, `if`, `then`, `applies_to.entry`), and a rule's
 * `applies_to` (type, where, span), which engine/condition.c reuses for
 * the record conditions of any caller.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "ingest/rank.h"

/* ---- entry specs ---- */

/* `concept: NAME` or `concepts: [A, B]` (and `blocked_by:`) of spec n. */
static enum ca_status get_concepts(struct ld *ld, const struct ynode *n,
                                   const char *key, struct entry_spec *e)
{
    const struct ynode *one = map_get(n, "concept"),
                       *many = map_get(n, "concepts"), *v, *bb;
    const struct ynode *const *names;
    size_t nn, i;
    char k[96];
    enum ca_status st;

    if (one && many)
        return lerr(ld, many, "'%s' has 'concept' and 'concepts': give one",
                    key);
    if (!ld->lex)
        return lerr(ld, one ? one : many,
                    ld->lex_failed
                        ? "'%s' names a concept, but the lexicon did not load "
                          "(see its error)"
                        : "'%s' names a concept, but no lexicon was found (the "
                          "shipped rules/lexicon.yaml, or a lexicon.yaml among "
                          "the rule paths)",
                    key);
    if (one) {
        if ((st = want_kind(ld, one, YN_SCALAR, "concept")) != CA_OK)
            return st;
        names = &one;
        nn = 1;
    } else {
        if ((st = want_kind(ld, many, YN_SEQ, "concepts")) != CA_OK)
            return st;
        if (many->nkids == 0 || many->nkids > 16)
            return lerr(ld, many, "'concepts' must list 1 to 16 names");
        names = (const struct ynode *const *)many->kids;
        nn = many->nkids;
    }
    e->concepts = calloc(nn, sizeof(*e->concepts));
    if (!e->concepts)
        return oom(ld);
    if ((bb = map_get(n, "blocked_by"))) {
        snprintf(k, sizeof(k), "%s.blocked_by", key);
        if ((st = lexicon_modifier_mask(ld, ld->lex, bb, k, &e->blocked_by)) !=
            CA_OK)
            return st;
        e->has_blocked_by = true;
    }
    for (i = 0; i < nn; i++) {
        int x;

        v = names[i];
        if (v->kind != YN_SCALAR)
            return lerr(ld, v, "a concept is named by a single word");
        x = lexicon_concept(ld->lex, v->val);
        if (x < 0) {
            const char **all = calloc(ld->lex->nconcepts, sizeof(*all));
            size_t j;

            if (!all)
                return oom(ld);
            for (j = 0; j < ld->lex->nconcepts; j++)
                all[j] = ld->lex->concepts[j].name;
            snprintf(k, sizeof(k), "%s.concept", key);
            st = get_enum(ld, v, k, all, ld->lex->nconcepts, &x);
            free(all);
            if (st != CA_OK)
                return st;
        }
        e->concepts[e->nconcepts++] = &ld->lex->concepts[x];
        lexicon_mark_used(ld->lex, (size_t)x,
                          e->has_blocked_by ? e->blocked_by : 0);
    }
    return CA_OK;
}

/*
 * The keys of an entry spec: the pattern keys every kind takes, then the
 * windows, then the date fields a must_contain entry counts them from.
 */
static const char *const spec_keys[] = {"regex",
                                        "words",
                                        "exclude",
                                        "negate",
                                        "rank",
                                        "concept",
                                        "concepts",
                                        "author",
                                        "blocked_by",
                                        "within_days",
                                        "within_working_days",
                                        "within_months",
                                        "from",
                                        "to"};
#define SPEC_NPATTERN 9 /* spec_keys[0, 9): every kind */
#define SPEC_NWINDOW 3  /* spec_keys[9, 12): SK_ENTRY and SK_THEN */
#define SPEC_WINDOW (spec_keys + SPEC_NPATTERN)

/* n has only the keys of its kind: SK_THEN has `order` for `from`/`to`. */
static enum ca_status spec_check_keys(struct ld *ld, const struct ynode *n,
                                      enum spec_kind kind, const char *ctx)
{
    const char *keys[SPEC_NPATTERN + SPEC_NWINDOW + 1];
    size_t nk = SPEC_NPATTERN;

    if (kind == SK_ENTRY)
        return check_keys(ld, n, spec_keys,
                          sizeof(spec_keys) / sizeof(*spec_keys), ctx);
    memcpy(keys, spec_keys, (SPEC_NPATTERN + SPEC_NWINDOW) * sizeof(*keys));
    if (kind == SK_THEN) {
        keys[SPEC_NPATTERN + SPEC_NWINDOW] = "order";
        nk = SPEC_NPATTERN + SPEC_NWINDOW + 1;
    }
    return check_keys(ld, n, keys, nk, ctx);
}

/* What the entry must match: concepts, or regex and/or words. */
static enum ca_status spec_get_match(struct ld *ld, const struct ynode *n,
                                     const char *key, const char *ctx,
                                     struct entry_spec *e)
{
    const struct ynode *v, *rx = map_get(n, "regex"),
                           *words = map_get(n, "words");
    char k[96];
    enum ca_status st;

    if ((v = map_get(n, "concept")) || (v = map_get(n, "concepts"))) {
        if (rx || words)
            return lerr(ld, v,
                        "%s names a concept and gives 'regex' or 'words': "
                        "give one or the other",
                        ctx);
        return get_concepts(ld, n, key, e);
    } else if (!rx && !words) {
        return lerr(ld, n, "%s needs 'regex', 'words' or 'concept'", ctx);
    } else if ((v = map_get(n, "blocked_by"))) {
        return lerr(ld, v,
                    "'blocked_by' goes with 'concept': context decides "
                    "whether a concept's term counts");
    }
    if (rx) {
        snprintf(k, sizeof(k), "%s.regex", key);
        if (words) {
            /* validate the regex alone, for an exact error position */
            struct pattern tmp = {NULL, NULL};
            st = get_pattern(ld, rx, k, 0, false, &tmp);
            pattern_release(&tmp);
            if (st != CA_OK)
                return st;
            snprintf(k, sizeof(k), "%s.words", key);
            return get_words(ld, words, k, rx, &e->re);
        }
        return get_pattern(ld, rx, k, 0, false, &e->re);
    }
    snprintf(k, sizeof(k), "%s.words", key);
    return get_words(ld, words, k, NULL, &e->re);
}

/* An optional pattern key `name` of spec n into *out, compiled with the
 * extra options. */
static enum ca_status spec_get_pattern(struct ld *ld, const struct ynode *n,
                                       const char *key, const char *name,
                                       uint32_t extra, bool may_be_empty,
                                       struct pattern *out)
{
    const struct ynode *v = map_get(n, name);
    char k[96];

    if (!v)
        return CA_OK;
    snprintf(k, sizeof(k), "%s.%s", key, name);
    return get_pattern(ld, v, k, extra, may_be_empty, out);
}

/* exclude, negate, rank and author: what stops a match counting. */
static enum ca_status spec_get_filters(struct ld *ld, const struct ynode *n,
                                       const char *key, struct entry_spec *e)
{
    static const char *const classes[] = {
        "supervisor", "staff",           "constable",      "sergeant",
        "inspector",  "chief-inspector", "superintendent", "chief-officer"};
    const struct ynode *v;
    enum rank_class rc;
    char k[96];
    enum ca_status st;
    int x;

    /* a negate match matters only where it starts before the end of the
     * regex match: the search for one stops there (engine/eval.c) */
    if ((st = spec_get_pattern(ld, n, key, "exclude", 0, false, &e->exclude)) !=
            CA_OK ||
        (st = spec_get_pattern(ld, n, key, "negate", PCRE2_USE_OFFSET_LIMIT,
                               false, &e->negate)) != CA_OK ||
        (st = spec_get_pattern(ld, n, key, "rank", 0, true, &e->rank)) != CA_OK)
        return st;
    if (!(v = map_get(n, "author")))
        return CA_OK;
    snprintf(k, sizeof(k), "%s.author", key);
    if ((st = get_enum(ld, v, k, classes, 8, &x)) != CA_OK)
        return st;
    rank_class_parse(classes[x], &rc);
    e->min_rank = (int)rc;
    return CA_OK;
}

/* At most one of the within_* keys; *wnode is its node (or NULL). */
static enum ca_status spec_get_window(struct ld *ld, const struct ynode *n,
                                      const char *key, const char *ctx,
                                      struct entry_spec *e,
                                      const struct ynode **wnode)
{
    const char *const *wkeys = SPEC_WINDOW;
    const struct ynode *v;
    char k[96];
    enum ca_status st;
    size_t i;

    *wnode = NULL;
    for (i = 0; i < SPEC_NWINDOW; i++) {
        if (!(v = map_get(n, wkeys[i])))
            continue;
        if (*wnode)
            return lerr(
                ld, v, "%s has both '%s' and '%s': give one window", ctx,
                *wnode == map_get(n, wkeys[0]) ? wkeys[0] : wkeys[1], wkeys[i]);
        *wnode = v;
        snprintf(k, sizeof(k), "%s.%s", key, wkeys[i]);
        if ((st = get_int(ld, v, k, 0, LOAD_MAX_WINDOW, &e->win_n)) != CA_OK)
            return st;
        e->win = i == 0 ? WIN_DAYS : i == 1 ? WIN_WORKING_DAYS : WIN_MONTHS;
    }
    return CA_OK;
}

/* SK_ENTRY: the date fields `from` and `to`; a window needs `from`. */
static enum ca_status spec_get_dates(struct ld *ld, const struct ynode *n,
                                     const char *key, const char *ctx,
                                     const struct ynode *wnode,
                                     struct entry_spec *e)
{
    const struct ynode *v;
    char k[96];
    enum ca_status st;

    if ((v = map_get(n, "from"))) {
        snprintf(k, sizeof(k), "%s.from", key);
        if ((st = get_field(ld, v, k, true, &e->from)) != CA_OK)
            return st;
    }
    if ((v = map_get(n, "to"))) {
        snprintf(k, sizeof(k), "%s.to", key);
        if ((st = get_field(ld, v, k, true, &e->to)) != CA_OK)
            return st;
    }
    if (wnode && !e->from.name)
        return lerr(ld, wnode,
                    "%s has a window but no 'from' date field to "
                    "count it from",
                    ctx);
    return CA_OK;
}

/* SK_THEN: `order`, which a window needs. */
static enum ca_status spec_get_order(struct ld *ld, const struct ynode *n,
                                     const char *key, const char *ctx,
                                     const struct ynode *wnode,
                                     struct entry_spec *e)
{
    static const char *const orders[] = {"any", "before", "after"};
    const struct ynode *v;
    char k[96];
    enum ca_status st;
    int o;

    if ((v = map_get(n, "order"))) {
        snprintf(k, sizeof(k), "%s.order", key);
        if ((st = get_enum(ld, v, k, orders, 3, &o)) != CA_OK)
            return st;
        e->order = (enum then_order)o;
    }
    if (wnode && e->order == ORD_ANY && !v)
        return lerr(ld, wnode,
                    "%s has a window: say whether it runs 'before' "
                    "or 'after' the 'if' entry with 'order:'",
                    ctx);
    return CA_OK;
}

enum ca_status get_spec(struct ld *ld, const struct ynode *n, const char *key,
                        enum spec_kind kind, struct entry_spec *e)
{
    const struct ynode *wnode = NULL;
    char ctx[64];
    enum ca_status st;

    if ((st = want_kind(ld, n, YN_MAP, key)) != CA_OK)
        goto out;
    snprintf(ctx, sizeof(ctx), "'%s'", key);
    if ((st = spec_check_keys(ld, n, kind, ctx)) != CA_OK)
        goto out;
    e->present = true;
    e->key = key;
    if ((st = spec_get_match(ld, n, key, ctx, e)) != CA_OK ||
        (st = spec_get_filters(ld, n, key, e)) != CA_OK ||
        (st = spec_get_window(ld, n, key, ctx, e, &wnode)) != CA_OK)
        goto out;
    if (kind == SK_ENTRY)
        st = spec_get_dates(ld, n, key, ctx, wnode, e);
    else if (kind == SK_THEN)
        st = spec_get_order(ld, n, key, ctx, wnode, e);
out:
    return st;
}

/*
 * `entry:` as one mapping, or as a list of them (an entry qualifies when
 * it matches any item; each item has its own window).
 */
enum ca_status get_entry(struct ld *ld, const struct ynode *n,
                         enum spec_kind kind, struct entry_spec *e)
{
    static const char *const keys[] = {"entry[1]", "entry[2]", "entry[3]",
                                       "entry[4]", "entry[5]", "entry[6]",
                                       "entry[7]", "entry[8]"};
    enum ca_status st;
    size_t i;

    if (n->kind != YN_SEQ)
        return get_spec(ld, n, "entry", kind, e);
    if (n->nkids == 0 || n->nkids > 8)
        return lerr(ld, n, "'entry' as a list holds 1 to 8 mappings");
    if ((st = get_spec(ld, n->kids[0], keys[0], kind, e)) != CA_OK)
        return st;
    if (n->nkids == 1)
        return CA_OK;
    e->alt = calloc(n->nkids - 1, sizeof(*e->alt));
    if (!e->alt)
        return oom(ld);
    for (i = 1; i < n->nkids; i++) {
        e->nalt = i;
        if ((st = get_spec(ld, n->kids[i], keys[i], kind, &e->alt[i - 1])) !=
            CA_OK)
            return st;
    }
    return CA_OK;
}

/* ---- applies_to ---- */

static enum ca_status get_date(struct ld *ld, const struct ynode *n,
                               const char *key, int64_t *day)
{
    unsigned y, m, d;
    char tail;
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    if (sscanf(n->val, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
        n->len != 10 || m < 1 || m > 12 || d < 1 || d > 31)
        return lerr(ld, n,
                    "'%s' must be a date written YYYY-MM-DD, not '%.40s'", key,
                    n->val);
    *day = date_days_from_civil((int)y, m, d);
    {
        int yy;
        unsigned mm, dd;
        date_civil_from_days(*day, &yy, &mm, &dd);
        if ((unsigned)yy != y || mm != m || dd != d)
            return lerr(ld, n, "'%s': %s is not a real date", key, n->val);
    }
    return CA_OK;
}

/* One mapping of where conditions (all must hold), as group g. */
static enum ca_status get_where_map(struct ld *ld, const struct ynode *n, int g)
{
    static const char *const k_range[] = {"from", "to", "not"};
    struct rule *ru = ld->ru;
    enum ca_status st;
    size_t i;
    char k[160];

    snprintf(k, sizeof(k), "each item of '%s'", ld->where_key);
    if ((st = want_kind(ld, n, YN_MAP, k)) != CA_OK)
        return st;
    if (n->nkids == 0)
        return lerr(ld, n, "'%s' is empty", ld->where_key);
    {
        struct where_cond *nw = realloc(ru->where, (ru->nwhere + n->nkids / 2) *
                                                       sizeof(*ru->where));
        if (!nw)
            return oom(ld);
        ru->where = nw;
        memset(nw + ru->nwhere, 0, n->nkids / 2 * sizeof(*nw));
    }
    for (i = 0; i + 1 < n->nkids; i += 2) {
        const struct ynode *kn = n->kids[i], *v = n->kids[i + 1], *x;
        struct where_cond *w = &ru->where[ru->nwhere++];

        w->group = g;

        snprintf(k, sizeof(k), "%s.%.100s", ld->where_key, kn->val);
        if ((st = get_field(ld, kn, ld->where_key, false, &w->field)) != CA_OK)
            return st;
        if (v->kind == YN_SCALAR) {
            w->kind = WH_PATTERN;
            st = get_pattern(ld, v, k, PCRE2_ANCHORED | PCRE2_ENDANCHORED, true,
                             &w->re);
            if (st != CA_OK)
                return st;
            continue;
        }
        if ((st = want_kind(ld, v, YN_MAP, k)) != CA_OK)
            return st;
        if ((st = check_keys(ld, v, k_range, 3, k)) != CA_OK)
            return st;
        if ((x = map_get(v, "not"))) {
            if (map_get(v, "from") || map_get(v, "to"))
                return lerr(ld, x,
                            "'%s' has 'not' with 'from'/'to': use one form", k);
            w->kind = WH_PATTERN;
            w->negated = true;
            st = get_pattern(ld, x, k, PCRE2_ANCHORED | PCRE2_ENDANCHORED, true,
                             &w->re);
            if (st != CA_OK)
                return st;
            continue;
        }
        w->kind = WH_DATES;
        if (w->field.cf >= 0 && cf_kind((enum cf)w->field.cf) != CFK_DATE)
            return lerr(ld, kn, "'%s': a date range needs a date field", k);
        if ((x = map_get(v, "from"))) {
            w->has_from = true;
            if ((st = get_date(ld, x, k, &w->from_day)) != CA_OK)
                return st;
        }
        if ((x = map_get(v, "to"))) {
            w->has_to = true;
            if ((st = get_date(ld, x, k, &w->to_day)) != CA_OK)
                return st;
        }
        if (!w->has_from && !w->has_to)
            return lerr(ld, v,
                        "'%s' needs 'from' and/or 'to' (dates), or 'not'", k);
        if (w->has_from && w->has_to && w->from_day > w->to_day)
            return lerr(ld, v, "'%s': 'from' is after 'to'", k);
    }
    return CA_OK;
}

/*
 * applies_to.where: a mapping (every condition must hold) or a list of
 * mappings (any one of them must hold).
 */
static enum ca_status get_where(struct ld *ld, const struct ynode *n)
{
    enum ca_status st;
    size_t i;

    if (n->kind != YN_SEQ) {
        ld->ru->nwhere_groups = 1;
        return get_where_map(ld, n, 0);
    }
    if (n->nkids == 0 || n->nkids > 16)
        return lerr(ld, n, "'%s' must list 1 to 16 mappings", ld->where_key);
    for (i = 0; i < n->nkids; i++)
        if ((st = get_where_map(ld, n->kids[i], (int)i)) != CA_OK)
            return st;
    ld->ru->nwhere_groups = (int)n->nkids;
    return CA_OK;
}

static enum ca_status get_span(struct ld *ld, const struct ynode *n)
{
    static const char *const keys[] = {"start", "end", "over_days",
                                       "over_months"};
    struct span_cond *sp = &ld->ru->span;
    const struct ynode *v, *d, *m;
    enum ca_status st;

    if ((st = want_kind(ld, n, YN_MAP, "applies_to.span")) != CA_OK)
        return st;
    if ((st = check_keys(ld, n, keys, 4, "'applies_to.span'")) != CA_OK)
        return st;
    sp->present = true;
    if (!(v = map_get(n, "start")))
        return lerr(ld, n, "'applies_to.span' needs 'start'");
    if ((st = get_field(ld, v, "applies_to.span.start", true, &sp->start)) !=
        CA_OK)
        return st;
    if (!(v = map_get(n, "end")))
        return lerr(ld, n, "'applies_to.span' needs 'end'");
    if ((st = get_field(ld, v, "applies_to.span.end", true, &sp->end)) != CA_OK)
        return st;
    d = map_get(n, "over_days");
    m = map_get(n, "over_months");
    if (!d == !m)
        return lerr(
            ld, n,
            "'applies_to.span' needs one of 'over_days' or 'over_months'");
    sp->unit = d ? WIN_DAYS : WIN_MONTHS;
    return get_int(ld, d ? d : m,
                   d ? "applies_to.span.over_days"
                     : "applies_to.span.over_months",
                   0, LOAD_MAX_WINDOW, &sp->n);
}

enum ca_status get_applies(struct ld *ld, const struct ynode *n)
{
    static const char *const keys[] = {"type", "where", "span", "entry",
                                       "no_entry"};
    static const char *const types[] = {"crime", "wanted", "bail", "incident"};
    const struct ynode *v;
    enum ca_status st;
    int t;

    if ((st = want_kind(ld, n, YN_MAP, "applies_to")) != CA_OK)
        return st;
    if ((st = check_keys(ld, n, keys, 5, "'applies_to'")) != CA_OK)
        return st;
    if (!(v = map_get(n, "type")))
        return lerr(
            ld, n,
            "'applies_to' needs 'type' (crime, wanted, bail or incident)");
    if ((st = get_enum(ld, v, "applies_to.type", types, 4, &t)) != CA_OK)
        return st;
    ld->ru->type = (enum record_type)(RT_CRIME + t);
    return CA_OK;
}

/* where/span/entry need the type and the declared fields: a second pass. */
enum ca_status get_applies_conditions(struct ld *ld, const struct ynode *n)
{
    const struct ynode *v;
    enum ca_status st;

    if ((v = map_get(n, "where")) && (st = get_where(ld, v)) != CA_OK)
        return st;
    if ((v = map_get(n, "span")) && (st = get_span(ld, v)) != CA_OK)
        return st;
    if ((v = map_get(n, "entry")) &&
        (st = get_spec(ld, v, "applies_to.entry", SK_WHEN, &ld->ru->when)) !=
            CA_OK)
        return st;
    /* no entry may qualify: "a named suspect not yet arrested" */
    if ((v = map_get(n, "no_entry")) &&
        (st = get_spec(ld, v, "applies_to.no_entry", SK_WHEN,
                       &ld->ru->when_not)) != CA_OK)
        return st;
    return CA_OK;
}

/* ---- record conditions (engine/condition.c) ---- */

void load_condition_release(struct rule *ru, struct entry_spec *no_entry)
{
    spec_release(no_entry);
    rule_conditions_release(ru);
    free(ru->path);
    memset(ru, 0, sizeof(*ru));
    memset(no_entry, 0, sizeof(*no_entry));
}

enum ca_status load_condition(struct ysrc *src, enum record_type t,
                              struct lexicon *lex,
                              const struct load_condition_nodes *n,
                              struct rule *ru, struct entry_spec *no_entry,
                              struct ca_error *err)
{
    struct ld ld;
    enum ca_status st = CA_OK;

    memset(ru, 0, sizeof(*ru));
    memset(no_entry, 0, sizeof(*no_entry));
    memset(&ld, 0, sizeof(ld));
    ld.src = src;
    ld.path = src->name;
    ld.err = err;
    ld.ru = ru;
    ld.lex = lex;
    ld.where_key = n->where_key;
    ru->type = t;
    ru->lex = lex;
    prefilter_spec_none(&ru->when);
    prefilter_spec_none(no_entry);
    if (!(ru->path = strdup(src->name)))
        return oom(&ld);
    if (n->fields && (st = add_fields(&ld, n->fields, n->fields_key)) != CA_OK)
        return st;
    if (n->where && (st = get_where(&ld, n->where)) != CA_OK)
        return st;
    if (n->span && (st = get_span(&ld, n->span)) != CA_OK)
        return st;
    if (n->entry && (st = get_spec(&ld, n->entry, n->entry_key, SK_WHEN,
                                   &ru->when)) != CA_OK)
        return st;
    if (n->no_entry && (st = get_spec(&ld, n->no_entry, n->no_entry_key,
                                      SK_WHEN, no_entry)) != CA_OK)
        return st;
    prefilter_spec_none(&ru->when);
    prefilter_spec_none(no_entry);
    if (no_entry->present && !ru->when.present &&
        (st = add_field(&ld, "log")) != CA_OK)
        return st;
    return finish_fields(&ld);
}

/* e->negate_starts: where negate's matches may start (at a clause's start
 * too).  The pattern is compiled with PCRE2_USE_OFFSET_LIMIT already. */
static void negate_starts(struct entry_spec *e)
{
    struct pf_clause cl;
    char **lits;
    size_t i, n;

    if (!e->present || !e->negate.code || !e->negate.src || e->negate_starts)
        return;
    if (prefilter_clause_starts(e->negate.src, strlen(e->negate.src), &lits, &n,
                                &cl) == 0) {
        e->negate_starts = pf_starts_new_after(lits, n, &cl);
        pf_clause_release(&cl);
    } else if (prefilter_starts(e->negate.src, strlen(e->negate.src), &lits,
                                &n) == 0) {
        if (pf_starts_useful(lits, n))
            e->negate_starts = pf_starts_new(lits, n);
    } else {
        return;
    }
    for (i = 0; i < n; i++)
        free(lits[i]);
    free(lits);
}

void spec_find_starts(struct entry_spec *e)
{
    uint32_t opts = 0;
    pcre2_code *code;
    char **lits;
    size_t i, n;
    int ec;
    PCRE2_SIZE eo;

    for (i = 0; i < e->nalt; i++)
        spec_find_starts(&e->alt[i]);
    negate_starts(e);
    if (!e->present || !e->re.code || !e->re.src || e->re_starts ||
        pcre2_pattern_info(e->re.code, PCRE2_INFO_ARGOPTIONS, &opts) != 0 ||
        prefilter_starts(e->re.src, strlen(e->re.src), &lits, &n) != 0)
        return;
    if (pf_starts_useful(lits, n))
        e->re_starts = pf_starts_new(lits, n);
    for (i = 0; i < n; i++)
        free(lits[i]);
    free(lits);
    if (!e->re_starts)
        return;
    code = pcre2_compile((PCRE2_SPTR)e->re.src, PCRE2_ZERO_TERMINATED,
                         opts | PCRE2_USE_OFFSET_LIMIT, &ec, &eo, NULL);
    if (!code) {
        pf_starts_free(e->re_starts);
        e->re_starts = NULL;
        return;
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* interpreter if it fails */
    pcre2_code_free(e->re.code);
    e->re.code = code;
}
