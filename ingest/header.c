/* SPDX-License-Identifier: MIT */
/*
 * The header row of each CSV stream the ingest driver reads: the profile
 * that maps it (the user's, or police-uk when its header matches, else
 * canonical), the record type, the canonical columns, derived and virtual
 * columns, the dates and flags to parse and the fields a record must have.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/driver.h"
#include "util/csvw.h"

static bool has(const struct file *f, enum cf x)
{
    return f->rec.canon[x] >= 0;
}

static enum record_type detect_type(const struct file *f, enum record_type want)
{
    enum record_type t = RT_UNKNOWN;
    bool bare = true;
    int i;

    if (f->prof->type != RT_UNKNOWN)
        return f->prof->type;
    if (has(f, CF_WANTED_REF))
        t = RT_WANTED;
    else if (has(f, CF_BAIL_REF))
        t = RT_BAIL;
    else if (has(f, CF_OPENED_AT) && !has(f, CF_RECORDED_AT))
        t = RT_INCIDENT;
    else if (has(f, CF_CRIME_REF))
        t = RT_CRIME;
    else if (has(f, CF_INCIDENT_REF))
        t = RT_INCIDENT;
    /* A bare list of references is ambiguous: the requested type wins. */
    for (i = 0; i < CF__COUNT; i++) {
        if (!has(f, (enum cf)i))
            continue;
        if (i != CF_FORCE && i != CF_CRIME_REF && i != CF_WANTED_REF &&
            i != CF_BAIL_REF && i != CF_INCIDENT_REF && i != CF_PERSON_REF)
            bare = false;
    }
    if (bare && want != RT_UNKNOWN && has(f, record_type_id_field(want)))
        t = want;
    return t;
}

static const struct profile *pick_profile(struct run *r,
                                          const char *const *names, size_t n)
{
    if (r->user)
        return r->user;
    if (r->builtin_police && profile_detects(r->builtin_police, names, n))
        return r->builtin_police;
    return r->builtin_canonical;
}

static int add_required(struct file *f, enum cf q)
{
    size_t i;

    for (i = 0; i < f->nrequired; i++)
        if (f->required[i] == q)
            return 0;
    if (f->nrequired < sizeof(f->required) / sizeof(f->required[0]))
        f->required[f->nrequired++] = q;
    return 0;
}

/* A header name as profiles match it: case-insensitive, without the
 * blanks around it. */
struct hname {
    const char *p;
    size_t n;
    size_t col;
};

static int hname_cmp_text(const struct hname *x, const struct hname *y)
{
    size_t k;

    for (k = 0; k < x->n && k < y->n; k++) {
        int cx = (unsigned char)x->p[k], cy = (unsigned char)y->p[k];

        cx = cx >= 'A' && cx <= 'Z' ? cx + 32 : cx;
        cy = cy >= 'A' && cy <= 'Z' ? cy + 32 : cy;
        if (cx != cy)
            return cx < cy ? -1 : 1;
    }
    return x->n < y->n ? -1 : x->n > y->n;
}

static int hname_cmp(const void *a, const void *b)
{
    const struct hname *x = a, *y = b;
    int c = hname_cmp_text(x, y);

    return c ? c : x->col < y->col ? -1 : x->col > y->col;
}

/* The header's non-empty names, sorted into v (room for n); returns how
 * many. */
static size_t hnames_sorted(const char *const *names, size_t n, struct hname *v)
{
    size_t i, m = 0;

    for (i = 0; i < n; i++) {
        const char *s = names[i];
        size_t len;

        if (!s)
            continue;
        len = strlen(s);
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (!len)
            continue;
        v[m].p = s;
        v[m].n = len;
        v[m].col = i;
        m++;
    }
    if (m > 1)
        qsort(v, m, sizeof(*v), hname_cmp);
    return m;
}

/*
 * A name repeated in the header (compared as profiles compare names) would
 * let the first column win silently, so it is an error naming the first two
 * columns of that name, unless the profile maps one or more of them by
 * position: those are read as their fields and take the field's name, and
 * the other columns of that name are set aside (a NULL name: not read by
 * name, not kept in samples).  Empty names are not names.  Returns 0, or
 * 1 after an error note.
 */
static int resolve_repeated_names(struct run *r, struct file *f)
{
    const struct profile *p = f->prof;
    struct hname *v;
    int *bypos = NULL;
    size_t n = f->ncsv, m, i, j, k;
    bool renamed = false;
    int rc = 0;

    v = malloc((n ? n : 1) * sizeof(*v));
    if (!v) {
        ingest_oom(r);
        return 1;
    }
    m = hnames_sorted(f->names, n, v);
    for (i = 0; i + 1 < m; i++)
        if (hname_cmp_text(&v[i], &v[i + 1]) == 0)
            break;
    if (i + 1 >= m)
        goto out; /* every name once: the common case */
    bypos = malloc(n * sizeof(*bypos));
    if (!bypos) {
        ingest_oom(r);
        rc = 1;
        goto out;
    }
    for (i = 0; i < n; i++)
        bypos[i] = -1;
    for (k = 0; k < CF__COUNT; k++)
        if (p->position[k] && p->position[k] <= n &&
            bypos[p->position[k] - 1] < 0)
            bypos[p->position[k] - 1] = (int)k;
    for (i = 0; i < m; i = j) {
        bool mapped = bypos[v[i].col] >= 0;

        for (j = i + 1; j < m && hname_cmp_text(&v[i], &v[j]) == 0; j++)
            mapped = mapped || bypos[v[j].col] >= 0;
        if (j - i < 2)
            continue;
        if (!mapped) {
            const char *a = f->names[v[i].col], *b = f->names[v[i + 1].col];
            bool same = strcmp(a, b) == 0;

            ingest_add_note(
                r, f->source, true,
                "line 1: columns %zu and %zu are both named '%.*s'%s%.200s%s"
                "%.200s%s, and only the first would be read: rename one, "
                "or map them by position in a profile (columns: {FIELD: "
                "{position: N}}; docs/profile-format.md)",
                v[i].col + 1, v[i + 1].col + 1, (int)v[i].n, v[i].p,
                same ? "" : " (as '", same ? "" : a, same ? "" : "' and '",
                same ? "" : b, same ? "" : "')");
            rc = 1;
            goto out;
        }
        for (k = i; k < j; k++) {
            size_t c = v[k].col;

            f->names[c] = bypos[c] >= 0 ? cf_name((enum cf)bypos[c]) : NULL;
            renamed = true;
        }
    }
    if (!renamed)
        goto out;
    /* a column named after its field must not clash with another */
    m = hnames_sorted(f->names, n, v);
    for (i = 0; i + 1 < m; i++)
        if (hname_cmp_text(&v[i], &v[i + 1]) == 0) {
            ingest_add_note(
                r, f->source, true,
                "line 1: columns %zu and %zu are both named '%.*s' once "
                "the columns the profile maps by position are named after "
                "their fields",
                v[i].col + 1, v[i + 1].col + 1, (int)v[i].n, v[i].p);
            rc = 1;
            break;
        }
out:
    free(bypos);
    free(v);
    return rc;
}

/*
 * Whether the header is that of a sample file `caseaudit sample` wrote (it
 * ends its columns with sample_rank, stratum and spare): its fields were
 * written with the CSV formula guard, which reading undoes so that the
 * values are exactly those of the export sampled.
 */
static bool is_sample_file(const struct csvrow *row)
{
    static const char *const cols[] = {"sample_rank", "stratum", "spare"};
    size_t i, k, found = 0;

    for (k = 0; k < 3; k++)
        for (i = 0; i < row->nkept; i++)
            if (strcmp(row->v[i], cols[k]) == 0) {
                found++;
                break;
            }
    return found == 3;
}

/* The fields a record must have, and the record and case-log context the
 * rows of the file fill in place. */
static void header_record(struct run *r, struct file *f)
{
    size_t i;
    int c;

    f->nrequired = 0;
    for (i = 0; i < f->prof->nrequired; i++)
        add_required(f, f->prof->required[i]);
    if (r->o->required) {
        const char *const *q;

        for (q = r->o->required; *q; q++) {
            c = cf_lookup(*q);
            if (c >= 0)
                add_required(f, (enum cf)c);
        }
    }
    f->logctx.rx = f->prof->has_entry_regex ? &f->prof->entry_regex : NULL;
    f->logctx.at_format = f->prof->entry_date_format;
    f->logctx.max_entries = r->o->limits.max_log_entries;
    f->logctx.joined = r->have_join;
    f->logctx.utf8_valid = true; /* rows with invalid UTF-8 are rejected */
    f->logctx.entries = NULL;
    f->logctx.nentries = 0;
    f->rec.type = f->type;
    f->rec.source = f->source;
    f->rec.ncols = f->ncols;
    f->rec.names = f->names;
    f->rec.values = f->values;
    f->rec.lens = f->lens;
    f->rec.log_ctx = &f->logctx;
    f->rec.force = "unknown";
    f->rec.id = "";
}

int ingest_header_row(struct run *r, struct csvrow *row)
{
    struct file *f = &r->f;
    size_t i, total = 0, nv = 0;
    char *p;

    f->header_done = true;
    if (row->bad != CSVROW_OK) {
        ingest_add_note(r, f->source, true,
                        "line %lu: unable to read the header row: %s",
                        row->line, row->detail);
        return 1;
    }
    if (row->n != row->nkept) {
        ingest_add_note(r, f->source, true,
                        "the header has more than %zu columns", row->nkept);
        return 1;
    }
    f->ncsv = row->n;
    for (i = 0; i < f->ncsv; i++)
        total += row->len[i] + 1;
    f->names_block = malloc(total + 1);
    f->names = malloc((f->ncsv + MAX_VIRTUAL) * sizeof(*f->names));
    f->values = malloc((f->ncsv + MAX_VIRTUAL) * sizeof(*f->values));
    f->lens = malloc((f->ncsv + MAX_VIRTUAL) * sizeof(*f->lens));
    if (!f->names_block || !f->names || !f->values || !f->lens) {
        ingest_oom(r);
        return 1;
    }
    f->unguard = is_sample_file(row);
    p = f->names_block;
    for (i = 0; i < f->ncsv; i++) {
        size_t skip = f->unguard ? csvw_unguard(row->v[i], row->len[i]) : 0;

        memcpy(p, row->v[i] + skip, row->len[i] - skip + 1);
        f->names[i] = p;
        p += row->len[i] - skip + 1;
    }
    f->prof = pick_profile(r, f->names, f->ncsv);
    if (resolve_repeated_names(r, f))
        return 1;
    for (i = 0; i < CF__COUNT; i++) {
        f->rec.canon[i] =
            profile_column(f->prof, (enum cf)i, f->names, f->ncsv);
        f->date_fmt[i] = f->prof->date_formats[i] ? f->prof->date_formats[i]
                                                  : f->prof->date_format;
    }
    f->type = detect_type(f, r->o->type);
    if (r->o->type == RT_UNKNOWN) {
        static const enum record_type asked[] = {RT_CRIME, RT_WANTED, RT_BAIL,
                                                 RT_INCIDENT};
        size_t k;

        for (k = 0; k < sizeof(asked) / sizeof(asked[0]); k++)
            if (detect_type(f, asked[k]) != f->type) {
                r->st->files_type_ambiguous++;
                break;
            }
    }
    if (f->in) {
        free(f->in->profile);
        f->in->profile = ingest_strdup(f->prof->name);
    }
    if (f->type == RT_UNKNOWN) {
        ingest_add_note(
            r, f->source, f->top_level,
            "skipped: no id column (crime_ref, wanted_ref, bail_ref or "
            "incident_ref) under profile '%s'",
            f->prof->name);
        return 1;
    }
    f->id_col = f->rec.canon[record_type_id_field(f->type)];
    if (f->id_col < 0) {
        ingest_add_note(
            r, f->source, f->top_level,
            "skipped: profile '%s' reads %s records but the header has no "
            "'%s' column",
            f->prof->name, record_type_name(f->type),
            cf_name(record_type_id_field(f->type)));
        return 1;
    }
    if (r->o->type != RT_UNKNOWN && f->type != r->o->type) {
        f->other_type = true;
        return 0;
    }
    /* derived and virtual columns */
    for (i = 0; i < f->prof->nderive && nv < MAX_VIRTUAL; i++) {
        const struct profile_derive *d = &f->prof->derive[i];

        if (has(f, d->target) || !has(f, d->from))
            continue;
        f->vcols[nv].d = d;
        f->vcols[nv].from = f->rec.canon[d->from];
        f->names[f->ncsv + nv] = cf_name(d->target);
        f->rec.canon[d->target] = (int)(f->ncsv + nv);
        nv++;
    }
    if (r->have_join && record_type_has_field(f->type, CF_LOG) &&
        !has(f, CF_LOG) && nv < MAX_VIRTUAL) {
        f->vcols[nv].d = NULL;
        f->vcols[nv].from = -1;
        f->names[f->ncsv + nv] = "log";
        f->rec.canon[CF_LOG] = (int)(f->ncsv + nv);
        nv++;
    }
    f->nvcols = nv;
    f->ncols = f->ncsv + nv;
    f->ndates = f->nflags = 0;
    for (i = 0; i < CF__COUNT; i++) {
        f->rec.at_state[i] = DS_ABSENT;
        f->rec.at[i] = 0;
        f->rec.at_has_time[i] = false;
        if (!has(f, (enum cf)i))
            continue;
        if (cf_kind((enum cf)i) == CFK_DATE)
            f->dates[f->ndates++] = (enum cf)i;
        else if (cf_kind((enum cf)i) == CFK_FLAG &&
                 f->rec.canon[i] < (int)f->ncsv)
            f->flags[f->nflags++] = (enum cf)i;
    }
    f->force_col = f->rec.canon[CF_FORCE];
    f->fallback_col = -1;
    if (f->prof->force_fallback) {
        for (i = 0; i < f->ncsv; i++) {
            if (f->names[i] &&
                ingest_strcaseeq(f->names[i], f->prof->force_fallback)) {
                f->fallback_col = (int)i;
                break;
            }
        }
    }
    header_record(r, f);
    r->csv.max_fields = f->ncsv + 1;
    return 0;
}
