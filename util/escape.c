/* SPDX-License-Identifier: MIT */
/* Escaping untrusted text for the terminal and for Markdown; see escape.h. */
#include "util/escape.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The code point of the UTF-8 sequence at p (len bytes left) and its
 * length, or 0 when the bytes there are not UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF included). */
static size_t utf8_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
    unsigned char b = p[0];
    size_t n, i;
    uint32_t c, min;

    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF)
        n = 2, c = b & 0x1F, min = 0x80;
    else if (b >= 0xE0 && b <= 0xEF)
        n = 3, c = b & 0x0F, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4)
        n = 4, c = b & 0x07, min = 0x10000;
    else
        return 0;
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* Code points a terminal must not be given as they are. */
static bool term_unsafe(uint32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x200E || c == 0x200F || c == 0x061C;
}

/*
 * The visible form of the character (or bad byte) at p into out (room for
 * 12 bytes); returns its length and sets *used to the input bytes taken.
 * A safe character is copied as it is.
 */
static size_t term_char(const unsigned char *p, size_t len, char *out,
                        size_t *used)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t c;
    size_t n = utf8_decode(p, len, &c);

    if (!n) { /* not UTF-8: the byte */
        *used = 1;
        out[0] = '\\';
        out[1] = 'x';
        out[2] = hex[p[0] >> 4];
        out[3] = hex[p[0] & 15];
        return 4;
    }
    *used = n;
    if (!term_unsafe(c)) {
        memcpy(out, p, n);
        return n;
    }
    out[0] = '\\';
    switch (c) {
    case '\n':
        out[1] = 'n';
        return 2;
    case '\r':
        out[1] = 'r';
        return 2;
    case '\t':
        out[1] = 't';
        return 2;
    case 0x1B:
        out[1] = 'e';
        return 2;
    default:
        break;
    }
    if (c < 0x80) {
        out[1] = 'x';
        out[2] = hex[c >> 4];
        out[3] = hex[c & 15];
        return 4;
    }
    out[1] = 'u';
    out[2] = '{';
    out[3] = hex[(c >> 12) & 15];
    out[4] = hex[(c >> 8) & 15];
    out[5] = hex[(c >> 4) & 15];
    out[6] = hex[c & 15];
    out[7] = '}';
    return 8;
}

const char *escape_term(char *buf, size_t size, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t len = strlen((const char *)p), i, o = 0, total = 0, used;
    char ch[12];
    bool cut;

    if (size < 8) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    for (i = 0; i < len; i += used)
        total += term_char(p + i, len - i, ch, &used);
    cut = total >= size;
    for (i = 0; i < len; i += used) {
        size_t n = term_char(p + i, len - i, ch, &used);

        /* when it is cut, keep room for "..." after each character */
        if (cut && o + n + 3 >= size) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, ch, n);
        o += n;
    }
    buf[o] = '\0';
    return buf;
}

int escape_term_write(FILE *fp, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, start = 0;

    while (i < len) {
        char ch[12];
        size_t used, n;

        /* runs of plain printable ASCII go out as they are */
        if (p[i] >= 0x20 && p[i] < 0x7F) {
            i++;
            continue;
        }
        n = term_char(p + i, len - i, ch, &used);
        if (i > start && fwrite(p + start, 1, i - start, fp) != i - start)
            return -1;
        if (fwrite(ch, 1, n, fp) != n)
            return -1;
        i += used;
        start = i;
    }
    if (i > start && fwrite(p + start, 1, i - start, fp) != i - start)
        return -1;
    return 0;
}

int escape_term_printf(FILE *fp, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n >= sizeof(buf))
        n = (int)sizeof(buf) - 1;
    return escape_term_write(fp, buf, (size_t)n);
}

int escape_md_write(FILE *fp, const char *s, enum escape_md_ctx ctx)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    bool start = true;

    for (; *p; p++) {
        unsigned char c = *p;

        if (c == '\n' || c == '\r' || c == '\t') {
            /* one line of text: a break would end a cell or heading */
            if (fputc(' ', fp) == EOF)
                return -1;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            if (fputs("\\\\x", fp) == EOF || fputc(hex[c >> 4], fp) == EOF ||
                fputc(hex[c & 15], fp) == EOF)
                return -1;
            start = false;
            continue;
        }
        /* inline markup anywhere; block markers (list, quote, heading,
         * setext underline, thematic break) at the start */
        if (strchr("\\`*_[]<>|&!~", c) ||
            (start && (c == '-' || c == '+' || c == '=' || c == '#')) ||
            (ctx == ESCAPE_MD_HEADING && c == '#')) {
            if (fputc('\\', fp) == EOF)
                return -1;
        } else if (start && c >= '0' && c <= '9') {
            /* "1." or "1)" at the start would open an ordered list */
            const unsigned char *q = p;

            while (*q >= '0' && *q <= '9')
                q++;
            if ((*q == '.' || *q == ')') &&
                fwrite(p, 1, (size_t)(q - p), fp) == (size_t)(q - p)) {
                if (fputc('\\', fp) == EOF || fputc(*q, fp) == EOF)
                    return -1;
                p = q;
                start = false;
                continue;
            }
        }
        if (fputc(c, fp) == EOF)
            return -1;
        if (c != ' ')
            start = false;
    }
    return 0;
}
