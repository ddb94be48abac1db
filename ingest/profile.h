/* SPDX-License-Identifier: MIT */
/*
 * Profiles: how an export's columns map onto the canonical record model.
 * A profile is YAML (see docs/profile-format.md and the files in profiles/);
 * the built-in ones (canonical, police-uk) are compiled into the binary.  A
 * profile names, per canonical field, the column(s) that hold it
 * (synonyms, matched case-insensitively), date formats, flag values, the
 * case-log entry-header regex, the record type, required fields, a
 * fallback force column, and derived fields (a value mapped from another
 * field, e.g. offence_group from the police-uk crime type).
 *
 * Ownership: profile_load returns a profile the caller frees with
 * profile_free.  A loaded profile is read-only and may be shared between
 * threads.
 */
#ifndef CA_PROFILE_H
#define CA_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/internal.h"
#include "ingest/record.h"
#include "util/status.h"

struct profile_derive {
    enum cf target; /* the field to fill when its column is absent */
    enum cf from;   /* the field whose value is looked up */
    char **keys;    /* matched case-insensitively */
    char **values;
    size_t n;
    char *fallback; /* value when no key matches (NULL: keep empty) */
};

struct profile {
    char *name;
    char *origin; /* "built-in" or the file path */
    char *description;
    enum record_type type; /* RT_UNKNOWN: detected from the header */
    char **detect;         /* columns that pick this profile automatically */
    size_t ndetect;
    char **columns[CF__COUNT]; /* synonyms per canonical field */
    size_t ncolumns[CF__COUNT];
    /* a field mapped by position: its 1-based column number, 0 when the
     * field is found by name (what resolves a name repeated in a header) */
    unsigned position[CF__COUNT];
    char *date_format; /* all date fields; NULL = ISO or UK */
    char *date_formats[CF__COUNT];
    char **yes, **no; /* extra flag values */
    size_t nyes, nno;
    bool has_entry_regex;
    struct entry_regex entry_regex;
    char *entry_date_format;
    enum cf required[CF__COUNT];
    size_t nrequired;
    char *force_fallback; /* column slugged into a force when none */
    char **force_strip;   /* suffixes removed before slugging */
    size_t nforce_strip;
    struct profile_derive *derive;
    size_t nderive;
};

/*
 * Load a profile: a built-in name ("canonical", "police-uk") or a path to a
 * YAML file.  Returns CA_OK and sets *out, or CA_USAGE with err naming
 * file:line:col for a bad profile, CA_SYSTEM when the file cannot be read.
 */
enum ca_status profile_load(const char *name_or_path, struct profile **out,
                            struct ca_error *err);
/* Load from YAML text; origin names it in errors. */
enum ca_status profile_load_text(const char *text, size_t len,
                                 const char *origin, struct profile **out,
                                 struct ca_error *err);
void profile_free(struct profile *p);

/* Names of the built-in profiles, NULL-terminated. */
const char *const *profile_builtin_names(void);

/* Whether every detect column of p is in the header (false when p has
 * none). */
bool profile_detects(const struct profile *p, const char *const *names,
                     size_t n);

/* Column index for field f in the header, or -1: the column the profile
 * maps it to by position (-1 when the header is shorter), else the
 * profile's synonyms first, then a column named like the field
 * (case-insensitive).  A NULL name (a column set aside) never matches. */
int profile_column(const struct profile *p, enum cf f, const char *const *names,
                   size_t n);

/* Slug of a force name: lower case, runs of other characters to '-',
 * after removing the profile's force_strip suffixes. */
void profile_force_slug(const struct profile *p, const char *name, char *out,
                        size_t size);

#endif
