/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer, always NUL-terminated.  Growth is capped: a buffer
 * that would pass its cap fails with -1 instead of eating memory, so every
 * buffer that grows from input has a hard limit (cap 0 = SIZE_MAX/2).
 */
#ifndef CA_BUF_H
#define CA_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* owned; "" when empty (never NULL after buf_init) */
    size_t len;
    size_t alloc;
    size_t cap;
};

void buf_init(struct buf *b, size_t cap);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);             /* len = 0, keeps memory */
int buf_grow(struct buf *b, size_t extra); /* 0, or -1 (cap or ENOMEM) */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Hand over the data; the buffer is left empty and initialised. */
char *buf_detach(struct buf *b, size_t *len);

#endif
