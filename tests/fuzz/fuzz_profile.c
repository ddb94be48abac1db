/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for profiles (YAML): any bytes are loaded as a profile
 * file, and a profile that loads reads two small exports (one with a
 * column name repeated, which only positional mapping resolves), so that
 * column mapping by name and position, detection, date formats, flag
 * values, derived fields, the force fallback and the entry-header regex
 * that splits each case log are all reached.  Every refusal must say why.
 * Build with `make fuzz`; run e.g.
 *   build/fuzz/fuzz_profile -max_total_time=60 tests/fuzz/corpus/profile
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "ingest/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char plain_csv[] =
    "Ref,Falls within,Month,Date Recorded,Crime type,Attendance,Narrative,"
    "division\n"
    "R1,City of London Police,2019-01,03.02.2014 14:22,Burglary,Attended,"
    "\"03.02.2014 14:22 smith> Crime recorded.\n"
    "04.02.2014 09:00 DS jones> Supervisory review, agree.\",North\n"
    "R2,Metropolitan Police Service,2019-13,31.02.2014 10:00,Violence and "
    "sexual offences,T,free text,South\n"
    ",,,,,,,\n";
static const char repeated_csv[] =
    "crime_ref,Date,Date,log,log\n"
    "D1,2014-02-03,03/02/2014 10:00,x,2014-02-03 10:00 PC 1 A: text\n";

static int on_record(void *ctx, const struct record *r)
{
    struct log_entries *le = ctx;
    struct ca_error err = CA_ERROR_INIT;
    size_t i;

    (void)record_log(r, le, &err);
    for (i = 0; i < r->ncols; i++)
        if (strlen(r->values[i]) != r->lens[i])
            abort();
    for (i = 0; i < CF__COUNT; i++)
        (void)record_get(r, (enum cf)i);
    if (!r->id || !*r->id || !r->force)
        abort();
    return 0;
}

static void write_file(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (fd < 0 || write(fd, p, n) != (ssize_t)n)
        abort();
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char yaml[64], csv[2][64];
    struct profile *p = NULL;
    struct ca_error err = CA_ERROR_INIT;
    struct ingest_opts o;
    struct ingest_stats st;
    struct log_entries le;
    const char *paths[2];
    int k;

    if (!yaml[0]) {
        snprintf(yaml, sizeof(yaml), "/tmp/fuzz-profile-%ld.yaml",
                 (long)getpid());
        snprintf(csv[0], sizeof(csv[0]), "/tmp/fuzz-profile-%ld-a.csv",
                 (long)getpid());
        snprintf(csv[1], sizeof(csv[1]), "/tmp/fuzz-profile-%ld-b.csv",
                 (long)getpid());
        write_file(csv[0], plain_csv, sizeof(plain_csv) - 1);
        write_file(csv[1], repeated_csv, sizeof(repeated_csv) - 1);
    }
    if (profile_load_text((const char *)data, size, "fuzz.yaml", &p, &err) !=
        CA_OK) {
        if (err.msg[0] == '\0')
            abort(); /* every failure must say why */
        return 0;
    }
    profile_free(p);
    /* the same bytes as a profile file, through the ingest */
    write_file(yaml, data, size);
    for (k = 0; k < 2; k++) {
        ingest_opts_init(&o);
        o.profile = yaml;
        paths[0] = csv[k];
        log_entries_init(&le);
        err.msg[0] = '\0';
        if (ingest_run(paths, 1, &o, on_record, NULL, &le, &st, &err) !=
                CA_OK &&
            err.msg[0] == '\0' && st.nnotes == 0)
            abort();
        if (st.rows_read != st.rows_accepted + st.rows_rejected)
            abort(); /* the accounting invariant */
        ingest_stats_release(&st);
        log_entries_release(&le);
    }
    return 0;
}
