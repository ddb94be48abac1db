/* SPDX-License-Identifier: MIT */
/*
 * Compiled record conditions; see condition.h.  A condition is a rule
 * without a check: its where conditions and its `entry` spec sit where a
 * rule's applies_to puts them, so that the loader (load_condition) and
 * the matcher (eval_condition) are the rule engine's own.
 */
#include "engine/condition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "util/datadir.h"

struct engine_condition {
    struct rule ru;             /* where, span, when (entry), fields */
    struct entry_spec no_entry; /* present: no entry may qualify */
    struct lexicon *own_lex;    /* the shipped lexicon, when no set lent one */
};

enum ca_status engine_condition_compile(struct ysrc *src, enum record_type t,
                                        const struct ruleset *rs,
                                        const struct engine_condition_spec *sp,
                                        struct engine_condition **out,
                                        struct ca_error *err)
{
    struct load_condition_nodes n;
    struct engine_condition *c;
    struct lexicon *lex = NULL;
    char shipped[4096];
    enum ca_status st;

    *out = NULL;
    c = calloc(1, sizeof(*c));
    if (!c)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    memset(&n, 0, sizeof(n));
    n.fields = sp->fields;
    n.where = sp->where;
    n.span = sp->span;
    n.entry = sp->entry;
    n.no_entry = sp->no_entry;
    n.fields_key = sp->fields_key ? sp->fields_key : "fields";
    n.where_key = sp->where_key ? sp->where_key : "where";
    n.entry_key = sp->entry_key ? sp->entry_key : "entry";
    n.no_entry_key = sp->no_entry_key ? sp->no_entry_key : "no_entry";
    if (rs && rs->lex) {
        /* the set's: marking a concept used is bookkeeping for lint */
        lex = (struct lexicon *)rs->lex;
    } else if (datadir_find("rules/lexicon.yaml", shipped, sizeof(shipped)) ==
               0) {
        st = lexicon_load(shipped, &c->own_lex, err);
        if (st != CA_OK) {
            engine_condition_free(c);
            return st;
        }
        lex = c->own_lex;
    }
    st = load_condition(src, t, lex, &n, &c->ru, &c->no_entry, err);
    if (st != CA_OK) {
        engine_condition_free(c);
        return st;
    }
    *out = c;
    return CA_OK;
}

void engine_condition_free(struct engine_condition *c)
{
    if (!c)
        return;
    load_condition_release(&c->ru, &c->no_entry);
    lexicon_free(c->own_lex);
    free(c);
}

enum record_type engine_condition_type(const struct engine_condition *c)
{
    return c->ru.type;
}

bool engine_condition_empty(const struct engine_condition *c)
{
    return c->ru.nwhere == 0 && !c->ru.span.present && !c->ru.when.present &&
           !c->no_entry.present;
}

size_t engine_condition_nfields(const struct engine_condition *c)
{
    return c->ru.nfields;
}

const char *engine_condition_field(const struct engine_condition *c, size_t i)
{
    return c->ru.fields[i];
}

int engine_condition_eval_entries(const struct engine_condition *c,
                                  const struct record *r,
                                  const struct log_entry *e, size_t ne,
                                  struct engine_scratch *s, const char **why)
{
    int rc;

    *why = "";
    if (r->type != c->ru.type)
        return 0;
    rc = eval_condition(&c->ru, &c->no_entry, r, e, ne, NULL, s);
    if (rc < 0)
        *why = s->msg;
    return rc;
}

int engine_condition_eval(const struct engine_condition *c,
                          const struct record *r, struct engine_scratch *s,
                          const char **why)
{
    struct ca_error err = CA_ERROR_INIT;
    const char *problem = NULL;
    int rc;

    *why = "";
    if (r->type != c->ru.type)
        return 0;
    s->le.n = 0;
    if ((c->ru.when.present || c->no_entry.present) && record_has_log(r) &&
        record_log(r, &s->le, &err) != CA_OK) {
        snprintf(s->logerr, sizeof(s->logerr),
                 "the log could not be split: %.400s", err.msg);
        problem = s->logerr;
        s->le.n = 0;
    }
    rc = eval_condition(&c->ru, &c->no_entry, r, s->le.v, s->le.n, problem, s);
    if (rc < 0)
        *why = s->msg;
    return rc;
}
