/* SPDX-License-Identifier: MIT */
/*
 * CSV rows from libcsv (strict mode) with physical line numbers, field
 * checks and recovery after malformed rows; see csvread.h.
 *
 * Line numbers: libcsv reports neither positions nor empty lines unless
 * CSV_REPALL_NL is set, so it is, and the line counter advances on every
 * CR or LF that ends a row or an empty line (an LF right after such a CR
 * is the same CRLF break), plus every LF inside a quoted field, and in a
 * file whose rows end with a bare CR (Excel's "CSV (Macintosh)") every
 * bare CR inside a quoted field too (after an unterminated quote in such
 * a file, a CRLF among the swallowed lines counts as two).
 *
 * The field cap: libcsv grows its field buffer through a realloc hook that
 * has no context argument, so the buffer carries its cap in a small header
 * in front of it; the hook refuses to grow past it, libcsv stops with
 * CSV_ENOMEM, and the reader tells that apart from a real allocation
 * failure by the buffer size.  libcsv's parser state fields are public in
 * csv.h; the reader resets them after a bad row to resynchronise (libcsv
 * has no reset call), and reads them to know whether it stopped inside a
 * quoted field.
 */
#include "ingest/csvread.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/internal.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* libcsv's parser states (libcsv.c; stable since 3.0). */
#define LIBCSV_FIELD_BEGUN 2
#define LIBCSV_FIELD_MIGHT_HAVE_ENDED 3

enum skip_state { SK_NONE = 0, SK_START, SK_UNQ, SK_QUOTED, SK_QQ };

#define CAPHDR 16 /* keeps the buffer maximally aligned for any use */
#define BLK (64 * 1024)

static void *cap_realloc(void *ptr, size_t size)
{
    unsigned char *base;
    size_t cap;

    if (!ptr)
        return NULL; /* never: the buffer is allocated in csvread_init */
    base = (unsigned char *)ptr - CAPHDR;
    memcpy(&cap, base, sizeof(cap));
    if (size > cap || size > SIZE_MAX - CAPHDR)
        return NULL;
    base = realloc(base, CAPHDR + size);
    return base ? base + CAPHDR : NULL;
}

static void cap_free(void *ptr)
{
    if (ptr)
        free((unsigned char *)ptr - CAPHDR);
}

int csvread_encoding_parse(const char *name, enum csvread_enc *enc)
{
    if (!name || ingest_strcaseeq(name, "utf-8") ||
        ingest_strcaseeq(name, "utf8")) {
        *enc = CSVR_UTF8;
        return 0;
    }
    if (ingest_strcaseeq(name, "cp1252") ||
        ingest_strcaseeq(name, "windows-1252")) {
        *enc = CSVR_CP1252;
        return 0;
    }
    if (ingest_strcaseeq(name, "latin1") ||
        ingest_strcaseeq(name, "iso-8859-1")) {
        *enc = CSVR_LATIN1;
        return 0;
    }
    return -1;
}

int csvread_init(struct csvread *c, enum csvread_enc enc, size_t max_field,
                 size_t max_row, csvread_row_fn on_row, void *ctx)
{
    unsigned char *base;
    size_t cap;

    memset(c, 0, sizeof(*c));
    c->enc = enc;
    c->max_field = max_field ? max_field : 1024 * 1024;
    c->max_row = max_row ? max_row : 16 * 1024 * 1024;
    c->max_fields = 65536;
    c->on_row = on_row;
    c->ctx = ctx;
    csv_init(&c->p,
             CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL);
    csv_set_realloc_func(&c->p, cap_realloc);
    csv_set_free_func(&c->p, cap_free);
    csv_set_blk_size(&c->p, BLK);
    cap = c->max_field + 1; /* room for the NUL of CSV_APPEND_NULL */
    base = malloc(CAPHDR + 4096);
    c->falloc = 64;
    c->off = malloc(c->falloc * sizeof(*c->off));
    c->row.v = malloc(c->falloc * sizeof(*c->row.v));
    c->row.len = malloc(c->falloc * sizeof(*c->row.len));
    c->bufalloc = 64 * 1024;
    c->buf = malloc(c->bufalloc);
    if (!base || !c->off || !c->row.v || !c->row.len || !c->buf) {
        free(base);
        csvread_release(c);
        return -1;
    }
    memcpy(base, &cap, sizeof(cap));
    c->p.entry_buf = base + CAPHDR;
    c->p.entry_size = 4096 < cap ? 4096 : cap;
    csvread_begin(c);
    return 0;
}

void csvread_release(struct csvread *c)
{
    csv_free(&c->p);
    free(c->off);
    free(c->row.v);
    free(c->row.len);
    free(c->buf);
    free(c->ebuf);
    c->ebuf = NULL;
    c->ebufalloc = 0;
    free(c->sw);
    c->sw = NULL;
    c->nsw = c->swalloc = 0;
    c->off = NULL;
    c->row.v = NULL;
    c->row.len = NULL;
    c->buf = NULL;
}

static void parser_reset(struct csvread *c)
{
    c->p.pstate = 0;
    c->p.quoted = 0;
    c->p.spaces = 0;
    c->p.entry_pos = 0;
    c->p.status = 0;
}

static void begin_row(struct csvread *c)
{
    c->in_row = true;
    c->row.line = c->line;
    c->row.n = 0;
    c->row.nkept = 0;
    c->row.bad = CSVROW_OK;
    c->row.bad_field = (size_t)-1;
    c->row.detail[0] = '\0';
    c->buflen = 0;
    c->extra = 0;
}

void csvread_begin(struct csvread *c)
{
    parser_reset(c);
    c->line = 1;
    c->cr_pending = false;
    c->cr_file = false;
    c->bom = c->enc == CSVR_UTF8 ? 0 : 3;
    c->in_row = false;
    c->stopped = false;
    c->sys_error = false;
    c->skip = SK_NONE;
    c->swallowed = 0;
    c->swallow_line = 0;
    c->rows = 0;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void
row_bad(struct csvread *c, int why, size_t field, const char *fmt, ...)
{
    va_list ap;

    if (c->row.bad != CSVROW_OK)
        return; /* keep the first problem */
    c->row.bad = why;
    c->row.bad_field = field;
    va_start(ap, fmt);
    vsnprintf(c->row.detail, sizeof(c->row.detail), fmt, ap);
    va_end(ap);
}

static size_t count_nl(const unsigned char *p, size_t len)
{
    size_t n = 0;
    const unsigned char *e = p + len, *q;

    while (p < e && (q = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        n++;
        p = q + 1;
    }
    return n;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t len)
{
    unsigned char b = p[0];

    if (b >= 0xC2 && b <= 0xDF) {
        if (len >= 2 && (p[1] & 0xC0) == 0x80)
            return 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        if (len >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
            !(b == 0xE0 && p[1] < 0xA0) && /* overlong */
            !(b == 0xED && p[1] >= 0xA0))  /* surrogates */
            return 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
        if (len >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
            (p[3] & 0xC0) == 0x80 && !(b == 0xF0 && p[1] < 0x90) &&
            !(b == 0xF4 && p[1] >= 0x90))
            return 4;
    }
    return 0;
}

/* cp1252 0x80-0x9F as Unicode code points; 0 = undefined. */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static int grow_buf(struct csvread *c, size_t need)
{
    size_t na;
    char *nb;

    if (need <= c->bufalloc)
        return 0;
    na = c->bufalloc;
    while (na < need)
        na *= 2;
    nb = realloc(c->buf, na);
    if (!nb)
        return -1;
    c->buf = nb;
    c->bufalloc = na;
    return 0;
}

static int grow_fields(struct csvread *c, size_t need)
{
    size_t na = c->falloc;
    size_t *no, *nl;
    char **nv;

    if (need <= c->falloc)
        return 0;
    while (na < need)
        na *= 2;
    no = realloc(c->off, na * sizeof(*no));
    if (no)
        c->off = no;
    nv = realloc(c->row.v, na * sizeof(*nv));
    if (nv)
        c->row.v = nv;
    nl = realloc(c->row.len, na * sizeof(*nl));
    if (nl)
        c->row.len = nl;
    if (!no || !nv || !nl)
        return -1;
    c->falloc = na;
    return 0;
}

/*
 * ascii_run: the plain part of a field, block by block: copies to dst
 * the leading whole blocks of p that are all ASCII without NUL, adds the
 * line feeds in them to *nl and returns how many bytes that was (a
 * multiple of the block size; the caller checks the rest byte by byte).
 * With SSE2 (every x86-64) blocks are 64 then 16 bytes; elsewhere 32 then
 * 8 bytes in 64-bit words.
 */
#if defined(__SSE2__)
static size_t ascii_run(const unsigned char *p, size_t len, char *dst,
                        size_t *nl)
{
    const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    __m128i cnt = zero, sum = zero; /* line feeds per byte lane */
    size_t i = 0;
    unsigned k = 0;

    while (i + 64 <= len) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i b =
            _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
        __m128i c =
            _mm_loadu_si128((const __m128i *)(const void *)(p + i + 32));
        __m128i d =
            _mm_loadu_si128((const __m128i *)(const void *)(p + i + 48));
        __m128i any = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
        __m128i min = _mm_min_epu8(_mm_min_epu8(a, b), _mm_min_epu8(c, d));

        if (_mm_movemask_epi8(any) |
            _mm_movemask_epi8(_mm_cmpeq_epi8(min, zero)))
            break;
        _mm_storeu_si128((__m128i *)(void *)(dst + i), a);
        _mm_storeu_si128((__m128i *)(void *)(dst + i + 16), b);
        _mm_storeu_si128((__m128i *)(void *)(dst + i + 32), c);
        _mm_storeu_si128((__m128i *)(void *)(dst + i + 48), d);
        /* each lane gains at most 4 per block: flush before 255 */
        cnt = _mm_sub_epi8(cnt, _mm_cmpeq_epi8(a, lf));
        cnt = _mm_sub_epi8(cnt, _mm_cmpeq_epi8(b, lf));
        cnt = _mm_sub_epi8(cnt, _mm_cmpeq_epi8(c, lf));
        cnt = _mm_sub_epi8(cnt, _mm_cmpeq_epi8(d, lf));
        i += 64;
        if (++k == 63) {
            sum = _mm_add_epi64(sum, _mm_sad_epu8(cnt, zero));
            cnt = zero;
            k = 0;
        }
    }
    while (i + 16 <= len) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));

        if (_mm_movemask_epi8(a) | _mm_movemask_epi8(_mm_cmpeq_epi8(a, zero)))
            break;
        _mm_storeu_si128((__m128i *)(void *)(dst + i), a);
        /* at most 3 of these after the 64-byte loop: no overflow */
        cnt = _mm_sub_epi8(cnt, _mm_cmpeq_epi8(a, lf));
        i += 16;
    }
    sum = _mm_add_epi64(sum, _mm_sad_epu8(cnt, zero));
    *nl += (size_t)_mm_cvtsi128_si32(sum) +
           (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
    return i;
}
#else
/* The top bit of each byte of a word of ASCII bytes that is '\n': a byte
 * of w ^ 0x0A.. is zero exactly there, and adding 0x7F to a byte below
 * 0x80 sets its top bit unless it is zero, without a carry into the next
 * byte. */
static uint64_t lf_bits(uint64_t w)
{
    const uint64_t lf = 0x0A0A0A0A0A0A0A0AULL, low = 0x7F7F7F7F7F7F7F7FULL,
                   high = 0x8080808080808080ULL;

    return ~((w ^ lf) + low) & high;
}

static int plain_word(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;

    return !(w & high) && !((w - ones) & ~w & high);
}

static size_t ascii_run(const unsigned char *p, size_t len, char *dst,
                        size_t *nl)
{
    const uint64_t ones = 0x0101010101010101ULL;
    size_t i = 0;
    uint64_t w[4], z;

    while (i + 32 <= len) {
        memcpy(w, p + i, 32);
        if (!plain_word(w[0] | w[1] | w[2] | w[3]) || !plain_word(w[0]) ||
            !plain_word(w[1]) || !plain_word(w[2]) || !plain_word(w[3]))
            break;
        memcpy(dst + i, w, 32);
        /* the top bits summed by one multiplication (no popcount) */
        z = (lf_bits(w[0]) >> 7) + (lf_bits(w[1]) >> 7) + (lf_bits(w[2]) >> 7) +
            (lf_bits(w[3]) >> 7);
        *nl += (size_t)((z * ones) >> 56);
        i += 32;
    }
    while (i + 8 <= len) {
        memcpy(w, p + i, 8);
        if (!plain_word(w[0]))
            break;
        memcpy(dst + i, w, 8);
        *nl += (size_t)(((lf_bits(w[0]) >> 7) * ones) >> 56);
        i += 8;
    }
    return i;
}
#endif

/* Copy a UTF-8 field, checking it; returns newlines seen.  Plain ASCII
 * (the common case) is checked, copied and its line feeds counted a block
 * at a time; the rest byte by byte. */
static size_t put_utf8(struct csvread *c, size_t idx, const unsigned char *p,
                       size_t len, char *dst)
{
    size_t i = 0, n, nl = 0;

    while (i < len) {
        unsigned char b;

        i += ascii_run(p + i, len - i, dst + i, &nl);
        if (i == len)
            break;
        b = p[i];
        if (b < 0x80) {
            if (b == '\n')
                nl++;
            else if (b == 0)
                row_bad(c, CSVROW_MALFORMED, idx,
                        "NUL byte at offset %zu of the field", i);
            dst[i++] = (char)b;
            continue;
        }
        n = utf8_seq(p + i, len - i);
        if (!n) {
            row_bad(c, CSVROW_ENCODING, idx,
                    "invalid UTF-8 (byte 0x%02X at offset %zu of the field; "
                    "try --encoding cp1252)",
                    b, i);
            nl += count_nl(p + i, len - i);
            memcpy(dst + i, p + i, len - i);
            break;
        }
        memcpy(dst + i, p + i, n);
        i += n;
    }
    dst[len] = '\0';
    c->buflen += len + 1;
    return nl;
}

/* Transcode a cp1252/latin1 field into UTF-8; returns newlines seen. */
static size_t put_8bit(struct csvread *c, size_t idx, const unsigned char *p,
                       size_t len, char *dst)
{
    size_t i, nl = 0;
    char *d = dst;

    for (i = 0; i < len; i++) {
        unsigned cp = p[i];

        if (cp < 0x80) {
            if (cp == '\n')
                nl++;
            else if (cp == 0)
                row_bad(c, CSVROW_MALFORMED, idx,
                        "NUL byte at offset %zu of the field", i);
            *d++ = (char)cp;
            continue;
        }
        if (c->enc == CSVR_CP1252 && cp < 0xA0) {
            cp = cp1252_hi[cp - 0x80];
            if (!cp) {
                row_bad(c, CSVROW_ENCODING, idx,
                        "byte 0x%02X at offset %zu of the field is not "
                        "defined in cp1252",
                        p[i], i);
                cp = 0xFFFD;
            }
        }
        if (cp < 0x800) {
            *d++ = (char)(0xC0 | (cp >> 6));
            *d++ = (char)(0x80 | (cp & 0x3F));
        } else {
            *d++ = (char)(0xE0 | (cp >> 12));
            *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
            *d++ = (char)(0x80 | (cp & 0x3F));
        }
    }
    *d = '\0';
    c->buflen += (size_t)(d - dst) + 1;
    return nl;
}

/* One field of the current row, from libcsv or from the fast path. */
/* Line breaks made of a bare CR (not followed by LF) in a field. */
static unsigned long count_bare_cr(const unsigned char *p, size_t len)
{
    const unsigned char *e = p + len, *q = p;
    unsigned long n = 0;

    while ((q = memchr(q, '\r', (size_t)(e - q))) != NULL) {
        q++;
        n += q == e || *q != '\n';
    }
    return n;
}

static void deliver(struct csvread *c);

/*
 * The first row (the header) is bad: nothing after it can be read as rows
 * of it, so it is delivered at once and the input ends there, however
 * much follows (an endless line, a stream of zeros).
 */
static void first_row_bad(struct csvread *c)
{
    if (c->rows != 0 || c->row.bad == CSVROW_OK || c->stopped)
        return;
    deliver(c);
    c->stopped = true;
}

static void field_put(struct csvread *c, const unsigned char *p, size_t len)
{
    size_t idx, need;
    char *dst;

    if (c->stopped || c->sys_error)
        return;
    if (c->cr_pending) { /* a row ended with a CR and no LF followed */
        c->cr_file = true;
        c->cr_pending = false;
    }
    if (c->cr_file) /* its line breaks inside quoted fields are CRs too */
        c->line += count_bare_cr(p, len);
    if (!c->in_row)
        begin_row(c);
    idx = c->row.n++;
    if (c->row.bad == CSVROW_OK && idx >= c->max_fields) {
        /* fields past those kept count towards the row cap all the same,
         * so that an endless line of commas ends too */
        c->extra += len + 1;
        if (c->buflen + c->extra > c->max_row + 1)
            row_bad(c, CSVROW_OVERSIZE, idx, "row longer than %zu bytes",
                    c->max_row);
    }
    if (c->row.bad != CSVROW_OK || idx >= c->max_fields) {
        c->line += count_nl(p, len);
        first_row_bad(c);
        return;
    }
    need = c->enc == CSVR_UTF8 ? len + 1 : len * 3 + 1;
    if (c->buflen + need > c->max_row + 1) {
        row_bad(c, CSVROW_OVERSIZE, idx, "row longer than %zu bytes",
                c->max_row);
        c->line += count_nl(p, len);
        first_row_bad(c);
        return;
    }
    if (grow_buf(c, c->buflen + need) || grow_fields(c, idx + 1)) {
        c->sys_error = true;
        return;
    }
    c->off[idx] = c->buflen;
    dst = c->buf + c->buflen;
    if (c->enc == CSVR_UTF8)
        c->line += put_utf8(c, idx, p, len, dst);
    else
        c->line += put_8bit(c, idx, p, len, dst);
    c->row.len[idx] = c->buflen - c->off[idx] - 1;
    c->row.nkept = idx + 1;
    first_row_bad(c);
}

static void on_field(void *s, size_t len, void *data)
{
    field_put(data, s, len);
}

static void deliver(struct csvread *c)
{
    size_t i;

    for (i = 0; i < c->row.nkept; i++)
        c->row.v[i] = c->buf + c->off[i];
    c->in_row = false;
    c->rows++;
    if (c->on_row(c->ctx, &c->row))
        c->stopped = true;
}

static void on_row(int ch, void *data)
{
    struct csvread *c = data;

    if (c->stopped || c->sys_error)
        return;
    if (c->in_row)
        deliver(c);
    if (ch == '\r') {
        c->line++;
        c->cr_pending = true;
    } else if (ch == '\n') {
        c->line += !c->cr_pending;
        c->cr_pending = false;
    }
}

/* ---- fast path ---- */

/*
 * Most rows of an export are plain: every field either unquoted (no
 * quote, no CR, no leading or trailing blank) or quoted as a whole, the
 * closing quote followed at once by a comma or a line end.  fast_rows
 * reads such rows straight from the input, handing each field to
 * field_put with exactly the bytes, the row ends and the line feeds
 * libcsv would report, so the rows and line numbers are the same; it
 * skips libcsv's byte-at-a-time copy into its own buffer, which was most
 * of ingest's time.  Anything else (a blank to trim, a stray quote, a
 * field near the size cap, a row that does not end in this chunk) is left
 * to libcsv from the start of that field, with libcsv's state set to what
 * it would be there: ROW_NOT_BEGUN at a row start, FIELD_NOT_BEGUN after
 * a comma.  feed() returns to the fast path once libcsv is back at a row
 * boundary.
 */

#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_NOT_BEGUN 1

/* Bytes that end (or complicate) an unquoted field. */
static const unsigned char unq_stop[256] = {
    [','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1};

/* A quoted field with doubled quotes, undoubled into c->ebuf; NULL when
 * out of memory. */
static const unsigned char *undouble(struct csvread *c, const unsigned char *p,
                                     size_t len, size_t *outlen)
{
    size_t i, o = 0;

    if (len > c->ebufalloc) {
        size_t na = c->ebufalloc ? c->ebufalloc : 4096;
        unsigned char *nb;

        while (na < len)
            na *= 2;
        nb = realloc(c->ebuf, na);
        if (!nb)
            return NULL;
        c->ebuf = nb;
        c->ebufalloc = na;
    }
    for (i = 0; i < len; i++) {
        c->ebuf[o++] = p[i];
        if (p[i] == '"')
            i++; /* the second quote of a pair */
    }
    *outlen = o;
    return c->ebuf;
}

/* Read whole plain rows from p; returns the bytes taken.  Called only at a
 * row boundary (libcsv in ROW_NOT_BEGUN, no row being built). */
static size_t fast_rows(struct csvread *c, const unsigned char *p, size_t len)
{
    size_t pos = 0, q = 0, f0 = 0, start, end;
    const unsigned char *e, *fp;
    bool esc, row_start;
    unsigned char term;

    while (pos < len) {
        q = pos;
        row_start = true;
        for (;;) { /* one field at q */
            f0 = q;
            if (q >= len)
                goto bail;
            if (row_start && (p[q] == '\n' || p[q] == '\r')) {
                /* an empty line: libcsv reports it with CSV_REPALL_NL */
                term = p[q];
                end = q + 1;
                goto row_end;
            }
            if (p[q] == '"') {
                start = q + 1;
                esc = false;
                for (q = start;; q = (size_t)(e - p) + 2) {
                    e = memchr(p + q, '"', len - q);
                    if (!e || (size_t)(e - p) + 1 >= len)
                        goto bail;
                    if (e[1] != '"')
                        break;
                    esc = true;
                }
                end = (size_t)(e - p);
                term = e[1];
                /* libcsv fails a field once its buffer (with the closing
                 * quote) holds max_field bytes and one more byte comes:
                 * stay two bytes clear and let it decide the rest */
                if ((term != ',' && term != '\n' && term != '\r') ||
                    end - start + 2 > c->max_field)
                    goto bail;
                if (esc) {
                    size_t n;

                    fp = undouble(c, p + start, end - start, &n);
                    if (!fp) {
                        c->sys_error = true;
                        return pos;
                    }
                    field_put(c, fp, n);
                } else {
                    field_put(c, p + start, end - start);
                }
                end += 2;
            } else {
                start = q;
                if (p[q] == ' ' || p[q] == '\t')
                    goto bail;
                while (q < len && !unq_stop[p[q]])
                    q++;
                if (q >= len || p[q] == '"' || q - start + 2 > c->max_field ||
                    (q > start && (p[q - 1] == ' ' || p[q - 1] == '\t')))
                    goto bail;
                field_put(c, p + start, q - start);
                term = p[q];
                end = q + 1;
            }
            if (c->sys_error)
                return pos;
            if (term != ',')
                break;
            q = end;
            row_start = false;
        }
    row_end:
        on_row(term, c);
        pos = end;
        if (c->stopped || c->sys_error)
            return pos;
    }
    return pos;
bail:
    /* libcsv goes on from the start of the field at q */
    c->p.pstate = row_start ? LIBCSV_ROW_NOT_BEGUN : LIBCSV_FIELD_NOT_BEGUN;
    return row_start ? pos : f0;
}

/* ---- resynchronisation after a bad row ---- */

static void sw_open(struct csvread *c)
{
    c->nsw = 0;
    c->sw_open_line = c->line;
    c->sw_seen_nl = false;
    c->sw_line_text = false;
}

static void sw_add(struct csvread *c, unsigned long line)
{
    if (c->nsw && c->sw[c->nsw - 1].b + 1 == line) {
        c->sw[c->nsw - 1].b = line;
        return;
    }
    if (c->nsw == c->swalloc) {
        size_t na = c->swalloc ? c->swalloc * 2 : 8;
        struct csvread_range *v = realloc(c->sw, na * sizeof(*v));

        if (!v) {
            c->sys_error = true;
            return;
        }
        c->sw = v;
        c->swalloc = na;
    }
    c->sw[c->nsw].a = c->sw[c->nsw].b = line;
    c->nsw++;
}

/* One byte inside an open quote: count lines, remember non-blank ones
 * after the line the quote opened on. */
static void sw_byte(struct csvread *c, unsigned char b)
{
    if (b == '\n' || (b == '\r' && c->cr_file)) {
        if (c->sw_seen_nl && c->sw_line_text)
            sw_add(c, c->line);
        c->sw_seen_nl = true;
        c->sw_line_text = false;
        c->line++;
    } else if (b != ' ' && b != '\t' && b != '\r') {
        c->sw_line_text = true;
    }
}

/* A row is bad mid-way: count the lines held in libcsv's partial field and
 * scan on from there with a small lexer until the row's end. */
static void skip_begin(struct csvread *c)
{
    const unsigned char *e = c->p.entry_buf;
    size_t i, n = c->p.entry_pos;

    c->cr_pending = false; /* the bad row has bytes of its own */

    if (!c->in_row)
        begin_row(c);
    if (c->p.pstate == LIBCSV_FIELD_BEGUN && c->p.quoted) {
        c->skip = SK_QUOTED;
        sw_open(c);
        for (i = 0; i < n; i++)
            sw_byte(c, e[i]);
    } else {
        c->line += count_nl(e, n);
        if (c->cr_file)
            c->line += count_bare_cr(e, n);
        if (c->p.pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED)
            c->skip = SK_QQ;
        else if (c->p.pstate == LIBCSV_FIELD_BEGUN)
            c->skip = SK_UNQ;
        else
            c->skip = SK_START;
    }
    parser_reset(c);
}

/* Returns bytes consumed; sets *done at the end of the bad row. */
static size_t skip_scan(struct csvread *c, const unsigned char *p, size_t len,
                        bool *done)
{
    size_t i;

    *done = false;
    for (i = 0; i < len; i++) {
        unsigned char b = p[i];

        switch (c->skip) {
        case SK_QUOTED:
            if (b == '"')
                c->skip = SK_QQ;
            else
                sw_byte(c, b);
            continue;
        case SK_QQ:
            if (b == '"') {
                c->skip = SK_QUOTED;
                continue;
            }
            c->skip = SK_UNQ;
            break;
        case SK_START:
            if (b == '"') {
                c->skip = SK_QUOTED;
                sw_open(c);
                continue;
            }
            if (b == ' ' || b == '\t' || b == ',')
                continue;
            break;
        default:
            break;
        }
        /* outside quotes */
        if (b == ',') {
            c->skip = SK_START;
        } else if (b == '\n' || b == '\r') {
            c->line++;
            c->cr_pending = b == '\r'; /* a CRLF's LF: an empty line next */
            c->skip = SK_NONE;
            *done = true;
            return i + 1;
        } else {
            c->skip = SK_UNQ;
        }
    }
    return i;
}

/* The input ended inside an open quote: the row and every non-blank line
 * after the quote are bad. */
static void swallow_report(struct csvread *c)
{
    unsigned long open = c->sw_open_line, n = 0, l;
    size_t i;

    if (c->sw_seen_nl && c->sw_line_text)
        sw_add(c, c->line);
    for (i = 0; i < c->nsw; i++)
        n += c->sw[i].b - c->sw[i].a + 1;
    c->swallowed = n;
    c->swallow_line = open;
    c->row.bad = CSVROW_OK;
    row_bad(c, CSVROW_MALFORMED, (size_t)-1,
            "unterminated quote opened on line %lu runs to the end of the "
            "input (%lu later line%s swallowed)",
            open, n, n == 1 ? "" : "s");
    deliver(c);
    for (i = 0; i < c->nsw && !c->stopped; i++) {
        for (l = c->sw[i].a; l <= c->sw[i].b && !c->stopped; l++) {
            begin_row(c);
            c->row.line = l;
            row_bad(c, CSVROW_MALFORMED, (size_t)-1,
                    "swallowed by the unterminated quote opened on line %lu",
                    open);
            deliver(c);
        }
    }
    c->nsw = 0;
}

static enum ca_status sys_fail(struct csvread *c, struct ca_error *err)
{
    c->stopped = true;
    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                        "out of memory reading CSV");
}

static enum ca_status feed(struct csvread *c, const unsigned char *p,
                           size_t len, struct ca_error *err)
{
    const unsigned char *nl;
    size_t n, m;
    bool done;

    while (len && !c->stopped) {
        if (c->skip != SK_NONE) {
            n = skip_scan(c, p, len, &done);
            p += n;
            len -= n;
            if (done)
                deliver(c);
            continue;
        }
        if (!c->no_fast && c->p.pstate == LIBCSV_ROW_NOT_BEGUN && !c->in_row) {
            n = fast_rows(c, p, len);
            p += n;
            len -= n;
            if (c->sys_error)
                return sys_fail(c, err);
            if (!len || c->stopped)
                break;
            /* libcsv takes a line at a time until it is at a row end */
            nl = memchr(p, '\n', len);
            m = nl ? (size_t)(nl - p) + 1 : len;
        } else if (!c->no_fast) {
            nl = memchr(p, '\n', len);
            m = nl ? (size_t)(nl - p) + 1 : len;
        } else {
            m = len;
        }
        n = csv_parse(&c->p, p, m, on_field, on_row, c);
        if (c->sys_error)
            return sys_fail(c, err);
        if (c->stopped)
            break;
        p += n;
        len -= n;
        switch (csv_error(&c->p)) {
        case CSV_SUCCESS:
            break;
        case CSV_EPARSE:
            if (!c->in_row)
                begin_row(c);
            row_bad(c, CSVROW_MALFORMED, c->row.n,
                    "stray quote: a field must be quoted as a whole and a "
                    "quote inside it doubled");
            first_row_bad(c);
            if (!c->stopped)
                skip_begin(c);
            break;
        case CSV_ENOMEM:
            if (c->p.entry_size < c->max_field + 1)
                return sys_fail(c, err);
            if (!c->in_row)
                begin_row(c);
            row_bad(c, CSVROW_OVERSIZE, c->row.n, "field longer than %zu bytes",
                    c->max_field);
            first_row_bad(c);
            if (!c->stopped)
                skip_begin(c);
            break;
        default:
            return sys_fail(c, err);
        }
    }
    if (c->sys_error)
        return sys_fail(c, err);
    return CA_OK;
}

enum ca_status csvread_feed(struct csvread *c, const void *data, size_t len,
                            struct ca_error *err)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    const unsigned char *p = data;
    enum ca_status st;

    while (c->bom < 3 && len) {
        if (p[0] == bom[c->bom]) {
            c->bom++;
            p++;
            len--;
            continue;
        }
        /* not a BOM after all: the bytes matched so far are data */
        st = feed(c, bom, (size_t)c->bom, err);
        c->bom = 3;
        if (st != CA_OK)
            return st;
    }
    return feed(c, p, len, err);
}

enum ca_status csvread_end(struct csvread *c, struct ca_error *err)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    enum ca_status st;

    if (c->bom > 0 && c->bom < 3) {
        st = feed(c, bom, (size_t)c->bom, err);
        if (st != CA_OK)
            return st;
    }
    c->bom = 3;
    if (c->stopped)
        return CA_OK;
    if (c->skip != SK_NONE) {
        if (c->skip == SK_QUOTED)
            swallow_report(c);
        else
            deliver(c);
        c->skip = SK_NONE;
    } else if (csv_fini(&c->p, on_field, on_row, c) != 0) {
        /* CSV_STRICT_FINI: the last field's quote was never closed */
        const unsigned char *e = c->p.entry_buf;
        size_t i, n = c->p.entry_pos;

        if (!c->in_row)
            begin_row(c);
        sw_open(c);
        for (i = 0; i < n; i++)
            sw_byte(c, e[i]);
        swallow_report(c);
    }
    parser_reset(c);
    if (c->sys_error)
        return sys_fail(c, err);
    return CA_OK;
}

/* ---- whole texts (small files read at once: reviews) --------------------- */

bool csvread_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, k;

    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(p + i, len - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

char *csvread_cp1252_to_utf8(const char *s, size_t len, size_t *outlen,
                             size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out, *d;
    size_t i;

    *bad = (size_t)-1;
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    d = out;
    for (i = 0; i < len; i++) {
        unsigned cp = p[i];

        if (cp < 0x80) {
            *d++ = (char)cp;
            continue;
        }
        if (cp < 0xA0) {
            cp = cp1252_hi[cp - 0x80];
            if (!cp) {
                if (*bad == (size_t)-1)
                    *bad = i;
                cp = 0xFFFD;
            }
        }
        if (cp < 0x800) {
            *d++ = (char)(0xC0 | (cp >> 6));
            *d++ = (char)(0x80 | (cp & 0x3F));
        } else {
            *d++ = (char)(0xE0 | (cp >> 12));
            *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
            *d++ = (char)(0x80 | (cp & 0x3F));
        }
    }
    *d = '\0';
    *outlen = (size_t)(d - out);
    return out;
}
