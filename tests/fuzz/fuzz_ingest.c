/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the ingest path: the input bytes are written to a
 * file and read by ingest_run as an export, and every accepted record's
 * case log is split.  The first byte picks options (encoding, a small field
 * cap, the police-uk profile, the file name: ".csv" or a name that makes
 * ingest sniff for an archive), so the CSV reader, the transcoder, the
 * resynchronisation after bad rows and the archive reader are all reached.
 * Build with `make fuzz`; run e.g.
 *   build/fuzz/fuzz_ingest -max_total_time=60 tests/fuzz/corpus/ingest
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_record(void *ctx, const struct record *r)
{
    struct log_entries *le = ctx;
    struct ca_error err = CA_ERROR_INIT;
    size_t i;

    (void)record_log(r, le, &err);
    for (i = 0; i < r->ncols; i++)
        if (strlen(r->values[i]) != r->lens[i])
            abort(); /* values must be NUL-terminated at their length */
    if (!r->id || !*r->id || !r->force)
        abort();
    return 0;
}

static void on_reject(void *ctx, const struct reject *rj)
{
    (void)ctx;
    if (!rj->source || !rj->detail || rj->line == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char csv[64], bin[64];
    struct ingest_opts o;
    struct ingest_stats st;
    struct ca_error err = CA_ERROR_INIT;
    struct log_entries le;
    const char *path;
    uint8_t opt = size ? data[0] : 0;
    int fd;

    if (!csv[0]) {
        snprintf(csv, sizeof(csv), "/tmp/fuzz-ingest-%ld-2019-01-x-crimes.csv",
                 (long)getpid());
        snprintf(bin, sizeof(bin), "/tmp/fuzz-ingest-%ld.bin", (long)getpid());
    }
    if (size) {
        data++;
        size--;
    }
    path = (opt & 1) ? bin : csv;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    close(fd);
    ingest_opts_init(&o);
    if (opt & 2)
        o.encoding = "cp1252";
    if (opt & 4)
        o.limits.max_field = 16;
    if (opt & 8)
        o.profile = "police-uk";
    if (opt & 16)
        o.type = RT_WANTED;
    o.limits.max_entry_bytes = 1 << 20;
    o.limits.max_log_entries = 1000;
    log_entries_init(&le);
    le.cap = 1000;
    (void)ingest_run(&path, 1, &o, on_record, on_reject, &le, &st, &err);
    if (st.rows_read != st.rows_accepted + st.rows_rejected)
        abort(); /* the accounting contract */
    ingest_stats_release(&st);
    log_entries_release(&le);
    return 0;
}
