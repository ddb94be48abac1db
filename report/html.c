/* SPDX-License-Identifier: MIT */
/*
 * report.html: one self-contained page (inline CSS and SVG, no script, no
 * fonts, no network: a Content-Security-Policy forbids any fetch) that an
 * inspector can read, print and attach.  Every value that comes from data
 * (ids, forces, messages, evidence, reviewer names, paths) goes through
 * text_html().
 *
 * It answers first: with an audit programme, the first screen (1400 x 900)
 * is the headline matrix (forces x tests, each cell the share of files
 * passing with its interval, files checked of N and the verdict,
 * coloured) and the programme's whole-export counts; then one section per
 * test (its question, its frame, a chart and a table in the same
 * polarity, the breakdowns it asks for, the failing files with their
 * evidence); then the method and parameters.  Without a programme
 * (`caseaudit report`) the figures by force come first.  One polarity
 * everywhere: the share of files passing.
 */
#include "report/html.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_cells.h"
#include "report/html_reviews.h"
#include "report/html_tests.h"
#include "report/json.h"
#include "report/text.h"

static const char css[] =
    ":root{--ink:#1b1f24;--muted:#59636e;--line:#d0d7de;--bg:#f6f8fa;"
    "--ok:#1a7f37;--bad:#cf222e;--mid:#9a6700;--okbg:#dafbe1;"
    "--badbg:#ffebe9;--midbg:#fff8c5;}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,"
    "Arial,sans-serif;color:var(--ink);margin:0 auto;max-width:1320px;"
    "padding:16px 28px 48px;line-height:1.45;font-size:15px}\n"
    "h1{font-size:1.45em;margin:0 0 2px}\n"
    "h2{font-size:1.25em;margin:32px 0 10px;padding-bottom:4px;"
    "border-bottom:2px solid var(--line)}\n"
    "h3{font-size:1.05em;margin:20px 0 8px}\n"
    ".meta{color:var(--muted);margin:0;font-size:.9em}\n"
    ".params{display:flex;flex-wrap:wrap;gap:8px 24px;margin:12px 0 0;"
    "padding:10px 14px;background:var(--bg);border:1px solid var(--line);"
    "border-radius:6px}\n"
    ".params b{font-weight:600}\n"
    "table{border-collapse:collapse;width:100%;margin:8px 0 16px;"
    "font-size:.9em}\n"
    "th,td{border:1px solid var(--line);padding:4px 7px;text-align:left;"
    "vertical-align:top}\n"
    "th{background:var(--bg);font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "tr.whole td{font-weight:600;background:#fbfcfd}\n"
    ".v{display:inline-block;padding:1px 8px;border-radius:10px;"
    "font-size:.85em;font-weight:600;white-space:nowrap;color:#fff}\n"
    ".v-compliant{background:var(--ok)}\n"
    ".v-not-compliant{background:var(--bad)}\n"
    ".v-inconclusive{background:var(--mid)}\n"
    ".ind{color:var(--mid);font-size:.85em;white-space:nowrap}\n"
    ".note{color:var(--muted);font-size:.85em}\n"
    "p.tablenote{color:var(--muted);font-size:.88em;margin:4px 0}\n"
    "pre.ev{white-space:pre-wrap;word-break:break-word;margin:0;"
    "font-size:.92em;font-family:ui-monospace,Consolas,monospace;"
    "background:var(--bg);padding:3px 5px;border-radius:4px}\n"
    ".stmt{background:var(--bg);border-left:4px solid #0969da;padding:8px 12px;"
    "margin:8px 0}\n"
    ".question{font-size:1.05em;margin:4px 0 8px}\n"
    ".hash{font-family:ui-monospace,Consolas,monospace;font-size:.85em;"
    "word-break:break-all}\n"
    "code.cond{white-space:pre-wrap;font-size:.85em}\n"
    "svg.chart{display:block;width:100%;max-width:1000px;height:auto;"
    "margin:6px 0 14px}\n"
    "td.nw{white-space:nowrap}\n"
    "svg.chart text{font-family:system-ui,Helvetica,Arial,sans-serif;"
    "font-size:12px;fill:#1b1f24}\n"
    "table.matrix{table-layout:fixed;margin-top:6px}\n"
    "table.matrix th.test{font-size:.92em;vertical-align:bottom}\n"
    "table.matrix th.test a{color:inherit;text-decoration:none}\n"
    "table.matrix th.force{width:150px}\n"
    "table.matrix td{padding:6px 7px;line-height:1.25}\n"
    "table.matrix td .rate{font-size:1.35em;font-weight:700;"
    "font-variant-numeric:tabular-nums}\n"
    "table.matrix td .ci,table.matrix td .nn{display:block;font-size:.85em;"
    "color:var(--muted);font-variant-numeric:tabular-nums}\n"
    "table.matrix .v{white-space:normal}\n"
    "table.matrix.rows{table-layout:auto}\n"
    "table.matrix.rows th.test{width:230px;vertical-align:top}\n"
    "table.matrix.rows td{padding:3px 7px;white-space:nowrap}\n"
    "table.matrix.rows td .rate{font-size:1.05em}\n"
    "table.matrix.rows td .ci,table.matrix.rows td .nn,"
    "table.matrix.rows td .v{display:inline-block;margin-left:6px}\n"
    "td.c-compliant{background:var(--okbg)}\n"
    "td.c-not-compliant{background:var(--badbg)}\n"
    "td.c-inconclusive{background:var(--midbg)}\n"
    "td.c-none{background:#fff;color:var(--muted)}\n"
    "table.counts{width:auto;min-width:60%}\n"
    "table.failing th:nth-child(5){min-width:16em}\n"
    "table.failing th:last-child{width:34%}\n"
    "table.params-table th{width:22%}\n"
    "footer code{word-break:break-all}\n"
    "footer{margin-top:36px;color:var(--muted);font-size:.85em;"
    "border-top:1px solid var(--line);padding-top:10px}\n"
    "@page{size:A4 landscape;margin:12mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:9.5pt}"
    "h2{break-after:avoid}h3{break-after:avoid}"
    "tr,svg.chart,.stmt{break-inside:avoid}"
    "section.test{break-before:page}"
    "thead{display:table-header-group}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* ---- method and parameters ---------------------------------------------- */

static void html_sampling(FILE *fp, const struct report *r)
{
    const struct summary *s = r->s;
    char stmt[2048];
    size_t i, j;

    fputs("<h3 id=\"sampling\">How the files were chosen</h3>\n", fp);
    for (i = 0; i < s->nt; i++) {
        const struct stype *t = &s->t[i];
        const struct sampleinfo *m = t->m;

        report_sampling_statement(r, t, stmt, sizeof(stmt));
        fputs("<div class=\"stmt\"><p>", fp);
        if (m) {
            uint64_t N = 0;

            for (j = 0; j < m->npop; j++)
                N += m->pop[j].N;
            if (strcmp(m->name, m->type) != 0) {
                fputs("Frame <b>", fp);
                text_html(fp, m->name);
                fputs("</b>: ", fp);
            }
            fprintf(fp, "<b>%zu</b> ", m->nselected);
            text_html(fp, m->type);
            fprintf(fp, " files drawn from <b>%" PRIu64 "</b> by method <b>",
                    N);
            text_html(fp, m->census ? "census (every file)" : m->method);
            fputs("</b>, seed <b>", fp);
            text_html(fp, m->seed ? m->seed : "(none)");
            fputs("</b>", fp);
            if (m->per_force)
                fputs(", separately for each force", fp);
            if (m->nstrata) {
                fputs(", stratified by ", fp);
                for (j = 0; j < m->nstrata; j++) {
                    if (j)
                        fputs(", ", fp);
                    text_html(fp, m->strata[j]);
                }
                if (m->allocation) {
                    fputs(" (", fp);
                    text_html(fp, m->allocation);
                    fputs(" allocation)", fp);
                }
            }
            fputs("; manifest <code>", fp);
            html_path(fp, r, m->path);
            fputs("</code> SHA-256 <span class=\"hash\">", fp);
            text_html(fp, m->sha256);
            fputs("</span>.</p><p>", fp);
            fprintf(fp, "%" PRIu64 " files with findings", t->checked);
            if (t->spares_used)
                fprintf(fp,
                        ", %" PRIu64 " of them spares replacing selected "
                        "files",
                        t->spares_used);
            fputs(".", fp);
            if (t->nunchecked) {
                fprintf(fp,
                        " %zu selected file(s) without findings (no "
                        "applicable rule, or not checked): ",
                        t->nunchecked);
                for (j = 0; j < t->nunchecked && j < 50; j++) {
                    if (j)
                        fputs(", ", fp);
                    fputs("<code>", fp);
                    text_html(fp, t->unchecked[j]);
                    fputs("</code>", fp);
                }
                if (t->nunchecked > 50)
                    fprintf(fp, " and %zu more (see summary.json)",
                            t->nunchecked - 50);
                fputs(".", fp);
            }
        } else {
            text_html(fp, stmt);
        }
        fputs("</p></div>\n", fp);
    }
}

/* The groups of one sample, whole force then by category, each table's
 * common note said once above it. */
static void html_forces(FILE *fp, const struct report *r, const char *h)
{
    const struct summary *s = r->s;
    double cpct = s->confidence * 100.0;
    const struct sgroup **v = calloc(s->ng + 1, sizeof(*v));
    size_t i, j, n;

    if (!v)
        return;
    fprintf(fp, "<%s id=\"categories\">By force and rule category</%s>\n", h,
            h);
    fputs("<p class=\"tablenote\">The share of files passing: for "
          "\"all rules\", files where every rule that applies passed; for a "
          "category, files where every rule of that category passed (a rule "
          "that could not be evaluated counts as not passing). The lower "
          "bound is one-sided, with the number of passing files it vouches "
          "for in the population.</p>\n",
          fp);
    for (i = 0; i < s->nt; i++) {
        const char *type = s->t[i].type, *sample = s->t[i].sample;
        const char *note;

        n = 0;
        for (j = 0; j < s->ng; j++) {
            const struct sgroup *g = &s->g[j];

            if (strcmp(g->type, type) == 0 && strcmp(g->sample, sample) == 0 &&
                !g->stratum)
                v[n++] = g;
        }
        if (!n)
            continue;
        fputs("<h4>", fp);
        text_html(fp, type);
        fputs(" files", fp);
        if (strcmp(sample, type) != 0) {
            fputs(" of frame ", fp);
            text_html(fp, sample);
        }
        fputs("</h4>\n", fp);
        {
            /* the chart of the whole-force rows, in the tables' polarity */
            const struct sgroup **w = calloc(n + 1, sizeof(*w));
            size_t nw = 0;

            if (w) {
                for (j = 0; j < n; j++)
                    if (strcmp(v[j]->category, "all") == 0)
                        w[nw++] = v[j];
                html_chart(fp, r, w, nw, sample);
                free(w);
            }
        }
        note = html_common_note(v, n);
        if (note) {
            fputs("<p class=\"tablenote\">", fp);
            text_html(fp, note);
            fputs(".</p>\n", fp);
        }
        fputs("<table class=\"groups\">", fp);
        html_group_head(fp, "<th>force</th><th>category</th>", cpct);
        fputs("<tbody>\n", fp);
        for (j = 0; j < n; j++) {
            bool whole = strcmp(v[j]->category, "all") == 0;

            fprintf(fp, "<tr class=\"%s\">", whole ? "whole" : "cat");
            html_td_text(fp, v[j]->force);
            html_td_text(fp, whole ? "all rules" : v[j]->category);
            html_group_cells(fp, v[j], note);
            fputs("</tr>\n", fp);
        }
        fputs("</tbody></table>\n", fp);
    }
    free(v);
}

static void html_strata(FILE *fp, const struct report *r)
{
    const struct summary *s = r->s;
    double cpct = s->confidence * 100.0;
    bool any = false;
    size_t i, j;

    for (i = 0; i < s->ng; i++) {
        const struct sgroup *g = &s->g[i];
        char a[16], b[16], c[16], d[16];

        if (g->stratum || strcmp(g->category, "all") != 0)
            continue;
        for (j = 0; j < s->ng; j++)
            if (report_is_stratum_of(&s->g[j], g))
                break;
        if (j == s->ng)
            continue;
        if (!any) {
            fputs("<h3 id=\"strata\">Strata</h3>\n", fp);
            any = true;
        }
        fputs("<h4>", fp);
        text_html(fp, g->force);
        fputs(" &mdash; ", fp);
        text_html(fp, g->sample);
        fputs("</h4>\n", fp);
        if (g->has_strat)
            fprintf(fp,
                    "<p>Stratified estimate of the share passing "
                    "(weights N<sub>h</sub>/N): <b>%s</b>, standard error "
                    "%s, %g%% CI %s&ndash;%s.</p>\n",
                    report_pct(1.0 - g->strat.estimate, a),
                    report_pct(g->strat.se, b), cpct,
                    report_pct(1.0 - g->strat.ci.hi, c),
                    report_pct(1.0 - g->strat.ci.lo, d));
        fputs("<table class=\"strata\">", fp);
        html_group_head(fp, "<th>stratum</th>", cpct);
        fputs("<tbody>\n", fp);
        for (j = 0; j < s->ng; j++) {
            const struct sgroup *h = &s->g[j];

            if (!report_is_stratum_of(h, g))
                continue;
            fputs("<tr>", fp);
            html_td_text(fp, h->stratum);
            html_group_cells(fp, h, NULL);
            fputs("</tr>\n", fp);
        }
        fputs("</tbody></table>\n", fp);
    }
    if (any)
        fputs("<p class=\"note\">Strata by category are in summary.json and "
              "summary.csv.</p>\n",
              fp);
}

/* --by breakdowns: one table per record type, so that types never mix. */
static void html_breakdowns(FILE *fp, const struct report *r)
{
    const struct summary *s = r->s;
    double cpct = s->confidence * 100.0;
    size_t i, t;

    if (!s->nb)
        return;
    fputs("<h3 id=\"breakdowns\">Breakdowns</h3>\n"
          "<p class=\"tablenote\">The share of files passing every rule, by "
          "field value. The population of each value is not known from the "
          "sample, so the bounds are binomial. All categories are in "
          "summary.json.</p>\n",
          fp);
    for (t = 0; t < s->nt; t++) {
        bool any = false;

        for (i = 0; i < s->nb; i++) {
            const struct sgroup *g = &s->b[i];

            if (strcmp(g->category, "all") != 0 ||
                strcmp(g->type, s->t[t].type) != 0 ||
                strcmp(g->sample, s->t[t].sample) != 0)
                continue;
            if (!any) {
                fputs("<h4>", fp);
                text_html(fp, s->t[t].sample);
                fputs("</h4>\n<table>", fp);
                html_group_head(
                    fp, "<th>field</th><th>value</th><th>force</th>", cpct);
                fputs("<tbody>\n", fp);
                any = true;
            }
            fputs("<tr>", fp);
            html_td_text(fp, g->by_field);
            html_td_text(fp, g->by_value);
            html_td_text(fp, g->force);
            html_group_cells(fp, g, NULL);
            fputs("</tr>\n", fp);
        }
        if (any)
            fputs("</tbody></table>\n", fp);
    }
}

static void html_failing(FILE *fp, const struct report *r)
{
    const struct summary *s = r->s;
    const struct findings *fs = r->fs;
    size_t i = 0, shown = 0, total = 0;
    uint32_t f = FINDING_NONE;
    const struct finding *fi;

    fputs("<section id=\"failing\"><h2>Failing files</h2>\n", fp);
    while ((fi = report_next_failing(fs, &i, &f))) {
        const struct frecord *rec = &fs->recs[i];
        const struct evidence *e =
            fi->ev != FINDING_NONE ? &fs->ev[fi->ev] : NULL;

        total++;
        if (shown == REPORT_MAX_LISTED)
            continue;
        if (shown++ == 0)
            fputs("<table class=\"failing\"><thead><tr><th>force</th>"
                  "<th>type</th><th>id</th><th>stratum</th><th>rule</th>"
                  "<th>verdict</th><th>message</th><th>entry</th>"
                  "<th>evidence</th></tr></thead><tbody>\n",
                  fp);
        fputs("<tr>", fp);
        html_td_text(fp, s->rec_force[i]);
        html_td_text(fp, fs->types.v[rec->type]);
        html_td_nw(fp, rec->id);
        html_td_text(fp, s->rec_stratum[i] ? s->rec_stratum[i] : "");
        html_td_nw(fp, fs->rules[fi->rule].id);
        fputs("<td>", fp);
        text_html(fp, findings_verdict_name((enum verdict)fi->verdict));
        if (fi->ovr != FINDING_NONE) {
            fputs("<div class=\"note\">override by ", fp);
            text_html(fp, fs->ovr[fi->ovr].reviewer);
            fputs(": ", fp);
            text_html(fp, fs->ovr[fi->ovr].reason);
            fputs("</div>", fp);
        }
        fputs("</td>", fp);
        html_td_text(fp, e ? e->message : "");
        html_td_nw(fp, e ? e->entry_at : "");
        fputs("<td>", fp);
        if (e)
            html_excerpt(fp, NULL, e->excerpt);
        fputs("</td></tr>\n", fp);
    }
    html_failing_close(fp, shown, total, "No file failed a rule.", "findings",
                       "findings.csv and summary.json");
    fputs("</section>\n", fp);
}

static void html_params(FILE *fp, const struct report *r)
{
    size_t i;

    if (!r->nparams)
        return;
    fputs("<section id=\"parameters\"><h2>Audit parameters</h2>\n"
          "<table class=\"params-table\"><tbody>\n",
          fp);
    for (i = 0; i < r->nparams; i++) {
        fputs("<tr><th>", fp);
        text_html(fp, r->params[i].name);
        fputs("</th>", fp);
        html_td_text(fp, r->params[i].value);
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table></section>\n", fp);
}

static void td_share(FILE *fp, uint64_t a, uint64_t n)
{
    char p[16];

    if (n)
        fprintf(fp,
                "<td class=\"num\">%" PRIu64
                " <span class=\"note\">(%s)</span></td>",
                a, report_pct((double)a / (double)n, p));
    else
        fprintf(fp, "<td class=\"num\">%" PRIu64 "</td>", a);
}
static void html_reconcile_row(FILE *fp, const struct reconcile_force *f,
                               bool bail, bool total)
{
    fputs(total ? "<tr class=\"whole\">" : "<tr>", fp);
    html_td_text(fp, total ? "all forces" : f->force);
    html_td_u64(fp, f->crimes);
    html_td_u64(fp, f->via_incident);
    td_share(fp, f->via_incident_attended, f->via_incident);
    td_share(fp, f->direct_recorded, f->crimes);
    td_share(fp, f->direct_attended, f->direct_recorded);
    html_td_u64(fp, f->unmatched_incident_refs);
    html_td_u64(fp, f->incidents);
    html_td_u64(fp, f->incidents_closed_as_crimes);
    html_td_u64(fp, f->unmatched_crime_refs);
    html_td_u64(fp, f->named_suspects);
    td_share(fp, f->suspects_not_arrested, f->named_suspects);
    if (bail) {
        html_td_u64(fp, f->bail);
        td_share(fp, f->failed_to_answer, f->bail);
    }
    fputs("</tr>\n", fp);
}

static void html_reconcile(FILE *fp, const struct report *r)
{
    const struct reconcile_result *rc = r->reconcile;
    size_t i;

    if (!rc)
        return;
    fputs("<section id=\"reconcile\"><h2>Crimes and incidents "
          "reconciled</h2>\n"
          "<p>Every crime, not a sample. A crime without an incident "
          "reference was recorded directly onto the crime system; references "
          "are matched within a force. A named suspect is dealt with when "
          "the outcome is a charge, caution, summons or community "
          "resolution, or the log records an arrest, interview or voluntary "
          "attendance.</p>\n<table class=\"reconcile\"><thead><tr>"
          "<th>force</th><th class=\"num\">crimes</th>"
          "<th class=\"num\">via an incident</th>"
          "<th class=\"num\">of which attended</th>"
          "<th class=\"num\">recorded directly</th>"
          "<th class=\"num\">of which attended</th>"
          "<th class=\"num\">incident refs matching no incident</th>"
          "<th class=\"num\">incidents</th>"
          "<th class=\"num\">closed as crimes</th>"
          "<th class=\"num\">their crime refs matching no crime</th>"
          "<th class=\"num\">named suspects</th>"
          "<th class=\"num\">not yet arrested or interviewed</th>",
          fp);
    if (rc->have_bail)
        fputs("<th class=\"num\">bail cases</th>"
              "<th class=\"num\">failed to answer</th>",
              fp);
    fputs("</tr></thead><tbody>\n", fp);
    for (i = 0; i < rc->n; i++)
        html_reconcile_row(fp, &rc->f[i], rc->have_bail, false);
    if (rc->n > 1)
        html_reconcile_row(fp, &rc->total, rc->have_bail, true);
    fputs("</tbody></table></section>\n", fp);
}

static void html_rules(FILE *fp, const struct report *r)
{
    const struct summary *s = r->s;
    const struct findings *fs = r->fs;
    size_t i;

    fputs("<section id=\"rules\"><h2>Rules</h2>\n<table><thead><tr>"
          "<th>force</th><th>type</th><th>rule</th><th>category</th>"
          "<th>level</th><th class=\"num\">applied</th>"
          "<th class=\"num\">pass</th><th class=\"num\">fail</th>"
          "<th class=\"num\">error</th><th class=\"num\">pass rate</th>",
          fp);
    fprintf(fp,
            "<th class=\"num\">%g%% CI</th><th class=\"num\">reviewed</th>"
            "<th class=\"num\">overturned</th></tr></thead><tbody>\n",
            s->confidence * 100.0);
    for (i = 0; i < s->nr; i++) {
        const struct srule *ru = &s->r[i];
        const struct frule *fr = &fs->rules[ru->rule];
        char a[16], b[16];

        fputs("<tr>", fp);
        html_td_text(fp, ru->force);
        html_td_text(fp, ru->type);
        html_td_text(fp, fr->id);
        html_td_text(fp, fs->categories.v[fr->category]);
        html_td_text(fp, fr->level);
        fprintf(
            fp,
            "<td class=\"num\">%" PRIu64 "</td><td class=\"num\">%" PRIu64
            "</td><td class=\"num\">%" PRIu64 "</td><td class=\"num\">%" PRIu64
            "</td><td class=\"num\">%s</td>",
            ru->n, ru->pass, ru->fail, ru->error, report_pct(ru->pass_rate, a));
        if (isnan(ru->cp.lo))
            fputs("<td class=\"num\">&ndash;</td>", fp);
        else
            fprintf(fp, "<td class=\"num\">%s&ndash;%s</td>",
                    report_pct(ru->cp.lo, a), report_pct(ru->cp.hi, b));
        fprintf(fp,
                "<td class=\"num\">%" PRIu64 "</td><td class=\"num\">%" PRIu64,
                ru->reviewed, ru->to_pass + ru->to_fail);
        if (ru->to_pass + ru->to_fail)
            fprintf(fp,
                    " <span class=\"note\">(%" PRIu64 " to pass, %" PRIu64
                    " to fail)</span>",
                    ru->to_pass, ru->to_fail);
        fputs("</td></tr>\n", fp);
    }
    fputs("</tbody></table></section>\n", fp);
}

static void html_rejected(FILE *fp, const struct report *r)
{
    size_t i, j;

    fputs("<section id=\"rejected\"><h2>Rows rejected at ingest</h2>\n", fp);
    if (r->nm == 0 && !r->inventory_path)
        fputs("<p>No sample manifest was given, so the ingest accounting is "
              "not part of this report.</p>\n",
              fp);
    for (i = 0; i < r->nm; i++) {
        const struct sampleinfo *m = &r->m[i];

        fputs("<p>Sample of ", fp);
        text_html(fp, m->type);
        fputs(" records (<code>", fp);
        html_path(fp, r, m->path);
        fprintf(
            fp,
            "</code>): %" PRIu64 " rows read, %" PRIu64 " accepted, <b>%" PRIu64
            " rejected</b>, %" PRIu64 " outside the frame.</p>\n",
            m->rows_read, m->rows_accepted, m->rows_rejected, m->rows_excluded);
        if (m->nrej) {
            fputs("<table style=\"width:auto\"><thead><tr><th>reason</th>"
                  "<th class=\"num\">rows</th></tr></thead><tbody>\n",
                  fp);
            for (j = 0; j < m->nrej; j++) {
                fputs("<tr>", fp);
                html_td_text(fp, m->rej[j].reason);
                fprintf(fp, "<td class=\"num\">%" PRIu64 "</td></tr>\n",
                        m->rej[j].n);
            }
            fputs("</tbody></table>\n", fp);
        }
    }
    if (r->inventory_path) {
        struct inventory_summary inv;

        fputs("<p>Inventory <code>", fp);
        html_path(fp, r, r->inventory_path);
        fputs("</code>", fp);
        if (r->inventory_text &&
            report_inventory_parse(r->inventory_text, &inv) == 0) {
            fprintf(fp,
                    ": %" PRIu64 " rows read, %" PRIu64 " accepted, <b>%" PRIu64
                    " rejected</b>.</p>\n",
                    inv.rows_read, inv.rows_accepted, inv.rows_rejected);
            if (inv.nrej) {
                fputs("<table style=\"width:auto\"><thead><tr><th>reason</th>"
                      "<th class=\"num\">rows</th></tr></thead><tbody>\n",
                      fp);
                for (j = 0; j < inv.nrej; j++) {
                    fputs("<tr>", fp);
                    html_td_text(fp, inv.rej[j].reason);
                    fprintf(fp, "<td class=\"num\">%" PRIu64 "</td></tr>\n",
                            inv.rej[j].n);
                }
                fputs("</tbody></table>\n", fp);
            }
            report_inventory_release(&inv);
        } else {
            fputs(".</p>\n", fp);
            if (r->inventory_text) {
                fputs("<details><summary>inventory</summary><pre "
                      "class=\"ev\">",
                      fp);
                text_html(fp, r->inventory_text);
                fputs("</pre></details>\n", fp);
            }
        }
    }
    fputs("</section>\n", fp);
}

static void html_command(FILE *fp, const struct report *r)
{
    size_t i;

    fputs("<p>Command: <code>caseaudit ", fp);
    for (i = 0; i < r->argc; i++) {
        if (i)
            fputc(' ', fp);
        text_html(fp, r->argv[i]);
    }
    fputs("</code></p>", fp);
}

/* The Bayesian evaluation under the report's prior (report_bayes_groups). */
static void html_bayes(FILE *fp, const struct report *r)
{
    const struct summary *s = r->s;
    const struct sgroup **v;
    char intro[1536], a[16], b[16], c[16], bf[32], nn[64];
    size_t n, i;

    if (!s->has_prior || (n = report_bayes_groups(r, &v)) == (size_t)-1)
        return;
    report_bayes_intro(r, intro, sizeof(intro));
    fputs("<section id=\"bayes\"><h2>Bayesian evaluation</h2>\n<p>", fp);
    text_html(fp, intro);
    fprintf(fp,
            "</p>\n<table><thead><tr><th>%s</th><th>Force</th>"
            "<th>Files</th><th>Deviations</th><th>Posterior mode</th>"
            "<th>%g%% credible upper bound</th><th>P(rate &lt; %s)</th>"
            "<th>Bayes factor</th><th>Bayesian verdict</th></tr></thead>"
            "<tbody>\n",
            r->programme ? "Test" : "Category", s->confidence * 100.0,
            report_pct(s->tolerable, a));
    for (i = 0; i < n; i++) {
        const struct sgroup *g = v[i];
        const struct stats_bayes *q = &g->bayes;

        fputs("<tr><td>", fp);
        text_html(fp, g->test ? g->test : g->category);
        fputs("</td><td>", fp);
        text_html(fp, g->force);
        fprintf(fp,
                "</td><td class=\"num\">%s</td><td class=\"num\">%" PRIu64
                "</td>",
                report_n_of_N(g, nn, sizeof(nn)), g->k);
        if (!g->has_bayes) {
            fprintf(fp,
                    "<td colspan=\"4\"></td><td class=\"note\">%s</td>"
                    "</tr>\n",
                    g->n ? "every file checked: exact rate"
                         : "no file checked");
            continue;
        }
        fprintf(fp,
                "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
                "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
                "<td>%s</td></tr>\n",
                report_pct(q->mode, a), report_pct(q->upper, b),
                report_pct(q->p_below, c),
                report_bf_text(q->bayes_factor, bf, sizeof(bf)),
                stats_verdict_name(q->verdict));
    }
    fputs("</tbody></table></section>\n", fp);
    free(v);
}

void report_write_html(const struct report *r, FILE *fp)
{
    const struct summary *s = r->s;
    const struct report_programme *p = r->programme;
    char a[16];
    size_t t;

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
          "'none'; style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n<title>",
          fp);
    if (p) {
        text_html(fp, p->title);
        fputs(" &mdash; case file audit", fp);
    } else {
        fputs("Case file compliance report", fp);
    }
    fputs("</title>\n<style>\n", fp);
    fputs(css, fp);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>", fp);
    if (p)
        text_html(fp, p->title);
    else
        fputs("Case file compliance report", fp);
    fputs("</h1>\n<p class=\"meta\">", fp);
    if (p) {
        fputs("Audit programme <b>", fp);
        text_html(fp, p->id);
        fputs("</b>", fp);
        fputs(p->census ? ", every file of each frame checked"
                        : ", a hash sample of each frame",
              fp);
        fprintf(fp, "; confidence %g%%, tolerable %s of files failing. ",
                s->confidence * 100.0, report_pct(s->tolerable, a));
    }
    fputs("Generated ", fp);
    text_html(fp, r->generated ? r->generated : "-");
    fputs(" by caseaudit ", fp);
    text_html(fp, r->tool_version ? r->tool_version : "-");
    fputs(". Method and parameters at the <a href=\"#method\">end</a>.</p>\n",
          fp);
    fputs("</header>\n", fp);
    if (p) {
        html_tests_matrix(fp, r);
        for (t = 0; t < r->ntests; t++)
            html_tests_test(fp, r, t);
    } else {
        fputs("<section id=\"forces\"><h2>Compliance by force</h2>\n", fp);
        html_forces(fp, r, "h3");
        html_strata(fp, r);
        html_breakdowns(fp, r);
        fputs("</section>\n", fp);
        html_failing(fp, r);
    }
    html_bayes(fp, r);
    fputs("<section id=\"method\"><h2>Method and parameters</h2>\n", fp);
    fputs("<div class=\"params\">", fp);
    fprintf(fp, "<span><b>Confidence</b> %g%%</span>", s->confidence * 100.0);
    fprintf(fp, "<span><b>Tolerable rate of files failing</b> %s</span>",
            report_pct(s->tolerable, a));
    fprintf(fp, "<span><b>Indicative</b> below %d files</span>",
            STATS_INDICATIVE_BELOW);
    fputs("<span><b>A file fails a test</b> when any of the test's rules "
          "fails; a rule that could not be evaluated counts as failing"
          "</span></div>\n",
          fp);
    if (p) {
        fputs("<p>Programme <b>", fp);
        text_html(fp, p->id);
        fputs("</b> (<code>", fp);
        text_html(fp, p->path);
        fputs("</code>, SHA-256 <span class=\"hash\">", fp);
        text_html(fp, p->sha256);
        fputs("</span>)", fp);
        if (p->description) {
            fputs(": ", fp);
            text_html(fp, p->description);
        }
        if (p->nrefs) {
            fputs(" References: ", fp);
            for (t = 0; t < p->nrefs; t++) {
                if (t)
                    fputs("; ", fp);
                text_html(fp, p->refs[t]);
            }
            fputs(".", fp);
        }
        fputs("</p>\n", fp);
    }
    fputs("</section>\n", fp);
    html_params(fp, r);
    fputs("<section id=\"chosen\">", fp);
    html_sampling(fp, r);
    fputs("</section>\n", fp);
    if (p) {
        fputs("<section id=\"forces\"><h2>By rule category</h2>\n", fp);
        html_forces(fp, r, "h3");
        html_strata(fp, r);
        html_breakdowns(fp, r);
        fputs("</section>\n", fp);
    }
    html_reconcile(fp, r);
    html_rules(fp, r);
    if (p)
        fputs("<p class=\"note\">Every finding (each rule on each checked "
              "file, with its evidence) is in findings.csv and summary.json; "
              "each file's verdict per test in files.csv.</p>\n",
              fp);
    html_rejected(fp, r);
    html_reviews_overrides(fp, r);
    html_reviews_section(fp, r);
    fputs("<footer><p>Verdicts compare the one-sided bounds with the tolerable "
          "rate: <b>compliant</b> when the upper bound on the share failing "
          "is below it, <b>not compliant</b> when the lower bound is above "
          "it, otherwise <b>inconclusive</b>. Bounds are exact "
          "hypergeometric bounds in the population N where N is known, "
          "binomial otherwise; with the whole population checked the rates "
          "are exact. A rule that could not be evaluated (verdict "
          "<i>error</i>) counts as failing.</p>",
          fp);
    html_command(fp, r);
    fputs("</footer>\n</body>\n</html>\n", fp);
}
