/* SPDX-License-Identifier: MIT */
/* Checks on paths named by the user; see path.h. */
#include "util/path.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum ca_status want(const char *path, bool dir_ok, struct ca_error *err)
{
    struct stat sb;

    if (strcmp(path, "-") == 0)
        return CA_OK;
    if (stat(path, &sb) != 0)
        return ca_error_set(err, CA_DATA, path, 0, NULL, "unable to open: %s",
                            strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return dir_ok ? CA_OK
                      : ca_error_set(err, CA_DATA, path, 0, NULL,
                                     PATH_IS_DIRECTORY);
    /* permission, without opening it (a FIFO must not see a reader come
     * and go) */
    if (access(path, R_OK) != 0)
        return ca_error_set(err, CA_DATA, path, 0, NULL, "unable to open: %s",
                            strerror(errno));
    return CA_OK;
}

enum ca_status path_want_file(const char *path, struct ca_error *err)
{
    return want(path, false, err);
}

enum ca_status path_want_input(const char *path, struct ca_error *err)
{
    return want(path, true, err);
}
