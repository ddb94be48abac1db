/* SPDX-License-Identifier: MIT */
/*
 * The part of report.html that answers an audit programme: the headline
 * matrix (forces x tests) with the programme's whole-export counts, and
 * one section per test (its question, frame, chart, tables, breakdowns
 * and failing files with their evidence).
 */
#include "report/html_tests.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_cells.h"
#include "report/text.h"

/* A matrix with more tests than this, and no more forces than tests,
 * has a row per test rather than a column. */
#define MATRIX_MAX_COLUMNS 8

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
            html_verdict_class(g->verdict) + 2, report_pct(pf.rate, a));
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
    fprintf(fp, "<span class=\"v %s\">%s</span>",
            html_verdict_class(g->verdict), stats_verdict_name(g->verdict));
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
        html_td_text(fp, forces[f]);
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

void html_tests_matrix(FILE *fp, const struct report *r)
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
        html_td_nw(fp, tf->id);
        html_td_nw(fp, tf->force);
        html_td_nw(fp, stratum ? stratum : "");
        html_td_text(fp, findings_verdict_name(tf->verdict));
        html_td_text(fp, tf->reasons);
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

            if (e)
                html_excerpt(fp, rt->nrules > 1 ? rt->rules[k] : NULL,
                             e->excerpt);
        }
        fputs("</td></tr>\n", fp);
    }
    html_failing_close(fp, shown, total, "No checked file failed this test.",
                       "files", "files.csv");
}

/* A test's section opened: title, question, frame, rules and sample. */
static void test_open(FILE *fp, const struct report *r,
                      const struct report_test *rt)
{
    const struct sampleinfo *m = report_sample(r, rt->sample);
    size_t i;

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
}

/* A test's chart and table per force (its groups v[0..n), with nchk
 * files checked of which nfail failed and nerr erred). */
static void test_forces(FILE *fp, const struct report *r, size_t t,
                        const struct sgroup **v, size_t n, const size_t cnt[3])
{
    const struct report_test *rt = &r->tests[t];
    double cpct = r->s->confidence * 100.0;
    size_t i, nchk = cnt[0], nfail = cnt[1], nerr = cnt[2];
    const char *note;

    html_chart(fp, r, v, n, rt->id);
    note = html_common_note(v, n);
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
    html_group_head(fp, "<th>force</th>", cpct);
    fputs("<tbody>\n", fp);
    for (i = 0; i < n; i++) {
        fputs("<tr class=\"whole\">", fp);
        html_td_text(fp, v[i]->force);
        html_group_cells(fp, v[i], note);
        fputs("</tr>\n", fp);
    }
    for (i = 0; i < r->ntskips; i++)
        if (r->tskips[i].test == t) {
            fputs("<tr>", fp);
            html_td_text(fp, r->tskips[i].force);
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
}

/* The breakdowns the test asks for (attended or not, ...). */
static void test_breakdowns(FILE *fp, const struct report *r,
                            const struct report_test *rt)
{
    const struct summary *s = r->s;
    double cpct = s->confidence * 100.0;
    size_t i, j;

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
            bnote = html_common_note(bv, nb);
            if (bnote) {
                fputs("<p class=\"tablenote\">", fp);
                text_html(fp, bnote);
                fputs(".</p>\n", fp);
            }
            fputs("<table class=\"breakdown\">", fp);
            html_group_head(fp, "<th>force</th><th>value</th>", cpct);
            fputs("<tbody>\n", fp);
            for (i = 0; i < nb; i++) {
                fputs("<tr>", fp);
                html_td_text(fp, bv[i]->force);
                html_td_text(fp, bv[i]->by_value);
                html_group_cells(fp, bv[i], bnote);
                fputs("</tr>\n", fp);
            }
            fputs("</tbody></table>\n", fp);
        }
        free(bv);
    }
}

/* A test's figures by stratum, when its sample was stratified. */
static void test_strata(FILE *fp, const struct report *r,
                        const struct report_test *rt,
                        const struct sampleinfo *m)
{
    const struct summary *s = r->s;
    double cpct = s->confidence * 100.0;
    size_t i;
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
            html_group_head(fp, "<th>force</th><th>stratum</th>", cpct);
            fputs("<tbody>\n", fp);
            for (i = 0; i < nh; i++) {
                fputs("<tr>", fp);
                html_td_text(fp, hv[i]->force);
                html_td_text(fp, hv[i]->stratum);
                html_group_cells(fp, hv[i], NULL);
                fputs("</tr>\n", fp);
            }
            fputs("</tbody></table></details>\n", fp);
        }
        free(hv);
    }
}

void html_tests_test(FILE *fp, const struct report *r, size_t t)
{
    const struct report_test *rt = &r->tests[t];
    const struct summary *s = r->s;
    const struct sampleinfo *m = report_sample(r, rt->sample);
    const struct sgroup **v = NULL;
    size_t i, n = 0, cnt[3] = {0, 0, 0}; /* checked, failed, in error */

    test_open(fp, r, rt);
    if (rt->not_run) {
        fputs("<p><b>Not run:</b> ", fp);
        text_html(fp, rt->not_run);
        fputs(".</p></section>\n", fp);
        goto out;
    }
    for (i = 0; i < r->ntfiles; i++)
        if (r->tfiles[i].test == t) {
            cnt[0]++;
            cnt[1] += r->tfiles[i].verdict == V_FAIL;
            cnt[2] += r->tfiles[i].verdict == V_ERROR;
        }
    v = calloc(s->ntg + 1, sizeof(*v));
    if (!v) {
        fputs("</section>\n", fp);
        goto out;
    }
    for (i = 0; i < s->ntg; i++)
        if (!s->tg[i].stratum && strcmp(s->tg[i].test, rt->id) == 0)
            v[n++] = &s->tg[i];
    test_forces(fp, r, t, v, n, cnt);
    test_breakdowns(fp, r, rt);
    if (m && m->nstrata && !m->census)
        test_strata(fp, r, rt, m);
    fputs("<h3>Files that did not pass</h3>\n", fp);
    html_test_failing(fp, r, t);
    fputs("</section>\n", fp);
out:
    free(v);
}
