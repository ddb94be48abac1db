/* SPDX-License-Identifier: MIT */
/*
 * Reconciliation of crimes with incidents (the blind spot of "crimes
 * recorded directly onto the crime system, and how many of those are
 * attended"), per force:
 *   - crimes recorded via an incident (incident_ref set) and directly (no
 *     incident_ref), and how many of each were attended (attended = Y);
 *   - crimes whose incident_ref matches no incident of the same force;
 *   - incidents closed as crimes (crime_ref set) whose crime_ref matches no
 *     crime of the same force;
 *   - crimes with a named suspect who has not been arrested or
 *     interviewed, as the caller's test says (reconcile_outstanding_fn);
 *   - bail records and failed-to-answer (failed_to_answer = Y) counts.
 * References are matched within a force: the same reference in another
 * force is a different record.
 *
 * Memory: two compact join tables (report/refjoin.h): incident ids with
 * the crimes' incident_ref, and crime ids with the incidents' crime_ref
 * (O(number of ids), about 40 bytes each); everything else is streamed.
 * Records may come in any order: references are resolved at the end.
 *
 * Ownership: struct reconcile_result owns everything in it.
 */
#ifndef CA_RECONCILE_H
#define CA_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ingest/ingest.h"
#include "util/status.h"

struct reconcile_force {
    char *force;
    uint64_t crimes;
    uint64_t via_incident, via_incident_attended;
    uint64_t direct_recorded, direct_attended;
    uint64_t attended_unknown; /* attended neither Y nor N */
    uint64_t unmatched_incident_refs;
    uint64_t incidents, incidents_closed_as_crimes, unmatched_crime_refs;
    uint64_t named_suspects, suspects_not_arrested;
    uint64_t bail, failed_to_answer;
};

/*
 * Whether a crime with a named suspect counts as a named suspect
 * outstanding: not yet arrested, interviewed, charged, cautioned or
 * summonsed as far as the file shows.  1 yes, 0 no, -1 error (err set).
 * le: the record's log as record_log split it, or NULL.  The audit
 * programme's frame decides (audit/frame.h, audit_outstanding_test), with
 * the context lexicon: the reconciliation counts, it does not read logs.
 */
typedef int (*reconcile_outstanding_fn)(void *ctx, const struct record *r,
                                        const struct log_entries *le,
                                        struct ca_error *err);

struct reconcile_opts {
    const char *const *crimes;
    size_t ncrimes;
    const char *const *incidents;
    size_t nincidents;
    const char *const *bail; /* may be empty */
    size_t nbail;
    const char *profile; /* NULL: chosen by header */
    const char *force;   /* overrides column and path, or NULL */
    reconcile_outstanding_fn outstanding; /* required */
    void *outstanding_ctx;
};

struct reconcile_result {
    struct reconcile_force *f; /* sorted by force */
    size_t n;
    struct reconcile_force total; /* force "all" */
    bool have_bail;
    struct ingest_stats crimes, incidents, bail; /* row accounting */
};

void reconcile_result_init(struct reconcile_result *r);
void reconcile_result_release(struct reconcile_result *r);

/*
 * Read the inputs (incidents, then crimes, then bail) and count.  CA_OK;
 * CA_DATA when an input cannot be read or the crimes have no incident_ref
 * column (then how a crime was recorded cannot be told); CA_USAGE for a
 * bad profile; CA_SYSTEM for I/O or memory.  Rejected rows are counted in
 * the ingest stats, never dropped silently.
 */
enum ca_status reconcile_run(const struct reconcile_opts *o,
                             struct reconcile_result *out,
                             struct ca_error *err);

/*
 * The same, fed record by record (by `caseaudit run`, from its one pass
 * over the inputs): reconcile_begin, then reconcile_add for each accepted
 * record in input order (crime, incident and bail records are counted,
 * other types ignored), then reconcile_end, then reconcile_free.
 *
 * reconcile_begin: *rc is the new state, counting named suspects
 * outstanding by outstanding(ctx, ...); CA_SYSTEM when out of memory.
 * reconcile_add: le is the record's log as record_log split it, or NULL
 * (handed to outstanding for crimes with a named suspect).  CA_OK; CA_DATA for a crime without an
 * incident_ref column or a log that cannot be split (err names record and
 * field); CA_SYSTEM.  After an error the state must only be freed.
 * reconcile_end: fills out's counts (f, n, total), not its ingest stats or
 * have_bail, which the caller sets; CA_SYSTEM when out of memory.
 * reconcile_free: accepts NULL.
 */
struct reconcile;
enum ca_status reconcile_begin(struct reconcile **rc,
                               reconcile_outstanding_fn outstanding, void *ctx,
                               struct ca_error *err);
enum ca_status reconcile_add(struct reconcile *rc, const struct record *r,
                             const struct log_entries *le,
                             struct ca_error *err);
enum ca_status reconcile_end(struct reconcile *rc, struct reconcile_result *out,
                             struct ca_error *err);
void reconcile_free(struct reconcile *rc);

/*
 * The result as the JSON of `caseaudit reconcile --json`: {"forces": [...],
 * "total": {...}, "inputs": {"crimes", "incidents", "bail"}} (each force
 * with the counts of struct reconcile_force and the attendance rates).  A
 * new reference (json_decref it), or NULL when out of memory.
 */
json_t *reconcile_json(const struct reconcile_result *r);

#endif
