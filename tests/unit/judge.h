/* SPDX-License-Identifier: MIT */
/*
 * Judge a crime log under one rule of a loaded rule set: the verdict and
 * message, for the unit tests of the context lexicon (test_context.c,
 * test_lexwide.c).  The record is recorded 2023-01-01 and judged as of
 * 2023-06-01.  Header-only (static inline), as trec.h: each
 * tests/unit/test_*.c is a program of its own.  Include after cmocka.h.
 */
#ifndef CA_TEST_JUDGE_H
#define CA_TEST_JUDGE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/rules.h"
#include "ingest/record.h"

struct verdict_got {
    const char *rule;
    bool seen;
    enum verdict v;
    char msg[1200];
};

static inline int judge_collect(void *ctx, const struct record *r,
                                const struct engine_verdict *v)
{
    struct verdict_got *g = ctx;

    (void)r;
    if (strcmp(rule_id(v->rule), g->rule) != 0)
        return 0;
    g->seen = true;
    g->v = v->verdict;
    snprintf(g->msg, sizeof(g->msg), "%s", v->message);
    return 0;
}

/* Judge log (one or more entries) under rule id of rs. */
static inline struct verdict_got judge_log(const struct ruleset *rs,
                                           const char *id, const char *log)
{
    static const char *names[] = {"crime_ref", "recorded_at", "log"};
    const char *values[3] = {"C1", "2023-01-01", log};
    size_t lens[3] = {2, 10, strlen(log)};
    struct record r;
    struct verdict_got g;
    struct engine_params p = {date_days_from_civil(2023, 6, 1) * 86400};
    struct engine_scratch *s = engine_scratch_new(NULL);
    size_t i;

    memset(&r, 0, sizeof(r));
    memset(&g, 0, sizeof(g));
    g.rule = id;
    r.type = RT_CRIME;
    r.source = "t.csv";
    r.line = 2;
    r.force = "f";
    r.id = "C1";
    for (i = 0; i < CF__COUNT; i++)
        r.canon[i] = -1;
    r.canon[CF_CRIME_REF] = 0;
    r.canon[CF_RECORDED_AT] = 1;
    r.canon[CF_LOG] = 2;
    r.ncols = 3;
    r.names = names;
    r.values = values;
    r.lens = lens;
    assert_non_null(s);
    assert_int_equal(engine_eval(rs, &r, &p, s, judge_collect, &g), CA_OK);
    engine_scratch_free(s);
    assert_true(g.seen);
    return g;
}

#endif
