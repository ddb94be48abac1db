/* SPDX-License-Identifier: MIT */
/* Error struct helpers; see status.h. */
#include "util/status.h"

#include <stdio.h>
#include <string.h>

void ca_error_clear(struct ca_error *e)
{
    if (!e)
        return;
    e->status = CA_OK;
    e->file[0] = '\0';
    e->line = 0;
    e->col = 0;
    e->field[0] = '\0';
    e->msg[0] = '\0';
}

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n;

    if (!src) {
        dst[0] = '\0';
        return;
    }
    n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

enum ca_status ca_error_set(struct ca_error *e, enum ca_status st,
                            const char *file, unsigned long line,
                            const char *field, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return st;
    e->status = st;
    copy_str(e->file, sizeof(e->file), file);
    e->line = line;
    e->col = 0;
    copy_str(e->field, sizeof(e->field), field);
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return st;
}

void ca_error_set_col(struct ca_error *e, unsigned long col)
{
    if (e)
        e->col = col;
}

const char *ca_error_format(const struct ca_error *e, char *buf, size_t size)
{
    size_t off = 0;
    int n;

    if (size == 0)
        return buf;
    buf[0] = '\0';
#define APPEND(...)                                                            \
    do {                                                                       \
        n = snprintf(buf + off, size - off, __VA_ARGS__);                      \
        if (n < 0 || (size_t)n >= size - off) {                                \
            off = size - 1;                                                    \
            goto out;                                                          \
        }                                                                      \
        off += (size_t)n;                                                      \
    } while (0)
    if (e->file[0]) {
        APPEND("%s:", e->file);
        if (e->line)
            APPEND("%lu:", e->line);
        if (e->line && e->col)
            APPEND("%lu:", e->col);
        APPEND(" ");
    }
    if (e->field[0])
        APPEND("field '%s': ", e->field);
    APPEND("%s", e->msg[0] ? e->msg : "unknown error");
#undef APPEND
out:
    return buf;
}

int ca_status_exit_code(enum ca_status st)
{
    switch (st) {
    case CA_OK:
    case CA_FINDINGS:
    case CA_USAGE:
    case CA_DATA:
    case CA_SYSTEM:
        return (int)st;
    }
    return CA_SYSTEM;
}
