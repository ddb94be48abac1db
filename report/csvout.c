/* SPDX-License-Identifier: MIT */
/* summary.csv and files.csv; see csvout.h. */
#include "report/csvout.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>

#include "util/csvw.h"

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
    csvw_str(w, g->test ? "" : g->category);
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
    csvw_str(w, report_bounds_name(g));
    csvw_str(w, stats_verdict_name(g->verdict));
    csvw_str(w, g->indicative ? "true" : "false");
    csvw_str(w, g->census ? "true" : "false");
    csv_num(w, g->has_strat ? g->strat.estimate : NAN);
    csv_num(w, g->has_strat ? g->strat.se : NAN);
    csv_num(w, g->has_strat ? g->strat.ci.lo : NAN);
    csv_num(w, g->has_strat ? g->strat.ci.hi : NAN);
    csvw_str(w, g->note);
    csvw_str(w, g->sample);
    csvw_str(w, g->test);
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
                                       "note",
                                       "sample",
                                       "test"};
    struct csvw w;
    size_t i;

    csvw_init(&w, fp);
    csvw_row(&w, head, sizeof(head) / sizeof(head[0]));
    for (i = 0; i < r->s->ng; i++)
        csv_group(&w, &r->s->g[i]);
    for (i = 0; i < r->s->nb; i++)
        csv_group(&w, &r->s->b[i]);
    for (i = 0; i < r->s->ntg; i++)
        csv_group(&w, &r->s->tg[i]);
    for (i = 0; i < r->s->ntb; i++)
        csv_group(&w, &r->s->tb[i]);
}

/* --- files.csv ----------------------------------------------------------- */

void report_write_files_csv(const struct report *r, FILE *fp)
{
    static const char *const head[] = {
        "force",        "type",           "id",       "test",
        "verdict",      "reasons",        "spare",    "counted",
        "tool_verdict", "review_verdict", "reviewer", "reviewed_on",
        "review_note"};
    static const char *const use_name[] = {"Y", "N: spare", "N: n/a",
                                           "N: unavailable"};
    struct csvw w;
    size_t i;

    csvw_init(&w, fp);
    csvw_row(&w, head, sizeof(head) / sizeof(head[0]));
    for (i = 0; i < r->ntfiles; i++) {
        const struct report_tfile *t = &r->tfiles[i];
        const struct report_test *test = &r->tests[t->test];
        const struct review *rv = reviews_of(r->reviews, t);

        csvw_str(&w, t->force);
        csvw_str(&w, test->type);
        csvw_str(&w, t->id);
        csvw_str(&w, test->id);
        csvw_str(&w, findings_verdict_name(t->verdict));
        csvw_str(&w, t->reasons);
        csvw_str(&w, t->spare ? "Y" : "N");
        csvw_str(&w, (unsigned)t->use < 4 ? use_name[t->use] : "");
        csvw_str(&w, findings_verdict_name(t->tool));
        csvw_str(&w, rv ? review_verdict_name(rv->verdict) : "");
        csvw_str(&w, rv ? rv->reviewer : "");
        csvw_str(&w, rv ? rv->reviewed_on : "");
        csvw_str(&w, rv ? (rv->added[0] ? rv->added : rv->note) : "");
        csvw_end_row(&w);
    }
}
