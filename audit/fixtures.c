/* SPDX-License-Identifier: MIT */
/* Reviewed files as labelled fixture rows; see fixtures.h. */
#include "audit/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/ruletest.h"
#include "ingest/ingest.h"
#include "report/idmap.h"
#include "report/reviews.h"
#include "util/buf.h"
#include "util/csvw.h"
#include "util/outfile.h"

void fixtures_result_release(struct fixtures_result *r)
{
    size_t i;

    for (i = 0; i < RT__COUNT; i++)
        free(r->paths[i]);
    memset(r, 0, sizeof(*r));
}

/* One fixture row: a reviewed file. */
struct frow {
    enum record_type type;
    char *id;
    char *v[CF__COUNT]; /* canonical values (NULL: absent) */
    char as_of[20];
    struct buf expect;
    bool found, dropped;
};

struct fx {
    const struct fixtures_opts *o;
    struct fixtures_result *out;
    struct reviews rv;
    struct frow *rows;
    size_t nrows;
    struct idmap ix; /* "type\nid" -> row */
    struct engine_scratch *s;
    struct log_entries le;
    struct ca_error lerr;
    /* the matched entries of the record being read */
    int64_t *keep;
    size_t nkeep, keepalloc;
    bool oom;
    enum ca_status st;
    struct ca_error *err;
};

static size_t rkey(char *k, size_t size, const char *type, const char *id)
{
    int n = snprintf(k, size, "%s\n%s", type, id);

    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* The rules of a test: the programme's, or the rule of that id. */
static size_t test_rules(const struct fixtures_opts *o, const char *test,
                         const char *const **rules, const char **one)
{
    size_t i;

    for (i = 0; o->prog && i < o->prog->ntests; i++)
        if (strcmp(o->prog->tests[i].id, test) == 0) {
            *rules = (const char *const *)o->prog->tests[i].rules;
            return o->prog->tests[i].nrules;
        }
    if (ruleset_find(o->rs, test)) {
        *one = test;
        *rules = one;
        return 1;
    }
    return 0;
}

static bool in_list(const char *list, const char *rule)
{
    size_t n = strlen(rule);
    const char *p = list;

    while ((p = strstr(p, rule)) != NULL) {
        bool start = p == list || p[-1] == ' ' || p[-1] == ';';
        bool end = p[n] == '\0' || p[n] == ';' || p[n] == ' ';

        if (start && end)
            return true;
        p += n;
    }
    return false;
}

static int add_label(struct fx *x, struct frow *r, const char *kind,
                     const char *rule)
{
    char lab[300];

    snprintf(lab, sizeof(lab), "%s:%s", kind, rule);
    /* once per row */
    if (r->expect.len && (strstr(r->expect.data, lab) != NULL)) {
        const char *p = strstr(r->expect.data, lab);
        size_t n = strlen(lab);

        if ((p == r->expect.data || p[-1] == ' ') &&
            (p[n] == '\0' || p[n] == ' '))
            return 0;
    }
    if ((r->expect.len && buf_addch(&r->expect, ' ')) ||
        buf_addstr(&r->expect, lab))
        return -1;
    x->out->labels++;
    x->out->todo += strncmp(kind, "todo", 4) == 0;
    return 0;
}

/* The rows and their labels from the reviews. */
static enum ca_status plan_rows(struct fx *x, struct ca_error *err)
{
    size_t i, k;

    x->rows = calloc(x->rv.n + 1, sizeof(*x->rows));
    if (!x->rows)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    for (i = 0; i < x->rv.n; i++) {
        const struct review *rw = &x->rv.v[i];
        const char *const *rules;
        const char *one = NULL;
        size_t nr;
        enum record_type t;
        struct frow *r;
        uint32_t ri;
        char key[1300];
        size_t kl;
        bool fail, tool_fail;

        if (rw->verdict == RV_NONE && !rw->added[0])
            continue;
        if (rw->verdict == RV_NA || rw->verdict == RV_UNAVAILABLE) {
            x->out->skipped++;
            continue;
        }
        if (!rw->id[0] || !rw->test[0])
            return ca_error_set(err, CA_DATA, x->rv.path, rw->line,
                                rw->id[0] ? "test" : "id", "empty");
        nr = test_rules(x->o, rw->test, &rules, &one);
        if (!nr)
            return ca_error_set(err, CA_DATA, x->rv.path, rw->line, "test",
                                "'%s' is neither a test of the programme nor "
                                "a rule (give --programme)",
                                rw->test);
        t = rule_type(ruleset_find(x->o->rs, rules[0]));
        if (rw->type[0] && record_type_parse(rw->type, &t) != 0)
            return ca_error_set(err, CA_DATA, x->rv.path, rw->line, "type",
                                "unknown record type '%s'", rw->type);
        if (strlen(rw->id) > 1000)
            return ca_error_set(err, CA_DATA, x->rv.path, rw->line, "id",
                                "too long");
        x->out->reviewed++;
        kl = rkey(key, sizeof(key), record_type_name(t), rw->id);
        if (!idmap_get(&x->ix, key, kl, &ri)) {
            ri = (uint32_t)x->nrows++;
            r = &x->rows[ri];
            r->type = t;
            buf_init(&r->expect, 1u << 16);
            if (!(r->id = strdup(rw->id)) ||
                idmap_put(&x->ix, key, kl, ri, NULL) < 0)
                return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                                    "out of memory");
            if (rw->as_of[0]) {
                int64_t secs;
                bool ht;

                if (date_parse(rw->as_of, strlen(rw->as_of), NULL, &secs,
                               &ht) != 0)
                    return ca_error_set(err, CA_DATA, x->rv.path, rw->line,
                                        "as_of", "'%s' is not a date",
                                        rw->as_of);
                date_format(secs, false, r->as_of);
            } else if (x->o->as_of) {
                date_format(x->o->as_of, false, r->as_of);
            }
        }
        r = &x->rows[ri];
        fail = rw->verdict == RV_FAIL || rw->added[0];
        tool_fail = rw->rules_failed[0] != '\0';
        if (!rw->tool_text[0])
            return ca_error_set(err, CA_DATA, x->rv.path, rw->line,
                                "tool_verdict",
                                "empty: the worksheet's tool_verdict and "
                                "rules_failed columns are needed");
        for (k = 0; k < nr; k++) {
            bool rf = in_list(rw->rules_failed, rules[k]);
            int rc = 0;

            if (!fail)
                rc = add_label(x, r, rf ? "todook" : "ok", rules[k]);
            else if (rf)
                rc = add_label(x, r, "ruleid", rules[k]);
            else if (!tool_fail && nr == 1)
                rc = add_label(x, r, "todoruleid", rules[k]);
            if (rc)
                return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                                    "out of memory");
        }
        if (fail && !tool_fail && nr > 1)
            x->out->unknown_rule++;
    }
    return CA_OK;
}

static int keep_entry(void *ctx, const struct record *r,
                      const struct engine_verdict *v)
{
    struct fx *x = ctx;

    (void)r;
    if (!v->has_entry_at)
        return 0;
    if (x->nkeep == x->keepalloc) {
        size_t na = x->keepalloc ? x->keepalloc * 2 : 16;
        int64_t *nv = realloc(x->keep, na * sizeof(*nv));

        if (!nv) {
            x->oom = true;
            return 1;
        }
        x->keep = nv;
        x->keepalloc = na;
    }
    x->keep[x->nkeep++] = v->entry_at;
    return 0;
}

/* The last word of a name ("61QT Hall" -> "Hall"), when it looks like a
 * name (a letter first, two or more characters). */
static void last_word(const char *s, size_t len, const char **w, size_t *wl)
{
    size_t e = len, b;

    while (e && (s[e - 1] == ' ' || s[e - 1] == '.'))
        e--;
    b = e;
    while (b && s[b - 1] != ' ')
        b--;
    *w = s + b;
    *wl = e - b;
    if (*wl < 2 ||
        !((s[b] >= 'A' && s[b] <= 'Z') || (s[b] >= 'a' && s[b] <= 'z')))
        *wl = 0;
}

static bool word_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* Append text[0..len) to b with every whole-word occurrence of a name of
 * names (n pairs of pointer and length) written "[name]". */
static int add_named(struct buf *b, const char *text, size_t len,
                     const char *const *names, const size_t *nlen, size_t n)
{
    size_t i = 0, k;

    while (i < len) {
        bool hit = false;

        if (i == 0 || !word_char(text[i - 1]))
            for (k = 0; k < n && !hit; k++)
                if (nlen[k] && i + nlen[k] <= len &&
                    memcmp(text + i, names[k], nlen[k]) == 0 &&
                    (i + nlen[k] == len || !word_char(text[i + nlen[k]]))) {
                    if (buf_addstr(b, "[name]"))
                        return -1;
                    i += nlen[k];
                    hit = true;
                }
        if (!hit && buf_addch(b, text[i++]))
            return -1;
    }
    return 0;
}

/* The log with the authors named "[name]" and the text of the entries no
 * rule reported "[redacted]". */
static char *redact_log(struct fx *x, const struct record *r, int64_t as_of)
{
    struct engine_params p;
    struct buf b;
    const char **names;
    size_t *nlen, nn = 0, i, k;

    memset(&p, 0, sizeof(p));
    p.as_of = as_of;
    x->nkeep = 0;
    engine_eval_entries(x->o->rs, r, x->le.v, x->le.n, &p, x->s, keep_entry, x);
    /* the names the log and the record give: the authors' surnames and
     * the officer in the case's */
    names = calloc(x->le.n + 2, sizeof(*names));
    nlen = calloc(x->le.n + 2, sizeof(*nlen));
    if (!names || !nlen) {
        free(names);
        free(nlen);
        return NULL;
    }
    for (i = 0; i < x->le.n; i++)
        last_word(x->le.v[i].author, x->le.v[i].author_len, &names[nn],
                  &nlen[nn]),
            nn += nlen[nn] != 0;
    if (record_get(r, CF_OIC)) {
        const char *oic = record_get(r, CF_OIC);

        last_word(oic, strlen(oic), &names[nn], &nlen[nn]);
        nn += nlen[nn] != 0;
    }
    buf_init(&b, 0);
    for (i = 0; i < x->le.n; i++) {
        const struct log_entry *e = &x->le.v[i];
        bool keep = false;
        char day[20];

        for (k = 0; e->has_at && k < x->nkeep; k++)
            keep |= x->keep[k] == e->at;
        if (i && buf_addch(&b, '\n'))
            goto nomem;
        if (e->has_at) {
            date_format(e->at, e->has_time, day);
            if (buf_addstr(&b, day) || buf_addch(&b, ' '))
                goto nomem;
        }
        if (e->rank_len &&
            (buf_add(&b, e->rank, e->rank_len) || buf_addch(&b, ' ')))
            goto nomem;
        if ((e->rank_len || e->author_len) && buf_addstr(&b, "[name]: "))
            goto nomem;
        if (keep ? add_named(&b, e->text, e->text_len,
                             (const char *const *)names, nlen, nn)
                 : buf_addstr(&b, "[redacted]"))
            goto nomem;
    }
    if (buf_addch(&b, '\0'))
        goto nomem;
    free(names);
    free(nlen);
    return buf_detach(&b, NULL);
nomem:
    free(names);
    free(nlen);
    buf_release(&b);
    return NULL;
}

static int on_record(void *ctx, const struct record *r)
{
    struct fx *x = ctx;
    char key[1300];
    uint32_t ri;
    struct frow *row;
    size_t f;
    int64_t as_of = 0;

    if (strlen(r->id) > 1000 ||
        !idmap_get(&x->ix, key,
                   rkey(key, sizeof(key), record_type_name(r->type), r->id),
                   &ri))
        return 0;
    row = &x->rows[ri];
    if (row->found)
        return 0;
    row->found = true;
    if (row->as_of[0]) {
        bool ht;

        date_parse(row->as_of, strlen(row->as_of), NULL, &as_of, &ht);
    } else {
        bool have = false;
        uint64_t future = 0;
        bool le_ok =
            record_get(r, CF_LOG) && record_log(r, &x->le, &x->lerr) == CA_OK;

        /* as `caseaudit test` judges a row without as_of: its latest date,
         * written down so that redaction cannot move it */
        record_latest_event(r, le_ok ? &x->le : NULL, INT64_MAX, &as_of, &have,
                            &future);
        if (have)
            date_format(as_of - as_of % 86400, false, row->as_of);
    }
    for (f = 0; f < CF__COUNT; f++) {
        const char *v = record_get(r, (enum cf)f);

        if (!v)
            continue;
        if (x->o->redact && f == CF_OIC) {
            v = "[name]";
        } else if (x->o->redact && f == CF_LOG) {
            if (record_log(r, &x->le, &x->lerr) != CA_OK) {
                v = "[redacted]";
            } else {
                if (!(row->v[f] = redact_log(x, r, as_of - as_of % 86400)))
                    goto nomem;
                continue;
            }
        }
        if (!(row->v[f] = strdup(v)))
            goto nomem;
    }
    return 0;
nomem:
    x->oom = true;
    return 1;
}

static enum ca_status write_type(struct fx *x, enum record_type t,
                                 const char *path, struct ca_error *err)
{
    bool used[CF__COUNT];
    struct outfile of;
    struct csvw w;
    enum ca_status st;
    size_t i, f;

    memset(used, 0, sizeof(used));
    for (i = 0; i < x->nrows; i++)
        if (x->rows[i].type == t && x->rows[i].found && !x->rows[i].dropped)
            for (f = 0; f < CF__COUNT; f++)
                used[f] |= x->rows[i].v[f] != NULL;
    st = outfile_open(&of, path, err);
    if (st != CA_OK)
        return st;
    csvw_init(&w, of.fp);
    /* the formula guard would change what `caseaudit test` reads back */
    w.formula_guard = false;
    for (f = 0; f < CF__COUNT; f++)
        if (used[f])
            csvw_str(&w, cf_name((enum cf)f));
    csvw_str(&w, "as_of");
    csvw_str(&w, "expect");
    csvw_end_row(&w);
    for (i = 0; i < x->nrows; i++) {
        const struct frow *r = &x->rows[i];

        if (r->type != t || !r->found || r->dropped)
            continue;
        for (f = 0; f < CF__COUNT; f++)
            if (used[f])
                csvw_str(&w, r->v[f] ? r->v[f] : "");
        csvw_str(&w, r->as_of);
        csvw_str(&w, r->expect.len ? r->expect.data : "");
        csvw_end_row(&w);
    }
    return outfile_commit(&of, err);
}

static int test_record(void *ctx, const struct record *r)
{
    return ruletest_add_record(ctx, r) == CA_OK ? 0 : 1;
}

/* Test a written fixture file with the rules; the rows whose labels do
 * not hold are marked dropped.  Returns how many. */
static enum ca_status retest(struct fx *x, const char *path, size_t *ndrop,
                             struct ca_error *err)
{
    struct ruletest *t = ruletest_new(x->o->rs);
    struct ingest_opts io;
    struct ingest_stats stats;
    enum ca_status st;
    size_t i;

    *ndrop = 0;
    if (!t)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    memset(&stats, 0, sizeof(stats));
    ingest_opts_init(&io);
    st = ingest_run(&path, 1, &io, test_record, NULL, t, &stats, err);
    ingest_stats_release(&stats);
    if (st == CA_OK)
        ruletest_finish(t);
    for (i = 0; st == CA_OK && i < ruletest_ncases(t); i++) {
        const struct ruletest_case *c = ruletest_case_at(t, i);
        size_t k;

        if (c->result != CR_MISS || !c->id)
            continue;
        for (k = 0; k < x->nrows; k++)
            if (!x->rows[k].dropped && x->rows[k].found &&
                strcmp(x->rows[k].id, c->id) == 0) {
                x->rows[k].dropped = true;
                (*ndrop)++;
            }
    }
    ruletest_free(t);
    return st;
}

enum ca_status fixtures_export(const struct fixtures_opts *o,
                               struct fixtures_result *out,
                               struct ca_error *err)
{
    struct fx x;
    struct ingest_opts io;
    struct ingest_stats stats;
    enum ca_status st;
    size_t i, f;
    int t;

    memset(out, 0, sizeof(*out));
    memset(&x, 0, sizeof(x));
    memset(&stats, 0, sizeof(stats));
    if (!o->worksheet || !o->outdir || !o->rs || !o->nrecords)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "a worksheet, the records and an output "
                            "directory are needed");
    x.o = o;
    x.out = out;
    x.err = err;
    reviews_init(&x.rv);
    idmap_init(&x.ix);
    log_entries_init(&x.le);
    st = reviews_load(&x.rv, o->worksheet, err);
    if (st == CA_OK && x.rv.rejected)
        st = ca_error_set(err, CA_DATA, o->worksheet, 0, NULL, "%s",
                          x.rv.rej ? x.rv.rej[0] : "a row cannot be read");
    if (st == CA_OK)
        st = plan_rows(&x, err);
    if (st != CA_OK)
        goto out;
    if (!(x.s = engine_scratch_new(NULL))) {
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    ingest_opts_init(&io);
    io.profile = o->profile;
    io.check_duplicates = false;
    st = ingest_run(o->records, o->nrecords, &io, on_record, NULL, &x, &stats,
                    err);
    if (x.oom)
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    if (st != CA_OK)
        goto out;
    st = outdir_create(o->outdir, err);
    for (t = 0; st == CA_OK && t < RT__COUNT; t++) {
        bool any = false;
        char name[64];
        size_t len, ndrop = 0;

        for (i = 0; i < x.nrows; i++)
            any |= x.rows[i].type == (enum record_type)t && x.rows[i].found;
        if (!any)
            continue;
        snprintf(name, sizeof(name), "reviewed-%s.csv",
                 record_type_name((enum record_type)t));
        len = strlen(o->outdir) + strlen(name) + 2;
        if (!(out->paths[t] = malloc(len))) {
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            break;
        }
        snprintf(out->paths[t], len, "%s/%s", o->outdir, name);
        st = write_type(&x, (enum record_type)t, out->paths[t], err);
        /* what redaction would break is left out, and the file written
         * again (only with redaction: unredacted rows are the rows the
         * rules were judged on) */
        if (st == CA_OK && o->redact)
            st = retest(&x, out->paths[t], &ndrop, err);
        if (st == CA_OK && ndrop) {
            out->dropped += ndrop;
            st = write_type(&x, (enum record_type)t, out->paths[t], err);
        }
    }
    for (i = 0; i < x.nrows; i++) {
        out->not_found += !x.rows[i].found;
        out->files += x.rows[i].found && !x.rows[i].dropped;
    }
out:
    for (i = 0; i < x.nrows; i++) {
        free(x.rows[i].id);
        for (f = 0; f < CF__COUNT; f++)
            free(x.rows[i].v[f]);
        buf_release(&x.rows[i].expect);
    }
    free(x.rows);
    free(x.keep);
    idmap_release(&x.ix);
    log_entries_release(&x.le);
    engine_scratch_free(x.s);
    ingest_stats_release(&stats);
    reviews_release(&x.rv);
    return st;
}
