/* SPDX-License-Identifier: MIT */
/*
 * Arrays of owned strings (char **v with a count n), as the profile, the
 * sample parameters and the manifest readers keep them.
 */
#ifndef CA_STRV_H
#define CA_STRV_H

#include <stddef.h>

/* Free the n strings of v, then v itself.  v may be NULL. */
void strv_free(char **v, size_t n);

#endif
