/* SPDX-License-Identifier: MIT */
/*
 * The report's output directory: made ready, and every report file
 * written into it, each private and atomically; see dir.h.
 */
#include "report/dir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/csvout.h"
#include "report/html.h"
#include "report/json.h"
#include "report/md.h"
#include "util/outfile.h"

const char *const report_files[] = {
    "summary.json", "summary.csv", "findings.csv",  "files.csv",
    "report.md",    "report.html", "overrides.csv", NULL};

/* --- the directory ------------------------------------------------------- */

enum ca_status report_prepare_dir(const char *dir, bool force,
                                  struct ca_error *err)
{
    struct stat sb;
    DIR *d;
    struct dirent *de;
    bool empty = true;

    if (stat(dir, &sb) != 0) {
        if (errno != ENOENT)
            return ca_error_set(err, CA_SYSTEM, dir, 0, NULL,
                                "unable to use output directory: %s",
                                strerror(errno));
        return outdir_create(dir, err);
    }
    if (!S_ISDIR(sb.st_mode))
        return ca_error_set(err, CA_USAGE, dir, 0, NULL,
                            "output path exists and is not a directory");
    d = opendir(dir);
    if (!d)
        return ca_error_set(err, CA_SYSTEM, dir, 0, NULL,
                            "unable to read output directory: %s",
                            strerror(errno));
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            empty = false;
            break;
        }
    closedir(d);
    if (!empty && !force)
        return ca_error_set(err, CA_USAGE, dir, 0, NULL,
                            "output directory is not empty (use --force to "
                            "write into it)");
    return CA_OK;
}

static enum ca_status write_one(const struct report *r, const char *dir,
                                const char *name, struct ca_error *err)
{
    struct outfile of;
    enum ca_status st;
    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= sizeof(path))
        return ca_error_set(err, CA_USAGE, dir, 0, NULL,
                            "output directory path too long");
    st = outfile_open(&of, path, err);
    if (st != CA_OK)
        return st;
    if (strcmp(name, "summary.json") == 0)
        st = report_write_json(r, of.fp, err);
    else if (strcmp(name, "summary.csv") == 0)
        report_write_summary_csv(r, of.fp);
    else if (strcmp(name, "findings.csv") == 0)
        st = findings_write_csv(r->fs, of.fp, err);
    else if (strcmp(name, "files.csv") == 0)
        report_write_files_csv(r, of.fp);
    else if (strcmp(name, "report.md") == 0)
        report_write_md(r, of.fp);
    else if (strcmp(name, "report.html") == 0)
        report_write_html(r, of.fp);
    else if (strcmp(name, "overrides.csv") == 0)
        findings_write_overrides(r->fs, of.fp);
    if (st != CA_OK) {
        if (!err->file[0])
            snprintf(err->file, sizeof(err->file), "%.*s",
                     (int)sizeof(err->file) - 1, path);
        outfile_abort(&of);
        return st;
    }
    return outfile_commit(&of, err);
}

enum ca_status report_write_dir(const struct report *r, const char *dir,
                                struct ca_error *err)
{
    enum ca_status st;
    size_t i;

    for (i = 0; report_files[i]; i++) {
        if ((strcmp(report_files[i], "overrides.csv") == 0 &&
             !r->fs->ovr_path) ||
            (strcmp(report_files[i], "files.csv") == 0 && !r->ntests)) {
            /* a stale one from an earlier report (--force) must not stay */
            char path[4096];

            snprintf(path, sizeof(path), "%s/%s", dir, report_files[i]);
            if (unlink(path) != 0 && errno != ENOENT)
                return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                                    "unable to remove: %s", strerror(errno));
            continue;
        }
        st = write_one(r, dir, report_files[i], err);
        if (st != CA_OK)
            return st;
    }
    return CA_OK;
}
