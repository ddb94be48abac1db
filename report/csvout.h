/* SPDX-License-Identifier: MIT */
/*
 * The report's CSV files: summary.csv (one row per group of the
 * summaries) and files.csv (one row per checked file x test).  findings.csv
 * and overrides.csv are written by report/findings.h.  Fields go through
 * util/csvw (formula guard on); fp is borrowed.
 */
#ifndef CA_REPORT_CSVOUT_H
#define CA_REPORT_CSVOUT_H

#include <stdio.h>

#include "report/common.h"

void report_write_summary_csv(const struct report *r, FILE *fp);
/* files.csv: force,type,id,test,verdict,reasons, one row per checked file
 * x test whose frame holds it. */
void report_write_files_csv(const struct report *r, FILE *fp);

#endif
