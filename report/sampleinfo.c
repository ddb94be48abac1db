/* SPDX-License-Identifier: MIT */
/* Reading a sample manifest for the report; see sampleinfo.h. */
#include "report/sampleinfo.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sha256.h"
#include "util/strv.h"

void sampleinfo_init(struct sampleinfo *s)
{
    memset(s, 0, sizeof(*s));
    idmap_init(&s->ids);
    idmap_init(&s->rank_ix);
}

void sampleinfo_release(struct sampleinfo *s)
{
    size_t i;

    free(s->path);
    free(s->text);
    free(s->method);
    free(s->seed);
    free(s->type);
    free(s->allocation);
    free(s->created);
    free(s->tool_version);
    free(s->name);
    free(s->programme);
    free(s->conditions);
    strv_free(s->tests, s->ntests);
    strv_free(s->strata, s->nstrata);
    for (i = 0; i < s->npop; i++) {
        free(s->pop[i].force);
        free(s->pop[i].stratum);
    }
    free(s->pop);
    idmap_release(&s->ids);
    idmap_release(&s->rank_ix);
    strv_free(s->selected, s->nselected);
    free(s->selected_rank);
    strv_free(s->spares, s->nspares);
    free(s->spare_rank);
    for (i = 0; i < s->nrej; i++)
        free(s->rej[i].reason);
    free(s->rej);
    strv_free(s->inputs, s->ninputs);
    sampleinfo_init(s);
}

#define BAD(key, ...)                                                          \
    do {                                                                       \
        st = ca_error_set(err, CA_DATA, name, 0, key, __VA_ARGS__);            \
        goto out;                                                              \
    } while (0)
#define NOMEM()                                                                \
    do {                                                                       \
        st = ca_error_set(err, CA_SYSTEM, name, 0, NULL, "out of memory");     \
        goto out;                                                              \
    } while (0)

/* A string member (or NULL when null and nullable); -1 when of the wrong
 * type or missing, -2 when out of memory. */
static int get_str(json_t *o, const char *key, bool nullable, char **out)
{
    json_t *v = json_object_get(o, key);

    *out = NULL;
    if ((!v || json_is_null(v)) && nullable)
        return 0;
    if (json_is_string(v)) {
        *out = strdup(json_string_value(v));
        return *out ? 0 : -2;
    }
    if (json_is_integer(v) || json_is_real(v)) { /* a seed given as a number */
        char buf[64];

        if (json_is_integer(v))
            snprintf(buf, sizeof(buf), "%lld",
                     (long long)json_integer_value(v));
        else
            snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
        *out = strdup(buf);
        return *out ? 0 : -2;
    }
    return -1;
}

static int get_u64(json_t *o, const char *key, uint64_t *out)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static int pop_find(const struct sampleinfo *s, const char *force,
                    const char *stratum, uint32_t *idx)
{
    size_t i;

    for (i = 0; i < s->npop; i++)
        if (strcmp(s->pop[i].force, force) == 0 &&
            strcmp(s->pop[i].stratum, stratum) == 0) {
            *idx = (uint32_t)i;
            return 1;
        }
    return 0;
}

static enum ca_status add_items(struct sampleinfo *s, const char *name,
                                json_t *arr, const char *key, bool spare,
                                struct ca_error *err)
{
    enum ca_status st = CA_OK;
    size_t i;
    json_t *it;
    struct idmap popix;
    char pk[600];

    idmap_init(&popix);
    for (i = 0; i < s->npop; i++) {
        snprintf(pk, sizeof(pk), "%s\n%s", s->pop[i].force, s->pop[i].stratum);
        if (idmap_put_str(&popix, pk, (uint32_t)i, NULL) < 0)
            NOMEM();
    }
    if (!spare && json_array_size(arr)) {
        s->selected = calloc(json_array_size(arr), sizeof(*s->selected));
        s->selected_rank =
            calloc(json_array_size(arr), sizeof(*s->selected_rank));
        if (!s->selected || !s->selected_rank)
            NOMEM();
    }
    if (spare && json_array_size(arr)) {
        s->spares = calloc(json_array_size(arr), sizeof(*s->spares));
        s->spare_rank = calloc(json_array_size(arr), sizeof(*s->spare_rank));
        if (!s->spares || !s->spare_rank)
            NOMEM();
    }
    json_array_foreach(arr, i, it)
    {
        json_t *jid = json_object_get(it, "id");
        json_t *jf = json_object_get(it, "force");
        json_t *js = json_object_get(it, "stratum");
        uint32_t pi, old;
        int r;

        if (!json_is_string(jid) || !json_is_string(jf) || !json_is_string(js))
            BAD(key, "item %zu needs string id, force and stratum", i + 1);
        snprintf(pk, sizeof(pk), "%s\n%s", json_string_value(jf),
                 json_string_value(js));
        if (!idmap_get_str(&popix, pk, &pi))
            BAD(key,
                "item %zu (id '%s'): force '%s' stratum '%s' is not in "
                "population",
                i + 1, json_string_value(jid), json_string_value(jf),
                json_string_value(js));
        r = idmap_put_str(&s->ids, json_string_value(jid),
                          pi * 2u + (spare ? 1u : 0u), &old);
        if (r < 0)
            NOMEM();
        if (r == 1)
            BAD(key, "id '%s' is listed twice", json_string_value(jid));
        {
            json_t *jr = json_object_get(it, "rank");
            uint64_t rank = json_is_integer(jr) && json_integer_value(jr) > 0
                                ? (uint64_t)json_integer_value(jr)
                                : 0;

            if (rank && rank < UINT32_MAX &&
                idmap_put_str(&s->rank_ix, json_string_value(jid),
                              (uint32_t)rank, NULL) < 0)
                NOMEM();
            if (spare) {
                s->spares[s->nspares] = strdup(json_string_value(jid));
                if (!s->spares[s->nspares])
                    NOMEM();
                s->spare_rank[s->nspares++] = rank;
            } else {
                s->selected[s->nselected] = strdup(json_string_value(jid));
                if (!s->selected[s->nselected])
                    NOMEM();
                s->selected_rank[s->nselected++] = rank;
            }
        }
    }
out:
    idmap_release(&popix);
    return st;
}

/* The manifest's strings, and the programme its frame is of. */
static enum ca_status parse_names(struct sampleinfo *s, const char *name,
                                  json_t *root, struct ca_error *err)
{
    json_t *v, *it;
    size_t i;
    int r;
    enum ca_status st = CA_OK;

    {
        struct {
            const char *key;
            bool nullable;
            char **dst;
        } strs[] = {
            {"method", false, &s->method},
            {"seed", true, &s->seed},
            {"type", false, &s->type},
            {"allocation", true, &s->allocation},
            {"created", true, &s->created},
            {"tool_version", true, &s->tool_version},
        };

        for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
            r = get_str(root, strs[i].key, strs[i].nullable, strs[i].dst);
            if (r == -2)
                NOMEM();
            if (r != 0)
                BAD(strs[i].key, "missing, or not a string");
        }
    }
    v = json_object_get(json_object_get(root, "frame"), "programme");
    if (v) {
        json_t *a = json_object_get(v, "tests");

        if (!json_is_object(v) || get_str(v, "frame", false, &s->name) ||
            get_str(v, "id", false, &s->programme) ||
            get_str(v, "conditions", false, &s->conditions) ||
            !json_is_array(a))
            BAD("frame.programme", "needs id, frame, tests and conditions");
        s->tests = calloc(json_array_size(a) + 1, sizeof(*s->tests));
        if (!s->tests)
            NOMEM();
        json_array_foreach(a, i, it)
        {
            if (!json_is_string(it))
                BAD("frame.programme.tests", "item %zu is not a string", i + 1);
            if (!(s->tests[s->ntests] = strdup(json_string_value(it))))
                NOMEM();
            s->ntests++;
        }
    } else if (!(s->name = strdup(s->type))) {
        NOMEM();
    }
out:
    return st;
}

/* The plan's mode, per_force and the stratification fields. */
static enum ca_status parse_design(struct sampleinfo *s, const char *name,
                                   json_t *root, struct ca_error *err)
{
    json_t *v, *it;
    size_t i;
    enum ca_status st = CA_OK;

    v = json_object_get(json_object_get(root, "plan"), "mode");
    s->census =
        json_is_string(v) && strcmp(json_string_value(v), "census") == 0;
    v = json_object_get(root, "per_force");
    if (!json_is_boolean(v))
        BAD("per_force", "missing, or not true/false");
    s->per_force = json_is_true(v);
    v = json_object_get(root, "strata");
    if (v && !json_is_null(v)) {
        if (!json_is_array(v))
            BAD("strata", "not an array");
        s->strata = calloc(json_array_size(v) + 1, sizeof(*s->strata));
        if (!s->strata)
            NOMEM();
        json_array_foreach(v, i, it)
        {
            if (!json_is_string(it))
                BAD("strata", "item %zu is not a string", i + 1);
            s->strata[s->nstrata] = strdup(json_string_value(it));
            if (!s->strata[s->nstrata])
                NOMEM();
            s->nstrata++;
        }
    }
out:
    return st;
}

/* The row counts, the reasons rows were rejected and the inputs. */
static enum ca_status parse_rows(struct sampleinfo *s, const char *name,
                                 json_t *root, struct ca_error *err)
{
    json_t *v, *it;
    const char *k;
    size_t i;
    enum ca_status st = CA_OK;

    if (get_u64(root, "rows_read", &s->rows_read) ||
        get_u64(root, "rows_accepted", &s->rows_accepted) ||
        get_u64(root, "rows_rejected", &s->rows_rejected))
        BAD("rows_read", "rows_read, rows_accepted and rows_rejected must be "
                         "whole numbers");
    if (json_object_get(root, "rows_excluded") &&
        get_u64(root, "rows_excluded", &s->rows_excluded))
        BAD("rows_excluded", "not a whole number");
    v = json_object_get(root, "rejected_by_reason");
    if (v && !json_is_null(v)) {
        if (!json_is_object(v))
            BAD("rejected_by_reason", "not an object");
        s->rej = calloc(json_object_size(v) + 1, sizeof(*s->rej));
        if (!s->rej)
            NOMEM();
        json_object_foreach(v, k, it)
        {
            if (!json_is_integer(it) || json_integer_value(it) < 0)
                BAD("rejected_by_reason", "'%s' is not a whole number", k);
            s->rej[s->nrej].reason = strdup(k);
            if (!s->rej[s->nrej].reason)
                NOMEM();
            s->rej[s->nrej++].n = (uint64_t)json_integer_value(it);
        }
    }
    v = json_object_get(root, "inputs");
    if (json_is_array(v) && json_array_size(v)) {
        s->inputs = calloc(json_array_size(v), sizeof(*s->inputs));
        if (!s->inputs)
            NOMEM();
        json_array_foreach(v, i, it)
        {
            json_t *p = json_object_get(it, "path");

            if (!json_is_string(p))
                BAD("inputs", "item %zu has no path", i + 1);
            s->inputs[s->ninputs] = strdup(json_string_value(p));
            if (!s->inputs[s->ninputs])
                NOMEM();
            s->ninputs++;
        }
    }
out:
    return st;
}

/* The population: force, stratum, N and n of each group. */
static enum ca_status parse_population(struct sampleinfo *s, const char *name,
                                       json_t *root, struct ca_error *err)
{
    json_t *v, *it;
    size_t i;
    enum ca_status st = CA_OK;

    v = json_object_get(root, "population");
    if (!json_is_array(v))
        BAD("population", "missing, or not an array");
    /* empty: a frame that holds no file (an audit programme's frame can) */
    s->pop = calloc(json_array_size(v) + 1, sizeof(*s->pop));
    if (!s->pop)
        NOMEM();
    json_array_foreach(v, i, it)
    {
        struct spop *p = &s->pop[s->npop];
        uint32_t dummy;
        json_t *jf = json_object_get(it, "force");
        json_t *js = json_object_get(it, "stratum");

        if (!json_is_string(jf) || !json_is_string(js) ||
            get_u64(it, "N", &p->N) || get_u64(it, "n", &p->n))
            BAD("population", "item %zu needs force, stratum, N and n", i + 1);
        /* a plan larger than the population (binomial model) took the
         * population whole: the files drawn are n less the shortfall */
        if (json_object_get(it, "shortfall")) {
            uint64_t sf;

            if (get_u64(it, "shortfall", &sf) || sf > p->n)
                BAD("population",
                    "item %zu: shortfall is not a whole "
                    "number within n",
                    i + 1);
            p->n -= sf;
        }
        if (p->n > p->N)
            BAD("population", "item %zu: n %llu is larger than N %llu", i + 1,
                (unsigned long long)p->n, (unsigned long long)p->N);
        if (strlen(json_string_value(jf)) > 256 ||
            strlen(json_string_value(js)) > 256)
            BAD("population",
                "item %zu: force or stratum longer than 256 "
                "bytes",
                i + 1);
        if (pop_find(s, json_string_value(jf), json_string_value(js), &dummy))
            BAD("population", "force '%s' stratum '%s' is listed twice",
                json_string_value(jf), json_string_value(js));
        p->force = strdup(json_string_value(jf));
        p->stratum = strdup(json_string_value(js));
        s->npop++;
        if (!p->force || !p->stratum)
            NOMEM();
    }
out:
    return st;
}

enum ca_status sampleinfo_parse(struct sampleinfo *s, const char *name,
                                const char *text, size_t len,
                                struct ca_error *err)
{
    enum ca_status st = CA_OK;
    json_error_t je;
    json_t *root = NULL, *v;
    unsigned char d[32];

    s->path = strdup(name);
    s->text = malloc(len + 1);
    if (!s->path || !s->text)
        NOMEM();
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->textlen = len;
    sha256_buf(text, len, d);
    sha256_hex(d, s->sha256);

    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        st = ca_error_set(err, CA_DATA, name, (unsigned long)je.line, NULL,
                          "not a sample manifest: %s", je.text);
        goto out;
    }
    if (!json_is_object(root))
        BAD(NULL, "not a sample manifest: not a JSON object");
    v = json_object_get(root, "manifest_version");
    if (!json_is_integer(v) || json_integer_value(v) != 1)
        BAD("manifest_version", "not a version-1 sample manifest");
    if ((st = parse_names(s, name, root, err)) != CA_OK ||
        (st = parse_design(s, name, root, err)) != CA_OK ||
        (st = parse_rows(s, name, root, err)) != CA_OK ||
        (st = parse_population(s, name, root, err)) != CA_OK)
        goto out;
    v = json_object_get(root, "selected");
    if (!json_is_array(v))
        BAD("selected", "missing, or not an array");
    st = add_items(s, name, v, "selected", false, err);
    if (st != CA_OK)
        goto out;
    v = json_object_get(root, "spares");
    if (v && !json_is_null(v)) {
        if (!json_is_array(v))
            BAD("spares", "not an array");
        st = add_items(s, name, v, "spares", true, err);
    }
out:
    json_decref(root);
    return st;
}

enum ca_status sampleinfo_load(struct sampleinfo *s, const char *path,
                               struct ca_error *err)
{
    enum ca_status st;
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, alloc = 0, got;

    if (!fp)
        return ca_error_set(err, errno == ENOENT ? CA_DATA : CA_SYSTEM, path, 0,
                            NULL, "unable to open: %s", strerror(errno));
    for (;;) {
        if (len + 65536 > alloc) {
            size_t na = alloc ? alloc * 2 : 131072;
            char *nb;

            if (na > SAMPLEINFO_MAX_BYTES + 65536) {
                fclose(fp);
                free(buf);
                return ca_error_set(err, CA_DATA, path, 0, NULL,
                                    "manifest larger than 1 GiB");
            }
            nb = realloc(buf, na);
            if (!nb) {
                fclose(fp);
                free(buf);
                return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                                    "out of memory");
            }
            buf = nb;
            alloc = na;
        }
        got = fread(buf + len, 1, alloc - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        int e = errno;

        fclose(fp);
        free(buf);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "read error: %s",
                            strerror(e));
    }
    fclose(fp);
    st = sampleinfo_parse(s, path, buf ? buf : "", len, err);
    free(buf);
    return st;
}

uint64_t sampleinfo_rank(const struct sampleinfo *s, const char *id)
{
    uint32_t r;

    return idmap_get_str(&s->rank_ix, id, &r) ? r : 0;
}

int sampleinfo_lookup(const struct sampleinfo *s, const char *id, uint32_t *pop,
                      bool *spare)
{
    uint32_t v;

    if (!idmap_get_str(&s->ids, id, &v))
        return 0;
    *pop = v / 2u;
    *spare = (v & 1u) != 0;
    return 1;
}

bool sampleinfo_stratified(const struct sampleinfo *s)
{
    return s->nstrata > 0;
}
