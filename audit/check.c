/* SPDX-License-Identifier: MIT */
/* The check stage of `caseaudit run`; see check.h. */
#include "audit/check.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/findings.h"
#include "ingest/ingest.h"
#include "util/outfile.h"

int64_t audit_midnight(int64_t secs)
{
    return cal_day_of(secs) * 86400;
}

struct check_ctx {
    const struct ruleset *rs;
    const struct audit_skip *skip;
    size_t nskip;
    audit_as_of_fn as_of;
    void *as_of_ctx;
    struct engine_scratch *scratch;
    struct findings_writer fw;
    struct audit_check_counts n;
    bool error; /* the current record has an error verdict */
};

static int on_verdict(void *ctx, const struct record *r,
                      const struct engine_verdict *v)
{
    struct check_ctx *c = ctx;
    size_t i;

    for (i = 0; i < c->nskip; i++)
        if (c->skip[i].rule == v->rule &&
            (!c->skip[i].force || strcmp(c->skip[i].force, r->force) == 0))
            return 0; /* left out of the check: not written, not counted */
    findings_write(&c->fw, r, v);
    if (v->verdict == V_ERROR)
        c->error = true;
    return 0;
}

static int on_record(void *ctx, const struct record *r)
{
    struct check_ctx *c = ctx;
    struct engine_params p;

    memset(&p, 0, sizeof(p));
    p.as_of = c->as_of(c->as_of_ctx, r->force);
    c->error = false;
    engine_eval(c->rs, r, &p, c->scratch, on_verdict, c);
    c->n.records++;
    c->n.error_files += c->error;
    return 0;
}

enum ca_status
audit_check_sample(const struct ruleset *rs, const struct audit_skip *skip,
                   size_t nskip, const char *sample_csv, enum record_type t,
                   const char *findings_path, audit_as_of_fn as_of, void *ctx,
                   struct audit_check_counts *counts, struct ca_error *err)
{
    struct check_ctx c;
    struct ingest_opts io;
    struct ingest_stats stats;
    struct outfile of;
    const char *paths[1];
    enum ca_status st;

    memset(&c, 0, sizeof(c));
    memset(&stats, 0, sizeof(stats));
    memset(counts, 0, sizeof(*counts));
    c.rs = rs;
    c.skip = skip;
    c.nskip = nskip;
    c.as_of = as_of;
    c.as_of_ctx = ctx;
    c.scratch = engine_scratch_new(NULL);
    if (!c.scratch)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    st = outfile_open(&of, findings_path, err);
    if (st != CA_OK)
        goto out;
    findings_writer_init(&c.fw, of.fp, FF_CSV, true);
    ingest_opts_init(&io);
    io.type = t;
    paths[0] = sample_csv;
    st = ingest_run(paths, 1, &io, on_record, NULL, &c, &stats, err);
    if (st == CA_OK && stats.rows_rejected)
        st = ca_error_set(err, CA_DATA, sample_csv, 0, NULL,
                          "%" PRIu64 " rows of the sample could not be read "
                          "back",
                          stats.rows_rejected);
    if (st == CA_OK && findings_writer_finish(&c.fw) != 0)
        st = ca_error_set(err, CA_SYSTEM, findings_path, 0, NULL,
                          "unable to write: %s", strerror(errno));
    if (st != CA_OK) {
        outfile_abort(&of);
        goto out;
    }
    c.n.rows = c.fw.rows;
    *counts = c.n;
    st = outfile_commit(&of, err);
out:
    ingest_stats_release(&stats);
    engine_scratch_free(c.scratch);
    return st;
}
