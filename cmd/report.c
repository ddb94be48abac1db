/* SPDX-License-Identifier: MIT */
/*
 * caseaudit report: per-force compliance figures from findings (and the
 * sample manifests they came from) written as summary.json, summary.csv,
 * findings.csv, report.md and report.html, optionally packed with the
 * evidence into a bundle.  The work is done in report/.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cmd.h"
#include "report/bundle.h"
#include "report/byfield.h"
#include "report/findings.h"
#include "report/report.h"
#include "report/sampleinfo.h"
#include "report/summary.h"

static const char usage[] =
    "caseaudit report FINDINGS... -o DIR [--manifest FILE]... "
    "[--confidence C] [--tolerable T] [--by FIELD]... [--records FILE]... "
    "[--overrides FILE] [--bundle FILE.zip] [--force]";

static void help(void)
{
    printf("usage: %s\n\n", usage);
    puts("Per-force compliance report from findings.csv files (shards are "
         "combined).\n"
         "\n"
         "  -o, --output DIR      write the report here (created; refused if "
         "not empty)\n"
         "      --force           write into a non-empty directory\n"
         "      --manifest FILE   sample manifest the findings came from "
         "(one per\n"
         "                        record type); without one the findings are "
         "the\n"
         "                        whole population (census)\n"
         "      --confidence C    confidence level (default 95%)\n"
         "      --tolerable T     tolerable deviation rate (default 10%)\n"
         "      --by FIELD        also break figures down by a record field\n"
         "                        (repeatable; needs --records)\n"
         "      --records FILE    records holding the --by fields: the sample "
         "CSV\n"
         "                        or the export (repeatable; read with "
         "ingest)\n"
         "      --profile NAME    profile for --records (default: by header)\n"
         "      --overrides FILE  reviewer overrides CSV: "
         "id,rule_id,verdict,reviewer,reason\n"
         "      --inventory FILE  inventory to show and bundle\n"
         "      --rules PATH      rule files or directories used, for the "
         "bundle\n"
         "      --bundle FILE     also write the evidence bundle (.zip)\n"
         "  -h, --help            show this help\n"
         "\n"
         "Writes summary.json, summary.csv, findings.csv (overrides applied), "
         "report.md\n"
         "and report.html (and overrides.csv), mode 0600.");
}

/* A growable vector of borrowed strings. */
struct strv {
    const char **v;
    size_t n, alloc;
};

static int strv_push(struct strv *s, const char *x)
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

static void now_iso(char out[21])
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    struct tm tm;

    if (e && *e) {
        char *end;
        long long v = strtoll(e, &end, 10);

        if (*end == '\0' && v >= 0)
            t = (time_t)v;
    }
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Read a small text file (the inventory) for display; NULL on failure
 * or when larger than cap. */
static char *slurp(const char *path, size_t cap)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    size_t n;

    if (!fp)
        return NULL;
    buf = malloc(cap + 1);
    if (!buf) {
        fclose(fp);
        return NULL;
    }
    n = fread(buf, 1, cap + 1, fp);
    fclose(fp);
    if (n > cap) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');

    return s && s[1] ? s + 1 : p;
}

/* Name for a manifest inside the bundle: manifests/<base>.json, unique. */
static void manifest_name(char *out, size_t size, const char *path, size_t idx,
                          const struct sampleinfo *m, size_t nm)
{
    const char *b = base_name(path);
    size_t bl = strlen(b), i;
    bool clash = false;

    if (bl > 5 && strcmp(b + bl - 5, ".json") == 0)
        bl -= 5;
    for (i = 0; i < nm; i++)
        if (i != idx && strcmp(base_name(m[i].path), base_name(path)) == 0)
            clash = true;
    if (clash)
        snprintf(out, size, "manifests/%zu-%.*s.json", idx + 1, (int)bl, b);
    else
        snprintf(out, size, "manifests/%.*s.json", (int)bl, b);
}

static enum ca_status build_bundle(const char *zip, const char *dir,
                                   const struct findings *fs,
                                   const struct sampleinfo *m, size_t nm,
                                   const struct strv *rules,
                                   const char *inventory, struct ca_error *err)
{
    static const char *const rule_suffixes[] = {".yaml", ".yml", NULL};
    struct bundle_list l;
    enum ca_status st = CA_OK;
    char name[4096], path[4096];
    char *used = NULL;
    size_t i, usedlen = 0;

    bundle_list_init(&l);
    for (i = 0; report_files[i] && st == CA_OK; i++) {
        if (strcmp(report_files[i], "overrides.csv") == 0 && !fs->ovr_path)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, report_files[i]);
        st = bundle_list_add_file(&l, report_files[i], path, err);
    }
    for (i = 0; i < nm && st == CA_OK; i++) {
        manifest_name(name, sizeof(name), m[i].path, i, m, nm);
        st = bundle_list_add_data(&l, name, m[i].text, m[i].textlen, err);
    }
    if (st == CA_OK && rules->n) {
        for (i = 0; i < rules->n && st == CA_OK; i++)
            st = bundle_list_add_tree(&l, "rules", rules->v[i], rule_suffixes,
                                      err);
    } else if (st == CA_OK) {
        /* no rule files given: name the rules the findings used */
        FILE *mf = open_memstream(&used, &usedlen);

        if (!mf)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        fputs("# Rules applied (from the findings; the rule files were not "
              "given with --rules)\n# rule_id type category level\n",
              mf);
        for (i = 0; i < fs->nrules; i++)
            fprintf(mf, "%s %s %s %s\n", fs->rules[i].id,
                    fs->types.v[fs->rules[i].type],
                    fs->categories.v[fs->rules[i].category],
                    fs->rules[i].level[0] ? fs->rules[i].level : "-");
        fclose(mf);
        st = bundle_list_add_data(&l, "rules-used.txt", used, usedlen, err);
    }
    if (st == CA_OK && inventory)
        st = bundle_list_add_tree(&l, "inventory", inventory, NULL, err);
    if (st == CA_OK && fs->ovr_path)
        st = bundle_list_add_tree(&l, "overrides", fs->ovr_path, NULL, err);
    if (st == CA_OK)
        st = bundle_write(zip, l.v, l.n, err);
    bundle_list_release(&l);
    free(used);
    return st;
}

static void print_summary(const struct summary *s, const char *dir)
{
    size_t i;

    printf("%-20s %-8s %14s %7s %17s  %s\n", "force", "type", "files", "rate",
           "CI", "verdict");
    for (i = 0; i < s->ng; i++) {
        const struct sgroup *g = &s->g[i];
        char a[16], b[16], c[16], nn[64], ci[40];

        if (g->stratum || strcmp(g->category, "all") != 0)
            continue;
        if (report_has_interval(g))
            snprintf(ci, sizeof(ci), "%s-%s", report_pct(g->cp.lo, b),
                     report_pct(g->cp.hi, c));
        else
            snprintf(ci, sizeof(ci), "%s", g->census ? "exact" : "-");
        printf("%-20s %-8s %14s %7s %17s  %s%s\n", g->force, g->type,
               report_n_of_N(g, nn, sizeof(nn)), report_pct(g->rate, a), ci,
               stats_verdict_name(g->verdict),
               g->indicative ? " (indicative)" : "");
    }
    printf("report: %s/report.html\n", dir);
}

int cmd_report(int argc, char **argv)
{
    enum {
        OPT_MANIFEST = 256,
        OPT_CONFIDENCE,
        OPT_TOLERABLE,
        OPT_BY,
        OPT_RECORDS,
        OPT_PROFILE,
        OPT_OVERRIDES,
        OPT_INVENTORY,
        OPT_RULES,
        OPT_BUNDLE,
        OPT_FORCE
    };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"manifest", required_argument, NULL, OPT_MANIFEST},
        {"confidence", required_argument, NULL, OPT_CONFIDENCE},
        {"tolerable", required_argument, NULL, OPT_TOLERABLE},
        {"by", required_argument, NULL, OPT_BY},
        {"records", required_argument, NULL, OPT_RECORDS},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"overrides", required_argument, NULL, OPT_OVERRIDES},
        {"inventory", required_argument, NULL, OPT_INVENTORY},
        {"rules", required_argument, NULL, OPT_RULES},
        {"bundle", required_argument, NULL, OPT_BUNDLE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ca_error err = CA_ERROR_INIT;
    struct strv manifests = {0}, by = {0}, records = {0}, rules = {0};
    const char *outdir = NULL, *overrides = NULL, *inventory = NULL;
    const char *bundle = NULL, *profile = NULL;
    double confidence = 0.95, tolerable = 0.10;
    bool force = false;
    struct findings fs;
    struct sampleinfo *m = NULL;
    struct summary s;
    struct summary_opts so;
    struct report rep;
    char generated[21];
    char *inv_text = NULL;
    int rc = 0, c;
    size_t i, nm = 0;

    findings_init(&fs);
    summary_init(&s);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        int pr = 0;

        switch (c) {
        case 'h':
            help();
            goto out;
        case 'o':
            outdir = optarg;
            break;
        case OPT_FORCE:
            force = true;
            break;
        case OPT_MANIFEST:
            pr = strv_push(&manifests, optarg);
            break;
        case OPT_CONFIDENCE:
            if (cmd_parse_double(usage, "--confidence", optarg, 0.5, 0.9999,
                                 &confidence) != 0) {
                rc = CA_USAGE;
                goto out;
            }
            break;
        case OPT_TOLERABLE:
            if (cmd_parse_double(usage, "--tolerable", optarg, 0.0001, 0.9999,
                                 &tolerable) != 0) {
                rc = CA_USAGE;
                goto out;
            }
            break;
        case OPT_BY:
            pr = strv_push(&by, optarg);
            break;
        case OPT_RECORDS:
            pr = strv_push(&records, optarg);
            break;
        case OPT_PROFILE:
            profile = optarg;
            break;
        case OPT_OVERRIDES:
            overrides = optarg;
            break;
        case OPT_INVENTORY:
            inventory = optarg;
            break;
        case OPT_RULES:
            pr = strv_push(&rules, optarg);
            break;
        case OPT_BUNDLE:
            bundle = optarg;
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
        if (pr != 0) {
            fprintf(stderr, "error: out of memory\n");
            rc = CA_SYSTEM;
            goto out;
        }
    }
    if (optind >= argc) {
        rc = cmd_usage_error(usage, "no findings file given");
        goto out;
    }
    if (!outdir) {
        rc = cmd_usage_error(usage, "no output directory given (-o DIR)");
        goto out;
    }
    if (by.n && !records.n) {
        rc = cmd_usage_error(usage, "--by needs --records (the records "
                                    "holding the field)");
        goto out;
    }
    for (i = (size_t)optind; i < (size_t)argc; i++) {
        size_t j;

        for (j = (size_t)optind; j < i; j++)
            if (strcmp(argv[i], argv[j]) == 0) {
                rc = cmd_usage_error(usage, "findings file '%s' given twice",
                                     argv[i]);
                goto out;
            }
    }
    for (i = (size_t)optind; i < (size_t)argc; i++)
        if (strcmp(argv[i], "-") == 0) {
            rc = cmd_usage_error(usage, "findings cannot be read from standard "
                                        "input (they are read twice)");
            goto out;
        }

    for (i = (size_t)optind; i < (size_t)argc; i++)
        if (findings_load(&fs, argv[i], &err) != CA_OK)
            goto fail;
    if (fs.nf == 0) {
        ca_error_set(&err, CA_DATA, argv[optind], 0, NULL,
                     "no findings: nothing to report");
        goto fail;
    }
    if (manifests.n) {
        m = calloc(manifests.n, sizeof(*m));
        if (!m) {
            ca_error_set(&err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            goto fail;
        }
        for (i = 0; i < manifests.n; i++) {
            sampleinfo_init(&m[i]);
            nm++;
            if (sampleinfo_load(&m[i], manifests.v[i], &err) != CA_OK)
                goto fail;
        }
    }
    if (overrides && findings_apply_overrides(&fs, overrides, &err) != CA_OK)
        goto fail;
    if (by.n) {
        struct byfield_stats bs;

        if (byfield_load(&fs, records.v, records.n, profile, by.v, by.n, &bs,
                         &err) != CA_OK)
            goto fail;
        if (bs.findings_without_record)
            cmd_warn("%" PRIu64 " %s with findings not in --records: "
                     "counted as '(no record)' in the breakdowns",
                     bs.findings_without_record,
                     bs.findings_without_record == 1 ? "file" : "files");
    }
    memset(&so, 0, sizeof(so));
    so.confidence = confidence;
    so.tolerable = tolerable;
    so.manifests = m;
    so.nmanifests = nm;
    so.by = by.v;
    so.nby = by.n;
    if (summary_build(&s, &fs, &so, &err) != CA_OK)
        goto fail;
    for (i = 0; i < s.nt; i++)
        if (s.t[i].nunchecked)
            cmd_warn("%zu selected %s %s no findings (listed in the report)",
                     s.t[i].nunchecked, s.t[i].type,
                     s.t[i].nunchecked == 1 ? "file has" : "files have");

    if (report_prepare_dir(outdir, force, &err) != CA_OK)
        goto fail;
    now_iso(generated);
    if (inventory) {
        struct stat sb;

        if (stat(inventory, &sb) != 0) {
            ca_error_set(&err, CA_DATA, inventory, 0, NULL,
                         "unable to open: %s", strerror(errno));
            goto fail;
        }
        inv_text = slurp(inventory, 1u << 20); /* shown when small */
    }
    memset(&rep, 0, sizeof(rep));
    rep.fs = &fs;
    rep.s = &s;
    rep.m = m;
    rep.nm = nm;
    rep.tool_version = CA_VERSION;
    rep.generated = generated;
    rep.argv = (const char *const *)argv;
    rep.argc = (size_t)argc;
    rep.inventory_path = inventory;
    rep.inventory_text = inv_text;
    if (report_write_dir(&rep, outdir, &err) != CA_OK)
        goto fail;
    if (bundle && build_bundle(bundle, outdir, &fs, m, nm, &rules, inventory,
                               &err) != CA_OK)
        goto fail;
    print_summary(&s, outdir);
    if (bundle)
        printf("bundle: %s\n", bundle);
    goto out;
fail:
    rc = cmd_fail(&err);
out:
    summary_release(&s);
    findings_release(&fs);
    for (i = 0; i < nm; i++)
        sampleinfo_release(&m[i]);
    free(m);
    free(manifests.v);
    free(by.v);
    free(records.v);
    free(rules.v);
    free(inv_text);
    return rc;
}
