/* SPDX-License-Identifier: MIT */
/*
 * `caseaudit run` as one library call; see audit.h.  The stages reuse the
 * libraries every other command uses (ingest and inventory, the sample
 * draw, the rule engine, the reconciliation, report_job_run), so each
 * output file is exactly what the single-purpose command would write and
 * can be re-derived with it.  The inputs are read once: that pass feeds
 * the inventory, every type's sample and the reconciliation (see "the
 * one pass" below); a stage reads them again only when the pass cannot
 * stand for its own.
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

#include "engine/rules.h"
#include "ingest/ingest.h"
#include "ingest/inventory.h"
#include "audit/check.h"
#include "report/idmap.h"
#include "util/outfile.h"

static const enum record_type audit_types[AUDIT_NTYPES] = {RT_CRIME, RT_WANTED,
                                                           RT_BAIL};

/* Output names in the directory, besides report_files[]. */
static const char *const run_files[] = {"inventory.json", "reconcile.json",
                                        "evidence.zip", NULL};
static const char *const run_type_files[][2] = {
    {"sample-", ".csv"}, {"manifest-", ".json"}, {"findings-", ".csv"}};

void audit_opts_init(struct audit_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->as_of_rule = AUDIT_AS_OF_LATEST;
    o->now = (int64_t)time(NULL);
    o->confidence = 0.95;
    o->tolerable = 0.10;
}

void audit_result_release(struct audit_result *r)
{
    size_t i;

    for (i = 0; i < r->nas_of; i++)
        free(r->as_of[i].force);
    free(r->as_of);
    free(r->unchecked);
    for (i = 0; i < AUDIT_NTYPES; i++) {
        free(r->t[i].strata);
        free(r->t[i].sample_csv);
        free(r->t[i].manifest);
        free(r->t[i].findings);
    }
    reconcile_result_release(&r->rec);
    report_result_release(&r->rep);
    free(r->inventory);
    free(r->reconcile_json);
    free(r->report_html);
    free(r->bundle);
    memset(r, 0, sizeof(*r));
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

/* dir/<prefix><type><suffix>, e.g. out/sample-crime.csv */
static char *type_path(const char *dir, const char *prefix, enum record_type t,
                       const char *suffix)
{
    char name[64];

    snprintf(name, sizeof(name), "%s%s%s", prefix, record_type_name(t), suffix);
    return path_join(dir, name);
}

static enum ca_status oom(struct ca_error *err)
{
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

/* ---- output directory ------------------------------------------------- */

/* Refuse an outdir we must not write into (before reading anything). */
static enum ca_status check_outdir(const struct audit_opts *o,
                                   struct ca_error *err)
{
    struct stat sb;

    if (stat(o->outdir, &sb) != 0) {
        if (errno == ENOENT)
            return CA_OK;
        return ca_error_set(err, CA_SYSTEM, o->outdir, 0, NULL,
                            "unable to use output directory: %s",
                            strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode))
        return ca_error_set(err, CA_USAGE, o->outdir, 0, NULL,
                            "output path exists and is not a directory");
    /* report_prepare_dir refuses a non-empty directory without force and
     * creates nothing for an existing one */
    return report_prepare_dir(o->outdir, o->force, err);
}

/* With force: remove the files an earlier run left, so that the directory
 * never mixes two runs (other files are left alone). */
static enum ca_status clear_outputs(const char *dir, struct ca_error *err)
{
    size_t i, k;
    char *p;

    for (i = 0; report_files[i]; i++) {
        if (!(p = path_join(dir, report_files[i])))
            return oom(err);
        if (unlink(p) != 0 && errno != ENOENT) {
            ca_error_set(err, CA_SYSTEM, p, 0, NULL, "unable to remove: %s",
                         strerror(errno));
            free(p);
            return CA_SYSTEM;
        }
        free(p);
    }
    for (i = 0; run_files[i]; i++) {
        if (!(p = path_join(dir, run_files[i])))
            return oom(err);
        if (unlink(p) != 0 && errno != ENOENT) {
            ca_error_set(err, CA_SYSTEM, p, 0, NULL, "unable to remove: %s",
                         strerror(errno));
            free(p);
            return CA_SYSTEM;
        }
        free(p);
    }
    for (i = 0; i < AUDIT_NTYPES; i++)
        for (k = 0; k < 3; k++) {
            if (!(p = type_path(dir, run_type_files[k][0], audit_types[i],
                                run_type_files[k][1])))
                return oom(err);
            if (unlink(p) != 0 && errno != ENOENT) {
                ca_error_set(err, CA_SYSTEM, p, 0, NULL, "unable to remove: %s",
                             strerror(errno));
                free(p);
                return CA_SYSTEM;
            }
            free(p);
        }
    return CA_OK;
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
    uint64_t crime_no_attended, crime_no_group, crime_no_incident_ref;
    /* canonical fields (bit CF index) the rules of each type read, and
     * those some record of the type has; CF_LOG stands for a case log,
     * in a column or joined from an entries file */
    uint64_t want[RT__COUNT];
    struct log_entries le;
    bool le_ok;           /* le holds the current record's log */
    struct ca_error lerr; /* a log that cannot be split (not an error here) */
    uint32_t last_force;  /* force index of the last record, or UINT32_MAX */
    enum cf dates[CF__COUNT]; /* dates of things that happened */
    size_t ndates;
    bool oom;
};

/* Ready x for the pass (after memset 0). */
static void inv_ctx_start(struct inv_ctx *x)
{
    size_t i;

    x->last_force = UINT32_MAX;
    x->ndates = 0;
    /* bail_end is a date set in advance */
    for (i = 0; i < CF__COUNT; i++)
        if (i != CF_BAIL_END && cf_kind((enum cf)i) == CFK_DATE)
            x->dates[x->ndates++] = (enum cf)i;
}

static void see(struct inv_ctx *x, uint32_t f, int64_t t)
{
    if (t > x->now) {
        x->future++;
        return;
    }
    if (!x->fs[f].has || t > x->fs[f].latest) {
        x->fs[f].latest = t;
        x->fs[f].has = true;
    }
    if (!x->global_has || t > x->global_latest) {
        x->global_latest = t;
        x->global_has = true;
    }
}

static int inv_record(void *ctx, const struct record *r)
{
    struct inv_ctx *x = ctx;
    uint32_t f;
    size_t i;

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
        x->crime_no_attended += record_get(r, CF_ATTENDED) == NULL;
        x->crime_no_group += record_get(r, CF_OFFENCE_GROUP) == NULL;
        x->crime_no_incident_ref += record_get(r, CF_INCIDENT_REF) == NULL;
    }
    for (i = 0; i < x->ndates; i++)
        if (r->at_state[x->dates[i]] == DS_OK)
            see(x, f, r->at[x->dates[i]]);
    x->le_ok = false;
    if (record_get(r, CF_LOG) && record_log(r, &x->le, &x->lerr) == CA_OK) {
        x->le_ok = true;
        for (i = 0; i < x->le.n; i++)
            if (x->le.v[i].has_at)
                see(x, f, x->le.v[i].at);
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
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "unable to write");
    }
    json_decref(j);
    return outfile_commit(&of, err);
}

/* ---- samples ---------------------------------------------------------- */

static int dup_or_null(char **dst, const char *src)
{
    *dst = NULL;
    if (src && !(*dst = strdup(src)))
        return -1;
    return 0;
}

static enum ca_status build_manifest(const struct audit_opts *o,
                                     enum record_type t, const char *strata,
                                     struct manifest *m, struct ca_error *err)
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
    if (!(m->p.type = strdup(record_type_name(t))) ||
        !(m->p.seed = strdup(o->seed)))
        return oom(err);
    m->p.method = SM_HASH;
    m->p.per_force = true;
    m->p.alloc.kind = ALLOC_PROPORTIONAL;
    m->p.spares = 0;
    if (strata) {
        const char *s = strata;

        m->p.strata = calloc(2, sizeof(*m->p.strata));
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
    m->p.plan = *o->plan;
    m->p.plan.expected_rate = NULL;
    m->p.plan.model = NULL;
    if (dup_or_null(&m->p.plan.expected_rate, o->plan->expected_rate) ||
        dup_or_null(&m->p.plan.model, o->plan->model))
        return oom(err);
    return CA_OK;
}

/* The sample of one type drawn in the one pass (struct one_pass): its
 * manifest (whose parameters the stream draws by) and its stream. */
struct type_stream {
    struct manifest m;
    struct draw_config dc;
    struct sample_stream *s; /* NULL: draw by reading the inputs again */
    const char *strata;      /* the strata it was begun with */
    bool wanted;             /* the rules check this type */
    bool begun;              /* stream_begin was called */
    struct ca_error err;     /* an error inside the stream */
};

static void draw_config_fill(const struct audit_opts *o, struct manifest *m,
                             struct draw_config *dc)
{
    memset(dc, 0, sizeof(*dc));
    dc->p = &m->p;
    dc->paths = o->inputs;
    dc->npaths = o->ninputs;
    dc->size = o->size;
    dc->size_ctx = o->size_ctx;
    dc->size_bound = o->size_bound;
    dc->want_rows = true;
    dc->progress = o->progress;
}

/* Draw at's sample and write its CSV and manifest.  With ts (a stream of
 * the same strata that was given every record of the type) and tstats
 * (the type's rows and rejects, the inputs) the sample is drawn from it;
 * else by reading the inputs (sample_draw).  Either gives the same
 * sample and manifest. */
static enum ca_status draw_type(const struct audit_opts *o,
                                struct audit_type *at, struct type_stream *ts,
                                const struct ingest_stats *tstats,
                                struct ca_error *err)
{
    struct manifest own, *mp = &own;
    struct draw_config dc;
    struct outfile of, om;
    bool of_open = false, om_open = false;
    enum ca_status st;
    size_t g;

    memset(&own, 0, sizeof(own));
    if (ts) {
        char created[21];

        /* made before the pass: stamp it now, as a draw now would */
        mp = &ts->m;
        manifest_timestamp(created);
        free(mp->created);
        if (!(mp->created = strdup(created))) {
            st = oom(err);
            goto out;
        }
        st = sample_stream_end(ts->s, tstats, &mp->r, err);
    } else {
        st = build_manifest(o, at->type, at->strata, mp, err);
        if (st != CA_OK)
            goto out;
        draw_config_fill(o, mp, &dc);
        st = sample_draw(&dc, &mp->r, err);
    }
    if (st != CA_OK)
        goto out;
    for (g = 0; g < mp->r.sel.ngroups; g++)
        at->selected += mp->r.sel.groups[g].taken;
    st = outfile_open(&of, at->sample_csv, err);
    if (st != CA_OK)
        goto out;
    of_open = true;
    st = sample_write_csv(&mp->r.sel, of.fp, err);
    if (st == CA_OK && (st = outfile_open(&om, at->manifest, err)) == CA_OK) {
        om_open = true;
        st = manifest_write(mp, om.fp, err);
    }
    if (st == CA_OK) {
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

/* ---- the one pass ------------------------------------------------------ */

/* The canonical fields rule r reads, as a mask of CF bits (fields that
 * are not canonical are not tracked: never taken as missing). */
static uint64_t rule_want(const struct rule *r)
{
    uint64_t m = 0;
    size_t i;

    for (i = 0; i < rule_nfields(r); i++) {
        int f = cf_lookup(rule_field(r, i));

        if (f >= 0 && f < 64)
            m |= (uint64_t)1 << f;
    }
    return m;
}

/* Rules left out because the export lacks a field they read: for a force
 * when no record of the rule's type from that force has it (its verdicts
 * would all be "error" because of the export's shape, not the files).
 * Listed in out->unchecked, with force "" when it holds for every force
 * with records of the type.  0 or -1 out of memory. */
static int find_unchecked(const struct inv_ctx *x, const struct ruleset *rs,
                          struct audit_result *out)
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

/* Whether every rule of type t is left out for every force. */
static bool unchecked_all(const struct audit_result *out,
                          const struct ruleset *rs, enum record_type t)
{
    size_t i, k, n = 0, m = 0;

    for (i = 0; i < ruleset_count(rs); i++)
        n += rule_type(ruleset_rule(rs, i)) == t;
    for (k = 0; k < out->nunchecked; k++)
        m += out->unchecked[k].type == t && !out->unchecked[k].force[0];
    return n > 0 && m == n;
}

static bool ruleset_has_type(const struct ruleset *rs, enum record_type t)
{
    size_t i;

    for (i = 0; i < ruleset_count(rs); i++)
        if (rule_type(ruleset_rule(rs, i)) == t)
            return true;
    return false;
}

/*
 * Everything that needs every record is fed from the inventory's pass:
 * the inventory and as-of dates, each type's sample (a stream per type
 * with rules, crimes with the strata every crime normally has) and the
 * reconciliation.  Rows and rejects are tallied per record type, so that
 * each consumer gets the stats a pass of its own type would have given.
 * When that cannot be vouched for (a file whose type depends on the type
 * asked for, or tallies that do not add up), or the crimes turn out to
 * have other strata than the first crime had, the stage concerned reads
 * the inputs again as it always did: the outputs are the same either way.
 */
struct type_tally {
    uint64_t accepted, rejected;
    uint64_t by_reason[RJ__COUNT];
};

struct one_pass {
    const struct audit_opts *o;
    struct inv_ctx *x;
    struct type_stream t[AUDIT_NTYPES];
    struct reconcile *rc; /* NULL: reconcile by reading again */
    struct ca_error rerr; /* first error of the reconciliation */
    enum ca_status rst;
    struct type_tally tally[RT__COUNT];
};

/* The strata of the crime sample when every crime has the fields that
 * r has (as audit_run chooses them once every crime is read). */
static const char *crime_strata(const struct record *r)
{
    bool att = record_get(r, CF_ATTENDED) != NULL;
    bool grp = record_get(r, CF_OFFENCE_GROUP) != NULL;

    return att && grp ? "attended, offence_group"
           : att      ? "attended"
           : grp      ? "offence_group"
                      : NULL;
}

/* Begin the sample stream of type i, with the given strata; left NULL
 * (the stage will read again) when it cannot begin. */
static void stream_begin(struct type_stream *ts, const struct audit_opts *o,
                         enum record_type t, const char *strata)
{
    ts->begun = true;
    ts->strata = strata;
    if (build_manifest(o, t, strata, &ts->m, &ts->err) != CA_OK) {
        manifest_release(&ts->m);
        return;
    }
    draw_config_fill(o, &ts->m, &ts->dc);
    ts->dc.progress = false;
    if (sample_stream_begin(&ts->dc, &ts->s, &ts->err) != CA_OK)
        ts->s = NULL;
}

static int one_record(void *ctx, const struct record *r)
{
    struct one_pass *p = ctx;
    size_t i;

    if (inv_record(p->x, r))
        return 1;
    if ((unsigned)r->type < RT__COUNT)
        p->tally[r->type].accepted++;
    for (i = 0; i < AUDIT_NTYPES; i++) {
        struct type_stream *ts = &p->t[i];

        if (audit_types[i] != r->type || !ts->wanted)
            continue;
        /* crimes: the strata are those of the first crime; a later crime
         * without one of its fields makes the stage read again */
        if (!ts->begun)
            stream_begin(ts, p->o, r->type, crime_strata(r));
        if (ts->s && sample_stream_status(ts->s) == CA_OK)
            (void)sample_stream_record(ts->s, r); /* a failure ends it */
    }
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

/* Begin the streams: a sample for each type the rules check, and the
 * reconciliation.  Anything that cannot begin is left to a later pass. */
static void one_pass_begin(struct one_pass *p, const struct audit_opts *o,
                           const struct ruleset *rs, struct inv_ctx *x)
{
    size_t i;

    memset(p, 0, sizeof(*p));
    p->x = x;
    p->o = o;
    for (i = 0; i < AUDIT_NTYPES; i++) {
        struct type_stream *ts = &p->t[i];

        ts->err = (struct ca_error)CA_ERROR_INIT;
        ts->wanted = ruleset_has_type(rs, audit_types[i]);
        /* wanted and bail samples have no strata: begin now; crimes at
         * the first crime */
        if (ts->wanted && audit_types[i] != RT_CRIME)
            stream_begin(ts, o, audit_types[i], NULL);
    }
    p->rerr = (struct ca_error)CA_ERROR_INIT;
    if (reconcile_begin(&p->rc, &p->rerr) != CA_OK)
        p->rc = NULL;
}

static void one_pass_release(struct one_pass *p)
{
    size_t i;

    for (i = 0; i < AUDIT_NTYPES; i++) {
        sample_stream_free(p->t[i].s);
        manifest_release(&p->t[i].m);
    }
    reconcile_free(p->rc);
    memset(p, 0, sizeof(*p));
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

/* ---- check ------------------------------------------------------------ */

static int64_t as_of_cb(void *ctx, const char *force)
{
    const struct audit_result *res = ctx;

    return as_of_for(res, force, res->nas_of ? res->as_of[0].as_of : 0);
}

/* ---- report parameters -------------------------------------------------- */

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

static enum ca_status
build_params(const struct audit_opts *o, const struct audit_result *res,
             const struct ingest_stats *st, struct strs *arena,
             struct report_param **out, size_t *nout, struct ca_error *err)
{
    struct report_param *p;
    size_t n = 0, i, cap = o->nparams + 12;
    char *buf = NULL;
    size_t len = 0;
    FILE *mf;

    p = calloc(cap, sizeof(*p));
    if (!p)
        return oom(err);
    *out = p;
    for (i = 0; i < o->nparams; i++)
        p[n++] = o->params[i];

    /* inputs with their size and hash */
    mf = open_memstream(&buf, &len);
    if (!mf)
        return oom(err);
    for (i = 0; i < st->ninputs; i++) {
        char hex[65];

        hex_prefix(st->inputs[i].sha256, hex);
        fprintf(mf, "%s%s (%" PRIu64 " bytes, SHA-256 %s)", i ? "; " : "",
                st->inputs[i].path, st->inputs[i].bytes, hex);
    }
    if (fclose(mf) != 0) {
        free(buf);
        return oom(err);
    }
    p[n].name = "inputs";
    p[n++].value = strs_printf(arena, "%s", buf ? buf : "");
    free(buf);
    p[n].name = "records";
    p[n++].value = strs_printf(
        arena,
        "%" PRIu64 " crime, %" PRIu64 " wanted, %" PRIu64 " bail, %" PRIu64
        " incident; %" PRIu64 " rows read, %" PRIu64 " rejected at ingest",
        res->records[RT_CRIME], res->records[RT_WANTED], res->records[RT_BAIL],
        res->records[RT_INCIDENT], res->rows_read, res->rows_rejected);
    p[n].name = "selection";
    p[n++].value = strs_printf(
        arena,
        "hash method, seed '%s': per force and record type, the files whose "
        "SHA-256 of '<seed>:<id>' is smallest; no spares",
        o->seed);
    {
        char strata[512];
        size_t k, off = 0;

        strata[0] = '\0';
        for (k = 0; k < AUDIT_NTYPES; k++) {
            const struct audit_type *at = &res->t[k];

            if (!at->checked)
                continue;
            off += (size_t)snprintf(
                strata + off, sizeof(strata) - off, "%s%s: %s", off ? "; " : "",
                record_type_name(at->type),
                at->strata ? at->strata : "none (one stratum per force)");
            if (off >= sizeof(strata))
                break;
        }
        p[n].name = "strata";
        p[n++].value =
            strs_printf(arena, "%s; proportional allocation", strata);
    }
    p[n].name = "as of";
    p[n++].value = as_of_text(o, res, arena);
    mf = open_memstream(&buf, &len);
    if (!mf)
        return oom(err);
    fprintf(mf, "%zu rules from ", res->nrules);
    for (i = 0; i < o->nrules; i++)
        fprintf(mf, "%s%s", i ? ", " : "", o->rules[i]);
    if (fclose(mf) != 0) {
        free(buf);
        return oom(err);
    }
    p[n].name = "rules";
    p[n++].value = strs_printf(arena, "%s", buf ? buf : "");
    free(buf);
    if (res->nunchecked) {
        mf = open_memstream(&buf, &len);
        if (!mf)
            return oom(err);
        for (i = 0; i < res->nunchecked; i++) {
            fputs(i ? "; " : "", mf);
            audit_unchecked_print(mf, &res->unchecked[i], " (", "");
            fputc(')', mf);
        }
        if (fclose(mf) != 0) {
            free(buf);
            return oom(err);
        }
        p[n].name = "rules not checked";
        p[n++].value = strs_printf(arena, "%s", buf ? buf : "");
        free(buf);
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
    if (!o->plan || (o->plan->mode != PLAN_MODE_FIXED && !o->size))
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no sample-size plan given");
    if (!o->nrules)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL, "no rules given");
    return CA_OK;
}

enum ca_status audit_run(const struct audit_opts *o, struct audit_result *out,
                         struct ca_error *err)
{
    struct inv_ctx x;
    struct one_pass op;
    bool exact;
    struct ingest_opts io;
    struct ingest_stats stats;
    struct ruleset *rs = NULL;
    struct report_job j;
    struct report_param *params = NULL;
    struct strs arena = {0};
    const char *findings[AUDIT_NTYPES], *manifests[AUDIT_NTYPES];
    struct bundle_file extra[1];
    size_t nf = 0, nextra = 0, i, nparams = 0;
    enum ca_status st;

    memset(out, 0, sizeof(*out));
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
    if (st != CA_OK)
        goto out;

    /* rules first: a bad rule file stops the run before any reading */
    stage(o, "loading the rules");
    st = ruleset_load(o->rules, o->nrules, NULL, &rs, err);
    if (st != CA_OK)
        goto out;
    out->nrules = ruleset_count(rs);

    /* the one pass: inventory, types, strata fields, as-of, and streams
     * for the samples and the reconciliation */
    stage(o, "reading the inputs");
    x.inv = inventory_new(NULL, 0);
    if (!x.inv) {
        st = oom(err);
        goto out;
    }
    x.now = o->now;
    inv_ctx_start(&x);
    for (i = 0; i < ruleset_count(rs); i++) {
        const struct rule *r = ruleset_rule(rs, i);

        x.want[rule_type(r)] |= rule_want(r);
    }
    one_pass_begin(&op, o, rs, &x);
    ingest_opts_init(&io);
    io.progress = o->progress;
    st = ingest_run(o->inputs, o->ninputs, &io, one_record, one_reject, &op,
                    &stats, err);
    if (x.oom)
        st = oom(err);
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
    if (find_unchecked(&x, rs, out) != 0) {
        st = oom(err);
        goto out;
    }
    st = set_as_of(o, &x, out, err);
    if (st != CA_OK)
        goto out;

    for (i = 0; i < AUDIT_NTYPES; i++) {
        struct audit_type *at = &out->t[i];

        at->type = audit_types[i];
        at->records = x.n[at->type];
        if (!at->records)
            continue;
        if (!ruleset_has_type(rs, at->type)) {
            at->skipped = "no rule for this record type in the rule set";
            continue;
        }
        if (unchecked_all(out, rs, at->type)) {
            at->skipped = "no rule can be checked: the export lacks a field "
                          "each of them reads (see the rules not checked)";
            continue;
        }
        at->checked = true;
        if (at->type == RT_CRIME) {
            const char *s = !x.crime_no_attended && !x.crime_no_group
                                ? "attended, offence_group"
                            : !x.crime_no_attended ? "attended"
                            : !x.crime_no_group    ? "offence_group"
                                                   : NULL;

            if (s && !(at->strata = strdup(s))) {
                st = oom(err);
                goto out;
            }
        }
        if (!(at->sample_csv =
                  type_path(o->outdir, "sample-", at->type, ".csv")) ||
            !(at->manifest =
                  type_path(o->outdir, "manifest-", at->type, ".json")) ||
            !(at->findings =
                  type_path(o->outdir, "findings-", at->type, ".csv"))) {
            st = oom(err);
            goto out;
        }
        findings[nf] = at->findings;
        manifests[nf] = at->manifest;
        nf++;
    }
    if (nf == 0 && out->nunchecked) {
        char why[600];
        size_t k, off = 0;

        why[0] = '\0';
        for (k = 0; k < out->nunchecked && off < sizeof(why); k++)
            off += (size_t)snprintf(
                why + off, sizeof(why) - off, "%s%s needs %s", k ? ", " : "",
                out->unchecked[k].rule_id, out->unchecked[k].field);
        st = ca_error_set(err, CA_DATA, o->inputs[0], 0, NULL,
                          "nothing to audit: no rule can be checked, the "
                          "export lacks a field each reads (%s)",
                          why);
        goto out;
    }
    if (nf == 0) {
        st = ca_error_set(err, CA_DATA, o->inputs[0], 0, NULL,
                          "nothing to audit: no crime, wanted or bail "
                          "records with rules (%" PRIu64 " records read)",
                          stats.rows_accepted);
        goto out;
    }

    /* everything read: now write */
    st = outdir_create(o->outdir, err);
    if (st == CA_OK && o->force)
        st = clear_outputs(o->outdir, err);
    if (st != CA_OK)
        goto out;
    if (!(out->inventory = path_join(o->outdir, "inventory.json")) ||
        !(out->report_html = path_join(o->outdir, "report.html")) ||
        !(out->bundle = path_join(o->outdir, "evidence.zip"))) {
        st = oom(err);
        goto out;
    }
    st = write_json_file(out->inventory, inventory_json(x.inv, &stats), err);
    if (st != CA_OK)
        goto out;

    for (i = 0; i < AUDIT_NTYPES; i++) {
        struct audit_type *at = &out->t[i];
        char what[64];

        if (!at->checked)
            continue;
        snprintf(what, sizeof(what), "sampling %s records",
                 record_type_name(at->type));
        stage(o, what);
        {
            struct type_stream *ts = &op.t[i];
            struct ingest_stats tst;
            bool from_pass =
                exact && ts->s && sample_stream_status(ts->s) == CA_OK &&
                (ts->strata && at->strata ? strcmp(ts->strata, at->strata) == 0
                                          : ts->strata == at->strata);

            type_stats(&op, &stats, at->type, &tst);
            st = draw_type(o, at, from_pass ? ts : NULL, &tst, err);
            sample_stream_free(ts->s);
            ts->s = NULL;
        }
        if (st != CA_OK)
            goto out;
        snprintf(what, sizeof(what), "checking the %s sample",
                 record_type_name(at->type));
        stage(o, what);
        {
            struct audit_check_counts cc;
            struct audit_skip *skip;
            size_t k, nskip = 0;

            skip = calloc(out->nunchecked + 1, sizeof(*skip));
            if (!skip) {
                st = oom(err);
                goto out;
            }
            for (k = 0; k < out->nunchecked; k++)
                if (out->unchecked[k].type == at->type) {
                    skip[nskip].rule =
                        ruleset_find(rs, out->unchecked[k].rule_id);
                    skip[nskip++].force = out->unchecked[k].force[0]
                                              ? out->unchecked[k].force
                                              : NULL;
                }
            st = audit_check_sample(rs, skip, nskip, at->sample_csv, at->type,
                                    at->findings, as_of_cb, out, &cc, err);
            free(skip);
            at->findings_rows = cc.rows;
            at->error_files = cc.error_files;
        }
        if (st != CA_OK)
            goto out;
    }

    /* reconcile: every crime against the incidents (and bail) */
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
        if (!(out->reconcile_json = path_join(o->outdir, "reconcile.json"))) {
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

    stage(o, "writing the report and the evidence bundle");
    st = build_params(o, out, &stats, &arena, &params, &nparams, err);
    if (st != CA_OK)
        goto out;
    report_job_init(&j);
    j.findings = findings;
    j.nfindings = nf;
    j.manifests = manifests;
    j.nmanifests = nf;
    j.inventory = out->inventory;
    j.rules = o->rules;
    j.nrules = o->nrules;
    j.outdir = o->outdir;
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
    report_result_release(&out->rep);
    st = report_job_run(&j, &out->rep, err);
out:
    one_pass_release(&op);
    free(params);
    strs_release(&arena);
    inventory_free(x.inv);
    strtab_release(&x.forces);
    free(x.fs);
    log_entries_release(&x.le);
    ingest_stats_release(&stats);
    ruleset_free(rs);
    return st;
}
