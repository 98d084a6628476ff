#ifndef SLABSIM_SIM_REPORT_OUTDIR_H
#define SLABSIM_SIM_REPORT_OUTDIR_H
/*
 * Output directories slabsim owns. A run directory (slabsim run -o) and a
 * sweep directory (slabsim sweep -o) carry a marker file slabsim wrote,
 * listing every entry it put there. Only a directory whose every entry
 * its marker lists is ever replaced or removed; anything else -- a
 * user's directory, an empty one slabsim did not make, one it cannot
 * read -- is refused before any work is done.
 *
 * Marker (.slabsim-run or .slabsim-sweep), one item a line:
 *
 *   slabsim-run 1             kind and format version
 *   version 0.1.0             the slabsim that wrote it
 *   workload NAME             the workload's name (control chars as '?')
 *   file NAME                 a regular file slabsim wrote (may be absent)
 *   dir NAME                  a directory whose files are listed as
 *                             "file NAME/X" (plots/)
 *   run NAME                  (sweeps) a point: a run directory of its own
 *
 * An entry called LISTED.slabsim-tmp.XXXXXX (X any of [A-Za-z0-9]) is a
 * temporary a killed slabsim left behind while writing LISTED; it counts
 * as slabsim's too.
 */
#include <stdbool.h>
#include <stddef.h>

#include "sim/util.h"

enum outdir_kind { OUTDIR_RUN, OUTDIR_SWEEP };

#define OUTDIR_RUN_MARKER	".slabsim-run"
#define OUTDIR_SWEEP_MARKER	".slabsim-sweep"
#define OUTDIR_TMP_INFIX	".slabsim-tmp."

/*
 * Whether slabsim may put a directory of this kind at path: path is absent
 * and its parent an existing directory, or path is a directory of this
 * kind whose every entry its marker lists. When not, why gets one line
 * (no trailing newline) saying what is in the way.
 */
bool outdir_replaceable(const char *path, enum outdir_kind kind, char *why,
			size_t whylen);

/*
 * The command's -o argument made usable: trailing slashes removed; a
 * user error (exit 2) naming cmd when it is empty or "/", or when path is
 * not replaceable. Returns a malloc'd copy.
 */
char *outdir_check_or_die(const char *cmd, const char *path,
			  enum outdir_kind kind);

/*
 * Start a marker: the header lines for this kind and workload name.
 * Append entries with outdir_marker_entry, e.g. ("file", "slabinfo").
 */
void outdir_marker_begin(struct strbuf *sb, enum outdir_kind kind,
			 const char *workload);
void outdir_marker_entry(struct strbuf *sb, const char *what,
			 const char *name);

/*
 * A new empty directory beside path with a unique name
 * (path.slabsim-tmp.XXXXXX), malloc'd; NULL with errno set when it
 * cannot be made.
 */
char *outdir_mktemp(const char *path);

/*
 * Put the complete directory tmp at path, atomically: a reader (or a kill
 * at any moment) sees the old directory or the new one, never a mix.
 * Uses renameat2(RENAME_NOREPLACE / RENAME_EXCHANGE) where the file system
 * has them and a rename aside otherwise. The displaced directory is
 * removed only if it is still replaceable; if something else took path's
 * place meanwhile it is put back and false is returned. Returns false
 * with why set (and tmp left in place) on failure.
 */
bool outdir_install(const char *tmp, const char *path, enum outdir_kind kind,
		    char *why, size_t whylen);

/*
 * Remove path and what its marker lists (its runs, for a sweep). Does
 * nothing unless outdir_replaceable says yes, or path is a temporary of
 * outdir_mktemp holding nothing but listed entries.
 */
void outdir_remove(const char *path, enum outdir_kind kind);

/*
 * Add "what name" to dir's run marker, when dir has one (slabsim plot on
 * a run directory): done before the entry is made, so an entry is never
 * unlisted. Returns false (errno set) when the marker cannot be written;
 * true when dir has no marker (a directory that is not a run is never
 * replaced anyway) or the line is already there.
 */
bool outdir_marker_add(const char *dir, const char *what, const char *name);

/* Whether dir has a run marker listing "what name". */
bool outdir_marker_lists(const char *dir, const char *what, const char *name);

#endif /* SLABSIM_SIM_REPORT_OUTDIR_H */
