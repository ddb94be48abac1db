/* SPDX-License-Identifier: MIT */
/* A returned reviewer worksheet, read and applied; see reviews.h. */
#include "report/reviews.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/csvread.h"
#include "ingest/record.h"
#include "ingest/xlsx.h"
#include "report/csvin.h"
#include "report/idmap.h"
#include "util/sha256.h"

const char *review_verdict_name(enum review_verdict v)
{
    switch (v) {
    case RV_PASS:
        return "pass";
    case RV_FAIL:
        return "fail";
    case RV_NA:
        return "n/a";
    case RV_UNAVAILABLE:
        return "unavailable";
    case RV_NONE:
        break;
    }
    return "";
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
           (unsigned char)c == 0xA0;
}

/* s without blanks around (a NBSP from a spreadsheet counts), as a
 * malloc'd copy. */
static char *trim_dup(const char *s)
{
    size_t n;

    /* U+00A0 is C2 A0 in UTF-8: skip both bytes */
    for (;;) {
        if (blank(*s))
            s++;
        else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
            s += 2;
        else
            break;
    }
    n = strlen(s);
    while (n &&
           (blank(s[n - 1]) || (n >= 2 && (unsigned char)s[n - 2] == 0xC2 &&
                                (unsigned char)s[n - 1] == 0xA0))) {
        if (blank(s[n - 1]) && (unsigned char)s[n - 1] != 0xA0)
            n--;
        else
            n -= 2;
    }
    return strndup(s, n);
}

int review_verdict_parse(const char *s, enum review_verdict *v)
{
    static const struct {
        const char *name;
        enum review_verdict v;
    } names[] = {{"", RV_NONE},     {"pass", RV_PASS},
                 {"fail", RV_FAIL}, {"n/a", RV_NA},
                 {"na", RV_NA},     {"unavailable", RV_UNAVAILABLE}};
    char *t = trim_dup(s), *p;
    size_t i;
    int r = -1;

    if (!t)
        return -1;
    for (p = t; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(t, names[i].name) == 0) {
            *v = names[i].v;
            r = 0;
        }
    free(t);
    return r;
}

void reviews_init(struct reviews *rv)
{
    memset(rv, 0, sizeof(*rv));
    rv->confidence = 0.95;
}

void reviews_release(struct reviews *rv)
{
    size_t i;

    free(rv->path);
    for (i = 0; i < rv->n; i++) {
        struct review *r = &rv->v[i];

        free(r->force);
        free(r->sample);
        free(r->test);
        free(r->id);
        free(r->reviewer);
        free(r->reviewed_on);
        free(r->note);
        free(r->added);
        free(r->type);
        free(r->tool_text);
        free(r->rules_failed);
        free(r->as_of);
    }
    free(rv->v);
    for (i = 0; i < rv->nrej; i++)
        free(rv->rej[i]);
    free(rv->rej);
    for (i = 0; i < rv->nsub; i++) {
        free(rv->sub[i].sample);
        free(rv->sub[i].force);
        free(rv->sub[i].stratum);
        free(rv->sub[i].id);
        free(rv->sub[i].spare);
    }
    free(rv->sub);
    for (i = 0; i < rv->nag; i++)
        free(rv->ag[i].disagree);
    free(rv->ag);
    reviews_init(rv);
}

/* Record a rejected row: "file:line: field: message". */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
reject(struct reviews *rv, unsigned long line, const char *field,
       const char *fmt, ...)
{
    char msg[1200], *m;
    va_list ap;
    int off;

    rv->rejected++;
    if (rv->nrej >= REVIEWS_MAX_REJECTED)
        return 0;
    off = snprintf(msg, sizeof(msg), "%s:%lu: %s%s", rv->path, line,
                   field ? field : "", field ? ": " : "");
    if (off < 0)
        off = 0;
    if ((size_t)off >= sizeof(msg))
        off = (int)sizeof(msg) - 1;
    va_start(ap, fmt);
    vsnprintf(msg + off, sizeof(msg) - (size_t)off, fmt, ap);
    va_end(ap);
    if (!rv->rej) {
        rv->rej = calloc(REVIEWS_MAX_REJECTED, sizeof(*rv->rej));
        if (!rv->rej)
            return -1;
    }
    if (!(m = strdup(msg)))
        return -1;
    rv->rej[rv->nrej++] = m;
    return 0;
}

/* ---- reading ------------------------------------------------------------- */

enum rcol {
    RC_TEST,
    RC_ID,
    RC_VERDICT,
    RC_REVIEWER,
    RC_FORCE,
    RC_SAMPLE,
    RC_REVIEWED_ON,
    RC_NOTE,
    RC_ADDED,
    RC_TYPE,
    RC_TOOL,
    RC_RULES_FAILED,
    RC_AS_OF,
    RC__COUNT
};
#define RC__REQUIRED 4

static const char *const rcol_names[RC__COUNT] = {
    "test",         "id",           "review_verdict", "reviewer",      "force",
    "sample",       "reviewed_on",  "note",           "added_finding", "type",
    "tool_verdict", "rules_failed", "as_of"};

struct read_ctx {
    struct reviews *rv;
    int col[RC__COUNT];
    size_t ncols;
    bool header_done;
    bool date1904;
    bool xlsx;
};

/* A field written with the CSV formula guard read back as its text. */
static const char *unguard(const char *s)
{
    if (s[0] == '\'' && (s[1] == '=' || s[1] == '+' || s[1] == '-' ||
                         s[1] == '@' || s[1] == '\t' || s[1] == '\r'))
        return s + 1;
    return s;
}

static enum ca_status header(struct read_ctx *c, unsigned long line,
                             const char *const *v, size_t n,
                             struct ca_error *err)
{
    size_t i, j;

    for (j = 0; j < RC__COUNT; j++)
        c->col[j] = -1;
    for (i = 0; i < n; i++) {
        char *t = trim_dup(v[i]);

        if (!t)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        for (j = 0; j < RC__COUNT; j++)
            if (strcmp(t, rcol_names[j]) == 0) {
                if (c->col[j] >= 0) {
                    free(t);
                    return ca_error_set(err, CA_DATA, c->rv->path, line,
                                        rcol_names[j],
                                        "column named twice in the header");
                }
                c->col[j] = (int)i;
            }
        free(t);
    }
    for (j = 0; j < RC__REQUIRED; j++)
        if (c->col[j] < 0)
            return ca_error_set(err, CA_DATA, c->rv->path, line, rcol_names[j],
                                "not a reviewer worksheet: column missing "
                                "from the header (a worksheet has test, id, "
                                "reviewer, review_verdict, reviewed_on, note "
                                "and added_finding; see `caseaudit "
                                "worksheet`)");
    c->ncols = n;
    c->header_done = true;
    return CA_OK;
}

static enum ca_status row(struct read_ctx *c, unsigned long line,
                          const char *const *v, const bool *number, size_t n,
                          struct ca_error *err)
{
    struct reviews *rv = c->rv;
    struct review *r;
    const char *f[RC__COUNT];
    char *verdict_text = NULL;
    size_t j;
    bool empty = true;

    if (!c->header_done)
        return header(c, line, v, n, err);
    for (j = 0; j < RC__COUNT; j++) {
        f[j] = c->col[j] >= 0 && (size_t)c->col[j] < n ? v[c->col[j]] : "";
        if (j != RC_REVIEWED_ON)
            f[j] = unguard(f[j]);
    }
    for (j = 0; j < n; j++)
        if (v[j][0])
            empty = false;
    if (empty)
        return CA_OK; /* a blank line of a spreadsheet */
    if (rv->n == rv->alloc) {
        size_t na = rv->alloc ? rv->alloc * 2 : 64;
        struct review *nv;

        if (na > 10u << 20)
            return ca_error_set(err, CA_DATA, rv->path, line, NULL,
                                "more than 10M rows");
        nv = realloc(rv->v, na * sizeof(*nv));
        if (!nv)
            goto nomem;
        rv->v = nv;
        rv->alloc = na;
    }
    r = &rv->v[rv->n];
    memset(r, 0, sizeof(*r));
    r->line = line;
    r->tfile = UINT32_MAX;
    if (!(r->test = trim_dup(f[RC_TEST])) || !(r->id = trim_dup(f[RC_ID])) ||
        !(r->force = trim_dup(f[RC_FORCE])) ||
        !(r->sample = trim_dup(f[RC_SAMPLE])) ||
        !(r->reviewer = trim_dup(f[RC_REVIEWER])) ||
        !(r->note = trim_dup(f[RC_NOTE])) ||
        !(r->added = trim_dup(f[RC_ADDED])) ||
        !(r->reviewed_on = trim_dup(f[RC_REVIEWED_ON])) ||
        !(r->type = trim_dup(f[RC_TYPE])) ||
        !(r->tool_text = trim_dup(f[RC_TOOL])) ||
        !(r->rules_failed = trim_dup(f[RC_RULES_FAILED])) ||
        !(r->as_of = trim_dup(f[RC_AS_OF]))) {
        rv->n++; /* freed with the rest */
        goto nomem;
    }
    rv->n++;
    if (review_verdict_parse(f[RC_VERDICT], &r->verdict) != 0) {
        verdict_text = trim_dup(f[RC_VERDICT]);
        r->use = RU_IGNORED; /* marks the row as rejected: see below */
        r->why = "rejected";
        if (reject(rv, line, "review_verdict",
                   "'%s' is not one of pass, fail, n/a, unavailable",
                   verdict_text ? verdict_text : f[RC_VERDICT]) != 0) {
            free(verdict_text);
            goto nomem;
        }
        free(verdict_text);
        return CA_OK;
    }
    if (r->reviewed_on[0]) {
        int64_t secs;
        bool has_time;
        int col_number = c->col[RC_REVIEWED_ON] >= 0 &&
                         (size_t)c->col[RC_REVIEWED_ON] < n &&
                         number[c->col[RC_REVIEWED_ON]];
        char day[20];

        if (col_number) {
            if (xlsx_serial_day(r->reviewed_on, c->date1904, day) != 0)
                goto bad_date;
        } else if (date_parse(r->reviewed_on, strlen(r->reviewed_on), NULL,
                              &secs, &has_time) == 0) {
            date_format(secs, false, day);
        } else {
            goto bad_date;
        }
        free(r->reviewed_on);
        if (!(r->reviewed_on = strdup(day)))
            goto nomem;
    }
    return CA_OK;
bad_date:
    r->why = "rejected";
    r->use = RU_IGNORED;
    if (reject(rv, line, "reviewed_on",
               "'%s' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
               r->reviewed_on) != 0)
        goto nomem;
    return CA_OK;
nomem:
    return ca_error_set(err, CA_SYSTEM, rv->path, line, NULL, "out of memory");
}

static enum ca_status csv_row(void *vc, const struct csvin_row *r,
                              struct ca_error *err)
{
    bool number[CSVIN_MAX_FIELDS];

    memset(number, 0, sizeof(number));
    return row(vc, r->line, (const char *const *)r->v, number, r->n, err);
}

static enum ca_status xlsx_row(void *vc, unsigned long rown,
                               const struct xlsx_cell *cells, size_t n,
                               struct ca_error *err)
{
    const char *v[XLSX_MAX_COLS];
    bool number[XLSX_MAX_COLS];
    size_t i;

    for (i = 0; i < n && i < XLSX_MAX_COLS; i++) {
        v[i] = cells[i].text;
        number[i] = cells[i].number;
    }
    return row(vc, rown, v, number, i, err);
}

enum ca_status reviews_parse(struct reviews *rv, const char *name,
                             const char *data, size_t len, struct ca_error *err)
{
    struct read_ctx c;
    enum ca_status st;
    unsigned char d[32];
    char *conv = NULL;

    free(rv->path);
    if (!(rv->path = strdup(name)))
        return ca_error_set(err, CA_SYSTEM, name, 0, NULL, "out of memory");
    sha256_buf(data, len, d);
    sha256_hex(d, rv->sha256);
    memset(&c, 0, sizeof(c));
    c.rv = rv;
    if (xlsx_sniff(data, len)) {
        rv->format = "xlsx";
        c.xlsx = true;
        st = xlsx_read(name, data, len, xlsx_row, &c, &c.date1904, err);
    } else {
        const char *text = data;
        size_t tlen = len;

        if (memchr(data, '\0', len))
            return ca_error_set(err, CA_DATA, name, 0, NULL,
                                "a NUL byte: not a CSV worksheet nor an "
                                ".xlsx workbook");
        if (csvread_utf8_valid(data, len)) {
            rv->format = "CSV, UTF-8";
        } else {
            size_t bad;

            conv = csvread_cp1252_to_utf8(data, len, &tlen, &bad);
            if (!conv)
                return ca_error_set(err, CA_SYSTEM, name, 0, NULL,
                                    "out of memory");
            if (bad != (size_t)-1) {
                free(conv);
                return ca_error_set(err, CA_DATA, name, 0, NULL,
                                    "neither UTF-8 nor Windows-1252 (byte "
                                    "0x%02X at offset %zu)",
                                    (unsigned char)data[bad], bad);
            }
            rv->format = "CSV, Windows-1252";
            text = conv;
        }
        st = csvin_read_mem(name, text, tlen, csv_row, &c, err);
    }
    free(conv);
    if (st == CA_OK && !c.header_done)
        st = ca_error_set(err, CA_DATA, name, 0, NULL,
                          "empty: not a reviewer worksheet");
    return st;
}

enum ca_status reviews_load(struct reviews *rv, const char *path,
                            struct ca_error *err)
{
    FILE *fp = fopen(path, "rb");
    char *data;
    size_t n;
    enum ca_status st;

    if (!fp)
        return ca_error_set(err, errno == ENOENT ? CA_DATA : CA_SYSTEM, path, 0,
                            NULL, "unable to open: %s", strerror(errno));
    data = malloc(REVIEWS_MAX_BYTES + 1);
    if (!data) {
        fclose(fp);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    }
    n = fread(data, 1, REVIEWS_MAX_BYTES + 1, fp);
    if (ferror(fp)) {
        fclose(fp);
        free(data);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "unable to read: %s",
                            strerror(errno));
    }
    fclose(fp);
    if (n > REVIEWS_MAX_BYTES) {
        free(data);
        return ca_error_set(err, CA_DATA, path, 0, NULL,
                            "larger than %u MiB: not a reviewer worksheet",
                            REVIEWS_MAX_BYTES >> 20);
    }
    st = reviews_parse(rv, path, data, n, err);
    free(data);
    return st;
}

/* ---- applying ------------------------------------------------------------ */

static bool rejected(const struct review *r)
{
    return r->use == RU_IGNORED && r->why && strcmp(r->why, "rejected") == 0;
}

/* The key of a file x test: "test\nid". */
static size_t key(char *out, size_t size, const char *test, const char *id)
{
    int n = snprintf(out, size, "%s\n%s", test, id);

    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static bool is_reviewed(const struct review *r)
{
    return r->verdict != RV_NONE || r->added[0];
}

/* Check one row against the file x test it names; set r->tfile. */
static int match_row(struct reviews *rv, struct review *r,
                     const struct report_test *t, size_t nt,
                     const struct report_tfile *tf, const struct idmap *ix,
                     struct idmap *seen)
{
    char k[2200];
    size_t kl;
    uint32_t ti, prev;
    size_t i;
    int put;

    if (!r->test[0])
        return reject(rv, r->line, "test", "empty");
    if (!r->id[0])
        return reject(rv, r->line, "id", "empty");
    if (strlen(r->test) > 200 || strlen(r->id) > 1000)
        return reject(rv, r->line, "id", "too long");
    kl = key(k, sizeof(k), r->test, r->id);
    if (!idmap_get(ix, k, kl, &ti)) {
        for (i = 0; i < nt; i++)
            if (strcmp(t[i].id, r->test) == 0)
                break;
        if (i == nt)
            return reject(rv, r->line, "test",
                          "'%s' is not a test of this audit", r->test);
        return reject(rv, r->line, "id",
                      "'%s' is not a checked file of test '%s' (was the "
                      "worksheet made by another run?)",
                      r->id, r->test);
    }
    if (r->force[0] && strcmp(r->force, tf[ti].force) != 0)
        return reject(rv, r->line, "force",
                      "'%s', but file '%s' is of force '%s'", r->force, r->id,
                      tf[ti].force);
    if (r->sample[0] && t[tf[ti].test].sample &&
        strcmp(r->sample, t[tf[ti].test].sample) != 0)
        return reject(rv, r->line, "sample",
                      "'%s', but test '%s' was asked of sample '%s'", r->sample,
                      r->test, t[tf[ti].test].sample);
    put = idmap_put(seen, k, kl, (uint32_t)(r - rv->v), &prev);
    if (put < 0)
        return -1;
    if (put == 1)
        return reject(rv, r->line, "id",
                      "file '%s' of test '%s' is reviewed twice (also on "
                      "line %lu)",
                      r->id, r->test, rv->v[prev].line);
    r->tfile = ti;
    r->tool = tf[ti].tool;
    return 0;
}

/* The rules' verdict as pass (0) or fail (1): an error shows no
 * compliance. */
static int tool_bit(enum verdict v)
{
    return v != V_PASS;
}

static int validate(struct reviews *rv, struct review *r)
{
    int fail = r->verdict == RV_FAIL || (r->verdict == RV_NONE && r->added[0]);

    if (r->added[0] && r->verdict != RV_NONE && r->verdict != RV_FAIL)
        return reject(rv, r->line, "added_finding",
                      "an added finding makes the file fail, but "
                      "review_verdict is '%s'",
                      review_verdict_name(r->verdict));
    if (!r->reviewer[0])
        return reject(rv, r->line, "reviewer",
                      "empty: every review names its reviewer");
    if ((r->verdict == RV_NA || r->verdict == RV_UNAVAILABLE) && !r->note[0])
        return reject(rv, r->line, "note", "empty: say why the file is %s",
                      review_verdict_name(r->verdict));
    if ((r->verdict == RV_PASS || fail) && fail != tool_bit(r->tool) &&
        !r->note[0] && !r->added[0])
        return reject(rv, r->line, "note",
                      "empty: the review (%s) overturns the rules' verdict "
                      "(%s); say why",
                      fail ? "fail" : "pass", findings_verdict_name(r->tool));
    if (r->added[0])
        r->verdict = RV_FAIL;
    return 0;
}

static int push_sub(struct reviews *rv, const struct substitution *s)
{
    struct substitution *nv =
        realloc(rv->sub, (rv->nsub + 1) * sizeof(*rv->sub));

    if (!nv)
        return -1;
    rv->sub = nv;
    rv->sub[rv->nsub++] = *s;
    return 0;
}

/* Per sample: the unavailable drawn files in rank order take the next
 * spares of their force and stratum; mark the rows. */
static int substitute(struct reviews *rv, const struct report_test *t,
                      struct report_tfile *tf, size_t ntf,
                      const struct sampleinfo *m, size_t nm)
{
    size_t mi, i, k;

    for (mi = 0; mi < nm; mi++) {
        const struct sampleinfo *s = &m[mi];
        struct idmap unav; /* id -> review index */
        unsigned char *used = NULL;
        int rc = 0;

        idmap_init(&unav);
        for (i = 0; i < rv->n; i++) {
            const struct review *r = &rv->v[i];

            if (r->use != RU_APPLIED || r->verdict != RV_UNAVAILABLE ||
                !t[tf[r->tfile].test].sample ||
                strcmp(t[tf[r->tfile].test].sample, s->name) != 0)
                continue;
            if (idmap_put_str(&unav, r->id, (uint32_t)i, NULL) < 0) {
                rc = -1;
                goto next;
            }
        }
        if (unav.count == 0)
            goto next;
        used = calloc(s->nspares + 1, 1);
        if (!used) {
            rc = -1;
            goto next;
        }
        /* drawn files in manifest order: by force, stratum and rank */
        for (i = 0; i < s->nselected; i++) {
            struct substitution sub;
            uint32_t ri, pop, spop;
            bool sp;

            if (!idmap_get_str(&unav, s->selected[i], &ri) ||
                !sampleinfo_lookup(s, s->selected[i], &pop, &sp))
                continue;
            memset(&sub, 0, sizeof(sub));
            sub.review = ri;
            sub.rank = s->selected_rank ? s->selected_rank[i] : 0;
            if (!(sub.sample = strdup(s->name)) ||
                !(sub.force = strdup(s->pop[pop].force)) ||
                !(sub.stratum = strdup(s->pop[pop].stratum)) ||
                !(sub.id = strdup(s->selected[i]))) {
                free(sub.sample);
                free(sub.force);
                free(sub.stratum);
                rc = -1;
                goto next;
            }
            for (k = 0; k < s->nspares; k++) {
                uint32_t x;

                if (used[k] ||
                    !sampleinfo_lookup(s, s->spares[k], &spop, &sp) ||
                    spop != pop || idmap_get_str(&unav, s->spares[k], &x))
                    continue;
                used[k] = 1;
                if (!(sub.spare = strdup(s->spares[k]))) {
                    free(sub.sample);
                    free(sub.force);
                    free(sub.stratum);
                    free(sub.id);
                    rc = -1;
                    goto next;
                }
                sub.spare_rank = s->spare_rank ? s->spare_rank[k] : 0;
                break;
            }
            if (push_sub(rv, &sub) != 0) {
                free(sub.sample);
                free(sub.force);
                free(sub.stratum);
                free(sub.id);
                free(sub.spare);
                rc = -1;
                goto next;
            }
        }
        /* mark the rows of this sample: the unavailable files (drawn or
         * spare) leave every test, the substituting spares count */
        for (i = 0; i < ntf; i++) {
            uint32_t x;

            if (!t[tf[i].test].sample ||
                strcmp(t[tf[i].test].sample, s->name) != 0)
                continue;
            if (idmap_get_str(&unav, tf[i].id, &x)) {
                tf[i].use = TFU_UNAVAILABLE;
                continue;
            }
            if (!tf[i].spare)
                continue;
            for (k = 0; k < s->nspares; k++)
                if (used[k] && strcmp(s->spares[k], tf[i].id) == 0)
                    tf[i].use = TFU_COUNTED;
        }
    next:
        free(used);
        idmap_release(&unav);
        if (rc)
            return rc;
    }
    return 0;
}

static int measure(struct reviews *rv, const struct report_test *t, size_t nt,
                   const struct report_tfile *tf, double c)
{
    size_t ti, i;

    rv->ag = calloc(nt + 1, sizeof(*rv->ag));
    if (!rv->ag)
        return -1;
    for (ti = 0; ti < nt; ti++) {
        struct agreement *a = &rv->ag[rv->nag];
        size_t nd = 0;

        memset(a, 0, sizeof(*a));
        a->test = (uint32_t)ti;
        a->name = t[ti].id;
        for (i = 0; i < rv->n; i++) {
            const struct review *r = &rv->v[i];
            const struct report_tfile *f;
            int tb, rb;

            if (r->use != RU_APPLIED || tf[r->tfile].test != ti)
                continue;
            f = &tf[r->tfile];
            if (f->use != TFU_COUNTED ||
                (r->verdict != RV_PASS && r->verdict != RV_FAIL))
                continue;
            tb = tool_bit(f->tool);
            rb = r->verdict == RV_FAIL;
            a->tab[tb * 2 + rb]++;
            if (tb != rb)
                nd++;
        }
        if (a->tab[0] + a->tab[1] + a->tab[2] + a->tab[3] == 0)
            continue;
        if (nd && !(a->disagree = calloc(nd, sizeof(*a->disagree))))
            return -1;
        for (i = 0; i < rv->n; i++) {
            const struct review *r = &rv->v[i];

            if (r->use == RU_APPLIED && tf[r->tfile].test == ti &&
                tf[r->tfile].use == TFU_COUNTED &&
                (r->verdict == RV_PASS || r->verdict == RV_FAIL) &&
                tool_bit(tf[r->tfile].tool) != (r->verdict == RV_FAIL))
                a->disagree[a->ndisagree++] = (uint32_t)i;
        }
        stats_agreement(a->tab, 2, c, &a->k);
        rv->nag++;
    }
    return 0;
}

/* Rejected rows in line order ("path:line: ..."). */
static int cmp_rej(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    const char *cx = strstr(x, ": "), *cy = strstr(y, ": ");
    unsigned long lx, ly;

    /* the digits just before the first ": " are the line */
    while (cx && cx > x && cx[-1] >= '0' && cx[-1] <= '9')
        cx--;
    while (cy && cy > y && cy[-1] >= '0' && cy[-1] <= '9')
        cy--;
    lx = cx ? strtoul(cx, NULL, 10) : 0;
    ly = cy ? strtoul(cy, NULL, 10) : 0;
    return lx < ly ? -1 : lx > ly;
}

enum ca_status reviews_apply(struct reviews *rv, const struct report_test *t,
                             size_t nt, struct report_tfile *tf, size_t ntf,
                             const struct sampleinfo *m, size_t nm, double c,
                             struct ca_error *err)
{
    struct idmap ix, seen, unav_file;
    char k[2200];
    size_t i, j;
    enum ca_status st = CA_OK;

    rv->confidence = c;
    idmap_init(&ix);
    idmap_init(&seen);
    idmap_init(&unav_file);
    for (i = 0; i < ntf; i++)
        if (idmap_put(&ix, k, key(k, sizeof(k), t[tf[i].test].id, tf[i].id),
                      (uint32_t)i, NULL) < 0)
            goto nomem;
    /* each row: not reviewed, or matched and checked */
    for (i = 0; i < rv->n; i++) {
        struct review *r = &rv->v[i];
        unsigned long before = rv->rejected;

        if (rejected(r))
            continue;
        if (!is_reviewed(r)) {
            if (r->reviewer[0] || r->note[0] || r->reviewed_on[0]) {
                if (reject(rv, r->line, "review_verdict",
                           "empty, but the row has a reviewer, note or "
                           "date: give pass, fail, n/a or unavailable") != 0)
                    goto nomem;
                r->use = RU_IGNORED;
                r->why = "rejected";
                continue;
            }
            r->use = RU_NOT_REVIEWED;
            continue;
        }
        if (match_row(rv, r, t, nt, tf, &ix, &seen) != 0 ||
            (rv->rejected == before && validate(rv, r) != 0))
            goto nomem;
        if (rv->rejected != before) {
            r->use = RU_IGNORED;
            r->why = "rejected";
            continue;
        }
        r->use = RU_APPLIED;
    }
    /* unavailable is said of a file: no other verdict for it in the same
     * sample */
    for (i = 0; i < rv->n; i++) {
        struct review *r = &rv->v[i];
        int put;
        uint32_t prev;
        size_t kl;

        if (r->use != RU_APPLIED || r->verdict != RV_UNAVAILABLE)
            continue;
        kl = key(k, sizeof(k),
                 t[tf[r->tfile].test].sample ? t[tf[r->tfile].test].sample : "",
                 r->id);
        put = idmap_put(&unav_file, k, kl, (uint32_t)i, &prev);
        if (put < 0)
            goto nomem;
    }
    for (i = 0; i < rv->n; i++) {
        struct review *r = &rv->v[i];
        uint32_t u;
        size_t kl;

        if (r->use != RU_APPLIED || r->verdict == RV_UNAVAILABLE)
            continue;
        kl = key(k, sizeof(k),
                 t[tf[r->tfile].test].sample ? t[tf[r->tfile].test].sample : "",
                 r->id);
        if (idmap_get(&unav_file, k, kl, &u)) {
            if (reject(rv, r->line, "review_verdict",
                       "'%s' for file '%s', which line %lu says is "
                       "unavailable",
                       review_verdict_name(r->verdict), r->id,
                       rv->v[u].line) != 0)
                goto nomem;
            r->use = RU_IGNORED;
            r->why = "rejected";
        }
    }
    if (rv->rejected) {
        qsort(rv->rej, rv->nrej, sizeof(*rv->rej), cmp_rej);
        st = ca_error_set(err, CA_DATA, rv->path, 0, NULL,
                          "%llu row%s of the reviews cannot be applied: %s",
                          (unsigned long long)rv->rejected,
                          rv->rejected == 1 ? "" : "s",
                          rv->nrej ? rv->rej[0] : "");
        goto out;
    }
    if (substitute(rv, t, tf, ntf, m, nm) != 0)
        goto nomem;
    /* the verdicts, on the rows that count */
    for (i = 0; i < rv->n; i++) {
        struct review *r = &rv->v[i];
        struct report_tfile *f;

        if (r->use != RU_APPLIED)
            continue;
        f = &tf[r->tfile];
        if (f->spare && f->use == TFU_SPARE) {
            r->use = RU_IGNORED;
            r->why = "a spare that takes the place of no unavailable file: "
                     "not counted";
            continue;
        }
        f->review = (uint32_t)i;
        if (r->verdict == RV_NA) {
            f->use = TFU_NA;
        } else if (r->verdict == RV_PASS) {
            f->verdict = V_PASS;
        } else if (r->verdict == RV_FAIL) {
            f->verdict = V_FAIL;
        }
    }
    for (i = 0; i < rv->n; i++) {
        const struct review *r = &rv->v[i];

        switch (r->use) {
        case RU_APPLIED:
            rv->applied++;
            rv->by_verdict[r->verdict]++;
            rv->added += r->added[0] != '\0';
            break;
        case RU_NOT_REVIEWED:
            rv->not_reviewed++;
            break;
        case RU_IGNORED:
            rv->ignored++;
            break;
        }
    }
    if (measure(rv, t, nt, tf, c) != 0)
        goto nomem;
    (void)j;
    goto out;
nomem:
    st = ca_error_set(err, CA_SYSTEM, rv->path, 0, NULL, "out of memory");
out:
    idmap_release(&ix);
    idmap_release(&seen);
    idmap_release(&unav_file);
    return st;
}

const struct review *reviews_of(const struct reviews *rv,
                                const struct report_tfile *tf)
{
    if (!rv || tf->review == TFILE_NO_REVIEW || tf->review >= rv->n)
        return NULL;
    return &rv->v[tf->review];
}

/* ---- spares in the findings ---------------------------------------------- */

static int log_implicit(struct reviews *rv, const struct sampleinfo *s,
                        uint32_t pop, const char *id, uint64_t rank,
                        const char *spare, uint64_t spare_rank)
{
    struct substitution sub;

    memset(&sub, 0, sizeof(sub));
    sub.review = UINT32_MAX;
    sub.rank = rank;
    sub.spare_rank = spare_rank;
    if (!(sub.sample = strdup(s->name)) ||
        !(sub.force = strdup(s->pop[pop].force)) ||
        !(sub.stratum = strdup(s->pop[pop].stratum)) ||
        !(sub.id = strdup(id)) || !(sub.spare = strdup(spare)) ||
        push_sub(rv, &sub) != 0) {
        free(sub.sample);
        free(sub.force);
        free(sub.stratum);
        free(sub.id);
        free(sub.spare);
        return -1;
    }
    return 0;
}

enum ca_status reviews_settle_spares(struct reviews *rv, struct findings *fs,
                                     const struct sampleinfo *m, size_t nm,
                                     bool implicit, uint64_t *ignored,
                                     struct ca_error *err)
{
    size_t mi, i, k;
    size_t nexplicit = rv->nsub;

    *ignored = 0;
    for (mi = 0; mi < nm; mi++) {
        const struct sampleinfo *s = &m[mi];
        bool any_explicit = false;
        uint32_t rec, pop;
        bool sp;

        for (i = 0; i < nexplicit; i++)
            if (strcmp(rv->sub[i].sample, s->name) == 0)
                any_explicit = true;
        /* every spare with findings is out, unless it substitutes */
        for (k = 0; k < s->nspares; k++)
            if (findings_find_sample_record(fs, s->name, s->type, s->spares[k],
                                            &rec)) {
                fs->recs[rec].excluded = true;
                fs->recs[rec].substitutes = false;
            }
        for (i = 0; i < nexplicit; i++) {
            const struct substitution *u = &rv->sub[i];

            if (strcmp(u->sample, s->name) != 0)
                continue;
            if (findings_find_sample_record(fs, s->name, s->type, u->id, &rec))
                fs->recs[rec].excluded = true;
            if (u->spare && findings_find_sample_record(fs, s->name, s->type,
                                                        u->spare, &rec)) {
                fs->recs[rec].excluded = false;
                fs->recs[rec].substitutes = true;
            }
        }
        if (implicit && !any_explicit) {
            /* a drawn file with no findings (not checked) takes the next
             * checked spare of its force and stratum */
            for (i = 0; i < s->nselected; i++) {
                if (findings_find_sample_record(fs, s->name, s->type,
                                                s->selected[i], &rec) ||
                    !sampleinfo_lookup(s, s->selected[i], &pop, &sp))
                    continue;
                for (k = 0; k < s->nspares; k++) {
                    uint32_t spop;

                    if (!sampleinfo_lookup(s, s->spares[k], &spop, &sp) ||
                        spop != pop ||
                        !findings_find_sample_record(fs, s->name, s->type,
                                                     s->spares[k], &rec) ||
                        fs->recs[rec].substitutes)
                        continue;
                    fs->recs[rec].excluded = false;
                    fs->recs[rec].substitutes = true;
                    if (log_implicit(rv, s, pop, s->selected[i],
                                     s->selected_rank ? s->selected_rank[i] : 0,
                                     s->spares[k],
                                     s->spare_rank ? s->spare_rank[k] : 0))
                        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                                            "out of memory");
                    break;
                }
            }
        }
        for (k = 0; k < s->nspares; k++)
            if (findings_find_sample_record(fs, s->name, s->type, s->spares[k],
                                            &rec) &&
                fs->recs[rec].excluded)
                (*ignored)++;
    }
    return CA_OK;
}
