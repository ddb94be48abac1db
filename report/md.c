/* SPDX-License-Identifier: MIT */
/*
 * report.md: the same content as report.html, in the same order, for
 * people who read Markdown (a repository, a ticket): with an audit
 * programme, the headline matrix and the programme's counts first, then
 * one section per test, then the method and parameters.  One polarity
 * everywhere: the share of files passing.  Every value from data goes
 * through text_md_cell().
 */
#include "report/md.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/json.h"
#include "report/text.h"

/* A path the report names (a run's outputs under their final name). */
static void md_path(FILE *fp, const struct report *r, const char *path)
{
    char buf[4096];

    text_md_cell(fp, report_path_shown(r, path, buf, sizeof(buf)));
}

static void md_pass_ci(FILE *fp, const struct sgroup *g, struct interval iv)
{
    char a[16], b[16];

    if (!report_has_interval(g) || isnan(iv.lo))
        fputs("–", fp);
    else
        fprintf(fp, "%s–%s", report_pct(1.0 - iv.hi, a),
                report_pct(1.0 - iv.lo, b));
}

/* One row in the one polarity: files checked, passing, share passing, the
 * two intervals, the one-sided lower bound, the verdict and any note
 * other than skip_note (said once above the table). */
static void md_group_row(FILE *fp, const struct sgroup *g, const char *label,
                         const char *skip_note)
{
    char a[16], b[16], nn[64];
    struct report_pass pf;
    const char *note =
        g->note && (!skip_note || strcmp(g->note, skip_note)) ? g->note : NULL;

    report_pass_figure(g, &pf);
    fputs("| ", fp);
    text_md_cell(fp, label);
    fprintf(fp, " | %s | %" PRIu64 " | %s%s | ",
            report_n_of_N(g, nn, sizeof(nn)), g->n - g->k,
            report_pct(pf.rate, a), pf.stratified ? " (stratified)" : "");
    if (pf.stratified)
        fprintf(fp, "%s–%s (normal)", report_pct(pf.lo, a),
                report_pct(pf.hi, b));
    else
        md_pass_ci(fp, g, g->cp);
    fputs(" | ", fp);
    md_pass_ci(fp, g, g->wilson);
    fprintf(fp, " | %s", report_pct(1.0 - g->upper, a));
    if (g->upper_dev != SUMMARY_UNKNOWN && !g->census && g->n > 0)
        fprintf(fp, " (%" PRIu64 " of %" PRIu64 ")", g->N - g->upper_dev, g->N);
    fprintf(fp, " | %s%s |", stats_verdict_name(g->verdict),
            g->indicative ? " (indicative)" : "");
    if (g->census)
        fputs(" whole population checked", fp);
    if (note) {
        fputs(g->census ? "; " : " ", fp);
        text_md_cell(fp, note);
    }
    fputs(" |\n", fp);
}

static const char md_group_head[] =
    "| %s | files checked | passing | share passing | %g%% CI "
    "(Clopper-Pearson) | %g%% CI (Wilson) | lower bound (one-sided) | "
    "verdict | note |\n"
    "|---|---|---|---|---|---|---|---|---|\n";

static const char *common_note(const struct sgroup *const *v, size_t n)
{
    size_t i;

    if (n < 2 || !v[0]->note)
        return NULL;
    for (i = 1; i < n; i++)
        if (!v[i]->note || strcmp(v[i]->note, v[0]->note) != 0)
            return NULL;
    return v[0]->note;
}

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

/* ---- an audit programme ------------------------------------------------- */

static void md_matrix_cell(FILE *fp, const struct report *r, size_t t,
                           const char *force)
{
    const struct report_test *rt = &r->tests[t];
    const struct sgroup *g;
    const char *why;
    struct report_pass pf;
    char a[16], b[16], nn[64];

    fputs(" | ", fp);
    if (rt->not_run) {
        fputs("not run", fp);
        return;
    }
    if ((why = report_test_skip(r, t, force))) {
        fputs("not run: ", fp);
        text_md_cell(fp, why);
        return;
    }
    if (!(g = report_test_group(r, rt->id, force))) {
        fputs("no file in the frame", fp);
        return;
    }
    report_pass_figure(g, &pf);
    fprintf(fp, "**%s**", report_pct(pf.rate, a));
    if (pf.has_ci)
        fprintf(fp, " (%s–%s%s)", report_pct(pf.lo, a), report_pct(pf.hi, b),
                pf.stratified ? ", stratified" : "");
    else if (g->n > 0)
        fputs(" (exact)", fp);
    fprintf(fp, "<br>%s<br>%s%s", report_n_of_N(g, nn, sizeof(nn)),
            stats_verdict_name(g->verdict),
            g->indicative ? " (indicative)" : "");
}

static void md_counts(const struct report *r, FILE *fp,
                      const char *const *forces, size_t nforces)
{
    size_t i, f, ncols = 1;

    if (!r->ncounts)
        return;
    fputs("### The whole export, not a sample\n\n", fp);
    for (i = 0; i < r->ncounts; i++)
        if (r->counts[i].not_counted) {
            text_md_cell(fp, r->counts[i].name);
            fputs(": not counted (", fp);
            text_md_cell(fp, r->counts[i].not_counted);
            fputs(").\n\n", fp);
        }
    fputs("| force", fp);
    for (i = 0; i < r->ncounts; i++) {
        const struct report_count *c = &r->counts[i];

        if (c->not_counted)
            continue;
        if (strcmp(c->name, "recording-route") == 0) {
            fputs(" | crimes | recorded via an incident (of which attended) | "
                  "recorded directly (of which attended)",
                  fp);
            ncols += 3;
        } else if (strcmp(c->name, "named-suspects-outstanding") == 0) {
            fputs(" | named suspects not yet arrested or interviewed", fp);
            ncols++;
        } else {
            fputs(" | failed to answer bail", fp);
            ncols++;
        }
    }
    if (ncols == 1) {
        fputs(" |\n\n", fp);
        return;
    }
    fputs(" |\n|", fp);
    for (i = 0; i < ncols; i++)
        fputs("---|", fp);
    fputs("\n", fp);
    for (f = 0; f < nforces; f++) {
        const struct reconcile_force *rf = report_reconcile_force(r, forces[f]);

        fputs("| ", fp);
        text_md_cell(fp, forces[f]);
        for (i = 0; i < r->ncounts; i++) {
            const struct report_count *c = &r->counts[i];
            uint64_t v, of;
            char p1[16];

            if (c->not_counted)
                continue;
            if (strcmp(c->name, "recording-route") == 0) {
                if (!rf) {
                    fputs(" | – | – | –", fp);
                    continue;
                }
                fprintf(fp, " | %" PRIu64 " | %" PRIu64 " (%s)", rf->crimes,
                        rf->via_incident,
                        rf->via_incident
                            ? report_pct((double)rf->via_incident_attended /
                                             (double)rf->via_incident,
                                         p1)
                            : "-");
                fprintf(fp, " | %" PRIu64 " (%s)", rf->direct_recorded,
                        rf->direct_recorded
                            ? report_pct((double)rf->direct_attended /
                                             (double)rf->direct_recorded,
                                         p1)
                            : "-");
            } else if (report_count_value(r, c, forces[f], &v, &of) != 0) {
                fputs(" | –", fp);
            } else if (of) {
                fprintf(fp, " | %" PRIu64 " of %" PRIu64, v, of);
            } else {
                fprintf(fp, " | %" PRIu64, v);
            }
        }
        fputs(" |\n", fp);
    }
    fputs("\n", fp);
    for (i = 0; i < r->ncounts; i++) {
        const struct report_count *c = &r->counts[i];

        if (c->not_counted || !c->sample)
            continue;
        text_md_cell(fp, c->name);
        fputs(": the files of the frame of test ", fp);
        text_md_cell(fp, c->test);
        fputs(" in the whole export (one definition for both).\n\n", fp);
    }
}

static void md_matrix(const struct report *r, FILE *fp)
{
    size_t nforces = 0, f, t;
    const char **forces = report_forces(r, &nforces);
    char a[16];

    fputs("## The answers\n\n", fp);
    fprintf(fp,
            "Each cell: the share of files passing the test (%s), its "
            "two-sided %g%% interval, files checked of the N in the test's "
            "frame, and the verdict against a tolerable %s of files failing "
            "(one-sided %g%% bounds; indicative: fewer than %d files).\n\n",
            r->programme->census ? "every file of the frame checked"
                                 : "a sample",
            r->s->confidence * 100.0, report_pct(r->s->tolerable, a),
            r->s->confidence * 100.0, STATS_INDICATIVE_BELOW);
    fputs("| force", fp);
    for (t = 0; t < r->ntests; t++) {
        fputs(" | ", fp);
        text_md_cell(fp, r->tests[t].title);
        fputs(" (", fp);
        text_md_cell(fp, r->tests[t].type);
        fputs(")", fp);
    }
    fputs(" |\n|---|", fp);
    for (t = 0; t < r->ntests; t++)
        fputs("---|", fp);
    fputs("\n", fp);
    for (f = 0; f < nforces; f++) {
        fputs("| ", fp);
        text_md_cell(fp, forces[f]);
        for (t = 0; t < r->ntests; t++)
            md_matrix_cell(fp, r, t, forces[f]);
        fputs(" |\n", fp);
    }
    fputs("\n", fp);
    for (t = 0; t < r->ntests; t++)
        if (r->tests[t].not_run) {
            text_md_cell(fp, r->tests[t].id);
            fputs(" not run: ", fp);
            text_md_cell(fp, r->tests[t].not_run);
            fputs(".\n\n", fp);
        }
    md_counts(r, fp, forces, nforces);
    free(forces);
}

/* A test's title, question, frame, rules and sample. */
static void md_test_heading(const struct report *r, FILE *fp,
                            const struct report_test *rt)
{
    const struct sampleinfo *m = report_sample(r, rt->sample);
    size_t i;

    fputs("## ", fp);
    text_md_heading(fp, rt->title);
    fputs(" (", fp);
    text_md_heading(fp, rt->id);
    fputs(")\n\n**", fp);
    text_md_cell(fp, rt->question);
    fputs("**\n\nFrame: ", fp);
    if (rt->frame)
        text_md_cell(fp, rt->frame);
    else if (!rt->conditions[0]) {
        fputs("every ", fp);
        text_md_cell(fp, rt->type);
        fputs(" file", fp);
    }
    if (rt->conditions[0]) {
        fputs(" (`", fp);
        for (i = 0; rt->conditions[i]; i++)
            if (rt->conditions[i] == '\n')
                fputs("` `", fp);
            else if (rt->conditions[i] == '`')
                fputs("'", fp);
            else if (rt->conditions[i] != ' ' || i == 0 ||
                     rt->conditions[i - 1] != ' ')
                fputc(rt->conditions[i], fp);
        fputs("`)", fp);
    }
    fputs(". Rules (a file fails when any of them fails): ", fp);
    for (i = 0; i < rt->nrules; i++) {
        if (i)
            fputs(", ", fp);
        text_md_cell(fp, rt->rules[i]);
    }
    fputs(".", fp);
    if (m) {
        fputs(" Sample: ", fp);
        text_md_cell(fp, m->name);
        if (m->census)
            fputs(" (every file of the frame)", fp);
        fputs(", manifest ", fp);
        md_path(fp, r, m->path);
        fputs(".", fp);
    }
    fputs("\n\n", fp);
}

/* A test's files checked, failed and in error, and its figures per force
 * (v: room for the groups). */
static void md_test_forces(const struct report *r, FILE *fp, size_t t,
                           const struct sgroup **v)
{
    const struct report_test *rt = &r->tests[t];
    const struct summary *s = r->s;
    double cpct = s->confidence * 100.0;
    size_t i, n = 0, nchk = 0, nfail = 0, nerr = 0;
    const char *note;

    for (i = 0; i < r->ntfiles; i++)
        if (r->tfiles[i].test == t) {
            nchk++;
            nfail += r->tfiles[i].verdict == V_FAIL;
            nerr += r->tfiles[i].verdict == V_ERROR;
        }
    for (i = 0; i < s->ntg; i++)
        if (!s->tg[i].stratum && strcmp(s->tg[i].test, rt->id) == 0)
            v[n++] = &s->tg[i];
    note = common_note(v, n);
    fprintf(fp,
            "%zu files checked: %zu failed, %zu could not be judged (error, "
            "counted as failing).",
            nchk, nfail, nerr);
    if (note) {
        fputs(" ", fp);
        text_md_cell(fp, note);
        fputs(".", fp);
    }
    fputs("\n\n", fp);
    fprintf(fp, md_group_head, "force", cpct, cpct);
    for (i = 0; i < n; i++)
        md_group_row(fp, v[i], v[i]->force, note);
    for (i = 0; i < r->ntskips; i++)
        if (r->tskips[i].test == t) {
            fputs("| ", fp);
            text_md_cell(fp, r->tskips[i].force);
            fputs(" | not run: ", fp);
            text_md_cell(fp, r->tskips[i].why);
            fputs(" | | | | | | | |\n", fp);
        }
    fputs("\n", fp);
}

/* A test's figures by each of its report_by fields (v: room for the
 * groups). */
static void md_test_breakdowns(const struct report *r, FILE *fp,
                               const struct report_test *rt,
                               const struct sgroup **v)
{
    const struct summary *s = r->s;
    double cpct = s->confidence * 100.0;
    size_t i, j;

    for (j = 0; j < rt->nreport_by; j++) {
        size_t nb = 0;
        const char *bnote;

        for (i = 0; i < s->ntb; i++)
            if (strcmp(s->tb[i].test, rt->id) == 0 &&
                strcmp(s->tb[i].by_field, rt->report_by[j]) == 0)
                v[nb++] = &s->tb[i];
        if (!nb)
            continue;
        fputs("### By ", fp);
        text_md_heading(fp, rt->report_by[j]);
        fputs("\n\n", fp);
        bnote = common_note(v, nb);
        if (bnote) {
            text_md_cell(fp, bnote);
            fputs(".\n\n", fp);
        }
        fprintf(fp, md_group_head, "force = value", cpct, cpct);
        for (i = 0; i < nb; i++) {
            char label[700];

            snprintf(label, sizeof(label), "%s = %s", v[i]->force,
                     v[i]->by_value);
            md_group_row(fp, v[i], label, bnote);
        }
        fputs("\n", fp);
    }
}

/* The files that did not pass test t, with their evidence. */
static void md_test_failing(const struct report *r, FILE *fp, size_t t)
{
    const struct report_test *rt = &r->tests[t];
    size_t i, k, shown = 0;

    fputs("### Files that did not pass\n\n", fp);
    for (i = 0; i < r->ntfiles; i++) {
        const struct report_tfile *tf = &r->tfiles[i];
        const char *stratum;

        if (tf->test != t || tf->verdict == V_PASS)
            continue;
        if (shown++ == REPORT_MAX_LISTED)
            continue;
        if (shown == 1)
            fputs("| id | force | stratum | verdict | why | evidence |\n"
                  "|---|---|---|---|---|---|\n",
                  fp);
        stratum = report_file_stratum(r, rt, tf->id);
        fputs("| ", fp);
        text_md_cell(fp, tf->id);
        fputs(" | ", fp);
        text_md_cell(fp, tf->force);
        fputs(" | ", fp);
        text_md_cell(fp, stratum ? stratum : "");
        fprintf(fp, " | %s | ", findings_verdict_name(tf->verdict));
        text_md_cell(fp, tf->reasons);
        fputs(" | ", fp);
        for (k = 0; k < rt->nrules; k++) {
            const struct evidence *e =
                report_test_evidence(r, rt, tf->id, rt->rules[k]);

            if (e && e->excerpt[0]) {
                if (e->entry_at[0]) {
                    text_md_cell(fp, e->entry_at);
                    fputs(": ", fp);
                }
                text_md_cell(fp, e->excerpt);
                fputs(" ", fp);
            }
        }
        fputs("|\n", fp);
    }
    if (shown == 0)
        fputs("No checked file failed this test.\n", fp);
    else if (shown > REPORT_MAX_LISTED)
        fprintf(fp, "\n%zu more failing files are in files.csv.\n",
                shown - REPORT_MAX_LISTED);
    fputs("\n", fp);
}

static void md_test(const struct report *r, FILE *fp, size_t t)
{
    const struct report_test *rt = &r->tests[t];
    const struct summary *s = r->s;
    const struct sgroup **v = calloc(s->ntg + s->ntb + 1, sizeof(*v));

    md_test_heading(r, fp, rt);
    if (!v || rt->not_run) {
        if (rt->not_run) {
            fputs("Not run: ", fp);
            text_md_cell(fp, rt->not_run);
            fputs(".\n\n", fp);
        }
        goto out;
    }
    md_test_forces(r, fp, t, v);
    md_test_breakdowns(r, fp, rt, v);
    md_test_failing(r, fp, t);
out:
    free(v);
}

/* ---- figures by rule category -------------------------------------------- */

static void md_categories(const struct report *r, FILE *fp, const char *h)
{
    const struct summary *s = r->s;
    const struct sgroup **v = calloc(s->ng + 1, sizeof(*v));
    double cpct = s->confidence * 100.0;
    char a[16], b[16], c[16];
    size_t i, j, n;

    if (!v)
        return;
    fprintf(fp,
            "%s By force and rule category\n\nThe share of files passing: "
            "for \"all rules\", files where every rule that applies passed; "
            "for a category, files where every rule of that category passed "
            "(a rule that could not be evaluated counts as not passing).\n\n",
            h);
    for (i = 0; i < s->nt; i++) {
        const char *note;

        n = 0;
        for (j = 0; j < s->ng; j++)
            if (strcmp(s->g[j].type, s->t[i].type) == 0 &&
                strcmp(s->g[j].sample, s->t[i].sample) == 0 && !s->g[j].stratum)
                v[n++] = &s->g[j];
        if (!n)
            continue;
        fprintf(fp, "%s# ", h);
        text_md_heading(fp, s->t[i].type);
        if (strcmp(s->t[i].sample, s->t[i].type) != 0) {
            fputs(" (frame ", fp);
            text_md_heading(fp, s->t[i].sample);
            fputs(")", fp);
        }
        fputs("\n\n", fp);
        note = common_note(v, n);
        if (note) {
            text_md_cell(fp, note);
            fputs(".\n\n", fp);
        }
        fprintf(fp, md_group_head, "force / category", cpct, cpct);
        for (j = 0; j < n; j++) {
            char label[600];

            snprintf(label, sizeof(label), "%s / %s", v[j]->force,
                     strcmp(v[j]->category, "all") == 0 ? "all rules"
                                                        : v[j]->category);
            md_group_row(fp, v[j], label, note);
        }
        fputs("\n", fp);
    }
    /* strata and stratified estimates */
    for (i = 0; i < s->ng; i++) {
        const struct sgroup *g = &s->g[i];

        if (g->stratum || !g->has_strat || strcmp(g->category, "all") != 0)
            continue;
        fprintf(fp, "%s# Strata: ", h);
        text_md_heading(fp, g->force);
        fputs(" ", fp);
        text_md_heading(fp, g->sample);
        fprintf(fp,
                "\n\nStratified estimate of the share passing (weights "
                "N_h/N): %s, standard error %s, %g%% CI %s–%s.\n\n",
                report_pct(1.0 - g->strat.estimate, a),
                report_pct(g->strat.se, b), cpct,
                report_pct(1.0 - g->strat.ci.hi, c),
                report_pct(1.0 - g->strat.ci.lo, a));
        fprintf(fp, md_group_head, "stratum", cpct, cpct);
        for (j = 0; j < s->ng; j++)
            if (report_is_stratum_of(&s->g[j], g))
                md_group_row(fp, &s->g[j], s->g[j].stratum, NULL);
        fputs("\n", fp);
    }
    /* --by breakdowns, one table per sample (types never mix) */
    for (i = 0; i < s->nt && s->nb; i++) {
        bool any = false;

        for (j = 0; j < s->nb; j++) {
            const struct sgroup *g = &s->b[j];
            char label[1200];

            if (strcmp(g->type, s->t[i].type) != 0 ||
                strcmp(g->sample, s->t[i].sample) != 0)
                continue;
            if (!any) {
                fprintf(fp, "%s# Breakdowns: ", h);
                text_md_heading(fp, s->t[i].sample);
                fputs("\n\nWithin a breakdown the population of each value "
                      "is not known from the sample, so the bounds are "
                      "binomial.\n\n",
                      fp);
                fprintf(fp, md_group_head, "field = value / force / category",
                        cpct, cpct);
                any = true;
            }
            snprintf(label, sizeof(label), "%s = %s / %s / %s", g->by_field,
                     g->by_value, g->force,
                     strcmp(g->category, "all") == 0 ? "all rules"
                                                     : g->category);
            md_group_row(fp, g, label, NULL);
        }
        if (any)
            fputs("\n", fp);
    }
    free(v);
}

static void md_sampling(const struct report *r, FILE *fp)
{
    const struct summary *s = r->s;
    char stmt[2048];
    size_t i, j;

    fputs("## How the files were chosen\n\n", fp);
    for (i = 0; i < s->nt; i++) {
        const struct stype *t = &s->t[i];

        report_sampling_statement(r, t, stmt, sizeof(stmt));
        fputs("- ", fp);
        if (t->m && strcmp(t->sample, t->type) != 0) {
            fputs("frame ", fp);
            text_md_cell(fp, t->sample);
            fputs(": ", fp);
        }
        text_md_cell(fp, stmt);
        if (t->m) {
            fprintf(fp, " %" PRIu64 " with findings", t->checked);
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
    fputs("\n", fp);
}

static const char *ktext(double v, char *out, size_t size)
{
    if (isnan(v))
        snprintf(out, size, "-");
    else
        snprintf(out, size, "%.2f", v);
    return out;
}

/* Fieldwork: the reviews that replaced the rules' verdicts, the files
 * substituted, and how far the rules and the reviewers agree. */
/* The reviews file and every review applied or ignored. */
static void md_reviews_applied(FILE *fp, const struct reviews *rv)
{
    size_t i;

    fputs("Reviews: ", fp);
    text_md_cell(fp, rv->path);
    fprintf(fp,
            " (%s, SHA-256 %s): %zu rows, %" PRIu64 " applied (%" PRIu64
            " pass, %" PRIu64 " fail, %" PRIu64 " n/a, %" PRIu64
            " unavailable; %" PRIu64 " with an added finding), %" PRIu64
            " not reviewed, %" PRIu64 " ignored.\n",
            rv->format, rv->sha256, rv->n, rv->applied, rv->by_verdict[RV_PASS],
            rv->by_verdict[RV_FAIL], rv->by_verdict[RV_NA],
            rv->by_verdict[RV_UNAVAILABLE], rv->added, rv->not_reviewed,
            rv->ignored);
    fputs("A reviewer's verdict replaces the rules' for that file and "
          "test in every figure; n/a takes the file out of the test's "
          "n.\n\n",
          fp);
    fputs("| test | force | id | rules | reviewer's verdict | reviewer "
          "| reviewed on | why |\n|---|---|---|---|---|---|---|---|\n",
          fp);
    for (i = 0; i < rv->n; i++) {
        const struct review *v = &rv->v[i];

        if (v->use == RU_NOT_REVIEWED)
            continue;
        fputs("| ", fp);
        text_md_cell(fp, v->test);
        fputs(" | ", fp);
        text_md_cell(fp, v->force);
        fputs(" | ", fp);
        text_md_cell(fp, v->id);
        fprintf(fp, " | %s | %s%s | ", findings_verdict_name(v->tool),
                review_verdict_name(v->verdict),
                v->added[0] ? " (added finding)" : "");
        text_md_cell(fp, v->reviewer);
        fputs(" | ", fp);
        text_md_cell(fp, v->reviewed_on[0] ? v->reviewed_on : "-");
        fputs(" | ", fp);
        text_md_cell(fp, v->added[0] ? v->added : v->note);
        if (v->use == RU_IGNORED && v->why) {
            fputs(" (not counted: ", fp);
            text_md_cell(fp, v->why);
            fputs(")", fp);
        }
        fputs(" |\n", fp);
    }
}

/* The spares that took the place of drawn files. */
static void md_substitutions(FILE *fp, const struct reviews *rv)
{
    size_t i;

    fputs("\n### Substitutions\n\n", fp);
    if (rv->nsub == 0) {
        fputs("None.\n", fp);
    } else {
        fputs("A drawn file that could not be reviewed is replaced by the "
              "next spare of its force and stratum, in rank order.\n\n"
              "| sample | force | stratum | drawn file (rank) | replaced by "
              "(rank) | why |\n|---|---|---|---|---|---|\n",
              fp);
        for (i = 0; i < rv->nsub; i++) {
            const struct substitution *u = &rv->sub[i];
            const struct review *v =
                u->review < rv->n ? &rv->v[u->review] : NULL;

            fputs("| ", fp);
            text_md_cell(fp, u->sample);
            fputs(" | ", fp);
            text_md_cell(fp, u->force);
            fputs(" | ", fp);
            text_md_cell(fp, u->stratum[0] ? u->stratum : "-");
            fputs(" | ", fp);
            text_md_cell(fp, u->id);
            fprintf(fp, " (%" PRIu64 ") | ", u->rank);
            if (u->spare) {
                text_md_cell(fp, u->spare);
                fprintf(fp, " (%" PRIu64 ")", u->spare_rank);
            } else {
                fputs("no spare left: the file is missing", fp);
            }
            fputs(" | ", fp);
            if (v) {
                text_md_cell(fp, v->note);
                fputs(" (", fp);
                text_md_cell(fp, v->reviewer);
                fputs(")", fp);
            } else {
                fputs("not checked", fp);
            }
            fputs(" |\n", fp);
        }
    }
}

/* Agreement between the rules and the reviewers, per test, and where
 * they disagree. */
static void md_agreement(FILE *fp, const struct reviews *rv)
{
    char a[32], b[32], c[32], pc[16];
    size_t i, k;

    fputs("\n### Agreement between the rules and the reviewers\n\n", fp);
    if (rv->nag == 0) {
        fputs("No file was given a pass or fail by a reviewer.\n", fp);
        return;
    }
    fprintf(fp,
            "Per test, the files a reviewer passed or failed: the rules' "
            "verdict (an error counts as fail) against the reviewer's, the "
            "share on which they agree, and Cohen's kappa with its %g%% "
            "interval (large-sample standard error of Fleiss, Cohen and "
            "Everitt, 1969; - when both put every file in one class).\n\n"
            "| test | n | rules pass, reviewer pass | rules pass, reviewer "
            "fail | rules fail, reviewer pass | rules fail, reviewer fail | "
            "agreement | kappa (interval) |\n|---|--:|--:|--:|--:|--:|--:|"
            "---|\n",
            rv->confidence * 100.0);
    for (i = 0; i < rv->nag; i++) {
        const struct agreement *g = &rv->ag[i];

        fputs("| ", fp);
        text_md_cell(fp, g->name);
        fprintf(fp,
                " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64
                " | %" PRIu64 " | %s | %s",
                g->k.n, g->tab[0], g->tab[1], g->tab[2], g->tab[3],
                report_pct(g->k.po, pc), ktext(g->k.kappa, a, sizeof(a)));
        if (!isnan(g->k.lo))
            fprintf(fp, " (%s to %s)", ktext(g->k.lo, b, sizeof(b)),
                    ktext(g->k.hi, c, sizeof(c)));
        fputs(" |\n", fp);
    }
    for (i = 0; i < rv->nag; i++) {
        const struct agreement *g = &rv->ag[i];

        if (!g->ndisagree)
            continue;
        fputs("\nWhere they disagree, ", fp);
        text_md_cell(fp, g->name);
        fputs(": ", fp);
        for (k = 0; k < g->ndisagree; k++) {
            const struct review *v = &rv->v[g->disagree[k]];

            fputs(k ? "; " : "", fp);
            text_md_cell(fp, v->id);
            fprintf(fp, " (rules %s, reviewer %s)",
                    findings_verdict_name(v->tool),
                    review_verdict_name(v->verdict));
        }
        fputs(".\n", fp);
    }
}

static void md_reviews(const struct report *r, FILE *fp)
{
    const struct reviews *rv = r->reviews;

    if (!rv)
        return;
    fputs("\n## Fieldwork review\n\n", fp);
    if (rv->path)
        md_reviews_applied(fp, rv);
    if (r->spares_ignored)
        fprintf(fp,
                "\n%" PRIu64 " checked spare%s took the place of no drawn "
                "file and %s not counted.\n",
                r->spares_ignored, r->spares_ignored == 1 ? "" : "s",
                r->spares_ignored == 1 ? "is" : "are");
    md_substitutions(fp, rv);
    if (rv->path)
        md_agreement(fp, rv);
}

/* The title and the answer: an audit programme's matrix and tests, or
 * the figures by rule category. */
/* The Bayesian evaluation under the report's prior (report_bayes_groups). */
static void md_bayes(const struct report *r, FILE *fp)
{
    const struct summary *s = r->s;
    const struct sgroup **v;
    char intro[1536], a[16], b[16], c[16], bf[32], nn[64];
    size_t n = report_bayes_groups(r, &v), i;

    if (n == (size_t)-1)
        return;
    if (s->has_prior) {
        report_bayes_intro(r, intro, sizeof(intro));
        fputs("## Bayesian evaluation\n\n", fp);
        text_md_cell(fp, intro);
        fprintf(fp,
                "\n\n| %s | force | files | deviations | posterior mode | "
                "%g%% credible upper bound | P(rate < %s) | Bayes factor | "
                "Bayesian verdict |\n|---|---|--:|--:|--:|--:|--:|--:|---|\n",
                r->programme ? "test" : "category", s->confidence * 100.0,
                report_pct(s->tolerable, a));
    }
    for (i = 0; i < n; i++) {
        const struct sgroup *g = v[i];
        const struct stats_bayes *q = &g->bayes;

        fputs("| ", fp);
        text_md_cell(fp, g->test ? g->test : g->category);
        fputs(" | ", fp);
        text_md_cell(fp, g->force);
        if (!g->has_bayes) {
            fprintf(fp, " | %s | %" PRIu64 " | - | - | - | - | %s |\n",
                    report_n_of_N(g, nn, sizeof(nn)), g->k,
                    g->n ? "every file checked: exact rate"
                         : "no file checked");
            continue;
        }
        fprintf(fp, " | %s | %" PRIu64 " | %s | %s | %s | %s | %s |\n",
                report_n_of_N(g, nn, sizeof(nn)), g->k, report_pct(q->mode, a),
                report_pct(q->upper, b), report_pct(q->p_below, c),
                report_bf_text(q->bayes_factor, bf, sizeof(bf)),
                stats_verdict_name(q->verdict));
    }
    if (s->has_prior)
        fputs("\n", fp);
    free(v);
}

static void md_answer(const struct report *r, FILE *fp)
{
    const struct summary *s = r->s;
    const struct report_programme *p = r->programme;
    char a[16];
    double cpct = s->confidence * 100.0;
    size_t i;

    if (p) {
        fputs("# ", fp);
        text_md_heading(fp, p->title);
        fputs("\n\nAudit programme ", fp);
        text_md_cell(fp, p->id);
        fprintf(fp,
                "%s; confidence %g%%, tolerable %s of files failing. "
                "Generated %s by caseaudit %s. Method and parameters at "
                "the end.\n\n",
                p->census ? ", every file of each frame checked"
                          : ", a hash sample of each frame",
                cpct, report_pct(s->tolerable, a),
                r->generated ? r->generated : "-",
                r->tool_version ? r->tool_version : "-");
        md_matrix(r, fp);
        for (i = 0; i < r->ntests; i++)
            md_test(r, fp, i);
    } else {
        fputs("# Case file compliance report\n\n", fp);
        fprintf(fp,
                "Generated %s by caseaudit %s. Confidence %g%%, tolerable "
                "rate of files failing %s; a result on fewer than %d files "
                "is indicative only. A file passes when every rule that "
                "applies to it passed (a rule that could not be evaluated "
                "counts as failing).\n\n",
                r->generated ? r->generated : "-",
                r->tool_version ? r->tool_version : "-", cpct,
                report_pct(s->tolerable, a), STATS_INDICATIVE_BELOW);
        md_categories(r, fp, "##");
    }
    md_bayes(r, fp);
}

/* The programme a report answers (if any), under "Method and parameters". */
static void md_programme(const struct report *r, FILE *fp)
{
    const struct report_programme *p = r->programme;

    if (p) {
        fputs("Programme ", fp);
        text_md_cell(fp, p->id);
        fputs(" (", fp);
        text_md_cell(fp, p->path);
        fputs(", SHA-256 ", fp);
        text_md_cell(fp, p->sha256);
        fputs(")", fp);
        if (p->description) {
            fputs(": ", fp);
            text_md_cell(fp, p->description);
        }
        fputs("\n\n", fp);
    }
}

/* Per rule and force: the verdicts, the pass rate and the reviews. */
static void md_rules(const struct report *r, FILE *fp)
{
    const struct summary *s = r->s;
    const struct findings *fs = r->fs;
    char a[16], b[16];
    double cpct = s->confidence * 100.0;
    size_t i;

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
}

/* The failing findings, in record order, up to REPORT_MAX_LISTED. */
static void md_failing(const struct report *r, FILE *fp)
{
    const struct summary *s = r->s;
    const struct findings *fs = r->fs;
    size_t i;
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
        fprintf(fp, " | %s", findings_verdict_name((enum verdict)fi->verdict));
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

/* The ingest accounting of each manifest and of the inventory. */
static void md_rejected(const struct report *r, FILE *fp)
{
    size_t i, j;

    fputs("\n## Rows rejected at ingest\n\n", fp);
    if (r->nm == 0 && !r->inventory_path)
        fputs("No sample manifest was given, so the ingest accounting is not "
              "part of this report.\n",
              fp);
    for (i = 0; i < r->nm; i++) {
        const struct sampleinfo *m = &r->m[i];

        fputs("- ", fp);
        md_path(fp, r, m->path);
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
        md_path(fp, r, r->inventory_path);
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
}

/* The reviewers' overrides of findings. */
static void md_overrides(const struct report *r, FILE *fp)
{
    const struct findings *fs = r->fs;
    size_t i;

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
                    findings_verdict_name((enum verdict)ov->original),
                    findings_verdict_name((enum verdict)ov->verdict));
            text_md_cell(fp, ov->reviewer);
            fputs(" | ", fp);
            text_md_cell(fp, ov->reason);
            fputs(" |\n", fp);
        }
    }
}

void report_write_md(const struct report *r, FILE *fp)
{
    md_answer(r, fp);
    fputs("# Method and parameters\n\n", fp);
    md_programme(r, fp);
    md_params(r, fp);
    md_sampling(r, fp);
    if (r->programme)
        md_categories(r, fp, "##");
    md_reconcile(r, fp);
    md_rules(r, fp);
    if (!r->programme) {
        fputs("\n## Failing files\n\n", fp);
        md_failing(r, fp);
    } else {
        fputs("\n## Failing findings\n\nEvery finding (each rule on each "
              "checked file, with its evidence) is in findings.csv and "
              "summary.json; each file's verdict per test in files.csv.\n",
              fp);
    }
    md_rejected(r, fp);
    md_overrides(r, fp);
    md_reviews(r, fp);
}
