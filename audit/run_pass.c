/* SPDX-License-Identifier: MIT */
/*
 * The one pass of `caseaudit run` (audit/run.h): the inventory and the
 * latest event per force, every sample's frame membership and stream, and
 * the reconciliation's feed, all from one reading of the inputs; the
 * as-of dates worked out from it; and a census's second reading, which
 * checks every file of its frames.
 *
 * Everything that needs every record is fed from the inventory's pass.
 * Rows and rejects are tallied per record type, so that each consumer
 * gets the stats a pass of its own type would have given.  When that
 * cannot be vouched for (a file whose type depends on the type asked for,
 * or tallies that do not add up), or a later record of a frame lacks a
 * stratum field the first one had, the stage concerned reads the inputs
 * again as it always did: the outputs are the same either way.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/run.h"

/* ---- pass 1: inventory and the latest event per force -------------------- */

/* Ready x for the pass (after memset 0). */
void run_inv_start(struct inv_ctx *x)
{
    x->last_force = UINT32_MAX;
}

static int inv_record(void *ctx, const struct record *r)
{
    struct inv_ctx *x = ctx;
    uint32_t f;

    if (inventory_add(x->inv, r)) {
        x->oom = true;
        return 1;
    }
    if (x->last_force != UINT32_MAX &&
        strcmp(x->forces.v[x->last_force], r->force) == 0) {
        f = x->last_force;
    } else if (strtab_intern(&x->forces, r->force, &f)) {
        x->oom = true;
        return 1;
    }
    x->last_force = f;
    if (f >= x->alloc) {
        size_t na = x->alloc ? x->alloc * 2 : 16;
        struct force_state *nfs = realloc(x->fs, na * sizeof(*nfs));

        if (!nfs) {
            x->oom = true;
            return 1;
        }
        x->fs = nfs;
        memset(x->fs + x->alloc, 0, (na - x->alloc) * sizeof(*nfs));
        x->alloc = na;
    }
    x->n[r->type]++;
    x->fs[f].n[r->type]++;
    if (x->want[r->type] & ~x->fs[f].seen[r->type]) {
        uint64_t todo = x->want[r->type] & ~x->fs[f].seen[r->type];
        unsigned b;

        for (b = 0; b < CF__COUNT; b++)
            if (todo >> b & 1 &&
                (b == CF_LOG ? record_has_log(r)
                             : record_get(r, (enum cf)b) != NULL))
                x->fs[f].seen[r->type] |= (uint64_t)1 << b;
    }
    if (r->type == RT_CRIME) {
        x->crime_no_incident_ref += record_get(r, CF_INCIDENT_REF) == NULL;
    }
    x->le_ok =
        record_get(r, CF_LOG) && record_log(r, &x->le, &x->lerr) == CA_OK;
    /* the latest event, per force and of all (ingest/record.h) */
    record_latest_event(r, x->le_ok ? &x->le : NULL, x->now, &x->fs[f].latest,
                        &x->fs[f].has, &x->future);
    if (x->fs[f].has &&
        (!x->global_has || x->fs[f].latest > x->global_latest)) {
        x->global_latest = x->fs[f].latest;
        x->global_has = true;
    }
    return 0;
}

static int cmp_as_of(const void *a, const void *b)
{
    return strcmp(((const struct audit_as_of *)a)->force,
                  ((const struct audit_as_of *)b)->force);
}

/* Midnight starting the month after t. */
static int64_t next_month(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    int y;
    unsigned m;

    gmtime_r(&tt, &tm);
    y = tm.tm_year + 1900;
    m = (unsigned)tm.tm_mon + 2; /* 1-based, next month */
    if (m > 12) {
        m = 1;
        y++;
    }
    return date_days_from_civil(y, m, 1) * 86400;
}

enum ca_status run_set_as_of(const struct audit_opts *o,
                             const struct inv_ctx *x, struct audit_result *out,
                             struct ca_error *err)
{
    int64_t fallback = x->global_has ? audit_midnight(x->global_latest)
                                     : audit_midnight(o->now);
    size_t i;

    out->as_of = calloc(x->forces.n + 1, sizeof(*out->as_of));
    if (!out->as_of)
        return run_oom(err);
    for (i = 0; i < x->forces.n; i++) {
        struct audit_as_of *a = &out->as_of[i];

        if (!(a->force = strdup(x->forces.v[i])))
            return run_oom(err);
        out->nas_of++;
        switch (o->as_of_rule) {
        case AUDIT_AS_OF_GIVEN:
            a->as_of = audit_midnight(o->as_of);
            a->from_data = false;
            break;
        case AUDIT_AS_OF_NEXT_MONTH:
            a->from_data = x->global_has;
            a->as_of = x->global_has ? next_month(x->global_latest) : fallback;
            break;
        case AUDIT_AS_OF_TABLE: {
            size_t k;

            for (k = 0; k < o->nas_of_table; k++)
                if (strcmp(o->as_of_table[k].force, a->force) == 0)
                    break;
            if (k == o->nas_of_table)
                return ca_error_set(err, CA_DATA, NULL, 0, "force",
                                    "no as-of date given for force '%s'",
                                    a->force);
            a->as_of = audit_midnight(o->as_of_table[k].as_of);
            a->from_data = false;
            break;
        }
        case AUDIT_AS_OF_LATEST:
        default:
            a->from_data = x->fs[i].has || x->global_has;
            a->as_of =
                x->fs[i].has ? audit_midnight(x->fs[i].latest) : fallback;
            break;
        }
    }
    qsort(out->as_of, out->nas_of, sizeof(*out->as_of), cmp_as_of);
    out->future_dates = x->future;
    return CA_OK;
}

static int64_t as_of_for(const struct audit_result *res, const char *force,
                         int64_t fallback)
{
    size_t lo = 0, hi = res->nas_of;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(res->as_of[mid].force, force);

        if (c == 0)
            return res->as_of[mid].as_of;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return fallback;
}

int64_t run_as_of_cb(void *ctx, const char *force)
{
    const struct audit_result *res = ctx;

    return as_of_for(res, force, res->nas_of ? res->as_of[0].as_of : 0);
}

/* ---- the one pass -------------------------------------------------------- */

/* The strata of a sample for a record: the declared fields it has. */
static char *strata_of(const struct programme_frame *fr, const struct record *r)
{
    struct buf b;
    size_t i;

    buf_init(&b, 0);
    for (i = 0; i < fr->nstrata; i++)
        if (!r || record_get_named(r, fr->strata[i]))
            if ((b.len && buf_addstr(&b, ", ")) ||
                buf_addstr(&b, fr->strata[i])) {
                buf_release(&b);
                return NULL;
            }
    if (b.len == 0) {
        buf_release(&b);
        return strdup("");
    }
    return buf_detach(&b, NULL);
}

/* Begin the stream of a sample with the given strata; left NULL (the
 * stage will read again) when it cannot begin. */
static void stream_begin(struct smp_rt *rt, const struct audit_opts *o,
                         char *strata)
{
    rt->begun = true;
    rt->stream_strata = strata;
    if (!strata || run_build_manifest(o, rt, *strata ? strata : NULL, &rt->m,
                                      &rt->err) != CA_OK) {
        manifest_release(&rt->m);
        return;
    }
    run_draw_config_fill(o, rt, &rt->m, &rt->dc);
    rt->dc.on_progress = NULL;
    if (sample_stream_begin(&rt->dc, &rt->stream, &rt->err) != CA_OK)
        rt->stream = NULL;
}

int run_one_record(void *ctx, const struct record *r)
{
    struct one_pass *p = ctx;
    size_t i, k;

    if (run_stopped(p->o))
        return 1; /* ingest stops; the run says why */
    if (inv_record(p->x, r))
        return 1;
    if ((unsigned)r->type < RT__COUNT)
        p->tally[r->type].accepted++;
    for (i = 0; i < p->ns; i++) {
        struct smp_rt *rt = &p->rt[i];

        if (rt->s->type != r->type || !rt->wanted)
            continue;
        /* the membership, worked out once per record and sample (the
         * stream's frame callback asks for it again) */
        rt->cur = r;
        if (!rt->fr->cond)
            rt->cur_in = 1;
        else if (p->x->le_ok)
            rt->cur_in =
                audit_frame_test_entries(rt->af, r, p->x->le.v, p->x->le.n);
        else
            rt->cur_in = audit_frame_test(rt->af, r, NULL);
        if (rt->cur_in == 1) {
            rt->members++;
            for (k = 0; k < rt->fr->nstrata; k++)
                rt->lack[k] += record_get_named(r, rt->fr->strata[k]) == NULL;
        }
        /* the strata are those of the first record of the type; a record
         * of the frame without one of its fields makes the stage read
         * again.  Every record of the type goes to the stream, which
         * counts those outside the frame as excluded. */
        if (!rt->begun)
            stream_begin(rt, p->o, strata_of(rt->fr, r));
        if (rt->stream && sample_stream_status(rt->stream) == CA_OK)
            (void)sample_stream_record(rt->stream, r); /* a failure ends it */
    }
    for (i = 0; i < p->ns; i++)
        p->rt[i].cur = NULL;
    if (p->rc && p->rst == CA_OK &&
        (r->type == RT_CRIME || r->type == RT_INCIDENT || r->type == RT_BAIL))
        p->rst =
            reconcile_add(p->rc, r, p->x->le_ok ? &p->x->le : NULL, &p->rerr);
    return 0;
}

void run_one_reject(void *ctx, const struct reject *rj)
{
    struct one_pass *p = ctx;

    if ((unsigned)rj->type < RT__COUNT && (unsigned)rj->reason < RJ__COUNT) {
        p->tally[rj->type].rejected++;
        p->tally[rj->type].by_reason[rj->reason]++;
    }
}

/* Whether the tallies stand for per-type passes: no file whose type a
 * request would change, and every row tallied. */
bool run_one_pass_exact(const struct one_pass *p, const struct ingest_stats *st)
{
    uint64_t acc = 0, rej = 0;
    size_t t;

    if (st->files_type_ambiguous)
        return false;
    for (t = 0; t < RT__COUNT; t++) {
        acc += p->tally[t].accepted;
        rej += p->tally[t].rejected;
    }
    return acc == st->rows_accepted && rej == st->rows_rejected;
}

/* The stats a pass over the inputs for type t alone would have given
 * (shallow: inputs are borrowed from all, notes left out). */
void run_type_stats(const struct one_pass *p, const struct ingest_stats *all,
                    enum record_type t, struct ingest_stats *out)
{
    const struct type_tally *y = &p->tally[t];

    memset(out, 0, sizeof(*out));
    out->rows_accepted = y->accepted;
    out->rows_rejected = y->rejected;
    out->rows_read = y->accepted + y->rejected;
    memcpy(out->rejected_by_reason, y->by_reason,
           sizeof(out->rejected_by_reason));
    out->rows_other_type = all->rows_read - out->rows_read;
    out->bytes_read = all->bytes_read;
    out->inputs = all->inputs;
    out->ninputs = all->ninputs;
}

/* ---- a census: the second reading ---------------------------------------- */

/* A census: the drawn samples' files checked from the inputs, in one
 * reading, each record by the checker of every sample that drew it. */
struct census_pass {
    const struct audit_opts *o;
    struct smp_rt *rt;
    size_t ns;
    struct ca_error *err;
    enum ca_status st;
};

static int census_record(void *ctx, const struct record *r)
{
    struct census_pass *c = ctx;
    size_t i;
    uint32_t v;

    if (run_stopped(c->o)) {
        c->st = ca_error_set(c->err, CA_SYSTEM, NULL, 0, NULL, "interrupted");
        return 1;
    }
    for (i = 0; i < c->ns; i++) {
        struct smp_rt *rt = &c->rt[i];

        if (!rt->checker || rt->s->type != r->type ||
            !idmap_get_str(&rt->ids, r->id, &v))
            continue;
        c->st = audit_checker_record(rt->checker, r, c->err);
        if (c->st != CA_OK)
            return 1;
    }
    return 0;
}

enum ca_status run_census(struct run_state *s, struct ca_error *err)
{
    const struct audit_opts *o = s->o;
    struct audit_result *out = s->out;
    struct census_pass cp;
    struct ingest_stats cst;
    struct ingest_opts io;
    enum ca_status st;
    size_t i;

    run_stage(o, "checking every file of the frames");
    memset(&cp, 0, sizeof(cp));
    memset(&cst, 0, sizeof(cst));
    cp.o = o;
    cp.rt = s->rt;
    cp.ns = o->prog->nframes;
    cp.err = err;
    ingest_opts_init(&io);
    io.progress = o->on_progress != NULL;
    io.on_progress = o->on_progress;
    io.progress_ctx = o->progress_ctx;
    st = ingest_run(o->inputs, o->ninputs, &io, census_record, NULL, &cp, &cst,
                    err);
    if (st == CA_OK)
        st = cp.st;
    if (st == CA_OK && cst.rows_read != s->stats.rows_read)
        st = ca_error_set(err, CA_DATA, o->inputs[0], 0, NULL,
                          "the inputs changed while they were audited "
                          "(%" PRIu64 " rows, then %" PRIu64 ")",
                          s->stats.rows_read, cst.rows_read);
    ingest_stats_release(&cst);
    for (i = 0; i < o->prog->nframes; i++) {
        struct smp_rt *rt = &s->rt[i];
        struct audit_check_counts cc;
        enum ca_status cs;

        if (!rt->checker)
            continue;
        memset(&cc, 0, sizeof(cc));
        cs = audit_checker_close(rt->checker, st == CA_OK, &cc, err);
        rt->checker = NULL;
        out->s[i].findings_rows = cc.rows;
        out->s[i].error_files = cc.error_files;
        if (st == CA_OK)
            st = cs;
        if (st == CA_OK && cc.records != out->s[i].selected)
            st = ca_error_set(err, CA_DATA, o->inputs[0], 0, NULL,
                              "%s: %" PRIu64 " files of the frame were "
                              "drawn but %" PRIu64 " found again",
                              out->s[i].name, out->s[i].selected, cc.records);
    }
    return st;
}
