/* SPDX-License-Identifier: MIT */
/*
 * What every report writer shares: the formatting of figures, the one
 * order of the failing files, and the lookups of an audit programme's
 * tests, samples, counts and evidence.  See common.h.
 */
#include "report/common.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- formatting ---------------------------------------------------------- */

const char *report_pct(double v, char out[16])
{
    if (isnan(v))
        snprintf(out, 16, "-");
    else if (v <= 0.0)
        snprintf(out, 16, "0%%");
    else if (v >= 1.0)
        snprintf(out, 16, "100%%");
    else if (v < 0.001)
        snprintf(out, 16, "%.2f%%", v * 100.0);
    else
        snprintf(out, 16, "%.1f%%", v * 100.0);
    return out;
}

size_t report_bayes_groups(const struct report *r, const struct sgroup ***v)
{
    const struct summary *s = r->s;
    const struct sgroup *set = r->programme ? s->tg : s->g;
    size_t nset = r->programme ? s->ntg : s->ng, i, n = 0;

    *v = calloc(nset ? nset : 1, sizeof(**v));
    if (!*v)
        return (size_t)-1;
    for (i = 0; s->has_prior && i < nset; i++)
        if (!set[i].stratum && !set[i].by_field)
            (*v)[n++] = &set[i];
    return n;
}

const char *report_bf_text(double bf, char *out, size_t size)
{
    if (isnan(bf))
        snprintf(out, size, "-");
    else if (isinf(bf))
        snprintf(out, size, "infinite");
    else
        snprintf(out, size, "%.4g", bf);
    return out;
}

void report_bayes_intro(const struct report *r, char *out, size_t size)
{
    const struct summary *s = r->s;
    char pd[160], t[16];

    snprintf(out, size,
             "Prior %s. Each sampled group's deviation rate under this "
             "prior after its sample: the posterior mode, the %g%% credible "
             "upper bound (beta posterior: binomial likelihood), the posterior "
             "probability that the rate is below "
             "%s, and the Bayes factor for that statement (posterior odds "
             "over prior odds: above 1 the sample supports it). The "
             "Bayesian verdict is compliant when that probability is at "
             "least %g%%, not compliant when the probability of a rate above "
             "%s is, else inconclusive. It is shown beside the verdicts "
             "above, which it does not change; where every file was checked "
             "the rate is exact and there is nothing to weigh.",
             stats_prior_describe(&s->prior, pd, sizeof(pd)),
             s->confidence * 100.0, report_pct(s->tolerable, t),
             s->confidence * 100.0, t);
}

bool report_has_interval(const struct sgroup *g)
{
    /* every file of the population checked: the rate is exact */
    if (g->n_exact && g->n > 0 && g->N == g->n)
        return false;
    return !g->census && !isnan(g->cp.lo);
}

const char *report_n_of_N(const struct sgroup *g, char *out, size_t size)
{
    if (g->N == SUMMARY_UNKNOWN)
        snprintf(out, size, "%" PRIu64 " of ?", g->n);
    else if (g->census || g->n == g->N)
        snprintf(out, size, "all %" PRIu64, g->n);
    else
        snprintf(out, size, "%" PRIu64 " of %" PRIu64, g->n, g->N);
    return out;
}

bool report_is_stratum_of(const struct sgroup *h, const struct sgroup *g)
{
    return h->stratum && strcmp(h->force, g->force) == 0 &&
           strcmp(h->type, g->type) == 0 && strcmp(h->sample, g->sample) == 0 &&
           strcmp(h->category, "all") == 0;
}

const struct finding *report_next_failing(const struct findings *fs,
                                          size_t *rec, uint32_t *f)
{
    for (; *rec < fs->nrecs; (*rec)++, *f = FINDING_NONE) {
        *f = *f == FINDING_NONE ? fs->recs[*rec].head : fs->f[*f].next;
        for (; *f != FINDING_NONE; *f = fs->f[*f].next)
            if (fs->f[*f].verdict != V_PASS)
                return &fs->f[*f];
    }
    return NULL;
}

const char *report_path_shown(const struct report *r, const char *path,
                              char *buf, size_t size)
{
    size_t n;

    if (!r->dir_written || !r->dir_shown || !path)
        return path;
    n = strlen(r->dir_written);
    if (strncmp(path, r->dir_written, n) != 0 ||
        (path[n] != '/' && path[n] != '\0'))
        return path;
    snprintf(buf, size, "%s%s", r->dir_shown, path + n);
    return buf;
}

void report_sampling_statement(const struct report *r, const struct stype *t,
                               char *out, size_t size)
{
    const struct sampleinfo *m = t->m;
    uint64_t N = 0;
    size_t i, off = 0;
    char shown[4096];
    int n;

    if (!m) {
        snprintf(out, size,
                 "Whole population checked: %" PRIu64 " %s files, no "
                 "sampling (no manifest given), so the rates are exact and "
                 "carry no sampling interval.",
                 t->checked, t->type);
        return;
    }
    for (i = 0; i < m->npop; i++)
        N += m->pop[i].N;
#define APPEND(...)                                                            \
    do {                                                                       \
        n = snprintf(out + off, size - off, __VA_ARGS__);                      \
        if (n < 0 || (size_t)n >= size - off)                                  \
            return;                                                            \
        off += (size_t)n;                                                      \
    } while (0)
    APPEND("%zu %s files drawn from %" PRIu64 " by method %s, seed %s",
           m->nselected, m->type, N, m->method, m->seed ? m->seed : "(none)");
    if (m->per_force)
        APPEND(", separately for each force");
    if (m->nstrata) {
        APPEND(", stratified by ");
        for (i = 0; i < m->nstrata; i++)
            APPEND("%s%s", i ? ", " : "", m->strata[i]);
        if (m->allocation)
            APPEND(" (%s allocation)", m->allocation);
    }
    APPEND("; manifest %s SHA-256 %s.",
           report_path_shown(r, m->path, shown, sizeof(shown)), m->sha256);
#undef APPEND
}

/* --- tests ------------------------------------------------------------------ */

void report_pass_figure(const struct sgroup *g, struct report_pass *out)
{
    memset(out, 0, sizeof(*out));
    if (g->strat_headline) {
        out->rate = 1.0 - g->strat.estimate;
        out->lo = 1.0 - g->strat.ci.hi;
        out->hi = 1.0 - g->strat.ci.lo;
        out->has_ci = true;
        out->stratified = true;
        return;
    }
    out->rate = isnan(g->rate) ? NAN : 1.0 - g->rate;
    out->has_ci = report_has_interval(g) && !isnan(g->cp.lo);
    out->lo = out->has_ci ? 1.0 - g->cp.hi : NAN;
    out->hi = out->has_ci ? 1.0 - g->cp.lo : NAN;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **report_forces(const struct report *r, size_t *n)
{
    const struct summary *s = r->s;
    size_t cap = s->ng + s->ntg + r->ntskips + 1, k = 0, i, j;
    const char **v = calloc(cap, sizeof(*v));

    *n = 0;
    if (!v)
        return NULL;
    for (i = 0; i < s->ntg; i++)
        v[k++] = s->tg[i].force;
    for (i = 0; i < s->ng; i++)
        v[k++] = s->g[i].force;
    for (i = 0; i < r->ntskips; i++)
        v[k++] = r->tskips[i].force;
    qsort(v, k, sizeof(*v), cmp_cstr);
    for (i = j = 0; i < k; i++)
        if (j == 0 || strcmp(v[j - 1], v[i]) != 0)
            v[j++] = v[i];
    *n = j;
    return v;
}

const struct sgroup *report_test_group(const struct report *r, const char *test,
                                       const char *force)
{
    size_t i;

    for (i = 0; i < r->s->ntg; i++)
        if (!r->s->tg[i].stratum && strcmp(r->s->tg[i].test, test) == 0 &&
            strcmp(r->s->tg[i].force, force) == 0)
            return &r->s->tg[i];
    return NULL;
}

const char *report_test_skip(const struct report *r, size_t t,
                             const char *force)
{
    size_t i;

    for (i = 0; i < r->ntskips; i++)
        if (r->tskips[i].test == t && strcmp(r->tskips[i].force, force) == 0)
            return r->tskips[i].why;
    return NULL;
}

const struct sampleinfo *report_sample(const struct report *r, const char *name)
{
    size_t i;

    for (i = 0; name && i < r->nm; i++)
        if (strcmp(r->m[i].name, name) == 0)
            return &r->m[i];
    return NULL;
}

const char *report_file_stratum(const struct report *r,
                                const struct report_test *t, const char *id)
{
    const struct sampleinfo *m = report_sample(r, t->sample);
    uint32_t pop;
    bool spare;

    if (!m || !sampleinfo_stratified(m) ||
        !sampleinfo_lookup(m, id, &pop, &spare))
        return NULL;
    return m->pop[pop].stratum;
}

const struct reconcile_force *report_reconcile_force(const struct report *r,
                                                     const char *force)
{
    size_t i;

    for (i = 0; r->reconcile && i < r->reconcile->n; i++)
        if (strcmp(r->reconcile->f[i].force, force) == 0)
            return &r->reconcile->f[i];
    return NULL;
}

int report_count_value(const struct report *r, const struct report_count *c,
                       const char *force, uint64_t *v, uint64_t *of)
{
    const struct reconcile_force *rf = report_reconcile_force(r, force);
    bool named = strcmp(c->name, "named-suspects-outstanding") == 0;
    size_t i;

    *v = *of = 0;
    if (c->not_counted)
        return -1;
    if (rf)
        *of = named ? rf->named_suspects : rf->bail;
    if (c->sample) {
        const struct sampleinfo *m = report_sample(r, c->sample);

        if (!m)
            return -1;
        for (i = 0; i < m->npop; i++)
            if (strcmp(m->pop[i].force, force) == 0)
                *v += m->pop[i].N;
        return 0;
    }
    if (!rf)
        return -1;
    *v = named ? rf->suspects_not_arrested : rf->failed_to_answer;
    return 0;
}

const struct evidence *report_test_evidence(const struct report *r,
                                            const struct report_test *t,
                                            const char *id, const char *rule_id)
{
    uint32_t rec, f;

    if (!t->sample ||
        !findings_find_sample_record(r->fs, t->sample, t->type, id, &rec) ||
        !findings_find(r->fs, rec, rule_id, &f) ||
        r->fs->f[f].ev == FINDING_NONE)
        return NULL;
    return &r->fs->ev[r->fs->f[f].ev];
}

const char *report_bounds_name(const struct sgroup *g)
{
    if (g->census)
        return "exact";
    return g->n_exact && g->N != SUMMARY_UNKNOWN ? "hypergeometric"
                                                 : "binomial";
}
