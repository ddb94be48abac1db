/* SPDX-License-Identifier: MIT */
/*
 * Reading the first worksheet of an Office Open XML workbook (.xlsx, as
 * Excel and LibreOffice save it) as rows of text: a reviewer's worksheet
 * returned from fieldwork.  Debian packages no C library that reads
 * .xlsx, so this is a small, strict reader: the zip through libarchive,
 * and a parser of just the XML the format needs (workbook, its
 * relationships, shared strings, the sheet) that accepts no DTD (so no
 * entity expansion), only the five predefined entities and character
 * references, and stops at the first malformed construct with an error
 * naming the part and line.
 *
 * Caps: XLSX_MAX_BYTES of file, XLSX_MAX_PART bytes per unpacked part,
 * XLSX_MAX_COLS columns, XLSX_MAX_ROWS rows, XLSX_MAX_CELL bytes of text
 * per cell; each exceeded is a CA_DATA error.
 *
 * Cells: a shared or inline string, a formula's string result or a
 * boolean ("TRUE"/"FALSE") is text; a number is its text as stored
 * (number set), e.g. a date typed into a cell is a serial day number
 * (xlsx_serial_day converts it).  Empty cells are "".
 */
#ifndef CA_XLSX_H
#define CA_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

#define XLSX_MAX_BYTES (64u << 20)
#define XLSX_MAX_PART (128u << 20)
#define XLSX_MAX_COLS 256
#define XLSX_MAX_ROWS 1000000ul
#define XLSX_MAX_CELL (1u << 20)

struct xlsx_cell {
    const char *text; /* UTF-8, NUL-terminated; borrowed during the call */
    bool number;      /* stored as a number */
};

/* One row (its 1-based row number; rows with no cell are skipped), n
 * cells from column A.  Return CA_OK to go on; another status stops the
 * reading and is returned (the callback fills err). */
typedef enum ca_status (*xlsx_row_fn)(void *ctx, unsigned long row,
                                      const struct xlsx_cell *cells, size_t n,
                                      struct ca_error *err);

/* Whether data starts like a zip file (a workbook, or another archive). */
bool xlsx_sniff(const void *data, size_t len);

/*
 * Read the first worksheet of the workbook in data (len bytes; name is
 * used in messages).  *date1904 (may be NULL) is set when the workbook
 * counts dates from 1904.  CA_DATA naming the part and line for anything
 * that is not a well-formed workbook, CA_SYSTEM when out of memory, or
 * the callback's status.
 */
enum ca_status xlsx_read(const char *name, const void *data, size_t len,
                         xlsx_row_fn fn, void *ctx, bool *date1904,
                         struct ca_error *err);

/* The day ("YYYY-MM-DD", out holds 11 bytes) of a serial date number as
 * a spreadsheet stores it (1900 system, with its phantom 29 February
 * 1900, or 1904 system); the time of day is ignored.  0, or -1 when text
 * is not a number of a day between 1900-03-01 and 9999-12-31. */
int xlsx_serial_day(const char *text, bool date1904, char out[11]);

#endif
