/* SPDX-License-Identifier: MIT */
/*
 * report.html: one self-contained page (inline CSS and SVG, no script, no
 * network).  Its sections are in html.c, html_tests.c (an audit
 * programme's matrix and tests) and html_reviews.c (overrides and
 * fieldwork), built of the pieces in html_cells.c.  fp is borrowed.
 */
#ifndef CA_REPORT_HTML_H
#define CA_REPORT_HTML_H

#include <stdio.h>

#include "report/common.h"

void report_write_html(const struct report *r, FILE *fp);

#endif
