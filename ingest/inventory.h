/* SPDX-License-Identifier: MIT */
/*
 * Inventory: what a fieldwork team wants to know about an export before
 * sampling.  Per force and record type: the number of records, the range
 * of the type's main date (recorded_at, decided_at, arrested_at,
 * opened_at), counts by offence_group, attended and any extra fields; and,
 * from the ingest statistics, rows read, accepted and rejected by reason.
 * Used by `caseaudit inventory` and `caseaudit run`.
 *
 * Ownership: inventory_new returns an object freed with inventory_free;
 * inventory_json returns a new jansson reference (json_decref it).  Memory
 * grows with the number of distinct (force, type) pairs and distinct
 * values counted, not with rows; each counted field keeps at most 1000
 * distinct values and folds the rest into "(other)".
 */
#ifndef CA_INVENTORY_H
#define CA_INVENTORY_H

#include <stdio.h>

#include <jansson.h>

#include "ingest/ingest.h"

struct inventory;

/* by: extra fields to count (canonical names or column names), copied. */
struct inventory *inventory_new(const char *const *by, size_t nby);
void inventory_free(struct inventory *inv);

/* Tally one accepted record.  Returns 0, or -1 when out of memory. */
int inventory_add(struct inventory *inv, const struct record *r);

/* The k-th (from 0) by field that no record had, or NULL past the last;
 * *near is the nearest field or column name seen (did you mean), or NULL.
 * Pointers are borrowed from inv. */
const char *inventory_by_unknown(const struct inventory *inv, size_t k,
                                 const char **near);

/*
 * The inventory as one JSON object: rows_read, rows_accepted,
 * rows_rejected, rejected_by_reason {reason: count}, rows_other_type,
 * inputs [{path, bytes, sha256, profile, rows_read, rows_accepted,
 * rows_rejected}], forces [{force, type, records, date_field, first, last,
 * undated (the main date empty or absent), bad_dates {field: {count,
 * first: {source, line, value}}} (dates present that do not parse, per
 * field, with the first seen), offence_group {}, attended {}, by {field:
 * {value: count}}}]
 * sorted by force then type, notes [{source, message, error}].
 * NULL when out of memory.
 */
json_t *inventory_json(const struct inventory *inv,
                       const struct ingest_stats *st);

/* The same as a readable text table.  Returns 0, or -1 on a write error. */
int inventory_write_text(const struct inventory *inv,
                         const struct ingest_stats *st, FILE *fp);

#endif
