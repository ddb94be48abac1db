/* SPDX-License-Identifier: MIT */
/*
 * report.html: one self-contained page (inline CSS and SVG, no script, no
 * fonts, no network: a Content-Security-Policy forbids any fetch) that an
 * inspector can read, print and attach.  Every value that comes from data
 * (ids, forces, messages, evidence, reviewer names, paths) goes through
 * text_html().
 */
#include <inttypes.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "report/report.h"
#include "report/text.h"

static const char css[] =
    ":root{--ink:#1b1f24;--muted:#59636e;--line:#d0d7de;--bg:#f6f8fa;"
    "--ok:#1a7f37;--bad:#cf222e;--mid:#9a6700;}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,"
    "Arial,sans-serif;color:var(--ink);margin:0 auto;max-width:1120px;"
    "padding:24px 28px 48px;line-height:1.45;font-size:15px}\n"
    "h1{font-size:1.7em;margin:0 0 4px}\n"
    "h2{font-size:1.25em;margin:32px 0 10px;padding-bottom:4px;"
    "border-bottom:2px solid var(--line)}\n"
    "h3{font-size:1.05em;margin:20px 0 8px}\n"
    ".meta{color:var(--muted);margin:0}\n"
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
    "pre.ev{white-space:pre-wrap;word-break:break-word;margin:0;"
    "font-size:.92em;font-family:ui-monospace,Consolas,monospace;"
    "background:var(--bg);padding:3px 5px;border-radius:4px}\n"
    ".stmt{background:var(--bg);border-left:4px solid #0969da;padding:8px 12px;"
    "margin:8px 0}\n"
    ".hash{font-family:ui-monospace,Consolas,monospace;font-size:.85em;"
    "word-break:break-all}\n"
    "svg.chart{display:block;width:100%;max-width:1000px;height:auto;"
    "margin:6px 0 14px}\n"
    "td.nw{white-space:nowrap}\n"
    "svg.chart text{font-family:system-ui,Helvetica,Arial,sans-serif;"
    "font-size:12px;fill:#1b1f24}\n"
    "table.failing th:nth-child(7){min-width:16em}\n"
    "table.failing th:last-child{width:30%}\n"
    "table.params-table th{width:22%}\n"
    "footer code{word-break:break-all}\n"
    "footer{margin-top:36px;color:var(--muted);font-size:.85em;"
    "border-top:1px solid var(--line);padding-top:10px}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:9.5pt}"
    "h2{break-after:avoid}h3{break-after:avoid}"
    "tr,svg.chart,.stmt{break-inside:avoid}"
    "thead{display:table-header-group}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static const char *verdict_class(enum stats_verdict v)
{
    switch (v) {
    case STATS_VERDICT_COMPLIANT:
        return "v-compliant";
    case STATS_VERDICT_NOT_COMPLIANT:
        return "v-not-compliant";
    default:
        return "v-inconclusive";
    }
}

static const char *verdict_color(enum stats_verdict v)
{
    switch (v) {
    case STATS_VERDICT_COMPLIANT:
        return "#1a7f37";
    case STATS_VERDICT_NOT_COMPLIANT:
        return "#cf222e";
    default:
        return "#9a6700";
    }
}

static void td_text(FILE *fp, const char *s)
{
    fputs("<td>", fp);
    text_html(fp, s);
    fputs("</td>", fp);
}

static void td_nw(FILE *fp, const char *s)
{
    fputs("<td class=\"nw\">", fp);
    text_html(fp, s);
    fputs("</td>", fp);
}

static void td_ci(FILE *fp, const struct sgroup *g, struct interval iv)
{
    char a[16], b[16];

    if (!report_has_interval(g) || isnan(iv.lo))
        fputs("<td class=\"num\">&ndash;</td>", fp);
    else
        fprintf(fp, "<td class=\"num\">%s&ndash;%s</td>", report_pct(iv.lo, a),
                report_pct(iv.hi, b));
}

static void group_cells(FILE *fp, const struct sgroup *g)
{
    char a[16], nn[64];

    fprintf(fp,
            "<td class=\"num\">%s</td><td class=\"num\">%" PRIu64
            "</td><td class=\"num\">%s</td>",
            report_n_of_N(g, nn, sizeof(nn)), g->k, report_pct(g->rate, a));
    td_ci(fp, g, g->cp);
    td_ci(fp, g, g->wilson);
    fprintf(fp, "<td class=\"num\">%s", report_pct(g->upper, a));
    if (g->upper_dev != SUMMARY_UNKNOWN && !g->census)
        fprintf(fp, " <span class=\"note\">(%" PRIu64 " of %" PRIu64 ")</span>",
                g->upper_dev, g->N);
    fprintf(fp, "</td><td><span class=\"v %s\">%s</span>",
            verdict_class(g->verdict), stats_verdict_name(g->verdict));
    if (g->indicative)
        fputs(" <span class=\"ind\">indicative</span>", fp);
    if (g->census || g->note) {
        fputs("<div class=\"note\">", fp);
        if (g->census)
            fputs("whole population checked", fp);
        if (g->note) {
            if (g->census)
                fputs("; ", fp);
            text_html(fp, g->note);
        }
        fputs("</div>", fp);
    }
    fputs("</td>", fp);
}

static void group_head(FILE *fp, const char *first, double cpct)
{
    fputs("<thead><tr>", fp);
    fputs(first, fp);
    fprintf(fp,
            "<th class=\"num\">files checked</th>"
            "<th class=\"num\">deviations</th><th class=\"num\">rate</th>"
            "<th class=\"num\">%g%% CI<br>Clopper-Pearson</th>"
            "<th class=\"num\">%g%% CI<br>Wilson</th>"
            "<th class=\"num\">upper bound<br>(one-sided)</th>"
            "<th>verdict</th></tr></thead>\n",
            cpct, cpct);
}

/* Chart of file compliance (1 - deviation rate) per force for one type,
 * with the Clopper-Pearson interval and the tolerable line. */
static void chart(FILE *fp, const struct report *r, const char *type)
{
    const struct summary *s = r->s;
    const double x0 = 190.0, w = 620.0;
    size_t i, rows = 0, row = 0;
    double top = 34.0, rh = 30.0, height, tx;
    char a[16];

    for (i = 0; i < s->ng; i++)
        if (strcmp(s->g[i].type, type) == 0 && !s->g[i].stratum &&
            strcmp(s->g[i].category, "all") == 0)
            rows++;
    if (rows == 0)
        return;
    height = top + rh * (double)rows + 26.0;
    fprintf(fp,
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
            "width=\"1000\" height=\"%.0f\" viewBox=\"0 0 1000 %.0f\" "
            "role=\"img\" aria-label=\"file compliance by force\">",
            height, height);
    fputs("<title>File compliance by force (", fp);
    text_html(fp, type);
    fputs(")</title>", fp);
    for (i = 0; i <= 4; i++) {
        double x = x0 + w * (double)i / 4.0;

        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#d0d7de\" stroke-width=\"1\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                "fill=\"#59636e\">%zu%%</text>",
                x, top - 6, x, top + rh * (double)rows, x, top - 12, i * 25);
    }
    tx = x0 + w * (1.0 - s->tolerable);
    fprintf(fp,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#cf222e\" stroke-width=\"1.5\" "
            "stroke-dasharray=\"5,4\"/>"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
            "fill=\"#cf222e\">tolerable: %s compliant</text>",
            tx, top - 4, tx, top + rh * (double)rows + 4, tx,
            top + rh * (double)rows + 18, report_pct(1.0 - s->tolerable, a));
    for (i = 0; i < s->ng; i++) {
        const struct sgroup *g = &s->g[i];
        double y, x;

        if (strcmp(g->type, type) != 0 || g->stratum ||
            strcmp(g->category, "all") != 0)
            continue;
        y = top + rh * (double)row + rh / 2.0;
        row++;
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", x0 - 12,
                y + 4);
        text_html(fp, g->force);
        fputs("</text>", fp);
        if (isnan(g->rate))
            continue;
        if (report_has_interval(g)) {
            double xa = x0 + w * (1.0 - g->cp.hi),
                   xb = x0 + w * (1.0 - g->cp.lo);

            fprintf(fp,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"%s\" stroke-width=\"3\" opacity=\"0.55\"/>"
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"%s\" stroke-width=\"2\"/>"
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"%s\" stroke-width=\"2\"/>",
                    xa, y, xb, y, verdict_color(g->verdict), xa, y - 6, xa,
                    y + 6, verdict_color(g->verdict), xb, y - 6, xb, y + 6,
                    verdict_color(g->verdict));
        }
        x = x0 + w * (1.0 - g->rate);
        fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5.5\" fill=\"%s\"/>",
                x, y, verdict_color(g->verdict));
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">%s", x0 + w + 12, y + 4,
                report_pct(1.0 - g->rate, a));
        if (report_has_interval(g)) {
            char b[16];

            fprintf(fp, " (%s&ndash;", report_pct(1.0 - g->cp.hi, a));
            fprintf(fp, "%s)", report_pct(1.0 - g->cp.lo, b));
        }
        fputs("</text>", fp);
    }
    fputs("</svg>\n", fp);
}

static void html_sampling(FILE *fp, const struct report *r)
{
    const struct summary *s = r->s;
    char stmt[2048];
    size_t i, j;

    fputs("<section id=\"sampling\"><h2>How the files were chosen</h2>\n", fp);
    for (i = 0; i < s->nt; i++) {
        const struct stype *t = &s->t[i];
        const struct sampleinfo *m = t->m;

        report_sampling_statement(r, t, stmt, sizeof(stmt));
        fputs("<div class=\"stmt\"><p>", fp);
        if (m) {
            uint64_t N = 0;

            for (j = 0; j < m->npop; j++)
                N += m->pop[j].N;
            fprintf(fp, "<b>%zu</b> ", m->nselected);
            text_html(fp, m->type);
            fprintf(fp, " files drawn from <b>%" PRIu64 "</b> by method <b>",
                    N);
            text_html(fp, m->method);
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
            text_html(fp, m->path);
            fputs("</code> SHA-256 <span class=\"hash\">", fp);
            text_html(fp, m->sha256);
            fputs("</span>.</p><p>", fp);
            fprintf(fp, "%" PRIu64 " files checked", t->checked);
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
        td_text(fp, r->params[i].value);
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

static void td_u64(FILE *fp, uint64_t v)
{
    fprintf(fp, "<td class=\"num\">%" PRIu64 "</td>", v);
}

static void html_reconcile_row(FILE *fp, const struct reconcile_force *f,
                               bool bail, bool total)
{
    fputs(total ? "<tr class=\"whole\">" : "<tr>", fp);
    td_text(fp, total ? "all forces" : f->force);
    td_u64(fp, f->crimes);
    td_u64(fp, f->via_incident);
    td_share(fp, f->via_incident_attended, f->via_incident);
    td_share(fp, f->direct_recorded, f->crimes);
    td_share(fp, f->direct_attended, f->direct_recorded);
    td_u64(fp, f->unmatched_incident_refs);
    td_u64(fp, f->incidents);
    td_u64(fp, f->incidents_closed_as_crimes);
    td_u64(fp, f->unmatched_crime_refs);
    td_u64(fp, f->named_suspects);
    td_share(fp, f->suspects_not_arrested, f->named_suspects);
    if (bail) {
        td_u64(fp, f->bail);
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

static void html_forces(FILE *fp, const struct report *r)
{
    const struct summary *s = r->s;
    double cpct = s->confidence * 100.0;
    size_t i, j;

    fputs("<section id=\"forces\"><h2>Compliance by force</h2>\n", fp);
    fprintf(fp,
            "<p>The chart shows the share of files compliant with every "
            "rule that applies to them, with its %g%% Clopper-Pearson "
            "interval; the dashed line is the tolerable level. The tables "
            "give deviation rates (files failing at least one rule of the "
            "category); the upper bound is one-sided at %g%% confidence, "
            "with the number of deviating files it allows in the "
            "population.</p>\n",
            cpct, cpct);
    for (i = 0; i < s->nt; i++) {
        const char *type = s->t[i].type;
        bool any = false;

        for (j = 0; j < s->ng; j++) {
            const struct sgroup *g = &s->g[j];
            bool whole = strcmp(g->category, "all") == 0;

            if (strcmp(g->type, type) != 0 || g->stratum)
                continue;
            if (!any) {
                fputs("<h3>", fp);
                text_html(fp, type);
                fputs(" files</h3>\n", fp);
                chart(fp, r, type);
                fputs("<table class=\"groups\">", fp);
                group_head(fp, "<th>force</th><th>category</th>", cpct);
                fputs("<tbody>\n", fp);
                any = true;
            }
            fprintf(fp, "<tr class=\"%s\">", whole ? "whole" : "cat");
            td_text(fp, g->force);
            td_text(fp, whole ? "file compliant (all rules)" : g->category);
            group_cells(fp, g);
            fputs("</tr>\n", fp);
        }
        if (any)
            fputs("</tbody></table>\n", fp);
    }
    fputs("</section>\n", fp);
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
            if (s->g[j].stratum && strcmp(s->g[j].force, g->force) == 0 &&
                strcmp(s->g[j].type, g->type) == 0)
                break;
        if (j == s->ng)
            continue;
        if (!any) {
            fputs("<section id=\"strata\"><h2>Strata</h2>\n", fp);
            any = true;
        }
        fputs("<h3>", fp);
        text_html(fp, g->force);
        fputs(" &mdash; ", fp);
        text_html(fp, g->type);
        fputs("</h3>\n", fp);
        if (g->has_strat)
            fprintf(fp,
                    "<p>Stratified estimate of the deviation rate "
                    "(weights N<sub>h</sub>/N): <b>%s</b>, standard error "
                    "%s, %g%% CI %s&ndash;%s.</p>\n",
                    report_pct(g->strat.estimate, a),
                    report_pct(g->strat.se, b), cpct,
                    report_pct(g->strat.ci.lo, c),
                    report_pct(g->strat.ci.hi, d));
        fputs("<table class=\"strata\">", fp);
        group_head(fp, "<th>stratum</th>", cpct);
        fputs("<tbody>\n", fp);
        for (j = 0; j < s->ng; j++) {
            const struct sgroup *h = &s->g[j];

            if (!report_is_stratum_of(h, g))
                continue;
            fputs("<tr>", fp);
            td_text(fp, h->stratum);
            group_cells(fp, h);
            fputs("</tr>\n", fp);
        }
        fputs("</tbody></table>\n", fp);
    }
    if (any)
        fputs("<p class=\"note\">Strata by category are in summary.json and "
              "summary.csv.</p></section>\n",
              fp);
}

static void html_breakdowns(FILE *fp, const struct report *r)
{
    const struct summary *s = r->s;
    double cpct = s->confidence * 100.0;
    size_t i;

    if (!s->nb)
        return;
    fputs("<section id=\"breakdowns\"><h2>Breakdowns</h2>\n"
          "<p>File compliance by field value. The population of each value is "
          "not known from the sample, so the bounds are binomial. All "
          "categories are in summary.json.</p>\n<table>",
          fp);
    group_head(fp, "<th>field</th><th>value</th><th>force</th>", cpct);
    fputs("<tbody>\n", fp);
    for (i = 0; i < s->nb; i++) {
        const struct sgroup *g = &s->b[i];

        if (strcmp(g->category, "all") != 0)
            continue;
        fputs("<tr>", fp);
        td_text(fp, g->by_field);
        td_text(fp, g->by_value);
        td_text(fp, g->force);
        group_cells(fp, g);
        fputs("</tr>\n", fp);
    }
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
        td_text(fp, ru->force);
        td_text(fp, ru->type);
        td_text(fp, fr->id);
        td_text(fp, fs->categories.v[fr->category]);
        td_text(fp, fr->level);
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
        td_text(fp, s->rec_force[i]);
        td_text(fp, fs->types.v[rec->type]);
        td_nw(fp, rec->id);
        td_text(fp, s->rec_stratum[i] ? s->rec_stratum[i] : "");
        td_nw(fp, fs->rules[fi->rule].id);
        fputs("<td>", fp);
        text_html(fp, fverdict_name((enum fverdict)fi->verdict));
        if (fi->ovr != FINDING_NONE) {
            fputs("<div class=\"note\">override by ", fp);
            text_html(fp, fs->ovr[fi->ovr].reviewer);
            fputs(": ", fp);
            text_html(fp, fs->ovr[fi->ovr].reason);
            fputs("</div>", fp);
        }
        fputs("</td>", fp);
        td_text(fp, e ? e->message : "");
        td_nw(fp, e ? e->entry_at : "");
        fputs("<td>", fp);
        if (e && e->excerpt[0]) {
            fputs("<pre class=\"ev\">", fp);
            text_html(fp, e->excerpt);
            fputs("</pre>", fp);
        }
        fputs("</td></tr>\n", fp);
    }
    if (shown)
        fputs("</tbody></table>\n", fp);
    if (total == 0)
        fputs("<p>No file failed a rule.</p>\n", fp);
    else if (total > shown)
        fprintf(fp,
                "<p class=\"note\">%zu more failing findings are in "
                "findings.csv and summary.json.</p>\n",
                total - shown);
    fputs("</section>\n", fp);
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
        text_html(fp, m->path);
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
                td_text(fp, m->rej[j].reason);
                fprintf(fp, "<td class=\"num\">%" PRIu64 "</td></tr>\n",
                        m->rej[j].n);
            }
            fputs("</tbody></table>\n", fp);
        }
    }
    if (r->inventory_path) {
        struct inventory_summary inv;

        fputs("<p>Inventory <code>", fp);
        text_html(fp, r->inventory_path);
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
                    td_text(fp, inv.rej[j].reason);
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

static void html_overrides(FILE *fp, const struct report *r)
{
    const struct findings *fs = r->fs;
    size_t i;

    fputs("<section id=\"overrides\"><h2>Reviewer overrides</h2>\n", fp);
    if (fs->novr == 0) {
        fputs("<p>None.</p></section>\n", fp);
        return;
    }
    fputs("<p>Each override replaces the rule's verdict in every figure "
          "above.</p><table><thead><tr><th>id</th><th>type</th><th>rule</th>"
          "<th>rule's verdict</th><th>reviewer's verdict</th>"
          "<th>reviewer</th><th>reason</th></tr></thead><tbody>\n",
          fp);
    for (i = 0; i < fs->novr; i++) {
        const struct override *ov = &fs->ovr[i];

        fputs("<tr>", fp);
        td_text(fp, ov->id);
        td_text(fp, fs->types.v[fs->recs[fs->f[ov->finding].rec].type]);
        td_text(fp, ov->rule_id);
        td_text(fp, fverdict_name((enum fverdict)ov->original));
        td_text(fp, fverdict_name((enum fverdict)ov->verdict));
        td_text(fp, ov->reviewer);
        td_text(fp, ov->reason);
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table></section>\n", fp);
}

void report_write_html(const struct report *r, FILE *fp)
{
    const struct summary *s = r->s;
    char a[16];

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
          "'none'; style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n<title>Case file compliance report</title>\n"
          "<style>\n",
          fp);
    fputs(css, fp);
    fputs("</style>\n</head>\n<body>\n<header>\n"
          "<h1>Case file compliance report</h1>\n<p class=\"meta\">Generated ",
          fp);
    text_html(fp, r->generated ? r->generated : "-");
    fputs(" by caseaudit ", fp);
    text_html(fp, r->tool_version ? r->tool_version : "-");
    fputs("</p>\n<div class=\"params\">", fp);
    fprintf(fp, "<span><b>Confidence</b> %g%%</span>", s->confidence * 100.0);
    fprintf(fp, "<span><b>Tolerable deviation rate</b> %s</span>",
            report_pct(s->tolerable, a));
    fprintf(fp, "<span><b>Indicative</b> below %d files</span>",
            STATS_INDICATIVE_BELOW);
    fputs("<span><b>Compliant file</b>: every applicable rule passed</span>",
          fp);
    fputs("</div>\n</header>\n", fp);
    html_params(fp, r);
    html_sampling(fp, r);
    html_forces(fp, r);
    html_strata(fp, r);
    html_breakdowns(fp, r);
    html_reconcile(fp, r);
    html_rules(fp, r);
    html_failing(fp, r);
    html_rejected(fp, r);
    html_overrides(fp, r);
    fputs("<footer><p>Verdicts compare the one-sided bounds with the tolerable "
          "rate: <b>compliant</b> when the upper bound is below it, <b>not "
          "compliant</b> when the lower bound is above it, otherwise "
          "<b>inconclusive</b>. Bounds are exact hypergeometric bounds in the "
          "population N where N is known, binomial otherwise; with the whole "
          "population checked the rates are exact. A rule that could not be "
          "evaluated (verdict <i>error</i>) counts as a deviation.</p>",
          fp);
    fputs("<p>Command: <code>caseaudit ", fp);
    {
        size_t i;

        for (i = 0; i < r->argc; i++) {
            if (i)
                fputc(' ', fp);
            text_html(fp, r->argv[i]);
        }
    }
    fputs("</code></p></footer>\n</body>\n</html>\n", fp);
}
