/* SPDX-License-Identifier: MIT */
/*
 * Growing an array by doubling; see array.h.  The array's address comes as
 * void * so that one function serves every element type; the pointer is
 * read and written with memcpy, as the caller's T * object.
 */
#include "util/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_FIRST 16

int array_grow(void *arrayp, size_t *alloc, size_t need, size_t elem)
{
    void *v, *nv;
    size_t na = *alloc ? *alloc : ARRAY_FIRST;

    if (need <= *alloc)
        return 0;
    while (na < need) {
        if (na > SIZE_MAX / 2)
            return -1;
        na *= 2;
    }
    if (elem && na > SIZE_MAX / elem)
        return -1;
    memcpy(&v, arrayp, sizeof(v));
    nv = realloc(v, na * elem);
    if (!nv)
        return -1;
    memcpy(arrayp, &nv, sizeof(nv));
    *alloc = na;
    return 0;
}
