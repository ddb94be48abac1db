/* SPDX-License-Identifier: MIT */
/*
 * Input digests taken on a second thread while the same bytes are parsed.
 * SHA-256 runs at 0.4-2 GB/s depending on the CPU's SHA instructions, as
 * fast as or slower than the rest of ingest, so hashing in line would
 * make it the largest single cost; here the reader reads into one of a
 * few rotating buffers, queues the bytes for the hashing thread and parses
 * them at once, and a buffer is handed out again only when its bytes have
 * been hashed.  Digests are the same as hashing in line (bytes are hashed
 * in the order queued).  For a regular file the same thread also reads
 * ahead (hashpipe_read), so the kernel's copy into the buffers is off the
 * parsing thread too.  Without a second thread (pthread_create failed)
 * every update is done at once in the caller and hashpipe_read_start
 * declines.  Internal to ingest/; one pipe belongs to one ingest run and is
 * used from one thread.
 */
#ifndef CA_HASHPIPE_H
#define CA_HASHPIPE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/sha256.h"

#define HASHPIPE_SLOTS 6 /* read buffers */
#define HASHPIPE_QUEUE 8 /* updates waiting to be hashed */

struct hashpipe {
    size_t bufsize;
    unsigned char *buf[HASHPIPE_SLOTS];
    uint64_t buf_job[HASHPIPE_SLOTS]; /* last job reading the buffer, + 1 */
    unsigned next;
    struct hashpipe_job {
        struct sha256 *h;
        const void *p;
        size_t n;
    } q[HASHPIPE_QUEUE];
    uint64_t submitted, hashed; /* job counters */
    /* read-ahead: block k of the file is in buf[(rbase + k) % SLOTS] */
    int rfd;         /* the file, while reading */
    bool reading;    /* the thread may read more */
    bool rd_busy;    /* the thread is in read() */
    bool rd_end;     /* end of file or an error was read */
    uint64_t filled; /* blocks read */
    uint64_t taken;  /* blocks handed to the caller */
    unsigned rbase;
    ssize_t blen[HASHPIPE_SLOTS]; /* bytes, 0 at the end, -1 on error */
    int berr[HASHPIPE_SLOTS];     /* errno of a failed read */
    bool threaded, quit;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

/* Allocate the buffers (bufsize bytes each) and start the thread.
 * Returns 0, or -1 when out of memory. */
int hashpipe_init(struct hashpipe *hp, size_t bufsize);
/* Stop the thread (after hashing what is queued) and free the buffers. */
void hashpipe_release(struct hashpipe *hp);

/* The next read buffer (bufsize bytes), once the bytes it last held have
 * been hashed.  It stays valid until HASHPIPE_SLOTS - 1 more calls. */
unsigned char *hashpipe_buffer(struct hashpipe *hp);

/* Queue len bytes at p for h.  p must stay unchanged until they are
 * hashed: a buffer from hashpipe_buffer is, anything else must outlive
 * the next hashpipe_wait.  h NULL: the bytes are not hashed, but p is
 * handed on as if they were (a buffer is reused in the same order). */
void hashpipe_update(struct hashpipe *hp, struct sha256 *h, const void *p,
                     size_t len);

/*
 * Read a regular file ahead on the thread, from its current offset.
 * Returns 0, or -1 when there is no thread (the caller reads itself).
 * Between hashpipe_read_start and hashpipe_read_stop use hashpipe_read,
 * not hashpipe_buffer.
 */
int hashpipe_read_start(struct hashpipe *hp, int fd);
/* The next block of the file in *buf, valid until the next call: returns
 * its length, 0 at the end, or -1 with *err set to the errno of a failed
 * read.  The block is not hashed: pass it to hashpipe_update. */
ssize_t hashpipe_read(struct hashpipe *hp, const unsigned char **buf, int *err);
/* Stop reading ahead (blocks read but not taken are dropped); the file
 * may be closed afterwards. */
void hashpipe_read_stop(struct hashpipe *hp);

/* Wait until everything queued is hashed; call before sha256_final. */
void hashpipe_wait(struct hashpipe *hp);

#endif
