/* SPDX-License-Identifier: MIT */
/* Locating shipped data; see datadir.h. */
#include "util/datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CA_DATADIR
#define CA_DATADIR "/usr/local/share/caseaudit"
#endif

static int exists(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0;
}

int datadir_find(const char *rel, char *out, size_t size)
{
    char exe[PATH_MAX];
    const char *env = getenv("CASEAUDIT_DATADIR");
    ssize_t n;
    char *slash;

    if (env && *env) {
        snprintf(out, size, "%s/%s", env, rel);
        if (exists(out))
            return 0;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        snprintf(out, size, "%s/%s", exe, rel);
        if (exists(out))
            return 0;
        snprintf(out, size, "%s/../../%s", exe, rel);
        if (exists(out))
            return 0;
        snprintf(out, size, "%s/../share/caseaudit/%s", exe, rel);
        if (exists(out))
            return 0;
    }
    snprintf(out, size, "%s/%s", CA_DATADIR, rel);
    return exists(out) ? 0 : -1;
}
