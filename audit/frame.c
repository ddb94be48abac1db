/* SPDX-License-Identifier: MIT */
/* Programme frames as the sampler's frame callback; see frame.h. */
#include "audit/frame.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/engine.h"

struct audit_frame {
    const struct programme_frame *f;
    struct engine_scratch *s;
    uint64_t undecided;
    char first[512]; /* why the first undecided record was kept */
};

enum ca_status audit_frame_new(const struct programme *p, size_t i,
                               struct audit_frame **out, struct ca_error *err)
{
    struct audit_frame *f = calloc(1, sizeof(*f));

    *out = NULL;
    if (!f || !(f->s = engine_scratch_new(NULL))) {
        free(f);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    f->f = &p->frames[i];
    *out = f;
    return CA_OK;
}

void audit_frame_free(struct audit_frame *f)
{
    if (!f)
        return;
    engine_scratch_free(f->s);
    free(f);
}

static int judged(struct audit_frame *f, int rc, const char *why)
{
    if (rc >= 0)
        return rc;
    if (f->undecided++ == 0)
        snprintf(f->first, sizeof(f->first), "%s", why);
    return 1; /* kept: its rules will say `error` */
}

int audit_frame_test(void *ctx, const struct record *r, struct ca_error *err)
{
    struct audit_frame *f = ctx;
    const char *why = "";
    int rc;

    (void)err;
    if (r->type != f->f->type)
        return 0;
    if (!f->f->cond)
        return 1;
    rc = engine_condition_eval(f->f->cond, r, f->s, &why);
    return judged(f, rc, why);
}

int audit_frame_test_entries(struct audit_frame *f, const struct record *r,
                             const struct log_entry *e, size_t ne)
{
    const char *why = "";
    int rc;

    if (r->type != f->f->type)
        return 0;
    if (!f->f->cond)
        return 1;
    rc = engine_condition_eval_entries(f->f->cond, r, e, ne, f->s, &why);
    return judged(f, rc, why);
}

struct audit_outstanding {
    struct programme *owned; /* the shipped programme, when loaded here */
    struct audit_frame *f;
};

/* The frame index of the test p counts named suspects outstanding by, or
 * -1. */
static long outstanding_frame(const struct programme *p)
{
    size_t i;

    for (i = 0; p && i < p->ncounts; i++)
        if (p->counts[i].kind == PC_NAMED_SUSPECTS_OUTSTANDING &&
            p->counts[i].test >= 0)
            return (long)p->tests[p->counts[i].test].frame;
    return -1;
}

enum ca_status audit_outstanding_new(const struct programme *p,
                                     struct audit_outstanding **out,
                                     struct ca_error *err)
{
    struct audit_outstanding *o = calloc(1, sizeof(*o));
    long fi = outstanding_frame(p);
    enum ca_status st;

    *out = NULL;
    if (!o)
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    if (fi < 0) {
        char path[4096];

        if (programme_locate("hmic-2014", path, sizeof(path)) != 0) {
            free(o);
            return ca_error_set(err, CA_DATA, path, 0, NULL,
                                "unable to find the shipped programme "
                                "hmic-2014, which defines a named suspect "
                                "outstanding");
        }
        st = programme_load(path, NULL, &o->owned, err);
        if (st != CA_OK) {
            free(o);
            return st;
        }
        p = o->owned;
        if ((fi = outstanding_frame(p)) < 0) {
            programme_free(o->owned);
            free(o);
            return ca_error_set(err, CA_DATA, path, 0, NULL,
                                "the programme counts named suspects "
                                "outstanding by no test's frame");
        }
    }
    st = audit_frame_new(p, (size_t)fi, &o->f, err);
    if (st != CA_OK) {
        programme_free(o->owned);
        free(o);
        return st;
    }
    *out = o;
    return CA_OK;
}

void audit_outstanding_free(struct audit_outstanding *o)
{
    if (!o)
        return;
    audit_frame_free(o->f);
    programme_free(o->owned);
    free(o);
}

int audit_outstanding_test(void *ctx, const struct record *r,
                           const struct log_entries *le, struct ca_error *err)
{
    struct audit_outstanding *o = ctx;

    if (le)
        return audit_frame_test_entries(o->f, r, le->v, le->n);
    return audit_frame_test(o->f, r, err);
}

uint64_t audit_frame_undecided(const struct audit_frame *f)
{
    return f->undecided;
}

const char *audit_frame_first_undecided(const struct audit_frame *f)
{
    return f->first;
}

struct sample_frame_ref *audit_frame_ref(const struct programme *p, size_t i,
                                         const char *file)
{
    const struct programme_frame *fr = &p->frames[i];
    struct sample_frame_ref *ref = calloc(1, sizeof(*ref));
    size_t k;

    if (!ref)
        return NULL;
    if (!(ref->programme = strdup(p->id)) || !(ref->file = strdup(file)) ||
        !(ref->sha256 = strdup(p->sha256)) || !(ref->name = strdup(fr->name)) ||
        !(ref->conditions = strdup(fr->text)) ||
        !(ref->tests = calloc(fr->ntests + 1, sizeof(*ref->tests))))
        goto oom;
    for (k = 0; k < fr->ntests; k++, ref->ntests++)
        if (!(ref->tests[k] = strdup(p->tests[fr->tests[k]].id)))
            goto oom;
    return ref;
oom:
    sample_frame_ref_free(ref);
    return NULL;
}

enum ca_status audit_frame_for_manifest(const struct sample_frame_ref *ref,
                                        const char *name, const char *text,
                                        size_t len, struct programme **prog,
                                        struct audit_frame **frame,
                                        struct ca_error *err)
{
    struct programme *p = NULL;
    enum ca_status st;
    long i;

    *prog = NULL;
    *frame = NULL;
    st = programme_load_buffer(name, text, len, NULL, &p, err);
    if (st != CA_OK)
        return st;
    if (strcmp(p->sha256, ref->sha256) != 0) {
        st = ca_error_set(err, CA_FINDINGS, name, 0, NULL,
                          "programme file has SHA-256 %s, the manifest "
                          "recorded %s: the frame may differ",
                          p->sha256, ref->sha256);
        goto out;
    }
    i = programme_find_frame(p, ref->name);
    if (i < 0 || p->frames[i].type == RT_UNKNOWN) {
        st = ca_error_set(err, CA_FINDINGS, name, 0, NULL,
                          "programme '%s' has no frame '%s'", p->id, ref->name);
        goto out;
    }
    if (strcmp(p->frames[i].text, ref->conditions) != 0) {
        st = ca_error_set(err, CA_FINDINGS, name, 0, NULL,
                          "frame '%s' is written otherwise than the manifest "
                          "recorded it",
                          ref->name);
        goto out;
    }
    st = audit_frame_new(p, (size_t)i, frame, err);
out:
    if (st != CA_OK) {
        programme_free(p);
        return st;
    }
    *prog = p;
    return CA_OK;
}

static int every_record(void *ctx, const struct record *r, struct ca_error *err)
{
    (void)ctx;
    (void)r;
    (void)err;
    return 1; /* the draw keeps only records of the manifest's type */
}

static enum ca_status read_all(const char *path, char **text, size_t *len,
                               struct ca_error *err)
{
    FILE *fp = fopen(path, "rb");
    size_t n;

    *text = NULL;
    if (!fp)
        return ca_error_set(err, CA_DATA, path, 0, NULL, "unable to open: %s",
                            strerror(errno));
    *text = malloc(PROGRAMME_MAX_BYTES + 1);
    if (!*text) {
        fclose(fp);
        return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
    }
    n = fread(*text, 1, PROGRAMME_MAX_BYTES + 1, fp);
    fclose(fp);
    *len = n;
    return CA_OK;
}

enum ca_status audit_verify_frame(const struct sample_frame_ref *ref,
                                  const char *manifest_path, const char *given,
                                  const char *text, size_t len,
                                  struct audit_verify_frame *out,
                                  struct ca_error *err)
{
    char *own = NULL, *path = NULL, shipped[4096];
    enum ca_status st;
    struct stat sb;

    memset(out, 0, sizeof(*out));
    if (!ref->conditions[0]) {
        /* every record of the type: nothing to rebuild */
        out->fn = every_record;
        return CA_OK;
    }
    if (text) {
        snprintf(out->source, sizeof(out->source), "%s", ref->file);
    } else {
        if (given) {
            path = strdup(given);
        } else {
            path = manifest_resolve_input(manifest_path, ref->file);
            if (path && stat(path, &sb) != 0 &&
                programme_locate(ref->programme, shipped, sizeof(shipped)) ==
                    0) {
                free(path);
                path = strdup(shipped);
            }
        }
        if (!path)
            return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
        st = read_all(path, &own, &len, err);
        if (st != CA_OK) {
            if (st == CA_DATA)
                ca_error_set(err, CA_DATA, path, 0, NULL,
                             "the sample was drawn from frame '%s' of "
                             "programme '%s': unable to read the programme "
                             "(%s); give it with --programme",
                             ref->name, ref->programme, strerror(errno));
            free(path);
            return st;
        }
        snprintf(out->source, sizeof(out->source), "%s", path);
        text = own;
    }
    st = audit_frame_for_manifest(ref, out->source, text, len, &out->prog,
                                  &out->frame, err);
    free(own);
    free(path);
    if (st != CA_OK)
        return st;
    out->fn = audit_frame_test;
    out->ctx = out->frame;
    return CA_OK;
}

void audit_verify_frame_release(struct audit_verify_frame *v)
{
    audit_frame_free(v->frame);
    programme_free(v->prog);
    memset(v, 0, sizeof(*v));
}
