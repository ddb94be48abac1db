/* SPDX-License-Identifier: MIT */
/*
 * The report directory and its machine-readable files (summary.json,
 * summary.csv, findings.csv, overrides.csv) and report.md; report.html is
 * in html.c.  See report.h.
 */
#include "report/report.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/text.h"
#include "util/csvw.h"
#include "util/outfile.h"

const char *const report_files[] = {
    "summary.json", "summary.csv", "findings.csv",  "files.csv",
    "report.md",    "report.html", "overrides.csv", NULL};

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
           strcmp(h->type, g->type) == 0 && strcmp(h->category, "all") == 0;
}

const struct finding *report_next_failing(const struct findings *fs,
                                          size_t *rec, uint32_t *f)
{
    for (; *rec < fs->nrecs; (*rec)++, *f = FINDING_NONE) {
        *f = *f == FINDING_NONE ? fs->recs[*rec].head : fs->f[*f].next;
        for (; *f != FINDING_NONE; *f = fs->f[*f].next)
            if (fs->f[*f].verdict != FV_PASS)
                return &fs->f[*f];
    }
    return NULL;
}

void report_sampling_statement(const struct report *r, const struct stype *t,
                               char *out, size_t size)
{
    const struct sampleinfo *m = t->m;
    uint64_t N = 0;
    size_t i, off = 0;
    int n;

    (void)r;
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
    APPEND("; manifest %s SHA-256 %s.", m->path, m->sha256);
#undef APPEND
}

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

/* --- the directory ------------------------------------------------------- */

enum ca_status report_prepare_dir(const char *dir, bool force,
                                  struct ca_error *err)
{
    struct stat sb;
    DIR *d;
    struct dirent *de;
    bool empty = true;

    if (stat(dir, &sb) != 0) {
        if (errno != ENOENT)
            return ca_error_set(err, CA_SYSTEM, dir, 0, NULL,
                                "unable to use output directory: %s",
                                strerror(errno));
        return outdir_create(dir, err);
    }
    if (!S_ISDIR(sb.st_mode))
        return ca_error_set(err, CA_USAGE, dir, 0, NULL,
                            "output path exists and is not a directory");
    d = opendir(dir);
    if (!d)
        return ca_error_set(err, CA_SYSTEM, dir, 0, NULL,
                            "unable to read output directory: %s",
                            strerror(errno));
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            empty = false;
            break;
        }
    closedir(d);
    if (!empty && !force)
        return ca_error_set(err, CA_USAGE, dir, 0, NULL,
                            "output directory is not empty (use --force to "
                            "write into it)");
    return CA_OK;
}

static enum ca_status write_one(const struct report *r, const char *dir,
                                const char *name, struct ca_error *err)
{
    struct outfile of;
    enum ca_status st;
    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= sizeof(path))
        return ca_error_set(err, CA_USAGE, dir, 0, NULL,
                            "output directory path too long");
    st = outfile_open(&of, path, err);
    if (st != CA_OK)
        return st;
    if (strcmp(name, "summary.json") == 0)
        st = report_write_json(r, of.fp, err);
    else if (strcmp(name, "summary.csv") == 0)
        report_write_summary_csv(r, of.fp);
    else if (strcmp(name, "findings.csv") == 0)
        st = findings_write_csv(r->fs, of.fp, err);
    else if (strcmp(name, "files.csv") == 0)
        report_write_files_csv(r, of.fp);
    else if (strcmp(name, "report.md") == 0)
        report_write_md(r, of.fp);
    else if (strcmp(name, "report.html") == 0)
        report_write_html(r, of.fp);
    else if (strcmp(name, "overrides.csv") == 0)
        findings_write_overrides(r->fs, of.fp);
    if (st != CA_OK) {
        outfile_abort(&of);
        return st;
    }
    return outfile_commit(&of, err);
}

enum ca_status report_write_dir(const struct report *r, const char *dir,
                                struct ca_error *err)
{
    enum ca_status st;
    size_t i;

    for (i = 0; report_files[i]; i++) {
        if ((strcmp(report_files[i], "overrides.csv") == 0 &&
             !r->fs->ovr_path) ||
            (strcmp(report_files[i], "files.csv") == 0 && !r->ntests)) {
            /* a stale one from an earlier report (--force) must not stay */
            char path[4096];

            snprintf(path, sizeof(path), "%s/%s", dir, report_files[i]);
            if (unlink(path) != 0 && errno != ENOENT)
                return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                                    "unable to remove: %s", strerror(errno));
            continue;
        }
        st = write_one(r, dir, report_files[i], err);
        if (st != CA_OK)
            return st;
    }
    return CA_OK;
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

static const char *bounds_name(const struct sgroup *g)
{
    if (g->census)
        return "exact";
    return g->n_exact && g->N != SUMMARY_UNKNOWN ? "hypergeometric"
                                                 : "binomial";
}

static json_t *group_json(const struct sgroup *g)
{
    json_t *o = json_object();

    json_object_set_new(o, "force", jstr(g->force));
    json_object_set_new(o, "type", jstr(g->type));
    json_object_set_new(o, "category", jstr(g->category));
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
    json_object_set_new(o, "clopper_pearson", jpair(g->cp));
    json_object_set_new(o, "wilson", jpair(g->wilson));
    json_object_set_new(o, "upper_one_sided", jreal(g->upper));
    json_object_set_new(o, "lower_one_sided", jreal(g->lower));
    json_object_set_new(o, "upper_deviations", ju64(g->upper_dev));
    json_object_set_new(o, "bounds", jstr(bounds_name(g)));
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
    json_object_set_new(o, "note", jstr(g->note));
    return o;
}

static json_t *sample_json(const struct report *r, const struct stype *t)
{
    const struct sampleinfo *m = t->m;
    json_t *o = json_object(), *a;
    char stmt[2048];
    uint64_t N = 0, n = 0;
    size_t i;

    report_sampling_statement(r, t, stmt, sizeof(stmt));
    json_object_set_new(o, "type", jstr(t->type));
    json_object_set_new(o, "census", json_boolean(m == NULL));
    json_object_set_new(o, "statement", jstr(stmt));
    json_object_set_new(o, "checked", json_integer((json_int_t)t->checked));
    if (!m)
        return o;
    for (i = 0; i < m->npop; i++) {
        N += m->pop[i].N;
        n += m->pop[i].n;
    }
    json_object_set_new(o, "manifest", jstr(m->path));
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
    json_object_set_new(o, "rows_read", json_integer((json_int_t)m->rows_read));
    json_object_set_new(o, "rows_accepted",
                        json_integer((json_int_t)m->rows_accepted));
    json_object_set_new(o, "rows_rejected",
                        json_integer((json_int_t)m->rows_rejected));
    json_object_set_new(o, "rows_excluded",
                        json_integer((json_int_t)m->rows_excluded));
    a = json_object();
    for (i = 0; i < m->nrej; i++)
        json_object_set_new(a, m->rej[i].reason,
                            json_integer((json_int_t)m->rej[i].n));
    json_object_set_new(o, "rejected_by_reason", a);
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

            if (fi->verdict == FV_PASS)
                continue; /* overturned to pass: listed under overrides */
            if (!fa)
                fa = json_array();
            x = json_object();
            json_object_set_new(x, "rule_id", jstr(fs->rules[fi->rule].id));
            json_object_set_new(
                x, "category",
                jstr(fs->categories.v[fs->rules[fi->rule].category]));
            json_object_set_new(
                x, "verdict", jstr(fverdict_name((enum fverdict)fi->verdict)));
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
        json_object_set_new(o, "id", jstr(rec->id));
        json_object_set_new(o, "stratum", jstr(r->s->rec_stratum[i]));
        json_object_set_new(o, "findings", fa);
        json_array_append_new(a, o);
    }
    return a;
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
    o = json_object();
    json_object_set_new(o, "confidence", json_real(s->confidence));
    json_object_set_new(o, "tolerable", json_real(s->tolerable));
    json_object_set_new(o, "indicative_below",
                        json_integer(STATS_INDICATIVE_BELOW));
    json_object_set_new(o, "error_is_deviation", json_true());
    a = json_array();
    for (i = 0; i < fs->nsrcs; i++)
        json_array_append_new(a, jstr(fs->srcs[i]));
    json_object_set_new(o, "findings", a);
    json_object_set_new(o, "overrides", jstr(fs->ovr_path));
    json_object_set_new(o, "inventory", jstr(r->inventory_path));
    json_object_set_new(root, "parameters", o);
    a = json_array();
    for (i = 0; i < r->nparams; i++) {
        json_t *pv = json_object();

        json_object_set_new(pv, "name", jstr(r->params[i].name));
        json_object_set_new(pv, "value", jstr(r->params[i].value));
        json_array_append_new(a, pv);
    }
    json_object_set_new(root, "audit_parameters", a);
    json_object_set_new(root, "reconcile",
                        r->reconcile ? reconcile_json(r->reconcile)
                                     : json_null());
    a = json_array();
    for (i = 0; i < s->nt; i++)
        json_array_append_new(a, sample_json(r, &s->t[i]));
    json_object_set_new(root, "samples", a);
    a = json_array();
    for (i = 0; i < s->ng; i++)
        json_array_append_new(a, group_json(&s->g[i]));
    json_object_set_new(root, "groups", a);
    a = json_array();
    for (i = 0; i < s->nb; i++)
        json_array_append_new(a, group_json(&s->b[i]));
    json_object_set_new(root, "breakdowns", a);
    a = json_array();
    for (i = 0; i < s->nr; i++) {
        const struct srule *ru = &s->r[i];
        const struct frule *fr = &fs->rules[ru->rule];

        o = json_object();
        json_object_set_new(o, "force", jstr(ru->force));
        json_object_set_new(o, "type", jstr(ru->type));
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
        json_object_set_new(o, "original_verdict",
                            jstr(fverdict_name((enum fverdict)ov->original)));
        json_object_set_new(o, "verdict",
                            jstr(fverdict_name((enum fverdict)ov->verdict)));
        json_object_set_new(o, "reviewer", jstr(ov->reviewer));
        json_object_set_new(o, "reason", jstr(ov->reason));
        json_array_append_new(a, o);
    }
    json_object_set_new(root, "overrides", a);
    json_object_set_new(root, "failing_files", failing_json(r));
    rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    json_decref(root);
    if (rc != 0 || fputc('\n', fp) == EOF)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                            "unable to write summary.json");
    return CA_OK;
}

/* --- summary.csv --------------------------------------------------------- */

static void csv_num(struct csvw *w, double v)
{
    if (isnan(v))
        csvw_str(w, "");
    else
        csvw_printf(w, "%.10g", v);
}

static void csv_u64(struct csvw *w, uint64_t v)
{
    if (v == SUMMARY_UNKNOWN)
        csvw_str(w, "");
    else
        csvw_printf(w, "%" PRIu64, v);
}

static void csv_group(struct csvw *w, const struct sgroup *g)
{
    csvw_str(w, g->force);
    csvw_str(w, g->type);
    csvw_str(w, g->category);
    csvw_str(w, g->stratum);
    csvw_str(w, g->by_field);
    csvw_str(w, g->by_value);
    csv_u64(w, g->N);
    csv_u64(w, g->n);
    csv_u64(w, g->k);
    csv_num(w, g->rate);
    csv_num(w, g->cp.lo);
    csv_num(w, g->cp.hi);
    csv_num(w, g->wilson.lo);
    csv_num(w, g->wilson.hi);
    csv_num(w, g->lower);
    csv_num(w, g->upper);
    csv_u64(w, g->upper_dev);
    csvw_str(w, bounds_name(g));
    csvw_str(w, stats_verdict_name(g->verdict));
    csvw_str(w, g->indicative ? "true" : "false");
    csvw_str(w, g->census ? "true" : "false");
    csv_num(w, g->has_strat ? g->strat.estimate : NAN);
    csv_num(w, g->has_strat ? g->strat.se : NAN);
    csv_num(w, g->has_strat ? g->strat.ci.lo : NAN);
    csv_num(w, g->has_strat ? g->strat.ci.hi : NAN);
    csvw_str(w, g->note);
    csvw_end_row(w);
}

void report_write_summary_csv(const struct report *r, FILE *fp)
{
    static const char *const head[] = {"force",
                                       "type",
                                       "category",
                                       "stratum",
                                       "field",
                                       "value",
                                       "N",
                                       "n",
                                       "deviations",
                                       "rate",
                                       "cp_lo",
                                       "cp_hi",
                                       "wilson_lo",
                                       "wilson_hi",
                                       "lower_one_sided",
                                       "upper_one_sided",
                                       "upper_deviations",
                                       "bounds",
                                       "verdict",
                                       "indicative",
                                       "census",
                                       "stratified_estimate",
                                       "stratified_se",
                                       "stratified_lo",
                                       "stratified_hi",
                                       "note"};
    struct csvw w;
    size_t i;

    csvw_init(&w, fp);
    csvw_row(&w, head, sizeof(head) / sizeof(head[0]));
    for (i = 0; i < r->s->ng; i++)
        csv_group(&w, &r->s->g[i]);
    for (i = 0; i < r->s->nb; i++)
        csv_group(&w, &r->s->b[i]);
}

/* --- files.csv ----------------------------------------------------------- */

void report_write_files_csv(const struct report *r, FILE *fp)
{
    static const char *const head[] = {"force", "type",    "id",
                                       "test",  "verdict", "reasons"};
    struct csvw w;
    size_t i;

    csvw_init(&w, fp);
    csvw_row(&w, head, sizeof(head) / sizeof(head[0]));
    for (i = 0; i < r->ntfiles; i++) {
        const struct report_tfile *t = &r->tfiles[i];
        const struct report_test *test = &r->tests[t->test];

        csvw_str(&w, t->force);
        csvw_str(&w, test->type);
        csvw_str(&w, t->id);
        csvw_str(&w, test->id);
        csvw_str(&w, tverdict_name(t->verdict));
        csvw_str(&w, t->reasons);
        csvw_end_row(&w);
    }
}

/* --- report.md ----------------------------------------------------------- */

static void md_ci(FILE *fp, const struct sgroup *g, struct interval iv)
{
    char a[16], b[16];

    if (!report_has_interval(g) || isnan(iv.lo))
        fputs("–", fp);
    else
        fprintf(fp, "%s–%s", report_pct(iv.lo, a), report_pct(iv.hi, b));
}

static void md_upper(FILE *fp, const struct sgroup *g)
{
    char a[16];

    fputs(report_pct(g->upper, a), fp);
    if (g->upper_dev != SUMMARY_UNKNOWN && !g->census)
        fprintf(fp, " (%" PRIu64 " of %" PRIu64 ")", g->upper_dev, g->N);
}

static void md_group_row(FILE *fp, const struct sgroup *g, const char *label)
{
    char a[16], nn[64];

    fputs("| ", fp);
    text_md_cell(fp, label);
    fprintf(fp, " | %s | %" PRIu64 " | %s | ", report_n_of_N(g, nn, sizeof(nn)),
            g->k, report_pct(g->rate, a));
    md_ci(fp, g, g->cp);
    fputs(" | ", fp);
    md_ci(fp, g, g->wilson);
    fputs(" | ", fp);
    md_upper(fp, g);
    fprintf(fp, " | %s%s |", stats_verdict_name(g->verdict),
            g->indicative ? " (indicative)" : "");
    if (g->census)
        fputs(" whole population checked", fp);
    if (g->note) {
        fputs(g->census ? "; " : " ", fp);
        text_md_cell(fp, g->note);
    }
    fputs(" |\n", fp);
}

static const char md_group_head[] =
    "| %s | files checked | deviations | rate | %g%% CI (Clopper-Pearson) | "
    "%g%% CI (Wilson) | upper bound (one-sided) | verdict | note |\n"
    "|---|---|---|---|---|---|---|---|---|\n";

static void md_params(const struct report *r, FILE *fp)
{
    size_t i;

    if (!r->nparams)
        return;
    fputs("## Audit parameters\n\n| parameter | value |\n|---|---|\n", fp);
    for (i = 0; i < r->nparams; i++) {
        fputs("| ", fp);
        text_md_cell(fp, r->params[i].name);
        fputs(" | ", fp);
        text_md_cell(fp, r->params[i].value);
        fputs(" |\n", fp);
    }
    fputs("\n", fp);
}

/* "12 (3.4%)" of a count and its share, "-" for an empty base. */
static const char *count_share(uint64_t a, uint64_t n, char *out, size_t size)
{
    char p[16];

    if (n)
        snprintf(out, size, "%" PRIu64 " (%s)", a,
                 report_pct((double)a / (double)n, p));
    else
        snprintf(out, size, "%" PRIu64, a);
    return out;
}

static void md_reconcile_row(FILE *fp, const struct reconcile_force *f,
                             bool bail)
{
    char a[48], b[48], c[48], d[48];

    fputs("| ", fp);
    text_md_cell(fp, f->force);
    fprintf(
        fp,
        " | %" PRIu64 " | %" PRIu64 " | %s | %s | %s | %" PRIu64 " | %" PRIu64
        " | %" PRIu64 " | %" PRIu64 " | %" PRIu64,
        f->crimes, f->via_incident,
        count_share(f->via_incident_attended, f->via_incident, a, sizeof(a)),
        count_share(f->direct_recorded, f->crimes, b, sizeof(b)),
        count_share(f->direct_attended, f->direct_recorded, c, sizeof(c)),
        f->unmatched_incident_refs, f->incidents, f->incidents_closed_as_crimes,
        f->unmatched_crime_refs, f->named_suspects);
    fprintf(
        fp, " | %s",
        count_share(f->suspects_not_arrested, f->named_suspects, d, sizeof(d)));
    if (bail)
        fprintf(fp, " | %" PRIu64 " | %s", f->bail,
                count_share(f->failed_to_answer, f->bail, a, sizeof(a)));
    fputs(" |\n", fp);
}

static void md_reconcile(const struct report *r, FILE *fp)
{
    const struct reconcile_result *rc = r->reconcile;
    size_t i;

    if (!rc)
        return;
    fputs("## Crimes and incidents reconciled\n\n", fp);
    fputs("Every crime, not a sample. A crime without an incident reference "
          "was recorded directly onto the crime system; references are "
          "matched within a force. A named suspect is dealt with when the "
          "outcome is a charge, caution, summons or community resolution, "
          "or the log records an arrest, interview or voluntary "
          "attendance.\n\n",
          fp);
    fprintf(fp,
            "| force | crimes | via an incident | of which attended | "
            "recorded directly | of which attended | incident refs matching "
            "no incident | incidents | closed as crimes | their crime refs "
            "matching no crime | named suspects | not yet arrested or "
            "interviewed |%s\n|---|---|---|---|---|---|---|---|---|---|---|"
            "---|%s\n",
            rc->have_bail ? " bail cases | failed to answer |" : "",
            rc->have_bail ? "---|---|" : "");
    for (i = 0; i < rc->n; i++)
        md_reconcile_row(fp, &rc->f[i], rc->have_bail);
    if (rc->n > 1)
        md_reconcile_row(fp, &rc->total, rc->have_bail);
    fputs("\n", fp);
}

void report_write_md(const struct report *r, FILE *fp)
{
    const struct summary *s = r->s;
    const struct findings *fs = r->fs;
    char a[16], b[16], stmt[2048];
    double cpct = s->confidence * 100.0;
    size_t i, j;

    fputs("# Case file compliance report\n\n", fp);
    fprintf(fp,
            "Generated %s by caseaudit %s. Confidence %g%%, tolerable "
            "deviation rate %s; a result on fewer than %d files is "
            "indicative only. A file is compliant when every rule that "
            "applies to it passed (a rule that could not be evaluated "
            "counts as a deviation).\n\n",
            r->generated ? r->generated : "-",
            r->tool_version ? r->tool_version : "-", cpct,
            report_pct(s->tolerable, a), STATS_INDICATIVE_BELOW);

    md_params(r, fp);
    fputs("## How the files were chosen\n\n", fp);
    for (i = 0; i < s->nt; i++) {
        const struct stype *t = &s->t[i];

        report_sampling_statement(r, t, stmt, sizeof(stmt));
        fputs("- ", fp);
        text_md_cell(fp, stmt);
        if (t->m) {
            fprintf(fp, " %" PRIu64 " checked", t->checked);
            if (t->spares_used)
                fprintf(fp, ", %" PRIu64 " of them spares", t->spares_used);
            if (t->nunchecked) {
                fprintf(fp,
                        "; %zu selected file(s) without findings (no "
                        "applicable rule, or not checked): ",
                        t->nunchecked);
                for (j = 0; j < t->nunchecked; j++) {
                    if (j)
                        fputs(", ", fp);
                    if (j == 50) {
                        fprintf(fp, "and %zu more (see summary.json)",
                                t->nunchecked - 50);
                        break;
                    }
                    text_md_cell(fp, t->unchecked[j]);
                }
            }
            fputs(".", fp);
        }
        fputs("\n", fp);
    }

    fputs("\n## Compliance by force\n\n", fp);
    fprintf(fp,
            "Rates are deviation rates (files failing a rule); the "
            "upper bound is one-sided at %g%% confidence, with the number "
            "of deviating files it allows in the population.\n\n",
            cpct);
    for (i = 0; i < s->nt; i++) {
        const char *type = s->t[i].type;
        bool any = false;

        for (j = 0; j < s->ng; j++) {
            const struct sgroup *g = &s->g[j];
            char label[600];

            if (strcmp(g->type, type) != 0 || g->stratum)
                continue;
            if (!any) {
                fprintf(fp, "### %s\n\n", type);
                fprintf(fp, md_group_head, "force / category", cpct, cpct);
                any = true;
            }
            snprintf(label, sizeof(label), "%s / %s", g->force,
                     strcmp(g->category, "all") == 0 ? "file compliant"
                                                     : g->category);
            md_group_row(fp, g, label);
        }
        if (any)
            fputs("\n", fp);
    }

    /* strata and stratified estimates */
    for (i = 0; i < s->ng; i++) {
        const struct sgroup *g = &s->g[i];

        if (!g->stratum && g->has_strat && strcmp(g->category, "all") == 0) {
            char label[600];

            fprintf(fp, "### Strata: %s %s\n\n", g->force, g->type);
            char c[16], d[16];

            fprintf(fp,
                    "Stratified estimate of the deviation rate (weights "
                    "N_h/N): %s, standard error %s, %g%% CI %s–%s.\n\n",
                    report_pct(g->strat.estimate, a),
                    report_pct(g->strat.se, b), cpct,
                    report_pct(g->strat.ci.lo, c),
                    report_pct(g->strat.ci.hi, d));
            fprintf(fp, md_group_head, "stratum", cpct, cpct);
            for (j = 0; j < s->ng; j++) {
                const struct sgroup *h = &s->g[j];

                if (!report_is_stratum_of(h, g))
                    continue;
                snprintf(label, sizeof(label), "%s", h->stratum);
                md_group_row(fp, h, label);
            }
            fputs("\n", fp);
        }
    }

    if (s->nb) {
        fputs("## Breakdowns\n\n", fp);
        fputs("Within a breakdown the population of each value is not known "
              "from the sample, so the bounds are binomial.\n\n",
              fp);
        fprintf(fp, md_group_head, "field = value / force / category", cpct,
                cpct);
        for (i = 0; i < s->nb; i++) {
            const struct sgroup *g = &s->b[i];
            char label[1200];

            snprintf(label, sizeof(label), "%s = %s / %s %s / %s", g->by_field,
                     g->by_value, g->force, g->type,
                     strcmp(g->category, "all") == 0 ? "file compliant"
                                                     : g->category);
            md_group_row(fp, g, label);
        }
        fputs("\n", fp);
    }

    md_reconcile(r, fp);
    fputs("## Rules\n\n", fp);
    fprintf(fp,
            "| force | rule | category | level | applied | pass | fail | "
            "error | pass rate | %g%% CI | reviewed | overturned |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n",
            cpct);
    for (i = 0; i < s->nr; i++) {
        const struct srule *ru = &s->r[i];
        const struct frule *fr = &fs->rules[ru->rule];

        fputs("| ", fp);
        text_md_cell(fp, ru->force);
        fputs(" | ", fp);
        text_md_cell(fp, fr->id);
        fputs(" | ", fp);
        text_md_cell(fp, fs->categories.v[fr->category]);
        fputs(" | ", fp);
        text_md_cell(fp, fr->level);
        fprintf(
            fp,
            " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %s | ",
            ru->n, ru->pass, ru->fail, ru->error, report_pct(ru->pass_rate, a));
        if (isnan(ru->cp.lo))
            fputs("–", fp);
        else
            fprintf(fp, "%s–%s", report_pct(ru->cp.lo, a),
                    report_pct(ru->cp.hi, b));
        fprintf(fp, " | %" PRIu64 " | %" PRIu64 " |\n", ru->reviewed,
                ru->to_pass + ru->to_fail);
    }

    fputs("\n## Failing files\n\n", fp);
    {
        bool any = false;
        size_t shown = 0, total = 0;
        uint32_t f = FINDING_NONE;
        const struct finding *fi;

        i = 0;
        while ((fi = report_next_failing(fs, &i, &f))) {
            const struct frecord *rec = &fs->recs[i];
            const struct evidence *e =
                fi->ev != FINDING_NONE ? &fs->ev[fi->ev] : NULL;

            if (total++ >= REPORT_MAX_LISTED)
                continue;
            shown++;
            if (!any) {
                fputs("| force | type | id | stratum | rule | verdict | "
                      "message | entry | evidence |\n"
                      "|---|---|---|---|---|---|---|---|---|\n",
                      fp);
                any = true;
            }
            fputs("| ", fp);
            text_md_cell(fp, s->rec_force[i]);
            fputs(" | ", fp);
            text_md_cell(fp, fs->types.v[rec->type]);
            fputs(" | ", fp);
            text_md_cell(fp, rec->id);
            fputs(" | ", fp);
            text_md_cell(fp, s->rec_stratum[i] ? s->rec_stratum[i] : "");
            fputs(" | ", fp);
            text_md_cell(fp, fs->rules[fi->rule].id);
            fprintf(fp, " | %s", fverdict_name((enum fverdict)fi->verdict));
            if (fi->ovr != FINDING_NONE) {
                fputs(" (override by ", fp);
                text_md_cell(fp, fs->ovr[fi->ovr].reviewer);
                fputs(": ", fp);
                text_md_cell(fp, fs->ovr[fi->ovr].reason);
                fputs(")", fp);
            }
            fputs(" | ", fp);
            text_md_cell(fp, e ? e->message : "");
            fputs(" | ", fp);
            text_md_cell(fp, e ? e->entry_at : "");
            fputs(" | ", fp);
            text_md_cell(fp, e ? e->excerpt : "");
            fputs(" |\n", fp);
        }
        if (!any)
            fputs("No file failed a rule.\n", fp);
        else if (total > shown)
            fprintf(fp,
                    "\n%zu more failing findings are in findings.csv and "
                    "summary.json.\n",
                    total - shown);
    }

    fputs("\n## Rows rejected at ingest\n\n", fp);
    if (r->nm == 0 && !r->inventory_path)
        fputs("No sample manifest was given, so the ingest accounting is not "
              "part of this report.\n",
              fp);
    for (i = 0; i < r->nm; i++) {
        const struct sampleinfo *m = &r->m[i];

        fputs("- ", fp);
        text_md_cell(fp, m->path);
        fprintf(fp,
                " (%s): %" PRIu64 " rows read, %" PRIu64 " accepted, %" PRIu64
                " rejected, %" PRIu64 " outside the frame",
                m->type, m->rows_read, m->rows_accepted, m->rows_rejected,
                m->rows_excluded);
        for (j = 0; j < m->nrej; j++) {
            fputs(j ? ", " : ": ", fp);
            text_md_cell(fp, m->rej[j].reason);
            fprintf(fp, " %" PRIu64, m->rej[j].n);
        }
        fputs("\n", fp);
    }
    if (r->inventory_path) {
        struct inventory_summary inv;

        fputs("- inventory ", fp);
        text_md_cell(fp, r->inventory_path);
        if (r->inventory_text &&
            report_inventory_parse(r->inventory_text, &inv) == 0) {
            fprintf(fp,
                    ": %" PRIu64 " rows read, %" PRIu64 " accepted, %" PRIu64
                    " rejected",
                    inv.rows_read, inv.rows_accepted, inv.rows_rejected);
            for (j = 0; j < inv.nrej; j++) {
                fputs(j ? ", " : ": ", fp);
                text_md_cell(fp, inv.rej[j].reason);
                fprintf(fp, " %" PRIu64, inv.rej[j].n);
            }
            report_inventory_release(&inv);
        }
        fputs("\n", fp);
    }
    fputs("\n## Reviewer overrides\n\n", fp);
    if (fs->novr == 0) {
        fputs("None.\n", fp);
    } else {
        fputs("| id | type | rule | rule's verdict | reviewer's verdict | "
              "reviewer | reason |\n|---|---|---|---|---|---|---|\n",
              fp);
        for (i = 0; i < fs->novr; i++) {
            const struct override *ov = &fs->ovr[i];

            fputs("| ", fp);
            text_md_cell(fp, ov->id);
            fputs(" | ", fp);
            text_md_cell(fp,
                         fs->types.v[fs->recs[fs->f[ov->finding].rec].type]);
            fputs(" | ", fp);
            text_md_cell(fp, ov->rule_id);
            fprintf(fp, " | %s | %s | ",
                    fverdict_name((enum fverdict)ov->original),
                    fverdict_name((enum fverdict)ov->verdict));
            text_md_cell(fp, ov->reviewer);
            fputs(" | ", fp);
            text_md_cell(fp, ov->reason);
            fputs(" |\n", fp);
        }
    }
}
