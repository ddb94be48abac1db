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
#include "ingest/ingest.h"
#include "ingest/record.h"
#include "util/datadir.h"
#include "util/escape.h"
#include "util/suggest.h"

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

static int unknown_command(const char *name)
{
    const char *names[32], *near;
    size_t n = 0;

    for (n = 0; commands[n].name && n + 2 < sizeof(names) / sizeof(*names); n++)
        names[n] = commands[n].name;
    names[n++] = "help";
    names[n++] = "version";
    near = suggest_closest(name, names, n, 2);
    if (near)
        return cmd_usage_error(
            main_usage, "unknown command '%s'; did you mean '%s'?", name, near);
    return cmd_usage_error(
        main_usage, "unknown command '%s' (caseaudit --help lists them)", name);
}

/* A command whose output could not be written has failed, whatever it
 * thought (stdout to a full disk, a closed descriptor): exit 4. */
static int finish(int rc)
{
    int e;

    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    e = errno;
    if (rc == CA_OK || rc == CA_FINDINGS) {
        cmd_error("unable to write to standard output: %s",
                  e ? strerror(e) : "write error");
        rc = CA_SYSTEM;
    }
    return rc;
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
        return finish(CA_OK);
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("caseaudit %s\n", CA_VERSION);
        return finish(CA_OK);
    }
    if (strcmp(argv[1], "help") == 0) {
        char *hargv[3];

        if (argc < 3) {
            print_main_help(stdout);
            return CA_OK;
        }
        c = find_command(argv[2]);
        if (!c)
            return unknown_command(argv[2]);
        hargv[0] = argv[2];
        hargv[1] = (char *)"--help";
        hargv[2] = NULL;
        return finish(c->fn(2, hargv));
    }
    c = find_command(argv[1]);
    if (!c)
        return unknown_command(argv[1]);
    return finish(c->fn(argc - 1, argv + 1));
}

/* "<prefix>: <message>\n" on stderr, the message made terminal-safe (it
 * quotes paths, values and names from the input). */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
static void
say(const char *prefix, const char *fmt, va_list ap)
{
    char msg[4096];
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);

    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(msg))
        n = (int)sizeof(msg) - 1;
    fprintf(stderr, "%s: ", prefix);
    escape_term_write(stderr, msg, (size_t)n);
    fputc('\n', stderr);
}

int cmd_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;

    if (fmt) {
        va_start(ap, fmt);
        say("error", fmt, ap);
        va_end(ap);
    }
    fprintf(stderr, "usage: %s\n", usage);
    return CA_USAGE;
}

int cmd_fail(const struct ca_error *err)
{
    char buf[2048];

    cmd_error("%s", ca_error_format(err, buf, sizeof(buf)));
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

    va_start(ap, fmt);
    say("warning", fmt, ap);
    va_end(ap);
}

void cmd_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say("error", fmt, ap);
    va_end(ap);
}

int cmd_rate_error(const char *usage, const char *opt, const char *arg,
                   const char *range)
{
    bool conf = strcmp(opt, "--confidence") == 0;
    char *end;
    double v;

    errno = 0;
    v = strtod(arg, &end);
    /* 95 for 95%: a percentage written without its sign */
    if (end != arg && *end == '\0' && !errno && v > 1 && v <= 100)
        return cmd_usage_error(usage,
                               "option '%s' takes %s as a fraction of 1 or a "
                               "percentage with '%%': write %s%% (or %g), not "
                               "'%s'",
                               opt, conf ? "a confidence level" : "a rate", arg,
                               v / 100, arg);
    return cmd_usage_error(usage, "option '%s' needs %s (e.g. %s), not '%s'",
                           opt, range, conf ? "95% or 0.95" : "5% or 0.05",
                           arg);
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
    if (hi <= 1 &&
        (end == arg || *end != '\0' || errno || isnan(v) || v < lo || v > hi)) {
        char range[96];

        snprintf(range, sizeof(range), "a rate from %g to %g", lo, hi);
        cmd_rate_error(usage, opt, arg, range);
        return -1;
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

void cmd_ingest_progress(void *ctx, const struct ingest_progress *p)
{
    (void)ctx;
    if (p->done) {
        fputs("\r\033[K", stderr);
        return;
    }
    fprintf(stderr, "\r\033[Kingest: %llu records, %.1f MB/s",
            (unsigned long long)p->records, p->mb_per_s);
    if (p->percent >= 0)
        fprintf(stderr, ", %u%%, ETA %lu:%02lu", (unsigned)p->percent,
                p->eta_s / 60, p->eta_s % 60);
}

int cmd_getopt_error(const char *usage, char *const *argv, int c,
                     const struct option *longopts)
{
    const char *arg = argv[optind - 1], *names[64], *near;
    char name[64], list[256];
    size_t n = 0, len, nprefix = 0, off = 0;

    if (c == ':')
        return cmd_usage_error(usage, "option '%s' needs a value", arg);
    if (strncmp(arg, "--", 2) != 0 || !longopts)
        return cmd_usage_error(usage, "unknown option '%s'", arg);
    /* --name or --name=value */
    len = strcspn(arg + 2, "=");
    if (len >= sizeof(name))
        len = sizeof(name) - 1;
    memcpy(name, arg + 2, len);
    name[len] = '\0';
    list[0] = '\0';
    for (; longopts[n].name && n < sizeof(names) / sizeof(names[0]); n++) {
        names[n] = longopts[n].name;
        if (len && strncmp(names[n], name, len) == 0) {
            int k = snprintf(list + off, sizeof(list) - off, "%s--%s",
                             nprefix ? ", " : "", names[n]);

            if (k > 0 && (size_t)k < sizeof(list) - off)
                off += (size_t)k;
            nprefix++;
        }
    }
    /* getopt_long takes an unambiguous prefix: this one matched several */
    if (nprefix > 1)
        return cmd_usage_error(usage, "option '--%s' is ambiguous: %s", name,
                               list);
    near = suggest_closest(name, names, n, 2);
    if (near)
        return cmd_usage_error(
            usage, "unknown option '%s'; did you mean '--%s'?", arg, near);
    return cmd_usage_error(usage, "unknown option '%s'", arg);
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

/* Whether s has the shape of pattern, where 'd' is a digit. */
static bool shaped(const char *s, const char *pattern)
{
    for (; *pattern; s++, pattern++)
        if (*pattern == 'd' ? !(*s >= '0' && *s <= '9') : *s != *pattern)
            return false;
    return *s == '\0';
}

int cmd_parse_as_of(const char *usage, const char *arg, int64_t *out)
{
    int64_t secs;
    bool has_time;

    /* the two forms the help names, a day each; date_parse checks the
     * calendar (31/02 is not a date) and reads both */
    if ((!shaped(arg, "dddd-dd-dd") && !shaped(arg, "dd/dd/dddd")) ||
        date_parse(arg, strlen(arg), NULL, &secs, &has_time) != 0) {
        cmd_usage_error(usage,
                        "option '--as-of' needs a date, YYYY-MM-DD or "
                        "DD/MM/YYYY (2024-03-31 or 31/03/2024), not '%s'",
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
    cmd_error("cannot find the shipped %s (looked in '%s')%s%s", what, buf,
              hint ? "; " : "", hint ? hint : "");
    return CA_DATA;
}
