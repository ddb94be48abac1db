/* SPDX-License-Identifier: MIT */
/*
 * The findings schema: the columns of findings.csv, in the contract's
 * order (force,type,id,rule_id,category,level,verdict,entry_at,excerpt,
 * message; docs/design.md), and the verdict a rule gives a record (pass,
 * fail or error) with its names.  The one definition of both: the engine
 * writes findings with it (engine/findings.c), the report reads them back
 * (report/findings.c), and the per-test file verdicts of report/ use the
 * same enum.  Everything here is static data; nothing is allocated.
 */
#ifndef CA_UTIL_FINDINGS_SCHEMA_H
#define CA_UTIL_FINDINGS_SCHEMA_H

/* A rule's verdict on one record (and a file's verdict on a test). */
enum verdict { V_PASS = 0, V_FAIL, V_ERROR, V__COUNT };

/* The columns of findings.csv, in order. */
enum findings_column {
    FC_FORCE,
    FC_TYPE,
    FC_ID,
    FC_RULE_ID,
    FC_CATEGORY,
    FC_LEVEL,
    FC_VERDICT,
    FC_ENTRY_AT,
    FC_EXCERPT,
    FC_MESSAGE,
    FC__COUNT
};

/* The header names of findings.csv, indexed by enum findings_column. */
extern const char *const findings_columns[FC__COUNT];

/* "pass", "fail", "error"; "?" for any other value.  Static storage. */
const char *findings_verdict_name(enum verdict v);

/* The verdict named s (exactly "pass", "fail" or "error") in *v.
 * Returns 0, or -1 (*v unchanged) for any other text. */
int findings_verdict_parse(const char *s, enum verdict *v);

#endif
