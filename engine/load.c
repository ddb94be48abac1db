/* SPDX-License-Identifier: MIT */
/*
 * Rule loading: one YAML file, one rule, checked strictly against the
 * format of docs/rule-format.md, and compiled; rule files and directories
 * gathered into a rule set with its lexicon.  Every problem is an error
 * naming file:line:col, so that audit staff can fix a rule from the
 * message alone.  The toolkit this shares with the spec, pattern and
 * lexicon loaders is in engine/loadkit.c.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/internal.h"
#include "ingest/rank.h"
#include "util/datadir.h"
#include "util/suggest.h"

#define MAX_RULE_FILE (1024 * 1024)

/* ---- names ---- */

static const char *const category_names[RC__COUNT] = {
    "investigation", "supervision", "victim-care", "recording"};
static const char *const level_names[RL__COUNT] = {"low", "medium", "high"};
static const char *const status_names[RS__COUNT] = {"experimental", "test",
                                                    "stable", "deprecated"};
static const char *const check_names[CK__COUNT] = {
    "must_contain", "must_not_contain", "max_gap", "if_then"};

const char *rule_category_name(enum rule_category c)
{
    return (unsigned)c < RC__COUNT ? category_names[c] : "?";
}

const char *rule_level_name(enum rule_level l)
{
    return (unsigned)l < RL__COUNT ? level_names[l] : "?";
}

const char *rule_status_name(enum rule_status s)
{
    return (unsigned)s < RS__COUNT ? status_names[s] : "?";
}

const char *rule_check_name(enum rule_check k)
{
    return (unsigned)k < CK__COUNT ? check_names[k] : "?";
}

int rule_level_parse(const char *name, enum rule_level *out)
{
    int i = name_index(level_names, RL__COUNT, name);

    if (i < 0)
        return -1;
    *out = (enum rule_level)i;
    return 0;
}

int rule_category_parse(const char *name, enum rule_category *out)
{
    int i = name_index(category_names, RC__COUNT, name);

    if (i < 0)
        return -1;
    *out = (enum rule_category)i;
    return 0;
}

/* ---- examples ---- */

static enum ca_status run_examples(struct ld *ld, const struct ynode *n)
{
    static const char *const keys[] = {"flag", "pass"};
    struct engine_params p = {0};
    struct log_entries le;
    struct ca_error e2 = CA_ERROR_INIT;
    enum ca_status st;
    size_t k, i;

    if ((st = want_kind(ld, n, YN_MAP, "examples")) != CA_OK)
        return st;
    if ((st = check_keys(ld, n, keys, 2, "'examples'")) != CA_OK)
        return st;
    if (ld->ru->check == CK_MAX_GAP && !ld->ru->entry.present)
        return lerr(ld, n,
                    "'examples' need an 'entry' pattern to test "
                    "(this max_gap rule compares date fields only)");
    log_entries_init(&le);
    for (k = 0; k < 2; k++) {
        const struct ynode *list = map_get(n, keys[k]);
        char key[32];

        if (!list)
            continue;
        snprintf(key, sizeof(key), "examples.%s", keys[k]);
        if ((st = want_kind(ld, list, YN_SEQ, key)) != CA_OK)
            goto out;
        for (i = 0; i < list->nkids; i++) {
            const struct ynode *ex = list->kids[i];
            struct engine_verdict v;
            bool applies;

            if (ex->kind != YN_SCALAR || ex->len == 0) {
                st = lerr(ld, ex, "each item of '%s' must be a case log text",
                          key);
                goto out;
            }
            st = log_split(ex->val, ex->len, true, &le, &e2);
            if (st != CA_OK) {
                st = lerr(ld, ex, "example: %s", e2.msg);
                goto out;
            }
            memset(&v, 0, sizeof(v));
            if (!context_begin(ld->s, le.v, le.n)) {
                st = oom(ld);
                goto out;
            }
            applies = eval_rule(ld->ru, NULL, le.v, le.n, NULL, &p, ld->s, &v);
            if (applies && v.verdict == V_ERROR) {
                st = lerr(ld, ex, "example gives an error: %s", v.message);
                goto out;
            }
            if (k == 0 && (!applies || v.verdict != V_FAIL)) {
                st = lerr(ld, ex,
                          "example listed under 'flag' is not flagged: %s",
                          applies ? "the rule passes it"
                                  : "the rule does not apply to it");
                goto out;
            }
            if (k == 1 && applies && v.verdict != V_PASS) {
                st = lerr(ld, ex, "example listed under 'pass' is flagged: %s",
                          v.message);
                goto out;
            }
        }
    }
    st = CA_OK;
out:
    log_entries_release(&le);
    return st;
}

/* ---- one rule ---- */

static bool valid_id(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > 64 || !isalpha((unsigned char)s[0]))
        return false;
    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' &&
            s[i] != '.')
            return false;
    return true;
}

/* The top-level keys: known, and the required ones present. */
static enum ca_status rule_check_top(struct ld *ld, const struct ynode *root)
{
    static const char *const top[] = {
        "id",      "title",      "description", "category", "level",
        "status",  "applies_to", "check",       "entry",    "if",
        "then",    "start",      "end",         "max_days", "max_hours",
        "message", "references", "examples",    "unicode",  "case_sensitive",
        "fields"};
    static const char *const required[] = {"id",    "title",   "category",
                                           "level", "status",  "applies_to",
                                           "check", "message", "references"};
    enum ca_status st;
    size_t i;

    if (!root)
        return lerr(ld, NULL, "empty rule file");
    if (root->kind != YN_MAP)
        return lerr(ld, root,
                    "a rule file must be a mapping of keys (id:, title:, ...)");
    if ((st = check_keys(ld, root, top, sizeof(top) / sizeof(*top),
                         "a rule")) != CA_OK)
        return st;
    for (i = 0; i < sizeof(required) / sizeof(*required); i++)
        if (!map_get(root, required[i]))
            return lerr(ld, root, "missing required key '%s'", required[i]);
    return CA_OK;
}

/* id, title, description, message. */
static enum ca_status rule_get_texts(struct ld *ld, const struct ynode *root)
{
    struct rule *ru = ld->ru;
    const struct ynode *v = map_get(root, "id");
    enum ca_status st;

    if ((st = get_string(ld, v, "id", &ru->id)) != CA_OK)
        return st;
    ru->id_line = v->line;
    ru->id_col = v->col;
    if (!valid_id(ru->id, strlen(ru->id)))
        return lerr(ld, v,
                    "'id' must start with a letter and hold only letters, "
                    "digits, '-', '_' and '.' (at most 64), not '%.80s'",
                    ru->id);
    if ((st = get_string(ld, map_get(root, "title"), "title", &ru->title)) !=
        CA_OK)
        return st;
    if ((v = map_get(root, "description")) &&
        (st = want_kind(ld, v, YN_SCALAR, "description")) != CA_OK)
        return st;
    return get_string(ld, map_get(root, "message"), "message", &ru->message);
}

/* category, level, status, check, unicode, case_sensitive. */
static enum ca_status rule_get_kinds(struct ld *ld, const struct ynode *root)
{
    struct rule *ru = ld->ru;
    const struct ynode *v;
    enum ca_status st;
    int x;

    if ((st = get_enum(ld, map_get(root, "category"), "category",
                       category_names, RC__COUNT, &x)) != CA_OK)
        return st;
    ru->category = (enum rule_category)x;
    if ((st = get_enum(ld, map_get(root, "level"), "level", level_names,
                       RL__COUNT, &x)) != CA_OK)
        return st;
    ru->level = (enum rule_level)x;
    if ((st = get_enum(ld, map_get(root, "status"), "status", status_names,
                       RS__COUNT, &x)) != CA_OK)
        return st;
    ru->status = (enum rule_status)x;
    if ((st = get_enum(ld, map_get(root, "check"), "check", check_names,
                       CK__COUNT, &x)) != CA_OK)
        return st;
    ru->check = (enum rule_check)x;
    if ((v = map_get(root, "unicode")) &&
        (st = get_bool(ld, v, "unicode", &ru->unicode)) != CA_OK)
        return st;
    if ((v = map_get(root, "case_sensitive")) &&
        (st = get_bool(ld, v, "case_sensitive", &ru->case_sensitive)) != CA_OK)
        return st;
    return CA_OK;
}

/* references: at least one. */
static enum ca_status rule_get_refs(struct ld *ld, const struct ynode *v)
{
    struct rule *ru = ld->ru;
    enum ca_status st;
    size_t i;

    if ((st = want_kind(ld, v, YN_SEQ, "references")) != CA_OK)
        return st;
    if (v->nkids == 0)
        return lerr(ld, v, "'references' must cite at least one standard");
    ru->refs = calloc(v->nkids, sizeof(*ru->refs));
    if (!ru->refs)
        return oom(ld);
    for (i = 0; i < v->nkids; i++) {
        if ((st = get_string(ld, v->kids[i], "references", &ru->refs[i])) !=
            CA_OK)
            return st;
        ru->nrefs++;
    }
    return CA_OK;
}

/* No key of another check kind (start: only with max_gap, ...). */
static enum ca_status rule_check_kind_keys(struct ld *ld,
                                           const struct ynode *root)
{
    static const char *const only_gap[] = {"start", "end", "max_days",
                                           "max_hours"};
    static const char *const only_if[] = {"if", "then"};
    struct rule *ru = ld->ru;
    const struct ynode *v;
    size_t i;

    for (i = 0; i < 4; i++)
        if (ru->check != CK_MAX_GAP && (v = map_get(root, only_gap[i])))
            return lerr(ld, v, "'%s' belongs to check max_gap, not %s",
                        only_gap[i], check_names[ru->check]);
    for (i = 0; i < 2; i++)
        if (ru->check != CK_IF_THEN && (v = map_get(root, only_if[i])))
            return lerr(ld, v, "'%s' belongs to check if_then, not %s",
                        only_if[i], check_names[ru->check]);
    if (ru->check == CK_IF_THEN && (v = map_get(root, "entry")))
        return lerr(ld, v, "check if_then takes 'if' and 'then', not 'entry'");
    return CA_OK;
}

/* max_gap's start: one date field, or the first of 1 to 4 that holds one. */
static enum ca_status gap_get_start(struct ld *ld, const struct ynode *v)
{
    struct rule *ru = ld->ru;
    enum ca_status st;
    size_t i;

    if (v->kind != YN_SEQ)
        return get_field(ld, v, "start", true, &ru->start);
    if (v->nkids == 0 || v->nkids > 4)
        return lerr(ld, v, "'start' must list 1 to 4 date fields");
    if ((st = get_field(ld, v->kids[0], "start", true, &ru->start)) != CA_OK)
        return st;
    ru->start_more = calloc(v->nkids, sizeof(*ru->start_more));
    if (!ru->start_more)
        return oom(ld);
    for (i = 1; i < v->nkids; i++) {
        if ((st = get_field(ld, v->kids[i], "start", true,
                            &ru->start_more[i - 1])) != CA_OK)
            return st;
        ru->nstart_more++;
    }
    return CA_OK;
}

/* max_gap's end: one date field or a list of 1 to 8. */
static enum ca_status gap_get_end(struct ld *ld, const struct ynode *v)
{
    struct rule *ru = ld->ru;
    const struct ynode *const *items = &v;
    enum ca_status st;
    size_t n = 1, i;

    if (v->kind == YN_SEQ) {
        items = (const struct ynode *const *)v->kids;
        n = v->nkids;
        if (n == 0 || n > 8)
            return lerr(ld, v, "'end' must list 1 to 8 date fields");
    }
    ru->end = calloc(n, sizeof(*ru->end));
    if (!ru->end)
        return oom(ld);
    for (i = 0; i < n; i++) {
        if ((st = get_field(ld, items[i], "end", true, &ru->end[i])) != CA_OK)
            return st;
        ru->nend++;
    }
    return CA_OK;
}

static enum ca_status load_gap(struct ld *ld, const struct ynode *root)
{
    struct rule *ru = ld->ru;
    const struct ynode *v, *d = map_get(root, "max_days"),
                           *h = map_get(root, "max_hours");
    enum ca_status st;

    if ((v = map_get(root, "entry")) &&
        (st = get_entry(ld, v, SK_GAP, &ru->entry)) != CA_OK)
        return st;
    if (!(v = map_get(root, "start")))
        return lerr(ld, root,
                    "check max_gap needs 'start' (the date field the "
                    "first gap runs from)");
    if ((st = gap_get_start(ld, v)) != CA_OK)
        return st;
    if ((v = map_get(root, "end")) && (st = gap_get_end(ld, v)) != CA_OK)
        return st;
    if (!d == !h)
        return lerr(ld, root,
                    "check max_gap needs one of 'max_days' or 'max_hours'");
    ru->gap_hours = h != NULL;
    return get_int(ld, d ? d : h, d ? "max_days" : "max_hours", 0,
                   d ? LOAD_MAX_WINDOW : LOAD_MAX_WINDOW * 24, &ru->gap_n);
}

/* What the check kind reads: entry, start/end/max_*, or if/then. */
static enum ca_status load_check(struct ld *ld, const struct ynode *root)
{
    struct rule *ru = ld->ru;
    const struct ynode *v;
    enum ca_status st;

    switch (ru->check) {
    case CK_MUST_CONTAIN:
    case CK_MUST_NOT_CONTAIN:
        if (!(v = map_get(root, "entry")))
            return lerr(ld, root,
                        "check %s needs 'entry' (what a qualifying log "
                        "entry looks like)",
                        check_names[ru->check]);
        return get_entry(ld, v, SK_ENTRY, &ru->entry);
    case CK_MAX_GAP:
        return load_gap(ld, root);
    case CK_IF_THEN:
        if (!(v = map_get(root, "if")))
            return lerr(
                ld, root,
                "check if_then needs 'if' (the entry that triggers it)");
        if ((st = get_spec(ld, v, "if", SK_IF, &ru->ifs)) != CA_OK)
            return st;
        if (!(v = map_get(root, "then")))
            return lerr(ld, root,
                        "check if_then needs 'then' (the entry it requires)");
        return get_spec(ld, v, "then", SK_THEN, &ru->thens);
    default:
        break;
    }
    return CA_OK;
}

static enum ca_status load_rule(struct ld *ld, const struct ynode *root)
{
    const struct ynode *v, *applies;
    enum ca_status st;

    if ((st = rule_check_top(ld, root)) != CA_OK ||
        (st = rule_get_texts(ld, root)) != CA_OK ||
        (st = rule_get_kinds(ld, root)) != CA_OK ||
        (st = rule_get_refs(ld, map_get(root, "references"))) != CA_OK)
        goto out;
    applies = map_get(root, "applies_to");
    if ((st = get_applies(ld, applies)) != CA_OK)
        goto out;
    if ((v = map_get(root, "fields")) &&
        (st = add_fields(ld, v, "fields")) != CA_OK)
        goto out;
    if ((st = get_applies_conditions(ld, applies)) != CA_OK ||
        (st = rule_check_kind_keys(ld, root)) != CA_OK ||
        (st = load_check(ld, root)) != CA_OK ||
        (st = finish_fields(ld)) != CA_OK)
        goto out;
    if ((v = map_get(root, "examples")))
        st = run_examples(ld, v);
out:
    return st;
}

static enum ca_status load_text(const char *path, const char *text, size_t len,
                                struct engine_scratch *s, struct lexicon *lex,
                                bool lex_failed, struct rule **out,
                                struct ca_error *err)
{
    struct ysrc src = {path, text, len, NULL, 0, NULL};
    struct ynode *root = NULL;
    struct ld ld;
    enum ca_status st;

    *out = NULL;
    ld.src = &src;
    ld.path = path;
    ld.err = err;
    ld.s = s;
    ld.lex = lex;
    ld.where_key = "applies_to.where";
    ld.lex_failed = lex_failed;
    ld.ru = calloc(1, sizeof(*ld.ru));
    if (!ld.ru)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    ld.ru->lex = lex;
    ld.ru->path = strdup(path);
    if (!ld.ru->path) {
        st = oom(&ld);
        goto out;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        /* a UTF-8 byte order mark: libyaml accepts it */
    }
    st = ytree_parse(&src, &root, err);
    if (st != CA_OK)
        goto out;
    st = load_rule(&ld, root);
out:
    ytree_free(root);
    ysrc_release(&src);
    if (st != CA_OK) {
        rule_free(ld.ru);
        return st;
    }
    *out = ld.ru;
    return CA_OK;
}

/* ---- files and sets ---- */

struct pathlist {
    char **v;
    size_t n, alloc;
};

static int pathlist_add(struct pathlist *pl, const char *p)
{
    if (pl->n == pl->alloc) {
        size_t cap = pl->alloc ? pl->alloc * 2 : 16;
        char **v = realloc(pl->v, cap * sizeof(*v));
        if (!v)
            return -1;
        pl->v = v;
        pl->alloc = cap;
    }
    pl->v[pl->n] = strdup(p);
    if (!pl->v[pl->n])
        return -1;
    pl->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool yaml_name(const char *name)
{
    size_t n = strlen(name);

    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static enum ca_status walk(const char *dir, struct pathlist *pl, int depth,
                           struct ca_error *err)
{
    DIR *d;
    struct dirent *de;
    struct pathlist here = {NULL, 0, 0};
    enum ca_status st = CA_OK;
    size_t i;

    if (depth > 16)
        return ca_error_set(err, CA_DATA, dir, 0, NULL,
                            "directories nested too deep");
    d = opendir(dir);
    if (!d)
        return ca_error_set(err, CA_DATA, dir, 0, NULL,
                            "unable to open directory: %s", strerror(errno));
    while ((de = readdir(d))) {
        char p[4096];
        if (de->d_name[0] == '.')
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
        if (pathlist_add(&here, p) != 0) {
            st = ca_error_set(err, CA_SYSTEM, dir, 0, NULL, "out of memory");
            break;
        }
    }
    closedir(d);
    if (st == CA_OK && here.n > 1) /* qsort's pointer must not be NULL */
        qsort(here.v, here.n, sizeof(*here.v), cmp_str);
    for (i = 0; i < here.n && st == CA_OK; i++) {
        struct stat sb;
        const char *base = strrchr(here.v[i], '/') + 1;

        if (stat(here.v[i], &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            st = walk(here.v[i], pl, depth + 1, err);
        else if (S_ISREG(sb.st_mode) && yaml_name(base) &&
                 pathlist_add(pl, here.v[i]) != 0)
            st = ca_error_set(err, CA_SYSTEM, dir, 0, NULL, "out of memory");
    }
    for (i = 0; i < here.n; i++)
        free(here.v[i]);
    free(here.v);
    return st;
}

static enum ca_status read_file(const char *path, char **text, size_t *len,
                                struct ca_error *err)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    size_t n;

    *text = NULL;
    if (!fp)
        return ca_error_set(err, CA_DATA, path, 0, NULL, "unable to open: %s",
                            strerror(errno));
    buf = malloc(MAX_RULE_FILE + 1);
    if (!buf) {
        fclose(fp);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    }
    n = fread(buf, 1, MAX_RULE_FILE + 1, fp);
    if (ferror(fp)) {
        int e = errno;
        fclose(fp);
        free(buf);
        return ca_error_set(err, CA_DATA, path, 0, NULL, "unable to read: %s",
                            strerror(e));
    }
    fclose(fp);
    if (n > MAX_RULE_FILE) {
        free(buf);
        return ca_error_set(err, CA_DATA, path, 0, NULL,
                            "rule file larger than %d bytes", MAX_RULE_FILE);
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return CA_OK;
}

static int cmp_rule(const void *a, const void *b)
{
    const struct rule *x = *(const struct rule *const *)a;
    const struct rule *y = *(const struct rule *const *)b;
    int c = strcmp(x->id, y->id);

    return c ? c : strcmp(x->path, y->path);
}

struct builder {
    struct lexicon *lex; /* owned until finish_set hands it to the set */
    bool lex_failed;
    bool lex_given; /* found among the rule paths (or named in opts) */
    struct rule **v;
    size_t n, alloc;
    const struct ruleset_opts *opts;
    struct ca_error *err;
    enum ca_status worst;
    bool stop;
};

/* Record a problem: report it, keep the worst status, stop unless asked
 * to go on. */
static void problem(struct builder *b, enum ca_status st)
{
    if (b->worst == CA_OK || st == CA_SYSTEM)
        b->worst = st;
    if (b->opts && b->opts->on_error && st != CA_SYSTEM)
        b->opts->on_error(b->opts->ctx, b->err);
    else
        b->stop = true;
}

static void add_rule(struct builder *b, struct rule *r)
{
    if (!r)
        return;
    if (r->status == RS_DEPRECATED && !(b->opts && b->opts->keep_deprecated)) {
        rule_free(r);
        return;
    }
    if (b->n == b->alloc) {
        size_t cap = b->alloc ? b->alloc * 2 : 32;
        struct rule **v = realloc(b->v, cap * sizeof(*v));
        if (!v) {
            rule_free(r);
            ca_error_set(b->err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            problem(b, CA_SYSTEM);
            return;
        }
        b->v = v;
        b->alloc = cap;
    }
    b->v[b->n++] = r;
}

static enum ca_status finish_set(struct builder *b, struct ruleset **out)
{
    struct ruleset *rs;
    size_t i, t;

    if (b->n)
        qsort(b->v, b->n, sizeof(*b->v), cmp_rule);
    for (i = 1; i < b->n && !b->stop; i++)
        if (strcmp(b->v[i]->id, b->v[i - 1]->id) == 0) {
            ca_error_set(
                b->err, CA_DATA, b->v[i]->path, b->v[i]->id_line, NULL,
                "duplicate rule id '%s' (also in '%s'): ids are never reused",
                b->v[i]->id, b->v[i - 1]->path);
            ca_error_set_col(b->err, b->v[i]->id_col);
            problem(b, CA_DATA);
        }
    if (b->worst == CA_OK && b->n == 0) {
        ca_error_set(b->err, CA_DATA, NULL, 0, NULL, "no rules found");
        b->worst = CA_DATA;
    }
    if (b->worst != CA_OK)
        goto fail;
    rs = calloc(1, sizeof(*rs));
    if (!rs) {
        b->worst =
            ca_error_set(b->err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    rs->rules = b->v;
    rs->n = b->n;
    rs->lex = b->lex;
    rs->lex_given = b->lex_given;
    b->lex = NULL;
    b->v = NULL;
    for (i = 0; i < rs->n; i++)
        rs->rules[i]->index = i;
    for (t = 0; t < RT__COUNT; t++) {
        rs->by_type[t] = malloc((rs->n ? rs->n : 1) * sizeof(size_t));
        if (!rs->by_type[t]) {
            ruleset_free(rs);
            b->worst =
                ca_error_set(b->err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            goto fail;
        }
        for (i = 0; i < rs->n; i++)
            if ((size_t)rs->rules[i]->type == t)
                rs->by_type[t][rs->nby_type[t]++] = i;
    }
    for (i = 0; i < rs->n; i++) {
        spec_find_starts(&rs->rules[i]->when);
        spec_find_starts(&rs->rules[i]->when_not);
        spec_find_starts(&rs->rules[i]->entry);
        spec_find_starts(&rs->rules[i]->ifs);
        spec_find_starts(&rs->rules[i]->thens);
    }
    prefilter_build(rs);
    *out = rs;
    return CA_OK;
fail:
    for (i = 0; i < b->n && b->v; i++)
        rule_free(b->v[i]);
    free(b->v);
    b->v = NULL;
    lexicon_free(b->lex);
    b->lex = NULL;
    return b->worst;
}

static bool is_lexicon_name(const char *path)
{
    const char *base = strrchr(path, '/');

    base = base ? base + 1 : path;
    return strcmp(base, "lexicon.yaml") == 0 ||
           strcmp(base, "lexicon.yml") == 0;
}

/*
 * Load the lexicon into b: opts->lexicon, else the one file among files
 * named lexicon.yaml, else the shipped one when it can be found (a set
 * whose rules name no concept needs none).
 */
static void load_lexicon(struct builder *b, const struct pathlist *files)
{
    const char *path = b->opts ? b->opts->lexicon : NULL;
    char shipped[4096];
    size_t i;
    enum ca_status st;

    for (i = 0; !path && files && i < files->n; i++)
        if (is_lexicon_name(files->v[i]))
            path = files->v[i];
    b->lex_given = path != NULL;
    for (i = 0; files && i < files->n; i++)
        if (is_lexicon_name(files->v[i]) && files->v[i] != path &&
            (!b->opts || !b->opts->lexicon)) {
            ca_error_set(b->err, CA_DATA, files->v[i], 0, NULL,
                         "a second lexicon (the first is '%s'): a rule set "
                         "has one",
                         path);
            problem(b, CA_DATA);
            return;
        }
    if (!path) {
        if (datadir_find("rules/lexicon.yaml", shipped, sizeof(shipped)) != 0)
            return;
        path = shipped;
    }
    st = lexicon_load(path, &b->lex, b->err);
    if (st != CA_OK) {
        b->lex_failed = true;
        problem(b, st);
    }
}

static struct engine_scratch *loader_scratch(struct ca_error *err)
{
    struct engine_scratch *s = engine_scratch_new(NULL);

    if (!s)
        ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    return s;
}

enum ca_status ruleset_load(const char *const *paths, size_t npaths,
                            const struct ruleset_opts *opts,
                            struct ruleset **out, struct ca_error *err)
{
    struct pathlist files = {NULL, 0, 0};
    struct builder b = {NULL, false, false, NULL,  0,
                        0,    opts,  err,   CA_OK, false};
    struct engine_scratch *s;
    enum ca_status st;
    size_t i;

    *out = NULL;
    s = loader_scratch(err);
    if (!s)
        return CA_SYSTEM;
    for (i = 0; i < npaths && !b.stop; i++) {
        struct stat sb;

        if (stat(paths[i], &sb) != 0) {
            ca_error_set(err, CA_DATA, paths[i], 0, NULL, "unable to open: %s",
                         strerror(errno));
            problem(&b, CA_DATA);
        } else if (S_ISDIR(sb.st_mode)) {
            size_t before = files.n;
            st = walk(paths[i], &files, 0, err);
            if (st != CA_OK)
                problem(&b, st);
            else if (files.n == before) {
                ca_error_set(err, CA_DATA, paths[i], 0, NULL,
                             "no rule files (*.yaml, *.yml) in this directory");
                problem(&b, CA_DATA);
            }
        } else if (pathlist_add(&files, paths[i]) != 0) {
            ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            problem(&b, CA_SYSTEM);
        }
    }
    if (!b.stop)
        load_lexicon(&b, &files);
    for (i = 0; i < files.n && !b.stop; i++) {
        char *text = NULL;
        size_t len = 0;
        struct rule *r = NULL;

        if (is_lexicon_name(files.v[i]))
            continue;
        st = read_file(files.v[i], &text, &len, err);
        if (st == CA_OK) {
            st = load_text(files.v[i], text, len, s, b.lex, b.lex_failed, &r,
                           err);
            free(text);
        }
        if (st != CA_OK)
            problem(&b, st);
        else
            add_rule(&b, r);
    }
    for (i = 0; i < files.n; i++)
        free(files.v[i]);
    free(files.v);
    engine_scratch_free(s);
    if (b.stop) {
        for (i = 0; i < b.n; i++)
            rule_free(b.v[i]);
        free(b.v);
        lexicon_free(b.lex);
        return b.worst;
    }
    return finish_set(&b, out);
}

enum ca_status ruleset_load_buffer(const char *name, const char *data,
                                   size_t len, const struct ruleset_opts *opts,
                                   struct ruleset **out, struct ca_error *err)
{
    struct builder b = {NULL, false, false, NULL,  0,
                        0,    opts,  err,   CA_OK, false};
    struct engine_scratch *s;
    struct rule *r = NULL;
    enum ca_status st;

    *out = NULL;
    if (len > MAX_RULE_FILE)
        return ca_error_set(err, CA_DATA, name, 0, NULL,
                            "rule file larger than %d bytes", MAX_RULE_FILE);
    load_lexicon(&b, NULL);
    if (b.stop)
        return b.worst;
    s = loader_scratch(err);
    if (!s) {
        lexicon_free(b.lex);
        return CA_SYSTEM;
    }
    st = load_text(name, data, len, s, b.lex, b.lex_failed, &r, err);
    engine_scratch_free(s);
    if (st != CA_OK) {
        lexicon_free(b.lex);
        return st;
    }
    add_rule(&b, r);
    return finish_set(&b, out);
}
