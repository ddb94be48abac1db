/* SPDX-License-Identifier: MIT */
/* Record field values for --by breakdowns; see byfield.h. */
#include "report/byfield.h"

#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

struct by_ctx {
    struct findings *fs;
    const char *const *fields;
    size_t nfields;
    uint64_t *present; /* per field: matched records that have it */
    struct byfield_stats *stats;
    int nomem;
};

static int by_record(void *vc, const struct record *r)
{
    struct by_ctx *c = vc;
    struct frecord *rec;
    uint32_t ri;
    size_t j;

    c->stats->records_read++;
    if (!findings_find_record(c->fs, record_type_name(r->type), r->id, &ri))
        return 0;
    rec = &c->fs->recs[ri];
    if (rec->by)
        return 0; /* the first record read for an id wins */
    rec->by = calloc(c->nfields + 1, sizeof(*rec->by));
    if (!rec->by)
        goto nomem;
    for (j = 0; j < c->nfields; j++) {
        const char *v = strcmp(c->fields[j], "force") == 0
                            ? r->force
                            : record_get_named(r, c->fields[j]);

        if (v)
            c->present[j]++;
        rec->by[j] = strdup(!v ? "(no field)" : !v[0] ? "(empty)" : v);
        if (!rec->by[j])
            goto nomem;
    }
    c->stats->records_matched++;
    return 0;
nomem:
    c->nomem = 1;
    return 1;
}

enum ca_status byfield_load(struct findings *fs, const char *const *paths,
                            size_t npaths, const char *profile,
                            const char *const *fields, size_t nfields,
                            struct byfield_stats *stats, struct ca_error *err)
{
    struct ingest_opts opts;
    struct ingest_stats ist;
    struct by_ctx c;
    enum ca_status st;
    size_t i;

    memset(stats, 0, sizeof(*stats));
    memset(&ist, 0, sizeof(ist));
    memset(&c, 0, sizeof(c));
    c.fs = fs;
    c.fields = fields;
    c.nfields = nfields;
    c.stats = stats;
    c.present = calloc(nfields + 1, sizeof(*c.present));
    if (!c.present)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    ingest_opts_init(&opts);
    opts.profile = profile;
    opts.check_duplicates = false;
    st = ingest_run(paths, npaths, &opts, by_record, NULL, &c, &ist, err);
    stats->rows_rejected = ist.rows_rejected;
    ingest_stats_release(&ist);
    if (st == CA_OK && c.nomem)
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    if (st != CA_OK)
        goto out;
    for (i = 0; i < nfields; i++)
        if (stats->records_matched && c.present[i] == 0) {
            st = ca_error_set(err, CA_USAGE, paths[0], 0, fields[i],
                              "--by: no record with findings has this field");
            goto out;
        }
    if (stats->records_matched == 0) {
        st = ca_error_set(err, CA_USAGE, paths[0], 0, NULL,
                          "--records: no record matches an id in the "
                          "findings");
        goto out;
    }
    for (i = 0; i < fs->nrecs; i++)
        if (!fs->recs[i].by)
            stats->findings_without_record++;
out:
    free(c.present);
    return st;
}
