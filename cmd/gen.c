/* SPDX-License-Identifier: MIT */
/*
 * caseaudit gen: write a deterministic synthetic export (crimes, wanted,
 * bail, incidents and truth.csv) for demos, tests and benchmarks.  The
 * model lives in synth/; this file parses options and prints a summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cmd.h"
#include "synth/gen.h"

static const char usage[] =
    "caseaudit gen [--forces N] [--records N] [--seed S] [--start YYYY-MM] "
    "[--months M] [--style STYLE] [--zip] -o DIR";

static void print_help(void)
{
    printf("usage: %s\n\n", usage);
    printf("Write a synthetic export of all four record types, the same for a\n"
           "seed on every machine, with truth.csv: the compliance questions\n"
           "each record truly fails (see docs/gen.md).\n\n"
           "options:\n"
           "  --forces N        forces, of different sizes (1-%u; default 3)\n"
           "  --records N       crimes in all; incidents, wanted and bail are\n"
           "                    scaled from it (0-%llu; default 1000)\n"
           "  --seed S          any string (default 1)\n"
           "  --start YYYY-MM   first month of the reports (default 2022-07)\n"
           "  --months M        months of reports (1-%u; default 12)\n"
           "  --style STYLE     how the case logs are written: terse,\n"
           "                    template, narrative, typo, or mix (each\n"
           "                    record one of the four; the default)\n"
           "  --zip             one archive DIR/export.zip, entries\n"
           "                    YYYY-MM/YYYY-MM-<force>-<kind>.csv, with\n"
           "                    truth.csv beside it\n"
           "  -o, --output DIR  directory to write (created if missing)\n"
           "  -h, --help        show this help\n\n"
           "Files: crimes.csv wanted.csv bail.csv incidents.csv truth.csv\n"
           "(mode 0600).  Logs and completed dates end before the as-of time\n"
           "printed, the first day of the second month after the window.\n",
           SYNTH_MAX_FORCES, (unsigned long long)SYNTH_MAX_RECORDS,
           SYNTH_MAX_MONTHS);
}

static int parse_month(const char *s, int *year, unsigned *month)
{
    unsigned i;

    if (strlen(s) != 7 || s[4] != '-')
        return -1;
    for (i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return -1;
    *year = atoi(s);
    *month = (unsigned)atoi(s + 5);
    return *month >= 1 && *month <= 12 ? 0 : -1;
}

static void progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    fprintf(stderr, "\rgen: %llu of %llu records (%llu%%)",
            (unsigned long long)done, (unsigned long long)total,
            (unsigned long long)(total ? done * 100 / total : 100));
    if (done == total)
        fputc('\n', stderr);
}

static void print_summary(const struct synth_options *o, const char *dir,
                          bool zip, const struct synth_summary *sum)
{
    struct synth *g = NULL;
    struct ca_error err = CA_ERROR_INIT;
    char asof[17], sb[256];
    unsigned f, q;

    synth_format_time(sum->as_of, asof);
    printf("seed '%s', %u force%s, %04d-%02u for %u month%s, as of %.10s\n",
           escape_term(sb, sizeof(sb), o->seed), o->forces,
           o->forces == 1 ? "" : "s", o->start_year, o->start_month, o->months,
           o->months == 1 ? "" : "s", asof);
    if (synth_new(o, &g, &err) == CA_OK) {
        printf("%-26s %10s %8s %8s %10s\n", "force", "crimes", "wanted", "bail",
               "incidents");
        for (f = 0; f < synth_nforces(g); f++)
            printf("%-26s %10llu %8llu %8llu %10llu\n", synth_force_slug(g, f),
                   (unsigned long long)synth_count(g, f, SYNTH_CRIME),
                   (unsigned long long)synth_count(g, f, SYNTH_WANTED),
                   (unsigned long long)synth_count(g, f, SYNTH_BAIL),
                   (unsigned long long)synth_count(g, f, SYNTH_INCIDENT));
        synth_free(g);
    }
    printf("%-26s %10llu %8llu %8llu %10llu\n", "all",
           (unsigned long long)sum->records[SYNTH_CRIME],
           (unsigned long long)sum->records[SYNTH_WANTED],
           (unsigned long long)sum->records[SYNTH_BAIL],
           (unsigned long long)sum->records[SYNTH_INCIDENT]);
    printf("log style: %s\n", synth_style_name(o->style));
    printf("truly failing (truth.csv):\n");
    for (q = 0; q < SQ__COUNT; q++)
        printf("  %-8s %-40s %10llu\n",
               synth_kind_name(synth_question_kind((enum synth_question)q)),
               synth_question_name((enum synth_question)q),
               (unsigned long long)sum->fails[q]);
    if (zip)
        escape_term_printf(stdout,
                           "wrote %s/export.zip (%u entries) and %s/truth.csv",
                           dir, sum->zip_entries, dir);
    else
        escape_term_printf(
            stdout, "wrote %s/{crimes,wanted,bail,incidents,truth}.csv", dir);
    putchar('\n');
}

int cmd_gen(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"forces", required_argument, NULL, 'f'},
        {"records", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},
        {"start", required_argument, NULL, 'S'},
        {"months", required_argument, NULL, 'm'},
        {"style", required_argument, NULL, 'y'},
        {"zip", no_argument, NULL, 'z'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct synth_options o;
    struct synth_summary sum;
    struct ca_error err = CA_ERROR_INIT;
    const char *dir = NULL;
    bool zip = false;
    uint64_t v;
    int c;

    synth_options_init(&o);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (cmd_parse_u64(usage, "--forces", optarg, 1, SYNTH_MAX_FORCES,
                              &v))
                return CA_USAGE;
            o.forces = (unsigned)v;
            break;
        case 'r':
            if (cmd_parse_u64(usage, "--records", optarg, 0, SYNTH_MAX_RECORDS,
                              &o.records))
                return CA_USAGE;
            break;
        case 's':
            if (!*optarg)
                return cmd_usage_error(
                    usage, "option '--seed' needs a non-empty value");
            o.seed = optarg;
            break;
        case 'S':
            if (parse_month(optarg, &o.start_year, &o.start_month) != 0 ||
                o.start_year < 1970 || o.start_year > 9000)
                return cmd_usage_error(
                    usage,
                    "option '--start' needs a month "
                    "YYYY-MM from 1970-01 to 9000-12, not '%s'",
                    optarg);
            break;
        case 'm':
            if (cmd_parse_u64(usage, "--months", optarg, 1, SYNTH_MAX_MONTHS,
                              &v))
                return CA_USAGE;
            o.months = (unsigned)v;
            break;
        case 'y':
            if (synth_style_parse(optarg, &o.style) != 0)
                return cmd_usage_error(
                    usage,
                    "option '--style' needs terse, template, narrative, "
                    "typo or mix, not '%s'",
                    optarg);
            break;
        case 'z':
            zip = true;
            break;
        case 'o':
            dir = optarg;
            break;
        case 'h':
            print_help();
            return CA_OK;
        default:
            return cmd_getopt_error(usage, argv, c, longopts);
        }
    }
    if (optind < argc)
        return cmd_usage_error(usage, "unexpected argument '%s'", argv[optind]);
    if (!dir || !*dir)
        return cmd_usage_error(usage, "option '-o DIR' is required");
    {
        struct stat sb;

        /* as report and run say of a file where a folder is expected */
        if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
            return cmd_usage_error(usage,
                                   "%s: output path exists and is not a "
                                   "directory",
                                   dir);
    }
    if (zip) {
        /* zip stores local times: make archives identical across zones */
        setenv("TZ", "UTC0", 1);
        tzset();
    }
    if (cmd_stderr_is_tty())
        o.progress = progress;
    if (synth_export(&o, dir, zip, &sum, &err) != CA_OK)
        return cmd_fail(&err);
    print_summary(&o, dir, zip, &sum);
    return CA_OK;
}
