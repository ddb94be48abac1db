/* SPDX-License-Identifier: MIT */
/*
 * Manifest JSON writing and reading with jansson; see manifest.h.  The
 * writer keeps the key order of the contract; the reader checks every key
 * it uses and names the first one that is missing or of the wrong type.
 */
#include "samplers/manifest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "ingest/rowcount.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/strv.h"

/* --- release and copy ---------------------------------------------------- */

void sample_params_release(struct sample_params *p)
{
    size_t i;

    if (!p)
        return;
    free(p->type);
    free(p->profile);
    free(p->seed);
    strv_free(p->strata, p->nstrata);
    free(p->order_by);
    for (i = 0; i < p->nwhere; i++) {
        free(p->where[i].field);
        free(p->where[i].regex);
    }
    free(p->where);
    free(p->plan.expected_rate);
    free(p->plan.model);
    free(p->plan.prior);
    sample_frame_ref_free(p->programme);
    memset(p, 0, sizeof(*p));
}

void sample_frame_ref_free(struct sample_frame_ref *f)
{
    if (!f)
        return;
    free(f->programme);
    free(f->file);
    free(f->sha256);
    free(f->name);
    strv_free(f->tests, f->ntests);
    free(f->conditions);
    free(f);
}

void sample_result_release(struct sample_result *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->ninputs; i++)
        free(r->inputs[i].path);
    free(r->inputs);
    for (i = 0; i < r->nrejected; i++)
        free(r->rejected[i].reason);
    free(r->rejected);
    for (i = 0; i < r->nmerged; i++)
        free(r->merged_from[i].path);
    free(r->merged_from);
    selection_release(&r->sel);
    memset(r, 0, sizeof(*r));
}

void manifest_release(struct manifest *m)
{
    if (!m)
        return;
    free(m->tool_version);
    strv_free(m->argv, m->argc);
    free(m->created);
    sample_params_release(&m->p);
    sample_result_release(&m->r);
    memset(m, 0, sizeof(*m));
}

static int dup_or_null(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

struct sample_frame_ref *sample_frame_ref_copy(const struct sample_frame_ref *f)
{
    struct sample_frame_ref *d = calloc(1, sizeof(*d));
    size_t i;

    if (!d)
        return NULL;
    if (dup_or_null(&d->programme, f->programme) ||
        dup_or_null(&d->file, f->file) || dup_or_null(&d->sha256, f->sha256) ||
        dup_or_null(&d->name, f->name) ||
        dup_or_null(&d->conditions, f->conditions))
        goto oom;
    if (f->ntests) {
        d->tests = calloc(f->ntests, sizeof(*d->tests));
        if (!d->tests)
            goto oom;
        for (i = 0; i < f->ntests; i++, d->ntests++)
            if (dup_or_null(&d->tests[i], f->tests[i]))
                goto oom;
    }
    return d;
oom:
    sample_frame_ref_free(d);
    return NULL;
}

int sample_params_copy(struct sample_params *dst,
                       const struct sample_params *src)
{
    size_t i;

    memset(dst, 0, sizeof(*dst));
    dst->method = src->method;
    dst->per_force = src->per_force;
    dst->shard = src->shard;
    dst->alloc = src->alloc;
    dst->spares = src->spares;
    dst->plan = src->plan;
    dst->plan.expected_rate = NULL;
    dst->plan.model = NULL;
    dst->plan.prior = NULL;
    if (dup_or_null(&dst->type, src->type) ||
        dup_or_null(&dst->profile, src->profile) ||
        dup_or_null(&dst->seed, src->seed) ||
        dup_or_null(&dst->order_by, src->order_by) ||
        dup_or_null(&dst->plan.expected_rate, src->plan.expected_rate) ||
        dup_or_null(&dst->plan.model, src->plan.model) ||
        dup_or_null(&dst->plan.prior, src->plan.prior))
        goto oom;
    if (src->nstrata) {
        dst->strata = calloc(src->nstrata, sizeof(*dst->strata));
        if (!dst->strata)
            goto oom;
        for (i = 0; i < src->nstrata; i++, dst->nstrata++)
            if (dup_or_null(&dst->strata[i], src->strata[i]))
                goto oom;
    }
    if (src->programme &&
        !(dst->programme = sample_frame_ref_copy(src->programme)))
        goto oom;
    if (src->nwhere) {
        dst->where = calloc(src->nwhere, sizeof(*dst->where));
        if (!dst->where)
            goto oom;
        for (i = 0; i < src->nwhere; i++, dst->nwhere++)
            if (dup_or_null(&dst->where[i].field, src->where[i].field) ||
                dup_or_null(&dst->where[i].regex, src->where[i].regex))
                goto oom;
    }
    return 0;
oom:
    sample_params_release(dst);
    return -1;
}

/* --- writing ------------------------------------------------------------- */

static const char *plan_mode_name(enum plan_mode m)
{
    switch (m) {
    case PLAN_MODE_ATTRIBUTE:
        return "attribute";
    case PLAN_MODE_ESTIMATION:
        return "estimation";
    case PLAN_MODE_CENSUS:
        return "census";
    default:
        return "fixed";
    }
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *u64_json(uint64_t v)
{
    return json_integer((json_int_t)v);
}

/* Whether every real in the plan reads back unchanged from 15 significant
 * digits (then "0.95" is written as such, not 0.94999999999999996). */
static bool reals_short(const struct sample_plan *pl)
{
    const double v[4] = {pl->confidence, pl->tolerable, pl->margin, pl->p};
    char buf[40];
    int i;

    for (i = 0; i < 4; i++) {
        snprintf(buf, sizeof(buf), "%.15g", v[i]);
        if (strtod(buf, NULL) != v[i])
            return false;
    }
    return true;
}

static json_t *plan_json(const struct sample_plan *pl)
{
    json_t *o = json_object();
    bool attr = pl->mode == PLAN_MODE_ATTRIBUTE;
    bool est = pl->mode == PLAN_MODE_ESTIMATION;

    if (!o)
        return NULL;
    json_object_set_new(o, "mode", json_string(plan_mode_name(pl->mode)));
    json_object_set_new(o, "size",
                        pl->mode == PLAN_MODE_FIXED ? u64_json(pl->size)
                                                    : json_null());
    json_object_set_new(o, "confidence",
                        attr || est ? json_real(pl->confidence) : json_null());
    json_object_set_new(o, "tolerable",
                        attr ? json_real(pl->tolerable) : json_null());
    json_object_set_new(o, "expected_errors",
                        attr && pl->has_expected_errors
                            ? u64_json(pl->expected_errors)
                            : json_null());
    json_object_set_new(o, "expected_rate",
                        attr ? str_or_null(pl->expected_rate) : json_null());
    json_object_set_new(o, "model",
                        attr ? str_or_null(pl->model) : json_null());
    if (attr && pl->prior)
        json_object_set_new(o, "prior", json_string(pl->prior));
    json_object_set_new(o, "margin", est ? json_real(pl->margin) : json_null());
    json_object_set_new(o, "p", est ? json_real(pl->p) : json_null());
    return o;
}

static json_t *item_json(const struct sample_item *it, enum sample_method m)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    json_object_set_new(o, "rank", u64_json(it->rank));
    json_object_set_new(o, "id", json_string(it->id));
    if (m == SM_HASH)
        json_object_set_new(o, "key", json_string(it->key));
    else
        json_object_set_new(
            o, "key", json_integer((json_int_t)strtoull(it->key, NULL, 10)));
    json_object_set_new(o, "force", json_string(it->force));
    json_object_set_new(o, "stratum", json_string(it->stratum));
    return o;
}

static json_t *inputs_json(const struct sample_input *in, size_t n)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:I,s:s}", "path", in[i].path,
                                           "bytes", (json_int_t)in[i].bytes,
                                           "sha256", in[i].sha256));
    return a;
}

/* The i-th rejection reason of a result (rowcount_reason_at). */
static const char *reject_count_at(const void *list, size_t i, uint64_t *n)
{
    const struct reject_count *rej = list;

    *n = rej[i].n;
    return rej[i].reason;
}

enum ca_status manifest_write(const struct manifest *m, FILE *fp,
                              struct ca_error *err)
{
    const struct sample_params *p = &m->p;
    const struct sample_result *r = &m->r;
    json_t *root = json_object(), *a, *o, *sel, *spa;
    struct rowcount_named rc;
    char abuf[32];
    size_t i, flags;
    enum ca_status st = CA_OK;

    if (!root)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    json_object_set_new(root, "manifest_version",
                        json_integer(MANIFEST_VERSION));
    json_object_set_new(root, "tool_version", str_or_null(m->tool_version));
    a = json_array();
    for (i = 0; i < m->argc; i++)
        json_array_append_new(a, json_string(m->argv[i]));
    json_object_set_new(root, "command_line", a);
    json_object_set_new(root, "created", str_or_null(m->created));
    json_object_set_new(root, "method",
                        json_string(sample_method_name(p->method)));
    json_object_set_new(root, "seed", str_or_null(p->seed));
    json_object_set_new(root, "type", str_or_null(p->type));
    json_object_set_new(root, "profile", str_or_null(p->profile));
    json_object_set_new(root, "per_force", json_boolean(p->per_force));
    a = json_array();
    for (i = 0; i < p->nstrata; i++)
        json_array_append_new(a, json_string(p->strata[i]));
    json_object_set_new(root, "strata", a);
    json_object_set_new(
        root, "allocation",
        json_string(alloc_format(&p->alloc, abuf, sizeof(abuf))));
    json_object_set_new(root, "spares_per_stratum", u64_json(p->spares));
    json_object_set_new(root, "order_by", str_or_null(p->order_by));
    if (p->shard)
        json_object_set_new(root, "shard", json_true());
    o = json_object();
    json_object_set_new(o, "type", str_or_null(p->type));
    a = json_array();
    for (i = 0; i < p->nwhere; i++)
        json_array_append_new(a,
                              json_pack("{s:s,s:s}", "field", p->where[i].field,
                                        "regex", p->where[i].regex));
    json_object_set_new(o, "where", a);
    if (p->programme) {
        const struct sample_frame_ref *f = p->programme;
        json_t *pr = json_object(), *t = json_array();

        for (i = 0; i < f->ntests; i++)
            json_array_append_new(t, json_string(f->tests[i]));
        json_object_set_new(pr, "id", str_or_null(f->programme));
        json_object_set_new(pr, "file", str_or_null(f->file));
        json_object_set_new(pr, "sha256", str_or_null(f->sha256));
        json_object_set_new(pr, "frame", str_or_null(f->name));
        json_object_set_new(pr, "tests", t);
        json_object_set_new(pr, "conditions", str_or_null(f->conditions));
        json_object_set_new(o, "programme", pr);
    }
    json_object_set_new(root, "frame", o);
    json_object_set_new(root, "plan", plan_json(&p->plan));
    if (r->nmerged) {
        json_object_set_new(root, "merged_from",
                            inputs_json(r->merged_from, r->nmerged));
    }
    json_object_set_new(root, "inputs", inputs_json(r->inputs, r->ninputs));
    rc.rows_read = r->rows_read;
    rc.rows_accepted = r->rows_accepted;
    rc.rows_rejected = r->rows_rejected;
    rc.rows_excluded = NULL; /* after rejected_by_reason in a manifest */
    rc.reasons = r->rejected;
    rc.nreasons = r->nrejected;
    rc.at = reject_count_at;
    (void)ingest_rowcount_json_add_named(root, &rc);
    json_object_set_new(root, "rows_excluded", u64_json(r->rows_excluded));
    a = json_array();
    for (i = 0; i < r->sel.ngroups; i++) {
        const struct sample_group *g = &r->sel.groups[i];

        json_array_append_new(a,
                              json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "force",
                                        g->force, "stratum", g->stratum, "N",
                                        (json_int_t)g->N, "n", (json_int_t)g->n,
                                        "shortfall", (json_int_t)g->shortfall,
                                        "spares", (json_int_t)g->spares));
    }
    json_object_set_new(root, "population", a);
    sel = json_array();
    spa = json_array();
    for (i = 0; i < r->sel.nitems; i++) {
        const struct sample_item *it = &r->sel.items[i];

        json_array_append_new(it->spare ? spa : sel, item_json(it, p->method));
    }
    json_object_set_new(root, "selected", sel);
    json_object_set_new(root, "spares", spa);
    if (p->shard) {
        json_object_set_new(root, "candidates_per_stratum",
                            u64_json(r->candidates_per_stratum));
        a = json_array();
        for (i = 0; i < r->sel.ncands; i++)
            json_array_append_new(a, item_json(&r->sel.cands[i], p->method));
        json_object_set_new(root, "candidates", a);
    }

    flags = JSON_INDENT(2) | JSON_ENSURE_ASCII;
    flags |= JSON_REAL_PRECISION(reals_short(&p->plan) ? 15 : 17);
    if (json_dumpf(root, fp, flags) != 0 || fputc('\n', fp) == EOF)
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                          "unable to write the manifest: %s",
                          errno ? strerror(errno) : "out of memory");
    json_decref(root);
    return st;
}

/* --- reading ------------------------------------------------------------- */

struct rd {
    const char *path;
    struct ca_error *err;
    enum ca_status st;
};

static int rd_fail(struct rd *rd, const char *key, const char *what)
{
    if (rd->st == CA_OK)
        rd->st =
            ca_error_set(rd->err, CA_DATA, rd->path, 0, NULL,
                         "not a valid sample manifest: key '%s' %s", key, what);
    return -1;
}

static int rd_oom(struct rd *rd)
{
    if (rd->st == CA_OK)
        rd->st = ca_error_set(rd->err, CA_SYSTEM, rd->path, 0, NULL,
                              "out of memory");
    return -1;
}

/* A string member; NULL allowed when nullable. */
static int rd_str(struct rd *rd, json_t *o, const char *key, const char *ctx,
                  bool nullable, char **out)
{
    json_t *v = json_object_get(o, key);
    char name[160];

    snprintf(name, sizeof(name), "%s%s", ctx, key);
    *out = NULL;
    if (!v)
        return rd_fail(rd, name, "is missing");
    if (json_is_null(v) && nullable)
        return 0;
    if (!json_is_string(v))
        return rd_fail(rd, name,
                       nullable ? "must be a string or null"
                                : "must be a string");
    *out = strdup(json_string_value(v));
    return *out ? 0 : rd_oom(rd);
}

static int rd_u64(struct rd *rd, json_t *o, const char *key, const char *ctx,
                  uint64_t *out)
{
    json_t *v = json_object_get(o, key);
    char name[160];

    snprintf(name, sizeof(name), "%s%s", ctx, key);
    if (!v)
        return rd_fail(rd, name, "is missing");
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return rd_fail(rd, name, "must be a whole number");
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static int rd_real(struct rd *rd, json_t *o, const char *key, double *out)
{
    json_t *v = json_object_get(o, key);
    char name[64];

    snprintf(name, sizeof(name), "plan.%s", key);
    *out = 0;
    if (!v)
        return rd_fail(rd, name, "is missing");
    if (json_is_null(v))
        return 0;
    if (!json_is_number(v))
        return rd_fail(rd, name, "must be a number or null");
    *out = json_number_value(v);
    return 0;
}

static int rd_item(struct rd *rd, json_t *v, const char *list, size_t i,
                   bool spare, struct sample_item *it)
{
    char ctx[64];
    json_t *k;

    snprintf(ctx, sizeof(ctx), "%s[%zu].", list, i);
    memset(it, 0, sizeof(*it));
    it->spare = spare;
    if (!json_is_object(v)) {
        snprintf(ctx, sizeof(ctx), "%s[%zu]", list, i);
        return rd_fail(rd, ctx, "must be an object");
    }
    if (rd_u64(rd, v, "rank", ctx, &it->rank) ||
        rd_str(rd, v, "id", ctx, false, &it->id) ||
        rd_str(rd, v, "force", ctx, false, &it->force) ||
        rd_str(rd, v, "stratum", ctx, false, &it->stratum))
        return -1;
    k = json_object_get(v, "key");
    if (json_is_string(k) && strlen(json_string_value(k)) < sizeof(it->key)) {
        snprintf(it->key, sizeof(it->key), "%s", json_string_value(k));
    } else if (json_is_integer(k) && json_integer_value(k) >= 0) {
        snprintf(it->key, sizeof(it->key), "%lld",
                 (long long)json_integer_value(k));
    } else {
        snprintf(ctx, sizeof(ctx), "%s[%zu].key", list, i);
        return rd_fail(rd, ctx, "must be a hex string or a whole number");
    }
    return 0;
}

static json_t *rd_array(struct rd *rd, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    if (!v) {
        rd_fail(rd, key, "is missing");
        return NULL;
    }
    if (!json_is_array(v)) {
        rd_fail(rd, key, "must be an array");
        return NULL;
    }
    return v;
}

/* The candidates of a shard manifest. */
static int rd_cands(struct rd *rd, json_t *root, struct selection *sel)
{
    json_t *a = rd_array(rd, root, "candidates");
    size_t i;

    if (!a)
        return -1;
    sel->cands = calloc(json_array_size(a) + 1, sizeof(*sel->cands));
    if (!sel->cands)
        return rd_oom(rd);
    for (i = 0; i < json_array_size(a); i++) {
        if (rd_item(rd, json_array_get(a, i), "candidates", i, false,
                    &sel->cands[sel->ncands]) != 0) {
            struct sample_item *it = &sel->cands[sel->ncands];

            free(it->id);
            free(it->force);
            free(it->stratum);
            return -1;
        }
        sel->ncands++;
    }
    return 0;
}

static int rd_items(struct rd *rd, json_t *root, struct selection *sel)
{
    json_t *sa = rd_array(rd, root, "selected"),
           *pa = rd_array(rd, root, "spares");
    size_t n, i, j;

    if (!sa || !pa)
        return -1;
    n = json_array_size(sa) + json_array_size(pa);
    sel->items = calloc(n ? n : 1, sizeof(*sel->items));
    if (!sel->items)
        return rd_oom(rd);
    for (j = 0; j < 2; j++) {
        json_t *arr = j ? pa : sa;

        for (i = 0; i < json_array_size(arr); i++) {
            if (rd_item(rd, json_array_get(arr, i), j ? "spares" : "selected",
                        i, j == 1, &sel->items[sel->nitems]) != 0) {
                struct sample_item *it = &sel->items[sel->nitems];

                free(it->id);
                free(it->force);
                free(it->stratum);
                return -1;
            }
            sel->nitems++;
        }
    }
    return 0;
}

static int rd_population(struct rd *rd, json_t *root, struct selection *sel)
{
    json_t *a = rd_array(rd, root, "population");
    size_t i;

    if (!a)
        return -1;
    sel->groups = calloc(json_array_size(a) + 1, sizeof(*sel->groups));
    if (!sel->groups)
        return rd_oom(rd);
    for (i = 0; i < json_array_size(a); i++) {
        json_t *v = json_array_get(a, i);
        struct sample_group *g = &sel->groups[i];
        char ctx[64];

        snprintf(ctx, sizeof(ctx), "population[%zu].", i);
        sel->ngroups++;
        if (!json_is_object(v))
            return rd_fail(rd, "population", "must hold objects");
        if (rd_str(rd, v, "force", ctx, false, &g->force) ||
            rd_str(rd, v, "stratum", ctx, false, &g->stratum) ||
            rd_u64(rd, v, "N", ctx, &g->N) || rd_u64(rd, v, "n", ctx, &g->n) ||
            rd_u64(rd, v, "shortfall", ctx, &g->shortfall))
            return -1;
        /* "spares" is informative; absent in hand-made manifests is fine */
        if (json_is_integer(json_object_get(v, "spares")))
            g->spares =
                (uint64_t)json_integer_value(json_object_get(v, "spares"));
        g->taken = g->n - (g->shortfall <= g->n ? g->shortfall : g->n);
    }
    return 0;
}

static int rd_plan(struct rd *rd, json_t *root, struct sample_plan *pl)
{
    json_t *o = json_object_get(root, "plan"), *v;
    char *mode = NULL;
    int rc = -1;

    if (!o || !json_is_object(o))
        return rd_fail(rd, "plan", o ? "must be an object" : "is missing");
    if (rd_str(rd, o, "mode", "plan.", false, &mode))
        return -1;
    if (strcmp(mode, "fixed") == 0)
        pl->mode = PLAN_MODE_FIXED;
    else if (strcmp(mode, "attribute") == 0)
        pl->mode = PLAN_MODE_ATTRIBUTE;
    else if (strcmp(mode, "estimation") == 0)
        pl->mode = PLAN_MODE_ESTIMATION;
    else if (strcmp(mode, "census") == 0)
        pl->mode = PLAN_MODE_CENSUS;
    else {
        rd_fail(rd, "plan.mode",
                "must be fixed, attribute, estimation or census");
        goto out;
    }
    if (pl->mode == PLAN_MODE_FIXED &&
        rd_u64(rd, o, "size", "plan.", &pl->size))
        goto out;
    if (rd_real(rd, o, "confidence", &pl->confidence) ||
        rd_real(rd, o, "tolerable", &pl->tolerable) ||
        rd_real(rd, o, "margin", &pl->margin))
        goto out;
    v = json_object_get(o, "p");
    if (json_is_number(v))
        pl->p = json_number_value(v);
    v = json_object_get(o, "expected_errors");
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        pl->has_expected_errors = true;
        pl->expected_errors = (uint64_t)json_integer_value(v);
    } else if (v && !json_is_null(v)) {
        rd_fail(rd, "plan.expected_errors", "must be a whole number or null");
        goto out;
    }
    if (rd_str(rd, o, "expected_rate", "plan.", true, &pl->expected_rate) ||
        rd_str(rd, o, "model", "plan.", true, &pl->model))
        goto out;
    if (json_object_get(o, "prior") &&
        rd_str(rd, o, "prior", "plan.", true, &pl->prior))
        goto out;
    rc = 0;
out:
    free(mode);
    return rc;
}

static int rd_frame_ref(struct rd *rd, json_t *o, struct sample_params *p)
{
    struct sample_frame_ref *f;
    json_t *a, *v;
    size_t i;

    if (!json_is_object(o))
        return rd_fail(rd, "frame.programme", "must be an object");
    if (!(f = p->programme = calloc(1, sizeof(*f))))
        return rd_oom(rd);
    if (rd_str(rd, o, "id", "frame.programme.", false, &f->programme) ||
        rd_str(rd, o, "file", "frame.programme.", false, &f->file) ||
        rd_str(rd, o, "sha256", "frame.programme.", false, &f->sha256) ||
        rd_str(rd, o, "frame", "frame.programme.", false, &f->name) ||
        rd_str(rd, o, "conditions", "frame.programme.", false, &f->conditions))
        return -1;
    if (!(a = rd_array(rd, o, "tests")))
        return -1;
    f->tests = calloc(json_array_size(a) + 1, sizeof(*f->tests));
    if (!f->tests)
        return rd_oom(rd);
    for (i = 0; i < json_array_size(a); i++) {
        v = json_array_get(a, i);
        if (!json_is_string(v))
            return rd_fail(rd, "frame.programme.tests", "must hold strings");
        if (!(f->tests[i] = strdup(json_string_value(v))))
            return rd_oom(rd);
        f->ntests++;
    }
    return 0;
}

static int rd_params(struct rd *rd, json_t *root, struct sample_params *p)
{
    json_t *v, *frame, *a;
    char *s = NULL;
    size_t i;

    if (rd_str(rd, root, "method", "", false, &s))
        return -1;
    if (sample_method_parse(s, &p->method) != 0) {
        free(s);
        return rd_fail(rd, "method", "must be hash, r or systematic");
    }
    free(s);
    if (rd_str(rd, root, "seed", "", false, &p->seed) ||
        rd_str(rd, root, "type", "", false, &p->type) ||
        rd_str(rd, root, "profile", "", true, &p->profile))
        return -1;
    v = json_object_get(root, "per_force");
    if (!json_is_boolean(v))
        return rd_fail(rd, "per_force",
                       v ? "must be true or false" : "is missing");
    p->per_force = json_is_true(v);
    v = json_object_get(root, "shard"); /* absent: not a shard */
    if (v && !json_is_boolean(v))
        return rd_fail(rd, "shard", "must be true or false");
    p->shard = json_is_true(v);
    if (!(a = rd_array(rd, root, "strata")))
        return -1;
    p->strata = calloc(json_array_size(a) + 1, sizeof(*p->strata));
    if (!p->strata)
        return rd_oom(rd);
    for (i = 0; i < json_array_size(a); i++) {
        v = json_array_get(a, i);
        if (!json_is_string(v))
            return rd_fail(rd, "strata", "must hold strings");
        if (!(p->strata[i] = strdup(json_string_value(v))))
            return rd_oom(rd);
        p->nstrata++;
    }
    if (rd_str(rd, root, "allocation", "", false, &s))
        return -1;
    if (alloc_parse(s, &p->alloc) != 0) {
        free(s);
        return rd_fail(rd, "allocation",
                       "must be proportional, equal or min:K");
    }
    free(s);
    if (rd_u64(rd, root, "spares_per_stratum", "", &p->spares))
        return -1;
    v = json_object_get(root, "order_by");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v))
            return rd_fail(rd, "order_by", "must be a string or null");
        if (!(p->order_by = strdup(json_string_value(v))))
            return rd_oom(rd);
    }
    frame = json_object_get(root, "frame");
    if (!json_is_object(frame))
        return rd_fail(rd, "frame", frame ? "must be an object" : "is missing");
    if (!(a = rd_array(rd, frame, "where")))
        return -1;
    p->where = calloc(json_array_size(a) + 1, sizeof(*p->where));
    if (!p->where)
        return rd_oom(rd);
    for (i = 0; i < json_array_size(a); i++) {
        char ctx[48];

        snprintf(ctx, sizeof(ctx), "frame.where[%zu].", i);
        v = json_array_get(a, i);
        p->nwhere++;
        if (!json_is_object(v))
            return rd_fail(rd, "frame.where", "must hold objects");
        if (rd_str(rd, v, "field", ctx, false, &p->where[i].field) ||
            rd_str(rd, v, "regex", ctx, false, &p->where[i].regex))
            return -1;
    }
    v = json_object_get(frame, "programme"); /* absent: no programme */
    if (v && rd_frame_ref(rd, v, p) != 0)
        return -1;
    return rd_plan(rd, root, &p->plan);
}

/* An array of {path, bytes, sha256} ("inputs", "merged_from"). */
static int rd_inputs(struct rd *rd, json_t *a, const char *key,
                     struct sample_input **out, size_t *n)
{
    size_t i;

    *out = calloc(json_array_size(a) + 1, sizeof(**out));
    if (!*out)
        return rd_oom(rd);
    for (i = 0; i < json_array_size(a); i++) {
        struct sample_input *in = &(*out)[i];
        json_t *v = json_array_get(a, i);
        char ctx[48], *hex = NULL;

        snprintf(ctx, sizeof(ctx), "%s[%zu].", key, i);
        (*n)++;
        if (!json_is_object(v))
            return rd_fail(rd, key, "must hold objects");
        if (rd_str(rd, v, "path", ctx, false, &in->path) ||
            rd_u64(rd, v, "bytes", ctx, &in->bytes) ||
            rd_str(rd, v, "sha256", ctx, false, &hex))
            return -1;
        snprintf(in->sha256, sizeof(in->sha256), "%s", hex);
        free(hex);
    }
    return 0;
}

static int rd_result(struct rd *rd, json_t *root, bool shard,
                     struct sample_result *r)
{
    json_t *a, *o, *v;
    const char *key;

    if (!(a = rd_array(rd, root, "inputs")) ||
        rd_inputs(rd, a, "inputs", &r->inputs, &r->ninputs))
        return -1;
    if (json_object_get(root, "merged_from") &&
        (!(a = rd_array(rd, root, "merged_from")) ||
         rd_inputs(rd, a, "merged_from", &r->merged_from, &r->nmerged)))
        return -1;
    if (rd_u64(rd, root, "rows_read", "", &r->rows_read) ||
        rd_u64(rd, root, "rows_rejected", "", &r->rows_rejected))
        return -1;
    /* optional in the contract's minimum */
    if (json_is_integer(json_object_get(root, "rows_accepted")))
        r->rows_accepted = (uint64_t)json_integer_value(
            json_object_get(root, "rows_accepted"));
    else
        r->rows_accepted = r->rows_read - r->rows_rejected;
    if (json_is_integer(json_object_get(root, "rows_excluded")))
        r->rows_excluded = (uint64_t)json_integer_value(
            json_object_get(root, "rows_excluded"));
    o = json_object_get(root, "rejected_by_reason");
    if (o && !json_is_object(o))
        return rd_fail(rd, "rejected_by_reason", "must be an object");
    if (o) {
        r->rejected = calloc(json_object_size(o) + 1, sizeof(*r->rejected));
        if (!r->rejected)
            return rd_oom(rd);
        json_object_foreach(o, key, v)
        {
            if (!json_is_integer(v) || json_integer_value(v) < 0)
                return rd_fail(rd, "rejected_by_reason",
                               "must map reasons to counts");
            if (!(r->rejected[r->nrejected].reason = strdup(key)))
                return rd_oom(rd);
            r->rejected[r->nrejected++].n = (uint64_t)json_integer_value(v);
        }
    }
    if (rd_population(rd, root, &r->sel) || rd_items(rd, root, &r->sel))
        return -1;
    if (shard && (rd_u64(rd, root, "candidates_per_stratum", "",
                         &r->candidates_per_stratum) ||
                  rd_cands(rd, root, &r->sel)))
        return -1;
    return 0;
}

/* Read a parsed JSON document (a reference taken over) into m. */
static enum ca_status read_root(json_t *root, const char *path,
                                struct manifest *m, struct ca_error *err)
{
    struct rd rd = {path, err, CA_OK};
    json_t *v;
    size_t i;

    if (!json_is_object(root)) {
        rd_fail(&rd, "(top level)", "must be an object");
        goto out;
    }
    v = json_object_get(root, "manifest_version");
    if (!json_is_integer(v) || json_integer_value(v) != MANIFEST_VERSION) {
        rd_fail(&rd, "manifest_version", "must be 1");
        goto out;
    }
    m->version = MANIFEST_VERSION;
    if (rd_str(&rd, root, "tool_version", "", true, &m->tool_version) ||
        rd_str(&rd, root, "created", "", true, &m->created))
        goto out;
    v = json_object_get(root, "command_line");
    if (json_is_array(v)) {
        m->argv = calloc(json_array_size(v) + 1, sizeof(*m->argv));
        if (!m->argv) {
            rd_oom(&rd);
            goto out;
        }
        for (i = 0; i < json_array_size(v); i++) {
            const char *s = json_string_value(json_array_get(v, i));

            if (!(m->argv[i] = strdup(s ? s : ""))) {
                rd_oom(&rd);
                goto out;
            }
            m->argc++;
        }
    }
    if (rd_params(&rd, root, &m->p) || rd_result(&rd, root, m->p.shard, &m->r))
        goto out;
out:
    json_decref(root);
    if (rd.st != CA_OK)
        manifest_release(m);
    return rd.st;
}

static enum ca_status json_error(const char *path, const json_error_t *je,
                                 struct ca_error *err)
{
    ca_error_set(err, CA_DATA, path, je->line > 0 ? (unsigned long)je->line : 0,
                 NULL, "not a valid JSON manifest: %s", je->text);
    ca_error_set_col(err, je->column > 0 ? (unsigned long)je->column : 0);
    return CA_DATA;
}

enum ca_status manifest_read(const char *path, struct manifest *m,
                             struct ca_error *err)
{
    unsigned char d[32];
    char *text = NULL;
    size_t len = 0, alloc = 0, n;
    FILE *fp;
    enum ca_status st;

    memset(m, 0, sizeof(*m));
    if (path_want_file(path, err) != CA_OK)
        return CA_DATA;
    fp = fopen(path, "rb");
    if (!fp)
        return ca_error_set(err, CA_DATA, path, 0, NULL, "unable to open: %s",
                            strerror(errno));
    /* read once, into memory: the digest is of the very bytes parsed */
    for (;;) {
        if (len + 65536 > alloc) {
            size_t na = alloc ? alloc * 2 : 65536 * 2;
            char *nt;

            if (na > MANIFEST_MAX_BYTES + 65536) {
                fclose(fp);
                free(text);
                return ca_error_set(err, CA_DATA, path, 0, NULL,
                                    "larger than %llu bytes: not a manifest",
                                    (unsigned long long)MANIFEST_MAX_BYTES);
            }
            nt = realloc(text, na);
            if (!nt) {
                fclose(fp);
                free(text);
                return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                                    "out of memory");
            }
            text = nt;
            alloc = na;
        }
        n = fread(text + len, 1, alloc - len, fp);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(fp)) {
        int e = errno;

        fclose(fp);
        free(text);
        return ca_error_set(err, CA_DATA, path, 0, NULL, "unable to read: %s",
                            strerror(e));
    }
    fclose(fp);
    sha256_buf(text, len, d);
    st = manifest_parse(path, text, len, m, err);
    free(text);
    if (st == CA_OK) {
        m->read_bytes = len;
        memcpy(m->read_sha256, d, sizeof(d));
    }
    return st;
}

enum ca_status manifest_parse(const char *name, const char *text, size_t len,
                              struct manifest *m, struct ca_error *err)
{
    json_error_t je;
    json_t *root;

    memset(m, 0, sizeof(*m));
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return json_error(name, &je, err);
    return read_root(root, name, m, err);
}

char *manifest_resolve_input(const char *manifest_path, const char *input)
{
    const char *slash = strrchr(manifest_path, '/');
    size_t dirlen = slash ? (size_t)(slash - manifest_path) + 1 : 0, n;
    struct stat sb;
    char *p;

    if (input[0] == '/' || strcmp(input, "-") == 0 || dirlen == 0 ||
        stat(input, &sb) == 0)
        return strdup(input);
    n = dirlen + strlen(input) + 1;
    p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%.*s%s", (int)dirlen, manifest_path, input);
    if (stat(p, &sb) == 0)
        return p;
    free(p); /* neither: the path as given */
    return strdup(input);
}

void manifest_timestamp(char out[21])
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    struct tm tm;

    if (sde && *sde) {
        char *end;
        long long v;

        errno = 0;
        v = strtoll(sde, &end, 10);
        if (!errno && *end == '\0' && v >= 0)
            t = (time_t)v;
    }
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
