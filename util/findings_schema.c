/* SPDX-License-Identifier: MIT */
/* The findings.csv columns and the verdict names; see findings_schema.h. */
#include "util/findings_schema.h"

#include <string.h>

const char *const findings_columns[FC__COUNT] = {
    "force", "type",    "id",       "rule_id", "category",
    "level", "verdict", "entry_at", "excerpt", "message",
};

static const char *const verdict_names[V__COUNT] = {"pass", "fail", "error"};

const char *findings_verdict_name(enum verdict v)
{
    return (unsigned)v < V__COUNT ? verdict_names[v] : "?";
}

int findings_verdict_parse(const char *s, enum verdict *v)
{
    int i;

    for (i = 0; i < V__COUNT; i++)
        if (strcmp(s, verdict_names[i]) == 0) {
            *v = (enum verdict)i;
            return 0;
        }
    return -1;
}
