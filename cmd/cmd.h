/* SPDX-License-Identifier: MIT */
/*
 * The command layer: the only code that parses options, prints to the
 * terminal and chooses exit codes.  Each command is one file exporting
 * cmd_<name>(argc, argv), where argv[0] is the command name; it returns the
 * process exit code (0 ok, 1 findings, 2 usage, 3 bad data, 4 system).
 */
#ifndef CA_CMD_H
#define CA_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/escape.h"
#include "util/status.h"

struct cmd_desc {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary; /* one line for `caseaudit help` */
};

int cmd_run(int argc, char **argv);
int cmd_inventory(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_worksheet(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_gen(int argc, char **argv);

/* The command table (NULL-terminated), for help listings. */
const struct cmd_desc *cmd_table(void);

/*
 * Print "usage: <usage>" and, when fmt is not NULL, "error: <message>"
 * to stderr; returns 2.  usage is the command's one-line synopsis.
 */
int cmd_usage_error(const char *usage, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Print "error: <formatted ca_error>" to stderr; returns its exit code. */
int cmd_fail(const struct ca_error *err);

/* Print "warning: ..." or "error: ..." to stderr.  The message (of
 * these, of cmd_usage_error and of cmd_fail) is written terminal-safe:
 * control characters and escape sequences in the names and values it
 * quotes are shown as \e, \xNN and the like (util/escape.h). */
void cmd_warn(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void cmd_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * Strict number parsing for option values: the whole string must parse and
 * lie in [lo, hi].  A value ending in '%' is divided by 100 (for rates).
 * Returns 0, or -1 after printing a usage error naming the option.
 */
int cmd_parse_double(const char *usage, const char *opt, const char *arg,
                     double lo, double hi, double *out);

/*
 * The usage error for a rate option (--confidence, --tolerable, ...) whose
 * value arg is not one: "needs <range> (e.g. 5% or 0.05)", or, for a bare
 * number from 1 to 100 such as '95', that it is a percentage written
 * without '%' (for --confidence, a confidence level).  Returns 2.
 */
int cmd_rate_error(const char *usage, const char *opt, const char *arg,
                   const char *range);
int cmd_parse_u64(const char *usage, const char *opt, const char *arg,
                  uint64_t lo, uint64_t hi, uint64_t *out);

/* Whether stderr is a terminal (progress output is shown only then). */
bool cmd_stderr_is_tty(void);

struct ingest_progress;
/* An ingest_progress_fn (ingest/ingest.h): the progress line of a read on
 * stderr ("ingest: N records, X MB/s, P%, ETA m:ss"); ctx unused. */
void cmd_ingest_progress(void *ctx, const struct ingest_progress *p);

/*
 * The usage error for a bad option, after getopt_long (with opterr = 0)
 * returned c: ':' (a missing value; optstring starts with ':') prints
 * "option 'X' needs a value", anything else "unknown option 'X'", where X is
 * argv[optind - 1], with "did you mean '--Y'?" when one of longopts (the
 * table given to getopt_long; may be NULL) is a near miss, or the options
 * an ambiguous abbreviation could stand for.  Returns 2.
 */
int cmd_getopt_error(const char *usage, char *const *argv, int c,
                     const struct option *longopts);

/* Print "error: out of memory" to stderr; returns 4. */
int cmd_oom(void);

/*
 * A growable vector of borrowed strings, for repeatable options.  Start it
 * zeroed; cmd_strv_push appends x (not copied) and returns 0, or -1 when out
 * of memory; free(s->v) releases it.
 */
struct cmd_strv {
    const char **v;
    size_t n, alloc;
};
int cmd_strv_push(struct cmd_strv *s, const char *x);

/*
 * Parse an --as-of DATE, YYYY-MM-DD or DD/MM/YYYY (a day of the calendar;
 * no time), into *out, the midnight (UTC seconds) starting that day.
 * Returns 0, or -1 after printing a usage error.
 */
int cmd_parse_as_of(const char *usage, const char *arg, int64_t *out);

/*
 * Find the shipped data directory rel (e.g. "rules") into buf.  Returns 0,
 * or 3 after printing "error: cannot find the shipped <what> (looked in
 * '<path>')", followed by "; <hint>" when hint is not NULL.
 */
int cmd_find_shipped(const char *rel, const char *what, const char *hint,
                     char *buf, size_t size);

/* Print every rejected row of a reviews file (after cmd_fail). */
struct reviews;
void cmd_print_rejected_reviews(const struct reviews *rv);

#endif
