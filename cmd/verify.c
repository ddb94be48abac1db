/* SPDX-License-Identifier: MIT */
/*
 * caseaudit verify: re-draw a sample from its manifest and the inputs and
 * report every difference.  Exit 0 only when everything matches, 1 when
 * anything differs.  The comparison itself is samplers/verify.c's
 * manifest_verify(), so that an evidence bundle's manifest can be checked
 * the same way (a bundle is recognised here by its zip signature).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "util/path.h"
#include "cmd/sample_size.h"
#include "cmd/verify_bundle.h"
#include "samplers/manifest.h"
#include "samplers/verify.h"
#include "audit/frame.h"

static const char usage[] = "caseaudit verify MANIFEST [INPUT...] [--programme "
                            "FILE] [--recheck] [--json]";

static void print_help(void)
{
    printf("usage: %s\n\n", usage);
    fputs("Re-draw a sample from its manifest and check it: the inputs' sizes "
          "and\n"
          "SHA-256, the row counts, N and n per force and stratum, and every "
          "selected\n"
          "id and spare with its rank and key.\n\n"
          "  MANIFEST      the manifest written by `caseaudit sample`, or an\n"
          "                evidence bundle (.zip): every entry is checked "
          "against its\n"
          "                SHA256SUMS, and each manifest re-drawn from the "
          "INPUTs\n"
          "  INPUT...      read these instead of the paths in the manifest "
          "(same order)\n"
          "  --programme FILE\n"
          "                the audit programme a `run` sample's frame comes "
          "from\n"
          "                (default: the file the manifest records, else the\n"
          "                shipped programme of that id; a bundle holds its "
          "own)\n"
          "  --recheck     with a bundle: run its checks again on the INPUTs "
          "(its own\n"
          "                rules, programme, seed and as-of dates) and compare "
          "the\n"
          "                findings, files and summary with the bundle's\n"
          "  --json        print {\"verified\": true|false, \"differences\": "
          "[...]}\n"
          "  -h, --help    show this help\n\n"
          "Relative input paths are looked up from the current directory, then "
          "from\n"
          "the manifest's directory.  Exit status: 0 verified, 1 differences "
          "found,\n"
          "2 usage, 3 bad manifest or input, 4 system error.\n",
          stdout);
}

static const struct option longopts[] = {
    {"json", no_argument, NULL, 'j'},
    {"programme", required_argument, NULL, 'p'},
    {"recheck", no_argument, NULL, 'r'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct diffs {
    bool json;
    json_t *list;
};

static void on_diff(void *ctx, const char *line)
{
    struct diffs *d = ctx;

    if (d->json)
        json_array_append_new(d->list, json_string(line));
    else {
        escape_term_printf(stdout, "difference: %s", line);
        putchar('\n');
    }
}

/* Whether path starts with a zip signature (an evidence bundle). */
static bool is_zip(const char *path)
{
    unsigned char sig[4] = {0, 0, 0, 0};
    FILE *f = fopen(path, "rb");
    bool zip;

    if (!f)
        return false;
    zip = fread(sig, 1, 4, f) == 4 && sig[0] == 'P' && sig[1] == 'K' &&
          sig[2] == 3 && sig[3] == 4;
    fclose(f);
    return zip;
}

/* The manifest's input paths, each resolved against the manifest's folder
 * when it is relative and not found from the current directory. */
static char **resolve_inputs(const char *manifest, const struct manifest *m)
{
    char **v = calloc(m->r.ninputs + 1, sizeof(*v));
    size_t i;

    if (!v)
        return NULL;
    for (i = 0; i < m->r.ninputs; i++) {
        v[i] = manifest_resolve_input(manifest, m->r.inputs[i].path);
        if (!v[i]) {
            while (i--)
                free(v[i]);
            free(v);
            return NULL;
        }
    }
    return v;
}

/* A frame that cannot be rebuilt as the manifest records it (err): one
 * difference, printed; CA_FINDINGS. */
static int print_frame_difference(const char *mpath, const struct ca_error *err,
                                  bool json)
{
    char line[2048];

    ca_error_format(err, line, sizeof(line));
    if (json) {
        json_t *o = json_pack("{s:b,s:s,s:[s]}", "verified", 0, "manifest",
                              mpath, "differences", line);

        if (o)
            json_dumpf(o, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(o);
    } else {
        printf("difference: %s\n", line);
    }
    fflush(stdout);
    fprintf(stderr, "error: %s does not verify: 1 difference\n", mpath);
    return CA_FINDINGS;
}

/* The verdict of a re-draw with ndiff differences (each printed as it was
 * found, or listed in d->list for --json).  CA_OK or CA_FINDINGS. */
static int print_verdict(const char *mpath, const struct manifest *m,
                         const struct diffs *d, uint64_t ndiff)
{
    size_t i;

    if (d->json) {
        json_t *o = json_pack("{s:b,s:s,s:O}", "verified", ndiff == 0,
                              "manifest", mpath, "differences", d->list);

        if (!o || json_dumpf(o, stdout, JSON_INDENT(2)) != 0) {
            json_decref(o);
            return cmd_oom();
        }
        putchar('\n');
        json_decref(o);
    } else if (ndiff == 0) {
        uint64_t nsel = 0;

        for (i = 0; i < m->r.sel.nitems; i++)
            nsel += !m->r.sel.items[i].spare;
        escape_term_printf(stdout,
                           "verified: %s: %zu input%s, %llu rows, %llu "
                           "selected and %llu spares re-drawn identically",
                           mpath, m->r.ninputs, m->r.ninputs == 1 ? "" : "s",
                           (unsigned long long)m->r.rows_read,
                           (unsigned long long)nsel,
                           (unsigned long long)(m->r.sel.nitems - nsel));
        putchar('\n');
    }
    if (ndiff) {
        fflush(stdout);
        cmd_error("%s does not verify: %llu difference%s", mpath,
                  (unsigned long long)ndiff, ndiff == 1 ? "" : "s");
        return CA_FINDINGS;
    }
    return CA_OK;
}

int cmd_verify(int argc, char **argv)
{
    struct manifest m;
    struct sample_sizer sizer;
    struct verify_config vc;
    struct diffs d = {false, NULL};
    struct ca_error err = CA_ERROR_INIT;
    struct audit_verify_frame vf;
    const char *mpath, *programme = NULL;
    bool recheck = false;
    char **paths = NULL;
    uint64_t ndiff = 0;
    enum ca_status st;
    int c, rc;
    size_t i;

    memset(&m, 0, sizeof(m));
    memset(&vf, 0, sizeof(vf));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help();
            return CA_OK;
        case 'j':
            d.json = true;
            break;
        case 'p':
            programme = optarg;
            break;
        case 'r':
            recheck = true;
            break;
        default:
            return cmd_getopt_error(usage, argv, c, longopts);
        }
    }
    if (optind >= argc)
        return cmd_usage_error(usage, "no manifest: name the manifest that "
                                      "`caseaudit sample` wrote");
    mpath = argv[optind++];
    for (i = optind; i < (size_t)argc; i++)
        if (path_want_input(argv[i], &err) != CA_OK)
            return cmd_fail(&err);
    if (strcmp(mpath, "-") == 0 || path_want_file(mpath, &err) != CA_OK)
        return strcmp(mpath, "-") == 0
                   ? cmd_usage_error(usage, "the manifest must be a file, not "
                                            "standard input")
                   : cmd_fail(&err);
    if (recheck && optind >= argc)
        return cmd_usage_error(usage, "--recheck needs the export: name its "
                                      "files after the bundle");
    if (is_zip(mpath)) /* an evidence bundle: cmd/verify_bundle.c */
        return verify_bundle(mpath, (const char *const *)(argv + optind),
                             (size_t)(argc - optind), programme, d.json,
                             recheck);
    if (recheck)
        return cmd_usage_error(usage, "--recheck needs an evidence bundle "
                                      "(the evidence.zip of `caseaudit run`)");
    st = manifest_read(mpath, &m, &err);
    if (st != CA_OK)
        return cmd_fail(&err);
    memset(&vc, 0, sizeof(vc));
    if (m.p.plan.mode != PLAN_MODE_FIXED && m.p.plan.mode != PLAN_MODE_CENSUS) {
        /* re-derive n per population exactly as sample did */
        if (sample_sizer_from_plan(&sizer, &m.p.plan, usage) != 0) {
            cmd_error("%s: the manifest's plan cannot be used", mpath);
            rc = CA_DATA;
            goto out;
        }
        st = sample_sizer_bound(&sizer, &vc.size_bound, &err);
        if (st != CA_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
        vc.size = sample_sizer_size;
        vc.size_ctx = &sizer;
    }
    if (m.p.programme) {
        /* a frame of an audit programme: rebuilt from that programme */
        st = audit_verify_frame(m.p.programme, mpath, programme, NULL, 0, &vf,
                                &err);
        if (st == CA_FINDINGS) {
            rc = print_frame_difference(mpath, &err, d.json);
            goto out;
        }
        if (st != CA_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
        vc.frame = vf.fn;
        vc.frame_ctx = vf.ctx;
    }
    vc.m = &m;
    if (optind < argc) {
        vc.paths = (const char *const *)(argv + optind);
        vc.npaths = (size_t)(argc - optind);
    } else {
        paths = resolve_inputs(mpath, &m);
        if (!paths) {
            rc = cmd_oom();
            goto out;
        }
        vc.paths = (const char *const *)paths;
        vc.npaths = m.r.ninputs;
        vc.matched = true;
    }
    if (d.json && !(d.list = json_array())) {
        rc = cmd_oom();
        goto out;
    }
    vc.on_diff = on_diff;
    vc.diff_ctx = &d;
    if (cmd_stderr_is_tty())
        vc.on_progress = cmd_ingest_progress;
    st = manifest_verify(&vc, &ndiff, &err);
    if (st != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    rc = print_verdict(mpath, &m, &d, ndiff);
out:
    if (paths) {
        for (i = 0; i < m.r.ninputs; i++)
            free(paths[i]);
        free(paths);
    }
    json_decref(d.list);
    audit_verify_frame_release(&vf);
    manifest_release(&m);
    return rc;
}
