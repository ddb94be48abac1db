/* SPDX-License-Identifier: MIT */
/*
 * caseaudit entry point: `caseaudit <command> [options]`, dispatched from
 * the table below.  Also the shared helpers of the command layer (usage
 * errors, error printing, strict option-value parsing, repeatable options,
 * the shipped data).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "report/reviews.h"
#include "engine/engine.h"
#include "ingest/record.h"
#include "util/datadir.h"

static const struct cmd_desc commands[] = {
    {"run", cmd_run, "run the whole audit (the built-in demo without input)"},
    {"inventory", cmd_inventory,
     "count records per force and type, and rejected rows"},
    {"plan", cmd_plan, "compute a sample size (attribute or estimation)"},
    {"sample", cmd_sample, "draw a reproducible sample and write its manifest"},
    {"verify", cmd_verify,
     "re-draw a sample from its manifest, or check a bundle"},
    {"evaluate", cmd_evaluate,
     "rates, exact intervals and a verdict for a result"},
    {"check", cmd_check, "apply rule sets to records and write findings"},
    {"lint", cmd_lint, "load rule files and check their inline examples"},
    {"test", cmd_test, "regression-test rule sets against labelled fixtures"},
    {"report", cmd_report, "per-force compliance report from findings"},
    {"worksheet", cmd_worksheet,
     "the reviewer worksheet of findings (CSV or .xlsx)"},
    {"review", cmd_review,
     "reviewed files as labelled fixtures (review export-fixtures)"},
    {"reconcile", cmd_reconcile,
     "crimes recorded via incidents or directly, per force"},
    {"gen", cmd_gen, "generate synthetic exports (demo, tests, benchmarks)"},
    {NULL, NULL, NULL},
};

const struct cmd_desc *cmd_table(void)
{
    return commands;
}

static const char main_usage[] = "caseaudit <command> [options] [file ...]";

static void print_main_help(FILE *fp)
{
    const struct cmd_desc *c;

    fprintf(fp, "usage: %s\n\n", main_usage);
    fprintf(fp, "Audit police case files for documented investigation and "
                "supervision.\n\ncommands:\n");
    for (c = commands; c->name; c++)
        fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp, "\n  caseaudit help <command>   show a command's options\n"
                "  caseaudit --version        print the version\n\n"
                "exit status: 0 ok, 1 findings or failed rule tests, 2 usage,\n"
                "3 bad input data, 4 system error\n");
}

static const struct cmd_desc *find_command(const char *name)
{
    const struct cmd_desc *c;

    for (c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int main(int argc, char **argv)
{
    const struct cmd_desc *c;

    if (argc < 2) {
        print_main_help(stderr);
        return CA_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        print_main_help(stdout);
        return CA_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("caseaudit %s\n", CA_VERSION);
        return CA_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        char *hargv[3];

        if (argc < 3) {
            print_main_help(stdout);
            return CA_OK;
        }
        c = find_command(argv[2]);
        if (!c)
            return cmd_usage_error(main_usage, "unknown command '%s'", argv[2]);
        hargv[0] = argv[2];
        hargv[1] = (char *)"--help";
        hargv[2] = NULL;
        return c->fn(2, hargv);
    }
    c = find_command(argv[1]);
    if (!c)
        return cmd_usage_error(main_usage, "unknown command '%s'", argv[1]);
    return c->fn(argc - 1, argv + 1);
}

int cmd_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;

    if (fmt) {
        fputs("error: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
    fprintf(stderr, "usage: %s\n", usage);
    return CA_USAGE;
}

int cmd_fail(const struct ca_error *err)
{
    char buf[2048];

    fprintf(stderr, "error: %s\n", ca_error_format(err, buf, sizeof(buf)));
    return ca_status_exit_code(err->status == CA_OK ? CA_SYSTEM : err->status);
}

void cmd_print_rejected_reviews(const struct reviews *rv)
{
    size_t i;

    if (!rv || rv->rejected < 2)
        return; /* one is the error already printed */
    fprintf(stderr, "%llu rows of the reviews were rejected:\n",
            (unsigned long long)rv->rejected);
    for (i = 0; i < rv->nrej; i++)
        fprintf(stderr, "  %s\n", rv->rej[i]);
    if (rv->rejected > rv->nrej)
        fprintf(stderr, "  ... and %llu more\n",
                (unsigned long long)(rv->rejected - rv->nrej));
}

void cmd_warn(const char *fmt, ...)
{
    va_list ap;

    fputs("warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cmd_parse_double(const char *usage, const char *opt, const char *arg,
                     double lo, double hi, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(arg, &end);
    if (end != arg && *end == '%' && end[1] == '\0') {
        v /= 100.0;
        end++;
    }
    if (end == arg || *end != '\0' || errno || isnan(v) || v < lo || v > hi) {
        cmd_usage_error(usage,
                        "option '%s' needs a number from %g to %g, not '%s'",
                        opt, lo, hi, arg);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_parse_u64(const char *usage, const char *opt, const char *arg,
                  uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    if (*arg == '-' || *arg == '\0')
        goto bad;
    v = strtoull(arg, &end, 10);
    if (*end != '\0' || errno || v < lo || v > hi)
        goto bad;
    *out = v;
    return 0;
bad:
    cmd_usage_error(
        usage, "option '%s' needs a whole number from %llu to %llu, not '%s'",
        opt, (unsigned long long)lo, (unsigned long long)hi, arg);
    return -1;
}

bool cmd_stderr_is_tty(void)
{
    return isatty(STDERR_FILENO) == 1;
}

int cmd_getopt_error(const char *usage, char *const *argv, int c)
{
    if (c == ':')
        return cmd_usage_error(usage, "option '%s' needs a value",
                               argv[optind - 1]);
    return cmd_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
}

int cmd_oom(void)
{
    fprintf(stderr, "error: out of memory\n");
    return CA_SYSTEM;
}

int cmd_strv_push(struct cmd_strv *s, const char *x)
{
    if (s->n == s->alloc) {
        size_t na = s->alloc ? s->alloc * 2 : 8;
        const char **nv = realloc(s->v, na * sizeof(*nv));

        if (!nv)
            return -1;
        s->v = nv;
        s->alloc = na;
    }
    s->v[s->n++] = x;
    return 0;
}

int cmd_parse_as_of(const char *usage, const char *arg, int64_t *out)
{
    int64_t secs;
    bool has_time;

    if (date_parse(arg, strlen(arg), NULL, &secs, &has_time) != 0) {
        cmd_usage_error(usage,
                        "option '--as-of' needs a date such as 2024-03-31, "
                        "not '%s'",
                        arg);
        return -1;
    }
    *out = cal_day_of(secs) * 86400;
    return 0;
}

int cmd_find_shipped(const char *rel, const char *what, const char *hint,
                     char *buf, size_t size)
{
    if (datadir_find(rel, buf, size) == 0)
        return 0;
    fprintf(stderr, "error: cannot find the shipped %s (looked in '%s')%s%s\n",
            what, buf, hint ? "; " : "", hint ? hint : "");
    return CA_DATA;
}
