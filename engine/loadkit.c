/* SPDX-License-Identifier: MIT */
/*
 * The rule loader's toolkit, shared by rule, spec, pattern and lexicon
 * loading: errors that name file:line:col, typed values read from YAML
 * nodes (text, whole numbers, true/false, one of a list of names, with a
 * "did you mean" for a near miss), and the fields a rule reads.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "util/suggest.h"

/* ---- loader context and errors ---- */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
enum ca_status
lerr(struct ld *ld, const struct ynode *n, const char *fmt, ...)
{
    va_list ap;
    char msg[900];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ca_error_set(ld->err, CA_DATA, ld->path, n ? n->line : 1, NULL, "%s", msg);
    ca_error_set_col(ld->err, n ? n->col : 1);
    return CA_DATA;
}

enum ca_status oom(struct ld *ld)
{
    return ca_error_set(ld->err, CA_SYSTEM, ld->path, 0, NULL, "out of memory");
}

int name_index(const char *const *names, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

/* "one of a, b, c" in out, and in sugg "; did you mean 'x'?" for a near
 * miss (else ""). */
static void one_of(char *out, size_t size, const char *const *names, size_t n,
                   const char *got, char sugg_out[96])
{
    size_t i, off = 0;
    unsigned best = 3;
    const char *sugg = NULL;
    int k;

    k = snprintf(out, size, "one of ");
    off = k > 0 ? (size_t)k : 0;
    for (i = 0; i < n && off < size; i++) {
        unsigned dist;

        k = snprintf(out + off, size - off, "%s%s", i ? ", " : "", names[i]);
        off += k > 0 ? (size_t)k : 0;
        dist = suggest_distance(got, names[i]);
        if (dist < best) {
            best = dist;
            sugg = names[i];
        }
    }
    sugg_out[0] = '\0';
    if (sugg)
        snprintf(sugg_out, 96, "; did you mean '%.60s'?", sugg);
}

const struct ynode *map_get(const struct ynode *m, const char *key)
{
    size_t i;

    for (i = 0; i + 1 < m->nkids; i += 2)
        if (strcmp(m->kids[i]->val, key) == 0)
            return m->kids[i + 1];
    return NULL;
}

enum ca_status check_keys(struct ld *ld, const struct ynode *m,
                          const char *const *allowed, size_t n,
                          const char *where)
{
    size_t i;
    char list[600], sugg[96];

    for (i = 0; i + 1 < m->nkids; i += 2) {
        const char *k = m->kids[i]->val;
        if (name_index(allowed, n, k) < 0) {
            one_of(list, sizeof(list), allowed, n, k, sugg);
            return lerr(ld, m->kids[i],
                        "unknown key '%.100s' in %s%s (expected %s)", k, where,
                        sugg, list);
        }
    }
    return CA_OK;
}

enum ca_status want_kind(struct ld *ld, const struct ynode *n,
                         enum ynode_kind kind, const char *key)
{
    static const char *const kn[] = {"a single value", "a list", "a mapping"};

    if (n->kind != kind)
        return lerr(ld, n, "'%s' must be %s, not %s", key, kn[kind],
                    kn[n->kind]);
    return CA_OK;
}

enum ca_status get_string(struct ld *ld, const struct ynode *n, const char *key,
                          char **out)
{
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    if (n->len == 0 || n->len > 2000)
        return lerr(ld, n,
                    "'%s' must be a non-empty text of at most 2000 bytes", key);
    *out = strdup(n->val);
    return *out ? CA_OK : oom(ld);
}

enum ca_status get_int(struct ld *ld, const struct ynode *n, const char *key,
                       long lo, long hi, int *out)
{
    char *end;
    long v;
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    errno = 0;
    v = strtol(n->val, &end, 10);
    if (n->style != YS_PLAIN || n->len == 0 || *end != '\0' || errno ||
        !isdigit((unsigned char)n->val[0]) || v < lo || v > hi)
        return lerr(ld, n,
                    "'%s' must be a whole number from %ld to %ld, not '%.60s'",
                    key, lo, hi, n->val);
    *out = (int)v;
    return CA_OK;
}

enum ca_status get_bool(struct ld *ld, const struct ynode *n, const char *key,
                        bool *out)
{
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    if (n->style == YS_PLAIN && strcmp(n->val, "true") == 0)
        *out = true;
    else if (n->style == YS_PLAIN && strcmp(n->val, "false") == 0)
        *out = false;
    else
        return lerr(ld, n, "'%s' must be true or false, not '%.60s'", key,
                    n->val);
    return CA_OK;
}

enum ca_status get_enum(struct ld *ld, const struct ynode *n, const char *key,
                        const char *const *names, size_t nn, int *out)
{
    char list[400], sugg[96];
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    *out = name_index(names, nn, n->val);
    if (*out < 0) {
        one_of(list, sizeof(list), names, nn, n->val, sugg);
        return lerr(ld, n, "'%s' must be %s, not '%.60s'%s", key, list, n->val,
                    sugg);
    }
    return CA_OK;
}

/* ---- fields ---- */

static bool declared_field(const struct rule *ru, const char *name)
{
    size_t i;

    for (i = 0; i < ru->nfields; i++)
        if (strcmp(ru->fields[i], name) == 0)
            return true;
    return false;
}

enum ca_status add_field(struct ld *ld, const char *name)
{
    struct rule *ru = ld->ru;
    char **f;

    if (declared_field(ru, name))
        return CA_OK;
    f = realloc(ru->fields, (ru->nfields + 1) * sizeof(*f));
    if (!f)
        return oom(ld);
    ru->fields = f;
    f[ru->nfields] = strdup(name);
    if (!f[ru->nfields])
        return oom(ld);
    ru->nfields++;
    return CA_OK;
}

/* A list v of column names (key names it in messages), each added. */
enum ca_status add_fields(struct ld *ld, const struct ynode *v, const char *key)
{
    enum ca_status st;
    size_t i;

    if ((st = want_kind(ld, v, YN_SEQ, key)) != CA_OK)
        return st;
    for (i = 0; i < v->nkids; i++) {
        const struct ynode *f = v->kids[i];

        if (f->kind != YN_SCALAR || f->len == 0 || f->len > 100)
            return lerr(ld, f, "each item of '%s' must be a column name", key);
        if ((st = add_field(ld, f->val)) != CA_OK)
            return st;
    }
    return CA_OK;
}

/*
 * A field reference.  Canonical fields of the rule's record type are
 * known; any other column must be declared in `fields:` (so that a typo is
 * caught here, not as an error on every record).  date: must be a date.
 */
enum ca_status get_field(struct ld *ld, const struct ynode *n, const char *key,
                         bool date, struct fieldref *out)
{
    struct rule *ru = ld->ru;
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);
    int cf;

    if (st != CA_OK)
        return st;
    if (n->len == 0 || n->len > 100)
        return lerr(ld, n, "'%s' must name a field", key);
    cf = cf_lookup(n->val);
    if (cf >= 0 && !record_type_has_field(ru->type, (enum cf)cf))
        cf = -1;
    if (cf < 0 && !declared_field(ru, n->val)) {
        const char *names[CF__COUNT];
        char list[1200], sugg[96];
        size_t nn = 0, i;

        for (i = 0; i < CF__COUNT; i++)
            if (record_type_has_field(ru->type, (enum cf)i))
                names[nn++] = cf_name((enum cf)i);
        one_of(list, sizeof(list), names, nn, n->val, sugg);
        return lerr(ld, n,
                    "'%s': '%.100s' is not a field of %s records%s "
                    "(declare other export columns in 'fields:')",
                    key, n->val, record_type_name(ru->type), sugg);
    }
    if (date && cf >= 0 && cf_kind((enum cf)cf) != CFK_DATE)
        return lerr(ld, n, "'%s': '%.100s' is not a date field", key, n->val);
    out->name = strdup(n->val);
    if (!out->name)
        return oom(ld);
    out->cf = cf;
    out->named = cf_lookup(n->val);
    return add_field(ld, n->val);
}

enum ca_status finish_fields(struct ld *ld)
{
    struct rule *ru = ld->ru;
    size_t i;
    enum ca_status st;

    if (ru->entry.present || ru->ifs.present || ru->when.present ||
        ru->when_not.present) {
        if ((st = add_field(ld, "log")) != CA_OK)
            return st;
    }
    ru->need = calloc(ru->nfields ? ru->nfields : 1, sizeof(*ru->need));
    if (!ru->need)
        return oom(ld);
    for (i = 0; i < ru->nfields; i++) {
        int cf = cf_lookup(ru->fields[i]);
        ru->need[i].name = ru->fields[i];
        ru->need[i].cf =
            cf >= 0 && record_type_has_field(ru->type, (enum cf)cf) ? cf : -1;
        ru->need[i].named = cf;
    }
    ru->nneed = ru->nfields;
    return CA_OK;
}
