/* SPDX-License-Identifier: MIT */
/*
 * Profiles: header mapping helpers, and loading (built-in names resolve to
 * the YAML compiled in from profiles/; anything else is read as a file).
 * The YAML reader is in profile_yaml.c.
 */
#include "ingest/profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/embedded.h"
#include "util/path.h"
#include "util/suggest.h"
#include "util/strv.h"

static const char *const builtin_names[] = {"canonical", "police-uk", NULL};

const char *const *profile_builtin_names(void)
{
    return builtin_names;
}

void profile_free(struct profile *p)
{
    size_t i;

    if (!p)
        return;
    free(p->name);
    free(p->origin);
    free(p->description);
    strv_free(p->detect, p->ndetect);
    for (i = 0; i < CF__COUNT; i++) {
        strv_free(p->columns[i], p->ncolumns[i]);
        free(p->date_formats[i]);
    }
    free(p->date_format);
    strv_free(p->yes, p->nyes);
    strv_free(p->no, p->nno);
    if (p->has_entry_regex)
        entry_regex_release(&p->entry_regex);
    free(p->entry_date_format);
    free(p->force_fallback);
    strv_free(p->force_strip, p->nforce_strip);
    for (i = 0; i < p->nderive; i++) {
        strv_free(p->derive[i].keys, p->derive[i].n);
        strv_free(p->derive[i].values, p->derive[i].n);
        free(p->derive[i].fallback);
    }
    free(p->derive);
    free(p);
}

/* Header names compare case-insensitively, ignoring surrounding spaces. */
static int name_eq(const char *header, const char *want)
{
    size_t hl, wl;

    if (!header)
        return 0;
    while (*header == ' ' || *header == '\t')
        header++;
    hl = strlen(header);
    while (hl && (header[hl - 1] == ' ' || header[hl - 1] == '\t'))
        hl--;
    wl = strlen(want);
    return hl == wl && ingest_strncaseeq(header, want, hl);
}

static int find_col(const char *want, const char *const *names, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (name_eq(names[i], want))
            return (int)i;
    return -1;
}

bool profile_detects(const struct profile *p, const char *const *names,
                     size_t n)
{
    size_t i;

    if (!p->ndetect)
        return false;
    for (i = 0; i < p->ndetect; i++)
        if (find_col(p->detect[i], names, n) < 0)
            return false;
    return true;
}

int profile_column(const struct profile *p, enum cf f, const char *const *names,
                   size_t n)
{
    size_t i;
    int c;

    if (p && p->position[f])
        return p->position[f] <= n ? (int)p->position[f] - 1 : -1;
    if (p) {
        for (i = 0; i < p->ncolumns[f]; i++) {
            c = find_col(p->columns[f][i], names, n);
            if (c >= 0)
                return c;
        }
    }
    return find_col(cf_name(f), names, n);
}

void profile_force_slug(const struct profile *p, const char *name, char *out,
                        size_t size)
{
    size_t len, i, o = 0, sl;
    bool dash = false;

    if (size == 0)
        return;
    while (*name == ' ')
        name++;
    len = strlen(name);
    while (len && name[len - 1] == ' ')
        len--;
    for (i = 0; p && i < p->nforce_strip; i++) {
        sl = strlen(p->force_strip[i]);
        if (sl < len &&
            ingest_strncaseeq(name + len - sl, p->force_strip[i], sl)) {
            len -= sl;
            while (len && name[len - 1] == ' ')
                len--;
            break;
        }
    }
    for (i = 0; i < len && o + 1 < size; i++) {
        unsigned char ch = (unsigned char)name[i];

        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (dash && o)
                out[o++] = '-';
            dash = false;
            if (o + 1 < size)
                out[o++] = (char)ch;
        } else if (ch >= 'A' && ch <= 'Z') {
            if (dash && o)
                out[o++] = '-';
            dash = false;
            if (o + 1 < size)
                out[o++] = (char)(ch + 32);
        } else {
            dash = true;
        }
    }
    out[o] = '\0';
}

enum ca_status profile_load(const char *name_or_path, struct profile **out,
                            struct ca_error *err)
{
    const struct embedded_file *ef;
    char fname[128];
    FILE *fp = NULL;
    char *text = NULL;
    size_t len = 0, alloc = 0, n;
    enum ca_status st;

    *out = NULL;
    if (!strchr(name_or_path, '/') && strlen(name_or_path) < 100) {
        snprintf(fname, sizeof(fname), "%s.yaml", name_or_path);
        ef = embedded_find(fname);
        if (ef) {
            st = profile_load_text(ef->data, ef->len, fname, out, err);
            if (st == CA_OK) {
                free((*out)->origin);
                (*out)->origin = strdup("built-in");
                if (!(*out)->origin) {
                    profile_free(*out);
                    *out = NULL;
                    return ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                                        "out of memory");
                }
            }
            return st;
        }
    }
    if (access(name_or_path, F_OK) != 0 && errno == ENOENT &&
        !strchr(name_or_path, '/') && !strstr(name_or_path, ".y")) {
        const char *near = suggest_closest(name_or_path, builtin_names, 2, 2);

        return ca_error_set(err, CA_USAGE, NULL, 0, NULL,
                            "unknown profile '%s'%s%s%s (built-in: "
                            "canonical, police-uk; or a YAML file)",
                            name_or_path, near ? "; did you mean '" : "",
                            near ? near : "", near ? "'?" : "");
    }
    /* a profile file is an input: missing or a directory is bad input */
    st = path_want_file(name_or_path, err);
    if (st != CA_OK)
        return st;
    fp = fopen(name_or_path, "rb");
    if (!fp)
        return ca_error_set(err, CA_DATA, name_or_path, 0, NULL,
                            "unable to open: %s", strerror(errno));
    for (;;) {
        if (len + 4096 > alloc) {
            char *nt;

            if (alloc > 16 * 1024 * 1024) {
                st = ca_error_set(err, CA_USAGE, name_or_path, 0, NULL,
                                  "profile larger than 16 MiB");
                goto out;
            }
            alloc = alloc ? alloc * 2 : 8192;
            nt = realloc(text, alloc);
            if (!nt) {
                st = ca_error_set(err, CA_SYSTEM, NULL, 0, NULL,
                                  "out of memory");
                goto out;
            }
            text = nt;
        }
        n = fread(text + len, 1, alloc - len - 1, fp);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(fp)) {
        st = ca_error_set(err, CA_SYSTEM, name_or_path, 0, NULL,
                          "unable to read profile: %s", strerror(errno));
        goto out;
    }
    text[len] = '\0';
    st = profile_load_text(text, len, name_or_path, out, err);
out:
    if (fp)
        fclose(fp);
    free(text);
    return st;
}
