/* SPDX-License-Identifier: MIT */
/*
 * Manifest verification; see verify.h.  The re-draw reads every input once
 * (ingest digests what it reads), so checking the inputs costs no extra
 * pass; the comparison then walks the recorded and re-drawn lists side by
 * side, both being in (force, stratum, rank) order.
 */
#include "samplers/verify.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

#include "util/sha256.h"

#include "util/path.h"

struct vctx {
    const struct verify_config *c;
    uint64_t n;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
diff(struct vctx *v, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    v->n++;
    if (v->c->on_diff)
        v->c->on_diff(v->c->diff_ctx, line);
}

static void cmp_count(struct vctx *v, const char *what, uint64_t want,
                      uint64_t got)
{
    if (want != got)
        diff(v, "%s: manifest has %llu, re-read gives %llu", what,
             (unsigned long long)want, (unsigned long long)got);
}

static void cmp_inputs(struct vctx *v, const struct sample_result *want,
                       const struct sample_result *got)
{
    size_t i;

    if (want->ninputs != got->ninputs)
        diff(v, "inputs: manifest lists %zu, %zu read", want->ninputs,
             got->ninputs);
    for (i = 0; i < want->ninputs && i < got->ninputs; i++) {
        const struct sample_input *a = &want->inputs[i], *b = &got->inputs[i];

        if (a->bytes != b->bytes)
            diff(v, "input %zu '%s': %llu bytes, manifest has %llu for '%s'",
                 i + 1, b->path, (unsigned long long)b->bytes,
                 (unsigned long long)a->bytes, a->path);
        if (strcmp(a->sha256, b->sha256) != 0)
            diff(v, "input %zu '%s': sha256 %s, manifest has %s", i + 1,
                 b->path, b->sha256, a->sha256);
    }
}

static uint64_t reason_count(const struct sample_result *r, const char *reason)
{
    size_t i;

    for (i = 0; i < r->nrejected; i++)
        if (strcmp(r->rejected[i].reason, reason) == 0)
            return r->rejected[i].n;
    return 0;
}

static void cmp_rows(struct vctx *v, const struct sample_result *want,
                     const struct sample_result *got)
{
    char what[160];
    size_t i;

    cmp_count(v, "rows_read", want->rows_read, got->rows_read);
    cmp_count(v, "rows_accepted", want->rows_accepted, got->rows_accepted);
    cmp_count(v, "rows_rejected", want->rows_rejected, got->rows_rejected);
    cmp_count(v, "rows_excluded", want->rows_excluded, got->rows_excluded);
    for (i = 0; i < want->nrejected; i++) {
        snprintf(what, sizeof(what), "rows rejected for '%s'",
                 want->rejected[i].reason);
        cmp_count(v, what, want->rejected[i].n,
                  reason_count(got, want->rejected[i].reason));
    }
    for (i = 0; i < got->nrejected; i++) {
        if (reason_count(want, got->rejected[i].reason) == 0) {
            snprintf(what, sizeof(what), "rows rejected for '%s'",
                     got->rejected[i].reason);
            cmp_count(v, what, 0, got->rejected[i].n);
        }
    }
}

static int group_order(const char *fa, const char *sa, const char *fb,
                       const char *sb)
{
    int c = strcmp(fa, fb);

    return c ? c : strcmp(sa, sb);
}

static void cmp_population(struct vctx *v, const struct selection *want,
                           const struct selection *got)
{
    size_t i = 0, j = 0;

    while (i < want->ngroups || j < got->ngroups) {
        const struct sample_group *a =
            i < want->ngroups ? &want->groups[i] : NULL;
        const struct sample_group *b =
            j < got->ngroups ? &got->groups[j] : NULL;
        int c = !a   ? 1
                : !b ? -1
                     : group_order(a->force, a->stratum, b->force, b->stratum);

        if (c < 0) {
            diff(v,
                 "population: force '%s' stratum '%s' (N = %llu) is in the "
                 "manifest but not in the inputs",
                 a->force, a->stratum, (unsigned long long)a->N);
            i++;
            continue;
        }
        if (c > 0) {
            diff(v,
                 "population: force '%s' stratum '%s' (N = %llu) is in the "
                 "inputs but not in the manifest",
                 b->force, b->stratum, (unsigned long long)b->N);
            j++;
            continue;
        }
        if (a->N != b->N || a->n != b->n || a->shortfall != b->shortfall)
            diff(v,
                 "population: force '%s' stratum '%s': manifest has N = %llu, "
                 "n = %llu, shortfall %llu; re-draw gives N = %llu, n = %llu, "
                 "shortfall %llu",
                 a->force, a->stratum, (unsigned long long)a->N,
                 (unsigned long long)a->n, (unsigned long long)a->shortfall,
                 (unsigned long long)b->N, (unsigned long long)b->n,
                 (unsigned long long)b->shortfall);
        i++;
        j++;
    }
}

/* The items of one kind (selected, spare or candidate), in order. */
static const struct sample_item **pick(const struct selection *s, int kind,
                                       size_t *n)
{
    size_t all = kind == 2 ? s->ncands : s->nitems, i;
    const struct sample_item **v = malloc((all + 1) * sizeof(*v));

    *n = 0;
    if (!v)
        return NULL;
    for (i = 0; i < all; i++)
        if (kind == 2)
            v[(*n)++] = &s->cands[i];
        else if (s->items[i].spare == (kind == 1))
            v[(*n)++] = &s->items[i];
    return v;
}

/* kind: 0 selected, 1 spares, 2 candidates */
static int cmp_items(struct vctx *v, const struct selection *want,
                     const struct selection *got, int kind)
{
    static const char *const names[] = {"selected", "spares", "candidates"};
    const char *list = names[kind];
    const struct sample_item **a, **b;
    size_t na, nb, i;

    a = pick(want, kind, &na);
    b = pick(got, kind, &nb);
    if (!a || !b) {
        free(a);
        free(b);
        return -1;
    }
    if (na != nb)
        diff(v, "%s: manifest lists %zu, re-draw gives %zu", list, na, nb);
    for (i = 0; i < na || i < nb; i++) {
        const struct sample_item *x = i < na ? a[i] : NULL,
                                 *y = i < nb ? b[i] : NULL;

        if (x && y && x->rank == y->rank && strcmp(x->id, y->id) == 0 &&
            strcmp(x->key, y->key) == 0 && strcmp(x->force, y->force) == 0 &&
            strcmp(x->stratum, y->stratum) == 0)
            continue;
        if (x && y)
            diff(v,
                 "%s[%zu]: manifest has force '%s' stratum '%s' rank %llu id "
                 "'%s' "
                 "key %s; re-draw gives force '%s' stratum '%s' rank %llu id "
                 "'%s' "
                 "key %s",
                 list, i + 1, x->force, x->stratum, (unsigned long long)x->rank,
                 x->id, x->key, y->force, y->stratum,
                 (unsigned long long)y->rank, y->id, y->key);
        else if (x)
            diff(v,
                 "%s[%zu]: manifest has force '%s' stratum '%s' rank %llu id "
                 "'%s'; "
                 "the re-draw has no such entry",
                 list, i + 1, x->force, x->stratum, (unsigned long long)x->rank,
                 x->id);
        else
            diff(v,
                 "%s[%zu]: re-draw gives force '%s' stratum '%s' rank %llu id "
                 "'%s'; "
                 "the manifest has no such entry",
                 list, i + 1, y->force, y->stratum, (unsigned long long)y->rank,
                 y->id);
    }
    free(a);
    free(b);
    return 0;
}

enum ca_status manifest_verify(const struct verify_config *c, uint64_t *ndiff,
                               struct ca_error *err)
{
    const struct manifest *m = c->m;
    struct vctx v = {c, 0};
    struct draw_config dc;
    struct sample_result got;
    const char **paths = NULL;
    size_t npaths, i;
    enum ca_status st = CA_OK;

    *ndiff = 0;
    if (c->paths) {
        npaths = c->npaths;
        paths = malloc((npaths + 1) * sizeof(*paths));
        if (!paths)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        for (i = 0; i < npaths; i++)
            paths[i] = c->paths[i];
    } else {
        npaths = m->r.ninputs;
        paths = malloc((npaths + 1) * sizeof(*paths));
        if (!paths)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        for (i = 0; i < npaths; i++)
            paths[i] = m->r.inputs[i].path;
    }
    if (npaths == 0) {
        free(paths);
        return ca_error_set(
            err, CA_USAGE, NULL, 0, NULL,
            "the manifest lists no inputs: name them after the manifest");
    }
    /* an input that cannot be read is bad input (exit 3), as for every
     * command, not a difference */
    for (i = 0; i < npaths && st == CA_OK; i++) {
        if (strcmp(paths[i], "-") == 0 && !c->paths)
            st = ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                              "input %zu was standard input: give the file "
                              "after the manifest",
                              i + 1);
        else
            st = path_want_input(paths[i], err);
    }
    if (st != CA_OK)
        goto out;

    memset(&dc, 0, sizeof(dc));
    dc.p = &m->p;
    dc.paths = paths;
    dc.npaths = npaths;
    dc.size = c->size;
    dc.size_ctx = c->size_ctx;
    dc.size_bound = c->size_bound;
    dc.frame = c->frame;
    dc.frame_ctx = c->frame_ctx;
    dc.on_progress = c->on_progress;
    dc.progress_ctx = c->progress_ctx;
    dc.manifest_inputs = !c->paths || c->matched;
    st = sample_draw(&dc, &got, err);
    if (st == CA_USAGE) {
        /* parameters that sample would have refused: a damaged manifest */
        char msg[sizeof(err->msg)];

        snprintf(msg, sizeof(msg),
                 "the manifest's parameters cannot be used: %.900s", err->msg);
        snprintf(err->msg, sizeof(err->msg), "%s", msg);
        err->status = st = CA_DATA;
    }
    if (st != CA_OK)
        goto out;
    cmp_inputs(&v, &m->r, &got);
    cmp_rows(&v, &m->r, &got);
    cmp_population(&v, &m->r.sel, &got.sel);
    if (m->p.shard)
        cmp_count(&v, "candidates_per_stratum", m->r.candidates_per_stratum,
                  got.candidates_per_stratum);
    if (cmp_items(&v, &m->r.sel, &got.sel, 0) != 0 ||
        cmp_items(&v, &m->r.sel, &got.sel, 1) != 0 ||
        (m->p.shard && cmp_items(&v, &m->r.sel, &got.sel, 2) != 0))
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    sample_result_release(&got);
out:
    free(paths);
    *ndiff = v.n;
    return st;
}

/* ---- choosing each manifest's inputs among the files given --------------- */

static int pool_add(struct input_pool *p, const char *path,
                    struct ca_error *err)
{
    unsigned char d[32];
    unsigned long long bytes;
    char **np;
    char(*ns)[65];

    if (sha256_file(path, d, &bytes) != 0)
        return ca_error_set(err, CA_DATA, path, 0, NULL, "unable to read: %s",
                            strerror(errno)),
               -1;
    np = realloc(p->path, (p->n + 1) * sizeof(*p->path));
    if (!np)
        goto nomem;
    p->path = np;
    ns = realloc(p->sha256, (p->n + 1) * sizeof(*p->sha256));
    if (!ns)
        goto nomem;
    p->sha256 = ns;
    if (!(p->path[p->n] = strdup(path)))
        goto nomem;
    sha256_hex(d, p->sha256[p->n]);
    p->n++;
    return 0;
nomem:
    ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    return -1;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int pool_walk(struct input_pool *p, const char *dir, int depth,
                     struct ca_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, i;
    int rc = 0;

    if (!d) {
        ca_error_set(err, CA_DATA, dir, 0, NULL, "unable to open: %s",
                     strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        char **nn;

        if (e->d_name[0] == '.')
            continue;
        nn = realloc(names, (n + 1) * sizeof(*names));
        if (!nn || !(nn[n] = strdup(e->d_name))) {
            names = nn ? nn : names;
            rc = -1;
            ca_error_set(err, CA_SYSTEM, dir, 0, NULL, "out of memory");
            break;
        }
        names = nn;
        n++;
    }
    closedir(d);
    if (rc == 0 && n)
        qsort(names, n, sizeof(*names), cmp_name);
    for (i = 0; rc == 0 && i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        struct stat sb;

        if (!path) {
            ca_error_set(err, CA_SYSTEM, dir, 0, NULL, "out of memory");
            rc = -1;
            break;
        }
        snprintf(path, len, "%s/%s", dir, names[i]);
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (depth < 16)
                rc = pool_walk(p, path, depth + 1, err);
        } else if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            rc = pool_add(p, path, err);
        }
        free(path);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

enum ca_status input_pool_build(struct input_pool *p, const char *const *paths,
                                size_t n, struct ca_error *err)
{
    size_t i;

    memset(p, 0, sizeof(*p));
    for (i = 0; i < n; i++) {
        struct stat sb;

        if (stat(paths[i], &sb) != 0)
            return ca_error_set(err, CA_DATA, paths[i], 0, NULL,
                                "unable to open: %s", strerror(errno));
        if (S_ISDIR(sb.st_mode) ? pool_walk(p, paths[i], 0, err)
                                : pool_add(p, paths[i], err))
            return err->status ? err->status : CA_SYSTEM;
    }
    return CA_OK;
}

void input_pool_release(struct input_pool *p)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        free(p->path[i]);
    free(p->path);
    free(p->sha256);
    memset(p, 0, sizeof(*p));
}

int input_pool_match(const struct input_pool *p, const struct manifest *m,
                     const char ***out)
{
    const char **v;
    size_t i, k;

    *out = NULL;
    if (m->r.ninputs == 0)
        return 0;
    v = calloc(m->r.ninputs, sizeof(*v));
    if (!v)
        return -1;
    for (i = 0; i < m->r.ninputs; i++) {
        for (k = 0; k < p->n; k++)
            if (strcmp(p->sha256[k], m->r.inputs[i].sha256) == 0)
                break;
        if (k == p->n) {
            free(v);
            return 0;
        }
        v[i] = p->path[k];
    }
    *out = v;
    return 1;
}
