/* SPDX-License-Identifier: MIT */
/*
 * "Did you mean": the nearest of a list of names to what was typed, by
 * edit distance, for unknown commands, options, field names, profile
 * names and rule-file keys.
 */
#ifndef CA_SUGGEST_H
#define CA_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance between a and b (one byte inserted, deleted or
 * replaced counts 1); a string longer than 32 bytes is 99 away from
 * everything. */
unsigned suggest_distance(const char *a, const char *b);

/*
 * The name of names[0..n) nearest to got when it is at most max edits away
 * and fewer edits than got has characters (so that "ab" does not suggest
 * every two-letter name), the first of equals; NULL when none is, or when
 * got is one of the names.  NULL entries of names are skipped.
 */
const char *suggest_closest(const char *got, const char *const *names, size_t n,
                            unsigned max);

#endif
