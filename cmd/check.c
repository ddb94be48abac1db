/* SPDX-License-Identifier: MIT */
/*
 * caseaudit check: apply rule sets to every record of an export (or of a
 * sample CSV) and write one finding per record and applicable rule, with a
 * per-rule summary on stderr.  --fail-on turns failures at a level into
 * exit status 1, for CI.
 *
 * -j N evaluates on N worker threads (engine/parallel.h) while this thread
 * reads the input and writes the findings in input order: the output and
 * the summary are byte for byte those of -j 1, which evaluates in this
 * thread with no copies and no threads.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "audit/check.h"
#include "engine/engine.h"
#include "engine/findings.h"
#include "engine/parallel.h"
#include "engine/rules.h"
#include "ingest/ingest.h"
#include "util/outfile.h"

static const char usage[] =
    "caseaudit check INPUT... [--rules PATH]... [--type T] [--profile P] "
    "[--as-of DATE] [-o FILE] [--jsonl] [--no-excerpts] [--fail-on LEVEL] "
    "[-j N] [--include-spares]";

#define MAX_JOBS 256

/* All online cores (at least 1, at most MAX_JOBS). */
static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return 1;
    return n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
}

static void print_help(void)
{
    printf(
        "usage: %s\n\n"
        "Apply rule sets to the records of an export or a sample CSV and "
        "write\n"
        "one finding per record and applicable rule:\n"
        "  "
        "force,type,id,rule_id,category,level,verdict,entry_at,excerpt,"
        "message\n"
        "(verdict pass, fail or error).  A per-rule summary goes to stderr.\n\n"
        "options:\n"
        "  --rules PATH       rule file or directory (repeatable; default: "
        "the\n"
        "                     shipped rules)\n"
        "  --type T           only records of type crime, wanted, bail or "
        "incident\n"
        "  --profile P        ingest profile (built-in name or YAML file)\n"
        "  --as-of DATE       judge open files as of DATE (YYYY-MM-DD or\n"
        "                     DD/MM/YYYY; default, as run: the latest date in\n"
        "                     the records, read first; today for standard\n"
        "                     input); printed\n"
        "  --include-spares   also check a sample CSV's spare rows (spare = "
        "Y;\n"
        "                     by default they are skipped: a spare counts "
        "only in\n"
        "                     place of a file that could not be reviewed)\n"
        "  -o, --output FILE  write findings to FILE (mode 0600; default "
        "stdout)\n"
        "  --jsonl            JSON Lines instead of CSV\n"
        "  --no-excerpts      leave the excerpt column empty (no case text)\n"
        "  --fail-on LEVEL    exit 1 when a rule of level LEVEL or above "
        "fails\n"
        "                     (low, medium, high)\n"
        "  -j, --jobs N       evaluate on N threads (1-%d; default: the "
        "online\n"
        "                     cores, here %u); the output is the same for "
        "any N\n"
        "  -h, --help         show this help\n\n"
        "exit status: 0 done, 1 failures at --fail-on level, 2 usage,\n"
        "3 bad input or rule file, 4 system error\n",
        usage, MAX_JOBS, default_jobs());
}

struct check_ctx {
    bool include_spares;
    uint64_t spares_skipped;
    const struct ruleset *rs;
    struct engine_params params;
    struct pipeline *pl;
    struct ca_error err; /* why the pipeline stopped */
    unsigned long rejects_shown;
};

static int on_record(void *ctx, const struct record *r)
{
    struct check_ctx *c = ctx;
    const char *spare;

    /* a sample CSV's spare rows (sample_rank, spare = Y) are held in
     * reserve: checked only when asked */
    if (!c->include_spares && (spare = record_get_named(r, "spare")) &&
        strcmp(spare, "Y") == 0 && record_get_named(r, "sample_rank")) {
        c->spares_skipped++;
        return 0;
    }
    /* on an error, stop reading: pipeline_finish reports it */
    return pipeline_add(c->pl, r, &c->err) != CA_OK;
}

static void on_reject(void *ctx, const struct reject *rj)
{
    struct check_ctx *c = ctx;

    if (c->rejects_shown++ < 10)
        cmd_warn("%s:%lu: row rejected (%s): %s", rj->source, rj->line,
                 reject_reason_name(rj->reason), rj->detail ? rj->detail : "");
}

static void print_summary(const struct check_ctx *c,
                          const struct ingest_stats *st)
{
    const struct findings_tally *t = pipeline_tally(c->pl);
    size_t i;
    char asof[20];

    date_format(c->params.as_of, false, asof);
    fprintf(stderr,
            "check: %llu records read, %llu checked, %llu rejected; "
            "%zu rules; as of %s\n",
            (unsigned long long)st->rows_read, (unsigned long long)t->records,
            (unsigned long long)st->rows_rejected, ruleset_count(c->rs), asof);
    fprintf(stderr, "%-14s %-6s %8s %8s %8s %8s\n", "rule", "level", "applied",
            "pass", "fail", "error");
    for (i = 0; i < ruleset_count(c->rs); i++) {
        const struct rule *ru = ruleset_rule(c->rs, i);
        const uint64_t *n = t->count[i];
        char id[128];

        fprintf(stderr, "%-14s %-6s %8llu %8llu %8llu %8llu\n",
                escape_term(id, sizeof(id), rule_id(ru)),
                rule_level_name(rule_level(ru)),
                (unsigned long long)(n[V_PASS] + n[V_FAIL] + n[V_ERROR]),
                (unsigned long long)n[V_PASS], (unsigned long long)n[V_FAIL],
                (unsigned long long)n[V_ERROR]);
    }
}

/* The command line of a check, besides what goes into io and c. */
struct check_args {
    const char **rules; /* room for argc; rules[0..nrules) */
    size_t nrules;
    const char *output;
    bool jsonl, excerpts, fail_on_set, as_of_set;
    enum rule_level fail_on;
    unsigned jobs;
    bool help; /* --help printed */
};

/* Parse the options into a, the ingest options and the check's context.
 * 0, or an exit status (the error printed). */
static int parse_args(int argc, char **argv, struct check_args *a,
                      struct ingest_opts *io, struct check_ctx *c)
{
    enum {
        O_RULES = 256,
        O_TYPE,
        O_PROFILE,
        O_AS_OF,
        O_JSONL,
        O_NO_EXCERPTS,
        O_FAIL_ON,
        O_INCLUDE_SPARES
    };
    static const struct option opts[] = {
        {"rules", required_argument, NULL, O_RULES},
        {"type", required_argument, NULL, O_TYPE},
        {"profile", required_argument, NULL, O_PROFILE},
        {"as-of", required_argument, NULL, O_AS_OF},
        {"output", required_argument, NULL, 'o'},
        {"jsonl", no_argument, NULL, O_JSONL},
        {"no-excerpts", no_argument, NULL, O_NO_EXCERPTS},
        {"fail-on", required_argument, NULL, O_FAIL_ON},
        {"include-spares", no_argument, NULL, O_INCLUDE_SPARES},
        {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint64_t u;
    int opt;

    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":ho:j:", opts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            print_help();
            a->help = true;
            return 0;
        case O_RULES:
            a->rules[a->nrules++] = optarg;
            break;
        case O_TYPE:
            if (record_type_parse(optarg, &io->type) != 0 ||
                io->type == RT_UNKNOWN)
                return cmd_usage_error(usage,
                                       "option '--type' needs crime, wanted, "
                                       "bail or incident, not '%s'",
                                       optarg);
            break;
        case O_PROFILE:
            io->profile = optarg;
            break;
        case O_AS_OF:
            if (cmd_parse_as_of(usage, optarg, &c->params.as_of) != 0)
                return CA_USAGE;
            a->as_of_set = true;
            break;
        case 'o':
            a->output = optarg;
            break;
        case O_JSONL:
            a->jsonl = true;
            break;
        case O_NO_EXCERPTS:
            a->excerpts = false;
            break;
        case O_INCLUDE_SPARES:
            c->include_spares = true;
            break;
        case O_FAIL_ON:
            if (rule_level_parse(optarg, &a->fail_on) != 0)
                return cmd_usage_error(usage,
                                       "option '--fail-on' needs low, medium "
                                       "or high, not '%s'",
                                       optarg);
            a->fail_on_set = true;
            break;
        case 'j':
            if (cmd_parse_u64(usage, "--jobs", optarg, 1, MAX_JOBS, &u) != 0)
                return CA_USAGE;
            a->jobs = (unsigned)u;
            break;
        default:
            return cmd_getopt_error(usage, argv, opt, opts);
        }
    }
    return 0;
}

/* Without --as-of, as run does: the latest date in the records (a first
 * reading), so that the same sample gives the same findings; today for
 * standard input.  0, or an exit status (the error printed). */
static int choose_as_of(const char *const *in, size_t nin,
                        const struct ingest_opts *io, struct check_ctx *c)
{
    struct ca_error err = CA_ERROR_INIT;
    bool from_stdin = false, have = false, differ = false;
    char day[20];
    size_t k;

    for (k = 0; k < nin; k++)
        from_stdin |= strcmp(in[k], "-") == 0;
    c->params.as_of = cal_day_of((int64_t)time(NULL)) * 86400;
    if (from_stdin) {
        date_format(c->params.as_of, false, day);
        fprintf(stderr,
                "check: as of %s, today (standard input is read "
                "once; give --as-of for the date of the export)\n",
                day);
        return 0;
    }
    if (audit_latest_day(in, nin, io, (int64_t)time(NULL), &c->params.as_of,
                         &have, &differ, &err) != CA_OK)
        return cmd_fail(&err);
    date_format(c->params.as_of, false, day);
    fprintf(stderr, "check: as of %s, %s\n", day,
            have ? "the latest date in the records (give --as-of to "
                   "choose)"
                 : "today: no record has a date");
    if (differ)
        cmd_warn("the forces' latest dates differ: every file is "
                 "judged at the latest of them (run judges each "
                 "force at its own; give --as-of, or check each "
                 "force apart)");
    return 0;
}

/* Check the inputs through the rule pipeline into the output, then print
 * the summary.  0, CA_FINDINGS (--fail-on), or an exit status (the error
 * printed). */
static int check_inputs(const char *const *in, size_t nin,
                        const struct check_args *a, struct ingest_opts *io,
                        struct check_ctx *c)
{
    struct pipeline_opts po;
    struct ingest_stats stats;
    struct outfile out;
    struct ca_error err = CA_ERROR_INIT;
    bool out_open = false;
    int rc = 0;

    memset(&stats, 0, sizeof(stats));
    if (outfile_open(&out, a->output, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    out_open = true;
    memset(&po, 0, sizeof(po));
    po.rs = c->rs;
    po.params = &c->params;
    po.jobs = a->jobs;
    po.out = out.fp;
    po.out_name = a->output;
    po.format = a->jsonl ? FF_JSONL : FF_CSV;
    po.excerpts = a->excerpts;
    if (pipeline_new(&po, &c->pl, &err) != CA_OK ||
        ingest_run(in, nin, io, on_record, on_reject, c, &stats, &err) !=
            CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    if (c->rejects_shown > 10)
        cmd_warn("%lu more rows rejected", c->rejects_shown - 10);
    for (size_t i = 0; i < stats.nnotes; i++)
        cmd_warn("%s: %s", stats.notes[i].source, stats.notes[i].message);
    if (pipeline_finish(c->pl, &c->err) != CA_OK) {
        rc = cmd_fail(&c->err);
        goto out;
    }
    out_open = false;
    if (outfile_commit(&out, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    print_summary(c, &stats);
    if (c->spares_skipped)
        fprintf(stderr,
                "check: %llu spare row%s of the sample skipped (held in "
                "reserve; --include-spares checks them)\n",
                (unsigned long long)c->spares_skipped,
                c->spares_skipped == 1 ? "" : "s");
    if (a->fail_on_set &&
        findings_tally_has_fail(pipeline_tally(c->pl), c->rs, a->fail_on)) {
        fprintf(stderr, "check: failures at level %s or above\n",
                rule_level_name(a->fail_on));
        rc = CA_FINDINGS;
    }
out:
    pipeline_free(c->pl); /* before the stream it writes to goes */
    c->pl = NULL;
    if (out_open)
        outfile_abort(&out);
    ingest_stats_release(&stats);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    struct check_args a;
    struct ingest_opts io;
    struct check_ctx c;
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    const char *const *in;
    size_t nin;
    char shipped[4096];
    int rc = 0;

    memset(&a, 0, sizeof(a));
    memset(&c, 0, sizeof(c));
    a.output = "-";
    a.excerpts = true;
    a.fail_on = RL_HIGH;
    a.jobs = default_jobs();
    ingest_opts_init(&io);
    io.check_duplicates = true;
    io.no_digest = true; /* check reports no input digest */
    a.rules = calloc((size_t)argc + 1, sizeof(*a.rules));
    if (!a.rules)
        return cmd_oom();
    rc = parse_args(argc, argv, &a, &io, &c);
    if (rc != 0 || a.help)
        goto out;
    if (optind >= argc) {
        rc = cmd_usage_error(usage, "no input given");
        goto out;
    }
    in = (const char *const *)argv + optind;
    nin = (size_t)(argc - optind);
    if (a.nrules == 0) {
        rc = cmd_find_shipped("rules", "rules", "use --rules", shipped,
                              sizeof(shipped));
        if (rc != 0)
            goto out;
        a.rules[a.nrules++] = shipped;
    }
    if (ruleset_load(a.rules, a.nrules, NULL, &rs, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    if (!a.as_of_set && (rc = choose_as_of(in, nin, &io, &c)) != 0)
        goto out;
    c.rs = rs;
    rc = check_inputs(in, nin, &a, &io, &c);
out:
    ruleset_free(rs);
    free(a.rules);
    return rc;
}
