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

int verify_bundle(const char *path, const char *const *inputs, size_t ninputs,
                  const char *programme, bool json, bool recheck)
{
    struct bundle_contents c;
    struct ca_error err = CA_ERROR_INIT;
    struct out o = {json, NULL, path};
    struct input_pool pool;
    bool have_pool = false;
    json_t *root = NULL, *mans = NULL, *top = NULL;
    enum ca_status st;
    uint64_t total_diff = 0;
    size_t i, nman = 0;
    int rc = CA_OK;

    memset(&c, 0, sizeof(c));
    if (json && (!(root = json_object()) || !(mans = json_array()) ||
                 !(top = json_array()))) {
        rc = cmd_oom();
        goto out;
    }
    st = bundle_verify(path, &c, &err);
    if (st == CA_FINDINGS) {
        char line[2048];

        ca_error_format(&err, line, sizeof(line));
        total_diff++;
        if (json)
            json_array_append_new(top, json_string(line));
        else {
            escape_term_printf(stdout, "difference: %s", line);
            putchar('\n');
        }
    } else if (st != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    } else if (!json) {
        escape_term_printf(stdout, "verified: %s: %zu files match SHA256SUMS",
                           path, c.n);
        putchar('\n');
    }
    for (i = 0; i < c.n && st == CA_OK; i++)
        nman += c.v[i].manifest;
    if (st == CA_OK && ninputs && nman) {
        /* each manifest re-drawn from its own inputs when their SHA-256
         * are among the files given; else from all of them, as given */
        if (input_pool_build(&pool, inputs, ninputs, &err) != CA_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
        have_pool = true;
    }
    /* re-draw only what the hashes vouch for */
    for (i = 0; i < c.n && st == CA_OK && ninputs; i++) {
        const struct bundle_entry *e = &c.v[i];
        char where[4200];
        uint64_t nd, nsel = 0, nsp = 0, rows = 0;
        size_t used = ninputs;
        enum ca_status rs;

        if (!e->manifest)
            continue;
        snprintf(where, sizeof(where), "%s:%s", path, e->name);
        o.where = where;
        if (json && !(o.list = json_array())) {
            rc = cmd_oom();
            goto out;
        }
        rs = redraw(where, e, &c, programme, inputs, ninputs,
                    have_pool ? &pool : NULL, &used, &o, &nd, &nsel, &nsp,
                    &rows, &err);
        if (rs != CA_OK) {
            json_decref(o.list);
            o.list = NULL;
            rc = cmd_fail(&err);
            goto out;
        }
        total_diff += nd;
        if (json) {
            json_array_append_new(mans, json_pack("{s:s,s:b,s:o}", "name",
                                                  e->name, "verified", nd == 0,
                                                  "differences", o.list));
            o.list = NULL;
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
    /* the checks run again on the export, compared with the bundle's */
    if (recheck && st == CA_OK) {
        uint64_t nd = 0;
        enum ca_status rs;

        o.where = path;
        if (json && !(o.list = json_array())) {
            rc = cmd_oom();
            goto out;
        }
        rs = verify_recheck(path, &c, inputs, ninputs, on_diff, &o, &nd, &err);
        if (rs != CA_OK) {
            json_decref(o.list);
            o.list = NULL;
            rc = cmd_fail(&err);
            goto out;
        }
        total_diff += nd;
        if (json) {
            json_object_set_new(root, "recheck",
                                json_pack("{s:b,s:o}", "verified", nd == 0,
                                          "differences", o.list));
            o.list = NULL;
        } else if (nd == 0) {
            escape_term_printf(stdout,
                               "rechecked: %s: the checks run again on %zu "
                               "input%s give the same findings, files and "
                               "summary",
                               path, ninputs, ninputs == 1 ? "" : "s");
            putchar('\n');
        }
    } else if (json) {
        json_object_set_new(root, "recheck", json_null());
    }
    if (json) {
        json_object_set_new(root, "verified", json_boolean(total_diff == 0));
        json_object_set_new(root, "bundle", json_string(path));
        json_object_set_new(root, "entries", json_integer((json_int_t)c.n));
        json_object_set_new(root, "redrawn", json_boolean(ninputs > 0));
        json_object_set_new(root, "differences", top);
        json_object_set_new(root, "manifests", mans);
        top = mans = NULL;
        if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) !=
            0) {
            ca_error_set(&err, CA_SYSTEM, NULL, 0, NULL,
                         "unable to write the output");
            rc = cmd_fail(&err);
            goto out;
        }
        putchar('\n');
    } else if (st == CA_OK && !ninputs && nman) {
        printf("not re-drawn: give the export after the bundle to re-draw "
               "its %zu sample%s\n",
               nman, nman == 1 ? "" : "s");
    }
    if (total_diff) {
        fflush(stdout);
        cmd_error("%s does not verify: %llu difference%s", path,
                  (unsigned long long)total_diff, total_diff == 1 ? "" : "s");
        rc = CA_FINDINGS;
    }
out:
    json_decref(root);
    json_decref(mans);
    json_decref(top);
    bundle_contents_release(&c);
    if (have_pool)
        input_pool_release(&pool);
    return rc;
}
