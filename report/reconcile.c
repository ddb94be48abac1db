/* SPDX-License-Identifier: MIT */
/* Crimes, incidents and bail reconciled per force; see reconcile.h. */
#include "report/reconcile.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "report/idmap.h"
#include "report/refjoin.h"

/* "arested" is a common misspelling; a voluntary (VA) interview that is
 * still to be arranged has not happened */
static const char dealt_re[] =
    "\\b(?:ar?rested|interviewed|(?:voluntary|VA)\\s+(?:attendance|interview)"
    "(?!\\s+(?:to\\s+be|arranged|planned|booked|requested|offered|declined))|"
    "charged|cautioned|summonsed)\\b";
/* applied to the text before a match: a negation up to two words back */
static const char negation_re[] =
    "\\b(?:not|no|never|unable\\s+to|failed\\s+to|awaiting|attempted\\s+to|"
    "to\\s+be)(?:\\W+\\w+){0,2}\\W*$";
static const char outcome_re[] =
    "charge|caution|summons|community\\s+resolution";

/* The compiled patterns, made once per reconciliation (read-only
 * afterwards), JIT-compiled where PCRE2 has JIT. */
struct patterns {
    pcre2_code *dealt, *neg, *outcome;
    pcre2_match_data *md, *md2;
};

struct reconcile {
    struct strtab forces;
    struct reconcile_force *f; /* parallel to forces */
    size_t falloc;
    uint32_t last; /* index of the force of the last record, or UINT32_MAX */
    struct refjoin incident_refs; /* incident ids; crimes' incident_ref */
    struct refjoin crime_refs;    /* crime ids; incidents' crime_ref */
    struct patterns p;
    struct log_entries le;
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

static int pat_compile(pcre2_code **re, const char *pattern)
{
    int ec;
    PCRE2_SIZE off;

    *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                        PCRE2_CASELESS, &ec, &off, NULL);
    if (!*re)
        return -1;
    (void)pcre2_jit_compile(*re, PCRE2_JIT_COMPLETE); /* interpreter if not */
    return 0;
}

static void pat_release(struct patterns *p)
{
    pcre2_code_free(p->dealt);
    pcre2_code_free(p->neg);
    pcre2_code_free(p->outcome);
    pcre2_match_data_free(p->md);
    pcre2_match_data_free(p->md2);
    memset(p, 0, sizeof(*p));
}

static int pat_init(struct patterns *p)
{
    memset(p, 0, sizeof(*p));
    if (pat_compile(&p->dealt, dealt_re) || pat_compile(&p->neg, negation_re) ||
        pat_compile(&p->outcome, outcome_re) ||
        !(p->md = pcre2_match_data_create(4, NULL)) ||
        !(p->md2 = pcre2_match_data_create(4, NULL))) {
        pat_release(p);
        return -1;
    }
    return 0;
}

/* pcre2_match, by the JIT when it has the pattern; a JIT failure other
 * than no match (its stack, say) is retried by the interpreter, so that the
 * answer never depends on whether JIT is there. */
static int pat_match(const pcre2_code *re, const char *s, size_t len,
                     size_t start, pcre2_match_data *md)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, start, 0, md, NULL);

    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
        rc = pcre2_match(re, (PCRE2_SPTR)s, len, start, PCRE2_NO_JIT, md, NULL);
    return rc;
}

/* le: the record's log as split by record_log, or NULL to split it here
 * into *own. */
static int dealt_with(const struct patterns *p, const struct record *r,
                      const struct log_entries *le, struct log_entries *own,
                      struct ca_error *err)
{
    const char *outcome = record_get(r, CF_OUTCOME);
    int result = 0;
    size_t i;

    if (outcome && outcome[0] &&
        pat_match(p->outcome, outcome, strlen(outcome), 0, p->md) >= 0)
        return 1;
    if (!le) {
        if (record_log(r, own, err) != CA_OK)
            return -1;
        le = own;
    }
    for (i = 0; i < le->n && !result; i++) {
        const char *t = le->v[i].text;
        size_t tl = le->v[i].text_len, start = 0;

        while (start <= tl && pat_match(p->dealt, t, tl, start, p->md) >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);

            if (pat_match(p->neg, t, ov[0], 0, p->md2) < 0) {
                result = 1;
                break;
            }
            start = ov[1] > start ? ov[1] : start + 1;
        }
    }
    return result;
}

int reconcile_suspect_dealt_with(const struct record *r, struct ca_error *err)
{
    struct patterns p;
    struct log_entries le;
    int v;

    if (pat_init(&p) != 0) {
        ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                     "unable to compile the suspect patterns");
        return -1;
    }
    log_entries_init(&le);
    v = dealt_with(&p, r, NULL, &le, err);
    log_entries_release(&le);
    pat_release(&p);
    return v;
}

enum ca_status reconcile_begin(struct reconcile **out, struct ca_error *err)
{
    struct reconcile *rc = calloc(1, sizeof(*rc));

    *out = NULL;
    if (!rc)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    strtab_init(&rc->forces);
    refjoin_init(&rc->incident_refs);
    refjoin_init(&rc->crime_refs);
    log_entries_init(&rc->le);
    rc->last = UINT32_MAX;
    if (pat_init(&rc->p) != 0) {
        reconcile_free(rc);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                            "unable to compile the suspect patterns");
    }
    *out = rc;
    return CA_OK;
}

void reconcile_free(struct reconcile *rc)
{
    if (!rc)
        return;
    pat_release(&rc->p);
    free(rc->f);
    strtab_release(&rc->forces);
    refjoin_release(&rc->incident_refs);
    refjoin_release(&rc->crime_refs);
    log_entries_release(&rc->le);
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
        d = dealt_with(&c->p, r, le, &c->le, err);
        if (d < 0)
            return err->status ? err->status : CA_DATA;
        if (d == 0)
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
    st = reconcile_begin(&pc.rc, err);
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
    json_t *o = json_object(), *r = json_object();
    int i;

    json_object_set_new(o, "rows_read",
                        json_integer((json_int_t)st->rows_read));
    json_object_set_new(o, "rows_accepted",
                        json_integer((json_int_t)st->rows_accepted));
    json_object_set_new(o, "rows_rejected",
                        json_integer((json_int_t)st->rows_rejected));
    for (i = 0; i < RJ__COUNT; i++)
        if (st->rejected_by_reason[i])
            json_object_set_new(
                r, reject_reason_name((enum reject_reason)i),
                json_integer((json_int_t)st->rejected_by_reason[i]));
    json_object_set_new(o, "rejected_by_reason", r);
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
