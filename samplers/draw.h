/* SPDX-License-Identifier: MIT */
/*
 * Drawing a sample from exports: ingest the inputs (streaming), build the
 * frame (records of the type, filtered by the --where regexes), group it
 * by force (with per_force) and stratum, size each population (a fixed n
 * or a plan), allocate across strata, select, and fill a sample_result.
 * Used by `caseaudit sample` and, with a manifest's parameters, by
 * `caseaudit verify`.
 *
 * Memory: the hash method keeps, per (force, stratum), a bounded heap of
 * the smallest keys (the largest n a plan can give plus the spares, with
 * their rows when rows are wanted), so it does not grow with the frame.
 * The r and systematic methods keep every frame id (they need N before
 * they can draw) and re-read the inputs for the rows of the sample.
 *
 * With p->shard (hash only) the result also lists every kept key of each
 * group as candidates, and candidates_per_stratum the bound, so that
 * samples of shards can be merged (samplers/merge.h).
 */
#ifndef CA_DRAW_H
#define CA_DRAW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest/ingest.h"
#include "samplers/manifest.h"
#include "util/status.h"

/*
 * Sample size for a population of N records (one force with per_force,
 * else the whole frame).  Returns CA_OK with *n set (n may exceed N: the
 * draw then takes the population whole and reports the shortfall), or an
 * error with err set.
 */
typedef enum ca_status (*sample_size_fn)(void *ctx, uint64_t N, uint64_t *n,
                                         struct ca_error *err);

/*
 * A frame condition beyond p->where (an audit programme's frame, which
 * samplers/ does not judge itself): 1 the record is in the frame, 0 it is
 * not (counted in rows_excluded), -1 a failure (err set; the draw stops).
 * Called for every record of the type that the where regexes keep.
 */
typedef int (*sample_frame_fn)(void *ctx, const struct record *r,
                               struct ca_error *err);

struct draw_config {
    const struct sample_params *p;
    const char *const *paths; /* inputs, as for ingest_run */
    size_t npaths;
    /* Plans (attribute, estimation): size gives n per population and
     * size_bound the largest n it can return for any N (hash heaps are
     * that big).  NULL for a fixed plan (p->plan.size). */
    sample_size_fn size;
    void *size_ctx;
    uint64_t size_bound;
    /* Required when p->programme is set, else ignored (NULL). */
    sample_frame_fn frame;
    void *frame_ctx;
    bool want_rows;             /* fill items' rows (for the sample CSV) */
    ingest_reject_fn on_reject; /* may be NULL */
    void *reject_ctx;
    /* progress of each reading of the inputs (ingest_opts); NULL: none */
    ingest_progress_fn on_progress;
    void *progress_ctx;
    /* the paths are a manifest's inputs, each file as read then: one the
     * run skipped (no id column: a folder's truth.csv) is skipped again */
    bool manifest_inputs;
};

/*
 * Draw.  out is filled (caller releases with sample_result_release) and
 * its items carry their rows when want_rows.  Returns CA_OK; CA_USAGE for
 * bad parameters (type, regex, r seed, allocation, plan); CA_DATA for an
 * unreadable input or a --where / --strata / --order-by field missing
 * from an input (err names file and field); CA_SYSTEM for I/O or memory.
 */
enum ca_status sample_draw(const struct draw_config *c,
                           struct sample_result *out, struct ca_error *err);

/*
 * The draw fed record by record, for callers that read the inputs
 * themselves (`caseaudit run` draws every type's sample in its one pass):
 * sample_stream_begin checks c as sample_draw does and returns the state
 * in *s (c and err must outlive it: errors inside sample_stream_record are
 * written to err); sample_stream_record is an ingest_record_fn taking the
 * state as ctx, to be given exactly the records an ingest_run of c->paths
 * with type c->p->type would give, in order (non-zero: an error, see
 * sample_stream_status); sample_stream_end draws from what was given, with
 * is the ingest stats that run would have returned (rows and rejects of
 * the type, the inputs), and fills out as sample_draw does;
 * sample_stream_free accepts NULL.  Errors as for sample_draw.
 */
struct sample_stream;
enum ca_status sample_stream_begin(const struct draw_config *c,
                                   struct sample_stream **s,
                                   struct ca_error *err);
int sample_stream_record(void *s, const struct record *r);
enum ca_status sample_stream_status(const struct sample_stream *s);
enum ca_status sample_stream_end(struct sample_stream *s,
                                 const struct ingest_stats *is,
                                 struct sample_result *out,
                                 struct ca_error *err);
void sample_stream_free(struct sample_stream *s);

/*
 * Sizes and allocation: n[g] for each of ng groups, given sorted by force
 * then stratum (force[g] and N[g]; a force's groups are one run).  Each
 * population (a force with p->per_force, else the one force "all") is
 * sized by size(size_ctx, N_f) when size is not NULL, else p->plan.size,
 * and its n allocated across its strata by p->alloc; a census plan
 * (PLAN_MODE_CENSUS) takes every group whole.  Shared by the draw
 * and the merge of shards, so that both size a population alike.
 * CA_USAGE when the allocation or plan cannot be met (err says why, and
 * names the force with per_force); errors of size are passed on.
 */
enum ca_status sample_allocate(const struct sample_params *p,
                               sample_size_fn size, void *size_ctx,
                               const char *const *force, const uint64_t *N,
                               size_t ng, uint64_t *n, struct ca_error *err);

/*
 * Read c->paths again and attach to r's selected and spare items the rows
 * of their records (for the sample CSV), by id.  The inputs must be those
 * r lists (same count, sizes and SHA-256) and give the same rows_read, and
 * every item must be found: else CA_DATA naming what changed.  CA_USAGE
 * when an input is standard input (it cannot be read twice); CA_SYSTEM.
 */
enum ca_status sample_read_rows(const struct draw_config *c,
                                struct sample_result *r, struct ca_error *err);

/*
 * Write the sample CSV: the selected records and then the spares, group by
 * group in rank order, with all their columns (the union of the inputs'
 * columns, in first-seen order; `force` added when no input has it) plus
 * sample_rank, stratum and spare (Y/N).  sel's items must carry rows.
 * An empty sample still has a header a reader can take for its type: the
 * canonical columns of type ("crime", ...; NULL or unknown: none).
 * CA_SYSTEM on a write error.
 */
enum ca_status sample_write_csv(const struct selection *sel, const char *type,
                                FILE *fp, struct ca_error *err);

#endif
