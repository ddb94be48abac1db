/* SPDX-License-Identifier: MIT */
/*
 * The output stage of `caseaudit run` (audit/run.h): the JSON files, the
 * report parameters and counts, the report job (report_job_run writes the
 * report, files.csv, the worksheet and the evidence bundle) and the
 * staging directory put in place.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/outfile.h"

#include "audit/run.h"

/* Write j (a new reference, consumed; NULL means out of memory) as
 * indented JSON to path. */
enum ca_status run_write_json(const char *path, json_t *j, struct ca_error *err)
{
    struct outfile of;
    enum ca_status st;

    if (!j)
        return run_oom(err);
    st = outfile_open(&of, path, err);
    if (st != CA_OK) {
        json_decref(j);
        return st;
    }
    if (json_dumpf(j, of.fp,
                   JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                       JSON_REAL_PRECISION(10)) != 0 ||
        fputc('\n', of.fp) == EOF) {
        json_decref(j);
        outfile_abort(&of);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                            "unable to write: %s", strerror(errno));
    }
    json_decref(j);
    return outfile_commit(&of, err);
}

/* A path under the staging directory as the path it will have. */
static int rebase(const struct outdir *d, char **p)
{
    char buf[4096];
    const char *shown;
    char *n;

    if (!*p || (shown = outdir_shown(d, *p, buf, sizeof(buf))) == *p)
        return 0;
    if (!(n = strdup(shown)))
        return -1;
    free(*p);
    *p = n;
    return 0;
}

/* ---- report parameters --------------------------------------------------- */

static void hex_prefix(const unsigned char *d, char out[65])
{
    static const char hx[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < 32; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[64] = '\0';
}

/* Text of the as-of dates: one date, or dates with their forces. */
static char *as_of_text(const struct audit_opts *o,
                        const struct audit_result *res, struct run_arena *arena)
{
    char *buf = NULL, day[20];
    size_t len = 0, i, j;
    FILE *mf = open_memstream(&buf, &len);
    bool one = true;
    char *p;

    if (!mf)
        return NULL;
    for (i = 1; i < res->nas_of; i++)
        if (res->as_of[i].as_of != res->as_of[0].as_of)
            one = false;
    if (res->nas_of == 0) {
        fputs("-", mf);
    } else if (one) {
        fputs(audit_format_day(res->as_of[0].as_of, day), mf);
    } else {
        /* group forces by date, in force order of first appearance */
        for (i = 0; i < res->nas_of; i++) {
            bool seen = false;

            for (j = 0; j < i; j++)
                if (res->as_of[j].as_of == res->as_of[i].as_of)
                    seen = true;
            if (seen)
                continue;
            fprintf(mf, "%s%s (", i ? "; " : "",
                    audit_format_day(res->as_of[i].as_of, day));
            for (j = i; j < res->nas_of; j++)
                if (res->as_of[j].as_of == res->as_of[i].as_of)
                    fprintf(mf, "%s%s", j > i ? ", " : "", res->as_of[j].force);
            fputs(")", mf);
        }
    }
    switch (o->as_of_rule) {
    case AUDIT_AS_OF_GIVEN:
        fputs(", as given (--as-of)", mf);
        break;
    case AUDIT_AS_OF_TABLE:
        fputs(", as the run being rechecked run_judged each force", mf);
        break;
    case AUDIT_AS_OF_NEXT_MONTH:
        fputs(": the generator's as-of date of the demo export (midnight "
              "starting the month after its latest event)",
              mf);
        break;
    default:
        fputs(": the latest date in each force's records (case-log entries "
              "and dates of events; not the scheduled bail_end), so that no "
              "gap is measured beyond what the export shows",
              mf);
        break;
    }
    if (res->future_dates)
        fprintf(mf, "; %" PRIu64 " dates after the day of the run ignored",
                res->future_dates);
    fputs(". Open files are run_judged at this date.", mf);
    if (fclose(mf) != 0) {
        free(buf);
        return NULL;
    }
    p = run_arena_printf(arena, "%s", buf);
    free(buf);
    return p;
}

/* A memstream's text into the arena; NULL when out of memory. */
static char *mf_close(FILE *mf, char **buf, struct run_arena *arena)
{
    char *p = NULL;

    if (fclose(mf) == 0)
        p = run_arena_printf(arena, "%s", *buf ? *buf : "");
    free(*buf);
    *buf = NULL;
    return p;
}

static enum ca_status
build_params(const struct audit_opts *o, const struct audit_result *res,
             const struct ingest_stats *st, struct run_arena *arena,
             struct report_param **out, size_t *nout, struct ca_error *err)
{
    struct report_param *p;
    size_t n = 0, i, k, cap = o->nparams + 16;
    char *buf = NULL;
    size_t len = 0;
    FILE *mf;

    p = calloc(cap, sizeof(*p));
    if (!p)
        return run_oom(err);
    *out = p;
    for (i = 0; i < o->nparams; i++)
        p[n++] = o->params[i];

    p[n].name = "programme";
    p[n++].value = run_arena_printf(arena, "%s: %s (%s, SHA-256 %s); %zu tests",
                                    o->prog->id, o->prog->title, o->prog->path,
                                    o->prog->sha256, o->prog->ntests);
    /* inputs with their size and hash */
    if (!(mf = open_memstream(&buf, &len)))
        return run_oom(err);
    for (i = 0; i < st->ninputs; i++) {
        char hex[65];

        hex_prefix(st->inputs[i].sha256, hex);
        fprintf(mf, "%s%s (%" PRIu64 " bytes, SHA-256 %s)", i ? "; " : "",
                st->inputs[i].path, st->inputs[i].bytes, hex);
    }
    p[n].name = "inputs";
    p[n++].value = mf_close(mf, &buf, arena);
    p[n].name = "records";
    p[n++].value = run_arena_printf(
        arena,
        "%" PRIu64 " crime, %" PRIu64 " wanted, %" PRIu64 " bail, %" PRIu64
        " incident; %" PRIu64 " rows read, %" PRIu64 " rejected at ingest",
        res->records[RT_CRIME], res->records[RT_WANTED], res->records[RT_BAIL],
        res->records[RT_INCIDENT], res->rows_read, res->rows_rejected);
    p[n].name = "selection";
    p[n++].value =
        o->census
            ? run_arena_printf(arena,
                               "census (--census): every file of each test's "
                               "frame checked, no sampling; seed '%s' (the "
                               "manifests' rank keys)",
                               o->seed)
        : o->spares
            ? run_arena_printf(
                  arena,
                  "hash method, seed '%s': per force and sample, "
                  "the files whose SHA-256 of '<seed>:<id>' is "
                  "smallest; %u spare%s per force and stratum (the "
                  "next smallest), checked by the rules and "
                  "counted only where one takes the place of a "
                  "drawn file a reviewer could not obtain",
                  o->seed, o->spares, o->spares == 1 ? "" : "s")
            : run_arena_printf(arena,
                               "hash method, seed '%s': per force and sample, "
                               "the files whose SHA-256 of '<seed>:<id>' is "
                               "smallest; no spares",
                               o->seed);
    /* the samples: frame, strata */
    if (!(mf = open_memstream(&buf, &len)))
        return run_oom(err);
    for (i = 0; i < res->ns; i++) {
        const struct audit_sample *s = &res->s[i];
        const struct programme_frame *fr = &o->prog->frames[s->frame];

        fprintf(mf, "%s%s (", i ? "; " : "", s->name);
        for (k = 0; k < fr->ntests; k++)
            fprintf(mf, "%s%s", k ? ", " : "", o->prog->tests[fr->tests[k]].id);
        fprintf(mf, "): %s %s", record_type_name(s->type),
                fr->cond ? "files in its frame" : "files, all");
        if (!s->drawn) {
            fprintf(mf, ", not drawn: %s", s->skipped ? s->skipped : "-");
            continue;
        }
        fprintf(mf, ", strata %s",
                s->strata ? s->strata : "none (one stratum per force)");
        if (s->strata_dropped)
            fprintf(mf, " (%s left out: not every file has it)",
                    s->strata_dropped);
        if (s->undecided)
            fprintf(mf,
                    "; %" PRIu64 " files kept in the frame because its "
                    "conditions could not be run_judged on them (%s)",
                    s->undecided, s->undecided_why ? s->undecided_why : "");
    }
    p[n].name = "samples";
    p[n++].value = mf_close(mf, &buf, arena);
    p[n].name = "allocation";
    p[n++].value = run_arena_printf(arena, "%s",
                                    o->census       ? "none (census)"
                                    : o->allocation ? o->allocation
                                                    : "proportional");
    p[n].name = "as of";
    p[n++].value = as_of_text(o, res, arena);
    if (!(mf = open_memstream(&buf, &len)))
        return run_oom(err);
    fprintf(mf, "%zu rules named by the programme, from ", res->nrules);
    for (i = 0; i < o->nrules; i++)
        fprintf(mf, "%s%s", i ? ", " : "", o->rules[i]);
    p[n].name = "rules";
    p[n++].value = mf_close(mf, &buf, arena);
    if (res->nunchecked) {
        if (!(mf = open_memstream(&buf, &len)))
            return run_oom(err);
        for (i = 0; i < res->nunchecked; i++) {
            fputs(i ? "; " : "", mf);
            audit_unchecked_print(mf, &res->unchecked[i], " (", "");
            fputc(')', mf);
        }
        p[n].name = "rules not checked";
        p[n++].value = mf_close(mf, &buf, arena);
    }
    for (i = 0; i < n; i++)
        if (!p[i].value)
            return run_oom(err);
    *nout = n;
    return CA_OK;
}

/* The programme's counts, as the report shows them. */
static enum ca_status set_counts(const struct audit_opts *o,
                                 struct audit_result *out,
                                 struct run_arena *arena, struct ca_error *err)
{
    const struct programme *p = o->prog;
    size_t i;

    out->counts = calloc(p->ncounts + 1, sizeof(*out->counts));
    if (!out->counts)
        return run_oom(err);
    for (i = 0; i < p->ncounts; i++) {
        const struct programme_count *c = &p->counts[i];
        struct report_count *rc = &out->counts[out->ncounts++];

        rc->name = programme_count_name(c->kind);
        if (c->test >= 0) {
            const struct programme_test *t = &p->tests[c->test];
            const struct audit_sample *s = &out->s[t->frame];

            rc->test = t->id;
            if (s->drawn)
                rc->sample = s->name;
            else
                rc->not_counted =
                    run_arena_printf(arena, "the frame of %s was not drawn: %s",
                                     t->id, s->skipped ? s->skipped : "-");
        } else if (!out->reconciled) {
            rc->not_counted = out->reconcile_skipped;
        } else if (c->kind == PC_FAILED_TO_ANSWER && !out->rec.have_bail) {
            rc->not_counted = "no bail records in the input";
        }
        if (c->kind == PC_RECORDING_ROUTE && !out->reconciled)
            rc->not_counted = out->reconcile_skipped;
        if (!rc->not_counted && !rc->sample && !out->reconciled)
            rc->not_counted = "not counted";
        if (rc->not_counted == NULL && c->test >= 0 && !rc->sample)
            return run_oom(err);
    }
    return CA_OK;
}

/* The report job of the run: its files, the tests and their verdicts. */
static void fill_job(const struct run_state *s,
                     const struct report_param *params, size_t nparams,
                     const struct ws_as_of *wsa, struct report_job *j)
{
    const struct audit_opts *o = s->o;
    struct audit_result *out = s->out;

    report_job_init(j);
    j->findings = s->findings;
    j->nfindings = s->nf;
    j->findings_samples = s->fsamples;
    j->manifests = s->manifests;
    j->nmanifests = s->nf;
    j->inventory = out->inventory;
    j->rules = o->rules;
    j->nrules = o->nrules;
    j->lexicon = o->rs ? ruleset_lexicon_path(o->rs) : NULL;
    j->outdir = s->dir;
    j->outdir_shown = o->outdir;
    j->force = true; /* our own files are in it already */
    j->bundle = out->bundle;
    j->confidence = o->confidence;
    j->tolerable = o->tolerable;
    j->prior = o->prior;
    j->argv = o->argv;
    j->argc = o->argc;
    j->params = params;
    j->nparams = nparams;
    j->reconcile = out->reconciled ? &out->rec : NULL;
    j->extra = s->extra;
    j->nextra = s->nextra;
    j->programme = &out->programme;
    j->programme_file = o->prog->path;
    j->tests = out->tests;
    j->ntests = out->ntests;
    j->tfiles = out->tfiles;
    j->ntfiles = out->ntfiles;
    j->tskips = out->tskips;
    j->ntskips = out->ntskips;
    j->counts = out->counts;
    j->ncounts = out->ncounts;
    j->reviews = o->reviews;
    j->worksheet_csv = out->worksheet_csv;
    j->worksheet_xlsx = out->worksheet_xlsx;
    j->no_excerpts = o->no_excerpts;
    j->log_in_manifests = true;
    j->as_of = wsa;
    j->nas_of = out->nas_of;
}

enum ca_status run_report(struct run_state *s, struct ca_error *err)
{
    const struct audit_opts *o = s->o;
    const struct programme *prog = o->prog;
    struct audit_result *out = s->out;
    struct report_job j;
    struct report_param *params = NULL;
    struct ws_as_of *wsa = NULL;
    char(*days)[20] = NULL;
    size_t nparams = 0, i;
    enum ca_status st;

    st = set_counts(o, out, s->arena, err);
    if (st != CA_OK)
        goto out;
    for (i = 0; i < prog->ntests; i++)
        if (!out->tests[i].not_run)
            out->tests[i].sample = out->s[prog->tests[i].frame].name;

    st = run_stop_check(o, err);
    if (st != CA_OK)
        goto out;
    run_stage(o, "writing the report and the evidence bundle");
    st = build_params(o, out, &s->stats, s->arena, &params, &nparams, err);
    if (st != CA_OK)
        goto out;
    wsa = calloc(out->nas_of + 1, sizeof(*wsa));
    days = calloc(out->nas_of + 1, sizeof(*days));
    if (!wsa || !days) {
        st = run_oom(err);
        goto out;
    }
    for (i = 0; i < out->nas_of; i++) {
        wsa[i].force = out->as_of[i].force;
        wsa[i].day = audit_format_day(out->as_of[i].as_of, days[i]);
    }
    fill_job(s, params, nparams, wsa, &j);
    report_result_release(&out->rep);
    st = report_job_run(&j, &out->rep, err);
out:
    free(wsa);
    free(days);
    free(params);
    return st;
}

enum ca_status run_finish(struct run_state *s, struct ca_error *err)
{
    struct audit_result *out = s->out;
    const struct outdir *od = &s->od;
    int bad = rebase(od, &out->inventory) || rebase(od, &out->reconcile_json) ||
              rebase(od, &out->report_html) || rebase(od, &out->files_csv) ||
              rebase(od, &out->bundle) || rebase(od, &out->worksheet_csv) ||
              rebase(od, &out->worksheet_xlsx);
    size_t i;

    for (i = 0; i < out->ns && !bad; i++)
        bad = rebase(od, &out->s[i].sample_csv) ||
              rebase(od, &out->s[i].manifest) ||
              rebase(od, &out->s[i].findings);
    return bad ? run_oom(err) : outdir_commit(&s->od, err);
}
