/* SPDX-License-Identifier: MIT */
/*
 * Reading the strata table of `evaluate --strata`; see strata.h.  The rows
 * come from ingest/csvread.c; on top of it the reader keeps the rules a
 * stratum table has always had: every line holds a row (a blank line is an
 * error, named by its number), a field may not span lines, spaces around
 * a field are part of it, and a line is at most STRATA_MAX_LINE bytes.
 * csvread adds its UTF-8 check (a stratum name is printed and written to
 * JSON) and accepts lines ended by a bare CR.
 */
#include "ingest/strata.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/csvread.h"
#include "util/array.h"
#include "util/path.h"

static const char *const strata_cols[4] = {"stratum", "N", "n", "k"};

struct strata_reader {
    struct csvread csv;
    const char *path;
    struct strata *out;
    size_t alloc;
    unsigned long next_line; /* the line the next row must start on */
    unsigned long last_line; /* of the last row read */
    bool header;             /* the header has been read */
    enum ca_status st;
    struct ca_error *err;
};

/* libcsv's test for the blanks it trims around a field: none here. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static int parse_count(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (*end != '\0' || errno || v > (UINT64_C(1) << 53))
        return -1;
    *out = v;
    return 0;
}

/* A row csvread found bad, or one whose quoted field spans lines. */
static enum ca_status bad_row(struct strata_reader *r, const struct csvrow *row)
{
    unsigned long line = row->line;

    if (row->bad == CSVROW_OVERSIZE)
        return ca_error_set(r->err, CA_DATA, r->path, line, NULL,
                            "line longer than %d bytes", STRATA_MAX_LINE);
    if (strstr(row->detail, "NUL byte"))
        return ca_error_set(r->err, CA_DATA, r->path, line, NULL,
                            "NUL byte in a text file");
    if (row->bad == CSVROW_ENCODING)
        return ca_error_set(r->err, CA_DATA, r->path, line, NULL,
                            "invalid UTF-8 in a text file");
    if (!r->header)
        return ca_error_set(r->err, CA_DATA, r->path, line, NULL,
                            "expected the header 'stratum,N,n,k'");
    return ca_error_set(r->err, CA_DATA, r->path, line, NULL,
                        "malformed quoted field");
}

/* A quoted field holds a line break (a CR is one in a file whose lines
 * end with a bare CR). */
static bool spans_lines(const struct strata_reader *r, const struct csvrow *row)
{
    size_t i;

    for (i = 0; i < row->nkept; i++)
        if (memchr(row->v[i], '\n', row->len[i]) ||
            (r->csv.cr_file && memchr(row->v[i], '\r', row->len[i])))
            return true;
    return false;
}

static enum ca_status check_header(struct strata_reader *r,
                                   const struct csvrow *row)
{
    size_t f;

    for (f = 0; f < 4 && row->n == 4; f++)
        if (strcmp(row->v[f], strata_cols[f]) != 0)
            break;
    if (row->n != 4 || f < 4)
        return ca_error_set(r->err, CA_DATA, r->path, row->line, NULL,
                            "expected the header 'stratum,N,n,k'");
    r->header = true;
    return CA_OK;
}

/* The counts of a stratum and what they must satisfy. */
static enum ca_status check_counts(struct strata_reader *r,
                                   struct strata_row *s,
                                   const struct csvrow *row)
{
    uint64_t *vals[3] = {&s->N, &s->n, &s->k};
    unsigned long line = row->line;
    size_t f;

    for (f = 1; f < 4; f++)
        if (parse_count(row->v[f], vals[f - 1]) < 0)
            return ca_error_set(r->err, CA_DATA, r->path, line, strata_cols[f],
                                "needs a whole number, not '%s'", row->v[f]);
    if (s->N == 0)
        return ca_error_set(r->err, CA_DATA, r->path, line, "N",
                            "must be at least 1");
    if (s->n == 0)
        return ca_error_set(r->err, CA_DATA, r->path, line, "n",
                            "must be at least 1");
    if (s->n > s->N)
        return ca_error_set(r->err, CA_DATA, r->path, line, "n",
                            "%llu exceeds N = %llu", (unsigned long long)s->n,
                            (unsigned long long)s->N);
    if (s->k > s->n)
        return ca_error_set(r->err, CA_DATA, r->path, line, "k",
                            "%llu exceeds n = %llu", (unsigned long long)s->k,
                            (unsigned long long)s->n);
    if (s->n == 1 && s->N > 1)
        return ca_error_set(r->err, CA_DATA, r->path, line, "n",
                            "1 leaves the stratum variance undefined "
                            "(sample at least 2, or the whole stratum)");
    return CA_OK;
}

/* One stratum row, checked and added. */
static enum ca_status add_stratum(struct strata_reader *r,
                                  const struct csvrow *row)
{
    struct strata *out = r->out;
    struct strata_row *s;
    size_t i, nlen;
    enum ca_status st;

    if (row->n != 4)
        return ca_error_set(r->err, CA_DATA, r->path, row->line, NULL,
                            "expected 4 fields (stratum,N,n,k), found %s%d",
                            row->n > 4 ? "more than " : "",
                            row->n > 4 ? 4 : (int)row->n);
    if (out->count == STRATA_MAX_ROWS)
        return ca_error_set(r->err, CA_DATA, r->path, row->line, NULL,
                            "more than %d strata", STRATA_MAX_ROWS);
    if (array_grow(&out->rows, &r->alloc, out->count + 1, sizeof(*s)) != 0)
        return ca_error_set(r->err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    s = &out->rows[out->count];
    memset(s, 0, sizeof(*s));
    s->line = row->line;
    nlen = row->len[0];
    if (nlen == 0 || nlen >= sizeof(s->name))
        return ca_error_set(r->err, CA_DATA, r->path, row->line, "stratum",
                            "needs a name of 1 to %d bytes",
                            STRATA_NAME_MAX - 1);
    memcpy(s->name, row->v[0], nlen + 1);
    if ((st = check_counts(r, s, row)) != CA_OK)
        return st;
    for (i = 0; i < out->count; i++)
        if (strcmp(out->rows[i].name, s->name) == 0)
            return ca_error_set(r->err, CA_DATA, r->path, row->line, "stratum",
                                "'%s' repeats line %lu", s->name,
                                out->rows[i].line);
    out->count++;
    return CA_OK;
}

static int on_row(void *ctx, struct csvrow *row)
{
    struct strata_reader *r = ctx;

    if (row->line > r->next_line)
        r->st = ca_error_set(r->err, CA_DATA, r->path, r->next_line, NULL,
                             "empty line");
    else if (row->bad != CSVROW_OK)
        r->st = bad_row(r, row);
    else if (spans_lines(r, row))
        r->st = bad_row(r, row); /* as a malformed quote */
    else if (!r->header)
        r->st = check_header(r, row);
    else
        r->st = add_stratum(r, row);
    r->last_line = row->line;
    r->next_line = row->line + 1;
    return r->st != CA_OK;
}

/* The file's bytes through the CSV reader; *nbytes counts them. */
static enum ca_status feed_file(struct strata_reader *r, FILE *fp,
                                size_t *nbytes)
{
    char chunk[16384];
    size_t got;
    enum ca_status st;

    *nbytes = 0;
    while (r->st == CA_OK && !r->csv.stopped &&
           (got = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        *nbytes += got;
        if ((st = csvread_feed(&r->csv, chunk, got, r->err)) != CA_OK)
            return st;
    }
    if (r->st != CA_OK)
        return r->st;
    if (ferror(fp))
        return ca_error_set(r->err, CA_SYSTEM, NULL, 0, NULL,
                            "unable to read '%s': %s", r->path,
                            strerror(errno));
    if ((st = csvread_end(&r->csv, r->err)) != CA_OK)
        return st;
    return r->st;
}

/* What the end of the file says: no lines, blank lines after the last
 * row, no strata. */
static enum ca_status check_end(struct strata_reader *r, size_t nbytes)
{
    if (nbytes == 0)
        return ca_error_set(r->err, CA_DATA, r->path, 1, NULL,
                            "empty file: expected the header 'stratum,N,n,k'");
    if (r->csv.line > r->next_line || !r->header)
        return ca_error_set(r->err, CA_DATA, r->path, r->next_line, NULL,
                            "empty line");
    if (r->out->count == 0)
        return ca_error_set(r->err, CA_DATA, r->path, r->last_line, NULL,
                            "no strata after the header");
    return CA_OK;
}

enum ca_status strata_read(const char *path, struct strata *out,
                           struct ca_error *err)
{
    struct strata_reader r;
    FILE *fp = NULL;
    size_t nbytes = 0;
    enum ca_status st;
    bool csv_ready = false;

    memset(out, 0, sizeof(*out));
    memset(&r, 0, sizeof(r));
    r.path = path;
    r.out = out;
    r.err = err;
    r.next_line = 1;
    /* missing, or a directory: bad input, as for every command */
    st = path_want_file(path, err);
    if (st != CA_OK)
        goto out;
    fp = fopen(path, "r");
    if (!fp) {
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                          "unable to open '%s': %s", path, strerror(errno));
        goto out;
    }
    if (csvread_init(&r.csv, CSVR_UTF8, STRATA_MAX_LINE, STRATA_MAX_LINE,
                     on_row, &r) != 0) {
        st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    csv_ready = true;
    r.csv.max_fields = 5;
    csv_set_space_func(&r.csv.p, no_space);
    csvread_begin(&r.csv);
    st = feed_file(&r, fp, &nbytes);
    if (st == CA_OK)
        st = check_end(&r, nbytes);
out:
    if (csv_ready)
        csvread_release(&r.csv);
    if (fp)
        fclose(fp);
    if (st != CA_OK)
        strata_release(out);
    return st;
}

void strata_release(struct strata *s)
{
    free(s->rows);
    s->rows = NULL;
    s->count = 0;
}
