/* SPDX-License-Identifier: MIT */
/*
 * The report files written by `caseaudit report` into its output
 * directory: summary.json, summary.csv, findings.csv (after overrides),
 * report.md, report.html, and overrides.csv when overrides were applied.
 * One header per writer; this one only gathers them for callers that
 * write a whole report:
 *   report/common.h   struct report and what the writers share
 *   report/dir.h      the output directory and every file in it
 *   report/json.h     summary.json (and an inventory read back)
 *   report/csvout.h   summary.csv, files.csv
 *   report/md.h       report.md
 *   report/html.h     report.html
 */
#ifndef CA_REPORT_H
#define CA_REPORT_H

#include "report/common.h"
#include "report/csvout.h"
#include "report/dir.h"
#include "report/html.h"
#include "report/json.h"
#include "report/md.h"

#endif
