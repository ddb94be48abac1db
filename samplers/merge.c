/* SPDX-License-Identifier: MIT */
/*
 * Merging shard samples; see merge.h for what is merged and why it equals
 * the single run.  The work is sorting: every shard's (force, stratum)
 * population rows by (force, stratum, shard), and every kept key by
 * (force, stratum, key); one walk over both then sums N, counts what each
 * shard kept, and takes each merged group's smallest keys.
 */
#include "samplers/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "util/sha256.h"

/* --- parameters ---------------------------------------------------------- */

struct pdiff {
    const char *key;
    char a[400], b[400]; /* the first shard's value, this shard's */
};

static void quoted(char *buf, size_t size, const char *s)
{
    if (s)
        snprintf(buf, size, "\"%s\"", s);
    else
        snprintf(buf, size, "null");
}

static bool sdiff(const char *key, const char *x, const char *y,
                  struct pdiff *d)
{
    if ((!x && !y) || (x && y && strcmp(x, y) == 0))
        return false;
    d->key = key;
    quoted(d->a, sizeof(d->a), x);
    quoted(d->b, sizeof(d->b), y);
    return true;
}

static bool udiff(const char *key, uint64_t x, uint64_t y, struct pdiff *d)
{
    if (x == y)
        return false;
    d->key = key;
    snprintf(d->a, sizeof(d->a), "%llu", (unsigned long long)x);
    snprintf(d->b, sizeof(d->b), "%llu", (unsigned long long)y);
    return true;
}

static bool bdiff(const char *key, bool x, bool y, struct pdiff *d)
{
    if (x == y)
        return false;
    d->key = key;
    snprintf(d->a, sizeof(d->a), "%s", x ? "true" : "false");
    snprintf(d->b, sizeof(d->b), "%s", y ? "true" : "false");
    return true;
}

static bool rdiff(const char *key, double x, double y, struct pdiff *d)
{
    if (x == y)
        return false;
    d->key = key;
    snprintf(d->a, sizeof(d->a), "%.15g", x);
    snprintf(d->b, sizeof(d->b), "%.15g", y);
    if (strcmp(d->a, d->b) == 0) {
        snprintf(d->a, sizeof(d->a), "%.17g", x);
        snprintf(d->b, sizeof(d->b), "%.17g", y);
    }
    return true;
}

/* strata as ["a", "b"] and where clauses as [field=regex, ...] */
static void strata_text(const struct sample_params *p, char *buf, size_t size)
{
    size_t i, len;

    snprintf(buf, size, "[");
    for (i = 0; i < p->nstrata; i++) {
        len = strlen(buf);
        snprintf(buf + len, size - len, "%s\"%s\"", i ? ", " : "",
                 p->strata[i]);
    }
    len = strlen(buf);
    snprintf(buf + len, size - len, "]");
}

static void where_text(const struct sample_params *p, char *buf, size_t size)
{
    size_t i, len;

    snprintf(buf, size, "[");
    for (i = 0; i < p->nwhere; i++) {
        len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s=%s", i ? ", " : "",
                 p->where[i].field, p->where[i].regex);
    }
    len = strlen(buf);
    snprintf(buf + len, size - len, "]");
}

static const char *mode_name(enum plan_mode m)
{
    return m == PLAN_MODE_ATTRIBUTE    ? "attribute"
           : m == PLAN_MODE_ESTIMATION ? "estimation"
                                       : "fixed";
}

/* The first manifest key whose value differs, in manifest order. */
static bool params_differ(const struct sample_params *a,
                          const struct sample_params *b, struct pdiff *d)
{
    const struct sample_plan *x = &a->plan, *y = &b->plan;
    char s1[400], s2[400];

    if (sdiff("type", a->type, b->type, d) ||
        sdiff("seed", a->seed, b->seed, d) ||
        sdiff("profile", a->profile, b->profile, d) ||
        bdiff("per_force", a->per_force, b->per_force, d))
        return true;
    strata_text(a, s1, sizeof(s1));
    strata_text(b, s2, sizeof(s2));
    if (a->nstrata != b->nstrata || strcmp(s1, s2) != 0) {
        d->key = "strata";
        snprintf(d->a, sizeof(d->a), "%s", s1);
        snprintf(d->b, sizeof(d->b), "%s", s2);
        return true;
    }
    if (sdiff("allocation", alloc_format(&a->alloc, s1, sizeof(s1)),
              alloc_format(&b->alloc, s2, sizeof(s2)), d) ||
        udiff("spares_per_stratum", a->spares, b->spares, d) ||
        sdiff("order_by", a->order_by, b->order_by, d))
        return true;
    where_text(a, s1, sizeof(s1));
    where_text(b, s2, sizeof(s2));
    if (a->nwhere != b->nwhere || strcmp(s1, s2) != 0) {
        d->key = "frame.where";
        snprintf(d->a, sizeof(d->a), "%s", s1);
        snprintf(d->b, sizeof(d->b), "%s", s2);
        return true;
    }
    if (sdiff("plan.mode", mode_name(x->mode), mode_name(y->mode), d) ||
        udiff("plan.size", x->size, y->size, d) ||
        rdiff("plan.confidence", x->confidence, y->confidence, d) ||
        rdiff("plan.tolerable", x->tolerable, y->tolerable, d))
        return true;
    if (x->has_expected_errors != y->has_expected_errors ||
        x->expected_errors != y->expected_errors) {
        d->key = "plan.expected_errors";
        snprintf(d->a, sizeof(d->a), x->has_expected_errors ? "%llu" : "null",
                 (unsigned long long)x->expected_errors);
        snprintf(d->b, sizeof(d->b), y->has_expected_errors ? "%llu" : "null",
                 (unsigned long long)y->expected_errors);
        return true;
    }
    return sdiff("plan.expected_rate", x->expected_rate, y->expected_rate, d) ||
           sdiff("plan.model", x->model, y->model, d) ||
           sdiff("plan.prior", x->prior, y->prior, d) ||
           rdiff("plan.margin", x->margin, y->margin, d) ||
           rdiff("plan.p", x->p, y->p, d) ||
           bdiff("shard", a->shard, b->shard, d);
}

static enum ca_status check_params(const struct merge_config *c,
                                   struct ca_error *err)
{
    const struct sample_params *p0 = &c->shards[0].p;
    struct pdiff d;
    size_t i;

    for (i = 0; i < c->nshards; i++) {
        const struct manifest *m = &c->shards[i];

        if (m->p.method != SM_HASH)
            return ca_error_set(
                err, CA_DATA, c->names[i], 0, NULL,
                "method '%s': only hash samples can be merged. "
                "A hash sample is the smallest keys of each stratum, and "
                "the smallest keys of the whole are among the smallest "
                "keys of its shards; an r sample depends on every "
                "record's position in the whole frame on one random "
                "stream, and a systematic one on the whole frame's "
                "order and interval N/n. Draw the shards with --method "
                "hash, or sample the whole export in one run",
                sample_method_name(m->p.method));
        if (i > 0 && params_differ(p0, &m->p, &d))
            return ca_error_set(
                err, CA_DATA, c->names[i], 0, NULL,
                "key '%s' is %s here but %s in '%s': shards merge only "
                "when drawn with the same parameters (type, seed, "
                "profile, --per-force, --strata, --allocation, --spares, "
                "--where, size or plan, and --shard)",
                d.key, d.b, d.a, c->names[0]);
        if (i > 0 && p0->shard &&
            m->r.candidates_per_stratum !=
                c->shards[0].r.candidates_per_stratum)
            return ca_error_set(
                err, CA_DATA, c->names[i], 0, NULL,
                "key 'candidates_per_stratum' is %llu here but %llu in "
                "'%s': the shards were drawn by different versions or "
                "the manifest was edited",
                (unsigned long long)m->r.candidates_per_stratum,
                (unsigned long long)c->shards[0].r.candidates_per_stratum,
                c->names[0]);
    }
    if (!p0->shard && (p0->nstrata > 0 || p0->plan.mode != PLAN_MODE_FIXED))
        return ca_error_set(
            err, CA_DATA, c->names[0], 0, NULL,
            "drawn without --shard: with %s the size of each stratum "
            "depends on the N of every shard, and a plain manifest keeps "
            "only its own selected records and spares, which can be too "
            "few for the whole. Draw every shard with `caseaudit sample "
            "--shard`, which keeps enough candidates to merge",
            p0->nstrata > 0 ? "--strata" : "a plan");
    return CA_OK;
}

/* --- kept keys and population rows --------------------------------------- */

struct sgrp { /* one shard's population row */
    const char *force, *stratum;
    size_t shard;
    uint64_t N;
    uint64_t kept;      /* keys the shard listed for it */
    const char *maxkey; /* the largest of them */
};

struct mitem {
    const struct sample_item *it;
    size_t shard;
};

static int sgrp_cmp(const void *pa, const void *pb)
{
    const struct sgrp *a = pa, *b = pb;
    int c = strcmp(a->force, b->force);

    if (!c)
        c = strcmp(a->stratum, b->stratum);
    return c ? c : (a->shard > b->shard) - (a->shard < b->shard);
}

static int mitem_cmp(const void *pa, const void *pb)
{
    const struct mitem *a = pa, *b = pb;
    int c = strcmp(a->it->force, b->it->force);

    if (!c)
        c = strcmp(a->it->stratum, b->it->stratum);
    return c ? c : strcmp(a->it->key, b->it->key);
}

static int mitem_id_cmp(const void *pa, const void *pb)
{
    const struct mitem *const *a = pa, *const *b = pb;
    int c = strcmp((*a)->it->id, (*b)->it->id);

    return c ? c : ((*a)->shard > (*b)->shard) - ((*a)->shard < (*b)->shard);
}

/* The keys a shard kept: its candidates, or its selected and spares. */
static void kept_keys(const struct manifest *m, const struct sample_item **v,
                      size_t *n)
{
    *v = m->p.shard ? m->r.sel.cands : m->r.sel.items;
    *n = m->p.shard ? m->r.sel.ncands : m->r.sel.nitems;
}

static bool same_group(const struct sgrp *a, const char *force,
                       const char *stratum)
{
    return strcmp(a->force, force) == 0 && strcmp(a->stratum, stratum) == 0;
}

/* --- output -------------------------------------------------------------- */

struct ibuf {
    struct sample_item *v;
    size_t n, a;
};

static int ibuf_push(struct ibuf *b, const struct sample_item *src,
                     uint64_t rank, bool spare)
{
    struct sample_item *it;

    if (b->n == b->a) {
        size_t na = b->a ? 2 * b->a : 64;
        struct sample_item *nv = realloc(b->v, na * sizeof(*nv));

        if (!nv)
            return -1;
        b->v = nv;
        b->a = na;
    }
    it = &b->v[b->n];
    memset(it, 0, sizeof(*it));
    it->force = strdup(src->force);
    it->stratum = strdup(src->stratum);
    it->id = strdup(src->id);
    if (!it->force || !it->stratum || !it->id) {
        free(it->force);
        free(it->stratum);
        free(it->id);
        return -1;
    }
    memcpy(it->key, src->key, sizeof(it->key));
    it->rank = rank;
    it->spare = spare;
    b->n++;
    return 0;
}

static enum ca_status oom(struct ca_error *err)
{
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

/* Inputs (paths resolved as verify resolves them), merged_from. */
static enum ca_status merge_inputs(const struct merge_config *c,
                                   struct sample_result *r,
                                   struct ca_error *err)
{
    size_t total = 0, i, j, k;

    for (i = 0; i < c->nshards; i++)
        total += c->shards[i].r.ninputs;
    r->inputs = calloc(total + 1, sizeof(*r->inputs));
    r->merged_from = calloc(c->nshards + 1, sizeof(*r->merged_from));
    if (!r->inputs || !r->merged_from)
        return oom(err);
    for (i = 0; i < c->nshards; i++) {
        const struct sample_result *s = &c->shards[i].r;
        struct sample_input *mf = &r->merged_from[r->nmerged];
        if (!(mf->path = strdup(c->names[i])))
            return oom(err);
        r->nmerged++;
        /* the digest of the bytes read, not of the path read again */
        sha256_hex(c->shards[i].read_sha256, mf->sha256);
        mf->bytes = c->shards[i].read_bytes;
        for (j = 0; j < i; j++)
            if (strcmp(r->merged_from[j].sha256, mf->sha256) == 0)
                return ca_error_set(err, CA_DATA, c->names[i], 0, NULL,
                                    "the same manifest as '%s': each shard "
                                    "must be given once",
                                    c->names[j]);
        for (j = 0; j < s->ninputs; j++) {
            struct sample_input *in = &r->inputs[r->ninputs];

            in->path = manifest_resolve_input(c->names[i], s->inputs[j].path);
            if (!in->path)
                return oom(err);
            r->ninputs++;
            in->bytes = s->inputs[j].bytes;
            memcpy(in->sha256, s->inputs[j].sha256, sizeof(in->sha256));
            for (k = 0; strcmp(in->path, "-") != 0 && k + 1 < r->ninputs; k++)
                if (strcmp(r->inputs[k].path, in->path) == 0)
                    return ca_error_set(
                        err, CA_DATA, c->names[i], 0, NULL,
                        "input '%s' is also an input of an earlier shard: "
                        "its records would count twice (the single run "
                        "would reject them as duplicate ids)",
                        in->path);
        }
    }
    return CA_OK;
}

static enum ca_status add_reject(struct sample_result *r, const char *reason,
                                 uint64_t n, size_t cap, struct ca_error *err)
{
    size_t i;

    for (i = 0; i < r->nrejected; i++) {
        if (strcmp(r->rejected[i].reason, reason) == 0) {
            r->rejected[i].n += n;
            return CA_OK;
        }
    }
    if (r->nrejected == cap)
        return oom(err); /* cannot happen: cap counts every reason */
    if (!(r->rejected[r->nrejected].reason = strdup(reason)))
        return oom(err);
    r->rejected[r->nrejected++].n = n;
    return CA_OK;
}

/* Row accounting summed; reasons in ingest's order, as a single run lists
 * them, then any others in the order first met. */
static enum ca_status merge_rows(const struct merge_config *c,
                                 struct sample_result *r, struct ca_error *err)
{
    size_t cap = RJ__COUNT, i, j, k;
    enum ca_status st = CA_OK;

    for (i = 0; i < c->nshards; i++)
        cap += c->shards[i].r.nrejected;
    r->rejected = calloc(cap + 1, sizeof(*r->rejected));
    if (!r->rejected)
        return oom(err);
    for (i = 0; i < c->nshards; i++) {
        const struct sample_result *s = &c->shards[i].r;

        r->rows_read += s->rows_read;
        r->rows_accepted += s->rows_accepted;
        r->rows_rejected += s->rows_rejected;
        r->rows_excluded += s->rows_excluded;
    }
    for (k = 0; k <= RJ__COUNT && st == CA_OK; k++) {
        for (i = 0; i < c->nshards && st == CA_OK; i++) {
            const struct sample_result *s = &c->shards[i].r;

            for (j = 0; j < s->nrejected && st == CA_OK; j++) {
                const char *reason = s->rejected[j].reason;
                size_t e;

                for (e = 0; e < RJ__COUNT; e++)
                    if (strcmp(reason,
                               reject_reason_name((enum reject_reason)e)) == 0)
                        break;
                if (e == k && s->rejected[j].n)
                    st = add_reject(r, reason, s->rejected[j].n, cap, err);
            }
        }
    }
    return st;
}

/* Check a listed key is SHA-256("<seed>:<id>"). */
static enum ca_status check_key(const struct merge_config *c,
                                const struct mitem *m, struct ca_error *err)
{
    char hex[65];

    sample_hash_key(c->shards[m->shard].p.seed, m->it->id, hex);
    if (strcmp(hex, m->it->key) != 0)
        return ca_error_set(err, CA_DATA, c->names[m->shard], 0, NULL,
                            "the key of id '%s' (force '%s' stratum '%s') is "
                            "not SHA-256(\"<seed>:<id>\"): the manifest was "
                            "edited",
                            m->it->id, m->it->force, m->it->stratum);
    return CA_OK;
}

/* Collect the shards' population rows and kept keys, sorted. */
static enum ca_status collect(const struct merge_config *c, struct sgrp **sgp,
                              size_t *nsg, struct mitem **mip, size_t *nmi,
                              struct ca_error *err)
{
    size_t ng = 0, ni = 0, i, j;
    struct sgrp *sg;
    struct mitem *mi;
    const struct mitem **byid = NULL;
    enum ca_status st = CA_OK;

    for (i = 0; i < c->nshards; i++) {
        const struct sample_item *v;
        size_t n;

        kept_keys(&c->shards[i], &v, &n);
        ng += c->shards[i].r.sel.ngroups;
        ni += n;
    }
    *sgp = sg = calloc(ng + 1, sizeof(*sg));
    *mip = mi = calloc(ni + 1, sizeof(*mi));
    if (!sg || !mi)
        return oom(err);
    for (i = 0; i < c->nshards; i++) {
        const struct selection *s = &c->shards[i].r.sel;
        const struct sample_item *v;
        size_t n;

        for (j = 0; j < s->ngroups; j++) {
            struct sgrp *g = &sg[(*nsg)++];

            g->force = s->groups[j].force;
            g->stratum = s->groups[j].stratum;
            g->shard = i;
            g->N = s->groups[j].N;
        }
        kept_keys(&c->shards[i], &v, &n);
        for (j = 0; j < n; j++) {
            mi[*nmi].it = &v[j];
            mi[*nmi].shard = i;
            if ((st = check_key(c, &mi[*nmi], err)) != CA_OK)
                return st;
            (*nmi)++;
        }
    }
    qsort(sg, *nsg, sizeof(*sg), sgrp_cmp);
    for (i = 1; i < *nsg; i++)
        if (sgrp_cmp(&sg[i - 1], &sg[i]) == 0)
            return ca_error_set(err, CA_DATA, c->names[sg[i].shard], 0, NULL,
                                "key 'population' lists force '%s' stratum "
                                "'%s' twice",
                                sg[i].force, sg[i].stratum);
    qsort(mi, *nmi, sizeof(*mi), mitem_cmp);

    /* an id in two shards: the single run would have rejected the second
     * as a duplicate; the merge cannot tell which row came first */
    byid = malloc((*nmi + 1) * sizeof(*byid));
    if (!byid)
        return oom(err);
    for (i = 0; i < *nmi; i++)
        byid[i] = &mi[i];
    qsort(byid, *nmi, sizeof(*byid), mitem_id_cmp);
    for (i = 1; i < *nmi && st == CA_OK; i++) {
        const struct mitem *a = byid[i - 1], *b = byid[i];

        if (strcmp(a->it->id, b->it->id) == 0)
            st = ca_error_set(
                err, CA_DATA, c->names[b->shard], 0, NULL,
                "id '%s' (force '%s' stratum '%s') is also in '%s' (force "
                "'%s' stratum '%s'): shards must not share records (a "
                "single run rejects a repeated id); split the export so "
                "that each record is in one shard",
                b->it->id, b->it->force, b->it->stratum, c->names[a->shard],
                a->it->force, a->it->stratum);
    }
    free(byid);
    return st;
}

/* The shard row of (force, stratum) of shard s within sg[lo, hi), sorted
 * by shard there; NULL when absent. */
static struct sgrp *find_sgrp(struct sgrp *sg, size_t lo, size_t hi, size_t s)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (sg[mid].shard == s)
            return &sg[mid];
        if (sg[mid].shard < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The shards' rows and keys, sorted, and the merged groups over them. */
struct merge_groups {
    struct sgrp *sg; /* every shard's population rows */
    size_t nsg;
    struct mitem *mi; /* every kept key */
    size_t nmi;
    size_t ng;          /* merged groups */
    size_t *gstart;     /* merged group g: sg[gstart[g], gstart[g+1]) */
    const char **force; /* of each merged group */
    uint64_t *N, *n;    /* population and sample size of each */
    struct ibuf items;  /* the merged sample */
    struct ibuf cands;  /* the merged candidates */
};

static void merge_groups_release(struct merge_groups *m)
{
    free(m->sg);
    free(m->mi);
    free(m->gstart);
    free(m->force);
    free(m->N);
    free(m->n);
}

/* Merged groups: runs of equal (force, stratum), N summed over shards. */
static enum ca_status group_rows(struct merge_groups *m,
                                 struct sample_result *r, struct ca_error *err)
{
    size_t i, nsg = m->nsg;

    m->gstart = calloc(nsg + 2, sizeof(*m->gstart));
    m->force = calloc(nsg + 1, sizeof(*m->force));
    m->N = calloc(nsg + 1, sizeof(*m->N));
    m->n = calloc(nsg + 1, sizeof(*m->n));
    r->sel.groups = calloc(nsg + 1, sizeof(*r->sel.groups));
    if (!m->gstart || !m->force || !m->N || !m->n || !r->sel.groups)
        return oom(err);
    for (i = 0; i < nsg; i++) {
        const struct sgrp *prev = i ? &m->sg[i - 1] : NULL;

        if (!prev || !same_group(&m->sg[i], prev->force, prev->stratum)) {
            m->gstart[m->ng] = i;
            m->force[m->ng] = m->sg[i].force;
            m->ng++;
        }
        m->N[m->ng - 1] += m->sg[i].N;
    }
    m->gstart[m->ng] = nsg;
    return CA_OK;
}

/* What each shard kept of each group; a key of an unknown group is an
 * error. */
static enum ca_status count_kept(const struct merge_config *c,
                                 struct merge_groups *m, struct ca_error *err)
{
    size_t i, g;

    for (i = 0, g = 0; i < m->nmi; i++) {
        const struct sample_item *it = m->mi[i].it;
        struct sgrp *s;

        while (g < m->ng &&
               (strcmp(m->sg[m->gstart[g]].force, it->force) < 0 ||
                (strcmp(m->sg[m->gstart[g]].force, it->force) == 0 &&
                 strcmp(m->sg[m->gstart[g]].stratum, it->stratum) < 0)))
            g++;
        s = g < m->ng &&
                    same_group(&m->sg[m->gstart[g]], it->force, it->stratum)
                ? find_sgrp(m->sg, m->gstart[g], m->gstart[g + 1],
                            m->mi[i].shard)
                : NULL;
        if (!s)
            return ca_error_set(err, CA_DATA, c->names[m->mi[i].shard], 0, NULL,
                                "id '%s' is listed in force '%s' stratum "
                                "'%s', which key 'population' does not have",
                                it->id, it->force, it->stratum);
        s->kept++;
        s->maxkey = it->key; /* ascending: the last is the largest */
    }
    return CA_OK;
}

/* The proof that merged group g's keys mi[ilo, ihi) hold its need smallest:
 * each shard that listed fewer keys than its N must have listed every key
 * up to the last one the group needs. */
static enum ca_status check_enough(const struct merge_config *c,
                                   const struct merge_groups *m, size_t g,
                                   size_t ilo, size_t ihi, uint64_t need,
                                   struct ca_error *err)
{
    const struct sample_params *p = &c->shards[0].p;
    size_t i;

    for (i = m->gstart[g]; i < m->gstart[g + 1]; i++) {
        const struct sgrp *s = &m->sg[i];
        bool enough;

        if (s->kept > s->N)
            return ca_error_set(err, CA_DATA, c->names[s->shard], 0, NULL,
                                "lists %llu keys of force '%s' stratum "
                                "'%s', whose N is %llu: the manifest was "
                                "edited",
                                (unsigned long long)s->kept, s->force,
                                s->stratum, (unsigned long long)s->N);
        if (s->kept == s->N || need == 0)
            continue;
        enough = ihi - ilo >= need && s->maxkey &&
                 strcmp(s->maxkey, m->mi[ilo + need - 1].it->key) >= 0;
        if (!enough)
            return ca_error_set(
                err, CA_DATA, c->names[s->shard], 0, NULL,
                "lists %llu of the %llu keys of force '%s' stratum "
                "'%s': too few to be sure of the merged group's %llu "
                "smallest keys: %s",
                (unsigned long long)s->kept, (unsigned long long)s->N, s->force,
                s->stratum, (unsigned long long)need,
                p->shard ? "the manifest was drawn by another version "
                           "or edited"
                         : "draw every shard with --shard");
    }
    return CA_OK;
}

/* Merged group g, whose keys start at mi[*ilo]: its row in the result, its
 * sample, spares and candidates; *ilo moves past its keys. */
static enum ca_status take_group(const struct merge_config *c,
                                 struct merge_groups *m, size_t g,
                                 uint64_t keep, size_t *ilo,
                                 struct sample_result *r, struct ca_error *err)
{
    const struct sample_params *p = &c->shards[0].p;
    struct sample_group *mg = &r->sel.groups[g];
    uint64_t N = m->N[g], n = m->n[g];
    uint64_t take = n < N ? n : N;
    uint64_t nsp = N - take < p->spares ? N - take : p->spares;
    uint64_t ncand = 0, need, j;
    const struct sgrp *first = &m->sg[m->gstart[g]];
    size_t lo = *ilo, hi;
    enum ca_status st;

    mg->force = strdup(first->force);
    mg->stratum = strdup(first->stratum);
    r->sel.ngroups++;
    if (!mg->force || !mg->stratum)
        return oom(err);
    mg->N = N;
    mg->n = n;
    mg->taken = take;
    mg->shortfall = n - take;
    mg->spares = nsp;
    if (p->shard)
        ncand = keep && keep < N ? keep : N;
    need = take + nsp > ncand ? take + nsp : ncand;
    for (hi = lo; hi < m->nmi &&
                  same_group(first, m->mi[hi].it->force, m->mi[hi].it->stratum);
         hi++)
        ;
    if ((st = check_enough(c, m, g, lo, hi, need, err)) != CA_OK)
        return st;
    for (j = 0; j < take + nsp; j++)
        if (ibuf_push(&m->items, m->mi[lo + j].it,
                      j < take ? j + 1 : j - take + 1, j >= take) != 0)
            return oom(err);
    for (j = 0; j < ncand; j++)
        if (ibuf_push(&m->cands, m->mi[lo + j].it, j + 1, false) != 0)
            return oom(err);
    *ilo = hi;
    return CA_OK;
}

enum ca_status manifest_merge(const struct merge_config *c,
                              struct manifest *out, struct ca_error *err)
{
    const struct sample_params *p;
    struct sample_result *r = &out->r;
    struct merge_groups m;
    size_t g, ilo;
    uint64_t keep;
    enum ca_status st;

    memset(out, 0, sizeof(*out));
    memset(&m, 0, sizeof(m));
    if (c->nshards == 0)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no shard manifests to merge");
    if ((st = check_params(c, err)) != CA_OK)
        goto out;
    p = &c->shards[0].p;
    if (sample_params_copy(&out->p, p) != 0) {
        st = oom(err);
        goto out;
    }
    keep = p->shard ? c->shards[0].r.candidates_per_stratum : 0;
    r->candidates_per_stratum = keep;
    if ((st = merge_inputs(c, r, err)) != CA_OK ||
        (st = merge_rows(c, r, err)) != CA_OK ||
        (st = collect(c, &m.sg, &m.nsg, &m.mi, &m.nmi, err)) != CA_OK ||
        (st = group_rows(&m, r, err)) != CA_OK ||
        (st = count_kept(c, &m, err)) != CA_OK)
        goto out;
    if ((st = sample_allocate(p, c->size, c->size_ctx, m.force, m.N, m.ng, m.n,
                              err)) != CA_OK) {
        char msg[sizeof(err->msg)];

        snprintf(msg, sizeof(msg), "the merged population: %.950s", err->msg);
        snprintf(err->msg, sizeof(err->msg), "%s", msg);
        goto out;
    }
    for (g = 0, ilo = 0; g < m.ng && st == CA_OK; g++)
        st = take_group(c, &m, g, keep, &ilo, r, err);
    if (st != CA_OK)
        goto out;
    r->sel.items = m.items.v;
    r->sel.nitems = m.items.n;
    r->sel.cands = m.cands.v;
    r->sel.ncands = m.cands.n;
    m.items.v = m.cands.v = NULL;
    if (selection_index(&r->sel) != 0)
        st = oom(err);
out:
    if (m.items.v) {
        r->sel.items = m.items.v;
        r->sel.nitems = m.items.n;
    }
    if (m.cands.v) {
        r->sel.cands = m.cands.v;
        r->sel.ncands = m.cands.n;
    }
    merge_groups_release(&m);
    if (st != CA_OK)
        manifest_release(out);
    return st;
}
