/* SPDX-License-Identifier: MIT */
/* Per-force, per-type tallies of an export; see inventory.h. */
#include "ingest/inventory.h"

#include <stdlib.h>
#include <string.h>

#include "ingest/fields.h"
#include "ingest/rowcount.h"
#include "util/array.h"
#include "util/escape.h"
#include "util/hmap.h"
#include "util/sha256.h"

#define MAX_VALUES 1000
#define OTHER "(other)"
#define EMPTY "(empty)"

/* String -> count maps (util/hmap.h; val is the count), capped at
 * MAX_VALUES distinct keys by smap_get. */

/* The entry for key, created with count 0 when new (unless the map holds
 * max distinct keys already: then NULL with *full set). */
static struct hmap_entry *smap_get(struct hmap *m, const char *key, size_t max,
                                   bool *full)
{
    size_t len = strlen(key);
    struct hmap_entry *e = hmap_find(m, key, len);

    *full = false;
    if (e)
        return e;
    if (max && m->n >= max) {
        *full = true;
        return NULL;
    }
    if (hmap_put(m, key, len, &e) < 0)
        return NULL;
    return e;
}

static int smap_inc(struct hmap *m, const char *key)
{
    struct hmap_entry *s;
    bool full;

    s = smap_get(m, key, MAX_VALUES, &full);
    if (!s && full)
        s = smap_get(m, OTHER, 0, &full);
    if (!s)
        return -1;
    s->val++;
    return 0;
}

/* Dates of one field that did not parse, and where the first was. */
struct bad_date {
    uint64_t n;
    char *source;
    unsigned long line;
    char *value;
};

struct group {
    char *force;
    enum record_type type;
    uint64_t records;
    uint64_t undated; /* main date empty or absent (a bad one is in bad[]) */
    struct bad_date bad[CF__COUNT];
    bool have_date;
    int64_t first, last;
    struct hmap offence_group;
    struct hmap attended;
    struct hmap *by; /* nby maps */
};

struct inventory {
    char **by;
    size_t nby;
    bool *by_found; /* some record had the field */
    char **by_near; /* the nearest name seen, while not found */
    struct group *groups;
    size_t ngroups, alloc;
    struct hmap index;     /* "force\x1ftype" -> group */
    struct log_entries le; /* scratch for case logs' timestamps */
    size_t last;           /* the group of the previous record (a cache) */
    bool have_last;
};

struct inventory *inventory_new(const char *const *by, size_t nby)
{
    struct inventory *inv = calloc(1, sizeof(*inv));
    size_t i;

    if (!inv)
        return NULL;
    log_entries_init(&inv->le);
    inv->by = calloc(nby ? nby : 1, sizeof(*inv->by));
    inv->by_found = calloc(nby ? nby : 1, sizeof(*inv->by_found));
    inv->by_near = calloc(nby ? nby : 1, sizeof(*inv->by_near));
    if (!inv->by || !inv->by_found || !inv->by_near)
        goto fail;
    for (i = 0; i < nby; i++) {
        inv->by[i] = strdup(by[i]);
        if (!inv->by[i])
            goto fail;
        inv->nby = i + 1;
    }
    return inv;
fail:
    inventory_free(inv);
    return NULL;
}

void inventory_free(struct inventory *inv)
{
    size_t i, j;

    if (!inv)
        return;
    for (i = 0; i < inv->ngroups; i++) {
        struct group *g = &inv->groups[i];

        free(g->force);
        for (j = 0; j < CF__COUNT; j++) {
            free(g->bad[j].source);
            free(g->bad[j].value);
        }
        hmap_release(&g->offence_group);
        hmap_release(&g->attended);
        for (j = 0; j < inv->nby; j++)
            hmap_release(&g->by[j]);
        free(g->by);
    }
    free(inv->groups);
    for (i = 0; i < inv->nby; i++) {
        free(inv->by[i]);
        free(inv->by_near[i]);
    }
    free(inv->by);
    free(inv->by_found);
    free(inv->by_near);
    hmap_release(&inv->index);
    log_entries_release(&inv->le);
    free(inv);
}

static struct group *group_for(struct inventory *inv, const struct record *r)
{
    char key[512];
    struct hmap_entry *s;
    struct group *g;
    bool full;

    /* records come in runs of one force and type: skip the lookup */
    if (inv->have_last && inv->groups[inv->last].type == r->type &&
        strcmp(inv->groups[inv->last].force, r->force) == 0)
        return &inv->groups[inv->last];
    snprintf(key, sizeof(key), "%s\x1f%d", r->force, (int)r->type);
    s = smap_get(&inv->index, key, 0, &full);
    if (!s)
        return NULL;
    if (s->val) { /* the group's index + 1 */
        inv->last = (size_t)(s->val - 1);
        inv->have_last = true;
        return &inv->groups[inv->last];
    }
    if (array_grow(&inv->groups, &inv->alloc, inv->ngroups + 1,
                   sizeof(*inv->groups)) != 0)
        return NULL;
    g = &inv->groups[inv->ngroups];
    memset(g, 0, sizeof(*g));
    g->force = strdup(r->force);
    g->by = calloc(inv->nby ? inv->nby : 1, sizeof(*g->by));
    if (!g->force || !g->by) {
        free(g->force);
        free(g->by);
        return NULL;
    }
    g->type = r->type;
    inv->last = inv->ngroups++;
    s->val = inv->last + 1;
    inv->have_last = true;
    return g;
}

static int count_value(struct hmap *m, const char *v)
{
    if (!v)
        return 0;
    return smap_inc(m, *v ? v : EMPTY);
}

int inventory_add(struct inventory *inv, const struct record *r)
{
    struct group *g = group_for(inv, r);
    enum cf main_date = record_type_main_date(r->type);
    size_t i;

    if (!g)
        return -1;
    g->records++;
    if (main_date != CF__COUNT && r->at_state[main_date] == DS_OK) {
        int64_t t = r->at[main_date];

        if (!g->have_date || t < g->first)
            g->first = t;
        if (!g->have_date || t > g->last)
            g->last = t;
        g->have_date = true;
    } else if (main_date == CF__COUNT || r->at_state[main_date] != DS_BAD) {
        g->undated++;
    }
    for (i = 0; i < CF__COUNT; i++) {
        struct bad_date *b = &g->bad[i];

        if (r->at_state[i] != DS_BAD || cf_kind((enum cf)i) != CFK_DATE)
            continue;
        if (b->n++ == 0) {
            const char *v = record_get(r, (enum cf)i);

            b->source = strdup(r->source ? r->source : "");
            b->line = r->line;
            b->value = strndup(v ? v : "", 100);
            if (!b->source || !b->value)
                return -1;
        }
    }
    {
        /* a case-log entry whose timestamp is not a real date or time: its
         * rules give error; counted as a bad date of the field log, with
         * the entry's first line */
        const struct log_entry *e = NULL;
        struct ca_error lerr = CA_ERROR_INIT;
        struct bad_date *b = &g->bad[CF_LOG];
        int k = record_log_bad_at(r, &inv->le, &e, &lerr);

        if (k == 1 && b->n++ == 0) {
            size_t n = 0;

            while (n < e->raw_len && n < 100 && e->raw[n] != '\n' &&
                   e->raw[n] != '\r')
                n++;
            b->source = strdup(r->source ? r->source : "");
            b->line = r->line;
            b->value = strndup(e->raw, n);
            if (!b->source || !b->value)
                return -1;
        }
    }
    if (count_value(&g->offence_group, record_get(r, CF_OFFENCE_GROUP)) ||
        count_value(&g->attended, record_get(r, CF_ATTENDED)))
        return -1;
    for (i = 0; i < inv->nby; i++) {
        const char *v = record_get_named(r, inv->by[i]);

        if (v) {
            inv->by_found[i] = true;
        } else if (!inv->by_found[i] && !inv->by_near[i]) {
            const char *near = fields_nearest(r, inv->by[i]);

            if (near && !(inv->by_near[i] = strdup(near)))
                return -1;
        }
        if (count_value(&g->by[i], v))
            return -1;
    }
    return 0;
}

const char *inventory_by_unknown(const struct inventory *inv, size_t k,
                                 const char **near)
{
    size_t i;

    for (i = 0; i < inv->nby; i++)
        if (!inv->by_found[i] && k-- == 0) {
            *near = inv->by_near[i];
            return inv->by[i];
        }
    *near = NULL;
    return NULL;
}

/* ---- output ---- */

static int cmp_group(const void *a, const void *b)
{
    const struct group *x = *(const struct group *const *)a;
    const struct group *y = *(const struct group *const *)b;
    int c = strcmp(x->force, y->force);

    if (c)
        return c;
    return (int)x->type - (int)y->type;
}

static const struct group **sorted_groups(const struct inventory *inv)
{
    const struct group **v =
        malloc((inv->ngroups ? inv->ngroups : 1) * sizeof(*v));
    size_t i;

    if (!v)
        return NULL;
    for (i = 0; i < inv->ngroups; i++)
        v[i] = &inv->groups[i];
    qsort(v, inv->ngroups, sizeof(*v), cmp_group);
    return v;
}

/* Keys by count descending, then name. */
static int cmp_slot(const void *a, const void *b)
{
    const struct hmap_entry *x = *(const struct hmap_entry *const *)a;
    const struct hmap_entry *y = *(const struct hmap_entry *const *)b;

    if (x->val != y->val)
        return x->val > y->val ? -1 : 1;
    return strcmp(x->key, y->key);
}

static const struct hmap_entry **sorted_slots(const struct hmap *m)
{
    const struct hmap_entry **v = malloc((m->n ? m->n : 1) * sizeof(*v));
    size_t i, k = 0;

    if (!v)
        return NULL;
    for (i = 0; i < m->cap; i++)
        if (m->v[i].key)
            v[k++] = &m->v[i];
    qsort(v, k, sizeof(*v), cmp_slot);
    return v;
}

static json_t *smap_json(const struct hmap *m)
{
    const struct hmap_entry **v = sorted_slots(m);
    json_t *o = json_object();
    size_t i;

    if (!v || !o) {
        free(v);
        json_decref(o);
        return NULL;
    }
    for (i = 0; i < m->n; i++)
        json_object_set_new(o, v[i]->key, json_integer((json_int_t)v[i]->val));
    free(v);
    return o;
}

/* {field: {count, first: {source, line, value}}} for the group's
 * unparseable dates ({} when none). */
static json_t *bad_dates_json(const struct group *g)
{
    json_t *o = json_object();
    size_t i;

    for (i = 0; o && i < CF__COUNT; i++) {
        const struct bad_date *b = &g->bad[i];

        if (b->n)
            json_object_set_new(
                o, cf_name((enum cf)i),
                json_pack("{s:I, s:{s:s, s:I, s:s}}", "count", (json_int_t)b->n,
                          "first", "source", b->source, "line",
                          (json_int_t)b->line, "value", b->value));
    }
    return o;
}

static json_t *date_json(bool have, int64_t t)
{
    char d[20];

    if (!have)
        return json_null();
    date_format(t, false, d);
    return json_string(d);
}

json_t *inventory_json(const struct inventory *inv,
                       const struct ingest_stats *st)
{
    json_t *o = json_object(), *inputs = json_array(), *forces = json_array(),
           *notes = json_array();
    const struct group **gs = sorted_groups(inv);
    size_t i, j;
    char hex[SHA256_HEX_LEN + 1];

    if (!o || !inputs || !forces || !notes || !gs)
        goto fail;
    if (ingest_rowcount_json_add(o, st))
        goto fail;
    json_object_set_new(o, "rows_other_type",
                        json_integer((json_int_t)st->rows_other_type));
    for (i = 0; i < st->ninputs; i++) {
        const struct ingest_input *in = &st->inputs[i];

        sha256_hex(in->sha256, hex);
        json_array_append_new(
            inputs,
            json_pack("{s:s, s:I, s:s, s:s?, s:I, s:I, s:I}", "path", in->path,
                      "bytes", (json_int_t)in->bytes, "sha256", hex, "profile",
                      in->profile, "rows_read", (json_int_t)in->rows_read,
                      "rows_accepted", (json_int_t)in->rows_accepted,
                      "rows_rejected", (json_int_t)in->rows_rejected));
    }
    json_object_set_new(o, "inputs", inputs);
    inputs = NULL;
    for (i = 0; i < inv->ngroups; i++) {
        const struct group *g = gs[i];
        enum cf md = record_type_main_date(g->type);
        json_t *f = json_object(), *by = json_object();

        if (!f || !by) {
            json_decref(f);
            json_decref(by);
            goto fail;
        }
        json_object_set_new(f, "force", json_string(g->force));
        json_object_set_new(f, "type", json_string(record_type_name(g->type)));
        json_object_set_new(f, "records", json_integer((json_int_t)g->records));
        json_object_set_new(f, "date_field",
                            md == CF__COUNT ? json_null()
                                            : json_string(cf_name(md)));
        json_object_set_new(f, "first", date_json(g->have_date, g->first));
        json_object_set_new(f, "last", date_json(g->have_date, g->last));
        json_object_set_new(f, "undated", json_integer((json_int_t)g->undated));
        json_object_set_new(f, "bad_dates", bad_dates_json(g));
        json_object_set_new(f, "offence_group", smap_json(&g->offence_group));
        json_object_set_new(f, "attended", smap_json(&g->attended));
        for (j = 0; j < inv->nby; j++)
            json_object_set_new(by, inv->by[j], smap_json(&g->by[j]));
        json_object_set_new(f, "by", by);
        json_array_append_new(forces, f);
    }
    json_object_set_new(o, "forces", forces);
    forces = NULL;
    for (i = 0; i < st->nnotes; i++)
        json_array_append_new(notes, json_pack("{s:s, s:s, s:b}", "source",
                                               st->notes[i].source, "message",
                                               st->notes[i].message, "error",
                                               st->notes[i].error));
    json_object_set_new(o, "notes", notes);
    free(gs);
    return o;
fail:
    free(gs);
    json_decref(o);
    json_decref(inputs);
    json_decref(forces);
    json_decref(notes);
    return NULL;
}

static void write_counts(FILE *fp, const char *label, const struct hmap *m)
{
    const struct hmap_entry **v;
    size_t i;
    char buf[512];

    if (!m->n)
        return;
    v = sorted_slots(m);
    if (!v)
        return;
    fprintf(fp, "    %-16s", escape_term(buf, sizeof(buf), label));
    for (i = 0; i < m->n; i++)
        fprintf(fp, "%s%s %llu", i ? ", " : "",
                escape_term(buf, sizeof(buf), v[i]->key),
                (unsigned long long)v[i]->val);
    fputc('\n', fp);
    free(v);
}

static bool any_bad_date(const struct group *g)
{
    size_t i;

    for (i = 0; i < CF__COUNT; i++)
        if (g->bad[i].n)
            return true;
    return false;
}

/* "bad dates  recorded_at 2 (first crimes.csv:14: '31/02/2014'), ..." */
static void write_bad_dates(FILE *fp, const struct group *g)
{
    char src[256], val[256];
    size_t i;
    bool first = true;

    if (!any_bad_date(g))
        return;
    fprintf(fp, "    %-16s", "bad dates");
    for (i = 0; i < CF__COUNT; i++) {
        const struct bad_date *b = &g->bad[i];

        if (!b->n)
            continue;
        fprintf(fp, "%s%s %llu (first %s:%lu: '%s')", first ? "" : ", ",
                cf_name((enum cf)i), (unsigned long long)b->n,
                escape_term(src, sizeof(src), b->source), b->line,
                escape_term(val, sizeof(val), b->value));
        first = false;
    }
    fputc('\n', fp);
}

int inventory_write_text(const struct inventory *inv,
                         const struct ingest_stats *st, FILE *fp)
{
    const struct group **gs = sorted_groups(inv);
    size_t i, j, w = 5;
    char a[20], b[20], fb[256];

    if (!gs)
        return -1;
    fprintf(fp, "rows read %llu, accepted %llu, rejected %llu",
            (unsigned long long)st->rows_read,
            (unsigned long long)st->rows_accepted,
            (unsigned long long)st->rows_rejected);
    if (st->rows_other_type)
        fprintf(fp, " (%llu rows of other record types skipped)",
                (unsigned long long)st->rows_other_type);
    fputc('\n', fp);
    for (i = 0; i < inv->ngroups; i++)
        if (strlen(escape_term(fb, sizeof(fb), gs[i]->force)) > w)
            w = strlen(fb);
    if (inv->ngroups) {
        fprintf(fp, "\n%-*s  %-8s  %9s  %-11s  %-10s  %-10s  %s\n", (int)w,
                "force", "type", "records", "date", "first", "last", "undated");
        for (i = 0; i < inv->ngroups; i++) {
            const struct group *g = gs[i];
            enum cf md = record_type_main_date(g->type);

            if (g->have_date) {
                date_format(g->first, false, a);
                date_format(g->last, false, b);
            } else {
                snprintf(a, sizeof(a), "-");
                snprintf(b, sizeof(b), "-");
            }
            fprintf(fp, "%-*s  %-8s  %9llu  %-11s  %-10s  %-10s  %llu\n",
                    (int)w, escape_term(fb, sizeof(fb), g->force),
                    record_type_name(g->type), (unsigned long long)g->records,
                    md == CF__COUNT ? "-" : cf_name(md), a, b,
                    (unsigned long long)g->undated);
        }
        for (i = 0; i < inv->ngroups; i++) {
            const struct group *g = gs[i];
            bool any = g->offence_group.n || g->attended.n || any_bad_date(g);

            for (j = 0; j < inv->nby; j++)
                any = any || g->by[j].n;
            if (!any)
                continue;
            fprintf(fp, "\n  %s %s:\n", escape_term(fb, sizeof(fb), g->force),
                    record_type_name(g->type));
            write_bad_dates(fp, g);
            write_counts(fp, "offence_group", &g->offence_group);
            write_counts(fp, "attended", &g->attended);
            for (j = 0; j < inv->nby; j++)
                write_counts(fp, inv->by[j], &g->by[j]);
        }
    }
    if (st->rows_rejected) {
        fprintf(fp, "\nrejected rows by reason:\n");
        for (i = 0; i < RJ__COUNT; i++)
            if (st->rejected_by_reason[i])
                fprintf(fp, "  %-16s %llu\n",
                        reject_reason_name((enum reject_reason)i),
                        (unsigned long long)st->rejected_by_reason[i]);
    }
    free(gs);
    return ferror(fp) ? -1 : 0;
}
