/* SPDX-License-Identifier: MIT */
/*
 * `caseaudit verify BUNDLE.zip [INPUT...]`: the evidence-bundle half of
 * cmd/verify.c, which hands a zip over here.
 */
#ifndef CA_VERIFY_BUNDLE_H
#define CA_VERIFY_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Check every entry of the bundle at path against its SHA256SUMS and,
 * when inputs are given, re-draw each sample manifest in it from those
 * inputs (samplers/verify.h).  Prints the result (JSON with json) and
 * returns the exit code: 0 everything matches, 1 a difference, 3 a bad
 * bundle or manifest, 4 a system error.
 */
int verify_bundle(const char *path, const char *const *inputs, size_t ninputs,
                  const char *programme, bool json);

#endif
