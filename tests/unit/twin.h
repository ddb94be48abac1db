/* SPDX-License-Identifier: MIT */
/*
 * Twin runs of the engine for the tests that compare a fast path with the
 * plain one: every record is judged by two scratches (one with a limit
 * that turns the path off) and their findings written apart, to be
 * compared byte for byte.  Header-only (static inline), as tmpdir.h.
 */
#ifndef CA_TEST_TWIN_H
#define CA_TEST_TWIN_H

#include <stdint.h>

#include "engine/engine.h"
#include "engine/findings.h"

struct twin {
    const struct ruleset *rs;
    struct engine_params params;
    struct engine_scratch *on, *off;
    struct findings_writer won, woff;
    uint64_t records;
};

static inline int twin_verdict(void *ctx, const struct record *r,
                               const struct engine_verdict *v)
{
    findings_write(ctx, r, v);
    return 0;
}

static inline int twin_rec(void *ctx, const struct record *r)
{
    struct twin *t = ctx;

    engine_eval(t->rs, r, &t->params, t->on, twin_verdict, &t->won);
    engine_eval(t->rs, r, &t->params, t->off, twin_verdict, &t->woff);
    t->records++;
    return 0;
}

#endif
