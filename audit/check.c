/* SPDX-License-Identifier: MIT */
/* The check stage of `caseaudit run`; see check.h. */
#include "audit/check.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/findings.h"
#include "ingest/ingest.h"
#include "util/buf.h"
#include "util/outfile.h"

int64_t audit_midnight(int64_t secs)
{
    return cal_day_of(secs) * 86400;
}

struct audit_checker {
    struct audit_check_opts o;
    struct engine_scratch *scratch;
    struct outfile of;
    struct findings_writer fw;
    struct audit_check_counts n;
    bool error; /* the current record has an error verdict */
    /* the current record's verdicts, for the hook */
    struct audit_verdict *v;
    size_t nv, valloc;
    struct buf msgs; /* their messages, NUL-separated */
    size_t *msg_off; /* offset of each message in msgs */
    bool oom;
};

static int on_verdict(void *ctx, const struct record *r,
                      const struct engine_verdict *v)
{
    struct audit_checker *c = ctx;
    size_t i;

    for (i = 0; i < c->o.nskip; i++)
        if (c->o.skip[i].rule == v->rule &&
            (!c->o.skip[i].force || strcmp(c->o.skip[i].force, r->force) == 0))
            return 0; /* left out of the check: not written, not counted */
    findings_write(&c->fw, r, v);
    if (v->verdict == V_ERROR)
        c->error = true;
    if (!c->o.judged)
        return 0;
    if (c->nv == c->valloc) {
        size_t na = c->valloc ? c->valloc * 2 : 16;
        struct audit_verdict *nv = realloc(c->v, na * sizeof(*nv));
        size_t *no = realloc(c->msg_off, na * sizeof(*no));

        if (nv)
            c->v = nv;
        if (no)
            c->msg_off = no;
        if (!nv || !no) {
            c->oom = true;
            return 1;
        }
        c->valloc = na;
    }
    c->v[c->nv].rule = v->rule;
    c->v[c->nv].verdict = v->verdict;
    c->msg_off[c->nv] = c->msgs.len;
    if (buf_add(&c->msgs, v->message, strlen(v->message) + 1)) {
        c->oom = true;
        return 1;
    }
    c->nv++;
    return 0;
}

enum ca_status audit_checker_open(const struct audit_check_opts *o,
                                  struct audit_checker **out,
                                  struct ca_error *err)
{
    struct audit_checker *c = calloc(1, sizeof(*c));
    enum ca_status st;

    *out = NULL;
    if (!c)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    c->o = *o;
    buf_init(&c->msgs, 0);
    c->scratch = engine_scratch_new(NULL);
    if (!c->scratch) {
        buf_release(&c->msgs);
        free(c);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    st = outfile_open(&c->of, o->findings_path, err);
    if (st != CA_OK) {
        engine_scratch_free(c->scratch);
        buf_release(&c->msgs);
        free(c);
        return st;
    }
    findings_writer_init(&c->fw, c->of.fp, FF_CSV, true);
    *out = c;
    return CA_OK;
}

enum ca_status audit_checker_record(struct audit_checker *c,
                                    const struct record *r,
                                    struct ca_error *err)
{
    struct engine_params p;
    size_t i;

    memset(&p, 0, sizeof(p));
    p.as_of = c->o.as_of(c->o.as_of_ctx, r->force);
    c->error = false;
    c->nv = 0;
    buf_reset(&c->msgs);
    engine_eval_only(c->o.rs, r, &p, c->o.only, c->scratch, on_verdict, c);
    if (c->oom)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    c->n.records++;
    c->n.error_files += c->error;
    if (c->o.judged) {
        for (i = 0; i < c->nv; i++)
            c->v[i].message = c->msgs.data + c->msg_off[i];
        if (c->o.judged(c->o.judged_ctx, r, c->v, c->nv) != 0)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    return CA_OK;
}

enum ca_status audit_checker_close(struct audit_checker *c, bool commit,
                                   struct audit_check_counts *counts,
                                   struct ca_error *err)
{
    enum ca_status st = CA_OK;

    if (!c)
        return CA_OK;
    if (commit && findings_writer_finish(&c->fw) != 0)
        st = ca_error_set(err, CA_SYSTEM, c->o.findings_path, 0, NULL,
                          "unable to write: %s", strerror(errno));
    if (commit && st == CA_OK) {
        c->n.rows = c->fw.rows;
        if (counts)
            *counts = c->n;
        st = outfile_commit(&c->of, err);
    } else {
        outfile_abort(&c->of);
    }
    engine_scratch_free(c->scratch);
    buf_release(&c->msgs);
    free(c->v);
    free(c->msg_off);
    free(c);
    return st;
}

struct csv_ctx {
    struct audit_checker *c;
    struct ca_error *err;
    enum ca_status st;
};

static int on_record(void *ctx, const struct record *r)
{
    struct csv_ctx *x = ctx;

    x->st = audit_checker_record(x->c, r, x->err);
    return x->st != CA_OK;
}

enum ca_status audit_check_sample(const struct audit_check_opts *o,
                                  const char *sample_csv, enum record_type t,
                                  struct audit_check_counts *counts,
                                  struct ca_error *err)
{
    struct csv_ctx x;
    struct ingest_opts io;
    struct ingest_stats stats;
    const char *paths[1];
    enum ca_status st;

    memset(&x, 0, sizeof(x));
    memset(&stats, 0, sizeof(stats));
    memset(counts, 0, sizeof(*counts));
    st = audit_checker_open(o, &x.c, err);
    if (st != CA_OK)
        return st;
    x.err = err;
    ingest_opts_init(&io);
    io.type = t;
    paths[0] = sample_csv;
    st = ingest_run(paths, 1, &io, on_record, NULL, &x, &stats, err);
    if (st == CA_OK)
        st = x.st;
    if (st == CA_OK && stats.rows_rejected)
        st = ca_error_set(err, CA_DATA, sample_csv, 0, NULL,
                          "%" PRIu64 " rows of the sample could not be read "
                          "back",
                          stats.rows_rejected);
    ingest_stats_release(&stats);
    if (st != CA_OK) {
        audit_checker_close(x.c, false, NULL, err);
        return st;
    }
    return audit_checker_close(x.c, true, counts, err);
}

struct latest_ctx {
    int64_t now, latest;
    bool have;
    uint64_t future;
    struct log_entries le;
    struct ca_error lerr;
    struct latest_force {
        char *force;
        int64_t latest;
        bool have;
    } * f;
    size_t nf, last;
    bool oom;
};

static int latest_record(void *ctx, const struct record *r)
{
    struct latest_ctx *c = ctx;
    bool le_ok =
        record_get(r, CF_LOG) && record_log_dates(r, &c->le, &c->lerr) == CA_OK;
    size_t i = c->last;

    if (i >= c->nf || strcmp(c->f[i].force, r->force) != 0) {
        for (i = 0; i < c->nf; i++)
            if (strcmp(c->f[i].force, r->force) == 0)
                break;
        if (i == c->nf) {
            struct latest_force *nv = realloc(c->f, (c->nf + 1) * sizeof(*nv));

            if (!nv || !(nv[c->nf].force = strdup(r->force))) {
                if (nv)
                    c->f = nv;
                c->oom = true;
                return 1;
            }
            c->f = nv;
            c->f[c->nf].have = false;
            c->f[c->nf].latest = 0;
            c->nf++;
        }
        c->last = i;
    }
    record_latest_event(r, le_ok ? &c->le : NULL, c->now, &c->f[i].latest,
                        &c->f[i].have, &c->future);
    if (c->f[i].have && (!c->have || c->f[i].latest > c->latest)) {
        c->latest = c->f[i].latest;
        c->have = true;
    }
    return 0;
}

enum ca_status audit_latest_day(const char *const *inputs, size_t n,
                                const struct ingest_opts *io, int64_t now,
                                int64_t *day, bool *have, bool *forces_differ,
                                struct ca_error *err)
{
    struct latest_ctx c;
    struct ingest_stats st;
    enum ca_status s;
    size_t i;

    memset(&c, 0, sizeof(c));
    memset(&st, 0, sizeof(st));
    c.now = now;
    log_entries_init(&c.le);
    s = ingest_run(inputs, n, io, latest_record, NULL, &c, &st, err);
    if (c.oom)
        s = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    log_entries_release(&c.le);
    ingest_stats_release(&st);
    *have = c.have;
    *day = c.have ? audit_midnight(c.latest) : audit_midnight(now);
    *forces_differ = false;
    for (i = 0; i < c.nf; i++) {
        if (c.f[i].have && audit_midnight(c.f[i].latest) != *day)
            *forces_differ = true;
        free(c.f[i].force);
    }
    free(c.f);
    return s;
}
