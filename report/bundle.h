/* SPDX-License-Identifier: MIT */
/*
 * The evidence bundle: one .zip (libarchive) holding the report files, the
 * sample manifests, the rule set used, the inventory and the overrides,
 * plus SHA256SUMS (sha256sum format: "<hex>  <name>" per line) over every
 * other entry, so that anyone can check it with `unzip` and `sha256sum -c`.
 * The zip is written mode 0600 and atomically (util/outfile.h).
 *
 * SHA256SUMS proves only that the entries are the ones it lists: anyone
 * who edits an entry can write a new SHA256SUMS.  It is evidence of
 * integrity only when its own hash is kept apart (quoted in the
 * inspection file); it is not a signature.  `verify --recheck` re-runs
 * the checks and compares (cmd/verify_recheck.c).
 *
 * Layout written by `caseaudit report --bundle`:
 *   summary.json summary.csv findings.csv report.md report.html
 *   [overrides.csv]             overrides as applied (with original verdicts)
 *   manifests/<name>.json       each sample manifest as given
 *   rules/...                   rule files given with --rules, else
 *   rules-used.txt              the rule ids that appear in the findings
 *   inventory/<name>            the inventory, when given
 *   overrides/<name>            the overrides file as given
 *   SHA256SUMS
 *
 * For `caseaudit verify BUNDLE.zip`:
 *   struct bundle_contents c;
 *   st = bundle_verify("audit.zip", &c, &err);   // every hash checked
 *   for (i = 0; i < c.n; i++)
 *       if (c.v[i].manifest)  // c.v[i].data: the manifest JSON, to re-draw
 *           ...;
 *   bundle_contents_release(&c);
 */
#ifndef CA_BUNDLE_H
#define CA_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define BUNDLE_MAX_ENTRIES 100000
#define BUNDLE_MAX_MANIFEST (1024u << 20) /* bytes kept per manifest */
#define BUNDLE_MAX_SUMS (64u << 20)       /* SHA256SUMS size */

/* One file to put in the bundle: from disk (path) or memory (data). */
struct bundle_file {
    const char *name; /* name inside the bundle: no leading '/', no "..",
                       * no backslash or control characters */
    const char *path; /* file to copy, or NULL */
    const char *data; /* bytes, used when path is NULL */
    size_t len;
};

/*
 * Write the bundle to zip_path with files and a SHA256SUMS over them.
 * Entry times are SOURCE_DATE_EPOCH when set (reproducible bundles), else
 * now; entry mode 0600.  CA_USAGE for a bad or duplicate name, CA_DATA
 * when a file changes size while read, CA_SYSTEM for I/O.
 */
enum ca_status bundle_write(const char *zip_path,
                            const struct bundle_file *files, size_t n,
                            struct ca_error *err);

/* A growable list of bundle files that owns its strings (for building
 * the list passed to bundle_write). */
struct bundle_list {
    struct bundle_file *v;
    size_t n, alloc;
    char **owned;
    size_t nowned, owned_alloc;
};

void bundle_list_init(struct bundle_list *l);
void bundle_list_release(struct bundle_list *l);
/* Add a file from disk or from memory (data is borrowed and must outlive
 * the list).  Names and paths are copied.  CA_SYSTEM on ENOMEM. */
enum ca_status bundle_list_add_file(struct bundle_list *l, const char *name,
                                    const char *path, struct ca_error *err);
enum ca_status bundle_list_add_data(struct bundle_list *l, const char *name,
                                    const char *data, size_t len,
                                    struct ca_error *err);
/*
 * Add path under prefix: a file as prefix/<base name>; a directory as
 * prefix/<dir base name>/<relative path> (prefix/<relative path> when the
 * directory is itself named prefix) for every regular file below it
 * whose name ends in one of the suffixes (NULL-terminated; NULL = any),
 * in sorted order.  CA_DATA when path does not exist.
 */
enum ca_status bundle_list_add_tree(struct bundle_list *l, const char *prefix,
                                    const char *path,
                                    const char *const *suffixes,
                                    struct ca_error *err);

struct bundle_entry {
    char *name;
    char sha256[65]; /* lowercase hex of the entry's bytes */
    uint64_t bytes;
    bool manifest; /* under manifests/ and ending in .json */
    char *data;    /* NUL-terminated contents, for manifests,
                    * programmes/<name>.yaml, rules/...yaml and
                    * summary.json, summary.csv, findings.csv, files.csv
                    * (what `verify --recheck` needs); else NULL */
    size_t len;
};

struct bundle_contents {
    struct bundle_entry *v; /* entries in archive order, SHA256SUMS excluded */
    size_t n;
};

/*
 * Read a bundle and check every entry against SHA256SUMS.  Returns CA_OK
 * when every entry is listed with a matching hash and every listed entry
 * is present; CA_FINDINGS (a failed verification; err names the entry)
 * when an entry was changed, added or removed; CA_DATA when the file is
 * not a readable zip or has no well-formed SHA256SUMS; CA_SYSTEM for I/O
 * or memory.  out is filled as far as read in every case (caller
 * releases); out->v[i].data holds each manifest's JSON.
 */
enum ca_status bundle_verify(const char *path, struct bundle_contents *out,
                             struct ca_error *err);

void bundle_contents_release(struct bundle_contents *c);

#endif
