/* SPDX-License-Identifier: MIT */
/*
 * `caseaudit verify BUNDLE.zip [INPUT...]`: the evidence-bundle half of
 * cmd/verify.c, which hands a zip over here.
 */
#ifndef CA_VERIFY_BUNDLE_H
#define CA_VERIFY_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/bundle.h"
#include "samplers/manifest.h"
#include "util/status.h"

/* Told each difference found, as one line of text. */
typedef void (*verify_diff_fn)(void *ctx, const char *line);

/*
 * Check every entry of the bundle at path against its SHA256SUMS and,
 * when inputs are given, re-draw each sample manifest in it from those
 * inputs (samplers/verify.h).  Prints the result (JSON with json) and
 * returns the exit code: 0 everything matches, 1 a difference, 3 a bad
 * bundle or manifest, 4 a system error.
 */
int verify_bundle(const char *path, const char *const *inputs, size_t ninputs,
                  const char *programme, bool json, bool recheck);

/*
 * Read a manifest held in memory (a bundle entry); where names it in
 * errors.  m is the caller's to release (manifest_release) on CA_OK.
 */
enum ca_status verify_bundle_read_manifest(const char *where, const char *data,
                                           size_t len, struct manifest *m,
                                           struct ca_error *err);

/*
 * cmd/verify_recheck.c: run the audit the bundle c (read from bundle)
 * records again on inputs, with the bundle's rules, lexicon, programme
 * and recorded parameters, in a private temporary directory removed
 * afterwards, and compare its findings.csv, files.csv, summary.csv and
 * the verdicts of summary.json with the bundle's: each difference goes
 * to fn, *ndiff counts them.  CA_DATA when the bundle is not a run's (or
 * records no as-of dates) or the inputs cannot be audited; CA_SYSTEM for
 * I/O or memory.
 */
enum ca_status verify_recheck(const char *bundle,
                              const struct bundle_contents *c,
                              const char *const *inputs, size_t ninputs,
                              verify_diff_fn fn, void *ctx, uint64_t *ndiff,
                              struct ca_error *err);

#endif
