/* SPDX-License-Identifier: MIT */
/*
 * The check kinds (engine/checks.c) and what they are built from in
 * engine/eval.c: the context of one rule judged on one record, matching,
 * evidence, verdicts and dates.  Private to those two files.
 */
#ifndef CASEAUDIT_ENGINE_CHECKS_H
#define CASEAUDIT_ENGINE_CHECKS_H

#include "engine/internal.h"

/* A date field of a record: present and valid, empty, bad, or absent. */
enum fstate { F_OK = 0, F_EMPTY, F_BAD, F_ABSENT };

/* One rule judged on one record. */
struct ctx {
    const struct rule *ru;
    const struct record *r; /* NULL in example mode */
    const struct log_entry *e;
    size_t ne;
    const struct engine_params *p;
    struct engine_scratch *s;
    struct engine_verdict *v;
    /* The caller reads why an entry does not qualify (a near miss named in
     * the message): only then is a reason that costs work to find worked
     * out (the words of a rank that does not qualify, what blocked a
     * term); otherwise *why may say NQ_NOMATCH instead. */
    bool want_why;
    /* With want_why, an entry whose author does not qualify is left
     * NQ_RANK_UNSURE: whether its words are there is worked out later
     * (eval_any_concept_hit), and only when it is needed. */
    bool defer_rank;
};

/* Why an entry that matched does not qualify (NQ_NOMATCH: it did not). */
enum nq {
    NQ_NOMATCH = 0,
    NQ_EXCLUDED,
    NQ_NEGATED,
    NQ_RANK,
    NQ_WINDOW,
    NQ_BLOCKED,    /* a concept's term in the scope of a modifier */
    NQ_RANK_UNSURE /* the author does not qualify; NQ_RANK when the words
                    * are there (c->defer_rank) */
};

/* ---- engine/eval.c ---- */

/* Put an error verdict; returns true (the rule applies). */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
bool
eval_error(struct ctx *c, const char *fmt, ...);
int eval_qualifies(struct ctx *c, const struct entry_spec *sp,
                   const struct log_entry *e, size_t *pos, enum nq *why);
int eval_qualifies_one(struct ctx *c, const struct entry_spec *sp,
                       const struct log_entry *e, size_t *pos, enum nq *why);
/* Whether e holds a term of one of sp's concepts (context aside). */
bool eval_any_concept_hit(struct ctx *c, const struct entry_spec *sp,
                          const struct log_entry *e);
/* PCRE2 on subj[0, len) from start with match context mctx: 1 with the
 * match in *ms, *me (either may be NULL), 0 none, -1 error (an error
 * verdict naming key and part, and where, put).  checked: subj is known
 * to be valid UTF-8. */
int eval_pmatch_in(struct ctx *c, pcre2_match_context *mctx,
                   const struct pattern *p, const char *key, const char *part,
                   const char *subj, size_t len, size_t start, bool checked,
                   const struct log_entry *where, size_t *ms, size_t *me);

/* ---- engine/negate.c ---- */

/* Whether a match of sp->negate overlaps the regex match [ms, me) of e's
 * text: 1 yes, 0 no, -1 error. */
int eval_negated(struct ctx *c, const struct entry_spec *sp,
                 const struct log_entry *e, size_t ms, size_t me);
void eval_set_evidence(struct ctx *c, const struct log_entry *e, size_t pos);
int eval_take_evidence(struct ctx *c, const struct entry_spec *sp,
                       const struct log_entry *e);
void eval_set_pass(struct ctx *c);
/* The white-space-folded excerpt of at most 160 characters around byte pos
 * of text[0, len) (valid UTF-8) into out (size bytes), as findings give
 * it: "..." where text is left out. */
void eval_excerpt(char *out, size_t size, const char *text, size_t len,
                  size_t pos);
/* Copy at most n bytes of s (60 at most), white space folded, into out. */
void eval_quote_text(char *out, size_t size, const char *s, size_t n);
/* Append text (a number) to the string of *n bytes in out, which has size
 * bytes: cut as snprintf would cut the whole, at size - 1 bytes.  Messages
 * written for every finding are put together so, not by snprintf. */
void eval_cat(char *out, size_t size, size_t *n, const char *text);
void eval_cat_num(char *out, size_t size, size_t *n, long long v);
/* The start of a fail message, "<the rule's message>: ", as eval_fail_msg
 * writes it into c->s->msg: its length, for eval_cat. */
size_t eval_fail_begin(struct ctx *c);

/* ---- engine/retract.c ---- */

/*
 * Whether a later mention takes back the match hit of concept k that
 * counted in entry ei: 1 (the ctx's scratch says by what, when wanted), 0
 * not, or a negative PCRE2 error code.
 */
/* engine/needs.c: the concept with needs whose words the sentence of hit
 * h at [as, ae) of e lacks (its index + 1), 0 none, or a PCRE2 error code;
 * and whether a term of k at [as, ae) is in a supervisor's entry whose
 * sentence holds none of k's supervisor_needs (1), not (0), or an error. */
long eval_needs_unsaid(struct ctx *c, const struct lx_hit *h,
                       const struct log_entry *e, size_t as, size_t ae);
int eval_sup_unsaid(struct ctx *c, const struct concept *k,
                    const struct log_entry *e, size_t as, size_t ae);

int eval_retracted(struct ctx *c, const struct concept *k, size_t ei,
                   const struct lx_hit *hit);
void eval_set_fail(struct ctx *c);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void
eval_fail_msg(struct ctx *c, const char *fmt, ...);
int64_t eval_window_end(enum win_unit u, int n, int64_t day);
int64_t eval_window_start_before(enum win_unit u, int n, int64_t day);
const char *eval_unit_name(enum win_unit u, int n);
bool eval_need_date(struct ctx *c, const struct fieldref *f, bool allow_empty,
                    int64_t *secs, bool *has_time, bool *empty);
bool eval_resolve_end(struct ctx *c, const struct fieldref *f, size_t nf,
                      int64_t start, int64_t *end, bool *has_time,
                      const char **label);
enum fstate eval_field_date(const struct record *r, const struct fieldref *f,
                            int64_t *secs, bool *has_time);
bool eval_grow_keys(struct engine_scratch *s, size_t n);

/* ---- engine/checks.c: the check kinds; true when the rule applies ---- */

bool eval_contain(struct ctx *c, bool must);
bool eval_gap(struct ctx *c);
bool eval_if_then(struct ctx *c);

#endif
