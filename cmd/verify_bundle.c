/* SPDX-License-Identifier: MIT */
/*
 * caseaudit verify BUNDLE.zip [INPUT...]: every entry of an evidence
 * bundle checked against its SHA256SUMS (report/bundle.c), then, when the
 * inputs are given, each sample manifest in the bundle re-drawn from them
 * exactly as `caseaudit verify MANIFEST INPUT...` does (samplers/verify.c).
 */
#include "cmd/verify_bundle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "cmd/sample_size.h"
#include "report/bundle.h"
#include "samplers/manifest.h"
#include "samplers/verify.h"
#include "audit/frame.h"

static const char usage[] = "caseaudit verify BUNDLE.zip [INPUT...] [--json]";

struct out {
    bool json;
    json_t *list; /* differences of the current manifest (json) */
    const char *where;
};

static void on_diff(void *ctx, const char *line)
{
    struct out *o = ctx;

    if (o->json)
        json_array_append_new(o->list, json_string(line));
    else {
        escape_term_printf(stdout, "difference: %s: %s", o->where, line);
        putchar('\n');
    }
}

/*
 * Read a manifest held in memory.  manifest_read() takes a path, so the
 * bytes go through a private temporary file (mode 0600, removed at once);
 * an error names the bundle entry, not the temporary file.
 */
enum ca_status verify_bundle_read_manifest(const char *where, const char *data,
                                           size_t len, struct manifest *m,
                                           struct ca_error *err)
{
    const char *dir = getenv("TMPDIR");
    char tmp[4096];
    enum ca_status st;
    FILE *fp;
    int fd;

    snprintf(tmp, sizeof(tmp), "%s/caseaudit-manifest-XXXXXX",
             dir && *dir ? dir : "/tmp");
    fd = mkstemp(tmp);
    if (fd < 0)
        return ca_error_set(err, CA_SYSTEM, tmp, 0, NULL,
                            "unable to create a temporary file: %s",
                            strerror(errno));
    fp = fdopen(fd, "wb");
    if (!fp) {
        close(fd);
        unlink(tmp);
        return ca_error_set(err, CA_SYSTEM, tmp, 0, NULL, "unable to write");
    }
    if (fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
        unlink(tmp);
        return ca_error_set(err, CA_SYSTEM, tmp, 0, NULL, "unable to write");
    }
    st = manifest_read(tmp, m, err);
    unlink(tmp);
    if (st != CA_OK && strcmp(err->file, tmp) == 0) {
        size_t n = strlen(where);

        if (n >= sizeof(err->file))
            n = sizeof(err->file) - 1;
        memcpy(err->file, where, n);
        err->file[n] = '\0';
    }
    return st;
}

/* Re-draw one manifest; *ndiff gets its differences.  Returns a status
 * for failures other than differences. */
/* The bundle's copy of a programme file (programmes/<base name>). */
static const struct bundle_entry *
programme_entry(const struct bundle_contents *c, const char *file)
{
    const char *base = strrchr(file, '/');
    char name[1024];
    size_t i;

    snprintf(name, sizeof(name), "programmes/%s", base ? base + 1 : file);
    for (i = 0; i < c->n; i++)
        if (strcmp(c->v[i].name, name) == 0)
            return &c->v[i];
    return NULL;
}

static enum ca_status redraw(const char *where, const struct bundle_entry *e,
                             const struct bundle_contents *c,
                             const char *programme, const char *const *inputs,
                             size_t ninputs, const struct input_pool *pool,
                             size_t *used, struct out *o, uint64_t *ndiff,
                             uint64_t *nsel, uint64_t *nspares, uint64_t *rows,
                             struct ca_error *err)
{
    struct manifest m;
    struct sample_sizer sizer;
    struct verify_config vc;
    struct audit_verify_frame vf;
    const char **matched = NULL;
    enum ca_status st;
    size_t i;

    *ndiff = 0;
    *used = ninputs;
    memset(&vf, 0, sizeof(vf));
    st = verify_bundle_read_manifest(where, e->data, e->len, &m, err);
    if (st != CA_OK)
        return st;
    memset(&vc, 0, sizeof(vc));
    if (m.p.programme) {
        const struct bundle_entry *pe =
            programme ? NULL : programme_entry(c, m.p.programme->file);

        st = audit_verify_frame(m.p.programme, where, programme,
                                pe ? pe->data : NULL, pe ? pe->len : 0, &vf,
                                err);
        if (st == CA_FINDINGS) {
            char line[2048];

            on_diff(o, ca_error_format(err, line, sizeof(line)));
            *ndiff = 1;
            st = CA_OK;
            goto out;
        }
        if (st != CA_OK)
            goto out;
        vc.frame = vf.fn;
        vc.frame_ctx = vf.ctx;
    }
    if (m.p.plan.mode != PLAN_MODE_FIXED && m.p.plan.mode != PLAN_MODE_CENSUS) {
        if (sample_sizer_from_plan(&sizer, &m.p.plan, usage) != 0) {
            st = ca_error_set(err, CA_DATA, where, 0, "plan",
                              "the manifest's plan cannot be used");
            goto out;
        }
        st = sample_sizer_bound(&sizer, &vc.size_bound, err);
        if (st != CA_OK)
            goto out;
        vc.size = sample_sizer_size;
        vc.size_ctx = &sizer;
    }
    vc.m = &m;
    vc.paths = inputs;
    vc.npaths = ninputs;
    /* a bundle of samples drawn from different files: each manifest's own
     * inputs, found by SHA-256 among the files given (or in a folder) */
    if (pool) {
        int r = input_pool_match(pool, &m, &matched);

        if (r < 0) {
            st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL, "out of memory");
            goto out;
        }
        if (r == 1) {
            vc.paths = matched;
            vc.npaths = m.r.ninputs;
            vc.matched = true;
        }
    }
    *used = vc.npaths;
    vc.on_diff = on_diff;
    vc.diff_ctx = o;
    if (cmd_stderr_is_tty())
        vc.on_progress = cmd_ingest_progress;
    st = manifest_verify(&vc, ndiff, err);
    *nsel = *nspares = 0;
    for (i = 0; i < m.r.sel.nitems; i++) {
        if (m.r.sel.items[i].spare)
            (*nspares)++;
        else
            (*nsel)++;
    }
    *rows = m.r.rows_read;
out:
    free(matched);
    audit_verify_frame_release(&vf);
    manifest_release(&m);
    return st;
}

/* A bundle being verified: what is given and what was found. */
struct vb {
    const char *path;
    const char *const *inputs;
    size_t ninputs;
    const char *programme;
    bool json;
    struct bundle_contents c;
    struct out o;
    struct input_pool pool;
    bool have_pool;
    json_t *root, *mans, *top;
    uint64_t total_diff;
};

/* The hashes of the bundle's entries against SHA256SUMS: 0, or an exit
 * status; *ok: the hashes verify (a difference is counted, not fatal). */
static int vb_hashes(struct vb *v, bool *ok)
{
    struct ca_error err = CA_ERROR_INIT;
    enum ca_status st = bundle_verify(v->path, &v->c, &err);
    int rc = 0;

    *ok = st == CA_OK;
    if (st == CA_FINDINGS) {
        char line[2048];

        ca_error_format(&err, line, sizeof(line));
        v->total_diff++;
        if (v->json)
            json_array_append_new(v->top, json_string(line));
        else {
            escape_term_printf(stdout, "difference: %s", line);
            putchar('\n');
        }
    } else if (st != CA_OK) {
        rc = cmd_fail(&err);
    } else if (!v->json) {
        escape_term_printf(stdout, "verified: %s: %zu files match SHA256SUMS",
                           v->path, v->c.n);
        putchar('\n');
    }
    return rc;
}

/* Each manifest re-drawn (only what the hashes vouch for): 0, or an exit
 * status. */
static int vb_redraw(struct vb *v)
{
    struct ca_error err = CA_ERROR_INIT;
    int rc = 0;
    size_t i;

    for (i = 0; i < v->c.n; i++) {
        const struct bundle_entry *e = &v->c.v[i];
        char where[4200];
        uint64_t nd, nsel = 0, nsp = 0, rows = 0;
        size_t used = v->ninputs;
        enum ca_status rs;

        if (!e->manifest)
            continue;
        snprintf(where, sizeof(where), "%s:%s", v->path, e->name);
        v->o.where = where;
        if (v->json && !(v->o.list = json_array())) {
            rc = cmd_oom();
            goto out;
        }
        rs = redraw(where, e, &v->c, v->programme, v->inputs, v->ninputs,
                    v->have_pool ? &v->pool : NULL, &used, &v->o, &nd, &nsel,
                    &nsp, &rows, &err);
        if (rs != CA_OK) {
            json_decref(v->o.list);
            v->o.list = NULL;
            rc = cmd_fail(&err);
            goto out;
        }
        v->total_diff += nd;
        if (v->json) {
            json_array_append_new(
                v->mans, json_pack("{s:s,s:b,s:o}", "name", e->name, "verified",
                                   nd == 0, "differences", v->o.list));
            v->o.list = NULL;
        } else if (nd == 0) {
            escape_term_printf(
                stdout,
                "verified: %s: %zu input%s, %llu rows, %llu "
                "selected and %llu spares re-drawn identically",
                where, used, used == 1 ? "" : "s", (unsigned long long)rows,
                (unsigned long long)nsel, (unsigned long long)nsp);
            putchar('\n');
        }
    }
out:
    return rc;
}

/* The checks run again on the export, compared with the bundle's: 0, or
 * an exit status. */
static int vb_recheck(struct vb *v)
{
    struct ca_error err = CA_ERROR_INIT;
    uint64_t nd = 0;
    enum ca_status rs;
    int rc = 0;

    v->o.where = v->path;
    if (v->json && !(v->o.list = json_array())) {
        rc = cmd_oom();
        goto out;
    }
    rs = verify_recheck(v->path, &v->c, v->inputs, v->ninputs, on_diff, &v->o,
                        &nd, &err);
    if (rs != CA_OK) {
        json_decref(v->o.list);
        v->o.list = NULL;
        rc = cmd_fail(&err);
        goto out;
    }
    v->total_diff += nd;
    if (v->json) {
        json_object_set_new(v->root, "recheck",
                            json_pack("{s:b,s:o}", "verified", nd == 0,
                                      "differences", v->o.list));
        v->o.list = NULL;
    } else if (nd == 0) {
        escape_term_printf(stdout,
                           "rechecked: %s: the checks run again on %zu "
                           "input%s give the same findings, files and "
                           "summary",
                           v->path, v->ninputs, v->ninputs == 1 ? "" : "s");
        putchar('\n');
    }
out:
    return rc;
}

/* The JSON answer (--json): 0, or an exit status. */
static int vb_print_json(struct vb *v)
{
    struct ca_error err = CA_ERROR_INIT;
    int rc = 0;

    json_object_set_new(v->root, "verified", json_boolean(v->total_diff == 0));
    json_object_set_new(v->root, "bundle", json_string(v->path));
    json_object_set_new(v->root, "entries", json_integer((json_int_t)v->c.n));
    json_object_set_new(v->root, "redrawn", json_boolean(v->ninputs > 0));
    json_object_set_new(v->root, "differences", v->top);
    json_object_set_new(v->root, "manifests", v->mans);
    v->top = v->mans = NULL;
    if (json_dumpf(v->root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) !=
        0) {
        ca_error_set(&err, CA_SYSTEM, NULL, 0, NULL,
                     "unable to write the output");
        rc = cmd_fail(&err);
        goto out;
    }
    putchar('\n');
out:
    return rc;
}

int verify_bundle(const char *path, const char *const *inputs, size_t ninputs,
                  const char *programme, bool json, bool recheck)
{
    struct ca_error err = CA_ERROR_INIT;
    struct vb v;
    bool ok = false;
    size_t i, nman = 0;
    int rc = CA_OK;

    memset(&v, 0, sizeof(v));
    v.path = path;
    v.inputs = inputs;
    v.ninputs = ninputs;
    v.programme = programme;
    v.json = json;
    v.o.json = json;
    v.o.where = path;
    if (json && (!(v.root = json_object()) || !(v.mans = json_array()) ||
                 !(v.top = json_array()))) {
        rc = cmd_oom();
        goto out;
    }
    if ((rc = vb_hashes(&v, &ok)) != 0)
        goto out;
    for (i = 0; i < v.c.n && ok; i++)
        nman += v.c.v[i].manifest;
    if (ok && ninputs && nman) {
        /* each manifest re-drawn from its own inputs when their SHA-256
         * are among the files given; else from all of them, as given */
        if (input_pool_build(&v.pool, inputs, ninputs, &err) != CA_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
        v.have_pool = true;
    }
    if (ok && ninputs && (rc = vb_redraw(&v)) != 0)
        goto out;
    if (recheck && ok) {
        if ((rc = vb_recheck(&v)) != 0)
            goto out;
    } else if (json) {
        json_object_set_new(v.root, "recheck", json_null());
    }
    if (json) {
        if ((rc = vb_print_json(&v)) != 0)
            goto out;
    } else if (ok && !ninputs && nman) {
        printf("not re-drawn: give the export after the bundle to re-draw "
               "its %zu sample%s\n",
               nman, nman == 1 ? "" : "s");
    }
    if (v.total_diff) {
        fflush(stdout);
        cmd_error("%s does not verify: %llu difference%s", path,
                  (unsigned long long)v.total_diff,
                  v.total_diff == 1 ? "" : "s");
        rc = CA_FINDINGS;
    }
out:
    json_decref(v.root);
    json_decref(v.mans);
    json_decref(v.top);
    bundle_contents_release(&v.c);
    if (v.have_pool)
        input_pool_release(&v.pool);
    return rc;
}
