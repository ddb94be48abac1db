/* SPDX-License-Identifier: MIT */
/* Growable capped buffer; see buf.h. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_buf[1];

void buf_init(struct buf *b, size_t cap)
{
    b->data = empty_buf;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap ? cap : SIZE_MAX / 2;
}

void buf_release(struct buf *b)
{
    if (b->alloc)
        free(b->data);
    buf_init(b, b->cap);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->alloc)
        b->data[0] = '\0';
}

int buf_grow(struct buf *b, size_t extra)
{
    size_t need, n;
    char *p;

    if (extra > b->cap || b->len > b->cap - extra)
        return -1;
    need = b->len + extra + 1;
    if (need <= b->alloc)
        return 0;
    n = b->alloc ? b->alloc : 64;
    while (n < need)
        n = n < SIZE_MAX / 2 ? n * 2 : need;
    p = realloc(b->alloc ? b->data : NULL, n);
    if (!p)
        return -1;
    if (!b->alloc)
        p[0] = '\0';
    b->data = p;
    b->alloc = n;
    return 0;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
    if (buf_grow(b, len) != 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int buf_addstr(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

int buf_addch(struct buf *b, char c)
{
    return buf_add(b, &c, 1);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_grow(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *p;

    if (!b->alloc) {
        p = malloc(1);
        if (p)
            p[0] = '\0';
    } else {
        p = b->data;
    }
    if (len)
        *len = b->len;
    b->alloc = 0;
    buf_init(b, b->cap);
    return p;
}
