/* SPDX-License-Identifier: MIT */
/*
 * An output directory that appears whole or not at all.  A command that
 * writes several files into one directory builds them in a private staging
 * directory (mode 0700, on the same file system) and puts it in place only
 * once every file is written; on failure or interruption it removes
 * everything it made, the parent directories it created included.
 *
 *   struct outdir d;
 *   st = outdir_check("out", force, &err);      // before reading anything
 *   ...
 *   st = outdir_begin(&d, "out", force, owned, &err);
 *   ... write files under d.path ...
 *   st = outdir_commit(&d, &err);               // else outdir_abort(&d)
 *
 * Beside the target: the staging directory is
 * <parent>/.caseaudit-tmp-<pid>-XXXXXX.  At commit, a target that did not
 * exist is the staging directory renamed; an existing one (empty, or any
 * with force) is exchanged with it in one step (renameat2
 * RENAME_EXCHANGE; where the system lacks it, the old directory is renamed
 * aside first, to .caseaudit-old-<pid>-XXXXXX) and the old one removed.
 * The entries of the old directory the caller does not own (owned()
 * false: a user's notes) are kept: hard-linked into the new one before
 * the exchange, so that they are never at risk.  A symbolic link to a
 * directory stays a link: the directory it names is replaced.
 *
 * In place: when the target cannot be replaced whole (it is, or holds, the
 * current directory; it is a mount point; it holds folders of its own; its
 * parent is not writable; a kept entry cannot be linked), the staging
 * directory is made inside the target and at commit each finished file is
 * renamed into it, then the caller's old files this run did not write are
 * removed.  No file is ever half-written, but for the moment of those
 * renames the directory mixes old and new files.
 *
 * A staging directory left by a process that was killed outright (SIGKILL,
 * power loss) is removed by the next outdir_begin with force, beside the
 * target and inside it, once its process no longer exists.
 *
 * The struct owns its strings; outdir_commit and outdir_abort release
 * them.  Nothing here handles signals: a caller that is told to stop calls
 * outdir_abort from its normal flow.
 */
#ifndef CA_OUTDIR_H
#define CA_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* The prefix of staging directories (recognisable strays). */
#define OUTDIR_STAGING_PREFIX ".caseaudit-tmp-"

/* Whether a file of an existing output directory is one the caller writes
 * (replaced, or removed when this run does not write it) rather than
 * someone else's (kept). */
typedef bool (*outdir_owned_fn)(const char *name);

struct outdir {
    char *path;   /* write here: the staging directory */
    char *target; /* the directory as named, without trailing slashes */
    char *real;   /* the directory replaced (an existing target resolved) */
    char *parent; /* the directory holding real */
    char *made;   /* the topmost parent directory created, or NULL */
    bool existed; /* the target existed at outdir_begin */
    bool in_place;
    outdir_owned_fn owned;
};

/*
 * Whether target can take a run's output, without creating or changing
 * anything: missing is fine; CA_USAGE when it is not a directory, or is
 * not empty and force is false; CA_SYSTEM when it cannot be read.
 */
enum ca_status outdir_check(const char *target, bool force,
                            struct ca_error *err);

/*
 * Create the staging directory for target (see above), creating missing
 * parents of the target (mode 0700).  With force, removes strays of
 * killed runs first.  On failure nothing is left behind and d is
 * released.  CA_USAGE as outdir_check; CA_SYSTEM for I/O or memory.
 */
enum ca_status outdir_begin(struct outdir *d, const char *target, bool force,
                            outdir_owned_fn owned, struct ca_error *err);

/*
 * Put the staging directory in place of the target; releases d.  On
 * failure the target is as before (beside the target) and everything
 * made is removed; err is filled (CA_SYSTEM).
 */
enum ca_status outdir_commit(struct outdir *d, struct ca_error *err);

/* Remove everything d made and release it.  NULL-safe; safe after a
 * commit or a failed begin. */
void outdir_abort(struct outdir *d);

/*
 * path with the staging directory of d at its start replaced by the
 * target as named, into buf (size bytes); path itself when it is not
 * under the staging directory.  Returns buf or path.
 */
const char *outdir_shown(const struct outdir *d, const char *path, char *buf,
                         size_t size);

#endif
