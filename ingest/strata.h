/* SPDX-License-Identifier: MIT */
/*
 * The strata table of `caseaudit evaluate --strata FILE`: a small CSV with
 * the header stratum,N,n,k and one row per stratum (its name, population,
 * sample size and deviations found), read through ingest/csvread.h and
 * checked row by row, so that every problem names file:line and the field.
 *
 * Ownership: strata_read fills a caller-owned struct strata whose rows the
 * caller frees with strata_release.
 */
#ifndef CA_STRATA_H
#define CA_STRATA_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* Caps on the strata file: a stratum table, not a data file. */
#define STRATA_MAX_LINE 4096
#define STRATA_MAX_ROWS 100000
#define STRATA_NAME_MAX 256

struct strata_row {
    char name[STRATA_NAME_MAX];
    unsigned long line; /* where the row is in the file */
    uint64_t N, n, k;   /* population, sampled, deviations */
};

struct strata {
    struct strata_row *rows;
    size_t count;
};

/*
 * Read and check the strata file at path: 1 <= n <= N (n >= 2 unless
 * n = N), k <= n, names unique and 1 to STRATA_NAME_MAX - 1 bytes, at
 * least one stratum.  Returns CA_OK with out filled; CA_DATA naming
 * file:line (and the field) for a bad file, a missing one or a directory;
 * CA_SYSTEM when it cannot be read or memory runs out (out is then empty).
 */
enum ca_status strata_read(const char *path, struct strata *out,
                           struct ca_error *err);
void strata_release(struct strata *s);

#endif
