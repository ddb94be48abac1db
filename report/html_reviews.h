/* SPDX-License-Identifier: MIT */
/*
 * report.html's review sections: the overrides applied to findings, and
 * the fieldwork reviews (their verdicts, the substitutions of spares and
 * the agreement between the rules and the reviewers).  Each writes
 * nothing when there is nothing to show.  fp is borrowed.
 */
#ifndef CA_REPORT_HTML_REVIEWS_H
#define CA_REPORT_HTML_REVIEWS_H

#include <stdio.h>

#include "report/common.h"

void html_reviews_overrides(FILE *fp, const struct report *r);
void html_reviews_section(FILE *fp, const struct report *r);

#endif
