/* SPDX-License-Identifier: MIT */
/*
 * Rule loading: one YAML file, one rule, checked strictly against the
 * format of docs/rule-format.md, and compiled.  Every problem is an error
 * naming file:line:col (a bad regex points at the very character PCRE2
 * complains about, inside the quoted or block scalar), so that audit staff
 * can fix a rule from the message alone.
 *
 * Patterns (regex, exclude, negate, rank, where values) must be written in
 * single quotes or as block scalars: in double quotes YAML turns \b into a
 * backspace, and a plain `N` is read as "no" by other YAML tools.
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
#define MAX_PATTERN 8192
#define MAX_WORDS 500
#define MAX_WINDOW 3660

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

static int name_index(const char *const *names, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
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

static void fieldref_release(struct fieldref *f)
{
    free(f->name);
    f->name = NULL;
}

static void spec_release(struct entry_spec *e)
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
    pattern_release(&e->exclude);
    pattern_release(&e->negate);
    pattern_release(&e->rank);
    fieldref_release(&e->from);
    fieldref_release(&e->to);
}

static void rule_free(struct rule *r)
{
    size_t i;

    if (!r)
        return;
    free(r->path);
    free(r->id);
    free(r->title);
    free(r->message);
    for (i = 0; i < r->nwhere; i++) {
        fieldref_release(&r->where[i].field);
        pattern_release(&r->where[i].re);
    }
    free(r->where);
    fieldref_release(&r->span.start);
    fieldref_release(&r->span.end);
    spec_release(&r->when);
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
    for (i = 0; i < r->nfields; i++)
        free(r->fields[i]);
    free(r->fields);
    free(r->need); /* names borrowed from fields */
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

/* ---- loader context and errors ---- */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
enum ca_status
lerr(struct ld *ld, const struct ynode *n, const char *fmt, ...)
{
    va_list ap;
    char msg[900];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ca_error_set(ld->err, CA_DATA, ld->path, n ? n->line : 1, NULL, "%s", msg);
    ca_error_set_col(ld->err, n ? n->col : 1);
    return CA_DATA;
}

enum ca_status oom(struct ld *ld)
{
    return ca_error_set(ld->err, CA_SYSTEM, ld->path, 0, NULL, "out of memory");
}

/* "one of a, b, c" in out, and in sugg "; did you mean 'x'?" for a near
 * miss (else ""). */
static void one_of(char *out, size_t size, const char *const *names, size_t n,
                   const char *got, char sugg_out[96])
{
    size_t i, off = 0;
    unsigned best = 3;
    const char *sugg = NULL;
    int k;

    k = snprintf(out, size, "one of ");
    off = k > 0 ? (size_t)k : 0;
    for (i = 0; i < n && off < size; i++) {
        unsigned dist;

        k = snprintf(out + off, size - off, "%s%s", i ? ", " : "", names[i]);
        off += k > 0 ? (size_t)k : 0;
        dist = suggest_distance(got, names[i]);
        if (dist < best) {
            best = dist;
            sugg = names[i];
        }
    }
    sugg_out[0] = '\0';
    if (sugg)
        snprintf(sugg_out, 96, "; did you mean '%.60s'?", sugg);
}

const struct ynode *map_get(const struct ynode *m, const char *key)
{
    size_t i;

    for (i = 0; i + 1 < m->nkids; i += 2)
        if (strcmp(m->kids[i]->val, key) == 0)
            return m->kids[i + 1];
    return NULL;
}

enum ca_status check_keys(struct ld *ld, const struct ynode *m,
                          const char *const *allowed, size_t n,
                          const char *where)
{
    size_t i;
    char list[600], sugg[96];

    for (i = 0; i + 1 < m->nkids; i += 2) {
        const char *k = m->kids[i]->val;
        if (name_index(allowed, n, k) < 0) {
            one_of(list, sizeof(list), allowed, n, k, sugg);
            return lerr(ld, m->kids[i],
                        "unknown key '%.100s' in %s%s (expected %s)", k, where,
                        sugg, list);
        }
    }
    return CA_OK;
}

enum ca_status want_kind(struct ld *ld, const struct ynode *n,
                         enum ynode_kind kind, const char *key)
{
    static const char *const kn[] = {"a single value", "a list", "a mapping"};

    if (n->kind != kind)
        return lerr(ld, n, "'%s' must be %s, not %s", key, kn[kind],
                    kn[n->kind]);
    return CA_OK;
}

static enum ca_status get_string(struct ld *ld, const struct ynode *n,
                                 const char *key, char **out)
{
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    if (n->len == 0 || n->len > 2000)
        return lerr(ld, n,
                    "'%s' must be a non-empty text of at most 2000 bytes", key);
    *out = strdup(n->val);
    return *out ? CA_OK : oom(ld);
}

enum ca_status get_int(struct ld *ld, const struct ynode *n, const char *key,
                       long lo, long hi, int *out)
{
    char *end;
    long v;
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    errno = 0;
    v = strtol(n->val, &end, 10);
    if (n->style != YS_PLAIN || n->len == 0 || *end != '\0' || errno ||
        !isdigit((unsigned char)n->val[0]) || v < lo || v > hi)
        return lerr(ld, n,
                    "'%s' must be a whole number from %ld to %ld, not '%.60s'",
                    key, lo, hi, n->val);
    *out = (int)v;
    return CA_OK;
}

static enum ca_status get_bool(struct ld *ld, const struct ynode *n,
                               const char *key, bool *out)
{
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    if (n->style == YS_PLAIN && strcmp(n->val, "true") == 0)
        *out = true;
    else if (n->style == YS_PLAIN && strcmp(n->val, "false") == 0)
        *out = false;
    else
        return lerr(ld, n, "'%s' must be true or false, not '%.60s'", key,
                    n->val);
    return CA_OK;
}

enum ca_status get_enum(struct ld *ld, const struct ynode *n, const char *key,
                        const char *const *names, size_t nn, int *out)
{
    char list[400], sugg[96];
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    *out = name_index(names, nn, n->val);
    if (*out < 0) {
        one_of(list, sizeof(list), names, nn, n->val, sugg);
        return lerr(ld, n, "'%s' must be %s, not '%.60s'%s", key, list, n->val,
                    sugg);
    }
    return CA_OK;
}

/* ---- fields ---- */

static bool declared_field(const struct rule *ru, const char *name)
{
    size_t i;

    for (i = 0; i < ru->nfields; i++)
        if (strcmp(ru->fields[i], name) == 0)
            return true;
    return false;
}

static enum ca_status add_field(struct ld *ld, const char *name)
{
    struct rule *ru = ld->ru;
    char **f;

    if (declared_field(ru, name))
        return CA_OK;
    f = realloc(ru->fields, (ru->nfields + 1) * sizeof(*f));
    if (!f)
        return oom(ld);
    ru->fields = f;
    f[ru->nfields] = strdup(name);
    if (!f[ru->nfields])
        return oom(ld);
    ru->nfields++;
    return CA_OK;
}

/*
 * A field reference.  Canonical fields of the rule's record type are
 * known; any other column must be declared in `fields:` (so that a typo is
 * caught here, not as an error on every record).  date: must be a date.
 */
static enum ca_status get_field(struct ld *ld, const struct ynode *n,
                                const char *key, bool date,
                                struct fieldref *out)
{
    struct rule *ru = ld->ru;
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);
    int cf;

    if (st != CA_OK)
        return st;
    if (n->len == 0 || n->len > 100)
        return lerr(ld, n, "'%s' must name a field", key);
    cf = cf_lookup(n->val);
    if (cf >= 0 && !record_type_has_field(ru->type, (enum cf)cf))
        cf = -1;
    if (cf < 0 && !declared_field(ru, n->val)) {
        const char *names[CF__COUNT];
        char list[1200], sugg[96];
        size_t nn = 0, i;

        for (i = 0; i < CF__COUNT; i++)
            if (record_type_has_field(ru->type, (enum cf)i))
                names[nn++] = cf_name((enum cf)i);
        one_of(list, sizeof(list), names, nn, n->val, sugg);
        return lerr(ld, n,
                    "'%s': '%.100s' is not a field of %s records%s "
                    "(declare other export columns in 'fields:')",
                    key, n->val, record_type_name(ru->type), sugg);
    }
    if (date && cf >= 0 && cf_kind((enum cf)cf) != CFK_DATE)
        return lerr(ld, n, "'%s': '%.100s' is not a date field", key, n->val);
    out->name = strdup(n->val);
    if (!out->name)
        return oom(ld);
    out->cf = cf;
    return add_field(ld, n->val);
}

/* ---- patterns ---- */

static bool word_char(unsigned char c, bool unicode)
{
    return isalnum(c) || c == '_' || (unicode && c >= 0x80);
}

long words_pattern(const char *const *words, size_t n, bool unicode, char *out,
                   size_t size)
{
    size_t off = 0, i, j;

#define PUT(s, l)                                                              \
    do {                                                                       \
        if (off + (l) >= size)                                                 \
            return -1;                                                         \
        memcpy(out + off, (s), (l));                                           \
        off += (l);                                                            \
    } while (0)
    PUT("(?:", 3);
    for (i = 0; i < n; i++) {
        const unsigned char *w = (const unsigned char *)words[i];
        size_t len = strlen(words[i]);
        bool sep = false;

        while (len && isspace(w[len - 1]))
            len--;
        while (len && isspace(*w)) {
            w++;
            len--;
        }
        if (i)
            PUT("|", 1);
        if (len && word_char(w[0], unicode))
            PUT("\\b", 2);
        for (j = 0; j < len; j++) {
            unsigned char c = w[j];
            if (c == ' ' || c == '\t' || c == '-' || c == '\n') {
                if (!sep)
                    PUT("[\\s\\-]+", 7);
                sep = true;
                continue;
            }
            sep = false;
            if (c == '\'') {
                PUT("['\xE2\x80\x99]", 6); /* ' or the typographic apostrophe */
            } else if (c < 0x80 && !isalnum(c)) {
                char esc[2] = {'\\', (char)c};
                PUT(esc, 2);
            } else {
                char ch = (char)c;
                PUT(&ch, 1);
            }
        }
        if (len && word_char(w[len - 1], unicode))
            PUT("\\b", 2);
    }
    PUT(")", 1);
#undef PUT
    out[off] = '\0';
    return (long)off;
}

long rule_words_pattern(const char *const *words, size_t n, char *out,
                        size_t size)
{
    return words_pattern(words, n, false, out, size);
}

static uint32_t compile_options(const struct rule *ru)
{
    uint32_t o = PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C;

    if (!ru)
        return o | PCRE2_CASELESS; /* the lexicon */
    if (!ru->case_sensitive)
        o |= PCRE2_CASELESS;
    if (ru->unicode)
        o |= PCRE2_UCP;
    return o;
}

/*
 * Compile pat (len bytes).  node is where it was written: when from_node,
 * pat is node's own value and PCRE2's error offset is mapped to the exact
 * character in the file.
 */
enum ca_status compile_at(struct ld *ld, const struct ynode *node,
                          bool from_node, const char *key, const char *pat,
                          size_t len, uint32_t extra, struct pattern *out)
{
    int ec;
    PCRE2_SIZE eo;
    PCRE2_UCHAR emsg[256];

    /* a rule's own pattern is capped; the lexicon's, and the union of
     * the concepts a rule names, are as long as the vocabulary */
    size_t cap = !ld->ru || (extra & PCRE2_NO_AUTO_CAPTURE) ? LEX_MAX_PATTERN
                                                            : MAX_PATTERN;

    if (len > cap)
        return lerr(ld, node, "'%s' is longer than %zu bytes", key, cap);
    out->code = pcre2_compile((PCRE2_SPTR)pat, len,
                              compile_options(ld->ru) | extra, &ec, &eo, NULL);
    if (!out->code) {
        unsigned long line = node->line, col = node->col;

        pcre2_get_error_message(ec, emsg, sizeof(emsg));
        if (from_node)
            ytree_value_pos(ld->src, node, eo, &line, &col);
        ca_error_set(ld->err, CA_DATA, ld->path, line, NULL,
                     "bad regex in '%s': %s (at offset %zu of the pattern)",
                     key, (const char *)emsg, (size_t)eo);
        ca_error_set_col(ld->err, col);
        return CA_DATA;
    }
    pcre2_jit_compile(out->code,
                      PCRE2_JIT_COMPLETE); /* interpreter if it fails */
    out->src = malloc(len + 1);
    if (!out->src)
        return oom(ld);
    memcpy(out->src, pat, len);
    out->src[len] = '\0';
    return CA_OK;
}

enum ca_status pattern_style(struct ld *ld, const struct ynode *n,
                             const char *key)
{
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    if (n->style == YS_DOUBLE)
        return lerr(
            ld, n,
            "'%s' is in double quotes, where YAML turns \\b into a "
            "backspace: write patterns in single quotes ('...') or as a "
            "block scalar (|)",
            key);
    if (n->style == YS_PLAIN)
        return lerr(ld, n,
                    "'%s' must be in single quotes ('...') or a block "
                    "scalar (|), so that YAML leaves it exactly as written",
                    key);
    return CA_OK;
}

static bool matches_empty(const pcre2_code *code)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc;

    if (!md)
        return false;
    rc = pcre2_match(code, (PCRE2_SPTR) "", 0, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

/* A pattern key: the scalar's value, trailing newlines of a block removed. */
static enum ca_status get_pattern(struct ld *ld, const struct ynode *n,
                                  const char *key, uint32_t extra,
                                  bool may_be_empty, struct pattern *out)
{
    size_t len;
    enum ca_status st = pattern_style(ld, n, key);

    if (st != CA_OK)
        return st;
    len = n->len;
    while (len && (n->style == YS_LITERAL || n->style == YS_FOLDED) &&
           n->val[len - 1] == '\n')
        len--;
    if (len == 0 && !may_be_empty)
        return lerr(ld, n, "'%s' is empty", key);
    st = compile_at(ld, n, true, key, n->val, len, extra, out);
    if (st != CA_OK)
        return st;
    if (!may_be_empty && matches_empty(out->code))
        return lerr(ld, n,
                    "'%s' matches empty text, so every entry would "
                    "qualify; make it require at least one character",
                    key);
    return CA_OK;
}

static enum ca_status get_words(struct ld *ld, const struct ynode *n,
                                const char *key, const struct ynode *regex_node,
                                struct pattern *out)
{
    const char *w[MAX_WORDS];
    char *pat = NULL, *full = NULL;
    size_t i, size;
    long len;
    enum ca_status st = want_kind(ld, n, YN_SEQ, key);

    if (st != CA_OK)
        return st;
    if (n->nkids == 0 || n->nkids > MAX_WORDS)
        return lerr(ld, n, "'%s' must list 1 to %d words or phrases", key,
                    MAX_WORDS);
    for (i = 0; i < n->nkids; i++) {
        const struct ynode *k = n->kids[i];
        size_t j;
        bool blank = true;

        if (k->kind != YN_SCALAR)
            return lerr(ld, k, "each item of '%s' must be a word or phrase",
                        key);
        for (j = 0; j < k->len; j++)
            if (!isspace((unsigned char)k->val[j]))
                blank = false;
        if (blank || k->len > 200)
            return lerr(ld, k,
                        "each item of '%s' must be a non-empty phrase of "
                        "at most 200 bytes",
                        key);
        w[i] = k->val;
    }
    size = (size_t)MAX_PATTERN * 4;
    pat = malloc(size);
    if (!pat)
        return oom(ld);
    len = words_pattern(w, n->nkids, ld->ru->unicode, pat, size);
    if (len < 0) {
        free(pat);
        return lerr(ld, n, "'%s' makes a pattern that is too long", key);
    }
    if (regex_node) {
        /* regex and words together: either one qualifies */
        size_t rl = regex_node->len;
        while (rl && regex_node->val[rl - 1] == '\n')
            rl--;
        full = malloc(rl + (size_t)len + 8);
        if (!full) {
            free(pat);
            return oom(ld);
        }
        memcpy(full, "(?:", 3);
        memcpy(full + 3, regex_node->val, rl);
        memcpy(full + 3 + rl, ")|", 2);
        memcpy(full + 5 + rl, pat, (size_t)len + 1);
        free(pat);
        pat = full;
        len = (long)strlen(pat);
    }
    st = compile_at(ld, n, false, key, pat, (size_t)len, 0, out);
    free(pat);
    return st;
}

/* ---- entry specs ---- */

enum spec_kind {
    SK_ENTRY, /* must_contain / must_not_contain: from, to, within_* */
    SK_GAP,   /* max_gap: patterns only */
    SK_IF,    /* if_then: if, patterns only */
    SK_THEN,  /* if_then: then: order, within_* */
    SK_WHEN   /* applies_to.entry: patterns only */
};

/* `concept: NAME` or `concepts: [A, B]` (and `blocked_by:`) of spec n. */
static enum ca_status get_concepts(struct ld *ld, const struct ynode *n,
                                   const char *key, struct entry_spec *e)
{
    const struct ynode *one = map_get(n, "concept"),
                       *many = map_get(n, "concepts"), *v, *bb;
    const struct ynode *const *names;
    size_t nn, i;
    char k[96];
    enum ca_status st;

    if (one && many)
        return lerr(ld, many, "'%s' has 'concept' and 'concepts': give one",
                    key);
    if (!ld->lex)
        return lerr(ld, one ? one : many,
                    ld->lex_failed
                        ? "'%s' names a concept, but the lexicon did not load "
                          "(see its error)"
                        : "'%s' names a concept, but no lexicon was found (the "
                          "shipped rules/lexicon.yaml, or a lexicon.yaml among "
                          "the rule paths)",
                    key);
    if (one) {
        if ((st = want_kind(ld, one, YN_SCALAR, "concept")) != CA_OK)
            return st;
        names = &one;
        nn = 1;
    } else {
        if ((st = want_kind(ld, many, YN_SEQ, "concepts")) != CA_OK)
            return st;
        if (many->nkids == 0 || many->nkids > 16)
            return lerr(ld, many, "'concepts' must list 1 to 16 names");
        names = (const struct ynode *const *)many->kids;
        nn = many->nkids;
    }
    e->concepts = calloc(nn, sizeof(*e->concepts));
    if (!e->concepts)
        return oom(ld);
    if ((bb = map_get(n, "blocked_by"))) {
        snprintf(k, sizeof(k), "%s.blocked_by", key);
        if ((st = lexicon_blocked_by(ld, bb, k, &e->blocked_by)) != CA_OK)
            return st;
        e->has_blocked_by = true;
    }
    for (i = 0; i < nn; i++) {
        int x;

        v = names[i];
        if (v->kind != YN_SCALAR)
            return lerr(ld, v, "a concept is named by a single word");
        x = lexicon_concept(ld->lex, v->val);
        if (x < 0) {
            const char **all = calloc(ld->lex->nconcepts, sizeof(*all));
            size_t j;

            if (!all)
                return oom(ld);
            for (j = 0; j < ld->lex->nconcepts; j++)
                all[j] = ld->lex->concepts[j].name;
            snprintf(k, sizeof(k), "%s.concept", key);
            st = get_enum(ld, v, k, all, ld->lex->nconcepts, &x);
            free(all);
            if (st != CA_OK)
                return st;
        }
        e->concepts[e->nconcepts++] = &ld->lex->concepts[x];
        lexicon_mark_used(ld->lex, (size_t)x,
                          e->has_blocked_by ? e->blocked_by : 0);
    }
    return CA_OK;
}

static enum ca_status get_spec(struct ld *ld, const struct ynode *n,
                               const char *key, enum spec_kind kind,
                               struct entry_spec *e)
{
    static const char *const k_entry[] = {"regex",
                                          "words",
                                          "exclude",
                                          "negate",
                                          "rank",
                                          "concept",
                                          "concepts",
                                          "author",
                                          "blocked_by",
                                          "within_days",
                                          "within_working_days",
                                          "within_months",
                                          "from",
                                          "to"};
    static const char *const k_pat[] = {"regex",    "words",  "exclude",
                                        "negate",   "rank",   "concept",
                                        "concepts", "author", "blocked_by"};
    static const char *const k_then[] = {"regex",
                                         "words",
                                         "exclude",
                                         "negate",
                                         "rank",
                                         "concept",
                                         "concepts",
                                         "author",
                                         "blocked_by",
                                         "within_days",
                                         "within_working_days",
                                         "within_months",
                                         "order"};
    static const char *const orders[] = {"any", "before", "after"};
    static const char *const wkeys[] = {"within_days", "within_working_days",
                                        "within_months"};
    const struct ynode *v, *rx, *words, *wnode = NULL;
    char ctx[64], k[96];
    enum ca_status st;
    size_t i;
    int o;

    st = want_kind(ld, n, YN_MAP, key);
    if (st != CA_OK)
        return st;
    snprintf(ctx, sizeof(ctx), "'%s'", key);
    if (kind == SK_ENTRY)
        st =
            check_keys(ld, n, k_entry, sizeof(k_entry) / sizeof(*k_entry), ctx);
    else if (kind == SK_THEN)
        st = check_keys(ld, n, k_then, sizeof(k_then) / sizeof(*k_then), ctx);
    else
        st = check_keys(ld, n, k_pat, sizeof(k_pat) / sizeof(*k_pat), ctx);
    if (st != CA_OK)
        return st;
    e->present = true;
    e->key = key;
    rx = map_get(n, "regex");
    words = map_get(n, "words");
    if ((v = map_get(n, "concept")) || (v = map_get(n, "concepts"))) {
        if (rx || words)
            return lerr(ld, v,
                        "%s names a concept and gives 'regex' or 'words': "
                        "give one or the other",
                        ctx);
        if ((st = get_concepts(ld, n, key, e)) != CA_OK)
            return st;
    } else if (!rx && !words) {
        return lerr(ld, n, "%s needs 'regex', 'words' or 'concept'", ctx);
    } else if ((v = map_get(n, "blocked_by"))) {
        return lerr(ld, v,
                    "'blocked_by' goes with 'concept': context decides "
                    "whether a concept's term counts");
    }
    if (e->nconcepts) {
        /* done above */
    } else if (rx) {
        snprintf(k, sizeof(k), "%s.regex", key);
        if (words) {
            /* validate the regex alone, for an exact error position */
            struct pattern tmp = {NULL, NULL};
            st = get_pattern(ld, rx, k, 0, false, &tmp);
            pattern_release(&tmp);
            if (st != CA_OK)
                return st;
            snprintf(k, sizeof(k), "%s.words", key);
            st = get_words(ld, words, k, rx, &e->re);
        } else {
            st = get_pattern(ld, rx, k, 0, false, &e->re);
        }
    } else {
        snprintf(k, sizeof(k), "%s.words", key);
        st = get_words(ld, words, k, NULL, &e->re);
    }
    if (st != CA_OK)
        return st;
    if ((v = map_get(n, "exclude"))) {
        snprintf(k, sizeof(k), "%s.exclude", key);
        if ((st = get_pattern(ld, v, k, 0, false, &e->exclude)) != CA_OK)
            return st;
    }
    if ((v = map_get(n, "negate"))) {
        snprintf(k, sizeof(k), "%s.negate", key);
        if ((st = get_pattern(ld, v, k, 0, false, &e->negate)) != CA_OK)
            return st;
    }
    if ((v = map_get(n, "rank"))) {
        snprintf(k, sizeof(k), "%s.rank", key);
        if ((st = get_pattern(ld, v, k, 0, true, &e->rank)) != CA_OK)
            return st;
    }
    if ((v = map_get(n, "author"))) {
        static const char *const classes[] = {
            "supervisor", "staff",           "constable",      "sergeant",
            "inspector",  "chief-inspector", "superintendent", "chief-officer"};
        enum rank_class rc;
        int x;

        snprintf(k, sizeof(k), "%s.author", key);
        if ((st = get_enum(ld, v, k, classes, 8, &x)) != CA_OK)
            return st;
        rank_class_parse(classes[x], &rc);
        e->min_rank = (int)rc;
    }
    for (i = 0; i < 3; i++) {
        if (!(v = map_get(n, wkeys[i])))
            continue;
        if (wnode)
            return lerr(
                ld, v, "%s has both '%s' and '%s': give one window", ctx,
                wnode == map_get(n, wkeys[0]) ? wkeys[0] : wkeys[1], wkeys[i]);
        wnode = v;
        snprintf(k, sizeof(k), "%s.%s", key, wkeys[i]);
        if ((st = get_int(ld, v, k, 0, MAX_WINDOW, &e->win_n)) != CA_OK)
            return st;
        e->win = i == 0 ? WIN_DAYS : i == 1 ? WIN_WORKING_DAYS : WIN_MONTHS;
    }
    if (kind == SK_ENTRY) {
        if ((v = map_get(n, "from"))) {
            snprintf(k, sizeof(k), "%s.from", key);
            if ((st = get_field(ld, v, k, true, &e->from)) != CA_OK)
                return st;
        }
        if ((v = map_get(n, "to"))) {
            snprintf(k, sizeof(k), "%s.to", key);
            if ((st = get_field(ld, v, k, true, &e->to)) != CA_OK)
                return st;
        }
        if (wnode && !e->from.name)
            return lerr(ld, wnode,
                        "%s has a window but no 'from' date field to "
                        "count it from",
                        ctx);
    }
    if (kind == SK_THEN) {
        if ((v = map_get(n, "order"))) {
            snprintf(k, sizeof(k), "%s.order", key);
            if ((st = get_enum(ld, v, k, orders, 3, &o)) != CA_OK)
                return st;
            e->order = (enum then_order)o;
        }
        if (wnode && e->order == ORD_ANY && !map_get(n, "order"))
            return lerr(ld, wnode,
                        "%s has a window: say whether it runs 'before' "
                        "or 'after' the 'if' entry with 'order:'",
                        ctx);
    }
    return CA_OK;
}

/*
 * `entry:` as one mapping, or as a list of them (an entry qualifies when
 * it matches any item; each item has its own window).
 */
static enum ca_status get_entry(struct ld *ld, const struct ynode *n,
                                enum spec_kind kind, struct entry_spec *e)
{
    static const char *const keys[] = {"entry[1]", "entry[2]", "entry[3]",
                                       "entry[4]", "entry[5]", "entry[6]",
                                       "entry[7]", "entry[8]"};
    enum ca_status st;
    size_t i;

    if (n->kind != YN_SEQ)
        return get_spec(ld, n, "entry", kind, e);
    if (n->nkids == 0 || n->nkids > 8)
        return lerr(ld, n, "'entry' as a list holds 1 to 8 mappings");
    if ((st = get_spec(ld, n->kids[0], keys[0], kind, e)) != CA_OK)
        return st;
    if (n->nkids == 1)
        return CA_OK;
    e->alt = calloc(n->nkids - 1, sizeof(*e->alt));
    if (!e->alt)
        return oom(ld);
    for (i = 1; i < n->nkids; i++) {
        e->nalt = i;
        if ((st = get_spec(ld, n->kids[i], keys[i], kind, &e->alt[i - 1])) !=
            CA_OK)
            return st;
    }
    return CA_OK;
}

/* ---- applies_to ---- */

static enum ca_status get_date(struct ld *ld, const struct ynode *n,
                               const char *key, int64_t *day)
{
    unsigned y, m, d;
    char tail;
    enum ca_status st = want_kind(ld, n, YN_SCALAR, key);

    if (st != CA_OK)
        return st;
    if (sscanf(n->val, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
        n->len != 10 || m < 1 || m > 12 || d < 1 || d > 31)
        return lerr(ld, n,
                    "'%s' must be a date written YYYY-MM-DD, not '%.40s'", key,
                    n->val);
    *day = date_days_from_civil((int)y, m, d);
    {
        int yy;
        unsigned mm, dd;
        date_civil_from_days(*day, &yy, &mm, &dd);
        if ((unsigned)yy != y || mm != m || dd != d)
            return lerr(ld, n, "'%s': %s is not a real date", key, n->val);
    }
    return CA_OK;
}

/* One mapping of where conditions (all must hold), as group g. */
static enum ca_status get_where_map(struct ld *ld, const struct ynode *n, int g)
{
    static const char *const k_range[] = {"from", "to", "not"};
    struct rule *ru = ld->ru;
    enum ca_status st;
    size_t i;
    char k[160];

    snprintf(k, sizeof(k), "each item of '%s'", ld->where_key);
    if ((st = want_kind(ld, n, YN_MAP, k)) != CA_OK)
        return st;
    if (n->nkids == 0)
        return lerr(ld, n, "'%s' is empty", ld->where_key);
    {
        struct where_cond *nw = realloc(ru->where, (ru->nwhere + n->nkids / 2) *
                                                       sizeof(*ru->where));
        if (!nw)
            return oom(ld);
        ru->where = nw;
        memset(nw + ru->nwhere, 0, n->nkids / 2 * sizeof(*nw));
    }
    for (i = 0; i + 1 < n->nkids; i += 2) {
        const struct ynode *kn = n->kids[i], *v = n->kids[i + 1], *x;
        struct where_cond *w = &ru->where[ru->nwhere++];

        w->group = g;

        snprintf(k, sizeof(k), "%s.%.100s", ld->where_key, kn->val);
        if ((st = get_field(ld, kn, ld->where_key, false, &w->field)) != CA_OK)
            return st;
        if (v->kind == YN_SCALAR) {
            w->kind = WH_PATTERN;
            st = get_pattern(ld, v, k, PCRE2_ANCHORED | PCRE2_ENDANCHORED, true,
                             &w->re);
            if (st != CA_OK)
                return st;
            continue;
        }
        if ((st = want_kind(ld, v, YN_MAP, k)) != CA_OK)
            return st;
        if ((st = check_keys(ld, v, k_range, 3, k)) != CA_OK)
            return st;
        if ((x = map_get(v, "not"))) {
            if (map_get(v, "from") || map_get(v, "to"))
                return lerr(ld, x,
                            "'%s' has 'not' with 'from'/'to': use one form", k);
            w->kind = WH_PATTERN;
            w->negated = true;
            st = get_pattern(ld, x, k, PCRE2_ANCHORED | PCRE2_ENDANCHORED, true,
                             &w->re);
            if (st != CA_OK)
                return st;
            continue;
        }
        w->kind = WH_DATES;
        if (w->field.cf >= 0 && cf_kind((enum cf)w->field.cf) != CFK_DATE)
            return lerr(ld, kn, "'%s': a date range needs a date field", k);
        if ((x = map_get(v, "from"))) {
            w->has_from = true;
            if ((st = get_date(ld, x, k, &w->from_day)) != CA_OK)
                return st;
        }
        if ((x = map_get(v, "to"))) {
            w->has_to = true;
            if ((st = get_date(ld, x, k, &w->to_day)) != CA_OK)
                return st;
        }
        if (!w->has_from && !w->has_to)
            return lerr(ld, v,
                        "'%s' needs 'from' and/or 'to' (dates), or 'not'", k);
        if (w->has_from && w->has_to && w->from_day > w->to_day)
            return lerr(ld, v, "'%s': 'from' is after 'to'", k);
    }
    return CA_OK;
}

/*
 * applies_to.where: a mapping (every condition must hold) or a list of
 * mappings (any one of them must hold).
 */
static enum ca_status get_where(struct ld *ld, const struct ynode *n)
{
    enum ca_status st;
    size_t i;

    if (n->kind != YN_SEQ) {
        ld->ru->nwhere_groups = 1;
        return get_where_map(ld, n, 0);
    }
    if (n->nkids == 0 || n->nkids > 16)
        return lerr(ld, n, "'%s' must list 1 to 16 mappings", ld->where_key);
    for (i = 0; i < n->nkids; i++)
        if ((st = get_where_map(ld, n->kids[i], (int)i)) != CA_OK)
            return st;
    ld->ru->nwhere_groups = (int)n->nkids;
    return CA_OK;
}

static enum ca_status get_span(struct ld *ld, const struct ynode *n)
{
    static const char *const keys[] = {"start", "end", "over_days",
                                       "over_months"};
    struct span_cond *sp = &ld->ru->span;
    const struct ynode *v, *d, *m;
    enum ca_status st;

    if ((st = want_kind(ld, n, YN_MAP, "applies_to.span")) != CA_OK)
        return st;
    if ((st = check_keys(ld, n, keys, 4, "'applies_to.span'")) != CA_OK)
        return st;
    sp->present = true;
    if (!(v = map_get(n, "start")))
        return lerr(ld, n, "'applies_to.span' needs 'start'");
    if ((st = get_field(ld, v, "applies_to.span.start", true, &sp->start)) !=
        CA_OK)
        return st;
    if (!(v = map_get(n, "end")))
        return lerr(ld, n, "'applies_to.span' needs 'end'");
    if ((st = get_field(ld, v, "applies_to.span.end", true, &sp->end)) != CA_OK)
        return st;
    d = map_get(n, "over_days");
    m = map_get(n, "over_months");
    if (!d == !m)
        return lerr(
            ld, n,
            "'applies_to.span' needs one of 'over_days' or 'over_months'");
    sp->unit = d ? WIN_DAYS : WIN_MONTHS;
    return get_int(ld, d ? d : m,
                   d ? "applies_to.span.over_days"
                     : "applies_to.span.over_months",
                   0, MAX_WINDOW, &sp->n);
}

static enum ca_status get_applies(struct ld *ld, const struct ynode *n)
{
    static const char *const keys[] = {"type", "where", "span", "entry",
                                       "no_entry"};
    static const char *const types[] = {"crime", "wanted", "bail", "incident"};
    const struct ynode *v;
    enum ca_status st;
    int t;

    if ((st = want_kind(ld, n, YN_MAP, "applies_to")) != CA_OK)
        return st;
    if ((st = check_keys(ld, n, keys, 5, "'applies_to'")) != CA_OK)
        return st;
    if (!(v = map_get(n, "type")))
        return lerr(
            ld, n,
            "'applies_to' needs 'type' (crime, wanted, bail or incident)");
    if ((st = get_enum(ld, v, "applies_to.type", types, 4, &t)) != CA_OK)
        return st;
    ld->ru->type = (enum record_type)(RT_CRIME + t);
    return CA_OK;
}

/* where/span/entry need the type and the declared fields: a second pass. */
static enum ca_status get_applies_conditions(struct ld *ld,
                                             const struct ynode *n)
{
    const struct ynode *v;
    enum ca_status st;

    if ((v = map_get(n, "where")) && (st = get_where(ld, v)) != CA_OK)
        return st;
    if ((v = map_get(n, "span")) && (st = get_span(ld, v)) != CA_OK)
        return st;
    if ((v = map_get(n, "entry")) &&
        (st = get_spec(ld, v, "applies_to.entry", SK_WHEN, &ld->ru->when)) !=
            CA_OK)
        return st;
    /* no entry may qualify: "a named suspect not yet arrested" */
    if ((v = map_get(n, "no_entry")) &&
        (st = get_spec(ld, v, "applies_to.no_entry", SK_WHEN,
                       &ld->ru->when_not)) != CA_OK)
        return st;
    return CA_OK;
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

static enum ca_status finish_fields(struct ld *ld)
{
    struct rule *ru = ld->ru;
    size_t i;
    enum ca_status st;

    if (ru->entry.present || ru->ifs.present || ru->when.present ||
        ru->when_not.present) {
        if ((st = add_field(ld, "log")) != CA_OK)
            return st;
    }
    ru->need = calloc(ru->nfields ? ru->nfields : 1, sizeof(*ru->need));
    if (!ru->need)
        return oom(ld);
    for (i = 0; i < ru->nfields; i++) {
        int cf = cf_lookup(ru->fields[i]);
        ru->need[i].name = ru->fields[i];
        ru->need[i].cf =
            cf >= 0 && record_type_has_field(ru->type, (enum cf)cf) ? cf : -1;
    }
    ru->nneed = ru->nfields;
    return CA_OK;
}

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

static enum ca_status load_rule(struct ld *ld, const struct ynode *root)
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
    struct rule *ru = ld->ru;
    const struct ynode *v, *applies;
    enum ca_status st;
    size_t i;
    int x;

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

    v = map_get(root, "id");
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
    if ((st = get_string(ld, map_get(root, "message"), "message",
                         &ru->message)) != CA_OK)
        return st;
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

    v = map_get(root, "references");
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

    applies = map_get(root, "applies_to");
    if ((st = get_applies(ld, applies)) != CA_OK)
        return st;
    if ((v = map_get(root, "fields"))) {
        if ((st = want_kind(ld, v, YN_SEQ, "fields")) != CA_OK)
            return st;
        for (i = 0; i < v->nkids; i++) {
            const struct ynode *f = v->kids[i];
            if (f->kind != YN_SCALAR || f->len == 0 || f->len > 100)
                return lerr(ld, f,
                            "each item of 'fields' must be a column name");
            if ((st = add_field(ld, f->val)) != CA_OK)
                return st;
        }
    }
    if ((st = get_applies_conditions(ld, applies)) != CA_OK)
        return st;

    /* keys by check kind */
    {
        static const char *const only_gap[] = {"start", "end", "max_days",
                                               "max_hours"};
        static const char *const only_if[] = {"if", "then"};

        for (i = 0; i < 4; i++)
            if (ru->check != CK_MAX_GAP && (v = map_get(root, only_gap[i])))
                return lerr(ld, v, "'%s' belongs to check max_gap, not %s",
                            only_gap[i], check_names[ru->check]);
        for (i = 0; i < 2; i++)
            if (ru->check != CK_IF_THEN && (v = map_get(root, only_if[i])))
                return lerr(ld, v, "'%s' belongs to check if_then, not %s",
                            only_if[i], check_names[ru->check]);
        if (ru->check == CK_IF_THEN && (v = map_get(root, "entry")))
            return lerr(ld, v,
                        "check if_then takes 'if' and 'then', not 'entry'");
    }
    switch (ru->check) {
    case CK_MUST_CONTAIN:
    case CK_MUST_NOT_CONTAIN:
        if (!(v = map_get(root, "entry")))
            return lerr(ld, root,
                        "check %s needs 'entry' (what a qualifying log "
                        "entry looks like)",
                        check_names[ru->check]);
        if ((st = get_entry(ld, v, SK_ENTRY, &ru->entry)) != CA_OK)
            return st;
        break;
    case CK_MAX_GAP: {
        const struct ynode *d = map_get(root, "max_days"),
                           *h = map_get(root, "max_hours");

        if ((v = map_get(root, "entry")) &&
            (st = get_entry(ld, v, SK_GAP, &ru->entry)) != CA_OK)
            return st;
        if (!(v = map_get(root, "start")))
            return lerr(ld, root,
                        "check max_gap needs 'start' (the date field the "
                        "first gap runs from)");
        if (v->kind == YN_SEQ) {
            /* the first of these fields that holds a date */
            if (v->nkids == 0 || v->nkids > 4)
                return lerr(ld, v, "'start' must list 1 to 4 date fields");
            if ((st = get_field(ld, v->kids[0], "start", true, &ru->start)) !=
                CA_OK)
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
        } else if ((st = get_field(ld, v, "start", true, &ru->start)) !=
                   CA_OK) {
            return st;
        }
        if ((v = map_get(root, "end"))) {
            const struct ynode *const *items = &v;
            size_t n = 1;

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
                if ((st = get_field(ld, items[i], "end", true, &ru->end[i])) !=
                    CA_OK)
                    return st;
                ru->nend++;
            }
        }
        if (!d == !h)
            return lerr(ld, root,
                        "check max_gap needs one of 'max_days' or 'max_hours'");
        ru->gap_hours = h != NULL;
        if ((st = get_int(ld, d ? d : h, d ? "max_days" : "max_hours", 0,
                          d ? MAX_WINDOW : MAX_WINDOW * 24, &ru->gap_n)) !=
            CA_OK)
            return st;
        break;
    }
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
        if ((st = get_spec(ld, v, "then", SK_THEN, &ru->thens)) != CA_OK)
            return st;
        break;
    default:
        break;
    }
    if ((st = finish_fields(ld)) != CA_OK)
        return st;
    if ((v = map_get(root, "examples")) && (st = run_examples(ld, v)) != CA_OK)
        return st;
    return CA_OK;
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

/* ---- record conditions (engine/condition.c) ---- */

void load_condition_release(struct rule *ru, struct entry_spec *no_entry)
{
    size_t i;

    spec_release(no_entry);
    for (i = 0; i < ru->nwhere; i++) {
        pattern_release(&ru->where[i].re);
        fieldref_release(&ru->where[i].field);
    }
    free(ru->where);
    fieldref_release(&ru->span.start);
    fieldref_release(&ru->span.end);
    spec_release(&ru->when);
    for (i = 0; i < ru->nfields; i++)
        free(ru->fields[i]);
    free(ru->fields);
    free(ru->need);
    free(ru->path);
    memset(ru, 0, sizeof(*ru));
    memset(no_entry, 0, sizeof(*no_entry));
}

enum ca_status load_condition(struct ysrc *src, enum record_type t,
                              struct lexicon *lex,
                              const struct load_condition_nodes *n,
                              struct rule *ru, struct entry_spec *no_entry,
                              struct ca_error *err)
{
    struct ld ld;
    enum ca_status st = CA_OK;
    size_t i;

    memset(ru, 0, sizeof(*ru));
    memset(no_entry, 0, sizeof(*no_entry));
    memset(&ld, 0, sizeof(ld));
    ld.src = src;
    ld.path = src->name;
    ld.err = err;
    ld.ru = ru;
    ld.lex = lex;
    ld.where_key = n->where_key;
    ru->type = t;
    ru->lex = lex;
    prefilter_spec_none(&ru->when);
    prefilter_spec_none(no_entry);
    if (!(ru->path = strdup(src->name)))
        return oom(&ld);
    if (n->fields) {
        if ((st = want_kind(&ld, n->fields, YN_SEQ, n->fields_key)) != CA_OK)
            return st;
        for (i = 0; i < n->fields->nkids; i++) {
            const struct ynode *f = n->fields->kids[i];

            if (f->kind != YN_SCALAR || f->len == 0 || f->len > 100)
                return lerr(&ld, f, "each item of '%s' must be a column name",
                            n->fields_key);
            if ((st = add_field(&ld, f->val)) != CA_OK)
                return st;
        }
    }
    if (n->where && (st = get_where(&ld, n->where)) != CA_OK)
        return st;
    if (n->span && (st = get_span(&ld, n->span)) != CA_OK)
        return st;
    if (n->entry && (st = get_spec(&ld, n->entry, n->entry_key, SK_WHEN,
                                   &ru->when)) != CA_OK)
        return st;
    if (n->no_entry && (st = get_spec(&ld, n->no_entry, n->no_entry_key,
                                      SK_WHEN, no_entry)) != CA_OK)
        return st;
    prefilter_spec_none(&ru->when);
    prefilter_spec_none(no_entry);
    if (no_entry->present && !ru->when.present &&
        (st = add_field(&ld, "log")) != CA_OK)
        return st;
    return finish_fields(&ld);
}
