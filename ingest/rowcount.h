/* SPDX-License-Identifier: MIT */
/*
 * The row accounting of an ingest run as JSON, one writer for every output
 * that reports it (inventory.json, reconcile.json): "rows_read",
 * "rows_accepted", "rows_rejected" and "rejected_by_reason" (an object of
 * the reasons with a count, by reject_reason_name, in enum order).
 */
#ifndef CA_INGEST_ROWCOUNT_H
#define CA_INGEST_ROWCOUNT_H

#include <jansson.h>

#include "ingest/ingest.h"

/* Add the four members to the object o (borrowed).  Returns 0, or -1 on
 * ENOMEM (o may then hold some of them). */
int ingest_rowcount_json_add(json_t *o, const struct ingest_stats *st);

#endif
