/* SPDX-License-Identifier: MIT */
/*
 * A compiled record condition: which records of a type are picked, written
 * exactly as a rule's `applies_to` picks the records it applies to
 * (docs/rule-format.md): `where` field conditions (a mapping, every one
 * must hold, or a list of mappings, any one of which must hold), a `span`
 * (a period between two date fields longer than so many days or months),
 * and a
 * log-entry spec `entry` (some entry qualifies) or `no_entry` (none does),
 * with regex, words, exclude, negate and rank.  Compiled by the rule
 * loader's own code and judged by the engine's own matcher, so that a
 * condition means the same wherever it is written: the frames of an audit
 * programme (audit/programme.h) use it.
 *
 * Ownership: engine_condition_compile returns a condition the caller
 * frees with engine_condition_free (NULL-safe); it is immutable and can
 * be shared by threads, each judging with its own struct engine_scratch.
 */
#ifndef CA_CONDITION_H
#define CA_CONDITION_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "ingest/record.h"
#include "util/status.h"
#include "util/yamltree.h"

struct engine_condition;

/* The YAML nodes of a condition (each NULL when absent) and the names
 * they go by in messages (e.g. "frame.where"; static strings). */
struct engine_condition_spec {
    const struct ynode *fields;   /* columns other than canonical fields */
    const struct ynode *where;    /* as applies_to.where */
    const struct ynode *span;     /* as applies_to.span */
    const struct ynode *entry;    /* as applies_to.entry: an entry must */
    const struct ynode *no_entry; /* the same spec: no entry may */
    const char *fields_key, *where_key, *entry_key, *no_entry_key;
};

/*
 * Compile the condition on records of type t from the nodes of src (a
 * parsed YAML file).  With no node at all the condition holds for every
 * record.  Log-entry specs may name the concepts of the context lexicon:
 * rs's (the condition then borrows it: rs must outlive the condition), or
 * with rs NULL the shipped rules/lexicon.yaml, which the condition keeps.  CA_DATA naming file:line:col as the rule loader does (an
 * unknown field with a did-you-mean, a bad regex at its character, a
 * pattern not in single quotes, ...); CA_SYSTEM when out of memory.
 */
struct ruleset;
enum ca_status engine_condition_compile(struct ysrc *src, enum record_type t,
                                        const struct ruleset *rs,
                                        const struct engine_condition_spec *sp,
                                        struct engine_condition **out,
                                        struct ca_error *err);

void engine_condition_free(struct engine_condition *c);

enum record_type engine_condition_type(const struct engine_condition *c);
/* Whether it is empty (holds for every record of its type). */
bool engine_condition_empty(const struct engine_condition *c);
/* The fields it reads ("log" for an entry spec), i < nfields. */
size_t engine_condition_nfields(const struct engine_condition *c);
const char *engine_condition_field(const struct engine_condition *c, size_t i);

/*
 * Whether record r (of the condition's type) meets it: 1 yes, 0 no, -1 it
 * cannot be judged (the record lacks a field it reads, the log cannot be
 * split or is not UTF-8, a pattern hits a match limit), with *why set to
 * a message valid until the next call with s.  The log is split with
 * record_log() into s.  A record of another type gives 0.
 */
int engine_condition_eval(const struct engine_condition *c,
                          const struct record *r, struct engine_scratch *s,
                          const char **why);

/* As engine_condition_eval with r's log already split (entries borrowed,
 * as record_log() gave them). */
int engine_condition_eval_entries(const struct engine_condition *c,
                                  const struct record *r,
                                  const struct log_entry *e, size_t ne,
                                  struct engine_scratch *s, const char **why);

#endif
