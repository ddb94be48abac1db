/* SPDX-License-Identifier: MIT */
/*
 * Private to synth/: the generator's state and the helpers its record
 * writers share.  gen.c holds the model (forces, offences, profiles,
 * calendar, officers), crimes and incidents; cases.c wanted persons and
 * bail; log.c writes a record's case-log entries in the record's style.
 * Nothing outside synth/ includes this header.
 *
 * Every record is written between model_record_begin() and the fields
 * (model_field...): log entries are added in any order, sorted and joined
 * by model_assemble_log().  Two random streams serve each record: the
 * caller's (its timeline and truth) and g->wording (phrasings, placeholders,
 * typos), so that the style of a record never changes its timeline.
 */
#ifndef CA_SYNTH_MODEL_H
#define CA_SYNTH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "synth/gen.h"
#include "synth/phrases.h"
#include "synth/rng.h"
#include "util/buf.h"

#define DAY ((int64_t)SYNTH_MINUTES_PER_DAY)
#define HOUR ((int64_t)60)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Stream identifiers: each record type and purpose draws its own numbers. */
enum {
    ST_INCIDENT_TIME = 1,
    ST_CRIME_HDR,
    ST_CRIME,
    ST_INCIDENT,
    ST_WANTED,
    ST_BAIL,
    ST_OFFICER,
    ST_WORDING,
    ST_STYLE
};

struct offence {
    const char *name;
    unsigned group;
    unsigned weight;    /* per mille of all crimes */
    unsigned named_pm;  /* named suspect */
    unsigned attend_pm; /* attended */
    const char *category;
};

/* The offence classifications (gen.c). */
extern const struct offence model_offences[];

/*
 * A force's practice, as rates per mille.  Two-element rates are indexed
 * by stratum: [attended] (0 = not attended) or [enhanced victim].
 */
struct profile {
    const char *name;
    unsigned direct, unmatched_inc, unmatched_crime;
    int attend_adj;
    unsigned late_rec[2], screen[2], no_action[2];
    unsigned no_review7, no_endorse;
    unsigned no_update[2], not_told[2];
    unsigned no_plan;
    unsigned late_circ, trace_gap, w_no_review;
    unsigned fta, fta_not_circ, fta_not_traced, ext_not_auth, rui_not_reviewed;
    /* the inspection's questions */
    unsigned no_suspect_action, fta_late_trace, bail_no_sup;
};

/* Officer pool per force, by rank class (gen.c). */
extern const unsigned model_pool_size[];

struct force {
    char slug[64];
    char code[16];
    uint64_t n[SYNTH__KINDS];
    const struct profile *p;
    bool alnum_collars;
    unsigned ndiv, div0;
    /* first incident index of a day, cached (streaming asks in order) */
    int64_t cache_day[2];
    uint64_t cache_first[2];
};

struct ent {
    int64_t at;
    uint32_t seq;
    size_t off, len;
    int cls;
    enum synth_rank rank;
};

/* What placeholders expand to in the current record. */
struct ctx {
    unsigned f;
    const char *offence;
    char cad[40];
    char crime[40];
    char person[40];
    char bail[12];
    uint64_t oic;
};

struct synth {
    uint64_t seed64;
    int64_t t0, tend, asof, span, wb_offset;
    unsigned nforces;
    struct force *forces;
    enum synth_style style; /* as asked (SYNTH_STYLE_MIX: drawn per record) */

    struct rng wording;         /* the current record's wording stream */
    enum synth_style rec_style; /* the current record's style */
    struct buf arena;           /* entry texts of the current record */
    struct ent *ent;
    size_t nent, aent;
    struct synth_entry *pub;
    size_t apub;
    int64_t *pts; /* gap machine output */
    size_t apts;
    struct buf log; /* the assembled log */
    struct buf row; /* field values, NUL-separated */
    size_t off[17];
    size_t nf;
    char author_rank[8]; /* rank word of the entry being written */
    bool oom;
};

struct crime_hdr {
    int64_t reported;
    uint64_t inc_k;
    unsigned offence;
    bool attended, direct, unmatched, vulnerable, repeat, named, arrested;
    int64_t attend_delay;
    uint64_t oic;
};

static inline int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static inline int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* ---- gen.c ---------------------------------------------------------- */

int64_t model_floor_div(int64_t a, int64_t b);
/* "YYYY-MM-DD" of minute t (out holds 11 bytes). */
void model_format_date(int64_t t, char out[11]);

/* What other records need to know of crime i (drawn from its own stream). */
void model_crime_header(const struct synth *g, unsigned f, uint64_t i,
                        struct crime_hdr *h);
/* The crime reference "NS-22-000123" of the seq-th crime, reported at t. */
void model_crime_ref(const struct force *fo, uint64_t seq, int64_t t, char *out,
                     size_t size);
/* A person reference of force fo: its code, "-P" and seven digits. */
void model_person_ref(const struct force *fo, struct rng *r, char *out,
                      size_t size);
/* "RANK COLLAR NAME" of officer o of rank class rk in force f. */
void model_officer(const struct synth *g, unsigned f, enum synth_rank rk,
                   uint64_t o, char *out, size_t size);
/* A supervisory rank class: mostly sergeants, some inspectors. */
enum synth_rank model_supervisor(struct rng *r);

/* A time in [lo, hi], clamped below the as-of time. */
int64_t model_when(const struct synth *g, struct rng *r, int64_t lo,
                   int64_t hi);
/* The delay before a step with a 24-hour standard (see gen.c). */
int64_t model_delay_24h(struct rng *r, bool late, int64_t min_on_time);
/*
 * Activity times strictly inside (s, e) for a "no gap over gmax" question,
 * left in g->pts; returns their number and tells in *failed whether a gap
 * over gmax was realised (see gen.c).
 */
size_t model_gap_points(struct synth *g, struct rng *r, int64_t s, int64_t e,
                        int64_t gmax, int64_t lo, bool fail, bool *failed);

/* The record's fields, in column order. */
void model_field(struct synth *g, const char *s);
void model_field_time(struct synth *g, int64_t t); /* empty when t < 0 */
void model_field_flag(struct synth *g, bool v);    /* "Y" or "N" */
void model_fieldf(struct synth *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- log.c ---------------------------------------------------------- */

/* Start record `index` of kind k in force f: empty entries and fields,
 * the record's wording stream seeded and its style chosen. */
void model_record_begin(struct synth *g, enum synth_kind k, unsigned f,
                        uint64_t index);
/* Add an entry at time `at` of class c, by an officer of rank rk (who is a
 * pool index, or UINT64_MAX for an officer of that rank drawn from r), in
 * a phrasing of the record's style. */
void model_add_entry(struct synth *g, struct rng *r, const struct ctx *cx,
                     int64_t at, enum phrase_class c, enum synth_rank rk,
                     uint64_t who);
/* Whether the record has an entry of class c by rank min or above. */
bool model_has_entry(const struct synth *g, enum phrase_class c,
                     enum synth_rank min);
/* Sort the entries and join them into g->log; publish them for tests. */
void model_assemble_log(struct synth *g);

/* ---- cases.c -------------------------------------------------------- */

void model_wanted(struct synth *g, unsigned f, uint64_t j,
                  struct synth_row *row);
void model_bail(struct synth *g, unsigned f, uint64_t b, struct synth_row *row);

#endif
