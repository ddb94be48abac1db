/* SPDX-License-Identifier: MIT */
/*
 * Ordered parallel evaluation: the records of one ingest run go in from a
 * single thread (the ingest callback), every applicable rule is evaluated
 * on N worker threads, and the findings come out exactly as one thread
 * would write them: records in input order, rules in rule-id order, the
 * same bytes, the same per-rule tallies.
 *
 * How: pipeline_add() copies each record into a batch (ingest/recbatch.h;
 * memory reused from batch to batch); a full batch goes on a bounded work
 * queue; a worker evaluates it with its own engine_scratch into the
 * batch's own output buffer (findings text and the list of verdicts); and
 * the calling thread, whenever it adds a record or finishes, writes the
 * finished batches strictly in sequence.  At most 2N+2 batches exist, so
 * memory is bounded by the batch size and the largest record, not by the
 * input.  With jobs == 1 there are no threads and no copies: each record
 * is evaluated and written inside pipeline_add().
 *
 * Threads: everything but the workers runs on the caller's thread,
 * including on_verdict, so callers need no locking.  A pipeline serves one
 * ingest_run(): call pipeline_finish() before reading another input.
 */
#ifndef CA_PARALLEL_H
#define CA_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine/engine.h"
#include "engine/findings.h"
#include "engine/rules.h"
#include "util/status.h"

/*
 * Called on the caller's thread for every verdict, in output order, after
 * the verdict's finding was written.  Only the record (valid during the
 * call), the rule and the verdict are given: the evidence strings are in
 * the findings output.
 */
typedef void (*pipeline_verdict_fn)(void *ctx, const struct record *r,
                                    const struct rule *rule, enum verdict v);

struct pipeline_opts {
    const struct ruleset *rs;           /* borrowed, shared by all threads */
    const struct engine_params *params; /* borrowed (copied at new) */
    const struct engine_limits *limits; /* NULL: defaults */
    unsigned jobs;                      /* worker threads; 1: none; 0: 1 */
    size_t batch_records;               /* 0: 256 records per batch */
    size_t batch_bytes;                 /* 0: 4 MiB of record data */

    FILE *out;            /* findings written here (borrowed); NULL: none */
    const char *out_name; /* for messages ("-" or NULL: standard output) */
    enum findings_format format;
    bool excerpts;

    pipeline_verdict_fn on_verdict; /* may be NULL */
    void *ctx;
};

struct pipeline;

/*
 * Start a pipeline: writes the CSV header to opts->out (when set) and
 * starts the worker threads.  Returns CA_OK and *out, or CA_SYSTEM (out of
 * memory, a thread could not start; err says which).
 */
enum ca_status pipeline_new(const struct pipeline_opts *opts,
                            struct pipeline **out, struct ca_error *err);

/*
 * Evaluate r (borrowed: copied when workers run) and write its findings
 * (now, or once the batches before it are written).  Returns CA_OK, or the
 * pipeline's error (out of memory, a write failed): stop feeding records
 * and call pipeline_finish, which returns it again.
 */
enum ca_status pipeline_add(struct pipeline *p, const struct record *r,
                            struct ca_error *err);

/*
 * Evaluate and write everything still pending, stop the workers and flush
 * the output.  Returns CA_OK, or the first error of the run (err).  The
 * tallies are complete only after a successful finish.
 */
enum ca_status pipeline_finish(struct pipeline *p, struct ca_error *err);

/* Per-rule counts of the verdicts written so far (owned by p). */
const struct findings_tally *pipeline_tally(const struct pipeline *p);

/* Stops the workers if still running (without writing what is pending);
 * NULL-safe. */
void pipeline_free(struct pipeline *p);

#endif
