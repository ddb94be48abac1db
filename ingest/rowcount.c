/* SPDX-License-Identifier: MIT */
/* The row accounting of an ingest run as JSON; see rowcount.h. */
#include "ingest/rowcount.h"

int ingest_rowcount_json_add(json_t *o, const struct ingest_stats *st)
{
    json_t *reasons = json_object();
    int i, rc = 0;

    if (!reasons)
        return -1;
    rc |= json_object_set_new(o, "rows_read",
                              json_integer((json_int_t)st->rows_read));
    rc |= json_object_set_new(o, "rows_accepted",
                              json_integer((json_int_t)st->rows_accepted));
    rc |= json_object_set_new(o, "rows_rejected",
                              json_integer((json_int_t)st->rows_rejected));
    for (i = 0; i < RJ__COUNT; i++)
        if (st->rejected_by_reason[i])
            rc |= json_object_set_new(
                reasons, reject_reason_name((enum reject_reason)i),
                json_integer((json_int_t)st->rejected_by_reason[i]));
    rc |= json_object_set_new(o, "rejected_by_reason", reasons);
    return rc ? -1 : 0;
}
