/* SPDX-License-Identifier: MIT */
/*
 * Programme loading; see programme.h.  The YAML is read by the one YAML
 * layer (util/yamltree.h) and every frame condition is compiled by the
 * rule engine (engine/condition.h), so a frame's `where` and `entry` mean
 * exactly what they mean in a rule's applies_to.
 */
#include "audit/programme.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/datadir.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/strv.h"
#include "util/suggest.h"
#include "util/yamltree.h"

#define MAX_TESTS 200
#define MAX_LIST 64

static const char *const count_names[PC__COUNT] = {
    "recording-route", "named-suspects-outstanding", "failed-to-answer"};

const char *programme_count_name(enum programme_count_kind k)
{
    return (unsigned)k < PC__COUNT ? count_names[k] : "?";
}

void programme_free(struct programme *p)
{
    size_t i;

    if (!p)
        return;
    free(p->path);
    free(p->id);
    free(p->title);
    free(p->description);
    strv_free(p->refs, p->nrefs);
    free(p->text);
    free(p->plan.confidence);
    free(p->plan.tolerable);
    free(p->plan.expected_rate);
    free(p->plan.allocation);
    free(p->counts);
    for (i = 0; i < p->ntests; i++) {
        struct programme_test *t = &p->tests[i];

        free(t->id);
        free(t->title);
        free(t->question);
        strv_free(t->report_by, t->nreport_by);
        strv_free(t->rules, t->nrules);
    }
    free(p->tests);
    for (i = 0; i < p->nframes; i++) {
        struct programme_frame *f = &p->frames[i];

        engine_condition_free(f->cond);
        free(f->name);
        free(f->text);
        free(f->description);
        strv_free(f->strata, f->nstrata);
        free(f->tests);
    }
    free(p->frames);
    free(p);
}

long programme_find_test(const struct programme *p, const char *id)
{
    size_t i;

    for (i = 0; i < p->ntests; i++)
        if (strcmp(p->tests[i].id, id) == 0)
            return (long)i;
    return -1;
}

long programme_find_frame(const struct programme *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->nframes; i++)
        if (strcmp(p->frames[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* ---- loader context and messages ---- */

struct pl {
    struct ysrc *src;
    const char *path;
    const struct ruleset *rs;
    struct programme *p;
    struct ca_error *err;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static enum ca_status
perr(struct pl *pl, const struct ynode *n, const char *fmt, ...)
{
    va_list ap;
    char msg[900];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ca_error_set(pl->err, CA_DATA, pl->path, n ? n->line : 1, NULL, "%s", msg);
    ca_error_set_col(pl->err, n ? n->col : 1);
    return CA_DATA;
}

static enum ca_status oom(struct pl *pl)
{
    return ca_error_set(pl->err, CA_SYSTEM, pl->path, 0, NULL, "out of memory");
}

/* "; did you mean 'x'?" for the nearest of names (within 2 edits, or 3
 * for long names), else "". */
static void suggest(char out[128], const char *const *names, size_t n,
                    const char *got)
{
    const char *s = suggest_closest(got, names, n, strlen(got) > 8 ? 3 : 2);

    out[0] = '\0';
    if (s)
        snprintf(out, 128, "; did you mean '%.80s'?", s);
}

static void join(char *out, size_t size, const char *const *names, size_t n)
{
    size_t i, off = 0;

    out[0] = '\0';
    for (i = 0; i < n && off < size; i++) {
        int k =
            snprintf(out + off, size - off, "%s%s", i ? ", " : "", names[i]);

        if (k < 0)
            break;
        off += (size_t)k;
    }
}

static const struct ynode *map_get(const struct ynode *m, const char *key)
{
    size_t i;

    for (i = 0; i + 1 < m->nkids; i += 2)
        if (strcmp(m->kids[i]->val, key) == 0)
            return m->kids[i + 1];
    return NULL;
}

static bool in_list(const char *const *names, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return true;
    return false;
}

static enum ca_status check_keys(struct pl *pl, const struct ynode *m,
                                 const char *const *allowed, size_t n,
                                 const char *where)
{
    char list[600], sugg[128];
    size_t i;

    for (i = 0; i + 1 < m->nkids; i += 2) {
        const char *k = m->kids[i]->val;

        if (!in_list(allowed, n, k)) {
            join(list, sizeof(list), allowed, n);
            suggest(sugg, allowed, n, k);
            return perr(pl, m->kids[i],
                        "unknown key '%.100s' in %s%s (expected one of %s)", k,
                        where, sugg, list);
        }
    }
    return CA_OK;
}

static enum ca_status want_kind(struct pl *pl, const struct ynode *n,
                                enum ynode_kind kind, const char *key)
{
    static const char *const kn[] = {"a single value", "a list", "a mapping"};

    if (n->kind != kind)
        return perr(pl, n, "'%s' must be %s, not %s", key, kn[kind],
                    kn[n->kind]);
    return CA_OK;
}

static enum ca_status get_text(struct pl *pl, const struct ynode *n,
                               const char *key, char **out)
{
    enum ca_status st = want_kind(pl, n, YN_SCALAR, key);
    size_t len;

    if (st != CA_OK)
        return st;
    len = n->len;
    while (len && isspace((unsigned char)n->val[len - 1]))
        len--;
    if (len == 0 || len > 4000)
        return perr(pl, n,
                    "'%s' must be a non-empty text of at most 4000 bytes", key);
    *out = strndup(n->val, len);
    return *out ? CA_OK : oom(pl);
}

/* An id: a letter, then letters, digits, '-', '_' or '.' (at most 64);
 * ids name output files, so nothing else is allowed. */
static bool valid_id(const char *s)
{
    size_t i, len = strlen(s);

    if (len == 0 || len > 64 || !isalpha((unsigned char)s[0]))
        return false;
    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' &&
            s[i] != '.')
            return false;
    return true;
}

static enum ca_status get_id(struct pl *pl, const struct ynode *n,
                             const char *key, char **out)
{
    enum ca_status st = want_kind(pl, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    if (!valid_id(n->val))
        return perr(pl, n,
                    "'%s' must start with a letter and hold only letters, "
                    "digits, '-', '_' and '.' (at most 64), not '%.80s'",
                    key, n->val);
    *out = strdup(n->val);
    return *out ? CA_OK : oom(pl);
}

/* A list of words (scalars), each at most 100 bytes. */
static enum ca_status get_words(struct pl *pl, const struct ynode *n,
                                const char *key, bool may_be_empty, char ***out,
                                size_t *nout)
{
    enum ca_status st = want_kind(pl, n, YN_SEQ, key);
    size_t i, j;

    if (st != CA_OK)
        return st;
    if ((!may_be_empty && n->nkids == 0) || n->nkids > MAX_LIST)
        return perr(pl, n, "'%s' must list %d to %d items", key,
                    may_be_empty ? 0 : 1, MAX_LIST);
    *out = calloc(n->nkids + 1, sizeof(**out));
    if (!*out)
        return oom(pl);
    for (i = 0; i < n->nkids; i++) {
        const struct ynode *k = n->kids[i];

        if (k->kind != YN_SCALAR || k->len == 0 || k->len > 100)
            return perr(pl, k,
                        "each item of '%s' must be a name of at most 100 "
                        "bytes",
                        key);
        for (j = 0; j < i; j++)
            if (strcmp((*out)[j], k->val) == 0)
                return perr(pl, k, "'%s' lists '%.100s' twice", key, k->val);
        if (!((*out)[i] = strdup(k->val)))
            return oom(pl);
        (*nout)++;
    }
    return CA_OK;
}

/* A rate written "95%" or "0.95", in (lo, hi). */
static enum ca_status get_rate(struct pl *pl, const struct ynode *n,
                               const char *key, double lo, double hi,
                               char **out)
{
    enum ca_status st = want_kind(pl, n, YN_SCALAR, key);
    char *end;
    double v;

    if (st != CA_OK)
        return st;
    errno = 0;
    v = strtod(n->val, &end);
    if (end != n->val && *end == '%' && end[1] == '\0')
        v /= 100.0;
    else if (end == n->val || *end != '\0')
        v = -1.0;
    if (errno || !(v > lo && v < hi))
        return perr(pl, n,
                    "'%s' must be a rate such as 95%% or 0.95 (above %g%% "
                    "and below %g%%), not '%.40s'",
                    key, lo * 100.0, hi * 100.0, n->val);
    *out = strdup(n->val);
    return *out ? CA_OK : oom(pl);
}

/* ---- fields ---- */

/* Whether name is a field records of type t can have: canonical for t,
 * or declared in the frame's fields. */
static bool known_field(enum record_type t, const struct ynode *declared,
                        const char *name)
{
    int cf = cf_lookup(name);
    size_t i;

    if (cf >= 0 && record_type_has_field(t, (enum cf)cf))
        return true;
    for (i = 0; declared && i < declared->nkids; i++)
        if (declared->kids[i]->kind == YN_SCALAR &&
            strcmp(declared->kids[i]->val, name) == 0)
            return true;
    return false;
}

static enum ca_status check_fields(struct pl *pl, const struct ynode *list,
                                   const char *key, enum record_type t,
                                   const struct ynode *declared)
{
    const char *names[CF__COUNT];
    char sugg[128];
    size_t i, nn = 0;

    for (i = 0; i < CF__COUNT; i++)
        if (record_type_has_field(t, (enum cf)i))
            names[nn++] = cf_name((enum cf)i);
    for (i = 0; i < list->nkids; i++) {
        const char *f = list->kids[i]->val;

        if (known_field(t, declared, f))
            continue;
        suggest(sugg, names, nn, f);
        return perr(pl, list->kids[i],
                    "'%s': '%.100s' is not a field of %s records%s (declare "
                    "other export columns in the frame's 'fields:')",
                    key, f, record_type_name(t), sugg);
    }
    return CA_OK;
}

/* ---- frames ---- */

/* A canonical text of a node (map keys sorted, scalar styles ignored but
 * quoting kept apart from plain), so that two frames written alike in
 * different layouts are one frame. */
static int canon(struct buf *b, const struct ynode *n)
{
    size_t i, j;

    if (!n)
        return buf_addstr(b, "~");
    if (n->kind == YN_SCALAR) {
        if (buf_addch(b, n->style == YS_PLAIN ? 'p' : 'q') || buf_addch(b, '"'))
            return -1;
        for (i = 0; i < n->len; i++) {
            if ((n->val[i] == '"' || n->val[i] == '\\') && buf_addch(b, '\\'))
                return -1;
            if (buf_addch(b, n->val[i]))
                return -1;
        }
        return buf_addch(b, '"');
    }
    if (n->kind == YN_SEQ) {
        if (buf_addch(b, '['))
            return -1;
        for (i = 0; i < n->nkids; i++)
            if ((i && buf_addch(b, ',')) || canon(b, n->kids[i]))
                return -1;
        return buf_addch(b, ']');
    }
    /* a mapping: keys in sorted order (they are unique) */
    {
        size_t nk = n->nkids / 2, *ord = calloc(nk + 1, sizeof(*ord));
        int rc = 0;

        if (!ord)
            return -1;
        for (i = 0; i < nk; i++)
            ord[i] = i;
        for (i = 1; i < nk; i++)
            for (j = i; j > 0 && strcmp(n->kids[2 * ord[j - 1]]->val,
                                        n->kids[2 * ord[j]]->val) > 0;
                 j--) {
                size_t t = ord[j];

                ord[j] = ord[j - 1];
                ord[j - 1] = t;
            }
        rc = buf_addch(b, '{');
        for (i = 0; i < nk && rc == 0; i++)
            rc = (i && buf_addch(b, ',')) || canon(b, n->kids[2 * ord[i]]) ||
                 buf_addch(b, ':') || canon(b, n->kids[2 * ord[i] + 1]);
        free(ord);
        return rc ? -1 : buf_addch(b, '}');
    }
}

/* The bytes of n as written, trailing blanks removed. */
static char *source_text(const struct ysrc *src, const struct ynode *n)
{
    size_t a = n->start_off, e = n->end_off;

    if (e > src->len)
        e = src->len;
    if (a > e)
        a = e;
    while (e > a && isspace((unsigned char)src->text[e - 1]))
        e--;
    return strndup(src->text + a, e - a);
}

struct frame_key {
    char *canon; /* canonical text, "" for every record */
    enum record_type type;
};

static enum ca_status frame_of(struct pl *pl, const struct ynode *fr,
                               struct programme_test *t,
                               const struct ynode *strata_node, char **strata,
                               size_t nstrata, struct frame_key **keys,
                               bool *taken)
{
    static const char *const fkeys[] = {"description", "fields", "where",
                                        "span",        "entry",  "no_entry"};
    struct programme *p = pl->p;
    struct programme_frame *f;
    struct buf b;
    const struct ynode *v;
    char *key;
    size_t i;
    enum ca_status st;

    buf_init(&b, 0);
    if (fr) {
        if ((st = want_kind(pl, fr, YN_MAP, "frame")) != CA_OK)
            return st;
        if ((st = check_keys(pl, fr, fkeys, 6, "a frame")) != CA_OK)
            return st;
        if ((v = map_get(fr, "entry")) && map_get(fr, "no_entry"))
            return perr(pl, v,
                        "a frame has 'entry' or 'no_entry', not both (write "
                        "the entry that must not be there as no_entry)");
        /* description does not change which files are in the frame */
        for (i = 0; i + 1 < fr->nkids; i += 2) {
            if (strcmp(fr->kids[i]->val, "description") == 0)
                continue;
            if ((b.len && buf_addch(&b, ',')) ||
                buf_addstr(&b, fr->kids[i]->val) || buf_addch(&b, '=') ||
                canon(&b, fr->kids[i + 1])) {
                buf_release(&b);
                return oom(pl);
            }
        }
    }
    if (!(key = strdup(b.len ? b.data : ""))) {
        buf_release(&b);
        return oom(pl);
    }
    buf_release(&b);
    for (i = 0; i < p->nframes; i++)
        if ((*keys)[i].type == t->type && strcmp((*keys)[i].canon, key) == 0)
            break;
    if (i < p->nframes) {
        /* the same frame as an earlier test: the same sample */
        size_t k;
        bool same = p->frames[i].nstrata == nstrata;

        f = &p->frames[i];
        for (k = 0; same && k < nstrata; k++)
            same = strcmp(f->strata[k], strata[k]) == 0;
        free(key);
        if (!same) {
            const struct ynode *at = strata_node ? strata_node : fr;

            perr(pl, at,
                 "test '%s' has the frame of test '%s' but other strata: "
                 "tests of one frame share one sample, so give them the "
                 "same strata (or different frames)",
                 t->id, p->tests[f->tests[0]].id);
            if (!at) { /* neither written: point at the test */
                pl->err->line = t->line;
                ca_error_set_col(pl->err, t->col);
            }
            return CA_DATA;
        }
        if (fr && (v = map_get(fr, "description")) && !f->description &&
            (st = get_text(pl, v, "frame.description", &f->description)) !=
                CA_OK)
            return st;
        f->tests[f->ntests++] = (size_t)(t - p->tests);
        t->frame = i;
        return CA_OK;
    }
    f = &p->frames[p->nframes];
    (*keys)[p->nframes].canon = key;
    (*keys)[p->nframes].type = t->type;
    p->nframes++;
    f->type = t->type;
    f->strata = strata;
    f->nstrata = nstrata;
    *taken = true;
    f->line = fr ? fr->line : t->line;
    f->col = fr ? fr->col : t->col;
    f->tests = calloc(MAX_TESTS, sizeof(*f->tests));
    if (!f->tests)
        return oom(pl);
    f->tests[f->ntests++] = (size_t)(t - p->tests);
    t->frame = p->nframes - 1;
    if (!(f->name = strdup(*key ? t->id : record_type_name(t->type))))
        return oom(pl);
    if (!(f->text = fr && *key ? source_text(pl->src, fr) : strdup("")))
        return oom(pl);
    if (fr && (v = map_get(fr, "description")) &&
        (st = get_text(pl, v, "frame.description", &f->description)) != CA_OK)
        return st;
    if (*key) {
        struct engine_condition_spec sp;
        const struct ynode *declared = map_get(fr, "fields");

        memset(&sp, 0, sizeof(sp));
        sp.fields = declared;
        sp.where = map_get(fr, "where");
        sp.span = map_get(fr, "span");
        sp.entry = map_get(fr, "entry");
        sp.no_entry = map_get(fr, "no_entry");
        sp.fields_key = "frame.fields";
        sp.where_key = "frame.where";
        sp.entry_key = "frame.entry";
        sp.no_entry_key = "frame.no_entry";
        st = engine_condition_compile(pl->src, t->type, pl->rs, &sp, &f->cond,
                                      pl->err);
        if (st != CA_OK)
            return st;
        if (engine_condition_empty(f->cond)) {
            /* only fields or a description: every record of the type */
            engine_condition_free(f->cond);
            f->cond = NULL;
        }
    }
    return CA_OK;
}

/* The frame of test t (a new one, or the earlier one written alike);
 * strata (nstrata) become the frame's, or are freed. */
static enum ca_status get_frame(struct pl *pl, const struct ynode *fr,
                                struct programme_test *t,
                                const struct ynode *strata_node, char **strata,
                                size_t nstrata, struct frame_key **keys)
{
    bool taken = false;
    enum ca_status st =
        frame_of(pl, fr, t, strata_node, strata, nstrata, keys, &taken);

    if (!taken)
        strv_free(strata, nstrata);
    return st;
}

/* ---- tests ---- */

static enum ca_status get_test(struct pl *pl, const struct ynode *n,
                               struct frame_key **keys)
{
    static const char *const tkeys[] = {"id",        "title", "question",
                                        "type",      "frame", "strata",
                                        "report_by", "rules"};
    static const char *const required[] = {"id", "question", "type", "rules"};
    static const char *const types[] = {"crime", "wanted", "bail"};
    struct programme *p = pl->p;
    struct programme_test *t = &p->tests[p->ntests];
    const struct ynode *v, *fr, *declared = NULL;
    char **strata = NULL, sugg[128];
    size_t nstrata = 0, i, k;
    enum ca_status st;

    if ((st = want_kind(pl, n, YN_MAP, "each test")) != CA_OK)
        return st;
    if ((st = check_keys(pl, n, tkeys, 8, "a test")) != CA_OK)
        return st;
    for (i = 0; i < 4; i++)
        if (!map_get(n, required[i]))
            return perr(pl, n, "a test needs '%s'", required[i]);
    v = map_get(n, "id");
    if ((st = get_id(pl, v, "id", &t->id)) != CA_OK)
        return st;
    p->ntests++;
    t->line = v->line;
    t->col = v->col;
    for (i = 0; i + 1 < p->ntests; i++)
        if (strcmp(p->tests[i].id, t->id) == 0)
            return perr(pl, v, "duplicate test id '%s' (first at line %lu)",
                        t->id, p->tests[i].line);
    for (i = 0; i < 3; i++)
        if (strcmp(t->id, types[i]) == 0 || strcmp(t->id, "incident") == 0)
            return perr(pl, v,
                        "test id '%s' is a record type's name, which names "
                        "the sample of every record of that type: choose "
                        "another",
                        t->id);
    if ((v = map_get(n, "title")) &&
        (st = get_text(pl, v, "title", &t->title)) != CA_OK)
        return st;
    if (!t->title && !(t->title = strdup(t->id)))
        return oom(pl);
    if ((st = get_text(pl, map_get(n, "question"), "question", &t->question)) !=
        CA_OK)
        return st;
    v = map_get(n, "type");
    if ((st = want_kind(pl, v, YN_SCALAR, "type")) != CA_OK)
        return st;
    if (!in_list(types, 3, v->val)) {
        suggest(sugg, types, 3, v->val);
        return perr(pl, v,
                    "'type' must be crime, wanted or bail, not "
                    "'%.40s'%s",
                    v->val, sugg);
    }
    (void)record_type_parse(v->val, &t->type);

    fr = map_get(n, "frame");
    if (fr && fr->kind == YN_MAP)
        declared = map_get(fr, "fields");
    if (declared &&
        (st = want_kind(pl, declared, YN_SEQ, "frame.fields")) != CA_OK)
        return st;
    if ((v = map_get(n, "strata"))) {
        if ((st = get_words(pl, v, "strata", true, &strata, &nstrata)) !=
                CA_OK ||
            (st = check_fields(pl, v, "strata", t->type, declared)) != CA_OK) {
            strv_free(strata, nstrata);
            return st;
        }
    }
    if ((v = map_get(n, "report_by"))) {
        if ((st = get_words(pl, v, "report_by", true, &t->report_by,
                            &t->nreport_by)) != CA_OK ||
            (st = check_fields(pl, v, "report_by", t->type, declared)) !=
                CA_OK) {
            strv_free(strata, nstrata);
            return st;
        }
    }
    v = map_get(n, "rules");
    if ((st = get_words(pl, v, "rules", false, &t->rules, &t->nrules)) !=
        CA_OK) {
        strv_free(strata, nstrata);
        return st;
    }
    for (i = 0; pl->rs && i < t->nrules; i++) {
        const struct rule *r = ruleset_find(pl->rs, t->rules[i]);
        const struct ynode *at = v->kids[i];

        if (!r) {
            const char **ids = calloc(ruleset_count(pl->rs) + 1, sizeof(*ids));

            if (!ids) {
                strv_free(strata, nstrata);
                return oom(pl);
            }
            for (k = 0; k < ruleset_count(pl->rs); k++)
                ids[k] = rule_id(ruleset_rule(pl->rs, k));
            suggest(sugg, ids, ruleset_count(pl->rs), t->rules[i]);
            free(ids);
            strv_free(strata, nstrata);
            return perr(pl, at, "test '%s': unknown rule '%.80s'%s", t->id,
                        t->rules[i], sugg);
        }
        if (rule_type(r) != t->type) {
            strv_free(strata, nstrata);
            return perr(pl, at,
                        "test '%s' asks of %s files, but rule '%s' is a "
                        "rule of %s records",
                        t->id, record_type_name(t->type), t->rules[i],
                        record_type_name(rule_type(r)));
        }
        if (rule_status(r) == RS_DEPRECATED) {
            strv_free(strata, nstrata);
            return perr(pl, at,
                        "test '%s': rule '%s' is deprecated and is not "
                        "checked",
                        t->id, t->rules[i]);
        }
    }
    /* frame last: it takes the strata */
    return get_frame(pl, fr, t, map_get(n, "strata"), strata, nstrata, keys);
}

/* ---- counts ---- */

static enum ca_status get_counts(struct pl *pl, const struct ynode *n)
{
    struct programme *p = pl->p;
    enum ca_status st;
    char sugg[128];
    size_t i, k;

    if ((st = want_kind(pl, n, YN_SEQ, "counts")) != CA_OK)
        return st;
    if (n->nkids > PC__COUNT)
        return perr(pl, n, "'counts' lists more counts than there are");
    p->counts = calloc(n->nkids + 1, sizeof(*p->counts));
    if (!p->counts)
        return oom(pl);
    for (i = 0; i < n->nkids; i++) {
        const struct ynode *it = n->kids[i], *name = it, *test = NULL;
        struct programme_count *c = &p->counts[p->ncounts];
        int kind = -1;

        if (it->kind == YN_MAP && it->nkids == 2) {
            name = it->kids[0];
            test = it->kids[1];
        } else if (it->kind != YN_SCALAR) {
            return perr(pl, it,
                        "each item of 'counts' is a count's name, or "
                        "'NAME: TEST' to count as the frame of TEST");
        }
        for (k = 0; k < PC__COUNT; k++)
            if (strcmp(name->val, count_names[k]) == 0)
                kind = (int)k;
        if (kind < 0) {
            char list[200];

            suggest(sugg, count_names, PC__COUNT, name->val);
            join(list, sizeof(list), count_names, PC__COUNT);
            return perr(pl, name,
                        "unknown count '%.80s'%s (expected one of %s)",
                        name->val, sugg, list);
        }
        for (k = 0; k < p->ncounts; k++)
            if ((int)p->counts[k].kind == kind)
                return perr(pl, name, "'counts' lists '%s' twice", name->val);
        c->kind = (enum programme_count_kind)kind;
        c->test = -1;
        if (test) {
            const enum record_type need =
                kind == PC_FAILED_TO_ANSWER ? RT_BAIL : RT_CRIME;
            long ti;

            if (kind == PC_RECORDING_ROUTE)
                return perr(pl, test,
                            "'recording-route' comes from the "
                            "reconciliation and takes no test");
            if ((st = want_kind(pl, test, YN_SCALAR, name->val)) != CA_OK)
                return st;
            ti = programme_find_test(p, test->val);
            if (ti < 0) {
                const char **ids = calloc(p->ntests + 1, sizeof(*ids));

                if (!ids)
                    return oom(pl);
                for (k = 0; k < p->ntests; k++)
                    ids[k] = p->tests[k].id;
                suggest(sugg, ids, p->ntests, test->val);
                free(ids);
                return perr(pl, test,
                            "'%s': no test '%.80s' in this "
                            "programme%s",
                            name->val, test->val, sugg);
            }
            if (p->tests[ti].type != need)
                return perr(pl, test,
                            "'%s' counts %s files, but test '%s' asks of %s "
                            "files",
                            name->val, record_type_name(need), test->val,
                            record_type_name(p->tests[ti].type));
            c->test = ti;
        }
        p->ncounts++;
    }
    return CA_OK;
}

/* ---- the programme ---- */

static enum ca_status get_plan(struct pl *pl, const struct ynode *n)
{
    static const char *const keys[] = {"confidence", "tolerable",
                                       "expected_rate", "allocation"};
    struct programme_plan *pp = &pl->p->plan;
    const struct ynode *v;
    enum ca_status st;

    if ((st = want_kind(pl, n, YN_MAP, "plan")) != CA_OK)
        return st;
    if ((st = check_keys(pl, n, keys, 4, "'plan'")) != CA_OK)
        return st;
    if ((v = map_get(n, "confidence")) &&
        (st = get_rate(pl, v, "plan.confidence", 0.5, 1.0, &pp->confidence)) !=
            CA_OK)
        return st;
    if ((v = map_get(n, "tolerable")) &&
        (st = get_rate(pl, v, "plan.tolerable", 0.0, 1.0, &pp->tolerable)) !=
            CA_OK)
        return st;
    if ((v = map_get(n, "expected_rate")) &&
        (st = get_rate(pl, v, "plan.expected_rate", -1e-12, 1.0,
                       &pp->expected_rate)) != CA_OK)
        return st;
    if ((v = map_get(n, "allocation"))) {
        unsigned long k;
        char tail;

        if ((st = want_kind(pl, v, YN_SCALAR, "plan.allocation")) != CA_OK)
            return st;
        if (strcmp(v->val, "proportional") != 0 &&
            strcmp(v->val, "equal") != 0 &&
            !(sscanf(v->val, "min:%lu%c", &k, &tail) == 1 && k >= 1 &&
              k <= 100000))
            return perr(pl, v,
                        "'plan.allocation' must be proportional, equal or "
                        "min:K, not '%.40s'",
                        v->val);
        if (!(pp->allocation = strdup(v->val)))
            return oom(pl);
    }
    return CA_OK;
}

static enum ca_status load_root(struct pl *pl, const struct ynode *root)
{
    static const char *const top[] = {
        "id", "title", "description", "references", "plan", "counts", "tests"};
    static const char *const required[] = {"id", "title", "references",
                                           "tests"};
    struct programme *p = pl->p;
    struct frame_key *keys = NULL;
    const struct ynode *v;
    enum ca_status st;
    size_t i;

    if (!root)
        return perr(pl, NULL, "empty programme file");
    if (root->kind != YN_MAP)
        return perr(pl, root,
                    "a programme file must be a mapping of keys (id:, "
                    "title:, tests:, ...)");
    if ((st = check_keys(pl, root, top, 7, "a programme")) != CA_OK)
        return st;
    for (i = 0; i < 4; i++)
        if (!map_get(root, required[i]))
            return perr(pl, root, "missing required key '%s'", required[i]);
    if ((st = get_id(pl, map_get(root, "id"), "id", &p->id)) != CA_OK ||
        (st = get_text(pl, map_get(root, "title"), "title", &p->title)) !=
            CA_OK)
        return st;
    if ((v = map_get(root, "description")) &&
        (st = get_text(pl, v, "description", &p->description)) != CA_OK)
        return st;
    v = map_get(root, "references");
    if ((st = want_kind(pl, v, YN_SEQ, "references")) != CA_OK)
        return st;
    if (v->nkids == 0)
        return perr(pl, v, "'references' must cite at least one source");
    p->refs = calloc(v->nkids, sizeof(*p->refs));
    if (!p->refs)
        return oom(pl);
    for (i = 0; i < v->nkids; i++) {
        if ((st = get_text(pl, v->kids[i], "references", &p->refs[i])) != CA_OK)
            return st;
        p->nrefs++;
    }
    if ((v = map_get(root, "plan")) && (st = get_plan(pl, v)) != CA_OK)
        return st;
    v = map_get(root, "tests");
    if ((st = want_kind(pl, v, YN_SEQ, "tests")) != CA_OK)
        return st;
    if (v->nkids == 0 || v->nkids > MAX_TESTS)
        return perr(pl, v, "'tests' must list 1 to %d tests", MAX_TESTS);
    p->tests = calloc(v->nkids, sizeof(*p->tests));
    p->frames = calloc(v->nkids, sizeof(*p->frames));
    keys = calloc(v->nkids, sizeof(*keys));
    if (!p->tests || !p->frames || !keys) {
        free(keys);
        return oom(pl);
    }
    for (i = 0; i < v->nkids; i++)
        if ((st = get_test(pl, v->kids[i], &keys)) != CA_OK)
            break;
    for (i = 0; i < p->nframes; i++)
        free(keys[i].canon);
    free(keys);
    if (st != CA_OK)
        return st;
    if ((v = map_get(root, "counts")) && (st = get_counts(pl, v)) != CA_OK)
        return st;
    return CA_OK;
}

enum ca_status programme_load_buffer(const char *name, const char *text,
                                     size_t len, const struct ruleset *rs,
                                     struct programme **out,
                                     struct ca_error *err)
{
    struct ysrc src;
    struct ynode *root = NULL;
    struct pl pl;
    struct programme *p;
    unsigned char d[32];
    enum ca_status st;

    *out = NULL;
    if (len > PROGRAMME_MAX_BYTES)
        return ca_error_set(err, CA_DATA, name, 0, NULL,
                            "programme file larger than %d bytes",
                            PROGRAMME_MAX_BYTES);
    p = calloc(1, sizeof(*p));
    if (!p)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    if (!(p->path = strdup(name)) || !(p->text = malloc(len + 1))) {
        programme_free(p);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    memcpy(p->text, text, len);
    p->text[len] = '\0';
    p->len = len;
    sha256_buf(text, len, d);
    sha256_hex(d, p->sha256);
    memset(&src, 0, sizeof(src));
    src.name = p->path;
    src.text = p->text;
    src.len = len;
    src.kind = "programme";
    pl.src = &src;
    pl.path = p->path;
    pl.rs = rs;
    pl.p = p;
    pl.err = err;
    st = ytree_parse(&src, &root, err);
    if (st == CA_OK)
        st = load_root(&pl, root);
    ytree_free(root);
    ysrc_release(&src);
    if (st != CA_OK) {
        programme_free(p);
        return st;
    }
    *out = p;
    return CA_OK;
}

enum ca_status programme_load(const char *path, const struct ruleset *rs,
                              struct programme **out, struct ca_error *err)
{
    FILE *fp;
    char *text;
    size_t n;
    enum ca_status st;

    *out = NULL;
    if (path_want_file(path, err) != CA_OK) /* missing, or a directory */
        return CA_DATA;
    fp = fopen(path, "rb");
    if (!fp)
        return ca_error_set(err, errno == ENOMEM ? CA_SYSTEM : CA_DATA, path, 0,
                            NULL, "unable to open: %s", strerror(errno));
    text = malloc(PROGRAMME_MAX_BYTES + 1);
    if (!text) {
        fclose(fp);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    n = fread(text, 1, PROGRAMME_MAX_BYTES + 1, fp);
    if (ferror(fp)) {
        st = ca_error_set(err, CA_DATA, path, 0, NULL, "unable to read: %s",
                          strerror(errno));
        fclose(fp);
        free(text);
        return st;
    }
    fclose(fp);
    st = programme_load_buffer(path, text, n, rs, out, err);
    free(text);
    return st;
}

bool programme_text_is_programme(const char *text, size_t len)
{
    struct ysrc src;
    struct ynode *root = NULL;
    struct ca_error err = CA_ERROR_INIT;
    bool yes = false;

    memset(&src, 0, sizeof(src));
    src.name = "";
    src.text = text;
    src.len = len;
    if (ytree_parse(&src, &root, &err) == CA_OK && root && root->kind == YN_MAP)
        yes = map_get(root, "tests") != NULL;
    ytree_free(root);
    ysrc_release(&src);
    return yes;
}

int programme_locate(const char *arg, char *out, size_t size)
{
    struct stat sb;
    size_t len = strlen(arg);
    char rel[512];

    if (stat(arg, &sb) == 0 || strchr(arg, '/') ||
        (len > 5 && strcmp(arg + len - 5, ".yaml") == 0) ||
        (len > 4 && strcmp(arg + len - 4, ".yml") == 0)) {
        snprintf(out, size, "%s", arg);
        return 0;
    }
    snprintf(rel, sizeof(rel), "programmes/%s.yaml", arg);
    return datadir_find(rel, out, size);
}

/* ---- sorting paths for lint ---- */

static int strs_push(char ***v, size_t *n, const char *s)
{
    char **nv = realloc(*v, (*n + 2) * sizeof(**v));

    if (!nv)
        return -1;
    *v = nv;
    if (!(nv[*n] = strdup(s)))
        return -1;
    (*n)++;
    nv[*n] = NULL;
    return 0;
}

static bool yaml_name(const char *name)
{
    size_t n = strlen(name);

    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static enum ca_status sort_file(const char *path, struct programme_paths *out,
                                struct ca_error *err)
{
    FILE *fp = fopen(path, "rb");
    char *text;
    size_t n;
    bool prog;

    if (!fp) /* the rule loader names the problem */
        return strs_push(&out->rules, &out->nrules, path)
                   ? ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                                  "out of memory")
                   : CA_OK;
    text = malloc(PROGRAMME_MAX_BYTES + 1);
    if (!text) {
        fclose(fp);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    n = fread(text, 1, PROGRAMME_MAX_BYTES, fp);
    fclose(fp);
    prog = programme_text_is_programme(text, n);
    free(text);
    if (prog ? strs_push(&out->programmes, &out->nprogrammes, path)
             : strs_push(&out->rules, &out->nrules, path))
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    return CA_OK;
}

static enum ca_status sort_dir(const char *dir, struct programme_paths *out,
                               int depth, size_t *found, struct ca_error *err)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t nn = 0, i;
    enum ca_status st = CA_OK;

    if (depth > 16)
        return CA_OK;
    if (!(d = opendir(dir)))
        return ca_error_set(err, CA_DATA, dir, 0, NULL, "unable to open: %s",
                            strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (strs_push(&names, &nn, de->d_name)) {
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            break;
        }
    }
    closedir(d);
    if (nn)
        qsort(names, nn, sizeof(*names), cmp_name);
    for (i = 0; i < nn && st == CA_OK; i++) {
        struct buf p;
        struct stat sb;

        buf_init(&p, 0);
        if (buf_printf(&p, "%s/%s", dir, names[i])) {
            buf_release(&p);
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            break;
        }
        if (stat(p.data, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            st = sort_dir(p.data, out, depth + 1, found, err);
        } else if (yaml_name(names[i])) {
            (*found)++;
            st = sort_file(p.data, out, err);
        }
        buf_release(&p);
    }
    strv_free(names, nn);
    return st;
}

enum ca_status programme_sort_paths(const char *const *paths, size_t n,
                                    struct programme_paths *out,
                                    struct ca_error *err)
{
    enum ca_status st = CA_OK;
    size_t i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < n && st == CA_OK; i++) {
        struct stat sb;
        size_t found = 0;

        if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            st = sort_dir(paths[i], out, 0, &found, err);
            if (st == CA_OK && found == 0 &&
                strs_push(&out->rules, &out->nrules, paths[i]))
                st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                                  "out of memory");
        } else {
            st = sort_file(paths[i], out, err);
        }
    }
    if (st != CA_OK)
        programme_paths_release(out);
    return st;
}

void programme_paths_release(struct programme_paths *pp)
{
    strv_free(pp->rules, pp->nrules);
    strv_free(pp->programmes, pp->nprogrammes);
    memset(pp, 0, sizeof(*pp));
}
