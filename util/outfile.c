/* SPDX-License-Identifier: MIT */
/* Atomic, private output files; see outfile.h. */
#include "util/outfile.h"

#include "util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum ca_status outfile_open(struct outfile *o, const char *path,
                            struct ca_error *err)
{
    struct stat sb;
    size_t n;
    int fd = -1;

    memset(o, 0, sizeof(*o));
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        return CA_OK;
    }
    if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                                PATH_IS_DIRECTORY);
        /* a device, a pipe or a symbolic link (/dev/null, a FIFO,
         * /dev/stdout -> /proc/self/fd/1) is written through, in place:
         * renaming a file over it would replace it */
        o->path = strdup(path);
        fd = open(path, O_WRONLY | O_TRUNC);
        if (!o->path || fd < 0 || !(o->fp = fdopen(fd, "w"))) {
            int e = o->path ? errno : ENOMEM;

            if (fd >= 0)
                close(fd);
            free(o->path);
            o->path = NULL;
            return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                                "unable to open: %s", strerror(e));
        }
        return CA_OK;
    }
    n = strlen(path);
    o->path = strdup(path);
    o->tmp = malloc(n + 16);
    if (!o->path || !o->tmp) {
        outfile_abort(o);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    }
    memcpy(o->tmp, path, n);
    memcpy(o->tmp + n, ".tmp-XXXXXX", 12);
    fd = mkstemp(o->tmp); /* mkstemp creates mode 0600 */
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        outfile_abort(o);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL,
                            "unable to create: %s", strerror(e));
    }
    fchmod(fd, 0600);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        int e = errno;
        close(fd);
        outfile_abort(o);
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "unable to open: %s",
                            strerror(e));
    }
    return CA_OK;
}

static void outfile_release(struct outfile *o)
{
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    o->fp = NULL;
}

enum ca_status outfile_commit(struct outfile *o, struct ca_error *err)
{
    enum ca_status st = CA_OK;
    int e = 0;

    if (!o->tmp && !o->path) { /* stdout */
        if (fflush(o->fp) != 0)
            st = ca_error_set(err, CA_SYSTEM, "<stdout>", 0, NULL,
                              "write failed: %s", strerror(errno));
        o->fp = NULL;
        return st;
    }
    if (!o->tmp) { /* a device or a pipe, written in place */
        if (fflush(o->fp) != 0 || ferror(o->fp))
            e = errno ? errno : EIO;
        if (fclose(o->fp) != 0 && !e)
            e = errno;
        o->fp = NULL;
        if (e)
            st = ca_error_set(err, CA_SYSTEM, o->path, 0, NULL,
                              "unable to write: %s", strerror(e));
        outfile_release(o);
        return st;
    }
    if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0)
        e = errno ? errno : EIO;
    if (fclose(o->fp) != 0 && !e)
        e = errno;
    o->fp = NULL;
    if (!e && rename(o->tmp, o->path) != 0)
        e = errno;
    if (e) {
        unlink(o->tmp);
        st = ca_error_set(err, CA_SYSTEM, o->path, 0, NULL,
                          "unable to write: %s", strerror(e));
    }
    outfile_release(o);
    return st;
}

void outfile_abort(struct outfile *o)
{
    if (!o)
        return;
    if (o->fp && (o->tmp || o->path))
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    outfile_release(o);
}

enum ca_status outdir_create(const char *path, struct ca_error *err)
{
    char *p = strdup(path);
    char *s;
    enum ca_status st = CA_OK;

    if (!p)
        return ca_error_set(err, CA_SYSTEM, path, 0, NULL, "out of memory");
    for (s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST) {
                st = ca_error_set(err, CA_SYSTEM, p, 0, NULL,
                                  "unable to create directory: %s",
                                  strerror(errno));
                break;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return st;
}
