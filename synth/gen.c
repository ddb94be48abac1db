/* SPDX-License-Identifier: MIT */
/*
 * The synthetic record model; see gen.h and docs/gen.md.
 *
 * Each record first decides its truth (which compliance questions it
 * fails) from its force's profile and its stratum, then writes the case log
 * that realises it.  Where a timeline makes a failure impossible (a 28-day
 * gap in a case open for ten days) or forces one (no supervisor entry at
 * all before a filing also means no review within 7 days), the truth
 * follows the log that was actually written, never the other way round.
 *
 * Timing boundaries are kept unambiguous: a "within N days" act happens no
 * later than N x 24 h after its start, and a failure happens at least
 * (N + 1) x 24 h after it, so that rules counting calendar days and rules
 * counting hours agree on every record.  Nothing is ever generated in the
 * day between.
 */
#include "synth/gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/record.h"
#include "synth/model.h"
#include "util/sha256.h"

/* ---- calendar ------------------------------------------------------- */

int64_t model_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t synth_time(int year, unsigned month, unsigned day, unsigned hour,
                   unsigned minute)
{
    return date_days_from_civil(year, month, day) * DAY + hour * HOUR + minute;
}

static void put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

void model_format_date(int64_t t, char out[11])
{
    int y;
    unsigned m, d;

    date_civil_from_days(model_floor_div(t, DAY), &y, &m, &d);
    put2(out, (unsigned)(y / 100 % 100));
    put2(out + 2, (unsigned)(y % 100));
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = '\0';
}

void synth_format_time(int64_t t, char out[17])
{
    int64_t mins = t - model_floor_div(t, DAY) * DAY;

    model_format_date(t, out);
    out[10] = ' ';
    put2(out + 11, (unsigned)(mins / 60));
    out[13] = ':';
    put2(out + 14, (unsigned)(mins % 60));
    out[16] = '\0';
}

/* First minute of the month `add` months after (year, month). */
static int64_t month_start(int year, unsigned month, unsigned add)
{
    int64_t m0 = (int64_t)year * 12 + (month - 1) + add;

    return date_days_from_civil((int)(m0 / 12), (unsigned)(m0 % 12) + 1, 1) *
           DAY;
}

/* "08DEC22", the date style of command-and-control references. */
static void format_cad_date(int64_t t, char out[8])
{
    static const char mon[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
    int y;
    unsigned m, d;

    date_civil_from_days(model_floor_div(t, DAY), &y, &m, &d);
    put2(out, d);
    memcpy(out + 2, mon + (m - 1) * 3, 3);
    put2(out + 5, (unsigned)(y % 100));
    out[7] = '\0';
}

/* ---- the static model ------------------------------------------------ */

static const char *const group_names[] = {"violence", "sexual offences",
                                          "burglary", "other"};

const struct offence model_offences[] = {
    {"Assault occasioning actual bodily harm", 0, 60, 550, 700,
     "Crime - violence"},
    {"Common assault", 0, 120, 450, 500, "Crime - violence"},
    {"Assault without injury", 0, 80, 400, 400, "Crime - violence"},
    {"Harassment", 0, 50, 650, 300, "Crime - violence"},
    {"Stalking", 0, 20, 700, 400, "Crime - violence"},
    {"Malicious communications", 0, 20, 550, 150, "Crime - violence"},
    {"Wounding with intent (GBH)", 0, 10, 500, 950, "Crime - violence"},
    {"Sexual assault on a female aged 13 or over", 1, 20, 450, 800,
     "Crime - sexual offence"},
    {"Rape of a female aged 16 or over", 1, 10, 600, 900,
     "Crime - sexual offence"},
    {"Exposure", 1, 10, 150, 500, "Crime - sexual offence"},
    {"Burglary - residential", 2, 50, 100, 850, "Crime - burglary"},
    {"Burglary - business and community", 2, 25, 80, 600, "Crime - burglary"},
    {"Attempted burglary - residential", 2, 15, 50, 600, "Crime - burglary"},
    {"Theft from the person", 3, 40, 50, 150, "Crime - theft"},
    {"Theft of pedal cycle", 3, 40, 30, 100, "Crime - theft"},
    {"Shoplifting", 3, 150, 350, 300, "Crime - theft"},
    {"Criminal damage to a vehicle", 3, 50, 80, 200, "Crime - criminal damage"},
    {"Criminal damage to a dwelling", 3, 40, 200, 450,
     "Crime - criminal damage"},
    {"Theft from a motor vehicle", 3, 60, 30, 150, "Crime - vehicle"},
    {"Theft of a motor vehicle", 3, 30, 50, 300, "Crime - vehicle"},
    {"Fraud by false representation", 3, 50, 150, 50, "Crime - fraud"},
    {"Making off without payment", 3, 20, 150, 100, "Crime - theft"},
    {"Robbery of personal property", 3, 30, 200, 900, "Crime - robbery"},
};

static const char *const other_categories[] = {
    "ASB - nuisance",           "Concern for safety",
    "Suspicious circumstances", "Road traffic collision",
    "Domestic - non crime",     "Missing person",
    "Alarm activation",         "Public safety",
    "Highway disruption",
};

/* Columns as in struct profile (model.h); docs/gen.md lists them. */
/* clang-format off */
static const struct profile profiles[] = {
    /* name      direct unm_i unm_c att late_rec    screen      no_action */
    {"average",  90,    20,   10,    0, {100, 60}, {350,  80}, {300,  60},
    /* no_rev7 no_end no_update   not_told    no_plan late_c trace_gap */
     200,     150,   {250, 150}, {150, 100}, 200,    100,   300,
    /* w_no_rev fta fta_nc fta_nt ext_na rui_nr no_susp fta_late no_sup */
     250,      120, 150,   250,   150,   400,   250,    100,     60},
    {"good",     40,    10,    5,   50, { 50, 30}, {300,  60}, {150,  30},
      80,      60,   {100,  60}, { 80,  60},  80,     40,   150,
     100,      100,  50,   100,    50,   200,   120,     50,     20},
    {"poor",    150,    30,   20, -100, {160, 100}, {450, 120}, {450, 120},
     350,     300,   {400, 300}, {300, 250}, 350,    200,   500,
     450,      150, 300,   400,   300,   600,   450,    200,    150},
    {"mixed",    60,    15,   10,    0, { 60, 40}, {350,  80}, {250,  50},
      60,      50,   {450, 350}, {350, 300}, 150,     60,   200,
     100,      120, 100,   150,    80,   300,   200,     80,     40},
};
/* clang-format on */

static const struct {
    const char *slug, *code;
} force_names[] = {
    {"northshire", "NS"},
    {"westmoor", "WM"},
    {"city-of-eastport", "EP"},
    {"southdale", "SD"},
    {"east-marlow", "EM"},
    {"kingsbridge-and-vale", "KV"},
    {"highfold", "HF"},
    {"greyhaven", "GH"},
    {"ashby-vale", "AV"},
    {"stonebridge", "SB"},
    {"fenland-and-marsh", "FM"},
    {"coldwater", "CW"},
    {"riverside-metropolitan", "RM"},
    {"hartwell", "HW"},
    {"bramford", "BF"},
    {"dunmere", "DM"},
};

static const char *const divisions[] = {"North",   "South", "East", "West",
                                        "Central", "Rural", "City"};

/* Officer pool per force, by rank class. */
const unsigned model_pool_size[] = {
    [SR_NONE] = 1,
    [SR_STAFF] = 40,
    [SR_PCSO] = 20,
    [SR_CONSTABLE] = 300,
    [SR_SERGEANT] = 60,
    [SR_INSPECTOR] = 20,
    [SR_CHIEF_INSPECTOR] = 8,
    [SR_SUPERINTENDENT] = 6,
};

static const char *const crime_cols[] = {"crime_ref",
                                         "force",
                                         "incident_ref",
                                         "offence",
                                         "offence_group",
                                         "reported_at",
                                         "recorded_at",
                                         "attended",
                                         "vulnerable",
                                         "repeat_victim",
                                         "named_suspect",
                                         "status",
                                         "outcome",
                                         "outcome_at",
                                         "oic",
                                         "division",
                                         "log"};
static const char *const wanted_cols[] = {
    "wanted_ref",    "force",  "person_ref", "crime_ref", "decided_at",
    "circulated_at", "status", "closed_at",  "oic",       "log"};
static const char *const bail_cols[] = {
    "bail_ref",    "force",      "person_ref", "crime_ref",
    "arrested_at", "bail_start", "bail_end",   "failed_to_answer",
    "answered_at", "status",     "oic",        "log"};
static const char *const incident_cols[] = {
    "incident_ref", "force",       "opened_at", "category",
    "attended",     "attended_at", "crime_ref"};

const char *const *synth_columns(enum synth_kind k, size_t *n)
{
    switch (k) {
    case SYNTH_CRIME:
        *n = N(crime_cols);
        return crime_cols;
    case SYNTH_WANTED:
        *n = N(wanted_cols);
        return wanted_cols;
    case SYNTH_BAIL:
        *n = N(bail_cols);
        return bail_cols;
    case SYNTH_INCIDENT:
        *n = N(incident_cols);
        return incident_cols;
    default:
        *n = 0;
        return NULL;
    }
}

const char *synth_kind_name(enum synth_kind k)
{
    static const char *const v[] = {"crime", "wanted", "bail", "incident"};
    return (unsigned)k < SYNTH__KINDS ? v[k] : "unknown";
}

const char *synth_kind_file(enum synth_kind k)
{
    static const char *const v[] = {"crimes", "wanted", "bail", "incidents"};
    return (unsigned)k < SYNTH__KINDS ? v[k] : "unknown";
}

static const struct {
    const char *name;
    enum synth_kind kind;
} questions[SQ__COUNT] = {
    {"investigation/no-action", SYNTH_CRIME},
    {"supervision/no-review-7d", SYNTH_CRIME},
    {"supervision/filed-without-endorsement", SYNTH_CRIME},
    {"victim-care/no-update-28d", SYNTH_CRIME},
    {"victim-care/not-told-not-investigated", SYNTH_CRIME},
    {"recording/late-recording-24h", SYNTH_CRIME},
    {"investigation/no-plan-named-suspect", SYNTH_CRIME},
    {"recording/late-circulation-24h", SYNTH_WANTED},
    {"investigation/trace-gap-28d", SYNTH_WANTED},
    {"supervision/no-review-28d", SYNTH_WANTED},
    {"investigation/fta-not-circulated", SYNTH_BAIL},
    {"investigation/fta-not-traced", SYNTH_BAIL},
    {"supervision/extension-not-authorised", SYNTH_BAIL},
    {"supervision/rui-not-reviewed-28d", SYNTH_BAIL},
    {"crime-investigation", SYNTH_CRIME},
    {"crime-supervision", SYNTH_CRIME},
    {"named-suspect-activity", SYNTH_CRIME},
    {"wanted-activity", SYNTH_WANTED},
    {"wanted-circulation", SYNTH_WANTED},
    {"bail-fta-pursued", SYNTH_BAIL},
    {"bail-supervision", SYNTH_BAIL},
};

const char *synth_question_name(enum synth_question q)
{
    return (unsigned)q < SQ__COUNT ? questions[q].name : "unknown";
}

enum synth_kind synth_question_kind(enum synth_question q)
{
    return (unsigned)q < SQ__COUNT ? questions[q].kind : SYNTH__KINDS;
}

const char *synth_fact_name(enum synth_fact f)
{
    static const char *const v[SF__COUNT] = {"direct",
                                             "attended",
                                             "unmatched-incident-ref",
                                             "suspect-not-arrested",
                                             "unmatched-crime-ref",
                                             "fta"};
    return (unsigned)f < SF__COUNT ? v[f] : "unknown";
}

static const char *const style_names[] = {"terse", "template", "narrative",
                                          "typo", "mix"};

const char *synth_style_name(enum synth_style s)
{
    return (unsigned)s <= SYNTH_STYLE_MIX ? style_names[s] : "unknown";
}

int synth_style_parse(const char *s, enum synth_style *out)
{
    unsigned i;

    for (i = 0; i < N(style_names); i++)
        if (strcmp(s, style_names[i]) == 0) {
            *out = (enum synth_style)i;
            return 0;
        }
    return -1;
}

void synth_options_init(struct synth_options *o)
{
    memset(o, 0, sizeof(*o));
    o->forces = 3;
    o->records = 1000;
    o->seed = "1";
    o->start_year = 2022;
    o->start_month = 7;
    o->months = 12;
    o->style = SYNTH_STYLE_MIX;
}

enum ca_status synth_options_check(const struct synth_options *o,
                                   struct ca_error *err)
{
    if (o->forces < 1 || o->forces > SYNTH_MAX_FORCES)
        return ca_error_set(err, CA_USAGE, NULL, 0, "forces",
                            "must be from 1 to %u", SYNTH_MAX_FORCES);
    if (o->records > SYNTH_MAX_RECORDS)
        return ca_error_set(err, CA_USAGE, NULL, 0, "records",
                            "must be at most %llu",
                            (unsigned long long)SYNTH_MAX_RECORDS);
    if (o->start_year < 1970 || o->start_year > 9000 || o->start_month < 1 ||
        o->start_month > 12)
        return ca_error_set(err, CA_USAGE, NULL, 0, "start",
                            "must be a month YYYY-MM from 1970-01 to 9000-12");
    if (o->months < 1 || o->months > SYNTH_MAX_MONTHS)
        return ca_error_set(err, CA_USAGE, NULL, 0, "months",
                            "must be from 1 to %u", SYNTH_MAX_MONTHS);
    if ((unsigned)o->style > SYNTH_STYLE_MIX)
        return ca_error_set(err, CA_USAGE, NULL, 0, "style",
                            "must be terse, template, narrative, typo or mix");
    return CA_OK;
}

unsigned synth_nforces(const struct synth *g)
{
    return g->nforces;
}
const char *synth_force_slug(const struct synth *g, unsigned f)
{
    return f < g->nforces ? g->forces[f].slug : "";
}
uint64_t synth_count(const struct synth *g, unsigned f, enum synth_kind k)
{
    return f < g->nforces && (unsigned)k < SYNTH__KINDS ? g->forces[f].n[k] : 0;
}
int64_t synth_window_start(const struct synth *g)
{
    return g->t0;
}
int64_t synth_window_end(const struct synth *g)
{
    return g->tend;
}
int64_t synth_as_of(const struct synth *g)
{
    return g->asof;
}

/* Split n crimes over the forces with Zipf-like shares 1, 1/2, 1/3, ...
 * (largest remainder, so that the parts sum to n exactly). */
static void allocate_crimes(struct synth *g, uint64_t n)
{
    uint64_t w[SYNTH_MAX_FORCES], rem[SYNTH_MAX_FORCES], total = 0, given = 0;
    unsigned f;

    for (f = 0; f < g->nforces; f++) {
        w[f] = 720720 / (f + 1);
        total += w[f];
    }
    for (f = 0; f < g->nforces; f++) {
        g->forces[f].n[SYNTH_CRIME] = n * w[f] / total;
        rem[f] = n * w[f] % total;
        given += g->forces[f].n[SYNTH_CRIME];
    }
    while (given < n) {
        unsigned best = 0;
        for (f = 1; f < g->nforces; f++)
            if (rem[f] > rem[best])
                best = f;
        g->forces[best].n[SYNTH_CRIME]++;
        rem[best] = 0;
        given++;
    }
}

enum ca_status synth_new(const struct synth_options *o, struct synth **out,
                         struct ca_error *err)
{
    struct synth *g;
    unsigned char d[32];
    const char *seed = o->seed ? o->seed : "1";
    enum ca_status st;
    unsigned f;
    int i;

    *out = NULL;
    st = synth_options_check(o, err);
    if (st != CA_OK)
        return st;
    g = calloc(1, sizeof(*g));
    if (!g || !(g->forces = calloc(o->forces, sizeof(*g->forces)))) {
        free(g);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    sha256_buf(seed, strlen(seed), d);
    for (i = 0; i < 8; i++)
        g->seed64 = g->seed64 << 8 | d[i];
    g->nforces = o->forces;
    g->style = o->style;
    g->t0 = month_start(o->start_year, o->start_month, 0);
    g->tend = month_start(o->start_year, o->start_month, o->months);
    g->asof = month_start(o->start_year, o->start_month, o->months + 1);
    g->span = g->tend - g->t0;
    g->wb_offset = g->span / 4 < 60 * DAY ? g->span / 4 : 60 * DAY;
    allocate_crimes(g, o->records);
    for (f = 0; f < g->nforces; f++) {
        struct force *fo = &g->forces[f];
        unsigned base = f % N(force_names), round = f / N(force_names);
        uint64_t c = fo->n[SYNTH_CRIME];

        if (round == 0) {
            snprintf(fo->slug, sizeof(fo->slug), "%s", force_names[base].slug);
            snprintf(fo->code, sizeof(fo->code), "%s", force_names[base].code);
        } else {
            snprintf(fo->slug, sizeof(fo->slug), "%s-%u",
                     force_names[base].slug, round + 1);
            snprintf(fo->code, sizeof(fo->code), "%s%u", force_names[base].code,
                     round + 1);
        }
        fo->p = &profiles[f % N(profiles)];
        fo->alnum_collars = f % 3 == 2;
        fo->ndiv = 3 + f % 3;
        fo->div0 = f % N(divisions);
        fo->n[SYNTH_INCIDENT] = (c * 13 + 5) / 10;
        fo->n[SYNTH_WANTED] = (c * 5 + 50) / 100;
        fo->n[SYNTH_BAIL] = (c * 8 + 50) / 100;
        fo->cache_day[0] = fo->cache_day[1] = INT64_MIN;
    }
    buf_init(&g->arena, 0);
    buf_init(&g->log, 0);
    buf_init(&g->row, 0);
    *out = g;
    return CA_OK;
}

void synth_free(struct synth *g)
{
    if (!g)
        return;
    buf_release(&g->arena);
    buf_release(&g->log);
    buf_release(&g->row);
    free(g->ent);
    free(g->pub);
    free(g->pts);
    free(g->forces);
    free(g);
}

/* ---- cross-referencable times ---------------------------------------- */

/* Opening time of incident k: monotone in k, spread over the window. */
static int64_t incident_time(const struct synth *g, unsigned f, uint64_t k)
{
    struct rng r;
    uint64_t n = g->forces[f].n[SYNTH_INCIDENT];

    rng_seed(&r, g->seed64, ST_INCIDENT_TIME, f, k, 0);
    return g->t0 + (int64_t)((k * (uint64_t)g->span +
                              rng_below(&r, (uint64_t)g->span)) /
                             n);
}

/* Smallest incident index opened on or after the start of `day`. */
static uint64_t incident_first_of_day(struct synth *g, unsigned f, int64_t day)
{
    struct force *fo = &g->forces[f];
    uint64_t lo = 0, hi = fo->n[SYNTH_INCIDENT];
    unsigned slot = (unsigned)(day & 1);

    if (fo->cache_day[slot] == day)
        return fo->cache_first[slot];
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (incident_time(g, f, mid) >= day * DAY)
            hi = mid;
        else
            lo = mid + 1;
    }
    fo->cache_day[slot] = day;
    fo->cache_first[slot] = lo;
    return lo;
}

/* Incident reference "NS-0412-08DEC22" and CAD ref "CAD 0412/08DEC22" of
 * the number-th incident of the day of time t. */
static void incident_ref_fmt(const struct force *fo, uint64_t number, int64_t t,
                             char *ref, size_t rsize, char *cad, size_t csize)
{
    char d[8];

    format_cad_date(t, d);
    if (ref)
        snprintf(ref, rsize, "%s-%04llu-%s", fo->code,
                 (unsigned long long)number, d);
    if (cad)
        snprintf(cad, csize, "CAD %04llu/%s", (unsigned long long)number, d);
}

void model_crime_ref(const struct force *fo, uint64_t seq, int64_t t, char *out,
                     size_t size)
{
    int y;
    unsigned m, d;

    date_civil_from_days(model_floor_div(t, DAY), &y, &m, &d);
    snprintf(out, size, "%s-%02u-%06llu", fo->code, (unsigned)(y % 100),
             (unsigned long long)seq);
}

/* What other records need to know of crime i (drawn from its own stream). */
void model_crime_header(const struct synth *g, unsigned f, uint64_t i,
                        struct crime_hdr *h)
{
    const struct force *fo = &g->forces[f];
    const struct profile *p = fo->p;
    struct rng r;
    unsigned x, acc = 0, k;
    int attend_pm;

    memset(h, 0, sizeof(*h));
    h->inc_k = i * fo->n[SYNTH_INCIDENT] / fo->n[SYNTH_CRIME];
    h->reported = incident_time(g, f, h->inc_k);
    rng_seed(&r, g->seed64, ST_CRIME_HDR, f, i, 0);
    x = (unsigned)rng_below(&r, 1000);
    for (k = 0; k < N(model_offences) - 1; k++) {
        acc += model_offences[k].weight;
        if (x < acc)
            break;
    }
    h->offence = k;
    attend_pm = (int)model_offences[k].attend_pm + p->attend_adj;
    h->direct = rng_chance(&r, p->direct);
    if (h->direct)
        attend_pm /= 10;
    attend_pm = attend_pm < 0 ? 0 : attend_pm > 1000 ? 1000 : attend_pm;
    h->attended = rng_chance(&r, (unsigned)attend_pm);
    h->attend_delay = rng_range(&r, 5, 8 * HOUR);
    h->unmatched = !h->direct && rng_chance(&r, p->unmatched_inc);
    h->vulnerable = rng_chance(&r, 120);
    h->repeat = rng_chance(&r, 80);
    h->named = rng_chance(&r, model_offences[k].named_pm);
    h->arrested = h->named && rng_chance(&r, h->attended ? 650 : 400);
    h->oic = rng_below(&r, model_pool_size[SR_CONSTABLE]);
}

/* The crime's incident_ref (empty when recorded directly) and CAD ref. */
static void crime_incident_ref(struct synth *g, unsigned f, uint64_t i,
                               const struct crime_hdr *h, char *ref,
                               size_t rsize, char *cad, size_t csize)
{
    const struct force *fo = &g->forces[f];
    int64_t day = model_floor_div(h->reported, DAY);
    uint64_t first = incident_first_of_day(g, f, day);

    if (h->direct) {
        ref[0] = cad[0] = '\0';
        return;
    }
    if (h->unmatched) {
        /* a number past the last incident of that day: matches none */
        uint64_t count = incident_first_of_day(g, f, day + 1) - first;
        incident_ref_fmt(fo, count + 1 + i % 997, h->reported, ref, rsize, cad,
                         csize);
        return;
    }
    incident_ref_fmt(fo, h->inc_k - first + 1, h->reported, ref, rsize, cad,
                     csize);
}

/* ---- officers ------------------------------------------------------- */

void model_officer(const struct synth *g, unsigned f, enum synth_rank rk,
                   uint64_t o, char *out, size_t size)
{
    static const char *const sgt[] = {"PS", "PS", "DS", "Sgt", "SPS", "DSgt"};
    static const char *const insp[] = {"Insp", "Insp", "DI"};
    static const char *const ci[] = {"CI", "DCI"};
    static const char *const supt[] = {"Supt", "DSupt"};
    uint64_t h = rng_mix64(g->seed64 ^ rng_mix64(((uint64_t)ST_OFFICER << 56) ^
                                                 ((uint64_t)f << 40) ^
                                                 ((uint64_t)rk << 32) ^ o));
    const char *rank = "PC";
    const char *name = phrase_surnames[(h >> 32) % phrase_nsurnames];
    char collar[8], upper[32];
    size_t i, n = 0;

    switch (rk) {
    case SR_STAFF:
        rank = "Staff";
        break;
    case SR_PCSO:
        rank = "PCSO";
        break;
    case SR_CONSTABLE:
        rank = (h >> 8) % 4 == 0 ? "DC" : "PC";
        break;
    case SR_SERGEANT:
        rank = sgt[(h >> 8) % N(sgt)];
        break;
    case SR_INSPECTOR:
        rank = insp[(h >> 8) % N(insp)];
        break;
    case SR_CHIEF_INSPECTOR:
        rank = ci[(h >> 8) % N(ci)];
        break;
    case SR_SUPERINTENDENT:
        rank = supt[(h >> 8) % N(supt)];
        break;
    case SR_NONE:
        break;
    }
    /* written by hand: officers are formatted for nearly every entry */
    if (g->forces[f].alnum_collars && rk <= SR_SERGEANT) {
        put2(collar, (unsigned)(h % 100));
        collar[2] = (char)('A' + (h >> 12) % 26);
        collar[3] = (char)('A' + (h >> 17) % 26);
    } else {
        unsigned v = (unsigned)(1000 + h % 9000);
        put2(collar, v / 100);
        put2(collar + 2, v % 100);
    }
    collar[4] = '\0';
    if ((h >> 22) % 10 == 0) { /* some systems show surnames in capitals */
        for (i = 0; name[i] && i < sizeof(upper) - 1; i++)
            upper[i] =
                (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A'
                                                        : name[i]);
        upper[i] = '\0';
        name = upper;
    }
    for (i = 0; i < 3; i++) {
        const char *s = i == 0 ? rank : i == 1 ? collar : name;
        size_t k = strlen(s);

        if (size == 0)
            return;
        if (i > 0 && n + 1 < size)
            out[n++] = ' ';
        if (k > size - 1 - n)
            k = size - 1 - n;
        memcpy(out + n, s, k);
        n += k;
    }
    out[n] = '\0';
}

void model_field(struct synth *g, const char *s)
{
    g->off[g->nf++] = g->row.len;
    if (buf_add(&g->row, s, strlen(s) + 1) != 0) /* with its NUL */
        g->oom = true;
}

void model_field_time(struct synth *g, int64_t t)
{
    char ts[17];

    if (t < 0) {
        model_field(g, "");
        return;
    }
    synth_format_time(t, ts);
    model_field(g, ts);
}

void model_fieldf(struct synth *g, const char *fmt, ...)
{
    char tmp[96];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    model_field(g, tmp);
}

void model_field_flag(struct synth *g, bool v)
{
    model_field(g, v ? "Y" : "N");
}

/* ---- the gap machine ------------------------------------------------ */

/*
 * Activity times strictly inside (s, e) for a "no gap over gmax" question.
 * Pass: every gap between consecutive points of s, the activity and e is
 * at most gmax.  Fail (when e - s allows it): at least one gap is at least
 * gmax + 1 day; no gap ever lies in (gmax, gmax + 1 day).  Normal steps are
 * at least lo.  Returns the number of points in g->pts; *failed tells
 * whether the sequence realised a failure.
 */
size_t model_gap_points(struct synth *g, struct rng *r, int64_t s, int64_t e,
                        int64_t gmax, int64_t lo, bool fail, bool *failed)
{
    int64_t t = s, long_min = gmax + DAY;
    size_t n = 0, need = e > s ? (size_t)((e - s) / lo) + 2 : 2;
    bool long_done = false;

    *failed = false;
    if (g->apts < need) {
        int64_t *v = realloc(g->pts, need * sizeof(*v));
        if (!v) {
            g->oom = true;
            return 0;
        }
        g->pts = v;
        g->apts = need;
    }
    if (!fail || e - s < long_min) {
        fail = false;
    } else if (rng_chance(r, 250)) {
        *failed = true; /* no activity at all */
        return 0;
    }
    for (;;) {
        int64_t rem = e - t, step;

        if (!fail || long_done) {
            if (rem <= gmax)
                break;
            step = rng_chance(r, 30) ? gmax : rng_range(r, lo, gmax);
        } else {
            int64_t max_normal = rem - long_min < gmax ? rem - long_min : gmax;

            if (max_normal < lo || rng_chance(r, 350)) {
                int64_t lmax =
                    rem < long_min + 60 * DAY ? rem : long_min + 60 * DAY;

                step =
                    rng_chance(r, 60) ? long_min : rng_range(r, long_min, lmax);
                long_done = true;
                *failed = true;
                if (step >= rem)
                    break; /* the long gap runs to the end */
            } else {
                step = rng_range(r, lo, max_normal);
            }
        }
        t += step;
        if (n < g->apts)
            g->pts[n++] = t;
    }
    return n;
}

/* A time in [lo, hi], clamped below the as-of time. */
int64_t model_when(const struct synth *g, struct rng *r, int64_t lo, int64_t hi)
{
    if (hi > g->asof - 1)
        hi = g->asof - 1;
    return rng_range(r, lo, hi);
}

/* Authors of the routine entries of a victim-facing class. */
static void add_contact(struct synth *g, struct rng *r, const struct ctx *cx,
                        int64_t at, enum phrase_class c)
{
    unsigned x = (unsigned)rng_below(r, 100);

    if (x < 60)
        model_add_entry(g, r, cx, at, c, SR_CONSTABLE, cx->oic);
    else if (x < 85)
        model_add_entry(g, r, cx, at, c, SR_STAFF, UINT64_MAX);
    else
        model_add_entry(g, r, cx, at, c, SR_NONE, 0);
}

enum synth_rank model_supervisor(struct rng *r)
{
    unsigned x = (unsigned)rng_below(r, 100);

    return x < 75 ? SR_SERGEANT : x < 95 ? SR_INSPECTOR : SR_CHIEF_INSPECTOR;
}

/* ---- crimes --------------------------------------------------------- */

enum crime_status { CS_OPEN, CS_CLOSED, CS_FILED };

/* A person reference of force fo: its code, "-P" and seven digits. */
void model_person_ref(const struct force *fo, struct rng *r, char *out,
                      size_t size)
{
    snprintf(out, size, "%s-P%07llu", fo->code,
             (unsigned long long)rng_below(r, 10000000));
}

/*
 * The delay before a step with a 24-hour standard (recording a crime,
 * circulating a wanted person): past it when late (now and then by one
 * minute), within it otherwise (now and then exactly 24 hours), at least
 * min_on_time minutes.
 */
int64_t model_delay_24h(struct rng *r, bool late, int64_t min_on_time)
{
    if (late)
        return rng_chance(r, 100) ? DAY + 1 : rng_range(r, 25 * HOUR, 10 * DAY);
    return rng_chance(r, 30) ? DAY : rng_range(r, min_on_time, 20 * HOUR);
}

/* One crime being written: its header, the log's context and what the
 * steps below decide, in the order they draw from the crime's stream. */
struct crime_gen {
    const struct force *fo;
    const struct profile *p;
    struct crime_hdr h;
    struct rng r;
    struct ctx cx;
    char ref[40];
    const struct offence *off;
    const char *outcome;
    enum crime_status status;
    enum phrase_class out_cls;
    int64_t R, rec, delay, out_at, end, arr_at;
    bool enh, late, screened, fa, fr, fe, fu, ft, fp, failed;
    bool interviewed; /* a voluntary interview in the log */
};

/* Recording and how the crime ends (by the as-of time); the truth, by force and stratum. */
static void crime_outcome(struct synth *g, struct crime_gen *cr)
{
    /* recording: more than 24 h after the report is late (exactly 24 h is
     * not) */
    cr->late = rng_chance(&cr->r, cr->p->late_rec[cr->h.attended]);
    cr->delay = model_delay_24h(&cr->r, cr->late, 5);
    cr->rec = cr->R + cr->delay;

    /* how the crime ends (by the as-of time) */
    cr->screened =
        !cr->h.named && rng_chance(&cr->r, cr->p->screen[cr->h.attended]);
    if (cr->screened) {
        cr->out_at = cr->rec + rng_range(&cr->r, 30, 5 * DAY);
        cr->status = CS_FILED;
        cr->outcome =
            "Outcome 18 - investigation complete, no suspect identified";
    } else if (cr->h.named) {
        int64_t c = -1;
        unsigned x = (unsigned)rng_below(&cr->r, 100);

        if (cr->h.arrested) {
            cr->arr_at =
                model_when(g, &cr->r, cr->rec + HOUR, cr->rec + 30 * DAY);
            if (rng_chance(&cr->r, 750))
                c = cr->arr_at + rng_range(&cr->r, DAY, 120 * DAY);
            cr->out_cls = x < 50   ? PH_OUT_CHARGE
                          : x < 70 ? PH_OUT_CR
                          : x < 85 ? PH_OUT_15
                                   : PH_OUT_16;
        } else {
            if (rng_chance(&cr->r, 400))
                c = cr->rec + rng_range(&cr->r, 7 * DAY, 120 * DAY);
            cr->out_cls = x < 50 ? PH_OUT_15 : PH_OUT_16;
        }
        if (c >= 0 && c < g->asof) {
            cr->status = CS_CLOSED;
            cr->out_at = c;
            cr->outcome =
                cr->out_cls == PH_OUT_CHARGE ? "Outcome 1 - charged/summonsed"
                : cr->out_cls == PH_OUT_CR ? "Outcome 8 - community resolution"
                : cr->out_cls == PH_OUT_15
                    ? "Outcome 15 - evidential difficulties, suspect "
                      "identified, victim supports"
                    : "Outcome 16 - evidential difficulties, victim does "
                      "not support";
        }
    } else if (rng_chance(&cr->r, 700)) {
        int64_t c = cr->rec + rng_range(&cr->r, 7 * DAY, 90 * DAY);
        if (c < g->asof) {
            cr->status = CS_FILED;
            cr->out_at = c;
            cr->outcome =
                "Outcome 18 - investigation complete, no suspect identified";
        }
    }
    cr->end = cr->status == CS_OPEN ? g->asof : cr->out_at;

    /* the truth, by force and stratum */
    cr->fa =
        rng_chance(&cr->r, cr->p->no_action[cr->h.attended]) && !cr->h.arrested;
    cr->fr = rng_chance(&cr->r, cr->p->no_review7);
    cr->fe = cr->status == CS_FILED && rng_chance(&cr->r, cr->p->no_endorse);
    cr->fu = rng_chance(&cr->r, cr->p->no_update[cr->enh]);
    cr->ft = cr->screened && rng_chance(&cr->r, cr->p->not_told[cr->enh]);
    cr->fp = cr->h.named && rng_chance(&cr->r, cr->p->no_plan);
    if (cr->fe)
        cr->fr = true; /* no supervisor entry before filing: none in 7 days */
    else if (cr->status == CS_FILED && cr->fr &&
             cr->out_at - 5 < cr->rec + 8 * DAY)
        cr->fr = false; /* the endorsement cannot come after day 8 */
}

/* The opening entries: report, attendance, recording, allocation. */
static void crime_opening(struct synth *g, struct crime_gen *cr)
{
    /* report, attendance, recording, allocation */
    if (cr->h.direct)
        model_add_entry(g, &cr->r, &cr->cx, cr->R, PH_REPORT_DIRECT,
                        rng_chance(&cr->r, 500) ? SR_STAFF : SR_NONE,
                        UINT64_MAX);
    else
        model_add_entry(g, &cr->r, &cr->cx, cr->R, PH_REPORT_CAD,
                        rng_chance(&cr->r, 400) ? SR_STAFF : SR_NONE,
                        UINT64_MAX);
    if (cr->h.attended)
        model_add_entry(
            g, &cr->r, &cr->cx, cr->R + cr->h.attend_delay, PH_ATTEND,
            rng_chance(&cr->r, 100) ? SR_PCSO : SR_CONSTABLE,
            rng_chance(&cr->r, 500) ? cr->h.oic % model_pool_size[SR_PCSO]
                                    : UINT64_MAX);
    model_add_entry(g, &cr->r, &cr->cx, cr->rec, PH_RECORD,
                    rng_chance(&cr->r, 300) ? SR_STAFF : SR_CONSTABLE,
                    UINT64_MAX);
    if (!cr->screened)
        model_add_entry(
            g, &cr->r, &cr->cx,
            cr->rec +
                rng_range(&cr->r, 5, min64(2 * DAY, cr->end - cr->rec - 1)),
            PH_ALLOC,
            !cr->fe && rng_chance(&cr->r, 600) ? SR_SERGEANT : SR_STAFF,
            UINT64_MAX);
}

/* Investigative actions, arrest or interview, the plan and acts towards a named suspect. */
static void crime_investigation(struct synth *g, struct crime_gen *cr)
{
    size_t k;

    /* investigation */
    if (!cr->fa) {
        int64_t hi = min64(cr->end - 5, cr->R + 60 * DAY);
        unsigned n = 1 + (unsigned)rng_below(&cr->r, 4);

        for (k = 0; k < n; k++)
            model_add_entry(
                g, &cr->r, &cr->cx,
                model_when(g, &cr->r, cr->R + 10, max64(cr->R + 10, hi)),
                PH_ACTION, rng_chance(&cr->r, 150) ? SR_STAFF : SR_CONSTABLE,
                rng_chance(&cr->r, 600) ? cr->h.oic : UINT64_MAX);
    } else if (rng_chance(&cr->r, 500)) {
        model_add_entry(
            g, &cr->r, &cr->cx,
            model_when(g, &cr->r, cr->rec,
                       max64(cr->rec, min64(cr->end - 1, cr->rec + 14 * DAY))),
            PH_NOACTION, SR_CONSTABLE, cr->h.oic);
    }
    if (cr->h.arrested) {
        model_add_entry(g, &cr->r, &cr->cx, cr->arr_at, PH_ARREST, SR_CONSTABLE,
                        UINT64_MAX);
    } else if (cr->h.named && !cr->fa && rng_chance(&cr->r, 300)) {
        model_add_entry(
            g, &cr->r, &cr->cx,
            model_when(
                g, &cr->r, cr->rec + DAY,
                max64(cr->rec + DAY, min64(cr->end - 1, cr->rec + 20 * DAY))),
            PH_VA, SR_CONSTABLE, cr->h.oic);
        cr->interviewed = true; /* dealt with: not "suspect-not-arrested" */
    }
    if (cr->h.named) {
        if (!cr->fp)
            model_add_entry(
                g, &cr->r, &cr->cx,
                model_when(g, &cr->r, cr->rec + HOUR,
                           max64(cr->rec + HOUR,
                                 min64(cr->end - 1, cr->rec + 10 * DAY))),
                PH_PLAN, SR_CONSTABLE, cr->h.oic);
        else if (rng_chance(&cr->r, 500))
            model_add_entry(
                g, &cr->r, &cr->cx,
                model_when(g, &cr->r, cr->rec + HOUR, cr->rec + 3 * DAY),
                PH_NOPLAN, SR_CONSTABLE, cr->h.oic);
    }
    /* a named suspect neither arrested nor interviewed: acts towards them
     * come only beside an investigative action, so that they never decide
     * whether the crime was investigated */
    if (cr->h.named && !cr->h.arrested && !cr->interviewed) {
        int64_t hi =
            max64(cr->rec + HOUR, min64(cr->end - 1, cr->rec + 60 * DAY));
        unsigned n = 1 + (unsigned)rng_below(&cr->r, 3);

        if (!cr->fa && !rng_chance(&cr->r, cr->p->no_suspect_action))
            for (k = 0; k < n; k++)
                model_add_entry(g, &cr->r, &cr->cx,
                                model_when(g, &cr->r, cr->rec + HOUR, hi),
                                PH_SUSPECT, SR_CONSTABLE,
                                rng_chance(&cr->r, 700) ? cr->h.oic
                                                        : UINT64_MAX);
        else if (rng_chance(&cr->r, 500))
            model_add_entry(g, &cr->r, &cr->cx,
                            model_when(g, &cr->r, cr->rec + HOUR, hi),
                            PH_SUSPECT_NEAR, SR_CONSTABLE, cr->h.oic);
    }
}

/* Supervisors' reviews and the endorsement of a filed crime. */
static void crime_supervision(struct synth *g, struct crime_gen *cr)
{
    /* supervision: a review is a supervisor's review entry no later than
     * 7 x 24 h after recording; late ones come 8 x 24 h or more after */
    if (cr->status == CS_FILED) {
        int64_t fl = cr->out_at - 5; /* endorsement strictly before filing */

        if (cr->fe) {
            if (rng_chance(&cr->r, 400))
                model_add_entry(g, &cr->r, &cr->cx,
                                rng_range(&cr->r, cr->rec + 1, cr->out_at - 1),
                                PH_REVIEW_NEAR, SR_CONSTABLE, cr->h.oic);
        } else if (!cr->fr) {
            int64_t hi = min64(cr->rec + 7 * DAY, fl);
            int64_t first = rng_chance(&cr->r, 50)
                                ? hi
                                : rng_range(&cr->r, cr->rec + 10, hi);

            if (rng_chance(&cr->r, 500)) {
                model_add_entry(g, &cr->r, &cr->cx, first, PH_ENDORSE,
                                model_supervisor(&cr->r), UINT64_MAX);
            } else {
                model_add_entry(g, &cr->r, &cr->cx, first, PH_REVIEW,
                                model_supervisor(&cr->r), UINT64_MAX);
                model_add_entry(g, &cr->r, &cr->cx,
                                rng_range(&cr->r, first, fl), PH_ENDORSE,
                                model_supervisor(&cr->r), UINT64_MAX);
            }
        } else {
            if (rng_chance(&cr->r, 400))
                model_add_entry(
                    g, &cr->r, &cr->cx,
                    rng_range(&cr->r, cr->rec + 10, cr->rec + 7 * DAY),
                    PH_REVIEW_NEAR, SR_CONSTABLE, cr->h.oic);
            model_add_entry(g, &cr->r, &cr->cx,
                            rng_chance(&cr->r, 100)
                                ? cr->rec + 8 * DAY
                                : rng_range(&cr->r, cr->rec + 8 * DAY, fl),
                            PH_ENDORSE, model_supervisor(&cr->r), UINT64_MAX);
        }
    } else {
        int64_t last = -1;

        if (!cr->fr) {
            last = rng_chance(&cr->r, 50)
                       ? cr->rec + 7 * DAY
                       : rng_range(&cr->r, cr->rec + 10, cr->rec + 7 * DAY);
            model_add_entry(g, &cr->r, &cr->cx, last, PH_REVIEW,
                            model_supervisor(&cr->r), UINT64_MAX);
        } else {
            unsigned v = (unsigned)rng_below(&cr->r, 4);

            if (v == 1 || v == 2)
                model_add_entry(
                    g, &cr->r, &cr->cx,
                    rng_range(&cr->r, cr->rec + 10, cr->rec + 7 * DAY),
                    PH_REVIEW_NEAR, SR_CONSTABLE, cr->h.oic);
            if (v == 3) { /* by rank, or by what it does, not a review */
                unsigned x = (unsigned)rng_below(&cr->r, 3);
                model_add_entry(
                    g, &cr->r, &cr->cx,
                    rng_range(&cr->r, cr->rec + 10, cr->rec + 7 * DAY),
                    x == 0   ? PH_SELF_REVIEW
                    : x == 1 ? PH_STAFF_QA
                             : PH_REVIEW_NEAR_SUP,
                    x == 0   ? SR_CONSTABLE
                    : x == 1 ? SR_STAFF
                             : SR_SERGEANT,
                    x == 0 ? cr->h.oic : UINT64_MAX);
            }
            if (v != 0 && cr->end - 1 >= cr->rec + 8 * DAY) {
                last = rng_chance(&cr->r, 150)
                           ? cr->rec + 8 * DAY
                           : rng_range(&cr->r, cr->rec + 8 * DAY,
                                       min64(cr->end - 1, cr->rec + 30 * DAY));
                model_add_entry(g, &cr->r, &cr->cx, last, PH_REVIEW,
                                model_supervisor(&cr->r), UINT64_MAX);
            }
        }
        while (last >= 0 && rng_chance(&cr->r, 600)) {
            last += rng_range(&cr->r, 14 * DAY, 60 * DAY);
            if (last >= cr->end)
                break;
            model_add_entry(g, &cr->r, &cr->cx, last, PH_REVIEW,
                            model_supervisor(&cr->r), UINT64_MAX);
        }
    }
}

/* Victim updates, then the entries that end the crime. */
static void crime_updates(struct synth *g, struct crime_gen *cr)
{
    size_t k, npts;
    int64_t t;

    /* victim updates: no gap over 28 x 24 h from recording to the outcome
     * (or the as-of time) */
    npts = model_gap_points(g, &cr->r, cr->rec, cr->end, 28 * DAY, 10 * DAY,
                            cr->fu, &cr->failed);
    cr->fu = cr->failed;
    for (k = 0; k < npts; k++) {
        t = g->pts[k];
        if (cr->status != CS_FILED && rng_chance(&cr->r, 40)) /* a sergeant's */
            model_add_entry(g, &cr->r, &cr->cx, t, PH_VUPDATE, SR_SERGEANT,
                            UINT64_MAX);
        else
            add_contact(g, &cr->r, &cr->cx, t, PH_VUPDATE);
    }
    if (cr->end - cr->rec > 2 && rng_chance(&cr->r, cr->fu ? 600 : 150))
        add_contact(g, &cr->r, &cr->cx,
                    rng_range(&cr->r, cr->rec + 1, cr->end - 1), PH_VATTEMPT);

    /* endings */
    if (cr->screened) {
        int64_t limit = cr->enh ? DAY - 1 : 5 * DAY;     /* told in time */
        int64_t late_min = cr->enh ? 7 * DAY : 14 * DAY; /* clearly late */

        model_add_entry(g, &cr->r, &cr->cx, cr->out_at, PH_SCREEN,
                        rng_chance(&cr->r, 400) ? SR_STAFF : SR_CONSTABLE,
                        cr->h.oic);
        if (!cr->ft) {
            add_contact(g, &cr->r, &cr->cx,
                        cr->out_at + rng_range(&cr->r, 10, limit), PH_TOLD);
        } else if (rng_chance(&cr->r, 500) &&
                   cr->out_at + late_min + DAY < g->asof) {
            add_contact(g, &cr->r, &cr->cx,
                        model_when(g, &cr->r, cr->out_at + late_min,
                                   cr->out_at + 30 * DAY),
                        PH_TOLD);
        } else if (rng_chance(&cr->r, 500)) {
            add_contact(g, &cr->r, &cr->cx,
                        cr->out_at + rng_range(&cr->r, 10, 2 * DAY),
                        PH_TOLD_NEAR);
        }
    } else if (cr->status == CS_FILED) {
        model_add_entry(g, &cr->r, &cr->cx, cr->out_at, PH_FILE, SR_CONSTABLE,
                        cr->h.oic);
    } else if (cr->status == CS_CLOSED) {
        model_add_entry(g, &cr->r, &cr->cx, cr->out_at, cr->out_cls,
                        SR_CONSTABLE, cr->h.oic);
        if (rng_chance(&cr->r, 800))
            add_contact(g, &cr->r, &cr->cx,
                        model_when(g, &cr->r, cr->out_at, cr->out_at + 2 * DAY),
                        PH_OUT_TOLD);
    }
}

/* Context that is neither action, review nor update. */
static void crime_context(struct synth *g, struct crime_gen *cr)
{
    /* context that is neither action, review nor update */
    if (rng_chance(&cr->r, 400))
        add_contact(g, &cr->r, &cr->cx,
                    rng_range(&cr->r, cr->R, max64(cr->R, cr->end - 1)),
                    PH_NOISE);
    if (cr->h.vulnerable && rng_chance(&cr->r, 600))
        add_contact(g, &cr->r, &cr->cx,
                    rng_range(&cr->r, cr->R,
                              max64(cr->R, min64(cr->end - 1, cr->rec + DAY))),
                    PH_NOISE_VULN);
    if (cr->off->group == 0 && cr->h.attended && rng_chance(&cr->r, 400))
        add_contact(g, &cr->r, &cr->cx,
                    rng_range(&cr->r, cr->R,
                              max64(cr->R, min64(cr->end - 1, cr->rec + DAY))),
                    PH_NOISE_VIOL);
    if (rng_chance(&cr->r, 50)) /* staff quality checks: no supervision */
        model_add_entry(g, &cr->r, &cr->cx,
                        rng_range(&cr->r, cr->rec, max64(cr->rec, cr->end - 1)),
                        PH_STAFF_QA, SR_STAFF, UINT64_MAX);
}

static void gen_crime(struct synth *g, unsigned f, uint64_t i,
                      struct synth_row *row)
{
    struct crime_gen cg, *cr = &cg;

    memset(cr, 0, sizeof(*cr));
    cr->fo = &g->forces[f];
    cr->p = cr->fo->p;
    cr->outcome = "";
    cr->status = CS_OPEN;
    cr->out_cls = PH_OUT_CHARGE;
    cr->out_at = -1;
    cr->arr_at = -1;
    model_crime_header(g, f, i, &cr->h);
    cr->off = &model_offences[cr->h.offence];
    rng_seed(&cr->r, g->seed64, ST_CRIME, f, i, 0);
    memset(&cr->cx, 0, sizeof(cr->cx));
    cr->cx.f = f;
    cr->cx.offence = cr->off->name;
    cr->cx.oic = cr->h.oic;
    model_person_ref(cr->fo, &cr->r, cr->cx.person, sizeof(cr->cx.person));
    model_crime_ref(cr->fo, i + 1, cr->h.reported, cr->cx.crime,
                    sizeof(cr->cx.crime));
    crime_incident_ref(g, f, i, &cr->h, cr->ref, sizeof(cr->ref), cr->cx.cad,
                       sizeof(cr->cx.cad));
    cr->enh = cr->h.vulnerable || cr->h.repeat;
    cr->R = cr->h.reported;

    crime_outcome(g, cr);
    crime_opening(g, cr);
    crime_investigation(g, cr);
    crime_supervision(g, cr);
    crime_updates(g, cr);
    crime_context(g, cr);
    model_assemble_log(g);

    model_field(g, cr->cx.crime);
    model_field(g, cr->fo->slug);
    model_field(g, cr->ref);
    model_field(g, cr->off->name);
    model_field(g, group_names[cr->off->group]);
    model_field_time(g, cr->R);
    model_field_time(g, cr->rec);
    model_field_flag(g, cr->h.attended);
    model_field_flag(g, cr->h.vulnerable);
    model_field_flag(g, cr->h.repeat);
    model_field_flag(g, cr->h.named);
    model_field(g, cr->status == CS_OPEN     ? "open"
                   : cr->status == CS_CLOSED ? "closed"
                                             : "filed");
    model_field(g, cr->outcome);
    model_field_time(g, cr->out_at);
    {
        char name[64];
        model_officer(g, f, SR_CONSTABLE, cr->h.oic, name, sizeof(name));
        model_field(g, name);
    }
    model_field(g, divisions[(cr->fo->div0 + rng_below(&cr->r, cr->fo->ndiv)) %
                             N(divisions)]);
    model_field(g, g->log.data);

    row->fails = (cr->fa ? 1u << SQ_CRIME_NO_ACTION : 0) |
                 (cr->fr ? 1u << SQ_CRIME_NO_REVIEW_7D : 0) |
                 (cr->fe ? 1u << SQ_CRIME_FILED_NO_ENDORSE : 0) |
                 (cr->fu ? 1u << SQ_CRIME_NO_UPDATE_28D : 0) |
                 (cr->ft ? 1u << SQ_CRIME_NOT_TOLD : 0) |
                 (cr->delay > DAY ? 1u << SQ_CRIME_LATE_RECORDING : 0) |
                 (cr->fp ? 1u << SQ_CRIME_NO_PLAN : 0) |
                 (cr->fa ? 1u << SQ_CRIME_INVESTIGATION : 0) |
                 (cr->fr ? 1u << SQ_CRIME_SUPERVISION : 0);
    /* named-suspect-activity: acts towards the suspect and a supervisor's
     * review at any date, as written */
    if (cr->h.named && !cr->h.arrested && !cr->interviewed &&
        !(model_has_entry(g, PH_SUSPECT, SR_NONE) &&
          (model_has_entry(g, PH_REVIEW, SR_SERGEANT) ||
           model_has_entry(g, PH_ENDORSE, SR_SERGEANT))))
        row->fails |= 1u << SQ_NAMED_SUSPECT_ACTIVITY;
    row->facts = (cr->h.direct ? 1u << SF_DIRECT : 0) |
                 (cr->h.attended ? 1u << SF_ATTENDED : 0) |
                 (cr->h.unmatched ? 1u << SF_UNMATCHED_INCIDENT_REF : 0) |
                 (cr->h.named && !cr->h.arrested && !cr->interviewed
                      ? 1u << SF_SUSPECT_NOT_ARRESTED
                      : 0);
    row->main_at = cr->R;
}

/* ---- incidents ------------------------------------------------------ */

static void gen_incident(struct synth *g, unsigned f, uint64_t k,
                         struct synth_row *row)
{
    const struct force *fo = &g->forces[f];
    uint64_t c = fo->n[SYNTH_CRIME], ni = fo->n[SYNTH_INCIDENT];
    int64_t t = incident_time(g, f, k), day = model_floor_div(t, DAY);
    struct rng r;
    char ref[40], cref[40] = "";
    const char *category;
    bool attended, linked = false, unmatched = false;
    int64_t attended_at = -1;
    struct crime_hdr h;
    uint64_t i = c ? (k * c + ni - 1) / ni : 0;

    rng_seed(&r, g->seed64, ST_INCIDENT, f, k, 0);
    incident_ref_fmt(fo, k - incident_first_of_day(g, f, day) + 1, t, ref,
                     sizeof(ref), NULL, 0);
    if (c && i < c && i * ni / c == k) {
        model_crime_header(g, f, i, &h);
        linked = !h.direct && !h.unmatched;
    }
    if (linked) {
        category = model_offences[h.offence].category;
        attended = h.attended;
        if (attended)
            attended_at = t + h.attend_delay;
        model_crime_ref(fo, i + 1, h.reported, cref, sizeof(cref));
    } else {
        unmatched = rng_chance(&r, fo->p->unmatched_crime);
        if (unmatched) {
            /* closed as a crime whose reference matches no crime */
            category = rng_chance(&r, 500) ? "Crime - theft" : "Crime - other";
            model_crime_ref(fo, c + 1 + k, t, cref, sizeof(cref));
        } else {
            category = other_categories[rng_below(&r, N(other_categories))];
        }
        attended = rng_chance(&r, 550);
        if (attended)
            attended_at = t + rng_range(&r, 5, 6 * HOUR);
    }
    model_field(g, ref);
    model_field(g, fo->slug);
    model_field_time(g, t);
    model_field(g, category);
    model_field_flag(g, attended);
    model_field_time(g, attended_at);
    model_field(g, cref);
    row->fails = 0;
    row->facts = unmatched ? 1u << SF_UNMATCHED_CRIME_REF : 0;
    row->main_at = t;
}

enum ca_status synth_row(struct synth *g, enum synth_kind k, unsigned f,
                         uint64_t index, struct synth_row *row,
                         struct ca_error *err)
{
    size_t i;

    if (f >= g->nforces || (unsigned)k >= SYNTH__KINDS ||
        index >= g->forces[f].n[k])
        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "no %s record %llu in force %u", synth_kind_name(k),
                            (unsigned long long)index, f);
    memset(row, 0, sizeof(*row));
    model_record_begin(g, k, f, index);
    g->oom = false;
    switch (k) {
    case SYNTH_CRIME:
        gen_crime(g, f, index, row);
        break;
    case SYNTH_WANTED:
        model_wanted(g, f, index, row);
        break;
    case SYNTH_BAIL:
        model_bail(g, f, index, row);
        break;
    default:
        gen_incident(g, f, index, row);
        break;
    }
    if (g->oom)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    row->kind = k;
    row->nfields = g->nf;
    for (i = 0; i < g->nf; i++)
        row->field[i] = g->row.data + g->off[i];
    row->id = row->field[0];
    row->force = row->field[1];
    row->nentries = k == SYNTH_INCIDENT ? 0 : g->nent;
    row->entries = g->pub;
    row->style = g->rec_style;
    return CA_OK;
}
