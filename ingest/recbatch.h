/* SPDX-License-Identifier: MIT */
/*
 * Record batches: copies of many records kept in one arena, for handing
 * records read by ingest (borrowed, valid only inside the callback) to other
 * threads.  Unlike record_copy, adding a record allocates nothing once the
 * batch has grown to its working size: the values go into arena chunks that
 * record_batch_clear() keeps for the next batch, and what consecutive
 * records share (column names, source, force, the case-log context) is
 * copied once.  A copy keeps everything record_log() needs: the profile's
 * entry-header regex is copied (a private compiled copy, cached across
 * batches and checked byte for byte against the original before reuse),
 * and entries joined from an entries file are copied with their text.
 *
 * Ownership: the batch owns every copy; a record returned by
 * record_batch_get() lives until the next record_batch_add(),
 * record_batch_clear() or record_batch_free() on that batch.  A batch is not
 * locked: one thread at a time (fill it, then hand it over).
 */
#ifndef CA_RECBATCH_H
#define CA_RECBATCH_H

#include <stddef.h>

#include "ingest/record.h"
#include "util/status.h"

struct record_batch;

/* A new empty batch, or NULL when out of memory.  Free with
 * record_batch_free (NULL-safe). */
struct record_batch *record_batch_new(void);
void record_batch_free(struct record_batch *b);

/* Empty the batch, keeping its memory for the next records. */
void record_batch_clear(struct record_batch *b);

/*
 * Copy r (borrowed, e.g. inside an ingest callback) to the end of the batch.
 * Returns CA_OK, or CA_SYSTEM when out of memory (err says so; the batch
 * is unchanged).
 */
enum ca_status record_batch_add(struct record_batch *b, const struct record *r,
                                struct ca_error *err);

size_t record_batch_count(const struct record_batch *b);
/* Bytes of record data held (arena use), for a per-batch byte budget. */
size_t record_batch_bytes(const struct record_batch *b);
/* The i-th record added (i < count); see the ownership note above. */
const struct record *record_batch_get(const struct record_batch *b, size_t i);

#endif
