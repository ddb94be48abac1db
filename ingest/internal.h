/* SPDX-License-Identifier: MIT */
/*
 * Private to ingest/: the case-log context a record's log_ctx points to
 * (which entry-header regex splits the log, or the entries joined from a
 * separate entries file), and the compiled entry-header regex shared by
 * record.c (splitting) and profile.c (user regexes).  Nothing outside
 * ingest/ includes this file.
 */
#ifndef CA_INGEST_INTERNAL_H
#define CA_INGEST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ingest/record.h"

/* The contract's default entry-header regex (case-insensitive) is
 * ENTRY_HEADER_AT, the rank alternation of ingest/rank.c, then
 * ENTRY_HEADER_WHO: "2014-02-03 14:22 DS 4521 Smith: text", where the
 * rank, collar number and name are optional and "DS: text" is allowed. */
#define ENTRY_HEADER_AT                                                        \
    "^(?<at>\\d{4}-\\d{2}-\\d{2}(?:[ T]\\d{2}:\\d{2}(?::\\d{2})?"              \
    "(?:Z|[+-]\\d{2}:?\\d{2})?)?|\\d{2}/\\d{2}/\\d{4}(?: \\d{2}:\\d{2}"        \
    "(?::\\d{2})?)?)\\s+(?:(?<rank>"
#define ENTRY_HEADER_WHO_TAIL "(?:\\s+(?<author>[^:\\n]{0,60}?))?\\s*:\\s*"
#define ENTRY_HEADER_WHO ")" ENTRY_HEADER_WHO_TAIL ")?"

/* A compiled (JIT where available) entry-header regex and its groups. */
struct entry_regex {
    pcre2_code *re; /* owned unless it is the shared default */
    uint32_t at_no; /* group numbers; 0 when the group is absent */
    uint32_t rank_no;
    uint32_t author_no;
    uint32_t pairs; /* capture groups + 1 */
};

/*
 * Compile pattern (case-insensitive, UTF-8) into rx.  The pattern must
 * have a named group "at".  Returns 0, or -1 with a message in msg and the
 * offending offset in *offset.
 */
int entry_regex_compile(struct entry_regex *rx, const char *pattern, char *msg,
                        size_t msgsize, size_t *offset);
void entry_regex_release(struct entry_regex *rx);
/* The default regex, compiled once (pthread_once); NULL if PCRE2 failed. */
const struct entry_regex *entry_regex_default(void);
/*
 * Whether the default regex can match the line line[0, len): false only
 * when it cannot, because the line does not start with the two ASCII
 * digits every timestamp of ENTRY_HEADER_AT starts with (\d without UCP
 * is [0-9] alone).  Most lines of a log that are not headers fail here,
 * without PCRE2.
 */
bool entry_header_may_match(const char *line, size_t len);

/* What record.log_ctx points to. */
struct record_logctx {
    const struct entry_regex *rx; /* NULL: the default */
    const char *at_format; /* date format of the "at" group; NULL: auto */
    size_t max_entries;    /* limits.max_log_entries; 0 = default */
    bool joined;           /* use the entries below, not the log column */
    bool utf8_valid;       /* ingest checked every field's UTF-8 */
    const struct log_entry *entries;
    size_t nentries;
};

/* Case-insensitive ASCII comparison helpers shared inside ingest/. */
int ingest_strcaseeq(const char *a, const char *b);
int ingest_strncaseeq(const char *a, const char *b, size_t n);

#endif
