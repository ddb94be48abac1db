/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the .xlsx reader (ingest/xlsx.c): any bytes are
 * read as a workbook (zip through libarchive, then the workbook, its
 * relationships, shared strings and first sheet through the strict XML
 * reader), every cell handed to a callback that touches it.  Build with
 * `make fuzz`; run e.g.
 *   build/fuzz/fuzz_xlsx -max_total_time=60 tests/fuzz/corpus/xlsx
 * (seed the corpus with a worksheet.xlsx that `caseaudit run` writes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum ca_status on_row(void *ctx, unsigned long row,
                             const struct xlsx_cell *cells, size_t n,
                             struct ca_error *err)
{
    size_t *sum = ctx, i;
    char day[11];

    (void)row;
    (void)err;
    for (i = 0; i < n; i++) {
        *sum += strlen(cells[i].text);
        if (cells[i].number)
            (void)xlsx_serial_day(cells[i].text, false, day);
    }
    return CA_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ca_error err = CA_ERROR_INIT;
    size_t sum = 0;
    bool d1904;

    (void)xlsx_read("fuzz.xlsx", data, size, on_row, &sum, &d1904, &err);
    return 0;
}
