/* SPDX-License-Identifier: MIT */
/*
 * The row accounting of an ingest run as JSON, one writer for every output
 * that reports it (inventory.json, reconcile.json): "rows_read",
 * "rows_accepted", "rows_rejected" and "rejected_by_reason" (an object of
 * the reasons with a count, by reject_reason_name, in enum order); and the
 * same accounting read back from a file and written again (a manifest's,
 * in the manifest and in summary.json), its reasons kept by name.
 */
#ifndef CA_INGEST_ROWCOUNT_H
#define CA_INGEST_ROWCOUNT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"

/* Add the four members to the object o (borrowed).  Returns 0, or -1 on
 * ENOMEM (o may then hold some of them). */
int ingest_rowcount_json_add(json_t *o, const struct ingest_stats *st);

/* The i-th reason of a caller's list (its name; its count in *n). */
typedef const char *rowcount_reason_at(const void *list, size_t i, uint64_t *n);

/* Row accounting kept by name (all borrowed). */
struct rowcount_named {
    uint64_t rows_read, rows_accepted, rows_rejected;
    const uint64_t *rows_excluded; /* when not NULL, "rows_excluded" is
                                    * written before rejected_by_reason */
    const void *reasons;           /* nreasons reasons, read through at() */
    size_t nreasons;
    rowcount_reason_at *at;
};

/* As ingest_rowcount_json_add, the reasons in the list's order.  Returns
 * 0, or -1 on ENOMEM (o may then hold some of the members). */
int ingest_rowcount_json_add_named(json_t *o, const struct rowcount_named *rc);

#endif
