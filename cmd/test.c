/* SPDX-License-Identifier: MIT */
/*
 * caseaudit test: regression-test rule sets against labelled fixtures (CSV
 * exports with an `expect` column), printing per-rule true/false positives
 * and negatives and every failing fixture row, optionally as TAP on stdout
 * and as JUnit XML for GitLab.  Exit 1 when anything failed.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "engine/rules.h"
#include "engine/ruletest.h"
#include "ingest/ingest.h"
#include "util/datadir.h"
#include "util/outfile.h"
#include "util/path.h"

static const char usage[] =
    "caseaudit test [PATH...] [--rules PATH]... [--fixtures PATH]... "
    "[--junit FILE] [--tap]";

static void print_help(void)
{
    printf(
        "usage: %s\n\n"
        "Run every rule over labelled fixture rows and compare with their "
        "labels\n"
        "(`expect` column: ruleid:ID must flag, ok:ID must not, todoruleid:ID "
        "and\n"
        "todook:ID known misses, ok:* no rule may flag).  Each PATH is a rule "
        "file\n"
        "(.yaml, .yml) or a directory of them, or a fixture (.csv) or a "
        "directory\n"
        "of them; without rule paths the shipped rules run, without fixture "
        "paths\n"
        "the shipped fixtures/rules.  Given rule paths, only the fixture "
        "labels of\n"
        "the rules loaded are checked and reported (the labels of other "
        "shipped\n"
        "rules are left out).\n\n"
        "Fails on a non-todo miss, a label naming an unknown rule, a "
        "rejected\n"
        "fixture row, a test or stable rule without fixtures, and when "
        "nothing ran.\n\n"
        "options:\n"
        "  --rules PATH     a rule file or directory (repeatable)\n"
        "  --fixtures PATH  a fixture CSV or directory (repeatable)\n"
        "  --junit FILE     also write JUnit XML (for GitLab test reports)\n"
        "  --tap            print TAP version 13 instead of the table\n"
        "  -h, --help       show this help\n\n"
        "exit status: 0 all passed, 1 a test failed, 2 usage, 3 bad rule file "
        "or\n"
        "fixture input, 4 system error\n",
        usage);
}

/* What a directory holds, to tell rules from fixtures: bit 1 a rule file
 * (.yaml, .yml), bit 2 a CSV file, at any depth (up to 8). */
static int dir_holds(const char *dir, int depth)
{
    DIR *d;
    struct dirent *de;
    int got = 0;

    if (depth > 8 || !(d = opendir(dir)))
        return 0;
    while ((de = readdir(d)) != NULL && got != 3) {
        char p[4096];
        struct stat sb;
        size_t n = strlen(de->d_name);

        if (de->d_name[0] == '.')
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
        if (stat(p, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            got |= dir_holds(p, depth + 1);
        else if ((n > 5 && strcmp(de->d_name + n - 5, ".yaml") == 0) ||
                 (n > 4 && strcmp(de->d_name + n - 4, ".yml") == 0))
            got |= 1;
        else if (n > 4 && strcmp(de->d_name + n - 4, ".csv") == 0)
            got |= 2;
    }
    closedir(d);
    return got;
}

/* Put a positional path with the rules or the fixtures; returns 0, or the
 * exit code after printing why not. */
static int classify(const char *path, struct cmd_strv *rules,
                    struct cmd_strv *fixtures)
{
    struct ca_error err = CA_ERROR_INIT;
    struct stat sb;
    size_t n = strlen(path);
    int got;

    if (path_want_input(path, &err) != CA_OK)
        return cmd_fail(&err);
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        got = dir_holds(path, 0);
        if (got == 3)
            return cmd_usage_error(usage,
                                   "'%s' holds both rule files and CSV files: "
                                   "name it with --rules or --fixtures",
                                   path);
        return cmd_strv_push(got == 2 ? fixtures : rules, path) ? cmd_oom() : 0;
    }
    if ((n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
        (n > 4 && strcmp(path + n - 4, ".yml") == 0))
        return cmd_strv_push(rules, path) ? cmd_oom() : 0;
    if (n > 4 && strcmp(path + n - 4, ".csv") == 0)
        return cmd_strv_push(fixtures, path) ? cmd_oom() : 0;
    return cmd_usage_error(usage,
                           "'%s' is neither a rule file (.yaml, .yml) nor a "
                           "fixture (.csv): name it with --rules or "
                           "--fixtures",
                           path);
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
    enum { O_JUNIT = 256, O_TAP, O_RULES, O_FIXTURES };
    static const struct option opts[] = {
        {"rules", required_argument, NULL, O_RULES},
        {"fixtures", required_argument, NULL, O_FIXTURES},
        {"junit", required_argument, NULL, O_JUNIT},
        {"tap", no_argument, NULL, O_TAP},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *junit = NULL, *rules_def_p, *fix_def_p;
    char rules_def[4096], fix_def[4096];
    struct cmd_strv rules = {0}, fixtures = {0};
    size_t i;
    bool tap = false;
    struct ruleset_opts ro = {0};
    struct ruleset *rs = NULL, *shipped = NULL;
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
        case O_RULES:
        case O_FIXTURES:
            if (path_want_input(optarg, &err) != CA_OK) {
                rc = cmd_fail(&err);
                goto out;
            }
            if (cmd_strv_push(opt == O_RULES ? &rules : &fixtures, optarg)) {
                rc = cmd_oom();
                goto out;
            }
            break;
        default:
            rc = cmd_getopt_error(usage, argv, opt, opts);
            goto out;
        }
    }
    for (; optind < argc; optind++)
        if ((rc = classify(argv[optind], &rules, &fixtures)) != 0)
            goto out;
    if (!rules.n) {
        if (cmd_find_shipped("rules", "rules", NULL, rules_def,
                             sizeof(rules_def)) != 0) {
            rc = CA_DATA;
            goto out;
        }
        rules_def_p = rules_def;
    }
    if (!fixtures.n) {
        if (cmd_find_shipped("fixtures/rules", "fixtures", NULL, fix_def,
                             sizeof(fix_def)) != 0) {
            rc = CA_DATA;
            goto out;
        }
        fix_def_p = fix_def;
    }
    ro.keep_deprecated = true;
    st = rules.n ? ruleset_load(rules.v, rules.n, &ro, &rs, &err)
                 : ruleset_load(&rules_def_p, 1, &ro, &rs, &err);
    if (st != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    t = ruletest_new(rs);
    if (!t) {
        rc = cmd_oom();
        goto out;
    }
    /* rules named: only their labels count, and the labels of the other
     * shipped rules are left out (a label naming no rule at all is still
     * an error) */
    if (rules.n && datadir_find("rules", rules_def, sizeof(rules_def)) == 0) {
        struct ca_error e2 = CA_ERROR_INIT;

        rules_def_p = rules_def;
        if (ruleset_load(&rules_def_p, 1, &ro, &shipped, &e2) == CA_OK)
            ruletest_leave_out(t, shipped);
    }
    ingest_opts_init(&io);
    io.check_duplicates = true;
    st = fixtures.n ? ingest_run(fixtures.v, fixtures.n, &io, on_record,
                                 on_reject, t, &stats, &err)
                    : ingest_run(&fix_def_p, 1, &io, on_record, on_reject, t,
                                 &stats, &err);
    if (st != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    for (i = 0; i < stats.nnotes; i++)
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
    if (ruletest_left_out(t))
        fprintf(stderr,
                "test: %llu fixture label%s of rules not loaded left out\n",
                (unsigned long long)ruletest_left_out(t),
                ruletest_left_out(t) == 1 ? "" : "s");
    rc = ruletest_failed(t) ? CA_FINDINGS : 0;
out:
    free(rules.v);
    free(fixtures.v);
    ingest_stats_release(&stats);
    ruletest_free(t);
    ruleset_free(rs);
    ruleset_free(shipped);
    return rc;
}
