/* SPDX-License-Identifier: MIT */
/*
 * The pieces report.html's sections are built of (html.c, html_tests.c,
 * html_reviews.c): cells whose text is escaped with text_html(), the cells
 * and head of a group's figures in the one polarity (the share of files
 * passing), and the chart of that share.  fp is borrowed; nothing is
 * allocated.
 */
#ifndef CA_REPORT_HTML_CELLS_H
#define CA_REPORT_HTML_CELLS_H

#include <stdint.h>
#include <stdio.h>

#include "report/common.h"

/* A path the report names (a run's outputs under their final name). */
void html_path(FILE *fp, const struct report *r, const char *path);
/* The CSS class of a verdict ("v-compliant", ...). */
const char *html_verdict_class(enum stats_verdict v);
/* <td>s</td> and <td class="nw">s</td>, s escaped. */
void html_td_text(FILE *fp, const char *s);
void html_td_nw(FILE *fp, const char *s);
/* <pre class="ev">label: excerpt</pre>, escaped, when excerpt is not
 * empty; label may be NULL (no label). */
void html_excerpt(FILE *fp, const char *label, const char *excerpt);
/* The end of a table of failing files or findings of which shown rows
 * were listed out of total: closes the table, or says `none` (a sentence)
 * when there were none, or that the other rows (`what`, "files") are in
 * `where`. */
void html_failing_close(FILE *fp, size_t shown, size_t total, const char *none,
                        const char *what, const char *where);
/* A number cell. */
void html_td_u64(FILE *fp, uint64_t v);
/* The cells of group g: files checked, passing, share passing, its
 * intervals, the one-sided bound and the verdict; skip_note: a note said
 * once above the table (not repeated), or NULL. */
void html_group_cells(FILE *fp, const struct sgroup *g, const char *skip_note);
/* The head of a table of html_group_cells rows; first: its first
 * column(s) as HTML, cpct the confidence in percent. */
void html_group_head(FILE *fp, const char *first, double cpct);
/* The note every one of groups v[0..n) carries, said once above their
 * table; NULL when they differ or there is none. */
const char *html_common_note(const struct sgroup *const *v, size_t n);
/* An SVG chart of the share passing of groups v[0..rows) with their
 * intervals and the tolerable line. */
void html_chart(FILE *fp, const struct report *r, const struct sgroup *const *v,
                size_t rows, const char *title);

#endif
