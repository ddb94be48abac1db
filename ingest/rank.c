/* SPDX-License-Identifier: MIT */
/*
 * The rank table and its parser; see rank.h.  A spelling is an optional
 * acting prefix (A/, T/, Acting, Temp, Temporary), an optional detective
 * prefix (D/, Det, Det., Detective), an optional custody prefix (Custody,
 * Cust) and a base rank from the table below.  The same grammar is written
 * out once as a regular expression (rank_pattern) for the entry-header
 * regex, and a unit test checks every table spelling with every prefix
 * against both.
 */
#include "ingest/rank.h"

#include <string.h>

struct base {
    const char *spelling; /* lower case, single spaces */
    enum rank_class cls;
    const char *canon;
    const char *det_canon; /* with a detective prefix; NULL: same */
    bool detective;
};

/* Longest spellings first where one is a prefix of another. */
static const struct base bases[] = {
    {"police staff investigator", RK_STAFF, "Staff", NULL, false},
    {"civilian investigator", RK_STAFF, "Staff", NULL, false},
    {"chief superintendent", RK_SUPERINTENDENT, "CSupt", "DCS", false},
    {"chief inspector", RK_CHIEF_INSPECTOR, "CI", "DCI", false},
    {"superintendent", RK_SUPERINTENDENT, "Supt", "DSupt", false},
    {"special constable", RK_CONSTABLE, "SC", NULL, false},
    {"police constable", RK_CONSTABLE, "PC", "DC", false},
    {"detention officer", RK_STAFF, "Staff", NULL, false},
    {"crime recorder", RK_STAFF, "Staff", NULL, false},
    {"police staff", RK_STAFF, "Staff", NULL, false},
    {"call handler", RK_STAFF, "Staff", NULL, false},
    {"case officer", RK_STAFF, "Staff", NULL, false},
    {"investigator", RK_STAFF, "Staff", NULL, false},
    {"chief supt", RK_SUPERINTENDENT, "CSupt", "DCS", false},
    {"chief insp", RK_CHIEF_INSPECTOR, "CI", "DCI", false},
    {"commander", RK_CHIEF_OFFICER, "Cmdr", NULL, false},
    {"constable", RK_CONSTABLE, "PC", "DC", false},
    {"inspector", RK_INSPECTOR, "Insp", "DI", false},
    {"sergeant", RK_SERGEANT, "PS", "DS", false},
    {"ch supt", RK_SUPERINTENDENT, "CSupt", "DCS", false},
    {"ch insp", RK_CHIEF_INSPECTOR, "CI", "DCI", false},
    {"c/supt", RK_SUPERINTENDENT, "CSupt", "DCS", false},
    {"c/insp", RK_CHIEF_INSPECTOR, "CI", "DCI", false},
    {"analyst", RK_STAFF, "Staff", NULL, false},
    {"csupt", RK_SUPERINTENDENT, "CSupt", "DCS", false},
    {"dsupt", RK_SUPERINTENDENT, "DSupt", NULL, true},
    {"staff", RK_STAFF, "Staff", NULL, false},
    {"clerk", RK_STAFF, "Staff", NULL, false},
    {"pcso", RK_CONSTABLE, "PCSO", NULL, false},
    {"supt", RK_SUPERINTENDENT, "Supt", "DSupt", false},
    {"insp", RK_INSPECTOR, "Insp", "DI", false},
    {"dsgt", RK_SERGEANT, "DS", NULL, true},
    {"soco", RK_STAFF, "Staff", NULL, false},
    {"cmdr", RK_CHIEF_OFFICER, "Cmdr", NULL, false},
    {"tidc", RK_CONSTABLE, "DC", NULL, true},
    {"sgt", RK_SERGEANT, "PS", "DS", false},
    {"sps", RK_SERGEANT, "PS", NULL, false},
    {"dci", RK_CHIEF_INSPECTOR, "DCI", NULL, true},
    {"dcs", RK_SUPERINTENDENT, "DCS", NULL, true},
    {"acc", RK_CHIEF_OFFICER, "ACC", NULL, false},
    {"dcc", RK_CHIEF_OFFICER, "DCC", NULL, false},
    {"dac", RK_CHIEF_OFFICER, "DAC", NULL, false},
    {"tdc", RK_CONSTABLE, "DC", NULL, true},
    {"psi", RK_STAFF, "Staff", NULL, false},
    {"pse", RK_STAFF, "Staff", NULL, false},
    {"csi", RK_STAFF, "Staff", NULL, false},
    {"cso", RK_CONSTABLE, "PCSO", NULL, false},
    {"con", RK_CONSTABLE, "PC", "DC", false},
    {"pc", RK_CONSTABLE, "PC", "DC", false},
    {"dc", RK_CONSTABLE, "DC", NULL, true},
    {"sc", RK_CONSTABLE, "SC", NULL, false},
    {"ps", RK_SERGEANT, "PS", "DS", false},
    {"ds", RK_SERGEANT, "DS", NULL, true},
    {"si", RK_INSPECTOR, "Insp", NULL, false},
    {"di", RK_INSPECTOR, "DI", NULL, true},
    {"ci", RK_CHIEF_INSPECTOR, "CI", "DCI", false},
    {"cc", RK_CHIEF_OFFICER, "CC", NULL, false},
    {"ac", RK_CHIEF_OFFICER, "AC", NULL, false},
};

/*
 * The grammar above as a regex.  Prefixes of one letter need their slash
 * ("A/Sgt", "T/DS", "D/Sgt"), so that "A PC attended: ..." is not read as
 * an acting constable.  Keep in step with bases[] (test_rank checks).
 */
static const char pattern[] =
    "(?:(?:A|T)\\s*/\\s*|(?:Acting|Temp|Temporary)\\s+)?"
    "(?:D\\s*/\\s*|(?:Det\\.?|Detective)\\s+)?"
    "(?:(?:Custody|Cust)\\.?\\s+)?"
    "(?:police\\s+staff\\s+investigator|civilian\\s+investigator"
    "|chief\\s+superintendent|chief\\s+inspector|superintendent"
    "|special\\s+constable|police\\s+constable|detention\\s+officer"
    "|crime\\s+recorder|police\\s+staff|call\\s+handler|case\\s+officer"
    "|investigator|chief\\s+supt|chief\\s+insp|commander|constable"
    "|inspector|sergeant|ch\\.?\\s+supt|ch\\.?\\s+insp|c\\s*/\\s*supt"
    "|c\\s*/\\s*insp|analyst|csupt|dsupt|staff|clerk|pcso|supt|insp|dsgt"
    "|soco|cmdr|tidc|sgt|sps|dci|dcs|acc|dcc|dac|tdc|psi|pse|csi|cso|con"
    "|pc|dc|sc|ps|ds|si|di|ci|cc|ac)\\b";

const char *rank_pattern(void)
{
    return pattern;
}

static const char *const class_names[RK__COUNT] = {
    "none",      "staff",           "constable",      "sergeant",
    "inspector", "chief-inspector", "superintendent", "chief-officer",
};

const char *rank_class_name(enum rank_class c)
{
    return (unsigned)c < RK__COUNT ? class_names[c] : "none";
}

int rank_class_parse(const char *name, enum rank_class *out)
{
    int i;

    if (!name)
        return -1;
    if (strcmp(name, "supervisor") == 0) {
        *out = RK_SERGEANT;
        return 0;
    }
    for (i = 0; i < RK__COUNT; i++) {
        if (strcmp(name, class_names[i]) == 0) {
            *out = (enum rank_class)i;
            return 0;
        }
    }
    return -1;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '.';
}

/*
 * Normalise into out: lower case, '.' dropped, runs of blanks one space,
 * no blanks around '/'.  Returns the length, or 0 when it does not fit.
 */
static size_t normalise(const char *s, size_t len, char *out, size_t size)
{
    size_t i, n = 0;
    bool space = false;

    for (i = 0; i < len; i++) {
        char c = s[i];

        if (is_blank(c)) {
            space = n > 0;
            continue;
        }
        if (c == '/') {
            space = false;
        } else if (space && out[n - 1] != '/') {
            if (n + 1 >= size)
                return 0;
            out[n++] = ' ';
        }
        space = false;
        if (n + 1 >= size)
            return 0;
        out[n++] = lower(c);
    }
    out[n] = '\0';
    return n;
}

/* Strip one of the prefixes (each "word " or "x/") from *p; true if so. */
static bool strip(const char **p, const char *const *prefixes)
{
    size_t i, l;

    for (i = 0; prefixes[i]; i++) {
        l = strlen(prefixes[i]);
        if (strncmp(*p, prefixes[i], l) == 0 && (*p)[l] != '\0') {
            *p += l;
            return true;
        }
    }
    return false;
}

int rank_parse(const char *s, size_t len, struct rank_info *out)
{
    static const char *const acting[] = {"a/",    "t/",         "acting ",
                                         "temp ", "temporary ", NULL};
    static const char *const det[] = {"d/", "det ", "detective ", NULL};
    static const char *const custody[] = {"custody ", "cust ", NULL};
    char buf[64];
    const char *p = buf;
    bool is_det;
    size_t i;

    memset(out, 0, sizeof(*out));
    out->canon = "";
    if (!s || normalise(s, len, buf, sizeof(buf)) == 0)
        return -1;
    out->acting = strip(&p, acting);
    is_det = strip(&p, det);
    out->custody = strip(&p, custody);
    for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
        const struct base *b = &bases[i];

        /* the first letter first: rank_parse runs once per log entry
         * that a rule with `author:` reads */
        if (b->spelling[0] != p[0] || strcmp(p, b->spelling) != 0)
            continue;
        if (is_det && !b->det_canon && !b->detective)
            break; /* "Det Staff", "Det PCSO": not a rank */
        out->cls = b->cls;
        out->canon = is_det && b->det_canon ? b->det_canon : b->canon;
        out->detective = is_det || b->detective;
        return 0;
    }
    memset(out, 0, sizeof(*out));
    out->canon = "";
    return -1;
}

int rank_parse_memo(struct rank_memo *m, const char *s, size_t len,
                    struct rank_info *out)
{
    unsigned h;

    if (!s || len == 0 || len > RANK_MEMO_TEXT)
        return rank_parse(s, len, out);
    h = ((unsigned char)s[0] * 31u + (unsigned char)s[len - 1] +
         (unsigned)len) %
        RANK_MEMO_SLOTS;
    if (m->slot[h].len != len || memcmp(m->slot[h].text, s, len) != 0) {
        m->slot[h].rc = rank_parse(s, len, &m->slot[h].ri);
        memcpy(m->slot[h].text, s, len);
        m->slot[h].len = len;
    }
    *out = m->slot[h].ri;
    return m->slot[h].rc;
}
