/* SPDX-License-Identifier: MIT */
/*
 * caseaudit verify --recheck BUNDLE.zip EXPORT...: the audit a bundle
 * records is run again on the export, with the bundle's own rules,
 * lexicon and programme and the parameters it records (seed, plan,
 * confidence, tolerable rate, the as-of date of each force, the time of
 * the run), into a private temporary directory; its findings.csv,
 * files.csv and summary.csv, and the verdicts of summary.json, are then
 * compared with the bundle's.  A bundle whose findings were edited (and
 * SHA256SUMS recomputed) verifies by its hashes but not here.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "cmd/verify_bundle.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "audit/audit.h"
#include "audit/programme.h"
#include "cmd/cmd.h"
#include "cmd/sample_size.h"
#include "engine/rules.h"
#include "report/bundle.h"
#include "samplers/manifest.h"

static const char usage[] =
    "caseaudit verify --recheck BUNDLE.zip INPUT... [--json]";

/* The report tables compared line by line. */
static const char *const tables[] = {"findings.csv", "files.csv", "summary.csv",
                                     NULL};
/* The keys of summary.json compared (they name no path or time). */
static const char *const summary_keys[] = {"tests", "test_groups", "groups",
                                           "counts", NULL};

static int rm_one(const char *p, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(p) : unlink(p)) != 0 && errno != ENOENT;
}

static void remove_tree(const char *dir)
{
    (void)nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write an entry's bytes under dir, creating its folders (mode 0700). */
static enum ca_status put_entry(const char *dir, const struct bundle_entry *e,
                                struct ca_error *err)
{
    char path[4096];
    size_t i, n;
    FILE *fp;
    int w = snprintf(path, sizeof(path), "%s/%s", dir, e->name);

    if (w < 0 || (size_t)w >= sizeof(path))
        return ca_error_set(err, CA_DATA, e->name, 0, NULL,
                            "bundle entry name too long");
    n = strlen(dir) + 1;
    for (i = n; path[i]; i++)
        if (path[i] == '/') {
            path[i] = '\0';
            if (mkdir(path, 0700) != 0 && errno != EEXIST)
                return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                                    "unable to create directory: %s",
                                    strerror(errno));
            path[i] = '/';
        }
    fp = fopen(path, "wb");
    if (!fp)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                            "unable to create: %s", strerror(errno));
    if (fwrite(e->data, 1, e->len, fp) != e->len) {
        fclose(fp);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                            "unable to write: %s", strerror(errno));
    }
    if (fclose(fp) != 0)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                            "unable to write: %s", strerror(errno));
    return CA_OK;
}

static const struct bundle_entry *entry(const struct bundle_contents *c,
                                        const char *name)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (strcmp(c->v[i].name, name) == 0)
            return c->v[i].data ? &c->v[i] : NULL;
    return NULL;
}

/* "YYYY-MM-DD..." as seconds at midnight UTC, or -1. */
static int day_seconds(const char *s, int64_t *out)
{
    char day[11];

    if (!s || strlen(s) < 10)
        return -1;
    memcpy(day, s, 10);
    day[10] = '\0';
    return cmd_parse_as_of(usage, day, out);
}

/* Read a file of the rechecked run (NUL-terminated), or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL, *nb;
    size_t n = 0, alloc = 0, got;

    if (!fp)
        return NULL;
    for (;;) {
        if (n + 65536 + 1 > alloc) {
            alloc = alloc ? alloc * 2 : 131072;
            if (!(nb = realloc(buf, alloc))) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, 65536, fp);
        n += got;
        if (got < 65536)
            break;
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* One line of text at *p (advanced past it), into line (size bytes). */
static const char *next_line(const char **p, char *line, size_t size)
{
    const char *s = *p, *e;
    size_t n;

    if (!*s)
        return NULL;
    e = strchr(s, '\n');
    n = e ? (size_t)(e - s) : strlen(s);
    *p = e ? e + 1 : s + n;
    if (n >= size)
        n = size - 1;
    memcpy(line, s, n);
    line[n] = '\0';
    return line;
}

/* Compare a table line by line: each differing line is a difference
 * (the first three told in full, then a count). */
static uint64_t compare_table(const char *name, const char *was,
                              const char *now, verify_diff_fn fn, void *ctx)
{
    const char *a = was, *b = now;
    char la[1024], lb[1024], msg[2400];
    uint64_t n = 0, line = 0;

    for (;;) {
        const char *x = next_line(&a, la, sizeof(la));
        const char *y = next_line(&b, lb, sizeof(lb));

        if (!x && !y)
            break;
        line++;
        if (x && y && strcmp(x, y) == 0)
            continue;
        if (++n <= 3) {
            snprintf(msg, sizeof(msg),
                     "%s: line %llu: the bundle has '%s', the recheck '%s'",
                     name, (unsigned long long)line, x ? x : "(no line)",
                     y ? y : "(no line)");
            fn(ctx, msg);
        }
    }
    if (n > 3) {
        snprintf(msg, sizeof(msg), "%s: %llu more lines differ", name,
                 (unsigned long long)(n - 3));
        fn(ctx, msg);
    }
    return n;
}

static uint64_t compare_summary(const char *was, const char *path,
                                verify_diff_fn fn, void *ctx)
{
    json_t *a = json_loads(was, 0, NULL), *b = json_load_file(path, 0, NULL);
    uint64_t n = 0;
    char msg[256];
    size_t i;

    if (!a || !b) {
        fn(ctx, "summary.json: cannot be read");
        n = 1;
        goto out;
    }
    for (i = 0; summary_keys[i]; i++)
        if (!json_equal(json_object_get(a, summary_keys[i]),
                        json_object_get(b, summary_keys[i])) &&
            (json_object_get(a, summary_keys[i]) ||
             json_object_get(b, summary_keys[i]))) {
            snprintf(msg, sizeof(msg),
                     "summary.json: \"%s\" differs from the recheck's",
                     summary_keys[i]);
            fn(ctx, msg);
            n++;
        }
out:
    json_decref(a);
    json_decref(b);
    return n;
}

/* A recheck under way: what it found in the bundle and what it made. */
struct recheck {
    const char *bundle;
    const struct bundle_contents *c;
    char tmp[4096], rules[4200], prog_path[4200], out_dir[4200];
    const char *rule_paths[1];
    const struct bundle_entry *man, *pe, *sj;
    struct manifest m;
    struct sample_sizer sizer;
    struct ruleset *rs;
    struct programme *prog;
    struct audit_as_of *table;
    json_t *summary;
    bool made, have_man;
};

/* The bundle's manifest, programme, rules and summary.json, read. */
static enum ca_status recheck_find(struct recheck *rc, struct ca_error *err)
{
    const struct bundle_contents *c = rc->c;
    bool have_rules = false;
    enum ca_status st = CA_OK;
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (c->v[i].manifest && !rc->man)
            rc->man = &c->v[i];
        if (strncmp(c->v[i].name, "programmes/", 11) == 0 && c->v[i].data)
            rc->pe = &c->v[i];
        if (strncmp(c->v[i].name, "rules/", 6) == 0 && c->v[i].data)
            have_rules = true;
    }
    rc->sj = entry(c, "summary.json");
    if (!rc->man || !rc->pe || !have_rules || !rc->sj) {
        st = ca_error_set(err, CA_DATA, rc->bundle, 0, NULL,
                          "not the bundle of a `caseaudit run` (no %s): "
                          "nothing to recheck",
                          !rc->man  ? "manifest"
                          : !rc->pe ? "programme"
                          : !rc->sj ? "summary.json"
                                    : "rules");
        goto out;
    }
    rc->summary = json_loads(rc->sj->data, 0, NULL);
    if (!rc->summary ||
        !json_is_object(json_object_get(rc->summary, "parameters"))) {
        st = ca_error_set(err, CA_DATA, rc->bundle, 0, "summary.json",
                          "not a summary of a run");
        goto out;
    }
    st = verify_bundle_read_manifest(rc->man->name, rc->man->data, rc->man->len,
                                     &rc->m, err);
    if (st != CA_OK)
        goto out;
    rc->have_man = true;
out:
    return st;
}

/* The bundle's rules and programme, in a private directory, loaded. */
static enum ca_status recheck_load(struct recheck *rc, struct ca_error *err)
{
    const struct bundle_contents *c = rc->c;
    const char *tdir = getenv("TMPDIR");
    struct ruleset_opts ro;
    char p[4400];
    enum ca_status st = CA_OK;
    size_t i;

    snprintf(rc->tmp, sizeof(rc->tmp), "%s/caseaudit-recheck-XXXXXX",
             tdir && *tdir ? tdir : "/tmp");
    if (!mkdtemp(rc->tmp)) {
        st = ca_error_set(err, CA_SYSTEM, rc->tmp, 0, NULL,
                          "unable to create a temporary directory: %s",
                          strerror(errno));
        goto out;
    }
    rc->made = true;
    for (i = 0; i < c->n && st == CA_OK; i++)
        if (c->v[i].data &&
            (strncmp(c->v[i].name, "rules/", 6) == 0 || &c->v[i] == rc->pe))
            st = put_entry(rc->tmp, &c->v[i], err);
    if (st != CA_OK)
        goto out;
    snprintf(rc->rules, sizeof(rc->rules), "%s/rules", rc->tmp);
    snprintf(rc->prog_path, sizeof(rc->prog_path), "%s/%s", rc->tmp,
             rc->pe->name);
    snprintf(rc->out_dir, sizeof(rc->out_dir), "%s/out", rc->tmp);
    rc->rule_paths[0] = rc->rules;
    memset(&ro, 0, sizeof(ro));
    snprintf(p, sizeof(p), "%s/lexicon.yaml", rc->rules);
    if (entry(c, "rules/lexicon.yaml"))
        ro.lexicon = p;
    st = ruleset_load(rc->rule_paths, 1, &ro, &rc->rs, err);
    if (st == CA_OK)
        st = programme_load(rc->prog_path, rc->rs, &rc->prog, err);
out:
    return st;
}

/* The parameters the bundle records: plan, seed, confidence, tolerable
 * rate and the time of the run. */
static enum ca_status recheck_params(struct recheck *rc, struct audit_opts *o,
                                     struct ca_error *err)
{
    const char *g;
    json_t *a;
    int64_t day;
    int hh, mm, ss;
    enum ca_status st = CA_OK;

    o->outdir = rc->out_dir;
    o->seed = rc->m.p.seed;
    o->prog = rc->prog;
    o->rs = rc->rs;
    o->rules = rc->rule_paths;
    o->nrules = 1;
    o->plan = &rc->m.p.plan;
    o->census = rc->m.p.plan.mode == PLAN_MODE_CENSUS;
    o->allocation = rc->prog->plan.allocation;
    if (!o->census) {
        if (sample_sizer_from_plan(&rc->sizer, &rc->m.p.plan, usage) != 0) {
            st = ca_error_set(err, CA_DATA, rc->man->name, 0, "plan",
                              "the manifest's plan cannot be used");
            goto out;
        }
        st = sample_sizer_bound(&rc->sizer, &o->size_bound, err);
        if (st != CA_OK)
            goto out;
        o->size = sample_sizer_size;
        o->size_ctx = &rc->sizer;
    }
    a = json_object_get(rc->summary, "parameters");
    if (json_is_number(json_object_get(a, "confidence")))
        o->confidence = json_number_value(json_object_get(a, "confidence"));
    if (json_is_number(json_object_get(a, "tolerable")))
        o->tolerable = json_number_value(json_object_get(a, "tolerable"));
    g = json_string_value(json_object_get(rc->summary, "generated"));
    if (g && day_seconds(g, &day) == 0 && strlen(g) >= 19 &&
        sscanf(g + 11, "%2d:%2d:%2d", &hh, &mm, &ss) == 3)
        o->now = day + hh * 3600 + mm * 60 + ss;
out:
    return st;
}

/* The as-of date of each force, from summary.json. */
static enum ca_status recheck_as_of(struct recheck *rc, struct audit_opts *o,
                                    struct ca_error *err)
{
    json_t *a = json_object_get(rc->summary, "as_of");
    enum ca_status st = CA_OK;
    size_t k;

    if (!json_is_array(a) || json_array_size(a) == 0) {
        st = ca_error_set(err, CA_DATA, rc->bundle, 0, "summary.json",
                          "no as-of dates recorded (a bundle of an older "
                          "version): cannot recheck");
        goto out;
    }
    if (!(rc->table = calloc(json_array_size(a), sizeof(*rc->table)))) {
        st = ca_error_set(err, CA_SYSTEM, rc->bundle, 0, NULL, "out of memory");
        goto out;
    }
    for (k = 0; k < json_array_size(a); k++) {
        json_t *f = json_array_get(a, k);
        const char *force = json_string_value(json_object_get(f, "force"));

        if (!force || day_seconds(json_string_value(json_object_get(f, "date")),
                                  &rc->table[k].as_of) != 0) {
            st = ca_error_set(err, CA_DATA, rc->bundle, 0, "summary.json",
                              "bad as-of date of a force");
            goto out;
        }
        rc->table[k].force = (char *)force;
    }
    o->as_of_rule = AUDIT_AS_OF_TABLE;
    o->as_of_table = rc->table;
    o->nas_of_table = json_array_size(a);
out:
    return st;
}

/* The recheck's tables and summary.json against the bundle's: the number
 * of differences, each told to fn. */
static uint64_t recheck_compare(const struct recheck *rc, verify_diff_fn fn,
                                void *ctx)
{
    char p[4400];
    uint64_t n = 0;
    size_t i;

    for (i = 0; tables[i]; i++) {
        const struct bundle_entry *e = entry(rc->c, tables[i]);
        size_t len = 0;
        char *now;

        snprintf(p, sizeof(p), "%s/%s", rc->out_dir, tables[i]);
        now = slurp(p, &len);
        if (!e && !now)
            continue;
        if (!e || !now) {
            char msg[256];

            snprintf(msg, sizeof(msg), "%s: %s", tables[i],
                     e ? "not written by the recheck"
                       : "missing from the bundle");
            fn(ctx, msg);
            n++;
        } else {
            n += compare_table(tables[i], e->data, now, fn, ctx);
        }
        free(now);
    }
    snprintf(p, sizeof(p), "%s/summary.json", rc->out_dir);
    n += compare_summary(rc->sj->data, p, fn, ctx);
    return n;
}

enum ca_status verify_recheck(const char *bundle,
                              const struct bundle_contents *c,
                              const char *const *inputs, size_t ninputs,
                              verify_diff_fn fn, void *ctx, uint64_t *ndiff,
                              struct ca_error *err)
{
    struct recheck rc;
    struct audit_opts o;
    struct audit_result res;
    enum ca_status st;

    *ndiff = 0;
    memset(&rc, 0, sizeof(rc));
    memset(&res, 0, sizeof(res));
    rc.bundle = bundle;
    rc.c = c;
    if ((st = recheck_find(&rc, err)) != CA_OK ||
        (st = recheck_load(&rc, err)) != CA_OK)
        goto out;
    audit_opts_init(&o);
    o.inputs = inputs;
    o.ninputs = ninputs;
    if ((st = recheck_params(&rc, &o, err)) != CA_OK ||
        (st = recheck_as_of(&rc, &o, err)) != CA_OK)
        goto out;
    st = audit_run(&o, &res, err);
    if (st != CA_OK)
        goto out;
    *ndiff = recheck_compare(&rc, fn, ctx);
out:
    audit_result_release(&res);
    free(rc.table);
    programme_free(rc.prog);
    ruleset_free(rc.rs);
    if (rc.have_man)
        manifest_release(&rc.m);
    json_decref(rc.summary);
    if (rc.made)
        remove_tree(rc.tmp);
    return st;
}
