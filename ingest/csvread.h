/* SPDX-License-Identifier: MIT */
/*
 * Streaming RFC 4180 CSV rows on top of libcsv in strict mode.  Bytes are
 * pushed in chunks of any size (csvread_feed) and each complete row is
 * handed to a callback with the physical line it starts on, even when
 * quoted fields span lines.  Every field is checked (invalid UTF-8, NUL
 * bytes) or transcoded (cp1252, latin1) on the way into one reused row
 * buffer, so there is no allocation per field or per row.
 *
 * Malformed input never stops the stream unless it must: a bad quote or an
 * oversize field (the cap is enforced through libcsv's realloc hook) makes
 * that row bad, and reading resumes at the next row boundary.  A quote that
 * is never closed swallows the rest of the input: the row and every
 * non-blank line after the quote are reported as bad rows and
 * csvread.swallowed says so.  A bad first row (the header) is the
 * exception: it is delivered as soon as it is known to be bad and the
 * input stops there (c->stopped), so that a header that never ends, or a
 * stream of zeros, costs at most the row cap.  Fields past max_fields
 * are not kept but count towards the row cap.  Used by ingest/ingest.c
 * (and its whole-text helpers by report/reviews.c).
 */
#ifndef CA_CSVREAD_H
#define CA_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

#include <csv.h>

#include "util/status.h"

enum csvread_enc { CSVR_UTF8 = 0, CSVR_CP1252, CSVR_LATIN1 };

/* Parse an encoding name ("utf-8", "cp1252", "windows-1252", "latin1",
 * "iso-8859-1", any case).  Returns 0, or -1 when unsupported. */
int csvread_encoding_parse(const char *name, enum csvread_enc *enc);

/* Why a row is bad; values match enum reject_reason in ingest.h. */
enum csvrow_bad {
    CSVROW_OK = -1,
    CSVROW_MALFORMED = 2,
    CSVROW_OVERSIZE = 5,
    CSVROW_ENCODING = 6
};

struct csvrow {
    unsigned long line; /* physical line where the row starts, 1-based */
    size_t n;           /* fields in the row */
    size_t nkept;       /* fields stored in v/len (<= max_fields) */
    char **v;           /* NUL-terminated, writable until the next row */
    size_t *len;
    int bad;          /* CSVROW_OK or a reason */
    size_t bad_field; /* index of the field concerned, or (size_t)-1 */
    char detail[192]; /* for a bad row: what is wrong */
};

/* Return 0 to go on, non-zero to stop reading this input. */
typedef int (*csvread_row_fn)(void *ctx, struct csvrow *row);

struct csvread {
    struct csv_parser p;
    enum csvread_enc enc;
    size_t max_field;
    size_t max_row;
    size_t max_fields; /* fields kept per row; extra ones only counted */
    csvread_row_fn on_row;
    void *ctx;

    /* per input */
    unsigned long line; /* current physical line */
    bool cr_pending;    /* the last row ended with a CR: an LF right after
                         * it is the same line break (CRLF) */
    bool cr_file;       /* rows end with a bare CR: so do lines in fields */
    int bom;            /* bytes of a UTF-8 BOM matched so far, 3 = done */
    bool in_row;
    bool stopped;
    bool sys_error;
    int skip;                /* resynchronising after a bad row: lexer state */
    bool skip_blank;         /* current skipped line has only white space */
    unsigned long swallowed; /* rows lost to an unterminated quote */
    unsigned long swallow_line; /* line of that quote */
    unsigned long rows;         /* rows delivered (good or bad) */

    /* Non-blank lines inside the last open quote, as ranges of lines. */
    struct csvread_range {
        unsigned long a, b;
    } * sw;
    size_t nsw, swalloc;
    unsigned long sw_open_line;
    bool sw_seen_nl, sw_line_text;

    /* true: every byte goes through libcsv (tests compare the two) */
    bool no_fast;
    /* a quoted field with doubled quotes, undoubled by the fast path */
    unsigned char *ebuf;
    size_t ebufalloc;

    /* the row being built */
    struct csvrow row;
    char *buf;
    size_t buflen, bufalloc;
    size_t extra; /* bytes of the row's fields past max_fields */
    size_t *off;
    size_t falloc;
};

/* Set up a reader (allocates the parser buffer).  Returns 0, or -1 when
 * out of memory.  max_field/max_row 0 mean 1 MiB / 16 MiB. */
int csvread_init(struct csvread *c, enum csvread_enc enc, size_t max_field,
                 size_t max_row, csvread_row_fn on_row, void *ctx);
/* Start a new input (line 1, BOM check, clean parser state). */
void csvread_begin(struct csvread *c);
/* Push bytes.  Returns CA_OK (also when a callback stopped the input:
 * c->stopped is then set), or CA_SYSTEM when memory ran out. */
enum ca_status csvread_feed(struct csvread *c, const void *data, size_t len,
                            struct ca_error *err);
/* End of input: delivers a last row without a line break and reports an
 * unterminated quote.  Same returns as csvread_feed. */
enum ca_status csvread_end(struct csvread *c, struct ca_error *err);
void csvread_release(struct csvread *c);

/* Whole texts, for small files read at once (report/reviews.c): whether
 * s[0..len) is valid UTF-8, and a malloc'd UTF-8 copy of cp1252 text
 * (*bad: the offset of the first byte cp1252 leaves undefined, given as
 * U+FFFD, or (size_t)-1).  NULL when out of memory. */
bool csvread_utf8_valid(const char *s, size_t len);
char *csvread_cp1252_to_utf8(const char *s, size_t len, size_t *outlen,
                             size_t *bad);

#endif
