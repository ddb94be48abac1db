/* SPDX-License-Identifier: MIT */
/*
 * A private temporary directory for the unit tests that write files:
 * tmpdir_setup and tmpdir_teardown are the cmocka group fixtures that make
 * and remove it, tmpdir_write puts a file in it.  Header-only (static
 * inline) because each tests/unit/test_*.c is a program of its own and the
 * Makefile links it with the library objects only.  Include after
 * <cmocka.h>.
 */
#ifndef CA_TEST_TMPDIR_H
#define CA_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tmpdir[256];

static inline int tmpdir_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/ca-test-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    return 0;
}

static inline int tmpdir_teardown(void **state)
{
    char cmd[512];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

/*
 * Write len bytes of data to tmpdir/name, making the directories that name
 * holds.  Returns the path, in one of eight static buffers used in turn.
 */
static inline const char *tmpdir_write(const char *name, const char *data,
                                       size_t len)
{
    static char path[8][512];
    static int k;
    char *p = path[k++ % 8];
    FILE *fp;

    snprintf(p, 512, "%s/%s", tmpdir, name);
    if (strchr(name, '/')) {
        char dir[512], *q;

        snprintf(dir, sizeof(dir), "%s", p);
        for (q = dir + strlen(tmpdir) + 1; (q = strchr(q, '/')) != NULL; q++) {
            *q = '\0';
            mkdir(dir, 0700);
            *q = '/';
        }
    }
    fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return p;
}

/* tmpdir_write of a string. */
/* tmpdir/name, in one of four static buffers used in turn. */
static inline const char *tmpdir_path(const char *name)
{
    static char bufs[4][512];
    static int k;
    char *p = bufs[k++ % 4];

    snprintf(p, 512, "%s/%s", tmpdir, name);
    return p;
}

static inline const char *tmpdir_write_str(const char *name, const char *data)
{
    return tmpdir_write(name, data, strlen(data));
}

#endif
