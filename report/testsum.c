/* SPDX-License-Identifier: MIT */
/*
 * The figures of an audit programme's tests; see summary_tests() in
 * summary.h.  The unit is the file: a file fails a test when one of the
 * test's rules fails, and is an error when none fails and one could not
 * be judged (or none of the test's rules applies to it); both count as
 * deviations, as in every other figure.  A test is asked of its own
 * frame, so N is the size of that frame in the force (the population its
 * sample's manifest records) and, every drawn file having a verdict, the
 * bounds are exact hypergeometric ones in that N.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/summary.h"

struct tcount {
    uint64_t n, k;
    uint64_t drawn; /* files the sample drew there, less those a reviewer
                     * took out of the test (n/a) */
    uint64_t na;    /* those */
};

struct vcount {
    size_t field;              /* index into the test's report_by */
    const char *force, *value; /* value owned by the summary */
    uint64_t n, k;
};

static struct sgroup *push(struct sgroup **v, size_t *n, size_t *alloc)
{
    if (*n == *alloc) {
        size_t na = *alloc ? *alloc * 2 : 32;
        struct sgroup *nv = realloc(*v, na * sizeof(*nv));

        if (!nv)
            return NULL;
        *v = nv;
        *alloc = na;
    }
    memset(&(*v)[*n], 0, sizeof(**v));
    return &(*v)[(*n)++];
}

static const struct sampleinfo *find_sample(const struct summary_opts *o,
                                            const char *name)
{
    size_t i;

    for (i = 0; i < o->nmanifests; i++)
        if (strcmp(o->manifests[i].name, name) == 0)
            return &o->manifests[i];
    return NULL;
}

static bool skipped(const struct summary_opts *o, uint32_t test,
                    const char *force)
{
    size_t i;

    for (i = 0; i < o->ntskips; i++)
        if (o->tskips[i].test == test && strcmp(o->tskips[i].force, force) == 0)
            return true;
    return false;
}

/* Component k of a stratum label "a|b|c" into out. */
static void label_part(const char *label, size_t k, char *out, size_t size)
{
    const char *p = label;
    size_t i, len;

    for (i = 0; i < k && p; i++) {
        p = strchr(p, '|');
        if (p)
            p++;
    }
    if (!p) {
        snprintf(out, size, "%s", "");
        return;
    }
    len = strcspn(p, "|");
    snprintf(out, size, "%.*s", (int)len, p);
}

static bool proportional(const struct sampleinfo *m)
{
    return !m->allocation || strcmp(m->allocation, "proportional") == 0;
}

static void fill(struct sgroup *g, const struct report_test *t,
                 const struct sampleinfo *m, const char *force, uint64_t N,
                 uint64_t n, uint64_t k, bool exact, double c, double tol)
{
    g->force = force;
    g->type = t->type;
    g->category = "all";
    g->sample = m->name;
    g->test = t->id;
    g->census = m->census && exact;
    g->n_exact = exact;
    g->N = N;
    g->n = n;
    g->k = k;
    summary_figures(g, c, tol);
}

/* The stratified estimate of one force's test group, from its strata
 * (pops[0..np) of m, counts cnt). */
static void stratified(struct sgroup *g, const struct sampleinfo *m,
                       const uint32_t *pops, size_t np,
                       const struct tcount *cnt, double c, double tol)
{
    struct stratum_count *sc;
    struct ca_error e = CA_ERROR_INIT;
    size_t i;

    if (np < 2 || m->census)
        return;
    /* under proportional allocation the pooled figure is the headline and
     * the estimate is shown beside it when it can be made; otherwise the
     * estimate is the figure, and why it is missing must be said */
    sc = calloc(np, sizeof(*sc));
    if (!sc)
        return;
    for (i = 0; i < np; i++) {
        if (cnt[pops[i]].n == 0) {
            if (!proportional(m))
                g->note = "a stratum has no checked file: no stratified "
                          "estimate";
            goto out;
        }
        sc[i].N = m->pop[pops[i]].N;
        sc[i].n = cnt[pops[i]].n;
        sc[i].k = cnt[pops[i]].k;
    }
    if (stats_stratified(sc, np, c, &g->strat, &e) != CA_OK) {
        if (!proportional(m))
            g->note = "a stratum has a single file sampled: no stratified "
                      "estimate";
        goto out;
    }
    g->has_strat = true;
    if (!proportional(m)) {
        /* the pooled rate weights the strata unequally: the estimate is
         * the figure, and its Korn-Graubard bounds the verdict */
        g->strat_headline = true;
        g->verdict = stats_stratified_verdict(&g->strat, tol);
        g->indicative = g->strat.indicative;
        g->note = "allocation is not proportional: the figure is the "
                  "stratified estimate (weights N_h/N), and the verdict "
                  "that of its Korn-Graubard bounds";
    } else {
        /* as for the category groups: never stronger than the stratified
         * bounds */
        g->verdict = stats_verdict_both(
            g->verdict, stats_stratified_verdict(&g->strat, tol));
    }
out:
    free(sc);
}

/* One test's counts: per population group of its sample (cnt), and per
 * force, report_by field and value (vc). */
struct tally {
    struct tcount *cnt;
    struct vcount *vc;
    size_t nvc, vcalloc;
};

/* Count counted file r (of population group pop) under each of the
 * test's report_by fields; -1 out of memory. */
static int tally_values(struct summary *s, const struct report_test *t,
                        const struct sampleinfo *m,
                        const struct report_tfile *r, uint32_t pop,
                        struct tally *ty)
{
    char part[600];
    size_t j;
    int rc = -1;

    for (j = 0; j < t->nreport_by; j++) {
        const char *field = t->report_by[j], *val = NULL;
        size_t k, si;
        struct vcount *v = NULL;

        for (si = 0; si < m->nstrata; si++)
            if (strcmp(m->strata[si], field) == 0)
                break;
        if (si < m->nstrata) {
            label_part(m->pop[pop].stratum, si, part, sizeof(part));
            val = part;
        } else {
            val = r->by && r->by[j] ? r->by[j] : "(none)";
        }
        for (k = 0; k < ty->nvc; k++)
            if (ty->vc[k].field == j &&
                strcmp(ty->vc[k].force, m->pop[pop].force) == 0 &&
                strcmp(ty->vc[k].value, val) == 0)
                v = &ty->vc[k];
        if (!v) {
            if (ty->nvc == ty->vcalloc) {
                size_t na = ty->vcalloc ? ty->vcalloc * 2 : 16;
                struct vcount *nv = realloc(ty->vc, na * sizeof(*nv));

                if (!nv)
                    goto out;
                ty->vc = nv;
                ty->vcalloc = na;
            }
            v = &ty->vc[ty->nvc++];
            memset(v, 0, sizeof(*v));
            v->force = m->pop[pop].force;
            if (!(v->value = summary_strdup(s, val)))
                goto out;
            v->field = j;
        }
        v->n++;
        v->k += r->verdict != V_PASS;
    }
    rc = 0;
out:
    return rc;
}

/* Count the drawn files of sample m and the file rows of test ti. */
static enum ca_status tally_files(struct summary *s,
                                  const struct summary_opts *o, uint32_t ti,
                                  const struct sampleinfo *m, struct tally *ty,
                                  struct ca_error *err)
{
    const struct report_test *t = &o->tests[ti];
    struct tcount *cnt = ty->cnt;
    enum ca_status st = CA_OK;
    size_t i;

    for (i = 0; i < m->nselected; i++) {
        uint32_t pop;
        bool spare;

        if (sampleinfo_lookup(m, m->selected[i], &pop, &spare))
            cnt[pop].drawn++;
    }
    for (i = 0; i < o->ntfiles; i++) {
        const struct report_tfile *r = &o->tfiles[i];
        uint32_t pop;
        bool spare;

        if (r->test != ti)
            continue;
        if (!sampleinfo_lookup(m, r->id, &pop, &spare)) {
            st = ca_error_set(err, CA_DATA, m->path, 0, "id",
                              "test '%s': file '%s' was not drawn for "
                              "sample '%s'",
                              t->id, r->id, m->name);
            goto out;
        }
        if (r->use == TFU_NA) {
            /* out of the test: not in n, and no longer a drawn file
             * without a verdict */
            cnt[pop].na++;
            if (!spare && cnt[pop].drawn)
                cnt[pop].drawn--;
            continue;
        }
        if (r->use != TFU_COUNTED)
            continue;
        cnt[pop].n++;
        cnt[pop].k += r->verdict != V_PASS;
        if (tally_values(s, t, m, r, pop, ty) != 0) {
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            goto out;
        }
    }
out:
    return st;
}

/* The breakdown groups of one force (population groups pops[0..np) of
 * m), by field then value; -1 out of memory. */
static int force_breakdowns(struct summary *s, const struct summary_opts *o,
                            const struct report_test *t,
                            const struct sampleinfo *m, const char *force,
                            const uint32_t *pops, size_t np,
                            const struct tally *ty, size_t *balloc)
{
    const struct tcount *cnt = ty->cnt;
    char part[600];
    size_t i, j;
    int rc = -1;

    for (j = 0; j < t->nreport_by; j++) {
        size_t si, k2;

        for (si = 0; si < m->nstrata; si++)
            if (strcmp(m->strata[si], t->report_by[j]) == 0)
                break;
        for (k2 = 0; k2 < ty->nvc; k2++) {
            const struct vcount *v = &ty->vc[k2];
            uint64_t vN = 0, vdrawn = 0;
            bool known = si < m->nstrata;

            if (m->census) {
                /* every file of the frame checked: of each value too */
                vN = vdrawn = v->n;
            }
            struct sgroup *b;

            if (v->field != j || strcmp(v->force, force) != 0)
                continue;
            for (i = 0; known && !m->census && i < np; i++) {
                label_part(m->pop[pops[i]].stratum, si, part, sizeof(part));
                if (strcmp(part, v->value) == 0) {
                    vN += m->pop[pops[i]].N;
                    vdrawn += cnt[pops[i]].drawn;
                }
            }
            if (!(b = push(&s->tb, &s->ntb, balloc)))
                goto out;
            if (m->census)
                known = true;
            fill(b, t, m, force, known ? vN : SUMMARY_UNKNOWN, v->n, v->k,
                 known && v->n == vdrawn, o->confidence, o->tolerable);
            if (!known)
                b->note = "not a stratification field: N of the value "
                          "unknown, binomial bounds";
            b->by_field = t->report_by[j];
            b->by_value = v->value;
        }
    }
    rc = 0;
out:
    return rc;
}

/* The group of one force (population groups pops[0..np) of m, with the
 * totals given) and, for a stratified sample, of each of its strata; -1
 * out of memory.  N: the force's population. */
static int force_groups(struct summary *s, const struct summary_opts *o,
                        const struct report_test *t, const struct sampleinfo *m,
                        const char *force, const uint32_t *pops, size_t np,
                        uint64_t N, const struct tcount *tot,
                        const struct tally *ty, size_t *galloc)
{
    const struct tcount *cnt = ty->cnt;
    struct sgroup *g;
    size_t i;
    int rc = -1;

    if (!(g = push(&s->tg, &s->ntg, galloc)))
        goto out;
    fill(g, t, m, force, N, tot->n, tot->k,
         tot->n == tot->drawn && tot->na == 0, o->confidence, o->tolerable);
    if (tot->n == 0)
        g->note = "no file of this force was checked";
    else if (tot->na)
        g->note = "reviewers found the test does not apply to some "
                  "drawn files (n/a): they are out of n, and the "
                  "frame's N overstates the population, so binomial "
                  "bounds";
    else if (tot->n != tot->drawn)
        g->note = "some drawn files have no verdict: N of the group "
                  "unknown, binomial bounds";
    if (sampleinfo_stratified(m))
        stratified(g, m, pops, np, cnt, o->confidence, o->tolerable);
    for (i = 0; sampleinfo_stratified(m) && i < np; i++) {
        const struct tcount *c = &cnt[pops[i]];
        struct sgroup *h = push(&s->tg, &s->ntg, galloc);

        if (!h)
            goto out;
        fill(h, t, m, force, m->pop[pops[i]].N, c->n, c->k,
             c->n == c->drawn && c->na == 0, o->confidence, o->tolerable);
        h->stratum = m->pop[pops[i]].stratum;
        if (c->n == 0)
            h->note = "no file of this stratum was checked";
    }
    rc = 0;
out:
    return rc;
}

static enum ca_status one_test(struct summary *s, const struct summary_opts *o,
                               uint32_t ti, size_t *galloc, size_t *balloc,
                               struct ca_error *err)
{
    const struct report_test *t = &o->tests[ti];
    const struct sampleinfo *m = find_sample(o, t->sample);
    struct tally ty;
    uint32_t *pops = NULL;
    size_t f0;
    enum ca_status st = CA_OK;

    memset(&ty, 0, sizeof(ty));
    if (!m)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "test '%s' was asked of sample '%s', but no "
                            "manifest of that sample was given",
                            t->id, t->sample);
    ty.cnt = calloc(m->npop + 1, sizeof(*ty.cnt));
    pops = calloc(m->npop + 1, sizeof(*pops));
    if (!ty.cnt || !pops)
        goto nomem;
    st = tally_files(s, o, ti, m, &ty, err);
    if (st != CA_OK)
        goto out;

    /* per force: the population's groups are sorted by force */
    for (f0 = 0; f0 < m->npop;) {
        const char *force = m->pop[f0].force;
        struct tcount tot;
        uint64_t N = 0;
        size_t np = 0, f1;

        memset(&tot, 0, sizeof(tot));
        for (f1 = f0; f1 < m->npop && strcmp(m->pop[f1].force, force) == 0;
             f1++) {
            pops[np++] = (uint32_t)f1;
            N += m->pop[f1].N;
            tot.n += ty.cnt[f1].n;
            tot.k += ty.cnt[f1].k;
            tot.drawn += ty.cnt[f1].drawn;
            tot.na += ty.cnt[f1].na;
        }
        if (!skipped(o, ti, force) &&
            (force_groups(s, o, t, m, force, pops, np, N, &tot, &ty, galloc) !=
                 0 ||
             force_breakdowns(s, o, t, m, force, pops, np, &ty, balloc) != 0))
            goto nomem;
        f0 = f1;
    }
    goto out;
nomem:
    st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
out:
    free(ty.cnt);
    free(pops);
    free(ty.vc);
    return st;
}

static int cmp_value(const void *a, const void *b)
{
    const struct sgroup *x = a, *y = b;
    int r;

    /* within one test and force (the order they were made in), by field
     * in report_by order (kept: the sort is only among equal fields) and
     * value */
    if (x->test != y->test || strcmp(x->force, y->force) != 0 ||
        x->by_field != y->by_field)
        return 0;
    r = strcmp(x->by_value, y->by_value);
    return r;
}

/* Sort each run of breakdowns of one test, force and field by value
 * (insertion sort: the runs are short). */
static void sort_runs(struct sgroup *v, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++)
        for (j = i; j > 0 && cmp_value(&v[j - 1], &v[j]) > 0; j--) {
            struct sgroup t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

enum ca_status summary_tests(struct summary *s, const struct summary_opts *o,
                             struct ca_error *err)
{
    size_t galloc = 0, balloc = 0;
    uint32_t ti;
    enum ca_status st;

    for (ti = 0; ti < o->ntests; ti++) {
        if (o->tests[ti].not_run || !o->tests[ti].sample)
            continue;
        st = one_test(s, o, ti, &galloc, &balloc, err);
        if (st != CA_OK)
            return st;
    }
    sort_runs(s->tb, s->ntb);
    return CA_OK;
}
