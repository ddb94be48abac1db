/* SPDX-License-Identifier: MIT */
/*
 * The internals `caseaudit run` (audit_run, audit/audit.h) shares between
 * its files; not for use outside audit/audit.c and audit/run_*.c.  The run
 * goes in stages, each a function on struct run_state:
 *
 *   audit.c       the driver: options, the output directory, the one pass,
 *                 the reconciliation and the order of the stages
 *   run_pass.c    the one pass over the inputs (inventory, as-of dates,
 *                 every sample's frame and stream, the reconciliation's
 *                 feed) and a census's second reading
 *   run_sample.c  the sampling stage: which frames are drawn, the draw,
 *                 its manifest and sample CSV
 *   run_judge.c   rules left out, tests not run, and each checked file's
 *                 verdict per test
 *   run_output.c  the output stage: report parameters, counts, the report
 *                 job and putting the directory in place
 *
 * Everything the run allocates is owned by struct run_state (released by
 * the driver) or by the result (audit_result_release).
 */
#ifndef CA_AUDIT_RUN_H
#define CA_AUDIT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "audit/check.h"
#include "audit/frame.h"
#include "ingest/ingest.h"
#include "ingest/inventory.h"
#include "report/idmap.h"
#include "util/buf.h"
#include "util/outdir.h"

/* ---- small helpers (audit.c) ---------------------------------------- */

/* A list of strings the run owns until it returns (report parameters). */
struct run_arena {
    char **v;
    size_t n, alloc;
};

char *run_arena_printf(struct run_arena *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A copy the run's arena owns; NULL when out of memory. */
char *run_arena_dup(struct run_arena *s, const char *v);
/* Hand a malloc'd block to the arena (freed with it).  0, or -1 (p is
 * then the caller's to free). */
int run_arena_keep(struct run_arena *s, char *p);
void run_arena_release(struct run_arena *s);
/* dir/name (malloc'd; NULL when out of memory). */
char *run_path_join(const char *dir, const char *name);
/* dir/<prefix><name><suffix>, e.g. out/sample-crime.csv */
char *run_name_path(const char *dir, const char *prefix, const char *name,
                    const char *suffix);
/* CA_SYSTEM "out of memory" in err. */
enum ca_status run_oom(struct ca_error *err);
/* Whether the caller has asked the run to stop. */
bool run_stopped(const struct audit_opts *o);
/* CA_SYSTEM "interrupted" when the caller has asked the run to stop. */
enum ca_status run_stop_check(const struct audit_opts *o, struct ca_error *err);
/* Tell the caller the stage the run is at (o->stage). */
void run_stage(const struct audit_opts *o, const char *what);

/* ---- the run's state --------------------------------------------------- */

/* The inventory pass's state: the inventory, the latest event and the
 * fields seen per force and type. */
struct inv_ctx {
    struct inventory *inv;
    struct strtab forces;
    struct force_state {
        bool has;                 /* latest is set */
        int64_t latest;           /* the latest event of the force */
        uint64_t seen[RT__COUNT]; /* fields some record of the type has */
        uint64_t n[RT__COUNT];    /* records of the type */
    } * fs;                       /* per force index, alloc of them */
    size_t alloc;
    bool global_has;
    int64_t global_latest;
    int64_t now;
    uint64_t future;
    uint64_t n[RT__COUNT];
    uint64_t crime_no_incident_ref;
    /* canonical fields (bit CF index) the rules and frames of each type
     * read, and those some record of the type has; CF_LOG stands for a case log,
     * in a column or joined from an entries file */
    uint64_t want[RT__COUNT];
    struct log_entries le;
    bool le_ok;           /* le holds the current record's log */
    struct ca_error lerr; /* a log that cannot be split (not an error here) */
    uint32_t last_force;  /* force index of the last record, or UINT32_MAX */
    bool oom;
};

/*
 * The run's state of one sample (frame) besides what the result shows:
 * its frame callback, its stream in the one pass, its manifest, and the
 * rule mask of its tests.
 */
struct smp_rt {
    const struct audit_opts *o;
    struct audit_sample *s;
    const struct programme_frame *fr;
    struct audit_frame *af;   /* the frame's conditions */
    const struct record *cur; /* the record being passed (one pass) */
    int cur_in;               /* its membership */
    uint64_t *lack;           /* per declared stratum: frame records
                                  * without the field */
    uint64_t members;         /* records in the frame (one pass) */
    unsigned char *only;      /* per rule index: a rule of its tests */
    bool wanted;              /* drawn if the pass allows */
    /* the stream of the one pass */
    struct manifest m;
    struct draw_config dc;
    struct sample_stream *stream; /* NULL: draw by reading again */
    char *stream_strata;          /* the strata it was begun with */
    bool begun;
    struct ca_error err;
    /* after the draw: the drawn ids (a census checks them from the
     * inputs) */
    struct idmap ids;
    struct audit_checker *checker; /* census: open during the check pass */
    struct judge *judge;
};

/* A test as the run checks it: its rules, resolved. */
struct test_rt {
    const struct rule **rules;
    size_t nrules;
};

struct judge {
    const struct audit_opts *o;
    struct audit_result *out;
    struct run_arena *arena;
    struct test_rt *trt; /* per programme test */
    const struct programme_frame *fr;
    const struct idmap *drawn; /* the sample's drawn ids (not spares) */
    struct buf fails, errors;  /* the current test's reasons */
};

/*
 * Everything that needs every record is fed from the inventory's pass:
 * the inventory and as-of dates, each sample's frame and draw (a stream
 * per sample, stratified by the declared strata the first record of its
 * frame has) and the reconciliation.  Rows and rejects are tallied per
 * record type, so that each consumer gets the stats a pass of its own
 * type would have given.  When that cannot be vouched for (a file whose
 * type depends on the type asked for, or tallies that do not add up), or
 * a later record of a frame lacks a stratum field the first one had, the
 * stage concerned reads the inputs again as it always did: the outputs
 * are the same either way.
 */
struct type_tally {
    uint64_t accepted, rejected;
    uint64_t by_reason[RJ__COUNT];
};

struct one_pass {
    const struct audit_opts *o;
    struct inv_ctx *x;
    struct smp_rt *rt;
    size_t ns;
    struct reconcile *rc; /* NULL: reconcile by reading again */
    struct ca_error rerr; /* first error of the reconciliation */
    enum ca_status rst;
    struct type_tally tally[RT__COUNT];
};

/* Everything one call of audit_run holds between its stages. */
struct run_state {
    const struct audit_opts *o;
    struct audit_result *out;
    struct run_arena *arena; /* owned by out (out->priv) */
    struct inv_ctx x;
    struct one_pass op;
    struct audit_outstanding *outstanding;
    struct ingest_stats stats; /* of the one pass */
    bool exact;                /* its tallies stand for per-type passes */
    struct smp_rt *rt;         /* per frame */
    struct test_rt *trt;       /* per programme test */
    struct judge *judges;      /* per frame */
    struct audit_skip *skip;   /* room for every unchecked rule */
    unsigned char *used;       /* per rule index: named by a test */
    size_t ndrawn;
    struct outdir od; /* the staging directory */
    const char *dir;  /* its path */
    /* the drawn samples' findings, manifests and names, for the report */
    const char **findings, **manifests, **fsamples;
    size_t nf;
    struct bundle_file extra[1]; /* reconcile.json, when written */
    size_t nextra;
};

/* ---- the one pass (run_pass.c) ---------------------------------------- */

/* Ready x for the pass (after memset 0). */
void run_inv_start(struct inv_ctx *x);
/* The ingest callbacks of the one pass (ctx: struct one_pass). */
int run_one_record(void *ctx, const struct record *r);
void run_one_reject(void *ctx, const struct reject *rj);
/* Whether the tallies stand for per-type passes: no file whose type a
 * request would change, and every row tallied. */
bool run_one_pass_exact(const struct one_pass *p,
                        const struct ingest_stats *st);
/* The stats a pass over the inputs for type t alone would have given
 * (shallow: inputs are borrowed from all, notes left out). */
void run_type_stats(const struct one_pass *p, const struct ingest_stats *all,
                    enum record_type t, struct ingest_stats *out);
/* The as-of date of every force, by o->as_of_rule, in out->as_of. */
enum ca_status run_set_as_of(const struct audit_opts *o,
                             const struct inv_ctx *x, struct audit_result *out,
                             struct ca_error *err);
/* audit_as_of_fn over an audit_result (ctx). */
int64_t run_as_of_cb(void *ctx, const char *force);
/* A census: the drawn samples' files checked from the inputs in one
 * reading, and every checker closed. */
enum ca_status run_census(struct run_state *s, struct ca_error *err);

/* ---- the sampling stage (run_sample.c) -------------------------------- */

/* The manifest a draw of rt's frame with these strata records. */
enum ca_status run_build_manifest(const struct audit_opts *o,
                                  const struct smp_rt *rt, const char *strata,
                                  struct manifest *m, struct ca_error *err);
void run_draw_config_fill(const struct audit_opts *o, struct smp_rt *rt,
                          struct manifest *m, struct draw_config *dc);
/* Draw a sample and write its manifest and (unless a census) its CSV
 * (see run_sample.c). */
enum ca_status run_draw_sample(const struct audit_opts *o, struct smp_rt *rt,
                               bool from_pass,
                               const struct ingest_stats *tstats,
                               struct ca_error *err);
void run_sample_release(struct smp_rt *rt);
/* After the pass: which samples are drawn, with which strata; the tests
 * of the others are not run.  CA_DATA when nothing can be drawn. */
enum ca_status run_choose_samples(struct run_state *s, struct ca_error *err);
/* Every drawn sample drawn, written and (unless a census) checked. */
enum ca_status run_samples(struct run_state *s, struct ca_error *err);

/* ---- rules left out, tests and verdicts (run_judge.c) ----------------- */

uint64_t run_rule_want(const struct rule *r);
uint64_t run_frame_want(const struct programme_frame *fr);
/* The rules the programme's tests name, as flags per rule index. */
unsigned char *run_programme_rules(const struct programme *p,
                                   const struct ruleset *rs);
int run_find_unchecked(const struct inv_ctx *x, const struct ruleset *rs,
                       const unsigned char *used, struct audit_result *out);
/* audit_judged_fn (ctx: struct judge). */
int run_judged(void *ctx, const struct record *r, const struct audit_verdict *v,
               size_t nv);
enum ca_status run_set_tests(const struct audit_opts *o,
                             struct audit_result *out, struct run_arena *arena,
                             struct test_rt *trt, struct ca_error *err);
enum ca_status run_set_skips(const struct audit_opts *o,
                             const struct inv_ctx *x, struct audit_result *out,
                             struct run_arena *arena, const struct test_rt *trt,
                             struct ca_error *err);
size_t run_sample_skips(const struct audit_result *out,
                        const struct ruleset *rs, enum record_type t,
                        struct audit_skip *skip);
/* Check sample i after its draw (a census's checker is only opened). */
enum ca_status run_check_sample(struct run_state *s, size_t i,
                                struct ca_error *err);

/* ---- the output stage (run_output.c) ---------------------------------- */

/* Write j (a new reference, consumed; NULL means out of memory) as
 * indented JSON to path. */
enum ca_status run_write_json(const char *path, json_t *j,
                              struct ca_error *err);
/* The counts, the report parameters and the report job. */
enum ca_status run_report(struct run_state *s, struct ca_error *err);
/* Every file written: the result names them where they will be, and the
 * directory goes in place. */
enum ca_status run_finish(struct run_state *s, struct ca_error *err);

#endif
