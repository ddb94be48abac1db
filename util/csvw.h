/* SPDX-License-Identifier: MIT */
/*
 * RFC 4180 CSV writing: a field is quoted when it holds a comma, quote, CR
 * or LF, or starts with a character that spreadsheet programs treat as a
 * formula (= + - @ TAB CR), which is then prefixed with a single quote so
 * that opening a findings file in Excel cannot run anything.  Rows end CRLF
 * per RFC 4180 when crlf is set, LF otherwise.
 */
#ifndef CA_CSVW_H
#define CA_CSVW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct csvw {
    FILE *fp; /* borrowed */
    bool crlf;
    bool formula_guard;
    size_t col; /* fields written in the current row */
};

void csvw_init(struct csvw *w, FILE *fp);
/* Write one field of length len (text need not be NUL-terminated). */
void csvw_field(struct csvw *w, const char *text, size_t len);
void csvw_str(struct csvw *w, const char *s); /* NULL writes an empty field */
void csvw_printf(struct csvw *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void csvw_end_row(struct csvw *w);
/* A whole row: the n strings of v (csvw_str each), then csvw_end_row. */
void csvw_row(struct csvw *w, const char *const *v, size_t n);

#endif
