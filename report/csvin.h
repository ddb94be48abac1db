/* SPDX-License-Identifier: MIT */
/*
 * Reading the small CSV files report/ owns the format of (findings.csv,
 * reviewer overrides) with libcsv in strict mode: one callback per row
 * with the physical line the row starts on, even when a quoted field spans
 * lines.  A UTF-8 BOM is skipped; blank lines are ignored.  Caps: 1 MiB per
 * field, 16 MiB per row, 256 fields per row; exceeding one, a bad quote or
 * a NUL byte is a CA_DATA error naming file and line.  (Case exports are
 * read by ingest/, not here.)  These files are written with csvw's formula
 * guard, which every field read here has undone (csvw_unguard), so a value
 * such as '@NS-1 reads back as the @NS-1 that was written.
 */
#ifndef CA_CSVIN_H
#define CA_CSVIN_H

#include <stddef.h>

#include "util/status.h"

#define CSVIN_MAX_FIELD (1u << 20)
#define CSVIN_MAX_ROW (16u << 20)
#define CSVIN_MAX_FIELDS 256

struct csvin_row {
    const char *path;
    unsigned long line; /* physical line where the row starts, 1-based */
    size_t n;           /* number of fields */
    char **v;           /* NUL-terminated fields, valid during the call */
    const size_t *len;
};

/* Return CA_OK to go on; any other status stops reading and is returned
 * (the callback fills err). */
typedef enum ca_status (*csvin_row_fn)(void *ctx, const struct csvin_row *row,
                                       struct ca_error *err);

/* Read path ("-" is standard input) row by row, the header included.
 * Returns CA_OK, the callback's status, CA_DATA for malformed CSV or a
 * cap, CA_SYSTEM when the file cannot be read. */
enum ca_status csvin_read(const char *path, csvin_row_fn fn, void *ctx,
                          struct ca_error *err);

/* The same over bytes in memory (name is used in messages). */
enum ca_status csvin_read_mem(const char *name, const char *data, size_t len,
                              csvin_row_fn fn, void *ctx, struct ca_error *err);

#endif
