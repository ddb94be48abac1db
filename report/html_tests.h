/* SPDX-License-Identifier: MIT */
/*
 * report.html's answer to an audit programme: the headline matrix (forces
 * x tests, with the whole-export counts) and one section per test.  fp is
 * borrowed.
 */
#ifndef CA_REPORT_HTML_TESTS_H
#define CA_REPORT_HTML_TESTS_H

#include <stddef.h>
#include <stdio.h>

#include "report/common.h"

/* The headline matrix and the programme's counts. */
void html_tests_matrix(FILE *fp, const struct report *r);
/* The section of test number t. */
void html_tests_test(FILE *fp, const struct report *r, size_t t);

#endif
