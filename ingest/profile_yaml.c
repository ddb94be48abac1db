/* SPDX-License-Identifier: MIT */
/*
 * Reading a profile from YAML, over the strict document tree of
 * util/yamltree.h (the layer rules and programmes are read with).  Strict:
 * an unknown or duplicate key, an alias, anchor or tag, a value of the
 * wrong shape, an unknown field name or a bad regex is an error naming
 * origin:line:col, so that a typo in a profile cannot silently change what
 * is read.  Every error is a usage error (a profile is configuration).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/profile.h"
#include "util/yamltree.h"

struct ld {
    const char *origin;
    struct ca_error *err;
    struct profile *p;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static enum ca_status
bad(struct ld *l, const struct ynode *n, const char *fmt, ...)
{
    char msg[900];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ca_error_set(l->err, CA_USAGE, l->origin, n ? n->line : 0, NULL, "%s", msg);
    if (n)
        ca_error_set_col(l->err, n->col);
    return CA_USAGE;
}

static enum ca_status oom(struct ld *l)
{
    return ca_error_set(l->err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
}

static const char *scalar(const struct ynode *n)
{
    return n && n->kind == YN_SCALAR ? n->val : NULL;
}

static enum ca_status want_scalar(struct ld *l, const struct ynode *n,
                                  const char *key, char **out)
{
    const char *s = scalar(n);

    if (!s)
        return bad(l, n, "'%s' needs a single value", key);
    free(*out);
    *out = strdup(s);
    return *out ? CA_OK : oom(l);
}

/* A scalar or a sequence of scalars. */
static enum ca_status want_list(struct ld *l, const struct ynode *n,
                                const char *key, char ***out, size_t *nout)
{
    size_t cnt, i;
    char **v;

    if (n->kind == YN_SCALAR) {
        cnt = 1;
    } else if (n->kind == YN_SEQ) {
        cnt = n->nkids;
    } else {
        return bad(l, n, "'%s' needs a value or a list of values", key);
    }
    v = calloc(cnt ? cnt : 1, sizeof(*v));
    if (!v)
        return oom(l);
    *out = v;
    *nout = 0;
    if (n->kind == YN_SCALAR) {
        v[0] = strdup(n->val);
        if (!v[0])
            return oom(l);
        *nout = 1;
        return CA_OK;
    }
    for (i = 0; i < n->nkids; i++) {
        const struct ynode *c = n->kids[i];
        const char *s = scalar(c);

        if (!s)
            return bad(l, c, "each item of '%s' must be a single value", key);
        v[i] = strdup(s);
        if (!v[i])
            return oom(l);
        *nout = i + 1;
    }
    return CA_OK;
}

/* Iterate a mapping's pairs: k the key (a scalar, unique: the tree checks
 * both), v the value, ks the key's text. */
#define FOR_PAIRS(map, i, k, v, ks)                                            \
    for (i = 0;                                                                \
         i + 1 < (map)->nkids &&                                               \
         ((k = (map)->kids[i]), (v = (map)->kids[i + 1]), (ks = (k)->val), 1); \
         i += 2)

static enum ca_status check_mapping(struct ld *l, const struct ynode *map,
                                    const char *what)
{
    if (map->kind != YN_MAP)
        return bad(l, map, "%s must be a mapping (key: value)", what);
    return CA_OK;
}

static enum ca_status want_field(struct ld *l, const struct ynode *n,
                                 const char *s, enum cf *f)
{
    int i = cf_lookup(s);

    if (i < 0)
        return bad(l, n,
                   "'%s' is not a canonical field (see the record "
                   "model in docs/design.md)",
                   s);
    *f = (enum cf)i;
    return CA_OK;
}

/* {position: N}: the field is the header's N-th column (1-based). */
static enum ca_status ld_position(struct ld *l, const struct ynode *map,
                                  const char *field, unsigned *out)
{
    size_t kv;
    const struct ynode *k, *v;
    const char *ks, *s;
    unsigned long n = 0;
    size_t i;
    enum ca_status st;

    if ((st = check_mapping(l, map, "a column mapping")) != CA_OK)
        return st;
    FOR_PAIRS(map, kv, k, v, ks)
    {
        if (strcmp(ks, "position") != 0)
            return bad(l, k,
                       "unknown key '%s' in the mapping of '%s' (position: "
                       "the column's number, 1 for the first)",
                       ks, field);
        s = scalar(v);
        for (i = 0; s && s[i] >= '0' && s[i] <= '9' && n <= 65536; i++)
            n = n * 10 + (unsigned long)(s[i] - '0');
        if (!s || !s[0] || s[i] || n < 1 || n > 65536)
            return bad(l, v,
                       "'position' of '%s' needs a column number from 1 to "
                       "65536",
                       field);
    }
    if (!n)
        return bad(l, map, "'%s' needs 'position: N' (the column's number)",
                   field);
    *out = (unsigned)n;
    return CA_OK;
}

static enum ca_status ld_columns(struct ld *l, const struct ynode *map)
{
    size_t kv;
    const struct ynode *k, *v;
    const char *ks;
    enum cf f = CF_FORCE;
    enum ca_status st;

    if ((st = check_mapping(l, map, "'columns'")) != CA_OK)
        return st;
    FOR_PAIRS(map, kv, k, v, ks)
    {
        if ((st = want_field(l, k, ks, &f)) != CA_OK)
            return st;
        if (v->kind == YN_MAP) {
            if ((st = ld_position(l, v, ks, &l->p->position[f])) != CA_OK)
                return st;
            continue;
        }
        if ((st = want_list(l, v, ks, &l->p->columns[f], &l->p->ncolumns[f])))
            return st;
    }
    return CA_OK;
}

static enum ca_status ld_date_formats(struct ld *l, const struct ynode *map)
{
    size_t kv;
    const struct ynode *k, *v;
    const char *ks;
    enum cf f = CF_FORCE;
    enum ca_status st;

    if ((st = check_mapping(l, map, "'date_formats'")) != CA_OK)
        return st;
    FOR_PAIRS(map, kv, k, v, ks)
    {
        if ((st = want_field(l, k, ks, &f)) != CA_OK)
            return st;
        if (cf_kind(f) != CFK_DATE)
            return bad(l, k, "'%s' is not a date field", ks);
        if ((st = want_scalar(l, v, ks, &l->p->date_formats[f])) != CA_OK)
            return st;
    }
    return CA_OK;
}

static enum ca_status check_date_format(struct ld *l, const struct ynode *n,
                                        const char *fmt)
{
    const char *p;

    for (p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (!*p || !strchr("YymdeHMSbB%", *p))
            return bad(l, n,
                       "unsupported date format '%s' (use %%Y %%y %%m "
                       "%%d %%H %%M %%S %%b)",
                       fmt);
    }
    return CA_OK;
}

static enum ca_status ld_flags(struct ld *l, const struct ynode *map)
{
    size_t kv;
    const struct ynode *k, *v;
    const char *ks;
    enum ca_status st;

    if ((st = check_mapping(l, map, "'flags'")) != CA_OK)
        return st;
    FOR_PAIRS(map, kv, k, v, ks)
    {
        if (strcmp(ks, "yes") == 0)
            st = want_list(l, v, ks, &l->p->yes, &l->p->nyes);
        else if (strcmp(ks, "no") == 0)
            st = want_list(l, v, ks, &l->p->no, &l->p->nno);
        else
            return bad(l, k, "unknown key '%s' in 'flags' (yes, no)", ks);
        if (st != CA_OK)
            return st;
    }
    return CA_OK;
}

static enum ca_status ld_force_fallback(struct ld *l, const struct ynode *map)
{
    size_t kv;
    const struct ynode *k, *v;
    const char *ks;
    enum ca_status st;

    if (map->kind == YN_SCALAR)
        return want_scalar(l, map, "force_fallback", &l->p->force_fallback);
    if ((st = check_mapping(l, map, "'force_fallback'")) != CA_OK)
        return st;
    FOR_PAIRS(map, kv, k, v, ks)
    {
        if (strcmp(ks, "column") == 0)
            st = want_scalar(l, v, ks, &l->p->force_fallback);
        else if (strcmp(ks, "strip") == 0)
            st = want_list(l, v, ks, &l->p->force_strip, &l->p->nforce_strip);
        else
            return bad(l, k,
                       "unknown key '%s' in 'force_fallback' (column, strip)",
                       ks);
        if (st != CA_OK)
            return st;
    }
    if (!l->p->force_fallback)
        return bad(l, map, "'force_fallback' needs a 'column'");
    return CA_OK;
}

static enum ca_status ld_derive_one(struct ld *l, enum cf target,
                                    const struct ynode *map)
{
    struct profile_derive *d = &l->p->derive[l->p->nderive];
    size_t kv, kv2;
    const struct ynode *k, *v, *mk, *mv;
    const char *ks, *mks;
    bool have_from = false;
    size_t cnt, i;
    enum ca_status st;

    memset(d, 0, sizeof(*d));
    d->target = target;
    l->p->nderive++;
    if ((st = check_mapping(l, map, "a derived field")) != CA_OK)
        return st;
    FOR_PAIRS(map, kv, k, v, ks)
    {
        if (strcmp(ks, "from") == 0) {
            if (!scalar(v))
                return bad(l, v, "'from' needs a canonical field name");
            if ((st = want_field(l, v, scalar(v), &d->from)) != CA_OK)
                return st;
            have_from = true;
        } else if (strcmp(ks, "default") == 0) {
            if ((st = want_scalar(l, v, ks, &d->fallback)) != CA_OK)
                return st;
        } else if (strcmp(ks, "map") == 0) {
            if ((st = check_mapping(l, v, "'map'")) != CA_OK)
                return st;
            cnt = v->nkids / 2;
            d->keys = calloc(cnt ? cnt : 1, sizeof(char *));
            d->values = calloc(cnt ? cnt : 1, sizeof(char *));
            if (!d->keys || !d->values)
                return oom(l);
            i = 0;
            FOR_PAIRS(v, kv2, mk, mv, mks)
            {
                if (!scalar(mv))
                    return bad(l, mv,
                               "each value in 'map' must be a single "
                               "value");
                d->keys[i] = strdup(mks);
                d->values[i] = strdup(scalar(mv));
                d->n = ++i;
                if (!d->keys[i - 1] || !d->values[i - 1])
                    return oom(l);
            }
        } else {
            return bad(l, k,
                       "unknown key '%s' in a derived field (from, map, "
                       "default)",
                       ks);
        }
    }
    if (!have_from)
        return bad(l, map, "a derived field needs 'from'");
    return CA_OK;
}

static enum ca_status ld_derive(struct ld *l, const struct ynode *map)
{
    size_t kv;
    const struct ynode *k, *v;
    const char *ks;
    enum cf f = CF_FORCE;
    size_t cnt;
    enum ca_status st;

    if ((st = check_mapping(l, map, "'derive'")) != CA_OK)
        return st;
    cnt = map->nkids / 2;
    l->p->derive = calloc(cnt ? cnt : 1, sizeof(*l->p->derive));
    if (!l->p->derive)
        return oom(l);
    FOR_PAIRS(map, kv, k, v, ks)
    {
        if ((st = want_field(l, k, ks, &f)) != CA_OK)
            return st;
        if ((st = ld_derive_one(l, f, v)) != CA_OK)
            return st;
    }
    return CA_OK;
}

static enum ca_status ld_root(struct ld *l, const struct ynode *root)
{
    size_t kv;
    const struct ynode *k, *v;
    const char *ks;
    char *tmp = NULL;
    char **list = NULL;
    size_t nlist = 0, i;
    enum ca_status st;

    if (!root)
        return bad(l, NULL, "empty profile");
    if ((st = check_mapping(l, root, "a profile")) != CA_OK)
        return st;
    FOR_PAIRS(root, kv, k, v, ks)
    {
        if (strcmp(ks, "name") == 0) {
            st = want_scalar(l, v, ks, &l->p->name);
        } else if (strcmp(ks, "description") == 0) {
            st = want_scalar(l, v, ks, &l->p->description);
        } else if (strcmp(ks, "type") == 0) {
            if (!scalar(v) || record_type_parse(scalar(v), &l->p->type))
                return bad(l, v,
                           "'type' must be crime, wanted, bail or "
                           "incident");
        } else if (strcmp(ks, "detect") == 0) {
            st = want_list(l, v, ks, &l->p->detect, &l->p->ndetect);
        } else if (strcmp(ks, "columns") == 0) {
            st = ld_columns(l, v);
        } else if (strcmp(ks, "date_format") == 0) {
            st = want_scalar(l, v, ks, &l->p->date_format);
            if (st == CA_OK)
                st = check_date_format(l, v, l->p->date_format);
        } else if (strcmp(ks, "date_formats") == 0) {
            st = ld_date_formats(l, v);
            for (i = 0; st == CA_OK && i < CF__COUNT; i++)
                if (l->p->date_formats[i])
                    st = check_date_format(l, v, l->p->date_formats[i]);
        } else if (strcmp(ks, "flags") == 0) {
            st = ld_flags(l, v);
        } else if (strcmp(ks, "entry_header") == 0) {
            char msg[256];
            size_t off = 0;

            if ((st = want_scalar(l, v, ks, &tmp)) != CA_OK)
                return st;
            if (l->p->has_entry_regex)
                entry_regex_release(&l->p->entry_regex);
            l->p->has_entry_regex = false;
            if (entry_regex_compile(&l->p->entry_regex, tmp, msg, sizeof(msg),
                                    &off)) {
                free(tmp);
                return bad(l, v, "bad 'entry_header' regex at offset %zu: %s",
                           off, msg);
            }
            l->p->has_entry_regex = true;
            free(tmp);
            tmp = NULL;
        } else if (strcmp(ks, "entry_date_format") == 0) {
            st = want_scalar(l, v, ks, &l->p->entry_date_format);
            if (st == CA_OK)
                st = check_date_format(l, v, l->p->entry_date_format);
        } else if (strcmp(ks, "required") == 0) {
            if ((st = want_list(l, v, ks, &list, &nlist)) != CA_OK)
                goto out;
            for (i = 0; i < nlist; i++) {
                enum cf f = CF_FORCE;

                if ((st = want_field(l, v, list[i], &f)) != CA_OK)
                    goto out;
                if (l->p->nrequired < CF__COUNT)
                    l->p->required[l->p->nrequired++] = f;
            }
            for (i = 0; i < nlist; i++)
                free(list[i]);
            free(list);
            list = NULL;
            nlist = 0;
        } else if (strcmp(ks, "force_fallback") == 0) {
            st = ld_force_fallback(l, v);
        } else if (strcmp(ks, "derive") == 0) {
            st = ld_derive(l, v);
        } else {
            return bad(l, k,
                       "unknown key '%s' (name, description, type, detect, "
                       "columns, date_format, date_formats, flags, "
                       "entry_header, entry_date_format, required, "
                       "force_fallback, derive)",
                       ks);
        }
        if (st != CA_OK)
            goto out;
    }
out:
    if (list) {
        for (i = 0; i < nlist; i++)
            free(list[i]);
        free(list);
    }
    return st;
}

static void default_name(struct profile *p, const char *origin)
{
    const char *b = strrchr(origin, '/');
    size_t n;

    b = b ? b + 1 : origin;
    n = strcspn(b, ".");
    p->name = malloc(n + 1);
    if (p->name) {
        memcpy(p->name, b, n);
        p->name[n] = '\0';
    }
}

enum ca_status profile_load_text(const char *text, size_t len,
                                 const char *origin, struct profile **out,
                                 struct ca_error *err)
{
    struct ysrc src;
    struct ynode *root = NULL;
    struct ld l;
    struct profile *p;
    enum ca_status st;

    *out = NULL;
    memset(&src, 0, sizeof(src));
    p = calloc(1, sizeof(*p));
    if (!p)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    src.name = origin;
    src.text = text;
    src.len = len;
    src.kind = "profile";
    st = ytree_parse(&src, &root, err);
    if (st == CA_DATA) { /* a profile is configuration */
        st = CA_USAGE;
        if (err)
            err->status = st;
    }
    if (st == CA_OK) {
        l.origin = origin;
        l.err = err;
        l.p = p;
        st = ld_root(&l, root);
    }
    if (st == CA_OK && !p->name)
        default_name(p, origin);
    if (st == CA_OK) {
        p->origin = strdup(origin);
        if (!p->name || !p->origin)
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    ytree_free(root);
    ysrc_release(&src);
    if (st != CA_OK) {
        profile_free(p);
        return st;
    }
    *out = p;
    return CA_OK;
}
