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
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/text.h"

/* A path the report names (a run's outputs under their final name). */
static void html_path(FILE *fp, const struct report *r, const char *path)
{
    char buf[4096];

    text_html(fp, report_path_shown(r, path, buf, sizeof(buf)));
}

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

/* An interval on the pass rate (pass polarity), or a dash. */
static void td_pass_ci(FILE *fp, const struct sgroup *g, struct interval iv)
{
    char a[16], b[16];

    if (!report_has_interval(g) || isnan(iv.lo))
        fputs("<td class=\"num\">&ndash;</td>", fp);
    else
        fprintf(fp, "<td class=\"num\">%s&ndash;%s</td>",
                report_pct(1.0 - iv.hi, a), report_pct(1.0 - iv.lo, b));
}

/*
 * The cells of a group in the one polarity: files checked, passing, the
 * share passing, its Clopper-Pearson and Wilson intervals, the one-sided
 * lower bound on the share passing (with the files it vouches for in N),
 * the verdict.  skip_note: a note already said once above the table.
 */
static void group_cells(FILE *fp, const struct sgroup *g, const char *skip_note)
{
    char a[16], nn[64];
    struct report_pass pf;
    const char *note =
        g->note && (!skip_note || strcmp(g->note, skip_note)) ? g->note : NULL;

    report_pass_figure(g, &pf);
    fprintf(fp,
            "<td class=\"num\">%s</td><td class=\"num\">%" PRIu64
            "</td><td class=\"num\">%s%s</td>",
            report_n_of_N(g, nn, sizeof(nn)), g->n - g->k,
            report_pct(pf.rate, a),
            pf.stratified ? " <span "
                            "class=\"note\">(stratified)"
                            "</span>"
                          : "");
    if (pf.stratified) {
        char b[16];

        fprintf(fp,
                "<td class=\"num\">%s&ndash;%s <span "
                "class=\"note\">(normal)</span></td>",
                report_pct(pf.lo, a), report_pct(pf.hi, b));
    } else {
        td_pass_ci(fp, g, g->cp);
    }
    td_pass_ci(fp, g, g->wilson);
    fprintf(fp, "<td class=\"num\">%s", report_pct(1.0 - g->upper, a));
    if (g->upper_dev != SUMMARY_UNKNOWN && !g->census && g->n > 0)
        fprintf(fp, " <span class=\"note\">(%" PRIu64 " of %" PRIu64 ")</span>",
                g->N - g->upper_dev, g->N);
    fprintf(fp, "</td><td><span class=\"v %s\">%s</span>",
            verdict_class(g->verdict), stats_verdict_name(g->verdict));
    if (g->indicative)
        fputs(" <span class=\"ind\">indicative</span>", fp);
    if (g->census || note) {
        fputs("<div class=\"note\">", fp);
        if (g->census)
            fputs("whole population checked", fp);
        if (note) {
            if (g->census)
                fputs("; ", fp);
            text_html(fp, note);
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
            "<th class=\"num\">passing</th><th class=\"num\">share "
            "passing</th>"
            "<th class=\"num\">%g%% CI<br>Clopper-Pearson</th>"
            "<th class=\"num\">%g%% CI<br>Wilson</th>"
            "<th class=\"num\">lower bound<br>(one-sided)</th>"
            "<th>verdict</th></tr></thead>\n",
            cpct, cpct);
}

/* The note every one of groups v[0..n) carries (for some selector), said
 * once above their table; NULL when they differ or there is none. */
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

/*
 * A chart of the share of files passing per group (one row each), with
 * its interval and the tolerable line: the same polarity as the tables.
 */
static void chart(FILE *fp, const struct report *r,
                  const struct sgroup *const *v, size_t rows, const char *title)
{
    const double x0 = 190.0, w = 620.0;
    double top = 34.0, rh = 30.0, height, tx;
    size_t i;
    char a[16];

    if (rows == 0)
        return;
    height = top + rh * (double)rows + 26.0;
    fprintf(fp,
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
            "width=\"1000\" height=\"%.0f\" viewBox=\"0 0 1000 %.0f\" "
            "role=\"img\" aria-label=\"share of files passing by force\">",
            height, height);
    fputs("<title>Share of files passing: ", fp);
    text_html(fp, title);
    fputs("</title>", fp);
    for (i = 0; i <= 4; i++) {
        double x = x0 + w * (double)i / 4.0;

        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#d0d7de\" stroke-width=\"1\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                "fill=\"#59636e\">%zu%%</text>",
                x, top - 6, x, top + rh * (double)rows, x, top - 12, i * 25);
    }
    tx = x0 + w * (1.0 - r->s->tolerable);
    fprintf(fp,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#cf222e\" stroke-width=\"1.5\" "
            "stroke-dasharray=\"5,4\"/>"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
            "fill=\"#cf222e\">tolerable: %s passing</text>",
            tx, top - 4, tx, top + rh * (double)rows + 4, tx,
            top + rh * (double)rows + 18, report_pct(1.0 - r->s->tolerable, a));
    for (i = 0; i < rows; i++) {
        const struct sgroup *g = v[i];
        struct report_pass pf;
        double y = top + rh * (double)i + rh / 2.0, x;

        report_pass_figure(g, &pf);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", x0 - 12,
                y + 4);
        text_html(fp, g->force);
        fputs("</text>", fp);
        if (isnan(pf.rate))
            continue;
        if (pf.has_ci) {
            double xa = x0 + w * pf.lo, xb = x0 + w * pf.hi;

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
        x = x0 + w * pf.rate;
        fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5.5\" fill=\"%s\"/>",
                x, y, verdict_color(g->verdict));
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">%s", x0 + w + 12, y + 4,
                report_pct(pf.rate, a));
        if (pf.has_ci) {
            char b[16];

            fprintf(fp, " (%s&ndash;", report_pct(pf.lo, a));
            fprintf(fp, "%s)", report_pct(pf.hi, b));
        }
        fputs("</text>", fp);
    }
    fputs("</svg>\n", fp);
}

/* ---- the headline matrix ------------------------------------------------ */

static void matrix_cell(FILE *fp, const struct report *r, size_t t,
                        const char *force, bool compact)
{
    const struct report_test *rt = &r->tests[t];
    const struct sgroup *g;
    const char *why;
    struct report_pass pf;
    char a[16], b[16], nn[64];

    if (rt->not_run) {
        fputs("<td class=\"c-none\"><span class=\"note\">not run</span></td>",
              fp);
        return;
    }
    if ((why = report_test_skip(r, t, force))) {
        fputs("<td class=\"c-none\"><span class=\"note\">not run: ", fp);
        text_html(fp, why);
        fputs("</span></td>", fp);
        return;
    }
    g = report_test_group(r, rt->id, force);
    if (!g) {
        fputs("<td class=\"c-none\"><span class=\"note\">no file in the "
              "frame</span></td>",
              fp);
        return;
    }
    report_pass_figure(g, &pf);
    fprintf(fp, "<td class=\"c-%s\"><span class=\"rate\">%s</span>",
            verdict_class(g->verdict) + 2, report_pct(pf.rate, a));
    if (pf.has_ci)
        fprintf(fp, "<span class=\"ci\">%s&ndash;%s%s</span>",
                report_pct(pf.lo, a), report_pct(pf.hi, b),
                pf.stratified ? " (stratified)" : "");
    else if (g->n > 0)
        fputs(compact ? "<span class=\"ci\">exact</span>"
                      : "<span class=\"ci\">exact: every file checked</span>",
              fp);
    fprintf(fp, "<span class=\"nn\">%s</span>",
            report_n_of_N(g, nn, sizeof(nn)));
    fprintf(fp, "<span class=\"v %s\">%s</span>", verdict_class(g->verdict),
            stats_verdict_name(g->verdict));
    if (g->indicative)
        fputs(" <span class=\"ind\">indicative</span>", fp);
    fputs("</td>", fp);
}

static void html_counts(FILE *fp, const struct report *r,
                        const char *const *forces, size_t nforces)
{
    size_t i, f;
    bool any = false;

    for (i = 0; i < r->ncounts; i++)
        any |= r->counts[i].not_counted == NULL;
    if (!r->ncounts)
        return;
    fputs("<h3>The whole export, not a sample</h3>\n", fp);
    for (i = 0; i < r->ncounts; i++)
        if (r->counts[i].not_counted) {
            fputs("<p class=\"tablenote\">", fp);
            text_html(fp, r->counts[i].name);
            fputs(": not counted (", fp);
            text_html(fp, r->counts[i].not_counted);
            fputs(").</p>\n", fp);
        }
    if (!any)
        return;
    fputs("<table class=\"counts\" id=\"counts\"><thead><tr><th>force</th>",
          fp);
    for (i = 0; i < r->ncounts; i++) {
        const struct report_count *c = &r->counts[i];

        if (c->not_counted)
            continue;
        if (strcmp(c->name, "recording-route") == 0)
            fputs("<th class=\"num\">crimes</th><th class=\"num\">recorded "
                  "via an incident<br>(of which attended)</th><th "
                  "class=\"num\">recorded directly<br>(of which "
                  "attended)</th>",
                  fp);
        else if (strcmp(c->name, "named-suspects-outstanding") == 0)
            fputs("<th class=\"num\">named suspects not yet<br>arrested or "
                  "interviewed</th>",
                  fp);
        else
            fputs("<th class=\"num\">failed to answer bail</th>", fp);
    }
    fputs("</tr></thead><tbody>\n", fp);
    for (f = 0; f < nforces; f++) {
        const struct reconcile_force *rf = report_reconcile_force(r, forces[f]);

        fputs("<tr>", fp);
        td_text(fp, forces[f]);
        for (i = 0; i < r->ncounts; i++) {
            const struct report_count *c = &r->counts[i];
            uint64_t v, of;
            char p1[16], p2[16];

            if (c->not_counted)
                continue;
            if (strcmp(c->name, "recording-route") == 0) {
                if (!rf) {
                    fputs("<td class=\"num\">&ndash;</td><td "
                          "class=\"num\">&ndash;</td><td "
                          "class=\"num\">&ndash;</td>",
                          fp);
                    continue;
                }
                fprintf(fp,
                        "<td class=\"num\">%" PRIu64 "</td>"
                        "<td class=\"num\">%" PRIu64
                        " <span class=\"note\">(%s)</span></td>"
                        "<td class=\"num\">%" PRIu64
                        " <span class=\"note\">(%s)</span></td>",
                        rf->crimes, rf->via_incident,
                        rf->via_incident
                            ? report_pct((double)rf->via_incident_attended /
                                             (double)rf->via_incident,
                                         p1)
                            : "-",
                        rf->direct_recorded,
                        rf->direct_recorded
                            ? report_pct((double)rf->direct_attended /
                                             (double)rf->direct_recorded,
                                         p2)
                            : "-");
            } else if (report_count_value(r, c, forces[f], &v, &of) != 0) {
                fputs("<td class=\"num\">&ndash;</td>", fp);
            } else if (of) {
                fprintf(fp,
                        "<td class=\"num\">%" PRIu64
                        " <span class=\"note\">of %" PRIu64 "</span></td>",
                        v, of);
            } else {
                fprintf(fp, "<td class=\"num\">%" PRIu64 "</td>", v);
            }
        }
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table>\n", fp);
    for (i = 0; i < r->ncounts; i++) {
        const struct report_count *c = &r->counts[i];

        if (c->not_counted || !c->sample)
            continue;
        fputs("<p class=\"tablenote\">", fp);
        text_html(fp, c->name);
        fputs(": the files of the frame of test <a href=\"#test-", fp);
        text_html(fp, c->test);
        fputs("\">", fp);
        text_html(fp, c->test);
        fputs("</a> in the whole export (one definition for both)", fp);
        fputs(".</p>\n", fp);
    }
}

/* A matrix with more tests than this, and no more forces than tests,
 * has a row per test rather than a column. */
#define MATRIX_MAX_COLUMNS 8

static void test_heading(FILE *fp, const struct report_test *t)
{
    fputs("<a href=\"#test-", fp);
    text_html(fp, t->id);
    fputs("\">", fp);
    text_html(fp, t->title);
    fputs("</a><div class=\"note\">", fp);
    text_html(fp, t->type);
    fputs("</div>", fp);
}

static void html_matrix(FILE *fp, const struct report *r)
{
    const struct report_programme *p = r->programme;
    size_t nforces = 0, f, t;
    const char **forces = report_forces(r, &nforces);
    double cpct = r->s->confidence * 100.0;
    char a[16];

    fputs("<section id=\"answers\"><h2>The answers</h2>\n", fp);
    fprintf(fp,
            "<p class=\"tablenote\">Each cell: the share of files passing "
            "the test (%s), its two-sided %g%% interval, files checked of "
            "the N in the test's frame, and the verdict against a tolerable "
            "%s of files failing (one-sided %g%% bounds; indicative: fewer "
            "than %d files).</p>\n",
            p->census ? "every file of the frame checked" : "a sample", cpct,
            report_pct(r->s->tolerable, a), cpct, STATS_INDICATIVE_BELOW);
    if (r->ntests <= MATRIX_MAX_COLUMNS || nforces > r->ntests) {
        /* a row per force, a column per test */
        fputs("<table class=\"matrix\" id=\"matrix\"><thead><tr>"
              "<th class=\"force\">force</th>",
              fp);
        for (t = 0; t < r->ntests; t++) {
            fputs("<th class=\"test\">", fp);
            test_heading(fp, &r->tests[t]);
            fputs("</th>", fp);
        }
        fputs("</tr></thead><tbody>\n", fp);
        for (f = 0; f < nforces; f++) {
            fputs("<tr><th class=\"force\">", fp);
            text_html(fp, forces[f]);
            fputs("</th>", fp);
            for (t = 0; t < r->ntests; t++)
                matrix_cell(fp, r, t, forces[f], false);
            fputs("</tr>\n", fp);
        }
    } else {
        /* many tests: a row per test, a column per force, so that the
         * cells keep their width */
        fputs("<table class=\"matrix rows\" id=\"matrix\"><thead><tr>"
              "<th class=\"test\">test</th>",
              fp);
        for (f = 0; f < nforces; f++) {
            fputs("<th class=\"force\">", fp);
            text_html(fp, forces[f]);
            fputs("</th>", fp);
        }
        fputs("</tr></thead><tbody>\n", fp);
        for (t = 0; t < r->ntests; t++) {
            fputs("<tr><th class=\"test\">", fp);
            test_heading(fp, &r->tests[t]);
            fputs("</th>", fp);
            for (f = 0; f < nforces; f++)
                matrix_cell(fp, r, t, forces[f], true);
            fputs("</tr>\n", fp);
        }
    }
    fputs("</tbody></table>\n", fp);
    for (t = 0; t < r->ntests; t++)
        if (r->tests[t].not_run) {
            fputs("<p class=\"tablenote\">", fp);
            text_html(fp, r->tests[t].id);
            fputs(" not run: ", fp);
            text_html(fp, r->tests[t].not_run);
            fputs(".</p>\n", fp);
        }
    html_counts(fp, r, forces, nforces);
    fputs("</section>\n", fp);
    free(forces);
}

/* ---- one section per test ----------------------------------------------- */

static void html_test_failing(FILE *fp, const struct report *r, size_t t)
{
    const struct report_test *rt = &r->tests[t];
    size_t i, k, shown = 0, total = 0;

    for (i = 0; i < r->ntfiles; i++) {
        const struct report_tfile *tf = &r->tfiles[i];
        const char *stratum;

        if (tf->test != t || tf->verdict == V_PASS)
            continue;
        total++;
        if (shown == REPORT_MAX_LISTED)
            continue;
        if (shown++ == 0)
            fputs("<table class=\"failing\"><thead><tr><th>id</th>"
                  "<th>force</th><th>stratum</th><th>verdict</th>"
                  "<th>why</th><th>entry</th><th>evidence</th></tr>"
                  "</thead><tbody>\n",
                  fp);
        stratum = report_file_stratum(r, rt, tf->id);
        fputs("<tr>", fp);
        td_nw(fp, tf->id);
        td_nw(fp, tf->force);
        td_nw(fp, stratum ? stratum : "");
        td_text(fp, findings_verdict_name(tf->verdict));
        td_text(fp, tf->reasons);
        /* the evidence of each of the test's rules that did not pass */
        fputs("<td class=\"nw\">", fp);
        for (k = 0; k < rt->nrules; k++) {
            const struct evidence *e =
                report_test_evidence(r, rt, tf->id, rt->rules[k]);

            if (e && e->entry_at[0]) {
                text_html(fp, e->entry_at);
                fputs("<br>", fp);
            }
        }
        fputs("</td><td>", fp);
        for (k = 0; k < rt->nrules; k++) {
            const struct evidence *e =
                report_test_evidence(r, rt, tf->id, rt->rules[k]);

            if (e && e->excerpt[0]) {
                fputs("<pre class=\"ev\">", fp);
                if (rt->nrules > 1) {
                    text_html(fp, rt->rules[k]);
                    fputs(": ", fp);
                }
                text_html(fp, e->excerpt);
                fputs("</pre>", fp);
            }
        }
        fputs("</td></tr>\n", fp);
    }
    if (shown)
        fputs("</tbody></table>\n", fp);
    if (total == 0)
        fputs("<p>No checked file failed this test.</p>\n", fp);
    else if (total > shown)
        fprintf(fp,
                "<p class=\"note\">%zu more failing files are in "
                "files.csv.</p>\n",
                total - shown);
}

static void html_test(FILE *fp, const struct report *r, size_t t)
{
    const struct report_test *rt = &r->tests[t];
    const struct summary *s = r->s;
    const struct sampleinfo *m = report_sample(r, rt->sample);
    const struct sgroup **v = NULL;
    double cpct = s->confidence * 100.0;
    size_t i, j, n = 0, nfail = 0, nerr = 0, nchk = 0;
    const char *note;

    fputs("<section class=\"test\" id=\"test-", fp);
    text_html(fp, rt->id);
    fputs("\"><h2>", fp);
    text_html(fp, rt->title);
    fputs(" <span class=\"note\">(", fp);
    text_html(fp, rt->id);
    fputs(")</span></h2>\n<p class=\"question\"><b>", fp);
    text_html(fp, rt->question);
    fputs("</b></p>\n<p><b>Frame:</b> ", fp);
    if (rt->frame) {
        text_html(fp, rt->frame);
        fputs(" ", fp);
    } else if (!rt->conditions[0]) {
        fputs("every ", fp);
        text_html(fp, rt->type);
        fputs(" file. ", fp);
    }
    if (rt->conditions[0]) {
        fputs("<code class=\"cond\">", fp);
        text_html(fp, rt->conditions);
        fputs("</code>", fp);
    }
    fputs("<br><b>Rules</b> (a file fails when any of them fails): ", fp);
    for (i = 0; i < rt->nrules; i++) {
        if (i)
            fputs(", ", fp);
        text_html(fp, rt->rules[i]);
    }
    fputs(".", fp);
    if (m) {
        fprintf(fp, "<br><b>Sample:</b> ");
        text_html(fp, m->name);
        if (m->census)
            fputs(" (every file of the frame checked)", fp);
        else if (m->nstrata) {
            fputs(", stratified by ", fp);
            for (i = 0; i < m->nstrata; i++) {
                if (i)
                    fputs(", ", fp);
                text_html(fp, m->strata[i]);
            }
            fputs(" (", fp);
            text_html(fp, m->allocation ? m->allocation : "proportional");
            fputs(" allocation)", fp);
        }
        fputs("; manifest <code>", fp);
        html_path(fp, r, m->path);
        fputs("</code>.", fp);
    }
    fputs("</p>\n", fp);
    if (rt->not_run) {
        fputs("<p><b>Not run:</b> ", fp);
        text_html(fp, rt->not_run);
        fputs(".</p></section>\n", fp);
        return;
    }
    for (i = 0; i < r->ntfiles; i++)
        if (r->tfiles[i].test == t) {
            nchk++;
            nfail += r->tfiles[i].verdict == V_FAIL;
            nerr += r->tfiles[i].verdict == V_ERROR;
        }
    v = calloc(s->ntg + 1, sizeof(*v));
    if (!v) {
        fputs("</section>\n", fp);
        return;
    }
    for (i = 0; i < s->ntg; i++)
        if (!s->tg[i].stratum && strcmp(s->tg[i].test, rt->id) == 0)
            v[n++] = &s->tg[i];
    chart(fp, r, v, n, rt->id);
    note = common_note(v, n);
    fprintf(fp,
            "<p class=\"tablenote\">%zu files checked: %zu failed, %zu could "
            "not be judged (error, counted as failing).",
            nchk, nfail, nerr);
    if (note) {
        fputs(" ", fp);
        text_html(fp, note);
        fputs(".", fp);
    }
    fputs("</p>\n<table class=\"groups\">", fp);
    group_head(fp, "<th>force</th>", cpct);
    fputs("<tbody>\n", fp);
    for (i = 0; i < n; i++) {
        fputs("<tr class=\"whole\">", fp);
        td_text(fp, v[i]->force);
        group_cells(fp, v[i], note);
        fputs("</tr>\n", fp);
    }
    for (i = 0; i < r->ntskips; i++)
        if (r->tskips[i].test == t) {
            fputs("<tr>", fp);
            td_text(fp, r->tskips[i].force);
            fputs("<td colspan=\"7\" class=\"note\">not run: ", fp);
            text_html(fp, r->tskips[i].why);
            fputs("</td></tr>\n", fp);
        }
    fputs("</tbody></table>\n", fp);
    for (i = 0; i < n; i++)
        if (v[i]->has_strat && !v[i]->strat_headline) {
            char a[16], b[16], c[16];

            fputs("<p class=\"tablenote\">", fp);
            text_html(fp, v[i]->force);
            fprintf(fp,
                    ": stratified estimate of the share passing (weights "
                    "N<sub>h</sub>/N) %s, %g%% CI %s&ndash;%s.</p>\n",
                    report_pct(1.0 - v[i]->strat.estimate, a), cpct,
                    report_pct(1.0 - v[i]->strat.ci.hi, b),
                    report_pct(1.0 - v[i]->strat.ci.lo, c));
        }
    /* the breakdowns the test asks for (attended or not, ...) */
    for (j = 0; j < rt->nreport_by; j++) {
        const struct sgroup **bv = calloc(s->ntb + 1, sizeof(*bv));
        size_t nb = 0;
        const char *bnote;

        if (!bv)
            break;
        for (i = 0; i < s->ntb; i++)
            if (strcmp(s->tb[i].test, rt->id) == 0 &&
                strcmp(s->tb[i].by_field, rt->report_by[j]) == 0)
                bv[nb++] = &s->tb[i];
        if (nb) {
            fputs("<h3>By ", fp);
            text_html(fp, rt->report_by[j]);
            fputs("</h3>\n", fp);
            bnote = common_note(bv, nb);
            if (bnote) {
                fputs("<p class=\"tablenote\">", fp);
                text_html(fp, bnote);
                fputs(".</p>\n", fp);
            }
            fputs("<table class=\"breakdown\">", fp);
            group_head(fp, "<th>force</th><th>value</th>", cpct);
            fputs("<tbody>\n", fp);
            for (i = 0; i < nb; i++) {
                fputs("<tr>", fp);
                td_text(fp, bv[i]->force);
                td_text(fp, bv[i]->by_value);
                group_cells(fp, bv[i], bnote);
                fputs("</tr>\n", fp);
            }
            fputs("</tbody></table>\n", fp);
        }
        free(bv);
    }
    /* strata, when the sample was stratified */
    if (m && m->nstrata && !m->census) {
        const struct sgroup **hv = calloc(s->ntg + 1, sizeof(*hv));
        size_t nh = 0;

        if (hv) {
            for (i = 0; i < s->ntg; i++)
                if (s->tg[i].stratum && strcmp(s->tg[i].test, rt->id) == 0)
                    hv[nh++] = &s->tg[i];
            if (nh) {
                fputs("<details><summary>By stratum (", fp);
                for (i = 0; i < m->nstrata; i++) {
                    if (i)
                        fputs(" | ", fp);
                    text_html(fp, m->strata[i]);
                }
                fputs(")</summary>\n<table class=\"strata\">", fp);
                group_head(fp, "<th>force</th><th>stratum</th>", cpct);
                fputs("<tbody>\n", fp);
                for (i = 0; i < nh; i++) {
                    fputs("<tr>", fp);
                    td_text(fp, hv[i]->force);
                    td_text(fp, hv[i]->stratum);
                    group_cells(fp, hv[i], NULL);
                    fputs("</tr>\n", fp);
                }
                fputs("</tbody></table></details>\n", fp);
            }
            free(hv);
        }
    }
    fputs("<h3>Files that did not pass</h3>\n", fp);
    html_test_failing(fp, r, t);
    fputs("</section>\n", fp);
    free(v);
}

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
                chart(fp, r, w, nw, sample);
                free(w);
            }
        }
        note = common_note(v, n);
        if (note) {
            fputs("<p class=\"tablenote\">", fp);
            text_html(fp, note);
            fputs(".</p>\n", fp);
        }
        fputs("<table class=\"groups\">", fp);
        group_head(fp, "<th>force</th><th>category</th>", cpct);
        fputs("<tbody>\n", fp);
        for (j = 0; j < n; j++) {
            bool whole = strcmp(v[j]->category, "all") == 0;

            fprintf(fp, "<tr class=\"%s\">", whole ? "whole" : "cat");
            td_text(fp, v[j]->force);
            td_text(fp, whole ? "all rules" : v[j]->category);
            group_cells(fp, v[j], note);
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
        group_head(fp, "<th>stratum</th>", cpct);
        fputs("<tbody>\n", fp);
        for (j = 0; j < s->ng; j++) {
            const struct sgroup *h = &s->g[j];

            if (!report_is_stratum_of(h, g))
                continue;
            fputs("<tr>", fp);
            td_text(fp, h->stratum);
            group_cells(fp, h, NULL);
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
                group_head(fp, "<th>field</th><th>value</th><th>force</th>",
                           cpct);
                fputs("<tbody>\n", fp);
                any = true;
            }
            fputs("<tr>", fp);
            td_text(fp, g->by_field);
            td_text(fp, g->by_value);
            td_text(fp, g->force);
            group_cells(fp, g, NULL);
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
        td_text(fp, s->rec_force[i]);
        td_text(fp, fs->types.v[rec->type]);
        td_nw(fp, rec->id);
        td_text(fp, s->rec_stratum[i] ? s->rec_stratum[i] : "");
        td_nw(fp, fs->rules[fi->rule].id);
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
        td_text(fp, findings_verdict_name((enum verdict)ov->original));
        td_text(fp, findings_verdict_name((enum verdict)ov->verdict));
        td_text(fp, ov->reviewer);
        td_text(fp, ov->reason);
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table></section>\n", fp);
}

/* Fieldwork: reviews, substitutions, agreement (as md_reviews). */
static void html_reviews(FILE *fp, const struct report *r)
{
    const struct reviews *rv = r->reviews;
    char a[32], b[32], c[32], pc[16];
    size_t i, k;

    if (!rv)
        return;
    fputs("<section id=\"reviews\"><h2>Fieldwork review</h2>\n", fp);
    if (rv->path) {
        fputs("<p>Reviews: <code>", fp);
        text_html(fp, rv->path);
        fprintf(fp,
                "</code> (%s, SHA-256 <code>%s</code>): %zu rows, %" PRIu64
                " applied (%" PRIu64 " pass, %" PRIu64 " fail, %" PRIu64
                " n/a, %" PRIu64 " unavailable; %" PRIu64
                " with an added finding), %" PRIu64 " not reviewed, %" PRIu64
                " ignored. A reviewer's verdict replaces the rules' for that "
                "file and test in every figure; n/a takes the file out of "
                "the test's n.</p>\n",
                rv->format, rv->sha256, rv->n, rv->applied,
                rv->by_verdict[RV_PASS], rv->by_verdict[RV_FAIL],
                rv->by_verdict[RV_NA], rv->by_verdict[RV_UNAVAILABLE],
                rv->added, rv->not_reviewed, rv->ignored);
        fputs("<table><thead><tr><th>test</th><th>force</th><th>id</th>"
              "<th>rules</th><th>reviewer's verdict</th><th>reviewer</th>"
              "<th>reviewed on</th><th>why</th></tr></thead><tbody>\n",
              fp);
        for (i = 0; i < rv->n; i++) {
            const struct review *v = &rv->v[i];

            if (v->use == RU_NOT_REVIEWED)
                continue;
            fputs("<tr>", fp);
            td_text(fp, v->test);
            td_text(fp, v->force);
            td_nw(fp, v->id);
            td_text(fp, findings_verdict_name(v->tool));
            fputs("<td>", fp);
            text_html(fp, review_verdict_name(v->verdict));
            if (v->added[0])
                fputs(" (added finding)", fp);
            fputs("</td>", fp);
            td_text(fp, v->reviewer);
            td_nw(fp, v->reviewed_on[0] ? v->reviewed_on : "-");
            fputs("<td>", fp);
            text_html(fp, v->added[0] ? v->added : v->note);
            if (v->use == RU_IGNORED && v->why) {
                fputs(" <i>(not counted: ", fp);
                text_html(fp, v->why);
                fputs(")</i>", fp);
            }
            fputs("</td></tr>\n", fp);
        }
        fputs("</tbody></table>\n", fp);
    }
    if (r->spares_ignored)
        fprintf(fp,
                "<p class=\"note\">%" PRIu64 " checked spare%s took the "
                "place of no drawn file and %s not counted.</p>\n",
                r->spares_ignored, r->spares_ignored == 1 ? "" : "s",
                r->spares_ignored == 1 ? "is" : "are");
    fputs("<h3>Substitutions</h3>\n", fp);
    if (rv->nsub == 0) {
        fputs("<p>None.</p>\n", fp);
    } else {
        fputs("<p>A drawn file that could not be reviewed is replaced by the "
              "next spare of its force and stratum, in rank order.</p>"
              "<table><thead><tr><th>sample</th><th>force</th>"
              "<th>stratum</th><th>drawn file (rank)</th><th>replaced by "
              "(rank)</th><th>why</th></tr></thead><tbody>\n",
              fp);
        for (i = 0; i < rv->nsub; i++) {
            const struct substitution *u = &rv->sub[i];
            const struct review *v =
                u->review < rv->n ? &rv->v[u->review] : NULL;

            fputs("<tr>", fp);
            td_text(fp, u->sample);
            td_text(fp, u->force);
            td_text(fp, u->stratum[0] ? u->stratum : "-");
            fputs("<td class=\"nw\">", fp);
            text_html(fp, u->id);
            fprintf(fp, " (%" PRIu64 ")</td><td class=\"nw\">", u->rank);
            if (u->spare) {
                text_html(fp, u->spare);
                fprintf(fp, " (%" PRIu64 ")", u->spare_rank);
            } else {
                fputs("no spare left: the file is missing", fp);
            }
            fputs("</td><td>", fp);
            if (v) {
                text_html(fp, v->note);
                fputs(" (", fp);
                text_html(fp, v->reviewer);
                fputs(")", fp);
            } else {
                fputs("not checked", fp);
            }
            fputs("</td></tr>\n", fp);
        }
        fputs("</tbody></table>\n", fp);
    }
    if (rv->path) {
        fputs("<h3>Agreement between the rules and the reviewers</h3>\n", fp);
        if (rv->nag == 0)
            fputs("<p>No file was given a pass or fail by a reviewer.</p>\n",
                  fp);
    }
    if (rv->path && rv->nag) {
        fprintf(fp,
                "<p>Per test, the files a reviewer passed or failed: the "
                "rules' verdict (an error counts as fail) against the "
                "reviewer's, the share on which they agree, and Cohen's "
                "kappa with its %g%% interval (large-sample standard error "
                "of Fleiss, Cohen and Everitt, 1969; - when both put every "
                "file in one class).</p><table><thead><tr><th>test</th>"
                "<th>n</th><th>rules pass, reviewer pass</th><th>rules "
                "pass, reviewer fail</th><th>rules fail, reviewer pass</th>"
                "<th>rules fail, reviewer fail</th><th>agreement</th>"
                "<th>kappa (interval)</th></tr></thead><tbody>\n",
                rv->confidence * 100.0);
        for (i = 0; i < rv->nag; i++) {
            const struct agreement *g = &rv->ag[i];

            fputs("<tr>", fp);
            td_text(fp, g->name);
            td_u64(fp, g->k.n);
            for (k = 0; k < 4; k++)
                td_u64(fp, g->tab[k]);
            fprintf(fp, "<td class=\"num\">%s</td><td class=\"nw\">%s",
                    report_pct(g->k.po, pc),
                    isnan(g->k.kappa)
                        ? "-"
                        : (snprintf(a, sizeof(a), "%.2f", g->k.kappa), a));
            if (!isnan(g->k.lo)) {
                snprintf(b, sizeof(b), "%.2f", g->k.lo);
                snprintf(c, sizeof(c), "%.2f", g->k.hi);
                fprintf(fp, " (%s to %s)", b, c);
            }
            fputs("</td></tr>\n", fp);
        }
        fputs("</tbody></table>\n", fp);
        for (i = 0; i < rv->nag; i++) {
            const struct agreement *g = &rv->ag[i];

            if (!g->ndisagree)
                continue;
            fputs("<p>Where they disagree, <b>", fp);
            text_html(fp, g->name);
            fputs("</b>: ", fp);
            for (k = 0; k < g->ndisagree; k++) {
                const struct review *v = &rv->v[g->disagree[k]];

                fputs(k ? "; " : "", fp);
                text_html(fp, v->id);
                fprintf(fp, " (rules %s, reviewer %s)",
                        findings_verdict_name(v->tool),
                        review_verdict_name(v->verdict));
            }
            fputs(".</p>\n", fp);
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
        html_matrix(fp, r);
        for (t = 0; t < r->ntests; t++)
            html_test(fp, r, t);
    } else {
        fputs("<section id=\"forces\"><h2>Compliance by force</h2>\n", fp);
        html_forces(fp, r, "h3");
        html_strata(fp, r);
        html_breakdowns(fp, r);
        fputs("</section>\n", fp);
        html_failing(fp, r);
    }
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
    html_overrides(fp, r);
    html_reviews(fp, r);
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
