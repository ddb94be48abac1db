/* SPDX-License-Identifier: MIT */
/*
 * Escaping untrusted text (force names, ids, column names and values from
 * an export, paths, option values) for where it is shown.
 *
 * Terminal: control characters (C0, DEL, and C1 written as UTF-8), ESC and
 * so every escape sequence, the Unicode bidirectional overrides and
 * isolates (which can make a line read in another order), and bytes that
 * are not UTF-8 are made visible as \n, \r, \t, \e, \xNN or \u{NNNN};
 * everything else, backslashes included, is printed as it is.  Nothing
 * written can move the cursor, change colours, set the window title or
 * reorder what the reader sees.
 *
 * Markdown (CommonMark): the punctuation that could start markup (links,
 * emphasis, code, HTML, entities, table cells, headings, list and quote
 * markers) is backslash-escaped, and line breaks and control characters
 * become spaces and \xNN, so a value stays one inline run of text in a
 * paragraph, a table cell or a heading.
 *
 * No function allocates; none keeps state.
 */
#ifndef CA_ESCAPE_H
#define CA_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/*
 * The terminal-safe form of s (NUL-terminated; NULL reads as "") in buf
 * (size bytes, at least 8), cut with "..." at a character boundary when it
 * does not fit.  Returns buf, so that it can be a printf argument.
 */
const char *escape_term(char *buf, size_t size, const char *s);

/* Write the terminal-safe form of len bytes of s to fp, in full.
 * Returns 0, or -1 on a write error. */
int escape_term_write(FILE *fp, const char *s, size_t len);

/* Format like fprintf, then write the result terminal-safe (the format's
 * own text included; a result over 4 KiB is cut).  Returns 0 or -1. */
int escape_term_printf(FILE *fp, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Where escaped Markdown goes: running text or a table cell, or the text
 * of an ATX heading (after "## "). */
enum escape_md_ctx { ESCAPE_MD_TEXT = 0, ESCAPE_MD_HEADING };

/* Write s (NULL reads as "") to fp escaped for Markdown in ctx.  Returns
 * 0, or -1 on a write error. */
int escape_md_write(FILE *fp, const char *s, enum escape_md_ctx ctx);

#endif
