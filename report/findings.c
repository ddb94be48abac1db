/* SPDX-License-Identifier: MIT */
/* Findings from one or more findings.csv files, and overrides; see
 * findings.h. */
#include "report/findings.h"

#include <stdlib.h>
#include <string.h>

#include "report/csvin.h"
#include "util/csvw.h"

static const char *const known_types[] = {"crime", "wanted", "bail", "incident",
                                          NULL};

void findings_init(struct findings *fs)
{
    memset(fs, 0, sizeof(*fs));
    strtab_init(&fs->types);
    strtab_init(&fs->forces);
    strtab_init(&fs->categories);
    strtab_init(&fs->samples);
    idmap_init(&fs->rule_ix);
    idmap_init(&fs->rec_ix);
    idmap_init(&fs->pair_ix);
}

void findings_release(struct findings *fs)
{
    size_t i, j;

    for (i = 0; i < fs->nsrcs; i++)
        free(fs->srcs[i]);
    free(fs->srcs);
    strtab_release(&fs->types);
    strtab_release(&fs->forces);
    strtab_release(&fs->categories);
    strtab_release(&fs->samples);
    for (i = 0; i < fs->nrules; i++) {
        free(fs->rules[i].id);
        free(fs->rules[i].level);
    }
    free(fs->rules);
    idmap_release(&fs->rule_ix);
    for (i = 0; i < fs->nrecs; i++) {
        free(fs->recs[i].id);
        if (fs->recs[i].by) {
            /* the --by values are a NULL-terminated vector */
            for (j = 0; fs->recs[i].by[j]; j++)
                free(fs->recs[i].by[j]);
            free(fs->recs[i].by);
        }
    }
    free(fs->recs);
    idmap_release(&fs->rec_ix);
    free(fs->f);
    idmap_release(&fs->pair_ix);
    for (i = 0; i < fs->nev; i++) {
        free(fs->ev[i].entry_at);
        free(fs->ev[i].excerpt);
        free(fs->ev[i].message);
    }
    free(fs->ev);
    free(fs->ovr_path);
    for (i = 0; i < fs->novr; i++) {
        free(fs->ovr[i].id);
        free(fs->ovr[i].rule_id);
        free(fs->ovr[i].reviewer);
        free(fs->ovr[i].reason);
    }
    free(fs->ovr);
    findings_init(fs);
}

/* Grow a vector of elements of size sz to hold one more. */
static int vec_reserve(void **v, size_t *alloc, size_t n, size_t sz)
{
    size_t na;
    void *nv;

    if (n < *alloc)
        return 0;
    na = *alloc ? *alloc * 2 : 64;
    if (na > SIZE_MAX / sz || na >= UINT32_MAX)
        return -1;
    nv = realloc(*v, na * sz);
    if (!nv)
        return -1;
    *v = nv;
    *alloc = na;
    return 0;
}

static void rec_key(char *key, size_t size, size_t *len, const char *sample,
                    const char *type, const char *id)
{
    /* '\n' cannot appear in a sample or type name, so this is unambiguous */
    int n = snprintf(key, size, "%s\n%s\n%s", sample, type, id);

    *len = n < 0 ? 0 : ((size_t)n < size ? (size_t)n : size - 1);
}

int findings_find_sample_record(const struct findings *fs, const char *sample,
                                const char *type, const char *id, uint32_t *rec)
{
    char key[1300];
    size_t len;

    if (strlen(id) > 1000 || strlen(sample) > 200)
        return 0;
    rec_key(key, sizeof(key), &len, sample, type, id);
    return idmap_get(&fs->rec_ix, key, len, rec);
}

int findings_find_record(const struct findings *fs, const char *type,
                         const char *id, uint32_t *rec)
{
    return findings_find_sample_record(fs, type, type, id, rec);
}

int findings_find(const struct findings *fs, uint32_t rec, const char *rule_id,
                  uint32_t *f)
{
    uint32_t rule, pair[2];

    if (!idmap_get_str(&fs->rule_ix, rule_id, &rule))
        return 0;
    pair[0] = rec;
    pair[1] = rule;
    return idmap_get(&fs->pair_ix, pair, sizeof(pair), f);
}

bool findings_named_samples(const struct findings *fs)
{
    size_t i;

    for (i = 0; i < fs->nrecs; i++)
        if (strcmp(fs->samples.v[fs->recs[i].sample],
                   fs->types.v[fs->recs[i].type]) != 0)
            return true;
    return false;
}

struct load_ctx {
    struct findings *fs;
    uint32_t src;
    const char *sample; /* NULL: the record type */
    int sample_col;     /* a `sample` column, or -1 */
    int col[FC__COUNT];
    size_t ncols;
    bool header_done;
};

static enum ca_status load_header(struct load_ctx *c,
                                  const struct csvin_row *row,
                                  struct ca_error *err)
{
    size_t i, j;

    for (j = 0; j < FC__COUNT; j++)
        c->col[j] = -1;
    c->sample_col = -1;
    for (i = 0; i < row->n; i++) {
        for (j = 0; j < FC__COUNT; j++)
            if (strcmp(row->v[i], findings_columns[j]) == 0 && c->col[j] < 0)
                c->col[j] = (int)i;
        if (strcmp(row->v[i], "sample") == 0 && c->sample_col < 0)
            c->sample_col = (int)i;
    }
    for (j = 0; j < FC__COUNT; j++)
        if (c->col[j] < 0)
            return ca_error_set(err, CA_DATA, row->path, row->line,
                                findings_columns[j],
                                "not a findings file: column missing from the "
                                "header (expected %s,...)",
                                findings_columns[0]);
    c->ncols = row->n;
    c->header_done = true;
    return CA_OK;
}

/* A row's fields checked: none of the required ones empty, a sample name
 * (*sname), a known record type and a verdict (*verdict). */
static enum ca_status check_row(const struct load_ctx *c,
                                const struct csvin_row *row,
                                const char *const v[FC__COUNT],
                                const char **snamep, enum verdict *verdict,
                                struct ca_error *err)
{
    const char *sname;
    size_t j;

    for (j = 0; j < FC__COUNT; j++) {
        if (j == FC_FORCE || j == FC_LEVEL || j == FC_ENTRY_AT ||
            j == FC_EXCERPT || j == FC_MESSAGE)
            continue;
        if (!v[j][0])
            return ca_error_set(err, CA_DATA, row->path, row->line,
                                findings_columns[j], "empty");
    }
    if (strlen(v[FC_ID]) > 1000)
        return ca_error_set(err, CA_DATA, row->path, row->line, "id",
                            "longer than 1000 bytes");
    sname = c->sample_col >= 0 && row->v[c->sample_col][0]
                ? row->v[c->sample_col]
            : c->sample ? c->sample
                        : v[FC_TYPE];
    if (strlen(sname) > 200 || strchr(sname, '\n'))
        return ca_error_set(err, CA_DATA, row->path, row->line, "sample",
                            "not a sample name");
    for (j = 0; known_types[j]; j++)
        if (strcmp(known_types[j], v[FC_TYPE]) == 0)
            break;
    if (!known_types[j])
        return ca_error_set(err, CA_DATA, row->path, row->line, "type",
                            "unknown record type '%s' (crime, wanted, bail "
                            "or incident)",
                            v[FC_TYPE]);
    *snamep = sname;
    if (findings_verdict_parse(v[FC_VERDICT], verdict) != 0)
        return ca_error_set(err, CA_DATA, row->path, row->line, "verdict",
                            "'%s' is not pass, fail or error", v[FC_VERDICT]);
    return CA_OK;
}

/* The rule of a row, added when it is new (*rulep), with the same type
 * and category wherever it appears. */
static enum ca_status row_rule(struct findings *fs, const struct csvin_row *row,
                               const char *const v[FC__COUNT], uint32_t type,
                               uint32_t cat, uint32_t *rulep,
                               struct ca_error *err)
{
    uint32_t rule;

    if (idmap_get_str(&fs->rule_ix, v[FC_RULE_ID], &rule)) {
        const struct frule *ru = &fs->rules[ *rulep = rule];

        if (ru->type != type || ru->category != cat)
            return ca_error_set(err, CA_DATA, row->path, row->line, "rule_id",
                                "rule '%s' appears with type '%s' and category "
                                "'%s' here but type '%s' and category '%s' "
                                "elsewhere",
                                v[FC_RULE_ID], v[FC_TYPE], v[FC_CATEGORY],
                                fs->types.v[ru->type],
                                fs->categories.v[ru->category]);
    } else {
        struct frule *ru;

        if (vec_reserve((void **)&fs->rules, &fs->rules_alloc, fs->nrules,
                        sizeof(*fs->rules)) != 0)
            goto nomem;
        ru = &fs->rules[fs->nrules];
        ru->id = strdup(v[FC_RULE_ID]);
        ru->level = strdup(v[FC_LEVEL]);
        ru->type = type;
        ru->category = cat;
        if (!ru->id || !ru->level) {
            free(ru->id);
            free(ru->level);
            goto nomem;
        }
        rule = (uint32_t)fs->nrules;
        if (idmap_put_str(&fs->rule_ix, ru->id, rule, NULL) != 0) {
            free(ru->id);
            free(ru->level);
            goto nomem;
        }
        fs->nrules++;
    }
    *rulep = rule;
    return CA_OK;

nomem:
    return ca_error_set(err, CA_SYSTEM, row->path, row->line, NULL,
                        "out of memory");
}

/* The record of a row, added when it is new (*recp), in the same force
 * wherever it appears. */
static enum ca_status row_record(const struct load_ctx *c,
                                 const struct csvin_row *row,
                                 const char *const v[FC__COUNT],
                                 const char *sname, uint32_t type,
                                 uint32_t force, uint32_t sample,
                                 uint32_t *recp, struct ca_error *err)
{
    struct findings *fs = c->fs;
    uint32_t rec;
    char key[1300];
    size_t keylen;

    rec_key(key, sizeof(key), &keylen, sname, v[FC_TYPE], v[FC_ID]);
    if (idmap_get(&fs->rec_ix, key, keylen, &rec)) {
        *recp = rec;
        if (fs->recs[rec].force != force)
            return ca_error_set(err, CA_DATA, row->path, row->line, "force",
                                "%s '%s' has force '%s' here but '%s' at "
                                "%s:%lu",
                                v[FC_TYPE], v[FC_ID], fs->forces.v[force],
                                fs->forces.v[fs->recs[rec].force],
                                fs->srcs[fs->recs[rec].src],
                                fs->recs[rec].line);
    } else {
        struct frecord *re;

        if (vec_reserve((void **)&fs->recs, &fs->recs_alloc, fs->nrecs,
                        sizeof(*fs->recs)) != 0)
            goto nomem;
        re = &fs->recs[fs->nrecs];
        memset(re, 0, sizeof(*re));
        re->id = strdup(v[FC_ID]);
        if (!re->id)
            goto nomem;
        re->type = type;
        re->sample = sample;
        re->force = force;
        re->src = c->src;
        re->line = row->line;
        re->head = re->tail = FINDING_NONE;
        rec = (uint32_t)fs->nrecs;
        if (idmap_put(&fs->rec_ix, key, keylen, rec, NULL) != 0) {
            free(re->id);
            goto nomem;
        }
        fs->nrecs++;
    }
    *recp = rec;
    return CA_OK;

nomem:
    return ca_error_set(err, CA_SYSTEM, row->path, row->line, NULL,
                        "out of memory");
}

/* The finding of a row (record rec, rule rule), one per pair, with its
 * evidence when it did not pass, appended to its record's list. */
static enum ca_status row_finding(const struct load_ctx *c,
                                  const struct csvin_row *row,
                                  const char *const v[FC__COUNT], uint32_t rec,
                                  uint32_t rule, enum verdict verdict,
                                  struct ca_error *err)
{
    struct findings *fs = c->fs;
    struct finding *f;
    uint32_t old;
    int r;

    {
        uint32_t pair[2] = {rec, rule};

        if (fs->nf >= UINT32_MAX - 1)
            return ca_error_set(err, CA_DATA, row->path, row->line, NULL,
                                "too many findings");
        r = idmap_put(&fs->pair_ix, pair, sizeof(pair), (uint32_t)fs->nf, &old);
        if (r < 0)
            goto nomem;
        if (r == 1)
            return ca_error_set(err, CA_DATA, row->path, row->line, NULL,
                                "duplicate finding: %s '%s' rule '%s' is also "
                                "at %s:%lu",
                                v[FC_TYPE], v[FC_ID], v[FC_RULE_ID],
                                fs->srcs[fs->f[old].src], fs->f[old].line);
    }
    if (vec_reserve((void **)&fs->f, &fs->f_alloc, fs->nf, sizeof(*fs->f)) != 0)
        goto nomem;
    f = &fs->f[fs->nf];
    f->rec = rec;
    f->rule = rule;
    f->next = FINDING_NONE;
    f->src = c->src;
    f->line = row->line;
    f->verdict = f->original = (unsigned char)verdict;
    f->ovr = FINDING_NONE;
    f->excluded = 0;
    f->ev = FINDING_NONE;
    if (verdict != V_PASS) {
        struct evidence *e;

        if (vec_reserve((void **)&fs->ev, &fs->ev_alloc, fs->nev,
                        sizeof(*fs->ev)) != 0)
            goto nomem;
        e = &fs->ev[fs->nev];
        e->entry_at = strdup(v[FC_ENTRY_AT]);
        e->excerpt = strdup(v[FC_EXCERPT]);
        e->message = strdup(v[FC_MESSAGE]);
        if (!e->entry_at || !e->excerpt || !e->message) {
            free(e->entry_at);
            free(e->excerpt);
            free(e->message);
            goto nomem;
        }
        f->ev = (uint32_t)fs->nev++;
    }
    if (fs->recs[rec].tail == FINDING_NONE)
        fs->recs[rec].head = (uint32_t)fs->nf;
    else
        fs->f[fs->recs[rec].tail].next = (uint32_t)fs->nf;
    fs->recs[rec].tail = (uint32_t)fs->nf;
    fs->nf++;
    return CA_OK;
nomem:
    return ca_error_set(err, CA_SYSTEM, row->path, row->line, NULL,
                        "out of memory");
}

static enum ca_status load_row(void *vc, const struct csvin_row *row,
                               struct ca_error *err)
{
    struct load_ctx *c = vc;
    struct findings *fs = c->fs;
    const char *v[FC__COUNT];
    enum verdict verdict;
    uint32_t type, force, cat, sample, rule = 0, rec = 0;
    const char *sname = NULL;
    enum ca_status st;
    size_t j;

    if (!c->header_done)
        return load_header(c, row, err);
    if (row->n != c->ncols)
        return ca_error_set(err, CA_DATA, row->path, row->line, NULL,
                            "%zu fields, but the header has %zu", row->n,
                            c->ncols);
    for (j = 0; j < FC__COUNT; j++)
        v[j] = row->v[c->col[j]];
    st = check_row(c, row, v, &sname, &verdict, err);
    if (st != CA_OK)
        return st;
    if (strtab_intern(&fs->types, v[FC_TYPE], &type) != 0 ||
        strtab_intern(&fs->forces, v[FC_FORCE][0] ? v[FC_FORCE] : "unknown",
                      &force) != 0 ||
        strtab_intern(&fs->categories, v[FC_CATEGORY], &cat) != 0 ||
        strtab_intern(&fs->samples, sname, &sample) != 0)
        return ca_error_set(err, CA_SYSTEM, row->path, row->line, NULL,
                            "out of memory");
    st = row_rule(fs, row, v, type, cat, &rule, err);
    if (st == CA_OK)
        st = row_record(c, row, v, sname, type, force, sample, &rec, err);
    if (st == CA_OK)
        st = row_finding(c, row, v, rec, rule, verdict, err);
    return st;
}

enum ca_status findings_load(struct findings *fs, const char *path,
                             struct ca_error *err)
{
    return findings_load_sample(fs, path, NULL, err);
}

enum ca_status findings_load_sample(struct findings *fs, const char *path,
                                    const char *sample, struct ca_error *err)
{
    struct load_ctx c;
    enum ca_status st;
    char **ns;
    size_t before = fs->nf;

    memset(&c, 0, sizeof(c));
    c.fs = fs;
    c.sample = sample;
    ns = realloc(fs->srcs, (fs->nsrcs + 1) * sizeof(*ns));
    if (!ns)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    fs->srcs = ns;
    fs->srcs[fs->nsrcs] = strdup(path);
    if (!fs->srcs[fs->nsrcs])
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    c.src = (uint32_t)fs->nsrcs++;
    st = csvin_read(path, load_row, &c, err);
    if (st != CA_OK)
        return st;
    if (!c.header_done)
        return ca_error_set(err, CA_DATA, path, 0, NULL,
                            "empty file: not a findings file");
    (void)before;
    return CA_OK;
}

/* --- overrides ----------------------------------------------------------- */

enum ocol { OC_ID, OC_RULE_ID, OC_VERDICT, OC_REVIEWER, OC_REASON, OC__COUNT };
static const char *const ocol_names[OC__COUNT] = {"id", "rule_id", "verdict",
                                                  "reviewer", "reason"};

struct ovr_ctx {
    struct findings *fs;
    int col[OC__COUNT];
    size_t ncols;
    bool header_done;
};

int findings_add_override(struct findings *fs, uint32_t fi, const char *id,
                          const char *rule_id, const char *reviewer,
                          const char *reason, unsigned long line,
                          enum verdict verdict)
{
    struct finding *f = &fs->f[fi];
    struct override *o;
    int rc = -1;

    if (vec_reserve((void **)&fs->ovr, &fs->ovr_alloc, fs->novr,
                    sizeof(*fs->ovr)) != 0)
        goto out;
    o = &fs->ovr[fs->novr];
    memset(o, 0, sizeof(*o));
    o->id = strdup(id);
    o->rule_id = strdup(rule_id);
    o->reviewer = strdup(reviewer);
    o->reason = strdup(reason);
    if (!o->id || !o->rule_id || !o->reviewer || !o->reason) {
        free(o->id);
        free(o->rule_id);
        free(o->reviewer);
        free(o->reason);
        goto out;
    }
    o->line = line;
    o->verdict = (unsigned char)verdict;
    o->original = f->original;
    o->finding = fi;
    f->ovr = (uint32_t)fs->novr++;
    f->verdict = (unsigned char)verdict;
    rc = 0;
out:
    return rc;
}

static enum ca_status ovr_row(void *vc, const struct csvin_row *row,
                              struct ca_error *err)
{
    struct ovr_ctx *c = vc;
    struct findings *fs = c->fs;
    const char *v[OC__COUNT];
    uint32_t rule, rec, fi;
    struct finding *f;
    enum verdict verdict;
    size_t i, j;

    if (!c->header_done) {
        for (j = 0; j < OC__COUNT; j++)
            c->col[j] = -1;
        for (i = 0; i < row->n; i++)
            for (j = 0; j < OC__COUNT; j++)
                if (strcmp(row->v[i], ocol_names[j]) == 0 && c->col[j] < 0)
                    c->col[j] = (int)i;
        for (j = 0; j < OC__COUNT; j++)
            if (c->col[j] < 0)
                return ca_error_set(err, CA_DATA, row->path, row->line,
                                    ocol_names[j],
                                    "not an overrides file: column missing "
                                    "from the header (expected id,rule_id,"
                                    "verdict,reviewer,reason)");
        c->ncols = row->n;
        c->header_done = true;
        return CA_OK;
    }
    if (row->n != c->ncols)
        return ca_error_set(err, CA_DATA, row->path, row->line, NULL,
                            "%zu fields, but the header has %zu", row->n,
                            c->ncols);
    for (j = 0; j < OC__COUNT; j++) {
        v[j] = row->v[c->col[j]];
        if (!v[j][0])
            return ca_error_set(err, CA_DATA, row->path, row->line,
                                ocol_names[j],
                                "empty (every override needs "
                                "an id, rule, verdict, reviewer and reason)");
    }
    if (strcmp(v[OC_VERDICT], "pass") == 0)
        verdict = V_PASS;
    else if (strcmp(v[OC_VERDICT], "fail") == 0)
        verdict = V_FAIL;
    else
        return ca_error_set(err, CA_DATA, row->path, row->line, "verdict",
                            "'%s' is not pass or fail", v[OC_VERDICT]);
    if (!idmap_get_str(&fs->rule_ix, v[OC_RULE_ID], &rule))
        return ca_error_set(err, CA_DATA, row->path, row->line, "rule_id",
                            "unknown rule '%s': no finding names it",
                            v[OC_RULE_ID]);
    /* the file in the first sample whose findings hold the rule for it */
    {
        bool any_rec = false, found = false;

        for (i = 0; i < fs->samples.n && !found; i++) {
            uint32_t pair[2];

            if (!findings_find_sample_record(fs, fs->samples.v[i],
                                             fs->types.v[fs->rules[rule].type],
                                             v[OC_ID], &rec))
                continue;
            any_rec = true;
            pair[0] = rec;
            pair[1] = rule;
            found = idmap_get(&fs->pair_ix, pair, sizeof(pair), &fi);
        }
        if (!any_rec)
            return ca_error_set(err, CA_DATA, row->path, row->line, "id",
                                "unknown id '%s': no %s finding has it",
                                v[OC_ID], fs->types.v[fs->rules[rule].type]);
        if (!found)
            return ca_error_set(err, CA_DATA, row->path, row->line, "rule_id",
                                "rule '%s' was not applied to '%s' (no "
                                "finding to override)",
                                v[OC_RULE_ID], v[OC_ID]);
    }
    f = &fs->f[fi];
    if (f->ovr != FINDING_NONE)
        return ca_error_set(err, CA_DATA, row->path, row->line, NULL,
                            "second override of '%s' rule '%s' (first at "
                            "line %lu)",
                            v[OC_ID], v[OC_RULE_ID], fs->ovr[f->ovr].line);
    if (findings_add_override(fs, fi, v[OC_ID], v[OC_RULE_ID], v[OC_REVIEWER],
                              v[OC_REASON], row->line, verdict) != 0)
        goto nomem;
    return CA_OK;
nomem:
    return ca_error_set(err, CA_SYSTEM, row->path, row->line, NULL,
                        "out of memory");
}

enum ca_status findings_apply_overrides(struct findings *fs, const char *path,
                                        struct ca_error *err)
{
    struct ovr_ctx c;
    enum ca_status st;

    if (fs->ovr_path)
        return ca_error_set(err, CA_USAGE, path, 0, NULL,
                            "only one overrides file can be applied");
    fs->ovr_path = strdup(path);
    if (!fs->ovr_path)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    memset(&c, 0, sizeof(c));
    c.fs = fs;
    st = csvin_read(path, ovr_row, &c, err);
    if (st == CA_OK && !c.header_done)
        st = ca_error_set(err, CA_DATA, path, 0, NULL,
                          "empty file: not an overrides file");
    return st;
}

/* --- writing ------------------------------------------------------------- */

struct write_ctx {
    const struct findings *fs;
    struct csvw w;
    bool samples; /* write the sample column */
    size_t next;  /* index of the finding the next row must be */
    int col[FC__COUNT];
    bool header_done;
};

static enum ca_status write_row(void *vc, const struct csvin_row *row,
                                struct ca_error *err)
{
    struct write_ctx *c = vc;
    const struct findings *fs = c->fs;
    const struct finding *f;
    size_t j;

    if (!c->header_done) {
        for (j = 0; j < FC__COUNT; j++) {
            size_t i;

            c->col[j] = -1;
            for (i = 0; i < row->n; i++)
                if (strcmp(row->v[i], findings_columns[j]) == 0) {
                    c->col[j] = (int)i;
                    break;
                }
            if (c->col[j] < 0)
                goto changed;
        }
        c->header_done = true;
        return CA_OK;
    }
    if (c->next >= fs->nf)
        goto changed;
    f = &fs->f[c->next++];
    if (strcmp(row->v[c->col[FC_ID]], fs->recs[f->rec].id) != 0 ||
        strcmp(row->v[c->col[FC_RULE_ID]], fs->rules[f->rule].id) != 0)
        goto changed;
    for (j = 0; j < FC__COUNT; j++) {
        const char *val = row->v[c->col[j]];

        if (j == FC_VERDICT) {
            csvw_str(&c->w, findings_verdict_name((enum verdict)f->verdict));
        } else if (j == FC_MESSAGE && f->ovr != FINDING_NONE) {
            const struct override *o = &fs->ovr[f->ovr];
            char *m = NULL;
            size_t ml = 0;
            FILE *mf = open_memstream(&m, &ml);

            if (!mf)
                return ca_error_set(err, CA_SYSTEM, row->path, row->line, NULL,
                                    "out of memory");
            fprintf(mf, "%s%s[override %s -> %s by %s: %s]", val,
                    val[0] ? " " : "",
                    findings_verdict_name((enum verdict)o->original),
                    findings_verdict_name((enum verdict)o->verdict),
                    o->reviewer, o->reason);
            fclose(mf);
            csvw_field(&c->w, m, ml);
            free(m);
        } else {
            csvw_field(&c->w, val, row->len[c->col[j]]);
        }
    }
    if (c->samples)
        csvw_str(&c->w, fs->samples.v[fs->recs[f->rec].sample]);
    csvw_end_row(&c->w);
    return CA_OK;
changed:
    return ca_error_set(err, CA_DATA, row->path, row->line, NULL,
                        "findings file changed while the report was written");
}

enum ca_status findings_write_csv(const struct findings *fs, FILE *fp,
                                  struct ca_error *err)
{
    struct write_ctx c;
    enum ca_status st;
    size_t i;

    memset(&c, 0, sizeof(c));
    c.fs = fs;
    c.samples = findings_named_samples(fs);
    csvw_init(&c.w, fp);
    for (i = 0; i < FC__COUNT; i++)
        csvw_str(&c.w, findings_columns[i]);
    if (c.samples)
        csvw_str(&c.w, "sample");
    csvw_end_row(&c.w);
    for (i = 0; i < fs->nsrcs; i++) {
        c.header_done = false;
        st = csvin_read(fs->srcs[i], write_row, &c, err);
        if (st != CA_OK)
            return st;
    }
    if (c.next != fs->nf)
        return ca_error_set(err, CA_DATA, fs->srcs[fs->nsrcs - 1], 0, NULL,
                            "findings file changed while the report was "
                            "written");
    return CA_OK;
}

void findings_write_overrides(const struct findings *fs, FILE *fp)
{
    static const char *const head[] = {
        "id",      "type",     "rule_id", "original_verdict",
        "verdict", "reviewer", "reason"};
    struct csvw w;
    size_t i;

    csvw_init(&w, fp);
    csvw_row(&w, head, sizeof(head) / sizeof(head[0]));
    for (i = 0; i < fs->novr; i++) {
        const struct override *o = &fs->ovr[i];
        const struct finding *f = &fs->f[o->finding];

        csvw_str(&w, o->id);
        csvw_str(&w, fs->types.v[fs->recs[f->rec].type]);
        csvw_str(&w, o->rule_id);
        csvw_str(&w, findings_verdict_name((enum verdict)o->original));
        csvw_str(&w, findings_verdict_name((enum verdict)o->verdict));
        csvw_str(&w, o->reviewer);
        csvw_str(&w, o->reason);
        csvw_end_row(&w);
    }
}
