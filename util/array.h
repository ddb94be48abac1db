/* SPDX-License-Identifier: MIT */
/*
 * Growing an array of fixed-size elements, the one grow-by-doubling loop:
 *
 *     struct row *rows = NULL;
 *     size_t n = 0, alloc = 0;
 *     if (array_grow(&rows, &alloc, n + 1, sizeof(*rows)) != 0)
 *         ...out of memory...
 *     rows[n++] = r;
 *
 * The array stays owned by the caller (free it with free()); on failure it
 * is left as it was.
 */
#ifndef CA_ARRAY_H
#define CA_ARRAY_H

#include <stddef.h>

/*
 * Make room for at least need elements of elem bytes in the array whose
 * address is arrayp (a T **, passed as void *), doubling its allocation
 * *alloc (elements) from 16.  Returns 0, or -1 when out of memory or when
 * the size overflows.
 */
int array_grow(void *arrayp, size_t *alloc, size_t need, size_t elem);

#endif
