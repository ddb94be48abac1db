/* SPDX-License-Identifier: MIT */
/*
 * The ordered parallel pipeline of parallel.h.
 *
 * A batch goes FREE -> filling (caller) -> QUEUED (work queue) -> taken by
 * a worker -> DONE -> written by the caller -> FREE.  Two lists order the
 * batches: the work queue (mutex-protected, FIFO, what workers take) and
 * the sequence list (caller-only, in submission order, what gets written
 * next).  The caller writes the head of the sequence list as soon as it is
 * DONE, so output order is submission order whatever order the workers
 * finish in.  When no batch is free the caller waits for the head: it is
 * queued or being evaluated, so a worker will finish it (no deadlock with
 * any number of workers >= 1).
 *
 * A worker writes findings into its batch's memory stream (open_memstream,
 * rewound for each use) with the same findings_write as the direct path,
 * so the bytes cannot differ; tallies are counted by the caller from each
 * batch's verdict list in output order.
 *
 * Errors stop cleanly: the first one is kept, workers skip the batches
 * still queued, pipeline_add/finish return it, and pipeline_free joins the
 * threads whatever state they are in.
 */
#include "engine/parallel.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/recbatch.h"

#define DEFAULT_BATCH_RECORDS 256
#define DEFAULT_BATCH_BYTES (4u * 1024 * 1024)
/* A memory stream that grew past this is closed after use (memory back). */
#define KEEP_OUTPUT_BYTES (16u * 1024 * 1024)

enum bstate { B_FILLING = 0, B_QUEUED, B_DONE };

struct pverdict {
    uint32_t rec;  /* index in the batch */
    uint32_t rule; /* rule_index */
    unsigned char verdict;
};

struct batch {
    struct batch *next_work; /* work queue (under mu) */
    struct batch *next_seq;  /* sequence list (caller only) */
    struct batch *next_free; /* free list (caller only) */
    struct record_batch *recs;
    enum bstate state; /* under mu */

    /* results, written by the worker, read by the caller after DONE */
    enum ca_status status;
    struct ca_error err;
    FILE *ms; /* memory stream over ms_buf/ms_len */
    char *ms_buf;
    size_t ms_len;
    struct pverdict *v;
    size_t nv, av;
};

struct worker {
    struct pipeline *p;
    pthread_t th;
    bool started;
    struct engine_scratch *s;
};

struct pipeline {
    struct pipeline_opts o;
    struct engine_params params;
    struct findings_writer fw; /* the header, and every row when direct */
    struct findings_tally tally;
    enum ca_status status; /* the first error (caller only) */
    struct ca_error err;
    bool finished;

    /* direct path (jobs == 1) */
    struct engine_scratch *scratch;

    /* threaded path */
    unsigned nworkers;
    struct worker *w;
    bool sync_ready; /* mu and the condition variables exist */
    pthread_mutex_t mu;
    pthread_cond_t work_cv;        /* a batch was queued, or closing */
    pthread_cond_t done_cv;        /* a batch is DONE */
    struct batch *q_head, *q_tail; /* under mu */
    bool closing;                  /* under mu: workers exit when idle */
    bool skip;                     /* under mu: failed, skip queued work */
    bool workers_running;

    struct batch **all; /* every batch allocated (for freeing) */
    size_t nbatches, max_batches;
    struct batch *seq_head, *seq_tail;
    struct batch *free_list;
    struct batch *cur; /* being filled */
};

/* ---- errors ---- */

/* Keep the first error; workers skip queued batches from now on. */
static void fail(struct pipeline *p, const struct ca_error *e)
{
    if (p->status != CA_OK)
        return;
    p->status = e->status != CA_OK ? e->status : CA_SYSTEM;
    p->err = *e;
    p->err.status = p->status;
    if (p->sync_ready) {
        pthread_mutex_lock(&p->mu);
        p->skip = true;
        pthread_mutex_unlock(&p->mu);
    }
}

static void fail_write(struct pipeline *p, int errnum)
{
    struct ca_error e = CA_ERROR_INIT;
    const char *name = p->o.out_name && strcmp(p->o.out_name, "-") != 0
                           ? p->o.out_name
                           : "standard output";

    if (errnum)
        ca_error_set(&e, CA_SYSTEM, NULL, 0, NULL,
                     "unable to write findings to '%s': %s", name,
                     strerror(errnum));
    else
        ca_error_set(&e, CA_SYSTEM, NULL, 0, NULL,
                     "unable to write findings to '%s'", name);
    fail(p, &e);
}

static enum ca_status report(const struct pipeline *p, struct ca_error *err)
{
    if (p->status != CA_OK && err)
        *err = p->err;
    return p->status;
}

/* ---- direct path ---- */

static int on_verdict_direct(void *ctx, const struct record *r,
                             const struct engine_verdict *v)
{
    struct pipeline *p = ctx;
    size_t i = rule_index(v->rule);

    if (p->o.out)
        findings_write(&p->fw, r, v);
    if (i < p->tally.nrules)
        p->tally.count[i][v->verdict]++;
    if (p->o.on_verdict)
        p->o.on_verdict(p->o.ctx, r, v->rule, v->verdict);
    return 0;
}

/* ---- workers ---- */

struct wctx {
    struct batch *b;
    struct findings_writer fw;
    bool write;
    uint32_t rec;
    bool oom;
};

static int on_verdict_batch(void *ctx, const struct record *r,
                            const struct engine_verdict *v)
{
    struct wctx *c = ctx;
    struct batch *b = c->b;

    if (c->write)
        findings_write(&c->fw, r, v);
    if (b->nv == b->av) {
        size_t na = b->av ? b->av * 2 : 1024;
        struct pverdict *nv = NULL;

        if (na <= SIZE_MAX / sizeof(*nv))
            nv = realloc(b->v, na * sizeof(*nv));
        if (!nv) {
            c->oom = true;
            return 1;
        }
        b->v = nv;
        b->av = na;
    }
    b->v[b->nv].rec = c->rec;
    b->v[b->nv].rule = (uint32_t)rule_index(v->rule);
    b->v[b->nv].verdict = (unsigned char)v->verdict;
    b->nv++;
    return 0;
}

static void evaluate_batch(const struct pipeline *p, struct worker *w,
                           struct batch *b)
{
    struct wctx c;
    size_t i, n = record_batch_count(b->recs);

    memset(&c, 0, sizeof(c));
    c.b = b;
    b->status = CA_OK;
    b->nv = 0;
    if (p->o.out) {
        if (!b->ms)
            b->ms = open_memstream(&b->ms_buf, &b->ms_len);
        else
            rewind(b->ms);
        if (!b->ms) {
            b->status =
                ca_error_set(&b->err, CA_SYSTEM, NULL, 0, NULL,
                             "out of memory for findings: %s", strerror(errno));
            return;
        }
        findings_writer_init_rows(&c.fw, b->ms, p->o.format, p->o.excerpts);
        c.write = true;
    }
    for (i = 0; i < n && !c.oom; i++) {
        c.rec = (uint32_t)i;
        engine_eval(p->o.rs, record_batch_get(b->recs, i), &p->params, w->s,
                    on_verdict_batch, &c);
    }
    if (c.oom)
        b->status = ca_error_set(&b->err, CA_SYSTEM, NULL, 0, NULL,
                                 "out of memory evaluating rules");
    else if (b->ms && (fflush(b->ms) != 0 || ferror(b->ms)))
        b->status = ca_error_set(&b->err, CA_SYSTEM, NULL, 0, NULL,
                                 "out of memory for findings");
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct pipeline *p = w->p;
    struct batch *b;
    bool skip;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->q_head && !p->closing)
            pthread_cond_wait(&p->work_cv, &p->mu);
        b = p->q_head;
        if (!b)
            break; /* closing, and nothing left */
        p->q_head = b->next_work;
        if (!p->q_head)
            p->q_tail = NULL;
        skip = p->skip;
        pthread_mutex_unlock(&p->mu);
        if (skip)
            b->status = CA_SYSTEM; /* never written: the run failed */
        else
            evaluate_batch(p, w, b);
        pthread_mutex_lock(&p->mu);
        b->state = B_DONE;
        pthread_cond_broadcast(&p->done_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void stop_workers(struct pipeline *p)
{
    unsigned i;

    if (!p->workers_running)
        return;
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    for (i = 0; i < p->nworkers; i++)
        if (p->w[i].started) {
            pthread_join(p->w[i].th, NULL);
            p->w[i].started = false;
        }
    p->workers_running = false;
}

/* ---- batches (caller's side) ---- */

static void batch_free(struct batch *b)
{
    if (!b)
        return;
    record_batch_free(b->recs);
    if (b->ms)
        fclose(b->ms);
    free(b->ms_buf);
    free(b->v);
    free(b);
}

static struct batch *batch_new(struct pipeline *p)
{
    struct batch *b = calloc(1, sizeof(*b));
    struct ca_error e = CA_ERROR_INIT;

    if (b)
        b->recs = record_batch_new();
    if (!b || !b->recs) {
        batch_free(b);
        ca_error_set(&e, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        fail(p, &e);
        return NULL;
    }
    p->all[p->nbatches++] = b;
    return b;
}

static void submit(struct pipeline *p, struct batch *b)
{
    b->next_work = NULL;
    b->next_seq = NULL;
    pthread_mutex_lock(&p->mu);
    b->state = B_QUEUED;
    if (p->q_tail)
        p->q_tail->next_work = b;
    else
        p->q_head = b;
    p->q_tail = b;
    pthread_cond_signal(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    if (p->seq_tail)
        p->seq_tail->next_seq = b;
    else
        p->seq_head = b;
    p->seq_tail = b;
}

/* Write a DONE batch (unless the run already failed) and free it. */
static void emit(struct pipeline *p, struct batch *b)
{
    size_t i, n = record_batch_count(b->recs);

    if (p->status == CA_OK && b->status != CA_OK)
        fail(p, &b->err);
    if (p->status == CA_OK) {
        if (p->o.out && b->ms_len &&
            fwrite(b->ms_buf, 1, b->ms_len, p->o.out) != b->ms_len)
            fail_write(p, errno);
        else if (p->o.out && ferror(p->o.out))
            fail_write(p, errno);
    }
    if (p->status == CA_OK) {
        for (i = 0; i < b->nv; i++) {
            const struct pverdict *v = &b->v[i];

            if (v->rule < p->tally.nrules)
                p->tally.count[v->rule][v->verdict]++;
            if (p->o.on_verdict)
                p->o.on_verdict(p->o.ctx, record_batch_get(b->recs, v->rec),
                                ruleset_rule(p->o.rs, v->rule),
                                (enum verdict)v->verdict);
        }
        p->tally.records += n;
    }
    record_batch_clear(b->recs);
    b->nv = 0;
    if (b->ms && b->ms_len > KEEP_OUTPUT_BYTES) {
        fclose(b->ms);
        free(b->ms_buf);
        b->ms = NULL;
        b->ms_buf = NULL;
        b->ms_len = 0;
    }
    b->state = B_FILLING;
    b->next_free = p->free_list;
    p->free_list = b;
}

static bool head_done(struct pipeline *p, bool wait)
{
    bool done;

    pthread_mutex_lock(&p->mu);
    while (wait && p->seq_head->state != B_DONE)
        pthread_cond_wait(&p->done_cv, &p->mu);
    done = p->seq_head->state == B_DONE;
    pthread_mutex_unlock(&p->mu);
    return done;
}

/* Write the finished batches at the head of the sequence; with wait, all. */
static void write_ready(struct pipeline *p, bool wait)
{
    struct batch *b;

    while (p->seq_head && head_done(p, wait)) {
        b = p->seq_head;
        p->seq_head = b->next_seq;
        if (!p->seq_head)
            p->seq_tail = NULL;
        emit(p, b);
    }
}

/* A batch to fill: a free one, a new one, or the next written. */
static struct batch *get_batch(struct pipeline *p)
{
    struct batch *b;

    for (;;) {
        if (p->free_list) {
            b = p->free_list;
            p->free_list = b->next_free;
            return b;
        }
        if (p->nbatches < p->max_batches)
            return batch_new(p);
        /* every batch is in flight: write the oldest when it is done */
        if (!p->seq_head)
            return NULL; /* cannot happen */
        b = p->seq_head;
        head_done(p, true);
        p->seq_head = b->next_seq;
        if (!p->seq_head)
            p->seq_tail = NULL;
        emit(p, b);
        if (p->status != CA_OK)
            return NULL;
    }
}

/* ---- API ---- */

enum ca_status pipeline_new(const struct pipeline_opts *opts,
                            struct pipeline **out, struct ca_error *err)
{
    struct pipeline *p = calloc(1, sizeof(*p));
    unsigned i;

    *out = NULL;
    if (!p)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    p->o = *opts;
    if (opts->params)
        p->params = *opts->params;
    p->o.params = &p->params;
    if (!p->o.jobs)
        p->o.jobs = 1;
    if (!p->o.batch_records)
        p->o.batch_records = DEFAULT_BATCH_RECORDS;
    if (p->o.batch_records > UINT32_MAX)
        p->o.batch_records = UINT32_MAX;
    if (!p->o.batch_bytes)
        p->o.batch_bytes = DEFAULT_BATCH_BYTES;
    if (findings_tally_init(&p->tally, opts->rs) != 0)
        goto oom;
    if (p->o.out)
        findings_writer_init(&p->fw, p->o.out, p->o.format, p->o.excerpts);
    if (p->o.jobs == 1) {
        p->scratch = engine_scratch_new(p->o.limits);
        if (!p->scratch)
            goto oom;
        *out = p;
        return CA_OK;
    }
    p->nworkers = p->o.jobs;
    p->max_batches = 2 * (size_t)p->nworkers + 2;
    p->w = calloc(p->nworkers, sizeof(*p->w));
    p->all = calloc(p->max_batches, sizeof(*p->all));
    if (!p->w || !p->all)
        goto oom;
    for (i = 0; i < p->nworkers; i++) {
        p->w[i].p = p;
        p->w[i].s = engine_scratch_new(p->o.limits);
        if (!p->w[i].s)
            goto oom;
    }
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        goto oom;
    if (pthread_cond_init(&p->work_cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        goto oom;
    }
    if (pthread_cond_init(&p->done_cv, NULL) != 0) {
        pthread_cond_destroy(&p->work_cv);
        pthread_mutex_destroy(&p->mu);
        goto oom;
    }
    p->sync_ready = true;
    p->workers_running = true;
    for (i = 0; i < p->nworkers; i++) {
        int rc = pthread_create(&p->w[i].th, NULL, worker_main, &p->w[i]);

        if (rc != 0) {
            ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                         "unable to start worker thread %u of %u: %s", i + 1,
                         p->nworkers, strerror(rc));
            pipeline_free(p);
            return CA_SYSTEM;
        }
        p->w[i].started = true;
    }
    *out = p;
    return CA_OK;
oom:
    pipeline_free(p);
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                        "out of memory starting the rule engine");
}

enum ca_status pipeline_add(struct pipeline *p, const struct record *r,
                            struct ca_error *err)
{
    struct ca_error e = CA_ERROR_INIT;
    struct batch *b;

    if (p->status != CA_OK || p->finished)
        return report(p, err);
    if (!p->workers_running) {
        p->tally.records++;
        engine_eval(p->o.rs, r, &p->params, p->scratch, on_verdict_direct, p);
        if (p->o.out && ferror(p->o.out))
            fail_write(p, errno);
        return report(p, err);
    }
    if (!p->cur) {
        p->cur = get_batch(p);
        if (!p->cur)
            return report(p, err);
    }
    b = p->cur;
    if (record_batch_add(b->recs, r, &e) != CA_OK) {
        fail(p, &e);
        return report(p, err);
    }
    if (record_batch_count(b->recs) >= p->o.batch_records ||
        record_batch_bytes(b->recs) >= p->o.batch_bytes) {
        p->cur = NULL;
        submit(p, b);
        write_ready(p, false);
    }
    return report(p, err);
}

enum ca_status pipeline_finish(struct pipeline *p, struct ca_error *err)
{
    if (p->finished)
        return report(p, err);
    p->finished = true;
    if (p->workers_running) {
        if (p->cur && p->status == CA_OK &&
            record_batch_count(p->cur->recs) > 0) {
            submit(p, p->cur);
            p->cur = NULL;
        }
        write_ready(p, true);
        stop_workers(p);
    }
    if (p->status == CA_OK && p->o.out && findings_writer_finish(&p->fw) != 0)
        fail_write(p, errno);
    return report(p, err);
}

const struct findings_tally *pipeline_tally(const struct pipeline *p)
{
    return &p->tally;
}

void pipeline_free(struct pipeline *p)
{
    size_t i;

    if (!p)
        return;
    if (p->workers_running) {
        pthread_mutex_lock(&p->mu);
        p->skip = true;
        pthread_mutex_unlock(&p->mu);
        stop_workers(p);
    }
    if (p->sync_ready) {
        pthread_cond_destroy(&p->done_cv);
        pthread_cond_destroy(&p->work_cv);
        pthread_mutex_destroy(&p->mu);
    }
    for (i = 0; i < p->nbatches; i++)
        batch_free(p->all[i]);
    free(p->all);
    if (p->w)
        for (i = 0; i < p->nworkers; i++)
            engine_scratch_free(p->w[i].s);
    free(p->w);
    engine_scratch_free(p->scratch);
    findings_tally_release(&p->tally);
    free(p);
}
