/* SPDX-License-Identifier: MIT */
/* Crimes, incidents and bail reconciled per force; see reconcile.h. */
#include "report/reconcile.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ingest/rowcount.h"
#include "report/idmap.h"
#include "report/refjoin.h"

struct reconcile {
    struct strtab forces;
    struct reconcile_force *f; /* parallel to forces */
    size_t falloc;
    uint32_t last; /* index of the force of the last record, or UINT32_MAX */
    struct refjoin incident_refs; /* incident ids; crimes' incident_ref */
    struct refjoin crime_refs;    /* crime ids; incidents' crime_ref */
    reconcile_outstanding_fn outstanding;
    void *outstanding_ctx;
};

void reconcile_result_init(struct reconcile_result *r)
{
    memset(r, 0, sizeof(*r));
}

void reconcile_result_release(struct reconcile_result *r)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        free(r->f[i].force);
    free(r->f);
    free(r->total.force);
    ingest_stats_release(&r->crimes);
    ingest_stats_release(&r->incidents);
    ingest_stats_release(&r->bail);
    reconcile_result_init(r);
}

enum ca_status reconcile_begin(struct reconcile **out,
                               reconcile_outstanding_fn outstanding, void *ctx,
                               struct ca_error *err)
{
    struct reconcile *rc;

    *out = NULL;
    if (!outstanding)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                            "reconcile: no test of named suspects outstanding");
    rc = calloc(1, sizeof(*rc));
    if (!rc)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    strtab_init(&rc->forces);
    refjoin_init(&rc->incident_refs);
    refjoin_init(&rc->crime_refs);
    rc->last = UINT32_MAX;
    rc->outstanding = outstanding;
    rc->outstanding_ctx = ctx;
    *out = rc;
    return CA_OK;
}

void reconcile_free(struct reconcile *rc)
{
    if (!rc)
        return;
    free(rc->f);
    strtab_release(&rc->forces);
    refjoin_release(&rc->incident_refs);
    refjoin_release(&rc->crime_refs);
    free(rc);
}

static struct reconcile_force *force_get(struct reconcile *c, const char *force,
                                         uint32_t *idx)
{
    if (c->last != UINT32_MAX && strcmp(c->forces.v[c->last], force) == 0) {
        *idx = c->last;
        return &c->f[*idx];
    }
    if (strtab_intern(&c->forces, force, idx) != 0)
        return NULL;
    if (*idx >= c->falloc) {
        size_t na = c->falloc ? c->falloc * 2 : 16;
        struct reconcile_force *nv = realloc(c->f, na * sizeof(*nv));

        if (!nv)
            return NULL;
        memset(nv + c->falloc, 0, (na - c->falloc) * sizeof(*nv));
        c->f = nv;
        c->falloc = na;
    }
    c->last = *idx;
    return &c->f[*idx];
}

static enum ca_status nomem(const struct record *r, struct ca_error *err)
{
    return ca_error_set(err, CA_SYSTEM, r->source, r->line, NULL,
                        "out of memory");
}

static enum ca_status add_incident(struct reconcile *c, const struct record *r,
                                   struct ca_error *err)
{
    struct reconcile_force *f;
    const char *cref = record_get(r, CF_CRIME_REF);
    uint32_t fi;

    f = force_get(c, r->force, &fi);
    if (!f)
        return nomem(r, err);
    f->incidents++;
    if (refjoin_present(&c->incident_refs, fi, r->id, strlen(r->id)) != 0)
        return nomem(r, err);
    if (cref && cref[0]) {
        f->incidents_closed_as_crimes++;
        if (refjoin_refer(&c->crime_refs, fi, cref, strlen(cref)) != 0)
            return nomem(r, err);
    }
    return CA_OK;
}

static enum ca_status add_crime(struct reconcile *c, const struct record *r,
                                const struct log_entries *le,
                                struct ca_error *err)
{
    struct reconcile_force *f;
    const char *iref = record_get(r, CF_INCIDENT_REF);
    const char *att = record_get(r, CF_ATTENDED);
    const char *ns = record_get(r, CF_NAMED_SUSPECT);
    bool attended = att && strcmp(att, "Y") == 0;
    uint32_t fi;

    f = force_get(c, r->force, &fi);
    if (!f)
        return nomem(r, err);
    if (!iref)
        return ca_error_set(err, CA_DATA, r->source, r->line, "incident_ref",
                            "the crimes have no incident_ref column, so "
                            "crimes recorded directly cannot be told from "
                            "those recorded via an incident");
    f->crimes++;
    if (!att || (strcmp(att, "Y") != 0 && strcmp(att, "N") != 0))
        f->attended_unknown++;
    if (iref[0]) {
        f->via_incident++;
        if (attended)
            f->via_incident_attended++;
        if (refjoin_refer(&c->incident_refs, fi, iref, strlen(iref)) != 0)
            return nomem(r, err);
    } else {
        f->direct_recorded++;
        if (attended)
            f->direct_attended++;
    }
    if (refjoin_present(&c->crime_refs, fi, r->id, strlen(r->id)) != 0)
        return nomem(r, err);
    if (ns && strcmp(ns, "Y") == 0) {
        int d;

        f->named_suspects++;
        d = c->outstanding(c->outstanding_ctx, r, le, err);
        if (d < 0)
            return err->status ? err->status : CA_DATA;
        if (d == 1)
            f->suspects_not_arrested++;
    }
    return CA_OK;
}

static enum ca_status add_bail(struct reconcile *c, const struct record *r,
                               struct ca_error *err)
{
    struct reconcile_force *f;
    const char *fta = record_get(r, CF_FAILED_TO_ANSWER);
    uint32_t fi;

    f = force_get(c, r->force, &fi);
    if (!f)
        return nomem(r, err);
    f->bail++;
    if (fta && strcmp(fta, "Y") == 0)
        f->failed_to_answer++;
    return CA_OK;
}

enum ca_status reconcile_add(struct reconcile *rc, const struct record *r,
                             const struct log_entries *le, struct ca_error *err)
{
    switch (r->type) {
    case RT_INCIDENT:
        return add_incident(rc, r, err);
    case RT_CRIME:
        return add_crime(rc, r, le, err);
    case RT_BAIL:
        return add_bail(rc, r, err);
    default:
        return CA_OK;
    }
}

static void count_unmatched_incident(void *ctx, uint32_t force, uint64_t n)
{
    struct reconcile *c = ctx;

    c->f[force].unmatched_incident_refs += n;
}

static void count_unmatched_crime(void *ctx, uint32_t force, uint64_t n)
{
    struct reconcile *c = ctx;

    c->f[force].unmatched_crime_refs += n;
}

static int cmp_force(const void *a, const void *b)
{
    const struct reconcile_force *x = a, *y = b;

    return strcmp(x->force, y->force);
}

enum ca_status reconcile_end(struct reconcile *c, struct reconcile_result *out,
                             struct ca_error *err)
{
    size_t i;

    if (refjoin_flush(&c->incident_refs) != 0 ||
        refjoin_flush(&c->crime_refs) != 0)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    refjoin_unmatched(&c->incident_refs, count_unmatched_incident, c);
    refjoin_unmatched(&c->crime_refs, count_unmatched_crime, c);
    out->f = calloc(c->forces.n + 1, sizeof(*out->f));
    out->total.force = strdup("all");
    if (!out->f || !out->total.force)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    for (i = 0; i < c->forces.n; i++) {
        struct reconcile_force *f = &out->f[out->n];
        struct reconcile_force *t = &out->total;

        *f = c->f[i];
        f->force = strdup(c->forces.v[i]);
        if (!f->force)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        out->n++;
        t->crimes += f->crimes;
        t->via_incident += f->via_incident;
        t->via_incident_attended += f->via_incident_attended;
        t->direct_recorded += f->direct_recorded;
        t->direct_attended += f->direct_attended;
        t->attended_unknown += f->attended_unknown;
        t->unmatched_incident_refs += f->unmatched_incident_refs;
        t->incidents += f->incidents;
        t->incidents_closed_as_crimes += f->incidents_closed_as_crimes;
        t->unmatched_crime_refs += f->unmatched_crime_refs;
        t->named_suspects += f->named_suspects;
        t->suspects_not_arrested += f->suspects_not_arrested;
        t->bail += f->bail;
        t->failed_to_answer += f->failed_to_answer;
    }
    qsort(out->f, out->n, sizeof(*out->f), cmp_force);
    return CA_OK;
}

/* ---- reconcile_run: one pass per record type -------------------------- */

struct pass_ctx {
    struct reconcile *rc;
    struct ca_error *err;
    enum ca_status st; /* failure inside a callback */
};

static int on_record(void *vc, const struct record *r)
{
    struct pass_ctx *pc = vc;
    enum ca_status st = reconcile_add(pc->rc, r, NULL, pc->err);

    if (st == CA_OK)
        return 0;
    if (pc->st == CA_OK)
        pc->st = st;
    return 1;
}

static enum ca_status pass(struct pass_ctx *pc, const char *const *paths,
                           size_t n, const struct reconcile_opts *o,
                           enum record_type t, struct ingest_stats *st_out)
{
    struct ingest_opts io;
    enum ca_status st;

    ingest_opts_init(&io);
    io.profile = o->profile;
    io.force = o->force;
    io.type = t;
    io.check_duplicates = true;
    st = ingest_run(paths, n, &io, on_record, NULL, pc, st_out, pc->err);
    if (st == CA_OK && pc->st != CA_OK)
        st = pc->st;
    return st;
}

enum ca_status reconcile_run(const struct reconcile_opts *o,
                             struct reconcile_result *out, struct ca_error *err)
{
    struct pass_ctx pc;
    enum ca_status st;

    reconcile_result_init(out);
    memset(&pc, 0, sizeof(pc));
    pc.err = err;
    st = reconcile_begin(&pc.rc, o->outstanding, o->outstanding_ctx, err);
    if (st != CA_OK)
        return st;
    st =
        pass(&pc, o->incidents, o->nincidents, o, RT_INCIDENT, &out->incidents);
    if (st == CA_OK)
        st = pass(&pc, o->crimes, o->ncrimes, o, RT_CRIME, &out->crimes);
    if (st == CA_OK && o->nbail) {
        out->have_bail = true;
        st = pass(&pc, o->bail, o->nbail, o, RT_BAIL, &out->bail);
    }
    if (st == CA_OK)
        st = reconcile_end(pc.rc, out, err);
    reconcile_free(pc.rc);
    return st;
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *rate_json(uint64_t a, uint64_t n)
{
    return n ? json_real((double)a / (double)n) : json_null();
}

static json_t *force_json(const struct reconcile_force *f, bool have_bail)
{
    json_t *o = json_object();

    json_object_set_new(o, "force", json_string(f->force));
    json_object_set_new(o, "crimes", json_integer((json_int_t)f->crimes));
    json_object_set_new(o, "direct_recorded",
                        json_integer((json_int_t)f->direct_recorded));
    json_object_set_new(o, "direct_attended",
                        json_integer((json_int_t)f->direct_attended));
    json_object_set_new(o, "via_incident",
                        json_integer((json_int_t)f->via_incident));
    json_object_set_new(o, "via_incident_attended",
                        json_integer((json_int_t)f->via_incident_attended));
    json_object_set_new(o, "attendance_rate_direct",
                        rate_json(f->direct_attended, f->direct_recorded));
    json_object_set_new(o, "attendance_rate_via_incident",
                        rate_json(f->via_incident_attended, f->via_incident));
    json_object_set_new(o, "attended_unknown",
                        json_integer((json_int_t)f->attended_unknown));
    json_object_set_new(o, "unmatched_incident_refs",
                        json_integer((json_int_t)f->unmatched_incident_refs));
    json_object_set_new(o, "incidents", json_integer((json_int_t)f->incidents));
    json_object_set_new(
        o, "incidents_closed_as_crimes",
        json_integer((json_int_t)f->incidents_closed_as_crimes));
    json_object_set_new(o, "unmatched_crime_refs",
                        json_integer((json_int_t)f->unmatched_crime_refs));
    json_object_set_new(o, "named_suspects",
                        json_integer((json_int_t)f->named_suspects));
    json_object_set_new(o, "suspects_not_arrested",
                        json_integer((json_int_t)f->suspects_not_arrested));
    json_object_set_new(
        o, "bail", have_bail ? json_integer((json_int_t)f->bail) : json_null());
    json_object_set_new(o, "failed_to_answer",
                        have_bail
                            ? json_integer((json_int_t)f->failed_to_answer)
                            : json_null());
    return o;
}

static json_t *rows_json(const struct ingest_stats *st)
{
    json_t *o = json_object();

    if (o && ingest_rowcount_json_add(o, st)) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

json_t *reconcile_json(const struct reconcile_result *res)
{
    json_t *root = json_object(), *a = json_array(), *in = json_object();
    size_t i;

    if (!root || !a || !in) {
        json_decref(root);
        json_decref(a);
        json_decref(in);
        return NULL;
    }
    for (i = 0; i < res->n; i++)
        json_array_append_new(a, force_json(&res->f[i], res->have_bail));
    json_object_set_new(root, "forces", a);
    json_object_set_new(root, "total", force_json(&res->total, res->have_bail));
    json_object_set_new(in, "crimes", rows_json(&res->crimes));
    json_object_set_new(in, "incidents", rows_json(&res->incidents));
    json_object_set_new(in, "bail",
                        res->have_bail ? rows_json(&res->bail) : json_null());
    json_object_set_new(root, "inputs", in);
    return root;
}
