/* SPDX-License-Identifier: MIT */
/*
 * `caseaudit run` as one library call; see audit.h.  The stages reuse the
 * libraries every other command uses (ingest and inventory, the sample
 * draw, the rule engine, the reconciliation, report_job_run), so each
 * output file is exactly what the single-purpose command would write and
 * can be re-derived with it.  The inputs are read once: that pass feeds
 * the inventory, every sample's frame and draw and the reconciliation
 * (see run_pass.c); a stage reads them again only when the pass cannot
 * stand for its own, and a census reads them a second time to check
 * every file of its frames.
 *
 * This file is the driver: the options, the output directory, the one
 * pass, the reconciliation and the order of the stages; audit/run.h
 * lists the others.
 */
#include "audit/audit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "samplers/alloc.h"

#include "audit/run.h"

/* Output names in the directory, besides report_files[] and the sample
 * files (sample-, manifest-, findings-<name>): what run_owned() knows. */
static const char *const run_files[] = {"inventory.json", "reconcile.json",
                                        "evidence.zip",   "worksheet.csv",
                                        "worksheet.xlsx", NULL};
static const char *const run_sample_files[][2] = {
    {"sample-", ".csv"}, {"manifest-", ".json"}, {"findings-", ".csv"}};

void audit_opts_init(struct audit_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->as_of_rule = AUDIT_AS_OF_LATEST;
    o->now = (int64_t)time(NULL);
    o->confidence = 0.95;
    o->tolerable = 0.10;
}

void audit_unchecked_print(FILE *fp, const struct audit_unchecked *u,
                           const char *sep, const char *where)
{
    fprintf(fp, "%s%s%s%sno %s record%s%s has %s", u->rule_id,
            u->force[0] ? " for " : "", u->force, sep,
            record_type_name(u->type), u->force[0] ? " of that force" : "",
            where, u->field);
}

const char *audit_format_day(int64_t secs, char out[20])
{
    date_format(audit_midnight(secs), false, out);
    return out;
}

/* ---- small helpers ------------------------------------------------------- */

char *run_arena_printf(struct run_arena *s, const char *fmt, ...)
{
    va_list ap;
    char *p = NULL;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    if (s->n == s->alloc) {
        size_t na = s->alloc ? s->alloc * 2 : 16;
        char **nv = realloc(s->v, na * sizeof(*nv));

        if (!nv)
            return NULL;
        s->v = nv;
        s->alloc = na;
    }
    p = malloc((size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->v[s->n++] = p;
    return p;
}

void run_arena_release(struct run_arena *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

char *run_path_join(const char *dir, const char *name)
{
    size_t len = strlen(dir), n;
    char *p;

    while (len > 1 && dir[len - 1] == '/')
        len--; /* "out/" gives out/name */
    n = len + strlen(name) + 2;
    p = malloc(n);
    if (p)
        snprintf(p, n, "%.*s/%s", (int)len, dir, name);
    return p;
}

/* Hand a malloc'd block to the arena (freed with it).  0, or -1 (p is
 * then the caller's to free). */
int run_arena_keep(struct run_arena *s, char *p)
{
    if (s->n == s->alloc) {
        size_t na = s->alloc ? s->alloc * 2 : 16;
        char **nv = realloc(s->v, na * sizeof(*nv));

        if (!nv)
            return -1;
        s->v = nv;
        s->alloc = na;
    }
    s->v[s->n++] = p;
    return 0;
}

/* A copy the run's arena owns; NULL when out of memory. */
char *run_arena_dup(struct run_arena *s, const char *v)
{
    return run_arena_printf(s, "%s", v ? v : "");
}

/* dir/<prefix><name><suffix>, e.g. out/sample-crime.csv */
char *run_name_path(const char *dir, const char *prefix, const char *name,
                    const char *suffix)
{
    char buf[600];

    snprintf(buf, sizeof(buf), "%s%s%s", prefix, name, suffix);
    return run_path_join(dir, buf);
}

enum ca_status run_oom(struct ca_error *err)
{
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

/* Whether the caller has asked the run to stop. */
bool run_stopped(const struct audit_opts *o)
{
    return o->stop && *o->stop;
}

enum ca_status run_stop_check(const struct audit_opts *o, struct ca_error *err)
{
    return run_stopped(o)
               ? ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "interrupted")
               : CA_OK;
}

void run_stage(const struct audit_opts *o, const char *what)
{
    if (o->stage)
        o->stage(o->stage_ctx, what);
}

void audit_result_release(struct audit_result *r)
{
    size_t i;

    for (i = 0; i < r->nas_of; i++)
        free(r->as_of[i].force);
    free(r->as_of);
    free(r->unchecked);
    for (i = 0; i < r->ns; i++) {
        free(r->s[i].strata);
        free(r->s[i].strata_dropped);
        free(r->s[i].sample_csv);
        free(r->s[i].manifest);
        free(r->s[i].findings);
        free(r->s[i].undecided_why);
    }
    free(r->s);
    for (i = 0; i < r->ntests; i++)
        free((void *)r->tests[i].rules);
    free(r->tests);
    free(r->tfiles);
    free(r->tskips);
    free(r->counts);
    reconcile_result_release(&r->rec);
    report_result_release(&r->rep);
    free(r->inventory);
    free(r->reconcile_json);
    free(r->report_html);
    free(r->files_csv);
    free(r->bundle);
    free(r->worksheet_csv);
    free(r->worksheet_xlsx);
    if (r->priv) {
        run_arena_release(r->priv);
        free(r->priv);
    }
    memset(r, 0, sizeof(*r));
}

/* ---- options and the output directory ------------------------------------ */

static enum ca_status check_opts(const struct audit_opts *o,
                                 struct ca_error *err)
{
    size_t i;

    if (!o->outdir || !*o->outdir)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no output directory given");
    if (!o->ninputs)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL, "no input given");
    for (i = 0; i < o->ninputs; i++)
        if (strcmp(o->inputs[i], "-") == 0)
            return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                "run reads its inputs several times: give "
                                "files, directories or archives, not "
                                "standard input");
    if (!o->seed || !*o->seed)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL, "no seed given");
    if (!o->census &&
        (!o->plan || (o->plan->mode != PLAN_MODE_FIXED && !o->size)))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no sample-size plan given");
    if (!o->prog || !o->rs)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no programme or rules given");
    if (o->allocation) {
        struct alloc_spec a;

        if (alloc_parse(o->allocation, &a) != 0)
            return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                                "bad allocation '%s' (proportional, equal or "
                                "min:K)",
                                o->allocation);
    }
    return CA_OK;
}

/* Refuse an outdir we must not write into (before reading anything). */
static enum ca_status check_outdir(const struct audit_opts *o,
                                   struct ca_error *err)
{
    return outdir_check(o->outdir, o->force, err);
}

static bool name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncmp(name, want, n) == 0;
}

/* outdir_owned_fn: the files a run writes, whatever its programme (an
 * earlier run's are replaced, or removed when this run does not write
 * them; every other file of the directory is kept), and the temporary
 * file of one (<name>.tmp-XXXXXX) an interrupted write left. */
static bool run_owned(const char *name)
{
    size_t n = strlen(name), i;

    if (n > 11 && strncmp(name + n - 11, ".tmp-", 5) == 0)
        n -= 11;
    for (i = 0; report_files[i]; i++)
        if (name_is(name, n, report_files[i]))
            return true;
    for (i = 0; run_files[i]; i++)
        if (name_is(name, n, run_files[i]))
            return true;
    for (i = 0; i < 3; i++) {
        size_t pl = strlen(run_sample_files[i][0]);
        size_t sl = strlen(run_sample_files[i][1]);

        if (n > pl + sl && strncmp(name, run_sample_files[i][0], pl) == 0 &&
            strncmp(name + n - sl, run_sample_files[i][1], sl) == 0)
            return true;
    }
    return false;
}

/* ---- the stages ------------------------------------------------------- */

/* Options, the output directory and the reviews file checked before any
 * reading; the run's state allocated and the tests resolved. */
static enum ca_status run_prepare(struct run_state *s, struct ca_error *err)
{
    const struct audit_opts *o = s->o;
    const struct programme *prog = o->prog;
    struct audit_result *out = s->out;
    enum ca_status st;
    size_t i;

    st = check_opts(o, err);
    if (st == CA_OK)
        st = check_outdir(o, err);
    if (st == CA_OK && o->reviews) {
        /* a reviews file that is no worksheet stops the run before any
         * reading; its rows are matched to the files once checked */
        struct reviews rv;

        reviews_init(&rv);
        st = reviews_load(&rv, o->reviews, err);
        reviews_release(&rv);
    }
    if (st != CA_OK)
        return st;
    if (!(s->arena = calloc(1, sizeof(*s->arena))))
        return run_oom(err);
    out->priv = s->arena;
    out->ns = prog->nframes;
    out->s = calloc(prog->nframes + 1, sizeof(*out->s));
    s->rt = calloc(prog->nframes + 1, sizeof(*s->rt));
    s->trt = calloc(prog->ntests + 1, sizeof(*s->trt));
    s->judges = calloc(prog->nframes + 1, sizeof(*s->judges));
    s->used = run_programme_rules(prog, o->rs);
    s->findings = calloc(prog->nframes + 1, sizeof(*s->findings));
    s->manifests = calloc(prog->nframes + 1, sizeof(*s->manifests));
    s->fsamples = calloc(prog->nframes + 1, sizeof(*s->fsamples));
    if (!out->s || !s->rt || !s->trt || !s->judges || !s->used ||
        !s->findings || !s->manifests || !s->fsamples)
        return run_oom(err);
    for (i = 0; i < ruleset_count(o->rs); i++)
        out->nrules += s->used[i];
    st = run_set_tests(o, out, s->arena, s->trt, err);
    if (st != CA_OK)
        return st;
    out->programme.id = prog->id;
    out->programme.title = prog->title;
    out->programme.description = prog->description;
    out->programme.path = prog->path;
    out->programme.sha256 = prog->sha256;
    out->programme.refs = (const char *const *)prog->refs;
    out->programme.nrefs = prog->nrefs;
    out->programme.census = o->census;
    return CA_OK;
}

/* Ready sample i for the one pass: its frame's conditions, the fields
 * they read and the rules of its tests. */
static enum ca_status sample_start(struct run_state *s, size_t i,
                                   struct ca_error *err)
{
    const struct audit_opts *o = s->o;
    const struct programme *prog = o->prog;
    struct smp_rt *r = &s->rt[i];
    struct audit_sample *as = &s->out->s[i];
    size_t k, q;

    as->frame = i;
    as->type = prog->frames[i].type;
    as->name = prog->frames[i].name;
    r->o = o;
    r->s = as;
    r->fr = &prog->frames[i];
    r->err = (struct ca_error)CA_ERROR_INIT;
    idmap_init(&r->ids);
    s->x.want[as->type] |= run_frame_want(r->fr);
    r->lack = calloc(r->fr->nstrata + 1, sizeof(*r->lack));
    r->only = calloc(ruleset_count(o->rs) + 1, 1);
    if (!r->lack || !r->only)
        return run_oom(err);
    for (k = 0; k < r->fr->ntests; k++) {
        const struct test_rt *t = &s->trt[r->fr->tests[k]];

        for (q = 0; q < t->nrules; q++)
            r->only[rule_index(t->rules[q])] = 1;
    }
    r->wanted = true;
    return audit_frame_new(prog, i, &r->af, err);
}

/* The one pass: inventory, types, fields, as-of, every sample's frame and
 * draw, and the reconciliation; then the rules left out, the as-of dates
 * and the tests that cannot be run. */
static enum ca_status run_read(struct run_state *s, struct ca_error *err)
{
    const struct audit_opts *o = s->o;
    struct audit_result *out = s->out;
    struct inv_ctx *x = &s->x;
    struct ingest_opts io;
    enum ca_status st;
    size_t i;

    run_stage(o, "reading the inputs");
    x->inv = inventory_new(NULL, 0);
    if (!x->inv)
        return run_oom(err);
    x->now = o->now;
    run_inv_start(x);
    for (i = 0; i < ruleset_count(o->rs); i++) {
        const struct rule *r = ruleset_rule(o->rs, i);

        if (s->used[i])
            x->want[rule_type(r)] |= run_rule_want(r);
    }
    for (i = 0; i < o->prog->nframes; i++) {
        st = sample_start(s, i, err);
        if (st != CA_OK)
            return st;
    }
    memset(&s->op, 0, sizeof(s->op));
    s->op.x = x;
    s->op.o = o;
    s->op.rt = s->rt;
    s->op.ns = o->prog->nframes;
    s->op.rerr = (struct ca_error)CA_ERROR_INIT;
    /* named suspects outstanding: the programme's frame decides */
    st = audit_outstanding_new(o->prog, &s->outstanding, err);
    if (st != CA_OK)
        return st;
    if (reconcile_begin(&s->op.rc, audit_outstanding_test, s->outstanding,
                        &s->op.rerr) != CA_OK)
        s->op.rc = NULL;
    ingest_opts_init(&io);
    io.progress = o->on_progress != NULL;
    io.on_progress = o->on_progress;
    io.progress_ctx = o->progress_ctx;
    st = ingest_run(o->inputs, o->ninputs, &io, run_one_record, run_one_reject,
                    &s->op, &s->stats, err);
    if (x->oom)
        st = run_oom(err);
    if (st == CA_OK)
        st = run_stop_check(o, err);
    if (st != CA_OK)
        return st;
    for (i = 0; i < s->stats.nnotes; i++)
        if (s->stats.notes[i].error)
            return ca_error_set(err, CA_DATA, s->stats.notes[i].source, 0, NULL,
                                "%s", s->stats.notes[i].message);
    out->rows_read = s->stats.rows_read;
    out->rows_accepted = s->stats.rows_accepted;
    out->rows_rejected = s->stats.rows_rejected;
    memcpy(out->records, x->n, sizeof(out->records));
    s->exact = run_one_pass_exact(&s->op, &s->stats);
    if (run_find_unchecked(x, o->rs, s->used, out) != 0)
        return run_oom(err);
    st = run_set_as_of(o, x, out, err);
    if (st == CA_OK)
        st = run_set_skips(o, x, out, s->arena, s->trt, err);
    return st;
}

/* Everything read: now write, into a staging directory that is put in
 * place whole at the end (util/outdir.h).  The output names, and the
 * inventory written. */
static enum ca_status run_open_outputs(struct run_state *s,
                                       struct ca_error *err)
{
    const struct audit_opts *o = s->o;
    struct audit_result *out = s->out;
    enum ca_status st;
    size_t i;

    st = run_stop_check(o, err);
    if (st == CA_OK)
        st = outdir_begin(&s->od, o->outdir, o->force, run_owned, err);
    if (st != CA_OK)
        return st;
    s->dir = s->od.path;
    for (i = 0; i < o->prog->nframes; i++) {
        struct audit_sample *as = &out->s[i];

        if (!as->drawn)
            continue;
        if ((!o->census && !(as->sample_csv = run_name_path(
                                 s->dir, "sample-", as->name, ".csv"))) ||
            !(as->manifest =
                  run_name_path(s->dir, "manifest-", as->name, ".json")) ||
            !(as->findings =
                  run_name_path(s->dir, "findings-", as->name, ".csv")))
            return run_oom(err);
        s->findings[s->nf] = as->findings;
        s->manifests[s->nf] = as->manifest;
        s->fsamples[s->nf] = as->name;
        s->nf++;
    }
    if (!(out->inventory = run_path_join(s->dir, "inventory.json")) ||
        !(out->report_html = run_path_join(s->dir, "report.html")) ||
        !(out->files_csv = run_path_join(s->dir, "files.csv")) ||
        !(out->bundle = run_path_join(s->dir, "evidence.zip")) ||
        !(out->worksheet_csv = run_path_join(s->dir, "worksheet.csv")) ||
        !(out->worksheet_xlsx = run_path_join(s->dir, "worksheet.xlsx")))
        return run_oom(err);
    return run_write_json(out->inventory, inventory_json(s->x.inv, &s->stats),
                          err);
}

/* The reconciliation fed in the one pass, ended; its first error is
 * raised here, where a pass of its own would have met it. */
static enum ca_status reconcile_from_pass(struct run_state *s,
                                          struct ca_error *err)
{
    struct reconcile_result *rec = &s->out->rec;
    enum ca_status st;

    if (s->op.rst != CA_OK) {
        *err = s->op.rerr;
        return s->op.rst;
    }
    st = reconcile_end(s->op.rc, rec, err);
    if (st != CA_OK)
        return st;
    run_type_stats(&s->op, &s->stats, RT_CRIME, &rec->crimes);
    run_type_stats(&s->op, &s->stats, RT_INCIDENT, &rec->incidents);
    if (s->x.n[RT_BAIL]) {
        rec->have_bail = true;
        run_type_stats(&s->op, &s->stats, RT_BAIL, &rec->bail);
    }
    /* borrowed inputs: the result must not free them */
    rec->crimes.inputs = rec->incidents.inputs = rec->bail.inputs = NULL;
    rec->crimes.ninputs = rec->incidents.ninputs = rec->bail.ninputs = 0;
    return CA_OK;
}

/* Reconcile every crime against the incidents (and bail), and write
 * reconcile.json; skipped, with the reason, without both types. */
static enum ca_status run_reconcile(struct run_state *s, struct ca_error *err)
{
    const struct audit_opts *o = s->o;
    struct audit_result *out = s->out;
    struct reconcile_opts ro;
    enum ca_status st;

    st = run_stop_check(o, err);
    if (st != CA_OK)
        return st;
    if (!s->x.n[RT_CRIME] || !s->x.n[RT_INCIDENT]) {
        out->reconcile_skipped = "needs both crime and incident records";
        return CA_OK;
    }
    if (s->x.crime_no_incident_ref) {
        out->reconcile_skipped = "the crime records have no incident_ref "
                                 "column";
        return CA_OK;
    }
    run_stage(o, "reconciling crimes with incidents");
    memset(&ro, 0, sizeof(ro));
    ro.crimes = o->inputs;
    ro.ncrimes = o->ninputs;
    ro.incidents = o->inputs;
    ro.nincidents = o->ninputs;
    ro.outstanding = audit_outstanding_test;
    ro.outstanding_ctx = s->outstanding;
    if (s->x.n[RT_BAIL]) {
        ro.bail = o->inputs;
        ro.nbail = o->ninputs;
    }
    if (s->exact && s->op.rc)
        st = reconcile_from_pass(s, err);
    else
        st = reconcile_run(&ro, &out->rec, err);
    if (st != CA_OK)
        return st;
    out->reconciled = true;
    if (!(out->reconcile_json = run_path_join(s->dir, "reconcile.json")))
        return run_oom(err);
    st = run_write_json(out->reconcile_json, reconcile_json(&out->rec), err);
    if (st != CA_OK)
        return st;
    s->extra[s->nextra].name = "reconcile.json";
    s->extra[s->nextra].path = out->reconcile_json;
    s->extra[s->nextra].data = NULL;
    s->extra[s->nextra].len = 0;
    s->nextra++;
    return CA_OK;
}

static void run_state_init(struct run_state *s, const struct audit_opts *o,
                           struct audit_result *out)
{
    memset(s, 0, sizeof(*s));
    s->o = o;
    s->out = out;
    strtab_init(&s->x.forces);
    log_entries_init(&s->x.le);
}

static void run_state_release(struct run_state *s)
{
    const struct programme *prog = s->o->prog;
    size_t i;

    if (s->rt)
        for (i = 0; i < prog->nframes; i++)
            run_sample_release(&s->rt[i]);
    free(s->rt);
    if (s->trt)
        for (i = 0; i < prog->ntests; i++)
            free(s->trt[i].rules);
    free(s->trt);
    if (s->judges)
        for (i = 0; i < prog->nframes; i++) {
            buf_release(&s->judges[i].fails);
            buf_release(&s->judges[i].errors);
        }
    free(s->judges);
    free(s->skip);
    free(s->used);
    free(s->findings);
    free(s->manifests);
    free(s->fsamples);
    reconcile_free(s->op.rc);
    audit_outstanding_free(s->outstanding);
    inventory_free(s->x.inv);
    strtab_release(&s->x.forces);
    free(s->x.fs);
    log_entries_release(&s->x.le);
    ingest_stats_release(&s->stats);
}

enum ca_status audit_run(const struct audit_opts *o, struct audit_result *out,
                         struct ca_error *err)
{
    struct run_state s;
    enum ca_status st;

    memset(out, 0, sizeof(*out));
    run_state_init(&s, o, out);
    reconcile_result_init(&out->rec);
    findings_init(&out->rep.fs);
    summary_init(&out->rep.s);

    st = run_prepare(&s, err);
    if (st == CA_OK)
        st = run_read(&s, err);
    if (st == CA_OK)
        st = run_choose_samples(&s, err);
    if (st == CA_OK)
        st = run_open_outputs(&s, err);
    if (st == CA_OK)
        st = run_samples(&s, err);
    if (st == CA_OK && o->census)
        st = run_census(&s, err);
    if (st == CA_OK)
        st = run_reconcile(&s, err);
    if (st == CA_OK)
        st = run_report(&s, err);
    if (st == CA_OK)
        st = run_stop_check(o, err);
    if (st == CA_OK)
        st = run_finish(&s, err);
    if (st != CA_OK) {
        char shown[sizeof(err->file)];
        const char *f;

        if (run_stopped(o)) {
            ca_error_clear(err);
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "interrupted");
        } else if ((f = outdir_shown(&s.od, err->file, shown, sizeof(shown))) !=
                   err->file) {
            snprintf(err->file, sizeof(err->file), "%s", f);
        }
        /* nothing of this run stays */
        outdir_abort(&s.od);
    }
    run_state_release(&s);
    return st;
}
