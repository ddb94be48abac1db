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

int ingest_rowcount_json_add_named(json_t *o, const struct rowcount_named *rc)
{
    json_t *reasons;
    size_t i;
    int r = 0;

    r |= json_object_set_new(o, "rows_read",
                             json_integer((json_int_t)rc->rows_read));
    r |= json_object_set_new(o, "rows_accepted",
                             json_integer((json_int_t)rc->rows_accepted));
    r |= json_object_set_new(o, "rows_rejected",
                             json_integer((json_int_t)rc->rows_rejected));
    if (rc->rows_excluded)
        r |= json_object_set_new(o, "rows_excluded",
                                 json_integer((json_int_t)*rc->rows_excluded));
    reasons = json_object();
    for (i = 0; i < rc->nreasons; i++) {
        uint64_t n = 0;
        const char *name = rc->at(rc->reasons, i, &n);

        r |= json_object_set_new(reasons, name, json_integer((json_int_t)n));
    }
    r |= json_object_set_new(o, "rejected_by_reason", reasons);
    return r ? -1 : 0;
}
