/* SPDX-License-Identifier: MIT */
/* CSV writer; see csvw.h. */
#include "util/csvw.h"

#include <stdarg.h>
#include <string.h>

void csvw_init(struct csvw *w, FILE *fp)
{
    w->fp = fp;
    w->crlf = false;
    w->formula_guard = true;
    w->col = 0;
}

void csvw_field(struct csvw *w, const char *text, size_t len)
{
    bool quote = false;
    bool guard = false;
    size_t i;

    if (w->col++)
        fputc(',', w->fp);
    if (len && w->formula_guard &&
        (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
         text[0] == '\t' || text[0] == '\r')) {
        /* a leading '-' followed by a digit is a number, not a formula */
        if (!(text[0] == '-' && len > 1 && text[1] >= '0' && text[1] <= '9'))
            guard = true;
    }
    for (i = 0; i < len && !quote; i++)
        if (text[i] == ',' || text[i] == '"' || text[i] == '\n' ||
            text[i] == '\r')
            quote = true;
    if (!quote && !guard) {
        fwrite(text, 1, len, w->fp);
        return;
    }
    if (quote)
        fputc('"', w->fp);
    if (guard)
        fputc('\'', w->fp);
    /* write runs up to and including each quote, then double the quote */
    for (i = 0; i < len;) {
        const char *q = memchr(text + i, '"', len - i);
        size_t run = q ? (size_t)(q - (text + i)) + 1 : len - i;

        fwrite(text + i, 1, run, w->fp);
        if (q)
            fputc('"', w->fp);
        i += run;
    }
    if (quote)
        fputc('"', w->fp);
}

void csvw_str(struct csvw *w, const char *s)
{
    csvw_field(w, s ? s : "", s ? strlen(s) : 0);
}

void csvw_printf(struct csvw *w, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(buf))
        n = sizeof(buf) - 1;
    csvw_field(w, buf, (size_t)n);
}

void csvw_end_row(struct csvw *w)
{
    fputs(w->crlf ? "\r\n" : "\n", w->fp);
    w->col = 0;
}

void csvw_row(struct csvw *w, const char *const *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        csvw_str(w, v[i]);
    csvw_end_row(w);
}
