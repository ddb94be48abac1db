/* SPDX-License-Identifier: MIT */
/* Per-force compliance figures; see summary.h for the definitions. */
#include "report/summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WHOLE UINT32_MAX /* "pop" of a whole-force counter */

struct cnt {
    uint64_t n, k;
};

struct counts {
    struct idmap ix;
    struct cnt *v;
    size_t n, alloc;
};

struct unit {
    const char *force, *type, *sample;
    const struct sampleinfo *m; /* NULL: census */
    uint32_t *pops;             /* m's strata of this force, by label */
    size_t npops;
    uint64_t N; /* sum of N_h */
};

struct build {
    const struct findings *fs;
    const struct summary_opts *o;
    struct summary *s;
    struct unit *u;
    size_t nu, ualloc;
    struct idmap uix;    /* "force\nsample\ntype" -> unit */
    struct counts c;     /* (unit, cat, pop) */
    struct counts bc;    /* breakdowns: (unit, cat, field, value) */
    struct idmap rix;    /* (unit, rule) -> srule */
    uint32_t *cat_order; /* category indexes sorted by name */
    int64_t **miss;      /* per manifest and population: selected files without
                          * findings less spares with findings */
};

static void counts_init(struct counts *c)
{
    memset(c, 0, sizeof(*c));
    idmap_init(&c->ix);
}

static void counts_release(struct counts *c)
{
    idmap_release(&c->ix);
    free(c->v);
}

static int counts_add(struct counts *c, const void *key, size_t len, bool dev)
{
    uint32_t i;
    int r;

    if (c->n == c->alloc) {
        size_t na = c->alloc ? c->alloc * 2 : 256;
        struct cnt *nv = realloc(c->v, na * sizeof(*nv));

        if (!nv)
            return -1;
        c->v = nv;
        c->alloc = na;
    }
    r = idmap_put(&c->ix, key, len, (uint32_t)c->n, &i);
    if (r < 0)
        return -1;
    if (r == 0) {
        i = (uint32_t)c->n++;
        c->v[i].n = c->v[i].k = 0;
    }
    c->v[i].n++;
    if (dev)
        c->v[i].k++;
    return 0;
}

static struct cnt counts_get(const struct counts *c, const void *key,
                             size_t len)
{
    struct cnt z = {0, 0};
    uint32_t i;

    if (idmap_get(&c->ix, key, len, &i))
        return c->v[i];
    return z;
}

static struct cnt cnt3(const struct build *b, uint32_t unit, uint32_t cat,
                       uint32_t pop)
{
    uint32_t key[3] = {unit, cat, pop};

    return counts_get(&b->c, key, sizeof(key));
}

void summary_init(struct summary *s)
{
    memset(s, 0, sizeof(*s));
}

void summary_release(struct summary *s)
{
    size_t i;

    free(s->g);
    free(s->b);
    free(s->r);
    free(s->tg);
    free(s->tb);
    for (i = 0; i < s->nt; i++)
        free(s->t[i].unchecked);
    free(s->t);
    free(s->rec_force);
    free(s->rec_stratum);
    free(s->rec_spare);
    for (i = 0; i < s->nstrs; i++)
        free(s->strs[i]);
    free(s->strs);
    summary_init(s);
}

const char *summary_strdup(struct summary *s, const char *v)
{
    char *d;

    if (s->nstrs == s->strs_alloc) {
        size_t na = s->strs_alloc ? s->strs_alloc * 2 : 64;
        char **nv = realloc(s->strs, na * sizeof(*nv));

        if (!nv)
            return NULL;
        s->strs = nv;
        s->strs_alloc = na;
    }
    d = strdup(v);
    if (!d)
        return NULL;
    s->strs[s->nstrs++] = d;
    return d;
}

static int grow(void **v, size_t *alloc, size_t n, size_t sz)
{
    size_t na;
    void *nv;

    if (n < *alloc)
        return 0;
    na = *alloc ? *alloc * 2 : 32;
    nv = realloc(*v, na * sz);
    if (!nv)
        return -1;
    *v = nv;
    *alloc = na;
    return 0;
}

void summary_figures(struct sgroup *g, double c, double t)
{
    g->cp.lo = g->cp.hi = g->wilson.lo = g->wilson.hi = NAN;
    if (g->n == 0) {
        /* nothing checked: nothing is known */
        g->rate = NAN;
        if (!g->census) {
            g->cp.lo = g->wilson.lo = 0.0;
            g->cp.hi = g->wilson.hi = 1.0;
        }
        g->lower = 0.0;
        g->upper = 1.0;
        g->upper_dev = g->n_exact ? g->N : SUMMARY_UNKNOWN;
        g->verdict = STATS_VERDICT_INCONCLUSIVE;
        g->indicative = true;
        return;
    }
    g->rate = (double)g->k / (double)g->n;
    if (g->census) {
        g->lower = g->upper = g->rate;
        g->upper_dev = g->k;
        g->indicative = false;
    } else {
        g->cp = stats_clopper_pearson(g->k, g->n, c);
        g->wilson = stats_wilson(g->k, g->n, c);
        if (g->n_exact && g->N != SUMMARY_UNKNOWN && g->N >= g->n) {
            uint64_t hi = stats_upper_hyper(g->k, g->n, g->N, c);
            uint64_t lo = stats_lower_hyper(g->k, g->n, g->N, c);

            g->upper_dev = hi;
            g->upper = (double)hi / (double)g->N;
            g->lower = (double)lo / (double)g->N;
            g->indicative = g->n < STATS_INDICATIVE_BELOW && g->n < g->N;
        } else {
            g->upper_dev = SUMMARY_UNKNOWN;
            g->upper = stats_upper_binomial(g->k, g->n, c);
            g->lower = stats_lower_binomial(g->k, g->n, c);
            g->indicative = g->n < STATS_INDICATIVE_BELOW;
        }
    }
    /* exact at ties: hypergeometric in N (a census is n = N), else binomial */
    g->verdict = stats_verdict_counts(
        g->k, g->n, g->upper_dev == SUMMARY_UNKNOWN ? 0 : g->N, c, t);
}

void summary_bayes(struct sgroup *g, const struct stats_prior *prior, double c,
                   double t)
{
    struct stats_rate cr, tr;
    struct ca_error err = CA_ERROR_INIT;

    g->has_bayes = false;
    if (g->census || g->n == 0 || g->k > g->n || (g->n_exact && g->N == g->n))
        return; /* nothing sampled, or nothing left unsampled */
    if (stats_rate_from_double(c, &cr) != 0 ||
        stats_rate_from_double(t, &tr) != 0)
        return;
    g->has_bayes = stats_bayes_evaluate(prior, g->k, g->n, 0, cr, tr, &g->bayes,
                                        &err) == CA_OK;
}

/* Every sampled group's Bayesian evaluation (summary_opts.prior). */
static void bayes_all(struct summary *s, const struct stats_prior *prior)
{
    struct sgroup *sets[4] = {s->g, s->b, s->tg, s->tb};
    size_t counts[4] = {s->ng, s->nb, s->ntg, s->ntb}, i, j;

    for (i = 0; i < 4; i++)
        for (j = 0; j < counts[i]; j++)
            summary_bayes(&sets[i][j], prior, s->confidence, s->tolerable);
}

/* --- building ------------------------------------------------------------ */

/* A name and the index it stands for, to sort indexes by name. */
struct named {
    const char *name;
    uint32_t idx;
};

static int cmp_named(const void *a, const void *b)
{
    const struct named *x = a, *y = b;

    return strcmp(x->name, y->name);
}

/* Sort n indexes by their names. */
static int sort_by_name(uint32_t *idx, const char *const *names, size_t n)
{
    struct named *v = calloc(n ? n : 1, sizeof(*v));
    size_t i;

    if (!v)
        return -1;
    for (i = 0; i < n; i++) {
        v[i].name = names[i];
        v[i].idx = idx[i];
    }
    qsort(v, n, sizeof(*v), cmp_named);
    for (i = 0; i < n; i++)
        idx[i] = v[i].idx;
    free(v);
    return 0;
}

static int cmp_unit(const void *a, const void *b)
{
    const struct unit *x = a, *y = b;
    int r = strcmp(x->force, y->force);

    if (r == 0)
        r = strcmp(x->type, y->type);
    return r ? r : strcmp(x->sample, y->sample);
}

static void unit_key(char *key, size_t size, const char *force,
                     const char *sample, const char *type)
{
    snprintf(key, size, "%s\n%s\n%s", force, sample, type);
}

/* Unit index for (force, sample, type), created when new.  -1 on ENOMEM. */
static long unit_get(struct build *b, const char *force, const char *sample,
                     const char *type, const struct sampleinfo *m)
{
    char key[1500];
    uint32_t idx;
    struct unit *u;
    size_t i;

    unit_key(key, sizeof(key), force, sample, type);
    if (idmap_get_str(&b->uix, key, &idx))
        return (long)idx;
    if (grow((void **)&b->u, &b->ualloc, b->nu, sizeof(*b->u)) != 0)
        return -1;
    u = &b->u[b->nu];
    memset(u, 0, sizeof(*u));
    u->force = force;
    u->type = type;
    u->sample = sample;
    u->m = m;
    if (m) {
        u->pops = calloc(m->npop + 1, sizeof(*u->pops));
        if (!u->pops)
            return -1;
        for (i = 0; i < m->npop; i++)
            if (strcmp(m->pop[i].force, force) == 0) {
                u->pops[u->npops++] = (uint32_t)i;
                u->N += m->pop[i].N;
            }
        if (u->npops > 1) {
            const char **names = calloc(u->npops, sizeof(*names));
            int r;

            if (!names) {
                free(u->pops);
                return -1;
            }
            for (i = 0; i < u->npops; i++)
                names[i] = m->pop[u->pops[i]].stratum;
            r = sort_by_name(u->pops, names, u->npops);
            free(names);
            if (r != 0) {
                free(u->pops);
                return -1;
            }
        }
    }
    if (idmap_put_str(&b->uix, key, (uint32_t)b->nu, NULL) != 0) {
        free(u->pops);
        return -1;
    }
    return (long)b->nu++;
}

static const struct sampleinfo *manifest_for(const struct summary_opts *o,
                                             const char *sample)
{
    size_t i;

    for (i = 0; i < o->nmanifests; i++)
        if (strcmp(o->manifests[i].name, sample) == 0)
            return &o->manifests[i];
    return NULL;
}

static int add_breakdown(struct build *b, uint32_t unit, uint32_t cat,
                         size_t field, const char *value, bool dev)
{
    char key[1400];
    int n = snprintf(key, sizeof(key), "%u%c%u%c%zu%c%s", unit, 0, cat, 0,
                     field, 0, value);

    if (n < 0)
        return -1;
    return counts_add(&b->bc, key,
                      (size_t)n < sizeof(key) ? (size_t)n : sizeof(key) - 1,
                      dev);
}

/* Tally one record. */
static enum ca_status tally(struct build *b, uint32_t ri, bool *app, bool *dev,
                            uint32_t *touched, struct ca_error *err)
{
    const struct findings *fs = b->fs;
    const struct frecord *rec = &fs->recs[ri];
    const char *type = fs->types.v[rec->type];
    const char *sample = fs->samples.v[rec->sample];
    const struct sampleinfo *m = manifest_for(b->o, sample);
    struct summary *s = b->s;
    const char *force = fs->forces.v[rec->force];
    uint32_t pop = WHOLE, f, unit;
    bool spare = false, anydev = false;
    size_t nt = 0, i, j;
    long ul;

    if (m) {
        if (!sampleinfo_lookup(m, rec->id, &pop, &spare))
            return ca_error_set(err, CA_DATA, fs->srcs[rec->src], rec->line,
                                "id",
                                "%s '%s' is not in the sample manifest "
                                "'%s' (neither selected nor a spare)",
                                type, rec->id, m->path);
        if (m->per_force) {
            if (strcmp(m->pop[pop].force, force) != 0)
                return ca_error_set(
                    err, CA_DATA, fs->srcs[rec->src], rec->line, "force",
                    "%s '%s' has force '%s' but the manifest "
                    "'%s' drew it for force '%s'",
                    type, rec->id, force, m->path, m->pop[pop].force);
        }
        force = m->pop[pop].force;
        s->rec_stratum[ri] =
            sampleinfo_stratified(m) ? m->pop[pop].stratum : NULL;
        s->rec_spare[ri] = spare;
    }
    if (m && strcmp(m->type, type) != 0)
        return ca_error_set(err, CA_DATA, fs->srcs[rec->src], rec->line, "type",
                            "%s '%s' is in the findings of sample '%s', "
                            "whose manifest '%s' drew %s records",
                            type, rec->id, sample, m->path, m->type);
    s->rec_force[ri] = force;
    if (rec->excluded)
        return CA_OK; /* an unused spare, or a file reviewed unavailable */
    ul = unit_get(b, force, sample, type, m);
    if (ul < 0)
        goto nomem;
    unit = (uint32_t)ul;

    for (f = rec->head; f != FINDING_NONE; f = fs->f[f].next) {
        const struct finding *fi = &fs->f[f];
        uint32_t cat = fs->rules[fi->rule].category;

        if (fi->excluded)
            continue; /* reviewed n/a: the rule does not apply */
        bool d = fi->verdict != V_PASS;
        uint32_t rkey[2] = {unit, fi->rule}, sr;
        struct srule *r;
        int put;

        if (!app[cat]) {
            app[cat] = true;
            touched[nt++] = cat;
        }
        if (d) {
            dev[cat] = true;
            anydev = true;
        }
        /* per rule */
        put = idmap_put(&b->rix, rkey, sizeof(rkey), (uint32_t)s->nr, &sr);
        if (put < 0)
            goto nomem;
        if (put == 0) {
            struct srule *nr = realloc(s->r, (s->nr + 1) * sizeof(*nr));

            if (!nr)
                goto nomem;
            s->r = nr;
            sr = (uint32_t)s->nr++;
            memset(&s->r[sr], 0, sizeof(s->r[sr]));
            s->r[sr].force = force;
            s->r[sr].type = type;
            s->r[sr].sample = sample;
            s->r[sr].rule = fi->rule;
            s->r[sr].rule_id = fs->rules[fi->rule].id;
            s->r[sr].census = m == NULL;
        }
        r = &s->r[sr];
        r->n++;
        if (fi->verdict == V_PASS)
            r->pass++;
        else if (fi->verdict == V_FAIL)
            r->fail++;
        else
            r->error++;
        if (fi->ovr != FINDING_NONE) {
            r->reviewed++;
            if (fi->verdict != fi->original) {
                if (fi->verdict == V_PASS)
                    r->to_pass++;
                else
                    r->to_fail++;
            }
        }
    }

    for (i = 0; i <= nt; i++) {
        /* i == nt: category "all" (index 0); else category touched[i] + 1 */
        uint32_t cat = i == nt ? 0 : touched[i] + 1;
        bool d = i == nt ? anydev : dev[touched[i]];
        uint32_t key[3] = {unit, cat, WHOLE};

        if (counts_add(&b->c, key, sizeof(key), d) != 0)
            goto nomem;
        if (m && sampleinfo_stratified(m)) {
            key[2] = pop;
            if (counts_add(&b->c, key, sizeof(key), d) != 0)
                goto nomem;
        }
        for (j = 0; j < b->o->nby; j++) {
            const char *val =
                rec->by && rec->by[j] ? rec->by[j] : "(no record)";

            if (add_breakdown(b, unit, cat, j, val, d) != 0)
                goto nomem;
        }
    }
    for (i = 0; i < nt; i++)
        app[touched[i]] = dev[touched[i]] = false;
    return CA_OK;
nomem:
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

static struct sgroup *new_group(struct sgroup **v, size_t *n, size_t *alloc)
{
    struct sgroup *g;

    if (grow((void **)v, alloc, *n, sizeof(**v)) != 0)
        return NULL;
    g = &(*v)[(*n)++];
    memset(g, 0, sizeof(*g));
    return g;
}

static const char *cat_name(const struct build *b, uint32_t cat)
{
    return cat == 0 ? "all" : b->fs->categories.v[cat - 1];
}

/* Stratified estimate of a force-level group, when the sample was
 * stratified and every stratum has files of the category. */
static void group_stratified(struct build *b, const struct unit *u,
                             uint32_t unit, uint32_t cat, struct sgroup *g)
{
    struct stratum_count *sc;
    struct ca_error e = CA_ERROR_INIT;
    size_t i;

    if (!u->m || !sampleinfo_stratified(u->m) || u->npops == 0)
        return;
    sc = calloc(u->npops, sizeof(*sc));
    if (!sc)
        return;
    for (i = 0; i < u->npops; i++) {
        struct cnt all = cnt3(b, unit, 0, u->pops[i]);
        struct cnt c = cnt3(b, unit, cat, u->pops[i]);

        if (c.n != all.n)
            goto out; /* the note about binomial bounds says why */
        if (c.n == 0) {
            g->note = "a stratum has no checked files: no stratified estimate";
            goto out;
        }
        sc[i].N = u->m->pop[u->pops[i]].N;
        sc[i].n = c.n;
        sc[i].k = c.k;
    }
    if (stats_stratified(sc, u->npops, b->o->confidence, &g->strat, &e) ==
        CA_OK) {
        g->has_strat = true;
        /* never stronger than the Korn-Graubard stratified bounds */
        g->verdict = stats_verdict_both(
            g->verdict, stats_stratified_verdict(&g->strat, b->o->tolerable));
    } else if (!g->note)
        g->note = "a stratum has a single file sampled: no stratified "
                  "estimate";
out:
    free(sc);
}

/* Selected files without findings, net of the spares that replaced them,
 * per manifest and population: where any is missing the checked files do
 * not cover the group's population (a file no rule applied to, or one not
 * checked), so N cannot be used for exact bounds. */
static enum ca_status count_missing(struct build *b, struct ca_error *err)
{
    const struct summary_opts *o = b->o;
    const struct findings *fs = b->fs;
    size_t i, k;

    b->miss = calloc(o->nmanifests + 1, sizeof(*b->miss));
    if (!b->miss)
        goto nomem;
    for (i = 0; i < o->nmanifests; i++) {
        const struct sampleinfo *m = &o->manifests[i];

        b->miss[i] = calloc(m->npop + 1, sizeof(**b->miss));
        if (!b->miss[i])
            goto nomem;
        for (k = 0; k < m->nselected; k++) {
            uint32_t rec, pop;
            bool spare;

            if ((!findings_find_sample_record(fs, m->name, m->type,
                                              m->selected[k], &rec) ||
                 fs->recs[rec].excluded) &&
                sampleinfo_lookup(m, m->selected[k], &pop, &spare))
                b->miss[i][pop]++;
        }
    }
    for (k = 0; k < fs->nrecs; k++) {
        const struct sampleinfo *m =
            manifest_for(o, fs->samples.v[fs->recs[k].sample]);
        uint32_t pop;
        bool spare;

        if (m && !fs->recs[k].excluded &&
            sampleinfo_lookup(m, fs->recs[k].id, &pop, &spare) && spare)
            b->miss[m - o->manifests][pop]--;
    }
    return CA_OK;
nomem:
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

static uint64_t pop_missing(const struct build *b, const struct sampleinfo *m,
                            uint32_t pop)
{
    int64_t v;

    if (!m || !b->miss)
        return 0;
    v = b->miss[m - b->o->manifests][pop];
    return v > 0 ? (uint64_t)v : 0;
}

static const char note_missing[] =
    "selected files without findings (no rule applied, or not checked): "
    "N of the group unknown, binomial bounds";

static enum ca_status emit_groups(struct build *b, struct ca_error *err)
{
    struct summary *s = b->s;
    const struct findings *fs = b->fs;
    size_t ui, ci, pi, galloc = 0, balloc = 0, j;
    size_t ncat = fs->categories.n;

    for (ui = 0; ui < b->nu; ui++) {
        const struct unit *u = &b->u[ui];
        uint32_t unit;
        struct cnt all = {0, 0};
        uint64_t umiss = 0;

        for (pi = 0; pi < u->npops; pi++)
            umiss += pop_missing(b, u->m, u->pops[pi]);

        {
            char key[1500];

            unit_key(key, sizeof(key), u->force, u->sample, u->type);
            if (!idmap_get_str(&b->uix, key, &unit))
                continue;
        }
        for (ci = 0; ci <= ncat; ci++) {
            uint32_t cat = ci == 0 ? 0 : b->cat_order[ci - 1] + 1;
            struct cnt c = cnt3(b, unit, cat, WHOLE);
            struct sgroup *g;

            if (ci == 0)
                all = c;
            if (c.n == 0 && !(ci == 0 && u->m))
                continue; /* category not applied to this type/force */
            g = new_group(&s->g, &s->ng, &galloc);
            if (!g)
                goto nomem;
            g->force = u->force;
            g->type = u->type;
            g->sample = u->sample;
            g->category = cat_name(b, cat);
            g->census = u->m == NULL;
            g->n = c.n;
            g->k = c.k;
            if (g->census) {
                g->N = c.n;
                g->n_exact = true;
            } else {
                g->N = u->N;
                g->n_exact = c.n == all.n && umiss == 0;
            }
            summary_figures(g, b->o->confidence, b->o->tolerable);
            if (g->n == 0)
                g->note = "no file of this force was checked";
            else if (!g->census && c.n != all.n)
                g->note = "category applies to only some files: N of the "
                          "group unknown, binomial bounds";
            else if (!g->census && !g->n_exact)
                g->note = note_missing;
            else if (u->m && u->m->allocation && u->npops > 1 &&
                     strcmp(u->m->allocation, "proportional") != 0)
                g->note = "allocation is not proportional: the pooled rate "
                          "weights strata unequally; read the stratified "
                          "estimate";
            group_stratified(b, u, unit, cat, g);
            /* strata */
            for (pi = 0; u->m && sampleinfo_stratified(u->m) && pi < u->npops;
                 pi++) {
                const struct spop *p = &u->m->pop[u->pops[pi]];
                struct cnt ch = cnt3(b, unit, cat, u->pops[pi]);
                struct cnt ah = cnt3(b, unit, 0, u->pops[pi]);
                struct sgroup *h;

                if (cat != 0 && ch.n == 0 && ah.n != 0)
                    continue; /* the category applies to none here */
                h = new_group(&s->g, &s->ng, &galloc);
                if (!h)
                    goto nomem;
                g = NULL; /* new_group may have moved the array */
                h->force = u->force;
                h->type = u->type;
                h->sample = u->sample;
                h->category = cat_name(b, cat);
                h->stratum = p->stratum;
                h->N = p->N;
                h->n = ch.n;
                h->k = ch.k;
                h->n_exact =
                    ch.n == ah.n && pop_missing(b, u->m, u->pops[pi]) == 0;
                summary_figures(h, b->o->confidence, b->o->tolerable);
                if (ch.n == 0)
                    h->note = "no file of this stratum was checked";
                else if (ch.n != ah.n)
                    h->note = "category applies to only some files: N of the "
                              "group unknown, binomial bounds";
                else if (!h->n_exact)
                    h->note = note_missing;
            }
        }
        /* breakdowns */
        for (j = 0; j < b->o->nby; j++) {
            for (ci = 0; ci <= ncat; ci++) {
                uint32_t cat = ci == 0 ? 0 : b->cat_order[ci - 1] + 1;
                size_t k;

                for (k = 0; k < b->bc.ix.cap; k++) {
                    const struct idmap_slot *sl = &b->bc.ix.slots[k];
                    char head[64];
                    int hn;
                    struct sgroup *g;
                    const char *val;

                    if (!sl->key)
                        continue;
                    hn = snprintf(head, sizeof(head), "%u%c%u%c%zu%c", unit, 0,
                                  cat, 0, j, 0);
                    if (hn < 0 || sl->len < (size_t)hn ||
                        memcmp(sl->key, head, (size_t)hn) != 0)
                        continue;
                    val = summary_strdup(s, sl->key + hn);
                    g = new_group(&s->b, &s->nb, &balloc);
                    if (!g || !val)
                        goto nomem;
                    g->force = u->force;
                    g->type = u->type;
                    g->sample = u->sample;
                    g->category = cat_name(b, cat);
                    g->by_field = b->o->by[j];
                    g->by_value = val;
                    g->census = u->m == NULL;
                    g->n = b->bc.v[sl->val].n;
                    g->k = b->bc.v[sl->val].k;
                    g->n_exact = g->census;
                    g->N = g->census ? g->n : SUMMARY_UNKNOWN;
                    summary_figures(g, b->o->confidence, b->o->tolerable);
                }
            }
        }
    }
    return CA_OK;
nomem:
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

static int cmp_breakdown(const void *a, const void *b)
{
    const struct sgroup *x = a, *y = b;
    int r;

    if ((r = strcmp(x->by_field, y->by_field)) != 0)
        return r;
    if ((r = strcmp(x->force, y->force)) != 0)
        return r;
    if ((r = strcmp(x->type, y->type)) != 0)
        return r;
    if ((r = strcmp(x->sample, y->sample)) != 0)
        return r;
    if (strcmp(x->category, y->category) != 0) {
        if (strcmp(x->category, "all") == 0)
            return -1;
        if (strcmp(y->category, "all") == 0)
            return 1;
        return strcmp(x->category, y->category);
    }
    return strcmp(x->by_value, y->by_value);
}

static int cmp_rule(const void *a, const void *b)
{
    const struct srule *x = a, *y = b;
    int r;

    if ((r = strcmp(x->force, y->force)) != 0)
        return r;
    if ((r = strcmp(x->type, y->type)) != 0)
        return r;
    if ((r = strcmp(x->sample, y->sample)) != 0)
        return r;
    return strcmp(x->rule_id, y->rule_id);
}

static enum ca_status build_types(struct summary *s, const struct findings *fs,
                                  const struct summary_opts *o,
                                  struct ca_error *err)
{
    size_t i, j, nmax = fs->nrecs + o->nmanifests;

    s->t = calloc(nmax ? nmax : 1, sizeof(*s->t));
    if (!s->t)
        goto nomem;
    /* one entry per sample: the manifests', then those of findings
     * without a manifest (a census), in order of appearance */
    for (i = 0; i < o->nmanifests + fs->nrecs; i++) {
        const char *type, *sample;
        struct stype *t;

        if (i < o->nmanifests) {
            type = o->manifests[i].type;
            sample = o->manifests[i].name;
        } else {
            const struct frecord *rec = &fs->recs[i - o->nmanifests];

            type = fs->types.v[rec->type];
            sample = fs->samples.v[rec->sample];
        }
        for (j = 0; j < s->nt; j++)
            if (strcmp(s->t[j].sample, sample) == 0 &&
                strcmp(s->t[j].type, type) == 0)
                break;
        if (j < s->nt)
            continue;
        t = &s->t[s->nt++];
        t->type = type;
        t->sample = sample;
        t->m = manifest_for(o, sample);
    }
    for (i = 0; i < fs->nrecs; i++) {
        const char *type = fs->types.v[fs->recs[i].type];
        const char *sample = fs->samples.v[fs->recs[i].sample];

        for (j = 0; j < s->nt; j++)
            if (strcmp(s->t[j].type, type) == 0 &&
                strcmp(s->t[j].sample, sample) == 0) {
                if (fs->recs[i].excluded)
                    continue;
                s->t[j].checked++;
                if (s->rec_spare[i])
                    s->t[j].spares_used++;
            }
    }
    for (j = 0; j < s->nt; j++) {
        struct stype *t = &s->t[j];
        size_t k;
        uint32_t rec;

        if (!t->m || t->m->nselected == 0)
            continue;
        t->unchecked = calloc(t->m->nselected, sizeof(*t->unchecked));
        if (!t->unchecked)
            goto nomem;
        for (k = 0; k < t->m->nselected; k++)
            if (!findings_find_sample_record(fs, t->sample, t->type,
                                             t->m->selected[k], &rec) ||
                fs->recs[rec].excluded)
                t->unchecked[t->nunchecked++] = t->m->selected[k];
    }
    return CA_OK;
nomem:
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

enum ca_status summary_build(struct summary *s, const struct findings *fs,
                             const struct summary_opts *o, struct ca_error *err)
{
    struct build b;
    enum ca_status st = CA_OK;
    bool *app = NULL, *dev = NULL;
    uint32_t *touched = NULL;
    size_t i, j, ncat = fs->categories.n;

    memset(&b, 0, sizeof(b));
    b.fs = fs;
    b.o = o;
    b.s = s;
    idmap_init(&b.uix);
    idmap_init(&b.rix);
    counts_init(&b.c);
    counts_init(&b.bc);
    s->confidence = o->confidence;
    s->tolerable = o->tolerable;

    for (i = 0; i < o->nmanifests; i++)
        for (j = i + 1; j < o->nmanifests; j++)
            if (strcmp(o->manifests[i].name, o->manifests[j].name) == 0) {
                if (strcmp(o->manifests[i].name, o->manifests[i].type) == 0)
                    st = ca_error_set(
                        err, CA_USAGE, o->manifests[j].path, 0, "type",
                        "a second manifest for type '%s' (the first is "
                        "'%s'): give one manifest per record type",
                        o->manifests[j].type, o->manifests[i].path);
                else
                    st = ca_error_set(
                        err, CA_USAGE, o->manifests[j].path, 0, "frame",
                        "a second manifest for sample '%s' (the first is "
                        "'%s')",
                        o->manifests[j].name, o->manifests[i].path);
                goto out;
            }
    if (o->nmanifests) {
        for (i = 0; i < fs->nrecs; i++) {
            const char *sample = fs->samples.v[fs->recs[i].sample];
            const char *type = fs->types.v[fs->recs[i].type];

            if (manifest_for(o, sample))
                continue;
            if (strcmp(sample, type) == 0)
                st = ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                  "the findings hold %s records but no "
                                  "--manifest of type '%s' was given (give "
                                  "one per type, or none to treat the "
                                  "findings as the whole population)",
                                  type, type);
            else
                st = ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                  "the findings hold records of sample '%s' "
                                  "but no manifest of that sample was given",
                                  sample);
            goto out;
        }
    }
    s->rec_force = calloc(fs->nrecs + 1, sizeof(*s->rec_force));
    s->rec_stratum = calloc(fs->nrecs + 1, sizeof(*s->rec_stratum));
    s->rec_spare = calloc(fs->nrecs + 1, sizeof(*s->rec_spare));
    app = calloc(ncat + 1, sizeof(*app));
    dev = calloc(ncat + 1, sizeof(*dev));
    touched = calloc(ncat + 1, sizeof(*touched));
    b.cat_order = calloc(ncat + 1, sizeof(*b.cat_order));
    if (!s->rec_force || !s->rec_stratum || !s->rec_spare || !app || !dev ||
        !touched || !b.cat_order)
        goto nomem;
    for (i = 0; i < ncat; i++)
        b.cat_order[i] = (uint32_t)i;
    if (sort_by_name(b.cat_order, (const char *const *)fs->categories.v,
                     ncat) != 0)
        goto nomem;

    /* every force a sample was drawn for has a row, checked or not */
    for (i = 0; i < o->nmanifests; i++)
        for (j = 0; j < o->manifests[i].npop; j++)
            if (unit_get(&b, o->manifests[i].pop[j].force, o->manifests[i].name,
                         o->manifests[i].type, &o->manifests[i]) < 0)
                goto nomem;
    for (i = 0; i < fs->nrecs; i++) {
        st = tally(&b, (uint32_t)i, app, dev, touched, err);
        if (st != CA_OK)
            goto out;
    }
    qsort(b.u, b.nu, sizeof(*b.u), cmp_unit);
    st = count_missing(&b, err);
    if (st == CA_OK)
        st = emit_groups(&b, err);
    if (st != CA_OK)
        goto out;
    if (s->nb)
        qsort(s->b, s->nb, sizeof(*s->b), cmp_breakdown);
    if (s->nr)
        qsort(s->r, s->nr, sizeof(*s->r), cmp_rule);
    for (i = 0; i < s->nr; i++) {
        struct srule *r = &s->r[i];

        r->pass_rate = (double)r->pass / (double)r->n;
        if (r->census)
            r->cp.lo = r->cp.hi = NAN;
        else
            r->cp = stats_clopper_pearson(r->pass, r->n, o->confidence);
    }
    st = build_types(s, fs, o, err);
    if (st == CA_OK && o->ntests)
        st = summary_tests(s, o, err);
    if (st == CA_OK && o->prior) {
        s->has_prior = true;
        s->prior = *o->prior;
        bayes_all(s, o->prior);
    }
    goto out;
nomem:
    st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
out:
    for (i = 0; i < b.nu; i++)
        free(b.u[i].pops);
    free(b.u);
    idmap_release(&b.uix);
    idmap_release(&b.rix);
    counts_release(&b.c);
    counts_release(&b.bc);
    free(b.cat_order);
    if (b.miss)
        for (i = 0; i < o->nmanifests; i++)
            free(b.miss[i]);
    free(b.miss);
    free(app);
    free(dev);
    free(touched);
    return st;
}
