/* SPDX-License-Identifier: MIT */
/*
 * report.md: the report as Markdown, in the order of report.html (an
 * audit programme's matrix and tests first), every value from data
 * escaped for Markdown.  fp is borrowed.
 */
#ifndef CA_REPORT_MD_H
#define CA_REPORT_MD_H

#include <stdio.h>

#include "report/common.h"

void report_write_md(const struct report *r, FILE *fp);

#endif
