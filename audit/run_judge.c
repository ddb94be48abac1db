/* SPDX-License-Identifier: MIT */
/*
 * Rules and tests in `caseaudit run` (audit/run.h): the rules left out
 * because the export lacks a field they read, the tests that cannot be
 * run (for a force or at all), and each checked file's verdict per test,
 * as the check of a sample hands them over.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/run.h"

/* ---- rules left out, tests not run --------------------------------------- */

/* The canonical fields a list of field names holds, as a mask of CF bits
 * (fields that are not canonical are not tracked: never taken as
 * missing). */
static uint64_t fields_want(const char *const *names, size_t n)
{
    uint64_t m = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        int f = cf_lookup(names[i]);

        if (f >= 0 && f < 64)
            m |= (uint64_t)1 << f;
    }
    return m;
}

uint64_t run_rule_want(const struct rule *r)
{
    uint64_t m = 0;
    size_t i;

    for (i = 0; i < rule_nfields(r); i++) {
        const char *f = rule_field(r, i);

        m |= fields_want(&f, 1);
    }
    return m;
}

uint64_t run_frame_want(const struct programme_frame *fr)
{
    uint64_t m = 0;
    size_t i;

    for (i = 0; fr->cond && i < engine_condition_nfields(fr->cond); i++) {
        const char *f = engine_condition_field(fr->cond, i);

        m |= fields_want(&f, 1);
    }
    return m;
}

/* The rules the programme's tests name, as flags per rule index. */
unsigned char *run_programme_rules(const struct programme *p,
                                   const struct ruleset *rs)
{
    unsigned char *used = calloc(ruleset_count(rs) + 1, 1);
    size_t i, k;

    if (!used)
        return NULL;
    for (i = 0; i < p->ntests; i++)
        for (k = 0; k < p->tests[i].nrules; k++) {
            const struct rule *r = ruleset_find(rs, p->tests[i].rules[k]);

            if (r)
                used[rule_index(r)] = 1;
        }
    return used;
}

/* Rules left out because the export lacks a field they read: for a force
 * when no record of the rule's type from that force has it (its verdicts
 * would all be "error" because of the export's shape, not the files).
 * Listed in out->unchecked, with force "" when it holds for every force
 * with records of the type.  Only the rules the programme uses.  0 or -1
 * out of memory. */
int run_find_unchecked(const struct inv_ctx *x, const struct ruleset *rs,
                       const unsigned char *used, struct audit_result *out)
{
    size_t i, k, n = ruleset_count(rs), cap = n * (x->forces.n + 1) + 1;

    out->unchecked = calloc(cap, sizeof(*out->unchecked));
    if (!out->unchecked)
        return -1;
    for (i = 0; i < n; i++) {
        const struct rule *r = ruleset_rule(rs, i);
        enum record_type t = rule_type(r);
        uint64_t want = run_rule_want(r), miss_all = want;
        size_t with = 0, first = out->nunchecked;
        unsigned b;

        if (!used[i])
            continue;
        for (k = 0; k < x->forces.n; k++) {
            uint64_t miss;
            struct audit_unchecked *u;

            if (!x->fs[k].n[t])
                continue;
            with++;
            miss = want & ~x->fs[k].seen[t];
            miss_all &= miss;
            if (!miss)
                continue;
            for (b = 0; !(miss >> b & 1); b++)
                ;
            u = &out->unchecked[out->nunchecked++];
            snprintf(u->rule_id, sizeof(u->rule_id), "%s", rule_id(r));
            u->type = t;
            snprintf(u->force, sizeof(u->force), "%s", x->forces.v[k]);
            snprintf(u->field, sizeof(u->field), "%s", cf_name((enum cf)b));
        }
        if (with > 1 && out->nunchecked - first == with && miss_all) {
            /* missing for every force: one entry, for all of them */
            struct audit_unchecked *u = &out->unchecked[first];

            for (b = 0; !(miss_all >> b & 1); b++)
                ;
            u->force[0] = '\0';
            snprintf(u->field, sizeof(u->field), "%s", cf_name((enum cf)b));
            out->nunchecked = first + 1;
        } else if (with == 1 && out->nunchecked - first == 1) {
            out->unchecked[first].force[0] = '\0'; /* the only force */
        }
    }
    return 0;
}

/* Whether rule r is left out for force f. */
static const struct audit_unchecked *left_out(const struct audit_result *out,
                                              const struct rule *r,
                                              const char *force)
{
    size_t k;

    for (k = 0; k < out->nunchecked; k++)
        if (strcmp(out->unchecked[k].rule_id, rule_id(r)) == 0 &&
            (!out->unchecked[k].force[0] ||
             strcmp(out->unchecked[k].force, force) == 0))
            return &out->unchecked[k];
    return NULL;
}

/* The tests as the report shows them, and which are not run at all. */
enum ca_status run_set_tests(const struct audit_opts *o,
                             struct audit_result *out, struct run_arena *arena,
                             struct test_rt *trt, struct ca_error *err)
{
    const struct programme *p = o->prog;
    size_t i, k;

    out->tests = calloc(p->ntests + 1, sizeof(*out->tests));
    if (!out->tests)
        return run_oom(err);
    out->ntests = p->ntests;
    for (i = 0; i < p->ntests; i++) {
        const struct programme_test *pt = &p->tests[i];
        const struct programme_frame *fr = &p->frames[pt->frame];
        struct report_test *t = &out->tests[i];
        const char **rules = calloc(pt->nrules + 1, sizeof(*rules));

        if (!rules)
            return run_oom(err);
        t->rules = rules;
        for (k = 0; k < pt->nrules; k++)
            rules[k] = pt->rules[k];
        t->nrules = pt->nrules;
        t->id = pt->id;
        t->title = pt->title;
        t->question = pt->question;
        t->type = record_type_name(pt->type);
        t->frame = fr->description;
        t->conditions = fr->text;
        t->report_by = (const char *const *)pt->report_by;
        t->nreport_by = pt->nreport_by;
        trt[i].rules = calloc(pt->nrules + 1, sizeof(*trt[i].rules));
        if (!trt[i].rules)
            return run_oom(err);
        for (k = 0; k < pt->nrules; k++) {
            const struct rule *r = ruleset_find(o->rs, pt->rules[k]);

            if (!r)
                return ca_error_set(err, CA_DATA, p->path, pt->line, NULL,
                                    "test '%s': unknown rule '%s'", pt->id,
                                    pt->rules[k]);
            trt[i].rules[trt[i].nrules++] = r;
        }
    }
    (void)arena;
    return CA_OK;
}

/* After the pass: per test, the forces it cannot be run for (every rule
 * left out there, or its frame reads a field no record of the force has),
 * and the tests not run at all. */
enum ca_status run_set_skips(const struct audit_opts *o,
                             const struct inv_ctx *x, struct audit_result *out,
                             struct run_arena *arena, const struct test_rt *trt,
                             struct ca_error *err)
{
    const struct programme *p = o->prog;
    size_t i, k, f;

    out->tskips =
        calloc(p->ntests * (x->forces.n + 1) + 1, sizeof(*out->tskips));
    if (!out->tskips)
        return run_oom(err);
    for (i = 0; i < p->ntests; i++) {
        const struct programme_test *pt = &p->tests[i];
        const struct programme_frame *fr = &p->frames[pt->frame];
        enum record_type t = pt->type;
        uint64_t fw = run_frame_want(fr);
        size_t with = 0, skipped = 0;
        /* the reason of the forces skipped, when it is one for them all */
        const char *field = NULL, *rule = NULL;
        bool same = true;

        if (!x->n[t]) {
            out->tests[i].not_run = run_arena_printf(
                arena, "no %s records in the input", record_type_name(t));
            if (!out->tests[i].not_run)
                return run_oom(err);
            continue;
        }
        for (f = 0; f < x->forces.n; f++) {
            const char *why = NULL, *ffield = NULL, *frule = NULL;
            uint64_t miss;
            unsigned b;
            size_t left = 0;

            if (!x->fs[f].n[t])
                continue;
            with++;
            miss = fw & ~x->fs[f].seen[t];
            if (miss) {
                for (b = 0; !(miss >> b & 1); b++)
                    ;
                ffield = cf_name((enum cf)b);
                frule = "the test's frame";
            } else {
                const struct audit_unchecked *u = NULL;

                for (k = 0; k < trt[i].nrules; k++) {
                    const struct audit_unchecked *uk =
                        left_out(out, trt[i].rules[k], x->forces.v[f]);

                    if (!uk)
                        left++;
                    else if (!u)
                        u = uk;
                }
                if (left > 0)
                    continue;
                ffield = u->field;
                frule = u->rule_id;
            }
            why =
                run_arena_printf(arena,
                                 "no %s record of this force has %s, which %s "
                                 "reads",
                                 record_type_name(t), ffield, frule);
            out->tskips[out->ntskips].test = (uint32_t)i;
            out->tskips[out->ntskips].force =
                run_arena_dup(arena, x->forces.v[f]);
            out->tskips[out->ntskips].why = why;
            if (!why || !out->tskips[out->ntskips].force)
                return run_oom(err);
            out->ntskips++;
            if (skipped++ == 0) {
                field = ffield;
                rule = frule;
            } else if (strcmp(field, ffield) != 0 || strcmp(rule, frule) != 0) {
                same = false;
            }
        }
        if (with && skipped == with) {
            out->tests[i].not_run =
                same
                    ? run_arena_printf(
                          arena,
                          "no %s record in the input has %s, which "
                          "%s reads",
                          record_type_name(t), field, rule)
                    : run_arena_printf(arena,
                                       "not run for any force: their records "
                                       "lack fields it reads (see each force)");
            if (!out->tests[i].not_run)
                return run_oom(err);
        }
    }
    return CA_OK;
}

/* ---- tests: each checked file's verdict per test ------------------------- */

static bool test_skipped(const struct audit_result *out, size_t ti,
                         const char *force)
{
    size_t i;

    for (i = 0; i < out->ntskips; i++)
        if (out->tskips[i].test == ti &&
            strcmp(out->tskips[i].force, force) == 0)
            return true;
    return false;
}

static int push_tfile(struct audit_result *out, const struct report_tfile *t)
{
    if (out->ntfiles == out->tfiles_alloc) {
        size_t na = out->tfiles_alloc ? out->tfiles_alloc * 2 : 256;
        struct report_tfile *nv = realloc(out->tfiles, na * sizeof(*nv));

        if (!nv)
            return -1;
        out->tfiles = nv;
        out->tfiles_alloc = na;
    }
    out->tfiles[out->ntfiles++] = *t;
    return 0;
}

/* audit_judged_fn: the record's verdict for each test of its frame. */
int run_judged(void *ctx, const struct record *r, const struct audit_verdict *v,
               size_t nv)
{
    struct judge *j = ctx;
    const struct programme *p = j->o->prog;
    const char *id = NULL, *force = NULL;
    size_t t, k, i;

    if (run_stopped(j->o))
        return 1;
    for (t = 0; t < j->fr->ntests; t++) {
        size_t ti = j->fr->tests[t];
        const struct test_rt *tr = &j->trt[ti];
        const struct programme_test *pt = &p->tests[ti];
        struct report_tfile row;
        size_t applied = 0, nfail = 0, nerr = 0;
        const char *reasons = "";

        if (j->out->tests[ti].not_run || test_skipped(j->out, ti, r->force))
            continue;
        memset(&row, 0, sizeof(row));
        buf_reset(&j->fails);
        buf_reset(&j->errors);
        for (k = 0; k < tr->nrules; k++) {
            if (left_out(j->out, tr->rules[k], r->force))
                continue;
            for (i = 0; i < nv; i++) {
                struct buf *b;

                if (v[i].rule != tr->rules[k])
                    continue;
                applied++;
                if (v[i].verdict == V_PASS)
                    continue;
                if (v[i].verdict == V_FAIL) {
                    nfail++;
                    b = &j->fails;
                } else {
                    nerr++;
                    b = &j->errors;
                }
                if ((b->len && buf_addstr(b, "; ")) ||
                    buf_printf(b, "%s: %s", rule_id(tr->rules[k]),
                               v[i].message))
                    return 1;
            }
        }
        row.test = (uint32_t)ti;
        if (nfail) {
            /* a file fails the test when any of its rules fails */
            row.verdict = V_FAIL;
            reasons = j->fails.data;
        } else if (nerr) {
            row.verdict = V_ERROR;
            reasons = j->errors.data;
        } else if (applied == 0) {
            row.verdict = V_ERROR;
            buf_reset(&j->errors);
            if (buf_addstr(&j->errors,
                           "no rule of this test applies to the file ("))
                return 1;
            for (k = 0; k < tr->nrules; k++)
                if (buf_printf(&j->errors, "%s%s", k ? ", " : "",
                               rule_id(tr->rules[k])))
                    return 1;
            if (buf_addstr(&j->errors,
                           "): the test's frame and its rules disagree"))
                return 1;
            reasons = j->errors.data;
        } else {
            row.verdict = V_PASS;
        }
        {
            uint32_t ix;

            row.spare = j->drawn && !idmap_get_str(j->drawn, r->id, &ix);
        }
        row.tool = row.verdict;
        row.use = row.spare ? TFU_SPARE : TFU_COUNTED;
        row.review = TFILE_NO_REVIEW;
        if (!id && (!(id = run_arena_dup(j->arena, r->id)) ||
                    !(force = run_arena_dup(j->arena, r->force))))
            return 1;
        row.id = id;
        row.force = force;
        if (!(row.reasons = run_arena_dup(j->arena, reasons)))
            return 1;
        if (pt->nreport_by) {
            const char **by = calloc(pt->nreport_by, sizeof(*by));

            if (!by || run_arena_keep(j->arena, (char *)by) != 0) {
                free(by);
                return 1;
            }
            for (k = 0; k < pt->nreport_by; k++) {
                const char *val = record_get_named(r, pt->report_by[k]);

                if (val && !(by[k] = run_arena_dup(j->arena, val)))
                    return 1;
            }
            row.by = by;
        }
        if (push_tfile(j->out, &row) != 0)
            return 1;
    }
    return 0;
}

/* The skips (rules left out per force) of a sample's type, in skip. */
size_t run_sample_skips(const struct audit_result *out,
                        const struct ruleset *rs, enum record_type t,
                        struct audit_skip *skip)
{
    size_t k, n = 0;

    for (k = 0; k < out->nunchecked; k++)
        if (out->unchecked[k].type == t) {
            skip[n].rule = ruleset_find(rs, out->unchecked[k].rule_id);
            skip[n++].force =
                out->unchecked[k].force[0] ? out->unchecked[k].force : NULL;
        }
    return n;
}

enum ca_status run_check_sample(struct run_state *s, size_t i,
                                struct ca_error *err)
{
    const struct audit_opts *o = s->o;
    struct audit_sample *as = &s->out->s[i];
    struct smp_rt *r = &s->rt[i];
    struct judge *j = &s->judges[i];
    struct audit_check_opts co;
    struct audit_check_counts cc;
    char what[600];
    enum ca_status st;

    /* each file's verdict per test as it goes */
    j->o = o;
    j->out = s->out;
    j->arena = s->arena;
    j->trt = s->trt;
    j->fr = r->fr;
    j->drawn = &r->ids;
    buf_init(&j->fails, 0);
    buf_init(&j->errors, 0);
    r->judge = j;
    memset(&co, 0, sizeof(co));
    memset(&cc, 0, sizeof(cc));
    co.rs = o->rs;
    co.only = r->only;
    co.skip = s->skip;
    co.nskip = run_sample_skips(s->out, o->rs, as->type, s->skip);
    co.findings_path = as->findings;
    co.as_of = run_as_of_cb;
    co.as_of_ctx = s->out;
    co.judged = run_judged;
    co.judged_ctx = j;
    if (o->census) /* checked later, from the inputs, with the others */
        return audit_checker_open(&co, &r->checker, err);
    snprintf(what, sizeof(what), "checking the sample %s", as->name);
    run_stage(o, what);
    if (as->selected == 0) {
        /* no file in the frame: an empty findings file */
        st = audit_checker_open(&co, &r->checker, err);
        if (st == CA_OK)
            st = audit_checker_close(r->checker, true, &cc, err);
        r->checker = NULL;
        return st;
    }
    st = audit_check_sample(&co, as->sample_csv, as->type, &cc, err);
    as->findings_rows = cc.rows;
    as->error_files = cc.error_files;
    return st;
}
