/* SPDX-License-Identifier: MIT */
/*
 * caseaudit reconcile: crimes recorded via an incident or directly, their
 * attendance, references that match nothing, named suspects not yet
 * arrested or interviewed, and failed-to-answer bail, per force.  The
 * counting is in report/reconcile.c.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/frame.h"
#include "audit/programme.h"
#include "cmd/cmd.h"
#include "report/reconcile.h"

static const char usage[] =
    "caseaudit reconcile --crimes FILE --incidents FILE [--bail FILE] "
    "[--profile NAME] [--programme NAME|FILE] [--json]";

static void help(void)
{
    printf("usage: %s\n\n", usage);
    puts("Per force: crimes recorded via an incident and directly (no "
         "incident_ref),\n"
         "attendance by route, references that match nothing, named suspects "
         "not\n"
         "yet arrested or interviewed, and failed-to-answer bail.\n"
         "\n"
         "      --crimes FILE     crime records (repeatable; file, directory "
         "or archive)\n"
         "      --incidents FILE  incident records (repeatable)\n"
         "      --bail FILE       bail records (repeatable; optional)\n"
         "      --profile NAME    profile for the inputs (default: by header)\n"
         "      --programme P     the audit programme whose named-suspect "
         "frame says\n"
         "                        which suspects are outstanding (default: "
         "hmic-2014)\n"
         "      --json            print JSON (an array \"forces\")\n"
         "  -h, --help            show this help\n"
         "\n"
         "References are matched within a force.  A named suspect is "
         "outstanding when\n"
         "the crime is in the frame of the programme's named-suspect test: "
         "no outcome of\n"
         "charge, caution, summons or community resolution, and no log "
         "entry recording\n"
         "an arrest, interview, charge, caution or summons that is done "
         "(\"not yet\n"
         "interviewed\", \"to be arrested\" and \"Suspect arrested: N\" "
         "are not; the\n"
         "context lexicon decides, as for the rules).");
}

static void pct(char *out, size_t size, uint64_t a, uint64_t n)
{
    if (n)
        snprintf(out, size, "%.1f%%", 100.0 * (double)a / (double)n);
    else
        snprintf(out, size, "-");
}

static void text_row(const struct reconcile_force *f, bool have_bail)
{
    char a[16], b[16], fb[256];

    pct(a, sizeof(a), f->via_incident_attended, f->via_incident);
    pct(b, sizeof(b), f->direct_attended, f->direct_recorded);
    printf("%-18s %7" PRIu64 " %8" PRIu64 " %6s %7" PRIu64 " %6s %9" PRIu64
           " %9" PRIu64 " %8" PRIu64 " %9" PRIu64 " %8" PRIu64 " %8" PRIu64,
           escape_term(fb, sizeof(fb), f->force), f->crimes, f->via_incident, a,
           f->direct_recorded, b, f->unmatched_incident_refs, f->incidents,
           f->incidents_closed_as_crimes, f->unmatched_crime_refs,
           f->named_suspects, f->suspects_not_arrested);
    if (have_bail)
        printf(" %6" PRIu64 " %6" PRIu64, f->bail, f->failed_to_answer);
    putchar('\n');
}

static void warn_rejects(const char *what, const struct ingest_stats *st)
{
    size_t n;
    int i;

    for (n = 0; n < st->nnotes; n++)
        if (!st->notes[n].error)
            cmd_warn("%s: %s", st->notes[n].source, st->notes[n].message);

    if (!st->rows_rejected)
        return;
    fprintf(stderr, "warning: %" PRIu64 " %s rows rejected and not counted:",
            st->rows_rejected, what);
    for (i = 0; i < RJ__COUNT; i++)
        if (st->rejected_by_reason[i])
            fprintf(stderr, " %s %" PRIu64,
                    reject_reason_name((enum reject_reason)i),
                    st->rejected_by_reason[i]);
    fputc('\n', stderr);
}

/* The reconciliation on standard output, as JSON or a table.  0, or an
 * exit status (the error printed). */
static int print_reconcile(const struct reconcile_result *res, bool json)
{
    size_t i;

    if (json) {
        json_t *root = reconcile_json(res);

        if (!root) {
            return cmd_oom();
        }
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        putchar('\n');
        json_decref(root);
    } else {
        printf("%-18s %7s %8s %6s %7s %6s %9s %9s %8s %9s %8s %8s", "force",
               "crimes", "via-inc", "att", "direct", "att", "inc-unmat",
               "incidents", "as-crime", "crime-unm", "suspects", "not-arr");
        if (res->have_bail)
            printf(" %6s %6s", "bail", "fta");
        putchar('\n');
        for (i = 0; i < res->n; i++)
            text_row(&res->f[i], res->have_bail);
        if (res->n > 1)
            text_row(&res->total, res->have_bail);
        puts("\nvia-inc: crimes with an incident reference; direct: recorded "
             "directly (no\nincident reference); att: attended share; "
             "inc-unmat: "
             "incident reference\nmatching no incident; as-crime: incidents "
             "closed as crimes; crime-unm: their\ncrime reference matching no "
             "crime; suspects: named suspects; not-arr: not yet\narrested or "
             "interviewed; fta: failed to answer bail.");
    }
    return 0;
}

int cmd_reconcile(int argc, char **argv)
{
    enum {
        OPT_CRIMES = 256,
        OPT_INCIDENTS,
        OPT_BAIL,
        OPT_PROFILE,
        OPT_PROGRAMME,
        OPT_JSON
    };
    static const struct option longopts[] = {
        {"crimes", required_argument, NULL, OPT_CRIMES},
        {"incidents", required_argument, NULL, OPT_INCIDENTS},
        {"bail", required_argument, NULL, OPT_BAIL},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"programme", required_argument, NULL, OPT_PROGRAMME},
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cmd_strv crimes = {0}, incidents = {0}, bail = {0};
    struct reconcile_opts o;
    struct reconcile_result res;
    struct programme *prog = NULL;
    struct audit_outstanding *outstanding = NULL;
    const char *progarg = NULL;
    struct ca_error err = CA_ERROR_INIT;
    bool json = false;
    int rc = 0, c;

    reconcile_result_init(&res);
    memset(&o, 0, sizeof(o));
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int pr = 0;

        switch (c) {
        case 'h':
            help();
            goto out;
        case OPT_CRIMES:
            pr = cmd_strv_push(&crimes, optarg);
            break;
        case OPT_INCIDENTS:
            pr = cmd_strv_push(&incidents, optarg);
            break;
        case OPT_BAIL:
            pr = cmd_strv_push(&bail, optarg);
            break;
        case OPT_PROFILE:
            o.profile = optarg;
            break;
        case OPT_PROGRAMME:
            progarg = optarg;
            break;
        case OPT_JSON:
            json = true;
            break;
        default:
            rc = cmd_getopt_error(usage, argv, c, longopts);
            goto out;
        }
        if (pr) {
            rc = cmd_oom();
            goto out;
        }
    }
    if (optind < argc) {
        rc = cmd_usage_error(usage,
                             "unexpected argument '%s' (inputs are "
                             "given with --crimes, --incidents, --bail)",
                             argv[optind]);
        goto out;
    }
    if (!crimes.n || !incidents.n) {
        rc = cmd_usage_error(usage, "both --crimes and --incidents are needed");
        goto out;
    }
    if (progarg) {
        char path[4096];

        if (programme_locate(progarg, path, sizeof(path)) != 0) {
            rc = cmd_usage_error(usage,
                                 "no programme '%s' (looked for '%s'); give "
                                 "a programme file or the name of a shipped "
                                 "one",
                                 progarg, path);
            goto out;
        }
        if (programme_load(path, NULL, &prog, &err) != CA_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
    }
    if (audit_outstanding_new(prog, &outstanding, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    o.outstanding = audit_outstanding_test;
    o.outstanding_ctx = outstanding;
    o.crimes = crimes.v;
    o.ncrimes = crimes.n;
    o.incidents = incidents.v;
    o.nincidents = incidents.n;
    o.bail = bail.v;
    o.nbail = bail.n;
    if (reconcile_run(&o, &res, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    warn_rejects("incident", &res.incidents);
    warn_rejects("crime", &res.crimes);
    if (res.have_bail)
        warn_rejects("bail", &res.bail);
    rc = print_reconcile(&res, json);
out:
    reconcile_result_release(&res);
    audit_outstanding_free(outstanding);
    programme_free(prog);
    free(crimes.v);
    free(incidents.v);
    free(bail.v);
    return rc;
}
