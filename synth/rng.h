/* SPDX-License-Identifier: MIT */
/*
 * The generator's own pseudo-random numbers: xoshiro256** seeded through
 * SplitMix64.  Integer arithmetic only, so that a seed gives the same
 * numbers on every machine and C library (rand() and floating point are
 * never used).  Each record draws from its own stream, keyed by the seed,
 * the record type, the force and the record's index, so that any record
 * (and every cross-reference to it) can be regenerated on its own.
 */
#ifndef CA_SYNTH_RNG_H
#define CA_SYNTH_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
    uint64_t s[4];
};

/* The SplitMix64 finaliser: a bijective 64-bit mix. */
uint64_t rng_mix64(uint64_t x);

/* Seed a stream from a key of up to five words (e.g. seed, type, force,
 * index, sub-stream). */
void rng_seed(struct rng *r, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
              uint64_t e);

uint64_t rng_next(struct rng *r);

/* Uniform in [0, n), without modulo bias; n must be > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);

/* Uniform in [lo, hi] (inclusive); returns lo when hi <= lo. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);

/* True with probability permille/1000. */
bool rng_chance(struct rng *r, unsigned permille);

#endif
