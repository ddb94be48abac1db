/* SPDX-License-Identifier: MIT */
/*
 * Text hygiene for report output: values from case data may hold invalid
 * UTF-8 or control characters, and go into JSON, Markdown and HTML.
 */
#ifndef CA_TEXT_H
#define CA_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Decode one UTF-8 character at s (len > 0 bytes available).  Returns the
 * number of bytes it takes and sets *cp; an invalid or overlong sequence
 * or a surrogate gives 1 and U+FFFD.
 */
size_t text_utf8_next(const char *s, size_t len, uint32_t *cp);

/* A valid UTF-8 copy of s, invalid bytes replaced by U+FFFD (caller
 * frees; NULL when out of memory). */
char *text_utf8_clean(const char *s);

/* Write s HTML-escaped (& < > " ' and invalid UTF-8 as U+FFFD; control
 * characters other than TAB and LF as U+FFFD). */
void text_html(FILE *fp, const char *s);

/* Write s (NULL reads as "") for Markdown as one inline run of text: in
 * running text or a table cell (text_md_cell), or in an ATX heading after
 * its "# " (text_md_heading).  Bytes that are not UTF-8 become U+FFFD;
 * the rest is escaped by util/escape.h (escape_md_write: every character
 * that could start markup or HTML backslash-escaped, '|' too, line breaks
 * and tabs as spaces, control characters as \xNN). */
void text_md_cell(FILE *fp, const char *s);
void text_md_heading(FILE *fp, const char *s);

#endif
