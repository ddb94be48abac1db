/* SPDX-License-Identifier: MIT */
/*
 * caseaudit worksheet: the reviewer worksheet of findings files, one row
 * per file and rule, as CSV or .xlsx (report/worksheet.h).  `run` writes
 * the worksheet of its tests itself, beside the report.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/job.h"
#include "cmd/cmd.h"

static const char usage[] =
    "caseaudit worksheet FINDINGS... -o FILE.csv|FILE.xlsx... "
    "[--manifest FILE]... [--no-excerpts]";

static void help(void)
{
    printf("usage: %s\n\n", usage);
    puts("The reviewer worksheet of findings files (written by check): one "
         "row per file\n"
         "and rule with the rule's verdict and evidence, and empty columns "
         "for the review\n"
         "(reviewer, review_verdict: pass|fail|n/a|unavailable, reviewed_on, "
         "note,\n"
         "added_finding).  Fill it in and give it back to `caseaudit "
         "report`.  A run\n"
         "writes the worksheet of its tests (worksheet.csv, worksheet.xlsx) "
         "itself.\n"
         "\n"
         "  -o, --output FILE     write FILE.csv (CSV) or FILE.xlsx (a "
         "workbook: header\n"
         "                        frozen, the verdict a drop-down list, the "
         "evidence\n"
         "                        wrapped); mode 0600; may be given once for "
         "each\n"
         "      --manifest FILE   the sample manifest (stratum, rank and "
         "spare of each\n"
         "                        file); repeatable\n"
         "      --no-excerpts     no case text in the evidence\n"
         "  -h, --help            show this help\n"
         "\n"
         "Exit status: 0 done, 2 usage, 3 bad findings or manifest, 4 system "
         "error.");
}

int cmd_worksheet(int argc, char **argv)
{
    enum { OPT_MANIFEST = 256, OPT_NO_EXCERPTS };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"manifest", required_argument, NULL, OPT_MANIFEST},
        {"no-excerpts", no_argument, NULL, OPT_NO_EXCERPTS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ca_error err = CA_ERROR_INIT;
    const char **manifests = calloc((size_t)argc + 1, sizeof(*manifests));
    const char *csv = NULL, *xlsx = NULL;
    size_t nm = 0, rows = 0, n;
    bool excerpts = true;
    int rc = 0, c;

    if (!manifests)
        return cmd_oom();
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            help();
            goto out;
        case 'o':
            n = strlen(optarg);
            if (n > 5 && strcmp(optarg + n - 5, ".xlsx") == 0)
                xlsx = optarg;
            else if (n > 4 && strcmp(optarg + n - 4, ".csv") == 0)
                csv = optarg;
            else {
                rc = cmd_usage_error(usage,
                                     "option '-o' needs a name ending .csv "
                                     "or .xlsx, not '%s'",
                                     optarg);
                goto out;
            }
            break;
        case OPT_MANIFEST:
            manifests[nm++] = optarg;
            break;
        case OPT_NO_EXCERPTS:
            excerpts = false;
            break;
        default:
            rc = cmd_getopt_error(usage, argv, c, longopts);
            goto out;
        }
    }
    if (optind >= argc) {
        rc = cmd_usage_error(usage, "no findings file given");
        goto out;
    }
    if (!csv && !xlsx) {
        rc = cmd_usage_error(usage, "no output given (-o FILE.csv or "
                                    "FILE.xlsx)");
        goto out;
    }
    if (worksheet_job_run((const char *const *)argv + optind,
                          (size_t)(argc - optind), manifests, nm, csv, xlsx,
                          excerpts, &rows, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    printf("worksheet: %zu rows (file x rule)%s%s%s%s\n", rows, csv ? ", " : "",
           csv ? csv : "", xlsx ? ", " : "", xlsx ? xlsx : "");
out:
    free(manifests);
    return rc;
}
