/* SPDX-License-Identifier: MIT */
/* CSV writer; see csvw.h. */
#include "util/csvw.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

void csvw_init(struct csvw *w, FILE *fp)
{
    w->fp = fp;
    w->crlf = false;
    w->formula_guard = true;
    w->col = 0;
}

bool csvw_plain_number(const char *text, size_t len)
{
    size_t i = 0, digits = 0;

    if (i < len && (text[i] == '-' || text[i] == '+'))
        i++;
    while (i < len && text[i] >= '0' && text[i] <= '9')
        i++, digits++;
    if (!digits)
        return false;
    if (i < len && text[i] == '.') {
        i++;
        digits = 0;
        while (i < len && text[i] >= '0' && text[i] <= '9')
            i++, digits++;
        if (!digits)
            return false;
    }
    return i == len;
}

/* A value spreadsheet programs would read as a formula. */
static bool formula_like(const char *text, size_t len)
{
    if (!len)
        return false;
    if (text[0] != '=' && text[0] != '+' && text[0] != '-' && text[0] != '@' &&
        text[0] != '\t' && text[0] != '\r')
        return false;
    return !csvw_plain_number(text, len);
}

bool csvw_guarded(const char *text, size_t len)
{
    if (formula_like(text, len))
        return true;
    /* a quote the reader would strip must survive: write it guarded too */
    return len > 1 && text[0] == '\'' &&
           (text[1] == '\'' || formula_like(text + 1, len - 1));
}

size_t csvw_unguard(const char *text, size_t len)
{
    if (len > 1 && text[0] == '\'' &&
        (text[1] == '\'' || formula_like(text + 1, len - 1)))
        return 1;
    return 0;
}

/* Whether a word of 8 bytes holds the byte c. */
static bool has_byte(uint64_t w, unsigned char c)
{
    const uint64_t ones = 0x0101010101010101ull;
    uint64_t x = w ^ (ones * c);

    return ((x - ones) & ~x & (ones << 7)) != 0;
}

/* Whether a field needs quotes: a comma, quote or line end in it (eight
 * bytes at a time: findings rows are most of what check writes). */
static bool needs_quotes(const char *text, size_t len)
{
    size_t i = 0;
    uint64_t w;

#if defined(__SSE2__)
    /* 16 bytes at a time (every x86-64); the words below elsewhere */
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'),
                  lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');

    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(text + i));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
            _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));

        if (_mm_movemask_epi8(hit))
            return true;
    }
#endif

    for (; i + 8 <= len; i += 8) {
        memcpy(&w, text + i, 8);
        if (has_byte(w, ',') || has_byte(w, '"') || has_byte(w, '\n') ||
            has_byte(w, '\r'))
            return true;
    }
    for (; i < len; i++)
        if (text[i] == ',' || text[i] == '"' || text[i] == '\n' ||
            text[i] == '\r')
            return true;
    return false;
}

void csvw_field(struct csvw *w, const char *text, size_t len)
{
    bool quote, guard;
    size_t i;

    if (w->col++)
        fputc(',', w->fp);
    guard = w->formula_guard && csvw_guarded(text, len);
    quote = needs_quotes(text, len);
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

/* A field as csvw_field writes it, with the comma before it, into out,
 * which has room for 2 * len + 4 bytes: the bytes written.  quote: the
 * field needs quotes (needs_quotes). */
static size_t put_field(struct csvw *w, char *out, const char *text, size_t len,
                        bool quote)
{
    size_t o = 0, i;

    if (w->col++)
        out[o++] = ',';
    if (quote)
        out[o++] = '"';
    if (w->formula_guard && csvw_guarded(text, len))
        out[o++] = '\'';
    if (!quote) {
        memcpy(out + o, text, len); /* no quote to double */
        return o + len;
    }
    /* runs up to and including each quote, then the quote doubled */
    for (i = 0; i < len;) {
        const char *q = memchr(text + i, '"', len - i);
        size_t run = q ? (size_t)(q - (text + i)) + 1 : len - i;

        memcpy(out + o, text + i, run);
        o += run;
        if (q)
            out[o++] = '"';
        i += run;
    }
    out[o++] = '"';
    return o;
}

/* Rows are put together in a buffer and written in one call (findings
 * files have a row per record and rule); a field too long for it is
 * written by csvw_field. */
void csvw_row(struct csvw *w, const char *const *v, size_t n)
{
    char buf[4096];
    size_t o = 0, i;

    for (i = 0; i < n; i++) {
        const char *s = v[i] ? v[i] : "";
        size_t len = strlen(s);
        bool quote = needs_quotes(s, len);

        if (o + 2 * len + 4 > sizeof(buf)) {
            fwrite(buf, 1, o, w->fp);
            o = 0;
            if (2 * len + 4 > sizeof(buf)) {
                csvw_field(w, s, len);
                continue;
            }
        }
        o += put_field(w, buf + o, s, len, quote);
    }
    if (o + 2 > sizeof(buf)) {
        fwrite(buf, 1, o, w->fp);
        o = 0;
    }
    if (w->crlf)
        buf[o++] = '\r';
    buf[o++] = '\n';
    w->col = 0;
    fwrite(buf, 1, o, w->fp);
}
