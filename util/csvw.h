/* SPDX-License-Identifier: MIT */
/*
 * RFC 4180 CSV writing: a field is quoted when it holds a comma, quote, CR
 * or LF.  Rows end CRLF per RFC 4180 when crlf is set, LF otherwise.
 *
 * The formula guard (OWASP's rule for CSV injection): a field that starts
 * with a character spreadsheet programs read as a formula (= + - @ TAB CR)
 * and is not a plain number is written with a single quote in front, so
 * that opening a findings or sample file in Excel cannot run anything.  So
 * that the guard never changes data caseaudit reads back, a field that
 * starts with a quote the reader would take for a guard (a quote followed
 * by a guarded character or by another quote) is prefixed too; then
 * csvw_unguard() undoes exactly what the writer did, for every value.
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

/* Whether text (len bytes) is a plain number: an optional sign, digits,
 * and optionally a point and more digits ("-12", "+3.5"). */
bool csvw_plain_number(const char *text, size_t len);

/* Whether the writer prefixes this value with the guard's quote. */
bool csvw_guarded(const char *text, size_t len);

/*
 * The number of bytes (0 or 1) of guard at the start of a field read from
 * a file csvw wrote with the formula guard on: skipping them gives back
 * the exact value written.  Only for files caseaudit wrote (findings,
 * samples); a field of someone else's export is data as it stands.
 */
size_t csvw_unguard(const char *text, size_t len);

#endif
