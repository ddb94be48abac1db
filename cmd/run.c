/* SPDX-License-Identifier: MIT */
/*
 * caseaudit run: the whole audit in one command (inventory, a planned hash
 * sample per force and record type, the shipped rules over each sample,
 * the report, the evidence bundle and the crime/incident reconciliation),
 * by default on the built-in demo export.  Options are parsed here; the
 * pipeline is audit/audit.c's audit_run().
 */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/plan_options.h"
#include "cmd/sample_size.h"
#include "audit/audit.h"
#include "util/datadir.h"
#include "util/escape.h"

/* Text from the export, the rules, the programme or the command line, safe
 * for the terminal (util/escape.h); E() gives each call its own buffer. */
#define E(s) escape_term((char[1024]){0}, 1024, (s))

static const char usage[] =
    "caseaudit run [INPUT...] [-o DIR] [--force] [--programme NAME|FILE] "
    "[--census] [--seed S] [--confidence C] [--tolerable T] "
    "[--expected-rate R] [--prior P] [--rules PATH]... [--as-of DATE] "
    "[--spares K] "
    "[--reviews FILE] [--no-excerpts]";

#define DEFAULT_OUT "caseaudit-out"
#define DEMO_PATH "fixtures/demo/demo.zip"
#define DEMO_SEED "caseaudit-demo"
#define DEFAULT_PROGRAMME "hmic-2014"

static void help(void)
{
    printf("usage: %s\n\n", usage);
    puts(
        "The whole audit in one command, following an audit programme (the\n"
        "inspection's questions as tests, each asked of its own frame of "
        "files):\n"
        "inventory the export, draw a hash sample per force of each test's "
        "frame,\n"
        "sized by an attribute plan for the frame's N in the force, check "
        "the samples\n"
        "with the tests' rules, and write each file's verdict per test "
        "(files.csv),\n"
        "the report (the matrix of forces and tests first), the evidence "
        "bundle and\n"
        "the crime/incident reconciliation.  Without INPUT it audits the "
        "built-in demo.\n"
        "\n"
        "  -o, --output DIR      output directory (default " DEFAULT_OUT
        "); an existing\n"
        "                        one that is not empty is refused\n"
        "      --force           replace it (the files of an earlier run "
        "go, other\n"
        "                        files in it are kept)\n"
        "      --programme NAME|FILE\n"
        "                        the audit programme: a shipped one "
        "(programmes/NAME.yaml)\n"
        "                        or a file (default " DEFAULT_PROGRAMME
        "; caseaudit-full asks\n"
        "                        every shipped rule)\n"
        "      --census          check every file of each frame instead of "
        "a sample\n"
        "      --seed S          sample seed (default: random, printed and "
        "recorded;\n"
        "                        '" DEMO_SEED "' for the demo)\n"
        "      --confidence C    confidence level (default: the programme's, "
        "else 95%)\n"
        "      --tolerable T     tolerable deviation rate (default: the "
        "programme's,\n"
        "                        else 10%)\n"
        "      --expected-rate R expected deviation rate the plan allows "
        "for (default:\n"
        "                        the programme's, else 2%)\n"
        "      --prior P         Bayesian: size each sample by the "
        "posterior upper bound\n"
        "                        under a beta prior (uniform, beta:A,B, or "
        "K/N: K\n"
        "                        deviations in N earlier files), and give "
        "each group's\n"
        "                        posterior figures beside its verdict "
        "(default: none)\n"
        "      --rules PATH      rule file or directory (repeatable; "
        "default: the\n"
        "                        shipped rules)\n"
        "      --as-of DATE      judge open files as of DATE (YYYY-MM-DD or\n"
        "                        DD/MM/YYYY; default: the latest date in "
        "each\n"
        "                        force's records; the demo: its export "
        "date)\n"
        "      --spares K        also draw K spares per force and stratum "
        "(default 0):\n"
        "                        checked, listed in the worksheet, counted "
        "only where one\n"
        "                        takes the place of a file reviewed "
        "unavailable\n"
        "      --reviews FILE    apply a returned reviewer worksheet (CSV "
        "or .xlsx): a\n"
        "                        reviewer's pass or fail replaces the "
        "rules' verdict, n/a\n"
        "                        takes the file out of the test, "
        "unavailable substitutes\n"
        "                        the next spare; the report adds the "
        "substitution log and\n"
        "                        the agreement of rules and reviewers "
        "(Cohen's kappa)\n"
        "      --no-excerpts     no case text in the worksheet's evidence\n"
        "  -h, --help            show this help\n"
        "\n"
        "Writes into DIR, mode 0600: inventory.json, sample-<name>.csv, "
        "manifest-<name>.json,\n"
        "findings-<name>.csv (<name>: the record type, or a narrower "
        "frame's first test),\n"
        "files.csv, summary.json, summary.csv, findings.csv, report.md, "
        "report.html,\n"
        "worksheet.csv and worksheet.xlsx (the reviewer worksheet), "
        "reconcile.json and\n"
        "evidence.zip (check it with `caseaudit verify`), built in a staging "
        "directory\n"
        "beside DIR and put in place whole at the end: a run that fails or is\n"
        "interrupted (SIGINT, SIGTERM, SIGHUP) leaves DIR as it was.\n"
        "Exit status: 0 done, 2 usage, 3 bad input, rules or programme, 4 "
        "system error;\n"
        "killed by the signal after cleaning up when interrupted.");
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

/*
 * Signals that end a run (SIGINT, SIGTERM, SIGHUP) only set a flag here;
 * the run sees it at its next record or stage, removes everything it made
 * and returns, and the signal is then raised again with its default
 * action, so that the caller sees the run killed by it.  A file-size limit
 * (SIGXFSZ, `ulimit -f`) is ignored, so that exceeding it is a write error
 * the run cleans up after, not a kill.
 */
static volatile sig_atomic_t caught;
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

static void on_signal(int sig)
{
    caught = sig;
}

static void catch_signals(struct sigaction old[NSTOP], struct sigaction *xfsz)
{
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (i = 0; i < NSTOP; i++) {
        sigaction(stop_signals[i], NULL, &old[i]);
        /* a signal ignored by whoever started us stays ignored */
        if (old[i].sa_handler != SIG_IGN)
            sigaction(stop_signals[i], &sa, NULL);
    }
    sa.sa_handler = SIG_IGN;
    sigaction(SIGXFSZ, &sa, xfsz);
}

static void restore_signals(const struct sigaction old[NSTOP],
                            const struct sigaction *xfsz)
{
    size_t i;

    for (i = 0; i < NSTOP; i++)
        sigaction(stop_signals[i], &old[i], NULL);
    sigaction(SIGXFSZ, xfsz, NULL);
}

static void on_stage(void *ctx, const char *what)
{
    (void)ctx;
    fprintf(stderr, "run: %s...\n", E(what));
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

/* "62.2%" of the share of files passing, "-" when nothing was checked. */
static const char *pass_pct(const struct sgroup *g, char out[16])
{
    if (g->strat_headline)
        return pct(1.0 - g->strat.estimate, out);
    return isnan(g->rate) ? "-" : pct(1.0 - g->rate, out);
}

/* "(46.5-76.2%)", "(exact)" or "" */
static const char *pass_ci(const struct sgroup *g, char *out, size_t size)
{
    char a[16], b[16];

    if (g->strat_headline)
        snprintf(out, size, "(%s-%s)", pct(1.0 - g->strat.ci.hi, a),
                 pct(1.0 - g->strat.ci.lo, b));
    else if (report_has_interval(g) && !isnan(g->cp.lo))
        snprintf(out, size, "(%s-%s)", pct(1.0 - g->cp.hi, a),
                 pct(1.0 - g->cp.lo, b));
    else if (g->n > 0)
        snprintf(out, size, "(exact)");
    else
        out[0] = '\0';
    return out;
}

static const struct sgroup *test_group(const struct summary *s,
                                       const char *test, const char *force)
{
    size_t i;

    for (i = 0; i < s->ntg; i++)
        if (!s->tg[i].stratum && strcmp(s->tg[i].test, test) == 0 &&
            strcmp(s->tg[i].force, force) == 0)
            return &s->tg[i];
    return NULL;
}

static const char *test_skip(const struct audit_result *res, size_t t,
                             const char *force)
{
    size_t i;

    for (i = 0; i < res->ntskips; i++)
        if (res->tskips[i].test == t &&
            strcmp(res->tskips[i].force, force) == 0)
            return res->tskips[i].why;
    return NULL;
}

#define CELL 26

/* A line without its trailing blanks. */
static void print_trimmed(char *line)
{
    size_t n = strlen(line);

    while (n && line[n - 1] == ' ')
        line[--n] = '\0';
    printf("%s\n", line);
}

/* The headline matrix: a row per test, a column per force, each cell the
 * share of files passing with its interval, files checked of N and the
 * verdict. */
static void print_matrix(const struct audit_result *res, double confidence)
{
    size_t f, t, w = 24;

    for (t = 0; t < res->ntests; t++)
        if (strlen(E(res->tests[t].id)) + 2 > w)
            w = strlen(E(res->tests[t].id)) + 2;
    {
        char head[4096];
        size_t off =
            (size_t)snprintf(head, sizeof(head), "%-*s", (int)w, "test");

        for (f = 0; f < res->nas_of && off < sizeof(head); f++)
            off += (size_t)snprintf(head + off, sizeof(head) - off, "%-*.*s",
                                    CELL, CELL - 2, E(res->as_of[f].force));
        print_trimmed(head);
    }
    for (t = 0; t < res->ntests; t++) {
        const struct report_test *rt = &res->tests[t];
        char line1[4096], *p1 = line1, line2[4096], *p2 = line2;
        size_t left = sizeof(line2), left1 = sizeof(line1);

        if (rt->not_run) {
            printf("%-*s", (int)w, E(rt->id));
            printf("not run: %s\n\n", E(rt->not_run));
            continue;
        }
        snprintf(p2, left, "%-*s", (int)w, "");
        p2 += strlen(p2);
        left = sizeof(line2) - (size_t)(p2 - line2);
        snprintf(p1, left1, "%-*s", (int)w, E(rt->id));
        p1 += strlen(p1);
        left1 = sizeof(line1) - (size_t)(p1 - line1);
        for (f = 0; f < res->nas_of; f++) {
            const char *force = res->as_of[f].force;
            const struct sgroup *g = test_group(&res->rep.s, rt->id, force);
            char a[16], ci[40], c1[64], c2[80], nn[64];

            if (test_skip(res, t, force)) {
                snprintf(c1, sizeof(c1), "not run");
                snprintf(c2, sizeof(c2), "(export lacks a field)");
            } else if (!g) {
                snprintf(c1, sizeof(c1), "-");
                snprintf(c2, sizeof(c2), "no file in the frame");
            } else {
                snprintf(c1, sizeof(c1), "%s %s", pass_pct(g, a),
                         pass_ci(g, ci, sizeof(ci)));
                snprintf(
                    c2, sizeof(c2), "%s %s%s", report_n_of_N(g, nn, sizeof(nn)),
                    stats_verdict_name(g->verdict), g->indicative ? "*" : "");
            }
            snprintf(p1, left1, "%-*s", CELL, c1);
            p1 += strlen(p1);
            left1 = sizeof(line1) - (size_t)(p1 - line1);
            snprintf(p2, left, "%-*s", CELL, c2);
            p2 += strlen(p2);
            left = sizeof(line2) - (size_t)(p2 - line2);
        }
        print_trimmed(line1);
        print_trimmed(line2);
    }
    printf("\neach cell: share of files passing the test, its two-sided %g%% "
           "interval (exact when\nevery file was checked), files checked of "
           "the N in the test's frame, and the\nverdict (* indicative: fewer "
           "than 30 files checked).\n",
           confidence * 100.0);
}

static uint64_t frame_N(const struct audit_result *res, const char *sample,
                        const char *force, bool *known)
{
    size_t i, k;
    uint64_t N = 0;

    *known = false;
    for (i = 0; i < res->rep.nm; i++) {
        const struct sampleinfo *m = &res->rep.m[i];

        if (strcmp(m->name, sample) != 0)
            continue;
        *known = true;
        for (k = 0; k < m->npop; k++)
            if (strcmp(m->pop[k].force, force) == 0)
                N += m->pop[k].N;
    }
    return N;
}

static const struct reconcile_force *rec_force(const struct audit_result *res,
                                               const char *force)
{
    size_t i;

    for (i = 0; res->reconciled && i < res->rec.n; i++)
        if (strcmp(res->rec.f[i].force, force) == 0)
            return &res->rec.f[i];
    return NULL;
}

/* The letter's counts: every file of the export, not a sample. */
/* Append to the current line of the counts table. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
add(char *line, size_t size, const char *fmt, ...)
{
    size_t off = strlen(line);
    va_list ap;

    if (off >= size - 1)
        return;
    va_start(ap, fmt);
    vsnprintf(line + off, size - off, fmt, ap);
    va_end(ap);
}

static void print_counts(const struct audit_result *res)
{
    char line[2048];
    size_t i, f;

    if (!res->ncounts)
        return;
    printf("\nthe whole export, not a sample:\n");
    for (i = 0; i < res->ncounts; i++) {
        const struct report_count *c = &res->counts[i];

        if (c->not_counted)
            printf("%s: not counted (%s)\n", c->name, E(c->not_counted));
    }
    line[0] = '\0';
    add(line, sizeof(line), "%-20s", "force");
    for (i = 0; i < res->ncounts; i++) {
        const struct report_count *c = &res->counts[i];

        if (c->not_counted)
            continue;
        if (strcmp(c->name, "recording-route") == 0)
            add(line, sizeof(line), " %-22s %-22s", "via an incident",
                "recorded directly");
        else if (strcmp(c->name, "named-suspects-outstanding") == 0)
            add(line, sizeof(line), " %-26s", "named suspects outstanding");
        else
            add(line, sizeof(line), " %-22s", "failed to answer bail");
    }
    print_trimmed(line);
    for (f = 0; f < res->nas_of; f++) {
        const char *force = res->as_of[f].force;
        const struct reconcile_force *rf = rec_force(res, force);

        line[0] = '\0';
        add(line, sizeof(line), "%-20.20s", E(force));
        for (i = 0; i < res->ncounts; i++) {
            const struct report_count *c = &res->counts[i];
            char a[16], cell[64], cell2[64];

            if (c->not_counted)
                continue;
            if (strcmp(c->name, "recording-route") == 0) {
                if (rf) {
                    snprintf(cell, sizeof(cell), "%" PRIu64 " (%s attended)",
                             rf->via_incident,
                             rf->via_incident
                                 ? pct((double)rf->via_incident_attended /
                                           (double)rf->via_incident,
                                       a)
                                 : "-");
                    snprintf(cell2, sizeof(cell2), "%" PRIu64 " (%s attended)",
                             rf->direct_recorded,
                             rf->direct_recorded
                                 ? pct((double)rf->direct_attended /
                                           (double)rf->direct_recorded,
                                       a)
                                 : "-");
                } else {
                    snprintf(cell, sizeof(cell), "-");
                    snprintf(cell2, sizeof(cell2), "-");
                }
                add(line, sizeof(line), " %-22s %-22s", cell, cell2);
            } else {
                bool known = false;
                uint64_t v = 0, of = 0;
                bool named = strcmp(c->name, "named-suspects-outstanding") == 0;

                if (c->sample)
                    v = frame_N(res, c->sample, force, &known);
                else if (rf) {
                    v = named ? rf->suspects_not_arrested
                              : rf->failed_to_answer;
                    known = true;
                }
                if (rf)
                    of = named ? rf->named_suspects : rf->bail;
                if (!known)
                    snprintf(cell, sizeof(cell), "-");
                else if (rf)
                    snprintf(cell, sizeof(cell), "%" PRIu64 " of %" PRIu64, v,
                             of);
                else
                    snprintf(cell, sizeof(cell), "%" PRIu64, v);
                add(line, sizeof(line), " %-*s", named ? 26 : 22, cell);
            }
        }
        print_trimmed(line);
    }
}

/* What the reviews changed, in a few lines. */
static void print_reviews(const struct audit_result *res)
{
    const struct reviews *rv = &res->rep.rv;
    char pc[16];
    size_t i;

    if (rv->path)
        printf("\nreviews: %s: %zu rows, %" PRIu64 " applied (%" PRIu64
               " pass, %" PRIu64 " fail, %" PRIu64 " n/a, %" PRIu64
               " unavailable, %" PRIu64 " with an added finding), %" PRIu64
               " not reviewed, %" PRIu64 " ignored\n",
               rv->path, rv->n, rv->applied, rv->by_verdict[RV_PASS],
               rv->by_verdict[RV_FAIL], rv->by_verdict[RV_NA],
               rv->by_verdict[RV_UNAVAILABLE], rv->added, rv->not_reviewed,
               rv->ignored);
    for (i = 0; i < rv->nsub; i++)
        printf("substituted: %s %s (rank %" PRIu64 ") by %s%s\n",
               rv->sub[i].sample, rv->sub[i].id, rv->sub[i].rank,
               rv->sub[i].spare ? rv->sub[i].spare : "no spare left",
               rv->sub[i].spare ? "" : ": the file is missing");
    for (i = 0; i < rv->nag; i++) {
        const struct agreement *g = &rv->ag[i];

        printf("agreement %s: %" PRIu64 " files, %s agree", g->name, g->k.n,
               report_pct(g->k.po, pc));
        if (!isnan(g->k.kappa))
            printf(", kappa %.2f (%.2f to %.2f)", g->k.kappa, g->k.lo, g->k.hi);
        printf(", %zu disagree\n", g->ndisagree);
    }
    if (res->rep.spares_ignored)
        printf("%" PRIu64 " spares checked and held in reserve (counted "
               "only in place of a file reviewed unavailable)\n",
               res->rep.spares_ignored);
}

static void print_result(const struct audit_result *res, const char *label,
                         const char *seed, const struct plan_options *po,
                         double confidence, double tolerable, bool census)
{
    char a[24], b[24], day[20];
    size_t i;
    bool one = true;

    printf("caseaudit run: %s\n", E(label));
    printf("programme: %s (%s)\n", E(res->programme.id),
           E(res->programme.title));
    printf("records: %" PRIu64 " crime, %" PRIu64 " wanted, %" PRIu64
           " bail, %" PRIu64 " incident in %zu force%s (%" PRIu64
           " rows read, %" PRIu64 " rejected)\n",
           res->records[RT_CRIME], res->records[RT_WANTED],
           res->records[RT_BAIL], res->records[RT_INCIDENT], res->nas_of,
           res->nas_of == 1 ? "" : "s", res->rows_read, res->rows_rejected);
    if (census)
        printf("census: every file of each test's frame checked, no "
               "sampling\n");
    else if (plan_options_has(po, PLAN_OPT_PRIOR)) {
        char ptext[160];

        printf("plan: per force and frame, enough files for a %s posterior "
               "probability that\nthe deviation rate is below %s, allowing "
               "for an expected rate of %s (prior\n%s, beta posterior); "
               "hash sample, seed '%s'\n",
               rate(confidence, a), rate(tolerable, b),
               po->expected_rate_text[0] ? po->expected_rate_text : "0%",
               stats_prior_describe(&po->prior, ptext, sizeof(ptext)), E(seed));
    } else
        printf("plan: per force and frame, enough files to show with %s "
               "confidence that the\ndeviation rate is below %s, allowing for "
               "an expected rate of %s (hypergeometric\nin N); hash sample, "
               "seed '%s'\n",
               rate(confidence, a), rate(tolerable, b),
               po->expected_rate_text[0] ? po->expected_rate_text : "0%",
               E(seed));
    for (i = 1; i < res->nas_of; i++)
        if (res->as_of[i].as_of != res->as_of[0].as_of)
            one = false;
    if (res->nas_of && one)
        printf("as of: %s (open files judged at this date)\n",
               audit_format_day(res->as_of[0].as_of, day));
    else {
        printf("as of (open files judged at this date):");
        for (i = 0; i < res->nas_of; i++)
            printf(" %s %s%s", E(res->as_of[i].force),
                   audit_format_day(res->as_of[i].as_of, day),
                   i + 1 < res->nas_of ? "," : "");
        putchar('\n');
    }
    for (i = 0; i < res->nunchecked; i++) {
        char u[1024] = "";
        FILE *m = fmemopen(u, sizeof(u), "w");

        if (m) {
            audit_unchecked_print(m, &res->unchecked[i], ", ",
                                  " in the export");
            fclose(m);
        }
        printf("rule not checked: %s\n", E(u));
    }
    /* tests not run, grouped by why (e.g. every bail test of an export
     * without bail records) */
    for (i = 0; i < res->ntests; i++) {
        size_t k, n = 0;

        if (!res->tests[i].not_run)
            continue;
        for (k = 0; k < i; k++)
            if (res->tests[k].not_run &&
                strcmp(res->tests[k].not_run, res->tests[i].not_run) == 0)
                break;
        if (k < i)
            continue; /* listed with the first of its reason */
        for (k = i; k < res->ntests; k++)
            n += res->tests[k].not_run &&
                 strcmp(res->tests[k].not_run, res->tests[i].not_run) == 0;
        printf("%s not run (%s): ", n == 1 ? "test" : "tests",
               E(res->tests[i].not_run));
        for (k = i, n = 0; k < res->ntests; k++)
            if (res->tests[k].not_run &&
                strcmp(res->tests[k].not_run, res->tests[i].not_run) == 0)
                printf("%s%s", n++ ? ", " : "", E(res->tests[k].id));
        putchar('\n');
    }
    for (i = 0; i < res->ntskips; i++)
        if (!res->tests[res->tskips[i].test].not_run)
            printf("test not run for %s: %s: %s\n", E(res->tskips[i].force),
                   E(res->tests[res->tskips[i].test].id),
                   E(res->tskips[i].why));
    for (i = 0; i < res->ns; i++)
        if (res->s[i].drawn && res->s[i].strata_dropped)
            printf("%s: strata %s left out: not every file of the frame "
                   "has it\n",
                   E(res->s[i].name), E(res->s[i].strata_dropped));
    putchar('\n');
    print_matrix(res, confidence);
    for (i = 0; i < res->ns; i++) {
        if (!res->s[i].drawn)
            continue;
        if (res->s[i].error_files)
            printf("%s: %" PRIu64 " of the checked files had a rule that "
                   "could not be evaluated\n(verdict error: no case log, a "
                   "date that does not parse, ...); they count\nas "
                   "deviations.\n",
                   E(res->s[i].name), res->s[i].error_files);
        if (res->s[i].undecided)
            printf("%s: %" PRIu64 " files kept in the frame because its "
                   "conditions could not be\njudged on them (%s).\n",
                   E(res->s[i].name), res->s[i].undecided,
                   E(res->s[i].undecided_why));
    }
    print_counts(res);
    print_reviews(res);
    printf("\nfiles: %s (one row per checked file and test)\n",
           E(res->files_csv));
    printf("worksheet: %s, %s (for the reviewers)\n", E(res->worksheet_csv),
           E(res->worksheet_xlsx));
    printf("report: %s\n", E(res->report_html));
    printf("bundle: %s (check it with: caseaudit verify %s)\n", E(res->bundle),
           E(res->bundle));
}

/* The command line of a run, as parsed. */
struct run_args {
    const char **rules; /* room for argc; rules[0..nrules) */
    size_t nrules;
    const char *outdir, *seed, *programme, *reviews;
    unsigned spares;
    bool force, census, no_excerpts, have_as_of;
    int64_t as_of;
    bool user_conf, user_tol, user_exp; /* given on the command line */
    bool help;                          /* --help printed */
};

/* Parse the options into a and sizer's plan options.  0, or the exit
 * status of a usage error (printed). */
static int parse_args(int argc, char **argv, struct run_args *a,
                      struct sample_sizer *sizer)
{
    enum {
        OPT_FORCE = 256,
        OPT_SEED,
        OPT_RULES,
        OPT_AS_OF,
        OPT_PROGRAMME,
        OPT_CENSUS,
        OPT_SPARES,
        OPT_REVIEWS,
        OPT_NO_EXCERPTS
    };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"seed", required_argument, NULL, OPT_SEED},
        {"programme", required_argument, NULL, OPT_PROGRAMME},
        {"census", no_argument, NULL, OPT_CENSUS},
        {"confidence", required_argument, NULL, PLAN_OPT_CONFIDENCE},
        {"tolerable", required_argument, NULL, PLAN_OPT_TOLERABLE},
        {"expected-rate", required_argument, NULL, PLAN_OPT_EXPECTED_RATE},
        {"prior", required_argument, NULL, PLAN_OPT_PRIOR},
        {"rules", required_argument, NULL, OPT_RULES},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"spares", required_argument, NULL, OPT_SPARES},
        {"reviews", required_argument, NULL, OPT_REVIEWS},
        {"no-excerpts", no_argument, NULL, OPT_NO_EXCERPTS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint64_t u64;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        switch (plan_options_parse(&sizer->po, c, optarg, usage)) {
        case 1:
            continue;
        case -1:
            return CA_USAGE;
        default:
            break;
        }
        switch (c) {
        case 'h':
            help();
            a->help = true;
            return 0;
        case 'o':
            if (!*optarg)
                return cmd_usage_error(usage, "option '-o' needs a directory");
            a->outdir = optarg;
            break;
        case OPT_FORCE:
            a->force = true;
            break;
        case OPT_SEED:
            if (!*optarg)
                return cmd_usage_error(
                    usage, "option '--seed' needs a non-empty value");
            a->seed = optarg;
            break;
        case OPT_PROGRAMME:
            if (!*optarg)
                return cmd_usage_error(usage, "option '--programme' needs a "
                                              "name or a file");
            a->programme = optarg;
            break;
        case OPT_CENSUS:
            a->census = true;
            break;
        case OPT_RULES:
            a->rules[a->nrules++] = optarg;
            break;
        case OPT_AS_OF:
            if (cmd_parse_as_of(usage, optarg, &a->as_of) != 0)
                return CA_USAGE;
            a->have_as_of = true;
            break;
        case OPT_SPARES:
            if (cmd_parse_u64(usage, "--spares", optarg, 0, 1000, &u64) != 0)
                return CA_USAGE;
            a->spares = (unsigned)u64;
            break;
        case OPT_REVIEWS:
            a->reviews = optarg;
            break;
        case OPT_NO_EXCERPTS:
            a->no_excerpts = true;
            break;
        default:
            return cmd_getopt_error(usage, argv, c, longopts);
        }
    }
    a->user_conf = plan_options_has(&sizer->po, PLAN_OPT_CONFIDENCE);
    a->user_tol = plan_options_has(&sizer->po, PLAN_OPT_TOLERABLE);
    a->user_exp = plan_options_has(&sizer->po, PLAN_OPT_EXPECTED_RATE);
    if (a->census && plan_options_has(&sizer->po, PLAN_OPT_PRIOR))
        return cmd_usage_error(usage, "option '--prior' needs a sample: a "
                                      "census ('--census') has no sampling "
                                      "error to weigh a prior against");
    return 0;
}

/* The rules, then the programme checked against them (a bad file stops
 * the run before any reading), and the plan's defaults: the command line,
 * else the programme's plan, else tolerable 10% and expected rate 2%
 * (confidence 95% is plan_options' own).  0, or an exit status (the error
 * printed). */
static int load_programme(struct run_args *a, struct sample_sizer *sizer,
                          char shipped[4096], struct ruleset **rs,
                          struct programme **prog)
{
    struct ca_error err = CA_ERROR_INIT;
    char progpath[4096];
    const struct programme *p;
    enum ca_status st;
    int rc;

    if (a->nrules == 0) {
        rc = cmd_find_shipped("rules", "rules", "use --rules", shipped, 4096);
        if (rc != 0)
            return rc;
        a->rules[a->nrules++] = shipped;
    }
    if (programme_locate(a->programme, progpath, sizeof(progpath)) != 0) {
        cmd_error("no programme '%s' (looked for '%s'); give a programme "
                  "file or the name of a shipped one (see programmes/)",
                  a->programme, progpath);
        return CA_USAGE;
    }
    st = ruleset_load(a->rules, a->nrules, NULL, rs, &err);
    if (st == CA_OK)
        st = programme_load(progpath, *rs, prog, &err);
    if (st != CA_OK)
        return cmd_fail(&err);
    p = *prog;
    if (!a->user_conf && p->plan.confidence &&
        plan_options_parse(&sizer->po, PLAN_OPT_CONFIDENCE, p->plan.confidence,
                           usage) != 1)
        return CA_USAGE;
    if (!plan_options_has(&sizer->po, PLAN_OPT_TOLERABLE) &&
        plan_options_parse(&sizer->po, PLAN_OPT_TOLERABLE,
                           p->plan.tolerable ? p->plan.tolerable : "10%",
                           usage) != 1)
        return CA_USAGE;
    if (!plan_options_has(&sizer->po, PLAN_OPT_EXPECTED_RATE) &&
        plan_options_parse(&sizer->po, PLAN_OPT_EXPECTED_RATE,
                           p->plan.expected_rate ? p->plan.expected_rate : "2%",
                           usage) != 1)
        return CA_USAGE;
    /* a Bayesian plan is sized and judged in the beta form (binomial
     * likelihood): the beta-binomial form in N is not monotone in N for an
     * informative prior, so no one bound on n would serve the draw */
    if (plan_options_has(&sizer->po, PLAN_OPT_PRIOR) &&
        plan_options_parse(&sizer->po, PLAN_OPT_MODEL, "binomial", usage) != 1)
        return CA_USAGE;
    if (plan_options_check(&sizer->po, usage, false, &sizer->mode) < 0)
        return CA_USAGE;
    return 0;
}

/* The inputs (the built-in demo without any), the label the report gives
 * them and the seed (the demo's, else random when not given).  0, or an
 * exit status (the error printed). */
static int choose_inputs(int argc, char **argv, struct run_args *a,
                         char demo[4096], char *label, size_t label_size,
                         char rseed[17], struct audit_opts *o, bool *demo_run)
{
    *demo_run = optind >= argc;
    if (*demo_run) {
        static const char *demo_inputs[1];

        if (datadir_find(DEMO_PATH, demo, 4096) != 0) {
            cmd_error("cannot find the built-in demo export (looked for '%s'); "
                      "name an export to audit",
                      demo);
            return CA_DATA;
        }
        demo_inputs[0] = demo;
        o->inputs = demo_inputs;
        o->ninputs = 1;
        snprintf(label, label_size, "the built-in demo export (%s)", demo);
        if (!a->seed)
            a->seed = DEMO_SEED;
    } else {
        size_t k, off = 0;

        o->inputs = (const char *const *)argv + optind;
        o->ninputs = (size_t)(argc - optind);
        label[0] = '\0';
        for (k = 0; k < o->ninputs && off < label_size - 1; k++) {
            int w = snprintf(label + off, label_size - off, "%s%s",
                             k ? ", " : "", o->inputs[k]);

            if (w < 0)
                break;
            off += (size_t)w;
        }
    }
    if (!a->seed) {
        if (random_seed(rseed) != 0) {
            fprintf(stderr, "error: unable to read a random seed from "
                            "/dev/urandom; give --seed\n");
            return CA_SYSTEM;
        }
        a->seed = rseed;
    }
    return 0;
}

/* " (programme)" or " (default)" after a plan value not given on the
 * command line. */
static const char *origin(bool user, const char *programme_value)
{
    return user ? "" : programme_value ? " (programme)" : " (default)";
}

/* The report's "sample size" parameter. */
static void describe_plan(const struct run_args *a,
                          const struct sample_sizer *sizer,
                          const struct programme *prog, char *out, size_t size)
{
    char c[24], t[24];

    if (a->census)
        snprintf(out, size,
                 "census: every file of each test's frame checked; "
                 "verdicts against a tolerable deviation rate of %s%s at "
                 "confidence %s%s",
                 rate(sizer->po.tolerable, t),
                 origin(a->user_tol, prog->plan.tolerable),
                 rate(sizer->po.confidence, c),
                 origin(a->user_conf, prog->plan.confidence));
    else if (plan_options_has(&sizer->po, PLAN_OPT_PRIOR)) {
        char ptext[160];

        snprintf(out, size,
                 "Bayesian attribute plan per force and frame, beta "
                 "posterior (binomial likelihood), prior %s: credibility %s%s, "
                 "tolerable "
                 "deviation rate %s%s, expected deviation rate %s%s; a force "
                 "too small for the plan is checked whole",
                 stats_prior_describe(&sizer->po.prior, ptext, sizeof(ptext)),
                 rate(sizer->po.confidence, c),
                 origin(a->user_conf, prog->plan.confidence),
                 rate(sizer->po.tolerable, t),
                 origin(a->user_tol, prog->plan.tolerable),
                 sizer->po.expected_rate_text,
                 origin(a->user_exp, prog->plan.expected_rate));
    } else
        snprintf(out, size,
                 "attribute plan per force and frame, hypergeometric in "
                 "the frame's N: confidence %s%s, tolerable deviation rate "
                 "%s%s, expected deviation rate %s%s; a force too small for "
                 "the plan is checked whole",
                 rate(sizer->po.confidence, c),
                 origin(a->user_conf, prog->plan.confidence),
                 rate(sizer->po.tolerable, t),
                 origin(a->user_tol, prog->plan.tolerable),
                 sizer->po.expected_rate_text,
                 origin(a->user_exp, prog->plan.expected_rate));
}

/* The audit's options from the command line (inputs and size_bound are
 * already set). */
static void fill_opts(const struct run_args *a, struct sample_sizer *sizer,
                      const struct sample_plan *plan,
                      const struct programme *prog, const struct ruleset *rs,
                      bool demo_run, int argc, char **argv,
                      struct audit_opts *o)
{
    o->plan = plan;
    o->size = sample_sizer_size;
    o->size_ctx = sizer;
    o->census = a->census;
    o->spares = a->spares;
    o->reviews = a->reviews;
    o->no_excerpts = a->no_excerpts;
    o->prog = prog;
    o->rs = rs;
    o->allocation = prog->plan.allocation;
    o->outdir = a->outdir;
    o->force = a->force;
    o->seed = a->seed;
    o->rules = a->rules;
    o->nrules = a->nrules;
    if (a->have_as_of) {
        o->as_of_rule = AUDIT_AS_OF_GIVEN;
        o->as_of = a->as_of;
    } else {
        o->as_of_rule = demo_run ? AUDIT_AS_OF_NEXT_MONTH : AUDIT_AS_OF_LATEST;
    }
    o->confidence = sizer->po.confidence;
    o->tolerable = sizer->po.tolerable;
    o->prior =
        plan_options_has(&sizer->po, PLAN_OPT_PRIOR) ? &sizer->po.prior : NULL;
    o->argv = (const char *const *)argv;
    o->argc = (size_t)argc;
    if (cmd_stderr_is_tty()) {
        o->on_progress = cmd_ingest_progress;
        o->stage = on_stage;
        o->stage_ctx = NULL;
    }
}

int cmd_run(int argc, char **argv)
{
    struct ca_error err = CA_ERROR_INIT;
    struct run_args a;
    struct sample_sizer sizer;
    struct sample_plan plan;
    struct audit_opts o;
    struct audit_result res;
    struct report_param param[2];
    struct sigaction old_sa[NSTOP], old_xfsz;
    struct ruleset *rs = NULL;
    struct programme *prog = NULL;
    char demo[4096], shipped[4096], rseed[17], label[4200], plan_text[700];
    bool demo_run;
    int rc = 0, sig;
    enum ca_status st;

    memset(&a, 0, sizeof(a));
    memset(&res, 0, sizeof(res));
    memset(&plan, 0, sizeof(plan));
    memset(&o, 0, sizeof(o));
    plan_options_init(&sizer.po);
    a.outdir = DEFAULT_OUT;
    a.programme = DEFAULT_PROGRAMME;
    a.rules = calloc((size_t)argc + 1, sizeof(*a.rules));
    if (!a.rules)
        return cmd_oom();
    rc = parse_args(argc, argv, &a, &sizer);
    if (rc != 0 || a.help)
        goto out;
    rc = load_programme(&a, &sizer, shipped, &rs, &prog);
    if (rc != 0)
        goto out;
    audit_opts_init(&o);
    if (sample_sizer_bound(&sizer, &o.size_bound, &err) != CA_OK) {
        /* e.g. an expected rate not below the tolerable one */
        rc = cmd_usage_error(usage, "%s", err.msg);
        goto out;
    }
    rc = choose_inputs(argc, argv, &a, demo, label, sizeof(label), rseed, &o,
                       &demo_run);
    if (rc != 0)
        goto out;
    if (sample_sizer_to_plan(&sizer, &plan) != 0) {
        rc = cmd_oom();
        goto out;
    }
    fill_opts(&a, &sizer, &plan, prog, rs, demo_run, argc, argv, &o);
    describe_plan(&a, &sizer, prog, plan_text, sizeof(plan_text));
    param[0].name = "audit of";
    param[0].value = label;
    param[1].name = "sample size";
    param[1].value = plan_text;
    o.params = param;
    o.nparams = 2;
    if (a.census && a.spares) {
        rc = cmd_usage_error(usage, "--spares has no meaning with --census "
                                    "(every file is checked)");
        goto out;
    }
    catch_signals(old_sa, &old_xfsz);
    o.stop = &caught;
    st = audit_run(&o, &res, &err);
    restore_signals(old_sa, &old_xfsz);
    if (st != CA_OK && caught) {
        /* the run removed what it made; end as the signal would have */
        sig = caught;
        fprintf(stderr,
                "error: interrupted (%s); the output directory was left as "
                "it was\n",
                strsignal(sig));
        audit_result_release(&res);
        programme_free(prog);
        ruleset_free(rs);
        free(plan.expected_rate);
        free(plan.model);
        free(plan.prior);
        free(a.rules);
        signal(sig, SIG_DFL);
        raise(sig);
        return CA_SYSTEM; /* not reached, unless sig is blocked */
    }
    if (st != CA_OK) {
        rc = cmd_fail(&err);
        cmd_print_rejected_reviews(&res.rep.rv);
        goto out;
    }
    print_result(&res, label, a.seed, &sizer.po, o.confidence, o.tolerable,
                 a.census);
out:
    audit_result_release(&res);
    programme_free(prog);
    ruleset_free(rs);
    free(plan.expected_rate);
    free(plan.model);
    free(plan.prior);
    free(a.rules);
    return rc;
}
