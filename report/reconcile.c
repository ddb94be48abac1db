/* SPDX-License-Identifier: MIT */
/* Crimes, incidents and bail reconciled per force; see reconcile.h. */
#include "report/reconcile.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "report/idmap.h"

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

struct pending {
    uint32_t force;
    char *ref;
};

struct rctx {
    struct reconcile_result *res;
    struct strtab forces;
    struct reconcile_force *f; /* parallel to forces */
    size_t falloc;
    struct idmap incident_refs; /* force index + ref */
    struct idmap crime_refs;
    struct pending *pend;
    size_t npend, pend_alloc;
    struct ca_error *err;
    enum ca_status st;           /* failure inside a callback */
    const char *no_incident_col; /* source of a crime without the column */
    unsigned long no_incident_line;
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

/* The compiled patterns, made once per process (read-only afterwards). */
struct patterns {
    pcre2_code *dealt, *neg, *outcome;
};

static int pat_compile(pcre2_code **re, const char *pattern)
{
    int ec;
    PCRE2_SIZE off;

    *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                        PCRE2_CASELESS, &ec, &off, NULL);
    return *re ? 0 : -1;
}

static void pat_release(struct patterns *p)
{
    pcre2_code_free(p->dealt);
    pcre2_code_free(p->neg);
    pcre2_code_free(p->outcome);
    memset(p, 0, sizeof(*p));
}

static int pat_init(struct patterns *p)
{
    memset(p, 0, sizeof(*p));
    if (pat_compile(&p->dealt, dealt_re) || pat_compile(&p->neg, negation_re) ||
        pat_compile(&p->outcome, outcome_re)) {
        pat_release(p);
        return -1;
    }
    return 0;
}

static int pat_match(const pcre2_code *re, const char *s, size_t len,
                     size_t start, pcre2_match_data *md)
{
    return pcre2_match(re, (PCRE2_SPTR)s, len, start, 0, md, NULL);
}

static int dealt_with(const struct patterns *p, const struct record *r,
                      struct ca_error *err)
{
    const char *outcome = record_get(r, CF_OUTCOME);
    struct log_entries le;
    pcre2_match_data *md = NULL, *md2 = NULL;
    int result = 0;
    size_t i;

    md = pcre2_match_data_create(4, NULL);
    md2 = pcre2_match_data_create(4, NULL);
    if (!md || !md2) {
        ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        result = -1;
        goto out;
    }
    if (outcome && outcome[0] &&
        pat_match(p->outcome, outcome, strlen(outcome), 0, md) >= 0) {
        result = 1;
        goto out;
    }
    log_entries_init(&le);
    if (record_log(r, &le, err) != CA_OK) {
        log_entries_release(&le);
        result = -1;
        goto out;
    }
    for (i = 0; i < le.n && !result; i++) {
        const char *t = le.v[i].text;
        size_t tl = le.v[i].text_len, start = 0;

        while (start <= tl && pat_match(p->dealt, t, tl, start, md) >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

            if (pat_match(p->neg, t, ov[0], 0, md2) < 0) {
                result = 1;
                break;
            }
            start = ov[1] > start ? ov[1] : start + 1;
        }
    }
    log_entries_release(&le);
out:
    pcre2_match_data_free(md);
    pcre2_match_data_free(md2);
    return result;
}

int reconcile_suspect_dealt_with(const struct record *r, struct ca_error *err)
{
    struct patterns p;
    int v;

    if (pat_init(&p) != 0) {
        ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                     "unable to compile the suspect patterns");
        return -1;
    }
    v = dealt_with(&p, r, err);
    pat_release(&p);
    return v;
}

static struct reconcile_force *force_get(struct rctx *c, const char *force,
                                         uint32_t *idx)
{
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
    return &c->f[*idx];
}

/* Key "force index" + ref for the reference sets. */
static size_t ref_key(char *key, size_t size, uint32_t force, const char *ref)
{
    size_t n = strlen(ref);

    if (n + 4 > size)
        n = size - 4;
    memcpy(key, &force, 4);
    memcpy(key + 4, ref, n);
    return n + 4;
}

static int stop(struct rctx *c, enum ca_status st)
{
    if (c->st == CA_OK)
        c->st = st;
    return 1;
}

static int on_incident(void *vc, const struct record *r)
{
    struct rctx *c = vc;
    struct reconcile_force *f;
    const char *cref = record_get(r, CF_CRIME_REF);
    char key[1100];
    uint32_t fi;

    f = force_get(c, r->force, &fi);
    if (!f)
        goto nomem;
    f->incidents++;
    if (idmap_put(&c->incident_refs, key, ref_key(key, sizeof(key), fi, r->id),
                  0, NULL) < 0)
        goto nomem;
    if (cref && cref[0]) {
        f->incidents_closed_as_crimes++;
        if (c->npend == c->pend_alloc) {
            size_t na = c->pend_alloc ? c->pend_alloc * 2 : 1024;
            struct pending *nv = realloc(c->pend, na * sizeof(*nv));

            if (!nv)
                goto nomem;
            c->pend = nv;
            c->pend_alloc = na;
        }
        c->pend[c->npend].force = fi;
        c->pend[c->npend].ref = strdup(cref);
        if (!c->pend[c->npend].ref)
            goto nomem;
        c->npend++;
    }
    return 0;
nomem:
    ca_error_set(c->err, CA_SYSTEM, r->source, r->line, NULL, "out of memory");
    return stop(c, CA_SYSTEM);
}

struct crime_ctx {
    struct rctx *c;
    const struct patterns *p;
};

static int on_crime(void *vc, const struct record *r)
{
    struct crime_ctx *cc = vc;
    struct rctx *c = cc->c;
    struct reconcile_force *f;
    const char *iref = record_get(r, CF_INCIDENT_REF);
    const char *att = record_get(r, CF_ATTENDED);
    const char *ns = record_get(r, CF_NAMED_SUSPECT);
    bool attended = att && strcmp(att, "Y") == 0;
    char key[1100];
    uint32_t fi;

    f = force_get(c, r->force, &fi);
    if (!f)
        goto nomem;
    if (!iref) {
        if (!c->no_incident_col) {
            c->no_incident_col = r->source;
            c->no_incident_line = r->line;
            ca_error_set(c->err, CA_DATA, r->source, r->line, "incident_ref",
                         "the crimes have no incident_ref column, so crimes "
                         "recorded directly cannot be told from those "
                         "recorded via an incident");
        }
        return stop(c, CA_DATA);
    }
    f->crimes++;
    if (!att || (strcmp(att, "Y") != 0 && strcmp(att, "N") != 0))
        f->attended_unknown++;
    if (iref[0]) {
        f->via_incident++;
        if (attended)
            f->via_incident_attended++;
        if (!idmap_get(&c->incident_refs, key,
                       ref_key(key, sizeof(key), fi, iref), NULL))
            f->unmatched_incident_refs++;
    } else {
        f->direct_recorded++;
        if (attended)
            f->direct_attended++;
    }
    if (idmap_put(&c->crime_refs, key, ref_key(key, sizeof(key), fi, r->id), 0,
                  NULL) < 0)
        goto nomem;
    if (ns && strcmp(ns, "Y") == 0) {
        int d;

        f->named_suspects++;
        d = dealt_with(cc->p, r, c->err);
        if (d < 0)
            return stop(c, c->err->status ? c->err->status : CA_DATA);
        if (d == 0)
            f->suspects_not_arrested++;
    }
    return 0;
nomem:
    ca_error_set(c->err, CA_SYSTEM, r->source, r->line, NULL, "out of memory");
    return stop(c, CA_SYSTEM);
}

static int on_bail(void *vc, const struct record *r)
{
    struct rctx *c = vc;
    struct reconcile_force *f;
    const char *fta = record_get(r, CF_FAILED_TO_ANSWER);
    uint32_t fi;

    f = force_get(c, r->force, &fi);
    if (!f) {
        ca_error_set(c->err, CA_SYSTEM, r->source, r->line, NULL,
                     "out of memory");
        return stop(c, CA_SYSTEM);
    }
    f->bail++;
    if (fta && strcmp(fta, "Y") == 0)
        f->failed_to_answer++;
    return 0;
}

static int cmp_force(const void *a, const void *b)
{
    const struct reconcile_force *x = a, *y = b;

    return strcmp(x->force, y->force);
}

static enum ca_status pass(struct rctx *c, const char *const *paths, size_t n,
                           const struct reconcile_opts *o, enum record_type t,
                           ingest_record_fn fn, void *ctx,
                           struct ingest_stats *st_out)
{
    struct ingest_opts io;
    enum ca_status st;

    ingest_opts_init(&io);
    io.profile = o->profile;
    io.force = o->force;
    io.type = t;
    io.check_duplicates = true;
    st = ingest_run(paths, n, &io, fn, NULL, ctx, st_out, c->err);
    if (st == CA_OK && c->st != CA_OK)
        st = c->st;
    return st;
}

enum ca_status reconcile_run(const struct reconcile_opts *o,
                             struct reconcile_result *out, struct ca_error *err)
{
    struct rctx c;
    struct patterns p;
    struct crime_ctx cc;
    enum ca_status st;
    size_t i;

    reconcile_result_init(out);
    memset(&c, 0, sizeof(c));
    c.res = out;
    c.err = err;
    strtab_init(&c.forces);
    idmap_init(&c.incident_refs);
    idmap_init(&c.crime_refs);
    if (pat_init(&p) != 0)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                            "unable to compile the suspect patterns");
    cc.c = &c;
    cc.p = &p;
    st = pass(&c, o->incidents, o->nincidents, o, RT_INCIDENT, on_incident, &c,
              &out->incidents);
    if (st == CA_OK)
        st = pass(&c, o->crimes, o->ncrimes, o, RT_CRIME, on_crime, &cc,
                  &out->crimes);
    if (st == CA_OK && o->nbail) {
        out->have_bail = true;
        st = pass(&c, o->bail, o->nbail, o, RT_BAIL, on_bail, &c, &out->bail);
    }
    if (st != CA_OK)
        goto out;
    for (i = 0; i < c.npend; i++) {
        char key[1100];

        if (!idmap_get(
                &c.crime_refs, key,
                ref_key(key, sizeof(key), c.pend[i].force, c.pend[i].ref),
                NULL))
            c.f[c.pend[i].force].unmatched_crime_refs++;
    }
    out->f = calloc(c.forces.n + 1, sizeof(*out->f));
    out->total.force = strdup("all");
    if (!out->f || !out->total.force) {
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    for (i = 0; i < c.forces.n; i++) {
        struct reconcile_force *f = &out->f[out->n];
        struct reconcile_force *t = &out->total;

        *f = c.f[i];
        f->force = strdup(c.forces.v[i]);
        if (!f->force) {
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            goto out;
        }
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
out:
    pat_release(&p);
    for (i = 0; i < c.npend; i++)
        free(c.pend[i].ref);
    free(c.pend);
    free(c.f);
    strtab_release(&c.forces);
    idmap_release(&c.incident_refs);
    idmap_release(&c.crime_refs);
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
