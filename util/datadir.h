/* SPDX-License-Identifier: MIT */
/*
 * Finding shipped data (rule sets, profiles, the demo export) both in a
 * source checkout and after `make install`.  Candidates, first existing wins:
 *   $CASEAUDIT_DATADIR/<rel>
 *   <dir of the executable>/<rel> and <dir>/../../<rel> (a checkout, also
 *     for binaries built under build/<variant>/)
 *   <dir of the executable>/../share/caseaudit/<rel> (installed)
 *   CA_DATADIR/<rel> (compile-time install location)
 */
#ifndef CA_DATADIR_H
#define CA_DATADIR_H

#include <stddef.h>

/* Writes the first existing candidate for rel (e.g. "rules") to out.
 * Returns 0, or -1 when none exists (out then holds the last candidate). */
int datadir_find(const char *rel, char *out, size_t size);

#endif
