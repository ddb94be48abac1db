/* SPDX-License-Identifier: MIT */
/*
 * Merging the hash samples of shards (docs/sampling-methods.md, "Shards"):
 * given the manifests of samples drawn apart over disjoint parts of an
 * export, with the same parameters, build exactly the manifest that one
 * run over all the parts would write.  The hash sample of a group is its
 * smallest keys, and the smallest keys of a union are among the smallest
 * keys of its parts; what each part must have kept is the question:
 *
 *   - unstratified with a fixed --size, every group's allocation is that
 *     size, so a plain manifest (selected + spares) holds all the whole
 *     can need from it;
 *   - with strata or a plan, a group's allocation depends on the N of
 *     every shard, so each shard must have been drawn with --shard: its
 *     manifest then lists the `candidates_per_stratum` smallest keys of
 *     each group (the largest allocation the group can get plus the
 *     spares), which is all the whole can need from it.
 *
 * The merge re-allocates from the summed N with the shared sizing code,
 * takes each group's smallest keys from the union, and proves the result:
 * for every shard that kept fewer keys than its N, its largest kept key
 * must not be below the last key the merged group needs (otherwise an
 * unlisted record of that shard could belong in the sample).  It also
 * checks each key against SHA-256("<seed>:<id>") and that no id appears in
 * two shards.  Ownership: out is filled by the merge and owned by the
 * caller (manifest_release).
 */
#ifndef CA_MERGE_H
#define CA_MERGE_H

#include <stddef.h>

#include "samplers/draw.h"
#include "samplers/manifest.h"
#include "util/status.h"

struct merge_config {
    const struct manifest *shards; /* nshards manifests, as read */
    const char *const *names;      /* their paths (messages, merged_from,
                                    * resolving relative input paths) */
    size_t nshards;
    /* plan manifests: n per population, as for draw_config (built from
     * the first shard's plan; every shard's plan must equal it) */
    sample_size_fn size;
    void *size_ctx;
};

/*
 * Merge.  Fills out->p (a copy of the shards' common parameters) and
 * out->r: inputs of every shard concatenated in the order given (relative
 * paths resolved against their manifest's folder, as verify does),
 * merged_from (each shard manifest's path, size and SHA-256), row counts
 * and rejects summed, N summed per (force, stratum), n re-allocated,
 * selected, spares and (for shards) candidates.  out's version, tool
 * version, command line and time are left for the caller.
 * Errors (err names the shard manifest): CA_DATA when a shard is not a
 * hash sample, its parameters differ from the first shard's (the key is
 * named), it lacks candidates the merge needs, a key or id is
 * inconsistent, or an id or input occurs in two shards; CA_USAGE when
 * the merged population cannot be allocated (as the single run would
 * fail); CA_SYSTEM.
 */
enum ca_status manifest_merge(const struct merge_config *c,
                              struct manifest *out, struct ca_error *err);

#endif
