/* SPDX-License-Identifier: MIT */
/*
 * caseaudit inventory: per force and record type, the number of records,
 * the date range, counts by offence group, attended and any --by field,
 * and the rejected rows by reason; --json for one JSON object, --rejects
 * to write every rejected row (file, line, reason, detail) to a private
 * CSV file.  Only the id column is required of the input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "ingest/ingest.h"
#include "ingest/inventory.h"
#include "util/csvw.h"
#include "util/outfile.h"

static const char usage[] =
    "caseaudit inventory INPUT... [--profile P] [--type T] [--force F] "
    "[--encoding E] [--by FIELD]... [--json] [--rejects FILE]";

static void help(void)
{
    printf("usage: %s\n\n", usage);
    printf(
        "Count records per force and record type before sampling: records,\n"
        "date range, counts by offence group, attended and --by fields, and\n"
        "rejected rows by reason.  INPUT is a CSV file, a directory (its\n"
        "*.csv files), an archive (.zip .tar .tar.gz .tar.xz .7z) or - for\n"
        "standard input.\n\n"
        "options:\n"
        "  --profile P      profile: canonical, police-uk or a YAML file\n"
        "                   (default: picked from each file's header)\n"
        "  --type T         only records of type T (crime, wanted, bail,\n"
        "                   incident)\n"
        "  --force F        force name for every record\n"
        "  --encoding E     input encoding: utf-8 (default), cp1252, latin1\n"
        "  --by FIELD       also count the values of FIELD (repeatable)\n"
        "  --json           print one JSON object\n"
        "  --rejects FILE   write every rejected row to FILE (CSV, mode 0600)\n"
        "  -h, --help       show this help\n\n"
        "exit status: 0 ok, 2 usage, 3 an input could not be read, 4 system "
        "error\n");
}

struct ctx {
    struct inventory *inv;
    struct csvw w;
    bool rejects;
    bool oom;
};

static int on_record(void *c, const struct record *r)
{
    struct ctx *x = c;

    if (inventory_add(x->inv, r)) {
        x->oom = true;
        return 1;
    }
    return 0;
}

static void on_reject(void *c, const struct reject *rj)
{
    struct ctx *x = c;

    if (!x->rejects)
        return;
    csvw_str(&x->w, rj->source);
    csvw_printf(&x->w, "%lu", rj->line);
    csvw_str(&x->w, reject_reason_name(rj->reason));
    csvw_str(&x->w, rj->detail);
    csvw_str(&x->w, rj->field);
    csvw_str(&x->w, rj->id);
    csvw_str(&x->w, rj->first_source);
    if (rj->first_source)
        csvw_printf(&x->w, "%lu", rj->first_line);
    else
        csvw_str(&x->w, NULL);
    csvw_end_row(&x->w);
}

/* The header of the --rejects CSV. */
static void write_rejects_header(struct csvw *w, FILE *fp)
{
    csvw_init(w, fp);
    csvw_str(w, "file");
    csvw_str(w, "line");
    csvw_str(w, "reason");
    csvw_str(w, "detail");
    csvw_str(w, "field");
    csvw_str(w, "id");
    csvw_str(w, "first_file");
    csvw_str(w, "first_line");
    csvw_end_row(w);
}

/* The inventory on standard output, as JSON or text, and a warning for
 * each --by field no record has.  0, or an exit status (the error
 * printed). */
static int print_inventory(const struct inventory *inv,
                           const struct ingest_stats *st, bool json)
{
    struct ca_error err = CA_ERROR_INIT;
    size_t i;

    if (json) {
        json_t *j = inventory_json(inv, st);

        if (!j || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
            fputc('\n', stdout) == EOF) {
            json_decref(j);
            ca_error_set(&err, CA_SYSTEM, NULL, 0, NULL,
                         "unable to write the JSON output");
            return cmd_fail(&err);
        }
        json_decref(j);
    } else if (inventory_write_text(inv, st, stdout)) {
        ca_error_set(&err, CA_SYSTEM, NULL, 0, NULL,
                     "unable to write the output");
        return cmd_fail(&err);
    }
    for (i = 0;; i++) {
        const char *near, *f = inventory_by_unknown(inv, i, &near);

        if (!f)
            break;
        cmd_warn("--by '%s': no record has this field%s%s%s", f,
                 near ? "; did you mean '" : "", near ? near : "",
                 near ? "'?" : "");
    }
    return 0;
}

int cmd_inventory(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"profile", required_argument, NULL, 'p'},
        {"type", required_argument, NULL, 't'},
        {"force", required_argument, NULL, 'f'},
        {"encoding", required_argument, NULL, 'e'},
        {"by", required_argument, NULL, 'b'},
        {"json", no_argument, NULL, 'j'},
        {"rejects", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT, ferr = CA_ERROR_INIT;
    struct outfile rej;
    struct ctx x;
    const char **by = NULL;
    const char *rejects = NULL;
    size_t nby = 0, i;
    bool json = false, rej_open = false;
    enum ca_status st_run;
    int c, rc = 0;

    ingest_opts_init(&o);
    memset(&x, 0, sizeof(x));
    memset(&st, 0, sizeof(st));
    by = calloc((size_t)argc + 1, sizeof(*by));
    if (!by)
        return cmd_oom();
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            o.profile = optarg;
            break;
        case 't':
            if (record_type_parse(optarg, &o.type)) {
                rc = cmd_usage_error(usage,
                                     "unknown record type '%s' (crime, "
                                     "wanted, bail, incident)",
                                     optarg);
                goto out;
            }
            break;
        case 'f':
            if (!*optarg) {
                rc = cmd_usage_error(usage, "option '--force' needs a name");
                goto out;
            }
            o.force = optarg;
            break;
        case 'e':
            o.encoding = optarg;
            break;
        case 'b':
            by[nby++] = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'r':
            rejects = optarg;
            break;
        case 'h':
            help();
            goto out;
        default:
            if (c != ':' && optopt) /* an unknown short option */
                rc = cmd_usage_error(usage, "unknown option '-%c'", optopt);
            else
                rc = cmd_getopt_error(usage, argv, c, longopts);
            goto out;
        }
    }
    if (optind >= argc) {
        rc = cmd_usage_error(usage, "no input given");
        goto out;
    }
    x.inv = inventory_new(by, nby);
    if (!x.inv) {
        rc = cmd_oom();
        goto out;
    }
    if (rejects) {
        if (outfile_open(&rej, rejects, &err) != CA_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
        rej_open = true;
        x.rejects = true;
        write_rejects_header(&x.w, rej.fp);
    }
    o.progress = cmd_stderr_is_tty();
    o.on_progress = cmd_ingest_progress;
    st_run =
        ingest_run((const char *const *)argv + optind, (size_t)(argc - optind),
                   &o, on_record, on_reject, &x, &st, &err);
    if (x.oom) {
        ca_error_set(&err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        st_run = CA_SYSTEM;
    }
    for (i = 0; i < st.nnotes && !st.notes[i].error; i++)
        ;
    /* bad data that no note tells of (a profile file that cannot be
     * read) stops here too */
    if (st_run == CA_USAGE || st_run == CA_SYSTEM ||
        (st_run == CA_DATA && i == st.nnotes)) {
        rc = cmd_fail(&err);
        goto out;
    }
    for (i = 0; i < st.nnotes; i++) {
        if (st.notes[i].error)
            cmd_error("%s: %s", st.notes[i].source, st.notes[i].message);
        else
            cmd_warn("%s: %s", st.notes[i].source, st.notes[i].message);
    }
    rc = print_inventory(x.inv, &st, json);
    if (rc != 0)
        goto out;
    if (rej_open) {
        rej_open = false;
        if (outfile_commit(&rej, &ferr) != CA_OK) {
            rc = cmd_fail(&ferr);
            goto out;
        }
    }
    if (st_run == CA_DATA)
        rc = CA_DATA; /* the notes above said which input and why */
out:
    if (rej_open)
        outfile_abort(&rej);
    inventory_free(x.inv);
    ingest_stats_release(&st);
    free(by);
    return rc;
}
