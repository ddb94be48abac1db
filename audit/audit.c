/* SPDX-License-Identifier: MIT */
/*
 * `caseaudit run` as one library call; see audit.h.  The stages reuse the
 * libraries every other command uses (ingest and inventory, the sample
 * draw, the rule engine, the reconciliation, report_job_run), so each
 * output file is exactly what the single-purpose command would write and
 * can be re-derived with it.  The inputs are read once: that pass feeds
 * the inventory, every sample's frame and draw and the reconciliation
 * (see "the one pass" below); a stage reads them again only when the pass
 * cannot stand for its own, and a census reads them a second time to
 * check every file of its frames.
 */
#include "audit/audit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "audit/check.h"
#include "audit/frame.h"
#include "ingest/ingest.h"
#include "ingest/inventory.h"
#include "report/idmap.h"
#include "samplers/alloc.h"
#include "util/buf.h"
#include "util/outdir.h"
#include "util/outfile.h"

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

/* ---- small helpers ---------------------------------------------------- */

/* A list of strings the run owns until it returns (report parameters). */
struct strs {
    char **v;
    size_t n, alloc;
};

static char *strs_printf(struct strs *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static char *strs_printf(struct strs *s, const char *fmt, ...)
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

static void strs_release(struct strs *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static char *path_join(const char *dir, const char *name)
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
static int strs_keep(struct strs *s, char *p)
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
static char *strs_dup(struct strs *s, const char *v)
{
    return strs_printf(s, "%s", v ? v : "");
}

/* dir/<prefix><name><suffix>, e.g. out/sample-crime.csv */
static char *name_path(const char *dir, const char *prefix, const char *name,
                       const char *suffix)
{
    char buf[600];

    snprintf(buf, sizeof(buf), "%s%s%s", prefix, name, suffix);
    return path_join(dir, buf);
}

static enum ca_status oom(struct ca_error *err)
{
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
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
        strs_release(r->priv);
        free(r->priv);
    }
    memset(r, 0, sizeof(*r));
}

/* ---- output directory ------------------------------------------------- */

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

/* Whether the caller has asked the run to stop. */
static bool stopped(const struct audit_opts *o)
{
    return o->stop && *o->stop;
}

static enum ca_status stop_check(const struct audit_opts *o,
                                 struct ca_error *err)
{
    return stopped(o)
               ? ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "interrupted")
               : CA_OK;
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

/* ---- pass 1: inventory and the latest event per force ------------------ */

struct inv_ctx {
    struct inventory *inv;
    struct strtab forces;
    struct force_state {
        bool has;                 /* latest is set */
        int64_t latest;           /* the latest event of the force */
        uint64_t seen[RT__COUNT]; /* fields some record of the type has */
        uint64_t n[RT__COUNT];    /* records of the type */
    } * fs;                       /* per force index, alloc of them */
    size_t alloc;
    bool global_has;
    int64_t global_latest;
    int64_t now;
    uint64_t future;
    uint64_t n[RT__COUNT];
    uint64_t crime_no_incident_ref;
    /* canonical fields (bit CF index) the rules and frames of each type
     * read, and those some record of the type has; CF_LOG stands for a case log,
     * in a column or joined from an entries file */
    uint64_t want[RT__COUNT];
    struct log_entries le;
    bool le_ok;           /* le holds the current record's log */
    struct ca_error lerr; /* a log that cannot be split (not an error here) */
    uint32_t last_force;  /* force index of the last record, or UINT32_MAX */
    bool oom;
};

/* Ready x for the pass (after memset 0). */
static void inv_ctx_start(struct inv_ctx *x)
{
    x->last_force = UINT32_MAX;
}

static int inv_record(void *ctx, const struct record *r)
{
    struct inv_ctx *x = ctx;
    uint32_t f;

    if (inventory_add(x->inv, r)) {
        x->oom = true;
        return 1;
    }
    if (x->last_force != UINT32_MAX &&
        strcmp(x->forces.v[x->last_force], r->force) == 0) {
        f = x->last_force;
    } else if (strtab_intern(&x->forces, r->force, &f)) {
        x->oom = true;
        return 1;
    }
    x->last_force = f;
    if (f >= x->alloc) {
        size_t na = x->alloc ? x->alloc * 2 : 16;
        struct force_state *nfs = realloc(x->fs, na * sizeof(*nfs));

        if (!nfs) {
            x->oom = true;
            return 1;
        }
        x->fs = nfs;
        memset(x->fs + x->alloc, 0, (na - x->alloc) * sizeof(*nfs));
        x->alloc = na;
    }
    x->n[r->type]++;
    x->fs[f].n[r->type]++;
    if (x->want[r->type] & ~x->fs[f].seen[r->type]) {
        uint64_t todo = x->want[r->type] & ~x->fs[f].seen[r->type];
        unsigned b;

        for (b = 0; b < CF__COUNT; b++)
            if (todo >> b & 1 &&
                (b == CF_LOG ? record_has_log(r)
                             : record_get(r, (enum cf)b) != NULL))
                x->fs[f].seen[r->type] |= (uint64_t)1 << b;
    }
    if (r->type == RT_CRIME) {
        x->crime_no_incident_ref += record_get(r, CF_INCIDENT_REF) == NULL;
    }
    x->le_ok =
        record_get(r, CF_LOG) && record_log(r, &x->le, &x->lerr) == CA_OK;
    /* the latest event, per force and of all (ingest/record.h) */
    record_latest_event(r, x->le_ok ? &x->le : NULL, x->now, &x->fs[f].latest,
                        &x->fs[f].has, &x->future);
    if (x->fs[f].has &&
        (!x->global_has || x->fs[f].latest > x->global_latest)) {
        x->global_latest = x->fs[f].latest;
        x->global_has = true;
    }
    return 0;
}

static int cmp_as_of(const void *a, const void *b)
{
    return strcmp(((const struct audit_as_of *)a)->force,
                  ((const struct audit_as_of *)b)->force);
}

/* Midnight starting the month after t. */
static int64_t next_month(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    int y;
    unsigned m;

    gmtime_r(&tt, &tm);
    y = tm.tm_year + 1900;
    m = (unsigned)tm.tm_mon + 2; /* 1-based, next month */
    if (m > 12) {
        m = 1;
        y++;
    }
    return date_days_from_civil(y, m, 1) * 86400;
}

static enum ca_status set_as_of(const struct audit_opts *o,
                                const struct inv_ctx *x,
                                struct audit_result *out, struct ca_error *err)
{
    int64_t fallback = x->global_has ? audit_midnight(x->global_latest)
                                     : audit_midnight(o->now);
    size_t i;

    out->as_of = calloc(x->forces.n + 1, sizeof(*out->as_of));
    if (!out->as_of)
        return oom(err);
    for (i = 0; i < x->forces.n; i++) {
        struct audit_as_of *a = &out->as_of[i];

        if (!(a->force = strdup(x->forces.v[i])))
            return oom(err);
        out->nas_of++;
        switch (o->as_of_rule) {
        case AUDIT_AS_OF_GIVEN:
            a->as_of = audit_midnight(o->as_of);
            a->from_data = false;
            break;
        case AUDIT_AS_OF_NEXT_MONTH:
            a->from_data = x->global_has;
            a->as_of = x->global_has ? next_month(x->global_latest) : fallback;
            break;
        case AUDIT_AS_OF_TABLE: {
            size_t k;

            for (k = 0; k < o->nas_of_table; k++)
                if (strcmp(o->as_of_table[k].force, a->force) == 0)
                    break;
            if (k == o->nas_of_table)
                return ca_error_set(err, CA_DATA, NULL, 0, "force",
                                    "no as-of date given for force '%s'",
                                    a->force);
            a->as_of = audit_midnight(o->as_of_table[k].as_of);
            a->from_data = false;
            break;
        }
        case AUDIT_AS_OF_LATEST:
        default:
            a->from_data = x->fs[i].has || x->global_has;
            a->as_of =
                x->fs[i].has ? audit_midnight(x->fs[i].latest) : fallback;
            break;
        }
    }
    qsort(out->as_of, out->nas_of, sizeof(*out->as_of), cmp_as_of);
    out->future_dates = x->future;
    return CA_OK;
}

static int64_t as_of_for(const struct audit_result *res, const char *force,
                         int64_t fallback)
{
    size_t lo = 0, hi = res->nas_of;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(res->as_of[mid].force, force);

        if (c == 0)
            return res->as_of[mid].as_of;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return fallback;
}

/* Write j (a new reference, consumed; NULL means out of memory) as
 * indented JSON to path. */
static enum ca_status write_json_file(const char *path, json_t *j,
                                      struct ca_error *err)
{
    struct outfile of;
    enum ca_status st;

    if (!j)
        return oom(err);
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

struct judge;
/* ---- samples ---------------------------------------------------------- */

/*
 * The run's state of one sample (frame) besides what the result shows:
 * its frame callback, its stream in the one pass, its manifest, and the
 * rule mask of its tests.
 */
struct smp_rt {
    const struct audit_opts *o;
    struct audit_sample *s;
    const struct programme_frame *fr;
    struct audit_frame *af;   /* the frame's conditions */
    const struct record *cur; /* the record being passed (one pass) */
    int cur_in;               /* its membership */
    uint64_t *lack;           /* per declared stratum: frame records
                                  * without the field */
    uint64_t members;         /* records in the frame (one pass) */
    unsigned char *only;      /* per rule index: a rule of its tests */
    bool wanted;              /* drawn if the pass allows */
    /* the stream of the one pass */
    struct manifest m;
    struct draw_config dc;
    struct sample_stream *stream; /* NULL: draw by reading again */
    char *stream_strata;          /* the strata it was begun with */
    bool begun;
    struct ca_error err;
    /* after the draw: the drawn ids (a census checks them from the
     * inputs) */
    struct idmap ids;
    struct audit_checker *checker; /* census: open during the check pass */
    struct judge *judge;
};

/* The frame callback of a sample: the membership the one pass worked out
 * for the record it is passing, else the frame's own judgement. */
static int frame_cb(void *ctx, const struct record *r, struct ca_error *err)
{
    struct smp_rt *rt = ctx;

    if (stopped(rt->o)) {
        ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "interrupted");
        return -1;
    }
    if (r == rt->cur)
        return rt->cur_in;
    return audit_frame_test(rt->af, r, err);
}

static int dup_or_null(char **dst, const char *src)
{
    *dst = NULL;
    if (src && !(*dst = strdup(src)))
        return -1;
    return 0;
}

static enum ca_status build_manifest(const struct audit_opts *o,
                                     const struct smp_rt *rt,
                                     const char *strata, struct manifest *m,
                                     struct ca_error *err)
{
    char created[21];
    size_t i;

    memset(m, 0, sizeof(*m));
    m->version = MANIFEST_VERSION;
    manifest_timestamp(created);
    if (!(m->tool_version = strdup(CA_VERSION)) ||
        !(m->created = strdup(created)))
        return oom(err);
    m->argv = calloc(o->argc + 2, sizeof(*m->argv));
    if (!m->argv || !(m->argv[0] = strdup("caseaudit")))
        return oom(err);
    m->argc = 1;
    for (i = 0; i < o->argc; i++, m->argc++)
        if (!(m->argv[i + 1] = strdup(o->argv[i])))
            return oom(err);
    if (!(m->p.type = strdup(record_type_name(rt->s->type))) ||
        !(m->p.seed = strdup(o->seed)))
        return oom(err);
    m->p.method = SM_HASH;
    m->p.per_force = true;
    if (alloc_parse(o->allocation ? o->allocation : "proportional",
                    &m->p.alloc) != 0)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL, "bad allocation '%s'",
                            o->allocation);
    m->p.spares = o->census ? 0 : o->spares;
    if (strata) {
        const char *s = strata;

        m->p.strata = calloc(rt->fr->nstrata + 1, sizeof(*m->p.strata));
        if (!m->p.strata)
            return oom(err);
        while (*s) {
            size_t len = strcspn(s, ",");

            if (!(m->p.strata[m->p.nstrata] = strndup(s, len)))
                return oom(err);
            m->p.nstrata++;
            s += len;
            while (*s == ',' || *s == ' ')
                s++;
        }
    }
    if (o->census) {
        memset(&m->p.plan, 0, sizeof(m->p.plan));
        m->p.plan.mode = PLAN_MODE_CENSUS;
    } else {
        m->p.plan = *o->plan;
        m->p.plan.expected_rate = NULL;
        m->p.plan.model = NULL;
        if (dup_or_null(&m->p.plan.expected_rate, o->plan->expected_rate) ||
            dup_or_null(&m->p.plan.model, o->plan->model))
            return oom(err);
    }
    if (!(m->p.programme =
              audit_frame_ref(o->prog, rt->s->frame, o->prog->path)))
        return oom(err);
    return CA_OK;
}

static void draw_config_fill(const struct audit_opts *o, struct smp_rt *rt,
                             struct manifest *m, struct draw_config *dc)
{
    memset(dc, 0, sizeof(*dc));
    dc->p = &m->p;
    dc->paths = o->inputs;
    dc->npaths = o->ninputs;
    if (!o->census) {
        dc->size = o->size;
        dc->size_ctx = o->size_ctx;
        dc->size_bound = o->size_bound;
    }
    dc->frame = frame_cb;
    dc->frame_ctx = rt;
    /* a census is checked from the inputs: its rows are not kept */
    dc->want_rows = !o->census;
    dc->progress = o->progress;
}

/* The strata of a sample for a record: the declared fields it has. */
static char *strata_of(const struct programme_frame *fr, const struct record *r)
{
    struct buf b;
    size_t i;

    buf_init(&b, 0);
    for (i = 0; i < fr->nstrata; i++)
        if (!r || record_get_named(r, fr->strata[i]))
            if ((b.len && buf_addstr(&b, ", ")) ||
                buf_addstr(&b, fr->strata[i])) {
                buf_release(&b);
                return NULL;
            }
    if (b.len == 0) {
        buf_release(&b);
        return strdup("");
    }
    return buf_detach(&b, NULL);
}

/* Draw a sample and write its manifest and (unless a census) its CSV.
 * With from_pass, the one pass's stream (begun with the same strata, and
 * given every record) is drawn from, with tstats the type's rows; else
 * the inputs are read again (sample_draw).  Either gives the same sample
 * and manifest.  The drawn ids are kept in rt->ids. */
static enum ca_status draw_sample(const struct audit_opts *o, struct smp_rt *rt,
                                  bool from_pass,
                                  const struct ingest_stats *tstats,
                                  struct ca_error *err)
{
    struct audit_sample *as = rt->s;
    struct manifest own, *mp = &own;
    struct draw_config dc;
    struct outfile of, om;
    bool of_open = false, om_open = false;
    enum ca_status st;
    size_t g, i;

    memset(&own, 0, sizeof(own));
    if (from_pass) {
        char created[21];

        /* made before the pass: stamp it now, as a draw now would */
        mp = &rt->m;
        manifest_timestamp(created);
        free(mp->created);
        if (!(mp->created = strdup(created))) {
            st = oom(err);
            goto out;
        }
        st = sample_stream_end(rt->stream, tstats, &mp->r, err);
    } else {
        st = build_manifest(o, rt, as->strata, mp, err);
        if (st != CA_OK)
            goto out;
        draw_config_fill(o, rt, mp, &dc);
        st = sample_draw(&dc, &mp->r, err);
    }
    if (st != CA_OK)
        goto out;
    for (g = 0; g < mp->r.sel.ngroups; g++) {
        as->selected += mp->r.sel.groups[g].taken;
        as->N += mp->r.sel.groups[g].N;
    }
    for (i = 0; i < mp->r.sel.nitems; i++)
        if (!mp->r.sel.items[i].spare &&
            idmap_put_str(&rt->ids, mp->r.sel.items[i].id, (uint32_t)i, NULL) <
                0) {
            st = oom(err);
            goto out;
        }
    if (as->sample_csv) {
        st = outfile_open(&of, as->sample_csv, err);
        if (st != CA_OK)
            goto out;
        of_open = true;
        st = sample_write_csv(&mp->r.sel, mp->p.type, of.fp, err);
        if (st != CA_OK && !err->file[0])
            snprintf(err->file, sizeof(err->file), "%s", as->sample_csv);
    }
    if (st == CA_OK && (st = outfile_open(&om, as->manifest, err)) == CA_OK) {
        om_open = true;
        st = manifest_write(mp, om.fp, err);
    }
    if (st == CA_OK && of_open) {
        of_open = false;
        st = outfile_commit(&of, err);
    }
    if (st == CA_OK) {
        om_open = false;
        st = outfile_commit(&om, err);
    }
out:
    if (of_open)
        outfile_abort(&of);
    if (om_open)
        outfile_abort(&om);
    manifest_release(&own);
    return st;
}

/* ---- rules left out, tests not run ------------------------------------ */

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

static uint64_t rule_want(const struct rule *r)
{
    uint64_t m = 0;
    size_t i;

    for (i = 0; i < rule_nfields(r); i++) {
        const char *f = rule_field(r, i);

        m |= fields_want(&f, 1);
    }
    return m;
}

static uint64_t frame_want(const struct programme_frame *fr)
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
static unsigned char *programme_rules(const struct programme *p,
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
static int find_unchecked(const struct inv_ctx *x, const struct ruleset *rs,
                          const unsigned char *used, struct audit_result *out)
{
    size_t i, k, n = ruleset_count(rs), cap = n * (x->forces.n + 1) + 1;

    out->unchecked = calloc(cap, sizeof(*out->unchecked));
    if (!out->unchecked)
        return -1;
    for (i = 0; i < n; i++) {
        const struct rule *r = ruleset_rule(rs, i);
        enum record_type t = rule_type(r);
        uint64_t want = rule_want(r), miss_all = want;
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

/* ---- tests: each checked file's verdict per test ----------------------- */

/* A test as the run checks it: its rules, resolved. */
struct test_rt {
    const struct rule **rules;
    size_t nrules;
};

struct judge {
    const struct audit_opts *o;
    struct audit_result *out;
    struct strs *arena;
    struct test_rt *trt; /* per programme test */
    const struct programme_frame *fr;
    const struct idmap *drawn; /* the sample's drawn ids (not spares) */
    struct buf fails, errors;  /* the current test's reasons */
};

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
static int judged(void *ctx, const struct record *r,
                  const struct audit_verdict *v, size_t nv)
{
    struct judge *j = ctx;
    const struct programme *p = j->o->prog;
    const char *id = NULL, *force = NULL;
    size_t t, k, i;

    if (stopped(j->o))
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
            row.verdict = TV_FAIL;
            reasons = j->fails.data;
        } else if (nerr) {
            row.verdict = TV_ERROR;
            reasons = j->errors.data;
        } else if (applied == 0) {
            row.verdict = TV_ERROR;
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
            row.verdict = TV_PASS;
        }
        {
            uint32_t ix;

            row.spare = j->drawn && !idmap_get_str(j->drawn, r->id, &ix);
        }
        row.tool = row.verdict;
        row.use = row.spare ? TFU_SPARE : TFU_COUNTED;
        row.review = TFILE_NO_REVIEW;
        if (!id && (!(id = strs_dup(j->arena, r->id)) ||
                    !(force = strs_dup(j->arena, r->force))))
            return 1;
        row.id = id;
        row.force = force;
        if (!(row.reasons = strs_dup(j->arena, reasons)))
            return 1;
        if (pt->nreport_by) {
            const char **by = calloc(pt->nreport_by, sizeof(*by));

            if (!by || strs_keep(j->arena, (char *)by) != 0) {
                free(by);
                return 1;
            }
            for (k = 0; k < pt->nreport_by; k++) {
                const char *val = record_get_named(r, pt->report_by[k]);

                if (val && !(by[k] = strs_dup(j->arena, val)))
                    return 1;
            }
            row.by = by;
        }
        if (push_tfile(j->out, &row) != 0)
            return 1;
    }
    return 0;
}

/* ---- the one pass ------------------------------------------------------ */

/*
 * Everything that needs every record is fed from the inventory's pass:
 * the inventory and as-of dates, each sample's frame and draw (a stream
 * per sample, stratified by the declared strata the first record of its
 * frame has) and the reconciliation.  Rows and rejects are tallied per
 * record type, so that each consumer gets the stats a pass of its own
 * type would have given.  When that cannot be vouched for (a file whose
 * type depends on the type asked for, or tallies that do not add up), or
 * a later record of a frame lacks a stratum field the first one had, the
 * stage concerned reads the inputs again as it always did: the outputs
 * are the same either way.
 */
struct type_tally {
    uint64_t accepted, rejected;
    uint64_t by_reason[RJ__COUNT];
};

struct one_pass {
    const struct audit_opts *o;
    struct inv_ctx *x;
    struct smp_rt *rt;
    size_t ns;
    struct reconcile *rc; /* NULL: reconcile by reading again */
    struct ca_error rerr; /* first error of the reconciliation */
    enum ca_status rst;
    struct type_tally tally[RT__COUNT];
};

/* Begin the stream of a sample with the given strata; left NULL (the
 * stage will read again) when it cannot begin. */
static void stream_begin(struct smp_rt *rt, const struct audit_opts *o,
                         char *strata)
{
    rt->begun = true;
    rt->stream_strata = strata;
    if (!strata || build_manifest(o, rt, *strata ? strata : NULL, &rt->m,
                                  &rt->err) != CA_OK) {
        manifest_release(&rt->m);
        return;
    }
    draw_config_fill(o, rt, &rt->m, &rt->dc);
    rt->dc.progress = false;
    if (sample_stream_begin(&rt->dc, &rt->stream, &rt->err) != CA_OK)
        rt->stream = NULL;
}

static int one_record(void *ctx, const struct record *r)
{
    struct one_pass *p = ctx;
    size_t i, k;

    if (stopped(p->o))
        return 1; /* ingest stops; the run says why */
    if (inv_record(p->x, r))
        return 1;
    if ((unsigned)r->type < RT__COUNT)
        p->tally[r->type].accepted++;
    for (i = 0; i < p->ns; i++) {
        struct smp_rt *rt = &p->rt[i];

        if (rt->s->type != r->type || !rt->wanted)
            continue;
        /* the membership, worked out once per record and sample (the
         * stream's frame callback asks for it again) */
        rt->cur = r;
        if (!rt->fr->cond)
            rt->cur_in = 1;
        else if (p->x->le_ok)
            rt->cur_in =
                audit_frame_test_entries(rt->af, r, p->x->le.v, p->x->le.n);
        else
            rt->cur_in = audit_frame_test(rt->af, r, NULL);
        if (rt->cur_in == 1) {
            rt->members++;
            for (k = 0; k < rt->fr->nstrata; k++)
                rt->lack[k] += record_get_named(r, rt->fr->strata[k]) == NULL;
        }
        /* the strata are those of the first record of the type; a record
         * of the frame without one of its fields makes the stage read
         * again.  Every record of the type goes to the stream, which
         * counts those outside the frame as excluded. */
        if (!rt->begun)
            stream_begin(rt, p->o, strata_of(rt->fr, r));
        if (rt->stream && sample_stream_status(rt->stream) == CA_OK)
            (void)sample_stream_record(rt->stream, r); /* a failure ends it */
    }
    for (i = 0; i < p->ns; i++)
        p->rt[i].cur = NULL;
    if (p->rc && p->rst == CA_OK &&
        (r->type == RT_CRIME || r->type == RT_INCIDENT || r->type == RT_BAIL))
        p->rst =
            reconcile_add(p->rc, r, p->x->le_ok ? &p->x->le : NULL, &p->rerr);
    return 0;
}

static void one_reject(void *ctx, const struct reject *rj)
{
    struct one_pass *p = ctx;

    if ((unsigned)rj->type < RT__COUNT && (unsigned)rj->reason < RJ__COUNT) {
        p->tally[rj->type].rejected++;
        p->tally[rj->type].by_reason[rj->reason]++;
    }
}

/* Whether the tallies stand for per-type passes: no file whose type a
 * request would change, and every row tallied. */
static bool one_pass_exact(const struct one_pass *p,
                           const struct ingest_stats *st)
{
    uint64_t acc = 0, rej = 0;
    size_t t;

    if (st->files_type_ambiguous)
        return false;
    for (t = 0; t < RT__COUNT; t++) {
        acc += p->tally[t].accepted;
        rej += p->tally[t].rejected;
    }
    return acc == st->rows_accepted && rej == st->rows_rejected;
}

/* The stats a pass over the inputs for type t alone would have given
 * (shallow: inputs are borrowed from all, notes left out). */
static void type_stats(const struct one_pass *p, const struct ingest_stats *all,
                       enum record_type t, struct ingest_stats *out)
{
    const struct type_tally *y = &p->tally[t];

    memset(out, 0, sizeof(*out));
    out->rows_accepted = y->accepted;
    out->rows_rejected = y->rejected;
    out->rows_read = y->accepted + y->rejected;
    memcpy(out->rejected_by_reason, y->by_reason,
           sizeof(out->rejected_by_reason));
    out->rows_other_type = all->rows_read - out->rows_read;
    out->bytes_read = all->bytes_read;
    out->inputs = all->inputs;
    out->ninputs = all->ninputs;
}

static void rt_release(struct smp_rt *rt)
{
    sample_stream_free(rt->stream);
    manifest_release(&rt->m);
    free(rt->stream_strata);
    audit_frame_free(rt->af);
    free(rt->lack);
    free(rt->only);
    idmap_release(&rt->ids);
    audit_checker_close(rt->checker, false, NULL, NULL);
}

/* ---- check ------------------------------------------------------------ */

static int64_t as_of_cb(void *ctx, const char *force)
{
    const struct audit_result *res = ctx;

    return as_of_for(res, force, res->nas_of ? res->as_of[0].as_of : 0);
}

/* The skips (rules left out per force) of a sample's type, in skip. */
static size_t sample_skips(const struct audit_result *out,
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

/* A census: the drawn samples' files checked from the inputs, in one
 * reading, each record by the checker of every sample that drew it. */
struct census_pass {
    const struct audit_opts *o;
    struct smp_rt *rt;
    size_t ns;
    struct ca_error *err;
    enum ca_status st;
};

static int census_record(void *ctx, const struct record *r)
{
    struct census_pass *c = ctx;
    size_t i;
    uint32_t v;

    if (stopped(c->o)) {
        c->st = ca_error_set(c->err, CA_SYSTEM, NULL, 0, NULL, "interrupted");
        return 1;
    }
    for (i = 0; i < c->ns; i++) {
        struct smp_rt *rt = &c->rt[i];

        if (!rt->checker || rt->s->type != r->type ||
            !idmap_get_str(&rt->ids, r->id, &v))
            continue;
        c->st = audit_checker_record(rt->checker, r, c->err);
        if (c->st != CA_OK)
            return 1;
    }
    return 0;
}

/* ---- report parameters ---------------------------------------------- */

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
                        const struct audit_result *res, struct strs *arena)
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
        fputs(", as the run being rechecked judged each force", mf);
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
    fputs(". Open files are judged at this date.", mf);
    if (fclose(mf) != 0) {
        free(buf);
        return NULL;
    }
    p = strs_printf(arena, "%s", buf);
    free(buf);
    return p;
}

/* A memstream's text into the arena; NULL when out of memory. */
static char *mf_close(FILE *mf, char **buf, struct strs *arena)
{
    char *p = NULL;

    if (fclose(mf) == 0)
        p = strs_printf(arena, "%s", *buf ? *buf : "");
    free(*buf);
    *buf = NULL;
    return p;
}

static enum ca_status
build_params(const struct audit_opts *o, const struct audit_result *res,
             const struct ingest_stats *st, struct strs *arena,
             struct report_param **out, size_t *nout, struct ca_error *err)
{
    struct report_param *p;
    size_t n = 0, i, k, cap = o->nparams + 16;
    char *buf = NULL;
    size_t len = 0;
    FILE *mf;

    p = calloc(cap, sizeof(*p));
    if (!p)
        return oom(err);
    *out = p;
    for (i = 0; i < o->nparams; i++)
        p[n++] = o->params[i];

    p[n].name = "programme";
    p[n++].value = strs_printf(arena, "%s: %s (%s, SHA-256 %s); %zu tests",
                               o->prog->id, o->prog->title, o->prog->path,
                               o->prog->sha256, o->prog->ntests);
    /* inputs with their size and hash */
    if (!(mf = open_memstream(&buf, &len)))
        return oom(err);
    for (i = 0; i < st->ninputs; i++) {
        char hex[65];

        hex_prefix(st->inputs[i].sha256, hex);
        fprintf(mf, "%s%s (%" PRIu64 " bytes, SHA-256 %s)", i ? "; " : "",
                st->inputs[i].path, st->inputs[i].bytes, hex);
    }
    p[n].name = "inputs";
    p[n++].value = mf_close(mf, &buf, arena);
    p[n].name = "records";
    p[n++].value = strs_printf(
        arena,
        "%" PRIu64 " crime, %" PRIu64 " wanted, %" PRIu64 " bail, %" PRIu64
        " incident; %" PRIu64 " rows read, %" PRIu64 " rejected at ingest",
        res->records[RT_CRIME], res->records[RT_WANTED], res->records[RT_BAIL],
        res->records[RT_INCIDENT], res->rows_read, res->rows_rejected);
    p[n].name = "selection";
    p[n++].value =
        o->census ? strs_printf(arena,
                                "census (--census): every file of each test's "
                                "frame checked, no sampling; seed '%s' (the "
                                "manifests' rank keys)",
                                o->seed)
        : o->spares
            ? strs_printf(arena,
                          "hash method, seed '%s': per force and sample, "
                          "the files whose SHA-256 of '<seed>:<id>' is "
                          "smallest; %u spare%s per force and stratum (the "
                          "next smallest), checked by the rules and "
                          "counted only where one takes the place of a "
                          "drawn file a reviewer could not obtain",
                          o->seed, o->spares, o->spares == 1 ? "" : "s")
            : strs_printf(arena,
                          "hash method, seed '%s': per force and sample, "
                          "the files whose SHA-256 of '<seed>:<id>' is "
                          "smallest; no spares",
                          o->seed);
    /* the samples: frame, strata */
    if (!(mf = open_memstream(&buf, &len)))
        return oom(err);
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
                    "conditions could not be judged on them (%s)",
                    s->undecided, s->undecided_why ? s->undecided_why : "");
    }
    p[n].name = "samples";
    p[n++].value = mf_close(mf, &buf, arena);
    p[n].name = "allocation";
    p[n++].value = strs_printf(arena, "%s",
                               o->census       ? "none (census)"
                               : o->allocation ? o->allocation
                                               : "proportional");
    p[n].name = "as of";
    p[n++].value = as_of_text(o, res, arena);
    if (!(mf = open_memstream(&buf, &len)))
        return oom(err);
    fprintf(mf, "%zu rules named by the programme, from ", res->nrules);
    for (i = 0; i < o->nrules; i++)
        fprintf(mf, "%s%s", i ? ", " : "", o->rules[i]);
    p[n].name = "rules";
    p[n++].value = mf_close(mf, &buf, arena);
    if (res->nunchecked) {
        if (!(mf = open_memstream(&buf, &len)))
            return oom(err);
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
            return oom(err);
    *nout = n;
    return CA_OK;
}

/* ---- the run ------------------------------------------------------------ */

static void stage(const struct audit_opts *o, const char *what)
{
    if (o->stage)
        o->stage(o->stage_ctx, what);
}

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

/* The tests as the report shows them, and which are not run at all. */
static enum ca_status set_tests(const struct audit_opts *o,
                                struct audit_result *out, struct strs *arena,
                                struct test_rt *trt, struct ca_error *err)
{
    const struct programme *p = o->prog;
    size_t i, k;

    out->tests = calloc(p->ntests + 1, sizeof(*out->tests));
    if (!out->tests)
        return oom(err);
    out->ntests = p->ntests;
    for (i = 0; i < p->ntests; i++) {
        const struct programme_test *pt = &p->tests[i];
        const struct programme_frame *fr = &p->frames[pt->frame];
        struct report_test *t = &out->tests[i];
        const char **rules = calloc(pt->nrules + 1, sizeof(*rules));

        if (!rules)
            return oom(err);
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
            return oom(err);
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
static enum ca_status set_skips(const struct audit_opts *o,
                                const struct inv_ctx *x,
                                struct audit_result *out, struct strs *arena,
                                const struct test_rt *trt, struct ca_error *err)
{
    const struct programme *p = o->prog;
    size_t i, k, f;

    out->tskips =
        calloc(p->ntests * (x->forces.n + 1) + 1, sizeof(*out->tskips));
    if (!out->tskips)
        return oom(err);
    for (i = 0; i < p->ntests; i++) {
        const struct programme_test *pt = &p->tests[i];
        const struct programme_frame *fr = &p->frames[pt->frame];
        enum record_type t = pt->type;
        uint64_t fw = frame_want(fr);
        size_t with = 0, skipped = 0;
        /* the reason of the forces skipped, when it is one for them all */
        const char *field = NULL, *rule = NULL;
        bool same = true;

        if (!x->n[t]) {
            out->tests[i].not_run = strs_printf(
                arena, "no %s records in the input", record_type_name(t));
            if (!out->tests[i].not_run)
                return oom(err);
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
            why = strs_printf(arena,
                              "no %s record of this force has %s, which %s "
                              "reads",
                              record_type_name(t), ffield, frule);
            out->tskips[out->ntskips].test = (uint32_t)i;
            out->tskips[out->ntskips].force = strs_dup(arena, x->forces.v[f]);
            out->tskips[out->ntskips].why = why;
            if (!why || !out->tskips[out->ntskips].force)
                return oom(err);
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
                same ? strs_printf(arena,
                                   "no %s record in the input has %s, which "
                                   "%s reads",
                                   record_type_name(t), field, rule)
                     : strs_printf(arena,
                                   "not run for any force: their records "
                                   "lack fields it reads (see each force)");
            if (!out->tests[i].not_run)
                return oom(err);
        }
    }
    return CA_OK;
}

/* The programme's counts, as the report shows them. */
static enum ca_status set_counts(const struct audit_opts *o,
                                 struct audit_result *out, struct strs *arena,
                                 struct ca_error *err)
{
    const struct programme *p = o->prog;
    size_t i;

    out->counts = calloc(p->ncounts + 1, sizeof(*out->counts));
    if (!out->counts)
        return oom(err);
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
                    strs_printf(arena, "the frame of %s was not drawn: %s",
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
            return oom(err);
    }
    return CA_OK;
}

enum ca_status audit_run(const struct audit_opts *o, struct audit_result *out,
                         struct ca_error *err)
{
    const struct programme *prog = o->prog;
    struct inv_ctx x;
    struct one_pass op;
    struct audit_outstanding *outstanding = NULL;
    bool exact;
    struct ingest_opts io;
    struct ingest_stats stats;
    struct report_job j;
    struct report_param *params = NULL;
    struct strs *arena = NULL;
    struct smp_rt *rt = NULL;
    struct test_rt *trt = NULL;
    struct judge *judges = NULL;
    struct audit_skip *skip = NULL;
    unsigned char *used = NULL;
    const char **findings = NULL, **manifests = NULL, **fsamples = NULL;
    const char *dir = NULL;
    struct outdir od;
    struct bundle_file extra[1];
    struct ws_as_of *wsa = NULL;
    char(*days)[20] = NULL;
    size_t nf = 0, nextra = 0, i, k, nparams = 0, ndrawn = 0;
    enum ca_status st;

    memset(out, 0, sizeof(*out));
    memset(&od, 0, sizeof(od));
    memset(&x, 0, sizeof(x));
    memset(&op, 0, sizeof(op));
    memset(&stats, 0, sizeof(stats));
    strtab_init(&x.forces);
    log_entries_init(&x.le);
    reconcile_result_init(&out->rec);
    findings_init(&out->rep.fs);
    summary_init(&out->rep.s);

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
        goto out;
    if (!(arena = calloc(1, sizeof(*arena)))) {
        st = oom(err);
        goto out;
    }
    out->priv = arena;
    out->ns = prog->nframes;
    out->s = calloc(prog->nframes + 1, sizeof(*out->s));
    rt = calloc(prog->nframes + 1, sizeof(*rt));
    trt = calloc(prog->ntests + 1, sizeof(*trt));
    judges = calloc(prog->nframes + 1, sizeof(*judges));
    used = programme_rules(prog, o->rs);
    findings = calloc(prog->nframes + 1, sizeof(*findings));
    manifests = calloc(prog->nframes + 1, sizeof(*manifests));
    fsamples = calloc(prog->nframes + 1, sizeof(*fsamples));
    if (!out->s || !rt || !trt || !judges || !used || !findings || !manifests ||
        !fsamples) {
        st = oom(err);
        goto out;
    }
    for (i = 0; i < ruleset_count(o->rs); i++)
        out->nrules += used[i];
    st = set_tests(o, out, arena, trt, err);
    if (st != CA_OK)
        goto out;
    out->programme.id = prog->id;
    out->programme.title = prog->title;
    out->programme.description = prog->description;
    out->programme.path = prog->path;
    out->programme.sha256 = prog->sha256;
    out->programme.refs = (const char *const *)prog->refs;
    out->programme.nrefs = prog->nrefs;
    out->programme.census = o->census;

    /* the one pass: inventory, types, fields, as-of, every sample's frame
     * and draw, and the reconciliation */
    stage(o, "reading the inputs");
    x.inv = inventory_new(NULL, 0);
    if (!x.inv) {
        st = oom(err);
        goto out;
    }
    x.now = o->now;
    inv_ctx_start(&x);
    for (i = 0; i < ruleset_count(o->rs); i++) {
        const struct rule *r = ruleset_rule(o->rs, i);

        if (used[i])
            x.want[rule_type(r)] |= rule_want(r);
    }
    for (i = 0; i < prog->nframes; i++) {
        struct smp_rt *r = &rt[i];
        struct audit_sample *s = &out->s[i];

        s->frame = i;
        s->type = prog->frames[i].type;
        s->name = prog->frames[i].name;
        r->o = o;
        r->s = s;
        r->fr = &prog->frames[i];
        r->err = (struct ca_error)CA_ERROR_INIT;
        idmap_init(&r->ids);
        x.want[s->type] |= frame_want(r->fr);
        r->lack = calloc(r->fr->nstrata + 1, sizeof(*r->lack));
        r->only = calloc(ruleset_count(o->rs) + 1, 1);
        if (!r->lack || !r->only) {
            st = oom(err);
            goto out;
        }
        for (k = 0; k < r->fr->ntests; k++) {
            const struct test_rt *t = &trt[r->fr->tests[k]];
            size_t q;

            for (q = 0; q < t->nrules; q++)
                r->only[rule_index(t->rules[q])] = 1;
        }
        st = audit_frame_new(prog, i, &r->af, err);
        if (st != CA_OK)
            goto out;
        r->wanted = true;
    }
    memset(&op, 0, sizeof(op));
    op.x = &x;
    op.o = o;
    op.rt = rt;
    op.ns = prog->nframes;
    op.rerr = (struct ca_error)CA_ERROR_INIT;
    /* named suspects outstanding: the programme's frame decides */
    st = audit_outstanding_new(prog, &outstanding, err);
    if (st != CA_OK)
        goto out;
    if (reconcile_begin(&op.rc, audit_outstanding_test, outstanding,
                        &op.rerr) != CA_OK)
        op.rc = NULL;
    ingest_opts_init(&io);
    io.progress = o->progress;
    st = ingest_run(o->inputs, o->ninputs, &io, one_record, one_reject, &op,
                    &stats, err);
    if (x.oom)
        st = oom(err);
    if (st == CA_OK)
        st = stop_check(o, err);
    if (st != CA_OK)
        goto out;
    for (i = 0; i < stats.nnotes; i++)
        if (stats.notes[i].error) {
            st = ca_error_set(err, CA_DATA, stats.notes[i].source, 0, NULL,
                              "%s", stats.notes[i].message);
            goto out;
        }
    out->rows_read = stats.rows_read;
    out->rows_accepted = stats.rows_accepted;
    out->rows_rejected = stats.rows_rejected;
    memcpy(out->records, x.n, sizeof(out->records));
    exact = one_pass_exact(&op, &stats);
    if (find_unchecked(&x, o->rs, used, out) != 0) {
        st = oom(err);
        goto out;
    }
    st = set_as_of(o, &x, out, err);
    if (st == CA_OK)
        st = set_skips(o, &x, out, arena, trt, err);
    if (st != CA_OK)
        goto out;

    /* which samples are drawn, their strata and output names */
    for (i = 0; i < prog->nframes; i++) {
        struct audit_sample *s = &out->s[i];
        struct smp_rt *r = &rt[i];
        struct buf kept, dropped;
        bool any = false;

        s->undecided = audit_frame_undecided(r->af);
        if (s->undecided &&
            !(s->undecided_why = strdup(audit_frame_first_undecided(r->af)))) {
            st = oom(err);
            goto out;
        }
        for (k = 0; k < r->fr->ntests; k++)
            any |= out->tests[r->fr->tests[k]].not_run == NULL;
        if (!x.n[s->type]) {
            s->skipped = "no records of its type in the input";
            continue;
        }
        if (!any) {
            s->skipped = "none of its tests can be run on this export";
            continue;
        }
        buf_init(&kept, 0);
        buf_init(&dropped, 0);
        for (k = 0; k < r->fr->nstrata; k++) {
            struct buf *b = r->lack[k] ? &dropped : &kept;

            if ((b->len && buf_addstr(b, ", ")) ||
                buf_addstr(b, r->fr->strata[k])) {
                buf_release(&kept);
                buf_release(&dropped);
                st = oom(err);
                goto out;
            }
        }
        s->strata = kept.len ? buf_detach(&kept, NULL) : NULL;
        s->strata_dropped = dropped.len ? buf_detach(&dropped, NULL) : NULL;
        buf_release(&kept);
        buf_release(&dropped);
        s->drawn = true;
        ndrawn++;
    }
    if (ndrawn == 0) {
        char why[700];
        size_t off = 0;

        why[0] = '\0';
        for (i = 0; i < out->ntests && off < sizeof(why); i++)
            off += (size_t)snprintf(
                why + off, sizeof(why) - off, "%s%s: %s", i ? "; " : "",
                out->tests[i].id,
                out->tests[i].not_run ? out->tests[i].not_run : "-");
        st = ca_error_set(err, CA_DATA, o->inputs[0], 0, NULL,
                          "nothing to audit: no test of programme '%s' can "
                          "be run on these inputs (%" PRIu64
                          " records read; %s)",
                          prog->id, stats.rows_accepted, why);
        goto out;
    }
    for (i = 0; i < prog->nframes; i++)
        if (!out->s[i].drawn)
            for (k = 0; k < rt[i].fr->ntests; k++)
                if (!out->tests[rt[i].fr->tests[k]].not_run)
                    out->tests[rt[i].fr->tests[k]].not_run = out->s[i].skipped;

    /* everything read: now write, into a staging directory that is put in
     * place whole at the end (util/outdir.h) */
    st = stop_check(o, err);
    if (st == CA_OK)
        st = outdir_begin(&od, o->outdir, o->force, run_owned, err);
    if (st != CA_OK)
        goto out;
    dir = od.path;
    for (i = 0; i < prog->nframes; i++) {
        struct audit_sample *s = &out->s[i];

        if (!s->drawn)
            continue;
        if ((!o->census &&
             !(s->sample_csv = name_path(dir, "sample-", s->name, ".csv"))) ||
            !(s->manifest = name_path(dir, "manifest-", s->name, ".json")) ||
            !(s->findings = name_path(dir, "findings-", s->name, ".csv"))) {
            st = oom(err);
            goto out;
        }
        findings[nf] = s->findings;
        manifests[nf] = s->manifest;
        fsamples[nf] = s->name;
        nf++;
    }
    if (!(out->inventory = path_join(dir, "inventory.json")) ||
        !(out->report_html = path_join(dir, "report.html")) ||
        !(out->files_csv = path_join(dir, "files.csv")) ||
        !(out->bundle = path_join(dir, "evidence.zip")) ||
        !(out->worksheet_csv = path_join(dir, "worksheet.csv")) ||
        !(out->worksheet_xlsx = path_join(dir, "worksheet.xlsx"))) {
        st = oom(err);
        goto out;
    }
    st = write_json_file(out->inventory, inventory_json(x.inv, &stats), err);
    if (st != CA_OK)
        goto out;

    skip = calloc(out->nunchecked + 1, sizeof(*skip));
    if (!skip) {
        st = oom(err);
        goto out;
    }
    for (i = 0; i < prog->nframes; i++) {
        struct audit_sample *s = &out->s[i];
        struct smp_rt *r = &rt[i];
        struct ingest_stats tst;
        char what[600];
        char *want;
        bool from_pass;

        if (!s->drawn)
            continue;
        st = stop_check(o, err);
        if (st != CA_OK)
            goto out;
        snprintf(what, sizeof(what), "%s %s (%s)",
                 o->census ? "taking every file of" : "sampling", s->name,
                 record_type_name(s->type));
        stage(o, what);
        want = s->strata ? s->strata : "";
        from_pass = exact && r->stream &&
                    sample_stream_status(r->stream) == CA_OK &&
                    r->stream_strata && strcmp(r->stream_strata, want) == 0;
        r->cur = NULL;
        type_stats(&op, &stats, s->type, &tst);
        st = draw_sample(o, r, from_pass, &tst, err);
        sample_stream_free(r->stream);
        r->stream = NULL;
        if (st != CA_OK)
            goto out;

        /* the check, each file's verdict per test as it goes */
        judges[i].o = o;
        judges[i].out = out;
        judges[i].arena = arena;
        judges[i].trt = trt;
        judges[i].fr = r->fr;
        judges[i].drawn = &r->ids;
        buf_init(&judges[i].fails, 0);
        buf_init(&judges[i].errors, 0);
        r->judge = &judges[i];
        {
            struct audit_check_opts co;
            struct audit_check_counts cc;

            memset(&co, 0, sizeof(co));
            memset(&cc, 0, sizeof(cc));
            co.rs = o->rs;
            co.only = r->only;
            co.skip = skip;
            co.nskip = sample_skips(out, o->rs, s->type, skip);
            co.findings_path = s->findings;
            co.as_of = as_of_cb;
            co.as_of_ctx = out;
            co.judged = judged;
            co.judged_ctx = &judges[i];
            if (o->census) {
                /* checked below, from the inputs, with the others */
                st = audit_checker_open(&co, &r->checker, err);
                if (st != CA_OK)
                    goto out;
                continue;
            }
            snprintf(what, sizeof(what), "checking the sample %s", s->name);
            stage(o, what);
            if (s->selected == 0) {
                /* no file in the frame: an empty findings file */
                st = audit_checker_open(&co, &r->checker, err);
                if (st == CA_OK)
                    st = audit_checker_close(r->checker, true, &cc, err);
                r->checker = NULL;
                if (st != CA_OK)
                    goto out;
                continue;
            }
            st = audit_check_sample(&co, s->sample_csv, s->type, &cc, err);
            s->findings_rows = cc.rows;
            s->error_files = cc.error_files;
            if (st != CA_OK)
                goto out;
        }
    }
    if (o->census) {
        struct census_pass cp;
        struct ingest_stats cst;

        stage(o, "checking every file of the frames");
        memset(&cp, 0, sizeof(cp));
        memset(&cst, 0, sizeof(cst));
        cp.o = o;
        cp.rt = rt;
        cp.ns = prog->nframes;
        cp.err = err;
        ingest_opts_init(&io);
        io.progress = o->progress;
        st = ingest_run(o->inputs, o->ninputs, &io, census_record, NULL, &cp,
                        &cst, err);
        if (st == CA_OK)
            st = cp.st;
        if (st == CA_OK && cst.rows_read != stats.rows_read)
            st = ca_error_set(err, CA_DATA, o->inputs[0], 0, NULL,
                              "the inputs changed while they were audited "
                              "(%" PRIu64 " rows, then %" PRIu64 ")",
                              stats.rows_read, cst.rows_read);
        ingest_stats_release(&cst);
        for (i = 0; i < prog->nframes; i++) {
            struct audit_check_counts cc;
            enum ca_status cs;

            if (!rt[i].checker)
                continue;
            memset(&cc, 0, sizeof(cc));
            cs = audit_checker_close(rt[i].checker, st == CA_OK, &cc, err);
            rt[i].checker = NULL;
            out->s[i].findings_rows = cc.rows;
            out->s[i].error_files = cc.error_files;
            if (st == CA_OK)
                st = cs;
            if (st == CA_OK && cc.records != out->s[i].selected)
                st = ca_error_set(err, CA_DATA, o->inputs[0], 0, NULL,
                                  "%s: %" PRIu64 " files of the frame were "
                                  "drawn but %" PRIu64 " found again",
                                  out->s[i].name, out->s[i].selected,
                                  cc.records);
        }
        if (st != CA_OK)
            goto out;
    }

    /* reconcile: every crime against the incidents (and bail) */
    st = stop_check(o, err);
    if (st != CA_OK)
        goto out;
    if (!x.n[RT_CRIME] || !x.n[RT_INCIDENT]) {
        out->reconcile_skipped = "needs both crime and incident records";
    } else if (x.crime_no_incident_ref) {
        out->reconcile_skipped = "the crime records have no incident_ref "
                                 "column";
    } else {
        struct reconcile_opts ro;

        stage(o, "reconciling crimes with incidents");
        memset(&ro, 0, sizeof(ro));
        ro.crimes = o->inputs;
        ro.ncrimes = o->ninputs;
        ro.incidents = o->inputs;
        ro.nincidents = o->ninputs;
        ro.outstanding = audit_outstanding_test;
        ro.outstanding_ctx = outstanding;
        if (x.n[RT_BAIL]) {
            ro.bail = o->inputs;
            ro.nbail = o->ninputs;
        }
        if (exact && op.rc) {
            /* fed in the one pass; its first error is raised here, where
             * a pass of its own would have met it */
            if (op.rst != CA_OK) {
                *err = op.rerr;
                st = op.rst;
                goto out;
            }
            st = reconcile_end(op.rc, &out->rec, err);
            if (st != CA_OK)
                goto out;
            type_stats(&op, &stats, RT_CRIME, &out->rec.crimes);
            type_stats(&op, &stats, RT_INCIDENT, &out->rec.incidents);
            if (x.n[RT_BAIL]) {
                out->rec.have_bail = true;
                type_stats(&op, &stats, RT_BAIL, &out->rec.bail);
            }
            /* borrowed inputs: the result must not free them */
            out->rec.crimes.inputs = out->rec.incidents.inputs =
                out->rec.bail.inputs = NULL;
            out->rec.crimes.ninputs = out->rec.incidents.ninputs =
                out->rec.bail.ninputs = 0;
        } else {
            st = reconcile_run(&ro, &out->rec, err);
            if (st != CA_OK)
                goto out;
        }
        out->reconciled = true;
        if (!(out->reconcile_json = path_join(dir, "reconcile.json"))) {
            st = oom(err);
            goto out;
        }
        st = write_json_file(out->reconcile_json, reconcile_json(&out->rec),
                             err);
        if (st != CA_OK)
            goto out;
        extra[nextra].name = "reconcile.json";
        extra[nextra].path = out->reconcile_json;
        extra[nextra].data = NULL;
        extra[nextra].len = 0;
        nextra++;
    }
    st = set_counts(o, out, arena, err);
    if (st != CA_OK)
        goto out;
    for (i = 0; i < prog->ntests; i++)
        if (!out->tests[i].not_run)
            out->tests[i].sample = out->s[prog->tests[i].frame].name;

    st = stop_check(o, err);
    if (st != CA_OK)
        goto out;
    stage(o, "writing the report and the evidence bundle");
    st = build_params(o, out, &stats, arena, &params, &nparams, err);
    if (st != CA_OK)
        goto out;
    report_job_init(&j);
    j.findings = findings;
    j.nfindings = nf;
    j.findings_samples = fsamples;
    j.manifests = manifests;
    j.nmanifests = nf;
    j.inventory = out->inventory;
    j.rules = o->rules;
    j.nrules = o->nrules;
    j.lexicon = o->rs ? ruleset_lexicon_path(o->rs) : NULL;
    j.outdir = dir;
    j.outdir_shown = o->outdir;
    j.force = true; /* our own files are in it already */
    j.bundle = out->bundle;
    j.confidence = o->confidence;
    j.tolerable = o->tolerable;
    j.argv = o->argv;
    j.argc = o->argc;
    j.params = params;
    j.nparams = nparams;
    j.reconcile = out->reconciled ? &out->rec : NULL;
    j.extra = extra;
    j.nextra = nextra;
    j.programme = &out->programme;
    j.programme_file = prog->path;
    j.tests = out->tests;
    j.ntests = out->ntests;
    j.tfiles = out->tfiles;
    j.ntfiles = out->ntfiles;
    j.tskips = out->tskips;
    j.ntskips = out->ntskips;
    j.counts = out->counts;
    j.ncounts = out->ncounts;
    j.reviews = o->reviews;
    j.worksheet_csv = out->worksheet_csv;
    j.worksheet_xlsx = out->worksheet_xlsx;
    j.no_excerpts = o->no_excerpts;
    j.log_in_manifests = true;
    wsa = calloc(out->nas_of + 1, sizeof(*wsa));
    days = calloc(out->nas_of + 1, sizeof(*days));
    if (!wsa || !days) {
        st = oom(err);
        goto out;
    }
    for (i = 0; i < out->nas_of; i++) {
        wsa[i].force = out->as_of[i].force;
        wsa[i].day = audit_format_day(out->as_of[i].as_of, days[i]);
    }
    j.as_of = wsa;
    j.nas_of = out->nas_of;
    report_result_release(&out->rep);
    st = report_job_run(&j, &out->rep, err);
    if (st == CA_OK)
        st = stop_check(o, err);
    if (st == CA_OK) {
        /* every file written: the result names them where they will be,
         * and the directory goes in place */
        int bad =
            rebase(&od, &out->inventory) || rebase(&od, &out->reconcile_json) ||
            rebase(&od, &out->report_html) || rebase(&od, &out->files_csv) ||
            rebase(&od, &out->bundle) || rebase(&od, &out->worksheet_csv) ||
            rebase(&od, &out->worksheet_xlsx);

        for (i = 0; i < out->ns && !bad; i++)
            bad = rebase(&od, &out->s[i].sample_csv) ||
                  rebase(&od, &out->s[i].manifest) ||
                  rebase(&od, &out->s[i].findings);
        st = bad ? oom(err) : outdir_commit(&od, err);
    }
out:
    if (st != CA_OK) {
        char shown[sizeof(err->file)];
        const char *f;

        if (stopped(o)) {
            ca_error_clear(err);
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "interrupted");
        } else if ((f = outdir_shown(&od, err->file, shown, sizeof(shown))) !=
                   err->file) {
            snprintf(err->file, sizeof(err->file), "%s", f);
        }
        /* nothing of this run stays */
        outdir_abort(&od);
    }
    if (rt)
        for (i = 0; i < prog->nframes; i++)
            rt_release(&rt[i]);
    free(rt);
    if (trt)
        for (i = 0; i < prog->ntests; i++)
            free(trt[i].rules);
    free(trt);
    if (judges)
        for (i = 0; i < prog->nframes; i++) {
            buf_release(&judges[i].fails);
            buf_release(&judges[i].errors);
        }
    free(judges);
    free(skip);
    free(wsa);
    free(days);
    free(used);
    free(findings);
    free(manifests);
    free(fsamples);
    reconcile_free(op.rc);
    audit_outstanding_free(outstanding);
    free(params);
    inventory_free(x.inv);
    strtab_release(&x.forces);
    free(x.fs);
    log_entries_release(&x.le);
    ingest_stats_release(&stats);
    return st;
}
