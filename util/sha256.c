/* SPDX-License-Identifier: MIT */
/* SHA-256 helpers over libcrypto's EVP API; see sha256.h. */
#include "util/sha256.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <openssl/evp.h>

int sha256_init(struct sha256 *h)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    h->md = ctx;
    if (!ctx)
        return -1;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        h->md = NULL;
        return -1;
    }
    return 0;
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
    if (len)
        EVP_DigestUpdate((EVP_MD_CTX *)h->md, data, len);
}

void sha256_final(struct sha256 *h, unsigned char out[32])
{
    unsigned int n = 32;

    EVP_DigestFinal_ex((EVP_MD_CTX *)h->md, out, &n);
    EVP_DigestInit_ex((EVP_MD_CTX *)h->md, EVP_sha256(), NULL);
}

void sha256_release(struct sha256 *h)
{
    if (h && h->md) {
        EVP_MD_CTX_free((EVP_MD_CTX *)h->md);
        h->md = NULL;
    }
}

void sha256_buf(const void *data, size_t len, unsigned char out[32])
{
    unsigned int n = 32;

    EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

void sha256_hex(const unsigned char d[32], char hex[SHA256_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    int i;

    for (i = 0; i < 32; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[SHA256_HEX_LEN] = '\0';
}

int sha256_fd(int fd, unsigned char out[32], unsigned long long *bytes)
{
    struct sha256 h;
    unsigned char buf[65536];
    unsigned long long total = 0;
    ssize_t n;
    int rc = -1;

    if (sha256_init(&h) != 0) {
        errno = ENOMEM;
        return -1;
    }
    for (;;) {
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        sha256_update(&h, buf, (size_t)n);
        total += (unsigned long long)n;
    }
    if (n == 0) {
        sha256_final(&h, out);
        if (bytes)
            *bytes = total;
        rc = 0;
    }
    sha256_release(&h);
    return rc;
}

int sha256_file(const char *path, unsigned char out[32],
                unsigned long long *bytes)
{
    struct sha256 h;
    unsigned char buf[65536];
    unsigned long long total = 0;
    size_t n;
    FILE *f;
    int rc = -1;

    f = fopen(path, "rb");
    if (!f)
        return -1;
    if (sha256_init(&h) != 0) {
        fclose(f);
        errno = ENOMEM;
        return -1;
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        sha256_update(&h, buf, n);
        total += n;
    }
    if (!ferror(f)) {
        sha256_final(&h, out);
        if (bytes)
            *bytes = total;
        rc = 0;
    }
    sha256_release(&h);
    fclose(f);
    return rc;
}
