/* SPDX-License-Identifier: MIT */
/*
 * Twin runs of the engine for the tests that compare a fast path with the
 * plain one: every record is judged by two scratches (one with a limit
 * that turns the path off) and their findings written apart, to be
 * compared byte for byte.  Header-only (static inline), as tmpdir.h;
 * include it after cmocka.h.
 */
#ifndef CA_TEST_TWIN_H
#define CA_TEST_TWIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/findings.h"
#include "engine/rules.h"
#include "ingest/ingest.h"
#include "synth/gen.h"
#include "tests/unit/tmpdir.h"

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

/* The log styles of gen, one export each. */
static const char *const twin_styles[5] = {"mix", "terse", "template",
                                           "narrative", "typo"};

/* One export of 1500 records per log style, in tmpdir/PREFIX-STYLE. */
static inline void twin_style_exports(const char *prefix, char dirs[5][512])
{
    struct synth_options so;
    struct ca_error err = CA_ERROR_INIT;
    size_t i;

    for (i = 0; i < 5; i++) {
        snprintf(dirs[i], sizeof(dirs[i]), "%s/%s-%s", tmpdir, prefix,
                 twin_styles[i]);
        synth_options_init(&so);
        so.records = 1500;
        so.seed = twin_styles[i];
        assert_int_equal(synth_style_parse(twin_styles[i], &so.style), 0);
        assert_int_equal(synth_export(&so, dirs[i], false, NULL, &err), CA_OK);
    }
}

/*
 * Judge every record of the inputs with the shipped rules twice, with
 * limits on and off, and assert the two findings are the same, byte for
 * byte.  apart: one ingest run per input (generated exports' ids are
 * alike, so together they would be rejected as duplicates).  Returns the
 * records judged; the findings (malloc'd) in *out, *outlen.
 */
static inline uint64_t twin_compare(const struct engine_limits *on,
                                    const struct engine_limits *off,
                                    const char *const *inputs, size_t n,
                                    bool apart, char **out, size_t *outlen)
{
    const char *rules[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    struct ingest_opts io;
    struct ingest_stats st;
    struct twin t;
    char *boff = NULL;
    size_t loff = 0, i;
    FILE *fon, *foff;

    assert_int_equal(ruleset_load(rules, 1, NULL, &rs, &err), CA_OK);
    memset(&t, 0, sizeof(t));
    t.rs = rs;
    t.params.as_of = 1693526400; /* 2023-09-01 */
    t.on = engine_scratch_new(on);
    t.off = engine_scratch_new(off);
    *out = NULL;
    *outlen = 0;
    fon = open_memstream(out, outlen);
    foff = open_memstream(&boff, &loff);
    assert_non_null(fon);
    assert_non_null(foff);
    findings_writer_init(&t.won, fon, FF_CSV, true);
    findings_writer_init(&t.woff, foff, FF_CSV, true);
    for (i = 0; i < (apart ? n : 1); i++) {
        ingest_opts_init(&io);
        assert_int_equal(ingest_run(inputs + (apart ? i : 0), apart ? 1 : n,
                                    &io, twin_rec, NULL, &t, &st, &err),
                         CA_OK);
        ingest_stats_release(&st);
    }
    fclose(fon);
    fclose(foff);
    assert_int_equal(*outlen, loff);
    assert_memory_equal(*out, boff, loff);
    free(boff);
    engine_scratch_free(t.on);
    engine_scratch_free(t.off);
    ruleset_free(rs);
    return t.records;
}

#endif
