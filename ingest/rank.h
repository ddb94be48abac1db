/* SPDX-License-Identifier: MIT */
/*
 * Police ranks as case-log entry headers write them.  One table owns every
 * spelling (PS, Sgt, Sergeant, A/Sgt, T/DS, Det Supt, Ch Supt, Custody
 * Sgt, Insp, PSI, Investigator, ...): it gives each its canonical short
 * form (PS, DS, Insp, DSupt, CSupt, ...) and its class on the rank scale,
 * and it is also the source of the rank alternation in the default
 * entry-header regex, so that the splitter and the rules agree on what a
 * rank is.  The scale, not the spelling, decides who is a supervisor: a
 * sergeant or above, whatever the prefix (acting, temporary, detective,
 * custody).
 *
 * Everything here is static data and pure functions: no allocation, no
 * shared state.
 */
#ifndef CA_RANK_H
#define CA_RANK_H

#include <stdbool.h>
#include <stddef.h>

/* The rank scale, lowest first.  RK_NONE: no rank in the header, or one
 * not recognised. */
enum rank_class {
    RK_NONE = 0,
    RK_STAFF,           /* police staff: investigators, call handlers... */
    RK_CONSTABLE,       /* PCSO, PC, DC, special constable */
    RK_SERGEANT,        /* PS, DS, custody sergeant */
    RK_INSPECTOR,       /* Insp, DI */
    RK_CHIEF_INSPECTOR, /* CI, DCI */
    RK_SUPERINTENDENT,  /* Supt, DSupt, CSupt, DCS */
    RK_CHIEF_OFFICER,   /* ACC, DCC, CC, commanders */
    RK__COUNT
};

struct rank_info {
    enum rank_class cls;
    const char *canon; /* "PS", "DSupt", "Staff"...; "" for RK_NONE */
    bool acting;       /* A/, Acting, T/, Temp: holds the rank for now */
    bool detective;
    bool custody;
};

/*
 * Parse a rank as written in an entry header ("A/Sgt", "T/D/Sgt", "Det
 * Supt", "Custody Sergeant"; case and white space ignored).  Returns 0 and
 * fills *out, or -1 (and *out says RK_NONE) when s is not a rank.
 */
int rank_parse(const char *s, size_t len, struct rank_info *out);

/*
 * Ranks parsed lately, by their text, for a caller that parses the ranks
 * of many entries (a rule with `author:` reads every entry's): the few
 * ranks of a force come again and again.  Zeroed (memset) before first
 * use; owned by the caller, one per thread.
 */
#define RANK_MEMO_SLOTS 16
#define RANK_MEMO_TEXT 24
struct rank_memo {
    struct {
        char text[RANK_MEMO_TEXT];
        size_t len; /* 0: an empty slot */
        int rc;
        struct rank_info ri;
    } slot[RANK_MEMO_SLOTS];
};

/* rank_parse's answer for s[0, len), kept in m when the text is short. */
int rank_parse_memo(struct rank_memo *m, const char *s, size_t len,
                    struct rank_info *out);

/* "none", "staff", "constable", "sergeant", "inspector",
 * "chief-inspector", "superintendent", "chief-officer". */
const char *rank_class_name(enum rank_class c);

/*
 * A class by name: the names above, plus "supervisor" (= sergeant, the
 * lowest supervising rank).  Returns 0 and sets *out, or -1.
 */
int rank_class_parse(const char *name, enum rank_class *out);

/*
 * The regular expression (PCRE2, to be compiled caseless) matching every
 * rank spelling of the table with its prefixes, longest first; no groups.
 * A static string.
 */
const char *rank_pattern(void);

#endif
