/* SPDX-License-Identifier: MIT */
/* The first worksheet of an .xlsx workbook as rows of text; see xlsx.h. */
#include "ingest/xlsx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "ingest/record.h"
#include "util/array.h"
#include "util/buf.h"

/* ---- the parts ---------------------------------------------------------- */

enum part { P_WORKBOOK, P_RELS, P_STRINGS, P__FIXED };

struct parts {
    char *fixed[P__FIXED];
    size_t fixed_len[P__FIXED];
    /* the worksheets, by entry name */
    char **sheet_name, **sheet;
    size_t *sheet_len;
    size_t nsheets;
};

static const char *const fixed_names[P__FIXED] = {
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml"};

static void parts_release(struct parts *p)
{
    size_t i;

    for (i = 0; i < P__FIXED; i++)
        free(p->fixed[i]);
    for (i = 0; i < p->nsheets; i++) {
        free(p->sheet_name[i]);
        free(p->sheet[i]);
    }
    free(p->sheet_name);
    free(p->sheet);
    free(p->sheet_len);
}

bool xlsx_sniff(const void *data, size_t len)
{
    return len >= 4 && memcmp(data, "PK\003\004", 4) == 0;
}

/* The entry's bytes, NUL-terminated, capped. */
static enum ca_status read_entry(struct archive *a, const char *name,
                                 const char *ename, char **out, size_t *outlen,
                                 struct ca_error *err)
{
    struct buf b;
    char chunk[65536];
    la_ssize_t got;

    buf_init(&b, XLSX_MAX_PART + 1);
    while ((got = archive_read_data(a, chunk, sizeof(chunk))) > 0)
        if (buf_add(&b, chunk, (size_t)got) != 0) {
            buf_release(&b);
            return ca_error_set(err, CA_DATA, name, 0, ename,
                                "part larger than %u MiB, or out of memory",
                                XLSX_MAX_PART >> 20);
        }
    if (got < 0) {
        buf_release(&b);
        return ca_error_set(err, CA_DATA, name, 0, ename,
                            "not a readable workbook: %s",
                            archive_error_string(a));
    }
    if (buf_addch(&b, '\0') != 0) {
        buf_release(&b);
        return ca_error_set(err, CA_SYSTEM, name, 0, NULL, "out of memory");
    }
    *out = buf_detach(&b, outlen);
    (*outlen)--;
    return CA_OK;
}

static enum ca_status read_parts(const char *name, const void *data, size_t len,
                                 struct parts *p, struct ca_error *err)
{
    struct archive *a = archive_read_new();
    struct archive_entry *e;
    enum ca_status st = CA_OK;
    size_t nentries = 0;
    int r;

    if (!a)
        return ca_error_set(err, CA_SYSTEM, name, 0, NULL, "out of memory");
    if (archive_read_support_format_zip(a) != ARCHIVE_OK ||
        archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
        st =
            ca_error_set(err, CA_DATA, name, 0, NULL,
                         "not a workbook (.xlsx): %s", archive_error_string(a));
        goto out;
    }
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *en = archive_entry_pathname(e);
        size_t i;

        if (++nentries > 10000) {
            st = ca_error_set(err, CA_DATA, name, 0, NULL,
                              "more than 10000 parts: not a workbook");
            goto out;
        }
        if (!en)
            continue;
        for (i = 0; i < P__FIXED; i++)
            if (strcmp(en, fixed_names[i]) == 0)
                break;
        if (i < P__FIXED) {
            if (p->fixed[i]) {
                st = ca_error_set(err, CA_DATA, name, 0, en,
                                  "part stored twice");
                goto out;
            }
            st = read_entry(a, name, en, &p->fixed[i], &p->fixed_len[i], err);
        } else if (strncmp(en, "xl/worksheets/", 14) == 0 &&
                   !strchr(en + 14, '/')) {
            char **nn = realloc(p->sheet_name,
                                (p->nsheets + 1) * sizeof(*p->sheet_name));
            char **ns = NULL;
            size_t *nl = NULL;

            if (nn) {
                p->sheet_name = nn;
                ns = realloc(p->sheet, (p->nsheets + 1) * sizeof(*p->sheet));
            }
            if (ns) {
                p->sheet = ns;
                nl = realloc(p->sheet_len,
                             (p->nsheets + 1) * sizeof(*p->sheet_len));
            }
            if (!nl) {
                st = ca_error_set(err, CA_SYSTEM, name, 0, NULL,
                                  "out of memory");
                goto out;
            }
            p->sheet_len = nl;
            p->sheet[p->nsheets] = NULL;
            if (!(p->sheet_name[p->nsheets] = strdup(en))) {
                st = ca_error_set(err, CA_SYSTEM, name, 0, NULL,
                                  "out of memory");
                goto out;
            }
            p->nsheets++;
            st = read_entry(a, name, en, &p->sheet[p->nsheets - 1],
                            &p->sheet_len[p->nsheets - 1], err);
        }
        if (st != CA_OK)
            goto out;
    }
    if (r != ARCHIVE_EOF)
        st = ca_error_set(err, CA_DATA, name, 0, NULL,
                          "not a readable workbook (.xlsx): %s",
                          archive_error_string(a));
out:
    archive_read_free(a);
    return st;
}

/* ---- a strict little XML reader ------------------------------------------ */

enum xtok { XT_EOF, XT_START, XT_END, XT_TEXT };

struct xml {
    const char *name, *part; /* for messages */
    const char *p, *end;
    unsigned long line;
    int depth;
    /* the current token */
    enum xtok tok;
    bool empty;      /* a start tag that closes itself */
    const char *tag; /* local name (after any prefix) */
    size_t taglen;
    const char *attrs; /* the raw attributes of a start tag */
    size_t attrslen;
    struct buf text;  /* decoded text of XT_TEXT */
    bool pending_end; /* the end of an empty element is next */
    bool bad;         /* refused when set up (err filled) */
    struct ca_error *err;
};

static enum ca_status xbad(struct xml *x, const char *what)
{
    return ca_error_set(x->err, CA_DATA, x->name, x->line, x->part,
                        "malformed workbook XML: %s", what);
}

static void advance(struct xml *x, const char *to)
{
    const char *q;

    for (q = x->p; q < to; q++)
        x->line += *q == '\n';
    x->p = to;
}

static int put_utf8(struct buf *b, unsigned long cp)
{
    char u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_add(b, u, n);
}

/* Whether cp may appear in XML 1.0 text. */
static bool xml_char(unsigned long cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD ||
           (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Decode s[0..n) (text or an attribute value: entities and character
 * references) onto b.  0, or -1 (x->err set). */
static int decode(struct xml *x, const char *s, size_t n, struct buf *b)
{
    size_t i = 0;

    while (i < n) {
        const char *amp = memchr(s + i, '&', n - i);
        size_t run = amp ? (size_t)(amp - (s + i)) : n - i;

        if (memchr(s + i, '<', run)) {
            xbad(x, "'<' in text or an attribute");
            return -1;
        }
        if (buf_add(b, s + i, run) != 0)
            goto toobig;
        i += run;
        if (i >= n)
            break;
        {
            const char *semi = memchr(s + i, ';', n - i);
            size_t el;

            if (!semi || semi - (s + i) > 12) {
                xbad(x, "an '&' that starts no entity");
                return -1;
            }
            el = (size_t)(semi - (s + i)) + 1;
            if (el == 4 && memcmp(s + i, "&lt;", 4) == 0) {
                if (buf_addch(b, '<'))
                    goto toobig;
            } else if (el == 4 && memcmp(s + i, "&gt;", 4) == 0) {
                if (buf_addch(b, '>'))
                    goto toobig;
            } else if (el == 5 && memcmp(s + i, "&amp;", 5) == 0) {
                if (buf_addch(b, '&'))
                    goto toobig;
            } else if (el == 6 && memcmp(s + i, "&quot;", 6) == 0) {
                if (buf_addch(b, '"'))
                    goto toobig;
            } else if (el == 6 && memcmp(s + i, "&apos;", 6) == 0) {
                if (buf_addch(b, '\''))
                    goto toobig;
            } else if (el > 3 && s[i + 1] == '#') {
                unsigned long cp = 0;
                size_t k = i + 2;
                bool hex = s[k] == 'x';

                if (hex)
                    k++;
                if (s + k == semi) {
                    xbad(x, "an empty character reference");
                    return -1;
                }
                for (; s + k < semi; k++) {
                    int d;
                    char c = s[k];

                    if (c >= '0' && c <= '9')
                        d = c - '0';
                    else if (hex && c >= 'a' && c <= 'f')
                        d = c - 'a' + 10;
                    else if (hex && c >= 'A' && c <= 'F')
                        d = c - 'A' + 10;
                    else {
                        xbad(x, "a bad character reference");
                        return -1;
                    }
                    cp = cp * (hex ? 16u : 10u) + (unsigned)d;
                    if (cp > 0x10FFFF)
                        break;
                }
                if (!xml_char(cp)) {
                    xbad(x, "a character reference to a character XML does "
                            "not allow");
                    return -1;
                }
                if (put_utf8(b, cp))
                    goto toobig;
            } else {
                xbad(x, "an entity other than &lt; &gt; &amp; &quot; "
                        "&apos; (no DTD is read)");
                return -1;
            }
            i += el;
        }
    }
    return 0;
toobig:
    ca_error_set(x->err, CA_DATA, x->name, x->line, x->part,
                 "text longer than %u bytes, or out of memory", XLSX_MAX_CELL);
    return -1;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == ':' || c == '_' || c == '-' ||
           c == '.' || (unsigned char)c >= 0x80;
}

/* The next token: CA_OK (x->tok set) or CA_DATA. */
static enum ca_status xml_next(struct xml *x)
{
    const char *lt, *q, *gt;

    if (x->bad)
        return CA_DATA;
    if (x->pending_end) {
        x->pending_end = false;
        x->tok = XT_END;
        x->depth--;
        return CA_OK;
    }
    for (;;) {
        if (x->p >= x->end) {
            if (x->depth != 0)
                return xbad(x, "the document ends inside an element");
            x->tok = XT_EOF;
            return CA_OK;
        }
        if (*x->p != '<') {
            lt = memchr(x->p, '<', (size_t)(x->end - x->p));
            if (!lt)
                lt = x->end;
            buf_reset(&x->text);
            if (decode(x, x->p, (size_t)(lt - x->p), &x->text) != 0)
                return x->err->status;
            if (buf_addch(&x->text, '\0'))
                return ca_error_set(x->err, CA_SYSTEM, x->name, x->line,
                                    x->part, "out of memory");
            x->text.len--;
            advance(x, lt);
            if (x->depth == 0) {
                /* only white space may stand outside the root */
                size_t i;

                for (i = 0; i < x->text.len; i++)
                    if (!strchr(" \t\r\n", x->text.data[i]))
                        return xbad(x, "text outside the root element");
                continue;
            }
            x->tok = XT_TEXT;
            return CA_OK;
        }
        q = x->p + 1;
        if (q < x->end && *q == '?') {
            gt = strstr(q, "?>");
            if (!gt)
                return xbad(x, "an unterminated processing instruction");
            advance(x, gt + 2);
            continue;
        }
        if (x->end - q >= 3 && memcmp(q, "!--", 3) == 0) {
            gt = strstr(q + 3, "-->");
            if (!gt)
                return xbad(x, "an unterminated comment");
            advance(x, gt + 3);
            continue;
        }
        if (x->end - q >= 8 && memcmp(q, "![CDATA[", 8) == 0) {
            gt = strstr(q + 8, "]]>");
            if (!gt)
                return xbad(x, "an unterminated CDATA section");
            if (x->depth == 0)
                return xbad(x, "CDATA outside the root element");
            buf_reset(&x->text);
            if (buf_add(&x->text, q + 8, (size_t)(gt - (q + 8))) ||
                buf_addch(&x->text, '\0'))
                return ca_error_set(x->err, CA_DATA, x->name, x->line, x->part,
                                    "text too long");
            x->text.len--;
            advance(x, gt + 3);
            x->tok = XT_TEXT;
            return CA_OK;
        }
        if (q < x->end && *q == '!')
            return xbad(x, "a DTD or declaration (not accepted)");
        if (q < x->end && *q == '/') {
            const char *n0 = q + 1, *n1 = n0;

            while (n1 < x->end && name_char(*n1))
                n1++;
            gt = n1;
            while (gt < x->end && strchr(" \t\r\n", *gt))
                gt++;
            if (n1 == n0 || gt >= x->end || *gt != '>')
                return xbad(x, "a bad end tag");
            if (x->depth <= 0)
                return xbad(x, "an end tag with no element open");
            x->tag = n0;
            x->taglen = (size_t)(n1 - n0);
            {
                const char *c = memchr(x->tag, ':', x->taglen);

                if (c) {
                    x->taglen -= (size_t)(c + 1 - x->tag);
                    x->tag = c + 1;
                }
            }
            x->depth--;
            advance(x, gt + 1);
            x->tok = XT_END;
            return CA_OK;
        }
        /* a start tag */
        {
            const char *n0 = q, *n1 = q, *a;
            char quote = 0;

            while (n1 < x->end && name_char(*n1))
                n1++;
            if (n1 == n0)
                return xbad(x, "a '<' that starts no tag");
            for (a = n1; a < x->end; a++) {
                if (quote) {
                    if (*a == quote)
                        quote = 0;
                } else if (*a == '"' || *a == '\'') {
                    quote = *a;
                } else if (*a == '>' || *a == '<') {
                    break;
                }
            }
            if (a >= x->end || *a != '>')
                return xbad(x, "an unterminated start tag");
            if (x->depth >= 64)
                return xbad(x, "elements nested more than 64 deep");
            x->tag = n0;
            x->taglen = (size_t)(n1 - n0);
            {
                const char *c = memchr(x->tag, ':', x->taglen);

                if (c) {
                    x->taglen -= (size_t)(c + 1 - x->tag);
                    x->tag = c + 1;
                }
            }
            x->empty = a[-1] == '/' && a - 1 >= n1;
            x->attrs = n1;
            x->attrslen = (size_t)((x->empty ? a - 1 : a) - n1);
            x->depth++;
            x->pending_end = x->empty;
            advance(x, a + 1);
            x->tok = XT_START;
            return CA_OK;
        }
    }
}

static bool is_tag(const struct xml *x, const char *name)
{
    return strlen(name) == x->taglen && memcmp(x->tag, name, x->taglen) == 0;
}

/* The value of the attribute whose local name is name on the current
 * start tag into out (decoded, NUL-terminated): 1 found, 0 absent, -1
 * malformed (err set). */
static int xml_attr(struct xml *x, const char *name, struct buf *out)
{
    const char *p = x->attrs, *e = x->attrs + x->attrslen;
    size_t nl = strlen(name);

    for (;;) {
        const char *n0, *n1, *ln, *v0, *v1;
        char quote;

        while (p < e && strchr(" \t\r\n", *p))
            p++;
        if (p >= e)
            return 0;
        n0 = p;
        while (p < e && name_char(*p))
            p++;
        n1 = p;
        if (n1 == n0)
            goto bad;
        while (p < e && strchr(" \t\r\n", *p))
            p++;
        if (p >= e || *p != '=')
            goto bad;
        p++;
        while (p < e && strchr(" \t\r\n", *p))
            p++;
        if (p >= e || (*p != '"' && *p != '\''))
            goto bad;
        quote = *p++;
        v0 = p;
        while (p < e && *p != quote)
            p++;
        if (p >= e)
            goto bad;
        v1 = p++;
        ln = memchr(n0, ':', (size_t)(n1 - n0));
        ln = ln ? ln + 1 : n0;
        /* xmlns declarations are not attributes of the data */
        if ((size_t)(n1 - ln) == nl && memcmp(ln, name, nl) == 0 &&
            !(n1 - n0 >= 5 && memcmp(n0, "xmlns", 5) == 0)) {
            buf_reset(out);
            if (decode(x, v0, (size_t)(v1 - v0), out) != 0)
                return -1;
            if (buf_addch(out, '\0'))
                return -1;
            out->len--;
            return 1;
        }
    }
bad:
    xbad(x, "malformed attributes");
    return -1;
}

static void xml_init(struct xml *x, const char *name, const char *part,
                     const char *data, size_t len, struct ca_error *err)
{
    memset(x, 0, sizeof(*x));
    x->name = name;
    x->part = part;
    x->p = data;
    x->end = data + len;
    x->line = 1;
    x->err = err;
    buf_init(&x->text, XLSX_MAX_CELL);
    if (memchr(data, '\0', len)) {
        /* XML holds no NUL: stop at once (xml_next sees an empty part) */
        xbad(x, "a NUL byte");
        x->p = x->end;
        x->bad = true;
        return;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        x->p += 3;
}

/* ---- workbook, relationships, shared strings ----------------------------- */

struct book {
    bool date1904;
    char *sheet_rid; /* the first sheet's relationship id */
    char *sheet_part;
    char **ss; /* shared strings */
    size_t nss, ssalloc;
};

static void book_release(struct book *b)
{
    size_t i;

    free(b->sheet_rid);
    free(b->sheet_part);
    for (i = 0; i < b->nss; i++)
        free(b->ss[i]);
    free(b->ss);
}

static enum ca_status parse_workbook(const char *name, const struct parts *p,
                                     struct book *bk, struct ca_error *err)
{
    struct xml x;
    struct buf v;
    enum ca_status st;
    int r;

    if (!p->fixed[P_WORKBOOK])
        return ca_error_set(err, CA_DATA, name, 0, NULL,
                            "not a workbook (.xlsx): no xl/workbook.xml");
    xml_init(&x, name, fixed_names[P_WORKBOOK], p->fixed[P_WORKBOOK],
             p->fixed_len[P_WORKBOOK], err);
    buf_init(&v, 4096);
    while ((st = xml_next(&x)) == CA_OK && x.tok != XT_EOF) {
        if (x.tok != XT_START)
            continue;
        if (is_tag(&x, "workbookPr")) {
            r = xml_attr(&x, "date1904", &v);
            if (r < 0) {
                st = err->status ? err->status : CA_SYSTEM;
                break;
            }
            if (r == 1)
                bk->date1904 =
                    strcmp(v.data, "1") == 0 || strcmp(v.data, "true") == 0;
        } else if (is_tag(&x, "sheet") && !bk->sheet_rid) {
            r = xml_attr(&x, "id", &v);
            if (r < 0) {
                st = err->status ? err->status : CA_SYSTEM;
                break;
            }
            if (r == 0) {
                st = xbad(&x, "a sheet without a relationship id");
                break;
            }
            if (!(bk->sheet_rid = strdup(v.data))) {
                st = ca_error_set(err, CA_SYSTEM, name, 0, NULL,
                                  "out of memory");
                break;
            }
        }
    }
    buf_release(&v);
    buf_release(&x.text);
    if (st == CA_OK && !bk->sheet_rid)
        st = ca_error_set(err, CA_DATA, name, 0, fixed_names[P_WORKBOOK],
                          "the workbook has no sheet");
    return st;
}

static enum ca_status parse_rels(const char *name, const struct parts *p,
                                 struct book *bk, struct ca_error *err)
{
    struct xml x;
    struct buf id, target;
    enum ca_status st;

    if (!p->fixed[P_RELS])
        return ca_error_set(err, CA_DATA, name, 0, NULL,
                            "not a workbook (.xlsx): no "
                            "xl/_rels/workbook.xml.rels");
    xml_init(&x, name, fixed_names[P_RELS], p->fixed[P_RELS],
             p->fixed_len[P_RELS], err);
    buf_init(&id, 4096);
    buf_init(&target, 4096);
    while ((st = xml_next(&x)) == CA_OK && x.tok != XT_EOF) {
        int a, b;

        if (x.tok != XT_START || !is_tag(&x, "Relationship"))
            continue;
        a = xml_attr(&x, "Id", &id);
        b = a < 0 ? -1 : xml_attr(&x, "Target", &target);
        if (a < 0 || b < 0) {
            st = err->status ? err->status : CA_SYSTEM;
            break;
        }
        if (a == 1 && b == 1 && strcmp(id.data, bk->sheet_rid) == 0) {
            const char *t = target.data;
            size_t n;

            if (strstr(t, "..") || strchr(t, '\\')) {
                st = xbad(&x, "a sheet target outside xl/");
                break;
            }
            n = strlen(t) + 4;
            if (!(bk->sheet_part = malloc(n))) {
                st = ca_error_set(err, CA_SYSTEM, name, 0, NULL,
                                  "out of memory");
                break;
            }
            if (t[0] == '/')
                snprintf(bk->sheet_part, n, "%s", t + 1);
            else
                snprintf(bk->sheet_part, n, "xl/%s", t);
            break;
        }
    }
    buf_release(&id);
    buf_release(&target);
    buf_release(&x.text);
    if (st == CA_OK && !bk->sheet_part)
        st = ca_error_set(err, CA_DATA, name, 0, fixed_names[P_RELS],
                          "no relationship names the first sheet ('%s')",
                          bk->sheet_rid);
    return st;
}

/* Excel's escape of characters XML cannot hold: _xHHHH_ (ECMA-376
 * ST_Xstring).  In place. */
static void unescape_x(struct buf *b)
{
    size_t i = 0, o = 0;

    while (i < b->len) {
        if (b->len - i >= 7 && b->data[i] == '_' && b->data[i + 1] == 'x' &&
            b->data[i + 6] == '_') {
            unsigned long cp = 0;
            size_t k;

            for (k = 2; k < 6; k++) {
                char c = b->data[i + k];

                if (c >= '0' && c <= '9')
                    cp = cp * 16 + (unsigned)(c - '0');
                else if (c >= 'a' && c <= 'f')
                    cp = cp * 16 + (unsigned)(c - 'a' + 10);
                else if (c >= 'A' && c <= 'F')
                    cp = cp * 16 + (unsigned)(c - 'A' + 10);
                else
                    break;
            }
            if (k == 6 && cp < 0x80 && cp != 0) {
                b->data[o++] = (char)cp;
                i += 7;
                continue;
            }
        }
        b->data[o++] = b->data[i++];
    }
    b->len = o;
    b->data[o] = '\0';
}

/* The text of the <t> elements inside the element just opened (a shared
 * string's <si> or an inline <is>), runs joined, phonetic runs left out,
 * into out; on return the element is closed. */
static enum ca_status rich_text(struct xml *x, struct buf *out)
{
    int depth = 1, in_t = 0, in_ph = 0;
    enum ca_status st;

    buf_reset(out);
    while (depth > 0 && (st = xml_next(x)) == CA_OK) {
        if (x->tok == XT_EOF)
            return xbad(x, "the document ends inside a string");
        if (x->tok == XT_START) {
            depth++;
            if (is_tag(x, "t") && !in_ph)
                in_t = depth;
            else if (is_tag(x, "rPh"))
                in_ph = depth;
        } else if (x->tok == XT_END) {
            if (in_t == depth)
                in_t = 0;
            if (in_ph == depth)
                in_ph = 0;
            depth--;
        } else if (x->tok == XT_TEXT && in_t) {
            if (buf_add(out, x->text.data, x->text.len))
                return ca_error_set(x->err, CA_DATA, x->name, x->line, x->part,
                                    "a cell longer than %u bytes",
                                    XLSX_MAX_CELL);
        }
    }
    if (depth > 0)
        return st;
    if (buf_addch(out, '\0'))
        return ca_error_set(x->err, CA_DATA, x->name, x->line, x->part,
                            "a cell longer than %u bytes", XLSX_MAX_CELL);
    out->len--;
    unescape_x(out);
    return CA_OK;
}

static enum ca_status parse_strings(const char *name, const struct parts *p,
                                    struct book *bk, struct ca_error *err)
{
    struct xml x;
    struct buf s;
    enum ca_status st;

    if (!p->fixed[P_STRINGS])
        return CA_OK; /* a workbook without text has none */
    xml_init(&x, name, fixed_names[P_STRINGS], p->fixed[P_STRINGS],
             p->fixed_len[P_STRINGS], err);
    buf_init(&s, XLSX_MAX_CELL + 1);
    while ((st = xml_next(&x)) == CA_OK && x.tok != XT_EOF) {
        if (x.tok != XT_START || !is_tag(&x, "si"))
            continue;
        if (x.empty) {
            st = xml_next(&x); /* its end */
            buf_reset(&s);
            if (buf_addch(&s, '\0')) {
                st = CA_SYSTEM;
                break;
            }
        } else if ((st = rich_text(&x, &s)) != CA_OK) {
            break;
        }
        if (bk->nss >= 16u << 20) {
            st =
                ca_error_set(err, CA_DATA, name, x.line, fixed_names[P_STRINGS],
                             "more than 16M shared strings");
            break;
        }
        if (array_grow(&bk->ss, &bk->ssalloc, bk->nss + 1, sizeof(*bk->ss))) {
            st = ca_error_set(err, CA_SYSTEM, name, 0, NULL, "out of memory");
            break;
        }
        if (!(bk->ss[bk->nss] = strdup(s.data ? s.data : ""))) {
            st = ca_error_set(err, CA_SYSTEM, name, 0, NULL, "out of memory");
            break;
        }
        bk->nss++;
    }
    buf_release(&s);
    buf_release(&x.text);
    return st;
}

/* ---- the sheet ------------------------------------------------------------ */

/* Column index (0-based) of a cell reference "AB12", or -1. */
static long ref_col(const char *r)
{
    long c = 0;
    size_t i;

    for (i = 0; r[i] >= 'A' && r[i] <= 'Z'; i++) {
        c = c * 26 + (r[i] - 'A' + 1);
        if (c > 16384)
            return -1;
    }
    if (i == 0 || r[i] < '1' || r[i] > '9')
        return -1;
    for (; r[i]; i++)
        if (r[i] < '0' || r[i] > '9')
            return -1;
    return c - 1;
}

struct sheet_row {
    struct buf cell[XLSX_MAX_COLS];
    bool number[XLSX_MAX_COLS];
    size_t n; /* cells set: 0..n-1 */
};

/* The state of one sheet being read: the row being gathered and where the
 * reader is in the sheet. */
struct sheet_reader {
    struct xml x;
    const char *name, *part;
    const struct book *bk;
    struct sheet_row *row;
    struct xlsx_cell cells[XLSX_MAX_COLS];
    struct buf attr, val;
    unsigned long rown, nrows;
    long next_col;
    bool in_row;
    xlsx_row_fn fn;
    void *ctx;
    struct ca_error *err;
};

/* The status of a failed xml_attr (err already filled). */
static enum ca_status attr_failed(const struct sheet_reader *s)
{
    return s->err->status ? s->err->status : CA_SYSTEM;
}

/* <row>: its number (r, or the next one) and the caps. */
static enum ca_status sheet_row_start(struct sheet_reader *s)
{
    unsigned long rn = s->rown + 1;
    int r = xml_attr(&s->x, "r", &s->attr);

    if (r < 0)
        return attr_failed(s);
    if (r == 1) {
        char *e;

        rn = strtoul(s->attr.data, &e, 10);
        if (*e || rn <= s->rown || rn > XLSX_MAX_ROWS)
            return xbad(&s->x, "a row number out of order");
    }
    if (++s->nrows > XLSX_MAX_ROWS)
        return ca_error_set(s->err, CA_DATA, s->name, s->x.line, s->part,
                            "more than %lu rows", XLSX_MAX_ROWS);
    s->rown = rn;
    s->in_row = true;
    s->next_col = 0;
    s->row->n = 0;
    return CA_OK;
}

/* </row>: hand a row that holds cells to the caller. */
static enum ca_status sheet_row_end(struct sheet_reader *s)
{
    size_t i;

    s->in_row = false;
    if (s->row->n == 0)
        return CA_OK;
    for (i = 0; i < s->row->n; i++) {
        s->cells[i].text = s->row->cell[i].data ? s->row->cell[i].data : "";
        s->cells[i].number = s->row->number[i];
    }
    return s->fn(s->ctx, s->rown, s->cells, s->row->n, s->err);
}

/* A <c>'s attributes: its column (*col; the cells before it in the row set
 * empty) and its type. */
static enum ca_status cell_start(struct sheet_reader *s, long *col,
                                 char type[16])
{
    int r;

    *col = s->next_col;
    if (!s->in_row)
        return xbad(&s->x, "a cell outside a row");
    r = xml_attr(&s->x, "r", &s->attr);
    if (r < 0)
        return attr_failed(s);
    if (r == 1 && (*col = ref_col(s->attr.data)) < s->next_col)
        return xbad(&s->x, "a bad or out-of-order cell reference");
    if (*col >= XLSX_MAX_COLS)
        return ca_error_set(s->err, CA_DATA, s->name, s->x.line, s->part,
                            "a cell beyond column %d", XLSX_MAX_COLS);
    r = xml_attr(&s->x, "t", &s->attr);
    if (r < 0)
        return attr_failed(s);
    if (r == 1)
        snprintf(type, 16, "%s", s->attr.data);
    s->next_col = *col + 1;
    while (s->row->n <= (size_t)*col) {
        struct buf *b = &s->row->cell[s->row->n];

        buf_reset(b);
        if (buf_addch(b, '\0'))
            return CA_SYSTEM;
        b->len = 0;
        s->row->number[s->row->n] = false;
        s->row->n++;
    }
    return CA_OK;
}

/* The raw value of the <c> just opened (its <v> text or inline string)
 * into s->val, NUL-terminated; on return the cell is closed. */
static enum ca_status cell_value(struct sheet_reader *s)
{
    struct xml *x = &s->x;
    int depth = 1, in_v = 0;
    enum ca_status st = CA_OK;

    while (depth > 0 && (st = xml_next(x)) == CA_OK) {
        if (x->tok == XT_EOF)
            return xbad(x, "the document ends inside a cell");
        if (x->tok == XT_START) {
            depth++;
            if (is_tag(x, "v")) {
                in_v = depth;
            } else if (is_tag(x, "is") && !x->empty) {
                st = rich_text(x, &s->val);
                depth--;
                if (st != CA_OK)
                    return st;
            }
        } else if (x->tok == XT_END) {
            if (in_v == depth)
                in_v = 0;
            depth--;
        } else if (x->tok == XT_TEXT && in_v) {
            if (buf_add(&s->val, x->text.data, x->text.len))
                return ca_error_set(s->err, CA_DATA, s->name, x->line, s->part,
                                    "a cell longer than %u bytes",
                                    XLSX_MAX_CELL);
        }
    }
    if (st != CA_OK)
        return st;
    if (buf_addch(&s->val, '\0'))
        return CA_SYSTEM;
    s->val.len--;
    return CA_OK;
}

/* The cell's text as the user sees it, by its type, into the row. */
static enum ca_status cell_store(struct sheet_reader *s, long col,
                                 const char *type)
{
    struct buf *cb = &s->row->cell[col], *val = &s->val;

    buf_reset(cb);
    s->row->number[col] = false;
    if (strcmp(type, "s") == 0) {
        char *e;
        unsigned long k = strtoul(val->data, &e, 10);

        if (!val->len || *e || k >= s->bk->nss)
            return xbad(&s->x, "a shared string index out of range");
        if (buf_addstr(cb, s->bk->ss[k]))
            return CA_SYSTEM;
    } else if (strcmp(type, "b") == 0) {
        if (buf_addstr(cb, strcmp(val->data, "1") == 0 ? "TRUE" : "FALSE"))
            return CA_SYSTEM;
    } else if (strcmp(type, "n") == 0 || strcmp(type, "e") == 0 ||
               strcmp(type, "str") == 0 || strcmp(type, "inlineStr") == 0 ||
               strcmp(type, "d") == 0) {
        if (buf_add(cb, val->data, val->len))
            return CA_SYSTEM;
        if (strcmp(type, "str") == 0 || strcmp(type, "inlineStr") == 0)
            unescape_x(cb);
        s->row->number[col] = strcmp(type, "n") == 0 && val->len > 0;
    } else {
        return xbad(&s->x, "an unknown cell type");
    }
    if (buf_addch(cb, '\0'))
        return CA_SYSTEM;
    cb->len--;
    return CA_OK;
}

/* <c>: one cell into the row. */
static enum ca_status sheet_cell(struct sheet_reader *s)
{
    char type[16] = "n";
    long col;
    enum ca_status st;

    st = cell_start(s, &col, type);
    if (st != CA_OK)
        return st;
    buf_reset(&s->val);
    if (s->x.empty)
        return xml_next(&s->x); /* its end; the cell is left as it was */
    st = cell_value(s);
    if (st != CA_OK)
        return st;
    return cell_store(s, col, type);
}

static enum ca_status parse_sheet(const char *name, const char *data,
                                  size_t len, const char *part,
                                  const struct book *bk, xlsx_row_fn fn,
                                  void *ctx, struct ca_error *err)
{
    struct sheet_reader *s = calloc(1, sizeof(*s));
    enum ca_status st;
    size_t i;

    if (!s || !(s->row = calloc(1, sizeof(*s->row)))) {
        free(s);
        return ca_error_set(err, CA_SYSTEM, name, 0, NULL, "out of memory");
    }
    s->name = name;
    s->part = part;
    s->bk = bk;
    s->fn = fn;
    s->ctx = ctx;
    s->err = err;
    for (i = 0; i < XLSX_MAX_COLS; i++)
        buf_init(&s->row->cell[i], XLSX_MAX_CELL + 1);
    buf_init(&s->attr, 4096);
    buf_init(&s->val, XLSX_MAX_CELL + 1);
    xml_init(&s->x, name, part, data, len, err);
    while ((st = xml_next(&s->x)) == CA_OK && s->x.tok != XT_EOF) {
        if (s->x.tok == XT_START && is_tag(&s->x, "row"))
            st = sheet_row_start(s);
        else if (s->x.tok == XT_END && is_tag(&s->x, "row"))
            st = sheet_row_end(s);
        else if (s->x.tok == XT_START && is_tag(&s->x, "c"))
            st = sheet_cell(s);
        if (st != CA_OK)
            break;
    }
    if (st == CA_SYSTEM && !err->msg[0])
        ca_error_set(err, CA_SYSTEM, name, 0, NULL, "out of memory");
    for (i = 0; i < XLSX_MAX_COLS; i++)
        buf_release(&s->row->cell[i]);
    free(s->row);
    buf_release(&s->attr);
    buf_release(&s->val);
    buf_release(&s->x.text);
    free(s);
    return st;
}

enum ca_status xlsx_read(const char *name, const void *data, size_t len,
                         xlsx_row_fn fn, void *ctx, bool *date1904,
                         struct ca_error *err)
{
    struct parts p;
    struct book bk;
    enum ca_status st;
    size_t i;

    memset(&p, 0, sizeof(p));
    memset(&bk, 0, sizeof(bk));
    if (len > XLSX_MAX_BYTES)
        return ca_error_set(err, CA_DATA, name, 0, NULL,
                            "workbook larger than %u MiB",
                            XLSX_MAX_BYTES >> 20);
    st = read_parts(name, data, len, &p, err);
    if (st == CA_OK)
        st = parse_workbook(name, &p, &bk, err);
    if (st == CA_OK)
        st = parse_rels(name, &p, &bk, err);
    if (st == CA_OK)
        st = parse_strings(name, &p, &bk, err);
    if (st == CA_OK) {
        for (i = 0; i < p.nsheets; i++)
            if (strcmp(p.sheet_name[i], bk.sheet_part) == 0)
                break;
        if (i == p.nsheets)
            st = ca_error_set(err, CA_DATA, name, 0, bk.sheet_part,
                              "the workbook's first sheet is missing");
        else
            st = parse_sheet(name, p.sheet[i], p.sheet_len[i], p.sheet_name[i],
                             &bk, fn, ctx, err);
    }
    if (date1904)
        *date1904 = bk.date1904;
    book_release(&bk);
    parts_release(&p);
    return st;
}

int xlsx_serial_day(const char *text, bool date1904, char out[11])
{
    char *e;
    double v = strtod(text, &e);
    int64_t day;
    int y;
    unsigned m, d;

    if (e == text || *e || !(v >= 0 && v < 3000000))
        return -1;
    day = (int64_t)v; /* the time of day is the fraction */
    if (date1904) {
        day += date_days_from_civil(1904, 1, 1);
    } else {
        /* serial 1 is 1900-01-01 and serial 60 the 29 February 1900 that
         * never was: from 61 on, serial s is 1899-12-30 + s */
        if (day < 61)
            return -1;
        day += date_days_from_civil(1899, 12, 30);
    }
    date_civil_from_days(day, &y, &m, &d);
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    snprintf(out, 11, "%04d-%02u-%02u", y % 10000, m % 13, d % 32);
    return 0;
}
