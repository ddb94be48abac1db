/* SPDX-License-Identifier: MIT */
/* Zeroed memory for large hash tables; see bigtable.h. */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#endif
#include "util/bigtable.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE ((size_t)2 << 20)

void *bigtable_alloc(size_t n, size_t size)
{
    size_t bytes;
    void *p = NULL;

    if (size && n > SIZE_MAX / size)
        return NULL;
    bytes = n * size;
    if (bytes < HUGE)
        return calloc(n, size);
    if (posix_memalign(&p, HUGE, bytes) != 0)
        return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure is fine */
#endif
    memset(p, 0, bytes);
    return p;
}
