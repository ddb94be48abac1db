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
#include "report/worksheet.h"
#include "util/outfile.h"

#include <jansson.h>

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
    reviews_release(&r->rv);
    free(r->tfiles);
    r->tfiles = NULL;
    r->ntfiles = 0;
    for (i = 0; i < r->nrtests; i++)
        free((void *)r->rtests[i].rules);
    free(r->rtests);
    r->rtests = NULL;
    r->nrtests = 0;
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
    if (st == CA_OK && j->reviews)
        st = bundle_list_add_tree(&l, "reviews", j->reviews, NULL, err);
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

/* Per rule, the reviews' tests (reviews without an audit programme): a
 * test per rule, a row per finding. */
static enum ca_status rule_tests(struct report_result *out,
                                 struct ca_error *err)
{
    const struct findings *fs = &out->fs;
    size_t i, n = 0;

    out->rtests = calloc(fs->nrules + 1, sizeof(*out->rtests));
    out->tfiles = calloc(fs->nf + 1, sizeof(*out->tfiles));
    if (!out->rtests || !out->tfiles)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    for (i = 0; i < fs->nrules; i++) {
        struct report_test *t = &out->rtests[i];
        const char **rules = calloc(2, sizeof(*rules));
        size_t k;

        if (!rules)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        out->nrtests++;
        rules[0] = fs->rules[i].id;
        t->rules = rules;
        t->nrules = 1;
        t->id = t->title = fs->rules[i].id;
        t->question = "";
        t->type = fs->types.v[fs->rules[i].type];
        t->conditions = "";
        for (k = 0; k < fs->nf && !t->sample; k++)
            if (fs->f[k].rule == i)
                t->sample = fs->samples.v[fs->recs[fs->f[k].rec].sample];
    }
    for (i = 0; i < fs->nf; i++) {
        const struct finding *f = &fs->f[i];
        const struct frecord *re = &fs->recs[f->rec];
        struct report_tfile *tf = &out->tfiles[n++];
        size_t k;

        tf->test = f->rule;
        tf->force = fs->forces.v[re->force];
        tf->id = re->id;
        tf->verdict = tf->tool = f->verdict == V_PASS   ? V_PASS
                                 : f->verdict == V_FAIL ? V_FAIL
                                                        : V_ERROR;
        tf->reasons = "";
        tf->review = TFILE_NO_REVIEW;
        for (k = 0; k < out->nm; k++) {
            uint32_t pop;
            bool spare;

            if (strcmp(out->m[k].name, fs->samples.v[re->sample]) == 0 &&
                sampleinfo_lookup(&out->m[k], re->id, &pop, &spare))
                tf->spare = spare;
        }
        tf->use = tf->spare ? TFU_SPARE : TFU_COUNTED;
    }
    out->ntfiles = n;
    return CA_OK;
}

/* Reviews per rule become the findings' verdicts (as overrides, so that
 * every figure and findings.csv show them), an added finding its
 * evidence, n/a a finding out of the figures. */
static enum ca_status reviews_to_findings(struct report_result *out,
                                          struct ca_error *err)
{
    struct findings *fs = &out->fs;
    size_t i;

    for (i = 0; i < out->ntfiles; i++) {
        const struct report_tfile *tf = &out->tfiles[i];
        const struct review *r = reviews_of(&out->rv, tf);
        uint32_t fi = (uint32_t)i; /* rule_tests made a row per finding */
        struct finding *f = &fs->f[fi];
        enum verdict v;
        char reason[1400];

        if (!r)
            continue;
        if (tf->use == TFU_NA) {
            f->excluded = 1;
            continue;
        }
        if (r->verdict != RV_PASS && r->verdict != RV_FAIL)
            continue;
        if (f->ovr != FINDING_NONE)
            return ca_error_set(err, CA_DATA, out->rv.path, r->line, "id",
                                "'%s' rule '%s' is also overridden (%s line "
                                "%lu): give one or the other",
                                r->id, r->test, fs->ovr_path,
                                fs->ovr[f->ovr].line);
        v = r->verdict == RV_PASS ? V_PASS : V_FAIL;
        snprintf(reason, sizeof(reason), "%s%s%s%s%s",
                 r->added[0] ? "added finding: " : "",
                 r->added[0] ? r->added : r->note,
                 r->reviewed_on[0] ? " (reviewed on " : "", r->reviewed_on,
                 r->reviewed_on[0] ? ")" : "");
        if (findings_add_override(fs, fi, r->id, r->test, r->reviewer, reason,
                                  r->line, v) != 0)
            goto nomem;
        if (r->added[0]) {
            struct evidence *e;

            if (f->ev == FINDING_NONE) {
                e = realloc(fs->ev, (fs->nev + 1) * sizeof(*fs->ev));
                if (!e)
                    goto nomem;
                fs->ev = e;
                e = &fs->ev[fs->nev];
                memset(e, 0, sizeof(*e));
                if (!(e->entry_at = strdup("")) || !(e->excerpt = strdup("")))
                    goto nomem_ev;
                f->ev = (uint32_t)fs->nev++;
            }
            e = &fs->ev[f->ev];
            free(e->message);
            if (!(e->message = malloc(strlen(r->added) + 32)))
                return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                                    "out of memory");
            snprintf(e->message, strlen(r->added) + 32,
                     "reviewer's finding: %s", r->added);
        }
        continue;
    nomem_ev:
        free(fs->ev[fs->nev].entry_at);
        free(fs->ev[fs->nev].excerpt);
        goto nomem;
    }
    return CA_OK;
nomem:
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

/* Add the substitution log to a manifest file of the run (its own), in
 * place and atomically: "substitutions": [{id, force, stratum, rank,
 * spare, spare_rank, reviewer, reviewed_on, reason}]. */
static enum ca_status log_manifest(const struct reviews *rv,
                                   struct sampleinfo *m, struct ca_error *err)
{
    json_t *root, *a;
    json_error_t je;
    struct outfile of;
    enum ca_status st;
    size_t i;
    bool any = false;

    for (i = 0; i < rv->nsub; i++)
        any |= strcmp(rv->sub[i].sample, m->name) == 0;
    if (!any)
        return CA_OK;
    root = json_loadb(m->text, m->textlen, JSON_DECODE_ANY, &je);
    a = json_array();
    if (!root || !a) {
        json_decref(root);
        json_decref(a);
        return ca_error_set(err, CA_SYSTEM, m->path, 0, NULL,
                            "unable to read back the manifest");
    }
    for (i = 0; i < rv->nsub; i++) {
        const struct substitution *u = &rv->sub[i];
        const struct review *r = u->review < rv->n ? &rv->v[u->review] : NULL;
        json_t *o;

        if (strcmp(u->sample, m->name) != 0)
            continue;
        o = json_object();
        json_object_set_new(o, "id", json_string(u->id));
        json_object_set_new(o, "force", json_string(u->force));
        json_object_set_new(o, "stratum", json_string(u->stratum));
        json_object_set_new(o, "rank", json_integer((json_int_t)u->rank));
        json_object_set_new(o, "spare",
                            u->spare ? json_string(u->spare) : json_null());
        json_object_set_new(o, "spare_rank",
                            u->spare ? json_integer((json_int_t)u->spare_rank)
                                     : json_null());
        json_object_set_new(o, "reviewer",
                            r ? json_string(r->reviewer) : json_null());
        json_object_set_new(o, "reviewed_on",
                            r && r->reviewed_on[0] ? json_string(r->reviewed_on)
                                                   : json_null());
        json_object_set_new(o, "reason",
                            json_string(r ? r->note : "not checked"));
        json_array_append_new(a, o);
    }
    json_object_set_new(root, "substitutions", a);
    st = outfile_open(&of, m->path, err);
    if (st != CA_OK) {
        json_decref(root);
        return st;
    }
    if (json_dumpf(root, of.fp,
                   JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                       JSON_REAL_PRECISION(10)) != 0 ||
        fputc('\n', of.fp) == EOF) {
        json_decref(root);
        outfile_abort(&of);
        return ca_error_set(err, CA_SYSTEM, m->path, 0, NULL,
                            "unable to write");
    }
    json_decref(root);
    st = outfile_commit(&of, err);
    if (st != CA_OK)
        return st;
    /* the bundle takes the manifest as it now is */
    {
        char *path = strdup(m->path);

        if (!path)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        sampleinfo_release(m);
        sampleinfo_init(m);
        st = sampleinfo_load(m, path, err);
        free(path);
    }
    return st;
}

/* The reviews and the spares: which rows and findings count. */
static enum ca_status fieldwork(const struct report_job *j,
                                struct report_result *out, struct ca_error *err)
{
    const struct report_test *tests = j->tests;
    size_t ntests = j->ntests, i;
    enum ca_status st;

    if (j->ntfiles) {
        out->tfiles = calloc(j->ntfiles, sizeof(*out->tfiles));
        if (!out->tfiles)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        memcpy(out->tfiles, j->tfiles, j->ntfiles * sizeof(*out->tfiles));
        out->ntfiles = j->ntfiles;
    }
    if (j->reviews) {
        st = reviews_load(&out->rv, j->reviews, err);
        if (st != CA_OK)
            return st;
        if (!j->ntests) {
            st = rule_tests(out, err);
            if (st != CA_OK)
                return st;
            tests = out->rtests;
            ntests = out->nrtests;
        }
        if (!j->ntests && j->implicit_spares) {
            /* a spare checked in place of a drawn file that was not is
             * counted, so a review of it is too */
            struct reviews tmp;
            uint64_t ign;
            uint32_t rec;

            reviews_init(&tmp);
            st = reviews_settle_spares(&tmp, &out->fs, out->m, out->nm, true,
                                       &ign, err);
            reviews_release(&tmp);
            if (st != CA_OK)
                return st;
            for (i = 0; i < out->ntfiles; i++) {
                const struct report_test *t = &tests[out->tfiles[i].test];

                if (out->tfiles[i].spare && t->sample &&
                    findings_find_sample_record(&out->fs, t->sample, t->type,
                                                out->tfiles[i].id, &rec) &&
                    out->fs.recs[rec].substitutes)
                    out->tfiles[i].use = TFU_COUNTED;
            }
        }
        st = reviews_apply(&out->rv, tests, ntests, out->tfiles, out->ntfiles,
                           out->m, out->nm, j->confidence, err);
        if (st != CA_OK)
            return st;
        for (i = 0; i < out->ntfiles; i++) {
            const struct review *r = reviews_of(&out->rv, &out->tfiles[i]);

            if (r && r->added[0])
                out->tfiles[i].reasons = r->added;
        }
        if (!j->ntests) {
            st = reviews_to_findings(out, err);
            if (st != CA_OK)
                return st;
        }
    }
    st = reviews_settle_spares(&out->rv, &out->fs, out->m, out->nm,
                               j->implicit_spares, &out->spares_ignored, err);
    for (i = 0; st == CA_OK && j->log_in_manifests && i < out->nm; i++)
        st = log_manifest(&out->rv, &out->m[i], err);
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
    st = fieldwork(j, out, err);
    if (st != CA_OK)
        return st;
    if (j->inventory) {
        struct stat sb;

        if (stat(j->inventory, &sb) != 0)
            return ca_error_set(err, CA_DATA, j->inventory, 0, NULL,
                                "unable to open: %s", strerror(errno));
    }
    memset(&so, 0, sizeof(so));
    so.confidence = j->confidence;
    so.tolerable = j->tolerable;
    so.prior = j->prior;
    so.manifests = out->m;
    so.nmanifests = out->nm;
    so.by = j->by;
    so.nby = j->nby;
    so.tests = j->tests;
    so.ntests = j->ntests;
    so.tfiles = j->ntests ? out->tfiles : NULL;
    so.ntfiles = j->ntests ? out->ntfiles : 0;
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
    rep.tfiles = j->ntests ? out->tfiles : NULL;
    rep.ntfiles = j->ntests ? out->ntfiles : 0;
    rep.reviews = j->reviews || out->rv.nsub ? &out->rv : NULL;
    rep.spares_ignored = out->spares_ignored;
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
    if (st == CA_OK && (j->worksheet_csv || j->worksheet_xlsx)) {
        struct worksheet w;

        worksheet_init(&w);
        st = worksheet_build(&w, &out->fs, out->m, out->nm, j->tests, j->ntests,
                             j->ntests ? out->tfiles : NULL,
                             j->ntests ? out->ntfiles : 0, !j->no_excerpts,
                             j->as_of, j->nas_of, err);
        if (st == CA_OK && j->worksheet_csv) {
            struct outfile of;

            st = outfile_open(&of, j->worksheet_csv, err);
            if (st == CA_OK) {
                worksheet_write_csv(&w, of.fp);
                st = outfile_commit(&of, err);
            }
        }
        if (st == CA_OK && j->worksheet_xlsx)
            st = worksheet_write_xlsx(&w, j->worksheet_xlsx, err);
        worksheet_release(&w);
    }
    if (st == CA_OK && j->bundle)
        st = write_bundle(j, out, err);
    return st;
}

enum ca_status worksheet_job_run(const char *const *findings, size_t nfindings,
                                 const char *const *manifests,
                                 size_t nmanifests, const char *csv,
                                 const char *xlsx, bool excerpts, size_t *rows,
                                 struct ca_error *err)
{
    struct findings fs;
    struct sampleinfo *m = NULL;
    struct worksheet w;
    enum ca_status st = CA_OK;
    size_t i, nm = 0;

    *rows = 0;
    if (!nfindings)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no findings file given");
    if (!csv && !xlsx)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no output given (-o FILE.csv or FILE.xlsx)");
    findings_init(&fs);
    worksheet_init(&w);
    for (i = 0; i < nfindings && st == CA_OK; i++)
        st = findings_load(&fs, findings[i], err);
    if (st == CA_OK && nmanifests && !(m = calloc(nmanifests, sizeof(*m))))
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    for (i = 0; i < nmanifests && st == CA_OK; i++) {
        sampleinfo_init(&m[i]);
        nm++;
        st = sampleinfo_load(&m[i], manifests[i], err);
    }
    if (st == CA_OK)
        st = worksheet_build(&w, &fs, m, nm, NULL, 0, NULL, 0, excerpts, NULL,
                             0, err);
    if (st == CA_OK && csv) {
        struct outfile of;

        st = outfile_open(&of, csv, err);
        if (st == CA_OK) {
            worksheet_write_csv(&w, of.fp);
            st = outfile_commit(&of, err);
        }
    }
    if (st == CA_OK && xlsx)
        st = worksheet_write_xlsx(&w, xlsx, err);
    *rows = w.n;
    worksheet_release(&w);
    for (i = 0; i < nm; i++)
        sampleinfo_release(&m[i]);
    free(m);
    findings_release(&fs);
    return st;
}
