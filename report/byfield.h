/* SPDX-License-Identifier: MIT */
/*
 * Field values for `report --by FIELD`: findings.csv carries no record
 * fields, so they are read from the records themselves (the sample CSV
 * written by `sample`, or the original export) through ingest, and kept
 * only for the records that have findings.
 */
#ifndef CA_BYFIELD_H
#define CA_BYFIELD_H

#include <stddef.h>
#include <stdint.h>

#include "report/findings.h"
#include "util/status.h"

struct byfield_stats {
    uint64_t records_read;    /* accepted by ingest */
    uint64_t records_matched; /* with findings */
    uint64_t rows_rejected;   /* rejected by ingest */
    uint64_t findings_without_record;
};

/*
 * Read paths with ingest (profile NULL = chosen by header) and set
 * fs->recs[i].by to the values of fields (a NULL-terminated vector of
 * copies; "(empty)" for an empty value, "(no field)" when the record has
 * no such column; records without a match keep by NULL and are counted
 * as "(no record)" by the summary).  "force" is the record's force as
 * ingest resolved it.  The first record read for an id wins.
 * CA_USAGE when a field is found in no matched record (naming it);
 * ingest's status for unreadable input.
 */
enum ca_status byfield_load(struct findings *fs, const char *const *paths,
                            size_t npaths, const char *profile,
                            const char *const *fields, size_t nfields,
                            struct byfield_stats *stats, struct ca_error *err);

#endif
