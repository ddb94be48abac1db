/* SPDX-License-Identifier: MIT */
/*
 * Rule evaluation: one verdict (pass, fail or error) with evidence for every
 * record and applicable rule.  A compiled struct ruleset is immutable and
 * shared; everything that changes while evaluating lives in a per-thread
 * struct engine_scratch (PCRE2 match data, JIT stack, the split log, sort
 * space and the evidence buffers), so evaluation allocates nothing per
 * record once the scratch has grown to the largest log seen.
 *
 * A record's log is split into entries (record_log, the one splitter),
 * validated as UTF-8
 * once, and every pattern is then matched per entry with
 * PCRE2_NO_UTF_CHECK.  A log that is not valid UTF-8, a pattern that hits a
 * match, depth, heap or JIT-stack limit, or a field the rule needs that the
 * record lacks gives verdict `error` for that record and rule, with a
 * message: never a crash, a hang or a silent pass.
 */
#ifndef CA_ENGINE_H
#define CA_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rules.h"
#include "ingest/record.h"
#include "util/findings_schema.h"
#include "util/status.h"

/* enum verdict: util/findings_schema.h */

/* findings_verdict_name(v): "pass", "fail", "error" (use that one) */
const char *verdict_name(enum verdict v);

/* Per-match resource limits; zero means the default shown. */
struct engine_limits {
    uint32_t match_limit;    /* 1000000 backtracking steps per match */
    uint32_t depth_limit;    /* 10000 (interpreter only) */
    uint32_t heap_limit_kib; /* 8192 KiB (interpreter only) */
    size_t jit_stack_max;    /* 1 MiB */
    size_t max_log_entries;  /* 100000 entries per log */
    bool no_prefilter;       /* run PCRE2 on every entry (for tests) */
    bool no_starts;          /* search every place, not only where a pattern's
                     * matches may start (for tests) */
    bool no_early;           /* work out every rule the long way, not
                     * stopping where its verdict is decided (for tests) */
    bool plain_scopes;       /* work out context scopes the plain way: every
                     * label and form value anew, not from the memo,
                     * and boundaries and sections byte by byte (for
                     * tests) */
};

struct engine_params {
    /* The day open files are judged at (seconds, midnight UTC): the end
     * of max_gap and applies_to.span for a record still open. */
    int64_t as_of;
};

/* The verdict for one record and rule, with its evidence.  All strings
 * are borrowed from the scratch and valid until the callback returns. */
struct engine_verdict {
    const struct rule *rule;
    enum verdict verdict;
    bool has_entry_at;   /* entry_at is set */
    bool entry_has_time; /* entry_at has a time of day */
    int64_t entry_at;    /* the qualifying (or offending) entry */
    const char *excerpt; /* <= 160 characters, whitespace folded; "" */
    const char *message; /* what was missing, or why error; "" */
};

/* Return 0 to go on, non-zero to stop evaluating this record. */
typedef int (*engine_verdict_fn)(void *ctx, const struct record *r,
                                 const struct engine_verdict *v);

struct engine_scratch;

/*
 * A scratch for one thread.  limits may be NULL (defaults).  Returns NULL
 * when out of memory.  Free with engine_scratch_free (NULL-safe).
 */
struct engine_scratch *engine_scratch_new(const struct engine_limits *limits);
void engine_scratch_free(struct engine_scratch *s);

/*
 * Evaluate every rule of rs that applies to r, in rule-id order, calling fn
 * once per (rule, verdict).  Rules for another record type, whose
 * applies_to.where, span or entry does not hold, or deprecated rules, give
 * no call.  Returns CA_OK (problems with the record are `error` verdicts,
 * not failures); CA_SYSTEM only when fn asked to stop is not an error:
 * stopping returns CA_OK too.
 */
enum ca_status engine_eval(const struct ruleset *rs, const struct record *r,
                           const struct engine_params *p,
                           struct engine_scratch *s, engine_verdict_fn fn,
                           void *ctx);

/*
 * As engine_eval, for only some of the rules: only[rule_index(rule)]
 * non-zero (an array of ruleset_count(rs) flags; NULL: every rule).  A
 * rule left out is not evaluated at all (`caseaudit run` checks each
 * sample with the rules of the tests asked of it).
 */
enum ca_status
engine_eval_only(const struct ruleset *rs, const struct record *r,
                 const struct engine_params *p, const unsigned char *only,
                 struct engine_scratch *s, engine_verdict_fn fn, void *ctx);

/*
 * As engine_eval, with the log already split (entries borrowed; the record
 * is still used for its fields).  For callers that join an entries file
 * themselves, and for tests.
 */
enum ca_status
engine_eval_entries(const struct ruleset *rs, const struct record *r,
                    const struct log_entry *entries, size_t nentries,
                    const struct engine_params *p, struct engine_scratch *s,
                    engine_verdict_fn fn, void *ctx);

/*
 * Calendar helpers behind the date windows (exposed for tests).  Days are
 * counted from 1970-01-01 (date_days_from_civil in ingest/record.h).  Working
 * days are Monday to Friday except the bank holidays of England and Wales
 * (computed, including the one-off holidays since 1995).
 */
int cal_weekday(int64_t day); /* 0 = Monday .. 6 = Sunday */
bool cal_is_bank_holiday(int64_t day);
bool cal_is_working_day(int64_t day);
/* The day n working days after (n > 0) or before (n < 0) day. */
int64_t cal_add_working_days(int64_t day, int n);
/* Same day of month n months later (clamped to the month's last day). */
int64_t cal_add_months(int64_t day, int n);
/* Floor of secs / 86400. */
int64_t cal_day_of(int64_t secs);

#endif
