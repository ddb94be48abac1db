/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 through OpenSSL's libcrypto (EVP interface).  Used for the `hash`
 * sampling method's rank keys, input file digests in manifests and the
 * evidence bundle's SHA256SUMS.  The context is caller-owned.
 */
#ifndef CA_SHA256_H
#define CA_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

struct sha256 {
    void *md; /* EVP_MD_CTX *, owned */
};

/* Returns 0, or -1 when libcrypto cannot allocate a context. */
int sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* Writes 32 bytes to out and resets the context for reuse. */
void sha256_final(struct sha256 *h, unsigned char out[32]);
void sha256_release(struct sha256 *h);

/* One-shot digest of a buffer. */
void sha256_buf(const void *data, size_t len, unsigned char out[32]);
/* Lowercase hex of 32 bytes; hex must hold 65 bytes. */
void sha256_hex(const unsigned char d[32], char hex[SHA256_HEX_LEN + 1]);
/* Digest of a whole file; returns 0, or -1 with errno set. */
int sha256_file(const char *path, unsigned char out[32],
                unsigned long long *bytes);
/* Digest of what can be read from fd, from its current offset to the end
 * (the descriptor is not closed); returns 0, or -1 with errno set. */
int sha256_fd(int fd, unsigned char out[32], unsigned long long *bytes);

#endif
