/* SPDX-License-Identifier: MIT */
/*
 * A programme frame as the sampler's frame callback (samplers/draw.h's
 * sample_frame_fn): which records of a type are in the frame of a test,
 * judged by the rule engine (engine/condition.h), for `run` and for
 * `verify`, so that both build a frame the same way.
 *
 * A record whose frame conditions cannot be judged (it lacks a field the
 * conditions read, its log cannot be split or is not UTF-8) is kept in the
 * frame and counted as undecided: its rules then give `error`, so it is
 * counted and shown, never dropped silently.
 *
 * Ownership: a frame borrows its programme, which must outlive it.
 */
#ifndef CA_AUDIT_FRAME_H
#define CA_AUDIT_FRAME_H

#include <stdint.h>

#include "audit/programme.h"
#include "samplers/draw.h"
#include "samplers/manifest.h"
#include "util/status.h"

struct audit_frame;

/* The frame of p->frames[i].  NULL in *out when out of memory (CA_SYSTEM).
 * A frame of every record of its type keeps every record of it. */
enum ca_status audit_frame_new(const struct programme *p, size_t i,
                               struct audit_frame **out, struct ca_error *err);
void audit_frame_free(struct audit_frame *f);

/* sample_frame_fn: ctx is a struct audit_frame. */
int audit_frame_test(void *ctx, const struct record *r, struct ca_error *err);

/* As audit_frame_test with r's log already split (by record_log). */
int audit_frame_test_entries(struct audit_frame *f, const struct record *r,
                             const struct log_entry *e, size_t ne);

/*
 * The one definition of a named suspect outstanding, for the whole-export
 * counts (report/reconcile.h's reconcile_outstanding_fn): a crime in the
 * frame of the test p counts named-suspects-outstanding by, or, when p is
 * NULL or counts it by no test, of the test the shipped programme
 * hmic-2014 counts it by.  A crime whose frame conditions cannot be
 * judged is counted (as it is kept in the frame).  Free with
 * audit_outstanding_free (NULL-safe).  CA_DATA when no programme defines
 * it; CA_SYSTEM.
 */
struct audit_outstanding;
enum ca_status audit_outstanding_new(const struct programme *p,
                                     struct audit_outstanding **out,
                                     struct ca_error *err);
void audit_outstanding_free(struct audit_outstanding *o);
/* reconcile_outstanding_fn: ctx is a struct audit_outstanding. */
int audit_outstanding_test(void *ctx, const struct record *r,
                           const struct log_entries *le, struct ca_error *err);

/* Records kept because their conditions could not be judged, and the
 * reason for the first of them (static until the frame is freed). */
uint64_t audit_frame_undecided(const struct audit_frame *f);
const char *audit_frame_first_undecided(const struct audit_frame *f);

/* The manifest's record of frame i of p (for sample_params.programme);
 * file is the programme file as it should be recorded.  NULL when out of
 * memory. */
struct sample_frame_ref *audit_frame_ref(const struct programme *p, size_t i,
                                         const char *file);

/*
 * The programme frame a manifest was drawn from, for `verify`: the
 * programme is loaded from text (len bytes, read by the caller from
 * --programme, the bundle or the recorded path) and must have the SHA-256
 * the manifest recorded, hold its frame and write its conditions as the
 * manifest has them.  *prog and *frame are new (the caller frees both,
 * the frame first).  CA_FINDINGS (err says what differs) when the
 * programme is not the one the sample was drawn with; CA_DATA for a file
 * that is not a programme; CA_SYSTEM.
 */
enum ca_status audit_frame_for_manifest(const struct sample_frame_ref *ref,
                                        const char *name, const char *text,
                                        size_t len, struct programme **prog,
                                        struct audit_frame **frame,
                                        struct ca_error *err);

/*
 * `verify`'s frame callback for a manifest drawn from a programme frame
 * (ref, its manifest's frame.programme).  A frame of every record of its
 * type needs no programme.  Otherwise the programme's bytes are text (len
 * bytes, e.g. a bundle's entry) when not NULL, else the file `given`
 * (--programme) when not NULL, else the recorded file (relative to the
 * manifest's folder when not found from the current one), else the
 * shipped programme of that id; it must be the one the sample was drawn
 * with (audit_frame_for_manifest).  On CA_OK, out->fn and out->ctx are the
 * callback for draw_config / verify_config, and out->source names the
 * programme read ("" when none was needed).  CA_FINDINGS: another
 * programme (err says what differs); CA_DATA: none found or not a
 * programme; CA_SYSTEM.  Release with audit_verify_frame_release.
 */
struct audit_verify_frame {
    sample_frame_fn fn;
    void *ctx;
    char source[1024];
    struct programme *prog;
    struct audit_frame *frame;
};
enum ca_status audit_verify_frame(const struct sample_frame_ref *ref,
                                  const char *manifest_path, const char *given,
                                  const char *text, size_t len,
                                  struct audit_verify_frame *out,
                                  struct ca_error *err);
void audit_verify_frame_release(struct audit_verify_frame *v);

#endif
