/* SPDX-License-Identifier: MIT */
/*
 * The canonical record model: type and field tables, field access, date and
 * flag parsing, and splitting the inline case log into entries with the
 * entry-header regex (the contract's default, compiled once per process,
 * or a profile's own).  Everything here is reentrant: the only shared state
 * is the default regex, initialised through pthread_once and never changed.
 */
#include "ingest/record.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/internal.h"
#include "ingest/rank.h"

static const char *const type_names[RT__COUNT] = {
    "unknown", "crime", "wanted", "bail", "incident",
};

const char *record_type_name(enum record_type t)
{
    if ((int)t < 0 || t >= RT__COUNT)
        return "unknown";
    return type_names[t];
}

int record_type_parse(const char *name, enum record_type *t)
{
    int i;

    if (!name)
        return -1;
    for (i = RT_CRIME; i < RT__COUNT; i++) {
        if (ingest_strcaseeq(name, type_names[i])) {
            *t = (enum record_type)i;
            return 0;
        }
    }
    return -1;
}

static const struct {
    const char *name;
    enum cf_kind kind;
} cf_table[CF__COUNT] = {
    [CF_FORCE] = {"force", CFK_TEXT},
    [CF_CRIME_REF] = {"crime_ref", CFK_TEXT},
    [CF_INCIDENT_REF] = {"incident_ref", CFK_TEXT},
    [CF_OFFENCE] = {"offence", CFK_TEXT},
    [CF_OFFENCE_GROUP] = {"offence_group", CFK_TEXT},
    [CF_REPORTED_AT] = {"reported_at", CFK_DATE},
    [CF_RECORDED_AT] = {"recorded_at", CFK_DATE},
    [CF_ATTENDED] = {"attended", CFK_FLAG},
    [CF_VULNERABLE] = {"vulnerable", CFK_FLAG},
    [CF_REPEAT_VICTIM] = {"repeat_victim", CFK_FLAG},
    [CF_NAMED_SUSPECT] = {"named_suspect", CFK_FLAG},
    [CF_STATUS] = {"status", CFK_TEXT},
    [CF_OUTCOME] = {"outcome", CFK_TEXT},
    [CF_OUTCOME_AT] = {"outcome_at", CFK_DATE},
    [CF_OIC] = {"oic", CFK_TEXT},
    [CF_LOG] = {"log", CFK_TEXT},
    [CF_WANTED_REF] = {"wanted_ref", CFK_TEXT},
    [CF_PERSON_REF] = {"person_ref", CFK_TEXT},
    [CF_DECIDED_AT] = {"decided_at", CFK_DATE},
    [CF_CIRCULATED_AT] = {"circulated_at", CFK_DATE},
    [CF_CLOSED_AT] = {"closed_at", CFK_DATE},
    [CF_BAIL_REF] = {"bail_ref", CFK_TEXT},
    [CF_ARRESTED_AT] = {"arrested_at", CFK_DATE},
    [CF_BAIL_START] = {"bail_start", CFK_DATE},
    [CF_BAIL_END] = {"bail_end", CFK_DATE},
    [CF_FAILED_TO_ANSWER] = {"failed_to_answer", CFK_FLAG},
    [CF_ANSWERED_AT] = {"answered_at", CFK_DATE},
    [CF_OPENED_AT] = {"opened_at", CFK_DATE},
    [CF_CATEGORY] = {"category", CFK_TEXT},
    [CF_ATTENDED_AT] = {"attended_at", CFK_DATE},
};

const char *cf_name(enum cf f)
{
    if ((int)f < 0 || f >= CF__COUNT)
        return "";
    return cf_table[f].name;
}

enum cf_kind cf_kind(enum cf f)
{
    if ((int)f < 0 || f >= CF__COUNT)
        return CFK_TEXT;
    return cf_table[f].kind;
}

int cf_lookup(const char *name)
{
    int i;

    if (!name)
        return -1;
    for (i = 0; i < CF__COUNT; i++)
        if (strcmp(name, cf_table[i].name) == 0)
            return i;
    return -1;
}

#define B(f) (UINT64_C(1) << (f))
static const uint64_t type_fields[RT__COUNT] = {
    [RT_UNKNOWN] = 0,
    [RT_CRIME] = B(CF_CRIME_REF) | B(CF_FORCE) | B(CF_INCIDENT_REF) |
                 B(CF_OFFENCE) | B(CF_OFFENCE_GROUP) | B(CF_REPORTED_AT) |
                 B(CF_RECORDED_AT) | B(CF_ATTENDED) | B(CF_VULNERABLE) |
                 B(CF_REPEAT_VICTIM) | B(CF_NAMED_SUSPECT) | B(CF_STATUS) |
                 B(CF_OUTCOME) | B(CF_OUTCOME_AT) | B(CF_OIC) | B(CF_LOG),
    [RT_WANTED] = B(CF_WANTED_REF) | B(CF_FORCE) | B(CF_PERSON_REF) |
                  B(CF_CRIME_REF) | B(CF_DECIDED_AT) | B(CF_CIRCULATED_AT) |
                  B(CF_STATUS) | B(CF_CLOSED_AT) | B(CF_OIC) | B(CF_LOG),
    [RT_BAIL] = B(CF_BAIL_REF) | B(CF_FORCE) | B(CF_PERSON_REF) |
                B(CF_CRIME_REF) | B(CF_ARRESTED_AT) | B(CF_BAIL_START) |
                B(CF_BAIL_END) | B(CF_FAILED_TO_ANSWER) | B(CF_ANSWERED_AT) |
                B(CF_STATUS) | B(CF_OIC) | B(CF_LOG),
    [RT_INCIDENT] = B(CF_INCIDENT_REF) | B(CF_FORCE) | B(CF_OPENED_AT) |
                    B(CF_CATEGORY) | B(CF_ATTENDED) | B(CF_ATTENDED_AT) |
                    B(CF_CRIME_REF),
};
#undef B

enum cf record_type_id_field(enum record_type t)
{
    switch (t) {
    case RT_CRIME:
        return CF_CRIME_REF;
    case RT_WANTED:
        return CF_WANTED_REF;
    case RT_BAIL:
        return CF_BAIL_REF;
    case RT_INCIDENT:
        return CF_INCIDENT_REF;
    default:
        return CF__COUNT;
    }
}

enum cf record_type_main_date(enum record_type t)
{
    switch (t) {
    case RT_CRIME:
        return CF_RECORDED_AT;
    case RT_WANTED:
        return CF_DECIDED_AT;
    case RT_BAIL:
        return CF_ARRESTED_AT;
    case RT_INCIDENT:
        return CF_OPENED_AT;
    default:
        return CF__COUNT;
    }
}

bool record_type_has_field(enum record_type t, enum cf f)
{
    if ((int)t < 0 || t >= RT__COUNT || (int)f < 0 || f >= CF__COUNT)
        return false;
    return (type_fields[t] >> f) & 1;
}

const char *record_get(const struct record *r, enum cf f)
{
    int c;

    if (!r || (int)f < 0 || f >= CF__COUNT)
        return NULL;
    if (f == CF_FORCE && r->force)
        return r->force;
    c = r->canon[f];
    if (c < 0 || (size_t)c >= r->ncols)
        return NULL;
    return r->values[c];
}

const char *record_get_named(const struct record *r, const char *name)
{
    if (!r || !name)
        return NULL;
    return record_get_looked_up(r, cf_lookup(name), name);
}

const char *record_get_looked_up(const struct record *r, int cf,
                                 const char *name)
{
    const char *v;
    size_t i;

    if (!r || !name)
        return NULL;
    if (cf >= 0) {
        v = record_get(r, (enum cf)cf);
        if (v)
            return v;
    }
    for (i = 0; i < r->ncols; i++)
        if (r->names[i] && strcmp(r->names[i], name) == 0)
            return r->values[i];
    return NULL;
}

/* ---- ASCII helpers ---- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int ingest_strcaseeq(const char *a, const char *b)
{
    while (*a && *b && lower((unsigned char)*a) == lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

int ingest_strncaseeq(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
        if (a[i] == '\0')
            return 1;
    }
    return 1;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_space((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_space((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

/* ---- dates ---- */

int64_t date_days_from_civil(int y, unsigned m, unsigned d)
{
    /* H. Hinnant's days_from_civil (public domain algorithm). */
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    unsigned yoe = (unsigned)(yy - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + (int64_t)doe - 719468;
}

void date_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int y, unsigned m)
{
    static const unsigned char dm[12] = {31, 28, 31, 30, 31, 30,
                                         31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : dm[m - 1];
}

struct dt {
    int y;
    unsigned mo, d, h, mi, s;
    bool has_time;
};

static int dt_finish(const struct dt *t, int64_t *secs, bool *has_time)
{
    if (t->y < 1 || t->y > 9999 || t->mo < 1 || t->mo > 12 || t->d < 1 ||
        t->d > days_in_month(t->y, t->mo) || t->h > 23 || t->mi > 59 ||
        t->s > 59)
        return -1;
    *secs = date_days_from_civil(t->y, t->mo, t->d) * 86400 +
            (int64_t)t->h * 3600 + (int64_t)t->mi * 60 + t->s;
    *has_time = t->has_time;
    return 0;
}

/* Read between min and max digits at *p (bounded by end). */
static int digits(const char **p, const char *end, int min, int max,
                  unsigned *out)
{
    unsigned v = 0;
    int n = 0;

    while (*p < end && n < max && **p >= '0' && **p <= '9') {
        v = v * 10 + (unsigned)(**p - '0');
        (*p)++;
        n++;
    }
    if (n < min)
        return -1;
    *out = v;
    return 0;
}

static int lit(const char **p, const char *end, char c)
{
    if (*p < end && **p == c) {
        (*p)++;
        return 0;
    }
    return -1;
}

/* HH:MM[:SS[.frac]] */
static int parse_hms(const char **p, const char *end, struct dt *t, int hmin)
{
    if (digits(p, end, hmin, 2, &t->h) || lit(p, end, ':') ||
        digits(p, end, 2, 2, &t->mi))
        return -1;
    if (*p < end && **p == ':') {
        (*p)++;
        if (digits(p, end, 2, 2, &t->s))
            return -1;
        if (*p < end && (**p == '.' || **p == ',')) {
            unsigned frac;

            (*p)++;
            if (digits(p, end, 1, 9, &frac))
                return -1;
            while (*p < end && **p >= '0' && **p <= '9')
                (*p)++;
        }
    }
    t->has_time = true;
    return 0;
}

/*
 * ISO 8601 with a time zone designator: the designator is validated and
 * otherwise ignored, since all times are compared as written wall-clock
 * times (see record.h).
 */
static int parse_iso(const char *p, const char *end, struct dt *t)
{
    unsigned y;

    if (digits(&p, end, 4, 4, &y) || lit(&p, end, '-') ||
        digits(&p, end, 2, 2, &t->mo) || lit(&p, end, '-') ||
        digits(&p, end, 2, 2, &t->d))
        return -1;
    t->y = (int)y;
    if (p == end)
        return 0;
    if (*p != ' ' && *p != 'T' && *p != 't')
        return -1;
    p++;
    if (parse_hms(&p, end, t, 2))
        return -1;
    if (p < end && (*p == 'Z' || *p == 'z')) {
        p++;
    } else if (p < end && (*p == '+' || *p == '-')) {
        unsigned oh, om = 0;

        p++;
        if (digits(&p, end, 2, 2, &oh))
            return -1;
        if (p < end && *p == ':')
            p++;
        if (p < end && digits(&p, end, 2, 2, &om))
            return -1;
        if (oh > 23 || om > 59)
            return -1;
    }
    return p == end ? 0 : -1;
}

/* UK D[D]/M[M]/YYYY [H[H]:MM[:SS]] */
static int parse_uk(const char *p, const char *end, struct dt *t)
{
    unsigned y;

    if (digits(&p, end, 1, 2, &t->d) || lit(&p, end, '/') ||
        digits(&p, end, 1, 2, &t->mo) || lit(&p, end, '/') ||
        digits(&p, end, 4, 4, &y))
        return -1;
    t->y = (int)y;
    if (p == end)
        return 0;
    if (*p != ' ')
        return -1;
    while (p < end && *p == ' ')
        p++;
    if (parse_hms(&p, end, t, 1))
        return -1;
    return p == end ? 0 : -1;
}

static const char *const month_names[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december",
};

static int parse_month_name(const char **p, const char *end, unsigned *mo)
{
    int i;
    size_t n = 0, full;

    while (*p + n < end && lower((unsigned char)(*p)[n]) >= 'a' &&
           lower((unsigned char)(*p)[n]) <= 'z')
        n++;
    for (i = 0; i < 12; i++) {
        full = strlen(month_names[i]);
        if ((n == 3 || n == full) && ingest_strncaseeq(*p, month_names[i], n)) {
            *mo = (unsigned)i + 1;
            *p += n;
            return 0;
        }
    }
    return -1;
}

/* A strptime-like fixed format: %Y %y %m %d %H %M %S %b %% and literals;
 * a space in the format matches one or more spaces. */
static int parse_fmt(const char *p, const char *end, const char *fmt,
                     struct dt *t)
{
    unsigned v;

    for (; *fmt; fmt++) {
        if (*fmt == ' ') {
            if (p >= end || *p != ' ')
                return -1;
            while (p < end && *p == ' ')
                p++;
            continue;
        }
        if (*fmt != '%') {
            if (lit(&p, end, *fmt))
                return -1;
            continue;
        }
        fmt++;
        switch (*fmt) {
        case 'Y':
            if (digits(&p, end, 4, 4, &v))
                return -1;
            t->y = (int)v;
            break;
        case 'y':
            if (digits(&p, end, 2, 2, &v))
                return -1;
            t->y = (int)(v < 69 ? 2000 + v : 1900 + v);
            break;
        case 'm':
            if (digits(&p, end, 1, 2, &t->mo))
                return -1;
            break;
        case 'd':
        case 'e':
            if (digits(&p, end, 1, 2, &t->d))
                return -1;
            break;
        case 'H':
            if (digits(&p, end, 1, 2, &t->h))
                return -1;
            t->has_time = true;
            break;
        case 'M':
            if (digits(&p, end, 2, 2, &t->mi))
                return -1;
            t->has_time = true;
            break;
        case 'S':
            if (digits(&p, end, 2, 2, &t->s))
                return -1;
            t->has_time = true;
            break;
        case 'b':
        case 'B':
            if (parse_month_name(&p, end, &t->mo))
                return -1;
            break;
        case '%':
            if (lit(&p, end, '%'))
                return -1;
            break;
        default:
            return -1; /* unsupported conversion */
        }
    }
    return p == end ? 0 : -1;
}

/* Whether the eight bytes at p have the literal bytes of shape where dm
 * has 0 and ASCII digits where it has 0xFF: the digits' high halves 3
 * and, 6 added (no carry: 0x30-0x3F), still 3.  Inlined with constant
 * shape and dm, each memcpy is a load or a constant. */
static inline bool stamp8(const char *p, const char *shape, const char *dm)
{
    const uint64_t hi = 0xF0F0F0F0F0F0F0F0ull, six = 0x0606060606060606ull;
    uint64_t w, t, d;

    memcpy(&w, p, 8);
    memcpy(&t, shape, 8);
    memcpy(&d, dm, 8);
    return (w & ~d) == (t & ~d) && (w & d & hi) == (t & d) &&
           ((w + (six & d)) & d & hi) == (t & d);
}

/* Whether p[0, 16) is "YYYY-MM-DD HH:MM" (ASCII digits where 0 is). */
static bool stamp16(const char *p)
{
    return stamp8(p, "0000-00-", "\xFF\xFF\xFF\xFF\0\xFF\xFF\0") &&
           stamp8(p + 8, "00 00:00", "\xFF\xFF\0\xFF\xFF\0\xFF\xFF");
}

static unsigned num2(const char *p)
{
    return (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
}

int date_parse(const char *s, size_t len, const char *fmt, int64_t *secs,
               bool *has_time)
{
    struct dt t = {0, 1, 1, 0, 0, 0, false};
    const char *end;
    int rc;

    if (!s)
        return 1;
    trim(&s, &len);
    if (len == 0)
        return 1;
    end = s + len;
    if (len == 16 && !(fmt && *fmt) && stamp16(s)) {
        /* parse_iso's answer for the commonest shape, read at once */
        t.y = (int)(num2(s) * 100 + num2(s + 2));
        t.mo = num2(s + 5);
        t.d = num2(s + 8);
        t.h = num2(s + 11);
        t.mi = num2(s + 14);
        t.has_time = true;
        return dt_finish(&t, secs, has_time);
    }
    if (fmt && *fmt)
        rc = parse_fmt(s, end, fmt, &t);
    else if (len >= 5 && s[4] == '-')
        rc = parse_iso(s, end, &t);
    else
        rc = parse_uk(s, end, &t);
    if (rc)
        return -1;
    return dt_finish(&t, secs, has_time);
}

static void put_num(char *out, unsigned v, int width)
{
    int i;

    for (i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void date_format(int64_t secs, bool with_time, char out[20])
{
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int y;
    unsigned m, d;

    date_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = y < 0 ? 0 : 9999;
    put_num(out, (unsigned)y, 4);
    out[4] = '-';
    put_num(out + 5, m, 2);
    out[7] = '-';
    put_num(out + 8, d, 2);
    if (!with_time) {
        out[10] = '\0';
        return;
    }
    out[10] = ' ';
    put_num(out + 11, (unsigned)(rem / 3600), 2);
    out[13] = ':';
    put_num(out + 14, (unsigned)(rem % 3600 / 60), 2);
    out[16] = '\0';
}

int flag_parse(const char *s, size_t len)
{
    static const char *const yes[] = {"y", "yes", "true", "1"};
    static const char *const no[] = {"n", "no", "false", "0"};
    size_t i;

    if (!s)
        return -1;
    trim(&s, &len);
    if (len == 0 || len > 5)
        return -1;
    for (i = 0; i < 4; i++) {
        if (strlen(yes[i]) == len && ingest_strncaseeq(s, yes[i], len))
            return 1;
        if (strlen(no[i]) == len && ingest_strncaseeq(s, no[i], len))
            return 0;
    }
    return -1;
}

/* ---- entry-header regex ---- */

int entry_regex_compile(struct entry_regex *rx, const char *pattern, char *msg,
                        size_t msgsize, size_t *offset)
{
    int errcode;
    PCRE2_SIZE erroff = 0;
    int n;
    uint32_t ncap = 0;

    memset(rx, 0, sizeof(*rx));
    rx->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                           PCRE2_CASELESS | PCRE2_UTF, &errcode, &erroff, NULL);
    if (!rx->re) {
        if (msg && msgsize)
            pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg, msgsize);
        if (offset)
            *offset = erroff;
        return -1;
    }
    n = pcre2_substring_number_from_name(rx->re, (PCRE2_SPTR) "at");
    if (n <= 0) {
        if (msg && msgsize)
            snprintf(msg, msgsize, "the regex needs a named group (?<at>...)");
        if (offset)
            *offset = 0;
        pcre2_code_free(rx->re);
        rx->re = NULL;
        return -1;
    }
    rx->at_no = (uint32_t)n;
    n = pcre2_substring_number_from_name(rx->re, (PCRE2_SPTR) "rank");
    rx->rank_no = n > 0 ? (uint32_t)n : 0;
    n = pcre2_substring_number_from_name(rx->re, (PCRE2_SPTR) "author");
    rx->author_no = n > 0 ? (uint32_t)n : 0;
    pcre2_pattern_info(rx->re, PCRE2_INFO_CAPTURECOUNT, &ncap);
    rx->pairs = ncap + 1;
    /* JIT is an optimisation: without it (e.g. no JIT support) matching
     * still works through the interpreter. */
    (void)pcre2_jit_compile(rx->re, PCRE2_JIT_COMPLETE);
    return 0;
}

void entry_regex_release(struct entry_regex *rx)
{
    if (!rx)
        return;
    pcre2_code_free(rx->re);
    rx->re = NULL;
}

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static struct entry_regex default_rx;
static int default_ok;

/* The contract's default header: a timestamp, then optionally a rank (any
 * spelling of ingest/rank.c's table), a collar number and name, and a
 * colon. */
static void default_init(void)
{
    static char pat[2048];
    int n = snprintf(pat, sizeof(pat), "%s%s%s", ENTRY_HEADER_AT,
                     rank_pattern(), ENTRY_HEADER_WHO);

    default_ok = n > 0 && (size_t)n < sizeof(pat) &&
                 entry_regex_compile(&default_rx, pat, NULL, 0, NULL) == 0;
}

const struct entry_regex *entry_regex_default(void)
{
    pthread_once(&default_once, default_init);
    return default_ok ? &default_rx : NULL;
}

bool entry_header_may_match(const char *line, size_t len)
{
    return len >= 2 && line[0] >= '0' && line[0] <= '9' && line[1] >= '0' &&
           line[1] <= '9';
}

/* ---- log splitting ---- */

void log_entries_init(struct log_entries *le)
{
    le->v = NULL;
    le->n = 0;
    le->alloc = 0;
    le->cap = 0;
    le->match_data = NULL;
    le->match_pairs = 0;
    le->who_memo = NULL;
    le->utf8_checked = false;
}

void log_entries_release(struct log_entries *le)
{
    if (!le)
        return;
    free(le->v);
    pcre2_match_data_free(le->match_data);
    free(le->who_memo);
    le->who_memo = NULL;
    le->v = NULL;
    le->n = le->alloc = 0;
    le->match_data = NULL;
    le->match_pairs = 0;
}

static const char empty_str[] = "";

/* Where a log being split comes from, for error messages and limits. */
struct split {
    const struct entry_regex *rx;
    const char *at_format; /* NULL: ISO 8601 or UK */
    size_t cap;            /* maximum entries */
    uint32_t utf_opt;      /* PCRE2_NO_UTF_CHECK when already checked */
    bool default_rx;       /* rx is the default: entry_header_may_match */
    bool untimed_header;   /* a first line without a timestamp may still
                            * begin "DS 4521 Smith:" (rule examples) */
    bool dates_only;       /* record_log_dates: no rank, author or text */
    const char *source;
    unsigned long line;
};

static struct log_entry *
entry_push(struct log_entries *le, const struct split *sp, struct ca_error *err)
{
    struct log_entry *e;

    if (le->n >= sp->cap) {
        ca_error_set(err, CA_DATA, sp->source, sp->line, "log",
                     "the case log has more than %zu entries", sp->cap);
        return NULL;
    }
    if (le->n == le->alloc) {
        size_t na = le->alloc ? le->alloc * 2 : 16;
        struct log_entry *v = realloc(le->v, na * sizeof(*v));

        if (!v) {
            ca_error_set(err, CA_SYSTEM, sp->source, sp->line, "log",
                         "out of memory splitting the case log");
            return NULL;
        }
        le->v = v;
        le->alloc = na;
    }
    e = &le->v[le->n++];
    memset(e, 0, sizeof(*e));
    e->rank = e->author = empty_str;
    return e;
}

/* Close an entry whose last line ends at end: trim trailing white space. */
static void entry_close(struct log_entry *e, const char *end)
{
    while (end > e->raw && is_space((unsigned char)end[-1]))
        end--;
    e->raw_len = (size_t)(end - e->raw);
    e->text_len = end > e->text ? (size_t)(end - e->text) : 0;
}

static enum ca_status split_joined(const struct record_logctx *ctx,
                                   const struct split *sp,
                                   struct log_entries *le, struct ca_error *err)
{
    size_t i;
    struct log_entry *e;

    for (i = 0; i < ctx->nentries; i++) {
        e = entry_push(le, sp, err);
        if (!e)
            return err ? err->status : CA_DATA;
        *e = ctx->entries[i];
    }
    return CA_OK;
}

bool record_has_log(const struct record *r)
{
    const struct record_logctx *ctx = r->log_ctx;

    return (ctx && ctx->joined) || record_get(r, CF_LOG) != NULL;
}

/* Fill e's rank and author from group numbers rank_no/author_no of a match
 * of line p (ov its offsets; rc the match's return). */
static void take_who(struct log_entry *e, const char *p, const PCRE2_SIZE *ov,
                     int rc, uint32_t rank_no, uint32_t author_no)
{
    if (rank_no && (uint32_t)rc > rank_no && ov[2 * rank_no] != PCRE2_UNSET) {
        e->rank = p + ov[2 * rank_no];
        e->rank_len = ov[2 * rank_no + 1] - ov[2 * rank_no];
    }
    if (author_no && (uint32_t)rc > author_no &&
        ov[2 * author_no] != PCRE2_UNSET) {
        const char *au = p + ov[2 * author_no];
        size_t aulen = ov[2 * author_no + 1] - ov[2 * author_no];

        trim(&au, &aulen);
        e->author = au;
        e->author_len = aulen;
    }
}

static pthread_once_t who_once = PTHREAD_ONCE_INIT;
static pcre2_code *who_re; /* "DS 4521 Smith:" at the start of a line */
static uint32_t who_rank_no, who_author_no;

static void who_init(void)
{
    static char pat[2048];
    int n = snprintf(pat, sizeof(pat), "^\\s*(?<rank>%s)%s", rank_pattern(),
                     ENTRY_HEADER_WHO_TAIL);
    int ec, g;
    PCRE2_SIZE eo;

    if (n <= 0 || (size_t)n >= sizeof(pat))
        return;
    who_re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                           PCRE2_CASELESS | PCRE2_UTF, &ec, &eo, NULL);
    if (!who_re)
        return;
    g = pcre2_substring_number_from_name(who_re, (PCRE2_SPTR) "rank");
    who_rank_no = g > 0 ? (uint32_t)g : 0;
    g = pcre2_substring_number_from_name(who_re, (PCRE2_SPTR) "author");
    who_author_no = g > 0 ? (uint32_t)g : 0;
    (void)pcre2_jit_compile(who_re, PCRE2_JIT_COMPLETE);
}

/*
 * A memo of the default header's author part, for logs ingest has
 * checked.  On a line that starts "YYYY-MM-DD HH:MM" and a blank, the
 * header regex can only take that as `at` (nothing of the time part can
 * go further), and its \s+ then every blank after it.  What follows is
 * the optional group "rank [author] :": none of its parts before the
 * colon can hold a colon, and nothing comes after the group but \s*, so
 * whether it matches, and where its rank and author are, depend only on
 * the bytes from its start up to the line's first colon (the key).  A
 * line without a colon there cannot match the group.  The memo keeps,
 * per key seen, what PCRE2 found; the same officers write most entries,
 * so most header lines are answered without PCRE2.  test_record compares
 * the entries with those of logs split without it.
 */
#define WHO_SLOTS 1024 /* a power of two */
#define WHO_KEY 52     /* longest key kept */

struct who_slot {
    uint32_t hash;
    uint8_t klen; /* 0: empty */
    uint8_t matched;
    uint8_t rank_e; /* the rank is [0, rank_e) of the key */
    uint8_t au_s, au_e, has_au, rc;
    char key[WHO_KEY];
};

struct who_memo {
    struct who_slot slot[WHO_SLOTS];
};

/* Whether line [p, nl) starts "YYYY-MM-DD HH:MM" and a blank. */
static bool plain_stamp(const char *p, const char *nl)
{
    return nl - p >= 17 && (p[16] == ' ' || p[16] == '\t') && stamp16(p);
}

/* A hash of key k[0, n), eight bytes at a time. */
static uint32_t who_hash(const char *k, size_t n)
{
    uint64_t h = (uint64_t)n * 0x9E3779B97F4A7C15ull, w;
    size_t i = 0;

    for (;;) {
        w = 0;
        memcpy(&w, k + i, n - i < 8 ? n - i : 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
        i += 8;
        if (i >= n)
            break;
    }
    return (uint32_t)(h ^ (h >> 32));
}

/*
 * The header match of line [p, nl) (plain_stamp holds) from the memo:
 * true with ov (pairs of rx's groups) and *rc as PCRE2 gives them, or
 * false when PCRE2 must decide (*slot: where to keep its answer, or NULL).
 * *ws: the start of the author part.
 */
static bool who_lookup(struct log_entries *le, const struct entry_regex *rx,
                       const char *p, const char *nl, PCRE2_SIZE *ov, int *rc,
                       struct who_slot **slot, size_t *ws)
{
    struct who_memo *m = le->who_memo;
    const char *w = p + 16, *colon;
    struct who_slot *sl;
    uint32_t g, h;
    size_t klen;

    *slot = NULL;
    while (w < nl && is_space((unsigned char)*w))
        w++;
    *ws = (size_t)(w - p);
    for (g = 0; g < rx->pairs; g++)
        ov[2 * g] = ov[2 * g + 1] = PCRE2_UNSET;
    ov[0] = 0;
    ov[2 * rx->at_no] = 0;
    ov[2 * rx->at_no + 1] = 16;
    *rc = (int)rx->at_no + 1;
    colon = memchr(w, ':', (size_t)(nl - w));
    if (!colon) {
        ov[1] = *ws; /* no author part */
        return true;
    }
    klen = (size_t)(colon - w) + 1;
    if (klen > WHO_KEY)
        return false;
    if (!m) {
        m = calloc(1, sizeof(*m));
        if (!m)
            return false;
        le->who_memo = m;
    }
    h = who_hash(w, klen);
    sl = &m->slot[h & (WHO_SLOTS - 1)];
    if (sl->klen != klen || sl->hash != h || memcmp(sl->key, w, klen) != 0) {
        *slot = sl;
        return false;
    }
    *rc = sl->rc;
    if (!sl->matched) {
        ov[1] = *ws;
        return true;
    }
    colon++;
    while (colon < nl && is_space((unsigned char)*colon))
        colon++;
    ov[1] = (size_t)(colon - p);
    ov[2 * rx->rank_no] = *ws;
    ov[2 * rx->rank_no + 1] = *ws + sl->rank_e;
    if (sl->has_au) {
        ov[2 * rx->author_no] = *ws + sl->au_s;
        ov[2 * rx->author_no + 1] = *ws + sl->au_e;
    }
    *rc = sl->rc;
    return true;
}

/* Keep in sl what PCRE2 found on line p (rc, ov) for the key at ws. */
static void who_keep(struct who_slot *sl, const struct entry_regex *rx,
                     const char *p, const char *nl, size_t ws, int rc,
                     const PCRE2_SIZE *ov)
{
    const char *colon = memchr(p + ws, ':', (size_t)(nl - p - ws));
    size_t klen = (size_t)(colon - p - ws) + 1, e = klen + ws;
    bool rank =
        (uint32_t)rc > rx->rank_no && ov[2 * rx->rank_no] != PCRE2_UNSET;
    bool au = rank && (uint32_t)rc > rx->author_no &&
              ov[2 * rx->author_no] != PCRE2_UNSET;

    sl->klen = 0;
    if (rc <= 0 || (uint32_t)rc <= rx->at_no || ov[2 * rx->at_no] != 0 ||
        ov[2 * rx->at_no + 1] != 16)
        return; /* not as the memo has it: leave it to PCRE2 */
    while (p + e < nl && is_space((unsigned char)p[e]))
        e++;
    if (rank ? ov[2 * rx->rank_no] != ws || ov[1] != e : ov[1] != ws)
        return;
    if (rc > 255)
        return;
    sl->rc = (uint8_t)rc;
    sl->matched = rank;
    sl->has_au = au;
    sl->rank_e = rank ? (uint8_t)(ov[2 * rx->rank_no + 1] - ws) : 0;
    sl->au_s = au ? (uint8_t)(ov[2 * rx->author_no] - ws) : 0;
    sl->au_e = au ? (uint8_t)(ov[2 * rx->author_no + 1] - ws) : 0;
    sl->hash = who_hash(p + ws, klen);
    memcpy(sl->key, p + ws, klen);
    sl->klen = (uint8_t)klen;
}

/*
 * The header match of a line that plain_stamp holds for, as far as
 * record_log_dates needs it: the default regex takes the stamp as `at`
 * whatever follows (who_lookup's first remark), so only the author part
 * is left unread.  Always true.
 */
static bool stamp_only(const struct entry_regex *rx, PCRE2_SIZE *ov, int *rc)
{
    uint32_t g;

    for (g = 0; g < rx->pairs; g++)
        ov[2 * g] = ov[2 * g + 1] = PCRE2_UNSET;
    ov[0] = 0;
    ov[1] = 16;
    ov[2 * rx->at_no] = 0;
    ov[2 * rx->at_no + 1] = 16;
    *rc = (int)rx->at_no + 1;
    return true;
}

/*
 * The one case-log splitter.  A line where the header regex matches
 * starts an entry: a valid `at` gives its time; an `at` that is not a
 * real date or time (31/09/2023, 25:61) still starts an entry, marked
 * bad_at, so that it is never folded into the entry before it.  Other
 * lines continue the entry above; text before the first header is an
 * entry of its own (blank lines ignored).
 */
static enum ca_status split_text(const char *log, size_t len,
                                 const struct split *sp, struct log_entries *le,
                                 struct ca_error *err)
{
    const struct entry_regex *rx = sp->rx;
    const char *p, *end, *nl;
    struct log_entry *cur = NULL;
    pcre2_match_data *md;
    PCRE2_SIZE *ov, fov[2 * 8];
    const PCRE2_SIZE *o;
    struct who_slot *slot;
    unsigned long lineno = 0;
    size_t ws = 0;
    bool has_cr, memo;
    int rc;

    le->n = 0;
    if (!rx)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                            "cannot compile the entry-header regex");
    memo = sp->default_rx && rx->at_no && rx->rank_no && rx->author_no &&
           rx->pairs <= 8;
    if (!le->match_data || le->match_pairs < rx->pairs) {
        pcre2_match_data_free(le->match_data);
        le->match_data =
            pcre2_match_data_create(rx->pairs < 4 ? 4 : rx->pairs, NULL);
        le->match_pairs = le->match_data ? (rx->pairs < 4 ? 4 : rx->pairs) : 0;
        if (!le->match_data)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    md = le->match_data;
    ov = pcre2_get_ovector_pointer(md);
    p = log;
    end = log + len;
    /* a log whose lines end with a bare CR (files saved as "CSV
     * (Macintosh)") is split there too; CRLF is one line end */
    has_cr = memchr(log, '\r', len) != NULL;
    for (; p < end; p = nl, lineno++) {
        const char *eol;
        int64_t at = 0;
        bool has_time = false, header = false, bad = false;

        if (!has_cr) {
            nl = memchr(p, '\n', (size_t)(end - p));
            nl = nl ? nl + 1 : end;
        } else {
            for (nl = p; nl < end && *nl != '\n' && *nl != '\r'; nl++)
                ;
            if (nl < end && *nl == '\r' && nl + 1 < end && nl[1] == '\n')
                nl++;
            nl = nl < end ? nl + 1 : end;
        }
        eol = nl;
        o = ov;
        slot = NULL;
        rc = PCRE2_ERROR_JIT_BADOPTION;
        if (sp->default_rx && !entry_header_may_match(p, (size_t)(nl - p))) {
            rc = PCRE2_ERROR_NOMATCH;
        } else if (sp->utf_opt & PCRE2_NO_UTF_CHECK) { /* checked: no checks */
            if (memo && plain_stamp(p, nl) &&
                (sp->dates_only
                     ? stamp_only(rx, fov, &rc)
                     : who_lookup(le, rx, p, nl, fov, &rc, &slot, &ws)))
                o = fov;
            else
                rc = pcre2_jit_match(rx->re, (PCRE2_SPTR)p,
                                     (PCRE2_SIZE)(nl - p), 0, 0, md, NULL);
        }
        if (rc == PCRE2_ERROR_JIT_BADOPTION)
            rc = pcre2_match(rx->re, (PCRE2_SPTR)p, (PCRE2_SIZE)(nl - p), 0,
                             sp->utf_opt, md, NULL);
        if (slot)
            who_keep(slot, rx, p, nl, ws, rc, ov);
        if (rc > 0 && (uint32_t)rc > rx->at_no &&
            o[2 * rx->at_no] != PCRE2_UNSET) {
            const char *a = p + o[2 * rx->at_no];
            size_t alen = o[2 * rx->at_no + 1] - o[2 * rx->at_no];

            header = true;
            bad = date_parse(a, alen, sp->at_format, &at, &has_time) != 0;
        }
        if (header) {
            if (cur)
                entry_close(cur, p);
            cur = entry_push(le, sp, err);
            if (!cur)
                return err ? err->status : CA_DATA;
            cur->at = bad ? 0 : at;
            cur->has_at = !bad;
            cur->bad_at = bad;
            cur->has_time = !bad && has_time;
            cur->raw = p;
            cur->text = p + o[1];
            cur->line_offset = lineno;
            take_who(cur, p, o, rc, rx->rank_no, rx->author_no);
            continue;
        }
        if (!cur) {
            /* Text before the first timestamp (blank lines ignored). */
            const char *q = p;

            while (q < eol && is_space((unsigned char)*q))
                q++;
            if (q == eol)
                continue;
            cur = entry_push(le, sp, err);
            if (!cur)
                return err ? err->status : CA_DATA;
            cur->raw = cur->text = q;
            cur->line_offset = lineno;
            if (sp->untimed_header) {
                pthread_once(&who_once, who_init);
                if (who_re && (rc = pcre2_match(who_re, (PCRE2_SPTR)q,
                                                (PCRE2_SIZE)(eol - q), 0,
                                                sp->utf_opt, md, NULL)) > 0) {
                    take_who(cur, q, ov, rc, who_rank_no, who_author_no);
                    cur->text = q + ov[1];
                }
            }
        }
    }
    if (cur)
        entry_close(cur, end);
    return CA_OK;
}

static enum ca_status log_of(const struct record *r, struct log_entries *le,
                             bool dates_only, struct ca_error *err)
{
    const struct record_logctx *ctx = r->log_ctx;
    struct split sp;
    const char *log;

    memset(&sp, 0, sizeof(sp));
    sp.source = r->source;
    sp.line = r->line;
    sp.cap = le->cap ? le->cap
                     : (ctx && ctx->max_entries ? ctx->max_entries : 100000);
    le->n = 0;
    le->utf8_checked = false;
    if (ctx && ctx->joined)
        return split_joined(ctx, &sp, le, err);
    log = record_get(r, CF_LOG);
    if (!log)
        return CA_OK;
    sp.rx = ctx && ctx->rx ? ctx->rx : entry_regex_default();
    sp.default_rx = sp.rx == entry_regex_default();
    sp.at_format = ctx ? ctx->at_format : NULL;
    /* ingest has checked the UTF-8 of every field: PCRE2 need not check
     * each line again (a record built by hand is checked) */
    sp.utf_opt = ctx && ctx->utf8_valid ? PCRE2_NO_UTF_CHECK : 0;
    le->utf8_checked = ctx && ctx->utf8_valid;
    sp.dates_only = dates_only;
    return split_text(log, strlen(log), &sp, le, err);
}

enum ca_status record_log(const struct record *r, struct log_entries *le,
                          struct ca_error *err)
{
    return log_of(r, le, false, err);
}

enum ca_status record_log_dates(const struct record *r, struct log_entries *le,
                                struct ca_error *err)
{
    return log_of(r, le, true, err);
}

enum ca_status log_split(const char *text, size_t len, bool untimed_header,
                         struct log_entries *le, struct ca_error *err)
{
    struct split sp;

    memset(&sp, 0, sizeof(sp));
    sp.rx = entry_regex_default();
    sp.default_rx = true;
    sp.cap = le->cap ? le->cap : 100000;
    sp.untimed_header = untimed_header;
    le->utf8_checked = false;
    return split_text(text, len, &sp, le, err);
}

static bool two_digits(const char *p, unsigned *v)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return false;
    *v = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
    return true;
}

/* Whether a line starting at p (n bytes) opens with a timestamp shape
 * whose numbers are out of range (month 13, 31 September, 25:61): the
 * only lines the splitter can mark bad_at with the default header. */
static bool suspect_line(const char *p, size_t n)
{
    unsigned y1, y2, mo, d, h, mi;
    int64_t secs;
    bool ht;
    size_t len;

    if (n >= 10 && p[4] == '-' && p[7] == '-' && two_digits(p, &y1) &&
        two_digits(p + 2, &y2) && two_digits(p + 5, &mo) &&
        two_digits(p + 8, &d))
        len = 10;
    else if (n >= 10 && p[2] == '/' && p[5] == '/' && two_digits(p, &d) &&
             two_digits(p + 3, &mo) && two_digits(p + 6, &y1) &&
             two_digits(p + 8, &y2))
        len = 10;
    else
        return false;
    (void)y1;
    (void)y2;
    if (n >= len + 6 && (p[len] == ' ' || p[len] == 'T') &&
        two_digits(p + len + 1, &h) && p[len + 3] == ':' &&
        two_digits(p + len + 4, &mi) && (h > 23 || mi > 59))
        return true;
    return date_parse(p, len, NULL, &secs, &ht) != 0;
}

int record_log_bad_at(const struct record *r, struct log_entries *le,
                      const struct log_entry **out, struct ca_error *err)
{
    const struct record_logctx *ctx = r->log_ctx;
    const char *log, *p, *end, *nl;
    const struct log_entry *bad;
    bool suspect = false;

    if (ctx && ctx->joined)
        return 0; /* an entries file's times are checked as it is read */
    log = record_get(r, CF_LOG);
    if (!log || !*log)
        return 0;
    end = log + strlen(log);
    /* with the default header only out-of-range numbers can be bad; a
     * profile's own header is left to the splitter itself */
    for (p = log; p < end && !suspect; p = nl) {
        for (nl = p; nl < end && *nl != '\n' && *nl != '\r'; nl++)
            ;
        suspect = suspect_line(p, (size_t)(nl - p));
        nl = nl < end ? nl + 1 : end;
    }
    if (!suspect && !(ctx && ctx->rx && ctx->rx != entry_regex_default()))
        return 0;
    if (record_log(r, le, err) != CA_OK)
        return -1;
    bad = log_first_bad_at(le->v, le->n);
    if (!bad)
        return 0;
    if (out)
        *out = bad;
    return 1;
}

const struct log_entry *log_first_bad_at(const struct log_entry *e, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (e[i].bad_at)
            return &e[i];
    return NULL;
}

/* ---- copies ---- */

struct record_copy {
    struct record r; /* first: record_free casts back */
    struct record_logctx ctx;
    struct entry_regex rx; /* owned copy of a non-default regex */
    char *block;           /* strings */
    const char **names;
    const char **values;
    size_t *lens;
    struct log_entry *entries;
    char *at_format;
};

static char *dup_str(const char *s)
{
    size_t n;
    char *d;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int copy_logctx(struct record_copy *c, const struct record_logctx *src)
{
    size_t i, total = 0;
    char *p;

    c->ctx = *src;
    c->ctx.rx = NULL;
    c->ctx.entries = NULL;
    c->ctx.at_format = NULL;
    if (src->at_format) {
        c->at_format = dup_str(src->at_format);
        if (!c->at_format)
            return -1;
        c->ctx.at_format = c->at_format;
    }
    if (src->rx && src->rx != entry_regex_default()) {
        c->rx = *src->rx;
        c->rx.re = pcre2_code_copy(src->rx->re);
        if (!c->rx.re)
            return -1;
        (void)pcre2_jit_compile(c->rx.re, PCRE2_JIT_COMPLETE);
        c->ctx.rx = &c->rx;
    }
    if (!src->joined || !src->nentries)
        return 0;
    for (i = 0; i < src->nentries; i++) {
        const struct log_entry *e = &src->entries[i];

        total += e->rank_len + e->author_len + e->text_len + e->raw_len + 4;
    }
    c->entries = malloc(src->nentries * sizeof(*c->entries) + total);
    if (!c->entries)
        return -1;
    p = (char *)(c->entries + src->nentries);
    for (i = 0; i < src->nentries; i++) {
        const struct log_entry *e = &src->entries[i];
        struct log_entry *d = &c->entries[i];

        *d = *e;
#define COPY_PART(f)                                                           \
    do {                                                                       \
        memcpy(p, e->f, e->f##_len);                                           \
        p[e->f##_len] = '\0';                                                  \
        d->f = p;                                                              \
        p += e->f##_len + 1;                                                   \
    } while (0)
        COPY_PART(rank);
        COPY_PART(author);
        COPY_PART(text);
        COPY_PART(raw);
#undef COPY_PART
    }
    c->ctx.entries = c->entries;
    return 0;
}

struct record *record_copy(const struct record *r)
{
    struct record_copy *c;
    size_t i, total = 0;
    char *p;

    if (!r)
        return NULL;
    c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->r = *r;
    for (i = 0; i < r->ncols; i++)
        total += (r->names[i] ? strlen(r->names[i]) : 0) + r->lens[i] + 2;
    total += (r->source ? strlen(r->source) : 0) + strlen(r->force) +
             strlen(r->id ? r->id : "") + 3;
    c->block = malloc(total);
    c->names = malloc((r->ncols ? r->ncols : 1) * sizeof(*c->names));
    c->values = malloc((r->ncols ? r->ncols : 1) * sizeof(*c->values));
    c->lens = malloc((r->ncols ? r->ncols : 1) * sizeof(*c->lens));
    if (!c->block || !c->names || !c->values || !c->lens)
        goto fail;
    p = c->block;
#define PUT(dst, s, n)                                                         \
    do {                                                                       \
        memcpy(p, (s), (n));                                                   \
        p[(n)] = '\0';                                                         \
        (dst) = p;                                                             \
        p += (n) + 1;                                                          \
    } while (0)
    for (i = 0; i < r->ncols; i++) {
        const char *nm = r->names[i] ? r->names[i] : "";

        PUT(c->names[i], nm, strlen(nm));
        PUT(c->values[i], r->values[i], r->lens[i]);
        c->lens[i] = r->lens[i];
    }
    if (r->source)
        PUT(c->r.source, r->source, strlen(r->source));
    PUT(c->r.force, r->force, strlen(r->force));
    PUT(c->r.id, r->id ? r->id : "", strlen(r->id ? r->id : ""));
#undef PUT
    c->r.names = c->names;
    c->r.values = c->values;
    c->r.lens = c->lens;
    c->r.log_ctx = NULL;
    if (r->log_ctx) {
        if (copy_logctx(c, r->log_ctx))
            goto fail;
        c->r.log_ctx = &c->ctx;
    }
    return &c->r;
fail:
    record_free(&c->r);
    return NULL;
}

void record_free(struct record *r)
{
    struct record_copy *c = (struct record_copy *)r;

    if (!r)
        return;
    free(c->block);
    free(c->names);
    free(c->values);
    free(c->lens);
    free(c->entries);
    free(c->at_format);
    entry_regex_release(&c->rx);
    free(c);
}

static int latest_see(int64_t t, int64_t now, int64_t *latest, bool *have,
                      uint64_t *future)
{
    if (t > now) {
        (*future)++;
        return 0;
    }
    if (!*have || t > *latest) {
        *latest = t;
        *have = true;
        return 1;
    }
    return 0;
}

int record_latest_event(const struct record *r, const struct log_entries *le,
                        int64_t now, int64_t *latest, bool *have,
                        uint64_t *future)
{
    int raised = 0;
    size_t i;

    for (i = 0; i < CF__COUNT; i++)
        if (i != CF_BAIL_END && cf_kind((enum cf)i) == CFK_DATE &&
            r->at_state[i] == DS_OK)
            raised |= latest_see(r->at[i], now, latest, have, future);
    for (i = 0; le && i < le->n; i++)
        if (le->v[i].has_at)
            raised |= latest_see(le->v[i].at, now, latest, have, future);
    return raised;
}
