/* SPDX-License-Identifier: MIT */
/*
 * Zeroed memory for large hash tables.  A table of millions of slots is
 * probed at random, so with 4 KiB pages nearly every probe would also
 * miss the TLB: from 2 MiB up the memory is aligned to 2 MiB and Linux is
 * asked (madvise, advice only) to back it with huge pages.
 */
#ifndef CA_BIGTABLE_H
#define CA_BIGTABLE_H

#include <stddef.h>

/* n * size zeroed bytes, or NULL (also on overflow).  Free with free(). */
void *bigtable_alloc(size_t n, size_t size);

#endif
