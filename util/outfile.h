/* SPDX-License-Identifier: MIT */
/*
 * Output files that may hold personal data: created mode 0600, written to a
 * temporary file beside the target and renamed into place on commit, so that
 * a reader never sees a half-written report and an interrupted run leaves no
 * partial output.  "-" means standard output (no rename, no mode); a path
 * that is a device, a pipe or a symbolic link (/dev/null, a FIFO,
 * /dev/stdout) is written through in place, never replaced (nor made
 * atomic); a directory is an error ("is a directory, not a file").
 */
#ifndef CA_OUTFILE_H
#define CA_OUTFILE_H

#include <stdio.h>

#include "util/status.h"

struct outfile {
    FILE *fp;   /* write here; owned */
    char *path; /* final path; owned */
    char *tmp;  /* temporary path; NULL for stdout (path NULL too) and for
                 * a device or pipe written in place; owned */
};

/* Open path for writing.  On failure fills err (CA_SYSTEM). */
enum ca_status outfile_open(struct outfile *o, const char *path,
                            struct ca_error *err);
/* Flush, fsync and rename into place; releases o.  On failure the
 * temporary file is removed and err filled. */
enum ca_status outfile_commit(struct outfile *o, struct ca_error *err);
/* Abandon: close and remove the temporary file; releases o.  NULL-safe. */
void outfile_abort(struct outfile *o);

/* Create a directory mode 0700 (parents too).  Existing is fine. */
enum ca_status outdir_create(const char *path, struct ca_error *err);

#endif
