/* SPDX-License-Identifier: MIT */
/*
 * Reference for `make bench`: the bare cost of parsing a CSV file with
 * libcsv in strict mode, with nothing done per field but counting.  It is
 * the floor caseaudit's own ingest (libcsv plus checks, profile mapping and
 * hashing) is compared with.  Reads the file (or standard input) in 1 MiB
 * blocks and prints "ROWS FIELDS BYTES".  Not part of caseaudit.
 *
 * Build: cc -O2 -o csvparse bench/csvparse.c -lcsv
 */
#include <stdio.h>
#include <stdlib.h>

#include <csv.h>

struct counts {
    unsigned long long rows, fields, bytes;
};

static void on_field(void *s, size_t len, void *ctx)
{
    struct counts *c = ctx;
    (void)s;
    c->fields++;
    c->bytes += len;
}

static void on_row(int ch, void *ctx)
{
    struct counts *c = ctx;
    (void)ch;
    c->rows++;
}

int main(int argc, char **argv)
{
    static char block[1 << 20];
    struct csv_parser p;
    struct counts c = {0, 0, 0};
    FILE *f = stdin;
    size_t n;
    int rc = 0;

    if (argc > 2) {
        fprintf(stderr, "usage: csvparse [FILE]\n");
        return 2;
    }
    if (argc == 2 && !(f = fopen(argv[1], "rb"))) {
        perror(argv[1]);
        return 4;
    }
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
        fprintf(stderr, "csvparse: csv_init failed\n");
        return 4;
    }
    while ((n = fread(block, 1, sizeof block, f)) > 0) {
        if (csv_parse(&p, block, n, on_field, on_row, &c) != n) {
            fprintf(stderr, "csvparse: %s\n", csv_strerror(csv_error(&p)));
            rc = 3;
            goto out;
        }
    }
    if (ferror(f)) {
        perror("read");
        rc = 4;
        goto out;
    }
    if (csv_fini(&p, on_field, on_row, &c) != 0) {
        fprintf(stderr, "csvparse: %s\n", csv_strerror(csv_error(&p)));
        rc = 3;
        goto out;
    }
    printf("%llu %llu %llu\n", c.rows, c.fields, c.bytes);
out:
    csv_free(&p);
    if (f != stdin)
        fclose(f);
    return rc;
}
