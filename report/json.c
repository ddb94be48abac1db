/* SPDX-License-Identifier: MIT */
/*
 * summary.json, and the row accounting of an inventory read back for the
 * report; see json.h.
 */
#include "report/json.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/rowcount.h"
#include "report/text.h"

/* --- inventory ----------------------------------------------------------- */

int report_inventory_parse(const char *text, struct inventory_summary *out)
{
    json_t *root, *v, *it;
    const char *k;

    memset(out, 0, sizeof(*out));
    root = json_loads(text, 0, NULL);
    if (!json_is_object(root) ||
        !json_is_integer(json_object_get(root, "rows_read")) ||
        !json_is_integer(json_object_get(root, "rows_accepted")) ||
        !json_is_integer(json_object_get(root, "rows_rejected"))) {
        json_decref(root);
        return -1;
    }
    out->rows_read =
        (uint64_t)json_integer_value(json_object_get(root, "rows_read"));
    out->rows_accepted =
        (uint64_t)json_integer_value(json_object_get(root, "rows_accepted"));
    out->rows_rejected =
        (uint64_t)json_integer_value(json_object_get(root, "rows_rejected"));
    v = json_object_get(root, "rejected_by_reason");
    if (json_is_object(v) && json_object_size(v)) {
        out->rej = calloc(json_object_size(v), sizeof(*out->rej));
        if (!out->rej) {
            json_decref(root);
            return -1;
        }
        json_object_foreach(v, k, it)
        {
            if (!json_is_integer(it))
                continue;
            out->rej[out->nrej].reason = strdup(k);
            if (!out->rej[out->nrej].reason)
                break;
            out->rej[out->nrej++].n = (uint64_t)json_integer_value(it);
        }
    }
    json_decref(root);
    return 0;
}

void report_inventory_release(struct inventory_summary *s)
{
    size_t i;

    for (i = 0; i < s->nrej; i++)
        free(s->rej[i].reason);
    free(s->rej);
    memset(s, 0, sizeof(*s));
}

/* --- summary.json -------------------------------------------------------- */

static json_t *jreal(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *jpair(struct interval iv)
{
    if (isnan(iv.lo) || isnan(iv.hi))
        return json_null();
    return json_pack("[o,o]", json_real(iv.lo), json_real(iv.hi));
}

static json_t *ju64(uint64_t v)
{
    return v == SUMMARY_UNKNOWN ? json_null() : json_integer((json_int_t)v);
}

/* A JSON string from data that may hold invalid UTF-8 (replaced by
 * U+FFFD); null for NULL. */
static json_t *jstr(const char *s)
{
    char *c;
    json_t *j;

    if (!s)
        return json_null();
    c = text_utf8_clean(s);
    if (!c)
        return json_null();
    j = json_string(c);
    free(c);
    return j ? j : json_null();
}

/* A number, or null when it is not finite (JSON has no infinity). */
static json_t *jfinite(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* A group's Bayesian evaluation (summary_bayes), in the keys of
 * `evaluate --prior --json`: the posterior and its bounds, the
 * probabilities of a rate below T, the Bayes factor and the verdict. */
static json_t *bayes_json(const struct sgroup *g)
{
    const struct stats_bayes *b = &g->bayes;
    json_t *post = json_object(), *o = json_object();

    json_object_set_new(post, "a", json_real(b->post_a));
    json_object_set_new(post, "b", json_real(b->post_b));
    json_object_set_new(post, "mode", jfinite(b->mode));
    json_object_set_new(post, "upper", json_real(b->upper));
    json_object_set_new(post, "upper_deviations",
                        b->N ? json_integer((json_int_t)b->upper_dev)
                             : json_null());
    json_object_set_new(post, "below", json_real(b->p_below));
    json_object_set_new(post, "above", json_real(b->p_above));
    json_object_set_new(o, "population",
                        b->N ? json_integer((json_int_t)b->N) : json_null());
    json_object_set_new(o, "prior_below", json_real(b->prior_below));
    json_object_set_new(o, "posterior", post);
    json_object_set_new(o, "bayes_factor", jfinite(b->bayes_factor));
    json_object_set_new(o, "verdict", jstr(stats_verdict_name(b->verdict)));
    json_object_set_new(
        o, "verdict_basis",
        jstr(b->N ? "beta-binomial posterior" : "beta posterior"));
    return o;
}

static json_t *group_json(const struct sgroup *g, bool prior)
{
    json_t *o = json_object();

    json_object_set_new(o, "force", jstr(g->force));
    if (g->test)
        json_object_set_new(o, "test", jstr(g->test));
    json_object_set_new(o, "type", jstr(g->type));
    if (!g->test)
        json_object_set_new(o, "category", jstr(g->category));
    json_object_set_new(o, "sample", jstr(g->sample));
    if (g->by_field) {
        json_object_set_new(o, "field", jstr(g->by_field));
        json_object_set_new(o, "value", jstr(g->by_value));
    } else {
        json_object_set_new(o, "stratum", jstr(g->stratum));
    }
    json_object_set_new(o, "N", ju64(g->N));
    json_object_set_new(o, "n", json_integer((json_int_t)g->n));
    json_object_set_new(o, "deviations", json_integer((json_int_t)g->k));
    json_object_set_new(o, "rate", jreal(g->rate));
    if (g->test)
        json_object_set_new(o, "pass_rate",
                            jreal(isnan(g->rate) ? NAN : 1.0 - g->rate));
    json_object_set_new(o, "clopper_pearson", jpair(g->cp));
    json_object_set_new(o, "wilson", jpair(g->wilson));
    json_object_set_new(o, "upper_one_sided", jreal(g->upper));
    json_object_set_new(o, "lower_one_sided", jreal(g->lower));
    json_object_set_new(o, "upper_deviations", ju64(g->upper_dev));
    json_object_set_new(o, "bounds", jstr(report_bounds_name(g)));
    json_object_set_new(o, "verdict", jstr(stats_verdict_name(g->verdict)));
    json_object_set_new(o, "indicative", json_boolean(g->indicative));
    json_object_set_new(o, "census", json_boolean(g->census));
    if (!g->by_field) {
        if (g->has_strat)
            json_object_set_new(o, "stratified",
                                json_pack("{s:o,s:o,s:o}", "estimate",
                                          json_real(g->strat.estimate), "se",
                                          json_real(g->strat.se), "ci",
                                          jpair(g->strat.ci)));
        else
            json_object_set_new(o, "stratified", json_null());
    }
    if (g->test)
        json_object_set_new(o, "stratified_headline",
                            json_boolean(g->strat_headline));
    json_object_set_new(o, "note", jstr(g->note));
    if (prior)
        json_object_set_new(o, "bayes",
                            g->has_bayes ? bayes_json(g) : json_null());
    return o;
}

/* The i-th rejection reason of a manifest (rowcount_reason_at). */
static const char *sample_reason_at(const void *list, size_t i, uint64_t *n)
{
    const struct sreject *rej = list;

    *n = rej[i].n;
    return rej[i].reason;
}

static json_t *sample_json(const struct report *r, const struct stype *t)
{
    struct rowcount_named rc;
    const struct sampleinfo *m = t->m;
    json_t *o = json_object(), *a;
    char stmt[2048], shown[4096];
    uint64_t N = 0, n = 0;
    size_t i;

    report_sampling_statement(r, t, stmt, sizeof(stmt));
    json_object_set_new(o, "type", jstr(t->type));
    json_object_set_new(o, "sample", jstr(t->sample));
    json_object_set_new(o, "census", json_boolean(m == NULL));
    json_object_set_new(o, "statement", jstr(stmt));
    json_object_set_new(o, "checked", json_integer((json_int_t)t->checked));
    if (!m)
        return o;
    for (i = 0; i < m->npop; i++) {
        N += m->pop[i].N;
        n += m->pop[i].n;
    }
    json_object_set_new(
        o, "manifest",
        jstr(report_path_shown(r, m->path, shown, sizeof(shown))));
    if (m->programme) {
        json_t *tests = json_array();

        for (i = 0; i < m->ntests; i++)
            json_array_append_new(tests, jstr(m->tests[i]));
        json_object_set_new(o, "frame",
                            json_pack("{s:o,s:o,s:o}", "programme",
                                      jstr(m->programme), "tests", tests,
                                      "conditions", jstr(m->conditions)));
    } else {
        json_object_set_new(o, "frame", json_null());
    }
    json_object_set_new(o, "manifest_sha256", jstr(m->sha256));
    json_object_set_new(o, "method", jstr(m->method));
    json_object_set_new(o, "seed", jstr(m->seed));
    json_object_set_new(o, "per_force", json_boolean(m->per_force));
    a = json_array();
    for (i = 0; i < m->nstrata; i++)
        json_array_append_new(a, jstr(m->strata[i]));
    json_object_set_new(o, "strata", a);
    json_object_set_new(o, "allocation", jstr(m->allocation));
    json_object_set_new(o, "N", json_integer((json_int_t)N));
    json_object_set_new(o, "n_planned", json_integer((json_int_t)n));
    json_object_set_new(o, "n_selected",
                        json_integer((json_int_t)m->nselected));
    json_object_set_new(o, "spares_used",
                        json_integer((json_int_t)t->spares_used));
    a = json_array();
    for (i = 0; i < t->nunchecked; i++)
        json_array_append_new(a, jstr(t->unchecked[i]));
    json_object_set_new(o, "selected_without_findings", a);
    rc.rows_read = m->rows_read;
    rc.rows_accepted = m->rows_accepted;
    rc.rows_rejected = m->rows_rejected;
    rc.rows_excluded = &m->rows_excluded;
    rc.reasons = m->rej;
    rc.nreasons = m->nrej;
    rc.at = sample_reason_at;
    (void)ingest_rowcount_json_add_named(o, &rc);
    return o;
}

static json_t *failing_json(const struct report *r)
{
    const struct findings *fs = r->fs;
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < fs->nrecs; i++) {
        const struct frecord *rec = &fs->recs[i];
        json_t *fa = NULL, *o;
        uint32_t f;

        for (f = rec->head; f != FINDING_NONE; f = fs->f[f].next) {
            const struct finding *fi = &fs->f[f];
            json_t *x;

            if (fi->verdict == V_PASS)
                continue; /* overturned to pass: listed under overrides */
            if (!fa)
                fa = json_array();
            x = json_object();
            json_object_set_new(x, "rule_id", jstr(fs->rules[fi->rule].id));
            json_object_set_new(
                x, "category",
                jstr(fs->categories.v[fs->rules[fi->rule].category]));
            json_object_set_new(
                x, "verdict",
                jstr(findings_verdict_name((enum verdict)fi->verdict)));
            if (fi->ev != FINDING_NONE) {
                const struct evidence *e = &fs->ev[fi->ev];

                json_object_set_new(x, "message", jstr(e->message));
                json_object_set_new(x, "entry_at", jstr(e->entry_at));
                json_object_set_new(x, "excerpt", jstr(e->excerpt));
            } else {
                json_object_set_new(x, "message", json_null());
                json_object_set_new(x, "entry_at", json_null());
                json_object_set_new(x, "excerpt", json_null());
            }
            if (fi->ovr != FINDING_NONE) {
                const struct override *ov = &fs->ovr[fi->ovr];

                json_t *oj = json_object();

                json_object_set_new(oj, "reviewer", jstr(ov->reviewer));
                json_object_set_new(oj, "reason", jstr(ov->reason));
                json_object_set_new(x, "override", oj);
            }
            json_array_append_new(fa, x);
        }
        if (!fa)
            continue;
        o = json_object();
        json_object_set_new(o, "force", jstr(r->s->rec_force[i]));
        json_object_set_new(o, "type", jstr(fs->types.v[rec->type]));
        json_object_set_new(o, "sample", jstr(fs->samples.v[rec->sample]));
        json_object_set_new(o, "id", jstr(rec->id));
        json_object_set_new(o, "stratum", jstr(r->s->rec_stratum[i]));
        json_object_set_new(o, "findings", fa);
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *programme_json(const struct report *r)
{
    const struct report_programme *p = r->programme;
    json_t *o, *a;
    size_t i;

    if (!p)
        return json_null();
    o = json_object();
    a = json_array();
    for (i = 0; i < p->nrefs; i++)
        json_array_append_new(a, jstr(p->refs[i]));
    json_object_set_new(o, "id", jstr(p->id));
    json_object_set_new(o, "title", jstr(p->title));
    json_object_set_new(o, "description", jstr(p->description));
    json_object_set_new(o, "file", jstr(p->path));
    json_object_set_new(o, "sha256", jstr(p->sha256));
    json_object_set_new(o, "references", a);
    json_object_set_new(o, "census", json_boolean(p->census));
    return o;
}

static json_t *test_json(const struct report *r, size_t t)
{
    const struct report_test *rt = &r->tests[t];
    json_t *o = json_object(), *a;
    size_t i;

    json_object_set_new(o, "id", jstr(rt->id));
    json_object_set_new(o, "title", jstr(rt->title));
    json_object_set_new(o, "question", jstr(rt->question));
    json_object_set_new(o, "type", jstr(rt->type));
    json_object_set_new(o, "sample", jstr(rt->sample));
    json_object_set_new(o, "frame", jstr(rt->frame));
    json_object_set_new(o, "conditions", jstr(rt->conditions));
    a = json_array();
    for (i = 0; i < rt->nrules; i++)
        json_array_append_new(a, jstr(rt->rules[i]));
    json_object_set_new(o, "rules", a);
    a = json_array();
    for (i = 0; i < rt->nreport_by; i++)
        json_array_append_new(a, jstr(rt->report_by[i]));
    json_object_set_new(o, "report_by", a);
    json_object_set_new(o, "not_run", jstr(rt->not_run));
    a = json_array();
    for (i = 0; i < r->ntskips; i++)
        if (r->tskips[i].test == t)
            json_array_append_new(a, json_pack("{s:o,s:o}", "force",
                                               jstr(r->tskips[i].force), "why",
                                               jstr(r->tskips[i].why)));
    json_object_set_new(o, "not_run_for", a);
    return o;
}

static json_t *count_json(const struct report *r, const struct report_count *c)
{
    json_t *o = json_object(), *a = json_array();
    size_t nforces = 0, f;
    const char **forces = report_forces(r, &nforces);

    json_object_set_new(o, "name", jstr(c->name));
    json_object_set_new(o, "test", jstr(c->test));
    json_object_set_new(o, "sample", jstr(c->sample));
    json_object_set_new(o, "not_counted", jstr(c->not_counted));
    for (f = 0; f < nforces && !c->not_counted; f++) {
        const struct reconcile_force *rf = report_reconcile_force(r, forces[f]);
        json_t *x = json_object();
        uint64_t v, of;

        json_object_set_new(x, "force", jstr(forces[f]));
        if (strcmp(c->name, "recording-route") == 0) {
            if (!rf) {
                json_decref(x);
                continue;
            }
            json_object_set_new(x, "crimes", ju64(rf->crimes));
            json_object_set_new(x, "via_incident", ju64(rf->via_incident));
            json_object_set_new(x, "via_incident_attended",
                                ju64(rf->via_incident_attended));
            json_object_set_new(x, "direct", ju64(rf->direct_recorded));
            json_object_set_new(x, "direct_attended",
                                ju64(rf->direct_attended));
        } else if (report_count_value(r, c, forces[f], &v, &of) == 0) {
            json_object_set_new(x, "count", ju64(v));
            json_object_set_new(x, "of", rf ? ju64(of) : json_null());
        } else {
            json_decref(x);
            continue;
        }
        json_array_append_new(a, x);
    }
    free(forces);
    json_object_set_new(o, "forces", a);
    return o;
}

/* The reviews: counts, each applied review, the substitution log and the
 * agreement per test; null when no reviews were given and no spare
 * substituted. */
static json_t *reviews_json(const struct report *r)
{
    const struct reviews *rv = r->reviews;
    json_t *o, *a, *x;
    size_t i, k;

    if (!rv)
        return json_null();
    o = json_object();
    json_object_set_new(o, "file", jstr(rv->path));
    json_object_set_new(o, "sha256", rv->path ? jstr(rv->sha256) : json_null());
    json_object_set_new(o, "format", jstr(rv->format));
    json_object_set_new(o, "rows", json_integer((json_int_t)rv->n));
    json_object_set_new(o, "applied", json_integer((json_int_t)rv->applied));
    json_object_set_new(o, "not_reviewed",
                        json_integer((json_int_t)rv->not_reviewed));
    json_object_set_new(o, "ignored", json_integer((json_int_t)rv->ignored));
    json_object_set_new(o, "rejected", json_integer((json_int_t)rv->rejected));
    x = json_object();
    for (k = RV_PASS; k <= RV_UNAVAILABLE; k++)
        json_object_set_new(x, review_verdict_name((enum review_verdict)k),
                            json_integer((json_int_t)rv->by_verdict[k]));
    json_object_set_new(x, "added_finding",
                        json_integer((json_int_t)rv->added));
    json_object_set_new(o, "by_verdict", x);
    json_object_set_new(o, "spares_ignored",
                        json_integer((json_int_t)r->spares_ignored));
    a = json_array();
    for (i = 0; i < rv->n; i++) {
        const struct review *v = &rv->v[i];

        if (v->use == RU_NOT_REVIEWED)
            continue;
        x = json_object();
        json_object_set_new(x, "line", json_integer((json_int_t)v->line));
        json_object_set_new(x, "test", jstr(v->test));
        json_object_set_new(x, "id", jstr(v->id));
        json_object_set_new(x, "force", jstr(v->force));
        json_object_set_new(x, "tool_verdict",
                            jstr(findings_verdict_name(v->tool)));
        json_object_set_new(x, "review_verdict",
                            jstr(review_verdict_name(v->verdict)));
        json_object_set_new(x, "reviewer", jstr(v->reviewer));
        json_object_set_new(x, "reviewed_on",
                            v->reviewed_on[0] ? jstr(v->reviewed_on)
                                              : json_null());
        json_object_set_new(x, "note", jstr(v->note));
        json_object_set_new(x, "added_finding",
                            v->added[0] ? jstr(v->added) : json_null());
        json_object_set_new(x, "applied", json_boolean(v->use == RU_APPLIED));
        json_object_set_new(x, "why", v->why ? jstr(v->why) : json_null());
        json_array_append_new(a, x);
    }
    json_object_set_new(o, "reviewed", a);
    a = json_array();
    for (i = 0; i < rv->nsub; i++) {
        const struct substitution *u = &rv->sub[i];
        const struct review *v = u->review < rv->n ? &rv->v[u->review] : NULL;

        x = json_object();
        json_object_set_new(x, "sample", jstr(u->sample));
        json_object_set_new(x, "force", jstr(u->force));
        json_object_set_new(x, "stratum", jstr(u->stratum));
        json_object_set_new(x, "id", jstr(u->id));
        json_object_set_new(x, "rank", json_integer((json_int_t)u->rank));
        json_object_set_new(x, "spare",
                            u->spare ? jstr(u->spare) : json_null());
        json_object_set_new(x, "spare_rank",
                            u->spare ? json_integer((json_int_t)u->spare_rank)
                                     : json_null());
        json_object_set_new(x, "reason", jstr(v ? v->note : "not checked"));
        json_object_set_new(x, "reviewer", v ? jstr(v->reviewer) : json_null());
        json_array_append_new(a, x);
    }
    json_object_set_new(o, "substitutions", a);
    a = json_array();
    for (i = 0; i < rv->nag; i++) {
        const struct agreement *g = &rv->ag[i];
        json_t *d = json_array();

        x = json_object();
        json_object_set_new(x, "test", jstr(g->name));
        json_object_set_new(x, "n", json_integer((json_int_t)g->k.n));
        json_object_set_new(x, "rules_pass_reviewer_pass",
                            json_integer((json_int_t)g->tab[0]));
        json_object_set_new(x, "rules_pass_reviewer_fail",
                            json_integer((json_int_t)g->tab[1]));
        json_object_set_new(x, "rules_fail_reviewer_pass",
                            json_integer((json_int_t)g->tab[2]));
        json_object_set_new(x, "rules_fail_reviewer_fail",
                            json_integer((json_int_t)g->tab[3]));
        json_object_set_new(x, "agreement", jreal(g->k.po));
        json_object_set_new(x, "kappa", jreal(g->k.kappa));
        json_object_set_new(x, "kappa_se", jreal(g->k.se));
        {
            json_t *ci = json_array();

            json_array_append_new(ci, jreal(g->k.lo));
            json_array_append_new(ci, jreal(g->k.hi));
            json_object_set_new(x, "kappa_ci", ci);
        }
        for (k = 0; k < g->ndisagree; k++)
            json_array_append_new(d, jstr(rv->v[g->disagree[k]].id));
        json_object_set_new(x, "disagreements", d);
        json_array_append_new(a, x);
    }
    json_object_set_new(o, "agreement", a);
    return o;
}

/* The "parameters" object: confidence, tolerable, the inputs, the prior. */
static json_t *params_json(const struct report *r)
{
    const struct summary *s = r->s;
    const struct findings *fs = r->fs;
    json_t *o, *a;
    char shown[4096];
    size_t i;

    o = json_object();
    json_object_set_new(o, "confidence", json_real(s->confidence));
    json_object_set_new(o, "tolerable", json_real(s->tolerable));
    json_object_set_new(o, "indicative_below",
                        json_integer(STATS_INDICATIVE_BELOW));
    json_object_set_new(o, "error_is_deviation", json_true());
    a = json_array();
    for (i = 0; i < fs->nsrcs; i++)
        json_array_append_new(
            a, jstr(report_path_shown(r, fs->srcs[i], shown, sizeof(shown))));
    json_object_set_new(o, "findings", a);
    json_object_set_new(o, "overrides", jstr(fs->ovr_path));
    json_object_set_new(
        o, "inventory",
        jstr(report_path_shown(r, r->inventory_path, shown, sizeof(shown))));
    if (s->has_prior) {
        char pt[96], pd[160];

        json_object_set_new(
            o, "prior",
            json_pack("{s:s,s:f,s:f,s:s}", "text",
                      stats_prior_format(&s->prior, pt, sizeof(pt)), "a",
                      s->prior.a, "b", s->prior.b, "description",
                      stats_prior_describe(&s->prior, pd, sizeof(pd))));
    }
    return o;
}

enum ca_status report_write_json(const struct report *r, FILE *fp,
                                 struct ca_error *err)
{
    const struct summary *s = r->s;
    const struct findings *fs = r->fs;
    json_t *root = json_object(), *a, *o;
    size_t i;
    int rc;

    json_object_set_new(root, "tool_version", jstr(r->tool_version));
    json_object_set_new(root, "generated", jstr(r->generated));
    a = json_array();
    json_array_append_new(a, json_string("caseaudit"));
    for (i = 0; i < r->argc; i++)
        json_array_append_new(a, jstr(r->argv[i]));
    json_object_set_new(root, "command_line", a);
    json_object_set_new(root, "parameters", params_json(r));
    a = json_array();
    for (i = 0; i < r->nparams; i++) {
        json_t *pv = json_object();

        json_object_set_new(pv, "name", jstr(r->params[i].name));
        json_object_set_new(pv, "value", jstr(r->params[i].value));
        json_array_append_new(a, pv);
    }
    json_object_set_new(root, "audit_parameters", a);
    if (r->nas_of) {
        a = json_array();
        for (i = 0; i < r->nas_of; i++)
            json_array_append_new(a, json_pack("{s:o,s:o}", "force",
                                               jstr(r->as_of[i].force), "date",
                                               jstr(r->as_of[i].day)));
        json_object_set_new(root, "as_of", a);
    } else {
        json_object_set_new(root, "as_of", json_null());
    }
    json_object_set_new(root, "reconcile",
                        r->reconcile ? reconcile_json(r->reconcile)
                                     : json_null());
    a = json_array();
    for (i = 0; i < s->nt; i++)
        json_array_append_new(a, sample_json(r, &s->t[i]));
    json_object_set_new(root, "samples", a);
    a = json_array();
    for (i = 0; i < s->ng; i++)
        json_array_append_new(a, group_json(&s->g[i], s->has_prior));
    json_object_set_new(root, "groups", a);
    a = json_array();
    for (i = 0; i < s->nb; i++)
        json_array_append_new(a, group_json(&s->b[i], s->has_prior));
    json_object_set_new(root, "breakdowns", a);
    a = json_array();
    for (i = 0; i < s->nr; i++) {
        const struct srule *ru = &s->r[i];
        const struct frule *fr = &fs->rules[ru->rule];

        o = json_object();
        json_object_set_new(o, "force", jstr(ru->force));
        json_object_set_new(o, "type", jstr(ru->type));
        json_object_set_new(o, "sample", jstr(ru->sample));
        json_object_set_new(o, "rule_id", jstr(fr->id));
        json_object_set_new(o, "category",
                            jstr(fs->categories.v[fr->category]));
        json_object_set_new(o, "level", jstr(fr->level));
        json_object_set_new(o, "n", json_integer((json_int_t)ru->n));
        json_object_set_new(o, "pass", json_integer((json_int_t)ru->pass));
        json_object_set_new(o, "fail", json_integer((json_int_t)ru->fail));
        json_object_set_new(o, "error", json_integer((json_int_t)ru->error));
        json_object_set_new(o, "pass_rate", jreal(ru->pass_rate));
        json_object_set_new(o, "clopper_pearson", jpair(ru->cp));
        json_object_set_new(o, "reviewed",
                            json_integer((json_int_t)ru->reviewed));
        json_object_set_new(
            o, "overturned",
            json_integer((json_int_t)(ru->to_pass + ru->to_fail)));
        json_object_set_new(o, "overturned_to_pass",
                            json_integer((json_int_t)ru->to_pass));
        json_object_set_new(o, "overturned_to_fail",
                            json_integer((json_int_t)ru->to_fail));
        json_array_append_new(a, o);
    }
    json_object_set_new(root, "rules", a);
    a = json_array();
    for (i = 0; i < fs->novr; i++) {
        const struct override *ov = &fs->ovr[i];

        o = json_object();
        json_object_set_new(o, "id", jstr(ov->id));
        json_object_set_new(
            o, "type",
            jstr(fs->types.v[fs->recs[fs->f[ov->finding].rec].type]));
        json_object_set_new(o, "rule_id", jstr(ov->rule_id));
        json_object_set_new(
            o, "original_verdict",
            jstr(findings_verdict_name((enum verdict)ov->original)));
        json_object_set_new(
            o, "verdict",
            jstr(findings_verdict_name((enum verdict)ov->verdict)));
        json_object_set_new(o, "reviewer", jstr(ov->reviewer));
        json_object_set_new(o, "reason", jstr(ov->reason));
        json_array_append_new(a, o);
    }
    json_object_set_new(root, "overrides", a);
    json_object_set_new(root, "failing_files", failing_json(r));
    json_object_set_new(root, "programme", programme_json(r));
    a = json_array();
    for (i = 0; i < r->ntests; i++)
        json_array_append_new(a, test_json(r, i));
    json_object_set_new(root, "tests", a);
    a = json_array();
    for (i = 0; i < s->ntg; i++)
        json_array_append_new(a, group_json(&s->tg[i], s->has_prior));
    json_object_set_new(root, "test_groups", a);
    a = json_array();
    for (i = 0; i < s->ntb; i++)
        json_array_append_new(a, group_json(&s->tb[i], s->has_prior));
    json_object_set_new(root, "test_breakdowns", a);
    a = json_array();
    for (i = 0; i < r->ncounts; i++)
        json_array_append_new(a, count_json(r, &r->counts[i]));
    json_object_set_new(root, "counts", a);
    json_object_set_new(root, "reviews", reviews_json(r));
    rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    json_decref(root);
    if (rc != 0 || fputc('\n', fp) == EOF)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                            "unable to write: %s", strerror(errno));
    return CA_OK;
}
