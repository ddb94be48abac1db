/* SPDX-License-Identifier: MIT */
/*
 * "Did you mean" for a field name a user gave (--strata, --where,
 * --order-by, --by): the nearest canonical field name or column of a
 * record, by edit distance (util/suggest.h).
 */
#ifndef CA_FIELDS_H
#define CA_FIELDS_H

#include "ingest/record.h"

/* The canonical field or column name of r (r may be NULL: canonical names
 * only) nearest to name, at most 2 edits away; NULL when none is, or when
 * name is one of them.  The pointer is borrowed from r or static. */
const char *fields_nearest(const struct record *r, const char *name);

#endif
