/* SPDX-License-Identifier: MIT */
/*
 * Case-log entries of the synthetic records: an author's header, a phrasing
 * of the entry's class with its placeholders filled in, now and then a
 * typo; then the entries sorted by time and joined into the log column.
 * See model.h and phrases.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/record.h"
#include "synth/model.h"

static const char *const weekdays[] = {"Monday",   "Tuesday", "Wednesday",
                                       "Thursday", "Friday",  "Saturday",
                                       "Sunday"};

static const char *const stations[] = {
    "Northgate", "Southmead",     "Riverside", "Eastfield",
    "Westbury",  "Market Street", "Hillside",  "Parkway"};

void model_record_begin(struct synth *g, enum synth_kind k, unsigned f,
                        uint64_t index)
{
    buf_reset(&g->arena);
    buf_reset(&g->row);
    g->nent = 0;
    g->nf = 0;
    /* the style is drawn apart from the wording, so that a record of the
     * mix is word for word that record in its style */
    g->rec_style = g->style;
    if (g->style == SYNTH_STYLE_MIX) {
        struct rng s;
        rng_seed(&s, g->seed64, ST_STYLE, (uint64_t)k, f, index);
        g->rec_style = (enum synth_style)rng_below(&s, SYNTH__STYLES);
    }
    rng_seed(&g->wording, g->seed64, ST_WORDING, (uint64_t)k, f, index);
}

static void arena_add(struct synth *g, const char *s, size_t n)
{
    if (buf_add(&g->arena, s, n) != 0)
        g->oom = true;
}

static void arena_addf(struct synth *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void arena_addf(struct synth *g, const char *fmt, ...)
{
    char tmp[160];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    arena_add(g, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void expand(struct synth *g, struct rng *r, const struct ctx *cx,
                   const char *ph, int64_t at)
{
    const char *p = ph, *open, *close;
    char tmp[64];

    while ((open = strchr(p, '{')) && (close = strchr(open, '}'))) {
        size_t kl = (size_t)(close - open - 1);
        const char *k = open + 1;

        arena_add(g, p, (size_t)(open - p));
#define KEY(s) (kl == sizeof(s) - 1 && memcmp(k, s, kl) == 0)
        if (KEY("off")) {
            char c = cx->offence[0];
            /* lower-case the first letter unless it is an acronym */
            if (c >= 'A' && c <= 'Z' &&
                !(cx->offence[1] >= 'A' && cx->offence[1] <= 'Z'))
                c = (char)(c - 'A' + 'a');
            arena_add(g, &c, 1);
            arena_add(g, cx->offence + 1, strlen(cx->offence + 1));
        } else if (KEY("cad")) {
            arena_add(g, cx->cad, strlen(cx->cad));
        } else if (KEY("addr")) {
            arena_addf(g, "%u %s", (unsigned)rng_range(r, 1, 120),
                       phrase_streets[rng_below(r, phrase_nstreets)]);
        } else if (KEY("vrm")) {
            arena_addf(
                g, "%c%c%02u %c%c%c", (char)('A' + rng_below(r, 26)),
                (char)('A' + rng_below(r, 26)), (unsigned)rng_range(r, 10, 73),
                (char)('A' + rng_below(r, 26)), (char)('A' + rng_below(r, 26)),
                (char)('A' + rng_below(r, 26)));
        } else if (KEY("exh")) {
            arena_addf(g, "%c%c/%u", (char)('A' + rng_below(r, 26)),
                       (char)('A' + rng_below(r, 26)),
                       (unsigned)rng_range(r, 1, 9));
        } else if (KEY("shop")) {
            const char *s = phrase_shops[rng_below(r, phrase_nshops)];
            arena_add(g, s, strlen(s));
        } else if (KEY("station")) {
            const char *s = stations[rng_below(r, N(stations))];
            arena_add(g, s, strlen(s));
        } else if (KEY("date")) {
            model_format_date(at + 28 * DAY, tmp);
            arena_add(g, tmp, 10);
        } else if (KEY("bail")) {
            arena_add(g, cx->bail, strlen(cx->bail));
        } else if (KEY("person")) {
            arena_add(g, cx->person, strlen(cx->person));
        } else if (KEY("crime")) {
            arena_add(g, cx->crime, strlen(cx->crime));
        } else if (KEY("pnc")) {
            int y;
            unsigned m, d;
            date_civil_from_days(model_floor_div(at, DAY), &y, &m, &d);
            arena_addf(g, "%02u/%06u%c", (unsigned)(y % 100),
                       (unsigned)rng_below(r, 1000000),
                       (char)('A' + rng_below(r, 26)));
        } else if (KEY("oic")) {
            model_officer(g, cx->f, SR_CONSTABLE, cx->oic, tmp, sizeof(tmp));
            arena_add(g, tmp, strlen(tmp));
        } else if (KEY("ofc")) {
            model_officer(g, cx->f, SR_CONSTABLE,
                          rng_below(r, model_pool_size[SR_CONSTABLE]), tmp,
                          sizeof(tmp));
            arena_add(g, tmp, strlen(tmp));
        } else if (KEY("street")) {
            const char *s = phrase_streets[rng_below(r, phrase_nstreets)];
            arena_add(g, s, strlen(s));
        } else if (KEY("ddmm")) {
            model_format_date(at + rng_range(r, 1, 10) * DAY, tmp);
            arena_addf(g, "%.2s/%.2s", tmp + 8, tmp + 5);
        } else if (KEY("day")) {
            const char *s = weekdays[rng_below(r, N(weekdays))];
            arena_add(g, s, strlen(s));
        } else if (KEY("time")) {
            arena_addf(g, "%02u:%02u", (unsigned)rng_below(r, 24),
                       (unsigned)rng_below(r, 60));
        } else if (KEY("sgt") || KEY("insp")) {
            enum synth_rank rk = KEY("sgt") ? SR_SERGEANT : SR_INSPECTOR;
            model_officer(g, cx->f, rk, rng_below(r, model_pool_size[rk]), tmp,
                          sizeof(tmp));
            arena_add(g, tmp, strlen(tmp));
        } else if (KEY("sname")) {
            const char *s = phrase_surnames[rng_below(r, phrase_nsurnames)];
            arena_add(g, s, strlen(s));
        } else if (KEY("myrank")) {
            const char *rk = g->author_rank[0] ? g->author_rank : "Supervisor";
            arena_add(g, rk, strlen(rk));
        } else if (KEY("n")) {
            arena_addf(g, "%u", (unsigned)rng_range(r, 2, 12));
        } else {
            arena_add(g, open, kl + 2); /* unknown: keep as written */
        }
#undef KEY
        p = close + 1;
    }
    arena_add(g, p, strlen(p));
}

void model_add_entry(struct synth *g, struct rng *r, const struct ctx *cx,
                     int64_t at, enum phrase_class c, enum synth_rank rk,
                     uint64_t who)
{
    struct rng *w = &g->wording;
    struct ent *e;
    size_t off = g->arena.len, body;
    char name[64];

    if (g->nent == g->aent) {
        size_t n = g->aent ? g->aent * 2 : 64;
        struct ent *v = realloc(g->ent, n * sizeof(*v));
        if (!v) {
            g->oom = true;
            return;
        }
        g->ent = v;
        g->aent = n;
    }
    if (rk != SR_NONE) {
        /* who writes is part of the timeline: drawn from r */
        if (who == UINT64_MAX)
            who = rng_below(r, model_pool_size[rk]);
        model_officer(g, cx->f, rk, who, name, sizeof(name));
        arena_add(g, name, strlen(name));
        arena_add(g, ": ", 2);
        body = strcspn(name, " ");
        if (body > sizeof(g->author_rank) - 1)
            body = sizeof(g->author_rank) - 1;
        memcpy(g->author_rank, name, body);
        g->author_rank[body] = '\0';
    } else {
        g->author_rank[0] = '\0';
    }
    /* what is written is the wording: drawn from the wording stream */
    body = g->arena.len;
    expand(g, w, cx, phrase_pick(g->rec_style, c, w), at);
    if (rng_chance(w, phrase_typo_permille(g->rec_style)) &&
        phrase_typo(&g->arena, body, w) < 0)
        g->oom = true;
    e = &g->ent[g->nent];
    e->at = at;
    e->seq = (uint32_t)g->nent;
    e->off = off;
    e->len = g->arena.len - off;
    e->cls = c;
    e->rank = rk;
    g->nent++;
}

bool model_has_entry(const struct synth *g, enum phrase_class c,
                     enum synth_rank min)
{
    size_t i;

    for (i = 0; i < g->nent; i++)
        if (g->ent[i].cls == (int)c && g->ent[i].rank >= min)
            return true;
    return false;
}

static int ent_cmp(const void *a, const void *b)
{
    const struct ent *x = a, *y = b;

    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort the entries and join them into g->log; publish them for tests. */
void model_assemble_log(struct synth *g)
{
    size_t i;
    char ts[17];

    qsort(g->ent, g->nent, sizeof(*g->ent), ent_cmp);
    buf_reset(&g->log);
    if (g->apub < g->nent) {
        struct synth_entry *v = realloc(g->pub, g->nent * sizeof(*v));
        if (!v) {
            g->oom = true;
            return;
        }
        g->pub = v;
        g->apub = g->nent;
    }
    for (i = 0; i < g->nent; i++) {
        const struct ent *e = &g->ent[i];
        synth_format_time(e->at, ts);
        if ((i && buf_addch(&g->log, '\n') != 0) ||
            buf_add(&g->log, ts, 16) != 0 || buf_addch(&g->log, ' ') != 0 ||
            buf_add(&g->log, g->arena.data + e->off, e->len) != 0)
            g->oom = true;
        g->pub[i].at = e->at;
        g->pub[i].phrase_class = e->cls;
        g->pub[i].rank = e->rank;
    }
}
