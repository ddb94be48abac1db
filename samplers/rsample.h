/* SPDX-License-Identifier: MIT */
/*
 * R's random sampling, bit for bit: the Mersenne-Twister generator seeded
 * as `set.seed(seed)` seeds it (R >= 3.6, sample.kind "Rejection"), and
 * `sample(N, k)` without replacement, including R's hash-based algorithm
 * (sample2) that sample.int switches to when N > 1e7 and k <= N/2.  So a
 * reviewer can re-draw the `r` method's sample in R itself.
 *
 * The generator state is caller-owned and holds no pointers: no release
 * is needed.  Sources: R's src/main/RNG.c (RNG_Init, MT_genrand, fixup,
 * rbits, R_unif_index), src/main/random.c (do_sample), src/main/unique.c
 * (do_sample2) and src/library/base/R/sample.R (sample.int's useHash).
 */
#ifndef CA_RSAMPLE_H
#define CA_RSAMPLE_H

#include <stdint.h>

#include "util/status.h"

struct r_rng {
    uint32_t mt[625]; /* mt[0] is R's mti; mt[1..624] the state */
};

/* Largest population r_sample accepts (R's integer sampling range). */
#define R_SAMPLE_MAX_N 2147483647ULL

/* set.seed(seed) with R's default kinds (Mersenne-Twister, Inversion,
 * Rejection). */
void r_rng_seed(struct r_rng *g, int32_t seed);

/* unif_rand(): the next uniform in (0, 1). */
double r_rng_unif(struct r_rng *g);

/* R_unif_index(dn): a uniform integer in [0, dn) by rejection sampling on
 * 16-bit chunks; returns 0 for dn <= 0. */
double r_rng_unif_index(struct r_rng *g, double dn);

/*
 * The same as `sample(N, k)` (1-based positions, in draw order) continuing
 * g's stream; out has room for k values.  k <= N <= R_SAMPLE_MAX_N, else
 * CA_USAGE.  CA_SYSTEM when memory runs out (the partial Fisher-Yates needs
 * 4 bytes per population member; the hash algorithm 8 bytes per draw).
 * N = 0 with k = 0 draws nothing.
 */
enum ca_status r_sample(struct r_rng *g, uint64_t N, uint64_t k, uint64_t *out,
                        struct ca_error *err);

/* Parse an R seed: a whole number in [-2147483647, 2147483647] (R's
 * integer range without NA).  Returns 0, or -1. */
int r_seed_parse(const char *s, int32_t *seed);

#endif
