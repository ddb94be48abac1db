/* SPDX-License-Identifier: MIT */
/*
 * The layout shared by the four style tables of the phrase bank
 * (phrases_<style>.c): each style file defines one static array of
 * phrasings per class, named as below, and builds its table with
 *
 *     const struct phrase_set phrases_<style>[PH__COUNT] = {
 *         PHRASE_CLASSES(PHRASE_TABLE_ENTRY)};
 *
 * so that every style names the same arrays for the same classes.  Only
 * the style files include this header.
 */
#ifndef CA_SYNTH_PHRASES_TABLE_H
#define CA_SYNTH_PHRASES_TABLE_H

#include "synth/phrases.h"

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

#endif
