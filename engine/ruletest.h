/* SPDX-License-Identifier: MIT */
/*
 * Rule regression tests against labelled fixtures (behind `caseaudit
 * test`).  A fixture is a CSV export with an extra `expect` column of
 * space-separated labels:
 *   ruleid:ID      the rule must flag the row (verdict fail)
 *   ok:ID          the rule must not flag it (pass, or does not apply)
 *   todoruleid:ID  should flag, known not to yet (reported, not a failure)
 *   todook:ID      should not flag, known to yet (reported, not a failure)
 *   ok:*           no rule may flag the row or give an error (baselines)
 * An optional `as_of` column sets the date open files are judged at;
 * without it a row is judged as of its latest date (fields and log), so
 * fixtures never depend on the day they run.
 *
 * The run fails on a non-todo miss, an error verdict where a label
 * expects an answer, a label naming an unknown rule, a bad label, a
 * rejected fixture row, a `test` or `stable` rule without any fixture
 * label, and when no labelled check ran at all.
 *
 * Ownership: struct ruletest borrows the rule set (which must outlive
 * it) and owns everything else; ruletest_free releases it.
 */
#ifndef CA_RULETEST_H
#define CA_RULETEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"
#include "engine/rules.h"
#include "ingest/record.h"

enum label_kind { LB_RULEID = 0, LB_OK, LB_TODORULEID, LB_TODOOK };

enum case_result {
    CR_OK = 0,     /* as labelled */
    CR_MISS,       /* a non-todo label not met: a failure */
    CR_TODO,       /* a todo label still not met: reported only */
    CR_TODO_FIXED, /* a todo label now met: promote it */
    CR_PROBLEM     /* not a rule check: bad label, rejected row...: a failure */
};

struct ruletest_case {
    char *source; /* fixture file */
    unsigned long line;
    char *id;                /* record id, or NULL */
    const struct rule *rule; /* NULL for problems */
    enum label_kind label;
    bool applied; /* the rule gave a verdict */
    enum verdict got;
    enum case_result result;
    char *detail; /* message shown for misses and problems */
    char *log;    /* folded start of the row's log (misses) */
};

struct ruletest_stat {
    uint64_t tp, fn, tn, fp; /* non-todo labels */
    uint64_t todo, todo_fixed;
    uint64_t errors; /* error verdicts on labelled rows */
    uint64_t labels; /* labels naming this rule, todo included */
};

struct ruletest;

/* Returns NULL when out of memory. */
struct ruletest *ruletest_new(const struct ruleset *rs);
void ruletest_free(struct ruletest *t);

/* Evaluate one fixture row and check its labels.  Returns CA_OK, or
 * CA_SYSTEM when out of memory. */
enum ca_status ruletest_add_record(struct ruletest *t, const struct record *r);

/* Record a problem that makes the run fail (source may be NULL). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void ruletest_add_problem(struct ruletest *t, const char *source, unsigned long line,
                          const char *fmt, ...);

/*
 * A label naming a rule of others (borrowed; may be NULL) that is not in
 * the set tested is left out: not checked, not reported, counted by
 * ruletest_left_out.  For a run over some of the rules the fixtures label
 * (others: every rule they may name, e.g. the shipped set); a label naming
 * a rule of neither set is still an unknown-rule failure.  Call before the
 * first row.
 */
void ruletest_leave_out(struct ruletest *t, const struct ruleset *others);
uint64_t ruletest_left_out(const struct ruletest *t);

/* After the last row: rules without fixtures, nothing ran. */
void ruletest_finish(struct ruletest *t);

bool ruletest_failed(const struct ruletest *t);
size_t ruletest_ncases(const struct ruletest *t);
const struct ruletest_case *ruletest_case_at(const struct ruletest *t,
                                             size_t i);
const struct ruletest_stat *ruletest_stat_of(const struct ruletest *t,
                                             size_t rule_index);
uint64_t ruletest_rows(const struct ruletest *t);

/* The per-rule table and the failing rows, for a terminal. */
void ruletest_write_text(const struct ruletest *t, FILE *fp);
/* TAP version 13: one test point per labelled check and per problem. */
void ruletest_write_tap(const struct ruletest *t, FILE *fp);
/* JUnit XML as GitLab reads it: one testsuite per rule (and one for
 * fixture problems), one testcase per label. */
void ruletest_write_junit(const struct ruletest *t, FILE *fp);

const char *label_kind_name(enum label_kind k);

#endif
