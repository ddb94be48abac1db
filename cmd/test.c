/* SPDX-License-Identifier: MIT */
/*
 * caseaudit test: regression-test rule sets against labelled fixtures (CSV
 * exports with an `expect` column), printing per-rule true/false positives
 * and negatives and every failing fixture row, optionally as TAP on stdout
 * and as JUnit XML for GitLab.  Exit 1 when anything failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "engine/rules.h"
#include "engine/ruletest.h"
#include "ingest/ingest.h"
#include "util/outfile.h"

static const char usage[] =
    "caseaudit test [RULES] [FIXTURES] [--junit FILE] [--tap]";

static void print_help(void)
{
    printf(
        "usage: %s\n\n"
        "Run every rule over labelled fixture rows and compare with their "
        "labels\n"
        "(`expect` column: ruleid:ID must flag, ok:ID must not, todoruleid:ID "
        "and\n"
        "todook:ID known misses, ok:* no rule may flag).  RULES is a rule file "
        "or\n"
        "directory (default: the shipped rules), FIXTURES a CSV file or "
        "directory\n"
        "(default: the shipped fixtures/rules).\n\n"
        "Fails on a non-todo miss, a label naming an unknown rule, a rejected\n"
        "fixture row, a test or stable rule without fixtures, and when nothing "
        "ran.\n\n"
        "options:\n"
        "  --junit FILE   also write JUnit XML (for GitLab test reports)\n"
        "  --tap          print TAP version 13 instead of the table\n"
        "  -h, --help     show this help\n\n"
        "exit status: 0 all passed, 1 a test failed, 2 usage, 3 bad rule file "
        "or\n"
        "fixture input, 4 system error\n",
        usage);
}

static int on_record(void *ctx, const struct record *r)
{
    return ruletest_add_record(ctx, r) == CA_OK ? 0 : 1;
}

static void on_reject(void *ctx, const struct reject *rj)
{
    ruletest_add_problem(
        ctx, rj->source, rj->line, "fixture row rejected (%s): %s",
        reject_reason_name(rj->reason), rj->detail ? rj->detail : "");
}

int cmd_test(int argc, char **argv)
{
    enum { O_JUNIT = 256, O_TAP };
    static const struct option opts[] = {
        {"junit", required_argument, NULL, O_JUNIT},
        {"tap", no_argument, NULL, O_TAP},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *junit = NULL, *rules_path, *fix_path;
    char rules_def[4096], fix_def[4096];
    bool tap = false;
    struct ruleset_opts ro = {0};
    struct ruleset *rs = NULL;
    struct ruletest *t = NULL;
    struct ingest_opts io;
    struct ingest_stats stats;
    struct ca_error err = CA_ERROR_INIT;
    struct outfile out;
    enum ca_status st;
    int rc = 0, opt;

    memset(&stats, 0, sizeof(stats));
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            print_help();
            return 0;
        case O_JUNIT:
            junit = optarg;
            break;
        case O_TAP:
            tap = true;
            break;
        default:
            return cmd_getopt_error(usage, argv, opt);
        }
    }
    if (argc - optind > 2)
        return cmd_usage_error(usage, "too many arguments");
    if (optind < argc) {
        rules_path = argv[optind];
    } else {
        if (cmd_find_shipped("rules", "rules", NULL, rules_def,
                             sizeof(rules_def)) != 0)
            return CA_DATA;
        rules_path = rules_def;
    }
    if (optind + 1 < argc) {
        fix_path = argv[optind + 1];
    } else {
        if (cmd_find_shipped("fixtures/rules", "fixtures", NULL, fix_def,
                             sizeof(fix_def)) != 0)
            return CA_DATA;
        fix_path = fix_def;
    }
    ro.keep_deprecated = true;
    st = ruleset_load(&rules_path, 1, &ro, &rs, &err);
    if (st != CA_OK)
        return cmd_fail(&err);
    t = ruletest_new(rs);
    if (!t) {
        rc = cmd_oom();
        goto out;
    }
    ingest_opts_init(&io);
    io.check_duplicates = true;
    st = ingest_run(&fix_path, 1, &io, on_record, on_reject, t, &stats, &err);
    if (st != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    for (size_t i = 0; i < stats.nnotes; i++)
        ruletest_add_problem(t, stats.notes[i].source, 0, "fixture input: %s",
                             stats.notes[i].message);
    ruletest_finish(t);
    if (tap)
        ruletest_write_tap(t, stdout);
    else
        ruletest_write_text(t, stdout);
    if (junit) {
        st = outfile_open(&out, junit, &err);
        if (st == CA_OK) {
            ruletest_write_junit(t, out.fp);
            st = outfile_commit(&out, &err);
        }
        if (st != CA_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
    }
    rc = ruletest_failed(t) ? CA_FINDINGS : 0;
out:
    ingest_stats_release(&stats);
    ruletest_free(t);
    ruleset_free(rs);
    return rc;
}
