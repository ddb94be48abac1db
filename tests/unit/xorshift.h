/* SPDX-License-Identifier: MIT */
/*
 * Marsaglia's xorshift64 (shifts 13, 7, 17): the fixed-seed random numbers
 * of the randomized tests, each of which keeps its own seed.  Header-only
 * (static inline), as tmpdir.h, because each tests/unit/test_*.c is a
 * program of its own.
 */
#ifndef CA_TEST_XORSHIFT_H
#define CA_TEST_XORSHIFT_H

#include <stdint.h>

static inline uint64_t xorshift64(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

#endif
