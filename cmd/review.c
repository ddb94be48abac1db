/* SPDX-License-Identifier: MIT */
/*
 * caseaudit review export-fixtures WORKSHEET -o DIR: the files reviewers
 * passed or failed become labelled fixture rows for `caseaudit test`
 * (audit/fixtures.h).
 */
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/fixtures.h"
#include "cmd/cmd.h"

static const char usage[] =
    "caseaudit review export-fixtures WORKSHEET -o DIR [--records FILE]... "
    "[--programme NAME|FILE] [--rules PATH]... [--redact] [--as-of DATE]";

static void help(void)
{
    printf("usage: %s\n\n", usage);
    puts("Turn a returned reviewer worksheet into labelled fixture rows "
         "(the expect\n"
         "column of `caseaudit test`), so that a CI job regression-tests "
         "rule changes\n"
         "against real, reviewed cases: per test of each file a reviewer "
         "passed or\n"
         "failed, ok:RULE or ruleid:RULE where the rules agreed with the "
         "reviewer,\n"
         "todook:RULE or todoruleid:RULE where they did not.\n"
         "\n"
         "  -o, --output DIR      write DIR/reviewed-<type>.csv (mode 0600)\n"
         "      --records FILE    the records the files were drawn from (a "
         "sample CSV or\n"
         "                        the export; repeatable; default: the "
         "sample-*.csv\n"
         "                        beside the worksheet)\n"
         "      --programme NAME|FILE\n"
         "                        the programme whose tests the worksheet "
         "names (default\n"
         "                        hmic-2014; a worksheet per rule needs "
         "none)\n"
         "      --rules PATH      rule file or directory (repeatable; "
         "default: the\n"
         "                        shipped rules)\n"
         "      --redact          leave out the names (oic, the authors of "
         "log entries),\n"
         "                        the text of every log entry no rule "
         "reported and the\n"
         "                        other columns; a file whose labels this "
         "would change is\n"
         "                        left out\n"
         "      --as-of DATE      the date open files are judged at, for a "
         "worksheet\n"
         "                        without an as_of column (default: each "
         "file's latest\n"
         "                        date)\n"
         "  -h, --help            show this help\n"
         "\n"
         "Exit status: 0 done, 2 usage, 3 bad worksheet, records, rules or "
         "programme,\n"
         "4 system error.");
}

/* What an export of fixtures wrote, on standard output. */
static void print_export(const struct fixtures_result *res)
{
    size_t i;

    printf("review export-fixtures: %" PRIu64 " reviewed file x test rows "
           "(%" PRIu64 " n/a or unavailable left out); %" PRIu64
           " files written with %" PRIu64 " labels (%" PRIu64 " todo)\n",
           res->reviewed, res->skipped, res->files, res->labels, res->todo);
    if (res->unknown_rule)
        printf("%" PRIu64 " failed by a reviewer where every rule of a test "
               "of several passed: no label (which rule should flag is not "
               "known)\n",
               res->unknown_rule);
    if (res->not_found)
        cmd_warn("%" PRIu64 " reviewed files are not in the records given",
                 res->not_found);
    if (res->dropped)
        printf("%" PRIu64 " files left out: redaction would change their "
               "labels\n",
               res->dropped);
    for (i = 0; i < RT__COUNT; i++)
        if (res->paths[i])
            printf("fixture: %s (run: caseaudit test RULES %s)\n",
                   res->paths[i], res->paths[i]);
}

/* Without --records, a run's worksheet: its samples are beside it, in
 * records (room for argc) and g.  0, or an exit status (the error
 * printed). */
static int find_samples(const char *worksheet, int argc, const char **records,
                        size_t *nrecords, glob_t *g)
{
    char pat[4200];
    const char *slash = strrchr(worksheet, '/');
    size_t i;

    snprintf(pat, sizeof(pat), "%.*ssample-*.csv",
             slash ? (int)(slash - worksheet + 1) : 0, worksheet);
    if (glob(pat, 0, NULL, g) != 0 || g->gl_pathc == 0) {
        if (g->gl_pathc == 0)
            globfree(g);
        return cmd_usage_error(usage,
                               "no sample-*.csv beside '%s': give "
                               "the records with --records",
                               worksheet);
    }
    for (i = 0; i < g->gl_pathc && i < (size_t)argc; i++)
        records[(*nrecords)++] = g->gl_pathv[i];
    return 0;
}

static int export_fixtures(int argc, char **argv)
{
    enum { OPT_RECORDS = 256, OPT_PROGRAMME, OPT_RULES, OPT_REDACT, OPT_AS_OF };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"records", required_argument, NULL, OPT_RECORDS},
        {"programme", required_argument, NULL, OPT_PROGRAMME},
        {"rules", required_argument, NULL, OPT_RULES},
        {"redact", no_argument, NULL, OPT_REDACT},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ca_error err = CA_ERROR_INIT;
    struct fixtures_opts o;
    struct fixtures_result res;
    struct ruleset *rs = NULL;
    struct programme *prog = NULL;
    const char **records = calloc((size_t)argc + 1, sizeof(*records));
    const char **rules = calloc((size_t)argc + 1, sizeof(*rules));
    const char *programme_arg = NULL;
    char shipped[4096], progpath[4096];
    size_t nrecords = 0, nrules = 0;
    glob_t g;
    bool globbed = false;
    int rc = 0, c;

    memset(&o, 0, sizeof(o));
    memset(&res, 0, sizeof(res));
    if (!records || !rules) {
        free(records);
        free(rules);
        return cmd_oom();
    }
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            help();
            goto out;
        case 'o':
            o.outdir = optarg;
            break;
        case OPT_RECORDS:
            records[nrecords++] = optarg;
            break;
        case OPT_PROGRAMME:
            programme_arg = optarg;
            break;
        case OPT_RULES:
            rules[nrules++] = optarg;
            break;
        case OPT_REDACT:
            o.redact = true;
            break;
        case OPT_AS_OF:
            if (cmd_parse_as_of(usage, optarg, &o.as_of) != 0) {
                rc = CA_USAGE;
                goto out;
            }
            break;
        default:
            rc = cmd_getopt_error(usage, argv, c, longopts);
            goto out;
        }
    }
    if (optind != argc - 1) {
        rc = cmd_usage_error(usage, optind >= argc ? "no worksheet given"
                                                   : "one worksheet at a time");
        goto out;
    }
    if (!o.outdir) {
        rc = cmd_usage_error(usage, "no output directory given (-o DIR)");
        goto out;
    }
    o.worksheet = argv[optind];
    if (!nrecords) {
        rc = find_samples(o.worksheet, argc, records, &nrecords, &g);
        if (rc != 0)
            goto out;
        globbed = true;
    }
    if (nrules == 0) {
        rc = cmd_find_shipped("rules", "rules", "use --rules", shipped,
                              sizeof(shipped));
        if (rc != 0)
            goto out;
        rules[nrules++] = shipped;
    }
    if (ruleset_load(rules, nrules, NULL, &rs, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    if (programme_locate(programme_arg ? programme_arg : "hmic-2014", progpath,
                         sizeof(progpath)) == 0) {
        /* the default programme is only needed for a worksheet of its
         * tests: without it (other rules given), tests must be rules */
        if (programme_load(progpath, rs, &prog, &err) != CA_OK &&
            programme_arg) {
            rc = cmd_fail(&err);
            goto out;
        }
    } else if (programme_arg) {
        fprintf(stderr, "error: no programme '%s'\n", programme_arg);
        rc = CA_USAGE;
        goto out;
    }
    o.records = records;
    o.nrecords = nrecords;
    o.prog = prog;
    o.rs = rs;
    if (fixtures_export(&o, &res, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    print_export(&res);
out:
    fixtures_result_release(&res);
    programme_free(prog);
    ruleset_free(rs);
    if (globbed)
        globfree(&g);
    free(records);
    free(rules);
    return rc;
}

int cmd_review(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "export-fixtures") == 0)
        return export_fixtures(argc - 1, argv + 1);
    if (argc >= 2 &&
        (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        help();
        return 0;
    }
    return cmd_usage_error(usage,
                           argc >= 2 ? "unknown review command '%s'"
                                     : "no review command given%s",
                           argc >= 2 ? argv[1] : "");
}
