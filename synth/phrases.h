/* SPDX-License-Identifier: MIT */
/*
 * The phrase bank of the synthetic case logs: for each kind of log entry
 * (a recording, an investigative action, a supervisory review, a near miss
 * that only looks like one, ...) many phrasings of the same act, in each of
 * four styles as officers write them (see enum synth_style): terse and
 * abbreviated (phrases_terse.c), pasted forms and templates
 * (phrases_template.c), full sentences (phrases_narrative.c), and quick
 * entries with misspellings (phrases_typo.c).  The phrasings were written
 * from the meaning of each class and of the inspection's questions
 * (docs/questions.md), not from any rule, so that rules measured against
 * generated data are measured on wording they were not built from.
 *
 * A phrase may hold placeholders in braces, filled in by the generator:
 * {off} offence, {cad} command-and-control ref, {addr} address, {street}
 * a street, {vrm} vehicle registration, {exh} exhibit ref, {shop} premises,
 * {station} police station, {date} a date 28 days on (YYYY-MM-DD), {ddmm}
 * a date a few days on (DD/MM), {day} a weekday, {time} a time of day,
 * {bail} bail return date, {person} person ref, {crime} crime ref, {pnc}
 * PNC ref, {oic} officer in the case, {ofc} another constable, {sgt} a
 * sergeant, {insp} an inspector, {sname} a surname, {n} a small number,
 * {myrank} the rank of the entry's author ("Sgt review" by a sergeant).
 * A line after the first (a pasted form) never starts with a placeholder
 * or with two digits, so that it never reads as an entry header.
 *
 * What each class means is part of the truth of generated data (see
 * docs/gen.md): e.g. PH_REVIEW entries are supervisory reviews when written
 * by a supervisor, PH_REVIEW_NEAR entries never are.  Every phrasing of a
 * class, in every style, must mean what the class means.
 */
#ifndef CA_SYNTH_PHRASES_H
#define CA_SYNTH_PHRASES_H

#include <stddef.h>

#include "synth/gen.h"
#include "synth/rng.h"
#include "util/buf.h"

enum phrase_class {
    /* crimes */
    PH_REPORT_CAD,    /* report received, with a CAD ref (no rank) */
    PH_REPORT_DIRECT, /* report recorded without an incident (no rank) */
    PH_ATTEND,        /* officer attended, victim seen, account taken: not
                       * an investigative action */
    PH_RECORD,        /* crime recorded */
    PH_ALLOC,         /* allocation or transfer only (not a review, even by
                       * a sergeant) */
    PH_ACTION,        /* an investigative action performed (a negative result
                       * included), never directed at a named suspect */
    PH_NOACTION,      /* an action not performed: negated, intended, pending,
                       * planned, counterfactual, or no line of enquiry */
    PH_PLAN,          /* an investigation plan for a named suspect */
    PH_NOPLAN,        /* mentions a plan that is not (yet) made */
    PH_ARREST,        /* suspect arrested (an investigative action) */
    PH_VA,            /* voluntary interview (action, not an arrest) */
    PH_SUSPECT,       /* an act done towards locating, arresting or interviewing
                 * the named suspect (an address visit, checks on them,
                 * a voluntary attendance invitation sent, an interview
                 * arranged), without arrest or interview */
    PH_SUSPECT_NEAR,  /* such an act intended, pending or not done */
    PH_REVIEW,        /* a review, when written by a supervisor: assesses,
                         * agrees, sets or directs actions */
    PH_REVIEW_NEAR,   /* a constable's entry that mentions a supervisor or
                         * a review (requested, awaited, "sgt aware"): never
                         * a review */
    PH_REVIEW_NEAR_SUP, /* written by a supervisor, still not a review: an
                         * empty template, a review due, a fact recorded */
    PH_SELF_REVIEW,     /* an officer's own "review": rank makes it no review */
    PH_STAFF_QA,        /* police staff quality check: not a supervisor */
    PH_ENDORSE,         /* supervisor's review endorsing filing */
    PH_VUPDATE,         /* victim updated (nothing else) */
    PH_VATTEMPT,        /* attempted or missed victim contact: no update */
    PH_SCREEN,          /* screened out (not investigated) and filed */
    PH_FILE,            /* filed after investigation */
    PH_TOLD,            /* victim told the crime will not be investigated */
    PH_TOLD_NEAR,       /* victim not (yet) told */
    PH_OUT_CHARGE,      /* (arrested suspects only) */
    PH_OUT_CR,          /* (arrested suspects only) */
    PH_OUT_15,          /* mentions no arrest, interview or statement */
    PH_OUT_16,          /* likewise */
    PH_OUT_TOLD,        /* victim told of the outcome (an update) */
    PH_NOISE,           /* neither action, review nor update */
    PH_NOISE_VULN,
    PH_NOISE_VIOL,
    /* wanted */
    PH_W_DECIDE, /* decision to circulate: not a circulation, not a trace */
    PH_W_CIRC,   /* circulated on PNC */
    PH_TRACE,    /* a trace / locate action done (also after FTA) */
    PH_NOTRACE,  /* no trace action (near miss) */
    PH_W_REVIEW, /* a wanted review, when written by a supervisor */
    PH_W_REVIEW_NEAR,
    PH_W_CLOSE_ARREST,
    PH_W_CLOSE_CANCEL,
    /* bail */
    PH_B_ARREST,
    PH_B_BAILED_NEW,  /* bail authorised by the custody officer (written by
                       * that sergeant; from 2022-10-28) */
    PH_B_BAILED_OLD,  /* bail authorised by an inspector (before) */
    PH_B_BAILED_NOTE, /* a constable notes that bail was given */
    PH_B_RUI,         /* a constable records a release under investigation */
    PH_B_RUI_AUTH,    /* a supervisor authorises release under investigation */
    PH_B_EXT_AUTH,    /* extension authorised (valid only with the rank) */
    PH_B_EXT_NOAUTH,  /* bail date moved with no authorisation */
    PH_B_EXT_REQ,     /* extension requested, not authorised */
    PH_B_FTA,         /* failed to answer bail: a fact, whoever writes it */
    PH_B_FTA_CIRC,    /* circulated on PNC after failing to answer */
    PH_B_CIRC_NEAR,   /* circulation pending: not circulated */
    PH_B_ANSWER,      /* answered bail: a fact, deciding nothing */
    PH_B_FTA_ARREST,  /* located and arrested after failing to answer */
    PH_B_FTA_SURRENDER, /* handed himself in and was arrested: no trace */
    PH_B_RUI_REVIEW,    /* an RUI review, when written by a supervisor */
    PH_B_RUI_NEAR,
    PH__COUNT
};

/* The phrasings of one class in one style (static tables). */
struct phrase_set {
    const char *const *v;
    size_t n;
};

#define PHRASE_SET(a)                                                          \
    {                                                                          \
        a, sizeof(a) / sizeof((a)[0])                                          \
    }

/* The layout the four style tables share: each style file defines one
 * static array of phrasings per class, named as below, and builds its
 * table with PHRASE_CLASSES(PHRASE_TABLE_ENTRY), so that every style names
 * the same arrays for the same classes. */
/* X(class, array) for every enum phrase_class value, in enum order. */
/* clang-format off */
#define PHRASE_CLASSES(X)                                                      \
    X(PH_REPORT_CAD, report_cad)                                               \
    X(PH_REPORT_DIRECT, report_direct)                                         \
    X(PH_ATTEND, attend)                                                       \
    X(PH_RECORD, record)                                                       \
    X(PH_ALLOC, alloc)                                                         \
    X(PH_ACTION, action)                                                       \
    X(PH_NOACTION, noaction)                                                   \
    X(PH_PLAN, plan)                                                           \
    X(PH_NOPLAN, noplan)                                                       \
    X(PH_ARREST, arrest)                                                       \
    X(PH_VA, va)                                                               \
    X(PH_SUSPECT, suspect)                                                     \
    X(PH_SUSPECT_NEAR, suspect_near)                                           \
    X(PH_REVIEW, review)                                                       \
    X(PH_REVIEW_NEAR, review_near)                                             \
    X(PH_REVIEW_NEAR_SUP, review_near_sup)                                     \
    X(PH_SELF_REVIEW, self_review)                                             \
    X(PH_STAFF_QA, staff_qa)                                                   \
    X(PH_ENDORSE, endorse)                                                     \
    X(PH_VUPDATE, vupdate)                                                     \
    X(PH_VATTEMPT, vattempt)                                                   \
    X(PH_SCREEN, screen)                                                       \
    X(PH_FILE, file)                                                           \
    X(PH_TOLD, told)                                                           \
    X(PH_TOLD_NEAR, told_near)                                                 \
    X(PH_OUT_CHARGE, out_charge)                                               \
    X(PH_OUT_CR, out_cr)                                                       \
    X(PH_OUT_15, out_15)                                                       \
    X(PH_OUT_16, out_16)                                                       \
    X(PH_OUT_TOLD, out_told)                                                   \
    X(PH_NOISE, noise)                                                         \
    X(PH_NOISE_VULN, noise_vuln)                                               \
    X(PH_NOISE_VIOL, noise_viol)                                               \
    X(PH_W_DECIDE, w_decide)                                                   \
    X(PH_W_CIRC, w_circ)                                                       \
    X(PH_TRACE, trace)                                                         \
    X(PH_NOTRACE, notrace)                                                     \
    X(PH_W_REVIEW, w_review)                                                   \
    X(PH_W_REVIEW_NEAR, w_review_near)                                         \
    X(PH_W_CLOSE_ARREST, w_close_arrest)                                       \
    X(PH_W_CLOSE_CANCEL, w_close_cancel)                                       \
    X(PH_B_ARREST, b_arrest)                                                   \
    X(PH_B_BAILED_NEW, b_bailed_new)                                           \
    X(PH_B_BAILED_OLD, b_bailed_old)                                           \
    X(PH_B_BAILED_NOTE, b_bailed_note)                                         \
    X(PH_B_RUI, b_rui)                                                         \
    X(PH_B_RUI_AUTH, b_rui_auth)                                               \
    X(PH_B_EXT_AUTH, b_ext_auth)                                               \
    X(PH_B_EXT_NOAUTH, b_ext_noauth)                                           \
    X(PH_B_EXT_REQ, b_ext_req)                                                 \
    X(PH_B_FTA, b_fta)                                                         \
    X(PH_B_FTA_CIRC, b_fta_circ)                                               \
    X(PH_B_CIRC_NEAR, b_circ_near)                                             \
    X(PH_B_ANSWER, b_answer)                                                   \
    X(PH_B_FTA_ARREST, b_fta_arrest)                                           \
    X(PH_B_FTA_SURRENDER, b_fta_surrender)                                     \
    X(PH_B_RUI_REVIEW, b_rui_review)                                           \
    X(PH_B_RUI_NEAR, b_rui_near)
/* clang-format on */

/* One designated initialiser of a style table. */
#define PHRASE_TABLE_ENTRY(cls, arr) [cls] = PHRASE_SET(arr),

/* Each style's table, indexed by enum phrase_class. */
extern const struct phrase_set phrases_terse[PH__COUNT];
extern const struct phrase_set phrases_template[PH__COUNT];
extern const struct phrase_set phrases_narrative[PH__COUNT];
extern const struct phrase_set phrases_typo[PH__COUNT];

/* Number of phrasings of class c in style s (a single style, not the mix),
 * and the i-th (borrowed, static; "" when out of range). */
size_t phrase_count(enum synth_style s, enum phrase_class c);
const char *phrase_get(enum synth_style s, enum phrase_class c, size_t i);
/* A phrasing of class c in style s drawn from r. */
const char *phrase_pick(enum synth_style s, enum phrase_class c, struct rng *r);

/* Whether phrases of class c may be written without a rank and author
 * (they must then not begin like an entry header). */
int phrase_class_rankless(enum phrase_class c);

/* Chance per mille that an entry of style s gets a typo (phrase_typo). */
unsigned phrase_typo_permille(enum synth_style s);

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
