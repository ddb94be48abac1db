/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the rule loader: any bytes are loaded as a rule file
 * (YAML parsing, schema checks, pattern compilation with error positions,
 * inline examples), and a rule that loads is evaluated on one small record
 * of each type, so that compiled patterns, where conditions, windows and
 * evidence are exercised too.  Build with `make fuzz`; run e.g.
 *   build/fuzz/fuzz_rules -max_total_time=60 tests/fuzz/corpus/rules
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/rules.h"
#include "ingest/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kv_common[] = {
    "force",
    "fuzzshire",
    "reported_at",
    "2022-10-27 09:00",
    "recorded_at",
    "2022-10-28 10:00",
    "vulnerable",
    "Y",
    "repeat_victim",
    "N",
    "named_suspect",
    "Y",
    "status",
    "open",
    "outcome_at",
    "",
    "decided_at",
    "2022-10-27",
    "circulated_at",
    "2022-10-29 11:00",
    "closed_at",
    "",
    "arrested_at",
    "2022-10-28 10:00",
    "bail_start",
    "2022-10-28",
    "bail_end",
    "2023-03-01",
    "failed_to_answer",
    "Y",
    "answered_at",
    "",
    "log",
    "2022-10-28 10:00 PC 1 A: Crime recorded, CCTV viewed.\n"
    "2022-11-02 09:00 DS 2 B: Supervisory review. Screened out, victim told.\n"
    "continued \xe2\x80\x93 line\n"
    "2023-01-20 10:00 Insp 3 C: Bail extension authorised. Address visited, no "
    "trace.",
    NULL};

static int ignore(void *ctx, const struct record *r,
                  const struct engine_verdict *v)
{
    (void)ctx;
    (void)r;
    (void)v;
    return 0;
}

static void eval_all_types(const struct ruleset *rs)
{
    const char *names[32], *values[32];
    size_t lens[32], n = 0, i;
    struct record r;
    struct engine_params p = {(int64_t)19570 * 86400};
    struct engine_scratch *s = engine_scratch_new(NULL);
    int t;

    if (!s)
        return;
    memset(&r, 0, sizeof(r));
    for (i = 0; i < CF__COUNT; i++)
        r.canon[i] = -1;
    for (i = 0; kv_common[2 * i] && n < 32; i++, n++) {
        int cf = cf_lookup(kv_common[2 * i]);

        names[n] = kv_common[2 * i];
        values[n] = kv_common[2 * i + 1];
        lens[n] = strlen(values[n]);
        if (cf >= 0) {
            int rc;
            r.canon[cf] = (int)n;
            if (cf_kind((enum cf)cf) == CFK_DATE) {
                rc = date_parse(values[n], lens[n], NULL, &r.at[cf],
                                &r.at_has_time[cf]);
                r.at_state[cf] = rc == 0 ? DS_OK : rc == 1 ? DS_EMPTY : DS_BAD;
            }
        }
    }
    r.ncols = n;
    r.names = names;
    r.values = values;
    r.lens = lens;
    r.source = "fuzz.csv";
    r.line = 2;
    r.force = "fuzzshire";
    r.id = "F1";
    for (t = RT_CRIME; t < RT__COUNT; t++) {
        r.type = (enum record_type)t;
        engine_eval(rs, &r, &p, s, ignore, NULL);
    }
    engine_scratch_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    struct ruleset_opts opts = {NULL, NULL, true};

    if (ruleset_load_buffer("fuzz.yaml", (const char *)data, size, &opts, &rs,
                            &err) == CA_OK) {
        eval_all_types(rs);
        ruleset_free(rs);
    } else if (err.msg[0] == '\0') {
        abort(); /* every failure must say why */
    }
    return 0;
}
