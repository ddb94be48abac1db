/* SPDX-License-Identifier: MIT */
/*
 * The phrase bank of the synthetic case logs: the choice of a phrasing in a
 * style, typos, and the lists that fill placeholders; see phrases.h.  The
 * phrasings themselves are in one file per style (phrases_<style>.c).
 * Changing what a phrase means changes the truth of generated data: keep
 * each phrase in its class.
 */
#include "synth/phrases.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct phrase_set *style_table(enum synth_style s)
{
    switch (s) {
    case SYNTH_STYLE_TERSE:
        return phrases_terse;
    case SYNTH_STYLE_TEMPLATE:
        return phrases_template;
    case SYNTH_STYLE_NARRATIVE:
        return phrases_narrative;
    case SYNTH_STYLE_TYPO:
        return phrases_typo;
    default:
        return NULL;
    }
}

size_t phrase_count(enum synth_style s, enum phrase_class c)
{
    const struct phrase_set *t = style_table(s);

    return t && (unsigned)c < PH__COUNT ? t[c].n : 0;
}

const char *phrase_get(enum synth_style s, enum phrase_class c, size_t i)
{
    const struct phrase_set *t = style_table(s);

    if (!t || (unsigned)c >= PH__COUNT || i >= t[c].n)
        return "";
    return t[c].v[i];
}

const char *phrase_pick(enum synth_style s, enum phrase_class c, struct rng *r)
{
    size_t n = phrase_count(s, c);

    return n ? phrase_get(s, c, (size_t)rng_below(r, n)) : "";
}

int phrase_class_rankless(enum phrase_class c)
{
    switch (c) {
    case PH_REPORT_CAD:
    case PH_REPORT_DIRECT:
    case PH_VUPDATE:
    case PH_VATTEMPT:
    case PH_TOLD:
    case PH_TOLD_NEAR:
    case PH_OUT_TOLD:
    case PH_NOISE:
    case PH_NOISE_VULN:
    case PH_NOISE_VIOL:
        return 1;
    default:
        return 0;
    }
}

unsigned phrase_typo_permille(enum synth_style s)
{
    return s == SYNTH_STYLE_TYPO ? 300 : 40;
}

/* Misspellings that keep the meaning (an auditor still reads the word). */
static const struct {
    const char *word, *typo;
} typos[] = {
    {"supervisory", "supervisiory"},
    {"review", "reveiw"},
    {"reviewed", "reviewd"},
    {"victim", "vicitm"},
    {"updated", "updtaed"},
    {"enquiries", "enquires"},
    {"investigation", "investigaton"},
    {"circulated", "circualted"},
    {"address", "adress"},
    {"statement", "statment"},
    {"authorised", "authorized"},
    {"arrested", "arested"},
    {"completed", "compelted"},
    {"received", "recieved"},
    {"attended", "attneded"},
    {"witness", "witnes"},
    {"suspect", "suspcet"},
    {"proportionate", "proportionat"},
    {"neighbours", "nieghbours"},
    {"information", "infomation"},
};

int phrase_typo(struct buf *b, size_t off, struct rng *r)
{
    size_t start = (size_t)rng_below(r, N(typos));
    size_t k;

    for (k = 0; k < N(typos); k++) {
        size_t t = (start + k) % N(typos);
        const char *hit = strstr(b->data + off, typos[t].word);
        size_t wl, tl, pos, tail;

        if (!hit)
            continue;
        wl = strlen(typos[t].word);
        tl = strlen(typos[t].typo);
        pos = (size_t)(hit - b->data);
        tail = b->len - pos - wl;
        if (tl > wl && buf_grow(b, tl - wl) != 0)
            return -1;
        memmove(b->data + pos + tl, b->data + pos + wl, tail + 1);
        memcpy(b->data + pos, typos[t].typo, tl);
        b->len = b->len - wl + tl;
        return 1;
    }
    return 0;
}

const char *const phrase_surnames[] = {
    "Smith",   "Jones",   "Taylor",   "Brown",  "Williams", "Wilson",
    "Johnson", "Davies",  "Robinson", "Wright", "Thompson", "Evans",
    "Walker",  "White",   "Roberts",  "Green",  "Hall",     "Wood",
    "Jackson", "Clarke",  "Patel",    "Khan",   "Lewis",    "Harris",
    "Martin",  "Cooper",  "King",     "Lee",    "Baker",    "Turner",
    "Hill",    "Moore",   "Ward",     "Morris", "Clark",    "Watson",
    "Young",   "Allen",   "Mitchell", "Carter", "Phillips", "Parker",
    "Edwards", "Bennett", "Shaw",     "Cook",   "Price",    "Hughes",
    "Morgan",  "Kelly",   "Begum",    "Ali",    "Singh",    "Murphy",
    "Grey",    "Okafor",  "Nowak",    "Kaur",   "Ahmed",    "Fletcher",
};
const size_t phrase_nsurnames = N(phrase_surnames);

const char *const phrase_streets[] = {
    "Mill Lane",   "Station Road", "Church Street", "Victoria Road",
    "Park Avenue", "High Street",  "Orchard Close", "Kings Road",
    "Meadow Way",  "Quarry Hill",  "Fenwick Drive", "Harbour Walk",
    "Elm Grove",   "Chapel Row",   "Tanners Yard",  "Beacon Rise",
};
const size_t phrase_nstreets = N(phrase_streets);

const char *const phrase_shops[] = {
    "the Co-op",    "Tesco Express", "the petrol station", "the corner shop",
    "the pub",      "the bus depot", "the leisure centre", "the pharmacy",
    "the takeaway", "the car park",
};
const size_t phrase_nshops = N(phrase_shops);
