/* SPDX-License-Identifier: MIT */
/*
 * Verification of a sample manifest: re-read the inputs, check their sizes
 * and SHA-256, re-draw with the manifest's parameters and compare every
 * recorded figure (row accounting, N and n per force and stratum, the
 * selected ids and spares with their ranks and keys, and a shard
 * manifest's candidates).  A merged manifest (samplers/merge.h) is
 * re-drawn over the union of its shards' inputs.  Each difference is
 * reported as one line through a callback; the command decides how to
 * print it.  Callable from `verify` on a manifest file and, later, on the
 * manifest inside an evidence bundle.
 */
#ifndef CA_VERIFY_H
#define CA_VERIFY_H

#include <stdint.h>

#include "samplers/draw.h"
#include "samplers/manifest.h"
#include "util/status.h"

/* One difference, as a line of text without a newline. */
typedef void (*verify_diff_fn)(void *ctx, const char *line);

struct verify_config {
    const struct manifest *m;
    const char *const *paths; /* inputs to read; NULL: the manifest's */
    size_t npaths;
    sample_size_fn size; /* as for draw_config, for plan manifests */
    void *size_ctx;
    uint64_t size_bound;
    sample_frame_fn frame; /* for a programme frame (m->p.programme) */
    void *frame_ctx;
    verify_diff_fn on_diff; /* may be NULL */
    void *diff_ctx;
    ingest_progress_fn on_progress; /* as for draw_config; NULL: none */
    void *progress_ctx;
    bool matched; /* paths are the manifest's own inputs (found by path or
                   * by SHA-256), not files the user named */
};

/*
 * Verify.  Returns CA_OK with *ndiff set to the number of differences (0:
 * everything matches; an input that cannot be found is one difference and
 * skips the re-draw).  Other failures of the re-draw are returned as
 * errors, err set: CA_DATA for manifest parameters that cannot be used
 * (e.g. an r seed edited into a word) or unreadable input, CA_SYSTEM.
 */
enum ca_status manifest_verify(const struct verify_config *c, uint64_t *ndiff,
                               struct ca_error *err);

/*
 * Files offered to re-draw several manifests (a bundle of samples drawn
 * from different files): the paths given, a directory walked (sorted,
 * regular files, hidden ones skipped), each with its SHA-256.
 */
struct input_pool {
    char **path;
    char (*sha256)[65];
    size_t n;
};

/* Build the pool.  CA_DATA for a path that cannot be read, CA_SYSTEM. */
enum ca_status input_pool_build(struct input_pool *p, const char *const *paths,
                                size_t n, struct ca_error *err);
void input_pool_release(struct input_pool *p);

/* The pool's files whose SHA-256 are those of m's inputs, in m's order:
 * 1 with *out (malloc'd array of borrowed paths) when every input of m
 * has one, else 0 (*out NULL).  -1 when out of memory. */
int input_pool_match(const struct input_pool *p, const struct manifest *m,
                     const char ***out);

#endif
