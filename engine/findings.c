/* SPDX-License-Identifier: MIT */
/*
 * Findings writers (CSV and JSON Lines) and per-rule tallies; see
 * findings.h.  JSON strings are escaped by hand (the values are already
 * valid UTF-8 by the time they get here), which keeps writing a row free of
 * allocation.
 */
#include "engine/findings.h"

#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "util/findings_schema.h"

void findings_writer_init_rows(struct findings_writer *w, FILE *fp,
                               enum findings_format format, bool excerpts)
{
    memset(w, 0, sizeof(*w));
    w->fp = fp;
    w->format = format;
    w->excerpts = excerpts;
    csvw_init(&w->csv, fp);
}

void findings_writer_init(struct findings_writer *w, FILE *fp,
                          enum findings_format format, bool excerpts)
{
    findings_writer_init_rows(w, fp, format, excerpts);
    if (format == FF_CSV)
        csvw_row(&w->csv, findings_columns, FC__COUNT);
}

static void json_str(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");

    fputc('"', fp);
    for (; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", fp);
            break;
        case '\\':
            fputs("\\\\", fp);
            break;
        case '\n':
            fputs("\\n", fp);
            break;
        case '\r':
            fputs("\\r", fp);
            break;
        case '\t':
            fputs("\\t", fp);
            break;
        default:
            if (*p < 0x20 || *p == 0x7F)
                fprintf(fp, "\\u%04x", *p);
            else
                fputc(*p, fp);
        }
    }
    fputc('"', fp);
}

static void format_at(const struct engine_verdict *v, char out[24])
{
    out[0] = '\0';
    if (v->has_entry_at)
        eval_fmt_time(v->entry_at, v->entry_has_time, out);
}

void findings_write(struct findings_writer *w, const struct record *r,
                    const struct engine_verdict *v)
{
    char at[24];
    const char *vals[FC__COUNT];
    size_t i;

    format_at(v, at);
    vals[FC_FORCE] = r->force;
    vals[FC_TYPE] = record_type_name(r->type);
    vals[FC_ID] = r->id;
    vals[FC_RULE_ID] = rule_id(v->rule);
    vals[FC_CATEGORY] = rule_category_name(rule_category(v->rule));
    vals[FC_LEVEL] = rule_level_name(rule_level(v->rule));
    vals[FC_VERDICT] = findings_verdict_name(v->verdict);
    vals[FC_ENTRY_AT] = at;
    vals[FC_EXCERPT] = w->excerpts ? v->excerpt : "";
    vals[FC_MESSAGE] = v->message;
    if (w->format == FF_CSV) {
        csvw_row(&w->csv, vals, FC__COUNT);
    } else {
        fputc('{', w->fp);
        for (i = 0; i < FC__COUNT; i++) {
            if (i)
                fputc(',', w->fp);
            json_str(w->fp, findings_columns[i]);
            fputc(':', w->fp);
            json_str(w->fp, vals[i]);
        }
        fputs("}\n", w->fp);
    }
    w->rows++;
}

int findings_writer_finish(struct findings_writer *w)
{
    if (fflush(w->fp) != 0 || ferror(w->fp))
        return -1;
    return 0;
}

int findings_tally_init(struct findings_tally *t, const struct ruleset *rs)
{
    memset(t, 0, sizeof(*t));
    t->nrules = ruleset_count(rs);
    t->count = calloc(t->nrules ? t->nrules : 1, sizeof(*t->count));
    return t->count ? 0 : -1;
}

void findings_tally_add(struct findings_tally *t,
                        const struct engine_verdict *v)
{
    size_t i = rule_index(v->rule);

    if (i < t->nrules && (unsigned)v->verdict < V__COUNT)
        t->count[i][v->verdict]++;
}

void findings_tally_release(struct findings_tally *t)
{
    free(t->count);
    t->count = NULL;
    t->nrules = 0;
}

bool findings_tally_has_fail(const struct findings_tally *t,
                             const struct ruleset *rs, enum rule_level min)
{
    size_t i;

    for (i = 0; i < t->nrules; i++)
        if (t->count[i][V_FAIL] && rule_level(ruleset_rule(rs, i)) >= min)
            return true;
    return false;
}
