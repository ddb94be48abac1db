/* SPDX-License-Identifier: MIT */
/* `caseaudit report` as a library call; see job.h. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "audit/job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "report/bundle.h"
#include "report/byfield.h"
#include "report/report.h"

void report_job_init(struct report_job *j)
{
    memset(j, 0, sizeof(*j));
    j->confidence = 0.95;
    j->tolerable = 0.10;
}

void report_result_release(struct report_result *r)
{
    size_t i;

    summary_release(&r->s);
    findings_release(&r->fs);
    for (i = 0; i < r->nm; i++)
        sampleinfo_release(&r->m[i]);
    free(r->m);
    r->m = NULL;
    r->nm = 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ" for now, or for SOURCE_DATE_EPOCH when set. */
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

/* A small text file (the inventory) for display; NULL when it cannot be
 * read or is larger than cap. */
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
static void manifest_name(char *out, size_t size, size_t idx,
                          const struct sampleinfo *m, size_t nm)
{
    const char *b = base_name(m[idx].path);
    size_t bl = strlen(b), i;
    bool clash = false;

    if (bl > 5 && strcmp(b + bl - 5, ".json") == 0)
        bl -= 5;
    for (i = 0; i < nm; i++)
        if (i != idx && strcmp(base_name(m[i].path), b) == 0)
            clash = true;
    if (clash)
        snprintf(out, size, "manifests/%zu-%.*s.json", idx + 1, (int)bl, b);
    else
        snprintf(out, size, "manifests/%.*s.json", (int)bl, b);
}

static enum ca_status write_bundle(const struct report_job *j,
                                   const struct report_result *res,
                                   struct ca_error *err)
{
    static const char *const rule_suffixes[] = {".yaml", ".yml", NULL};
    const struct findings *fs = &res->fs;
    struct bundle_list l;
    enum ca_status st = CA_OK;
    char name[4096], path[4096];
    char *used = NULL;
    size_t i, usedlen = 0;

    bundle_list_init(&l);
    for (i = 0; report_files[i] && st == CA_OK; i++) {
        if (strcmp(report_files[i], "overrides.csv") == 0 && !fs->ovr_path)
            continue;
        if (strcmp(report_files[i], "files.csv") == 0 && !j->ntests)
            continue;
        snprintf(path, sizeof(path), "%s/%s", j->outdir, report_files[i]);
        st = bundle_list_add_file(&l, report_files[i], path, err);
    }
    for (i = 0; i < res->nm && st == CA_OK; i++) {
        manifest_name(name, sizeof(name), i, res->m, res->nm);
        st = bundle_list_add_data(&l, name, res->m[i].text, res->m[i].textlen,
                                  err);
    }
    if (st == CA_OK && j->nrules) {
        for (i = 0; i < j->nrules && st == CA_OK; i++)
            st = bundle_list_add_tree(&l, "rules", j->rules[i], rule_suffixes,
                                      err);
    } else if (st == CA_OK) {
        /* no rule files given: name the rules the findings used */
        FILE *mf = open_memstream(&used, &usedlen);

        if (!mf) {
            bundle_list_release(&l);
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        }
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
    if (st == CA_OK && j->lexicon) {
        /* the lexicon decides verdicts as the rules do: bundle it, once */
        char *lx = realpath(j->lexicon, NULL);
        bool held = false;

        for (i = 0; lx && i < j->nrules && !held; i++) {
            char *r = realpath(j->rules[i], NULL);
            size_t rl = r ? strlen(r) : 0;

            held = r && (strcmp(r, lx) == 0 ||
                         (strncmp(lx, r, rl) == 0 && lx[rl] == '/'));
            free(r);
        }
        free(lx);
        if (!held) {
            bool taken = false;

            for (i = 0; i < l.n; i++)
                if (strcmp(l.v[i].name, "rules/lexicon.yaml") == 0)
                    taken = true;
            st = bundle_list_add_file(
                &l, taken ? "lexicon/lexicon.yaml" : "rules/lexicon.yaml",
                j->lexicon, err);
        }
    }
    if (st == CA_OK && j->programme_file) {
        snprintf(name, sizeof(name), "programmes/%s",
                 base_name(j->programme_file));
        st = bundle_list_add_file(&l, name, j->programme_file, err);
    }
    if (st == CA_OK && j->inventory)
        st = bundle_list_add_tree(&l, "inventory", j->inventory, NULL, err);
    if (st == CA_OK && fs->ovr_path)
        st = bundle_list_add_tree(&l, "overrides", fs->ovr_path, NULL, err);
    for (i = 0; i < j->nextra && st == CA_OK; i++)
        st = j->extra[i].path
                 ? bundle_list_add_file(&l, j->extra[i].name, j->extra[i].path,
                                        err)
                 : bundle_list_add_data(&l, j->extra[i].name, j->extra[i].data,
                                        j->extra[i].len, err);
    if (st == CA_OK)
        st = bundle_write(j->bundle, l.v, l.n, err);
    bundle_list_release(&l);
    free(used);
    return st;
}

static enum ca_status check_job(const struct report_job *j,
                                struct ca_error *err)
{
    size_t i, k;

    if (j->nfindings == 0)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no findings file given");
    if (!j->outdir)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no output directory given (-o DIR)");
    if (j->nby && !j->nrecords)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "--by needs --records (the records holding the "
                            "field)");
    for (i = 0; i < j->nfindings; i++) {
        if (strcmp(j->findings[i], "-") == 0)
            return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                "findings cannot be read from standard input "
                                "(they are read twice)");
        for (k = 0; k < i; k++)
            if (strcmp(j->findings[i], j->findings[k]) == 0)
                return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                    "findings file '%s' given twice",
                                    j->findings[i]);
    }
    if (!(j->confidence > 0 && j->confidence < 1) ||
        !(j->tolerable > 0 && j->tolerable < 1))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "confidence and tolerable rate must be above 0 "
                            "and below 1");
    return CA_OK;
}

enum ca_status report_job_run(const struct report_job *j,
                              struct report_result *out, struct ca_error *err)
{
    struct summary_opts so;
    struct report rep;
    char generated[21];
    char *inv_text = NULL;
    enum ca_status st;
    size_t i;

    memset(out, 0, sizeof(*out));
    findings_init(&out->fs);
    summary_init(&out->s);
    st = check_job(j, err);
    if (st != CA_OK)
        return st;
    for (i = 0; i < j->nfindings; i++) {
        st = findings_load_sample(
            &out->fs, j->findings[i],
            j->findings_samples ? j->findings_samples[i] : NULL, err);
        if (st != CA_OK)
            return st;
    }
    if (out->fs.nf == 0)
        return ca_error_set(err, CA_DATA, j->findings[0], 0, NULL,
                            "no findings: nothing to report");
    if (j->nmanifests) {
        out->m = calloc(j->nmanifests, sizeof(*out->m));
        if (!out->m)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        for (i = 0; i < j->nmanifests; i++) {
            sampleinfo_init(&out->m[i]);
            out->nm++;
            st = sampleinfo_load(&out->m[i], j->manifests[i], err);
            if (st != CA_OK)
                return st;
        }
    }
    if (j->overrides) {
        st = findings_apply_overrides(&out->fs, j->overrides, err);
        if (st != CA_OK)
            return st;
    }
    if (j->nby) {
        struct byfield_stats bs;

        st = byfield_load(&out->fs, j->records, j->nrecords, j->profile, j->by,
                          j->nby, &bs, err);
        if (st != CA_OK)
            return st;
        out->findings_without_record = bs.findings_without_record;
    }
    if (j->inventory) {
        struct stat sb;

        if (stat(j->inventory, &sb) != 0)
            return ca_error_set(err, CA_DATA, j->inventory, 0, NULL,
                                "unable to open: %s", strerror(errno));
    }
    memset(&so, 0, sizeof(so));
    so.confidence = j->confidence;
    so.tolerable = j->tolerable;
    so.manifests = out->m;
    so.nmanifests = out->nm;
    so.by = j->by;
    so.nby = j->nby;
    so.tests = j->tests;
    so.ntests = j->ntests;
    so.tfiles = j->tfiles;
    so.ntfiles = j->ntfiles;
    so.tskips = j->tskips;
    so.ntskips = j->ntskips;
    st = summary_build(&out->s, &out->fs, &so, err);
    if (st != CA_OK)
        return st;

    /* everything read and checked: now write */
    st = report_prepare_dir(j->outdir, j->force, err);
    if (st != CA_OK)
        return st;
    now_iso(generated);
    if (j->inventory)
        inv_text = slurp(j->inventory, 1u << 20); /* shown when small */
    memset(&rep, 0, sizeof(rep));
    rep.fs = &out->fs;
    rep.s = &out->s;
    rep.m = out->m;
    rep.nm = out->nm;
    rep.tool_version = CA_VERSION;
    rep.generated = generated;
    rep.argv = j->argv;
    rep.argc = j->argc;
    rep.inventory_path = j->inventory;
    rep.inventory_text = inv_text;
    rep.params = j->params;
    rep.nparams = j->nparams;
    rep.reconcile = j->reconcile;
    rep.programme = j->programme;
    rep.tests = j->tests;
    rep.ntests = j->ntests;
    rep.tfiles = j->tfiles;
    rep.ntfiles = j->ntfiles;
    rep.tskips = j->tskips;
    rep.ntskips = j->ntskips;
    rep.counts = j->counts;
    rep.ncounts = j->ncounts;
    rep.as_of = j->as_of;
    rep.nas_of = j->nas_of;
    if (j->outdir_shown) {
        rep.dir_written = j->outdir;
        rep.dir_shown = j->outdir_shown;
    }
    st = report_write_dir(&rep, j->outdir, err);
    free(inv_text);
    if (st == CA_OK && j->bundle)
        st = write_bundle(j, out, err);
    return st;
}
