/* SPDX-License-Identifier: MIT */
/* An output directory put in place whole; see outdir.h. */
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE, where the C library has them */
#include "util/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* The old directory renamed aside, where it cannot be exchanged in one
 * step.  Never removed as a stray: a run killed between the two renames
 * leaves the previous outputs there. */
#define OLD_PREFIX ".caseaudit-old-"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static bool dots(const char *n)
{
    return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

static bool ours(const char *n)
{
    return strncmp(n, OUTDIR_STAGING_PREFIX,
                   sizeof(OUTDIR_STAGING_PREFIX) - 1) == 0 ||
           strncmp(n, OLD_PREFIX, sizeof(OLD_PREFIX) - 1) == 0;
}

static char *parent_of(const char *p)
{
    const char *s = strrchr(p, '/');

    if (!s)
        return strdup(".");
    if (s == p)
        return strdup("/");
    return strndup(p, (size_t)(s - p));
}

static char *strip_slashes(const char *t)
{
    size_t n = strlen(t);

    while (n > 1 && t[n - 1] == '/')
        n--;
    return strndup(t, n);
}

/* Remove name (relative to the directory fd at) and everything under it.
 * Allocates nothing of its own, so that cleaning up after an allocation
 * failure cannot fail for want of memory.  0, or -1 when something
 * stayed. */
static int remove_at(int at, const char *name, int depth)
{
    struct stat sb;
    struct dirent *de;
    DIR *dir;
    int fd, rc = 0;

    if (fstatat(at, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(sb.st_mode))
        return unlinkat(at, name, 0) == 0 || errno == ENOENT ? 0 : -1;
    if (depth > 16)
        return -1;
    fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return -1;
    }
    while ((de = readdir(dir)) != NULL)
        if (!dots(de->d_name) && remove_at(dirfd(dir), de->d_name, depth + 1))
            rc = -1;
    closedir(dir);
    if (unlinkat(at, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

static void fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* A staging directory of a process that no longer exists:
 * <prefix><pid>-XXXXXX. */
static bool stray(const char *name)
{
    const size_t n = sizeof(OUTDIR_STAGING_PREFIX) - 1;
    const char *p = name + n;
    char *end;
    long pid;

    if (strncmp(name, OUTDIR_STAGING_PREFIX, n) != 0)
        return false;
    errno = 0;
    pid = strtol(p, &end, 10);
    if (end == p || *end != '-' || strlen(end + 1) != 6 || errno || pid <= 0 ||
        pid == (long)getpid())
        return false;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Remove the strays in dir (best effort). */
static void clean_strays(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;

    if (!d)
        return;
    while ((de = readdir(d)) != NULL)
        if (stray(de->d_name))
            (void)remove_at(dirfd(d), de->d_name, 0);
    closedir(d);
}

/* 1 when dir has an entry, 0 when it is empty, -1 (errno) when it cannot
 * be read. */
static int has_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int any = 0;

    if (!d)
        return -1;
    while (!any && (de = readdir(d)) != NULL)
        any = !dots(de->d_name);
    closedir(d);
    return any;
}

/* Whether dir holds a folder of its own (not a staging directory). */
static bool holds_folder(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    struct stat sb;
    bool any = false;

    if (!d)
        return true;
    while (!any && (de = readdir(d)) != NULL)
        any = !dots(de->d_name) && !ours(de->d_name) &&
              fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
              S_ISDIR(sb.st_mode);
    closedir(d);
    return any;
}

/* Whether real is, or holds, the current directory (which cannot be
 * renamed away from under the user). */
static bool holds_cwd(const char *real)
{
    char cwd[PATH_MAX];
    size_t n = strlen(real);

    if (!getcwd(cwd, sizeof(cwd)))
        return true;
    if (strcmp(real, "/") == 0)
        return true;
    return strncmp(cwd, real, n) == 0 && (cwd[n] == '\0' || cwd[n] == '/');
}

enum ca_status outdir_check(const char *target, bool force,
                            struct ca_error *err)
{
    struct stat sb;
    int any;

    if (stat(target, &sb) != 0) {
        if (errno == ENOENT)
            return CA_OK;
        return ca_error_set(err, CA_SYSTEM, target, 0, NULL,
                            "unable to use output directory: %s",
                            strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode))
        return ca_error_set(err, CA_USAGE, target, 0, NULL,
                            "output path exists and is not a directory");
    any = has_entries(target);
    if (any < 0)
        return ca_error_set(err, CA_SYSTEM, target, 0, NULL,
                            "unable to read output directory: %s",
                            strerror(errno));
    if (any && !force)
        return ca_error_set(err, CA_USAGE, target, 0, NULL,
                            "output directory is not empty (use --force to "
                            "write into it)");
    return CA_OK;
}

static enum ca_status oom(struct ca_error *err, const char *where)
{
    return ca_error_set(err, CA_SYSTEM, where, 0, NULL, "out of memory");
}

/* Create the missing directories of d->parent, remembering the topmost. */
static enum ca_status make_parents(struct outdir *d, struct ca_error *err)
{
    char buf[PATH_MAX];
    size_t n = strlen(d->parent), i;
    struct stat sb;

    if (stat(d->parent, &sb) == 0)
        return S_ISDIR(sb.st_mode) ? CA_OK
                                   : ca_error_set(err, CA_USAGE, d->parent, 0,
                                                  NULL, "not a directory");
    if (n >= sizeof(buf))
        return ca_error_set(err, CA_USAGE, d->parent, 0, NULL,
                            "output directory path too long");
    memcpy(buf, d->parent, n + 1);
    for (i = 1; i <= n; i++) {
        char c = buf[i];

        if (c != '/' && c != '\0')
            continue;
        buf[i] = '\0';
        if (mkdir(buf, 0700) == 0) {
            if (!d->made && !(d->made = strdup(buf))) {
                rmdir(buf);
                return oom(err, d->target);
            }
        } else if (errno != EEXIST) {
            return ca_error_set(err, CA_SYSTEM, buf, 0, NULL,
                                "unable to create directory: %s",
                                strerror(errno));
        }
        buf[i] = c;
    }
    return CA_OK;
}

/* mkdtemp <dir>/.caseaudit-tmp-<pid>-XXXXXX into d->path; 0 or errno. */
static int make_staging(struct outdir *d, const char *dir)
{
    size_t n = strlen(dir) + sizeof(OUTDIR_STAGING_PREFIX) + 32;
    char *p = malloc(n);

    if (!p)
        return ENOMEM;
    snprintf(p, n, "%s/" OUTDIR_STAGING_PREFIX "%ld-XXXXXX",
             strcmp(dir, "/") == 0 ? "" : dir, (long)getpid());
    if (!mkdtemp(p)) {
        int e = errno;

        free(p);
        return e;
    }
    d->path = p;
    return 0;
}

static void release(struct outdir *d)
{
    free(d->path);
    free(d->target);
    free(d->real);
    free(d->parent);
    free(d->made);
    memset(d, 0, sizeof(*d));
}

enum ca_status outdir_begin(struct outdir *d, const char *target, bool force,
                            outdir_owned_fn owned, struct ca_error *err)
{
    struct stat sb, pb;
    enum ca_status st;
    int e;

    memset(d, 0, sizeof(*d));
    d->owned = owned;
    st = outdir_check(target, force, err);
    if (st != CA_OK)
        return st;
    if (!(d->target = strip_slashes(target))) {
        st = oom(err, target);
        goto fail;
    }
    if (stat(d->target, &sb) == 0) {
        d->existed = true;
        if (!(d->real = realpath(d->target, NULL))) {
            st = ca_error_set(err, CA_SYSTEM, target, 0, NULL,
                              "unable to use output directory: %s",
                              strerror(errno));
            goto fail;
        }
    } else if (!(d->real = strdup(d->target))) {
        st = oom(err, target);
        goto fail;
    }
    if (!(d->parent = parent_of(d->real))) {
        st = oom(err, target);
        goto fail;
    }
    if (!d->existed && (st = make_parents(d, err)) != CA_OK)
        goto fail;
    if (force) {
        clean_strays(d->parent);
        if (d->existed)
            clean_strays(d->real);
    }
    if (d->existed)
        d->in_place = holds_cwd(d->real) || stat(d->parent, &pb) != 0 ||
                      pb.st_dev != sb.st_dev || holds_folder(d->real);
    if (!d->in_place && (e = make_staging(d, d->parent)) != 0) {
        if (e == ENOMEM) {
            st = oom(err, target);
            goto fail;
        }
        if (!d->existed || (e != EACCES && e != EPERM && e != EROFS)) {
            st = ca_error_set(err, CA_SYSTEM, d->parent, 0, NULL,
                              "unable to create a directory: %s", strerror(e));
            goto fail;
        }
        d->in_place = true; /* the parent is not ours to write */
    }
    if (d->in_place && (e = make_staging(d, d->real)) != 0) {
        st = e == ENOMEM ? oom(err, target)
                         : ca_error_set(err, CA_SYSTEM, target, 0, NULL,
                                        "unable to create a directory: %s",
                                        strerror(e));
        goto fail;
    }
    return CA_OK;
fail:
    outdir_abort(d);
    return st;
}

/* Whether the entries a and b (relative to directory fds) are one file. */
static bool same_file(int ad, const char *a, int bd, const char *b)
{
    struct stat sa, sb;

    return fstatat(ad, a, &sa, AT_SYMLINK_NOFOLLOW) == 0 &&
           fstatat(bd, b, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * Link every entry of the old directory the caller does not own into the
 * staging directory (a name this run wrote itself stays this run's).
 * 0, or -1 with the links made undone and errno set.
 */
static int keep_entries(struct outdir *d)
{
    DIR *od = opendir(d->real);
    int sd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct dirent *de;
    int rc = 0, e = 0;

    if (!od || sd < 0) {
        e = errno;
        rc = -1;
        goto out;
    }
    while ((de = readdir(od)) != NULL) {
        if (dots(de->d_name) || ours(de->d_name) ||
            (d->owned && d->owned(de->d_name)))
            continue;
        if (linkat(dirfd(od), de->d_name, sd, de->d_name, 0) != 0 &&
            errno != EEXIST) {
            e = errno;
            rc = -1;
            break;
        }
    }
    if (rc != 0) { /* undo: unlink the names that are the old files */
        rewinddir(od);
        while ((de = readdir(od)) != NULL)
            if (!dots(de->d_name) && !ours(de->d_name) &&
                !(d->owned && d->owned(de->d_name)) &&
                same_file(dirfd(od), de->d_name, sd, de->d_name))
                (void)unlinkat(sd, de->d_name, 0);
    }
out:
    if (od)
        closedir(od);
    if (sd >= 0)
        close(sd);
    errno = e;
    return rc;
}

/* Exchange the staging directory with the old one; afterwards d->path
 * names the old directory, to be removed.  0 or -1 (errno). */
static int exchange(struct outdir *d)
{
    size_t n;
    char *aside;

#if defined(RENAME_EXCHANGE)
    if (renameat2(AT_FDCWD, d->path, AT_FDCWD, d->real, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return -1;
#endif
    /* no exchange here: rename the old one aside, then the new one in */
    n = strlen(d->parent) + sizeof(OLD_PREFIX) + 32;
    if (!(aside = malloc(n))) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(aside, n, "%s/" OLD_PREFIX "%ld-XXXXXX",
             strcmp(d->parent, "/") == 0 ? "" : d->parent, (long)getpid());
    if (!mkdtemp(aside) || rename(d->real, aside) != 0) {
        int e = errno;

        rmdir(aside);
        free(aside);
        errno = e;
        return -1;
    }
    if (rename(d->path, d->real) != 0) {
        int e = errno;

        (void)rename(aside, d->real);
        free(aside);
        errno = e;
        return -1;
    }
    free(d->path);
    d->path = aside;
    return 0;
}

/*
 * In place: rename each finished file into the target; first remove the
 * caller's old files this run did not write.  0 or -1 (errno).
 */
static int move_in(struct outdir *d)
{
    DIR *td = opendir(d->real), *sd = opendir(d->path);
    struct dirent *de;
    struct stat sb;
    int rc = 0, e = 0;

    if (!td || !sd) {
        e = errno;
        rc = -1;
        goto out;
    }
    while ((de = readdir(td)) != NULL)
        if (!dots(de->d_name) && !ours(de->d_name) && d->owned &&
            d->owned(de->d_name) &&
            fstatat(dirfd(td), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
            !S_ISDIR(sb.st_mode) &&
            fstatat(dirfd(sd), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            (void)unlinkat(dirfd(td), de->d_name, 0);
    while ((de = readdir(sd)) != NULL)
        if (!dots(de->d_name) &&
            renameat(dirfd(sd), de->d_name, dirfd(td), de->d_name) != 0) {
            e = errno;
            rc = -1;
            break;
        }
out:
    if (td)
        closedir(td);
    if (sd)
        closedir(sd);
    errno = e;
    return rc;
}

enum ca_status outdir_commit(struct outdir *d, struct ca_error *err)
{
    enum ca_status st = CA_OK;

    fsync_dir(d->path);
    if (!d->in_place && !d->existed) {
        if (rename(d->path, d->real) != 0) {
            st = ca_error_set(err, CA_SYSTEM, d->target, 0, NULL,
                              "unable to put the output directory in "
                              "place: %s",
                              strerror(errno));
            outdir_abort(d);
            return st;
        }
        free(d->path);
        d->path = NULL;
    } else if (!d->in_place && keep_entries(d) == 0) {
        if (exchange(d) != 0) {
            st = ca_error_set(err, CA_SYSTEM, d->target, 0, NULL,
                              "unable to put the output directory in "
                              "place: %s",
                              strerror(errno));
            outdir_abort(d);
            return st;
        }
        (void)remove_at(AT_FDCWD, d->path, 0); /* the old directory */
        free(d->path);
        d->path = NULL;
    } else {
        /* in place (also when a kept file could not be linked) */
        if (move_in(d) != 0) {
            st = ca_error_set(err, CA_SYSTEM, d->target, 0, NULL,
                              "unable to move the outputs into place: %s",
                              strerror(errno));
            outdir_abort(d);
            return st;
        }
        (void)remove_at(AT_FDCWD, d->path, 0);
        free(d->path);
        d->path = NULL;
        fsync_dir(d->real);
    }
    fsync_dir(d->parent);
    free(d->made);
    d->made = NULL; /* in place now: never removed */
    release(d);
    return st;
}

void outdir_abort(struct outdir *d)
{
    if (!d)
        return;
    if (d->path)
        (void)remove_at(AT_FDCWD, d->path, 0);
    if (d->made && d->parent) {
        /* the parents created, deepest first, up to the topmost */
        char buf[PATH_MAX];
        size_t m = strlen(d->made);

        snprintf(buf, sizeof(buf), "%s", d->parent);
        for (;;) {
            size_t n = strlen(buf);
            char *s;

            if (n < m)
                break;
            (void)rmdir(buf);
            if (n == m)
                break;
            s = strrchr(buf, '/');
            if (!s || s == buf)
                break;
            *s = '\0';
        }
    }
    release(d);
}

const char *outdir_shown(const struct outdir *d, const char *path, char *buf,
                         size_t size)
{
    size_t n;

    if (!d || !d->path || !d->target || !path)
        return path;
    n = strlen(d->path);
    if (strncmp(path, d->path, n) != 0 || (path[n] != '/' && path[n] != '\0'))
        return path;
    snprintf(buf, size, "%s%s", d->target, path + n);
    return buf;
}
