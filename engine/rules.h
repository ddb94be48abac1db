/* SPDX-License-Identifier: MIT */
/*
 * Rule sets: loading YAML rule files (one rule per file) strictly, compiling
 * their patterns once with PCRE2 JIT, and read-only access to the result.
 * The rule format is documented for audit staff in docs/rule-format.md.
 *
 * Ownership: a struct ruleset owns everything it holds; it is immutable once
 * ruleset_load() returns, so one set can be shared by any number of threads,
 * each evaluating with its own struct engine_scratch (engine/engine.h).
 * Pointers returned by the accessors live as long as the set.
 */
#ifndef CA_RULES_H
#define CA_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/record.h"
#include "util/status.h"

enum rule_category {
    RC_INVESTIGATION = 0,
    RC_SUPERVISION,
    RC_VICTIM_CARE,
    RC_RECORDING,
    RC__COUNT
};

enum rule_level { RL_LOW = 0, RL_MEDIUM, RL_HIGH, RL__COUNT };

enum rule_status {
    RS_EXPERIMENTAL = 0,
    RS_TEST,
    RS_STABLE,
    RS_DEPRECATED,
    RS__COUNT
};

enum rule_check {
    CK_MUST_CONTAIN = 0,
    CK_MUST_NOT_CONTAIN,
    CK_MAX_GAP,
    CK_IF_THEN,
    CK__COUNT
};

/* Names as written in rule files ("victim-care", "high", "must_contain"). */
const char *rule_category_name(enum rule_category c);
const char *rule_level_name(enum rule_level l);
const char *rule_status_name(enum rule_status s);
const char *rule_check_name(enum rule_check k);
/* Returns 0 and sets *out, or -1 for an unknown name. */
int rule_level_parse(const char *name, enum rule_level *out);
int rule_category_parse(const char *name, enum rule_category *out);

struct rule;
struct ruleset;

/* Called once per problem found while loading (lint reports them all). */
typedef void (*ruleset_error_fn)(void *ctx, const struct ca_error *e);

struct ruleset_opts {
    /* When set, loading goes on after a bad file and every problem is
     * passed here; ruleset_load still returns CA_DATA at the end. */
    ruleset_error_fn on_error;
    void *ctx;
    /* Keep deprecated rules in the set (lint, test); check drops them. */
    bool keep_deprecated;
    /* The context lexicon to load; NULL: a file named lexicon.yaml among
     * the paths, else the shipped rules/lexicon.yaml (util/datadir.h). */
    const char *lexicon;
};

/*
 * Load rule files.  paths: files (any name) or directories (searched
 * recursively for *.yaml and *.yml, in sorted order).  Every rule is
 * validated and compiled, its inline examples run, and rule ids must be
 * unique across the set.  opts may be NULL.  On success *out is a new set
 * (caller frees with ruleset_free), rules sorted by id.  Errors: CA_DATA
 * for a bad rule file (err names file:line:col) or when no rule was found,
 * CA_SYSTEM for I/O or memory.  On failure *out is NULL.
 */
enum ca_status ruleset_load(const char *const *paths, size_t npaths,
                            const struct ruleset_opts *opts,
                            struct ruleset **out, struct ca_error *err);

/*
 * Load one rule from memory (name is used in messages); for the fuzzer and
 * tests.  Same checks and ownership as ruleset_load.
 */
enum ca_status ruleset_load_buffer(const char *name, const char *data,
                                   size_t len, const struct ruleset_opts *opts,
                                   struct ruleset **out, struct ca_error *err);

/* NULL-safe. */
void ruleset_free(struct ruleset *rs);

/* The lexicon the set was loaded with: its path and version, or NULL. */
const char *ruleset_lexicon_path(const struct ruleset *rs);
const char *ruleset_lexicon_version(const struct ruleset *rs);

/*
 * Call fn for every concept no rule of the set names (directly or through
 * another concept's include) and every modifier that can block no used
 * concept: kind is "concept" or "modifier", with where it is defined.
 * Returns how many.  Only a lexicon that came with the rules (a
 * lexicon.yaml among the paths, or opts.lexicon) is checked, not the
 * shipped one a user's few rules borrow: 0 then.
 */
typedef void (*ruleset_unused_fn)(void *ctx, const char *kind, const char *name,
                                  const char *path, unsigned long line,
                                  unsigned long col);
size_t ruleset_lexicon_unused(const struct ruleset *rs, ruleset_unused_fn fn,
                              void *ctx);

size_t ruleset_count(const struct ruleset *rs);
/* Rules in id order; i < ruleset_count(rs). */
const struct rule *ruleset_rule(const struct ruleset *rs, size_t i);
/* The rule with this id, or NULL. */
const struct rule *ruleset_find(const struct ruleset *rs, const char *id);

const char *rule_id(const struct rule *r);
const char *rule_title(const struct rule *r);
const char *rule_message(const struct rule *r);
const char *rule_path(const struct rule *r); /* file it came from */
enum rule_category rule_category(const struct rule *r);
enum rule_level rule_level(const struct rule *r);
enum rule_status rule_status(const struct rule *r);
enum rule_check rule_check(const struct rule *r);
enum record_type rule_type(const struct rule *r);
/* Position of the rule in its set (0-based, id order). */
size_t rule_index(const struct rule *r);
/* Fields the rule needs (from/to/start/end/where/span/fields, and log). */
size_t rule_nfields(const struct rule *r);
const char *rule_field(const struct rule *r, size_t i);
size_t rule_nreferences(const struct rule *r);
const char *rule_reference(const struct rule *r, size_t i);

/*
 * The pattern a `words` list becomes (see docs/rule-format.md): each word
 * or phrase escaped, a space or hyphen inside it matching any run of
 * spaces, hyphens and line breaks, \b added at an end that is a word
 * character, all joined as one non-capturing alternation.  Writes a
 * NUL-terminated pattern to out; returns its length, or -1 when it does not
 * fit in size bytes.
 */
long rule_words_pattern(const char *const *words, size_t n, char *out,
                        size_t size);

#endif
