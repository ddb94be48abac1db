/* SPDX-License-Identifier: MIT */
/* Unit tests for the ordered parallel pipeline (engine/parallel.c) and the
 * record batches under it (ingest/recbatch.c): copies that outlive their
 * ingest run (a profile's own entry-header regex, entries joined from an
 * entries file, column names changing from file to file), findings
 * byte-identical to one thread for any number of workers and any batch
 * size, verdicts in output order, and clean stops on a write error or a
 * pipeline freed half way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/findings.h"
#include "engine/parallel.h"
#include "engine/rules.h"
#include "ingest/ingest.h"
#include "ingest/recbatch.h"
#include "util/buf.h"
#include "tests/unit/tmpdir.h"

/* Everything a record holds that evaluation reads, as one string. */
static void signature(const struct record *r, struct buf *b)
{
    struct log_entries le;
    struct ca_error err = CA_ERROR_INIT;
    size_t i;

    buf_printf(b, "%s|%s|%lu|%s|%s|%d|", record_type_name(r->type),
               r->source ? r->source : "(null)", r->line, r->force, r->id,
               (int)r->ncols);
    for (i = 0; i < r->ncols; i++) {
        buf_printf(b, "%s=", r->names[i] ? r->names[i] : "(null)");
        buf_add(b, r->values[i], r->lens[i]);
        buf_addch(b, ';');
    }
    for (i = 0; i < CF__COUNT; i++)
        buf_printf(b, "%d/%lld/%d/%d,", r->canon[i], (long long)r->at[i],
                   r->at_state[i], (int)r->at_has_time[i]);
    log_entries_init(&le);
    buf_printf(b, "log:%d:", (int)record_log(r, &le, &err));
    for (i = 0; i < le.n; i++) {
        const struct log_entry *e = &le.v[i];

        buf_printf(b, "[%lld %d %d ", (long long)e->at, (int)e->has_at,
                   (int)e->has_time);
        buf_add(b, e->rank, e->rank_len);
        buf_addch(b, '|');
        buf_add(b, e->author, e->author_len);
        buf_addch(b, '|');
        buf_add(b, e->text, e->text_len);
        buf_printf(b, "|%lu]", e->line_offset);
    }
    log_entries_release(&le);
    buf_addch(b, '\n');
}

struct collect {
    struct record_batch *rb;
    struct buf seen; /* signatures inside the callback */
};

static int collect_rec(void *ctx, const struct record *r)
{
    struct collect *c = ctx;
    struct ca_error err = CA_ERROR_INIT;

    signature(r, &c->seen);
    assert_int_equal(record_batch_add(c->rb, r, &err), CA_OK);
    return 0;
}

static void run_into(struct collect *c, const char *path,
                     const struct ingest_opts *o)
{
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    const char *paths[1];

    paths[0] = path;
    assert_int_equal(ingest_run(paths, 1, o, collect_rec, NULL, c, &st, &err),
                     CA_OK);
    ingest_stats_release(&st);
}

static void test_batch_copies(void **state)
{
    static const char yaml[] =
        "name: niche-export\n"
        "type: crime\n"
        "columns:\n"
        "  crime_ref: URN\n"
        "  recorded_at: Recorded\n"
        "  log: Narrative\n"
        "date_format: '%d.%m.%Y %H:%M'\n"
        "entry_header: '^(?<at>\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}) "
        "(?<author>\\w+)>\\s*'\n"
        "entry_date_format: '%d.%m.%Y %H:%M'\n";
    const char *prof = tmpdir_write_str("niche.yaml", yaml);
    const char *niche = tmpdir_write_str(
        "niche.csv", "URN,Recorded,Narrative\n"
                     "N1,03.02.2014 14:22,\"03.02.2014 14:22 smith> one\n"
                     "04.02.2014 09:00 jones> two\"\n"
                     "N2,05.02.2014 10:00,05.02.2014 10:00 brown> three\n");
    const char *canon = tmpdir_write_str(
        "2014-02-kent-crimes.csv",
        "crime_ref,recorded_at,status,log\n"
        "C1,2014-02-03,open,\"2014-02-03 14:22 DS 4521 Smith: Reviewed.\n"
        "continued here\n2014-02-04 Victim updated.\"\n"
        "C2,2014-02-05 10:00,closed,\n");
    const char *joined =
        tmpdir_write_str("j.csv", "crime_ref,attended\nE1,Y\nE2,N\n");
    const char *entries =
        tmpdir_write_str("je.csv", "ref,at,rank,author,text\n"
                                   "E2,2014-01-02 10:00,PC,1 A,second\n"
                                   "E1,2014-01-01,DS,2 B,first\n"
                                   "E2,2014-01-01 09:00,,,earlier\n");
    struct collect c;
    struct ingest_opts o;
    struct buf after;
    size_t i, round;

    (void)state;
    memset(&c, 0, sizeof(c));
    c.rb = record_batch_new();
    assert_non_null(c.rb);
    for (round = 0; round < 2; round++) {
        /* three runs into one batch: every profile and join is freed
         * before the copies are read */
        buf_init(&c.seen, 0);
        ingest_opts_init(&o);
        o.profile = prof;
        run_into(&c, niche, &o);
        ingest_opts_init(&o);
        run_into(&c, canon, &o);
        o.entries_file = entries;
        run_into(&c, joined, &o);
        ingest_opts_init(&o);
        o.profile = prof;
        run_into(&c, niche, &o); /* the regex copy is reused */
        assert_int_equal(record_batch_count(c.rb), 8);
        assert_true(record_batch_bytes(c.rb) > 0);
        buf_init(&after, 0);
        for (i = 0; i < record_batch_count(c.rb); i++)
            signature(record_batch_get(c.rb, i), &after);
        assert_string_equal(after.data, c.seen.data);
        /* the profile's header regex split the niche log in two */
        assert_non_null(strstr(after.data, "|smith|one|0][1391504400 1 1 "
                                           "|jones|two|1]"));
        assert_non_null(strstr(after.data, "|1 A|second|0]"));
        assert_null(record_batch_get(c.rb, 8));
        buf_release(&after);
        buf_release(&c.seen);
        record_batch_clear(c.rb);
        assert_int_equal(record_batch_count(c.rb), 0);
        assert_int_equal(record_batch_bytes(c.rb), 0);
    }
    record_batch_free(c.rb);
    record_batch_free(NULL);
}

/* ---- the pipeline ---- */

/* A crime export whose logs trigger every shipped crime rule, both ways. */
static const char *write_export(const char *name, int n)
{
    static const char *const lines[] = {
        "DS 4521 Smith: Supervisory review completed, actions set.",
        "PC 3157 Wilson: CCTV viewed, nothing of evidential value.",
        "PC 3157 Wilson: Victim updated by phone.",
        "PC 3157 Wilson: No CCTV available.",
        "PS 88 Jones: Filed, no further action, endorsed.",
        "PC 3157 Wilson: Crime filed as undetected.",
        "DC 12 Brown: Screened out, not to be investigated.",
        "DC 12 Brown: Screened out; victim informed of the decision.",
        "PC 3157 Wilson: IP informed of the decision.",
        "DC 12 Brown: Investigation plan: H2H, CCTV, forensics.",
        "PC 3157 Wilson: Left voicemail for the victim, no answer.",
        "Staff 9 Clerk: \"quoted\", comma, and =formula text",
        "PC 3157 Wilson: Suspect's home address visited, no reply.",
    };
    struct buf b;
    const char *p;
    int i, k;

    buf_init(&b, 0);
    buf_addstr(&b, "crime_ref,force,reported_at,recorded_at,attended,"
                   "vulnerable,repeat_victim,named_suspect,status,"
                   "outcome_at,log\n");
    for (i = 0; i < n; i++) {
        int day = 1 + i % 27, nent = 1 + i % 6;

        buf_printf(&b,
                   "P-%05d,%s,2023-03-%02d 09:00,2023-03-%02d %02d:00,"
                   "%s,%s,N,%s,%s,%s,\"",
                   i, i % 3 ? "kent" : "essex", day, day + (i % 5 == 0),
                   10 + i % 12, i % 2 ? "Y" : "N", i % 7 ? "N" : "Y",
                   i % 4 == 3 ? "Y" : "N", i % 3 ? "closed" : "open",
                   i % 3 ? "2023-05-20" : "");
        for (k = 0; k < nent; k++) {
            const char *l = lines[(size_t)(i * 7 + k * 3) %
                                  (sizeof(lines) / sizeof(lines[0]))];
            int q;

            buf_printf(&b, "%s2023-%02d-%02d 1%d:00 ", k ? "\n" : "", 3 + k / 2,
                       1 + (day + k * 9) % 28, k);
            for (q = 0; l[q]; q++) {
                if (l[q] == '"')
                    buf_addch(&b, '"');
                buf_addch(&b, l[q]);
            }
        }
        buf_addstr(&b, "\"\n");
    }
    p = tmpdir_write_str(name, b.data);
    buf_release(&b);
    return p;
}

struct prun {
    struct pipeline *pl;
    struct buf order; /* the verdict sequence seen by on_verdict */
    size_t added;
    enum ca_status add_status;
};

static void record_order(void *ctx, const struct record *r,
                         const struct rule *rule, enum verdict v)
{
    struct prun *pr = ctx;

    buf_printf(&pr->order, "%s %s %s\n", r->id, rule_id(rule), verdict_name(v));
}

static int prun_rec(void *ctx, const struct record *r)
{
    struct prun *pr = ctx;
    struct ca_error err = CA_ERROR_INIT;

    pr->add_status = pipeline_add(pr->pl, r, &err);
    if (pr->add_status != CA_OK)
        return 1;
    pr->added++;
    return 0;
}

struct result {
    char *out;
    size_t len;
    char *order;
    uint64_t counts[64][V__COUNT];
    uint64_t records;
};

static void run_pipeline(const struct ruleset *rs, const char *path,
                         unsigned jobs, size_t batch_records,
                         size_t batch_bytes, enum findings_format fmt,
                         struct result *res)
{
    struct pipeline_opts po;
    struct engine_params params = {1693526400}; /* 2023-09-01 */
    struct prun pr;
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    const struct findings_tally *t;
    const char *paths[1];
    FILE *fp;
    size_t i;

    memset(res, 0, sizeof(*res));
    memset(&pr, 0, sizeof(pr));
    buf_init(&pr.order, 0);
    fp = open_memstream(&res->out, &res->len);
    assert_non_null(fp);
    memset(&po, 0, sizeof(po));
    po.rs = rs;
    po.params = &params;
    po.jobs = jobs;
    po.batch_records = batch_records;
    po.batch_bytes = batch_bytes;
    po.out = fp;
    po.out_name = "mem";
    po.format = fmt;
    po.excerpts = true;
    po.on_verdict = record_order;
    po.ctx = &pr;
    assert_int_equal(pipeline_new(&po, &pr.pl, &err), CA_OK);
    ingest_opts_init(&o);
    paths[0] = path;
    assert_int_equal(ingest_run(paths, 1, &o, prun_rec, NULL, &pr, &st, &err),
                     CA_OK);
    assert_int_equal(pr.add_status, CA_OK);
    assert_int_equal(pipeline_finish(pr.pl, &err), CA_OK);
    assert_int_equal(pipeline_finish(pr.pl, &err), CA_OK); /* idempotent */
    t = pipeline_tally(pr.pl);
    assert_true(t->nrules <= 64);
    for (i = 0; i < t->nrules; i++)
        memcpy(res->counts[i], t->count[i], sizeof(res->counts[i]));
    res->records = t->records;
    assert_int_equal(t->records, st.rows_accepted);
    pipeline_free(pr.pl);
    ingest_stats_release(&st);
    fclose(fp);
    res->order = buf_detach(&pr.order, NULL);
}

static void result_release(struct result *r)
{
    free(r->out);
    free(r->order);
}

static struct ruleset *shipped_crime_rules(void)
{
    const char *paths[1] = {"../../rules/crime"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;

    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    return rs;
}

static void test_pipeline_same_output(void **state)
{
    static const struct {
        unsigned jobs;
        size_t batch_records, batch_bytes;
    } cfg[] = {
        {2, 1, 0}, {3, 7, 0}, {4, 0, 0}, {2, 0, 1}, {8, 3, 0}, {1, 5, 0},
    };
    struct ruleset *rs = shipped_crime_rules();
    const char *path = write_export("p.csv", 400);
    struct result ref, got;
    size_t i, f;

    (void)state;
    for (f = 0; f < 2; f++) {
        enum findings_format fmt = f ? FF_JSONL : FF_CSV;

        run_pipeline(rs, path, 1, 0, 0, fmt, &ref);
        assert_int_equal(ref.records, 400);
        assert_true(ref.len > 400 * 100);
        /* the export exercises passes and failures of every rule */
        for (i = 0; i < ruleset_count(rs); i++) {
            assert_true(ref.counts[i][V_PASS] > 0);
            assert_true(ref.counts[i][V_FAIL] > 0);
        }
        for (i = 0; i < sizeof(cfg) / sizeof(cfg[0]); i++) {
            run_pipeline(rs, path, cfg[i].jobs, cfg[i].batch_records,
                         cfg[i].batch_bytes, fmt, &got);
            assert_int_equal(got.len, ref.len);
            assert_memory_equal(got.out, ref.out, ref.len);
            assert_string_equal(got.order, ref.order);
            assert_memory_equal(got.counts, ref.counts, sizeof(ref.counts));
            assert_int_equal(got.records, ref.records);
            result_release(&got);
        }
        result_release(&ref);
    }
    ruleset_free(rs);
}

static void test_pipeline_write_error(void **state)
{
    struct ruleset *rs = shipped_crime_rules();
    const char *path = write_export("w.csv", 600);
    unsigned jobs;

    (void)state;
    for (jobs = 1; jobs <= 3; jobs++) {
        struct pipeline_opts po;
        struct engine_params params = {1693526400};
        struct prun pr;
        struct ingest_opts o;
        struct ingest_stats st;
        struct ca_error err = CA_ERROR_INIT;
        const char *paths[1];
        FILE *fp = fopen("/dev/full", "w");

        assert_non_null(fp);
        memset(&pr, 0, sizeof(pr));
        buf_init(&pr.order, 0);
        memset(&po, 0, sizeof(po));
        po.rs = rs;
        po.params = &params;
        po.jobs = jobs;
        po.batch_records = 8;
        po.out = fp;
        po.out_name = "full.csv";
        po.excerpts = true;
        assert_int_equal(pipeline_new(&po, &pr.pl, &err), CA_OK);
        ingest_opts_init(&o);
        paths[0] = path;
        assert_int_equal(
            ingest_run(paths, 1, &o, prun_rec, NULL, &pr, &st, &err), CA_OK);
        /* the write error stopped the run well before the end */
        assert_int_equal(pr.add_status, CA_SYSTEM);
        assert_true(pr.added < 600);
        assert_int_equal(pipeline_finish(pr.pl, &err), CA_SYSTEM);
        assert_non_null(strstr(err.msg, "unable to write findings to "
                                        "'full.csv'"));
        pipeline_free(pr.pl);
        ingest_stats_release(&st);
        buf_release(&pr.order);
        fclose(fp);
    }
    ruleset_free(rs);
}

static int stop_after_50(void *ctx, const struct record *r)
{
    struct prun *pr = ctx;

    (void)prun_rec(ctx, r);
    return pr->added >= 50;
}

static void test_pipeline_free_unfinished(void **state)
{
    struct ruleset *rs = shipped_crime_rules();
    const char *path = write_export("u.csv", 200);
    struct pipeline_opts po;
    struct engine_params params = {1693526400};
    struct prun pr;
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    const char *paths[1];
    FILE *fp = fopen("/dev/null", "w");

    (void)state;
    assert_non_null(fp);
    memset(&pr, 0, sizeof(pr));
    buf_init(&pr.order, 0);
    memset(&po, 0, sizeof(po));
    po.rs = rs;
    po.params = &params;
    po.jobs = 3;
    po.batch_records = 2;
    po.out = fp;
    assert_int_equal(pipeline_new(&po, &pr.pl, &err), CA_OK);
    ingest_opts_init(&o);
    paths[0] = path;
    assert_int_equal(
        ingest_run(paths, 1, &o, stop_after_50, NULL, &pr, &st, &err), CA_OK);
    assert_int_equal(pr.added, 50);
    /* batches queued, being evaluated and half filled: freed, no leak */
    pipeline_free(pr.pl);
    pipeline_free(NULL);
    ingest_stats_release(&st);
    buf_release(&pr.order);
    fclose(fp);
    ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_copies),
        cmocka_unit_test(test_pipeline_same_output),
        cmocka_unit_test(test_pipeline_write_error),
        cmocka_unit_test(test_pipeline_free_unfinished),
    };

    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
