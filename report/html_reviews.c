/* SPDX-License-Identifier: MIT */
/*
 * The part of report.html on review: the overrides applied to findings and
 * the fieldwork reviews (verdicts, substitutions of spares, agreement
 * between the rules and the reviewers).
 */
#include "report/html_reviews.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_cells.h"
#include "report/text.h"

void html_reviews_overrides(FILE *fp, const struct report *r)
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
        html_td_text(fp, ov->id);
        html_td_text(fp, fs->types.v[fs->recs[fs->f[ov->finding].rec].type]);
        html_td_text(fp, ov->rule_id);
        html_td_text(fp, findings_verdict_name((enum verdict)ov->original));
        html_td_text(fp, findings_verdict_name((enum verdict)ov->verdict));
        html_td_text(fp, ov->reviewer);
        html_td_text(fp, ov->reason);
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table></section>\n", fp);
}

/* Fieldwork: reviews, substitutions, agreement (as md_reviews). */
/* The reviews file and every review applied or ignored. */
static void reviews_applied(FILE *fp, const struct reviews *rv)
{
    size_t i;

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
            rv->format, rv->sha256, rv->n, rv->applied, rv->by_verdict[RV_PASS],
            rv->by_verdict[RV_FAIL], rv->by_verdict[RV_NA],
            rv->by_verdict[RV_UNAVAILABLE], rv->added, rv->not_reviewed,
            rv->ignored);
    fputs("<table><thead><tr><th>test</th><th>force</th><th>id</th>"
          "<th>rules</th><th>reviewer's verdict</th><th>reviewer</th>"
          "<th>reviewed on</th><th>why</th></tr></thead><tbody>\n",
          fp);
    for (i = 0; i < rv->n; i++) {
        const struct review *v = &rv->v[i];

        if (v->use == RU_NOT_REVIEWED)
            continue;
        fputs("<tr>", fp);
        html_td_text(fp, v->test);
        html_td_text(fp, v->force);
        html_td_nw(fp, v->id);
        html_td_text(fp, findings_verdict_name(v->tool));
        fputs("<td>", fp);
        text_html(fp, review_verdict_name(v->verdict));
        if (v->added[0])
            fputs(" (added finding)", fp);
        fputs("</td>", fp);
        html_td_text(fp, v->reviewer);
        html_td_nw(fp, v->reviewed_on[0] ? v->reviewed_on : "-");
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

/* The spares that took the place of drawn files. */
static void reviews_substitutions(FILE *fp, const struct reviews *rv)
{
    size_t i;

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
            html_td_text(fp, u->sample);
            html_td_text(fp, u->force);
            html_td_text(fp, u->stratum[0] ? u->stratum : "-");
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
}

/* Agreement between the rules and the reviewers per test (rv->nag > 0),
 * and where they disagree. */
static void reviews_agreement(FILE *fp, const struct reviews *rv)
{
    char a[32], b[32], c[32], pc[16];
    size_t i, k;

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
        html_td_text(fp, g->name);
        html_td_u64(fp, g->k.n);
        for (k = 0; k < 4; k++)
            html_td_u64(fp, g->tab[k]);
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

void html_reviews_section(FILE *fp, const struct report *r)
{
    const struct reviews *rv = r->reviews;

    if (!rv)
        return;
    fputs("<section id=\"reviews\"><h2>Fieldwork review</h2>\n", fp);
    if (rv->path)
        reviews_applied(fp, rv);
    if (r->spares_ignored)
        fprintf(fp,
                "<p class=\"note\">%" PRIu64 " checked spare%s took the "
                "place of no drawn file and %s not counted.</p>\n",
                r->spares_ignored, r->spares_ignored == 1 ? "" : "s",
                r->spares_ignored == 1 ? "is" : "are");
    reviews_substitutions(fp, rv);
    if (rv->path) {
        fputs("<h3>Agreement between the rules and the reviewers</h3>\n", fp);
        if (rv->nag == 0)
            fputs("<p>No file was given a pass or fail by a reviewer.</p>\n",
                  fp);
        else
            reviews_agreement(fp, rv);
    }
    fputs("</section>\n", fp);
}
