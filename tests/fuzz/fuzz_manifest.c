/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the two readers of sample manifests (JSON): the
 * sampler's (manifest_parse, behind verify and sample --merge) and the
 * report's (sampleinfo_parse).  A manifest the sampler reads must write
 * back (manifest_write) into one it reads again, and that one must write
 * the same bytes: nothing read is lost or changed by a round trip.  Every
 * refusal must say why.  Build with `make fuzz`; run e.g.
 *   build/fuzz/fuzz_manifest -max_total_time=60 tests/fuzz/corpus/manifest
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/sampleinfo.h"
#include "samplers/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* m written as JSON into a new buffer (*len bytes); NULL on failure. */
static char *written(const struct manifest *m, size_t *len)
{
    struct ca_error err = CA_ERROR_INIT;
    char *p = NULL;
    FILE *fp = open_memstream(&p, len);

    if (!fp)
        abort();
    if (manifest_write(m, fp, &err) != CA_OK)
        abort(); /* what was read must write */
    fclose(fp);
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manifest m, m2;
    struct sampleinfo si;
    struct ca_error err = CA_ERROR_INIT;
    const char *text = (const char *)data;
    char *w1, *w2;
    size_t n1, n2;

    if (manifest_parse("fuzz.json", text, size, &m, &err) == CA_OK) {
        w1 = written(&m, &n1);
        if (manifest_parse("again.json", w1, n1, &m2, &err) != CA_OK) {
            fprintf(stderr, "written manifest not read back: %s\n%.*s\n",
                    err.msg, (int)n1, w1);
            abort();
        }
        w2 = written(&m2, &n2);
        if (n1 != n2 || memcmp(w1, w2, n1) != 0) {
            fprintf(stderr,
                    "round trip changed the manifest:\n%.*s\n---\n"
                    "%.*s\n",
                    (int)n1, w1, (int)n2, w2);
            abort();
        }
        free(w1);
        free(w2);
        manifest_release(&m2);
        manifest_release(&m);
    } else if (err.msg[0] == '\0') {
        abort(); /* every failure must say why */
    }
    err.msg[0] = '\0';
    sampleinfo_init(&si);
    if (sampleinfo_parse(&si, "fuzz.json", text, size, &err) != CA_OK &&
        err.msg[0] == '\0')
        abort();
    sampleinfo_release(&si);
    return 0;
}
