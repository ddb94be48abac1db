/* SPDX-License-Identifier: MIT */
/*
 * The loaded rule set as its callers see it: the accessors of
 * engine/rules.h and the freeing of rules, their patterns, field
 * references and entry specs (shared with the loader, which frees a rule
 * that failed to load, and with record conditions).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

/* ---- accessors ---- */

size_t ruleset_count(const struct ruleset *rs)
{
    return rs ? rs->n : 0;
}
const struct rule *ruleset_rule(const struct ruleset *rs, size_t i)
{
    return rs->rules[i];
}
const char *rule_id(const struct rule *r)
{
    return r->id;
}
const char *rule_title(const struct rule *r)
{
    return r->title;
}
const char *rule_message(const struct rule *r)
{
    return r->message;
}
const char *rule_path(const struct rule *r)
{
    return r->path;
}
enum rule_category rule_category(const struct rule *r)
{
    return r->category;
}
enum rule_level rule_level(const struct rule *r)
{
    return r->level;
}
enum rule_status rule_status(const struct rule *r)
{
    return r->status;
}
enum rule_check rule_check(const struct rule *r)
{
    return r->check;
}
enum record_type rule_type(const struct rule *r)
{
    return r->type;
}
size_t rule_index(const struct rule *r)
{
    return r->index;
}
size_t rule_nfields(const struct rule *r)
{
    return r->nfields;
}
const char *rule_field(const struct rule *r, size_t i)
{
    return r->fields[i];
}
size_t rule_nreferences(const struct rule *r)
{
    return r->nrefs;
}
const char *rule_reference(const struct rule *r, size_t i)
{
    return r->refs[i];
}

const struct rule *ruleset_find(const struct ruleset *rs, const char *id)
{
    size_t lo = 0, hi = rs->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(rs->rules[mid]->id, id);
        if (c == 0)
            return rs->rules[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- freeing ---- */

void pattern_release(struct pattern *p)
{
    pcre2_code_free(p->code);
    free(p->src);
    p->code = NULL;
    p->src = NULL;
}

void fieldref_release(struct fieldref *f)
{
    free(f->name);
    f->name = NULL;
}

void spec_release(struct entry_spec *e)
{
    size_t i;

    for (i = 0; i < e->nalt; i++)
        spec_release(&e->alt[i]);
    free(e->alt);
    e->alt = NULL;
    e->nalt = 0;
    free(e->concepts);
    e->concepts = NULL;
    pattern_release(&e->re);
    pf_starts_free(e->re_starts);
    e->re_starts = NULL;
    pf_starts_free(e->negate_starts);
    e->negate_starts = NULL;
    pattern_release(&e->exclude);
    pattern_release(&e->negate);
    pattern_release(&e->rank);
    fieldref_release(&e->from);
    fieldref_release(&e->to);
}

void rule_conditions_release(struct rule *r)
{
    size_t i;

    for (i = 0; i < r->nwhere; i++) {
        fieldref_release(&r->where[i].field);
        pattern_release(&r->where[i].re);
    }
    free(r->where);
    fieldref_release(&r->span.start);
    fieldref_release(&r->span.end);
    spec_release(&r->when);
    for (i = 0; i < r->nfields; i++)
        free(r->fields[i]);
    free(r->fields);
    free(r->need); /* names borrowed from fields */
}

void rule_free(struct rule *r)
{
    size_t i;

    if (!r)
        return;
    free(r->path);
    free(r->id);
    free(r->title);
    free(r->message);
    rule_conditions_release(r);
    spec_release(&r->when_not);
    spec_release(&r->entry);
    spec_release(&r->ifs);
    spec_release(&r->thens);
    fieldref_release(&r->start);
    for (i = 0; i < r->nstart_more; i++)
        fieldref_release(&r->start_more[i]);
    free(r->start_more);
    for (i = 0; i < r->nend; i++)
        fieldref_release(&r->end[i]);
    free(r->end);
    for (i = 0; i < r->nrefs; i++)
        free(r->refs[i]);
    free(r->refs);
    free(r);
}

void ruleset_free(struct ruleset *rs)
{
    size_t i;

    if (!rs)
        return;
    for (i = 0; i < rs->n; i++)
        rule_free(rs->rules[i]);
    free(rs->rules);
    for (i = 0; i < RT__COUNT; i++) {
        free(rs->by_type[i]);
        prefilter_free(rs->pf[i]);
    }
    lexicon_free(rs->lex);
    free(rs);
}

const char *ruleset_lexicon_path(const struct ruleset *rs)
{
    return rs && rs->lex ? rs->lex->path : NULL;
}

const char *ruleset_lexicon_version(const struct ruleset *rs)
{
    return rs && rs->lex ? rs->lex->version : NULL;
}

size_t ruleset_lexicon_unused(const struct ruleset *rs, ruleset_unused_fn fn,
                              void *ctx)
{
    const struct lexicon *lx = rs && rs->lex_given ? rs->lex : NULL;
    size_t i, n = 0;

    if (!lx)
        return 0;
    for (i = 0; i < lx->nconcepts; i++)
        if (!lx->concepts[i].used) {
            n++;
            if (fn)
                fn(ctx, "concept", lx->concepts[i].name, lx->path,
                   lx->concepts[i].line, lx->concepts[i].col);
        }
    for (i = 0; i < lx->nmods; i++)
        if (!lx->mods[i].used) {
            n++;
            if (fn)
                fn(ctx, "modifier", lx->mods[i].name, lx->path,
                   lx->mods[i].line, lx->mods[i].col);
        }
    return n;
}
