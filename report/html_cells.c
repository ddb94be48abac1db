/* SPDX-License-Identifier: MIT */
/*
 * The pieces report.html is built of, shared by its sections (html.c,
 * html_tests.c, html_reviews.c): table cells, the cells and head of a
 * group's figures, the verdict's class and colour, and the chart of the
 * share passing.  Every value from data goes through text_html().
 */
#include "report/html_cells.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report/text.h"

/* A path the report names (a run's outputs under their final name). */
void html_path(FILE *fp, const struct report *r, const char *path)
{
    char buf[4096];

    text_html(fp, report_path_shown(r, path, buf, sizeof(buf)));
}

const char *html_verdict_class(enum stats_verdict v)
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

void html_td_text(FILE *fp, const char *s)
{
    fputs("<td>", fp);
    text_html(fp, s);
    fputs("</td>", fp);
}

void html_td_nw(FILE *fp, const char *s)
{
    fputs("<td class=\"nw\">", fp);
    text_html(fp, s);
    fputs("</td>", fp);
}

/* An interval on the pass rate (pass polarity), or a dash. */
void html_excerpt(FILE *fp, const char *label, const char *excerpt)
{
    if (!excerpt[0])
        return;
    fputs("<pre class=\"ev\">", fp);
    if (label) {
        text_html(fp, label);
        fputs(": ", fp);
    }
    text_html(fp, excerpt);
    fputs("</pre>", fp);
}

void html_failing_close(FILE *fp, size_t shown, size_t total, const char *none,
                        const char *what, const char *where)
{
    if (shown)
        fputs("</tbody></table>\n", fp);
    if (total == 0)
        fprintf(fp, "<p>%s</p>\n", none);
    else if (total > shown)
        fprintf(fp, "<p class=\"note\">%zu more failing %s are in %s.</p>\n",
                total - shown, what, where);
}

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
void html_group_cells(FILE *fp, const struct sgroup *g, const char *skip_note)
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
            html_verdict_class(g->verdict), stats_verdict_name(g->verdict));
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

void html_group_head(FILE *fp, const char *first, double cpct)
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
const char *html_common_note(const struct sgroup *const *v, size_t n)
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
void html_chart(FILE *fp, const struct report *r, const struct sgroup *const *v,
                size_t rows, const char *title)
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

void html_td_u64(FILE *fp, uint64_t v)
{
    fprintf(fp, "<td class=\"num\">%" PRIu64 "</td>", v);
}
