/* SPDX-License-Identifier: MIT */
/*
 * Wanted persons and bail cases of the synthetic export; see model.h and
 * docs/gen.md.  Like crimes (gen.c), each record decides its truth from its
 * force's profile, then writes the log that realises it, and the truth
 * follows the log actually written.
 */
#include <stdlib.h>
#include <string.h>

#include "synth/model.h"

/* Time of record j of n spread over the window after the first weeks
 * (which leave room for the crimes they follow). */
static int64_t later_time(const struct synth *g, struct rng *r, uint64_t j,
                          uint64_t n)
{
    uint64_t span = (uint64_t)(g->span - g->wb_offset);

    return g->t0 + g->wb_offset +
           (int64_t)((j * span + rng_below(r, span)) / n);
}

/*
 * The crime a wanted or bail record follows: one reported at least an hour
 * before `before`, preferring a named suspect (arrested or not, as asked).
 * Returns false when the force has no such crime.
 */
static bool find_crime(const struct synth *g, struct rng *r, unsigned f,
                       int64_t before, bool want_arrested, char *ref,
                       size_t size, struct crime_hdr *out)
{
    uint64_t c = g->forces[f].n[SYNTH_CRIME], i0, s, pick = UINT64_MAX;
    uint64_t named = UINT64_MAX, any = UINT64_MAX;
    int64_t target = before - rng_range(r, DAY, max64(DAY, g->wb_offset));
    struct crime_hdr h, ph;

    if (c == 0)
        return false;
    if (target < g->t0)
        target = g->t0;
    i0 = (uint64_t)(target - g->t0) * c / (uint64_t)g->span;
    if (i0 >= c)
        i0 = c - 1;
    for (s = 0; s < 24 && s <= i0; s++) {
        model_crime_header(g, f, i0 - s, &h);
        if (h.reported > before - HOUR)
            continue;
        if (h.named && h.arrested == want_arrested) {
            pick = i0 - s;
            ph = h;
            break;
        }
        if (h.named && named == UINT64_MAX)
            named = i0 - s;
        if (any == UINT64_MAX)
            any = i0 - s;
    }
    if (pick == UINT64_MAX) {
        pick = named != UINT64_MAX ? named : any;
        if (pick == UINT64_MAX)
            return false;
        model_crime_header(g, f, pick, &ph);
    }
    model_crime_ref(&g->forces[f], pick + 1, ph.reported, ref, size);
    *out = ph;
    return true;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* Sorted times of the wanted record's trace actions and supervisors'
 * reviews, in g->pts; returns their number. */
static size_t wanted_activity(struct synth *g)
{
    size_t i, n = 0;

    if (g->apts < g->nent) {
        int64_t *v = realloc(g->pts, g->nent * sizeof(*v));
        if (!v) {
            g->oom = true;
            return 0;
        }
        g->pts = v;
        g->apts = g->nent;
    }
    for (i = 0; i < g->nent; i++)
        if (g->ent[i].cls == PH_TRACE ||
            (g->ent[i].cls == PH_W_REVIEW && g->ent[i].rank >= SR_SERGEANT))
            g->pts[n++] = g->ent[i].at;
    qsort(g->pts, n, sizeof(*g->pts), cmp_i64);
    return n;
}

/*
 * The "no gap over 28 days" question over [s, e] with the sorted activity
 * times v (those at or before s do not count): 1 when some gap exceeds
 * 28 x 24 h, 0 when none does, -1 when a gap lies strictly between 28 and
 * 29 days, where calendar days and hours would disagree.
 */
static int gap_verdict(int64_t s, int64_t e, const int64_t *v, size_t n)
{
    int64_t prev = s, gap;
    size_t i;
    int fail = 0;

    for (i = 0; i <= n; i++) {
        int64_t t = i < n ? v[i] : e;
        if (t <= s)
            continue;
        gap = min64(t, e) - prev;
        if (gap > 28 * DAY && gap < 29 * DAY)
            return -1;
        fail |= gap > 28 * DAY;
        prev = min64(t, e);
    }
    return fail;
}

/* Attempts at a wanted record before the one that cannot be ambiguous. */
#define WANTED_ATTEMPTS 8

void model_wanted(struct synth *g, unsigned f, uint64_t j,
                  struct synth_row *row)
{
    const struct force *fo = &g->forces[f];
    const struct profile *p = fo->p;
    struct rng r;
    struct ctx cx;
    int64_t T, delay, circ, closed, end;
    bool late, ftg, frv, failed;
    size_t k, npts;
    char name[64];
    struct crime_hdr h;
    unsigned attempt;
    int fwa;

    /*
     * wanted-activity (from circulation, traces and reviews together) is
     * drawn again, from the record's next stream, while some gap between
     * them lies in the day after 28 days; the last attempt closes the file
     * within days of its circulation, which leaves no gap to read.
     */
    for (attempt = 0;; attempt++) {
        bool last = attempt == WANTED_ATTEMPTS - 1;

        model_record_begin(g, SYNTH_WANTED, f, j);
        rng_seed(&r, g->seed64, ST_WANTED, f, j, attempt);
        memset(&cx, 0, sizeof(cx));
        cx.f = f;
        cx.oic = rng_below(&r, model_pool_size[SR_CONSTABLE]);
        T = later_time(g, &r, j, fo->n[SYNTH_WANTED]);
        model_person_ref(fo, &r, cx.person, sizeof(cx.person));
        if (!find_crime(g, &r, f, T, false, cx.crime, sizeof(cx.crime), &h))
            h.offence = 1; /* no crime before it: common assault */
        cx.offence = model_offences[h.offence].name;

        late = rng_chance(&r, p->late_circ);
        delay = model_delay_24h(&r, late, 10);
        circ = T + delay;
        closed = -1;
        if (last) {
            closed = circ + rng_range(&r, HOUR, 5 * DAY);
        } else if (rng_chance(&r, 550)) {
            int64_t c =
                T + rng_range(&r, max64(2 * DAY, delay + HOUR), 200 * DAY);
            if (c < g->asof)
                closed = c;
        }
        end = closed >= 0 ? closed : g->asof;
        ftg = rng_chance(&r, p->trace_gap);
        frv = rng_chance(&r, p->w_no_review);

        model_add_entry(g, &r, &cx, T, PH_W_DECIDE, SR_CONSTABLE, cx.oic);
        model_add_entry(g, &r, &cx, circ, PH_W_CIRC,
                        rng_chance(&r, 300) ? SR_STAFF : SR_CONSTABLE,
                        UINT64_MAX);
        /* trace actions: no gap over 28 x 24 h from decision to closure */
        npts = model_gap_points(g, &r, T, end, 28 * DAY, 5 * DAY, ftg, &failed);
        ftg = failed;
        for (k = 0; k < npts; k++)
            model_add_entry(g, &r, &cx, g->pts[k], PH_TRACE, SR_CONSTABLE,
                            UINT64_MAX);
        if (end - T > 2 && rng_chance(&r, ftg ? 500 : 100))
            model_add_entry(g, &r, &cx, rng_range(&r, T + 1, end - 1),
                            PH_NOTRACE, SR_CONSTABLE, cx.oic);
        /* supervisory reviews, likewise */
        npts =
            model_gap_points(g, &r, T, end, 28 * DAY, 10 * DAY, frv, &failed);
        frv = failed;
        for (k = 0; k < npts; k++)
            model_add_entry(g, &r, &cx, g->pts[k], PH_W_REVIEW,
                            model_supervisor(&r), UINT64_MAX);
        if (end - T > 2 && rng_chance(&r, frv ? 400 : 100))
            model_add_entry(g, &r, &cx, rng_range(&r, T + 1, end - 1),
                            PH_W_REVIEW_NEAR, SR_CONSTABLE, cx.oic);
        if (closed >= 0)
            model_add_entry(g, &r, &cx, closed,
                            rng_chance(&r, 800) ? PH_W_CLOSE_ARREST
                                                : PH_W_CLOSE_CANCEL,
                            SR_CONSTABLE, UINT64_MAX);
        npts = wanted_activity(g);
        fwa = gap_verdict(circ, end, g->pts, npts);
        if (fwa >= 0 || last || g->oom)
            break;
    }
    model_assemble_log(g);

    model_fieldf(g, "%s-W-%06llu", fo->code, (unsigned long long)j + 1);
    model_field(g, fo->slug);
    model_field(g, cx.person);
    model_field(g, cx.crime);
    model_field_time(g, T);
    model_field_time(g, circ);
    model_field(g, closed >= 0 ? "closed" : "open");
    model_field_time(g, closed);
    model_officer(g, f, SR_CONSTABLE, cx.oic, name, sizeof(name));
    model_field(g, name);
    model_field(g, g->log.data);
    row->fails = (delay > DAY ? 1u << SQ_WANTED_LATE_CIRC : 0) |
                 (ftg ? 1u << SQ_WANTED_TRACE_GAP : 0) |
                 (frv ? 1u << SQ_WANTED_NO_REVIEW_28D : 0) |
                 (fwa > 0 ? 1u << SQ_WANTED_ACTIVITY : 0) |
                 (delay > DAY ? 1u << SQ_WANTED_CIRCULATION : 0);
    row->facts = 0;
    row->main_at = T;
}

/* t moved out of the day after the 7-day window from the missed bail at
 * bend, where calendar days and hours would disagree. */
static int64_t clear_of(int64_t t, int64_t bend)
{
    int64_t limit = bend + 7 * DAY;

    return t > limit && t < limit + DAY ? t + DAY : t;
}

static bool entry_within(const struct synth *g, enum phrase_class c, int64_t lo,
                         int64_t hi)
{
    size_t i;

    for (i = 0; i < g->nent; i++)
        if (g->ent[i].cls == (int)c && g->ent[i].at >= lo && g->ent[i].at <= hi)
            return true;
    return false;
}

/* bail-fta-pursued: on the day of the missed bail (bend) or within 7 days,
 * circulated and traced, or arrested (which is both). */
static bool fta_pursued(const struct synth *g, int64_t bend)
{
    int64_t hi = bend + 7 * DAY;

    return (entry_within(g, PH_B_FTA_CIRC, bend, hi) &&
            entry_within(g, PH_TRACE, bend, hi)) ||
           entry_within(g, PH_B_FTA_ARREST, bend, hi) ||
           entry_within(g, PH_B_FTA_SURRENDER, bend, hi);
}

/* bail-supervision: a supervisor authorised bail, an extension or RUI, or
 * reviewed the case, at any date. */
static bool bail_supervised(const struct synth *g)
{
    static const enum phrase_class sup[] = {PH_B_BAILED_NEW, PH_B_BAILED_OLD,
                                            PH_B_RUI_AUTH, PH_B_EXT_AUTH,
                                            PH_B_RUI_REVIEW};
    size_t i;

    for (i = 0; i < N(sup); i++)
        if (model_has_entry(g, sup[i], SR_SERGEANT))
            return true;
    return false;
}

/* Pre-charge bail from 28 Oct 2022 (Police, Crime, Sentencing and Courts
 * Act 2022): 3 months by the custody officer, then inspector to 6 months,
 * superintendent to 9.  Before: 28 days, superintendent to 3 months. */
/* One bail record being written: what the steps below share, in the order
 * they draw from the record's stream. */
struct bail_gen {
    const struct force *fo;
    const struct profile *p;
    int64_t reform; /* the 2022 bail reform: new limits from this date */
    struct rng r;
    struct ctx cx;
    struct crime_hdr h;
    int64_t A, rel, bstart, bend, answered;
    bool rui, fta, fnc, fnt, fext, frui, closed, fbs;
};

/* Released under investigation: the case stays open, reviewed every
 * 28 x 24 h from the arrest. */
static void bail_rui(struct synth *g, struct bail_gen *br)
{
    bool failed;
    size_t k, npts;

    /* RUI cases stay open; reviews every 28 x 24 h from the arrest */
    bool sgt = rng_chance(&br->r, 500);

    if (g->asof - br->A < 29 * DAY)
        br->fbs = false; /* no review at all must be a clear 28-day gap */
    br->frui = rng_chance(&br->r, br->p->rui_not_reviewed);
    model_add_entry(g, &br->r, &br->cx, br->rel,
                    sgt && !br->fbs ? PH_B_RUI_AUTH : PH_B_RUI,
                    sgt && !br->fbs ? SR_SERGEANT : SR_CONSTABLE, UINT64_MAX);
    npts = br->fbs ? 0
                   : model_gap_points(g, &br->r, br->A, g->asof, 28 * DAY,
                                      10 * DAY, br->frui, &failed);
    br->frui = br->fbs || failed;
    for (k = 0; k < npts; k++)
        model_add_entry(g, &br->r, &br->cx, g->pts[k], PH_B_RUI_REVIEW,
                        model_supervisor(&br->r), UINT64_MAX);
    if (rng_chance(&br->r, br->frui ? 500 : 100))
        model_add_entry(g, &br->r, &br->cx,
                        rng_range(&br->r, br->rel, g->asof - 1), PH_B_RUI_NEAR,
                        SR_CONSTABLE, br->cx.oic);
}

/* After the last bail date: a failure to answer (circulation, tracing, an
 * arrest or surrender) or an answer. */
static void bail_answer(struct synth *g, struct bail_gen *br)
{
    size_t k;

    if (br->bend + 7 * DAY < g->asof && rng_chance(&br->r, br->p->fta)) {
        int64_t at = br->bend + rng_range(&br->r, HOUR, 6 * HOUR), last = at;

        br->fta = true;
        br->fnc = rng_chance(&br->r, br->p->fta_not_circ);
        br->fnt = rng_chance(&br->r, br->p->fta_not_traced);
        model_add_entry(g, &br->r, &br->cx, at, PH_B_FTA,
                        rng_chance(&br->r, 500) ? SR_SERGEANT : SR_CONSTABLE,
                        UINT64_MAX);
        if (!br->fnc)
            model_add_entry(g, &br->r, &br->cx,
                            at + rng_range(&br->r, 10, DAY - 1), PH_B_FTA_CIRC,
                            rng_chance(&br->r, 300) ? SR_STAFF : SR_CONSTABLE,
                            UINT64_MAX);
        else if (rng_chance(&br->r, 500))
            model_add_entry(g, &br->r, &br->cx,
                            at + rng_range(&br->r, 10, 2 * DAY), PH_B_CIRC_NEAR,
                            SR_CONSTABLE, br->cx.oic);
        if (!br->fnt) {
            unsigned n = 1 + (unsigned)rng_below(&br->r, 4);
            bool slow = br->bend + 9 * DAY < g->asof &&
                        rng_chance(&br->r, br->p->fta_late_trace);

            /* the first trace within 7 days of the missed bail, or
             * from day 8 (bail-fta-pursued) */
            last = slow ? model_when(g, &br->r, br->bend + 8 * DAY,
                                     br->bend + 20 * DAY)
                        : model_when(g, &br->r, at + HOUR, br->bend + 7 * DAY);
            model_add_entry(g, &br->r, &br->cx, last, PH_TRACE, SR_CONSTABLE,
                            UINT64_MAX);
            for (k = 1; k < n; k++) {
                int64_t t = clear_of(
                    last + rng_range(&br->r, 3 * DAY, 20 * DAY), br->bend);
                if (t >= g->asof)
                    break;
                last = t;
                model_add_entry(g, &br->r, &br->cx, last, PH_TRACE,
                                SR_CONSTABLE, UINT64_MAX);
            }
            if (rng_chance(&br->r, 600)) {
                int64_t t = clear_of(last + rng_range(&br->r, HOUR, 10 * DAY),
                                     br->bend);
                if (t < g->asof) {
                    br->closed = true;
                    model_add_entry(g, &br->r, &br->cx, t, PH_B_FTA_ARREST,
                                    SR_CONSTABLE, UINT64_MAX);
                }
            }
        } else {
            if (rng_chance(&br->r, 500))
                model_add_entry(g, &br->r, &br->cx,
                                at + rng_range(&br->r, HOUR, 3 * DAY),
                                PH_NOTRACE, SR_CONSTABLE, br->cx.oic);
            if (rng_chance(&br->r, 300)) {
                int64_t t = clear_of(at + rng_range(&br->r, 3 * DAY, 60 * DAY),
                                     br->bend);
                if (t < g->asof) {
                    /* handed himself in: no trace implied */
                    model_add_entry(g, &br->r, &br->cx, t, PH_B_FTA_SURRENDER,
                                    SR_CONSTABLE, UINT64_MAX);
                    br->closed = true;
                }
            }
        }
    } else if (br->bend < g->asof) {
        br->answered = min64(br->bend + rng_range(&br->r, 0, 45), g->asof - 1);
        br->closed = true;
        model_add_entry(g, &br->r, &br->cx, br->answered, PH_B_ANSWER,
                        rng_chance(&br->r, 500) && !br->fbs ? SR_SERGEANT
                                                            : SR_CONSTABLE,
                        UINT64_MAX);
    }
}

/* On bail: the stages (21/28 days and extensions before the reform, 3
 * months and extensions after), then how it ends. */
static void bail_stages(struct synth *g, struct bail_gen *br)
{
    bool old = br->A < br->reform;
    int64_t day0 = model_floor_div(br->rel, DAY);
    /* stage ends in days after the release day: inside each limit with
     * a margin, so calendar months and days agree */
    int64_t ends[3] = {0, 0, 0};
    enum synth_rank need[3] = {SR_NONE, SR_SUPERINTENDENT, SR_SUPERINTENDENT};
    unsigned stages = 0, s, bad = 0;

    br->bstart = br->rel;
    if (old) {
        ends[0] = rng_range(&br->r, 21, 27);
        ends[1] = rng_range(&br->r, 35, 85);
        if (rng_chance(&br->r, 350))
            stages = 1;
    } else {
        ends[0] = rng_range(&br->r, 42, 85);
        ends[1] = rng_range(&br->r, 100, 175);
        ends[2] = rng_range(&br->r, 195, 265);
        need[1] = SR_INSPECTOR;
        if (rng_chance(&br->r, 350))
            stages = rng_chance(&br->r, 300) ? 2 : 1;
    }
    for (s = 0; s < 3; s++)
        ends[s] = (day0 + ends[s]) * DAY + 10 * HOUR;
    model_format_date(ends[0], br->cx.bail);
    if (br->fbs)
        model_add_entry(g, &br->r, &br->cx, br->rel, PH_B_BAILED_NOTE,
                        SR_CONSTABLE, br->cx.oic);
    else
        model_add_entry(g, &br->r, &br->cx, br->rel,
                        old ? PH_B_BAILED_OLD : PH_B_BAILED_NEW,
                        old ? SR_INSPECTOR : SR_SERGEANT, UINT64_MAX);
    /* extensions: decided 1-6 days before the current end; without
     * supervision none is authorised */
    br->fext =
        stages > 0 && (br->fbs || rng_chance(&br->r, br->p->ext_not_auth));
    if (br->fext && !br->fbs)
        bad = 1 + (unsigned)rng_below(&br->r, stages);
    for (s = 1; s <= stages; s++) {
        int64_t at = ends[s - 1] - rng_range(&br->r, DAY, 6 * DAY);
        if (at >= g->asof)
            break;
        model_format_date(ends[s], br->cx.bail);
        if (br->fbs) {
            model_add_entry(g, &br->r, &br->cx, at,
                            rng_chance(&br->r, 500) ? PH_B_EXT_NOAUTH
                                                    : PH_B_EXT_REQ,
                            SR_CONSTABLE, br->cx.oic);
        } else if (s != bad) {
            enum synth_rank rk = need[s];
            if (rk == SR_INSPECTOR && rng_chance(&br->r, 200))
                rk = rng_chance(&br->r, 500) ? SR_CHIEF_INSPECTOR
                                             : SR_SUPERINTENDENT;
            model_add_entry(g, &br->r, &br->cx, at, PH_B_EXT_AUTH, rk,
                            UINT64_MAX);
        } else {
            unsigned v = (unsigned)rng_below(&br->r, 3);
            if (v == 0)
                model_add_entry(g, &br->r, &br->cx, at, PH_B_EXT_AUTH,
                                need[s] == SR_INSPECTOR   ? SR_SERGEANT
                                : rng_chance(&br->r, 500) ? SR_INSPECTOR
                                                          : SR_CHIEF_INSPECTOR,
                                UINT64_MAX);
            else
                model_add_entry(g, &br->r, &br->cx, at,
                                v == 1 ? PH_B_EXT_NOAUTH : PH_B_EXT_REQ,
                                SR_CONSTABLE, br->cx.oic);
        }
    }
    stages = s - 1;
    if (br->fbs ? stages == 0 : bad > stages)
        br->fext = false; /* the failing extension lies after the as-of time */
    br->bend = ends[stages];
    bail_answer(g, br);
}

void model_bail(struct synth *g, unsigned f, uint64_t b, struct synth_row *row)
{
    struct bail_gen bg, *br = &bg;
    char name[64];

    memset(br, 0, sizeof(*br));
    br->fo = &g->forces[f];
    br->p = br->fo->p;
    br->reform = synth_time(2022, 10, 28, 0, 0);
    br->bstart = br->bend = br->answered = -1;
    rng_seed(&br->r, g->seed64, ST_BAIL, f, b, 0);
    memset(&br->cx, 0, sizeof(br->cx));
    br->cx.f = f;
    br->cx.oic = rng_below(&br->r, model_pool_size[SR_CONSTABLE]);
    br->A = later_time(g, &br->r, b, br->fo->n[SYNTH_BAIL]);
    model_person_ref(br->fo, &br->r, br->cx.person, sizeof(br->cx.person));
    if (!find_crime(g, &br->r, f, br->A, true, br->cx.crime,
                    sizeof(br->cx.crime), &br->h))
        br->h.offence = 1; /* no crime before it: common assault */
    br->cx.offence = model_offences[br->h.offence].name;
    br->rel = br->A + rng_range(&br->r, 2 * HOUR, 20 * HOUR);
    br->rui = rng_chance(&br->r, 350);
    /* bail-supervision fails: no supervisor reviews or authorises anything
     * (supervisors may still record a fact, such as a failure to answer) */
    br->fbs = rng_chance(&br->r, br->p->bail_no_sup);

    model_add_entry(g, &br->r, &br->cx, br->A, PH_B_ARREST, SR_CONSTABLE,
                    UINT64_MAX);
    if (br->rui)
        bail_rui(g, br);
    else
        bail_stages(g, br);
    model_assemble_log(g);

    model_fieldf(g, "%s-B-%06llu", br->fo->code, (unsigned long long)b + 1);
    model_field(g, br->fo->slug);
    model_field(g, br->cx.person);
    model_field(g, br->cx.crime);
    model_field_time(g, br->A);
    model_field_time(g, br->bstart);
    model_field_time(g, br->bend);
    model_field_flag(g, br->fta);
    model_field_time(g, br->answered);
    model_field(g, br->closed ? "closed" : "open");
    model_officer(g, f, SR_CONSTABLE, br->cx.oic, name, sizeof(name));
    model_field(g, name);
    model_field(g, g->log.data);
    row->fails = (br->fta && br->fnc ? 1u << SQ_BAIL_FTA_NOT_CIRC : 0) |
                 (br->fta && br->fnt ? 1u << SQ_BAIL_FTA_NOT_TRACED : 0) |
                 (br->fext ? 1u << SQ_BAIL_EXT_NOT_AUTH : 0) |
                 (br->frui ? 1u << SQ_BAIL_RUI_NOT_REVIEWED : 0);
    /* the inspection's questions, read from the log as written */
    if (br->fta && !fta_pursued(g, br->bend))
        row->fails |= 1u << SQ_BAIL_FTA_PURSUED;
    if (!bail_supervised(g))
        row->fails |= 1u << SQ_BAIL_SUPERVISION;
    row->facts = br->fta ? 1u << SF_FTA : 0;
    row->main_at = br->A;
}
