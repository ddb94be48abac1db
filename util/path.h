/* SPDX-License-Identifier: MIT */
/*
 * Checks on a path named by the user before it is read, so that every
 * command says the same of a missing input and of a directory where a file
 * is expected (exit 3, bad input data):
 *   error: x.csv: unable to open: No such file or directory
 *   error: out: is a directory, not a file
 */
#ifndef CA_PATH_H
#define CA_PATH_H

#include "util/status.h"

/* CA_OK when path is a file that can be opened for reading ("-", standard
 * input, always is); otherwise CA_DATA with err naming path and why. */
enum ca_status path_want_file(const char *path, struct ca_error *err);

/* The same for an input that may also be a directory (an export folder,
 * a folder of rules). */
enum ca_status path_want_input(const char *path, struct ca_error *err);

/* The message for a directory where a file is expected, for code that
 * finds it out otherwise (an output path). */
#define PATH_IS_DIRECTORY "is a directory, not a file"

#endif
