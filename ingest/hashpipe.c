/* SPDX-License-Identifier: MIT */
/* Hashing inputs on a second thread while they are parsed; see hashpipe.h. */
#include "ingest/hashpipe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* May the thread read block `filled` now?  Its buffer last held block
 * filled - SLOTS: the caller must be past it (it holds block taken - 1
 * until its next hashpipe_read) and its bytes must be hashed. */
static bool may_read(const struct hashpipe *hp)
{
    unsigned s = (unsigned)((hp->rbase + hp->filled) % HASHPIPE_SLOTS);

    return hp->reading && !hp->rd_end &&
           hp->filled + 2 <= hp->taken + HASHPIPE_SLOTS &&
           hp->hashed >= hp->buf_job[s];
}

static void *hash_thread(void *arg)
{
    struct hashpipe *hp = arg;
    struct hashpipe_job job;

    pthread_mutex_lock(&hp->mu);
    for (;;) {
        if (hp->hashed < hp->submitted) {
            /* the job's slot stays untouched until hashed moves past it */
            job = hp->q[hp->hashed % HASHPIPE_QUEUE];
            pthread_mutex_unlock(&hp->mu);
            if (job.h)
                sha256_update(job.h, job.p, job.n);
            pthread_mutex_lock(&hp->mu);
            hp->hashed++;
            pthread_cond_broadcast(&hp->cv);
            continue;
        }
        if (may_read(hp)) {
            unsigned s = (unsigned)((hp->rbase + hp->filled) % HASHPIPE_SLOTS);
            unsigned char *b = hp->buf[s];
            int fd = hp->rfd, e = 0;
            ssize_t n;

            hp->rd_busy = true;
            pthread_mutex_unlock(&hp->mu);
            do {
                n = read(fd, b, hp->bufsize);
            } while (n < 0 && errno == EINTR);
            if (n < 0)
                e = errno;
            pthread_mutex_lock(&hp->mu);
            hp->rd_busy = false;
            hp->blen[s] = n;
            hp->berr[s] = e;
            hp->rd_end = n <= 0;
            hp->filled++;
            pthread_cond_broadcast(&hp->cv);
            continue;
        }
        if (hp->quit)
            break;
        pthread_cond_wait(&hp->cv, &hp->mu);
    }
    pthread_mutex_unlock(&hp->mu);
    return NULL;
}

int hashpipe_init(struct hashpipe *hp, size_t bufsize)
{
    unsigned i;

    memset(hp, 0, sizeof(*hp));
    hp->bufsize = bufsize;
    hp->rfd = -1;
    for (i = 0; i < HASHPIPE_SLOTS; i++) {
        hp->buf[i] = malloc(bufsize);
        if (!hp->buf[i]) {
            hashpipe_release(hp);
            return -1;
        }
    }
    if (pthread_mutex_init(&hp->mu, NULL) != 0)
        return 0; /* hashed in line */
    if (pthread_cond_init(&hp->cv, NULL) != 0) {
        pthread_mutex_destroy(&hp->mu);
        return 0;
    }
    if (pthread_create(&hp->thread, NULL, hash_thread, hp) != 0) {
        pthread_cond_destroy(&hp->cv);
        pthread_mutex_destroy(&hp->mu);
        return 0;
    }
    hp->threaded = true;
    return 0;
}

void hashpipe_release(struct hashpipe *hp)
{
    unsigned i;

    if (hp->threaded) {
        pthread_mutex_lock(&hp->mu);
        hp->quit = true;
        hp->reading = false;
        pthread_cond_broadcast(&hp->cv);
        pthread_mutex_unlock(&hp->mu);
        pthread_join(hp->thread, NULL);
        pthread_cond_destroy(&hp->cv);
        pthread_mutex_destroy(&hp->mu);
        hp->threaded = false;
    }
    for (i = 0; i < HASHPIPE_SLOTS; i++) {
        free(hp->buf[i]);
        hp->buf[i] = NULL;
    }
}

unsigned char *hashpipe_buffer(struct hashpipe *hp)
{
    unsigned i = hp->next;

    hp->next = (i + 1) % HASHPIPE_SLOTS;
    if (hp->threaded) {
        pthread_mutex_lock(&hp->mu);
        while (hp->hashed < hp->buf_job[i])
            pthread_cond_wait(&hp->cv, &hp->mu);
        pthread_mutex_unlock(&hp->mu);
    }
    return hp->buf[i];
}

void hashpipe_update(struct hashpipe *hp, struct sha256 *h, const void *p,
                     size_t len)
{
    uintptr_t b = (uintptr_t)p;
    unsigned i;

    if (!len)
        return;
    if (!hp->threaded) {
        if (h)
            sha256_update(h, p, len);
        return;
    }
    pthread_mutex_lock(&hp->mu);
    while (hp->submitted - hp->hashed >= HASHPIPE_QUEUE)
        pthread_cond_wait(&hp->cv, &hp->mu);
    hp->q[hp->submitted % HASHPIPE_QUEUE] =
        (struct hashpipe_job){.h = h, .p = p, .n = len};
    hp->submitted++;
    /* a read buffer is not handed out again before this job is done */
    for (i = 0; i < HASHPIPE_SLOTS; i++)
        if (b - (uintptr_t)hp->buf[i] < hp->bufsize)
            hp->buf_job[i] = hp->submitted;
    pthread_cond_broadcast(&hp->cv);
    pthread_mutex_unlock(&hp->mu);
}

int hashpipe_read_start(struct hashpipe *hp, int fd)
{
    if (!hp->threaded)
        return -1;
    pthread_mutex_lock(&hp->mu);
    hp->rfd = fd;
    hp->rbase = hp->next;
    hp->filled = hp->taken = 0;
    hp->rd_end = false;
    hp->reading = true;
    pthread_cond_broadcast(&hp->cv);
    pthread_mutex_unlock(&hp->mu);
    return 0;
}

ssize_t hashpipe_read(struct hashpipe *hp, const unsigned char **buf, int *err)
{
    unsigned s;
    ssize_t n;

    pthread_mutex_lock(&hp->mu);
    while (hp->filled == hp->taken)
        pthread_cond_wait(&hp->cv, &hp->mu);
    s = (unsigned)((hp->rbase + hp->taken) % HASHPIPE_SLOTS);
    n = hp->blen[s];
    *err = hp->berr[s];
    *buf = hp->buf[s];
    hp->taken++;
    /* the block before this one is free for reading once hashed */
    pthread_cond_broadcast(&hp->cv);
    pthread_mutex_unlock(&hp->mu);
    return n;
}

void hashpipe_read_stop(struct hashpipe *hp)
{
    if (!hp->threaded)
        return;
    pthread_mutex_lock(&hp->mu);
    hp->reading = false;
    while (hp->rd_busy)
        pthread_cond_wait(&hp->cv, &hp->mu);
    hp->rfd = -1;
    /* hashpipe_buffer goes on after the last block handed out */
    hp->next = (unsigned)((hp->rbase + hp->taken) % HASHPIPE_SLOTS);
    pthread_mutex_unlock(&hp->mu);
}

void hashpipe_wait(struct hashpipe *hp)
{
    if (!hp->threaded)
        return;
    pthread_mutex_lock(&hp->mu);
    while (hp->hashed != hp->submitted)
        pthread_cond_wait(&hp->cv, &hp->mu);
    pthread_mutex_unlock(&hp->mu);
}
