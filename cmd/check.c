/* SPDX-License-Identifier: MIT */
/*
 * caseaudit check: apply rule sets to every record of an export (or of a
 * sample CSV) and write one finding per record and applicable rule, with a
 * per-rule summary on stderr.  --fail-on turns failures at a level into
 * exit status 1, for CI.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "engine/engine.h"
#include "engine/findings.h"
#include "engine/rules.h"
#include "ingest/ingest.h"
#include "util/datadir.h"
#include "util/outfile.h"

static const char usage[] =
    "caseaudit check INPUT... [--rules PATH]... [--type T] [--profile P] "
    "[--as-of DATE] [-o FILE] [--jsonl] [--no-excerpts] [--fail-on LEVEL]";

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
        "  --as-of DATE       judge open files as of DATE (YYYY-MM-DD; "
        "default\n"
        "                     today)\n"
        "  -o, --output FILE  write findings to FILE (mode 0600; default "
        "stdout)\n"
        "  --jsonl            JSON Lines instead of CSV\n"
        "  --no-excerpts      leave the excerpt column empty (no case text)\n"
        "  --fail-on LEVEL    exit 1 when a rule of level LEVEL or above "
        "fails\n"
        "                     (low, medium, high)\n"
        "  -h, --help         show this help\n\n"
        "exit status: 0 done, 1 failures at --fail-on level, 2 usage,\n"
        "3 bad input or rule file, 4 system error\n",
        usage);
}

struct check_ctx {
    const struct ruleset *rs;
    struct engine_params params;
    struct engine_scratch *scratch;
    struct findings_writer fw;
    struct findings_tally tally;
    unsigned long rejects_shown;
};

static int on_verdict(void *ctx, const struct record *r,
                      const struct engine_verdict *v)
{
    struct check_ctx *c = ctx;

    findings_write(&c->fw, r, v);
    findings_tally_add(&c->tally, v);
    return 0;
}

static int on_record(void *ctx, const struct record *r)
{
    struct check_ctx *c = ctx;

    c->tally.records++;
    engine_eval(c->rs, r, &c->params, c->scratch, on_verdict, c);
    return 0;
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
    size_t i;
    char asof[20];

    date_format(c->params.as_of, false, asof);
    fprintf(stderr,
            "check: %llu records read, %llu checked, %llu rejected; "
            "%zu rules; as of %s\n",
            (unsigned long long)st->rows_read,
            (unsigned long long)c->tally.records,
            (unsigned long long)st->rows_rejected, ruleset_count(c->rs), asof);
    fprintf(stderr, "%-14s %-6s %8s %8s %8s %8s\n", "rule", "level", "applied",
            "pass", "fail", "error");
    for (i = 0; i < ruleset_count(c->rs); i++) {
        const struct rule *ru = ruleset_rule(c->rs, i);
        const uint64_t *n = c->tally.count[i];

        fprintf(stderr, "%-14s %-6s %8llu %8llu %8llu %8llu\n", rule_id(ru),
                rule_level_name(rule_level(ru)),
                (unsigned long long)(n[V_PASS] + n[V_FAIL] + n[V_ERROR]),
                (unsigned long long)n[V_PASS], (unsigned long long)n[V_FAIL],
                (unsigned long long)n[V_ERROR]);
    }
}

static int parse_as_of(const char *arg, int64_t *out)
{
    int64_t secs;
    bool has_time;

    if (date_parse(arg, strlen(arg), NULL, &secs, &has_time) != 0)
        return -1;
    *out = cal_day_of(secs) * 86400;
    return 0;
}

int cmd_check(int argc, char **argv)
{
    enum {
        O_RULES = 256,
        O_TYPE,
        O_PROFILE,
        O_AS_OF,
        O_JSONL,
        O_NO_EXCERPTS,
        O_FAIL_ON
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
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char **rules = NULL;
    size_t nrules = 0;
    char shipped[4096];
    const char *output = "-";
    bool jsonl = false, excerpts = true, fail_on_set = false;
    enum rule_level fail_on = RL_HIGH;
    struct ingest_opts io;
    struct ingest_stats stats;
    struct check_ctx c;
    struct ruleset *rs = NULL;
    struct outfile out;
    struct ca_error err = CA_ERROR_INIT;
    enum ca_status st;
    bool out_open = false, as_of_set = false;
    int rc = 0, opt;

    memset(&c, 0, sizeof(c));
    memset(&stats, 0, sizeof(stats));
    ingest_opts_init(&io);
    io.check_duplicates = true;
    rules = calloc((size_t)argc + 1, sizeof(*rules));
    if (!rules) {
        fprintf(stderr, "error: out of memory\n");
        return CA_SYSTEM;
    }
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            print_help();
            goto out;
        case O_RULES:
            rules[nrules++] = optarg;
            break;
        case O_TYPE:
            if (record_type_parse(optarg, &io.type) != 0 ||
                io.type == RT_UNKNOWN) {
                rc =
                    cmd_usage_error(usage,
                                    "option '--type' needs crime, wanted, bail "
                                    "or incident, not '%s'",
                                    optarg);
                goto out;
            }
            break;
        case O_PROFILE:
            io.profile = optarg;
            break;
        case O_AS_OF:
            if (parse_as_of(optarg, &c.params.as_of) != 0) {
                rc = cmd_usage_error(usage,
                                     "option '--as-of' needs a date such as "
                                     "2024-03-31, not '%s'",
                                     optarg);
                goto out;
            }
            as_of_set = true;
            break;
        case 'o':
            output = optarg;
            break;
        case O_JSONL:
            jsonl = true;
            break;
        case O_NO_EXCERPTS:
            excerpts = false;
            break;
        case O_FAIL_ON:
            if (rule_level_parse(optarg, &fail_on) != 0) {
                rc = cmd_usage_error(usage,
                                     "option '--fail-on' needs low, medium or "
                                     "high, not '%s'",
                                     optarg);
                goto out;
            }
            fail_on_set = true;
            break;
        case ':':
            rc = cmd_usage_error(usage, "option '%s' needs a value",
                                 argv[optind - 1]);
            goto out;
        default:
            rc =
                cmd_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
            goto out;
        }
    }
    if (optind >= argc) {
        rc = cmd_usage_error(usage, "no input given");
        goto out;
    }
    if (!as_of_set)
        c.params.as_of = cal_day_of((int64_t)time(NULL)) * 86400;
    if (nrules == 0) {
        if (datadir_find("rules", shipped, sizeof(shipped)) != 0) {
            fprintf(stderr,
                    "error: cannot find the shipped rules (looked in '%s'); "
                    "use --rules\n",
                    shipped);
            rc = CA_DATA;
            goto out;
        }
        rules[nrules++] = shipped;
    }
    st = ruleset_load(rules, nrules, NULL, &rs, &err);
    if (st != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    c.rs = rs;
    c.scratch = engine_scratch_new(NULL);
    if (!c.scratch || findings_tally_init(&c.tally, rs) != 0) {
        fprintf(stderr, "error: out of memory\n");
        rc = CA_SYSTEM;
        goto out;
    }
    st = outfile_open(&out, output, &err);
    if (st != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    out_open = true;
    findings_writer_init(&c.fw, out.fp, jsonl ? FF_JSONL : FF_CSV, excerpts);
    st = ingest_run((const char *const *)argv + optind, (size_t)(argc - optind),
                    &io, on_record, on_reject, &c, &stats, &err);
    if (st != CA_OK) {
        rc = cmd_fail(&err);
        outfile_abort(&out);
        out_open = false;
        goto out;
    }
    if (c.rejects_shown > 10)
        cmd_warn("%lu more rows rejected", c.rejects_shown - 10);
    for (size_t i = 0; i < stats.nnotes; i++)
        cmd_warn("%s: %s", stats.notes[i].source, stats.notes[i].message);
    if (findings_writer_finish(&c.fw) != 0) {
        fprintf(stderr, "error: unable to write findings to '%s'\n", output);
        outfile_abort(&out);
        out_open = false;
        rc = CA_SYSTEM;
        goto out;
    }
    out_open = false;
    st = outfile_commit(&out, &err);
    if (st != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    print_summary(&c, &stats);
    if (fail_on_set && findings_tally_has_fail(&c.tally, rs, fail_on)) {
        fprintf(stderr, "check: failures at level %s or above\n",
                rule_level_name(fail_on));
        rc = CA_FINDINGS;
    }
out:
    if (out_open)
        outfile_abort(&out);
    ingest_stats_release(&stats);
    findings_tally_release(&c.tally);
    engine_scratch_free(c.scratch);
    ruleset_free(rs);
    free(rules);
    return rc;
}
