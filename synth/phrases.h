/* SPDX-License-Identifier: MIT */
/*
 * The phrase bank of the synthetic case logs: for each kind of log entry
 * (a recording, an investigative action, a supervisory review, a near miss
 * that only looks like one, ...) many phrasings of the same act, with the
 * abbreviations, collar numbers, negations and typos of real logs, so that
 * rules measured against generated data cannot be tuned to one sentence.
 *
 * A phrase may hold placeholders in braces, filled in by the generator:
 * {off} offence, {cad} command-and-control ref, {addr} address, {vrm}
 * vehicle registration, {exh} exhibit ref, {shop} premises, {station}
 * police station, {date} next review date, {bail} bail return date,
 * {person} person ref, {crime} crime ref, {pnc} PNC ref, {oic} officer in
 * the case, {ofc} another officer, {n} a small number, {myrank} the
 * rank of the entry's author ("Sgt review" by a sergeant).
 *
 * What each class means is part of the truth of generated data (see
 * docs/gen.md): e.g. PH_REVIEW entries are supervisory reviews when written
 * by a supervisor, PH_REVIEW_NEAR entries never are.
 */
#ifndef CA_SYNTH_PHRASES_H
#define CA_SYNTH_PHRASES_H

#include <stddef.h>

#include "synth/rng.h"
#include "util/buf.h"

enum phrase_class {
    /* crimes */
    PH_REPORT_CAD,      /* report received, with a CAD ref (no rank) */
    PH_REPORT_DIRECT,   /* report recorded without an incident (no rank) */
    PH_ATTEND,          /* officer attended (not an investigative action) */
    PH_RECORD,          /* crime recorded */
    PH_ALLOC,           /* allocation to an OIC (not a review) */
    PH_ACTION,          /* an investigative action performed */
    PH_NOACTION,        /* an action not performed, or a plan to act later */
    PH_PLAN,            /* an investigation plan for a named suspect */
    PH_NOPLAN,          /* mentions a plan that is not (yet) made */
    PH_ARREST,          /* suspect arrested (an investigative action) */
    PH_VA,              /* voluntary interview (action, not an arrest) */
    PH_REVIEW,          /* a review, when written by a supervisor */
    PH_REVIEW_NEAR,     /* review requested, awaited, due: never a review */
    PH_REVIEW_NEAR_SUP, /* written by a supervisor, still not a review */
    PH_SELF_REVIEW,     /* an officer's own "review": rank makes it no review */
    PH_ENDORSE,         /* supervisor's review endorsing filing */
    PH_VUPDATE,         /* victim updated */
    PH_VATTEMPT,        /* attempted or missed victim contact: no update */
    PH_SCREEN,          /* screened out (not investigated) and filed */
    PH_FILE,            /* filed after investigation */
    PH_TOLD,            /* victim told the crime will not be investigated */
    PH_TOLD_NEAR,       /* victim not (yet) told */
    PH_OUT_CHARGE,
    PH_OUT_CR,
    PH_OUT_15,
    PH_OUT_16,
    PH_OUT_TOLD, /* victim told of the outcome (an update) */
    PH_NOISE,    /* neither action, review nor update */
    PH_NOISE_VULN,
    PH_NOISE_VIOL,
    /* wanted */
    PH_W_DECIDE,
    PH_W_CIRC,   /* circulated on PNC */
    PH_TRACE,    /* a trace / locate action (also after FTA) */
    PH_NOTRACE,  /* no trace action (near miss) */
    PH_W_REVIEW, /* a wanted review, when written by a supervisor */
    PH_W_REVIEW_NEAR,
    PH_W_CLOSE_ARREST,
    PH_W_CLOSE_CANCEL,
    /* bail */
    PH_B_ARREST,
    PH_B_BAILED_NEW, /* bail granted by the custody officer (from 2022-10-28) */
    PH_B_BAILED_OLD, /* bail authorised by an inspector (before) */
    PH_B_RUI,
    PH_B_EXT_AUTH,   /* extension authorised (valid only with the rank) */
    PH_B_EXT_NOAUTH, /* bail date moved with no authorisation */
    PH_B_EXT_REQ,    /* extension requested, not authorised */
    PH_B_FTA,
    PH_B_FTA_CIRC,  /* circulated on PNC after failing to answer */
    PH_B_CIRC_NEAR, /* circulation pending: not circulated */
    PH_B_ANSWER,
    PH_B_FTA_ARREST,
    PH_B_RUI_REVIEW, /* an RUI review, when written by a supervisor */
    PH_B_RUI_NEAR,
    PH_B_RUI_CLOSE,
    PH__COUNT
};

/* Number of phrasings of class c, and the i-th (borrowed, static). */
size_t phrase_count(enum phrase_class c);
const char *phrase_get(enum phrase_class c, size_t i);
/* A phrasing of class c drawn from r. */
const char *phrase_pick(enum phrase_class c, struct rng *r);

/* Whether phrases of class c may be written without a rank and author
 * (they must then not begin like an entry header). */
int phrase_class_rankless(enum phrase_class c);

/*
 * Misspell one word of the text held in b (from offset off), as officers
 * typing fast do: "supervisory" -> "supervisiory", "review" -> "reveiw".
 * Only words whose misspelling keeps the entry's meaning are touched.
 * Returns 1 when a word was changed, 0 when none applied, -1 on memory error.
 */
int phrase_typo(struct buf *b, size_t off, struct rng *r);

/* Lists used to fill placeholders. */
extern const char *const phrase_surnames[];
extern const size_t phrase_nsurnames;
extern const char *const phrase_streets[];
extern const size_t phrase_nstreets;
extern const char *const phrase_shops[];
extern const size_t phrase_nshops;

#endif
