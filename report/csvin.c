/* SPDX-License-Identifier: MIT */
/*
 * Strict CSV rows with physical line numbers; see csvin.h.  The input is
 * fed to libcsv one physical line at a time: when the parser is between
 * rows as a line begins, that line is where the next row starts.
 */
#include "report/csvin.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csvw.h"

struct csvin {
    const char *path;
    csvin_row_fn fn;
    void *ctx;
    struct ca_error *err;
    enum ca_status st;      /* first failure; stops the feed */
    unsigned long line;     /* line being fed */
    unsigned long row_line; /* where the row being built starts */
    char *buf;              /* fields of the current row, back to back */
    size_t buflen, bufalloc;
    size_t off[CSVIN_MAX_FIELDS];
    size_t len[CSVIN_MAX_FIELDS];
    char *v[CSVIN_MAX_FIELDS];
    size_t nf;
};

static void csvin_field(void *data, size_t len, void *vc)
{
    struct csvin *c = vc;

    if (c->st != CA_OK)
        return;
    if (c->nf >= CSVIN_MAX_FIELDS) {
        c->st = ca_error_set(c->err, CA_DATA, c->path, c->row_line, NULL,
                             "more than %d fields in a row", CSVIN_MAX_FIELDS);
        return;
    }
    if (len > CSVIN_MAX_FIELD || c->buflen + len + 1 > CSVIN_MAX_ROW) {
        c->st = ca_error_set(c->err, CA_DATA, c->path, c->row_line, NULL,
                             "field %zu is too large (caps: 1 MiB per field, "
                             "16 MiB per row)",
                             c->nf + 1);
        return;
    }
    if (len && memchr(data, '\0', len)) {
        c->st = ca_error_set(c->err, CA_DATA, c->path, c->row_line, NULL,
                             "NUL byte in field %zu", c->nf + 1);
        return;
    }
    if (c->buflen + len + 1 > c->bufalloc) {
        size_t na = c->bufalloc ? c->bufalloc : 4096;
        char *nb;

        while (na < c->buflen + len + 1)
            na *= 2;
        nb = realloc(c->buf, na);
        if (!nb) {
            c->st = ca_error_set(c->err, CA_SYSTEM, c->path, c->row_line, NULL,
                                 "out of memory");
            return;
        }
        c->buf = nb;
        c->bufalloc = na;
    }
    if (len)
        memcpy(c->buf + c->buflen, data, len);
    c->off[c->nf] = c->buflen;
    c->len[c->nf] = len;
    c->buflen += len;
    c->buf[c->buflen++] = '\0';
    c->nf++;
}

static void csvin_row_end(int term, void *vc)
{
    struct csvin *c = vc;
    struct csvin_row row;
    size_t i;

    (void)term;
    if (c->st == CA_OK) {
        for (i = 0; i < c->nf; i++) {
            /* undo the writer's formula guard: the exact value written */
            size_t skip = csvw_unguard(c->buf + c->off[i], c->len[i]);

            c->v[i] = c->buf + c->off[i] + skip;
            c->len[i] -= skip;
        }
        row.path = c->path;
        row.line = c->row_line;
        row.n = c->nf;
        row.v = c->v;
        row.len = c->len;
        c->st = c->fn(c->ctx, &row, c->err);
    }
    c->nf = 0;
    c->buflen = 0;
}

/* Feed one physical line (with its LF, if any). */
static void csvin_feed(struct csvin *c, struct csv_parser *p, const char *s,
                       size_t n)
{
    if (p->pstate == 0) /* ROW_NOT_BEGUN: a row (if any) starts here */
        c->row_line = c->line;
    if (csv_parse(p, s, n, csvin_field, csvin_row_end, c) != n &&
        c->st == CA_OK)
        c->st = ca_error_set(c->err, CA_DATA, c->path, c->row_line, NULL,
                             "malformed CSV: %s", csv_strerror(csv_error(p)));
}

/* Feed a chunk of bytes, line by line; *first says whether a BOM may
 * still come. */
static void csvin_chunk(struct csvin *c, struct csv_parser *p,
                        const char *chunk, size_t got, bool *first, char **line,
                        size_t *linelen, size_t *linealloc)
{
    size_t i = 0;

    if (*first) {
        *first = false;
        if (got >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0)
            i = 3;
    }
    while (i < got && c->st == CA_OK) {
        const char *nl = memchr(chunk + i, '\n', got - i);
        size_t seg = nl ? (size_t)(nl - (chunk + i)) + 1 : got - i;

        if (*linelen + seg > CSVIN_MAX_ROW) {
            c->st = ca_error_set(c->err, CA_DATA, c->path, c->line, NULL,
                                 "line longer than 16 MiB");
            break;
        }
        if (*linelen + seg > *linealloc) {
            size_t na = *linealloc ? *linealloc : 4096;
            char *nb;

            while (na < *linelen + seg)
                na *= 2;
            nb = realloc(*line, na);
            if (!nb) {
                c->st = ca_error_set(c->err, CA_SYSTEM, c->path, c->line, NULL,
                                     "out of memory");
                break;
            }
            *line = nb;
            *linealloc = na;
        }
        memcpy(*line + *linelen, chunk + i, seg);
        *linelen += seg;
        i += seg;
        if (nl) {
            csvin_feed(c, p, *line, *linelen);
            *linelen = 0;
            c->line++;
        }
    }
}

/* Read from fp, or (fp NULL) from data[0..len). */
static enum ca_status csvin_run(const char *path, FILE *fp, const char *data,
                                size_t len, csvin_row_fn fn, void *ctx,
                                struct ca_error *err)
{
    struct csvin *c = NULL;
    struct csv_parser p;
    bool pinit = false, first = true;
    char chunk[65536];
    char *line = NULL;
    size_t linelen = 0, linealloc = 0;
    enum ca_status st = CA_OK;

    c = calloc(1, sizeof(*c));
    if (!c)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    c->path = path;
    c->fn = fn;
    c->ctx = ctx;
    c->err = err;
    c->line = 1;
    c->row_line = 1;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        st = ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
        goto out;
    }
    pinit = true;
    if (!fp) {
        csvin_chunk(c, &p, data, len, &first, &line, &linelen, &linealloc);
    } else {
        for (;;) {
            size_t got = fread(chunk, 1, sizeof(chunk), fp);

            if (got == 0)
                break;
            csvin_chunk(c, &p, chunk, got, &first, &line, &linelen, &linealloc);
            if (c->st != CA_OK)
                break;
        }
        if (c->st == CA_OK && ferror(fp))
            c->st = ca_error_set(err, CA_SYSTEM, path, c->line, NULL,
                                 "read error: %s", strerror(errno));
    }
    if (c->st == CA_OK && linelen)
        csvin_feed(c, &p, line, linelen);
    if (c->st == CA_OK && csv_fini(&p, csvin_field, csvin_row_end, c) != 0 &&
        c->st == CA_OK)
        c->st = ca_error_set(err, CA_DATA, path, c->row_line, NULL,
                             "malformed CSV: unterminated quoted field");
    st = c->st;
out:
    if (pinit)
        csv_free(&p);
    free(line);
    if (c)
        free(c->buf);
    free(c);
    return st;
}

enum ca_status csvin_read(const char *path, csvin_row_fn fn, void *ctx,
                          struct ca_error *err)
{
    FILE *fp;
    enum ca_status st;

    if (strcmp(path, "-") == 0)
        return csvin_run(path, stdin, NULL, 0, fn, ctx, err);
    fp = fopen(path, "rb");
    if (!fp)
        return ca_error_set(err, errno == ENOENT ? CA_DATA : CA_SYSTEM, path, 0,
                            NULL, "unable to open: %s", strerror(errno));
    st = csvin_run(path, fp, NULL, 0, fn, ctx, err);
    fclose(fp);
    return st;
}

enum ca_status csvin_read_mem(const char *name, const char *data, size_t len,
                              csvin_row_fn fn, void *ctx, struct ca_error *err)
{
    return csvin_run(name, NULL, data, len, fn, ctx, err);
}
