/* SPDX-License-Identifier: MIT */
/*
 * The sampling stage of `caseaudit run` (audit/run.h): which frames are
 * drawn and with which strata, each sample's manifest and draw (from the
 * one pass's stream, or by reading the inputs again) and its sample CSV,
 * then the check of each sample (run_judge.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samplers/alloc.h"
#include "util/outfile.h"

#include "audit/run.h"

/* The frame callback of a sample: the membership the one pass worked out
 * for the record it is passing, else the frame's own judgement. */
static int frame_cb(void *ctx, const struct record *r, struct ca_error *err)
{
    struct smp_rt *rt = ctx;

    if (run_stopped(rt->o)) {
        ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "interrupted");
        return -1;
    }
    if (r == rt->cur)
        return rt->cur_in;
    return audit_frame_test(rt->af, r, err);
}

static int dup_or_null(char **dst, const char *src)
{
    *dst = NULL;
    if (src && !(*dst = strdup(src)))
        return -1;
    return 0;
}

enum ca_status run_build_manifest(const struct audit_opts *o,
                                  const struct smp_rt *rt, const char *strata,
                                  struct manifest *m, struct ca_error *err)
{
    char created[21];
    size_t i;

    memset(m, 0, sizeof(*m));
    m->version = MANIFEST_VERSION;
    manifest_timestamp(created);
    if (!(m->tool_version = strdup(CA_VERSION)) ||
        !(m->created = strdup(created)))
        return run_oom(err);
    m->argv = calloc(o->argc + 2, sizeof(*m->argv));
    if (!m->argv || !(m->argv[0] = strdup("caseaudit")))
        return run_oom(err);
    m->argc = 1;
    for (i = 0; i < o->argc; i++, m->argc++)
        if (!(m->argv[i + 1] = strdup(o->argv[i])))
            return run_oom(err);
    if (!(m->p.type = strdup(record_type_name(rt->s->type))) ||
        !(m->p.seed = strdup(o->seed)))
        return run_oom(err);
    m->p.method = SM_HASH;
    m->p.per_force = true;
    if (alloc_parse(o->allocation ? o->allocation : "proportional",
                    &m->p.alloc) != 0)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL, "bad allocation '%s'",
                            o->allocation);
    m->p.spares = o->census ? 0 : o->spares;
    if (strata) {
        const char *s = strata;

        m->p.strata = calloc(rt->fr->nstrata + 1, sizeof(*m->p.strata));
        if (!m->p.strata)
            return run_oom(err);
        while (*s) {
            size_t len = strcspn(s, ",");

            if (!(m->p.strata[m->p.nstrata] = strndup(s, len)))
                return run_oom(err);
            m->p.nstrata++;
            s += len;
            while (*s == ',' || *s == ' ')
                s++;
        }
    }
    if (o->census) {
        memset(&m->p.plan, 0, sizeof(m->p.plan));
        m->p.plan.mode = PLAN_MODE_CENSUS;
    } else {
        m->p.plan = *o->plan;
        m->p.plan.expected_rate = NULL;
        m->p.plan.model = NULL;
        m->p.plan.prior = NULL;
        if (dup_or_null(&m->p.plan.expected_rate, o->plan->expected_rate) ||
            dup_or_null(&m->p.plan.model, o->plan->model) ||
            dup_or_null(&m->p.plan.prior, o->plan->prior))
            return run_oom(err);
    }
    if (!(m->p.programme =
              audit_frame_ref(o->prog, rt->s->frame, o->prog->path)))
        return run_oom(err);
    return CA_OK;
}

void run_draw_config_fill(const struct audit_opts *o, struct smp_rt *rt,
                          struct manifest *m, struct draw_config *dc)
{
    memset(dc, 0, sizeof(*dc));
    dc->p = &m->p;
    dc->paths = o->inputs;
    dc->npaths = o->ninputs;
    if (!o->census) {
        dc->size = o->size;
        dc->size_ctx = o->size_ctx;
        dc->size_bound = o->size_bound;
    }
    dc->frame = frame_cb;
    dc->frame_ctx = rt;
    /* a census is checked from the inputs: its rows are not kept */
    dc->want_rows = !o->census;
    dc->on_progress = o->on_progress;
    dc->progress_ctx = o->progress_ctx;
}

/* Draw a sample and write its manifest and (unless a census) its CSV.
 * With from_pass, the one pass's stream (begun with the same strata, and
 * given every record) is drawn from, with tstats the type's rows; else
 * the inputs are read again (sample_draw).  Either gives the same sample
 * and manifest.  The drawn ids are kept in rt->ids. */
enum ca_status run_draw_sample(const struct audit_opts *o, struct smp_rt *rt,
                               bool from_pass,
                               const struct ingest_stats *tstats,
                               struct ca_error *err)
{
    struct audit_sample *as = rt->s;
    struct manifest own, *mp = &own;
    struct draw_config dc;
    struct outfile of, om;
    bool of_open = false, om_open = false;
    enum ca_status st;
    size_t g, i;

    memset(&own, 0, sizeof(own));
    if (from_pass) {
        char created[21];

        /* made before the pass: stamp it now, as a draw now would */
        mp = &rt->m;
        manifest_timestamp(created);
        free(mp->created);
        if (!(mp->created = strdup(created))) {
            st = run_oom(err);
            goto out;
        }
        st = sample_stream_end(rt->stream, tstats, &mp->r, err);
    } else {
        st = run_build_manifest(o, rt, as->strata, mp, err);
        if (st != CA_OK)
            goto out;
        run_draw_config_fill(o, rt, mp, &dc);
        st = sample_draw(&dc, &mp->r, err);
    }
    if (st != CA_OK)
        goto out;
    for (g = 0; g < mp->r.sel.ngroups; g++) {
        as->selected += mp->r.sel.groups[g].taken;
        as->N += mp->r.sel.groups[g].N;
    }
    for (i = 0; i < mp->r.sel.nitems; i++)
        if (!mp->r.sel.items[i].spare &&
            idmap_put_str(&rt->ids, mp->r.sel.items[i].id, (uint32_t)i, NULL) <
                0) {
            st = run_oom(err);
            goto out;
        }
    if (as->sample_csv) {
        st = outfile_open(&of, as->sample_csv, err);
        if (st != CA_OK)
            goto out;
        of_open = true;
        st = sample_write_csv(&mp->r.sel, mp->p.type, of.fp, err);
        if (st != CA_OK && !err->file[0])
            snprintf(err->file, sizeof(err->file), "%s", as->sample_csv);
    }
    if (st == CA_OK && (st = outfile_open(&om, as->manifest, err)) == CA_OK) {
        om_open = true;
        st = manifest_write(mp, om.fp, err);
    }
    if (st == CA_OK && of_open) {
        of_open = false;
        st = outfile_commit(&of, err);
    }
    if (st == CA_OK) {
        om_open = false;
        st = outfile_commit(&om, err);
    }
out:
    if (of_open)
        outfile_abort(&of);
    if (om_open)
        outfile_abort(&om);
    manifest_release(&own);
    return st;
}

void run_sample_release(struct smp_rt *rt)
{
    sample_stream_free(rt->stream);
    manifest_release(&rt->m);
    free(rt->stream_strata);
    audit_frame_free(rt->af);
    free(rt->lack);
    free(rt->only);
    idmap_release(&rt->ids);
    audit_checker_close(rt->checker, false, NULL, NULL);
}

/* The declared strata of sample i split into those every record of its
 * frame has (kept) and the others (dropped). */
static enum ca_status split_strata(struct run_state *s, size_t i,
                                   struct ca_error *err)
{
    struct audit_sample *as = &s->out->s[i];
    const struct smp_rt *r = &s->rt[i];
    struct buf kept, dropped;
    enum ca_status st = CA_OK;
    size_t k;

    buf_init(&kept, 0);
    buf_init(&dropped, 0);
    for (k = 0; k < r->fr->nstrata; k++) {
        struct buf *b = r->lack[k] ? &dropped : &kept;

        if ((b->len && buf_addstr(b, ", ")) ||
            buf_addstr(b, r->fr->strata[k])) {
            st = run_oom(err);
            goto out;
        }
    }
    as->strata = kept.len ? buf_detach(&kept, NULL) : NULL;
    as->strata_dropped = dropped.len ? buf_detach(&dropped, NULL) : NULL;
out:
    buf_release(&kept);
    buf_release(&dropped);
    return st;
}

/* The error of a run where no sample can be drawn. */
static enum ca_status nothing_to_audit(const struct run_state *s,
                                       struct ca_error *err)
{
    const struct audit_result *out = s->out;
    char why[700];
    size_t off = 0, i;

    why[0] = '\0';
    for (i = 0; i < out->ntests && off < sizeof(why); i++)
        off += (size_t)snprintf(why + off, sizeof(why) - off, "%s%s: %s",
                                i ? "; " : "", out->tests[i].id,
                                out->tests[i].not_run ? out->tests[i].not_run
                                                      : "-");
    return ca_error_set(err, CA_DATA, s->o->inputs[0], 0, NULL,
                        "nothing to audit: no test of programme '%s' can "
                        "be run on these inputs (%" PRIu64 " records read; %s)",
                        s->o->prog->id, s->stats.rows_accepted, why);
}

enum ca_status run_choose_samples(struct run_state *s, struct ca_error *err)
{
    const struct programme *prog = s->o->prog;
    struct audit_result *out = s->out;
    enum ca_status st = CA_OK;
    size_t i, k;

    for (i = 0; i < prog->nframes; i++) {
        struct audit_sample *as = &out->s[i];
        struct smp_rt *r = &s->rt[i];
        bool any = false;

        as->undecided = audit_frame_undecided(r->af);
        if (as->undecided &&
            !(as->undecided_why = strdup(audit_frame_first_undecided(r->af))))
            return run_oom(err);
        for (k = 0; k < r->fr->ntests; k++)
            any |= out->tests[r->fr->tests[k]].not_run == NULL;
        if (!s->x.n[as->type]) {
            as->skipped = "no records of its type in the input";
            continue;
        }
        if (!any) {
            as->skipped = "none of its tests can be run on this export";
            continue;
        }
        st = split_strata(s, i, err);
        if (st != CA_OK)
            return st;
        as->drawn = true;
        s->ndrawn++;
    }
    if (s->ndrawn == 0)
        return nothing_to_audit(s, err);
    for (i = 0; i < prog->nframes; i++)
        if (!out->s[i].drawn)
            for (k = 0; k < s->rt[i].fr->ntests; k++)
                if (!out->tests[s->rt[i].fr->tests[k]].not_run)
                    out->tests[s->rt[i].fr->tests[k]].not_run =
                        out->s[i].skipped;
    return st;
}

/* Draw sample i: from the one pass's stream when it stands for a draw of
 * its own, else by reading the inputs again. */
static enum ca_status draw_one(struct run_state *s, size_t i,
                               struct ca_error *err)
{
    const struct audit_opts *o = s->o;
    struct audit_sample *as = &s->out->s[i];
    struct smp_rt *r = &s->rt[i];
    struct ingest_stats tst;
    char what[600];
    const char *want;
    bool from_pass;
    enum ca_status st;

    snprintf(what, sizeof(what), "%s %s (%s)",
             o->census ? "taking every file of" : "sampling", as->name,
             record_type_name(as->type));
    run_stage(o, what);
    want = as->strata ? as->strata : "";
    from_pass = s->exact && r->stream &&
                sample_stream_status(r->stream) == CA_OK && r->stream_strata &&
                strcmp(r->stream_strata, want) == 0;
    r->cur = NULL;
    run_type_stats(&s->op, &s->stats, as->type, &tst);
    st = run_draw_sample(o, r, from_pass, &tst, err);
    sample_stream_free(r->stream);
    r->stream = NULL;
    return st;
}

enum ca_status run_samples(struct run_state *s, struct ca_error *err)
{
    enum ca_status st = CA_OK;
    size_t i;

    s->skip = calloc(s->out->nunchecked + 1, sizeof(*s->skip));
    if (!s->skip)
        return run_oom(err);
    for (i = 0; i < s->o->prog->nframes && st == CA_OK; i++) {
        if (!s->out->s[i].drawn)
            continue;
        st = run_stop_check(s->o, err);
        if (st == CA_OK)
            st = draw_one(s, i, err);
        if (st == CA_OK)
            st = run_check_sample(s, i, err);
    }
    return st;
}
