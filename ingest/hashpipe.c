/* SPDX-License-Identifier: MIT */
/* Hashing inputs on a second thread while they are parsed; see hashpipe.h. */
#include "ingest/hashpipe.h"

#include <stdlib.h>
#include <string.h>

static void *hash_thread(void *arg)
{
    struct hashpipe *hp = arg;
    struct hashpipe_job job;

    pthread_mutex_lock(&hp->mu);
    for (;;) {
        while (!hp->quit && hp->hashed == hp->submitted)
            pthread_cond_wait(&hp->cv, &hp->mu);
        if (hp->hashed == hp->submitted)
            break; /* quit, and nothing left */
        /* the slot stays untouched until hashed moves past it */
        job = hp->q[hp->hashed % HASHPIPE_QUEUE];
        pthread_mutex_unlock(&hp->mu);
        sha256_update(job.h, job.p, job.n);
        pthread_mutex_lock(&hp->mu);
        hp->hashed++;
        pthread_cond_broadcast(&hp->cv);
    }
    pthread_mutex_unlock(&hp->mu);
    return NULL;
}

int hashpipe_init(struct hashpipe *hp, size_t bufsize)
{
    unsigned i;

    memset(hp, 0, sizeof(*hp));
    hp->bufsize = bufsize;
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

void hashpipe_wait(struct hashpipe *hp)
{
    if (!hp->threaded)
        return;
    pthread_mutex_lock(&hp->mu);
    while (hp->hashed != hp->submitted)
        pthread_cond_wait(&hp->cv, &hp->mu);
    pthread_mutex_unlock(&hp->mu);
}
