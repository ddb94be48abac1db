/* SPDX-License-Identifier: MIT */
/*
 * A separate case-log entries file (CSV with columns ref, at, rank, author,
 * text; one row per entry) loaded into memory and indexed by reference, so
 * that each record's log can be joined without re-reading the file.
 * Memory is bounded by the size of that file.  Entries keep file order
 * within a reference.  Internal to ingest/.
 */
#ifndef CA_JOIN_H
#define CA_JOIN_H

#include <stddef.h>

#include "ingest/record.h"
#include "util/status.h"

struct join {
    char *text; /* all strings */
    size_t len, alloc;
    struct log_entry *entries; /* sorted by ref, then file order */
    size_t n, alloc_entries;
    struct join_ref {
        const char *ref;
        size_t first, count;
    } * refs;
    size_t nrefs;
    /* loading state */
    struct join_raw *raw;
    size_t nraw, alloc_raw;
};

/*
 * Load path.  Returns CA_OK; CA_DATA when the file is malformed (err names
 * file:line and the field: the entries file is all-or-nothing); CA_SYSTEM
 * when it cannot be read or memory runs out.
 */
enum ca_status join_load(struct join *j, const char *path, size_t max_field,
                         struct ca_error *err);
/* Entries for ref (count 0 when none). */
const struct log_entry *join_find(const struct join *j, const char *ref,
                                  size_t *count);
void join_release(struct join *j);

#endif
