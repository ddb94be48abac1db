/* SPDX-License-Identifier: MIT */
/*
 * summary.json: every figure of the report, machine-readable (the keys are
 * a contract, docs/report.md); and an inventory's row accounting read back
 * for the report's tables.
 */
#ifndef CA_REPORT_JSON_H
#define CA_REPORT_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "report/common.h"
#include "util/status.h"

/* Write summary.json to fp (borrowed).  CA_SYSTEM on I/O failure. */
enum ca_status report_write_json(const struct report *r, FILE *fp,
                                 struct ca_error *err);

/* The row accounting of an inventory (the JSON of `caseaudit inventory
 * --json`: rows_read, rows_accepted, rows_rejected, rejected_by_reason). */
struct inventory_summary {
    uint64_t rows_read, rows_accepted, rows_rejected;
    struct sreject *rej; /* owned */
    size_t nrej;
};

/* Returns 0 and fills out, or -1 when text is not such JSON (out is then
 * empty).  Release with report_inventory_release. */
int report_inventory_parse(const char *text, struct inventory_summary *out);
void report_inventory_release(struct inventory_summary *s);

#endif
