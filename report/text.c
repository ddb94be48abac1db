/* SPDX-License-Identifier: MIT */
/* UTF-8 cleaning and escaping for the report writers; see text.h. */
#include "report/text.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"

size_t text_utf8_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c;
    size_t n, i;

    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        n = 2;
        c = u[0] & 0x1F;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        n = 3;
        c = u[0] & 0x0F;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        n = 4;
        c = u[0] & 0x07;
    } else {
        goto bad;
    }
    if (len < n)
        goto bad;
    for (i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        goto bad;
    *cp = c;
    return n;
bad:
    *cp = 0xFFFD;
    return 1;
}

char *text_utf8_clean(const char *s)
{
    size_t len = strlen(s), i = 0, o = 0;
    char *out;

    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    while (i < len) {
        uint32_t cp;
        size_t n = text_utf8_next(s + i, len - i, &cp);

        if (n == 1 && cp == 0xFFFD) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    return out;
}

static void html_text(FILE *fp, const char *s)
{
    size_t len = strlen(s), i = 0;

    while (i < len) {
        uint32_t cp;
        size_t n = text_utf8_next(s + i, len - i, &cp);

        if (n == 1 && cp == 0xFFFD) {
            fputs("&#xFFFD;", fp);
        } else if (cp == '&') {
            fputs("&amp;", fp);
        } else if (cp == '<') {
            fputs("&lt;", fp);
        } else if (cp == '>') {
            fputs("&gt;", fp);
        } else if (cp == '"') {
            fputs("&quot;", fp);
        } else if (cp == '\'') {
            fputs("&#39;", fp);
        } else if (cp == '\r') {
            /* dropped: CR LF reads as LF */
        } else if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F) {
            fputs("&#xFFFD;", fp);
        } else {
            fwrite(s + i, 1, n, fp);
        }
        i += n;
    }
}

void text_html(FILE *fp, const char *s)
{
    html_text(fp, s ? s : "");
}

/* s as valid UTF-8, through escape_md_write in chunks (so that nothing is
 * allocated; a chunk's start may be escaped as a line's start would be,
 * which only adds a harmless backslash). */
static void md_text(FILE *fp, const char *s, enum escape_md_ctx ctx)
{
    char chunk[1024];
    size_t len = strlen(s), i = 0, o = 0;

    while (i < len) {
        uint32_t cp;
        size_t n = text_utf8_next(s + i, len - i, &cp);
        const char *src = s + i;
        size_t sl = n;

        if (n == 1 && cp == 0xFFFD) {
            src = "\xEF\xBF\xBD";
            sl = 3;
        }
        if (o + sl >= sizeof(chunk)) {
            chunk[o] = '\0';
            (void)escape_md_write(fp, chunk, ctx);
            o = 0;
        }
        memcpy(chunk + o, src, sl);
        o += sl;
        i += n;
    }
    chunk[o] = '\0';
    (void)escape_md_write(fp, chunk, ctx);
}

void text_md_cell(FILE *fp, const char *s)
{
    md_text(fp, s ? s : "", ESCAPE_MD_TEXT);
}

void text_md_heading(FILE *fp, const char *s)
{
    md_text(fp, s ? s : "", ESCAPE_MD_HEADING);
}
