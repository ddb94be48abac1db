/* SPDX-License-Identifier: MIT */
/*
 * Transitional: the ingest progress line on stderr for the callers that set
 * ingest_opts.progress without a callback (audit/ and samplers/draw.c,
 * through their own progress flags).  The command layer prints its own line
 * (cmd/progress.c); this file goes once those callers pass on_progress.
 */
#include <stdio.h>

#include "ingest/driver.h"

void ingest_progress_stderr(void *ctx, const struct ingest_progress *p)
{
    (void)ctx;
    if (p->done) {
        fputs("\r\033[K", stderr);
        return;
    }
    if (p->percent >= 0)
        fprintf(stderr,
                "\r\033[Kingest: %llu records, %.1f MB/s, %u%%, ETA %lu:%02lu",
                (unsigned long long)p->records, p->mb_per_s,
                (unsigned)p->percent, p->eta_s / 60, p->eta_s % 60);
    else
        fprintf(stderr, "\r\033[Kingest: %llu records, %.1f MB/s",
                (unsigned long long)p->records, p->mb_per_s);
}
