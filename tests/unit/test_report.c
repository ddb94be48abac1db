/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for report/: reading findings and overrides, grouping into
 * force x type x category (and file compliance), census versus sample
 * figures, strata and the stratified estimate, HTML escaping, the output
 * directory guard and the evidence bundle.  Reference figures are computed
 * in R; each value carries the R expression that gives it, with
 *   hu <- function(k,n,N,c=0.95){K<-k:(N-(n-k)); max(K[phyper(k,K,N-K,n) >
 * 1-c])} hl <- function(k,n,N,c=0.95){if(k==0) return(0); K<-k:(N-(n-k));
 *                                min(K[1-phyper(k-1,K,N-K,n) > 1-c])}
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "report/bundle.h"
#include "report/csvin.h"
#include "report/findings.h"
#include "report/report.h"
#include "report/sampleinfo.h"
#include "report/summary.h"
#include "report/text.h"
#include "tests/unit/tmpdir.h"

#define HEAD                                                                   \
    "force,type,id,rule_id,category,level,verdict,entry_at,excerpt,message\n"

/* Findings for n records of one force: record i fails rule R1 when
 * i < k1, rule R2 when k1 <= i < k1 + k2 (so file deviations = k1 + k2). */
static char *make_findings(const char *force, const char *prefix, int n, int k1,
                           int k2)
{
    size_t size = 200 + (size_t)n * 260;
    char *s = malloc(size);
    size_t off;
    int i;

    assert_non_null(s);
    off = (size_t)snprintf(s, size, "%s", HEAD);
    for (i = 0; i < n; i++) {
        off += (size_t)snprintf(s + off, size - off,
                                "%s,crime,%s-%03d,R1,supervision,high,%s,,,"
                                "no review\n"
                                "%s,crime,%s-%03d,R2,investigation,low,%s,,,"
                                "no plan\n",
                                force, prefix, i, i < k1 ? "fail" : "pass",
                                force, prefix, i,
                                i >= k1 && i < k1 + k2 ? "fail" : "pass");
    }
    return s;
}

static const struct sgroup *find_group(const struct summary *s,
                                       const char *force, const char *cat,
                                       const char *stratum)
{
    size_t i;

    for (i = 0; i < s->ng; i++) {
        const struct sgroup *g = &s->g[i];

        if (strcmp(g->force, force) == 0 && strcmp(g->category, cat) == 0 &&
            ((!stratum && !g->stratum) ||
             (stratum && g->stratum && strcmp(g->stratum, stratum) == 0)))
            return g;
    }
    return NULL;
}

static void opts_default(struct summary_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->confidence = 0.95;
    o->tolerable = 0.10;
}

/* --- census ------------------------------------------------------------- */

static void test_census_groups(void **state)
{
    struct findings fs;
    struct summary s;
    struct summary_opts o;
    struct ca_error err = CA_ERROR_INIT;
    char *a = make_findings("alpha", "A", 40, 1, 1); /* 2 of 40 = 5% */
    char *b = make_findings("beta", "B", 10, 1, 0);  /* 1 of 10 = 10% */
    const struct sgroup *g;

    (void)state;
    findings_init(&fs);
    summary_init(&s);
    assert_int_equal(findings_load(&fs, tmpdir_write_str("a.csv", a), &err),
                     CA_OK);
    assert_int_equal(findings_load(&fs, tmpdir_write_str("b.csv", b), &err),
                     CA_OK);
    opts_default(&o);
    assert_int_equal(summary_build(&s, &fs, &o, &err), CA_OK);
    /* 2 forces x (all, investigation, supervision), no strata */
    assert_int_equal(s.ng, 6);
    assert_string_equal(s.g[0].force, "alpha");
    assert_string_equal(s.g[0].category, "all");
    assert_string_equal(s.g[1].category, "investigation");
    assert_string_equal(s.g[2].category, "supervision");

    g = find_group(&s, "alpha", "all", NULL);
    assert_non_null(g);
    assert_true(g->census);
    assert_int_equal(g->N, 40);
    assert_int_equal(g->n, 40);
    assert_int_equal(g->k, 2);
    assert_true(fabs(g->rate - 0.05) < 1e-12);
    assert_true(isnan(g->cp.lo) && isnan(g->wilson.hi)); /* no sampling */
    assert_true(fabs(g->upper - 0.05) < 1e-12);
    assert_int_equal(g->upper_dev, 2);
    assert_int_equal(g->verdict, STATS_VERDICT_COMPLIANT);
    assert_false(g->indicative); /* the whole population was checked */

    g = find_group(&s, "alpha", "supervision", NULL);
    assert_int_equal(g->k, 1);
    /* exactly at the tolerable rate: neither bound is beyond it */
    g = find_group(&s, "beta", "all", NULL);
    assert_int_equal(g->n, 10);
    assert_int_equal(g->k, 1);
    assert_int_equal(g->verdict, STATS_VERDICT_INCONCLUSIVE);
    assert_int_equal(s.nt, 1);
    assert_null(s.t[0].m);
    assert_int_equal(s.t[0].checked, 50);

    summary_release(&s);
    findings_release(&fs);
    free(a);
    free(b);
}

/* --- sample, unstratified ------------------------------------------------ */

static const char manifest_head[] =
    "{\"manifest_version\": 1, \"tool_version\": \"0.1.0\", "
    "\"method\": \"hash\", \"seed\": \"s1\", \"type\": \"crime\", "
    "\"per_force\": true, \"allocation\": \"proportional\", "
    "\"rows_read\": 410, \"rows_accepted\": 400, \"rows_rejected\": 10, "
    "\"rejected_by_reason\": {\"missing id\": 10}, ";

static char *make_manifest(const char *strata, const char *pop,
                           const char *const *ids, const char *const *strat,
                           int nids)
{
    size_t size = 4096 + (size_t)nids * 120;
    char *s = malloc(size);
    size_t off;
    int i;

    assert_non_null(s);
    off = (size_t)snprintf(s, size,
                           "%s\"strata\": %s, \"population\": %s, "
                           "\"selected\": [",
                           manifest_head, strata, pop);
    for (i = 0; i < nids; i++)
        off += (size_t)snprintf(s + off, size - off,
                                "%s{\"rank\": %d, \"id\": \"%s\", \"key\": "
                                "\"00\", \"force\": \"alpha\", \"stratum\": "
                                "\"%s\"}",
                                i ? ", " : "", i + 1, ids[i], strat[i]);
    snprintf(s + off, size - off, "], \"spares\": []}\n");
    return s;
}

/* A manifest of force alpha, one stratum "all" of N records, from which
 * A-000 .. A-<n-1> were selected. */
static char *make_alpha_manifest(int N, int n)
{
    char ids[64][16], pop[128];
    const char *idp[64], *st[64];
    int i;

    assert_true(n <= 64);
    for (i = 0; i < n; i++) {
        snprintf(ids[i], sizeof(ids[i]), "A-%03d", i);
        idp[i] = ids[i];
        st[i] = "all";
    }
    snprintf(pop, sizeof(pop),
             "[{\"force\": \"alpha\", \"stratum\": \"all\", "
             "\"N\": %d, \"n\": %d}]",
             N, n);
    return make_manifest("[]", pop, idp, st, n);
}

/* A group with k = 2 deviations in n = 20 files: its two-sided 95%
 * intervals. */
static void assert_2_of_20(const struct sgroup *g)
{
    assert_int_equal(g->n, 20);
    assert_int_equal(g->k, 2);
    /* binom.test(2, 20)$conf.int: 0.012348527170 0.316982714019 */
    assert_true(fabs(g->cp.lo - 0.012348527170) < 1e-9);
    assert_true(fabs(g->cp.hi - 0.316982714019) < 1e-9);
    /* prop.test(2, 20, correct=FALSE)$conf.int: 0.027866481214 0.301033645228
     */
    assert_true(fabs(g->wilson.lo - 0.027866481214) < 1e-9);
    assert_true(fabs(g->wilson.hi - 0.301033645228) < 1e-9);
}

/* A summary of the findings file fpath against the manifest mpath (both
 * load), with the default options; summary_build returns CA_OK. */
struct sample_summary {
    struct findings fs;
    struct summary s;
    struct sampleinfo m;
};

static void sample_summary_build(struct sample_summary *x, const char *mpath,
                                 const char *fpath)
{
    struct summary_opts o;
    struct ca_error err = CA_ERROR_INIT;

    findings_init(&x->fs);
    summary_init(&x->s);
    sampleinfo_init(&x->m);
    assert_int_equal(sampleinfo_load(&x->m, mpath, &err), CA_OK);
    assert_int_equal(findings_load(&x->fs, fpath, &err), CA_OK);
    opts_default(&o);
    o.manifests = &x->m;
    o.nmanifests = 1;
    assert_int_equal(summary_build(&x->s, &x->fs, &o, &err), CA_OK);
}

static void sample_summary_release(struct sample_summary *x)
{
    summary_release(&x->s);
    findings_release(&x->fs);
    sampleinfo_release(&x->m);
}

/* Findings for A-000 .. A-019 of force alpha, k = 2 of n = 20, against a
 * sample of nsel of N = 200: the summary, and its force-level group. */
static const struct sgroup *alpha_2_of_20(struct sample_summary *x, int nsel)
{
    char *f = make_findings("alpha", "A", 20, 1, 1);
    char *mj = make_alpha_manifest(200, nsel);
    const struct sgroup *g;

    sample_summary_build(x, tmpdir_write_str("m.json", mj),
                         tmpdir_write_str("f.csv", f));
    free(f);
    free(mj);
    g = find_group(&x->s, "alpha", "all", NULL);
    assert_non_null(g);
    assert_false(g->census);
    return g;
}

static void test_sample_hypergeometric(void **state)
{
    struct sample_summary x;
    const struct summary *s = &x.s;
    const struct sgroup *g;

    (void)state;
    g = alpha_2_of_20(&x, 20); /* 20 selected, all checked */
    assert_true(g->n_exact);
    assert_int_equal(g->N, 200);
    assert_int_equal(g->n, 20);
    assert_2_of_20(g);
    /* hu(2, 20, 200) = 54; hl(2, 20, 200) = 4 */
    assert_int_equal(g->upper_dev, 54);
    assert_true(fabs(g->upper - 54.0 / 200.0) < 1e-12);
    assert_true(fabs(g->lower - 4.0 / 200.0) < 1e-12);
    assert_int_equal(g->verdict, STATS_VERDICT_INCONCLUSIVE);
    assert_true(g->indicative); /* n = 20 < 30 */
    /* no strata: no stratum groups and no stratified estimate */
    assert_null(find_group(s, "alpha", "all", "all"));
    assert_false(g->has_strat);
    assert_int_equal(s->t[0].nunchecked, 0);

    sample_summary_release(&x);
}

static void test_sample_unchecked_binomial(void **state)
{
    struct sample_summary x;
    const struct summary *s = &x.s;
    const struct sgroup *g;

    (void)state;
    /* 21 selected, 20 with findings: A-020 was not checked */
    g = alpha_2_of_20(&x, 21);
    /* a selected file without findings (no rule applied to it, or it was
     * not checked): the checked files do not cover N, binomial bounds */
    assert_false(g->n_exact);
    assert_non_null(g->note);
    assert_int_equal(g->N, 200);
    assert_int_equal(g->n, 20);
    assert_2_of_20(g);
    /* qbeta(.95, 3, 18) = 0.282618524886; qbeta(.05, 2, 19) = 0.0180652030854
     */
    assert_int_equal(g->upper_dev, SUMMARY_UNKNOWN);
    assert_true(fabs(g->upper - 0.282618524886) < 1e-9);
    assert_true(fabs(g->lower - 0.0180652030854) < 1e-9);
    assert_int_equal(g->verdict, STATS_VERDICT_INCONCLUSIVE);
    assert_true(g->indicative); /* n = 20 < 30 */
    /* no strata: no stratum groups and no stratified estimate */
    assert_null(find_group(s, "alpha", "all", "all"));
    assert_false(g->has_strat);
    assert_int_equal(s->t[0].nunchecked, 1);
    assert_string_equal(s->t[0].unchecked[0], "A-020");

    sample_summary_release(&x);
}

/* --- stratified ---------------------------------------------------------- */

static void test_stratified(void **state)
{
    struct sample_summary x;
    const struct summary *s = &x.s;
    char ids[30][16];
    const char *idp[30], *st[30];
    char *f, *mj;
    size_t off;
    const struct sgroup *g;
    int i;

    (void)state;
    /* stratum Y: A-000..A-009 (1 fails R1); stratum N: A-010..A-029 (4 fail
     * R2), and R3 (victim-care) applies to stratum N only */
    f = malloc(30 * 400 + 200);
    assert_non_null(f);
    off = 0;
    off += (size_t)snprintf(f + off, 200, "%s", HEAD);
    for (i = 0; i < 30; i++) {
        snprintf(ids[i], sizeof(ids[i]), "A-%03d", i);
        idp[i] = ids[i];
        st[i] = i < 10 ? "Y" : "N";
        off += (size_t)snprintf(f + off, 400,
                                "alpha,crime,%s,R1,supervision,high,%s,,,x\n"
                                "alpha,crime,%s,R2,investigation,low,%s,,,y\n",
                                ids[i], i == 0 ? "fail" : "pass", ids[i],
                                i >= 10 && i < 14 ? "fail" : "pass");
        if (i >= 10)
            off += (size_t)snprintf(f + off, 400,
                                    "alpha,crime,%s,R3,victim-care,low,pass,,,"
                                    "z\n",
                                    ids[i]);
    }
    mj = make_manifest("[\"attended\"]",
                       "[{\"force\": \"alpha\", \"stratum\": \"N\", \"N\": 300,"
                       " \"n\": 20}, {\"force\": \"alpha\", \"stratum\": \"Y\","
                       " \"N\": 100, \"n\": 10}]",
                       idp, st, 30);
    sample_summary_build(&x, tmpdir_write_str("ms.json", mj),
                         tmpdir_write_str("fs.csv", f));
    assert_true(sampleinfo_stratified(&x.m));

    g = find_group(s, "alpha", "all", NULL);
    assert_non_null(g);
    assert_int_equal(g->N, 400);
    assert_int_equal(g->n, 30);
    assert_int_equal(g->k, 5);
    /* hu(5, 30, 400) = 125, hl(5, 30, 400) = 29 */
    assert_int_equal(g->upper_dev, 125);
    assert_true(fabs(g->lower - 29.0 / 400.0) < 1e-12);
    assert_true(g->has_strat);
    /* W <- c(100,300)/400; n <- c(10,20); N <- c(100,300); k <- c(1,4);
     * ph <- k/n; est <- sum(W*ph)                         = 0.175
     * se <- sqrt(sum(W^2*(1-n/N)*ph*(1-ph)/(n-1)))        = 0.070594281862
     * est +- qnorm(0.975)*se         = 0.036637750036 0.313362249964 */
    assert_true(fabs(g->strat.estimate - 0.175) < 1e-12);
    assert_true(fabs(g->strat.se - 0.070594281862) < 1e-9);
    assert_true(fabs(g->strat.ci.lo - 0.036637750036) < 1e-9);
    assert_true(fabs(g->strat.ci.hi - 0.313362249964) < 1e-9);

    /* per stratum, exact in N_h: hu(1, 10, 100) = 38, hu(4, 20, 300) = 118 */
    g = find_group(s, "alpha", "all", "Y");
    assert_non_null(g);
    assert_int_equal(g->N, 100);
    assert_int_equal(g->n, 10);
    assert_int_equal(g->k, 1);
    assert_int_equal(g->upper_dev, 38);
    g = find_group(s, "alpha", "all", "N");
    assert_int_equal(g->upper_dev, 118);

    /* victim-care applies to 20 of the 30 files: its population within N
     * is unknown, so the force-level bounds are binomial (N not used) */
    g = find_group(s, "alpha", "victim-care", NULL);
    assert_non_null(g);
    assert_int_equal(g->n, 20);
    assert_false(g->n_exact);
    assert_int_equal(g->upper_dev, SUMMARY_UNKNOWN);
    assert_false(g->has_strat);
    /* qbeta(0.95, 1, 20) for k = 0 of 20: 0.139108340668 */
    assert_true(fabs(g->upper - 0.139108340668) < 1e-9);
    /* ...but within stratum N it covers every file: exact again */
    g = find_group(s, "alpha", "victim-care", "N");
    assert_non_null(g);
    assert_true(g->n_exact);
    assert_null(find_group(s, "alpha", "victim-care", "Y"));

    /* per-record stratum for the failing-file listing */
    assert_string_equal(s->rec_stratum[0], "Y");
    assert_string_equal(s->rec_stratum[29], "N");

    sample_summary_release(&x);
    free(f);
    free(mj);
}

/* --- findings errors ----------------------------------------------------- */

static void test_findings_errors(void **state)
{
    struct findings fs;
    struct ca_error err = CA_ERROR_INIT;
    const char *p1, *p2;

    (void)state;
    findings_init(&fs);
    p1 = tmpdir_write_str("d1.csv",
                          HEAD "f,crime,X1,R1,supervision,high,pass,,"
                               "\"two\nlines\",m\n"
                               "f,crime,X2,R1,supervision,high,fail,,,m\n");
    p2 = tmpdir_write_str("d2.csv",
                          HEAD "f,crime,X3,R1,supervision,high,pass,,,m\n"
                               "f,crime,X2,R1,supervision,high,pass,,,m\n");
    assert_int_equal(findings_load(&fs, p1, &err), CA_OK);
    /* the same (id, rule) in another shard names both places */
    assert_int_equal(findings_load(&fs, p2, &err), CA_DATA);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "duplicate finding"));
    assert_non_null(strstr(err.msg, "d1.csv:4")); /* after a 2-line row */
    findings_release(&fs);

    findings_init(&fs);
    p1 = tmpdir_write_str("d3.csv",
                          HEAD "f,crime,X1,R1,supervision,high,maybe,,,m\n");
    assert_int_equal(findings_load(&fs, p1, &err), CA_DATA);
    assert_string_equal(err.field, "verdict");
    assert_int_equal(err.line, 2);
    findings_release(&fs);

    findings_init(&fs);
    p1 = tmpdir_write_str("d4.csv", "id,rule_id,verdict\nX,R,pass\n");
    assert_int_equal(findings_load(&fs, p1, &err), CA_DATA);
    assert_non_null(strstr(err.msg, "not a findings file"));
    findings_release(&fs);

    findings_init(&fs);
    p1 = tmpdir_write_str("d5.csv",
                          HEAD "f,crime,X1,R1,supervision,high,pass,,,m\n"
                               "g,crime,X1,R2,supervision,high,pass,,,m\n");
    assert_int_equal(findings_load(&fs, p1, &err), CA_DATA);
    assert_string_equal(err.field, "force");
    findings_release(&fs);

    findings_init(&fs);
    p1 = tmpdir_write_str("d6.csv",
                          HEAD "f,crime,X1,R1,supervision,high,pass,,,m\n"
                               "f,crime,X2,R1,\"unterminated,high,pass,,,m\n");
    assert_int_equal(findings_load(&fs, p1, &err), CA_DATA);
    assert_int_equal(err.line, 3);
    findings_release(&fs);
}

/* --- overrides ----------------------------------------------------------- */

static void test_overrides(void **state)
{
    struct findings fs;
    struct summary s;
    struct summary_opts o;
    struct ca_error err = CA_ERROR_INIT;
    char *f =
        make_findings("alpha", "A", 10, 2, 1); /* A-000,1 fail R1; A-002 R2 */
    const struct sgroup *g;
    const char *fp, *op;
    size_t i;

    (void)state;
    fp = tmpdir_write_str("o.csv", f);
    findings_init(&fs);
    summary_init(&s);
    assert_int_equal(findings_load(&fs, fp, &err), CA_OK);
    op = tmpdir_write_str(
        "ov.csv", "id,rule_id,verdict,reviewer,reason\n"
                  "A-000,R1,pass,DI 1 Khan,review is in the paper file\n"
                  "A-005,R2,fail,DI 1 Khan,plan is boilerplate\n"
                  "A-006,R2,pass,DS 2 Lee,confirmed\n");
    assert_int_equal(findings_apply_overrides(&fs, op, &err), CA_OK);
    assert_int_equal(fs.novr, 3);
    opts_default(&o);
    assert_int_equal(summary_build(&s, &fs, &o, &err), CA_OK);
    /* file deviations: A-001 (R1), A-002 (R2), A-005 (R2 by override) */
    g = find_group(&s, "alpha", "all", NULL);
    assert_int_equal(g->k, 3);
    g = find_group(&s, "alpha", "supervision", NULL);
    assert_int_equal(g->k, 1);
    g = find_group(&s, "alpha", "investigation", NULL);
    assert_int_equal(g->k, 2);
    /* per rule: how often reviewers overturned it */
    for (i = 0; i < s.nr; i++) {
        if (strcmp(s.r[i].rule_id, "R1") == 0) {
            assert_int_equal(s.r[i].reviewed, 1);
            assert_int_equal(s.r[i].to_pass, 1);
            assert_int_equal(s.r[i].to_fail, 0);
            assert_int_equal(s.r[i].fail, 1);
        } else {
            assert_int_equal(s.r[i].reviewed, 2); /* one confirmed */
            assert_int_equal(s.r[i].to_pass, 0);
            assert_int_equal(s.r[i].to_fail, 1);
        }
    }
    summary_release(&s);
    findings_release(&fs);

    /* strict: unknown id, unknown rule, not applied, twice, bad verdict,
     * no reviewer; each names file and line */
    {
        static const struct {
            const char *row;
            const char *field;
            const char *msg;
        } bad[] = {
            {"A-999,R1,pass,x,y\n", "id", "unknown id"},
            {"A-001,R9,pass,x,y\n", "rule_id", "unknown rule"},
            {"A-001,R1,error,x,y\n", "verdict", "not pass or fail"},
            {"A-001,R1,pass,,y\n", "reviewer", "empty"},
            {"A-001,R1,pass,x,\n", "reason", "empty"},
        };

        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            char text[256];

            findings_init(&fs);
            assert_int_equal(findings_load(&fs, fp, &err), CA_OK);
            snprintf(
                text, sizeof(text),
                "id,rule_id,verdict,reviewer,reason\nA-000,R1,pass,a,b\n%s",
                bad[i].row);
            ca_error_clear(&err);
            assert_int_equal(findings_apply_overrides(
                                 &fs, tmpdir_write_str("bad.csv", text), &err),
                             CA_DATA);
            assert_int_equal(err.line, 3);
            assert_string_equal(err.field, bad[i].field);
            assert_non_null(strstr(err.msg, bad[i].msg));
            assert_non_null(strstr(err.file, "bad.csv"));
            findings_release(&fs);
        }
        findings_init(&fs);
        assert_int_equal(findings_load(&fs, fp, &err), CA_OK);
        assert_int_equal(
            findings_apply_overrides(
                &fs,
                tmpdir_write_str("twice.csv",
                                 "id,rule_id,verdict,reviewer,reason\n"
                                 "A-000,R1,pass,a,b\nA-000,R1,fail,c,d\n"),
                &err),
            CA_DATA);
        assert_non_null(strstr(err.msg, "second override"));
        findings_release(&fs);
    }
    free(f);
}

/* --- manifest checks ----------------------------------------------------- */

/* summary_build over the findings CSV text (written to tmpdir as name),
 * which must load: its status, with err filled. */
static enum ca_status build_status(const struct summary_opts *o,
                                   const char *name, const char *csv,
                                   struct ca_error *err)
{
    struct findings fs;
    struct summary s;
    enum ca_status st;

    findings_init(&fs);
    summary_init(&s);
    assert_int_equal(findings_load(&fs, tmpdir_write_str(name, csv), err),
                     CA_OK);
    st = summary_build(&s, &fs, o, err);
    summary_release(&s);
    findings_release(&fs);
    return st;
}

static void test_manifest_mismatch(void **state)
{
    struct summary_opts o;
    struct sampleinfo m;
    struct ca_error err = CA_ERROR_INIT;
    char *mj = make_alpha_manifest(50, 2);

    (void)state;
    sampleinfo_init(&m);
    assert_int_equal(sampleinfo_load(&m, tmpdir_write_str("mm.json", mj), &err),
                     CA_OK);
    opts_default(&o);
    o.manifests = &m;
    o.nmanifests = 1;

    /* an id that the sample did not draw */
    assert_int_equal(
        build_status(&o, "mm1.csv",
                     HEAD "alpha,crime,A-000,R1,supervision,high,pass,,,m\n"
                          "alpha,crime,A-007,R1,supervision,high,pass,,,m\n",
                     &err),
        CA_DATA);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "not in the sample manifest"));

    /* a force that disagrees with the one the sample was drawn for */
    assert_int_equal(
        build_status(&o, "mm2.csv",
                     HEAD "beta,crime,A-001,R1,supervision,high,pass,,,m\n",
                     &err),
        CA_DATA);
    assert_string_equal(err.field, "force");

    /* findings of a type the manifests do not cover */
    assert_int_equal(
        build_status(&o, "mm3.csv",
                     HEAD "alpha,wanted,W-1,W1,supervision,high,pass,,,m\n",
                     &err),
        CA_USAGE);
    assert_non_null(strstr(err.msg, "wanted"));
    sampleinfo_release(&m);

    /* not a manifest */
    sampleinfo_init(&m);
    assert_int_equal(
        sampleinfo_load(&m, tmpdir_write_str("nm.json", "{\"a\": 1}"), &err),
        CA_DATA);
    assert_string_equal(err.field, "manifest_version");
    sampleinfo_release(&m);
    free(mj);
}

/* A force the sample was drawn for, with no finding at all, still has a
 * row: nothing checked, nothing known. */
static void test_unchecked_force(void **state)
{
    struct sample_summary x;
    const struct summary *s = &x.s;
    const char *idp[2] = {"A-000", "A-001"}, *st[2] = {"all", "all"};
    char *mj = make_manifest("[]",
                             "[{\"force\": \"alpha\", \"stratum\": \"all\", "
                             "\"N\": 5, \"n\": 2}, {\"force\": \"beta\", "
                             "\"stratum\": \"all\", \"N\": 7, \"n\": 0}]",
                             idp, st, 2);
    const struct sgroup *g;

    (void)state;
    sample_summary_build(
        &x, tmpdir_write_str("uf.json", mj),
        tmpdir_write_str("uf.csv", HEAD
                         "alpha,crime,A-000,R1,supervision,high,pass,,,m\n"
                         "alpha,crime,A-001,R1,supervision,high,fail,,,m\n"));
    g = find_group(s, "beta", "all", NULL);
    assert_non_null(g);
    assert_int_equal(g->N, 7);
    assert_int_equal(g->n, 0);
    assert_true(isnan(g->rate));
    assert_int_equal(g->verdict, STATS_VERDICT_INCONCLUSIVE);
    assert_null(find_group(s, "beta", "supervision", NULL));
    /* one deviation found among 5 means at least 20% > 10%: hl(1,2,5) = 1 */
    g = find_group(s, "alpha", "all", NULL);
    assert_true(fabs(g->lower - 0.2) < 1e-12);
    assert_int_equal(g->verdict, STATS_VERDICT_NOT_COMPLIANT);
    sample_summary_release(&x);
    free(mj);
}

/* --- the whole audit ----------------------------------------------------- */

#define CRIME_HEAD                                                             \
    "crime_ref,force,incident_ref,offence,offence_group,reported_at,"          \
    "recorded_at,attended,vulnerable,repeat_victim,named_suspect,status,"      \
    "outcome,outcome_at,oic,division,log\n"

static enum ca_status fixed_size(void *ctx, uint64_t N, uint64_t *n,
                                 struct ca_error *err)
{
    (void)ctx;
    (void)err;
    *n = N < 2 ? N : 2;
    return CA_OK;
}

static int64_t day_secs(int y, unsigned m, unsigned d)
{
    return date_days_from_civil(y, m, d) * 86400;
}

static const struct audit_as_of *as_of_of(const struct audit_result *r,
                                          const char *force)
{
    size_t i;

    for (i = 0; i < r->nas_of; i++)
        if (strcmp(r->as_of[i].force, force) == 0)
            return &r->as_of[i];
    return NULL;
}

/* The as-of date per force: the latest event (a log entry, a date field),
 * not the scheduled bail_end, not a date after `now`; the generator's rule
 * for the demo; the output directory guard and the files written. */
static void test_audit_as_of(void **state)
{
    struct audit_opts o;
    struct audit_result res;
    struct sample_plan plan;
    struct ca_error err = CA_ERROR_INIT;
    const char *in[2], *rules[1] = {"../../rules"};
    char dir[600], path[700];
    const struct audit_as_of *a;
    struct ruleset *rs = NULL;
    struct programme *prog = NULL;
    struct stat sb;

    (void)state;
    assert_int_equal(ruleset_load(rules, 1, NULL, &rs, &err), CA_OK);
    assert_int_equal(
        programme_load("../../programmes/hmic-2014.yaml", rs, &prog, &err),
        CA_OK);
    in[0] = tmpdir_write_str(
        "ac.csv", CRIME_HEAD
        "A1,alpha,I1,theft,other,2024-03-01 09:00,2024-03-01 10:00,N,"
        "N,N,N,open,,,PC 1,x,\"2024-03-02 10:00 PC 1 A: CCTV "
        "viewed.\n2024-03-10 09:00 PC 1 A: Victim updated.\"\n"
        "A2,alpha,I2,theft,other,2024-01-01 09:00,2024-01-01 10:00,Y,"
        "N,N,N,closed,Outcome 18,2024-02-01 10:00,PC 1,x,\"2099-01-01 "
        "10:00 PC 1 A: a typing error.\"\n"
        "B1,beta,I3,theft,burglary,2024-02-01 09:00,2024-02-01 10:00,"
        "Y,N,N,N,closed,Outcome 18,2024-02-20 10:00,PC 2,y,\"2024-02-02 "
        "10:00 PC 2 B: House to house done.\"\n");
    in[1] = tmpdir_write_str(
        "ab.csv", "bail_ref,force,person_ref,crime_ref,arrested_at,bail_start,"
                  "bail_end,failed_to_answer,answered_at,status,oic,log\n"
                  "BB1,beta,P1,B1,2024-02-05 10:00,2024-02-05 18:00,2024-06-01 "
                  "10:00,N,,open,PC 2,\n");
    memset(&plan, 0, sizeof(plan));
    plan.mode = PLAN_MODE_FIXED;
    plan.size = 2;
    audit_opts_init(&o);
    snprintf(dir, sizeof(dir), "%s/audit-out", tmpdir);
    o.inputs = in;
    o.ninputs = 2;
    o.outdir = dir;
    o.seed = "t";
    o.plan = &plan;
    o.size = fixed_size;
    o.size_bound = 2;
    o.rules = rules;
    o.nrules = 1;
    o.rs = rs;
    o.prog = prog;
    o.now = day_secs(2026, 1, 1);
    assert_int_equal(audit_run(&o, &res, &err), CA_OK);
    a = as_of_of(&res, "alpha"); /* log entry 2024-03-10; 2099 ignored */
    assert_non_null(a);
    assert_int_equal(a->as_of, day_secs(2024, 3, 10));
    a = as_of_of(&res, "beta"); /* outcome_at 2024-02-20; bail_end ignored */
    assert_non_null(a);
    assert_int_equal(a->as_of, day_secs(2024, 2, 20));
    assert_int_equal(res.future_dates, 1);
    /* hmic-2014's frames: crime, named-suspect-activity, wanted,
     * bail-fta-pursued, bail */
    assert_int_equal(res.ns, 5);
    assert_string_equal(res.s[0].name, "crime");
    assert_true(res.s[0].drawn);
    assert_string_equal(res.s[0].strata, "attended, offence_group");
    assert_string_equal(res.s[2].name, "wanted");
    assert_false(res.s[2].drawn); /* no wanted records */
    assert_non_null(res.s[2].skipped);
    assert_string_equal(res.s[3].name, "bail-fta-pursued");
    assert_true(res.s[3].drawn); /* drawn, and empty: nobody failed to */
    assert_int_equal(res.s[3].N, 0);
    assert_true(res.s[4].drawn); /* bail */
    assert_int_equal(res.s[4].selected, 1);
    assert_non_null(res.tests[3].not_run); /* wanted-activity */
    assert_null(res.tests[0].not_run);
    /* crime-investigation and crime-supervision for each of 3 crimes, and
     * bail-supervision for the one bail file */
    assert_int_equal(res.ntfiles, 3 * 2 + 1);
    assert_false(res.reconciled); /* no incidents */
    assert_non_null(res.reconcile_skipped);
    snprintf(path, sizeof(path), "%s/sample-crime.csv", dir);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(path, sizeof(path), "%s/evidence.zip", dir);
    assert_int_equal(stat(path, &sb), 0);
    audit_result_release(&res);

    /* a second run is refused, then forced; one date for every force */
    assert_int_equal(audit_run(&o, &res, &err), CA_USAGE);
    audit_result_release(&res);
    o.force = true;
    o.as_of_rule = AUDIT_AS_OF_NEXT_MONTH; /* latest event 2024-03-10 */
    in[0] = tmpdir_write_str(
        "ac2.csv", CRIME_HEAD
        "A1,alpha,I1,theft,other,2024-03-01 09:00,2024-03-01 10:00,N,"
        "N,N,N,open,,,PC 1,x,\"2024-03-10 09:00 PC 1 A: Updated.\"\n");
    o.ninputs = 1;
    assert_int_equal(audit_run(&o, &res, &err), CA_OK);
    a = as_of_of(&res, "alpha");
    assert_non_null(a);
    assert_int_equal(a->as_of, day_secs(2024, 4, 1));
    assert_false(res.s[4].drawn);
    audit_result_release(&res);
    /* the earlier run's bail sample is gone */
    snprintf(path, sizeof(path), "%s/sample-bail.csv", dir);
    assert_int_not_equal(stat(path, &sb), 0);
    programme_free(prog);
    ruleset_free(rs);
}

/* --- output -------------------------------------------------------------- */

static void test_html_escape(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    char *clean;

    (void)state;
    assert_non_null(fp);
    text_html(fp, "<script>alert('x')</script> & \"q\" \xff\x01ok\xc3\xa9");
    fclose(fp);
    assert_string_equal(buf, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
                             "&amp; &quot;q&quot; &#xFFFD;&#xFFFD;ok\xc3\xa9");
    free(buf);
    clean = text_utf8_clean("a\xc0\xafz\xed\xa0\x80");
    assert_string_equal(clean, "a\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD"
                               "\xEF\xBF\xBD\xEF\xBF\xBD");
    free(clean);
}

/* Markdown: a value stays one run of text, whatever it holds */
static void test_md_escape(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    (void)state;
    assert_non_null(fp);
    text_md_cell(fp, "<script>x</script>\x1b[31m|*_# a\nb \xff");
    fputs(" / ", fp);
    text_md_heading(fp, "#1 [x](y) ~~z~~ `c` & e");
    fclose(fp);
    assert_string_equal(buf,
                        "\\<script\\>x\\</script\\>\\\\x1b\\[31m\\|\\*\\_# "
                        "a b \xEF\xBF\xBD / \\#1 \\[x\\](y) \\~\\~z\\~\\~ "
                        "\\`c\\` \\& e");
    free(buf);
}

static void test_prepare_dir(void **state)
{
    struct ca_error err = CA_ERROR_INIT;
    char dir[400];

    (void)state;
    snprintf(dir, sizeof(dir), "%s/out/sub", tmpdir);
    assert_int_equal(report_prepare_dir(dir, false, &err), CA_OK); /* made */
    assert_int_equal(report_prepare_dir(dir, false, &err), CA_OK); /* empty */
    snprintf(dir, sizeof(dir), "%s/out", tmpdir);
    assert_int_equal(report_prepare_dir(dir, false, &err), CA_USAGE);
    assert_non_null(strstr(err.msg, "--force"));
    assert_int_equal(report_prepare_dir(dir, true, &err), CA_OK);
}

/* --- bundle -------------------------------------------------------------- */

/* Copy a zip, replacing the contents of entry `change` (or adding an entry
 * when add is set, or dropping `change` when drop is set). */
static void rezip(const char *from, const char *to, const char *change,
                  const char *data, int add, int drop)
{
    struct archive *in = archive_read_new(), *out = archive_write_new();
    struct archive_entry *e;
    char buf[65536];

    archive_read_support_format_zip(in);
    assert_int_equal(archive_read_open_filename(in, from, 65536), ARCHIVE_OK);
    archive_write_set_format_zip(out);
    assert_int_equal(archive_write_open_filename(out, to), ARCHIVE_OK);
    while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e);
        int replace = change && strcmp(name, change) == 0 && !add;
        la_ssize_t got;
        size_t len = 0;
        char *copy = NULL;

        if (replace && drop)
            continue;
        while ((got = archive_read_data(in, buf, sizeof(buf))) > 0) {
            copy = realloc(copy, len + (size_t)got);
            memcpy(copy + len, buf, (size_t)got);
            len += (size_t)got;
        }
        if (replace) {
            free(copy);
            len = strlen(data);
            copy = strdup(data);
        }
        archive_entry_set_size(e, (la_int64_t)len);
        assert_int_equal(archive_write_header(out, e), ARCHIVE_OK);
        if (len)
            archive_write_data(out, copy, len);
        free(copy);
    }
    if (add) {
        e = archive_entry_new();
        archive_entry_set_pathname(e, change);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0600);
        archive_entry_set_size(e, (la_int64_t)strlen(data));
        archive_write_header(out, e);
        archive_write_data(out, data, strlen(data));
        archive_entry_free(e);
    }
    archive_read_free(in);
    archive_write_close(out);
    archive_write_free(out);
}

static void test_bundle(void **state)
{
    static const char manifest[] = "{\"manifest_version\": 1}\n";
    struct bundle_file files[3] = {
        {"report.html", NULL, "<html></html>\n", 14},
        {"manifests/sample.json", NULL, manifest, sizeof(manifest) - 1},
        {"rules/crime/sup.yaml", NULL, "id: CRM-SUP-01\n", 15},
    };
    struct bundle_contents c;
    struct ca_error err = CA_ERROR_INIT;
    struct stat sb;
    char zip[400], bad[400];
    size_t i;
    int found = 0;

    (void)state;
    snprintf(zip, sizeof(zip), "%s/b.zip", tmpdir);
    snprintf(bad, sizeof(bad), "%s/bad.zip", tmpdir);
    assert_int_equal(bundle_write(zip, files, 3, &err), CA_OK);
    assert_int_equal(stat(zip, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    assert_int_equal(bundle_verify(zip, &c, &err), CA_OK);
    assert_int_equal(c.n, 3);
    for (i = 0; i < c.n; i++)
        if (c.v[i].manifest) {
            found++;
            assert_string_equal(c.v[i].data, manifest);
        }
    assert_int_equal(found, 1);
    /* printf '<html></html>\n' | sha256sum */
    assert_string_equal(c.v[0].name, "report.html");
    assert_string_equal(c.v[0].sha256,
                        "b0693dc92f76e08bf1485b3dd9b514a2e31dfd6f"
                        "39422a6b60edb722671dc98f");
    bundle_contents_release(&c);

    /* a changed entry */
    rezip(zip, bad, "report.html", "<html>changed</html>\n", 0, 0);
    assert_int_equal(bundle_verify(bad, &c, &err), CA_FINDINGS);
    assert_non_null(strstr(err.msg, "'report.html' does not match"));
    bundle_contents_release(&c);
    /* an added entry */
    unlink(bad);
    rezip(zip, bad, "extra.txt", "x", 1, 0);
    assert_int_equal(bundle_verify(bad, &c, &err), CA_FINDINGS);
    assert_non_null(strstr(err.msg, "not in SHA256SUMS"));
    bundle_contents_release(&c);
    /* a removed entry */
    unlink(bad);
    rezip(zip, bad, "rules/crime/sup.yaml", NULL, 0, 1);
    assert_int_equal(bundle_verify(bad, &c, &err), CA_FINDINGS);
    assert_non_null(strstr(err.msg, "missing from the bundle"));
    bundle_contents_release(&c);
    /* no SHA256SUMS, or not a zip */
    unlink(bad);
    rezip(zip, bad, "SHA256SUMS", NULL, 0, 1);
    assert_int_equal(bundle_verify(bad, &c, &err), CA_DATA);
    bundle_contents_release(&c);
    assert_int_equal(
        bundle_verify(tmpdir_write_str("nz.zip", "not a zip"), &c, &err),
        CA_DATA);
    bundle_contents_release(&c);

    /* names that could escape a directory are refused */
    files[0].name = "../evil";
    assert_int_equal(bundle_write(bad, files, 1, &err), CA_USAGE);
    files[0].name = "manifests/sample.json";
    assert_int_equal(bundle_write(bad, files, 2, &err), CA_USAGE); /* twice */
}

/* --- CSV reader ---------------------------------------------------------- */

struct rows {
    unsigned long lines[8];
    size_t n;
};

static enum ca_status count_row(void *vc, const struct csvin_row *row,
                                struct ca_error *err)
{
    struct rows *r = vc;

    (void)err;
    if (r->n < 8)
        r->lines[r->n++] = row->line;
    return CA_OK;
}

static void test_csvin_lines(void **state)
{
    struct rows r;
    struct ca_error err = CA_ERROR_INIT;

    (void)state;
    memset(&r, 0, sizeof(r));
    assert_int_equal(
        csvin_read(tmpdir_write_str("l.csv", "\xEF\xBB\xBF"
                                             "a,b\r\n\"x\ny\nz\",1\n"
                                             "\n"
                                             "c,d\n"
                                             "e,f"),
                   count_row, &r, &err),
        CA_OK);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.lines[0], 1);
    assert_int_equal(r.lines[1], 2);
    assert_int_equal(r.lines[2], 6); /* after a blank line */
    assert_int_equal(r.lines[3], 7); /* no final line break */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_census_groups),
        cmocka_unit_test(test_sample_hypergeometric),
        cmocka_unit_test(test_sample_unchecked_binomial),
        cmocka_unit_test(test_stratified),
        cmocka_unit_test(test_findings_errors),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_manifest_mismatch),
        cmocka_unit_test(test_unchecked_force),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_md_escape),
        cmocka_unit_test(test_prepare_dir),
        cmocka_unit_test(test_bundle),
        cmocka_unit_test(test_csvin_lines),
        cmocka_unit_test(test_audit_as_of),
    };

    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
