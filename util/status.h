/* SPDX-License-Identifier: MIT */
/*
 * Status codes and the caller-owned error struct shared by every library
 * module.  A library function returns an enum ca_status and, on failure,
 * fills the struct ca_error its caller passed in; only cmd/ turns that into
 * a message on the terminal and an exit code.  The numeric values of the
 * status codes are the process exit codes documented in the README.
 */
#ifndef CA_STATUS_H
#define CA_STATUS_H

#include <stdarg.h>
#include <stddef.h>

enum ca_status {
    CA_OK = 0,       /* success */
    CA_FINDINGS = 1, /* ran, and found what the caller asked to fail on */
    CA_USAGE = 2,    /* bad command line or bad configuration */
    CA_DATA = 3,     /* bad input data (CSV, archive, rule file, manifest) */
    CA_SYSTEM = 4    /* I/O, memory or other system failure */
};

/*
 * Where and why something failed.  Fixed-size so that it can live on the
 * stack and be filled without allocating (an out-of-memory error must be
 * reportable).  file is empty and line/col are 0 when not applicable.
 */
struct ca_error {
    enum ca_status status;
    char file[512];
    unsigned long line;
    unsigned long col;
    char field[128];
    char msg[1024];
};

#define CA_ERROR_INIT                                                          \
    {                                                                          \
        CA_OK, "", 0, 0, "", ""                                                \
    }

void ca_error_clear(struct ca_error *e);

/*
 * Record an error.  file and field may be NULL.  Returns st, so that a
 * caller can write `return ca_error_set(err, CA_DATA, ...)`.  A NULL err is
 * allowed and ignored.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
enum ca_status
ca_error_set(struct ca_error *e, enum ca_status st, const char *file,
             unsigned long line, const char *field, const char *fmt, ...);

/* Set the column of an already recorded error (1-based; 0 = none). */
void ca_error_set_col(struct ca_error *e, unsigned long col);

/*
 * Format the error as one line, git style:
 *   "file:line:col: field 'x': message"   (parts present only when set)
 * Returns buf.
 */
const char *ca_error_format(const struct ca_error *e, char *buf, size_t size);

/* Exit code for a status (the identity, clamped to the documented set). */
int ca_status_exit_code(enum ca_status st);

#endif
