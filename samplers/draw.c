/* SPDX-License-Identifier: MIT */
/*
 * Drawing a sample from exports; see draw.h.  The ingest callback builds
 * each member's force, stratum label and (systematic) order key, applies
 * the frame's --where regexes (PCRE2, JIT) and hands the member to the
 * selector; sizes, allocation and the draw follow once N is known.
 *
 * Rows for the sample CSV are kept as one block per record:
 *   uint32 ncols | force NUL | (name NUL value NUL) x ncols
 * (ingest rejects NUL bytes in CSV, so values hold none).
 */
#include "samplers/draw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ingest/fields.h"
#include "ingest/record.h"
#include "samplers/alloc.h"
#include "samplers/select.h"
#include "util/buf.h"
#include "util/csvw.h"
#include "util/sha256.h"

struct draw_ctx {
    const struct draw_config *c;
    struct selector *sel;
    pcre2_code **re;
    pcre2_match_data *md;
    struct buf label, row;
    int order_cf; /* canonical date field for ordering, or -1 */
    bool keep_rows;
    uint64_t excluded;
    struct ca_error *err;
    enum ca_status st;        /* an error raised inside a callback */
    const struct record *cur; /* the record being added */
    struct selection *out;    /* second pass */
    uint64_t filled;
};

static int fail_at(struct draw_ctx *d, const struct record *r,
                   enum ca_status st, const char *field, const char *msg)
{
    d->st = ca_error_set(d->err, st, r->source, r->line, field, "%s", msg);
    return 1;
}

static int row_serialize(struct buf *b, const struct record *r)
{
    uint32_t n = 0;
    size_t i;

    /* a column without a name was set aside by ingest (a repeated name
     * the profile resolved by position): not part of the sample */
    for (i = 0; i < r->ncols; i++)
        n += r->names[i] != NULL;
    buf_reset(b);
    if (buf_add(b, &n, sizeof(n)) || buf_add(b, r->force, strlen(r->force) + 1))
        return -1;
    for (i = 0; i < r->ncols; i++) {
        const char *name = r->names[i];

        if (!name)
            continue;
        if (buf_add(b, name, strlen(name) + 1) ||
            buf_add(b, r->values[i], r->lens[i]) || buf_addch(b, '\0'))
            return -1;
    }
    return 0;
}

/* selector_row_fn: the current record's row, built only on demand. */
static const void *current_row(void *vctx, size_t *len)
{
    struct draw_ctx *d = vctx;

    if (row_serialize(&d->row, d->cur))
        return NULL;
    *len = d->row.len;
    return d->row.data;
}

/* A field's value, or an error naming the field and what needs it. */
static const char *need_field(struct draw_ctx *d, const struct record *r,
                              const char *field, const char *option)
{
    const char *v = record_get_named(r, field), *near;
    char msg[256];

    if (!v) {
        near = fields_nearest(r, field);
        snprintf(msg, sizeof(msg), "no column '%.80s' (needed by %s)%s%.80s%s",
                 field, option, near ? "; did you mean '" : "",
                 near ? near : "", near ? "'?" : "");
        fail_at(d, r, CA_DATA, field, msg);
    }
    return v;
}

static int on_record(void *vctx, const struct record *r)
{
    struct draw_ctx *d = vctx;
    const struct sample_params *p = d->c->p;
    const char *force = p->per_force ? r->force : "all";
    const char *order = NULL;
    char okey[32];
    size_t i;
    enum ca_status st;

    for (i = 0; i < p->nwhere; i++) {
        const char *v = need_field(d, r, p->where[i].field, "--where");
        int rc;

        if (!v)
            return 1;
        rc = pcre2_match(d->re[i], (PCRE2_SPTR)v, strlen(v), 0, 0, d->md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH) {
            d->excluded++;
            return 0;
        }
        if (rc < 0) {
            PCRE2_UCHAR msg[160];
            char m[256];

            pcre2_get_error_message(rc, msg, sizeof(msg));
            snprintf(m, sizeof(m), "--where regex '%s' failed: %s",
                     p->where[i].regex, (const char *)msg);
            return fail_at(d, r, CA_DATA, p->where[i].field, m);
        }
    }
    if (p->programme) {
        int in = d->c->frame(d->c->frame_ctx, r, d->err);

        if (in < 0) {
            d->st = d->err->status ? d->err->status : CA_SYSTEM;
            return 1;
        }
        if (in == 0) {
            d->excluded++;
            return 0;
        }
    }
    buf_reset(&d->label);
    if (p->nstrata == 0 && buf_addstr(&d->label, "all"))
        goto oom;
    for (i = 0; i < p->nstrata; i++) {
        const char *v = need_field(d, r, p->strata[i], "--strata");

        if (!v)
            return 1;
        if ((i && buf_addch(&d->label, '|')) || buf_addstr(&d->label, v))
            goto oom;
    }
    if (p->order_by) {
        if (d->order_cf >= 0 && r->canon[d->order_cf] >= 0) {
            /* a date: by its time; empty or bad dates first */
            if (r->at_state[d->order_cf] == DS_OK)
                snprintf(okey, sizeof(okey), "1%020llu",
                         (unsigned long long)r->at[d->order_cf] ^
                             0x8000000000000000ULL);
            else
                snprintf(okey, sizeof(okey), "0");
            order = okey;
        } else if (!(order = need_field(d, r, p->order_by, "--order-by"))) {
            return 1;
        }
    }
    d->cur = r;
    st = selector_add(d->sel, force, d->label.data, r->id, order,
                      d->keep_rows ? current_row : NULL, d, d->err);
    if (st != CA_OK) {
        d->st = st;
        return 1;
    }
    return 0;
oom:
    d->st = ca_error_set(d->err, CA_SYSTEM, r->source, r->line, NULL,
                         "out of memory");
    return 1;
}

/* ingest has one context for both callbacks: forward rejects. */
static void on_reject(void *vctx, const struct reject *rj)
{
    struct draw_ctx *d = vctx;

    if (d->c->on_reject)
        d->c->on_reject(d->c->reject_ctx, rj);
}

/* Second pass (r, systematic): attach the rows of the selected ids. */
static int on_record_rows(void *vctx, const struct record *r)
{
    struct draw_ctx *d = vctx;
    struct sample_item *it =
        (struct sample_item *)selection_find(d->out, r->id);

    if (!it || it->row)
        return 0;
    if (row_serialize(&d->row, r)) {
        d->st = ca_error_set(d->err, CA_SYSTEM, r->source, r->line, NULL,
                             "out of memory");
        return 1;
    }
    it->row = malloc(d->row.len);
    if (!it->row) {
        d->st = ca_error_set(d->err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        return 1;
    }
    memcpy(it->row, d->row.data, d->row.len);
    it->row_len = d->row.len;
    d->filled++;
    return 0;
}

static enum ca_status compile_where(struct draw_ctx *d, struct ca_error *err)
{
    const struct sample_params *p = d->c->p;
    size_t i;

    if (p->nwhere == 0)
        return CA_OK;
    d->re = calloc(p->nwhere, sizeof(*d->re));
    d->md = pcre2_match_data_create(1, NULL);
    if (!d->re || !d->md)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    for (i = 0; i < p->nwhere; i++) {
        int ec;
        PCRE2_SIZE off;

        d->re[i] =
            pcre2_compile((PCRE2_SPTR)p->where[i].regex, PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF, &ec, &off, NULL);
        if (!d->re[i]) {
            PCRE2_UCHAR msg[160];

            pcre2_get_error_message(ec, msg, sizeof(msg));
            return ca_error_set(
                err, CA_USAGE, NULL, 0, NULL,
                "bad --where regex '%s' for field '%s' at offset "
                "%zu: %s",
                p->where[i].regex, p->where[i].field, (size_t)off,
                (const char *)msg);
        }
        pcre2_jit_compile(d->re[i],
                          PCRE2_JIT_COMPLETE); /* falls back if absent */
    }
    return CA_OK;
}

static void draw_ctx_release(struct draw_ctx *d)
{
    size_t i;

    if (d->re) {
        for (i = 0; i < d->c->p->nwhere; i++)
            pcre2_code_free(d->re[i]);
        free(d->re);
    }
    pcre2_match_data_free(d->md);
    buf_release(&d->label);
    buf_release(&d->row);
    selector_free(d->sel);
}

/*
 * One reading of the draw's inputs: the draw and the second reading for
 * the rows go through here, so that both see the same frame.  A stop asked
 * for by a callback (d->st) is the result when ingest itself succeeded.
 */
static void draw_ingest_opts(const struct draw_config *c, enum record_type type,
                             struct ingest_opts *io)
{
    ingest_opts_init(io);
    io->profile = c->p->profile;
    io->type = type;
    io->check_duplicates = true;
    io->progress = c->on_progress != NULL;
    io->on_progress = c->on_progress;
    io->progress_ctx = c->progress_ctx;
    io->named_as_found = c->manifest_inputs;
}

static enum ca_status read_inputs(const struct draw_config *c,
                                  enum record_type type,
                                  ingest_record_fn on_rec,
                                  ingest_reject_fn on_rej, struct draw_ctx *d,
                                  struct ingest_stats *is, struct ca_error *err)
{
    struct ingest_opts io;
    enum ca_status st;

    draw_ingest_opts(c, type, &io);
    st = ingest_run(c->paths, c->npaths, &io, on_rec, on_rej, d, is, err);
    if (st == CA_OK && d->st != CA_OK)
        st = d->st;
    return st;
}

enum ca_status sample_allocate(const struct sample_params *p,
                               sample_size_fn size, void *size_ctx,
                               const char *const *force, const uint64_t *N,
                               size_t ng, uint64_t *n, struct ca_error *err)
{
    size_t g0 = 0, g;
    enum ca_status st = CA_OK;

    if (p->plan.mode == PLAN_MODE_CENSUS) {
        for (g = 0; g < ng; g++)
            n[g] = N[g];
        return CA_OK;
    }
    /* groups are sorted by force: each force is one run of groups */
    while (g0 < ng && st == CA_OK) {
        uint64_t Nf = 0, nf;

        for (g = g0; g < ng && strcmp(force[g], force[g0]) == 0; g++)
            Nf += N[g];
        if (size) {
            st = size(size_ctx, Nf, &nf, err);
            if (st != CA_OK) {
                if (p->per_force) {
                    char msg[sizeof(err->msg)];

                    snprintf(msg, sizeof(msg),
                             "force '%.64s' (N = %llu): %.900s", force[g0],
                             (unsigned long long)Nf, err->msg);
                    snprintf(err->msg, sizeof(err->msg), "%s", msg);
                }
                break;
            }
        } else {
            nf = p->plan.size;
        }
        st = alloc_compute(&p->alloc, nf, N + g0, g - g0, n + g0, err);
        g0 = g;
    }
    return st;
}

/* Sizes per population and allocation across its strata: n per group. */
static enum ca_status allocate(const struct draw_config *c,
                               struct selector *sel, uint64_t *n,
                               struct ca_error *err)
{
    size_t ng = selector_ngroups(sel), g;
    uint64_t *N = calloc(ng + 1, sizeof(*N));
    const char **force = calloc(ng + 1, sizeof(*force));
    enum ca_status st;

    if (!N || !force) {
        free(N);
        free(force);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    for (g = 0; g < ng; g++)
        selector_group(sel, g, &force[g], NULL, &N[g]);
    st = sample_allocate(c->p, c->size, c->size_ctx, force, N, ng, n, err);
    free(N);
    free(force);
    return st;
}

static enum ca_status fill_inputs(struct sample_result *out,
                                  const struct ingest_stats *is)
{
    size_t i;

    out->inputs = calloc(is->ninputs + 1, sizeof(*out->inputs));
    if (!out->inputs)
        return CA_SYSTEM;
    for (i = 0; i < is->ninputs; i++) {
        out->inputs[i].path = strdup(is->inputs[i].path);
        if (!out->inputs[i].path)
            return CA_SYSTEM;
        out->inputs[i].bytes = is->inputs[i].bytes;
        sha256_hex(is->inputs[i].sha256, out->inputs[i].sha256);
        out->ninputs++;
    }
    out->rejected = calloc(RJ__COUNT, sizeof(*out->rejected));
    if (!out->rejected)
        return CA_SYSTEM;
    for (i = 0; i < RJ__COUNT; i++) {
        if (!is->rejected_by_reason[i])
            continue;
        out->rejected[out->nrejected].reason =
            strdup(reject_reason_name((enum reject_reason)i));
        if (!out->rejected[out->nrejected].reason)
            return CA_SYSTEM;
        out->rejected[out->nrejected++].n = is->rejected_by_reason[i];
    }
    out->rows_read = is->rows_read;
    out->rows_accepted = is->rows_accepted;
    out->rows_rejected = is->rows_rejected;
    return CA_OK;
}

static bool reads_stdin(const struct draw_config *c)
{
    size_t i;

    for (i = 0; i < c->npaths; i++)
        if (strcmp(c->paths[i], "-") == 0)
            return true;
    return false;
}

struct sample_stream {
    struct draw_ctx d;
    uint64_t keep;
};

static void stream_reject(void *ctx, const struct reject *rj)
{
    struct sample_stream *s = ctx;

    on_reject(&s->d, rj);
}

void sample_stream_free(struct sample_stream *s)
{
    if (!s)
        return;
    draw_ctx_release(&s->d);
    free(s);
}

enum ca_status sample_stream_begin(const struct draw_config *c,
                                   struct sample_stream **out,
                                   struct ca_error *err)
{
    const struct sample_params *p = c->p;
    struct sample_stream *s;
    struct draw_ctx *d;
    struct selector_opts so;
    enum record_type type;
    enum ca_status st;
    uint64_t keep;

    *out = NULL;
    s = calloc(1, sizeof(*s));
    if (!s)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    d = &s->d;
    d->c = c;
    d->err = err;
    d->order_cf = -1;
    buf_init(&d->label, 0);
    buf_init(&d->row, 0);

    if (!p->type || record_type_parse(p->type, &type) != 0 ||
        type == RT_UNKNOWN) {
        st = ca_error_set(
            err, CA_USAGE, NULL, 0, NULL,
            "unknown record type '%s' (crime, wanted, bail or incident)",
            p->type ? p->type : "");
        goto out;
    }
    if (p->programme && !c->frame) {
        st = ca_error_set(
            err, CA_USAGE, NULL, 0, NULL,
            "the frame of this sample is frame '%s' of programme '%s' (%s): "
            "its conditions are needed to draw it",
            p->programme->name ? p->programme->name : "",
            p->programme->programme ? p->programme->programme : "",
            p->programme->file ? p->programme->file : "");
        goto out;
    }
    if (p->plan.mode != PLAN_MODE_FIXED && p->plan.mode != PLAN_MODE_CENSUS &&
        !c->size) {
        st = ca_error_set(
            err, CA_USAGE, NULL, 0, NULL, "a %s plan needs its sizing options",
            p->plan.mode == PLAN_MODE_ATTRIBUTE ? "attribute" : "estimation");
        goto out;
    }
    if (c->want_rows && p->method != SM_HASH && reads_stdin(c)) {
        st = ca_error_set(
            err, CA_USAGE, NULL, 0, NULL,
            "the %s method reads its inputs twice to write the sample's "
            "rows, and standard input can be read only once: save it "
            "to a file first",
            sample_method_name(p->method));
        goto out;
    }
    if ((st = compile_where(d, err)) != CA_OK)
        goto out;
    if (p->order_by) {
        int f = cf_lookup(p->order_by);

        if (f >= 0 && cf_kind((enum cf)f) == CFK_DATE)
            d->order_cf = f;
    }

    keep = c->size ? c->size_bound : p->plan.size;
    if (p->alloc.kind == ALLOC_MIN && p->alloc.min > keep)
        keep = p->alloc.min;
    keep += p->spares;
    if ((c->size && c->size_bound == 0) || p->plan.mode == PLAN_MODE_CENSUS)
        keep = 0; /* no bound known, or every record: unbounded */
    if (p->shard && p->method != SM_HASH) {
        st = ca_error_set(
            err, CA_USAGE, NULL, 0, NULL,
            "a shard sample needs the hash method: the %s method's draw "
            "depends on the whole frame, so shards cannot be merged",
            sample_method_name(p->method));
        goto out;
    }
    memset(&so, 0, sizeof(so));
    so.method = p->method;
    so.seed = p->seed;
    so.keep = keep;
    so.keep_rows = c->want_rows && p->method == SM_HASH;
    so.ordered = p->order_by != NULL;
    so.candidates = p->shard;
    d->keep_rows = so.keep_rows;
    if ((st = selector_new(&so, &d->sel, err)) != CA_OK)
        goto out;
    s->keep = keep;
out:
    if (st != CA_OK) {
        sample_stream_free(s);
        return st;
    }
    *out = s;
    return CA_OK;
}

int sample_stream_record(void *ctx, const struct record *r)
{
    struct sample_stream *s = ctx;

    if (s->d.st != CA_OK)
        return 1;
    return on_record(&s->d, r);
}

enum ca_status sample_stream_status(const struct sample_stream *s)
{
    return s->d.st;
}

enum ca_status sample_stream_end(struct sample_stream *s,
                                 const struct ingest_stats *is,
                                 struct sample_result *out,
                                 struct ca_error *err)
{
    const struct draw_config *c = s->d.c;
    const struct sample_params *p = c->p;
    enum ca_status st;
    uint64_t *n = NULL;
    size_t ng;

    memset(out, 0, sizeof(*out));
    if (s->d.st != CA_OK)
        return s->d.st;
    if (fill_inputs(out, is) != CA_OK) {
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    out->rows_excluded = s->d.excluded;
    if (p->shard)
        out->candidates_per_stratum = s->keep;

    ng = selector_ngroups(s->d.sel);
    n = calloc(ng + 1, sizeof(*n));
    if (!n) {
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    if ((st = allocate(c, s->d.sel, n, err)) != CA_OK)
        goto out;
    if ((st = selector_draw(s->d.sel, n, p->spares, &out->sel, err)) != CA_OK)
        goto out;

    if (c->want_rows && p->method != SM_HASH)
        st = sample_read_rows(c, out, err);
out:
    free(n);
    if (st != CA_OK)
        sample_result_release(out);
    return st;
}

enum ca_status sample_draw(const struct draw_config *c,
                           struct sample_result *out, struct ca_error *err)
{
    struct sample_stream *s = NULL;
    struct ingest_opts io;
    struct ingest_stats is;
    enum record_type type;
    enum ca_status st;

    memset(out, 0, sizeof(*out));
    memset(&is, 0, sizeof(is));
    if ((st = sample_stream_begin(c, &s, err)) != CA_OK)
        return st;
    (void)record_type_parse(c->p->type, &type); /* checked by begin */
    draw_ingest_opts(c, type, &io);
    st = ingest_run(c->paths, c->npaths, &io, sample_stream_record,
                    stream_reject, s, &is, err);
    if (st == CA_OK)
        st = sample_stream_end(s, &is, out, err);
    ingest_stats_release(&is);
    sample_stream_free(s);
    return st;
}

static void input_changed(struct ca_error *err, const struct ingest_input *in,
                          const struct sample_input *want)
{
    char hex[65];

    sha256_hex(in->sha256, hex);
    ca_error_set(err, CA_DATA, in->path, 0, NULL,
                 "changed since it was sampled (%llu bytes, sha256 %.12s...; "
                 "the manifest has %llu bytes, sha256 %.12s...): sample again",
                 (unsigned long long)in->bytes, hex,
                 (unsigned long long)want->bytes, want->sha256);
}

enum ca_status sample_read_rows(const struct draw_config *c,
                                struct sample_result *r, struct ca_error *err)
{
    const struct sample_params *p = c->p;
    struct draw_ctx d;
    struct ingest_stats is;
    enum record_type type;
    enum ca_status st = CA_OK;
    size_t i;

    if (r->sel.nitems == 0)
        return CA_OK;
    if (!p->type || record_type_parse(p->type, &type) != 0)
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "unknown record type '%s'", p->type ? p->type : "");
    if (reads_stdin(c))
        return ca_error_set(
            err, CA_USAGE, NULL, 0, NULL,
            "the sample's rows need a second reading of its inputs, and "
            "standard input can be read only once: save it to a file first");
    memset(&d, 0, sizeof(d));
    memset(&is, 0, sizeof(is));
    d.c = c;
    d.err = err;
    d.out = &r->sel;
    buf_init(&d.label, 0);
    buf_init(&d.row, 0);
    st = read_inputs(c, type, on_record_rows, NULL, &d, &is, err);
    for (i = 0; st == CA_OK && i < is.ninputs && i < r->ninputs; i++) {
        char hex[65];

        sha256_hex(is.inputs[i].sha256, hex);
        if (is.inputs[i].bytes != r->inputs[i].bytes ||
            strcmp(hex, r->inputs[i].sha256) != 0) {
            input_changed(err, &is.inputs[i], &r->inputs[i]);
            st = CA_DATA;
        }
    }
    if (st == CA_OK &&
        (is.ninputs != r->ninputs || is.rows_read != r->rows_read ||
         d.filled != r->sel.nitems))
        st = ca_error_set(err, CA_DATA, NULL, 0, NULL,
                          "the inputs changed since they were sampled (%zu "
                          "inputs and %llu rows, then %zu and %llu; %llu of "
                          "%zu sampled records found): sample again",
                          r->ninputs, (unsigned long long)r->rows_read,
                          is.ninputs, (unsigned long long)is.rows_read,
                          (unsigned long long)d.filled, r->sel.nitems);
    ingest_stats_release(&is);
    buf_release(&d.label);
    buf_release(&d.row);
    return st;
}

/* --- the sample CSV ------------------------------------------------------ */

struct row_view {
    uint32_t n;
    const char *force;
    const char *p; /* first name */
};

static void row_view(const void *row, struct row_view *v)
{
    memcpy(&v->n, row, sizeof(v->n));
    v->force = (const char *)row + sizeof(v->n);
    v->p = v->force + strlen(v->force) + 1;
}

/* Value of column name in the row, or NULL. */
static const char *row_get(const struct row_view *v, const char *name)
{
    const char *q = v->p;
    uint32_t i;

    for (i = 0; i < v->n; i++) {
        const char *val = q + strlen(q) + 1;

        if (strcmp(q, name) == 0)
            return val;
        q = val + strlen(val) + 1;
    }
    return NULL;
}

enum ca_status sample_write_csv(const struct selection *sel, const char *type,
                                FILE *fp, struct ca_error *err)
{
    const char **cols = NULL;
    size_t ncols = 0, acols = 0, i, j, pass;
    bool has_force = false;
    struct csvw w;
    enum ca_status st = CA_OK;

    for (i = 0; i < sel->nitems; i++) {
        struct row_view v = {0, NULL, NULL};
        const char *q;
        uint32_t k;

        if (!sel->items[i].row)
            continue;
        row_view(sel->items[i].row, &v);
        q = v.p;
        for (k = 0; k < v.n; k++) {
            const char *val = q + strlen(q) + 1;

            for (j = 0; j < ncols && strcmp(cols[j], q) != 0; j++)
                ;
            if (j == ncols) {
                if (ncols == acols) {
                    size_t na = acols ? 2 * acols : 32;
                    const char **nv = realloc(cols, na * sizeof(*nv));

                    if (!nv) {
                        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                                          "out of memory");
                        goto out;
                    }
                    cols = nv;
                    acols = na;
                }
                cols[ncols++] = q;
                if (strcmp(q, "force") == 0)
                    has_force = true;
            }
            q = val + strlen(val) + 1;
        }
    }
    csvw_init(&w, fp);
    if (ncols == 0 && type) {
        /* nothing drawn: the type's canonical columns, so that `check`
         * reads the empty sample as one of that type */
        enum record_type rt;

        if (record_type_parse(type, &rt) == 0)
            for (j = 0; j < CF__COUNT; j++)
                if (record_type_has_field(rt, (enum cf)j)) {
                    csvw_str(&w, cf_name((enum cf)j));
                    if (j == CF_FORCE)
                        has_force = true;
                }
    }
    for (j = 0; j < ncols; j++)
        csvw_str(&w, cols[j]);
    if (!has_force)
        csvw_str(&w, "force");
    csvw_str(&w, "sample_rank");
    csvw_str(&w, "stratum");
    csvw_str(&w, "spare");
    csvw_end_row(&w);
    /* selected first, then spares; each in group and rank order */
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < sel->nitems; i++) {
            const struct sample_item *it = &sel->items[i];
            struct row_view v = {0, NULL, NULL};

            if (it->spare != (pass == 1))
                continue;
            if (it->row)
                row_view(it->row, &v);
            for (j = 0; j < ncols; j++)
                csvw_str(&w, it->row ? row_get(&v, cols[j]) : NULL);
            if (!has_force) /* the record's own force, even when not per force
                             */
                csvw_str(&w, it->row ? v.force : it->force);
            csvw_printf(&w, "%llu", (unsigned long long)it->rank);
            csvw_str(&w, it->stratum);
            csvw_str(&w, it->spare ? "Y" : "N");
            csvw_end_row(&w);
        }
    }
    if (ferror(fp))
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                          "unable to write the sample: %s", strerror(errno));
out:
    free(cols);
    return st;
}
