/* SPDX-License-Identifier: MIT */
/*
 * A test record built from name/value pairs (a NULL-terminated array
 * name, value, name, value, ...), its dates parsed as ingest does, for the
 * unit tests that evaluate rules and conditions on records.  The record
 * borrows the strings of kv.  Header-only (static inline) because each
 * tests/unit/test_*.c is a program of its own and the Makefile links it
 * with the library objects only.
 */
#ifndef CA_TEST_TREC_H
#define CA_TEST_TREC_H

#include <stddef.h>
#include <string.h>

#include "ingest/record.h"

struct trec {
    struct record r;
    const char *names[40];
    const char *values[40];
    size_t lens[40];
};

static inline void trec_init(struct trec *t, enum record_type type,
                             const char *const *kv)
{
    size_t i, n = 0;

    memset(t, 0, sizeof(*t));
    t->r.type = type;
    t->r.source = "test.csv";
    t->r.line = 2;
    t->r.force = "testshire";
    t->r.id = "X1";
    for (i = 0; i < CF__COUNT; i++)
        t->r.canon[i] = -1;
    for (i = 0; kv[2 * i]; i++) {
        int cf = cf_lookup(kv[2 * i]);

        t->names[n] = kv[2 * i];
        t->values[n] = kv[2 * i + 1];
        t->lens[n] = strlen(kv[2 * i + 1]);
        if (cf >= 0) {
            t->r.canon[cf] = (int)n;
            if (cf_kind((enum cf)cf) == CFK_DATE) {
                int rc = date_parse(t->values[n], t->lens[n], NULL,
                                    &t->r.at[cf], &t->r.at_has_time[cf]);
                t->r.at_state[cf] = rc == 0   ? DS_OK
                                    : rc == 1 ? DS_EMPTY
                                              : DS_BAD;
            }
        }
        n++;
    }
    t->r.ncols = n;
    t->r.names = t->names;
    t->r.values = t->values;
    t->r.lens = t->lens;
}

#endif
