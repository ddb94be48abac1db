/* SPDX-License-Identifier: MIT */
/*
 * The check kinds of a rule (docs/rule-format.md), each judging one record
 * once it is known the rule applies: must_contain and must_not_contain (a
 * qualifying entry in its window), max_gap (no gap between the start, the
 * qualifying entries and the end over the limit) and if_then (each `if`
 * entry has its `then` entry, in order and window).  The matching they are
 * built from is in engine/eval.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/checks.h"

void eval_cat(char *out, size_t size, size_t *n, const char *text)
{
    size_t l = strlen(text);

    if (*n + 1 >= size)
        return;
    if (l > size - 1 - *n)
        l = size - 1 - *n;
    memcpy(out + *n, text, l);
    *n += l;
    out[*n] = '\0';
}

void eval_cat_num(char *out, size_t size, size_t *n, long long v)
{
    char buf[24];
    size_t i = sizeof(buf) - 1;
    unsigned long long u =
        v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[--i] = '-';
    eval_cat(out, size, n, buf + i);
}

size_t eval_fail_begin(struct ctx *c)
{
    size_t n = 0;

    c->s->msg[0] = '\0';
    eval_cat(c->s->msg, sizeof(c->s->msg), &n, c->ru->message);
    eval_cat(c->s->msg, sizeof(c->s->msg), &n, ": ");
    return n;
}

struct window {
    bool has_lo, has_hi;
    int64_t lo, hi; /* days, inclusive */
    char desc[160];
};

static bool entry_window(struct ctx *c, const struct entry_spec *sp,
                         struct window *w)
{
    int64_t secs;
    bool ht, empty;
    char a[16], b[16];
    size_t n = 0;

    memset(w, 0, sizeof(*w));
    if (!c->r)
        return true;
    if (sp->from.name) {
        if (!eval_need_date(c, &sp->from, false, &secs, &ht, &empty))
            return false;
        w->has_lo = true;
        w->lo = cal_day_of(secs);
        if (sp->win != WIN_NONE) {
            w->has_hi = true;
            w->hi = eval_window_end(sp->win, sp->win_n, w->lo);
        }
    }
    if (sp->to.name) {
        if (!eval_need_date(c, &sp->to, true, &secs, &ht, &empty))
            return false;
        if (!empty && (!w->has_hi || cal_day_of(secs) < w->hi)) {
            w->has_hi = true;
            w->hi = cal_day_of(secs);
        }
    }
    if (w->has_lo)
        eval_fmt_day(w->lo, a);
    if (w->has_hi)
        eval_fmt_day(w->hi, b);
    w->desc[0] = '\0';
    if (w->has_lo) {
        eval_cat(w->desc, sizeof(w->desc), &n,
                 w->has_hi ? " between " : " on or after ");
        eval_cat(w->desc, sizeof(w->desc), &n, a);
        eval_cat(w->desc, sizeof(w->desc), &n, " (");
        eval_cat(w->desc, sizeof(w->desc), &n, sp->from.name);
        eval_cat(w->desc, sizeof(w->desc), &n, w->has_hi ? ") and " : ")");
    } else if (w->has_hi) {
        eval_cat(w->desc, sizeof(w->desc), &n, " on or before ");
    }
    if (w->has_hi)
        eval_cat(w->desc, sizeof(w->desc), &n, b);
    return true;
}

static bool in_window(const struct window *w, const struct log_entry *e)
{
    int64_t d;

    if (!w->has_lo && !w->has_hi)
        return true;
    if (!e->has_at)
        return false;
    d = cal_day_of(e->at);
    return (!w->has_lo || d >= w->lo) && (!w->has_hi || d <= w->hi);
}

static const char *nq_text(enum nq why)
{
    switch (why) {
    case NQ_EXCLUDED:
        return "matched but is excluded by 'exclude'";
    case NQ_NEGATED:
        return "matched only in a negated phrase";
    case NQ_RANK:
        return "matched but its author's rank does not qualify";
    case NQ_WINDOW:
        return "matched but is outside the window";
    case NQ_BLOCKED:
        return "matched only where its context blocks it";
    default:
        return "";
    }
}

#define MAX_ALTS 16

/* Whether e is in the window of one of the na alternatives. */
static bool in_a_window(const struct window *w, size_t na,
                        const struct log_entry *e)
{
    size_t a;

    for (a = 0; a < na && a < MAX_ALTS; a++)
        if (in_window(&w[a], e))
            return true;
    return false;
}

/* Whether working out why an entry does not qualify can cost more than
 * judging whether it does: a spec of concepts with an author asks, of an
 * entry by another author, whether its words are there at all (a scan of
 * them). */
static bool reasons_cost(const struct entry_spec *sp, size_t na)
{
    size_t a;

    for (a = 0; a < na && a < MAX_ALTS; a++) {
        const struct entry_spec *x = a ? &sp->alt[a - 1] : sp;

        if (x->nconcepts && (x->rank.code || x->min_rank))
            return true;
    }
    return false;
}

/* The first near miss, and the entries before it whose reason was left
 * unsure (by alternative, bits of c->s->flags). */
struct near {
    size_t i, a; /* (size_t)-1: none yet */
    enum nq why;
    char blocked[sizeof(((struct engine_scratch *)0)->blocked)];
};

/*
 * Settle the near miss when reasons were deferred: an entry whose author
 * does not qualify is a near miss (NQ_RANK) when its words are there, and
 * the first such (entry, alternative) before the near miss found is it.
 */
static void near_settle(struct ctx *c, struct near *nm, size_t na)
{
    const struct entry_spec *sp = &c->ru->entry;
    size_t i, a, last = nm->i == (size_t)-1 ? c->ne : nm->i + 1;

    for (i = 0; i < last; i++) {
        for (a = 0; a < na && c->s->flags[i]; a++) {
            if (i == nm->i && a >= nm->a)
                return;
            if (!(c->s->flags[i] >> a & 1))
                continue;
            if (eval_any_concept_hit(c, a ? &sp->alt[a - 1] : sp, &c->e[i])) {
                nm->i = i;
                nm->a = a;
                nm->why = NQ_RANK;
                return;
            }
        }
    }
}

/*
 * The entries in order until one qualifies in its window (1, *pos,
 * *at), the first near miss in *nm; 0 none qualifies, -1 an entry could
 * not be judged (an error verdict put).  defer: an author's near miss is
 * left unsure (c->s->flags) and settled only when no entry qualifies, as
 * a pass names nothing before its entry.
 */
static int contain_scan(struct ctx *c, const struct window *w, size_t na,
                        bool defer, struct near *nm, size_t *at, size_t *pos)
{
    const struct entry_spec *sp = &c->ru->entry;
    size_t i, a;
    enum nq why;
    int rc;

    nm->i = nm->a = (size_t)-1;
    nm->why = NQ_NOMATCH;
    nm->blocked[0] = '\0';
    for (i = 0; i < c->ne; i++) {
        const struct log_entry *e = &c->e[i];

        /* the first near miss is named: reasons are wanted until then;
         * after it, an entry outside every window can only miss */
        c->want_why = nm->i == (size_t)-1;
        c->defer_rank = defer && c->want_why;
        if (defer)
            c->s->flags[i] = 0;
        if (!c->want_why && !in_a_window(w, na, e))
            continue;
        for (a = 0; a < na && a < MAX_ALTS; a++) {
            const struct entry_spec *x = a ? &sp->alt[a - 1] : sp;

            rc = eval_qualifies_one(c, x, e, pos, &why);
            if (rc < 0) {
                c->defer_rank = false;
                return -1;
            }
            if (rc == 1 && !in_window(&w[a], e)) {
                rc = 0;
                why = NQ_WINDOW;
            }
            if (rc == 1) {
                c->defer_rank = false;
                *at = i;
                return 1;
            }
            if (why == NQ_RANK_UNSURE) {
                c->s->flags[i] |= (unsigned char)(1u << a);
            } else if (why != NQ_NOMATCH && nm->i == (size_t)-1) {
                nm->i = i;
                nm->a = a;
                nm->why = why;
                if (why == NQ_BLOCKED)
                    memcpy(nm->blocked, c->s->blocked, sizeof(nm->blocked));
            }
        }
    }
    c->defer_rank = false;
    if (defer)
        near_settle(c, nm, na);
    return 0;
}

bool eval_contain(struct ctx *c, bool must)
{
    const struct entry_spec *sp = &c->ru->entry;
    struct window w[MAX_ALTS];
    struct engine_verdict keep = *c->v;
    struct near nm;
    size_t a, na = sp->nalt + 1, pos = 0, at = 0, n = 0;
    bool defer;
    int rc;

    for (a = 0; a < na && a < MAX_ALTS; a++)
        if (!entry_window(c, a ? &sp->alt[a - 1] : sp, &w[a]))
            return true;
    /* deferred, the entries judged are those judged the long way and a
     * few more (outside the window, before the near miss is known): one
     * that cannot be judged sends the record the long way */
    defer = must && na <= 8 && !c->s->lim.no_early && reasons_cost(sp, na) &&
            eval_grow_keys(c->s, c->ne + 1);
    rc = contain_scan(c, w, na, defer, &nm, &at, &pos);
    if (rc < 0 && defer) {
        *c->v = keep;
        rc = contain_scan(c, w, na, false, &nm, &at, &pos);
    }
    if (rc < 0)
        return true;
    if (rc == 1) {
        const struct log_entry *e = &c->e[at];

        eval_set_evidence(c, e, pos);
        if (must) {
            c->s->msg[0] = '\0';
            eval_cat(c->s->msg, sizeof(c->s->msg), &n, c->s->counted);
            eval_set_pass(c);
        } else {
            char when[24] = "";
            if (e->has_at)
                eval_fmt_time(e->at, e->has_time, when);
            eval_fail_msg(c, "entry%s%s matches%s%s", when[0] ? " at " : "",
                          when, c->s->counted[0] ? ": " : "", c->s->counted);
            eval_set_fail(c);
        }
        return true;
    }
    if (!must) {
        c->s->msg[0] = '\0';
        c->v->excerpt = "";
        eval_set_pass(c);
        return true;
    }
    c->v->excerpt = "";
    /* "no qualifying entry%s", then " (nearest: the entry%s%s %s)" */
    n = eval_fail_begin(c);
    eval_cat(c->s->msg, sizeof(c->s->msg), &n, "no qualifying entry");
    eval_cat(c->s->msg, sizeof(c->s->msg), &n, w[0].desc);
    if (nm.i != (size_t)-1) {
        char when[24] = "";
        if (c->e[nm.i].has_at)
            eval_fmt_time(c->e[nm.i].at, c->e[nm.i].has_time, when);
        eval_cat(c->s->msg, sizeof(c->s->msg), &n, " (nearest: the entry");
        if (when[0])
            eval_cat(c->s->msg, sizeof(c->s->msg), &n, " at ");
        eval_cat(c->s->msg, sizeof(c->s->msg), &n, when);
        eval_cat(c->s->msg, sizeof(c->s->msg), &n, " ");
        eval_cat(c->s->msg, sizeof(c->s->msg), &n,
                 nm.why == NQ_BLOCKED ? nm.blocked : nq_text(nm.why));
        eval_cat(c->s->msg, sizeof(c->s->msg), &n, ")");
    }
    eval_set_fail(c);
    return true;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* Entry ordering key: the time, or (example mode, untimed) the position. */
static bool use_positions(struct ctx *c)
{
    size_t i;

    if (c->r)
        return false;
    for (i = 0; i < c->ne; i++)
        if (!c->e[i].has_at)
            return true;
    return false;
}

/* What max_gap measures: its bounds, and the qualifying entries' keys. */
struct gap {
    int64_t start, end;
    bool sht, eht; /* start, end has a time */
    bool pos_mode; /* keys are positions, not times */
    const char *start_name, *end_label;
    size_t nk; /* keys in c->s->keys */
    int64_t limit_days;
};

/* The longest gap, and the worst one over the limit (worst < 0: none). */
struct gap_worst {
    int64_t worst, from, to, longest;
    bool from_ht, to_ht, by_day;
    const char *from_label, *to_label;
    size_t over;
};

/* The start (the first of start, start_more that holds a date) and the
 * end; false when an error verdict was put. */
static bool gap_bounds(struct ctx *c, struct gap *g)
{
    const struct rule *ru = c->ru;
    const struct fieldref *sf = &ru->start;
    bool empty;
    size_t i;

    /* start: [a, b]: the first that holds a date (else a's error) */
    for (i = 0; i < ru->nstart_more; i++) {
        int64_t t;
        bool h;

        if (eval_field_date(c->r, sf, &t, &h) == F_OK)
            break;
        if (eval_field_date(c->r, &ru->start_more[i], &t, &h) == F_OK) {
            sf = &ru->start_more[i];
            break;
        }
    }
    g->start_name = sf->name;
    return eval_need_date(c, sf, false, &g->start, &g->sht, &empty) &&
           eval_resolve_end(c, ru->end, ru->nend, g->start, &g->end, &g->eht,
                            &g->end_label);
}

/* The qualifying entries' keys in c->s->keys (within the bounds), each
 * entry marked in c->s->flags with its match in c->s->pos; -1 when an
 * error verdict was put. */
static int gap_collect(struct ctx *c, struct gap *g)
{
    const struct rule *ru = c->ru;
    size_t i, pos;
    enum nq why;
    int rc;

    if (!ru->entry.present)
        return 0;
    for (i = 0; i < c->ne; i++) {
        const struct log_entry *e = &c->e[i];

        c->s->flags[i] = 0;
        /* only dated entries within the bounds count: the others are not
         * looked at */
        if (!g->pos_mode &&
            (!e->has_at || (c->r && (cal_day_of(e->at) < cal_day_of(g->start) ||
                                     cal_day_of(e->at) > cal_day_of(g->end)))))
            continue;
        rc = eval_qualifies(c, &ru->entry, e, &pos, &why);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        c->s->flags[i] = 1;
        c->s->pos[i] = pos;
        c->s->keys[g->nk++] = g->pos_mode ? (int64_t)i : e->at;
    }
    return 0;
}

/* Example mode: qualifying entries, and the gaps between them. */
static bool gap_example(struct ctx *c, const struct gap *g)
{
    size_t i, nk = g->nk;

    c->s->msg[0] = '\0';
    c->v->excerpt = "";
    if (nk == 0) {
        eval_fail_msg(c, "no qualifying entry");
        eval_set_fail(c);
        return true;
    }
    if (!g->pos_mode) {
        qsort(c->s->keys, nk, sizeof(int64_t), cmp_i64);
        for (i = 1; i < nk; i++)
            if (cal_day_of(c->s->keys[i]) - cal_day_of(c->s->keys[i - 1]) >
                g->limit_days) {
                eval_fail_msg(c,
                              "a gap of %lld days between qualifying entries",
                              (long long)(cal_day_of(c->s->keys[i]) -
                                          cal_day_of(c->s->keys[i - 1])));
                eval_set_fail(c);
                return true;
            }
    }
    eval_set_pass(c);
    return true;
}

/* Each gap from the start through the sorted keys to the end. */
static void gap_measure(const struct ctx *c, const struct gap *g,
                        struct gap_worst *w)
{
    const struct rule *ru = c->ru;
    int64_t prev = g->start, prev_day = cal_day_of(g->start);
    bool prev_ht = g->sht;
    size_t i, nk = g->nk;

    memset(w, 0, sizeof(*w));
    w->worst = -1;
    w->from_label = w->to_label = "";
    for (i = 0; i <= nk; i++) {
        int64_t t = i < nk ? c->s->keys[i] : g->end;
        bool tht = i < nk ? true : g->eht;
        int64_t gap_days = cal_day_of(t) - prev_day, measure;
        bool bad;

        if (ru->gap_hours && prev_ht && tht) {
            measure = t - prev;
            bad = measure > (int64_t)ru->gap_n * 3600;
            measure = measure > 0 ? (measure + 3599) / 3600
                                  : 0; /* hours, rounded up */
        } else {
            bad = gap_days > g->limit_days;
            measure = ru->gap_hours ? gap_days * 24 : gap_days;
            w->by_day = w->by_day || ru->gap_hours;
        }
        if (measure > w->longest)
            w->longest = measure;
        if (bad)
            w->over++;
        if (bad && measure > w->worst) {
            w->worst = measure;
            w->from = prev;
            w->to = t;
            w->from_ht = prev_ht;
            w->to_ht = tht;
            w->from_label = i == 0 ? g->start_name : "an entry";
            w->to_label = i < nk ? "an entry" : g->end_label;
        }
        if (t > prev) {
            prev = t;
            prev_ht = tht;
            prev_day = cal_day_of(t);
        }
    }
}

/* The qualifying entry (from the last when last) whose time is key, as
 * evidence: gap_collect has judged every entry of that day (with no_early,
 * it is judged again); false when an error verdict was put. */
static bool gap_evidence(struct ctx *c, int64_t key, bool last)
{
    size_t n = c->ne, k;
    int rc;

    for (k = 0; k < n; k++) {
        size_t i = last ? n - 1 - k : k;

        if (!c->e[i].has_at || c->e[i].at != key)
            continue;
        if (c->s->lim.no_early) {
            rc = eval_take_evidence(c, &c->ru->entry, &c->e[i]);
            if (rc < 0)
                return false;
            if (rc == 1)
                break;
        } else if (c->s->flags[i]) {
            eval_set_evidence(c, &c->e[i], c->s->pos[i]);
            break;
        }
    }
    return true;
}

static bool gap_fail(struct ctx *c, const struct gap_worst *w, const char *unit)
{
    const struct rule *ru = c->ru;
    char a[24], b[24], *m = c->s->msg;
    size_t n, sz = sizeof(c->s->msg);

    eval_fmt_time(w->from, w->from_ht, a);
    eval_fmt_time(w->to, w->to_ht, b);
    /* "a gap of %lld %s from %s (%s) to %s (%s), over the limit of %d %s%s" */
    n = eval_fail_begin(c);
    eval_cat(m, sz, &n, "a gap of ");
    eval_cat_num(m, sz, &n, (long long)w->worst);
    eval_cat(m, sz, &n, ru->gap_hours ? " hours from " : " days from ");
    eval_cat(m, sz, &n, a);
    eval_cat(m, sz, &n, " (");
    eval_cat(m, sz, &n, w->from_label);
    eval_cat(m, sz, &n, ") to ");
    eval_cat(m, sz, &n, b);
    eval_cat(m, sz, &n, " (");
    eval_cat(m, sz, &n, w->to_label);
    eval_cat(m, sz, &n, "), over the limit of ");
    eval_cat_num(m, sz, &n, ru->gap_n);
    eval_cat(m, sz, &n, " ");
    eval_cat(m, sz, &n, unit);
    if (w->over > 1)
        eval_cat(m, sz, &n, " (and more such gaps)");
    /* evidence: the last qualifying entry before the gap */
    if (strcmp(w->from_label, "an entry") == 0 &&
        !gap_evidence(c, w->from, false))
        return true;
    eval_set_fail(c);
    return true;
}

static bool gap_pass(struct ctx *c, const struct gap *g,
                     const struct gap_worst *w, const char *unit)
{
    const struct rule *ru = c->ru;
    const char *lu = ru->gap_hours ? (w->longest == 1 ? "hour" : "hours")
                                   : (w->longest == 1 ? "day" : "days");
    char *m = c->s->msg;
    size_t sz = sizeof(c->s->msg), n = 0;

    /* evidence: the last qualifying entry */
    if (g->nk > 0 && !gap_evidence(c, c->s->keys[g->nk - 1], true))
        return true;
    c->s->msg[0] = '\0';
    if (ru->entry.present) {
        /* "%zu qualifying entr%s; longest gap %lld %s, within the limit of
         * %d %s" */
        eval_cat_num(m, sz, &n, (long long)g->nk);
        eval_cat(m, sz, &n,
                 g->nk == 1 ? " qualifying entry" : " qualifying entries");
        eval_cat(m, sz, &n, "; longest gap ");
        eval_cat_num(m, sz, &n, (long long)w->longest);
        eval_cat(m, sz, &n, " ");
        eval_cat(m, sz, &n, lu);
        eval_cat(m, sz, &n, ", within the limit of ");
        eval_cat_num(m, sz, &n, ru->gap_n);
        eval_cat(m, sz, &n, " ");
        eval_cat(m, sz, &n, unit);
    } else {
        /* "%lld %s from %s to %s, within the limit of %d %s%s" */
        eval_cat_num(m, sz, &n, (long long)w->longest);
        eval_cat(m, sz, &n, " ");
        eval_cat(m, sz, &n, lu);
        eval_cat(m, sz, &n, " from ");
        eval_cat(m, sz, &n, g->start_name);
        eval_cat(m, sz, &n, " to ");
        eval_cat(m, sz, &n, g->end_label);
        eval_cat(m, sz, &n, ", within the limit of ");
        eval_cat_num(m, sz, &n, ru->gap_n);
        eval_cat(m, sz, &n, " ");
        eval_cat(m, sz, &n, unit);
        if (w->by_day)
            eval_cat(m, sz, &n,
                     " (a date without a time is compared by calendar day)");
    }
    eval_set_pass(c);
    return true;
}

bool eval_gap(struct ctx *c)
{
    const struct rule *ru = c->ru;
    struct gap g;
    struct gap_worst w;
    const char *unit;

    memset(&g, 0, sizeof(g));
    g.pos_mode = use_positions(c);
    g.start_name = ru->start.name;
    g.end_label = "";
    g.limit_days = ru->gap_hours ? (ru->gap_n + 23) / 24 : ru->gap_n;
    if (!eval_grow_keys(c->s, c->ne + 1))
        return eval_error(c, "out of memory");
    if (c->r && !gap_bounds(c, &g))
        return true;
    if (gap_collect(c, &g) < 0)
        return true;
    if (!c->r)
        return gap_example(c, &g);
    qsort(c->s->keys, g.nk, sizeof(int64_t), cmp_i64);
    gap_measure(c, &g, &w);
    c->v->excerpt = "";
    unit = ru->gap_hours ? (ru->gap_n == 1 ? "hour" : "hours")
                         : (ru->gap_n == 1 ? "day" : "days");
    if (w.worst >= 0)
        return gap_fail(c, &w, unit);
    return gap_pass(c, &g, &w, unit);
}

bool eval_if_then(struct ctx *c)
{
    const struct rule *ru = c->ru;
    const struct entry_spec *b = &ru->thens;
    bool pos_mode = use_positions(c), triggered = false, have_sat = false;
    int64_t sat = 0;
    size_t i, j, nk = 0, pos;
    enum nq why;
    int rc;

    if (!eval_grow_keys(c->s, c->ne + 1))
        return eval_error(c, "out of memory");
    /* the `if` entries first: most records have none, and then the rule
     * does not apply (no need to look for `then` entries at all) */
    for (i = 0; i < c->ne; i++) {
        rc = eval_qualifies(c, &ru->ifs, &c->e[i], &pos, &why);
        if (rc < 0)
            return true;
        /* bit 0: an `if` entry (its match at pos[i]); bit 1: a `then`
         * entry (at pos[ne + i]) */
        c->s->flags[i] = (unsigned char)rc;
        c->s->pos[i] = pos;
        triggered = triggered || rc == 1;
    }
    if (!triggered)
        return false;
    /* the `then` entries, as sorted keys */
    for (i = 0; i < c->ne; i++) {
        rc = eval_qualifies(c, b, &c->e[i], &pos, &why);
        if (rc < 0)
            return true;
        if (rc == 1) {
            c->s->flags[i] |= 2;
            c->s->pos[c->ne + i] = pos;
        }
        if (rc == 1 && (pos_mode || c->e[i].has_at || b->order == ORD_ANY))
            c->s->keys[nk++] = pos_mode         ? (int64_t)i
                               : c->e[i].has_at ? c->e[i].at
                                                : INT64_MIN;
    }
    qsort(c->s->keys, nk, sizeof(int64_t), cmp_i64);
    for (i = 0; i < c->ne; i++) {
        const struct log_entry *a = &c->e[i];
        int64_t ka, lo, hi;
        bool ok = false, windowed;

        if (!(c->s->flags[i] & 1))
            continue;
        if (!pos_mode && !a->has_at && b->order != ORD_ANY)
            continue; /* an untimed entry cannot be ordered */
        ka = pos_mode ? (int64_t)i : a->at;
        windowed = b->win != WIN_NONE && !pos_mode;
        if (b->order == ORD_ANY && !windowed) {
            ok = nk > 0;
            if (ok) {
                have_sat = true;
                sat = c->s->keys[0];
            }
        } else {
            for (j = 0; j < nk; j++) {
                int64_t kb = c->s->keys[j], db, da;

                if (b->order == ORD_BEFORE && kb > ka)
                    break;
                if (b->order == ORD_AFTER && kb < ka)
                    continue;
                if (!windowed) {
                    ok = true;
                    have_sat = true;
                    sat = kb;
                    if (b->order == ORD_BEFORE)
                        continue; /* the latest one before A is the evidence */
                    break;
                }
                da = cal_day_of(ka);
                db = cal_day_of(kb);
                lo = b->order == ORD_AFTER
                         ? da
                         : eval_window_start_before(b->win, b->win_n, da);
                hi = b->order == ORD_BEFORE
                         ? da
                         : eval_window_end(b->win, b->win_n, da);
                if (db >= lo && db <= hi) {
                    ok = true;
                    have_sat = true;
                    sat = kb;
                    if (b->order != ORD_BEFORE)
                        break;
                }
            }
        }
        if (!ok) {
            char at[24] = "", dl[16] = "";
            if (c->s->lim.no_early &&
                eval_qualifies(c, &ru->ifs, a, &c->s->pos[i], &why) < 0)
                return true;
            eval_set_evidence(c, a, c->s->pos[i]);
            if (a->has_at)
                eval_fmt_time(a->at, a->has_time, at);
            if (windowed) {
                int64_t da = cal_day_of(a->at);
                eval_fmt_day(
                    b->order == ORD_BEFORE
                        ? eval_window_start_before(b->win, b->win_n, da)
                        : eval_window_end(b->win, b->win_n, da),
                    dl);
                eval_fail_msg(
                    c,
                    "the entry%s%s matches 'if', but no 'then' entry follows "
                    "%s it within %d %s (%s %s)",
                    at[0] ? " at " : "", at,
                    b->order == ORD_BEFORE ? "before" : "after", b->win_n,
                    eval_unit_name(b->win, b->win_n),
                    b->order == ORD_BEFORE ? "from" : "by", dl);
            } else {
                eval_fail_msg(
                    c, "the entry%s%s matches 'if', but no 'then' entry %s it",
                    at[0] ? " at " : "", at,
                    b->order == ORD_BEFORE  ? "comes before"
                    : b->order == ORD_AFTER ? "comes after"
                                            : "accompanies");
            }
            eval_set_fail(c);
            return true;
        }
    }
    c->s->msg[0] = '\0';
    c->v->excerpt = "";
    /* evidence: the `then` entry that satisfied the last `if` entry */
    for (i = 0; i < c->ne; i++) {
        int64_t k = pos_mode         ? (int64_t)i
                    : c->e[i].has_at ? c->e[i].at
                                     : INT64_MIN;

        if (have_sat && k != sat)
            continue;
        if (c->s->lim.no_early) {
            rc = eval_take_evidence(c, b, &c->e[i]);
            if (rc < 0)
                return true;
            if (rc == 1)
                break;
        } else if (c->s->flags[i] & 2) {
            eval_set_evidence(c, &c->e[i], c->s->pos[c->ne + i]);
            break;
        }
    }
    eval_set_pass(c);
    return true;
}
