/* SPDX-License-Identifier: MIT */
/*
 * caseaudit run: the whole audit in one command (inventory, a planned hash
 * sample per force and record type, the shipped rules over each sample,
 * the report, the evidence bundle and the crime/incident reconciliation),
 * by default on the built-in demo export.  Options are parsed here; the
 * pipeline is report/audit.c's audit_run().
 */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/plan_options.h"
#include "cmd/sample_size.h"
#include "report/audit_check.h"
#include "report/audit.h"
#include "util/datadir.h"

static const char usage[] =
    "caseaudit run [INPUT...] [-o DIR] [--force] [--seed S] "
    "[--confidence C] [--tolerable T] [--expected-rate R] [--rules PATH]... "
    "[--as-of DATE]";

#define DEFAULT_OUT "caseaudit-out"
#define DEMO_PATH "fixtures/demo/demo.zip"
#define DEMO_SEED "caseaudit-demo"

static void help(void)
{
    printf("usage: %s\n\n", usage);
    puts("The whole audit in one command: inventory the export, draw a hash "
         "sample of\n"
         "crime, wanted and bail files per force (crimes stratified by "
         "attended and\n"
         "offence group) sized by an attribute plan for each force's N, "
         "check the\n"
         "samples with the rules, and write the report, the evidence bundle "
         "and the\n"
         "crime/incident reconciliation.  Without INPUT it audits the "
         "built-in demo.\n"
         "\n"
         "  -o, --output DIR      output directory (default " DEFAULT_OUT
         "); an existing\n"
         "                        one that is not empty is refused\n"
         "      --force           write into it anyway (files of an earlier "
         "run are\n"
         "                        replaced)\n"
         "      --seed S          sample seed (default: random, printed and "
         "recorded;\n"
         "                        '" DEMO_SEED "' for the demo)\n"
         "      --confidence C    confidence level (default 95%)\n"
         "      --tolerable T     tolerable deviation rate (default 10%)\n"
         "      --expected-rate R expected deviation rate the plan allows "
         "for\n"
         "                        (default 2%)\n"
         "      --rules PATH      rule file or directory (repeatable; "
         "default: the\n"
         "                        shipped rules)\n"
         "      --as-of DATE      judge open files as of DATE (YYYY-MM-DD or\n"
         "                        DD/MM/YYYY; default: the latest date in "
         "each\n"
         "                        force's records; the demo: its export "
         "date)\n"
         "  -h, --help            show this help\n"
         "\n"
         "Writes into DIR, mode 0600: inventory.json, sample-<type>.csv, "
         "manifest-<type>.json,\n"
         "findings-<type>.csv, summary.json, summary.csv, findings.csv, "
         "report.md,\n"
         "report.html, reconcile.json and evidence.zip (check it with "
         "`caseaudit verify`).\n"
         "Exit status: 0 done, 2 usage, 3 bad input or rules, 4 system "
         "error.");
}

/* A random seed: 16 hex digits from the system's random source.  A seed
 * a force can guess lets it know the sample in advance. */
static int random_seed(char out[17])
{
    unsigned char b[8];
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t n;
    size_t i;

    if (fd < 0)
        return -1;
    n = read(fd, b, sizeof(b));
    close(fd);
    if (n != (ssize_t)sizeof(b))
        return -1;
    for (i = 0; i < sizeof(b); i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return 0;
}

static void on_stage(void *ctx, const char *what)
{
    (void)ctx;
    fprintf(stderr, "run: %s...\n", what);
}

static const char *pct(double v, char out[16])
{
    return report_pct(v, out);
}

/* A rate as given: "95%", "2.5%". */
static const char *rate(double v, char out[24])
{
    snprintf(out, 24, "%.10g%%", v * 100.0);
    return out;
}

static void print_table(const struct audit_result *res, double confidence)
{
    const struct summary *s = &res->rep.s;
    char hdr[32];
    size_t i;

    snprintf(hdr, sizeof(hdr), "%g%% CI", confidence * 100.0);
    printf("%-20s %-7s %15s %10s %15s  %s\n", "force", "type", "files checked",
           "compliant", hdr, "verdict");
    for (i = 0; i < s->ng; i++) {
        const struct sgroup *g = &s->g[i];
        char a[16], b[16], c[16], nn[64], ci[40], rate[16];

        if (g->stratum || strcmp(g->category, "all") != 0)
            continue;
        if (isnan(g->rate))
            snprintf(rate, sizeof(rate), "-");
        else
            pct(1.0 - g->rate, rate);
        if (report_has_interval(g) && !isnan(g->cp.lo))
            snprintf(ci, sizeof(ci), "%s-%s", pct(1.0 - g->cp.hi, b),
                     pct(1.0 - g->cp.lo, c));
        else
            snprintf(ci, sizeof(ci), "%s",
                     g->census || (g->n > 0 && g->n == g->N) ? "exact" : "-");
        (void)a;
        printf("%-20s %-7s %15s %10s %15s  %s%s\n", g->force, g->type,
               report_n_of_N(g, nn, sizeof(nn)), rate, ci,
               stats_verdict_name(g->verdict),
               g->indicative ? " (indicative)" : "");
    }
}

static void print_reconcile(const struct audit_result *res)
{
    size_t i;

    if (!res->reconciled) {
        if (res->reconcile_skipped)
            printf("\ncrimes not reconciled with incidents: %s\n",
                   res->reconcile_skipped);
        return;
    }
    printf("\nall crimes, not a sample (reconcile.json):\n");
    printf("%-20s %7s  %-19s %-10s %s\n", "force", "crimes",
           "recorded directly", "of those", "named suspects not yet");
    printf("%-20s %7s  %-19s %-10s %s\n", "", "", "(no incident)", "attended",
           "arrested or interviewed");
    for (i = 0; i < res->rec.n; i++) {
        const struct reconcile_force *f = &res->rec.f[i];
        char a[16], b[16], d1[40], d2[40], d3[48];

        snprintf(d1, sizeof(d1), "%" PRIu64 " (%s)", f->direct_recorded,
                 f->crimes
                     ? pct((double)f->direct_recorded / (double)f->crimes, a)
                     : "-");
        snprintf(d2, sizeof(d2), "%" PRIu64 " (%s)", f->direct_attended,
                 f->direct_recorded ? pct((double)f->direct_attended /
                                              (double)f->direct_recorded,
                                          b)
                                    : "-");
        snprintf(d3, sizeof(d3), "%" PRIu64 " of %" PRIu64,
                 f->suspects_not_arrested, f->named_suspects);
        printf("%-20s %7" PRIu64 "  %-19s %-10s %s\n", f->force, f->crimes, d1,
               d2, d3);
    }
}

static void print_result(const struct audit_result *res, const char *label,
                         const char *seed, const struct plan_options *po,
                         double confidence, double tolerable)
{
    char a[24], b[24], day[20];
    size_t i;
    bool one = true;

    printf("caseaudit run: %s\n", label);
    printf("records: %" PRIu64 " crime, %" PRIu64 " wanted, %" PRIu64
           " bail, %" PRIu64 " incident in %zu force%s (%" PRIu64
           " rows read, %" PRIu64 " rejected)\n",
           res->records[RT_CRIME], res->records[RT_WANTED],
           res->records[RT_BAIL], res->records[RT_INCIDENT], res->nas_of,
           res->nas_of == 1 ? "" : "s", res->rows_read, res->rows_rejected);
    printf("plan: per force and type, enough files to show with %s "
           "confidence that the\ndeviation rate is below %s, allowing for "
           "an expected rate of %s (hypergeometric\nin N); hash sample, seed "
           "'%s'\n",
           rate(confidence, a), rate(tolerable, b),
           po->expected_rate_text[0] ? po->expected_rate_text : "0%", seed);
    for (i = 1; i < res->nas_of; i++)
        if (res->as_of[i].as_of != res->as_of[0].as_of)
            one = false;
    if (res->nas_of && one)
        printf("as of: %s (open files judged at this date)\n",
               audit_format_day(res->as_of[0].as_of, day));
    else {
        printf("as of (open files judged at this date):");
        for (i = 0; i < res->nas_of; i++)
            printf(" %s %s%s", res->as_of[i].force,
                   audit_format_day(res->as_of[i].as_of, day),
                   i + 1 < res->nas_of ? "," : "");
        putchar('\n');
    }
    for (i = 0; i < AUDIT_NTYPES; i++)
        if (res->t[i].skipped)
            printf("not checked: %" PRIu64 " %s records (%s)\n",
                   res->t[i].records, record_type_name(res->t[i].type),
                   res->t[i].skipped);
    for (i = 0; i < res->nunchecked; i++) {
        fputs("rule not checked: ", stdout);
        audit_unchecked_print(stdout, &res->unchecked[i], ", ",
                              " in the export");
        putchar('\n');
    }
    putchar('\n');
    print_table(res, confidence);
    printf("\ncompliant: share of files where every applicable rule passed. "
           "verdict: the\none-sided %s bound on the deviation rate against "
           "the tolerable %s\n(indicative: fewer than 30 files checked).\n",
           rate(confidence, a), rate(tolerable, b));
    for (i = 0; i < AUDIT_NTYPES; i++)
        if (res->t[i].error_files)
            printf("%s: %" PRIu64 " of the drawn files had a rule that could "
                   "not be evaluated\n(verdict error: no case log, a date "
                   "that does not parse, ...); they count\nas deviations.\n",
                   record_type_name(res->t[i].type), res->t[i].error_files);
    for (i = 0; i < res->rep.s.nt; i++)
        if (res->rep.s.t[i].nunchecked)
            printf("%s: %zu of the drawn files had no applicable rule; they "
                   "are listed in the\nreport and not counted.\n",
                   res->rep.s.t[i].type, res->rep.s.t[i].nunchecked);
    print_reconcile(res);
    printf("\nreport: %s\n", res->report_html);
    printf("bundle: %s (check it with: caseaudit verify %s)\n", res->bundle,
           res->bundle);
}

int cmd_run(int argc, char **argv)
{
    enum { OPT_FORCE = 256, OPT_SEED, OPT_RULES, OPT_AS_OF };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"seed", required_argument, NULL, OPT_SEED},
        {"confidence", required_argument, NULL, PLAN_OPT_CONFIDENCE},
        {"tolerable", required_argument, NULL, PLAN_OPT_TOLERABLE},
        {"expected-rate", required_argument, NULL, PLAN_OPT_EXPECTED_RATE},
        {"rules", required_argument, NULL, OPT_RULES},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ca_error err = CA_ERROR_INIT;
    struct sample_sizer sizer;
    struct sample_plan plan;
    struct audit_opts o;
    struct audit_result res;
    struct report_param param[2];
    const char **rules = NULL;
    const char *outdir = DEFAULT_OUT, *seed = NULL;
    const char *const *inputs;
    size_t ninputs, nrules = 0;
    char demo[4096], shipped[4096], rseed[17], label[4200], plan_text[512];
    char a[24], b[24];
    bool force = false, demo_run, have_as_of = false;
    bool user_conf, user_tol, user_exp;
    int64_t as_of = 0;
    int rc = 0, c;

    memset(&res, 0, sizeof(res));
    memset(&plan, 0, sizeof(plan));
    memset(&o, 0, sizeof(o));
    plan_options_init(&sizer.po);
    rules = calloc((size_t)argc + 1, sizeof(*rules));
    if (!rules)
        return cmd_oom();
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        switch (plan_options_parse(&sizer.po, c, optarg, usage)) {
        case 1:
            continue;
        case -1:
            rc = CA_USAGE;
            goto out;
        default:
            break;
        }
        switch (c) {
        case 'h':
            help();
            goto out;
        case 'o':
            if (!*optarg) {
                rc = cmd_usage_error(usage, "option '-o' needs a directory");
                goto out;
            }
            outdir = optarg;
            break;
        case OPT_FORCE:
            force = true;
            break;
        case OPT_SEED:
            if (!*optarg) {
                rc = cmd_usage_error(usage,
                                     "option '--seed' needs a non-empty value");
                goto out;
            }
            seed = optarg;
            break;
        case OPT_RULES:
            rules[nrules++] = optarg;
            break;
        case OPT_AS_OF:
            if (cmd_parse_as_of(usage, optarg, &as_of) != 0) {
                rc = CA_USAGE;
                goto out;
            }
            have_as_of = true;
            break;
        default:
            rc = cmd_getopt_error(usage, argv, c, longopts);
            goto out;
        }
    }
    user_conf = plan_options_has(&sizer.po, PLAN_OPT_CONFIDENCE);
    user_tol = plan_options_has(&sizer.po, PLAN_OPT_TOLERABLE);
    user_exp = plan_options_has(&sizer.po, PLAN_OPT_EXPECTED_RATE);
    /* the defaults: tolerable 10%, expected rate 2% (confidence 95% is
     * plan_options' own) */
    if (!plan_options_has(&sizer.po, PLAN_OPT_TOLERABLE) &&
        plan_options_parse(&sizer.po, PLAN_OPT_TOLERABLE, "10%", usage) != 1) {
        rc = CA_USAGE;
        goto out;
    }
    if (!plan_options_has(&sizer.po, PLAN_OPT_EXPECTED_RATE) &&
        plan_options_parse(&sizer.po, PLAN_OPT_EXPECTED_RATE, "2%", usage) !=
            1) {
        rc = CA_USAGE;
        goto out;
    }
    if (plan_options_check(&sizer.po, usage, false, &sizer.mode) < 0) {
        rc = CA_USAGE;
        goto out;
    }
    audit_opts_init(&o);
    if (sample_sizer_bound(&sizer, &o.size_bound, &err) != CA_OK) {
        /* e.g. an expected rate not below the tolerable one */
        rc = cmd_usage_error(usage, "%s", err.msg);
        goto out;
    }
    demo_run = optind >= argc;
    if (demo_run) {
        static const char *demo_inputs[1];

        if (datadir_find(DEMO_PATH, demo, sizeof(demo)) != 0) {
            fprintf(stderr,
                    "error: cannot find the built-in demo export (looked "
                    "for '%s'); name an export to audit\n",
                    demo);
            rc = CA_DATA;
            goto out;
        }
        demo_inputs[0] = demo;
        inputs = demo_inputs;
        ninputs = 1;
        snprintf(label, sizeof(label), "the built-in demo export (%s)", demo);
        if (!seed)
            seed = DEMO_SEED;
    } else {
        inputs = (const char *const *)argv + optind;
        ninputs = (size_t)(argc - optind);
        size_t k, off = 0;

        label[0] = '\0';
        for (k = 0; k < ninputs && off < sizeof(label) - 1; k++) {
            int w = snprintf(label + off, sizeof(label) - off, "%s%s",
                             k ? ", " : "", inputs[k]);

            if (w < 0)
                break;
            off += (size_t)w;
        }
    }
    if (!seed) {
        if (random_seed(rseed) != 0) {
            fprintf(stderr, "error: unable to read a random seed from "
                            "/dev/urandom; give --seed\n");
            rc = CA_SYSTEM;
            goto out;
        }
        seed = rseed;
    }
    if (nrules == 0) {
        rc = cmd_find_shipped("rules", "rules", "use --rules", shipped,
                              sizeof(shipped));
        if (rc != 0)
            goto out;
        rules[nrules++] = shipped;
    }

    if (sample_sizer_to_plan(&sizer, &plan) != 0) {
        rc = cmd_oom();
        goto out;
    }
    o.plan = &plan;
    o.size = sample_sizer_size;
    o.size_ctx = &sizer;
    o.inputs = inputs;
    o.ninputs = ninputs;
    o.outdir = outdir;
    o.force = force;
    o.seed = seed;
    o.rules = rules;
    o.nrules = nrules;
    if (have_as_of) {
        o.as_of_rule = AUDIT_AS_OF_GIVEN;
        o.as_of = as_of;
    } else {
        o.as_of_rule = demo_run ? AUDIT_AS_OF_NEXT_MONTH : AUDIT_AS_OF_LATEST;
    }
    o.confidence = sizer.po.confidence;
    o.tolerable = sizer.po.tolerable;
    o.argv = (const char *const *)argv;
    o.argc = (size_t)argc;
    snprintf(plan_text, sizeof(plan_text),
             "attribute plan per force and record type, hypergeometric in "
             "the force's N: confidence %s%s, tolerable deviation rate %s%s, "
             "expected deviation rate %s%s; a force too small for the plan "
             "is checked whole",
             rate(sizer.po.confidence, a), user_conf ? "" : " (default)",
             rate(sizer.po.tolerable, b), user_tol ? "" : " (default)",
             sizer.po.expected_rate_text, user_exp ? "" : " (default)");
    param[0].name = "audit of";
    param[0].value = label;
    param[1].name = "sample size";
    param[1].value = plan_text;
    o.params = param;
    o.nparams = 2;
    o.progress = cmd_stderr_is_tty();
    if (o.progress) {
        o.stage = on_stage;
        o.stage_ctx = NULL;
    }
    if (audit_run(&o, &res, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    print_result(&res, label, seed, &sizer.po, o.confidence, o.tolerable);
out:
    audit_result_release(&res);
    free(plan.expected_rate);
    free(plan.model);
    free(rules);
    return rc;
}
