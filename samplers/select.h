/* SPDX-License-Identifier: MIT */
/*
 * Selection of a sample from a frame, group by group, where a group is one
 * (force, stratum) pair.  The frame arrives one member at a time (id,
 * force, stratum, optional order key and row) in input order; the methods
 * (docs/sampling-methods.md):
 *
 *   hash        rank key = lowercase hex SHA-256 of the UTF-8 bytes
 *               "<seed>:<id>"; the sample is the n_h smallest keys of the
 *               group, the spares the next K.  One pass; per group a
 *               bounded max-heap of the `keep` smallest keys, so memory is
 *               O(keep) per group whatever the frame size.  Independent of
 *               input order; shards merge.
 *   r           R's `sample(N_h, min(n_h + K, N_h))` over the group's
 *               members in input order, groups in (force, stratum) byte
 *               order on one stream from set.seed(seed); the first n_h
 *               drawn are the sample, the rest spares.  Keeps every id.
 *   systematic  positions floor((r + i N_h) / m) for i = 0..m-1, where
 *               m = min(n_h, N_h), r = U mod N_h and U the integer value
 *               of the first 12 hex digits of SHA-256("<seed>:start:
 *               <force>:<stratum>"); the spares are a second systematic
 *               draw of K over the members not selected, with
 *               "<seed>:spare:<force>:<stratum>".  Frame in input order,
 *               or sorted by the order key (byte order, ties by input
 *               order).  Keeps every id.
 *
 * Ownership: the selector copies what it keeps; a selection owns its
 * items and groups (selection_release frees them).
 */
#ifndef CA_SELECT_H
#define CA_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

enum sample_method { SM_HASH = 0, SM_R, SM_SYSTEMATIC };

const char *sample_method_name(enum sample_method m);          /* "hash", ... */
int sample_method_parse(const char *s, enum sample_method *m); /* 0 / -1 */

struct selector_opts {
    enum sample_method method;
    const char *seed; /* as given (copied); for r an R integer */
    uint64_t keep;    /* hash: keys kept per group, at least the largest
                       * allocation plus spares; 0 = no bound */
    bool keep_rows;   /* hash: keep each candidate's row bytes */
    bool ordered;     /* systematic: order the frame by the order key */
    bool candidates;  /* hash: also list every kept key (the `keep`
                       * smallest of each group) as a candidate, for
                       * merging shards (docs/sampling-methods.md) */
};

struct selector;

/* Create a selector.  CA_USAGE for an r seed that is not an R integer. */
enum ca_status selector_new(const struct selector_opts *o,
                            struct selector **out, struct ca_error *err);
void selector_free(struct selector *s); /* NULL-safe */

/* The row bytes of the member being added (borrowed until the callback
 * returns to selector_add), with their length in *len; NULL when memory
 * runs out. */
typedef const void *(*selector_row_fn)(void *ctx, size_t *len);

/*
 * Add one frame member.  force, stratum and id are copied; order_key is
 * used when opts.ordered (NULL sorts as ""); with keep_rows, row (may be
 * NULL) is called, and its bytes copied, only when the member becomes a
 * hash candidate, so most rows are never built.  CA_SYSTEM when memory
 * runs out.
 */
enum ca_status selector_add(struct selector *s, const char *force,
                            const char *stratum, const char *id,
                            const char *order_key, selector_row_fn row,
                            void *row_ctx, struct ca_error *err);

/* Groups seen so far, sorted by force then stratum (byte order); indexes
 * are stable only once adding has finished. */
size_t selector_ngroups(struct selector *s);
void selector_group(struct selector *s, size_t g, const char **force,
                    const char **stratum, uint64_t *N);

struct sample_item {
    char *force;   /* owned */
    char *stratum; /* owned */
    char *id;      /* owned */
    char key[65];  /* hash: hex digest; r/systematic: 1-based position
                    * of the member in its group's frame */
    uint64_t rank; /* 1-based, restarting per group; spares have their
                    * own ranks 1..K */
    bool spare;
    void *row; /* owned: the row bytes given to selector_add (hash
                * with keep_rows), else NULL */
    size_t row_len;
};

struct sample_group {
    char *force, *stratum; /* owned */
    uint64_t N;            /* frame size */
    uint64_t n;            /* allocated */
    uint64_t taken;        /* selected: min(n, N) */
    uint64_t shortfall;    /* n - taken */
    uint64_t spares;       /* spares drawn: min(K, N - taken) */
};

struct selection {
    struct sample_item *items; /* by group, then selected in rank order,
                                * then spares in rank order */
    size_t nitems;
    struct sample_item *cands; /* hash with opts.candidates: every kept
                                * key, by group then key; rank 1.. per
                                * group; selected and spares among them */
    size_t ncands;
    struct sample_group *groups;
    size_t ngroups;
    /* id lookup, built by selector_draw */
    size_t *index;
    size_t index_mask;
};

/*
 * Draw n[g] members and `spares` spares from each group g (indexes as
 * selector_group).  Fills sel (caller releases).  The selector is spent
 * afterwards (its rows move into the selection).  With opts.candidates
 * (hash) sel->cands lists every kept key.  CA_SYSTEM on memory failure or
 * when a hash group kept too few keys for its allocation.
 */
enum ca_status selector_draw(struct selector *s, const uint64_t *n,
                             uint64_t spares, struct selection *sel,
                             struct ca_error *err);

void selection_release(struct selection *sel);
/* Build the id lookup of a selection filled by other means than
 * selector_draw (which builds it): 0, or -1 on ENOMEM. */
int selection_index(struct selection *sel);
/* The item with this id, or NULL. */
const struct sample_item *selection_find(const struct selection *sel,
                                         const char *id);

/* The hash method's rank key of id (lowercase hex, 64 digits). */
void sample_hash_key(const char *seed, const char *id, char hex[65]);
/* The systematic start integer U for a group (first 12 hex digits of
 * SHA-256("<seed>:<what>:<force>:<stratum>")), what = "start" | "spare". */
uint64_t sample_systematic_u(const char *seed, const char *what,
                             const char *force, const char *stratum);

#endif
