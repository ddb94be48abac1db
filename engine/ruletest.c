/* SPDX-License-Identifier: MIT */
/*
 * Rule regression tests against labelled fixtures; see ruletest.h.  This is
 * not a hot path: the runner keeps a copy of every verdict message of the
 * current row and one struct per label, which makes JUnit and TAP output a
 * simple walk afterwards.
 */
#include "engine/ruletest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct cur_verdict {
    bool applied;
    enum verdict v;
    char *msg;
};

struct ruletest {
    const struct ruleset *rs;
    struct ruletest_stat *stat;
    struct ruletest_case *cases;
    size_t n, alloc;
    uint64_t rows;
    bool oom;
    struct engine_scratch *s;
    struct log_entries le;
    struct cur_verdict *cur;
    char *noexpect_source; /* last file reported without an expect column */
    const struct ruleset *others; /* rules whose labels are left out */
    uint64_t left_out;            /* such labels */
};

const char *label_kind_name(enum label_kind k)
{
    static const char *const names[] = {"ruleid", "ok", "todoruleid", "todook"};

    return (unsigned)k < 4 ? names[k] : "?";
}

struct ruletest *ruletest_new(const struct ruleset *rs)
{
    struct ruletest *t = calloc(1, sizeof(*t));
    size_t n = ruleset_count(rs);

    if (!t)
        return NULL;
    t->rs = rs;
    t->stat = calloc(n ? n : 1, sizeof(*t->stat));
    t->cur = calloc(n ? n : 1, sizeof(*t->cur));
    t->s = engine_scratch_new(NULL);
    log_entries_init(&t->le);
    if (!t->stat || !t->cur || !t->s) {
        ruletest_free(t);
        return NULL;
    }
    return t;
}

static void clear_cur(struct ruletest *t)
{
    size_t i;

    for (i = 0; i < ruleset_count(t->rs); i++) {
        free(t->cur[i].msg);
        t->cur[i].msg = NULL;
        t->cur[i].applied = false;
    }
}

void ruletest_free(struct ruletest *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->n; i++) {
        free(t->cases[i].source);
        free(t->cases[i].id);
        free(t->cases[i].detail);
        free(t->cases[i].log);
    }
    free(t->cases);
    if (t->cur)
        clear_cur(t);
    free(t->cur);
    free(t->stat);
    engine_scratch_free(t->s);
    log_entries_release(&t->le);
    free(t->noexpect_source);
    free(t);
}

static char *xstrdup(struct ruletest *t, const char *s)
{
    char *d;

    if (!s)
        return NULL;
    d = strdup(s);
    if (!d)
        t->oom = true;
    return d;
}

static struct ruletest_case *new_case(struct ruletest *t)
{
    struct ruletest_case *c;

    if (t->n == t->alloc) {
        size_t na = t->alloc ? t->alloc * 2 : 64;
        c = realloc(t->cases, na * sizeof(*c));
        if (!c) {
            t->oom = true;
            return NULL;
        }
        t->cases = c;
        t->alloc = na;
    }
    c = &t->cases[t->n++];
    memset(c, 0, sizeof(*c));
    return c;
}

void ruletest_add_problem(struct ruletest *t, const char *source,
                          unsigned long line, const char *fmt, ...)
{
    struct ruletest_case *c = new_case(t);
    char msg[1200];
    va_list ap;

    if (!c)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    c->source = xstrdup(t, source);
    c->line = line;
    c->result = CR_PROBLEM;
    c->detail = xstrdup(t, msg);
}

static int on_verdict(void *ctx, const struct record *r,
                      const struct engine_verdict *v)
{
    struct ruletest *t = ctx;
    struct cur_verdict *cv = &t->cur[rule_index(v->rule)];
    char buf[1400];

    (void)r;
    cv->applied = true;
    cv->v = v->verdict;
    if (v->verdict == V_PASS && v->excerpt[0])
        snprintf(buf, sizeof(buf), "%s%s\"%s\"", v->message,
                 v->message[0] ? "; evidence " : "evidence ", v->excerpt);
    else
        snprintf(buf, sizeof(buf), "%s", v->message);
    cv->msg = xstrdup(t, buf);
    return 0;
}

/* The latest date among the record's date fields and log entries. */
static int64_t default_as_of(const struct record *r,
                             const struct log_entries *le)
{
    int64_t best = 0;
    bool any = false;
    size_t i;

    for (i = 0; i < CF__COUNT; i++)
        if (r->at_state[i] == DS_OK && (!any || r->at[i] > best)) {
            best = r->at[i];
            any = true;
        }
    for (i = 0; i < le->n; i++)
        if (le->v[i].has_at && (!any || le->v[i].at > best)) {
            best = le->v[i].at;
            any = true;
        }
    return cal_day_of(best) * 86400;
}

static char *fold_log(struct ruletest *t, const char *log)
{
    char buf[404];
    size_t o = 0;
    bool space = false;

    if (!log)
        return NULL;
    for (; *log && o < 300; log++) {
        unsigned char c = (unsigned char)*log;
        if (c <= ' ') {
            space = o > 0;
            continue;
        }
        if (space) {
            buf[o++] = ' ';
            space = false;
        }
        buf[o++] = (char)c;
    }
    if (*log) {
        /* do not cut a UTF-8 character in two */
        while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 0 && (unsigned char)buf[o - 1] >= 0xC0)
            o--;
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return xstrdup(t, buf);
}

static void check_label(struct ruletest *t, const struct record *r,
                        enum label_kind k, const struct rule *ru)
{
    struct ruletest_stat *st = &t->stat[rule_index(ru)];
    const struct cur_verdict *cv = &t->cur[rule_index(ru)];
    struct ruletest_case *c;
    bool flagged = cv->applied && cv->v == V_FAIL;
    bool error = cv->applied && cv->v == V_ERROR;
    const char *got = !cv->applied ? "no verdict (the rule does not apply)"
                                   : findings_verdict_name(cv->v);
    char msg[1600];

    c = new_case(t);
    if (!c)
        return;
    c->source = xstrdup(t, r->source);
    c->line = r->line;
    c->id = xstrdup(t, r->id);
    c->rule = ru;
    c->label = k;
    c->applied = cv->applied;
    c->got = cv->v;
    st->labels++;
    if (error)
        st->errors++;
    switch (k) {
    case LB_RULEID:
        c->result = flagged ? CR_OK : CR_MISS;
        if (flagged)
            st->tp++;
        else
            st->fn++;
        break;
    case LB_OK:
        c->result = flagged || error ? CR_MISS : CR_OK;
        if (flagged)
            st->fp++;
        else if (!error)
            st->tn++;
        break;
    case LB_TODORULEID:
        c->result = flagged ? CR_TODO_FIXED : CR_TODO;
        break;
    case LB_TODOOK:
        c->result = !flagged && !error ? CR_TODO_FIXED : CR_TODO;
        break;
    }
    if (c->result == CR_TODO)
        st->todo++;
    if (c->result == CR_TODO_FIXED)
        st->todo_fixed++;
    if (c->result != CR_OK) {
        snprintf(msg, sizeof(msg), "expected %s (%s:%s), got %s%s%s",
                 k == LB_RULEID || k == LB_TODORULEID ? "a flag" : "no flag",
                 label_kind_name(k), rule_id(ru), got,
                 cv->msg && cv->msg[0] ? ": " : "", cv->msg ? cv->msg : "");
        c->detail = xstrdup(t, msg);
        c->log = fold_log(t, record_get_named(r, "log"));
    }
}

enum ca_status ruletest_add_record(struct ruletest *t, const struct record *r)
{
    struct engine_params p;
    struct ca_error err = CA_ERROR_INIT;
    const char *expect, *s, *asof;
    size_t i;

    t->rows++;
    clear_cur(t);
    t->le.n = 0;
    if (record_log(r, &t->le, &err) != CA_OK) {
        ruletest_add_problem(t, r->source, r->line,
                             "the log cannot be split: %s", err.msg);
        return t->oom ? CA_SYSTEM : CA_OK;
    }
    memset(&p, 0, sizeof(p));
    asof = record_get_named(r, "as_of");
    if (asof && *asof) {
        int64_t secs;
        bool ht;
        if (date_parse(asof, strlen(asof), NULL, &secs, &ht) != 0) {
            ruletest_add_problem(t, r->source, r->line,
                                 "column 'as_of' is not a date: '%s'", asof);
            return t->oom ? CA_SYSTEM : CA_OK;
        }
        p.as_of = cal_day_of(secs) * 86400;
    } else {
        p.as_of = default_as_of(r, &t->le);
    }
    engine_eval_entries(t->rs, r, t->le.v, t->le.n, &p, t->s, on_verdict, t);
    expect = record_get_named(r, "expect");
    if (!expect) {
        if (!t->noexpect_source || strcmp(t->noexpect_source, r->source) != 0) {
            free(t->noexpect_source);
            t->noexpect_source = xstrdup(t, r->source);
            ruletest_add_problem(t, r->source, r->line,
                                 "fixture has no 'expect' column with labels");
        }
        return t->oom ? CA_SYSTEM : CA_OK;
    }
    for (s = expect; *s;) {
        char tok[200];
        size_t n = 0;
        const char *colon;
        enum label_kind k;
        const struct rule *ru;

        while (*s && (isspace((unsigned char)*s) || *s == ','))
            s++;
        if (!*s)
            break;
        while (s[n] && !isspace((unsigned char)s[n]) && s[n] != ',')
            n++;
        snprintf(tok, sizeof(tok), "%.*s", (int)(n < 199 ? n : 199), s);
        s += n;
        colon = strchr(tok, ':');
        if (!colon) {
            ruletest_add_problem(t, r->source, r->line,
                                 "bad label '%s': write "
                                 "ruleid:ID, ok:ID, todoruleid:ID or todook:ID",
                                 tok);
            continue;
        }
        if (strncmp(tok, "ruleid:", 7) == 0)
            k = LB_RULEID;
        else if (strncmp(tok, "ok:", 3) == 0)
            k = LB_OK;
        else if (strncmp(tok, "todoruleid:", 11) == 0)
            k = LB_TODORULEID;
        else if (strncmp(tok, "todook:", 7) == 0)
            k = LB_TODOOK;
        else {
            ruletest_add_problem(t, r->source, r->line,
                                 "bad label '%s': write "
                                 "ruleid:ID, ok:ID, todoruleid:ID or todook:ID",
                                 tok);
            continue;
        }
        if (k == LB_OK && strcmp(colon + 1, "*") == 0) {
            for (i = 0; i < ruleset_count(t->rs); i++) {
                ru = ruleset_rule(t->rs, i);
                if (rule_type(ru) == r->type &&
                    rule_status(ru) != RS_DEPRECATED)
                    check_label(t, r, LB_OK, ru);
            }
            continue;
        }
        ru = ruleset_find(t->rs, colon + 1);
        if (!ru && t->others && ruleset_find(t->others, colon + 1)) {
            t->left_out++;
            continue;
        }
        if (!ru) {
            ruletest_add_problem(t, r->source, r->line,
                                 "label '%s' names an unknown rule '%s'", tok,
                                 colon + 1);
            continue;
        }
        check_label(t, r, k, ru);
    }
    return t->oom ? CA_SYSTEM : CA_OK;
}

void ruletest_finish(struct ruletest *t)
{
    size_t i;
    bool ran = false;

    for (i = 0; i < ruleset_count(t->rs); i++) {
        const struct rule *ru = ruleset_rule(t->rs, i);

        if ((rule_status(ru) == RS_TEST || rule_status(ru) == RS_STABLE) &&
            t->stat[i].labels == 0)
            ruletest_add_problem(
                t, rule_path(ru), 0,
                "rule %s is %s but no fixture row is labelled for it",
                rule_id(ru), rule_status_name(rule_status(ru)));
    }
    for (i = 0; i < t->n; i++)
        if (t->cases[i].rule)
            ran = true;
    if (!ran)
        ruletest_add_problem(t, NULL, 0,
                             "nothing ran: no labelled fixture row");
}

void ruletest_leave_out(struct ruletest *t, const struct ruleset *others)
{
    t->others = others;
}

uint64_t ruletest_left_out(const struct ruletest *t)
{
    return t->left_out;
}

bool ruletest_failed(const struct ruletest *t)
{
    size_t i;

    if (t->oom)
        return true;
    for (i = 0; i < t->n; i++)
        if (t->cases[i].result == CR_MISS || t->cases[i].result == CR_PROBLEM)
            return true;
    return false;
}

size_t ruletest_ncases(const struct ruletest *t)
{
    return t->n;
}
const struct ruletest_case *ruletest_case_at(const struct ruletest *t, size_t i)
{
    return &t->cases[i];
}
const struct ruletest_stat *ruletest_stat_of(const struct ruletest *t, size_t i)
{
    return &t->stat[i];
}
uint64_t ruletest_rows(const struct ruletest *t)
{
    return t->rows;
}

static void case_where(const struct ruletest_case *c, char *out, size_t size)
{
    if (c->source && c->line)
        snprintf(out, size, "%s:%lu", c->source, c->line);
    else if (c->source)
        snprintf(out, size, "%s", c->source);
    else
        snprintf(out, size, "(fixtures)");
}

void ruletest_write_text(const struct ruletest *t, FILE *fp)
{
    size_t i;
    uint64_t checks = 0, miss = 0, todo = 0, fixed = 0, problems = 0;
    char where[700];

    fprintf(fp, "%-14s %-12s %5s %5s %5s %5s %5s %6s\n", "rule", "status", "TP",
            "FN", "TN", "FP", "todo", "errors");
    for (i = 0; i < ruleset_count(t->rs); i++) {
        const struct rule *ru = ruleset_rule(t->rs, i);
        const struct ruletest_stat *s = &t->stat[i];

        fprintf(fp, "%-14s %-12s %5llu %5llu %5llu %5llu %5llu %6llu\n",
                rule_id(ru), rule_status_name(rule_status(ru)),
                (unsigned long long)s->tp, (unsigned long long)s->fn,
                (unsigned long long)s->tn, (unsigned long long)s->fp,
                (unsigned long long)(s->todo + s->todo_fixed),
                (unsigned long long)s->errors);
    }
    for (i = 0; i < t->n; i++) {
        const struct ruletest_case *c = &t->cases[i];

        if (c->rule)
            checks++;
        case_where(c, where, sizeof(where));
        switch (c->result) {
        case CR_MISS:
            miss++;
            fprintf(fp, "FAIL %s %s %s: %s\n", where, c->id ? c->id : "",
                    rule_id(c->rule), c->detail ? c->detail : "");
            if (c->log)
                fprintf(fp, "     log: %s\n", c->log);
            break;
        case CR_PROBLEM:
            problems++;
            fprintf(fp, "FAIL %s: %s\n", where, c->detail ? c->detail : "");
            break;
        case CR_TODO:
            todo++;
            break;
        case CR_TODO_FIXED:
            fixed++;
            fprintf(fp, "FIXED %s %s %s: %s (promote the todo label)\n", where,
                    c->id ? c->id : "", rule_id(c->rule),
                    c->detail ? c->detail : "");
            break;
        default:
            break;
        }
    }
    fprintf(
        fp,
        "test: %llu rows, %llu checks, %llu failed, %llu problems, %llu todo, "
        "%llu todo now passing: %s\n",
        (unsigned long long)t->rows, (unsigned long long)checks,
        (unsigned long long)miss, (unsigned long long)problems,
        (unsigned long long)todo, (unsigned long long)fixed,
        ruletest_failed(t) ? "FAILED" : "ok");
}

static void tap_line(FILE *fp, const char *s)
{
    for (; s && *s; s++)
        fputc(*s == '\n' || *s == '#' ? ' ' : *s, fp);
}

void ruletest_write_tap(const struct ruletest *t, FILE *fp)
{
    size_t i;
    char where[700];

    fprintf(fp, "TAP version 13\n1..%zu\n", t->n);
    for (i = 0; i < t->n; i++) {
        const struct ruletest_case *c = &t->cases[i];
        bool ok = c->result != CR_MISS && c->result != CR_PROBLEM;

        case_where(c, where, sizeof(where));
        fprintf(fp, "%s %zu - ", ok ? "ok" : "not ok", i + 1);
        if (c->rule) {
            fprintf(fp, "%s %s:%s ", rule_id(c->rule),
                    label_kind_name(c->label), rule_id(c->rule));
            tap_line(fp, where);
            if (c->id) {
                fputc(' ', fp);
                tap_line(fp, c->id);
            }
        } else {
            tap_line(fp, where);
        }
        if (c->result == CR_TODO || c->result == CR_TODO_FIXED) {
            fputs(" # TODO ", fp);
            tap_line(fp, c->result == CR_TODO_FIXED
                             ? "now passes; promote the label"
                             : "known miss");
        }
        fputc('\n', fp);
        if (!ok && c->detail) {
            fputs("  ---\n  message: '", fp);
            for (const char *p = c->detail; *p; p++) {
                if (*p == '\'')
                    fputc('\'', fp);
                fputc(*p == '\n' ? ' ' : *p, fp);
            }
            fputs("'\n  ...\n", fp);
        }
    }
}

static void xml_text(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");

    for (; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", fp);
            break;
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        case '\'':
            fputs("&apos;", fp);
            break;
        case '\n':
            fputs("&#10;", fp);
            break;
        case '\t':
            fputs("&#9;", fp);
            break;
        default:
            if (*p < 0x20 || *p == 0x7F)
                fputc(' ', fp); /* not allowed in XML 1.0 */
            else
                fputc(*p, fp);
        }
    }
}

static void junit_case(FILE *fp, const struct ruletest_case *c,
                       const char *suite)
{
    char where[700];

    case_where(c, where, sizeof(where));
    fputs("    <testcase classname=\"", fp);
    xml_text(fp, suite);
    fputs("\" name=\"", fp);
    if (c->rule) {
        xml_text(fp, label_kind_name(c->label));
        fputc(' ', fp);
    }
    xml_text(fp, where);
    if (c->id) {
        fputc(' ', fp);
        xml_text(fp, c->id);
    }
    fputs("\" file=\"", fp);
    xml_text(fp, c->source ? c->source : "");
    fputs("\" time=\"0\"", fp);
    switch (c->result) {
    case CR_MISS:
    case CR_PROBLEM:
        fputs(">\n      <failure type=\"", fp);
        fputs(c->result == CR_MISS ? "miss" : "problem", fp);
        fputs("\" message=\"", fp);
        xml_text(fp, c->detail);
        fputs("\">", fp);
        xml_text(fp, c->detail);
        if (c->log) {
            fputs("&#10;log: ", fp);
            xml_text(fp, c->log);
        }
        fputs("</failure>\n    </testcase>\n", fp);
        break;
    case CR_TODO:
    case CR_TODO_FIXED:
        fputs(">\n      <skipped message=\"", fp);
        xml_text(fp, c->result == CR_TODO
                         ? "todo: known miss"
                         : "todo now passes; promote the label");
        fputs("\"/>\n    </testcase>\n", fp);
        break;
    default:
        fputs("/>\n", fp);
    }
}

void ruletest_write_junit(const struct ruletest *t, FILE *fp)
{
    size_t i, j, total = t->n, fails = 0, skipped = 0;

    for (i = 0; i < t->n; i++) {
        if (t->cases[i].result == CR_MISS || t->cases[i].result == CR_PROBLEM)
            fails++;
        if (t->cases[i].result == CR_TODO ||
            t->cases[i].result == CR_TODO_FIXED)
            skipped++;
    }
    fprintf(
        fp,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"caseaudit test\" tests=\"%zu\" failures=\"%zu\" "
        "errors=\"0\" skipped=\"%zu\">\n",
        total, fails, skipped);
    for (i = 0; i <= ruleset_count(t->rs); i++) {
        const struct rule *ru =
            i < ruleset_count(t->rs) ? ruleset_rule(t->rs, i) : NULL;
        size_t n = 0, f = 0, sk = 0;
        const char *name = ru ? rule_id(ru) : "fixtures";

        for (j = 0; j < t->n; j++) {
            const struct ruletest_case *c = &t->cases[j];
            if (c->rule != ru)
                continue;
            n++;
            f += c->result == CR_MISS || c->result == CR_PROBLEM;
            sk += c->result == CR_TODO || c->result == CR_TODO_FIXED;
        }
        if (!ru && n == 0)
            continue;
        fputs("  <testsuite name=\"", fp);
        xml_text(fp, name);
        fprintf(
            fp,
            "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" "
            "time=\"0\">\n",
            n, f, sk);
        for (j = 0; j < t->n; j++)
            if (t->cases[j].rule == ru)
                junit_case(fp, &t->cases[j], name);
        fputs("  </testsuite>\n", fp);
    }
    fputs("</testsuites>\n", fp);
}
