/* SPDX-License-Identifier: MIT */
/*
 * The output directory of `caseaudit report` and `caseaudit run`: made
 * ready, then every report file written into it, each created mode 0600
 * and atomically (util/outfile.h).
 */
#ifndef CA_REPORT_DIR_H
#define CA_REPORT_DIR_H

#include <stdbool.h>

#include "report/common.h"
#include "util/status.h"

/* The file names written, in order, NULL-terminated (overrides.csv is
 * written only when an overrides file was given, files.csv only for an
 * audit programme's tests). */
extern const char *const report_files[];

/*
 * Make sure dir can take the report: create it (mode 0700) when missing;
 * an existing non-empty directory is refused with CA_USAGE unless force.
 */
enum ca_status report_prepare_dir(const char *dir, bool force,
                                  struct ca_error *err);

/* Write every report file into dir.  CA_SYSTEM on I/O failure, CA_DATA
 * when a findings file changed since it was read. */
enum ca_status report_write_dir(const struct report *r, const char *dir,
                                struct ca_error *err);

#endif
