/* SPDX-License-Identifier: MIT */
/*
 * caseaudit report: per-force compliance figures from findings (and the
 * sample manifests they came from) written as summary.json, summary.csv,
 * findings.csv, report.md and report.html, optionally packed with the
 * evidence into a bundle.  The work is done in report/.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "audit/job.h"
#include "util/path.h"
#include "report/report.h"

static const char usage[] =
    "caseaudit report FINDINGS... -o DIR [--manifest FILE]... "
    "[--confidence C] [--tolerable T] [--prior P] [--by FIELD]... "
    "[--records FILE]... "
    "[--overrides FILE] [--reviews FILE] [--worksheet FILE.csv|FILE.xlsx]... "
    "[--no-excerpts] [--bundle FILE.zip] [--force]";

static void help(void)
{
    printf("usage: %s\n\n", usage);
    puts("Per-force compliance report from findings.csv files (shards are "
         "combined).\n"
         "\n"
         "  -o, --output DIR      write the report here (created; refused if "
         "not empty)\n"
         "      --force           write into a non-empty directory\n"
         "      --manifest FILE   sample manifest the findings came from "
         "(one per\n"
         "                        record type); without one the findings are "
         "the\n"
         "                        whole population (census)\n"
         "      --confidence C    confidence level (default 95%)\n"
         "      --tolerable T     tolerable deviation rate (default 10%)\n"
         "      --prior P         also evaluate each sampled group with a "
         "beta prior:\n"
         "                        uniform, beta:A,B, or K/N (K deviations "
         "in N earlier\n"
         "                        files); shown beside the verdicts, which "
         "it does not\n"
         "                        change\n"
         "      --by FIELD        also break figures down by a record field\n"
         "                        (repeatable; needs --records)\n"
         "      --records FILE    records holding the --by fields: the sample "
         "CSV\n"
         "                        or the export (repeatable; read with "
         "ingest)\n"
         "      --profile NAME    profile for --records (default: by header)\n"
         "      --overrides FILE  reviewer overrides CSV: "
         "id,rule_id,verdict,reviewer,reason\n"
         "      --reviews FILE    a returned reviewer worksheet (CSV or "
         ".xlsx), per rule:\n"
         "                        pass or fail replaces the rule's verdict, "
         "n/a takes the\n"
         "                        finding out, unavailable substitutes the "
         "next spare;\n"
         "                        the agreement of rules and reviewers is "
         "reported\n"
         "      --worksheet FILE  also write the reviewer worksheet, one row "
         "per file and\n"
         "                        rule (.csv or .xlsx by the name; "
         "repeatable)\n"
         "      --no-excerpts     no case text in the worksheet's evidence\n"
         "      --inventory FILE  inventory to show and bundle\n"
         "      --rules PATH      rule files or directories used, for the "
         "bundle\n"
         "      --bundle FILE     also write the evidence bundle (.zip)\n"
         "  -h, --help            show this help\n"
         "\n"
         "Writes summary.json, summary.csv, findings.csv (overrides applied), "
         "report.md\n"
         "and report.html (and overrides.csv), mode 0600.");
}

static void print_summary(const struct summary *s, const char *dir)
{
    size_t i;

    int w = 8; /* the type column; the sample's with a programme's frames */
    bool frames = false;

    for (i = 0; i < s->ng; i++)
        if (strcmp(s->g[i].sample, s->g[i].type) != 0) {
            frames = true;
            if ((int)strlen(s->g[i].sample) > w)
                w = (int)strlen(s->g[i].sample);
        }
    printf("%-20s %-*s %14s %7s %17s  %s\n", "force", w,
           frames ? "sample" : "type", "files", "rate", "CI", "verdict");
    for (i = 0; i < s->ng; i++) {
        const struct sgroup *g = &s->g[i];
        char a[16], b[16], c[16], nn[64], ci[40], f[256], t[256];

        if (g->stratum || strcmp(g->category, "all") != 0)
            continue;
        if (report_has_interval(g))
            snprintf(ci, sizeof(ci), "%s-%s", report_pct(g->cp.lo, b),
                     report_pct(g->cp.hi, c));
        else
            snprintf(ci, sizeof(ci), "%s", g->census ? "exact" : "-");
        printf("%-20s %-*s %14s %7s %17s  %s%s\n",
               escape_term(f, sizeof(f), g->force), w,
               escape_term(t, sizeof(t), g->sample),
               report_n_of_N(g, nn, sizeof(nn)), report_pct(g->rate, a), ci,
               stats_verdict_name(g->verdict),
               g->indicative ? " (indicative)" : "");
    }
    {
        size_t len = strlen(dir);

        while (len > 1 && dir[len - 1] == '/')
            len--; /* "out/" prints as out/report.html */
        fputs("report: ", stdout);
        escape_term_write(stdout, dir, len);
        fputs("/report.html\n", stdout);
    }
}

struct report_opts {
    struct cmd_strv manifests, by, records, rules;
    const char *outdir, *overrides, *inventory, *bundle, *profile;
    double confidence, tolerable;
    bool has_prior;
    struct stats_prior prior;
    bool force;
    bool done; /* --help was given: exit 0 */
};

/* Parse the options into o and j (j->reviews, the worksheet); 0, or the
 * exit status of a usage error. */
static int report_parse_options(int argc, char **argv, struct report_opts *o,
                                struct report_job *j)
{
    enum {
        OPT_MANIFEST = 256,
        OPT_CONFIDENCE,
        OPT_TOLERABLE,
        OPT_BY,
        OPT_RECORDS,
        OPT_PROFILE,
        OPT_OVERRIDES,
        OPT_INVENTORY,
        OPT_RULES,
        OPT_BUNDLE,
        OPT_FORCE,
        OPT_REVIEWS,
        OPT_WORKSHEET,
        OPT_NO_EXCERPTS,
        OPT_PRIOR
    };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"manifest", required_argument, NULL, OPT_MANIFEST},
        {"confidence", required_argument, NULL, OPT_CONFIDENCE},
        {"tolerable", required_argument, NULL, OPT_TOLERABLE},
        {"by", required_argument, NULL, OPT_BY},
        {"records", required_argument, NULL, OPT_RECORDS},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"overrides", required_argument, NULL, OPT_OVERRIDES},
        {"inventory", required_argument, NULL, OPT_INVENTORY},
        {"rules", required_argument, NULL, OPT_RULES},
        {"bundle", required_argument, NULL, OPT_BUNDLE},
        {"reviews", required_argument, NULL, OPT_REVIEWS},
        {"worksheet", required_argument, NULL, OPT_WORKSHEET},
        {"no-excerpts", no_argument, NULL, OPT_NO_EXCERPTS},
        {"prior", required_argument, NULL, OPT_PRIOR},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int rc = 0, c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        int pr = 0;

        switch (c) {
        case 'h':
            help();
            o->done = true;
            goto out;
        case 'o':
            o->outdir = optarg;
            break;
        case OPT_FORCE:
            o->force = true;
            break;
        case OPT_MANIFEST:
            pr = cmd_strv_push(&o->manifests, optarg);
            break;
        case OPT_CONFIDENCE:
            if (cmd_parse_double(usage, "--confidence", optarg, 0.5, 0.9999,
                                 &o->confidence) != 0) {
                rc = CA_USAGE;
                goto out;
            }
            break;
        case OPT_TOLERABLE:
            if (cmd_parse_double(usage, "--tolerable", optarg, 0.0001, 0.9999,
                                 &o->tolerable) != 0) {
                rc = CA_USAGE;
                goto out;
            }
            break;
        case OPT_PRIOR: {
            struct ca_error perr = CA_ERROR_INIT;

            if (o->has_prior) {
                rc = cmd_usage_error(usage, "option '--prior' given twice");
                goto out;
            }
            if (stats_prior_parse(optarg, &o->prior, &perr) != CA_OK) {
                rc = cmd_usage_error(usage, "option '--prior' %s", perr.msg);
                goto out;
            }
            o->has_prior = true;
            break;
        }
        case OPT_BY:
            pr = cmd_strv_push(&o->by, optarg);
            break;
        case OPT_RECORDS:
            pr = cmd_strv_push(&o->records, optarg);
            break;
        case OPT_PROFILE:
            o->profile = optarg;
            break;
        case OPT_OVERRIDES:
            o->overrides = optarg;
            break;
        case OPT_INVENTORY:
            o->inventory = optarg;
            break;
        case OPT_RULES:
            pr = cmd_strv_push(&o->rules, optarg);
            break;
        case OPT_BUNDLE:
            o->bundle = optarg;
            break;
        case OPT_REVIEWS:
            j->reviews = optarg;
            break;
        case OPT_WORKSHEET: {
            size_t n = strlen(optarg);

            if (n > 5 && strcmp(optarg + n - 5, ".xlsx") == 0)
                j->worksheet_xlsx = optarg;
            else if (n > 4 && strcmp(optarg + n - 4, ".csv") == 0)
                j->worksheet_csv = optarg;
            else {
                rc = cmd_usage_error(usage,
                                     "option '--worksheet' needs a "
                                     "name ending .csv or .xlsx, not "
                                     "'%s'",
                                     optarg);
                goto out;
            }
            break;
        }
        case OPT_NO_EXCERPTS:
            j->no_excerpts = true;
            break;
        default:
            rc = cmd_getopt_error(usage, argv, c, longopts);
            goto out;
        }
        if (pr != 0) {
            rc = cmd_oom();
            goto out;
        }
    }
out:
    return rc;
}

/* The operands (findings files from optind) and the options together:
 * 0, or the exit status of a usage error. */
static int report_check_args(int argc, char **argv, const struct report_opts *o)
{
    int rc = 0;
    size_t i, k;

    if (optind >= argc) {
        rc = cmd_usage_error(usage, "no findings file given");
        goto out;
    }
    if (!o->outdir) {
        rc = cmd_usage_error(usage, "no output directory given (-o DIR)");
        goto out;
    }
    if (o->by.n && !o->records.n) {
        rc = cmd_usage_error(usage, "--by needs --records (the records "
                                    "holding the field)");
        goto out;
    }
    for (i = (size_t)optind; i < (size_t)argc; i++)
        for (k = (size_t)optind; k < i; k++)
            if (strcmp(argv[i], argv[k]) == 0) {
                rc = cmd_usage_error(usage, "findings file '%s' given twice",
                                     argv[i]);
                goto out;
            }
    for (i = (size_t)optind; i < (size_t)argc; i++)
        if (strcmp(argv[i], "-") == 0) {
            rc = cmd_usage_error(usage, "findings cannot be read from standard "
                                        "input (they are read twice)");
            goto out;
        }
out:
    return rc;
}

/* Every input is there and of the right kind before any is read. */
static enum ca_status report_check_inputs(int argc, char **argv,
                                          const struct report_opts *o,
                                          struct ca_error *err)
{
    enum ca_status st = CA_OK;
    size_t i;

    for (i = (size_t)optind; i < (size_t)argc && st == CA_OK; i++)
        st = path_want_file(argv[i], err);
    for (i = 0; i < o->manifests.n && st == CA_OK; i++)
        st = path_want_file(o->manifests.v[i], err);
    for (i = 0; i < o->records.n && st == CA_OK; i++)
        st = path_want_input(o->records.v[i], err);
    for (i = 0; i < o->rules.n && st == CA_OK; i++)
        st = path_want_input(o->rules.v[i], err);
    if (st == CA_OK && o->overrides)
        st = path_want_file(o->overrides, err);
    if (st == CA_OK && o->inventory)
        st = path_want_file(o->inventory, err);
    return st;
}

static void report_fill_job(int argc, char **argv, const struct report_opts *o,
                            struct report_job *j)
{
    j->findings = (const char *const *)argv + optind;
    j->nfindings = (size_t)(argc - optind);
    j->manifests = o->manifests.v;
    j->nmanifests = o->manifests.n;
    j->records = o->records.v;
    j->nrecords = o->records.n;
    j->profile = o->profile;
    j->by = o->by.v;
    j->nby = o->by.n;
    j->overrides = o->overrides;
    j->inventory = o->inventory;
    j->rules = o->rules.v;
    j->nrules = o->rules.n;
    j->outdir = o->outdir;
    j->force = o->force;
    j->bundle = o->bundle;
    j->confidence = o->confidence;
    j->tolerable = o->tolerable;
    j->prior = o->has_prior ? &o->prior : NULL;
    j->argv = (const char *const *)argv;
    j->argc = (size_t)argc;
    j->implicit_spares = true;
}

/* What the report counted in a way the reader should know of. */
static void report_warn(const struct report_result *res)
{
    size_t i;

    if (res->spares_ignored)
        cmd_warn("%" PRIu64 " checked %s the place of no drawn file: not "
                 "counted",
                 res->spares_ignored,
                 res->spares_ignored == 1 ? "spare takes" : "spares take");
    for (i = 0; i < res->rv.nsub; i++)
        if (res->rv.sub[i].review == UINT32_MAX)
            cmd_warn("%s %s (rank %" PRIu64 ") was not checked: %s counted in "
                     "its place",
                     res->rv.sub[i].sample, res->rv.sub[i].id,
                     res->rv.sub[i].rank,
                     res->rv.sub[i].spare ? res->rv.sub[i].spare : "no spare");
    if (res->findings_without_record)
        cmd_warn("%" PRIu64 " %s with findings not in --records: counted as "
                 "'(no record)' in the breakdowns",
                 res->findings_without_record,
                 res->findings_without_record == 1 ? "file" : "files");
    for (i = 0; i < res->s.nt; i++)
        if (res->s.t[i].nunchecked)
            cmd_warn("%zu selected %s %s no findings (listed in the report)",
                     res->s.t[i].nunchecked, res->s.t[i].type,
                     res->s.t[i].nunchecked == 1 ? "file has" : "files have");
}

int cmd_report(int argc, char **argv)
{
    struct ca_error err = CA_ERROR_INIT;
    struct report_opts o;
    struct report_job j;
    struct report_result res;
    int rc;

    memset(&o, 0, sizeof(o));
    o.confidence = 0.95;
    o.tolerable = 0.10;
    report_job_init(&j);
    memset(&res, 0, sizeof(res));
    findings_init(&res.fs);
    summary_init(&res.s);
    rc = report_parse_options(argc, argv, &o, &j);
    if (rc != 0 || o.done)
        goto out;
    if ((rc = report_check_args(argc, argv, &o)) != 0)
        goto out;
    if (report_check_inputs(argc, argv, &o, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    report_fill_job(argc, argv, &o, &j);
    if (report_job_run(&j, &res, &err) != CA_OK) {
        rc = cmd_fail(&err);
        cmd_print_rejected_reviews(&res.rv);
        goto out;
    }
    report_warn(&res);
    print_summary(&res.s, o.outdir);
    if (o.bundle) {
        fputs("bundle: ", stdout);
        escape_term_write(stdout, o.bundle, strlen(o.bundle));
        fputc('\n', stdout);
    }
out:
    report_result_release(&res);
    free(o.manifests.v);
    free(o.by.v);
    free(o.records.v);
    free(o.rules.v);
    return rc;
}
