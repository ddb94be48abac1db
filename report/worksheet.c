/* SPDX-License-Identifier: MIT */
/* The reviewer worksheet, CSV and .xlsx; see worksheet.h. */
#include "report/worksheet.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "util/buf.h"
#include "util/csvw.h"

const char *const worksheet_columns[WS__COUNT] = {
    "force",    "type",         "sample",   "stratum",        "test",
    "id",       "sample_rank",  "spare",    "tool_verdict",   "rules_failed",
    "evidence", "as_of",        "reviewer", "review_verdict", "reviewed_on",
    "note",     "added_finding"};

void worksheet_init(struct worksheet *w)
{
    memset(w, 0, sizeof(*w));
}

void worksheet_release(struct worksheet *w)
{
    size_t i, k;

    for (i = 0; i < w->n; i++)
        for (k = 0; k < WS__COUNT; k++)
            free(w->rows[i].v[k]);
    free(w->rows);
    worksheet_init(w);
}

static const struct sampleinfo *manifest_of(const struct sampleinfo *m,
                                            size_t nm, const char *sample)
{
    size_t i;

    for (i = 0; sample && i < nm; i++)
        if (strcmp(m[i].name, sample) == 0)
            return &m[i];
    return NULL;
}

/* A new row: the sample's columns filled, the rest empty. */
static struct ws_row *new_row(struct worksheet *w, const char *force,
                              const char *type, const char *sample,
                              const struct sampleinfo *m, const char *test,
                              const char *id, bool spare_known, bool spare)
{
    struct ws_row *r;
    char rank[24] = "", *stratum = NULL;
    size_t k;

    if (w->n == w->alloc) {
        size_t na = w->alloc ? w->alloc * 2 : 256;
        struct ws_row *nv = realloc(w->rows, na * sizeof(*nv));

        if (!nv)
            return NULL;
        w->rows = nv;
        w->alloc = na;
    }
    r = &w->rows[w->n];
    memset(r, 0, sizeof(*r));
    if (m) {
        uint32_t pop;
        bool sp;

        if (sampleinfo_lookup(m, id, &pop, &sp)) {
            if (!spare_known)
                spare = sp;
            spare_known = true;
            if (sampleinfo_stratified(m))
                stratum = m->pop[pop].stratum;
            if (sampleinfo_rank(m, id))
                snprintf(rank, sizeof(rank), "%" PRIu64,
                         sampleinfo_rank(m, id));
        }
    }
    r->v[WS_FORCE] = strdup(force ? force : "");
    r->v[WS_TYPE] = strdup(type ? type : "");
    r->v[WS_SAMPLE] = strdup(sample ? sample : "");
    r->v[WS_STRATUM] = strdup(stratum ? stratum : "");
    r->v[WS_TEST] = strdup(test);
    r->v[WS_ID] = strdup(id);
    r->v[WS_RANK] = strdup(rank);
    r->v[WS_SPARE] = strdup(!spare_known ? "" : spare ? "Y" : "N");
    for (k = WS_TOOL; k < WS__COUNT; k++)
        r->v[k] = NULL;
    w->n++;
    for (k = 0; k <= WS_SPARE; k++)
        if (!r->v[k])
            return NULL;
    return r;
}

/* Evidence of one finding onto b. */
static int add_evidence(struct buf *b, const char *rule,
                        const struct evidence *e, bool excerpts)
{
    if (b->len && buf_addstr(b, " | "))
        return -1;
    if (buf_printf(b, "%s: %s", rule, e && e->message[0] ? e->message : "-"))
        return -1;
    if (excerpts && e && e->excerpt[0] &&
        buf_printf(b, " [%s%s%s]", e->entry_at, e->entry_at[0] ? " " : "",
                   e->excerpt))
        return -1;
    return 0;
}

static int finish_row(struct ws_row *r, const char *tool, struct buf *failed,
                      struct buf *ev, const struct ws_as_of *as_of,
                      size_t nas_of)
{
    size_t k;
    const char *day = "";

    for (k = 0; k < nas_of; k++)
        if (strcmp(as_of[k].force, r->v[WS_FORCE]) == 0)
            day = as_of[k].day;
    r->v[WS_AS_OF] = strdup(day);
    r->v[WS_TOOL] = strdup(tool);
    r->v[WS_RULES_FAILED] = strdup(failed->len ? failed->data : "");
    r->v[WS_EVIDENCE] = strdup(ev->len ? ev->data : "");
    for (k = WS_REVIEWER; k < WS__COUNT; k++)
        r->v[k] = strdup("");
    if (!r->v[WS_AS_OF])
        return -1;
    for (k = WS_TOOL; k < WS__COUNT; k++)
        if (!r->v[k])
            return -1;
    return 0;
}

static int cmp_rank(const char *a, const char *b)
{
    unsigned long long x = strtoull(a, NULL, 10), y = strtoull(b, NULL, 10);

    return x < y ? -1 : x > y;
}

/* The order of worksheet_build's rows within one test (stable sort keeps
 * the tests' order, which the caller built them in). */
static int cmp_rows(const void *pa, const void *pb)
{
    const struct ws_row *a = pa, *b = pb;
    int r;

    if ((r = strcmp(a->v[WS_FORCE], b->v[WS_FORCE])) != 0 ||
        (r = strcmp(a->v[WS_STRATUM], b->v[WS_STRATUM])) != 0 ||
        (r = strcmp(a->v[WS_SPARE], b->v[WS_SPARE])) != 0 ||
        (r = cmp_rank(a->v[WS_RANK], b->v[WS_RANK])) != 0)
        return r;
    return strcmp(a->v[WS_ID], b->v[WS_ID]);
}

static enum ca_status by_tests(struct worksheet *w, const struct findings *fs,
                               const struct sampleinfo *m, size_t nm,
                               const struct report_test *tests, size_t ntests,
                               const struct report_tfile *tf, size_t ntf,
                               bool excerpts, const struct ws_as_of *as_of,
                               size_t nas_of, struct buf *failed,
                               struct buf *ev)
{
    size_t t, i, k, first;

    for (t = 0; t < ntests; t++) {
        const struct report_test *rt = &tests[t];
        const struct sampleinfo *mi = manifest_of(m, nm, rt->sample);

        first = w->n;
        for (i = 0; i < ntf; i++) {
            struct ws_row *r;
            uint32_t rec = 0;
            bool have_rec;

            if (tf[i].test != t)
                continue;
            r = new_row(w, tf[i].force, rt->type, rt->sample, mi, rt->id,
                        tf[i].id, true, tf[i].spare);
            if (!r)
                return CA_SYSTEM;
            buf_reset(failed);
            buf_reset(ev);
            have_rec = rt->sample &&
                       findings_find_sample_record(fs, rt->sample, rt->type,
                                                   tf[i].id, &rec);
            for (k = 0; have_rec && k < rt->nrules; k++) {
                uint32_t f;
                const struct finding *fi;

                if (!findings_find(fs, rec, rt->rules[k], &f))
                    continue;
                fi = &fs->f[f];
                if (fi->original == V_PASS)
                    continue;
                if ((failed->len && buf_addstr(failed, "; ")) ||
                    buf_addstr(failed, rt->rules[k]) ||
                    add_evidence(ev, rt->rules[k],
                                 fi->ev == FINDING_NONE ? NULL
                                                        : &fs->ev[fi->ev],
                                 excerpts))
                    return CA_SYSTEM;
            }
            if (!ev->len && tf[i].tool != V_PASS && tf[i].reasons[0] &&
                buf_addstr(ev, tf[i].reasons))
                return CA_SYSTEM;
            if (finish_row(r, findings_verdict_name(tf[i].tool), failed, ev,
                           as_of, nas_of) != 0)
                return CA_SYSTEM;
        }
        if (w->n > first)
            qsort(w->rows + first, w->n - first, sizeof(*w->rows), cmp_rows);
    }
    return CA_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static enum ca_status by_rules(struct worksheet *w, const struct findings *fs,
                               const struct sampleinfo *m, size_t nm,
                               bool excerpts, const struct ws_as_of *as_of,
                               size_t nas_of, struct buf *failed,
                               struct buf *ev)
{
    const char **ids = calloc(fs->nrules + 1, sizeof(*ids));
    size_t i, first;
    uint32_t rule, f;

    if (!ids)
        return CA_SYSTEM;
    for (i = 0; i < fs->nrules; i++)
        ids[i] = fs->rules[i].id;
    qsort(ids, fs->nrules, sizeof(*ids), cmp_str);
    w->per_rule = true;
    for (i = 0; i < fs->nrules; i++) {
        size_t rec;

        if (!idmap_get_str(&fs->rule_ix, ids[i], &rule))
            continue;
        first = w->n;
        for (rec = 0; rec < fs->nrecs; rec++) {
            const struct frecord *re = &fs->recs[rec];
            const char *sample = fs->samples.v[re->sample];
            const struct finding *fi = NULL;
            struct ws_row *r;

            for (f = re->head; f != FINDING_NONE; f = fs->f[f].next)
                if (fs->f[f].rule == rule)
                    fi = &fs->f[f];
            if (!fi)
                continue;
            r = new_row(w, fs->forces.v[re->force], fs->types.v[re->type],
                        sample, manifest_of(m, nm, sample), ids[i], re->id,
                        false, false);
            if (!r)
                goto nomem;
            buf_reset(failed);
            buf_reset(ev);
            if (fi->original != V_PASS &&
                (buf_addstr(failed, ids[i]) ||
                 add_evidence(ev, ids[i],
                              fi->ev == FINDING_NONE ? NULL : &fs->ev[fi->ev],
                              excerpts)))
                goto nomem;
            if (finish_row(r, findings_verdict_name((enum verdict)fi->original),
                           failed, ev, as_of, nas_of) != 0)
                goto nomem;
        }
        if (w->n > first)
            qsort(w->rows + first, w->n - first, sizeof(*w->rows), cmp_rows);
    }
    free(ids);
    return CA_OK;
nomem:
    free(ids);
    return CA_SYSTEM;
}

enum ca_status worksheet_build(struct worksheet *w, const struct findings *fs,
                               const struct sampleinfo *m, size_t nm,
                               const struct report_test *tests, size_t ntests,
                               const struct report_tfile *tfiles,
                               size_t ntfiles, bool excerpts,
                               const struct ws_as_of *as_of, size_t nas_of,
                               struct ca_error *err)
{
    struct buf failed, ev;
    enum ca_status st;

    buf_init(&failed, 0);
    buf_init(&ev, 0);
    if (ntests)
        st = by_tests(w, fs, m, nm, tests, ntests, tfiles, ntfiles, excerpts,
                      as_of, nas_of, &failed, &ev);
    else
        st = by_rules(w, fs, m, nm, excerpts, as_of, nas_of, &failed, &ev);
    buf_release(&failed);
    buf_release(&ev);
    if (st != CA_OK)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    return CA_OK;
}

void worksheet_write_csv(const struct worksheet *w, FILE *fp)
{
    struct csvw c;
    size_t i;

    csvw_init(&c, fp);
    csvw_row(&c, worksheet_columns, WS__COUNT);
    for (i = 0; i < w->n; i++)
        csvw_row(&c, (const char *const *)w->rows[i].v, WS__COUNT);
}

/* ---- .xlsx ---------------------------------------------------------------- */

static const double col_width[WS__COUNT] = {16, 8,  14, 14, 22, 18, 7,  6, 9,
                                            22, 70, 11, 18, 14, 12, 40, 40};

enum ca_status worksheet_write_xlsx(const struct worksheet *w, const char *path,
                                    struct ca_error *err)
{
    static char v_pass[] = "pass", v_fail[] = "fail", v_na[] = "n/a",
                v_unav[] = "unavailable";
    char *verdicts[] = {v_pass, v_fail, v_na, v_unav, NULL};
    lxw_workbook_options wo = {
        .constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *head, *wrap;
    lxw_data_validation dv;
    lxw_error le;
    size_t plen = strlen(path) + 16, i, k;
    char *tmp = malloc(plen);
    int fd;

    if (!tmp)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    snprintf(tmp, plen, "%s.tmp-XXXXXX", path);
    /* a private file the workbook then overwrites in place: mode 0600
     * from the start */
    fd = mkstemp(tmp);
    if (fd < 0) {
        ca_error_set(err, CA_SYSTEM, path, 0, NULL, "unable to create: %s",
                     strerror(errno));
        free(tmp);
        return CA_SYSTEM;
    }
    close(fd);
    wb = workbook_new_opt(tmp, &wo);
    if (!wb)
        goto fail;
    ws = workbook_add_worksheet(wb, w->per_rule ? "rules" : "tests");
    head = workbook_add_format(wb);
    wrap = workbook_add_format(wb);
    if (!ws || !head || !wrap)
        goto fail_wb;
    format_set_bold(head);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    for (k = 0; k < WS__COUNT; k++) {
        worksheet_write_string(ws, 0, (lxw_col_t)k, worksheet_columns[k], head);
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, col_width[k],
                             k == WS_EVIDENCE || k == WS_NOTE ||
                                     k == WS_ADDED || k == WS_RULES_FAILED
                                 ? wrap
                                 : NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (i = 0; i < w->n && i < 1048575; i++)
        for (k = 0; k < WS__COUNT; k++) {
            const char *v = w->rows[i].v[k];

            if (!v[0])
                continue;
            /* text, never a formula: the worksheet holds case text */
            le = worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)k, v,
                                        NULL);
            if (le != LXW_NO_ERROR)
                goto fail_wb;
        }
    memset(&dv, 0, sizeof(dv));
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = verdicts;
    dv.ignore_blank = LXW_VALIDATION_ON;
    dv.show_error = LXW_VALIDATION_ON;
    {
        static char title[] = "review_verdict",
                    msg[] = "pass, fail, n/a or unavailable";

        dv.error_title = title;
        dv.error_message = msg;
    }
    if (w->n && worksheet_data_validation_range(
                    ws, 1, WS_REVIEW_VERDICT,
                    (lxw_row_t)(w->n < 1048575 ? w->n : 1048575),
                    WS_REVIEW_VERDICT, &dv) != LXW_NO_ERROR)
        goto fail_wb;
    le = workbook_close(wb);
    wb = NULL;
    if (le != LXW_NO_ERROR)
        goto fail;
    if (chmod(tmp, 0600) != 0 || rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return CA_OK;
fail_wb:
    workbook_close(wb);
fail:
    unlink(tmp);
    free(tmp);
    return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                        "unable to write the workbook");
}
